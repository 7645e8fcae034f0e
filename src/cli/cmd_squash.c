/*
 * retort squash --to REV [--from FROM] -m MSG: replace a range of revisions by
 * one whose sidecar .sql holds every step's statements, re-point REV's children
 * to it, archive the squashed files, and say how to stamp existing databases.
 * Everything is computed and checked first; then the writes, each reported.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "retort/checksum.h"
#include "retort/newrev.h"
#include "retort/rewrite.h"
#include "retort/source.h"
#include "retort/sqlfile.h"
#include "retort/squash.h"

struct squash_opts {
	const char *to, *from, *message, *archive, *rev_id;
	bool keep, dry_run;
};
/* Copied from ctx->opts when the command runs (until this file moves to src/author). */
static struct squash_opts o;
#define AT(member) CLI_OPT_AT(struct squash_opts, member)

static const struct cli_opt opts[] = {
	{ 0, "to", CLI_OPT_STRING, AT(to), "REV", "the newest revision to squash (required)" },
	{ 0, "from", CLI_OPT_STRING, AT(from), "REV",
	  "the revision kept below the range, the new one's parent (default: base)" },
	{ 'm', "message", CLI_OPT_STRING, AT(message), "MSG", "the new revision's message (required)" },
	{ 0, "rev-id", CLI_OPT_STRING, AT(rev_id), "ID", "this id instead of a random one" },
	{ 0, "archive", CLI_OPT_STRING, AT(archive), "DIR",
	  "where the squashed files go (default: <script_location>/squashed/<new id>)" },
	{ 0, "keep", CLI_OPT_FLAG, AT(keep), NULL, "leave the squashed files where they are" },
	{ 0, "dry-run", CLI_OPT_FLAG, AT(dry_run), NULL, "print what would be done; write nothing" },
	{ 0 },
};

/* A file to rewrite (a child) or to move (a member's file). */
typedef struct action {
	const char *path;
	const char *dest;    /* move: the path in the archive */
	rt_buf text;         /* rewrite: the new content */
	bool done;
} action;

typedef struct job {
	struct cli_ctx *ctx;
	rt_squash sq;
	rt_newrev nr;
	const char *location;  /* the version location the new files go into */
	const char *py_path;   /* predicted, then actual */
	const char *sql_path;
	rt_buf sql;
	action *rewrites, *moves;
	size_t nrewrites, nmoves;
	const char *archive;
	bool written;          /* the new revision's files exist */
} job;

/* ---- shell text for the printed commands ---- */

static void put_arg(rt_buf *b, const char *s)
{
	rt_buf_putc(b, ' ');
	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	                   "_./:@%+=,-") == strlen(s)) {
		rt_buf_puts(b, s);
		return;
	}
	rt_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			rt_buf_puts(b, "'\\''");
		else
			rt_buf_putc(b, *s);
	}
	rt_buf_putc(b, '\'');
}

/* The global flags this run was given that a later retort run needs too. */
static void retort_flags(rt_buf *b, struct cli_ctx *ctx)
{
	const rt_config_overrides *ov = ctx->ov;
	static const char *const names[] = { "-c", "-d", "-s", "--version-table",
		                             "--version-table-schema", "--history-table" };
	const char *values[] = {
		ov->config_path,
		ov->database_url ? rt_url_mask(ctx->arena, ov->database_url) : NULL,
		ov->script_location, ov->version_table, ov->version_table_schema, ov->history_table,
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (values[i]) {
			rt_buf_printf(b, " %s", names[i]);
			put_arg(b, values[i]);
		}
	}
	for (size_t k = 0; k < ov->version_locations.n; k++) {
		rt_buf_puts(b, " --version-location");
		put_arg(b, ov->version_locations.v[k]);
	}
}

/* What to run on databases that exist already; also the JSON members. */
static void advice(job *j, rt_buf *stamp_retort, rt_buf *stamp_alembic, rt_buf *repair)
{
	struct cli_ctx *ctx = j->ctx;
	rt_buf_puts(stamp_retort, "retort");
	retort_flags(stamp_retort, ctx);
	rt_buf_puts(stamp_retort, " stamp --purge");
	put_arg(stamp_retort, j->nr.rev_id);
	if (ctx->cfg->ini_path) {
		rt_buf_puts(stamp_alembic, "alembic");
		const char *ini = cli_relpath(ctx->cfg->ini_path);
		if (strcmp(ini, "alembic.ini") != 0) {
			rt_buf_puts(stamp_alembic, " -c");
			put_arg(stamp_alembic, ini);
		}
		rt_buf_puts(stamp_alembic, " stamp --purge");
		put_arg(stamp_alembic, j->nr.rev_id);
	}
	if (j->sq.children.n) {
		rt_buf_puts(repair, "retort");
		retort_flags(repair, ctx);
		rt_buf_puts(repair, " repair");
		for (size_t i = 0; i < j->sq.children.n; i++)
			put_arg(repair, j->sq.children.v[i]->id);
	}
}

static void print_advice(job *j, const rt_buf *sr, const rt_buf *sa, const rt_buf *rp)
{
	struct cli_ctx *ctx = j->ctx;
	const char *to = j->sq.to->id, *id = j->nr.rev_id;
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "\nDatabases at %s (the version table holds '%s') must be stamped once, "
	                  "with either tool:\n  %s\n", to, to, rt_buf_cstr(sr));
	if (sa->len)
		rt_buf_printf(&b, "  %s\n", rt_buf_cstr(sa));
	rt_buf_puts(&b, "  (--purge empties the version table first: it is the only way past a "
	                "revision that no file declares any more");
	rt_revlist heads = { 0 };
	rt_graph_heads(ctx->graph, &heads, ctx->arena);
	if (heads.n > 1)
		rt_buf_printf(&b, "; a database that also holds other branches' rows must name "
		                  "them too: stamp --purge %s OTHER...", id);
	rt_buf_puts(&b, ")\n");
	if (rp->len) {
		rt_buf_puts(&b, "Databases past it (at ");
		for (size_t i = 0; i < j->sq.children.n; i++)
			rt_buf_printf(&b, "%s%s", i ? " or " : "", j->sq.children.v[i]->id);
		rt_buf_printf(&b, " or later) need nothing under Alembic; retort sees the re-pointed "
		                  "file%s as changed, so record %s once:\n  %s\n",
		              j->sq.children.n > 1 ? "s" : "", j->sq.children.n > 1 ? "them" : "it",
		              rt_buf_cstr(rp));
		if (j->sq.children.n > 1)
			rt_buf_puts(&b, "  (name only the children the database has applied)\n");
	}
	rt_buf_printf(&b, "Databases inside the range (below %s) must first run 'upgrade %s' "
	                  "with the files as they were before this squash; new databases just "
	                  "run %s.\n", to, to, id);
	cli_write(ctx->out, &b);
	rt_buf_release(&b);
}

/* ---- computing ---- */

/* The version location holding path (the new files go beside REV). */
static const char *location_of(const rt_config *cfg, const char *path)
{
	for (size_t i = 0; i < cfg->version_locations.n; i++) {
		const char *l = cfg->version_locations.v[i];
		size_t n = strlen(l);
		if (strncmp(path, l, n) == 0 && path[n] == '/')
			return l;
	}
	return NULL;
}

/* path with its links and dots resolved, also when its tail does not exist yet. */
static const char *resolved(rt_arena *arena, const char *path)
{
	char buf[PATH_MAX];
	if (realpath(path, buf))
		return rt_strdup(arena, buf);
	const char *slash = strrchr(path, '/');
	if (!slash)
		return realpath(".", buf) ? rt_sprintf(arena, "%s/%s", buf, path) : path;
	if (slash == path)
		return path;
	const char *dir = resolved(arena, rt_strndup(arena, path, (size_t)(slash - path)));
	return rt_sprintf(arena, "%s%s", dir, slash);
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 || errno != ENOENT;
}

/* The new text of each child, with REV replaced by the new id. */
static int plan_rewrites(job *j, rt_error *err)
{
	struct cli_ctx *ctx = j->ctx;
	j->nrewrites = j->sq.children.n;
	j->rewrites = rt_alloc_array(ctx->arena, j->nrewrites, sizeof(*j->rewrites));
	for (size_t i = 0; i < j->nrewrites; i++) {
		const rt_revision *c = j->sq.children.v[i];
		action *a = &j->rewrites[i];
		a->path = c->path;
		rt_strv parents = { 0 };
		for (size_t k = 0; k < c->down.n; k++)
			rt_strv_push(ctx->arena, &parents, strcmp(c->down.v[k], j->sq.to->id) == 0
			                                       ? j->nr.rev_id : c->down.v[k]);
		rt_source *src;
		int rc = rt_source_load(&src, ctx->arena, c->path, err);
		if (rc < 0)
			return rc;
		rt_diags diags;
		rt_diags_init(&diags, ctx->arena);
		if (c->origin == RT_REV_SQL) {
			rt_sqlfile *sf;
			rt_sqlfile_parse(&sf, ctx->arena, src, RT_SQLFILE_STANDALONE, &diags);
			rc = sf->header_ok ? rt_rewrite_sql_down_revision(&a->text, NULL, sf, &parents,
			                                                  err)
			                   : rt_error_set(err, RT_ESYNTAX, &c->loc,
			                                  "'%s' no longer reads as it did", c->path);
		} else {
			rt_revfile *rf;
			rt_revfile_read(&rf, ctx->arena, src, &diags);
			rc = rf ? rt_rewrite_down_revision(&a->text, rf, &parents, err)
			        : rt_error_set(err, RT_ESYNTAX, &c->loc, "'%s' no longer reads as it did",
			                       c->path);
		}
		if (rc < 0) {
			rt_error_hint(err, "'%s' revises '%s' and must be re-pointed; edit its "
			                   "down_revision into a plain literal, or squash up to another "
			                   "revision", c->id, j->sq.to->id);
			return rc;
		}
	}
	return RT_OK;
}

/* Every file of every member goes to the archive, under its own name. */
static int plan_moves(job *j, rt_error *err)
{
	struct cli_ctx *ctx = j->ctx;
	const char *top = cli_relpath(ctx->cfg->script_location);
	if (o.archive)
		j->archive = o.archive;
	else if (strcmp(top, ".") == 0)
		j->archive = rt_sprintf(ctx->arena, "squashed/%s", j->nr.rev_id);
	else
		j->archive = rt_sprintf(ctx->arena, "%s/squashed/%s", top, j->nr.rev_id);
	const char *real = resolved(ctx->arena, j->archive);
	for (size_t i = 0; i < ctx->cfg->version_locations.n; i++) {
		const char *l = resolved(ctx->arena, ctx->cfg->version_locations.v[i]);
		size_t n = strlen(l);
		if (strncmp(real, l, n) == 0 && (real[n] == '/' || real[n] == '\0')) {
			rt_error_set(err, RT_EUSAGE, NULL, "the archive folder '%s' is inside the version "
			             "location '%s', where the squashed files would still be loaded",
			             j->archive, ctx->cfg->version_locations.v[i]);
			rt_error_hint(err, "choose a folder outside every version location with "
			                   "--archive DIR");
			return RT_EUSAGE;
		}
	}
	j->moves = rt_alloc_array(ctx->arena, 2 * j->sq.members.n, sizeof(*j->moves));
	for (size_t i = 0; i < j->sq.members.n; i++) {
		const rt_revision *m = j->sq.members.v[i];
		const char *files[] = { m->path, m->sidecar_path };
		for (size_t k = 0; k < 2 && files[k]; k++) {
			const char *slash = strrchr(files[k], '/');
			const char *dest = rt_sprintf(ctx->arena, "%s/%s", j->archive,
			                              slash ? slash + 1 : files[k]);
			for (size_t x = 0; x < j->nmoves; x++)
				if (strcmp(j->moves[x].dest, dest) == 0)
					return rt_error_set(err, RT_EUSAGE, NULL, "'%s' and '%s' would both be "
					                    "archived as '%s'", j->moves[x].path, files[k], dest);
			if (exists(dest)) {
				rt_error_set(err, RT_EUSAGE, NULL, "'%s' exists already", dest);
				rt_error_hint(err, "choose another folder with --archive DIR");
				return RT_EUSAGE;
			}
			j->moves[j->nmoves++] = (action){ .path = files[k], .dest = dest };
		}
	}
	return RT_OK;
}

/* The new revision's id, file names and metadata. */
static int plan_revision(job *j, rt_error *err)
{
	struct cli_ctx *ctx = j->ctx;
	rt_newrev *nr = &j->nr;
	nr->message = o.message;
	if (j->sq.from)
		rt_strv_push(ctx->arena, &nr->down, j->sq.from->id);
	nr->labels = j->sq.labels;
	char *id = rt_alloc(ctx->arena, 13);
	int rc;
	if (o.rev_id)
		nr->rev_id = o.rev_id;
	else if ((rc = rt_random_rev_id(id, err)) < 0)
		return rc;
	else
		nr->rev_id = id;
	if ((rc = rt_newrev_validate(nr, err)) < 0)
		return rc;
	if (rt_graph_get(ctx->graph, nr->rev_id))
		return rt_error_set(err, RT_EUSAGE, NULL, "revision '%s' already exists", nr->rev_id);
	j->location = location_of(ctx->cfg, j->sq.to->path);
	if ((rc = rt_newrev_now(&nr->date, ctx->cfg->timezone, err)) < 0)
		return rc;
	rt_buf path = RT_BUF_INIT;
	rt_buf_printf(&path, "%s/", j->location ? j->location : ".");
	rc = rt_newrev_filename(&path, ctx->cfg->file_template, ctx->cfg->truncate_slug_length, nr,
	                        err);
	j->py_path = rt_strdup(ctx->arena, rt_buf_cstr(&path));
	rt_buf_release(&path);
	if (rc < 0)
		return rc;
	j->sql_path = rt_sprintf(ctx->arena, "%.*s.sql", (int)(strlen(j->py_path) - 3), j->py_path);
	if (exists(j->py_path) || exists(j->sql_path))
		return rt_error_set(err, RT_EUSAGE, NULL, "'%s' exists already",
		                    exists(j->py_path) ? j->py_path : j->sql_path);
	return RT_OK;
}

/* The graph afterwards must pass what `retort check` checks. */
static int check_after(job *j, rt_error *err)
{
	struct cli_ctx *ctx = j->ctx;
	rt_revision *n = rt_alloc(ctx->arena, sizeof(*n));
	n->id = j->nr.rev_id;
	n->down = j->nr.down;
	n->labels = j->nr.labels;
	n->message = j->nr.message;
	n->path = j->py_path;
	n->sidecar_path = j->sql_path;
	n->loc = (rt_loc){ .path = j->py_path };
	n->load_order = j->sq.to->load_order;
	rt_diags diags;
	rt_diags_init(&diags, ctx->arena);
	rt_graph *after;
	if (rt_squash_graph(&after, ctx->arena, ctx->graph, &j->sq, n, &diags) == RT_OK)
		return RT_OK;
	cli_print_diags(ctx, &diags);
	return rt_error_set(err, RT_EGRAPH, NULL, "cannot squash: the revision graph afterwards "
	                    "would have %zu error%s (listed above)", diags.errors,
	                    diags.errors == 1 ? "" : "s");
}

/* ---- doing ---- */

static int mkdirs(rt_arena *arena, const char *path, rt_error *err)
{
	const char *slash = strrchr(path, '/');
	if (slash && slash != path) {
		int rc = mkdirs(arena, rt_strndup(arena, path, (size_t)(slash - path)), err);
		if (rc < 0)
			return rc;
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		return rt_error_set(err, RT_EOS, NULL, "cannot create '%s': %s", path, strerror(errno));
	return RT_OK;
}

static int move_file(rt_arena *arena, const action *a, rt_error *err)
{
	if (rename(a->path, a->dest) == 0)
		return RT_OK;
	if (errno != EXDEV)
		return rt_error_set(err, RT_EOS, NULL, "cannot move '%s' to '%s': %s", a->path, a->dest,
		                    strerror(errno));
	/* another file system: copy (never over an existing file), then remove */
	rt_source *src;
	int rc = rt_source_load(&src, arena, a->path, err);
	if (rc < 0)
		return rc;
	rt_buf text = RT_BUF_INIT;
	rt_buf_add(&text, src->text, src->len);
	rc = rt_newrev_write(a->dest, &text, err);
	rt_buf_release(&text);
	if (rc == RT_OK && unlink(a->path) != 0)
		rc = rt_error_set(err, RT_EOS, NULL, "copied '%s' to '%s' but cannot remove it: %s",
		                  a->path, a->dest, strerror(errno));
	return rc;
}

static void step_line(job *j, const char *verb, const char *what, const char *result)
{
	if (j->ctx->format != RT_FORMAT_JSON && j->ctx->verbosity >= 0)
		fprintf(j->ctx->out, "%s %s ...  %s\n", verb, what, result);
}

/* After a failure midway: what is on disk now, and what is not. */
static void report_partial(job *j, rt_error *err)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, "done:");
	size_t done = 0, left = 0;
	if (j->written) {
		rt_buf_printf(&b, " wrote '%s' and '%s';", j->py_path, j->sql_path);
		done++;
	}
	for (size_t i = 0; i < j->nrewrites; i++)
		if (j->rewrites[i].done && ++done)
			rt_buf_printf(&b, " re-pointed '%s';", j->rewrites[i].path);
	for (size_t i = 0; i < j->nmoves; i++)
		if (j->moves[i].done && ++done)
			rt_buf_printf(&b, " moved '%s';", j->moves[i].path);
	if (!done)
		rt_buf_puts(&b, " nothing;");
	rt_buf_puts(&b, " not done:");
	for (size_t i = 0; i < j->nrewrites; i++)
		if (!j->rewrites[i].done && ++left)
			rt_buf_printf(&b, " re-point '%s';", j->rewrites[i].path);
	size_t moves = 0;
	for (size_t i = 0; i < j->nmoves; i++)
		moves += !j->moves[i].done;
	if (moves && ++left)
		rt_buf_printf(&b, " archive %zu file%s of the range to '%s/';", moves,
		              moves == 1 ? "" : "s", j->archive);
	rt_buf_truncate(&b, b.len - 1);
	rt_error_detail(err, "%s", rt_buf_cstr(&b));
	rt_error_hint(err, "fix the cause and finish the steps not done by hand, or undo the ones "
	                   "done (e.g. with git)");
	rt_buf_release(&b);
}

static int apply(job *j, rt_error *err)
{
	struct cli_ctx *ctx = j->ctx;
	/* the archive folder first: a failure there leaves the project untouched */
	int rc;
	if (j->nmoves && (rc = mkdirs(ctx->arena, j->archive, err)) < 0)
		return rc;
	const char *py;
	if ((rc = cli_write_revision(ctx, &j->nr, j->location, &j->sql, &py, err)) < 0)
		return rc; /* nothing written */
	j->written = true;
	j->py_path = py;
	j->sql_path = rt_sprintf(ctx->arena, "%.*s.sql", (int)(strlen(py) - 3), py);
	for (size_t i = 0; i < j->nrewrites; i++) {
		action *a = &j->rewrites[i];
		if ((rc = rt_rewrite_file(a->path, &a->text, err)) < 0)
			goto partial;
		a->done = true;
		step_line(j, "Re-pointing", rt_sprintf(ctx->arena, "%s to %s", a->path, j->nr.rev_id),
		          "done");
	}
	for (size_t i = 0; i < j->nmoves; i++) {
		action *a = &j->moves[i];
		if ((rc = move_file(ctx->arena, a, err)) < 0)
			goto partial;
		a->done = true;
		step_line(j, "Archiving", rt_sprintf(ctx->arena, "%s to %s/", a->path, j->archive),
		          "done");
	}
	return RT_OK;
partial:
	report_partial(j, err);
	return rc;
}

static void print_preview(job *j)
{
	struct cli_ctx *ctx = j->ctx;
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "Squashing %zu revision%s after %s up to %s into %s:\n", j->sq.members.n,
	              j->sq.members.n == 1 ? "" : "s", j->sq.from ? j->sq.from->id : "base",
	              j->sq.to->id, j->nr.rev_id);
	for (size_t i = 0; i < j->sq.members.n; i++) {
		const rt_revision *m = j->sq.members.v[i];
		rt_buf_printf(&b, "  %s %s\n", m->id, m->message ? m->message : "");
	}
	if (o.dry_run) {
		rt_buf_printf(&b, "Would write %s and %s\n", j->py_path, j->sql_path);
		for (size_t i = 0; i < j->nrewrites; i++)
			rt_buf_printf(&b, "Would re-point %s to %s\n", j->rewrites[i].path, j->nr.rev_id);
		for (size_t i = 0; i < j->nmoves; i++)
			rt_buf_printf(&b, "Would archive %s to %s/\n", j->moves[i].path, j->archive);
		if (ctx->verbosity > 0)
			rt_buf_printf(&b, "\n%s:\n%s", j->sql_path, rt_buf_cstr(&j->sql));
	}
	cli_write(ctx->out, &b);
	rt_buf_release(&b);
}

static void put_ids(rt_buf *f, const char *key, const rt_revlist *l)
{
	rt_buf_printf(f, ",\"%s\":[", key);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			rt_buf_putc(f, ',');
		rt_buf_json_str(f, l->v[i]->id);
	}
	rt_buf_putc(f, ']');
}

static void json_event(job *j, const rt_buf *sr, const rt_buf *sa, const rt_buf *rp)
{
	rt_buf f = RT_BUF_INIT;
	rt_buf_printf(&f, "\"dry_run\":%s,\"id\":", o.dry_run ? "true" : "false");
	rt_buf_json_str(&f, j->nr.rev_id);
	rt_buf_puts(&f, ",\"path\":");
	rt_buf_json_str(&f, j->py_path);
	rt_buf_puts(&f, ",\"sql_path\":");
	rt_buf_json_str(&f, j->sql_path);
	rt_buf_puts(&f, ",\"from\":");
	rt_buf_json_str(&f, j->sq.from ? j->sq.from->id : NULL);
	rt_buf_puts(&f, ",\"to\":");
	rt_buf_json_str(&f, j->sq.to->id);
	put_ids(&f, "members", &j->sq.members);
	put_ids(&f, "children", &j->sq.children);
	rt_buf_putc(&f, ',');
	cli_json_strv(&f, "labels", &j->sq.labels);
	rt_buf_puts(&f, ",\"archive\":");
	rt_buf_json_str(&f, j->nmoves ? j->archive : NULL);
	rt_buf_puts(&f, ",\"archived\":[");
	for (size_t i = 0; i < j->nmoves; i++) {
		if (i)
			rt_buf_putc(&f, ',');
		rt_buf_json_str(&f, j->moves[i].path);
	}
	rt_buf_puts(&f, "],\"stamp\":[");
	rt_buf_json_str(&f, rt_buf_cstr(sr));
	if (sa->len) {
		rt_buf_putc(&f, ',');
		rt_buf_json_str(&f, rt_buf_cstr(sa));
	}
	rt_buf_puts(&f, "],\"repair\":");
	rt_buf_json_str(&f, rp->len ? rt_buf_cstr(rp) : NULL);
	cli_json_event(j->ctx, "squash", &f);
	rt_buf_release(&f);
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	o = *(const struct squash_opts *)ctx->opts;
	if (cli_expect_args(ctx, args, 0, 0, err) < 0)
		return err->code;
	if (!o.to || !o.message)
		return rt_error_set(err, RT_EUSAGE, NULL, "squash needs --to REV and -m MSG");
	job j = { .ctx = ctx, .sql = RT_BUF_INIT };
	int rc = rt_squash_range(&j.sq, ctx->arena, ctx->graph, o.to, o.from, err);
	if (rc == RT_OK)
		rc = plan_revision(&j, err);
	if (rc == RT_OK)
		rc = rt_squash_sql(&j.sql, ctx->arena, ctx->graph, &j.sq, ctx->cfg, j.sql_path, err);
	if (rc == RT_OK)
		rc = plan_rewrites(&j, err);
	if (rc == RT_OK && !o.keep)
		rc = plan_moves(&j, err);
	if (rc == RT_OK)
		rc = check_after(&j, err);
	if (rc == RT_OK && ctx->format != RT_FORMAT_JSON && ctx->verbosity >= 0)
		print_preview(&j);
	if (rc == RT_OK && !o.dry_run)
		rc = apply(&j, err);
	if (rc == RT_OK) {
		rt_buf sr = RT_BUF_INIT, sa = RT_BUF_INIT, rp = RT_BUF_INIT;
		advice(&j, &sr, &sa, &rp);
		if (ctx->format == RT_FORMAT_JSON) {
			json_event(&j, &sr, &sa, &rp);
		} else {
			if (o.dry_run)
				fputs("Dry run: nothing written.\n", ctx->out);
			else if (o.keep)
				fprintf(ctx->err, "retort: warning: the squashed files were kept: until they "
				        "are removed, '%s' is a second head of the project\n", j.sq.to->id);
			print_advice(&j, &sr, &sa, &rp);
		}
		rt_buf_release(&sr);
		rt_buf_release(&sa);
		rt_buf_release(&rp);
	}
	for (size_t i = 0; i < j.nrewrites; i++)
		rt_buf_release(&j.rewrites[i].text);
	rt_buf_release(&j.sql);
	return rc;
}

const struct cli_cmd cli_cmd_squash = {
	.name = "squash",
	.args = "--to REV [--from REV] -m MSG [--rev-id ID] [--archive DIR] [--keep] [--dry-run]",
	.summary = "replace a range of revisions by one; re-point its children; archive the files",
	.opts = opts,
	.flags = CLI_NEED_GRAPH,
	.opts_size = sizeof(struct squash_opts),
	.run = run,
};
