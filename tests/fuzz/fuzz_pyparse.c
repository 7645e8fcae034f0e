/*
 * libFuzzer target: arbitrary bytes as an Alembic version file, parsed and
 * read for its metadata (fuzz_translate.c goes on to the bodies), then read
 * again with the def/class blocks skipped: the header read must give what
 * the full read gives unless the full read's syntax error is inside a
 * skipped block. Crashes, hangs, leaks, sanitizer reports and differences
 * (abort) are the findings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "retort/revfile.h"
#include "py/pyparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_loc(const rt_loc *a, const rt_loc *b)
{
	return a->line == b->line && a->col == b->col && a->offset == b->offset &&
	       a->len == b->len;
}

static bool same_diags(const rt_diags *a, const rt_diags *b)
{
	if (a->n != b->n || a->errors != b->errors)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const rt_diag *x = a->items[i], *y = b->items[i];
		if (x->severity != y->severity || strcmp(x->kind, y->kind) != 0 ||
		    !same_loc(&x->loc, &y->loc) || strcmp(x->message, y->message) != 0 ||
		    !same_str(x->hint, y->hint) || !same_str(x->revision, y->revision))
			return false;
	}
	return true;
}

static bool same_meta(const rt_revfile *a, const rt_revfile *b)
{
	if (!a || !b)
		return a == b;
	return same_str(a->revision, b->revision) && same_loc(&a->revision_loc, &b->revision_loc) &&
	       a->has_down_revision == b->has_down_revision && rt_strv_equal(&a->down, &b->down) &&
	       same_loc(&a->down_loc, &b->down_loc) && a->down_off == b->down_off &&
	       a->down_len == b->down_len && rt_strv_equal(&a->labels, &b->labels) &&
	       same_loc(&a->labels_loc, &b->labels_loc) && rt_strv_equal(&a->depends, &b->depends) &&
	       same_loc(&a->depends_loc, &b->depends_loc) && same_str(a->message, b->message) &&
	       same_str(a->doc, b->doc);
}

/* Is a syntax error of the full read inside a block the header read skips?
 * The first token after the block counts: "expected an indented block"
 * after a body's last header is reported there. */
static bool error_in_block(rt_arena *arena, const rt_source *src, const rt_diags *d)
{
	py_tokens t;
	rt_error err = RT_ERROR_INIT;
	py_lex(&t, arena, src, PY_LEX_SKIP_BODIES, &err);
	rt_error_clear(&err);
	for (size_t k = 0; k < d->n; k++) {
		const rt_diag *g = d->items[k];
		if (strcmp(g->kind, "syntax-error") != 0 && strcmp(g->kind, "limit") != 0)
			continue;
		for (size_t i = 0; i < t.n; i++) {
			uint32_t end = i + 1 < t.n ? t.v[i + 1].off : (uint32_t)src->len;
			if (t.v[i].kind == PY_TK_BODY && g->loc.offset >= t.v[i].off &&
			    g->loc.offset <= end)
				return true;
		}
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > RT_MAX_SOURCE_FILE)
		return 0;
	rt_arena *arena = rt_arena_new();
	rt_source *src = rt_source_from_mem(arena, "versions/abc123.py", (const char *)data, size);
	rt_diags diags;
	rt_diags_init(&diags, arena);
	rt_revfile *rf;
	int rc = rt_revfile_read(&rf, arena, src, &diags);
	if ((rc < 0) != (diags.errors > 0))
		abort(); /* the return code must agree with the diagnostics */

	rt_arena *scratch = rt_arena_new();
	rt_diags fast_diags;
	rt_diags_init(&fast_diags, arena);
	rt_revfile *fast;
	int fast_rc = rt_revfile_read_header(&fast, arena, scratch, src, &fast_diags);
	rt_arena_free(scratch);
	if (!error_in_block(arena, src, &diags) &&
	    (fast_rc != rc || !same_meta(rf, fast) || !same_diags(&diags, &fast_diags)))
		abort(); /* the header read differs from the full read */
	rt_arena_free(arena);
	return 0;
}
