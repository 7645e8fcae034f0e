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
#include "retort/translate.h"

static struct {
	const char *fail_on;
	const char *pg_version;
} o;

static const struct cli_opt opts[] = {
	{ 0, "fail-on", CLI_OPT_STRING, &o.fail_on, "LEVEL",
	  "exit 8 when a finding is at or above LEVEL: warning or error (default error)" },
	{ 0, "pg-version", CLI_OPT_STRING, &o.pg_version, "N",
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

static void put_loc_json(rt_buf *f, const rt_loc *loc)
{
	rt_buf_puts(f, "\"file\":");
	rt_buf_json_str(f, loc->path);
	rt_buf_printf(f, ",\"line\":%u,\"col\":%u", loc->line, loc->col);
}

static void print_json(struct cli_ctx *ctx, const rt_revision *rev, const rt_lint_finding *fd,
                       const rt_lint_facts *facts, const struct ranked *size)
{
	rt_buf f = RT_BUF_INIT;
	rt_buf_puts(&f, "\"rule\":");
	rt_buf_json_str(&f, fd->rule->id);
	rt_buf_printf(&f, ",\"severity\":\"%s\",\"message\":", severity_name(fd->rule->severity));
	rt_buf_json_str(&f, fd->message);
	rt_buf_puts(&f, ",\"revision\":");
	rt_buf_json_str(&f, rev->id);
	rt_buf_printf(&f, ",\"statement_index\":%zu,", fd->stmt_index);
	put_loc_json(&f, &fd->loc);
	rt_buf_puts(&f, ",\"statement\":");
	rt_buf_json_str(&f, facts->kind);
	rt_buf_puts(&f, ",\"lock\":");
	rt_buf_json_str(&f, fd->relation ? rt_lockmode_name(fd->lock) : NULL);
	rt_buf_puts(&f, ",\"relation\":");
	rt_buf_json_str(&f, fd->relation);
	rt_buf_printf(&f, ",\"rewrite\":%s,\"scan\":%s,\"no_transaction_block\":%s",
	              fd->effects & RT_LINT_REWRITE ? "true" : "false",
	              fd->effects & RT_LINT_SCAN ? "true" : "false",
	              fd->effects & RT_LINT_NO_TX ? "true" : "false");
	if (fd->has_holder) {
		rt_buf_puts(&f, ",\"held_since\":{");
		put_loc_json(&f, &fd->holder_loc);
		rt_buf_printf(&f, ",\"statement_index\":%zu,\"lock\":\"%s\",\"relation\":",
		              fd->holder_index, rt_lockmode_name(fd->holder_lock));
		rt_buf_json_str(&f, fd->holder_relation);
		rt_buf_putc(&f, '}');
	}
	if (size && size->bytes >= 0)
		rt_buf_printf(&f, ",\"table_bytes\":%lld,\"row_estimate\":%lld", size->bytes, size->rows);
	cli_json_event(ctx, "finding", &f);
	rt_buf_release(&f);
}

/* FILE:LINE:COL: SEVERITY: MESSAGE [RULE]
 *   revision R: KIND, LOCK on RELATION, rewrites|scans
 *   lock taken at FILE:LINE:COL */
static void print_text(rt_buf *b, const rt_revision *rev, const rt_lint_finding *fd,
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

static int lint_step(struct cli_ctx *ctx, const rt_step *step, rt_translate_ctx *tctx,
                     rt_arena *tmp, const rt_lint_opts *lo, struct tally *t, struct online *on,
                     rt_error *err)
{
	rt_stmtlist stmts = { 0 };
	int rc = rt_revision_body(&stmts, tmp, step->rev, RT_UPGRADE, tctx, err);
	if (rc < 0)
		return rt_error_prefix(err, "upgrade body of '%s'", step->rev->id);
	rt_lint_findings fs = { 0 };
	rt_lint_facts *facts;
	rc = rt_lint_body(&fs, &facts, tmp, &stmts, lo, err);
	if (rc < 0)
		return rt_error_prefix(err, "upgrade body of '%s'", step->rev->id);
	t->revisions++;
	t->statements += stmts.n;
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < fs.n; i++) {
		const rt_lint_finding *fd = &fs.v[i];
		if (fd->rule->severity == RT_LINT_ERROR)
			t->errors++;
		else
			t->warnings++;
		if (on->open)
			keep(ctx, on, step->rev, fd, &facts[fd->stmt_index]);
		else if (ctx->format == RT_FORMAT_JSON)
			print_json(ctx, step->rev, fd, &facts[fd->stmt_index], NULL);
		else if (fd->rule->severity == RT_LINT_ERROR || ctx->verbosity >= 0)
			print_text(&b, step->rev, fd, &facts[fd->stmt_index], NULL);
	}
	cli_write(ctx->out, &b);
	rt_buf_release(&b);
	return RT_OK;
}

static int parse_opts(rt_lint_opts *lo, rt_lint_severity *fail_on, rt_error *err)
{
	*fail_on = RT_LINT_ERROR;
	if (o.fail_on && strcmp(o.fail_on, "warning") == 0)
		*fail_on = RT_LINT_WARNING;
	else if (o.fail_on && strcmp(o.fail_on, "error") != 0)
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "'--fail-on' takes 'warning' or 'error', not '%s'", o.fail_on);
	lo->pg_version = 15;
	if (o.pg_version) {
		char *end;
		long v = strtol(o.pg_version, &end, 10);
		if (end == o.pg_version || (*end && *end != '.') || v < 9 || v > 99)
			return rt_error_set(err, RT_EUSAGE, NULL,
			                    "'--pg-version' takes a major version such as 15, not '%s'",
			                    o.pg_version);
		lo->pg_version = (int)v;
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

static void print_ranked(struct cli_ctx *ctx, struct online *on)
{
	if (on->n)
		qsort(on->v, on->n, sizeof *on->v, by_impact);
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < on->n; i++) {
		const struct ranked *r = &on->v[i];
		if (ctx->format == RT_FORMAT_JSON)
			print_json(ctx, r->rev, &r->fd, r->facts, r);
		else if (r->fd.rule->severity == RT_LINT_ERROR || ctx->verbosity >= 0)
			print_text(&b, r->rev, &r->fd, r->facts, r);
	}
	cli_write(ctx->out, &b);
	rt_buf_release(&b);
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
	rt_translate_ctx *tctx = rt_translate_ctx_new(ctx->arena, ctx->cfg);
	rt_arena *tmp = rt_arena_new(); /* one step's statements at a time, unless kept */
	rt_arena_on_free(ctx->arena, free_tmp, tmp);
	int rc = RT_OK;
	for (size_t i = 0; i < plan->n && rc == RT_OK; i++) {
		if (plan->steps[i]->rev)
			rc = lint_step(ctx, plan->steps[i], tctx, on->open ? ctx->arena : tmp, lo, t, on,
			               err);
		rt_arena_reset(tmp);
	}
	if (rc == RT_OK && on->open)
		print_ranked(ctx, on);
	return rc;
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	if (cli_expect_args(ctx, args, 0, 1, err) < 0)
		return err->code;
	rt_lint_opts lo;
	rt_lint_severity fail_on;
	rt_plan *plan;
	struct online on = { 0 };
	int server_version = 0;
	struct tally t = { 0 };
	int rc = parse_opts(&lo, &fail_on, err);
	if (rc == RT_OK && database_given(ctx))
		rc = server_state(ctx, &on, &server_version, err);
	if (server_version && !o.pg_version)
		lo.pg_version = server_version;
	if (rc == RT_OK)
		rc = plan_range(ctx, args->n ? args->v[0] : "heads", on.s.rows, &plan, err);
	if (rc == RT_OK)
		rc = lint_plan(ctx, plan, &lo, &t, &on, err);
	if (on.open)
		cli_session_close(&on.s);
	if (rc < 0)
		return rc;
	if (ctx->format == RT_FORMAT_JSON) {
		rt_buf f = RT_BUF_INIT;
		rt_buf_printf(&f, "\"revisions\":%zu,\"statements\":%zu,\"errors\":%zu,\"warnings\":%zu,"
		              "\"pg_version\":%d", t.revisions, t.statements, t.errors, t.warnings,
		              lo.pg_version);
		cli_json_event(ctx, "lint_summary", &f);
		rt_buf_release(&f);
	} else if (ctx->verbosity >= 0) {
		fprintf(ctx->err, "%zu error%s, %zu warning%s in %zu statement%s of %zu revision%s "
		        "(PostgreSQL %d)\n", t.errors, t.errors == 1 ? "" : "s", t.warnings,
		        t.warnings == 1 ? "" : "s", t.statements, t.statements == 1 ? "" : "s",
		        t.revisions, t.revisions == 1 ? "" : "s", lo.pg_version);
	}
	bool failed = t.errors > 0 || (fail_on == RT_LINT_WARNING && t.warnings > 0);
	return failed ? RT_EFINDINGS : RT_OK;
}

const struct cli_cmd cli_cmd_lint = {
	.name = "lint",
	.args = "[[FROM:]TO] [--fail-on warning|error] [--pg-version N]",
	.summary = "report the locks, rewrites and unsafe statements of each step (docs/lint.md)",
	.opts = opts,
	.flags = CLI_NEED_GRAPH,
	.run = run,
};
