/*
 * Private to src/config: the key table, origin bookkeeping, the injected
 * environment, ${VAR} expansion, paths, and the two file readers. Layers are
 * applied lowest first (alembic.ini, retort.yaml, environment, flags), each
 * overwriting what it sets and recording where the value came from.
 */
#ifndef RETORT_CONFIG_INT_H
#define RETORT_CONFIG_INT_H

#include "retort/config.h"
#include "retort/source.h"

enum cfg_key {
	K_DATABASE,
	K_SCRIPT_LOCATION,
	K_VERSION_LOCATIONS,
	K_RECURSIVE_VERSION_LOCATIONS,
	K_SOURCELESS,
	K_VERSION_TABLE,
	K_VERSION_TABLE_SCHEMA,
	K_VERSION_TABLE_PK,
	K_HISTORY_TABLE,
	K_TRANSACTION,
	K_LOCK_TIMEOUT,
	K_WAIT,
	K_STATEMENT_LOCK_TIMEOUT,
	K_ALLOW_MULTIPLE_HEADS,
	K_FORMAT,
	K_VERBOSITY,
	K_TYPES,
	K_FILE_TEMPLATE,
	K_TRUNCATE_SLUG_LENGTH,
	K_TIMEZONE,
	K_ALEMBIC_INI,
	K_SCRATCH_DATABASES,
	K_ASSUME,
	K_NAMING_CONVENTION,
	K_BUNDLE,
	K_TRUST,
	K_TARGETS,
	K_SCHEMAS,
	K_COUNT
};

/* retort.yaml key names, indexed by enum cfg_key. */
extern const char *const cfg_key_names[K_COUNT];

struct rt_config_origins {
	rt_loc loc[K_COUNT];
	const char *label[K_COUNT];
};

/* Records that key k now comes from loc (may be NULL) / label. */
void cfg_set_origin(rt_arena *arena, rt_config *cfg, enum cfg_key k, const rt_loc *loc,
                    const char *label);
/* "path:line" for a file position. */
const char *cfg_loc_label(rt_arena *arena, const rt_loc *loc);

struct cfg_env {
	rt_getenv_fn fn;
	void *ctx;
};
/* The variable's value; NULL when unset. */
const char *cfg_getenv(const struct cfg_env *env, const char *name);

/* Why ${...} expansion failed, and where in the input (byte offset). */
struct cfg_expand_fail {
	size_t offset;
	const char *var;  /* the unset variable, or NULL for a syntax error */
	const char *what; /* for syntax errors */
};
/* Expands ${VAR}, ${VAR:-default}, ${VAR-default} and $${ (a literal "${")
 * in s. Returns the expanded copy, or NULL and fills *fail. */
char *cfg_expand(rt_arena *arena, const char *s, const struct cfg_env *env,
                 struct cfg_expand_fail *fail);

/* Lexical path helpers (Python's os.path.normpath/join): no file system. */
char *cfg_path_norm(rt_arena *arena, const char *path);
/* rel against base (NULL or "." keeps rel relative); absolute rel wins. */
char *cfg_path_join(rt_arena *arena, const char *base, const char *rel);
/* The folder part of path; "." for a bare file name. */
char *cfg_path_dir(rt_arena *arena, const char *path);
/* Absolute form of path (base, then the process cwd, in front if relative). */
int cfg_path_abs(rt_arena *arena, const char *base, const char *path, char **out,
                 rt_error *err);

/* The closest of names[0..n) to word by edit distance, or NULL if none is
 * close enough to be a plausible typo. */
const char *cfg_suggest(const char *word, const char *const *names, size_t n);

/* The words of the enumerated settings, shared by retort.yaml and the
 * flags; false (out untouched) for any other text. */
bool cfg_parse_transaction(const char *text, rt_tx_mode *out); /* per-migration, single */
bool cfg_parse_format(const char *text, rt_format *out);       /* text, json */

/* Refuses a target URL of another database kind (RT_ECONFIG at loc,
 * naming `what`). Keyword/value strings pass. */
int cfg_check_target(rt_arena *arena, const char *url, const rt_loc *loc, const char *what,
                     rt_error *err);

/* URL scheme length when s starts with "scheme://", else 0. */
size_t cfg_url_scheme_len(const char *s);
/* True for postgresql:// and postgres:// URLs (after dropping +driver). */
bool cfg_url_is_postgres(const char *s);

/*
 * alembic.ini with Python ConfigParser semantics (strict, no inline
 * comments, BasicInterpolation). Values are interpolated when read, as
 * ConfigParser does, so unrelated sections (logging formats) never fail.
 */
typedef struct ini_file ini_file;
/* here: the absolute folder of the file, the `%(here)s` default. */
int cfg_ini_parse(rt_arena *arena, const rt_source *src, const char *here, ini_file **out,
                  rt_error *err);
bool cfg_ini_has_section(const ini_file *ini, const char *section);
/* The interpolated value of key in section (or [DEFAULT]). RT_ENOTFOUND
 * (err untouched) when absent; RT_ECONFIG for a bad %(...)s reference.
 * loc (may be NULL) receives the value's position. */
int cfg_ini_get(const ini_file *ini, const char *section, const char *key, const char **value,
                rt_loc *loc, rt_error *err);

/* Applies an alembic.ini's [alembic] section to cfg. Relative paths
 * resolve against cwd, as Alembic does (NULL: stay relative). With
 * skip_url, sqlalchemy.url is not read (a flag or variable overrides it). */
int cfg_apply_ini(rt_arena *arena, rt_config *cfg, const ini_file *ini, const char *cwd,
                  bool skip_url, rt_error *err);
/* version_locations split by Alembic's separator rules; exported for tests.
 * sep_key is "path_separator", "version_path_separator" or NULL (legacy). */
int cfg_split_locations(rt_arena *arena, const char *value, const char *sep_key,
                        const char *sep_value, const rt_loc *loc, rt_strv *out, rt_error *err);

/* retort.yaml: parsed and checked for unknown or repeated keys first, so the
 * alembic.ini it names can be applied before its own values. */
typedef struct yaml_cfg yaml_cfg;
int cfg_yaml_parse(rt_arena *arena, const rt_source *src, yaml_cfg **out, rt_error *err);
/* The `alembic_ini` setting: *path NULL and *given false when absent;
 * *path NULL and *given true when null or empty (read no ini). */
int cfg_yaml_alembic_ini(yaml_cfg *y, const struct cfg_env *env, const char **path,
                         bool *given, rt_error *err);
/* Applies every other key; relative paths resolve against base_dir. With
 * skip_database, `database` is not even expanded: a flag or variable
 * overrides it, so an unset ${VAR} in it must not fail the run. */
int cfg_yaml_apply(yaml_cfg *y, rt_config *cfg, const struct cfg_env *env,
                   const char *base_dir, bool skip_database, rt_error *err);

/* Sets cfg->database_url from text (drops +driver), refusing non-PostgreSQL
 * URLs with `code` at loc, naming `what`. */
int cfg_set_database(rt_arena *arena, rt_config *cfg, const char *text, const char *what,
                     const rt_loc *loc, const char *label, rt_code code, rt_error *err);

#endif
