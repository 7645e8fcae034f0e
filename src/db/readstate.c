/*
 * What a migration run reads before planning, in as few round trips as the
 * tables allow: their existence (asked with the connection's first query, or
 * in the same message), the version rows and the recorded checksums in one
 * simple-query message, optionally behind one attempt at the migration lock.
 * A table is read only when it is known to exist, so the server never logs
 * an error for a missing one.
 */
#include <string.h>

#include "db_int.h"

#define SQLSTATE_UNDEFINED_TABLE "42P01"

void db_render_probe(rt_buf *b, const rt_vtable *vt, const rt_history *h)
{
	rt_buf_puts(b, ", ");
	db_render_exists(b, vt->schema, db_vtable_name(vt));
	rt_buf_puts(b, ", ");
	db_render_exists(b, h->schema, db_history_name(h));
	rt_buf_puts(b, ", ");
	db_render_lock_key(b, vt->schema, db_vtable_name(vt));
}

/* Which statements one message holds, in this order. */
struct msg {
	bool check;  /* SELECT [try-lock,] version table exists, history exists */
	bool lock;
	bool rows;   /* the version rows */
	bool sums;   /* the checksums */
};

static int read_msg(rt_db *db, rt_arena *arena, const rt_vtable *vt, const rt_history *h,
                    const struct msg *m, rt_db_state *out, rt_error *err)
{
	if (!m->check && !m->rows && !m->sums)
		return RT_OK;
	rt_buf sql = RT_BUF_INIT;
	/* what is read after taking the lock must be read after it: one
	 * read-committed block, whatever default_transaction_isolation says (a
	 * repeatable-read snapshot would predate the lock); the lock is the
	 * session's, so it outlives the block */
	size_t first = m->lock ? 1 : 0;
	if (m->lock)
		rt_buf_puts(&sql, "BEGIN ISOLATION LEVEL READ COMMITTED;\n");
	if (m->check) {
		rt_buf_puts(&sql, "SELECT ");
		if (m->lock)
			rt_buf_printf(&sql, "pg_catalog.pg_try_advisory_lock(%lld), ",
			              (long long)db->lock_key);
		db_render_exists(&sql, vt->schema, db_vtable_name(vt));
		rt_buf_puts(&sql, ", ");
		db_render_exists(&sql, h->schema, db_history_name(h));
		rt_buf_puts(&sql, ";\n");
	}
	if (m->rows) {
		db_render_vtable_select(&sql, vt);
		rt_buf_puts(&sql, ";\n");
	}
	if (m->sums) {
		db_render_history_select(&sql, h);
		rt_buf_puts(&sql, ";\n");
	}
	if (m->lock)
		rt_buf_puts(&sql, "COMMIT;\n");
	rt_db_result res[5];
	size_t n = 2 * first + (size_t)m->check + (size_t)m->rows + (size_t)m->sums, done = 0,
	       k = first;
	int rc = db_exec_multi(db, arena, sql.ptr, res, n, &done, err);
	rt_buf_release(&sql);
	if (m->check && done > first) {
		/* also on a later failure: a lock taken is held */
		const rt_db_result *probe = &res[first];
		size_t c = 0;
		if (m->lock) {
			out->locked = strcmp(rt_db_value(probe, 0, c++), "t") == 0;
			db->locked = db->locked || out->locked;
		}
		db->vt_exists = strcmp(rt_db_value(probe, 0, c++), "t") == 0;
		db->hist_exists = strcmp(rt_db_value(probe, 0, c), "t") == 0;
		db->probed = true;
		k = first + 1;
	}
	if (rc < 0 && m->lock && !rt_db_lost(db)) {
		/* a failed statement skipped the COMMIT: end the block */
		rt_error ignored = RT_ERROR_INIT;
		rt_db_rollback(db, &ignored);
		rt_error_clear(&ignored);
	}
	if (rc < 0)
		return rc;
	if (m->rows) {
		for (size_t i = 0; i < res[k].nrows; i++)
			rt_strv_push(arena, &out->rows, rt_db_value(&res[k], i, 0));
		k++;
	}
	for (size_t i = 0; m->sums && i < res[k].nrows; i++) {
		rt_strv_push(arena, &out->sums.revisions, rt_db_value(&res[k], i, 0));
		rt_strv_push(arena, &out->sums.checksums, rt_db_value(&res[k], i, 1));
	}
	return RT_OK;
}

int rt_db_read_state(rt_db *db, rt_arena *arena, const rt_vtable *vt, const rt_history *h,
                     unsigned flags, rt_db_state *out, rt_error *err)
{
	bool try_lock = flags & RT_READ_STATE_TRY_LOCK;
	memset(out, 0, sizeof(*out));
	int rc;
	if (try_lock) {
		if (db->locked)
			return rt_error_set(err, RT_ERROR, NULL,
			                    "this session already holds the migration lock");
		if ((rc = db_lock_key(db, vt->schema, db_vtable_name(vt), &db->lock_key, err)) < 0)
			return rc;
	}
	/* right after connecting the probe's answer is fresh enough: a table
	 * created since only makes the caller take the lock and read again */
	struct msg m = {
		.check = try_lock || !db->probe_fresh,
		.lock = try_lock,
		.rows = db->probed && db->vt_exists,
		.sums = db->probed && db->hist_exists,
	};
	db->probe_fresh = false;
	rc = read_msg(db, arena, vt, h, &m, out, err);
	if (rc == RT_EDB && err && strcmp(err->sqlstate, SQLSTATE_UNDEFINED_TABLE) == 0 &&
	    (m.rows || m.sums)) {
		/* dropped since it was seen: look again (the lock, if taken, stays) */
		rt_error_clear(err);
		out->rows = (rt_strv){ 0 };
		out->sums = (rt_history_sums){ 0 };
		m = (struct msg){ .check = true };
		rc = read_msg(db, arena, vt, h, &m, out, err);
	}
	if (rc < 0 || (try_lock && !out->locked))
		return rc;
	/* a table that exists but was not read: created since it was last seen */
	struct msg more = {
		.rows = db->vt_exists && !m.rows,
		.sums = db->hist_exists && !m.sums,
	};
	if ((more.rows || more.sums) && (rc = read_msg(db, arena, vt, h, &more, out, err)) < 0)
		return rc;
	out->vtable_exists = db->vt_exists;
	out->sums.table_exists = db->hist_exists;
	return RT_OK;
}
