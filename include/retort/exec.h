/*
 * Running a verified plan against a database, and the checks that come
 * before it. The caller holds the migration lock (rt_db_lock) and has read
 * the version rows after taking it.
 */
#ifndef RETORT_EXEC_H
#define RETORT_EXEC_H

#include <signal.h>

#include "config.h"
#include "db.h"
#include "plan.h"
#include "step_source.h"
#include "stmt.h"

/* ---- before running: what the database holds vs. the scripts ---- */

typedef struct rt_applied_state {
	rt_strv unknown_rows;   /* version rows the scripts do not have */
	rt_revlist applied;     /* every revision at or below a row, load order */
	rt_revlist drifted;     /* applied, recorded checksum differs from the files */
	rt_strv drifted_recorded; /* the recorded checksums, parallel to drifted */
	rt_revlist unrecorded;  /* applied, no checksum recorded (e.g. applied by Alembic) */
	bool history_exists;
} rt_applied_state;

/* Computes the state from the rows and the history's checksums (sums may
 * describe a missing table). Never fails. */
void rt_applied_state_build(rt_applied_state *out, rt_arena *arena, const rt_graph *g,
                            const rt_strv *rows, const rt_history_sums *sums);

/* RT_EDRIFT naming the first unknown row or drifted revision (and how many
 * more), with a hint; RT_OK when neither exists. */
int rt_applied_state_check(const rt_applied_state *st, rt_error *err);

/* ---- the bodies of every step, proven producible before anything runs ---- */

/*
 * Asks src for every step's body in plan order (a pass of its own, after
 * src->rewind); the first that cannot be produced fails with its error
 * (RT_EUNSUPPORTED, RT_ESYNTAX, RT_ENOTFOUND...), naming the step, before
 * the database is touched. The bodies are not kept: rt_exec_run asks for
 * each again just before running it (same order, same results), so a long
 * plan never holds every body in memory (peak RSS at 1000 steps is one of
 * the measures in docs/benchmarks.md).
 */
int rt_exec_check_bodies(const rt_plan *plan, const rt_step_source *src, rt_error *err);

/* ---- running ---- */

typedef struct rt_exec_events {
	void (*step_start)(void *ctx, const rt_step *step, size_t index, size_t total);
	void (*step_done)(void *ctx, const rt_step *step, double milliseconds);
	/* a step hit lock_timeout (55P03) and will run again after `delay` s */
	void (*step_retry)(void *ctx, const rt_step *step, unsigned attempt, double delay);
	void *ctx;
	/* a step running longer than 2 s, about every 500 ms while it runs: its
	 * elapsed time and what the server's progress views say of the running
	 * statement (p->command NULL: nothing, e.g. an ALTER TABLE rewrite, which
	 * PostgreSQL does not report, index rebuilds included) */
	void (*step_progress)(void *ctx, const rt_step *step, double elapsed_ms,
	                      const rt_db_progress *p);
	/* an echo statement of the step (print(), logging: rt_stmt.echo), in body
	 * order, once the step's statements have run (before its COMMIT) */
	void (*output)(void *ctx, const rt_step *step, const rt_stmt *echo);
} rt_exec_events;

/* What a lost connection left behind (rt_exec_opts.lost). */
typedef struct rt_exec_lost {
	/* A step that committed statements outside its transaction (a
	 * no-transaction section, autocommit_block) while its own transaction
	 * did not commit (unknown: the connection was lost while committing
	 * it, so the version rows tell). NULL: the database holds whole steps
	 * only, and a plan made again from its version rows resumes the run
	 * without repeating anything. */
	const rt_step *partial;
	bool unknown;
} rt_exec_lost;

typedef struct rt_exec_opts {
	const rt_graph *graph;         /* for the checksums of stamped revisions */
	const rt_vtable *vtable;
	const rt_history *history;
	rt_tx_mode transaction;
	double statement_lock_timeout; /* seconds; 0: not set */
	unsigned lock_retries;         /* extra attempts of a step after 55P03 */
	bool purge;                    /* stamp --purge: DELETE FROM the version table first */
	/* which tables exist, as read under the lock (rt_db_read_state); NULL:
	 * looked up (one more round trip) */
	const rt_db_state *state;
	rt_exec_events events;
	const volatile sig_atomic_t *interrupted;
	/* out, may be NULL: set when rt_exec_run returns RT_ECONNECT for a
	 * lost connection (rt_db_lost), zeroed otherwise */
	rt_exec_lost *lost;
} rt_exec_opts;

/*
 * Runs plan, each step's statements asked of src (a pass of its own) just
 * before the step runs: the version and history tables are created when
 * missing; then each step's statements, its version-row changes (each
 * UPDATE/DELETE must hit exactly one row) and its history row commit
 * together (per-migration), or the whole plan commits once (single).
 * Statements flagged no_transaction run alone after committing what is
 * open. A failing statement rolls the open transaction back and returns
 * RT_EDB with err->loc at the statement's file:line:col and the revision
 * named; a step that hits lock_timeout is rolled back and retried with
 * backoff while nothing of it was committed. RT_EINTR when interrupted.
 *
 * Round trips: a step is one batch (rt_db_exec_batch) of BEGIN, its
 * statements, its row changes and its history row, led by the previous
 * step's COMMIT (sent once this step's results show it is complete; if
 * that COMMIT fails the server skips the rest). A statement that may hold
 * several statements (a ';'), transaction control or COPY runs alone with
 * the simple protocol, as do no_transaction statements. The events come in
 * order: step_done of a step follows its COMMIT's answer.
 *
 * Progress (events.step_progress): the statements run as before, and while
 * their answers are awaited the db layer calls back every 500 ms (one
 * thread polls the socket: no locking, and signals still cancel the
 * statement). Once a step has run 2 s, a second session to the same
 * database (opened then, once, closed at the end) reads
 * pg_stat_progress_create_index / _cluster for the first one's backend;
 * without it, or on a server before 12, only the elapsed time is reported.
 */
int rt_exec_run(rt_db *db, rt_arena *arena, const rt_plan *plan, const rt_step_source *src,
                const rt_exec_opts *opts, rt_error *err);

/* ---- tracing locks (retort lint --trace) ---- */

typedef enum rt_trace_status {
	RT_TRACE_RAN,     /* ran; before and after hold the session's locks around it */
	RT_TRACE_FAILED,  /* the server refused it (failed); rolled back to its savepoint */
	RT_TRACE_NO_TX,   /* no_transaction: cannot run inside the trace's transaction */
	RT_TRACE_SKIPPED, /* before() declined it (e.g. it would end the transaction) */
} rt_trace_status;

typedef struct rt_trace_events {
	/* Whether to run statement i of body; *names (alive until after()):
	 * the relations whose oids to look up before and after it. */
	bool (*before)(void *ctx, const rt_step *step, const rt_stmtlist *body, size_t i,
	               const char *const **names, size_t *nnames);
	/* Every statement, in order. before/after: NULL unless it ran. */
	void (*after)(void *ctx, const rt_step *step, const rt_stmtlist *body, size_t i,
	              rt_trace_status status, const rt_db_held *before, const rt_db_held *after,
	              const rt_error *failed);
	void *ctx;
} rt_trace_events;

/*
 * Runs the upgrade steps of plan (bodies from src, in order) inside one
 * transaction that is always rolled back, never committed: each statement
 * under a savepoint (released when it succeeds, so later statements see its
 * effects and its locks stay held as in the real step; rolled back to when
 * it fails, and the trace goes on). The version table and history are not
 * touched. RT_OK once every statement was reported; RT_EDB/RT_ECONNECT when
 * the session itself fails, RT_EINTR when interrupted, a body's error.
 */
int rt_exec_trace(rt_db *db, const rt_plan *plan, const rt_step_source *src,
                  const rt_trace_events *ev, const volatile sig_atomic_t *interrupted,
                  rt_error *err);

#endif
