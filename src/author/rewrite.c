/*
 * Rewriting a revision's parents in place: the byte span of down_revision's
 * value (and the rest of the docstring's "Revises:" line) is replaced, every
 * other byte kept, so a rebase shows in review as a one- or two-line diff.
 * The file is then replaced atomically (temporary file, fsync, rename).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "py/pyast.h"
#include "retort/revfile.h"
#include "retort/rewrite.h"
#include "retort/sqlfile.h"

/* A planned replacement of old[off, off+len) by text. */
struct edit {
	size_t off, len;
	rt_buf text;
};

/* A Python string literal of s in quote q (ids rarely hold q or '\'). */
static void put_quoted(rt_buf *b, const char *s, char q)
{
	rt_buf_putc(b, q);
	for (; *s; s++) {
		if (*s == q || *s == '\\')
			rt_buf_putc(b, '\\');
		rt_buf_putc(b, *s);
	}
	rt_buf_putc(b, q);
}

/* down_revision's value as Alembic's template writes it: None, 'a', ('a', 'b'). */
static void put_value(rt_buf *b, const rt_strv *parents, char q)
{
	if (parents->n == 0) {
		rt_buf_puts(b, "None");
		return;
	}
	if (parents->n > 1)
		rt_buf_putc(b, '(');
	for (size_t i = 0; i < parents->n; i++) {
		if (i)
			rt_buf_puts(b, ", ");
		put_quoted(b, parents->v[i], q);
	}
	if (parents->n > 1)
		rt_buf_putc(b, ')');
}

static void put_joined(rt_buf *b, const rt_strv *parents)
{
	for (size_t i = 0; i < parents->n; i++)
		rt_buf_printf(b, "%s%s", i ? ", " : "", parents->v[i]);
}

/* The quote character the old value used: the first one in its span. */
static char old_quote(const char *text, size_t off, size_t len)
{
	for (size_t i = off; i < off + len; i++)
		if (text[i] == '\'' || text[i] == '"')
			return text[i];
	return '\'';
}

/* The offset just past `key` when the line at s (indentation skipped) starts
 * with it, else 0. */
static size_t line_key(const char *text, size_t s, size_t end, const char *key)
{
	size_t n = strlen(key);
	while (s < end && (text[s] == ' ' || text[s] == '\t'))
		s++;
	return end - s >= n && memcmp(text + s, key, n) == 0 ? s + n : 0;
}

/*
 * The rest of the docstring's "Revises:" line (after the colon), as Alembic's
 * template writes it: at a line start inside the docstring, optionally
 * indented, right after the "Revision ID:" line; without such a line, the
 * first "Revises:" line (a message line may start so too, above the
 * template's). The value stops at the line end, a CR, or a quote or
 * backslash (the docstring's closing quotes on the same line). False when
 * there is no such line.
 */
static bool find_revises(const char *text, size_t off, size_t len, size_t *vs, size_t *ve)
{
	size_t end = off + len, first = 0, after_id = 0;
	bool prev_id = false;
	for (size_t p = off; p < end && !after_id; p++) {
		if (text[p] != '\n')
			continue;
		size_t v = line_key(text, p + 1, end, "Revises:");
		if (v && prev_id)
			after_id = v;
		if (v && !first)
			first = v;
		prev_id = line_key(text, p + 1, end, "Revision ID:") != 0;
	}
	size_t e = after_id ? after_id : first;
	if (!e)
		return false;
	*vs = e;
	while (e < end && !strchr("\n\r'\"\\", text[e]))
		e++;
	*ve = e;
	return true;
}

/* Appends text with the edits (sorted, disjoint) applied; records spans. */
static void apply(rt_buf *out, rt_rewrite_spans *spans, const char *text, size_t len,
                  struct edit *edits, size_t n)
{
	size_t base = out->len, at = 0;
	if (spans)
		spans->n = 0;
	for (size_t i = 0; i < n; i++) {
		rt_buf_add(out, text + at, edits[i].off - at);
		if (spans)
			spans->v[spans->n++] = (rt_rewrite_span){
				.off = edits[i].off, .len = edits[i].len,
				.new_off = out->len - base, .new_len = edits[i].text.len,
			};
		rt_buf_add(out, edits[i].text.ptr, edits[i].text.len);
		at = edits[i].off + edits[i].len;
		rt_buf_release(&edits[i].text);
	}
	rt_buf_add(out, text + at, len - at);
}

int rt_rewrite_down_revision_spans(rt_buf *out, rt_rewrite_spans *spans,
                                   const rt_revfile *rf, const rt_strv *parents,
                                   rt_error *err)
{
	const rt_source *src = rf->src;
	if (!src || !rf->module) /* a header-only revfile has no bytes to rewrite */
		return rt_error_set(err, RT_ERROR, NULL, "the version file's text is needed to "
		                    "rewrite it: read it with rt_revfile_read");
	if (rf->down_len == 0) {
		rt_loc loc = rf->down_loc.line ? rf->down_loc : (rt_loc){ .path = src->path };
		rt_error_set(err, RT_EUSAGE, &loc, "'down_revision' in '%s' is not a literal retort "
		             "can rewrite", src->path ? src->path : "<memory>");
		rt_error_hint(err, "write it as down_revision = 'parent_id' (or None, or a tuple of "
		                   "ids), then run the command again");
		return RT_EUSAGE;
	}
	struct edit edits[2];
	size_t n = 0;
	const py_expr *doc = rf->module ? rf->module->docstring : NULL;
	size_t vs, ve;
	/* the docstring comes first in the module, so its edit comes first */
	if (doc && doc->off + doc->len <= rf->down_off &&
	    find_revises(src->text, doc->off, doc->len, &vs, &ve)) {
		edits[n] = (struct edit){ .off = vs, .len = ve - vs, .text = RT_BUF_INIT };
		rt_buf_putc(&edits[n].text, ' ');
		put_joined(&edits[n].text, parents);
		n++;
	}
	edits[n] = (struct edit){ .off = rf->down_off, .len = rf->down_len, .text = RT_BUF_INIT };
	put_value(&edits[n].text, parents, old_quote(src->text, rf->down_off, rf->down_len));
	n++;
	apply(out, spans, src->text, src->len, edits, n);
	return RT_OK;
}

int rt_rewrite_down_revision(rt_buf *out, const rt_revfile *rf, const rt_strv *parents,
                             rt_error *err)
{
	return rt_rewrite_down_revision_spans(out, NULL, rf, parents, err);
}

int rt_rewrite_sql_down_revision(rt_buf *out, rt_rewrite_spans *spans, const rt_sqlfile *sf,
                                 const rt_strv *parents, rt_error *err)
{
	static const char key[] = "down_revision";
	const rt_source *src = sf->src;
	size_t n = 0;
	const char *line = sf->has_down_revision && sf->down_loc.line
	                   ? rt_source_line(src, sf->down_loc.line, &n) : NULL;
	const char *colon = NULL;
	for (size_t i = 0; line && !colon && i + sizeof(key) - 1 <= n; i++)
		if (memcmp(line + i, key, sizeof(key) - 1) == 0)
			colon = memchr(line + i, ':', n - i);
	if (!colon) {
		rt_loc loc = sf->down_loc.line ? sf->down_loc : (rt_loc){ .path = src->path };
		rt_error_set(err, RT_EUSAGE, &loc, "'%s' has no '-- down_revision:' header line "
		             "retort can rewrite", src->path ? src->path : "<memory>");
		rt_error_hint(err, "add a header line '-- down_revision: <parent id, or None>'");
		return RT_EUSAGE;
	}
	size_t vs = (size_t)(colon + 1 - src->text), ve = (size_t)(line + n - src->text);
	while (vs < ve && (src->text[vs] == ' ' || src->text[vs] == '\t'))
		vs++;
	while (ve > vs && strchr(" \t\r", src->text[ve - 1]))
		ve--;
	struct edit e = { .off = vs, .len = ve - vs, .text = RT_BUF_INIT };
	if (parents->n == 0)
		rt_buf_puts(&e.text, "None");
	put_joined(&e.text, parents);
	apply(out, spans, src->text, src->len, &e, 1);
	return RT_OK;
}

static size_t line_start(const char *t, size_t at)
{
	while (at > 0 && t[at - 1] != '\n')
		at--;
	return at;
}

static size_t line_end(const char *t, size_t len, size_t at)
{
	while (at < len && t[at] != '\n')
		at++;
	return at;
}

static size_t line_number(const char *t, size_t at)
{
	size_t n = 1;
	for (size_t i = 0; i < at; i++)
		n += t[i] == '\n';
	return n;
}

/* The lines of t[s, e) each prefixed with mark; returns how many. */
static size_t put_lines(rt_buf *out, char mark, const char *t, size_t s, size_t e)
{
	size_t count = 0;
	for (size_t p = s;; count++) {
		size_t q = line_end(t, e, p);
		rt_buf_putc(out, mark);
		rt_buf_add(out, t + p, q - p);
		rt_buf_putc(out, '\n');
		if (q >= e)
			return count + 1;
		p = q + 1;
	}
}

static void put_range(rt_buf *out, char sign, size_t line, size_t count)
{
	rt_buf_printf(out, "%c%zu", sign, line);
	if (count != 1)
		rt_buf_printf(out, ",%zu", count);
}

void rt_rewrite_diff(rt_buf *out, const char *path, const char *old, size_t old_len,
                     const char *new_text, size_t new_len, const rt_rewrite_spans *spans)
{
	rt_buf_printf(out, "--- %s\n+++ %s\n", path, path);
	for (size_t i = 0; i < spans->n;) {
		const rt_rewrite_span *sp = &spans->v[i];
		size_t os = line_start(old, sp->off);
		size_t ns = sp->new_off - (sp->off - os); /* the bytes before it on its line are kept */
		size_t oe = line_end(old, old_len, sp->off + sp->len);
		size_t ne = line_end(new_text, new_len, sp->new_off + sp->new_len);
		/* later spans on the same or the next line join this hunk */
		for (i++; i < spans->n && line_start(old, spans->v[i].off) <= oe + 1; i++) {
			sp = &spans->v[i];
			oe = line_end(old, old_len, sp->off + sp->len);
			ne = line_end(new_text, new_len, sp->new_off + sp->new_len);
		}
		rt_buf body = RT_BUF_INIT;
		size_t nold = put_lines(&body, '-', old, os, oe);
		size_t nnew = put_lines(&body, '+', new_text, ns, ne);
		rt_buf_puts(out, "@@ ");
		put_range(out, '-', line_number(old, os), nold);
		rt_buf_putc(out, ' ');
		put_range(out, '+', line_number(new_text, ns), nnew);
		rt_buf_puts(out, " @@\n");
		rt_buf_add(out, body.ptr, body.len);
		rt_buf_release(&body);
	}
}

/* Writes all of b to fd. */
int rt_rewrite_file(const char *path, const rt_buf *text, rt_error *err)
{
	rt_loc loc = { .path = path };
	char *real = realpath(path, NULL);
	if (!real && errno != ENOENT)
		return rt_error_set(err, RT_EOS, &loc, "cannot resolve '%s': %s", path,
		                    strerror(errno));
	const char *target = real ? real : path;
	mode_t mode = 0644;
	struct stat st;
	if (stat(target, &st) == 0) {
		mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		int e = errno;
		free(real);
		return rt_error_set(err, RT_EOS, &loc, "cannot stat '%s': %s", path, strerror(e));
	}
	rt_buf dir = RT_BUF_INIT, tmp = RT_BUF_INIT;
	const char *base;
	rt_author_split_path(&dir, &base, target);
	int rc = RT_OK, e;
	const char *step = rt_author_temp_write(&tmp, rt_buf_cstr(&dir), base, text, mode, &e);
	if (step && strcmp(step, "create") == 0) {
		rc = rt_error_set(err, RT_EOS, &loc, "cannot create a temporary file beside '%s': %s",
		                  path, strerror(e));
		goto out;
	}
	if (!step && rename(tmp.ptr, target) != 0) {
		step = "rename";
		e = errno;
		unlink(tmp.ptr);
	}
	if (step) {
		rc = rt_error_set(err, RT_EOS, &loc, "cannot replace '%s': %s failed: %s", path, step,
		                  strerror(e));
		goto out;
	}
	rc = rt_author_sync_dir(rt_buf_cstr(&dir), err);
out:
	rt_buf_release(&dir);
	rt_buf_release(&tmp);
	free(real);
	return rc;
}
