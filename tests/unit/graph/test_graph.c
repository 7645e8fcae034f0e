/*
 * Unit tests for src/graph: building, diagnostics, structure, labels, check
 * and the listing texts, against the alembic-lab transcripts (quoted).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static const char *heads_text(fx *f, bool resolve)
{
	rt_buf b = RT_BUF_INIT;
	rt_graph_format_heads(&b, f->g, resolve, NULL);
	const char *s = rt_strdup(f->arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

static const char *history_text(fx *f, const char *range, const char *rows, bool mark)
{
	rt_revlist l = { 0 };
	rt_strv r = fx_rows(f, rows);
	rt_error err = RT_ERROR_INIT;
	rt_buf b = RT_BUF_INIT;
	if (rt_graph_history(f->g, range, &r, &l, f->arena, &err) < 0) {
		rt_buf_printf(&b, "FAILED: %s", err.message);
	} else {
		rt_graph_fmt fmt = { .current = mark ? &r : NULL };
		rt_graph_format_history(&b, f->g, &l, &fmt);
	}
	rt_error_clear(&err);
	const char *s = rt_strdup(f->arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

static const rt_revision *rev(fx *f, const char *id)
{
	const rt_revision *r = rt_graph_get(f->g, id);
	assert_non_null(r);
	return r;
}

static const char *labels(fx *f, const char *id)
{
	return fx_strv(f, rt_graph_labels(f->g, rev(f, id)));
}

/* ---- sound graphs ---- */

static void test_graph__linear_structure(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	assert_int_equal(f->rc, RT_OK);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(rt_graph_size(f->g), 3);
	rt_revlist l = { 0 };
	rt_graph_bases(f->g, &l, f->arena);
	assert_string_equal(fx_ids(f, &l), "aaaa1111");
	assert_true(rt_graph_is_head(f->g, rev(f, "cccc3333")));
	assert_false(rt_graph_is_head(f->g, rev(f, "bbbb2222")));
	assert_true(rt_graph_is_ancestor(f->g, rev(f, "aaaa1111"), rev(f, "cccc3333"), RT_EDGES_DOWN));
	assert_false(rt_graph_is_ancestor(f->g, rev(f, "cccc3333"), rev(f, "aaaa1111"),
	                                  RT_EDGES_WITH_DEPS));
	rt_revlist kids = { 0 };
	rt_graph_children(f->g, rev(f, "aaaa1111"), &kids, f->arena);
	assert_string_equal(fx_ids(f, &kids), "bbbb2222");
	assert_null(rt_graph_get(f->g, "aaaa"));
	fx_free(f);
}

static void test_graph__linear_listings(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	/* 02_targets_linear.txt: "== alembic heads" / "cccc3333 (head)" */
	assert_string_equal(heads_text(f, false), "cccc3333 (head)\n");
	/* "== alembic history" */
	assert_string_equal(history_text(f, NULL, "", false),
	                    "bbbb2222 -> cccc3333 (head), third\n"
	                    "aaaa1111 -> bbbb2222, second\n"
	                    "<base> -> aaaa1111, first\n");
	/* "== alembic history -i" at cccc3333 */
	assert_string_equal(history_text(f, NULL, "cccc3333", true),
	                    "bbbb2222 -> cccc3333 (head) (current), third\n"
	                    "aaaa1111 -> bbbb2222, second\n"
	                    "<base> -> aaaa1111, first\n");
	fx_free(f);
}

static void test_graph__history_ranges(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	/* "== alembic history -r aaaa1111:bbbb2222" (inclusive both ends) */
	assert_string_equal(history_text(f, "aaaa1111:bbbb2222", "", false),
	                    "aaaa1111 -> bbbb2222, second\n<base> -> aaaa1111, first\n");
	/* "== alembic history -rbbbb2222:" */
	assert_string_equal(history_text(f, "bbbb2222:", "", false),
	                    "bbbb2222 -> cccc3333 (head), third\naaaa1111 -> bbbb2222, second\n");
	/* "== alembic history -r:bbbb2222" */
	assert_string_equal(history_text(f, ":bbbb2222", "", false),
	                    "aaaa1111 -> bbbb2222, second\n<base> -> aaaa1111, first\n");
	/* "== alembic history -r-1:current" with row cccc3333 */
	assert_string_equal(history_text(f, "-1:current", "cccc3333", false),
	                    "bbbb2222 -> cccc3333 (head), third\naaaa1111 -> bbbb2222, second\n");
	/* verified with Alembic 1.8.1: a reversed range and a missing colon */
	assert_string_equal(history_text(f, "bbbb2222:aaaa1111", "", false),
	                    "FAILED: Requested range bbbb2222:aaaa1111 does not refer to "
	                    "ancestor/descendant revisions along the same branch");
	assert_string_equal(history_text(f, "aaaa1111", "", false),
	                    "FAILED: History range requires [start]:[end], [start]:, or :[end]");
	/* partial ids in ranges */
	assert_string_equal(history_text(f, "aaaa:bb", "", false),
	                    "aaaa1111 -> bbbb2222, second\n<base> -> aaaa1111, first\n");
	fx_free(f);
}

static const char *longdoc_aaaa(const rt_revision *r, void *ctx)
{
	(void)ctx;
	return strcmp(r->id, "aaaa1111") == 0
		? "first\n\nRevision ID: aaaa1111\nRevises: \nCreate Date: 2024-01-01 00:00:00"
		: NULL;
}

static void test_graph__show_and_verbose(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	rt_revlist l = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_graph_resolve(f->g, "aaaa", &l, f->arena, &err), RT_OK);
	rt_graph_fmt fmt = { .longdoc = longdoc_aaaa };
	rt_buf b = RT_BUF_INIT;
	rt_graph_format_show(&b, f->g, &l, &fmt);
	/* "== alembic show aaaa" */
	assert_string_equal(rt_buf_cstr(&b),
	                    "Rev: aaaa1111\n"
	                    "Parent: <base>\n"
	                    "Path: alembic-lab/projects/linear/versions/aaaa1111_first.py\n"
	                    "\n"
	                    "    first\n"
	                    "    \n"
	                    "    Revision ID: aaaa1111\n"
	                    "    Revises: \n"
	                    "    Create Date: 2024-01-01 00:00:00\n"
	                    "\n");
	rt_buf_truncate(&b, 0);
	fmt.verbose = true;
	rt_graph_format_heads(&b, f->g, false, &fmt);
	assert_string_equal(rt_buf_cstr(&b),
	                    "Rev: cccc3333 (head)\nParent: bbbb2222\n"
	                    "Path: alembic-lab/projects/linear/versions/cccc3333_third.py\n\n"
	                    "    third\n\n");
	rt_buf_release(&b);
	fx_free(f);
}

static void test_graph__branches_listings(void **state)
{
	(void)state;
	fx *f = fx_load("branches_nomerge");
	/* 04_branches_merges.txt "branches (no merge): heads / branches / history" */
	assert_string_equal(heads_text(f, false),
	                    "b2000002 (featb) (head)\nc1000001 (featc) (head)\n");
	rt_buf b = RT_BUF_INIT;
	rt_graph_format_branches(&b, f->g, NULL);
	/* Alembic prints the children in Python set order; ours is load order */
	assert_string_equal(rt_buf_cstr(&b),
	                    "a0000001 (branchpoint)\n"
	                    "         -> b1000001 (featb)\n"
	                    "         -> c1000001 (featc) (head)\n\n");
	rt_buf_release(&b);
	assert_string_equal(history_text(f, NULL, "", false),
	                    "b1000001 -> b2000002 (featb) (head), b2000002\n"
	                    "a0000001 -> b1000001 (featb), b1000001\n"
	                    "a0000001 -> c1000001 (featc) (head), c1000001\n"
	                    "<base> -> a0000001 (branchpoint), a0000001\n");
	assert_true(rt_graph_is_branch_point(f->g, rev(f, "a0000001")));
	fx_free(f);
}

static void test_graph__merge_listings(void **state)
{
	(void)state;
	fx *f = fx_load("branches");
	/* "branches + merge m0000001": "m0000001 (featb, featc) (head)" */
	assert_string_equal(heads_text(f, false), "m0000001 (featb, featc) (head)\n");
	/* label order: Alembic's is a Python set; ours is declaring revision order */
	assert_string_equal(history_text(f, NULL, "", false),
	                    "b2000002, c1000001 -> m0000001 (featb, featc) (head) (mergepoint), "
	                    "m0000001\n"
	                    "b1000001 -> b2000002 (featb), b2000002\n"
	                    "a0000001 -> b1000001 (featb), b1000001\n"
	                    "a0000001 -> c1000001 (featc), c1000001\n"
	                    "<base> -> a0000001 (branchpoint), a0000001\n");
	assert_true(rt_graph_is_merge_point(f->g, rev(f, "m0000001")));
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = true };
	rt_revlist l = { 0 };
	rt_revlist_push(f->arena, &l, rev(f, "m0000001"));
	rt_graph_format_show(&b, f->g, &l, &fmt);
	assert_string_equal(rt_buf_cstr(&b),
	                    "Rev: m0000001 (head) (mergepoint)\nMerges: b2000002, c1000001\n"
	                    "Branch names: featb, featc\nPath: versions/m0000001_merge.py\n\n"
	                    "    m0000001\n\n");
	rt_buf_truncate(&b, 0);
	rt_revlist a0 = { 0 };
	rt_revlist_push(f->arena, &a0, rev(f, "a0000001"));
	rt_graph_format_show(&b, f->g, &a0, &fmt);
	assert_string_equal(rt_buf_cstr(&b),
	                    "Rev: a0000001 (branchpoint)\nParent: <base>\n"
	                    "Branches into: b1000001, c1000001\nPath: versions/a0000001_base.py\n\n"
	                    "    a0000001\n\n");
	rt_buf_release(&b);
	fx_free(f);
}

static void test_graph__multibase_effective_head(void **state)
{
	(void)state;
	fx *f = fx_load("multibase");
	assert_int_equal(f->rc, RT_OK);
	/* 06_multibase_forms.txt: "a2000000 (alpha) (effective head)" and
	 * "x2000000 (xray) (head)" (Alembic 1.8.1 listed them in listdir order) */
	assert_string_equal(heads_text(f, false),
	                    "a2000000 (alpha) (effective head)\nx2000000 (xray) (head)\n");
	/* heads --resolve-dependencies: "x2000000 (xray) (head)" */
	assert_string_equal(heads_text(f, true), "x2000000 (xray) (head)\n");
	assert_string_equal(history_text(f, NULL, "", false),
	                    "x1000000 (a2000000) -> x2000000 (xray) (head), x2000000\n"
	                    "<base> -> x1000000 (xray), x1000000\n"
	                    "a1000000 -> a2000000 (alpha) (effective head), a2000000\n"
	                    "<base> -> a1000000 (alpha), a1000000\n");
	assert_true(rt_graph_is_head(f->g, rev(f, "a2000000")));
	assert_false(rt_graph_is_real_head(f->g, rev(f, "a2000000")));
	rt_revlist deps = { 0 }, down = { 0 }, users = { 0 };
	rt_graph_depends(f->g, rev(f, "x2000000"), &deps, f->arena);
	rt_graph_down(f->g, rev(f, "x2000000"), &down, f->arena);
	rt_graph_dependents(f->g, rev(f, "a2000000"), &users, f->arena);
	assert_string_equal(fx_ids(f, &deps), "a2000000");
	assert_string_equal(fx_ids(f, &down), "x1000000,a2000000");
	assert_string_equal(fx_ids(f, &users), "x2000000");
	assert_true(rt_graph_is_ancestor(f->g, rev(f, "a1000000"), rev(f, "x2000000"),
	                                 RT_EDGES_WITH_DEPS));
	assert_false(rt_graph_is_ancestor(f->g, rev(f, "a1000000"), rev(f, "x2000000"), RT_EDGES_DOWN));
	fx_free(f);
}

static void test_graph__current_lines(void **state)
{
	(void)state;
	fx *f = fx_load("multibase");
	rt_buf b = RT_BUF_INIT;
	rt_error err = RT_ERROR_INIT;
	rt_strv rows = fx_rows(f, "x2000000");
	/* 3.7: with row x2000000 `current` prints "x2000000 (head)" and
	 * "a2000000 (effective head)" */
	assert_int_equal(rt_graph_format_current(&b, f->g, &rows, NULL, &err), RT_OK);
	assert_string_equal(rt_buf_cstr(&b), "x2000000 (head)\na2000000 (effective head)\n");
	rt_strv bad = fx_rows(f, "deadbeef99");
	assert_int_equal(rt_graph_format_current(&b, f->g, &bad, NULL, &err), RT_ENOTFOUND);
	assert_string_equal(err.message, "Can't locate revision identified by 'deadbeef99'");
	rt_error_clear(&err);
	rt_buf_release(&b);
	fx_free(f);
	f = fx_load("branches");
	rt_buf c = RT_BUF_INIT;
	rows = fx_rows(f, "a0000001");
	/* "current: ... `a0000001 (branchpoint)`" */
	assert_int_equal(rt_graph_format_current(&c, f->g, &rows, NULL, &err), RT_OK);
	assert_string_equal(rt_buf_cstr(&c), "a0000001 (branchpoint)\n");
	rt_buf_truncate(&c, 0);
	rows = fx_rows(f, "m0000001");
	assert_int_equal(rt_graph_format_current(&c, f->g, &rows, NULL, &err), RT_OK);
	assert_string_equal(rt_buf_cstr(&c), "m0000001 (head) (mergepoint)\n");
	rt_buf_release(&c);
	fx_free(f);
}

static void test_graph__labels_spread(void **state)
{
	(void)state;
	fx *f = fx_load("labelup");
	/* 07_errors_discovery.txt "labelup": all three show "(mid)" */
	assert_string_equal(history_text(f, NULL, "", false),
	                    "l2000000 -> l3000000 (mid) (head), l3000000\n"
	                    "l1000000 -> l2000000 (mid), l2000000\n"
	                    "<base> -> l1000000 (mid), l1000000\n");
	assert_ptr_equal(rt_graph_label_owner(f->g, "mid"), rev(f, "l2000000"));
	fx_free(f);
	f = fx_load("branches");
	/* a0000001 is a branch point: it stays unlabelled; the merge has both */
	assert_string_equal(labels(f, "a0000001"), "");
	assert_string_equal(labels(f, "b2000002"), "featb");
	assert_string_equal(labels(f, "m0000001"), "featb,featc");
	fx_free(f);
	f = fx_load("forms");
	/* "<base> -> f1000000 (forms)" but "f1000000 -> f2000000 (forms, lab_b,
	 * lab_a)": f1's label reaches f2; f2's do not climb to f1 because the walk
	 * up starts at f2's last descendant, the merge f4. f3 has none. */
	assert_string_equal(labels(f, "f1000000"), "forms");
	assert_string_equal(labels(f, "f2000000"), "forms,lab_a,lab_b");
	assert_string_equal(labels(f, "f3000000"), "");
	assert_string_equal(labels(f, "f4000000"), "forms,lab_a,lab_b");
	fx_free(f);
}

static void test_graph__forms_history(void **state)
{
	(void)state;
	fx *f = fx_load("forms");
	assert_int_equal(f->rc, RT_OK);
	/* "f3000000, f2000000 (lab_a) -> f4000000 ...": depends_on is shown as
	 * written (the label), "<base> (f2000000) -> f3000000" */
	const char *h = history_text(f, NULL, "", false);
	assert_non_null(strstr(h, "f3000000, f2000000 (lab_a) -> f4000000 (forms, lab_a, lab_b) "
	                          "(head) (mergepoint), docstring header deliberately wrong"));
	assert_non_null(strstr(h, "<base> (f2000000) -> f3000000, empty-string down_revision"));
	/* the label in depends_on resolves to its declaring revision, and is
	 * dropped by normalisation since f2 is already a parent */
	rt_revlist deps = { 0 };
	rt_graph_depends(f->g, rev(f, "f4000000"), &deps, f->arena);
	assert_string_equal(fx_ids(f, &deps), "");
	fx_free(f);
}

/* ---- broken graphs: every Alembic failure becomes a located diagnostic ---- */

static void test_graph__duplicate_revision(void **state)
{
	(void)state;
	fx *f = fx_load("dup");
	assert_int_equal(f->rc, RT_EGRAPH);
	const rt_diag *d = fx_diag(&f->diags, "duplicate-revision", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "revision 'r2' is declared by 2 files: 'versions/r2_a.py', "
	                                "'versions/r2_b.py'; Alembic uses the one loaded last, "
	                                "'versions/r2_b.py'");
	assert_string_equal(d->loc.path, "versions/r2_b.py");
	assert_int_equal(d->loc.line, 3);
	assert_non_null(d->hint);
	/* the file loaded last wins lookups */
	assert_string_equal(rev(f, "r2")->message, "up r2 from file b");
	/* 07: "dup: heads" prints "r2 (head)" twice */
	assert_string_equal(heads_text(f, false), "r2 (head)\nr2 (head)\n");
	assert_int_equal(rt_graph_error_count(f->g), 1);
	fx_free(f);
}

static void test_graph__missing_down_revision(void **state)
{
	(void)state;
	fx *f = fx_load("missing");
	const rt_diag *d = fx_diag(&f->diags, "missing-down-revision", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "down_revision of 'r2' names unknown revision 'r_nope'");
	assert_string_equal(d->revision, "r2");
	assert_int_equal(d->loc.line, 2);
	assert_int_equal(d->loc.col, 2); /* the down_revision assignment */
	assert_string_equal(d->hint, "point it at an existing revision: `retort rebase r2 --onto "
	                             "ID` (retort history lists them), or `--onto base` for a base");
	/* no false cycle report for the dangling revision */
	assert_int_equal(fx_count(&f->diags, "cycle"), 0);
	assert_int_equal(f->diags.n, 1);
	fx_free(f);
}

static void test_graph__cycles(void **state)
{
	(void)state;
	fx *f = fx_load("cycle");
	/* 07: "Cycle is detected in revisions (r1, r2)" (no base: load order) */
	const rt_diag *d = fx_diag(&f->diags, "cycle", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "Cycle is detected in revisions (r1, r2)");
	assert_non_null(strstr(d->hint, "'r1' -> 'r2' -> 'r1'"));
	assert_int_equal(d->loc.col, 2);
	assert_int_equal(fx_count(&f->diags, "dependency-cycle"), 0);
	fx_free(f);
	f = fx_load("cycle2");
	/* "Cycle is detected in revisions (r2, r3)" (off a valid base: sorted) */
	d = fx_diag(&f->diags, "cycle", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "Cycle is detected in revisions (r2, r3)");
	assert_string_equal(d->revision, "r2");
	/* the valid part still works; the loop's edges are left out */
	assert_string_equal(history_text(f, NULL, "", false), "r0 -> r1 (head), r1\n"
	                                                      "<base> -> r0, r0\n"
	                                                      "r3 -> r2 (head), r2\n"
	                                                      "r2 -> r3 (head), r3\n");
	rt_diags c;
	rt_diags_init(&c, f->arena);
	rt_graph_check(f->g, NULL, &c);
	assert_int_equal(c.n, 0); /* no heads reported for the loop's artifacts */
	fx_free(f);
	f = fx_load("selfloop");
	/* "Self-loop is detected in revisions (r1)" */
	d = fx_diag(&f->diags, "self-loop", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "Self-loop is detected in revisions (r1)");
	assert_int_equal(f->diags.n, 1);
	fx_free(f);
	f = fx_load("deploop");
	/* "Dependency self-loop is detected in revisions (r1)" at depends_on */
	d = fx_diag(&f->diags, "dependency-self-loop", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "Dependency self-loop is detected in revisions (r1)");
	assert_int_equal(d->loc.col, 4);
	assert_int_equal(f->diags.n, 1);
	fx_free(f);
	f = fx_load("depcycle");
	/* "Dependency cycle is detected in revisions (r0, r1, r2)" */
	d = fx_diag(&f->diags, "dependency-cycle", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "Dependency cycle is detected in revisions (r0, r1, r2)");
	assert_non_null(strstr(d->hint, "'r1' -> 'r2' -> 'r1'"));
	assert_int_equal(fx_count(&f->diags, "cycle"), 0);
	fx_free(f);
}

static void test_graph__bad_forms(void **state)
{
	(void)state;
	fx *f = fx_load("badforms");
	/* 07 "badforms": "Character(s) '-' not allowed in revision identifier 'ab-cd'" */
	const rt_diag *d = fx_diag(&f->diags, "illegal-revision-id", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "Character(s) '-' not allowed in revision identifier 'ab-cd'");
	assert_int_equal(d->loc.col, 1);
	/* 2.3: "Character(s) '+, @' not allowed in revision identifier 'x@y+z'" */
	d = fx_diag(&f->diags, "illegal-revision-id", 1);
	assert_non_null(d);
	assert_string_equal(d->message,
	                    "Character(s) '+, @' not allowed in revision identifier 'x@y+z'");
	/* "Branch name 'lbl' in revision r1 already used by revision r2" (Alembic
	 * meets them in set order; we report the later declaration) */
	d = fx_diag(&f->diags, "duplicate-branch-label", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "Branch name 'lbl' in revision r2 already used by revision r1");
	assert_int_equal(d->loc.col, 3);
	/* "Branch name 'r1' in revision r2 already used by revision r1" form */
	d = fx_diag(&f->diags, "duplicate-branch-label", 1);
	assert_non_null(d);
	assert_string_equal(d->message, "Branch name 'r1' in revision r3 already used by revision r1");
	/* depends_on target missing (Alembic: KeyError: 'nosuch') */
	d = fx_diag(&f->diags, "missing-dependency", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "depends_on of 'r4' names unknown revision or branch 'nosuch'");
	assert_int_equal(d->loc.col, 4);
	/* down_revision given as a prefix (Alembic: KeyError: 'r2') */
	d = fx_diag(&f->diags, "down-revision-not-an-id", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "down_revision of 'r5' names 'r2000', a prefix of "
	                                "'r2000000'; Alembic needs full revision ids in "
	                                "down_revision");
	assert_string_equal(d->hint, "write down_revision = 'r2000000'");
	d = fx_diag(&f->diags, "down-revision-not-an-id", 1);
	assert_non_null(d);
	assert_string_equal(d->message, "down_revision of 'r7' names branch label 'lbl'; Alembic "
	                                "needs revision ids in down_revision");
	/* a label in depends_on is valid */
	rt_revlist deps = { 0 };
	rt_graph_depends(f->g, rev(f, "r6"), &deps, f->arena);
	assert_string_equal(fx_ids(f, &deps), "r1");
	/* 33 characters: "value too long for type character varying(32)" online */
	d = fx_diag(&f->diags, "revision-id-too-long", 0);
	assert_non_null(d);
	assert_string_equal(d->revision, "0123456789abcdef0123456789abcdef0");
	d = fx_diag(&f->diags, "empty-revision-id", 0);
	assert_non_null(d);
	assert_string_equal(d->loc.path, "versions/empty.py");
	assert_int_equal(f->diags.errors, 9);
	assert_int_equal(rt_graph_error_count(f->g), 9);
	fx_free(f);
}

static void test_graph__suggestions(void **state)
{
	(void)state;
	fx *f = fx_text("v/a.py | 003_enhanced_content_metadata | | | |\n"
	                "v/b.py | 004_add_notifications | 003_essential_tables | | |\n"
	                "v/c.py | 005 | 004_add_notificatoins | | |\n"
	                "v/d.py | 006 | 005 | | 004_add_notifictions |\n");
	const rt_diag *d = fx_diag(&f->diags, "missing-down-revision", 0);
	assert_non_null(d);
	assert_string_equal(d->hint, "did you mean '003_enhanced_content_metadata'? `retort rebase "
	                             "004_add_notifications --onto 003_enhanced_content_metadata` "
	                             "rewrites it");
	d = fx_diag(&f->diags, "missing-down-revision", 1);
	assert_non_null(d);
	assert_string_equal(d->hint, "did you mean '004_add_notifications'? `retort rebase 005 "
	                             "--onto 004_add_notifications` rewrites it");
	d = fx_diag(&f->diags, "missing-dependency", 0);
	assert_non_null(d);
	assert_string_equal(d->hint, "did you mean '004_add_notifications'?");
	fx_free(f);
}

/* ---- the seed tangles ---- */

static void test_graph__seed000_fork(void **state)
{
	(void)state;
	fx *f = fx_load("seed000");
	assert_int_equal(f->rc, RT_OK);
	rt_diags d;
	rt_diags_init(&d, f->arena);
	rt_graph_check(f->g, NULL, &d);
	assert_int_equal(d.n, 1);
	const rt_diag *g = fx_diag(&d, "multiple-heads", 0);
	assert_non_null(g);
	assert_int_equal(g->severity, RT_SEV_ERROR);
	assert_string_equal(g->message, "two heads: 'c9f3a8e1d4b2' and "
	                                "'007_add_password_hash_to_users' both descend from "
	                                "'b81dde19348f'");
	assert_string_equal(g->hint, "join them with `retort merge heads`, or move one chain onto "
	                             "the other: `retort rebase 001_create_ux_features --onto "
	                             "c9f3a8e1d4b2`");
	/* located at the down_revision to edit */
	assert_string_equal(g->loc.path, "versions/001_create_ux_feature_models.py");
	assert_int_equal(g->loc.col, 2);
	/* allowed: nothing to report */
	rt_diags none;
	rt_diags_init(&none, f->arena);
	rt_graph_check_opts opts = { .allow_multiple_heads = true };
	rt_graph_check(f->g, &opts, &none);
	assert_int_equal(none.n, 0);
	fx_free(f);
}

static void test_graph__seed001_tangle(void **state)
{
	(void)state;
	fx *f = fx_load("seed001");
	assert_int_equal(f->rc, RT_EGRAPH);
	/* four duplicated ids; the file loaded last wins */
	assert_int_equal(fx_count(&f->diags, "duplicate-revision"), 4);
	const rt_diag *d = fx_diag(&f->diags, "duplicate-revision", 0);
	assert_string_equal(d->message, "revision '001' is declared by 2 files: "
	                                "'versions/001_add_core_missing_tables.py', "
	                                "'versions/001_initial_migration.py'; Alembic uses the one "
	                                "loaded last, 'versions/001_initial_migration.py'");
	/* dangling references, the misnamed one with a suggestion */
	assert_int_equal(fx_count(&f->diags, "missing-down-revision"), 5);
	d = fx_diag(&f->diags, "missing-down-revision", 0);
	assert_string_equal(d->message, "down_revision of '004_add_notifications' names unknown "
	                                "revision '003_essential_tables'");
	assert_string_equal(d->hint, "did you mean '003_enhanced_content_metadata'? `retort rebase "
	                             "004_add_notifications --onto 003_enhanced_content_metadata` "
	                             "rewrites it");
	d = fx_diag(&f->diags, "missing-down-revision", 1);
	assert_string_equal(d->message, "down_revision of '005' names unknown revision "
	                                "'373835cefaf9'");
	for (size_t k = 2; k < 5; k++) {
		d = fx_diag(&f->diags, "missing-down-revision", k);
		assert_non_null(strstr(d->message, "'f42f94c7a129'"));
	}
	/* the 026 <-> 027 loop (Alembic lists what hangs below it too) */
	d = fx_diag(&f->diags, "cycle", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "Cycle is detected in revisions (026, 027)");
	assert_non_null(strstr(d->hint, "'026' -> '027' -> '026'"));
	assert_int_equal(f->diags.errors, 10);
	/* check: two roots and several heads */
	rt_diags c;
	rt_diags_init(&c, f->arena);
	rt_graph_check(f->g, NULL, &c);
	d = fx_diag(&c, "multiple-bases", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "two bases: '000' and '001' both have no down_revision");
	assert_string_equal(d->hint, "make one base the parent of the other root: "
	                             "`retort rebase 001 --onto 000`");
	/* heads below the broken references are not reported again */
	assert_int_equal(fx_count(&c, "multiple-heads"), 1);
	d = fx_diag(&c, "multiple-heads", 0);
	assert_string_equal(d->message, "two heads: '000' and '003_enhanced_content_metadata' share "
	                                "no ancestor; their bases are '000' and '001'");
	assert_int_equal(c.n, 2);
	fx_free(f);
}

static void test_graph__check_bases(void **state)
{
	(void)state;
	fx *f = fx_load("multibase");
	rt_diags d;
	rt_diags_init(&d, f->arena);
	rt_graph_check(f->g, NULL, &d);
	assert_int_equal(fx_count(&d, "multiple-bases"), 1);
	const rt_diag *h = fx_diag(&d, "multiple-heads", 0);
	assert_non_null(h);
	assert_string_equal(h->message, "two heads: 'a2000000' and 'x2000000' share no ancestor; "
	                                "their bases are 'a1000000' and 'x1000000'");
	rt_diags ok;
	rt_diags_init(&ok, f->arena);
	rt_graph_check_opts opts = { .allow_multiple_heads = true, .allow_multiple_bases = true };
	rt_graph_check(f->g, &opts, &ok);
	assert_int_equal(ok.n, 0);
	fx_free(f);
	f = fx_load("linear");
	rt_diags none;
	rt_diags_init(&none, f->arena);
	rt_graph_check(f->g, NULL, &none);
	assert_int_equal(none.n, 0);
	fx_free(f);
}

static void test_graph__empty_graph(void **state)
{
	(void)state;
	fx *f = fx_text("");
	assert_int_equal(f->rc, RT_OK);
	assert_int_equal(rt_graph_size(f->g), 0);
	assert_string_equal(heads_text(f, false), "");
	assert_string_equal(history_text(f, NULL, "", false), "");
	fx_free(f);
}


/* ---- more structure and listings ---- */

static void test_graph__lookup_accessors(void **state)
{
	(void)state;
	fx *f = fx_load("branches");
	assert_int_equal(rt_graph_size(f->g), 5);
	assert_string_equal(rt_graph_at(f->g, 0)->id, "a0000001");
	assert_string_equal(rt_graph_at(f->g, 4)->id, "m0000001");
	assert_null(rt_graph_at(f->g, 5));
	assert_ptr_equal(rt_graph_label_owner(f->g, "featc"), rev(f, "c1000001"));
	assert_null(rt_graph_label_owner(f->g, "nope"));
	assert_null(rt_graph_get(f->g, NULL));
	rt_revlist kids = { 0 };
	rt_graph_children(f->g, rev(f, "a0000001"), &kids, f->arena);
	assert_string_equal(fx_ids(f, &kids), "b1000001,c1000001");
	fx_free(f);
}

static void test_graph__head_and_base_lists(void **state)
{
	(void)state;
	fx *f = fx_load("multibase");
	rt_revlist heads = { 0 }, real = { 0 }, bases = { 0 };
	rt_graph_heads(f->g, &heads, f->arena);
	rt_graph_real_heads(f->g, &real, f->arena);
	rt_graph_bases(f->g, &bases, f->arena);
	/* 2.6: `head` uses plain heads, `heads` real heads */
	assert_string_equal(fx_ids(f, &heads), "a2000000,x2000000");
	assert_string_equal(fx_ids(f, &real), "x2000000");
	assert_string_equal(fx_ids(f, &bases), "a1000000,x1000000");
	fx_free(f);
}

static void test_graph__heads_verbose_effective(void **state)
{
	(void)state;
	fx *f = fx_load("multibase");
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = true };
	rt_graph_format_heads(&b, f->g, false, &fmt);
	/* log_entry marks plain heads "(head)"; depends_on gives "Also depends on" */
	assert_string_equal(rt_buf_cstr(&b),
	                    "Rev: a2000000 (head)\nParent: a1000000\nBranch names: alpha\n"
	                    "Path: versions/a2.py\n\n    a2000000\n\n"
	                    "Rev: x2000000 (head)\nParent: x1000000\nAlso depends on: a2000000\n"
	                    "Branch names: xray\nPath: versions/x2.py\n\n    x2000000\n\n");
	rt_buf_release(&b);
	fx_free(f);
}

static void test_graph__branches_verbose(void **state)
{
	(void)state;
	fx *f = fx_load("branches");
	rt_buf b = RT_BUF_INIT;
	rt_graph_fmt fmt = { .verbose = true };
	rt_graph_format_branches(&b, f->g, &fmt);
	/* `alembic branches -v`: the log entry, a blank line, the children with
	 * their messages, a blank line */
	assert_string_equal(rt_buf_cstr(&b),
	                    "Rev: a0000001 (branchpoint)\nParent: <base>\n"
	                    "Branches into: b1000001, c1000001\nPath: versions/a0000001_base.py\n\n"
	                    "    a0000001\n\n"
	                    "         -> b1000001 (featb), b1000001\n"
	                    "         -> c1000001 (featc), c1000001\n\n");
	rt_buf_release(&b);
	fx_free(f);
}

static void test_graph__history_verbose(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	rt_revlist l = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_graph_history(f->g, "bbbb2222:", NULL, &l, f->arena, &err), RT_OK);
	rt_strv rows = fx_rows(f, "bbbb2222");
	rt_graph_fmt fmt = { .verbose = true, .current = &rows };
	rt_buf b = RT_BUF_INIT;
	rt_graph_format_history(&b, f->g, &l, &fmt);
	assert_string_equal(rt_buf_cstr(&b),
	                    "Rev: cccc3333 (head)\nParent: bbbb2222\n"
	                    "Path: alembic-lab/projects/linear/versions/cccc3333_third.py\n\n"
	                    "    third\n\n"
	                    "Rev: bbbb2222 (current)\nParent: aaaa1111\n"
	                    "Path: alembic-lab/projects/linear/versions/bbbb2222_second.py\n\n"
	                    "    second\n\n");
	rt_buf_release(&b);
	fx_free(f);
}

static void test_graph__history_marks_rows(void **state)
{
	(void)state;
	fx *f = fx_load("branches_nomerge");
	const char *h = history_text(f, NULL, "b2000002,c1000001", true);
	assert_non_null(strstr(h, "b1000001 -> b2000002 (featb) (head) (current), b2000002\n"));
	assert_non_null(strstr(h, "a0000001 -> c1000001 (featc) (head) (current), c1000001\n"));
	assert_non_null(strstr(h, "<base> -> a0000001 (branchpoint), a0000001\n"));
	fx_free(f);
}

static void test_graph__history_label_ranges(void **state)
{
	(void)state;
	fx *f = fx_load("branches_nomerge");
	/* verified with Alembic 1.8.1: -r featb@base: keeps featb's heads */
	assert_string_equal(history_text(f, "featb@base:", "", false),
	                    "b1000001 -> b2000002 (featb) (head), b2000002\n"
	                    "a0000001 -> b1000001 (featb), b1000001\n"
	                    "<base> -> a0000001 (branchpoint), a0000001\n");
	/* -r :featc@head */
	assert_string_equal(history_text(f, ":featc@head", "", false),
	                    "a0000001 -> c1000001 (featc) (head), c1000001\n"
	                    "<base> -> a0000001 (branchpoint), a0000001\n");
	/* -r b1000001: */
	assert_string_equal(history_text(f, "b1000001:", "", false),
	                    "b1000001 -> b2000002 (featb) (head), b2000002\n"
	                    "a0000001 -> b1000001 (featb), b1000001\n");
	/* several heads in a range end: Alembic's multiple-heads text with 'head' */
	assert_string_equal(history_text(f, ":head", "", false),
	                    "FAILED: Multiple head revisions are present for given argument 'head'; "
	                    "please specify a specific target revision, '<branchname>@head' to "
	                    "narrow to a specific head, or 'heads' for all heads");
	fx_free(f);
}

static void test_graph__history_current_without_rows(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	/* no rows: Alembic passes `() or "heads"`, so -1:current lists from heads */
	assert_string_equal(history_text(f, "-1:current", "", false),
	                    "bbbb2222 -> cccc3333 (head), third\naaaa1111 -> bbbb2222, second\n");
	/* current:heads from bbbb2222 */
	assert_string_equal(history_text(f, "current:", "bbbb2222", false),
	                    "bbbb2222 -> cccc3333 (head), third\naaaa1111 -> bbbb2222, second\n");
	fx_free(f);
}

static void test_graph__label_stops_at_dependent(void **state)
{
	(void)state;
	/* l1 has two children once x1's depends_on counts (a "real" branch
	 * point), so the label does not climb to it; verified with Alembic 1.8.1 */
	fx *f = fx_text("v/a.py | l1000000 | | | | l1\n"
	                "v/b.py | l2000000 | l1000000 | mid | | l2\n"
	                "v/c.py | l3000000 | l2000000 | | | l3\n"
	                "v/d.py | x1000000 | | | l1000000 | x1\n");
	assert_string_equal(history_text(f, NULL, "", false),
	                    "l2000000 -> l3000000 (mid) (head), l3\n"
	                    "l1000000 -> l2000000 (mid), l2\n"
	                    "<base> (l1000000) -> x1000000 (head), x1\n"
	                    "<base> -> l1000000, l1\n");
	assert_false(rt_graph_is_branch_point(f->g, rev(f, "l1000000")));
	fx_free(f);
}

static void test_graph__normalized_depends(void **state)
{
	(void)state;
	/* x2 repeats a dependency its parent x1 already declares: normalised away */
	fx *f = fx_text("v/a1.py | a1000000 | | | |\n"
	                "v/x1.py | x1000000 | | | a1000000 |\n"
	                "v/x2.py | x2000000 | x1000000 | | a1000000 |\n");
	rt_revlist d1 = { 0 }, d2 = { 0 }, down = { 0 };
	rt_graph_depends(f->g, rev(f, "x1000000"), &d1, f->arena);
	rt_graph_depends(f->g, rev(f, "x2000000"), &d2, f->arena);
	rt_graph_down(f->g, rev(f, "x2000000"), &down, f->arena);
	assert_string_equal(fx_ids(f, &d1), "a1000000");
	assert_string_equal(fx_ids(f, &d2), "");
	assert_string_equal(fx_ids(f, &down), "x1000000");
	/* a1 is a real head no more, but still a plain head */
	assert_true(rt_graph_is_head(f->g, rev(f, "a1000000")));
	assert_false(rt_graph_is_real_head(f->g, rev(f, "a1000000")));
	fx_free(f);
}

static void test_graph__dependency_prefix(void **state)
{
	(void)state;
	fx *f = fx_text("v/a.py | abc11111 | | | |\n"
	                "v/b.py | b2222222 | abc11111 | | abc1 |\n");
	const rt_diag *d = fx_diag(&f->diags, "missing-dependency", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "depends_on of 'b2222222' names 'abc1', a prefix of "
	                                "'abc11111'; Alembic needs a full revision id or a branch "
	                                "label in depends_on");
	assert_string_equal(d->hint, "write depends_on = 'abc11111'");
	fx_free(f);
}

static void test_graph__cycle_lists_hangers_on(void **state)
{
	(void)state;
	/* verified with Alembic 1.8.1: "Cycle is detected in revisions (r1, r2, r3)"
	 * (r3 hangs below the loop); the hint names the loop itself */
	fx *f = fx_text("v/r0.py | r0 | | | |\nv/r1.py | r1 | r2 | | |\n"
	                "v/r2.py | r2 | r1 | | |\nv/r3.py | r3 | r2 | | |\n");
	const rt_diag *d = fx_diag(&f->diags, "cycle", 0);
	assert_non_null(d);
	assert_string_equal(d->message, "Cycle is detected in revisions (r1, r2, r3)");
	assert_non_null(strstr(d->hint, "'r1' -> 'r2' -> 'r1'"));
	assert_string_equal(d->revision, "r1");
	assert_int_equal(f->diags.n, 1);
	fx_free(f);
}

static void test_graph__loc_fallback(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_revision r = { .id = "r1", .path = "v/r1.py" };
	rt_strv_push(a, &r.down, "nope1234");
	r.loc = (rt_loc){ .path = "v/r1.py", .line = 7, .col = 1 };
	rt_revision *revs[] = { &r };
	rt_diags d;
	rt_diags_init(&d, a);
	rt_graph *g;
	assert_int_equal(rt_graph_build(&g, a, revs, 1, &d), RT_EGRAPH);
	/* no down_revision location: the revision's own */
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0]->loc.line, 7);
	/* diags may be NULL: errors are still counted */
	rt_graph *g2;
	assert_int_equal(rt_graph_build(&g2, a, revs, 1, NULL), RT_EGRAPH);
	assert_int_equal(rt_graph_error_count(g2), 1);
	rt_arena_free(a);
}

static void test_graph__seed000_listings(void **state)
{
	(void)state;
	fx *f = fx_load("seed000");
	assert_string_equal(heads_text(f, false),
	                    "007_add_password_hash_to_users (head)\nc9f3a8e1d4b2 (head)\n");
	rt_buf b = RT_BUF_INIT;
	rt_graph_format_branches(&b, f->g, NULL);
	assert_string_equal(rt_buf_cstr(&b), "b81dde19348f (branchpoint)\n"
	                                     "             -> 001_create_ux_features\n"
	                                     "             -> c9f3a8e1d4b2 (head)\n\n");
	rt_buf_release(&b);
	const char *h = history_text(f, NULL, "", false);
	assert_true(strncmp(h, "006_add_compliance_tables -> 007_add_password_hash_to_users (head), "
	                       "add password hash to users\n", 94) == 0);
	assert_non_null(strstr(h, "fb3c6b29453b -> b81dde19348f (branchpoint), add ping model\n"));
	fx_free(f);
}

static void test_graph__current_overlap(void **state)
{
	(void)state;
	fx *f = fx_load("linear");
	rt_buf b = RT_BUF_INIT;
	rt_error err = RT_ERROR_INIT;
	rt_strv rows = fx_rows(f, "aaaa1111,bbbb2222");
	/* 1.2: with overlapping rows `current` prints only the descendant */
	assert_int_equal(rt_graph_format_current(&b, f->g, &rows, NULL, &err), RT_OK);
	assert_string_equal(rt_buf_cstr(&b), "bbbb2222\n");
	rt_buf_truncate(&b, 0);
	rt_strv none = { 0 };
	/* empty DB: prints nothing */
	assert_int_equal(rt_graph_format_current(&b, f->g, &none, NULL, &err), RT_OK);
	assert_string_equal(rt_buf_cstr(&b), "");
	rt_buf_release(&b);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_graph__linear_structure),
		cmocka_unit_test(test_graph__linear_listings),
		cmocka_unit_test(test_graph__history_ranges),
		cmocka_unit_test(test_graph__show_and_verbose),
		cmocka_unit_test(test_graph__branches_listings),
		cmocka_unit_test(test_graph__merge_listings),
		cmocka_unit_test(test_graph__multibase_effective_head),
		cmocka_unit_test(test_graph__current_lines),
		cmocka_unit_test(test_graph__labels_spread),
		cmocka_unit_test(test_graph__forms_history),
		cmocka_unit_test(test_graph__duplicate_revision),
		cmocka_unit_test(test_graph__missing_down_revision),
		cmocka_unit_test(test_graph__cycles),
		cmocka_unit_test(test_graph__bad_forms),
		cmocka_unit_test(test_graph__suggestions),
		cmocka_unit_test(test_graph__seed000_fork),
		cmocka_unit_test(test_graph__seed001_tangle),
		cmocka_unit_test(test_graph__check_bases),
		cmocka_unit_test(test_graph__empty_graph),
		cmocka_unit_test(test_graph__lookup_accessors),
		cmocka_unit_test(test_graph__head_and_base_lists),
		cmocka_unit_test(test_graph__heads_verbose_effective),
		cmocka_unit_test(test_graph__branches_verbose),
		cmocka_unit_test(test_graph__history_verbose),
		cmocka_unit_test(test_graph__history_marks_rows),
		cmocka_unit_test(test_graph__history_label_ranges),
		cmocka_unit_test(test_graph__history_current_without_rows),
		cmocka_unit_test(test_graph__label_stops_at_dependent),
		cmocka_unit_test(test_graph__normalized_depends),
		cmocka_unit_test(test_graph__dependency_prefix),
		cmocka_unit_test(test_graph__cycle_lists_hangers_on),
		cmocka_unit_test(test_graph__loc_fallback),
		cmocka_unit_test(test_graph__seed000_listings),
		cmocka_unit_test(test_graph__current_overlap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
