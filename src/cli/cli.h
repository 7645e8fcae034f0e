/*
 * The command-line front end: one file per command (cmd_<name>.c), each
 * exporting a `struct cli_cmd` that declares what it needs. main.c does that
 * setup in data-flow order (config, sources, graph, database session), runs
 * the command with a context, and maps the result to an exit code. Commands
 * print only through cli_emit (event.c). Only src/cli/ prints or exits.
 */
#ifndef RETORT_CLI_H
#define RETORT_CLI_H

#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "opt.h"
#include "retort/arena.h"
#include "retort/config.h"
#include "retort/error.h"
#include "retort/db.h"
#include "retort/exec.h"
#include "retort/fleet.h"
#include "retort/graph.h"
#include "retort/plan.h"
#include "retort/project.h"
#include "retort/sign.h"
#include "retort/step_source.h"

#define CLI_NEED_PROJECT (1u << 0) /* discover and read the version files */
#define CLI_NEED_GRAPH (1u << 1)   /* build the revision graph (implies PROJECT) */
#define CLI_TOLERATE_BROKEN (1u << 2) /* run even when loading found errors (check) */
#define CLI_FROM_BUNDLE (1u << 3)  /* with a bundle set (--bundle), read the project from it */

/* What a command needs from the database. main.c opens the session it names
 * (every value from CLI_DB_READ on) before the command runs, after the
 * arguments were checked, and closes it after: a command never opens or
 * closes one itself. */
enum cli_db {
	CLI_DB_NONE,   /* never connects */
	CLI_DB_OWN,    /* connects by itself to URLs it is given (fingerprint; lint,
	                  when -d or the environment names one): main.c opens no session */
	CLI_DB_READ,   /* a read-only session; ctx->session holds the rows and applied state */
	CLI_DB_WRITE,  /* a writable session; the command takes the lock (cli_session_lock)
	                  only when it has work (upgrade, downgrade, stamp) */
	CLI_DB_LOCKED, /* a writable session, the migration lock taken and the rows read
	                  under it before the command runs (repair) */
};

/* A flag option that changes what the command needs when it is given:
 * upgrade's --sql makes it offline, --dry-run read-only. */
struct cli_db_switch {
	const char *option; /* the long name of a CLI_OPT_FLAG in the command's table */
	enum cli_db db;
};

#define CLI_ARGS_MANY ((size_t)-1)

struct cli_session;
struct cli_event;

struct cli_ctx {
	rt_arena *arena;
	rt_config *cfg;
	const rt_config_overrides *ov; /* the global flags as given (to repeat them in advice) */
	rt_project *project;
	rt_graph *graph;
	rt_diags diags;     /* findings from loading and building, for check and refusals */
	rt_format format;
	/* the renderer cli_emit hands events to, chosen once from the format */
	void (*render)(struct cli_ctx *ctx, const struct cli_event *ev);
	int verbosity;      /* -1 quiet, 0 normal, >0 verbose */
	bool color;
	FILE *out;
	FILE *err;
	const char *cmd_name;
	/* the command's options struct (cmd->opts_size bytes, zeroed, one per run);
	 * its hooks may keep what they share there too */
	void *opts;
	/* the session the command declared (cmd->db), open while it runs; else NULL */
	struct cli_session *session;
	rt_db_pending *db_pending; /* the connection started before the files were read */
	struct rt_bundle *bundle;  /* the deploy bundle the project came from, or NULL */
	/* In a fleet's child (fleet.c): the target, masked, added to every JSON
	 * event as "target"; and the report the command fills for the table. */
	const char *target;
	rt_fleet_report *report;
	int exit_status; /* when non-zero, the exit status (a fleet's worst one) */
};

/*
 * A command (cmd_<name>.c) is data: what it is called, its options, what it
 * needs, and its hooks. main.c does the setup the declaration asks for, in
 * data-flow order: config, the version files, the graph, the argument count,
 * validate, the database session; then run; then it closes the session and
 * maps the result to an exit code.
 */
struct cli_cmd {
	const char *name;
	const char *args;    /* usage after the name, e.g. "[-r RANGE] [--verbose]" */
	const char *summary; /* one line for `retort help` */
	/* NULL-terminated table, may be NULL; each entry's offset is into the
	 * options struct of opts_size bytes that ctx->opts points to */
	const struct cli_opt *opts;
	size_t opts_size;
	unsigned flags;      /* CLI_NEED_*, CLI_TOLERATE_BROKEN, CLI_FROM_BUNDLE */
	/* optional: the flags after the options given, when they change them
	 * (bundle --inspect reads no project) */
	unsigned (*need)(const struct cli_ctx *ctx);
	size_t min_args, max_args; /* positional arguments (CLI_ARGS_MANY: no limit) */
	enum cli_db db;
	struct cli_db_switch db_switch[2]; /* the first one given wins */
	/* optional, before the project is read: may set popts->loaded (check) */
	void (*prepare_load)(struct cli_ctx *ctx, rt_project_opts *popts);
	/* optional: refuses bad arguments before the session opens */
	int (*validate)(struct cli_ctx *ctx, const rt_strv *args, rt_error *err);
	int (*run)(struct cli_ctx *ctx, const rt_strv *args, rt_error *err);
	/* The command also runs on fleets (--targets, --schemas...): its options
	 * struct holds a struct cli_fleet_opts at fleet_at. */
	bool fleet;
	size_t fleet_at;
};

/*
 * Output events (event.c). Every line the commands print is an event: its
 * JSON form (a name and fields) and its text form (a string already formatted
 * and where it goes). The renderer chosen once from --format prints one form;
 * an event with no name has no JSON form, one with no text no text form.
 */
enum cli_field_type {
	CLI_FIELD_END,
	CLI_FIELD_STR,     /* v.s; null when NULL, or omitted with omit_null */
	CLI_FIELD_STRN,    /* v.s of n bytes */
	CLI_FIELD_BOOL,    /* v.b */
	CLI_FIELD_SIZE,    /* v.z */
	CLI_FIELD_INT,     /* v.i */
	CLI_FIELD_FIXED,   /* v.d with n decimals */
	CLI_FIELD_STRV,    /* v.strv as an array of strings */
	CLI_FIELD_REVIDS,  /* v.revs as an array of their ids */
	CLI_FIELD_LOC,     /* v.loc as "file","line","col" (each only when set); no key */
	CLI_FIELD_JSON,    /* v.s: a value already encoded; omitted when NULL with omit_null */
};
struct cli_field {
	enum cli_field_type type;
	const char *key;
	bool omit_null;
	union {
		const char *s;
		bool b;
		size_t z;
		long long i;
		double d;
		const rt_strv *strv;
		const rt_revlist *revs;
		const rt_loc *loc;
	} v;
	size_t n;
};
#define CLI_STR(k, x) { CLI_FIELD_STR, (k), false, { .s = (x) }, 0 }
#define CLI_STR_OPT(k, x) { CLI_FIELD_STR, (k), true, { .s = (x) }, 0 }
#define CLI_STRN(k, x, len) { CLI_FIELD_STRN, (k), false, { .s = (x) }, (len) }
#define CLI_BOOL(k, x) { CLI_FIELD_BOOL, (k), false, { .b = (x) }, 0 }
#define CLI_SIZE(k, x) { CLI_FIELD_SIZE, (k), false, { .z = (x) }, 0 }
#define CLI_INT(k, x) { CLI_FIELD_INT, (k), false, { .i = (x) }, 0 }
#define CLI_FIXED(k, x, decimals) { CLI_FIELD_FIXED, (k), false, { .d = (x) }, (decimals) }
#define CLI_STRV(k, x) { CLI_FIELD_STRV, (k), false, { .strv = (x) }, 0 }
#define CLI_REVIDS(k, x) { CLI_FIELD_REVIDS, (k), false, { .revs = (x) }, 0 }
#define CLI_LOC(x) { CLI_FIELD_LOC, NULL, false, { .loc = (x) }, 0 }
#define CLI_JSON(k, x) { CLI_FIELD_JSON, (k), false, { .s = (x) }, 0 }
#define CLI_JSON_OPT(k, x) { CLI_FIELD_JSON, (k), true, { .s = (x) }, 0 }
/* A field list for struct cli_event: CLI_FIELDS(CLI_STR("id", id), CLI_BOOL("ok", ok)) */
#define CLI_FIELDS(...) ((const struct cli_field[]){ __VA_ARGS__, { CLI_FIELD_END } })

#define CLI_TEXT_STDERR (1u << 0)  /* the text goes to stderr (progress, diagnostics) */
#define CLI_TEXT_ALWAYS (1u << 1)  /* shown with -q too: the command's result */
#define CLI_TEXT_VERBOSE (1u << 2) /* shown only with -v */
#define CLI_TEXT_FLUSH (1u << 3)   /* flushed at once: a line the next event ends */

struct cli_event {
	const char *name;               /* JSON {"event":name,...}; NULL: no JSON form */
	const struct cli_field *fields; /* CLI_FIELDS(...), or NULL for none */
	const char *text;               /* the text form; NULL: none */
	unsigned text_flags;            /* CLI_TEXT_* */
};
void cli_emit(struct cli_ctx *ctx, const struct cli_event *ev);
/* Chooses ctx->render from format, once the configuration is read. */
void cli_set_format(struct cli_ctx *ctx, rt_format format);
/* Appends {fields} (an object, for a JSON field holding several). */
void cli_json_object(rt_buf *b, const struct cli_field *fields);

/* Exit status for a library result (SPEC §2). */
int cli_exit_code(int rc);

/* Writes a buffer's bytes to f (nothing for an untouched, empty buffer). */
void cli_write(FILE *f, const rt_buf *b);

/* path relative to the working directory when it lies below it, else path. */
const char *cli_relpath(const char *path);

/* Prints err (file:line:col, message, detail, hint) to ctx->err, or as a
 * JSON "error" event on ctx->out in JSON mode. */
void cli_print_error(struct cli_ctx *ctx, const rt_error *err);
/* Prints every diagnostic (sorted) with source excerpts in text mode, or as
 * JSON "diagnostic" events. Warnings are hidden with -q. */
void cli_print_diags(struct cli_ctx *ctx, rt_diags *diags);
/* A revision listing: one JSON "revision" event per revision (id, parents,
 * labels, dependencies, message, path, head/branchpoint/mergepoint flags), or
 * text, Alembic's rendering of the same list (shown with -q too). */
void cli_emit_revisions(struct cli_ctx *ctx, const rt_revlist *revs, const char *text);
/* Points fmt at the whole docstrings of version files (verbose listings). */
void cli_longdoc(rt_graph_fmt *fmt);

/* A database session (session.c). Signals set cli_interrupted to the
 * signal number and cancel the running statement. */
extern volatile sig_atomic_t cli_interrupted;
/* SIGINT/SIGTERM set cli_interrupted and cancel the session's statement. */
void cli_install_signals(void);
#define CLI_SESSION_WRITE (1u << 0) /* refuse read-only servers and standbys */
#define CLI_SESSION_LOCK (1u << 1)  /* take the migration lock */
struct cli_session {
	rt_db *db;
	rt_vtable vt;
	rt_history hist;
	rt_strv rows;            /* the version table, read after the lock */
	rt_history_sums sums;
	rt_applied_state state;
	bool locked;
	rt_db_state db_state;    /* rows and sums as read, with which tables exist */
	struct timespec started; /* when connecting began (a run's duration counts it) */
};
int cli_session_open(struct cli_ctx *ctx, struct cli_session *s, unsigned flags, rt_error *err);
/* Takes the migration lock (reporting the holder while waiting) and reads the
 * rows, checksums and applied state again under it. */
int cli_session_lock(struct cli_ctx *ctx, struct cli_session *s, rt_error *err);
/* After a lost connection (rt_db_lost): a new writable session, --wait
 * applying again, without the lock (take it with cli_session_lock). */
int cli_session_reconnect(struct cli_ctx *ctx, struct cli_session *s, rt_error *err);
/* A read-only connection to url beside any session (fingerprint, a fleet's
 * --targets-query), --wait applying; the caller closes it. */
int cli_connect_read_only(struct cli_ctx *ctx, const char *url, rt_db **db, rt_error *err);
/* Starts connecting before the version files are read (main.c); the next
 * cli_session_open finishes that connection. */
void cli_session_prestart(struct cli_ctx *ctx);
/* The session flags a declared need opens with (0 for CLI_DB_READ). */
unsigned cli_session_flags(enum cli_db db);
void cli_session_close(struct cli_session *s);

/* Fleet options (fleet.c), shared by upgrade, current and verify. */
struct cli_fleet_opts {
	const char *targets, *targets_query, *schemas, *jobs, *canary;
	bool continue_on_error;
};
/* The entries of an options table for a struct cli_fleet_opts member m of type. */
#define CLI_FLEET_OPTIONS(type, m) \
	{ 0, "targets", CLI_OPT_STRING, CLI_OPT_AT(type, m.targets), "FILE", \
	  "run on every database listed in FILE (one URL per line)" }, \
	{ 0, "targets-query", CLI_OPT_STRING, CLI_OPT_AT(type, m.targets_query), "SQL", \
	  "run on the database URLs this query returns on -d" }, \
	{ 0, "schemas", CLI_OPT_STRING, CLI_OPT_AT(type, m.schemas), "LIST|SQL", \
	  "run once per schema of -d (a,b,c or a query returning names)" }, \
	{ 'j', "jobs", CLI_OPT_STRING, CLI_OPT_AT(type, m.jobs), "N", \
	  "fleet: targets run at once (default 4)" }, \
	{ 0, "canary", CLI_OPT_STRING, CLI_OPT_AT(type, m.canary), "K", \
	  "fleet: run the first K targets one by one; a failure stops all" }, \
	{ 0, "continue-on-error", CLI_OPT_FLAG, CLI_OPT_AT(type, m.continue_on_error), NULL, \
	  "fleet: keep starting targets after a failure" }
/* The options of current and verify: only the fleet's (cli_fleet_opt_table). */
struct cli_fleet_only_opts {
	struct cli_fleet_opts fleet;
};
extern const struct cli_opt cli_fleet_opt_table[];
/* True when the command runs on a fleet: a fleet flag was given, or (once
 * the configuration is read) `targets:` is set and -d is not. */
bool cli_fleet_wanted(const struct cli_ctx *ctx, const struct cli_cmd *cmd);
/* Runs cmd on every target (fleet.c); ctx->exit_status gets the worst status. */
int cli_fleet_run(struct cli_ctx *ctx, const struct cli_cmd *cmd, const rt_strv *args,
                  enum cli_db db, rt_error *err);
/* Opens the session db names (none for CLI_DB_NONE/OWN), runs cmd, closes it (main.c). */
int cli_run_session(struct cli_ctx *ctx, const struct cli_cmd *cmd, const rt_strv *args,
                    enum cli_db db, rt_error *err);
/* Writes rows into a report field: comma-separated ids, "base" when none. */
void cli_report_rows(char *dst, size_t size, const rt_strv *rows);

/* The options of upgrade, downgrade and stamp (each uses some). */
struct cli_migrate_opts {
	bool sql, dry_run, purge;
	bool progress; /* JSON progress events without a terminal */
	struct cli_fleet_opts fleet; /* upgrade's */
};
/* Refuses --sql with --dry-run. */
int cli_migrate_validate(struct cli_ctx *ctx, const rt_strv *args, rt_error *err);

/* What upgrade/downgrade/stamp ask for (migrate.c). */
struct cli_migration {
	rt_step_kind kind;
	const char *const *targets; /* one for upgrade/downgrade, several for stamp */
	size_t ntargets;
	bool dry_run, purge;
	bool progress; /* --progress */
};
/* With ctx->session open (CLI_DB_WRITE, or CLI_DB_READ for a dry run):
 * verifies, plans, locks when there is work, prepares every body, and runs. */
int cli_migrate_online(struct cli_ctx *ctx, const struct cli_migration *m, rt_error *err);
/* A "[FROM:]TO" range as upgrade --sql and lint read it: *to (dflt when
 * empty) and *has_from (a ':' was written); with one, *rows becomes the
 * version rows FROM stands for, trusted rather than read from a database
 * (none for "base" or an empty FROM); without, *rows is left alone.
 * RT_EUSAGE for a second ':', or FROM's resolution error. */
int cli_range_parse(struct cli_ctx *ctx, const char *arg, const char *dflt, const char **to,
                    rt_strv *rows, bool *has_from, rt_error *err);
/* upgrade/downgrade --sql: "[FROM:]TO" rendered as an offline script. */
int cli_migrate_offline(struct cli_ctx *ctx, rt_step_kind kind, const char *arg, rt_error *err);

/* Deploy bundles (bundle_src.c). Opens ctx->cfg->bundle: reads it once,
 * checks its hash and signature, refuses it (RT_ESIGNATURE) unless signed by
 * a `trust` key when any is set, else notes an unsigned one; then its
 * settings replace the configuration's (flags still win) and its revisions
 * become ctx->project. Runs before anything connects. */
int cli_bundle_open(struct cli_ctx *ctx, rt_error *err);
/* The trust keys of ctx->cfg, read (RT_ECONFIG naming a file that is not one). */
int cli_trust_keys(struct cli_ctx *ctx, rt_sign_public **keys, size_t *n, rt_error *err);
/* Where step bodies come from: the bundle when one is open, else the files.
 * online: a run against the database, where a data loop's query may run as a
 * guard (a bundle holds no guards: such a body is refused there, as offline). */
const rt_step_source *cli_step_source(struct cli_ctx *ctx, bool online);
/* " (rendered by Alembic)" for a body a bundle got from Alembic, else "". */
const char *cli_body_note(const struct cli_ctx *ctx, const rt_revision *rev, rt_direction dir);

/* Reports a revision written by src/author (cmd_revision.c): "Generating PATH ...  done"
 * per file, or one "revision_created" JSON event (with "sql_path" for a sidecar). */
struct rt_newrev;
struct rt_author_written;
void cli_report_revision(struct cli_ctx *ctx, const struct rt_newrev *nr,
                         const struct rt_author_written *w);

extern const struct cli_cmd cli_cmd_check;
extern const struct cli_cmd cli_cmd_heads;
extern const struct cli_cmd cli_cmd_branches;
extern const struct cli_cmd cli_cmd_history;
extern const struct cli_cmd cli_cmd_show;
extern const struct cli_cmd cli_cmd_upgrade;
extern const struct cli_cmd cli_cmd_downgrade;
extern const struct cli_cmd cli_cmd_stamp;
extern const struct cli_cmd cli_cmd_current;
extern const struct cli_cmd cli_cmd_verify;
extern const struct cli_cmd cli_cmd_repair;
extern const struct cli_cmd cli_cmd_fingerprint;
extern const struct cli_cmd cli_cmd_revision;
extern const struct cli_cmd cli_cmd_merge;
extern const struct cli_cmd cli_cmd_rebase;
extern const struct cli_cmd cli_cmd_squash;
extern const struct cli_cmd cli_cmd_lint;
extern const struct cli_cmd cli_cmd_keygen;
extern const struct cli_cmd cli_cmd_bundle;

#endif
