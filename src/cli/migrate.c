/*
 * What upgrade, downgrade and stamp share: the offline script (--sql) and
 * the online run with its progress lines and JSON events.
 */
#include <string.h>
#include <time.h>

#include "cli.h"
#include "retort/offline.h"
#include "retort/plan.h"

int cli_migrate_offline(struct cli_ctx *ctx, rt_step_kind kind, const char *arg, rt_error *err)
{
	const char *colon = strchr(arg, ':');
	const char *to = colon ? colon + 1 : arg;
	char *from = colon ? rt_strndup(ctx->arena, arg, (size_t)(colon - arg)) : NULL;
	if (kind == RT_STEP_DOWNGRADE && !from)
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "downgrade with --sql requires <fromrev>:<torev>");
	if (strchr(to, ':'))
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "'%s' is not a range: use [FROM:]TO with one start revision", arg);
	if (*to == '\0')
		to = "head";

	/* offline, the start revision is trusted: the database is not consulted */
	rt_strv rows = { 0 };
	if (from && *from) {
		const rt_revision *start;
		int rc = rt_graph_resolve_one(ctx->graph, from, &start, err);
		if (rc < 0)
			return rc;
		if (start)
			rt_strv_push(ctx->arena, &rows, start->id);
	}
	rt_plan *plan;
	int rc = kind == RT_STEP_UPGRADE
	             ? rt_plan_upgrade(&plan, ctx->arena, ctx->graph, &rows, to, err)
	             : rt_plan_downgrade(&plan, ctx->arena, ctx->graph, &rows, to, err);
	if (rc < 0)
		return rc;

	rt_vtable vt = {
		.schema = ctx->cfg->version_table_schema,
		.name = ctx->cfg->version_table,
		.no_pk = !ctx->cfg->version_table_pk,
	};
	rt_files_source files;
	rt_files_source_init(&files, ctx->arena, ctx->cfg);
	rt_offline_opts oo = {
		.vtable = &vt,
		.transaction = ctx->cfg->transaction,
		.create_version_table = rows.n == 0, /* no start, or base: as Alembic */
		.source = &files.source,
	};
	rt_buf script = RT_BUF_INIT;
	rc = rt_offline_render(&script, ctx->arena, plan, &oo, err);
	if (rc == RT_OK)
		cli_write(ctx->out, &script);
	rt_buf_release(&script);
	return rc;
}

int cli_migrate_validate(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args;
	const struct cli_migrate_opts *o = ctx->opts;
	if (o->sql && o->dry_run)
		return rt_error_set(err, RT_EUSAGE, NULL, "'--sql' and '--dry-run' exclude each other");
	return RT_OK;
}

static const char *const step_kinds[] = { "upgrade", "downgrade", "stamp" };

/* A step's JSON members: its revision, kind, and the rows before and after. */
#define STEP_FIELDS(step) \
	CLI_STR("revision", (step)->rev ? (step)->rev->id : NULL), \
	CLI_STR("kind", step_kinds[(step)->kind]), CLI_STRV("from", &(step)->from), \
	CLI_STRV("to", &(step)->to)

static void print_plan(struct cli_ctx *ctx, const rt_plan *plan, bool dry_run)
{
	rt_buf steps = RT_BUF_INIT, text = RT_BUF_INIT;
	rt_buf_putc(&steps, '[');
	for (size_t i = 0; i < plan->n; i++) {
		if (i)
			rt_buf_putc(&steps, ',');
		cli_json_object(&steps, CLI_FIELDS(STEP_FIELDS(plan->steps[i])));
		rt_buf_puts(&text, "Would run ");
		rt_step_format_log(&text, plan->steps[i]);
		rt_buf_putc(&text, '\n');
	}
	rt_buf_putc(&steps, ']');
	cli_emit(ctx, &(struct cli_event){
		.name = "plan",
		.fields = CLI_FIELDS(CLI_BOOL("dry_run", dry_run),
		                     CLI_STRV("rows_before", &plan->rows_before),
		                     CLI_STRV("rows_after", &plan->rows_after),
		                     CLI_JSON("steps", rt_buf_cstr(&steps))),
		.text = dry_run ? rt_buf_cstr(&text) : NULL,
		.text_flags = CLI_TEXT_ALWAYS,
	});
	rt_buf_release(&steps);
	rt_buf_release(&text);
}

static void on_step_start(void *p, const rt_step *step, size_t index, size_t total)
{
	struct cli_ctx *ctx = p;
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, "Running ");
	rt_step_format_log(&b, step);
	rt_buf_puts(&b, " ...");
	cli_emit(ctx, &(struct cli_event){
		.name = "step_start",
		.fields = CLI_FIELDS(STEP_FIELDS(step), CLI_SIZE("index", index + 1),
		                     CLI_SIZE("total", total)),
		.text = rt_buf_cstr(&b),
		.text_flags = CLI_TEXT_FLUSH,
	});
	rt_buf_release(&b);
}

static void on_step_done(void *p, const rt_step *step, double ms)
{
	char text[64];
	snprintf(text, sizeof(text), " %.0f ms\n", ms);
	cli_emit(p, &(struct cli_event){
		.name = "step_done",
		.fields = CLI_FIELDS(STEP_FIELDS(step), CLI_FIXED("duration_ms", ms, 1)),
		.text = text,
	});
}

static void on_step_retry(void *p, const rt_step *step, unsigned attempt, double delay)
{
	char text[96];
	snprintf(text, sizeof(text), " lock timeout; retrying in %.1f s (attempt %u)\n", delay,
	         attempt);
	cli_emit(p, &(struct cli_event){
		.name = "step_retry",
		.fields = CLI_FIELDS(STEP_FIELDS(step), CLI_INT("attempt", attempt),
		                     CLI_FIXED("delay_seconds", delay, 2)),
		.text = text,
	});
}

static void print_summary(struct cli_ctx *ctx, const rt_plan *plan, bool dry_run, double ms)
{
	rt_buf b = RT_BUF_INIT;
	if (plan->n == 0)
		rt_buf_puts(&b, "Nothing to do; at ");
	else if (dry_run)
		rt_buf_printf(&b, "Dry run: %zu step%s, nothing changed; would end at ", plan->n,
		              plan->n == 1 ? "" : "s");
	else
		rt_buf_printf(&b, "Done: %zu step%s in %.0f ms; now at ", plan->n,
		              plan->n == 1 ? "" : "s", ms);
	if (plan->rows_after.n == 0)
		rt_buf_puts(&b, "base");
	for (size_t i = 0; i < plan->rows_after.n; i++)
		rt_buf_printf(&b, "%s%s", i ? ", " : "", plan->rows_after.v[i]);
	rt_buf_putc(&b, '\n');
	cli_emit(ctx, &(struct cli_event){
		.name = "summary",
		.fields = CLI_FIELDS(CLI_BOOL("dry_run", dry_run), CLI_SIZE("steps", plan->n),
		                     CLI_FIXED("duration_ms", ms, 1), CLI_STRV("rows", &plan->rows_after)),
		.text = rt_buf_cstr(&b),
	});
	rt_buf_release(&b);
}

static double elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Verifies the state the session read and plans from it. */
static int plan_from(struct cli_ctx *ctx, const struct cli_migration *m, struct cli_session *s,
                     rt_plan **plan, rt_error *err)
{
	/* verify before touching anything (SPEC §6) */
	int rc = m->purge ? RT_OK : rt_applied_state_check(&s->state, err);
	if (rc < 0)
		return rc;
	if (m->kind == RT_STEP_UPGRADE)
		return rt_plan_upgrade(plan, ctx->arena, ctx->graph, &s->rows, m->targets[0], err);
	if (m->kind == RT_STEP_DOWNGRADE)
		return rt_plan_downgrade(plan, ctx->arena, ctx->graph, &s->rows, m->targets[0], err);
	return rt_plan_stamp(plan, ctx->arena, ctx->graph, &s->rows, m->targets, m->ntargets,
	                     m->purge, err);
}

int cli_migrate_online(struct cli_ctx *ctx, const struct cli_migration *m, rt_error *err)
{
	struct cli_session *s = ctx->session;
	rt_plan *plan;
	rt_arena_mark before_plan = rt_arena_mark_get(ctx->arena);
	int rc = plan_from(ctx, m, s, &plan, err);
	if (rc < 0)
		return rc;
	/* The lock only when there is work: at the target with the checksums
	 * verified, nothing is written. With work, the rows are read again under
	 * the lock and the plan made anew (the first one is dropped): another
	 * runner may have moved them. */
	bool work = plan->n > 0 || plan->purge;
	if (work && !m->dry_run) {
		rt_arena_release(ctx->arena, before_plan);
		if ((rc = cli_session_lock(ctx, s, err)) < 0 ||
		    (rc = plan_from(ctx, m, s, &plan, err)) < 0)
			return rc;
	}
	if (plan->warning && ctx->verbosity >= 0)
		fprintf(ctx->err, "retort: warning: %s\n", plan->warning);
	rt_files_source files;
	rt_files_source_init(&files, ctx->arena, ctx->cfg);
	rt_files_source_allow_guards(&files); /* online: a data loop's query can run */
	if ((rc = rt_exec_check_bodies(plan, &files.source, err)) < 0)
		return rc;
	print_plan(ctx, plan, m->dry_run);
	if (m->dry_run || (plan->n == 0 && !plan->purge)) {
		print_summary(ctx, plan, m->dry_run, 0);
		return RT_OK;
	}
	rt_exec_opts eo = {
		.graph = ctx->graph,
		.vtable = &s->vt,
		.history = &s->hist,
		.transaction = ctx->cfg->transaction,
		.statement_lock_timeout = ctx->cfg->statement_lock_timeout,
		.lock_retries = 5,
		.purge = plan->purge,
		.state = &s->db_state,
		.events = { on_step_start, on_step_done, on_step_retry, ctx },
		.interrupted = &cli_interrupted,
	};
	rc = rt_exec_run(s->db, ctx->arena, plan, &files.source, &eo, err);
	if (rc < 0) {
		cli_emit(ctx, &(struct cli_event){ .text = " failed\n" });
		return rc;
	}
	print_summary(ctx, plan, false, elapsed_ms(&s->started));
	return RT_OK;
}
