/*
 * Fewer round trips against a real server: the connection started early,
 * the first query's table probe, rt_db_read_state (with the lock's first
 * attempt, and tables that appear or vanish between reads), batches in
 * pipeline mode (results, the first failure, COMMIT of a failed block) and
 * history rows timed by the server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pgtest.h"

static const rt_vtable vt = { 0 };
static const rt_history hist = { 0 };

/* A session that probed the default tables in its first round trip. */
static rt_db *connect_probed(pgt *t, rt_db_pending *pending)
{
	rt_db_opts opts = { .url = t->url, .vtable = &vt, .history = &hist, .pending = pending };
	rt_db *db = NULL;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_db_connect(&db, t->arena, &opts, &err), RT_OK);
	rt_error_clear(&err);
	return db;
}

/* CHAR(64) keeps a shorter value padded: use a whole checksum */
#define SUM_B "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void make_tables(pgt *t)
{
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_vtable_create(t->db, &vt, &err), RT_OK);
	assert_int_equal(rt_history_ensure(t->db, &hist, &err), RT_OK);
	assert_int_equal(rt_vtable_insert(t->db, &vt, "bbbb2222", &err), RT_OK);
	rt_history_row row = { "bbbb2222", "upgrade", SUM_B, "b", 5, false };
	assert_int_equal(rt_history_insert(t->db, &hist, &row, &err), RT_OK);
	row.revision = "aaaa1111";
	row.checksum = NULL;
	assert_int_equal(rt_history_insert(t->db, &hist, &row, &err), RT_OK);
	rt_error_clear(&err);
}

static void test_pg_batch__state_of_a_fresh_and_a_migrated_database(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	rt_db_state st;
	rt_db *db = connect_probed(t, NULL);
	assert_int_equal(rt_db_read_state(db, t->arena, &vt, &hist, 0, &st, &err), RT_OK);
	assert_false(st.vtable_exists);
	assert_false(st.sums.table_exists);
	assert_int_equal(st.rows.n, 0);
	assert_false(st.locked);

	/* tables created since the probe: the next read sees them (a second message) */
	make_tables(t);
	assert_int_equal(rt_db_read_state(db, t->arena, &vt, &hist, 0, &st, &err), RT_OK);
	assert_true(st.vtable_exists);
	assert_true(st.sums.table_exists);
	assert_int_equal(st.rows.n, 1);
	assert_string_equal(st.rows.v[0], "bbbb2222");
	const char *sum = "x";
	assert_true(rt_history_checksum_of(&st.sums, "bbbb2222", &sum));
	assert_string_equal(sum, SUM_B);
	assert_true(rt_history_checksum_of(&st.sums, "aaaa1111", &sum));
	assert_null(sum);

	/* a session that probed them reads the same in its first call */
	rt_db *db2 = connect_probed(t, NULL);
	assert_int_equal(rt_db_read_state(db2, t->arena, &vt, &hist, 0, &st, &err), RT_OK);
	assert_int_equal(st.rows.n, 1);
	assert_int_equal(st.sums.revisions.n, 2);

	/* a table dropped under it: read again, no error */
	pgt_sql(t, t->db, "DROP TABLE retort_history");
	assert_int_equal(rt_db_read_state(db2, t->arena, &vt, &hist, 0, &st, &err), RT_OK);
	assert_true(st.vtable_exists);
	assert_false(st.sums.table_exists);
	assert_int_equal(st.rows.n, 1);
	assert_int_equal(st.sums.revisions.n, 0);
	rt_db_close(db2);
	rt_db_close(db);
	rt_error_clear(&err);
}

static void test_pg_batch__state_with_the_lock_attempt(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	make_tables(t);
	rt_db *a = connect_probed(t, NULL), *b = connect_probed(t, NULL);
	rt_db_state st;
	assert_int_equal(rt_db_read_state(a, t->arena, &vt, &hist, RT_READ_STATE_TRY_LOCK, &st, &err),
	                 RT_OK);
	assert_true(st.locked);
	assert_int_equal(st.rows.n, 1);
	/* the key is rt_db_lock_key's */
	int64_t key = 0;
	assert_int_equal(rt_db_lock_key(t->db, NULL, NULL, &key, &err), RT_OK);
	char *q = rt_sprintf(t->arena, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
	                     "AND granted AND pid = %d AND objid = %lld", rt_db_backend_pid(a),
	                     (long long)((uint64_t)key & 0xffffffffu));
	assert_string_equal(pgt_sql(t, t->db, q), "1");
	/* a second session does not get it; a second attempt here is refused */
	assert_int_equal(rt_db_read_state(b, t->arena, &vt, &hist, RT_READ_STATE_TRY_LOCK, &st, &err),
	                 RT_OK);
	assert_false(st.locked);
	assert_int_equal(rt_db_read_state(a, t->arena, &vt, &hist, RT_READ_STATE_TRY_LOCK, &st, &err),
	                 RT_ERROR);
	rt_error_clear(&err);
	/* unlock releases what the read took */
	assert_int_equal(rt_db_unlock(a, &err), RT_OK);
	assert_int_equal(rt_db_read_state(b, t->arena, &vt, &hist, RT_READ_STATE_TRY_LOCK, &st, &err),
	                 RT_OK);
	assert_true(st.locked);
	rt_db_close(a);
	rt_db_close(b);
	rt_error_clear(&err);
}

static void test_pg_batch__statements_in_one_round_trip(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	size_t failed = 99;
	int pos = -1;
	const char *params[] = { "7" };
	rt_db_stmt ok[] = {
		{ .sql = "BEGIN" },
		{ .sql = "CREATE TABLE t (id int)" },
		{ .sql = "INSERT INTO t SELECT generate_series(1, $1::int)", 1, params },
		{ .sql = "UPDATE t SET id = id + 1 WHERE id > 5" },
		{ .sql = "COMMIT" },
	};
	assert_int_equal(rt_db_exec_batch(t->db, ok, 5, NULL, NULL, &failed, &pos, &err), RT_OK);
	assert_int_equal(ok[2].affected, 7);
	assert_int_equal(ok[3].affected, 2);
	assert_false(rt_db_in_transaction(t->db));
	assert_string_equal(pgt_sql(t, t->db, "SELECT sum(id) FROM t"), "30");

	/* the first failure: its index and position; the rest did not run */
	rt_db_stmt bad[] = {
		{ .sql = "BEGIN" },
		{ .sql = "INSERT INTO t VALUES (100)" },
		{ .sql = "INSERT INTO t VALUES (nosuchcol)" },
		{ .sql = "INSERT INTO t VALUES (101)" },
	};
	assert_int_equal(rt_db_exec_batch(t->db, bad, 4, NULL, NULL, &failed, &pos, &err), RT_EDB);
	assert_int_equal(failed, 2);
	assert_int_equal(pos, 23);
	assert_string_equal(err.sqlstate, "42703");
	assert_true(rt_db_in_transaction(t->db));
	rt_error_clear(&err);
	/* COMMIT of the failed block is answered with ROLLBACK: an error */
	rt_db_stmt commit[] = { { .sql = "COMMIT" } };
	assert_int_equal(rt_db_exec_batch(t->db, commit, 1, NULL, NULL, &failed, &pos, &err),
	                 RT_EDB);
	assert_non_null(strstr(err.message, "rolled back"));
	assert_string_equal(pgt_sql(t, t->db, "SELECT count(*) FROM t"), "7");
	rt_error_clear(&err);

	/* a large batch (more than the socket holds) neither blocks nor loses results */
	size_t n = 3000;
	rt_db_stmt *many = rt_alloc_array(t->arena, n, sizeof(*many));
	for (size_t i = 0; i < n; i++)
		many[i].sql = rt_sprintf(t->arena, "SELECT repeat('x', 200) AS padding_%zu, %zu", i, i);
	assert_int_equal(rt_db_exec_batch(t->db, many, n, NULL, NULL, &failed, &pos, &err), RT_OK);
	assert_int_equal(many[n - 1].affected, 1);
	/* and the session is usable after it */
	assert_string_equal(pgt_sql(t, t->db, "SELECT 1"), "1");
	rt_error_clear(&err);
}

/* When each statement's answer reached the callback (ms since the batch began). */
struct arrivals {
	struct timespec t0;
	double ms[4];
};

static void record_arrival(void *p, size_t i)
{
	struct arrivals *a = p;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	a->ms[i] = (double)(t.tv_sec - a->t0.tv_sec) * 1e3 + (double)(t.tv_nsec - a->t0.tv_nsec) / 1e6;
}

/* The server answers each statement as it completes, not all at the Sync:
 * the executor reports a step done (and the next one started) from these
 * answers while a slow statement behind them still runs. */
static void test_pg_batch__answers_arrive_as_statements_complete(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	rt_db_stmt st[] = {
		{ .sql = "BEGIN" },
		{ .sql = "SELECT 1" },
		{ .sql = "SELECT pg_sleep(1)" },
		{ .sql = "COMMIT" },
	};
	struct arrivals a = { 0 };
	clock_gettime(CLOCK_MONOTONIC, &a.t0);
	size_t failed;
	int pos;
	assert_int_equal(rt_db_exec_batch(t->db, st, 4, record_arrival, &a, &failed, &pos, &err),
	                 RT_OK);
	assert_true(a.ms[0] < 500.0);
	assert_true(a.ms[1] < 500.0);
	assert_true(a.ms[2] >= 1000.0);
	assert_true(a.ms[3] >= a.ms[2]);
	rt_error_clear(&err);
}

static void test_pg_batch__history_row_timed_by_the_server(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_history_ensure(t->db, &hist, &err), RT_OK);
	rt_history_row row = { "aaaa1111", "upgrade", NULL, "a", 100, true };
	rt_db_stmt st[4] = { { .sql = "BEGIN" }, { .sql = "SELECT pg_sleep(0.3)" } };
	rt_history_insert_stmt(&st[2], t->arena, &hist, &row);
	st[3].sql = "COMMIT";
	size_t failed;
	int pos;
	assert_int_equal(rt_db_exec_batch(t->db, st, 4, NULL, NULL, &failed, &pos, &err), RT_OK);
	assert_int_equal(st[2].affected, 1);
	/* 100 ms before BEGIN plus the 300 ms the server slept; started_at consistent */
	assert_string_equal(pgt_sql(t, t->db,
		"SELECT duration_ms BETWEEN 400 AND 5000 AND "
		"started_at + duration_ms * interval '1 millisecond' <= clock_timestamp() "
		"FROM retort_history"), "t");
	/* a negative offset (a single-transaction run's later step) never goes below 0 */
	row.duration_ms = -100000;
	assert_int_equal(rt_history_insert(t->db, &hist, &row, &err), RT_OK);
	assert_string_equal(pgt_sql(t, t->db, "SELECT min(duration_ms) FROM retort_history"), "0");
	rt_error_clear(&err);
}

static void test_pg_batch__connection_started_early(void **state)
{
	pgt *t = *state;
	rt_db_opts opts = { .url = t->url };
	rt_db_pending *p = rt_db_connect_start(t->arena, &opts);
	assert_non_null(p);
	rt_db *db = connect_probed(t, p);
	assert_string_equal(pgt_sql(t, db, "SELECT current_database()"), t->dbname);
	/* the probe ran: the lock key needs no query of its own */
	rt_db_state st;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_db_read_state(db, t->arena, &vt, &hist, RT_READ_STATE_TRY_LOCK, &st, &err),
	                 RT_OK);
	assert_true(st.locked);
	rt_db_close(db);

	/* nothing listens: the start may fail at once or later; connect says why */
	char *dead = rt_sprintf(t->arena, "postgresql://postgres@127.0.0.1:%d/x", pgt_free_port());
	rt_db_opts d = { .url = dead };
	d.pending = rt_db_connect_start(t->arena, &d);
	assert_int_equal(rt_db_connect(&db, t->arena, &d, &err), RT_ECONNECT);
	assert_non_null(strstr(err.message, "could not connect to"));
	rt_error_clear(&err);
	/* URLs libpq rejects and connect_timeout (honoured only by a blocking
	 * connect) start nothing */
	rt_db_opts bad = { .url = "host=h nosuchoption=1" };
	assert_null(rt_db_connect_start(t->arena, &bad));
	char *timeout = rt_sprintf(t->arena, "%s?connect_timeout=5", t->url);
	rt_db_opts to = { .url = timeout };
	assert_null(rt_db_connect_start(t->arena, &to));
	to.wait_seconds = 5; /* --wait has its own deadline */
	assert_non_null(rt_db_connect_start(t->arena, &to));
	/* a start never used is closed with the arena */
}

int main(void)
{
	int env = pgt_check_env();
	if (env)
		return env;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pg_batch__state_of_a_fresh_and_a_migrated_database,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_batch__state_with_the_lock_attempt,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_batch__statements_in_one_round_trip,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_batch__answers_arrive_as_statements_complete,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_batch__history_row_timed_by_the_server,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_batch__connection_started_early,
		                                pgt_setup, pgt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
