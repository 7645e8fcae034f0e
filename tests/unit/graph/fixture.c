/* Graph fixture loader for the unit tests (see fixture.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static void split_list(rt_arena *a, char *s, rt_strv *out)
{
	for (char *p = s; p && *p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		char *item = trim(p);
		if (*item)
			rt_strv_push(a, out, rt_strdup(a, item));
		p = comma ? comma + 1 : NULL;
	}
}

static rt_loc at(const char *path, uint32_t line, uint32_t col)
{
	rt_loc l = { .path = path, .line = line, .col = col };
	return l;
}

fx *fx_text(const char *text)
{
	fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->arena = rt_arena_new();
	rt_diags_init(&f->diags, f->arena);
	rt_ptrvec revs = { 0 };
	char *copy = rt_strdup(f->arena, text);
	uint32_t lineno = 0;
	for (char *line = copy; line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		char *t = trim(line);
		if (*t && *t != '#') {
			char *field[6] = { 0 };
			char *p = t;
			for (int k = 0; k < 6 && p; k++) {
				char *bar = k < 5 ? strchr(p, '|') : NULL;
				if (bar)
					*bar = '\0';
				field[k] = trim(p);
				p = bar ? bar + 1 : NULL;
			}
			rt_revision *r = rt_alloc(f->arena, sizeof(*r));
			r->path = rt_strdup(f->arena, field[0] ? field[0] : "");
			r->id = rt_strdup(f->arena, field[1] ? field[1] : "");
			split_list(f->arena, field[2], &r->down);
			split_list(f->arena, field[3], &r->labels);
			split_list(f->arena, field[4], &r->depends);
			r->message = field[5] ? rt_strdup(f->arena, field[5]) : NULL;
			r->loc = at(r->path, lineno, 1);
			r->down_loc = at(r->path, lineno, 2);
			r->labels_loc = at(r->path, lineno, 3);
			r->depends_loc = at(r->path, lineno, 4);
			r->load_order = (unsigned)revs.n;
			rt_ptrvec_push(f->arena, &revs, r);
		}
		line = nl ? nl + 1 : NULL;
	}
	f->revs = (rt_revision **)revs.items;
	f->n = revs.n;
	f->rc = rt_graph_build(&f->g, f->arena, f->revs, f->n, &f->diags);
	return f;
}

fx *fx_load(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.txt", GRAPH_FIXTURES, name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open fixture '%s'", path);
	rt_buf b = RT_BUF_INIT;
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		rt_buf_add(&b, chunk, got);
	fclose(fp);
	fx *f = fx_text(rt_buf_cstr(&b));
	rt_buf_release(&b);
	return f;
}

void fx_free(fx *f)
{
	rt_arena_free(f->arena);
	free(f);
}

const rt_diag *fx_diag(const rt_diags *d, const char *kind, size_t nth)
{
	for (size_t k = 0; k < d->n; k++)
		if (strcmp(d->items[k]->kind, kind) == 0 && nth-- == 0)
			return d->items[k];
	return NULL;
}

size_t fx_count(const rt_diags *d, const char *kind)
{
	size_t n = 0;
	for (size_t k = 0; k < d->n; k++)
		n += strcmp(d->items[k]->kind, kind) == 0;
	return n;
}

rt_strv fx_rows(fx *f, const char *csv)
{
	rt_strv v = { 0 };
	split_list(f->arena, rt_strdup(f->arena, csv), &v);
	return v;
}

static const char *keep(fx *f, rt_buf *b)
{
	const char *s = rt_strdup(f->arena, rt_buf_cstr(b));
	rt_buf_release(b);
	return s;
}

const char *fx_ids(fx *f, const rt_revlist *l)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t k = 0; k < l->n; k++)
		rt_buf_printf(&b, "%s%s", k ? "," : "", l->v[k]->id);
	return keep(f, &b);
}

const char *fx_strv(fx *f, const rt_strv *v)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t k = 0; k < v->n; k++)
		rt_buf_printf(&b, "%s%s", k ? "," : "", v->v[k]);
	return keep(f, &b);
}

const char *fx_steps(fx *f, const rt_plan *p)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t k = 0; k < p->n; k++) {
		const rt_step *s = p->steps[k];
		const char *kind = s->kind == RT_STEP_UPGRADE ? "u" : s->kind == RT_STEP_DOWNGRADE ? "d" : "s";
		rt_buf_printf(&b, "%s%s:%s", k ? " " : "", kind,
		              s->rev ? s->rev->id : fx_strv(f, &s->to));
	}
	return keep(f, &b);
}

const char *fx_ops(fx *f, const rt_plan *p)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t k = 0; k < p->n; k++) {
		const rt_step *s = p->steps[k];
		if (k)
			rt_buf_puts(&b, "; ");
		for (size_t j = 0; j < s->nops; j++) {
			const rt_rowop *o = &s->ops[j];
			if (j)
				rt_buf_putc(&b, ' ');
			if (o->kind == RT_ROW_INSERT)
				rt_buf_printf(&b, "I:%s", o->to);
			else if (o->kind == RT_ROW_UPDATE)
				rt_buf_printf(&b, "U:%s>%s", o->from, o->to);
			else
				rt_buf_printf(&b, "D:%s", o->from);
		}
	}
	return keep(f, &b);
}
