/*
 * The constant folder: Python expressions of a version-file body evaluated
 * to literals (None, bools, ints, strings, lists, dicts), to references to
 * SQLAlchemy/Alembic names resolved through the module's imports, and to
 * deferred constructor calls (sa.Column(...), sa.Enum(...)) that ops.c and
 * render.c interpret. Anything whose value needs Python at run time is
 * refused with its location.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "retort/ident.h"
#include "tr.h"

tr_val *tr_new(tr_run *r, tr_kind kind, uint32_t off, uint32_t len)
{
	tr_val *v = rt_alloc(r->arena, sizeof(*v));
	v->kind = kind;
	v->off = off;
	v->len = len;
	return v;
}

tr_val *tr_str(tr_run *r, const char *s, size_t n, uint32_t off, uint32_t len)
{
	tr_val *v = tr_new(r, V_STR, off, len);
	v->s = rt_strndup(r->arena, s, n);
	v->slen = n;
	return v;
}

tr_val *tr_int(tr_run *r, int64_t i, uint32_t off, uint32_t len)
{
	tr_val *v = tr_new(r, V_INT, off, len);
	v->i = i;
	v->s = rt_sprintf(r->arena, "%" PRId64, i);
	v->slen = strlen(v->s);
	return v;
}

static tr_val *bool_val(tr_run *r, bool b, uint32_t off, uint32_t len)
{
	tr_val *v = tr_new(r, V_BOOL, off, len);
	v->i = b;
	return v;
}

static tr_val *sql_val(tr_run *r, const char *sql, const char *key, uint32_t off, uint32_t len)
{
	tr_val *v = tr_new(r, V_SQL, off, len);
	v->s = sql;
	v->slen = strlen(sql);
	v->name = key;
	return v;
}

bool tr_is(const tr_val *v, const char *name)
{
	return v && (v->kind == V_OBJ || v->kind == V_REF) && strcmp(v->name, name) == 0;
}

/* ---- scopes ---- */

static long scope_find(const tr_scope *sc, const char *name)
{
	for (size_t i = sc->n; i-- > 0;)
		if (strcmp(sc->names[i], name) == 0)
			return (long)i;
	return -1;
}

static void scope_put(tr_run *r, tr_scope *sc, const char *name, tr_val *v, const py_expr *lazy)
{
	long i = scope_find(sc, name);
	if (i < 0) {
		if (sc->n == sc->cap) {
			size_t cap = sc->cap ? sc->cap * 2 : 8;
			sc->names = rt_realloc_array(r->arena, sc->names, sc->cap, cap, sizeof(*sc->names));
			sc->vals = rt_realloc_array(r->arena, sc->vals, sc->cap, cap, sizeof(*sc->vals));
			sc->lazy = rt_realloc_array(r->arena, sc->lazy, sc->cap, cap, sizeof(*sc->lazy));
			sc->cap = cap;
		}
		i = (long)sc->n++;
		sc->names[i] = name;
	}
	sc->vals[i] = v;
	sc->lazy[i] = lazy;
}

/* The scope a name of sc lives in: the module's when sc declares it global. */
static tr_scope *home_scope(tr_run *r, tr_scope *sc, const char *name)
{
	for (size_t i = 0; i < sc->globals.n; i++)
		if (strcmp(sc->globals.v[i], name) == 0)
			return r->module;
	return sc;
}

void tr_scope_set(tr_run *r, tr_scope *sc, const char *name, tr_val *v)
{
	scope_put(r, home_scope(r, sc, name), name, v, NULL);
}

void tr_scope_lazy(tr_run *r, tr_scope *sc, const char *name, const py_expr *e)
{
	scope_put(r, sc, name, NULL, e);
}

/* ---- canonical names ---- */

/* each prefix with its length (sizeof - 1), longest of a family first */
#define PFX(from, to) { from, sizeof(from) - 1, to }
static const struct { const char *from; size_t n; const char *to; } prefixes[] = {
	PFX("sqlalchemy.dialects.postgresql.base.", "pg."),
	PFX("sqlalchemy.dialects.postgresql.json.", "pg."),
	PFX("sqlalchemy.dialects.postgresql.array.", "pg."),
	PFX("sqlalchemy.dialects.postgresql.types.", "pg."),
	PFX("sqlalchemy.dialects.postgresql.named_types.", "pg."),
	PFX("sqlalchemy.dialects.postgresql.", "pg."),
	PFX("sqlalchemy.sql.sqltypes.", "sa."),
	PFX("sqlalchemy.sql.expression.", "sa."),
	PFX("sqlalchemy.sql.functions.", "sa."),
	PFX("sqlalchemy.sql.schema.", "sa."),
	PFX("sqlalchemy.sql.ddl.", "sa."),
	PFX("sqlalchemy.sql.", "sa."),
	PFX("sqlalchemy.types.", "sa."),
	PFX("sqlalchemy.schema.", "sa."),
	PFX("sqlalchemy.", "sa."),
	PFX("alembic.op.", "op."),
	PFX("alembic.context.", "context."),
	PFX("citext.", "pg."),
};
#undef PFX

/* "sqlalchemy.dialects.postgresql.UUID" -> "pg.UUID", "alembic.op" -> "op". */
static const char *canon(tr_run *r, const char *full)
{
	if (strcmp(full, "alembic.op") == 0)
		return "op";
	if (strcmp(full, "alembic.context") == 0)
		return "context";
	size_t len = strlen(full);
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = prefixes[i].n;
		if (len >= n && full[0] == prefixes[i].from[0] &&
		    memcmp(full, prefixes[i].from, n) == 0)
			return rt_concat(r->arena, prefixes[i].to, full + n, NULL);
	}
	return full;
}

tr_val *tr_ref(tr_run *r, const char *full, uint32_t off, uint32_t len)
{
	tr_val *v = tr_new(r, V_REF, off, len);
	v->written = full;
	v->name = canon(r, full);
	return v;
}

static void str_repr(rt_buf *b, const tr_val *v);

/*
 * v (a reference written at off/len) as retort.yaml's assume: gives it, by
 * its full dotted name or its canonical one ("context.is_offline_mode"), so
 * a user's assumption overrides what retort knows; v itself otherwise. Each
 * place an assumption is used is noted once (check -v).
 */
static tr_val *assumed(tr_run *r, tr_val *v, uint32_t off, uint32_t len)
{
	const rt_config *cfg = r->ctx->cfg;
	if (v->kind != V_REF || !cfg || !cfg->nassumes)
		return v;
	const rt_assume_entry *e = rt_config_find_assume(cfg, v->written);
	if (!e)
		e = rt_config_find_assume(cfg, v->name);
	if (!e)
		return v;
	tr_val *x;
	switch (e->kind) {
	case RT_ASSUME_NONE: x = tr_new(r, V_NONE, off, len); break;
	case RT_ASSUME_BOOL: x = bool_val(r, e->i != 0, off, len); break;
	case RT_ASSUME_INT: x = tr_int(r, e->i, off, len); break;
	default: x = tr_str(r, e->str, strlen(e->str), off, len); break;
	}
	x->assumed = e;
	rt_diags *notes = &r->ctx->warnings;
	for (size_t i = 0; i < notes->n; i++)
		if (strcmp(notes->items[i]->kind, "assumed") == 0 &&
		    notes->items[i]->loc.offset == off && notes->items[i]->loc.path && r->src->path &&
		    strcmp(notes->items[i]->loc.path, r->src->path) == 0)
			return x;
	rt_buf b = RT_BUF_INIT;
	if (!tr_to_text(r, x, &b) || x->kind == V_STR) {
		rt_buf_truncate(&b, 0);
		str_repr(&b, x);
	}
	tr_note(r, off, len, "assumed", "'%s' is assumed to be %s (%s:%u:%u)", e->python_name,
	        rt_buf_cstr(&b), e->loc.path ? e->loc.path : "retort.yaml", e->loc.line, e->loc.col);
	rt_buf_release(&b);
	return x;
}

/* Whether an assume: key starts with full and a dot (full leads to assumed
 * names); with types also a types: key. */
static bool declared(tr_run *r, const char *full, bool types)
{
	const rt_config *cfg = r->ctx->cfg;
	size_t n = strlen(full);
	for (size_t i = 0; cfg && i < cfg->nassumes + (types ? cfg->ntypes : 0); i++) {
		const char *k = i < cfg->nassumes ? cfg->assumes[i].python_name
		                                  : cfg->types[i - cfg->nassumes].python_name;
		if (strncmp(k, full, n) == 0 && (k[n] == '\0' || k[n] == '.'))
			return true;
	}
	return false;
}

bool tr_declared(tr_run *r, const char *full)
{
	return declared(r, full, true);
}

/* Names Python provides without an import, and the usual migration names
 * when a file forgot to import them (Alembic would fail; the intent is clear). */
static const char *const builtins[] = { "range", "len", "str", "int", "list", "tuple",
	                                    "bool", "sorted", "enumerate", "zip", "print",
	                                    "reversed", "iter", "next", "set", "repr", "any",
	                                    "all", "sum", "min", "max", "dict", NULL };

static int lookup(tr_run *r, tr_scope *sc, const char *name, uint32_t off, uint32_t len,
                  tr_val **out)
{
	for (tr_scope *s = sc ? home_scope(r, sc, name) : NULL; s; s = s->parent) {
		long i = scope_find(s, name);
		if (i < 0)
			continue;
		if (!s->vals[i] && s->lazy[i]) {
			if (r->module_depth >= TR_MAX_CALL_DEPTH)
				return tr_limit(r, off, len, "module-level names refer to each other too deeply");
			const py_expr *e = s->lazy[i];
			s->lazy[i] = NULL;
			r->module_depth++;
			tr_val *v = NULL;
			int rc = tr_eval(r, r->module, e, &v);
			r->module_depth--;
			if (rc < 0)
				return rc;
			s->vals[i] = v;
		}
		if (!s->vals[i])
			return tr_refuse(r, off, len, "name '%s' is used before it has a value", name);
		*out = s->vals[i];
		return RT_OK;
	}
	for (size_t i = 0; builtins[i]; i++)
		if (strcmp(name, builtins[i]) == 0) {
			*out = tr_ref(r, rt_concat(r->arena, "builtins.", name, NULL), off, len);
			return RT_OK;
		}
	static const struct { const char *name, *full; } dflt[] = {
		{ "op", "alembic.op" }, { "sa", "sqlalchemy" }, { "context", "alembic.context" },
	};
	for (size_t i = 0; i < sizeof(dflt) / sizeof(dflt[0]); i++)
		if (strcmp(name, dflt[i].name) == 0) {
			*out = tr_ref(r, dflt[i].full, off, len);
			return RT_OK;
		}
	return tr_refuse(r, off, len, "name '%s' has no value retort can know statically", name);
}

/* ---- literals ---- */

static int parse_int(const char *t, size_t n, int64_t *out)
{
	int base = 10;
	size_t i = 0;
	if (n > 1 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
		base = 16, i = 2;
	else if (n > 1 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O'))
		base = 8, i = 2;
	else if (n > 1 && t[0] == '0' && (t[1] == 'b' || t[1] == 'B'))
		base = 2, i = 2;
	uint64_t v = 0;
	bool any = false;
	for (; i < n; i++) {
		char c = t[i];
		if (c == '_')
			continue;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		        c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
		if (d >= base)
			return -1;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base || v * base + d > INT64_MAX)
			return -1;
		v = v * (uint64_t)base + (uint64_t)d;
		any = true;
	}
	if (!any)
		return -1;
	*out = (int64_t)v;
	return 0;
}

static int eval_num(tr_run *r, const py_expr *e, tr_val **out)
{
	const char *t = r->src->text + e->off;
	if (e->u.num.is_imaginary)
		return tr_refuse(r, e->off, e->len, "complex number literal");
	if (e->u.num.is_float) {
		tr_val *v = tr_new(r, V_FLOAT, e->off, e->len);
		v->s = rt_strndup(r->arena, t, e->len);
		v->slen = e->len;
		*out = v;
		return RT_OK;
	}
	int64_t i;
	if (parse_int(t, e->len, &i) < 0)
		return tr_refuse(r, e->off, e->len, "integer literal '%.*s' out of range",
		                 (int)e->len, t);
	*out = tr_int(r, i, e->off, e->len);
	return RT_OK;
}

bool tr_to_text(tr_run *r, const tr_val *v, rt_buf *b)
{
	(void)r;
	switch (v->kind) {
	case V_NONE: rt_buf_puts(b, "None"); return true;
	case V_BOOL: rt_buf_puts(b, v->i ? "True" : "False"); return true;
	case V_INT: case V_FLOAT: rt_buf_add(b, v->s, v->slen); return true;
	case V_STR: rt_buf_add(b, v->s, v->slen); return true;
	case V_MEMBER: return tr_member_to_text(v, b);
	default: return false;
	}
}

/* repr() of a literal string: '...' unless it holds ' and no ". */
static void str_repr(rt_buf *b, const tr_val *v)
{
	bool sq = memchr(v->s, '\'', v->slen) != NULL, dq = memchr(v->s, '"', v->slen) != NULL;
	char q = sq && !dq ? '"' : '\'';
	rt_buf_putc(b, q);
	for (size_t i = 0; i < v->slen; i++) {
		char c = v->s[i];
		if (c == q || c == '\\')
			rt_buf_putc(b, '\\');
		if (c == '\n')
			rt_buf_puts(b, "\\n");
		else if (c == '\t')
			rt_buf_puts(b, "\\t");
		else
			rt_buf_putc(b, c);
	}
	rt_buf_putc(b, q);
}

static int to_text_or_refuse(tr_run *r, const tr_val *v, rt_buf *b, char conversion);

/* repr() as Python writes it, of strings of printable ASCII (Python escapes
 * other control characters and classifies non-ASCII text by Unicode
 * categories), numbers, None, booleans, and lists, tuples and dicts of them;
 * str() of a container is its repr(). */
static int repr_value(tr_run *r, const tr_val *v, rt_buf *b, int depth)
{
	if (depth > 32)
		return tr_limit(r, v->off, v->len, "a value nested too deeply");
	switch (v->kind) {
	case V_STR:
		for (size_t i = 0; i < v->slen; i++) {
			unsigned char c = (unsigned char)v->s[i];
			if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f)
				return tr_refuse(r, v->off, v->len, "'repr()' of a string with control or "
				                 "non-ASCII characters");
		}
		str_repr(b, v);
		return RT_OK;
	case V_FLOAT: /* a literal is kept as written, which repr() may shorten */
		return tr_refuse(r, v->off, v->len, "'repr()' of a float");
	case V_LIST:
	case V_TUPLE:
	case V_DICT: {
		bool dict = v->kind == V_DICT;
		rt_buf_putc(b, v->kind == V_LIST ? '[' : dict ? '{' : '(');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				rt_buf_puts(b, ", ");
			int rc = repr_value(r, v->items[dict ? 2 * i : i], b, depth + 1);
			if (rc == RT_OK && dict) {
				rt_buf_puts(b, ": ");
				rc = repr_value(r, v->items[2 * i + 1], b, depth + 1);
			}
			if (rc < 0)
				return rc;
		}
		if (v->kind == V_TUPLE && v->n == 1)
			rt_buf_putc(b, ',');
		rt_buf_putc(b, v->kind == V_LIST ? ']' : dict ? '}' : ')');
		return RT_OK;
	}
	default:
		return to_text_or_refuse(r, v, b, 0);
	}
}

static int to_text_or_refuse(tr_run *r, const tr_val *v, rt_buf *b, char conversion)
{
	if ((conversion == 'r' && v->kind == V_STR) || v->kind == V_LIST || v->kind == V_TUPLE ||
	    v->kind == V_DICT)
		return repr_value(r, v, b, 0);
	if (v->kind == V_MEMBER)
		return tr_member_text(r, v, conversion, b);
	if (tr_to_text(r, v, b))
		return RT_OK;
	if (v->kind != V_REF)
		return tr_refuse(r, v->off, v->len, "formatting a value that is not a literal");
	tr_refuse(r, v->off, v->len, "formatting '%s', which retort cannot know statically",
	          v->written);
	rt_error_hint(r->err, "if its value is known, give it in retort.yaml: assume: {%s: "
	              "<value>}; else write this body as SQL in %s (-- retort:%s section)",
	              v->written, tr_sidecar(r), r->fname);
	return RT_EUNSUPPORTED;
}

static int eval_fstr(tr_run *r, tr_scope *sc, const py_expr *e, tr_val **out)
{
	rt_buf b = RT_BUF_INIT;
	int rc = RT_OK;
	for (size_t i = 0; i < e->u.fstr.values.n && rc == RT_OK; i++) {
		const py_expr *p = e->u.fstr.values.v[i];
		if (p->kind == PY_E_STR) {
			rt_buf_add(&b, p->u.str.value, p->u.str.len);
			continue;
		}
		if (p->kind != PY_E_FIELD || p->u.field.selfdoc ||
		    (p->u.field.spec && p->u.field.spec->u.fstr.values.n) ||
		    p->u.field.conversion == 'a') {
			rc = tr_refuse(r, p->off, p->len, "f-string field with a format spec");
			break;
		}
		tr_val *v;
		rc = tr_eval(r, sc, p->u.field.value, &v);
		if (rc == RT_OK)
			rc = to_text_or_refuse(r, v, &b, p->u.field.conversion);
	}
	if (rc == RT_OK)
		*out = tr_str(r, b.ptr ? b.ptr : "", b.len, e->off, e->len);
	rt_buf_release(&b);
	return rc;
}

/* "..." % value: %s %d %r %% and %(name)s, no widths. */
static int percent_format(tr_run *r, const tr_val *fmt, const tr_val *arg, uint32_t off,
                          uint32_t len, tr_val **out)
{
	rt_buf b = RT_BUF_INIT;
	size_t next = 0;
	int rc = RT_OK;
	for (size_t i = 0; i < fmt->slen && rc == RT_OK; i++) {
		char c = fmt->s[i];
		if (c != '%') {
			rt_buf_putc(&b, c);
			continue;
		}
		if (++i >= fmt->slen) {
			rc = tr_refuse(r, off, len, "incomplete '%%' format");
			break;
		}
		if (fmt->s[i] == '%') {
			rt_buf_putc(&b, '%');
			continue;
		}
		const tr_val *v = NULL;
		if (fmt->s[i] == '(') {
			const char *close = memchr(fmt->s + i, ')', fmt->slen - i);
			if (!close || arg->kind != V_DICT) {
				rc = tr_refuse(r, off, len, "'%%(name)s' format needs a literal dict");
				break;
			}
			size_t kn = (size_t)(close - (fmt->s + i + 1));
			for (size_t k = 0; k < arg->n; k++) {
				const tr_val *key = arg->items[2 * k];
				if (key->kind == V_STR && key->slen == kn && memcmp(key->s, fmt->s + i + 1, kn) == 0)
					v = arg->items[2 * k + 1];
			}
			i += kn + 2;
			if (!v || i >= fmt->slen) {
				rc = tr_refuse(r, off, len, "'%%' format key not found");
				break;
			}
		} else if (arg->kind == V_TUPLE) {
			if (next >= arg->n) {
				rc = tr_refuse(r, off, len, "not enough arguments for '%%' format");
				break;
			}
			v = arg->items[next++];
		} else {
			if (next++ > 0) {
				rc = tr_refuse(r, off, len, "not enough arguments for '%%' format");
				break;
			}
			v = arg;
		}
		char conv = fmt->s[i];
		if (conv == 'd' && v->kind != V_INT && v->kind != V_BOOL) {
			rc = tr_refuse(r, off, len, "'%%d' format of a value that is not an integer");
			break;
		}
		if (conv == 'd' && v->kind == V_BOOL)
			rt_buf_puts(&b, v->i ? "1" : "0");
		else if (conv == 's' || conv == 'd' || conv == 'r')
			rc = to_text_or_refuse(r, v, &b, conv == 'r' ? 'r' : 0);
		else
			rc = tr_refuse(r, off, len, "'%%%c' format is not supported", conv);
	}
	if (rc == RT_OK && arg->kind == V_TUPLE && next != arg->n)
		rc = tr_refuse(r, off, len, "not all arguments converted during '%%' formatting");
	if (rc == RT_OK)
		*out = tr_str(r, b.ptr ? b.ptr : "", b.len, off, len);
	rt_buf_release(&b);
	return rc;
}

/* "...".format(*args, **kw): {}, {0}, {name}, {{ }}; no format specs. */
static int str_format(tr_run *r, const tr_val *fmt, tr_args *a, uint32_t off, uint32_t len,
                      tr_val **out)
{
	rt_buf b = RT_BUF_INIT;
	size_t auto_i = 0;
	int rc = RT_OK;
	for (size_t i = 0; i < fmt->slen && rc == RT_OK; i++) {
		char c = fmt->s[i];
		if ((c == '{' || c == '}') && i + 1 < fmt->slen && fmt->s[i + 1] == c) {
			rt_buf_putc(&b, c);
			i++;
			continue;
		}
		if (c != '{') {
			rt_buf_putc(&b, c);
			continue;
		}
		const char *close = memchr(fmt->s + i, '}', fmt->slen - i);
		if (!close) {
			rc = tr_refuse(r, off, len, "unbalanced '{' in format string");
			break;
		}
		const char *f = fmt->s + i + 1;
		size_t fn = (size_t)(close - f);
		tr_val *v = NULL;
		if (memchr(f, ':', fn) || memchr(f, '!', fn) || memchr(f, '.', fn) || memchr(f, '[', fn)) {
			rc = tr_refuse(r, off, len, "format field '{%.*s}' is not supported", (int)fn, f);
			break;
		}
		if (fn == 0) {
			v = auto_i < a->npos ? a->pos[auto_i] : NULL;
			auto_i++;
		} else if (f[0] >= '0' && f[0] <= '9') {
			int64_t k;
			if (parse_int(f, fn, &k) == 0 && (uint64_t)k < a->npos)
				v = a->pos[k];
		} else {
			char *key = rt_strndup(r->arena, f, fn);
			v = tr_arg(a, SIZE_MAX, key);
		}
		if (!v) {
			rc = tr_refuse(r, off, len, "format field '{%.*s}' has no argument", (int)fn, f);
			break;
		}
		rc = to_text_or_refuse(r, v, &b, 0);
		i += fn + 1;
	}
	for (size_t k = 0; k < a->nkw; k++)
		a->used[k] = true;
	if (rc == RT_OK)
		*out = tr_str(r, b.ptr ? b.ptr : "", b.len, off, len);
	rt_buf_release(&b);
	return rc;
}

/* ---- comparisons and truth ---- */

static bool is_num(const tr_val *v)
{
	return v->kind == V_INT || v->kind == V_BOOL;
}

/* An int, bool or float as a double; a float keeps Python's text ("1_0.5"). */
static bool as_double(const tr_val *v, double *d)
{
	if (is_num(v)) {
		*d = (double)v->i;
		return true;
	}
	if (v->kind != V_FLOAT)
		return false;
	char buf[64];
	size_t n = 0;
	for (size_t i = 0; i < v->slen && n + 1 < sizeof buf; i++)
		if (v->s[i] != '_')
			buf[n++] = v->s[i];
	buf[n] = '\0';
	char *end;
	*d = strtod(buf, &end);
	return end == buf + n;
}

/* Whether a and b are numbers and at least one is a float. */
static bool float_pair(const tr_val *a, const tr_val *b, double *x, double *y)
{
	return (a->kind == V_FLOAT || b->kind == V_FLOAT) && as_double(a, x) && as_double(b, y);
}

/* A float with Python's repr() as its text: the shortest digits that read
 * back the same, in fixed notation for exponents -4 to 15. */
static tr_val *float_val(tr_run *r, double d, uint32_t off, uint32_t len)
{
	char digits[40];
	int prec = 1;
	for (; prec < 17; prec++) {
		snprintf(digits, sizeof digits, "%.*e", prec - 1, d);
		if (strtod(digits, NULL) == d)
			break;
	}
	snprintf(digits, sizeof digits, "%.*e", prec - 1, d);
	/* digits: [-]D[.DDD]e[+-]XX */
	const char *p = digits;
	bool neg = *p == '-';
	p += neg;
	char mant[24];
	size_t nm = 0;
	for (; *p && *p != 'e'; p++)
		if (*p != '.')
			mant[nm++] = *p;
	mant[nm] = '\0';
	int exp10 = atoi(p + 1);
	rt_buf b = RT_BUF_INIT;
	if (neg)
		rt_buf_putc(&b, '-');
	if (exp10 >= -4 && exp10 < 16) {
		if (exp10 < 0) {
			rt_buf_puts(&b, "0.");
			for (int k = -1; k > exp10; k--)
				rt_buf_putc(&b, '0');
			rt_buf_puts(&b, mant);
		} else {
			for (int k = 0; k <= exp10; k++)
				rt_buf_putc(&b, (size_t)k < nm ? mant[k] : '0');
			rt_buf_putc(&b, '.');
			rt_buf_puts(&b, (size_t)exp10 + 1 < nm ? mant + exp10 + 1 : "0");
		}
	} else {
		rt_buf_putc(&b, mant[0]);
		if (nm > 1)
			rt_buf_printf(&b, ".%s", mant + 1);
		rt_buf_printf(&b, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
	}
	tr_val *v = tr_new(r, V_FLOAT, off, len);
	v->slen = b.len;
	v->s = rt_strndup(r->arena, b.ptr, b.len);
	rt_buf_release(&b);
	return v;
}

/* 1 equal, 0 different, -1 cannot tell statically. */
static int equal(const tr_val *a, const tr_val *b)
{
	double x, y;
	const tr_val *ma = tr_member_mixin(a), *mb = tr_member_mixin(b);
	if (ma || mb) /* a member of a str/int enum is that str/int */
		return equal(ma ? ma : a, mb ? mb : b);
	if (a->kind == V_MEMBER || b->kind == V_MEMBER)
		return tr_member_same(a, b);
	if (is_num(a) && is_num(b))
		return a->i == b->i;
	if (float_pair(a, b, &x, &y))
		return x == y;
	if (a->kind == V_STR && b->kind == V_STR)
		return a->slen == b->slen && memcmp(a->s, b->s, a->slen) == 0;
	if (a->kind == V_NONE || b->kind == V_NONE)
		return a->kind == b->kind;
	if ((a->kind == V_LIST || a->kind == V_TUPLE) && a->kind == b->kind) {
		if (a->n != b->n)
			return 0;
		for (size_t i = 0; i < a->n; i++) {
			int e = equal(a->items[i], b->items[i]);
			if (e != 1)
				return e;
		}
		return 1;
	}
	bool lit_a = a->kind <= V_DICT, lit_b = b->kind <= V_DICT;
	if (lit_a && lit_b && a->kind != V_FLOAT && b->kind != V_FLOAT)
		return 0; /* different literal types */
	return -1;
}

int tr_truth(tr_run *r, const tr_val *v, bool *out)
{
	switch (v->kind) {
	case V_NONE: *out = false; return RT_OK;
	case V_BOOL: case V_INT: *out = v->i != 0; return RT_OK;
	case V_FLOAT: {
		double d;
		if (!as_double(v, &d))
			break;
		*out = d != 0;
		return RT_OK;
	}
	case V_STR: *out = v->slen > 0; return RT_OK;
	case V_LIST: case V_TUPLE: case V_DICT: *out = v->n > 0; return RT_OK;
	case V_ENUMCLS: *out = true; return RT_OK;
	case V_MEMBER: /* true, unless a str/int member's value is false */
		return tr_member_mixin(v) ? tr_truth(r, tr_member_mixin(v), out)
		                          : (*out = true, RT_OK);
	case V_REF:
		/* the application's setting or flag: the user can say what it is */
		tr_refuse(r, v->off, v->len, "a condition on '%s', which retort cannot know "
		          "statically", v->written);
		rt_error_hint(r->err, "if its value is known, give it in retort.yaml: assume: {%s: "
		              "<value>}; else write this body as SQL in %s (-- retort:%s section)",
		              v->written, tr_sidecar(r), r->fname);
		return RT_EUNSUPPORTED;
	default:
		break;
	}
	return tr_refuse(r, v->off, v->len, "a condition whose value is not known statically");
}

static const char *sql_cmp_op(int op)
{
	switch (op) {
	case PY_OP_LT: return "<";
	case PY_OP_GT: return ">";
	case PY_OP_LE: return "<=";
	case PY_OP_GE: return ">=";
	case PY_OP_EQ: return "=";
	case PY_OP_NE: return "!=";
	default: return NULL;
	}
}

/* sa.column('a') < 5: the SQL text SQLAlchemy renders with literal binds. */
int tr_sql_compare(tr_run *r, const tr_val *l, int op, tr_val *rv, uint32_t off,
                       uint32_t len, tr_val **out)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_add(&b, l->s, l->slen);
	int rc = RT_OK;
	if ((op == PY_CMP_IS || op == PY_OP_EQ) && rv->kind == V_NONE) {
		rt_buf_puts(&b, " IS NULL");
	} else if ((op == PY_CMP_IS_NOT || op == PY_OP_NE) && rv->kind == V_NONE) {
		rt_buf_puts(&b, " IS NOT NULL");
	} else if (!sql_cmp_op(op)) {
		rc = tr_refuse(r, off, len, "comparison operator on a SQL expression");
	} else {
		rt_buf_printf(&b, " %s ", sql_cmp_op(op));
		rc = tr_render_sql(r, &b, rv, "a comparison operand");
	}
	if (rc == RT_OK)
		*out = sql_val(r, rt_strdup(r->arena, rt_buf_cstr(&b)), NULL, off, len);
	rt_buf_release(&b);
	return rc;
}

static int contains(tr_run *r, const tr_val *hay, const tr_val *needle, uint32_t off,
                    uint32_t len, bool *out)
{
	if (hay->kind == V_ENUMCLS)
		return tr_enumcls_contains(r, hay, needle, off, len, out);
	if (tr_member_mixin(hay)) /* a str member holds what its string holds */
		hay = tr_member_mixin(hay);
	if (hay->kind == V_STR && tr_member_mixin(needle))
		needle = tr_member_mixin(needle);
	if (hay->kind == V_STR && needle->kind == V_STR) {
		*out = false;
		for (size_t i = 0; i + needle->slen <= hay->slen; i++)
			if (memcmp(hay->s + i, needle->s, needle->slen) == 0) {
				*out = true;
				break;
			}
		return RT_OK;
	}
	if (hay->kind == V_LIST || hay->kind == V_TUPLE || hay->kind == V_DICT) {
		size_t step = hay->kind == V_DICT ? 2 : 1;
		*out = false;
		for (size_t i = 0; i < hay->n * step; i += step) {
			int e = equal(hay->items[i], needle);
			if (e < 0)
				return tr_refuse(r, off, len, "membership test on values not known statically");
			if (e) {
				*out = true;
				break;
			}
		}
		return RT_OK;
	}
	return tr_refuse(r, off, len, "membership test on a value not known statically");
}

/* A comparison refused; the application names in it are what assume: can give. */
static int refuse_compared(tr_run *r, const tr_val *a, const tr_val *b, const char *what,
                           uint32_t off, uint32_t len)
{
	const tr_val *x = a->kind == V_REF ? a : b->kind == V_REF ? b : NULL;
	const tr_val *y = x == a && b->kind == V_REF ? b : NULL;
	if (!x)
		return tr_refuse(r, off, len, "%s of values not known statically", what);
	if (y)
		tr_refuse(r, off, len, "%s of '%s' and '%s', which retort cannot know statically",
		          what, x->written, y->written);
	else
		tr_refuse(r, off, len, "%s with '%s', which retort cannot know statically", what,
		          x->written);
	rt_error_hint(r->err, "if %s known, give %s in retort.yaml: assume: {%s: <value>%s%s%s}; "
	              "else write this body as SQL in %s (-- retort:%s section)",
	              y ? "their values are" : "its value is", y ? "them" : "it", x->written,
	              y ? ", " : "", y ? y->written : "", y ? ": <value>" : "", tr_sidecar(r),
	              r->fname);
	return RT_EUNSUPPORTED;
}

static int compare(tr_run *r, const tr_val *a, int op, const tr_val *b, uint32_t off,
                   uint32_t len, bool *out)
{
	if (op == PY_CMP_IN || op == PY_CMP_NOT_IN) {
		int rc = contains(r, b, a, off, len, out);
		if (rc == RT_OK && op == PY_CMP_NOT_IN)
			*out = !*out;
		return rc;
	}
	if (op == PY_OP_EQ || op == PY_OP_NE || op == PY_CMP_IS || op == PY_CMP_IS_NOT) {
		int e = equal(a, b);
		if ((op == PY_CMP_IS || op == PY_CMP_IS_NOT) && a->kind != V_NONE &&
		    b->kind != V_NONE && a->kind != V_BOOL)
			/* identity of other objects is not a value question; members are singletons */
			e = a->kind == V_MEMBER || b->kind == V_MEMBER ? tr_member_same(a, b) : -1;
		if (e < 0)
			return refuse_compared(r, a, b, "comparison", off, len);
		*out = (op == PY_OP_EQ || op == PY_CMP_IS) ? e == 1 : e == 0;
		return RT_OK;
	}
	int c;
	double x, y;
	if (tr_member_mixin(a))
		a = tr_member_mixin(a);
	if (tr_member_mixin(b))
		b = tr_member_mixin(b);
	if (a->kind == V_MEMBER || b->kind == V_MEMBER)
		return tr_refuse(r, off, len, "ordering comparison of enum members (Python raises "
		                 "TypeError)");
	if (is_num(a) && is_num(b)) {
		c = a->i < b->i ? -1 : a->i > b->i;
	} else if (float_pair(a, b, &x, &y)) {
		if (x != x || y != y)
			return tr_refuse(r, off, len, "ordering comparison with a NaN");
		c = x < y ? -1 : x > y;
	} else if (a->kind == V_STR && b->kind == V_STR) {
		size_t n = a->slen < b->slen ? a->slen : b->slen;
		c = memcmp(a->s, b->s, n);
		if (c == 0)
			c = a->slen < b->slen ? -1 : a->slen > b->slen;
	} else if ((a->kind == V_TUPLE || a->kind == V_LIST) && a->kind == b->kind) {
		/* the first items that differ decide, else the shorter is less */
		size_t i = 0;
		for (; i < a->n && i < b->n; i++) {
			int e = equal(a->items[i], b->items[i]);
			if (e < 0)
				return tr_refuse(r, off, len, "ordering comparison of values not known "
				                 "statically");
			if (!e)
				return compare(r, a->items[i], op, b->items[i], off, len, out);
		}
		c = a->n < b->n ? -1 : a->n > b->n;
	} else {
		return refuse_compared(r, a, b, "ordering comparison", off, len);
	}
	switch (op) {
	case PY_OP_LT: *out = c < 0; break;
	case PY_OP_GT: *out = c > 0; break;
	case PY_OP_LE: *out = c <= 0; break;
	default: *out = c >= 0; break;
	}
	return RT_OK;
}

static int eval_compare(tr_run *r, tr_scope *sc, const py_expr *e, tr_val **out)
{
	tr_val *left;
	int rc = tr_eval(r, sc, e->u.compare.left, &left);
	if (rc < 0)
		return rc;
	bool all = true;
	for (size_t i = 0; i < e->u.compare.comparators.n; i++) {
		tr_val *right;
		rc = tr_eval(r, sc, e->u.compare.comparators.v[i], &right);
		if (rc < 0)
			return rc;
		int op = e->u.compare.ops[i];
		if (left->kind == V_SQL && e->u.compare.comparators.n == 1)
			return tr_sql_compare(r, left, op, right, e->off, e->len, out);
		bool b;
		rc = compare(r, left, op, right, e->off, e->len, &b);
		if (rc < 0)
			return rc;
		if (!b) {
			all = false;
			break;
		}
		left = right;
	}
	*out = bool_val(r, all, e->off, e->len);
	return RT_OK;
}

/* ---- binary operators ---- */

static tr_val *seq_concat(tr_run *r, const tr_val *a, const tr_val *b, uint32_t off,
                          uint32_t len)
{
	tr_val *v = tr_new(r, a->kind, off, len);
	v->n = a->n + b->n;
	v->items = rt_alloc_array(r->arena, v->n ? v->n : 1, sizeof(*v->items));
	memcpy(v->items, a->items, a->n * sizeof(*v->items));
	memcpy(v->items + a->n, b->items, b->n * sizeof(*v->items));
	return v;
}

int tr_binary(tr_run *r, int op, const tr_val *a, const tr_val *b, uint32_t off, uint32_t len,
              tr_val **out)
{
	if (tr_member_mixin(a)) /* a str/int member computes as its value */
		a = tr_member_mixin(a);
	if (tr_member_mixin(b))
		b = tr_member_mixin(b);
	if (op == PY_OP_PERCENT && a->kind == V_STR)
		return percent_format(r, a, b, off, len, out);
	if (op == PY_OP_PLUS && a->kind == V_STR && b->kind == V_STR) {
		rt_buf buf = RT_BUF_INIT;
		rt_buf_add(&buf, a->s, a->slen);
		rt_buf_add(&buf, b->s, b->slen);
		*out = tr_str(r, buf.ptr, buf.len, off, len);
		rt_buf_release(&buf);
		return RT_OK;
	}
	if (op == PY_OP_PLUS && (a->kind == V_LIST || a->kind == V_TUPLE) && a->kind == b->kind) {
		if (a->n + b->n > TR_MAX_ITEMS)
			return tr_limit(r, off, len, "a list grows too large");
		*out = seq_concat(r, a, b, off, len);
		return RT_OK;
	}
	if (op == PY_OP_STAR && a->kind == V_STR && is_num(b)) {
		if (b->i > 0 && a->slen * (uint64_t)b->i > TR_MAX_ITEMS)
			return tr_limit(r, off, len, "a repeated string grows too large");
		rt_buf buf = RT_BUF_INIT;
		for (int64_t k = 0; k < b->i; k++)
			rt_buf_add(&buf, a->s, a->slen);
		*out = tr_str(r, buf.ptr ? buf.ptr : "", buf.len, off, len);
		rt_buf_release(&buf);
		return RT_OK;
	}
	double fx, fy;
	if ((op == PY_OP_SLASH && is_num(a) && is_num(b) && as_double(a, &fx) && as_double(b, &fy)) ||
	    float_pair(a, b, &fx, &fy)) {
		double z;
		switch (op) {
		case PY_OP_PLUS: z = fx + fy; break;
		case PY_OP_MINUS: z = fx - fy; break;
		case PY_OP_STAR: z = fx * fy; break;
		case PY_OP_SLASH:
			if (fy == 0)
				return tr_refuse(r, off, len, "division by zero");
			z = fx / fy;
			break;
		default:
			return tr_refuse(r, off, len, "this arithmetic operator on a float");
		}
		if (!isfinite(z))
			return tr_refuse(r, off, len, "float arithmetic that overflows");
		*out = float_val(r, z, off, len);
		return RT_OK;
	}
	if (is_num(a) && is_num(b)) {
		int64_t x = a->i, y = b->i, z;
		bool ok = true;
		switch (op) {
		case PY_OP_PLUS: ok = !__builtin_add_overflow(x, y, &z); break;
		case PY_OP_MINUS: ok = !__builtin_sub_overflow(x, y, &z); break;
		case PY_OP_STAR: ok = !__builtin_mul_overflow(x, y, &z); break;
		case PY_OP_DSLASH:
		case PY_OP_PERCENT:
			if (y == 0 || (x == INT64_MIN && y == -1)) {
				ok = false;
				z = 0;
				break;
			}
			{
				/* Python floors toward negative infinity */
				int64_t q = x / y, m = x % y;
				if (m != 0 && ((m < 0) != (y < 0))) {
					q--;
					m += y;
				}
				z = op == PY_OP_DSLASH ? q : m;
			}
			break;
		default:
			return tr_refuse(r, off, len, "this arithmetic operator is not supported");
		}
		if (!ok)
			return tr_refuse(r, off, len, "integer arithmetic outside 64 bits or by zero");
		*out = tr_int(r, z, off, len);
		return RT_OK;
	}
	return tr_refuse(r, off, len, "an operation on values not known statically");
}

/* ---- iteration helpers ---- */

/* The byte offset of each character of a string and its end (n + 1 offsets):
 * Python indexes and slices text by character. */
static int char_offsets(tr_run *r, const tr_val *s, size_t **offs, size_t *n)
{
	*offs = rt_alloc_array(r->arena, s->slen + 1, sizeof(**offs));
	*n = 0;
	for (size_t i = 0; i < s->slen;) {
		(*offs)[(*n)++] = i;
		if (tr_utf8_next(s->s, s->slen, &i) < 0)
			return tr_refuse(r, s->off, s->len, "text that is not valid UTF-8");
	}
	(*offs)[*n] = s->slen;
	return RT_OK;
}

static int iter_items(tr_run *r, tr_val *v, tr_val ***items, size_t *n)
{
	if (v->kind == V_LIST || v->kind == V_TUPLE) {
		*items = v->items;
		*n = v->n;
		return RT_OK;
	}
	if (v->kind == V_DICT) {
		*n = v->n;
		*items = rt_alloc_array(r->arena, v->n ? v->n : 1, sizeof(**items));
		for (size_t i = 0; i < v->n; i++)
			(*items)[i] = v->items[2 * i];
		return RT_OK;
	}
	if (v->kind == V_ENUMCLS) {
		tr_enumcls_members(r, v, v->off, v->len, items, n);
		return RT_OK;
	}
	if (v->kind == V_STR) {
		size_t *offs;
		int rc = char_offsets(r, v, &offs, n);
		if (rc < 0)
			return rc;
		*items = rt_alloc_array(r->arena, *n ? *n : 1, sizeof(**items));
		for (size_t i = 0; i < *n; i++)
			(*items)[i] = tr_str(r, v->s + offs[i], offs[i + 1] - offs[i], v->off, v->len);
		return RT_OK;
	}
	if (tr_is_orm_query(v)) { /* [x for x in session.query(X)]: the query runs */
		int rc = tr_orm_run(r, v, v->off, v->len, &v);
		if (rc < 0)
			return rc;
	}
	if (v->kind == V_RESULT && r->ctx->guards) {
		int rc = tr_query_rows(r, v, v->off, v->len, "iterates over the rows of a query",
		                       items, n);
		if (rc == RT_OK)
			v->i += (int64_t)*n; /* read them all */
		return rc;
	}
	return tr_refuse(r, v->off, v->len, "iteration over a value not known statically");
}

/* d[key] = value: an equal key given again keeps the first key object. */
static int dict_set(tr_run *r, tr_val *d, tr_val *key, tr_val *value, uint32_t off,
                    uint32_t len)
{
	size_t at = d->n;
	for (size_t x = 0; x < d->n; x++)
		if (equal(d->items[2 * x], key) == 1)
			at = x;
	if (at == d->n) {
		if (d->n >= TR_MAX_DICT_KEYS) /* each key is looked up by a scan */
			return tr_limit(r, off, len, "a dict grows too large");
		if (d->n >= d->cap) { /* cap: allocated pairs, doubled as a list's items are */
			size_t cap = d->n ? 2 * d->n : 8;
			d->items = rt_realloc_array(r->arena, d->items, 2 * d->n, 2 * cap,
			                            sizeof(*d->items));
			d->cap = cap;
		}
		d->n++;
		d->items[2 * at] = key;
	}
	d->items[2 * at + 1] = value;
	return RT_OK;
}

int tr_bind_target(tr_run *r, tr_scope *sc, const py_expr *t, tr_val *v)
{
	if (t->kind == PY_E_NAME) {
		tr_scope_set(r, sc, t->u.name.id, v);
		return RT_OK;
	}
	if (t->kind == PY_E_TUPLE || t->kind == PY_E_LIST) {
		tr_val **items;
		size_t n;
		int rc = iter_items(r, v, &items, &n);
		if (rc < 0)
			return rc;
		if (n != t->u.seq.elts.n)
			return tr_refuse(r, t->off, t->len, "unpacking %zu values into %zu names", n,
			                 t->u.seq.elts.n);
		for (size_t i = 0; i < n; i++) {
			rc = tr_bind_target(r, sc, t->u.seq.elts.v[i], items[i]);
			if (rc < 0)
				return rc;
		}
		return RT_OK;
	}
	if (t->kind == PY_E_SUBSCRIPT && t->u.subscript.index->kind != PY_E_SLICE) {
		tr_val *base, *idx;
		int rc = tr_eval(r, sc, t->u.subscript.value, &base);
		if (rc == RT_OK)
			rc = tr_eval(r, sc, t->u.subscript.index, &idx);
		if (rc < 0)
			return rc;
		if (base->kind == V_DICT)
			return dict_set(r, base, idx, v, t->off, t->len);
		if (base->kind == V_LIST && idx->kind == V_INT) {
			int64_t i = idx->i < 0 ? idx->i + (int64_t)base->n : idx->i;
			if (i < 0 || i >= (int64_t)base->n) /* Python raises IndexError */
				return tr_refuse(r, t->off, t->len, "list assignment index out of range");
			base->items[i] = v;
			return RT_OK;
		}
	}
	return tr_refuse(r, t->off, t->len, "assignment to %s", py_expr_describe(t));
}

/* A list or dict comprehension with one `for`, or a generator expression,
 * built at once as a list: exact while its items run no SQL (what a
 * consumer such as any() does not ask for is then never evaluated in
 * Python, and has no effect here either). A set comprehension's order is
 * Python's hashing: refused. */
static int eval_comp(tr_run *r, tr_scope *sc, const py_expr *e, tr_val **out)
{
	bool dict = e->kind == PY_E_DICTCOMP;
	if ((e->kind != PY_E_LISTCOMP && e->kind != PY_E_GENEXP && !dict) ||
	    e->u.comp.generators.n != 1 || e->u.comp.generators.v[0]->is_async)
		return tr_refuse(r, e->off, e->len, "%s", py_expr_describe(e));
	size_t emitted = r->out->n;
	const py_comprehension *g = e->u.comp.generators.v[0];
	tr_val *it;
	int rc = tr_eval(r, sc, g->iter, &it);
	if (rc < 0)
		return rc;
	tr_val **items;
	size_t n;
	rc = iter_items(r, it, &items, &n);
	if (rc < 0)
		return rc;
	tr_scope inner = { .parent = sc };
	tr_val *res = tr_new(r, dict ? V_DICT : V_LIST, e->off, e->len);
	res->items = dict ? NULL : rt_alloc_array(r->arena, n ? n : 1, sizeof(*res->items));
	for (size_t i = 0; i < n; i++) {
		if (++r->steps > TR_MAX_STEPS)
			return tr_limit(r, e->off, e->len, "the comprehension runs too long");
		rc = tr_bind_target(r, &inner, g->target, items[i]);
		bool keep = true;
		for (size_t k = 0; rc == RT_OK && keep && k < g->ifs.n; k++) {
			tr_val *c;
			rc = tr_eval(r, &inner, g->ifs.v[k], &c);
			if (rc == RT_OK)
				rc = tr_truth(r, c, &keep);
		}
		if (rc < 0)
			return rc;
		if (!keep)
			continue;
		tr_val *elt, *value = NULL;
		rc = tr_eval(r, &inner, e->u.comp.elt, &elt);
		if (rc == RT_OK && dict)
			rc = tr_eval(r, &inner, e->u.comp.value, &value);
		if (rc == RT_OK && dict)
			rc = dict_set(r, res, elt, value, e->off, e->len);
		else if (rc == RT_OK)
			res->items[res->n++] = elt;
		if (rc < 0)
			return rc;
	}
	if (e->kind == PY_E_GENEXP && r->out->n != emitted)
		return tr_refuse(r, e->off, e->len, "a generator expression whose items run SQL");
	*out = res;
	return RT_OK;
}

/* ---- arguments ---- */

tr_val *tr_arg(tr_args *a, size_t idx, const char *name)
{
	if (idx < a->npos)
		return a->pos[idx];
	for (size_t i = 0; name && i < a->nkw; i++)
		if (strcmp(a->kwn[i], name) == 0) {
			a->used[i] = true;
			return a->kwv[i];
		}
	return NULL;
}

void tr_args_ignore(tr_args *a, const char *const *names)
{
	for (size_t k = 0; names[k]; k++)
		(void)tr_arg(a, SIZE_MAX, names[k]);
}

int tr_args_check(tr_run *r, tr_args *a, size_t npos_max, const char *what, uint32_t off,
                  uint32_t len)
{
	if (a->npos > npos_max) {
		const tr_val *extra = a->pos[npos_max];
		return tr_refuse(r, extra->off, extra->len, "unexpected positional argument to '%s'",
		                 what);
	}
	for (size_t i = 0; i < a->nkw; i++)
		if (!a->used[i])
			return tr_refuse(r, a->kwv[i]->off, a->kwv[i]->len,
			                 "argument '%s=' of '%s' is not supported", a->kwn[i], what);
	(void)off;
	(void)len;
	return RT_OK;
}

static void args_push_pos(tr_run *r, tr_args *a, tr_val *v)
{
	if (a->npos == a->poscap) {
		size_t cap = a->poscap ? 2 * a->poscap : 8;
		a->pos = rt_realloc_array(r->arena, a->pos, a->npos, cap, sizeof(*a->pos));
		a->poscap = cap;
	}
	a->pos[a->npos++] = v;
}

static void args_push_kw(tr_run *r, tr_args *a, const char *name, tr_val *v)
{
	for (size_t i = 0; i < a->nkw; i++)
		if (strcmp(a->kwn[i], name) == 0) {
			a->kwv[i] = v;
			return;
		}
	if (a->nkw == a->kwcap) {
		size_t cap = a->kwcap ? 2 * a->kwcap : 8;
		a->kwn = rt_realloc_array(r->arena, a->kwn, a->nkw, cap, sizeof(*a->kwn));
		a->kwv = rt_realloc_array(r->arena, a->kwv, a->nkw, cap, sizeof(*a->kwv));
		a->used = rt_realloc_array(r->arena, a->used, a->nkw, cap, sizeof(*a->used));
		a->kwcap = cap;
	}
	a->kwn[a->nkw] = name;
	a->kwv[a->nkw++] = v;
}

/*
 * An argument of a column type whose SQL does not depend on most of its
 * arguments (a built-in extension type, a types: entry): one retort cannot
 * know (a key from the application's settings) is kept as an opaque value,
 * refused only where the type's rendering reads it.
 */
static int eval_arg(tr_run *r, tr_scope *sc, const py_expr *e, bool opaque, tr_val **v)
{
	int rc = tr_eval(r, sc, e, v);
	if (rc != RT_EUNSUPPORTED || !opaque)
		return rc;
	rt_error_clear(r->err);
	*v = tr_new(r, V_REF, e->off, e->len);
	(*v)->written = (*v)->name = rt_strndup(r->arena, r->src->text + e->off, e->len);
	return RT_OK;
}

static int eval_args(tr_run *r, tr_scope *sc, const py_expr *call, bool opaque, tr_args *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < call->u.call.args.n; i++) {
		const py_expr *ae = call->u.call.args.v[i];
		bool star = ae->kind == PY_E_STARRED;
		tr_val *v;
		int rc = star ? tr_eval(r, sc, ae->u.unary.operand, &v) : eval_arg(r, sc, ae, opaque, &v);
		if (rc < 0)
			return rc;
		if (!star) {
			args_push_pos(r, out, v);
			continue;
		}
		tr_val **items;
		size_t n;
		rc = iter_items(r, v, &items, &n);
		if (rc < 0)
			return rc;
		for (size_t k = 0; k < n; k++)
			args_push_pos(r, out, items[k]);
	}
	for (size_t i = 0; i < call->u.call.keywords.n; i++) {
		const py_keyword *k = call->u.call.keywords.v[i];
		tr_val *v;
		int rc = k->arg ? eval_arg(r, sc, k->value, opaque, &v) : tr_eval(r, sc, k->value, &v);
		if (rc < 0)
			return rc;
		if (k->arg) {
			args_push_kw(r, out, k->arg, v);
			continue;
		}
		if (v->kind != V_DICT)
			return tr_refuse(r, k->off, k->len, "'**' of a value that is not a literal dict");
		for (size_t j = 0; j < v->n; j++) {
			const tr_val *key = v->items[2 * j];
			if (key->kind != V_STR)
				return tr_refuse(r, k->off, k->len, "'**' of a dict with a key that is "
				                 "not a string");
			args_push_kw(r, out, key->s, v->items[2 * j + 1]);
		}
	}
	return RT_OK;
}

int tr_eval_args(tr_run *r, tr_scope *sc, const py_expr *call, tr_args *out)
{
	return eval_args(r, sc, call, false, out);
}

/* ---- function calls ---- */

static int call_def(tr_run *r, tr_val *fn, tr_args *a, const py_expr *call, tr_val **out)
{
	/* a def of the file, or a lambda (its body is its value) */
	const py_params *params = fn->lambda ? &fn->lambda->u.lambda.params : &fn->def->u.def.params;
	const char *fname = fn->lambda ? "<lambda>" : fn->def->u.def.name;
	if (r->depth >= TR_MAX_CALL_DEPTH)
		return tr_limit(r, call->off, call->len, "helper functions call each other too deeply");
	tr_scope *sc = rt_alloc(r->arena, sizeof(*sc));
	sc->parent = fn->closure;
	size_t posi = 0;
	tr_val *varargs = NULL, *varkw = NULL;
	for (size_t i = 0; i < params->n; i++) {
		const py_param *p = params->v[i];
		tr_val *v = NULL;
		switch (p->kind) {
		case PY_PARAM_POSONLY:
		case PY_PARAM_NORMAL:
			if (posi < a->npos)
				v = a->pos[posi++];
			else if (p->kind == PY_PARAM_NORMAL)
				v = tr_arg(a, SIZE_MAX, p->name);
			break;
		case PY_PARAM_KWONLY:
			v = tr_arg(a, SIZE_MAX, p->name);
			break;
		case PY_PARAM_VARARG:
			v = varargs = tr_new(r, V_TUPLE, call->off, call->len);
			break;
		case PY_PARAM_KWARG:
			v = varkw = tr_new(r, V_DICT, call->off, call->len);
			break;
		default:
			return tr_refuse(r, p->off, p->len, "type parameters of a helper function");
		}
		if (!v && p->def) {
			int rc = tr_eval(r, fn->closure, p->def, &v);
			if (rc < 0)
				return rc;
		}
		if (!v)
			return tr_refuse(r, call->off, call->len, "call to '%s()' without a value for "
			                 "'%s'", fname, p->name);
		tr_scope_set(r, sc, p->name, v);
	}
	if (posi < a->npos) {
		if (!varargs)
			return tr_refuse(r, call->off, call->len, "too many arguments to '%s()'",
			                 fname);
		varargs->n = a->npos - posi;
		varargs->items = a->pos + posi;
	}
	for (size_t i = 0; i < a->nkw; i++) {
		if (a->used[i])
			continue;
		if (!varkw)
			return tr_refuse(r, a->kwv[i]->off, a->kwv[i]->len, "'%s()' has no parameter "
			                 "'%s'", fname, a->kwn[i]);
		varkw->items = rt_realloc_array(r->arena, varkw->items, 2 * varkw->n,
		                                2 * varkw->n + 2, sizeof(*varkw->items));
		varkw->items[2 * varkw->n] = tr_str(r, a->kwn[i], strlen(a->kwn[i]), 0, 0);
		varkw->items[2 * varkw->n + 1] = a->kwv[i];
		varkw->n++;
	}
	r->depth++;
	if (fn->lambda) {
		int rc = tr_eval(r, sc, fn->lambda->u.lambda.body, out);
		r->depth--;
		return rc;
	}
	int flow = TR_NEXT;
	r->retval = NULL;
	int rc = tr_exec_block(r, sc, &fn->def->u.def.body, &flow);
	r->depth--;
	if (rc < 0)
		return rc;
	*out = flow == TR_RETURN && r->retval ? r->retval : tr_new(r, V_NONE, call->off, call->len);
	r->retval = NULL;
	return RT_OK;
}

static int result_iter(tr_run *r, const char *name, tr_args *a, uint32_t off, uint32_t len,
                       tr_val **out);

/* min()/max() of values that order statically (no key= or default=). */
static int min_max(tr_run *r, const char *name, tr_val **items, size_t n, uint32_t off,
                   uint32_t len, tr_val **out)
{
	if (!n) /* Python raises ValueError */
		return tr_refuse(r, off, len, "'%s()' of an empty sequence", name);
	tr_val *best = items[0];
	for (size_t i = 1; i < n; i++) {
		bool better;
		int rc = compare(r, items[i], name[1] == 'i' ? PY_OP_LT : PY_OP_GT, best, off, len,
		                 &better);
		if (rc < 0)
			return rc;
		if (better)
			best = items[i];
	}
	*out = best;
	return RT_OK;
}

/* sorted(iterable, reverse=False): Python's stable sort by `<`; key= only None */
static int sorted_call(tr_run *r, tr_args *a, uint32_t off, uint32_t len, tr_val **out)
{
	const tr_val *key = tr_arg(a, SIZE_MAX, "key");
	bool reverse = false;
	int rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "reverse"), "reverse", &reverse);
	if (rc == RT_OK && key && key->kind != V_NONE)
		rc = tr_refuse(r, key->off, key->len, "'sorted()' with a key function");
	if (rc == RT_OK && a->npos != 1)
		rc = tr_refuse(r, off, len, "'sorted()' of %zu arguments", a->npos);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, 1, "sorted", off, len);
	tr_val **items;
	size_t n;
	if (rc == RT_OK)
		rc = iter_items(r, a->pos[0], &items, &n);
	if (rc < 0)
		return rc;
	tr_val *v = tr_new(r, V_LIST, off, len);
	v->items = rt_alloc_array(r->arena, n ? n : 1, sizeof(*v->items));
	/* insertion: an item moves before those it is less than (greater than,
	 * reversed), so equal items keep their order either way */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j > 0) {
			bool moves;
			rc = reverse ? compare(r, v->items[j - 1], PY_OP_LT, items[i], off, len, &moves)
			             : compare(r, items[i], PY_OP_LT, v->items[j - 1], off, len, &moves);
			if (rc < 0)
				return rc;
			if (!moves)
				break;
			v->items[j] = v->items[j - 1];
			j--;
		}
		v->items[j] = items[i];
	}
	v->n = v->cap = n;
	*out = v;
	return RT_OK;
}

/* dict(), dict(mapping or pairs), dict(..., key=value): keys in insertion order */
static int dict_call(tr_run *r, tr_args *a, uint32_t off, uint32_t len, tr_val **out)
{
	if (a->npos > 1)
		return tr_refuse(r, off, len, "'dict()' of more than one value");
	tr_val *d = tr_new(r, V_DICT, off, len);
	int rc = RT_OK;
	if (a->npos) {
		tr_val *src = a->pos[0];
		if (src->kind == V_DICT) {
			for (size_t i = 0; i < src->n && rc == RT_OK; i++)
				rc = dict_set(r, d, src->items[2 * i], src->items[2 * i + 1], off, len);
		} else if (src->kind == V_LIST || src->kind == V_TUPLE) {
			for (size_t i = 0; i < src->n && rc == RT_OK; i++) {
				const tr_val *p = src->items[i];
				if ((p->kind != V_LIST && p->kind != V_TUPLE) || p->n != 2)
					return tr_refuse(r, p->off, p->len, "'dict()' of an item that is not "
					                 "a pair");
				rc = dict_set(r, d, p->items[0], p->items[1], off, len);
			}
		} else {
			return tr_refuse(r, src->off, src->len, "'dict()' of a value not known "
			                 "statically");
		}
	}
	for (size_t i = 0; i < a->nkw && rc == RT_OK; i++) {
		a->used[i] = true;
		rc = dict_set(r, d, tr_str(r, a->kwn[i], strlen(a->kwn[i]), off, len), a->kwv[i],
		              off, len);
	}
	if (rc == RT_OK)
		*out = d;
	return rc;
}

static int builtin_call(tr_run *r, const char *name, tr_args *a, const py_expr *call,
                        tr_val **out)
{
	uint32_t off = call->off, len = call->len;
	if (strcmp(name, "print") == 0)
		return tr_print(r, a, call, out);
	if (strcmp(name, "set") == 0) {
		/* the empty set a helper fills in a loop over rows (none on a fresh
		 * database); the order of a set's items is Python's hashing, not
		 * known statically, so a set of values is refused, and so is every
		 * use of the empty one (an object without methods) */
		if (a->npos || a->nkw)
			return tr_refuse(r, off, len, "'set()' of values (the order of its items is "
			                 "not known statically)");
		tr_val *v = tr_new(r, V_OBJ, off, len);
		v->name = "builtins.set";
		v->written = "set()";
		*out = v;
		return RT_OK;
	}
	if (strcmp(name, "dict") == 0)
		return dict_call(r, a, off, len, out);
	if (strcmp(name, "sorted") == 0)
		return sorted_call(r, a, off, len, out);
	if (a->nkw)
		return tr_refuse(r, off, len, "keyword arguments to '%s()'", name);
	if (strcmp(name, "iter") == 0 || strcmp(name, "next") == 0)
		return result_iter(r, name, a, off, len, out);
	if (strcmp(name, "range") == 0) {
		int64_t lo = 0, hi = 0, step = 1;
		for (size_t i = 0; i < a->npos; i++)
			if (a->pos[i]->kind != V_INT)
				return tr_refuse(r, off, len, "'range()' of values not known statically");
		if (a->npos == 1)
			hi = a->pos[0]->i;
		else if (a->npos >= 2) {
			lo = a->pos[0]->i;
			hi = a->pos[1]->i;
			if (a->npos == 3)
				step = a->pos[2]->i;
		}
		if (a->npos < 1 || a->npos > 3 || step == 0)
			return tr_refuse(r, off, len, "'range()' with these arguments");
		/* the count first: ranges are capped before anything is built */
		uint64_t span = step > 0 ? (hi > lo ? (uint64_t)hi - (uint64_t)lo : 0)
		                         : (lo > hi ? (uint64_t)lo - (uint64_t)hi : 0);
		uint64_t ustep = step > 0 ? (uint64_t)step : 0 - (uint64_t)step;
		uint64_t count = span / ustep + (span % ustep != 0);
		if (count > TR_MAX_ITEMS)
			return tr_limit(r, off, len, "'range()' is too long");
		tr_val *v = tr_new(r, V_LIST, off, len);
		v->items = rt_alloc_array(r->arena, count ? (size_t)count : 1, sizeof(*v->items));
		for (int64_t x = lo; v->n < (size_t)count; x += step)
			v->items[v->n++] = tr_int(r, x, off, len);
		v->cap = v->n;
		*out = v;
		return RT_OK;
	}
	if ((strcmp(name, "min") == 0 || strcmp(name, "max") == 0) && a->npos > 1)
		return min_max(r, name, a->pos, a->npos, off, len, out);
	if (a->npos != 1 && !(a->npos == 0 && strcmp(name, "str") != 0 && strcmp(name, "len") != 0))
		return tr_refuse(r, off, len, "'%s()' with %zu arguments", name, a->npos);
	tr_val *x = a->npos ? a->pos[0] : tr_new(r, V_LIST, off, len);
	if (strcmp(name, "str") == 0) {
		int crc = tr_conn_text(r, x, off, len, out);
		if (crc != TR_NOT_HANDLED)
			return crc;
		rt_buf b = RT_BUF_INIT;
		int rc = to_text_or_refuse(r, x, &b, 0);
		if (rc == RT_OK)
			*out = tr_str(r, b.ptr ? b.ptr : "", b.len, off, len);
		rt_buf_release(&b);
		return rc;
	}
	if (strcmp(name, "repr") == 0) {
		rt_buf b = RT_BUF_INIT;
		int rc = repr_value(r, x, &b, 0);
		if (rc == RT_OK)
			*out = tr_str(r, b.ptr ? b.ptr : "", b.len, off, len);
		rt_buf_release(&b);
		return rc;
	}
	if (strcmp(name, "len") == 0) {
		if (x->kind == V_STR) { /* characters, not bytes */
			size_t *offs, n;
			int rc = char_offsets(r, x, &offs, &n);
			if (rc < 0)
				return rc;
			*out = tr_int(r, (int64_t)n, off, len);
		} else if (x->kind == V_LIST || x->kind == V_TUPLE || x->kind == V_DICT)
			*out = tr_int(r, (int64_t)x->n, off, len);
		else if (x->kind == V_ENUMCLS) {
			tr_val **items;
			size_t n;
			tr_enumcls_members(r, x, off, len, &items, &n);
			*out = tr_int(r, (int64_t)n, off, len);
		}
		else
			return tr_refuse(r, off, len, "'len()' of a value not known statically");
		return RT_OK;
	}
	if (strcmp(name, "int") == 0) {
		int64_t i;
		if (is_num(x))
			*out = tr_int(r, x->i, off, len);
		else if (x->kind == V_STR && parse_int(x->s, x->slen, &i) == 0)
			*out = tr_int(r, i, off, len);
		else
			return tr_refuse(r, off, len, "'int()' of a value not known statically");
		return RT_OK;
	}
	if (strcmp(name, "bool") == 0) {
		bool b;
		int rc = tr_truth(r, x, &b);
		if (rc == RT_OK)
			*out = bool_val(r, b, off, len);
		return rc;
	}
	tr_val **items;
	size_t n;
	int rc = iter_items(r, x, &items, &n);
	if (rc < 0)
		return rc;
	if (strcmp(name, "min") == 0 || strcmp(name, "max") == 0)
		return min_max(r, name, items, n, off, len, out);
	if (strcmp(name, "any") == 0 || strcmp(name, "all") == 0) {
		bool any = name[1] == 'n', found = false;
		for (size_t i = 0; i < n && !found; i++) {
			bool b;
			if ((rc = tr_truth(r, items[i], &b)) < 0)
				return rc;
			found = b == any;
		}
		*out = bool_val(r, any ? found : !found, off, len);
		return RT_OK;
	}
	if (strcmp(name, "sum") == 0) {
		tr_val *total = tr_int(r, 0, off, len);
		for (size_t i = 0; i < n; i++)
			if ((rc = tr_binary(r, PY_OP_PLUS, total, items[i], off, len, &total)) < 0)
				return rc;
		*out = total;
		return RT_OK;
	}
	if (strcmp(name, "list") == 0 || strcmp(name, "tuple") == 0) {
		tr_val *v = tr_new(r, name[0] == 'l' ? V_LIST : V_TUPLE, off, len);
		v->items = rt_alloc_array(r->arena, n ? n : 1, sizeof(*v->items));
		memcpy(v->items, items, n * sizeof(*items));
		v->n = n;
		*out = v;
		return RT_OK;
	}
	/* Python's reversed() is an iterator; a list is all a loop or list() needs of it */
	if (strcmp(name, "reversed") == 0) {
		tr_val *v = tr_new(r, V_LIST, off, len);
		v->items = rt_alloc_array(r->arena, n ? n : 1, sizeof(*v->items));
		for (size_t i = 0; i < n; i++)
			v->items[i] = items[n - 1 - i];
		v->n = v->cap = n;
		*out = v;
		return RT_OK;
	}
	if (strcmp(name, "enumerate") == 0) {
		tr_val *v = tr_new(r, V_LIST, off, len);
		v->items = rt_alloc_array(r->arena, n ? n : 1, sizeof(*v->items));
		for (size_t i = 0; i < n; i++) {
			tr_val *pair = tr_new(r, V_TUPLE, off, len);
			pair->items = rt_alloc_array(r->arena, 2, sizeof(*pair->items));
			pair->items[0] = tr_int(r, (int64_t)i, off, len);
			pair->items[1] = items[i];
			pair->n = 2;
			v->items[i] = pair;
		}
		v->n = n;
		*out = v;
		return RT_OK;
	}
	return tr_refuse(r, off, len, "a call to '%s()'", name);
}

/* sa.func.<name>(args): SQLAlchemy's rendering; ANSI functions have no parens. */
static int func_call(tr_run *r, const char *fname, tr_args *a, const py_expr *call,
                     tr_val **out)
{
	static const char *const ansi[] = { "current_date", "current_time", "current_timestamp",
		                                "current_user", "localtime", "localtimestamp",
		                                "session_user", "user", NULL };
	if (a->nkw)
		return tr_refuse(r, call->off, call->len, "keyword arguments to 'sa.func.%s'", fname);
	rt_buf b = RT_BUF_INIT;
	bool is_ansi = false;
	tr_table *from = NULL; /* the one table of its column arguments: a select()'s FROM */
	bool one_table = true;
	for (size_t i = 0; i < a->npos; i++)
		if (a->pos[i]->kind == V_SQL && a->pos[i]->table) {
			one_table = one_table && (!from || from == a->pos[i]->table);
			from = a->pos[i]->table;
		}
	for (size_t i = 0; ansi[i]; i++)
		if (strcasecmp(fname, ansi[i]) == 0)
			is_ansi = true;
	if (is_ansi && a->npos == 0) {
		for (const char *p = fname; *p; p++)
			rt_buf_putc(&b, (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
	} else {
		rt_buf_puts(&b, fname);
		rt_buf_putc(&b, '(');
		for (size_t i = 0; i < a->npos; i++) {
			if (i)
				rt_buf_puts(&b, ", ");
			tr_val *x = a->pos[i];
			/* a Column not in a table renders as its name (sa.func.lower(sa.Column('email'))
			 * in an index expression) */
			int rc = tr_is(x, "sa.Column") && x->args.npos && x->args.pos[0]->kind == V_STR
			         ? (rt_ident_append(&b, x->args.pos[0]->s), RT_OK)
			         : tr_render_sql(r, &b, x, "a function argument");
			if (rc < 0) {
				rt_buf_release(&b);
				return rc;
			}
		}
		rt_buf_putc(&b, ')');
	}
	*out = sql_val(r, rt_strdup(r->arena, rt_buf_cstr(&b)), NULL, call->off, call->len);
	(*out)->table = one_table ? from : NULL;
	rt_buf_release(&b);
	return RT_OK;
}

static int make_table(tr_run *r, const char *fn, tr_args *a, const py_expr *call, tr_val **out)
{
	bool big = strcmp(fn, "sa.Table") == 0;
	const char *name, *schema = NULL;
	int rc = tr_get_str(r, tr_arg(a, 0, "name"), "the table name", &name);
	if (rc == RT_OK)
		rc = tr_get_opt_str(r, tr_arg(a, SIZE_MAX, "schema"), "schema", &schema);
	if (rc < 0)
		return rc;
	tr_table *t = rt_alloc(r->arena, sizeof(*t));
	t->name = name;
	t->schema = schema;
	t->cols = rt_alloc_array(r->arena, a->npos ? a->npos : 1, sizeof(*t->cols));
	for (size_t i = big ? 2 : 1; i < a->npos; i++) {
		tr_val *c = a->pos[i];
		tr_col *col = NULL;
		if (c->kind == V_SQL && c->name) {
			col = rt_alloc(r->arena, sizeof(*col));
			col->name = c->name;
		} else if (tr_is(c, "sa.Column")) {
			rc = tr_parse_column(r, c, &col);
			if (rc < 0)
				return rc;
		} else if (c->kind == V_OBJ) {
			continue; /* constraints do not matter for inserts */
		} else {
			return tr_refuse(r, c->off, c->len, "'%s' column that is not sa.column()", fn);
		}
		t->cols[t->ncols++] = col;
	}
	static const char *const ignore[] = { "quote", "info", "keep_existing", "extend_existing",
		                                  "comment", NULL };
	tr_args_ignore(a, ignore);
	if (big && (rc = tr_autoload_args(r, a, call->off, call->len)) < 0)
		return rc;
	rc = tr_args_check(r, a, SIZE_MAX, fn, call->off, call->len);
	if (rc < 0)
		return rc;
	tr_val *v = tr_new(r, V_TABLE, call->off, call->len);
	v->table = t;
	*out = v;
	return RT_OK;
}

/* A name of the application (or of a library retort does not model): not
 * SQLAlchemy, Alembic, a Python builtin nor a `types:` mapping. */
static bool app_ref(tr_run *r, const tr_val *fn)
{
	static const char *const known[] = { "sa.", "pg.", "op.", "context.", "builtins." };
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strncmp(fn->name, known[i], strlen(known[i])) == 0)
			return false;
	return !((r->ctx->cfg && rt_config_find_type(r->ctx->cfg, fn->written)) ||
	         tr_is_ext_type(fn->written) || tr_is_ext_object(fn->written));
}

/* collections.defaultdict(list | dict | int): a dict whose missing keys read
 * as a new empty list or dict, or 0 (other factories are refused). */
static int make_defaultdict(tr_run *r, tr_args *a, uint32_t off, uint32_t len, tr_val **out)
{
	const tr_val *f = a->npos == 1 && !a->nkw ? a->pos[0] : NULL;
	const char *kind = f && f->kind == V_REF ? f->name : "";
	static const char *const factories[] = { "builtins.list", "builtins.dict", "builtins.int",
		                                      NULL };
	for (size_t i = 0; factories[i]; i++)
		if (strcmp(kind, factories[i]) == 0) {
			tr_val *d = tr_new(r, V_DICT, off, len);
			d->dflt = kind + 9;
			*out = d;
			return RT_OK;
		}
	return tr_refuse(r, off, len, "'collections.defaultdict()' of something other than list, "
	                 "dict or int");
}

/* Standard modules whose calls harmless.c knows some of. */
static bool harmless_ns(const char *name)
{
	return strncmp(name, "logging.", 8) == 0 || strncmp(name, "datetime.", 9) == 0 ||
	       strncmp(name, "uuid.", 5) == 0 || strncmp(name, "loguru.logger.", 14) == 0 ||
	       strncmp(name, "structlog.", 10) == 0 || strcmp(name, "time.time") == 0 ||
	       strcmp(name, "os.environ.get") == 0 || strcmp(name, "os.getenv") == 0 ||
	       strcmp(name, "json.dumps") == 0 || strcmp(name, "textwrap.dedent") == 0 ||
	       strcmp(name, "collections.defaultdict") == 0 || strcmp(name, "sys.stdout.flush") == 0 ||
	       strcmp(name, "sys.stderr.flush") == 0;
}

/* A call of a name resolved through the imports. */
static int ref_call(tr_run *r, tr_scope *sc, tr_val *fn, tr_args *a, const py_expr *call,
                    tr_val **out)
{
	(void)sc;
	const char *n = fn->name;
	uint32_t off = call->off, len = call->len;
	if (strncmp(n, "builtins.", 9) == 0)
		return builtin_call(r, n + 9, a, call, out);
	if (strcmp(n, "collections.defaultdict") == 0)
		return make_defaultdict(r, a, call->off, call->len, out);
	if (strcmp(n, "op.get_bind") == 0 || strcmp(n, "context.get_bind") == 0) {
		*out = tr_new(r, V_BIND, off, len);
		return RT_OK;
	}
	if (strcmp(n, "op.get_context") == 0 || strcmp(n, "context.get_context") == 0) {
		*out = tr_new(r, V_MIGCTX, off, len);
		return RT_OK;
	}
	if (strcmp(n, "context.is_offline_mode") == 0) {
		/* retort executes online: the online branch is the one that runs */
		*out = bool_val(r, false, off, len);
		return RT_OK;
	}
	if (strncmp(n, "op.", 3) == 0)
		return tr_op_call(r, n + 3, NULL, a, call, out);
	if (strncmp(n, "context.", 8) == 0)
		return tr_refuse(r, off, len, "'%s()' depends on the migration environment",
		                 fn->written);
	if (strncmp(n, "sa.func.", 8) == 0)
		return func_call(r, n + 8, a, call, out);
	if (strcmp(n, "sa.true") == 0 || strcmp(n, "sa.false") == 0 || strcmp(n, "sa.null") == 0) {
		*out = sql_val(r, n[3] == 't' ? "true" : n[3] == 'f' ? "false" : "NULL", NULL, off, len);
		return RT_OK;
	}
	if (strcmp(n, "sa.column") == 0 || strcmp(n, "sa.literal_column") == 0) {
		const char *name;
		int rc = tr_get_str(r, tr_arg(a, 0, "text"), "the column name", &name);
		if (rc < 0)
			return rc;
		tr_arg(a, 1, "type_");
		a->npos = a->npos > 1 ? 1 : a->npos;
		rc = tr_args_check(r, a, 1, fn->written, off, len);
		if (rc < 0)
			return rc;
		rt_buf b = RT_BUF_INIT;
		if (n[3] == 'c')
			rt_ident_append(&b, name);
		else
			rt_buf_puts(&b, name);
		*out = sql_val(r, rt_strdup(r->arena, rt_buf_cstr(&b)), n[3] == 'c' ? name : NULL, off,
		               len);
		rt_buf_release(&b);
		return RT_OK;
	}
	if (strcmp(n, "sa.desc") == 0 || strcmp(n, "sa.asc") == 0) {
		if (a->npos != 1 || a->nkw)
			return tr_refuse(r, off, len, "'%s' takes one column", fn->written);
		rt_buf b = RT_BUF_INIT;
		int rc = a->pos[0]->kind == V_STR ? (rt_ident_append(&b, a->pos[0]->s), RT_OK)
		                                  : tr_render_sql(r, &b, a->pos[0], "an index element");
		rt_buf_puts(&b, n[3] == 'd' ? " DESC" : " ASC");
		if (rc == RT_OK)
			*out = sql_val(r, rt_strdup(r->arena, rt_buf_cstr(&b)), NULL, off, len);
		rt_buf_release(&b);
		return rc;
	}
	if (strcmp(n, "sa.table") == 0 || strcmp(n, "sa.Table") == 0)
		return make_table(r, n, a, call, out);
	int rc = tr_harmless_call(r, n, a, call, out);
	if (rc != TR_NOT_HANDLED)
		return rc;
	if (strcmp(n, "sa.inspect") == 0)
		return tr_refuse(r, off, len, "'%s()' inspects the live database", fn->written);
	if (app_ref(r, fn)) {
		rc = tr_refuse(r, off, len, "a call to '%s'", fn->written);
		rt_error_hint(r->err, "write this body as SQL in %s (-- retort:%s section); if '%s' "
		              "is a column type, map it in retort.yaml: types: {%s: <SQL type>}; if "
		              "its result is known, give it: assume: {%s: <value>}",
		              tr_sidecar(r), r->fname, fn->written, fn->written, fn->written);
		return rc;
	}
	tr_val *v = tr_new(r, V_OBJ, off, len);
	v->name = n;
	v->written = fn->written;
	v->args = *a;
	*out = v;
	return RT_OK;
}

/* What a method helper returns when the receiver has no such method. */
enum { NO_METHOD = 1 };

static bool no_args(const tr_args *a)
{
	return a->npos == 0 && a->nkw == 0;
}

/* s.upper(), s.lower(), s.strip() */
/* upper()/lower(): exact for ASCII text; other letters need Unicode's tables */
static int str_case(tr_run *r, const tr_val *self, const char *name, uint32_t off,
                    uint32_t len, tr_val **out)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < self->slen; i++) {
		char c = self->s[i];
		if ((unsigned char)c >= 0x80) {
			rt_buf_release(&b);
			return tr_refuse(r, off, len, "'%s()' of text that is not ASCII", name);
		}
		if (name[0] == 'u' && c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		else if (name[0] == 'l' && c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		rt_buf_putc(&b, c);
	}
	*out = tr_str(r, b.ptr ? b.ptr : "", b.len, off, len);
	rt_buf_release(&b);
	return RT_OK;
}

/* str.isspace() of one character */
static bool py_space(long c)
{
	static const long wide[] = { 0x85,   0xA0,   0x1680, 0x2028, 0x2029,
		                         0x202F, 0x205F, 0x3000 };
	if ((c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || (c >= 0x2000 && c <= 0x200A))
		return true;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (c == wide[i])
			return true;
	return false;
}

/* Whether the character c is stripped: whitespace, or one of chars. */
static bool stripped(long c, const tr_val *chars)
{
	if (!chars)
		return py_space(c);
	for (size_t i = 0; i < chars->slen;) {
		if (tr_utf8_next(chars->s, chars->slen, &i) == c)
			return true;
	}
	return false;
}

/* strip()/lstrip()/rstrip([chars]), character by character as Python does */
static int str_strip(tr_run *r, const tr_val *self, const char *name, tr_args *a,
                     uint32_t off, uint32_t len, tr_val **out)
{
	const tr_val *chars = tr_arg(a, 0, "chars");
	int rc = tr_args_check(r, a, 1, name, off, len);
	if (rc < 0)
		return rc;
	if (chars && chars->kind == V_NONE)
		chars = NULL;
	if (chars && chars->kind != V_STR)
		return tr_refuse(r, chars->off, chars->len, "'%s()' of characters that are not a "
		                 "string", name);
	size_t s = 0, e = self->slen;
	if (name[0] != 'r') {
		while (s < e) {
			size_t i = s;
			long c = tr_utf8_next(self->s, e, &i);
			if (c < 0 || !stripped(c, chars))
				break;
			s = i;
		}
	}
	if (name[0] != 'l') {
		while (e > s) {
			size_t j = e - 1;
			while (j > s && ((unsigned char)self->s[j] & 0xC0) == 0x80)
				j--;
			size_t i = j;
			long c = tr_utf8_next(self->s, e, &i);
			if (c < 0 || i != e || !stripped(c, chars))
				break;
			e = j;
		}
	}
	*out = tr_str(r, self->s + s, e - s, off, len);
	return RT_OK;
}

static int str_join(tr_run *r, const tr_val *self, tr_val *seq, uint32_t off, uint32_t len,
                    tr_val **out)
{
	tr_val **items;
	size_t n;
	int rc = iter_items(r, seq, &items, &n);
	if (rc < 0)
		return rc;
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < n && rc == RT_OK; i++) {
		if (items[i]->kind != V_STR)
			rc = tr_refuse(r, off, len, "'join' of a value that is not a string");
		else {
			if (i)
				rt_buf_add(&b, self->s, self->slen);
			rt_buf_add(&b, items[i]->s, items[i]->slen);
		}
	}
	if (rc == RT_OK)
		*out = tr_str(r, b.ptr ? b.ptr : "", b.len, off, len);
	rt_buf_release(&b);
	return rc;
}

/* s.replace(old, new): every occurrence, left to right; an empty 'old' inserts
 * 'new' before each character and at the end, as Python does. */
static int str_replace(tr_run *r, const tr_val *self, const tr_val *from, const tr_val *to,
                       uint32_t off, uint32_t len, tr_val **out)
{
	if (from->kind != V_STR || to->kind != V_STR)
		return tr_refuse(r, off, len, "'replace' with arguments that are not strings");
	rt_buf b = RT_BUF_INIT;
	size_t i = 0;
	while (i <= self->slen) {
		if (from->slen == 0 || (self->slen - i >= from->slen &&
		                        memcmp(self->s + i, from->s, from->slen) == 0)) {
			rt_buf_add(&b, to->s, to->slen);
			if (from->slen) {
				i += from->slen;
				continue;
			}
		}
		if (i == self->slen)
			break;
		rt_buf_putc(&b, self->s[i++]);
	}
	*out = tr_str(r, b.ptr ? b.ptr : "", b.len, off, len);
	rt_buf_release(&b);
	return RT_OK;
}

/* s.split(sep=None, maxsplit=-1): with sep, every occurrence left to right;
 * without, runs of whitespace with the ends dropped (ASCII text only: Python
 * also splits at Unicode spaces). */
static bool ascii_space(char c)
{
	return c && strchr(" \t\n\r\v\f", c);
}

static int str_split(tr_run *r, const tr_val *self, tr_args *a, uint32_t off, uint32_t len,
                     tr_val **out)
{
	const tr_val *sep = tr_arg(a, 0, "sep"), *max = tr_arg(a, 1, "maxsplit");
	int rc = tr_args_check(r, a, 2, "split", off, len);
	if (rc < 0)
		return rc;
	if (sep && sep->kind == V_NONE)
		sep = NULL;
	if ((sep && (sep->kind != V_STR || sep->slen == 0)) || (max && max->kind != V_INT))
		return tr_refuse(r, off, len, "'split' with these arguments");
	for (size_t i = 0; !sep && i < self->slen; i++)
		if ((unsigned char)self->s[i] >= 0x80 || (self->s[i] >= 0x1c && self->s[i] <= 0x1f))
			return tr_refuse(r, off, len, "'split()' at whitespace of non-ASCII text");
	int64_t left = max ? max->i : -1;
	tr_val *v = tr_new(r, V_LIST, off, len);
	rt_ptrvec parts = { 0 };
	size_t i = 0, n = self->slen;
	const char *p = self->s;
	while (i <= n) {
		if (!sep) {
			while (i < n && ascii_space(p[i]))
				i++;
			if (i == n)
				break;
		}
		size_t end = i;
		if (left == 0)
			end = n;
		else if (sep)
			while (end < n && !(n - end >= sep->slen && memcmp(p + end, sep->s, sep->slen) == 0))
				end++;
		else
			while (end < n && !ascii_space(p[end]))
				end++;
		if (parts.n >= TR_MAX_ITEMS)
			return tr_limit(r, off, len, "a list grows too large");
		rt_ptrvec_push(r->arena, &parts, tr_str(r, p + i, end - i, off, len));
		if (left > 0)
			left--;
		if (end >= n)
			break;
		i = end + (sep ? sep->slen : 1);
		if (sep && i == n) { /* a separator at the end leaves an empty part */
			rt_ptrvec_push(r->arena, &parts, tr_str(r, "", 0, off, len));
			break;
		}
	}
	v->items = (tr_val **)parts.items;
	v->n = v->cap = parts.n;
	*out = v;
	return RT_OK;
}

/* s.startswith(prefix) / s.endswith(suffix), of a string or a tuple of them */
static int str_affix(tr_run *r, const tr_val *self, const char *name, const tr_val *x,
                     uint32_t off, uint32_t len, tr_val **out)
{
	bool start = name[0] == 's', res = false;
	for (size_t i = 0; i < (x->kind == V_TUPLE ? x->n : 1); i++) {
		const tr_val *p = x->kind == V_TUPLE ? x->items[i] : x;
		if (p->kind != V_STR)
			return tr_refuse(r, off, len, "'%s' of a value that is not a string", name);
		if (p->slen <= self->slen &&
		    memcmp(self->s + (start ? 0 : self->slen - p->slen), p->s, p->slen) == 0)
			res = true;
	}
	*out = bool_val(r, res, off, len);
	return RT_OK;
}

static int str_method(tr_run *r, tr_val *self, const char *name, tr_args *a, uint32_t off,
                      uint32_t len, tr_val **out)
{
	if (strcmp(name, "split") == 0)
		return str_split(r, self, a, off, len, out);
	if ((strcmp(name, "startswith") == 0 || strcmp(name, "endswith") == 0) && a->npos == 1 &&
	    a->nkw == 0)
		return str_affix(r, self, name, a->pos[0], off, len, out);
	if (strcmp(name, "format") == 0)
		return str_format(r, self, a, off, len, out);
	if ((strcmp(name, "upper") == 0 || strcmp(name, "lower") == 0) && no_args(a))
		return str_case(r, self, name, off, len, out);
	if (strcmp(name, "strip") == 0 || strcmp(name, "lstrip") == 0 ||
	    strcmp(name, "rstrip") == 0)
		return str_strip(r, self, name, a, off, len, out);
	if (strcmp(name, "join") == 0 && a->npos == 1 && a->nkw == 0)
		return str_join(r, self, a->pos[0], off, len, out);
	if (strcmp(name, "replace") == 0 && a->npos == 2 && a->nkw == 0)
		return str_replace(r, self, a->pos[0], a->pos[1], off, len, out);
	return NO_METHOD;
}

static int list_method(tr_run *r, tr_val *self, const char *name, tr_args *a, uint32_t off,
                       uint32_t len, tr_val **out)
{
	if (strcmp(name, "append") != 0 || a->npos != 1 || a->nkw != 0)
		return NO_METHOD;
	if (self->n >= TR_MAX_ITEMS)
		return tr_limit(r, off, len, "a list grows too large");
	if (self->n >= self->cap) {
		size_t cap = self->n ? 2 * self->n : 8;
		self->items = rt_realloc_array(r->arena, self->items, self->n, cap,
		                               sizeof(*self->items));
		self->cap = cap;
	}
	self->items[self->n++] = a->pos[0];
	*out = tr_new(r, V_NONE, off, len);
	return RT_OK;
}

/* d.items(), d.keys(), d.values() */
static tr_val *dict_view(tr_run *r, const tr_val *self, const char *name, uint32_t off,
                         uint32_t len)
{
	tr_val *v = tr_new(r, V_LIST, off, len);
	v->items = rt_alloc_array(r->arena, self->n ? self->n : 1, sizeof(*v->items));
	for (size_t i = 0; i < self->n; i++) {
		if (name[0] == 'k')
			v->items[i] = self->items[2 * i];
		else if (name[0] == 'v')
			v->items[i] = self->items[2 * i + 1];
		else {
			tr_val *pair = tr_new(r, V_TUPLE, off, len);
			pair->items = self->items + 2 * i;
			pair->n = 2;
			v->items[i] = pair;
		}
	}
	v->n = self->n;
	return v;
}

static int dict_method(tr_run *r, tr_val *self, const char *name, tr_args *a, uint32_t off,
                       uint32_t len, tr_val **out)
{
	if ((strcmp(name, "items") == 0 || strcmp(name, "keys") == 0 ||
	     strcmp(name, "values") == 0) && no_args(a)) {
		*out = dict_view(r, self, name, off, len);
		return RT_OK;
	}
	if (strcmp(name, "get") != 0 || (a->npos != 1 && a->npos != 2) || a->nkw != 0)
		return NO_METHOD;
	*out = a->npos == 2 ? a->pos[1] : tr_new(r, V_NONE, off, len);
	for (size_t i = 0; i < self->n; i++) {
		int e = equal(self->items[2 * i], a->pos[0]);
		if (e < 0)
			return tr_refuse(r, off, len, "dict lookup not known statically");
		if (e)
			*out = self->items[2 * i + 1];
	}
	return RT_OK;
}

/* Methods of SQLAlchemy objects: text().bindparams(), Enum.create()/.drop(),
 * TypeEngine.with_variant(). */
static int obj_method(tr_run *r, tr_val *self, const char *name, tr_args *a,
                      const py_expr *call, tr_val **out)
{
	uint32_t off = call->off, len = call->len;
	if (tr_is_logger(self))
		return tr_logger_method(r, self, name, a, call, out);
	int crc = tr_conn_method(r, self, name, a, off, len, out);
	if (crc != TR_NOT_HANDLED)
		return crc;
	if ((crc = tr_orm_method(r, self, name, a, call, out)) != TR_NOT_HANDLED)
		return crc;
	if (r->ctx->guards && tr_is_query(self))
		return tr_query_method(r, self, name, a, off, len, out);
	if ((crc = tr_reflect_method(r, self, name, a, off, len, out)) != TR_NOT_HANDLED)
		return crc;
	if (tr_is_dml(self))
		return tr_dml_method(r, self, name, a, off, len, out);
	if (strcmp(self->name, "sa.text") == 0 && strcmp(name, "bindparams") == 0) {
		if (a->npos)
			return tr_refuse(r, off, len, "'bindparams()' with bindparam objects");
		tr_val *v = tr_new(r, V_OBJ, self->off, self->len);
		*v = *self;
		v->args.kwn = NULL, v->args.kwv = NULL, v->args.used = NULL, v->args.nkw = 0;
		for (size_t i = 0; i < self->args.nkw; i++)
			args_push_kw(r, &v->args, self->args.kwn[i], self->args.kwv[i]);
		for (size_t i = 0; i < a->nkw; i++)
			args_push_kw(r, &v->args, a->kwn[i], a->kwv[i]);
		*out = v;
		return RT_OK;
	}
	if (strcmp(self->name, "sa.text") == 0 && strcmp(name, "execution_options") == 0) {
		/* autocommit= acts only outside a transaction, and a migration runs in
		 * one (SQLAlchemy 1.4; 2.0 ignores it): the statement is unchanged */
		bool autocommit = false;
		int rc = tr_get_bool(r, tr_arg(a, SIZE_MAX, "autocommit"), "autocommit", &autocommit);
		if (rc == RT_OK)
			rc = tr_args_check(r, a, 0, "execution_options", off, len);
		if (rc == RT_OK)
			*out = self;
		return rc;
	}
	if (tr_is_enum(self) && (strcmp(name, "create") == 0 || strcmp(name, "drop") == 0)) {
		int rc = tr_enum_method(r, self, name, a, call);
		if (rc == RT_OK)
			*out = tr_new(r, V_NONE, off, len);
		return rc;
	}
	if (strcmp(name, "with_variant") == 0 && a->npos == 2 && a->nkw == 0) {
		const tr_val *d = a->pos[1];
		bool pg = d->kind == V_STR && strcmp(d->s, "postgresql") == 0;
		if (d->kind == V_LIST || d->kind == V_TUPLE)
			for (size_t i = 0; i < d->n; i++)
				if (d->items[i]->kind == V_STR && strcmp(d->items[i]->s, "postgresql") == 0)
					pg = true;
		*out = pg ? a->pos[0] : self;
		return RT_OK;
	}
	return NO_METHOD;
}

/* col.desc(), col.nulls_last(), ... of a SQL expression. */
static int sql_method(tr_run *r, const tr_val *self, const char *name, tr_args *a,
                      uint32_t off, uint32_t len, tr_val **out)
{
	static const struct { const char *m, *sfx; } mods[] = {
		{ "desc", " DESC" }, { "asc", " ASC" }, { "nulls_last", " NULLS LAST" },
		{ "nulls_first", " NULLS FIRST" }, { "nullslast", " NULLS LAST" },
		{ "nullsfirst", " NULLS FIRST" },
	};
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
		if (strcmp(name, mods[i].m) == 0 && no_args(a)) {
			*out = sql_val(r, rt_concat(r->arena, self->s, mods[i].sfx, NULL), NULL, off, len);
			return RT_OK;
		}
	/* conditions of a data loop's select(): col.is_(None), col.in_([...]), col.like(...) */
	static const struct { const char *m, *op; } preds[] = {
		{ "is_", " IS " }, { "isnot", " IS NOT " }, { "is_not", " IS NOT " },
		{ "in_", " IN " }, { "notin_", " NOT IN " }, { "not_in", " NOT IN " },
		{ "like", " LIKE " }, { "ilike", " ILIKE " },
	};
	for (size_t i = 0; i < sizeof(preds) / sizeof(preds[0]); i++) {
		if (strcmp(name, preds[i].m) != 0 || a->npos != 1 || a->nkw)
			continue;
		tr_val *arg = a->pos[0];
		bool in = strstr(preds[i].op, "IN") != NULL;
		if (in != (arg->kind == V_LIST || arg->kind == V_TUPLE) || (in && !arg->n))
			return tr_refuse(r, off, len, "'%s()' of this value", name);
		rt_buf b = RT_BUF_INIT;
		rt_buf_add(&b, self->s, self->slen);
		rt_buf_puts(&b, preds[i].op);
		int rc = RT_OK;
		if (in) {
			rt_buf_putc(&b, '(');
			for (size_t k = 0; k < arg->n && rc == RT_OK; k++) {
				if (k)
					rt_buf_puts(&b, ", ");
				rc = tr_render_sql(r, &b, arg->items[k], "an IN value");
			}
			rt_buf_putc(&b, ')');
		} else if (arg->kind == V_NONE) {
			rt_buf_puts(&b, "NULL");
		} else {
			rc = tr_render_sql(r, &b, arg, "a comparison operand");
		}
		if (rc == RT_OK)
			*out = sql_val(r, rt_strdup(r->arena, rt_buf_cstr(&b)), NULL, off, len);
		rt_buf_release(&b);
		return rc;
	}
	return NO_METHOD;
}

/* Methods of a query result (rt_translate_ctx_allow_guards): the rows it
 * finds on a fresh database (tr_query_rows), read as SQLAlchemy reads them. */
static bool result_method(const char *name)
{
	static const char *const names[] = { "fetchall", "all", "scalars", "fetchone", "first",
		                                 "one", "one_or_none", "scalar", "scalar_one",
		                                 "scalar_one_or_none", NULL };
	for (size_t i = 0; names[i]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* The next unread row of a result; *row NULL when there is none. */
static int result_next(tr_run *r, tr_val *res, const char *what, uint32_t off, uint32_t len,
                       tr_val **row)
{
	tr_val **rows;
	size_t n;
	int rc = tr_query_rows(r, res, off, len, what, &rows, &n);
	if (rc < 0)
		return rc;
	*row = res->i < (int64_t)n ? rows[res->i++] : NULL;
	return RT_OK;
}

/* iter(result) and next(result[, default]): Python iterates a query result
 * row by row; other iterators are not modelled. */
static int result_iter(tr_run *r, const char *name, tr_args *a, uint32_t off, uint32_t len,
                       tr_val **out)
{
	bool next = name[0] == 'n';
	if (a->npos < 1 || a->npos > (next ? 2u : 1u) || a->pos[0]->kind != V_RESULT)
		return tr_refuse(r, off, len, "'%s()' of a value other than a query result", name);
	if (!next) {
		*out = a->pos[0];
		return RT_OK;
	}
	tr_val *row;
	int rc = result_next(r, a->pos[0], "reads a query's row with next()", off, len, &row);
	if (rc < 0)
		return rc;
	if (!row && a->npos < 2)
		return tr_refuse(r, off, len, "'next()' of a query that finds no rows on a fresh "
		                 "database, where it raises StopIteration");
	*out = row ? row : a->pos[1];
	return RT_OK;
}

static int result_call(tr_run *r, tr_val *self, const char *name, tr_args *a, uint32_t off,
                       uint32_t len, tr_val **out)
{
	if (a->npos || a->nkw)
		return tr_refuse(r, off, len, "'%s()' of a query result with arguments", name);
	if (strcmp(name, "scalars") == 0) {
		*out = tr_new(r, V_RESULT, off, len);
		(*out)->query = self->query;
		(*out)->scalars = true;
		return RT_OK;
	}
	bool all = strcmp(name, "fetchall") == 0 || strcmp(name, "all") == 0;
	const char *what = rt_sprintf(r->arena, "reads a query's %s with %s()", all ? "rows" : "row",
	                              name);
	if (all) {
		tr_val **rows;
		size_t n;
		int rc = tr_query_rows(r, self, off, len, what, &rows, &n);
		if (rc < 0)
			return rc;
		tr_val *list = tr_new(r, V_LIST, off, len);
		list->items = rt_alloc_array(r->arena, n + 1, sizeof *list->items);
		for (; self->i < (int64_t)n; self->i++)
			list->items[list->n++] = rows[self->i];
		*out = list;
		return RT_OK;
	}
	tr_val *row;
	int rc = result_next(r, self, what, off, len, &row);
	if (rc < 0)
		return rc;
	bool scalar = strncmp(name, "scalar", 6) == 0 && !self->scalars;
	if (!row && (strcmp(name, "one") == 0 || strcmp(name, "scalar_one") == 0))
		return tr_refuse(r, off, len, "'%s()' of a query that finds no rows on a fresh "
		                 "database, where it raises", name);
	*out = !row ? tr_new(r, V_NONE, off, len) : scalar ? row->items[0] : row;
	return RT_OK;
}

/* Methods of op.get_bind(): only what a migration does to send SQL. */
static int bind_method(tr_run *r, const char *name, tr_args *a, const py_expr *call,
                       tr_val **out)
{
	uint32_t off = call->off, len = call->len;
	if (strcmp(name, "execution_options") == 0) {
		/* connection.commit(); connection.execution_options(isolation_level=
		 * "AUTOCOMMIT"): the level is the DBAPI connection's (SQLAlchemy 1.4 and
		 * 2.0 alike), so every later statement of the body runs alone, as in an
		 * autocommit block */
		const tr_val *iso = tr_arg(a, SIZE_MAX, "isolation_level");
		if (a->npos || a->nkw != 1 || !iso || iso->kind != V_STR ||
		    strcmp(iso->s, "AUTOCOMMIT") != 0)
			return tr_refuse(r, off, len, "'execution_options()' other than "
			                 "isolation_level=\"AUTOCOMMIT\"");
		r->autocommit = true;
		*out = tr_new(r, V_BIND, off, len);
		return RT_OK;
	}
	if (strcmp(name, "commit") == 0 && no_args(a)) {
		/* before an autocommit block: the block commits anyway */
		*out = tr_new(r, V_NONE, off, len);
		return RT_OK;
	}
	if (strcmp(name, "execute") == 0 || strcmp(name, "exec_driver_sql") == 0) {
		size_t before = r->out->n;
		int rc = tr_op_call(r, name[4] == '_' ? "exec_driver_sql" : "bind.execute", NULL,
		                    a, call, out);
		if (rc == RT_OK) {
			*out = tr_new(r, V_RESULT, off, len);
			if (r->out->n == before + 1) /* a loop over its rows may guard it */
				(*out)->query = r->out->items[before];
		}
		return rc;
	}
	return tr_refuse(r, off, len, "'op.get_bind()' used for data access ('%s')", name);
}

static int migctx_method(tr_run *r, const char *name, tr_args *a, uint32_t off, uint32_t len,
                         tr_val **out)
{
	if (strcmp(name, "autocommit_block") == 0 && no_args(a)) {
		tr_val *v = tr_new(r, V_OBJ, off, len);
		v->name = "autocommit_block";
		v->written = "autocommit_block";
		*out = v;
		return RT_OK;
	}
	return tr_refuse(r, off, len, "'op.get_context().%s()' depends on the migration "
	                 "environment", name);
}

static int method_call(tr_run *r, tr_val *m, tr_args *a, const py_expr *call, tr_val **out)
{
	tr_val *self = m->self;
	const char *name = m->name;
	uint32_t off = call->off, len = call->len;
	int rc = NO_METHOD;
	if (self->pytype)
		return tr_moment_method(r, self, name, a, off, len, out);
	switch (self->kind) {
	case V_STR: rc = str_method(r, self, name, a, off, len, out); break;
	case V_MEMBER: /* of a str enum (tr_member_attr): the str's method */
		rc = str_method(r, tr_member_mixin(self), name, a, off, len, out);
		break;
	case V_LIST: rc = list_method(r, self, name, a, off, len, out); break;
	case V_DICT: rc = dict_method(r, self, name, a, off, len, out); break;
	case V_OBJ: rc = obj_method(r, self, name, a, call, out); break;
	case V_SQL: rc = sql_method(r, self, name, a, off, len, out); break;
	case V_BIND: return bind_method(r, name, a, call, out);
	case V_MIGCTX: return migctx_method(r, name, a, off, len, out);
	case V_RESULT: return result_call(r, self, name, a, off, len, out);
	case V_BATCH: return tr_op_call(r, name, self->table, a, call, out);
	case V_TABLE: /* table.select(): the query of a data loop */
		if ((strcmp(name, "update") == 0 || strcmp(name, "delete") == 0 ||
		     strcmp(name, "insert") == 0) && no_args(a))
			return tr_dml_of_table(r, self, name, off, len, out);
		if (r->ctx->guards && strcmp(name, "select") == 0 && no_args(a)) {
			tr_val *q = tr_new(r, V_OBJ, off, len);
			q->name = "sa.select";
			q->written = "sqlalchemy.select";
			args_push_pos(r, &q->args, self);
			*out = q;
			return RT_OK;
		}
		break;
	default: break;
	}
	if (rc != NO_METHOD)
		return rc;
	return tr_refuse(r, off, len, "a call to method '%s' of %s", name,
	                 self->kind == V_OBJ ? self->written : self->kind == V_RESULT
	                 ? "a query result (data access)" : "a value retort does not model");
}

int tr_call_value(tr_run *r, tr_scope *sc, tr_val *fn, tr_args *a, const py_expr *call,
                  tr_val **out)
{
	if (++r->steps > TR_MAX_STEPS)
		return tr_limit(r, call->off, call->len, "evaluation runs too long");
	switch (fn->kind) {
	case V_REF: return ref_call(r, sc, fn, a, call, out);
	case V_FUNC: return call_def(r, fn, a, call, out);
	case V_BOUND: return method_call(r, fn, a, call, out);
	case V_ENUMCLS: return tr_enumcls_call(r, fn, a, call->off, call->len, out);
	case V_OBJ: {
		int rc = tr_orm_call(r, fn, a, call->off, call->len, out); /* sessionmaker()() */
		if (rc != TR_NOT_HANDLED)
			return rc;
		break;
	}
	default:
		break;
	}
	return tr_refuse(r, call->off, call->len, "a call of %s", py_expr_describe(call->u.call.func));
}

/* ---- attributes and subscripts ---- */

int tr_table_column(tr_run *r, const tr_val *tc, const char *name, uint32_t off, uint32_t len,
                    tr_val **out)
{
	rt_buf b = RT_BUF_INIT;
	tr_qualified(&b, tc->table->schema, tc->table->name);
	rt_buf_putc(&b, '.');
	rt_ident_append(&b, name);
	*out = sql_val(r, rt_strdup(r->arena, rt_buf_cstr(&b)), name, off, len);
	(*out)->table = tc->table; /* the FROM of a select() of it */
	rt_buf_release(&b);
	return RT_OK;
}

static int eval_attr(tr_run *r, tr_scope *sc, const py_expr *e, tr_val **out)
{
	tr_val *base;
	int rc = tr_eval(r, sc, e->u.attr.value, &base);
	if (rc < 0)
		return rc;
	const char *a = e->u.attr.attr;
	uint32_t off = e->off, len = e->len;
	if (base->pytype && (rc = tr_moment_attr(r, base, a, off, len, out)) != TR_NOT_HANDLED)
		return rc;
	switch (base->kind) {
	case V_REF:
		*out = tr_ref(r, rt_concat(r->arena, base->written, ".", a, NULL), off, len);
		return RT_OK;
	case V_ENUMCLS:
		return tr_enumcls_attr(r, base, a, off, len, out);
	case V_MEMBER:
		if ((rc = tr_member_attr(r, base, a, off, len, out)) != TR_NOT_HANDLED)
			return rc;
		break;
	case V_BIND:
		if (strcmp(a, "dialect") == 0) {
			*out = tr_new(r, V_DIALECT, off, len);
			return RT_OK;
		}
		if (strcmp(a, "engine") == 0) {
			*out = tr_engine(r, off, len);
			return RT_OK;
		}
		if (strcmp(a, "execute") != 0 && strcmp(a, "commit") != 0 &&
		    strcmp(a, "exec_driver_sql") != 0 && strcmp(a, "execution_options") != 0)
			return tr_refuse(r, off, len, "'op.get_bind()' used for data access ('%s')", a);
		break;
	case V_DIALECT:
		if (strcmp(a, "name") == 0) {
			*out = tr_str(r, "postgresql", 10, off, len);
			return RT_OK;
		}
		return tr_refuse(r, off, len, "'dialect.%s' depends on the live database", a);
	case V_MIGCTX:
		if (strcmp(a, "dialect") == 0) {
			*out = tr_new(r, V_DIALECT, off, len);
			return RT_OK;
		}
		if (strcmp(a, "bind") == 0 || strcmp(a, "connection") == 0) {
			/* online, MigrationContext.bind is its connection: op.get_bind()'s */
			*out = tr_new(r, V_BIND, off, len);
			return RT_OK;
		}
		if (strcmp(a, "as_sql") == 0) {
			*out = bool_val(r, false, off, len);
			return RT_OK;
		}
		break;
	case V_TABLE:
		if (base->table->mapped) /* a model class: X.column */
			return tr_orm_attr(r, base, a, off, len, out);
		if (strcmp(a, "c") == 0 || strcmp(a, "columns") == 0) {
			tr_val *v = tr_new(r, V_TABLE_C, off, len);
			v->table = base->table;
			*out = v;
			return RT_OK;
		}
		if (strcmp(a, "name") == 0) {
			*out = tr_str(r, base->table->name, strlen(base->table->name), off, len);
			return RT_OK;
		}
		break;
	case V_TABLE_C:
		return tr_table_column(r, base, a, off, len, out);
	case V_OBJ:
		if ((rc = tr_conn_attr(r, base, a, off, len, out)) != TR_NOT_HANDLED)
			return rc;
		if ((rc = tr_reflect_attr(r, base, a, off, len, out)) != TR_NOT_HANDLED)
			return rc;
		break;
	case V_RESULT:
		if (r->ctx->guards && strcmp(a, "rowcount") == 0)
			return tr_query_rowcount(r, base, off, len, out);
		if (!r->ctx->guards || !result_method(a))
			return tr_refuse(r, off, len, "'op.get_bind()' used for data access (a query "
			                 "result)");
		break;
	default:
		break;
	}
	tr_val *m = tr_new(r, V_BOUND, off, len);
	m->self = base;
	m->name = a;
	*out = m;
	return RT_OK;
}

/* A slice bound: an integer, or None/absent (*given false). */
static int slice_bound(tr_run *r, tr_scope *sc, const py_expr *x, int64_t *v, bool *given)
{
	*given = false;
	if (!x)
		return RT_OK;
	tr_val *b;
	int rc = tr_eval(r, sc, x, &b);
	if (rc < 0 || b->kind == V_NONE)
		return rc;
	if (b->kind != V_INT)
		return tr_refuse(r, x->off, x->len, "a slice bound that is not an integer");
	*v = b->i;
	*given = true;
	return RT_OK;
}

/* Python's PySlice_AdjustIndices: one bound of a sequence of n items */
static int64_t slice_clamp(int64_t v, bool given, int64_t dflt, int64_t n, int64_t step)
{
	if (!given)
		return dflt;
	if (v < 0) {
		v += n;
		if (v < 0)
			v = step < 0 ? -1 : 0;
	} else if (v >= n) {
		v = step < 0 ? n - 1 : n;
	}
	return v;
}

/* base[lower:upper:step] of a list, tuple or string */
static int eval_slice(tr_run *r, tr_scope *sc, const py_expr *e, tr_val *base, tr_val **out)
{
	const py_expr *x = e->u.subscript.index;
	int64_t lo = 0, hi = 0, step = 1;
	bool has_lo, has_hi, has_step;
	int rc = slice_bound(r, sc, x->u.slice.lower, &lo, &has_lo);
	if (rc == RT_OK)
		rc = slice_bound(r, sc, x->u.slice.upper, &hi, &has_hi);
	if (rc == RT_OK)
		rc = slice_bound(r, sc, x->u.slice.step, &step, &has_step);
	if (rc < 0)
		return rc;
	if (!has_step)
		step = 1;
	if (step == 0)
		return tr_refuse(r, x->off, x->len, "a slice step of zero (ValueError)");
	if (base->kind != V_LIST && base->kind != V_TUPLE && base->kind != V_STR)
		return tr_refuse(r, e->off, e->len, "slicing a value not known statically");
	size_t *offs = NULL, nchars = 0;
	if (base->kind == V_STR && (rc = char_offsets(r, base, &offs, &nchars)) < 0)
		return rc;
	int64_t n = base->kind == V_STR ? (int64_t)nchars : (int64_t)base->n;
	lo = slice_clamp(lo, has_lo, step < 0 ? n - 1 : 0, n, step);
	hi = slice_clamp(hi, has_hi, step < 0 ? -1 : n, n, step);
	if (base->kind == V_STR) {
		rt_buf b = RT_BUF_INIT;
		for (int64_t i = lo; step > 0 ? i < hi : i > hi; i += step)
			rt_buf_add(&b, base->s + offs[i], offs[i + 1] - offs[i]);
		*out = tr_str(r, b.ptr ? b.ptr : "", b.len, e->off, e->len);
		rt_buf_release(&b);
		return RT_OK;
	}
	tr_val *v = tr_new(r, base->kind, e->off, e->len);
	v->items = rt_alloc_array(r->arena, base->n ? base->n : 1, sizeof(*v->items));
	for (int64_t i = lo; step > 0 ? i < hi : i > hi; i += step)
		v->items[v->n++] = base->items[i];
	v->cap = base->n;
	*out = v;
	return RT_OK;
}

static int eval_subscript(tr_run *r, tr_scope *sc, const py_expr *e, tr_val **out)
{
	tr_val *base, *idx;
	int rc = tr_eval(r, sc, e->u.subscript.value, &base);
	if (rc == RT_OK && e->u.subscript.index->kind == PY_E_SLICE)
		return eval_slice(r, sc, e, base, out);
	if (rc == RT_OK)
		rc = tr_eval(r, sc, e->u.subscript.index, &idx);
	if (rc < 0)
		return rc;
	if ((base->kind == V_LIST || base->kind == V_TUPLE || base->kind == V_STR) &&
	    idx->kind == V_INT) {
		size_t *offs = NULL, nchars = 0;
		if (base->kind == V_STR && (rc = char_offsets(r, base, &offs, &nchars)) < 0)
			return rc;
		int64_t n = base->kind == V_STR ? (int64_t)nchars : (int64_t)base->n;
		int64_t i = idx->i < 0 ? idx->i + n : idx->i;
		if (i < 0 || i >= n)
			return tr_refuse(r, e->off, e->len, "index out of range");
		*out = base->kind == V_STR ? tr_str(r, base->s + offs[i], offs[i + 1] - offs[i],
		                                    e->off, e->len)
		                           : base->items[i];
		return RT_OK;
	}
	if (base->kind == V_DICT) {
		for (size_t i = base->n; i-- > 0;) {
			int eq = equal(base->items[2 * i], idx);
			if (eq < 0)
				break;
			if (eq) {
				*out = base->items[2 * i + 1];
				return RT_OK;
			}
		}
		if (base->dflt) { /* a defaultdict: the key is added with a new default */
			*out = base->dflt[0] == 'l' ? tr_new(r, V_LIST, e->off, e->len)
			     : base->dflt[0] == 'd' ? tr_new(r, V_DICT, e->off, e->len)
			                            : tr_int(r, 0, e->off, e->len);
			return dict_set(r, base, idx, *out, e->off, e->len);
		}
		return tr_refuse(r, e->off, e->len, "dict key not found statically");
	}
	if (base->kind == V_ENUMCLS)
		return tr_enumcls_item(r, base, idx, e->off, e->len, out);
	if (tr_is(base, "sa.MetaData.tables"))
		return tr_reflected_table(r, base, idx, e->off, e->len, out);
	if (base->kind == V_TABLE_C && idx->kind == V_STR) {
		rt_buf b = RT_BUF_INIT;
		tr_qualified(&b, base->table->schema, base->table->name);
		rt_buf_putc(&b, '.');
		rt_ident_append(&b, idx->s);
		*out = sql_val(r, rt_strdup(r->arena, rt_buf_cstr(&b)), idx->s, e->off, e->len);
		rt_buf_release(&b);
		return RT_OK;
	}
	return tr_refuse(r, e->off, e->len, "subscript of a value not known statically");
}

static int eval_seq(tr_run *r, tr_scope *sc, const py_expr *e, tr_kind kind, tr_val **out)
{
	tr_val *v = tr_new(r, kind, e->off, e->len);
	for (size_t i = 0; i < e->u.seq.elts.n; i++) {
		const py_expr *x = e->u.seq.elts.v[i];
		bool star = x->kind == PY_E_STARRED;
		tr_val *item;
		int rc = tr_eval(r, sc, star ? x->u.unary.operand : x, &item);
		if (rc < 0)
			return rc;
		tr_val **items = &item;
		size_t n = 1;
		if (star && (rc = iter_items(r, item, &items, &n)) < 0)
			return rc;
		if (v->n + n > TR_MAX_ITEMS)
			return tr_limit(r, e->off, e->len, "a list grows too large");
		v->items = rt_realloc_array(r->arena, v->items, v->n, v->n + n, sizeof(*v->items));
		memcpy(v->items + v->n, items, n * sizeof(*items));
		v->n += n;
	}
	*out = v;
	return RT_OK;
}

static int eval_dict(tr_run *r, tr_scope *sc, const py_expr *e, tr_val **out)
{
	tr_val *v = tr_new(r, V_DICT, e->off, e->len);
	for (size_t i = 0; i < e->u.dict.values.n; i++) {
		tr_val *k = NULL, *val;
		int rc = e->u.dict.keys.v[i] ? tr_eval(r, sc, e->u.dict.keys.v[i], &k) : RT_OK;
		if (rc == RT_OK)
			rc = tr_eval(r, sc, e->u.dict.values.v[i], &val);
		if (rc < 0)
			return rc;
		tr_val **pairs = &val;
		size_t np = 1;
		tr_val *single[2] = { k, val };
		if (!k) {
			if (val->kind != V_DICT)
				return tr_refuse(r, val->off, val->len, "'**' of a value that is not a dict");
			pairs = val->items;
			np = val->n;
		} else {
			pairs = single;
		}
		for (size_t j = 0; j < np; j++)
			if ((rc = dict_set(r, v, pairs[2 * j], pairs[2 * j + 1], e->off, e->len)) < 0)
				return rc;
	}
	*out = v;
	return RT_OK;
}

int tr_eval(tr_run *r, tr_scope *sc, const py_expr *e, tr_val **out)
{
	if (++r->steps > TR_MAX_STEPS)
		return tr_limit(r, e->off, e->len, "evaluation runs too long");
	int rc;
	switch (e->kind) {
	case PY_E_CONST:
		if (e->u.constant.value == PY_CONST_ELLIPSIS)
			return tr_refuse(r, e->off, e->len, "'...' used as a value");
		*out = e->u.constant.value == PY_CONST_NONE
		       ? tr_new(r, V_NONE, e->off, e->len)
		       : bool_val(r, e->u.constant.value == PY_CONST_TRUE, e->off, e->len);
		return RT_OK;
	case PY_E_NUM:
		return eval_num(r, e, out);
	case PY_E_STR:
		if (e->u.str.is_bytes)
			return tr_refuse(r, e->off, e->len, "a bytes literal");
		*out = tr_new(r, V_STR, e->off, e->len);
		(*out)->s = e->u.str.value;
		(*out)->slen = e->u.str.len;
		(*out)->lit = &e->u.str;
		return RT_OK;
	case PY_E_FSTR:
		return eval_fstr(r, sc, e, out);
	case PY_E_NAME:
		rc = lookup(r, sc, e->u.name.id, e->off, e->len, out);
		if (rc == RT_OK && (*out)->kind == V_CLASS)
			rc = tr_class_eval(r, *out, e->off, e->len); /* where used, as a module name */
		if (rc == RT_OK)
			*out = assumed(r, *out, e->off, e->len);
		return rc;
	case PY_E_ATTR:
		rc = eval_attr(r, sc, e, out);
		if (rc == RT_OK)
			*out = assumed(r, *out, e->off, e->len);
		return rc;
	case PY_E_SUBSCRIPT:
		return eval_subscript(r, sc, e, out);
	case PY_E_CALL: {
		tr_val *fn;
		tr_args a;
		rc = tr_eval(r, sc, e->u.call.func, &fn);
		if (rc == RT_OK && (fn->assumed || (fn->kind == V_REF && declared(r, fn->written,
		                                                                  false)))) {
			/* the application's function is not run: its arguments do not matter;
			 * what it returns leads to assumed names (get_settings().pg_uri) */
			*out = fn;
			return RT_OK;
		}
		if (rc == RT_OK && fn->kind == V_REF &&
		    ((app_ref(r, fn) && !harmless_ns(fn->name)) ||
		     tr_is_logger_factory(fn->name))) {
			/* refused for what it calls before its arguments (__name__) are, or
			 * a logger whose name does not matter */
			memset(&a, 0, sizeof(a));
			return ref_call(r, sc, fn, &a, e, out);
		}
		bool opaque = rc == RT_OK && fn->kind == V_REF &&
		              (tr_is_ext_type(fn->written) ||
		               (r->ctx->cfg && rt_config_find_type(r->ctx->cfg, fn->written)));
		if (rc == RT_OK)
			rc = eval_args(r, sc, e, opaque, &a);
		if (rc == RT_OK)
			rc = tr_call_value(r, sc, fn, &a, e, out);
		return rc;
	}
	case PY_E_TUPLE:
		return eval_seq(r, sc, e, V_TUPLE, out);
	case PY_E_LIST:
		return eval_seq(r, sc, e, V_LIST, out);
	case PY_E_DICT:
		return eval_dict(r, sc, e, out);
	case PY_E_LISTCOMP:
	case PY_E_DICTCOMP:
	case PY_E_GENEXP:
		return eval_comp(r, sc, e, out);
	case PY_E_COMPARE:
		return eval_compare(r, sc, e, out);
	case PY_E_BINARY: {
		tr_val *a, *b;
		rc = tr_eval(r, sc, e->u.binary.left, &a);
		if (rc == RT_OK)
			rc = tr_eval(r, sc, e->u.binary.right, &b);
		if (rc == RT_OK)
			rc = tr_binary(r, e->u.binary.op, a, b, e->off, e->len, out);
		return rc;
	}
	case PY_E_BOOL: {
		/* Python semantics: the deciding operand is the value */
		for (size_t i = 0; i < e->u.boolop.values.n; i++) {
			bool t;
			rc = tr_eval(r, sc, e->u.boolop.values.v[i], out);
			if (rc == RT_OK)
				rc = tr_truth(r, *out, &t);
			if (rc < 0)
				return rc;
			if (t == (e->u.boolop.op == PY_BOOL_OR))
				break;
		}
		return RT_OK;
	}
	case PY_E_UNARY: {
		tr_val *v;
		rc = tr_eval(r, sc, e->u.unary.operand, &v);
		if (rc < 0)
			return rc;
		if (e->u.unary.op == PY_UNARY_NOT) {
			bool t;
			rc = tr_truth(r, v, &t);
			if (rc == RT_OK)
				*out = bool_val(r, !t, e->off, e->len);
			return rc;
		}
		if (e->u.unary.op == PY_OP_PLUS && (is_num(v) || v->kind == V_FLOAT)) {
			*out = v;
			return RT_OK;
		}
		if (e->u.unary.op == PY_OP_MINUS && is_num(v) && v->i != INT64_MIN) {
			*out = tr_int(r, -v->i, e->off, e->len);
			return RT_OK;
		}
		if (e->u.unary.op == PY_OP_MINUS && v->kind == V_FLOAT) {
			tr_val *f = tr_new(r, V_FLOAT, e->off, e->len);
			f->s = v->s[0] == '-' ? v->s + 1 : rt_concat(r->arena, "-", v->s, NULL);
			f->slen = strlen(f->s);
			*out = f;
			return RT_OK;
		}
		return tr_refuse(r, e->off, e->len, "an operation on a value not known statically");
	}
	case PY_E_LAMBDA:
		*out = tr_new(r, V_FUNC, e->off, e->len);
		(*out)->lambda = e;
		(*out)->closure = sc;
		return RT_OK;
	case PY_E_IFEXP: {
		tr_val *t;
		bool b;
		rc = tr_eval(r, sc, e->u.ifexp.test, &t);
		if (rc == RT_OK)
			rc = tr_truth(r, t, &b);
		if (rc < 0)
			return rc;
		return tr_eval(r, sc, b ? e->u.ifexp.body : e->u.ifexp.orelse, out);
	}
	default:
		return tr_refuse(r, e->off, e->len, "%s", py_expr_describe(e));
	}
}
