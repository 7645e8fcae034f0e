/*
 * Revision checksums: BLAKE2b-256 (libsodium crypto_generichash, no key)
 * over a revision's source files back to back, CRLF folded to LF within
 * each file. With random.c and sign.c, the only files that include <sodium.h>.
 */
#include <string.h>

#include <sodium.h>

#include "crypto_int.h"
#include "retort/checksum.h"

int rt_crypto_init(rt_error *err)
{
	/* sodium_init is idempotent and thread-safe: 0 first time, 1 after */
	if (sodium_init() < 0)
		return rt_error_set(err, RT_ERROR, NULL, "cannot initialise libsodium");
	return RT_OK;
}

/* Feeds data with every "\r\n" replaced by "\n"; a lone '\r' is kept. */
static void update_folded(crypto_generichash_state *st, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *cr = memchr(p, '\r', (size_t)(end - p));
		if (!cr || cr + 1 == end || cr[1] != '\n') {
			const char *upto = cr ? cr + 1 : end;
			crypto_generichash_update(st, (const unsigned char *)p, (size_t)(upto - p));
			p = upto;
			continue;
		}
		crypto_generichash_update(st, (const unsigned char *)p, (size_t)(cr - p));
		p = cr + 1; /* continue at the '\n' */
	}
}

static void finish(crypto_generichash_state *st, char *hex)
{
	unsigned char digest[32];
	crypto_generichash_final(st, digest, sizeof(digest));
	sodium_bin2hex(hex, RT_CHECKSUM_HEX_LEN + 1, digest, sizeof(digest));
}

int rt_checksum_sources(char *hex, const rt_source *const *srcs, size_t n, rt_error *err)
{
	hex[0] = '\0';
	if (rt_crypto_init(err) < 0)
		return RT_ERROR;
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, 32);
	for (size_t i = 0; i < n; i++)
		update_folded(&st, srcs[i]->text, srcs[i]->len);
	finish(&st, hex);
	return RT_OK;
}

int rt_checksum_mem(char *hex, const void *data, size_t len, rt_error *err)
{
	hex[0] = '\0';
	if (rt_crypto_init(err) < 0)
		return RT_ERROR;
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, 32);
	update_folded(&st, data, len);
	finish(&st, hex);
	return RT_OK;
}

bool rt_checksum_valid(const char *s)
{
	size_t i = 0;
	for (; s[i] && i <= RT_CHECKSUM_HEX_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == RT_CHECKSUM_HEX_LEN;
}

bool rt_checksum_equal(const char *a, const char *b)
{
	if (!rt_checksum_valid(a) || !rt_checksum_valid(b))
		return false;
	return sodium_memcmp(a, b, RT_CHECKSUM_HEX_LEN) == 0;
}

int rt_random_rev_id(char out[13], rt_error *err)
{
	out[0] = '\0';
	if (rt_crypto_init(err) < 0)
		return RT_ERROR;
	unsigned char bytes[6];
	randombytes_buf(bytes, sizeof(bytes));
	sodium_bin2hex(out, 13, bytes, sizeof(bytes));
	return RT_OK;
}
