/*
 * A small JSON reader for libpg_query's parse trees (pg_query_parse): the
 * lint's facts and the translator's fresh-database reading of a query walk
 * the same tree.
 */
#ifndef RETORT_PGJSON_H
#define RETORT_PGJSON_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

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

#endif
