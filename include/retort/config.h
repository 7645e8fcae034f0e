/*
 * Configuration: retort.yaml, alembic.ini, the environment and command-line
 * flags, merged with the precedence of SPEC §1 (flags > environment >
 * retort.yaml > alembic.ini > defaults). docs/configuration.md lists every
 * key. Everything returned lives in the arena passed in.
 */
#ifndef RETORT_CONFIG_H
#define RETORT_CONFIG_H

#include "arena.h"
#include "common.h"
#include "error.h"

typedef enum rt_tx_mode { RT_TX_PER_MIGRATION = 0, RT_TX_SINGLE = 1 } rt_tx_mode;
typedef enum rt_format { RT_FORMAT_TEXT = 0, RT_FORMAT_JSON = 1 } rt_format;

/* One `types:` entry: a dotted Python name used in version files and the SQL
 * type it stands for. loc is the entry's place in retort.yaml. */
typedef struct rt_type_map_entry {
	const char *python_name;
	const char *sql;
	rt_loc loc;
} rt_type_map_entry;

/* One `assume:` entry: a dotted Python name a version file uses (an
 * application function, a setting) and the value a call to it, or a bare
 * reference, evaluates to. loc is the entry's key in retort.yaml. */
typedef enum rt_assume_kind {
	RT_ASSUME_NONE, RT_ASSUME_BOOL, RT_ASSUME_INT, RT_ASSUME_STR
} rt_assume_kind;

typedef struct rt_assume_entry {
	const char *python_name;
	rt_assume_kind kind;
	int64_t i;       /* BOOL (0/1) and INT */
	const char *str; /* STR, possibly empty */
	rt_loc loc;
} rt_assume_entry;

/* One `naming_convention:` entry: "ix", "uq", "ck", "fk" or "pk" and its
 * SQLAlchemy %(token)s template. loc is the entry's key in retort.yaml. */
typedef struct rt_naming_entry {
	const char *key, *tmpl;
	rt_loc loc;
} rt_naming_entry;

/* Where each key's value came from (private to src/config). */
typedef struct rt_config_origins rt_config_origins;

typedef struct rt_config {
	const char *config_path;  /* the main file read (retort.yaml or alembic.ini), or NULL */
	const char *ini_path;     /* the alembic.ini read: the main file, or the one beside
	                           * retort.yaml (or named by its `alembic_ini`); NULL if none */
	const char *database_url; /* +driver dropped; NULL: libpq defaults apply */
	const char *database_url_origin; /* for messages: "--database", "RETORT_DATABASE_URL",
	                                  * "DATABASE_URL_FILE (/run/secrets/db)",
	                                  * "retort.yaml:3", "alembic.ini:12"; NULL if no URL */
	const char *script_location;     /* resolved path, see docs/configuration.md */
	rt_strv version_locations;       /* resolved folders in configured order; when none
	                                  * are configured: <script_location>/versions */
	bool recursive_version_locations;
	bool sourceless;
	const char *version_table;        /* default "alembic_version" */
	const char *version_table_schema; /* NULL: search_path */
	bool version_table_pk;            /* default true */
	const char *history_table;        /* default "retort_history" */
	rt_tx_mode transaction;           /* default per-migration */
	double lock_timeout;              /* seconds; < 0: wait forever (default) */
	double wait;                      /* seconds; 0: do not wait (default) */
	double statement_lock_timeout;    /* seconds; 0: not set (default) */
	bool allow_multiple_heads;        /* `check`: several heads warn instead of fail */
	rt_format format;
	int verbosity;                    /* -1 quiet, 0 normal, 1+ verbose */
	rt_type_map_entry *types;
	size_t ntypes;
	rt_assume_entry *assumes;         /* `assume:` */
	size_t nassumes;
	rt_naming_entry *naming_convention; /* NULL: not set (env.py's, else a bare
	                                     * MetaData()'s); set but empty: MetaData()'s */
	size_t nnaming;
	const char *file_template;        /* Python %-template, default "%(rev)s_%(slug)s" */
	int truncate_slug_length;         /* default 40 */
	const char *timezone;             /* NULL: local time */
	rt_strv scratch_databases;        /* databases `lint --trace` may run steps on,
	                                   * besides names containing "scratch" */
	const char *bundle;               /* a deploy bundle to read the project from, or NULL */
	rt_strv trust;                    /* public key files a bundle must be signed by */
	rt_strv targets;                  /* `targets:` URLs, expanded, +driver dropped:
	                                   * upgrade/current/verify run on each (fleet) */
	const char *schemas;              /* `schemas:` as --schemas takes it: names joined
	                                   * by commas, or a query; NULL: none */
	rt_diags warnings;                /* things ignored on purpose (e.g. a placeholder
	                                   * sqlalchemy.url); the CLI shows them with -v */
	rt_config_origins *origins;
} rt_config;

/* Command-line flags. NULL / n == 0 / *_set == false: not given. */
typedef struct rt_config_overrides {
	const char *config_path;     /* -c */
	const char *database_url;    /* -d */
	const char *script_location; /* -s */
	rt_strv version_locations;   /* --version-location, repeatable; replaces the list */
	const char *version_table;
	const char *version_table_schema;
	const char *history_table;
	const char *transaction;     /* "per-migration" | "single" */
	const char *format;          /* "text" | "json" */
	double wait;
	bool wait_set;
	double lock_timeout;         /* < 0: wait forever */
	bool lock_timeout_set;
	double statement_lock_timeout;
	bool statement_lock_timeout_set;
	int verbosity;
	bool verbosity_set;
	bool allow_multiple_heads;
	bool allow_multiple_heads_set;
	const char *bundle;          /* --bundle */
	rt_strv trust;               /* --trust, repeatable; replaces the list */
} rt_config_overrides;

/* getenv-like lookup, so tests can inject an environment. The result must
 * stay valid until rt_config_load returns. */
typedef const char *(*rt_getenv_fn)(const char *name, void *ctx);

/*
 * Loads the configuration. ov may be NULL (no flags); getenv_fn NULL means
 * the process environment. cwd is the folder that discovery (./retort.yaml,
 * ./alembic.ini) and relative paths from flags and alembic.ini start from;
 * NULL means the process's working directory, and relative paths then stay
 * relative. With no configuration file at all the defaults apply (script
 * location "migrations").
 *
 * Returns RT_OK and sets *out, or fills err and returns:
 *   RT_ENOTFOUND   a file named by -c, RETORT_CONFIG or `alembic_ini` is missing
 *   RT_ESYNTAX     retort.yaml or alembic.ini cannot be parsed (file:line:col)
 *   RT_ECONFIG     unknown key, bad value, unset ${VAR}, unreadable *_FILE
 *   RT_EUSAGE      a bad flag value (--format xml, an invalid --version-table)
 *   RT_EOS, RT_ELIMIT  reading a file failed / it is too large
 * No message contains a database password.
 */
int rt_config_load(rt_config **out, rt_arena *arena, const rt_config_overrides *ov,
                   rt_getenv_fn getenv_fn, void *env_ctx, const char *cwd, rt_error *err);

/* A configuration holding only the defaults, for tests and tools that need
 * no files. Never fails. */
rt_config *rt_config_new_default(rt_arena *arena);

/*
 * Where the value of `key` (a retort.yaml key name, e.g. "lock_timeout",
 * "database", "version_locations") came from. rt_config_key_loc gives the
 * file position (path NULL when the value came from a flag, the environment
 * or the defaults); rt_config_key_origin a short label such as
 * "retort.yaml:7", "alembic.ini:3", "--lock-timeout", "RETORT_DATABASE_URL",
 * or NULL for a default.
 */
rt_loc rt_config_key_loc(const rt_config *cfg, const char *key);
const char *rt_config_key_origin(const rt_config *cfg, const char *key);

/* The `types:` entry for a dotted Python name, or NULL. */
const rt_type_map_entry *rt_config_find_type(const rt_config *cfg, const char *python_name);

/* The `assume:` entry for a dotted Python name, or NULL. */
const rt_assume_entry *rt_config_find_assume(const rt_config *cfg, const char *python_name);

/*
 * Parses a duration: a plain number of seconds ("300", "1.5") or numbers with
 * units ms, s, m, h ("500ms", "5s", "2m", "1m30s"). Negative values, "inf"
 * and "nan" are refused. Returns true and sets *seconds, else false.
 */
bool rt_config_parse_duration(const char *text, double *seconds);

/* True when s can name a PostgreSQL table or schema: 1 to 63 bytes. It is
 * quoted where used, so any other byte is allowed. */
bool rt_config_valid_identifier(const char *s);

/*
 * Copies url with every password hidden, for messages: the password of a
 * "scheme://user:secret@host/db" URL becomes "***", and so do `password` and
 * `sslpassword` values in a URL's query string and in keyword/value
 * connection strings ("password=secret", "password = 'it''s'"). A string that
 * cannot be parsed but mentions a password is replaced whole by "***".
 * NULL gives NULL.
 */
char *rt_url_mask(rt_arena *arena, const char *url);

/*
 * Drops a SQLAlchemy "+driver" suffix from a URL's scheme
 * ("postgresql+psycopg2://..." -> "postgresql://..."), leaving every other
 * byte untouched; other strings are copied as they are.
 */
char *rt_url_drop_driver(rt_arena *arena, const char *url);

/*
 * Reads a fleet targets file: one database URL (or libpq string) per line;
 * blank lines and comments ('#' at a line's start or after a blank) are
 * skipped; ${VAR} expands as in retort.yaml (getenv_fn NULL: the process
 * environment). Appends each URL (+driver dropped) to urls and the line as
 * written, password masked, to lines (what a user puts in a file to run
 * those targets again). RT_ECONFIG at file:line:col for an unset variable or
 * a non-PostgreSQL URL; RT_EOS/RT_ELIMIT when the file cannot be read.
 */
int rt_config_read_targets(rt_arena *arena, const char *path, rt_getenv_fn getenv_fn,
                           void *env_ctx, rt_strv *urls, rt_strv *lines, rt_error *err);

#endif
