/*
 * Operations that widely used Alembic extensions register on `op`, rendered
 * as the statements the extension sends (docs/translation.md lists the
 * supported forms and the versions read):
 *   op.sync_enum_values(...)           alembic-postgresql-enum, or
 *                                      alembic-autogenerate-enums (its form)
 *   op.create_entity / replace_entity / drop_entity(PGFunction(...), ...)
 *                                      alembic_utils
 * Their SQL is the extensions' own text with whitespace normalised: values
 * and names are interpolated as the extensions do, without escaping.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "translate/tr.h"

/* Whether `written` names lib's `name`, directly or through submodules. */
static bool ext_name(const char *written, const char *lib, const char *name)
{
	size_t nl = strlen(lib), nn = strlen(name), n = written ? strlen(written) : 0;
	return n > nl + nn && memcmp(written, lib, nl) == 0 && written[nl] == '.' &&
	       written[n - nn - 1] == '.' && strcmp(written + n - nn, name) == 0;
}

/* ---- alembic_utils entities ---- */

typedef enum ent_kind {
	ENT_FUNCTION, ENT_VIEW, ENT_MATVIEW, ENT_TRIGGER, ENT_POLICY, ENT_EXTENSION,
} ent_kind;

static const struct ent_class {
	const char *name;
	ent_kind kind;
	size_t npos;         /* positional parameters */
} ent_classes[] = {
	{ "PGFunction", ENT_FUNCTION, 3 }, { "PGView", ENT_VIEW, 3 },
	{ "PGMaterializedView", ENT_MATVIEW, 4 }, { "PGTrigger", ENT_TRIGGER, 5 },
	{ "PGPolicy", ENT_POLICY, 4 }, { "PGExtension", ENT_EXTENSION, 2 },
};

static const struct ent_class *find_entity_class(const char *written)
{
	for (size_t i = 0; i < sizeof(ent_classes) / sizeof(ent_classes[0]); i++)
		if (ext_name(written, "alembic_utils", ent_classes[i].name))
			return &ent_classes[i];
	return NULL;
}

bool tr_is_ext_object(const char *written)
{
	return ext_name(written, "alembic_postgresql_enum", "TableReference") ||
	       find_entity_class(written) != NULL;
}

/* ---- alembic-postgresql-enum: op.sync_enum_values ---- */

/* An affected column: a TableReference, or the old-style tuple whose default
 * the extension reads from the catalog. */
typedef struct enum_col {
	const char *schema, *table, *column;
	bool array;
	bool default_known;   /* TableReference: existing_server_default as given */
	const char *dflt;     /* NULL: no default */
} enum_col;

typedef struct rename {
	const char *from, *to;
} rename;

/* "schema"."table" (no schema: "table"), as TableReference.table_name_with_schema */
static void pe_table(rt_buf *b, const enum_col *c)
{
	if (c->schema && *c->schema)
		rt_buf_printf(b, "\"%s\".", c->schema);
	rt_buf_printf(b, "\"%s\"", c->table);
}

static int pe_column_type(tr_run *r, tr_val *v, bool *array)
{
	*array = false;
	if (!v || v->kind == V_NONE)
		return RT_OK;
	if (v->kind == V_REF && strncmp(v->written, "alembic_postgresql_enum.", 24) == 0) {
		size_t n = strlen(v->written);
		if (n > 17 && strcmp(v->written + n - 17, ".ColumnType.ARRAY") == 0) {
			*array = true;
			return RT_OK;
		}
		if (n > 18 && strcmp(v->written + n - 18, ".ColumnType.COMMON") == 0)
			return RT_OK;
	}
	return tr_refuse(r, v->off, v->len, "column_type must be ColumnType.COMMON or "
	                 "ColumnType.ARRAY");
}

static int pe_affected(tr_run *r, tr_val *v, const char *enum_schema, enum_col *c)
{
	*c = (enum_col){ .schema = enum_schema };
	int rc;
	if (v->kind == V_TUPLE || v->kind == V_LIST) { /* (table, column[, ColumnType]) */
		if (v->n < 2 || v->n > 3)
			return tr_refuse(r, v->off, v->len, "an affected column must be (table, column) "
			                 "or (table, column, ColumnType)");
		rc = tr_get_str(r, v->items[0], "the table name", &c->table);
		if (rc == RT_OK)
			rc = tr_get_str(r, v->items[1], "the column name", &c->column);
		if (rc == RT_OK && v->n == 3)
			rc = pe_column_type(r, v->items[2], &c->array);
		return rc;
	}
	if (v->kind != V_OBJ || !tr_is_ext_object(v->written))
		return tr_refuse(r, v->off, v->len, "affected columns must contain tuples or "
		                 "TableReferences");
	tr_args *a = &v->args;
	tr_val *schema = tr_arg(a, 2, "table_schema");
	c->default_known = true;
	rc = tr_get_str(r, tr_arg(a, 0, "table_name"), "table_name", &c->table);
	if (rc == RT_OK)
		rc = tr_get_str(r, tr_arg(a, 1, "column_name"), "column_name", &c->column);
	if (rc == RT_OK && schema) /* given (None: no schema); else the enum's */
		rc = tr_get_opt_str(r, schema, "table_schema", &c->schema);
	if (rc == RT_OK)
		rc = pe_column_type(r, tr_arg(a, 3, "column_type"), &c->array);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, 4, "existing_server_default"),
		                    "existing_server_default", &c->dflt);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, 5, "TableReference", v->off, v->len);
	return rc;
}

static int pe_renames(tr_run *r, tr_val *v, rename **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!v || v->kind == V_NONE)
		return RT_OK;
	if (v->kind != V_LIST && v->kind != V_TUPLE)
		return tr_refuse(r, v->off, v->len, "enum_values_to_rename must be a list of "
		                 "(old, new) pairs");
	*out = rt_alloc_array(r->arena, v->n ? v->n : 1, sizeof(**out));
	for (size_t i = 0; i < v->n; i++) {
		tr_val *p = v->items[i];
		if ((p->kind != V_TUPLE && p->kind != V_LIST) || p->n != 2)
			return tr_refuse(r, p->off, p->len, "enum_values_to_rename must be a list of "
			                 "(old, new) pairs");
		if (tr_get_str(r, p->items[0], "an old enum value", &(*out)[i].from) < 0 ||
		    tr_get_str(r, p->items[1], "a new enum value", &(*out)[i].to) < 0)
			return RT_EUNSUPPORTED;
	}
	*n = v->n;
	return RT_OK;
}

/* Python's str.replace of every occurrence. */
static void replace_all(rt_buf *out, const char *s, const char *from, const char *to)
{
	size_t nf = strlen(from);
	for (const char *p; nf && (p = strstr(s, from)); s = p + nf) {
		rt_buf_add(out, s, (size_t)(p - s));
		rt_buf_puts(out, to);
	}
	rt_buf_puts(out, s);
}

/* _replace_strings_in_quotes: 'old' -> 'new' and "old" -> "new", pair by pair. */
static const char *pe_replace_quoted(tr_run *r, const char *s, const rename *rn, size_t nrn)
{
	for (size_t i = 0; i < nrn; i++)
		for (int q = 0; q < 2; q++) {
			const char *quote = q ? "\"" : "'";
			rt_buf b = RT_BUF_INIT;
			replace_all(&b, s, rt_concat(r->arena, quote, rn[i].from, quote, NULL),
			            rt_concat(r->arena, quote, rn[i].to, quote, NULL));
			s = rt_strdup(r->arena, rt_buf_cstr(&b));
			rt_buf_release(&b);
		}
	return s;
}

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || (unsigned char)c >= 0x80;
}

/* rename_default_if_required: the default with the new type's name. */
static const char *pe_default(tr_run *r, const char *d, const char *enum_schema,
                              const char *enum_name, const rename *rn, size_t nrn)
{
	const char *type = enum_schema && *enum_schema
	                       ? rt_concat(r->arena, enum_schema, ".", enum_name, NULL)
	                       : enum_name;
	size_t n = strlen(d);
	rt_buf b = RT_BUF_INIT;
	if (strncmp(d, "ARRAY[", 6) == 0) { /* re.sub(r"::[.\w]+", "::type", ...) */
		const char *s = pe_replace_quoted(r, d, rn, nrn);
		while (*s) {
			if (s[0] == ':' && s[1] == ':' && word_char(s[2])) {
				rt_buf_printf(&b, "::%s", type);
				for (s += 2; *s && word_char(*s); s++)
					;
			} else {
				rt_buf_putc(&b, *s++);
			}
		}
	} else {
		/* default_value[: default_value.find("::")]: without "::", find() is -1
		 * and the slice drops the last character */
		const char *cast = strstr(d, "::");
		size_t keep = cast ? (size_t)(cast - d) : (n ? n - 1 : 0);
		rt_buf_puts(&b, pe_replace_quoted(r, rt_strndup(r->arena, d, keep), rn, nrn));
		rt_buf_printf(&b, "::%s%s", type, n >= 2 && strcmp(d + n - 2, "[]") == 0 ? "[]" : "");
	}
	const char *out = rt_strdup(r->arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return out;
}

/* cast_old_enum_type_to_new */
static void pe_cast(rt_buf *b, const enum_col *c, const char *type, const rename *rn,
                    size_t nrn)
{
	rt_buf_puts(b, "ALTER TABLE ");
	pe_table(b, c);
	rt_buf_printf(b, " ALTER COLUMN \"%s\" TYPE %s", c->column, type);
	if (c->array) {
		rt_buf cl = RT_BUF_INIT;
		rt_buf_printf(&cl, "\"%s\"::text[]", c->column);
		for (size_t i = 0; i < nrn; i++) {
			const char *inner = rt_buf_cstr(&cl);
			rt_buf nx = RT_BUF_INIT;
			rt_buf_printf(&nx, "array_replace(%s, '%s', '%s')", inner, rn[i].from, rn[i].to);
			rt_buf_release(&cl);
			cl = nx;
		}
		rt_buf_printf(b, "[] USING %s::%s[]", rt_buf_cstr(&cl), type);
		rt_buf_release(&cl);
		return;
	}
	if (!nrn) {
		rt_buf_printf(b, " USING \"%s\"::text::%s", c->column, type);
		return;
	}
	rt_buf_puts(b, " USING CASE");
	for (size_t i = 0; i < nrn; i++)
		rt_buf_printf(b, " WHEN \"%s\"::text = '%s' THEN '%s'::%s", c->column, rn[i].from,
		              rn[i].to, type);
	rt_buf_printf(b, " ELSE \"%s\"::text::%s END", c->column, type);
}

/* The comparison function of create_comparison_operators (and its drop). */
static void pe_function(rt_buf *b, const char *fn, const char *type, const char *old_type)
{
	rt_buf_printf(b, "%s(new_enum_val %s, old_enum_val %s)", fn, type, old_type);
}

/* _replace_strings_in_quotes in SQL: replace() of 'old', then "old", pair by pair. */
static void replace_chain(rt_buf *b, const rename *rn, size_t n, const char *inner)
{
	if (!n) {
		rt_buf_puts(b, inner);
		return;
	}
	rt_buf_puts(b, "replace(replace(");
	replace_chain(b, rn, n - 1, inner);
	rt_buf_printf(b, ", '''%s''', '''%s'''), '\"%s\"', '\"%s\"')", rn[n - 1].from,
	              rn[n - 1].to, rn[n - 1].from, rn[n - 1].to);
}

/*
 * An old-style tuple: the extension reads the column's default from
 * information_schema first, drops it, casts, and sets it again renamed. One
 * DO block does the same on the server (the default is only known there).
 */
static void pe_cast_with_catalog_default(tr_run *r, rt_buf *b, const enum_col *c,
                                         const char *type, const char *enum_schema,
                                         const char *enum_name, const rename *rn, size_t nrn)
{
	rt_buf_printf(b, "DO $retort$ DECLARE d text; BEGIN SELECT column_default INTO d FROM "
	              "information_schema.columns WHERE table_schema = '%s' AND table_name = '%s' "
	              "AND column_name = '%s'; IF d IS NOT NULL THEN ALTER TABLE ",
	              c->schema ? c->schema : "", c->table, c->column);
	pe_table(b, c);
	rt_buf_printf(b, " ALTER COLUMN \"%s\" DROP DEFAULT; END IF; ", c->column);
	pe_cast(b, c, type, rn, nrn);
	/* rename_default_if_required over d, in SQL */
	const char *new_type = enum_schema && *enum_schema
	                           ? rt_concat(r->arena, enum_schema, ".", enum_name, NULL)
	                           : enum_name;
	const char *head = "left(d, strpos(d, '::') - 1)";
	rt_buf_puts(b, "; IF d IS NOT NULL THEN IF d LIKE 'ARRAY[%' THEN d := regexp_replace(");
	replace_chain(b, rn, nrn, "d");
	rt_buf_printf(b, ", '::[.\\w]+', '::%s', 'g'); ELSIF d LIKE '%%[]' THEN d := ", new_type);
	replace_chain(b, rn, nrn, head);
	rt_buf_printf(b, " || '::%s[]'; ELSE d := ", new_type);
	replace_chain(b, rn, nrn, head);
	rt_buf_printf(b, " || '::%s'; END IF; EXECUTE 'ALTER TABLE ", new_type);
	pe_table(b, c);
	rt_buf_printf(b, " ALTER COLUMN \"%s\" SET DEFAULT ' || d; END IF; END $retort$",
	              c->column);
}

/* ---- alembic-autogenerate-enums: op.sync_enum_values ---- */

/*
 * dw/alembic-autogenerate-enums 0.1.2 registers the same op name with
 * (schema, name, old_values, new_values[, affected_columns, should_reverse]):
 * its fourth argument is a list of strings, never alembic-postgresql-enum's
 * affected columns. With should_reverse and affected columns it recreates the
 * type with sorted(set(new_values)); otherwise it sends COMMIT and then
 * `ALTER TYPE schema.name ADD VALUE 'v'` for each value of new_values not in
 * old_values, which here run alone (autocommit), as after that COMMIT. The
 * extension iterates a Python set there, whose order varies from run to run;
 * retort takes new_values' order, one of those Python may take.
 */
static bool ae_form(const tr_args *a)
{
	for (size_t i = 0; i < a->nkw; i++)
		if (strcmp(a->kwn[i], "old_values") == 0)
			return true;
	if (a->npos < 4 || (a->pos[3]->kind != V_LIST && a->pos[3]->kind != V_TUPLE) ||
	    !a->pos[3]->n)
		return false;
	for (size_t i = 0; i < a->pos[3]->n; i++)
		if (a->pos[3]->items[i]->kind != V_STR)
			return false;
	return true;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int ae_sync_enum_values(tr_run *r, tr_args *a, uint32_t off)
{
	const char *schema, *name;
	rt_strv old = { 0 }, new = { 0 };
	bool reverse = false;
	tr_val *cols = tr_arg(a, 4, "affected_columns");
	int rc = tr_get_str(r, tr_arg(a, 0, "schema"), "schema", &schema);
	if (rc == RT_OK)
		rc = tr_get_str(r, tr_arg(a, 1, "name"), "name", &name);
	if (rc == RT_OK)
		rc = tr_get_names(r, tr_arg(a, 2, "old_values"), "old_values", &old);
	if (rc == RT_OK)
		rc = tr_get_names(r, tr_arg(a, 3, "new_values"), "new_values", &new);
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(a, 5, "should_reverse"), "should_reverse", &reverse);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, 6, "op.sync_enum_values", off, r->cur_len);
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	if (!reverse || !cols || cols->kind == V_NONE) {
		bool saved = r->autocommit;
		r->autocommit = true;
		for (size_t i = 0; i < new.n; i++) {
			if (rt_strv_index(&old, new.v[i]) >= 0 || rt_strv_index(&new, new.v[i]) < (long)i)
				continue; /* an old value, or one given twice */
			rt_buf_printf(&b, "ALTER TYPE %s.%s ADD VALUE '%s'", schema, name, new.v[i]);
			tr_emit(r, &b, off);
		}
		r->autocommit = saved;
		rt_buf_release(&b);
		return RT_OK;
	}
	if (cols->kind != V_LIST && cols->kind != V_TUPLE)
		return tr_refuse(r, cols->off, cols->len, "affected_columns must be a list");
	const char **sorted = rt_alloc_array(r->arena, new.n + 1, sizeof(*sorted));
	size_t ns = 0;
	for (size_t i = 0; i < new.n; i++)
		if (rt_strv_index(&new, new.v[i]) == (long)i) /* set(): each value once */
			sorted[ns++] = new.v[i];
	qsort(sorted, ns, sizeof(*sorted), cmp_str); /* Python's sorted() of str: code points */
	for (size_t i = 0; i < cols->n; i++) {
		const tr_val *c = cols->items[i];
		if ((c->kind != V_TUPLE && c->kind != V_LIST) || c->n != 2 ||
		    c->items[0]->kind != V_STR || c->items[1]->kind != V_STR)
			return tr_refuse(r, c->off, c->len, "an affected column that is not a "
			                 "(table, column) pair of strings");
	}
	rt_buf_printf(&b, "ALTER TYPE %s.%s RENAME TO %s_old", schema, name, name);
	tr_emit(r, &b, off);
	rt_buf_printf(&b, "CREATE TYPE %s.%s AS ENUM(", schema, name);
	for (size_t i = 0; i < ns; i++)
		rt_buf_printf(&b, "%s'%s'", i ? ", " : "", sorted[i]);
	rt_buf_putc(&b, ')');
	tr_emit(r, &b, off);
	for (size_t i = 0; i < cols->n; i++) {
		const char *t = cols->items[i]->items[0]->s, *c = cols->items[i]->items[1]->s;
		rt_buf_printf(&b, "ALTER TABLE %s ALTER COLUMN %s TYPE %s.%s USING %s::text::%s.%s", t,
		              c, schema, name, c, schema, name);
		tr_emit(r, &b, cols->items[i]->off);
	}
	rt_buf_printf(&b, "DROP TYPE %s.%s_old", schema, name);
	tr_emit(r, &b, off);
	rt_buf_release(&b);
	return RT_OK;
}

int tr_op_sync_enum_values(tr_run *r, tr_args *a, uint32_t off)
{
	if (ae_form(a))
		return ae_sync_enum_values(r, a, off);
	const char *schema, *name;
	rt_strv values = { 0 };
	tr_val *cols = tr_arg(a, 3, "affected_columns");
	rename *rn = NULL;
	size_t nrn = 0;
	int rc = tr_get_str(r, tr_arg(a, 0, "enum_schema"), "enum_schema", &schema);
	if (rc == RT_OK)
		rc = tr_get_str(r, tr_arg(a, 1, "enum_name"), "enum_name", &name);
	if (rc == RT_OK)
		rc = tr_get_names(r, tr_arg(a, 2, "new_values"), "new_values", &values);
	if (rc == RT_OK && (!cols || (cols->kind != V_LIST && cols->kind != V_TUPLE)))
		rc = tr_refuse(r, cols ? cols->off : off, cols ? cols->len : r->cur_len,
		               "affected_columns must be a list");
	if (rc == RT_OK)
		rc = pe_renames(r, tr_arg(a, 4, "enum_values_to_rename"), &rn, &nrn);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, 5, "op.sync_enum_values", off, r->cur_len);
	enum_col *ec = rc == RT_OK ? rt_alloc_array(r->arena, cols->n ? cols->n : 1, sizeof(*ec))
	                           : NULL;
	for (size_t i = 0; rc == RT_OK && i < cols->n; i++)
		rc = pe_affected(r, cols->items[i], schema, &ec[i]);
	if (rc < 0)
		return rc;

	const char *type = rt_sprintf(r->arena, "\"%s\".\"%s\"", schema, name);
	const char *old_name = rt_concat(r->arena, name, "_old", NULL);
	const char *old_type = rt_sprintf(r->arena, "\"%s\".\"%s\"", schema, old_name);
	static const char *const ops[][2] = { { "!=", "new_old_not_equals" },
		                                  { "=", "new_old_equals" } };
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "ALTER TYPE %s RENAME TO %s", type, old_name);
	tr_emit(r, &b, off);
	rt_buf_printf(&b, "CREATE TYPE %s AS ENUM(", type);
	for (size_t i = 0; i < values.n; i++)
		rt_buf_printf(&b, "%s'%s'", i ? ", " : "", values.v[i]);
	rt_buf_putc(&b, ')');
	tr_emit(r, &b, off);
	for (size_t k = 0; k < 2; k++) {
		rt_buf_puts(&b, "CREATE FUNCTION ");
		pe_function(&b, ops[k][1], type, old_type);
		rt_buf_printf(&b, " RETURNS boolean AS $$ SELECT new_enum_val::text %s ", ops[k][0]);
		if (nrn) {
			rt_buf_puts(&b, "CASE");
			for (size_t i = 0; i < nrn; i++)
				rt_buf_printf(&b, " WHEN old_enum_val::text = '%s' THEN '%s'", rn[i].from,
				              rn[i].to);
			rt_buf_puts(&b, " ELSE old_enum_val::text END");
		} else {
			rt_buf_puts(&b, "old_enum_val::text");
		}
		rt_buf_puts(&b, "; $$ LANGUAGE SQL IMMUTABLE");
		tr_emit(r, &b, off);
		rt_buf_printf(&b, "CREATE OPERATOR %s (leftarg = %s, rightarg = %s, procedure = %s)",
		              ops[k][0], type, old_type, ops[k][1]);
		tr_emit(r, &b, off);
	}
	for (size_t i = 0; i < cols->n; i++) {
		const enum_col *c = &ec[i];
		uint32_t at = cols->items[i]->off;
		if (!c->default_known) {
			pe_cast_with_catalog_default(r, &b, c, type, schema, name, rn, nrn);
			tr_emit(r, &b, at);
			continue;
		}
		if (c->dflt) {
			rt_buf_puts(&b, "ALTER TABLE ");
			pe_table(&b, c);
			rt_buf_printf(&b, " ALTER COLUMN \"%s\" DROP DEFAULT", c->column);
			tr_emit(r, &b, at);
		}
		pe_cast(&b, c, type, rn, nrn);
		tr_emit(r, &b, at);
		if (c->dflt) {
			rt_buf_puts(&b, "ALTER TABLE ");
			pe_table(&b, c);
			rt_buf_printf(&b, " ALTER COLUMN \"%s\" SET DEFAULT %s", c->column,
			              pe_default(r, c->dflt, schema, name, rn, nrn));
			tr_emit(r, &b, at);
		}
	}
	for (size_t k = 0; k < 2; k++) {
		rt_buf_puts(&b, "DROP FUNCTION ");
		pe_function(&b, ops[k][1], type, old_type);
		rt_buf_puts(&b, " CASCADE");
		tr_emit(r, &b, off);
	}
	rt_buf_printf(&b, "DROP TYPE %s", old_type);
	tr_emit(r, &b, off);
	rt_buf_release(&b);
	return RT_OK;
}

/* ---- alembic_utils: op.create_entity / replace_entity / drop_entity ---- */

typedef struct entity {
	ent_kind kind;
	const char *schema, *signature, *definition, *on_entity;
	bool is_constraint, with_data;
} entity;

static bool py_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Python's " ".join(s.split()) */
static const char *normalize_ws(tr_run *r, const char *s)
{
	rt_buf b = RT_BUF_INIT;
	while (*s) {
		while (py_space(*s))
			s++;
		if (!*s)
			break;
		if (b.len)
			rt_buf_putc(&b, ' ');
		while (*s && !py_space(*s))
			rt_buf_putc(&b, *s++);
	}
	const char *out = rt_strdup(r->arena, b.ptr ? b.ptr : "");
	rt_buf_release(&b);
	return out;
}

/* coerce_to_unquoted(normalize_whitespace(s)): every '"' removed */
static const char *unquoted(tr_run *r, const char *s)
{
	rt_buf b = RT_BUF_INIT;
	for (s = normalize_ws(r, s); *s; s++)
		if (*s != '"')
			rt_buf_putc(&b, *s);
	const char *out = rt_strdup(r->arena, b.ptr ? b.ptr : "");
	rt_buf_release(&b);
	return out;
}

/* s[from, to) with Python's strip() */
static const char *strip_range(tr_run *r, const char *from, const char *to)
{
	while (from < to && py_space(*from))
		from++;
	while (to > from && py_space(to[-1]))
		to--;
	return rt_strndup(r->arena, from, (size_t)(to - from));
}

/* strip_terminating_semicolon: strip(), rstrip(";"), strip() */
static const char *strip_semicolon(tr_run *r, const char *s)
{
	s = strip_range(r, s, s + strlen(s));
	const char *e = s + strlen(s);
	while (e > s && e[-1] == ';')
		e--;
	return strip_range(r, s, e);
}

/* strip_double_quotes then '"x"': coerce_to_quoted of one part */
static void quoted_part(tr_run *r, rt_buf *b, const char *from, const char *to)
{
	const char *s = strip_range(r, from, to);
	const char *e = s + strlen(s);
	while (e > s && e[-1] == '"')
		e--;
	s = strip_range(r, s, e);
	while (*s == '"')
		s++;
	rt_buf_printf(b, "\"%s\"", strip_range(r, s, s + strlen(s)));
}

/* literal_schema: coerce_to_quoted(schema), '"a"' or '"a"."b"' */
static void literal_schema(tr_run *r, rt_buf *b, const char *schema)
{
	const char *dot = strchr(schema, '.');
	if (!dot) {
		quoted_part(r, b, schema, schema + strlen(schema));
		return;
	}
	quoted_part(r, b, schema, dot);
	rt_buf_putc(b, '.');
	quoted_part(r, b, dot + 1, dot + 1 + strlen(dot + 1));
}

static int parse_entity(tr_run *r, tr_val *v, entity *e)
{
	const struct ent_class *cls =
		v && v->kind == V_OBJ ? find_entity_class(v->written) : NULL;
	if (!cls)
		return tr_refuse(r, v ? v->off : r->cur_off, v ? v->len : r->cur_len,
		                 "the entity must be an alembic_utils PGFunction, PGView, "
		                 "PGMaterializedView, PGTrigger, PGPolicy or PGExtension built here");
	tr_args *a = &v->args;
	*e = (entity){ .kind = cls->kind, .with_data = true };
	const char *schema, *signature, *definition = NULL, *on_entity = NULL;
	int rc = tr_get_str(r, tr_arg(a, 0, "schema"), "schema", &schema);
	if (rc == RT_OK)
		rc = tr_get_str(r, tr_arg(a, 1, "signature"), "signature", &signature);
	if (rc == RT_OK && cls->kind != ENT_EXTENSION)
		rc = tr_get_str(r, tr_arg(a, 2, "definition"), "definition", &definition);
	if (rc == RT_OK && (cls->kind == ENT_TRIGGER || cls->kind == ENT_POLICY))
		rc = tr_get_str(r, tr_arg(a, 3, "on_entity"), "on_entity", &on_entity);
	if (rc == RT_OK && cls->kind == ENT_TRIGGER)
		rc = tr_get_bool(r, tr_arg(a, 4, "is_constraint"), "is_constraint", &e->is_constraint);
	if (rc == RT_OK && cls->kind == ENT_MATVIEW)
		rc = tr_get_bool(r, tr_arg(a, 3, "with_data"), "with_data", &e->with_data);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, cls->npos, cls->name, v->off, v->len);
	if (rc < 0)
		return rc;
	e->schema = unquoted(r, schema);
	e->signature = unquoted(r, signature);
	/* the colons alembic_utils escapes for sa.text() come back unescaped: the
	 * definition is sent as written */
	e->definition = definition ? strip_semicolon(r, definition) : NULL;
	if (on_entity) /* OnEntityMixin: qualified with public when it has no schema */
		e->on_entity = unquoted(r, strchr(on_entity, '.') ? on_entity
		                                              : rt_concat(r->arena, "public.", on_entity,
		                                                          NULL));
	return RT_OK;
}

/* PGFunction.literal_signature: the name before "(" quoted */
static int function_signature(tr_run *r, rt_buf *b, const entity *e, uint32_t off)
{
	const char *paren = strchr(e->signature, '(');
	if (!paren)
		return tr_refuse(r, off, r->cur_len, "the function signature '%s' has no '('",
		                 e->signature);
	rt_buf_printf(b, "\"%s\"(%s", strip_range(r, e->signature, paren), paren + 1);
	return RT_OK;
}

/* PGFunction.to_sql_statement_drop's parameter list: the signature's text
 * between its first "(" and its last ")", split at commas, each cut before
 * its first "default" (any case) and stripped. */
static int function_drop_params(tr_run *r, rt_buf *b, const entity *e, uint32_t off)
{
	const char *sig = e->signature, *open = strchr(sig, '(');
	size_t n = strlen(sig);
	if (!open || open == sig || sig[n - 1] != ')')
		return tr_refuse(r, off, r->cur_len, "alembic_utils cannot parse the function "
		                 "signature '%s'", sig);
	rt_buf_printf(b, "\"%s\"(", strip_range(r, sig, open));
	const char *p = open + 1, *end = sig + n - 1;
	for (bool first = true; p <= end; first = false) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		const char *cut = stop;
		for (const char *q = p; q + 7 <= stop; q++)
			if (strncasecmp(q, "default", 7) == 0) {
				cut = q;
				break;
			}
		rt_buf_printf(b, "%s%s", first ? "" : ", ", strip_range(r, p, cut));
		p = stop + 1;
	}
	rt_buf_putc(b, ')');
	return RT_OK;
}

/* PGTrigger.to_sql_statement_create: its definition parsed as
 * "{event}\s+ON\s+{on_entity}\s+{action}" (any case), the table re-qualified
 * with the trigger's schema */
static int trigger_create(tr_run *r, rt_buf *b, const entity *e, uint32_t off)
{
	const char *d = e->definition, *on = NULL, *ent = NULL, *ent_end = NULL;
	for (const char *p = d + 1; *p && !on; p++) {
		if (!py_space(*p))
			continue;
		const char *q = p;
		while (py_space(*q))
			q++;
		if (strncasecmp(q, "ON", 2) == 0 && py_space(q[2])) {
			const char *s = q + 2;
			while (py_space(*s))
				s++;
			const char *t = s;
			while (*t && !py_space(*t))
				t++;
			const char *act = t;
			while (py_space(*act))
				act++;
			if (t > s && *t && (*act || act > t + 1)) {
				on = p;
				ent = s;
				ent_end = t;
			}
		}
	}
	if (!on)
		return tr_refuse(r, off, r->cur_len, "alembic_utils cannot parse the trigger "
		                 "definition (EVENT ON TABLE ACTION)");
	const char *table = rt_strndup(r->arena, ent, (size_t)(ent_end - ent));
	const char *dot = strchr(table, '.');
	const char *act = ent_end + 1; /* \s+ is greedy: the action starts after the blanks */
	while (py_space(*act) && act[1])
		act++;
	rt_buf_printf(b, "CREATE%sTRIGGER \"%s\" %.*s ON %s.%s %s",
	              e->is_constraint ? " CONSTRAINT " : " ", e->signature, (int)(on - d), d,
	              e->schema, dot ? dot + 1 : table, act);
	return RT_OK;
}

/* what: 0 create, 1 drop, 2 create or replace */
static int entity_op(tr_run *r, tr_args *a, uint32_t off, int what)
{
	static const char *const names[] = { "op.create_entity", "op.drop_entity",
		                                 "op.replace_entity" };
	entity e;
	bool cascade = false;
	int rc = parse_entity(r, tr_arg(a, 0, "target"), &e);
	if (rc == RT_OK && what == 1)
		rc = tr_get_bool(r, tr_arg(a, 1, "cascade"), "cascade", &cascade);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, what == 1 ? 2 : 1, names[what], off, r->cur_len);
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	rt_buf name = RT_BUF_INIT; /* "schema"."signature" */
	literal_schema(r, &name, e.schema);
	rt_buf_printf(&name, ".\"%s\"", e.signature);
	const char *qname = rt_strdup(r->arena, rt_buf_cstr(&name));
	rt_buf_release(&name);
	const char *drop_tail = cascade ? " cascade" : "";
	switch (e.kind) {
	case ENT_FUNCTION:
		if (what == 1) {
			rt_buf_puts(&b, "DROP FUNCTION ");
			literal_schema(r, &b, e.schema);
			rt_buf_putc(&b, '.');
			rc = function_drop_params(r, &b, &e, off);
			rt_buf_puts(&b, drop_tail);
		} else {
			rt_buf_puts(&b, what == 0 ? "CREATE FUNCTION " : "CREATE OR REPLACE FUNCTION ");
			literal_schema(r, &b, e.schema);
			rt_buf_putc(&b, '.');
			rc = function_signature(r, &b, &e, off);
			rt_buf_printf(&b, " %s", e.definition);
		}
		break;
	case ENT_VIEW:
		if (what == 0)
			rt_buf_printf(&b, "CREATE VIEW %s AS %s", qname, e.definition);
		else if (what == 1)
			rt_buf_printf(&b, "DROP VIEW %s%s", qname, drop_tail);
		else /* CREATE OR REPLACE fails when columns change: drop and create then */
			rt_buf_printf(&b, "do $$ begin CREATE OR REPLACE VIEW %s AS %s; exception when "
			              "others then DROP VIEW IF EXISTS %s; CREATE VIEW %s AS %s; end; $$ "
			              "language 'plpgsql'", qname, e.definition, qname, qname,
			              e.definition);
		break;
	case ENT_MATVIEW: {
		const char *def = e.definition;
		const char *data = e.with_data ? "WITH DATA" : "WITH NO DATA";
		if (what == 2) {
			rt_buf_printf(&b, "DROP MATERIALIZED VIEW IF EXISTS %s", qname);
			tr_emit(r, &b, off);
		}
		if (what == 1)
			rt_buf_printf(&b, "DROP MATERIALIZED VIEW %s%s", qname, drop_tail);
		else
			rt_buf_printf(&b, "CREATE MATERIALIZED VIEW %s AS %s %s", qname, def, data);
		break;
	}
	case ENT_TRIGGER:
		if (what == 2) {
			rt_buf_printf(&b, "DROP TRIGGER IF EXISTS \"%s\" ON %s", e.signature, e.on_entity);
			tr_emit(r, &b, off);
		}
		if (what == 1)
			rt_buf_printf(&b, "DROP TRIGGER \"%s\" ON %s%s", e.signature, e.on_entity,
			              drop_tail);
		else
			rc = trigger_create(r, &b, &e, off);
		break;
	case ENT_POLICY:
		if (what == 2) {
			rt_buf_printf(&b, "DROP POLICY IF EXISTS %s on %s", e.signature, e.on_entity);
			tr_emit(r, &b, off);
		}
		if (what == 1)
			rt_buf_printf(&b, "DROP POLICY %s on %s%s", e.signature, e.on_entity, drop_tail);
		else
			rt_buf_printf(&b, "CREATE POLICY %s on %s %s", e.signature, e.on_entity,
			              e.definition);
		break;
	case ENT_EXTENSION:
		if (what == 0) {
			rt_buf_printf(&b, "CREATE EXTENSION \"%s\" WITH SCHEMA ", e.signature);
			literal_schema(r, &b, e.schema);
		} else if (what == 1) {
			rt_buf_printf(&b, "DROP EXTENSION \"%s\"%s", e.signature,
			              cascade ? " CASCADE" : "");
		} else {
			rc = tr_refuse(r, off, r->cur_len, "alembic_utils cannot replace an extension "
			               "(NotImplementedError)");
		}
		break;
	}
	if (rc == RT_OK)
		tr_emit(r, &b, off);
	rt_buf_release(&b);
	return rc;
}

int tr_op_create_entity(tr_run *r, tr_args *a, uint32_t off)
{
	return entity_op(r, a, off, 0);
}

int tr_op_drop_entity(tr_run *r, tr_args *a, uint32_t off)
{
	return entity_op(r, a, off, 1);
}

int tr_op_replace_entity(tr_run *r, tr_args *a, uint32_t off)
{
	return entity_op(r, a, off, 2);
}
