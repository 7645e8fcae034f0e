/* retort upgrade [TARGET] [--dry-run | --sql]: apply pending steps up to TARGET (default head). */
#include "cli.h"

static struct {
	bool sql, dry_run;
} o;

static const struct cli_opt opts[] = {
	{ 0, "dry-run", CLI_OPT_FLAG, &o.dry_run, NULL,
	  "connect, verify and print the plan; change nothing" },
	{ 0, "sql", CLI_OPT_FLAG, &o.sql, NULL,
	  "print the offline SQL script ([FROM:]TO) instead of connecting" },
	{ 0 },
};

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	if (cli_expect_args(ctx, args, 0, 1, err) < 0)
		return err->code;
	const char *target = args->n ? args->v[0] : "head";
	if (o.sql && o.dry_run)
		return rt_error_set(err, RT_EUSAGE, NULL, "'--sql' and '--dry-run' exclude each other");
	if (o.sql)
		return cli_migrate_offline(ctx, RT_STEP_UPGRADE, target, err);
	struct cli_migration m = {
		.kind = RT_STEP_UPGRADE, .targets = &target, .ntargets = 1, .dry_run = o.dry_run,
	};
	return cli_migrate_online(ctx, &m, err);
}

const struct cli_cmd cli_cmd_upgrade = {
	.name = "upgrade",
	.args = "[TARGET] [--dry-run | --sql]",
	.summary = "apply pending migrations up to TARGET (default head)",
	.opts = opts,
	.flags = CLI_NEED_GRAPH,
	.run = run,
};
