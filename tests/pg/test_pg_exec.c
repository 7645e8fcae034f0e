/*
 * The executor against a real server with a step source that is not the
 * project's files (as a bundle will be): each pass rewinds the source, the
 * steps run from its statements, a body it cannot produce names the step,
 * and an interrupt during a lock-timeout backoff ends the run at once.
 */
#include <string.h>

#include "pgtest.h"
#include "retort/clock.h"
#include "retort/exec.h"

/* Statements from memory: step i of the plan runs sql[i]. */
typedef struct memory_source {
	rt_step_source source;
	const char *const *sql;
	const rt_plan *plan;
	unsigned rewinds, bodies;
} memory_source;

static int memory_body(void *ctx, const rt_step *step, rt_direction dir, rt_arena *arena,
                       rt_stmtlist *out, rt_error *err)
{
	memory_source *m = ctx;
	assert_int_equal(dir, RT_UPGRADE);
	m->bodies++;
	for (size_t i = 0; i < m->plan->n; i++) {
		if (m->plan->steps[i] != step)
			continue;
		if (!m->sql[i]) {
			rt_loc at = { .path = "bundle.json", .line = 3 };
			return rt_error_set(err, RT_ESYNTAX, &at, "no statements for '%s'", step->rev->id);
		}
		rt_stmtlist_push(arena, out, rt_stmt_generated(arena, m->sql[i], NULL, 0));
	}
	return RT_OK;
}

static void memory_rewind(void *ctx)
{
	((memory_source *)ctx)->rewinds++;
}

/* An upgrade plan from base through ids[0..n), each step inserting or
 * moving the version row. */
static rt_plan *linear_plan(rt_arena *a, const char *const *ids, size_t n)
{
	rt_plan *plan = rt_alloc(a, sizeof(*plan));
	plan->steps = rt_alloc_array(a, n, sizeof(*plan->steps));
	plan->n = n;
	for (size_t i = 0; i < n; i++) {
		rt_revision *rev = rt_alloc(a, sizeof(*rev));
		rev->id = ids[i];
		rev->message = "test step";
		rt_step *s = rt_alloc(a, sizeof(*s));
		s->kind = RT_STEP_UPGRADE;
		s->rev = rev;
		s->ops = rt_alloc(a, sizeof(*s->ops));
		s->nops = 1;
		s->ops[0] = i == 0 ? (rt_rowop){ RT_ROW_INSERT, NULL, ids[0] }
		                   : (rt_rowop){ RT_ROW_UPDATE, ids[i - 1], ids[i] };
		plan->steps[i] = s;
	}
	return plan;
}

static const rt_vtable vt = { 0 };
static const rt_history hist = { 0 };

static void test_pg_exec__steps_from_a_source(void **state)
{
	pgt *t = *state;
	static const char *const ids[] = { "aaaa1111", "bbbb2222" };
	static const char *const sql[] = { "CREATE TABLE t_a (id int)",
		                               "INSERT INTO t_a VALUES (42)" };
	rt_plan *plan = linear_plan(t->arena, ids, 2);
	memory_source m = { .source = { memory_body, memory_rewind, &m }, .sql = sql, .plan = plan };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_exec_check_bodies(plan, &m.source, &err), RT_OK);
	assert_int_equal(m.rewinds, 1);
	assert_int_equal(m.bodies, 2);
	rt_exec_opts o = { .vtable = &vt, .history = &hist };
	assert_int_equal(rt_exec_run(t->db, t->arena, plan, &m.source, &o, &err), RT_OK);
	assert_int_equal(m.rewinds, 2); /* the run is a pass of its own */
	assert_int_equal(m.bodies, 4);
	assert_string_equal(pgt_sql(t, t->db, "SELECT id FROM t_a"), "42");
	assert_string_equal(pgt_sql(t, t->db, "SELECT version_num FROM alembic_version"),
	                    "bbbb2222");
	assert_string_equal(pgt_sql(t, t->db, "SELECT count(*) FROM retort_history"), "2");
	rt_error_clear(&err);
}

static void test_pg_exec__a_missing_body_names_the_step(void **state)
{
	pgt *t = *state;
	static const char *const ids[] = { "aaaa1111", "bbbb2222" };
	static const char *const sql[] = { "SELECT 1", NULL };
	rt_plan *plan = linear_plan(t->arena, ids, 2);
	memory_source m = { .source = { memory_body, memory_rewind, &m }, .sql = sql, .plan = plan };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_exec_check_bodies(plan, &m.source, &err), RT_ESYNTAX);
	assert_string_equal(err.message,
	                    "upgrade of 'bbbb2222' cannot run: no statements for 'bbbb2222'");
	assert_string_equal(err.loc.path, "bundle.json"); /* the source's location is kept */
	assert_int_equal(err.loc.line, 3);
	rt_error_clear(&err);
}

static volatile sig_atomic_t interrupted;
static double interrupted_at;

/* As Ctrl-C arriving as the first backoff begins. */
static void interrupt_on_retry(void *ctx, const rt_step *step, unsigned attempt, double delay)
{
	unsigned *retries = ctx;
	*retries = attempt;
	assert_true(delay >= 0.375 && delay <= 0.625);
	interrupted = 1;
	interrupted_at = rt_clock_ms();
}

static void test_pg_exec__interrupt_ends_a_backoff(void **state)
{
	pgt *t = *state;
	static const char *const ids[] = { "aaaa1111" };
	static const char *const sql[] = { "ALTER TABLE t_locked ADD COLUMN note text" };
	pgt_sql(t, t->db, "CREATE TABLE t_locked (id int)");
	rt_db *holder = pgt_connect(t, t->url);
	pgt_sql(t, holder, "BEGIN");
	pgt_sql(t, holder, "LOCK TABLE t_locked IN ACCESS EXCLUSIVE MODE");
	rt_plan *plan = linear_plan(t->arena, ids, 1);
	memory_source m = { .source = { memory_body, memory_rewind, &m }, .sql = sql, .plan = plan };
	unsigned retries = 0;
	interrupted = 0;
	rt_exec_opts o = {
		.vtable = &vt, .history = &hist, .statement_lock_timeout = 0.05, .lock_retries = 5,
		.events = { .step_retry = interrupt_on_retry, .ctx = &retries },
		.interrupted = &interrupted,
	};
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_exec_run(t->db, t->arena, plan, &m.source, &o, &err), RT_EINTR);
	/* the backoff would take 375 ms at least */
	assert_true(rt_clock_ms() - interrupted_at < 200.0);
	assert_int_equal(retries, 1);
	pgt_sql(t, holder, "ROLLBACK");
	assert_string_equal(pgt_sql(t, t->db, "SELECT count(*) FROM alembic_version"), "0");
	rt_error_clear(&err);
}

int main(void)
{
	int env = pgt_check_env();
	if (env != 0)
		return env;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pg_exec__steps_from_a_source, pgt_setup,
		                                pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_exec__a_missing_body_names_the_step, pgt_setup,
		                                pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_exec__interrupt_ends_a_backoff, pgt_setup,
		                                pgt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
