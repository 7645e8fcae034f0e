/*
 * Unit tests for src/sources discovery: Alembic's file rules and order
 * (mirroring alembic-lab/projects/discovery), recursion, sidecars versus
 * standalone .sql files, overlapping locations, links and odd entries.
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

#define VERSIONS FIXTURES "/discovery/versions"

typedef struct run {
	rt_arena *arena;
	rt_diags diags;
	rt_discovery d;
	rt_error err;
	int rc;
} run;

static void discover(run *r, bool recursive, size_t nloc, const char *const *locs)
{
	memset(r, 0, sizeof(*r));
	r->arena = rt_arena_new();
	rt_diags_init(&r->diags, r->arena);
	rt_strv sv = { 0 };
	for (size_t i = 0; i < nloc; i++)
		rt_strv_push(r->arena, &sv, locs[i]);
	rt_project_opts opts = { .version_locations = &sv, .recursive = recursive };
	r->rc = rt_project_discover(&r->d, r->arena, &opts, &r->diags, &r->err);
}

static void done(run *r)
{
	rt_error_clear(&r->err);
	rt_arena_free(r->arena);
}

/* The path relative to prefix (which must be its start). */
static const char *rel(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n) != 0 || path[n] != '/')
		fail_msg("'%s' is not under '%s'", path, prefix);
	return path + n + 1;
}

static void expect_files(const run *r, const char *prefix, size_t n, const char *const *want)
{
	if (r->d.n != n) {
		for (size_t i = 0; i < r->d.n; i++)
			print_message("file %zu: %s\n", i, r->d.files[i].path);
		fail_msg("%zu files, want %zu", r->d.n, n);
	}
	for (size_t i = 0; i < n; i++)
		assert_string_equal(rel(r->d.files[i].path, prefix), want[i]);
}

static void test_sources__alembic_rules_and_order(void **state)
{
	(void)state;
	run r;
	const char *locs[] = { VERSIONS };
	discover(&r, false, 1, locs);
	assert_int_equal(r.rc, RT_OK);
	/* __init__*, .#*, notes.txt, r2.pyc, x.py~, sub/ and __pycache__/ are not listed;
	 * _helper.py and .hidden.py are; bytewise order puts '.' before '_' before 'a' */
	const char *want[] = { ".hidden.py", "_helper.py", "a_std.sql", "b_side.py", "r1_base.py" };
	expect_files(&r, VERSIONS, 5, want);
	assert_int_equal(r.diags.n, 0);
	/* b_side.sql is b_side.py's sidecar; a_std.sql stands alone */
	assert_string_equal(rel(r.d.files[3].sidecar_path, VERSIONS), "b_side.sql");
	assert_false(r.d.files[3].standalone);
	assert_true(r.d.files[2].standalone);
	assert_null(r.d.files[2].sidecar_path);
	assert_null(r.d.files[4].sidecar_path);
	done(&r);
}

static void test_sources__recursive_sorted_skips_pycache(void **state)
{
	(void)state;
	run r;
	const char *locs[] = { VERSIONS "/" }; /* a trailing slash changes nothing */
	discover(&r, true, 1, locs);
	assert_int_equal(r.rc, RT_OK);
	const char *want[] = { ".hidden.py", "_helper.py", "a_std.sql", "b_side.py", "r1_base.py",
		               "sub/r3_sub.py", "sub/deeper/r4.py" };
	expect_files(&r, VERSIONS, 7, want);
	done(&r);
}

static void test_sources__locations_in_order_and_overlap(void **state)
{
	(void)state;
	run r;
	const char *locs[] = { FIXTURES "/discovery/other", VERSIONS };
	discover(&r, false, 2, locs);
	assert_int_equal(r.rc, RT_OK);
	assert_int_equal(r.d.n, 6);
	assert_string_equal(r.d.files[0].path, FIXTURES "/discovery/other/x1_other.py");
	assert_string_equal(r.d.files[1].path, VERSIONS "/.hidden.py");
	done(&r);

	/* the same folder twice, spelt differently: every file of the second is skipped */
	const char *twice[] = { VERSIONS, FIXTURES "/discovery/../discovery/versions" };
	discover(&r, false, 2, twice);
	assert_int_equal(r.rc, RT_OK);
	assert_int_equal(r.d.n, 5);
	assert_int_equal(r.diags.warnings, 5);
	const rt_diag *g = r.diags.items[0];
	assert_string_equal(g->kind, "duplicate-file");
	assert_int_equal(g->severity, RT_SEV_WARNING);
	assert_string_equal(g->message, "file '" FIXTURES "/discovery/../discovery/versions/.hidden.py'"
	                                " is loaded twice; ignoring the second");
	assert_non_null(g->hint);
	done(&r);

	/* a location inside another, with recursion: sub/ files come once */
	const char *nested[] = { VERSIONS, VERSIONS "/sub" };
	discover(&r, true, 2, nested);
	assert_int_equal(r.d.n, 7);
	assert_int_equal(r.diags.warnings, 2);
	done(&r);
}

static void test_sources__missing_location(void **state)
{
	(void)state;
	run r;
	const char *locs[] = { VERSIONS, FIXTURES "/discovery/nope" };
	discover(&r, false, 2, locs);
	assert_int_equal(r.rc, RT_ENOTFOUND);
	assert_string_equal(r.err.message,
	                    "version location '" FIXTURES "/discovery/nope' does not exist");
	assert_string_equal(r.err.hint, "check script_location / version_locations");
	assert_string_equal(r.err.loc.path, FIXTURES "/discovery/nope");
	done(&r);
	const char *file[] = { VERSIONS "/r1_base.py" };
	discover(&r, false, 1, file);
	assert_int_equal(r.rc, RT_ENOTFOUND);
	assert_string_equal(r.err.message,
	                    "version location '" VERSIONS "/r1_base.py' is not a directory");
	done(&r);
}

/* --- a scratch tree for links and odd entries --- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void touch(const char *dir, const char *name, const char *text)
{
	char path[512];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_true(n > 0 && (size_t)n < sizeof(path));
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_sources__links_and_odd_entries(void **state)
{
	(void)state;
	char tmp[] = "/tmp/rt-sources-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	char path[512], target[512];
	touch(tmp, "m1.py", "revision = 'm1'\n");
	touch(tmp, "m2.sql", "-- revision: m2\n");
	/* a directory named like a version file, and a dangling link */
	snprintf(path, sizeof(path), "%s/dir.py", tmp);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/gone.py", tmp);
	assert_int_equal(symlink("nowhere.py", path), 0);
	/* a link to m1.py sorts first, so m1.py itself is the second copy (Alembic's realpath) */
	snprintf(path, sizeof(path), "%s/a_link.py", tmp);
	assert_int_equal(symlink("m1.py", path), 0);
	/* a linked directory is not descended into, even with recursion */
	snprintf(path, sizeof(path), "%s/sub", tmp);
	assert_int_equal(mkdir(path, 0700), 0);
	touch(path, "s1.py", "revision = 's1'\n");
	snprintf(path, sizeof(path), "%s/zlinkdir", tmp);
	snprintf(target, sizeof(target), "%s/sub", tmp);
	assert_int_equal(symlink(target, path), 0);

	run r;
	const char *locs[] = { tmp };
	discover(&r, true, 1, locs);
	assert_int_equal(r.rc, RT_OK);
	const char *want[] = { "a_link.py", "m2.sql", "sub/s1.py" };
	expect_files(&r, tmp, 3, want);
	assert_true(r.d.files[1].standalone);
	assert_int_equal(r.diags.warnings, 3);
	assert_string_equal(r.diags.items[0]->kind, "not-a-file");
	assert_string_equal(rel(r.diags.items[0]->loc.path, tmp), "dir.py");
	assert_string_equal(r.diags.items[1]->kind, "not-a-file");
	assert_string_equal(rel(r.diags.items[1]->loc.path, tmp), "gone.py");
	assert_string_equal(r.diags.items[2]->kind, "duplicate-file");
	assert_string_equal(rel(r.diags.items[2]->loc.path, tmp), "m1.py");
	done(&r);

	/* an unreadable location is an I/O error, not "missing" */
	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "%s/sub", tmp);
		assert_int_equal(chmod(path, 0), 0);
		const char *sub[] = { path };
		discover(&r, false, 1, sub);
		assert_int_equal(r.rc, RT_EOS);
		done(&r);
		chmod(path, 0700);
	}
	assert_int_equal(nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void test_sources__sidecar_pairs_within_directory(void **state)
{
	(void)state;
	char tmp[] = "/tmp/rt-sources-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	/* names that sort between X.py and X.sql must not break the pairing */
	touch(tmp, "x.py", "");
	touch(tmp, "x.py.py", "");
	touch(tmp, "x.pyc", "");
	touch(tmp, "x.sql", "");
	touch(tmp, "x.py.sql", "");
	touch(tmp, "y.sql", "");
	run r;
	const char *locs[] = { tmp };
	discover(&r, false, 1, locs);
	const char *want[] = { "x.py", "x.py.py", "y.sql" };
	expect_files(&r, tmp, 3, want);
	assert_string_equal(rel(r.d.files[0].sidecar_path, tmp), "x.sql");
	assert_string_equal(rel(r.d.files[1].sidecar_path, tmp), "x.py.sql");
	assert_true(r.d.files[2].standalone);
	done(&r);
	assert_int_equal(nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sources__alembic_rules_and_order),
		cmocka_unit_test(test_sources__recursive_sorted_skips_pycache),
		cmocka_unit_test(test_sources__locations_in_order_and_overlap),
		cmocka_unit_test(test_sources__missing_location),
		cmocka_unit_test(test_sources__links_and_odd_entries),
		cmocka_unit_test(test_sources__sidecar_pairs_within_directory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
