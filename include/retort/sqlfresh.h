/*
 * What a query returns on a fresh database, one whose tables hold no rows:
 * the value a data migration reads when it runs on a new database, so that
 * the translator can follow its Python through `fetchone()[0] > 0` and
 * `for row in ...`. The executor then checks the assumption where the query
 * ran (rt_stmt.guard): the guard built here returns one row, (ok boolean,
 * what the query found as text).
 *
 * Known results: a SELECT whose rows come from tables finds none; a SELECT
 * of aggregates without GROUP BY finds one row, count() 0 and every other
 * aggregate NULL (through COALESCE, casts and constants); an UPDATE, DELETE
 * or INSERT ... SELECT of such changes (and returns) no rows. Anything else
 * is refused with the reason: a SELECT without FROM, VALUES, set functions,
 * catalog tables (their rows are the schema, not data), HAVING, window
 * functions, a WITH that changes rows.
 */
#ifndef RETORT_SQLFRESH_H
#define RETORT_SQLFRESH_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef enum rt_fresh_vkind {
	RT_FRESH_NULL,
	RT_FRESH_INT,   /* text: decimal digits, maybe a leading '-' */
	RT_FRESH_FLOAT, /* text: as written in the query */
	RT_FRESH_STR,   /* text: the string's value */
	RT_FRESH_BOOL,  /* text: "t" or "f" */
} rt_fresh_vkind;

typedef struct rt_fresh_value {
	rt_fresh_vkind kind;
	const char *text;
} rt_fresh_value;

typedef struct rt_fresh_result {
	bool one_row;          /* else no rows */
	rt_fresh_value *cols;  /* the row's values when one_row */
	size_t ncols;
	size_t len;            /* the statement's bytes in the text, without a final ';' */
	bool changes;          /* an UPDATE, DELETE or INSERT: no rows means none changed */
	bool returns;          /* with RETURNING: its rows can be read */
} rt_fresh_result;

/* The result of the statement sql on a fresh database: true with *out, or
 * false with *why (a phrase in the arena: "a SELECT without FROM"). */
bool rt_sql_fresh_result(rt_arena *arena, const char *sql, rt_fresh_result *out,
                         const char **why);

/* The text around a statement that makes it a guard of res:
 *   head || statement || tail
 * returns (the statement found res, what it found), one row. A change
 * without RETURNING gets one, so its guard counts the rows it changed (it
 * runs as the statement did). */
void rt_sql_fresh_guard(rt_arena *arena, const rt_fresh_result *res, const char **head,
                        const char **tail);

#endif
