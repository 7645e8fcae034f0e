/*
 * Unit tests for src/author/rewrite.c: down_revision rewritten in every
 * written form with all other bytes kept (checked whole, and outside the
 * reported spans), the docstring's Revises: line, standalone .sql headers,
 * the preview diff, and the atomic file replacement.
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

#include "retort/revfile.h"
#include "retort/rewrite.h"
#include "retort/sqlfile.h"

static const char *const NONE[] = { NULL };

/* parents from a NULL-terminated list */
static rt_strv ids(rt_arena *a, const char *const *v)
{
	rt_strv sv = { 0 };
	for (; *v; v++)
		rt_strv_push(a, &sv, *v);
	return sv;
}

/* The bytes outside the spans are the same, in order, in both texts. */
static void assert_spans_only(const char *old, size_t old_len, const rt_buf *out,
                              const rt_rewrite_spans *sp)
{
	size_t o = 0, n = 0;
	for (size_t i = 0; i < sp->n; i++) {
		assert_true(sp->v[i].off >= o);
		assert_int_equal(sp->v[i].off - o, sp->v[i].new_off - n);
		assert_memory_equal(old + o, out->ptr + n, sp->v[i].off - o);
		o = sp->v[i].off + sp->v[i].len;
		n = sp->v[i].new_off + sp->v[i].new_len;
	}
	assert_int_equal(old_len - o, out->len - n);
	assert_memory_equal(old + o, out->ptr + n, old_len - o);
}

/* Rewrites text (a version file) onto parents and compares with want. */
static void expect_py(const char *text, const char *const *parents, const char *want,
                      size_t nspans)
{
	rt_arena *a = rt_arena_new();
	rt_diags d;
	rt_diags_init(&d, a);
	rt_source *src = rt_source_from_mem(a, "versions/x.py", text, strlen(text));
	rt_revfile *rf;
	assert_int_equal(rt_revfile_read(&rf, a, src, &d), RT_OK);
	rt_strv p = ids(a, parents);
	rt_buf out = RT_BUF_INIT;
	rt_buf_puts(&out, "PREFIX"); /* appended, and spans count from the appended text */
	rt_rewrite_spans sp;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_rewrite_down_revision_spans(&out, &sp, rf, &p, &err), RT_OK);
	assert_string_equal(out.ptr, rt_sprintf(a, "PREFIX%s", want));
	assert_int_equal(sp.n, nspans);
	rt_buf rest = RT_BUF_INIT;
	rt_buf_puts(&rest, out.ptr + 6);
	assert_spans_only(text, strlen(text), &rest, &sp);

	/* the plain entry point gives the same bytes, and the result reads back */
	rt_buf plain = RT_BUF_INIT;
	assert_int_equal(rt_rewrite_down_revision(&plain, rf, &p, &err), RT_OK);
	assert_string_equal(plain.ptr, want);
	rt_revfile *back;
	src = rt_source_from_mem(a, "versions/x.py", plain.ptr, plain.len);
	assert_int_equal(rt_revfile_read(&back, a, src, &d), RT_OK);
	assert_int_equal(back->down.n, p.n);
	for (size_t i = 0; i < p.n; i++)
		assert_string_equal(back->down.v[i], p.v[i]);
	rt_buf_release(&out);
	rt_buf_release(&rest);
	rt_buf_release(&plain);
	rt_error_clear(&err);
	rt_arena_free(a);
}

#define TEMPLATE(REVISES, DOWN) \
	"\"\"\"add ping model\n" \
	"\n" \
	"Revision ID: b81dde19348f\n" \
	"Revises: " REVISES "\n" \
	"Create Date: 2025-10-21 11:30:00\n" \
	"\n" \
	"\"\"\"\n" \
	"from alembic import op\n" \
	"import sqlalchemy as sa\n" \
	"\n" \
	"\n" \
	"# revision identifiers, used by Alembic.\n" \
	"revision = 'b81dde19348f'\n" \
	"down_revision = " DOWN "\n" \
	"branch_labels = None\n" \
	"depends_on = None\n" \
	"\n" \
	"\n" \
	"def upgrade():\n" \
	"    pass\n"

static void test_rewrite__alembic_template(void **state)
{
	(void)state;
	expect_py(TEMPLATE("fb3c6b29453b", "'fb3c6b29453b'"), (const char *[]){ "c9f3", NULL },
	          TEMPLATE("c9f3", "'c9f3'"), 2);
}

static void test_rewrite__double_quotes(void **state)
{
	(void)state;
	expect_py(TEMPLATE("a1", "\"a1\""), (const char *[]){ "b2", NULL },
	          TEMPLATE("b2", "\"b2\""), 2);
}

static void test_rewrite__none_to_id_and_back(void **state)
{
	(void)state;
	/* Alembic writes "Revises: " (trailing blank) for a base */
	expect_py(TEMPLATE("", "None"), (const char *[]){ "a1", NULL }, TEMPLATE("a1", "'a1'"), 2);
	expect_py(TEMPLATE("a1", "'a1'"), NONE, TEMPLATE("", "None"), 2);
	expect_py(TEMPLATE("a1", "\"a1\""), NONE, TEMPLATE("", "None"), 2);
}

static void test_rewrite__tuples(void **state)
{
	(void)state;
	expect_py(TEMPLATE("a1, b2", "('a1', 'b2')"), (const char *[]){ "c3", NULL },
	          TEMPLATE("c3", "'c3'"), 2);
	expect_py(TEMPLATE("a1", "'a1'"), (const char *[]){ "a1", "b2", NULL },
	          TEMPLATE("a1, b2", "('a1', 'b2')"), 2);
	expect_py(TEMPLATE("a1", "\"a1\""), (const char *[]){ "a1", "b2", "c3", NULL },
	          TEMPLATE("a1, b2, c3", "(\"a1\", \"b2\", \"c3\")"), 2);
	/* a list and an empty tuple are replaced as a whole */
	expect_py(TEMPLATE("a1, b2", "['a1', 'b2']"), (const char *[]){ "c3", NULL },
	          TEMPLATE("c3", "'c3'"), 2);
	expect_py(TEMPLATE("", "()"), (const char *[]){ "c3", NULL }, TEMPLATE("c3", "'c3'"), 2);
}

static void test_rewrite__annotated(void **state)
{
	(void)state;
	const char *old =
		"\"\"\"x\n\nRevises: a1\n\"\"\"\n"
		"from typing import Sequence, Union\n"
		"revision: str = \"r1\"\n"
		"down_revision: Union[str, Sequence[str], None] = \"a1\"\n"
		"branch_labels: Union[str, Sequence[str], None] = None\n";
	const char *want =
		"\"\"\"x\n\nRevises: b2, c3\n\"\"\"\n"
		"from typing import Sequence, Union\n"
		"revision: str = \"r1\"\n"
		"down_revision: Union[str, Sequence[str], None] = (\"b2\", \"c3\")\n"
		"branch_labels: Union[str, Sequence[str], None] = None\n";
	expect_py(old, (const char *[]){ "b2", "c3", NULL }, want, 2);
}

static void test_rewrite__comment_and_spacing_kept(void **state)
{
	(void)state;
	expect_py("revision = 'r1'\ndown_revision   =   'a1'   # the parent, see #12\n",
	          (const char *[]){ "b2", NULL },
	          "revision = 'r1'\ndown_revision   =   'b2'   # the parent, see #12\n", 1);
}

static void test_rewrite__crlf(void **state)
{
	(void)state;
	expect_py("\"\"\"m\r\n\r\nRevision ID: r1\r\nRevises: a1\r\nCreate Date: x\r\n\r\n\"\"\"\r\n"
	          "revision = 'r1'\r\ndown_revision = 'a1'\r\n",
	          (const char *[]){ "b2", NULL },
	          "\"\"\"m\r\n\r\nRevision ID: r1\r\nRevises: b2\r\nCreate Date: x\r\n\r\n\"\"\"\r\n"
	          "revision = 'r1'\r\ndown_revision = 'b2'\r\n", 2);
}

static void test_rewrite__tuple_unpacked(void **state)
{
	(void)state;
	expect_py("revision, down_revision = 'r1', 'a1'  # both\n", (const char *[]){ "b2", NULL },
	          "revision, down_revision = 'r1', 'b2'  # both\n", 1);
	expect_py("revision, down_revision = 'r1', None\n", (const char *[]){ "b2", "c3", NULL },
	          "revision, down_revision = 'r1', ('b2', 'c3')\n", 1);
}

static void test_rewrite__multiline_value(void **state)
{
	(void)state;
	expect_py("revision = 'r1'\ndown_revision = (\n    'a1',  # first\n    'b2',\n)\nx = 1\n",
	          (const char *[]){ "c3", NULL }, "revision = 'r1'\ndown_revision = 'c3'\nx = 1\n",
	          1);
	expect_py("revision = 'r1'\ndown_revision = \\\n    'a1'\n", (const char *[]){ "c3", NULL },
	          "revision = 'r1'\ndown_revision = \\\n    'c3'\n", 1);
}

static void test_rewrite__docstring_cases(void **state)
{
	(void)state;
	/* no docstring, a docstring without Revises:, and a comment saying Revises: */
	expect_py("# Revises: a1\nrevision = 'r1'\ndown_revision = 'a1'\n",
	          (const char *[]){ "b2", NULL },
	          "# Revises: a1\nrevision = 'r1'\ndown_revision = 'b2'\n", 1);
	expect_py("\"\"\"Add users.\n\nRevision ID: r1\n\"\"\"\n"
	          "revision = 'r1'\ndown_revision = 'a1'\n",
	          (const char *[]){ "b2", NULL },
	          "\"\"\"Add users.\n\nRevision ID: r1\n\"\"\"\n"
	          "revision = 'r1'\ndown_revision = 'b2'\n", 1);
	/* only the first Revises: line; an indented one counts; closing quotes stay */
	expect_py("\"\"\"m\n  Revises: a1\nRevises: old\n\"\"\"\n"
	          "revision = 'r1'\ndown_revision = 'a1'\n",
	          (const char *[]){ "b2", NULL },
	          "\"\"\"m\n  Revises: b2\nRevises: old\n\"\"\"\n"
	          "revision = 'r1'\ndown_revision = 'b2'\n", 2);
	expect_py("'''m\nRevises: a1'''\nrevision = 'r1'\ndown_revision = 'a1'\n",
	          (const char *[]){ "b2", NULL },
	          "'''m\nRevises: b2'''\nrevision = 'r1'\ndown_revision = 'b2'\n", 2);
	/* a message line starting "Revises:" is not the template's line, which follows
	 * "Revision ID:" */
	expect_py("\"\"\"fix\nRevises: the old way\n\nRevision ID: r1\nRevises: a1\n\"\"\"\n"
	          "revision = 'r1'\ndown_revision = 'a1'\n",
	          (const char *[]){ "b2", NULL },
	          "\"\"\"fix\nRevises: the old way\n\nRevision ID: r1\nRevises: b2\n\"\"\"\n"
	          "revision = 'r1'\ndown_revision = 'b2'\n", 2);
	expect_py("\"\"\"fix\r\nRevises: x\r\n\r\nRevision ID: r1\r\nRevises: a1\r\n\"\"\"\r\n"
	          "revision = 'r1'\r\ndown_revision = 'a1'\r\n",
	          (const char *[]){ "b2", NULL },
	          "\"\"\"fix\r\nRevises: x\r\n\r\nRevision ID: r1\r\nRevises: b2\r\n\"\"\"\r\n"
	          "revision = 'r1'\r\ndown_revision = 'b2'\r\n", 2);
	/* "Revises:" inside a later string is not the docstring */
	expect_py("revision = 'r1'\nx = '''\nRevises: a1\n'''\ndown_revision = 'a1'\n",
	          (const char *[]){ "b2", NULL },
	          "revision = 'r1'\nx = '''\nRevises: a1\n'''\ndown_revision = 'b2'\n", 1);
}

static void test_rewrite__last_assignment_and_escapes(void **state)
{
	(void)state;
	/* Alembic uses the last binding, so that is the one rewritten */
	expect_py("revision = 'r1'\ndown_revision = 'a1'\ndown_revision = 'a2'\n",
	          (const char *[]){ "b2", NULL },
	          "revision = 'r1'\ndown_revision = 'a1'\ndown_revision = 'b2'\n", 1);
	expect_py("revision = 'r1'\ndown_revision = 'a1'\n", (const char *[]){ "it's", NULL },
	          "revision = 'r1'\ndown_revision = 'it\\'s'\n", 1);
}

static void test_rewrite__not_a_literal(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_diags d;
	rt_diags_init(&d, a);
	static const char *const texts[] = {
		"revision = 'r1'\n",                                  /* no down_revision */
		"revision = 'r1'\ndown_revision += 'a'\n",            /* not an assignment */
		"revision = 'r1'\nif True:\n    down_revision = 'a'\n",
	};
	static const uint32_t lines[] = { 0, 2, 3 };
	for (size_t i = 0; i < 3; i++) {
		rt_source *src = rt_source_from_mem(a, "versions/x.py", texts[i], strlen(texts[i]));
		rt_revfile *rf;
		rt_revfile_read(&rf, a, src, &d);
		assert_non_null(rf);
		rt_strv p = ids(a, (const char *[]){ "b2", NULL });
		rt_buf out = RT_BUF_INIT;
		rt_error err = RT_ERROR_INIT;
		assert_int_equal(rt_rewrite_down_revision(&out, rf, &p, &err), RT_EUSAGE);
		assert_int_equal(out.len, 0);
		assert_string_equal(err.loc.path, "versions/x.py");
		assert_int_equal(err.loc.line, lines[i]);
		assert_non_null(strstr(err.message, "'down_revision'"));
		assert_non_null(err.hint);
		rt_error_clear(&err);
		rt_buf_release(&out);
	}
	/* metadata without the file's text (a header-only read) cannot be rewritten */
	rt_revfile header = { .down_off = 16, .down_len = 4 };
	rt_strv p = ids(a, (const char *[]){ "b2", NULL });
	rt_buf out = RT_BUF_INIT;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_rewrite_down_revision(&out, &header, &p, &err), RT_ERROR);
	assert_non_null(strstr(err.message, "rt_revfile_read"));
	assert_int_equal(out.len, 0);
	rt_error_clear(&err);
	rt_arena_free(a);
}

static rt_sqlfile *sql(rt_arena *a, const char *text)
{
	rt_diags d;
	rt_diags_init(&d, a);
	rt_source *src = rt_source_from_mem(a, "versions/s.sql", text, strlen(text));
	rt_sqlfile *sf;
	rt_sqlfile_parse(&sf, a, src, RT_SQLFILE_STANDALONE, &d);
	return sf;
}

static void test_rewrite__sql_header(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	static const struct {
		const char *old;
		const char *parents[3];
		const char *want;
	} cases[] = {
		{ "-- revision: s1\n-- down_revision: r1\n-- message: m\n\n"
		  "-- retort:upgrade\nSELECT 1;\n",
		  { "r2", NULL },
		  "-- revision: s1\n-- down_revision: r2\n-- message: m\n\n"
		  "-- retort:upgrade\nSELECT 1;\n" },
		{ "-- revision: s1\r\n-- down_revision:   a ,b  \r\n-- retort:upgrade\r\n",
		  { NULL },
		  "-- revision: s1\r\n-- down_revision:   None  \r\n-- retort:upgrade\r\n" },
		{ "-- revision: s1\n-- down_revision: None\n-- retort:upgrade\n",
		  { "a", "b", NULL },
		  "-- revision: s1\n-- down_revision: a, b\n-- retort:upgrade\n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rt_sqlfile *sf = sql(a, cases[i].old);
		assert_true(sf->header_ok);
		rt_strv p = ids(a, cases[i].parents);
		rt_buf out = RT_BUF_INIT;
		rt_rewrite_spans sp;
		rt_error err = RT_ERROR_INIT;
		assert_int_equal(rt_rewrite_sql_down_revision(&out, &sp, sf, &p, &err), RT_OK);
		assert_string_equal(out.ptr, cases[i].want);
		assert_int_equal(sp.n, 1);
		assert_spans_only(cases[i].old, strlen(cases[i].old), &out, &sp);
		rt_buf_release(&out);
	}
	/* a file with no header line */
	rt_sqlfile *sf = sql(a, "-- revision: s1\n-- retort:upgrade\n");
	rt_strv p = ids(a, (const char *[]){ "r2", NULL });
	rt_buf out = RT_BUF_INIT;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_rewrite_sql_down_revision(&out, NULL, sf, &p, &err), RT_EUSAGE);
	assert_non_null(strstr(err.message, "down_revision"));
	rt_error_clear(&err);
	rt_buf_release(&out);
	rt_arena_free(a);
}

static void test_rewrite__diff(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_diags d;
	rt_diags_init(&d, a);
	const char *text = TEMPLATE("a1", "(\n    'a1',\n    'b2',\n)");
	rt_source *src = rt_source_from_mem(a, "versions/x.py", text, strlen(text));
	rt_revfile *rf;
	assert_int_equal(rt_revfile_read(&rf, a, src, &d), RT_OK);
	rt_strv p = ids(a, (const char *[]){ "c3", NULL });
	rt_buf out = RT_BUF_INIT, diff = RT_BUF_INIT;
	rt_rewrite_spans sp;
	assert_int_equal(rt_rewrite_down_revision_spans(&out, &sp, rf, &p, NULL), RT_OK);
	rt_rewrite_diff(&diff, "versions/x.py", text, strlen(text), out.ptr, out.len, &sp);
	assert_string_equal(diff.ptr,
	                    "--- versions/x.py\n+++ versions/x.py\n"
	                    "@@ -4 +4 @@\n-Revises: a1\n+Revises: c3\n"
	                    "@@ -14,4 +14 @@\n"
	                    "-down_revision = (\n-    'a1',\n-    'b2',\n-)\n"
	                    "+down_revision = 'c3'\n");
	/* two spans on one line share a hunk */
	const char *one = "'''m\nRevises: a1'''; revision = 'r'; down_revision = 'a1'\n";
	src = rt_source_from_mem(a, "x.py", one, strlen(one));
	assert_int_equal(rt_revfile_read(&rf, a, src, &d), RT_OK);
	rt_buf_truncate(&out, 0);
	rt_buf_truncate(&diff, 0);
	assert_int_equal(rt_rewrite_down_revision_spans(&out, &sp, rf, &p, NULL), RT_OK);
	assert_int_equal(sp.n, 2);
	rt_rewrite_diff(&diff, "x.py", one, strlen(one), out.ptr, out.len, &sp);
	assert_string_equal(diff.ptr, "--- x.py\n+++ x.py\n@@ -2 +2 @@\n"
	                    "-Revises: a1'''; revision = 'r'; down_revision = 'a1'\n"
	                    "+Revises: c3'''; revision = 'r'; down_revision = 'c3'\n");
	rt_buf_release(&out);
	rt_buf_release(&diff);
	rt_arena_free(a);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void test_rewrite__file(void **state)
{
	(void)state;
	char dir[] = "/tmp/rt-rewrite-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256], link[256], missing[256];
	snprintf(path, sizeof(path), "%s/a.py", dir);
	snprintf(link, sizeof(link), "%s/link.py", dir);
	snprintf(missing, sizeof(missing), "%s/no/such/b.py", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("old\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(symlink("a.py", link), 0);

	rt_buf text = RT_BUF_INIT;
	rt_buf_puts(&text, "new text\r\n");
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_rewrite_file(path, &text, &err), RT_OK);
	assert_string_equal(slurp(path), "new text\r\n");
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(entries(dir), 2); /* no temporary file left behind */

	/* through the link: the target changes, the link stays a link */
	rt_buf_truncate(&text, 0);
	rt_buf_puts(&text, "via link\n");
	assert_int_equal(rt_rewrite_file(link, &text, &err), RT_OK);
	assert_string_equal(slurp(path), "via link\n");
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));

	assert_int_equal(rt_rewrite_file(missing, &text, &err), RT_EOS);
	assert_string_equal(err.loc.path, missing);
	assert_non_null(strstr(err.message, missing));
	rt_error_clear(&err);

	unlink(link);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
	rt_buf_release(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewrite__alembic_template),
		cmocka_unit_test(test_rewrite__double_quotes),
		cmocka_unit_test(test_rewrite__none_to_id_and_back),
		cmocka_unit_test(test_rewrite__tuples),
		cmocka_unit_test(test_rewrite__annotated),
		cmocka_unit_test(test_rewrite__comment_and_spacing_kept),
		cmocka_unit_test(test_rewrite__crlf),
		cmocka_unit_test(test_rewrite__tuple_unpacked),
		cmocka_unit_test(test_rewrite__multiline_value),
		cmocka_unit_test(test_rewrite__docstring_cases),
		cmocka_unit_test(test_rewrite__last_assignment_and_escapes),
		cmocka_unit_test(test_rewrite__not_a_literal),
		cmocka_unit_test(test_rewrite__sql_header),
		cmocka_unit_test(test_rewrite__diff),
		cmocka_unit_test(test_rewrite__file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
