/*
 * Unit tests for deploy bundles (src/bundle): a bundle of the fixture
 * project gives back every revision field and both bodies of every revision
 * with their origin, the same bytes each time; any changed or missing byte
 * is refused; signatures and trust; bodies supplied from outside.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "retort/bundle.h"

#define A1 "a1b2c3d4e5f6"
#define B2 "b2c3d4e5f6a1"
#define C3 "c3d4e5f6a1b2"

typedef struct fx {
	rt_arena *arena;
	rt_config *cfg;
	rt_project *project;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	f->arena = rt_arena_new();
	f->cfg = rt_config_new_default(f->arena);
	f->cfg->version_table = "av";
	f->cfg->version_table_schema = "s1";
	f->cfg->history_table = "hist";
	f->cfg->transaction = RT_TX_SINGLE;
	rt_strv locs = { 0 };
	rt_strv_push(f->arena, &locs, FIXTURE "/versions");
	rt_project_opts opts = { .version_locations = &locs };
	rt_diags diags;
	rt_diags_init(&diags, f->arena);
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_project_load(&f->project, f->arena, &opts, &diags, &err), RT_OK);
	assert_int_equal(f->project->n, 3);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	rt_arena_free(f->arena);
	free(f);
	return 0;
}

static void build(fx *f, rt_buf *out, const rt_bundle_write_opts *extra)
{
	rt_bundle_write_opts o = extra ? *extra : (rt_bundle_write_opts){ 0 };
	o.cfg = f->cfg;
	rt_error err = RT_ERROR_INIT;
	int rc = rt_bundle_build(out, f->project, &o, &err);
	if (rc < 0)
		fail_msg("build: %s", err.message);
}

static rt_bundle *parse(fx *f, const rt_buf *bytes)
{
	rt_bundle *b;
	rt_error err = RT_ERROR_INIT;
	int rc = rt_bundle_parse(&b, f->arena, "t.rtb", bytes->ptr, bytes->len, &err);
	if (rc < 0)
		fail_msg("parse: %s", err.message);
	return b;
}

static void same_strv(const rt_strv *a, const rt_strv *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		assert_string_equal(a->v[i], b->v[i]);
}

static void round_trip(void **state)
{
	fx *f = *state;
	rt_buf bytes = RT_BUF_INIT;
	build(f, &bytes, NULL);
	rt_bundle *b = parse(f, &bytes);
	assert_int_equal(rt_bundle_format_version(b), RT_BUNDLE_FORMAT_VERSION);
	assert_null(rt_bundle_signer(b));
	rt_project *p = rt_bundle_project(b);
	assert_int_equal(p->n, f->project->n);
	for (size_t i = 0; i < p->n; i++) {
		const rt_revision *x = p->revs[i], *y = f->project->revs[i];
		assert_string_equal(x->id, y->id);
		same_strv(&x->down, &y->down);
		same_strv(&x->labels, &y->labels);
		same_strv(&x->depends, &y->depends);
		assert_string_equal(x->message, y->message);
		assert_string_equal(x->py->doc, y->py->doc);
		assert_string_equal(x->path, y->path);
		assert_string_equal(x->checksum, y->checksum);
		assert_int_equal(x->loc.line, y->loc.line);
		assert_int_equal(x->load_order, i);
		if (y->sidecar_path)
			assert_string_equal(x->sidecar_path, y->sidecar_path);
		else
			assert_null(x->sidecar_path);
		for (int dir = RT_UPGRADE; dir <= RT_DOWNGRADE; dir++) {
			rt_stmtlist want = { 0 }, got = { 0 };
			rt_error e1 = RT_ERROR_INIT, e2 = RT_ERROR_INIT;
			int r1 = rt_revision_body(&want, f->arena, y, (rt_direction)dir, NULL, &e1);
			int r2 = rt_bundle_body(b, x, (rt_direction)dir, f->arena, &got, &e2);
			assert_int_equal(r1, r2);
			if (r1 < 0) {
				assert_string_equal(e1.message, e2.message);
				assert_string_equal(e1.hint, e2.hint);
				assert_string_equal(e1.loc.path, e2.loc.path);
				assert_int_equal(e1.loc.line, e2.loc.line);
				assert_int_equal(e1.loc.col, e2.loc.col);
				want.n = 0; /* what was translated before the refusal */
			}
			assert_int_equal(want.n, got.n);
			for (size_t k = 0; k < want.n; k++) {
				assert_int_equal(want.items[k]->len, got.items[k]->len);
				assert_memory_equal(want.items[k]->sql, got.items[k]->sql, want.items[k]->len);
				assert_int_equal(want.items[k]->no_transaction,
				                 got.items[k]->no_transaction);
			}
			rt_error_clear(&e1);
			rt_error_clear(&e2);
		}
	}
	/* origins: translated, sidecar, and a refused downgrade */
	assert_int_equal(rt_bundle_body_origin(b, p->revs[0], RT_UPGRADE), RT_BUNDLE_TRANSLATED);
	assert_int_equal(rt_bundle_body_origin(b, p->revs[1], RT_UPGRADE), RT_BUNDLE_SIDECAR);
	assert_int_equal(rt_bundle_body_origin(b, p->revs[1], RT_DOWNGRADE), RT_BUNDLE_SIDECAR);
	assert_int_equal(rt_bundle_body_origin(b, p->revs[2], RT_UPGRADE), RT_BUNDLE_TRANSLATED);
	assert_int_equal(rt_bundle_body_origin(b, p->revs[2], RT_DOWNGRADE), RT_BUNDLE_REFUSED);
	rt_stmtlist up = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_bundle_body(b, p->revs[1], RT_UPGRADE, f->arena, &up, &err), RT_OK);
	assert_int_equal(up.n, 1);
	assert_true(up.items[0]->no_transaction);
	assert_int_equal(rt_bundle_body(b, p->revs[2], RT_DOWNGRADE, f->arena, &up, &err),
	                 RT_EUNSUPPORTED);
	rt_error_clear(&err);

	/* the settings, never the database URL */
	rt_config *cfg = rt_config_new_default(f->arena);
	rt_bundle_settings(b, cfg);
	assert_string_equal(cfg->version_table, "av");
	assert_string_equal(cfg->version_table_schema, "s1");
	assert_string_equal(cfg->history_table, "hist");
	assert_int_equal(cfg->transaction, RT_TX_SINGLE);
	assert_true(cfg->version_table_pk);
	rt_buf_release(&bytes);
}

static void deterministic(void **state)
{
	fx *f = *state;
	rt_buf a = RT_BUF_INIT, b = RT_BUF_INIT;
	build(f, &a, NULL);
	build(f, &b, NULL);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.ptr, b.ptr, a.len);
	rt_buf_release(&a);
	rt_buf_release(&b);
}

/* Every flipped bit and every truncation is refused: 9 or 3, never accepted. */
static void every_change_refused(void **state)
{
	fx *f = *state;
	rt_sign_secret sk;
	rt_sign_public pk;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_sign_keypair(&sk, &pk, &err), RT_OK);
	for (int signed_ = 0; signed_ <= 1; signed_++) {
		rt_buf bytes = RT_BUF_INIT;
		build(f, &bytes, &(rt_bundle_write_opts){ .sign = signed_ ? &sk : NULL });
		rt_arena *scratch = rt_arena_new();
		for (size_t i = 0; i < bytes.len; i++) {
			for (int bit = 0; bit < 8; bit += 7) {
				bytes.ptr[i] ^= (char)(1 << bit);
				rt_bundle *b;
				int rc = rt_bundle_parse(&b, scratch, "t.rtb", bytes.ptr, bytes.len, &err);
				if (rc != RT_ESIGNATURE && rc != RT_ESYNTAX)
					fail_msg("byte %zu bit %d: rc %d", i, bit, rc);
				rt_error_clear(&err);
				bytes.ptr[i] ^= (char)(1 << bit);
				rt_arena_reset(scratch);
			}
		}
		for (size_t len = 0; len < bytes.len; len++) {
			rt_bundle *b;
			assert_int_not_equal(rt_bundle_parse(&b, scratch, "t.rtb", bytes.ptr, len, &err),
			                     RT_OK);
			rt_error_clear(&err);
			rt_arena_reset(scratch);
		}
		rt_arena_free(scratch);
		rt_buf_release(&bytes);
	}
	rt_sign_secret_wipe(&sk);
}

static void signature_and_trust(void **state)
{
	fx *f = *state;
	rt_sign_secret sk, other_sk;
	rt_sign_public pk, other;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_sign_keypair(&sk, &pk, &err), RT_OK);
	assert_int_equal(rt_sign_keypair(&other_sk, &other, &err), RT_OK);
	rt_buf bytes = RT_BUF_INIT, unsigned_ = RT_BUF_INIT;
	build(f, &bytes, &(rt_bundle_write_opts){ .sign = &sk });
	build(f, &unsigned_, NULL);
	rt_bundle *b = parse(f, &bytes), *u = parse(f, &unsigned_);
	assert_memory_equal(rt_bundle_signer(b)->bytes, pk.bytes, RT_SIGN_PUBLIC_BYTES);

	assert_int_equal(rt_bundle_trust(b, NULL, 0, &err), RT_OK);
	assert_int_equal(rt_bundle_trust(u, NULL, 0, &err), RT_OK);
	rt_sign_public both[2] = { other, pk };
	assert_int_equal(rt_bundle_trust(b, both, 2, &err), RT_OK);
	assert_int_equal(rt_bundle_trust(b, &other, 1, &err), RT_ESIGNATURE);
	char fp[RT_SIGN_FINGERPRINT_LEN + 1];
	rt_sign_fingerprint(fp, &pk);
	assert_non_null(strstr(err.message, fp));
	rt_error_clear(&err);
	assert_int_equal(rt_bundle_trust(u, &pk, 1, &err), RT_ESIGNATURE);
	assert_non_null(strstr(err.message, "not signed"));
	rt_error_clear(&err);

	/* a signature by another key over the same bytes: refused */
	unsigned char sig[RT_SIGN_BYTES];
	size_t sig_at = bytes.len - RT_SIGN_BYTES - RT_SIGN_PUBLIC_BYTES - 1;
	assert_int_equal(rt_sign_detached(sig, bytes.ptr, sig_at, &other_sk, &err), RT_OK);
	memcpy(bytes.ptr + bytes.len - RT_SIGN_BYTES, sig, sizeof(sig));
	assert_int_equal(rt_bundle_parse(&b, f->arena, "t.rtb", bytes.ptr, bytes.len, &err),
	                 RT_ESIGNATURE);
	rt_error_clear(&err);
	rt_sign_secret_wipe(&sk);
	rt_sign_secret_wipe(&other_sk);
	rt_buf_release(&bytes);
	rt_buf_release(&unsigned_);
}

struct render_calls {
	size_t n;
	int rc;
};

static int render(void *ctx, const rt_revision *rev, rt_direction dir, const rt_error *why,
                  rt_arena *arena, rt_stmtlist *out, rt_error *err)
{
	struct render_calls *c = ctx;
	c->n++;
	assert_string_equal(rev->id, C3);
	assert_int_equal(dir, RT_DOWNGRADE);
	assert_int_equal(why->code, RT_EUNSUPPORTED);
	if (c->rc == RT_OK) {
		rt_stmtlist_push(arena, out, rt_stmt_generated(arena, "ALTER TABLE pets DROP COLUMN age",
		                                               NULL, 0));
		return RT_OK;
	}
	if (c->rc == RT_ENOTFOUND)
		return RT_ENOTFOUND;
	return rt_error_set(err, c->rc, NULL, "alembic cannot render it either");
}

static void bodies_from_outside(void **state)
{
	fx *f = *state;
	struct render_calls calls = { 0, RT_OK };
	rt_buf bytes = RT_BUF_INIT;
	build(f, &bytes, &(rt_bundle_write_opts){ .render = render, .render_ctx = &calls });
	assert_int_equal(calls.n, 1);
	rt_bundle *b = parse(f, &bytes);
	rt_project *p = rt_bundle_project(b);
	assert_int_equal(rt_bundle_body_origin(b, p->revs[2], RT_DOWNGRADE), RT_BUNDLE_ALEMBIC);
	rt_stmtlist got = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_bundle_body(b, p->revs[2], RT_DOWNGRADE, f->arena, &got, &err), RT_OK);
	assert_int_equal(got.n, 1);
	assert_string_equal(got.items[0]->sql, "ALTER TABLE pets DROP COLUMN age");
	rt_buf_release(&bytes);

	/* RT_ENOTFOUND keeps the refusal; any other failure stops the build */
	calls = (struct render_calls){ 0, RT_ENOTFOUND };
	build(f, &bytes, &(rt_bundle_write_opts){ .render = render, .render_ctx = &calls });
	b = parse(f, &bytes);
	assert_int_equal(rt_bundle_body_origin(b, rt_bundle_project(b)->revs[2], RT_DOWNGRADE),
	                 RT_BUNDLE_REFUSED);
	rt_buf_release(&bytes);
	calls = (struct render_calls){ 0, RT_EUNSUPPORTED };
	assert_int_equal(rt_bundle_build(&bytes, f->project,
	                                 &(rt_bundle_write_opts){ .cfg = f->cfg, .render = render,
	                                                          .render_ctx = &calls },
	                                 &err),
	                 RT_EUNSUPPORTED);
	assert_string_equal(err.message, "alembic cannot render it either");
	rt_error_clear(&err);
	rt_buf_release(&bytes);
}

static void file_write_and_load(void **state)
{
	fx *f = *state;
	char dir[] = "/tmp/rtbundle.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = rt_sprintf(f->arena, "%s/m.rtb", dir);
	rt_buf bytes = RT_BUF_INIT;
	build(f, &bytes, NULL);
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_bundle_write_file(path, &bytes, &err), RT_OK);
	assert_int_equal(rt_bundle_write_file(path, &bytes, &err), RT_OK); /* replaces */
	rt_bundle *b;
	assert_int_equal(rt_bundle_load(&b, f->arena, path, &err), RT_OK);
	assert_int_equal(rt_bundle_project(b)->n, 3);
	unlink(path);
	assert_int_equal(rt_bundle_load(&b, f->arena, path, &err), RT_EOS);
	rt_error_clear(&err);
	rmdir(dir);
	rt_buf_release(&bytes);

	/* not a bundle at all, and a version from the future */
	assert_int_equal(rt_bundle_parse(&b, f->arena, "x", "hello", 5, &err), RT_ESYNTAX);
	assert_non_null(strstr(err.message, "not a retort bundle"));
	rt_error_clear(&err);
	build(f, &bytes, NULL);
	bytes.ptr[8] = 2;
	assert_int_equal(rt_bundle_parse(&b, f->arena, "x", bytes.ptr, bytes.len, &err),
	                 RT_ESYNTAX);
	assert_non_null(strstr(err.message, "format version 2"));
	rt_error_clear(&err);
	rt_buf_release(&bytes);
}

static void write_rev(const char *dir, const char *id, const char *down, const char *table)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s_%s.py", dir, id, table);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "from alembic import op\nimport sqlalchemy as sa\n\nrevision = '%s'\n"
	        "down_revision = %s\n\n\ndef upgrade():\n    op.create_table('%s', "
	        "sa.Column('m', sa.Enum('a', 'b', name='mood')))\n\n\ndef downgrade():\n"
	        "    op.drop_table('%s')\n", id, down, table, table);
	fclose(f);
}

/* Two revisions whose create_table share an enum: over one pass the bundle
 * source sends CREATE TYPE once, as the files source does (alembic.md §5.4);
 * each body on its own still has it. */
static void enum_memo_replayed(void **state)
{
	(void)state;
	char dir[] = "/tmp/rtbundle.XXXXXX";
	assert_non_null(mkdtemp(dir));
	write_rev(dir, "aaaa00000001", "None", "t1");
	write_rev(dir, "bbbb00000002", "'aaaa00000001'", "t2");
	rt_arena *arena = rt_arena_new();
	rt_strv locs = { 0 };
	rt_strv_push(arena, &locs, dir);
	rt_project_opts opts = { .version_locations = &locs };
	rt_diags diags;
	rt_diags_init(&diags, arena);
	rt_error err = RT_ERROR_INIT;
	rt_project *p;
	assert_int_equal(rt_project_load(&p, arena, &opts, &diags, &err), RT_OK);
	rt_buf bytes = RT_BUF_INIT;
	rt_bundle_write_opts wo = { .cfg = rt_config_new_default(arena) };
	assert_int_equal(rt_bundle_build(&bytes, p, &wo, &err), RT_OK);
	rt_bundle *b;
	assert_int_equal(rt_bundle_parse(&b, arena, "t.rtb", bytes.ptr, bytes.len, &err), RT_OK);
	rt_project *bp = rt_bundle_project(b);

	rt_files_source fs;
	rt_files_source_init(&fs, arena, NULL);
	rt_bundle_source bs;
	rt_bundle_source_init(&bs, arena, b);
	for (int pass = 0; pass < 2; pass++) {
		fs.source.rewind(fs.source.ctx);
		bs.source.rewind(bs.source.ctx);
		for (size_t i = 0; i < 2; i++) {
			rt_step fstep = { .kind = RT_STEP_UPGRADE, .rev = p->revs[i] };
			rt_step bstep = { .kind = RT_STEP_UPGRADE, .rev = bp->revs[i] };
			rt_stmtlist want = { 0 }, got = { 0 };
			assert_int_equal(rt_step_source_body(&fs.source, &fstep, arena, &want, &err), RT_OK);
			assert_int_equal(rt_step_source_body(&bs.source, &bstep, arena, &got, &err), RT_OK);
			assert_int_equal(want.n, i == 0 ? 2 : 1); /* CREATE TYPE once a pass */
			assert_int_equal(got.n, want.n);
			for (size_t k = 0; k < want.n; k++)
				assert_string_equal(got.items[k]->sql, want.items[k]->sql);
		}
	}
	rt_stmtlist alone = { 0 };
	assert_int_equal(rt_bundle_body(b, bp->revs[1], RT_UPGRADE, arena, &alone, &err), RT_OK);
	assert_int_equal(alone.n, 2);
	assert_non_null(strstr(alone.items[0]->sql, "CREATE TYPE mood"));
	rt_buf_release(&bytes);
	rt_arena_free(arena);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(every_change_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(signature_and_trust, setup, teardown),
		cmocka_unit_test_setup_teardown(bodies_from_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(file_write_and_load, setup, teardown),
		cmocka_unit_test(enum_memo_replayed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
