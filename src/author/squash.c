/*
 * `retort squash`: the range between FROM and REV and the checks that it can
 * be cut out cleanly, the replacement's sidecar SQL (each step's statements in
 * plan order, read back to prove nothing was lost), and the graph afterwards.
 * Bodies come from rt_revision_body (sources), the path `upgrade --sql` takes;
 * nothing here needs the executor or a database.
 */
#include <string.h>

#include "retort/plan.h"
#include "retort/project.h"
#include "retort/sqlfile.h"
#include "retort/sqlsplit.h"
#include "retort/squash.h"
#include "retort/translate.h"

static bool is_member(const rt_squash *sq, const rt_revision *r)
{
	for (size_t i = 0; i < sq->members.n; i++)
		if (sq->members.v[i] == r)
			return true;
	return false;
}

/* A member's parents must be members or FROM: one way into the range. */
static int check_entries(const rt_graph *g, const rt_squash *sq, rt_error *err)
{
	for (size_t i = 0; i < sq->members.n; i++) {
		const rt_revision *m = sq->members.v[i];
		for (size_t k = 0; k < m->down.n; k++) {
			const rt_revision *p = rt_graph_get(g, m->down.v[k]);
			if (!p || p == sq->from || is_member(sq, p))
				continue;
			rt_error_set(err, RT_EGRAPH, &m->down_loc,
			             "cannot squash: '%s' revises '%s', which is outside the range "
			             "(the range may only be entered from '%s')", m->id, p->id,
			             sq->from ? sq->from->id : "base");
			rt_error_hint(err, "the new revision can have one parent only; choose --from so "
			                   "that every revision in the range descends from it");
			return RT_EGRAPH;
		}
	}
	return RT_OK;
}

/* Nothing outside may hang off a member other than REV. */
static int check_exits(rt_squash *sq, rt_arena *arena, const rt_graph *g, rt_error *err)
{
	for (size_t i = 0; i < rt_graph_size(g); i++) {
		const rt_revision *x = rt_graph_at(g, i);
		if (is_member(sq, x))
			continue;
		bool child = false;
		for (size_t k = 0; k < x->down.n; k++) {
			const rt_revision *p = rt_graph_get(g, x->down.v[k]);
			if (!p || !is_member(sq, p))
				continue;
			if (p != sq->to) {
				rt_error_set(err, RT_EGRAPH, &x->down_loc,
				             "cannot squash: '%s' revises '%s', inside the range, so a "
				             "branch leaves the range", x->id, p->id);
				rt_error_hint(err, "squash a range whose only revision with children "
				                   "outside it is --to (see 'retort branches'), or merge "
				                   "the branch first");
				return RT_EGRAPH;
			}
			child = true;
		}
		if (child)
			rt_revlist_push(arena, &sq->children, x);
		for (size_t k = 0; k < x->depends.n; k++) {
			const rt_revision *p;
			rt_error ignored = RT_ERROR_INIT;
			int rc = rt_graph_resolve_one(g, x->depends.v[k], &p, &ignored);
			rt_error_clear(&ignored);
			/* a label of a member moves to the new revision, so it still resolves */
			if (rc < 0 || !p || !is_member(sq, p) || rt_strv_index(&p->labels,
			                                                       x->depends.v[k]) >= 0)
				continue;
			rt_error_set(err, RT_EGRAPH, &x->depends_loc,
			             "cannot squash: '%s' depends on '%s', inside the range", x->id,
			             p->id);
			rt_error_hint(err, "make '%s' depend on a revision outside the range or on a "
			                   "branch label of the range, then squash", x->id);
			return RT_EGRAPH;
		}
	}
	return RT_OK;
}

int rt_squash_range(rt_squash *out, rt_arena *arena, const rt_graph *g, const char *to,
                    const char *from, rt_error *err)
{
	*out = (rt_squash){ 0 };
	int rc = rt_graph_resolve_one(g, to, &out->to, err);
	if (rc < 0)
		return rc;
	if (!out->to)
		return rt_error_set(err, RT_EUSAGE, NULL, "cannot squash up to 'base'");
	if (from && strcmp(from, "base") != 0) {
		if ((rc = rt_graph_resolve_one(g, from, &out->from, err)) < 0)
			return rc;
	}
	if (out->from == out->to)
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "nothing to squash: --from and --to both name '%s'", out->to->id);
	if (out->from && !rt_graph_is_ancestor(g, out->from, out->to, RT_EDGES_WITH_DEPS)) {
		rt_error_set(err, RT_EUSAGE, NULL, "nothing to squash: '%s' is not an ancestor of '%s'",
		             out->from->id, out->to->id);
		rt_error_hint(err, "--from names the revision the squashed one will revise; "
		                   "'retort history' shows the ancestry");
		return RT_EUSAGE;
	}
	/* the range is exactly what `upgrade FROM:REV` runs, in its order */
	rt_strv rows = { 0 };
	if (out->from)
		rt_strv_push(arena, &rows, out->from->id);
	rt_plan *plan;
	if ((rc = rt_plan_upgrade(&plan, arena, g, &rows, out->to->id, err)) < 0)
		return rc;
	for (size_t i = 0; i < plan->n; i++) {
		const rt_revision *m = plan->steps[i]->rev;
		rt_revlist_push(arena, &out->members, m);
		for (size_t k = 0; k < m->labels.n; k++)
			rt_strv_push(arena, &out->labels, m->labels.v[k]);
	}
	if ((rc = check_entries(g, out, err)) < 0)
		return rc;
	return check_exits(out, arena, g, err);
}

/* ---- the sidecar text ---- */

/* Names the revision a body error stopped at, keeping its location. */
static int member_error(const rt_revision *rev, rt_error *err)
{
	return rt_error_prefix(err, "cannot squash '%s'", rev->id);
}

static bool same_stmt(const rt_stmt *a, const rt_stmt *b)
{
	size_t ia = rt_sql_leading_blanks(a->sql, a->len);
	size_t ib = rt_sql_leading_blanks(b->sql, b->len);
	return a->no_transaction == b->no_transaction && a->len - ia == b->len - ib &&
	       memcmp(a->sql + ia, b->sql + ib, a->len - ia) == 0;
}

typedef struct writer {
	rt_buf *out;
	rt_arena *arena;
	rt_direction dir;
	bool open, no_tx;      /* the section being written */
	rt_stmtlist written;   /* what the text must read back as */
} writer;

static void put_section(writer *w, bool no_tx)
{
	rt_buf_printf(w->out, "\n-- retort:%s%s\n", w->dir == RT_UPGRADE ? "upgrade" : "downgrade",
	              no_tx ? " no-transaction" : "");
	w->open = true;
	w->no_tx = no_tx;
}

static void put_step_comment(writer *w, const rt_revision *rev)
{
	rt_buf_printf(w->out, "-- %s", rev->id);
	if (rev->message) {
		rt_buf_puts(w->out, ": ");
		for (const char *p = rev->message; *p; p++)
			rt_buf_putc(w->out, strchr("\r\n\t", *p) ? ' ' : *p);
	}
	rt_buf_putc(w->out, '\n');
}

/* One step: its statements (each split as a sidecar's would be), marked. */
static int put_step(writer *w, const rt_revision *rev, rt_translate_ctx *tctx, rt_error *err)
{
	rt_stmtlist body = { 0 }, parts = { 0 };
	int rc = rt_revision_body(&body, w->arena, rev, w->dir, tctx, err);
	if (rc < 0)
		return member_error(rev, err);
	for (size_t i = 0; i < body.n; i++) {
		const rt_stmt *s = body.items[i];
		const rt_source *src = rt_source_from_mem(w->arena, rev->path, s->sql, s->len);
		if ((rc = rt_sql_split(&parts, w->arena, src, 0, s->len, s->no_transaction, err)) < 0)
			return member_error(rev, err);
	}
	bool marked = false;
	for (size_t i = 0; i < parts.n; i++) {
		rt_stmt *p = parts.items[i];
		if (!w->open || p->no_transaction != w->no_tx)
			put_section(w, p->no_transaction);
		if (!marked)
			put_step_comment(w, rev);
		marked = true;
		rt_buf_add(w->out, p->sql, p->len);
		rt_buf_puts(w->out, ";\n");
		rt_stmtlist_push(w->arena, &w->written, p);
	}
	if (!marked) {
		if (!w->open)
			put_section(w, false);
		put_step_comment(w, rev);
	}
	return RT_OK;
}

static int put_direction(writer *w, const rt_plan *plan, const rt_config *cfg, rt_error *err)
{
	rt_translate_ctx *tctx = rt_translate_ctx_new(w->arena, cfg);
	for (size_t i = 0; i < plan->n; i++) {
		int rc = put_step(w, plan->steps[i]->rev, tctx, err);
		if (rc < 0)
			return rc;
	}
	if (!w->open)
		put_section(w, false); /* an explicit empty body */
	return RT_OK;
}

/* The text must give back exactly the statements written, in order. */
static int read_back(const rt_buf *out, size_t start, rt_arena *arena, const char *path,
                     const writer *w, rt_error *err)
{
	const rt_source *src = rt_source_from_mem(arena, path, out->ptr + start, out->len - start);
	rt_diags diags;
	rt_diags_init(&diags, arena);
	rt_sqlfile *sf;
	if (rt_sqlfile_parse(&sf, arena, src, RT_SQLFILE_SIDECAR, &diags) < 0) {
		const rt_diag *d = diags.items[0];
		for (size_t i = 0; i < diags.n && d->severity != RT_SEV_ERROR; i++)
			d = diags.items[i];
		rt_error_set(err, RT_ERROR, &d->loc, "the squashed SQL does not read back: %s",
		             d->message);
		rt_error_hint(err, "a statement holds a line that reads as a '-- retort:' marker; "
		                   "squash a range without it");
		return RT_ERROR;
	}
	for (int d = 0; d < 2; d++) {
		rt_stmtlist got = { 0 };
		if (rt_sqlfile_body(&got, arena, sf, (rt_direction)d, err) < 0) {
			rt_error_wrap(err, RT_ERROR, NULL, "the squashed SQL does not read back");
			rt_error_hint(err, "a statement holds a line that reads as a '-- retort:' "
			                   "marker; squash a range without it");
			return RT_ERROR;
		}
		const rt_stmtlist *want = &w[d].written;
		for (size_t i = 0; i < want->n || i < got.n; i++) {
			if (i < want->n && i < got.n && same_stmt(want->items[i], got.items[i]))
				continue;
			rt_error_set(err, RT_ERROR, NULL,
			             "the squashed SQL does not read back as the same statements: "
			             "%s statement %zu of %zu differs", d ? "downgrade" : "upgrade", i + 1,
			             want->n);
			if (i < want->n)
				rt_error_detail(err, "written: %.*s", (int)(want->items[i]->len < 200
				                                         ? want->items[i]->len : 200),
				                want->items[i]->sql);
			rt_error_hint(err, "nothing was written; squash a range without that statement "
			                   "and report the case");
			return RT_ERROR;
		}
	}
	return RT_OK;
}

int rt_squash_sql(rt_buf *out, rt_arena *arena, const rt_graph *g, const rt_squash *sq,
                  const rt_config *cfg, const char *path, rt_error *err)
{
	size_t start = out->len;
	const char *from = sq->from ? sq->from->id : "base";
	rt_strv rows = { 0 }, top = { 0 };
	if (sq->from)
		rt_strv_push(arena, &rows, sq->from->id);
	rt_strv_push(arena, &top, sq->to->id);
	rt_plan *up, *down;
	int rc = rt_plan_upgrade(&up, arena, g, &rows, sq->to->id, err);
	if (rc == RT_OK)
		rc = rt_plan_downgrade(&down, arena, g, &top, from, err);
	if (rc < 0)
		return rc;
	if (up->n != sq->members.n || down->n != sq->members.n)
		return rt_error_set(err, RT_ERROR, NULL,
		                    "the plans between '%s' and '%s' do not cover the same %zu "
		                    "revisions (%zu up, %zu down)", from, sq->to->id,
		                    sq->members.n, up->n, down->n);
	for (size_t i = 0; i < down->n; i++)
		if (!is_member(sq, down->steps[i]->rev))
			return rt_error_set(err, RT_ERROR, NULL,
			                    "downgrading '%s' to '%s' would revert '%s', outside the range",
			                    sq->to->id, from, down->steps[i]->rev->id);

	rt_buf_printf(out, "-- retort squash: %zu revision%s after %s, up to %s, in plan order;\n"
	                   "-- each step starts with a '-- <revision>: <message>' comment.\n",
	              sq->members.n, sq->members.n == 1 ? "" : "s", from, sq->to->id);
	writer w[2] = {
		{ .out = out, .arena = arena, .dir = RT_UPGRADE },
		{ .out = out, .arena = arena, .dir = RT_DOWNGRADE },
	};
	if ((rc = put_direction(&w[0], up, cfg, err)) < 0 ||
	    (rc = put_direction(&w[1], down, cfg, err)) < 0)
		return rc;
	return read_back(out, start, arena, path, w, err);
}

/* ---- the graph afterwards ---- */

int rt_squash_graph(rt_graph **out, rt_arena *arena, const rt_graph *g, const rt_squash *sq,
                    const rt_revision *newrev, rt_diags *diags)
{
	size_t n = rt_graph_size(g), k = 0, errors = diags->errors;
	rt_revision **revs = rt_alloc_array(arena, n + 1, sizeof(*revs));
	for (size_t i = 0; i < n; i++) {
		const rt_revision *r = rt_graph_at(g, i);
		if (is_member(sq, r))
			continue;
		rt_revision *c = rt_alloc(arena, sizeof(*c));
		*c = *r;
		c->down = (rt_strv){ 0 };
		for (size_t j = 0; j < r->down.n; j++)
			rt_strv_push(arena, &c->down,
			             strcmp(r->down.v[j], sq->to->id) == 0 ? newrev->id : r->down.v[j]);
		revs[k++] = c;
	}
	rt_revision *c = rt_alloc(arena, sizeof(*c));
	*c = *newrev;
	revs[k++] = c;

	rt_revlist heads = { 0 }, bases = { 0 };
	rt_graph_heads(g, &heads, arena);
	rt_graph_bases(g, &bases, arena);
	rt_graph_check_opts opts = {
		.allow_multiple_heads = heads.n > 1,
		.allow_multiple_bases = bases.n > 1,
	};
	rt_graph_build(out, arena, revs, k, diags);
	rt_graph_check(*out, &opts, diags);
	return diags->errors > errors ? RT_EGRAPH : RT_OK;
}
