/*
 * A statement to execute, with the way back to its source text.
 *
 * Every producer of SQL (sidecar and standalone .sql files, op.execute
 * strings, the op.* translator) yields rt_stmt values, so the executor and
 * `show --sql` treat them alike, and a server error position inside the
 * statement can be mapped to file:line:col of the text the user wrote.
 */
#ifndef RETORT_STMT_H
#define RETORT_STMT_H

#include "arena.h"
#include "error.h"
#include "source.h"

/*
 * Offset map from the statement text to the source. Segment i covers
 * statement bytes [seg[i].out, seg[i+1].out). When `linear` is set, byte
 * out+k maps to src+k (verbatim text); otherwise every byte of the segment
 * maps to src (generated text, e.g. the op.create_table(...) call that
 * produced it). No segments means "unknown position".
 */
typedef struct rt_offseg {
	uint32_t out;
	uint32_t src;
	bool linear;
} rt_offseg;

typedef struct rt_stmt {
	/* Not SQL when set: text the body writes at this point (sql is ""):
	 * print() output for standard output (echo_level NULL) or standard
	 * error ("stderr"), or a logging call's message (echo_level "INFO",
	 * "WARNING", ...), shown with -v. */
	const char *echo, *echo_level;
	const char *sql;        /* NUL-terminated, without a trailing ';' */
	size_t len;
	const rt_source *src;   /* may be NULL for synthesised statements */
	rt_offseg *segs;
	size_t nsegs;
	bool no_transaction;    /* run alone, outside any transaction block */
	/* Set on a statement a run sends at most once under this key, whichever
	 * body produced it first (the CREATE TYPE of op.create_table's enum memo,
	 * alembic.md §5.4); a deploy bundle records it to replay that memo. */
	const char *once_key;
	/* A guard, not a migration statement: a query returning one row (ok,
	 * found), a boolean and text (rt_sql_fresh_guard): whether a query the
	 * body reads finds what the translator assumed, on a fresh database, and
	 * what it found. When not ok the step stops; the error is located at the
	 * statement's first byte and says guard ("here it finds " and found are
	 * appended) with guard_hint. NULL for a statement. */
	const char *guard, *guard_hint;
} rt_stmt;

/* Which body of a revision a list of statements comes from. */
typedef enum rt_direction {
	RT_UPGRADE = 0,
	RT_DOWNGRADE = 1,
} rt_direction;

typedef struct rt_stmtlist {
	rt_stmt **items;
	size_t n, cap;
} rt_stmtlist;

void rt_stmtlist_push(rt_arena *arena, rt_stmtlist *list, rt_stmt *stmt);

/* A statement copied verbatim from src[offset, offset+len). */
rt_stmt *rt_stmt_verbatim(rt_arena *arena, const rt_source *src, size_t offset, size_t len);
/* A generated statement attributed as a whole to src[offset]. */
rt_stmt *rt_stmt_generated(rt_arena *arena, const char *sql, const rt_source *src, size_t offset);
/* Appends a segment (segments must be appended in increasing `out`). */
void rt_stmt_add_seg(rt_arena *arena, rt_stmt *stmt, uint32_t out, uint32_t src, bool linear);

/* Byte offset in stmt->src of statement byte `offset`; false when unknown. */
bool rt_stmt_src_offset(const rt_stmt *stmt, size_t offset, size_t *src_offset);
/* Source location of statement byte `offset` (loc.path NULL when unknown). */
rt_loc rt_stmt_loc(const rt_stmt *stmt, size_t offset);
/* An echo statement (stmt->echo) of print() as SQL comment lines, "-- print:
 * <line>" each, for SQL renderings (--sql, show --sql); nothing for a
 * logging call. */
void rt_stmt_echo_comment(rt_buf *b, const rt_stmt *stmt);
/* Bytes of sql before its first token: PostgreSQL's blanks, -- comments and
 * (nested) block comments. */
size_t rt_sql_leading_blanks(const char *sql, size_t len);

#endif
