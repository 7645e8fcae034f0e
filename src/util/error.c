/* rt_error (one failure, malloc-owned) and rt_diags (many findings, arena-owned). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retort/error.h"

RT_PRINTF(1, 0) static char *xvformat(const char *fmt, va_list ap)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_vprintf(&b, fmt, ap);
	return rt_buf_detach(&b);
}

void rt_error_clear(rt_error *err)
{
	if (!err)
		return;
	free(err->path);
	free(err->message);
	free(err->detail);
	free(err->hint);
	free(err->object);
	memset(err, 0, sizeof(*err));
}

int rt_error_vset(rt_error *err, rt_code code, const rt_loc *loc, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	rt_error_clear(err);
	err->code = code;
	if (loc) {
		err->loc = *loc;
		if (loc->path) {
			err->path = rt_xstrdup(loc->path);
			err->loc.path = err->path;
		}
	}
	err->message = xvformat(fmt, ap);
	return code;
}

int rt_error_set(rt_error *err, rt_code code, const rt_loc *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = rt_error_vset(err, code, loc, fmt, ap);
	va_end(ap);
	return rc;
}

void rt_error_detail(rt_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	free(err->detail);
	err->detail = xvformat(fmt, ap);
	va_end(ap);
}

void rt_error_hint(rt_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	free(err->hint);
	err->hint = xvformat(fmt, ap);
	va_end(ap);
}

void rt_error_move(rt_error *dst, rt_error *src)
{
	rt_error_clear(dst);
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

static int vprefix(rt_error *err, const char *fmt, va_list ap)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_vprintf(&b, fmt, ap);
	if (err->message)
		rt_buf_printf(&b, ": %s", err->message);
	free(err->message);
	err->message = rt_buf_detach(&b);
	return err->code;
}

int rt_error_prefix(rt_error *err, const char *fmt, ...)
{
	if (!err)
		return RT_OK;
	va_list ap;
	va_start(ap, fmt);
	int rc = vprefix(err, fmt, ap);
	va_end(ap);
	return rc;
}

int rt_error_wrap(rt_error *err, rt_code code, const rt_loc *loc, const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	if (loc) {
		free(err->path);
		err->path = NULL;
		err->loc = *loc;
		if (loc->path) {
			err->path = rt_xstrdup(loc->path);
			err->loc.path = err->path;
		}
	}
	va_list ap;
	va_start(ap, fmt);
	int rc = vprefix(err, fmt, ap);
	va_end(ap);
	return rc;
}

/* *field, then separator (when *field was set) and the formatted text. */
RT_PRINTF(3, 0) static void vappend(char **field, const char *separator, const char *fmt,
                                    va_list ap)
{
	rt_buf b = RT_BUF_INIT;
	if (*field)
		rt_buf_printf(&b, "%s%s", *field, separator);
	rt_buf_vprintf(&b, fmt, ap);
	free(*field);
	*field = rt_buf_detach(&b);
}

void rt_error_detail_append(rt_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	vappend(&err->detail, "\n", fmt, ap);
	va_end(ap);
}

void rt_error_message_append(rt_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	vappend(&err->message, "", fmt, ap);
	va_end(ap);
}

void rt_diags_init(rt_diags *d, rt_arena *arena)
{
	memset(d, 0, sizeof(*d));
	d->arena = arena;
}

static rt_diag *push(rt_diags *d, rt_severity sev, const char *kind, const rt_loc *loc)
{
	rt_diag *g = rt_alloc(d->arena, sizeof(*g));
	g->severity = sev;
	g->kind = kind;
	if (loc) {
		g->loc = *loc;
		if (loc->path)
			g->loc.path = rt_strdup(d->arena, loc->path);
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		d->items = rt_realloc_array(d->arena, d->items, d->n, cap, sizeof(*d->items));
		d->cap = cap;
	}
	d->items[d->n++] = g;
	if (sev == RT_SEV_ERROR)
		d->errors++;
	else if (sev == RT_SEV_WARNING)
		d->warnings++;
	return g;
}

rt_diag *rt_diags_add(rt_diags *d, rt_severity sev, const char *kind, const rt_loc *loc,
                      const char *hint, const char *fmt, ...)
{
	rt_diag *g = push(d, sev, kind, loc);
	va_list ap;
	va_start(ap, fmt);
	g->message = rt_vsprintf(d->arena, fmt, ap);
	va_end(ap);
	if (hint)
		g->hint = rt_strdup(d->arena, hint);
	return g;
}

rt_diag *rt_diags_add_error(rt_diags *d, const char *kind, const rt_error *err)
{
	rt_diag *g = push(d, RT_SEV_ERROR, kind, &err->loc);
	g->message = rt_strdup(d->arena, err->message ? err->message : "unknown error");
	if (err->hint)
		g->hint = rt_strdup(d->arena, err->hint);
	return g;
}

static int cmp_diag(const void *pa, const void *pb)
{
	const rt_diag *a = *(rt_diag *const *)pa, *b = *(rt_diag *const *)pb;
	const char *ap = a->loc.path ? a->loc.path : "", *bp = b->loc.path ? b->loc.path : "";
	int c = strcmp(ap, bp);
	if (c)
		return c;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col ? -1 : 1;
	return 0;
}

void rt_diags_sort(rt_diags *d)
{
	/* insertion sort: stable, and diagnostic lists are short */
	for (size_t i = 1; i < d->n; i++) {
		rt_diag *x = d->items[i];
		size_t j = i;
		while (j > 0 && cmp_diag(&d->items[j - 1], &x) > 0) {
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = x;
	}
}

void rt_loc_format(rt_buf *b, const rt_loc *loc)
{
	if (!loc || !loc->path)
		return;
	rt_buf_puts(b, loc->path);
	if (loc->line) {
		rt_buf_printf(b, ":%u", loc->line);
		if (loc->col)
			rt_buf_printf(b, ":%u", loc->col);
	}
	rt_buf_puts(b, ": ");
}
