/*
 * retort revision / retort merge: write a new, empty version file as
 * Alembic 1.8.1's `revision` and `merge` do (src/author/write.c), and say
 * "Generating PATH ...  done" per file written.
 */
#include "cli.h"
#include "retort/author.h"

struct revision_opts {
	const char *message, *head, *branch_label, *rev_id, *version_path;
	rt_strv depends_on;
	bool sql;
};
#define AT(member) CLI_OPT_AT(struct revision_opts, member)

static const struct cli_opt revision_opts[] = {
	{ 'm', "message", CLI_OPT_STRING, AT(message), "MSG", "the revision's message" },
	{ 0, "head", CLI_OPT_STRING, AT(head), "REV",
	  "the head to build on (default: the single head; `base` starts a new base)" },
	{ 0, "branch-label", CLI_OPT_STRING, AT(branch_label), "LABEL",
	  "a branch label for the new revision" },
	{ 0, "depends-on", CLI_OPT_LIST, AT(depends_on), "REV", "a dependency (repeatable)" },
	{ 0, "rev-id", CLI_OPT_STRING, AT(rev_id), "ID", "this id instead of a random one" },
	{ 0, "version-path", CLI_OPT_STRING, AT(version_path), "DIR",
	  "the version location to write into (needed when there are several)" },
	{ 0, "sql", CLI_OPT_FLAG, AT(sql), NULL,
	  "also write X.sql beside X.py; X.py runs its sections under Alembic" },
	{ 0 },
};

static const struct cli_opt merge_opts[] = {
	{ 'm', "message", CLI_OPT_STRING, AT(message), "MSG", "the revision's message" },
	{ 0, "branch-label", CLI_OPT_STRING, AT(branch_label), "LABEL",
	  "a branch label for the new revision" },
	{ 0, "rev-id", CLI_OPT_STRING, AT(rev_id), "ID", "this id instead of a random one" },
	{ 0 },
};

void cli_report_revision(struct cli_ctx *ctx, const rt_newrev *nr,
                         const rt_author_written *w)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "Generating %s ...  done\n", w->py_path);
	if (w->sql_path)
		rt_buf_printf(&b, "Generating %s ...  done\n", w->sql_path);
	cli_emit(ctx, &(struct cli_event){
		.name = "revision_created",
		.fields = CLI_FIELDS(CLI_STR("id", nr->rev_id), CLI_STRV("parents", &nr->down),
		                     CLI_STR("path", w->py_path), CLI_STR_OPT("sql_path", w->sql_path)),
		.text = rt_buf_cstr(&b),
	});
	rt_buf_release(&b);
}

static int create(struct cli_ctx *ctx, const rt_revlist *parents, rt_error *err)
{
	const struct revision_opts *o = ctx->opts;
	rt_author_revision_opts opts = {
		.message = o->message, .rev_id = o->rev_id, .branch_label = o->branch_label,
		.depends_on = &o->depends_on, .version_path = o->version_path,
		.flags = o->sql ? RT_AUTHOR_SIDECAR : 0,
	};
	rt_newrev nr;
	rt_author_written w;
	int rc = rt_author_revision(&nr, &w, ctx->arena, ctx->cfg, ctx->graph, parents, &opts, err);
	if (rc == RT_OK)
		cli_report_revision(ctx, &nr, &w);
	return rc;
}

static int run_revision(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args;
	const struct revision_opts *o = ctx->opts;
	rt_revlist parents = { 0 };
	int rc = rt_author_revision_parents(&parents, ctx->arena, ctx->graph, o->head, err);
	return rc < 0 ? rc : create(ctx, &parents, err);
}

static int run_merge(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	rt_revlist parents = { 0 };
	for (size_t i = 0; i < args->n; i++) {
		int rc = rt_author_add_heads(&parents, ctx->arena, ctx->graph, args->v[i], err);
		if (rc < 0)
			return rc;
	}
	return create(ctx, &parents, err);
}

const struct cli_cmd cli_cmd_revision = {
	.name = "revision",
	.args = "[-m MSG] [--head REV] [--branch-label L] [--depends-on REV] [--rev-id ID] "
	        "[--version-path DIR] [--sql]",
	.summary = "write a new, empty version file on the head",
	.opts = revision_opts,
	.flags = CLI_NEED_GRAPH,
	.opts_size = sizeof(struct revision_opts),
	.run = run_revision,
};

const struct cli_cmd cli_cmd_merge = {
	.name = "merge",
	.args = "[-m MSG] [--branch-label L] [--rev-id ID] REV... | heads",
	.summary = "write a merge revision joining the given heads",
	.opts = merge_opts,
	.flags = CLI_NEED_GRAPH,
	.opts_size = sizeof(struct revision_opts),
	.min_args = 1,
	.max_args = CLI_ARGS_MANY,
	.run = run_merge,
};
