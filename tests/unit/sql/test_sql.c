/*
 * Unit tests for src/sql: statement splitting (parser and psql-rule paths,
 * refusals, located lexical errors, offset maps) and .sql file parsing
 * (sections, headers, every syntax error).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "retort/sqlfile.h"
#include "retort/sqlfresh.h"
#include "retort/sqlsplit.h"

/* Splits the whole of text; returns the code and fills list/err. */
static int split(rt_arena *a, const char *text, rt_stmtlist *list, rt_error *err)
{
	const rt_source *src = rt_source_from_mem(a, "t.sql", text, strlen(text));
	memset(list, 0, sizeof(*list));
	return rt_sql_split(list, a, src, 0, src->len, false, err);
}

static void expect_stmts(const char *text, size_t n, const char *const *want)
{
	rt_arena *a = rt_arena_new();
	rt_stmtlist l;
	rt_error err = RT_ERROR_INIT;
	int rc = split(a, text, &l, &err);
	if (rc != RT_OK)
		fail_msg("split failed: %s", err.message);
	if (l.n != n) {
		for (size_t i = 0; i < l.n; i++)
			print_message("stmt %zu: <%s>\n", i, l.items[i]->sql);
		fail_msg("%zu statements, want %zu, for <%s>", l.n, n, text);
	}
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(l.items[i]->sql, want[i]);
		assert_int_equal(l.items[i]->len, strlen(want[i]));
	}
	rt_error_clear(&err);
	rt_arena_free(a);
}

#define EXPECT(text, ...)                                                                 \
	do {                                                                              \
		const char *const want_[] = { __VA_ARGS__ };                              \
		expect_stmts(text, sizeof(want_) / sizeof(want_[0]), want_);              \
	} while (0)

/* A split that must fail: message prefix, line, col and a hint (or none). */
static void expect_error(const char *text, const char *msg, uint32_t line, uint32_t col,
                         bool hint)
{
	rt_arena *a = rt_arena_new();
	rt_stmtlist l;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(split(a, text, &l, &err), RT_ESYNTAX);
	assert_int_equal(l.n, 0);
	assert_string_equal(err.message, msg);
	assert_string_equal(err.loc.path, "t.sql");
	assert_int_equal(err.loc.line, line);
	assert_int_equal(err.loc.col, col);
	if (hint)
		assert_non_null(err.hint);
	else
		assert_null(err.hint);
	rt_error_clear(&err);
	rt_arena_free(a);
}

static void test_sql__split_basic_and_trim(void **state)
{
	(void)state;
	EXPECT("SELECT 1; SELECT 2;", "SELECT 1", "SELECT 2");
	EXPECT("SELECT 1", "SELECT 1");
	/* leading blanks trimmed, a leading comment kept, a trailing one dropped */
	EXPECT("\n\n  -- make t\nCREATE TABLE t ();  \n", "-- make t\nCREATE TABLE t ()");
	EXPECT("SELECT 1 -- one\n; SELECT 2 /* two */ ;", "SELECT 1", "SELECT 2");
	/* comments-only tail and comments-only text */
	EXPECT("SELECT 1;\n-- done\n/* end */\n", "SELECT 1");
	EXPECT("SELECT 1;\n-- done", "SELECT 1");
}

static void expect_none(const char *text)
{
	expect_stmts(text, 0, NULL);
}

static void test_sql__split_comments_only(void **state)
{
	(void)state;
	expect_none("");
	expect_none(";;  ;\n");
	expect_none("-- nothing here\n");
	expect_none("/* a /* nested */ b */\n  \n");
}

static void test_sql__split_lexical_edge_cases(void **state)
{
	(void)state;
	/* dollar quotes with ';' inside, tagged and untagged, and one inside another */
	EXPECT("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;"
	       "SELECT $tag$ a;b $$ ; $tag$",
	       "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
	       "SELECT $tag$ a;b $$ ; $tag$");
	/* E'' strings with an escaped quote, and standard strings with '' */
	EXPECT("SELECT E'it\\'s; fine'; SELECT 'a'';b'", "SELECT E'it\\'s; fine'",
	       "SELECT 'a'';b'");
	/* nested block comments */
	EXPECT("SELECT 1 /* a /* b; */ c; */ + 1; SELECT 2", "SELECT 1 /* a /* b; */ c; */ + 1",
	       "SELECT 2");
	/* quoted identifiers with ';' and "" */
	EXPECT("CREATE TABLE \"a;b\" (\"x\"\";\" int); SELECT 1",
	       "CREATE TABLE \"a;b\" (\"x\"\";\" int)", "SELECT 1");
	/* a statement ending in a U&'' string or U&"" identifier keeps all of it
	 * (libpg_query's scanner reports such a token's end short) */
	EXPECT("INSERT INTO u SELECT U&'x';SELECT U&\"d;t\"; SELECT u&'a''b'",
	       "INSERT INTO u SELECT U&'x'", "SELECT U&\"d;t\"", "SELECT u&'a''b'");
	/* BEGIN ATOMIC bodies stay whole */
	EXPECT("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;"
	       "SELECT 3",
	       "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
	       "SELECT 3");
}

static void test_sql__split_syntax_error_falls_back(void **state)
{
	(void)state;
	/* the parser rejects SELEC; psql's rules still split, nothing is dropped */
	EXPECT("SELECT 1; SELEC 2; SELECT 3", "SELECT 1", "SELEC 2", "SELECT 3");
	EXPECT("SELEC 2", "SELEC 2");
	/* ...and keep BEGIN ATOMIC bodies (with CASE ... END inside) and rule bodies whole */
	EXPECT("CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC\n"
	       "  SELECT CASE WHEN true THEN 1 END; SELECT 2;\nEND;\nSELEC 3;",
	       "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC\n"
	       "  SELECT CASE WHEN true THEN 1 END; SELECT 2;\nEND",
	       "SELEC 3");
	EXPECT("CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2); SELEC 3",
	       "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2)", "SELEC 3");
	/* BEGIN as a transaction statement is not a body */
	EXPECT("BEGIN; SELEC 1; COMMIT", "BEGIN", "SELEC 1", "COMMIT");
}

static void test_sql__split_unterminated(void **state)
{
	(void)state;
	expect_error("SELECT 1;\nSELECT 'abc;\nSELECT 2", "unterminated quoted string", 2, 8, true);
	expect_error("SELECT 1;\nSELECT  $body$ x;", "unterminated dollar-quoted string", 2, 9, true);
	expect_error("SELECT 1; /* a /* b */ c", "unterminated /* comment", 1, 11, true);
	expect_error("SELECT \"abc", "unterminated quoted identifier", 1, 8, true);
	expect_error("SELECT E'abc\\'", "unterminated quoted string", 1, 8, true);
	/* columns count code points: the literal starts at column 12 */
	expect_error("SELECT 'é', 'x", "unterminated quoted string", 1, 13, true);
	/* another lexical error: located, no hint */
	expect_error("SELECT \"\" FROM t", "zero-length delimited identifier", 1, 8, false);
}

static void test_sql__split_refusals(void **state)
{
	(void)state;
	expect_error("CREATE TABLE t (a int);\ncopy t FROM stdin;\n1\n\\.\n",
	             "'COPY ... FROM STDIN' is not supported", 2, 1, true);
	expect_error("COPY (SELECT 1) TO STDOUT", "'COPY ... TO STDOUT' is not supported", 1, 1,
	             true);
	EXPECT("COPY t FROM '/srv/t.csv' WITH (FORMAT csv)",
	       "COPY t FROM '/srv/t.csv' WITH (FORMAT csv)");
	EXPECT("COPY stdin_copy FROM '/x'", "COPY stdin_copy FROM '/x'");
	expect_error("SELECT 1;\n\\i other.sql\nSELECT 2;", "psql meta-command '\\i' is not supported",
	             2, 1, true);
	expect_error("SELECT 1;\n  \\set x 1\n", "psql meta-command '\\set' is not supported", 2, 3,
	             true);
}

typedef struct parsed {
	rt_arena *arena;
	rt_diags diags;
	rt_sqlfile *sf;
	int rc;
} parsed;

static void parse(parsed *p, const char *text, size_t len, rt_sqlfile_kind kind);

static void test_sql__split_nul_inside(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const rt_source *src = rt_source_from_mem(a, "n.sql", "SELECT 1;\0SELECT 2", 18);
	rt_stmtlist l = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_sql_split(&l, a, src, 0, src->len, false, &err), RT_ESYNTAX);
	assert_string_equal(err.message, "NUL byte in SQL text");
	assert_int_equal(err.loc.col, 10);
	rt_error_clear(&err);
	rt_arena_free(a);

	parsed p;
	parse(&p, "-- retort:upgrade\nSELECT 1;\0\n", 30, RT_SQLFILE_SIDECAR);
	assert_int_equal(p.rc, RT_ESYNTAX);
	assert_false(p.sf->sections_ok);
	assert_string_equal(p.diags.items[0]->message, "NUL byte in 'v/f.sql'");
	assert_int_equal(p.diags.items[0]->loc.line, 2);
	assert_int_equal(p.diags.items[0]->loc.col, 10);
	rt_arena_free(p.arena);
}

static void test_sql__split_offsets_map_to_file(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *text = "-- retort:upgrade\nSELECT 1;\n\nCREATE TABLE t (\n  id int,\n  bad typo\n);\n";
	const rt_source *src = rt_source_from_mem(a, "v/x.sql", text, strlen(text));
	size_t body = strlen("-- retort:upgrade\n");
	rt_stmtlist l = { 0 };
	assert_int_equal(rt_sql_split(&l, a, src, body, src->len - body, true, NULL), RT_OK);
	assert_int_equal(l.n, 2);
	const rt_stmt *st = l.items[1];
	assert_true(st->no_transaction);
	assert_ptr_equal(st->src, src);
	const char *typo = strstr(st->sql, "typo");
	assert_non_null(typo);
	rt_loc loc = rt_stmt_loc(st, (size_t)(typo - st->sql));
	assert_string_equal(loc.path, "v/x.sql");
	assert_int_equal(loc.line, 6);
	assert_int_equal(loc.col, 7);
	loc = rt_stmt_loc(l.items[0], 0);
	assert_int_equal(loc.line, 2);
	assert_int_equal(loc.col, 1);
	rt_arena_free(a);
}

static void test_sql__check_whole_text(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	/* a string inside a .py at offset 20: errors map through the statement's segments */
	const char *py = "def upgrade():\n    op.execute(\"SELECT 1; SELECT 'x\")\n";
	const rt_source *src = rt_source_from_mem(a, "v/a.py", py, strlen(py));
	size_t at = (size_t)(strstr(py, "SELECT 1") - py);
	rt_stmt *st = rt_stmt_verbatim(a, src, at, strlen("SELECT 1; SELECT 'x"));
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_sql_check(st, &err), RT_ESYNTAX);
	assert_string_equal(err.message, "unterminated quoted string");
	assert_int_equal(err.loc.line, 2);
	assert_int_equal(err.loc.col, 34);
	st = rt_stmt_verbatim(a, src, at, strlen("SELECT 1; SELECT "));
	assert_int_equal(rt_sql_check(st, &err), RT_OK);
	st = rt_stmt_generated(a, "CREATE TABLE t (); COPY t FROM STDIN", src, 20);
	assert_int_equal(rt_sql_check(st, &err), RT_ESYNTAX);
	assert_string_equal(err.message, "'COPY ... FROM STDIN' is not supported");
	assert_int_equal(err.loc.offset, 20);
	rt_error_clear(&err);
	rt_arena_free(a);
}

/* --- .sql files --- */

static void parse(parsed *p, const char *text, size_t len, rt_sqlfile_kind kind)
{
	p->arena = rt_arena_new();
	rt_diags_init(&p->diags, p->arena);
	const rt_source *src = rt_source_from_mem(p->arena, "v/f.sql", text, len);
	p->rc = rt_sqlfile_parse(&p->sf, p->arena, src, kind, &p->diags);
	assert_non_null(p->sf);
}

/* The file must give exactly one error: message, line, col, hint substring. */
static void expect_file_error(const char *text, rt_sqlfile_kind kind, const char *msg,
                              uint32_t line, uint32_t col, const char *hint)
{
	parsed p;
	parse(&p, text, strlen(text), kind);
	if (p.diags.errors != 1) {
		for (size_t i = 0; i < p.diags.n; i++)
			print_message("diag: %s\n", p.diags.items[i]->message);
		fail_msg("%zu errors for <%s>", p.diags.errors, text);
	}
	assert_int_equal(p.rc, RT_ESYNTAX);
	const rt_diag *g = p.diags.items[0];
	assert_int_equal(g->severity, RT_SEV_ERROR);
	assert_string_equal(g->kind, "sql-syntax");
	assert_string_equal(g->message, msg);
	assert_string_equal(g->loc.path, "v/f.sql");
	assert_int_equal(g->loc.line, line);
	assert_int_equal(g->loc.col, col);
	assert_non_null(g->hint);
	if (!strstr(g->hint, hint))
		fail_msg("hint <%s> lacks <%s>", g->hint, hint);
	rt_arena_free(p.arena);
}

#define STANDALONE_HEAD "-- revision: r1\n-- down_revision: None\n"

static void test_sql__sidecar_sections(void **state)
{
	(void)state;
	const char *text = "-- generated by hand\n\n"
	                   "-- retort:upgrade\nCREATE TABLE t (id int);\n"
	                   "-- retort:upgrade no-transaction\nCREATE INDEX CONCURRENTLY i ON t (id);\n"
	                   "--retort:downgrade\nDROP TABLE t;\n";
	parsed p;
	parse(&p, text, strlen(text), RT_SQLFILE_SIDECAR);
	assert_int_equal(p.rc, RT_OK);
	assert_int_equal(p.diags.n, 0);
	assert_true(p.sf->sections_ok && p.sf->header_ok);
	assert_int_equal(p.sf->nsections, 3);
	assert_int_equal(p.sf->sections[1].dir, RT_UPGRADE);
	assert_true(p.sf->sections[1].no_transaction);
	assert_int_equal(p.sf->sections[1].loc.line, 5);
	assert_int_equal(p.sf->sections[2].dir, RT_DOWNGRADE);
	assert_memory_equal(text + p.sf->sections[0].offset, "CREATE TABLE t (id int);\n",
	                    p.sf->sections[0].len);

	rt_stmtlist l = { 0 };
	assert_int_equal(rt_sqlfile_body(&l, p.arena, p.sf, RT_UPGRADE, NULL), RT_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0]->sql, "CREATE TABLE t (id int)");
	assert_false(l.items[0]->no_transaction);
	assert_string_equal(l.items[1]->sql, "CREATE INDEX CONCURRENTLY i ON t (id)");
	assert_true(l.items[1]->no_transaction);
	memset(&l, 0, sizeof(l));
	assert_int_equal(rt_sqlfile_body(&l, p.arena, p.sf, RT_DOWNGRADE, NULL), RT_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(rt_stmt_loc(l.items[0], 0).line, 8);
	rt_arena_free(p.arena);
}

static void test_sql__sidecar_upgrade_only_and_empty_section(void **state)
{
	(void)state;
	const char *text = "-- retort:upgrade\nSELECT 1;\n";
	parsed p;
	parse(&p, text, strlen(text), RT_SQLFILE_SIDECAR);
	assert_int_equal(p.rc, RT_OK);
	assert_false(rt_sqlfile_has(p.sf, RT_DOWNGRADE));
	rt_stmtlist l = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_sqlfile_body(&l, p.arena, p.sf, RT_DOWNGRADE, &err), RT_ENOTFOUND);
	assert_string_equal(err.message, "'v/f.sql' has no '-- retort:downgrade' section");
	rt_error_clear(&err);
	rt_arena_free(p.arena);

	/* an empty section is an explicit empty body */
	text = "-- retort:upgrade\n-- retort:downgrade\n";
	parse(&p, text, strlen(text), RT_SQLFILE_SIDECAR);
	assert_true(rt_sqlfile_has(p.sf, RT_UPGRADE));
	assert_int_equal(rt_sqlfile_body(&l, p.arena, p.sf, RT_UPGRADE, NULL), RT_OK);
	assert_int_equal(l.n, 0);
	rt_arena_free(p.arena);

	/* no marker at all: a warning, not an error */
	text = "-- nothing yet\n";
	parse(&p, text, strlen(text), RT_SQLFILE_SIDECAR);
	assert_int_equal(p.rc, RT_OK);
	assert_int_equal(p.diags.warnings, 1);
	assert_string_equal(p.diags.items[0]->kind, "sidecar-empty");
	rt_arena_free(p.arena);
}

static void test_sql__standalone_header(void **state)
{
	(void)state;
	const char *text = "\xEF\xBB\xBF-- Adds the users table\r\n"
	                   "-- revision: 3f2a1b9c0d4e\r\n"
	                   "-- down_revision: 1c9e0d7a2b3f , 0a0a0a0a0a0a\r\n"
	                   "-- message:  add users: part 1  \r\n"
	                   "-- branch_labels: users\r\n"
	                   "-- depends_on: None\r\n"
	                   "\r\n"
	                   "-- retort:upgrade\r\nCREATE TABLE users ();\r\n";
	parsed p;
	parse(&p, text, strlen(text), RT_SQLFILE_STANDALONE);
	assert_int_equal(p.rc, RT_OK);
	assert_int_equal(p.diags.n, 0);
	const rt_sqlfile *sf = p.sf;
	assert_true(sf->header_ok && sf->sections_ok);
	assert_string_equal(sf->revision, "3f2a1b9c0d4e");
	assert_int_equal(sf->revision_loc.line, 2);
	assert_true(sf->has_down_revision);
	assert_int_equal(sf->down.n, 2);
	assert_string_equal(sf->down.v[0], "1c9e0d7a2b3f");
	assert_string_equal(sf->down.v[1], "0a0a0a0a0a0a");
	assert_int_equal(sf->down_loc.line, 3);
	assert_string_equal(sf->message, "add users: part 1");
	assert_int_equal(sf->labels.n, 1);
	assert_string_equal(sf->labels.v[0], "users");
	assert_int_equal(sf->depends.n, 0);
	assert_int_equal(sf->depends_loc.line, 6);
	rt_stmtlist l = { 0 };
	assert_int_equal(rt_sqlfile_body(&l, p.arena, sf, RT_UPGRADE, NULL), RT_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0]->sql, "CREATE TABLE users ()");
	rt_arena_free(p.arena);

	/* a base revision with nothing else */
	text = STANDALONE_HEAD "-- retort:upgrade\n";
	parse(&p, text, strlen(text), RT_SQLFILE_STANDALONE);
	assert_int_equal(p.rc, RT_OK);
	assert_true(p.sf->has_down_revision);
	assert_int_equal(p.sf->down.n, 0);
	assert_null(p.sf->message);
	rt_arena_free(p.arena);
}

static void test_sql__marker_errors(void **state)
{
	(void)state;
	const rt_sqlfile_kind S = RT_SQLFILE_SIDECAR;
	expect_file_error("-- retort:upgrad\nSELECT 1;\n", S, "unknown marker 'retort:upgrad'", 1, 11,
	                  "did you mean '-- retort:upgrade'?");
	expect_file_error("-- retort:upgrade\n-- retort:downgarde\n", S,
	                  "unknown marker 'retort:downgarde'", 2, 11, "'-- retort:downgrade'");
	expect_file_error("-- retort:header\n", S, "unknown marker 'retort:header'", 1, 11,
	                  "markers are '-- retort:upgrade' and '-- retort:downgrade'");
	expect_file_error("-- retort:upgrade notransaction\n", S,
	                  "unknown marker option 'notransaction'", 1, 19,
	                  "did you mean 'no-transaction'?");
	expect_file_error("-- retort:upgrade no-transaction no-transaction\n", S,
	                  "option 'no-transaction' repeated", 1, 34, "once");
	expect_file_error("-- retort:downgrade -- drop it\n", S, "unknown marker option '--'", 1, 21,
	                  "the only marker option");
	expect_file_error("-- retrot:upgrade\n", S, "unknown marker prefix 'retrot:'", 1, 4,
	                  "'-- retort:upgrade'");
	expect_file_error("-- Retort:upgrade\n", S, "marker prefix 'Retort:' is not lower case", 1,
	                  4, "lower case");
	expect_file_error("-- retort:\n", S, "marker '-- retort:' names no section", 1, 11,
	                  "'-- retort:upgrade'");
	/* a misspelt marker ends the section before it, so the next lines are not an error */
	expect_file_error("-- retort:upgrade\nSELECT 1;\n-- retort:downgrad\nSELECT 2;\n", S,
	                  "unknown marker 'retort:downgrad'", 3, 11, "did you mean");
	/* ordinary comments that only look a little like markers are left alone */
	parsed p;
	const char *ok = "-- retort:upgrade\n-- return: the new row\n-- note: x\nSELECT 1;\n";
	parse(&p, ok, strlen(ok), S);
	assert_int_equal(p.rc, RT_OK);
	assert_int_equal(p.sf->nsections, 1);
	rt_arena_free(p.arena);
}

static void test_sql__preamble_errors(void **state)
{
	(void)state;
	expect_file_error("\n  CREATE TABLE t ();\nSELECT 1;\n-- retort:upgrade\n", RT_SQLFILE_SIDECAR,
	                  "text before the first '-- retort:' marker", 2, 3,
	                  "'-- retort:upgrade'");
	expect_file_error("-- revision: abc\n-- retort:upgrade\n", RT_SQLFILE_SIDECAR,
	                  "sidecar 'v/f.sql' cannot set 'revision'", 1, 4, "version file");
}

static void test_sql__header_errors(void **state)
{
	(void)state;
	const rt_sqlfile_kind S = RT_SQLFILE_STANDALONE;
	expect_file_error("-- down_revision: None\n-- retort:upgrade\n", S,
	                  "missing header field 'revision' in 'v/f.sql'", 1, 1, "-- revision:");
	expect_file_error("-- revision: r1\n-- retort:upgrade\n", S,
	                  "missing header field 'down_revision' in 'v/f.sql'", 1, 1, "None");
	expect_file_error(STANDALONE_HEAD "-- revision: r2\n", S, "duplicate header field 'revision'",
	                  3, 4, "line 1");
	expect_file_error(STANDALONE_HEAD "-- depend_on: r0\n", S, "unknown header field 'depend_on'",
	                  3, 4, "did you mean 'depends_on'?");
	expect_file_error(STANDALONE_HEAD "-- Message: hi\n", S, "unknown header field 'Message'", 3,
	                  4, "did you mean 'message'?");
	expect_file_error(STANDALONE_HEAD "-- TODO: later\n", S, "unknown header field 'TODO'", 3, 4,
	                  "header fields are");
	expect_file_error("-- revision: r1\n-- down_revision:\n", S, "'down_revision' has no value", 2,
	                  18, "None");
	expect_file_error("-- revision: r1, r2\n-- down_revision: None\n", S,
	                  "'revision' must be a single id", 1, 14, "down_revision");
	expect_file_error("-- revision: None\n-- down_revision: None\n", S,
	                  "'revision' needs an id", 1, 14, "-- revision:");
	expect_file_error("-- revision: r1\n-- down_revision: 'r0'\n", S,
	                  "invalid id ''r0'' in 'down_revision'", 2, 19, "bare");
	expect_file_error("-- revision: r1\n-- down_revision: a,,b\n", S,
	                  "empty entry in 'down_revision'", 2, 21, "comma");
	expect_file_error("-- revision: r1\n-- down_revision: None\nSELECT 1;\n", S,
	                  "text before the first '-- retort:' marker", 3, 1, "only '--' comments");
}

static void test_sql__header_errors_leave_sections(void **state)
{
	(void)state;
	parsed p;
	const char *text = "-- revision: r1\n-- down_revision: r0\n-- down_revision: r9\n"
	                   "-- retort:upgrade\nSELECT 1;\n";
	parse(&p, text, strlen(text), RT_SQLFILE_STANDALONE);
	assert_int_equal(p.rc, RT_ESYNTAX);
	assert_false(p.sf->header_ok);
	assert_true(p.sf->sections_ok);
	rt_arena_free(p.arena);
	text = STANDALONE_HEAD "-- retort:upgrad\n";
	parse(&p, text, strlen(text), RT_SQLFILE_STANDALONE);
	assert_true(p.sf->header_ok);
	assert_false(p.sf->sections_ok);
	rt_arena_free(p.arena);
}

/* ---- what a query finds on a fresh database (sqlfresh.h) ---- */

/* "-" for no rows, else the row's values as "INT:0,NULL,STR:a"; "?why" when refused. */
static const char *fresh(rt_arena *a, const char *sql)
{
	rt_fresh_result res;
	const char *why = NULL;
	if (!rt_sql_fresh_result(a, sql, &res, &why))
		return rt_sprintf(a, "?%s", why);
	if (!res.one_row)
		return "-";
	static const char *const kinds[] = { "NULL", "INT:", "FLOAT:", "STR:", "BOOL:" };
	char *out = "";
	for (size_t i = 0; i < res.ncols; i++)
		out = rt_sprintf(a, "%s%s%s%s", out, i ? "," : "", kinds[res.cols[i].kind],
		                 res.cols[i].kind == RT_FRESH_NULL ? "" : res.cols[i].text);
	return out;
}

static void test_sql__fresh_results(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	/* rows from tables: none, through joins, subqueries and set operations */
	assert_string_equal(fresh(a, "SELECT id, name FROM t WHERE x = 1 ORDER BY id LIMIT 3"), "-");
	assert_string_equal(fresh(a, "SELECT * FROM s.t a LEFT JOIN pg_class c ON true"), "-");
	assert_string_equal(fresh(a, "SELECT * FROM pg_class c RIGHT JOIN t ON true"), "-");
	assert_string_equal(fresh(a, "SELECT x FROM (SELECT x FROM t) q"), "-");
	assert_string_equal(fresh(a, "SELECT x FROM t UNION SELECT y FROM u"), "-");
	assert_string_equal(fresh(a, "SELECT x, count(*) FROM t GROUP BY x"), "-");
	assert_string_equal(fresh(a, "UPDATE t SET x = 1 RETURNING id"), "-");
	/* aggregates without GROUP BY: one row, count() 0, the others NULL */
	assert_string_equal(fresh(a, "SELECT COUNT(*) FROM related;"), "INT:0");
	assert_string_equal(fresh(a, "SELECT count(id), max(v), sum(n) FROM t WHERE v IS NULL"),
	                    "INT:0,NULL,NULL");
	assert_string_equal(fresh(a, "SELECT coalesce(max(id), 0), coalesce(sum(n), 2.5), "
	                             "coalesce(min(s), 'none') FROM t"),
	                    "INT:0,FLOAT:2.5,STR:none");
	assert_string_equal(fresh(a, "SELECT count(*)::text, count(*)::bigint, max(b)::text, "
	                             "bool_or(b) IS NULL, 7, true FROM t"),
	                    "?a selected NullTest, whose value over no rows retort does not work out");
	assert_string_equal(fresh(a, "SELECT count(*)::text, count(*)::bigint, max(b)::text, 7, "
	                             "true, NULL FROM t"),
	                    "STR:0,INT:0,NULL,INT:7,BOOL:t,NULL");
	assert_string_equal(fresh(a, "SELECT count(*) FROM (SELECT 1 FROM t) q"), "INT:0");
	/* operators over those values; WITH queries that read */
	assert_string_equal(fresh(a, "SELECT COUNT(DISTINCT name) != COUNT(name) FROM t"), "BOOL:f");
	assert_string_equal(fresh(a, "SELECT count(*) + 1, count(*) = 0, max(x) > 1 FROM t"),
	                    "INT:1,BOOL:t,NULL");
	assert_string_equal(fresh(a, "SELECT count(*) = 'a' FROM t"),
	                    "?an operator over values other than integers");
	assert_string_equal(fresh(a, "WITH d AS (SELECT id, row_number() OVER () AS rn FROM s) "
	                             "SELECT id FROM d WHERE rn > 1"), "-");
	assert_string_equal(fresh(a, "WITH d AS (SELECT id FROM s) SELECT count(*) FROM d"), "INT:0");
	assert_string_equal(fresh(a, "WITH t AS (SELECT count(*) AS n FROM s) SELECT * FROM public.t"),
	                    "-");
	assert_string_equal(fresh(a, "WITH d AS (SELECT count(*) AS n FROM s) SELECT n FROM d"),
	                    "?a FROM item over a WITH query that finds rows");
	assert_string_equal(fresh(a, "WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r"),
	                    "?a WITH RECURSIVE query");
	assert_string_equal(fresh(a, "WITH d AS (DELETE FROM s RETURNING id) SELECT id FROM d"),
	                    "?a WITH query that changes rows");
	/* the statement's bytes, without its ';' */
	rt_fresh_result res;
	const char *why;
	assert_true(rt_sql_fresh_result(a, "SELECT count(*) FROM t ;  -- n", &res, &why));
	assert_int_equal(res.len, strlen("SELECT count(*) FROM t "));
	/* what a fresh database cannot tell */
	assert_string_equal(fresh(a, "SELECT now()"), "?a SELECT without FROM");
	assert_string_equal(fresh(a, "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix'"),
	                    "?a query of the system catalogs, whose rows are the schema, not data");
	assert_string_equal(fresh(a, "SELECT count(*)"), "?a SELECT without FROM");
	assert_string_equal(fresh(a, "SELECT 1 FROM information_schema.columns"),
	                    "?a query of the system catalogs, whose rows are the schema, not data");
	assert_string_equal(fresh(a, "SELECT * FROM generate_series(1, 3)"),
	                    "?a FROM item that is not a table (a function or VALUES)");
	assert_string_equal(fresh(a, "VALUES (1)"), "?VALUES");
	assert_string_equal(fresh(a, "SELECT count(*) FROM t HAVING count(*) > 1"),
	                    "?HAVING, LIMIT or OFFSET on an aggregate");
	assert_string_equal(fresh(a, "SELECT count(*) OVER () FROM pg_am"),
	                    "?a query of the system catalogs, whose rows are the schema, not data");
	assert_string_equal(fresh(a, "INSERT INTO t VALUES (1) RETURNING id"),
	                    "?an INSERT of VALUES, which changes rows on any database");
	assert_string_equal(fresh(a, "SHOW server_version"), "?a VariableShowStmt");
	assert_string_equal(fresh(a, "SELECT 1; SELECT 2"), "?more than one statement");
	assert_string_equal(fresh(a, "SELEC 1"), "?SQL that PostgreSQL's parser rejects");
	/* changes: none on a fresh database; their guard counts through RETURNING */
	assert_true(rt_sql_fresh_result(a, "WITH todo AS (SELECT id FROM t LIMIT 5) UPDATE t SET x = 1 "
	                                "FROM todo WHERE t.id = todo.id", &res, &why));
	assert_true(!res.one_row && res.changes && !res.returns);
	const char *h, *tl;
	rt_sql_fresh_guard(a, &res, &h, &tl);
	assert_string_equal(tl, "\nRETURNING 1\n) SELECT count(*) = 0, count(*) || CASE count(*) WHEN 1 "
	                        "THEN ' row' ELSE ' rows' END FROM retort_rows");
	assert_true(rt_sql_fresh_result(a, "DELETE FROM t WHERE x RETURNING id", &res, &why));
	assert_true(res.changes && res.returns);
	assert_string_equal(fresh(a, "INSERT INTO t (a) SELECT b FROM u"), "-");
	assert_string_equal(fresh(a, "INSERT INTO t (a) SELECT count(*) FROM u"),
	                    "?an INSERT of a SELECT that finds rows on a fresh database");
	assert_string_equal(fresh(a, "UPDATE pg_class SET relname = 'x'"),
	                    "?a change to the system catalogs");
	assert_string_equal(fresh(a, "WITH d AS (DELETE FROM u RETURNING id) UPDATE t SET x = 1"),
	                    "?a WITH clause that changes rows");
	/* the guard of a one-row result compares each value and shows what it found */
	rt_fresh_result one;
	assert_true(rt_sql_fresh_result(a, "SELECT count(*), max(s), coalesce(min(s), 'it''s') FROM t",
	                                &one, &why));
	const char *head, *tail;
	rt_sql_fresh_guard(a, &one, &head, &tail);
	assert_string_equal(head, "WITH retort_rows(c1, c2, c3) AS (\n");
	assert_string_equal(tail, "\n) SELECT c1 IS NOT DISTINCT FROM 0 AND c2 IS NULL AND c3::text IS "
	                          "NOT DISTINCT FROM 'it''s', '(' || concat_ws(', ', coalesce(c1::text, "
	                          "'NULL'), coalesce(c2::text, 'NULL'), coalesce(c3::text, 'NULL')) || "
	                          "')' FROM retort_rows");
	rt_arena_free(a);
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
		cmocka_unit_test(test_sql__split_basic_and_trim),
		cmocka_unit_test(test_sql__fresh_results),
		cmocka_unit_test(test_sql__split_comments_only),
		cmocka_unit_test(test_sql__split_lexical_edge_cases),
		cmocka_unit_test(test_sql__split_syntax_error_falls_back),
		cmocka_unit_test(test_sql__split_unterminated),
		cmocka_unit_test(test_sql__split_refusals),
		cmocka_unit_test(test_sql__split_nul_inside),
		cmocka_unit_test(test_sql__split_offsets_map_to_file),
		cmocka_unit_test(test_sql__check_whole_text),
		cmocka_unit_test(test_sql__sidecar_sections),
		cmocka_unit_test(test_sql__sidecar_upgrade_only_and_empty_section),
		cmocka_unit_test(test_sql__standalone_header),
		cmocka_unit_test(test_sql__marker_errors),
		cmocka_unit_test(test_sql__preamble_errors),
		cmocka_unit_test(test_sql__header_errors),
		cmocka_unit_test(test_sql__header_errors_leave_sections),
	};
	return cmocka_run_group_tests(tests, NULL, teardown_pg_query);
}
