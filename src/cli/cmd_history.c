/* retort history: revisions newest first, in Alembic's line format. */
#include "cli.h"

static struct {
	const char *range;
	bool verbose;
} o;

static const struct cli_opt opts[] = {
	{ 'r', "rev-range", CLI_OPT_STRING, &o.range, "RANGE",
	  "A:B, A: or :B (inclusive; relative forms and labels allowed)" },
	{ 0 },
};

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	if (cli_expect_args(ctx, args, 0, 0, err) < 0)
		return err->code;
	rt_revlist revs = { 0 };
	rt_strv no_rows = { 0 };
	int rc = rt_graph_history(ctx->graph, o.range, &no_rows, &revs, ctx->arena, err);
	if (rc < 0)
		return rc;
	if (ctx->format == RT_FORMAT_JSON) {
		cli_json_revisions(ctx, &revs);
		return RT_OK;
	}
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = ctx->verbosity > 0 };
	cli_longdoc(&fmt);
	rt_graph_format_history(&b, ctx->graph, &revs, &fmt);
	fwrite(b.ptr, 1, b.len, ctx->out);
	rt_buf_release(&b);
	return RT_OK;
}

const struct cli_cmd cli_cmd_history = {
	.name = "history",
	.args = "[-r RANGE] [--verbose]",
	.summary = "list revisions newest first",
	.opts = opts,
	.flags = CLI_NEED_GRAPH,
	.run = run,
};
