/*
 * Revision checksums: BLAKE2b-256 over a revision's source files, back to
 * back in one stream, each file with every CRLF folded to LF, written as
 * 64 lowercase hex digits. Exact definition: docs/file-formats.md.
 */
#ifndef RETORT_CHECKSUM_H
#define RETORT_CHECKSUM_H

#include "common.h"
#include "error.h"
#include "source.h"

#define RT_CHECKSUM_HEX_LEN 64u

/*
 * Hashes srcs[0..n) (e.g. the .py then its sidecar .sql) into hex, which
 * must hold RT_CHECKSUM_HEX_LEN + 1 bytes (NUL-terminated). RT_OK, or
 * RT_ERROR when libsodium cannot be initialised (hex is then "").
 */
int rt_checksum_sources(char *hex, const rt_source *const *srcs, size_t n, rt_error *err);

/* The same over one memory buffer (CRLF folded too). */
int rt_checksum_mem(char *hex, const void *data, size_t len, rt_error *err);

/* True when s is exactly 64 lowercase hex digits. */
bool rt_checksum_valid(const char *s);

/*
 * Constant-time comparison of two checksums; false unless both are valid
 * (rt_checksum_valid) and equal.
 */
bool rt_checksum_equal(const char *a, const char *b);

/*
 * A new revision id as Alembic makes them: 12 random lowercase hex digits
 * (48 bits from libsodium's randombytes_buf), NUL-terminated in out. RT_OK,
 * or RT_ERROR when libsodium cannot be initialised (out is then "").
 */
int rt_random_rev_id(char out[13], rt_error *err);

#endif
