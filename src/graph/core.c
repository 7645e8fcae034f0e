/*
 * Small containers of the graph module: index vectors, a string -> index
 * hash table, bitsets, and the revision-list helpers of the public API.
 */
#include <string.h>

#include "graph_int.h"

void gr_idxv_push(rt_arena *a, idxv *v, uint32_t x)
{
	if (v->n == v->cap) {
		uint32_t cap = v->cap ? v->cap * 2 : 4;
		v->v = rt_realloc_array(a, v->v, v->n, cap, sizeof(*v->v));
		v->cap = cap;
	}
	v->v[v->n++] = x;
}

bool gr_idxv_has(const idxv *v, uint32_t x)
{
	for (uint32_t i = 0; i < v->n; i++)
		if (v->v[i] == x)
			return true;
	return false;
}

void rt_revlist_push(rt_arena *arena, rt_revlist *list, const rt_revision *rev)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		list->v = rt_realloc_array(arena, (void *)list->v, list->n, cap, sizeof(*list->v));
		list->cap = cap;
	}
	list->v[list->n++] = rev;
}

/* FNV-1a */
static size_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

void gr_strmap_init(rt_arena *a, strmap *m, size_t expected)
{
	size_t cap = 16;
	while (cap < expected * 2 + 1)
		cap *= 2;
	m->keys = rt_alloc_array(a, cap, sizeof(*m->keys));
	m->vals = rt_alloc_array(a, cap, sizeof(*m->vals));
	m->cap = cap;
	m->n = 0;
}

static void strmap_grow(rt_arena *a, strmap *m)
{
	strmap old = *m;
	gr_strmap_init(a, m, old.cap);
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			gr_strmap_put(a, m, old.keys[i], old.vals[i]);
}

void gr_strmap_put(rt_arena *a, strmap *m, const char *key, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap)
		strmap_grow(a, m);
	size_t mask = m->cap - 1, i = hash_str(key) & mask;
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & mask;
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->n++;
	}
	m->vals[i] = val;
}

uint32_t gr_strmap_get(const strmap *m, const char *key)
{
	if (!m->cap)
		return NODE_NONE;
	size_t mask = m->cap - 1, i = hash_str(key) & mask;
	while (m->keys[i]) {
		if (strcmp(m->keys[i], key) == 0)
			return m->vals[i];
		i = (i + 1) & mask;
	}
	return NODE_NONE;
}

uint64_t *gr_bits_new(const rt_graph *g)
{
	return rt_alloc_array(g->arena, g->words ? g->words : 1, sizeof(uint64_t));
}

uint32_t gr_node_of(const rt_graph *g, const rt_revision *r)
{
	uint32_t i = r && r->id ? gr_strmap_get(&g->ids, r->id) : NODE_NONE;
	return i;
}

const char *gr_node_id(const rt_graph *g, uint32_t i)
{
	return g->nodes[i].rev->id;
}

void gr_join_ids(rt_buf *b, const rt_graph *g, const idxv *v)
{
	for (uint32_t i = 0; i < v->n; i++) {
		if (i)
			rt_buf_puts(b, ", ");
		rt_buf_puts(b, gr_node_id(g, v->v[i]));
	}
}
