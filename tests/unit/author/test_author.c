/*
 * Unit tests for src/author's planning and file work, on projects written to a
 * temporary folder: a new revision (its name from file_template, the exclusive
 * create, a failed sidecar taking its .py with it), rebase's refusals and the
 * database check's place, and squash planned, applied, and stopped midway.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "retort/author.h"

/* A project in a temporary folder: <dir>/versions/<id>.py per revision. */
typedef struct proj {
	char dir[64];
	const char *versions;
	rt_arena *arena;
	rt_config cfg;
	rt_project *project;
	rt_graph *g;
	size_t errors; /* the graph's, as loaded */
} proj;

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(rt_arena *arena, const char *path)
{
	rt_source *src;
	rt_error err = RT_ERROR_INIT;
	if (rt_source_load(&src, arena, path, &err) < 0) {
		rt_error_clear(&err);
		return NULL;
	}
	return rt_strndup(arena, src->text, src->len);
}

/* Entries in a folder: a write leaves no temporary file behind. */
static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* Writes revision id (parent: down, "" for none) as a version file. */
static void add_rev(proj *p, const char *id, const char *down)
{
	const char *path = rt_sprintf(p->arena, "%s/%s.py", p->versions, id);
	put_file(path, rt_sprintf(p->arena,
	                          "\"\"\"rev %s\n\nRevision ID: %s\nRevises: %s\n\"\"\"\n"
	                          "from alembic import op\n\n"
	                          "revision = '%s'\ndown_revision = %s%s%s\n"
	                          "branch_labels = None\ndepends_on = None\n\n\n"
	                          "def upgrade():\n    op.execute(\"CREATE TABLE t_%s (x int)\")\n\n\n"
	                          "def downgrade():\n    op.execute(\"DROP TABLE t_%s\")\n",
	                          id, id, down, id, *down ? "'" : "", *down ? down : "None",
	                          *down ? "'" : "", id, id));
}

/* Loads the files and builds the graph (again, after the files changed). */
static void load(proj *p)
{
	rt_project_opts popts = { .version_locations = &p->cfg.version_locations };
	rt_diags d;
	rt_diags_init(&d, p->arena);
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_project_load(&p->project, p->arena, &popts, &d, &err), RT_OK);
	rt_graph_build(&p->g, p->arena, p->project->revs, p->project->n, &d);
	p->errors = d.errors;
}

/* A project from "id:parent" pairs, e.g. "a1:" "b2:a1"; it may be broken. */
static proj *make_any(const char *const *revs)
{
	proj *p = calloc(1, sizeof(*p));
	strcpy(p->dir, "/tmp/rt-author-XXXXXX");
	assert_non_null(mkdtemp(p->dir));
	p->arena = rt_arena_new();
	p->versions = rt_sprintf(p->arena, "%s/versions", p->dir);
	assert_int_equal(mkdir(p->versions, 0777), 0);
	p->cfg.script_location = p->dir;
	rt_strv_push(p->arena, &p->cfg.version_locations, p->versions);
	p->cfg.file_template = "%(rev)s_%(slug)s";
	p->cfg.truncate_slug_length = 40;
	p->cfg.timezone = "UTC";
	for (; *revs; revs++) {
		const char *colon = strchr(*revs, ':');
		add_rev(p, rt_strndup(p->arena, *revs, (size_t)(colon - *revs)), colon + 1);
	}
	load(p);
	return p;
}

static proj *make(const char *const *revs)
{
	proj *p = make_any(revs);
	assert_int_equal(p->errors, 0);
	return p;
}

static void done(proj *p)
{
	assert_int_equal(system(rt_sprintf(p->arena, "rm -rf '%s'", p->dir)), 0);
	rt_arena_free(p->arena);
	free(p);
}

static const char *const LINEAR[] = { "a1:", "b2:a1", "c3:b2", "d4:c3", NULL };

/* ---- writing a new revision ---- */

static void write_names_from_template(void **state)
{
	proj *p = make(LINEAR);
	p->cfg.file_template = "%%(x)s_%(year)d_%(rev)s_%(slug).5s";
	rt_newrev nr = { .rev_id = "e5", .message = "Add users table" };
	rt_strv_push(p->arena, &nr.down, "d4");
	rt_author_written w;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_author_write_revision(&w, p->arena, &p->cfg, p->g, &nr, NULL, NULL,
	                                          &err), RT_OK);
	const char *want = rt_sprintf(p->arena, "%s/%%(x)s_%d_e5_add_u.py", p->versions,
	                              nr.date.year);
	assert_string_equal(w.py_path, want);
	assert_null(w.sql_path);
	const char *text = slurp(p->arena, w.py_path);
	assert_non_null(text);
	assert_non_null(strstr(text, "revision = 'e5'\ndown_revision = 'd4'\n"));
	done(p);
}

static void write_random_id_and_sidecar(void **state)
{
	proj *p = make(LINEAR);
	rt_newrev nr = { .message = "with sql" };
	rt_buf sql = RT_BUF_INIT;
	rt_newrev_render_sql(&sql);
	rt_author_written w;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_author_write_revision(&w, p->arena, &p->cfg, p->g, &nr, p->dir, &sql,
	                                          &err), RT_EUSAGE); /* not a version location */
	assert_string_equal(err.message, rt_sprintf(p->arena, "'%s' is not one of the version "
	                                            "locations", p->dir));
	assert_int_equal(rt_author_write_revision(&w, p->arena, &p->cfg, p->g, &nr, p->versions,
	                                          &sql, &err), RT_OK);
	assert_int_equal(strlen(nr.rev_id), 12);
	assert_string_equal(w.py_path, rt_sprintf(p->arena, "%s/%s_with_sql.py", p->versions,
	                                          nr.rev_id));
	assert_string_equal(w.sql_path, rt_sprintf(p->arena, "%s/%s_with_sql.sql", p->versions,
	                                           nr.rev_id));
	assert_string_equal(slurp(p->arena, w.sql_path), rt_buf_cstr(&sql));
	assert_non_null(strstr(slurp(p->arena, w.py_path), "retort:"));
	assert_int_equal(entries(p->versions), 4 + 2);
	rt_buf_release(&sql);
	rt_error_clear(&err);
	done(p);
}

static void write_never_overwrites(void **state)
{
	proj *p = make(LINEAR);
	const char *path = rt_sprintf(p->arena, "%s/e5_again.py", p->versions);
	put_file(path, "mine\n");
	rt_newrev nr = { .rev_id = "e5", .message = "again" };
	rt_author_written w = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_author_write_revision(&w, p->arena, &p->cfg, p->g, &nr, NULL, NULL,
	                                          &err), RT_EUSAGE);
	assert_string_equal(err.message, rt_sprintf(p->arena, "'%s' already exists", path));
	assert_string_equal(slurp(p->arena, path), "mine\n");
	assert_int_equal(entries(p->versions), 4 + 1);
	assert_null(w.py_path);
	rt_error_clear(&err);
	done(p);
}

/* The sidecar cannot be created: the .py written before it is removed again. */
static void write_sidecar_failure_removes_py(void **state)
{
	proj *p = make(LINEAR);
	const char *py = rt_sprintf(p->arena, "%s/e5_x.py", p->versions);
	const char *sql = rt_sprintf(p->arena, "%s/e5_x.sql", p->versions);
	put_file(sql, "-- someone else's\n");
	rt_newrev nr = { .rev_id = "e5", .message = "x" };
	rt_buf text = RT_BUF_INIT;
	rt_newrev_render_sql(&text);
	rt_author_written w = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_author_write_revision(&w, p->arena, &p->cfg, p->g, &nr, NULL, &text,
	                                          &err), RT_EUSAGE);
	assert_string_equal(err.message, rt_sprintf(p->arena, "'%s' already exists", sql));
	assert_false(exists(py));
	assert_string_equal(slurp(p->arena, sql), "-- someone else's\n");
	assert_int_equal(entries(p->versions), 4 + 1);
	rt_buf_release(&text);
	rt_error_clear(&err);
	done(p);
}

static void revision_refusals(void **state)
{
	proj *p = make((const char *const[]){ "a1:", "b2:a1", "c3:a1", NULL });
	rt_revlist parents = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_author_revision_parents(&parents, p->arena, p->g, NULL, &err),
	                 RT_EGRAPH);
	assert_string_equal(err.message, "multiple heads are present: 'b2', 'c3'");
	assert_int_equal(rt_author_add_heads(&parents, p->arena, p->g, "a1", &err), RT_EUSAGE);
	assert_string_equal(err.message, "revision 'a1' is not a head revision");
	assert_int_equal(rt_author_add_heads(&parents, p->arena, p->g, "heads", &err), RT_OK);
	assert_int_equal(parents.n, 2);
	assert_int_equal(rt_author_add_heads(&parents, p->arena, p->g, "b2", &err), RT_EUSAGE);
	assert_string_equal(err.message, "revision 'b2' is given twice");

	rt_newrev nr;
	rt_author_written w;
	rt_author_revision_opts opts = { .message = "m", .rev_id = "b2" };
	assert_int_equal(rt_author_revision(&nr, &w, p->arena, &p->cfg, p->g, &parents, &opts,
	                                    &err), RT_EUSAGE);
	assert_string_equal(err.message, "revision 'b2' already exists");
	rt_strv deps = { 0 };
	rt_strv_push(p->arena, &deps, "c3");
	opts = (rt_author_revision_opts){ .message = "merge", .rev_id = "m9", .depends_on = &deps };
	assert_int_equal(rt_author_revision(&nr, &w, p->arena, &p->cfg, p->g, &parents, &opts,
	                                    &err), RT_OK);
	assert_string_equal(w.py_path, rt_sprintf(p->arena, "%s/m9_merge.py", p->versions));
	assert_non_null(strstr(slurp(p->arena, w.py_path),
	                       "down_revision = ('b2', 'c3')\nbranch_labels = None\n"
	                       "depends_on = 'c3'\n"));
	rt_error_clear(&err);
	done(p);
}

/* ---- rebase ---- */

static int rebase(proj *p, rt_rebase *rb, const char *rev, const char *onto, rt_error *err)
{
	rt_strv parents = { 0 };
	for (const char *s = onto; *s;) {
		size_t n = strcspn(s, ",");
		rt_strv_push(p->arena, &parents, rt_strndup(p->arena, s, n));
		s += n + (s[n] == ',');
	}
	rt_rebase_opts opts = { .rev = rev, .onto = &parents };
	return rt_rebase_plan(rb, p->arena, p->project, p->g, &opts, err);
}

static void rebase_refusals(void **state)
{
	proj *p = make((const char *const[]){ "a1:", "b2:a1", "c3:b2", "x9:a1", NULL });
	rt_rebase rb;
	rt_error err = RT_ERROR_INIT;
	static const struct {
		const char *rev, *onto;
		int rc;
		const char *message;
	} cases[] = {
		{ "b2", "b2", RT_EGRAPH, "cannot rebase 'b2' onto itself" },
		{ "b2", "c3", RT_EGRAPH, "cannot rebase 'b2' onto 'c3': 'c3' descends from 'b2', so "
		                         "the graph would have a cycle" },
		{ "c3", "a1,x9", RT_EGRAPH, "parent 'a1' is an ancestor of parent 'x9'" },
		{ "c3", "base,x9", RT_EUSAGE, "'--onto base' cannot be combined with other parents" },
		{ "c3", "x9,x9", RT_EUSAGE, "parent 'x9' is given twice" },
		{ "base", "x9", RT_EUSAGE, "'base' is not a revision that can be rebased" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(rebase(p, &rb, cases[i].rev, cases[i].onto, &err), cases[i].rc);
		assert_string_equal(err.message, cases[i].message);
		assert_int_equal(rb.text.len, 0);
		rt_rebase_release(&rb);
	}
	/* already there: nothing planned */
	assert_int_equal(rebase(p, &rb, "c3", "b2", &err), RT_OK);
	assert_true(rb.unchanged);
	rt_rebase_release(&rb);
	rt_error_clear(&err);
	done(p);
}

/* Errors the project had already are no reason to refuse; only new ones are. */
static void rebase_judges_new_errors_only(void **state)
{
	proj *p = make_any((const char *const[]){ "a1:", "b2:zz", "c3:yy", NULL });
	assert_int_equal(p->errors, 2); /* zz and yy are missing */
	rt_rebase rb;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rebase(p, &rb, "b2", "a1", &err), RT_OK); /* c3 stays broken */
	assert_int_equal(rb.problems.n, 0);
	assert_non_null(strstr(rt_buf_cstr(&rb.text), "down_revision = 'a1'\n"));
	rt_rebase_release(&rb);
	rt_error_clear(&err);
	done(p);
}

static int refuse_applied(void *arg, const rt_revision *rev, rt_error *err)
{
	*(const char **)arg = rev->id;
	return rt_error_set(err, RT_EUSAGE, NULL, "revision '%s' is applied", rev->id);
}

/* The caller's check runs once the plan is sound and stops it; then a real one. */
static void rebase_check_then_apply(void **state)
{
	proj *p = make(LINEAR);
	const char *path = rt_sprintf(p->arena, "%s/c3.py", p->versions);
	const char *before = slurp(p->arena, path);
	const char *asked = NULL;
	rt_strv onto = { 0 };
	rt_strv_push(p->arena, &onto, "a1");
	rt_rebase_opts opts = { .rev = "c3", .onto = &onto, .check = refuse_applied,
	                        .check_arg = &asked };
	rt_rebase rb;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_rebase_plan(&rb, p->arena, p->project, p->g, &opts, &err), RT_EUSAGE);
	assert_string_equal(asked, "c3");
	rt_rebase_release(&rb);
	asked = NULL;
	opts.rev = "b2";
	rt_strv_push(p->arena, &onto, "a1");
	assert_int_equal(rt_rebase_plan(&rb, p->arena, p->project, p->g, &opts, &err), RT_EUSAGE);
	assert_null(asked); /* refused before the check: a1 given twice */
	rt_rebase_release(&rb);

	onto.n = 1;
	opts = (rt_rebase_opts){ .rev = "c3", .onto = &onto };
	assert_int_equal(rt_rebase_plan(&rb, p->arena, p->project, p->g, &opts, &err), RT_OK);
	assert_string_equal(slurp(p->arena, path), before); /* planning writes nothing */
	assert_int_equal(rb.warnings.n, 1);                  /* b2 and d4 are two heads now */
	assert_string_equal(rb.warnings.items[0]->kind, "multiple-heads");
	rt_buf diff = RT_BUF_INIT;
	rt_rebase_diff(&diff, &rb);
	assert_non_null(strstr(rt_buf_cstr(&diff), "-down_revision = 'b2'\n+down_revision = 'a1'\n"));
	assert_int_equal(rt_rebase_apply(&rb, &err), RT_OK);
	const char *after = slurp(p->arena, path);
	assert_non_null(strstr(after, "Revises: a1\n"));
	assert_non_null(strstr(after, "down_revision = 'a1'\n"));
	rt_buf_release(&diff);
	rt_rebase_release(&rb);
	rt_error_clear(&err);
	done(p);
}

/* ---- squash ---- */

static void plan_squash(proj *p, rt_squash_job *j, unsigned flags)
{
	rt_squash_opts opts = { .to = "c3", .message = "squashed", .rev_id = "n0",
	                        .archive_root = p->dir, .flags = flags };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_squash_plan(j, p->arena, &p->cfg, p->g, &opts, &err), RT_OK);
	rt_error_clear(&err);
}

static void squash_plan_and_apply(void **state)
{
	proj *p = make(LINEAR);
	rt_squash_job j;
	plan_squash(p, &j, 0);
	const char *v = p->versions, *archive = rt_sprintf(p->arena, "%s/squashed/n0", p->dir);
	assert_string_equal(j.files.py_path, rt_sprintf(p->arena, "%s/n0_squashed.py", v));
	assert_string_equal(j.files.sql_path, rt_sprintf(p->arena, "%s/n0_squashed.sql", v));
	assert_string_equal(j.archive, archive);
	assert_int_equal(j.nrewrites, 1);
	assert_string_equal(j.rewrites[0].path, rt_sprintf(p->arena, "%s/d4.py", v));
	assert_non_null(strstr(rt_buf_cstr(&j.rewrites[0].text), "down_revision = 'n0'\n"));
	assert_int_equal(j.nmoves, 3);
	assert_string_equal(j.moves[2].dest, rt_sprintf(p->arena, "%s/c3.py", archive));
	assert_non_null(strstr(rt_buf_cstr(&j.sql), "CREATE TABLE t_b2 (x int);\n"));
	assert_false(exists(j.files.py_path)); /* planning writes nothing */

	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_squash_apply(&j, p->arena, &p->cfg, p->g, &err), RT_OK);
	assert_true(j.written && j.rewrites[0].done && j.moves[2].done);
	assert_string_equal(slurp(p->arena, j.files.sql_path), rt_buf_cstr(&j.sql));
	assert_false(exists(rt_sprintf(p->arena, "%s/a1.py", v)));
	assert_true(exists(rt_sprintf(p->arena, "%s/a1.py", archive)));
	assert_non_null(strstr(slurp(p->arena, j.rewrites[0].path), "down_revision = 'n0'\n"));

	rt_squash_advice a = rt_squash_advise(&j, p->g, p->arena);
	assert_string_equal(a.stamp, "n0");
	assert_string_equal(a.at, "c3");
	assert_int_equal(a.repair->n, 1);
	assert_string_equal(a.repair->v[0]->id, "d4");
	assert_false(a.other_heads);
	rt_squash_release(&j);

	/* what is left reads back as one graph: n0 <- d4 */
	load(p);
	assert_int_equal(p->project->n, 2);
	rt_error_clear(&err);
	done(p);
}

/* A move fails midway: the steps done and not done are data, and err says them. */
static void squash_partial_failure(void **state)
{
	proj *p = make(LINEAR);
	rt_squash_job j;
	plan_squash(p, &j, 0);
	/* after the plan, something takes b2's place in the archive: rename() refuses */
	assert_int_equal(system(rt_sprintf(p->arena, "mkdir -p '%s'", j.moves[1].dest)), 0);
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_squash_apply(&j, p->arena, &p->cfg, p->g, &err), RT_EOS);
	assert_true(j.written);
	assert_true(j.rewrites[0].done);
	assert_true(j.moves[0].done);
	assert_false(j.moves[1].done);
	assert_false(j.moves[2].done);
	assert_string_equal(err.detail, rt_sprintf(p->arena,
	                    "done: wrote '%s' and '%s'; re-pointed '%s'; moved '%s'; not done: "
	                    "archive 2 files of the range to '%s/'", j.files.py_path,
	                    j.files.sql_path, j.rewrites[0].path, j.moves[0].path, j.archive));
	assert_non_null(strstr(err.hint, "finish the steps not done by hand"));
	assert_true(exists(j.moves[1].path));
	assert_false(exists(j.moves[0].path));
	rt_squash_release(&j);
	rt_error_clear(&err);
	done(p);
}

static void squash_keep_and_refusals(void **state)
{
	proj *p = make(LINEAR);
	rt_squash_job j;
	plan_squash(p, &j, RT_SQUASH_KEEP);
	assert_int_equal(j.nmoves, 0);
	rt_squash_release(&j);

	rt_error err = RT_ERROR_INIT;
	rt_squash_opts opts = { .to = "c3", .message = "s", .rev_id = "n0",
	                        .archive = p->versions };
	assert_int_equal(rt_squash_plan(&j, p->arena, &p->cfg, p->g, &opts, &err), RT_EUSAGE);
	assert_non_null(strstr(err.message, "is inside the version location"));
	rt_squash_release(&j);
	opts = (rt_squash_opts){ .to = "c3", .message = "s", .rev_id = "d4" };
	assert_int_equal(rt_squash_plan(&j, p->arena, &p->cfg, p->g, &opts, &err), RT_EUSAGE);
	assert_string_equal(err.message, "revision 'd4' already exists");
	rt_squash_release(&j);
	rt_error_clear(&err);
	done(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_names_from_template),
		cmocka_unit_test(write_random_id_and_sidecar),
		cmocka_unit_test(write_never_overwrites),
		cmocka_unit_test(write_sidecar_failure_removes_py),
		cmocka_unit_test(revision_refusals),
		cmocka_unit_test(rebase_refusals),
		cmocka_unit_test(rebase_judges_new_errors_only),
		cmocka_unit_test(rebase_check_then_apply),
		cmocka_unit_test(squash_plan_and_apply),
		cmocka_unit_test(squash_partial_failure),
		cmocka_unit_test(squash_keep_and_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
