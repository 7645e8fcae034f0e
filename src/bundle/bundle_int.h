/* Private to src/bundle: the layout constants the writer and reader share
 * (docs/file-formats.md §6). */
#ifndef RETORT_BUNDLE_INT_H
#define RETORT_BUNDLE_INT_H

#include "retort/bundle.h"

#define BUNDLE_MAGIC_LEN 8u
#define BUNDLE_HEADER_LEN 24u  /* magic, u32 version, u32 flags, u64 payload length */
#define BUNDLE_HASH_LEN 32u    /* BLAKE2b-256 of header and payload */
#define BUNDLE_ABSENT 0xffffffffu /* the length of a string that is not there */

/* Which kinds of failure a refused direction may record: those
 * rt_revision_body gives for a body that cannot be produced. */
bool bundle_refusal_code_ok(int code);

#endif
