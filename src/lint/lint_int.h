/* Internals of src/lint. */
#ifndef RETORT_LINT_INT_H
#define RETORT_LINT_INT_H

#include "retort/lint.h"
#include "retort/pgjson.h"

/* A statement's per-statement findings, before suppression. */
typedef struct lint_hit {
	const char *rule;
	const char *message;
	size_t offset; /* byte of stmt->sql it points at */
} lint_hit;

typedef struct lint_hits {
	lint_hit *v;
	size_t n, cap;
} lint_hits;

/* Facts of a parsed statement, and the rules that look at one statement. */
void lint_analyze(rt_lint_facts *facts, lint_hits *hits, rt_arena *arena, const char *sql,
                  const rt_jnode *raw, const rt_lint_opts *opts);
/* Offset of the first token of sql[0, len) after blanks and comments (0 when none). */
size_t lint_skip_comments(const char *sql, size_t len);
void lint_hit_add(rt_arena *arena, lint_hits *hits, const char *rule, size_t offset,
                  const char *message);
/* rt_lint_facts_of, also appending the statement's own findings to hits. */
int rt_lint_facts_of_hits(rt_lint_facts *out, lint_hits *hits, rt_arena *arena,
                          const rt_stmt *stmt, const rt_lint_opts *opts, rt_error *err);

#endif
