/*
 * retort squash --to REV [--from FROM] -m MSG: replace a range of revisions by
 * one whose sidecar .sql holds every step's statements, re-point REV's children
 * to it, archive the squashed files (src/author/squashjob.c plans and applies
 * it). Here: the preview, each write reported, and the stamp commands for
 * existing databases, spelled with this run's global flags.
 */
#include <string.h>

#include "cli.h"
#include "retort/author.h"

struct squash_opts {
	const char *to, *from, *message, *archive, *rev_id;
	bool keep, dry_run;
};
#define AT(member) CLI_OPT_AT(struct squash_opts, member)

static const struct cli_opt opts[] = {
	{ 0, "to", CLI_OPT_STRING, AT(to), "REV", "the newest revision to squash (required)" },
	{ 0, "from", CLI_OPT_STRING, AT(from), "REV",
	  "the revision kept below the range, the new one's parent (default: base)" },
	{ 'm', "message", CLI_OPT_STRING, AT(message), "MSG", "the new revision's message (required)" },
	{ 0, "rev-id", CLI_OPT_STRING, AT(rev_id), "ID", "this id instead of a random one" },
	{ 0, "archive", CLI_OPT_STRING, AT(archive), "DIR",
	  "where the squashed files go (default: <script_location>/squashed/<new id>)" },
	{ 0, "keep", CLI_OPT_FLAG, AT(keep), NULL, "leave the squashed files where they are" },
	{ 0, "dry-run", CLI_OPT_FLAG, AT(dry_run), NULL, "print what would be done; write nothing" },
	{ 0 },
};

/* ---- shell text for the printed commands ---- */

static void put_arg(rt_buf *b, const char *s)
{
	rt_buf_putc(b, ' ');
	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	                   "_./:@%+=,-") == strlen(s)) {
		rt_buf_puts(b, s);
		return;
	}
	rt_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			rt_buf_puts(b, "'\\''");
		else
			rt_buf_putc(b, *s);
	}
	rt_buf_putc(b, '\'');
}

/* The global flags this run was given that a later retort run needs too. */
static void retort_flags(rt_buf *b, struct cli_ctx *ctx)
{
	const rt_config_overrides *ov = ctx->ov;
	static const char *const names[] = { "-c", "-d", "-s", "--version-table",
		                             "--version-table-schema", "--history-table" };
	const char *values[] = {
		ov->config_path,
		ov->database_url ? rt_url_mask(ctx->arena, ov->database_url) : NULL,
		ov->script_location, ov->version_table, ov->version_table_schema, ov->history_table,
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (values[i]) {
			rt_buf_printf(b, " %s", names[i]);
			put_arg(b, values[i]);
		}
	}
	for (size_t k = 0; k < ov->version_locations.n; k++) {
		rt_buf_puts(b, " --version-location");
		put_arg(b, ov->version_locations.v[k]);
	}
}

/* The commands existing databases need, with this run's flags: also the JSON members. */
struct commands {
	rt_buf stamp_retort, stamp_alembic, repair;
};

static void advice(struct cli_ctx *ctx, const rt_squash_advice *a, struct commands *c)
{
	rt_buf_puts(&c->stamp_retort, "retort");
	retort_flags(&c->stamp_retort, ctx);
	rt_buf_puts(&c->stamp_retort, " stamp --purge");
	put_arg(&c->stamp_retort, a->stamp);
	if (ctx->cfg->ini_path) {
		rt_buf_puts(&c->stamp_alembic, "alembic");
		const char *ini = cli_relpath(ctx->cfg->ini_path);
		if (strcmp(ini, "alembic.ini") != 0) {
			rt_buf_puts(&c->stamp_alembic, " -c");
			put_arg(&c->stamp_alembic, ini);
		}
		rt_buf_puts(&c->stamp_alembic, " stamp --purge");
		put_arg(&c->stamp_alembic, a->stamp);
	}
	if (a->repair->n) {
		rt_buf_puts(&c->repair, "retort");
		retort_flags(&c->repair, ctx);
		rt_buf_puts(&c->repair, " repair");
		for (size_t i = 0; i < a->repair->n; i++)
			put_arg(&c->repair, a->repair->v[i]->id);
	}
}

static void append_advice(rt_buf *b, const rt_squash_advice *a, const struct commands *c)
{
	const char *to = a->at, *id = a->stamp;
	const rt_revlist *children = a->repair;
	rt_buf_printf(b, "\nDatabases at %s (the version table holds '%s') must be stamped once, "
	                  "with either tool:\n  %s\n", to, to, rt_buf_cstr(&c->stamp_retort));
	if (c->stamp_alembic.len)
		rt_buf_printf(b, "  %s\n", rt_buf_cstr(&c->stamp_alembic));
	rt_buf_puts(b, "  (--purge empties the version table first: it is the only way past a "
	                "revision that no file declares any more");
	if (a->other_heads)
		rt_buf_printf(b, "; a database that also holds other branches' rows must name "
		                  "them too: stamp --purge %s OTHER...", id);
	rt_buf_puts(b, ")\n");
	if (c->repair.len) {
		rt_buf_puts(b, "Databases past it (at ");
		for (size_t i = 0; i < children->n; i++)
			rt_buf_printf(b, "%s%s", i ? " or " : "", children->v[i]->id);
		rt_buf_printf(b, " or later) need nothing under Alembic; retort sees the re-pointed "
		                  "file%s as changed, so record %s once:\n  %s\n",
		              children->n > 1 ? "s" : "", children->n > 1 ? "them" : "it",
		              rt_buf_cstr(&c->repair));
		if (children->n > 1)
			rt_buf_puts(b, "  (name only the children the database has applied)\n");
	}
	rt_buf_printf(b, "Databases inside the range (below %s) must first run 'upgrade %s' "
	                  "with the files as they were before this squash; new databases just "
	                  "run %s.\n", to, to, id);
}

static void print_preview(struct cli_ctx *ctx, const rt_squash_job *j)
{
	const struct squash_opts *o = ctx->opts;
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "Squashing %zu revision%s after %s up to %s into %s:\n", j->sq.members.n,
	              j->sq.members.n == 1 ? "" : "s", j->sq.from ? j->sq.from->id : "base",
	              j->sq.to->id, j->nr.rev_id);
	for (size_t i = 0; i < j->sq.members.n; i++) {
		const rt_revision *m = j->sq.members.v[i];
		rt_buf_printf(&b, "  %s %s\n", m->id, m->message ? m->message : "");
	}
	if (o->dry_run) {
		rt_buf_printf(&b, "Would write %s and %s\n", j->files.py_path, j->files.sql_path);
		for (size_t i = 0; i < j->nrewrites; i++)
			rt_buf_printf(&b, "Would re-point %s to %s\n", j->rewrites[i].path, j->nr.rev_id);
		for (size_t i = 0; i < j->nmoves; i++)
			rt_buf_printf(&b, "Would archive %s to %s/\n", j->moves[i].path, j->archive);
		if (ctx->verbosity > 0)
			rt_buf_printf(&b, "\n%s:\n%s", j->files.sql_path, rt_buf_cstr(&j->sql));
	}
	cli_emit(ctx, &(struct cli_event){ .text = rt_buf_cstr(&b) });
	rt_buf_release(&b);
}

/* What apply did, in its order (also the steps done before a failure). */
static void print_done(struct cli_ctx *ctx, const rt_squash_job *j)
{
	if (j->written)
		cli_report_revision(ctx, &j->nr, &j->files);
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < j->nrewrites && j->rewrites[i].done; i++)
		rt_buf_printf(&b, "Re-pointing %s to %s ...  done\n", j->rewrites[i].path,
		              j->nr.rev_id);
	for (size_t i = 0; i < j->nmoves && j->moves[i].done; i++)
		rt_buf_printf(&b, "Archiving %s to %s/ ...  done\n", j->moves[i].path, j->archive);
	cli_emit(ctx, &(struct cli_event){ .text = rt_buf_cstr(&b) });
	rt_buf_release(&b);
}

static void emit_result(struct cli_ctx *ctx, const rt_squash_job *j, const struct commands *c,
                        const char *text)
{
	const struct squash_opts *o = ctx->opts;
	rt_strv archived = { 0 }, stamp = { 0 };
	for (size_t i = 0; i < j->nmoves; i++)
		rt_strv_push(ctx->arena, &archived, j->moves[i].path);
	rt_strv_push(ctx->arena, &stamp, rt_buf_cstr(&c->stamp_retort));
	if (c->stamp_alembic.len)
		rt_strv_push(ctx->arena, &stamp, rt_buf_cstr(&c->stamp_alembic));
	cli_emit(ctx, &(struct cli_event){
		.name = "squash",
		.fields = CLI_FIELDS(
			CLI_BOOL("dry_run", o->dry_run), CLI_STR("id", j->nr.rev_id),
			CLI_STR("path", j->files.py_path), CLI_STR("sql_path", j->files.sql_path),
			CLI_STR("from", j->sq.from ? j->sq.from->id : NULL), CLI_STR("to", j->sq.to->id),
			CLI_REVIDS("members", &j->sq.members), CLI_REVIDS("children", &j->sq.children),
			CLI_STRV("labels", &j->sq.labels),
			CLI_STR("archive", j->nmoves ? j->archive : NULL), CLI_STRV("archived", &archived),
			CLI_STRV("stamp", &stamp),
			CLI_STR("repair", c->repair.len ? rt_buf_cstr(&c->repair) : NULL)),
		.text = text,
		.text_flags = CLI_TEXT_ALWAYS,
	});
}

static void finish(struct cli_ctx *ctx, const rt_squash_job *j)
{
	const struct squash_opts *o = ctx->opts;
	rt_squash_advice a = rt_squash_advise(j, ctx->graph, ctx->arena);
	struct commands c = { RT_BUF_INIT, RT_BUF_INIT, RT_BUF_INIT };
	advice(ctx, &a, &c);
	if (o->keep && !o->dry_run)
		cli_emit(ctx, &(struct cli_event){
			.text = rt_sprintf(ctx->arena, "retort: warning: the squashed files were kept: "
			                   "until they are removed, '%s' is a second head of the "
			                   "project\n", j->sq.to->id),
			.text_flags = CLI_TEXT_STDERR | CLI_TEXT_ALWAYS,
		});
	rt_buf text = RT_BUF_INIT;
	if (o->dry_run)
		rt_buf_puts(&text, "Dry run: nothing written.\n");
	append_advice(&text, &a, &c);
	emit_result(ctx, j, &c, rt_buf_cstr(&text));
	rt_buf_release(&text);
	rt_buf_release(&c.stamp_retort);
	rt_buf_release(&c.stamp_alembic);
	rt_buf_release(&c.repair);
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args;
	const struct squash_opts *o = ctx->opts;
	if (!o->to || !o->message)
		return rt_error_set(err, RT_EUSAGE, NULL, "squash needs --to REV and -m MSG");
	rt_squash_opts sopts = {
		.to = o->to, .from = o->from, .message = o->message, .rev_id = o->rev_id,
		.archive = o->archive, .archive_root = cli_relpath(ctx->cfg->script_location),
		.flags = o->keep ? RT_SQUASH_KEEP : 0,
	};
	rt_squash_job j;
	int rc = rt_squash_plan(&j, ctx->arena, ctx->cfg, ctx->graph, &sopts, err);
	if (rc < 0)
		cli_print_diags(ctx, &j.problems);
	if (rc == RT_OK)
		print_preview(ctx, &j);
	if (rc == RT_OK && !o->dry_run) {
		rc = rt_squash_apply(&j, ctx->arena, ctx->cfg, ctx->graph, err);
		print_done(ctx, &j);
	}
	if (rc == RT_OK)
		finish(ctx, &j);
	rt_squash_release(&j);
	return rc;
}

const struct cli_cmd cli_cmd_squash = {
	.name = "squash",
	.args = "--to REV [--from REV] -m MSG [--rev-id ID] [--archive DIR] [--keep] [--dry-run]",
	.summary = "replace a range of revisions by one; re-point its children; archive the files",
	.opts = opts,
	.flags = CLI_NEED_GRAPH,
	.opts_size = sizeof(struct squash_opts),
	.run = run,
};
