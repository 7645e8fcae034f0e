/*
 * The op.* operations (and batch_op.*, conn.execute, Enum.create/.drop)
 * turned into statements with the exact text Alembic 1.8 + SQLAlchemy 1.4
 * produce on PostgreSQL (reference/alembic.md §5), in Alembic's order.
 */
#include <string.h>

#include "retort/ident.h"
#include "tr.h"

/* One op.* (or batch_op.*) call being translated. */
typedef struct op_call {
	tr_table *batch;            /* the batch_alter_table target; NULL for op.* */
	tr_args *a;
	uint32_t off;               /* the call */
	tr_val *result;             /* the call's value; NULL: None */
} op_call;

/* Arguments that are settings of other dialects: no effect on PostgreSQL. */
static void ignore_other_dialects(tr_args *a)
{
	static const char *const pfx[] = { "mysql_", "mariadb_", "mssql_", "sqlite_", "oracle_",
		                               NULL };
	for (size_t i = 0; i < a->nkw; i++)
		for (size_t k = 0; pfx[k]; k++)
			if (strncmp(a->kwn[i], pfx[k], strlen(pfx[k])) == 0)
				a->used[i] = true;
}

/* Keywords Alembic accepts and never reads (its **kw, or a Table option with
 * no DDL), named in names (NULL: every keyword not consumed yet): accepted,
 * and reported as warnings (rt_translate_ctx_warnings). */
static void ignore_with_warning(tr_run *r, tr_args *a, const char *const *names, const char *op)
{
	ignore_other_dialects(a);
	for (size_t i = 0; i < a->nkw; i++) {
		bool listed = !names;
		for (size_t k = 0; names && names[k] && !listed; k++)
			listed = strcmp(names[k], a->kwn[i]) == 0;
		if (a->used[i] || !listed)
			continue;
		a->used[i] = true;
		tr_warn(r, a->kwv[i]->off, a->kwv[i]->len, "ignored-argument",
		        "'%s=' has no effect in %s%s(): Alembic accepts and ignores it, so does retort",
		        a->kwn[i], r->queueing ? "batch_op." : "op.", op);
	}
}

static int check_args(tr_run *r, tr_args *a, size_t npos, const char *op)
{
	ignore_other_dialects(a);
	return tr_args_check(r, a, npos, rt_concat(r->arena, "op.", op, NULL), r->cur_off,
	                     r->cur_len);
}

static void alter_table(rt_buf *b, const char *schema, const char *table)
{
	rt_buf_puts(b, "ALTER TABLE ");
	tr_qualified(b, schema, table);
	rt_buf_putc(b, ' ');
}

enum { DROP_IF_EXISTS = 1u << 0 };

/* ALTER TABLE [schema.]table DROP <what> [IF EXISTS] name */
static int alter_drop(tr_run *r, const char *schema, const char *table, const char *what,
                      unsigned flags, const char *name, uint32_t off)
{
	rt_buf b = RT_BUF_INIT;
	alter_table(&b, schema, table);
	rt_buf_printf(&b, "DROP %s %s", what, flags & DROP_IF_EXISTS ? "IF EXISTS " : "");
	rt_ident_append(&b, name);
	tr_emit(r, &b, off);
	rt_buf_release(&b);
	return RT_OK;
}

static void comment_literal(rt_buf *b, const char *comment)
{
	if (comment)
		rt_ident_append_literal(b, comment);
	else
		rt_buf_puts(b, "NULL");
}

/* ---- execute ---- */

/* How a SQL string reaches the database: op.execute() wraps it in text(); in
 * SQLAlchemy 1.4 conn.execute(str) and conn.exec_driver_sql(str) send it as
 * it is, and exec_driver_sql takes no text(). */
typedef enum exec_kind { EXEC_OP, EXEC_CONN, EXEC_DRIVER_SQL } exec_kind;

/* sa.schema.CreateSchema(name) / DropSchema(name, cascade=) as SQLAlchemy 1.4's
 * DDLCompiler renders them (quote= is stored and never used there). */
static int execute_schema_ddl(tr_run *r, tr_val *el)
{
	tr_args *a = &el->args;
	bool create = tr_is(el, "sa.CreateSchema");
	const char *name;
	bool cascade = false;
	int rc = tr_get_str(r, tr_arg(a, 0, "name"), "the schema name", &name);
	if (rc == RT_OK && !create)
		rc = tr_get_bool(r, tr_arg(a, 2, "cascade"), "cascade", &cascade);
	static const char *const ignore[] = { "quote", NULL };
	tr_args_ignore(a, ignore);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, create ? 2 : 3, el->written, el->off, el->len);
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, create ? "CREATE SCHEMA " : "DROP SCHEMA ");
	rt_ident_append(&b, name);
	if (cascade)
		rt_buf_puts(&b, " CASCADE");
	tr_emit(r, &b, el->off);
	rt_buf_release(&b);
	return RT_OK;
}

/* The sa.Sequence(name, schema=) of a CreateSequence/DropSequence element. */
static int sequence_element(tr_run *r, tr_val *el, tr_val **seq, const char **name,
                            const char **schema)
{
	*seq = tr_arg(&el->args, 0, "element");
	*schema = NULL;
	int rc = tr_args_check(r, &el->args, 1, el->written, el->off, el->len);
	if (rc < 0)
		return rc;
	if (!tr_is(*seq, "sa.Sequence"))
		return tr_refuse(r, el->off, el->len, "%s of something other than sa.Sequence(...)",
		                 tr_is(el, "sa.DropSequence") ? "DropSequence" : "CreateSequence");
	rc = tr_get_str(r, tr_arg(&(*seq)->args, 0, "name"), "the sequence name", name);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(&(*seq)->args, SIZE_MAX, "schema"), "schema", schema);
	return rc;
}

/* sa.schema.CreateSequence(sa.Sequence(name, ...)) as SQLAlchemy 1.4's
 * PGDDLCompiler renders it: AS <data_type>, then the options, START WITH 1
 * when no start is given. */
static int execute_create_sequence(tr_run *r, tr_val *el)
{
	tr_val *seq;
	const char *name, *schema;
	int rc = sequence_element(r, el, &seq, &name, &schema);
	if (rc < 0)
		return rc;
	tr_args *a = &seq->args;
	tr_val *type = tr_arg(a, SIZE_MAX, "data_type");
	rt_buf b = RT_BUF_INIT, opts = RT_BUF_INIT;
	rt_buf_puts(&b, "CREATE SEQUENCE ");
	tr_qualified(&b, schema, name);
	if (type && type->kind != V_NONE) {
		rt_buf_puts(&b, " AS ");
		rc = tr_render_type(r, &b, type);
	}
	if (rc == RT_OK) /* SQLAlchemy 1.4 starts one created without start= at 1 */
		rc = tr_identity_options(r, a, "1", &opts);
	/* what CREATE SEQUENCE does not show */
	static const char *const ignore[] = { "optional", "quote", "quote_schema", "metadata",
		                                  "for_update", NULL };
	tr_args_ignore(a, ignore);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, 1, "sa.Sequence", seq->off, seq->len);
	if (rc == RT_OK) {
		if (opts.len)
			rt_buf_printf(&b, " %s", opts.ptr);
		tr_emit(r, &b, el->off);
	}
	rt_buf_release(&opts);
	rt_buf_release(&b);
	return rc;
}

/* sa.schema.DropSequence(sa.Sequence(name, schema=)) as SQLAlchemy 1.4 renders it:
 * only the sequence's name and schema matter to DROP; its if_exists= is not
 * rendered by 1.4 (and would be by 2.0), so it is refused rather than guessed. */
static int execute_drop_sequence(tr_run *r, tr_val *el)
{
	tr_val *seq;
	const char *name, *schema;
	int rc = sequence_element(r, el, &seq, &name, &schema);
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, "DROP SEQUENCE ");
	tr_qualified(&b, schema, name);
	tr_emit(r, &b, el->off);
	rt_buf_release(&b);
	return RT_OK;
}

/* The statement of sa.DDL("..."): sent as it is, as a string to conn.execute(). */
static int ddl_statement(tr_run *r, tr_val *el, const tr_val *params, tr_val **out)
{
	tr_args *a = &el->args;
	const char *s;
	*out = tr_arg(a, 0, "statement");
	int rc = tr_get_str(r, *out, "the DDL statement", &s);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, 1, el->written, el->off, el->len);
	if (rc < 0)
		return rc;
	/* DDL formats its statement with %: context and %-escapes are not translated */
	if (strchr(s, '%') || params)
		return tr_refuse(r, el->off, el->len, "sa.DDL() with %s is not supported",
		                 params ? "parameters" : "'%' in its statement (DDL formats it with "
		                 "its context)");
	return RT_OK;
}

/* SQLAlchemy 1.4's conn.execute(statement, **params): the keywords left are
 * the parameters, as a dict in their order; NULL when there are none. */
static tr_val *keyword_params(tr_run *r, tr_args *a)
{
	size_t n = 0;
	for (size_t i = 0; i < a->nkw; i++)
		n += !a->used[i];
	if (!n)
		return NULL;
	tr_val *d = tr_new(r, V_DICT, a->kwv[0]->off, a->kwv[a->nkw - 1]->off +
	                   a->kwv[a->nkw - 1]->len - a->kwv[0]->off);
	d->items = rt_alloc_array(r->arena, 2 * n, sizeof(*d->items));
	for (size_t i = 0; i < a->nkw; i++) {
		if (a->used[i])
			continue;
		a->used[i] = true;
		d->items[2 * d->n] = tr_str(r, a->kwn[i], strlen(a->kwn[i]), a->kwv[i]->off,
		                            a->kwv[i]->len);
		d->items[2 * d->n++ + 1] = a->kwv[i];
	}
	return d;
}

static int execute_sql(tr_run *r, tr_args *a, exec_kind kind)
{
	bool conn = kind != EXEC_OP;
	tr_val *sql = tr_arg(a, 0, conn ? "statement" : "sqltext");
	static const char *const ignore[] = { "execution_options", NULL };
	tr_args_ignore(a, ignore);
	if (!sql)
		return tr_refuse(r, r->cur_off, r->cur_len, "'execute' without SQL");
	tr_val *params = conn ? tr_arg(a, 1, "parameters") : NULL;
	if (kind == EXEC_CONN && !params)
		params = keyword_params(r, a);
	int rc = check_args(r, a, conn ? 2 : 1, "execute");
	if (rc < 0)
		return rc;
	tr_val text;
	bool raw = conn && sql->kind == V_STR;
	if (sql->kind == V_STR) {
		memset(&text, 0, sizeof(text));
		text.kind = V_OBJ;
		text.name = "sa.text";
		text.off = sql->off;
		text.len = sql->len;
		text.args.pos = &sql;
		text.args.npos = 1;
	} else if (tr_is(sql, "sa.text") && kind != EXEC_DRIVER_SQL) {
		text = *sql;
	} else if ((tr_is(sql, "sa.CreateSchema") || tr_is(sql, "sa.DropSchema")) &&
	           kind != EXEC_DRIVER_SQL) {
		return execute_schema_ddl(r, sql);
	} else if (tr_is(sql, "sa.DropSequence") && kind != EXEC_DRIVER_SQL) {
		return execute_drop_sequence(r, sql);
	} else if (tr_is(sql, "sa.CreateSequence") && kind != EXEC_DRIVER_SQL) {
		return execute_create_sequence(r, sql);
	} else if (kind == EXEC_CONN && r->ctx->guards && tr_is_query(sql)) {
		/* the rows a data loop iterates: a guard when looped over (exec.c) */
		rt_buf q = RT_BUF_INIT;
		rc = tr_render_query(r, &q, sql);
		if (rc == RT_OK)
			tr_emit(r, &q, sql->off);
		rt_buf_release(&q);
		if (rc == RT_OK && params)
			rc = tr_refuse(r, params->off, params->len, "parameters of a select()");
		return rc;
	} else if (tr_is_dml(sql) && kind != EXEC_DRIVER_SQL) {
		rt_buf q = RT_BUF_INIT;
		rc = params ? tr_refuse(r, params->off, params->len, "parameters of an update(), "
		                        "delete() or insert()")
		            : tr_render_dml(r, &q, sql);
		if (rc == RT_OK)
			tr_emit(r, &q, sql->off);
		rt_buf_release(&q);
		return rc;
	} else if (tr_is(sql, "sa.DDL") && kind != EXEC_DRIVER_SQL) {
		tr_val *statement;
		if ((rc = ddl_statement(r, sql, params, &statement)) < 0)
			return rc;
		memset(&text, 0, sizeof(text));
		text.args.pos = rt_alloc(r->arena, sizeof(*text.args.pos));
		text.args.pos[0] = statement;
		text.args.npos = 1;
		raw = true;
	} else {
		return tr_refuse(r, sql->off, sql->len, "'execute' of %s; only SQL strings, "
		                 "sa.text(), sa.DDL(), CreateSchema/DropSchema and "
		                 "CreateSequence/DropSequence are translated",
		                 sql->kind == V_OBJ ? sql->written
		                 : sql->kind == V_TABLE ? "a table expression" : "this value");
	}
	if (params && !raw) {
		if (params->kind != V_DICT)
			return tr_refuse(r, params->off, params->len, "execute parameters must be a "
			                 "literal dict");
		tr_args merged = { 0 };
		merged.pos = text.args.pos;
		merged.npos = text.args.npos;
		size_t n = text.args.nkw + params->n;
		merged.kwn = rt_alloc_array(r->arena, n ? n : 1, sizeof(*merged.kwn));
		merged.kwv = rt_alloc_array(r->arena, n ? n : 1, sizeof(*merged.kwv));
		merged.used = rt_alloc_array(r->arena, n ? n : 1, sizeof(*merged.used));
		for (size_t i = 0; i < text.args.nkw; i++) {
			merged.kwn[merged.nkw] = text.args.kwn[i];
			merged.kwv[merged.nkw++] = text.args.kwv[i];
		}
		for (size_t i = 0; i < params->n; i++) {
			const char *k;
			if ((rc = tr_get_str(r, params->items[2 * i], "a parameter name", &k)) < 0)
				return rc;
			merged.kwn[merged.nkw] = k;
			merged.kwv[merged.nkw++] = params->items[2 * i + 1];
		}
		text.args = merged;
	}
	rt_stmt *st = rt_alloc(r->arena, sizeof(*st));
	st->src = r->src;
	rt_buf b = RT_BUF_INIT;
	if (raw) {
		tr_val *s = text.args.pos[0];
		size_t start = 0, end = s->slen;
		while (start < end && (s->s[start] == ' ' || (s->s[start] >= '\t' && s->s[start] <= '\r')))
			start++;
		while (end > start && (s->s[end - 1] == ' ' ||
		                       (s->s[end - 1] >= '\t' && s->s[end - 1] <= '\r')))
			end--;
		if (sql->kind == V_STR) {
			/* SQLAlchemy 1.4 hands psycopg2 the parameters, {} when there are
			 * none, and psycopg2 formats the string with them either way */
			rc = tr_render_pyformat(r, &b, st, s, start, end,
			                        params ? params : tr_new(r, V_DICT, sql->off, sql->len));
		} else {
			if (s->lit)
				py_str_add_segs(r->arena, st, s->lit, start, end - start, 0);
			else
				rt_stmt_add_seg(r->arena, st, 0, s->off, false);
			rt_buf_add(&b, s->s + start, end - start);
		}
	} else {
		rc = tr_render_statement(r, &b, st, &text);
	}
	if (rc == RT_OK && b.len) {
		if (memchr(b.ptr, 0, b.len))
			rc = tr_refuse(r, sql->off, sql->len, "SQL text contains a NUL byte");
		else {
			st->len = b.len;
			st->sql = rt_strndup(r->arena, b.ptr, b.len);
			tr_emit_stmt(r, st);
		}
	}
	rt_buf_release(&b);
	return rc;
}

/* ---- indexes ---- */

/* What a sa.text() element of an index is: Alembic's op.create_index wraps it
 * in a column named by its text (the name's column_0, the postgresql_ops
 * key); an sa.Index given to op.create_table keeps it a bare expression. */
typedef enum index_text { INDEX_TEXT_EXPRESSION, INDEX_TEXT_COLUMN } index_text;

/* The SQL text written in sa.text("..."), or NULL when it is not a literal. */
static const char *text_source(const tr_val *e)
{
	return e->args.npos && e->args.pos[0]->kind == V_STR ? e->args.pos[0]->s : NULL;
}

static int index_element(tr_run *r, rt_buf *b, const tr_val *e, const tr_val *ops,
                         index_text text)
{
	const char *key = NULL;
	int rc = RT_OK;
	if (e->kind == V_STR) {
		key = e->s;
		rt_ident_append(b, e->s);
	} else if (e->kind == V_SQL) {
		key = e->name;
		rt_buf_add(b, e->s, e->slen);
	} else if (tr_is(e, "sa.text")) {
		if (text == INDEX_TEXT_COLUMN)
			key = text_source(e);
		rc = tr_render_text(r, b, NULL, e);
	} else {
		return tr_refuse(r, e->off, e->len, "index element that is not a column name, "
		                 "sa.text() or sa.column()");
	}
	for (size_t i = 0; key && ops && i < ops->n; i++) {
		const tr_val *k = ops->items[2 * i], *v = ops->items[2 * i + 1];
		if (k->kind == V_STR && strcmp(k->s, key) == 0) {
			const char *s;
			if ((rc = tr_get_str(r, v, "a postgresql_ops value", &s)) < 0)
				return rc;
			rt_buf_printf(b, " %s", s);
		}
	}
	return rc;
}

/* The name a naming convention gives an unnamed index; refused without one. */
static int convention_index_name(tr_run *r, const tr_name_facts *f, uint32_t off, uint32_t len,
                                 const char **out)
{
	int rc = tr_convention_name(r, "ix", f, off, len, out);
	if (rc == RT_OK && !*out)
		rc = tr_refuse(r, off, len, "the index has no name, and no naming convention names it");
	return rc;
}

/* The index's own name, or the one the convention gives Index(None, ...)
 * from its columns: the string elements, and sa.text() ones as text says. */
static int index_name(tr_run *r, const tr_val *name_v, const char *schema, const char *table,
                      tr_val **elems, size_t nelems, index_text text, const char **out)
{
	if (!tr_convention_applies(r, "ix", name_v)) {
		int rc = tr_get_name(r, name_v, "the index name", out);
		if (rc < 0 || *out)
			return rc;
		return tr_refuse(r, r->cur_off, r->cur_len, "the index has no name, and no naming "
		                 "convention names it");
	}
	const char **cols = rt_alloc_array(r->arena, nelems ? nelems : 1, sizeof(*cols));
	size_t n = 0;
	for (size_t i = 0; i < nelems; i++) {
		const tr_val *e = elems[i];
		if (e->kind == V_STR) {
			cols[n++] = e->s;
		} else if (tr_is(e, "sa.text")) {
			if (text == INDEX_TEXT_COLUMN && !(cols[n++] = text_source(e)))
				return tr_refuse(r, e->off, e->len, "the text of this sa.text() names the "
				                 "unnamed index and is not known statically");
		} else if (n == 0) {
			/* SQLAlchemy fails on it (op.create_index) or takes an unbound column */
			return tr_refuse(r, e->off, e->len, "an unnamed index is named after its first "
			                 "column, and this expression has none retort can tell; give "
			                 "the index a name");
		} else {
			break;
		}
	}
	tr_name_facts f = { .table = table, .schema = schema, .cols = cols, .ncols = n };
	return tr_object_name(r, "ix", name_v, &f, r->cur_off, r->cur_len, out);
}

/* postgresql_nulls_not_distinct= (SQLAlchemy 2's PostgreSQL 15 option) as the
 * dialect renders it: True NULLS NOT DISTINCT, False NULLS DISTINCT, None nothing. */
static int nulls_distinct(tr_run *r, const tr_val *v, const char **out)
{
	*out = NULL;
	if (!v || v->kind == V_NONE)
		return RT_OK;
	bool not_distinct = false;
	int rc = tr_get_bool(r, v, "postgresql_nulls_not_distinct", &not_distinct);
	if (rc == RT_OK)
		*out = not_distinct ? "NULLS NOT DISTINCT" : "NULLS DISTINCT";
	return rc;
}

/* CREATE INDEX as PGDDLCompiler.visit_create_index renders it. */
static int render_create_index(tr_run *r, rt_buf *b, const tr_val *name_v, const char *schema,
                               const char *table, tr_val **elems, size_t nelems, tr_args *kw,
                               const tr_val *unique_v, index_text text)
{
	const char *name, *using = NULL, *tablespace = NULL, *nulls = NULL;
	bool unique = false, concurrently = false, if_not_exists = false;
	const tr_val *ops = tr_arg(kw, SIZE_MAX, "postgresql_ops");
	const tr_val *include = tr_arg(kw, SIZE_MAX, "postgresql_include");
	const tr_val *with = tr_arg(kw, SIZE_MAX, "postgresql_with");
	tr_val *where = tr_arg(kw, SIZE_MAX, "postgresql_where");
	if (nelems == 0)
		return tr_refuse(r, r->cur_off, r->cur_len, "%s without columns",
		                 text == INDEX_TEXT_COLUMN ? "op.create_index" : "sa.Index");
	int rc = index_name(r, name_v, schema, table, elems, nelems, text, &name);
	if (rc == RT_OK)
		rc = tr_get_bool(r, unique_v, "unique", &unique);
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(kw, SIZE_MAX, "postgresql_concurrently"),
		                 "postgresql_concurrently", &concurrently);
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(kw, SIZE_MAX, "if_not_exists"), "if_not_exists", &if_not_exists);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(kw, SIZE_MAX, "postgresql_using"), "postgresql_using",
		                    &using);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(kw, SIZE_MAX, "postgresql_tablespace"),
		                    "postgresql_tablespace", &tablespace);
	if (rc == RT_OK)
		rc = nulls_distinct(r, tr_arg(kw, SIZE_MAX, "postgresql_nulls_not_distinct"), &nulls);
	if (rc < 0)
		return rc;
	if (ops && ops->kind != V_DICT)
		return tr_refuse(r, ops->off, ops->len, "postgresql_ops must be a literal dict");
	rt_buf_puts(b, unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	if (concurrently)
		rt_buf_puts(b, "CONCURRENTLY ");
	if (if_not_exists)
		rt_buf_puts(b, "IF NOT EXISTS ");
	rt_ident_append(b, name);
	rt_buf_puts(b, " ON ");
	tr_qualified(b, schema, table);
	rt_buf_putc(b, ' ');
	if (using) {
		rt_buf_puts(b, "USING ");
		for (const char *p = using; *p; p++)
			rt_buf_putc(b, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
		rt_buf_putc(b, ' ');
	}
	rt_buf_putc(b, '(');
	for (size_t i = 0; i < nelems && rc == RT_OK; i++) {
		if (i)
			rt_buf_puts(b, ", ");
		rc = index_element(r, b, elems[i], ops, text);
	}
	rt_buf_putc(b, ')');
	if (rc == RT_OK && include && include->kind != V_NONE) {
		rt_strv cols = { 0 };
		if ((rc = tr_get_names(r, include, "postgresql_include", &cols)) < 0)
			return rc;
		rt_buf_puts(b, " INCLUDE (");
		tr_name_list(b, &cols);
		rt_buf_putc(b, ')');
	}
	if (rc == RT_OK && nulls)
		rt_buf_printf(b, " %s", nulls);
	if (rc == RT_OK && with && with->kind != V_NONE) {
		if (with->kind != V_DICT)
			return tr_refuse(r, with->off, with->len, "postgresql_with must be a literal dict");
		rt_buf_puts(b, " WITH (");
		for (size_t i = 0; i < with->n && rc == RT_OK; i++) {
			if (i)
				rt_buf_puts(b, ", ");
			if (!tr_to_text(r, with->items[2 * i], b))
				rc = tr_refuse(r, with->off, with->len, "postgresql_with key not literal");
			rt_buf_puts(b, " = ");
			if (rc == RT_OK && !tr_to_text(r, with->items[2 * i + 1], b))
				rc = tr_refuse(r, with->off, with->len, "postgresql_with value not literal");
		}
		rt_buf_putc(b, ')');
	}
	if (rc == RT_OK && tablespace) {
		rt_buf_puts(b, " TABLESPACE ");
		rt_ident_append(b, tablespace);
	}
	if (rc == RT_OK && where && where->kind != V_NONE) {
		rt_buf_puts(b, " WHERE ");
		if (where->kind == V_STR) {
			tr_val t = { .kind = V_OBJ, .name = "sa.text", .off = where->off, .len = where->len };
			tr_val *arg = where;
			t.args.pos = &arg;
			t.args.npos = 1;
			rc = tr_render_text(r, b, NULL, &t);
		} else {
			rc = tr_render_sql(r, b, where, "postgresql_where");
		}
	}
	return rc;
}

static int op_create_index(tr_run *r, op_call *call)
{
	tr_table *batch = call->batch;
	tr_args *a = call->a;
	size_t s = batch ? 1 : 0;
	const char *table, *schema = batch ? batch->schema : NULL;
	const tr_val *name = tr_arg(a, 0, "index_name");
	const tr_val *cols = tr_arg(a, 2 - s, "columns");
	int rc = RT_OK;
	if (batch)
		table = batch->name;
	else
		rc = tr_get_str(r, tr_arg(a, 1, "table_name"), "the table name", &table);
	if (rc == RT_OK && !batch)
		rc = tr_get_opt_str(r, tr_arg(a, 3, "schema"), "schema", &schema);
	if (rc < 0)
		return rc;
	if (!cols || (cols->kind != V_LIST && cols->kind != V_TUPLE))
		return tr_refuse(r, cols ? cols->off : r->cur_off, cols ? cols->len : r->cur_len,
		                 "index columns must be a literal list");
	const tr_val *unique = tr_arg(a, batch ? SIZE_MAX : 4, "unique");
	rt_buf b = RT_BUF_INIT;
	rc = render_create_index(r, &b, name, schema, table, cols->items, cols->n, a, unique,
	                         INDEX_TEXT_COLUMN);
	static const char *const ignore[] = { "postgresql_ops", "postgresql_include",
		                                  "postgresql_with", "postgresql_where",
		                                  "postgresql_nulls_not_distinct", "info", NULL };
	tr_args_ignore(a, ignore);
	if (rc == RT_OK)
		rc = check_args(r, a, batch ? 2 : 5, "create_index");
	if (rc == RT_OK)
		tr_emit(r, &b, call->off);
	rt_buf_release(&b);
	return rc;
}

static int op_drop_index(tr_run *r, op_call *call)
{
	tr_table *batch = call->batch;
	tr_args *a = call->a;
	const char *name, *schema = batch ? batch->schema : NULL, *table = batch ? batch->name : NULL;
	bool concurrently = false, if_exists = false;
	const tr_val *name_v = tr_arg(a, 0, "index_name");
	int rc = RT_OK;
	if (!batch) {
		rc = tr_get_opt_str(r, tr_arg(a, 1, "table_name"), "the table name", &table);
		if (rc == RT_OK)
			rc = tr_get_opt_str(r, tr_arg(a, 2, "schema"), "schema", &schema);
	}
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "postgresql_concurrently"),
		                 "postgresql_concurrently", &concurrently);
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "if_exists"), "if_exists", &if_exists);
	/* accepted by Alembic and not rendered in DROP INDEX */
	static const char *const ignore[] = { "postgresql_where", "postgresql_using",
		                                  "postgresql_ops", "postgresql_include",
		                                  "postgresql_with", "postgresql_tablespace",
		                                  "postgresql_nulls_not_distinct", NULL };
	tr_args_ignore(a, ignore);
	if (rc == RT_OK)
		rc = check_args(r, a, batch ? 1 : 3, "drop_index");
	if (rc == RT_OK) {
		/* Alembic's DropIndexOp.to_index: Index(name, Column('x')) on the table */
		static const char *const placeholder[] = { "x" };
		tr_name_facts f = { .table = table ? table : "no_table", .schema = schema,
			                .cols = placeholder, .ncols = 1 };
		rc = tr_object_name(r, "ix", name_v, &f, r->cur_off, r->cur_len, &name);
		if (rc == RT_OK && !name)
			rc = convention_index_name(r, &f, r->cur_off, r->cur_len, &name);
	}
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, "DROP INDEX ");
	if (concurrently)
		rt_buf_puts(&b, "CONCURRENTLY ");
	if (if_exists)
		rt_buf_puts(&b, "IF EXISTS ");
	tr_qualified(&b, schema, name);
	tr_emit(r, &b, call->off);
	rt_buf_release(&b);
	return RT_OK;
}

/* ---- columns and tables ---- */

/* "[schema.]table.column" of a foreign key target; false without a dot. */
static bool split_column_ref(tr_run *r, const char *ref, const char **schema,
                             const char **table, const char **column)
{
	const char *dot = strrchr(ref, '.');
	if (!dot)
		return false;
	char *tab = rt_strndup(r->arena, ref, (size_t)(dot - ref));
	char *sdot = strrchr(tab, '.');
	*schema = NULL;
	if (sdot) {
		*sdot = '\0';
		*schema = tab;
		tab = sdot + 1;
	}
	*table = tab;
	*column = dot + 1;
	return true;
}

/* Whether SQLAlchemy can resolve a foreign key's referred columns while
 * Alembic names it: only in the table being created (a fresh MetaData per
 * operation holds no other). */
static bool referred_resolvable(tr_run *r, const char *schema, const char *table)
{
	return r->naming_table && strcmp(table, r->naming_table) == 0 &&
	       (schema && r->naming_schema ? strcmp(schema, r->naming_schema) == 0
	                                   : schema == r->naming_schema);
}

/* A non-native Enum's CHECK (create_constraint=True), as SQLAlchemy adds it. */
static int enum_check(tr_run *r, const tr_col *c, rt_buf *b, bool *added)
{
	const char *name, *schema;
	rt_strv values = { 0 };
	bool native, create = false;
	*added = false;
	int rc = tr_enum_info(r, c->type, &name, &schema, &values, &native);
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(&c->type->args, SIZE_MAX, "create_constraint"),
		                 "create_constraint", &create);
	if (rc < 0 || native || !create)
		return rc;
	/* SQLAlchemy names the CHECK after the enum (an explicit name) */
	tr_val *name_v = name ? tr_str(r, name, strlen(name), c->type->off, c->type->len)
	                      : tr_new(r, V_NONE, c->type->off, c->type->len);
	tr_name_facts f = { .table = r->naming_table, .schema = r->naming_schema,
		                .cols = &c->name, .ncols = 1 };
	if ((rc = tr_object_name(r, "ck", name_v, &f, c->off, c->len, &name)) < 0)
		return rc;
	tr_constraint_name(b, name);
	rt_buf_puts(b, "CHECK (");
	rt_ident_append(b, c->name);
	rt_buf_puts(b, " IN (");
	tr_literal_list(b, &values);
	rt_buf_puts(b, "))");
	*added = true;
	return RT_OK;
}

/* Constraints that come from column flags: UNIQUE, a non-native Enum's CHECK,
 * ForeignKeys, in SQLAlchemy's creation order. Each is appended as an
 * element (create_table) or as its own ALTER TABLE ADD (add_column). */
typedef int (*constraint_sink)(tr_run *r, rt_buf *b, void *ctx, uint32_t off);

/* A foreign key with use_alter=True is left out of CREATE TABLE: SQLAlchemy
 * leaves it for an ALTER that only metadata.create_all() sends, so under
 * op.create_table it is never created (prefect's initial migration relies on
 * it for tables that refer to each other). */
static int left_for_alter(tr_run *r, tr_args *a, bool in_create_table, bool *omit)
{
	*omit = false;
	int rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "use_alter"), "use_alter", omit);
	*omit = *omit && in_create_table;
	return rc;
}

static int column_constraints(tr_run *r, const tr_col *c, rt_buf *b, constraint_sink sink,
                              void *sctx, bool in_create_table)
{
	int rc = RT_OK;
	tr_name_facts f = { .table = r->naming_table, .schema = r->naming_schema,
		                .cols = &c->name, .keys = &c->key, .ncols = 1 };
	if (c->unique && !c->index) {
		const char *name;
		if ((rc = tr_object_name(r, "uq", NULL, &f, c->off, c->len, &name)) < 0)
			return rc;
		tr_constraint_name(b, name);
		rt_buf_puts(b, "UNIQUE (");
		rt_ident_append(b, c->name);
		rt_buf_putc(b, ')');
		if ((rc = sink(r, b, sctx, c->off)) < 0)
			return rc;
	}
	if (tr_is_enum(c->type) && c->type->kind == V_OBJ) {
		bool added;
		if ((rc = enum_check(r, c, b, &added)) < 0)
			return rc;
		if (added && (rc = sink(r, b, sctx, c->off)) < 0)
			return rc;
	}
	/* a replaced column's foreign keys leave the table with it */
	for (size_t i = 0; i < c->fks.n && !c->replaced; i++) {
		tr_val *fk = c->fks.items[i];
		tr_args *a = &fk->args;
		const char *spec, *name, *schema, *table, *ref;
		bool omit;
		rc = tr_get_str(r, tr_arg(a, 0, "column"), "the ForeignKey target", &spec);
		if (rc == RT_OK)
			rc = left_for_alter(r, a, in_create_table, &omit);
		if (rc < 0)
			return rc;
		if (omit)
			continue;
		if (!split_column_ref(r, spec, &schema, &table, &ref))
			return tr_refuse(r, fk->off, fk->len, "ForeignKey target '%s' is not "
			                 "'table.column'", spec);
		tr_name_facts ff = f;
		ff.foreign_key = true;
		ff.referred_table = table;
		ff.referred_cols = referred_resolvable(r, schema, table) ? &ref : NULL;
		rc = tr_object_name(r, "fk", tr_arg(a, 2, "name"), &ff, fk->off, fk->len, &name);
		if (rc < 0)
			return rc;
		rt_strv cols = { 0 }, refs = { 0 };
		rt_strv_push(r->arena, &cols, c->name);
		rt_strv_push(r->arena, &refs, ref);
		rc = tr_render_fk(r, b, name, &cols, schema, table, &refs, a, fk->off, fk->len);
		if (rc == RT_OK)
			rc = tr_args_check(r, a, 3, "sa.ForeignKey", fk->off, fk->len);
		if (rc == RT_OK)
			rc = sink(r, b, sctx, fk->off);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

/* The elements of a CREATE TABLE (columns, then constraints), comma-separated. */
struct element_list {
	rt_buf *out;
	size_t n;
};

static void element_start(struct element_list *el)
{
	rt_buf_puts(el->out, el->n++ ? ", \n    " : "\n    ");
}

static int append_element(tr_run *r, rt_buf *b, void *ctx, uint32_t off)
{
	(void)r;
	(void)off;
	struct element_list *el = ctx;
	element_start(el);
	rt_buf_add(el->out, b->ptr, b->len);
	rt_buf_truncate(b, 0);
	return RT_OK;
}

struct alter_add {
	const char *schema, *table;
};

static int emit_alter_add(tr_run *r, rt_buf *b, void *ctx, uint32_t off)
{
	struct alter_add *aa = ctx;
	rt_buf s = RT_BUF_INIT;
	alter_table(&s, aa->schema, aa->table);
	rt_buf_puts(&s, "ADD ");
	rt_buf_add(&s, b->ptr, b->len);
	rt_buf_truncate(b, 0);
	tr_emit(r, &s, off);
	rt_buf_release(&s);
	return RT_OK;
}

/* The CREATE INDEX of a column's index=True. */
static int emit_column_index(tr_run *r, const char *schema, const char *table,
                             const tr_col *c)
{
	const char *name = NULL;
	tr_name_facts f = { .table = table, .schema = schema, .cols = &c->name, .keys = &c->key,
		                .ncols = 1 };
	int rc = convention_index_name(r, &f, c->off, c->len, &name);
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "CREATE %sINDEX ", c->unique ? "UNIQUE " : "");
	rt_ident_append(&b, name);
	rt_buf_puts(&b, " ON ");
	tr_qualified(&b, schema, table);
	rt_buf_puts(&b, " (");
	rt_ident_append(&b, c->name);
	rt_buf_putc(&b, ')');
	tr_emit(r, &b, c->off);
	rt_buf_release(&b);
	return RT_OK;
}

static void column_comment(tr_run *r, const char *schema, const char *table, const tr_col *c)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, "COMMENT ON COLUMN ");
	tr_qualified(&b, schema, table);
	rt_buf_putc(&b, '.');
	rt_ident_append(&b, c->name);
	rt_buf_puts(&b, " IS ");
	comment_literal(&b, c->comment->s);
	tr_emit(r, &b, c->comment->off);
	rt_buf_release(&b);
}

static void table_comment(tr_run *r, const char *schema, const char *table, const char *comment,
                          uint32_t off)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, "COMMENT ON TABLE ");
	tr_qualified(&b, schema, table);
	rt_buf_puts(&b, " IS ");
	comment_literal(&b, comment);
	tr_emit(r, &b, off);
	rt_buf_release(&b);
}

/* ---- create_table ---- */

/* What op.create_table's keywords say about the table itself. */
typedef struct table_opts {
	const tr_val *comment_v;    /* comment=, for its offset */
	const tr_val *inherits;     /* postgresql_inherits= */
	const char *comment, *partition, *tablespace;
	bool if_not_exists;
} table_opts;

/* An index created after the table, in argument order. */
typedef struct table_index {
	const tr_col *col;          /* a column's index=True, or NULL */
	tr_val *index;              /* an sa.Index element, or NULL */
} table_index;

/* The positional elements of op.create_table besides the columns. */
typedef struct table_elems {
	tr_col **attached;          /* every column in argument order, replaced ones too */
	size_t nattached;
	tr_col **flagged_pk;        /* primary_key=True columns, in SQLAlchemy's key order */
	size_t nflagged_pk;
	tr_val *pkc;                /* sa.PrimaryKeyConstraint, or NULL */
	rt_ptrvec constraints;      /* sa.ForeignKey/Unique/CheckConstraint, in order */
	table_index *indexes;
	size_t nindexes;
	tr_col **pk;                /* the primary key columns, in key order */
	size_t npk;
	const char *pk_name;
	tr_col *autoinc;            /* the column rendered SERIAL, or NULL */
} table_elems;

static int create_table_opts(tr_run *r, tr_args *a, tr_table *t, table_opts *o)
{
	o->comment_v = tr_arg(a, SIZE_MAX, "comment");
	o->inherits = tr_arg(a, SIZE_MAX, "postgresql_inherits");
	o->if_not_exists = false;
	int rc = tr_get_str(r, tr_arg(a, 0, "table_name"), "the table name", &t->name);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "schema"), "schema", &t->schema);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, o->comment_v, "comment", &o->comment);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "postgresql_partition_by"),
		                    "postgresql_partition_by", &o->partition);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "postgresql_tablespace"),
		                    "postgresql_tablespace", &o->tablespace);
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "if_not_exists"), "if_not_exists",
		                 &o->if_not_exists);
	static const char *const ignore[] = { "info", "keep_existing", "extend_existing", NULL };
	tr_args_ignore(a, ignore);
	/* Table() options read only by reflection or by the ORM, not by CREATE TABLE */
	static const char *const no_ddl[] = { "implicit_returning", "resolve_fks",
		                                  "include_columns", "autoload_replace",
		                                  "postgresql_ignore_search_path", NULL };
	if (rc == RT_OK)
		ignore_with_warning(r, a, no_ddl, "create_table");
	if (rc == RT_OK)
		rc = check_args(r, a, SIZE_MAX, "create_table");
	return rc;
}

static tr_col *find_column(const tr_table *t, const char *name)
{
	tr_col *found = NULL;
	for (size_t k = 0; k < t->ncols; k++)
		if (strcmp(t->cols[k]->name, name) == 0)
			found = t->cols[k];
	return found;
}

/* The columns a table-level ForeignKeyConstraint names are foreign keys for
 * SQLAlchemy's autoincrement rule, as the column-level ones are. */
static void mark_fk_columns(const tr_table *t, const rt_ptrvec *constraints)
{
	for (size_t i = 0; i < constraints->n; i++) {
		tr_val *x = constraints->items[i];
		const tr_val *cols = tr_is(x, "sa.ForeignKeyConstraint")
		                     ? tr_arg(&x->args, 0, "columns") : NULL;
		if (!cols || (cols->kind != V_LIST && cols->kind != V_TUPLE))
			continue; /* refused when the constraint is rendered */
		for (size_t k = 0; k < cols->n; k++) {
			const tr_val *cv = cols->items[k];
			const char *name = cv->kind == V_STR ? cv->s : cv->kind == V_SQL ? cv->name : NULL;
			tr_col *c = name ? find_column(t, name) : NULL;
			if (c)
				c->in_fk_constraint = true;
		}
	}
}

static tr_col **find_key(tr_col **cols, size_t n, const char *key)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(cols[k]->key, key) == 0)
			return &cols[k];
	return NULL;
}

/*
 * Adds c to the table as SQLAlchemy's Column._set_parent does: a column of
 * the same key is replaced in place and loses its foreign keys; its UNIQUE,
 * index=True and enum CHECK stay. SQLAlchemy 1.4 warns (a deprecation); a
 * primary key column may not be replaced by one that is not. (SQLAlchemy
 * also replaces a column whose key is c's name when c has another key; not
 * modelled.)
 */
static int attach_column(tr_run *r, tr_table *t, table_elems *e, tr_col *c)
{
	tr_col **at = find_key(t->cols, t->ncols, c->key);
	e->attached[e->nattached++] = c;
	if (!at) {
		t->cols[t->ncols++] = c;
	} else {
		if ((*at)->pk && !c->pk)
			return tr_refuse(r, c->off, c->len, "column '%s' redefines primary-key column "
			                 "'%s' as a non-primary-key column (SQLAlchemy refuses it)",
			                 c->name, (*at)->name);
		tr_warn(r, c->off, c->len, "replaced-column", "a column named '%s' is already in "
		        "table '%s': this one replaces it, as SQLAlchemy does (with a warning)",
		        c->key, t->name);
		(*at)->replaced = true;
		*at = c;
	}
	if (!c->pk)
		return RT_OK;
	tr_col **pk = find_key(e->flagged_pk, e->nflagged_pk, c->key);
	if (pk)
		*pk = c;
	else
		e->flagged_pk[e->nflagged_pk++] = c;
	return RT_OK;
}

/* Parses the columns into t and sorts the other elements into e. */
static int create_table_elems(tr_run *r, tr_args *a, tr_table *t, table_elems *e)
{
	size_t n = a->npos ? a->npos : 1;
	t->cols = rt_alloc_array(r->arena, n, sizeof(*t->cols));
	e->attached = rt_alloc_array(r->arena, n, sizeof(*e->attached));
	e->flagged_pk = rt_alloc_array(r->arena, n, sizeof(*e->flagged_pk));
	e->indexes = rt_alloc_array(r->arena, n, sizeof(*e->indexes));
	for (size_t i = 1; i < a->npos; i++) {
		tr_val *x = a->pos[i];
		if (tr_is(x, "sa.Column")) {
			tr_col *c;
			int rc = tr_parse_column(r, x, &c);
			if (rc == RT_OK)
				rc = attach_column(r, t, e, c);
			if (rc < 0)
				return rc;
			if (c->index)
				e->indexes[e->nindexes++].col = c;
		} else if (tr_is(x, "sa.PrimaryKeyConstraint")) {
			e->pkc = x;
		} else if (tr_is(x, "sa.ForeignKeyConstraint") || tr_is(x, "sa.UniqueConstraint") ||
		           tr_is(x, "sa.CheckConstraint")) {
			rt_ptrvec_push(r->arena, &e->constraints, x);
		} else if (tr_is(x, "sa.Index")) {
			e->indexes[e->nindexes++].index = x;
		} else {
			return tr_refuse(r, x->off, x->len, "'op.create_table' argument %s is not "
			                 "supported", x->kind == V_OBJ ? x->written : "of this kind");
		}
	}
	mark_fk_columns(t, &e->constraints);
	return RT_OK;
}


/* The primary key (an explicit PrimaryKeyConstraint, else the flagged
 * columns) and its autoincrement column. */
static int create_table_pk(tr_run *r, tr_table *t, table_elems *e)
{
	tr_val *pkc = e->pkc;
	e->pk = rt_alloc_array(r->arena, t->ncols + 1, sizeof(*e->pk));
	int rc = RT_OK;
	for (size_t k = 0; !pkc && k < e->nflagged_pk; k++)
		e->pk[e->npk++] = e->flagged_pk[k];
	for (size_t i = 0; pkc && i < pkc->args.npos; i++) {
		const tr_val *cv = pkc->args.pos[i];
		const char *cn;
		if ((rc = tr_get_str(r, cv, "a primary key column", &cn)) < 0)
			return rc;
		tr_col *c = find_column(t, cn);
		if (!c)
			return tr_refuse(r, cv->off, cv->len, "primary key column '%s' is not a column "
			                 "of '%s'", cn, t->name);
		c->pk = true;
		if (!c->nullable_set)
			c->nullable = false;
		e->pk[e->npk++] = c;
	}
	const char **cols = rt_alloc_array(r->arena, 2 * e->npk + 1, sizeof(*cols));
	for (size_t k = 0; k < e->npk; k++) {
		cols[k] = e->pk[k]->name;
		cols[e->npk + k] = e->pk[k]->key;
	}
	tr_name_facts f = { .table = t->name, .schema = t->schema, .cols = cols,
		                .keys = cols + e->npk, .ncols = e->npk };
	const tr_val *name_v = pkc ? tr_arg(&pkc->args, SIZE_MAX, "name") : NULL;
	if (e->npk)
		rc = tr_object_name(r, "pk", name_v, &f, pkc ? pkc->off : r->cur_off,
		                    pkc ? pkc->len : r->cur_len, &e->pk_name);
	return rc < 0 ? rc : tr_autoinc_column(r, e->pk, e->npk, &e->autoinc);
}

static bool enum_created_by_table(tr_run *r, tr_val *t, int *rc, const char **key)
{
	const char *name, *schema;
	rt_strv values = { 0 };
	bool native, create_type = true;
	*rc = RT_OK;
	if (!tr_is_enum(t))
		return false;
	if (t->kind != V_OBJ) {
		*rc = tr_refuse(r, t->off, t->len, "an Enum type without values or name");
		return false;
	}
	*rc = tr_enum_info(r, t, &name, &schema, &values, &native);
	if (*rc == RT_OK && strcmp(t->name, "pg.ENUM") == 0)
		*rc = tr_get_bool(r, tr_arg(&t->args, SIZE_MAX, "create_type"), "create_type",
		                  &create_type);
	if (*rc < 0 || !native || !create_type)
		return false;
	const tr_val *md = tr_arg(&t->args, SIZE_MAX, "metadata");
	if (md && md->kind != V_NONE)
		return false; /* bound to a MetaData: created with it, not by the table */
	if (!name) {
		*rc = tr_refuse(r, t->off, t->len, "PostgreSQL ENUM type requires a name");
		return false;
	}
	*key = rt_sprintf(r->arena, "%s\x1f%s", schema ? schema : "", name);
	if (rt_strv_index(&r->ctx->enums, *key) >= 0)
		return false;
	rt_strv_push(r->ctx->arena, &r->ctx->enums, rt_strdup(r->ctx->arena, *key));
	return true;
}

/* CREATE TYPE for the enums not created yet in this run, before the table
 * (a replaced column's too: its type's event stays on the table). */
static int create_table_enums(tr_run *r, const table_elems *e)
{
	int rc = RT_OK;
	rt_buf b = RT_BUF_INIT;
	for (size_t k = 0; k < e->nattached && rc == RT_OK; k++) {
		tr_val *type = e->attached[k]->type;
		const char *key;
		if (enum_created_by_table(r, type, &rc, &key)) {
			rc = tr_render_enum_create(r, &b, type);
			if (rc == RT_OK) {
				rt_stmt *st = rt_stmt_generated(r->arena, rt_buf_cstr(&b), r->src, type->off);
				st->once_key = key;
				tr_emit_stmt(r, st);
				rt_buf_truncate(&b, 0);
			}
		}
	}
	rt_buf_release(&b);
	return rc;
}

/* [CONSTRAINT name ]PRIMARY KEY (cols)[ DEFERRABLE...] */
static int pk_element(tr_run *r, rt_buf *sql, const table_elems *e)
{
	rt_strv cols = { 0 };
	for (size_t k = 0; k < e->npk; k++)
		rt_strv_push(r->arena, &cols, e->pk[k]->name);
	tr_constraint_name(sql, e->pk_name);
	rt_buf_puts(sql, "PRIMARY KEY (");
	tr_name_list(sql, &cols);
	rt_buf_putc(sql, ')');
	if (!e->pkc)
		return RT_OK;
	tr_args *pa = &e->pkc->args;
	int rc = tr_constraint_tail(r, sql, pa);
	static const char *const ignore[] = { "info", "_implicit_generated", NULL };
	tr_args_ignore(pa, ignore);
	return rc < 0 ? rc : tr_args_check(r, pa, SIZE_MAX, "sa.PrimaryKeyConstraint",
	                                   e->pkc->off, e->pkc->len);
}

static int unique_element(tr_run *r, rt_buf *b, tr_val *x)
{
	tr_args *ca = &x->args;
	const char *cn;
	const char **cols = rt_alloc_array(r->arena, ca->npos + 1, sizeof(*cols));
	int rc = RT_OK;
	for (size_t k = 0; k < ca->npos && rc == RT_OK; k++)
		rc = tr_get_str(r, ca->pos[k], "a unique column", &cols[k]);
	tr_name_facts f = { .table = r->naming_table, .schema = r->naming_schema, .cols = cols,
		                .ncols = ca->npos };
	if (rc == RT_OK)
		rc = tr_object_name(r, "uq", tr_arg(ca, SIZE_MAX, "name"), &f, x->off, x->len, &cn);
	const char *nulls = NULL;
	if (rc == RT_OK)
		rc = nulls_distinct(r, tr_arg(ca, SIZE_MAX, "postgresql_nulls_not_distinct"), &nulls);
	if (rc < 0)
		return rc;
	tr_constraint_name(b, cn);
	rt_buf_printf(b, "UNIQUE %s%s(", nulls ? nulls : "", nulls ? " " : "");
	for (size_t k = 0; k < ca->npos; k++) {
		if (k)
			rt_buf_puts(b, ", ");
		rt_ident_append(b, cols[k]);
	}
	rt_buf_putc(b, ')');
	if (rc == RT_OK)
		rc = tr_constraint_tail(r, b, ca);
	static const char *const ignore[] = { "info", NULL };
	tr_args_ignore(ca, ignore);
	return rc < 0 ? rc : tr_args_check(r, ca, SIZE_MAX, "sa.UniqueConstraint", x->off, x->len);
}

static int fk_element(tr_run *r, rt_buf *b, tr_val *x)
{
	tr_args *ca = &x->args;
	const char *cn, *rschema = NULL, *rtable = NULL;
	rt_strv cols = { 0 }, refs = { 0 };
	int rc = tr_get_names(r, tr_arg(ca, 0, "columns"), "the foreign key columns", &cols);
	if (rc == RT_OK)
		rc = tr_get_names(r, tr_arg(ca, 1, "refcolumns"), "the referenced columns", &refs);
	for (size_t k = 0; rc == RT_OK && k < refs.n; k++) {
		const char *schema;
		if (!split_column_ref(r, refs.v[k], &schema, &rtable, &refs.v[k]))
			return tr_refuse(r, x->off, x->len, "referenced column '%s' is not "
			                 "'table.column'", refs.v[k]);
		if (schema)
			rschema = schema;
	}
	tr_name_facts f = { .table = r->naming_table, .schema = r->naming_schema,
		                .cols = (const char *const *)cols.v, .ncols = cols.n,
		                .foreign_key = true, .referred_table = rtable };
	if (rc == RT_OK && rtable && refs.n == cols.n && referred_resolvable(r, rschema, rtable))
		f.referred_cols = (const char *const *)refs.v;
	if (rc == RT_OK)
		rc = tr_object_name(r, "fk", tr_arg(ca, 2, "name"), &f, x->off, x->len, &cn);
	if (rc == RT_OK)
		rc = tr_render_fk(r, b, cn, &cols, rschema, rtable, &refs, ca, x->off, x->len);
	return rc < 0 ? rc : tr_args_check(r, ca, 3, "sa.ForeignKeyConstraint", x->off, x->len);
}

/* INHERITS, PARTITION BY and TABLESPACE after the element list. */
static int table_suffix(tr_run *r, rt_buf *sql, const table_opts *o)
{
	int rc = RT_OK;
	const tr_val *inherits = o->inherits;
	if (inherits && inherits->kind != V_NONE) {
		rt_strv names = { 0 };
		if (inherits->kind == V_STR)
			rt_strv_push(r->arena, &names, inherits->s);
		else
			rc = tr_get_names(r, inherits, "postgresql_inherits", &names);
		rt_buf_puts(sql, "\n INHERITS ( ");
		tr_name_list(sql, &names);
		rt_buf_puts(sql, " )");
	}
	if (o->partition)
		rt_buf_printf(sql, "\n PARTITION BY %s", o->partition);
	if (o->tablespace) {
		rt_buf_puts(sql, "\n TABLESPACE ");
		rt_ident_append(sql, o->tablespace);
	}
	return rc;
}

/* The CREATE TABLE statement itself, elements in SQLAlchemy's order:
 * columns, primary key, table constraints, constraints from column flags. */
static int emit_create_table(tr_run *r, const tr_table *t, const table_opts *o,
                             const table_elems *e, uint32_t off)
{
	rt_buf sql = RT_BUF_INIT, b = RT_BUF_INIT;
	struct element_list el = { .out = &sql };
	int rc = RT_OK;
	bool omit;
	r->naming_table = t->name;
	r->naming_schema = t->schema;
	rt_buf_puts(&sql, o->if_not_exists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ");
	tr_qualified(&sql, t->schema, t->name);
	rt_buf_puts(&sql, " (");
	for (size_t k = 0; k < t->ncols && rc == RT_OK; k++) {
		element_start(&el);
		rc = tr_column_spec(r, &sql, t->cols[k], e->autoinc);
	}
	if (rc == RT_OK && e->npk) {
		element_start(&el);
		rc = pk_element(r, &sql, e);
	}
	for (size_t i = 0; i < e->constraints.n && rc == RT_OK; i++) {
		tr_val *x = e->constraints.items[i];
		if (tr_is(x, "sa.CheckConstraint"))
			rc = tr_render_check(r, &b, x);
		else if (tr_is(x, "sa.UniqueConstraint"))
			rc = unique_element(r, &b, x);
		else if ((rc = left_for_alter(r, &x->args, true, &omit)) == RT_OK && omit)
			continue;
		else if (rc == RT_OK)
			rc = fk_element(r, &b, x);
		if (rc == RT_OK)
			rc = append_element(r, &b, &el, x->off);
	}
	for (size_t k = 0; k < e->nattached && rc == RT_OK; k++)
		rc = column_constraints(r, e->attached[k], &b, append_element, &el, true);
	if (rc == RT_OK) {
		rt_buf_puts(&sql, "\n)");
		rc = table_suffix(r, &sql, o);
	}
	if (rc == RT_OK)
		tr_emit(r, &sql, off);
	rt_buf_release(&b);
	rt_buf_release(&sql);
	return rc;
}

/* The indexes (index=True columns, sa.Index elements) in argument order. */
static int create_table_indexes(tr_run *r, const tr_table *t, const table_elems *e)
{
	int rc = RT_OK;
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < e->nindexes && rc == RT_OK; i++) {
		if (e->indexes[i].col) {
			rc = emit_column_index(r, t->schema, t->name, e->indexes[i].col);
			continue;
		}
		tr_val *x = e->indexes[i].index;
		tr_args *ia = &x->args;
		rc = render_create_index(r, &b, tr_arg(ia, 0, "name"), t->schema, t->name,
		                         ia->pos + 1, ia->npos ? ia->npos - 1 : 0, ia,
		                         tr_arg(ia, SIZE_MAX, "unique"), INDEX_TEXT_EXPRESSION);
		static const char *const ignore[] = { "postgresql_ops", "postgresql_include",
			                                  "postgresql_with", "postgresql_where", "info",
			                                  "postgresql_nulls_not_distinct", "quote", NULL };
		tr_args_ignore(ia, ignore);
		ignore_other_dialects(ia);
		if (rc == RT_OK)
			rc = tr_args_check(r, ia, SIZE_MAX, "sa.Index", x->off, x->len);
		if (rc == RT_OK)
			tr_emit(r, &b, x->off);
	}
	rt_buf_release(&b);
	return rc;
}

static int op_create_table(tr_run *r, op_call *call)
{
	tr_table *t = rt_alloc(r->arena, sizeof(*t));
	table_opts o;
	table_elems e = { 0 };
	int rc = create_table_opts(r, call->a, t, &o);
	if (rc == RT_OK)
		rc = create_table_elems(r, call->a, t, &e);
	if (rc == RT_OK)
		rc = create_table_pk(r, t, &e);
	if (rc == RT_OK)
		rc = create_table_enums(r, &e);
	if (rc == RT_OK)
		rc = emit_create_table(r, t, &o, &e, call->off);
	if (rc == RT_OK)
		rc = create_table_indexes(r, t, &e);
	if (rc < 0)
		return rc;
	/* the table comment, then the column comments */
	if (o.comment)
		table_comment(r, t->schema, t->name, o.comment, o.comment_v->off);
	for (size_t k = 0; k < t->ncols; k++)
		if (t->cols[k]->comment)
			column_comment(r, t->schema, t->name, t->cols[k]);
	call->result = tr_new(r, V_TABLE, r->cur_off, r->cur_len);
	call->result->table = t;
	return RT_OK;
}

static int table_args(tr_run *r, tr_table *batch, tr_args *a, size_t table_pos,
                      size_t schema_pos, const char **table, const char **schema)
{
	if (batch) {
		*table = batch->name;
		*schema = batch->schema;
		return RT_OK;
	}
	int rc = tr_get_str(r, tr_arg(a, table_pos, "table_name"), "the table name", table);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, schema_pos, "schema"), "schema", schema);
	return rc;
}

static int op_add_column(tr_run *r, op_call *call)
{
	tr_table *batch = call->batch;
	tr_args *a = call->a;
	const char *table, *schema;
	bool if_not_exists = false;
	size_t s = batch ? 1 : 0;
	int rc = table_args(r, batch, a, 0, 2, &table, &schema);
	tr_val *cv = tr_arg(a, 1 - s, "column");
	if (rc == RT_OK && !tr_is(cv, "sa.Column"))
		rc = tr_refuse(r, cv ? cv->off : r->cur_off, cv ? cv->len : r->cur_len,
		               "'add_column' needs an sa.Column");
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "if_not_exists"), "if_not_exists", &if_not_exists);
	/* batch_op only: Alembic's op.add_column has no such arguments */
	static const char *const ignore[] = { "insert_before", "insert_after", NULL };
	if (batch)
		tr_args_ignore(a, ignore);
	if (rc == RT_OK)
		rc = check_args(r, a, batch ? 1 : 3, "add_column");
	tr_col *c;
	if (rc == RT_OK)
		rc = tr_parse_column(r, cv, &c);
	if (rc < 0)
		return rc;
	tr_col *autoinc = NULL;
	if (c->pk && (rc = tr_autoinc_column(r, &c, 1, &autoinc)) < 0)
		return rc;
	r->naming_table = table;
	r->naming_schema = schema;
	rt_buf b = RT_BUF_INIT;
	alter_table(&b, schema, table);
	rt_buf_puts(&b, if_not_exists ? "ADD COLUMN IF NOT EXISTS " : "ADD COLUMN ");
	rc = tr_column_spec(r, &b, c, autoinc);
	if (rc == RT_OK)
		tr_emit(r, &b, call->off);
	struct alter_add aa = { .schema = schema, .table = table };
	if (rc == RT_OK)
		rc = column_constraints(r, c, &b, emit_alter_add, &aa, false);
	if (rc == RT_OK && c->index)
		rc = emit_column_index(r, schema, table, c);
	if (rc == RT_OK && c->comment)
		column_comment(r, schema, table, c);
	rt_buf_release(&b);
	return rc;
}

static int op_drop_column(tr_run *r, op_call *call)
{
	tr_table *batch = call->batch;
	tr_args *a = call->a;
	const char *table, *schema, *col;
	bool if_exists = false;
	size_t s = batch ? 1 : 0;
	int rc = table_args(r, batch, a, 0, 2, &table, &schema);
	if (rc == RT_OK)
		rc = tr_get_str(r, tr_arg(a, 1 - s, "column_name"), "the column name", &col);
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "if_exists"), "if_exists", &if_exists);
	if (rc == RT_OK) /* Alembic's drop_column passes **kw to backends that never read it */
		ignore_with_warning(r, a, NULL, "drop_column");
	if (rc == RT_OK)
		rc = check_args(r, a, batch ? 1 : 3, "drop_column");
	if (rc < 0)
		return rc;
	return alter_drop(r, schema, table, "COLUMN", if_exists ? DROP_IF_EXISTS : 0, col,
	                  call->off);
}

/* Alembic hands alter_column's other keywords to its implementation, which
 * ignores them (default=, a mistyped existing_type_=, ...); name= collides
 * with the new name it passes and fails there. autoincrement= is read and
 * ignored with Alembic's own warning. */
static int alter_column_kw(tr_run *r, tr_args *a)
{
	static const char *const mysql_only[] = { "autoincrement", "existing_autoincrement" };
	for (size_t i = 0; i < 2; i++) {
		const tr_val *v = tr_arg(a, SIZE_MAX, mysql_only[i]);
		if (v && v->kind != V_NONE)
			tr_warn(r, v->off, v->len, "ignored-argument", "'%s=' has no effect in "
			        "alter_column on PostgreSQL (Alembic warns: autoincrement and "
			        "existing_autoincrement only make sense for MySQL)", mysql_only[i]);
	}
	for (size_t i = 0; i < a->nkw; i++) {
		if (strcmp(a->kwn[i], "name") != 0)
			continue;
		int rc = tr_refuse(r, a->kwv[i]->off, a->kwv[i]->len, "'name=' in alter_column: "
		                   "Alembic fails on it (multiple values for keyword argument "
		                   "'name')");
		rt_error_hint(r->err, "rename the column with new_column_name=");
		return rc;
	}
	ignore_with_warning(r, a, NULL, "alter_column");
	return RT_OK;
}

static int op_alter_column(tr_run *r, op_call *call)
{
	tr_table *batch = call->batch;
	tr_args *a = call->a;
	const char *table, *schema, *col, *new_name = NULL, *using = NULL;
	size_t s = batch ? 1 : 0;
	int rc = table_args(r, batch, a, 0, SIZE_MAX, &table, &schema);
	if (rc == RT_OK)
		rc = tr_get_str(r, tr_arg(a, 1 - s, "column_name"), "the column name", &col);
	const tr_val *nullable = tr_arg(a, SIZE_MAX, "nullable");
	const tr_val *comment = tr_arg(a, SIZE_MAX, "comment");
	tr_val *dflt = tr_arg(a, SIZE_MAX, "server_default");
	tr_val *type = tr_arg(a, SIZE_MAX, "type_");
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "new_column_name"), "new_column_name",
		                    &new_name);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "postgresql_using"), "postgresql_using",
		                    &using);
	if (rc == RT_OK && !batch)
		rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "schema"), "schema", &schema);
	/* existing_* only inform other backends; autoincrement is MySQL-only */
	static const char *const ignore[] = { "existing_type", "existing_server_default",
		                                  "existing_nullable", "existing_comment",
		                                  "existing_autoincrement", "autoincrement",
		                                  "insert_before", "insert_after", NULL };
	tr_args_ignore(a, ignore);
	if (rc == RT_OK)
		rc = alter_column_kw(r, a);
	if (rc == RT_OK)
		rc = check_args(r, a, batch ? 1 : 2, "alter_column");
	if (rc < 0)
		return rc;
	if (type && type->kind == V_NONE)
		type = NULL;
	if (using && !type)
		return tr_refuse(r, r->cur_off, r->cur_len, "postgresql_using must be used with the "
		                 "type_ parameter");
	rt_buf b = RT_BUF_INIT;
	if (type) {
		alter_table(&b, schema, table);
		rt_buf_puts(&b, "ALTER COLUMN ");
		rt_ident_append(&b, col);
		rt_buf_puts(&b, " TYPE ");
		rc = tr_render_type(r, &b, type);
		if (using)
			rt_buf_printf(&b, " USING %s", using);
		if (rc == RT_OK)
			tr_emit(r, &b, call->off);
	}
	if (rc == RT_OK && nullable && nullable->kind != V_NONE) {
		bool n = true;
		rc = tr_get_bool(r, nullable, "nullable", &n);
		alter_table(&b, schema, table);
		rt_buf_puts(&b, "ALTER COLUMN ");
		rt_ident_append(&b, col);
		rt_buf_puts(&b, n ? " DROP NOT NULL" : " SET NOT NULL");
		if (rc == RT_OK)
			tr_emit(r, &b, call->off);
	}
	if (rc == RT_OK && dflt) {
		if (tr_is(dflt, "sa.Computed") || tr_is(dflt, "sa.Identity"))
			rc = tr_refuse(r, dflt->off, dflt->len, "changing a column to computed or "
			               "identity with alter_column");
		alter_table(&b, schema, table);
		rt_buf_puts(&b, "ALTER COLUMN ");
		rt_ident_append(&b, col);
		if (dflt->kind == V_NONE)
			rt_buf_puts(&b, " DROP DEFAULT");
		else if (rc == RT_OK) {
			rt_buf_puts(&b, " SET DEFAULT ");
			rc = tr_render_default(r, &b, dflt);
		}
		if (rc == RT_OK)
			tr_emit(r, &b, call->off);
	}
	if (rc == RT_OK && comment) {
		const char *cs;
		rc = tr_get_opt_str(r, comment, "comment", &cs);
		rt_buf_puts(&b, "COMMENT ON COLUMN ");
		tr_qualified(&b, schema, table);
		rt_buf_putc(&b, '.');
		rt_ident_append(&b, col);
		rt_buf_puts(&b, " IS ");
		comment_literal(&b, cs);
		if (rc == RT_OK)
			tr_emit(r, &b, call->off);
	}
	if (rc == RT_OK && new_name) {
		alter_table(&b, schema, table);
		rt_buf_puts(&b, "RENAME ");
		rt_ident_append(&b, col);
		rt_buf_puts(&b, " TO ");
		rt_ident_append(&b, new_name);
		tr_emit(r, &b, call->off);
	}
	rt_buf_release(&b);
	return rc;
}

static int op_drop_table(tr_run *r, op_call *call)
{
	tr_args *a = call->a;
	const char *table, *schema;
	bool if_exists = false;
	int rc = table_args(r, NULL, a, 0, 1, &table, &schema);
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "if_exists"), "if_exists", &if_exists);
	static const char *const ignore[] = { "info", NULL };
	tr_args_ignore(a, ignore);
	/* Table() options: none of them changes DROP TABLE */
	static const char *const no_ddl[] = {
		"comment", "implicit_returning", "resolve_fks", "include_columns", "autoload_replace",
		"keep_existing", "extend_existing", "postgresql_ignore_search_path",
		"postgresql_tablespace", "postgresql_partition_by", "postgresql_with_oids",
		"postgresql_on_commit", "postgresql_inherits", NULL
	};
	if (rc == RT_OK)
		ignore_with_warning(r, a, no_ddl, "drop_table");
	if (rc == RT_OK)
		rc = check_args(r, a, 2, "drop_table");
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, if_exists ? "DROP TABLE IF EXISTS " : "DROP TABLE ");
	tr_qualified(&b, schema, table);
	tr_emit(r, &b, call->off);
	rt_buf_release(&b);
	return RT_OK;
}

static int op_rename_table(tr_run *r, op_call *call)
{
	tr_args *a = call->a;
	const char *old, *new_name, *schema;
	int rc = tr_get_str(r, tr_arg(a, 0, "old_table_name"), "the table name", &old);
	if (rc == RT_OK)
		rc = tr_get_str(r, tr_arg(a, 1, "new_table_name"), "the new table name", &new_name);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, 2, "schema"), "schema", &schema);
	if (rc == RT_OK)
		rc = check_args(r, a, 3, "rename_table");
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	alter_table(&b, schema, old);
	rt_buf_puts(&b, "RENAME TO ");
	rt_ident_append(&b, new_name);
	tr_emit(r, &b, call->off);
	rt_buf_release(&b);
	return RT_OK;
}

typedef enum comment_op { COMMENT_CREATE, COMMENT_DROP } comment_op;

/* op.create_table_comment / op.drop_table_comment (COMMENT ... IS NULL). */
static int table_comment_op(tr_run *r, op_call *call, comment_op which)
{
	tr_table *batch = call->batch;
	tr_args *a = call->a;
	bool drop = which == COMMENT_DROP;
	const char *table, *schema, *comment = NULL;
	size_t s = batch ? 1 : 0;
	int rc = table_args(r, batch, a, 0, drop ? 2 : 3, &table, &schema);
	if (rc == RT_OK && !drop) {
		const tr_val *cv = tr_arg(a, 1 - s, "comment");
		rc = cv ? tr_get_opt_str(r, cv, "comment", &comment) : tr_get_str(r, NULL, "the "
		          "comment", &comment);
	}
	static const char *const ignore[] = { "existing_comment", NULL };
	tr_args_ignore(a, ignore);
	if (rc == RT_OK)
		rc = check_args(r, a, drop ? (batch ? 1 : 3) : (batch ? 2 : 4),
		                drop ? "drop_table_comment" : "create_table_comment");
	if (rc < 0)
		return rc;
	table_comment(r, schema, table, comment, call->off);
	return RT_OK;
}

static int op_create_table_comment(tr_run *r, op_call *call)
{
	return table_comment_op(r, call, COMMENT_CREATE);
}

static int op_drop_table_comment(tr_run *r, op_call *call)
{
	return table_comment_op(r, call, COMMENT_DROP);
}

/* ---- constraints ---- */

/* The constraint_name argument (required, may be None) named as SQLAlchemy
 * names a constraint of convention key described by f. */
static int constraint_name(tr_run *r, tr_args *a, const char *key, tr_name_facts *f,
                           const char **name)
{
	const tr_val *v = tr_arg(a, 0, "constraint_name");
	if (!v)
		return tr_get_str(r, NULL, "the constraint name", name);
	return tr_object_name(r, key, v, f, v->off, v->len, name);
}

static void add_named(rt_buf *b, const char *schema, const char *table, const char *name)
{
	alter_table(b, schema, table);
	rt_buf_puts(b, "ADD ");
	tr_constraint_name(b, name);
}

/* PRIMARY KEY or UNIQUE; Alembic's create_primary_key takes no **kw, so no
 * deferrable=/initially= either. */
typedef struct key_kind {
	const char *sql, *op, *conv;
	bool deferrable;
} key_kind;

static const key_kind primary_key = { "PRIMARY KEY", "create_primary_key", "pk", false };
static const key_kind unique_key = { "UNIQUE", "create_unique_constraint", "uq", true };

/* ADD [CONSTRAINT name ]<key> (columns) */
static int key_constraint(tr_run *r, op_call *call, const key_kind *key)
{
	tr_table *batch = call->batch;
	tr_args *a = call->a;
	const char *name, *table, *schema;
	rt_strv cols = { 0 };
	size_t s = batch ? 1 : 0;
	int rc = table_args(r, batch, a, 1, 3, &table, &schema);
	if (rc == RT_OK)
		rc = tr_get_names(r, tr_arg(a, 2 - s, "columns"), "the columns", &cols);
	tr_name_facts f = { .table = table, .schema = schema, .cols = (const char *const *)cols.v,
		                .ncols = cols.n };
	if (rc == RT_OK)
		rc = constraint_name(r, a, key->conv, &f, &name);
	const char *nulls = NULL;
	if (rc == RT_OK && key == &unique_key)
		rc = nulls_distinct(r, tr_arg(a, SIZE_MAX, "postgresql_nulls_not_distinct"), &nulls);
	rt_buf b = RT_BUF_INIT;
	if (rc == RT_OK) {
		add_named(&b, schema, table, name);
		rt_buf_printf(&b, "%s %s%s(", key->sql, nulls ? nulls : "", nulls ? " " : "");
		tr_name_list(&b, &cols);
		rt_buf_putc(&b, ')');
		if (key->deferrable)
			rc = tr_constraint_tail(r, &b, a);
	}
	if (rc == RT_OK)
		rc = check_args(r, a, batch ? 2 : 4, key->op);
	if (rc == RT_OK)
		tr_emit(r, &b, call->off);
	rt_buf_release(&b);
	return rc;
}

static int op_create_primary_key(tr_run *r, op_call *call)
{
	return key_constraint(r, call, &primary_key);
}

static int op_create_unique_constraint(tr_run *r, op_call *call)
{
	return key_constraint(r, call, &unique_key);
}

static int op_check_constraint(tr_run *r, op_call *call)
{
	tr_table *batch = call->batch;
	tr_args *a = call->a;
	const char *name, *table, *schema;
	size_t s = batch ? 1 : 0;
	int rc = table_args(r, batch, a, 1, 3, &table, &schema);
	tr_val *cond = tr_arg(a, 2 - s, "condition");
	tr_val *name_v = tr_arg(a, 0, "constraint_name");
	if (rc == RT_OK && !name_v)
		rc = tr_get_str(r, NULL, "the constraint name", &name);
	if (rc == RT_OK && !cond)
		rc = tr_get_str(r, NULL, "the check condition", &table);
	if (rc < 0)
		return rc;
	/* the same rendering as an sa.CheckConstraint(condition, name=...) on the
	 * table, which names it; ALTER TABLE ... ADD before it */
	r->naming_table = table;
	r->naming_schema = schema;
	tr_val ck = { .kind = V_OBJ, .name = "sa.CheckConstraint", .off = cond->off,
		          .len = cond->len };
	tr_val *pos[2] = { cond, name_v };
	ck.args.pos = pos;
	ck.args.npos = 2;
	ck.args.kwn = a->kwn;
	ck.args.kwv = a->kwv;
	ck.args.used = a->used;
	ck.args.nkw = a->nkw;
	rt_buf b = RT_BUF_INIT;
	alter_table(&b, schema, table);
	rt_buf_puts(&b, "ADD ");
	rc = tr_render_check(r, &b, &ck);
	if (rc == RT_OK)
		rc = check_args(r, a, batch ? 2 : 4, "create_check_constraint");
	if (rc == RT_OK)
		tr_emit(r, &b, call->off);
	rt_buf_release(&b);
	return rc;
}

static int op_foreign_key(tr_run *r, op_call *call)
{
	tr_table *batch = call->batch;
	tr_args *a = call->a;
	const char *name, *source, *referent, *sschema = NULL, *rschema = NULL;
	rt_strv local = { 0 }, remote = { 0 };
	size_t s = batch ? 1 : 0;
	int rc = RT_OK;
	if (batch) {
		source = batch->name;
		sschema = batch->schema;
	} else if (rc == RT_OK) {
		rc = tr_get_str(r, tr_arg(a, 1, "source_table"), "the source table", &source);
		if (rc == RT_OK)
			rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "source_schema"), "source_schema",
			                    &sschema);
	}
	if (rc == RT_OK)
		rc = tr_get_str(r, tr_arg(a, 2 - s, "referent_table"), "the referenced table",
		                &referent);
	if (rc == RT_OK)
		rc = tr_get_names(r, tr_arg(a, 3 - s, "local_cols"), "the local columns", &local);
	if (rc == RT_OK)
		rc = tr_get_names(r, tr_arg(a, 4 - s, "remote_cols"), "the remote columns", &remote);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "referent_schema"), "referent_schema",
		                    &rschema);
	/* Alembic builds the referent table first, so every token resolves */
	tr_name_facts f = { .table = source, .schema = sschema,
		                .cols = (const char *const *)local.v, .ncols = local.n,
		                .foreign_key = true, .referred_table = referent,
		                .referred_cols = (const char *const *)remote.v };
	if (rc == RT_OK && remote.n < local.n)
		f.referred_cols = NULL;
	if (rc == RT_OK)
		rc = constraint_name(r, a, "fk", &f, &name);
	rt_buf b = RT_BUF_INIT;
	if (rc == RT_OK) {
		alter_table(&b, sschema, source);
		rt_buf_puts(&b, "ADD ");
		rc = tr_render_fk(r, &b, name, &local, rschema, referent, &remote, a, r->cur_off,
		                  r->cur_len);
	}
	if (rc == RT_OK)
		rc = check_args(r, a, 5 - s, "create_foreign_key");
	if (rc == RT_OK)
		tr_emit(r, &b, call->off);
	rt_buf_release(&b);
	return rc;
}

static int op_drop_constraint(tr_run *r, op_call *call)
{
	tr_table *batch = call->batch;
	tr_args *a = call->a;
	const char *name, *table, *schema, *type = NULL;
	bool if_exists = false;
	size_t s = batch ? 1 : 0;
	int rc = table_args(r, batch, a, 1, 3, &table, &schema);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, 2 - s, "type_"), "type_", &type);
	/* Alembic's generic_constraint: a constraint of type_'s class without
	 * columns on the table, named by the convention of its kind */
	static const char *const kinds[][2] = { { "foreignkey", "fk" }, { "primary", "pk" },
		                                    { "unique", "uq" }, { "check", "ck" } };
	const char *key = "";
	for (size_t i = 0; type && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(type, kinds[i][0]) == 0)
			key = kinds[i][1];
	tr_name_facts f = { .table = table, .schema = schema, .foreign_key = key[0] == 'f' };
	const tr_val *name_v = tr_arg(a, 0, "constraint_name");
	if (rc == RT_OK && !name_v)
		rc = tr_get_str(r, NULL, "the constraint name", &name);
	if (rc == RT_OK)
		rc = tr_object_name(r, key, name_v, &f, name_v->off, name_v->len, &name);
	if (rc == RT_OK && !name)
		return tr_refuse(r, r->cur_off, r->cur_len, "can't emit DROP CONSTRAINT for a "
		                 "constraint that has no name");
	if (rc == RT_OK)
		rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "if_exists"), "if_exists", &if_exists);
	if (rc == RT_OK)
		rc = check_args(r, a, batch ? 2 : 4, "drop_constraint");
	if (rc < 0)
		return rc;
	return alter_drop(r, schema, table, "CONSTRAINT", if_exists ? DROP_IF_EXISTS : 0, name,
	                  call->off);
}

/* ---- data ---- */

static int op_bulk_insert(tr_run *r, op_call *call)
{
	tr_args *a = call->a;
	tr_val *table = tr_arg(a, 0, "table");
	tr_val *rows = tr_arg(a, 1, "rows");
	bool multi = true;
	int rc = tr_get_bool(r, tr_arg(a, 2, "multiinsert"), "multiinsert", &multi);
	if (rc == RT_OK)
		rc = check_args(r, a, 3, "bulk_insert");
	if (rc < 0)
		return rc;
	if (!table || table->kind != V_TABLE)
		return tr_refuse(r, table ? table->off : r->cur_off, table ? table->len : r->cur_len,
		                 "'bulk_insert' needs a table from sa.table(), sa.Table() or "
		                 "op.create_table()");
	if (!rows || rows->kind != V_LIST)
		return tr_refuse(r, rows ? rows->off : r->cur_off, rows ? rows->len : r->cur_len,
		                 "'bulk_insert' rows must be a literal list of dicts");
	tr_table *t = table->table;
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < rows->n && rc == RT_OK; i++) {
		const tr_val *row = rows->items[i];
		if (row->kind != V_DICT) {
			rc = tr_refuse(r, row->off, row->len, "'bulk_insert' row that is not a dict");
			break;
		}
		rt_buf_puts(&b, "INSERT INTO ");
		tr_qualified(&b, t->schema, t->name);
		if (row->n == 0)
			rt_buf_puts(&b, " DEFAULT VALUES");
		rt_buf vals = RT_BUF_INIT;
		for (size_t k = 0; k < row->n && rc == RT_OK; k++) {
			const tr_val *key = row->items[2 * k], *v = row->items[2 * k + 1];
			const char *col;
			rc = tr_get_str(r, key, "a column name", &col);
			bool known = false;
			for (size_t c = 0; rc == RT_OK && c < t->ncols; c++)
				known |= strcmp(t->cols[c]->name, col) == 0;
			if (rc == RT_OK && !known)
				rc = tr_refuse(r, key->off, key->len, "'%s' is not a column of table '%s'",
				               col, t->name);
			if (rc == RT_OK && (v->kind > V_STR || (v->kind == V_STR &&
			                                        strlen(v->s) != v->slen)))
				rc = tr_refuse(r, v->off, v->len, "'bulk_insert' value that is not a "
				               "literal (None, bool, number or string)");
			if (rc < 0)
				break;
			rt_buf_puts(&b, k ? ", " : " (");
			rt_ident_append(&b, col);
			rt_buf_puts(&vals, k ? ", " : "(");
			tr_render_literal(&vals, v);
		}
		if (rc == RT_OK && row->n) {
			rt_buf_puts(&b, ") VALUES ");
			rt_buf_add(&b, vals.ptr, vals.len);
			rt_buf_putc(&b, ')');
		}
		rt_buf_release(&vals);
		if (rc == RT_OK)
			tr_emit(r, &b, row->off ? row->off : call->off);
	}
	rt_buf_release(&b);
	return rc;
}

/* ---- enums ---- */

int tr_enum_method(tr_run *r, tr_val *en, const char *method, tr_args *a,
                   const py_expr *call)
{
	bool create = strcmp(method, "create") == 0;
	bool generic = strcmp(en->name, "sa.Enum") == 0;
	const tr_val *bind = tr_arg(a, 0, "bind");
	/* sa.Enum's checkfirst defaults to False, postgresql.ENUM's to True */
	bool checkfirst = !generic;
	r->cur_off = call->off;
	r->cur_len = call->len;
	int rc = tr_get_bool(r, tr_arg(a, 1, "checkfirst"), "checkfirst", &checkfirst);
	if (rc == RT_OK && (!bind || bind->kind != V_BIND))
		rc = tr_refuse(r, call->off, call->len, "'%s.%s()' needs op.get_bind()",
		               en->written, method);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, 2, method, call->off, call->len);
	const char *name, *schema;
	rt_strv values = { 0 };
	bool native;
	if (rc == RT_OK)
		rc = tr_enum_info(r, en, &name, &schema, &values, &native);
	if (rc < 0)
		return rc;
	if (!native)
		return RT_OK; /* a VARCHAR enum has no type to create */
	if (!name)
		return tr_refuse(r, en->off, en->len, "PostgreSQL ENUM type requires a name");
	rt_buf b = RT_BUF_INIT;
	if (!create) {
		rt_buf_puts(&b, checkfirst ? "DROP TYPE IF EXISTS " : "DROP TYPE ");
		tr_qualified(&b, schema, name);
		tr_emit(r, &b, call->off);
		rt_buf_release(&b);
		return RT_OK;
	}
	if ((rc = tr_render_enum_create(r, &b, en)) < 0) {
		rt_buf_release(&b);
		return rc;
	}
	if (checkfirst) {
		/* SQLAlchemy queries the catalog first (has_type) and creates only
		 * when missing; one DO block does the same atomically */
		if (strstr(b.ptr, "$retort$")) {
			rt_buf_release(&b);
			return tr_refuse(r, en->off, en->len, "enum text contains '$retort$'");
		}
		rt_buf g = RT_BUF_INIT;
		rt_buf_puts(&g, "DO $retort$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t");
		if (schema) {
			rt_buf_puts(&g, " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
			            "WHERE t.typname = ");
			rt_ident_append_literal(&g, name);
			rt_buf_puts(&g, " AND n.nspname = ");
			rt_ident_append_literal(&g, schema);
		} else {
			rt_buf_puts(&g, " WHERE t.typname = ");
			rt_ident_append_literal(&g, name);
			rt_buf_puts(&g, " AND pg_catalog.pg_type_is_visible(t.oid)");
		}
		rt_buf_printf(&g, ") THEN %s; END IF; END $retort$", b.ptr);
		tr_emit(r, &g, call->off);
		rt_buf_release(&g);
	} else {
		tr_emit(r, &b, call->off);
	}
	rt_buf_release(&b);
	return RT_OK;
}

/* ---- dispatch ---- */

static int op_execute(tr_run *r, op_call *call)
{
	return execute_sql(r, call->a, EXEC_OP);
}

static int op_conn_execute(tr_run *r, op_call *call)
{
	return execute_sql(r, call->a, EXEC_CONN);
}

static int op_exec_driver_sql(tr_run *r, op_call *call)
{
	return execute_sql(r, call->a, EXEC_DRIVER_SQL);
}

/* op.f(name): the name itself (a conv is rendered as written). */
static int op_f(tr_run *r, op_call *call)
{
	const char *s;
	const tr_val *name = tr_arg(call->a, 0, "name");
	int rc = tr_get_str(r, name, "the name", &s);
	if (rc == RT_OK)
		rc = check_args(r, call->a, 1, "f");
	if (rc == RT_OK) {
		/* a conv: a copy, so that the argument's own value stays a plain str */
		tr_val *v = tr_new(r, V_STR, 0, 0);
		*v = *name;
		v->conv = true;
		call->result = v;
	}
	return rc;
}

static int op_inline_literal(tr_run *r, op_call *call)
{
	tr_val *v = tr_arg(call->a, 0, "value");
	tr_arg(call->a, 1, "type_");
	const char *missing;
	int rc = v ? check_args(r, call->a, 2, "inline_literal")
	           : tr_get_str(r, NULL, "the value", &missing);
	if (rc == RT_OK)
		call->result = v;
	return rc;
}

/* The context manager of a `with` block; exec.c opens it. */
static int op_batch_alter_table(tr_run *r, op_call *call)
{
	tr_val *v = tr_new(r, V_OBJ, r->cur_off, r->cur_len);
	v->name = "op.batch_alter_table";
	v->written = "op.batch_alter_table";
	v->args = *call->a;
	call->result = v;
	return RT_OK;
}

/* Where an op may be called. */
enum {
	OP_IN_BODY = 1u << 0,  /* op.X() in upgrade()/downgrade() and the helpers they call */
	OP_IN_BATCH = 1u << 1, /* batch_op.X() inside `with op.batch_alter_table(...)` */
};

/* Operations of Alembic extensions (extops.c). */
static int op_sync_enum_values(tr_run *r, op_call *call)
{
	return tr_op_sync_enum_values(r, call->a, call->off);
}

static int op_create_entity(tr_run *r, op_call *call)
{
	return tr_op_create_entity(r, call->a, call->off);
}

static int op_drop_entity(tr_run *r, op_call *call)
{
	return tr_op_drop_entity(r, call->a, call->off);
}

static int op_replace_entity(tr_run *r, op_call *call)
{
	return tr_op_replace_entity(r, call->a, call->off);
}

static const struct op_def {
	const char *name;
	int (*handler)(tr_run *r, op_call *call);
	unsigned where;
} op_defs[] = {
	{ "f", op_f, OP_IN_BODY | OP_IN_BATCH },
	{ "inline_literal", op_inline_literal, OP_IN_BODY | OP_IN_BATCH },
	{ "batch_alter_table", op_batch_alter_table, OP_IN_BODY },
	{ "execute", op_execute, OP_IN_BODY | OP_IN_BATCH },
	/* conn.execute() / conn.exec_driver_sql() of op.get_bind() (eval.c) */
	{ "bind.execute", op_conn_execute, OP_IN_BODY | OP_IN_BATCH },
	{ "exec_driver_sql", op_exec_driver_sql, OP_IN_BODY | OP_IN_BATCH },
	{ "create_table", op_create_table, OP_IN_BODY },
	{ "drop_table", op_drop_table, OP_IN_BODY },
	{ "rename_table", op_rename_table, OP_IN_BODY },
	{ "bulk_insert", op_bulk_insert, OP_IN_BODY },
	{ "add_column", op_add_column, OP_IN_BODY | OP_IN_BATCH },
	{ "drop_column", op_drop_column, OP_IN_BODY | OP_IN_BATCH },
	{ "alter_column", op_alter_column, OP_IN_BODY | OP_IN_BATCH },
	{ "create_index", op_create_index, OP_IN_BODY | OP_IN_BATCH },
	{ "drop_index", op_drop_index, OP_IN_BODY | OP_IN_BATCH },
	{ "create_unique_constraint", op_create_unique_constraint, OP_IN_BODY | OP_IN_BATCH },
	{ "create_primary_key", op_create_primary_key, OP_IN_BODY | OP_IN_BATCH },
	{ "create_check_constraint", op_check_constraint, OP_IN_BODY | OP_IN_BATCH },
	{ "create_foreign_key", op_foreign_key, OP_IN_BODY | OP_IN_BATCH },
	{ "drop_constraint", op_drop_constraint, OP_IN_BODY | OP_IN_BATCH },
	{ "create_table_comment", op_create_table_comment, OP_IN_BODY | OP_IN_BATCH },
	{ "drop_table_comment", op_drop_table_comment, OP_IN_BODY | OP_IN_BATCH },
	{ "sync_enum_values", op_sync_enum_values, OP_IN_BODY },
	{ "create_entity", op_create_entity, OP_IN_BODY },
	{ "drop_entity", op_drop_entity, OP_IN_BODY },
	{ "replace_entity", op_replace_entity, OP_IN_BODY },
};

int tr_op_call(tr_run *r, const char *op, tr_table *batch, tr_args *a, const py_expr *call,
               tr_val **out)
{
	unsigned where = batch ? OP_IN_BATCH : OP_IN_BODY;
	const struct op_def *def = NULL;
	for (size_t i = 0; i < sizeof(op_defs) / sizeof(op_defs[0]) && !def; i++)
		if (strcmp(op_defs[i].name, op) == 0 && (op_defs[i].where & where))
			def = &op_defs[i];
	r->cur_off = call->off;
	r->cur_len = call->len;
	*out = NULL;
	if (!def)
		return tr_refuse(r, call->off, call->len, "'%s%s' is not supported",
		                 batch ? "batch_op." : "op.", op);
	op_call oc = { .batch = batch, .a = a, .off = call->off };
	bool saved = r->queueing;
	r->queueing = batch != NULL; /* batch_op statements wait for the block's end */
	int rc = def->handler(r, &oc);
	r->queueing = saved;
	if (rc == RT_OK)
		*out = oc.result ? oc.result : tr_new(r, V_NONE, call->off, call->len);
	return rc;
}
