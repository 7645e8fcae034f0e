/*
 * Alembic version files read statically: the module-level literals Alembic
 * reads (revision, down_revision, branch_labels, depends_on), the docstring
 * (message and whole text), and the upgrade()/downgrade() definitions. The
 * bodies are the translator's (src/translate/); nothing here guesses at
 * values it cannot read as literals.
 */
#include <string.h>

#include "retort/revfile.h"
#include "py/pyparse.h"

#define LITERAL_HINT "version files are read statically; write the value as a literal"

enum { N_REVISION, N_DOWN, N_LABELS, N_DEPENDS, N_COUNT };
static const char *const names[N_COUNT] = {
	"revision", "down_revision", "branch_labels", "depends_on",
};

/* The last module-level binding of one of the names. */
struct binding {
	const py_expr *value;  /* literal candidate (plain or annotated assignment) */
	const char *other;     /* or: the construct that bound it some other way */
	uint32_t off, len;     /* where `other` is */
	size_t index;          /* module statement index */
	bool bound;
};

struct reader {
	rt_arena *arena;
	const rt_source *src;
	rt_diags *diags;
	rt_revfile *rf;
	struct binding b[N_COUNT];
};

static int watched(const char *name)
{
	for (int i = 0; i < N_COUNT; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

static rt_loc span_loc(const struct reader *r, uint32_t off, uint32_t len)
{
	return py_loc(r->src, off, len);
}

static void bind_other(struct reader *r, const char *name, const char *how, uint32_t off,
                       uint32_t len, size_t index)
{
	int w = watched(name);
	if (w < 0)
		return;
	r->b[w] = (struct binding){ .other = how, .off = off, .len = len, .index = index,
	                            .bound = true };
}

/* target = value, recursing into tuple unpacking of equal length. */
static void bind_target(struct reader *r, const py_expr *target, const py_expr *value,
                        size_t index)
{
	if (target->kind == PY_E_NAME) {
		int w = watched(target->u.name.id);
		if (w >= 0)
			r->b[w] = (struct binding){ .value = value, .index = index, .bound = true };
		return;
	}
	if (target->kind != PY_E_TUPLE && target->kind != PY_E_LIST)
		return;
	const py_exprs *t = &target->u.seq.elts;
	bool pairwise = (value->kind == PY_E_TUPLE || value->kind == PY_E_LIST) &&
	                value->u.seq.elts.n == t->n;
	for (size_t i = 0; pairwise && i < t->n; i++)
		if (t->v[i]->kind == PY_E_STARRED || value->u.seq.elts.v[i]->kind == PY_E_STARRED)
			pairwise = false;
	for (size_t i = 0; i < t->n; i++) {
		const py_expr *e = t->v[i];
		if (pairwise)
			bind_target(r, e, value->u.seq.elts.v[i], index);
		else if (e->kind == PY_E_STARRED && e->u.unary.operand->kind == PY_E_NAME)
			bind_other(r, e->u.unary.operand->u.name.id, "a starred assignment", e->off,
			           e->len, index);
		else if (e->kind == PY_E_NAME)
			bind_other(r, e->u.name.id, "an unpacking assignment", e->off, e->len, index);
	}
}

/* Does this statement list (not entering def/class bodies) assign a
 * watched name? Returns the first such target. */
static const py_expr *nested_assign(const py_stmts *body, int *which);

static const py_expr *target_assigns(const py_expr *t, int *which)
{
	if (t->kind == PY_E_NAME) {
		*which = watched(t->u.name.id);
		return *which >= 0 ? t : NULL;
	}
	if (t->kind == PY_E_STARRED)
		return target_assigns(t->u.unary.operand, which);
	if (t->kind == PY_E_TUPLE || t->kind == PY_E_LIST)
		for (size_t i = 0; i < t->u.seq.elts.n; i++) {
			const py_expr *hit = target_assigns(t->u.seq.elts.v[i], which);
			if (hit)
				return hit;
		}
	return NULL;
}

static const py_expr *stmt_assigns(const py_stmt *s, int *which)
{
	const py_expr *hit = NULL;
	switch (s->kind) {
	case PY_S_ASSIGN:
		for (size_t i = 0; !hit && i < s->u.assign.targets.n; i++)
			hit = target_assigns(s->u.assign.targets.v[i], which);
		return hit;
	case PY_S_ANNASSIGN:
		return s->u.annassign.value ? target_assigns(s->u.annassign.target, which) : NULL;
	case PY_S_AUGASSIGN:
		return target_assigns(s->u.augassign.target, which);
	case PY_S_IF:
	case PY_S_WHILE:
		if ((hit = nested_assign(&s->u.cond.body, which)))
			return hit;
		return nested_assign(&s->u.cond.orelse, which);
	case PY_S_FOR:
		if ((hit = target_assigns(s->u.for_.target, which)) ||
		    (hit = nested_assign(&s->u.for_.body, which)))
			return hit;
		return nested_assign(&s->u.for_.orelse, which);
	case PY_S_WITH:
		return nested_assign(&s->u.with.body, which);
	case PY_S_TRY:
		if ((hit = nested_assign(&s->u.try_.body, which)) ||
		    (hit = nested_assign(&s->u.try_.orelse, which)) ||
		    (hit = nested_assign(&s->u.try_.finalbody, which)))
			return hit;
		for (size_t i = 0; !hit && i < s->u.try_.handlers.n; i++)
			hit = nested_assign(&s->u.try_.handlers.v[i]->body, which);
		return hit;
	case PY_S_MATCH:
		for (size_t i = 0; !hit && i < s->u.match.cases.n; i++)
			hit = nested_assign(&s->u.match.cases.v[i]->body, which);
		return hit;
	default:
		return NULL;
	}
}

static const py_expr *nested_assign(const py_stmts *body, int *which)
{
	for (size_t i = 0; i < body->n; i++) {
		const py_expr *hit = stmt_assigns(body->v[i], which);
		if (hit)
			return hit;
	}
	return NULL;
}

static void walk_module(struct reader *r)
{
	const py_module *m = r->rf->module;
	for (size_t i = 0; i < m->body.n; i++) {
		const py_stmt *s = m->body.v[i];
		int w;
		const py_expr *hit;
		switch (s->kind) {
		case PY_S_ASSIGN:
			for (size_t k = 0; k < s->u.assign.targets.n; k++)
				bind_target(r, s->u.assign.targets.v[k], s->u.assign.value, i);
			break;
		case PY_S_ANNASSIGN:
			if (s->u.annassign.value)
				bind_target(r, s->u.annassign.target, s->u.annassign.value, i);
			break;
		case PY_S_AUGASSIGN:
			if (s->u.augassign.target->kind == PY_E_NAME)
				bind_other(r, s->u.augassign.target->u.name.id, "an augmented assignment",
				           s->off, s->len, i);
			break;
		case PY_S_DEF:
			if (strcmp(s->u.def.name, "upgrade") == 0)
				r->rf->upgrade = s;
			else if (strcmp(s->u.def.name, "downgrade") == 0)
				r->rf->downgrade = s;
			bind_other(r, s->u.def.name, "a 'def' statement", s->off, s->len, i);
			break;
		case PY_S_CLASS:
			bind_other(r, s->u.class_.name, "a 'class' statement", s->off, s->len, i);
			break;
		case PY_S_IMPORT:
		case PY_S_IMPORTFROM:
			for (size_t k = 0; k < s->u.import_.names.n; k++) {
				const py_alias *a = s->u.import_.names.v[k];
				const char *bound = a->asname ? a->asname : a->name;
				size_t n = strcspn(bound, ".");
				if (bound[n] == '\0')
					bind_other(r, bound, "an import", a->off, a->len, i);
			}
			break;
		case PY_S_DEL:
			for (size_t k = 0; k < s->u.del.targets.n; k++)
				if (s->u.del.targets.v[k]->kind == PY_E_NAME)
					bind_other(r, s->u.del.targets.v[k]->u.name.id, "a 'del' statement",
					           s->off, s->len, i);
			break;
		default:
			if ((hit = stmt_assigns(s, &w)) != NULL) {
				const char *how = rt_sprintf(r->arena, "an assignment inside a '%s' block",
				                             py_stmt_describe(s));
				r->b[w] = (struct binding){ .other = how, .off = hit->off, .len = hit->len,
				                            .index = i, .bound = true };
			}
			break;
		}
	}
}

static void diag(struct reader *r, const char *kind, uint32_t off, uint32_t len,
                 const char *hint, const char *fmt, ...) RT_PRINTF(6, 7);

static void diag(struct reader *r, const char *kind, uint32_t off, uint32_t len,
                 const char *hint, const char *fmt, ...)
{
	rt_loc loc = span_loc(r, off, len);
	va_list ap;
	va_start(ap, fmt);
	char *msg = rt_vsprintf(r->arena, fmt, ap);
	va_end(ap);
	rt_diags_add(r->diags, RT_SEV_ERROR, kind, &loc, hint, "%s", msg);
}

/* A plain (not bytes, not f-) string literal without NUL bytes, or NULL. */
static const char *literal_str(const py_expr *e)
{
	if (e->kind != PY_E_STR || e->u.str.is_bytes || strlen(e->u.str.value) != e->u.str.len)
		return NULL;
	return e->u.str.value;
}

static void read_revision(struct reader *r)
{
	const py_expr *v = r->b[N_REVISION].value;
	const char *s = literal_str(v);
	r->rf->revision_loc = span_loc(r, v->off, v->len);
	if (!s)
		diag(r, "non-literal-value", v->off, v->len, LITERAL_HINT,
		     "'revision' must be a string, not %s", py_expr_describe(v));
	else if (!*s)
		diag(r, "empty-revision", v->off, v->len,
		     "set it to the id stored in alembic_version, e.g. revision = 'ae1027a6acf'",
		     "'revision' is an empty string");
	else
		r->rf->revision = s;
}

/* None, '', a string, or a tuple/list of strings -> sv (normalised). */
/* Reads a list-valued name; false (after a diagnostic) when its value is not a literal. */
static bool read_list(struct reader *r, int which, rt_strv *sv, rt_loc *loc)
{
	const py_expr *v = r->b[which].value;
	*loc = span_loc(r, v->off, v->len);
	if (v->kind == PY_E_CONST && v->u.constant.value == PY_CONST_NONE)
		return true;
	const char *s = literal_str(v);
	if (s) {
		if (*s)
			rt_strv_push(r->arena, sv, s);
		return true;
	}
	if (v->kind != PY_E_TUPLE && v->kind != PY_E_LIST) {
		diag(r, "non-literal-value", v->off, v->len, LITERAL_HINT,
		     "'%s' must be a string, a tuple or list of strings, or None", names[which]);
		return false;
	}
	for (size_t i = 0; i < v->u.seq.elts.n; i++) {
		const py_expr *e = v->u.seq.elts.v[i];
		const char *item = literal_str(e);
		if (!item) {
			diag(r, "non-literal-value", e->off, e->len, LITERAL_HINT,
			     "'%s' must be a string, a tuple or list of strings, or None", names[which]);
			return false;
		}
		if (!*item) {
			/* Alembic would look up a revision named '' and fail */
			diag(r, "empty-revision", e->off, e->len,
			     "use None, or an empty tuple, for no value",
			     "'%s' contains an empty string", names[which]);
			return false;
		}
		rt_strv_push(r->arena, sv, item);
	}
	return true;
}

/* Python's str.isspace() for the code point at s[i] (byte length, or 0). */
static size_t space_at(const char *str, size_t n, size_t i)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[i];
	if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f))
		return 1;
	if (c == 0xC2 && i + 1 < n && (s[i + 1] == 0x85 || s[i + 1] == 0xA0))
		return 2;
	if (i + 2 >= n)
		return 0;
	uint32_t cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
	              (s[i + 2] & 0x3F);
	if ((c & 0xF0) != 0xE0)
		return 0;
	if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202F || cp == 0x205F || cp == 0x3000)
		return 3;
	return 0;
}

/*
 * Alembic's Script.longdoc is the docstring stripped of Python whitespace at
 * both ends; Script.doc (the message) is re.split("\n\n", longdoc)[0]: cut
 * at the first "\n\n" (a line holding only spaces is not a break), inner
 * newlines of the first paragraph kept.
 */
static void read_docstring(rt_arena *arena, const py_expr *doc, rt_revfile *rf)
{
	const char *s = doc->u.str.value;
	size_t n = doc->u.str.len, start = 0, k;
	while (start < n && (k = space_at(s, n, start)))
		start += k;
	size_t end = n;
	while (end > start) {
		size_t w = 0;
		for (size_t len = 1; len <= 3 && len <= end - start && !w; len++)
			if (space_at(s, end, end - len) == len)
				w = len;
		if (!w)
			break;
		end -= w;
	}
	rf->doc = rt_strndup(arena, s + start, end - start);
	size_t cut = end;
	for (size_t i = start; i + 1 < end; i++)
		if (s[i] == '\n' && s[i + 1] == '\n') {
			cut = i;
			break;
		}
	rf->message = rt_strndup(arena, s + start, cut - start);
}

/* Alembic's legacy rule: re.match(r"([a-f0-9]+)\.py$", filename). */
static const char *legacy_id(rt_arena *arena, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n < 4 || strcmp(base + n - 3, ".py") != 0)
		return NULL;
	for (size_t i = 0; i < n - 3; i++)
		if (!((base[i] >= '0' && base[i] <= '9') || (base[i] >= 'a' && base[i] <= 'f')))
			return NULL;
	return rt_strndup(arena, base, n - 3);
}

/* rt_revfile_read, with py_parse_module's flags (PY_LEX_SKIP_BODIES for
 * the header readers: the metadata never comes from inside a block). */
static int read_file(rt_revfile **out, rt_arena *arena, const rt_source *src, rt_diags *diags,
                     unsigned flags)
{
	*out = NULL;
	size_t first_diag = diags->n, errors = diags->errors;
	rt_error err = RT_ERROR_INIT;
	py_module *m;
	int rc = py_parse_module(&m, arena, src, flags, &err);
	if (rc < 0) {
		rt_error_hint(&err, "retort reads version files as Python 3.12 source without "
		              "running them; fix the syntax (python3 -m py_compile shows it too)");
		rt_diags_add_error(diags, rc == RT_ELIMIT ? "limit" : "syntax-error", &err);
		rt_error_clear(&err);
		return RT_ESYNTAX;
	}
	rt_revfile *rf = rt_alloc(arena, sizeof(*rf));
	rf->src = src;
	rf->module = m;
	struct reader r = { .arena = arena, .src = src, .diags = diags, .rf = rf };
	walk_module(&r);

	rt_strv *lists[N_COUNT] = { NULL, &rf->down, &rf->labels, &rf->depends };
	rt_loc *locs[N_COUNT] = { &rf->revision_loc, &rf->down_loc, &rf->labels_loc,
	                          &rf->depends_loc };
	for (int i = 0; i < N_COUNT; i++) {
		const struct binding *b = &r.b[i];
		if (!b->bound)
			continue;
		if (b->other) {
			*locs[i] = span_loc(&r, b->off, b->len);
			diag(&r, "non-literal-value", b->off, b->len, LITERAL_HINT,
			     "'%s' is bound by %s, which retort cannot evaluate", names[i], b->other);
		} else if (i == N_REVISION) {
			read_revision(&r);
		} else if (read_list(&r, i, lists[i], locs[i]) && i == N_DOWN) {
			rf->down_off = b->value->off; /* a literal: rebase may rewrite it */
			rf->down_len = b->value->len;
		}
	}
	rf->has_down_revision = r.b[N_DOWN].bound;

	rt_loc file = { .path = src->path };
	if (!r.b[N_REVISION].bound) {
		rf->revision = src->path ? legacy_id(arena, src->path) : NULL;
		if (!rf->revision) {
			const char *base = src->path ? strrchr(src->path, '/') : NULL;
			base = base ? base + 1 : src->path ? src->path : "";
			rt_diags_add(diags, RT_SEV_ERROR, "missing-revision", &file,
			             "declare revision = '<id>' at module level",
			             "could not determine revision id from filename '%s'", base);
		}
	}
	if (!rf->has_down_revision)
		rt_diags_add(diags, RT_SEV_ERROR, "missing-down-revision", &file,
		             "Alembic requires it: add down_revision = None for a base revision, "
		             "or the parent revision's id",
		             "'down_revision' is not defined");
	if (m->docstring)
		read_docstring(arena, m->docstring, rf);
	for (size_t i = first_diag; i < diags->n; i++)
		diags->items[i]->revision = rf->revision;
	*out = rf;
	return diags->errors > errors ? RT_ESYNTAX : RT_OK;
}

int rt_revfile_read(rt_revfile **out, rt_arena *arena, const rt_source *src, rt_diags *diags)
{
	return read_file(out, arena, src, diags, 0);
}

static void copy_strv(rt_arena *arena, rt_strv *dst, const rt_strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		rt_strv_push(arena, dst, rt_strdup(arena, src->v[i]));
}

static const char *dup_or_null(rt_arena *arena, const char *s)
{
	return s ? rt_strdup(arena, s) : NULL;
}

int rt_revfile_read_both(rt_revfile **out, rt_revfile **fullp, rt_arena *arena,
                         rt_arena *scratch, const rt_source *src, rt_diags *diags)
{
	*out = NULL;
	size_t first_diag = diags->n;
	rt_revfile *full;
	int rc = read_file(&full, scratch, src, diags, fullp ? 0 : PY_LEX_SKIP_BODIES);
	if (fullp)
		*fullp = full;
	if (!full)
		return rc;
	rt_revfile *rf = rt_alloc(arena, sizeof(*rf));
	rf->revision = dup_or_null(arena, full->revision);
	rf->revision_loc = full->revision_loc;
	rf->has_down_revision = full->has_down_revision;
	copy_strv(arena, &rf->down, &full->down);
	rf->down_loc = full->down_loc;
	rf->down_off = full->down_off;
	rf->down_len = full->down_len;
	copy_strv(arena, &rf->labels, &full->labels);
	rf->labels_loc = full->labels_loc;
	copy_strv(arena, &rf->depends, &full->depends);
	rf->depends_loc = full->depends_loc;
	rf->message = dup_or_null(arena, full->message);
	rf->doc = dup_or_null(arena, full->doc);
	/* rt_revfile_read pointed these at its own copy of the id */
	for (size_t i = first_diag; i < diags->n; i++)
		diags->items[i]->revision = rf->revision;
	*out = rf;
	return rc;
}

int rt_revfile_read_header(rt_revfile **out, rt_arena *arena, rt_arena *scratch,
                           const rt_source *src, rt_diags *diags)
{
	return rt_revfile_read_both(out, NULL, arena, scratch, src, diags);
}
