/*
 * The online executor: runs prepared steps with per-step (or single)
 * transactions, Alembic's version-row changes guarded to one row each, and
 * a history row per step in the step's own transaction. A step travels as
 * one batch (one round trip) with the previous step's COMMIT in front.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "retort/clock.h"
#include "retort/exec.h"
#include "retort/random.h"

#define SQLSTATE_LOCK_NOT_AVAILABLE "55P03"

static const char *direction_name(const rt_step *step)
{
	return step->kind == RT_STEP_DOWNGRADE ? "downgrade" : "upgrade";
}

/* Step's body into arena, or an error that names the step. */
static int step_body(rt_stmtlist *out, rt_arena *arena, const rt_step *step,
                     const rt_step_source *src, rt_error *err)
{
	int rc = rt_step_source_body(src, step, arena, out, err);
	/* keep the producer's location; say which step needed it (an
	 * irreversible downgrade's message already does) */
	if (rc < 0 && rc != RT_EIRREVERSIBLE)
		rt_error_prefix(err, "%s of '%s' cannot run", direction_name(step), step->rev->id);
	return rc;
}

int rt_exec_check_bodies(const rt_plan *plan, const rt_step_source *src, rt_error *err)
{
	src->rewind(src->ctx);
	rt_arena *step_arena = rt_arena_new();
	int rc = RT_OK;
	for (size_t i = 0; i < plan->n && rc == RT_OK; i++) {
		rt_stmtlist body;
		rc = step_body(&body, step_arena, plan->steps[i], src, err);
		rt_arena_reset(step_arena);
	}
	rt_arena_free(step_arena);
	return rc;
}

/* 1-based character position -> byte offset in s (server positions count
 * characters of the statement as sent). */
static size_t char_pos_to_byte(const char *s, size_t len, int pos)
{
	size_t i = 0;
	for (int c = 1; c < pos && i < len; c++) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

/* Names the revision and points the server's error at the statement's source. */
static int statement_failed(rt_error *err, const rt_step *step, const rt_stmt *stmt,
                            int position)
{
	size_t at = position > 0 ? char_pos_to_byte(stmt->sql, stmt->len, position) : 0;
	rt_loc loc = rt_stmt_loc(stmt, at);
	rt_error_wrap(err, RT_EDB, loc.path ? &loc : NULL, "%s of '%s' failed",
	              direction_name(step), step->rev->id);
	rt_error_message_append(err, " (SQLSTATE %s)", err->sqlstate);
	int shown = stmt->len > 300 ? 300 : (int)stmt->len;
	rt_error_detail_append(err, "statement: %.*s%s", shown, stmt->sql,
	                       stmt->len > 300 ? " ..." : "");
	if (!err->hint)
		rt_error_hint(err, "the step was rolled back; fix the migration and run again");
	free(err->object);
	err->object = rt_xstrdup(step->rev->id);
	return RT_EDB;
}

/* What each statement of the batch being gathered is, to read its result. */
typedef enum item_kind {
	IT_COMMIT,   /* ends the transaction of `step` (NULL: the setup's, or all of single's) */
	IT_OTHER,    /* BEGIN, SET, the tables' DDL, purge, a history row */
	IT_STMT,     /* a migration statement */
	IT_ROWOP,    /* a version-row change, guarded */
} item_kind;

typedef struct item {
	item_kind kind;
	const rt_step *step;
	const rt_stmt *stmt;
	const rt_rowop *op;
} item;

/*
 * Our transaction block, as sent (the batch being gathered included):
 *
 *   TX_IDLE      --BEGIN queued ahead of a statement-------------> TX_OPEN
 *   TX_OPEN      --per-migration: a step's batch answered, or the
 *                  setup queued; single: the last step answered----> TX_COMPLETE
 *   TX_COMPLETE  --its COMMIT queued, leading the next batch-------> TX_IDLE
 *   TX_OPEN      --COMMIT queued before a no-transaction statement--> TX_IDLE
 *   any          --a failure, rolled back (to retry, or to end)----> TX_IDLE
 *
 * A single run keeps one transaction open across its steps (unless a
 * no-transaction statement commits what is open).
 */
typedef enum tx_state {
	TX_IDLE,
	TX_OPEN,
	TX_COMPLETE, /* holds a whole step (or the setup); its COMMIT is not sent yet */
} tx_state;

/*
 * What an attempt at the current step has done, which decides whether its
 * lock timeout may be retried (only ATTEMPT_FAILED: a rollback undoes all
 * of it):
 *
 *   ATTEMPT_UNDOABLE --a no-transaction statement ran--> ATTEMPT_PART_COMMITTED
 *   ATTEMPT_UNDOABLE --a statement of the step failed---> ATTEMPT_FAILED
 *
 * A failure after part of the step was committed stays
 * ATTEMPT_PART_COMMITTED; one of the previous step's COMMIT (leading this
 * step's batch) stays ATTEMPT_UNDOABLE: neither is this step's to repeat.
 */
typedef enum attempt_state {
	ATTEMPT_UNDOABLE,
	ATTEMPT_PART_COMMITTED,
	ATTEMPT_FAILED,
} attempt_state;

struct run {
	rt_db *db;
	rt_arena *arena;
	rt_arena *batch;          /* texts of the batch being gathered, reset once answered */
	const rt_exec_opts *opts;
	bool single;              /* the mode: one transaction for the whole run */
	rt_db_stmt *q;            /* the batch being gathered */
	item *items;              /* parallel to q */
	size_t nq, cap;
	tx_state tx;
	double tx_began;          /* when the open transaction's BEGIN was queued (ms) */
	const rt_step *complete_step; /* TX_COMPLETE: the step it holds (NULL: the setup) */
	double complete_started;
	const rt_step *announce;  /* step_start not yet reported */
	const rt_step *cur;
	size_t cur_index, total;
	double cur_started;
	attempt_state attempt;    /* of cur */
	const rt_stmtlist *body;  /* of cur */
	size_t alone_ran;         /* body[0, alone_ran) is committed: a no-transaction
	                           * statement ran, and committed what was open before it */
	const rt_stmt *cut_off;   /* a no-transaction statement the lost connection ended */
	const rt_step *partial;   /* ran no-transaction statements; its version row is not
	                           * committed yet (a COMMIT answered clears it) */
	const item *guard;        /* a row change that did not hit one row */
	/* progress of long steps: the session reading the progress views */
	rt_db *monitor;
	bool monitor_tried;
	rt_arena *tick;           /* one reading's strings */
};

#define PROGRESS_AFTER_MS 2000.0

/* While the server works on a step (the db layer's wait hook): past 2 s,
 * the elapsed time and what pg_stat_progress_* says, read over a second
 * session. A reading that fails leaves the elapsed time alone. */
static void on_wait(void *p)
{
	struct run *r = p;
	double elapsed = rt_clock_ms() - r->cur_started;
	if (!r->cur || elapsed < PROGRESS_AFTER_MS)
		return;
	rt_error ignored = RT_ERROR_INIT;
	if (!r->monitor_tried) {
		r->monitor_tried = true;
		rt_db_connect_again(&r->monitor, r->arena, r->db, "retort progress", &ignored);
		rt_error_clear(&ignored);
	}
	const rt_db_progress none = { .blocks_done = -1, .blocks_total = -1, .tuples_done = -1,
	                              .tuples_total = -1 };
	rt_db_progress prog = none;
	rt_arena_reset(r->tick);
	if (r->monitor &&
	    rt_db_read_progress(r->monitor, r->tick, rt_db_backend_pid(r->db), &prog, &ignored) < 0) {
		rt_db_close(r->monitor); /* before 12, or gone: elapsed time only from now on */
		r->monitor = NULL;
		prog = none;
	}
	rt_error_clear(&ignored);
	const rt_exec_events *ev = &r->opts->events;
	ev->step_progress(ev->ctx, r->cur, elapsed, &prog);
}

static void queue(struct run *r, item_kind kind, const char *sql, const rt_stmt *stmt,
                  const rt_rowop *op)
{
	if (r->nq == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		rt_db_stmt *q = rt_alloc_array(r->arena, cap, sizeof(*q));
		item *it = rt_alloc_array(r->arena, cap, sizeof(*it));
		if (r->nq) {
			memcpy(q, r->q, r->nq * sizeof(*q));
			memcpy(it, r->items, r->nq * sizeof(*it));
		}
		r->q = q;
		r->items = it;
		r->cap = cap;
	}
	r->q[r->nq] = (rt_db_stmt){ .sql = sql };
	r->items[r->nq] = (item){ .kind = kind, .step = r->cur, .stmt = stmt, .op = op };
	r->nq++;
}

/* The open, complete transaction's COMMIT goes first (per-migration). */
static void queue_pending_commit(struct run *r)
{
	if (r->tx != TX_COMPLETE)
		return;
	queue(r, IT_COMMIT, "COMMIT", NULL, NULL);
	r->items[r->nq - 1].step = r->complete_step;
	r->tx = TX_IDLE;
}

/* The open transaction holds something whole: its COMMIT may wait for the
 * next batch. */
static void tx_complete(struct run *r, const rt_step *step, double started)
{
	r->tx = TX_COMPLETE;
	r->complete_step = step;
	r->complete_started = started;
}

static void need_tx(struct run *r)
{
	queue_pending_commit(r);
	if (r->tx == TX_OPEN)
		return;
	queue(r, IT_OTHER, "BEGIN", NULL, NULL);
	r->tx = TX_OPEN;
	r->tx_began = rt_clock_ms();
}

/* Before a no_transaction statement: commit whatever is open. */
static void close_tx(struct run *r)
{
	queue_pending_commit(r);
	if (r->tx != TX_OPEN)
		return;
	queue(r, IT_COMMIT, "COMMIT", NULL, NULL);
	r->items[r->nq - 1].step = NULL;
	r->tx = TX_IDLE;
}

static void announce(struct run *r)
{
	if (!r->announce)
		return;
	const rt_exec_events *ev = &r->opts->events;
	if (ev->step_start)
		ev->step_start(ev->ctx, r->announce, r->cur_index, r->total);
	r->announce = NULL;
}

static void step_done(struct run *r, const rt_step *step, double started)
{
	const rt_exec_events *ev = &r->opts->events;
	if (step && ev->step_done)
		ev->step_done(ev->ctx, step, rt_clock_ms() - started);
}

/* A statement of the batch succeeded: events for what completed (as the
 * answers arrive, so durations are right), the row guards. */
static void item_done(void *p, size_t i)
{
	struct run *r = p;
	const item *it = &r->items[i];
	if (it->kind == IT_COMMIT)
		r->partial = NULL; /* whatever ran outside is now matched by its version row */
	if (it->kind == IT_COMMIT && it->step != r->cur) {
		step_done(r, it->step, r->complete_started);
		return;
	}
	announce(r);
	if (it->kind == IT_ROWOP && it->op->kind != RT_ROW_INSERT && r->q[i].affected != 1 &&
	    !r->guard)
		r->guard = it; /* checked once the batch is read */
}

/* A statement of the current step failed. */
static void step_failed(struct run *r)
{
	if (r->attempt == ATTEMPT_UNDOABLE)
		r->attempt = ATTEMPT_FAILED;
}

/* Adds "<label>: <the first 60 characters of s>" to the detail. */
static void detail_statement(rt_error *err, const char *label, const rt_stmt *s)
{
	rt_error_detail_append(err, "%s: %.*s%s", label, s->len > 60 ? 60 : (int)s->len, s->sql,
	                       s->len > 60 ? " ..." : "");
}

/* Names the statements of the current attempt that a no-transaction
 * statement committed for good (it, and what its COMMIT closed), and one
 * that was cut off; whether there was any. */
static bool detail_committed_part(const struct run *r, rt_error *err)
{
	for (size_t i = 0; r->body && i < r->alone_ran; i++)
		detail_statement(err, "committed before the connection was lost", r->body->items[i]);
	if (r->cut_off)
		detail_statement(err, "cut off while running, outside the step's transaction",
		                 r->cut_off);
	return r->alone_ran > 0 || r->cut_off;
}

/*
 * The server ended the session while step ran (or committed it): say so
 * instead of blaming the step, keep the server's words as detail, and name
 * what of the step is committed for good.
 */
static int connection_lost(const struct run *r, const rt_step *step, bool committing,
                           rt_error *err)
{
	if (r->opts->lost && r->partial)
		*r->opts->lost = (rt_exec_lost){ .partial = r->partial, .unknown = committing };
	char *reason = err->detail ? rt_xstrdup(err->detail) : NULL;
	char sqlstate[sizeof(err->sqlstate)];
	memcpy(sqlstate, err->sqlstate, sizeof(sqlstate));
	rt_buf name = RT_BUF_INIT;
	if (!step)
		rt_buf_puts(&name, committing ? "a transaction" : "the setup before the first step");
	else if (!step->rev)
		rt_buf_puts(&name, "the stamp");
	else
		rt_buf_printf(&name, "%s of '%s'", direction_name(step), step->rev->id);
	rt_error_set(err, RT_ECONNECT, NULL, "the server closed the connection %s %s; %s",
	             committing ? "while committing" : "during", rt_buf_cstr(&name),
	             committing   ? "whether it was committed is unknown"
	             : r->single ? "the run's transaction was rolled back"
	                          : "its transaction was rolled back");
	rt_buf_release(&name);
	memcpy(err->sqlstate, sqlstate, sizeof(sqlstate));
	if (reason)
		rt_error_detail(err, "%s", reason);
	free(reason);
	if (step && !committing && step == r->cur && detail_committed_part(r, err))
		rt_error_hint(err, "the step is not at fault, but the statements above ran outside its "
		                   "transaction and will run again with it: check their effect, run "
		                   "'retort current' to see what is applied, then run again");
	else
		rt_error_hint(err, "the step is not at fault: run 'retort current' to see what is "
		                   "applied, then run again");
	if (step && step->rev)
		err->object = rt_xstrdup(step->rev->id);
	return RT_ECONNECT;
}

/* Sends the gathered batch and reads it; a failing statement's error gets
 * its source location. */
static int flush(struct run *r, rt_error *err)
{
	size_t n = r->nq, failed = 0;
	int pos = 0;
	r->nq = 0;
	r->guard = NULL;
	int rc = rt_db_exec_batch(r->db, r->q, n, item_done, r, &failed, &pos, err);
	if (rc == RT_OK && r->guard)
		return rt_vtable_guard(r->db, r->opts->vtable, r->guard->op->from, r->guard->op->to,
		                       r->q[r->guard - r->items].affected, err);
	if (rc == RT_OK) {
		rt_arena_reset(r->batch); /* sent and answered: a long run stays small */
		return RT_OK;
	}
	const item *it = &r->items[failed];
	if (it->kind != IT_COMMIT || it->step == r->cur) {
		step_failed(r);
		announce(r);
	}
	if (rc == RT_EDB && it->kind == IT_STMT)
		return statement_failed(err, it->step, it->stmt, pos);
	if (rc == RT_ECONNECT && rt_db_lost(r->db))
		return connection_lost(r, it->step, it->kind == IT_COMMIT, err);
	return rc;
}

/* Runs one statement alone (simple protocol), as the executor always did. */
static int run_alone(struct run *r, const rt_stmt *s, rt_error *err)
{
	int rc = flush(r, err);
	if (rc < 0)
		return rc;
	if (r->opts->interrupted && *r->opts->interrupted)
		return rt_error_set(err, RT_EINTR, NULL, "interrupted");
	announce(r);
	if (s->no_transaction)
		r->partial = r->cur;
	rt_db_result res;
	rc = rt_db_exec(r->db, NULL, s->sql, &res, err);
	if (rc < 0)
		step_failed(r);
	if (rc == RT_EDB)
		return statement_failed(err, r->cur, s, res.error_position);
	if (rc == RT_ECONNECT && rt_db_lost(r->db)) {
		r->cut_off = s->no_transaction ? s : NULL;
		return connection_lost(r, r->cur, false, err);
	}
	return rc;
}

/* A guard (rt_stmt.guard) in the step's transaction: its row is (ok, what
 * the query found); when not ok the step stops there (its transaction is
 * rolled back by the caller). */
static int run_guard(struct run *r, const rt_stmt *s, rt_error *err)
{
	int rc = flush(r, err);
	if (rc < 0)
		return rc;
	announce(r);
	rt_db_result res;
	rc = rt_db_exec(r->db, r->batch, s->sql, &res, err);
	if (rc == RT_EDB) {
		step_failed(r);
		return statement_failed(err, r->cur, s, res.error_position);
	}
	if (rc == RT_ECONNECT && rt_db_lost(r->db))
		return connection_lost(r, r->cur, false, err);
	if (rc < 0) {
		step_failed(r);
		return rc;
	}
	const char *ok = rt_db_value(&res, 0, 0), *found = rt_db_value(&res, 0, 1);
	if (ok && strcmp(ok, "t") == 0)
		return RT_OK;
	step_failed(r);
	rt_loc loc = rt_stmt_loc(s, 0);
	rt_error_set(err, RT_EUNSUPPORTED, &loc, "%s of '%s' stopped: %s; here it finds %s, so %s",
	             direction_name(r->cur), r->cur->rev ? r->cur->rev->id : "?", s->guard,
	             found ? found : "no rows",
	             r->alone_ran ? "the step is rolled back but for what its autocommit block "
	                            "committed before"
	                          : "nothing of the step was committed");
	if (s->guard_hint)
		rt_error_hint(err, "%s", s->guard_hint);
	if (r->cur->rev)
		err->object = rt_xstrdup(r->cur->rev->id);
	return RT_EUNSUPPORTED;
}

/* Whether the first keyword of sql (after blanks and comments) is word. */
static bool starts_with_word(const char *sql, size_t len, const char *const *words)
{
	size_t i = rt_sql_leading_blanks(sql, len);
	size_t w = i;
	while (w < len && ((sql[w] | 0x20) >= 'a' && (sql[w] | 0x20) <= 'z'))
		w++;
	for (const char *const *k = words; *k; k++)
		if (strlen(*k) == w - i && strncasecmp(sql + i, *k, w - i) == 0)
			return true;
	return false;
}

/*
 * A statement may join a batch when it is certainly one statement (no ';'
 * anywhere: a batch uses the extended protocol, which takes one) and leaves
 * our transaction block alone; COPY needs the simple protocol's data flow.
 */
static bool batchable(const rt_stmt *s)
{
	static const char *const alone[] = {
		"begin", "start", "commit", "end", "rollback", "abort", "prepare", "copy", NULL,
	};
	return !s->no_transaction && !memchr(s->sql, ';', s->len) &&
	       !starts_with_word(s->sql, s->len, alone);
}

static void queue_history(struct run *r, const rt_step *step)
{
	static const char *const names[] = { "upgrade", "downgrade", "stamp" };
	/* the server adds the time since BEGIN; this is the time before it */
	int64_t before = (int64_t)(r->tx_began - r->cur_started);
	rt_history_row row = {
		.revision = step->rev ? step->rev->id : NULL,
		.direction = names[step->kind],
		.checksum = step->rev ? step->rev->checksum : NULL,
		.message = step->rev ? step->rev->message : NULL,
		.duration_ms = before,
		.add_tx_time = true,
	};
	if (step->rev) {
		queue(r, IT_OTHER, NULL, NULL, NULL);
		rt_history_insert_stmt(&r->q[r->nq - 1], r->batch, r->opts->history, &row);
		return;
	}
	/* a stamp: one row per version row it moves; a revision it makes current
	 * is recorded with its checksum, one it removes without (no longer applied) */
	for (size_t i = 0; i < step->nops; i++) {
		const rt_rowop *op = &step->ops[i];
		const rt_revision *rev = op->to ? rt_graph_get(r->opts->graph, op->to) : NULL;
		row.revision = op->to ? op->to : op->from;
		row.checksum = rev ? rev->checksum : NULL;
		row.message = rev ? rev->message : NULL;
		queue(r, IT_OTHER, NULL, NULL, NULL);
		rt_history_insert_stmt(&r->q[r->nq - 1], r->batch, r->opts->history, &row);
	}
}

static void queue_rowops(struct run *r, const rt_step *step)
{
	for (size_t i = 0; i < step->nops; i++) {
		const rt_rowop *op = &step->ops[i];
		rt_buf sql = RT_BUF_INIT;
		switch (op->kind) {
		case RT_ROW_INSERT: rt_vtable_render_insert(&sql, r->opts->vtable, op->to); break;
		case RT_ROW_UPDATE: rt_vtable_render_update(&sql, r->opts->vtable, op->from, op->to); break;
		case RT_ROW_DELETE: rt_vtable_render_delete(&sql, r->opts->vtable, op->from); break;
		}
		queue(r, IT_ROWOP, rt_strdup(r->batch, sql.ptr), NULL, op);
		rt_buf_release(&sql);
	}
}

/* One attempt at a step. On failure the open transaction is left for the
 * caller to roll back. */
static int run_step(struct run *r, const rt_step *step, const rt_stmtlist *body, rt_error *err)
{
	int rc;
	if (r->opts->interrupted && *r->opts->interrupted) {
		/* the previous step is complete: commit it, as if it had been at once */
		queue_pending_commit(r);
		if ((rc = flush(r, err)) < 0)
			return rc;
		return rt_error_set(err, RT_EINTR, NULL, "interrupted");
	}
	for (size_t i = 0; i < body->n; i++) {
		const rt_stmt *s = body->items[i];
		if (s->guard) {
			need_tx(r);
			if ((rc = run_guard(r, s, err)) < 0)
				return rc;
		} else if (s->no_transaction) {
			/* autocommit_block / no-transaction section: commit what is open */
			close_tx(r);
			r->attempt = ATTEMPT_PART_COMMITTED;
			if ((rc = run_alone(r, s, err)) < 0)
				return rc;
			r->alone_ran = i + 1;
		} else if (batchable(s)) {
			need_tx(r);
			queue(r, IT_STMT, s->sql, s, NULL);
		} else {
			need_tx(r);
			if ((rc = run_alone(r, s, err)) < 0)
				return rc;
		}
	}
	need_tx(r);
	queue_rowops(r, step);
	queue_history(r, step);
	if ((rc = flush(r, err)) < 0)
		return rc;
	if (r->single)
		step_done(r, step, r->cur_started);
	else
		tx_complete(r, step, r->cur_started); /* its COMMIT leads the next batch */
	return RT_OK;
}

/* Queues the statement in sql (none when empty) in the setup's transaction:
 * SET lock_timeout is committed before any step, so a step rolled back for
 * a retry keeps it. */
static void queue_setup(struct run *r, rt_buf *sql)
{
	if (!sql->len)
		return;
	need_tx(r);
	queue(r, IT_OTHER, rt_strdup(r->arena, sql->ptr), NULL, NULL);
	rt_buf_truncate(sql, 0);
}

/* The tables, purge and lock_timeout in a transaction of their own
 * (per-migration: committed in front of the first step) or single's. */
static int setup(struct run *r, rt_error *err)
{
	const rt_exec_opts *o = r->opts;
	bool vt_exists, hist_exists;
	int rc;
	if (o->state) {
		vt_exists = o->state->vtable_exists;
		hist_exists = o->state->sums.table_exists;
	} else {
		/* unknown: ask, and let IF NOT EXISTS (its notice muted) settle the history */
		if ((rc = rt_vtable_exists(r->db, o->vtable, &vt_exists, err)) < 0 ||
		    (rc = rt_history_ensure(r->db, o->history, err)) < 0)
			return rc;
		hist_exists = true;
	}
	rt_buf sql = RT_BUF_INIT;
	if (o->statement_lock_timeout > 0)
		rt_buf_printf(&sql, "SET lock_timeout = '%.0fms'", o->statement_lock_timeout * 1000.0);
	queue_setup(r, &sql);
	if (!vt_exists)
		rt_vtable_render_create(&sql, o->vtable);
	queue_setup(r, &sql);
	if (!hist_exists)
		rt_history_render_create(&sql, o->history);
	queue_setup(r, &sql);
	if (o->purge)
		rt_vtable_render_delete_all(&sql, o->vtable);
	queue_setup(r, &sql);
	rt_buf_release(&sql);
	if (r->tx == TX_OPEN && !r->single)
		tx_complete(r, NULL, 0);
	return RT_OK;
}

/* 0.5 s doubling per attempt up to 16 s, each between 75% and 125% of
 * that: runners blocked together come back at different times. */
static double retry_delay(unsigned attempt)
{
	return 0.5 * (double)(1u << (attempt < 5 ? attempt : 5)) * (0.75 + 0.5 * rt_random_unit());
}

/* Whether a failed attempt at the current step may run again: it hit
 * lock_timeout and the rollback undoes all of it. */
static bool retryable(const struct run *r, int rc, const rt_error *err)
{
	return rc == RT_EDB && strcmp(err->sqlstate, SQLSTATE_LOCK_NOT_AVAILABLE) == 0 &&
	       r->attempt == ATTEMPT_FAILED && !r->single;
}

/* Runs step; while it is retryable, rolls it back, waits (a signal cuts
 * the wait short: RT_EINTR) and runs it again, opts->lock_retries times
 * at most. */
static int run_step_with_retry(struct run *r, const rt_step *step, const rt_stmtlist *body,
                               rt_error *err)
{
	const rt_exec_opts *o = r->opts;
	for (unsigned attempt = 0;; attempt++) {
		r->attempt = ATTEMPT_UNDOABLE;
		r->body = body;
		r->alone_ran = 0;
		r->cut_off = NULL;
		int rc = run_step(r, step, body, err);
		if (!retryable(r, rc, err) || attempt >= o->lock_retries)
			return rc;
		rt_error_clear(err);
		rt_db_rollback(r->db, err);
		rt_error_clear(err);
		r->tx = TX_IDLE;
		r->nq = 0;
		double delay = retry_delay(attempt);
		if (o->events.step_retry)
			o->events.step_retry(o->events.ctx, step, attempt + 1, delay);
		if (!rt_sleep(delay, o->interrupted))
			return rt_error_set(err, RT_EINTR, NULL, "interrupted");
	}
}

/* A step's body could not be produced: the previous step is complete, and
 * its COMMIT, which would have led this step's batch, goes alone (a failing
 * COMMIT is then the error). */
static int commit_before_failing(struct run *r, int rc, rt_error *err)
{
	rt_error commit_err = RT_ERROR_INIT;
	r->cur = NULL; /* as for the last step's COMMIT */
	queue_pending_commit(r);
	int crc = flush(r, &commit_err);
	if (crc < 0) {
		rt_error_move(err, &commit_err);
		return crc;
	}
	return rc;
}

/* After a failure: roll back what is open (keeping the first error; a
 * rollback on a lost connection adds nothing), and report an interrupt as
 * one whatever the server said of the cancelled statement. */
static int run_failed(struct run *r, int rc, rt_error *err)
{
	rt_error ignored = RT_ERROR_INIT;
	if (!rt_db_lost(r->db))
		rt_db_rollback(r->db, &ignored);
	rt_error_clear(&ignored);
	const rt_exec_opts *o = r->opts;
	if (o->interrupted && *o->interrupted && rc != RT_EINTR)
		return rt_error_set(err, RT_EINTR, NULL, "interrupted: the running statement was "
		                    "cancelled and its transaction rolled back");
	return rc;
}

/* Moves body's echo statements (print(), logging) out, in order: they are
 * written, not sent, once the step's statements have run. */
static rt_stmtlist split_echoes(rt_stmtlist *body, rt_arena *arena)
{
	rt_stmtlist echoes = { 0 };
	size_t n = 0;
	for (size_t i = 0; i < body->n; i++) {
		if (body->items[i]->echo)
			rt_stmtlist_push(arena, &echoes, body->items[i]);
		else
			body->items[n++] = body->items[i];
	}
	body->n = n;
	return echoes;
}

int rt_exec_run(rt_db *db, rt_arena *arena, const rt_plan *plan, const rt_step_source *src,
                const rt_exec_opts *opts, rt_error *err)
{
	struct run r = {
		.db = db, .arena = arena, .opts = opts, .single = opts->transaction == RT_TX_SINGLE,
		.total = plan->n, .cur_started = rt_clock_ms(), .batch = rt_arena_new(),
	};
	if (opts->lost)
		*opts->lost = (rt_exec_lost){ 0 };
	/* bodies again, in the order rt_exec_check_bodies asked for them (a pass
	 * of their own: same statements), one step at a time */
	src->rewind(src->ctx);
	rt_arena *step_arena = rt_arena_new();
	if (opts->events.step_progress) {
		r.tick = rt_arena_new();
		rt_db_on_wait(db, on_wait, &r, 500);
	}
	int rc = setup(&r, err);
	for (size_t i = 0; i < plan->n && rc == RT_OK; i++) {
		const rt_step *step = plan->steps[i];
		rt_stmtlist body;
		rt_arena_reset(step_arena); /* the previous step's batch is answered */
		if ((rc = step_body(&body, step_arena, step, src, err)) < 0) {
			rc = commit_before_failing(&r, rc, err);
			break;
		}
		r.cur = r.announce = step;
		r.cur_index = i;
		r.cur_started = rt_clock_ms();
		rt_stmtlist echoes = split_echoes(&body, step_arena);
		rc = run_step_with_retry(&r, step, &body, err);
		for (size_t k = 0; rc == RT_OK && k < echoes.n; k++)
			if (opts->events.output)
				opts->events.output(opts->events.ctx, step, echoes.items[k]);
	}
	if (rc == RT_OK) {
		/* the last step's COMMIT (per-migration), or the whole run's (single) */
		r.cur = NULL;
		if (r.single && r.tx == TX_OPEN)
			tx_complete(&r, NULL, 0);
		queue_pending_commit(&r);
		rc = flush(&r, err);
	}
	rt_arena_free(r.batch);
	rt_arena_free(step_arena);
	if (rc < 0)
		rc = run_failed(&r, rc, err);
	if (opts->events.step_progress) {
		rt_db_on_wait(db, NULL, NULL, 0);
		rt_db_close(r.monitor);
		rt_arena_free(r.tick);
	}
	return rc;
}
