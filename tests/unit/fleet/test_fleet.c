/*
 * Unit tests for the fleet scheduler (src/fleet): real forked children that
 * print a line on each stream and return a scripted status. Checks the bound
 * on running children, the canary, stop-on-failure, --continue-on-error, the
 * worst status, reports through shared memory, and line forwarding.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "retort/fleet.h"

#define N 10

struct run {
	int status[N];         /* what target i exits with; -9: killed by SIGKILL */
	size_t running, max_running, started, done;
	bool alone_ok;         /* every canary (and the first after them) started alone */
	size_t canary;
	int seen_status[N];
	long seen_steps[N];
	bool ran[N];
	size_t out_lines, err_lines;
	char last_out[64];
};

static int child(void *p, size_t i, rt_fleet_report *rep)
{
	struct run *r = p;
	printf("out %zu\n", i);
	fprintf(stderr, "err %zu", i); /* no newline: still a line at EOF */
	rep->steps = (long)i * 10;
	snprintf(rep->to, sizeof(rep->to), "rev%zu", i);
	usleep(20000);
	if (r->status[i] == -9) {
		fflush(stdout);
		fflush(stderr);
		raise(SIGKILL);
	}
	return r->status[i];
}

static void on_start(void *p, size_t i)
{
	struct run *r = p;
	if (i <= r->canary && r->canary && r->running != 0)
		r->alone_ok = false;
	r->running++;
	r->started++;
	if (r->running > r->max_running)
		r->max_running = r->running;
}

static void on_line(void *p, size_t i, bool is_stderr, const char *line, size_t len)
{
	struct run *r = p;
	char want[32];
	snprintf(want, sizeof(want), "%s %zu", is_stderr ? "err" : "out", i);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(line, want, len);
	if (is_stderr)
		r->err_lines++;
	else
		r->out_lines++;
}

static void on_done(void *p, size_t i, int status, const rt_fleet_report *rep, double seconds)
{
	struct run *r = p;
	r->running--;
	r->done++;
	r->ran[i] = true;
	r->seen_status[i] = status;
	r->seen_steps[i] = rep->steps;
	assert_true(seconds > 0);
	char want[16];
	snprintf(want, sizeof(want), "rev%zu", i);
	assert_string_equal(rep->to, want);
}

static rt_fleet_totals go(struct run *r, unsigned jobs, size_t canary, bool cont)
{
	r->alone_ok = true;
	r->canary = canary;
	rt_fleet_opts o = {
		.n = N, .jobs = jobs, .canary = canary, .continue_on_error = cont,
		.child = child, .on_start = on_start, .on_line = on_line, .on_done = on_done,
		.ctx = r,
	};
	rt_fleet_totals t;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_fleet_run(&o, &t, &err), RT_OK);
	rt_error_clear(&err);
	assert_int_equal(r->running, 0);
	return t;
}

static void test_fleet__all_succeed_bounded(void **state)
{
	(void)state;
	struct run r = { 0 };
	rt_fleet_totals t = go(&r, 3, 0, false);
	assert_int_equal(t.launched, N);
	assert_int_equal(t.failed, 0);
	assert_int_equal(t.worst, 0);
	assert_false(t.stopped);
	assert_int_equal(r.max_running, 3);
	assert_int_equal(r.out_lines, N);
	assert_int_equal(r.err_lines, N);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(r.seen_steps[i], (long)i * 10);
}

static void test_fleet__continue_on_error_worst_status(void **state)
{
	(void)state;
	struct run r = { .status = { [2] = 6, [5] = 4, [7] = -9 } };
	rt_fleet_totals t = go(&r, 4, 0, true);
	assert_int_equal(t.launched, N);
	assert_int_equal(t.failed, 3);
	assert_int_equal(t.worst, 128 + SIGKILL);
	assert_int_equal(r.seen_status[2], 6);
	assert_int_equal(r.seen_status[5], 4);
	assert_false(t.stopped);
}

static void test_fleet__first_failure_stops_launching(void **state)
{
	(void)state;
	struct run r = { .status = { [3] = 6 } };
	rt_fleet_totals t = go(&r, 1, 0, false);
	assert_int_equal(t.launched, 4);
	assert_true(t.stopped);
	assert_int_equal(t.worst, 6);
	assert_false(r.ran[4]);
	/* running targets finish: with 4 at once, those already started end */
	struct run r4 = { .status = { [0] = 5 } };
	t = go(&r4, 4, 0, false);
	assert_true(t.launched >= 4 && t.launched < N);
	assert_int_equal(r4.done, t.launched);
}

static void test_fleet__canary(void **state)
{
	(void)state;
	struct run r = { .status = { [1] = 6 } };
	rt_fleet_totals t = go(&r, 4, 3, true); /* even with continue-on-error */
	assert_int_equal(t.launched, 2);
	assert_true(t.stopped);
	assert_true(r.alone_ok);
	assert_int_equal(r.max_running, 1);
	struct run ok = { .status = { [6] = 6 } };
	t = go(&ok, 4, 3, true);
	assert_int_equal(t.launched, N);
	assert_true(ok.alone_ok);
	assert_int_equal(ok.max_running, 4);
}

static void test_fleet__bad_jobs(void **state)
{
	(void)state;
	rt_fleet_opts o = { .n = 1, .jobs = 0, .child = child };
	rt_fleet_totals t;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_fleet_run(&o, &t, &err), RT_EUSAGE);
	rt_error_clear(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fleet__all_succeed_bounded),
		cmocka_unit_test(test_fleet__continue_on_error_worst_status),
		cmocka_unit_test(test_fleet__first_failure_stops_launching),
		cmocka_unit_test(test_fleet__canary),
		cmocka_unit_test(test_fleet__bad_jobs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
