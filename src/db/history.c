/*
 * retort_history: one row per step, stamp and repair, written in the step's
 * own transaction, and read back for drift detection. Alembic never reads it;
 * a database Alembic migrated has none, which is "no checksum yet", not an error.
 */
#include <string.h>

#include "retort/ident.h"
#include "db_int.h"

#define DEFAULT_NAME "retort_history"

const char *db_history_name(const rt_history *h)
{
	return h->name ? h->name : DEFAULT_NAME;
}

void rt_history_render_create(rt_buf *b, const rt_history *h)
{
	rt_buf_puts(b, "CREATE TABLE IF NOT EXISTS ");
	rt_ident_append_qualified(b, h->schema, db_history_name(h));
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

/* The INSERT with parameters $1..$6 (see rt_history_insert_stmt). */
static void render_insert(rt_buf *sql, const rt_history *h, bool add_tx_time)
{
	rt_buf_puts(sql, "INSERT INTO ");
	rt_ident_append_qualified(sql, h->schema, db_history_name(h));
	/* The row is written when the step ends, so the server's clock minus the
	 * duration is when it started, also in one-transaction runs where now()
	 * would be the same for every step. */
	rt_buf_puts(sql, " (revision, direction, checksum, message, started_at, duration_ms, "
	                 "retort_version) ");
	if (!add_tx_time) {
		rt_buf_puts(sql, "VALUES ($1, $2, $3, $4, clock_timestamp() - $5::bigint * "
		                 "interval '1 millisecond', $5::bigint, $6)");
		return;
	}
	/* sent with the step's statements: the server measures their time */
	rt_buf_puts(sql, "SELECT $1, $2, $3, $4, clock_timestamp() - d * interval '1 millisecond', "
	                 "d, $6 FROM (SELECT greatest(0, $5::bigint + floor(1000 * "
	                 "extract(epoch FROM clock_timestamp() - now())))::bigint AS d) AS s");
}

static const char **insert_params(rt_arena *arena, const rt_history_row *row)
{
	const char **p = rt_alloc_array(arena, 6, sizeof(*p));
	p[0] = row->revision;
	p[1] = row->direction;
	p[2] = row->checksum;
	p[3] = row->message;
	p[4] = rt_sprintf(arena, "%lld", (long long)row->duration_ms);
	p[5] = RT_VERSION;
	return p;
}

void rt_history_insert_stmt(rt_db_stmt *out, rt_arena *arena, const rt_history *h,
                            const rt_history_row *row)
{
	rt_buf sql = RT_BUF_INIT;
	render_insert(&sql, h, row->add_tx_time);
	*out = (rt_db_stmt){
		.sql = rt_strdup(arena, sql.ptr),
		.nparams = 6,
		.params = insert_params(arena, row),
	};
	rt_buf_release(&sql);
}

int rt_history_insert(rt_db *db, const rt_history *h, const rt_history_row *row,
                      rt_error *err)
{
	rt_arena *a = rt_arena_new();
	rt_db_stmt st;
	rt_history_insert_stmt(&st, a, h, row);
	int rc = db_query(db, NULL, st.sql, st.nparams, st.params, NULL, err);
	rt_arena_free(a);
	return rc;
}

void db_render_history_select(rt_buf *b, const rt_history *h)
{
	/* The latest row that applied each revision; a downgrade row only means it
	 * is no longer applied, which the version table already says. */
	rt_buf_puts(b, "SELECT DISTINCT ON (revision) revision, checksum FROM ");
	rt_ident_append_qualified(b, h->schema, db_history_name(h));
	rt_buf_puts(b, " WHERE direction <> 'downgrade' ORDER BY revision, id DESC");
}

int rt_history_checksums(rt_db *db, rt_arena *arena, const rt_history *h,
                         rt_history_sums *out, rt_error *err)
{
	memset(out, 0, sizeof(*out));
	int rc = db_table_exists(db, h->schema, db_history_name(h), &out->table_exists, err);
	if (rc < 0 || !out->table_exists)
		return rc;
	rt_buf sql = RT_BUF_INIT;
	db_render_history_select(&sql, h);
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
