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
#include <strings.h>

#include "cli.h"
#include "retort/lint.h"
#include "retort/step_source.h"

struct lint_opts {
	const char *fail_on, *pg_version;
	bool trace;
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
	{ 0, "trace", CLI_OPT_FLAG, AT(trace), NULL,
	  "run the pending steps on a scratch database (-d), always rolled back, and compare "
	  "the locks it took with the static ones" },
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
	/* room for the usual finding: each piece is then copied once (an empty
	 * buffer costs every printf a measuring pass; 17% of linting 1,000
	 * revisions went to formatting findings) */
	rt_buf_grow(b, 256 + strlen(fd->message));
	rt_loc_format(b, &fd->loc);
	const char *const parts[] = { severity_name(fd->rule->severity), ": ", fd->message, " [",
	                              fd->rule->id, "]\n  revision ", rev->id, ": ", facts->kind };
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		rt_buf_puts(b, parts[i]);
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
	/* only the form the renderer prints is built: thousands of findings */
	bool json = ctx->format == RT_FORMAT_JSON;
	if (!json)
		finding_text(&text, rev, fd, facts, size);
	if (fd->has_holder && json)
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
		.text = json ? NULL : rt_buf_cstr(&text),
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

/* A database named by -d or the environment, not the URL every project's config
 * file carries: lint then covers the pending steps, for the server's version. */
static bool database_given(const struct cli_ctx *ctx)
{
	const char *origin = ctx->cfg->database_url_origin;
	return ctx->cfg->database_url && origin && !strstr(origin, ".ini:") &&
	       !strstr(origin, ".yaml:");
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
	if (o->trace && !database_given(ctx))
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "'--trace' runs the steps on a scratch database: give it with -d "
		                    "or RETORT_DATABASE_URL");
	return RT_OK;
}

/* Opens on->s (no migration lock; writable to trace) and reads the server's major version. */
static int server_state(struct cli_ctx *ctx, struct online *on, int *pg_version, bool write,
                        rt_error *err)
{
	int rc = cli_session_open(ctx, &on->s, write ? CLI_SESSION_WRITE : 0, err);
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
	const char *to;
	bool from;
	int rc = cli_range_parse(ctx, range, "heads", &to, &rows, &from, err);
	return rc < 0 ? rc : rt_plan_upgrade(plan, ctx->arena, ctx->graph, &rows, to, err);
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

/* --- --trace: the steps on a scratch database, rolled back ----------------- */

struct tracer {
	struct cli_ctx *ctx;
	const rt_lint_opts *lo;
	rt_arena *tmp;            /* one statement's facts and comparison */
	rt_lint_facts facts;      /* of the statement being traced */
	bool parsed;
	const char *names[RT_LINT_MAX_LOCKS + 1];
	const rt_step *last;
	size_t revisions, statements, agree, differ, not_traced, failed;
};

static bool contains_nocase(const char *s, const char *word)
{
	for (size_t n = strlen(word); *s; s++)
		if (strncasecmp(s, word, n) == 0)
			return true;
	return false;
}

/* The steps really run there: only on a database whose name says it is a
 * scratch copy, or that retort.yaml's scratch_databases names. */
static int refuse_unless_scratch(struct cli_ctx *ctx, rt_db *db, rt_error *err)
{
	rt_db_result res;
	int rc = rt_db_exec(db, ctx->arena, "SELECT pg_catalog.current_database()", &res, err);
	if (rc < 0)
		return rc;
	const char *name = rt_db_value(&res, 0, 0);
	if (!name)
		name = "?";
	const rt_strv *listed = &ctx->cfg->scratch_databases;
	for (size_t i = 0; i < listed->n; i++)
		if (strcmp(listed->v[i], name) == 0)
			return RT_OK;
	if (contains_nocase(name, "scratch"))
		return RT_OK;
	rc = rt_error_set(err, RT_EUSAGE, NULL,
	                  "'--trace' runs the steps for real and will not use database '%s': "
	                  "neither its name nor retort.yaml's 'scratch_databases' marks it as "
	                  "scratch", name);
	rt_error_hint(err, "trace on a copy whose name contains 'scratch' (createdb "
	                   "app_scratch --template app), or list it in 'scratch_databases'; the "
	                   "trace always rolls back, but a step may still block or slow a live "
	                   "database");
	return rc;
}

static void trace_facts(struct tracer *t, const rt_stmt *s)
{
	rt_error ignored = RT_ERROR_INIT; /* a statement libpg_query rejects is not run */
	rt_arena_reset(t->tmp);
	t->parsed = rt_lint_facts_of(&t->facts, t->tmp, s, t->lo, &ignored) == RT_OK;
	rt_error_clear(&ignored);
}

static bool trace_before(void *p, const rt_step *step, const rt_stmtlist *body, size_t i,
                         const char *const **names, size_t *nnames)
{
	(void)step;
	struct tracer *t = p;
	trace_facts(t, body->items[i]);
	/* BEGIN/COMMIT/SAVEPOINT would end or change the trace's own transaction */
	if (!t->parsed || (t->facts.effects & RT_LINT_TX_CONTROL))
		return false;
	*nnames = rt_lint_trace_names(&t->facts, t->names);
	*names = t->names;
	return true;
}

static void trace_after(void *p, const rt_step *step, const rt_stmtlist *body, size_t i,
                        rt_trace_status st, const rt_db_held *before, const rt_db_held *after,
                        const rt_error *failed)
{
	struct tracer *t = p;
	struct cli_ctx *ctx = t->ctx;
	const rt_stmt *s = body->items[i];
	if (st == RT_TRACE_NO_TX)
		trace_facts(t, s);
	rt_lint_trace tr = { 0 };
	if (st == RT_TRACE_RAN)
		rt_lint_trace_compare(&tr, t->tmp, &t->facts, before, after);
	if (step != t->last) {
		t->last = step;
		t->revisions++;
	}
	t->statements++;
	const char *kind = t->parsed ? t->facts.kind : "?";
	const char *status, *why = NULL;
	if (st == RT_TRACE_RAN && tr.differences) {
		status = "differs";
		t->differ++;
	} else if (st == RT_TRACE_RAN) {
		status = "agrees";
		t->agree++;
	} else if (st == RT_TRACE_FAILED) {
		status = "failed";
		why = failed->message;
		t->failed++;
	} else {
		status = "not_traced";
		why = st == RT_TRACE_NO_TX ? "no_transaction: cannot run inside the trace's transaction; "
		                             "static analysis only"
		      : !t->parsed ? "PostgreSQL's parser rejects it"
		                   : "it acts on the transaction (BEGIN, COMMIT, SAVEPOINT...)";
		t->not_traced++;
	}
	rt_loc loc = rt_stmt_loc(s, rt_sql_leading_blanks(s->sql, s->len));
	rt_buf text = RT_BUF_INIT, locks = RT_BUF_INIT;
	rt_loc_format(&text, &loc);
	rt_buf_printf(&text, "%s: %s", st == RT_TRACE_NO_TX || st == RT_TRACE_SKIPPED ? "not traced"
	                                                                               : status,
	              kind);
	rt_buf_putc(&locks, '[');
	for (size_t k = 0; k < tr.n; k++) {
		const rt_lint_traced *l = &tr.v[k];
		if (k)
			rt_buf_putc(&locks, ',');
		cli_json_object(&locks, CLI_FIELDS(
			CLI_STR("relation", l->relation),
			CLI_STR("static", l->expected ? rt_lockmode_name(l->expected) : NULL),
			CLI_STR("observed", l->observed ? rt_lockmode_name(l->observed) : NULL),
			CLI_BOOL("differs", l->differs)));
		rt_buf_puts(&text, k ? "; " : ", ");
		if (l->observed)
			rt_buf_printf(&text, "%s on '%s'", rt_lockmode_name(l->observed), l->relation);
		else if (!l->differs) /* an earlier statement took it */
			rt_buf_printf(&text, "%s on '%s' (held already)", rt_lockmode_name(l->expected),
			              l->relation);
		else
			rt_buf_printf(&text, "no new lock on '%s'", l->relation);
		if (l->differs)
			rt_buf_printf(&text, " (static: %s)",
			              l->expected ? rt_lockmode_name(l->expected) : "none");
	}
	rt_buf_putc(&locks, ']');
	if (why)
		rt_buf_printf(&text, ": %s", why);
	rt_buf_printf(&text, " [revision %s]\n", step->rev->id);
	cli_emit(ctx, &(struct cli_event){
		.name = "trace",
		.fields = CLI_FIELDS(
			CLI_STR("revision", step->rev->id), CLI_SIZE("statement_index", i),
			LOC_FIELDS(&loc), CLI_STR("statement", kind), CLI_STR("status", status),
			CLI_STR_OPT("reason", why), CLI_JSON("locks", rt_buf_cstr(&locks))),
		.text = rt_buf_cstr(&text),
		.text_flags = st == RT_TRACE_RAN && !tr.differences ? CLI_TEXT_VERBOSE : 0,
	});
	rt_buf_release(&text);
	rt_buf_release(&locks);
}

/* Runs the plan under rt_exec_trace: exit 8 when a statement's locks differ
 * from the static analysis. */
static int trace_plan(struct cli_ctx *ctx, struct online *on, const rt_plan *plan,
                      const rt_lint_opts *lo, rt_error *err)
{
	int rc = refuse_unless_scratch(ctx, on->s.db, err);
	if (rc < 0)
		return rc;
	struct tracer t = { .ctx = ctx, .lo = lo, .tmp = rt_arena_new() };
	rt_arena_on_free(ctx->arena, free_tmp, t.tmp);
	rt_files_source files;
	rt_files_source_init(&files, ctx->arena, ctx->cfg);
	rt_trace_events ev = { trace_before, trace_after, &t };
	rc = rt_exec_trace(on->s.db, plan, &files.source, &ev, &cli_interrupted, err);
	if (rc < 0)
		return rc;
	const char *text = rt_sprintf(
		ctx->arena, "traced %zu statement%s of %zu revision%s: %zu agree, %zu differ, %zu not "
		"traced, %zu failed; rolled back, nothing committed\n", t.statements,
		t.statements == 1 ? "" : "s", t.revisions, t.revisions == 1 ? "" : "s", t.agree,
		t.differ, t.not_traced, t.failed);
	cli_emit(ctx, &(struct cli_event){
		.name = "trace_summary",
		.fields = CLI_FIELDS(CLI_SIZE("revisions", t.revisions),
		                     CLI_SIZE("statements", t.statements), CLI_SIZE("agree", t.agree),
		                     CLI_SIZE("differ", t.differ),
		                     CLI_SIZE("not_traced", t.not_traced), CLI_SIZE("failed", t.failed),
		                     CLI_INT("pg_version", lo->pg_version)),
		.text = text,
		.text_flags = CLI_TEXT_STDERR,
	});
	return t.differ ? RT_EFINDINGS : RT_OK;
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
		rc = server_state(ctx, &on, &server_version, o->trace, err);
	if (o->pg_major)
		lo.pg_version = o->pg_major;
	else if (server_version)
		lo.pg_version = server_version;
	if (rc == RT_OK)
		rc = plan_range(ctx, args->n ? args->v[0] : "heads", on.s.rows, &plan, err);
	if (rc == RT_OK && o->trace) {
		rc = trace_plan(ctx, &on, plan, &lo, err);
		cli_session_close(&on.s);
		return rc;
	}
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
	.args = "[[FROM:]TO] [--fail-on warning|error] [--pg-version N] [--trace]",
	.summary = "report the locks, rewrites and unsafe statements of each step (docs/lint.md)",
	.opts = opts,
	.opts_size = sizeof(struct lint_opts),
	.flags = CLI_NEED_GRAPH,
	.max_args = 1,
	.db = CLI_DB_OWN,
	.validate = validate,
	.run = run,
};
