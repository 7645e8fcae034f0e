/* retort current: the revisions in the version table, marked as Alembic marks them. */
#include "cli.h"

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	if (cli_expect_args(ctx, args, 0, 0, err) < 0)
		return err->code;
	struct cli_session s;
	int rc = cli_session_open(ctx, &s, 0, err);
	if (rc < 0)
		goto out;
	if (ctx->format == RT_FORMAT_JSON) {
		rt_revlist revs = { 0 };
		for (size_t i = 0; i < s.rows.n; i++) {
			const rt_revision *r = rt_graph_get(ctx->graph, s.rows.v[i]);
			if (!r) {
				rc = rt_applied_state_check(&s.state, err);
				goto out;
			}
			rt_revlist_push(ctx->arena, &revs, r);
		}
		cli_json_revisions(ctx, &revs);
		goto out;
	}
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = ctx->verbosity > 0 };
	cli_longdoc(&fmt);
	rc = rt_graph_format_current(&b, ctx->graph, &s.rows, &fmt, err);
	if (rc == RT_ENOTFOUND) /* an unknown revision in the table is drift (SPEC §2) */
		rc = rt_applied_state_check(&s.state, err);
	else if (rc == RT_OK)
		cli_write(ctx->out, &b);
	rt_buf_release(&b);
out:
	cli_session_close(&s);
	return rc;
}

const struct cli_cmd cli_cmd_current = {
	.name = "current",
	.args = "[--verbose]",
	.summary = "show the revisions the database is at",
	.opts = NULL,
	.flags = CLI_NEED_GRAPH,
	.run = run,
};
