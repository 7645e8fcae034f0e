/*
 * Unit tests for src/config: precedence, retort.yaml, alembic.ini with
 * ConfigParser semantics, Alembic's separator rules, the environment (always
 * injected, never the real one), flags, and URL masking. Fixtures live in
 * tests/fixtures/config (FIXTURES).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "retort/config.h"
#include "retort/source.h"

#define FIX FIXTURES

/* An injected environment: NULL-terminated name, value pairs. */
static const char *fake_getenv(const char *name, void *ctx)
{
	for (const char *const *p = ctx; p && *p; p += 2)
		if (strcmp(p[0], name) == 0)
			return p[1];
	return NULL;
}

static const char *no_env[] = { NULL };

static int load(rt_arena *a, rt_config **cfg, const rt_config_overrides *ov,
                const char **env, const char *cwd, rt_error *err)
{
	return rt_config_load(cfg, a, ov, fake_getenv, (void *)env, cwd, err);
}

static rt_config *load_ok(rt_arena *a, const rt_config_overrides *ov, const char **env,
                          const char *cwd)
{
	rt_error err = RT_ERROR_INIT;
	rt_config *cfg = NULL;
	int rc = load(a, &cfg, ov, env, cwd, &err);
	if (rc != RT_OK)
		fail_msg("rt_config_load: %d %s", rc, err.message ? err.message : "");
	rt_error_clear(&err);
	return cfg;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void test_config__defaults_without_files(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_config *cfg = load_ok(a, NULL, no_env, FIX "/no_config");
	assert_null(cfg->config_path);
	assert_null(cfg->ini_path);
	assert_null(cfg->database_url);
	assert_null(cfg->database_url_origin);
	assert_string_equal(cfg->script_location, FIX "/no_config/migrations");
	assert_int_equal(cfg->version_locations.n, 1);
	assert_string_equal(cfg->version_locations.v[0], FIX "/no_config/migrations/versions");
	assert_string_equal(cfg->version_table, "alembic_version");
	assert_null(cfg->version_table_schema);
	assert_true(cfg->version_table_pk);
	assert_string_equal(cfg->history_table, "retort_history");
	assert_int_equal(cfg->transaction, RT_TX_PER_MIGRATION);
	assert_true(cfg->lock_timeout < 0);
	assert_true(cfg->wait == 0);
	assert_true(cfg->statement_lock_timeout == 0);
	assert_int_equal(cfg->format, RT_FORMAT_TEXT);
	assert_int_equal(cfg->verbosity, 0);
	assert_string_equal(cfg->file_template, "%(rev)s_%(slug)s");
	assert_int_equal(cfg->truncate_slug_length, 40);
	assert_null(rt_config_key_origin(cfg, "script_location"));

	rt_config *d = rt_config_new_default(a);
	assert_string_equal(d->script_location, "migrations");
	assert_string_equal(d->version_locations.v[0], "migrations/versions");
	rt_arena_free(a);
}

static void test_config__precedence_flag_env_yaml_ini(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *dir = FIX "/yaml_and_ini";

	/* yaml over ini for the URL; ini fills what the yaml leaves out */
	rt_config *cfg = load_ok(a, NULL, no_env, dir);
	assert_string_equal(cfg->config_path, FIX "/yaml_and_ini/retort.yaml");
	assert_string_equal(cfg->ini_path, FIX "/yaml_and_ini/alembic.ini");
	assert_string_equal(cfg->database_url, "postgresql://yaml_user:yaml_secret@yamlhost/yamldb");
	assert_string_equal(cfg->database_url_origin, FIX "/yaml_and_ini/retort.yaml:2");
	assert_string_equal(cfg->script_location, FIX "/yaml_and_ini/alembic");
	assert_string_equal(rt_config_key_origin(cfg, "script_location"),
	                    FIX "/yaml_and_ini/alembic.ini:2");
	assert_int_equal(cfg->version_locations.n, 2);
	assert_string_equal(cfg->version_locations.v[0], FIX "/yaml_and_ini/alembic/versions");
	assert_string_equal(cfg->version_locations.v[1], FIX "/yaml_and_ini/extra");
	assert_string_equal(cfg->version_table, "yaml_versions");
	assert_true(cfg->lock_timeout == 5);
	assert_string_equal(cfg->file_template, "%(year)d_%(rev)s_%(slug)s");
	assert_string_equal(cfg->timezone, "UTC");
	assert_true(cfg->recursive_version_locations);
	rt_loc loc = rt_config_key_loc(cfg, "lock_timeout");
	assert_int_equal(loc.line, 4);
	assert_int_equal(loc.col, 15);

	/* environment over yaml */
	const char *env1[] = { "DATABASE_URL", "postgresql://env@envhost/envdb", NULL };
	cfg = load_ok(a, NULL, env1, dir);
	assert_string_equal(cfg->database_url, "postgresql://env@envhost/envdb");
	assert_string_equal(cfg->database_url_origin, "DATABASE_URL");
	assert_null(rt_config_key_loc(cfg, "database").path);

	/* RETORT_DATABASE_URL over DATABASE_URL */
	const char *env2[] = { "DATABASE_URL", "postgresql://env@envhost/envdb",
		                     "RETORT_DATABASE_URL", "postgresql+psycopg2://r@rhost/rdb",
		                     NULL };
	cfg = load_ok(a, NULL, env2, dir);
	assert_string_equal(cfg->database_url, "postgresql://r@rhost/rdb");
	assert_string_equal(cfg->database_url_origin, "RETORT_DATABASE_URL");

	/* flags over everything */
	rt_config_overrides ov = { .database_url = "postgresql://flag@flaghost/flagdb",
		                   .version_table = "flag_versions",
		                   .lock_timeout = 12,
		                   .lock_timeout_set = true,
		                   .script_location = "elsewhere" };
	cfg = load_ok(a, &ov, env2, dir);
	assert_string_equal(cfg->database_url, "postgresql://flag@flaghost/flagdb");
	assert_string_equal(cfg->database_url_origin, "--database");
	assert_string_equal(cfg->version_table, "flag_versions");
	assert_string_equal(rt_config_key_origin(cfg, "version_table"), "--version-table");
	assert_true(cfg->lock_timeout == 12);
	assert_string_equal(cfg->script_location, FIX "/yaml_and_ini/elsewhere");
	/* the ini's version_locations still apply: keys are merged one by one */
	assert_string_equal(cfg->version_locations.v[0], FIX "/yaml_and_ini/alembic/versions");
	rt_arena_free(a);
}

static void test_config__alembic_ini_discovered_driver_dropped(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_config *cfg = load_ok(a, NULL, no_env, FIX "/ini_only");
	assert_string_equal(cfg->config_path, FIX "/ini_only/alembic.ini");
	assert_string_equal(cfg->ini_path, cfg->config_path);
	assert_string_equal(cfg->database_url, "postgresql://scott:tiger@localhost/test");
	assert_string_equal(cfg->database_url_origin, FIX "/ini_only/alembic.ini:5");
	assert_int_equal(rt_config_key_loc(cfg, "database").line, 5);
	assert_int_equal(rt_config_key_loc(cfg, "database").col, 18);
	assert_string_equal(cfg->script_location, FIX "/ini_only/alembic");
	assert_string_equal(cfg->version_locations.v[0], FIX "/ini_only/alembic/versions");
	/* Alembic compares with "true": "True" is false */
	assert_false(cfg->sourceless);
	assert_string_equal(rt_config_key_origin(cfg, "sourceless"), FIX "/ini_only/alembic.ini:6");
	rt_arena_free(a);
}

static void test_config__yaml_every_key_and_expansion(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *env[] = { "DB_URL", "postgresql+psycopg://u:pw@h/db", "TENANT_DIR",
		                    "tenants", NULL };
	rt_config_overrides ov = { .config_path = "full.yaml" };
	rt_config *cfg = load_ok(a, &ov, env, FIX);
	assert_string_equal(cfg->config_path, FIX "/full.yaml");
	assert_null(cfg->ini_path); /* alembic_ini: ~ */
	assert_string_equal(cfg->database_url, "postgresql://u:pw@h/db");
	assert_string_equal(cfg->script_location, FIX "/migrations");
	assert_int_equal(cfg->version_locations.n, 2);
	assert_string_equal(cfg->version_locations.v[0], FIX "/migrations/versions");
	assert_string_equal(cfg->version_locations.v[1], FIX "/tenants");
	assert_true(cfg->recursive_version_locations);
	assert_false(cfg->sourceless);
	assert_string_equal(cfg->version_table, "alembic_version_x");
	assert_string_equal(cfg->version_table_schema, "public");
	assert_false(cfg->version_table_pk);
	assert_string_equal(cfg->history_table, "retort_history");
	assert_int_equal(cfg->transaction, RT_TX_SINGLE);
	assert_true(cfg->lock_timeout == 300);
	assert_true(cfg->wait == 90);
	assert_true(cfg->statement_lock_timeout == 0.5);
	assert_true(cfg->allow_multiple_heads);
	assert_int_equal(cfg->format, RT_FORMAT_JSON);
	assert_int_equal(cfg->verbosity, 1);
	assert_int_equal(cfg->ntypes, 2);
	const rt_type_map_entry *t = rt_config_find_type(cfg, "app.types.Money");
	assert_non_null(t);
	assert_string_equal(t->sql, "numeric(12, 2)");
	assert_int_equal(t->loc.line, 20);
	assert_null(rt_config_find_type(cfg, "app.types"));
	assert_string_equal(cfg->file_template, "%(rev)s_%(slug)s");
	assert_int_equal(cfg->truncate_slug_length, 60);
	assert_string_equal(cfg->timezone, "Europe/Paris");
	assert_string_equal(cfg->bundle, FIX "/deploy/m.rtb");
	assert_int_equal(cfg->trust.n, 2);
	assert_string_equal(cfg->trust.v[1], FIX "/keys/ops.pub");
	assert_int_equal(cfg->targets.n, 2);
	assert_string_equal(cfg->targets.v[0], "postgresql://u:pw@h/tenant_a");
	assert_string_equal(cfg->targets.v[1], "host=h dbname=tenant_b");

	/* the default kicks in when TENANT_DIR is unset; DB_URL has none */
	const char *env2[] = { "DB_URL", "host=h dbname=d", "SUFFIX", "v2", NULL };
	cfg = load_ok(a, &ov, env2, FIX);
	assert_string_equal(cfg->version_locations.v[1], FIX "/migrations/tenants");
	assert_string_equal(cfg->version_table, "alembic_version_v2");
	assert_string_equal(cfg->database_url, "host=h dbname=d");
	rt_arena_free(a);
}

static void expect_error(const char *file, const char **env, int code, uint32_t line,
                         uint32_t col, const char *message, const char *hint)
{
	rt_arena *a = rt_arena_new();
	rt_error err = RT_ERROR_INIT;
	rt_config *cfg = (rt_config *)1;
	rt_config_overrides ov = { .config_path = file };
	int rc = load(a, &cfg, &ov, env, FIX, &err);
	if (rc != code)
		fail_msg("%s: code %d (want %d): %s", file, rc, code, err.message ? err.message : "");
	assert_null(cfg);
	assert_non_null(err.loc.path);
	assert_true(ends_with(err.loc.path, file));
	assert_int_equal(err.loc.line, line);
	if (col)
		assert_int_equal(err.loc.col, col);
	assert_string_equal(err.message, message);
	if (hint) {
		assert_non_null(err.hint);
		assert_string_equal(err.hint, hint);
	}
	rt_error_clear(&err);
	rt_arena_free(a);
}

static void test_config__yaml_errors_are_located(void **state)
{
	(void)state;
	expect_error("unknown_key.yaml", no_env, RT_ECONFIG, 3, 1,
	             "unknown key 'lock_timout'",
	             "did you mean 'lock_timeout'?");
	expect_error("bad_transaction.yaml", no_env, RT_ECONFIG, 2, 14,
	             "invalid value 'sometimes' for 'transaction'",
	             "accepted values: 'per-migration', 'single'");
	expect_error("bad_duration.yaml", no_env, RT_ECONFIG, 1, 15,
	             "invalid value '5 minutes' for 'lock_timeout'",
	             "accepted values: a number of seconds, or a duration such as 500ms, 5s, 2m, 1h");
	expect_error("long_table.yaml", no_env, RT_ECONFIG, 1, 16,
	             "'a_version_table_name_that_is_much_longer_than_postgres_allows_it_to_be' is "
	             "not a valid PostgreSQL name for 'version_table'",
	             "names are 1 to 63 bytes long");
	/* the ${ itself: "database: postgresql://app@" is 27 characters */
	expect_error("unset_var.yaml", no_env, RT_ECONFIG, 2, 28,
	             "'database' uses environment variable 'DB_HOST', which is not set",
	             "set DB_HOST, or give a default: ${DB_HOST:-value}");
	expect_error("mysql.yaml", no_env, RT_ECONFIG, 1, 11,
	             "the database URL from 'database' is not a PostgreSQL URL: "
	             "'mysql://root:***@localhost/app'", NULL);

	/* libyaml's problem_mark: the flow sequence is still open on line 3 */
	rt_arena *a = rt_arena_new();
	rt_error err = RT_ERROR_INIT;
	rt_config *cfg;
	rt_config_overrides ov = { .config_path = "bad_syntax.yaml" };
	assert_int_equal(load(a, &cfg, &ov, no_env, FIX, &err), RT_ESYNTAX);
	assert_int_equal(err.loc.line, 3);
	assert_int_equal(err.loc.col, 14);
	assert_string_equal(err.message, "invalid YAML: did not find expected ',' or ']'");
	assert_string_equal(err.detail, "while parsing a flow sequence at line 2");
	rt_error_clear(&err);

	/* with the variable set, the same file loads */
	const char *env[] = { "DB_HOST", "db.internal", NULL };
	ov.config_path = "unset_var.yaml";
	cfg = load_ok(a, &ov, env, FIX);
	assert_string_equal(cfg->database_url, "postgresql://app@db.internal/app");
	/* and when a flag or variable overrides 'database', it is not expanded at all */
	const char *env2[] = { "DATABASE_URL", "postgresql://e@h/db", NULL };
	cfg = load_ok(a, &ov, env2, FIX);
	assert_string_equal(cfg->database_url, "postgresql://e@h/db");
	ov.database_url = "postgresql://f@h/db";
	cfg = load_ok(a, &ov, no_env, FIX);
	assert_string_equal(cfg->database_url_origin, "--database");
	rt_arena_free(a);
}

/* retort.yaml text from memory through the private reader: parse, then apply. */
static int yaml_text(rt_arena *a, const char *text, rt_config **cfg, rt_error *err)
{
	const char *envv[] = { "SET", "v", NULL };
	struct cfg_env env = { fake_getenv, (void *)envv };
	rt_source *src = rt_source_from_mem(a, "r.yaml", text, strlen(text));
	yaml_cfg *y;
	*cfg = rt_config_new_default(a);
	int rc = cfg_yaml_parse(a, src, &y, err);
	return rc < 0 ? rc : cfg_yaml_apply(y, *cfg, &env, "/p", false, err);
}

static void yaml_fails(const char *text, int code, uint32_t line, uint32_t col,
                       const char *message, const char *hint)
{
	rt_arena *a = rt_arena_new();
	rt_error err = RT_ERROR_INIT;
	rt_config *cfg;
	int rc = yaml_text(a, text, &cfg, &err);
	if (rc != code)
		fail_msg("'%s': code %d (want %d) %s", text, rc, code, err.message ? err.message : "");
	assert_string_equal(err.message, message);
	assert_int_equal(err.loc.line, line);
	assert_int_equal(err.loc.col, col);
	if (hint)
		assert_string_equal(err.hint, hint);
	rt_error_clear(&err);
	rt_arena_free(a);
}

/* assume: values as YAML's core schema reads them; quoted is a string */
static void test_config__assume(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_error err = RT_ERROR_INIT;
	rt_config *cfg;
	int rc = yaml_text(a, "assume:\n  app.f: false\n  app.s.uri: ~\n  app.s.n: -12\n"
	                   "  app.s.q: 'true'\n  app.s.t: postgres://h/d\n  app.s.e: ${SET}\n"
	                   "  app.s.empty: ''\n  app.s.y: Yes\n  app.s.f: 1.5\n", &cfg, &err);
	assert_int_equal(rc, RT_OK);
	assert_int_equal(cfg->nassumes, 9);
	const rt_assume_entry *e = rt_config_find_assume(cfg, "app.f");
	assert_int_equal(e->kind, RT_ASSUME_BOOL);
	assert_int_equal(e->i, 0);
	assert_int_equal(e->loc.line, 2);
	assert_int_equal(e->loc.col, 3);
	assert_int_equal(rt_config_find_assume(cfg, "app.s.uri")->kind, RT_ASSUME_NONE);
	e = rt_config_find_assume(cfg, "app.s.n");
	assert_int_equal(e->kind, RT_ASSUME_INT);
	assert_int_equal(e->i, -12);
	e = rt_config_find_assume(cfg, "app.s.q");
	assert_int_equal(e->kind, RT_ASSUME_STR);
	assert_string_equal(e->str, "true");
	assert_string_equal(rt_config_find_assume(cfg, "app.s.t")->str, "postgres://h/d");
	assert_string_equal(rt_config_find_assume(cfg, "app.s.e")->str, "v");
	e = rt_config_find_assume(cfg, "app.s.empty");
	assert_int_equal(e->kind, RT_ASSUME_STR);
	assert_string_equal(e->str, "");
	assert_int_equal(rt_config_find_assume(cfg, "app.s.y")->kind, RT_ASSUME_BOOL);
	assert_string_equal(rt_config_find_assume(cfg, "app.s.f")->str, "1.5");
	assert_null(rt_config_find_assume(cfg, "app.s"));
	rt_arena_free(a);
	yaml_fails("assume: [a]\n", RT_ECONFIG, 1, 9,
	           "'assume' must be a mapping of Python names to values", NULL);
	yaml_fails("assume:\n  a b: 1\n", RT_ECONFIG, 2, 3,
	           "'assume' key 'a b' is not a dotted Python name", NULL);
	yaml_fails("assume:\n  a.b: 1\n  a.b: 2\n", RT_ECONFIG, 3, 3, "'assume' gives 'a.b' twice",
	           NULL);
	yaml_fails("assume:\n  a.b: [1]\n", RT_ECONFIG, 2, 8,
	           "'a.b' must be a single value, not a list",
	           "an assumed value is null, true/false, an integer or a string");
	yaml_fails("assume:\n  a.b: 99999999999999999999\n", RT_ECONFIG, 2, 8,
	           "'assume' value '99999999999999999999' for 'a.b' is outside 64 bits", NULL);
}

/* naming_convention: SQLAlchemy MetaData's keys, templates as written */
static void test_config__naming_convention(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_error err = RT_ERROR_INIT;
	rt_config *cfg;
	assert_int_equal(yaml_text(a, "naming_convention:\n  uq: uq_%(table_name)s\n"
	                           "  fk: \"fk_%(column_0N_name)s\"\n", &cfg, &err), RT_OK);
	assert_int_equal(cfg->nnaming, 2);
	assert_string_equal(cfg->naming_convention[0].key, "uq");
	assert_string_equal(cfg->naming_convention[0].tmpl, "uq_%(table_name)s");
	assert_string_equal(cfg->naming_convention[1].tmpl, "fk_%(column_0N_name)s");
	assert_int_equal(cfg->naming_convention[1].loc.line, 3);
	/* an empty mapping is set (MetaData({}) is the default convention) */
	assert_int_equal(yaml_text(a, "naming_convention: {}\n", &cfg, &err), RT_OK);
	assert_non_null(cfg->naming_convention);
	assert_int_equal(cfg->nnaming, 0);
	assert_int_equal(yaml_text(a, "wait: 1\n", &cfg, &err), RT_OK);
	assert_null(cfg->naming_convention);
	rt_arena_free(a);
	yaml_fails("naming_convention: [a]\n", RT_ECONFIG, 1, 20,
	           "'naming_convention' must be a mapping of ix, uq, ck, fk, pk to name templates",
	           NULL);
	yaml_fails("naming_convention:\n  index: x\n", RT_ECONFIG, 2, 3,
	           "'naming_convention' key 'index' is not one of ix, uq, ck, fk, pk", NULL);
	yaml_fails("naming_convention:\n  ix: a\n  ix: b\n", RT_ECONFIG, 3, 3,
	           "'naming_convention' gives 'ix' twice", NULL);
	yaml_fails("naming_convention:\n  ix: ~\n", RT_ECONFIG, 2, 7,
	           "'naming_convention' gives no template for 'ix'", NULL);
}

static void test_config__yaml_shapes(void **state)
{
	(void)state;
	yaml_fails("colour: 1\n", RT_ECONFIG, 1, 1, "unknown key 'colour'",
	           "docs/configuration.md lists the keys");
	yaml_fails("wait: 1\nurl: x\n", RT_ECONFIG, 2, 1, "unknown key 'url'",
	           "the database URL is 'database'");
	yaml_fails("wait: 1\nwait: 2\n", RT_ECONFIG, 2, 1, "key 'wait' is set twice", NULL);
	yaml_fails("trust: {a: b}\n", RT_ECONFIG, 1, 8,
	           "'trust' must be a list of key files or one key file", NULL);
	yaml_fails("wait: 1\n---\nwait: 2\n", RT_ESYNTAX, 2, 1,
	           "'r.yaml' holds more than one YAML document", NULL);
	yaml_fails("- a\n- b\n", RT_ECONFIG, 1, 1, "'r.yaml' must be a mapping of settings", NULL);
	yaml_fails("version_table: [a]\n", RT_ECONFIG, 1, 16,
	           "'version_table' must be a single value, not a list", NULL);
	yaml_fails("version_locations: {a: b}\n", RT_ECONFIG, 1, 20,
	           "'version_locations' must be a list of folders or one folder", NULL);
	yaml_fails("version_locations: [a, ~]\n", RT_ECONFIG, 1, 24,
	           "empty entry in 'version_locations'", NULL);
	yaml_fails("types: [a]\n", RT_ECONFIG, 1, 8,
	           "'types' must be a mapping of Python names to SQL types", NULL);
	yaml_fails("types:\n  not-a-name: UUID\n", RT_ECONFIG, 2, 3,
	           "'types' key 'not-a-name' is not a dotted Python name", NULL);
	yaml_fails("types:\n  a.B:\n", RT_ECONFIG, 2, 7, "'types' gives no SQL type for 'a.B'",
	           "e.g. 'a.B: UUID'");
	yaml_fails("types:\n  a.B: x\n  a.B: y\n", RT_ECONFIG, 3, 3, "'types' maps 'a.B' twice",
	           NULL);
	yaml_fails("allow_multiple_heads: maybe\n", RT_ECONFIG, 1, 23,
	           "invalid value 'maybe' for 'allow_multiple_heads'", "accepted values: true, false");
	yaml_fails("format: xml\n", RT_ECONFIG, 1, 9, "invalid value 'xml' for 'format'", NULL);
	yaml_fails("verbosity: 12\n", RT_ECONFIG, 1, 12, "invalid value '12' for 'verbosity'", NULL);
	yaml_fails("truncate_slug_length: 0\n", RT_ECONFIG, 1, 23,
	           "invalid value '0' for 'truncate_slug_length'", NULL);
	/* quoted scalars: the column still points at the '${' */
	yaml_fails("database: 'postgresql://u@h/${NOPE}'\n", RT_ECONFIG, 1, 29,
	           "'database' uses environment variable 'NOPE', which is not set", NULL);
	yaml_fails("timezone: ${SET${\n", RT_ECONFIG, 1, 11,
	           "invalid '${' in 'timezone': unterminated '${'", NULL);

	rt_arena *a = rt_arena_new();
	rt_error err = RT_ERROR_INIT;
	rt_config *cfg;
	assert_int_equal(yaml_text(a, "", &cfg, &err), RT_OK);
	assert_int_equal(yaml_text(a, "# only a comment\nversion_locations: []\nwait:\n", &cfg,
	                           &err), RT_OK);
	assert_string_equal(cfg->version_locations.v[0], "migrations/versions");
	assert_true(cfg->wait == 0);
	assert_int_equal(yaml_text(a, "script_location: \"${SET}/m\"\nversion_locations: x/${SET}\n"
	                           "verbosity: quiet\nversion_table_schema: ~\n", &cfg, &err), RT_OK);
	assert_string_equal(cfg->script_location, "/p/v/m");
	assert_int_equal(cfg->version_locations.n, 1);
	assert_string_equal(cfg->version_locations.v[0], "/p/x/v");
	assert_int_equal(cfg->verbosity, -1);
	assert_null(cfg->version_table_schema);
	/* database names, not paths */
	assert_int_equal(yaml_text(a, "scratch_databases: [app_copy, \"${SET}\"]\n", &cfg, &err),
	                 RT_OK);
	assert_int_equal(cfg->scratch_databases.n, 2);
	assert_string_equal(cfg->scratch_databases.v[0], "app_copy");
	assert_string_equal(cfg->scratch_databases.v[1], "v");
	assert_int_equal(yaml_text(a, "scratch_databases: one\n", &cfg, &err), RT_OK);
	assert_string_equal(cfg->scratch_databases.v[0], "one");
	rt_error_clear(&err);
	rt_arena_free(a);
	yaml_fails("scratch_databases: {a: b}\n", RT_ECONFIG, 1, 20,
	           "'scratch_databases' must be a list of database names or one database name", NULL);
}

static void test_config__ini_inline_comment_trap(void **state)
{
	(void)state;
	expect_error("inline_comment/alembic.ini", no_env, RT_ECONFIG, 7, 26,
	             "'os  # Use os.pathsep. Default configuration used for new projects.' is not "
	             "a valid value for version_path_separator; expected 'space', 'os', ':', ';'",
	             "alembic.ini keeps everything after '=' (ConfigParser has no inline comments): "
	             "move the comment to a line of its own");
}

static void test_config__ini_paths_relative_to_cwd(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_config_overrides ov = { .config_path = "relative/alembic.ini" };
	rt_config *cfg = load_ok(a, &ov, no_env, FIX);
	/* Alembic resolves plain relative paths against the working directory */
	assert_string_equal(cfg->script_location, FIX "/migrations");
	assert_int_equal(cfg->version_locations.n, 2);
	assert_string_equal(cfg->version_locations.v[0], FIX "/migrations/versions");
	assert_string_equal(cfg->version_locations.v[1], FIX "/relative/versions");

	/* continuation lines, [DEFAULT] interpolation, path_separator = newline */
	ov.config_path = "continuation.ini";
	cfg = load_ok(a, &ov, no_env, FIX);
	assert_string_equal(cfg->script_location, FIX "/db");
	assert_int_equal(cfg->version_locations.n, 2);
	assert_string_equal(cfg->version_locations.v[0], FIX "/db/versions");
	assert_string_equal(cfg->version_locations.v[1], FIX "/db/tenant versions");

	/* no .ini suffix: recognised by the section header */
	ov.config_path = "settings.conf";
	cfg = load_ok(a, &ov, no_env, FIX);
	assert_string_equal(cfg->script_location, FIX "/conf_migrations");
	rt_arena_free(a);
}

static void test_config__ini_refusals_and_warnings(void **state)
{
	(void)state;
	expect_error("package.ini", no_env, RT_ECONFIG, 2, 19,
	             "'script_location' names the package resource 'myapp:migrations', which "
	             "retort cannot resolve", NULL);
	expect_error("no_section.ini", no_env, RT_ECONFIG, 0, 0,
	             "'" FIX "/no_section.ini' has no '[alembic]' section", NULL);
	expect_error("no_script_location.ini", no_env, RT_ECONFIG, 0, 0,
	             "no 'script_location' key found in '" FIX "/no_script_location.ini'", NULL);

	rt_arena *a = rt_arena_new();
	rt_config_overrides ov = { .config_path = "placeholder_url.ini" };
	rt_config *cfg = load_ok(a, &ov, no_env, FIX);
	assert_null(cfg->database_url);
	assert_int_equal(cfg->warnings.n, 1);
	const rt_diag *w = cfg->warnings.items[0];
	assert_int_equal(w->loc.line, 3);
	assert_string_equal(w->message, "ignoring 'sqlalchemy.url' 'driver://user:***@localhost/"
	                                "dbname': not a PostgreSQL URL");
	/* an overriding URL means the placeholder is not even looked at */
	ov.database_url = "postgresql://f@h/db";
	cfg = load_ok(a, &ov, no_env, FIX);
	assert_int_equal(cfg->warnings.n, 0);
	/* -s makes an ini without script_location usable */
	ov = (rt_config_overrides){ .config_path = "no_script_location.ini", .script_location = "m" };
	cfg = load_ok(a, &ov, no_env, FIX);
	assert_string_equal(cfg->script_location, FIX "/m");
	rt_arena_free(a);
}

/* bundle and trust: retort.yaml < environment < flags; RETORT_TRUST splits at ':'. */
static void test_config__bundle_and_trust(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *env[] = { "DB_URL", "x", "RETORT_BUNDLE", "env.rtb", "RETORT_TRUST",
		              "a.pub::/k/b.pub", NULL };
	rt_config_overrides ov = { .config_path = "full.yaml" };
	rt_config *cfg = load_ok(a, &ov, env, FIX);
	assert_string_equal(cfg->bundle, FIX "/env.rtb");
	assert_string_equal(rt_config_key_origin(cfg, "bundle"), "RETORT_BUNDLE");
	assert_int_equal(cfg->trust.n, 2);
	assert_string_equal(cfg->trust.v[0], FIX "/a.pub");
	assert_string_equal(cfg->trust.v[1], "/k/b.pub");
	ov.bundle = "flag.rtb";
	rt_strv_push(a, &ov.trust, "f.pub");
	cfg = load_ok(a, &ov, env, FIX);
	assert_string_equal(cfg->bundle, FIX "/flag.rtb");
	assert_string_equal(rt_config_key_origin(cfg, "trust"), "--trust");
	assert_int_equal(cfg->trust.n, 1);
	assert_string_equal(cfg->trust.v[0], FIX "/f.pub");
	/* none by default */
	cfg = load_ok(a, NULL, no_env, FIX "/yaml_sub");
	assert_null(cfg->bundle);
	assert_int_equal(cfg->trust.n, 0);
	rt_arena_free(a);
}

static void test_config__yaml_paths_and_named_ini(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_config_overrides ov = { .config_path = "yaml_sub/conf/retort.yaml" };
	rt_config *cfg = load_ok(a, &ov, no_env, FIX);
	/* retort.yaml paths are relative to its folder, not the working directory */
	assert_string_equal(cfg->script_location, FIX "/yaml_sub/db");
	assert_string_equal(cfg->version_locations.v[0], FIX "/yaml_sub/db/versions");
	assert_string_equal(cfg->ini_path, FIX "/yaml_sub/legacy/alembic.ini");
	assert_string_equal(cfg->database_url, "postgresql://legacy@legacyhost/legacydb");
	assert_string_equal(cfg->database_url_origin, FIX "/yaml_sub/legacy/alembic.ini:3");

	/* RETORT_CONFIG names the file when -c is absent */
	const char *env[] = { "RETORT_CONFIG", "yaml_sub/conf/retort.yaml", NULL };
	cfg = load_ok(a, NULL, env, FIX);
	assert_string_equal(cfg->script_location, FIX "/yaml_sub/db");
	rt_arena_free(a);
}

static void test_config__database_url_files(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *dir = FIX "/no_config";
	const char *env1[] = { "RETORT_DATABASE_URL_FILE", "../secrets/db_url",
		                     "DATABASE_URL", "postgresql://plain@h/db", NULL };
	rt_config *cfg = load_ok(a, NULL, env1, dir);
	assert_string_equal(cfg->database_url, "postgresql://file_user:file_secret@filehost/filedb");
	assert_string_equal(cfg->database_url_origin,
	                    "RETORT_DATABASE_URL_FILE (" FIX "/secrets/db_url)");

	const char *env2[] = { "RETORT_DATABASE_URL", "postgresql://r@h/db",
		                     "RETORT_DATABASE_URL_FILE", "../secrets/db_url", NULL };
	cfg = load_ok(a, NULL, env2, dir);
	assert_string_equal(cfg->database_url, "postgresql://r@h/db");

	const char *env3[] = { "DATABASE_URL_FILE", "../secrets/db_url", "RETORT_DATABASE_URL",
		                     "", NULL };
	cfg = load_ok(a, NULL, env3, dir);
	assert_string_equal(cfg->database_url_origin, "DATABASE_URL_FILE (" FIX "/secrets/db_url)");

	/* a flag means the files are not even read */
	const char *env4[] = { "RETORT_DATABASE_URL_FILE", "/nonexistent/url", NULL };
	rt_config_overrides ov = { .database_url = "postgresql://flag@h/db" };
	cfg = load_ok(a, &ov, env4, dir);
	assert_string_equal(cfg->database_url, "postgresql://flag@h/db");

	rt_error err = RT_ERROR_INIT;
	assert_int_equal(load(a, &cfg, NULL, env4, dir, &err), RT_ECONFIG);
	assert_string_equal(err.message, "cannot read RETORT_DATABASE_URL_FILE file "
	                                 "'/nonexistent/url': No such file or directory");
	const char *env5[] = { "DATABASE_URL_FILE", FIX "/secrets/empty", NULL };
	assert_int_equal(load(a, &cfg, NULL, env5, dir, &err), RT_ECONFIG);
	assert_string_equal(err.message, "DATABASE_URL_FILE file '" FIX "/secrets/empty' is empty");
	rt_error_clear(&err);
	rt_arena_free(a);
}

static void test_config__flag_errors(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_error err = RT_ERROR_INIT;
	rt_config *cfg;
	const char *dir = FIX "/no_config";
	rt_config_overrides ov = { .format = "xml" };
	assert_int_equal(load(a, &cfg, &ov, no_env, dir, &err), RT_EUSAGE);
	assert_string_equal(err.message, "invalid value 'xml' for '--format'");
	ov = (rt_config_overrides){ .version_table_schema = "" };
	assert_int_equal(load(a, &cfg, &ov, no_env, dir, &err), RT_EUSAGE);
	ov = (rt_config_overrides){ .database_url = "mysql://u:hunter2@h/db" };
	assert_int_equal(load(a, &cfg, &ov, no_env, dir, &err), RT_EUSAGE);
	assert_null(strstr(err.message, "hunter2"));
	ov = (rt_config_overrides){ .config_path = "missing.yaml" };
	assert_int_equal(load(a, &cfg, &ov, no_env, dir, &err), RT_ENOTFOUND);
	assert_string_equal(err.message, "configuration file '" FIX "/no_config/missing.yaml' "
	                                 "not found");
	ov = (rt_config_overrides){ .wait = -1, .wait_set = true };
	assert_int_equal(load(a, &cfg, &ov, no_env, dir, &err), RT_EUSAGE);

	ov = (rt_config_overrides){ .format = "json", .verbosity = -1, .verbosity_set = true,
		                    .transaction = "single", .wait = 3, .wait_set = true };
	rt_strv_push(a, &ov.version_locations, "a");
	rt_strv_push(a, &ov.version_locations, "/abs/b");
	cfg = load_ok(a, &ov, no_env, dir);
	assert_int_equal(cfg->format, RT_FORMAT_JSON);
	assert_int_equal(cfg->verbosity, -1);
	assert_int_equal(cfg->transaction, RT_TX_SINGLE);
	assert_true(cfg->wait == 3);
	assert_int_equal(cfg->version_locations.n, 2);
	assert_string_equal(cfg->version_locations.v[0], FIX "/no_config/a");
	assert_string_equal(cfg->version_locations.v[1], "/abs/b");
	assert_string_equal(rt_config_key_origin(cfg, "version_locations"), "--version-location");
	assert_null(rt_config_key_origin(cfg, "no_such_key"));
	rt_error_clear(&err);
	rt_arena_free(a);
}

static void split(const char *value, const char *sep_key, const char *sep, size_t n, ...)
{
	rt_arena *a = rt_arena_new();
	rt_error err = RT_ERROR_INIT;
	rt_strv out = { 0 };
	int rc = cfg_split_locations(a, value, sep_key, sep, NULL, &out, &err);
	if (rc != RT_OK)
		fail_msg("split '%s': %s", value, err.message);
	assert_int_equal(out.n, n);
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(out.v[i], va_arg(ap, const char *));
	va_end(ap);
	rt_arena_free(a);
}

static void split_fails(const char *value, const char *sep_key, const char *sep,
                        const char *message)
{
	rt_arena *a = rt_arena_new();
	rt_error err = RT_ERROR_INIT;
	rt_strv out = { 0 };
	assert_int_equal(cfg_split_locations(a, value, sep_key, sep, NULL, &out, &err), RT_ECONFIG);
	assert_string_equal(err.message, message);
	rt_error_clear(&err);
	rt_arena_free(a);
}

static void test_config__separator_rules(void **state)
{
	(void)state;
	/* legacy: re.split(r", *|(?: +)"), empty pieces dropped */
	split("a b,c, d  e ,f", NULL, NULL, 6, "a", "b", "c", "d", "e", "f");
	split("a:b;c", NULL, NULL, 1, "a:b;c");
	split("a b", "version_path_separator", "space", 2, "a", "b");
	split("a:b:", "version_path_separator", "os", 2, "a", "b");
	split("a:b", "path_separator", ":", 2, "a", "b");
	split("a b;c", "path_separator", ";", 2, "a b", "c");
	split("\na\n\nb c\n", "path_separator", "newline", 2, "a", "b c");
	/* Alembic main strips each piece */
	split("a: b", "path_separator", "os", 2, "a", "b");
	split_fails("a\nb", NULL, NULL, "'version_locations' entry 'a\nb' spans several lines");
	split_fails("a", "path_separator", "comma", "'comma' is not a valid value for "
	            "path_separator; expected 'space', 'newline', 'os', ':', ';'");
	split_fails("a", "version_path_separator", "os # x", "'os # x' is not a valid value for "
	            "version_path_separator; expected 'space', 'os', ':', ';'");
}

static ini_file *parse_ini(rt_arena *a, const char *text, rt_error *err, int want)
{
	rt_source *src = rt_source_from_mem(a, "t.ini", text, strlen(text));
	ini_file *ini = NULL;
	assert_int_equal(cfg_ini_parse(a, src, "/here", &ini, err), want);
	return ini;
}

static const char *ini_value(const ini_file *ini, const char *section, const char *key)
{
	const char *v = NULL;
	rt_error err = RT_ERROR_INIT;
	int rc = cfg_ini_get(ini, section, key, &v, NULL, &err);
	if (rc != RT_OK)
		fail_msg("cfg_ini_get %s: %d %s", key, rc, err.message ? err.message : "");
	return v;
}

static void test_config__ini_configparser_semantics(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	rt_error err = RT_ERROR_INIT;
	ini_file *ini = parse_ini(a,
	                          "# comment\n"
	                          "[DEFAULT]\n"
	                          "base = %(here)s/db\n"
	                          "[alembic]\n"
	                          "Script_Location: %(BASE)s/m\n"
	                          "pct = 100%% sure ; not a comment\n"
	                          "multi = one\n"
	                          "  two\n"
	                          "\n"
	                          "; full-line comment, skipped\n"
	                          "  three\n"
	                          "\n"
	                          "empty =\n"
	                          "url = a=b:c\n"
	                          "bad = %(nope)s\n"
	                          "loop = %(loop)s\n"
	                          "syntax = 50%\n"
	                          "[logs]\n"
	                          "format = %(levelname)s\n",
	                          &err, RT_OK);
	assert_true(cfg_ini_has_section(ini, "alembic"));
	assert_false(cfg_ini_has_section(ini, "DEFAULT"));
	assert_string_equal(ini_value(ini, "alembic", "script_location"), "/here/db/m");
	assert_string_equal(ini_value(ini, "alembic", "pct"), "100% sure ; not a comment");
	assert_string_equal(ini_value(ini, "alembic", "multi"), "one\ntwo\n\nthree");
	assert_string_equal(ini_value(ini, "alembic", "empty"), "");
	assert_string_equal(ini_value(ini, "alembic", "url"), "a=b:c");
	assert_string_equal(ini_value(ini, "alembic", "base"), "/here/db"); /* from [DEFAULT] */
	const char *v;
	rt_loc loc;
	assert_int_equal(cfg_ini_get(ini, "alembic", "missing", &v, NULL, &err), RT_ENOTFOUND);
	assert_int_equal(cfg_ini_get(ini, "alembic", "bad", &v, &loc, &err), RT_ECONFIG);
	assert_string_equal(err.message, "the value of 'bad' in section 'alembic' refers to "
	                                 "'%(nope)s', which is not set");
	assert_int_equal(err.loc.line, 15);
	assert_int_equal(cfg_ini_get(ini, "alembic", "loop", &v, &loc, &err), RT_ECONFIG);
	assert_int_equal(cfg_ini_get(ini, "alembic", "syntax", &v, &loc, &err), RT_ECONFIG);
	assert_string_equal(err.message, "bad interpolation in the value of 'syntax' in section "
	                                 "'alembic'");
	/* %(levelname)s fails only when read, as in Python: loading alembic.ini never
	 * reads the logging sections (the yaml_and_ini fixture has one) */
	assert_int_equal(cfg_ini_get(ini, "logs", "format", &v, &loc, &err), RT_ECONFIG);

	parse_ini(a, "[alembic]\na = 1\nA = 2\n", &err, RT_ESYNTAX);
	assert_string_equal(err.message, "option 'a' in section 'alembic' already exists");
	assert_int_equal(err.loc.line, 3);
	parse_ini(a, "[alembic]\n[x]\n[alembic]\n", &err, RT_ESYNTAX);
	assert_string_equal(err.message, "section 'alembic' already exists");
	parse_ini(a, "\n# c\nkey = v\n[alembic]\n", &err, RT_ESYNTAX);
	assert_string_equal(err.message, "'t.ini' has no section header before this line");
	assert_int_equal(err.loc.line, 3);
	parse_ini(a, "[alembic]\njust words\n", &err, RT_ESYNTAX);
	assert_string_equal(err.message, "expected 'key = value' or '[section]', found 'just words'");
	/* a BOM and CRLF line ends are fine */
	ini = parse_ini(a, "\xEF\xBB\xBF[alembic]\r\nk = v\r\n", &err, RT_OK);
	assert_string_equal(ini_value(ini, "alembic", "k"), "v");
	rt_error_clear(&err);
	rt_arena_free(a);
}

static void test_config__expand(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *envv[] = { "A", "x", "E", "", NULL };
	struct cfg_env env = { fake_getenv, (void *)envv };
	struct cfg_expand_fail f;
	assert_string_equal(cfg_expand(a, "${A}/${E}", &env, &f), "x/");
	assert_string_equal(cfg_expand(a, "${E:-d}|${E-d}|${U-d}|${A:-d}", &env, &f), "d||d|x");
	assert_string_equal(cfg_expand(a, "${U:-${A}-${U2:-z}}", &env, &f), "x-z");
	/* only "$${" is an escape: "$$${A}" is "$" then the escape */
	assert_string_equal(cfg_expand(a, "pa$word $$${A} $${A}", &env, &f), "pa$word $${A} ${A}");
	assert_null(cfg_expand(a, "ab${U}", &env, &f));
	assert_string_equal(f.var, "U");
	assert_int_equal(f.offset, 2);
	assert_null(cfg_expand(a, "${A", &env, &f));
	assert_null(f.var);
	assert_string_equal(f.what, "unterminated '${'");
	assert_null(cfg_expand(a, "${1A}", &env, &f));
	assert_null(cfg_expand(a, "${A?x}", &env, &f));
	assert_null(cfg_expand(a, "${U:-${V}}", &env, &f));
	assert_string_equal(f.var, "V");
	assert_int_equal(f.offset, 5);
	rt_arena_free(a);
}

static void test_config__durations_and_identifiers(void **state)
{
	(void)state;
	double s;
	assert_true(rt_config_parse_duration("300", &s) && s == 300);
	assert_true(rt_config_parse_duration("1.5", &s) && s == 1.5);
	assert_true(rt_config_parse_duration("500ms", &s) && s == 0.5);
	assert_true(rt_config_parse_duration("5s", &s) && s == 5);
	assert_true(rt_config_parse_duration("2m", &s) && s == 120);
	assert_true(rt_config_parse_duration("1h", &s) && s == 3600);
	assert_true(rt_config_parse_duration("1m30s", &s) && s == 90);
	assert_true(rt_config_parse_duration("0", &s) && s == 0);
	const char *bad[] = { "", "-1", "inf", "nan", "0x10", "5 s", "5sec", "s", "1m30", ".",
		              "1e3", " 5", "5min" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (rt_config_parse_duration(bad[i], &s))
			fail_msg("'%s' parsed as a duration", bad[i]);
	assert_true(rt_config_valid_identifier("alembic_version"));
	assert_true(rt_config_valid_identifier("Mixed Case \"quoted\""));
	char longname[65];
	memset(longname, 'x', 64);
	longname[64] = '\0';
	assert_false(rt_config_valid_identifier(longname));
	longname[63] = '\0';
	assert_true(rt_config_valid_identifier(longname));
	assert_false(rt_config_valid_identifier(""));
	assert_false(rt_config_valid_identifier(NULL));
	static const char *const names[] = { "lock_timeout", "wait", "database" };
	assert_string_equal(cfg_suggest("lock_timout", names, 3), "lock_timeout");
	assert_string_equal(cfg_suggest("databse", names, 3), "database");
	assert_null(cfg_suggest("colour", names, 3));
}

static void test_config__paths(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_string_equal(cfg_path_norm(a, "./a//b/./c/"), "a/b/c");
	assert_string_equal(cfg_path_norm(a, "a/../../b"), "../b");
	assert_string_equal(cfg_path_norm(a, "/../a/.."), "/");
	assert_string_equal(cfg_path_norm(a, "."), ".");
	assert_string_equal(cfg_path_join(a, NULL, "m"), "m");
	assert_string_equal(cfg_path_join(a, ".", "./m"), "m");
	assert_string_equal(cfg_path_join(a, "/p/conf", "../db"), "/p/db");
	assert_string_equal(cfg_path_join(a, "/p", "/abs"), "/abs");
	assert_string_equal(cfg_path_dir(a, "retort.yaml"), ".");
	assert_string_equal(cfg_path_dir(a, "/retort.yaml"), "/");
	assert_string_equal(cfg_path_dir(a, "a/b/alembic.ini"), "a/b");
	char *abs;
	assert_int_equal(cfg_path_abs(a, "/x", "y/../z", &abs, NULL), RT_OK);
	assert_string_equal(abs, "/x/z");
	rt_arena_free(a);
}

static void test_config__url_mask_every_form(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	static const char *const cases[][2] = {
		{ "postgresql://user:secret@host/db", "postgresql://user:***@host/db" },
		{ "postgresql+psycopg2://u:s3cr%40t@h:5432/db?sslmode=require",
		  "postgresql+psycopg2://u:***@h:5432/db?sslmode=require" },
		{ "postgres://:secret@host", "postgres://:***@host" },
		{ "postgresql://user@host/db", "postgresql://user@host/db" },
		{ "postgresql://host:5432/db", "postgresql://host:5432/db" },
		{ "postgresql://user:p@ss@host/db", "postgresql://user:***@host/db" },
		{ "postgresql://user:pa/ss?x@host/db", "postgresql://user:***@host/db" },
		{ "postgresql://h/db?sslmode=require&password=secret&x=1",
		  "postgresql://h/db?sslmode=require&password=***&x=1" },
		{ "postgresql://u:a@h/db?PASSWORD=b&sslpassword=c",
		  "postgresql://u:***@h/db?PASSWORD=***&sslpassword=***" },
		{ "driver://user:pass@localhost/dbname", "driver://user:***@localhost/dbname" },
		{ "host=h password=secret dbname=d", "host=h password=*** dbname=d" },
		{ "host=h password = 'se cret\\' s' dbname=d", "host=h password = *** dbname=d" },
		{ "password=a\\ b sslpassword=''", "password=*** sslpassword=***" },
		{ "host=h dbname=d", "host=h dbname=d" },
		{ "host=h password='unterminated", "***" },
		{ "garbage password", "***" },
		{ "garbage", "garbage" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(rt_url_mask(a, cases[i][0]), cases[i][1]);
	assert_null(rt_url_mask(a, NULL));

	assert_string_equal(rt_url_drop_driver(a, "postgresql+psycopg2://u:p@h/db"),
	                    "postgresql://u:p@h/db");
	assert_string_equal(rt_url_drop_driver(a, "postgres+pg8000://h"), "postgres://h");
	assert_string_equal(rt_url_drop_driver(a, "postgresql://h/db?x=a+b"),
	                    "postgresql://h/db?x=a+b");
	assert_string_equal(rt_url_drop_driver(a, "host=a+b://"), "host=a+b://");
	assert_true(cfg_url_is_postgres("postgresql+asyncpg://h"));
	assert_false(cfg_url_is_postgres("postgresqlx://h"));
	assert_false(cfg_url_is_postgres("host=h"));
	rt_arena_free(a);
}

static void test_config__targets_file(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *env[] = { "TENANT_B", "postgresql://h/tenant_b", NULL };
	rt_strv urls = { 0 }, lines = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_config_read_targets(a, FIX "/targets.txt", fake_getenv, (void *)env,
	                                        &urls, &lines, &err), RT_OK);
	assert_int_equal(urls.n, 3);
	assert_string_equal(urls.v[0], "postgresql://u:secret@h/tenant_a");
	assert_string_equal(lines.v[0], "postgresql://u:***@h/tenant_a");
	assert_string_equal(urls.v[1], "postgresql://h/tenant_b");
	assert_string_equal(lines.v[1], "${TENANT_B}"); /* re-runs as written */
	assert_string_equal(urls.v[2], "postgresql://h/tenant_c#not-a-comment");

	urls = lines = (rt_strv){ 0 };
	assert_int_equal(rt_config_read_targets(a, FIX "/targets_bad.txt", fake_getenv, (void *)env,
	                                        &urls, &lines, &err), RT_ECONFIG);
	assert_true(ends_with(err.loc.path, "targets_bad.txt"));
	assert_int_equal(err.loc.line, 3);
	assert_int_equal(err.loc.col, 16);
	assert_non_null(strstr(err.message, "'MISSING_DB', which is not set"));
	rt_error_clear(&err);
	assert_int_equal(rt_config_read_targets(a, FIX "/targets_mysql.txt", fake_getenv,
	                                        (void *)env, &urls, &lines, &err), RT_ECONFIG);
	assert_non_null(strstr(err.message, "not a PostgreSQL URL"));
	rt_error_clear(&err);
	assert_int_equal(rt_config_read_targets(a, FIX "/no_such_targets.txt", fake_getenv,
	                                        (void *)env, &urls, &lines, &err), RT_EOS);
	rt_error_clear(&err);
	rt_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config__defaults_without_files),
		cmocka_unit_test(test_config__precedence_flag_env_yaml_ini),
		cmocka_unit_test(test_config__bundle_and_trust),
		cmocka_unit_test(test_config__alembic_ini_discovered_driver_dropped),
		cmocka_unit_test(test_config__yaml_every_key_and_expansion),
		cmocka_unit_test(test_config__yaml_errors_are_located),
		cmocka_unit_test(test_config__yaml_shapes),
		cmocka_unit_test(test_config__assume),
		cmocka_unit_test(test_config__naming_convention),
		cmocka_unit_test(test_config__ini_inline_comment_trap),
		cmocka_unit_test(test_config__ini_paths_relative_to_cwd),
		cmocka_unit_test(test_config__ini_refusals_and_warnings),
		cmocka_unit_test(test_config__yaml_paths_and_named_ini),
		cmocka_unit_test(test_config__database_url_files),
		cmocka_unit_test(test_config__flag_errors),
		cmocka_unit_test(test_config__separator_rules),
		cmocka_unit_test(test_config__ini_configparser_semantics),
		cmocka_unit_test(test_config__expand),
		cmocka_unit_test(test_config__durations_and_identifiers),
		cmocka_unit_test(test_config__paths),
		cmocka_unit_test(test_config__url_mask_every_form),
		cmocka_unit_test(test_config__targets_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
