/*
 * Unit tests for src/author/squash.c: the range (plan order, children, moved
 * labels), each refusal on small graphs, the graph afterwards, and the sidecar text (sections,
 * step comments, read-back, and an untranslatable body named with its place).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "retort/revfile.h"
#include "retort/sqlfile.h"
#include "retort/squash.h"

typedef struct res {
	int rc;
	rt_squash sq;
	const char *members, *children, *labels, *error, *hint;
	rt_loc loc;
} res;

static res squash(fx *f, const char *to, const char *from)
{
	res r = { 0 };
	rt_error err = RT_ERROR_INIT;
	r.rc = rt_squash_range(&r.sq, f->arena, f->g, to, from, &err);
	if (r.rc == RT_OK) {
		r.members = fx_ids(f, &r.sq.members);
		r.children = fx_ids(f, &r.sq.children);
		r.labels = fx_strv(f, &r.sq.labels);
	} else {
		r.error = rt_strdup(f->arena, err.message);
		r.hint = err.hint ? rt_strdup(f->arena, err.hint) : NULL;
		r.loc = err.loc;
		r.loc.path = err.loc.path ? rt_strdup(f->arena, err.loc.path) : NULL;
	}
	rt_error_clear(&err);
	return r;
}

#define LINEAR                                                                                \
	"a.py|a0000001||||create a\n"                                                       \
	"b.py|b0000002|a0000001|||create b\n"                                               \
	"c.py|c0000003|b0000002|||create c\n"                                               \
	"d.py|d0000004|c0000003|||create d\n"

static void range_from_base(void **state)
{
	fx *f = fx_text(LINEAR);
	res r = squash(f, "c0000003", NULL);
	assert_int_equal(r.rc, RT_OK);
	assert_string_equal(r.members, "a0000001,b0000002,c0000003");
	assert_string_equal(r.children, "d0000004");
	assert_null(r.sq.from);
	assert_string_equal(r.sq.to->id, "c0000003");
	/* "base" is the default spelled out; a prefix resolves as everywhere */
	r = squash(f, "c000", "base");
	assert_int_equal(r.rc, RT_OK);
	assert_string_equal(r.members, "a0000001,b0000002,c0000003");
	fx_free(f);
}

static void range_from_rev(void **state)
{
	fx *f = fx_text(LINEAR);
	res r = squash(f, "d0000004", "a0000001");
	assert_int_equal(r.rc, RT_OK);
	assert_string_equal(r.members, "b0000002,c0000003,d0000004");
	assert_string_equal(r.children, "");
	assert_string_equal(r.sq.from->id, "a0000001");
	fx_free(f);
}

static void refuses_empty_ranges(void **state)
{
	fx *f = fx_text(LINEAR);
	res r = squash(f, "b0000002", "b0000002");
	assert_int_equal(r.rc, RT_EUSAGE);
	assert_string_equal(r.error, "nothing to squash: --from and --to both name 'b0000002'");
	r = squash(f, "b0000002", "c0000003");
	assert_int_equal(r.rc, RT_EUSAGE);
	assert_string_equal(r.error,
	                    "nothing to squash: 'c0000003' is not an ancestor of 'b0000002'");
	r = squash(f, "base", NULL);
	assert_int_equal(r.rc, RT_EUSAGE);
	assert_string_equal(r.error, "cannot squash up to 'base'");
	r = squash(f, "zzzz9999", NULL);
	assert_int_equal(r.rc, RT_ENOTFOUND);
	fx_free(f);
}

/* b has a second child x outside the range: x would lose its parent */
static void refuses_branch_leaving(void **state)
{
	fx *f = fx_text(LINEAR "x.py|x0000005|b0000002|||side branch\n");
	res r = squash(f, "c0000003", NULL);
	assert_int_equal(r.rc, RT_EGRAPH);
	assert_string_equal(r.error, "cannot squash: 'x0000005' revises 'b0000002', inside the "
	                             "range, so a branch leaves the range");
	assert_string_equal(r.loc.path, "x.py");
	assert_int_equal(r.loc.col, 2); /* the down_revision assignment */
	/* up to the branch point itself it is fine: both are REV's children */
	r = squash(f, "b0000002", NULL);
	assert_int_equal(r.rc, RT_OK);
	assert_string_equal(r.children, "c0000003,x0000005");
	fx_free(f);
}

/* m merges b and c, which fork from a: from b, c enters from a, not from b */
static void refuses_second_entry(void **state)
{
	fx *f = fx_text("a.py|a0000001||||a\n"
	                "b.py|b0000002|a0000001|||b\n"
	                "c.py|c0000003|a0000001|||c\n"
	                "m.py|m0000004|b0000002,c0000003|||merge\n");
	res r = squash(f, "m0000004", "b0000002");
	assert_int_equal(r.rc, RT_EGRAPH);
	assert_string_equal(r.error, "cannot squash: 'c0000003' revises 'a0000001', which is "
	                             "outside the range (the range may only be entered from "
	                             "'b0000002')");
	/* from a, both sides of the merge are inside: fine */
	r = squash(f, "m0000004", "a0000001");
	assert_int_equal(r.rc, RT_OK);
	assert_int_equal(r.sq.members.n, 3);
	assert_string_equal(r.sq.members.v[2]->id, "m0000004");
	fx_free(f);
}

static void dependencies(void **state)
{
	/* an id dependency on a member is refused ... */
	fx *f = fx_text(LINEAR "o.py|o0000005|||b0000002|other base\n");
	res r = squash(f, "c0000003", NULL);
	assert_int_equal(r.rc, RT_EGRAPH);
	assert_string_equal(r.error,
	                    "cannot squash: 'o0000005' depends on 'b0000002', inside the range");
	assert_int_equal(r.loc.col, 4);
	fx_free(f);
	/* ... one through a member's branch label is kept, and the label moves */
	f = fx_text("a.py|a0000001||core||a\n"
	            "b.py|b0000002|a0000001|||b\n"
	            "c.py|c0000003|b0000002|||c\n"
	            "o.py|o0000005|||core|other base\n");
	r = squash(f, "b0000002", NULL);
	assert_int_equal(r.rc, RT_OK);
	assert_string_equal(r.labels, "core");
	fx_free(f);
	/* a member's own dependency on something below FROM is implied by FROM */
	f = fx_text("a.py|a0000001||||a\n"
	            "b.py|b0000002|a0000001|||b\n"
	            "c.py|c0000003|b0000002||a0000001|c\n");
	r = squash(f, "c0000003", "b0000002");
	assert_int_equal(r.rc, RT_OK);
	assert_string_equal(r.members, "c0000003");
	fx_free(f);
}

/* The range follows depends_on as the upgrade plan does. */
static void range_includes_dependencies(void **state)
{
	fx *f = fx_text("a.py|a0000001||||a\n"
	                "o.py|o0000002||||other base\n"
	                "b.py|b0000003|a0000001||o0000002|b\n"
	                "c.py|c0000004|b0000003|||c\n");
	res r = squash(f, "b0000003", NULL);
	assert_int_equal(r.rc, RT_OK);
	/* Alembic's order: the dependency's base first */
	assert_string_equal(r.members, "o0000002,a0000001,b0000003");
	fx_free(f);
}

static rt_revision *make_new(fx *f, const rt_squash *sq, const char *id)
{
	rt_revision *n = rt_alloc(f->arena, sizeof(*n));
	n->id = id;
	n->path = "n.py";
	n->load_order = sq->to->load_order;
	if (sq->from)
		rt_strv_push(f->arena, &n->down, sq->from->id);
	n->labels = sq->labels;
	return n;
}

static void graph_after(void **state)
{
	fx *f = fx_text("a.py|a0000001||||a\n"
	                "b.py|b0000002|a0000001|billing||b\n"
	                "c.py|c0000003|b0000002|||c\n"
	                "d.py|d0000004|c0000003|||d\n"
	                "e.py|e0000005|c0000003|||e\n"
	                "m.py|f0000006|d0000004,e0000005|||merge\n");
	res r = squash(f, "c0000003", "a0000001");
	assert_int_equal(r.rc, RT_OK);
	assert_string_equal(r.children, "d0000004,e0000005");
	rt_graph *g2;
	rt_diags d;
	rt_diags_init(&d, f->arena);
	int rc = rt_squash_graph(&g2, f->arena, f->g, &r.sq, make_new(f, &r.sq, "n0000009"), &d);
	assert_int_equal(rc, RT_OK);
	assert_int_equal(d.errors, 0);
	assert_int_equal(rt_graph_size(g2), 5);
	assert_null(rt_graph_get(g2, "b0000002"));
	assert_string_equal(rt_graph_get(g2, "d0000004")->down.v[0], "n0000009");
	assert_string_equal(rt_graph_label_owner(g2, "billing")->id, "n0000009");
	rt_strv none = { 0 };
	rt_plan *p;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_plan_upgrade(&p, f->arena, g2, &none, "head", &err), RT_OK);
	assert_string_equal(fx_steps(f, p), "u:a0000001 u:n0000009 u:e0000005 u:d0000004 "
	                                    "u:f0000006");
	/* the original graph is untouched */
	assert_string_equal(rt_graph_get(f->g, "d0000004")->down.v[0], "c0000003");
	fx_free(f);
}

static void graph_after_refuses_clash(void **state)
{
	fx *f = fx_text(LINEAR);
	res r = squash(f, "b0000002", NULL);
	assert_int_equal(r.rc, RT_OK);
	rt_graph *g2;
	rt_diags d;
	rt_diags_init(&d, f->arena);
	/* a new id equal to a revision that stays is a duplicate */
	int rc = rt_squash_graph(&g2, f->arena, f->g, &r.sq, make_new(f, &r.sq, "d0000004"), &d);
	assert_int_equal(rc, RT_EGRAPH);
	assert_true(fx_count(&d, "duplicate-revision") + fx_count(&d, "cycle") >= 1);
	fx_free(f);
}

/* Gives revision `id` the bodies of sidecar text `sql`. */
static void give_sql(fx *f, const char *id, const char *sql)
{
	rt_revision *r = NULL;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->revs[i]->id, id) == 0)
			r = f->revs[i];
	assert_non_null(r);
	rt_diags d;
	rt_diags_init(&d, f->arena);
	rt_sqlfile *sf;
	const rt_source *src = rt_source_from_mem(f->arena, r->path, sql, strlen(sql));
	assert_int_equal(rt_sqlfile_parse(&sf, f->arena, src, RT_SQLFILE_SIDECAR, &d), RT_OK);
	r->origin = RT_REV_SQL;
	r->sql = sf;
}

static void sql_text(void **state)
{
	fx *f = fx_text(LINEAR);
	give_sql(f, "a0000001", "-- retort:upgrade\nCREATE TABLE a (x int);\n"
	                        "-- retort:downgrade\nDROP TABLE a;\n");
	give_sql(f, "b0000002", "-- retort:upgrade\nALTER TABLE a ADD y int; "
	                        "UPDATE a SET y = 1 -- trailing comment\n"
	                        "-- retort:upgrade no-transaction\n"
	                        "CREATE INDEX CONCURRENTLY ai ON a (x);\n"
	                        "-- retort:downgrade no-transaction\n"
	                        "DROP INDEX CONCURRENTLY ai;\n"
	                        "-- retort:downgrade\nALTER TABLE a DROP y;\n");
	give_sql(f, "c0000003", "-- retort:upgrade\n-- retort:downgrade\n");
	res r = squash(f, "c0000003", NULL);
	assert_int_equal(r.rc, RT_OK);
	rt_buf b = RT_BUF_INIT;
	rt_error err = RT_ERROR_INIT;
	int rc = rt_squash_sql(&b, f->arena, f->g, &r.sq, NULL, "n.sql", &err);
	assert_int_equal(rc, RT_OK);
	assert_string_equal(rt_buf_cstr(&b),
	                    "-- retort squash: 3 revisions after base, up to c0000003, in plan "
	                    "order;\n"
	                    "-- each step starts with a '-- <revision>: <message>' comment.\n"
	                    "\n-- retort:upgrade\n"
	                    "-- a0000001: create a\n"
	                    "CREATE TABLE a (x int);\n"
	                    "-- b0000002: create b\n"
	                    "ALTER TABLE a ADD y int;\n"
	                    "UPDATE a SET y = 1;\n"
	                    "\n-- retort:upgrade no-transaction\n"
	                    "CREATE INDEX CONCURRENTLY ai ON a (x);\n"
	                    "-- c0000003: create c\n"
	                    "\n-- retort:downgrade\n"
	                    "-- c0000003: create c\n"
	                    "\n-- retort:downgrade no-transaction\n"
	                    "-- b0000002: create b\n"
	                    "DROP INDEX CONCURRENTLY ai;\n"
	                    "\n-- retort:downgrade\n"
	                    "ALTER TABLE a DROP y;\n"
	                    "-- a0000001: create a\n"
	                    "DROP TABLE a;\n");
	rt_buf_release(&b);
	fx_free(f);
}

/* Gives revision `id` the version file text `py` (bodies translated). */
static void give_py(fx *f, const char *id, const char *py)
{
	rt_diags d;
	rt_diags_init(&d, f->arena);
	const rt_source *src = rt_source_from_mem(f->arena, "versions/b.py", py, strlen(py));
	rt_revfile *rf;
	assert_int_equal(rt_revfile_read(&rf, f->arena, src, &d), RT_OK);
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->revs[i]->id, id) == 0)
			f->revs[i]->py = rf;
}

/* A string holding a marker line would read back as two sections: refused. */
static void sql_read_back_refuses(void **state)
{
	fx *f = fx_text("b.py|b0000002||||b\n");
	give_py(f, "b0000002", "revision = 'b0000002'\ndown_revision = None\n"
	                       "from alembic import op\n"
	                       "def upgrade():\n    op.execute(\"SELECT 'x\\n-- retort:downgrade\\n'\")\n"
	                       "def downgrade():\n    pass\n");
	res r = squash(f, "b0000002", NULL);
	assert_int_equal(r.rc, RT_OK);
	rt_buf b = RT_BUF_INIT;
	rt_error err = RT_ERROR_INIT;
	int rc = rt_squash_sql(&b, f->arena, f->g, &r.sq, NULL, "n.sql", &err);
	assert_int_equal(rc, RT_ERROR);
	assert_string_equal(err.message, "the squashed SQL does not read back: unterminated "
	                                 "quoted string");
	assert_int_equal(err.loc.line, 6); /* in the generated text */
	rt_error_clear(&err);
	rt_buf_release(&b);
	fx_free(f);
}

/* A .py body the translator refuses: named with its file:line:col, nothing returned. */
static void sql_untranslatable(void **state)
{
	fx *f = fx_text("a.py|a0000001||||create a\nb.py|b0000002|a0000001|||b\n");
	give_sql(f, "a0000001", "-- retort:upgrade\nCREATE TABLE a (x int);\n"
	                        "-- retort:downgrade\nDROP TABLE a;\n");
	give_py(f, "b0000002", "\"\"\"b\"\"\"\nfrom alembic import op\nimport mymodule\n\n"
	                       "revision = 'b0000002'\ndown_revision = 'a0000001'\n\n"
	                       "def upgrade():\n    mymodule.do_things(op)\n\n"
	                       "def downgrade():\n    pass\n");
	res r = squash(f, "b0000002", NULL);
	assert_int_equal(r.rc, RT_OK);
	rt_buf b = RT_BUF_INIT;
	rt_error err = RT_ERROR_INIT;
	int rc = rt_squash_sql(&b, f->arena, f->g, &r.sq, NULL, "n.sql", &err);
	assert_int_equal(rc, RT_EUNSUPPORTED);
	assert_true(strncmp(err.message, "cannot squash 'b0000002': ", 26) == 0);
	assert_string_equal(err.loc.path, "versions/b.py");
	assert_int_equal(err.loc.line, 9);
	rt_error_clear(&err);
	rt_buf_release(&b);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(range_from_base),
		cmocka_unit_test(range_from_rev),
		cmocka_unit_test(refuses_empty_ranges),
		cmocka_unit_test(refuses_branch_leaving),
		cmocka_unit_test(refuses_second_entry),
		cmocka_unit_test(dependencies),
		cmocka_unit_test(range_includes_dependencies),
		cmocka_unit_test(graph_after),
		cmocka_unit_test(graph_after_refuses_clash),
		cmocka_unit_test(sql_text),
		cmocka_unit_test(sql_read_back_refuses),
		cmocka_unit_test(sql_untranslatable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
