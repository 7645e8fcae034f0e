/*
 * enum.Enum classes a version file defines (class Status(enum.Enum): ...),
 * as Python 3 and SQLAlchemy 1.4 treat them: members with literal values,
 * aliases, auto(), the str/int mixins (IntEnum, StrEnum, class X(str, Enum)),
 * member access, lookups, iteration, and the labels sa.Enum(X) gives the
 * type. A class is evaluated where it is first used; one that is not such an
 * enum (an ORM model, a method that changes how members behave) is refused
 * there, naming what was not understood. Where Python versions differ (str()
 * of a mixin member, `in` of a non-member), the translation is refused.
 */
#include <string.h>

#include "tr.h"

enum mixin { MIX_NONE, MIX_STR, MIX_INT };

struct tr_enum {
	const char *name;       /* the class name */
	uint32_t def_off;       /* its class statement, for messages */
	enum mixin mixin;       /* members are that str/int, compared as it */
	bool strenum;           /* enum.StrEnum: str() and format() give the value */
	bool custom_text;       /* __str__, __repr__ or __format__ of the file */
	rt_strv methods;        /* other functions of the body (and its bases') */
	const char **names;     /* every member name, aliases included, as written */
	tr_val **values;
	size_t *canon;          /* names[i] is an alias of names[canon[i]] when different */
	size_t n;
	size_t *order;          /* indexes of the members that are not aliases */
	size_t nmembers;
};

static int class_line(tr_run *r, const tr_enum *en)
{
	return (int)py_loc(r->src, en->def_off, 0).line;
}

/* A member (not an alias) as a value written at off/len. */
static tr_val *member(tr_run *r, const tr_enum *en, size_t i, uint32_t off, uint32_t len)
{
	tr_val *m = tr_new(r, V_MEMBER, off, len);
	m->enumc = en;
	m->i = (int64_t)en->canon[i];
	return m;
}

/* A member's value, located where it is read. */
static tr_val *value_at(tr_run *r, const tr_val *v, uint32_t off, uint32_t len)
{
	tr_val *c = tr_new(r, v->kind, off, len);
	*c = *v;
	c->off = off;
	c->len = len;
	return c;
}

/* ---- the class statement ---- */

/* The base classes: an enum base last (Python requires it), at most one of
 * str/int before it, or an enum class of the file without members. */
static int class_bases(tr_run *r, const py_stmt *s, tr_scope *sc, tr_enum *en, uint32_t off,
                       uint32_t len)
{
	const char *name = s->u.class_.name;
	bool is_enum = false;
	const py_exprs *bases = &s->u.class_.bases;
	for (size_t i = 0; i < bases->n; i++) {
		const py_expr *b = bases->v[i];
		tr_val *v;
		int rc = tr_eval(r, sc, b, &v);
		if (rc == RT_EUNSUPPORTED) { /* Base = declarative_base(): not an enum either */
			rt_error_clear(r->err);
			v = tr_new(r, V_NONE, b->off, b->len);
		} else if (rc < 0) {
			return rc;
		}
		if (is_enum)
			return tr_refuse(r, b->off, b->len, "class '%s': a base after its enum base "
			                 "(Python requires the enum base last)", name);
		if (v->kind == V_ENUMCLS) {
			const tr_enum *base = v->enumc;
			if (base->n)
				return tr_refuse(r, b->off, b->len, "class '%s' extends enum '%s', which has "
				                 "members (Python raises TypeError)", name, base->name);
			if (en->mixin != MIX_NONE && base->mixin != MIX_NONE)
				return tr_refuse(r, b->off, b->len, "class '%s': more than one str/int base",
				                 name);
			if (base->mixin != MIX_NONE)
				en->mixin = base->mixin;
			en->strenum = base->strenum;
			en->custom_text = base->custom_text;
			for (size_t k = 0; k < base->methods.n; k++)
				rt_strv_push(r->arena, &en->methods, base->methods.v[k]);
			is_enum = true;
			continue;
		}
		const char *bn = v->kind == V_REF ? v->name : NULL;
		enum mixin mix = MIX_NONE;
		if (bn && (strcmp(bn, "enum.Enum") == 0 || strcmp(bn, "enum.IntEnum") == 0 ||
		           strcmp(bn, "enum.StrEnum") == 0)) {
			is_enum = true;
			mix = bn[5] == 'I' ? MIX_INT : bn[5] == 'S' ? MIX_STR : MIX_NONE;
			en->strenum = mix == MIX_STR;
		} else if (bn && (strcmp(bn, "builtins.str") == 0 || strcmp(bn, "builtins.int") == 0)) {
			mix = bn[9] == 's' ? MIX_STR : MIX_INT;
		} else {
			/* refused where the body uses it: that is what needs Python */
			if (bn && (strcmp(bn, "enum.Flag") == 0 || strcmp(bn, "enum.IntFlag") == 0))
				tr_refuse(r, off, len, "class '%s' is an enum.%s: flags are not modelled, "
				          "only enum.Enum, IntEnum and StrEnum", name, bn + 5);
			else
				tr_refuse(r, off, len, "class '%s' (based on %.*s) is not an enum.Enum "
				          "class: of the classes a version file defines, retort models only "
				          "enums (an ORM model or a type class needs Python)", name,
				          (int)b->len, r->src->text + b->off);
			rt_error_detail(r->err, "class '%s' is defined at line %d", name,
			                class_line(r, en));
			return RT_EUNSUPPORTED;
		}
		if (mix != MIX_NONE && en->mixin != MIX_NONE)
			return tr_refuse(r, b->off, b->len, "class '%s': more than one str/int base", name);
		if (mix != MIX_NONE)
			en->mixin = mix;
	}
	if (!is_enum) {
		tr_refuse(r, off, len, "class '%s' is not an enum.Enum class: of the classes a "
		          "version file defines, retort models only enums", name);
		rt_error_detail(r->err, "class '%s' is defined at line %d", name, class_line(r, en));
		return RT_EUNSUPPORTED;
	}
	return RT_OK;
}

/* A function of the class body: one that changes what members are or how
 * they compare is refused; __str__/__repr__/__format__ only make str() of a
 * member unknown; any other is refused where it is used. */
static int class_method(tr_run *r, tr_enum *en, const py_stmt *d)
{
	const char *m = d->u.def.name;
	size_t n = strlen(m);
	if (strcmp(m, "__str__") == 0 || strcmp(m, "__repr__") == 0 ||
	    strcmp(m, "__format__") == 0) {
		en->custom_text = true;
		return RT_OK;
	}
	if (n > 1 && m[0] == '_' && m[n - 1] == '_')
		return tr_refuse(r, d->off, d->len, "method '%s' of enum class '%s' (it changes "
		                 "how members are made or compared, which needs Python)", m, en->name);
	rt_strv_push(r->arena, &en->methods, m);
	return RT_OK;
}

/* auto(): what Python 3.8-3.13 all give, else refused. */
static int auto_value(tr_run *r, tr_enum *en, const char *name, const py_expr *e, tr_val **out)
{
	if (en->strenum) { /* the name lowercased */
		rt_buf b = RT_BUF_INIT;
		for (const char *p = name; *p; p++)
			rt_buf_putc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
		*out = tr_str(r, b.ptr, b.len, e->off, e->len);
		rt_buf_release(&b);
		return RT_OK;
	}
	if (en->mixin == MIX_STR)
		return tr_refuse(r, e->off, e->len, "auto() in a str enum that is not an "
		                 "enum.StrEnum");
	/* one more than the last value: Python 3.12 takes the highest, older
	 * versions the last one; they agree when the last is the highest */
	int64_t last = 0, max = 0;
	for (size_t i = 0; i < en->n; i++) {
		if (en->values[i]->kind != V_INT)
			return tr_refuse(r, e->off, e->len, "auto() after a value that is not an "
			                 "integer");
		last = en->values[i]->i;
		max = i == 0 || last > max ? last : max;
	}
	if (en->n && (last != max || last == INT64_MAX))
		return tr_refuse(r, e->off, e->len, "auto() after a value lower than an earlier "
		                 "one (Python versions differ)");
	*out = tr_int(r, en->n ? last + 1 : 1, e->off, e->len);
	return RT_OK;
}

/* The value of member `name` = e: a literal string or integer, or auto(). */
static int member_value(tr_run *r, tr_scope *sc, tr_enum *en, const char *name,
                        const py_expr *e, tr_val **out)
{
	const py_expr *x = e->kind == PY_E_UNARY && e->u.unary.op == PY_OP_MINUS
	                   ? e->u.unary.operand : e;
	bool literal = (e->kind == PY_E_STR && !e->u.str.is_bytes) ||
	               (x->kind == PY_E_NUM && !x->u.num.is_float && !x->u.num.is_imaginary) ||
	               (e->kind == PY_E_CONST && e->u.constant.value == PY_CONST_NONE);
	if (e->kind == PY_E_CALL && !e->u.call.args.n && !e->u.call.keywords.n) {
		tr_val *fn;
		int rc = tr_eval(r, sc, e->u.call.func, &fn);
		if (rc < 0)
			return rc;
		if (tr_is(fn, "enum.auto"))
			return auto_value(r, en, name, e, out);
	}
	if (!literal)
		return tr_refuse(r, e->off, e->len, "the value of member '%s' of enum class '%s' "
		                 "(only a literal string or integer, or auto(), is understood)",
		                 name, en->name);
	int rc = tr_eval(r, sc, e, out);
	if (rc < 0)
		return rc;
	if (en->mixin == MIX_STR && (*out)->kind != V_STR)
		return tr_refuse(r, e->off, e->len, "member '%s' of str enum '%s' with a value that "
		                 "is not a string", name, en->name);
	if (en->mixin == MIX_INT && (*out)->kind != V_INT)
		return tr_refuse(r, e->off, e->len, "member '%s' of int enum '%s' with a value that "
		                 "is not an integer", name, en->name);
	return RT_OK;
}

static bool same_value(const tr_val *a, const tr_val *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == V_INT)
		return a->i == b->i;
	if (a->kind == V_STR)
		return a->slen == b->slen && memcmp(a->s, b->s, a->slen) == 0;
	return true; /* None */
}

static int class_member(tr_run *r, tr_scope *sc, tr_enum *en, const py_stmt *s)
{
	const py_expr *t = s->u.assign.targets.v[0];
	if (s->u.assign.targets.n != 1 || t->kind != PY_E_NAME)
		return tr_refuse(r, s->off, s->len, "an assignment in enum class '%s' that is not "
		                 "'name = value'", en->name);
	const char *name = t->u.name.id;
	if (name[0] == '_')
		return tr_refuse(r, t->off, t->len, "name '%s' in enum class '%s' (names beginning "
		                 "with '_' are not members)", name, en->name);
	for (size_t i = 0; i < en->n; i++)
		if (strcmp(en->names[i], name) == 0)
			return tr_refuse(r, t->off, t->len, "member '%s' of enum class '%s' is assigned "
			                 "twice (Python raises TypeError)", name, en->name);
	if (rt_strv_index(&en->methods, name) >= 0)
		return tr_refuse(r, t->off, t->len, "member '%s' of enum class '%s' has the name of "
		                 "a method", name, en->name);
	if (en->n >= TR_MAX_ITEMS)
		return tr_limit(r, s->off, s->len, "an enum class has too many members");
	tr_val *v;
	int rc = member_value(r, sc, en, name, s->u.assign.value, &v);
	if (rc < 0)
		return rc;
	size_t n = en->n;
	en->names = rt_realloc_array(r->arena, en->names, n, n + 1, sizeof(*en->names));
	en->values = rt_realloc_array(r->arena, en->values, n, n + 1, sizeof(*en->values));
	en->canon = rt_realloc_array(r->arena, en->canon, n, n + 1, sizeof(*en->canon));
	en->names[n] = name;
	en->values[n] = v;
	en->canon[n] = n;
	for (size_t i = 0; i < n; i++)
		if (en->canon[i] == i && same_value(en->values[i], v)) {
			en->canon[n] = i; /* an alias of the first member with that value */
			break;
		}
	if (en->canon[n] == n) {
		en->order = rt_realloc_array(r->arena, en->order, en->nmembers, en->nmembers + 1,
		                             sizeof(*en->order));
		en->order[en->nmembers++] = n;
	}
	en->n++;
	return RT_OK;
}

/* @enum.unique: no aliases, else Python's ValueError. */
static int class_decorators(tr_run *r, tr_scope *sc, const py_stmt *s, bool *unique)
{
	*unique = false;
	for (size_t i = 0; i < s->u.class_.decorators.n; i++) {
		const py_expr *d = s->u.class_.decorators.v[i];
		tr_val *v;
		int rc = tr_eval(r, sc, d, &v);
		if (rc < 0)
			return rc;
		if (!tr_is(v, "enum.unique"))
			return tr_refuse(r, d->off, d->len, "decorator of class '%s' (only @enum.unique "
			                 "is understood)", s->u.class_.name);
		*unique = true;
	}
	return RT_OK;
}

static int class_build(tr_run *r, const tr_val *cls, tr_enum *en, uint32_t off, uint32_t len)
{
	const py_stmt *s = cls->def;
	tr_scope *sc = cls->closure;
	en->name = s->u.class_.name;
	en->def_off = s->u.class_.name_off;
	bool unique;
	if (s->u.class_.keywords.n || s->u.class_.type_params.n)
		return tr_refuse(r, s->off, s->len, "class '%s' with keywords or type parameters",
		                 en->name);
	int rc = class_decorators(r, sc, s, &unique);
	if (rc == RT_OK)
		rc = class_bases(r, s, sc, en, off, len);
	/* methods first: Python knows them all when it makes the members */
	for (size_t i = 0; rc == RT_OK && i < s->u.class_.body.n; i++)
		if (s->u.class_.body.v[i]->kind == PY_S_DEF)
			rc = class_method(r, en, s->u.class_.body.v[i]);
	for (size_t i = 0; rc == RT_OK && i < s->u.class_.body.n; i++) {
		const py_stmt *st = s->u.class_.body.v[i];
		if (st->kind == PY_S_DEF || st->kind == PY_S_PASS)
			continue;
		if (st->kind == PY_S_EXPR && st->u.expr.value->kind == PY_E_STR)
			continue; /* the docstring, or a string as a comment */
		if (st->kind == PY_S_ASSIGN)
			rc = class_member(r, sc, en, st);
		else
			rc = tr_refuse(r, st->off, st->len, "%s in the body of enum class '%s' (only "
			               "members 'name = value', methods and a docstring are understood)",
			               st->kind == PY_S_EXPR ? py_expr_describe(st->u.expr.value)
			               : rt_sprintf(r->arena, "'%s' statement", py_stmt_describe(st)),
			               en->name);
	}
	if (rc == RT_OK && unique && en->nmembers != en->n)
		for (size_t i = 0; i < en->n; i++)
			if (en->canon[i] != i)
				return tr_refuse(r, s->off, s->len, "@unique enum class '%s' has an alias: "
				                 "%s -> %s (Python raises ValueError)", en->name, en->names[i],
				                 en->names[en->canon[i]]);
	return rc;
}

int tr_class_eval(tr_run *r, tr_val *cls, uint32_t off, uint32_t len)
{
	if (cls->i) /* class A(A): its own name while it is made */
		return tr_refuse(r, off, len, "class '%s' used in its own definition (Python raises "
		                 "NameError)", cls->def->u.class_.name);
	if (r->module_depth >= TR_MAX_CALL_DEPTH)
		return tr_limit(r, off, len, "classes are based on each other too deeply");
	tr_enum *en = rt_alloc(r->arena, sizeof(*en));
	cls->i = 1;
	r->module_depth++;
	int rc = tr_orm_class(r, cls, off, len); /* a declarative model class */
	bool model = rc != TR_NOT_HANDLED;
	if (!model)
		rc = class_build(r, cls, en, off, len);
	r->module_depth--;
	cls->i = 0;
	if (rc < 0 || model)
		return rc;
	cls->kind = V_ENUMCLS; /* every name bound to the class sees it evaluated */
	cls->enumc = en;
	return RT_OK;
}

/* ---- the class ---- */

static long find_name(const tr_enum *en, const char *name)
{
	for (size_t i = 0; i < en->n; i++)
		if (strcmp(en->names[i], name) == 0)
			return (long)i;
	return -1;
}

static int refuse_method(tr_run *r, const tr_enum *en, const char *attr, uint32_t off,
                         uint32_t len)
{
	tr_refuse(r, off, len, "method '%s' of enum class '%s': retort does not run the methods "
	          "of a class", attr, en->name);
	rt_error_detail(r->err, "class '%s' is defined at line %d", en->name, class_line(r, en));
	return RT_EUNSUPPORTED;
}

int tr_enumcls_attr(tr_run *r, const tr_val *cls, const char *attr, uint32_t off,
                    uint32_t len, tr_val **out)
{
	const tr_enum *en = cls->enumc;
	long i = find_name(en, attr);
	if (i >= 0) {
		*out = member(r, en, (size_t)i, off, len);
		return RT_OK;
	}
	if (strcmp(attr, "__name__") == 0) {
		*out = tr_str(r, en->name, strlen(en->name), off, len);
		return RT_OK;
	}
	if (strcmp(attr, "__members__") == 0) { /* name -> member, aliases included */
		tr_val *d = tr_new(r, V_DICT, off, len);
		d->items = rt_alloc_array(r->arena, 2 * en->n + 1, sizeof(*d->items));
		for (size_t k = 0; k < en->n; k++) {
			d->items[2 * k] = tr_str(r, en->names[k], strlen(en->names[k]), off, len);
			d->items[2 * k + 1] = member(r, en, k, off, len);
		}
		d->n = en->n;
		*out = d;
		return RT_OK;
	}
	if (rt_strv_index(&en->methods, attr) >= 0)
		return refuse_method(r, en, attr, off, len);
	tr_refuse(r, off, len, "'%s' is not a member of enum class '%s'", attr, en->name);
	rt_error_detail(r->err, "class '%s' is defined at line %d", en->name, class_line(r, en));
	return RT_EUNSUPPORTED;
}

void tr_enumcls_members(tr_run *r, const tr_val *cls, uint32_t off, uint32_t len,
                        tr_val ***items, size_t *n)
{
	const tr_enum *en = cls->enumc;
	*n = en->nmembers;
	*items = rt_alloc_array(r->arena, *n ? *n : 1, sizeof(**items));
	for (size_t k = 0; k < *n; k++)
		(*items)[k] = member(r, en, en->order[k], off, len);
}

/* X(value): the member with that value (X(member) is the member). */
int tr_enumcls_call(tr_run *r, const tr_val *cls, tr_args *a, uint32_t off, uint32_t len,
                    tr_val **out)
{
	const tr_enum *en = cls->enumc;
	if (a->npos != 1 || a->nkw)
		return tr_refuse(r, off, len, "'%s()' with other than one value (the functional "
		                 "API is not modelled)", en->name);
	const tr_val *v = a->pos[0];
	if (v->kind == V_MEMBER && v->enumc == en) {
		*out = member(r, en, (size_t)v->i, off, len);
		return RT_OK;
	}
	const tr_val *mv = tr_member_mixin(v);
	if (mv)
		v = mv; /* a str/int member is looked up as its value */
	if (v->kind != V_STR && v->kind != V_INT && v->kind != V_NONE && v->kind != V_BOOL)
		return tr_refuse(r, v->off, v->len, "'%s()' of a value not known statically",
		                 en->name);
	for (size_t k = 0; k < en->nmembers; k++) {
		const tr_val *x = en->values[en->order[k]];
		bool eq = v->kind == V_BOOL ? x->kind == V_INT && x->i == v->i : same_value(x, v);
		if (eq) {
			*out = member(r, en, en->order[k], off, len);
			return RT_OK;
		}
	}
	rt_buf b = RT_BUF_INIT;
	tr_to_text(r, v, &b);
	int rc = tr_refuse(r, off, len, "%s%s%s is not a valid %s (Python raises ValueError)",
	                   v->kind == V_STR ? "'" : "", rt_buf_cstr(&b),
	                   v->kind == V_STR ? "'" : "", en->name);
	rt_buf_release(&b);
	return rc;
}

/* X["name"]: the member of that name, aliases included. */
int tr_enumcls_item(tr_run *r, const tr_val *cls, const tr_val *key, uint32_t off,
                    uint32_t len, tr_val **out)
{
	const tr_enum *en = cls->enumc;
	if (key->kind != V_STR)
		return tr_refuse(r, off, len, "'%s[...]' of a value that is not a member name",
		                 en->name);
	long i = find_name(en, key->s);
	if (i < 0)
		return tr_refuse(r, off, len, "'%s' is not a member of enum class '%s' (Python "
		                 "raises KeyError)", key->s, en->name);
	*out = member(r, en, (size_t)i, off, len);
	return RT_OK;
}

int tr_enumcls_contains(tr_run *r, const tr_val *cls, const tr_val *needle, uint32_t off,
                        uint32_t len, bool *out)
{
	const tr_enum *en = cls->enumc;
	if (needle->kind == V_MEMBER && needle->enumc == en) {
		*out = true;
		return RT_OK;
	}
	if (needle->kind == V_MEMBER && en->mixin == MIX_NONE &&
	    needle->enumc->mixin == MIX_NONE) {
		*out = false; /* a plain member of another enum, in every Python 3 */
		return RT_OK;
	}
	return tr_refuse(r, off, len, "'in' enum class '%s' of a value that is not one of its "
	                 "members (Python 3.12 changed what it gives)", en->name);
}

int tr_enumcls_labels(tr_run *r, tr_val *cls, tr_val *values_callable, rt_strv *labels,
                      const char **name)
{
	const tr_enum *en = cls->enumc;
	/* SQLAlchemy 1.4: name defaults to the class name lowercased */
	rt_buf b = RT_BUF_INIT;
	for (const char *p = en->name; *p; p++)
		rt_buf_putc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	*name = rt_strdup(r->arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	if (!values_callable || values_callable->kind == V_NONE) {
		/* the names of __members__, aliases included */
		for (size_t i = 0; i < en->n; i++)
			rt_strv_push(r->arena, labels, en->names[i]);
		return RT_OK;
	}
	tr_args a = { 0 };
	tr_val *arg = cls;
	a.pos = &arg;
	a.npos = 1;
	py_expr call = { .kind = PY_E_CALL, .off = values_callable->off,
		             .len = values_callable->len };
	tr_val *res;
	int rc = tr_call_value(r, r->module, values_callable, &a, &call, &res);
	if (rc < 0)
		return rc;
	if (res->kind != V_LIST && res->kind != V_TUPLE)
		return tr_refuse(r, values_callable->off, values_callable->len, "values_callable "
		                 "that does not give a list of strings");
	for (size_t i = 0; i < res->n; i++) {
		const char *s;
		if (res->items[i]->kind != V_STR)
			return tr_refuse(r, values_callable->off, values_callable->len, "values_callable "
			                 "that gives a value that is not a string");
		rc = tr_get_str(r, res->items[i], "an Enum value", &s);
		if (rc < 0)
			return rc;
		rt_strv_push(r->arena, labels, s);
	}
	return RT_OK;
}

/* ---- members ---- */

int tr_member_attr(tr_run *r, const tr_val *m, const char *attr, uint32_t off, uint32_t len,
                   tr_val **out)
{
	const tr_enum *en = m->enumc;
	size_t i = (size_t)m->i;
	if (rt_strv_index(&en->methods, attr) >= 0) /* even one named value or name */
		return refuse_method(r, en, attr, off, len);
	if (strcmp(attr, "name") == 0 || strcmp(attr, "_name_") == 0) {
		*out = tr_str(r, en->names[i], strlen(en->names[i]), off, len);
		return RT_OK;
	}
	if (strcmp(attr, "value") == 0 || strcmp(attr, "_value_") == 0) {
		*out = value_at(r, en->values[i], off, len);
		return RT_OK;
	}
	if (en->mixin == MIX_STR && en->values[i]->kind == V_STR)
		return TR_NOT_HANDLED; /* a str method, called on the value */
	return tr_refuse(r, off, len, "attribute '%s' of a member of enum class '%s' (only "
	                 ".name and .value are understood)", attr, en->name);
}

tr_val *tr_member_mixin(const tr_val *v)
{
	if (v->kind != V_MEMBER || v->enumc->mixin == MIX_NONE)
		return NULL;
	return v->enumc->values[v->i];
}

int tr_member_same(const tr_val *a, const tr_val *b)
{
	if (a->kind == V_MEMBER && b->kind == V_MEMBER)
		return a->enumc == b->enumc && a->i == b->i;
	const tr_val *o = a->kind == V_MEMBER ? b : a;
	/* a literal is never a member object */
	return o->kind <= V_DICT && o->kind != V_FLOAT ? 0 : -1;
}

bool tr_member_to_text(const tr_val *m, rt_buf *b)
{
	const tr_enum *en = m->enumc;
	size_t i = (size_t)m->i;
	if (en->custom_text || (en->mixin != MIX_NONE && !en->strenum))
		return false;
	if (en->strenum)
		rt_buf_add(b, en->values[i]->s, en->values[i]->slen);
	else
		rt_buf_printf(b, "%s.%s", en->name, en->names[i]);
	return true;
}

int tr_member_text(tr_run *r, const tr_val *m, char conversion, rt_buf *b)
{
	const tr_enum *en = m->enumc;
	if (conversion == 'r')
		return tr_refuse(r, m->off, m->len, "repr() of an enum member");
	if (tr_member_to_text(m, b))
		return RT_OK;
	if (en->custom_text)
		return tr_refuse(r, m->off, m->len, "text of a member of enum class '%s', which "
		                 "defines its own __str__/__repr__/__format__", en->name);
	return tr_refuse(r, m->off, m->len, "text of a member of str/int enum class '%s' "
	                 "(str() and format() of such members differ between Python "
	                 "versions); use .value or .name", en->name);
}
