/*
 * SQL identifiers and string literals, rendered the way SQLAlchemy's PostgreSQL
 * dialect renders them, so statements retort prints or sends match Alembic's
 * text byte for byte. Pure functions over rt_buf; no database needed.
 */
#ifndef RETORT_IDENT_H
#define RETORT_IDENT_H

#include "buf.h"
#include "common.h"

/*
 * True when SQLAlchemy would quote name: it is one of the dialect's reserved
 * words (sqlalchemy/dialects/postgresql/base.py RESERVED_WORDS, compared in
 * lower case), starts with a digit or '$', has a character outside
 * [A-Za-z0-9_$], or has an upper-case letter. An empty name needs quotes.
 */
bool rt_ident_needs_quotes(const char *name);

/* Appends name, double-quoted (embedded '"' doubled) only when
 * rt_ident_needs_quotes() says so. */
void rt_ident_append(rt_buf *b, const char *name);

/* Appends "schema".name with each part quoted as needed; a NULL schema
 * appends the name alone. */
void rt_ident_append_qualified(rt_buf *b, const char *schema, const char *name);

/* Appends s as a standard SQL string literal: 'it''s'. Backslashes are kept
 * as they are (standard_conforming_strings, on since PostgreSQL 9.1). */
void rt_ident_append_literal(rt_buf *b, const char *s);

#endif
