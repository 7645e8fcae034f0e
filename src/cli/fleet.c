/*
 * Fleets on the command line: upgrade, current and verify on many targets
 * (--targets FILE, `targets:`, --targets-query SQL, or --schemas of one
 * database). The list is built here; src/fleet runs each target in a child
 * process that takes the ordinary single-target path (cli_run_session) with
 * its URL or schema; the parent forwards the children's output, keeps a live
 * status line on a terminal, and prints the final table and the failed
 * targets' lines.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <unistd.h>

#include "cli.h"
#include "retort/ident.h"

const struct cli_opt cli_fleet_opt_table[] = {
	CLI_FLEET_OPTIONS(struct cli_fleet_only_opts, fleet),
	{ 0 },
};

/* One target and, once it ended, its row of the final table. */
struct target {
	const char *url;    /* NULL: the configured database (--schemas) */
	const char *schema; /* --schemas: the tenant's schema */
	const char *label;  /* the TARGET column and JSON "target": masked */
	const char *line;   /* what re-runs it: the targets file's line, masked, or the schema */
	bool ran;
	int status;
	double seconds;
	long steps;
	const char *from, *to, *note;
};

struct fleet_run {
	struct cli_ctx *ctx;
	const struct cli_cmd *cmd;
	const rt_strv *args;
	enum cli_db db;
	struct target *t;
	size_t n;
	size_t done, failed, running;
	bool status_line; /* a live status line on stderr (a terminal, text output) */
	bool status_shown;
};

static const struct cli_fleet_opts *fleet_opts(const struct cli_ctx *ctx,
                                               const struct cli_cmd *cmd)
{
	return (const struct cli_fleet_opts *)((const char *)ctx->opts + cmd->fleet_at);
}

bool cli_fleet_wanted(const struct cli_ctx *ctx, const struct cli_cmd *cmd)
{
	if (!cmd->fleet || !ctx->opts)
		return false;
	const struct cli_fleet_opts *o = fleet_opts(ctx, cmd);
	if (o->targets || o->targets_query || o->schemas)
		return true;
	return ctx->cfg && (ctx->cfg->schemas || (ctx->cfg->targets.n && !ctx->ov->database_url));
}

void cli_report_rows(char *dst, size_t size, const rt_strv *rows)
{
	rt_buf b = RT_BUF_INIT;
	if (!rows->n)
		rt_buf_puts(&b, "base");
	for (size_t i = 0; i < rows->n; i++)
		rt_buf_printf(&b, "%s%s", i ? "," : "", rows->v[i]);
	snprintf(dst, size, "%s", rt_buf_cstr(&b));
	rt_buf_release(&b);
}

/* ---- the list of targets ---- */

static int parse_count(const char *text, const char *flag, long min, long max, long *out,
                       rt_error *err)
{
	char *end;
	long v = text ? strtol(text, &end, 10) : -1;
	if (!text || *end || end == text || v < min || v > max)
		return rt_error_set(err, RT_EUSAGE, NULL, "'%s' needs a whole number from %ld to %ld "
		                    "(got '%s')", flag, min, max, text ? text : "");
	*out = v;
	return RT_OK;
}

/* A query's first column, on the configured database (--targets-query, --schemas SQL). */
static int query_column(struct cli_ctx *ctx, const char *sql, const char *flag, rt_strv *out,
                        rt_error *err)
{
	rt_db *db;
	int rc = cli_connect_read_only(ctx, ctx->cfg->database_url, &db, err);
	if (rc < 0)
		return rc;
	rt_db_result res;
	rc = rt_db_exec(db, ctx->arena, sql, &res, err);
	rt_db_close(db);
	if (rc < 0) {
		rt_error_hint(err, "%s runs this query on -d and uses its first column", flag);
		return rc;
	}
	if (res.ncols == 0)
		return rt_error_set(err, RT_EUSAGE, NULL, "the %s query returned no column", flag);
	for (size_t r = 0; r < res.nrows; r++) {
		const char *v = rt_db_value(&res, r, 0);
		if (v && *v)
			rt_strv_push(ctx->arena, out, v);
	}
	return RT_OK;
}

/* --schemas takes a query when it starts like one, else a comma-separated list. */
static bool looks_like_sql(const char *s)
{
	static const char *const words[] = { "select", "with", "table", "values" };
	while (isspace((unsigned char)*s))
		s++;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);
		if (strncasecmp(s, words[i], n) == 0 && (isspace((unsigned char)s[n]) || !s[n]))
			return true;
	}
	return false;
}

static int schema_list(struct cli_ctx *ctx, const char *spec, rt_strv *out, rt_error *err)
{
	if (looks_like_sql(spec))
		return query_column(ctx, spec, "--schemas", out, err);
	for (const char *p = spec; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		while (len && isspace((unsigned char)*p))
			p++, len--;
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (len)
			rt_strv_push(ctx->arena, out, rt_strndup(ctx->arena, p, len));
		p = comma ? comma + 1 : p + strlen(p);
	}
	return RT_OK;
}

static int schema_targets(struct fleet_run *fr, const char *spec, rt_error *err)
{
	struct cli_ctx *ctx = fr->ctx;
	const char *url = ctx->cfg->database_url;
	/* the schema's search_path travels in PGOPTIONS, which a URL's own
	 * options would override */
	if (url && strstr(url, "options="))
		return rt_error_set(err, RT_EUSAGE, NULL, "--schemas sets search_path through "
		                    "PGOPTIONS, which the URL's own 'options' would override");
	rt_strv names = { 0 };
	int rc = schema_list(ctx, spec, &names, err);
	if (rc < 0)
		return rc;
	fr->t = rt_alloc_array(ctx->arena, names.n ? names.n : 1, sizeof(*fr->t));
	for (size_t i = 0; i < names.n; i++) {
		if (!rt_config_valid_identifier(names.v[i]))
			return rt_error_set(err, RT_EUSAGE, NULL, "'%s' cannot name a schema "
			                    "(1 to 63 bytes)", names.v[i]);
		fr->t[i] = (struct target){ .schema = names.v[i], .label = names.v[i],
		                            .line = names.v[i] };
	}
	fr->n = names.n;
	return RT_OK;
}

static int url_targets(struct fleet_run *fr, const struct cli_fleet_opts *o, rt_error *err)
{
	struct cli_ctx *ctx = fr->ctx;
	rt_strv urls = { 0 }, lines = { 0 };
	int rc = RT_OK;
	if (o->targets)
		rc = rt_config_read_targets(ctx->arena, o->targets, NULL, NULL, &urls, &lines, err);
	else if (o->targets_query)
		rc = query_column(ctx, o->targets_query, "--targets-query", &urls, err);
	else
		urls = ctx->cfg->targets;
	if (rc < 0)
		return rc;
	fr->t = rt_alloc_array(ctx->arena, urls.n ? urls.n : 1, sizeof(*fr->t));
	for (size_t i = 0; i < urls.n; i++) {
		const char *masked = rt_url_mask(ctx->arena, urls.v[i]);
		fr->t[i] = (struct target){ .url = rt_url_drop_driver(ctx->arena, urls.v[i]),
		                            .label = masked, .line = lines.n ? lines.v[i] : masked };
	}
	fr->n = urls.n;
	return RT_OK;
}

static int build_targets(struct fleet_run *fr, const struct cli_fleet_opts *o, rt_error *err)
{
	if (!!o->targets + !!o->targets_query + !!o->schemas > 1)
		return rt_error_set(err, RT_EUSAGE, NULL, "give one of --targets, --targets-query "
		                    "and --schemas");
	if (o->schemas)
		return schema_targets(fr, o->schemas, err);
	const rt_config *cfg = fr->ctx->cfg;
	if (!o->targets && !o->targets_query && cfg->schemas) {
		if (cfg->targets.n && !fr->ctx->ov->database_url) {
			rt_error_set(err, RT_ECONFIG, NULL, "retort.yaml gives both 'targets:' and "
			             "'schemas:'; a run takes one of them");
			rt_error_hint(err, "remove one, or choose on the command line with --targets "
			              "FILE or --schemas LIST|SQL");
			return RT_ECONFIG;
		}
		return schema_targets(fr, cfg->schemas, err);
	}
	return url_targets(fr, o, err);
}

/* ---- in the child: one target, the single-target path ---- */

/* search_path for the schema's run, in PGOPTIONS so that it holds for every
 * connection libpq makes (blanks and backslashes escaped for libpq). */
static void set_search_path(rt_arena *arena, const char *schema)
{
	rt_buf ident = RT_BUF_INIT, opt = RT_BUF_INIT;
	rt_ident_append(&ident, schema);
	const char *prev = getenv("PGOPTIONS");
	if (prev && *prev)
		rt_buf_printf(&opt, "%s ", prev);
	rt_buf_puts(&opt, "-c search_path=");
	for (const char *p = rt_buf_cstr(&ident); *p; p++) {
		if (isspace((unsigned char)*p) || *p == '\\')
			rt_buf_putc(&opt, '\\');
		rt_buf_putc(&opt, *p);
	}
	setenv("PGOPTIONS", rt_strdup(arena, rt_buf_cstr(&opt)), 1);
	rt_buf_release(&ident);
	rt_buf_release(&opt);
}

static int child_run(void *p, size_t i, rt_fleet_report *rep)
{
	struct fleet_run *fr = p;
	struct cli_ctx *ctx = fr->ctx;
	const struct target *t = &fr->t[i];
	ctx->target = t->label;
	ctx->report = rep;
	if (t->url)
		ctx->cfg->database_url = t->url;
	if (t->schema) {
		/* the version and history tables live in the tenant's schema, and so
		 * does the lock key, derived from it */
		ctx->cfg->version_table_schema = t->schema;
		set_search_path(ctx->arena, t->schema);
	}
	rt_error err = RT_ERROR_INIT;
	int rc = cli_run_session(ctx, fr->cmd, fr->args, fr->db, &err);
	if (rc < 0 && err.message)
		cli_print_error(ctx, &err);
	if (rc < 0 && !rep->note[0])
		snprintf(rep->note, sizeof(rep->note), "%s",
		         rc == RT_EDRIFT ? "drift" : rc == RT_EINTR ? "interrupted" : "failed");
	rt_error_clear(&err);
	if (rc == RT_EINTR && cli_interrupted == SIGTERM)
		return 143;
	return cli_exit_code(rc);
}

/* ---- in the parent: output ---- */

static void status_clear(struct fleet_run *fr)
{
	if (fr->status_shown)
		fputs("\r\033[K", fr->ctx->err);
	fr->status_shown = false;
}

static void status_draw(struct fleet_run *fr)
{
	if (!fr->status_line)
		return;
	fprintf(fr->ctx->err, "\r\033[Kretort: %zu/%zu done, %zu running, %zu failed, %zu pending",
	        fr->done, fr->n, fr->running, fr->failed, fr->n - fr->done - fr->running);
	fflush(fr->ctx->err);
	fr->status_shown = true;
}

static void on_start(void *p, size_t i)
{
	struct fleet_run *fr = p;
	(void)i;
	fr->running++;
	status_draw(fr);
}

/* JSON lines pass through (they carry "target"); text lines are prefixed
 * with the target, the progress on stdout only with -v. */
static void on_line(void *p, size_t i, bool is_stderr, const char *line, size_t len)
{
	struct fleet_run *fr = p;
	struct cli_ctx *ctx = fr->ctx;
	bool json = ctx->format == RT_FORMAT_JSON;
	if (!is_stderr && !json && ctx->verbosity <= 0)
		return;
	status_clear(fr);
	FILE *f = is_stderr ? ctx->err : ctx->out;
	if (json && !is_stderr)
		fprintf(f, "%.*s\n", (int)len, line);
	else
		fprintf(f, "%s: %.*s\n", fr->t[i].label, (int)len, line);
	fflush(f);
	status_draw(fr);
}

static const char *result_word(const struct target *t)
{
	if (!t->ran)
		return "not run";
	if (t->note && *t->note)
		return t->note;
	return t->status == 0 ? "ok" : "failed";
}

static void on_done(void *p, size_t i, int status, const rt_fleet_report *rep, double seconds)
{
	struct fleet_run *fr = p;
	struct cli_ctx *ctx = fr->ctx;
	struct target *t = &fr->t[i];
	t->ran = true;
	t->status = status;
	t->seconds = seconds;
	t->steps = rep->steps;
	t->from = rt_strdup(ctx->arena, rep->from);
	t->to = rt_strdup(ctx->arena, rep->to);
	t->note = rt_strdup(ctx->arena, rep->note);
	fr->running--;
	fr->done++;
	fr->failed += status != 0;
	const char *label = ctx->target;
	ctx->target = t->label;
	cli_emit(ctx, &(struct cli_event){
		.name = "target_done",
		.fields = CLI_FIELDS(CLI_STR_OPT("schema", t->schema), CLI_INT("exit_code", status),
		                     CLI_STR("result", result_word(t)), CLI_STR_OPT("from", *t->from ? t->from : NULL),
		                     CLI_STR_OPT("to", *t->to ? t->to : NULL), CLI_INT("steps", t->steps),
		                     CLI_FIXED("duration_ms", seconds * 1e3, 1)),
	});
	ctx->target = label;
	status_draw(fr);
}

static size_t count_width(const struct fleet_run *fr, size_t min)
{
	size_t w = min;
	for (size_t i = 0; i < fr->n; i++)
		if (strlen(fr->t[i].label) > w)
			w = strlen(fr->t[i].label);
	return w > 60 ? 60 : w;
}

/* One line per target: for upgrade FROM -> TO, STEPS, TIME; for current
 * and verify the revision and what verify found. */
static void append_table(struct fleet_run *fr, rt_buf *b)
{
	bool upgrade = strcmp(fr->cmd->name, "upgrade") == 0;
	int w = (int)count_width(fr, 6);
	if (upgrade)
		rt_buf_printf(b, "%-*s  %-29s  %5s  %8s  %s\n", w, "TARGET", "FROM -> TO", "STEPS",
		              "TIME", "RESULT");
	else
		rt_buf_printf(b, "%-*s  %-29s  %s\n", w, "TARGET", "REVISION", "RESULT");
	for (size_t i = 0; i < fr->n; i++) {
		const struct target *t = &fr->t[i];
		const char *res = result_word(t);
		char exitc[16] = "";
		if (t->ran && t->status)
			snprintf(exitc, sizeof(exitc), " (exit %d)", t->status);
		if (upgrade) {
			char span[400], steps[24] = "-", time[24] = "-";
			snprintf(span, sizeof(span), "%s -> %s", t->from && *t->from ? t->from : "?",
			         t->to && *t->to ? t->to : "?");
			if (t->ran && t->steps >= 0)
				snprintf(steps, sizeof(steps), "%ld", t->steps);
			if (t->ran)
				snprintf(time, sizeof(time), "%.2f s", t->seconds);
			rt_buf_printf(b, "%-*s  %-29s  %5s  %8s  %s%s\n", w, t->label,
			              t->ran ? span : "-", steps, time, res, exitc);
		} else {
			rt_buf_printf(b, "%-*s  %-29s  %s%s\n", w, t->label,
			              t->to && *t->to ? t->to : "-", res, exitc);
		}
	}
}

static void print_summary(struct fleet_run *fr, const rt_fleet_totals *tot)
{
	struct cli_ctx *ctx = fr->ctx;
	rt_buf text = RT_BUF_INIT;
	rt_strv failed = { 0 }, not_run = { 0 };
	for (size_t i = 0; i < fr->n; i++) {
		if (!fr->t[i].ran)
			rt_strv_push(ctx->arena, &not_run, fr->t[i].line);
		else if (fr->t[i].status)
			rt_strv_push(ctx->arena, &failed, fr->t[i].line);
	}
	append_table(fr, &text);
	rt_buf_printf(&text, "%zu target%s: %zu ok, %zu failed, %zu not run", fr->n,
	              fr->n == 1 ? "" : "s", tot->launched - tot->failed, tot->failed, not_run.n);
	if (tot->worst)
		rt_buf_printf(&text, "; exit %d", tot->worst);
	rt_buf_putc(&text, '\n');
	bool schemas = fr->n && fr->t[0].schema;
	const char *how = schemas ? "re-run them with --schemas NAME,..."
	                          : "put these lines in a file and re-run with --targets FILE";
	if (failed.n) {
		rt_buf_printf(&text, "Failed targets (%s):\n", how);
		for (size_t i = 0; i < failed.n; i++)
			rt_buf_printf(&text, "%s\n", failed.v[i]);
	}
	if (not_run.n) {
		rt_buf_printf(&text, "Not run, the rollout stopped early (%s):\n", how);
		for (size_t i = 0; i < not_run.n; i++)
			rt_buf_printf(&text, "%s\n", not_run.v[i]);
	}
	cli_emit(ctx, &(struct cli_event){
		.name = "fleet_summary",
		.fields = CLI_FIELDS(CLI_SIZE("targets", fr->n), CLI_SIZE("ok", tot->launched - tot->failed),
		                     CLI_SIZE("failed", tot->failed), CLI_SIZE("not_run", not_run.n),
		                     CLI_INT("exit_code", tot->worst), CLI_STRV("failed_targets", &failed),
		                     CLI_STRV("not_run_targets", &not_run)),
		.text = rt_buf_cstr(&text),
		.text_flags = CLI_TEXT_ALWAYS,
	});
	rt_buf_release(&text);
}

int cli_fleet_run(struct cli_ctx *ctx, const struct cli_cmd *cmd, const rt_strv *args,
                  enum cli_db db, rt_error *err)
{
	const struct cli_fleet_opts *o = fleet_opts(ctx, cmd);
	if (db < CLI_DB_READ)
		return rt_error_set(err, RT_EUSAGE, NULL, "'%s' with this option runs offline; "
		                    "fleets need a database each", cmd->name);
	long jobs = 4, canary = 0;
	int rc;
	if ((o->jobs && (rc = parse_count(o->jobs, "--jobs", 1, RT_FLEET_MAX_JOBS, &jobs, err)) < 0) ||
	    (o->canary && (rc = parse_count(o->canary, "--canary", 0, 1000000, &canary, err)) < 0))
		return rc;
	struct fleet_run fr = { .ctx = ctx, .cmd = cmd, .args = args, .db = db };
	cli_install_signals();
	if ((rc = build_targets(&fr, o, err)) < 0)
		return rc;
	if (!fr.n) {
		cli_emit(ctx, &(struct cli_event){
			.name = "fleet_summary",
			.fields = CLI_FIELDS(CLI_SIZE("targets", 0)),
			.text = "No targets.\n",
		});
		return RT_OK;
	}
	fr.status_line = ctx->format == RT_FORMAT_TEXT && ctx->verbosity >= 0 &&
	                 isatty(fileno(ctx->err));
	ctx->db_pending = NULL; /* a connection started for -d is no target's */
	rt_fleet_opts fo = {
		.n = fr.n,
		.jobs = (unsigned)jobs,
		.canary = (size_t)canary,
		.continue_on_error = o->continue_on_error,
		.child = child_run,
		.on_start = on_start,
		.on_line = on_line,
		.on_done = on_done,
		.ctx = &fr,
		.interrupted = &cli_interrupted,
	};
	rt_fleet_totals tot;
	rc = rt_fleet_run(&fo, &tot, err);
	status_clear(&fr);
	print_summary(&fr, &tot);
	if (rc < 0)
		return rc;
	ctx->exit_status = tot.worst;
	return tot.worst ? RT_ERROR : RT_OK;
}
