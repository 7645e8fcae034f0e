/*
 * retort verify: compare the database with the scripts: unknown revisions
 * in the version table, applied revisions whose files changed, revisions
 * without a recorded checksum, and pending steps. Exit 7 on drift.
 */
#include "cli.h"

static void text_revs(rt_buf *b, const rt_revlist *revs)
{
	for (size_t i = 0; i < revs->n; i++)
		rt_buf_printf(b, "%s%s", i ? ", " : "", revs->v[i]->id);
}

static void append_text(rt_buf *b, const rt_strv *rows, const rt_applied_state *st,
                        const rt_revlist *pending)
{
	rt_buf_puts(b, "version table: ");
	if (!rows->n)
		rt_buf_puts(b, "empty (base)");
	for (size_t i = 0; i < rows->n; i++)
		rt_buf_printf(b, "%s%s", i ? ", " : "", rows->v[i]);
	rt_buf_printf(b, "\napplied: %zu revision%s, %zu with a recorded checksum\n",
	              st->applied.n, st->applied.n == 1 ? "" : "s",
	              st->applied.n - st->unrecorded.n);
	for (size_t i = 0; i < st->unknown_rows.n; i++)
		rt_buf_printf(b, "unknown: '%s' is in the version table but in no version file\n",
		              st->unknown_rows.v[i]);
	for (size_t i = 0; i < st->drifted.n; i++)
		rt_buf_printf(b, "drift: '%s' (%s) changed since it was applied: recorded %.16s..., "
		              "now %.16s...\n", st->drifted.v[i]->id, st->drifted.v[i]->path,
		              st->drifted_recorded.v[i], st->drifted.v[i]->checksum);
	if (st->unrecorded.n) {
		rt_buf_puts(b, "no checksum yet: ");
		text_revs(b, &st->unrecorded);
		rt_buf_puts(b, st->history_exists
		                   ? " ('retort repair' records them)\n"
		                   : " (no history table: applied by Alembic? 'retort repair' "
		                     "records them)\n");
	}
	rt_buf_printf(b, "pending: %zu step%s", pending->n, pending->n == 1 ? "" : "s");
	if (pending->n) {
		rt_buf_puts(b, " (");
		text_revs(b, pending);
		rt_buf_putc(b, ')');
	}
	rt_buf_putc(b, '\n');
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args;
	const struct cli_session *s = ctx->session;
	const rt_applied_state *st = &s->state;
	rt_revlist pending = { 0 };
	if (!st->unknown_rows.n) {
		rt_plan *plan;
		rt_error plan_err = RT_ERROR_INIT;
		if (rt_plan_upgrade(&plan, ctx->arena, ctx->graph, &s->rows, "heads", &plan_err) == RT_OK)
			for (size_t i = 0; i < plan->n; i++)
				rt_revlist_push(ctx->arena, &pending, plan->steps[i]->rev);
		rt_error_clear(&plan_err);
	}
	if (ctx->report) {
		rt_fleet_report *r = ctx->report;
		cli_report_rows(r->to, sizeof(r->to), &s->rows);
		if (st->unknown_rows.n || st->drifted.n)
			snprintf(r->note, sizeof(r->note), "drift");
		else if (pending.n)
			snprintf(r->note, sizeof(r->note), "ok, %zu pending", pending.n);
	}
	rt_buf b = RT_BUF_INIT;
	append_text(&b, &s->rows, st, &pending);
	cli_emit(ctx, &(struct cli_event){
		.name = "verify",
		.fields = CLI_FIELDS(CLI_BOOL("ok", !st->unknown_rows.n && !st->drifted.n),
		                     CLI_STRV("rows", &s->rows), CLI_STRV("unknown", &st->unknown_rows),
		                     CLI_REVIDS("applied", &st->applied),
		                     CLI_REVIDS("drifted", &st->drifted),
		                     CLI_REVIDS("no_checksum", &st->unrecorded),
		                     CLI_REVIDS("pending", &pending),
		                     CLI_BOOL("history_table", st->history_exists)),
		.text = rt_buf_cstr(&b),
		.text_flags = CLI_TEXT_ALWAYS,
	});
	rt_buf_release(&b);
	return rt_applied_state_check(st, err);
}

const struct cli_cmd cli_cmd_verify = {
	.name = "verify",
	.args = "[--targets FILE | --targets-query SQL | --schemas LIST|SQL] [-j N]",
	.summary = "compare the database with the scripts: drift, unknown and pending revisions",
	.flags = CLI_NEED_GRAPH | CLI_FROM_BUNDLE,
	.db = CLI_DB_READ,
	.run = run,
	.opts = cli_fleet_opt_table,
	.opts_size = sizeof(struct cli_fleet_only_opts),
	.fleet = true,
};
