/* retort stamp TARGET... [--purge] [--dry-run]: set the version table without running migrations. */
#include "cli.h"

static const struct cli_opt opts[] = {
	{ 0, "purge", CLI_OPT_FLAG, CLI_OPT_AT(struct cli_migrate_opts, purge), NULL,
	  "empty the version table first (also clears unknown revisions)" },
	{ 0, "dry-run", CLI_OPT_FLAG, CLI_OPT_AT(struct cli_migrate_opts, dry_run), NULL,
	  "print what would change; change nothing" },
	{ 0 },
};

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	const struct cli_migrate_opts *o = ctx->opts;
	struct cli_migration m = {
		.kind = RT_STEP_STAMP, .targets = args->v, .ntargets = args->n,
		.dry_run = o->dry_run, .purge = o->purge,
	};
	return cli_migrate_online(ctx, &m, err);
}

const struct cli_cmd cli_cmd_stamp = {
	.name = "stamp",
	.args = "TARGET... [--purge] [--dry-run]",
	.summary = "set the version table to TARGET without running migrations",
	.opts = opts,
	.opts_size = sizeof(struct cli_migrate_opts),
	.flags = CLI_NEED_GRAPH | CLI_FROM_BUNDLE,
	.min_args = 1,
	.max_args = CLI_ARGS_MANY,
	.db = CLI_DB_WRITE,
	.db_switch = { { "dry-run", CLI_DB_READ } },
	.run = run,
};
