/*
 * rt_graph_build: Alembic's RevisionMap construction (revision.py
 * _revision_map, _map_branch_labels, _add_depends_on, _normalize_depends_on,
 * _detect_cycles, _add_branches), except that every problem becomes a
 * diagnostic and the valid part of the graph is still built.
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"
#include "retort/editdist.h"

/* One loaded file: Alembic keeps every file in its head/base lists even
 * when a later file with the same id shadows it. */
typedef struct entry {
	const rt_revision *rev;
	uint32_t node;
} entry;

typedef struct builder {
	rt_graph *g;
	rt_arena *a;
	rt_diags *diags;
	entry *entries;
	size_t nentries;
} builder;

static rt_diag *report(builder *bd, const char *kind, const rt_loc *loc, const rt_revision *r,
                       const char *hint, const char *fmt, ...) RT_PRINTF(6, 7);

static rt_diag *report(builder *bd, const char *kind, const rt_loc *loc, const rt_revision *r,
                       const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = rt_vsprintf(bd->a, fmt, ap);
	va_end(ap);
	bd->g->nerrors++;
	if (!bd->diags)
		return NULL;
	rt_diag *d = rt_diags_add(bd->diags, RT_SEV_ERROR, kind, loc, hint, "%s", msg);
	d->revision = r ? r->id : NULL;
	return d;
}

/* An assignment's location, falling back to the revision's own. */
static const rt_loc *loc_or(const rt_loc *loc, const rt_revision *r)
{
	return loc->line ? loc : &r->loc;
}

static int cmp_load_order(const void *pa, const void *pb)
{
	const rt_revision *a = *(const rt_revision *const *)pa;
	const rt_revision *b = *(const rt_revision *const *)pb;
	if (a->load_order != b->load_order)
		return a->load_order < b->load_order ? -1 : 1;
	return 0;
}

/* ---- suggestions for dangling names ---- */

static size_t common_prefix(const char *s, const char *t)
{
	size_t k = 0;
	while (s[k] && s[k] == t[k])
		k++;
	return k;
}

/*
 * "did you mean 'x'?" for a name that matches nothing: the closest key by
 * edit distance (at most a third of the name), else the keys sharing the
 * longest common prefix of 4+ characters (up to three of them). *one is
 * the suggested id when there is exactly one.
 */
static const char *suggest(builder *bd, const char *name, const char **one)
{
	*one = NULL;
	rt_graph *g = bd->g;
	size_t len = strlen(name), limit = len / 3 ? len / 3 : 1;
	size_t best = (size_t)-1, best_lcp = 0;
	const char *closest = NULL;
	for (uint32_t k = 0; k < g->nkeys; k++) {
		size_t d = rt_edit_distance(name, g->keys[k]);
		if (d < best) {
			best = d;
			closest = g->keys[k];
		}
		size_t l = common_prefix(name, g->keys[k]);
		if (l > best_lcp)
			best_lcp = l;
	}
	if (closest && best <= limit) {
		*one = closest;
		return rt_sprintf(bd->a, "did you mean '%s'?", closest);
	}
	if (best_lcp < 4)
		return NULL;
	rt_buf b = RT_BUF_INIT;
	size_t shown = 0;
	for (uint32_t k = 0; k < g->nkeys && shown < 3; k++) {
		if (common_prefix(name, g->keys[k]) != best_lcp)
			continue;
		rt_buf_printf(&b, "%s'%s'", shown ? " or " : "", g->keys[k]);
		*one = shown ? NULL : g->keys[k];
		shown++;
	}
	char *s = rt_sprintf(bd->a, "did you mean %s?", rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

/* Ids longer than 3 characters that start with name (Alembic's partial
 * match), as "'a', 'b'"; NULL when none. */
static const char *prefix_matches(builder *bd, const char *name, size_t *count)
{
	rt_graph *g = bd->g;
	rt_buf b = RT_BUF_INIT;
	*count = 0;
	for (uint32_t i = 0; i < g->n; i++) {
		const char *id = gr_node_id(g, i);
		if (strlen(id) > 3 && strncmp(id, name, strlen(name)) == 0) {
			rt_buf_printf(&b, "%s'%s'", *count ? ", " : "", id);
			(*count)++;
		}
	}
	char *s = *count ? rt_strdup(bd->a, rt_buf_cstr(&b)) : NULL;
	rt_buf_release(&b);
	return s;
}

/* ---- ids, duplicates, labels ---- */

static void check_id(builder *bd, const rt_revision *r)
{
	char bad[8];
	size_t nbad = 0;
	/* Alembic lists the illegal characters sorted: '+' < '-' < '@' */
	for (const char *c = "+-@"; *c; c++) {
		if (strchr(r->id, *c)) {
			if (nbad)
				bad[nbad++] = ',';
			bad[nbad++] = *c;
		}
	}
	bad[nbad] = '\0';
	if (nbad) {
		rt_buf b = RT_BUF_INIT;
		for (size_t i = 0; i < nbad; i++) {
			rt_buf_putc(&b, bad[i]);
			if (bad[i] == ',')
				rt_buf_putc(&b, ' ');
		}
		report(bd, "illegal-revision-id", &r->loc, r,
		       "use only letters, digits and '_' in revision ids",
		       "Character(s) '%s' not allowed in revision identifier '%s'", rt_buf_cstr(&b),
		       r->id);
		rt_buf_release(&b);
	}
	size_t len = strlen(r->id);
	if (len > RT_MAX_REVISION_ID)
		report(bd, "revision-id-too-long", &r->loc, r,
		       "use an id of at most 32 characters (Alembic generates 12 hex digits)",
		       "revision id '%s' is %zu characters long; alembic_version.version_num is "
		       "VARCHAR(32)", r->id, len);
	if (rt_strv_index(&r->down, r->id) >= 0)
		report(bd, "self-loop", loc_or(&r->down_loc, r), r,
		       "a revision cannot be its own down_revision: name its parent, or None for a base",
		       "Self-loop is detected in revisions (%s)", r->id);
	if (rt_strv_index(&r->depends, r->id) >= 0)
		report(bd, "dependency-self-loop", loc_or(&r->depends_loc, r), r,
		       "remove the revision's own id from its depends_on",
		       "Dependency self-loop is detected in revisions (%s)", r->id);
}

static void report_duplicates(builder *bd)
{
	rt_graph *g = bd->g;
	uint32_t *count = rt_alloc_array(bd->a, g->n, sizeof(*count));
	for (size_t e = 0; e < bd->nentries; e++)
		count[bd->entries[e].node]++;
	for (uint32_t i = 0; i < g->n; i++) {
		if (count[i] < 2)
			continue;
		const rt_revision *winner = g->nodes[i].rev;
		rt_buf b = RT_BUF_INIT;
		size_t k = 0;
		for (size_t e = 0; e < bd->nentries; e++)
			if (bd->entries[e].node == i)
				rt_buf_printf(&b, "%s'%s'", k++ ? ", " : "",
				              bd->entries[e].rev->path ? bd->entries[e].rev->path : "?");
		report(bd, "duplicate-revision", &winner->loc, winner,
		       "give each file its own revision id and point the children's down_revision "
		       "at the one they follow",
		       "revision '%s' is declared by %u files: %s; Alembic uses the one loaded last, "
		       "'%s'", winner->id, count[i], rt_buf_cstr(&b),
		       winner->path ? winner->path : "?");
		rt_buf_release(&b);
	}
}

static void map_labels(builder *bd)
{
	rt_graph *g = bd->g;
	gr_strmap_init(bd->a, &g->labels, 16);
	for (uint32_t i = 0; i < g->n; i++) {
		const rt_revision *r = g->nodes[i].rev;
		for (size_t k = 0; k < r->labels.n; k++) {
			const char *label = r->labels.v[k];
			uint32_t other = gr_strmap_get(&g->ids, label);
			if (other == NODE_NONE)
				other = gr_strmap_get(&g->labels, label);
			if (other != NODE_NONE) {
				bool is_id = gr_strmap_get(&g->ids, label) != NODE_NONE;
				report(bd, "duplicate-branch-label", loc_or(&r->labels_loc, r), r,
				       is_id ? "a branch label must differ from every revision id: "
				               "rename the label"
				             : "give each branch its own label, or drop the repeated one",
				       "Branch name '%s' in revision %s already used by revision %s", label,
				       r->id, gr_node_id(g, other));
				continue;
			}
			gr_strmap_put(bd->a, &g->labels, label, i);
		}
	}
	/* Alembic's map keys: ids (load order), then labels; prefix matching
	 * and suggestions scan them in this order. */
	g->keys = rt_alloc_array(bd->a, g->n + g->labels.n + 1, sizeof(*g->keys));
	g->key_node = rt_alloc_array(bd->a, g->n + g->labels.n + 1, sizeof(*g->key_node));
	for (uint32_t i = 0; i < g->n; i++) {
		g->keys[g->nkeys] = gr_node_id(g, i);
		g->key_node[g->nkeys++] = i;
	}
	for (uint32_t i = 0; i < g->n; i++) {
		const rt_revision *r = g->nodes[i].rev;
		for (size_t k = 0; k < r->labels.n; k++) {
			if (gr_strmap_get(&g->labels, r->labels.v[k]) != i)
				continue;
			g->keys[g->nkeys] = r->labels.v[k];
			g->key_node[g->nkeys++] = i;
		}
	}
}

/* ---- edges ---- */

static void link_down(builder *bd, uint32_t i)
{
	rt_graph *g = bd->g;
	gnode *nd = &g->nodes[i];
	const rt_revision *r = nd->rev;
	nd->merge = r->down.n > 1;
	for (size_t k = 0; k < r->down.n; k++) {
		const char *name = r->down.v[k];
		uint32_t p = gr_strmap_get(&g->ids, name);
		if (p != NODE_NONE && p != i) {
			if (!gr_idxv_has(&nd->down, p))
				gr_idxv_push(bd->a, &nd->down, p);
			continue;
		}
		nd->broken = true;
		if (p == i)
			continue; /* self-loop, reported by check_id */
		const rt_loc *loc = loc_or(&r->down_loc, r);
		size_t nprefix;
		const char *prefixed = prefix_matches(bd, name, &nprefix);
		uint32_t owner = gr_strmap_get(&g->labels, name);
		if (prefixed) {
			report(bd, "down-revision-not-an-id", loc, r,
			       nprefix == 1 ? rt_sprintf(bd->a, "write down_revision = %s", prefixed)
			                    : "write the parent's full revision id",
			       "down_revision of '%s' names '%s', a prefix of %s; Alembic needs full "
			       "revision ids in down_revision", r->id, name, prefixed);
		} else if (owner != NODE_NONE) {
			report(bd, "down-revision-not-an-id", loc, r,
			       rt_sprintf(bd->a, "write the id of the parent revision; '%s' is declared "
			                         "by '%s'", name, gr_node_id(g, owner)),
			       "down_revision of '%s' names branch label '%s'; Alembic needs revision "
			       "ids in down_revision", r->id, name);
		} else {
			const char *one, *hint = suggest(bd, name, &one);
			report(bd, "missing-down-revision", loc, r,
			       one    ? rt_sprintf(bd->a, "%s `retort rebase %s --onto %s` rewrites it",
			                           hint, r->id, one)
			       : hint ? hint
			            : rt_sprintf(bd->a, "point it at an existing revision: `retort "
			                                "rebase %s --onto ID` (retort history lists "
			                                "them), or `--onto base` for a base", r->id),
			       "down_revision of '%s' names unknown revision '%s'", r->id, name);
		}
	}
}

static void link_deps(builder *bd, uint32_t i)
{
	rt_graph *g = bd->g;
	gnode *nd = &g->nodes[i];
	const rt_revision *r = nd->rev;
	for (size_t k = 0; k < r->depends.n; k++) {
		const char *name = r->depends.v[k];
		if (strcmp(name, r->id) == 0)
			continue; /* reported by check_id */
		uint32_t p = gr_strmap_get(&g->ids, name);
		if (p == NODE_NONE)
			p = gr_strmap_get(&g->labels, name);
		if (p == i) {
			report(bd, "dependency-self-loop", loc_or(&r->depends_loc, r), r,
			       "remove the revision's own branch label from its depends_on",
			       "Dependency self-loop is detected in revisions (%s)", r->id);
			continue;
		}
		if (p != NODE_NONE) {
			if (!gr_idxv_has(&nd->deps, p))
				gr_idxv_push(bd->a, &nd->deps, p);
			continue;
		}
		const rt_loc *loc = loc_or(&r->depends_loc, r);
		size_t nprefix;
		const char *prefixed = prefix_matches(bd, name, &nprefix);
		if (prefixed) {
			report(bd, "missing-dependency", loc, r,
			       nprefix == 1 ? rt_sprintf(bd->a, "write depends_on = %s", prefixed)
			                    : "write the full revision id",
			       "depends_on of '%s' names '%s', a prefix of %s; Alembic needs a full "
			       "revision id or a branch label in depends_on", r->id, name, prefixed);
		} else {
			const char *one, *hint = suggest(bd, name, &one);
			(void)one; /* no command rewrites depends_on */
			report(bd, "missing-dependency", loc, r,
			       hint ? hint : "name an existing revision id or branch label",
			       "depends_on of '%s' names unknown revision or branch '%s'", r->id, name);
		}
	}
}

/* ---- cycles ---- */

/* Nodes reachable from seeds through down edges (GR_DOWNWARD) or child
 * edges (GR_UPWARD), with or without dependencies. */
static void reach(const rt_graph *g, const idxv *seeds, gr_way way, gr_via via, uint64_t *set,
                  uint32_t *stack)
{
	bool up = way == GR_UPWARD, deps = via == GR_VIA_DEPS;
	size_t sp = 0;
	for (uint32_t s = 0; s < seeds->n; s++) {
		if (!bit_get(set, seeds->v[s])) {
			bit_set(set, seeds->v[s]);
			stack[sp++] = seeds->v[s];
		}
	}
	while (sp) {
		const gnode *nd = &g->nodes[stack[--sp]];
		for (int pass = 0; pass < 2; pass++) {
			const idxv *e = up ? (pass ? &nd->allkids : &nd->kids)
			                   : (pass ? &nd->deps : &nd->down);
			if (pass && !deps)
				break;
			for (uint32_t k = 0; k < e->n; k++) {
				if (!bit_get(set, e->v[k])) {
					bit_set(set, e->v[k]);
					stack[sp++] = e->v[k];
				}
			}
		}
	}
}

static int cmp_str(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Tarjan's strongly connected components over down + depends_on edges,
 * iteratively (a 5000-revision chain must not overflow the C stack). */
static uint32_t *components(builder *bd)
{
	rt_graph *g = bd->g;
	uint32_t n = g->n;
	uint32_t *comp = rt_alloc_array(bd->a, n, sizeof(*comp));
	uint32_t *index = rt_alloc_array(bd->a, n, sizeof(*index));
	uint32_t *low = rt_alloc_array(bd->a, n, sizeof(*low));
	uint32_t *edge = rt_alloc_array(bd->a, n, sizeof(*edge));
	uint32_t *call = rt_alloc_array(bd->a, n, sizeof(*call));
	uint32_t *stack = rt_alloc_array(bd->a, n, sizeof(*stack));
	bool *on = rt_alloc_array(bd->a, n, sizeof(*on));
	uint32_t counter = 1, sp = 0, ncomp = 0;
	for (uint32_t root = 0; root < n; root++) {
		if (index[root])
			continue;
		uint32_t depth = 0;
		call[depth++] = root;
		index[root] = low[root] = counter++;
		stack[sp++] = root;
		on[root] = true;
		while (depth) {
			uint32_t v = call[depth - 1];
			const gnode *nd = &g->nodes[v];
			uint32_t e = edge[v]++;
			if (e < nd->down.n + nd->deps.n) {
				uint32_t w = e < nd->down.n ? nd->down.v[e] : nd->deps.v[e - nd->down.n];
				if (!index[w]) {
					index[w] = low[w] = counter++;
					stack[sp++] = w;
					on[w] = true;
					call[depth++] = w;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			depth--;
			if (depth && low[v] < low[call[depth - 1]])
				low[call[depth - 1]] = low[v];
			if (low[v] == index[v]) {
				uint32_t w;
				do {
					w = stack[--sp];
					on[w] = false;
					comp[w] = ncomp;
				} while (w != v);
				ncomp++;
			}
		}
	}
	return comp;
}

/* "r1 -> r2 -> r1": one cycle inside v's component, for the hint. */
static const char *cycle_path(builder *bd, const uint32_t *comp, uint32_t v)
{
	rt_graph *g = bd->g;
	uint32_t *pos = rt_alloc_array(bd->a, g->n, sizeof(*pos));
	idxv path = { 0 };
	while (!pos[v]) {
		gr_idxv_push(bd->a, &path, v);
		pos[v] = path.n;
		const gnode *nd = &g->nodes[v];
		uint32_t next = NODE_NONE;
		for (uint32_t e = 0; e < nd->down.n + nd->deps.n && next == NODE_NONE; e++) {
			uint32_t w = e < nd->down.n ? nd->down.v[e] : nd->deps.v[e - nd->down.n];
			if (comp[w] == comp[v])
				next = w;
		}
		v = next;
	}
	rt_buf b = RT_BUF_INIT;
	for (uint32_t k = pos[v] - 1; k < path.n; k++)
		rt_buf_printf(&b, "'%s' -> ", gr_node_id(g, path.v[k]));
	rt_buf_printf(&b, "'%s'", gr_node_id(g, v));
	char *s = rt_strdup(bd->a, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

/*
 * Alembic's _detect_cycles: everything not both below a head and above a
 * base is "in a cycle" (so revisions hanging off a cycle are listed too).
 * Revisions whose parents are all dangling count as bases here, since
 * Alembic would have stopped at the dangling name before.
 */
static void alembic_cycle_set(const rt_graph *g, gr_via via, uint64_t *out, uint32_t *stack,
                              rt_arena *a, bool *all)
{
	bool deps = via == GR_VIA_DEPS;
	idxv heads = { 0 }, seeds = { 0 };
	for (uint32_t i = 0; i < g->n; i++) {
		const gnode *nd = &g->nodes[i];
		if (!(deps ? nd->allkids.n : nd->kids.n))
			gr_idxv_push(a, &heads, i);
		if (!nd->down.n && (!deps || !nd->deps.n))
			gr_idxv_push(a, &seeds, i);
	}
	*all = !heads.n || !seeds.n;
	if (*all) {
		for (uint32_t i = 0; i < g->n; i++)
			bit_set(out, i);
		return;
	}
	uint64_t *below = gr_bits_new(g), *above = gr_bits_new(g);
	reach(g, &heads, GR_DOWNWARD, via, below, stack);
	reach(g, &seeds, GR_UPWARD, via, above, stack);
	for (size_t w = 0; w < g->words; w++)
		out[w] = ~(below[w] & above[w]);
	if (g->n % 64)
		out[g->words - 1] &= ((uint64_t)1 << (g->n % 64)) - 1;
}

static void report_cycle(builder *bd, const char *kind, const char *what, const uint64_t *set,
                         bool load_order, const uint32_t *comp, const uint32_t *compsize)
{
	rt_graph *g = bd->g;
	const char **names = rt_alloc_array(bd->a, g->n, sizeof(*names));
	size_t k = 0;
	uint32_t first_cyclic = NODE_NONE;
	for (uint32_t i = 0; i < g->n; i++) {
		if (!bit_get(set, i))
			continue;
		names[k++] = gr_node_id(g, i);
		if (first_cyclic == NODE_NONE && compsize[comp[i]] > 1)
			first_cyclic = i;
	}
	if (!k)
		return;
	if (!load_order)
		qsort(names, k, sizeof(*names), cmp_str);
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < k; i++)
		rt_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	uint32_t at = first_cyclic != NODE_NONE ? first_cyclic : gr_strmap_get(&g->ids, names[0]);
	const rt_revision *r = g->nodes[at].rev;
	const char *hint = first_cyclic != NODE_NONE
		? rt_sprintf(bd->a, "the loop is %s (down_revision/depends_on); point one of them "
		                    "at an earlier revision, or None for a base",
		             cycle_path(bd, comp, first_cyclic))
		: "these revisions hang below a loop; break the loop";
	report(bd, kind, loc_or(strcmp(kind, "cycle") ? &r->depends_loc : &r->down_loc, r), r, hint,
	       "%s is detected in revisions (%s)", what, rt_buf_cstr(&b));
	rt_buf_release(&b);
}

static void drop_edges(idxv *e, const uint32_t *comp, uint32_t self)
{
	uint32_t k = 0;
	for (uint32_t j = 0; j < e->n; j++)
		if (comp[e->v[j]] != comp[self])
			e->v[k++] = e->v[j];
	e->n = k;
}

static void link_children(builder *bd)
{
	rt_graph *g = bd->g;
	for (uint32_t i = 0; i < g->n; i++) {
		g->nodes[i].kids.n = 0;
		g->nodes[i].allkids.n = 0;
	}
	for (uint32_t i = 0; i < g->n; i++) {
		gnode *nd = &g->nodes[i];
		for (uint32_t k = 0; k < nd->down.n; k++) {
			gr_idxv_push(bd->a, &g->nodes[nd->down.v[k]].kids, i);
			gr_idxv_push(bd->a, &g->nodes[nd->down.v[k]].allkids, i);
		}
		for (uint32_t k = 0; k < nd->deps.n; k++)
			if (!gr_idxv_has(&g->nodes[nd->deps.v[k]].allkids, i))
				gr_idxv_push(bd->a, &g->nodes[nd->deps.v[k]].allkids, i);
	}
}

static void detect_cycles(builder *bd)
{
	rt_graph *g = bd->g;
	if (!g->n)
		return;
	uint32_t *stack = rt_alloc_array(bd->a, g->n + 1, sizeof(*stack));
	uint32_t *comp = components(bd);
	uint32_t *compsize = rt_alloc_array(bd->a, g->n, sizeof(*compsize));
	for (uint32_t i = 0; i < g->n; i++)
		compsize[comp[i]]++;
	uint64_t *cyc = gr_bits_new(g), *dep = gr_bits_new(g);
	bool all;
	alembic_cycle_set(g, GR_VIA_DOWN, cyc, stack, bd->a, &all);
	report_cycle(bd, "cycle", "Cycle", cyc, all, comp, compsize);
	bool dall;
	alembic_cycle_set(g, GR_VIA_DEPS, dep, stack, bd->a, &dall);
	for (size_t w = 0; w < g->words; w++)
		dep[w] &= ~cyc[w];
	report_cycle(bd, "dependency-cycle", "Dependency cycle", dep, dall, comp, compsize);
	/* Keep the rest usable: drop the edges inside each loop. */
	for (uint32_t i = 0; i < g->n; i++) {
		if (compsize[comp[i]] < 2)
			continue;
		g->nodes[i].broken = true;
		drop_edges(&g->nodes[i].down, comp, i);
		drop_edges(&g->nodes[i].deps, comp, i);
	}
	link_children(bd);
}

/* ---- closures, normalised dependencies, heads ---- */

static uint32_t *topo_order(builder *bd)
{
	rt_graph *g = bd->g;
	uint32_t *order = rt_alloc_array(bd->a, g->n, sizeof(*order));
	uint32_t *pending = rt_alloc_array(bd->a, g->n, sizeof(*pending));
	uint32_t head = 0, tail = 0;
	for (uint32_t i = 0; i < g->n; i++) {
		pending[i] = g->nodes[i].down.n + g->nodes[i].deps.n;
		if (!pending[i])
			order[tail++] = i;
	}
	while (head < tail) {
		const gnode *nd = &g->nodes[order[head++]];
		for (uint32_t k = 0; k < nd->allkids.n; k++) {
			uint32_t c = nd->allkids.v[k];
			/* a child linked by both down_revision and depends_on counts twice */
			pending[c] -= (uint32_t)gr_idxv_has(&g->nodes[c].down, (uint32_t)(nd - g->nodes)) +
			              (uint32_t)gr_idxv_has(&g->nodes[c].deps, (uint32_t)(nd - g->nodes));
			if (!pending[c])
				order[tail++] = c;
		}
	}
	return order; /* complete: cycle edges are gone */
}

static void closures(builder *bd)
{
	rt_graph *g = bd->g;
	size_t w = g->words;
	g->vanc = rt_alloc_array(bd->a, (size_t)g->n * w + 1, sizeof(uint64_t));
	g->anc = rt_alloc_array(bd->a, (size_t)g->n * w + 1, sizeof(uint64_t));
	uint32_t *order = topo_order(bd);
	for (uint32_t t = 0; t < g->n; t++) {
		uint32_t i = order[t];
		gnode *nd = &g->nodes[i];
		uint64_t *va = g->vanc + (size_t)i * w;
		bit_set(va, i);
		for (uint32_t k = 0; k < nd->down.n; k++) {
			const uint64_t *p = g->vanc + (size_t)nd->down.v[k] * w;
			for (size_t x = 0; x < w; x++)
				va[x] |= p[x];
		}
		/* Normalised depends_on: drop what a down_revision ancestor declares. */
		for (uint32_t k = 0; k < nd->deps.n; k++) {
			uint32_t d = nd->deps.v[k];
			bool inherited = false;
			for (size_t x = 0; x < w && !inherited; x++) {
				uint64_t bits = va[x];
				while (bits && !inherited) {
					uint32_t a = (uint32_t)(x * 64 + (size_t)__builtin_ctzll(bits));
					bits &= bits - 1;
					if (a != i && gr_idxv_has(&g->nodes[a].deps, d))
						inherited = true;
				}
			}
			if (!inherited)
				gr_idxv_push(bd->a, &nd->ndeps, d);
		}
		for (uint32_t k = 0; k < nd->down.n; k++)
			gr_idxv_push(bd->a, &nd->nd, nd->down.v[k]);
		for (uint32_t k = 0; k < nd->ndeps.n; k++)
			if (!gr_idxv_has(&nd->nd, nd->ndeps.v[k]))
				gr_idxv_push(bd->a, &nd->nd, nd->ndeps.v[k]);
		uint64_t *aa = g->anc + (size_t)i * w;
		bit_set(aa, i);
		for (uint32_t k = 0; k < nd->nd.n; k++) {
			const uint64_t *p = g->anc + (size_t)nd->nd.v[k] * w;
			for (size_t x = 0; x < w; x++)
				aa[x] |= p[x];
		}
	}
}

static void find_heads(builder *bd)
{
	rt_graph *g = bd->g;
	for (size_t e = 0; e < bd->nentries; e++) {
		const entry *en = &bd->entries[e];
		const gnode *nd = &g->nodes[en->node];
		bool shadowed = nd->rev != en->rev;
		if (shadowed || !nd->kids.n)
			gr_idxv_push(bd->a, &g->heads, en->node);
		if (shadowed || !nd->allkids.n)
			gr_idxv_push(bd->a, &g->real_heads, en->node);
		if (!en->rev->down.n)
			gr_idxv_push(bd->a, &g->bases, en->node);
	}
}

/* ---- branch labels (Alembic's _add_branches) ---- */

static void add_labels(rt_arena *a, gnode *nd, const rt_strv *labels)
{
	for (size_t k = 0; k < labels->n; k++)
		if (rt_strv_index(&nd->labels, labels->v[k]) < 0)
			rt_strv_push(a, &nd->labels, labels->v[k]);
}

/* Declaring revision, then declared position; unmapped labels last. */
static uint64_t label_rank(const rt_graph *g, const char *label)
{
	uint32_t owner = gr_strmap_get(&g->labels, label);
	if (owner == NODE_NONE)
		return UINT64_MAX;
	long pos = rt_strv_index(&g->nodes[owner].rev->labels, label);
	return ((uint64_t)owner << 32) | (uint32_t)pos;
}

/* Insertion sort: a revision carries a handful of labels. */
static void sort_labels(const rt_graph *g, rt_strv *labels)
{
	for (size_t i = 1; i < labels->n; i++) {
		const char *x = labels->v[i];
		uint64_t rx = label_rank(g, x);
		size_t j = i;
		while (j && label_rank(g, labels->v[j - 1]) > rx) {
			labels->v[j] = labels->v[j - 1];
			j--;
		}
		labels->v[j] = x;
	}
}

/*
 * A label spreads to every descendant through down_revision, then from the
 * last descendant visited up a straight line until a branch point (children
 * by depends_on counted) or a merge point. Alembic's visiting order comes
 * from Python sets; ours is a depth-first walk pushing children in load
 * order, so the walk is reproducible.
 */
static void propagate_labels(builder *bd)
{
	rt_graph *g = bd->g;
	for (uint32_t i = 0; i < g->n; i++)
		add_labels(bd->a, &g->nodes[i], &g->nodes[i].rev->labels);
	uint64_t *seen = gr_bits_new(g);
	uint32_t *stack = rt_alloc_array(bd->a, g->n + 1, sizeof(*stack));
	for (uint32_t i = 0; i < g->n; i++) {
		if (!g->nodes[i].rev->labels.n)
			continue;
		rt_strv labels = { 0 };
		for (size_t k = 0; k < g->nodes[i].labels.n; k++)
			rt_strv_push(bd->a, &labels, g->nodes[i].labels.v[k]);
		memset(seen, 0, g->words * sizeof(*seen));
		size_t sp = 0;
		uint32_t last = i;
		stack[sp++] = i;
		while (sp) {
			uint32_t v = stack[--sp];
			if (bit_get(seen, v))
				continue;
			bit_set(seen, v);
			add_labels(bd->a, &g->nodes[v], &labels);
			last = v;
			for (uint32_t k = 0; k < g->nodes[v].kids.n; k++)
				stack[sp++] = g->nodes[v].kids.v[k];
		}
		for (uint32_t p = last;;) {
			gnode *nd = &g->nodes[p];
			if (nd->allkids.n > 1 || nd->merge)
				break;
			add_labels(bd->a, nd, &labels);
			if (nd->down.n != 1)
				break;
			p = nd->down.v[0];
		}
	}
	for (uint32_t i = 0; i < g->n; i++)
		sort_labels(g, &g->nodes[i].labels);
}

int rt_graph_build(rt_graph **out, rt_arena *arena, rt_revision **revs, size_t n,
                   rt_diags *diags)
{
	rt_graph *g = rt_alloc(arena, sizeof(*g));
	*out = g;
	g->arena = arena;
	builder bd = { .g = g, .a = arena, .diags = diags };

	const rt_revision **sorted = rt_alloc_array(arena, n + 1, sizeof(*sorted));
	for (size_t i = 0; i < n; i++)
		sorted[i] = revs[i];
	qsort((void *)sorted, n, sizeof(*sorted), cmp_load_order); /* load orders are unique */

	g->nodes = rt_alloc_array(arena, n + 1, sizeof(*g->nodes));
	bd.entries = rt_alloc_array(arena, n + 1, sizeof(*bd.entries));
	gr_strmap_init(arena, &g->ids, n);
	for (size_t k = 0; k < n; k++) {
		const rt_revision *r = sorted[k];
		if (!r->id || !*r->id) {
			report(&bd, "empty-revision-id", &r->loc, r,
			       "set revision to a unique id, e.g. 12 hex digits",
			       "revision id of '%s' is empty", r->path ? r->path : "?");
			continue;
		}
		check_id(&bd, r);
		uint32_t i = gr_strmap_get(&g->ids, r->id);
		if (i == NODE_NONE) {
			i = g->n++;
			gr_strmap_put(arena, &g->ids, r->id, i);
		}
		g->nodes[i].rev = r; /* the file loaded last wins; the position stays */
		bd.entries[bd.nentries++] = (entry){ r, i };
	}
	g->words = (g->n + 63) / 64;
	report_duplicates(&bd);
	map_labels(&bd);
	for (uint32_t i = 0; i < g->n; i++) {
		link_down(&bd, i);
		link_deps(&bd, i);
	}
	link_children(&bd);
	detect_cycles(&bd);
	closures(&bd);
	find_heads(&bd);
	propagate_labels(&bd);
	return g->nerrors ? RT_EGRAPH : RT_OK;
}

size_t rt_graph_error_count(const rt_graph *g)
{
	return g->nerrors;
}
