/*
 * Naming conventions and generated-name truncation as SQLAlchemy 1.4 does
 * them (naming.h). The token grammar follows ConventionDict.__getitem__:
 * a token is table_name, constraint_name or referred_table_name, or matches
 * `[referred_]column_<N|0N|0_N>_<name|key|label>`; anything else is a
 * KeyError there and a refusal here. The tr_* functions at the end apply
 * them to the values of a body being translated.
 */
#include <string.h>

#include "retort/buf.h"
#include "retort/common.h"
#include "retort/md5.h"
#include "tr.h"

static const tr_convention default_convention[] = { { "ix", "ix_%(column_0_label)s" } };
const tr_conventions tr_default_conventions = { default_convention, 1 };

/* How much of the name SQLAlchemy keeps before '_' and 4 md5 digits (max - 8). */
#define TRUNCATED_KEEP (TR_MAX_IDENT_CHARS - 8u)

const char *tr_convention_for(const tr_conventions *c, const char *key)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (strcmp(c->v[i].key, key) == 0)
			return c->v[i].tmpl;
	return NULL;
}

typedef enum col_attr { ATTR_NAME, ATTR_KEY, ATTR_LABEL } col_attr;

/* column_X_<attr> of column i: "" past the end (SQLAlchemy's IndexError). */
static void column_token(rt_buf *b, const tr_name_facts *f, size_t i, col_attr attr)
{
	if (i >= f->ncols)
		return;
	if (attr == ATTR_KEY && f->keys && f->keys[i]) {
		rt_buf_puts(b, f->keys[i]);
		return;
	}
	if (attr == ATTR_LABEL) {
		/* Column._ddl_label: [schema_]table_column, dots of the schema as '_' */
		for (const char *p = f->schema; p && *p; p++)
			rt_buf_putc(b, *p == '.' ? '_' : *p);
		if (f->schema)
			rt_buf_putc(b, '_');
		rt_buf_printf(b, "%s_", f->table);
	}
	rt_buf_puts(b, f->cols[i]);
}

/* The [referred_]column_... tokens; false when tok is not one SQLAlchemy knows. */
static bool column_tokens(rt_buf *b, const tr_name_facts *f, const char *tok, const char **why)
{
	bool referred = strncmp(tok, "referred_", 9) == 0;
	const char *p = tok + (referred ? 9 : 0);
	if (strncmp(p, "column_", 7) != 0)
		return false;
	p += 7;
	size_t idx = 0;
	const char *digits = p;
	while (*p >= '0' && *p <= '9' && p - digits < 6)
		idx = idx * 10 + (size_t)(*p++ - '0');
	if (p == digits)
		return false;
	/* 0N joins every column's value, 0_N joins them with '_' (only after a 0) */
	const char *sep = NULL;
	if (p - digits == 1 && idx == 0 && strncmp(p, "N_", 2) == 0) {
		sep = "";
		p += 1;
	} else if (p - digits == 1 && idx == 0 && strncmp(p, "_N_", 3) == 0) {
		sep = "_";
		p += 2;
	}
	col_attr attr;
	if (strcmp(p, "_name") == 0)
		attr = ATTR_NAME;
	else if (!referred && strcmp(p, "_key") == 0)
		attr = ATTR_KEY;
	else if (!referred && strcmp(p, "_label") == 0)
		attr = ATTR_LABEL;
	else
		return false;
	if (referred && !f->foreign_key) {
		*why = "is a token of foreign keys only";
		return true;
	}
	if (referred && !f->referred_cols) {
		*why = "cannot be resolved: the referred table is not in the MetaData Alembic "
		       "names the constraint with (SQLAlchemy's NoReferencedTableError)";
		return true;
	}
	if (referred && !sep && idx >= f->ncols) {
		*why = "names a referred column the foreign key does not have";
		return true;
	}
	for (size_t i = sep ? 0 : idx; i < (sep ? f->ncols : idx + 1); i++) {
		if (sep && i)
			rt_buf_puts(b, sep);
		if (referred)
			rt_buf_puts(b, f->referred_cols[i]);
		else
			column_token(b, f, i, attr);
	}
	return true;
}

/* One %(tok)s; *why set when SQLAlchemy raises for it. */
static void token(rt_buf *b, const tr_name_facts *f, const char *tok, const char **why)
{
	if (strcmp(tok, "table_name") == 0) {
		rt_buf_puts(b, f->table);
	} else if (strcmp(tok, "constraint_name") == 0) {
		if (f->name)
			rt_buf_puts(b, f->name);
		else
			*why = "requires that the constraint is explicitly named";
	} else if (strcmp(tok, "referred_table_name") == 0) {
		if (f->foreign_key && f->referred_table)
			rt_buf_puts(b, f->referred_table);
		else if (f->foreign_key) /* a constraint without columns: elements[0] */
			*why = "needs a referred table, and this foreign key has none (SQLAlchemy's "
			       "IndexError)";
		else
			*why = "is a token of foreign keys only";
	} else if (!column_tokens(b, f, tok, why)) {
		*why = "is not a token SQLAlchemy knows";
	}
}

int tr_convention_apply(rt_arena *a, const char *tmpl, const tr_name_facts *f,
                        const char **out, const char **why)
{
	rt_buf b = RT_BUF_INIT;
	*why = NULL;
	for (const char *p = tmpl; *p && !*why; p++) {
		if (*p != '%') {
			rt_buf_putc(&b, *p);
		} else if (p[1] == '%') {
			rt_buf_putc(&b, '%');
			p++;
		} else {
			const char *end = p[1] == '(' ? strchr(p + 2, ')') : NULL;
			if (!end || end[1] != 's') {
				*why = rt_sprintf(a, "the convention '%s' has a format other than "
				                  "%%(token)s and %%%%", tmpl);
				break;
			}
			const char *tok = rt_strndup(a, p + 2, (size_t)(end - p - 2));
			const char *reason = NULL;
			token(&b, f, tok, &reason);
			if (reason)
				*why = rt_sprintf(a, "%%(%s)s of the convention '%s' %s", tok, tmpl, reason);
			p = end + 1;
		}
	}
	*out = *why ? NULL : rt_strndup(a, rt_buf_cstr(&b), b.len);
	rt_buf_release(&b);
	return *why ? RT_ERROR : RT_OK;
}

size_t tr_name_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

const char *tr_truncate_name(rt_arena *a, const char *name)
{
	if (tr_name_chars(name) <= TR_MAX_IDENT_CHARS)
		return name;
	/* the byte length of the first TRUNCATED_KEEP characters */
	size_t keep = 0, chars = 0;
	while (name[keep]) {
		if (((unsigned char)name[keep] & 0xC0) != 0x80 && chars++ == TRUNCATED_KEEP)
			break;
		keep++;
	}
	char hex[RT_MD5_HEX_LEN + 1];
	rt_md5_hex(hex, name, strlen(name));
	return rt_sprintf(a, "%.*s_%s", (int)keep, name, hex + RT_MD5_HEX_LEN - 4);
}

/* ---- in a translation run ---- */

int tr_get_name(tr_run *r, const tr_val *v, const char *what, const char **out)
{
	int rc = tr_get_opt_str(r, v, what, out);
	if (rc < 0 || !*out)
		return rc;
	if (v->conv)
		*out = tr_truncate_name(r->arena, *out);
	else if (tr_name_chars(*out) > TR_MAX_IDENT_CHARS)
		return tr_refuse(r, v->off, v->len, "identifier '%s' exceeds maximum length of 63 "
		                 "characters (SQLAlchemy truncates only names made by op.f() or a "
		                 "naming convention)", *out);
	return RT_OK;
}

int tr_convention_name(tr_run *r, const char *key, const tr_name_facts *f, uint32_t off,
                       uint32_t len, const char **out)
{
	const char *tmpl = tr_convention_for(r->ctx->conventions, key), *name, *why;
	*out = NULL;
	if (!tmpl)
		return RT_OK;
	if (tr_convention_apply(r->arena, tmpl, f, &name, &why) < 0)
		return tr_refuse(r, off, len, "the naming convention cannot name this %s: %s",
		                 strcmp(key, "ix") == 0 ? "index" : "constraint", why);
	*out = tr_truncate_name(r->arena, name);
	return RT_OK;
}

bool tr_convention_applies(tr_run *r, const char *key, const tr_val *v)
{
	const char *tmpl = tr_convention_for(r->ctx->conventions, key);
	if (!tmpl || (v && v->conv))
		return false;
	/* SQLAlchemy's test is a substring test on the template */
	return !v || v->kind == V_NONE || strstr(tmpl, "constraint_name");
}

int tr_object_name(tr_run *r, const char *key, const tr_val *v, tr_name_facts *f,
                   uint32_t off, uint32_t len, const char **out)
{
	const char *what = strcmp(key, "ix") == 0 ? "the index name" : "the constraint name";
	if (!tr_convention_applies(r, key, v))
		return tr_get_name(r, v, what, out);
	int rc = tr_get_opt_str(r, v, what, &f->name);
	return rc < 0 ? rc : tr_convention_name(r, key, f, off, len, out);
}
