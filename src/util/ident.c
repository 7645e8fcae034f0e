/*
 * Identifier quoting by SQLAlchemy's rules (IdentifierPreparer._requires_quotes
 * with the PostgreSQL dialect's reserved words) and literal quoting. The word
 * list is SQLAlchemy 1.4's RESERVED_WORDS, the set Alembic's output was verified with.
 */
#include <stdlib.h>
#include <string.h>

#include "retort/ident.h"

/* Sorted for bsearch. */
static const char *const reserved[] = {
	"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
	"authorization", "between", "binary", "both", "case", "cast", "check", "collate",
	"column", "constraint", "create", "cross", "current_catalog", "current_date",
	"current_role", "current_schema", "current_time", "current_timestamp", "current_user",
	"default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
	"fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having",
	"ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join",
	"leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "new",
	"not", "notnull", "null", "of", "off", "offset", "old", "on", "only", "or", "order",
	"outer", "over", "overlaps", "placing", "primary", "references", "returning", "right",
	"select", "session_user", "similar", "some", "symmetric", "table", "then", "to",
	"trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when",
	"where", "window", "with",
};

static int cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool rt_ident_needs_quotes(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || (name[0] >= '0' && name[0] <= '9') || name[0] == '$')
		return true;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool lower_ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
		if (!lower_ok)
			return true; /* upper case, or outside [A-Za-z0-9_$] */
	}
	/* All lower case here, so the name is its own lower-case form; the longest word
	 * is 17 bytes, which bounds the lookup. */
	return n <= 17 && bsearch(name, reserved, sizeof(reserved) / sizeof(reserved[0]),
	                          sizeof(reserved[0]), cmp_word) != NULL;
}

/* Appends s between q characters, doubling each q inside. */
static void append_quoted(rt_buf *b, const char *s, char q)
{
	rt_buf_putc(b, q);
	for (const char *p = s; *p; p++) {
		if (*p == q)
			rt_buf_putc(b, q);
		rt_buf_putc(b, *p);
	}
	rt_buf_putc(b, q);
}

void rt_ident_append(rt_buf *b, const char *name)
{
	if (rt_ident_needs_quotes(name))
		append_quoted(b, name, '"');
	else
		rt_buf_puts(b, name);
}

void rt_ident_append_qualified(rt_buf *b, const char *schema, const char *name)
{
	if (schema) {
		rt_ident_append(b, schema);
		rt_buf_putc(b, '.');
	}
	rt_ident_append(b, name);
}

void rt_ident_append_literal(rt_buf *b, const char *s)
{
	append_quoted(b, s, '\'');
}
