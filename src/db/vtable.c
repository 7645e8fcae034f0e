/*
 * The alembic_version table, byte for byte as Alembic 1.8 / SQLAlchemy 1.4
 * write it (reference/alembic.md section 1): DDL, existence check, reading
 * the rows, and the literal row statements, rendered for --sql or executed
 * with Alembic's "exactly one row" guard on UPDATE and DELETE.
 */
#include "retort/ident.h"
#include "db_int.h"

#define DEFAULT_NAME "alembic_version"

const char *db_vtable_name(const rt_vtable *vt)
{
	return vt->name ? vt->name : DEFAULT_NAME;
}

static void put_table(rt_buf *b, const rt_vtable *vt)
{
	rt_ident_append_qualified(b, vt->schema, db_vtable_name(vt));
}

/* The column as SQLAlchemy qualifies it: <table>.version_num. */
static void put_column(rt_buf *b, const rt_vtable *vt)
{
	put_table(b, vt);
	rt_buf_puts(b, ".version_num");
}

void rt_vtable_render_create(rt_buf *b, const rt_vtable *vt)
{
	rt_buf_puts(b, "CREATE TABLE ");
	put_table(b, vt);
	if (vt->no_pk) {
		rt_buf_puts(b, " (\n    version_num VARCHAR(32) NOT NULL\n)");
		return;
	}
	/* SQLAlchemy leaves a space after the comma that ends a column line. */
	rt_buf_puts(b, " (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT ");
	rt_buf pkc = RT_BUF_INIT; /* quoted as a whole: "MyVersions_pkc" */
	rt_buf_printf(&pkc, "%s_pkc", db_vtable_name(vt));
	rt_ident_append(b, pkc.ptr);
	rt_buf_release(&pkc);
	rt_buf_puts(b, " PRIMARY KEY (version_num)\n)");
}

void rt_vtable_render_insert(rt_buf *b, const rt_vtable *vt, const char *rev)
{
	rt_buf_puts(b, "INSERT INTO ");
	put_table(b, vt);
	rt_buf_puts(b, " (version_num) VALUES (");
	rt_ident_append_literal(b, rev);
	rt_buf_putc(b, ')');
	/* SQLAlchemy's implicit RETURNING of a primary key; absent without one. */
	if (!vt->no_pk) {
		rt_buf_puts(b, " RETURNING ");
		put_column(b, vt);
	}
}

void rt_vtable_render_update(rt_buf *b, const rt_vtable *vt, const char *from, const char *to)
{
	rt_buf_puts(b, "UPDATE ");
	put_table(b, vt);
	rt_buf_puts(b, " SET version_num=");
	rt_ident_append_literal(b, to);
	rt_buf_puts(b, " WHERE ");
	put_column(b, vt);
	rt_buf_puts(b, " = ");
	rt_ident_append_literal(b, from);
}

void rt_vtable_render_delete(rt_buf *b, const rt_vtable *vt, const char *rev)
{
	rt_vtable_render_delete_all(b, vt);
	rt_buf_puts(b, " WHERE ");
	put_column(b, vt);
	rt_buf_puts(b, " = ");
	rt_ident_append_literal(b, rev);
}

void rt_vtable_render_delete_all(rt_buf *b, const rt_vtable *vt)
{
	rt_buf_puts(b, "DELETE FROM ");
	put_table(b, vt);
}

int db_table_exists(rt_db *db, const char *schema, const char *name, bool *exists,
                    rt_error *err)
{
	/* SQLAlchemy 1.4's has_table, which Alembic 1.8 was verified with: no relkind
	 * filter; without a schema, "exists" means visible through search_path. */
	static const char visible[] =
		"SELECT c.relname FROM pg_catalog.pg_class c "
		"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
		"WHERE pg_catalog.pg_table_is_visible(c.oid) AND c.relname = $1";
	static const char in_schema[] =
		"SELECT c.relname FROM pg_catalog.pg_class c "
		"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
		"WHERE n.nspname = $2 AND c.relname = $1";
	const char *params[] = { name, schema };
	rt_db_result res;
	int rc = db_query(db, NULL, schema ? in_schema : visible, schema ? 2 : 1, params, &res, err);
	if (rc == RT_OK)
		*exists = res.affected > 0;
	return rc;
}

int rt_vtable_exists(rt_db *db, const rt_vtable *vt, bool *exists, rt_error *err)
{
	return db_table_exists(db, vt->schema, db_vtable_name(vt), exists, err);
}

void db_render_exists(rt_buf *b, const char *schema, const char *name)
{
	/* the same tests as db_table_exists, with literals */
	rt_buf_puts(b, "EXISTS (SELECT FROM pg_catalog.pg_class c "
	               "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ");
	if (schema) {
		rt_buf_puts(b, "n.nspname = ");
		rt_ident_append_literal(b, schema);
	} else {
		rt_buf_puts(b, "pg_catalog.pg_table_is_visible(c.oid)");
	}
	rt_buf_puts(b, " AND c.relname = ");
	rt_ident_append_literal(b, name);
	rt_buf_putc(b, ')');
}

void db_render_vtable_select(rt_buf *b, const rt_vtable *vt)
{
	rt_buf_puts(b, "SELECT ");
	put_column(b, vt);
	rt_buf_puts(b, " FROM ");
	put_table(b, vt);
}

int rt_vtable_read(rt_db *db, rt_arena *arena, const rt_vtable *vt, rt_strv *rows,
                   rt_error *err)
{
	bool exists = false;
	int rc = rt_vtable_exists(db, vt, &exists, err);
	if (rc < 0 || !exists)
		return rc;
	rt_buf sql = RT_BUF_INIT;
	db_render_vtable_select(&sql, vt);
	rt_db_result res;
	rc = rt_db_exec(db, arena, sql.ptr, &res, err);
	rt_buf_release(&sql);
	for (size_t i = 0; rc == RT_OK && i < res.nrows; i++)
		rt_strv_push(arena, rows, rt_db_value(&res, i, 0));
	return rc;
}

/* Runs a rendered statement; *affected gets its row count. */
static int run(rt_db *db, rt_buf *sql, uint64_t *affected, rt_error *err)
{
	rt_db_result res;
	int rc = rt_db_exec(db, NULL, sql->ptr, &res, err);
	rt_buf_release(sql);
	if (affected)
		*affected = res.affected;
	return rc;
}

int rt_vtable_create(rt_db *db, const rt_vtable *vt, rt_error *err)
{
	rt_buf sql = RT_BUF_INIT;
	rt_vtable_render_create(&sql, vt);
	return run(db, &sql, NULL, err);
}

int rt_vtable_insert(rt_db *db, const rt_vtable *vt, const char *rev, rt_error *err)
{
	rt_buf sql = RT_BUF_INIT;
	rt_vtable_render_insert(&sql, vt, rev);
	return run(db, &sql, NULL, err);
}

/* Alembic's guard, with the rows the table holds now so the user sees what
 * changed under the run. */
static int guard(rt_db *db, const rt_vtable *vt, uint64_t affected, const char *what,
                 rt_error *err)
{
	if (affected == 1)
		return RT_OK;
	rt_buf name = RT_BUF_INIT;
	if (vt->schema)
		rt_buf_printf(&name, "%s.", vt->schema);
	rt_buf_puts(&name, db_vtable_name(vt));
	rt_error_set(err, RT_EDRIFT, NULL, "expected to %s in '%s'; %llu found", what, name.ptr,
	             (unsigned long long)affected);
	rt_arena *a = rt_arena_new();
	rt_strv rows = { 0 };
	rt_error ignore = RT_ERROR_INIT;
	if (rt_vtable_read(db, a, vt, &rows, &ignore) == RT_OK) {
		rt_buf d = RT_BUF_INIT;
		rt_buf_puts(&d, rows.n ? "rows now:" : "the table is empty");
		for (size_t i = 0; i < rows.n; i++)
			rt_buf_printf(&d, "%s '%s'", i ? "," : "", rows.v[i]);
		rt_error_detail(err, "%s", d.ptr);
		rt_buf_release(&d);
	}
	rt_error_clear(&ignore);
	rt_arena_free(a);
	rt_error_hint(err, "another tool (Alembic, a manual edit) changed the version table during "
	                   "this run; the step is rolled back: compare 'retort current' with what "
	                   "you expect before running again");
	if (err)
		err->object = rt_xstrdup(name.ptr);
	rt_buf_release(&name);
	return RT_EDRIFT;
}

int rt_vtable_guard(rt_db *db, const rt_vtable *vt, const char *from, const char *to,
                    uint64_t affected, rt_error *err)
{
	if (affected == 1)
		return RT_OK;
	rt_buf what = RT_BUF_INIT;
	if (to)
		rt_buf_printf(&what, "update one row from '%s' to '%s'", from, to);
	else
		rt_buf_printf(&what, "delete one row '%s'", from);
	int rc = guard(db, vt, affected, what.ptr, err);
	rt_buf_release(&what);
	return rc;
}

int rt_vtable_update(rt_db *db, const rt_vtable *vt, const char *from, const char *to,
                     rt_error *err)
{
	rt_buf sql = RT_BUF_INIT;
	rt_vtable_render_update(&sql, vt, from, to);
	uint64_t n = 0;
	int rc = run(db, &sql, &n, err);
	return rc < 0 ? rc : rt_vtable_guard(db, vt, from, to, n, err);
}

int rt_vtable_delete(rt_db *db, const rt_vtable *vt, const char *rev, rt_error *err)
{
	rt_buf sql = RT_BUF_INIT;
	rt_vtable_render_delete(&sql, vt, rev);
	uint64_t n = 0;
	int rc = run(db, &sql, &n, err);
	return rc < 0 ? rc : rt_vtable_guard(db, vt, rev, NULL, n, err);
}

int rt_vtable_delete_all(rt_db *db, const rt_vtable *vt, rt_error *err)
{
	rt_buf sql = RT_BUF_INIT;
	rt_vtable_render_delete_all(&sql, vt);
	return run(db, &sql, NULL, err);
}
