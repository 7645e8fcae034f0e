/*
 * Per-run arena allocator. Objects made by rt_*_new/_build/_read/_load
 * belong to the arena passed in and are released together by
 * rt_arena_free(); nothing in include/ returns memory the caller must free()
 * except rt_buf contents (rt_buf_release/rt_buf_detach) and rt_error strings
 * (rt_error_clear).
 *
 * Allocation never returns NULL: on exhaustion the process prints
 * "out of memory" and exits 1 (input sizes are capped separately, so this
 * means the machine, not the input).
 */
#ifndef RETORT_ARENA_H
#define RETORT_ARENA_H

#include <stdarg.h>
#include "common.h"

typedef struct rt_arena rt_arena;

rt_arena *rt_arena_new(void);
void rt_arena_free(rt_arena *arena);

/* Zero-filled, aligned for any object. */
void *rt_alloc(rt_arena *arena, size_t size);
/* Like rt_alloc but not zeroed: for buffers the caller writes in full at once
 * (text, token arrays, copies). */
void *rt_alloc_raw(rt_arena *arena, size_t size);
/* Zero-filled array of n elements of size bytes, overflow-checked. */
void *rt_alloc_array(rt_arena *arena, size_t n, size_t size);
/* Grows an array allocated from the arena (old contents copied, the new
 * tail zero-filled). */
void *rt_realloc_array(rt_arena *arena, void *old, size_t old_n, size_t new_n, size_t size);

char *rt_strdup(rt_arena *arena, const char *s);
char *rt_strndup(rt_arena *arena, const char *s, size_t n);
char *rt_sprintf(rt_arena *arena, const char *fmt, ...) RT_PRINTF(2, 3);
char *rt_vsprintf(rt_arena *arena, const char *fmt, va_list ap) RT_PRINTF(2, 0);
#if defined(__GNUC__) || defined(__clang__)
#define RT_SENTINEL __attribute__((sentinel))
#else
#define RT_SENTINEL
#endif
/* The concatenation of first and the strings after it up to a NULL one, in
 * arena: rt_concat(a, x, ".", y, NULL) is rt_sprintf(a, "%s.%s", x, y)
 * without the formatting work (translating a body makes many such names). */
char *rt_concat(rt_arena *arena, const char *first, ...) RT_SENTINEL;

/* Runs fn(data) when the arena is freed, newest first (PGresult, FILE *...). */
void rt_arena_on_free(rt_arena *arena, void (*fn)(void *), void *data);

/*
 * Scratch use: rt_arena_mark() notes the arena's state and
 * rt_arena_release() frees everything allocated since (running the cleanups
 * registered since), keeping the arena's blocks for reuse, so a loop that
 * parses one file at a time touches the same memory again. Marks must be
 * released newest first; a mark is invalid once an older one is released.
 * rt_arena_reset() releases everything.
 */
typedef struct rt_arena_mark {
	void *block;          /* the block in use at the mark (NULL: none yet) */
	size_t used;          /* its fill level */
	unsigned long serial; /* blocks made later have higher serials */
	void *cleanups;       /* newest cleanup at the mark */
	size_t ndebug;        /* RT_DEBUG_ARENA: allocations made before the mark */
} rt_arena_mark;
rt_arena_mark rt_arena_mark_get(rt_arena *arena);
void rt_arena_release(rt_arena *arena, rt_arena_mark mark);
void rt_arena_reset(rt_arena *arena);

/* Process-wide fatal allocation failure; also used by rt_buf and xmalloc. */
RT_NORETURN void rt_oom(void);
void *rt_xmalloc(size_t size);
void *rt_xrealloc(void *p, size_t size);
char *rt_xstrdup(const char *s);

/*
 * A growable array of pointers in an arena. `items` is NULL while empty.
 * Usage: rt_ptrvec v = {0}; rt_ptrvec_push(arena, &v, p);
 */
typedef struct rt_ptrvec {
	void **items;
	size_t n, cap;
} rt_ptrvec;
void rt_ptrvec_push(rt_arena *arena, rt_ptrvec *vec, void *item);

/* A list of strings in an arena (ids, labels, paths). */
typedef struct rt_strv {
	const char **v;
	size_t n, cap;
} rt_strv;
void rt_strv_push(rt_arena *arena, rt_strv *sv, const char *s);
/* Index of s in sv, or -1. */
long rt_strv_index(const rt_strv *sv, const char *s);
/* Whether a and b hold the same strings in the same order. */
bool rt_strv_equal(const rt_strv *a, const rt_strv *b);

#endif
