/*
 * Test helper: prints a syntax tree as a compact S-expression that
 * tests/unit/py/pydump.py prints the same way from CPython's `ast`, so trees
 * can be asserted in tests and compared with CPython over whole corpora.
 * String values are hex (they may hold any byte); numbers print as N.
 */
#include <string.h>

#include "pydump.h"

static void expr(rt_buf *b, const py_expr *e);
static void pattern(rt_buf *b, const py_expr *e);
static void stmts(rt_buf *b, const py_stmts *body);

static void opt(rt_buf *b, const py_expr *e)
{
	if (e)
		expr(b, e);
	else
		rt_buf_puts(b, "_");
}

static void exprs(rt_buf *b, const py_exprs *v)
{
	rt_buf_putc(b, '[');
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			rt_buf_putc(b, ' ');
		expr(b, v->v[i]);
	}
	rt_buf_putc(b, ']');
}

static void hex(rt_buf *b, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		rt_buf_putc(b, digits[(unsigned char)s[i] >> 4]);
		rt_buf_putc(b, digits[(unsigned char)s[i] & 15]);
	}
}

static const char *op_name(int op)
{
	switch (op) {
	case PY_UNARY_NOT: return "not";
	case PY_CMP_IN: return "in";
	case PY_CMP_NOT_IN: return "notin";
	case PY_CMP_IS: return "is";
	case PY_CMP_IS_NOT: return "isnot";
	default: return py_op_text((py_op)op);
	}
}

static void keywords(rt_buf *b, const py_keywords *k)
{
	rt_buf_putc(b, '[');
	for (size_t i = 0; i < k->n; i++) {
		rt_buf_printf(b, "%s(kw %s ", i ? " " : "", k->v[i]->arg ? k->v[i]->arg : "_");
		expr(b, k->v[i]->value);
		rt_buf_putc(b, ')');
	}
	rt_buf_putc(b, ']');
}

static void params(rt_buf *b, const py_params *ps)
{
	static const char *const kinds[] = { "posonly", "arg", "vararg", "kwonly", "kwarg",
	                                     "typevar", "typevartuple", "paramspec" };
	rt_buf_putc(b, '[');
	for (size_t i = 0; i < ps->n; i++) {
		const py_param *p = ps->v[i];
		rt_buf_printf(b, "%s(%s %s ", i ? " " : "", kinds[p->kind], p->name);
		opt(b, p->annotation);
		rt_buf_putc(b, ' ');
		opt(b, p->def);
		rt_buf_putc(b, ')');
	}
	rt_buf_putc(b, ']');
}

static void comp(rt_buf *b, const char *name, const py_expr *e)
{
	rt_buf_printf(b, "(%s ", name);
	expr(b, e->u.comp.elt);
	if (e->u.comp.value) {
		rt_buf_putc(b, ' ');
		expr(b, e->u.comp.value);
	}
	for (size_t i = 0; i < e->u.comp.generators.n; i++) {
		const py_comprehension *c = e->u.comp.generators.v[i];
		rt_buf_printf(b, " (%s ", c->is_async ? "afor" : "for");
		expr(b, c->target);
		rt_buf_putc(b, ' ');
		expr(b, c->iter);
		rt_buf_putc(b, ' ');
		exprs(b, &c->ifs);
		rt_buf_putc(b, ')');
	}
	rt_buf_putc(b, ')');
}

/* f-strings print only their fields: literal pieces are split differently
 * by CPython (merged, empty ones dropped) and are checked by unit tests. */
static void fstr(rt_buf *b, const py_expr *e)
{
	rt_buf_puts(b, "(F");
	for (size_t i = 0; i < e->u.fstr.values.n; i++) {
		const py_expr *v = e->u.fstr.values.v[i];
		if (v->kind != PY_E_FIELD)
			continue;
		rt_buf_puts(b, " (V ");
		expr(b, v->u.field.value);
		rt_buf_printf(b, " %c ", v->u.field.conversion ? v->u.field.conversion : '_');
		opt(b, v->u.field.spec);
		rt_buf_putc(b, ')');
	}
	rt_buf_putc(b, ')');
}

static void expr(rt_buf *b, const py_expr *e)
{
	switch (e->kind) {
	case PY_E_NAME: rt_buf_puts(b, e->u.name.id); return;
	case PY_E_CONST: {
		static const char *const c[] = { "None", "True", "False", "..." };
		rt_buf_puts(b, c[e->u.constant.value]);
		return;
	}
	case PY_E_NUM: rt_buf_puts(b, "N"); return;
	case PY_E_STR:
		rt_buf_puts(b, e->u.str.is_bytes ? "b'" : "'");
		hex(b, e->u.str.value, e->u.str.len);
		rt_buf_putc(b, '\'');
		return;
	case PY_E_FSTR: fstr(b, e); return;
	case PY_E_FIELD: rt_buf_puts(b, "(field)"); return;
	case PY_E_ATTR:
		rt_buf_puts(b, "(. ");
		expr(b, e->u.attr.value);
		rt_buf_printf(b, " %s)", e->u.attr.attr);
		return;
	case PY_E_CALL:
		rt_buf_puts(b, "(call ");
		expr(b, e->u.call.func);
		rt_buf_putc(b, ' ');
		exprs(b, &e->u.call.args);
		rt_buf_putc(b, ' ');
		keywords(b, &e->u.call.keywords);
		rt_buf_putc(b, ')');
		return;
	case PY_E_SUBSCRIPT:
		rt_buf_puts(b, "(sub ");
		expr(b, e->u.subscript.value);
		rt_buf_putc(b, ' ');
		expr(b, e->u.subscript.index);
		rt_buf_putc(b, ')');
		return;
	case PY_E_SLICE:
		rt_buf_puts(b, "(slice ");
		opt(b, e->u.slice.lower);
		rt_buf_putc(b, ' ');
		opt(b, e->u.slice.upper);
		rt_buf_putc(b, ' ');
		opt(b, e->u.slice.step);
		rt_buf_putc(b, ')');
		return;
	case PY_E_TUPLE: case PY_E_LIST: case PY_E_SET:
		rt_buf_puts(b, e->kind == PY_E_TUPLE ? "(tuple " : e->kind == PY_E_LIST ? "(list " :
		            "(set ");
		exprs(b, &e->u.seq.elts);
		rt_buf_putc(b, ')');
		return;
	case PY_E_DICT:
		rt_buf_puts(b, "(dict");
		for (size_t i = 0; i < e->u.dict.keys.n; i++) {
			rt_buf_putc(b, ' ');
			opt(b, e->u.dict.keys.v[i]);
			rt_buf_puts(b, ":");
			expr(b, e->u.dict.values.v[i]);
		}
		rt_buf_putc(b, ')');
		return;
	case PY_E_LISTCOMP: comp(b, "listcomp", e); return;
	case PY_E_SETCOMP: comp(b, "setcomp", e); return;
	case PY_E_DICTCOMP: comp(b, "dictcomp", e); return;
	case PY_E_GENEXP: comp(b, "genexp", e); return;
	case PY_E_UNARY:
		rt_buf_printf(b, "(u%s ", op_name(e->u.unary.op));
		expr(b, e->u.unary.operand);
		rt_buf_putc(b, ')');
		return;
	case PY_E_BINARY:
		rt_buf_printf(b, "(%s ", op_name(e->u.binary.op));
		expr(b, e->u.binary.left);
		rt_buf_putc(b, ' ');
		expr(b, e->u.binary.right);
		rt_buf_putc(b, ')');
		return;
	case PY_E_BOOL:
		rt_buf_puts(b, e->u.boolop.op == PY_BOOL_AND ? "(and " : "(or ");
		exprs(b, &e->u.boolop.values);
		rt_buf_putc(b, ')');
		return;
	case PY_E_COMPARE:
		rt_buf_puts(b, "(cmp ");
		expr(b, e->u.compare.left);
		for (size_t i = 0; i < e->u.compare.comparators.n; i++) {
			rt_buf_printf(b, " %s ", op_name(e->u.compare.ops[i]));
			expr(b, e->u.compare.comparators.v[i]);
		}
		rt_buf_putc(b, ')');
		return;
	case PY_E_LAMBDA:
		rt_buf_puts(b, "(lambda ");
		params(b, &e->u.lambda.params);
		rt_buf_putc(b, ' ');
		expr(b, e->u.lambda.body);
		rt_buf_putc(b, ')');
		return;
	case PY_E_IFEXP:
		rt_buf_puts(b, "(ifexp ");
		expr(b, e->u.ifexp.test);
		rt_buf_putc(b, ' ');
		expr(b, e->u.ifexp.body);
		rt_buf_putc(b, ' ');
		expr(b, e->u.ifexp.orelse);
		rt_buf_putc(b, ')');
		return;
	case PY_E_STARRED: case PY_E_AWAIT: case PY_E_YIELD: case PY_E_YIELDFROM:
		rt_buf_puts(b, e->kind == PY_E_STARRED ? "(* " : e->kind == PY_E_AWAIT ? "(await " :
		            e->kind == PY_E_YIELD ? "(yield " : "(yieldfrom ");
		opt(b, e->u.unary.operand);
		rt_buf_putc(b, ')');
		return;
	case PY_E_NAMED:
		rt_buf_puts(b, "(:= ");
		expr(b, e->u.named.target);
		rt_buf_putc(b, ' ');
		expr(b, e->u.named.value);
		rt_buf_putc(b, ')');
		return;
	case PY_P_AS: case PY_P_OR:
		pattern(b, e);
		return;
	}
}

static void pattern(rt_buf *b, const py_expr *e)
{
	switch (e->kind) {
	case PY_E_NAME:
		rt_buf_printf(b, "(as _ %s)", strcmp(e->u.name.id, "_") ? e->u.name.id : "_");
		return;
	case PY_P_AS:
		rt_buf_puts(b, "(as ");
		pattern(b, e->u.as.pattern);
		rt_buf_printf(b, " %s)", e->u.as.name);
		return;
	case PY_P_OR:
		rt_buf_puts(b, "(or");
		for (size_t i = 0; i < e->u.seq.elts.n; i++) {
			rt_buf_putc(b, ' ');
			pattern(b, e->u.seq.elts.v[i]);
		}
		rt_buf_putc(b, ')');
		return;
	case PY_E_STARRED: {
		const char *n = e->u.unary.operand->u.name.id;
		rt_buf_printf(b, "(mstar %s)", n);
		return;
	}
	case PY_E_TUPLE: case PY_E_LIST:
		rt_buf_puts(b, "(seq");
		for (size_t i = 0; i < e->u.seq.elts.n; i++) {
			rt_buf_putc(b, ' ');
			pattern(b, e->u.seq.elts.v[i]);
		}
		rt_buf_putc(b, ')');
		return;
	case PY_E_DICT: {
		const char *rest = "_";
		rt_buf_puts(b, "(map");
		for (size_t i = 0; i < e->u.dict.keys.n; i++) {
			if (!e->u.dict.keys.v[i]) {
				rest = e->u.dict.values.v[i]->u.name.id;
				continue;
			}
			rt_buf_putc(b, ' ');
			expr(b, e->u.dict.keys.v[i]);
			rt_buf_putc(b, ':');
			pattern(b, e->u.dict.values.v[i]);
		}
		rt_buf_printf(b, " %s)", rest);
		return;
	}
	case PY_E_CALL:
		rt_buf_puts(b, "(class ");
		expr(b, e->u.call.func);
		for (size_t i = 0; i < e->u.call.args.n; i++) {
			rt_buf_putc(b, ' ');
			pattern(b, e->u.call.args.v[i]);
		}
		for (size_t i = 0; i < e->u.call.keywords.n; i++) {
			rt_buf_printf(b, " %s=", e->u.call.keywords.v[i]->arg);
			pattern(b, e->u.call.keywords.v[i]->value);
		}
		rt_buf_putc(b, ')');
		return;
	case PY_E_CONST:
		if (e->u.constant.value != PY_CONST_ELLIPSIS) {
			rt_buf_puts(b, "(single ");
			expr(b, e);
			rt_buf_putc(b, ')');
			return;
		}
		break;
	default:
		break;
	}
	rt_buf_puts(b, "(value ");
	expr(b, e);
	rt_buf_putc(b, ')');
}

static void names(rt_buf *b, const char *what, const py_names *n)
{
	rt_buf_printf(b, "(%s", what);
	for (size_t i = 0; i < n->n; i++)
		rt_buf_printf(b, " %s", n->v[i]);
	rt_buf_putc(b, ')');
}

static void aliases(rt_buf *b, const py_aliases *a)
{
	for (size_t i = 0; i < a->n; i++)
		rt_buf_printf(b, " (%s %s)", a->v[i]->name, a->v[i]->asname ? a->v[i]->asname : "_");
}

static void stmt(rt_buf *b, const py_stmt *s)
{
	switch (s->kind) {
	case PY_S_EXPR:
		expr(b, s->u.expr.value);
		return;
	case PY_S_ASSIGN:
		rt_buf_puts(b, "(= ");
		exprs(b, &s->u.assign.targets);
		rt_buf_putc(b, ' ');
		expr(b, s->u.assign.value);
		rt_buf_putc(b, ')');
		return;
	case PY_S_AUGASSIGN:
		rt_buf_printf(b, "(%s= ", op_name(s->u.augassign.op));
		expr(b, s->u.augassign.target);
		rt_buf_putc(b, ' ');
		expr(b, s->u.augassign.value);
		rt_buf_putc(b, ')');
		return;
	case PY_S_ANNASSIGN:
		rt_buf_puts(b, "(ann ");
		expr(b, s->u.annassign.target);
		rt_buf_putc(b, ' ');
		expr(b, s->u.annassign.annotation);
		rt_buf_putc(b, ' ');
		opt(b, s->u.annassign.value);
		rt_buf_putc(b, ')');
		return;
	case PY_S_PASS: rt_buf_puts(b, "pass"); return;
	case PY_S_BREAK: rt_buf_puts(b, "break"); return;
	case PY_S_CONTINUE: rt_buf_puts(b, "continue"); return;
	case PY_S_RETURN:
		rt_buf_puts(b, "(return ");
		opt(b, s->u.expr.value);
		rt_buf_putc(b, ')');
		return;
	case PY_S_RAISE:
		rt_buf_puts(b, "(raise ");
		opt(b, s->u.raise.exc);
		rt_buf_putc(b, ' ');
		opt(b, s->u.raise.cause);
		rt_buf_putc(b, ')');
		return;
	case PY_S_ASSERT:
		rt_buf_puts(b, "(assert ");
		expr(b, s->u.assert_.test);
		rt_buf_putc(b, ' ');
		opt(b, s->u.assert_.msg);
		rt_buf_putc(b, ')');
		return;
	case PY_S_DEL:
		rt_buf_puts(b, "(del ");
		exprs(b, &s->u.del.targets);
		rt_buf_putc(b, ')');
		return;
	case PY_S_GLOBAL: names(b, "global", &s->u.names); return;
	case PY_S_NONLOCAL: names(b, "nonlocal", &s->u.names); return;
	case PY_S_IMPORT:
		rt_buf_puts(b, "(import");
		aliases(b, &s->u.import_.names);
		rt_buf_putc(b, ')');
		return;
	case PY_S_IMPORTFROM:
		rt_buf_printf(b, "(from %s %u", s->u.import_.module ? s->u.import_.module : "_",
		              s->u.import_.level);
		aliases(b, &s->u.import_.names);
		rt_buf_putc(b, ')');
		return;
	case PY_S_IF: case PY_S_WHILE:
		rt_buf_puts(b, s->kind == PY_S_IF ? "(if " : "(while ");
		expr(b, s->u.cond.test);
		rt_buf_putc(b, ' ');
		stmts(b, &s->u.cond.body);
		rt_buf_putc(b, ' ');
		stmts(b, &s->u.cond.orelse);
		rt_buf_putc(b, ')');
		return;
	case PY_S_FOR:
		rt_buf_puts(b, s->u.for_.is_async ? "(afor " : "(for ");
		expr(b, s->u.for_.target);
		rt_buf_putc(b, ' ');
		expr(b, s->u.for_.iter);
		rt_buf_putc(b, ' ');
		stmts(b, &s->u.for_.body);
		rt_buf_putc(b, ' ');
		stmts(b, &s->u.for_.orelse);
		rt_buf_putc(b, ')');
		return;
	case PY_S_WITH:
		rt_buf_puts(b, s->u.with.is_async ? "(awith [" : "(with [");
		for (size_t i = 0; i < s->u.with.items.n; i++) {
			rt_buf_puts(b, i ? " (" : "(");
			expr(b, s->u.with.items.v[i]->context);
			rt_buf_putc(b, ' ');
			opt(b, s->u.with.items.v[i]->vars);
			rt_buf_putc(b, ')');
		}
		rt_buf_puts(b, "] ");
		stmts(b, &s->u.with.body);
		rt_buf_putc(b, ')');
		return;
	case PY_S_TRY:
		rt_buf_puts(b, s->u.try_.star ? "(trystar " : "(try ");
		stmts(b, &s->u.try_.body);
		rt_buf_puts(b, " [");
		for (size_t i = 0; i < s->u.try_.handlers.n; i++) {
			const py_handler *h = s->u.try_.handlers.v[i];
			rt_buf_puts(b, i ? " (except " : "(except ");
			opt(b, h->type);
			rt_buf_printf(b, " %s ", h->name ? h->name : "_");
			stmts(b, &h->body);
			rt_buf_putc(b, ')');
		}
		rt_buf_puts(b, "] ");
		stmts(b, &s->u.try_.orelse);
		rt_buf_putc(b, ' ');
		stmts(b, &s->u.try_.finalbody);
		rt_buf_putc(b, ')');
		return;
	case PY_S_DEF:
		rt_buf_printf(b, "(%s %s ", s->u.def.is_async ? "adef" : "def", s->u.def.name);
		params(b, &s->u.def.type_params);
		rt_buf_putc(b, ' ');
		params(b, &s->u.def.params);
		rt_buf_putc(b, ' ');
		opt(b, s->u.def.returns);
		rt_buf_putc(b, ' ');
		exprs(b, &s->u.def.decorators);
		rt_buf_putc(b, ' ');
		stmts(b, &s->u.def.body);
		rt_buf_putc(b, ')');
		return;
	case PY_S_CLASS:
		rt_buf_printf(b, "(class %s ", s->u.class_.name);
		params(b, &s->u.class_.type_params);
		rt_buf_putc(b, ' ');
		exprs(b, &s->u.class_.bases);
		rt_buf_putc(b, ' ');
		keywords(b, &s->u.class_.keywords);
		rt_buf_putc(b, ' ');
		exprs(b, &s->u.class_.decorators);
		rt_buf_putc(b, ' ');
		stmts(b, &s->u.class_.body);
		rt_buf_putc(b, ')');
		return;
	case PY_S_MATCH:
		rt_buf_puts(b, "(match ");
		expr(b, s->u.match.subject);
		for (size_t i = 0; i < s->u.match.cases.n; i++) {
			const py_case *c = s->u.match.cases.v[i];
			rt_buf_puts(b, " (case ");
			pattern(b, c->pattern);
			rt_buf_putc(b, ' ');
			opt(b, c->guard);
			rt_buf_putc(b, ' ');
			stmts(b, &c->body);
			rt_buf_putc(b, ')');
		}
		rt_buf_putc(b, ')');
		return;
	case PY_S_TYPEALIAS:
		rt_buf_puts(b, "(type ");
		expr(b, s->u.typealias.name);
		rt_buf_putc(b, ' ');
		params(b, &s->u.typealias.type_params);
		rt_buf_putc(b, ' ');
		expr(b, s->u.typealias.value);
		rt_buf_putc(b, ')');
		return;
	}
}

static void stmts(rt_buf *b, const py_stmts *body)
{
	rt_buf_putc(b, '[');
	for (size_t i = 0; i < body->n; i++) {
		if (i)
			rt_buf_putc(b, ' ');
		stmt(b, body->v[i]);
	}
	rt_buf_putc(b, ']');
}

void py_dump_module(rt_buf *b, const py_module *m)
{
	for (size_t i = 0; i < m->body.n; i++) {
		stmt(b, m->body.v[i]);
		rt_buf_putc(b, '\n');
	}
}

void py_dump_expr(rt_buf *b, const py_expr *e)
{
	expr(b, e);
}
