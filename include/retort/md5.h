/*
 * MD5 (RFC 1321), for one thing only: SQLAlchemy shortens a generated name
 * that is too long with the last 4 hex digits of its md5 (sql/compiler.py
 * `_truncate_and_render_maxlen_name`), and the translator must produce the
 * same name. Not for anything that needs a secure hash.
 */
#ifndef RETORT_MD5_H
#define RETORT_MD5_H

#include "common.h"

#define RT_MD5_HEX_LEN 32u

/* The md5 of data[0..len) as 32 lowercase hex digits, NUL-terminated in hex. */
void rt_md5_hex(char hex[RT_MD5_HEX_LEN + 1], const void *data, size_t len);

#endif
