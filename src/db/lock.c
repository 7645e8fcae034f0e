/*
 * The migration lock: a session-level advisory lock on a key the server
 * derives from (database, version-table schema, version-table name), taken by
 * polling pg_try_advisory_lock so a waiter never sits in the server's lock
 * queue (a blocked waiter would deadlock CREATE INDEX CONCURRENTLY in the holder).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retort/clock.h"
#include "retort/ident.h"
#include "retort/random.h"
#include "db_int.h"

#define DEFAULT_TABLE "alembic_version"
#define REPORT_INTERVAL 5.0
#define PAUSE_MIN 0.1
#define PAUSE_MAX 1.0

/* Documented in docs/database.md; changing it lets two versions of retort run at once. */
static const char key_sql[] =
	"SELECT ('x' || substr(md5('retort:' || current_database() || ':' || "
	"coalesce($1::text, current_schema()::text, '') || ':' || $2::text), 1, 16))"
	"::bit(64)::bigint";

/* pg_locks shows a bigint advisory key as classid = high 32 bits, objid = low 32
 * bits, objsubid = 1. */
static const char holder_sql[] =
	"SELECT l.pid, coalesce(a.application_name, ''), "
	"CASE WHEN a.client_addr IS NOT NULL THEN host(a.client_addr) "
	"WHEN a.client_port = -1 THEN 'local socket' ELSE 'unknown' END, "
	"coalesce(to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SSOF'), 'unknown'), "
	"coalesce(a.state, 'unknown'), "
	"coalesce(to_char(a.state_change, 'YYYY-MM-DD HH24:MI:SSOF'), 'unknown') "
	"FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
	"WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
	"AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) "
	"AND l.classid = (($1::bigint >> 32) & 4294967295)::oid "
	"AND l.objid = ($1::bigint & 4294967295)::oid "
	"LIMIT 1";

void db_render_lock_key(rt_buf *b, const char *schema, const char *table)
{
	/* key_sql with the parameters inlined */
	rt_buf_puts(b, "('x' || substr(md5('retort:' || current_database() || ':' || coalesce(");
	if (schema)
		rt_ident_append_literal(b, schema);
	else
		rt_buf_puts(b, "NULL");
	rt_buf_puts(b, "::text, current_schema()::text, '') || ':' || ");
	rt_ident_append_literal(b, table ? table : DEFAULT_TABLE);
	rt_buf_puts(b, "::text), 1, 16))::bit(64)::bigint");
}

int rt_db_lock_key(rt_db *db, const char *schema, const char *table, int64_t *key,
                   rt_error *err)
{
	rt_arena *a = rt_arena_new();
	const char *params[] = { schema, table ? table : DEFAULT_TABLE };
	rt_db_result res;
	int rc = db_query(db, a, key_sql, 2, params, &res, err);
	if (rc == RT_OK)
		*key = strtoll(rt_db_value(&res, 0, 0), NULL, 10);
	rt_arena_free(a);
	return rc;
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

int db_lock_key(rt_db *db, const char *schema, const char *table, int64_t *key,
                rt_error *err)
{
	const char *name = table ? table : DEFAULT_TABLE;
	if (db->probed && same(schema, db->probe_schema) && same(name, db->probe_table)) {
		*key = db->probe_key;
		return RT_OK;
	}
	return rt_db_lock_key(db, schema, table, key, err);
}

static int find_holder(rt_db *db, rt_arena *a, rt_lock_holder *h, rt_error *err)
{
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)db->lock_key);
	const char *params[] = { key };
	rt_db_result res;
	memset(h, 0, sizeof(*h));
	int rc = db_query(db, a, holder_sql, 1, params, &res, err);
	if (rc < 0)
		return rc;
	if (res.nrows == 0)
		return RT_OK; /* released between our attempt and this look */
	h->pid = (int)strtol(rt_db_value(&res, 0, 0), NULL, 10);
	h->application_name = rt_db_value(&res, 0, 1);
	h->client = rt_db_value(&res, 0, 2);
	h->backend_start = rt_db_value(&res, 0, 3);
	h->state = rt_db_value(&res, 0, 4);
	h->state_change = rt_db_value(&res, 0, 5);
	return RT_OK;
}

void rt_lock_holder_describe(rt_buf *b, const rt_lock_holder *h)
{
	if (h->pid == 0) {
		rt_buf_puts(b, "a session that has just released it");
		return;
	}
	rt_buf_printf(b, "pid %d (application '%s', %s%s, connected since %s, %s since %s)",
	              h->pid, h->application_name, strcmp(h->client, "local socket") == 0 ? "" : "client ",
	              h->client, h->backend_start, h->state, h->state_change);
}


static int try_lock(rt_db *db, bool *got, rt_error *err)
{
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)db->lock_key);
	const char *params[] = { key };
	rt_arena *a = rt_arena_new();
	rt_db_result res;
	int rc = db_query(db, a, "SELECT pg_catalog.pg_try_advisory_lock($1::bigint)", 1, params,
	                  &res, err);
	if (rc == RT_OK)
		*got = strcmp(rt_db_value(&res, 0, 0), "t") == 0;
	rt_arena_free(a);
	return rc;
}

static int locked_error(rt_db *db, const rt_lock_opts *o, const rt_lock_holder *h,
                        rt_error *err)
{
	rt_buf who = RT_BUF_INIT;
	rt_lock_holder_describe(&who, h);
	const char *table = o->table ? o->table : DEFAULT_TABLE;
	rt_error_set(err, RT_ELOCKED, NULL,
	             "the migration lock for '%s%s%s' was not acquired within %g s: held by %s",
	             o->schema ? o->schema : "", o->schema ? "." : "", table, o->timeout_seconds,
	             who.ptr);
	rt_error_detail(err, "advisory lock key %lld (classid %llu, objid %llu)",
	                (long long)db->lock_key,
	                (unsigned long long)(((uint64_t)db->lock_key >> 32) & 0xffffffffu),
	                (unsigned long long)((uint64_t)db->lock_key & 0xffffffffu));
	if (h->pid)
		rt_error_hint(err, "another migration run holds it: let it finish (without "
		                   "--lock-timeout retort waits), or end that session with "
		                   "SELECT pg_terminate_backend(%d)", h->pid);
	else
		rt_error_hint(err, "the holder was just leaving: run again");
	rt_buf_release(&who);
	return RT_ELOCKED;
}

int rt_db_lock(rt_db *db, const rt_lock_opts *o, rt_error *err)
{
	if (db->locked)
		return rt_error_set(err, RT_ERROR, NULL,
		                    "this session already holds the migration lock");
	int rc = db_lock_key(db, o->schema, o->table, &db->lock_key, err);
	if (rc < 0)
		return rc;

	double interval = o->report_interval > 0 ? o->report_interval : REPORT_INTERVAL;
	double start = rt_clock_ms() / 1e3, next_report = start;
	double pause = PAUSE_MIN;
	rt_arena *a = rt_arena_new();
	for (;;) {
		bool got = false;
		if ((rc = try_lock(db, &got, err)) < 0)
			break;
		if (got) {
			db->locked = true;
			break;
		}
		double now = rt_clock_ms() / 1e3, waited = now - start;
		bool timed_out = o->timeout_seconds >= 0 && waited >= o->timeout_seconds;
		if (timed_out || (o->on_wait && now >= next_report)) {
			rt_lock_holder h;
			if ((rc = find_holder(db, a, &h, err)) < 0)
				break;
			if (timed_out) {
				rc = locked_error(db, o, &h, err);
				break;
			}
			o->on_wait(o->ctx, &h, waited);
			next_report += interval;
			if (next_report < now)
				next_report = now + interval;
		}
		/* 0.1-0.3 s at first, growing to about 1 s, never past the deadline */
		double sleep_for = pause * (1.0 + 2.0 * rt_random_unit());
		if (sleep_for > PAUSE_MAX)
			sleep_for = PAUSE_MAX * (0.8 + 0.2 * rt_random_unit());
		if (o->timeout_seconds >= 0 && start + o->timeout_seconds - now < sleep_for)
			sleep_for = start + o->timeout_seconds - now;
		pause = pause * 1.5 < PAUSE_MAX ? pause * 1.5 : PAUSE_MAX;
		if (!rt_sleep(sleep_for, o->interrupted)) {
			rc = rt_error_set(err, RT_EINTR, NULL, "interrupted while waiting for the "
			                                       "migration lock");
			break;
		}
	}
	rt_arena_free(a);
	return rc;
}

int rt_db_unlock(rt_db *db, rt_error *err)
{
	if (!db->locked || rt_db_lost(db)) {
		db->locked = false;
		return RT_OK;
	}
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)db->lock_key);
	const char *params[] = { key };
	rt_arena *a = rt_arena_new();
	rt_db_result res;
	int rc = db_query(db, a, "SELECT pg_catalog.pg_advisory_unlock($1::bigint)", 1, params,
	                  &res, err);
	if (rc == RT_OK && strcmp(rt_db_value(&res, 0, 0), "t") != 0)
		rc = rt_error_set(err, RT_ERROR, NULL,
		                  "the migration lock was not held by this session at release");
	if (rc == RT_OK || rt_db_lost(db))
		db->locked = false;
	rt_arena_free(a);
	return rc;
}
