/*
 * retort bundle -o FILE [--sign KEYFILE] [--with-alembic]: verifies the
 * project as `check` does, then writes the deploy bundle (docs/file-formats.md
 * §6) atomically; with --with-alembic, real Alembic's offline mode renders
 * the bodies retort refuses.
 * retort bundle --inspect FILE: what a bundle holds, who signed it, and
 * whether that key is trusted (--trust).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "retort/alembicrender.h"
#include "retort/bundle.h"

struct bundle_opts {
	const char *output, *sign;
	bool inspect, with_alembic;
	void *check; /* check's options, for its hooks */
};

static const struct cli_opt opts[] = {
	{ 'o', "output", CLI_OPT_STRING, CLI_OPT_AT(struct bundle_opts, output), "FILE",
	  "write the bundle to FILE" },
	{ 0, "sign", CLI_OPT_STRING, CLI_OPT_AT(struct bundle_opts, sign), "KEYFILE",
	  "sign it with this secret key (from 'retort keygen')" },
	{ 0, "with-alembic", CLI_OPT_FLAG, CLI_OPT_AT(struct bundle_opts, with_alembic), NULL,
	  "render the bodies retort refuses with real Alembic's offline mode" },
	{ 0, "inspect", CLI_OPT_FLAG, CLI_OPT_AT(struct bundle_opts, inspect), NULL,
	  "describe the bundle FILE instead of writing one" },
	{ 0 },
};

static unsigned need(const struct cli_ctx *ctx)
{
	const struct bundle_opts *o = ctx->opts;
	return o->inspect ? 0 : CLI_NEED_GRAPH | CLI_TOLERATE_BROKEN;
}

/* check's hooks run with check's own options struct in ctx->opts. */
static void *as_check(struct cli_ctx *ctx)
{
	struct bundle_opts *o = ctx->opts;
	if (!o->check)
		o->check = rt_alloc(ctx->arena, cli_cmd_check.opts_size);
	ctx->opts = o->check;
	return o;
}

static void prepare_load(struct cli_ctx *ctx, rt_project_opts *popts)
{
	void *mine = as_check(ctx);
	cli_cmd_check.prepare_load(ctx, popts);
	ctx->opts = mine;
}

static int validate(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	const struct bundle_opts *o = ctx->opts;
	if (o->inspect && (o->output || o->sign || o->with_alembic))
		return rt_error_set(err, RT_EUSAGE, NULL, "'--inspect' reads a bundle; it takes no "
		                    "'--output', '--sign' or '--with-alembic'");
	if (o->with_alembic && !ctx->cfg->ini_path) {
		rt_error_set(err, RT_ECONFIG, NULL, "'--with-alembic' runs Alembic with the "
		             "project's alembic.ini, and there is none");
		rt_error_hint(err, "run it where alembic.ini is, or name it with -c");
		return RT_ECONFIG;
	}
	if (o->inspect && args->n != 1)
		return rt_error_set(err, RT_EUSAGE, NULL, "'bundle --inspect' needs the bundle FILE");
	if (!o->inspect && !o->output) {
		rt_error_set(err, RT_EUSAGE, NULL, "'bundle' needs '-o FILE' (or '--inspect FILE')");
		rt_error_hint(err, "retort bundle -o migrations.rtb --sign ci.key");
		return RT_EUSAGE;
	}
	if (!o->inspect && args->n)
		return rt_error_set(err, RT_EUSAGE, NULL, "'bundle -o' takes no arguments (got '%s')",
		                    args->v[0]);
	return RT_OK;
}

/* Bodies per origin, both directions of every revision. */
static void count_origins(const rt_bundle *b, size_t counts[4])
{
	const rt_project *p = rt_bundle_project(b);
	memset(counts, 0, 4 * sizeof(*counts));
	for (size_t i = 0; i < p->n; i++)
		for (int dir = RT_UPGRADE; dir <= RT_DOWNGRADE; dir++)
			counts[rt_bundle_body_origin(b, p->revs[i], (rt_direction)dir)]++;
}

static void counts_text(rt_buf *t, const size_t c[4])
{
	rt_buf_printf(t, "%zu translated, %zu sidecar, %zu rendered by Alembic, %zu refused",
	              c[RT_BUNDLE_TRANSLATED], c[RT_BUNDLE_SIDECAR], c[RT_BUNDLE_ALEMBIC],
	              c[RT_BUNDLE_REFUSED]);
}

#define COUNT_FIELDS(c) \
	CLI_SIZE("translated", (c)[RT_BUNDLE_TRANSLATED]), \
	CLI_SIZE("sidecar", (c)[RT_BUNDLE_SIDECAR]), CLI_SIZE("alembic", (c)[RT_BUNDLE_ALEMBIC]), \
	CLI_SIZE("refused", (c)[RT_BUNDLE_REFUSED])

/* --with-alembic: a body retort refuses, as real Alembic renders it offline
 * (Alembic runs where retort was started, as `alembic -c INI` would). */
static int render_with_alembic(void *p, const rt_revision *rev, rt_direction dir,
                               const rt_error *why, rt_arena *arena, rt_stmtlist *out,
                               rt_error *err)
{
	const struct cli_ctx *ctx = p;
	const rt_alembic_render_opts ro = {
		.python = getenv("RETORT_PYTHON"),
		.ini_path = ctx->cfg->ini_path,
		.version_table = ctx->cfg->version_table,
		.version_table_schema = ctx->cfg->version_table_schema,
		.interrupted = &cli_interrupted,
	};
	return rt_alembic_render_step(&ro, rev, dir, why, arena, out, err);
}

static int write_bundle(struct cli_ctx *ctx, rt_error *err)
{
	const struct bundle_opts *o = ctx->opts;
	rt_sign_secret sk;
	rt_sign_public pk;
	int rc;
	if (o->sign && (rc = rt_sign_read_secret(&sk, o->sign, err)) < 0)
		return rc;
	if (o->sign) /* libsodium's secret key ends with its public key */
		memcpy(pk.bytes, sk.bytes + RT_SIGN_SECRET_BYTES - RT_SIGN_PUBLIC_BYTES,
		       RT_SIGN_PUBLIC_BYTES);
	rt_bundle_write_opts wo = {
		.cfg = ctx->cfg,
		.sign = o->sign ? &sk : NULL,
		.render = o->with_alembic ? render_with_alembic : NULL,
		.render_ctx = ctx,
	};
	rt_buf bytes = RT_BUF_INIT;
	rc = rt_bundle_build(&bytes, ctx->project, &wo, err);
	if (o->sign)
		rt_sign_secret_wipe(&sk);
	rt_bundle *b = NULL;
	/* read back what was built: the counts, and proof that it loads */
	if (rc == RT_OK &&
	    (rc = rt_bundle_parse(&b, ctx->arena, o->output, bytes.ptr, bytes.len, err)) == RT_OK)
		rc = rt_bundle_write_file(o->output, &bytes, err);
	if (rc == RT_OK) {
		size_t c[4];
		count_origins(b, c);
		char fp[RT_SIGN_FINGERPRINT_LEN + 1] = "";
		if (o->sign)
			rt_sign_fingerprint(fp, &pk);
		rt_buf t = RT_BUF_INIT;
		rt_buf_printf(&t, "wrote %s: %zu revisions, %zu bytes; bodies: ", o->output,
		              ctx->project->n, bytes.len);
		counts_text(&t, c);
		rt_buf_printf(&t, "; %s%s\n", o->sign ? "signed by " : "unsigned", fp);
		cli_emit(ctx, &(struct cli_event){
			.name = "bundle_written",
			.fields = CLI_FIELDS(CLI_STR("path", o->output), CLI_SIZE("revisions", ctx->project->n),
			                     CLI_SIZE("bytes", bytes.len), COUNT_FIELDS(c),
			                     CLI_STR("signer", o->sign ? fp : NULL)),
			.text = rt_buf_cstr(&t),
			.text_flags = CLI_TEXT_ALWAYS,
		});
		rt_buf_release(&t);
	}
	rt_buf_release(&bytes);
	return rc;
}

static void revisions_json(rt_buf *j, const rt_bundle *b, const rt_graph *g, rt_buf *text)
{
	rt_buf_putc(j, '[');
	for (size_t i = 0; i < rt_graph_size(g); i++) {
		const rt_revision *r = rt_graph_at(g, i);
		const char *up = rt_bundle_origin_name(rt_bundle_body_origin(b, r, RT_UPGRADE));
		const char *down = rt_bundle_origin_name(rt_bundle_body_origin(b, r, RT_DOWNGRADE));
		if (i)
			rt_buf_putc(j, ',');
		cli_json_object(j, CLI_FIELDS(CLI_STR("revision", r->id), CLI_STRV("down_revisions", &r->down),
		                              CLI_STR("upgrade", up), CLI_STR("downgrade", down),
		                              CLI_STR("message", r->message),
		                              CLI_STR("checksum", r->checksum)));
		rt_buf_printf(text, "  %s  upgrade %s, downgrade %s%s%s\n", r->id, up, down,
		              r->message ? "  " : "", r->message ? r->message : "");
	}
	rt_buf_putc(j, ']');
}

static int inspect(struct cli_ctx *ctx, const char *path, rt_error *err)
{
	rt_sign_public *keys;
	size_t nkeys;
	rt_bundle *b;
	int rc;
	if ((rc = cli_trust_keys(ctx, &keys, &nkeys, err)) < 0 ||
	    (rc = rt_bundle_load(&b, ctx->arena, path, err)) < 0)
		return rc;
	rt_project *p = rt_bundle_project(b);
	rt_graph *g;
	rt_diags diags;
	rt_diags_init(&diags, ctx->arena);
	rt_graph_build(&g, ctx->arena, p->revs, p->n, &diags);
	rt_revlist heads = { 0 };
	rt_graph_heads(g, &heads, ctx->arena);
	size_t c[4];
	count_origins(b, c);
	rt_config settings = { 0 };
	rt_bundle_settings(b, &settings);
	const rt_sign_public *signer = rt_bundle_signer(b);
	char fp[RT_SIGN_FINGERPRINT_LEN + 1] = "";
	if (signer)
		rt_sign_fingerprint(fp, signer);
	rt_error trust_err = RT_ERROR_INIT;
	int trc = rt_bundle_trust(b, keys, nkeys, &trust_err);
	bool trusted = nkeys && trc == RT_OK;

	rt_buf t = RT_BUF_INIT, revs = RT_BUF_INIT, lines = RT_BUF_INIT;
	revisions_json(&revs, b, g, &lines);
	rt_buf_printf(&t, "bundle: %s\nformat version: %u\nrevisions: %zu\n%s", path,
	              rt_bundle_format_version(b), p->n, rt_buf_cstr(&lines));
	rt_buf_puts(&t, "heads:");
	for (size_t i = 0; i < heads.n; i++)
		rt_buf_printf(&t, " %s", heads.v[i]->id);
	rt_buf_puts(&t, "\nbodies: ");
	counts_text(&t, c);
	rt_buf_printf(&t, "\nsettings: version table %s%s%s, history table %s, transaction %s\n",
	              settings.version_table_schema ? settings.version_table_schema : "",
	              settings.version_table_schema ? "." : "", settings.version_table,
	              settings.history_table,
	              settings.transaction == RT_TX_SINGLE ? "single" : "per-migration");
	if (signer)
		rt_buf_printf(&t, "signer: %s (%s)\n", fp,
		              !nkeys ? "no trust keys given" : trusted ? "trusted" : "not trusted");
	else
		rt_buf_puts(&t, "signer: none (unsigned)\n");
	cli_emit(ctx, &(struct cli_event){
		.name = "bundle",
		.fields = CLI_FIELDS(CLI_STR("path", path),
		                     CLI_INT("format_version", rt_bundle_format_version(b)),
		                     CLI_JSON("revisions", rt_buf_cstr(&revs)),
		                     CLI_REVIDS("heads", &heads), COUNT_FIELDS(c),
		                     CLI_STR("version_table", settings.version_table),
		                     CLI_STR("version_table_schema", settings.version_table_schema),
		                     CLI_STR("history_table", settings.history_table),
		                     CLI_STR("transaction", settings.transaction == RT_TX_SINGLE
		                                                ? "single" : "per-migration"),
		                     CLI_STR("signer", signer ? fp : NULL),
		                     CLI_JSON("trusted", !nkeys ? "null" : trusted ? "true" : "false")),
		.text = rt_buf_cstr(&t),
		.text_flags = CLI_TEXT_ALWAYS,
	});
	rt_buf_release(&t);
	rt_buf_release(&revs);
	rt_buf_release(&lines);
	/* with trust keys, an untrusted bundle fails inspection as it would fail a run */
	if (trc < 0) {
		rt_error_move(err, &trust_err);
		return trc;
	}
	return RT_OK;
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	struct bundle_opts *o = ctx->opts;
	if (o->inspect)
		return inspect(ctx, args->v[0], err);
	/* verify as check does: every problem printed, and none may be an error */
	as_check(ctx);
	int rc = cli_cmd_check.run(ctx, args, err);
	ctx->opts = o;
	if (rc < 0)
		return rt_error_set(err, rc, NULL, "the project has errors; no bundle was written");
	return write_bundle(ctx, err);
}

const struct cli_cmd cli_cmd_bundle = {
	.name = "bundle",
	.args = "-o FILE [--sign KEYFILE] [--with-alembic] | --inspect FILE",
	.summary = "write a deploy bundle of the project (checked as 'check' does), or inspect one",
	.opts = opts,
	.opts_size = sizeof(struct bundle_opts),
	.flags = CLI_NEED_GRAPH | CLI_TOLERATE_BROKEN,
	.need = need,
	.min_args = 0,
	.max_args = 1,
	.db = CLI_DB_NONE,
	.prepare_load = prepare_load,
	.validate = validate,
	.run = run,
};
