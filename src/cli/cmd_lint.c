/*
 * retort lint [RANGE]: the lock and safety findings of every statement of
 * the upgrade steps in RANGE ([FROM:]TO, default every step up to the
 * heads), as `upgrade` would run them: statements from the same bodies
 * (translated op.* calls, sidecars, .sql files), transactions per step.
 * With a database given by -d or the environment: the pending steps, the
 * server's version, each table's size, findings ranked by impact.
 * Findings print at the op.* call or SQL line they come from; exit 8 when
 * one is at or above --fail-on (docs/lint.md).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "retort/lint.h"
#include "retort/step_source.h"

struct lint_opts {
	const char *fail_on, *pg_version;
	/* what validate read from them */
	rt_lint_severity fail_level;
	int pg_major; /* 0: not given */
};
#define AT(member) CLI_OPT_AT(struct lint_opts, member)

static const struct cli_opt opts[] = {
	{ 0, "fail-on", CLI_OPT_STRING, AT(fail_on), "LEVEL",
	  "exit 8 when a finding is at or above LEVEL: warning or error (default error)" },
	{ 0, "pg-version", CLI_OPT_STRING, AT(pg_version), "N",
	  "the PostgreSQL major version findings assume (default 15, or the server's)" },
	{ 0 },
};

struct tally {
	size_t revisions, statements, errors, warnings;
};

/* With a database, every finding is kept with its table's size, then ranked. */
struct ranked {
	const rt_revision *rev;
	rt_lint_finding fd;
	const rt_lint_facts *facts;
	long long bytes, rows; /* -1: unknown (no such table yet) */
};

struct online {
	struct cli_session s;
	bool open;
	struct ranked *v;
	size_t n, cap;
};

static const char *severity_name(rt_lint_severity s)
{
	return s == RT_LINT_ERROR ? "error" : "warning";
}

/* "file", "line" and "col", each always present */
#define LOC_FIELDS(loc) CLI_STR("file", (loc)->path), CLI_INT("line", (loc)->line), \
	CLI_INT("col", (loc)->col)

/* FILE:LINE:COL: SEVERITY: MESSAGE [RULE]
 *   revision R: KIND, LOCK on RELATION, rewrites|scans
 *   lock taken at FILE:LINE:COL */
static void finding_text(rt_buf *b, const rt_revision *rev, const rt_lint_finding *fd,
                         const rt_lint_facts *facts, const struct ranked *size)
{
	rt_loc_format(b, &fd->loc);
	rt_buf_printf(b, "%s: %s [%s]\n  revision %s: %s", severity_name(fd->rule->severity),
	              fd->message, fd->rule->id, rev->id, facts->kind);
	if (fd->relation)
		rt_buf_printf(b, ", %s on '%s'", rt_lockmode_name(fd->lock), fd->relation);
	if (fd->effects & RT_LINT_REWRITE)
		rt_buf_puts(b, ", rewrites the table");
	else if (fd->effects & RT_LINT_SCAN)
		rt_buf_puts(b, ", scans the table");
	if (size && size->bytes >= 0)
		rt_buf_printf(b, " (%lld MB, ~%lld rows)", (size->bytes + 524288) / 1048576, size->rows);
	rt_buf_putc(b, '\n');
	if (fd->has_holder) {
		rt_buf_puts(b, "  lock taken at ");
		rt_loc_format(b, &fd->holder_loc);
		rt_buf_truncate(b, b->len - 2); /* rt_loc_format's ": " */
		rt_buf_putc(b, '\n');
	}
}

/* One "finding" event; size (with a database) adds the table's size. Warnings
 * are hidden with -q, errors are the result. */
static void emit_finding(struct cli_ctx *ctx, const rt_revision *rev, const rt_lint_finding *fd,
                         const rt_lint_facts *facts, const struct ranked *size)
{
	rt_buf text = RT_BUF_INIT, holder = RT_BUF_INIT;
	finding_text(&text, rev, fd, facts, size);
	if (fd->has_holder)
		cli_json_object(&holder, CLI_FIELDS(LOC_FIELDS(&fd->holder_loc),
		                                    CLI_SIZE("statement_index", fd->holder_index),
		                                    CLI_STR("lock", rt_lockmode_name(fd->holder_lock)),
		                                    CLI_STR("relation", fd->holder_relation)));
	bool sized = size && size->bytes >= 0;
	cli_emit(ctx, &(struct cli_event){
		.name = "finding",
		.fields = CLI_FIELDS(
			CLI_STR("rule", fd->rule->id), CLI_STR("severity", severity_name(fd->rule->severity)),
			CLI_STR("message", fd->message), CLI_STR("revision", rev->id),
			CLI_SIZE("statement_index", fd->stmt_index), LOC_FIELDS(&fd->loc),
			CLI_STR("statement", facts->kind),
			CLI_STR("lock", fd->relation ? rt_lockmode_name(fd->lock) : NULL),
			CLI_STR("relation", fd->relation),
			CLI_BOOL("rewrite", fd->effects & RT_LINT_REWRITE),
			CLI_BOOL("scan", fd->effects & RT_LINT_SCAN),
			CLI_BOOL("no_transaction_block", fd->effects & RT_LINT_NO_TX),
			CLI_JSON_OPT("held_since", fd->has_holder ? rt_buf_cstr(&holder) : NULL),
			CLI_JSON_OPT("table_bytes", sized ? rt_sprintf(ctx->arena, "%lld", size->bytes) : NULL),
			CLI_JSON_OPT("row_estimate", sized ? rt_sprintf(ctx->arena, "%lld", size->rows) : NULL)),
		.text = rt_buf_cstr(&text),
		.text_flags = fd->rule->severity == RT_LINT_ERROR ? CLI_TEXT_ALWAYS : 0,
	});
	rt_buf_release(&text);
	rt_buf_release(&holder);
}

/* pg_class's size and row estimate of rel ("name" or "schema.name" as written), or -1. */
static void table_size(struct cli_ctx *ctx, struct online *on, struct ranked *r)
{
	r->bytes = r->rows = -1;
	if (!r->fd.relation)
		return;
	for (size_t i = 0; i < on->n; i++) { /* each table once */
		if (on->v[i].fd.relation && strcmp(on->v[i].fd.relation, r->fd.relation) == 0) {
			r->bytes = on->v[i].bytes;
			r->rows = on->v[i].rows;
			return;
		}
	}
	/* to_regclass reads a possibly qualified name: quote each part as an identifier,
	 * the whole as a literal */
	rt_buf q = RT_BUF_INIT;
	rt_buf_puts(&q, "SELECT c.relpages::bigint * current_setting('block_size')::bigint, "
	            "greatest(c.reltuples, 0)::bigint FROM pg_class c WHERE c.oid = to_regclass('\"");
	for (const char *p = r->fd.relation; *p; p++) {
		if (*p == '.')
			rt_buf_puts(&q, "\".\"");
		else if (*p == '"')
			rt_buf_puts(&q, "\"\"");
		else if (*p == '\'')
			rt_buf_puts(&q, "''");
		else
			rt_buf_putc(&q, *p);
	}
	rt_buf_puts(&q, "\"')");
	rt_db_result res;
	rt_error ignored = RT_ERROR_INIT; /* a size is a bonus: lint goes on without it */
	if (rt_db_exec(on->s.db, ctx->arena, rt_buf_cstr(&q), &res, &ignored) == RT_OK &&
	    res.nrows == 1 && rt_db_value(&res, 0, 0)) {
		r->bytes = atoll(rt_db_value(&res, 0, 0));
		r->rows = atoll(rt_db_value(&res, 0, 1));
	}
	rt_error_clear(&ignored);
	rt_buf_release(&q);
}

static void keep(struct cli_ctx *ctx, struct online *on, const rt_revision *rev,
                 const rt_lint_finding *fd, const rt_lint_facts *facts)
{
	if (on->n == on->cap) {
		size_t ncap = on->cap ? on->cap * 2 : 32;
		on->v = rt_realloc_array(ctx->arena, on->v, on->cap, ncap, sizeof *on->v);
		on->cap = ncap;
	}
	struct ranked r = { .rev = rev, .fd = *fd, .facts = facts };
	table_size(ctx, on, &r);
	on->v[on->n++] = r;
}

static int lint_step(struct cli_ctx *ctx, const rt_step *step, const rt_step_source *src,
                     rt_arena *tmp, const rt_lint_opts *lo, struct tally *t, struct online *on,
                     rt_error *err)
{
	rt_stmtlist stmts;
	int rc = rt_step_source_body(src, step, tmp, &stmts, err);
	if (rc < 0)
		return rt_error_prefix(err, "upgrade body of '%s'", step->rev->id);
	size_t nsql = 0; /* print() and logging calls send nothing */
	for (size_t i = 0; i < stmts.n; i++)
		if (!stmts.items[i]->echo)
			stmts.items[nsql++] = stmts.items[i];
	stmts.n = nsql;
	rt_lint_findings fs = { 0 };
	rt_lint_facts *facts;
	rc = rt_lint_body(&fs, &facts, tmp, &stmts, lo, err);
	if (rc < 0)
		return rt_error_prefix(err, "upgrade body of '%s'", step->rev->id);
	t->revisions++;
	t->statements += stmts.n;
	for (size_t i = 0; i < fs.n; i++) {
		const rt_lint_finding *fd = &fs.v[i];
		if (fd->rule->severity == RT_LINT_ERROR)
			t->errors++;
		else
			t->warnings++;
		if (on->open)
			keep(ctx, on, step->rev, fd, &facts[fd->stmt_index]);
		else
			emit_finding(ctx, step->rev, fd, &facts[fd->stmt_index], NULL);
	}
	return RT_OK;
}

/* Reads --fail-on and --pg-version before anything connects. */
static int validate(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args;
	struct lint_opts *o = ctx->opts;
	o->fail_level = RT_LINT_ERROR;
	if (o->fail_on && strcmp(o->fail_on, "warning") == 0)
		o->fail_level = RT_LINT_WARNING;
	else if (o->fail_on && strcmp(o->fail_on, "error") != 0)
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "'--fail-on' takes 'warning' or 'error', not '%s'", o->fail_on);
	if (o->pg_version) {
		char *end;
		long v = strtol(o->pg_version, &end, 10);
		if (end == o->pg_version || (*end && *end != '.') || v < 9 || v > 99)
			return rt_error_set(err, RT_EUSAGE, NULL,
			                    "'--pg-version' takes a major version such as 15, not '%s'",
			                    o->pg_version);
		o->pg_major = (int)v;
	}
	return RT_OK;
}

/* A database named by -d or the environment, not the URL every project's config
 * file carries: lint then covers the pending steps, for the server's version. */
static bool database_given(const struct cli_ctx *ctx)
{
	const char *origin = ctx->cfg->database_url_origin;
	return ctx->cfg->database_url && origin && !strstr(origin, ".ini:") &&
	       !strstr(origin, ".yaml:");
}

/* Opens on->s (no migration lock) and reads the server's major version. */
static int server_state(struct cli_ctx *ctx, struct online *on, int *pg_version, rt_error *err)
{
	int rc = cli_session_open(ctx, &on->s, 0, err);
	on->open = true;
	if (rc == RT_OK) {
		rt_db_result res;
		rc = rt_db_exec(on->s.db, ctx->arena, "SHOW server_version_num", &res, err);
		if (rc == RT_OK && res.nrows == 1)
			*pg_version = atoi(rt_db_value(&res, 0, 0)) / 10000;
	}
	return rc;
}

/* Errors first, then the biggest tables: what would hurt most. Stable for equal keys. */
static int by_impact(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	if (a->fd.rule->severity != b->fd.rule->severity)
		return a->fd.rule->severity > b->fd.rule->severity ? -1 : 1;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void emit_ranked(struct cli_ctx *ctx, struct online *on)
{
	if (on->n)
		qsort(on->v, on->n, sizeof *on->v, by_impact);
	for (size_t i = 0; i < on->n; i++)
		emit_finding(ctx, on->v[i].rev, &on->v[i].fd, on->v[i].facts, &on->v[i]);
}

/* The upgrade plan for "[FROM:]TO" as `upgrade --sql` reads it (FROM trusted), from
 * `rows` when there is no FROM. */
static int plan_range(struct cli_ctx *ctx, const char *range, rt_strv rows, rt_plan **plan,
                      rt_error *err)
{
	const char *colon = strchr(range, ':');
	const char *to = colon ? colon + 1 : range;
	if (colon && colon != range) {
		rows = (rt_strv){ 0 };
		const rt_revision *start;
		int rc = rt_graph_resolve_one(ctx->graph, rt_strndup(ctx->arena, range,
		                                                    (size_t)(colon - range)),
		                              &start, err);
		if (rc < 0)
			return rc;
		if (start)
			rt_strv_push(ctx->arena, &rows, start->id);
	}
	return rt_plan_upgrade(plan, ctx->arena, ctx->graph, &rows, *to ? to : "heads", err);
}

static void free_tmp(void *tmp)
{
	rt_arena_free(tmp);
}

static int lint_plan(struct cli_ctx *ctx, const rt_plan *plan, const rt_lint_opts *lo,
                     struct tally *t, struct online *on, rt_error *err)
{
	rt_files_source files;
	rt_files_source_init(&files, ctx->arena, ctx->cfg);
	rt_arena *tmp = rt_arena_new(); /* one step's statements at a time, unless kept */
	rt_arena_on_free(ctx->arena, free_tmp, tmp);
	int rc = RT_OK;
	for (size_t i = 0; i < plan->n && rc == RT_OK; i++) {
		if (plan->steps[i]->rev)
			rc = lint_step(ctx, plan->steps[i], &files.source, on->open ? ctx->arena : tmp, lo,
			               t, on, err);
		rt_arena_reset(tmp);
	}
	if (rc == RT_OK && on->open)
		emit_ranked(ctx, on);
	return rc;
}

static void emit_summary(struct cli_ctx *ctx, const struct tally *t, int pg_version)
{
	const char *text = rt_sprintf(
		ctx->arena, "%zu error%s, %zu warning%s in %zu statement%s of %zu revision%s "
		"(PostgreSQL %d)\n", t->errors, t->errors == 1 ? "" : "s", t->warnings,
		t->warnings == 1 ? "" : "s", t->statements, t->statements == 1 ? "" : "s",
		t->revisions, t->revisions == 1 ? "" : "s", pg_version);
	cli_emit(ctx, &(struct cli_event){
		.name = "lint_summary",
		.fields = CLI_FIELDS(CLI_SIZE("revisions", t->revisions),
		                     CLI_SIZE("statements", t->statements),
		                     CLI_SIZE("errors", t->errors), CLI_SIZE("warnings", t->warnings),
		                     CLI_INT("pg_version", pg_version)),
		.text = text,
		.text_flags = CLI_TEXT_STDERR,
	});
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	const struct lint_opts *o = ctx->opts;
	rt_lint_opts lo = { .pg_version = 15 };
	rt_plan *plan;
	struct online on = { 0 };
	int server_version = 0;
	struct tally t = { 0 };
	int rc = RT_OK;
	if (database_given(ctx))
		rc = server_state(ctx, &on, &server_version, err);
	if (o->pg_major)
		lo.pg_version = o->pg_major;
	else if (server_version)
		lo.pg_version = server_version;
	if (rc == RT_OK)
		rc = plan_range(ctx, args->n ? args->v[0] : "heads", on.s.rows, &plan, err);
	if (rc == RT_OK)
		rc = lint_plan(ctx, plan, &lo, &t, &on, err);
	if (on.open)
		cli_session_close(&on.s);
	if (rc < 0)
		return rc;
	emit_summary(ctx, &t, lo.pg_version);
	bool failed = t.errors > 0 || (o->fail_level == RT_LINT_WARNING && t.warnings > 0);
	return failed ? RT_EFINDINGS : RT_OK;
}

/* The database is optional: only one named by -d or the environment is read
 * (server_state), so lint connects by itself rather than declaring a session. */
const struct cli_cmd cli_cmd_lint = {
	.name = "lint",
	.args = "[[FROM:]TO] [--fail-on warning|error] [--pg-version N]",
	.summary = "report the locks, rewrites and unsafe statements of each step (docs/lint.md)",
	.opts = opts,
	.opts_size = sizeof(struct lint_opts),
	.flags = CLI_NEED_GRAPH,
	.max_args = 1,
	.db = CLI_DB_OWN,
	.validate = validate,
	.run = run,
};
