/*
 * The migration lock against a real server: exclusion, the holder report,
 * timeout, release by unlock and by closing, the documented key formula and
 * the operator's query from docs/database.md, interruption.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pgtest.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A connection over TCP with its own application_name, so reports can be told apart. */
static rt_db *connect_as(pgt *t, const char *app)
{
	rt_db_opts opts = { .url = t->url, .application_name = app };
	rt_db *db = NULL;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_db_connect(&db, t->arena, &opts, &err), RT_OK);
	return db;
}

struct reports {
	int n;
	rt_lock_holder first;
	double waited[8];
	rt_db *release_at_second; /* unlocks this session on the second report */
	volatile sig_atomic_t *interrupt_at_first;
	rt_arena *arena;
};

static void on_wait(void *ctx, const rt_lock_holder *h, double waited)
{
	struct reports *r = ctx;
	if (r->n == 0) {
		r->first = *h;
		r->first.application_name = rt_strdup(r->arena, h->application_name);
		r->first.client = rt_strdup(r->arena, h->client);
		r->first.state = rt_strdup(r->arena, h->state); /* h lives only during the call */
		if (r->interrupt_at_first)
			*r->interrupt_at_first = 1;
	}
	if (r->n < 8)
		r->waited[r->n] = waited;
	if (++r->n == 2 && r->release_at_second) {
		rt_error err = RT_ERROR_INIT;
		assert_int_equal(rt_db_unlock(r->release_at_second, &err), RT_OK);
	}
}

static void test_pg_lock__second_session_waits_and_names_the_holder(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	rt_db *a = connect_as(t, "retort-holder");
	rt_db *b = connect_as(t, "retort-waiter");
	rt_lock_opts once = { .timeout_seconds = 0 };
	assert_int_equal(rt_db_lock(a, &once, &err), RT_OK);
	assert_int_equal(rt_db_lock(a, &once, &err), RT_ERROR); /* no re-entry */

	struct reports r = { .arena = t->arena };
	rt_lock_opts wait = { .timeout_seconds = 1.2, .report_interval = 0.5, .on_wait = on_wait,
	                      .ctx = &r };
	double t0 = now();
	assert_int_equal(rt_db_lock(b, &wait, &err), RT_ELOCKED);
	double took = now() - t0;
	assert_true(took >= 1.2 && took < 4.0); /* loose: loaded CI machines */
	/* first report right away, then every interval */
	assert_true(r.n >= 2 && r.n <= 4);
	assert_true(r.waited[0] < 0.3);
	assert_int_equal(r.first.pid, rt_db_backend_pid(a));
	assert_string_equal(r.first.application_name, "retort-holder");
	assert_string_equal(r.first.client, "127.0.0.1");
	assert_string_equal(r.first.state, "idle");

	assert_non_null(strstr(err.message, "the migration lock for 'alembic_version' was not "
	                                    "acquired within 1.2 s: held by "));
	assert_non_null(strstr(err.message, rt_sprintf(t->arena, "pid %d (application "
		"'retort-holder', client 127.0.0.1, connected since ", rt_db_backend_pid(a))));
	assert_non_null(strstr(err.hint, rt_sprintf(t->arena, "pg_terminate_backend(%d)",
	                                            rt_db_backend_pid(a))));
	assert_non_null(strstr(err.detail, "advisory lock key "));

	/* released by unlock */
	assert_int_equal(rt_db_unlock(a, &err), RT_OK);
	assert_int_equal(rt_db_lock(b, &once, &err), RT_OK);
	assert_int_equal(rt_db_lock(a, &once, &err), RT_ELOCKED);
	rt_error_clear(&err);
}

static void test_pg_lock__released_when_the_session_closes(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	rt_db *a = connect_as(t, "a");
	rt_db *b = connect_as(t, "b");
	rt_lock_opts once = { .timeout_seconds = 0 };
	assert_int_equal(rt_db_lock(a, &once, &err), RT_OK);
	rt_db_close(a);
	rt_lock_opts wait = { .timeout_seconds = 5 };
	double t0 = now();
	assert_int_equal(rt_db_lock(b, &wait, &err), RT_OK);
	assert_true(now() - t0 < 2.0);
	rt_error_clear(&err);
}

static void test_pg_lock__waiter_gets_it_when_released(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	rt_db *a = connect_as(t, "a");
	rt_db *b = connect_as(t, "b");
	rt_lock_opts once = { .timeout_seconds = 0 };
	assert_int_equal(rt_db_lock(a, &once, &err), RT_OK);
	struct reports r = { .arena = t->arena, .release_at_second = a };
	rt_lock_opts forever = { .timeout_seconds = -1, .report_interval = 0.3,
	                         .on_wait = on_wait, .ctx = &r };
	assert_int_equal(rt_db_lock(b, &forever, &err), RT_OK);
	assert_int_equal(r.n, 2);
	rt_error_clear(&err);
}

static void test_pg_lock__interrupt_stops_the_wait(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	rt_db *a = connect_as(t, "a");
	rt_db *b = connect_as(t, "b");
	rt_lock_opts once = { .timeout_seconds = 0 };
	assert_int_equal(rt_db_lock(a, &once, &err), RT_OK);
	volatile sig_atomic_t flag = 0;
	struct reports r = { .arena = t->arena, .interrupt_at_first = &flag };
	rt_lock_opts forever = { .timeout_seconds = -1, .on_wait = on_wait, .ctx = &r,
	                         .interrupted = &flag };
	double t0 = now();
	assert_int_equal(rt_db_lock(b, &forever, &err), RT_EINTR);
	assert_true(now() - t0 < 1.0);
	rt_error_clear(&err);
}

static void test_pg_lock__key_formula_and_operator_query(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	int64_t key = 0, meta = 0, other = 0;
	assert_int_equal(rt_db_lock_key(t->db, NULL, NULL, &key, &err), RT_OK);
	/* the formula in docs/database.md, with current_schema() = public */
	const char *doc = pgt_sql(t, t->db, "SELECT ('x' || substr(md5('retort:' || "
		"current_database() || ':' || 'public' || ':' || 'alembic_version'), 1, 16))"
		"::bit(64)::bigint");
	assert_string_equal(rt_sprintf(t->arena, "%lld", (long long)key), doc);
	assert_int_equal(rt_db_lock_key(t->db, "public", "alembic_version", &meta, &err), RT_OK);
	assert_true(meta == key);
	assert_int_equal(rt_db_lock_key(t->db, "meta", "alembic_version", &meta, &err), RT_OK);
	assert_int_equal(rt_db_lock_key(t->db, NULL, "other_versions", &other, &err), RT_OK);
	assert_true(meta != key && other != key && meta != other);

	/* a different table is a different lock */
	rt_db *a = connect_as(t, "holder");
	rt_lock_opts mine = { .timeout_seconds = 0 };
	rt_lock_opts theirs = { .table = "other_versions", .timeout_seconds = 0 };
	assert_int_equal(rt_db_lock(a, &mine, &err), RT_OK);
	assert_int_equal(rt_db_lock(t->db, &theirs, &err), RT_OK);

	/* the operator's one query finds the holder */
	const char *pid = pgt_sql(t, t->db,
		"WITH k AS (SELECT ('x' || substr(md5('retort:' || current_database() || ':' || "
		"'public' || ':' || 'alembic_version'), 1, 16))::bit(64)::bigint AS key) "
		"SELECT a.pid FROM k, pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
		"WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
		"AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
		"AND l.classid = ((k.key >> 32) & 4294967295)::oid "
		"AND l.objid = (k.key & 4294967295)::oid");
	assert_string_equal(pid, rt_sprintf(t->arena, "%d", rt_db_backend_pid(a)));
	rt_error_clear(&err);
}

int main(void)
{
	int env = pgt_check_env();
	if (env)
		return env;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pg_lock__second_session_waits_and_names_the_holder,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_lock__released_when_the_session_closes,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_lock__waiter_gets_it_when_released,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_lock__interrupt_stops_the_wait,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_lock__key_formula_and_operator_query,
		                                pgt_setup, pgt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
