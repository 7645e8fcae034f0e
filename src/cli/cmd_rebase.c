/*
 * retort rebase REV --onto PARENT: point REV's down_revision at other
 * parents (src/author/rebase.c plans and writes it). Here: the refusal of a
 * revision the configured database has applied, and the report.
 */
#include "cli.h"
#include "retort/author.h"

struct rebase_opts {
	rt_strv onto;
	bool dry_run, no_db;
};
#define AT(member) CLI_OPT_AT(struct rebase_opts, member)

static const struct cli_opt opts[] = {
	{ 0, "onto", CLI_OPT_LIST, AT(onto), "PARENT",
	  "the new parent (`base` for none; repeat for a merge revision)" },
	{ 0, "dry-run", CLI_OPT_FLAG, AT(dry_run), NULL,
	  "print the changed lines as a diff; write nothing" },
	{ 0, "no-db", CLI_OPT_FLAG, AT(no_db), NULL,
	  "do not check the configured database for REV being applied" },
	{ 0 },
};

/* Refuses a REV the configured database has applied: its recorded history
 * (and checksum) would no longer match the files. No URL: nothing to ask. */
static int check_database(void *arg, const rt_revision *rev, rt_error *err)
{
	struct cli_ctx *ctx = arg;
	const struct rebase_opts *o = ctx->opts;
	if (o->no_db || !ctx->cfg->database_url)
		return RT_OK;
	struct cli_session s;
	int rc = cli_session_open(ctx, &s, 0, err);
	if (rc < 0) {
		const char *hint = err->hint ? rt_sprintf(ctx->arena, "%s; or ", err->hint) : "";
		rt_error_hint(err, "%spass --no-db to rebase without checking the database", hint);
		goto out;
	}
	for (size_t i = 0; i < s.state.applied.n; i++) {
		if (s.state.applied.v[i] != rev)
			continue;
		rc = rt_error_set(err, RT_EUSAGE, &rev->loc, "revision '%s' is applied to the "
		                  "database %s", rev->id, rt_db_target(s.db));
		rt_error_detail(err, "rebasing it would change the history that database recorded "
		                     "(its version table and the file's checksum)");
		rt_error_hint(err, "downgrade that database below it first (retort downgrade %s), or "
		                   "rebase a revision it has not applied yet",
		              rev->down.n ? rev->down.v[0] : "base");
		break;
	}
out:
	cli_session_close(&s);
	return rc;
}

static void report_unchanged(struct cli_ctx *ctx, const rt_rebase *rb, const char *onto)
{
	cli_emit(ctx, &(struct cli_event){
		.name = "unchanged",
		.fields = CLI_FIELDS(CLI_STR("id", rb->rev->id), CLI_STRV("parents", &rb->parents)),
		.text = rt_sprintf(ctx->arena, "%s is already on %s (%s); nothing to do\n",
		                   rb->rev->id, onto, rb->rev->path),
	});
}

static void report(struct cli_ctx *ctx, rt_rebase *rb)
{
	const struct rebase_opts *o = ctx->opts;
	const char *onto = rt_author_ids(ctx->arena, &rb->parents, 0);
	if (rb->unchanged) {
		report_unchanged(ctx, rb, onto);
		cli_print_diags(ctx, &rb->warnings);
		return;
	}
	rt_revlist heads = { 0 };
	rt_graph_heads(rb->graph, &heads, ctx->arena);
	rt_buf diff = RT_BUF_INIT, text = RT_BUF_INIT;
	if (o->dry_run) {
		rt_rebase_diff(&diff, rb);
		rt_buf_add(&text, diff.ptr, diff.len);
		rt_buf_printf(&text, "Would rebase %s onto %s (%s); --dry-run: nothing written\n",
		              rb->rev->id, onto, rb->rev->path);
	} else {
		rt_buf_printf(&text, "Rebased %s onto %s (%s)\n", rb->rev->id, onto, rb->rev->path);
	}
	cli_emit(ctx, &(struct cli_event){
		.name = "rebased",
		.fields = CLI_FIELDS(CLI_STR("id", rb->rev->id), CLI_STR("path", rb->rev->path),
		                     CLI_STRV("old_parents", &rb->rev->down),
		                     CLI_STRV("parents", &rb->parents), CLI_REVIDS("heads", &heads),
		                     CLI_BOOL("dry_run", o->dry_run),
		                     CLI_STR_OPT("diff", o->dry_run ? rt_buf_cstr(&diff) : NULL)),
		.text = rt_buf_cstr(&text),
		/* the diff is what a dry run is for: shown with -q too */
		.text_flags = o->dry_run ? CLI_TEXT_ALWAYS : 0,
	});
	rt_buf_release(&diff);
	rt_buf_release(&text);
	cli_print_diags(ctx, &rb->warnings);
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	const struct rebase_opts *o = ctx->opts;
	if (!o->onto.n) {
		rt_error_set(err, RT_EUSAGE, NULL, "missing '--onto PARENT'");
		rt_error_hint(err, "give the new parent: retort rebase %s --onto PARENT (`base` for "
		                   "none; repeat --onto for several)", args->v[0]);
		return RT_EUSAGE;
	}
	/* graph errors may be what the rebase fixes; unreadable files are not */
	size_t file_errors = ctx->diags.errors - rt_graph_error_count(ctx->graph);
	if (file_errors) {
		cli_print_diags(ctx, &ctx->diags);
		return rt_error_set(err, RT_ESYNTAX, NULL, "%zu version file problem%s; 'retort "
		                    "check' lists them all", file_errors, file_errors == 1 ? "" : "s");
	}
	rt_rebase_opts ropts = {
		.rev = args->v[0], .onto = &o->onto, .check = check_database, .check_arg = ctx,
	};
	rt_rebase rb;
	int rc = rt_rebase_plan(&rb, ctx->arena, ctx->project, ctx->graph, &ropts, err);
	if (rc == RT_OK && !rb.unchanged && !o->dry_run)
		rc = rt_rebase_apply(&rb, err);
	if (rc == RT_OK)
		report(ctx, &rb);
	else
		cli_print_diags(ctx, &rb.problems);
	rt_rebase_release(&rb);
	return rc;
}

const struct cli_cmd cli_cmd_rebase = {
	.name = "rebase",
	.args = "REV --onto PARENT [--onto PARENT...] [--dry-run] [--no-db]",
	.summary = "point a revision at other parents, rewriting only its down_revision",
	.opts = opts,
	.flags = CLI_NEED_GRAPH | CLI_TOLERATE_BROKEN,
	.opts_size = sizeof(struct rebase_opts),
	.min_args = 1,
	.max_args = 1,
	.run = run,
};
