/*
 * A database session for the commands that need one: connect (started
 * early, with --wait progress), SIGINT/SIGTERM cancellation, the version rows
 * and checksums, and the migration lock with holder reports, after which
 * they are read again.
 */
#include <signal.h>
#include <string.h>

#include "cli.h"

volatile sig_atomic_t cli_interrupted;
static rt_db *signal_db; /* the session a signal cancels */

static void on_signal(int signo)
{
	cli_interrupted = signo;
	if (signal_db)
		rt_db_cancel(signal_db); /* async-signal-safe: PQcancel on a prepared handle */
}

void cli_install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void on_progress(void *p, const char *message)
{
	struct cli_ctx *ctx = p;
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "retort: %s\n", message);
	cli_emit(ctx, &(struct cli_event){
		.name = "wait",
		.fields = CLI_FIELDS(CLI_STR("message", message)),
		.text = rt_buf_cstr(&b),
		.text_flags = CLI_TEXT_STDERR,
	});
	rt_buf_release(&b);
}

static void on_notice(void *p, const char *severity, const char *message)
{
	struct cli_ctx *ctx = p;
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "%s: %s\n", severity, message);
	cli_emit(ctx, &(struct cli_event){
		.name = "notice",
		.fields = CLI_FIELDS(CLI_STR("severity", severity), CLI_STR("message", message)),
		.text = rt_buf_cstr(&b),
		.text_flags = CLI_TEXT_STDERR | CLI_TEXT_VERBOSE,
	});
	rt_buf_release(&b);
}

static void on_lock_wait(void *p, const rt_lock_holder *h, double waited)
{
	struct cli_ctx *ctx = p;
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "retort: waiting for the migration lock (%.0f s), held by ", waited);
	rt_lock_holder_describe(&b, h);
	rt_buf_putc(&b, '\n');
	cli_emit(ctx, &(struct cli_event){
		.name = "lock_wait",
		.fields = CLI_FIELDS(CLI_FIXED("waited_seconds", waited, 1), CLI_INT("pid", h->pid),
		                     CLI_STR("application_name", h->application_name),
		                     CLI_STR("client", h->client), CLI_STR("since", h->backend_start),
		                     CLI_STR("state", h->state)),
		.text = rt_buf_cstr(&b),
		.text_flags = CLI_TEXT_STDERR,
	});
	rt_buf_release(&b);
}

static rt_db_opts db_opts(struct cli_ctx *ctx, unsigned flags)
{
	const rt_config *cfg = ctx->cfg;
	return (rt_db_opts){
		.url = cfg->database_url,
		.wait_seconds = cfg->wait,
		.read_only = !(flags & CLI_SESSION_WRITE),
		.progress = on_progress,
		.progress_ctx = ctx,
		.notice = on_notice,
		.notice_ctx = ctx,
		.interrupted = &cli_interrupted,
	};
}

void cli_session_prestart(struct cli_ctx *ctx)
{
	rt_db_opts dopts = db_opts(ctx, 0);
	ctx->db_pending = rt_db_connect_start(ctx->arena, &dopts);
}

unsigned cli_session_flags(enum cli_db db)
{
	switch (db) {
	case CLI_DB_WRITE: return CLI_SESSION_WRITE;
	case CLI_DB_LOCKED: return CLI_SESSION_WRITE | CLI_SESSION_LOCK;
	default: return 0;
	}
}

/* Keeps what rt_db_read_state read and what it means for the scripts. */
static void took(struct cli_ctx *ctx, struct cli_session *s)
{
	s->rows = s->db_state.rows;
	s->sums = s->db_state.sums;
	rt_applied_state_build(&s->state, ctx->arena, ctx->graph, &s->rows, &s->sums);
}

int cli_session_lock(struct cli_ctx *ctx, struct cli_session *s, rt_error *err)
{
	const rt_config *cfg = ctx->cfg;
	/* one round trip: the lock's first attempt, then the rows under it */
	int rc = rt_db_read_state(s->db, ctx->arena, &s->vt, &s->hist, RT_READ_STATE_TRY_LOCK,
	                          &s->db_state, err);
	if (rc < 0)
		return rc;
	if (s->db_state.locked) {
		s->locked = true;
	} else {
		rt_lock_opts lopts = {
			.schema = cfg->version_table_schema,
			.table = cfg->version_table,
			.timeout_seconds = cfg->lock_timeout,
			.on_wait = on_lock_wait,
			.ctx = ctx,
			.interrupted = &cli_interrupted,
		};
		if ((rc = rt_db_lock(s->db, &lopts, err)) < 0)
			return rc;
		s->locked = true;
		/* another runner may just have moved the rows */
		if ((rc = rt_db_read_state(s->db, ctx->arena, &s->vt, &s->hist, 0, &s->db_state,
		                           err)) < 0)
			return rc;
	}
	took(ctx, s);
	return RT_OK;
}

/* Opens s->db (--wait applies) for the signal handler to cancel. */
static int open_db(struct cli_ctx *ctx, struct cli_session *s, unsigned flags, rt_error *err)
{
	rt_db_opts dopts = db_opts(ctx, flags);
	/* the first round trip also looks the tables up and computes the lock key */
	dopts.vtable = &s->vt;
	dopts.history = &s->hist;
	dopts.pending = ctx->db_pending;
	ctx->db_pending = NULL;
	int rc = rt_db_connect(&s->db, ctx->arena, &dopts, err);
	if (rc == RT_OK)
		signal_db = s->db;
	return rc;
}

int cli_connect_read_only(struct cli_ctx *ctx, const char *url, rt_db **db, rt_error *err)
{
	const rt_db_opts dopts = {
		.url = url,
		.wait_seconds = ctx->cfg->wait,
		.read_only = true,
		.interrupted = &cli_interrupted,
	};
	return rt_db_connect(db, ctx->arena, &dopts, err);
}

int cli_session_reconnect(struct cli_ctx *ctx, struct cli_session *s, rt_error *err)
{
	signal_db = NULL;
	rt_db_close(s->db); /* lost: the server released the lock with it */
	s->db = NULL;
	s->locked = false;
	return open_db(ctx, s, CLI_SESSION_WRITE, err);
}

int cli_session_open(struct cli_ctx *ctx, struct cli_session *s, unsigned flags, rt_error *err)
{
	memset(s, 0, sizeof(*s));
	clock_gettime(CLOCK_MONOTONIC, &s->started);
	const rt_config *cfg = ctx->cfg;
	s->vt = (rt_vtable){
		.schema = cfg->version_table_schema,
		.name = cfg->version_table,
		.no_pk = !cfg->version_table_pk,
	};
	s->hist = (rt_history){ .schema = cfg->version_table_schema, .name = cfg->history_table };
	cli_install_signals();
	int rc = open_db(ctx, s, flags, err);
	if (rc < 0)
		return rc;
	if (flags & CLI_SESSION_LOCK)
		return cli_session_lock(ctx, s, err);
	if ((rc = rt_db_read_state(s->db, ctx->arena, &s->vt, &s->hist, 0, &s->db_state,
	                           err)) < 0)
		return rc;
	took(ctx, s);
	return RT_OK;
}

void cli_session_close(struct cli_session *s)
{
	if (!s->db)
		return;
	signal_db = NULL;
	if (s->locked && !rt_db_lost(s->db)) {
		rt_error ignored = RT_ERROR_INIT;
		rt_db_unlock(s->db, &ignored);
		rt_error_clear(&ignored);
	}
	rt_db_close(s->db); /* closing also releases a session-level lock */
	s->db = NULL;
}
