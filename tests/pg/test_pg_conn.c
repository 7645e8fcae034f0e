/*
 * Connections against a real server: application_name, URL forms, masked
 * failures, --wait (late start, timeout, read-only), statements and their
 * errors, transactions, cancel from a signal handler, a lost connection.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pgtest.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *own_app_name(pgt *t, rt_db *db)
{
	return pgt_sql(t, db, "SELECT application_name FROM pg_stat_activity "
	                      "WHERE pid = pg_backend_pid()");
}

static void test_pg_conn__application_name_and_url_forms(void **state)
{
	pgt *t = *state;
	assert_string_equal(own_app_name(t, t->db), "retort");
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", rt_db_backend_pid(t->db));
	assert_string_equal(pgt_sql(t, t->db, "SELECT pg_backend_pid()"), pid);
	/* the session is visible to others under that name */
	rt_db *other = pgt_connect(t, t->url);
	const char *seen = pgt_sql(t, other, rt_sprintf(t->arena,
		"SELECT application_name FROM pg_stat_activity WHERE pid = %s", pid));
	assert_string_equal(seen, "retort");

	/* the URL's own application_name wins */
	rt_db *named = pgt_connect(t, rt_sprintf(t->arena, "%s?application_name=deploy", t->url));
	assert_string_equal(own_app_name(t, named), "deploy");
	/* SQLAlchemy's +driver is dropped */
	const char *sa_url = rt_sprintf(t->arena, "postgresql+psycopg2%s", strchr(t->url, ':'));
	rt_db *sa = pgt_connect(t, sa_url);
	assert_string_equal(pgt_sql(t, sa, "SELECT current_database()"), t->dbname);
	/* postgres:// and key=value conninfo */
	rt_db *short_scheme = pgt_connect(t, rt_sprintf(t->arena, "postgres%s",
	                                                strchr(t->url, ':')));
	assert_string_equal(pgt_sql(t, short_scheme, "SELECT current_database()"), t->dbname);
	const char *port = pgt_sql(t, t->db, "SELECT current_setting('port')");
	rt_db *kv = pgt_connect(t, rt_sprintf(t->arena, "host=127.0.0.1 port=%s user=postgres "
	                                                "dbname=%s", port, t->dbname));
	assert_string_equal(own_app_name(t, kv), "retort");
	assert_string_equal(rt_db_target(kv), rt_sprintf(t->arena, "host=127.0.0.1 port=%s "
	                                                  "user=postgres dbname=%s", port, t->dbname));
}

static void assert_no_secret(const rt_error *err, const char *secret)
{
	const char *parts[] = { err->message, err->detail, err->hint, err->object };
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i] && strstr(parts[i], secret))
			fail_msg("password in error text: %s", parts[i]);
}

static void test_pg_conn__failures_mask_the_password(void **state)
{
	pgt *t = *state;
	int port = pgt_free_port();
	rt_error err = RT_ERROR_INIT;
	rt_db *db = NULL;

	rt_db_opts url = { .url = rt_sprintf(t->arena, "postgresql://postgres:Sup3rSecretPw@"
	                                               "127.0.0.1:%d/x", port) };
	assert_int_equal(rt_db_connect(&db, t->arena, &url, &err), RT_ECONNECT);
	assert_null(db);
	assert_non_null(strstr(err.message, rt_sprintf(t->arena, "could not connect to "
		"'postgresql://postgres:***@127.0.0.1:%d/x': ", port)));
	assert_non_null(strstr(err.message, "Connection refused"));
	assert_string_equal(err.object, rt_sprintf(t->arena, "postgresql://postgres:***@"
	                                                     "127.0.0.1:%d/x", port));
	assert_non_null(strstr(err.hint, "server is running"));
	assert_no_secret(&err, "Sup3rSecretPw");

	rt_db_opts kv = { .url = rt_sprintf(t->arena, "host=127.0.0.1 port=%d "
	                                              "password='Sup3rSecretPw' user=u", port) };
	assert_int_equal(rt_db_connect(&db, t->arena, &kv, &err), RT_ECONNECT);
	assert_non_null(strstr(err.message, "password=*** user=u"));
	assert_no_secret(&err, "Sup3rSecretPw");

	/* libpq quotes the bad part of a URL it cannot parse: scrubbed too */
	rt_db_opts bad = { .url = "postgresql://u:Sup%zzSecretPw@h/d" };
	assert_int_equal(rt_db_connect(&db, t->arena, &bad, &err), RT_ECONFIG);
	assert_string_equal(err.message, "invalid database URL 'postgresql://u:***@h/d': "
	                                 "invalid percent-encoded token: \"***\"");
	assert_no_secret(&err, "zzSecretPw");
	rt_error_clear(&err);
}

struct progress {
	int lines;
	char first[256];
};

static void on_progress(void *ctx, const char *line)
{
	struct progress *p = ctx;
	if (p->lines++ == 0)
		snprintf(p->first, sizeof(p->first), "%s", line);
}

static void test_pg_conn__wait_for_a_server_that_starts_late(void **state)
{
	pgt *t = *state;
	const char *harness = getenv("RETORT_PG_HARNESS");
	if (!harness)
		pgt_skip_or_fail("RETORT_PG_HARNESS is not set");
	char dir[] = "/tmp/retort-late.XXXXXX";
	assert_non_null(mkdtemp(dir));
	int port = pgt_free_port();
	char port_s[16];
	snprintf(port_s, sizeof(port_s), "%d", port);

	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		sleep(2);
		const char *argv[] = { harness, "start", dir, "--port", port_s, NULL };
		_exit(pgt_run(argv, NULL));
	}
	struct progress p = { 0 };
	rt_db_opts opts = {
		.url = rt_sprintf(t->arena, "postgresql://postgres@127.0.0.1:%d/postgres", port),
		.wait_seconds = 30, .progress = on_progress, .progress_ctx = &p,
	};
	rt_db *db = NULL;
	rt_error err = RT_ERROR_INIT;
	double t0 = now();
	int rc = rt_db_connect(&db, t->arena, &opts, &err);
	double took = now() - t0;
	int status;
	waitpid(child, &status, 0);
	if (rc == RT_OK)
		rt_db_close(db);
	const char *stop[] = { harness, "stop", dir, NULL };
	pgt_run(stop, NULL);

	assert_int_equal(WEXITSTATUS(status), 0);
	if (rc != RT_OK)
		fail_msg("connect: %s", err.message);
	assert_true(took >= 1.5);
	assert_true(p.lines >= 1);
	assert_non_null(strstr(p.first, rt_sprintf(t->arena, "waiting for the database at "
	                                                     "127.0.0.1:%d (", port)));
	assert_non_null(strstr(p.first, " s left): "));
	rt_error_clear(&err);
}

static void test_pg_conn__wait_runs_out(void **state)
{
	pgt *t = *state;
	struct progress p = { 0 };
	rt_db_opts opts = {
		.url = rt_sprintf(t->arena, "postgresql://postgres:pw@127.0.0.1:%d/postgres",
		                  pgt_free_port()),
		.wait_seconds = 1.5, .progress = on_progress, .progress_ctx = &p,
	};
	rt_db *db = NULL;
	rt_error err = RT_ERROR_INIT;
	double t0 = now();
	assert_int_equal(rt_db_connect(&db, t->arena, &opts, &err), RT_ECONNECT);
	double took = now() - t0;
	assert_true(took >= 1.4 && took < 4.0);
	assert_true(p.lines >= 1);
	assert_non_null(strstr(err.message, "did not accept connections and writes within 1.5 s"));
	assert_non_null(strstr(err.message, "postgres:***@"));
	rt_error_clear(&err);
}

static void test_pg_conn__wait_needs_a_writable_session(void **state)
{
	pgt *t = *state;
	pgt_sql(t, t->db, rt_sprintf(t->arena, "ALTER DATABASE %s SET default_transaction_read_only "
	                                       "= on", t->dbname));
	rt_db *db = NULL;
	rt_error err = RT_ERROR_INIT;
	rt_db_opts once = { .url = t->url };
	assert_int_equal(rt_db_connect(&db, t->arena, &once, &err), RT_ECONNECT);
	assert_non_null(strstr(err.message, "does not accept writes: sessions are read-only "
	                                    "(default_transaction_read_only is on)"));
	rt_db_opts wait = { .url = t->url, .wait_seconds = 1 };
	assert_int_equal(rt_db_connect(&db, t->arena, &wait, &err), RT_ECONNECT);
	assert_non_null(strstr(err.message, "did not accept connections and writes within 1 s: "
	                                    "sessions are read-only"));
	rt_db_opts ro = { .url = t->url, .read_only = true };
	assert_int_equal(rt_db_connect(&db, t->arena, &ro, &err), RT_OK);
	rt_db_close(db);
	rt_error_clear(&err);
}

struct notices {
	char last[128];
	int n;
};

static void on_notice(void *ctx, const char *severity, const char *message)
{
	struct notices *n = ctx;
	n->n++;
	snprintf(n->last, sizeof(n->last), "%s: %s", severity, message);
}

static void test_pg_conn__statements_results_and_errors(void **state)
{
	pgt *t = *state;
	rt_db_result res;
	rt_error err = RT_ERROR_INIT;
	/* several statements in one string, as Alembic sends op.execute text */
	assert_int_equal(rt_db_exec(t->db, t->arena, "CREATE TABLE a (i int, s text); "
		"INSERT INTO a VALUES (1, 'x'), (2, NULL); SELECT i, s FROM a ORDER BY i",
		&res, &err), RT_OK);
	assert_int_equal(res.nrows, 2);
	assert_int_equal(res.ncols, 2);
	assert_string_equal(res.colnames[1], "s");
	assert_string_equal(rt_db_value(&res, 1, 0), "2");
	assert_null(rt_db_value(&res, 1, 1));
	assert_null(rt_db_value(&res, 2, 0));
	assert_string_equal(res.command, "SELECT 2");
	assert_int_equal(rt_db_exec(t->db, NULL, "UPDATE a SET s = 'y'", &res, &err), RT_OK);
	assert_int_equal(res.affected, 2);

	/* a server error: SQLSTATE, 1-based character position, message */
	assert_int_equal(rt_db_exec(t->db, t->arena, "SELECT 'é', 1 FROM nosuch", &res, &err),
	                 RT_EDB);
	assert_string_equal(err.sqlstate, "42P01");
	assert_string_equal(err.message, "relation \"nosuch\" does not exist");
	assert_int_equal(res.error_position, 20); /* characters, not bytes */
	/* detail and hint */
	assert_int_equal(rt_db_exec(t->db, t->arena, "INSERT INTO a VALUES (1, 'x'); "
		"ALTER TABLE a ADD PRIMARY KEY (i)", &res, &err), RT_EDB);
	assert_string_equal(err.sqlstate, "23505");
	assert_non_null(strstr(err.detail, "Key (i)=(1) is duplicated."));
	assert_int_equal(rt_db_exec(t->db, t->arena, "SELECT nosuchfn(1)", &res, &err), RT_EDB);
	assert_non_null(err.hint);
	assert_non_null(strstr(err.hint, "No function matches"));

	/* notices reach the callback, never stderr */
	struct notices seen = { 0 };
	rt_db_opts opts = { .url = t->url, .notice = on_notice, .notice_ctx = &seen };
	rt_db *db = NULL;
	assert_int_equal(rt_db_connect(&db, t->arena, &opts, &err), RT_OK);
	assert_int_equal(rt_db_exec(db, NULL, "DO $$BEGIN RAISE NOTICE 'hello %', 42; END$$",
	                            NULL, &err), RT_OK);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.last, "NOTICE: hello 42");

	/* COPY from the client is refused and the session stays usable */
	assert_int_equal(rt_db_exec(db, NULL, "COPY a FROM STDIN", NULL, &err), RT_EUNSUPPORTED);
	assert_string_equal(err.message, "'COPY ... FROM STDIN' is not supported");
	assert_int_equal(rt_db_exec(db, NULL, "COPY a TO STDOUT", NULL, &err), RT_EUNSUPPORTED);
	/* (the INSERT before the failed ALTER went with it: one string, one transaction) */
	assert_string_equal(pgt_sql(t, db, "SELECT count(*) FROM a"), "2");
	rt_error_clear(&err);
}

static void test_pg_conn__transactions(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	pgt_sql(t, t->db, "CREATE TABLE tx (i int)");
	assert_false(rt_db_in_transaction(t->db));
	assert_int_equal(rt_db_rollback(t->db, &err), RT_OK); /* no-op outside */
	assert_int_equal(rt_db_begin(t->db, &err), RT_OK);
	assert_true(rt_db_in_transaction(t->db));
	pgt_sql(t, t->db, "INSERT INTO tx VALUES (1)");
	assert_int_equal(rt_db_rollback(t->db, &err), RT_OK);
	assert_false(rt_db_in_transaction(t->db));
	assert_string_equal(pgt_sql(t, t->db, "SELECT count(*) FROM tx"), "0");

	assert_int_equal(rt_db_begin(t->db, &err), RT_OK);
	pgt_sql(t, t->db, "INSERT INTO tx VALUES (2)");
	assert_int_equal(rt_db_commit(t->db, &err), RT_OK);
	assert_string_equal(pgt_sql(t, t->db, "SELECT count(*) FROM tx"), "1");

	/* COMMIT of a failed transaction is reported, not taken for success */
	assert_int_equal(rt_db_begin(t->db, &err), RT_OK);
	pgt_sql(t, t->db, "INSERT INTO tx VALUES (3)");
	assert_int_equal(rt_db_exec(t->db, NULL, "SELECT 1/0", NULL, &err), RT_EDB);
	assert_string_equal(err.sqlstate, "22012");
	assert_true(rt_db_in_transaction(t->db));
	assert_int_equal(rt_db_commit(t->db, &err), RT_EDB);
	assert_string_equal(err.message, "the transaction was rolled back instead of committed");
	assert_false(rt_db_in_transaction(t->db));
	assert_string_equal(pgt_sql(t, t->db, "SELECT count(*) FROM tx"), "1");
	rt_error_clear(&err);
}

static rt_db *volatile to_cancel;

static void on_alarm(int sig)
{
	(void)sig;
	rt_db_cancel(to_cancel);
}

static void test_pg_conn__cancel_from_a_signal_handler(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	to_cancel = t->db;
	struct sigaction sa = { .sa_handler = on_alarm };
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	struct itimerval it = { .it_value = { 0, 300000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	double t0 = now();
	assert_int_equal(rt_db_exec(t->db, NULL, "SELECT pg_sleep(20)", NULL, &err), RT_EDB);
	assert_true(now() - t0 < 5.0);
	assert_string_equal(err.sqlstate, "57014");
	assert_string_equal(err.message, "canceling statement due to user request");
	signal(SIGALRM, SIG_DFL);
	to_cancel = NULL;
	/* the session goes on */
	assert_string_equal(pgt_sql(t, t->db, "SELECT 7"), "7");
	rt_error_clear(&err);
}

static void test_pg_conn__lost_connection_is_named(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	rt_db *victim = pgt_connect(t, t->url);
	assert_int_equal(rt_db_begin(victim, &err), RT_OK);
	pgt_sql(t, t->db, rt_sprintf(t->arena, "SELECT pg_terminate_backend(%d, 5000)",
	                             rt_db_backend_pid(victim)));
	assert_int_equal(rt_db_exec(victim, NULL, "SELECT 1", NULL, &err), RT_ECONNECT);
	assert_string_equal(err.message, "connection to the server was lost");
	assert_non_null(err.hint);
	assert_true(rt_db_lost(victim));
	/* cleanup paths keep working */
	assert_int_equal(rt_db_rollback(victim, &err), RT_OK);
	assert_int_equal(rt_db_unlock(victim, &err), RT_OK);
	assert_int_equal(rt_db_exec(victim, NULL, "SELECT 1", NULL, &err), RT_ECONNECT);
	rt_db_close(victim);
	rt_db_close(victim);
	rt_error_clear(&err);
}

static void count_wait(void *p)
{
	(*(int *)p)++;
}

/* With a wait hook, statements run as PQexec runs them (results, the first
 * error, several statements in one string) while the hook is called every
 * interval; a second session sees the first one's progress. */
static void test_pg_conn__wait_hook_and_second_session(void **state)
{
	pgt *t = *state;
	int calls = 0;
	rt_db_on_wait(t->db, count_wait, &calls, 100);
	assert_string_equal(pgt_sql(t, t->db, "SELECT pg_sleep(0.6)::text || 'x'"), "x");
	assert_in_range(calls, 3, 8);
	rt_db_result res;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_db_exec(t->db, t->arena, "SELECT 1; SELECT 2", &res, &err), RT_OK);
	assert_string_equal(rt_db_value(&res, 0, 0), "2");
	assert_int_equal(rt_db_exec(t->db, t->arena, "SELECT 1; SELECT 1/0; SELECT 3", &res, &err),
	                 RT_EDB);
	assert_string_equal(err.sqlstate, "22012");
	rt_error_clear(&err);
	rt_db_on_wait(t->db, NULL, NULL, 0);

	rt_db *mon;
	assert_int_equal(rt_db_connect_again(&mon, t->arena, t->db, "retort progress", &err), RT_OK);
	assert_string_equal(own_app_name(t, mon), "retort progress");
	assert_string_equal(pgt_sql(t, mon, "SELECT current_database()"), t->dbname);
	rt_db_progress pr;
	assert_int_equal(rt_db_read_progress(mon, t->arena, rt_db_backend_pid(t->db), &pr, &err),
	                 RT_OK);
	assert_null(pr.command); /* idle: nothing to report */
	rt_db_close(mon);
}

int main(void)
{
	int env = pgt_check_env();
	if (env)
		return env;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pg_conn__application_name_and_url_forms,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_conn__failures_mask_the_password,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_conn__wait_for_a_server_that_starts_late,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_conn__wait_runs_out, pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_conn__wait_needs_a_writable_session,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_conn__statements_results_and_errors,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_conn__transactions, pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_conn__wait_hook_and_second_session, pgt_setup,
		                                pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_conn__cancel_from_a_signal_handler,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_conn__lost_connection_is_named,
		                                pgt_setup, pgt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
