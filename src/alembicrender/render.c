/*
 * One step's SQL from real Alembic's offline mode (include/retort/alembicrender.h):
 * run Alembic as a child process, then cut that step's statements out of
 * what it printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "retort/alembicrender.h"
#include "retort/buf.h"
#include "retort/clock.h"
#include "retort/ident.h"
#include "retort/source.h"
#include "retort/sqlsplit.h"

#define DEFAULT_TIMEOUT 120.0
#define MARKER "-- Running "

/* What the child could not do before exec, sent up a close-on-exec pipe. */
struct child_failure {
	int stage; /* 0 chdir, 1 exec */
	int errnum;
};

/* What a finished child left: exit status and both streams. */
struct run_result {
	int status;
	rt_buf out, errout;
};

/* The interpreter's path: as given when it names a file, else the first
 * executable `name` in PATH (resolved here, so the child only calls
 * async-signal-safe functions between fork and exec). */
static const char *find_python(rt_arena *arena, const char *name)
{
	if (strchr(name, '/'))
		return name;
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path;; p++) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *cand = rt_sprintf(arena, "%.*s/%s", (int)n, n ? p : ".", name);
		if (access(cand, X_OK) == 0)
			return cand;
		if (!end)
			return NULL;
		p = end;
	}
}

/* A pipe whose ends the child's exec closes (the ends it keeps are dup2'ed). */
static int cloexec_pipe(int fds[2])
{
	if (pipe(fds) != 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static void child(const char *dir, const char *python, char *const argv[], int out, int errout,
                  int report)
{
	struct child_failure f = { 0, 0 };
	int devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0)
		dup2(devnull, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(errout, STDERR_FILENO);
	if (dir && chdir(dir) != 0) {
		f.errnum = errno;
	} else {
		execv(python, argv);
		f.stage = 1;
		f.errnum = errno;
	}
	ssize_t n RT_UNUSED = write(report, &f, sizeof(f));
	_exit(127);
}

static void stop_child(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
	}
}

/*
 * Runs argv (argv[0] the interpreter's path) in opts->project_dir, reading
 * stdout and stderr until both close, then reaps it. No shell: the
 * arguments reach Python as they are.
 */
static int run(const rt_alembic_render_opts *opts, const char *python, char *const argv[],
               const char *what, struct run_result *res, rt_error *err)
{
	int outp[2], errp[2], rep[2];
	if (cloexec_pipe(outp) != 0)
		return rt_error_set(err, RT_EOS, NULL, "cannot run Alembic: pipe: %s", strerror(errno));
	if (cloexec_pipe(errp) != 0) {
		int e = errno;
		close(outp[0]), close(outp[1]);
		return rt_error_set(err, RT_EOS, NULL, "cannot run Alembic: pipe: %s", strerror(e));
	}
	if (cloexec_pipe(rep) != 0) {
		int e = errno;
		close(outp[0]), close(outp[1]), close(errp[0]), close(errp[1]);
		return rt_error_set(err, RT_EOS, NULL, "cannot run Alembic: pipe: %s", strerror(e));
	}
	pid_t pid = fork();
	if (pid == 0)
		child(opts->project_dir, python, argv, outp[1], errp[1], rep[1]);
	int fork_errno = errno;
	close(outp[1]), close(errp[1]), close(rep[1]);
	if (pid < 0) {
		close(outp[0]), close(errp[0]), close(rep[0]);
		return rt_error_set(err, RT_EOS, NULL, "cannot run Alembic: fork: %s",
		                    strerror(fork_errno));
	}

	/* exec closes the report pipe: end of file here means Python started */
	struct child_failure f;
	ssize_t got;
	do
		got = read(rep[0], &f, sizeof(f));
	while (got < 0 && errno == EINTR);
	close(rep[0]);
	if (got == (ssize_t)sizeof(f)) {
		close(outp[0]), close(errp[0]);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
		}
		if (f.stage == 0)
			return rt_error_set(err, RT_EOS, NULL, "cannot run Alembic in '%s': %s",
			                    opts->project_dir, strerror(f.errnum));
		rt_error_set(err, RT_EOS, NULL, "cannot run '%s': %s", python, strerror(f.errnum));
		rt_error_hint(err, "install Alembic and the application, or name the interpreter "
		                   "that has them");
		return RT_EOS;
	}

	double timeout = opts->timeout > 0 ? opts->timeout : DEFAULT_TIMEOUT;
	double deadline = rt_clock_ms() + timeout * 1000.0;
	struct pollfd pf[2] = { { outp[0], POLLIN, 0 }, { errp[0], POLLIN, 0 } };
	rt_buf *bufs[2] = { &res->out, &res->errout };
	int open_fds = 2, rc = RT_OK;
	char chunk[65536];
	while (open_fds > 0) {
		if (opts->interrupted && *opts->interrupted) {
			rc = rt_error_set(err, RT_EINTR, NULL, "interrupted while Alembic rendered %s",
			                  what);
			break;
		}
		double left = deadline - rt_clock_ms();
		if (left <= 0) {
			rc = rt_error_set(err, RT_ELIMIT, NULL,
			                  "Alembic did not finish rendering %s within %g s", what, timeout);
			rt_error_hint(err, "see whether env.py or the version file waits for something "
			                   "(offline mode has no database to talk to)");
			break;
		}
		/* short waits, so a signal's flag is seen even if poll was not woken */
		int n = poll(pf, 2, left < 100 ? (int)left + 1 : 100);
		if (n < 0 && errno != EINTR) {
			rc = rt_error_set(err, RT_EOS, NULL, "reading Alembic's output: %s",
			                  strerror(errno));
			break;
		}
		for (int i = 0; i < 2 && n > 0; i++) {
			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t r = read(pf[i].fd, chunk, sizeof(chunk));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_fds--;
				continue;
			}
			rt_buf_add(bufs[i], chunk, (size_t)r);
		}
		if (res->out.len + res->errout.len > RT_MAX_SOURCE_FILE) {
			rc = rt_error_set(err, RT_ELIMIT, NULL,
			                  "Alembic printed more than %u bytes rendering %s",
			                  RT_MAX_SOURCE_FILE, what);
			break;
		}
	}
	for (int i = 0; i < 2; i++)
		if (pf[i].fd >= 0)
			close(pf[i].fd);
	if (rc != RT_OK) {
		stop_child(pid);
		return rc;
	}
	while (waitpid(pid, &res->status, 0) < 0) {
		if (errno != EINTR)
			return rt_error_set(err, RT_EOS, NULL, "waiting for Alembic: %s", strerror(errno));
	}
	return RT_OK;
}

/* The last line of text that holds more than blanks, trimmed, or NULL. */
static const char *last_line(rt_arena *arena, const char *text, size_t len, const char *prefix)
{
	size_t end = len;
	while (end > 0) {
		size_t start = end;
		while (start > 0 && text[start - 1] != '\n')
			start--;
		size_t a = start, b = end;
		while (a < b && (text[a] == ' ' || text[a] == '\t'))
			a++;
		while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\n' ||
		                 text[b - 1] == '\r'))
			b--;
		if (b > a && (!prefix || strncmp(text + a, prefix, strlen(prefix)) == 0))
			return rt_strndup(arena, text + a, b - a);
		end = start > 0 ? start - 1 : 0;
	}
	return NULL;
}

/* Offset just past the line that equals marker (trailing blanks ignored:
 * Alembic prints "-> " for base), or -1. */
static long find_marker(const char *text, size_t len, const char *marker)
{
	size_t mlen = strlen(marker);
	while (mlen > 0 && marker[mlen - 1] == ' ')
		mlen--;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t b = end;
		while (b > at && (text[b - 1] == ' ' || text[b - 1] == '\r'))
			b--;
		if (b - at == mlen && memcmp(text + at, marker, mlen) == 0)
			return (long)(nl ? end + 1 : end);
		at = end + 1;
	}
	return -1;
}

/* Whether s[0, n) starts with p. */
static bool has_prefix(const char *s, size_t n, const char *p)
{
	size_t plen = strlen(p);
	return n >= plen && memcmp(s, p, plen) == 0;
}

static bool has_arrow(const char *s, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(s + i, " -> ", 4) == 0)
			return true;
	return false;
}

/* Whether the comments before a statement's first token hold another
 * step's line ("-- Running upgrade|downgrade ... -> ..."): the statement
 * belongs to the next step. A comment of the body's own that only looks
 * like one ends the step early, and the missing version-table statement
 * then says so. */
static bool starts_next_step(const rt_stmt *st)
{
	size_t lead = rt_sql_leading_blanks(st->sql, st->len);
	for (size_t i = 0; i < lead; i++) {
		if (i > 0 && st->sql[i - 1] != '\n')
			continue;
		const char *line = st->sql + i;
		const char *nl = memchr(line, '\n', lead - i);
		size_t n = nl ? (size_t)(nl - line) : lead - i;
		if ((has_prefix(line, n, MARKER "upgrade ") ||
		     has_prefix(line, n, MARKER "downgrade ")) &&
		    has_arrow(line, n))
			return true;
	}
	return false;
}

/* Whether a statement is one of Alembic's on the version table, whose name
 * is qualified and quoted as SQLAlchemy prints it. */
static bool is_version_stmt(const char *s, size_t n, const char *table)
{
	static const struct {
		const char *head, *tail; /* tail NULL: the statement may end after the table */
	} forms[] = {
		{ "INSERT INTO ", " (version_num)" },
		{ "UPDATE ", " SET version_num=" },
		{ "DELETE FROM ", NULL },
		{ "DROP TABLE ", NULL },
		{ "CREATE TABLE ", " (" },
	};
	size_t tlen = strlen(table);
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t hlen = strlen(forms[i].head);
		if (!has_prefix(s, n, forms[i].head) || !has_prefix(s + hlen, n - hlen, table))
			continue;
		const char *after = s + hlen + tlen;
		size_t left = n - hlen - tlen;
		if (forms[i].tail ? has_prefix(after, left, forms[i].tail)
		                  : (left == 0 || has_prefix(after, left, " WHERE ")))
			return true;
	}
	return false;
}

static bool is_word(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(s, word, n) == 0;
}

/* A comma-separated list as Alembic's step line prints it ("a, b"). */
static const char *comma_list(rt_arena *arena, const rt_strv *v)
{
	rt_buf b = { 0 };
	for (size_t i = 0; i < v->n; i++)
		rt_buf_printf(&b, "%s%s", i ? ", " : "", v->v[i]);
	char *s = rt_strdup(arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

/*
 * Cuts the step that follows marker out of Alembic's output: the
 * statements up to the next step's line, without BEGIN/COMMIT and without
 * the trailing version-table statements, which must be there.
 */
static int cut_step(const rt_source *src, const char *marker, const char *table,
                    const char *what, rt_arena *arena, rt_stmtlist *out, rt_error *err)
{
	long from = find_marker(src->text, src->len, marker);
	if (from < 0) {
		rt_error_set(err, RT_ECONFIG, NULL, "Alembic's output for %s has no line '%s'", what,
		             marker);
		rt_error_hint(err, "run '%s' and compare: env.py must run the migrations offline "
		                   "(context.is_offline_mode()) as Alembic's templates do",
		              src->path);
		return RT_ECONFIG;
	}
	rt_stmtlist all = { 0 };
	int rc = rt_sql_split(&all, arena, src, (size_t)from, src->len - (size_t)from, false, err);
	if (rc != RT_OK)
		return rt_error_prefix(err, "SQL that Alembic rendered for %s", what);

	rt_stmtlist kept = { 0 };
	bool in_tx = true; /* a step starts inside Alembic's BEGIN */
	size_t end = 0; /* kept[end..] are the trailing version-table statements */
	for (size_t i = 0; i < all.n; i++) {
		rt_stmt *st = all.items[i];
		if (starts_next_step(st))
			break;
		size_t lead = rt_sql_leading_blanks(st->sql, st->len);
		const char *s = st->sql + lead;
		size_t n = st->len - lead;
		if (is_word(s, n, "BEGIN")) {
			in_tx = true;
			continue;
		}
		if (is_word(s, n, "COMMIT")) {
			in_tx = false;
			continue;
		}
		st->no_transaction = !in_tx;
		rt_stmtlist_push(arena, &kept, st);
		if (!is_version_stmt(s, n, table))
			end = kept.n;
	}
	if (end == kept.n) {
		rt_error_set(err, RT_ECONFIG, NULL,
		             "Alembic's output for %s has no statement on the version table '%s'",
		             what, table);
		rt_error_hint(err, "set version_table and version_table_schema as env.py's "
		                   "context.configure() does (docs/configuration.md)");
		return RT_ECONFIG;
	}
	for (size_t i = 0; i < end; i++)
		rt_stmtlist_push(arena, out, kept.items[i]);
	return RT_OK;
}

/* The error for a step that Alembic could not render either. */
static int alembic_failed(const rt_revision *rev, const char *what, const rt_error *refusal,
                          const char *command, const struct run_result *res, rt_arena *arena,
                          rt_error *err)
{
	const char *why = last_line(arena, rt_buf_cstr(&res->errout), res->errout.len, NULL);
	if (!why) {
		if (WIFSIGNALED(res->status))
			why = rt_sprintf(arena, "killed by signal %d", WTERMSIG(res->status));
		else
			why = rt_sprintf(arena, "exit status %d, nothing on stderr",
			                 WEXITSTATUS(res->status));
	}
	if (refusal && refusal->message) {
		rt_error_set(err, RT_EUNSUPPORTED, &refusal->loc,
		             "%s cannot be bundled: retort cannot translate it (%s) and Alembic "
		             "cannot render it offline (%s)",
		             what, refusal->message, why);
	} else {
		rt_error_set(err, RT_EUNSUPPORTED, NULL, "Alembic cannot render %s offline (%s)",
		             what, why);
	}
	const char *where = last_line(arena, rt_buf_cstr(&res->errout), res->errout.len, "File \"");
	rt_error_detail(err, "Alembic ran: %s%s%s", command, where ? "; it failed at " : "",
	                where ? where : "");
	rt_error_hint(err, "write this step as SQL in a sidecar .sql beside '%s' "
	                   "(-- retort:upgrade / -- retort:downgrade sections), which retort "
	                   "runs as it is",
	              rev->path ? rev->path : rev->id);
	return RT_EUNSUPPORTED;
}

int rt_alembic_render_step(const rt_alembic_render_opts *opts, const rt_revision *rev,
                           rt_direction dir, const rt_error *refusal, rt_arena *arena,
                           rt_stmtlist *out, rt_error *err)
{
	if (!opts->ini_path || !opts->version_table)
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "rendering with Alembic needs the project's alembic.ini and "
		                    "version table");
	bool up = dir == RT_UPGRADE;
	const char *what = rt_sprintf(arena, "%s of '%s'", up ? "upgrade" : "downgrade", rev->id);
	const char *parent = rev->down.n ? rev->down.v[0] : "base";
	const char *range = up ? rt_sprintf(arena, "%s:%s", parent, rev->id)
	                       : rt_sprintf(arena, "%s:%s", rev->id, parent);
	const char *parents = comma_list(arena, &rev->down);
	const char *marker = up ? rt_sprintf(arena, MARKER "upgrade %s -> %s", parents, rev->id)
	                        : rt_sprintf(arena, MARKER "downgrade %s -> %s", rev->id, parents);

	const char *pyname = opts->python ? opts->python : "python3";
	const char *python = find_python(arena, pyname);
	if (!python) {
		rt_error_set(err, RT_EOS, NULL, "cannot run Alembic: '%s' is not on PATH", pyname);
		rt_error_hint(err, "install Python with Alembic and the application");
		return RT_EOS;
	}
	/* -B: rendering must not leave __pycache__ folders in the project */
	const char *verb = up ? "upgrade" : "downgrade";
	const char *args[] = { python, "-B", "-m", "alembic", "-c", opts->ini_path, verb, range,
		               "--sql" };
	char *argv[sizeof(args) / sizeof(args[0]) + 1];
	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++)
		argv[i] = rt_strdup(arena, args[i]);
	argv[sizeof(args) / sizeof(args[0])] = NULL;
	const char *command = rt_sprintf(arena, "%s -B -m alembic -c %s %s %s --sql", python,
	                                 opts->ini_path, verb, range);

	struct run_result res = { 0 };
	int rc = run(opts, python, argv, what, &res, err);
	if (rc == RT_OK) {
		if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 0) {
			rc = alembic_failed(rev, what, refusal, command, &res, arena, err);
		} else {
			rt_buf table = { 0 };
			rt_ident_append_qualified(&table, opts->version_table_schema,
			                          opts->version_table);
			const char *name = rt_sprintf(arena, "alembic %s %s --sql", verb, range);
			rt_source *src = rt_source_from_mem(arena, name, rt_buf_cstr(&res.out),
			                                    res.out.len);
			rc = cut_step(src, marker, rt_buf_cstr(&table), what, arena, out, err);
			rt_buf_release(&table);
		}
	}
	rt_buf_release(&res.out);
	rt_buf_release(&res.errout);
	return rc;
}
