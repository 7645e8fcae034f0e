/*
 * retort verify: compare the database with the scripts: unknown revisions
 * in the version table, applied revisions whose files changed, revisions
 * without a recorded checksum, and pending steps. Exit 7 on drift.
 */
#include "cli.h"

static void json_revs(rt_buf *f, const char *key, const rt_revlist *revs)
{
	rt_buf_printf(f, ",\"%s\":[", key);
	for (size_t i = 0; i < revs->n; i++) {
		if (i)
			rt_buf_putc(f, ',');
		rt_buf_json_str(f, revs->v[i]->id);
	}
	rt_buf_putc(f, ']');
}

static void text_revs(rt_buf *b, const rt_revlist *revs)
{
	for (size_t i = 0; i < revs->n; i++)
		rt_buf_printf(b, "%s%s", i ? ", " : "", revs->v[i]->id);
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	if (cli_expect_args(ctx, args, 0, 0, err) < 0)
		return err->code;
	struct cli_session s;
	int rc = cli_session_open(ctx, &s, 0, err);
	if (rc < 0)
		goto out;
	const rt_applied_state *st = &s.state;
	rt_revlist pending = { 0 };
	if (!st->unknown_rows.n) {
		rt_plan *plan;
		rt_error plan_err = RT_ERROR_INIT;
		if (rt_plan_upgrade(&plan, ctx->arena, ctx->graph, &s.rows, "heads", &plan_err) == RT_OK)
			for (size_t i = 0; i < plan->n; i++)
				rt_revlist_push(ctx->arena, &pending, plan->steps[i]->rev);
		rt_error_clear(&plan_err);
	}
	if (ctx->format == RT_FORMAT_JSON) {
		rt_buf f = RT_BUF_INIT;
		rt_buf_printf(&f, "\"ok\":%s,\"rows\":[",
		              st->unknown_rows.n || st->drifted.n ? "false" : "true");
		for (size_t i = 0; i < s.rows.n; i++) {
			if (i)
				rt_buf_putc(&f, ',');
			rt_buf_json_str(&f, s.rows.v[i]);
		}
		rt_buf_puts(&f, "],\"unknown\":[");
		for (size_t i = 0; i < st->unknown_rows.n; i++) {
			if (i)
				rt_buf_putc(&f, ',');
			rt_buf_json_str(&f, st->unknown_rows.v[i]);
		}
		rt_buf_putc(&f, ']');
		json_revs(&f, "applied", &st->applied);
		json_revs(&f, "drifted", &st->drifted);
		json_revs(&f, "no_checksum", &st->unrecorded);
		json_revs(&f, "pending", &pending);
		rt_buf_printf(&f, ",\"history_table\":%s", st->history_exists ? "true" : "false");
		cli_json_event(ctx, "verify", &f);
		rt_buf_release(&f);
	} else {
		rt_buf b = RT_BUF_INIT;
		rt_buf_puts(&b, "version table: ");
		if (!s.rows.n)
			rt_buf_puts(&b, "empty (base)");
		for (size_t i = 0; i < s.rows.n; i++)
			rt_buf_printf(&b, "%s%s", i ? ", " : "", s.rows.v[i]);
		rt_buf_printf(&b, "\napplied: %zu revision%s, %zu with a recorded checksum\n",
		              st->applied.n, st->applied.n == 1 ? "" : "s",
		              st->applied.n - st->unrecorded.n);
		for (size_t i = 0; i < st->unknown_rows.n; i++)
			rt_buf_printf(&b, "unknown: '%s' is in the version table but in no version file\n",
			              st->unknown_rows.v[i]);
		for (size_t i = 0; i < st->drifted.n; i++)
			rt_buf_printf(&b, "drift: '%s' (%s) changed since it was applied: recorded %.16s..., "
			              "now %.16s...\n", st->drifted.v[i]->id, st->drifted.v[i]->path,
			              st->drifted_recorded.v[i], st->drifted.v[i]->checksum);
		if (st->unrecorded.n) {
			rt_buf_puts(&b, "no checksum yet: ");
			text_revs(&b, &st->unrecorded);
			rt_buf_puts(&b, st->history_exists
			                    ? " ('retort repair' records them)\n"
			                    : " (no history table: applied by Alembic? 'retort repair' "
			                      "records them)\n");
		}
		rt_buf_printf(&b, "pending: %zu step%s", pending.n, pending.n == 1 ? "" : "s");
		if (pending.n) {
			rt_buf_puts(&b, " (");
			text_revs(&b, &pending);
			rt_buf_putc(&b, ')');
		}
		rt_buf_putc(&b, '\n');
		cli_write(ctx->out, &b);
		rt_buf_release(&b);
	}
	rc = rt_applied_state_check(st, err);
out:
	cli_session_close(&s);
	return rc;
}

const struct cli_cmd cli_cmd_verify = {
	.name = "verify",
	.args = "",
	.summary = "compare the database with the scripts: drift, unknown and pending revisions",
	.opts = NULL,
	.flags = CLI_NEED_GRAPH,
	.run = run,
};
