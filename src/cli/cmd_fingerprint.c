/*
 * retort fingerprint [--compare URL2]: a database's schema as sorted lines and
 * their hash; with --compare, the lines only in one of two databases, exit 1
 * when there are any (a squash that changed nothing, drift from the migrations).
 */
#include <string.h>

#include "cli.h"
#include "retort/fingerprint.h"

struct fingerprint_opts {
	const char *compare;
};

static const struct cli_opt opts[] = {
	{ 0, "compare", CLI_OPT_STRING, CLI_OPT_AT(struct fingerprint_opts, compare), "URL2",
	  "fingerprint a second database and print the differences (exit 1 when any)" },
	{ 0 },
};

/* Connects read-only to url, fingerprints and disconnects; *target is the
 * masked URL for the output. */
static int take(struct cli_ctx *ctx, const char *url, rt_fingerprint *fp, const char **target,
                rt_error *err)
{
	const rt_config *cfg = ctx->cfg;
	rt_db *db;
	int rc = cli_connect_read_only(ctx, url, &db, err);
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

static int show(struct cli_ctx *ctx, const char *target, const rt_fingerprint *fp)
{
	rt_buf b = RT_BUF_INIT;
	if (ctx->verbosity >= 0)
		for (size_t i = 0; i < fp->lines.n; i++)
			rt_buf_printf(&b, "%s\n", fp->lines.v[i]);
	rt_buf_printf(&b, "fingerprint %s\n", fp->hash);
	cli_emit(ctx, &(struct cli_event){
		.name = "fingerprint",
		.fields = CLI_FIELDS(CLI_STR("database", target), CLI_STR("hash", fp->hash),
		                     CLI_STRV("lines", &fp->lines)),
		.text = rt_buf_cstr(&b),
		.text_flags = CLI_TEXT_ALWAYS,
	});
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
	const struct fingerprint_opts *o = ctx->opts;
	rt_fingerprint b;
	const char *target_b;
	int rc = take(ctx, o->compare, &b, &target_b, err);
	if (rc < 0)
		return rc;
	rt_strv only_a = { 0 }, only_b = { 0 };
	bool equal = rt_fingerprint_diff(ctx->arena, a, &b, &only_a, &only_b);
	rt_buf text = RT_BUF_INIT;
	if (equal) {
		rt_buf_printf(&text, "the schemas are equal: fingerprint %s\n", a->hash);
	} else {
		if (ctx->verbosity >= 0) {
			rt_buf_printf(&text, "--- %s\n+++ %s\n", target_a, target_b);
			text_diff(&text, &only_a, &only_b);
		}
		rt_buf_printf(&text, "the schemas differ: %zu line%s only in the first, "
		              "%zu only in the second\n", only_a.n, only_a.n == 1 ? "" : "s",
		              only_b.n);
	}
	cli_emit(ctx, &(struct cli_event){
		.name = "fingerprint",
		.fields = CLI_FIELDS(CLI_STR("database", target_a), CLI_STR("hash", a->hash),
		                     CLI_STR("compare", target_b), CLI_STR("compare_hash", b.hash),
		                     CLI_BOOL("equal", equal), CLI_STRV("only_first", &only_a),
		                     CLI_STRV("only_second", &only_b)),
		.text = rt_buf_cstr(&text),
		.text_flags = CLI_TEXT_ALWAYS,
	});
	rt_buf_release(&text);
	/* exit 1 like diff(1); the output already said why */
	return equal ? RT_OK : RT_ERROR;
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args;
	const struct fingerprint_opts *o = ctx->opts;
	rt_fingerprint a;
	const char *target;
	int rc = take(ctx, ctx->cfg->database_url, &a, &target, err);
	if (rc < 0)
		return rc;
	return o->compare ? compare(ctx, target, &a, err) : show(ctx, target, &a);
}

const struct cli_cmd cli_cmd_fingerprint = {
	.name = "fingerprint",
	.args = "[--compare URL2]",
	.summary = "describe the database's schema and hash it; --compare diffs two databases",
	.opts = opts,
	.opts_size = sizeof(struct fingerprint_opts),
	.db = CLI_DB_OWN,
	.run = run,
};
