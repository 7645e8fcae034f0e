/*
 * rt_graph_check: what makes a deploy of `head` fail even when every file
 * is sound. Several heads are explained by their fork point and the two
 * chains, with the edit that joins them; several bases by their roots.
 */
#include <string.h>

#include "graph_int.h"

static const rt_loc *down_loc(const rt_revision *r)
{
	return r->down_loc.line ? &r->down_loc : &r->loc;
}

static size_t count_bits(const uint64_t *a, const uint64_t *minus, size_t words)
{
	size_t n = 0;
	for (size_t w = 0; w < words; w++)
		n += (size_t)__builtin_popcountll(a[w] & ~minus[w]);
	return n;
}

/* The latest common ancestor of a and b by down_revision, or NODE_NONE. */
static uint32_t fork_point(const rt_graph *g, uint32_t a, uint32_t b)
{
	const uint64_t *va = anc_of(g, a, GR_VIA_DOWN), *vb = anc_of(g, b, GR_VIA_DOWN);
	for (uint32_t i = g->n; i-- > 0;) {
		if (!bit_get(va, i) || !bit_get(vb, i))
			continue;
		bool child_common = false;
		for (uint32_t k = 0; k < g->nodes[i].kids.n && !child_common; k++) {
			uint32_t c = g->nodes[i].kids.v[k];
			child_common = bit_get(va, c) && bit_get(vb, c);
		}
		if (!child_common)
			return i;
	}
	return NODE_NONE;
}

/* The child of fork on the way to head: the first revision of that chain. */
static uint32_t chain_start(const rt_graph *g, uint32_t fork, uint32_t head)
{
	const gnode *nd = &g->nodes[fork];
	for (uint32_t k = 0; k < nd->kids.n; k++)
		if (is_anc(g, nd->kids.v[k], head, GR_VIA_DOWN))
			return nd->kids.v[k];
	return head;
}

static uint32_t base_of(const rt_graph *g, uint32_t head)
{
	const uint64_t *va = anc_of(g, head, GR_VIA_DOWN);
	for (uint32_t i = 0; i < g->n; i++)
		if (bit_get(va, i) && !g->nodes[i].down.n)
			return i;
	return head;
}

static void report_heads(const rt_graph *g, rt_diags *d, uint32_t first, uint32_t second)
{
	rt_arena *a = d->arena;
	uint32_t fork = fork_point(g, first, second);
	if (fork == NODE_NONE) {
		uint32_t b1 = base_of(g, first), b2 = base_of(g, second);
		const rt_revision *r = g->nodes[b2].rev;
		rt_diag *dg = rt_diags_add(
			d, RT_SEV_ERROR, "multiple-heads", down_loc(r),
			rt_sprintf(a, "join them with `retort merge heads`, or make the chains one "
			              "line: `retort rebase %s --onto %s`", gr_node_id(g, b2),
			           gr_node_id(g, first)),
			"two heads: '%s' and '%s' share no ancestor; their bases are '%s' and '%s'",
			gr_node_id(g, first), gr_node_id(g, second), gr_node_id(g, b1), gr_node_id(g, b2));
		dg->revision = r->id;
		return;
	}
	/* Name the shorter chain first; the longer one is re-pointed onto it. */
	const uint64_t *vf = anc_of(g, fork, GR_VIA_DOWN);
	size_t len1 = count_bits(anc_of(g, first, GR_VIA_DOWN), vf, g->words);
	size_t len2 = count_bits(anc_of(g, second, GR_VIA_DOWN), vf, g->words);
	if (len2 < len1) {
		uint32_t t = first;
		first = second;
		second = t;
	}
	uint32_t start = chain_start(g, fork, second);
	const rt_revision *r = g->nodes[start].rev;
	rt_diag *dg = rt_diags_add(
		d, RT_SEV_ERROR, "multiple-heads", down_loc(r),
		rt_sprintf(a, "join them with `retort merge heads`, or move one chain onto the "
		              "other: `retort rebase %s --onto %s`", gr_node_id(g, start),
		           gr_node_id(g, first)),
		"two heads: '%s' and '%s' both descend from '%s'", gr_node_id(g, first),
		gr_node_id(g, second), gr_node_id(g, fork));
	dg->revision = r->id;
}

/* Below a dangling reference or a loop: already reported by the build, and
 * its head or base is an artifact of that error. */
static bool hangs_off_error(const rt_graph *g, uint32_t i)
{
	const uint64_t *va = anc_of(g, i, GR_VIA_DOWN);
	for (uint32_t k = 0; k < g->n; k++)
		if (g->nodes[k].broken && bit_get(va, k))
			return true;
	return false;
}

typedef enum tip_kind { TIP_BASE, TIP_HEAD } tip_kind;

/* The usable tips of one kind: g->heads or g->bases. */
static void collect(const rt_graph *g, const idxv *from, tip_kind kind, idxv *out, rt_arena *a)
{
	bool heads = kind == TIP_HEAD;
	for (uint32_t k = 0; k < from->n; k++) {
		uint32_t i = from->v[k];
		/* a shadowed duplicate is listed by Alembic but is not a tip */
		if ((heads && g->nodes[i].kids.n) || gr_idxv_has(out, i) || hangs_off_error(g, i))
			continue;
		gr_idxv_push(a, out, i);
	}
}

void rt_graph_check(const rt_graph *g, const rt_graph_check_opts *opts, rt_diags *diags)
{
	rt_graph_check_opts none = { 0 };
	opts = opts ? opts : &none;
	idxv heads = { 0 }, bases = { 0 };
	collect(g, &g->heads, TIP_HEAD, &heads, diags->arena);
	collect(g, &g->bases, TIP_BASE, &bases, diags->arena);
	if (heads.n > 1 && !opts->allow_multiple_heads) {
		/* pair each head with the earliest one it shares history with */
		for (uint32_t k = 1; k < heads.n; k++) {
			uint32_t partner = heads.v[0];
			for (uint32_t j = 0; j < k; j++)
				if (fork_point(g, heads.v[j], heads.v[k]) != NODE_NONE) {
					partner = heads.v[j];
					break;
				}
			report_heads(g, diags, partner, heads.v[k]);
		}
	}
	if (bases.n > 1 && !opts->allow_multiple_bases) {
		const rt_revision *first = g->nodes[bases.v[0]].rev;
		for (uint32_t k = 1; k < bases.n; k++) {
			const rt_revision *r = g->nodes[bases.v[k]].rev;
			rt_diag *dg = rt_diags_add(
				diags, RT_SEV_ERROR, "multiple-bases", down_loc(r),
				rt_sprintf(diags->arena, "make one base the parent of the other root: "
				                         "`retort rebase %s --onto %s`", r->id, first->id),
				"two bases: '%s' and '%s' both have no down_revision", first->id, r->id);
			dg->revision = r->id;
		}
	}
}
