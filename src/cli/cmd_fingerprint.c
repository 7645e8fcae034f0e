/*
 * retort fingerprint [--compare URL2]: a database's schema as sorted lines and
 * their hash; with --compare, the lines only in one of two databases, exit 1
 * when there are any (a squash that changed nothing, drift from the migrations).
 */
#include <string.h>

#include "cli.h"
#include "retort/fingerprint.h"

static struct {
	const char *compare;
} o;

static const struct cli_opt opts[] = {
	{ 0, "compare", CLI_OPT_STRING, &o.compare, "URL2",
	  "fingerprint a second database and print the differences (exit 1 when any)" },
	{ 0 },
};

/* Connects read-only to url, fingerprints and disconnects; *target is the
 * masked URL for the output. */
static int take(struct cli_ctx *ctx, const char *url, rt_fingerprint *fp, const char **target,
                rt_error *err)
{
	const rt_config *cfg = ctx->cfg;
	rt_db_opts dopts = {
		.url = url,
		.wait_seconds = cfg->wait,
		.read_only = true,
		.interrupted = &cli_interrupted,
	};
	rt_db *db;
	int rc = rt_db_connect(&db, ctx->arena, &dopts, err);
	if (rc < 0)
		return rc;
	*target = rt_db_target(db);
	rt_fingerprint_opts fopts = {
		.schema = cfg->version_table_schema,
		.version_table = cfg->version_table,
		.history_table = cfg->history_table,
	};
	rc = rt_fingerprint_take(db, ctx->arena, &fopts, fp, err);
	rt_db_close(db);
	return rc;
}

static void json_head(rt_buf *f, const char *target, const rt_fingerprint *fp)
{
	rt_buf_puts(f, "\"database\":");
	rt_buf_json_str(f, target);
	rt_buf_printf(f, ",\"hash\":\"%s\"", fp->hash);
}

static int show(struct cli_ctx *ctx, const char *target, const rt_fingerprint *fp)
{
	rt_buf b = RT_BUF_INIT;
	if (ctx->format == RT_FORMAT_JSON) {
		json_head(&b, target, fp);
		rt_buf_putc(&b, ',');
		cli_json_strv(&b, "lines", &fp->lines);
		cli_json_event(ctx, "fingerprint", &b);
	} else {
		if (ctx->verbosity >= 0)
			for (size_t i = 0; i < fp->lines.n; i++)
				rt_buf_printf(&b, "%s\n", fp->lines.v[i]);
		rt_buf_printf(&b, "fingerprint %s\n", fp->hash);
		cli_write(ctx->out, &b);
	}
	rt_buf_release(&b);
	return RT_OK;
}

/* The two lists merged back into sorted order, so a changed object's old and
 * new lines stand together. */
static void text_diff(rt_buf *b, const rt_strv *only_a, const rt_strv *only_b)
{
	size_t i = 0, j = 0;
	while (i < only_a->n || j < only_b->n) {
		if (j == only_b->n || (i < only_a->n && strcmp(only_a->v[i], only_b->v[j]) <= 0))
			rt_buf_printf(b, "- %s\n", only_a->v[i++]);
		else
			rt_buf_printf(b, "+ %s\n", only_b->v[j++]);
	}
}

static int compare(struct cli_ctx *ctx, const char *target_a, const rt_fingerprint *a,
                   rt_error *err)
{
	rt_fingerprint b;
	const char *target_b;
	int rc = take(ctx, o.compare, &b, &target_b, err);
	if (rc < 0)
		return rc;
	rt_strv only_a = { 0 }, only_b = { 0 };
	bool equal = rt_fingerprint_diff(ctx->arena, a, &b, &only_a, &only_b);
	rt_buf out = RT_BUF_INIT;
	if (ctx->format == RT_FORMAT_JSON) {
		json_head(&out, target_a, a);
		rt_buf_puts(&out, ",\"compare\":");
		rt_buf_json_str(&out, target_b);
		rt_buf_printf(&out, ",\"compare_hash\":\"%s\",\"equal\":%s", b.hash,
		              equal ? "true" : "false");
		rt_buf_putc(&out, ',');
		cli_json_strv(&out, "only_first", &only_a);
		rt_buf_putc(&out, ',');
		cli_json_strv(&out, "only_second", &only_b);
		cli_json_event(ctx, "fingerprint", &out);
	} else if (equal) {
		rt_buf_printf(&out, "the schemas are equal: fingerprint %s\n", a->hash);
		cli_write(ctx->out, &out);
	} else {
		if (ctx->verbosity >= 0) {
			rt_buf_printf(&out, "--- %s\n+++ %s\n", target_a, target_b);
			text_diff(&out, &only_a, &only_b);
		}
		rt_buf_printf(&out, "the schemas differ: %zu line%s only in the first, "
		              "%zu only in the second\n", only_a.n, only_a.n == 1 ? "" : "s",
		              only_b.n);
		cli_write(ctx->out, &out);
	}
	rt_buf_release(&out);
	/* exit 1 like diff(1); the output already said why */
	return equal ? RT_OK : RT_ERROR;
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	if (cli_expect_args(ctx, args, 0, 0, err) < 0)
		return err->code;
	rt_fingerprint a;
	const char *target;
	int rc = take(ctx, ctx->cfg->database_url, &a, &target, err);
	if (rc < 0)
		return rc;
	return o.compare ? compare(ctx, target, &a, err) : show(ctx, target, &a);
}

const struct cli_cmd cli_cmd_fingerprint = {
	.name = "fingerprint",
	.args = "[--compare URL2]",
	.summary = "describe the database's schema and hash it; --compare diffs two databases",
	.opts = opts,
	.flags = 0,
	.run = run,
};
