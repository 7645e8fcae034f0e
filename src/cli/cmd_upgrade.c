/* retort upgrade [TARGET] --sql: the offline script up to TARGET. */
#include "cli.h"

static struct {
	bool sql;
} o;

static const struct cli_opt opts[] = {
	{ 0, "sql", CLI_OPT_FLAG, &o.sql, NULL,
	  "print the SQL script instead of running it ([FROM:]TO)" },
	{ 0 },
};

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	if (cli_expect_args(ctx, args, 0, 1, err) < 0)
		return err->code;
	if (!o.sql)
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "applying to a database is not available in this build yet; "
		                    "use 'retort upgrade --sql' for the script");
	return cli_migrate_offline(ctx, RT_STEP_UPGRADE, args->n ? args->v[0] : "head", err);
}

const struct cli_cmd cli_cmd_upgrade = {
	.name = "upgrade",
	.args = "[TARGET] --sql",
	.summary = "upgrade to TARGET (default head); --sql prints the script",
	.opts = opts,
	.flags = CLI_NEED_GRAPH,
	.run = run,
};
