/* retort current: the revisions in the version table, marked as Alembic marks them. */
#include "cli.h"

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args;
	const struct cli_session *s = ctx->session;
	/* an unknown revision in the table is drift (SPEC §2) */
	if (s->state.unknown_rows.n)
		return rt_applied_state_check(&s->state, err);
	if (ctx->report)
		cli_report_rows(ctx->report->to, sizeof(ctx->report->to), &s->rows);
	rt_revlist revs = { 0 };
	for (size_t i = 0; i < s->rows.n; i++)
		rt_revlist_push(ctx->arena, &revs, rt_graph_get(ctx->graph, s->rows.v[i]));
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = ctx->verbosity > 0 };
	cli_longdoc(&fmt);
	int rc = rt_graph_format_current(&b, ctx->graph, &s->rows, &fmt, err);
	if (rc == RT_OK)
		cli_emit_revisions(ctx, &revs, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return rc;
}

const struct cli_cmd cli_cmd_current = {
	.name = "current",
	.args = "[--verbose] [--targets FILE | --targets-query SQL | --schemas LIST|SQL] [-j N]",
	.summary = "show the revisions the database is at",
	.flags = CLI_NEED_GRAPH | CLI_FROM_BUNDLE,
	.db = CLI_DB_READ,
	.run = run,
	.opts = cli_fleet_opt_table,
	.opts_size = sizeof(struct cli_fleet_only_opts),
	.fleet = true,
};
