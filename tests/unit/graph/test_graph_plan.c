/*
 * Unit tests for target resolution and plans (upgrade, downgrade, stamp):
 * step order, version-row statements and refusals, each checked against the
 * alembic-lab transcript lines quoted beside it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

typedef struct run {
	int rc;
	rt_plan *plan;
	const char *steps, *ops, *rows, *error, *detail;
} run;

static run finish(fx *f, int rc, rt_plan *p, rt_error *err)
{
	run r = { .rc = rc, .plan = p };
	if (rc == RT_OK) {
		r.steps = fx_steps(f, p);
		r.ops = fx_ops(f, p);
		r.rows = fx_strv(f, &p->rows_after);
	} else {
		r.error = rt_strdup(f->arena, err->message);
		r.detail = err->detail ? rt_strdup(f->arena, err->detail) : NULL;
	}
	rt_error_clear(err);
	return r;
}

static run up(fx *f, const char *rows, const char *target)
{
	rt_strv r = fx_rows(f, rows);
	rt_plan *p = NULL;
	rt_error err = RT_ERROR_INIT;
	int rc = rt_plan_upgrade(&p, f->arena, f->g, &r, target, &err);
	return finish(f, rc, p, &err);
}

static run down(fx *f, const char *rows, const char *target)
{
	rt_strv r = fx_rows(f, rows);
	rt_plan *p = NULL;
	rt_error err = RT_ERROR_INIT;
	int rc = rt_plan_downgrade(&p, f->arena, f->g, &r, target, &err);
	return finish(f, rc, p, &err);
}

static run stamp(fx *f, const char *rows, const char *targets, bool purge)
{
	rt_strv r = fx_rows(f, rows), t = fx_rows(f, targets);
	rt_plan *p = NULL;
	rt_error err = RT_ERROR_INIT;
	int rc = rt_plan_stamp(&p, f->arena, f->g, &r, t.v, t.n, purge, &err);
	return finish(f, rc, p, &err);
}

static const char *step_text(fx *f, const rt_plan *p, size_t k, bool log)
{
	rt_buf b = RT_BUF_INIT;
	if (log)
		rt_step_format_log(&b, p->steps[k]);
	else
		rt_step_format_short(&b, p->steps[k]);
	const char *s = rt_strdup(f->arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

static const char *resolved(fx *f, const char *symbol)
{
	rt_revlist l = { 0 };
	rt_error err = RT_ERROR_INIT;
	if (rt_graph_resolve(f->g, symbol, &l, f->arena, &err) < 0) {
		const char *s = rt_sprintf(f->arena, "%s | %s", err.message, err.detail ? err.detail : "");
		rt_error_clear(&err);
		return s;
	}
	return fx_ids(f, &l);
}

/* ---- linear: 01_linear.txt and 02_targets_linear.txt ---- */

static void test_plan__linear_offline_sql(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	run r = up(f, "", "head");
	/* "-- Running upgrade  -> aaaa1111" / INSERT ... ('aaaa1111') /
	 * "-- Running upgrade aaaa1111 -> bbbb2222" / UPDATE ... */
	assert_string_equal(r.steps, "u:aaaa1111 u:bbbb2222 u:cccc3333");
	assert_string_equal(r.ops, "I:aaaa1111; U:aaaa1111>bbbb2222; U:bbbb2222>cccc3333");
	assert_string_equal(step_text(f, r.plan, 0, false), "upgrade  -> aaaa1111");
	assert_string_equal(step_text(f, r.plan, 1, false), "upgrade aaaa1111 -> bbbb2222");
	assert_int_equal(r.plan->steps[0]->rows_before.n, 0);
	assert_string_equal(fx_strv(f, &r.plan->steps[1]->rows_before), "aaaa1111");
	/* "-- Running downgrade aaaa1111 -> " then DELETE */
	r = down(f, "cccc3333", "base");
	assert_string_equal(r.steps, "d:cccc3333 d:bbbb2222 d:aaaa1111");
	assert_string_equal(r.ops, "U:cccc3333>bbbb2222; U:bbbb2222>aaaa1111; D:aaaa1111");
	assert_string_equal(step_text(f, r.plan, 2, false), "downgrade aaaa1111 -> ");
	/* log: "Running downgrade aaaa1111 -> , first" */
	assert_string_equal(step_text(f, r.plan, 2, true), "downgrade aaaa1111 -> , first");
	assert_string_equal(r.rows, "");
	fx_free(f);
}

static void test_plan__linear_relative(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	/* "== alembic downgrade -- -1": "Running downgrade cccc3333 -> bbbb2222, third" */
	run r = down(f, "cccc3333", "-1");
	assert_string_equal(r.steps, "d:cccc3333");
	assert_string_equal(step_text(f, r.plan, 0, true), "downgrade cccc3333 -> bbbb2222, third");
	/* "== alembic upgrade +1" */
	assert_string_equal(up(f, "bbbb2222", "+1").steps, "u:cccc3333");
	/* "== alembic downgrade -- -2" */
	assert_string_equal(down(f, "cccc3333", "-2").steps, "d:cccc3333 d:bbbb2222");
	/* "FAILED: Relative revision +5 didn't produce 5 migrations" */
	r = up(f, "aaaa1111", "+5");
	assert_int_equal(r.rc, RT_ENOTFOUND);
	assert_string_equal(r.error, "Relative revision +5 didn't produce 5 migrations");
	/* "FAILED: Relative revision -5 didn't produce 5 migrations" */
	assert_string_equal(down(f, "aaaa1111", "-5").error,
	                    "Relative revision -5 didn't produce 5 migrations");
	/* "== alembic upgrade aaaa1111+1" / "bbbb2222+1" / "downgrade cccc3333-2" */
	assert_string_equal(up(f, "aaaa1111", "aaaa1111+1").steps, "u:bbbb2222");
	assert_string_equal(up(f, "bbbb2222", "bbbb2222+1").steps, "u:cccc3333");
	assert_string_equal(down(f, "cccc3333", "cccc3333-2").steps, "d:cccc3333 d:bbbb2222");
	/* "== alembic upgrade +2" from an empty table */
	r = up(f, "", "+2");
	assert_string_equal(r.steps, "u:aaaa1111 u:bbbb2222");
	assert_string_equal(step_text(f, r.plan, 0, true), "upgrade  -> aaaa1111, first");
	/* "FAILED: Relative revision 0 didn't produce 0 migrations" */
	assert_string_equal(up(f, "bbbb2222", "+0").error,
	                    "Relative revision 0 didn't produce 0 migrations");
	/* "== alembic upgrade aaaa+2" from bbbb2222 */
	assert_string_equal(up(f, "bbbb2222", "aaaa+2").steps, "u:cccc3333");
	/* 3.3: "Relative revision -1 didn't produce 1 migrations" / "+1 ..." */
	assert_string_equal(up(f, "bbbb2222", "-1").error,
	                    "Relative revision -1 didn't produce 1 migrations");
	assert_string_equal(down(f, "bbbb2222", "+1").error,
	                    "Relative revision +1 didn't produce 1 migrations");
	/* walking below base from the empty table */
	assert_string_equal(down(f, "", "-1").error, "Relative revision -1 didn't produce 1 migrations");
	fx_free(f);
}

static void test_plan__linear_symbols(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	/* "== alembic upgrade cc" / "downgrade b" (1-char prefix works) */
	assert_string_equal(up(f, "bbbb2222", "cc").steps, "u:cccc3333");
	assert_string_equal(down(f, "cccc3333", "b").steps, "d:cccc3333");
	/* "FAILED: Can't locate revision identified by 'zzz'" */
	run r = down(f, "bbbb2222", "zzz");
	assert_int_equal(r.rc, RT_ENOTFOUND);
	assert_string_equal(r.error, "Can't locate revision identified by 'zzz'");
	assert_string_equal(r.detail, "No such revision or branch 'zzz'; please ensure at least four "
	                              "characters are present for partial revision identifier "
	                              "matches");
	/* "== alembic upgrade aaaa1111" at bbbb2222: nothing */
	r = up(f, "bbbb2222", "aaaa1111");
	assert_int_equal(r.rc, RT_OK);
	assert_int_equal(r.plan->n, 0);
	assert_string_equal(r.rows, "bbbb2222");
	/* "FAILED: Destination head is not a valid downgrade target from current head(s)" */
	r = down(f, "bbbb2222", "head");
	assert_int_equal(r.rc, RT_EGRAPH);
	assert_string_equal(r.error,
	                    "Destination head is not a valid downgrade target from current head(s)");
	/* downgrading to the current revision is a no-op */
	assert_int_equal(down(f, "bbbb2222", "bbbb2222").plan->n, 0);
	/* "== alembic upgrade heads" from aaaa1111 */
	assert_string_equal(up(f, "aaaa1111", "heads").steps, "u:bbbb2222 u:cccc3333");
	/* upgrade base is a no-op */
	assert_int_equal(up(f, "bbbb2222", "base").plan->n, 0);
	fx_free(f);
}

static void test_plan__linear_bad_rows(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	/* 1.2: "FAILED: Can't locate revision identified by 'deadbeef99'" */
	run r = up(f, "deadbeef99", "head");
	assert_int_equal(r.rc, RT_ENOTFOUND);
	assert_string_equal(r.error, "Can't locate revision identified by 'deadbeef99'");
	assert_string_equal(down(f, "cccc3333,deadbeef99", "base").error,
	                    "Can't locate revision identified by 'deadbeef99'");
	/* 1.2: "FAILED: Requested revision bbbb2222 overlaps with other requested
	 * revisions aaaa1111" */
	r = up(f, "aaaa1111,bbbb2222", "head");
	assert_int_equal(r.rc, RT_EGRAPH);
	assert_string_equal(r.error,
	                    "Requested revision bbbb2222 overlaps with other requested revisions "
	                    "aaaa1111");
	fx_free(f);
}

/* ---- 03_partial_ids.txt ---- */

static void test_plan__partial_ids(void **state)
{
	(void)state;
	fx *f = fx_load("ambig");
	/* "abc -> ResolutionError : Multiple revisions start with 'abc': ..." */
	assert_string_equal(resolved(f, "abc"),
	                    "Can't locate revision identified by 'abc' | Multiple revisions start "
	                    "with 'abc': 'abc11111', 'abc22222'...");
	assert_string_equal(resolved(f, "ab"),
	                    "Can't locate revision identified by 'ab' | Multiple revisions start "
	                    "with 'ab': 'abc11111', 'abc22222'...");
	assert_string_equal(resolved(f, "abc1"), "abc11111");
	/* "xy -> ... No such revision or branch 'xy'; please ensure ..." */
	assert_string_equal(resolved(f, "xy"),
	                    "Can't locate revision identified by 'xy' | No such revision or branch "
	                    "'xy'; please ensure at least four characters are present for partial "
	                    "revision identifier matches");
	assert_string_equal(resolved(f, "xyz"), "xyz");
	/* "upgrade ABC1 --sql: FAILED: Can't locate revision identified by 'ABC1'" */
	assert_string_equal(resolved(f, "ABC1"),
	                    "Can't locate revision identified by 'ABC1' | No such revision or "
	                    "branch 'ABC1'");
	/* "upgrade abc2 --sql: -- Running upgrade  -> abc11111 -- Running upgrade
	 * abc11111 -> abc22222" */
	assert_string_equal(up(f, "", "abc2").steps, "u:abc11111 u:abc22222");
	rt_revlist l = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_graph_resolve(f->g, "abc", &l, f->arena, &err), RT_EAMBIGUOUS);
	rt_error_clear(&err);
	const rt_revision *one = NULL;
	assert_int_equal(rt_graph_resolve_one(f->g, "base", &one, &err), RT_OK);
	assert_null(one);
	assert_int_equal(rt_graph_resolve_one(f->g, "head", &one, &err), RT_OK);
	assert_string_equal(one->id, "xyz");
	fx_free(f);
}

/* ---- 04_branches_merges.txt ---- */

static void test_plan__branch_heads(void **state)
{
	(void)state;
	fx *f = fx_load("branches_nomerge");
	/* "FAILED: Multiple head revisions are present for given argument 'head'; ..." */
	run r = up(f, "", "head");
	assert_int_equal(r.rc, RT_EAMBIGUOUS);
	assert_string_equal(r.error, "Multiple head revisions are present for given argument "
	                             "'head'; please specify a specific target revision, "
	                             "'<branchname>@head' to narrow to a specific head, or 'heads' "
	                             "for all heads");
	assert_string_equal(r.detail, "Multiple heads are present for given argument 'head'; "
	                              "b2000002, c1000001");
	/* "branches: offline upgrade heads" */
	r = up(f, "", "heads");
	assert_string_equal(r.steps, "u:a0000001 u:c1000001 u:b1000001 u:b2000002");
	assert_string_equal(r.ops, "I:a0000001; U:a0000001>c1000001; I:b1000001; "
	                           "U:b1000001>b2000002");
	assert_string_equal(r.rows, "c1000001,b2000002");
	/* "offline upgrade c1000001:featb@head" */
	r = up(f, "c1000001", "featb@head");
	assert_string_equal(r.steps, "u:b1000001 u:b2000002");
	assert_string_equal(r.ops, "I:b1000001; U:b1000001>b2000002");
	/* "== alembic upgrade featb@head" online from empty */
	assert_string_equal(up(f, "", "featb@head").ops,
	                    "I:a0000001; U:a0000001>b1000001; U:b1000001>b2000002");
	/* "== alembic upgrade featc@head" from b2000002 */
	r = up(f, "b2000002", "featc@head");
	assert_string_equal(r.ops, "I:c1000001");
	assert_string_equal(r.rows, "b2000002,c1000001");
	fx_free(f);
}

static void test_plan__branch_downgrades(void **state)
{
	(void)state;
	fx *f = fx_load("branches_nomerge");
	/* "== alembic downgrade featb@-1" from b2000002,c1000001 */
	run r = down(f, "b2000002,c1000001", "featb@-1");
	assert_string_equal(r.ops, "U:b2000002>b1000001");
	assert_string_equal(r.rows, "c1000001,b1000001");
	/* "== alembic downgrade featb@base": b1, then c1 (same base), then a0 */
	r = down(f, "b1000001,c1000001", "featb@base");
	assert_string_equal(r.steps, "d:b1000001 d:c1000001 d:a0000001");
	assert_string_equal(r.ops, "D:b1000001; U:c1000001>a0000001; D:a0000001");
	/* "== alembic downgrade a0000001" from b2000002,c1000001 */
	r = down(f, "b2000002,c1000001", "a0000001");
	assert_string_equal(r.ops, "U:b2000002>b1000001; D:b1000001; U:c1000001>a0000001");
	assert_string_equal(r.rows, "a0000001");
	/* "FAILED: Can't locate revision identified by 'featx'" and "... 'c1000001'" */
	assert_string_equal(up(f, "a0000001", "featx@head").error,
	                    "Can't locate revision identified by 'featx'");
	r = up(f, "a0000001", "featb@c1000001");
	assert_string_equal(r.error, "Can't locate revision identified by 'c1000001'");
	assert_string_equal(r.detail, "Revision c1000001 is not a member of branch 'featb'");
	/* 3.3: rows {b2000002}, "upgrade featc@+1 ran a0000001 -> c1000001" */
	r = up(f, "b2000002", "featc@+1");
	assert_string_equal(r.steps, "u:c1000001");
	assert_string_equal(r.rows, "b2000002,c1000001");
	/* several rows and a bare +1 */
	assert_string_equal(up(f, "b1000001,c1000001", "+1").error,
	                    "Ambiguous upgrade from multiple current revisions");
	/* 3.3: downgrade -1 with several rows warns and uses the first row */
	r = down(f, "b2000002,c1000001", "-1");
	assert_string_equal(r.steps, "d:b2000002");
	assert_string_equal(r.plan->warning, "downgrade -1 from multiple heads is ambiguous; this "
	                                     "usage will be disallowed in a future release.");
	fx_free(f);
}

static void test_plan__labels_as_targets(void **state)
{
	(void)state;
	fx *f = fx_load("branches_nomerge");
	/* 12_misc.txt: "upgrade featb --sql: -- Running upgrade  -> a0000001 --
	 * Running upgrade a0000001 -> b1000001" (a bare label = its revision) */
	assert_string_equal(up(f, "", "featb").steps, "u:a0000001 u:b1000001");
	assert_string_equal(up(f, "", "featc").steps, "u:a0000001 u:c1000001");
	/* "upgrade c1000001@head" and "upgrade b1@head" (a revision as branch) */
	assert_string_equal(up(f, "", "c1000001@head").steps, "u:a0000001 u:c1000001");
	assert_string_equal(up(f, "", "b1@head").steps, "u:a0000001 u:b1000001 u:b2000002");
	assert_string_equal(resolved(f, "featb@heads"), "b2000002");
	assert_string_equal(resolved(f, "featb@b2000002"), "b2000002");
	assert_string_equal(resolved(f, "featb"), "b1000001");
	assert_string_equal(resolved(f, "heads"), "b2000002,c1000001");
	assert_string_equal(resolved(f, "base"), "");
	assert_string_equal(resolved(f, "-1"), "b1000001,a0000001");
	fx_free(f);
	f = fx_load("labelup");
	/* 2.6: "upgrade mid@l1000000 is valid" */
	assert_string_equal(up(f, "", "mid@l1000000").steps, "u:l1000000");
	fx_free(f);
}

static void test_plan__merge(void **state)
{
	(void)state;
	fx *f = fx_load("branches");
	/* "== alembic upgrade head" from b2000002,c1000001 */
	run r = up(f, "b2000002,c1000001", "head");
	assert_string_equal(r.ops, "D:b2000002 U:c1000001>m0000001");
	assert_string_equal(r.rows, "m0000001");
	assert_string_equal(step_text(f, r.plan, 0, true),
	                    "upgrade b2000002, c1000001 -> m0000001, m0000001");
	/* "FAILED: Ambiguous walk" */
	r = down(f, "m0000001", "-1");
	assert_int_equal(r.rc, RT_EAMBIGUOUS);
	assert_string_equal(r.error, "Ambiguous walk");
	/* "== alembic downgrade b2000002" / "downgrade c1000001": unmerge */
	r = down(f, "m0000001", "b2000002");
	assert_string_equal(r.ops, "I:b2000002 U:m0000001>c1000001");
	assert_string_equal(r.rows, "b2000002,c1000001");
	assert_string_equal(step_text(f, r.plan, 0, false), "downgrade m0000001 -> b2000002, c1000001");
	assert_string_equal(down(f, "m0000001", "c1000001").ops, "I:b2000002 U:m0000001>c1000001");
	/* "== alembic downgrade a0000001" from m0000001 */
	r = down(f, "m0000001", "a0000001");
	assert_string_equal(r.steps, "d:m0000001 d:b2000002 d:b1000001 d:c1000001");
	assert_string_equal(r.ops, "I:b2000002 U:m0000001>c1000001; U:b2000002>b1000001; "
	                           "D:b1000001; U:c1000001>a0000001");
	/* "== alembic downgrade base" from a0000001 */
	assert_string_equal(down(f, "a0000001", "base").ops, "D:a0000001");
	/* featb@head follows the label through the merge */
	assert_string_equal(resolved(f, "featb@head"), "m0000001");
	fx_free(f);
}

/* ---- 06_multibase_forms.txt ---- */

static void test_plan__multibase_dependencies(void **state)
{
	(void)state;
	fx *f = fx_load("multibase");
	/* "== alembic upgrade head": multiple heads (a2000000 is an effective head) */
	assert_int_equal(up(f, "", "head").rc, RT_EAMBIGUOUS);
	/* "== alembic upgrade xray@head" */
	run r = up(f, "", "xray@head");
	assert_string_equal(r.steps, "u:a1000000 u:a2000000 u:x1000000 u:x2000000");
	assert_string_equal(r.ops, "I:a1000000; U:a1000000>a2000000; I:x1000000; "
	                           "D:x1000000 U:a2000000>x2000000");
	assert_string_equal(r.rows, "x2000000");
	/* "== alembic downgrade alpha@base" */
	r = down(f, "x2000000", "alpha@base");
	assert_string_equal(r.ops, "I:x1000000 U:x2000000>a2000000; U:a2000000>a1000000; "
	                           "D:a1000000");
	assert_string_equal(r.rows, "x1000000");
	/* "== alembic upgrade heads" from x1000000 */
	r = up(f, "x1000000", "heads");
	assert_string_equal(r.ops, "I:a1000000; U:a1000000>a2000000; D:x1000000 "
	                           "U:a2000000>x2000000");
	/* "== alembic downgrade xray@base" */
	r = down(f, "x2000000", "xray@base");
	assert_string_equal(r.ops, "I:x1000000 U:x2000000>a2000000; D:x1000000");
	assert_string_equal(r.rows, "a2000000");
	/* "== alembic downgrade base" from a2000000 */
	assert_string_equal(down(f, "a2000000", "base").ops, "U:a2000000>a1000000; D:a1000000");
	fx_free(f);
}

static void test_plan__forms(void **state)
{
	(void)state;
	fx *f = fx_load("forms");
	/* "-- Running upgrade  -> f3000000" / "UPDATE ... 'f3000000' WHERE ... 'f2000000'"
	 * (f3's depends_on f2000000 is a row) / "-- Running upgrade f3000000,
	 * f2000000 -> f4000000" */
	run r = up(f, "", "head");
	assert_string_equal(r.steps, "u:f1000000 u:f2000000 u:f3000000 u:f4000000");
	assert_string_equal(r.ops, "I:f1000000; U:f1000000>f2000000; U:f2000000>f3000000; "
	                           "U:f3000000>f4000000");
	assert_string_equal(step_text(f, r.plan, 2, false), "upgrade  -> f3000000");
	assert_string_equal(step_text(f, r.plan, 3, false), "upgrade f3000000, f2000000 -> f4000000");
	fx_free(f);
}

static void test_plan__dup_runs_winner(void **state)
{
	(void)state;
	fx *f = fx_load("dup");
	/* "dup: upgrade heads --sql": "-- Running upgrade r1 -> r2" / "SELECT 'up r2
	 * from file b'" */
	run r = up(f, "r1", "heads");
	assert_string_equal(r.steps, "u:r2");
	assert_string_equal(r.plan->steps[0]->rev->message, "up r2 from file b");
	/* 2.5: "upgrade head → Multiple head revisions are present ..." */
	assert_int_equal(up(f, "r1", "head").rc, RT_EAMBIGUOUS);
	fx_free(f);
}

/* Alembic 1.8.1 (#1373) leaves overlapping rows here; retort keeps the
 * maximal elements, as Alembic >= 1.13.1 does. */
static void test_plan__unmerge_related_parents(void **state)
{
	(void)state;
	fx *f = fx_text("v/r0.py | r0000000 | | | |\n"
	                "v/r1.py | r1000000 | r0000000 | | |\n"
	                "v/r2.py | r2000000 | r1000000 | | |\n"
	                "v/m.py | m0000000 | r2000000,r1000000 | | |\n");
	run r = down(f, "m0000000", "r2000000");
	assert_string_equal(r.ops, "U:m0000000>r2000000");
	assert_string_equal(r.rows, "r2000000");
	r = up(f, "r2000000", "head");
	assert_string_equal(r.ops, "U:r2000000>m0000000");
	fx_free(f);
}

/* ---- 05_stamp.txt ---- */

static void test_plan__stamp_sequence(void **state)
{
	(void)state;
	fx *f = fx_load("branches");
	/* rows are given in table (heap) order: an UPDATEd row moves to the end */
	assert_string_equal(stamp(f, "", "b1000001", false).ops, "I:b1000001");
	assert_string_equal(stamp(f, "b1000001", "c1000001", false).ops, "I:c1000001");
	assert_string_equal(stamp(f, "b1000001,c1000001", "b2000002", false).ops,
	                    "U:b1000001>b2000002");
	/* "== alembic stamp heads": "DELETE ... 'c1000001'" then "UPDATE ... 'm0000001'
	 * WHERE ... 'b2000002'" */
	run r = stamp(f, "c1000001,b2000002", "heads", false);
	assert_string_equal(r.ops, "D:c1000001 U:b2000002>m0000001");
	assert_string_equal(r.rows, "m0000001");
	assert_string_equal(stamp(f, "m0000001", "base", false).ops, "D:m0000001");
	assert_string_equal(stamp(f, "", "a0000001", false).ops, "I:a0000001");
	/* "== alembic stamp c1000001 b2000002": UPDATE a0->c1, INSERT b2 */
	r = stamp(f, "a0000001", "c1000001,b2000002", false);
	assert_string_equal(r.ops, "U:a0000001>c1000001; I:b2000002");
	assert_string_equal(r.rows, "c1000001,b2000002");
	assert_string_equal(stamp(f, "c1000001,b2000002", "b1000001", false).ops,
	                    "U:b2000002>b1000001");
	assert_string_equal(stamp(f, "c1000001,b1000001", "m0000001", false).ops,
	                    "D:c1000001 U:b1000001>m0000001");
	assert_string_equal(stamp(f, "m0000001", "a0000001", false).ops, "U:m0000001>a0000001");
	/* "FAILED: Can't locate revision identified by 'zzzz9999'" */
	assert_string_equal(stamp(f, "a0000001,zzzz9999", "heads", false).error,
	                    "Can't locate revision identified by 'zzzz9999'");
	/* "== alembic stamp --purge heads": DELETE FROM alembic_version; INSERT m */
	r = stamp(f, "a0000001,zzzz9999", "heads", true);
	assert_true(r.plan->purge);
	assert_string_equal(r.ops, "I:m0000001");
	fx_free(f);
}

static void test_plan__stamp_offline_texts(void **state)
{
	(void)state;
	fx *f = fx_load("branches");
	/* "-- Running stamp_revision m0000001 -> a0000001" */
	run r = stamp(f, "m0000001", "a0000001", false);
	assert_string_equal(step_text(f, r.plan, 0, false), "stamp_revision m0000001 -> a0000001");
	/* "-- Running stamp_revision m0000001 -> " then DELETE */
	r = stamp(f, "m0000001", "base", false);
	assert_string_equal(step_text(f, r.plan, 0, true), "stamp_revision m0000001 -> ");
	/* "stamp b2000002 c1000001 --sql": two INSERT steps from base */
	r = stamp(f, "", "b2000002,c1000001", false);
	assert_string_equal(r.ops, "I:b2000002; I:c1000001");
	assert_string_equal(step_text(f, r.plan, 0, false), "stamp_revision  -> b2000002");
	/* partial ids and labels store the full id */
	assert_string_equal(stamp(f, "", "featb@b2000002", false).ops, "I:b2000002");
	fx_free(f);
	f = fx_load("linear");
	assert_string_equal(stamp(f, "", "bbbb", false).ops, "I:bbbb2222");
	/* stamp base on an empty table: no step */
	assert_int_equal(stamp(f, "", "base", false).plan->n, 0);
	fx_free(f);
}


/* ---- more targets, each checked against Alembic 1.8.1 offline --sql ---- */

static void test_plan__walk_to_base(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	/* downgrade cccc3333:-3 reaches "base": everything is undone */
	assert_string_equal(down(f, "cccc3333", "-3").steps, "d:cccc3333 d:bbbb2222 d:aaaa1111");
	/* upgrade aaaa1111:cccc3333-1 */
	assert_string_equal(up(f, "aaaa1111", "cccc3333-1").steps, "u:bbbb2222");
	/* an empty table and downgrade base: nothing to do, no error */
	run r = down(f, "", "base");
	assert_int_equal(r.rc, RT_OK);
	assert_int_equal(r.plan->n, 0);
	/* already at the heads */
	assert_int_equal(up(f, "cccc3333", "heads").plan->n, 0);
	fx_free(f);
}

static void test_plan__label_relative_up(void **state)
{
	(void)state;
	fx *f = fx_load("branches_nomerge");
	/* featb@+2 from an empty table: the walk up keeps to featb's lineage */
	assert_string_equal(up(f, "", "featb@+2").steps, "u:a0000001 u:b1000001");
	/* featb+1: a label as the symbol of a relative target */
	assert_string_equal(up(f, "", "featb+1").steps, "u:a0000001 u:b1000001 u:b2000002");
	/* heads from b2000002 adds only the other branch */
	run r = up(f, "b2000002", "heads");
	assert_string_equal(r.ops, "I:c1000001");
	fx_free(f);
	f = fx_load("multibase");
	/* xray@+1 from nothing: the alpha base is not on xray's lineage */
	assert_string_equal(up(f, "", "xray@+1").steps, "u:x1000000");
	fx_free(f);
}

static void test_plan__label_relative_down(void **state)
{
	(void)state;
	fx *f = fx_load("branches_nomerge");
	/* featc@base undoes both branches: they share the unlabelled base */
	assert_string_equal(down(f, "b2000002,c1000001", "featc@base").steps,
	                    "d:b2000002 d:b1000001 d:c1000001 d:a0000001");
	assert_string_equal(down(f, "c1000001", "-1").ops, "U:c1000001>a0000001");
	/* "Relative revision +1 didn't produce 1 migrations" for label@+1 */
	assert_string_equal(down(f, "b2000002", "featb@+1").error,
	                    "Relative revision +1 didn't produce 1 migrations");
	fx_free(f);
	f = fx_load("branches");
	/* featb@-1 at the merge still meets two parents */
	assert_string_equal(down(f, "m0000001", "featb@-1").error, "Ambiguous walk");
	fx_free(f);
}

static void test_plan__dependency_targets(void **state)
{
	(void)state;
	fx *f = fx_load("multibase");
	/* a2000000 has no child by down_revision: nothing lies above it */
	run r = down(f, "x2000000", "a2000000");
	assert_string_equal(r.error, "Destination a2000000 is not a valid downgrade target from "
	                             "current head(s)");
	/* upgrade x2000000:a1000000 is a no-op (already applied through depends_on) */
	assert_int_equal(up(f, "x2000000", "a1000000").plan->n, 0);
	/* stamp x2000000:a1000000 --sql: "UPDATE ... 'a1000000' WHERE ... 'x2000000'" */
	assert_string_equal(stamp(f, "x2000000", "a1000000", false).ops, "U:x2000000>a1000000");
	fx_free(f);
}

static void test_plan__resolve_symbols(void **state)
{
	(void)state;
	fx *f = fx_load("branches_nomerge");
	assert_string_equal(resolved(f, "featb@base"), "");
	assert_string_equal(resolved(f, "featb@-1"), "b1000001");
	assert_string_equal(resolved(f, "featc@heads"), "c1000001");
	assert_string_equal(resolved(f, "b2000002"), "b2000002");
	/* a prefix of a label also matches (Alembic scans labels as map keys) */
	assert_string_equal(resolved(f, "feat"), "Can't locate revision identified by 'feat' | "
	                                         "Multiple revisions start with 'feat': 'featb', "
	                                         "'featc'...");
	assert_string_equal(resolved(f, "nope@head"),
	                    "Can't locate revision identified by 'nope' | No such revision or branch "
	                    "'nope'");
	assert_string_equal(resolved(f, "head"),
	                    "Multiple head revisions are present for given argument 'head'; please "
	                    "specify a specific target revision, '<branchname>@head' to narrow to a "
	                    "specific head, or 'heads' for all heads | Multiple heads are present "
	                    "for given argument 'head'; b2000002, c1000001");
	const rt_revision *one;
	rt_error err = RT_ERROR_INIT;
	/* get_revision('heads') with two heads */
	assert_int_equal(rt_graph_resolve_one(f->g, "heads", &one, &err), RT_EAMBIGUOUS);
	assert_non_null(strstr(err.message, "argument 'heads'"));
	assert_non_null(err.hint);
	rt_error_clear(&err);
	fx_free(f);
}

static void test_plan__steps_record_rows(void **state)
{
	(void)state;
	fx *f = fx_load("branches");
	run r = down(f, "m0000001", "a0000001");
	const rt_plan *p = r.plan;
	assert_int_equal(p->n, 4);
	assert_string_equal(fx_strv(f, &p->rows_before), "m0000001");
	assert_string_equal(fx_strv(f, &p->steps[0]->rows_after), "b2000002,c1000001");
	assert_string_equal(fx_strv(f, &p->steps[1]->rows_before), "b2000002,c1000001");
	assert_string_equal(fx_strv(f, &p->steps[3]->rows_after), "a0000001");
	/* from/to: down_revision only, as "Running downgrade m0000001 -> b2000002, c1000001" */
	assert_string_equal(fx_strv(f, &p->steps[0]->from), "m0000001");
	assert_string_equal(fx_strv(f, &p->steps[0]->to), "b2000002,c1000001");
	fx_free(f);
	f = fx_load("multibase");
	/* "-- Running upgrade x1000000 -> x2000000": the dependency is not shown */
	r = up(f, "a2000000,x1000000", "heads");
	assert_string_equal(step_text(f, r.plan, 0, false), "upgrade x1000000 -> x2000000");
	assert_string_equal(r.ops, "D:x1000000 U:a2000000>x2000000");
	fx_free(f);
}

static void test_plan__stamp_lineage(void **state)
{
	(void)state;
	fx *f = fx_load("branches_nomerge");
	/* a row on another branch is left alone */
	run r = stamp(f, "c1000001", "featb@head", false);
	assert_string_equal(r.ops, "I:b2000002");
	assert_string_equal(r.rows, "c1000001,b2000002");
	/* already a row: nothing */
	assert_int_equal(stamp(f, "c1000001", "c1000001", false).plan->n, 0);
	/* moving down a branch is one UPDATE */
	assert_string_equal(stamp(f, "b2000002,c1000001", "b1000001", false).ops,
	                    "U:b2000002>b1000001");
	/* stamp base deletes every row */
	assert_string_equal(stamp(f, "b2000002,c1000001", "base", false).ops,
	                    "D:b2000002; D:c1000001");
	/* an unknown target */
	assert_string_equal(stamp(f, "", "zzzz", false).error,
	                    "Can't locate revision identified by 'zzzz'");
	fx_free(f);
}

static void test_plan__start_revisions(void **state)
{
	(void)state;
	/* offline FROM:TO starts go through get_revision (1.5: "b2000002,c1000001:head
	 * -> Can't locate revision identified by 'b2000002,c1000001'") */
	fx *f = fx_load("branches_nomerge");
	const rt_revision *r;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_graph_resolve_one(f->g, "featb@head", &r, &err), RT_OK);
	assert_string_equal(r->id, "b2000002");
	assert_int_equal(rt_graph_resolve_one(f->g, "c1", &r, &err), RT_OK);
	assert_string_equal(r->id, "c1000001");
	assert_int_equal(rt_graph_resolve_one(f->g, "b2000002,c1000001", &r, &err), RT_ENOTFOUND);
	assert_string_equal(err.message, "Can't locate revision identified by 'b2000002,c1000001'");
	assert_null(r);
	rt_error_clear(&err);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan__linear_offline_sql),
		cmocka_unit_test(test_plan__linear_relative),
		cmocka_unit_test(test_plan__linear_symbols),
		cmocka_unit_test(test_plan__linear_bad_rows),
		cmocka_unit_test(test_plan__partial_ids),
		cmocka_unit_test(test_plan__branch_heads),
		cmocka_unit_test(test_plan__branch_downgrades),
		cmocka_unit_test(test_plan__labels_as_targets),
		cmocka_unit_test(test_plan__merge),
		cmocka_unit_test(test_plan__multibase_dependencies),
		cmocka_unit_test(test_plan__forms),
		cmocka_unit_test(test_plan__dup_runs_winner),
		cmocka_unit_test(test_plan__unmerge_related_parents),
		cmocka_unit_test(test_plan__stamp_sequence),
		cmocka_unit_test(test_plan__stamp_offline_texts),
		cmocka_unit_test(test_plan__walk_to_base),
		cmocka_unit_test(test_plan__label_relative_up),
		cmocka_unit_test(test_plan__label_relative_down),
		cmocka_unit_test(test_plan__dependency_targets),
		cmocka_unit_test(test_plan__resolve_symbols),
		cmocka_unit_test(test_plan__steps_record_rows),
		cmocka_unit_test(test_plan__stamp_lineage),
		cmocka_unit_test(test_plan__start_revisions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
