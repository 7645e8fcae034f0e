/*
 * What a session is doing, as the server's views say: the relation locks it
 * holds (pg_locks), for `retort lint --trace`, and the progress of its
 * running command (pg_stat_progress_*), for the live display of long steps.
 */
#include <stdio.h>
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
		rt_buf_puts(&q, " UNION ALL SELECT 'N', coalesce(pg_catalog.to_regclass(");
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

/* Both views, one row at most: a session runs one command at a time. */
static const char progress_sql[] =
	"SELECT command, phase, blocks_done, blocks_total, tuples_done, tuples_total "
	"FROM pg_catalog.pg_stat_progress_create_index WHERE pid = $1 "
	"UNION ALL SELECT command, phase, heap_blks_scanned, heap_blks_total, heap_tuples_written, "
	"NULL FROM pg_catalog.pg_stat_progress_cluster WHERE pid = $1 LIMIT 1";

static long long count_of(const rt_db_result *res, size_t col)
{
	const char *v = rt_db_value(res, 0, col);
	return v ? strtoll(v, NULL, 10) : -1;
}

int rt_db_read_progress(rt_db *db, rt_arena *arena, int pid, rt_db_progress *out,
                        rt_error *err)
{
	*out = (rt_db_progress){ .blocks_done = -1, .blocks_total = -1, .tuples_done = -1,
	                         .tuples_total = -1 };
	char pidtext[16];
	snprintf(pidtext, sizeof pidtext, "%d", pid);
	const char *params[] = { pidtext };
	rt_db_result res;
	int rc = db_query(db, arena, progress_sql, 1, params, &res, err);
	if (rc < 0 || res.nrows == 0)
		return rc;
	out->command = rt_db_value(&res, 0, 0);
	out->phase = rt_db_value(&res, 0, 1);
	out->blocks_done = count_of(&res, 2);
	out->blocks_total = count_of(&res, 3);
	out->tuples_done = count_of(&res, 4);
	out->tuples_total = count_of(&res, 5);
	return RT_OK;
}
