/* retort downgrade TARGET [--dry-run | --sql FROM:TO]: undo steps down to TARGET. */
#include "cli.h"

static struct {
	bool sql, dry_run;
} o;

static const struct cli_opt opts[] = {
	{ 0, "dry-run", CLI_OPT_FLAG, &o.dry_run, NULL,
	  "connect, verify and print the plan; change nothing" },
	{ 0, "sql", CLI_OPT_FLAG, &o.sql, NULL,
	  "print the offline SQL script (FROM:TO) instead of connecting" },
	{ 0 },
};

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	if (cli_expect_args(ctx, args, 1, 1, err) < 0)
		return err->code;
	if (o.sql && o.dry_run)
		return rt_error_set(err, RT_EUSAGE, NULL, "'--sql' and '--dry-run' exclude each other");
	if (o.sql)
		return cli_migrate_offline(ctx, RT_STEP_DOWNGRADE, args->v[0], err);
	struct cli_migration m = {
		.kind = RT_STEP_DOWNGRADE, .targets = args->v, .ntargets = 1, .dry_run = o.dry_run,
	};
	return cli_migrate_online(ctx, &m, err);
}

const struct cli_cmd cli_cmd_downgrade = {
	.name = "downgrade",
	.args = "TARGET [--dry-run | --sql FROM:TO]",
	.summary = "revert migrations down to TARGET (-1, base, a revision)",
	.opts = opts,
	.flags = CLI_NEED_GRAPH,
	.run = run,
};
