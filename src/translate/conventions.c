/*
 * Which naming convention a run uses: retort.yaml's `naming_convention:`,
 * else a literal `naming_convention={...}` of a MetaData(...) in env.py
 * (what Alembic's target_metadata would carry), else a bare MetaData()'s.
 * env.py is parsed, never run; a convention it builds any other way is
 * invisible, and retort.yaml is the way to give it.
 */
#include <string.h>

#include "py/pyparse.h"
#include "tr.h"

static const char *const kinds[] = { "ix", "uq", "ck", "fk", "pk" };

static bool known_kind(const char *key)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(key, kinds[i]) == 0)
			return true;
	return false;
}

/* The last module-level `name = <expr>` of m, or NULL. */
static const py_expr *module_value(const py_module *m, const char *name)
{
	const py_expr *found = NULL;
	for (size_t i = 0; i < m->body.n; i++) {
		const py_stmt *s = m->body.v[i];
		if (s->kind == PY_S_ASSIGN) {
			for (size_t k = 0; k < s->u.assign.targets.n; k++) {
				const py_expr *t = s->u.assign.targets.v[k];
				if (t->kind == PY_E_NAME && strcmp(t->u.name.id, name) == 0)
					found = s->u.assign.value;
			}
		} else if (s->kind == PY_S_ANNASSIGN && s->u.annassign.value &&
		           s->u.annassign.target->kind == PY_E_NAME &&
		           strcmp(s->u.annassign.target->u.name.id, name) == 0) {
			found = s->u.annassign.value;
		}
	}
	return found;
}

/* The naming_convention= argument of a MetaData(...) call inside e (through
 * call arguments: declarative_base(metadata=MetaData(...))), or NULL. */
static const py_expr *find_metadata_arg(rt_arena *a, const py_expr *e, unsigned depth)
{
	if (!e || e->kind != PY_E_CALL || depth > 8)
		return NULL;
	const char *fn = py_dotted_name(a, e->u.call.func);
	size_t n = fn ? strlen(fn) : 0;
	if (n >= 8 && strcmp(fn + n - 8, "MetaData") == 0 && (n == 8 || fn[n - 9] == '.'))
		for (size_t i = 0; i < e->u.call.keywords.n; i++) {
			const py_keyword *k = e->u.call.keywords.v[i];
			if (k->arg && strcmp(k->arg, "naming_convention") == 0)
				return k->value;
		}
	for (size_t i = 0; i < e->u.call.args.n; i++) {
		const py_expr *x = find_metadata_arg(a, e->u.call.args.v[i], depth + 1);
		if (x)
			return x;
	}
	for (size_t i = 0; i < e->u.call.keywords.n; i++) {
		const py_expr *x = find_metadata_arg(a, e->u.call.keywords.v[i]->value, depth + 1);
		if (x)
			return x;
	}
	return NULL;
}

/* A dict literal of string keys and values; entries other than the five
 * kinds (a class key, a callable token) are skipped: they name nothing
 * retort renders differently. NULL when it is not such a literal. */
static tr_conventions *literal_conventions(rt_arena *a, const py_expr *d)
{
	if (!d || d->kind != PY_E_DICT)
		return NULL;
	tr_conventions *c = rt_alloc(a, sizeof(*c));
	tr_convention *v = rt_alloc_array(a, d->u.dict.values.n + 1, sizeof(*v));
	for (size_t i = 0; i < d->u.dict.values.n; i++) {
		const py_expr *k = d->u.dict.keys.v[i], *val = d->u.dict.values.v[i];
		if (!k || k->kind != PY_E_STR || k->u.str.is_bytes)
			continue;
		if (!known_kind(k->u.str.value))
			continue;
		if (val->kind != PY_E_STR || val->u.str.is_bytes)
			return NULL;
		v[c->n].key = rt_strdup(a, k->u.str.value);
		v[c->n++].tmpl = rt_strndup(a, val->u.str.value, val->u.str.len);
	}
	c->v = v;
	return c;
}

/* env.py's literal convention, noted at where it was found; NULL if none. */
static const tr_conventions *from_env_py(rt_translate_ctx *ctx, const char *dir)
{
	rt_arena *a = ctx->arena;
	rt_error err = RT_ERROR_INIT;
	rt_source *src;
	py_module *m = NULL;
	const tr_conventions *c = NULL;
	if (rt_source_load(&src, a, rt_concat(a, dir, "/env.py", NULL), &err) == RT_OK &&
	    py_parse_module(&m, a, src, 0, &err) == RT_OK) {
		for (size_t i = 0; i < m->body.n && !c; i++) {
			const py_stmt *s = m->body.v[i];
			const py_expr *value = s->kind == PY_S_ASSIGN ? s->u.assign.value
			                       : s->kind == PY_S_ANNASSIGN ? s->u.annassign.value
			                       : s->kind == PY_S_EXPR ? s->u.expr.value : NULL;
			const py_expr *arg = find_metadata_arg(a, value, 0);
			if (arg && arg->kind == PY_E_NAME)
				arg = module_value(m, arg->u.name.id);
			if (arg && (c = literal_conventions(a, arg)) != NULL) {
				rt_loc loc = py_loc(src, arg->off, arg->len);
				rt_diags_add(&ctx->warnings, RT_SEV_NOTE, "naming-convention", &loc, NULL,
				             "the naming convention of MetaData(...) in env.py names "
				             "unnamed indexes and constraints (retort.yaml's "
				             "naming_convention: overrides it)");
			}
		}
	}
	rt_error_clear(&err);
	return c;
}

void tr_ctx_conventions(rt_translate_ctx *ctx)
{
	const rt_config *cfg = ctx->cfg;
	const tr_conventions *c = NULL;
	if (cfg && cfg->naming_convention) {
		tr_conventions *own = rt_alloc(ctx->arena, sizeof(*own));
		tr_convention *v = rt_alloc_array(ctx->arena, cfg->nnaming + 1, sizeof(*v));
		for (size_t i = 0; i < cfg->nnaming; i++) {
			v[i].key = cfg->naming_convention[i].key;
			v[i].tmpl = cfg->naming_convention[i].tmpl;
		}
		own->v = v;
		own->n = cfg->nnaming;
		c = own;
	} else if (cfg && cfg->script_location) {
		c = from_env_py(ctx, cfg->script_location);
	}
	/* MetaData(naming_convention={}) falls back to the default, as here */
	ctx->conventions = c && c->n ? c : &tr_default_conventions;
}
