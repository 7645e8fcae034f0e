/* retort history: revisions newest first, in Alembic's line format. */
#include "cli.h"

static struct {
	const char *range;
	bool indicate_current;
} o;

static const struct cli_opt opts[] = {
	{ 'r', "rev-range", CLI_OPT_STRING, &o.range, "RANGE",
	  "A:B, A: or :B (inclusive; relative forms and labels allowed)" },
	{ 'i', "indicate-current", CLI_OPT_FLAG, &o.indicate_current, NULL,
	  "mark the database's current revisions (connects)" },
	{ 0 },
};

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	if (cli_expect_args(ctx, args, 0, 0, err) < 0)
		return err->code;
	struct cli_session s = { 0 };
	rt_strv no_rows = { 0 };
	const rt_strv *rows = &no_rows;
	int rc = RT_OK;
	if (o.indicate_current) {
		/* unlike Alembic's history -i, nothing is created in the database */
		if ((rc = cli_session_open(ctx, &s, 0, err)) < 0)
			goto out;
		rows = &s.rows;
	}
	rt_revlist revs = { 0 };
	if ((rc = rt_graph_history(ctx->graph, o.range, rows, &revs, ctx->arena, err)) < 0)
		goto out;
	if (ctx->format == RT_FORMAT_JSON) {
		cli_json_revisions(ctx, &revs);
		goto out;
	}
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = ctx->verbosity > 0, .current = o.indicate_current ? rows : NULL };
	cli_longdoc(&fmt);
	rt_graph_format_history(&b, ctx->graph, &revs, &fmt);
	cli_write(ctx->out, &b);
	rt_buf_release(&b);
out:
	cli_session_close(&s);
	return rc;
}

const struct cli_cmd cli_cmd_history = {
	.name = "history",
	.args = "[-r RANGE] [--verbose] [-i]",
	.summary = "list revisions newest first",
	.opts = opts,
	.flags = CLI_NEED_GRAPH,
	.run = run,
};
