/*
 * The bundle writer: a loaded project into the bytes of docs/file-formats.md
 * §6. Everything is written in load order with fixed-width little-endian
 * integers and no timestamps, so the same project gives the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "author/files.h"
#include "bundle_int.h"
#include "retort/checksum.h"
#include "retort/translate.h"

static void put_u8(rt_buf *b, unsigned v)
{
	rt_buf_putc(b, (char)(v & 0xff));
}

static void put_u32(rt_buf *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		put_u8(b, (v >> (8 * i)) & 0xff);
}

static void put_u64(rt_buf *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		put_u8(b, (unsigned)((v >> (8 * i)) & 0xff));
}

/* u32 length, the bytes, a NUL (so the reader can point into the file). */
static void put_strn(rt_buf *b, const char *s, size_t len)
{
	put_u32(b, (uint32_t)len);
	rt_buf_add(b, s, len);
	put_u8(b, 0);
}

static void put_str(rt_buf *b, const char *s)
{
	if (!s)
		put_u32(b, BUNDLE_ABSENT);
	else
		put_strn(b, s, strlen(s));
}

static void put_strv(rt_buf *b, const rt_strv *v)
{
	put_u32(b, (uint32_t)v->n);
	for (size_t i = 0; i < v->n; i++)
		put_str(b, v->v[i]);
}

static void put_refusal(rt_buf *b, const rt_error *why)
{
	put_u8(b, RT_BUNDLE_REFUSED);
	put_u8(b, (unsigned)-why->code);
	put_str(b, why->message);
	put_str(b, why->hint);
	put_str(b, why->loc.path);
	put_u32(b, why->loc.line);
	put_u32(b, why->loc.col);
}

static void put_stmts(rt_buf *b, rt_bundle_origin origin, const rt_stmtlist *stmts)
{
	put_u8(b, origin);
	put_u32(b, (uint32_t)stmts->n);
	for (size_t i = 0; i < stmts->n; i++) {
		const rt_stmt *s = stmts->items[i];
		put_u8(b, (s->no_transaction ? 1u : 0u) | (s->once_key ? 2u : 0u) |
		          (s->echo ? 4u : 0u));
		put_strn(b, s->sql, s->len);
		if (s->once_key)
			put_str(b, s->once_key);
		if (s->echo) {
			put_str(b, s->echo);
			put_str(b, s->echo_level);
		}
	}
}

/* One direction of rev: its statements, what renders them from outside, or
 * the reason there are none. */
static int put_body(rt_buf *b, rt_arena *tmp, const rt_revision *rev, rt_direction dir,
                    const rt_bundle_write_opts *o, rt_error *err)
{
	rt_stmtlist stmts = { 0 };
	rt_error why = RT_ERROR_INIT;
	rt_translate_ctx *tctx = rt_translate_ctx_new(tmp, o->cfg);
	int rc = rt_revision_body(&stmts, tmp, rev, dir, tctx, &why);
	rt_loc at;
	const char *moment = rc == RT_OK ? rt_translate_ctx_run_time_value(tctx, &at) : NULL;
	if (moment) {
		/* a value a run takes when the step runs: bundled, it would be
		 * frozen at bundle time (and the bundle no longer reproducible) */
		const char *section = dir == RT_UPGRADE ? "upgrade" : "downgrade";
		bool env = strncmp(moment, "os.", 3) == 0; /* os.environ.get(), os.getenv() */
		put_refusal(b, &(rt_error){
			.code = RT_EUNSUPPORTED,
			.loc = at,
			.message = env ? rt_sprintf(tmp, "'%s()' reads the environment of the process "
			                            "that runs the step; a bundle would hold the "
			                            "environment of the machine it was built on", moment)
			               : rt_sprintf(tmp, "'%s()' is evaluated when the step runs; a "
			                            "bundle would hold the value of the moment it was "
			                            "built", moment),
			.hint = env ? rt_sprintf(tmp, "write this body as SQL in a sidecar (-- retort:%s "
			                         "section), or give the value in retort.yaml: assume: "
			                         "{%s: <value>}", section, moment)
			            : rt_sprintf(tmp, "compute it in SQL (now(), gen_random_uuid()) or "
			                         "write this body as SQL in a sidecar (-- retort:%s "
			                         "section)", section),
		});
		return RT_OK;
	}
	if (rc == RT_OK) {
		bool sidecar = rev->sql && rt_sqlfile_has(rev->sql, dir);
		put_stmts(b, sidecar ? RT_BUNDLE_SIDECAR : RT_BUNDLE_TRANSLATED, &stmts);
		return RT_OK;
	}
	if (!bundle_refusal_code_ok(rc)) {
		rt_error_move(err, &why);
		return rc;
	}
	/* what Alembic could render: a body retort does not translate (an
	 * irreversible downgrade or a missing function fails there too) */
	if (o->render && (rc == RT_EUNSUPPORTED || rc == RT_ELIMIT)) {
		rt_stmtlist rendered = { 0 };
		rc = o->render(o->render_ctx, rev, dir, &why, tmp, &rendered, err);
		if (rc == RT_OK) {
			put_stmts(b, RT_BUNDLE_ALEMBIC, &rendered);
			rt_error_clear(&why);
			return RT_OK;
		}
		if (rc != RT_ENOTFOUND) {
			rt_error_clear(&why);
			return rc;
		}
	}
	put_refusal(b, &why);
	rt_error_clear(&why);
	return RT_OK;
}

static void put_settings(rt_buf *b, const rt_config *cfg)
{
	put_str(b, cfg->version_table);
	put_str(b, cfg->version_table_schema);
	put_u8(b, cfg->version_table_pk ? 1 : 0);
	put_str(b, cfg->history_table);
	put_u8(b, cfg->transaction == RT_TX_SINGLE ? 1 : 0);
}

static int put_revision(rt_buf *b, rt_arena *tmp, const rt_revision *rev,
                        const rt_bundle_write_opts *o, rt_error *err)
{
	put_str(b, rev->id);
	put_u8(b, rev->origin);
	put_str(b, rev->path);
	put_str(b, rev->sidecar_path);
	put_u32(b, rev->loc.line);
	put_u32(b, rev->loc.col);
	put_strv(b, &rev->down);
	put_strv(b, &rev->labels);
	put_strv(b, &rev->depends);
	put_str(b, rev->message);
	put_str(b, rev->py ? rev->py->doc : NULL);
	put_str(b, rev->checksum);
	int rc = RT_OK;
	for (int dir = RT_UPGRADE; dir <= RT_DOWNGRADE && rc == RT_OK; dir++) {
		rc = put_body(b, tmp, rev, (rt_direction)dir, o, err);
		rt_arena_reset(tmp);
	}
	return rc;
}

int rt_bundle_build(rt_buf *out, const rt_project *project, const rt_bundle_write_opts *opts,
                    rt_error *err)
{
	if (sodium_init() < 0)
		return rt_error_set(err, RT_ERROR, NULL, "libsodium cannot be initialised");
	rt_buf payload = RT_BUF_INIT;
	put_settings(&payload, opts->cfg);
	put_u32(&payload, (uint32_t)project->n);
	rt_arena *tmp = rt_arena_new();
	int rc = RT_OK;
	for (size_t i = 0; i < project->n && rc == RT_OK; i++)
		rc = put_revision(&payload, tmp, project->revs[i], opts, err);
	rt_arena_free(tmp);
	if (rc < 0) {
		rt_buf_release(&payload);
		return rc;
	}

	size_t start = out->len;
	rt_buf_add(out, RT_BUNDLE_MAGIC, BUNDLE_MAGIC_LEN);
	put_u32(out, RT_BUNDLE_FORMAT_VERSION);
	put_u32(out, 0); /* flags: none defined */
	put_u64(out, payload.len);
	rt_buf_add(out, payload.ptr, payload.len);
	rt_buf_release(&payload);

	unsigned char hash[BUNDLE_HASH_LEN];
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)out->ptr + start,
	                   out->len - start, NULL, 0);
	rt_buf_add(out, hash, sizeof(hash));
	if (!opts->sign) {
		put_u8(out, 0);
		return RT_OK;
	}
	/* the signature covers everything before the signature block */
	unsigned char sig[RT_SIGN_BYTES];
	if ((rc = rt_sign_detached(sig, out->ptr + start, out->len - start, opts->sign, err)) < 0)
		return rc;
	put_u8(out, 1);
	/* libsodium's secret key ends with its public key */
	rt_buf_add(out, opts->sign->bytes + RT_SIGN_SECRET_BYTES - RT_SIGN_PUBLIC_BYTES,
	           RT_SIGN_PUBLIC_BYTES);
	rt_buf_add(out, sig, sizeof(sig));
	return RT_OK;
}

int rt_bundle_write_file(const char *path, const rt_buf *bytes, rt_error *err)
{
	rt_buf dir = RT_BUF_INIT, tmp = RT_BUF_INIT;
	const char *base;
	rt_author_split_path(&dir, &base, path);
	int e = 0, rc = RT_OK;
	const char *step = rt_author_temp_write(&tmp, rt_buf_cstr(&dir), base, bytes, 0644, &e);
	if (!step && rename(tmp.ptr, path) != 0) {
		step = "rename";
		e = errno;
		remove(tmp.ptr);
	}
	if (step)
		rc = rt_error_set(err, RT_EOS, NULL, "cannot write '%s': %s failed: %s", path, step,
		                  strerror(e));
	else
		rc = rt_author_sync_dir(rt_buf_cstr(&dir), err);
	rt_buf_release(&dir);
	rt_buf_release(&tmp);
	return rc;
}
