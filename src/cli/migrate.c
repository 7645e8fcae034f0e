/*
 * What upgrade and downgrade share: the [FROM:]TO argument, the plan, and
 * the offline script (--sql).
 */
#include <string.h>

#include "cli.h"
#include "retort/offline.h"
#include "retort/plan.h"

int cli_migrate_offline(struct cli_ctx *ctx, rt_step_kind kind, const char *arg, rt_error *err)
{
	const char *colon = strchr(arg, ':');
	const char *to = colon ? colon + 1 : arg;
	char *from = colon ? rt_strndup(ctx->arena, arg, (size_t)(colon - arg)) : NULL;
	if (kind == RT_STEP_DOWNGRADE && !from)
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "downgrade with --sql requires <fromrev>:<torev>");
	if (strchr(to, ':'))
		return rt_error_set(err, RT_EUSAGE, NULL,
		                    "'%s' is not a range: use [FROM:]TO with one start revision", arg);
	if (*to == '\0')
		to = "head";

	/* offline, the start revision is trusted: the database is not consulted */
	rt_strv rows = { 0 };
	if (from && *from) {
		const rt_revision *start;
		int rc = rt_graph_resolve_one(ctx->graph, from, &start, err);
		if (rc < 0)
			return rc;
		if (start)
			rt_strv_push(ctx->arena, &rows, start->id);
	}
	rt_plan *plan;
	int rc = kind == RT_STEP_UPGRADE
	             ? rt_plan_upgrade(&plan, ctx->arena, ctx->graph, &rows, to, err)
	             : rt_plan_downgrade(&plan, ctx->arena, ctx->graph, &rows, to, err);
	if (rc < 0)
		return rc;

	rt_vtable vt = {
		.schema = ctx->cfg->version_table_schema,
		.name = ctx->cfg->version_table,
		.no_pk = !ctx->cfg->version_table_pk,
	};
	rt_offline_opts oo = {
		.vtable = &vt,
		.transaction = ctx->cfg->transaction,
		.create_version_table = !from,
	};
	rt_buf script = RT_BUF_INIT;
	rc = rt_offline_render(&script, ctx->arena, plan, &oo, err);
	if (rc == RT_OK)
		fwrite(script.ptr, 1, script.len, ctx->out);
	rt_buf_release(&script);
	return rc;
}
