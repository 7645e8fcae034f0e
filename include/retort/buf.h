/*
 * rt_buf: a malloc-backed growable byte buffer for building output.
 * Invariants (git strbuf): after any rt_buf_* call ptr is non-NULL and
 * ptr[len] == '\0'. RT_BUF_INIT is valid and empty; rt_buf_cstr() of an
 * untouched buffer returns "". Free with rt_buf_release, or take ownership
 * of the malloc'd string with rt_buf_detach.
 */
#ifndef RETORT_BUF_H
#define RETORT_BUF_H

#include <stdarg.h>
#include "common.h"

typedef struct rt_buf {
	char *ptr;
	size_t len, cap;
} rt_buf;

#define RT_BUF_INIT { NULL, 0, 0 }

void rt_buf_grow(rt_buf *b, size_t extra);
void rt_buf_add(rt_buf *b, const void *data, size_t n);
void rt_buf_puts(rt_buf *b, const char *s);
void rt_buf_putc(rt_buf *b, char c);
void rt_buf_printf(rt_buf *b, const char *fmt, ...) RT_PRINTF(2, 3);
void rt_buf_vprintf(rt_buf *b, const char *fmt, va_list ap) RT_PRINTF(2, 0);
void rt_buf_truncate(rt_buf *b, size_t len);
const char *rt_buf_cstr(const rt_buf *b);
char *rt_buf_detach(rt_buf *b);
void rt_buf_release(rt_buf *b);

/* Appends s as a JSON string literal, quotes included. */
void rt_buf_json_str(rt_buf *b, const char *s);
void rt_buf_json_strn(rt_buf *b, const char *s, size_t n);

#endif
