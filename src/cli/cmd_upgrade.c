/* retort upgrade [TARGET] [--dry-run | --sql]: apply pending steps up to TARGET (default head). */
#include <stddef.h>

#include "cli.h"

static const struct cli_opt opts[] = {
	{ 0, "dry-run", CLI_OPT_FLAG, CLI_OPT_AT(struct cli_migrate_opts, dry_run), NULL,
	  "connect, verify and print the plan; change nothing" },
	{ 0, "sql", CLI_OPT_FLAG, CLI_OPT_AT(struct cli_migrate_opts, sql), NULL,
	  "print the offline SQL script ([FROM:]TO) instead of connecting" },
	{ 0, "progress", CLI_OPT_FLAG, CLI_OPT_AT(struct cli_migrate_opts, progress), NULL,
	  "JSON 'progress' events for steps over 2 s even when stdout is not a terminal" },
	CLI_FLEET_OPTIONS(struct cli_migrate_opts, fleet),
	{ 0 },
};

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	const struct cli_migrate_opts *o = ctx->opts;
	const char *target = args->n ? args->v[0] : "head";
	if (o->sql)
		return cli_migrate_offline(ctx, RT_STEP_UPGRADE, target, err);
	struct cli_migration m = {
		.kind = RT_STEP_UPGRADE, .targets = &target, .ntargets = 1, .dry_run = o->dry_run,
		.progress = o->progress,
	};
	return cli_migrate_online(ctx, &m, err);
}

const struct cli_cmd cli_cmd_upgrade = {
	.name = "upgrade",
	.args = "[TARGET] [--dry-run | --sql] [--targets FILE | --targets-query SQL | --schemas LIST|SQL] [-j N] [--canary K] [--continue-on-error]",
	.summary = "apply pending migrations up to TARGET (default head)",
	.opts = opts,
	.opts_size = sizeof(struct cli_migrate_opts),
	.flags = CLI_NEED_GRAPH | CLI_FROM_BUNDLE,
	.max_args = 1,
	.db = CLI_DB_WRITE,
	.db_switch = { { "sql", CLI_DB_NONE }, { "dry-run", CLI_DB_READ } },
	.validate = cli_migrate_validate,
	.run = run,
	.fleet = true,
	.fleet_at = offsetof(struct cli_migrate_opts, fleet),
};
