/*
 * What upgrade, downgrade and stamp share: the offline script (--sql) and
 * the online run with its progress lines and JSON events.
 */
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "retort/offline.h"
#include "retort/plan.h"

int cli_range_parse(struct cli_ctx *ctx, const char *arg, const char *dflt, const char **to,
                    rt_strv *rows, bool *has_from, rt_error *err)
{
	const char *colon = strchr(arg, ':');
	*to = colon ? colon + 1 : arg;
	*has_from = colon != NULL;
	if (strchr(*to, ':'))
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "'%s' is not a range: use [FROM:]TO with one start revision", arg);
	if (**to == '\0')
		*to = dflt;
	if (!colon)
		return RT_OK;
	/* the start revision is trusted: no database is consulted */
	*rows = (rt_strv){ 0 };
	if (colon == arg)
		return RT_OK;
	const rt_revision *start;
	int rc = rt_graph_resolve_one(ctx->graph, rt_strndup(ctx->arena, arg, (size_t)(colon - arg)),
	                              &start, err);
	if (rc == RT_OK && start) /* "base": no rows */
		rt_strv_push(ctx->arena, rows, start->id);
	return rc;
}

int cli_migrate_offline(struct cli_ctx *ctx, rt_step_kind kind, const char *arg, rt_error *err)
{
	const char *to;
	rt_strv rows = { 0 };
	bool from;
	int rc = cli_range_parse(ctx, arg, "head", &to, &rows, &from, err);
	if (rc < 0)
		return rc;
	if (kind == RT_STEP_DOWNGRADE && !from)
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "downgrade with --sql requires <fromrev>:<torev>");
	rt_plan *plan;
	rc = kind == RT_STEP_UPGRADE
	             ? rt_plan_upgrade(&plan, ctx->arena, ctx->graph, &rows, to, err)
	             : rt_plan_downgrade(&plan, ctx->arena, ctx->graph, &rows, to, err);
	if (rc < 0)
		return rc;

	rt_vtable vt = {
		.schema = ctx->cfg->version_table_schema,
		.name = ctx->cfg->version_table,
		.no_pk = !ctx->cfg->version_table_pk,
	};
	rt_offline_opts oo = {
		.vtable = &vt,
		.transaction = ctx->cfg->transaction,
		.create_version_table = rows.n == 0, /* no start, or base: as Alembic */
		.source = cli_step_source(ctx, false),
	};
	rt_buf script = RT_BUF_INIT;
	rc = rt_offline_render(&script, ctx->arena, plan, &oo, err);
	if (rc == RT_OK)
		cli_write(ctx->out, &script);
	rt_buf_release(&script);
	return rc;
}

int cli_migrate_validate(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args;
	const struct cli_migrate_opts *o = ctx->opts;
	if (o->sql && o->dry_run)
		return rt_error_set(err, RT_EUSAGE, NULL, "'--sql' and '--dry-run' exclude each other");
	return RT_OK;
}

static const char *const step_kinds[] = { "upgrade", "downgrade", "stamp" };

/* A step's JSON members: its revision, kind, and the rows before and after. */
#define STEP_FIELDS(step) \
	CLI_STR("revision", (step)->rev ? (step)->rev->id : NULL), \
	CLI_STR("kind", step_kinds[(step)->kind]), CLI_STRV("from", &(step)->from), \
	CLI_STRV("to", &(step)->to)

static void print_plan(struct cli_ctx *ctx, const rt_plan *plan, bool dry_run)
{
	if (ctx->report) { /* a fleet's table: where the target starts */
		cli_report_rows(ctx->report->from, sizeof(ctx->report->from), &plan->rows_before);
		cli_report_rows(ctx->report->to, sizeof(ctx->report->to), &plan->rows_before);
		ctx->report->steps = 0;
	}
	rt_buf steps = RT_BUF_INIT, text = RT_BUF_INIT;
	rt_buf_putc(&steps, '[');
	for (size_t i = 0; i < plan->n; i++) {
		if (i)
			rt_buf_putc(&steps, ',');
		cli_json_object(&steps, CLI_FIELDS(STEP_FIELDS(plan->steps[i])));
		rt_buf_puts(&text, "Would run ");
		rt_step_format_log(&text, plan->steps[i]);
		rt_buf_putc(&text, '\n');
	}
	rt_buf_putc(&steps, ']');
	cli_emit(ctx, &(struct cli_event){
		.name = "plan",
		.fields = CLI_FIELDS(CLI_BOOL("dry_run", dry_run),
		                     CLI_STRV("rows_before", &plan->rows_before),
		                     CLI_STRV("rows_after", &plan->rows_after),
		                     CLI_JSON("steps", rt_buf_cstr(&steps))),
		.text = dry_run ? rt_buf_cstr(&text) : NULL,
		.text_flags = CLI_TEXT_ALWAYS,
	});
	rt_buf_release(&steps);
	rt_buf_release(&text);
}

/* What the step events share: the line a running step shows, which the
 * progress display rewrites in place on a terminal. */
struct run_view {
	struct cli_ctx *ctx;
	bool progress;     /* progress events wanted (a terminal, or --progress for JSON) */
	bool redrawn;      /* the step's line was rewritten: the next text starts over */
	bool line_broken;  /* the body's print() output ended the step's line */
	const char *line;  /* "Running upgrade a -> b ..." (ctx->arena) */
	size_t columns;    /* the terminal's width; 0: not a terminal */
};

/* Cuts b to fit in columns - 1 characters: a rewritten line that wrapped
 * would leave its first rows behind ('\r' goes back to the last one only). */
static void fit_width(rt_buf *b, size_t columns)
{
	size_t chars = 0;
	for (size_t i = 0; columns && i < b->len; i++) {
		if (((unsigned char)b->ptr[i] & 0xC0) != 0x80 && ++chars == columns) {
			rt_buf_truncate(b, i);
			return;
		}
	}
}

/* On a terminal whose line was rewritten: back to its start, the step's line again. */
static const char *line_again(struct run_view *v, const char *rest)
{
	if (!v->redrawn)
		return rest;
	v->redrawn = false;
	return rt_concat(v->ctx->arena, "\r", v->line, "\033[K", rest, NULL);
}

static void on_step_start(void *p, const rt_step *step, size_t index, size_t total)
{
	struct run_view *v = p;
	struct cli_ctx *ctx = v->ctx;
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, "Running ");
	rt_step_format_log(&b, step);
	if (step->rev)
		rt_buf_puts(&b, cli_body_note(ctx, step->rev, step->kind == RT_STEP_DOWNGRADE
		                                                  ? RT_DOWNGRADE : RT_UPGRADE));
	rt_buf_puts(&b, " ...");
	v->line = rt_strdup(ctx->arena, rt_buf_cstr(&b));
	v->redrawn = false;
	v->line_broken = false;
	cli_emit(ctx, &(struct cli_event){
		.name = "step_start",
		.fields = CLI_FIELDS(STEP_FIELDS(step), CLI_SIZE("index", index + 1),
		                     CLI_SIZE("total", total)),
		.text = rt_buf_cstr(&b),
		.text_flags = CLI_TEXT_FLUSH,
	});
	rt_buf_release(&b);
}

/* print() output of a step's body (stdout, or stderr with file=sys.stderr)
 * as Alembic running it writes it; logging calls with -v, on stderr. */
static void on_output(void *p, const rt_step *step, const rt_stmt *echo)
{
	struct run_view *v = p;
	struct cli_ctx *ctx = v->ctx;
	bool log = echo->echo_level && strcmp(echo->echo_level, "stderr") != 0;
	if (!v->line_broken && ctx->format == RT_FORMAT_TEXT && ctx->verbosity >= (log ? 1 : 0)) {
		cli_emit(ctx, &(struct cli_event){ .text = line_again(v, "\n") });
		v->line_broken = true;
	}
	const char *text = log ? rt_sprintf(ctx->arena, "%-5.5s [%s] %s\n", echo->echo_level,
	                                    step->rev ? step->rev->id : "?", echo->echo)
	                       : echo->echo;
	rt_loc loc = rt_stmt_loc(echo, 0);
	cli_emit(ctx, &(struct cli_event){
		.name = "output",
		.fields = CLI_FIELDS(STEP_FIELDS(step), CLI_STR("text", echo->echo),
		                     CLI_STR("stream", log ? "log" : echo->echo_level ? "stderr"
		                                                                   : "stdout"),
		                     CLI_STR_OPT("level", log ? echo->echo_level : NULL),
		                     CLI_LOC(&loc)),
		.text = text,
		.text_flags = (echo->echo_level ? CLI_TEXT_STDERR : 0) |
		              (log ? CLI_TEXT_VERBOSE : CLI_TEXT_ALWAYS),
	});
}

static void on_step_done(void *p, const rt_step *step, double ms)
{
	struct run_view *v = p;
	struct cli_ctx *ctx = v->ctx;
	if (ctx->report) { /* how far it got, should a later step fail */
		cli_report_rows(ctx->report->to, sizeof(ctx->report->to), &step->rows_after);
		ctx->report->steps++;
	}
	char text[64];
	snprintf(text, sizeof(text), "%s %.0f ms\n", v->line_broken ? "..." : "", ms);
	v->line_broken = false;
	cli_emit(v->ctx, &(struct cli_event){
		.name = "step_done",
		.fields = CLI_FIELDS(STEP_FIELDS(step), CLI_FIXED("duration_ms", ms, 1)),
		.text = line_again(v, text),
	});
}

static void on_step_retry(void *p, const rt_step *step, unsigned attempt, double delay)
{
	struct run_view *v = p;
	char text[96];
	snprintf(text, sizeof(text), " lock timeout; retrying in %.1f s (attempt %u)\n", delay,
	         attempt);
	cli_emit(v->ctx, &(struct cli_event){
		.name = "step_retry",
		.fields = CLI_FIELDS(STEP_FIELDS(step), CLI_INT("attempt", attempt),
		                     CLI_FIXED("delay_seconds", delay, 2)),
		.text = line_again(v, text),
	});
}

/* a count as JSON, NULL (left out) when the view does not report it */
static const char *count_json(rt_arena *arena, long long n)
{
	return n >= 0 ? rt_sprintf(arena, "%lld", n) : NULL;
}

/* A step past 2 s: on a terminal its line, rewritten in place, ends with the
 * elapsed time and the server's phase and counts; JSON gets "progress". */
static void on_step_progress(void *p, const rt_step *step, double ms, const rt_db_progress *pr)
{
	struct run_view *v = p;
	if (!v->progress)
		return;
	rt_arena *a = v->ctx->arena;
	rt_arena_mark mark = rt_arena_mark_get(a); /* every 500 ms: give it back */
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "%s %.1f s", v->line, ms / 1000.0);
	if (pr->command) {
		rt_buf_printf(&b, ", %s: %s", pr->command, pr->phase ? pr->phase : "?");
		if (pr->blocks_total > 0)
			rt_buf_printf(&b, ", %lld/%lld blocks (%.0f%%)", pr->blocks_done, pr->blocks_total,
			              100.0 * (double)pr->blocks_done / (double)pr->blocks_total);
		else if (pr->tuples_done > 0)
			rt_buf_printf(&b, ", %lld tuples", pr->tuples_done);
	}
	fit_width(&b, v->columns);
	v->redrawn = true;
	cli_emit(v->ctx, &(struct cli_event){
		.name = "progress",
		.fields = CLI_FIELDS(STEP_FIELDS(step), CLI_FIXED("elapsed_ms", ms, 0),
		                     CLI_STR("command", pr->command), CLI_STR("phase", pr->phase),
		                     CLI_JSON_OPT("blocks_done", count_json(a, pr->blocks_done)),
		                     CLI_JSON_OPT("blocks_total", count_json(a, pr->blocks_total)),
		                     CLI_JSON_OPT("tuples_done", count_json(a, pr->tuples_done)),
		                     CLI_JSON_OPT("tuples_total", count_json(a, pr->tuples_total))),
		.text = rt_concat(a, "\r", rt_buf_cstr(&b), "\033[K", NULL),
		.text_flags = CLI_TEXT_FLUSH,
	});
	rt_buf_release(&b);
	rt_arena_release(a, mark);
}

/* steps: the plan's, and those done before a reconnect. */
static void print_summary(struct cli_ctx *ctx, const rt_plan *plan, bool dry_run, size_t steps,
                          double ms)
{
	rt_buf b = RT_BUF_INIT;
	if (steps == 0)
		rt_buf_puts(&b, "Nothing to do; at ");
	else if (dry_run)
		rt_buf_printf(&b, "Dry run: %zu step%s, nothing changed; would end at ", steps,
		              steps == 1 ? "" : "s");
	else
		rt_buf_printf(&b, "Done: %zu step%s in %.0f ms; now at ", steps, steps == 1 ? "" : "s",
		              ms);
	if (plan->rows_after.n == 0)
		rt_buf_puts(&b, "base");
	for (size_t i = 0; i < plan->rows_after.n; i++)
		rt_buf_printf(&b, "%s%s", i ? ", " : "", plan->rows_after.v[i]);
	rt_buf_putc(&b, '\n');
	if (ctx->report && dry_run)
		snprintf(ctx->report->note, sizeof(ctx->report->note), "dry run: %zu pending", plan->n);
	cli_emit(ctx, &(struct cli_event){
		.name = "summary",
		.fields = CLI_FIELDS(CLI_BOOL("dry_run", dry_run), CLI_SIZE("steps", steps),
		                     CLI_FIXED("duration_ms", ms, 1), CLI_STRV("rows", &plan->rows_after)),
		.text = rt_buf_cstr(&b),
	});
	rt_buf_release(&b);
}

static double elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Verifies the state the session read and plans from it. */
static int plan_from(struct cli_ctx *ctx, const struct cli_migration *m, struct cli_session *s,
                     rt_plan **plan, rt_error *err)
{
	/* verify before touching anything (SPEC §6) */
	int rc = m->purge ? RT_OK : rt_applied_state_check(&s->state, err);
	if (rc < 0)
		return rc;
	if (m->kind == RT_STEP_UPGRADE)
		return rt_plan_upgrade(plan, ctx->arena, ctx->graph, &s->rows, m->targets[0], err);
	if (m->kind == RT_STEP_DOWNGRADE)
		return rt_plan_downgrade(plan, ctx->arena, ctx->graph, &s->rows, m->targets[0], err);
	return rt_plan_stamp(plan, ctx->arena, ctx->graph, &s->rows, m->targets, m->ntargets,
	                     m->purge, err);
}

/* Proves the plan's bodies, prints it and runs it (the session holds the
 * lock when there is work). before: steps done by attempts before a lost
 * connection, for the summary. */
static int run_plan(struct cli_ctx *ctx, const struct cli_migration *m, const rt_plan *plan,
                    size_t before, rt_exec_lost *lost, rt_error *err)
{
	struct cli_session *s = ctx->session;
	if (plan->warning && ctx->verbosity >= 0)
		fprintf(ctx->err, "retort: warning: %s\n", plan->warning);
	const rt_step_source *source = cli_step_source(ctx, true);
	int rc = rt_exec_check_bodies(plan, source, err);
	if (rc < 0)
		return rc;
	print_plan(ctx, plan, m->dry_run);
	if (m->dry_run || (plan->n == 0 && !plan->purge)) {
		print_summary(ctx, plan, m->dry_run, before + plan->n,
		              before ? elapsed_ms(&s->started) : 0);
		return RT_OK;
	}
	/* nothing of the live display without a terminal; JSON asks with --progress */
	bool tty = isatty(fileno(ctx->out));
	struct winsize ws = { 0 };
	struct run_view view = {
		.ctx = ctx,
		.progress = tty || (m->progress && ctx->format == RT_FORMAT_JSON),
		.columns = tty && ioctl(fileno(ctx->out), TIOCGWINSZ, &ws) == 0 ? ws.ws_col : 0,
	};
	rt_exec_opts eo = {
		.graph = ctx->graph,
		.vtable = &s->vt,
		.history = &s->hist,
		.transaction = ctx->cfg->transaction,
		.statement_lock_timeout = ctx->cfg->statement_lock_timeout,
		.lock_retries = 5,
		.purge = plan->purge,
		.state = &s->db_state,
		.events = { on_step_start, on_step_done, on_step_retry, &view,
		            view.progress ? on_step_progress : NULL, on_output },
		.interrupted = &cli_interrupted,
		.lost = lost,
	};
	rc = rt_exec_run(s->db, ctx->arena, plan, source, &eo, err);
	if (rc < 0) {
		bool lost_conn = rc == RT_ECONNECT && rt_db_lost(s->db);
		cli_emit(ctx, &(struct cli_event){
			.text = line_again(&view, lost_conn ? " connection lost\n" : " failed\n"),
		});
		return rc;
	}
	print_summary(ctx, plan, false, before + plan->n, elapsed_ms(&s->started));
	return RT_OK;
}

static bool plan_has(const rt_plan *plan, const rt_step *step)
{
	for (size_t i = 0; i < plan->n; i++)
		if (plan->steps[i]->rev == step->rev && plan->steps[i]->kind == step->kind)
			return true;
	return false;
}

/* The lost connection in err is not resumed: why. */
static int not_resumed(rt_error *err, const char *why)
{
	rt_error_detail_append(err, "not resumed (--wait): %s", why);
	return RT_ECONNECT;
}

#define REPEATS_WORK "statements of the step ran outside its transaction, and running the " \
	"step again would repeat them"

/* Reconnects within --wait after a lost connection (saved, and reported). */
static int reconnect(struct cli_ctx *ctx, rt_error *saved, rt_error *err)
{
	rt_error_move(saved, err);
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "retort: %s; reconnecting (--wait %g s)\n", saved->message,
	              ctx->cfg->wait);
	cli_emit(ctx, &(struct cli_event){
		.name = "reconnect",
		.fields = CLI_FIELDS(CLI_STR("revision", saved->object), CLI_STR("reason", saved->message),
		                     CLI_FIXED("wait_seconds", ctx->cfg->wait, 1)),
		.text = rt_buf_cstr(&b),
		.text_flags = CLI_TEXT_STDERR,
	});
	rt_buf_release(&b);
	int rc = cli_session_reconnect(ctx, ctx->session, err);
	if (rc < 0)
		rt_error_prefix(err, "%s; reconnecting", saved->message);
	return rc;
}

/*
 * The plan made again after reconnecting, with the lost connection in
 * saved: whether it may run. Not when a step whose no-transaction statements
 * ran is still to do (lost while committing it), nor when no step was done
 * since the previous reconnect (a step that brings the server down would
 * otherwise loop). ran_n: the steps of the plan that was running; *before
 * counts the steps the attempts so far did.
 */
static int may_resume(const rt_plan *plan, const rt_exec_lost *lost, size_t ran_n,
                      size_t *resumed_n, size_t *before, rt_error *saved, rt_error *err)
{
	if (lost->partial && plan_has(plan, lost->partial)) {
		rt_error_move(err, saved);
		return not_resumed(err, REPEATS_WORK);
	}
	if (plan->n >= *resumed_n) {
		rt_error_move(err, saved);
		return not_resumed(err, "the connection was lost again before another step was done");
	}
	*before += ran_n > plan->n ? ran_n - plan->n : 0;
	*resumed_n = plan->n;
	return RT_OK;
}

/* A relative target (-1, +2) counts from the rows: after a reconnect, plan
 * toward where the first plan under the lock ended (one row, or base). */
static void pin_target(struct cli_migration *again, const char **end, const rt_plan *plan)
{
	if (again->kind == RT_STEP_STAMP || plan->rows_after.n > 1)
		return;
	*end = plan->rows_after.n ? plan->rows_after.v[0] : "base";
	again->targets = end;
}

int cli_migrate_online(struct cli_ctx *ctx, const struct cli_migration *m, rt_error *err)
{
	struct cli_session *s = ctx->session;
	rt_plan *plan;
	rt_arena_mark before_plan = rt_arena_mark_get(ctx->arena);
	int rc = plan_from(ctx, m, s, &plan, err);
	if (rc < 0)
		return rc;
	/* The lock only when there is work: at the target with the checksums
	 * verified, nothing is written. With work, the rows are read again under
	 * the lock and the plan made anew (the first one is dropped): another
	 * runner may have moved them. */
	bool work = plan->n > 0 || plan->purge;
	if (!work || m->dry_run)
		return run_plan(ctx, m, plan, 0, NULL, err);
	rt_arena_release(ctx->arena, before_plan);
	/* A lost connection, with --wait: reconnect, lock, read the rows and plan
	 * again toward the same target; the steps done are in the rows. */
	rt_exec_lost lost = { 0 };
	rt_error saved = RT_ERROR_INIT; /* the lost connection being recovered from */
	size_t ran_n = 0, resumed_n = SIZE_MAX, before = 0;
	struct cli_migration again = *m;
	const char *end = NULL;
	for (bool first = true;;) {
		if ((rc = cli_session_lock(ctx, s, err)) == RT_OK)
			rc = plan_from(ctx, first ? m : &again, s, &plan, err);
		if (rc == RT_OK && first) {
			pin_target(&again, &end, plan);
			first = false;
		}
		if (rc == RT_OK && saved.message &&
		    (rc = may_resume(plan, &lost, ran_n, &resumed_n, &before, &saved, err)) < 0)
			break;
		rt_error_clear(&saved);
		if (rc == RT_OK) {
			ran_n = plan->n;
			rc = run_plan(ctx, m, plan, before, &lost, err);
		}
		if (rc != RT_ECONNECT || !rt_db_lost(s->db) || ctx->cfg->wait <= 0)
			break;
		if (lost.partial && !lost.unknown) {
			rc = not_resumed(err, REPEATS_WORK); /* the step is known not to be applied */
			break;
		}
		if ((rc = reconnect(ctx, &saved, err)) < 0)
			break;
	}
	rt_error_clear(&saved);
	return rc;
}
