/*
 * Running from a deploy bundle (--bundle, RETORT_BUNDLE, `bundle:`): the
 * bundle is read once and judged (hash, signature, trust) before anything
 * connects; its revisions become the project and its bodies the step source.
 */
#include "cli.h"
#include "retort/bundle.h"

int cli_trust_keys(struct cli_ctx *ctx, rt_sign_public **keys, size_t *n, rt_error *err)
{
	const rt_strv *paths = &ctx->cfg->trust;
	*keys = rt_alloc_array(ctx->arena, paths->n ? paths->n : 1, sizeof(**keys));
	*n = paths->n;
	for (size_t i = 0; i < paths->n; i++) {
		int rc = rt_sign_read_public(&(*keys)[i], paths->v[i], err);
		if (rc < 0)
			return rt_error_wrap(err, RT_ECONFIG, NULL, "trust key from %s",
			                     rt_config_key_origin(ctx->cfg, "trust"));
	}
	return RT_OK;
}

/* Unsigned and no trust keys: it runs, and says so once. */
static void note_unsigned(struct cli_ctx *ctx)
{
	const char *msg = rt_sprintf(ctx->arena, "bundle '%s' is not signed; only its hash was "
	                             "checked (--trust requires a signature)", ctx->cfg->bundle);
	cli_emit(ctx, &(struct cli_event){
		.name = "notice",
		.fields = CLI_FIELDS(CLI_STR("severity", "NOTICE"), CLI_STR("message", msg)),
		.text = rt_sprintf(ctx->arena, "retort: notice: %s\n", msg),
		.text_flags = CLI_TEXT_STDERR,
	});
}

int cli_bundle_open(struct cli_ctx *ctx, rt_error *err)
{
	rt_config *cfg = ctx->cfg;
	rt_sign_public *keys;
	size_t nkeys;
	rt_bundle *b;
	int rc;
	if ((rc = cli_trust_keys(ctx, &keys, &nkeys, err)) < 0 ||
	    (rc = rt_bundle_load(&b, ctx->arena, cfg->bundle, err)) < 0 ||
	    (rc = rt_bundle_trust(b, keys, nkeys, err)) < 0)
		return rc;
	if (!nkeys && !rt_bundle_signer(b))
		note_unsigned(ctx);
	/* the migrations' own settings travel with them; a flag still wins */
	const rt_config_overrides *ov = ctx->ov;
	rt_config given = *cfg;
	rt_bundle_settings(b, cfg);
	if (ov->version_table)
		cfg->version_table = given.version_table;
	if (ov->version_table_schema)
		cfg->version_table_schema = given.version_table_schema;
	if (ov->history_table)
		cfg->history_table = given.history_table;
	if (ov->transaction)
		cfg->transaction = given.transaction;
	ctx->bundle = b;
	ctx->project = rt_bundle_project(b);
	return RT_OK;
}

const rt_step_source *cli_step_source(struct cli_ctx *ctx, bool online)
{
	if (ctx->bundle) {
		rt_bundle_source *bs = rt_alloc(ctx->arena, sizeof(*bs));
		rt_bundle_source_init(bs, ctx->arena, ctx->bundle);
		return &bs->source;
	}
	rt_files_source *fs = rt_alloc(ctx->arena, sizeof(*fs));
	rt_files_source_init(fs, ctx->arena, ctx->cfg);
	if (online) /* a data loop's query can run (a guard) */
		rt_files_source_allow_guards(fs);
	return &fs->source;
}

const char *cli_body_note(const struct cli_ctx *ctx, const rt_revision *rev, rt_direction dir)
{
	return ctx->bundle && rt_bundle_body_origin(ctx->bundle, rev, dir) == RT_BUNDLE_ALEMBIC
	       ? " (rendered by Alembic)"
	       : "";
}
