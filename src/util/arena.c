/*
 * Bump allocator in chained blocks. With -DRT_DEBUG_ARENA each allocation
 * is its own malloc, so ASan and valgrind see individual objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retort/arena.h"

#define BLOCK_SIZE (64u * 1024u)
#define ALIGN 16u

struct block {
	struct block *next;
	size_t used, size;
	unsigned long serial; /* creation order, for rt_arena_release */
	_Alignas(16) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *data;
};

struct rt_arena {
	struct block *blocks; /* the first takes small allocations; one-offs follow it */
	struct block *spare;  /* released standard blocks, reused before malloc */
	struct cleanup *cleanups;
	unsigned long serial;
#ifdef RT_DEBUG_ARENA
	rt_ptrvec debug_allocs;
#endif
};

void rt_oom(void)
{
	fputs("retort: out of memory\n", stderr);
	exit(1);
}

void *rt_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		rt_oom();
	return p;
}

void *rt_xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		rt_oom();
	return q;
}

char *rt_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = rt_xmalloc(n);
	memcpy(p, s, n);
	return p;
}

rt_arena *rt_arena_new(void)
{
	rt_arena *a = rt_xmalloc(sizeof(*a));
	memset(a, 0, sizeof(*a));
	return a;
}

static void free_list(struct block *b)
{
	for (struct block *next; b; b = next) {
		next = b->next;
		free(b);
	}
}

void rt_arena_free(rt_arena *a)
{
	if (!a)
		return;
	for (struct cleanup *c = a->cleanups; c; c = c->next)
		c->fn(c->data);
	/* cleanup records live in the blocks, so free blocks only now */
	free_list(a->blocks);
	free_list(a->spare);
#ifdef RT_DEBUG_ARENA
	for (size_t i = 0; i < a->debug_allocs.n; i++)
		free(a->debug_allocs.items[i]);
	free(a->debug_allocs.items);
#endif
	free(a);
}

#ifdef RT_DEBUG_ARENA
enum { DEBUG_ALLOC_ZEROED = 1u << 0 };

static void *debug_alloc(rt_arena *a, size_t size, unsigned flags)
{
	void *p = flags & DEBUG_ALLOC_ZEROED ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
	if (!p)
		rt_oom();
	if (a->debug_allocs.n == a->debug_allocs.cap) {
		a->debug_allocs.cap = a->debug_allocs.cap ? a->debug_allocs.cap * 2 : 64;
		a->debug_allocs.items = rt_xrealloc(a->debug_allocs.items,
		                                    a->debug_allocs.cap * sizeof(void *));
	}
	a->debug_allocs.items[a->debug_allocs.n++] = p;
	return p;
}
#else
static size_t round_up(size_t size)
{
	if (size > SIZE_MAX - ALIGN)
		rt_oom();
	size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	return size ? size : ALIGN;
}

/* A block with room for size bytes: a spare or new standard block becomes
 * the current one; a big request gets a one-off block behind it. */
static struct block *new_block(rt_arena *a, size_t size)
{
	struct block *b = a->blocks, *nb;
	size_t bsize = size > BLOCK_SIZE / 4 ? size : BLOCK_SIZE;
	if (bsize == BLOCK_SIZE && a->spare) {
		nb = a->spare;
		a->spare = nb->next;
	} else {
		if (bsize > SIZE_MAX - sizeof(struct block))
			rt_oom();
		nb = rt_xmalloc(sizeof(struct block) + bsize);
		nb->size = bsize;
	}
	nb->used = 0;
	nb->serial = ++a->serial;
	if (b && bsize != BLOCK_SIZE) {
		/* a big one-off allocation: keep the current block for small ones */
		nb->next = b->next;
		b->next = nb;
	} else {
		nb->next = b;
		a->blocks = nb;
	}
	return nb;
}
#endif

void *rt_alloc_raw(rt_arena *a, size_t size)
{
#ifdef RT_DEBUG_ARENA
	return debug_alloc(a, size, 0);
#else
	size = round_up(size);
	struct block *b = a->blocks;
	if (!b || b->size - b->used < size)
		b = new_block(a, size);
	void *p = b->data + b->used;
	b->used += size;
	return p;
#endif
}

void *rt_alloc(rt_arena *a, size_t size)
{
#ifdef RT_DEBUG_ARENA
	return debug_alloc(a, size, DEBUG_ALLOC_ZEROED);
#else
	void *p = rt_alloc_raw(a, size);
	memset(p, 0, size);
	return p;
#endif
}

void *rt_alloc_array(rt_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		rt_oom();
	return rt_alloc(a, n * size);
}

void *rt_realloc_array(rt_arena *a, void *old, size_t old_n, size_t new_n, size_t size)
{
	if (size && new_n > SIZE_MAX / size)
		rt_oom();
	size_t old_bytes = old ? old_n * size : 0, new_bytes = new_n * size;
#ifndef RT_DEBUG_ARENA
	/* the newest allocation grows in place when its block has room, so a
	 * vector filled without interleaved allocations leaves no old copies */
	struct block *b = a->blocks;
	if (old && b && new_bytes > old_bytes) {
		size_t have = round_up(old_bytes), want = round_up(new_bytes);
		if ((unsigned char *)old + have == b->data + b->used &&
		    b->size - b->used >= want - have) {
			b->used += want - have;
			memset((unsigned char *)old + old_bytes, 0, new_bytes - old_bytes);
			return old;
		}
	}
#endif
	unsigned char *p = rt_alloc_raw(a, new_bytes);
	size_t keep = old_bytes < new_bytes ? old_bytes : new_bytes;
	if (keep)
		memcpy(p, old, keep);
	memset(p + keep, 0, new_bytes - keep);
	return p;
}

rt_arena_mark rt_arena_mark_get(rt_arena *a)
{
	rt_arena_mark m = { .block = a->blocks, .used = a->blocks ? a->blocks->used : 0,
	                    .serial = a->serial, .cleanups = a->cleanups };
#ifdef RT_DEBUG_ARENA
	m.ndebug = a->debug_allocs.n;
#endif
	return m;
}

void rt_arena_release(rt_arena *a, rt_arena_mark m)
{
	while (a->cleanups && a->cleanups != m.cleanups) {
		struct cleanup *c = a->cleanups;
		a->cleanups = c->next;
		c->fn(c->data);
	}
#ifdef RT_DEBUG_ARENA
	for (size_t i = m.ndebug; i < a->debug_allocs.n; i++)
		free(a->debug_allocs.items[i]);
	a->debug_allocs.n = m.ndebug;
#endif
	/* blocks made since the mark go; the block current at the mark is then
	 * first again (later blocks were put before it or right behind it) */
	for (struct block **pb = &a->blocks; *pb;) {
		struct block *b = *pb;
		if (b->serial <= m.serial) {
			pb = &b->next;
			continue;
		}
		*pb = b->next;
		if (b->size == BLOCK_SIZE) {
			b->next = a->spare;
			a->spare = b;
		} else {
			free(b);
		}
	}
	if (a->blocks && a->blocks == m.block)
		a->blocks->used = m.used;
}

void rt_arena_reset(rt_arena *a)
{
	rt_arena_release(a, (rt_arena_mark){ 0 });
}

char *rt_strndup(rt_arena *a, const char *s, size_t n)
{
	char *p = rt_alloc_raw(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *rt_strdup(rt_arena *a, const char *s)
{
	return rt_strndup(a, s, strlen(s));
}

char *rt_vsprintf(rt_arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	char *p;
	int n;
#ifndef RT_DEBUG_ARENA
	/* one formatting pass straight into the current block's free room; only
	 * text that does not fit is measured and formatted again */
	struct block *b = a->blocks;
	if (b && b->used < b->size) {
		p = (char *)b->data + b->used;
		n = vsnprintf(p, b->size - b->used, fmt, cp);
		va_end(cp);
		if (n >= 0 && (size_t)n < b->size - b->used) {
			b->used += round_up((size_t)n + 1);
			return p;
		}
	} else
#endif
	{
		n = vsnprintf(NULL, 0, fmt, cp);
		va_end(cp);
	}
	if (n < 0)
		return rt_strdup(a, "");
	p = rt_alloc_raw(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *rt_sprintf(rt_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = rt_vsprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

char *rt_concat(rt_arena *a, const char *first, ...)
{
	va_list ap;
	size_t n = strlen(first);
	va_start(ap, first);
	for (const char *s; (s = va_arg(ap, const char *));)
		n += strlen(s);
	va_end(ap);
	char *p = rt_alloc_raw(a, n + 1), *w = p;
	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *)) {
		size_t k = strlen(s);
		memcpy(w, s, k);
		w += k;
	}
	va_end(ap);
	*w = '\0';
	return p;
}

void rt_arena_on_free(rt_arena *a, void (*fn)(void *), void *data)
{
	struct cleanup *c = rt_alloc(a, sizeof(*c));
	c->fn = fn;
	c->data = data;
	c->next = a->cleanups;
	a->cleanups = c;
}

void rt_ptrvec_push(rt_arena *a, rt_ptrvec *v, void *item)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		v->items = rt_realloc_array(a, v->items, v->n, cap, sizeof(void *));
		v->cap = cap;
	}
	v->items[v->n++] = item;
}

void rt_strv_push(rt_arena *a, rt_strv *sv, const char *s)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 4;
		sv->v = rt_realloc_array(a, (void *)sv->v, sv->n, cap, sizeof(char *));
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
}

long rt_strv_index(const rt_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (long)i;
	return -1;
}

bool rt_strv_equal(const rt_strv *a, const rt_strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}
