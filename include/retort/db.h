/*
 * The database layer: connection, statements, the migration lock, the
 * version table exactly as Alembic keeps it, and retort's history table.
 * src/db/ is the only code that sees libpq; rt_db is opaque.
 *
 * Ownership: an rt_db and everything returned through an rt_db_result live
 * in the arena given to the call; rt_db_close (or freeing the arena) ends the
 * session, which also releases the migration lock. Errors go to rt_error;
 * nothing here prints, and server notices go to a callback or nowhere.
 */
#ifndef RETORT_DB_H
#define RETORT_DB_H

#include <signal.h>

#include "arena.h"
#include "buf.h"
#include "common.h"
#include "error.h"

typedef struct rt_db rt_db;
/* A connection being set up in the background (rt_db_connect_start). */
typedef struct rt_db_pending rt_db_pending;
struct rt_vtable;
struct rt_history;

/* A line for the user while something is awaited ("waiting for ..."). */
typedef void (*rt_db_progress_fn)(void *ctx, const char *message);
/* A server NOTICE/WARNING: severity as sent ("NOTICE"), then the message. */
typedef void (*rt_db_notice_fn)(void *ctx, const char *severity, const char *message);

typedef struct rt_db_opts {
	/* postgresql:// or postgres:// URL (a SQLAlchemy "+driver" is dropped), or
	 * a key=value conninfo string; NULL or "" uses libpq's defaults (PGHOST,
	 * PGDATABASE, service files...). */
	const char *url;
	/* > 0: retry for this long until the server accepts a connection and a
	 * write (SPEC --wait); 0: one attempt. */
	double wait_seconds;
	/* Set unless the URL has its own; NULL means "retort". */
	const char *application_name;
	/* Accept a standby or a read-only session (commands that only read). */
	bool read_only;
	rt_db_progress_fn progress;  /* wait messages, about every 2 s; may be NULL */
	void *progress_ctx;
	rt_db_notice_fn notice;      /* NULL drops notices */
	void *notice_ctx;
	/* When non-NULL and set non-zero (by a signal handler), waiting stops with
	 * RT_EINTR. Also used by rt_db_lock. */
	const volatile sig_atomic_t *interrupted;
	/* When set, the round trip that checks writability also asks whether these
	 * tables exist and computes the lock key (rt_db_lock_key), so that
	 * rt_db_read_state and rt_db_lock need no round trips of their own for them.
	 * The version table's schema and name strings must outlive the session. */
	const struct rt_vtable *vtable;
	const struct rt_history *history;
	/* A connection rt_db_connect_start began with these same options: its
	 * handshake is finished instead of starting a new one. Consumed. */
	rt_db_pending *pending;
} rt_db_opts;

/*
 * Starts connecting without waiting: opens the socket and sends what it can
 * (the start-up packet on a local socket), so the server starts the session's
 * backend while the caller reads its files; rt_db_connect with opts->pending
 * finishes it. Returns NULL (nothing started; rt_db_connect then connects as
 * usual) for a URL libpq cannot parse, when libpq fails at once, and when
 * a connect_timeout applies without --wait (only the blocking connect honours
 * it). Errors are reported by rt_db_connect, never here. Freed with the arena.
 */
rt_db_pending *rt_db_connect_start(rt_arena *arena, const rt_db_opts *opts);

/*
 * Opens a session. With wait_seconds > 0, retries every ~0.5 s (reporting
 * through opts->progress: "waiting for the database at HOST:PORT (N s left):
 * REASON") until the server accepts a connection and, unless opts->read_only,
 * a write: not in recovery, default_transaction_read_only and
 * transaction_read_only off.
 * Returns RT_OK with *out set; RT_ECONFIG for a URL libpq cannot parse;
 * RT_ECONNECT when the server is unreachable, refuses, rejects the
 * credentials, is read-only, or the wait ran out (message with the masked
 * target and libpq's reason, err->object the masked target, a hint);
 * RT_EINTR when interrupted. No message ever contains a password.
 */
int rt_db_connect(rt_db **out, rt_arena *arena, const rt_db_opts *opts, rt_error *err);

/*
 * A second session to the same server and database as `like`, with the same
 * parameters (password included, never shown) and application_name app:
 * for reading what the first one's statement is doing while it runs.
 * RT_ECONNECT (no password in the message) when it cannot connect.
 */
int rt_db_connect_again(rt_db **out, rt_arena *arena, const rt_db *like, const char *app,
                        rt_error *err);

/* Called every interval_ms while db awaits a statement's answer (rt_db_exec,
 * rt_db_exec_batch); fn NULL stops it. The hook must not use db itself. */
typedef void (*rt_db_wait_fn)(void *ctx);
void rt_db_on_wait(rt_db *db, rt_db_wait_fn fn, void *ctx, int interval_ms);

/* What a running command reports in pg_stat_progress_create_index (CREATE
 * INDEX [CONCURRENTLY], REINDEX) or pg_stat_progress_cluster (CLUSTER,
 * VACUUM FULL). An ALTER TABLE rewrite reports nothing (PostgreSQL <= 17). */
typedef struct rt_db_progress {
	const char *command;  /* as the view says it; NULL: nothing reported */
	const char *phase;    /* e.g. "building index: scanning table" */
	long long blocks_done, blocks_total, tuples_done, tuples_total; /* -1: not reported */
} rt_db_progress;

/* Reads the progress of the session whose backend is pid, over db (another
 * session). RT_OK with out->command NULL when there is none; RT_EDB before
 * PostgreSQL 12 (no such views). */
int rt_db_read_progress(rt_db *db, rt_arena *arena, int pid, rt_db_progress *out,
                        rt_error *err);

/* Ends the session (releasing the lock). Idempotent; NULL is allowed. Must not
 * race with rt_db_cancel: clear the handler's pointer first. */
void rt_db_close(rt_db *db);

/* The target for messages, password masked: the URL as given, or
 * "host:port/dbname" when libpq defaults were used. */
const char *rt_db_target(const rt_db *db);
/* The server process id of this session (pg_stat_activity.pid). */
int rt_db_backend_pid(const rt_db *db);
/* True once the connection is known to be lost (then every call fails). */
bool rt_db_lost(const rt_db *db);

/*
 * Sends a cancel request for the statement running on db. Async-signal-safe:
 * the cancel object is made at connect time, so a SIGINT/SIGTERM handler may
 * call this (with db read from a variable it was stored in after connect).
 * Returns 0 when the request was sent, -1 otherwise. The cancelled statement
 * then fails with SQLSTATE 57014 (as does statement_timeout); the caller
 * knows which it was.
 */
int rt_db_cancel(const rt_db *db);

/* What a statement returned; strings live in the arena given to rt_db_exec. */
typedef struct rt_db_result {
	size_t nrows, ncols;
	const char **colnames;     /* ncols names */
	const char **cells;        /* nrows * ncols, row-major; NULL for SQL NULL */
	uint64_t affected;         /* rows inserted/updated/deleted/selected */
	const char *command;       /* command tag, e.g. "UPDATE 1"; NULL without an arena */
	/* On RT_EDB: the 1-based character (not byte) position in the statement
	 * text the server pointed at, 0 when none. */
	int error_position;
} rt_db_result;

/* Cell (row, col) or NULL (SQL NULL or out of range). */
const char *rt_db_value(const rt_db_result *res, size_t row, size_t col);

/*
 * Runs sql with the simple query protocol (PQexec: several statements in one
 * string run as one, as under Alembic/psycopg2). res may be NULL; it is
 * zeroed first and filled from the last statement's result. arena may be
 * NULL when only `affected` is wanted (rows and tag are then not kept).
 * RT_EDB: the server refused it; err has the primary message, sqlstate,
 * detail, hint, and res->error_position. RT_ECONNECT: "connection to the
 * server was lost", also for a server error that ends the session (SQLSTATE
 * class 08, 57P01-57P03, kept in err->sqlstate) (the server rolled back an open transaction, unless the
 * statement was a COMMIT whose outcome is unknown). RT_EUNSUPPORTED: COPY
 * to/from the client.
 */
int rt_db_exec(rt_db *db, rt_arena *arena, const char *sql, rt_db_result *res, rt_error *err);

/* One statement of a batch (rt_db_exec_batch). */
typedef struct rt_db_stmt {
	const char *sql;            /* a single statement: no ';'-separated list */
	int nparams;                /* $1..$n, text values, NULL for SQL NULL */
	const char *const *params;
	uint64_t affected;          /* out: rows inserted/updated/deleted/returned */
} rt_db_stmt;

/* Called as the answer to statement i of a batch arrives, when it succeeded. */
typedef void (*rt_db_batch_fn)(void *ctx, size_t i);

/*
 * Runs n statements in one round trip (libpq pipeline mode: the extended
 * protocol, one Sync at the end) and reads every result, calling each (may
 * be NULL) for every success as it arrives. The server runs them in order
 * and skips the rest after the first failure; an open transaction block
 * stays open (also a failed one: roll it back), and statements outside one
 * form a single implicit transaction.
 * RT_OK: all ran, stmts[i].affected set. Otherwise the first failure as
 * rt_db_exec reports it, *failed = its index, *error_position the server's
 * character position in its text (0 when none); a "COMMIT" answered with
 * ROLLBACK fails as in rt_db_commit. RT_EUNSUPPORTED for COPY. A lost
 * connection: *failed = the first statement left unanswered.
 */
int rt_db_exec_batch(rt_db *db, rt_db_stmt *stmts, size_t n, rt_db_batch_fn each, void *ctx,
                     size_t *failed, int *error_position, rt_error *err);

/* BEGIN / COMMIT / ROLLBACK. rt_db_commit fails with RT_EDB when the server
 * answered ROLLBACK (the transaction had already failed). rt_db_rollback
 * outside a transaction is a no-op. */
int rt_db_begin(rt_db *db, rt_error *err);
int rt_db_commit(rt_db *db, rt_error *err);
int rt_db_rollback(rt_db *db, rt_error *err);
/* True inside a transaction block, also a failed one. */
bool rt_db_in_transaction(const rt_db *db);

/* ---- Locks this session holds (retort lint --trace) ---- */

typedef struct rt_db_held_lock {
	unsigned oid;
	const char *relation; /* as regclass prints it; NULL: dropped in this transaction */
	char relkind;         /* pg_class.relkind ('r', 'i', ...); 0 when dropped */
	const char *mode;     /* pg_locks.mode, e.g. "AccessExclusiveLock" */
} rt_db_held_lock;

typedef struct rt_db_held {
	rt_db_held_lock *v;   /* one per (relation, mode) held */
	size_t n;
	unsigned *oids;       /* of the names asked for, parallel to them; 0: no such relation */
} rt_db_held;

/*
 * The granted relation locks of this session in its database, outside the
 * system schemas (pg_catalog, information_schema, pg_toast*), and the oids
 * of names ("rel" or "schema.rel", unquoted parts as the parser gives them)
 * as to_regclass finds them now. One round trip; everything in arena.
 */
int rt_db_held_locks(rt_db *db, rt_arena *arena, const char *const *names, size_t nnames,
                     rt_db_held *out, rt_error *err);

/* ---- The migration lock (SPEC section 5, docs/database.md) ---- */

/* Who holds the lock, from pg_locks joined with pg_stat_activity. Fields the
 * server hides from an unprivileged user are "unknown". */
typedef struct rt_lock_holder {
	int pid;                       /* 0: released before it could be looked up */
	const char *application_name;  /* "" when unset */
	const char *client;            /* client address, or "local socket" */
	const char *backend_start;     /* connected since (ISO 8601) */
	const char *state;             /* "active", "idle in transaction", ... */
	const char *state_change;      /* in that state since */
} rt_lock_holder;

/* Called while waiting: first right away, then every report_interval. */
typedef void (*rt_lock_wait_fn)(void *ctx, const rt_lock_holder *holder, double waited_seconds);

typedef struct rt_lock_opts {
	const char *schema;      /* version table schema; NULL: current_schema() */
	const char *table;       /* version table; NULL: "alembic_version" */
	double timeout_seconds;  /* < 0: wait forever; 0: one attempt */
	double report_interval;  /* seconds between reports; 0 means 5 */
	rt_lock_wait_fn on_wait; /* may be NULL */
	void *ctx;
	const volatile sig_atomic_t *interrupted; /* as in rt_db_opts */
} rt_lock_opts;

/*
 * The lock key, computed by the server so operators can compute it too:
 *   ('x' || substr(md5('retort:' || current_database() || ':' ||
 *     coalesce(SCHEMA, current_schema(), '') || ':' || TABLE), 1, 16))::bit(64)::bigint
 */
int rt_db_lock_key(rt_db *db, const char *schema, const char *table, int64_t *key,
                   rt_error *err);

/*
 * Takes the session-level advisory lock by polling pg_try_advisory_lock with
 * jittered, growing pauses (0.1-0.3 s up to ~1 s); never blocks in the
 * server. Call outside a transaction. RT_ELOCKED when the timeout passes
 * (the message names the holder), RT_EINTR when interrupted, RT_EDB /
 * RT_ECONNECT on failures; RT_ERROR if this session already holds it.
 */
int rt_db_lock(rt_db *db, const rt_lock_opts *opts, rt_error *err);
/* Releases it (a lost connection has released it already: RT_OK). */
int rt_db_unlock(rt_db *db, rt_error *err);
/* The holder as one line: "pid 123 (application 'retort', local socket,
 * connected since ..., idle since ...)". */
void rt_lock_holder_describe(rt_buf *b, const rt_lock_holder *holder);

/* ---- The version table, exactly as Alembic (reference/alembic.md section 1) ---- */

typedef struct rt_vtable {
	const char *schema;  /* NULL: found through search_path, created unqualified */
	const char *name;    /* NULL means "alembic_version" */
	bool no_pk;          /* Alembic's version_table_pk=False */
} rt_vtable;

/*
 * Statement text as Alembic prints it offline, without the final ';' (the
 * offline writer adds ";\n\n"). Names are quoted by SQLAlchemy's rules
 * (ident.h), revision ids inlined as literals.
 *   CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n
 *       CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)
 *   INSERT INTO alembic_version (version_num) VALUES ('x') RETURNING alembic_version.version_num
 *   UPDATE alembic_version SET version_num='y' WHERE alembic_version.version_num = 'x'
 *   DELETE FROM alembic_version WHERE alembic_version.version_num = 'x'
 *   DELETE FROM alembic_version
 */
void rt_vtable_render_create(rt_buf *b, const rt_vtable *vt);
void rt_vtable_render_insert(rt_buf *b, const rt_vtable *vt, const char *rev);
void rt_vtable_render_update(rt_buf *b, const rt_vtable *vt, const char *from, const char *to);
void rt_vtable_render_delete(rt_buf *b, const rt_vtable *vt, const char *rev);
void rt_vtable_render_delete_all(rt_buf *b, const rt_vtable *vt);

/* Alembic's has_table: without a schema, a relation of that name visible
 * through search_path (pg_table_is_visible); with one, in that schema. */
int rt_vtable_exists(rt_db *db, const rt_vtable *vt, bool *exists, rt_error *err);
/* The rows (SELECT version_num FROM ...), in server order, into rows (arena
 * strings). A missing table gives zero rows and RT_OK. */
int rt_vtable_read(rt_db *db, rt_arena *arena, const rt_vtable *vt, rt_strv *rows,
                   rt_error *err);
/* CREATE TABLE as rendered above (fails if it exists: check first). */
int rt_vtable_create(rt_db *db, const rt_vtable *vt, rt_error *err);
/* Row changes. update/delete must affect exactly one row, else RT_EDRIFT
 * naming the expected and found rows ("another tool changed the version
 * table"); the caller rolls back. */
int rt_vtable_insert(rt_db *db, const rt_vtable *vt, const char *rev, rt_error *err);
int rt_vtable_update(rt_db *db, const rt_vtable *vt, const char *from, const char *to,
                     rt_error *err);
int rt_vtable_delete(rt_db *db, const rt_vtable *vt, const char *rev, rt_error *err);
int rt_vtable_delete_all(rt_db *db, const rt_vtable *vt, rt_error *err);
/* The same guard for an UPDATE (to set) or DELETE (to NULL) of from that was
 * sent some other way (a batch) and reported `affected` rows. */
int rt_vtable_guard(rt_db *db, const rt_vtable *vt, const char *from, const char *to,
                    uint64_t affected, rt_error *err);

/* ---- retort's history table (SPEC section 5, docs/database.md) ---- */

typedef struct rt_history {
	const char *schema;  /* NULL: search_path (give the version table's schema) */
	const char *name;    /* NULL means "retort_history" */
} rt_history;

typedef struct rt_history_row {
	const char *revision;
	const char *direction;  /* "upgrade", "downgrade", "stamp" or "repair" */
	const char *checksum;   /* 64 hex digits, or NULL */
	const char *message;    /* the revision's message, or NULL */
	int64_t duration_ms;    /* the step's duration; started_at = now - duration */
	/* duration_ms is only an offset: the server adds the time since its
	 * transaction started (clock_timestamp() - now()), for a row sent before
	 * the step's statements have run (batched); never below 0 */
	bool add_tx_time;
} rt_history_row;

/* The DDL (CREATE TABLE IF NOT EXISTS ...), without a final ';'. */
void rt_history_render_create(rt_buf *b, const rt_history *h);
/* Creates the table when missing. */
int rt_history_ensure(rt_db *db, const rt_history *h, rt_error *err);
/* One row, in the caller's transaction. The table must exist. */
int rt_history_insert(rt_db *db, const rt_history *h, const rt_history_row *row,
                      rt_error *err);
/* The same INSERT as a batch statement: sql and params in arena. */
void rt_history_insert_stmt(rt_db_stmt *out, rt_arena *arena, const rt_history *h,
                            const rt_history_row *row);

/* The checksum each revision was last applied (upgraded, stamped or repaired) with. */
typedef struct rt_history_sums {
	bool table_exists;   /* false: e.g. a database migrated by Alembic */
	rt_strv revisions;
	rt_strv checksums;   /* parallel to revisions; an entry may be NULL */
} rt_history_sums;

/* ---- Everything a migration run reads before planning ---- */

typedef struct rt_db_state {
	bool vtable_exists;
	rt_strv rows;          /* as rt_vtable_read */
	rt_history_sums sums;  /* as rt_history_checksums */
	bool locked;           /* RT_READ_STATE_TRY_LOCK: this call took the migration lock */
} rt_db_state;

/*
 * The version rows and the recorded checksums, in one simple-query message
 * (one round trip) with the tables' existence check, or none when the
 * connection's first round trip looked the tables up (opts->vtable) and this
 * is the first call; a table that appears since is read in a second round trip.
 * With RT_READ_STATE_TRY_LOCK the same message first tries the migration lock once
 * (pg_try_advisory_lock with rt_db_lock's key; out->locked, and a later
 * rt_db_unlock releases it): when taken, the rows were read under it.
 * vt and h must be the tables given to rt_db_connect, when any were.
 * Errors as rt_db_exec.
 */
enum {
	RT_READ_STATE_TRY_LOCK = 1u << 0,
};
int rt_db_read_state(rt_db *db, rt_arena *arena, const struct rt_vtable *vt,
                     const struct rt_history *h, unsigned flags, rt_db_state *out,
                     rt_error *err);

/* Reads them; a missing table is not an error (table_exists false, no entries). */
int rt_history_checksums(rt_db *db, rt_arena *arena, const rt_history *h,
                         rt_history_sums *out, rt_error *err);
/* The recorded checksum of rev: false when none is recorded ("no checksum
 * yet"); *checksum may be NULL when recorded without one. */
bool rt_history_checksum_of(const rt_history_sums *sums, const char *rev,
                            const char **checksum);

#endif
