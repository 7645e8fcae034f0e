/*
 * Unit tests for the project loader (src/sources/project.c): revisions in
 * load order with every field, sidecars, standalone files, checksums that
 * match `b2sum -l 256`, and the body of a step per direction.
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "retort/project.h"
#include "retort/sqlsplit.h"

#define VERSIONS FIXTURES "/discovery/versions"

typedef struct run {
	rt_arena *arena;
	rt_diags diags;
	rt_project *p;
	rt_error err;
	int rc;
} run;

static void load(run *r, const char *loc)
{
	memset(r, 0, sizeof(*r));
	r->arena = rt_arena_new();
	rt_diags_init(&r->diags, r->arena);
	rt_strv sv = { 0 };
	rt_strv_push(r->arena, &sv, loc);
	rt_project_opts opts = { .version_locations = &sv };
	r->rc = rt_project_load(&r->p, r->arena, &opts, &r->diags, &r->err);
}

static void done(run *r)
{
	rt_error_clear(&r->err);
	rt_arena_free(r->arena);
}

static const rt_diag *find_diag(const run *r, const char *kind)
{
	for (size_t i = 0; i < r->diags.n; i++)
		if (strcmp(r->diags.items[i]->kind, kind) == 0)
			return r->diags.items[i];
	fail_msg("no '%s' diagnostic", kind);
	return NULL;
}

/* The statements of one direction, joined by " | ". */
static const char *body(const run *r, const rt_revision *rev, rt_direction dir, int *rc)
{
	rt_stmtlist l = { 0 };
	rt_error err = RT_ERROR_INIT;
	*rc = rt_revision_body(&l, r->arena, rev, dir, NULL, &err);
	rt_error_clear(&err);
	char *s = rt_strdup(r->arena, "");
	for (size_t i = 0; i < l.n; i++)
		s = rt_sprintf(r->arena, "%s%s%s", s, i ? " | " : "", l.items[i]->sql);
	return s;
}

static void test_project__fixture_revisions(void **state)
{
	(void)state;
	run r;
	load(&r, VERSIONS);
	assert_int_equal(r.rc, RT_OK);
	/* _helper.py has no revision: reported by the reader and left out */
	assert_int_equal(r.p->n, 4);
	const char *ids[] = { "hid", "std1", "b1", "r1" };
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(r.p->revs[i]->id, ids[i]);
		assert_int_equal(r.p->revs[i]->load_order, i);
	}
	assert_true(r.diags.errors >= 1);
	for (size_t i = 0; i < r.diags.n; i++)
		if (r.diags.items[i]->severity == RT_SEV_ERROR)
			assert_string_equal(r.diags.items[i]->loc.path, VERSIONS "/_helper.py");

	const rt_revision *std = r.p->revs[1], *b1 = r.p->revs[2], *r1 = r.p->revs[3];
	assert_int_equal(std->origin, RT_REV_SQL);
	assert_string_equal(std->path, VERSIONS "/a_std.sql");
	assert_null(std->sidecar_path);
	assert_null(std->py);
	assert_non_null(std->sql);
	assert_int_equal(std->down.n, 1);
	assert_string_equal(std->down.v[0], "r1");
	assert_string_equal(std->message, "a standalone revision");
	assert_int_equal(std->loc.line, 1);
	assert_int_equal(std->down_loc.line, 2);
	/* b2sum -l 256 a_std.sql */
	assert_string_equal(std->checksum,
	                    "5c31d90eb22ee2be510145537283d4c828ba2007ccfe34441d523d460674312b");
	const rt_diag *g = find_diag(&r, "standalone-sql");
	assert_int_equal(g->severity, RT_SEV_WARNING);
	assert_string_equal(g->message,
	                    "standalone SQL revision '" VERSIONS "/a_std.sql' is invisible to Alembic");
	assert_string_equal(g->revision, "std1");

	assert_int_equal(b1->origin, RT_REV_PY);
	assert_string_equal(b1->sidecar_path, VERSIONS "/b_side.sql");
	assert_non_null(b1->py);
	assert_non_null(b1->sql);
	assert_string_equal(b1->message, "with a sidecar");
	/* cat b_side.py b_side.sql | b2sum -l 256 */
	assert_string_equal(b1->checksum,
	                    "7eec1097e04c888d330583763a97722c67856f7bae4882416e96cbff9c54d10c");
	assert_int_equal(r1->down.n, 0);
	assert_null(r1->sidecar_path);
	assert_int_equal(r1->loc.line, 8);
	done(&r);
}

static void test_project__body_per_direction(void **state)
{
	(void)state;
	run r;
	load(&r, VERSIONS);
	int rc;
	const rt_revision *std = r.p->revs[1], *b1 = r.p->revs[2], *r1 = r.p->revs[3];
	/* a sidecar section replaces the .py body of its direction only */
	assert_string_equal(body(&r, b1, RT_UPGRADE, &rc), "CREATE TABLE b_side (id int PRIMARY KEY)");
	assert_int_equal(rc, RT_OK);
	assert_string_equal(body(&r, b1, RT_DOWNGRADE, &rc), "SELECT 'b1 down'");
	assert_int_equal(rc, RT_OK);
	assert_string_equal(body(&r, r1, RT_UPGRADE, &rc), "SELECT 'r1 up'");
	assert_string_equal(body(&r, std, RT_DOWNGRADE, &rc), "DROP TABLE std");
	assert_int_equal(rc, RT_OK);
	done(&r);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_project__broken_sql_files(void **state)
{
	(void)state;
	char tmp[] = "/tmp/rt-project-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	put(tmp, "a.py", "revision = 'a'\ndown_revision = None\n"
	                 "def upgrade():\n    op.execute(\"SELECT 1\")\n");
	put(tmp, "a.sql", "-- retort:upgrad\nSELECT 2;\n");
	put(tmp, "b.sql", "-- revision: b\n-- down_revision: a\n-- retort:upgrade\nSELECT 3;\n");
	put(tmp, "c.sql", "-- down_revision: a\n-- retort:upgrade\n");
	run r;
	load(&r, tmp);
	assert_int_equal(r.rc, RT_OK);
	/* c.sql has no revision: left out; a's sidecar is broken: a stays, its body refuses */
	assert_int_equal(r.p->n, 2);
	assert_string_equal(r.p->revs[0]->id, "a");
	assert_null(r.p->revs[0]->sql);
	int rc;
	body(&r, r.p->revs[0], RT_UPGRADE, &rc);
	assert_int_equal(rc, RT_ESYNTAX);
	/* a broken sidecar blocks both directions, not only the one it spoilt */
	body(&r, r.p->revs[0], RT_DOWNGRADE, &rc);
	assert_int_equal(rc, RT_ESYNTAX);
	assert_string_equal(body(&r, r.p->revs[1], RT_UPGRADE, &rc), "SELECT 3");
	body(&r, r.p->revs[1], RT_DOWNGRADE, &rc);
	assert_int_equal(rc, RT_ENOTFOUND);
	/* one error each for a.sql and c.sql, and nothing about the others */
	assert_int_equal(r.diags.errors, 2);
	done(&r);
	assert_int_equal(nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static const char a_py[] = "\"\"\"a\"\"\"\nfrom alembic import op\n\nrevision = 'a'\n"
                           "down_revision = None\n\n\ndef upgrade():\n"
                           "    op.execute(\"SELECT 'a up'\")\n\n\ndef downgrade():\n"
                           "    op.execute(\"SELECT 'a down'\")\n";

/*
 * Loading keeps metadata only; bodies read the file again, both directions
 * of one revision from one parse, and what they return (statements and the
 * source their offsets map to) outlives the next revision's parse.
 */
static void test_project__bodies_read_again(void **state)
{
	(void)state;
	char tmp[] = "/tmp/rt-project-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	put(tmp, "a.py", a_py);
	put(tmp, "b.py", "revision = 'b'\ndown_revision = 'a'\n"
	                 "def upgrade():\n    op.execute('SELECT 1; SELECT 2')\n");
	run r;
	load(&r, tmp);
	assert_int_equal(r.rc, RT_OK);
	assert_int_equal(r.p->n, 2);
	const rt_revision *a = r.p->revs[0], *b = r.p->revs[1];
	assert_non_null(a->py);
	assert_null(a->py->module);
	assert_null(a->py->src);
	assert_string_equal(a->message, "a");
	assert_int_equal(a->loc.line, 4);

	rt_stmtlist up = { 0 };
	rt_error err = RT_ERROR_INIT;
	int rc;
	assert_int_equal(rt_revision_body(&up, r.arena, a, RT_UPGRADE, NULL, &err), RT_OK);
	assert_string_equal(body(&r, b, RT_UPGRADE, &rc), "SELECT 1; SELECT 2");
	assert_string_equal(body(&r, a, RT_DOWNGRADE, &rc), "SELECT 'a down'");
	assert_int_equal(rc, RT_OK);
	body(&r, b, RT_DOWNGRADE, &rc);
	assert_int_equal(rc, RT_ENOTFOUND);
	assert_int_equal(up.n, 1);
	assert_string_equal(up.items[0]->sql, "SELECT 'a up'");
	rt_loc loc = rt_stmt_loc(up.items[0], 7);
	assert_string_equal(loc.path, a->path);
	assert_int_equal(loc.line, 9);
	assert_int_equal(loc.col, 17 + 7); /* byte 7 of the string opened at col 16 */
	rt_error_clear(&err);
	done(&r);
	assert_int_equal(nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* What the loaded callback saw: ids in order and each body's statements. */
struct seen {
	rt_arena *arena;
	rt_strv ids, sql;
	int rcs[4];
};

/* Removes the file first: a body found now comes from the loader's parse. */
static void on_loaded(void *arg, const rt_revision *rev)
{
	struct seen *s = arg;
	rt_strv_push(s->arena, &s->ids, rev->id);
	assert_int_equal(unlink(rev->path), 0);
	for (int dir = RT_UPGRADE; dir <= RT_DOWNGRADE; dir++) {
		rt_stmtlist l = { 0 };
		rt_error err = RT_ERROR_INIT;
		s->rcs[2 * (s->ids.n - 1) + (size_t)dir] =
			rt_revision_body(&l, s->arena, rev, (rt_direction)dir, NULL, &err);
		rt_error_clear(&err);
		rt_strv_push(s->arena, &s->sql, l.n ? l.items[0]->sql : "");
	}
}

/* opts->loaded sees each revision in load order while its parse is held,
 * and the parse is gone once loading moves on (later bodies read again). */
static void test_project__bodies_while_loading(void **state)
{
	(void)state;
	char tmp[] = "/tmp/rt-project-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	put(tmp, "a.py", a_py);
	put(tmp, "b.py", "revision = 'b'\ndown_revision = 'a'\n"
	                 "def upgrade():\n    op.execute('SELECT 2')\n");
	struct seen s = { .arena = rt_arena_new() };
	run r;
	memset(&r, 0, sizeof(r));
	r.arena = rt_arena_new();
	rt_diags_init(&r.diags, r.arena);
	rt_strv sv = { 0 };
	rt_strv_push(r.arena, &sv, tmp);
	rt_project_opts opts = { .version_locations = &sv, .loaded = on_loaded, .loaded_arg = &s };
	r.rc = rt_project_load(&r.p, r.arena, &opts, &r.diags, &r.err);
	assert_int_equal(r.rc, RT_OK);
	assert_int_equal(r.p->n, 2);
	assert_int_equal(s.ids.n, 2);
	assert_string_equal(s.ids.v[0], "a");
	assert_string_equal(s.ids.v[1], "b");
	assert_int_equal(s.rcs[0], RT_OK);
	assert_string_equal(s.sql.v[0], "SELECT 'a up'");
	assert_int_equal(s.rcs[1], RT_OK);
	assert_string_equal(s.sql.v[1], "SELECT 'a down'");
	assert_int_equal(s.rcs[2], RT_OK);
	assert_string_equal(s.sql.v[2], "SELECT 2");
	assert_int_equal(s.rcs[3], RT_ENOTFOUND);
	/* after loading, a body needs the (now removed) file again */
	rt_stmtlist l = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_revision_body(&l, r.arena, r.p->revs[0], RT_UPGRADE, NULL, &err),
	                 RT_EOS);
	rt_error_clear(&err);
	rt_arena_free(s.arena);
	done(&r);
	assert_int_equal(rmdir(tmp), 0);
}

/* A file edited after loading is refused, not run as something unchecked. */
static void test_project__body_of_changed_file(void **state)
{
	(void)state;
	char tmp[] = "/tmp/rt-project-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	put(tmp, "a.py", a_py);
	run r;
	load(&r, tmp);
	assert_int_equal(r.p->n, 1);
	put(tmp, "a.py", "revision = 'a'\ndown_revision = None\n"
	                 "def upgrade():\n    op.execute('DROP TABLE everything')\n");
	rt_stmtlist l = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_revision_body(&l, r.arena, r.p->revs[0], RT_UPGRADE, NULL, &err),
	                 RT_EDRIFT);
	assert_int_equal(l.n, 0);
	assert_string_equal(err.message,
	                    rt_sprintf(r.arena, "'%s' changed while retort was running",
	                               r.p->revs[0]->path));
	assert_non_null(err.hint);
	rt_error_clear(&err);
	put(tmp, "a.py", a_py); /* the same bytes again: fine */
	int rc;
	assert_string_equal(body(&r, r.p->revs[0], RT_UPGRADE, &rc), "SELECT 'a up'");
	assert_int_equal(rc, RT_OK);
	done(&r);
	assert_int_equal(nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void count_loaded(void *arg, const rt_revision *rev)
{
	(void)rev;
	(*(size_t *)arg)++;
}

/*
 * Loading reads a version file without its def/class blocks: a syntax
 * error inside upgrade() shows when the body is wanted (located as the
 * full read locates it), or at load when opts->loaded visits the bodies.
 */
static void test_project__syntax_error_in_a_body(void **state)
{
	(void)state;
	char tmp[] = "/tmp/rt-project-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	put(tmp, "a.py", "revision = 'a'\ndown_revision = None\n"
	                 "def upgrade():\n    op.execute('SELECT 1') +\n");
	run r;
	load(&r, tmp);
	assert_int_equal(r.rc, RT_OK);
	assert_int_equal(r.diags.n, 0);
	assert_int_equal(r.p->n, 1);
	rt_stmtlist l = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_revision_body(&l, r.arena, r.p->revs[0], RT_UPGRADE, NULL, &err),
	                 RT_ESYNTAX);
	assert_int_equal(err.loc.line, 4);
	assert_string_equal(err.loc.path, r.p->revs[0]->path);
	assert_non_null(strstr(err.message, "expected"));
	assert_non_null(err.hint);
	rt_error_clear(&err);
	done(&r);

	size_t n = 0;
	memset(&r, 0, sizeof(r));
	r.arena = rt_arena_new();
	rt_diags_init(&r.diags, r.arena);
	rt_strv sv = { 0 };
	rt_strv_push(r.arena, &sv, tmp);
	rt_project_opts opts = { .version_locations = &sv, .loaded = count_loaded,
	                         .loaded_arg = &n };
	assert_int_equal(rt_project_load(&r.p, r.arena, &opts, &r.diags, &r.err), RT_OK);
	assert_int_equal(r.p->n, 0);
	assert_int_equal(n, 0);
	const rt_diag *g = find_diag(&r, "syntax-error");
	assert_int_equal(g->loc.line, 4);
	done(&r);
	assert_int_equal(nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void ignore_loaded(void *arg, const rt_revision *rev)
{
	(void)arg;
	(void)rev;
}

/* Everything a load gives, as text: revisions in order with their fields,
 * then the diagnostics in order. */
static const char *load_text(rt_arena *a, const char *dir, bool one_at_a_time)
{
	rt_diags d;
	rt_diags_init(&d, a);
	rt_strv sv = { 0 };
	rt_strv_push(a, &sv, dir);
	rt_project_opts opts = { .version_locations = &sv };
	if (one_at_a_time)
		opts.loaded = ignore_loaded; /* the loader then reads files one by one */
	rt_project *p;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_project_load(&p, a, &opts, &d, &err), RT_OK);
	char *s = rt_strdup(a, "");
	for (size_t i = 0; i < p->n; i++) {
		const rt_revision *r = p->revs[i];
		s = rt_sprintf(a, "%s%u %s <- %s [%s] %s %s %u:%u %s\n", s, r->load_order, r->id,
		               r->down.n ? r->down.v[0] : "-", r->message ? r->message : "-",
		               r->checksum, r->path, r->loc.line, r->loc.col,
		               r->sql ? "sql" : "-");
	}
	for (size_t i = 0; i < d.n; i++)
		s = rt_sprintf(a, "%s%s:%u:%u %s %s [%s]\n", s, d.items[i]->loc.path,
		               d.items[i]->loc.line, d.items[i]->loc.col, d.items[i]->kind,
		               d.items[i]->message, d.items[i]->revision ? d.items[i]->revision : "-");
	return s;
}

/* Enough files to be read on two threads: the result (revisions, checksums,
 * diagnostics and their order) is the one-file-at-a-time load's. */
static void test_project__parallel_load_is_ordered(void **state)
{
	(void)state;
	char tmp[] = "/tmp/rt-project-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	char name[64], text[512];
	for (int i = 0; i < 150; i++) {
		snprintf(name, sizeof(name), "r%03d_%s.py", i, i % 7 == 0 ? "x" : "y");
		if (i == 40) /* a file whose metadata is unusable */
			snprintf(text, sizeof(text), "revision = f()\ndown_revision = 'r%03d'\n", i - 1);
		else if (i == 90) /* a syntax error outside the blocks */
			snprintf(text, sizeof(text), "revision = 'r%03d'\ndown_revision = (\n", i);
		else
			snprintf(text, sizeof(text),
			         "\"\"\"step %d\"\"\"\nrevision = 'r%03d'\ndown_revision = %s'r%03d'\n"
			         "branch_labels = %s\ndef upgrade():\n    op.execute('SELECT %d')\n",
			         i, i, i ? "" : "None and ", i - 1, i == 60 ? "1" : "None", i);
		put(tmp, name, text);
	}
	put(tmp, "r010_y.sql", "-- retort:upgrade\nSELECT 10;\n"); /* a sidecar */
	put(tmp, "r200_z.sql", "-- revision: r200\n-- down_revision: r149\n"
	                       "-- retort:upgrade\nSELECT 200;\n"); /* standalone */
	rt_arena *a = rt_arena_new();
	const char *two = load_text(a, tmp, false), *one = load_text(a, tmp, true);
	assert_string_equal(two, one);
	assert_non_null(strstr(two, " r149 <- r148 [step 149]"));
	assert_non_null(strstr(two, " r010 <- r009 [step 10] "));
	assert_non_null(strstr(two, "r010_y.py 2:12 sql\n"));
	assert_non_null(strstr(two, " r200 <- r149 "));
	assert_non_null(strstr(two, "standalone-sql"));
	assert_non_null(strstr(two, "syntax-error"));
	assert_non_null(strstr(two, "non-literal-value"));
	rt_arena_free(a);
	assert_int_equal(nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void test_project__crlf_same_checksum(void **state)
{
	(void)state;
	char lf[] = "/tmp/rt-project-XXXXXX", crlf[] = "/tmp/rt-project-XXXXXX";
	assert_non_null(mkdtemp(lf));
	assert_non_null(mkdtemp(crlf));
	put(lf, "a.py", "revision = 'a'\ndown_revision = None\n");
	put(lf, "a.sql", "-- retort:upgrade\nSELECT 1;\n");
	put(crlf, "a.py", "revision = 'a'\r\ndown_revision = None\r\n");
	put(crlf, "a.sql", "-- retort:upgrade\r\nSELECT 1;\r\n");
	run r1, r2;
	load(&r1, lf);
	load(&r2, crlf);
	assert_int_equal(r1.p->n, 1);
	assert_int_equal(r2.p->n, 1);
	assert_string_equal(r1.p->revs[0]->checksum, r2.p->revs[0]->checksum);
	done(&r1);
	done(&r2);
	assert_int_equal(nftw(lf, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
	assert_int_equal(nftw(crlf, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void test_project__missing_location(void **state)
{
	(void)state;
	run r;
	load(&r, FIXTURES "/nope");
	assert_int_equal(r.rc, RT_ENOTFOUND);
	assert_null(r.p);
	assert_non_null(strstr(r.err.message, "does not exist"));
	done(&r);
}

static int teardown_pg_query(void **state)
{
	(void)state;
	rt_sql_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_project__fixture_revisions),
		cmocka_unit_test(test_project__body_per_direction),
		cmocka_unit_test(test_project__broken_sql_files),
		cmocka_unit_test(test_project__crlf_same_checksum),
		cmocka_unit_test(test_project__bodies_read_again),
		cmocka_unit_test(test_project__bodies_while_loading),
		cmocka_unit_test(test_project__body_of_changed_file),
		cmocka_unit_test(test_project__missing_location),
		cmocka_unit_test(test_project__syntax_error_in_a_body),
		cmocka_unit_test(test_project__parallel_load_is_ordered),
	};
	return cmocka_run_group_tests(tests, NULL, teardown_pg_query);
}
