/* Unit tests for src/util: arena, buffers, errors, diagnostics, sources, statements. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "retort/arena.h"
#include "retort/buf.h"
#include "retort/editdist.h"
#include "retort/clock.h"
#include "retort/error.h"
#include "retort/source.h"
#include "retort/stmt.h"

static void test_util__arena_strings_and_vectors(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	char *s = rt_sprintf(a, "%s-%d", "rev", 42);
	assert_string_equal(s, "rev-42");
	assert_string_equal(rt_strndup(a, "abcdef", 3), "abc");
	/* large one-off allocation next to small ones */
	char *big = rt_alloc(a, 200000);
	big[199999] = 'x';
	char *small = rt_alloc(a, 3);
	assert_int_equal(small[0], 0);
	rt_strv sv = { 0 };
	for (int i = 0; i < 100; i++)
		rt_strv_push(a, &sv, rt_sprintf(a, "r%d", i));
	assert_int_equal(sv.n, 100);
	assert_int_equal(rt_strv_index(&sv, "r57"), 57);
	assert_int_equal(rt_strv_index(&sv, "nope"), -1);
	rt_strv same = { 0 }, other = { 0 };
	for (int i = 0; i < 100; i++)
		rt_strv_push(a, &same, rt_sprintf(a, "r%d", i));
	assert_true(rt_strv_equal(&sv, &same));
	assert_false(rt_strv_equal(&sv, &other));
	same.v[99] = "r98";
	assert_false(rt_strv_equal(&sv, &same));
	rt_arena_free(a);
}

static int cleanup_count;
static void count_cleanup(void *p)
{
	cleanup_count += *(int *)p;
}

static void test_util__arena_cleanup_runs_once(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	int one = 1, ten = 10;
	rt_arena_on_free(a, count_cleanup, &one);
	rt_arena_on_free(a, count_cleanup, &ten);
	cleanup_count = 0;
	rt_arena_free(a);
	assert_int_equal(cleanup_count, 11);
}

/*
 * Marks: what was allocated before a mark survives its release, what came
 * after is gone (cleanups run once), and the memory is used again. Growth
 * of the newest array is in place and zero-fills the tail.
 */
static void test_util__arena_marks_and_reuse(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	char *before = rt_strdup(a, "kept");
	rt_arena_mark m = rt_arena_mark_get(a);
	int one = 1, ten = 10;
	cleanup_count = 0;
	char *first = rt_alloc_raw(a, 100);
	memset(first, 'x', 100);
	char *big = rt_alloc(a, 100000); /* a one-off block, freed by the release */
	big[99999] = 'y';
	for (int i = 0; i < 5000; i++) /* several standard blocks */
		(void)rt_sprintf(a, "%0100d", i);
	rt_arena_on_free(a, count_cleanup, &ten);
	rt_arena_release(a, m);
	assert_int_equal(cleanup_count, 10);
	assert_string_equal(before, "kept");
	char *again = rt_alloc(a, 100);
	assert_int_equal(again[0], 0);
	assert_int_equal(again[99], 0);
#ifndef RT_DEBUG_ARENA
	assert_ptr_equal(again, first);
#endif

	int *v = rt_alloc_array(a, 4, sizeof(int));
	v[3] = 7;
	int *w = rt_realloc_array(a, v, 4, 1000, sizeof(int));
	assert_int_equal(w[3], 7);
	assert_int_equal(w[999], 0);
#ifndef RT_DEBUG_ARENA
	assert_ptr_equal(w, v);
#endif
	(void)rt_strdup(a, "in between");
	int *u = rt_realloc_array(a, w, 1000, 2000, sizeof(int));
	assert_int_equal(u[3], 7);
	assert_int_equal(u[1999], 0);

	rt_arena_on_free(a, count_cleanup, &one);
	rt_arena_reset(a);
	assert_int_equal(cleanup_count, 11);
	assert_string_equal(rt_strdup(a, "after reset"), "after reset");
	rt_arena_free(a);
	assert_int_equal(cleanup_count, 11);
}

/* rt_sprintf formats into the block's free room when the text fits and
 * formats again elsewhere when it does not, leaving older strings intact;
 * rt_concat joins its pieces. */
static void test_util__arena_sprintf_and_concat(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	char *first = rt_sprintf(a, "%s", "kept");
	/* three quarter-blocks and one short of a quarter leave 16 bytes of the
	 * first 64 KiB block (first took 16) */
	for (int i = 0; i < 3; i++)
		(void)rt_alloc_raw(a, 16384);
	(void)rt_alloc_raw(a, 16384 - 32);
	char *longer = rt_sprintf(a, "%0100d|%s", 7, "end");
	assert_int_equal(strlen(longer), 104);
	assert_int_equal(longer[99], '7');
	assert_string_equal(longer + 100, "|end");
	assert_string_equal(first, "kept");
	char *fits = rt_sprintf(a, "%d-%s", 12, "ab");
	assert_string_equal(fits, "12-ab");
	assert_string_equal(longer + 100, "|end");
	char *huge = rt_sprintf(a, "%070000d", 5);
	assert_int_equal(strlen(huge), 70000);
	assert_int_equal(huge[69999], '5');
	assert_string_equal(fits, "12-ab");

	assert_string_equal(rt_concat(a, "", NULL), "");
	assert_string_equal(rt_concat(a, "sa", ".", "Column", NULL), "sa.Column");
	assert_string_equal(rt_concat(a, "x", "", "y", NULL), "xy");
	rt_arena_free(a);
}

/* rt_buf_printf is exact whether the text fits the room left or not. */
static void test_util__buf_printf_at_every_length(void **state)
{
	(void)state;
	rt_buf b = RT_BUF_INIT, want = RT_BUF_INIT;
	char piece[300];
	for (int n = 0; n < 300; n++) {
		memset(piece, 'a' + n % 26, (size_t)n);
		piece[n] = '\0';
		rt_buf_printf(&b, "%s;", piece);
		rt_buf_add(&want, piece, (size_t)n);
		rt_buf_putc(&want, ';');
		assert_int_equal(b.len, want.len);
		assert_int_equal(b.ptr[b.len], '\0');
	}
	assert_memory_equal(b.ptr, want.ptr, want.len);
	rt_buf_release(&b);
	rt_buf_release(&want);
}

static void test_util__buf_and_json(void **state)
{
	(void)state;
	rt_buf b = RT_BUF_INIT;
	assert_string_equal(rt_buf_cstr(&b), "");
	rt_buf_printf(&b, "%d:", 7);
	rt_buf_json_str(&b, "a\"b\\c\n\x01");
	assert_string_equal(rt_buf_cstr(&b), "7:\"a\\\"b\\\\c\\n\\u0001\"");
	rt_buf_truncate(&b, 1);
	assert_string_equal(b.ptr, "7");
	char *owned = rt_buf_detach(&b);
	assert_null(b.ptr);
	assert_string_equal(owned, "7");
	free(owned);
}

static void test_util__error_owns_strings(void **state)
{
	(void)state;
	rt_error err = RT_ERROR_INIT;
	char path[] = "versions/a.py";
	rt_loc loc = { .path = path, .line = 3, .col = 5 };
	assert_int_equal(rt_error_set(&err, RT_ESYNTAX, &loc, "bad '%s'", "x"), RT_ESYNTAX);
	path[0] = 'X'; /* the error keeps its own copy */
	rt_error_hint(&err, "fix %d", 1);
	assert_string_equal(err.loc.path, "versions/a.py");
	assert_string_equal(err.message, "bad 'x'");
	assert_string_equal(err.hint, "fix 1");
	rt_error moved = RT_ERROR_INIT;
	rt_error_move(&moved, &err);
	assert_null(err.message);
	assert_int_equal(moved.code, RT_ESYNTAX);
	rt_error_clear(&moved);
	assert_int_equal(rt_error_set(NULL, RT_EOS, NULL, "ignored"), RT_EOS);
}

static void test_util__error_wrap_keeps_facts(void **state)
{
	(void)state;
	rt_error err = RT_ERROR_INIT;
	rt_error_set(&err, RT_EDB, NULL, "relation \"t\" does not exist");
	memcpy(err.sqlstate, "42P01", 6);
	rt_error_hint(&err, "server hint");
	assert_int_equal(rt_error_prefix(&err, "step '%s'", "a1"), RT_EDB);
	assert_string_equal(err.message, "step 'a1': relation \"t\" does not exist");
	rt_loc at = { .path = "versions/a1.py", .line = 7, .col = 5 };
	assert_int_equal(rt_error_wrap(&err, RT_ESYNTAX, &at, "upgrade"), RT_ESYNTAX);
	assert_string_equal(err.message, "upgrade: step 'a1': relation \"t\" does not exist");
	assert_string_equal(err.loc.path, "versions/a1.py");
	assert_int_equal(err.loc.line, 7);
	assert_string_equal(err.sqlstate, "42P01");
	assert_string_equal(err.hint, "server hint");
	rt_error_detail_append(&err, "first");
	rt_error_detail_append(&err, "second %d", 2);
	assert_string_equal(err.detail, "first\nsecond 2");
	assert_int_equal(rt_error_wrap(&err, RT_EDB, NULL, "again"), RT_EDB);
	assert_string_equal(err.loc.path, "versions/a1.py"); /* NULL keeps the location */
	rt_error_message_append(&err, " (SQLSTATE %s)", err.sqlstate);
	assert_string_equal(err.message, "again: upgrade: step 'a1': relation \"t\" does not exist "
	                                 "(SQLSTATE 42P01)");
	rt_error_clear(&err);
	assert_int_equal(rt_error_prefix(NULL, "x"), RT_OK);
}

static void test_util__diags_sorted_and_counted(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_diags d;
	rt_diags_init(&d, a);
	rt_loc l2 = { .path = "b.py", .line = 2 }, l1 = { .path = "a.py", .line = 9 };
	rt_diags_add(&d, RT_SEV_WARNING, "w", &l2, NULL, "second");
	rt_diags_add(&d, RT_SEV_ERROR, "e", &l1, "do this", "first %d", 1);
	rt_diags_sort(&d);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.warnings, 1);
	assert_string_equal(d.items[0]->message, "first 1");
	assert_string_equal(d.items[0]->hint, "do this");
	rt_buf b = RT_BUF_INIT;
	rt_loc_format(&b, &d.items[1]->loc);
	assert_string_equal(rt_buf_cstr(&b), "b.py:2: ");
	rt_buf_release(&b);
	rt_arena_free(a);
}

static void test_util__source_loc_counts_code_points(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char text[] = "line one\r\nh\xc3\xa9llo x\nlast";
	rt_source *src = rt_source_from_mem(a, "t.py", text, sizeof(text) - 1);
	assert_int_equal(src->nlines, 3);
	const char *x = strchr(text, 'x');
	rt_loc loc = rt_source_loc(src, (size_t)(x - text), 1);
	assert_int_equal(loc.line, 2);
	assert_int_equal(loc.col, 7); /* h é l l o ' ' x: é is one column */
	size_t n;
	const char *line = rt_source_line(src, 1, &n);
	assert_int_equal(n, 8); /* "\r" is not part of the line */
	assert_memory_equal(line, "line one", 8);
	loc = rt_source_loc(src, 10000, 0);
	assert_int_equal(loc.line, 3);
	rt_arena_free(a);
}

/* Line maps: no newline, a final newline, an empty text, blank lines. */
static void test_util__source_line_maps(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	static const struct { const char *text; size_t nlines; uint32_t starts[4]; } cases[] = {
		{ "", 1, { 0 } },
		{ "abc", 1, { 0 } },
		{ "abc\n", 2, { 0, 4 } },
		{ "\n\nx", 3, { 0, 1, 2 } },
		{ "a\r\nb\n\n", 4, { 0, 3, 5, 6 } },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rt_source *src = rt_source_from_mem(a, NULL, cases[i].text, strlen(cases[i].text));
		assert_int_equal(src->nlines, cases[i].nlines);
		for (size_t k = 0; k < cases[i].nlines; k++)
			assert_int_equal(src->line_starts[k], cases[i].starts[k]);
	}
	rt_arena_free(a);
}

static void test_util__stmt_maps_offsets(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char text[] = "-- x\nSELECT 1;\nSELECT bad;\n";
	rt_source *src = rt_source_from_mem(a, "m.sql", text, sizeof(text) - 1);
	rt_stmt *s = rt_stmt_verbatim(a, src, 15, 10);
	assert_string_equal(s->sql, "SELECT bad");
	rt_loc loc = rt_stmt_loc(s, 7);
	assert_int_equal(loc.line, 3);
	assert_int_equal(loc.col, 8);
	/* a string with an escape: out 0..4 maps linearly to 100.., then 5.. to 107.. */
	rt_stmt *g = rt_stmt_generated(a, "CREATE TABLE t ()", src, 5);
	assert_int_equal(rt_stmt_loc(g, 12).line, 2);
	rt_stmt e = { .sql = "x", .len = 1 };
	assert_null(rt_stmt_loc(&e, 0).path);
	rt_stmt m = { .sql = "abcdefgh", .len = 8, .src = src };
	rt_stmt_add_seg(a, &m, 0, 0, true);
	rt_stmt_add_seg(a, &m, 4, 16, true);
	size_t pos;
	assert_true(rt_stmt_src_offset(&m, 5, &pos));
	assert_int_equal(pos, 17);
	assert_true(rt_stmt_src_offset(&m, 2, &pos));
	assert_int_equal(pos, 2);
	rt_arena_free(a);
}

static void test_util__edit_distance(void **state)
{
	(void)state;
	assert_int_equal(rt_edit_distance("", ""), 0);
	assert_int_equal(rt_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(rt_edit_distance("upgrade", "upgrde"), 1);
	assert_int_equal(rt_edit_distance("ab", "ba"), 2);
	assert_int_equal(rt_edit_distance("", "heads"), 5);
	char longest[RT_EDIT_DISTANCE_MAX + 2];
	memset(longest, 'a', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	assert_int_equal(rt_edit_distance(longest, "a"), SIZE_MAX);
	longest[RT_EDIT_DISTANCE_MAX] = '\0';
	assert_int_equal(rt_edit_distance(longest, "a"), RT_EDIT_DISTANCE_MAX - 1);
}

static volatile sig_atomic_t alarmed;

static void on_alarm(int signo)
{
	alarmed = signo;
}

static void test_util__sleep_ends_on_a_signal(void **state)
{
	(void)state;
	double t0 = rt_clock_ms();
	assert_true(rt_sleep(0.05, &alarmed));
	double slept = rt_clock_ms() - t0;
	assert_true(slept >= 50.0 && slept < 1000.0);
	/* a flag already set: no sleep at all */
	alarmed = 1;
	t0 = rt_clock_ms();
	assert_false(rt_sleep(5.0, &alarmed));
	assert_true(rt_clock_ms() - t0 < 50.0);
	/* a signal arriving during the sleep ends it (its handler sets the flag) */
	alarmed = 0;
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	struct itimerval in_30ms = { .it_value = { .tv_sec = 0, .tv_usec = 30000 } };
	assert_int_equal(setitimer(ITIMER_REAL, &in_30ms, NULL), 0);
	t0 = rt_clock_ms();
	assert_false(rt_sleep(5.0, &alarmed));
	assert_true(rt_clock_ms() - t0 < 1000.0);
	assert_int_equal(alarmed, SIGALRM);
	sigaction(SIGALRM, &old, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util__arena_strings_and_vectors),
		cmocka_unit_test(test_util__arena_cleanup_runs_once),
		cmocka_unit_test(test_util__arena_marks_and_reuse),
		cmocka_unit_test(test_util__arena_sprintf_and_concat),
		cmocka_unit_test(test_util__buf_and_json),
		cmocka_unit_test(test_util__buf_printf_at_every_length),
		cmocka_unit_test(test_util__error_owns_strings),
		cmocka_unit_test(test_util__error_wrap_keeps_facts),
		cmocka_unit_test(test_util__diags_sorted_and_counted),
		cmocka_unit_test(test_util__source_loc_counts_code_points),
		cmocka_unit_test(test_util__source_line_maps),
		cmocka_unit_test(test_util__stmt_maps_offsets),
		cmocka_unit_test(test_util__edit_distance),
		cmocka_unit_test(test_util__sleep_ends_on_a_signal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
