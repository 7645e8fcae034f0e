/*
 * retort show REV: a revision's metadata in Alembic's text; with --sql the
 * exact body statements retort would execute, each ended by ';' and a
 * blank line, without transaction or version-row statements (SPEC §1).
 */
#include "cli.h"
#include "retort/translate.h"

static struct {
	bool sql, downgrade;
} o;

static const struct cli_opt opts[] = {
	{ 0, "sql", CLI_OPT_FLAG, &o.sql, NULL, "print the body SQL retort would execute" },
	{ 0, "downgrade", CLI_OPT_FLAG, &o.downgrade, NULL, "with --sql: the downgrade body" },
	{ 0 },
};

static int print_sql(struct cli_ctx *ctx, const rt_revision *rev, rt_error *err)
{
	rt_stmtlist stmts = { 0 };
	rt_translate_ctx *tctx = rt_translate_ctx_new(ctx->arena, ctx->cfg);
	int rc = rt_revision_body(&stmts, ctx->arena, rev, o.downgrade ? RT_DOWNGRADE : RT_UPGRADE,
	                          tctx, err);
	if (ctx->verbosity > 0) /* what was ignored as Alembic ignores it */
		cli_print_diags(ctx, rt_translate_ctx_warnings(tctx));
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < stmts.n; i++) {
		const rt_stmt *s = stmts.items[i];
		if (ctx->format == RT_FORMAT_JSON) {
			rt_buf f = RT_BUF_INIT;
			rt_buf_puts(&f, "\"revision\":");
			rt_buf_json_str(&f, rev->id);
			rt_buf_puts(&f, ",\"sql\":");
			rt_buf_json_strn(&f, s->sql, s->len);
			rt_buf_printf(&f, ",\"no_transaction\":%s", s->no_transaction ? "true" : "false");
			rt_loc loc = rt_stmt_loc(s, 0);
			if (loc.path) {
				rt_buf_puts(&f, ",\"file\":");
				rt_buf_json_str(&f, loc.path);
				rt_buf_printf(&f, ",\"line\":%u,\"col\":%u", loc.line, loc.col);
			}
			cli_json_event(ctx, "statement", &f);
			rt_buf_release(&f);
			continue;
		}
		rt_buf_add(&b, s->sql, s->len);
		rt_buf_puts(&b, ";\n\n");
	}
	cli_write(ctx->out, &b);
	rt_buf_release(&b);
	return RT_OK;
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	if (cli_expect_args(ctx, args, 1, 1, err) < 0)
		return err->code;
	if (o.downgrade && !o.sql)
		return rt_error_set(err, RT_EUSAGE, NULL, "'--downgrade' goes with '--sql'");
	rt_revlist revs = { 0 };
	int rc = rt_graph_resolve(ctx->graph, args->v[0], &revs, ctx->arena, err);
	if (rc < 0)
		return rc;
	if (o.sql) {
		if (revs.n != 1)
			return rt_error_set(err, RT_EUSAGE, NULL,
			                    "'%s' names %zu revisions; --sql shows one at a time",
			                    args->v[0], revs.n);
		return print_sql(ctx, revs.v[0], err);
	}
	if (ctx->format == RT_FORMAT_JSON) {
		cli_json_revisions(ctx, &revs);
		return RT_OK;
	}
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = true };
	cli_longdoc(&fmt);
	rt_graph_format_show(&b, ctx->graph, &revs, &fmt);
	cli_write(ctx->out, &b);
	rt_buf_release(&b);
	return RT_OK;
}

const struct cli_cmd cli_cmd_show = {
	.name = "show",
	.args = "REV [--sql [--downgrade]]",
	.summary = "show a revision's metadata, or with --sql the statements it runs",
	.opts = opts,
	.flags = CLI_NEED_GRAPH,
	.run = run,
};
