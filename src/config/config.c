/*
 * rt_config_load: finds the configuration file, then applies the layers
 * lowest first (defaults, alembic.ini, retort.yaml, environment, flags),
 * each overwriting what it sets and recording where the value came from.
 * The precedence and every key are documented in docs/configuration.md.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "config_int.h"

#define DEFAULT_SCRIPT_LOCATION "migrations"
#define MAX_URL_FILE (64u * 1024u) /* a URL secret is a line, not a file tree */

const char *const cfg_key_names[K_COUNT] = {
	[K_DATABASE] = "database",
	[K_SCRIPT_LOCATION] = "script_location",
	[K_VERSION_LOCATIONS] = "version_locations",
	[K_RECURSIVE_VERSION_LOCATIONS] = "recursive_version_locations",
	[K_SOURCELESS] = "sourceless",
	[K_VERSION_TABLE] = "version_table",
	[K_VERSION_TABLE_SCHEMA] = "version_table_schema",
	[K_VERSION_TABLE_PK] = "version_table_pk",
	[K_HISTORY_TABLE] = "history_table",
	[K_TRANSACTION] = "transaction",
	[K_LOCK_TIMEOUT] = "lock_timeout",
	[K_WAIT] = "wait",
	[K_STATEMENT_LOCK_TIMEOUT] = "statement_lock_timeout",
	[K_ALLOW_MULTIPLE_HEADS] = "allow_multiple_heads",
	[K_FORMAT] = "format",
	[K_VERBOSITY] = "verbosity",
	[K_TYPES] = "types",
	[K_FILE_TEMPLATE] = "file_template",
	[K_TRUNCATE_SLUG_LENGTH] = "truncate_slug_length",
	[K_TIMEZONE] = "timezone",
	[K_ALEMBIC_INI] = "alembic_ini",
	[K_SCRATCH_DATABASES] = "scratch_databases",
	[K_ASSUME] = "assume",
	[K_NAMING_CONVENTION] = "naming_convention",
	[K_BUNDLE] = "bundle",
	[K_TRUST] = "trust",
	[K_TARGETS] = "targets",
	[K_SCHEMAS] = "schemas",
};

const char *cfg_loc_label(rt_arena *arena, const rt_loc *loc)
{
	if (!loc || !loc->path)
		return NULL;
	if (!loc->line)
		return rt_strdup(arena, loc->path);
	return rt_sprintf(arena, "%s:%u", loc->path, loc->line);
}

void cfg_set_origin(rt_arena *arena, rt_config *cfg, enum cfg_key k, const rt_loc *loc,
                    const char *label)
{
	rt_loc none = { 0 };
	cfg->origins->loc[k] = loc ? *loc : none;
	cfg->origins->label[k] = label ? label : cfg_loc_label(arena, loc);
}

int cfg_set_database(rt_arena *arena, rt_config *cfg, const char *text, const char *what,
                     const rt_loc *loc, const char *label, rt_code code, rt_error *err)
{
	if (cfg_url_scheme_len(text) && !cfg_url_is_postgres(text)) {
		int rc = rt_error_set(err, code, loc, "the database URL from %s is not a PostgreSQL "
		                      "URL: '%s'", what, rt_url_mask(arena, text));
		rt_error_hint(err, "use postgresql://USER@HOST/DB (a SQLAlchemy +driver is fine) or "
		              "a libpq 'host=... dbname=...' string");
		return rc;
	}
	cfg->database_url = rt_url_drop_driver(arena, text);
	cfg_set_origin(arena, cfg, K_DATABASE, loc, label);
	cfg->database_url_origin = cfg->origins->label[K_DATABASE];
	return RT_OK;
}

static rt_config *bare_config(rt_arena *arena)
{
	rt_config *cfg = rt_alloc(arena, sizeof(*cfg));
	cfg->origins = rt_alloc(arena, sizeof(*cfg->origins));
	cfg->version_table = "alembic_version";
	cfg->version_table_pk = true;
	cfg->history_table = "retort_history";
	cfg->transaction = RT_TX_PER_MIGRATION;
	cfg->lock_timeout = -1;
	cfg->file_template = "%(rev)s_%(slug)s"; /* Alembic's _default_file_template */
	cfg->truncate_slug_length = 40;
	rt_diags_init(&cfg->warnings, arena);
	return cfg;
}

/* Defaults that depend on other keys: versions/ inside the script location. */
static void finish_paths(rt_arena *arena, rt_config *cfg, const char *base)
{
	if (!cfg->script_location)
		cfg->script_location = cfg_path_join(arena, base, DEFAULT_SCRIPT_LOCATION);
	if (!cfg->version_locations.n)
		rt_strv_push(arena, &cfg->version_locations,
		             cfg_path_join(arena, cfg->script_location, "versions"));
}

rt_config *rt_config_new_default(rt_arena *arena)
{
	rt_config *cfg = bare_config(arena);
	finish_paths(arena, cfg, NULL);
	return cfg;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static int must_exist(const char *path, const char *named_by, rt_error *err)
{
	if (exists(path))
		return RT_OK;
	rt_loc loc = { .path = path };
	int rc = rt_error_set(err, RT_ENOTFOUND, &loc, "configuration file '%s' not found", path);
	rt_error_hint(err, "it was named by %s; check the path", named_by);
	return rc;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* .ini, or a file whose first meaningful line is a [section] header. */
static bool looks_like_ini(const rt_source *src)
{
	if (ends_with(src->path, ".ini"))
		return true;
	if (ends_with(src->path, ".yaml") || ends_with(src->path, ".yml"))
		return false;
	for (size_t i = 0; i < src->len; i++) {
		char c = src->text[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '#' || c == ';') {
			while (i < src->len && src->text[i] != '\n')
				i++;
			continue;
		}
		return c == '[' && !memchr(src->text + i, ',', strcspn(src->text + i, "\n"));
	}
	return false;
}

static int read_ini(rt_arena *arena, rt_config *cfg, const rt_source *src, const char *cwd,
                    bool skip_url, rt_error *err)
{
	char *here;
	int rc = cfg_path_abs(arena, NULL, cfg_path_dir(arena, src->path), &here, err);
	if (rc < 0)
		return rc;
	ini_file *ini;
	if ((rc = cfg_ini_parse(arena, src, here, &ini, err)) < 0)
		return rc;
	cfg->ini_path = src->path;
	return cfg_apply_ini(arena, cfg, ini, cwd, skip_url, err);
}

/* retort.yaml, and the alembic.ini it names or that sits beside it. */
static int read_yaml(rt_arena *arena, rt_config *cfg, const rt_source *src, const char *cwd,
                     const struct cfg_env *env, bool skip_url, rt_error *err)
{
	yaml_cfg *y;
	int rc = cfg_yaml_parse(arena, src, &y, err);
	if (rc < 0)
		return rc;
	const char *dir = cfg_path_dir(arena, src->path);
	const char *ini = NULL;
	bool given;
	if ((rc = cfg_yaml_alembic_ini(y, env, &ini, &given, err)) < 0)
		return rc;
	if (ini) {
		ini = cfg_path_join(arena, dir, ini);
		if ((rc = must_exist(ini, rt_sprintf(arena, "'alembic_ini' in '%s'", src->path),
		                     err)) < 0)
			return rc;
	} else if (!given) {
		ini = cfg_path_join(arena, dir, "alembic.ini");
		if (!exists(ini))
			ini = NULL;
	}
	if (ini) {
		rt_source *isrc;
		if ((rc = rt_source_load(&isrc, arena, ini, err)) < 0 ||
		    (rc = read_ini(arena, cfg, isrc, cwd, skip_url, err)) < 0)
			return rc;
	}
	return cfg_yaml_apply(y, cfg, env, dir, skip_url, err);
}

/* Reads a *_FILE secret: one line, the trailing newline dropped. */
static int read_url_file(rt_arena *arena, const char *var, const char *path, char **out,
                         rt_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		int rc = rt_error_set(err, RT_ECONFIG, NULL, "cannot read %s file '%s': %s", var,
		                      path, strerror(errno));
		rt_error_hint(err, "%s names a file holding the database URL", var);
		return rc;
	}
	char *buf = rt_alloc(arena, MAX_URL_FILE + 1);
	size_t n = fread(buf, 1, MAX_URL_FILE + 1, f);
	bool failed = ferror(f);
	fclose(f);
	if (failed)
		return rt_error_set(err, RT_ECONFIG, NULL, "cannot read %s file '%s'", var, path);
	if (n > MAX_URL_FILE)
		return rt_error_set(err, RT_ELIMIT, NULL, "%s file '%s' is larger than %u bytes",
		                    var, path, MAX_URL_FILE);
	if (n && buf[n - 1] == '\n')
		n--;
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	if (strlen(buf) != n)
		return rt_error_set(err, RT_ECONFIG, NULL, "%s file '%s' contains a NUL byte", var,
		                    path);
	if (!n)
		return rt_error_set(err, RT_ECONFIG, NULL, "%s file '%s' is empty", var, path);
	*out = buf;
	return RT_OK;
}

/* RETORT_DATABASE_URL > RETORT_DATABASE_URL_FILE > DATABASE_URL > DATABASE_URL_FILE;
 * an empty variable counts as unset. */
static const struct {
	const char *name;
	bool file;
} url_vars[] = { { "RETORT_DATABASE_URL", false },
		 { "RETORT_DATABASE_URL_FILE", true },
		 { "DATABASE_URL", false },
		 { "DATABASE_URL_FILE", true } };

/* Index of the first URL variable that is set and not empty, or -1. */
static long url_var(const struct cfg_env *env)
{
	for (size_t i = 0; i < sizeof(url_vars) / sizeof(url_vars[0]); i++) {
		const char *v = cfg_getenv(env, url_vars[i].name);
		if (v && *v)
			return (long)i;
	}
	return -1;
}

/* RETORT_BUNDLE, and RETORT_TRUST as ':'-separated key files. */
static void apply_bundle_env(rt_arena *arena, rt_config *cfg, const struct cfg_env *env,
                             const char *cwd)
{
	const char *v = cfg_getenv(env, "RETORT_BUNDLE");
	if (v && *v) {
		cfg->bundle = cfg_path_join(arena, cwd, v);
		cfg_set_origin(arena, cfg, K_BUNDLE, NULL, "RETORT_BUNDLE");
	}
	v = cfg_getenv(env, "RETORT_TRUST");
	if (!v || !*v)
		return;
	cfg->trust = (rt_strv){ 0 };
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, ":");
		if (n)
			rt_strv_push(arena, &cfg->trust, cfg_path_join(arena, cwd, rt_strndup(arena, p, n)));
		p += n + (p[n] == ':');
	}
	cfg_set_origin(arena, cfg, K_TRUST, NULL, "RETORT_TRUST");
}

static int apply_env(rt_arena *arena, rt_config *cfg, const struct cfg_env *env,
                     const char *cwd, rt_error *err)
{
	apply_bundle_env(arena, cfg, env, cwd);
	long i = url_var(env);
	if (i < 0)
		return RT_OK;
	const char *name = url_vars[i].name, *v = cfg_getenv(env, name);
	if (!url_vars[i].file)
		return cfg_set_database(arena, cfg, v, name, NULL, name, RT_ECONFIG, err);
	char *path = cfg_path_join(arena, cwd, v), *url = NULL;
	int rc = read_url_file(arena, name, path, &url, err);
	if (rc < 0)
		return rc;
	const char *label = rt_sprintf(arena, "%s (%s)", name, path);
	return cfg_set_database(arena, cfg, url, label, NULL, label, RT_ECONFIG, err);
}

static int bad_flag(rt_error *err, const char *flag, const char *value, const char *accepted)
{
	int rc = rt_error_set(err, RT_EUSAGE, NULL, "invalid value '%s' for '%s'", value, flag);
	rt_error_hint(err, "%s", accepted);
	return rc;
}

static int flag_ident(rt_arena *arena, rt_config *cfg, enum cfg_key k, const char *flag,
                      const char *value, const char **dest, rt_error *err)
{
	if (!value)
		return RT_OK;
	if (!rt_config_valid_identifier(value))
		return bad_flag(err, flag, value, "a PostgreSQL name is 1 to 63 bytes long");
	*dest = value;
	cfg_set_origin(arena, cfg, k, NULL, flag);
	return RT_OK;
}

static int apply_flags(rt_arena *arena, rt_config *cfg, const rt_config_overrides *ov,
                       const char *cwd, rt_error *err)
{
	int rc;
	if (ov->database_url) {
		if (!*ov->database_url)
			return bad_flag(err, "--database", "", "give a postgresql:// URL");
		rc = cfg_set_database(arena, cfg, ov->database_url, "--database", NULL, "--database",
		                      RT_EUSAGE, err);
		if (rc < 0)
			return rc;
	}
	if (ov->script_location) {
		cfg->script_location = cfg_path_join(arena, cwd, ov->script_location);
		cfg_set_origin(arena, cfg, K_SCRIPT_LOCATION, NULL, "--scripts");
	}
	if (ov->version_locations.n) {
		cfg->version_locations = (rt_strv){ 0 };
		for (size_t i = 0; i < ov->version_locations.n; i++)
			rt_strv_push(arena, &cfg->version_locations,
			             cfg_path_join(arena, cwd, ov->version_locations.v[i]));
		cfg_set_origin(arena, cfg, K_VERSION_LOCATIONS, NULL, "--version-location");
	}
	if ((rc = flag_ident(arena, cfg, K_VERSION_TABLE, "--version-table", ov->version_table,
	                     &cfg->version_table, err)) < 0 ||
	    (rc = flag_ident(arena, cfg, K_VERSION_TABLE_SCHEMA, "--version-table-schema",
	                     ov->version_table_schema, &cfg->version_table_schema, err)) < 0 ||
	    (rc = flag_ident(arena, cfg, K_HISTORY_TABLE, "--history-table", ov->history_table,
	                     &cfg->history_table, err)) < 0)
		return rc;
	if (ov->transaction) {
		if (!cfg_parse_transaction(ov->transaction, &cfg->transaction))
			return bad_flag(err, "--transaction", ov->transaction,
			                "accepted values: 'per-migration', 'single'");
		cfg_set_origin(arena, cfg, K_TRANSACTION, NULL, "--transaction");
	}
	if (ov->format) {
		if (!cfg_parse_format(ov->format, &cfg->format))
			return bad_flag(err, "--format", ov->format, "accepted values: 'text', 'json'");
		cfg_set_origin(arena, cfg, K_FORMAT, NULL, "--format");
	}
	/* `!(x >= 0)` also refuses NaN */
	if (ov->wait_set) {
		if (!(ov->wait >= 0))
			return bad_flag(err, "--wait", "negative", "a number of seconds, 0 or more");
		cfg->wait = ov->wait;
		cfg_set_origin(arena, cfg, K_WAIT, NULL, "--wait");
	}
	if (ov->lock_timeout_set) {
		if (ov->lock_timeout != ov->lock_timeout)
			return bad_flag(err, "--lock-timeout", "nan", "a number of seconds");
		cfg->lock_timeout = ov->lock_timeout;
		cfg_set_origin(arena, cfg, K_LOCK_TIMEOUT, NULL, "--lock-timeout");
	}
	if (ov->statement_lock_timeout_set) {
		if (!(ov->statement_lock_timeout >= 0))
			return bad_flag(err, "--statement-lock-timeout", "negative",
			                "a number of seconds, 0 or more");
		cfg->statement_lock_timeout = ov->statement_lock_timeout;
		cfg_set_origin(arena, cfg, K_STATEMENT_LOCK_TIMEOUT, NULL, "--statement-lock-timeout");
	}
	if (ov->verbosity_set) {
		cfg->verbosity = ov->verbosity;
		cfg_set_origin(arena, cfg, K_VERBOSITY, NULL, "-q/-v");
	}
	if (ov->allow_multiple_heads_set) {
		cfg->allow_multiple_heads = ov->allow_multiple_heads;
		cfg_set_origin(arena, cfg, K_ALLOW_MULTIPLE_HEADS, NULL, "--allow-multiple-heads");
	}
	if (ov->bundle) {
		if (!*ov->bundle)
			return bad_flag(err, "--bundle", "", "give the path of a bundle file");
		cfg->bundle = cfg_path_join(arena, cwd, ov->bundle);
		cfg_set_origin(arena, cfg, K_BUNDLE, NULL, "--bundle");
	}
	if (ov->trust.n) {
		cfg->trust = (rt_strv){ 0 };
		for (size_t i = 0; i < ov->trust.n; i++)
			rt_strv_push(arena, &cfg->trust, cfg_path_join(arena, cwd, ov->trust.v[i]));
		cfg_set_origin(arena, cfg, K_TRUST, NULL, "--trust");
	}
	return RT_OK;
}

/* -c, else RETORT_CONFIG, else ./retort.yaml, else ./alembic.ini; NULL if none. */
static int find_config(rt_arena *arena, const rt_config_overrides *ov,
                       const struct cfg_env *env, const char *cwd, const char **path,
                       rt_error *err)
{
	*path = NULL;
	const char *named = ov->config_path, *by = "-c";
	if (!named || !*named) {
		named = cfg_getenv(env, "RETORT_CONFIG");
		by = "RETORT_CONFIG";
	}
	if (named && *named) {
		*path = cfg_path_join(arena, cwd, named);
		return must_exist(*path, by, err);
	}
	static const char *const candidates[] = { "retort.yaml", "alembic.ini" };
	for (size_t i = 0; i < 2; i++) {
		const char *p = cfg_path_join(arena, cwd, candidates[i]);
		if (exists(p)) {
			*path = p;
			break;
		}
	}
	return RT_OK;
}

int rt_config_load(rt_config **out, rt_arena *arena, const rt_config_overrides *ov,
                   rt_getenv_fn getenv_fn, void *env_ctx, const char *cwd, rt_error *err)
{
	static const rt_config_overrides no_flags;
	struct cfg_env env = { getenv_fn, env_ctx };
	if (!ov)
		ov = &no_flags;
	*out = NULL;
	rt_config *cfg = bare_config(arena);
	const char *path;
	int rc = find_config(arena, ov, &env, cwd, &path, err);
	if (rc < 0)
		return rc;
	/* default script location: beside retort.yaml, else the working directory */
	const char *default_base = cwd;
	bool url_overridden = ov->database_url || url_var(&env) >= 0;
	if (path) {
		rt_source *src;
		if ((rc = rt_source_load(&src, arena, path, err)) < 0)
			return rc;
		cfg->config_path = src->path;
		if (looks_like_ini(src)) {
			rc = read_ini(arena, cfg, src, cwd, url_overridden, err);
			if (rc == RT_OK && !cfg->script_location && !ov->script_location) {
				/* Alembic refuses this file; retort should not guess a folder */
				rt_loc loc = { .path = cfg->ini_path };
				rc = rt_error_set(err, RT_ECONFIG, &loc,
				                  "no 'script_location' key found in '%s'", path);
				rt_error_hint(err, "add 'script_location = %%(here)s/migrations' to "
				              "[alembic], or pass --scripts DIR");
			}
		} else {
			rc = read_yaml(arena, cfg, src, cwd, &env, url_overridden, err);
			default_base = cfg_path_dir(arena, src->path);
		}
		if (rc < 0)
			return rc;
	}
	if (!ov->database_url && (rc = apply_env(arena, cfg, &env, cwd, err)) < 0)
		return rc;
	if ((rc = apply_flags(arena, cfg, ov, cwd, err)) < 0)
		return rc;
	finish_paths(arena, cfg, default_base);
	*out = cfg;
	return RT_OK;
}

static long key_of(const char *key)
{
	for (size_t i = 0; key && i < K_COUNT; i++)
		if (strcmp(cfg_key_names[i], key) == 0)
			return (long)i;
	return -1;
}

rt_loc rt_config_key_loc(const rt_config *cfg, const char *key)
{
	long k = key_of(key);
	rt_loc none = { 0 };
	return k < 0 || !cfg->origins ? none : cfg->origins->loc[k];
}

const char *rt_config_key_origin(const rt_config *cfg, const char *key)
{
	long k = key_of(key);
	return k < 0 || !cfg->origins ? NULL : cfg->origins->label[k];
}

const rt_type_map_entry *rt_config_find_type(const rt_config *cfg, const char *python_name)
{
	for (size_t i = 0; i < cfg->ntypes; i++)
		if (strcmp(cfg->types[i].python_name, python_name) == 0)
			return &cfg->types[i];
	return NULL;
}

const rt_assume_entry *rt_config_find_assume(const rt_config *cfg, const char *python_name)
{
	for (size_t i = 0; cfg && i < cfg->nassumes; i++)
		if (strcmp(cfg->assumes[i].python_name, python_name) == 0)
			return &cfg->assumes[i];
	return NULL;
}
