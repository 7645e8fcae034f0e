/* retort heads: the head revisions, in Alembic's text. */
#include "cli.h"

struct heads_opts {
	bool resolve_dependencies;
};

static const struct cli_opt opts[] = {
	{ 0, "resolve-dependencies", CLI_OPT_FLAG,
	  CLI_OPT_AT(struct heads_opts, resolve_dependencies), NULL,
	  "only real heads: revisions nothing depends on" },
	{ 0 },
};

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args, (void)err;
	const struct heads_opts *o = ctx->opts;
	rt_revlist heads = { 0 };
	if (o->resolve_dependencies)
		rt_graph_real_heads(ctx->graph, &heads, ctx->arena);
	else
		rt_graph_heads(ctx->graph, &heads, ctx->arena);
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = ctx->verbosity > 0 };
	cli_longdoc(&fmt);
	rt_graph_format_heads(&b, ctx->graph, o->resolve_dependencies, &fmt);
	cli_emit_revisions(ctx, &heads, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return RT_OK;
}

const struct cli_cmd cli_cmd_heads = {
	.name = "heads",
	.args = "[--resolve-dependencies]",
	.summary = "show the head revisions",
	.opts = opts,
	.opts_size = sizeof(struct heads_opts),
	.flags = CLI_NEED_GRAPH | CLI_FROM_BUNDLE,
	.run = run,
};
