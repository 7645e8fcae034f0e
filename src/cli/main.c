/*
 * retort's entry point: global options, the command table, the setup each
 * command asks for (config -> sources -> graph), and the exit code.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_cmd *const commands[] = {
	&cli_cmd_check,
	&cli_cmd_heads,
	&cli_cmd_branches,
	&cli_cmd_history,
	&cli_cmd_show,
	&cli_cmd_upgrade,
	&cli_cmd_downgrade,
	&cli_cmd_stamp,
	&cli_cmd_current,
	&cli_cmd_verify,
	&cli_cmd_repair,
	&cli_cmd_revision,
	&cli_cmd_merge,
	&cli_cmd_rebase,
	&cli_cmd_squash,
	&cli_cmd_fingerprint,
	&cli_cmd_lint,
};

static struct globals {
	rt_config_overrides ov;
	const char *format, *wait, *lock_timeout, *statement_lock_timeout;
	bool help, version, quiet;
	int verbose;
} g;

static const struct cli_opt global_opts[] = {
	{ 'c', "config", CLI_OPT_STRING, &g.ov.config_path, "FILE",
	  "retort.yaml or alembic.ini (default: ./retort.yaml, else ./alembic.ini)" },
	{ 'd', "database", CLI_OPT_STRING, &g.ov.database_url, "URL",
	  "postgresql://... (a SQLAlchemy +driver is dropped)" },
	{ 's', "scripts", CLI_OPT_STRING, &g.ov.script_location, "DIR",
	  "the script location (the folder holding versions/)" },
	{ 0, "version-location", CLI_OPT_LIST, &g.ov.version_locations, "DIR",
	  "a version folder (repeatable; replaces versions/)" },
	{ 0, "version-table", CLI_OPT_STRING, &g.ov.version_table, "NAME",
	  "version table name (default alembic_version)" },
	{ 0, "version-table-schema", CLI_OPT_STRING, &g.ov.version_table_schema, "NAME",
	  "version table schema (default: search_path)" },
	{ 0, "history-table", CLI_OPT_STRING, &g.ov.history_table, "NAME",
	  "retort's history table (default retort_history)" },
	{ 0, "transaction", CLI_OPT_STRING, &g.ov.transaction, "MODE",
	  "per-migration (default) or single" },
	{ 0, "format", CLI_OPT_STRING, &g.format, "text|json", "output format" },
	{ 0, "wait", CLI_OPT_STRING, &g.wait, "SECONDS",
	  "wait for the database to accept connections and writes" },
	{ 0, "lock-timeout", CLI_OPT_STRING, &g.lock_timeout, "SECONDS",
	  "how long to wait for the migration lock" },
	{ 0, "statement-lock-timeout", CLI_OPT_STRING, &g.statement_lock_timeout, "DURATION",
	  "SET lock_timeout for each step; retry the step on lock timeouts" },
	{ 'q', "quiet", CLI_OPT_FLAG, &g.quiet, NULL, "print only the result" },
	{ 'v', "verbose", CLI_OPT_COUNT, &g.verbose, NULL, "more detail (repeatable)" },
	{ 'h', "help", CLI_OPT_FLAG, &g.help, NULL, "show help" },
	{ 0, "version", CLI_OPT_FLAG, &g.version, NULL, "print the version" },
	{ 0 },
};

static const struct cli_cmd *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];
	if (lb >= 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

static void print_usage(FILE *f, const struct cli_cmd *cmd)
{
	rt_buf b = RT_BUF_INIT;
	if (cmd) {
		rt_buf_printf(&b, "usage: retort [OPTIONS] %s %s\n\n%s\n", cmd->name, cmd->args,
		              cmd->summary);
		if (cmd->opts && cmd->opts->long_name) {
			rt_buf_puts(&b, "\noptions:\n");
			cli_opt_usage(&b, cmd->opts);
		}
	} else {
		rt_buf_puts(&b, "usage: retort [OPTIONS] COMMAND [ARGS]\n\ncommands:\n");
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			rt_buf_printf(&b, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
	}
	rt_buf_puts(&b, "\nglobal options:\n");
	cli_opt_usage(&b, global_opts);
	if (!cmd)
		rt_buf_puts(&b, "\n'retort COMMAND --help' shows a command's own options.\n");
	cli_write(f, &b);
	rt_buf_release(&b);
}

/* The command is the first word that is neither an option nor the value
 * of a global option that takes one. */
static int find_command_index(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] == '\0')
			return i;
		if (strcmp(a, "--") == 0)
			return i + 1 < argc ? i + 1 : -1;
		for (const struct cli_opt *o = global_opts; o->long_name; o++) {
			bool takes = o->kind == CLI_OPT_STRING || o->kind == CLI_OPT_LIST;
			if (!takes)
				continue;
			bool is_long = a[1] == '-' && strcmp(a + 2, o->long_name) == 0;
			bool is_short = a[1] == o->short_name && o->short_name && a[2] == '\0';
			if (is_long || is_short) {
				i++;
				break;
			}
		}
	}
	return -1;
}

static int parse_duration(const char *text, const char *what, double *out, bool *set,
                          rt_error *err)
{
	if (!text)
		return RT_OK;
	if (!rt_config_parse_duration(text, out))
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "'%s' is not a duration for '%s' (seconds, or 500ms, 5s, 2m)",
		                    text, what);
	*set = true;
	return RT_OK;
}

static bool use_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	return !(nc && *nc) && isatty(fileno(f));
}

/* Commands that open a database session unless --sql asks for the offline
 * script: their connection is started before the version files are read, so
 * the server starts the session's backend meanwhile. */
static bool connects(const struct cli_cmd *cmd)
{
	static const struct cli_cmd *const online[] = {
		&cli_cmd_upgrade, &cli_cmd_downgrade, &cli_cmd_stamp,
		&cli_cmd_current, &cli_cmd_verify, &cli_cmd_repair,
	};
	bool found = false;
	for (size_t i = 0; i < sizeof(online) / sizeof(online[0]); i++)
		found = found || cmd == online[i];
	for (const struct cli_opt *o = cmd->opts; found && o && o->long_name; o++)
		if (o->kind == CLI_OPT_FLAG && strcmp(o->long_name, "sql") == 0 && *(bool *)o->dest)
			found = false;
	return found;
}

static int setup(struct cli_ctx *ctx, const struct cli_cmd *cmd, rt_error *err)
{
	int rc = rt_config_load(&ctx->cfg, ctx->arena, &g.ov, NULL, NULL, NULL, err);
	if (rc < 0)
		return rc;
	ctx->format = ctx->cfg->format;
	ctx->verbosity = ctx->cfg->verbosity;
	if (ctx->verbosity > 0)
		cli_print_diags(ctx, &ctx->cfg->warnings);
	if (!(cmd->flags & (CLI_NEED_PROJECT | CLI_NEED_GRAPH)))
		return RT_OK;
	if (connects(cmd))
		cli_session_prestart(ctx);
	/* every path retort prints is then the short one the user would type
	 * (alembic.ini's %(here)s makes them absolute) */
	for (size_t i = 0; i < ctx->cfg->version_locations.n; i++)
		ctx->cfg->version_locations.v[i] = cli_relpath(ctx->cfg->version_locations.v[i]);
	rt_project_opts popts = {
		.version_locations = &ctx->cfg->version_locations,
		.recursive = ctx->cfg->recursive_version_locations,
	};
	if (cmd->prepare_load)
		cmd->prepare_load(ctx, &popts);
	rc = rt_project_load(&ctx->project, ctx->arena, &popts, &ctx->diags, err);
	if (rc < 0)
		return rc;
	if (cmd->flags & CLI_NEED_GRAPH) {
		rc = rt_graph_build(&ctx->graph, ctx->arena, ctx->project->revs, ctx->project->n,
		                    &ctx->diags);
		if (rc < 0 && !(cmd->flags & CLI_TOLERATE_BROKEN)) {
			cli_print_diags(ctx, &ctx->diags);
			return rt_error_set(err, rc, NULL, "the revision graph has errors; "
			                    "'retort check' lists them all");
		}
	}
	if (ctx->diags.errors && !(cmd->flags & CLI_TOLERATE_BROKEN)) {
		cli_print_diags(ctx, &ctx->diags);
		return rt_error_set(err, RT_ESYNTAX, NULL,
		                    "%zu version file problem%s; 'retort check' lists them all",
		                    ctx->diags.errors, ctx->diags.errors == 1 ? "" : "s");
	}
	return RT_OK;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = { .out = stdout, .err = stderr, .ov = &g.ov };
	rt_error err = RT_ERROR_INIT;
	int rc = RT_OK;
	ctx.arena = rt_arena_new();
	rt_diags_init(&ctx.diags, ctx.arena);
	ctx.color = use_color(stderr);

	int ci = find_command_index(argc, argv);
	const struct cli_cmd *cmd = NULL;
	if (ci > 0) {
		cmd = find_command(argv[ci]);
		if (!cmd && strcmp(argv[ci], "help") != 0) {
			rc = rt_error_set(&err, RT_EUSAGE, NULL, "unknown command '%s'", argv[ci]);
			for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
				if (edit_distance(argv[ci], commands[i]->name) <= 2)
					rt_error_hint(&err, "did you mean '%s'?", commands[i]->name);
			if (!err.hint)
				rt_error_hint(&err, "'retort --help' lists the commands");
			goto done;
		}
	}
	/* options may come before or after the command name */
	rt_strv args = { 0 };
	const struct cli_opt *cmd_opts = cmd ? cmd->opts : NULL;
	rc = cli_opt_parse(ci > 0 ? ci - 1 : argc - 1, argv + 1, cmd_opts, global_opts, ctx.arena,
	                   &args, &err);
	if (rc == RT_OK && ci > 0)
		rc = cli_opt_parse(argc - ci - 1, argv + ci + 1, cmd_opts, global_opts, ctx.arena,
		                   &args, &err);
	if (rc < 0) {
		if (cmd)
			rt_error_hint(&err, "'retort %s --help' lists its options", cmd->name);
		else
			rt_error_hint(&err, "'retort --help' lists the options");
		goto done;
	}
	if (g.version) {
		printf("retort %s\n", RT_VERSION);
		goto done;
	}
	if (g.help || ci < 0 || !cmd) {
		if (ci > 0 && !cmd && args.n > 0) /* retort help COMMAND */
			cmd = find_command(args.v[0]);
		print_usage(ci < 0 && !g.help ? stderr : stdout, cmd);
		if (ci < 0 && !g.help)
			rc = RT_EUSAGE;
		goto done_quiet;
	}
	ctx.cmd_name = cmd->name;
	if (g.format)
		g.ov.format = g.format;
	if ((rc = parse_duration(g.wait, "--wait", &g.ov.wait, &g.ov.wait_set, &err)) < 0 ||
	    (rc = parse_duration(g.lock_timeout, "--lock-timeout", &g.ov.lock_timeout,
	                         &g.ov.lock_timeout_set, &err)) < 0 ||
	    (rc = parse_duration(g.statement_lock_timeout, "--statement-lock-timeout",
	                         &g.ov.statement_lock_timeout, &g.ov.statement_lock_timeout_set,
	                         &err)) < 0)
		goto done;
	if (g.quiet || g.verbose) {
		g.ov.verbosity = g.quiet ? -1 : g.verbose;
		g.ov.verbosity_set = true;
	}
	rc = setup(&ctx, cmd, &err);
	if (rc == RT_OK)
		rc = cmd->run(&ctx, &args, &err);

done:
	if (rc < 0 && err.message)
		cli_print_error(&ctx, &err);
done_quiet:;
	int status = cli_exit_code(rc);
	if (rc == RT_EINTR && cli_interrupted == SIGTERM)
		status = 143;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("retort: could not write to standard output\n", stderr);
		status = status ? status : 1;
	}
	rt_error_clear(&err);
	rt_arena_free(ctx.arena);
	return status;
}
