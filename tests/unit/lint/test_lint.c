/*
 * Unit tests for src/lint: the facts of each statement kind (lock level and
 * relation, rewrite/scan, transaction block), the findings each rule gives,
 * PostgreSQL-version dependence, the step-level rules and lint-ignore.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "retort/lint.h"
#include "retort/sqlsplit.h"

#define AE RT_LOCK_ACCESS_EXCLUSIVE
#define SRE RT_LOCK_SHARE_ROW_EXCLUSIVE
#define SUE RT_LOCK_SHARE_UPDATE_EXCLUSIVE
#define RW RT_LINT_REWRITE
#define SC RT_LINT_SCAN
#define NT RT_LINT_NO_TX
#define TXC RT_LINT_TX_CONTROL

struct fact_case {
	const char *sql;
	int pg;               /* 0: 15 */
	const char *kind;
	const char *relation; /* main relation, NULL: none */
	rt_lockmode lock;
	unsigned effects;
	const char *rules;    /* findings of the statement alone, in a transaction: "a,b" */
};

static const struct fact_case cases[] = {
	/* ALTER TABLE: AlterTableGetLockLevel, subcommand by subcommand */
	{ "ALTER TABLE t ADD COLUMN a int", 0, "ALTER TABLE", "t", AE, 0, "" },
	{ "ALTER TABLE s.t ADD COLUMN a int DEFAULT 0", 0, "ALTER TABLE", "s.t", AE, 0, "" },
	{ "ALTER TABLE t ADD COLUMN a int DEFAULT 0", 10, "ALTER TABLE", "t", AE, RW,
	  "adding-field-with-default" },
	{ "ALTER TABLE t ADD COLUMN a timestamptz DEFAULT now()", 0, "ALTER TABLE", "t", AE, 0, "" },
	{ "ALTER TABLE t ADD COLUMN a uuid DEFAULT gen_random_uuid()", 0, "ALTER TABLE", "t", AE, RW,
	  "adding-field-with-default" },
	{ "ALTER TABLE t ADD COLUMN a bigserial", 0, "ALTER TABLE", "t", AE, RW,
	  "adding-field-with-default" },
	{ "ALTER TABLE t ADD COLUMN a int GENERATED ALWAYS AS (b * 2) STORED", 0, "ALTER TABLE", "t",
	  AE, RW, "adding-field-with-default" },
	{ "ALTER TABLE t ADD COLUMN a int NOT NULL", 0, "ALTER TABLE", "t", AE, 0,
	  "adding-required-field" },
	{ "ALTER TABLE t ADD COLUMN a int NOT NULL DEFAULT 1", 0, "ALTER TABLE", "t", AE, 0, "" },
	{ "ALTER TABLE t ADD COLUMN id serial PRIMARY KEY", 0, "ALTER TABLE", "t", AE, RW | SC,
	  "adding-serial-primary-key-field,adding-field-with-default" },
	{ "ALTER TABLE t ADD COLUMN a int UNIQUE", 0, "ALTER TABLE", "t", AE, SC,
	  "disallowed-unique-constraint" },
	{ "ALTER TABLE t ADD COLUMN u_id int REFERENCES u (id)", 0, "ALTER TABLE", "t", AE, SC,
	  "adding-foreign-key-constraint" },
	{ "ALTER TABLE t ALTER COLUMN a TYPE bigint", 0, "ALTER TABLE", "t", AE, RW,
	  "changing-column-type" },
	{ "ALTER TABLE t ALTER COLUMN a SET NOT NULL", 0, "ALTER TABLE", "t", AE, SC,
	  "adding-not-nullable-field" },
	{ "ALTER TABLE t ALTER COLUMN a DROP NOT NULL", 0, "ALTER TABLE", "t", AE, 0,
	  "ban-drop-not-null" },
	{ "ALTER TABLE t ALTER COLUMN a SET DEFAULT 1", 0, "ALTER TABLE", "t", AE, 0, "" },
	{ "ALTER TABLE t DROP COLUMN a", 0, "ALTER TABLE", "t", AE, 0, "ban-drop-column" },
	{ "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (u_id) REFERENCES u (id)", 0, "ALTER TABLE",
	  "t", SRE, SC, "adding-foreign-key-constraint,constraint-missing-not-valid" },
	{ "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (u_id) REFERENCES u (id) NOT VALID", 0,
	  "ALTER TABLE", "t", SRE, 0, "" },
	{ "ALTER TABLE t VALIDATE CONSTRAINT fk", 0, "ALTER TABLE", "t", SUE, SC, "" },
	{ "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)", 0, "ALTER TABLE", "t", AE, SC,
	  "constraint-missing-not-valid" },
	{ "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID", 0, "ALTER TABLE", "t", AE, 0, "" },
	{ "ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)", 0, "ALTER TABLE", "t", AE, SC,
	  "disallowed-unique-constraint" },
	{ "ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX t_a", 0, "ALTER TABLE", "t", AE, 0, "" },
	{ "ALTER TABLE t ADD PRIMARY KEY (id)", 0, "ALTER TABLE", "t", AE, SC,
	  "adding-serial-primary-key-field" },
	{ "ALTER TABLE t DROP CONSTRAINT c", 0, "ALTER TABLE", "t", AE, 0, "" },
	{ "ALTER TABLE t SET (autovacuum_enabled = false)", 0, "ALTER TABLE", "t", SUE, 0, "" },
	{ "ALTER TABLE t ALTER COLUMN a SET STATISTICS 500", 0, "ALTER TABLE", "t", SUE, 0, "" },
	{ "ALTER TABLE t CLUSTER ON t_a", 0, "ALTER TABLE", "t", SUE, 0, "" },
	{ "ALTER TABLE t DISABLE TRIGGER ALL", 0, "ALTER TABLE", "t", SRE, 0, "" },
	{ "ALTER TABLE t ENABLE TRIGGER tr", 0, "ALTER TABLE", "t", SRE, 0, "" },
	{ "ALTER TABLE t SET TABLESPACE fast", 0, "ALTER TABLE", "t", AE, RW, "table-rewrite" },
	{ "ALTER TABLE t SET LOGGED", 0, "ALTER TABLE", "t", AE, RW, "table-rewrite" },
	{ "ALTER TABLE t ATTACH PARTITION p FOR VALUES IN (1)", 0, "ALTER TABLE", "t", SUE, SC, "" },
	{ "ALTER TABLE t ATTACH PARTITION p FOR VALUES IN (1)", 11, "ALTER TABLE", "t", AE, SC, "" },
	{ "ALTER TABLE t DETACH PARTITION p CONCURRENTLY", 0, "ALTER TABLE", "t", SUE, NT,
	  "requires-no-transaction" },
	{ "ALTER TABLE t DETACH PARTITION p", 0, "ALTER TABLE", "t", AE, 0, "" },
	{ "ALTER TABLE t OWNER TO bob", 0, "ALTER TABLE", "t", AE, 0, "" },
	{ "ALTER TABLE t REPLICA IDENTITY FULL", 0, "ALTER TABLE", "t", AE, 0, "" },
	/* the strongest subcommand wins */
	{ "ALTER TABLE t SET (fillfactor = 70), ALTER COLUMN a SET DEFAULT 0", 0, "ALTER TABLE", "t",
	  AE, 0, "" },
	/* indexes */
	{ "CREATE INDEX i ON t (a)", 0, "CREATE INDEX", "t", RT_LOCK_SHARE, SC,
	  "require-concurrent-index-creation" },
	{ "CREATE INDEX CONCURRENTLY i ON t (a)", 0, "CREATE INDEX", "t", SUE, SC | NT,
	  "ban-concurrent-index-creation-in-transaction" },
	{ "DROP INDEX i", 0, "DROP INDEX", "i", AE, 0, "require-concurrent-index-deletion" },
	{ "DROP INDEX CONCURRENTLY IF EXISTS s.i", 0, "DROP INDEX", "s.i", SUE, NT,
	  "ban-concurrent-index-creation-in-transaction" },
	{ "REINDEX TABLE t", 0, "REINDEX", "t", RT_LOCK_SHARE, SC, "" },
	{ "REINDEX TABLE CONCURRENTLY t", 0, "REINDEX", "t", SUE, SC | NT,
	  "ban-concurrent-index-creation-in-transaction" },
	{ "ALTER INDEX i RENAME TO j", 0, "RENAME", "i", SUE, 0, "" },
	{ "ALTER INDEX i RENAME TO j", 11, "RENAME", "i", AE, 0, "" },
	/* other commands of the lock table */
	{ "DROP TABLE t", 0, "DROP TABLE", "t", AE, 0, "ban-drop-table" },
	{ "DROP TABLE IF EXISTS a, b", 0, "DROP TABLE", "a", AE, 0, "ban-drop-table" },
	{ "DROP DATABASE d", 0, "DROP DATABASE", NULL, RT_LOCK_NONE, NT,
	  "ban-drop-database,requires-no-transaction" },
	{ "ALTER TABLE t RENAME TO u", 0, "RENAME", "t", AE, 0, "renaming-table" },
	{ "ALTER TABLE t RENAME COLUMN a TO b", 0, "RENAME", "t", AE, 0, "renaming-column" },
	{ "TRUNCATE t", 0, "TRUNCATE", "t", AE, 0, "" },
	{ "TRUNCATE t, u CASCADE", 0, "TRUNCATE", "t", AE, 0, "ban-truncate-cascade" },
	{ "ALTER TABLE t ADD CONSTRAINT ex EXCLUDE USING gist (r WITH &&)", 0, "ALTER TABLE", "t",
	  AE, SC, "adding-exclusion-constraint" },
	{ "REFRESH MATERIALIZED VIEW m WITH NO DATA", 0, "REFRESH MATERIALIZED VIEW", "m", AE, SC,
	  "" },
	{ "VACUUM FULL t", 0, "VACUUM FULL", "t", AE, RW | SC | NT,
	  "table-rewrite,requires-no-transaction" },
	{ "VACUUM t", 0, "VACUUM", "t", SUE, SC | NT, "requires-no-transaction" },
	{ "ANALYZE t", 0, "ANALYZE", "t", SUE, SC, "" },
	{ "CLUSTER t USING t_a", 0, "CLUSTER", "t", AE, RW, "table-rewrite" },
	{ "REFRESH MATERIALIZED VIEW m", 0, "REFRESH MATERIALIZED VIEW", "m", AE, SC,
	  "require-concurrent-refresh" },
	{ "REFRESH MATERIALIZED VIEW CONCURRENTLY m", 0, "REFRESH MATERIALIZED VIEW", "m",
	  RT_LOCK_EXCLUSIVE, SC, "" },
	{ "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()", 0,
	  "CREATE TRIGGER", "t", SRE, 0, "" },
	{ "LOCK TABLE t IN SHARE MODE", 0, "LOCK", "t", RT_LOCK_SHARE, 0, "" },
	{ "LOCK t", 0, "LOCK", "t", AE, 0, "" },
	{ "CREATE STATISTICS st ON a, b FROM t", 0, "CREATE STATISTICS", "t", SUE, 0, "" },
	{ "UPDATE t SET a = 1", 0, "UPDATE", "t", RT_LOCK_ROW_EXCLUSIVE, SC, "unbatched-backfill" },
	{ "UPDATE t SET a = 1 WHERE id < 1000", 0, "UPDATE", "t", RT_LOCK_ROW_EXCLUSIVE, 0, "" },
	{ "DELETE FROM t", 0, "DELETE", "t", RT_LOCK_ROW_EXCLUSIVE, SC, "unbatched-backfill" },
	{ "INSERT INTO t VALUES (1)", 0, "INSERT", "t", RT_LOCK_ROW_EXCLUSIVE, 0, "" },
	{ "CREATE TABLE t (id bigint PRIMARY KEY, u_id bigint REFERENCES u (id))", 0,
	  "CREATE TABLE", "t", AE, 0, "" },
	{ "ALTER TYPE mood ADD VALUE 'meh'", 0, "ALTER TYPE", NULL, RT_LOCK_NONE, 0, "" },
	{ "ALTER TYPE mood ADD VALUE 'meh'", 11, "ALTER TYPE", NULL, RT_LOCK_NONE, NT,
	  "requires-no-transaction" },
	{ "CREATE DOMAIN pos AS int CHECK (VALUE > 0)", 0, "CREATE DOMAIN", NULL, RT_LOCK_NONE, 0,
	  "ban-create-domain-with-constraint" },
	{ "ALTER DOMAIN pos ADD CONSTRAINT c CHECK (VALUE > 0)", 0, "ALTER DOMAIN", NULL,
	  RT_LOCK_NONE, 0, "ban-alter-domain-with-add-constraint" },
	{ "BEGIN", 0, "TRANSACTION", NULL, RT_LOCK_NONE, TXC, "transaction-nesting" },
	{ "COMMIT", 0, "TRANSACTION", NULL, RT_LOCK_NONE, TXC, "transaction-nesting" },
	{ "SAVEPOINT s", 0, "TRANSACTION", NULL, RT_LOCK_NONE, TXC, "" },
	{ "ALTER TABLE t SET SCHEMA s", 0, "SET SCHEMA", "t", AE, 0, "" },
	{ "ALTER TABLE c INHERIT p", 0, "ALTER TABLE", "c", AE, 0, "" },
	{ "COMMENT ON COLUMN app.users.email IS 'x'", 0, "COMMENT", "app.users",
	  RT_LOCK_SHARE_UPDATE_EXCLUSIVE, 0, "" },
	{ "COMMENT ON TABLE users IS 'x'", 0, "COMMENT", "users", RT_LOCK_SHARE_UPDATE_EXCLUSIVE, 0, "" },
	{ "COMMENT ON FUNCTION f() IS 'x'", 0, "COMMENT", NULL, RT_LOCK_NONE, 0, "" },
	{ "SET lock_timeout = '2s'", 0, "SET", NULL, RT_LOCK_NONE, 0, "" },
};

static rt_stmtlist body_of(rt_arena *a, const char *text, bool no_transaction)
{
	const rt_source *src = rt_source_from_mem(a, "t.sql", text, strlen(text));
	rt_stmtlist l = { 0 };
	rt_error err = RT_ERROR_INIT;
	if (rt_sql_split(&l, a, src, 0, src->len, no_transaction, &err) != RT_OK)
		fail_msg("split: %s", err.message);
	return l;
}

static void rules_of(char *buf, size_t size, const rt_lint_findings *fs)
{
	buf[0] = '\0';
	size_t used = 0;
	for (size_t i = 0; i < fs->n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "," : "", fs->v[i].rule->id);
}

static void test_lint__facts(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const struct fact_case *k = &cases[c];
		rt_arena *a = rt_arena_new();
		rt_stmtlist l = body_of(a, k->sql, false);
		assert_int_equal(l.n, 1);
		rt_lint_opts o = { .pg_version = k->pg };
		rt_lint_findings fs = { 0 };
		rt_lint_facts *facts;
		rt_error err = RT_ERROR_INIT;
		if (rt_lint_body(&fs, &facts, a, &l, &o, &err) != RT_OK)
			fail_msg("%s: %s", k->sql, err.message);
		const rt_lint_facts *f = &facts[0];
		char got[512];
		rules_of(got, sizeof got, &fs);
		if (strcmp(f->kind, k->kind) != 0 || f->effects != k->effects ||
		    (k->relation ? f->nlocks == 0 || strcmp(f->locks[0].relation, k->relation) != 0 ||
		                       f->locks[0].mode != k->lock
		                 : f->nlocks != 0) ||
		    strcmp(got, k->rules) != 0)
			fail_msg("%s (pg %d): got kind %s, %s on %s, effects %u, rules '%s'; want %s, %s on "
			         "%s, effects %u, rules '%s'", k->sql, k->pg, f->kind,
			         f->nlocks ? rt_lockmode_name(f->locks[0].mode) : "-",
			         f->nlocks ? f->locks[0].relation : "-", f->effects, got, k->kind,
			         rt_lockmode_name(k->lock), k->relation ? k->relation : "-", k->effects, k->rules);
		rt_arena_free(a);
	}
}

/* rules and location of each finding of a whole body */
static void expect_body(const char *text, bool no_transaction, const char *want)
{
	rt_arena *a = rt_arena_new();
	rt_stmtlist l = body_of(a, text, no_transaction);
	rt_lint_findings fs = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_lint_body(&fs, NULL, a, &l, NULL, &err), RT_OK);
	char got[1024] = "";
	size_t used = 0;
	for (size_t i = 0; i < fs.n; i++)
		used += (size_t)snprintf(got + used, sizeof got - used, "%s%s@%u:%u", i ? " " : "",
		                         fs.v[i].rule->id, fs.v[i].loc.line, fs.v[i].loc.col);
	if (strcmp(got, want) != 0)
		fail_msg("for <%s>\n got: %s\nwant: %s", text, got, want);
	rt_arena_free(a);
}

static void test_lint__lock_held_across_statements(void **state)
{
	(void)state;
	/* ADD COLUMN's ACCESS EXCLUSIVE is held while the index build scans */
	expect_body("ALTER TABLE t ADD COLUMN a int;\nCREATE INDEX i ON t (a);",
	            false, "require-concurrent-index-creation@2:19 lock-held-across-statements@2:1");
	rt_arena *a = rt_arena_new();
	rt_stmtlist l = body_of(a, "ALTER TABLE t ADD COLUMN a int;\nUPDATE u SET x = 1;", false);
	rt_lint_findings fs = { 0 };
	assert_int_equal(rt_lint_body(&fs, NULL, a, &l, NULL, NULL), RT_OK);
	assert_int_equal(fs.n, 2);
	assert_string_equal(fs.v[1].rule->id, "lock-held-across-statements");
	assert_true(fs.v[1].has_holder);
	assert_int_equal(fs.v[1].holder_index, 0);
	assert_int_equal(fs.v[1].holder_loc.line, 1);
	assert_string_equal(fs.v[1].message,
	                    "ACCESS EXCLUSIVE on 't', taken by the ALTER TABLE at line 1, is held while "
	                    "this UPDATE scans 'u', until the step commits: other sessions wait on 't' "
	                    "all that time");
	rt_arena_free(a);
	/* the slow statement takes the same lock itself: its own rule says it */
	expect_body("ALTER TABLE t ADD COLUMN a int;\nALTER TABLE t ALTER COLUMN b SET NOT NULL;", false,
	            "adding-not-nullable-field@2:1");
	/* one finding per held lock, at the first slow statement after it: the third
	 * statement is named for the SHARE on u, not again for t */
	expect_body("ALTER TABLE t ADD COLUMN a int;\nCREATE INDEX i ON u (a);\nCREATE INDEX j ON v (a);",
	            false, "require-concurrent-index-creation@2:19 lock-held-across-statements@2:1 "
	            "require-concurrent-index-creation@3:19 lock-held-across-statements@3:1");
	expect_body("ALTER TABLE t ADD COLUMN a int;\nUPDATE u SET a = 1;\nUPDATE v SET a = 1;", false,
	            "unbatched-backfill@2:1 lock-held-across-statements@2:1 unbatched-backfill@3:1");
	/* a comment above the statement is not where it is */
	expect_body("SELECT 1;\n-- why\nUPDATE t SET a = 1;", false, "unbatched-backfill@3:1");
	/* no lock held across a no-transaction statement, nor a weak one */
	expect_body("ALTER TABLE t ADD COLUMN a int;\nCREATE INDEX CONCURRENTLY i ON t (a);", true,
	            "prefer-robust-stmts@1:1 prefer-robust-stmts@2:1");
	expect_body("INSERT INTO t VALUES (1);\nUPDATE t SET a = 1 WHERE b;\nANALYZE t;", false, "");
}

static void test_lint__created_in_body(void **state)
{
	(void)state;
	/* hazards on a table the step creates are moot: it is empty and unseen */
	expect_body("CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);\n"
	            "ALTER TABLE t ADD CONSTRAINT c CHECK (id > 0);", false, "");
	expect_body("CREATE TABLE t (id int);\nCREATE INDEX i ON u (id);", false,
	            "require-concurrent-index-creation@2:19");
}

static void test_lint__no_transaction(void **state)
{
	(void)state;
	expect_body("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"
	            "DROP INDEX CONCURRENTLY IF EXISTS j", true, "");
	expect_body("CREATE INDEX CONCURRENTLY i ON t (a)", true, "prefer-robust-stmts@1:1");
	expect_body("CREATE INDEX CONCURRENTLY i ON t (a)", false,
	            "ban-concurrent-index-creation-in-transaction@1:1");
}

static void test_lint__ignore(void **state)
{
	(void)state;
	expect_body("-- retort:lint-ignore ban-drop-column\nALTER TABLE t DROP COLUMN a;\n"
	            "ALTER TABLE t DROP COLUMN b; -- retort:lint-ignore renaming-table, ban-drop-column\n"
	            "ALTER TABLE t DROP COLUMN c;\n"
	            "ALTER TABLE t DROP COLUMN d; -- retort: lint-ignore all\n"
	            "ALTER TABLE t DROP COLUMN e; -- lint-ignore ban-drop-column",
	            false, "ban-drop-column@4:1 ban-drop-column@6:1");
}

static void test_lint__rules_table(void **state)
{
	(void)state;
	size_t n;
	const rt_lint_rule *r = rt_lint_rules(&n);
	assert_true(n >= 20);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(rt_lint_rule_find(r[i].id), &r[i]);
		assert_true(r[i].severity == RT_LINT_WARNING || r[i].severity == RT_LINT_ERROR);
	}
	assert_null(rt_lint_rule_find("prefer-text-field"));
	assert_string_equal(rt_lockmode_name(RT_LOCK_SHARE_ROW_EXCLUSIVE), "SHARE ROW EXCLUSIVE");
}

static void test_lint__syntax_error(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const rt_source *src = rt_source_from_mem(a, "t.sql", "ALTER TABLE t ADD COLUMN", 24);
	rt_stmt *s = rt_stmt_verbatim(a, src, 0, 24);
	rt_lint_facts f;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_lint_facts_of(&f, a, s, NULL, &err), RT_ESYNTAX);
	assert_string_equal(err.loc.path, "t.sql");
	rt_error_clear(&err);
	rt_arena_free(a);
}

static int teardown(void **state)
{
	(void)state;
	rt_sql_shutdown();
	return 0;
}

/* The static locks beside what pg_locks showed before and after a statement. */
static void test_lint__trace_compare(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_lint_facts f = { .kind = "CREATE INDEX", .nlocks = 2, .created = "ix",
	                    .locks = { { "t", RT_LOCK_SHARE }, { "gone", AE } } };
	const char *names[RT_LINT_MAX_LOCKS + 1];
	assert_int_equal(rt_lint_trace_names(&f, names), 3);
	assert_string_equal(names[2], "ix");
	unsigned oids_before[] = { 10, 0, 0 }, oids_after[] = { 10, 0, 12 };
	rt_db_held_lock none[] = { { 0 } };
	rt_db_held before = { none, 0, oids_before };
	/* took exactly SHARE on t; the new index and its own lock, the index of another
	 * table and a table the analysis does not name */
	rt_db_held_lock took[] = {
		{ 10, "t", 'r', "ShareLock" }, { 12, "ix", 'i', "AccessExclusiveLock" },
		{ 13, "u_pkey", 'i', "AccessShareLock" }, { 11, "u", 'r', "AccessShareLock" },
		{ 11, "u", 'r', "RowShareLock" },
	};
	rt_db_held after = { took, 5, oids_after };
	rt_lint_trace tr;
	rt_lint_trace_compare(&tr, a, &f, &before, &after);
	assert_int_equal(tr.n, 2); /* "gone" exists neither before nor after: left out */
	assert_string_equal(tr.v[0].relation, "t");
	assert_int_equal(tr.v[0].observed, RT_LOCK_SHARE);
	assert_false(tr.v[0].differs);
	assert_string_equal(tr.v[1].relation, "u");
	assert_int_equal(tr.v[1].expected, RT_LOCK_NONE);
	assert_int_equal(tr.v[1].observed, RT_LOCK_ROW_SHARE);
	assert_true(tr.v[1].differs);
	assert_int_equal(tr.differences, 1);

	/* SHARE held already: nothing new, agrees; a stronger mode taken: differs */
	rt_db_held_lock had[] = { { 10, "t", 'r', "ShareLock" } };
	before = (rt_db_held){ had, 1, oids_before };
	after = (rt_db_held){ had, 1, oids_after };
	rt_lint_trace_compare(&tr, a, &f, &before, &after);
	assert_int_equal(tr.n, 1);
	assert_int_equal(tr.v[0].observed, RT_LOCK_NONE);
	assert_false(tr.v[0].differs);
	rt_db_held_lock stronger[] = { { 10, "t", 'r', "ShareLock" },
	                               { 10, "t", 'r', "AccessExclusiveLock" } };
	after = (rt_db_held){ stronger, 2, oids_after };
	rt_lint_trace_compare(&tr, a, &f, &before, &after);
	assert_int_equal(tr.v[0].observed, AE);
	assert_true(tr.v[0].differs);
	/* weaker than the static lock, and not held before */
	before = (rt_db_held){ none, 0, oids_before };
	rt_db_held_lock weaker[] = { { 10, "t", 'r', "AccessShareLock" } };
	after = (rt_db_held){ weaker, 1, oids_after };
	rt_lint_trace_compare(&tr, a, &f, &before, &after);
	assert_int_equal(tr.v[0].observed, RT_LOCK_ACCESS_SHARE);
	assert_true(tr.v[0].differs);
	assert_int_equal(rt_lockmode_from_pg("ShareUpdateExclusiveLock"), SUE);
	assert_int_equal(rt_lockmode_from_pg("SIReadLock"), RT_LOCK_NONE);
	rt_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lint__facts),
		cmocka_unit_test(test_lint__lock_held_across_statements),
		cmocka_unit_test(test_lint__created_in_body),
		cmocka_unit_test(test_lint__no_transaction),
		cmocka_unit_test(test_lint__ignore),
		cmocka_unit_test(test_lint__rules_table),
		cmocka_unit_test(test_lint__syntax_error),
		cmocka_unit_test(test_lint__trace_compare),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
