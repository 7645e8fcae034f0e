/*
 * Tracing a plan's locks (retort lint --trace): every step's statements in
 * order inside ONE transaction that is always rolled back, each under a
 * savepoint, with the session's relation locks read before and after it.
 * Later steps see what earlier ones did; nothing is ever committed.
 */
#include "retort/exec.h"

/* A statement that failed is rolled back to its savepoint: the trace goes on. */
static int run_one(rt_db *db, rt_arena *arena, const rt_step *step, const rt_stmtlist *body,
                   size_t i, const rt_trace_events *ev, rt_error *err)
{
	const rt_stmt *s = body->items[i];
	const char *const *names = NULL;
	size_t nnames = 0;
	if (s->no_transaction) {
		ev->after(ev->ctx, step, body, i, RT_TRACE_NO_TX, NULL, NULL, NULL);
		return RT_OK;
	}
	if (!ev->before(ev->ctx, step, body, i, &names, &nnames)) {
		ev->after(ev->ctx, step, body, i, RT_TRACE_SKIPPED, NULL, NULL, NULL);
		return RT_OK;
	}
	rt_db_held before, after;
	int rc;
	if ((rc = rt_db_exec(db, NULL, "SAVEPOINT retort_trace", NULL, err)) < 0 ||
	    (rc = rt_db_held_locks(db, arena, names, nnames, &before, err)) < 0)
		return rc;
	rt_error failed = RT_ERROR_INIT;
	if (rt_db_exec(db, NULL, s->sql, NULL, &failed) < 0) {
		if (rt_db_lost(db)) {
			rt_error_move(err, &failed);
			return RT_ECONNECT;
		}
		ev->after(ev->ctx, step, body, i, RT_TRACE_FAILED, &before, NULL, &failed);
		rt_error_clear(&failed);
		return rt_db_exec(db, NULL, "ROLLBACK TO SAVEPOINT retort_trace", NULL, err);
	}
	if ((rc = rt_db_held_locks(db, arena, names, nnames, &after, err)) < 0)
		return rc;
	ev->after(ev->ctx, step, body, i, RT_TRACE_RAN, &before, &after, NULL);
	/* the statement's locks pass to the transaction, as they would in the step's */
	return rt_db_exec(db, NULL, "RELEASE SAVEPOINT retort_trace", NULL, err);
}

int rt_exec_trace(rt_db *db, const rt_plan *plan, const rt_step_source *src,
                  const rt_trace_events *ev, const volatile sig_atomic_t *interrupted,
                  rt_error *err)
{
	src->rewind(src->ctx);
	rt_arena *step_arena = rt_arena_new();
	int rc = rt_db_begin(db, err);
	/* a scratch database may still be shared: wait for no one for long */
	if (rc == RT_OK)
		rc = rt_db_exec(db, NULL, "SET LOCAL lock_timeout = '10s'", NULL, err);
	for (size_t i = 0; i < plan->n && rc == RT_OK; i++) {
		const rt_step *step = plan->steps[i];
		rt_stmtlist body;
		rt_arena_reset(step_arena);
		if (!step->rev)
			continue;
		rc = rt_step_source_body(src, step, step_arena, &body, err);
		if (rc < 0) {
			rt_error_prefix(err, "upgrade body of '%s'", step->rev->id);
			break;
		}
		for (size_t k = 0; k < body.n && rc == RT_OK; k++) {
			if (interrupted && *interrupted)
				rc = rt_error_set(err, RT_EINTR, NULL, "interrupted; nothing was committed");
			else
				rc = run_one(db, step_arena, step, &body, k, ev, err);
		}
	}
	rt_arena_free(step_arena);
	rt_error ignored = RT_ERROR_INIT; /* never COMMIT: a lost session rolled back already */
	if (!rt_db_lost(db))
		rt_db_rollback(db, &ignored);
	rt_error_clear(&ignored);
	return rc;
}
