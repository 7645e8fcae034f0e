/*
 * Scale sanity for src/graph: a 5000-revision chain and a 500-branch graph
 * are built, listed and planned correctly. Correctness only; the timing is
 * measured outside (docs/graph.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static fx *chain(size_t n)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		rt_buf_printf(&b, "v/%06zu.py | c%06zu | ", i, i);
		if (i)
			rt_buf_printf(&b, "c%06zu", i - 1);
		rt_buf_printf(&b, " | | | step %zu\n", i);
	}
	fx *f = fx_text(rt_buf_cstr(&b));
	rt_buf_release(&b);
	return f;
}

static void test_big__chain_5000(void **state)
{
	(void)state;
	fx *f = chain(5000);
	assert_int_equal(f->rc, RT_OK);
	rt_revlist heads = { 0 };
	rt_graph_heads(f->g, &heads, f->arena);
	assert_string_equal(fx_ids(f, &heads), "c004999");
	rt_revlist hist = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_graph_history(f->g, NULL, NULL, &hist, f->arena, &err), RT_OK);
	assert_int_equal(hist.n, 5000);
	assert_string_equal(hist.v[0]->id, "c004999");
	assert_string_equal(hist.v[4999]->id, "c000000");

	rt_strv none = { 0 };
	rt_plan *p;
	assert_int_equal(rt_plan_upgrade(&p, f->arena, f->g, &none, "head", &err), RT_OK);
	assert_int_equal(p->n, 5000);
	for (size_t k = 0; k < p->n; k++) {
		char id[32];
		snprintf(id, sizeof(id), "c%06u", (unsigned)k);
		assert_string_equal(p->steps[k]->rev->id, id);
		assert_int_equal(p->steps[k]->nops, 1);
		assert_int_equal(p->steps[k]->ops[0].kind, k ? RT_ROW_UPDATE : RT_ROW_INSERT);
	}
	assert_string_equal(fx_strv(f, &p->rows_after), "c004999");

	rt_strv mid = fx_rows(f, "c002500");
	assert_int_equal(rt_plan_downgrade(&p, f->arena, f->g, &mid, "base", &err), RT_OK);
	assert_int_equal(p->n, 2501);
	assert_string_equal(p->steps[0]->rev->id, "c002500");
	assert_int_equal(p->steps[2500]->ops[0].kind, RT_ROW_DELETE);
	assert_int_equal(rt_plan_upgrade(&p, f->arena, f->g, &mid, "+1000", &err), RT_OK);
	assert_int_equal(p->n, 1000);
	assert_string_equal(p->steps[999]->rev->id, "c003500");
	fx_free(f);
}

/* base -> 500 branches of 4 revisions -> optionally one merge of all */
static fx *wide(bool merge)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, "v/base.py | base0000 | | | | base\n");
	for (int br = 0; br < 500; br++)
		for (int k = 0; k < 4; k++) {
			rt_buf_printf(&b, "v/b%03d_%d.py | b%03d_%d | ", br, k, br, k);
			if (k)
				rt_buf_printf(&b, "b%03d_%d", br, k - 1);
			else
				rt_buf_puts(&b, "base0000");
			rt_buf_printf(&b, " | | | branch %d\n", br);
		}
	if (merge) {
		rt_buf_puts(&b, "v/merge.py | merge000 | ");
		for (int br = 0; br < 500; br++)
			rt_buf_printf(&b, "%sb%03d_3", br ? "," : "", br);
		rt_buf_puts(&b, " | | | merge\n");
	}
	fx *f = fx_text(rt_buf_cstr(&b));
	rt_buf_release(&b);
	return f;
}

static void assert_topological(const rt_graph *g, const rt_plan *p)
{
	/* every revision runs after all of its parents */
	for (size_t k = 0; k < p->n; k++) {
		const rt_revision *r = p->steps[k]->rev;
		for (size_t j = k + 1; j < p->n; j++)
			assert_false(rt_graph_is_ancestor(g, p->steps[j]->rev, r, RT_EDGES_WITH_DEPS));
	}
}

static void test_big__wide_500(void **state)
{
	(void)state;
	fx *f = wide(false);
	assert_int_equal(f->rc, RT_OK);
	rt_revlist heads = { 0 };
	rt_graph_heads(f->g, &heads, f->arena);
	assert_int_equal(heads.n, 500);
	rt_strv none = { 0 };
	rt_plan *p;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_plan_upgrade(&p, f->arena, f->g, &none, "head", &err), RT_EAMBIGUOUS);
	rt_error_clear(&err);
	assert_int_equal(rt_plan_upgrade(&p, f->arena, f->g, &none, "heads", &err), RT_OK);
	assert_int_equal(p->n, 2001);
	assert_string_equal(p->steps[0]->rev->id, "base0000");
	assert_topological(f->g, p);
	/* branches run one after the other, the last loaded first (as a0000001,
	 * c1000001, b1000001, b2000002 in 04_branches_merges.txt) */
	assert_string_equal(p->steps[1]->rev->id, "b499_0");
	assert_string_equal(p->steps[4]->rev->id, "b499_3");
	assert_string_equal(p->steps[5]->rev->id, "b498_0");
	assert_int_equal(p->rows_after.n, 500);
	/* one branch back to its fork */
	rt_strv rows = p->rows_after;
	assert_int_equal(rt_plan_downgrade(&p, f->arena, f->g, &rows, "b123_0", &err), RT_OK);
	assert_int_equal(p->n, 3);
	assert_int_equal(p->rows_after.n, 500);
	rt_diags d;
	rt_diags_init(&d, f->arena);
	rt_graph_check(f->g, NULL, &d);
	assert_int_equal(d.n, 499);
	fx_free(f);

	f = wide(true);
	assert_int_equal(rt_plan_upgrade(&p, f->arena, f->g, &none, "head", &err), RT_OK);
	assert_int_equal(p->n, 2002);
	const rt_step *m = p->steps[2001];
	assert_string_equal(m->rev->id, "merge000");
	/* the merge deletes 499 rows and updates the last parent */
	assert_int_equal(m->nops, 500);
	assert_int_equal(m->ops[499].kind, RT_ROW_UPDATE);
	assert_string_equal(fx_strv(f, &p->rows_after), "merge000");
	rt_revlist hist = { 0 };
	assert_int_equal(rt_graph_history(f->g, NULL, NULL, &hist, f->arena, &err), RT_OK);
	assert_int_equal(hist.n, 2002);
	assert_string_equal(hist.v[0]->id, "merge000");
	fx_free(f);
}

/* The size the 30 ms budget is about: every listing of a 1000-revision chain. */
static void test_big__chain_1000_listings(void **state)
{
	(void)state;
	fx *f = chain(1000);
	rt_buf b = RT_BUF_INIT;
	rt_graph_format_heads(&b, f->g, false, NULL);
	assert_string_equal(rt_buf_cstr(&b), "c000999 (head)\n");
	rt_buf_truncate(&b, 0);
	rt_revlist hist = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_graph_history(f->g, NULL, NULL, &hist, f->arena, &err), RT_OK);
	rt_graph_format_history(&b, f->g, &hist, NULL);
	size_t lines = 0;
	for (const char *p = rt_buf_cstr(&b); *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 1000);
	assert_non_null(strstr(rt_buf_cstr(&b), "<base> -> c000000, step 0\n"));
	rt_diags d;
	rt_diags_init(&d, f->arena);
	rt_graph_check(f->g, NULL, &d);
	assert_int_equal(d.n, 0);
	rt_buf_release(&b);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big__chain_5000),
		cmocka_unit_test(test_big__wide_500),
		cmocka_unit_test(test_big__chain_1000_listings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
