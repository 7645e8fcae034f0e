/* Internals of src/lint: the JSON tree libpg_query's parser produces. */
#ifndef RETORT_LINT_INT_H
#define RETORT_LINT_INT_H

#include "retort/lint.h"

typedef enum rt_jkind { RT_J_NULL, RT_J_BOOL, RT_J_NUM, RT_J_STR, RT_J_ARR, RT_J_OBJ } rt_jkind;

typedef struct rt_jnode {
	rt_jkind kind;
	bool b;
	double num;
	const char *str;
	struct rt_jnode **items; /* array elements, or object values */
	const char **keys;       /* object keys */
	size_t n;
} rt_jnode;

/* The tree of text[0, len), or NULL when it is not JSON. */
rt_jnode *rt_json_parse(rt_arena *arena, const char *text, size_t len);
const rt_jnode *rt_json_get(const rt_jnode *obj, const char *key);
const char *rt_json_str(const rt_jnode *obj, const char *key);
bool rt_json_bool(const rt_jnode *obj, const char *key);
long rt_json_int(const rt_jnode *obj, const char *key, long dflt);
size_t rt_json_len(const rt_jnode *arr);
/* A parse-tree Node {"Type": {...}}: its body, with *type set to "Type". */
const rt_jnode *rt_json_node(const rt_jnode *wrapper, const char **type);
/* The body when the Node is of `type`, else NULL. */
const rt_jnode *rt_json_node_as(const rt_jnode *wrapper, const char *type);

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
