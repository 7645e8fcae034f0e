/*
 * SQL text for evaluated SQLAlchemy objects, rendered as SQLAlchemy 1.4's
 * PostgreSQL dialect does (PGTypeCompiler, PGDDLCompiler, text() binds):
 * column types, column specifications with the SERIAL rules, defaults,
 * literals, foreign keys and constraint options.
 */
#include <string.h>
#include <strings.h>

#include "retort/ident.h"
#include "tr.h"

/* ---- argument getters ---- */

static int missing(tr_run *r, const char *what)
{
	return tr_refuse(r, r->cur_off, r->cur_len, "missing %s", what);
}

int tr_get_str(tr_run *r, const tr_val *v, const char *what, const char **out)
{
	if (!v)
		return missing(r, what);
	if (v->kind != V_STR)
		return tr_refuse(r, v->off, v->len, "%s must be a string known statically", what);
	if (strlen(v->s) != v->slen)
		return tr_refuse(r, v->off, v->len, "%s contains a NUL byte", what);
	*out = v->s;
	return RT_OK;
}

int tr_get_opt_str(tr_run *r, const tr_val *v, const char *what, const char **out)
{
	if (!v || v->kind == V_NONE) {
		*out = NULL;
		return RT_OK;
	}
	return tr_get_str(r, v, what, out);
}

int tr_get_bool(tr_run *r, const tr_val *v, const char *what, bool *out)
{
	if (!v || v->kind == V_NONE)
		return RT_OK;
	if (v->kind != V_BOOL && v->kind != V_INT)
		return tr_refuse(r, v->off, v->len, "%s must be True or False", what);
	*out = v->i != 0;
	return RT_OK;
}

int tr_get_names(tr_run *r, const tr_val *v, const char *what, rt_strv *out)
{
	if (!v)
		return missing(r, what);
	if (v->kind != V_LIST && v->kind != V_TUPLE)
		return tr_refuse(r, v->off, v->len, "%s must be a list of names", what);
	for (size_t i = 0; i < v->n; i++) {
		const char *s;
		const tr_val *x = v->items[i];
		if (x->kind == V_SQL && x->name)
			s = x->name;
		else if (tr_get_str(r, x, what, &s) < 0)
			return RT_EUNSUPPORTED;
		rt_strv_push(r->arena, out, s);
	}
	return RT_OK;
}

void tr_qualified(rt_buf *b, const char *schema, const char *name)
{
	rt_ident_append_qualified(b, schema, name);
}

void tr_constraint_name(rt_buf *b, const char *name)
{
	if (name) {
		rt_buf_puts(b, "CONSTRAINT ");
		rt_ident_append(b, name);
		rt_buf_putc(b, ' ');
	}
}

void tr_name_list(rt_buf *b, const rt_strv *names)
{
	for (size_t i = 0; i < names->n; i++) {
		if (i)
			rt_buf_puts(b, ", ");
		rt_ident_append(b, names->v[i]);
	}
}

/* ---- literals and expressions ---- */

void tr_literal_list(rt_buf *b, const rt_strv *values)
{
	for (size_t i = 0; i < values->n; i++) {
		if (i)
			rt_buf_puts(b, ", ");
		rt_ident_append_literal(b, values->v[i]);
	}
}

void tr_render_literal(rt_buf *b, const tr_val *v)
{
	switch (v->kind) {
	case V_NONE: rt_buf_puts(b, "NULL"); break;
	case V_BOOL: rt_buf_puts(b, v->i ? "true" : "false"); break;
	case V_STR: rt_ident_append_literal(b, v->s); break;
	default: rt_buf_add(b, v->s, v->slen); break; /* INT / FLOAT as written */
	}
}

static bool is_literal(const tr_val *v)
{
	return v->kind == V_NONE || v->kind == V_BOOL || v->kind == V_INT || v->kind == V_FLOAT ||
	       v->kind == V_STR;
}

int tr_render_sql(tr_run *r, rt_buf *b, tr_val *v, const char *what)
{
	if (v->kind == V_SQL) {
		rt_buf_add(b, v->s, v->slen);
		return RT_OK;
	}
	if (tr_is(v, "sa.text"))
		return tr_render_text(r, b, NULL, v);
	if (tr_is(v, "sa.literal") && v->args.npos == 1 && is_literal(v->args.pos[0])) {
		tr_render_literal(b, v->args.pos[0]);
		return RT_OK;
	}
	if (is_literal(v)) {
		if (v->kind == V_STR && strlen(v->s) != v->slen)
			return tr_refuse(r, v->off, v->len, "%s contains a NUL byte", what);
		tr_render_literal(b, v);
		return RT_OK;
	}
	return tr_refuse(r, v->off, v->len, "%s that retort cannot render as SQL", what);
}

static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c >= 0x80;
}

/* Appends value[from, to) of a text() string, mapped into the .py when known. */
static void text_piece(tr_run *r, rt_buf *b, rt_stmt *st, const tr_val *s, size_t from,
                       size_t to, uint32_t gen_off)
{
	if (to <= from)
		return;
	if (st && s->lit)
		py_str_add_segs(r->arena, st, s->lit, from, to - from, (uint32_t)b->len);
	else if (st)
		rt_stmt_add_seg(r->arena, st, (uint32_t)b->len, gen_off, false);
	rt_buf_add(b, s->s + from, to - from);
}

enum { TEXT_TRIM = 1u << 0 }; /* drop leading and trailing whitespace */

/* A list or a non-empty tuple of literals: a bind value psycopg2 adapts. */
static bool literal_sequence(const tr_val *v)
{
	if (v->kind != V_LIST && !(v->kind == V_TUPLE && v->n))
		return false;
	for (size_t i = 0; i < v->n; i++)
		if (!is_literal(v->items[i]))
			return false;
	return true;
}

/* As psycopg2 sends it: a list is an ARRAY ('{}' when empty), a tuple a
 * parenthesised list (for IN). */
static void render_sequence(rt_buf *b, const tr_val *v)
{
	if (v->kind == V_LIST && !v->n) {
		rt_buf_puts(b, "'{}'");
		return;
	}
	rt_buf_puts(b, v->kind == V_LIST ? "ARRAY[" : "(");
	for (size_t i = 0; i < v->n; i++) {
		if (i) /* psycopg2's own spacing */
			rt_buf_puts(b, v->kind == V_LIST ? "," : ", ");
		tr_render_literal(b, v->items[i]);
	}
	rt_buf_putc(b, v->kind == V_LIST ? ']' : ')');
}

/* A bound literal or sequence (literal_sequence) in place, mapped to the value. */
static void bound_value(tr_run *r, rt_buf *b, rt_stmt *st, const tr_val *v)
{
	if (st)
		rt_stmt_add_seg(r->arena, st, (uint32_t)b->len, v->off, false);
	if (is_literal(v))
		tr_render_literal(b, v);
	else
		render_sequence(b, v);
}

/*
 * SQLAlchemy text(): `:name` (pattern (?<![:\w\\]):(\w+)(?!:)) is a bind
 * parameter, rendered from .bindparams() values as literals, refused when
 * unbound (Alembic renders NULL offline and fails online); `\:` before a
 * name is an escaped colon. With st, the offset map of the output is built.
 */
static int render_text(tr_run *r, rt_buf *b, rt_stmt *st, const tr_val *text, unsigned flags)
{
	const tr_val *s = text->args.npos == 1 ? text->args.pos[0] : NULL;
	if (!s || s->kind != V_STR)
		return tr_refuse(r, text->off, text->len, "'text()' of a value that is not a string "
		                 "known statically");
	const unsigned char *p = (const unsigned char *)s->s;
	size_t start = 0, end = s->slen;
	while ((flags & TEXT_TRIM) && start < end &&
	       (p[start] == ' ' || (p[start] >= '\t' && p[start] <= '\r')))
		start++;
	while ((flags & TEXT_TRIM) && end > start &&
	       (p[end - 1] == ' ' || (p[end - 1] >= '\t' && p[end - 1] <= '\r')))
		end--;
	if (memchr(p + start, 0, end - start))
		return tr_refuse(r, s->off, s->len, "SQL text contains a NUL byte");
	uint32_t gen = s->off;
	size_t piece = start;
	for (size_t i = start; i < end; i++) {
		if (p[i] != ':')
			continue;
		size_t run = i + 1;
		while (run < end && (word_char(p[run]) || p[run] == '$'))
			run++;
		if (i > start && p[i - 1] == '\\') {
			if (run < end && p[run] == ':')
				continue;
			text_piece(r, b, st, s, piece, i - 1, gen); /* drop the backslash */
			piece = i;
			continue;
		}
		if (i > start && (p[i - 1] == ':' || word_char(p[i - 1])))
			continue;
		size_t name_end = i + 1;
		while (name_end < end && word_char(p[name_end]))
			name_end++;
		if (name_end < end && p[name_end] == ':')
			name_end--; /* the regex backtracks so the name is not followed by ':' */
		if (name_end <= i + 1)
			continue;
		char *name = rt_strndup(r->arena, (const char *)p + i + 1, name_end - i - 1);
		tr_val *bound = NULL;
		for (size_t k = 0; k < text->args.nkw; k++)
			if (strcmp(text->args.kwn[k], name) == 0)
				bound = text->args.kwv[k];
		if (!bound || !(is_literal(bound) || literal_sequence(bound))) {
			uint32_t at = s->lit ? (uint32_t)py_str_src_offset(s->lit, i) : s->off;
			uint32_t n = s->lit ? (uint32_t)(name_end - i) : s->len;
			int rc = tr_refuse(r, at, n, "bind parameter ':%s' in SQL text", name);
			rt_error_detail(r->err, "SQLAlchemy text() reads ':%s' as a bind parameter: "
			                "Alembic renders NULL offline and fails online without a value",
			                name);
			rt_error_hint(r->err, "escape the colon as '\\:' if it is literal text, give a "
			              "literal value with .bindparams(%s=...), or write this body as SQL "
			              "in a sidecar .sql file", name);
			return rc;
		}
		text_piece(r, b, st, s, piece, i, gen);
		bound_value(r, b, st, bound);
		piece = name_end;
		i = name_end - 1;
	}
	text_piece(r, b, st, s, piece, end, gen);
	return RT_OK;
}

/* One bound value of a driver SQL string, rendered as psycopg2 adapts it. */
static int pyformat_value(tr_run *r, rt_buf *b, rt_stmt *st, const tr_val *v, uint32_t at,
                          uint32_t n)
{
	if (!is_literal(v) && !literal_sequence(v))
		return tr_refuse(r, at, n, "a parameter that is not a literal value");
	if (v->kind == V_STR && strlen(v->s) != v->slen)
		return tr_refuse(r, v->off, v->len, "a parameter that contains a NUL byte");
	bound_value(r, b, st, v);
	return RT_OK;
}

int tr_render_pyformat(tr_run *r, rt_buf *b, rt_stmt *st, const tr_val *s, size_t start,
                       size_t end, const tr_val *params)
{
	bool named = params->kind == V_DICT;
	if (!named && params->kind != V_TUPLE)
		return tr_refuse(r, params->off, params->len, "execute parameters of a SQL string "
		                 "must be a literal dict or tuple");
	const char *p = s->s;
	size_t piece = start, used = 0;
	int rc = RT_OK;
	for (size_t i = start; i < end && rc == RT_OK; i++) {
		if (p[i] != '%')
			continue;
		uint32_t at = s->lit ? (uint32_t)py_str_src_offset(s->lit, i) : s->off;
		uint32_t n = s->lit ? 2 : s->len;
		size_t next = i + 1;
		const tr_val *v = NULL;
		if (next < end && p[next] == '%') {
			text_piece(r, b, st, s, piece, i + 1, s->off); /* one '%' of the two */
			piece = next + 1;
			i = next;
			continue;
		}
		if (next < end && p[next] == '(' && named) {
			const char *close = memchr(p + next, ')', end - next);
			if (!close || close + 1 >= p + end || close[1] != 's')
				return tr_refuse(r, at, n, "a '%%(name)' placeholder not followed by 's' "
				                 "(psycopg2 takes only %%(name)s, %%s and %%%%)");
			char *key = rt_strndup(r->arena, p + next + 1, (size_t)(close - p) - next - 1);
			for (size_t k = 0; k < params->n && !v; k++) {
				const tr_val *kv = params->items[2 * k];
				if (kv->kind == V_STR && strcmp(kv->s, key) == 0)
					v = params->items[2 * k + 1];
			}
			if (!v)
				return tr_refuse(r, at, n, "no parameter '%s' for '%%(%s)s'", key, key);
			next = (size_t)(close - p) + 2;
		} else if (next < end && p[next] == 's' && !named) {
			if (used == params->n)
				return tr_refuse(r, at, n, "more '%%s' placeholders than parameters");
			v = params->items[used++];
			next++;
		} else {
			rc = tr_refuse(r, at, n, "a '%%' psycopg2 fails on: SQLAlchemy 1.4 gives it this "
			               "string with %s, and it reads %s and %%%% only",
			               !named ? "a tuple of parameters" : params->n ? "a dict of parameters"
			                                                            : "{} for no parameters",
			               named ? "%(name)s" : "%s");
			rt_error_hint(r->err, "write %%%% for a percent sign");
			return rc;
		}
		text_piece(r, b, st, s, piece, i, s->off);
		rc = pyformat_value(r, b, st, v, at, n);
		piece = next;
		i = next - 1;
	}
	if (rc < 0)
		return rc;
	if (!named && used != params->n)
		return tr_refuse(r, params->off, params->len, "fewer '%%s' placeholders than "
		                 "parameters");
	text_piece(r, b, st, s, piece, end, s->off);
	return RT_OK;
}

int tr_render_text(tr_run *r, rt_buf *b, rt_stmt *st, const tr_val *text)
{
	return render_text(r, b, st, text, 0);
}

int tr_render_statement(tr_run *r, rt_buf *b, rt_stmt *st, const tr_val *text)
{
	return render_text(r, b, st, text, TEXT_TRIM);
}

int tr_render_default(tr_run *r, rt_buf *b, tr_val *d)
{
	if (d->kind == V_STR) {
		if (strlen(d->s) != d->slen)
			return tr_refuse(r, d->off, d->len, "server_default contains a NUL byte");
		rt_ident_append_literal(b, d->s);
		return RT_OK;
	}
	if (tr_is(d, "sa.DefaultClause") && d->args.npos == 1)
		return tr_render_default(r, b, d->args.pos[0]);
	if (d->kind == V_SQL || tr_is(d, "sa.text"))
		return tr_render_sql(r, b, d, "server_default");
	return tr_refuse(r, d->off, d->len, "server_default must be a string, sa.text() or a SQL "
	                 "function, not %s", d->kind == V_OBJ ? d->written : "this value");
}

/* ---- types ---- */

enum shape { T_PLAIN, T_LEN, T_NUMERIC, T_FLOAT, T_TS, T_TIME, T_INTERVAL, T_ARRAY, T_ENUM, T_BIT };
enum tclass { C_OTHER, C_INT, C_BIGINT, C_SMALLINT, C_NUMERIC };

static const struct tdef {
	const char *name, *sql;
	enum shape shape;
	enum tclass cls;
} tdefs[] = {
	{ "sa.String", "VARCHAR", T_LEN, C_OTHER }, { "sa.VARCHAR", "VARCHAR", T_LEN, C_OTHER },
	{ "sa.Unicode", "VARCHAR", T_LEN, C_OTHER }, { "pg.VARCHAR", "VARCHAR", T_LEN, C_OTHER },
	{ "sa.Text", "TEXT", T_LEN, C_OTHER }, { "sa.TEXT", "TEXT", T_LEN, C_OTHER },
	{ "sa.UnicodeText", "TEXT", T_LEN, C_OTHER }, { "pg.TEXT", "TEXT", T_LEN, C_OTHER },
	{ "sa.CHAR", "CHAR", T_LEN, C_OTHER }, { "pg.CHAR", "CHAR", T_LEN, C_OTHER },
	{ "sa.Integer", "INTEGER", T_PLAIN, C_INT }, { "sa.INTEGER", "INTEGER", T_PLAIN, C_INT },
	{ "sa.INT", "INTEGER", T_PLAIN, C_INT }, { "pg.INTEGER", "INTEGER", T_PLAIN, C_INT },
	{ "sa.BigInteger", "BIGINT", T_PLAIN, C_BIGINT }, { "sa.BIGINT", "BIGINT", T_PLAIN, C_BIGINT },
	{ "pg.BIGINT", "BIGINT", T_PLAIN, C_BIGINT },
	{ "sa.SmallInteger", "SMALLINT", T_PLAIN, C_SMALLINT },
	{ "sa.SMALLINT", "SMALLINT", T_PLAIN, C_SMALLINT },
	{ "pg.SMALLINT", "SMALLINT", T_PLAIN, C_SMALLINT },
	{ "sa.Boolean", "BOOLEAN", T_PLAIN, C_OTHER }, { "sa.BOOLEAN", "BOOLEAN", T_PLAIN, C_OTHER },
	{ "pg.BOOLEAN", "BOOLEAN", T_PLAIN, C_OTHER },
	{ "sa.DateTime", "TIMESTAMP", T_TS, C_OTHER }, { "sa.TIMESTAMP", "TIMESTAMP", T_TS, C_OTHER },
	{ "pg.TIMESTAMP", "TIMESTAMP", T_TS, C_OTHER },
	{ "sa.Date", "DATE", T_PLAIN, C_OTHER }, { "sa.DATE", "DATE", T_PLAIN, C_OTHER },
	{ "pg.DATE", "DATE", T_PLAIN, C_OTHER },
	{ "sa.Time", "TIME", T_TIME, C_OTHER }, { "sa.TIME", "TIME", T_TIME, C_OTHER },
	{ "pg.TIME", "TIME", T_TIME, C_OTHER },
	{ "sa.Interval", "INTERVAL", T_INTERVAL, C_OTHER },
	{ "pg.INTERVAL", "INTERVAL", T_INTERVAL, C_OTHER },
	{ "sa.Numeric", "NUMERIC", T_NUMERIC, C_NUMERIC },
	{ "sa.NUMERIC", "NUMERIC", T_NUMERIC, C_NUMERIC },
	{ "pg.NUMERIC", "NUMERIC", T_NUMERIC, C_NUMERIC },
	{ "sa.DECIMAL", "DECIMAL", T_NUMERIC, C_NUMERIC },
	{ "sa.Float", "FLOAT", T_FLOAT, C_NUMERIC }, { "sa.FLOAT", "FLOAT", T_FLOAT, C_NUMERIC },
	{ "pg.FLOAT", "FLOAT", T_FLOAT, C_NUMERIC },
	{ "sa.REAL", "REAL", T_PLAIN, C_NUMERIC }, { "pg.REAL", "REAL", T_PLAIN, C_NUMERIC },
	{ "pg.DOUBLE_PRECISION", "DOUBLE PRECISION", T_PLAIN, C_NUMERIC },
	{ "sa.DOUBLE_PRECISION", "DOUBLE PRECISION", T_PLAIN, C_NUMERIC },
	{ "sa.Double", "DOUBLE PRECISION", T_PLAIN, C_NUMERIC },
	{ "sa.LargeBinary", "BYTEA", T_PLAIN, C_OTHER }, { "pg.BYTEA", "BYTEA", T_PLAIN, C_OTHER },
	{ "sa.PickleType", "BYTEA", T_PLAIN, C_OTHER }, /* a TypeDecorator of LargeBinary */
	{ "pg.BIT", "BIT", T_BIT, C_OTHER },
	{ "pg.UUID", "UUID", T_PLAIN, C_OTHER }, { "sa.Uuid", "UUID", T_PLAIN, C_OTHER },
	{ "sa.UUID", "UUID", T_PLAIN, C_OTHER },
	{ "sa.JSON", "JSON", T_PLAIN, C_OTHER }, { "pg.JSON", "JSON", T_PLAIN, C_OTHER },
	{ "pg.JSONB", "JSONB", T_PLAIN, C_OTHER },
	{ "sa.ARRAY", NULL, T_ARRAY, C_OTHER }, { "pg.ARRAY", NULL, T_ARRAY, C_OTHER },
	{ "sa.Enum", NULL, T_ENUM, C_OTHER }, { "pg.ENUM", NULL, T_ENUM, C_OTHER },
	{ "pg.CITEXT", "CITEXT", T_PLAIN, C_OTHER }, { "pg.INET", "INET", T_PLAIN, C_OTHER },
	{ "pg.CIDR", "CIDR", T_PLAIN, C_OTHER }, { "pg.MACADDR", "MACADDR", T_PLAIN, C_OTHER },
	{ "pg.MACADDR8", "MACADDR8", T_PLAIN, C_OTHER }, { "pg.MONEY", "MONEY", T_PLAIN, C_OTHER },
	{ "pg.OID", "OID", T_PLAIN, C_OTHER }, { "pg.REGCLASS", "REGCLASS", T_PLAIN, C_OTHER },
	{ "pg.TSVECTOR", "TSVECTOR", T_PLAIN, C_OTHER }, { "pg.HSTORE", "HSTORE", T_PLAIN, C_OTHER },
	{ "pg.INT4RANGE", "INT4RANGE", T_PLAIN, C_OTHER },
	{ "pg.INT8RANGE", "INT8RANGE", T_PLAIN, C_OTHER },
	{ "pg.NUMRANGE", "NUMRANGE", T_PLAIN, C_OTHER },
	{ "pg.DATERANGE", "DATERANGE", T_PLAIN, C_OTHER },
	{ "pg.TSRANGE", "TSRANGE", T_PLAIN, C_OTHER },
	{ "pg.TSTZRANGE", "TSTZRANGE", T_PLAIN, C_OTHER },
};

static const struct tdef *find_type(const tr_val *t)
{
	if (!t || (t->kind != V_REF && t->kind != V_OBJ))
		return NULL;
	for (size_t i = 0; i < sizeof(tdefs) / sizeof(tdefs[0]); i++)
		if (strcmp(tdefs[i].name, t->name) == 0)
			return &tdefs[i];
	return NULL;
}

bool tr_is_enum(const tr_val *t)
{
	const struct tdef *d = find_type(t);
	return d && d->shape == T_ENUM;
}

static enum tclass type_class(const tr_val *t)
{
	const struct tdef *d = find_type(t);
	return d ? d->cls : C_OTHER;
}

/* The argument of an instance (OBJ); a class reference (REF) has none. */
static tr_val *targ(tr_val *t, size_t idx, const char *name)
{
	return t->kind == V_OBJ ? tr_arg(&t->args, idx, name) : NULL;
}

static int opt_int(tr_run *r, const tr_val *v, const char *what, int64_t *out)
{
	*out = -1;
	if (!v || v->kind == V_NONE)
		return RT_OK;
	if (v->kind != V_INT || v->i < 0)
		return tr_refuse(r, v->off, v->len, "%s must be a non-negative integer", what);
	*out = v->i;
	return RT_OK;
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int tr_enum_info(tr_run *r, tr_val *t, const char **name, const char **schema,
                 rt_strv *values, bool *native)
{
	*name = *schema = NULL;
	*native = true;
	if (t->kind != V_OBJ)
		return tr_refuse(r, t->off, t->len, "an Enum type without values or name");
	tr_args *a = &t->args;
	const char *class_name = NULL;
	if (a->npos == 1 && a->pos[0]->kind == V_ENUMCLS) {
		int rc = tr_enumcls_labels(r, a->pos[0], tr_arg(a, SIZE_MAX, "values_callable"),
		                           values, &class_name);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; !class_name && i < a->npos; i++) {
		const char *v;
		if (a->pos[i]->kind != V_STR)
			return tr_refuse(r, a->pos[i]->off, a->pos[i]->len, "Enum values must be string "
			                 "literals or one enum class of this file (a class imported "
			                 "from the application is not known statically)");
		if (tr_get_str(r, a->pos[i], "an Enum value", &v) < 0)
			return RT_EUNSUPPORTED;
		rt_strv_push(r->arena, values, v);
	}
	tr_val *nv = tr_arg(a, SIZE_MAX, "name");
	int rc = RT_OK;
	if (nv || !class_name)
		rc = tr_get_opt_str(r, nv, "the Enum name", name);
	else
		*name = class_name; /* SQLAlchemy 1.4's default; an explicit name=None is none */
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "schema"), "the Enum schema", schema);
	if (rc == RT_OK && strcmp(t->name, "sa.Enum") == 0)
		rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "native_enum"), "native_enum", native);
	return rc;
}

static int render_enum(tr_run *r, rt_buf *b, tr_val *t)
{
	const char *name, *schema;
	rt_strv values = { 0 };
	bool native;
	int rc = tr_enum_info(r, t, &name, &schema, &values, &native);
	if (rc < 0)
		return rc;
	if (native) {
		if (!name)
			return tr_refuse(r, t->off, t->len, "PostgreSQL ENUM type requires a name");
		tr_qualified(b, schema, name);
		return RT_OK;
	}
	int64_t length;
	rc = opt_int(r, tr_arg(&t->args, SIZE_MAX, "length"), "length", &length);
	if (rc < 0)
		return rc;
	if (length < 0) {
		length = 0;
		for (size_t i = 0; i < values.n; i++)
			if ((int64_t)utf8_len(values.v[i]) > length)
				length = (int64_t)utf8_len(values.v[i]);
	}
	rt_buf_printf(b, "VARCHAR(%lld)", (long long)length);
	return RT_OK;
}

int tr_render_type(tr_run *r, rt_buf *b, tr_val *t)
{
	if (t && (t->kind == V_REF || t->kind == V_OBJ) && r->ctx->cfg) {
		const rt_type_map_entry *m = rt_config_find_type(r->ctx->cfg, t->written);
		if (m) {
			rt_buf_puts(b, m->sql);
			return RT_OK;
		}
	}
	int ext = tr_render_ext_type(r, b, t);
	if (ext != TR_NOT_EXT)
		return ext;
	const struct tdef *d = find_type(t);
	if (!d) {
		if (t && (t->kind == V_REF || t->kind == V_OBJ))
			return tr_refuse_type(r, t);
		return tr_refuse(r, t ? t->off : r->cur_off, t ? t->len : r->cur_len,
		                 "a column type that is not a SQLAlchemy type");
	}
	int64_t n1 = -1, n2 = -1;
	int rc = RT_OK;
	switch (d->shape) {
	case T_PLAIN:
		rt_buf_puts(b, d->sql);
		return RT_OK;
	case T_LEN: {
		const char *coll = NULL;
		rc = opt_int(r, targ(t, 0, "length"), "length", &n1);
		if (rc == RT_OK)
			rc = tr_get_opt_str(r, targ(t, 1, "collation"), "collation", &coll);
		if (rc < 0)
			return rc;
		rt_buf_puts(b, d->sql);
		if (n1 >= 0)
			rt_buf_printf(b, "(%lld)", (long long)n1);
		if (coll) {
			rt_buf_puts(b, " COLLATE ");
			rt_ident_append(b, coll);
		}
		return RT_OK;
	}
	case T_NUMERIC:
		rc = opt_int(r, targ(t, 0, "precision"), "precision", &n1);
		if (rc == RT_OK)
			rc = opt_int(r, targ(t, 1, "scale"), "scale", &n2);
		if (rc < 0)
			return rc;
		rt_buf_puts(b, d->sql);
		if (n1 >= 0 && n2 >= 0)
			rt_buf_printf(b, "(%lld, %lld)", (long long)n1, (long long)n2);
		else if (n1 >= 0)
			rt_buf_printf(b, "(%lld)", (long long)n1);
		return RT_OK;
	case T_FLOAT:
		rc = opt_int(r, targ(t, 0, "precision"), "precision", &n1);
		if (rc < 0)
			return rc;
		rt_buf_puts(b, d->sql);
		if (n1 >= 0)
			rt_buf_printf(b, "(%lld)", (long long)n1);
		return RT_OK;
	case T_TS:
	case T_TIME: {
		bool tz = false;
		rc = tr_get_bool(r, targ(t, 0, "timezone"), "timezone", &tz);
		if (rc == RT_OK && strcmp(t->name, "sa.DateTime") != 0 && strcmp(t->name, "sa.Time") != 0)
			rc = opt_int(r, targ(t, 1, "precision"), "precision", &n1);
		if (rc < 0)
			return rc;
		rt_buf_puts(b, d->sql);
		if (n1 >= 0)
			rt_buf_printf(b, "(%lld)", (long long)n1);
		rt_buf_puts(b, tz ? " WITH TIME ZONE" : " WITHOUT TIME ZONE");
		return RT_OK;
	}
	case T_BIT: {
		/* BIT(length=None, varying=False): a fixed BIT is at least BIT(1) */
		bool varying = false;
		rc = opt_int(r, targ(t, 0, "length"), "length", &n1);
		if (rc == RT_OK)
			rc = tr_get_bool(r, targ(t, 1, "varying"), "varying", &varying);
		if (rc < 0)
			return rc;
		if (varying)
			rt_buf_puts(b, "BIT VARYING");
		if (!varying || n1 >= 0)
			rt_buf_printf(b, "%s(%lld)", varying ? "" : "BIT", (long long)(n1 > 0 || varying ? n1 : 1));
		return RT_OK;
	}
	case T_INTERVAL: {
		const char *fields = NULL;
		bool generic = strcmp(t->name, "sa.Interval") == 0;
		rc = opt_int(r, generic ? targ(t, 1, "second_precision") : targ(t, 0, "precision"),
		             "precision", &n1);
		if (rc == RT_OK && !generic)
			rc = tr_get_opt_str(r, targ(t, 1, "fields"), "fields", &fields);
		if (rc < 0)
			return rc;
		rt_buf_puts(b, "INTERVAL");
		if (fields)
			rt_buf_printf(b, " %s", fields);
		if (n1 >= 0)
			rt_buf_printf(b, " (%lld)", (long long)n1);
		return RT_OK;
	}
	case T_ARRAY: {
		tr_val *item = targ(t, 0, "item_type");
		if (!item)
			return tr_refuse(r, t->off, t->len, "ARRAY without an item type");
		rc = opt_int(r, targ(t, 2, "dimensions"), "dimensions", &n1);
		if (rc == RT_OK && n1 > 64)
			rc = tr_refuse(r, t->off, t->len, "ARRAY of more than 64 dimensions");
		rt_buf inner = RT_BUF_INIT;
		if (rc == RT_OK)
			rc = tr_render_type(r, &inner, item);
		if (rc == RT_OK) {
			/* PGTypeCompiler.visit_ARRAY: the brackets go before the item's
			 * COLLATE (VARCHAR[] COLLATE "C"); dimensions=None is one */
			const char *s = rt_buf_cstr(&inner), *coll = strstr(s, " COLLATE");
			size_t at = coll ? (size_t)(coll - s) : inner.len;
			rt_buf_add(b, s, at);
			for (int64_t k = 0; k < (n1 >= 0 ? n1 : 1); k++)
				rt_buf_puts(b, "[]");
			rt_buf_puts(b, s + at);
		}
		rt_buf_release(&inner);
		return rc;
	}
	case T_ENUM:
		return render_enum(r, b, t);
	}
	return RT_OK;
}

int tr_render_enum_create(tr_run *r, rt_buf *b, tr_val *t)
{
	const char *name, *schema;
	rt_strv values = { 0 };
	bool native;
	int rc = tr_enum_info(r, t, &name, &schema, &values, &native);
	if (rc < 0)
		return rc;
	if (!name)
		return tr_refuse(r, t->off, t->len, "PostgreSQL ENUM type requires a name");
	rt_buf_puts(b, "CREATE TYPE ");
	tr_qualified(b, schema, name);
	rt_buf_puts(b, " AS ENUM (");
	tr_literal_list(b, &values);
	rt_buf_putc(b, ')');
	return RT_OK;
}

/* ---- constraints ---- */

static int phrase(tr_run *r, const tr_val *v, const char *what, const char *const *allowed,
                  const char **out)
{
	int rc = tr_get_opt_str(r, v, what, out);
	if (rc < 0 || !*out)
		return rc;
	for (size_t i = 0; allowed[i]; i++)
		if (strcasecmp(*out, allowed[i]) == 0)
			return RT_OK;
	return tr_refuse(r, v->off, v->len, "unexpected SQL phrase '%s' for %s", *out, what);
}

int tr_constraint_tail(tr_run *r, rt_buf *b, tr_args *a)
{
	static const char *const initially[] = { "DEFERRED", "IMMEDIATE", NULL };
	const tr_val *d = tr_arg(a, SIZE_MAX, "deferrable");
	const char *init;
	int rc = phrase(r, tr_arg(a, SIZE_MAX, "initially"), "initially", initially, &init);
	if (rc < 0)
		return rc;
	if (d && d->kind != V_NONE) {
		bool on = false;
		rc = tr_get_bool(r, d, "deferrable", &on);
		if (rc < 0)
			return rc;
		rt_buf_puts(b, on ? " DEFERRABLE" : " NOT DEFERRABLE");
	}
	if (init)
		rt_buf_printf(b, " INITIALLY %s", init);
	return RT_OK;
}

int tr_render_fk(tr_run *r, rt_buf *b, const char *name, const rt_strv *cols,
                 const char *ref_schema, const char *ref_table, const rt_strv *ref_cols,
                 tr_args *opts, uint32_t off, uint32_t len)
{
	static const char *const actions[] = { "RESTRICT", "CASCADE", "SET NULL", "NO ACTION",
		                                   "SET DEFAULT", NULL };
	const char *ondelete, *onupdate, *match = NULL;
	bool not_valid = false;
	if (cols->n != ref_cols->n || cols->n == 0)
		return tr_refuse(r, off, len, "foreign key with %zu local and %zu referenced columns",
		                 cols->n, ref_cols->n);
	int rc = phrase(r, tr_arg(opts, SIZE_MAX, "ondelete"), "ondelete", actions, &ondelete);
	if (rc == RT_OK)
		rc = phrase(r, tr_arg(opts, SIZE_MAX, "onupdate"), "onupdate", actions, &onupdate);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(opts, SIZE_MAX, "match"), "match", &match);
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(opts, SIZE_MAX, "postgresql_not_valid"),
		                 "postgresql_not_valid", &not_valid);
	if (rc < 0)
		return rc;
	static const char *const ignore[] = { "use_alter", "link_to_name", "info", "comment", NULL };
	tr_args_ignore(opts, ignore);
	tr_constraint_name(b, name);
	rt_buf_puts(b, "FOREIGN KEY(");
	tr_name_list(b, cols);
	rt_buf_puts(b, ") REFERENCES ");
	tr_qualified(b, ref_schema, ref_table);
	rt_buf_puts(b, " (");
	tr_name_list(b, ref_cols);
	rt_buf_putc(b, ')');
	if (match)
		rt_buf_printf(b, " MATCH %s", match);
	if (ondelete)
		rt_buf_printf(b, " ON DELETE %s", ondelete);
	if (onupdate)
		rt_buf_printf(b, " ON UPDATE %s", onupdate);
	rc = tr_constraint_tail(r, b, opts);
	if (rc == RT_OK && not_valid)
		rt_buf_puts(b, " NOT VALID");
	return rc;
}

/* ---- columns ---- */

static bool is_schema_item(const tr_val *v)
{
	static const char *const items[] = { "sa.ForeignKey", "sa.Identity", "sa.Computed",
		                                 "sa.Sequence", "sa.CheckConstraint",
		                                 "sa.DefaultClause", "sa.FetchedValue", NULL };
	for (size_t i = 0; items[i]; i++)
		if (tr_is(v, items[i]))
			return true;
	return false;
}

/* A column's sa.Sequence (positional or default=): no SERIAL for it unless
 * it is optional (SQLAlchemy's get_column_specification). */
static int column_sequence(tr_run *r, tr_col *c, tr_val *seq)
{
	bool optional = false;
	int rc = tr_get_bool(r, tr_arg(&seq->args, SIZE_MAX, "optional"), "optional", &optional);
	c->sequence = !optional;
	return rc;
}

int tr_parse_column(tr_run *r, tr_val *obj, tr_col **out)
{
	tr_args *a = &obj->args;
	tr_col *c = rt_alloc(r->arena, sizeof(*c));
	c->off = obj->off;
	c->len = obj->len;
	c->autoinc = -1;
	size_t i = 0;
	const tr_val *name = tr_arg(a, SIZE_MAX, "name");
	if (!name && a->npos && a->pos[0]->kind == V_STR)
		name = a->pos[i++];
	int rc = tr_get_str(r, name, "the column name", &c->name);
	if (rc < 0)
		return rc;
	c->type = tr_arg(a, SIZE_MAX, "type_");
	if (!c->type && i < a->npos && !is_schema_item(a->pos[i]))
		c->type = a->pos[i++];
	if (!c->type)
		return tr_refuse(r, obj->off, obj->len, "column '%s' has no type", c->name);
	for (; i < a->npos; i++) {
		tr_val *x = a->pos[i];
		if (tr_is(x, "sa.ForeignKey"))
			rt_ptrvec_push(r->arena, &c->fks, x);
		else if (tr_is(x, "sa.CheckConstraint"))
			rt_ptrvec_push(r->arena, &c->checks, x);
		else if (tr_is(x, "sa.Identity"))
			c->identity = x;
		else if (tr_is(x, "sa.Computed"))
			c->computed = x;
		else if (tr_is(x, "sa.DefaultClause"))
			c->server_default = x;
		else if (tr_is(x, "sa.Sequence")) {
			if ((rc = column_sequence(r, c, x)) < 0)
				return rc;
		} else if (tr_is(x, "sa.FetchedValue")) {
			/* a default the server makes: no DEFAULT clause, but a server
			 * default all the same (no SERIAL); for_update=True is onupdate */
			bool for_update = false;
			if ((rc = tr_get_bool(r, tr_arg(&x->args, 0, "for_update"), "for_update",
			                      &for_update)) < 0 ||
			    (rc = tr_args_check(r, &x->args, 1, "sa.FetchedValue", x->off, x->len)) < 0)
				return rc;
			if (!for_update)
				c->server_default = x;
		} else {
			return tr_refuse(r, x->off, x->len, "column argument %s is not supported",
			                 x->kind == V_OBJ ? x->written : "of this kind");
		}
	}
	tr_val *v;
	if ((rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "primary_key"), "primary_key", &c->pk)))
		return rc;
	if ((v = tr_arg(a, SIZE_MAX, "nullable")) && v->kind != V_NONE) {
		c->nullable_set = true;
		if ((rc = tr_get_bool(r, v, "nullable", &c->nullable)))
			return rc;
	} else {
		c->nullable = !c->pk && !c->identity;
	}
	if ((rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "unique"), "unique", &c->unique)) ||
	    (rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "index"), "index", &c->index)))
		return rc;
	if ((v = tr_arg(a, SIZE_MAX, "autoincrement"))) {
		if (v->kind == V_STR && strcmp(v->s, "auto") == 0)
			c->autoinc = -1;
		else if (v->kind == V_STR && strcmp(v->s, "ignore_fk") == 0)
			c->autoinc = 2;
		else if (v->kind == V_BOOL)
			c->autoinc = (int)v->i;
		else
			return tr_refuse(r, v->off, v->len, "autoincrement must be True, False, 'auto' "
			                 "or 'ignore_fk'");
	}
	if ((v = tr_arg(a, SIZE_MAX, "server_default")) && v->kind != V_NONE)
		c->server_default = v;
	if ((v = tr_arg(a, SIZE_MAX, "comment")) && v->kind != V_NONE) {
		const char *s;
		if ((rc = tr_get_str(r, v, "comment", &s)))
			return rc;
		c->comment = v;
	}
	v = tr_arg(a, SIZE_MAX, "key");
	c->key = v && v->kind == V_STR ? v->s : c->name;
	if ((v = tr_arg(a, SIZE_MAX, "default")) && tr_is(v, "sa.Sequence")) {
		if ((rc = column_sequence(r, c, v)) < 0)
			return rc;
	} else if (v && v->kind != V_NONE) {
		c->py_default = true;
	}
	/* Python-side or documentation settings with no DDL */
	static const char *const ignore[] = { "onupdate", "server_onupdate", "doc", "info", "key",
		                                  "quote", "system", "_proxies", NULL };
	tr_args_ignore(a, ignore);
	rc = tr_args_check(r, a, SIZE_MAX, "sa.Column", obj->off, obj->len);
	if (rc < 0)
		return rc;
	*out = c;
	return RT_OK;
}

/* SQLAlchemy's _validate_autoinc: may this column be the autoincrement one? */
static int autoinc_ok(tr_run *r, const tr_col *c, bool *ok)
{
	bool explicit_true = c->autoinc == 1;
	enum tclass k = type_class(c->type);
	*ok = false;
	if (k == C_OTHER) {
		if (explicit_true)
			return tr_refuse(r, c->off, c->len, "column '%s' has autoincrement=True but its "
			                 "type is not an integer type", c->name);
		return RT_OK;
	}
	if (c->py_default && !explicit_true)
		return RT_OK;
	if (c->server_default && !explicit_true)
		return RT_OK;
	if ((c->fks.n || c->in_fk_constraint) && c->autoinc != 1 && c->autoinc != 2)
		return RT_OK;
	*ok = true;
	return RT_OK;
}

int tr_autoinc_column(tr_run *r, tr_col **pk, size_t npk, tr_col **out)
{
	bool ok;
	int rc;
	*out = NULL;
	if (npk == 1) {
		tr_col *c = pk[0];
		if (c->autoinc == 0)
			return RT_OK;
		rc = autoinc_ok(r, c, &ok);
		if (rc == RT_OK && ok)
			*out = c;
		return rc;
	}
	for (size_t i = 0; i < npk; i++) {
		if (pk[i]->autoinc != 1)
			continue;
		rc = autoinc_ok(r, pk[i], &ok);
		if (rc < 0)
			return rc;
		if (*out)
			return tr_refuse(r, pk[i]->off, pk[i]->len, "only one column may be marked "
			                 "autoincrement=True");
		*out = pk[i];
	}
	return RT_OK;
}

int tr_identity_options(tr_run *r, tr_args *a, const char *start, rt_buf *opts)
{
	static const struct { const char *kw, *sql; } nums[] = {
		{ "increment", "INCREMENT BY" }, { "start", "START WITH" },
		{ "minvalue", "MINVALUE" }, { "maxvalue", "MAXVALUE" },
	};
	int rc = RT_OK;
	for (size_t i = 0; i < 6 && rc == RT_OK; i++) {
		const char *kw = i < 4 ? nums[i].kw : i == 4 ? "nominvalue" : "nomaxvalue";
		const tr_val *v = tr_arg(a, SIZE_MAX, kw);
		if ((!v || v->kind == V_NONE) && i == 1 && start) {
			rt_buf_printf(opts, "%sSTART WITH %s", opts->len ? " " : "", start);
			continue;
		}
		if (!v || v->kind == V_NONE)
			continue;
		if (opts->len)
			rt_buf_putc(opts, ' ');
		if (i >= 4)
			rt_buf_puts(opts, i == 4 ? "NO MINVALUE" : "NO MAXVALUE");
		else if (v->kind != V_INT)
			rc = tr_refuse(r, v->off, v->len, "identity option '%s' must be an integer", kw);
		else
			rt_buf_printf(opts, "%s %s", nums[i].sql, v->s);
	}
	const tr_val *cache = tr_arg(a, SIZE_MAX, "cache");
	const tr_val *order = tr_arg(a, SIZE_MAX, "order");
	const tr_val *cycle = tr_arg(a, SIZE_MAX, "cycle");
	if (rc == RT_OK && cache && cache->kind != V_NONE) {
		if (cache->kind != V_INT)
			rc = tr_refuse(r, cache->off, cache->len, "identity option 'cache' must be an "
			               "integer");
		else
			rt_buf_printf(opts, "%sCACHE %s", opts->len ? " " : "", cache->s);
	}
	bool flag = false;
	if (rc == RT_OK && order && order->kind != V_NONE &&
	    (rc = tr_get_bool(r, order, "order", &flag)) == RT_OK)
		rt_buf_printf(opts, "%s%s", opts->len ? " " : "", flag ? "ORDER" : "NO ORDER");
	if (rc == RT_OK && cycle && cycle->kind != V_NONE &&
	    (rc = tr_get_bool(r, cycle, "cycle", &flag)) == RT_OK)
		rt_buf_printf(opts, "%s%s", opts->len ? " " : "", flag ? "CYCLE" : "NO CYCLE");
	return rc;
}

static int render_identity(tr_run *r, rt_buf *b, tr_val *id)
{
	tr_args *a = &id->args;
	bool always = false;
	int rc = tr_get_bool(r, tr_arg(a, 0, "always"), "always", &always);
	if (rc < 0)
		return rc;
	rt_buf_printf(b, "GENERATED %s AS IDENTITY", always ? "ALWAYS" : "BY DEFAULT");
	rt_buf opts = RT_BUF_INIT;
	tr_arg(a, 1, "on_null");
	rc = tr_identity_options(r, a, NULL, &opts);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, 2, "sa.Identity", id->off, id->len);
	if (rc == RT_OK && opts.len)
		rt_buf_printf(b, " (%s)", opts.ptr);
	rt_buf_release(&opts);
	return rc;
}

int tr_render_check(tr_run *r, rt_buf *b, tr_val *ck)
{
	tr_args *a = &ck->args;
	const char *name;
	tr_val *text = tr_arg(a, 0, "sqltext");
	const tr_val *name_v = tr_arg(a, 1, "name");
	if (!text)
		return tr_refuse(r, ck->off, ck->len, "CheckConstraint without an expression");
	/* SQLAlchemy takes a CHECK's columns from its expression: none from a text */
	const char *tmpl = tr_convention_for(r->ctx->conventions, "ck");
	if (text->kind != V_STR && !tr_is(text, "sa.text") && tr_convention_applies(r, "ck", name_v)
	    && strstr(tmpl, "column_"))
		return tr_refuse(r, text->off, text->len, "the naming convention names this CHECK "
		                 "after the columns of its expression, which retort does not derive; "
		                 "give the constraint a name with op.f()");
	tr_name_facts f = { .table = r->naming_table ? r->naming_table : "",
		                .schema = r->naming_schema };
	int rc = tr_object_name(r, "ck", name_v, &f, name_v ? name_v->off : ck->off,
	                        name_v ? name_v->len : ck->len, &name);
	if (rc < 0)
		return rc;
	tr_constraint_name(b, name);
	rt_buf_puts(b, "CHECK (");
	if (text->kind == V_STR) {
		/* a string is coerced to text(): the same bind-parameter rules apply */
		tr_val t = { .kind = V_OBJ, .off = text->off, .len = text->len, .name = "sa.text" };
		tr_val *arg = text;
		t.args.pos = &arg;
		t.args.npos = 1;
		rc = tr_render_text(r, b, NULL, &t);
	} else {
		rc = tr_render_sql(r, b, text, "the CHECK expression");
	}
	if (rc < 0)
		return rc;
	rt_buf_putc(b, ')');
	rc = tr_constraint_tail(r, b, a);
	/* PGDDLCompiler.visit_check_constraint: after DEFERRABLE / INITIALLY */
	bool not_valid = false;
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "postgresql_not_valid"), "postgresql_not_valid",
		                 &not_valid);
	if (rc == RT_OK && not_valid)
		rt_buf_puts(b, " NOT VALID");
	static const char *const ignore[] = { "info", "comment", "_create_rule", "_type_bound",
		                                  "table", NULL };
	tr_args_ignore(a, ignore);
	return rc < 0 ? rc : tr_args_check(r, a, 2, "sa.CheckConstraint", ck->off, ck->len);
}

int tr_column_spec(tr_run *r, rt_buf *b, const tr_col *c, const tr_col *autoinc)
{
	int rc = RT_OK;
	rt_ident_append(b, c->name);
	rt_buf_putc(b, ' ');
	enum tclass k = type_class(c->type);
	if (c == autoinc && !c->identity && !c->py_default && !c->sequence) {
		rt_buf_puts(b, k == C_BIGINT ? "BIGSERIAL" : k == C_SMALLINT ? "SMALLSERIAL" : "SERIAL");
	} else {
		rc = tr_render_type(r, b, c->type);
		if (rc == RT_OK && c->server_default && !tr_is(c->server_default, "sa.FetchedValue")) {
			rt_buf_puts(b, " DEFAULT ");
			rc = tr_render_default(r, b, c->server_default);
		}
	}
	if (rc == RT_OK && c->computed) {
		tr_args *a = &c->computed->args;
		tr_val *text = tr_arg(a, 0, "sqltext");
		bool persisted = true;
		const tr_val *p = tr_arg(a, 1, "persisted");
		if (p && p->kind != V_NONE && (rc = tr_get_bool(r, p, "persisted", &persisted)) < 0)
			return rc;
		if (!persisted)
			return tr_refuse(r, c->computed->off, c->computed->len, "PostgreSQL computed "
			                 "columns do not support 'virtual' persistence");
		if (!text)
			return tr_refuse(r, c->computed->off, c->computed->len, "sa.Computed without an "
			                 "expression");
		rt_buf_puts(b, " GENERATED ALWAYS AS (");
		if (text->kind == V_STR)
			rt_buf_add(b, text->s, strlen(text->s));
		else
			rc = tr_render_sql(r, b, text, "the computed expression");
		rt_buf_puts(b, ") STORED");
		if (rc == RT_OK)
			rc = tr_args_check(r, a, 2, "sa.Computed", c->computed->off, c->computed->len);
	}
	if (rc == RT_OK && c->identity) {
		rt_buf_putc(b, ' ');
		rc = render_identity(r, b, c->identity);
	}
	if (rc < 0)
		return rc;
	if (!c->nullable && !c->identity)
		rt_buf_puts(b, " NOT NULL");
	else if (c->nullable && c->identity)
		rt_buf_puts(b, " NULL");
	for (size_t i = 0; i < c->checks.n && rc == RT_OK; i++) {
		rt_buf_putc(b, ' ');
		rc = tr_render_check(r, b, c->checks.items[i]);
	}
	return rc;
}
