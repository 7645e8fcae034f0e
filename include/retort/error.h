/*
 * Errors and diagnostics.
 *
 * rt_error carries one failure out of a call: a code, where (a file span or
 * a database object), what, and what to do. Its strings are malloc'd and
 * owned by the error, so it outlives any arena; release with rt_error_clear.
 *
 * rt_diags collects many findings (check prints every problem, not only the
 * first). Each rt_diag lives in the arena given to rt_diags_init.
 *
 * Message rules (git's): start lower case, no final period, quote the
 * subject in single quotes, say what failed first; hints say what to do.
 */
#ifndef RETORT_ERROR_H
#define RETORT_ERROR_H

#include "arena.h"
#include "buf.h"
#include "common.h"

/* A place in a source file. line/col are 1-based (col counts UTF-8 code
 * points); 0 means unknown. offset/len are the byte span for underlining. */
typedef struct rt_loc {
	const char *path; /* NULL when not about a file */
	uint32_t line, col;
	uint32_t offset, len;
} rt_loc;

typedef struct rt_error {
	rt_code code;
	rt_loc loc;
	char *path;     /* owned copy of loc.path (loc.path points here) */
	char *message;  /* primary: one line */
	char *detail;   /* optional facts */
	char *hint;     /* optional advice */
	char *object;   /* optional database object the error is about */
	char sqlstate[6];
} rt_error;

#define RT_ERROR_INIT { 0 }

/* Sets code, location (may be NULL) and message; returns code so callers
 * can `return rt_error_set(err, RT_ESYNTAX, &loc, "...")`. A NULL err is
 * allowed and ignored. Replaces any previous content. */
int rt_error_set(rt_error *err, rt_code code, const rt_loc *loc, const char *fmt, ...) RT_PRINTF(4, 5);
int rt_error_vset(rt_error *err, rt_code code, const rt_loc *loc, const char *fmt, va_list ap) RT_PRINTF(4, 0);
void rt_error_detail(rt_error *err, const char *fmt, ...) RT_PRINTF(2, 3);
void rt_error_hint(rt_error *err, const char *fmt, ...) RT_PRINTF(2, 3);
void rt_error_clear(rt_error *err);
/* Moves src into dst (dst cleared first; src left empty). */
void rt_error_move(rt_error *dst, rt_error *src);
/* Says which larger task a failure from a lower layer belongs to: the message
 * becomes "<fmt>: <message>"; code, location, detail, hint, object and
 * SQLSTATE are kept. Returns err->code, so callers can `return
 * rt_error_prefix(err, "upgrade of '%s'", id)`. */
int rt_error_prefix(rt_error *err, const char *fmt, ...) RT_PRINTF(2, 3);
/* rt_error_prefix, and also a new code and, when loc is not NULL, a new
 * location (a server's failure re-labelled at the statement's source). */
int rt_error_wrap(rt_error *err, rt_code code, const rt_loc *loc, const char *fmt, ...)
	RT_PRINTF(4, 5);
/* Adds a line to the detail (after what is there, if anything). */
void rt_error_detail_append(rt_error *err, const char *fmt, ...) RT_PRINTF(2, 3);
/* Adds text to the end of the message, e.g. " (SQLSTATE 42703)" after a
 * server's message that rt_error_wrap labelled. */
void rt_error_message_append(rt_error *err, const char *fmt, ...) RT_PRINTF(2, 3);

typedef enum rt_severity {
	RT_SEV_ERROR = 0,
	RT_SEV_WARNING = 1,
	RT_SEV_NOTE = 2,
} rt_severity;

typedef struct rt_diag {
	rt_severity severity;
	const char *kind;    /* stable machine id, e.g. "duplicate-revision" */
	rt_loc loc;
	const char *message;
	const char *hint;    /* may be NULL */
	const char *revision; /* the revision concerned, may be NULL */
} rt_diag;

typedef struct rt_diags {
	rt_arena *arena;
	rt_diag **items;
	size_t n, cap;
	size_t errors, warnings;
} rt_diags;

void rt_diags_init(rt_diags *d, rt_arena *arena);
/* Adds a diagnostic; message is printf-formatted, hint may be NULL.
 * Returns the new entry so callers can fill `revision`. */
rt_diag *rt_diags_add(rt_diags *d, rt_severity sev, const char *kind, const rt_loc *loc,
                      const char *hint, const char *fmt, ...) RT_PRINTF(6, 7);
/* Adds an rt_error as an error diagnostic with the given kind. */
rt_diag *rt_diags_add_error(rt_diags *d, const char *kind, const rt_error *err);
/* Stable sort by path, line, col, then insertion order. */
void rt_diags_sort(rt_diags *d);

/* "path:line:col: " prefix (omitting unknown parts) appended to b. */
void rt_loc_format(rt_buf *b, const rt_loc *loc);

#endif
