/*
 * The relation locks this session holds (pg_locks), for `retort lint
 * --trace`: what the server actually took, to set beside the static lock
 * table of src/lint.
 */
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "retort/ident.h"

/* Relations users create: system schemas are left out (the catalogs a
 * statement reads or writes, pg_locks itself), as are locks of other
 * databases (shared catalogs). A relation dropped in this transaction has
 * no pg_class row any more: kept, nameless. */
static const char held_sql[] =
	"SELECT 'L', l.relation::oid::text, c.oid::regclass::text, c.relkind::text, l.mode "
	"FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_class c ON c.oid = l.relation "
	"LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"WHERE l.locktype = 'relation' AND l.pid = pg_catalog.pg_backend_pid() AND l.granted "
	"AND l.database = (SELECT oid FROM pg_catalog.pg_database "
	"WHERE datname = pg_catalog.current_database()) "
	"AND (n.nspname IS NULL OR (n.nspname NOT IN ('pg_catalog', 'information_schema') "
	"AND n.nspname NOT LIKE 'pg\\_toast%'))";

int rt_db_held_locks(rt_db *db, rt_arena *arena, const char *const *names, size_t nnames,
                     rt_db_held *out, rt_error *err)
{
	memset(out, 0, sizeof *out);
	/* each name "schema.rel" as written, quoted part by part for to_regclass */
	rt_buf q = RT_BUF_INIT;
	rt_buf_puts(&q, held_sql);
	for (size_t i = 0; i < nnames; i++) {
		rt_buf name = RT_BUF_INIT;
		const char *dot = strchr(names[i], '.');
		if (dot) {
			char *schema = rt_strndup(arena, names[i], (size_t)(dot - names[i]));
			rt_ident_append(&name, schema);
			rt_buf_putc(&name, '.');
		}
		rt_ident_append(&name, dot ? dot + 1 : names[i]);
		rt_buf_printf(&q, " UNION ALL SELECT 'N', coalesce(pg_catalog.to_regclass(");
		rt_ident_append_literal(&q, rt_buf_cstr(&name));
		rt_buf_printf(&q, ")::oid, 0)::text, '%zu', NULL, NULL", i);
		rt_buf_release(&name);
	}
	rt_db_result res;
	int rc = rt_db_exec(db, arena, rt_buf_cstr(&q), &res, err);
	rt_buf_release(&q);
	if (rc < 0)
		return rc;
	out->v = rt_alloc_array(arena, res.nrows ? res.nrows : 1, sizeof *out->v);
	out->oids = rt_alloc_array(arena, nnames ? nnames : 1, sizeof *out->oids);
	for (size_t r = 0; r < res.nrows; r++) {
		unsigned oid = (unsigned)strtoul(rt_db_value(&res, r, 1), NULL, 10);
		if (rt_db_value(&res, r, 0)[0] == 'N') {
			size_t i = strtoul(rt_db_value(&res, r, 2), NULL, 10);
			if (i < nnames)
				out->oids[i] = oid;
			continue;
		}
		const char *kind = rt_db_value(&res, r, 3);
		out->v[out->n++] = (rt_db_held_lock){
			.oid = oid,
			.relation = rt_db_value(&res, r, 2),
			.relkind = kind ? kind[0] : 0,
			.mode = rt_db_value(&res, r, 4),
		};
	}
	return RT_OK;
}
