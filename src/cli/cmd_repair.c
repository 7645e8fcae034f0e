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
	struct cli_session s;
	int rc = cli_session_open(ctx, &s, CLI_SESSION_WRITE | CLI_SESSION_LOCK, err);
	if (rc < 0)
		goto out;
	if (s.state.unknown_rows.n) {
		rc = rt_applied_state_check(&s.state, err);
		goto out;
	}
	rt_revlist revs = { 0 };
	if ((rc = collect(ctx, &s, args, &revs, err)) < 0)
		goto out;
	if ((rc = rt_history_ensure(s.db, &s.hist, err)) < 0 || (rc = rt_db_begin(s.db, err)) < 0)
		goto out;
	for (size_t i = 0; i < revs.n; i++) {
		rt_history_row row = {
			.revision = revs.v[i]->id,
			.direction = "repair",
			.checksum = revs.v[i]->checksum,
			.message = revs.v[i]->message,
		};
		if ((rc = rt_history_insert(s.db, &s.hist, &row, err)) < 0)
			goto out;
	}
	if ((rc = rt_db_commit(s.db, err)) < 0)
		goto out;
	for (size_t i = 0; i < revs.n; i++) {
		if (ctx->format == RT_FORMAT_JSON) {
			rt_buf f = RT_BUF_INIT;
			rt_buf_puts(&f, "\"revision\":");
			rt_buf_json_str(&f, revs.v[i]->id);
			rt_buf_printf(&f, ",\"checksum\":\"%s\"", revs.v[i]->checksum);
			cli_json_event(ctx, "repaired", &f);
			rt_buf_release(&f);
		} else if (ctx->verbosity >= 0) {
			fprintf(ctx->out, "recorded %s for '%s'\n", revs.v[i]->checksum, revs.v[i]->id);
		}
	}
	if (!revs.n && ctx->format != RT_FORMAT_JSON && ctx->verbosity >= 0)
		fputs("nothing to repair: every applied revision has its current checksum\n", ctx->out);
out:
	cli_session_close(&s);
	return rc;
}

const struct cli_cmd cli_cmd_repair = {
	.name = "repair",
	.args = "[REV...]",
	.summary = "record the current checksums of applied revisions",
	.opts = NULL,
	.flags = CLI_NEED_GRAPH,
	.run = run,
};
