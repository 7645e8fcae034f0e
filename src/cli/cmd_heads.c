/* retort heads: the head revisions, in Alembic's text. */
#include "cli.h"

static struct {
	bool resolve_dependencies;
} o;

static const struct cli_opt opts[] = {
	{ 0, "resolve-dependencies", CLI_OPT_FLAG, &o.resolve_dependencies, NULL,
	  "only real heads: revisions nothing depends on" },
	{ 0 },
};

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	if (cli_expect_args(ctx, args, 0, 0, err) < 0)
		return err->code;
	if (ctx->format == RT_FORMAT_JSON) {
		rt_revlist heads = { 0 };
		if (o.resolve_dependencies)
			rt_graph_real_heads(ctx->graph, &heads, ctx->arena);
		else
			rt_graph_heads(ctx->graph, &heads, ctx->arena);
		cli_json_revisions(ctx, &heads);
		return RT_OK;
	}
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = ctx->verbosity > 0 };
	cli_longdoc(&fmt);
	rt_graph_format_heads(&b, ctx->graph, o.resolve_dependencies, &fmt);
	cli_write(ctx->out, &b);
	rt_buf_release(&b);
	return RT_OK;
}

const struct cli_cmd cli_cmd_heads = {
	.name = "heads",
	.args = "[--resolve-dependencies]",
	.summary = "show the head revisions",
	.opts = opts,
	.flags = CLI_NEED_GRAPH,
	.run = run,
};
