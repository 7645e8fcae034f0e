/*
 * retort_history: one row per step, stamp and repair, written in the step's
 * own transaction, and read back for drift detection. Alembic never reads it;
 * a database Alembic migrated has none, which is "no checksum yet", not an error.
 */
#include <stdio.h>
#include <string.h>

#include "retort/ident.h"
#include "db_int.h"

#define DEFAULT_NAME "retort_history"

static const char *h_name(const rt_history *h)
{
	return h->name ? h->name : DEFAULT_NAME;
}

void rt_history_render_create(rt_buf *b, const rt_history *h)
{
	rt_buf_puts(b, "CREATE TABLE IF NOT EXISTS ");
	rt_ident_append_qualified(b, h->schema, h_name(h));
	rt_buf_puts(b,
		" (\n"
		"    id BIGSERIAL PRIMARY KEY,\n"
		"    revision VARCHAR(32) NOT NULL,\n"
		"    direction TEXT NOT NULL\n"
		"        CHECK (direction IN ('upgrade', 'downgrade', 'stamp', 'repair')),\n"
		"    checksum CHAR(64),\n"
		"    message TEXT,\n"
		"    started_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),\n"
		"    duration_ms BIGINT NOT NULL DEFAULT 0,\n"
		"    db_user TEXT NOT NULL DEFAULT CURRENT_USER,\n"
		"    client_host TEXT NOT NULL DEFAULT coalesce(host(inet_client_addr()), 'local'),\n"
		"    application_name TEXT NOT NULL DEFAULT current_setting('application_name'),\n"
		"    retort_version TEXT NOT NULL\n"
		")");
}

int rt_history_ensure(rt_db *db, const rt_history *h, rt_error *err)
{
	rt_buf sql = RT_BUF_INIT;
	rt_history_render_create(&sql, h);
	/* IF NOT EXISTS still sends a NOTICE when the table is there; nobody needs it. */
	rt_db_notice_fn saved = db->notice;
	db->notice = NULL;
	int rc = rt_db_exec(db, NULL, sql.ptr, NULL, err);
	db->notice = saved;
	rt_buf_release(&sql);
	return rc;
}

int rt_history_insert(rt_db *db, const rt_history *h, const rt_history_row *row,
                      rt_error *err)
{
	rt_buf sql = RT_BUF_INIT;
	rt_buf_puts(&sql, "INSERT INTO ");
	rt_ident_append_qualified(&sql, h->schema, h_name(h));
	/* The row is written when the step ends, so the server's clock minus the
	 * duration is when it started, also in one-transaction runs where now()
	 * would be the same for every step. */
	rt_buf_puts(&sql, " (revision, direction, checksum, message, started_at, duration_ms, "
	                  "retort_version) VALUES ($1, $2, $3, $4, "
	                  "clock_timestamp() - $5::bigint * interval '1 millisecond', $5::bigint, $6)");
	char ms[24];
	snprintf(ms, sizeof(ms), "%lld", (long long)row->duration_ms);
	const char *params[] = {
		row->revision, row->direction, row->checksum, row->message, ms, RT_VERSION,
	};
	int rc = db_query(db, NULL, sql.ptr, 6, params, NULL, err);
	rt_buf_release(&sql);
	return rc;
}

int rt_history_checksums(rt_db *db, rt_arena *arena, const rt_history *h,
                         rt_history_sums *out, rt_error *err)
{
	memset(out, 0, sizeof(*out));
	int rc = db_table_exists(db, h->schema, h_name(h), &out->table_exists, err);
	if (rc < 0 || !out->table_exists)
		return rc;
	/* The latest row that applied each revision; a downgrade row only means it
	 * is no longer applied, which the version table already says. */
	rt_buf sql = RT_BUF_INIT;
	rt_buf_puts(&sql, "SELECT DISTINCT ON (revision) revision, checksum FROM ");
	rt_ident_append_qualified(&sql, h->schema, h_name(h));
	rt_buf_puts(&sql, " WHERE direction <> 'downgrade' ORDER BY revision, id DESC");
	rt_db_result res;
	rc = rt_db_exec(db, arena, sql.ptr, &res, err);
	rt_buf_release(&sql);
	for (size_t i = 0; rc == RT_OK && i < res.nrows; i++) {
		rt_strv_push(arena, &out->revisions, rt_db_value(&res, i, 0));
		rt_strv_push(arena, &out->checksums, rt_db_value(&res, i, 1));
	}
	return rc;
}

bool rt_history_checksum_of(const rt_history_sums *sums, const char *rev,
                            const char **checksum)
{
	long i = rt_strv_index(&sums->revisions, rev);
	if (i < 0)
		return false;
	*checksum = sums->checksums.v[i];
	return true;
}
