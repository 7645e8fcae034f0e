/* retort rebase: placeholder until implemented. */
#include "cli.h"

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)ctx;
	(void)args;
	return rt_error_set(err, RT_EUSAGE, NULL, "'rebase' is not implemented yet");
}

const struct cli_cmd cli_cmd_rebase = {
	.name = "rebase",
	.summary = "not implemented yet",
	.run = run,
};
