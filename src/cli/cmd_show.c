/*
 * retort show REV: a revision's metadata in Alembic's text; with --sql the
 * exact body statements retort would execute, each ended by ';' and a
 * blank line, without transaction or version-row statements (SPEC §1).
 */
#include "cli.h"
#include "retort/translate.h"

struct show_opts {
	bool sql, downgrade;
};

static const struct cli_opt opts[] = {
	{ 0, "sql", CLI_OPT_FLAG, CLI_OPT_AT(struct show_opts, sql), NULL,
	  "print the body SQL retort would execute" },
	{ 0, "downgrade", CLI_OPT_FLAG, CLI_OPT_AT(struct show_opts, downgrade), NULL,
	  "with --sql: the downgrade body" },
	{ 0 },
};

static int print_sql(struct cli_ctx *ctx, const rt_revision *rev, rt_error *err)
{
	const struct show_opts *o = ctx->opts;
	rt_stmtlist stmts = { 0 };
	/* the statements a run would take, from the same source */
	const rt_step_source *src = cli_step_source(ctx, false);
	rt_step step = { .kind = o->downgrade ? RT_STEP_DOWNGRADE : RT_STEP_UPGRADE, .rev = rev };
	int rc = rt_step_source_body(src, &step, ctx->arena, &stmts, err);
	if (ctx->verbosity > 0 && !ctx->bundle) { /* what was ignored as Alembic ignores it */
		const rt_files_source *files = src->ctx;
		cli_print_diags(ctx, rt_translate_ctx_warnings(files->tctx));
	}
	if (rc < 0)
		return rc;
	const char *note = cli_body_note(ctx, rev, o->downgrade ? RT_DOWNGRADE : RT_UPGRADE);
	if (*note)
		cli_emit(ctx, &(struct cli_event){
			.text = rt_sprintf(ctx->arena, "--%s\n", note),
			.text_flags = CLI_TEXT_ALWAYS,
		});
	for (size_t i = 0; i < stmts.n; i++) {
		const rt_stmt *s = stmts.items[i];
		rt_loc loc = rt_stmt_loc(s, 0);
		if (s->echo) { /* print(): a comment in the SQL, its own event as JSON */
			rt_buf b = RT_BUF_INIT;
			rt_stmt_echo_comment(&b, s);
			cli_emit(ctx, &(struct cli_event){
				.name = "echo",
				.fields = CLI_FIELDS(CLI_STR("revision", rev->id), CLI_STR("text", s->echo),
				                     CLI_STR_OPT("level", s->echo_level), CLI_LOC(&loc)),
				.text = b.len ? rt_strdup(ctx->arena, rt_buf_cstr(&b)) : NULL,
				.text_flags = CLI_TEXT_ALWAYS,
			});
			rt_buf_release(&b);
			continue;
		}
		char *text = rt_sprintf(ctx->arena, "%.*s;\n\n", (int)s->len, s->sql);
		cli_emit(ctx, &(struct cli_event){
			.name = "statement",
			.fields = CLI_FIELDS(CLI_STR("revision", rev->id), CLI_STRN("sql", s->sql, s->len),
			                     CLI_BOOL("no_transaction", s->no_transaction),
			                     CLI_LOC(&loc)),
			.text = text,
			.text_flags = CLI_TEXT_ALWAYS,
		});
	}
	return RT_OK;
}

static int validate(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args;
	const struct show_opts *o = ctx->opts;
	if (o->downgrade && !o->sql)
		return rt_error_set(err, RT_EUSAGE, NULL, "'--downgrade' goes with '--sql'");
	return RT_OK;
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	const struct show_opts *o = ctx->opts;
	rt_revlist revs = { 0 };
	int rc = rt_graph_resolve(ctx->graph, args->v[0], &revs, ctx->arena, err);
	if (rc < 0)
		return rc;
	if (o->sql) {
		if (revs.n != 1)
			return rt_error_set(err, RT_EUSAGE, NULL,
			                    "'%s' names %zu revisions; --sql shows one at a time",
			                    args->v[0], revs.n);
		return print_sql(ctx, revs.v[0], err);
	}
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = true };
	cli_longdoc(&fmt);
	rt_graph_format_show(&b, ctx->graph, &revs, &fmt);
	cli_emit_revisions(ctx, &revs, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return RT_OK;
}

const struct cli_cmd cli_cmd_show = {
	.name = "show",
	.args = "REV [--sql [--downgrade]]",
	.summary = "show a revision's metadata, or with --sql the statements it runs",
	.opts = opts,
	.opts_size = sizeof(struct show_opts),
	.flags = CLI_NEED_GRAPH | CLI_FROM_BUNDLE,
	.min_args = 1,
	.max_args = 1,
	.validate = validate,
	.run = run,
};
