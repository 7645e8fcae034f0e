/* retort downgrade TARGET [--dry-run | --sql FROM:TO]: undo steps down to TARGET. */
#include "cli.h"

static const struct cli_opt opts[] = {
	{ 0, "dry-run", CLI_OPT_FLAG, CLI_OPT_AT(struct cli_migrate_opts, dry_run), NULL,
	  "connect, verify and print the plan; change nothing" },
	{ 0, "sql", CLI_OPT_FLAG, CLI_OPT_AT(struct cli_migrate_opts, sql), NULL,
	  "print the offline SQL script (FROM:TO) instead of connecting" },
	{ 0, "progress", CLI_OPT_FLAG, CLI_OPT_AT(struct cli_migrate_opts, progress), NULL,
	  "JSON 'progress' events for steps over 2 s even when stdout is not a terminal" },
	{ 0 },
};

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	const struct cli_migrate_opts *o = ctx->opts;
	if (o->sql)
		return cli_migrate_offline(ctx, RT_STEP_DOWNGRADE, args->v[0], err);
	struct cli_migration m = {
		.kind = RT_STEP_DOWNGRADE, .targets = args->v, .ntargets = 1, .dry_run = o->dry_run,
		.progress = o->progress,
	};
	return cli_migrate_online(ctx, &m, err);
}

const struct cli_cmd cli_cmd_downgrade = {
	.name = "downgrade",
	.args = "TARGET [--dry-run | --sql FROM:TO]",
	.summary = "revert migrations down to TARGET (-1, base, a revision)",
	.opts = opts,
	.opts_size = sizeof(struct cli_migrate_opts),
	.flags = CLI_NEED_GRAPH | CLI_FROM_BUNDLE,
	.min_args = 1,
	.max_args = 1,
	.db = CLI_DB_WRITE,
	.db_switch = { { "sql", CLI_DB_NONE }, { "dry-run", CLI_DB_READ } },
	.validate = cli_migrate_validate,
	.run = run,
};
