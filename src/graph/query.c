/*
 * Graph queries: the public structure accessors, ancestor/descendant sets
 * with Alembic's overlap check, and Alembic's _topological_sort, the walk
 * that decides step order and history order.
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

size_t rt_graph_size(const rt_graph *g)
{
	return g->n;
}

const rt_revision *rt_graph_at(const rt_graph *g, size_t i)
{
	return i < g->n ? g->nodes[i].rev : NULL;
}

const rt_revision *rt_graph_get(const rt_graph *g, const char *id)
{
	uint32_t i = id ? gr_strmap_get(&g->ids, id) : NODE_NONE;
	return i == NODE_NONE ? NULL : g->nodes[i].rev;
}

const rt_revision *rt_graph_label_owner(const rt_graph *g, const char *label)
{
	uint32_t i = label ? gr_strmap_get(&g->labels, label) : NODE_NONE;
	return i == NODE_NONE ? NULL : g->nodes[i].rev;
}

static void to_list(const rt_graph *g, const idxv *v, rt_revlist *out, rt_arena *arena)
{
	for (uint32_t k = 0; k < v->n; k++)
		rt_revlist_push(arena, out, g->nodes[v->v[k]].rev);
}

void rt_graph_heads(const rt_graph *g, rt_revlist *out, rt_arena *arena)
{
	to_list(g, &g->heads, out, arena);
}

void rt_graph_real_heads(const rt_graph *g, rt_revlist *out, rt_arena *arena)
{
	to_list(g, &g->real_heads, out, arena);
}

void rt_graph_bases(const rt_graph *g, rt_revlist *out, rt_arena *arena)
{
	to_list(g, &g->bases, out, arena);
}

/* The node of r, which must belong to this graph. */
static const gnode *gn(const rt_graph *g, const rt_revision *r)
{
	uint32_t i = gr_node_of(g, r);
	return i == NODE_NONE ? NULL : &g->nodes[i];
}

bool rt_graph_is_head(const rt_graph *g, const rt_revision *r)
{
	const gnode *nd = gn(g, r);
	return nd && !nd->kids.n;
}

bool rt_graph_is_real_head(const rt_graph *g, const rt_revision *r)
{
	const gnode *nd = gn(g, r);
	return nd && !nd->allkids.n;
}

bool rt_graph_is_branch_point(const rt_graph *g, const rt_revision *r)
{
	const gnode *nd = gn(g, r);
	return nd && nd->kids.n > 1;
}

bool rt_graph_is_merge_point(const rt_graph *g, const rt_revision *r)
{
	const gnode *nd = gn(g, r);
	return nd && nd->merge;
}

void rt_graph_children(const rt_graph *g, const rt_revision *r, rt_revlist *out,
                       rt_arena *arena)
{
	const gnode *nd = gn(g, r);
	if (nd)
		to_list(g, &nd->kids, out, arena);
}

void rt_graph_dependents(const rt_graph *g, const rt_revision *r, rt_revlist *out,
                         rt_arena *arena)
{
	uint32_t i = gr_node_of(g, r);
	if (i == NODE_NONE)
		return;
	for (uint32_t k = 0; k < g->nodes[i].allkids.n; k++) {
		uint32_t c = g->nodes[i].allkids.v[k];
		if (gr_idxv_has(&g->nodes[c].deps, i))
			rt_revlist_push(arena, out, g->nodes[c].rev);
	}
}

const rt_strv *rt_graph_labels(const rt_graph *g, const rt_revision *r)
{
	static const rt_strv empty;
	const gnode *nd = gn(g, r);
	return nd ? &nd->labels : &empty;
}

void rt_graph_depends(const rt_graph *g, const rt_revision *r, rt_revlist *out,
                      rt_arena *arena)
{
	const gnode *nd = gn(g, r);
	if (nd)
		to_list(g, &nd->ndeps, out, arena);
}

void rt_graph_down(const rt_graph *g, const rt_revision *r, rt_revlist *out, rt_arena *arena)
{
	const gnode *nd = gn(g, r);
	if (nd)
		to_list(g, &nd->nd, out, arena);
}

bool rt_graph_is_ancestor(const rt_graph *g, const rt_revision *anc, const rt_revision *r,
                          rt_graph_edges edges)
{
	uint32_t a = gr_node_of(g, anc), b = gr_node_of(g, r);
	gr_via via = edges == RT_EDGES_WITH_DEPS ? GR_VIA_DEPS : GR_VIA_DOWN;
	return a != NODE_NONE && b != NODE_NONE && is_anc(g, a, b, via);
}

/*
 * Alembic's _iterate_related_revisions with check=True: walking from each
 * target in turn, meeting another target is an error. Without check the
 * result is just the union of the precomputed closures.
 */
static int related(rctx *c, const idxv *targets, gr_way way, gr_via via, gr_overlap overlap,
                   uint64_t *set)
{
	const rt_graph *g = c->g;
	bool check = overlap == GR_OVERLAP_FAILS, up = way == GR_UPWARD;
	bool with_deps = via == GR_VIA_DEPS;
	if (!check && !up) {
		for (uint32_t t = 0; t < targets->n; t++) {
			const uint64_t *a = anc_of(g, targets->v[t], via);
			for (size_t w = 0; w < g->words; w++)
				set[w] |= a[w];
		}
		return 0;
	}
	size_t cap = (size_t)g->n + 1;
	uint32_t *stack = rt_alloc_array(c->arena, cap, sizeof(*stack));
	for (uint32_t t = 0; t < targets->n; t++) {
		uint32_t target = targets->v[t];
		idxv hits = { 0 };
		size_t sp = 0;
		stack[sp++] = target;
		while (sp) {
			uint32_t v = stack[--sp];
			if (check && v != target && gr_idxv_has(targets, v) && !gr_idxv_has(&hits, v))
				gr_idxv_push(c->arena, &hits, v);
			if (bit_get(set, v))
				continue;
			bit_set(set, v);
			const gnode *nd = &g->nodes[v];
			const idxv *e = up ? (with_deps ? &nd->allkids : &nd->kids)
			                   : (with_deps ? &nd->nd : &nd->down);
			if (sp + e->n > cap) {
				stack = rt_realloc_array(c->arena, stack, sp, (sp + e->n) * 2,
				                         sizeof(*stack));
				cap = (sp + e->n) * 2;
			}
			for (uint32_t k = 0; k < e->n; k++)
				stack[sp++] = e->v[k];
		}
		if (hits.n) {
			rt_buf b = RT_BUF_INIT;
			gr_join_ids(&b, g, &hits);
			gr_fail(c, RE_REVISION, RT_EGRAPH, NULL,
			        "Requested revision %s overlaps with other requested revisions %s",
			        gr_node_id(g, target), rt_buf_cstr(&b));
			rt_buf_release(&b);
			c->hint = "the version table must not hold a revision and one of its ancestors; "
			          "fix it with retort stamp";
			return -1;
		}
	}
	return 0;
}

int gr_ancestors_of(rctx *c, const idxv *targets, gr_overlap overlap, uint64_t *set)
{
	return related(c, targets, GR_DOWNWARD, GR_VIA_DEPS, overlap, set);
}

int gr_descendants_of(rctx *c, const idxv *targets, gr_via via, gr_overlap overlap,
                      uint64_t *set)
{
	return related(c, targets, GR_UPWARD, via, overlap, set);
}

static int cmp_idx(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	return a < b ? -1 : a > b;
}

/*
 * Alembic's _topological_sort. anc[j] in Alembic is always the ancestor set
 * of heads[j] (recomputed at merges, shrunk by one on straight moves), so
 * the precomputed closures stand in for it.
 */
void gr_topo_sort(const rt_graph *g, uint64_t *todo, const idxv *heads, idxv *out)
{
	rt_arena *a = g->arena;
	idxv cur = { 0 };
	for (uint32_t k = 0; k < heads->n; k++)
		if (bit_get(todo, heads->v[k]) && !gr_idxv_has(&cur, heads->v[k]))
			gr_idxv_push(a, &cur, heads->v[k]);
	if (cur.n > 1)
		qsort(cur.v, cur.n, sizeof(*cur.v), cmp_idx); /* map (load) order */
	uint32_t i = 0;
	idxv add = { 0 };
	while (cur.n) {
		uint32_t c = cur.v[i];
		uint32_t j;
		for (j = 0; j < cur.n; j++)
			if (j != i && is_anc(g, c, cur.v[j], GR_VIA_DEPS))
				break;
		if (j < cur.n) {
			i = j; /* another head still needs c: walk that one first */
			continue;
		}
		if (bit_get(todo, c)) {
			gr_idxv_push(a, out, c);
			todo[c >> 6] &= ~((uint64_t)1 << (c & 63));
		}
		const gnode *nd = &g->nodes[c];
		add.n = 0;
		for (uint32_t k = 0; k < nd->nd.n; k++) {
			uint32_t p = nd->nd.v[k];
			if (bit_get(todo, p) && !gr_idxv_has(&cur, p))
				gr_idxv_push(a, &add, p);
		}
		if (!add.n) {
			memmove(cur.v + i, cur.v + i + 1, (cur.n - i - 1) * sizeof(*cur.v));
			cur.n--;
			i = i ? i - 1 : 0;
		} else {
			cur.v[i] = add.v[0];
			for (uint32_t k = 1; k < add.n; k++)
				gr_idxv_push(a, &cur, add.v[k]);
		}
	}
}
