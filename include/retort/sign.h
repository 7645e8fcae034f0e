/*
 * Ed25519 signing keys (libsodium): key pairs, their one-line text files,
 * a short fingerprint of a public key, and detached signatures over a byte
 * buffer. File formats: docs/file-formats.md, "Signing keys".
 *
 * A secret key is wiped (rt_sign_secret_wipe) by whoever holds it, once used.
 */
#ifndef RETORT_SIGN_H
#define RETORT_SIGN_H

#include "common.h"
#include "error.h"

#define RT_SIGN_PUBLIC_BYTES 32u
#define RT_SIGN_SECRET_BYTES 64u /* libsodium's layout: the 32-byte seed, then the public key */
#define RT_SIGN_BYTES 64u        /* a detached signature */
#define RT_SIGN_FINGERPRINT_LEN 19u /* "xxxx xxxx xxxx xxxx" */
#define RT_SIGN_LINE_MAX 128u    /* room for either key line, its newline and a NUL */

typedef struct rt_sign_public {
	unsigned char bytes[RT_SIGN_PUBLIC_BYTES];
} rt_sign_public;

typedef struct rt_sign_secret {
	unsigned char bytes[RT_SIGN_SECRET_BYTES];
} rt_sign_secret;

/* A new key pair from libsodium's generator. RT_OK, or RT_ERROR when libsodium
 * cannot be initialised. */
int rt_sign_keypair(rt_sign_secret *sk, rt_sign_public *pk, rt_error *err);

/* Overwrites sk with zeros in a way the compiler keeps. */
void rt_sign_secret_wipe(rt_sign_secret *sk);

/* The key file lines, "retort-ed25519-secret BASE64\n" and
 * "retort-ed25519-public BASE64\n", NUL-terminated in line. The caller wipes a
 * secret line with rt_sign_line_wipe once it is written. */
void rt_sign_format_secret(char line[RT_SIGN_LINE_MAX], const rt_sign_secret *sk);
void rt_sign_format_public(char line[RT_SIGN_LINE_MAX], const rt_sign_public *pk);
void rt_sign_line_wipe(char line[RT_SIGN_LINE_MAX]);

/*
 * A key file's text (len bytes) back into a key; path names the file in
 * errors, which say where (path:line:col) and what is wrong: RT_ESYNTAX for a
 * malformed line, a key of the other kind, or a secret key whose halves do not
 * belong together.
 */
int rt_sign_parse_secret(rt_sign_secret *sk, const char *text, size_t len, const char *path,
                         rt_error *err);
int rt_sign_parse_public(rt_sign_public *pk, const char *text, size_t len, const char *path,
                         rt_error *err);

/* The same, read from the file at path (RT_EOS when it cannot be read). */
int rt_sign_read_secret(rt_sign_secret *sk, const char *path, rt_error *err);
int rt_sign_read_public(rt_sign_public *pk, const char *path, rt_error *err);

/*
 * A new key pair written to secret_path (mode 0600) and public_path (0644),
 * each created exclusively and fsynced: an existing file at either path is
 * RT_EUSAGE naming it, with nothing written. When the public file fails, the
 * secret file is removed again. The public key is returned in pk.
 */
int rt_sign_keygen_files(const char *secret_path, const char *public_path, rt_sign_public *pk,
                         rt_error *err);

/* The first 16 hex digits of BLAKE2b-256 over the 32 key bytes, in groups
 * of four: "1a2b 3c4d 5e6f 7081", NUL-terminated. */
void rt_sign_fingerprint(char out[RT_SIGN_FINGERPRINT_LEN + 1], const rt_sign_public *pk);

/* A detached Ed25519 signature of data[0..len) into sig. RT_OK, or RT_ERROR
 * when libsodium cannot be initialised. */
int rt_sign_detached(unsigned char sig[RT_SIGN_BYTES], const void *data, size_t len,
                     const rt_sign_secret *sk, rt_error *err);

/* True when sig is pk's signature of data[0..len). */
bool rt_sign_verify(const unsigned char sig[RT_SIGN_BYTES], const void *data, size_t len,
                    const rt_sign_public *pk);

#endif
