/* Unit tests for src/db that need no server: identifier and literal quoting,
 * scrubbing passwords from libpq messages, version/history statements as text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "retort/db.h"
#include "retort/ident.h"
#include "db/db_int.h"

static const char *quoted(rt_buf *b, const char *name)
{
	rt_buf_truncate(b, 0);
	rt_ident_append(b, name);
	return rt_buf_cstr(b);
}

static void test_db__ident_quoting_follows_sqlalchemy(void **state)
{
	(void)state;
	rt_buf b = RT_BUF_INIT;
	assert_string_equal(quoted(&b, "alembic_version"), "alembic_version");
	assert_string_equal(quoted(&b, "v$1"), "v$1");
	/* reserved words, first and last of the list and a mid one; case-folded */
	assert_string_equal(quoted(&b, "all"), "\"all\"");
	assert_string_equal(quoted(&b, "with"), "\"with\"");
	assert_string_equal(quoted(&b, "user"), "\"user\"");
	assert_string_equal(quoted(&b, "User"), "\"User\"");
	/* not reserved for SQLAlchemy although PostgreSQL keywords */
	assert_string_equal(quoted(&b, "version"), "version");
	assert_string_equal(quoted(&b, "schema"), "schema");
	assert_string_equal(quoted(&b, "MyVersions"), "\"MyVersions\"");
	assert_string_equal(quoted(&b, "1st"), "\"1st\"");
	assert_string_equal(quoted(&b, "$x"), "\"$x\"");
	assert_string_equal(quoted(&b, "a-b"), "\"a-b\"");
	assert_string_equal(quoted(&b, "a b"), "\"a b\"");
	assert_string_equal(quoted(&b, "caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	assert_string_equal(quoted(&b, "say\"hi"), "\"say\"\"hi\"");
	assert_string_equal(quoted(&b, ""), "\"\"");
	rt_buf_truncate(&b, 0);
	rt_ident_append_qualified(&b, "Meta", "t");
	assert_string_equal(b.ptr, "\"Meta\".t");
	rt_buf_truncate(&b, 0);
	rt_ident_append_literal(&b, "it's \\n");
	assert_string_equal(b.ptr, "'it''s \\n'");
	rt_buf_release(&b);
}

static void test_db__scrub_hides_secrets_in_libpq_messages(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_strv secrets = { 0 };
	rt_strv_push(a, &secrets, "hunter2");
	rt_strv_push(a, &secrets, "");
	assert_string_equal(db_scrub(a, "bad \"hunter2\" near hunter2", &secrets),
	                    "bad \"***\" near ***");
	assert_string_equal(db_scrub(a, "nothing here", &secrets), "nothing here");
	assert_string_equal(db_scrub_quoted(a, "invalid percent-encoded token: \"p%zz\""),
	                    "invalid percent-encoded token: \"***\"");
	assert_string_equal(db_scrub_quoted(a, "missing \"=\" after \"pw\" in string"),
	                    "missing \"***\" after \"***\" in string");
	assert_string_equal(db_scrub_quoted(a, "unterminated \"quote"), "unterminated \"quote");
	rt_arena_free(a);
}

static const char *render_create(rt_buf *b, const rt_vtable *vt)
{
	rt_buf_truncate(b, 0);
	rt_vtable_render_create(b, vt);
	return b->ptr;
}

/* Expected texts are Alembic 1.8.1's offline output (alembic-lab outputs/09). */
static void test_db__vtable_ddl_matches_alembic(void **state)
{
	(void)state;
	rt_buf b = RT_BUF_INIT;
	rt_vtable def = { 0 };
	assert_string_equal(render_create(&b, &def),
		"CREATE TABLE alembic_version (\n"
		"    version_num VARCHAR(32) NOT NULL, \n"
		"    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
		")");
	rt_vtable meta = { .schema = "meta", .name = "my_versions" };
	assert_string_equal(render_create(&b, &meta),
		"CREATE TABLE meta.my_versions (\n"
		"    version_num VARCHAR(32) NOT NULL, \n"
		"    CONSTRAINT my_versions_pkc PRIMARY KEY (version_num)\n"
		")");
	rt_vtable mixed = { .name = "MyVersions" };
	assert_string_equal(render_create(&b, &mixed),
		"CREATE TABLE \"MyVersions\" (\n"
		"    version_num VARCHAR(32) NOT NULL, \n"
		"    CONSTRAINT \"MyVersions_pkc\" PRIMARY KEY (version_num)\n"
		")");
	rt_vtable nopk = { .no_pk = true };
	assert_string_equal(render_create(&b, &nopk),
		"CREATE TABLE alembic_version (\n"
		"    version_num VARCHAR(32) NOT NULL\n"
		")");
	/* reserved table name: the table is quoted, the constraint name is not */
	rt_vtable user = { .name = "user" };
	assert_string_equal(render_create(&b, &user),
		"CREATE TABLE \"user\" (\n"
		"    version_num VARCHAR(32) NOT NULL, \n"
		"    CONSTRAINT user_pkc PRIMARY KEY (version_num)\n"
		")");
	rt_buf_release(&b);
}

static void test_db__vtable_row_statements_match_alembic(void **state)
{
	(void)state;
	rt_buf b = RT_BUF_INIT;
	rt_vtable def = { 0 };
	rt_vtable_render_insert(&b, &def, "aaaa1111");
	assert_string_equal(b.ptr, "INSERT INTO alembic_version (version_num) VALUES ('aaaa1111') "
	                           "RETURNING alembic_version.version_num");
	rt_buf_truncate(&b, 0);
	rt_vtable_render_update(&b, &def, "aaaa1111", "bbbb2222");
	assert_string_equal(b.ptr, "UPDATE alembic_version SET version_num='bbbb2222' "
	                           "WHERE alembic_version.version_num = 'aaaa1111'");
	rt_buf_truncate(&b, 0);
	rt_vtable_render_delete(&b, &def, "aaaa1111");
	assert_string_equal(b.ptr, "DELETE FROM alembic_version "
	                           "WHERE alembic_version.version_num = 'aaaa1111'");
	rt_buf_truncate(&b, 0);
	rt_vtable_render_delete_all(&b, &def);
	assert_string_equal(b.ptr, "DELETE FROM alembic_version");

	rt_vtable meta = { .schema = "meta", .name = "my_versions" };
	rt_buf_truncate(&b, 0);
	rt_vtable_render_insert(&b, &meta, "aaaa1111");
	assert_string_equal(b.ptr, "INSERT INTO meta.my_versions (version_num) VALUES ('aaaa1111') "
	                           "RETURNING meta.my_versions.version_num");
	rt_buf_truncate(&b, 0);
	rt_vtable_render_update(&b, &meta, "aaaa1111", "bbbb2222");
	assert_string_equal(b.ptr, "UPDATE meta.my_versions SET version_num='bbbb2222' "
	                           "WHERE meta.my_versions.version_num = 'aaaa1111'");
	rt_vtable mixed = { .name = "MyVersions" };
	rt_buf_truncate(&b, 0);
	rt_vtable_render_insert(&b, &mixed, "aaaa1111");
	assert_string_equal(b.ptr, "INSERT INTO \"MyVersions\" (version_num) VALUES ('aaaa1111') "
	                           "RETURNING \"MyVersions\".version_num");
	rt_vtable nopk = { .no_pk = true };
	rt_buf_truncate(&b, 0);
	rt_vtable_render_insert(&b, &nopk, "aaaa1111");
	assert_string_equal(b.ptr, "INSERT INTO alembic_version (version_num) VALUES ('aaaa1111')");
	/* a quote in an id cannot break out of the literal */
	rt_buf_truncate(&b, 0);
	rt_vtable_render_delete(&b, &def, "x'; DROP TABLE t; --");
	assert_string_equal(b.ptr, "DELETE FROM alembic_version "
	                           "WHERE alembic_version.version_num = 'x''; DROP TABLE t; --'");
	rt_buf_release(&b);
}

static void test_db__history_ddl_is_qualified_and_idempotent(void **state)
{
	(void)state;
	rt_buf b = RT_BUF_INIT;
	rt_history h = { .schema = "Ops" };
	rt_history_render_create(&b, &h);
	assert_true(strncmp(b.ptr, "CREATE TABLE IF NOT EXISTS \"Ops\".retort_history (\n",
	                    strlen("CREATE TABLE IF NOT EXISTS \"Ops\".retort_history (\n")) == 0);
	assert_non_null(strstr(b.ptr, "'upgrade', 'downgrade', 'stamp', 'repair'"));
	assert_non_null(strstr(b.ptr, "checksum CHAR(64),"));
	rt_buf_release(&b);
}

static void test_db__history_checksum_lookup(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_history_sums sums = { .table_exists = true };
	rt_strv_push(a, &sums.revisions, "aaaa1111");
	rt_strv_push(a, &sums.checksums, "ab12");
	rt_strv_push(a, &sums.revisions, "bbbb2222");
	rt_strv_push(a, &sums.checksums, NULL);
	const char *sum = "unset";
	assert_true(rt_history_checksum_of(&sums, "aaaa1111", &sum));
	assert_string_equal(sum, "ab12");
	assert_true(rt_history_checksum_of(&sums, "bbbb2222", &sum));
	assert_null(sum);
	assert_false(rt_history_checksum_of(&sums, "cccc3333", &sum));
	rt_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db__ident_quoting_follows_sqlalchemy),
		cmocka_unit_test(test_db__scrub_hides_secrets_in_libpq_messages),
		cmocka_unit_test(test_db__vtable_ddl_matches_alembic),
		cmocka_unit_test(test_db__vtable_row_statements_match_alembic),
		cmocka_unit_test(test_db__history_ddl_is_qualified_and_idempotent),
		cmocka_unit_test(test_db__history_checksum_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
