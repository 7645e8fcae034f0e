/*
 * Unit tests for src/author/newrev.c: Alembic's slug and file_template
 * formatting, the repr() forms of the four module-level names, str() of the
 * create date, the exact stock text, the sidecar-loading text and the new
 * sidecar, validation, and the never-overwrite write.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "retort/checksum.h"
#include "retort/newrev.h"

static rt_newrev sample(void)
{
	rt_newrev nr = {
		.rev_id = "ab12cd34ef56", .message = "Add users",
		.date = { 2024, 3, 7, 9, 5, 4, 123, 1709802304, false, 0 },
	};
	return nr;
}

static const char *slug(rt_buf *b, const char *msg, int n)
{
	rt_buf_truncate(b, 0);
	rt_newrev_slug(b, msg, n);
	return rt_buf_cstr(b);
}

static void test_newrev__slug(void **state)
{
	rt_buf b = RT_BUF_INIT;
	assert_string_equal(slug(&b, "Add Things: to the-table!", 40), "add_things_to_the_table");
	assert_string_equal(slug(&b, "  --  ", 40), "");
	assert_string_equal(slug(&b, NULL, 40), "");
	/* slug[:10].rsplit("_", 1)[0] + "_" */
	assert_string_equal(slug(&b, "alpha beta gamma", 10), "alpha_");
	assert_string_equal(slug(&b, "alpha beta gamma", 11), "alpha_beta_");
	assert_string_equal(slug(&b, "abcdefghijklmnop", 5), "abcde_");
	assert_string_equal(slug(&b, "alpha beta", 10), "alpha_beta");
	rt_buf_release(&b);
}

static int name(rt_buf *b, const char *tmpl, const rt_newrev *nr, rt_error *err)
{
	rt_buf_truncate(b, 0);
	return rt_newrev_filename(b, tmpl, 40, nr, err);
}

static void test_newrev__file_template(void **state)
{
	rt_arena *a = rt_arena_new();
	rt_newrev nr = sample();
	rt_buf b = RT_BUF_INIT;
	rt_error err = { 0 };
	assert_int_equal(name(&b, "%(rev)s_%(slug)s", &nr, &err), RT_OK);
	assert_string_equal(rt_buf_cstr(&b), "ab12cd34ef56_add_users.py");
	assert_int_equal(name(&b, "%(year)d_%(month).2d_%(day)02d_%(hour).2d%(minute).2d"
	                          "%(second).2d_%(epoch)s_%(rev).4s%%", &nr, &err), RT_OK);
	assert_string_equal(rt_buf_cstr(&b), "2024_03_07_090504_1709802304_ab12%.py");
	assert_int_equal(name(&b, "%(month)-3d|%(day)3d", &nr, &err), RT_OK);
	assert_string_equal(rt_buf_cstr(&b), "3  |  7.py");
	assert_int_equal(name(&b, "%(nope)s", &nr, &err), RT_ECONFIG);
	assert_non_null(strstr(err.message, "'nope'"));
	rt_error_clear(&err);
	assert_int_equal(name(&b, "%(rev)d", &nr, &err), RT_ECONFIG);
	rt_error_clear(&err);
	assert_int_equal(name(&b, "%(rev)x", &nr, &err), RT_ECONFIG);
	rt_error_clear(&err);
	assert_int_equal(name(&b, "%s", &nr, &err), RT_ECONFIG);
	rt_error_clear(&err);
	assert_int_equal(name(&b, "a/%(rev)s", &nr, &err), RT_ECONFIG);
	rt_error_clear(&err);
	rt_buf_release(&b);
	rt_arena_free(a);
}

static void test_newrev__render_forms(void **state)
{
	rt_arena *a = rt_arena_new();
	rt_newrev nr = sample();
	rt_buf b = RT_BUF_INIT;
	rt_newrev_render(&b, &nr);
	assert_non_null(strstr(rt_buf_cstr(&b), "\nRevises: \nCreate Date: 2024-03-07 "
	                                        "09:05:04.000123\n"));
	assert_non_null(strstr(rt_buf_cstr(&b), "\ndown_revision = None\nbranch_labels = None\n"
	                                        "depends_on = None\n"));
	rt_strv_push(a, &nr.down, "aaa");
	rt_strv_push(a, &nr.down, "bbb");
	rt_strv_push(a, &nr.labels, "it's");
	rt_strv_push(a, &nr.depends, "ccc");
	nr.date.usec = 0;
	nr.date.aware = true;
	nr.date.utc_offset = -(5 * 3600 + 30 * 60);
	rt_buf_truncate(&b, 0);
	rt_newrev_render(&b, &nr);
	const char *t = rt_buf_cstr(&b);
	assert_non_null(strstr(t, "\nRevises: aaa, bbb\nCreate Date: 2024-03-07 09:05:04-05:30\n"));
	assert_non_null(strstr(t, "\ndown_revision = ('aaa', 'bbb')\n"
	                          "branch_labels = (\"it's\",)\ndepends_on = 'ccc'\n"));
	assert_true(strncmp(t, "\"\"\"Add users\n\nRevision ID: ab12cd34ef56\n", 40) == 0);
	rt_buf_release(&b);
	rt_arena_free(a);
}

/* The whole stock text: `retort revision` without --sql must not change by a byte. */
static const char stock_head[] =
	"\"\"\"Add users\n"
	"\n"
	"Revision ID: ab12cd34ef56\n"
	"Revises: \n"
	"Create Date: 2024-03-07 09:05:04.000123\n"
	"\n"
	"\"\"\"\n"
	"from alembic import op\n"
	"import sqlalchemy as sa\n";
static const char stock_ids[] =
	"\n"
	"# revision identifiers, used by Alembic.\n"
	"revision = 'ab12cd34ef56'\n"
	"down_revision = None\n"
	"branch_labels = None\n"
	"depends_on = None\n"
	"\n"
	"\n";

static void test_newrev__render_stock_exact(void **state)
{
	rt_newrev nr = sample();
	rt_buf b = RT_BUF_INIT, want = RT_BUF_INIT;
	rt_newrev_render(&b, &nr);
	rt_buf_printf(&want, "%s\n%sdef upgrade() -> None:\n    pass\n\n\n"
	              "def downgrade() -> None:\n    pass\n", stock_head, stock_ids);
	assert_string_equal(rt_buf_cstr(&b), rt_buf_cstr(&want));
	rt_buf_release(&b);
	rt_buf_release(&want);
}

static void test_newrev__render_loader(void **state)
{
	rt_newrev nr = sample();
	rt_buf b = RT_BUF_INIT, again = RT_BUF_INIT, want = RT_BUF_INIT;
	rt_newrev_render_loader(&b, &nr);
	const char *t = rt_buf_cstr(&b);
	/* the stock header and identifiers, the imports where autogenerate puts its own */
	rt_buf_printf(&want, "%simport contextlib\nimport itertools\nimport os\nimport re\n%s"
	              "def upgrade() -> None:\n    _run_sidecar('upgrade')\n\n\n"
	              "def downgrade() -> None:\n    _run_sidecar('downgrade')\n\n\n"
	              "# Written by `retort revision --sql`", stock_head, stock_ids);
	assert_int_equal(strncmp(t, rt_buf_cstr(&want), want.len), 0);
	/* what the loader must do, by the calls that do it */
	assert_non_null(strstr(t, "\ndef _run_sidecar(direction):\n"));
	assert_non_null(strstr(t, "os.path.splitext(__file__)[0] + '.sql'"));
	assert_non_null(strstr(t, "context.autocommit_block() if no_transaction"));
	assert_non_null(strstr(t, "impl.static_output(statement + impl.command_terminator)"));
	assert_non_null(strstr(t, "exec_driver_sql(\n"
	                          "                        statement, execution_options="
	                          "{'no_parameters': True})\n"));
	assert_true(b.len > 2 && t[b.len - 1] == '\n' && t[b.len - 2] != '\n');
	/* Python text: spaces only, short lines, no C escapes left undone */
	assert_null(strchr(t, '\t'));
	for (const char *line = t; *line;) {
		const char *nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(nl - line <= 88);
		line = nl + 1;
	}
	/* the same input renders the same text */
	rt_newrev_render_loader(&again, &nr);
	assert_string_equal(rt_buf_cstr(&again), t);
	rt_buf_release(&b);
	rt_buf_release(&again);
	rt_buf_release(&want);
}

static void test_newrev__render_sql(void **state)
{
	rt_buf b = RT_BUF_INIT;
	rt_newrev_render_sql(&b);
	assert_string_equal(rt_buf_cstr(&b),
	                    "-- Sections of SQL run by retort, and by Alembic through the .py "
	                    "beside this file.\n"
	                    "-- A section marked '-- retort:upgrade no-transaction' runs outside "
	                    "a transaction.\n"
	                    "\n"
	                    "-- retort:upgrade\n"
	                    "\n"
	                    "\n"
	                    "-- retort:downgrade\n"
	                    "\n");
	rt_buf_release(&b);
}

static void test_newrev__validate(void **state)
{
	rt_arena *a = rt_arena_new();
	rt_newrev nr = sample();
	rt_error err = { 0 };
	assert_int_equal(rt_newrev_validate(&nr, &err), RT_OK);
	nr.rev_id = "a-b";
	assert_int_equal(rt_newrev_validate(&nr, &err), RT_EUSAGE);
	rt_error_clear(&err);
	nr.rev_id = "ab";
	nr.message = "say \"\"\"hi";
	assert_int_equal(rt_newrev_validate(&nr, &err), RT_EUSAGE);
	rt_error_clear(&err);
	nr.message = "ends in \\";
	assert_int_equal(rt_newrev_validate(&nr, &err), RT_EUSAGE);
	rt_error_clear(&err);
	/* escapes Python rejects in a docstring: the file would not load */
	static const char *const bad[] = { "C:\\xyz", "\\x4", "\\u00e", "\\U0011ffff",
	                                   "\\U0000004", "fix \\N handling", "\\N{BULLET}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nr.message = bad[i];
		assert_int_equal(rt_newrev_validate(&nr, &err), RT_EUSAGE);
		assert_non_null(strstr(err.message, "escape"));
		rt_error_clear(&err);
	}
	static const char *const good[] = { "C:\\\\xyz", "\\x41 \\u00e9 \\U0001F600",
	                                    "a \\d path", "\\\\N" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		nr.message = good[i];
		assert_int_equal(rt_newrev_validate(&nr, &err), RT_OK);
	}
	rt_arena_free(a);
}

static void test_newrev__now_and_id(void **state)
{
	rt_newrev_time t;
	rt_error err = { 0 };
	assert_int_equal(rt_newrev_now(&t, "utc", &err), RT_OK);
	assert_true(t.aware && t.utc_offset == 0 && t.year >= 2024);
	assert_int_equal(rt_newrev_now(&t, NULL, &err), RT_OK);
	assert_false(t.aware);
	assert_int_equal(rt_newrev_now(&t, "No/Such_Zone", &err), RT_ECONFIG);
	assert_non_null(strstr(err.message, "'No/Such_Zone'"));
	rt_error_clear(&err);
	char id[13], id2[13];
	assert_int_equal(rt_random_rev_id(id, &err), RT_OK);
	assert_int_equal(rt_random_rev_id(id2, &err), RT_OK);
	assert_int_equal(strlen(id), 12);
	assert_int_equal(strspn(id, "0123456789abcdef"), 12);
	assert_string_not_equal(id, id2);
}

static void test_newrev__write_never_overwrites(void **state)
{
	char dir[] = "/tmp/newrev-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/x.py", dir);
	rt_buf one = RT_BUF_INIT, two = RT_BUF_INIT;
	rt_buf_puts(&one, "one\n");
	rt_buf_puts(&two, "two\n");
	rt_error err = { 0 };
	assert_int_equal(rt_newrev_write(path, &one, &err), RT_OK);
	assert_int_equal(rt_newrev_write(path, &two, &err), RT_EUSAGE);
	assert_non_null(strstr(err.message, "already exists"));
	rt_error_clear(&err);
	char got[8] = { 0 };
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(got, 1, sizeof(got) - 1, f), 4);
	fclose(f);
	assert_string_equal(got, "one\n");
	unlink(path);
	rmdir(dir);
	rt_buf_release(&one);
	rt_buf_release(&two);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_newrev__slug),
		cmocka_unit_test(test_newrev__file_template),
		cmocka_unit_test(test_newrev__render_forms),
		cmocka_unit_test(test_newrev__render_stock_exact),
		cmocka_unit_test(test_newrev__render_loader),
		cmocka_unit_test(test_newrev__render_sql),
		cmocka_unit_test(test_newrev__validate),
		cmocka_unit_test(test_newrev__now_and_id),
		cmocka_unit_test(test_newrev__write_never_overwrites),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
