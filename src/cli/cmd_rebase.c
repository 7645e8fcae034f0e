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
/* Copied from ctx->opts when the command runs (until this file moves to src/author). */
static struct rebase_opts o;
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
	if (o.no_db || !ctx->cfg->database_url)
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

static void report_json(struct cli_ctx *ctx, const rt_rebase *rb)
{
	rt_buf f = RT_BUF_INIT;
	rt_buf_puts(&f, "\"id\":");
	rt_buf_json_str(&f, rb->rev->id);
	if (rb->unchanged) {
		rt_buf_putc(&f, ',');
		cli_json_strv(&f, "parents", &rb->parents);
		cli_json_event(ctx, "unchanged", &f);
		rt_buf_release(&f);
		return;
	}
	rt_revlist heads = { 0 };
	rt_strv head_ids = { 0 };
	rt_graph_heads(rb->graph, &heads, ctx->arena);
	for (size_t i = 0; i < heads.n; i++)
		rt_strv_push(ctx->arena, &head_ids, heads.v[i]->id);
	rt_buf_puts(&f, ",\"path\":");
	rt_buf_json_str(&f, rb->rev->path);
	rt_buf_putc(&f, ',');
	cli_json_strv(&f, "old_parents", &rb->rev->down);
	rt_buf_putc(&f, ',');
	cli_json_strv(&f, "parents", &rb->parents);
	rt_buf_putc(&f, ',');
	cli_json_strv(&f, "heads", &head_ids);
	rt_buf_printf(&f, ",\"dry_run\":%s", o.dry_run ? "true" : "false");
	if (o.dry_run) {
		rt_buf diff = RT_BUF_INIT;
		rt_rebase_diff(&diff, rb);
		rt_buf_puts(&f, ",\"diff\":");
		rt_buf_json_strn(&f, diff.ptr, diff.len);
		rt_buf_release(&diff);
	}
	cli_json_event(ctx, "rebased", &f);
	rt_buf_release(&f);
}

static void report(struct cli_ctx *ctx, rt_rebase *rb)
{
	const char *onto = rt_author_ids(ctx->arena, &rb->parents, 0);
	if (ctx->format == RT_FORMAT_JSON) {
		report_json(ctx, rb);
	} else if (rb->unchanged) {
		if (ctx->verbosity >= 0)
			fprintf(ctx->out, "%s is already on %s (%s); nothing to do\n", rb->rev->id, onto,
			        rb->rev->path);
	} else if (o.dry_run) {
		rt_buf b = RT_BUF_INIT;
		rt_rebase_diff(&b, rb);
		rt_buf_printf(&b, "Would rebase %s onto %s (%s); --dry-run: nothing written\n",
		              rb->rev->id, onto, rb->rev->path);
		cli_write(ctx->out, &b);
		rt_buf_release(&b);
	} else if (ctx->verbosity >= 0) {
		fprintf(ctx->out, "Rebased %s onto %s (%s)\n", rb->rev->id, onto, rb->rev->path);
	}
	cli_print_diags(ctx, &rb->warnings);
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	o = *(const struct rebase_opts *)ctx->opts;
	if (cli_expect_args(ctx, args, 1, 1, err) < 0)
		return err->code;
	if (!o.onto.n) {
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
		.rev = args->v[0], .onto = &o.onto, .check = check_database, .check_arg = ctx,
	};
	rt_rebase rb;
	int rc = rt_rebase_plan(&rb, ctx->arena, ctx->project, ctx->graph, &ropts, err);
	if (rc == RT_OK && !rb.unchanged && !o.dry_run)
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
