/*
 * `rebase REV --onto PARENT...`: the new parents checked (no cycle, none
 * redundant), the would-be graph built and compared with the project's own
 * (it may keep errors it had, never gain one), then REV's file read again and
 * only its down_revision rewritten; the file is replaced atomically.
 */
#include <string.h>

#include "author_int.h"
#include "retort/revfile.h"
#include "retort/sqlfile.h"

/* REV and each --onto, resolved as other commands resolve revisions. */
static int resolve(rt_rebase *rb, rt_arena *arena, const rt_graph *g,
                   const rt_rebase_opts *opts, rt_error *err)
{
	int rc = rt_graph_resolve_one(g, opts->rev, &rb->rev, err);
	if (rc < 0)
		return rc;
	if (!rb->rev)
		return rt_error_set(err, RT_EUSAGE, NULL, "'%s' is not a revision that can be rebased",
		                    opts->rev);
	for (size_t i = 0; i < opts->onto->n; i++) {
		const char *p = opts->onto->v[i];
		const rt_revision *r;
		if (strcmp(p, "base") == 0 && opts->onto->n > 1) {
			rt_error_set(err, RT_EUSAGE, NULL, "'--onto base' cannot be combined with "
			             "other parents");
			rt_error_hint(err, "give --onto base alone to make '%s' a base revision",
			              rb->rev->id);
			return RT_EUSAGE;
		}
		if ((rc = rt_graph_resolve_one(g, p, &r, err)) < 0)
			return rc;
		if (!r)
			continue; /* base */
		if (rt_strv_index(&rb->parents, r->id) >= 0)
			return rt_error_set(err, RT_EUSAGE, NULL, "parent '%s' is given twice", r->id);
		rt_strv_push(arena, &rb->parents, r->id);
	}
	return RT_OK;
}

/* A parent that is REV or descends from it makes a loop; a parent that is an
 * ancestor of another parent is redundant (the other already follows it). */
static int check_parents(const rt_rebase *rb, const rt_graph *g, rt_error *err)
{
	const char *rev = rb->rev->id;
	for (size_t i = 0; i < rb->parents.n; i++) {
		const rt_revision *p = rt_graph_get(g, rb->parents.v[i]);
		if (rt_graph_is_ancestor(g, rb->rev, p, RT_EDGES_WITH_DEPS)) {
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
			if (i != j && rt_graph_is_ancestor(g, p, q, RT_EDGES_DOWN)) {
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
static rt_graph *build(rt_arena *arena, rt_revision **revs, size_t n, rt_diags *diags)
{
	rt_graph *g;
	rt_diags_init(diags, arena);
	rt_graph_build(&g, arena, revs, n, diags);
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
static int validate(rt_rebase *rb, rt_arena *arena, const rt_project *project, rt_error *err)
{
	size_t n = project->n;
	rt_revision **revs = rt_alloc_array(arena, n ? n : 1, sizeof(*revs));
	for (size_t i = 0; i < n; i++) {
		revs[i] = project->revs[i];
		if (revs[i] == rb->rev) {
			rt_revision *moved = rt_alloc(arena, sizeof(*moved));
			*moved = *rb->rev;
			moved->down = rb->parents;
			revs[i] = moved;
		}
	}
	rt_diags before, after;
	build(arena, project->revs, n, &before);
	rb->graph = build(arena, revs, n, &after);
	for (size_t i = 0; i < after.n; i++) {
		const rt_diag *d = after.items[i];
		if (d->severity == RT_SEV_ERROR && !has_error(&before, d))
			rt_diags_add(&rb->problems, d->severity, d->kind, &d->loc, d->hint, "%s",
			             d->message)->revision = d->revision;
	}
	size_t fresh = rb->problems.errors;
	if (!fresh)
		return RT_OK;
	rt_error_set(err, RT_EGRAPH, NULL, "rebasing '%s' onto %s would break the graph: %zu new "
	             "problem%s", rb->rev->id, rt_author_ids(arena, &rb->parents, RT_AUTHOR_QUOTED),
	             fresh, fresh == 1 ? "" : "s");
	rt_error_hint(err, "nothing was written; choose another parent");
	return RT_EGRAPH;
}

int rt_author_repoint(rt_buf *out, rt_rewrite_spans *spans, const rt_source **srcp,
                      rt_arena *arena, const rt_revision *rev, const rt_strv *parents,
                      rt_diags *found, rt_error *err)
{
	rt_source *src;
	int rc = rt_source_load(&src, arena, rev->path, err);
	if (rc < 0)
		return rc;
	*srcp = src;
	rt_diags d;
	rt_diags_init(&d, arena);
	if (rev->origin == RT_REV_SQL) {
		rt_sqlfile *sf;
		rt_sqlfile_parse(&sf, arena, src, RT_SQLFILE_STANDALONE, &d);
		if (sf->header_ok && sf->revision && strcmp(sf->revision, rev->id) == 0)
			return rt_rewrite_sql_down_revision(out, spans, sf, parents, err);
	} else {
		rt_revfile *rf;
		if (rt_revfile_read(&rf, arena, src, &d) == RT_OK && rf->revision &&
		    strcmp(rf->revision, rev->id) == 0)
			return rt_rewrite_down_revision_spans(out, spans, rf, parents, err);
	}
	*found = d; /* what the read found explains the refusal */
	rt_loc loc = { .path = rev->path };
	rt_error_set(err, RT_ESYNTAX, &loc, "'%s' no longer reads as revision '%s'", rev->path,
	             rev->id);
	rt_error_hint(err, "it changed while retort was running; run the command again");
	return RT_ESYNTAX;
}

/* Several heads or bases after the rebase: warnings, with check's advice. */
static void warn_tips(rt_rebase *rb, rt_arena *arena)
{
	rt_diags found;
	rt_diags_init(&found, arena);
	rt_graph_check(rb->graph, NULL, &found);
	for (size_t i = 0; i < found.n; i++) {
		const rt_diag *d = found.items[i];
		if (strcmp(d->kind, "multiple-heads") == 0 || strcmp(d->kind, "multiple-bases") == 0)
			rt_diags_add(&rb->warnings, RT_SEV_WARNING, d->kind, &d->loc, d->hint,
			             "after this rebase, %s", d->message)->revision = d->revision;
	}
}

int rt_rebase_plan(rt_rebase *rb, rt_arena *arena, const rt_project *project,
                   const rt_graph *g, const rt_rebase_opts *opts, rt_error *err)
{
	*rb = (rt_rebase){ .text = RT_BUF_INIT };
	rt_diags_init(&rb->problems, arena);
	rt_diags_init(&rb->warnings, arena);
	int rc = resolve(rb, arena, g, opts, err);
	if (rc < 0)
		return rc;
	if (rt_strv_equal(&rb->rev->down, &rb->parents)) {
		rb->unchanged = true;
		return RT_OK;
	}
	if ((rc = check_parents(rb, g, err)) < 0 || (rc = validate(rb, arena, project, err)) < 0 ||
	    (opts->check && (rc = opts->check(opts->check_arg, rb->rev, err)) < 0) ||
	    (rc = rt_author_repoint(&rb->text, &rb->spans, &rb->src, arena, rb->rev, &rb->parents,
	                            &rb->problems, err)) < 0)
		return rc;
	warn_tips(rb, arena);
	return RT_OK;
}

int rt_rebase_apply(const rt_rebase *rb, rt_error *err)
{
	return rt_rewrite_file(rb->rev->path, &rb->text, err);
}

void rt_rebase_diff(rt_buf *out, const rt_rebase *rb)
{
	rt_rewrite_diff(out, rb->rev->path, rb->src->text, rb->src->len, rb->text.ptr,
	                rb->text.len, &rb->spans);
}

void rt_rebase_release(rt_rebase *rb)
{
	rt_buf_release(&rb->text);
}
