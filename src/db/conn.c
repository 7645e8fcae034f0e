/*
 * Sessions: connecting (with --wait's retry loop and the writability check),
 * running statements, transactions, cancel, and turning libpq and server
 * errors into rt_error. Messages show the target with passwords masked.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "retort/clock.h"
#include "retort/config.h"
#include "db_int.h"

#define RETRY_PAUSE 0.5   /* seconds between connection attempts */
#define REPORT_EVERY 2.0  /* seconds between "waiting for the database" lines */

/* Seconds on the one monotonic clock: deadlines here are in seconds. */
static double now_seconds(void)
{
	return rt_clock_ms() / 1e3;
}

/* First line of a libpq message, without the "FATAL:  " style prefix. */
static const char *first_line(rt_arena *arena, const char *msg)
{
	while (*msg == ' ' || *msg == '\n')
		msg++;
	size_t n = strcspn(msg, "\n");
	return rt_strndup(arena, msg, n);
}

/* The lines after the first, tabs and blank lines dropped, joined by "; ". */
static const char *rest_lines(rt_arena *arena, const char *msg)
{
	rt_buf b = RT_BUF_INIT;
	const char *p = strchr(msg, '\n');
	while (p && *p) {
		p++;
		while (*p == '\t' || *p == ' ')
			p++;
		size_t n = strcspn(p, "\n");
		if (n) {
			if (b.len)
				rt_buf_puts(&b, "; ");
			rt_buf_add(&b, p, n);
		}
		p += n;
	}
	const char *out = b.len ? rt_strdup(arena, b.ptr) : NULL;
	rt_buf_release(&b);
	return out;
}

const char *db_scrub(rt_arena *arena, const char *msg, const rt_strv *secrets)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, msg);
	for (size_t i = 0; i < secrets->n; i++) {
		size_t n = strlen(secrets->v[i]);
		if (!n)
			continue;
		rt_buf out = RT_BUF_INIT;
		const char *p = rt_buf_cstr(&b), *hit;
		while ((hit = strstr(p, secrets->v[i]))) {
			rt_buf_add(&out, p, (size_t)(hit - p));
			rt_buf_puts(&out, "***");
			p = hit + n;
		}
		rt_buf_puts(&out, p);
		rt_buf_release(&b);
		b = out;
	}
	const char *res = rt_strdup(arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return res;
}

const char *db_scrub_quoted(rt_arena *arena, const char *msg)
{
	rt_buf b = RT_BUF_INIT;
	for (const char *p = msg; *p;) {
		const char *open = strchr(p, '"');
		const char *close = open ? strchr(open + 1, '"') : NULL;
		if (!close) {
			rt_buf_puts(&b, p);
			break;
		}
		rt_buf_add(&b, p, (size_t)(open - p));
		rt_buf_puts(&b, "\"***\"");
		p = close + 1;
	}
	const char *res = rt_strdup(arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return res;
}

static bool is_conninfo(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0 ||
	       strchr(s, '=') != NULL;
}

static void notice_receiver(void *arg, const PGresult *res)
{
	rt_db *db = arg;
	if (!db->notice)
		return;
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	db->notice(db->notice_ctx, sev ? sev : "NOTICE", msg ? msg : PQresultErrorMessage(res));
}

struct rt_db_pending {
	PGconn *conn;                  /* NULL once rt_db_connect took it */
	PostgresPollingStatusType st;  /* what PQconnectPoll last asked for */
};

static bool polling_done(PGconn *c, PostgresPollingStatusType st)
{
	return PQstatus(c) == CONNECTION_BAD || st == PGRES_POLLING_OK ||
	       st == PGRES_POLLING_FAILED;
}

/* Drives a non-blocking handshake: until done, or until the deadline (when
 * > 0) passes or *interrupted is set (*cut). wait_ms 0 only does what needs
 * no waiting. */
static PostgresPollingStatusType drive(PGconn *c, PostgresPollingStatusType st,
                                       double deadline, int wait_ms,
                                       const volatile sig_atomic_t *interrupted, bool *cut)
{
	*cut = false;
	while (!polling_done(c, st)) {
		double left = deadline > 0 ? deadline - now_seconds() : 1.0;
		if (left <= 0 || (interrupted && *interrupted)) {
			*cut = true;
			break;
		}
		struct pollfd pfd = {
			.fd = PQsocket(c),
			.events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT,
		};
		/* slices of 250 ms so an interrupt is seen */
		int ms = wait_ms == 0 ? 0 : left > 0.25 ? 250 : (int)(left * 1000) + 1;
		int r = poll(&pfd, 1, ms);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0)
			st = PQconnectPoll(c);
		else if (r == 0 && wait_ms == 0)
			break;
	}
	return st;
}

/* Blocking connect (honours the URL's connect_timeout) when deadline is 0;
 * otherwise the non-blocking handshake, abandoned at the deadline (*cut). */
static PGconn *open_conn(const char *const *kw, const char *const *vals, double deadline,
                         const volatile sig_atomic_t *interrupted, bool *cut)
{
	*cut = false;
	if (deadline <= 0)
		return PQconnectdbParams(kw, vals, 1);
	PGconn *c = PQconnectStartParams(kw, vals, 1);
	if (!c)
		rt_oom();
	drive(c, PGRES_POLLING_WRITING, deadline, -1, interrupted, cut);
	return c;
}

static bool has_connect_timeout(PGconn *c)
{
	PQconninfoOption *opts = PQconninfo(c);
	bool set = false;
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, "connect_timeout") == 0)
			set = o->val && *o->val;
	PQconninfoFree(opts);
	return set;
}

static void pending_free(void *p)
{
	struct rt_db_pending *pd = p;
	if (pd->conn)
		PQfinish(pd->conn);
	pd->conn = NULL;
}

/* What the first query learnt about the tables (rt_db_opts.vtable). */
struct probe {
	bool done, vt_exists, hist_exists;
	int64_t key;
	int server_pid; /* pg_backend_pid(), 0 when not asked */
};

/* The connection's first query: whether the session may write (NULL when it
 * may, or need not; else why not) and, in the same round trip, the probe. */
static const char *first_query(PGconn *c, const rt_db_opts *opts, struct probe *pr)
{
	bool tables = opts->vtable && opts->history;
	*pr = (struct probe){ 0 };
	if (opts->read_only && !tables)
		return NULL;
	rt_buf sql = RT_BUF_INIT;
	rt_buf_puts(&sql, "SELECT pg_catalog.pg_is_in_recovery(), "
	                  "pg_catalog.current_setting('default_transaction_read_only'), "
	                  "pg_catalog.current_setting('transaction_read_only'), "
	                  "pg_catalog.pg_backend_pid()");
	if (tables)
		db_render_probe(&sql, opts->vtable, opts->history);
	PGresult *r = PQexec(c, sql.ptr);
	rt_buf_release(&sql);
	bool answered = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	const char *why = NULL;
	if (opts->read_only)
		why = NULL; /* the columns were asked for the probe's sake */
	else if (!answered)
		why = "could not ask whether the server accepts writes";
	else if (strcmp(PQgetvalue(r, 0, 0), "t") == 0)
		why = "the server is in recovery (a standby, or still replaying WAL)";
	else if (strcmp(PQgetvalue(r, 0, 1), "on") == 0)
		why = "sessions are read-only (default_transaction_read_only is on)";
	else if (strcmp(PQgetvalue(r, 0, 2), "on") == 0)
		why = "transactions are read-only (transaction_read_only is on)";
	if (answered)
		pr->server_pid = (int)strtol(PQgetvalue(r, 0, 3), NULL, 10);
	if (tables && answered) {
		pr->done = true;
		pr->vt_exists = strcmp(PQgetvalue(r, 0, 4), "t") == 0;
		pr->hist_exists = strcmp(PQgetvalue(r, 0, 5), "t") == 0;
		pr->key = strtoll(PQgetvalue(r, 0, 6), NULL, 10);
	}
	PQclear(r);
	return why;
}

#define POOL_PROBE_ROUNDS 3
#define POOL_PROBE_CONNECT 5.0 /* seconds for the second connection */
#define POOL_PROBE_QUERY 2.0   /* seconds for its query: a full session pool makes it wait */

/* The server process serving c's next transaction; 0 when it did not answer
 * (within `seconds` when > 0: then c may be left busy, to be closed). */
static int server_pid(PGconn *c, double seconds)
{
	if (!PQsendQuery(c, "SELECT pg_catalog.pg_backend_pid()"))
		return 0;
	double deadline = now_seconds() + seconds;
	while (seconds > 0 && PQisBusy(c)) {
		double left = deadline - now_seconds();
		struct pollfd pfd = { .fd = PQsocket(c), .events = POLLIN };
		if (left <= 0 || (poll(&pfd, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR) ||
		    !PQconsumeInput(c))
			return 0;
	}
	int pid = 0;
	PGresult *r;
	while ((r = PQgetResult(c))) {
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
			pid = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
	}
	return pid;
}

/*
 * c's start-up gave another pid than its server's (pid): a pooler stands
 * between (PgBouncer hands out keys of its own). Whether it pools per
 * transaction (or statement), with evidence only that mode can produce: c's
 * server process changing between two of its transactions, or a second
 * connection served by c's server process while c is idle (a pooler
 * recycles the most recently released server first, PgBouncer's default).
 * Session pooling pins one server to each client, so neither can happen
 * there: no false alarm. Several rounds, since another client's traffic can
 * hide it in one. Returns the evidence, or NULL.
 */
static const char *transaction_pooled(rt_arena *arena, PGconn *c, int pid,
                                      const char *const *kw, const char *const *vals,
                                      const volatile sig_atomic_t *interrupted)
{
	bool cut;
	PGconn *c2 = open_conn(kw, vals, now_seconds() + POOL_PROBE_CONNECT, interrupted, &cut);
	bool two = PQstatus(c2) == CONNECTION_OK;
	const char *evidence = NULL;
	for (int round = 0; round < POOL_PROBE_ROUNDS && !evidence; round++) {
		int p1 = server_pid(c, 0);
		int p2 = two ? server_pid(c2, POOL_PROBE_QUERY) : 0;
		two = two && p2; /* a second connection left waiting is given up */
		if (p1 && p1 != pid)
			evidence = rt_sprintf(arena, "this connection's transactions ran in server "
			                      "processes %d and then %d", pid, p1);
		else if (p1 && p2 == p1)
			evidence = rt_sprintf(arena, "a second connection's transaction ran in this "
			                      "connection's server process (%d) while it was idle", p1);
	}
	PQfinish(c2);
	return evidence;
}

static int pooled_per_transaction(const char *target, const char *evidence, rt_error *err)
{
	rt_error_set(err, RT_ECONFIG, NULL,
	             "'%s' goes through a connection pooler in transaction pooling mode (such as "
	             "PgBouncer with pool_mode = transaction): the migration lock (a session "
	             "advisory lock), SET lock_timeout and no-transaction statements would not "
	             "stay with retort's session", target);
	rt_error_detail(err, "%s", evidence);
	if (err)
		err->object = rt_xstrdup(target);
	rt_error_hint(err, "give retort a direct URL to PostgreSQL for migrations (-d or "
	                   "RETORT_DATABASE_URL), or a pool with pool_mode = session");
	return RT_ECONFIG;
}

/* "host:port" libpq used or tried, for wait lines. */
static const char *host_port(rt_arena *arena, PGconn *c)
{
	const char *h = c ? PQhost(c) : NULL;
	const char *p = c ? PQport(c) : NULL;
	return rt_sprintf(arena, "%s:%s", h && *h ? h : "localhost", p && *p ? p : "5432");
}

static void close_cb(void *db)
{
	rt_db_close(db);
}

static bool auth_failure(const char *msg)
{
	return strstr(msg, "authentication failed") || strstr(msg, "no password supplied") ||
	       strstr(msg, "no pg_hba.conf entry");
}

/*
 * "every host is a standby (read-only): at ..., on socket ..." when libpq
 * turned every host of the list away under target_session_attrs (read-write:
 * "session is read-only"; primary: "server is in hot standby mode"), one
 * line per host; else NULL.
 */
static const char *every_host_standby(rt_arena *arena, const char *msg)
{
	static const char lead[] = "connection to server ", failed[] = " failed: ";
	rt_buf hosts = RT_BUF_INIT;
	bool all = true;
	for (const char *p = msg; *p && all; p += *p ? 1 : 0) {
		const char *line = rt_strndup(arena, p, strcspn(p, "\n"));
		p += strlen(line);
		const char *f = strstr(line, failed);
		if (strncmp(line, lead, sizeof(lead) - 1) != 0 || !f)
			continue; /* the server's own lines, libpq's advice */
		const char *why = f + sizeof(failed) - 1;
		all = strcmp(why, "session is read-only") == 0 ||
		      strcmp(why, "server is in hot standby mode") == 0;
		rt_buf_printf(&hosts, "%s%.*s", hosts.len ? ", " : "",
		              (int)(f - line - (sizeof(lead) - 1)), line + sizeof(lead) - 1);
	}
	const char *out = all && hosts.len
	                      ? rt_sprintf(arena, "every host is a standby (read-only): %s",
	                                   rt_buf_cstr(&hosts))
	                      : NULL;
	rt_buf_release(&hosts);
	return out;
}

/* The keywords and values libpq connects with: application_name first so a
 * value in the URL, expanded from dbname later in the list, overrides it. */
static void conn_params(const rt_db_opts *opts, const char *url, const char *kw[3],
                        const char *vals[3])
{
	kw[0] = "application_name";
	vals[0] = opts->application_name ? opts->application_name : "retort";
	kw[1] = "dbname";
	vals[1] = url;
	kw[2] = vals[2] = NULL;
}

rt_db_pending *rt_db_connect_start(rt_arena *arena, const rt_db_opts *opts)
{
	const char *url = opts->url && *opts->url ? rt_url_drop_driver(arena, opts->url) : NULL;
	if (url && is_conninfo(url)) {
		PQconninfoOption *parsed = PQconninfoParse(url, NULL);
		if (!parsed)
			return NULL; /* rt_db_connect says why */
		PQconninfoFree(parsed);
	}
	const char *kw[3], *vals[3];
	conn_params(opts, url, kw, vals);
	PGconn *c = PQconnectStartParams(kw, vals, 1);
	if (!c)
		rt_oom();
	if (PQstatus(c) == CONNECTION_BAD || (opts->wait_seconds <= 0 && has_connect_timeout(c))) {
		PQfinish(c);
		return NULL;
	}
	struct rt_db_pending *pd = rt_alloc(arena, sizeof(*pd));
	pd->conn = c;
	bool cut;
	pd->st = drive(c, PGRES_POLLING_WRITING, 0, 0, NULL, &cut);
	rt_arena_on_free(arena, pending_free, pd);
	return pd;
}

/* The passwords in a key=value URL (libpq's messages are scrubbed of them),
 * or RT_ECONFIG when libpq cannot parse it. */
static int url_secrets(rt_arena *arena, const char *url, const char *given, const char *target,
                       rt_strv *secrets, rt_error *err)
{
	char *msg = NULL;
	PQconninfoOption *parsed = PQconninfoParse(url, &msg);
	if (!parsed) {
		/* libpq quotes the part it could not parse, which may be the password */
		const char *why = !msg ? "out of memory"
		                  : strcmp(target, given) == 0 ? first_line(arena, msg)
		                  : db_scrub_quoted(arena, first_line(arena, msg));
		PQfreemem(msg);
		rt_error_set(err, RT_ECONFIG, NULL, "invalid database URL '%s': %s", target, why);
		rt_error_hint(err, "write it as postgresql://USER@HOST:PORT/DBNAME or as "
		                   "key=value pairs (host=... dbname=...)");
		return RT_ECONFIG;
	}
	for (PQconninfoOption *o = parsed; o->keyword; o++)
		if (o->val && (strcmp(o->keyword, "password") == 0 ||
		               strcmp(o->keyword, "sslpassword") == 0))
			rt_strv_push(arena, secrets, rt_strdup(arena, o->val));
	PQconninfoFree(parsed);
	return RT_OK;
}

/* The session on an open connection c that may be used. */
static rt_db *session_new(rt_arena *arena, PGconn *c, const rt_db_opts *opts,
                          const struct probe *pr, const char *target)
{
	rt_db *db = rt_alloc(arena, sizeof(*db));
	db->conn = c;
	db->probed = db->probe_fresh = pr->done;
	db->vt_exists = pr->vt_exists;
	db->hist_exists = pr->hist_exists;
	db->probe_key = pr->key;
	if (pr->done) {
		db->probe_schema = opts->vtable->schema;
		db->probe_table = db_vtable_name(opts->vtable);
	}
	db->target = target;
	db->pid = pr->server_pid ? pr->server_pid : PQbackendPID(c); /* a pooler's is its own */
	db->cancel = PQgetCancel(c);
	db->notice = opts->notice;
	db->notice_ctx = opts->notice_ctx;
	PQsetNoticeReceiver(c, notice_receiver, db);
	rt_arena_on_free(arena, close_cb, db);
	return db;
}

/* Why the last attempt did not give a usable session. */
typedef enum refusal {
	REFUSED_CONNECTION,  /* unreachable, not started, or it ended the handshake */
	REFUSED_AUTH,        /* a rejected password or pg_hba.conf rule: waiting cannot help */
	REFUSED_WRITES,      /* connected, but the session may not write */
	REFUSED_STANDBYS,    /* every host of the list is a standby */
} refusal;

typedef struct attempt_failure {
	refusal kind;
	const char *reason, *detail;
} attempt_failure;

/* The final error: what the last attempt said, with what to do about it
 * (deadline > 0: --wait gave up, unless authentication failed at once). */
static int connect_failed(const rt_db_opts *opts, const char *target, double deadline,
                          const attempt_failure *f, rt_error *err)
{
	if (deadline > 0 && f->kind != REFUSED_AUTH)
		rt_error_set(err, RT_ECONNECT, NULL,
		             "the database at '%s' did not accept connections and writes within %g s: %s",
		             target, opts->wait_seconds, f->reason);
	else if (f->kind == REFUSED_WRITES || f->kind == REFUSED_STANDBYS)
		rt_error_set(err, RT_ECONNECT, NULL, "the database at '%s' does not accept writes: %s",
		             target, f->reason);
	else
		rt_error_set(err, RT_ECONNECT, NULL, "could not connect to '%s': %s", target, f->reason);
	if (f->detail)
		rt_error_detail(err, "%s", f->detail);
	if (err)
		err->object = rt_xstrdup(target);
	if (f->kind == REFUSED_AUTH)
		rt_error_hint(err, "authentication failed: check the user name and password (in the "
		                   "URL, PGPASSWORD or ~/.pgpass) and the server's pg_hba.conf");
	else if (f->kind == REFUSED_WRITES)
		rt_error_hint(err, "connect to the primary server (target_session_attrs=read-write "
		                   "in the URL picks it from a host list)");
	else if (f->kind == REFUSED_STANDBYS)
		rt_error_hint(err, "add the primary to the host list, or promote a standby; --wait "
		                   "SECONDS waits for a failover to finish");
	else
		rt_error_hint(err, "check the URL (or PGHOST, PGPORT, PGDATABASE when none is given) "
		                   "and that the server is running there; --wait SECONDS waits for a "
		                   "server that is starting");
	return RT_ECONNECT;
}

static int interrupted_connecting(const char *target, rt_error *err)
{
	return rt_error_set(err, RT_EINTR, NULL, "interrupted while connecting to '%s'", target);
}

int rt_db_connect(rt_db **out, rt_arena *arena, const rt_db_opts *opts, rt_error *err)
{
	*out = NULL;
	const char *given = opts->url && *opts->url ? opts->url : NULL;
	const char *url = given ? rt_url_drop_driver(arena, given) : NULL;
	const char *target = given ? rt_url_mask(arena, given) : NULL;
	rt_strv secrets = { 0 }; /* passwords libpq parsed, scrubbed from its messages */
	rt_db_pending *pending = opts->pending && opts->pending->conn ? opts->pending : NULL;
	int rc;
	if (url && is_conninfo(url) &&
	    (rc = url_secrets(arena, url, given, target, &secrets, err)) < 0)
		return rc;

	const char *kw[3], *vals[3];
	conn_params(opts, url, kw, vals);
	double start = now_seconds();
	double deadline = opts->wait_seconds > 0 ? start + opts->wait_seconds : 0;
	double next_report = start;
	attempt_failure f = { .reason = NULL };

	for (;;) {
		bool cut;
		PGconn *c;
		if (pending) {
			/* the first attempt is the one started before */
			c = pending->conn;
			pending->conn = NULL;
			drive(c, pending->st, deadline, -1, opts->interrupted, &cut);
			pending = NULL;
		} else {
			c = open_conn(kw, vals, deadline, opts->interrupted, &cut);
		}
		if (!target)
			target = rt_sprintf(arena, "%s/%s", host_port(arena, c),
			                    PQdb(c) && *PQdb(c) ? PQdb(c) : "?");
		const char *where = host_port(arena, c);
		if (PQstatus(c) == CONNECTION_OK) {
			struct probe pr;
			const char *why = first_query(c, opts, &pr);
			/* a writer must keep its server session: refused before the lock */
			const char *pooled = !why && !opts->read_only && pr.server_pid &&
			                             pr.server_pid != PQbackendPID(c)
			                         ? transaction_pooled(arena, c, pr.server_pid, kw, vals,
			                                              opts->interrupted)
			                         : NULL;
			if (pooled) {
				PQfinish(c);
				return pooled_per_transaction(target, pooled, err);
			}
			if (!why) {
				*out = session_new(arena, c, opts, &pr, target);
				return RT_OK;
			}
			f = (attempt_failure){ REFUSED_WRITES, why, NULL };
		} else if (cut && f.reason) {
			/* the deadline ended this attempt: the previous answer says more */
		} else {
			const char *msg = PQerrorMessage(c);
			if (!*msg)
				msg = "no answer from the server before the deadline";
			msg = db_scrub(arena, msg, &secrets);
			const char *standbys = every_host_standby(arena, msg);
			f = (attempt_failure){
				auth_failure(msg) ? REFUSED_AUTH
				: standbys        ? REFUSED_STANDBYS
				                  : REFUSED_CONNECTION,
				standbys ? standbys : first_line(arena, msg),
				standbys ? NULL : rest_lines(arena, msg),
			};
		}
		PQfinish(c);

		if (opts->interrupted && *opts->interrupted)
			return interrupted_connecting(target, err);
		double now = now_seconds();
		/* a rejected password or pg_hba.conf rule does not change by waiting */
		if (deadline <= 0 || now + 0.01 >= deadline || f.kind == REFUSED_AUTH)
			break;
		if (opts->progress && now >= next_report) {
			char *line = rt_sprintf(arena, "waiting for the database at %s (%.0f s left): %s",
			                        where, deadline - now, f.reason);
			opts->progress(opts->progress_ctx, line);
			next_report = now + REPORT_EVERY;
		}
		double pause = deadline - now < RETRY_PAUSE ? deadline - now : RETRY_PAUSE;
		if (!rt_sleep(pause, opts->interrupted))
			return interrupted_connecting(target, err);
	}
	return connect_failed(opts, target, deadline, &f, err);
}

int rt_db_connect_again(rt_db **out, rt_arena *arena, const rt_db *like, const char *app,
                        rt_error *err)
{
	*out = NULL;
	PQconninfoOption *info = PQconninfo(like->conn);
	if (!info)
		return rt_error_set(err, RT_ERROR, NULL, "out of memory");
	size_t n = 0;
	for (PQconninfoOption *o = info; o->keyword; o++)
		n++;
	const char **kw = rt_alloc_array(arena, n + 2, sizeof *kw);
	const char **vals = rt_alloc_array(arena, n + 2, sizeof *vals);
	size_t k = 0;
	for (PQconninfoOption *o = info; o->keyword; o++) {
		if (o->val && strcmp(o->keyword, "application_name") != 0) {
			kw[k] = o->keyword;
			vals[k++] = o->val;
		}
	}
	kw[k] = "application_name";
	vals[k++] = app;
	kw[k] = vals[k] = NULL;
	PGconn *c = PQconnectdbParams(kw, vals, 0);
	PQconninfoFree(info);
	if (PQstatus(c) != CONNECTION_OK) {
		rt_error_set(err, RT_ECONNECT, NULL, "could not open a second connection to %s: %s",
		             like->target, first_line(arena, PQerrorMessage(c)));
		PQfinish(c);
		return RT_ECONNECT;
	}
	rt_db_opts none = { 0 };
	struct probe pr = { 0 };
	*out = session_new(arena, c, &none, &pr, like->target);
	return RT_OK;
}

void rt_db_close(rt_db *db)
{
	if (!db || !db->conn)
		return;
	PQfreeCancel(db->cancel);
	db->cancel = NULL;
	PQfinish(db->conn);
	db->conn = NULL;
	db->locked = false;
}

const char *rt_db_target(const rt_db *db)
{
	return db->target;
}

int rt_db_backend_pid(const rt_db *db)
{
	return db->pid;
}

bool rt_db_lost(const rt_db *db)
{
	return db->lost || !db->conn;
}

int rt_db_cancel(const rt_db *db)
{
	char errbuf[256]; /* on the stack, as PQcancel's signal-safety requires */
	if (!db || !db->cancel)
		return -1;
	return PQcancel(db->cancel, errbuf, (int)sizeof(errbuf)) ? 0 : -1;
}

const char *rt_db_value(const rt_db_result *res, size_t row, size_t col)
{
	if (!res->cells || row >= res->nrows || col >= res->ncols)
		return NULL;
	return res->cells[row * res->ncols + col];
}

static int lost_error(rt_db *db, const char *msg, rt_error *err)
{
	db->lost = true;
	db->locked = false; /* the server released it with the session */
	rt_error_set(err, RT_ECONNECT, NULL, "connection to the server was lost");
	if (msg && *msg) {
		size_t n = strlen(msg);
		while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			n--;
		rt_error_detail(err, "%.*s", (int)n, msg);
	}
	rt_error_hint(err, "the server ended the session (restart, pg_terminate_backend, network); "
	                   "its open transaction was rolled back, unless it was committing: "
	                   "run 'retort current' to see the state");
	if (err)
		err->object = rt_xstrdup(db->target);
	return RT_ECONNECT;
}

/* A server error that ends the session: class 08 (connection exception),
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now. */
static bool ends_session(const char *state)
{
	return state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	                 strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0);
}

static int server_error(rt_db *db, PGresult *r, rt_db_result *res, rt_error *err)
{
	const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *whole = r ? PQresultErrorMessage(r) : "";
	if (!*whole)
		whole = PQerrorMessage(db->conn);
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (PQstatus(db->conn) == CONNECTION_BAD || ends_session(state)) {
		/* libpq sees the socket close only after handing over the server's
		 * FATAL: the SQLSTATE says it first */
		lost_error(db, whole, err);
		if (err && state)
			memcpy(err->sqlstate, state, strnlen(state, sizeof(err->sqlstate) - 1));
		return RT_ECONNECT;
	}
	if (primary)
		rt_error_set(err, RT_EDB, NULL, "%s", primary);
	else
		rt_error_set(err, RT_EDB, NULL, "%.*s", (int)strcspn(whole, "\n"), whole);
	const char *detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *hint = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_HINT) : NULL;
	const char *context = r ? PQresultErrorField(r, PG_DIAG_CONTEXT) : NULL;
	const char *pos = r ? PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION) : NULL;
	if (err && state)
		memcpy(err->sqlstate, state, strnlen(state, sizeof(err->sqlstate) - 1));
	if (detail && context)
		rt_error_detail(err, "%s\ncontext: %s", detail, context);
	else if (detail || context)
		rt_error_detail(err, detail ? "%s" : "context: %s", detail ? detail : context);
	if (hint)
		rt_error_hint(err, "%s", hint);
	if (res && pos)
		res->error_position = (int)strtol(pos, NULL, 10);
	return RT_EDB;
}

static void fill_result(rt_arena *arena, PGresult *r, rt_db_result *res)
{
	const char *tag = PQcmdStatus(r);
	res->command = arena ? rt_strdup(arena, tag) : NULL;
	const char *n = PQcmdTuples(r);
	res->affected = *n ? strtoull(n, NULL, 10) : 0;
	if (!arena || PQresultStatus(r) != PGRES_TUPLES_OK)
		return;
	res->nrows = (size_t)PQntuples(r);
	res->ncols = (size_t)PQnfields(r);
	res->colnames = rt_alloc_array(arena, res->ncols ? res->ncols : 1, sizeof(char *));
	for (size_t j = 0; j < res->ncols; j++)
		res->colnames[j] = rt_strdup(arena, PQfname(r, (int)j));
	size_t cells = res->nrows * res->ncols;
	res->cells = rt_alloc_array(arena, cells ? cells : 1, sizeof(char *));
	for (size_t i = 0; i < res->nrows; i++)
		for (size_t j = 0; j < res->ncols; j++)
			if (!PQgetisnull(r, (int)i, (int)j))
				res->cells[i * res->ncols + j] =
					rt_strndup(arena, PQgetvalue(r, (int)i, (int)j),
					           (size_t)PQgetlength(r, (int)i, (int)j));
}

/* Ends a COPY the server started: retort has no data to send or take. */
static int refuse_copy(rt_db *db, PGresult *r, rt_error *err)
{
	bool in = PQresultStatus(r) == PGRES_COPY_IN;
	PQclear(r);
	if (in) {
		PQputCopyEnd(db->conn, "retort does not send COPY data");
	} else {
		char *row;
		while (PQgetCopyData(db->conn, &row, 0) > 0)
			PQfreemem(row);
	}
	while ((r = PQgetResult(db->conn)))
		PQclear(r);
	if (PQstatus(db->conn) == CONNECTION_BAD)
		return lost_error(db, PQerrorMessage(db->conn), err);
	rt_error_set(err, RT_EUNSUPPORTED, NULL, "'COPY ... %s' is not supported",
	             in ? "FROM STDIN" : "TO STDOUT");
	rt_error_hint(err, in ? "load the data with INSERT statements, or COPY from a file on "
	                        "the server"
	                      : "COPY to a file on the server, or SELECT the rows");
	return RT_EUNSUPPORTED;
}

static int finish(rt_db *db, rt_arena *arena, PGresult *r, rt_db_result *res, rt_error *err)
{
	int rc;
	switch (r ? PQresultStatus(r) : PGRES_FATAL_ERROR) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		if (res)
			fill_result(arena, r, res);
		rc = RT_OK;
		break;
	case PGRES_COPY_IN:
	case PGRES_COPY_OUT:
		return refuse_copy(db, r, err);
	default:
		rc = server_error(db, r, res, err);
		break;
	}
	PQclear(r);
	return rc;
}

static int check_open(rt_db *db, rt_error *err)
{
	if (db->conn && !db->lost)
		return RT_OK;
	return lost_error(db, db->conn ? NULL : "the session was closed", err);
}

void rt_db_on_wait(rt_db *db, rt_db_wait_fn fn, void *ctx, int interval_ms)
{
	db->on_wait = fn;
	db->wait_ctx = ctx;
	db->wait_ms = interval_ms > 0 ? interval_ms : 500;
}

/* Until an answer can be read without blocking, calling the wait hook every
 * wait_ms: the statement runs in the server meanwhile. A failing socket is
 * left for PQgetResult to report. */
static void await_answer(rt_db *db)
{
	PGconn *c = db->conn;
	while (db->on_wait && PQisBusy(c)) {
		struct pollfd pfd = { .fd = PQsocket(c), .events = POLLIN };
		int n = poll(&pfd, 1, db->wait_ms);
		if (n < 0 && errno != EINTR)
			return;
		if (n == 0)
			db->on_wait(db->wait_ctx);
		else if (n > 0 && !PQconsumeInput(c))
			return;
	}
}

/* PQexec, with the wait hook while the server works: the last result, or the
 * first error (PQexec's choice), and nothing after a COPY starts. */
static PGresult *exec_awaiting(rt_db *db, const char *sql)
{
	if (!PQsendQuery(db->conn, sql))
		return NULL;
	PGresult *keep = NULL, *r;
	for (;;) {
		await_answer(db);
		if (!(r = PQgetResult(db->conn)))
			break;
		ExecStatusType st = PQresultStatus(r);
		if (keep && PQresultStatus(keep) == PGRES_FATAL_ERROR) {
			PQclear(r);
			continue;
		}
		PQclear(keep);
		keep = r;
		if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH)
			break;
	}
	return keep;
}

int rt_db_exec(rt_db *db, rt_arena *arena, const char *sql, rt_db_result *res, rt_error *err)
{
	if (res)
		memset(res, 0, sizeof(*res));
	int rc = check_open(db, err);
	if (rc < 0)
		return rc;
	PGresult *r = db->on_wait ? exec_awaiting(db, sql) : PQexec(db->conn, sql);
	return finish(db, arena, r, res, err);
}

int db_query(rt_db *db, rt_arena *arena, const char *sql, int nparams,
             const char *const *params, rt_db_result *res, rt_error *err)
{
	if (res)
		memset(res, 0, sizeof(*res));
	int rc = check_open(db, err);
	if (rc < 0)
		return rc;
	PGresult *r = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	return finish(db, arena, r, res, err);
}

int db_exec_multi(rt_db *db, rt_arena *arena, const char *sql, rt_db_result *res, size_t n,
                  size_t *done, rt_error *err)
{
	memset(res, 0, n * sizeof(*res));
	*done = 0;
	int rc = check_open(db, err);
	if (rc < 0)
		return rc;
	if (!PQsendQuery(db->conn, sql))
		return lost_error(db, PQerrorMessage(db->conn), err);
	PGresult *r;
	size_t i = 0;
	while ((r = PQgetResult(db->conn))) {
		if (rc < 0 || i >= n) {
			PQclear(r); /* after a failure only the trailing results are left */
			continue;
		}
		rc = finish(db, arena, r, &res[i], err);
		if (rc == RT_OK)
			*done = ++i;
	}
	if (rc == RT_OK && i < n) /* a statement the server never answered */
		return lost_error(db, PQerrorMessage(db->conn), err);
	return rc;
}

/* COMMIT of a failed transaction "succeeds" with the tag ROLLBACK. */
static int rolled_back_error(rt_error *err)
{
	rt_error_set(err, RT_EDB, NULL, "the transaction was rolled back instead of committed");
	rt_error_hint(err, "an earlier statement in it failed; its error is the one to fix");
	return RT_EDB;
}

/* Sends the batch without blocking on a full socket: reading the server's
 * answers meanwhile keeps both sides from waiting on each other. */
static bool send_batch(rt_db *db, const rt_db_stmt *stmts, size_t n)
{
	PGconn *c = db->conn;
	if (PQsetnonblocking(c, 1) != 0 || !PQenterPipelineMode(c))
		return false;
	bool ok = true;
	/* a Flush behind each statement: the server otherwise holds every answer
	 * until the Sync, and a step would be reported done (and the next one
	 * started) only when the batch behind its COMMIT had finished */
	for (size_t i = 0; ok && i < n; i++)
		ok = PQsendQueryParams(c, stmts[i].sql, stmts[i].nparams, NULL, stmts[i].params, NULL,
		                       NULL, 0) == 1 &&
		     PQsendFlushRequest(c) == 1;
	ok = ok && PQpipelineSync(c) == 1;
	int f;
	while (ok && (f = PQflush(c)) != 0) {
		if (f < 0)
			return false;
		struct pollfd pfd = { .fd = PQsocket(c), .events = POLLIN | POLLOUT };
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return false;
		if ((pfd.revents & POLLIN) && !PQconsumeInput(c))
			return false;
	}
	return ok && PQsetnonblocking(c, 0) == 0;
}

int rt_db_exec_batch(rt_db *db, rt_db_stmt *stmts, size_t n, rt_db_batch_fn each, void *ctx,
                     size_t *failed, int *error_position, rt_error *err)
{
	*failed = 0;
	*error_position = 0;
	int rc = check_open(db, err);
	if (rc < 0 || n == 0)
		return rc;
	if (!send_batch(db, stmts, n)) {
		PQsetnonblocking(db->conn, 0);
		/* a pipeline libpq refused to start has nothing pending */
		if (PQpipelineStatus(db->conn) == PQ_PIPELINE_OFF && PQstatus(db->conn) == CONNECTION_OK)
			return rt_error_set(err, RT_ERROR, NULL, "could not send a batch: %s",
			                    PQerrorMessage(db->conn));
		return lost_error(db, PQerrorMessage(db->conn), err);
	}
	/* one result then NULL per statement (PIPELINE_ABORTED after a failure),
	 * then the Sync's */
	rc = RT_OK;
	for (size_t i = 0; i < n; i++) {
		await_answer(db);
		PGresult *r = PQgetResult(db->conn);
		if (!r) {
			*failed = i;
			return lost_error(db, PQerrorMessage(db->conn), err);
		}
		ExecStatusType st = PQresultStatus(r);
		if (rc == RT_OK && st != PGRES_PIPELINE_ABORTED) {
			bool rolled_back = st == PGRES_COMMAND_OK && strcmp(stmts[i].sql, "COMMIT") == 0 &&
			                   strcmp(PQcmdStatus(r), "ROLLBACK") == 0;
			rt_db_result res = { 0 };
			if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT) {
				PQclear(r);
				rc = rt_error_set(err, RT_EUNSUPPORTED, NULL, "COPY cannot run in a batch");
			} else {
				rc = finish(db, NULL, r, &res, err);
			}
			stmts[i].affected = res.affected;
			if (rc == RT_OK && rolled_back)
				rc = rolled_back_error(err);
			if (rc < 0) {
				*failed = i;
				*error_position = res.error_position;
				if (rt_db_lost(db))
					return rc;
			} else if (each) {
				each(ctx, i);
			}
		} else {
			PQclear(r);
		}
		while ((r = PQgetResult(db->conn)))
			PQclear(r);
	}
	PGresult *r = PQgetResult(db->conn);
	bool synced = r && PQresultStatus(r) == PGRES_PIPELINE_SYNC;
	PQclear(r);
	if (!synced || !PQexitPipelineMode(db->conn)) {
		if (rc < 0)
			return rc;
		*failed = n - 1;
		return lost_error(db, PQerrorMessage(db->conn), err);
	}
	return rc;
}

int rt_db_begin(rt_db *db, rt_error *err)
{
	return rt_db_exec(db, NULL, "BEGIN", NULL, err);
}

int rt_db_commit(rt_db *db, rt_error *err)
{
	int rc = check_open(db, err);
	if (rc < 0)
		return rc;
	PGresult *r = PQexec(db->conn, "COMMIT");
	bool rolled_back = PQresultStatus(r) == PGRES_COMMAND_OK &&
	                   strcmp(PQcmdStatus(r), "ROLLBACK") == 0;
	rc = finish(db, NULL, r, NULL, err);
	return rc == RT_OK && rolled_back ? rolled_back_error(err) : rc;
}

int rt_db_rollback(rt_db *db, rt_error *err)
{
	if (!db->conn || db->lost || !rt_db_in_transaction(db))
		return RT_OK; /* a lost session's transaction was rolled back by the server */
	return rt_db_exec(db, NULL, "ROLLBACK", NULL, err);
}

bool rt_db_in_transaction(const rt_db *db)
{
	if (!db->conn)
		return false;
	PGTransactionStatusType s = PQtransactionStatus(db->conn);
	return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}
