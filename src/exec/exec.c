/*
 * The online executor: runs prepared steps with per-step (or single)
 * transactions, Alembic's version-row changes guarded to one row each, and
 * a history row per step in the step's own transaction.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "retort/exec.h"
#include "retort/project.h"
#include "retort/translate.h"

#define SQLSTATE_LOCK_NOT_AVAILABLE "55P03"

int rt_exec_prepare(rt_prepared *out, rt_arena *arena, const rt_plan *plan,
                    const rt_config *cfg, rt_error *err)
{
	/* one translation context for the run: Alembic creates each enum type
	 * from create_table at most once per run */
	rt_translate_ctx *tctx = rt_translate_ctx_new(arena, cfg);
	out->plan = plan;
	out->bodies = rt_alloc_array(arena, plan->n ? plan->n : 1, sizeof(*out->bodies));
	for (size_t i = 0; i < plan->n; i++) {
		const rt_step *step = plan->steps[i];
		if (!step->rev)
			continue; /* a stamp runs no migration code */
		rt_direction dir = step->kind == RT_STEP_DOWNGRADE ? RT_DOWNGRADE : RT_UPGRADE;
		int rc = rt_revision_body(&out->bodies[i], arena, step->rev, dir, tctx, err);
		if (rc < 0) {
			/* keep the producer's location; say which step needed it */
			char *what = rt_sprintf(arena, "%s of '%s' cannot run: %s",
			                        dir == RT_UPGRADE ? "upgrade" : "downgrade",
			                        step->rev->id, err->message);
			free(err->message);
			err->message = rt_xstrdup(what);
			return rc;
		}
	}
	return RT_OK;
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

static int apply_rowops(rt_db *db, const rt_step *step, const rt_vtable *vt, rt_error *err)
{
	for (size_t i = 0; i < step->nops; i++) {
		const rt_rowop *op = &step->ops[i];
		int rc = RT_OK;
		switch (op->kind) {
		case RT_ROW_INSERT: rc = rt_vtable_insert(db, vt, op->to, err); break;
		case RT_ROW_UPDATE: rc = rt_vtable_update(db, vt, op->from, op->to, err); break;
		case RT_ROW_DELETE: rc = rt_vtable_delete(db, vt, op->from, err); break;
		}
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

static int record_history(rt_db *db, const rt_step *step, const rt_exec_opts *opts, double ms,
                          rt_error *err)
{
	static const char *const names[] = { "upgrade", "downgrade", "stamp" };
	if (step->rev) {
		rt_history_row row = {
			.revision = step->rev->id,
			.direction = names[step->kind],
			.checksum = step->rev->checksum,
			.message = step->rev->message,
			.duration_ms = (int64_t)ms,
		};
		return rt_history_insert(db, opts->history, &row, err);
	}
	/* a stamp: one row per version row it moves; a revision it makes current
	 * is recorded with its checksum, one it removes without (no longer applied) */
	for (size_t i = 0; i < step->nops; i++) {
		const rt_rowop *op = &step->ops[i];
		const char *id = op->to ? op->to : op->from;
		const rt_revision *rev = op->to ? rt_graph_get(opts->graph, op->to) : NULL;
		rt_history_row row = {
			.revision = id,
			.direction = "stamp",
			.checksum = rev ? rev->checksum : NULL,
			.message = rev ? rev->message : NULL,
			.duration_ms = (int64_t)ms,
		};
		int rc = rt_history_insert(db, opts->history, &row, err);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

struct run {
	rt_db *db;
	const rt_exec_opts *opts;
	bool single;
	bool committed_outside; /* a no_transaction statement of this step ran */
};

static int ensure_tx(struct run *r, rt_error *err)
{
	return rt_db_in_transaction(r->db) ? RT_OK : rt_db_begin(r->db, err);
}

/* One attempt at a step. On failure the open transaction is left for the
 * caller to roll back. */
static int run_step(struct run *r, rt_arena *arena, const rt_step *step, const rt_stmtlist *body,
                    double started, rt_error *err)
{
	int rc;
	for (size_t i = 0; i < body->n; i++) {
		const rt_stmt *s = body->items[i];
		if (r->opts->interrupted && *r->opts->interrupted)
			return rt_error_set(err, RT_EINTR, NULL, "interrupted");
		if (s->no_transaction) {
			/* autocommit_block / no-transaction section: commit what is open */
			if (rt_db_in_transaction(r->db) && (rc = rt_db_commit(r->db, err)) < 0)
				return rc;
			r->committed_outside = true;
		} else if ((rc = ensure_tx(r, err)) < 0) {
			return rc;
		}
		rt_db_result res;
		rc = rt_db_exec(r->db, arena, s->sql, &res, err);
		if (rc == RT_EDB)
			return statement_failed(err, step, s, res.error_position);
		if (rc < 0)
			return rc;
	}
	if ((rc = ensure_tx(r, err)) < 0 || (rc = apply_rowops(r->db, step, r->opts->vtable, err)) < 0 ||
	    (rc = record_history(r->db, step, r->opts, now_ms() - started, err)) < 0)
		return rc;
	if (!r->single)
		return rt_db_commit(r->db, err);
	return RT_OK;
}

static int setup_tables(struct run *r, rt_error *err)
{
	bool exists;
	int rc = rt_vtable_exists(r->db, r->opts->vtable, &exists, err);
	if (rc < 0)
		return rc;
	if ((rc = rt_db_begin(r->db, err)) < 0)
		return rc;
	if (!exists && (rc = rt_vtable_create(r->db, r->opts->vtable, err)) < 0)
		return rc;
	if ((rc = rt_history_ensure(r->db, r->opts->history, err)) < 0)
		return rc;
	if (r->opts->purge && (rc = rt_vtable_delete_all(r->db, r->opts->vtable, err)) < 0)
		return rc;
	return r->single ? RT_OK : rt_db_commit(r->db, err);
}

int rt_exec_run(rt_db *db, rt_arena *arena, const rt_prepared *prep, const rt_exec_opts *opts,
                rt_error *err)
{
	struct run r = { .db = db, .opts = opts, .single = opts->transaction == RT_TX_SINGLE };
	const rt_plan *plan = prep->plan;
	int rc = setup_tables(&r, err);
	if (rc < 0)
		goto fail;
	if (opts->statement_lock_timeout > 0) {
		char *set = rt_sprintf(arena, "SET lock_timeout = '%.0fms'",
		                       opts->statement_lock_timeout * 1000.0);
		if ((rc = rt_db_exec(db, NULL, set, NULL, err)) < 0)
			goto fail;
	}
	for (size_t i = 0; i < plan->n; i++) {
		const rt_step *step = plan->steps[i];
		if (opts->events.step_start)
			opts->events.step_start(opts->events.ctx, step, i, plan->n);
		double started = now_ms();
		for (unsigned attempt = 0;; attempt++) {
			r.committed_outside = false;
			rc = run_step(&r, arena, step, &prep->bodies[i], started, err);
			bool lock_timeout = rc == RT_EDB &&
			                    strcmp(err->sqlstate, SQLSTATE_LOCK_NOT_AVAILABLE) == 0;
			/* retry only what the rollback undoes completely */
			if (!lock_timeout || r.single || r.committed_outside ||
			    attempt >= opts->lock_retries)
				break;
			rt_error roll = RT_ERROR_INIT;
			rt_db_rollback(db, &roll);
			rt_error_clear(&roll);
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
		if (opts->events.step_done)
			opts->events.step_done(opts->events.ctx, step, now_ms() - started);
	}
	if (r.single && (rc = rt_db_commit(db, err)) < 0)
		goto fail;
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
	return rc;
}
