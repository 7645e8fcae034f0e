/*
 * Ed25519 signing keys and detached signatures (include/retort/sign.h), all
 * from libsodium. Secret key bytes, and the text lines that hold them, are
 * wiped with sodium_memzero as soon as they are used.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto_int.h"
#include "retort/sign.h"

#define SECRET_PREFIX "retort-ed25519-secret "
#define PUBLIC_PREFIX "retort-ed25519-public "
#define B64 sodium_base64_VARIANT_ORIGINAL

/* What one kind of key file holds, and the other kind (to name a mix-up). */
struct key_kind {
	const char *prefix, *what, *other_prefix, *other_what;
	size_t nbytes;
};
static const struct key_kind secret_kind = {
	SECRET_PREFIX, "secret", PUBLIC_PREFIX, "public", RT_SIGN_SECRET_BYTES,
};
static const struct key_kind public_kind = {
	PUBLIC_PREFIX, "public", SECRET_PREFIX, "secret", RT_SIGN_PUBLIC_BYTES,
};

int rt_sign_keypair(rt_sign_secret *sk, rt_sign_public *pk, rt_error *err)
{
	if (rt_crypto_init(err) < 0)
		return RT_ERROR;
	crypto_sign_keypair(pk->bytes, sk->bytes);
	return RT_OK;
}

void rt_sign_secret_wipe(rt_sign_secret *sk)
{
	sodium_memzero(sk->bytes, sizeof(sk->bytes));
}

void rt_sign_line_wipe(char line[RT_SIGN_LINE_MAX])
{
	sodium_memzero(line, RT_SIGN_LINE_MAX);
}

static void format_line(char line[RT_SIGN_LINE_MAX], const struct key_kind *k,
                        const unsigned char *bytes)
{
	size_t plen = strlen(k->prefix);
	memcpy(line, k->prefix, plen);
	sodium_bin2base64(line + plen, RT_SIGN_LINE_MAX - plen - 1, bytes, k->nbytes, B64);
	size_t len = strlen(line);
	line[len] = '\n';
	line[len + 1] = '\0';
}

void rt_sign_format_secret(char line[RT_SIGN_LINE_MAX], const rt_sign_secret *sk)
{
	format_line(line, &secret_kind, sk->bytes);
}

void rt_sign_format_public(char line[RT_SIGN_LINE_MAX], const rt_sign_public *pk)
{
	format_line(line, &public_kind, pk->bytes);
}

static bool starts_with(const char *text, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);
	return len >= plen && memcmp(text, prefix, plen) == 0;
}

/* One key line (an optional "\n" or "\r\n" after it, nothing else) into out,
 * k->nbytes long; out is untouched on failure. */
static int parse_line(unsigned char *out, const struct key_kind *k, const char *text, size_t len,
                      const char *path, rt_error *err)
{
	rt_loc loc = { .path = path, .line = 1, .col = 1 };
	const char *nl = memchr(text, '\n', len);
	size_t line_len = nl ? (size_t)(nl - text) : len;
	if (nl && line_len + 1 < len) {
		loc.line = 2;
		rt_error_set(err, RT_ESYNTAX, &loc, "unexpected text after the %s key line", k->what);
		rt_error_hint(err, "a key file holds exactly one line, as 'retort keygen' writes it");
		return RT_ESYNTAX;
	}
	if (line_len > 0 && text[line_len - 1] == '\r')
		line_len--;
	if (starts_with(text, line_len, k->other_prefix)) {
		rt_error_set(err, RT_ESYNTAX, &loc, "this is a %s key, not a %s key", k->other_what,
		             k->what);
		rt_error_hint(err, "'retort keygen FILE' writes the secret key to FILE and the public "
		                   "key to FILE.pub");
		return RT_ESYNTAX;
	}
	if (!starts_with(text, line_len, k->prefix)) {
		rt_error_set(err, RT_ESYNTAX, &loc, "not a retort %s key: the line must start with '%s'",
		             k->what, k->prefix);
		rt_error_hint(err, "'retort keygen' writes key files");
		return RT_ESYNTAX;
	}
	size_t plen = strlen(k->prefix), got = 0;
	const char *b64 = text + plen, *end = NULL;
	unsigned char bin[RT_SIGN_SECRET_BYTES];
	int bad = sodium_base642bin(bin, k->nbytes, b64, line_len - plen, NULL, &got, &end, B64);
	if (bad || end != text + line_len || got != k->nbytes) {
		sodium_memzero(bin, sizeof(bin));
		loc.col = (uint32_t)(plen + 1);
		rt_error_set(err, RT_ESYNTAX, &loc, "the %s key is not %zu bytes in padded base64",
		             k->what, k->nbytes);
		rt_error_hint(err, "the file was changed or cut short; use the file 'retort keygen' "
		                   "wrote, or make a new pair");
		return RT_ESYNTAX;
	}
	memcpy(out, bin, k->nbytes);
	sodium_memzero(bin, sizeof(bin));
	return RT_OK;
}

/* True when sk's second half is the public key its seed (first half) gives. */
static bool secret_consistent(const rt_sign_secret *sk)
{
	unsigned char pk[RT_SIGN_PUBLIC_BYTES], again[RT_SIGN_SECRET_BYTES];
	crypto_sign_seed_keypair(pk, again, sk->bytes);
	bool same = sodium_memcmp(again, sk->bytes, sizeof(again)) == 0;
	sodium_memzero(again, sizeof(again));
	return same;
}

int rt_sign_parse_secret(rt_sign_secret *sk, const char *text, size_t len, const char *path,
                         rt_error *err)
{
	if (rt_crypto_init(err) < 0)
		return RT_ERROR;
	int rc = parse_line(sk->bytes, &secret_kind, text, len, path, err);
	if (rc < 0)
		return rc;
	if (!secret_consistent(sk)) {
		rt_sign_secret_wipe(sk);
		rt_loc loc = { .path = path, .line = 1, .col = (uint32_t)strlen(SECRET_PREFIX) + 1 };
		rt_error_set(err, RT_ESYNTAX, &loc,
		             "the secret key is damaged: its public half does not match its seed");
		rt_error_hint(err, "use the file 'retort keygen' wrote, or make a new pair");
		return RT_ESYNTAX;
	}
	return RT_OK;
}

int rt_sign_parse_public(rt_sign_public *pk, const char *text, size_t len, const char *path,
                         rt_error *err)
{
	return parse_line(pk->bytes, &public_kind, text, len, path, err);
}

/* The whole key file (at most RT_SIGN_LINE_MAX bytes) into buf; *len its size. */
static int read_key_file(char buf[RT_SIGN_LINE_MAX], size_t *len, const char *path, rt_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rt_error_set(err, RT_EOS, NULL, "cannot open key file '%s': %s", path,
		                    strerror(errno));
	size_t n = 0;
	ssize_t got;
	char extra;
	while (n < RT_SIGN_LINE_MAX &&
	       (got = read(fd, buf + n, RT_SIGN_LINE_MAX - n)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			close(fd);
			return rt_error_set(err, RT_EOS, NULL, "cannot read key file '%s': %s", path,
			                    strerror(e));
		}
		n += (size_t)got;
	}
	bool longer = n == RT_SIGN_LINE_MAX && read(fd, &extra, 1) > 0;
	close(fd);
	if (longer) {
		rt_loc loc = { .path = path };
		return rt_error_set(err, RT_ESYNTAX, &loc,
		                    "too long for a key file (a key line is under %u bytes)",
		                    RT_SIGN_LINE_MAX);
	}
	*len = n;
	return RT_OK;
}

int rt_sign_read_secret(rt_sign_secret *sk, const char *path, rt_error *err)
{
	char buf[RT_SIGN_LINE_MAX];
	size_t len = 0;
	int rc = read_key_file(buf, &len, path, err);
	if (rc == RT_OK)
		rc = rt_sign_parse_secret(sk, buf, len, path, err);
	rt_sign_line_wipe(buf);
	return rc;
}

int rt_sign_read_public(rt_sign_public *pk, const char *path, rt_error *err)
{
	char buf[RT_SIGN_LINE_MAX];
	size_t len = 0;
	int rc = read_key_file(buf, &len, path, err);
	return rc == RT_OK ? rt_sign_parse_public(pk, buf, len, path, err) : rc;
}

static int exists_error(const char *path, rt_error *err)
{
	rt_error_set(err, RT_EUSAGE, NULL, "'%s' already exists", path);
	rt_error_hint(err, "retort keygen never overwrites a key file; choose another name");
	return RT_EUSAGE;
}

/* line into a new file at path with mode, fsynced; on failure the file is gone. */
static int write_new(const char *path, const char *line, mode_t mode, rt_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return errno == EEXIST ? exists_error(path, err)
		                       : rt_error_set(err, RT_EOS, NULL, "cannot create '%s': %s", path,
		                                      strerror(errno));
	size_t len = strlen(line), done = 0;
	const char *step = NULL;
	while (done < len && !step) {
		ssize_t w = write(fd, line + done, len - done);
		if (w < 0 && errno != EINTR)
			step = "write";
		done += w > 0 ? (size_t)w : 0;
	}
	if (!step && fsync(fd) != 0)
		step = "fsync";
	int e = errno;
	if (close(fd) != 0 && !step) {
		step = "close";
		e = errno;
	}
	if (!step)
		return RT_OK;
	unlink(path);
	return rt_error_set(err, RT_EOS, NULL, "cannot write '%s': %s failed: %s", path, step,
	                    strerror(e));
}

int rt_sign_keygen_files(const char *secret_path, const char *public_path, rt_sign_public *pk,
                         rt_error *err)
{
	struct stat st;
	/* both refused up front, so an existing .pub leaves no secret file behind */
	if (lstat(secret_path, &st) == 0)
		return exists_error(secret_path, err);
	if (lstat(public_path, &st) == 0)
		return exists_error(public_path, err);
	rt_sign_secret sk;
	char line[RT_SIGN_LINE_MAX];
	int rc = rt_sign_keypair(&sk, pk, err);
	if (rc < 0)
		return rc;
	rt_sign_format_secret(line, &sk);
	rt_sign_secret_wipe(&sk);
	rc = write_new(secret_path, line, 0600, err);
	rt_sign_line_wipe(line);
	if (rc < 0)
		return rc;
	rt_sign_format_public(line, pk);
	rc = write_new(public_path, line, 0644, err);
	if (rc < 0)
		unlink(secret_path);
	return rc;
}

void rt_sign_fingerprint(char out[RT_SIGN_FINGERPRINT_LEN + 1], const rt_sign_public *pk)
{
	unsigned char digest[32];
	char hex[17];
	crypto_generichash(digest, sizeof(digest), pk->bytes, sizeof(pk->bytes), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), digest, 8);
	for (size_t g = 0, o = 0; g < 4; g++) {
		memcpy(out + o, hex + 4 * g, 4);
		o += 4;
		out[o++] = g < 3 ? ' ' : '\0';
	}
}

int rt_sign_detached(unsigned char sig[RT_SIGN_BYTES], const void *data, size_t len,
                     const rt_sign_secret *sk, rt_error *err)
{
	if (rt_crypto_init(err) < 0)
		return RT_ERROR;
	crypto_sign_detached(sig, NULL, data, len, sk->bytes);
	return RT_OK;
}

bool rt_sign_verify(const unsigned char sig[RT_SIGN_BYTES], const void *data, size_t len,
                    const rt_sign_public *pk)
{
	if (rt_crypto_init(NULL) < 0)
		return false;
	return crypto_sign_verify_detached(sig, data, len, pk->bytes) == 0;
}
