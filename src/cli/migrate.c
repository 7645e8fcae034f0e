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

static const char *const step_kinds[] = { "upgrade", "downgrade", "stamp" };

static void step_members(rt_buf *f, const rt_step *step)
{
	rt_buf_puts(f, "\"revision\":");
	rt_buf_json_str(f, step->rev ? step->rev->id : NULL);
	rt_buf_printf(f, ",\"kind\":\"%s\",", step_kinds[step->kind]);
	cli_json_strv(f, "from", &step->from);
	rt_buf_putc(f, ',');
	cli_json_strv(f, "to", &step->to);
}

static void print_plan(struct cli_ctx *ctx, const rt_plan *plan, bool dry_run)
{
	if (ctx->format == RT_FORMAT_JSON) {
		rt_buf f = RT_BUF_INIT;
		rt_buf_printf(&f, "\"dry_run\":%s,", dry_run ? "true" : "false");
		cli_json_strv(&f, "rows_before", &plan->rows_before);
		rt_buf_putc(&f, ',');
		cli_json_strv(&f, "rows_after", &plan->rows_after);
		rt_buf_puts(&f, ",\"steps\":[");
		for (size_t i = 0; i < plan->n; i++) {
			rt_buf_puts(&f, i ? ",{" : "{");
			step_members(&f, plan->steps[i]);
			rt_buf_putc(&f, '}');
		}
		rt_buf_putc(&f, ']');
		cli_json_event(ctx, "plan", &f);
		rt_buf_release(&f);
		return;
	}
	if (!dry_run)
		return;
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < plan->n; i++) {
		rt_buf_puts(&b, "Would run ");
		rt_step_format_log(&b, plan->steps[i]);
		rt_buf_putc(&b, '\n');
	}
	cli_write(ctx->out, &b);
	rt_buf_release(&b);
}

static void on_step_start(void *p, const rt_step *step, size_t index, size_t total)
{
	struct cli_ctx *ctx = p;
	if (ctx->format == RT_FORMAT_JSON) {
		rt_buf f = RT_BUF_INIT;
		step_members(&f, step);
		rt_buf_printf(&f, ",\"index\":%zu,\"total\":%zu", index + 1, total);
		cli_json_event(ctx, "step_start", &f);
		rt_buf_release(&f);
	} else if (ctx->verbosity >= 0) {
		rt_buf b = RT_BUF_INIT;
		rt_buf_puts(&b, "Running ");
		rt_step_format_log(&b, step);
		rt_buf_puts(&b, " ...");
		fputs(rt_buf_cstr(&b), ctx->out);
		fflush(ctx->out);
		rt_buf_release(&b);
	}
}

static void on_step_done(void *p, const rt_step *step, double ms)
{
	struct cli_ctx *ctx = p;
	if (ctx->format == RT_FORMAT_JSON) {
		rt_buf f = RT_BUF_INIT;
		step_members(&f, step);
		rt_buf_printf(&f, ",\"duration_ms\":%.1f", ms);
		cli_json_event(ctx, "step_done", &f);
		rt_buf_release(&f);
	} else if (ctx->verbosity >= 0) {
		fprintf(ctx->out, " %.0f ms\n", ms);
	}
}

static void on_step_retry(void *p, const rt_step *step, unsigned attempt, double delay)
{
	struct cli_ctx *ctx = p;
	if (ctx->format == RT_FORMAT_JSON) {
		rt_buf f = RT_BUF_INIT;
		step_members(&f, step);
		rt_buf_printf(&f, ",\"attempt\":%u,\"delay_seconds\":%.2f", attempt, delay);
		cli_json_event(ctx, "step_retry", &f);
		rt_buf_release(&f);
	} else if (ctx->verbosity >= 0) {
		fprintf(ctx->out, " lock timeout; retrying in %.1f s (attempt %u)\n", delay, attempt);
	}
}

static void print_summary(struct cli_ctx *ctx, const rt_plan *plan, bool dry_run, double ms)
{
	if (ctx->format == RT_FORMAT_JSON) {
		rt_buf f = RT_BUF_INIT;
		rt_buf_printf(&f, "\"dry_run\":%s,\"steps\":%zu,\"duration_ms\":%.1f,",
		              dry_run ? "true" : "false", plan->n, ms);
		cli_json_strv(&f, "rows", &plan->rows_after);
		cli_json_event(ctx, "summary", &f);
		rt_buf_release(&f);
		return;
	}
	if (ctx->verbosity < 0)
		return;
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
	cli_write(ctx->out, &b);
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
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct cli_session s;
	int rc = cli_session_open(ctx, &s, m->dry_run ? 0 : CLI_SESSION_WRITE, err);
	rt_plan *plan;
	rt_arena_mark before_plan = rt_arena_mark_get(ctx->arena);
	if (rc < 0 || (rc = plan_from(ctx, m, &s, &plan, err)) < 0)
		goto out;
	/* The lock only when there is work: at the target with the checksums
	 * verified, nothing is written. With work, the rows are read again under
	 * the lock and the plan made anew (the first one is dropped): another
	 * runner may have moved them. */
	bool work = plan->n > 0 || plan->purge;
	if (work && !m->dry_run) {
		rt_arena_release(ctx->arena, before_plan);
		if ((rc = cli_session_lock(ctx, &s, err)) < 0 ||
		    (rc = plan_from(ctx, m, &s, &plan, err)) < 0)
			goto out;
	}
	if (plan->warning && ctx->verbosity >= 0)
		fprintf(ctx->err, "retort: warning: %s\n", plan->warning);
	rt_files_source files;
	rt_files_source_init(&files, ctx->arena, ctx->cfg);
	if ((rc = rt_exec_check_bodies(plan, &files.source, err)) < 0)
		goto out;
	print_plan(ctx, plan, m->dry_run);
	if (m->dry_run || (plan->n == 0 && !plan->purge)) {
		print_summary(ctx, plan, m->dry_run, 0);
		goto out;
	}
	rt_exec_opts eo = {
		.graph = ctx->graph,
		.vtable = &s.vt,
		.history = &s.hist,
		.transaction = ctx->cfg->transaction,
		.statement_lock_timeout = ctx->cfg->statement_lock_timeout,
		.lock_retries = 5,
		.purge = plan->purge,
		.state = &s.db_state,
		.events = { on_step_start, on_step_done, on_step_retry, ctx },
		.interrupted = &cli_interrupted,
	};
	rc = rt_exec_run(s.db, ctx->arena, plan, &files.source, &eo, err);
	if (rc < 0) {
		if (ctx->format != RT_FORMAT_JSON && ctx->verbosity >= 0)
			fputs(" failed\n", ctx->out);
		goto out;
	}
	print_summary(ctx, plan, false, elapsed_ms(&t0));
out:
	cli_session_close(&s);
	return rc;
}
