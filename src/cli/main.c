/*
 * retort's entry point: global options, the command table, the one setup
 * path that gives each command what it declares (config -> sources -> graph
 * -> database session), and the exit code.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "retort/editdist.h"

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
	&cli_cmd_keygen,
	&cli_cmd_bundle,
};

struct globals {
	rt_config_overrides ov;
	const char *format, *wait, *lock_timeout, *statement_lock_timeout;
	bool help, version, quiet;
	int verbose;
};
#define G(member) CLI_OPT_AT(struct globals, member)

static const struct cli_opt global_opts[] = {
	{ 'c', "config", CLI_OPT_STRING, G(ov.config_path), "FILE",
	  "retort.yaml or alembic.ini (default: ./retort.yaml, else ./alembic.ini)" },
	{ 'd', "database", CLI_OPT_STRING, G(ov.database_url), "URL",
	  "postgresql://... (a SQLAlchemy +driver is dropped)" },
	{ 's', "scripts", CLI_OPT_STRING, G(ov.script_location), "DIR",
	  "the script location (the folder holding versions/)" },
	{ 0, "version-location", CLI_OPT_LIST, G(ov.version_locations), "DIR",
	  "a version folder (repeatable; replaces versions/)" },
	{ 0, "version-table", CLI_OPT_STRING, G(ov.version_table), "NAME",
	  "version table name (default alembic_version)" },
	{ 0, "version-table-schema", CLI_OPT_STRING, G(ov.version_table_schema), "NAME",
	  "version table schema (default: search_path)" },
	{ 0, "history-table", CLI_OPT_STRING, G(ov.history_table), "NAME",
	  "retort's history table (default retort_history)" },
	{ 0, "transaction", CLI_OPT_STRING, G(ov.transaction), "MODE",
	  "per-migration (default) or single" },
	{ 0, "format", CLI_OPT_STRING, G(format), "text|json", "output format" },
	{ 0, "wait", CLI_OPT_STRING, G(wait), "SECONDS",
	  "wait for the database to accept connections and writes" },
	{ 0, "lock-timeout", CLI_OPT_STRING, G(lock_timeout), "SECONDS",
	  "how long to wait for the migration lock" },
	{ 0, "statement-lock-timeout", CLI_OPT_STRING, G(statement_lock_timeout), "DURATION",
	  "SET lock_timeout for each step; retry the step on lock timeouts" },
	{ 0, "bundle", CLI_OPT_STRING, G(ov.bundle), "FILE",
	  "read the project from a deploy bundle instead of the version files" },
	{ 0, "trust", CLI_OPT_LIST, G(ov.trust), "PUBFILE",
	  "require the bundle to be signed by this key (repeatable)" },
	{ 'q', "quiet", CLI_OPT_FLAG, G(quiet), NULL, "print only the result" },
	{ 'v', "verbose", CLI_OPT_COUNT, G(verbose), NULL, "more detail (repeatable)" },
	{ 'h', "help", CLI_OPT_FLAG, G(help), NULL, "show help" },
	{ 0, "version", CLI_OPT_FLAG, G(version), NULL, "print the version" },
	{ 0 },
};

static const struct cli_cmd *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
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

/* What cmd needs from the database, after the options given: the first of
 * its switches that was given, else what it declares. */
static enum cli_db db_need(const struct cli_cmd *cmd, const void *opts)
{
	for (size_t i = 0; i < sizeof(cmd->db_switch) / sizeof(cmd->db_switch[0]); i++) {
		const struct cli_db_switch *sw = &cmd->db_switch[i];
		const struct cli_opt *o = sw->option ? cli_opt_find(cmd->opts, sw->option) : NULL;
		if (o && o->kind == CLI_OPT_FLAG && *(const bool *)((const char *)opts + o->offset))
			return sw->db;
	}
	return cmd->db;
}

/* The configuration, then the version files and the graph when cmd needs them. */
static int load(struct cli_ctx *ctx, const struct cli_cmd *cmd, const rt_config_overrides *ov,
                enum cli_db db, rt_error *err)
{
	int rc = rt_config_load(&ctx->cfg, ctx->arena, ov, NULL, NULL, NULL, err);
	if (rc < 0)
		return rc;
	cli_set_format(ctx, ctx->cfg->format);
	ctx->verbosity = ctx->cfg->verbosity;
	if (ctx->verbosity > 0)
		cli_print_diags(ctx, &ctx->cfg->warnings);
	unsigned flags = cmd->need ? cmd->need(ctx) : cmd->flags;
	if (!(flags & (CLI_NEED_PROJECT | CLI_NEED_GRAPH)))
		return RT_OK;
	if (ctx->cfg->bundle && !(flags & CLI_FROM_BUNDLE))
		return rt_error_set(err, RT_EUSAGE, NULL, "'%s' works on the version files, not on "
		                    "the bundle set by %s", cmd->name,
		                    rt_config_key_origin(ctx->cfg, "bundle"));
	/* a bundle is judged before anything connects */
	if (ctx->cfg->bundle && (rc = cli_bundle_open(ctx, err)) < 0)
		return rc;
	/* the server starts the session's backend while the files are read */
	if (db >= CLI_DB_READ)
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
	if (!ctx->bundle &&
	    (rc = rt_project_load(&ctx->project, ctx->arena, &popts, &ctx->diags, err)) < 0)
		return rc;
	if (flags & CLI_NEED_GRAPH) {
		rc = rt_graph_build(&ctx->graph, ctx->arena, ctx->project->revs, ctx->project->n,
		                    &ctx->diags);
		if (rc < 0 && !(flags & CLI_TOLERATE_BROKEN)) {
			cli_print_diags(ctx, &ctx->diags);
			return rt_error_set(err, rc, NULL, "the revision graph has errors; "
			                    "'retort check' lists them all");
		}
	}
	if (ctx->diags.errors && !(flags & CLI_TOLERATE_BROKEN)) {
		cli_print_diags(ctx, &ctx->diags);
		return rt_error_set(err, RT_ESYNTAX, NULL,
		                    "%zu version file problem%s; 'retort check' lists them all",
		                    ctx->diags.errors, ctx->diags.errors == 1 ? "" : "s");
	}
	return RT_OK;
}

/* Fails with RT_EUSAGE unless args has between min and max entries. */
static int expect_args(struct cli_ctx *ctx, const rt_strv *args, size_t min, size_t max,
                       rt_error *err)
{
	if (args->n < min)
		return rt_error_set(err, RT_EUSAGE, NULL, "'%s' needs %s argument%s", ctx->cmd_name,
		                    min == max ? "exactly one" : "more", min == 1 ? "" : "s");
	if (args->n > max) {
		if (max == 0)
			return rt_error_set(err, RT_EUSAGE, NULL, "'%s' takes no arguments (got '%s')",
			                    ctx->cmd_name, args->v[0]);
		return rt_error_set(err, RT_EUSAGE, NULL, "too many arguments for '%s' (unexpected '%s')",
		                    ctx->cmd_name, args->v[max]);
	}
	return RT_OK;
}

/* The one setup path: what cmd declares, in data-flow order, then run, then
 * the session closed before the result is reported. */
static int run_command(struct cli_ctx *ctx, const struct cli_cmd *cmd, const rt_strv *args,
                       const rt_config_overrides *ov, rt_error *err)
{
	enum cli_db db = db_need(cmd, ctx->opts);
	/* a fleet connects in each target's process, not here */
	int rc = load(ctx, cmd, ov, cli_fleet_wanted(ctx, cmd) ? CLI_DB_OWN : db, err);
	if (rc < 0 || (rc = expect_args(ctx, args, cmd->min_args, cmd->max_args, err)) < 0 ||
	    (cmd->validate && (rc = cmd->validate(ctx, args, err)) < 0))
		return rc;
	if (cli_fleet_wanted(ctx, cmd))
		return cli_fleet_run(ctx, cmd, args, db, err);
	return cli_run_session(ctx, cmd, args, db, err);
}

int cli_run_session(struct cli_ctx *ctx, const struct cli_cmd *cmd, const rt_strv *args,
                    enum cli_db db, rt_error *err)
{
	int rc = RT_OK;
	struct cli_session session = { 0 };
	if (db >= CLI_DB_READ) {
		ctx->session = &session;
		rc = cli_session_open(ctx, &session, cli_session_flags(db), err);
	}
	if (rc == RT_OK)
		rc = cmd->run(ctx, args, err);
	cli_session_close(&session);
	ctx->session = NULL;
	return rc;
}

/* The global flags into the overrides the configuration reads. */
static int apply_globals(struct globals *g, rt_error *err)
{
	rt_config_overrides *ov = &g->ov;
	int rc;
	if (g->format)
		ov->format = g->format;
	if ((rc = parse_duration(g->wait, "--wait", &ov->wait, &ov->wait_set, err)) < 0 ||
	    (rc = parse_duration(g->lock_timeout, "--lock-timeout", &ov->lock_timeout,
	                         &ov->lock_timeout_set, err)) < 0 ||
	    (rc = parse_duration(g->statement_lock_timeout, "--statement-lock-timeout",
	                         &ov->statement_lock_timeout, &ov->statement_lock_timeout_set,
	                         err)) < 0)
		return rc;
	if (g->quiet || g->verbose) {
		ov->verbosity = g->quiet ? -1 : g->verbose;
		ov->verbosity_set = true;
	}
	return RT_OK;
}

/* The command named at argv[ci] (NULL for `help`); RT_EUSAGE for an unknown one. */
static int find_named_command(char **argv, int ci, const struct cli_cmd **cmd, rt_error *err)
{
	*cmd = ci > 0 ? find_command(argv[ci]) : NULL;
	if (ci <= 0 || *cmd || strcmp(argv[ci], "help") == 0)
		return RT_OK;
	rt_error_set(err, RT_EUSAGE, NULL, "unknown command '%s'", argv[ci]);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (rt_edit_distance(argv[ci], commands[i]->name) <= 2)
			rt_error_hint(err, "did you mean '%s'?", commands[i]->name);
	if (!err->hint)
		rt_error_hint(err, "'retort --help' lists the commands");
	return RT_EUSAGE;
}

/* Options may come before or after the command name; the command's go into
 * its options struct, allocated for this run. */
static int parse_args(struct cli_ctx *ctx, int argc, char **argv, int ci,
                      const struct cli_cmd *cmd, struct globals *g, rt_strv *args, rt_error *err)
{
	if (cmd && cmd->opts_size)
		ctx->opts = rt_alloc(ctx->arena, cmd->opts_size);
	struct cli_optset mine = { cmd ? cmd->opts : NULL, ctx->opts };
	struct cli_optset global = { global_opts, g };
	int rc = cli_opt_parse(ci > 0 ? ci - 1 : argc - 1, argv + 1, &mine, &global, ctx->arena,
	                       args, err);
	if (rc == RT_OK && ci > 0)
		rc = cli_opt_parse(argc - ci - 1, argv + ci + 1, &mine, &global, ctx->arena, args,
		                   err);
	if (rc < 0 && cmd)
		rt_error_hint(err, "'retort %s --help' lists its options", cmd->name);
	else if (rc < 0)
		rt_error_hint(err, "'retort --help' lists the options");
	return rc;
}

int main(int argc, char **argv)
{
	struct globals g = { 0 };
	struct cli_ctx ctx = { .out = stdout, .err = stderr, .ov = &g.ov };
	rt_error err = RT_ERROR_INIT;
	ctx.arena = rt_arena_new();
	rt_diags_init(&ctx.diags, ctx.arena);
	cli_set_format(&ctx, RT_FORMAT_TEXT);
	ctx.color = use_color(stderr);

	int ci = find_command_index(argc, argv);
	const struct cli_cmd *cmd;
	rt_strv args = { 0 };
	int rc = find_named_command(argv, ci, &cmd, &err);
	if (rc < 0 || (rc = parse_args(&ctx, argc, argv, ci, cmd, &g, &args, &err)) < 0)
		goto done;
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
	if ((rc = apply_globals(&g, &err)) == RT_OK)
		rc = run_command(&ctx, cmd, &args, &g.ov, &err);

done:
	if (rc < 0 && err.message)
		cli_print_error(&ctx, &err);
done_quiet:;
	int status = ctx.exit_status ? ctx.exit_status : cli_exit_code(rc);
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
