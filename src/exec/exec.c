/*
 * The online executor: runs prepared steps with per-step (or single)
 * transactions, Alembic's version-row changes guarded to one row each, and
 * a history row per step in the step's own transaction. A step travels as
 * one batch (one round trip) with the previous step's COMMIT in front.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "retort/exec.h"
#include "retort/project.h"
#include "retort/translate.h"

#define SQLSTATE_LOCK_NOT_AVAILABLE "55P03"

/* Step i's body into arena, or an error that names the step. */
static int step_body(rt_stmtlist *out, rt_arena *arena, const rt_step *step,
                     rt_translate_ctx *tctx, rt_error *err)
{
	*out = (rt_stmtlist){ 0 };
	if (!step->rev)
		return RT_OK; /* a stamp runs no migration code */
	rt_direction dir = step->kind == RT_STEP_DOWNGRADE ? RT_DOWNGRADE : RT_UPGRADE;
	int rc = rt_revision_body(out, arena, step->rev, dir, tctx, err);
	if (rc < 0) {
		/* keep the producer's location; say which step needed it */
		char *what = rt_sprintf(arena, "%s of '%s' cannot run: %s",
		                        dir == RT_UPGRADE ? "upgrade" : "downgrade", step->rev->id,
		                        err->message);
		free(err->message);
		err->message = rt_xstrdup(what);
	}
	return rc;
}

int rt_exec_prepare(rt_prepared *out, const rt_plan *plan, const rt_config *cfg,
                    rt_error *err)
{
	*out = (rt_prepared){ .plan = plan, .cfg = cfg };
	/* one translation context for the run: Alembic creates each enum type
	 * from create_table at most once per run */
	rt_arena *scratch = rt_arena_new();
	rt_translate_ctx *tctx = rt_translate_ctx_new(scratch, cfg);
	rt_arena *step_arena = rt_arena_new();
	int rc = RT_OK;
	for (size_t i = 0; i < plan->n && rc == RT_OK; i++) {
		rt_stmtlist body;
		rc = step_body(&body, step_arena, plan->steps[i], tctx, err);
		rt_arena_reset(step_arena);
	}
	rt_arena_free(step_arena);
	rt_arena_free(scratch);
	return rc;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_seconds(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
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

/* Names the revision and points the error at the statement's source. */
static int statement_failed(rt_error *err, const rt_step *step, const rt_stmt *stmt,
                            int position)
{
	size_t at = position > 0 ? char_pos_to_byte(stmt->sql, stmt->len, position) : 0;
	rt_loc loc = rt_stmt_loc(stmt, at);
	const char *dir = step->kind == RT_STEP_DOWNGRADE ? "downgrade" : "upgrade";
	char *server = err->message;
	err->message = NULL;
	char sqlstate[6];
	memcpy(sqlstate, err->sqlstate, sizeof(sqlstate));
	char *detail = err->detail, *hint = err->hint;
	err->detail = err->hint = NULL;
	rt_error_set(err, RT_EDB, loc.path ? &loc : NULL, "%s of '%s' failed: %s (SQLSTATE %s)",
	             dir, step->rev->id, server ? server : "statement failed", sqlstate);
	memcpy(err->sqlstate, sqlstate, sizeof(sqlstate));
	int shown = stmt->len > 300 ? 300 : (int)stmt->len;
	rt_error_detail(err, "%s%sstatement: %.*s%s", detail ? detail : "", detail ? "\n" : "",
	                shown, stmt->sql, stmt->len > 300 ? " ..." : "");
	if (hint)
		rt_error_hint(err, "%s", hint);
	else
		rt_error_hint(err, "the step was rolled back; fix the migration and run again");
	err->object = rt_xstrdup(step->rev->id);
	free(server);
	free(detail);
	free(hint);
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

struct run {
	rt_db *db;
	rt_arena *arena;
	rt_arena *batch;          /* texts of the batch being gathered, reset once answered */
	const rt_exec_opts *opts;
	bool single;
	rt_db_stmt *q;            /* the batch being gathered */
	item *items;              /* parallel to q */
	size_t nq, cap;
	bool in_tx;               /* our transaction block is open (as sent) */
	double tx_began;          /* when its BEGIN was queued (ms) */
	bool uncommitted;         /* per-migration: the open transaction is complete */
	const rt_step *done_step; /* ... and holds this step (NULL: the setup) */
	double done_started;
	const rt_step *announce;  /* step_start not yet reported */
	const rt_step *cur;
	size_t cur_index, total;
	double cur_started;
	bool committed_outside;   /* a no_transaction statement of this step ran */
	bool cur_failed;          /* the failure was the current step's own */
	const item *guard;        /* a row change that did not hit one row */
};

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
	if (!r->uncommitted)
		return;
	queue(r, IT_COMMIT, "COMMIT", NULL, NULL);
	r->items[r->nq - 1].step = r->done_step;
	r->uncommitted = false;
	r->in_tx = false;
}

static void need_tx(struct run *r)
{
	queue_pending_commit(r);
	if (r->in_tx)
		return;
	queue(r, IT_OTHER, "BEGIN", NULL, NULL);
	r->in_tx = true;
	r->tx_began = now_ms();
}

/* Before a no_transaction statement: commit whatever is open. */
static void close_tx(struct run *r)
{
	queue_pending_commit(r);
	if (!r->in_tx)
		return;
	queue(r, IT_COMMIT, "COMMIT", NULL, NULL);
	r->items[r->nq - 1].step = NULL;
	r->in_tx = false;
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
		ev->step_done(ev->ctx, step, now_ms() - started);
}

/* A statement of the batch succeeded: events for what completed (as the
 * answers arrive, so durations are right), the row guards. */
static void item_done(void *p, size_t i)
{
	struct run *r = p;
	const item *it = &r->items[i];
	if (it->kind == IT_COMMIT && it->step != r->cur) {
		step_done(r, it->step, r->done_started);
		return;
	}
	announce(r);
	if (it->kind == IT_ROWOP && it->op->kind != RT_ROW_INSERT && r->q[i].affected != 1 &&
	    !r->guard)
		r->guard = it; /* checked once the batch is read */
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
	r->cur_failed = it->kind != IT_COMMIT || it->step == r->cur;
	if (r->cur_failed)
		announce(r);
	if (rc == RT_EDB && it->kind == IT_STMT)
		return statement_failed(err, it->step, it->stmt, pos);
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
	rt_db_result res;
	rc = rt_db_exec(r->db, NULL, s->sql, &res, err);
	r->cur_failed = true;
	if (rc == RT_EDB)
		return statement_failed(err, r->cur, s, res.error_position);
	return rc;
}

/* Whether the first keyword of sql (after blanks and comments) is word. */
static bool starts_with_word(const char *sql, size_t len, const char *const *words)
{
	size_t i = 0;
	for (;;) {
		while (i < len && strchr(" \t\r\n\f", sql[i]))
			i++;
		if (i + 1 < len && sql[i] == '-' && sql[i + 1] == '-') {
			while (i < len && sql[i] != '\n')
				i++;
		} else if (i + 1 < len && sql[i] == '/' && sql[i + 1] == '*') {
			int depth = 0; /* PostgreSQL's block comments nest */
			do {
				if (i + 1 < len && sql[i] == '/' && sql[i + 1] == '*')
					depth++, i += 2;
				else if (i + 1 < len && sql[i] == '*' && sql[i + 1] == '/')
					depth--, i += 2;
				else
					i++;
			} while (depth > 0 && i < len);
		} else {
			break;
		}
	}
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
		if (s->no_transaction) {
			/* autocommit_block / no-transaction section: commit what is open */
			close_tx(r);
			r->committed_outside = true;
			if ((rc = run_alone(r, s, err)) < 0)
				return rc;
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
	if (r->single) {
		step_done(r, step, r->cur_started);
	} else {
		/* its COMMIT leads the next batch */
		r->uncommitted = true;
		r->done_step = step;
		r->done_started = r->cur_started;
	}
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
	if (r->in_tx && !r->single) {
		r->uncommitted = true;
		r->done_step = NULL;
	}
	return RT_OK;
}

int rt_exec_run(rt_db *db, rt_arena *arena, const rt_prepared *prep, const rt_exec_opts *opts,
                rt_error *err)
{
	const rt_plan *plan = prep->plan;
	struct run r = {
		.db = db, .arena = arena, .opts = opts, .single = opts->transaction == RT_TX_SINGLE,
		.total = plan->n, .cur_started = now_ms(), .batch = rt_arena_new(),
	};
	/* bodies again, in the order rt_exec_prepare made them (same context
	 * state, same statements), one step at a time */
	rt_arena *step_arena = rt_arena_new();
	rt_translate_ctx *tctx = rt_translate_ctx_new(arena, prep->cfg);
	int rc = setup(&r, err);
	if (rc < 0)
		goto fail;
	for (size_t i = 0; i < plan->n; i++) {
		const rt_step *step = plan->steps[i];
		rt_stmtlist body;
		rt_arena_reset(step_arena); /* the previous step's batch is answered */
		if ((rc = step_body(&body, step_arena, step, tctx, err)) < 0) {
			/* the previous step is complete: its COMMIT, which would have led
			 * this step's batch, goes alone (a failing COMMIT is the error) */
			rt_error commit_err = RT_ERROR_INIT;
			r.cur = NULL; /* as for the last step's COMMIT */
			queue_pending_commit(&r);
			int crc = flush(&r, &commit_err);
			if (crc < 0) {
				rt_error_move(err, &commit_err);
				rc = crc;
			}
			goto fail;
		}
		r.cur = r.announce = step;
		r.cur_index = i;
		r.cur_started = now_ms();
		for (unsigned attempt = 0;; attempt++) {
			r.committed_outside = r.cur_failed = false;
			rc = run_step(&r, step, &body, err);
			bool lock_timeout = rc == RT_EDB &&
			                    strcmp(err->sqlstate, SQLSTATE_LOCK_NOT_AVAILABLE) == 0;
			/* retry only what the rollback undoes completely */
			if (!lock_timeout || !r.cur_failed || r.single || r.committed_outside ||
			    attempt >= opts->lock_retries)
				break;
			rt_error roll = RT_ERROR_INIT;
			rt_db_rollback(db, &roll);
			rt_error_clear(&roll);
			r.in_tx = false;
			r.nq = 0;
			double delay = 0.5 * (double)(1u << (attempt < 5 ? attempt : 5)) *
			               (0.75 + 0.5 * (double)rand() / RAND_MAX);
			if (opts->events.step_retry)
				opts->events.step_retry(opts->events.ctx, step, attempt + 1, delay);
			sleep_seconds(delay);
			if (opts->interrupted && *opts->interrupted) {
				rc = rt_error_set(err, RT_EINTR, NULL, "interrupted");
				break;
			}
		}
		if (rc < 0)
			goto fail;
	}
	/* the last step's COMMIT (per-migration), or the whole run's (single) */
	r.cur = NULL;
	if (r.single && r.in_tx) {
		r.uncommitted = true;
		r.done_step = NULL;
	}
	queue_pending_commit(&r);
	if ((rc = flush(&r, err)) < 0)
		goto fail;
	rt_arena_free(r.batch);
	rt_arena_free(step_arena);
	return RT_OK;

fail:;
	/* keep the first error; a rollback on a lost connection adds nothing */
	rt_error ignored = RT_ERROR_INIT;
	if (!rt_db_lost(db))
		rt_db_rollback(db, &ignored);
	rt_error_clear(&ignored);
	if (opts->interrupted && *opts->interrupted && rc != RT_EINTR) {
		rt_error_set(err, RT_EINTR, NULL, "interrupted: the running statement was cancelled "
		             "and its transaction rolled back");
		rc = RT_EINTR;
	}
	rt_arena_free(r.batch);
	rt_arena_free(step_arena);
	return rc;
}
