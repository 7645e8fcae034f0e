/*
 * The bundle reader: one read of the file, the hash and signature checked
 * before anything else is believed, then one pass over the contents that
 * validates every field and makes the revisions. Strings point into the
 * file's bytes (each is stored NUL-terminated); bodies are decoded when a
 * step asks for them, from offsets that pass recorded.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "bundle_int.h"
#include "retort/checksum.h"

typedef struct brev {
	rt_revision rev;
	rt_revfile doc;          /* message and docstring for the listings */
	size_t body[2];          /* offset of each direction's record */
	rt_bundle_origin origin[2];
} brev;

struct rt_bundle {
	const char *path;
	const unsigned char *data;
	size_t len;
	uint32_t version;
	bool is_signed;
	rt_sign_public signer;
	const char *version_table, *version_table_schema, *history_table;
	bool version_table_pk;
	rt_tx_mode transaction;
	brev *revs;
	rt_project *project;
};

bool bundle_refusal_code_ok(int code)
{
	return code == RT_EUNSUPPORTED || code == RT_EIRREVERSIBLE || code == RT_ENOTFOUND ||
	       code == RT_ESYNTAX || code == RT_ELIMIT;
}

/* A read position in the contents; the first failure stops every later read. */
typedef struct cur {
	const rt_bundle *b;
	size_t pos, end;
	rt_error *err;
	bool failed;
} cur;

static bool fail(cur *c, const char *what)
{
	if (!c->failed)
		rt_error_set(c->err, RT_ESYNTAX, NULL, "bundle '%s' is malformed: %s at byte %zu",
		             c->b->path, what, c->pos);
	c->failed = true;
	return false;
}

static bool get_u8(cur *c, unsigned *v)
{
	if (c->failed || c->end - c->pos < 1)
		return fail(c, "truncated");
	*v = c->b->data[c->pos++];
	return true;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool get_u32(cur *c, uint32_t *v)
{
	if (c->failed || c->end - c->pos < 4)
		return fail(c, "truncated");
	*v = le32(c->b->data + c->pos);
	c->pos += 4;
	return true;
}

/* A string stored NUL-terminated; *s NULL when absent (refused unless optional). */
static bool get_str(cur *c, const char **s, size_t *len, bool optional)
{
	uint32_t n;
	if (!get_u32(c, &n))
		return false;
	if (n == BUNDLE_ABSENT) {
		*s = NULL;
		if (len)
			*len = 0;
		return optional || fail(c, "a required string is absent");
	}
	if (c->end - c->pos < (size_t)n + 1)
		return fail(c, "a string runs past the end");
	const char *p = (const char *)c->b->data + c->pos;
	if (p[n] != '\0' || memchr(p, '\0', n))
		return fail(c, "a string holds a NUL byte or lacks its terminator");
	*s = p;
	if (len)
		*len = n;
	c->pos += (size_t)n + 1;
	return true;
}

/* A count of items of at least min_size bytes each that must fit in what is left. */
static bool get_count(cur *c, uint32_t *n, size_t min_size)
{
	if (!get_u32(c, n))
		return false;
	if ((size_t)*n > (c->end - c->pos) / min_size)
		return fail(c, "a count larger than the rest of the file");
	return true;
}

static bool get_strv(cur *c, rt_arena *arena, rt_strv *out)
{
	uint32_t n;
	if (!get_count(c, &n, 5))
		return false;
	*out = (rt_strv){ 0 };
	if (!n)
		return true;
	out->v = rt_alloc_array(arena, n, sizeof(*out->v));
	out->cap = n;
	for (; out->n < n; out->n++)
		if (!get_str(c, &out->v[out->n], NULL, false))
			return false;
	return true;
}

static bool get_ident(cur *c, const char **s, bool optional)
{
	if (!get_str(c, s, NULL, optional))
		return false;
	return !*s || rt_config_valid_identifier(*s) || fail(c, "not a valid table or schema name");
}

static bool get_settings(cur *c, rt_bundle *b)
{
	unsigned pk = 0, tx = 0;
	if (!get_ident(c, &b->version_table, false) ||
	    !get_ident(c, &b->version_table_schema, true) || !get_u8(c, &pk) ||
	    !get_ident(c, &b->history_table, false) || !get_u8(c, &tx))
		return false;
	if (pk > 1 || tx > 1)
		return fail(c, "an unknown setting value");
	b->version_table_pk = pk;
	b->transaction = tx ? RT_TX_SINGLE : RT_TX_PER_MIGRATION;
	return true;
}

/* Walks one body record (validating it); *origin is its kind. */
static bool skip_body(cur *c, rt_bundle_origin *origin)
{
	unsigned kind, code, flags;
	uint32_t n, line, col;
	const char *s;
	if (!get_u8(c, &kind))
		return false;
	if (kind > RT_BUNDLE_REFUSED)
		return fail(c, "an unknown body kind");
	*origin = (rt_bundle_origin)kind;
	if (kind == RT_BUNDLE_REFUSED) {
		if (!get_u8(c, &code))
			return false;
		if (!bundle_refusal_code_ok(-(int)code))
			return fail(c, "an unknown refusal code");
		return get_str(c, &s, NULL, false) && get_str(c, &s, NULL, true) &&
		       get_str(c, &s, NULL, true) && get_u32(c, &line) && get_u32(c, &col);
	}
	if (!get_count(c, &n, 6))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		if (!get_u8(c, &flags))
			return false;
		if (flags > 7)
			return fail(c, "unknown statement flags");
		if (!get_str(c, &s, NULL, false) || ((flags & 2) && !get_str(c, &s, NULL, false)) ||
		    ((flags & 4) && (!get_str(c, &s, NULL, false) || !get_str(c, &s, NULL, true))))
			return false;
	}
	return true;
}

static bool get_revision(cur *c, rt_arena *arena, brev *br, unsigned index)
{
	rt_revision *r = &br->rev;
	unsigned origin;
	uint32_t line, col;
	const char *sum, *doc;
	size_t sumlen;
	if (!get_str(c, &r->id, NULL, false) || !get_u8(c, &origin) ||
	    !get_str(c, &r->path, NULL, false) || !get_str(c, &r->sidecar_path, NULL, true) ||
	    !get_u32(c, &line) || !get_u32(c, &col) || !get_strv(c, arena, &r->down) ||
	    !get_strv(c, arena, &r->labels) || !get_strv(c, arena, &r->depends) ||
	    !get_str(c, &r->message, NULL, true) || !get_str(c, &doc, NULL, true) ||
	    !get_str(c, &sum, &sumlen, false))
		return false;
	if (origin > RT_REV_SQL)
		return fail(c, "an unknown revision origin");
	if (!rt_checksum_valid(sum))
		return fail(c, "a checksum that is not 64 lowercase hex digits");
	r->origin = (rt_rev_origin)origin;
	r->loc = (rt_loc){ .path = r->path, .line = line, .col = col };
	r->load_order = index;
	memcpy(r->checksum, sum, sizeof(r->checksum));
	if (r->origin == RT_REV_PY) {
		br->doc = (rt_revfile){ .revision = r->id, .message = r->message, .doc = doc };
		r->py = &br->doc;
	}
	for (int dir = RT_UPGRADE; dir <= RT_DOWNGRADE; dir++) {
		br->body[dir] = c->pos;
		if (!skip_body(c, &br->origin[dir]))
			return false;
	}
	return true;
}

static bool get_contents(cur *c, rt_arena *arena, rt_bundle *b)
{
	uint32_t n;
	if (!get_settings(c, b) || !get_count(c, &n, 100))
		return false;
	b->revs = rt_alloc_array(arena, n ? n : 1, sizeof(*b->revs));
	b->project->revs = rt_alloc_array(arena, n ? n : 1, sizeof(*b->project->revs));
	for (uint32_t i = 0; i < n; i++) {
		if (!get_revision(c, arena, &b->revs[i], i))
			return false;
		b->project->revs[i] = &b->revs[i].rev;
	}
	b->project->n = n;
	return c->pos == c->end || fail(c, "bytes after the last revision");
}

int rt_bundle_parse(rt_bundle **out, rt_arena *arena, const char *path, const void *data,
                    size_t len, rt_error *err)
{
	*out = NULL;
	if (sodium_init() < 0)
		return rt_error_set(err, RT_ERROR, NULL, "libsodium cannot be initialised");
	rt_bundle *b = rt_alloc(arena, sizeof(*b));
	b->path = rt_strdup(arena, path);
	b->project = rt_alloc(arena, sizeof(*b->project));
	unsigned char *copy = rt_alloc_raw(arena, len ? len : 1);
	memcpy(copy, data, len);
	b->data = copy;
	b->len = len;

	if (len < BUNDLE_HEADER_LEN || memcmp(copy, RT_BUNDLE_MAGIC, BUNDLE_MAGIC_LEN) != 0) {
		rt_error_set(err, RT_ESYNTAX, NULL, "'%s' is not a retort bundle", path);
		rt_error_hint(err, "'retort bundle -o FILE' writes one");
		return RT_ESYNTAX;
	}
	b->version = le32(copy + 8);
	if (b->version != RT_BUNDLE_FORMAT_VERSION) {
		rt_error_set(err, RT_ESYNTAX, NULL, "bundle '%s' has format version %u; this retort "
		             "reads version %u", path, b->version, RT_BUNDLE_FORMAT_VERSION);
		rt_error_hint(err, "write it again with this retort, or run the retort that wrote it");
		return RT_ESYNTAX;
	}
	uint64_t plen = 0;
	for (int i = 7; i >= 0; i--)
		plen = plen << 8 | copy[16 + i];
	size_t body_end = BUNDLE_HEADER_LEN + (size_t)plen; /* header and payload */
	if (le32(copy + 12) != 0 || plen > len || body_end + BUNDLE_HASH_LEN + 1 > len) {
		rt_error_set(err, RT_ESYNTAX, NULL, "bundle '%s' is malformed: its header does not "
		             "match its size (%zu bytes)", path, len);
		rt_error_hint(err, "the file is truncated or damaged; copy or write it again");
		return RT_ESYNTAX;
	}
	size_t sig_at = body_end + BUNDLE_HASH_LEN, nsig = copy[sig_at];
	if (nsig > 1 || len != sig_at + 1 + nsig * (RT_SIGN_PUBLIC_BYTES + RT_SIGN_BYTES)) {
		rt_error_set(err, RT_ESYNTAX, NULL, "bundle '%s' is malformed: its signature block "
		             "does not end the file", path);
		rt_error_hint(err, "the file is truncated or damaged; copy or write it again");
		return RT_ESYNTAX;
	}
	unsigned char hash[BUNDLE_HASH_LEN];
	crypto_generichash(hash, sizeof(hash), copy, body_end, NULL, 0);
	if (sodium_memcmp(hash, copy + body_end, sizeof(hash)) != 0) {
		rt_error_set(err, RT_ESIGNATURE, NULL, "bundle '%s' does not match its hash: it was "
		             "changed after it was written", path);
		rt_error_hint(err, "rebuild it with 'retort bundle', or copy it again");
		return RT_ESIGNATURE;
	}
	if (nsig) {
		b->is_signed = true;
		memcpy(b->signer.bytes, copy + sig_at + 1, RT_SIGN_PUBLIC_BYTES);
		if (!rt_sign_verify(copy + sig_at + 1 + RT_SIGN_PUBLIC_BYTES, copy, sig_at,
		                    &b->signer)) {
			rt_error_set(err, RT_ESIGNATURE, NULL, "bundle '%s' has an invalid signature",
			             path);
			rt_error_hint(err, "rebuild and sign it again with 'retort bundle --sign KEY'");
			return RT_ESIGNATURE;
		}
	}
	cur c = { .b = b, .pos = BUNDLE_HEADER_LEN, .end = body_end, .err = err };
	if (!get_contents(&c, arena, b))
		return RT_ESYNTAX;
	*out = b;
	return RT_OK;
}

int rt_bundle_load(rt_bundle **out, rt_arena *arena, const char *path, rt_error *err)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return rt_error_set(err, RT_EOS, NULL, "cannot read bundle '%s': %s", path,
		                    strerror(e));
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)RT_MAX_BUNDLE_FILE) {
		close(fd);
		return S_ISREG(st.st_mode)
		       ? rt_error_set(err, RT_ELIMIT, NULL, "bundle '%s' is larger than %u bytes",
		                      path, RT_MAX_BUNDLE_FILE)
		       : rt_error_set(err, RT_EOS, NULL, "bundle '%s' is not a regular file", path);
	}
	size_t len = (size_t)st.st_size, got = 0;
	unsigned char *buf = rt_alloc_raw(arena, len ? len : 1);
	while (got < len) {
		ssize_t r = read(fd, buf + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;
			close(fd);
			return rt_error_set(err, RT_EOS, NULL, "cannot read bundle '%s': %s", path,
			                    r < 0 ? strerror(e) : "it shrank while being read");
		}
		got += (size_t)r;
	}
	close(fd);
	return rt_bundle_parse(out, arena, path, buf, len, err);
}

int rt_bundle_trust(const rt_bundle *b, const rt_sign_public *keys, size_t n, rt_error *err)
{
	if (!n)
		return RT_OK;
	char fp[RT_SIGN_FINGERPRINT_LEN + 1];
	if (!b->is_signed) {
		rt_error_set(err, RT_ESIGNATURE, NULL, "bundle '%s' is not signed, and trusted keys "
		             "are set", b->path);
		rt_error_hint(err, "build it with 'retort bundle --sign KEY' using a trusted key");
		return RT_ESIGNATURE;
	}
	for (size_t i = 0; i < n; i++)
		if (sodium_memcmp(keys[i].bytes, b->signer.bytes, RT_SIGN_PUBLIC_BYTES) == 0)
			return RT_OK;
	rt_sign_fingerprint(fp, &b->signer);
	rt_error_set(err, RT_ESIGNATURE, NULL, "bundle '%s' is signed by key %s, which is not "
	             "trusted", b->path, fp);
	rt_buf keylist = RT_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		rt_sign_fingerprint(fp, &keys[i]);
		rt_buf_printf(&keylist, "%s%s", i ? ", " : "", fp);
	}
	rt_error_detail(err, "trusted: %s", rt_buf_cstr(&keylist));
	rt_buf_release(&keylist);
	rt_error_hint(err, "sign it with a trusted key, or add its .pub with --trust");
	return RT_ESIGNATURE;
}

const rt_sign_public *rt_bundle_signer(const rt_bundle *b)
{
	return b->is_signed ? &b->signer : NULL;
}

uint32_t rt_bundle_format_version(const rt_bundle *b)
{
	return b->version;
}

rt_project *rt_bundle_project(const rt_bundle *b)
{
	return b->project;
}

void rt_bundle_settings(const rt_bundle *b, rt_config *cfg)
{
	cfg->version_table = b->version_table;
	cfg->version_table_schema = b->version_table_schema;
	cfg->version_table_pk = b->version_table_pk;
	cfg->history_table = b->history_table;
	cfg->transaction = b->transaction;
}

/* The entry of rev, one of the bundle's own revisions. */
static const brev *entry(const rt_bundle *b, const rt_revision *rev)
{
	return &b->revs[rev->load_order];
}

rt_bundle_origin rt_bundle_body_origin(const rt_bundle *b, const rt_revision *rev,
                                       rt_direction dir)
{
	return entry(b, rev)->origin[dir];
}

const char *rt_bundle_origin_name(rt_bundle_origin origin)
{
	static const char *const names[] = { "translated", "sidecar", "alembic", "refused" };
	return origin <= RT_BUNDLE_REFUSED ? names[origin] : "unknown";
}

int rt_bundle_body(const rt_bundle *b, const rt_revision *rev, rt_direction dir,
                   rt_arena *arena, rt_stmtlist *out, rt_error *err)
{
	/* the record was validated when the bundle was parsed */
	cur c = { .b = b, .pos = entry(b, rev)->body[dir] + 1, .end = b->len };
	if (entry(b, rev)->origin[dir] == RT_BUNDLE_REFUSED) {
		unsigned code = 0;
		const char *message = NULL, *hint = NULL, *path = NULL;
		uint32_t line = 0, col = 0;
		get_u8(&c, &code);
		get_str(&c, &message, NULL, false);
		get_str(&c, &hint, NULL, true);
		get_str(&c, &path, NULL, true);
		get_u32(&c, &line);
		get_u32(&c, &col);
		rt_loc loc = { .path = path, .line = line, .col = col };
		rt_error_set(err, -(int)code, path ? &loc : NULL, "%s", message);
		if (hint)
			rt_error_hint(err, "%s", hint);
		return -(int)code;
	}
	uint32_t n = 0;
	get_u32(&c, &n);
	for (uint32_t i = 0; i < n; i++) {
		unsigned flags = 0;
		rt_stmt *s = rt_alloc(arena, sizeof(*s));
		get_u8(&c, &flags);
		get_str(&c, &s->sql, &s->len, false);
		s->no_transaction = flags & 1;
		if (flags & 2)
			get_str(&c, &s->once_key, NULL, false);
		if (flags & 4) {
			get_str(&c, &s->echo, NULL, false);
			get_str(&c, &s->echo_level, NULL, true);
		}
		rt_stmtlist_push(arena, out, s);
	}
	return RT_OK;
}

/* A run sends a once-key statement for the first body that has it only, as
 * the files source's translation context does over a pass. */
static int source_body(void *ctx, const rt_step *step, rt_direction dir, rt_arena *arena,
                       rt_stmtlist *out, rt_error *err)
{
	rt_bundle_source *bs = ctx;
	rt_stmtlist all = { 0 };
	int rc = rt_bundle_body(bs->bundle, step->rev, dir, arena, &all, err);
	for (size_t i = 0; i < all.n && rc == RT_OK; i++) {
		const char *key = all.items[i]->once_key;
		if (key && rt_strv_index(&bs->sent, key) >= 0)
			continue;
		if (key)
			rt_strv_push(bs->pass, &bs->sent, key);
		rt_stmtlist_push(arena, out, all.items[i]);
	}
	return rc;
}

static void source_rewind(void *ctx)
{
	rt_bundle_source *bs = ctx;
	rt_arena_reset(bs->pass);
	bs->sent = (rt_strv){ 0 };
}

static void free_pass(void *pass)
{
	rt_arena_free(pass);
}

void rt_bundle_source_init(rt_bundle_source *bs, rt_arena *arena, const rt_bundle *b)
{
	*bs = (rt_bundle_source){
		.source = { .body = source_body, .rewind = source_rewind, .ctx = bs },
		.bundle = b,
		.pass = rt_arena_new(),
	};
	rt_arena_on_free(arena, free_pass, bs->pass);
}
