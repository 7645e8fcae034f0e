/*
 * retort rebase REV --onto PARENT: point REV's down_revision at other
 * parents, rewriting only that value (and the docstring's Revises: line).
 * The would-be graph is built and checked before anything is written, and a
 * revision the configured database has applied is refused.
 */
#include <string.h>

#include "cli.h"
#include "retort/rewrite.h"
#include "retort/source.h"

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

/* What the command works on, gathered step by step. */
struct rebase {
	const rt_revision *rev;
	rt_strv parents;      /* the new down_revision, ids in --onto order */
	rt_graph *graph;      /* the would-be graph */
	rt_buf text;          /* the rewritten file */
	rt_rewrite_spans spans;
	const rt_source *src; /* the file as read */
};

static void put_ids(rt_buf *b, const rt_strv *ids, bool quoted)
{
	if (!ids->n)
		rt_buf_puts(b, "base");
	for (size_t i = 0; i < ids->n; i++)
		rt_buf_printf(b, quoted ? "%s'%s'" : "%s%s", i ? ", " : "", ids->v[i]);
}

static const char *ids_str(struct cli_ctx *ctx, const rt_strv *ids, bool quoted)
{
	rt_buf b = RT_BUF_INIT;
	put_ids(&b, ids, quoted);
	const char *s = rt_strdup(ctx->arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

/* REV and each --onto, resolved as other commands resolve revisions. */
static int resolve(struct cli_ctx *ctx, const char *symbol, struct rebase *rb, rt_error *err)
{
	int rc = rt_graph_resolve_one(ctx->graph, symbol, &rb->rev, err);
	if (rc < 0)
		return rc;
	if (!rb->rev)
		return rt_error_set(err, RT_EUSAGE, NULL, "'%s' is not a revision that can be rebased",
		                    symbol);
	for (size_t i = 0; i < o.onto.n; i++) {
		const char *p = o.onto.v[i];
		const rt_revision *r;
		if (strcmp(p, "base") == 0 && o.onto.n > 1) {
			rt_error_set(err, RT_EUSAGE, NULL, "'--onto base' cannot be combined with "
			             "other parents");
			rt_error_hint(err, "give --onto base alone to make '%s' a base revision",
			              rb->rev->id);
			return RT_EUSAGE;
		}
		if ((rc = rt_graph_resolve_one(ctx->graph, p, &r, err)) < 0)
			return rc;
		if (!r)
			continue; /* base */
		if (rt_strv_index(&rb->parents, r->id) >= 0)
			return rt_error_set(err, RT_EUSAGE, NULL, "parent '%s' is given twice", r->id);
		rt_strv_push(ctx->arena, &rb->parents, r->id);
	}
	return RT_OK;
}

/* A parent that is REV or descends from it makes a loop; a parent that is an
 * ancestor of another parent is redundant (the other already follows it). */
static int check_parents(struct cli_ctx *ctx, struct rebase *rb, rt_error *err)
{
	const rt_graph *g = ctx->graph;
	const char *rev = rb->rev->id;
	for (size_t i = 0; i < rb->parents.n; i++) {
		const rt_revision *p = rt_graph_get(g, rb->parents.v[i]);
		if (rt_graph_is_ancestor(g, rb->rev, p, true)) {
			if (p == rb->rev)
				rt_error_set(err, RT_EGRAPH, &rb->rev->down_loc,
				             "cannot rebase '%s' onto itself", rev);
			else
				rt_error_set(err, RT_EGRAPH, &rb->rev->down_loc,
				             "cannot rebase '%s' onto '%s': '%s' descends from '%s', so the "
				             "graph would have a cycle", rev, p->id, p->id, rev);
			rt_error_hint(err, "choose a parent that is not '%s' or one of its descendants "
			                   "(`retort history -r %s:` lists them)", rev, rev);
			return RT_EGRAPH;
		}
		for (size_t j = 0; j < rb->parents.n; j++) {
			const rt_revision *q = rt_graph_get(g, rb->parents.v[j]);
			if (i != j && rt_graph_is_ancestor(g, p, q, false)) {
				rt_error_set(err, RT_EGRAPH, &rb->rev->down_loc,
				             "parent '%s' is an ancestor of parent '%s'", p->id, q->id);
				rt_error_hint(err, "give only --onto %s", q->id);
				return RT_EGRAPH;
			}
		}
	}
	return RT_OK;
}

/* Builds and checks a graph; several heads and bases are left to warnings. */
static rt_graph *build(struct cli_ctx *ctx, rt_revision **revs, rt_diags *diags)
{
	rt_graph *g;
	rt_diags_init(diags, ctx->arena);
	rt_graph_build(&g, ctx->arena, revs, ctx->project->n, diags);
	rt_graph_check_opts gopts = { .allow_multiple_heads = true, .allow_multiple_bases = true };
	rt_graph_check(g, &gopts, diags);
	return g;
}

static bool has_error(const rt_diags *d, const rt_diag *x)
{
	for (size_t i = 0; i < d->n; i++) {
		const rt_diag *y = d->items[i];
		if (y->severity == RT_SEV_ERROR && strcmp(y->kind, x->kind) == 0 &&
		    strcmp(y->message, x->message) == 0)
			return true;
	}
	return false;
}

/* The graph with REV's parents replaced must gain no error: errors it
 * already had (a dangling parent REV is being moved off, say) are allowed. */
static int validate(struct cli_ctx *ctx, struct rebase *rb, rt_error *err)
{
	size_t n = ctx->project->n;
	rt_revision **revs = rt_alloc_array(ctx->arena, n ? n : 1, sizeof(*revs));
	for (size_t i = 0; i < n; i++) {
		revs[i] = ctx->project->revs[i];
		if (revs[i] == rb->rev) {
			rt_revision *moved = rt_alloc(ctx->arena, sizeof(*moved));
			*moved = *rb->rev;
			moved->down = rb->parents;
			revs[i] = moved;
		}
	}
	rt_diags before, after, fresh;
	build(ctx, ctx->project->revs, &before);
	rb->graph = build(ctx, revs, &after);
	rt_diags_init(&fresh, ctx->arena);
	for (size_t i = 0; i < after.n; i++) {
		const rt_diag *d = after.items[i];
		if (d->severity == RT_SEV_ERROR && !has_error(&before, d))
			rt_diags_add(&fresh, d->severity, d->kind, &d->loc, d->hint, "%s",
			             d->message)->revision = d->revision;
	}
	if (!fresh.errors)
		return RT_OK;
	cli_print_diags(ctx, &fresh);
	rt_error_set(err, RT_EGRAPH, NULL, "rebasing '%s' onto %s would break the graph: %zu new "
	             "problem%s", rb->rev->id, ids_str(ctx, &rb->parents, true), fresh.errors,
	             fresh.errors == 1 ? "" : "s");
	rt_error_hint(err, "nothing was written; choose another parent");
	return RT_EGRAPH;
}

/* Refuses a REV the configured database has applied: its recorded history
 * (and checksum) would no longer match the files. No URL: nothing to ask. */
static int check_database(struct cli_ctx *ctx, const struct rebase *rb, rt_error *err)
{
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
		if (s.state.applied.v[i] != rb->rev)
			continue;
		const rt_strv *old = &rb->rev->down;
		rc = rt_error_set(err, RT_EUSAGE, &rb->rev->loc, "revision '%s' is applied to the "
		                  "database %s", rb->rev->id, rt_db_target(s.db));
		rt_error_detail(err, "rebasing it would change the history that database recorded "
		                     "(its version table and the file's checksum)");
		rt_error_hint(err, "downgrade that database below it first (retort downgrade %s), or "
		                   "rebase a revision it has not applied yet",
		              old->n ? old->v[0] : "base");
		break;
	}
out:
	cli_session_close(&s);
	return rc;
}

/* Reads REV's file again (the project may keep less than the whole file)
 * and produces the new text. */
static int rewrite(struct cli_ctx *ctx, struct rebase *rb, rt_error *err)
{
	const rt_revision *rev = rb->rev;
	rt_source *src;
	int rc = rt_source_load(&src, ctx->arena, rev->path, err);
	if (rc < 0)
		return rc;
	rb->src = src;
	rt_diags d;
	rt_diags_init(&d, ctx->arena);
	if (rev->origin == RT_REV_SQL) {
		rt_sqlfile *sf;
		rt_sqlfile_parse(&sf, ctx->arena, src, RT_SQLFILE_STANDALONE, &d);
		if (sf->header_ok && sf->revision && strcmp(sf->revision, rev->id) == 0)
			return rt_rewrite_sql_down_revision(&rb->text, &rb->spans, sf, &rb->parents, err);
	} else {
		rt_revfile *rf;
		if (rt_revfile_read(&rf, ctx->arena, src, &d) == RT_OK && rf->revision &&
		    strcmp(rf->revision, rev->id) == 0)
			return rt_rewrite_down_revision_spans(&rb->text, &rb->spans, rf, &rb->parents,
			                                      err);
	}
	cli_print_diags(ctx, &d);
	rt_loc loc = { .path = rev->path };
	rt_error_set(err, RT_ESYNTAX, &loc, "'%s' no longer reads as revision '%s'", rev->path,
	             rev->id);
	rt_error_hint(err, "it changed while retort was running; run the command again");
	return RT_ESYNTAX;
}

/* Several heads or bases after the rebase: warnings, with check's advice. */
static void warn_tips(struct cli_ctx *ctx, const struct rebase *rb)
{
	rt_diags found, warn;
	rt_diags_init(&found, ctx->arena);
	rt_diags_init(&warn, ctx->arena);
	rt_graph_check(rb->graph, NULL, &found);
	for (size_t i = 0; i < found.n; i++) {
		const rt_diag *d = found.items[i];
		if (strcmp(d->kind, "multiple-heads") == 0 || strcmp(d->kind, "multiple-bases") == 0)
			rt_diags_add(&warn, RT_SEV_WARNING, d->kind, &d->loc, d->hint,
			             "after this rebase, %s", d->message)->revision = d->revision;
	}
	if (warn.n)
		cli_print_diags(ctx, &warn);
}

static void report(struct cli_ctx *ctx, const struct rebase *rb)
{
	const char *path = rb->rev->path;
	rt_revlist heads = { 0 };
	rt_graph_heads(rb->graph, &heads, ctx->arena);
	if (ctx->format == RT_FORMAT_JSON) {
		rt_buf f = RT_BUF_INIT;
		rt_buf_puts(&f, "\"id\":");
		rt_buf_json_str(&f, rb->rev->id);
		rt_buf_puts(&f, ",\"path\":");
		rt_buf_json_str(&f, path);
		rt_buf_putc(&f, ',');
		cli_json_strv(&f, "old_parents", &rb->rev->down);
		rt_buf_putc(&f, ',');
		cli_json_strv(&f, "parents", &rb->parents);
		rt_buf_puts(&f, ",\"heads\":[");
		for (size_t i = 0; i < heads.n; i++) {
			if (i)
				rt_buf_putc(&f, ',');
			rt_buf_json_str(&f, heads.v[i]->id);
		}
		rt_buf_printf(&f, "],\"dry_run\":%s", o.dry_run ? "true" : "false");
		if (o.dry_run) {
			rt_buf diff = RT_BUF_INIT;
			rt_rewrite_diff(&diff, path, rb->src->text, rb->src->len, rb->text.ptr,
			                rb->text.len, &rb->spans);
			rt_buf_puts(&f, ",\"diff\":");
			rt_buf_json_strn(&f, diff.ptr, diff.len);
			rt_buf_release(&diff);
		}
		cli_json_event(ctx, "rebased", &f);
		rt_buf_release(&f);
	} else if (o.dry_run) {
		rt_buf b = RT_BUF_INIT;
		rt_rewrite_diff(&b, path, rb->src->text, rb->src->len, rb->text.ptr, rb->text.len,
		                &rb->spans);
		rt_buf_printf(&b, "Would rebase %s onto %s (%s); --dry-run: nothing written\n",
		              rb->rev->id, ids_str(ctx, &rb->parents, false), path);
		cli_write(ctx->out, &b);
		rt_buf_release(&b);
	} else if (ctx->verbosity >= 0) {
		fprintf(ctx->out, "Rebased %s onto %s (%s)\n", rb->rev->id,
		        ids_str(ctx, &rb->parents, false), path);
	}
	warn_tips(ctx, rb);
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
	struct rebase rb = { .text = RT_BUF_INIT };
	int rc = resolve(ctx, args->v[0], &rb, err);
	if (rc < 0)
		return rc;
	if (rt_strv_equal(&rb.rev->down, &rb.parents)) {
		if (ctx->format == RT_FORMAT_JSON) {
			rt_buf f = RT_BUF_INIT;
			rt_buf_puts(&f, "\"id\":");
			rt_buf_json_str(&f, rb.rev->id);
			rt_buf_putc(&f, ',');
			cli_json_strv(&f, "parents", &rb.parents);
			cli_json_event(ctx, "unchanged", &f);
			rt_buf_release(&f);
		} else if (ctx->verbosity >= 0) {
			fprintf(ctx->out, "%s is already on %s (%s); nothing to do\n", rb.rev->id,
			        ids_str(ctx, &rb.parents, false), rb.rev->path);
		}
		return RT_OK;
	}
	if ((rc = check_parents(ctx, &rb, err)) < 0 || (rc = validate(ctx, &rb, err)) < 0 ||
	    (rc = check_database(ctx, &rb, err)) < 0 || (rc = rewrite(ctx, &rb, err)) < 0)
		goto out;
	if (!o.dry_run && (rc = rt_rewrite_file(rb.rev->path, &rb.text, err)) < 0)
		goto out;
	report(ctx, &rb);
out:
	rt_buf_release(&rb.text);
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
