/*
 * retort repair [REV...]: record the current checksums of applied
 * revisions, after a reviewed edit or for revisions Alembic applied.
 * Without arguments: every applied revision that drifted or has none.
 */
#include "cli.h"

static int collect(struct cli_ctx *ctx, const struct cli_session *s, const rt_strv *args,
                   rt_revlist *out, rt_error *err)
{
	const rt_applied_state *st = &s->state;
	if (!args->n) {
		for (size_t i = 0; i < st->drifted.n; i++)
			rt_revlist_push(ctx->arena, out, st->drifted.v[i]);
		for (size_t i = 0; i < st->unrecorded.n; i++)
			rt_revlist_push(ctx->arena, out, st->unrecorded.v[i]);
		return RT_OK;
	}
	for (size_t i = 0; i < args->n; i++) {
		const rt_revision *r;
		int rc = rt_graph_resolve_one(ctx->graph, args->v[i], &r, err);
		if (rc < 0)
			return rc;
		bool applied = false;
		for (size_t k = 0; r && k < st->applied.n && !applied; k++)
			applied = st->applied.v[k] == r;
		if (!applied)
			return rt_error_set(err, RT_EUSAGE, NULL,
			                    "'%s' is not applied to this database; repair records "
			                    "checksums of applied revisions only", args->v[i]);
		rt_revlist_push(ctx->arena, out, r);
	}
	return RT_OK;
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	struct cli_session *s = ctx->session;
	if (s->state.unknown_rows.n)
		return rt_applied_state_check(&s->state, err);
	rt_revlist revs = { 0 };
	int rc;
	if ((rc = collect(ctx, s, args, &revs, err)) < 0)
		return rc;
	if ((rc = rt_history_ensure(s->db, &s->hist, err)) < 0 || (rc = rt_db_begin(s->db, err)) < 0)
		return rc;
	for (size_t i = 0; i < revs.n; i++) {
		rt_history_row row = {
			.revision = revs.v[i]->id,
			.direction = "repair",
			.checksum = revs.v[i]->checksum,
			.message = revs.v[i]->message,
		};
		if ((rc = rt_history_insert(s->db, &s->hist, &row, err)) < 0)
			return rc;
	}
	if ((rc = rt_db_commit(s->db, err)) < 0)
		return rc;
	for (size_t i = 0; i < revs.n; i++)
		cli_emit(ctx, &(struct cli_event){
			.name = "repaired",
			.fields = CLI_FIELDS(CLI_STR("revision", revs.v[i]->id),
			                     CLI_STR("checksum", revs.v[i]->checksum)),
			.text = rt_sprintf(ctx->arena, "recorded %s for '%s'\n", revs.v[i]->checksum,
			                   revs.v[i]->id),
		});
	if (!revs.n)
		cli_emit(ctx, &(struct cli_event){
			.text = "nothing to repair: every applied revision has its current checksum\n",
		});
	return RT_OK;
}

const struct cli_cmd cli_cmd_repair = {
	.name = "repair",
	.args = "[REV...]",
	.summary = "record the current checksums of applied revisions",
	.flags = CLI_NEED_GRAPH | CLI_FROM_BUNDLE,
	.max_args = CLI_ARGS_MANY,
	.db = CLI_DB_LOCKED,
	.run = run,
};
