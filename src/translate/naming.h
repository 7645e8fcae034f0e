/*
 * SQLAlchemy 1.4's naming conventions (sql/naming.py) and its truncation of
 * generated names (sql/compiler.py), for PostgreSQL. Pure functions over
 * plain strings, so a user's convention dictionary can be given later.
 */
#ifndef RETORT_TRANSLATE_NAMING_H
#define RETORT_TRANSLATE_NAMING_H

#include "retort/arena.h"

/* PostgreSQL's max_identifier_length, counted in characters as SQLAlchemy does. */
#define TR_MAX_IDENT_CHARS 63u

/* One entry of a MetaData naming_convention: key "ix", "uq", "ck", "fk" or "pk". */
typedef struct tr_convention {
	const char *key, *tmpl;
} tr_convention;

typedef struct tr_conventions {
	const tr_convention *v;
	size_t n;
} tr_conventions;

/* What a bare MetaData() carries: {"ix": "ix_%(column_0_label)s"}. */
extern const tr_conventions tr_default_conventions;

/* The constraint or index a convention names, as its tokens see it. */
typedef struct tr_name_facts {
	const char *table, *schema;
	const char *const *cols;    /* column names; of a foreign key: its local columns */
	const char *const *keys;    /* their Column key=, or NULL: the names */
	size_t ncols;
	bool foreign_key;           /* referred_* tokens apply */
	const char *referred_table;       /* NULL: a foreign key without columns */
	const char *const *referred_cols; /* one per local column; NULL: not resolvable */
	const char *name;           /* the explicit name, for %(constraint_name)s; or NULL */
} tr_name_facts;

/* The template of key ("ix", ...) in c, or NULL. */
const char *tr_convention_for(const tr_conventions *c, const char *key);

/*
 * tmpl % ConventionDict(facts), as SQLAlchemy computes it: every token of
 * sql/naming.py (table_name, constraint_name, referred_table_name,
 * [referred_]column_N_{name,key,label}, column_0N_* joined, column_0_N_*
 * joined with '_'). RT_OK with *out; RT_ERROR with a reason in *why where
 * SQLAlchemy raises (an unknown token, constraint_name without a name, a
 * referred_* token of a constraint that is not a foreign key, a missing
 * referred column) or for a format other than %(token)s and %%.
 */
int tr_convention_apply(rt_arena *a, const char *tmpl, const tr_name_facts *f,
                        const char **out, const char **why);

/* Length of s in characters (UTF-8 code points), as Python's len(). */
size_t tr_name_chars(const char *s);

/*
 * A generated name (a conv: op.f() or a convention) as SQLAlchemy renders
 * it: unchanged up to 63 characters, else its first 55 characters, '_' and
 * the last 4 hex digits of the md5 of the whole name (UTF-8).
 */
const char *tr_truncate_name(rt_arena *a, const char *name);

#endif
