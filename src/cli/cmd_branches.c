/* retort branches: branch points and their children, in Alembic's text. */
#include "cli.h"

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args, (void)err;
	rt_revlist points = { 0 };
	for (size_t i = 0; i < rt_graph_size(ctx->graph); i++) {
		const rt_revision *r = rt_graph_at(ctx->graph, i);
		if (rt_graph_is_branch_point(ctx->graph, r))
			rt_revlist_push(ctx->arena, &points, r);
	}
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = ctx->verbosity > 0 };
	cli_longdoc(&fmt);
	rt_graph_format_branches(&b, ctx->graph, &fmt);
	cli_emit_revisions(ctx, &points, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return RT_OK;
}

const struct cli_cmd cli_cmd_branches = {
	.name = "branches",
	.args = "",
	.summary = "show branch points and their children",
	.flags = CLI_NEED_GRAPH | CLI_FROM_BUNDLE,
	.run = run,
};
