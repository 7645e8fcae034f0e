/*
 * Plans and history ranges: Alembic's _collect_upgrade_revisions,
 * _collect_downgrade_revisions, ScriptDirectory._stamp_revs, and the
 * HeadMaintainer that turns each step into version-row statements.
 */
#include <string.h>

#include "graph_int.h"

/* An Alembic argument that is a string, a tuple of row ids, or None. */
typedef struct rarg {
	const char *s;
	const rt_strv *t;
} rarg;

static void arg_tuple(rctx *c, rarg a, rt_strv *out)
{
	if (a.t)
		*out = *a.t;
	else if (a.s)
		rt_strv_push(c->arena, out, a.s);
}

static int arg_revisions(rctx *c, rarg a, idxv *out)
{
	if (a.t)
		return gr_resolve_revision_list(c, a.t, out);
	return a.s ? gr_resolve_revisions(c, a.s, out) : 0;
}

static bool is_node(const rt_graph *g, uint32_t i)
{
	return i < g->n;
}

static void only_nodes(const rt_graph *g, idxv *v)
{
	uint32_t k = 0;
	for (uint32_t j = 0; j < v->n; j++)
		if (is_node(g, v->v[j]))
			v->v[k++] = v->v[j];
	v->n = k;
}

static int range_error(rctx *c, rarg lower, rarg upper)
{
	return gr_fail(c, RE_RANGE, RT_EGRAPH, NULL, "Revision %s is not an ancestor of revision %s",
	               lower.s ? lower.s : "base", upper.s ? upper.s : "base");
}

/* The keyword arguments of Alembic's _collect_upgrade_revisions. */
typedef struct upgrade_opts {
	bool inclusive;       /* the lower bound is collected too */
	bool implicit_base;   /* lower need not be an ancestor of upper */
	gr_overwalk overwalk; /* assert_relative_length */
} upgrade_opts;

/* _collect_upgrade_revisions: the revisions to run into `needs`. */
static int collect_upgrade(rctx *c, rarg upper, rarg lower, upgrade_opts opts, uint64_t *needs,
                           idxv *targets)
{
	const rt_graph *g = c->g;
	rt_strv lower_tuple = { 0 };
	arg_tuple(c, lower, &lower_tuple);
	if (upper.t) {
		if (gr_resolve_revision_list(c, upper.t, targets) < 0)
			return -1;
	} else if (gr_parse_upgrade_target(c, &lower_tuple, upper.s, opts.overwalk, targets) < 0) {
		return -1;
	}
	only_nodes(g, targets);
	const char *at = lower.s ? strchr(lower.s, '@') : NULL;
	if (at) {
		/* a named base (branch@...) keeps only the targets on that branch */
		const char *branch = rt_strndup(c->arena, lower.s, (size_t)(at - lower.s));
		uint32_t br;
		if (gr_resolve_one(c, branch, &br) < 0)
			return -1;
		if (is_node(g, br) && strcmp(gr_node_id(g, br), branch) == 0 &&
		    g->nodes[br].labels.n == 1)
			branch = g->nodes[br].labels.v[0];
		uint32_t k = 0;
		for (uint32_t j = 0; j < targets->n; j++)
			if (rt_strv_index(&g->nodes[targets->v[j]].labels, branch) >= 0)
				targets->v[k++] = targets->v[j];
		targets->n = k;
	}
	if (gr_ancestors_of(c, targets, GR_OVERLAP_FAILS, needs) < 0)
		return -1;
	idxv cur = { 0 };
	if (arg_revisions(c, lower, &cur) < 0)
		return -1;
	if (!opts.implicit_base) {
		for (uint32_t k = 0; k < cur.n; k++)
			if (cur.v[k] != NODE_NONE && (!is_node(g, cur.v[k]) || !bit_get(needs, cur.v[k])))
				return range_error(c, lower, upper);
	}
	if (cur.n && cur.v[0] == NODE_NONE) {
		/* a relative lower bound that get_revisions could not place */
		rt_strv upper_tuple = { 0 };
		arg_tuple(c, upper, &upper_tuple);
		const char *label;
		uint32_t rev;
		if (gr_parse_downgrade_target(c, &upper_tuple, lower.s, opts.overwalk, &label, &rev) < 0)
			return -1;
		cur.n = 0;
		lower = (rarg){ 0 };
		if (is_node(g, rev)) {
			gr_idxv_push(c->arena, &cur, rev);
			lower.s = gr_node_id(g, rev);
		}
	}
	only_nodes(g, &cur);
	uint64_t *applied = gr_bits_new(g);
	if (gr_ancestors_of(c, &cur, GR_OVERLAP_FAILS, applied) < 0)
		return -1;
	for (size_t w = 0; w < g->words; w++)
		needs[w] &= ~applied[w];
	if (opts.inclusive) {
		idxv low = { 0 };
		if (arg_revisions(c, lower, &low) < 0)
			return -1;
		for (uint32_t k = 0; k < low.n; k++)
			if (is_node(g, low.v[k]))
				bit_set(needs, low.v[k]);
	}
	if (cur.n && !opts.implicit_base) {
		uint64_t *desc = gr_bits_new(g);
		if (gr_descendants_of(c, &cur, GR_VIA_DOWN, GR_OVERLAP_FAILS, desc) < 0)
			return -1;
		for (size_t w = 0; w < g->words; w++)
			needs[w] &= desc[w];
	}
	return 0;
}

/* _collect_downgrade_revisions */
static int collect_downgrade(rctx *c, const rt_strv *rows, const char *target, uint64_t *todo,
                             idxv *heads)
{
	const rt_graph *g = c->g;
	const char *label;
	uint32_t tr;
	if (gr_parse_downgrade_target(c, rows, target, GR_OVERWALK_FAILS, &label, &tr) < 0)
		return -1;
	if (tr == NODE_BASE)
		tr = NODE_NONE;
	idxv roots = { 0 };
	size_t nroots; /* Alembic counts a labelled base once per map key */
	if (tr == NODE_NONE) {
		nroots = 0;
		for (uint32_t i = 0; i < g->n; i++) {
			const rt_revision *r = g->nodes[i].rev;
			if (r->down.n)
				continue;
			gr_idxv_push(c->arena, &roots, i);
			nroots++;
			for (size_t k = 0; k < r->labels.n; k++)
				nroots += gr_strmap_get(&g->labels, r->labels.v[k]) == i;
		}
	} else {
		roots = g->nodes[tr].kids;
		nroots = roots.n;
	}
	if (label && nroots > 1) {
		uint32_t br;
		if (gr_resolve_branch(c, label, &br) < 0)
			return -1;
		idxv kept = { 0 };
		for (uint32_t k = 0; k < roots.n; k++)
			if (is_anc(g, roots.v[k], br, GR_VIA_DOWN))
				gr_idxv_push(c->arena, &kept, roots.v[k]);
		if (!kept.n)
			return gr_fail(c, RE_REVISION, RT_EGRAPH, NULL,
			               "Not a valid downgrade target from current heads");
		roots = kept;
	}
	if (gr_resolve_revision_list(c, rows, heads) < 0)
		return -1;
	uint64_t *applied = gr_bits_new(g);
	if (gr_descendants_of(c, &roots, GR_VIA_DEPS, GR_OVERLAP_ALLOWED, todo) < 0 ||
	    gr_ancestors_of(c, heads, GR_OVERLAP_ALLOWED, applied) < 0)
		return -1;
	bool any = false;
	for (size_t w = 0; w < g->words; w++) {
		todo[w] &= applied[w];
		any |= todo[w] != 0;
	}
	if (tr != NODE_NONE && !any && !gr_idxv_has(heads, tr)) {
		rt_buf b = RT_BUF_INIT;
		for (size_t k = 0; k < rows->n; k++)
			rt_buf_printf(&b, "%s%s", k ? ", " : "", rows->v[k]);
		gr_fail(c, RE_RANGE, RT_EGRAPH, NULL,
		        "Revision Nothing to drop is not an ancestor of revision %s",
		        rows->n ? rt_buf_cstr(&b) : "base");
		rt_buf_release(&b);
		c->hint = "nothing applied lies above that revision; retort current shows the rows";
		return -1;
	}
	return 0;
}

/* ---- the version rows (Alembic's HeadMaintainer) ---- */

typedef struct rowsim {
	rctx *c;
	rt_strv rows; /* table order: INSERT appends, UPDATE moves to the end */
	rt_rowop *ops;
	size_t nops, cap;
	bool broken;  /* a statement would not match its row */
} rowsim;

static void emit(rowsim *s, rt_rowop_kind kind, const char *from, const char *to)
{
	if (s->nops == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4;
		s->ops = rt_realloc_array(s->c->arena, s->ops, s->nops, cap, sizeof(*s->ops));
		s->cap = cap;
	}
	s->ops[s->nops++] = (rt_rowop){ kind, from, to };
}

static bool row_remove(rowsim *s, const char *id)
{
	long k = rt_strv_index(&s->rows, id);
	if (k < 0)
		return false;
	memmove(s->rows.v + k, s->rows.v + k + 1, (s->rows.n - (size_t)k - 1) * sizeof(char *));
	s->rows.n--;
	return true;
}

static void op_insert(rowsim *s, const char *id)
{
	if (rt_strv_index(&s->rows, id) >= 0)
		s->broken = true;
	else
		rt_strv_push(s->c->arena, &s->rows, id);
	emit(s, RT_ROW_INSERT, NULL, id);
}

static void op_delete(rowsim *s, const char *id)
{
	s->broken |= !row_remove(s, id);
	emit(s, RT_ROW_DELETE, id, NULL);
}

static void op_update(rowsim *s, const char *from, const char *to)
{
	s->broken |= rt_strv_index(&s->rows, to) >= 0 || !row_remove(s, from);
	rt_strv_push(s->c->arena, &s->rows, to);
	emit(s, RT_ROW_UPDATE, from, to);
}

static bool in_rows(const rt_strv *rows, const char *id)
{
	return rt_strv_index(rows, id) >= 0;
}

/* Entries of down (written order) that are not ancestors of the rows other
 * than `skip` (Alembic filters a set; its order is arbitrary). */
static void not_below_others(const rt_graph *g, const rt_strv *rows, const idxv *skip,
                             const idxv *down, idxv *out, rt_arena *a)
{
	for (uint32_t k = 0; k < down->n; k++) {
		bool below = false;
		for (size_t r = 0; r < rows->n && !below; r++) {
			uint32_t h = gr_strmap_get(&g->ids, rows->v[r]);
			if (h == NODE_NONE || gr_idxv_has(skip, h))
				continue;
			below = is_anc(g, down->v[k], h, GR_VIA_DEPS);
		}
		if (!below)
			gr_idxv_push(a, out, down->v[k]);
	}
}

static void upgrade_rows(rowsim *s, uint32_t r)
{
	const rt_graph *g = s->c->g;
	const idxv *down = &g->nodes[r].nd;
	uint32_t present = 0, last = NODE_NONE;
	for (uint32_t k = 0; k < down->n; k++)
		if (in_rows(&s->rows, gr_node_id(g, down->v[k]))) {
			present++;
			last = down->v[k];
		}
	if (!present) {
		op_insert(s, gr_node_id(g, r));
	} else if (down->n > 1 && present > 1) {
		idxv from = { 0 };
		not_below_others(g, &s->rows, down, down, &from, s->c->arena);
		if (!from.n) {
			s->broken = true;
			return;
		}
		for (uint32_t k = 0; k + 1 < from.n; k++)
			op_delete(s, gr_node_id(g, from.v[k]));
		op_update(s, gr_node_id(g, from.v[from.n - 1]), gr_node_id(g, r));
	} else {
		op_update(s, gr_node_id(g, down->n == 1 ? down->v[0] : last), gr_node_id(g, r));
	}
}

static void downgrade_rows(rowsim *s, uint32_t r)
{
	const rt_graph *g = s->c->g;
	const idxv *down = &g->nodes[r].nd;
	const char *id = gr_node_id(g, r);
	if (!in_rows(&s->rows, id)) {
		s->broken = true; /* Alembic would fail on its row bookkeeping */
		return;
	}
	if (!down->n) {
		op_delete(s, id);
		return;
	}
	idxv self = { .v = &r, .n = 1 }, to = { 0 };
	not_below_others(g, &s->rows, &self, down, &to, s->c->arena);
	if (!to.n) {
		op_delete(s, id);
	} else if (down->n > 1) {
		for (uint32_t k = 0; k + 1 < to.n; k++)
			op_insert(s, gr_node_id(g, to.v[k]));
		op_update(s, id, gr_node_id(g, to.v[to.n - 1]));
	} else {
		op_update(s, id, gr_node_id(g, down->v[0]));
	}
}

/* The rows the step must leave: the maximal elements of the applied set. */
static void expected_rows(const rt_graph *g, const rt_strv *before, uint32_t r,
                          rt_step_kind kind, rt_strv *out, rt_arena *a)
{
	bool up = kind == RT_STEP_UPGRADE;
	for (size_t k = 0; k < before->n; k++) {
		uint32_t h = gr_strmap_get(&g->ids, before->v[k]);
		if (h == r || (up && h != NODE_NONE && is_anc(g, h, r, GR_VIA_DEPS)))
			continue;
		rt_strv_push(a, out, before->v[k]);
	}
	if (up) {
		rt_strv_push(a, out, gr_node_id(g, r));
		return;
	}
	const idxv *down = &g->nodes[r].nd;
	for (uint32_t k = 0; k < down->n; k++) {
		bool covered = false;
		for (size_t j = 0; j < out->n && !covered; j++) {
			uint32_t h = gr_strmap_get(&g->ids, out->v[j]);
			covered = h != NODE_NONE && is_anc(g, down->v[k], h, GR_VIA_DEPS);
		}
		if (!covered)
			rt_strv_push(a, out, gr_node_id(g, down->v[k]));
	}
}

/* Set equality in linear time (a merge of 500 branches has 500 rows). */
static bool same_set(const rt_graph *g, uint64_t *seen, const rt_strv *a, const rt_strv *b)
{
	if (a->n != b->n)
		return false;
	bool same = true;
	for (size_t k = 0; k < a->n; k++) {
		uint32_t i = gr_strmap_get(&g->ids, a->v[k]);
		if (i == NODE_NONE)
			return false;
		bit_set(seen, i);
	}
	for (size_t k = 0; k < b->n && same; k++) {
		uint32_t i = gr_strmap_get(&g->ids, b->v[k]);
		same = i != NODE_NONE && bit_get(seen, i);
	}
	for (size_t k = 0; k < a->n; k++) {
		uint32_t i = gr_strmap_get(&g->ids, a->v[k]);
		seen[i >> 6] &= ~((uint64_t)1 << (i & 63));
	}
	return same;
}

/* Statements for any row change, used when Alembic's own bookkeeping
 * would leave a wrong table (its #1373) or fail. */
static void diff_rows(rowsim *s, const rt_strv *before, const rt_strv *after)
{
	rt_strv gone = { 0 }, added = { 0 };
	for (size_t k = 0; k < before->n; k++)
		if (!in_rows(after, before->v[k]))
			rt_strv_push(s->c->arena, &gone, before->v[k]);
	for (size_t k = 0; k < after->n; k++)
		if (!in_rows(before, after->v[k]))
			rt_strv_push(s->c->arena, &added, after->v[k]);
	s->nops = 0;
	s->rows = *before;
	s->rows.cap = before->n;
	s->broken = false;
	size_t k = 0;
	for (; k + 1 < gone.n || (k < gone.n && !added.n); k++)
		op_delete(s, gone.v[k]);
	size_t j = 0;
	if (k < gone.n && added.n)
		op_update(s, gone.v[k], added.v[j++]);
	for (; j < added.n; j++)
		op_insert(s, added.v[j]);
}

static rt_strv copy_strv(rt_arena *a, const rt_strv *v)
{
	rt_strv out = { 0 };
	for (size_t k = 0; v && k < v->n; k++)
		rt_strv_push(a, &out, v->v[k]);
	return out;
}

static rt_step *new_step(rowsim *s, rt_step_kind kind)
{
	rt_step *st = rt_alloc(s->c->arena, sizeof(*st));
	st->kind = kind;
	st->rows_before = copy_strv(s->c->arena, &s->rows);
	s->nops = 0;
	s->ops = NULL;
	s->cap = 0;
	s->broken = false;
	return st;
}

static void end_step(rowsim *s, rt_step *st)
{
	st->ops = s->ops;
	st->nops = s->nops;
	st->rows_after = copy_strv(s->c->arena, &s->rows);
}

static void plan_push(rt_arena *a, rt_plan *p, rt_step *st)
{
	/* capacity doubles whenever n reaches a power of two */
	if (!(p->n & (p->n - 1)))
		p->steps = rt_realloc_array(a, p->steps, p->n, p->n ? p->n * 2 : 1, sizeof(*p->steps));
	p->steps[p->n++] = st;
}

/* kind: RT_STEP_UPGRADE or RT_STEP_DOWNGRADE, for every step. */
static rt_plan *revision_plan(rctx *c, const rt_strv *rows, const idxv *order, rt_step_kind kind)
{
	bool up = kind == RT_STEP_UPGRADE;
	const rt_graph *g = c->g;
	rt_plan *p = rt_alloc(c->arena, sizeof(*p));
	rowsim s = { .c = c, .rows = copy_strv(c->arena, rows) };
	uint64_t *seen = gr_bits_new(g);
	p->rows_before = copy_strv(c->arena, rows);
	for (uint32_t k = 0; k < order->n; k++) {
		uint32_t r = order->v[up ? order->n - 1 - k : k];
		const rt_revision *rev = g->nodes[r].rev;
		rt_step *st = new_step(&s, kind);
		st->rev = rev;
		rt_strv self = { 0 };
		rt_strv_push(c->arena, &self, rev->id);
		st->from = up ? rev->down : self;
		st->to = up ? self : rev->down;
		if (up)
			upgrade_rows(&s, r);
		else
			downgrade_rows(&s, r);
		rt_strv want = { 0 };
		expected_rows(g, &st->rows_before, r, kind, &want, c->arena);
		if (s.broken || !same_set(g, seen, &s.rows, &want))
			diff_rows(&s, &st->rows_before, &want);
		end_step(&s, st);
		plan_push(c->arena, p, st);
	}
	p->rows_after = copy_strv(c->arena, &s.rows);
	p->warning = c->warning;
	return p;
}

int rt_plan_upgrade(rt_plan **out, rt_arena *arena, const rt_graph *g, const rt_strv *rows,
                    const char *target, rt_error *err)
{
	rctx c = { .g = g, .arena = arena };
	rt_strv none = { 0 };
	rows = rows ? rows : &none;
	*out = NULL;
	uint64_t *needs = gr_bits_new(g);
	idxv targets = { 0 }, order = { 0 };
	upgrade_opts opts = { .implicit_base = true, .overwalk = GR_OVERWALK_FAILS };
	if (collect_upgrade(&c, (rarg){ .s = target }, (rarg){ .t = rows }, opts, needs, &targets) < 0)
		return gr_set_cli_error(&c, err, "upgrade", NULL, target);
	gr_topo_sort(g, needs, &targets, &order);
	*out = revision_plan(&c, rows, &order, RT_STEP_UPGRADE);
	return RT_OK;
}

int rt_plan_downgrade(rt_plan **out, rt_arena *arena, const rt_graph *g, const rt_strv *rows,
                      const char *target, rt_error *err)
{
	rctx c = { .g = g, .arena = arena };
	rt_strv none = { 0 };
	rows = rows ? rows : &none;
	*out = NULL;
	uint64_t *todo = gr_bits_new(g);
	idxv heads = { 0 }, order = { 0 };
	if (collect_downgrade(&c, rows, target, todo, &heads) < 0)
		return gr_set_cli_error(&c, err, "downgrade", NULL, target);
	only_nodes(g, &heads);
	gr_topo_sort(g, todo, &heads, &order);
	*out = revision_plan(&c, rows, &order, RT_STEP_DOWNGRADE);
	return RT_OK;
}

/* ---- stamp ---- */

typedef struct stampstep {
	rt_strv from, to;
	bool up, branch_move;
} stampstep;

static int stamp_steps(rctx *c, const rt_strv *rows, const char *const *targets, size_t nt,
                       stampstep **out, size_t *nout)
{
	const rt_graph *g = c->g;
	idxv heads = { 0 };
	if (gr_resolve_revision_list(c, rows, &heads) < 0)
		return -1;
	only_nodes(g, &heads);
	const char *base = "base";
	if (!nt) {
		targets = &base;
		nt = 1;
	}
	idxv filtered = { 0 };
	for (size_t t = 0; t < nt; t++) {
		idxv f = { 0 };
		if (gr_filter_for_lineage(c, &heads, targets[t], GR_VIA_DEPS, &f) < 0)
			return -1;
		for (uint32_t k = 0; k < f.n; k++)
			if (!gr_idxv_has(&filtered, f.v[k]))
				gr_idxv_push(c->arena, &filtered, f.v[k]);
	}
	idxv dests = { 0 };
	for (size_t t = 0; t < nt; t++)
		if (gr_resolve_revisions(c, targets[t], &dests) < 0)
			return -1;
	only_nodes(g, &dests);
	if (!dests.n)
		gr_idxv_push(c->arena, &dests, NODE_NONE);
	*out = rt_alloc_array(c->arena, dests.n + filtered.n + 1, sizeof(**out));
	*nout = 0;
	rt_strv fids = { 0 };
	for (uint32_t k = 0; k < filtered.n; k++)
		rt_strv_push(c->arena, &fids, gr_node_id(g, filtered.v[k]));
	for (uint32_t d = 0; d < dests.n; d++) {
		uint32_t dest = dests.v[d];
		if (dest == NODE_NONE) {
			for (uint32_t k = 0; k < filtered.n; k++) {
				stampstep *st = &(*out)[(*nout)++];
				rt_strv_push(c->arena, &st->from, fids.v[k]);
				st->branch_move = true;
			}
			continue;
		}
		if (gr_idxv_has(&filtered, dest))
			continue; /* already a row */
		bool above = false, below = false;
		for (uint32_t k = 0; k < filtered.n; k++) {
			above |= is_anc(g, dest, filtered.v[k], GR_VIA_DEPS);
			below |= is_anc(g, filtered.v[k], dest, GR_VIA_DEPS);
		}
		stampstep *st = &(*out)[(*nout)++];
		rt_strv_push(c->arena, &st->to, gr_node_id(g, dest));
		if (above || below) {
			st->from = fids; /* one step from every row on the lineage */
			st->up = !above;
		} else {
			st->up = st->branch_move = true;
		}
	}
	return 0;
}

static bool any_missing(const rt_strv *ids, const rt_strv *rows)
{
	for (size_t k = 0; k < ids->n; k++)
		if (!in_rows(rows, ids->v[k]))
			return true;
	return false;
}

int rt_plan_stamp(rt_plan **out, rt_arena *arena, const rt_graph *g, const rt_strv *rows,
                  const char *const *targets, size_t ntargets, bool purge, rt_error *err)
{
	rctx c = { .g = g, .arena = arena };
	rt_strv none = { 0 };
	rows = purge || !rows ? &none : rows;
	*out = NULL;
	stampstep *steps;
	size_t nsteps;
	if (stamp_steps(&c, rows, targets, ntargets, &steps, &nsteps) < 0)
		return gr_set_cli_error(&c, err, NULL, NULL, NULL);
	rt_plan *p = rt_alloc(arena, sizeof(*p));
	p->purge = purge;
	p->rows_before = copy_strv(arena, rows);
	rowsim s = { .c = &c, .rows = copy_strv(arena, rows) };
	for (size_t k = 0; k < nsteps; k++) {
		const stampstep *ss = &steps[k];
		rt_step *st = new_step(&s, RT_STEP_STAMP);
		st->from = ss->from;
		st->to = ss->to;
		if (!ss->up && ss->branch_move) {
			op_delete(&s, ss->from.v[0]);
		} else if (ss->up && (ss->branch_move || any_missing(&ss->from, &s.rows)) &&
		           any_missing(&ss->to, &s.rows)) {
			op_insert(&s, ss->to.v[0]);
		} else if (ss->from.n > 1) {
			for (size_t j = 0; j + 1 < ss->from.n; j++)
				op_delete(&s, ss->from.v[j]);
			op_update(&s, ss->from.v[ss->from.n - 1], ss->to.v[0]);
		} else if (ss->from.n == 1 && ss->to.n == 1) {
			op_update(&s, ss->from.v[0], ss->to.v[0]);
		} else {
			s.broken = true;
		}
		if (s.broken) {
			rt_error_set(err, RT_EGRAPH, NULL, "cannot stamp '%s': the version rows do not "
			             "match the step", ss->to.n ? ss->to.v[0] : "base");
			rt_error_hint(err, "use stamp --purge to rewrite the version table");
			return RT_EGRAPH;
		}
		end_step(&s, st);
		plan_push(arena, p, st);
	}
	p->rows_after = copy_strv(arena, &s.rows);
	*out = p;
	return RT_OK;
}

/* ---- history ---- */

static const char *py_tuple(rt_arena *a, const rt_strv *t)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_putc(&b, '(');
	for (size_t k = 0; k < t->n; k++)
		rt_buf_printf(&b, "%s'%s'", k ? ", " : "", t->v[k]);
	rt_buf_puts(&b, t->n == 1 ? ",)" : ")");
	char *s = rt_strdup(a, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

int rt_graph_history(const rt_graph *g, const char *range, const rt_strv *rows,
                     rt_revlist *out, rt_arena *arena, rt_error *err)
{
	rctx c = { .g = g, .arena = arena };
	rt_strv none = { 0 };
	rows = rows ? rows : &none;
	const char *base = NULL, *head = NULL;
	if (range) {
		while (*range == ' ' || *range == '\t')
			range++;
		const char *colon = strchr(range, ':');
		if (!colon || strchr(colon + 1, ':'))
			return rt_error_set(err, RT_EUSAGE, NULL, "History range requires [start]:[end], "
			                                         "[start]:, or :[end]");
		size_t len = strlen(colon + 1);
		while (len && (colon[len] == ' ' || colon[len] == '\t'))
			len--;
		base = rt_strndup(arena, range, (size_t)(colon - range));
		head = rt_strndup(arena, colon + 1, len);
	}
	rarg lower = { .s = base && *base ? base : "base" };
	rarg upper = { .s = head && *head ? head : "heads" };
	/* `current` stands for the rows; with none, Alembic falls back to the defaults */
	if (strcmp(upper.s, "current") == 0)
		upper = rows->n ? (rarg){ .t = rows } : (rarg){ .s = "heads" };
	if (strcmp(lower.s, "current") == 0)
		lower = rows->n ? (rarg){ .t = rows } : (rarg){ .s = "base" };
	uint64_t *needs = gr_bits_new(g);
	idxv targets = { 0 }, order = { 0 };
	upgrade_opts opts = { .inclusive = true, .overwalk = GR_OVERWALK_STOPS };
	if (collect_upgrade(&c, upper, lower, opts, needs, &targets) < 0)
		return gr_set_cli_error(&c, err, NULL, lower.s ? lower.s : py_tuple(arena, lower.t),
		                        upper.s ? upper.s : py_tuple(arena, upper.t));
	gr_topo_sort(g, needs, &targets, &order);
	for (uint32_t k = 0; k < order.n; k++)
		rt_revlist_push(arena, out, g->nodes[order.v[k]].rev);
	return RT_OK;
}
