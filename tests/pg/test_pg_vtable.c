/*
 * The version table and the history table against a real server: the
 * catalog entries of our DDL against those real Alembic creates, Alembic's
 * has_table semantics, row statements and the exactly-one-row guard, quoted
 * and schema-qualified names, history rows and a missing history table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pgtest.h"

#define PYTHON "/usr/bin/python3"

/* Columns, constraints, indexes and kind of schema.table, one sorted line. */
static const char *describe(pgt *t, const char *schema, const char *table)
{
	const char *rel = rt_sprintf(t->arena, "to_regclass(format('%%I.%%I', '%s', '%s'))",
	                             schema, table);
	const char *sql = rt_sprintf(t->arena,
		"SELECT string_agg(x, '; ' ORDER BY x) FROM ("
		" SELECT 'column ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ||"
		"  CASE WHEN a.attnotnull THEN ' not null' ELSE ' null' END ||"
		"  coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') AS x"
		" FROM pg_attribute a LEFT JOIN pg_attrdef d"
		"  ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
		" WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped"
		" UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid)"
		" FROM pg_constraint WHERE conrelid = %s"
		" UNION ALL SELECT 'index ' || c.relname ||"
		"  CASE WHEN i.indisunique THEN ' unique' ELSE '' END ||"
		"  CASE WHEN i.indisprimary THEN ' primary' ELSE '' END"
		" FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s"
		" UNION ALL SELECT 'kind ' || relkind::text || relpersistence::text FROM pg_class WHERE oid = %s"
		") s", rel, rel, rel, rel);
	const char *d = pgt_sql(t, t->db, sql);
	assert_non_null(d);
	return d;
}

/* Runs real Alembic on tests/pg/alembic against the case's database. */
static int alembic(pgt *t, rt_buf *out, const char *const *xargs, const char *const *cmd)
{
	const char *dir = getenv("RETORT_TEST_ALEMBIC_DIR");
	if (!dir)
		pgt_skip_or_fail("RETORT_TEST_ALEMBIC_DIR is not set");
	if (strncmp(t->url, "postgresql://", 13) != 0)
		pgt_skip_or_fail("Alembic needs RETORT_TEST_URL");
	const char *check[] = { PYTHON, "-c", "import alembic, psycopg2", NULL };
	if (access(PYTHON, X_OK) != 0 || pgt_run(check, NULL) != 0)
		pgt_skip_or_fail("python3-alembic and python3-psycopg2 are needed");
	setenv("PYTHONDONTWRITEBYTECODE", "1", 1); /* keep the source tree clean */
	const char *argv[32];
	size_t n = 0;
	argv[n++] = PYTHON;
	argv[n++] = "-m";
	argv[n++] = "alembic";
	argv[n++] = "-c";
	argv[n++] = rt_sprintf(t->arena, "%s/alembic.ini", dir);
	argv[n++] = "-x";
	argv[n++] = rt_sprintf(t->arena, "url=postgresql+psycopg2%s", t->url + 10);
	for (; xargs && *xargs; xargs++) {
		argv[n++] = "-x";
		argv[n++] = *xargs;
	}
	for (; *cmd; cmd++)
		argv[n++] = *cmd;
	argv[n] = NULL;
	return pgt_run(argv, out);
}

static void alembic_ok(pgt *t, const char *const *xargs, const char *const *cmd)
{
	rt_buf out = RT_BUF_INIT;
	int rc = alembic(t, &out, xargs, cmd);
	if (rc != 0)
		fail_msg("alembic failed (%d): %s", rc, rt_buf_cstr(&out));
	rt_buf_release(&out);
}

static void test_pg_vtable__ddl_identical_to_alembic(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	static const char *const stamp[] = { "stamp", "head", NULL };
	struct {
		const char *alembic_schema, *our_schema, *table;
		bool no_pk;
		const char *xargs[4];
		const char *expect;
	} cases[] = {
		{ "a_def", "b_def", "alembic_version", false, { "vts=a_def", NULL },
		  "column version_num character varying(32) not null; "
		  "constraint alembic_version_pkc PRIMARY KEY (version_num); "
		  "index alembic_version_pkc unique primary; kind rp" },
		{ "a_nopk", "b_nopk", "alembic_version", true, { "vts=a_nopk", "vtpk=0", NULL },
		  "column version_num character varying(32) not null; kind rp" },
		{ "a_mixed", "b_mixed", "MyVersions", false, { "vts=a_mixed", "vt=MyVersions", NULL },
		  "column version_num character varying(32) not null; "
		  "constraint MyVersions_pkc PRIMARY KEY (version_num); "
		  "index MyVersions_pkc unique primary; kind rp" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pgt_sql(t, t->db, rt_sprintf(t->arena, "CREATE SCHEMA %s; CREATE SCHEMA %s",
		                             cases[i].alembic_schema, cases[i].our_schema));
		alembic_ok(t, cases[i].xargs, stamp);
		rt_vtable ours = { .schema = cases[i].our_schema, .name = cases[i].table,
		                   .no_pk = cases[i].no_pk };
		assert_int_equal(rt_vtable_create(t->db, &ours, &err), RT_OK);
		const char *theirs = describe(t, cases[i].alembic_schema, cases[i].table);
		assert_string_equal(describe(t, cases[i].our_schema, cases[i].table), theirs);
		assert_string_equal(theirs, cases[i].expect);

		/* we read the row Alembic wrote */
		rt_vtable alembics = { .schema = cases[i].alembic_schema, .name = cases[i].table };
		rt_strv rows = { 0 };
		assert_int_equal(rt_vtable_read(t->db, t->arena, &alembics, &rows, &err), RT_OK);
		assert_int_equal(rows.n, 1);
		assert_string_equal(rows.v[0], "cccc3333");
	}

	/* and Alembic reads the row we wrote, in the search_path table */
	rt_vtable def = { 0 };
	assert_int_equal(rt_vtable_create(t->db, &def, &err), RT_OK);
	assert_int_equal(rt_vtable_insert(t->db, &def, "bbbb2222", &err), RT_OK);
	static const char *const current[] = { "current", NULL };
	rt_buf out = RT_BUF_INIT;
	assert_int_equal(alembic(t, &out, NULL, current), 0);
	assert_non_null(strstr(rt_buf_cstr(&out), "bbbb2222"));
	rt_buf_release(&out);
	rt_error_clear(&err);
}

static void test_pg_vtable__exists_follows_alembic(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	bool exists = true;
	rt_vtable def = { 0 };
	rt_vtable in_s1 = { .schema = "s1" };
	assert_int_equal(rt_vtable_exists(t->db, &def, &exists, &err), RT_OK);
	assert_false(exists);
	rt_strv rows = { 0 };
	assert_int_equal(rt_vtable_read(t->db, t->arena, &def, &rows, &err), RT_OK);
	assert_int_equal(rows.n, 0); /* no table = base */

	pgt_sql(t, t->db, "CREATE SCHEMA s1");
	assert_int_equal(rt_vtable_create(t->db, &in_s1, &err), RT_OK);
	assert_int_equal(rt_vtable_exists(t->db, &in_s1, &exists, &err), RT_OK);
	assert_true(exists);
	/* not on search_path: invisible without a schema */
	assert_int_equal(rt_vtable_exists(t->db, &def, &exists, &err), RT_OK);
	assert_false(exists);
	pgt_sql(t, t->db, "SET search_path = s1");
	assert_int_equal(rt_vtable_exists(t->db, &def, &exists, &err), RT_OK);
	assert_true(exists);
	/* the unqualified table now resolves to s1's */
	assert_int_equal(rt_vtable_insert(t->db, &def, "aaaa1111", &err), RT_OK);
	assert_string_equal(pgt_sql(t, t->db, "SELECT version_num FROM s1.alembic_version"),
	                    "aaaa1111");
	/* creating it twice fails with the server's error */
	assert_int_equal(rt_vtable_create(t->db, &in_s1, &err), RT_EDB);
	assert_string_equal(err.sqlstate, "42P07");
	rt_error_clear(&err);
}

static void assert_rows(pgt *t, const rt_vtable *vt, const char *expect)
{
	rt_error err = RT_ERROR_INIT;
	rt_strv rows = { 0 };
	assert_int_equal(rt_vtable_read(t->db, t->arena, vt, &rows, &err), RT_OK);
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < rows.n; i++)
		rt_buf_printf(&b, "%s%s", i ? "," : "", rows.v[i]);
	assert_string_equal(rt_buf_cstr(&b), expect);
	rt_buf_release(&b);
}

static void test_pg_vtable__row_statements_and_the_one_row_guard(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	rt_vtable vt = { 0 };
	assert_int_equal(rt_vtable_create(t->db, &vt, &err), RT_OK);
	assert_int_equal(rt_vtable_insert(t->db, &vt, "aaaa1111", &err), RT_OK);
	assert_int_equal(rt_vtable_update(t->db, &vt, "aaaa1111", "bbbb2222", &err), RT_OK);
	assert_rows(t, &vt, "bbbb2222");
	assert_int_equal(rt_vtable_insert(t->db, &vt, "c1000001", &err), RT_OK);
	assert_int_equal(rt_vtable_delete(t->db, &vt, "bbbb2222", &err), RT_OK);
	assert_rows(t, &vt, "c1000001");

	/* a row that is not there: Alembic's guard, with the rows found */
	assert_int_equal(rt_vtable_update(t->db, &vt, "bbbb2222", "cccc3333", &err), RT_EDRIFT);
	assert_string_equal(err.message, "expected to update one row from 'bbbb2222' to "
	                                 "'cccc3333' in 'alembic_version'; 0 found");
	assert_string_equal(err.detail, "rows now: 'c1000001'");
	assert_non_null(strstr(err.hint, "another tool"));
	assert_int_equal(rt_vtable_delete(t->db, &vt, "bbbb2222", &err), RT_EDRIFT);
	assert_string_equal(err.message, "expected to delete one row 'bbbb2222' in "
	                                 "'alembic_version'; 0 found");
	/* the PK keeps duplicates out */
	assert_int_equal(rt_vtable_insert(t->db, &vt, "c1000001", &err), RT_EDB);
	assert_string_equal(err.sqlstate, "23505");
	/* a quote in an id is data, not SQL */
	assert_int_equal(rt_vtable_insert(t->db, &vt, "it's", &err), RT_OK);
	assert_int_equal(rt_vtable_delete(t->db, &vt, "it's", &err), RT_OK);
	/* too long for VARCHAR(32), as under Alembic */
	assert_int_equal(rt_vtable_insert(t->db, &vt, "0123456789abcdef0123456789abcdef0", &err),
	                 RT_EDB);
	assert_string_equal(err.sqlstate, "22001");
	assert_int_equal(rt_vtable_delete_all(t->db, &vt, &err), RT_OK);
	assert_rows(t, &vt, "");

	/* without a PK two equal rows make an update touch two: refused */
	rt_vtable nopk = { .name = "nopk_versions", .no_pk = true };
	assert_int_equal(rt_vtable_create(t->db, &nopk, &err), RT_OK);
	assert_int_equal(rt_vtable_insert(t->db, &nopk, "aaaa1111", &err), RT_OK);
	assert_int_equal(rt_vtable_insert(t->db, &nopk, "aaaa1111", &err), RT_OK);
	assert_int_equal(rt_db_begin(t->db, &err), RT_OK);
	assert_int_equal(rt_vtable_update(t->db, &nopk, "aaaa1111", "bbbb2222", &err), RT_EDRIFT);
	assert_non_null(strstr(err.message, "; 2 found"));
	assert_string_equal(err.detail, "rows now: 'bbbb2222', 'bbbb2222'");
	assert_int_equal(rt_db_rollback(t->db, &err), RT_OK);
	assert_rows(t, &nopk, "aaaa1111,aaaa1111");
	rt_error_clear(&err);
}

static void test_pg_vtable__quoted_and_qualified_names(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	pgt_sql(t, t->db, "CREATE SCHEMA \"Deploy Meta\"");
	rt_vtable vt = { .schema = "Deploy Meta", .name = "user" };
	assert_int_equal(rt_vtable_create(t->db, &vt, &err), RT_OK);
	assert_int_equal(rt_vtable_insert(t->db, &vt, "aaaa1111", &err), RT_OK);
	assert_int_equal(rt_vtable_update(t->db, &vt, "aaaa1111", "bbbb2222", &err), RT_OK);
	assert_rows(t, &vt, "bbbb2222");
	assert_string_equal(describe(t, "Deploy Meta", "user"),
		"column version_num character varying(32) not null; "
		"constraint user_pkc PRIMARY KEY (version_num); "
		"index user_pkc unique primary; kind rp");
	bool exists = false;
	assert_int_equal(rt_vtable_exists(t->db, &vt, &exists, &err), RT_OK);
	assert_true(exists);
	assert_int_equal(rt_vtable_delete(t->db, &vt, "aaaa1111", &err), RT_EDRIFT);
	assert_non_null(strstr(err.message, "in 'Deploy Meta.user'"));
	rt_error_clear(&err);
}

static void test_pg_vtable__history_rows_and_a_missing_table(void **state)
{
	pgt *t = *state;
	rt_error err = RT_ERROR_INIT;
	rt_history h = { 0 };
	rt_history_sums sums;
	/* a database Alembic migrated has no history: no checksum yet, no error */
	assert_int_equal(rt_history_checksums(t->db, t->arena, &h, &sums, &err), RT_OK);
	assert_false(sums.table_exists);
	const char *sum = NULL;
	assert_false(rt_history_checksum_of(&sums, "aaaa1111", &sum));

	assert_int_equal(rt_history_ensure(t->db, &h, &err), RT_OK);
	assert_int_equal(rt_history_ensure(t->db, &h, &err), RT_OK); /* idempotent */
	const char *s1 = "1111111111111111111111111111111111111111111111111111111111111111";
	const char *s2 = "2222222222222222222222222222222222222222222222222222222222222222";
	rt_history_row rows[] = {
		{ "aaaa1111", "upgrade", s1, "first", 1500 },
		{ "bbbb2222", "upgrade", NULL, NULL, 3 },
		{ "bbbb2222", "downgrade", s2, NULL, 2 },
		{ "aaaa1111", "repair", s2, "first", 0 },
		{ "cccc3333", "upgrade", s1, NULL, 1 },
		{ "cccc3333", "downgrade", s1, NULL, 1 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(rt_history_insert(t->db, &h, &rows[i], &err), RT_OK);
	assert_int_equal(rt_history_checksums(t->db, t->arena, &h, &sums, &err), RT_OK);
	assert_true(sums.table_exists);
	assert_true(rt_history_checksum_of(&sums, "aaaa1111", &sum));
	assert_string_equal(sum, s2); /* the latest, the repair */
	assert_true(rt_history_checksum_of(&sums, "bbbb2222", &sum));
	assert_null(sum); /* applied, recorded without a checksum */
	assert_true(rt_history_checksum_of(&sums, "cccc3333", &sum)); /* the upgrade's */
	assert_string_equal(sum, s1);

	/* the columns filled by the server */
	assert_string_equal(pgt_sql(t, t->db,
		"SELECT db_user || ' ' || client_host || ' ' || application_name || ' ' || "
		"retort_version || ' ' || duration_ms || ' ' || "
		"(started_at <= clock_timestamp() - interval '1500 ms') "
		"FROM retort_history ORDER BY id LIMIT 1"),
		"postgres 127.0.0.1 retort " RT_VERSION " 1500 true");
	rt_history_row bad = { "aaaa1111", "sideways", NULL, NULL, 0 };
	assert_int_equal(rt_history_insert(t->db, &h, &bad, &err), RT_EDB);
	assert_string_equal(err.sqlstate, "23514");

	/* beside a schema-qualified version table */
	pgt_sql(t, t->db, "CREATE SCHEMA meta");
	rt_history hm = { .schema = "meta", .name = "deploys" };
	assert_int_equal(rt_history_ensure(t->db, &hm, &err), RT_OK);
	assert_int_equal(rt_history_insert(t->db, &hm, &rows[0], &err), RT_OK);
	assert_int_equal(rt_history_checksums(t->db, t->arena, &hm, &sums, &err), RT_OK);
	assert_int_equal(sums.revisions.n, 1);
	assert_string_equal(pgt_sql(t, t->db, "SELECT count(*) FROM meta.deploys"), "1");
	rt_error_clear(&err);
}

int main(void)
{
	int env = pgt_check_env();
	if (env)
		return env;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pg_vtable__ddl_identical_to_alembic,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_vtable__exists_follows_alembic,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_vtable__row_statements_and_the_one_row_guard,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_vtable__quoted_and_qualified_names,
		                                pgt_setup, pgt_teardown),
		cmocka_unit_test_setup_teardown(test_pg_vtable__history_rows_and_a_missing_table,
		                                pgt_setup, pgt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
