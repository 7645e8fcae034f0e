/*
 * The command-line front end: one file per command (cmd_<name>.c), each
 * exporting a `struct cli_cmd`. main.c does the setup a command's flags ask
 * for, in data-flow order (config, then sources, then graph), runs it, and
 * maps the result to an exit code. Only src/cli/ prints or exits.
 */
#ifndef RETORT_CLI_H
#define RETORT_CLI_H

#include <signal.h>
#include <stdio.h>

#include "opt.h"
#include "retort/arena.h"
#include "retort/config.h"
#include "retort/error.h"
#include "retort/db.h"
#include "retort/exec.h"
#include "retort/graph.h"
#include "retort/plan.h"
#include "retort/project.h"

#define CLI_NEED_PROJECT (1u << 0) /* discover and read the version files */
#define CLI_NEED_GRAPH (1u << 1)   /* build the revision graph (implies PROJECT) */
#define CLI_TOLERATE_BROKEN (1u << 2) /* run even when loading found errors (check) */

struct cli_ctx {
	rt_arena *arena;
	rt_config *cfg;
	const rt_config_overrides *ov; /* the global flags as given (to repeat them in advice) */
	rt_project *project;
	rt_graph *graph;
	rt_diags diags;     /* findings from loading and building, for check and refusals */
	rt_format format;
	int verbosity;      /* -1 quiet, 0 normal, >0 verbose */
	bool color;
	FILE *out;
	FILE *err;
	const char *cmd_name;
};

struct cli_cmd {
	const char *name;
	const char *args;    /* usage after the name, e.g. "[-r RANGE] [--verbose]" */
	const char *summary; /* one line for `retort help` */
	const struct cli_opt *opts; /* NULL-terminated table, may be NULL */
	unsigned flags;
	/* optional, before the project is read: may set popts->loaded (check) */
	void (*prepare_load)(struct cli_ctx *ctx, rt_project_opts *popts);
	int (*run)(struct cli_ctx *ctx, const rt_strv *args, rt_error *err);
};

/* Exit status for a library result (SPEC §2). */
int cli_exit_code(int rc);

/* Appends "KEY":["a","b"] (no leading comma) to a JSON fragment. */
void cli_json_strv(rt_buf *f, const char *key, const rt_strv *sv);
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
/* Writes a JSON event line: {"event":NAME, <fields>} where fields is a
 * fragment of already-encoded members (may be empty). */
void cli_json_event(struct cli_ctx *ctx, const char *name, const rt_buf *fields);

/* Writes one JSON "revision" event per revision (id, parents, labels,
 * dependencies, message, path, head/branchpoint/mergepoint flags). */
void cli_json_revisions(struct cli_ctx *ctx, const rt_revlist *revs);
/* Points fmt at the whole docstrings of version files (verbose listings). */
void cli_longdoc(rt_graph_fmt *fmt);

/* Fails with RT_EUSAGE unless args has between min and max entries. */
int cli_expect_args(struct cli_ctx *ctx, const rt_strv *args, size_t min, size_t max,
                    rt_error *err);

/* A database session (session.c). Signals set cli_interrupted to the
 * signal number and cancel the running statement. */
extern volatile sig_atomic_t cli_interrupted;
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
};
int cli_session_open(struct cli_ctx *ctx, struct cli_session *s, unsigned flags, rt_error *err);
/* Takes the migration lock (reporting the holder while waiting) and reads the
 * rows, checksums and applied state again under it. */
int cli_session_lock(struct cli_ctx *ctx, struct cli_session *s, rt_error *err);
/* Starts connecting before the version files are read (main.c); the next
 * cli_session_open finishes that connection. */
void cli_session_prestart(struct cli_ctx *ctx);
void cli_session_close(struct cli_session *s);

/* What upgrade/downgrade/stamp ask for (migrate.c). */
struct cli_migration {
	rt_step_kind kind;
	const char *const *targets; /* one for upgrade/downgrade, several for stamp */
	size_t ntargets;
	bool dry_run, purge;
};
/* Connects, locks, verifies, plans, prepares every body, and runs. */
int cli_migrate_online(struct cli_ctx *ctx, const struct cli_migration *m, rt_error *err);
/* upgrade/downgrade --sql: "[FROM:]TO" rendered as an offline script. */
int cli_migrate_offline(struct cli_ctx *ctx, rt_step_kind kind, const char *arg, rt_error *err);

/* Writes a new revision as `retort revision` does (cmd_revision.c): nr->rev_id NULL gets a
 * random id; checks it with rt_newrev_validate; sets nr->date to now; picks the version
 * folder (version_path, else the first parent's folder when there are several locations,
 * else the one); names the file from file_template; renders the .py (the variant that runs
 * its sidecar under Alembic when sidecar_sql != NULL, whose text is then written to X.sql
 * beside X.py); writes both exclusively (the .py is removed if the .sql fails); prints
 * "Generating PATH ...  done" per file, or one "revision_created" JSON event (with
 * "sql_path" for a sidecar). Does not look for the id or labels in the graph: the caller
 * does. *py_path (may be NULL) receives the .py's path (arena). RT_OK, or RT_EUSAGE /
 * RT_ECONFIG / RT_EOS with err set (nothing written or printed). */
struct rt_newrev;
int cli_write_revision(struct cli_ctx *ctx, struct rt_newrev *nr, const char *version_path,
                       const rt_buf *sidecar_sql, const char **py_path, rt_error *err);

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

#endif
