/* Growable NUL-terminated byte buffer; see include/retort/buf.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retort/arena.h"
#include "retort/buf.h"

void rt_buf_grow(rt_buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		rt_oom();
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->ptr = rt_xrealloc(b->ptr, cap);
	b->cap = cap;
	b->ptr[b->len] = '\0';
}

void rt_buf_add(rt_buf *b, const void *data, size_t n)
{
	rt_buf_grow(b, n);
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void rt_buf_puts(rt_buf *b, const char *s)
{
	rt_buf_add(b, s, strlen(s));
}

void rt_buf_putc(rt_buf *b, char c)
{
	rt_buf_add(b, &c, 1);
}

void rt_buf_vprintf(rt_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	/* one formatting pass into the room already there; measured and
	 * formatted again only when the text does not fit */
	size_t room = b->cap - b->len;
	int n = vsnprintf(room ? b->ptr + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n >= 0 && (size_t)n < room) {
		b->len += (size_t)n;
		return;
	}
	if (room)
		b->ptr[b->len] = '\0';
	if (n < 0)
		return;
	rt_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void rt_buf_printf(rt_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rt_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void rt_buf_truncate(rt_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

const char *rt_buf_cstr(const rt_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *rt_buf_detach(rt_buf *b)
{
	char *p = b->ptr ? b->ptr : rt_xstrdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void rt_buf_release(rt_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

void rt_buf_json_strn(rt_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	rt_buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': rt_buf_puts(b, "\\\""); break;
		case '\\': rt_buf_puts(b, "\\\\"); break;
		case '\n': rt_buf_puts(b, "\\n"); break;
		case '\r': rt_buf_puts(b, "\\r"); break;
		case '\t': rt_buf_puts(b, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
				rt_buf_add(b, esc, sizeof(esc));
			} else {
				rt_buf_putc(b, (char)c);
			}
		}
	}
	rt_buf_putc(b, '"');
}

void rt_buf_json_str(rt_buf *b, const char *s)
{
	if (!s)
		rt_buf_puts(b, "null");
	else
		rt_buf_json_strn(b, s, strlen(s));
}
