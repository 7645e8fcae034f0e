/* retort history: revisions newest first, in Alembic's line format. */
#include "cli.h"

struct history_opts {
	const char *range;
	bool indicate_current;
};

static const struct cli_opt opts[] = {
	{ 'r', "rev-range", CLI_OPT_STRING, CLI_OPT_AT(struct history_opts, range), "RANGE",
	  "A:B, A: or :B (inclusive; relative forms and labels allowed)" },
	{ 'i', "indicate-current", CLI_OPT_FLAG, CLI_OPT_AT(struct history_opts, indicate_current),
	  NULL, "mark the database's current revisions (connects)" },
	{ 0 },
};

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args;
	const struct history_opts *o = ctx->opts;
	/* with -i the session is open (unlike Alembic's history -i, nothing is
	 * created in the database) */
	rt_strv no_rows = { 0 };
	const rt_strv *rows = ctx->session ? &ctx->session->rows : &no_rows;
	rt_revlist revs = { 0 };
	int rc = rt_graph_history(ctx->graph, o->range, rows, &revs, ctx->arena, err);
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = ctx->verbosity > 0, .current = ctx->session ? rows : NULL };
	cli_longdoc(&fmt);
	rt_graph_format_history(&b, ctx->graph, &revs, &fmt);
	cli_emit_revisions(ctx, &revs, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return RT_OK;
}

const struct cli_cmd cli_cmd_history = {
	.name = "history",
	.args = "[-r RANGE] [--verbose] [-i]",
	.summary = "list revisions newest first",
	.opts = opts,
	.opts_size = sizeof(struct history_opts),
	.flags = CLI_NEED_GRAPH | CLI_FROM_BUNDLE,
	.db = CLI_DB_NONE,
	.db_switch = { { "indicate-current", CLI_DB_READ } },
	.run = run,
};
