/*
 * Recursive-descent parser for Python 3.12 (the grammar of CPython's
 * Grammar/python.gram, rewritten as one function per production). It builds
 * the tree of pyast.h and checks what the grammar checks; it does not run
 * the compiler's later checks (duplicate parameters, `return` outside def).
 * Depth is counted so deep nesting is an error, never a stack overflow.
 */
#include <string.h>

#include "pyparse.h"

struct parser {
	const rt_source *src;
	rt_arena *arena;
	rt_error *err;
	const py_token *t;  /* ends with PY_TK_EOF */
	size_t n, pos;
	unsigned depth;
	bool failed;
	rt_code code;  /* of the first error */
	size_t skipped; /* PY_TK_BODY blocks met */
};

#define VEC_PUSH(arena, vec, item) do { \
	if ((vec).n == (vec).cap) { \
		size_t cap_ = (vec).cap ? (vec).cap * 2 : 4; \
		(vec).v = rt_realloc_array((arena), (vec).v, (vec).n, cap_, sizeof(*(vec).v)); \
		(vec).cap = cap_; \
	} \
	(vec).v[(vec).n++] = (item); \
} while (0)

/* ---- token helpers ---- */

static const py_token *peek(const struct parser *p)
{
	return &p->t[p->pos];
}

static const py_token *peek_at(const struct parser *p, size_t k)
{
	size_t i = p->pos + k;
	return &p->t[i < p->n ? i : p->n - 1];
}

static const py_token *next(struct parser *p)
{
	const py_token *t = &p->t[p->pos];
	if (t->kind != PY_TK_EOF)
		p->pos++;
	return t;
}

static bool is_op(const py_token *t, py_op op)
{
	return t->kind == PY_TK_OP && t->sub == op;
}

static bool is_kw(const py_token *t, py_kw kw)
{
	return t->kind == PY_TK_KEYWORD && t->sub == kw;
}

static bool is_name(const struct parser *p, const py_token *t, const char *name)
{
	size_t n = strlen(name);
	return t->kind == PY_TK_NAME && t->len == n && memcmp(p->src->text + t->off, name, n) == 0;
}

static bool accept_op(struct parser *p, py_op op)
{
	if (!is_op(peek(p), op))
		return false;
	next(p);
	return true;
}

static bool accept_kw(struct parser *p, py_kw kw)
{
	if (!is_kw(peek(p), kw))
		return false;
	next(p);
	return true;
}

/* End of the last real token consumed (layout tokens are not part of a
 * node's span). */
static uint32_t prev_end(const struct parser *p)
{
	size_t i = p->pos;
	while (i > 0 && (p->t[i - 1].kind == PY_TK_NEWLINE || p->t[i - 1].kind == PY_TK_INDENT ||
	                 p->t[i - 1].kind == PY_TK_DEDENT))
		i--;
	return i ? p->t[i - 1].off + p->t[i - 1].len : 0;
}

static const char *tok_text(struct parser *p, const py_token *t)
{
	return rt_strndup(p->arena, p->src->text + t->off, t->len);
}

/* ---- errors ---- */

static void *syntax_at(struct parser *p, rt_code code, uint32_t off, uint32_t len,
                       const char *fmt, ...) RT_PRINTF(5, 6);

static void *syntax_at(struct parser *p, rt_code code, uint32_t off, uint32_t len,
                       const char *fmt, ...)
{
	if (p->failed)
		return NULL;
	rt_loc loc = rt_source_loc(p->src, off, len);
	va_list ap;
	va_start(ap, fmt);
	rt_error_vset(p->err, code, &loc, fmt, ap);
	va_end(ap);
	p->failed = true;
	p->code = code;
	return NULL;
}

/* An error the tokenizer or string decoder already put in err. */
static void *lower_failed(struct parser *p, int rc)
{
	p->failed = true;
	p->code = (rt_code)rc;
	return NULL;
}

static const char *describe_tok(struct parser *p, const py_token *t)
{
	switch (t->kind) {
	case PY_TK_EOF: return "end of file";
	case PY_TK_NEWLINE: return "end of line";
	case PY_TK_INDENT: return "an indent";
	case PY_TK_DEDENT: return "end of block";
	default: break;
	}
	const char *s = p->src->text + t->off;
	uint32_t n = 0;
	while (n < t->len && n < 32 && s[n] != '\n' && s[n] != '\r')
		n++;
	return rt_sprintf(p->arena, "'%.*s%s'", (int)n, s, n < t->len ? "..." : "");
}

/* "expected X but found Y", at the current token. */
static void *expected(struct parser *p, const char *what)
{
	const py_token *t = peek(p);
	if (t->kind == PY_TK_INDENT)
		return syntax_at(p, RT_ESYNTAX, t->off, 1, "unexpected indent");
	return syntax_at(p, RT_ESYNTAX, t->off, t->len, "expected %s but found %s", what,
	                 describe_tok(p, t));
}

static bool expect_op(struct parser *p, py_op op)
{
	if (accept_op(p, op))
		return true;
	expected(p, rt_sprintf(p->arena, "'%s'", py_op_text(op)));
	return false;
}

static bool enter(struct parser *p)
{
	if (++p->depth <= RT_MAX_NESTING)
		return true;
	const py_token *t = peek(p);
	syntax_at(p, RT_ELIMIT, t->off, t->len, "nesting is deeper than %u levels", RT_MAX_NESTING);
	return false;
}

static void leave(struct parser *p)
{
	p->depth--;
}

/* ---- node construction ---- */

static py_expr *new_expr(struct parser *p, py_expr_kind kind, uint32_t off)
{
	py_expr *e = rt_alloc(p->arena, sizeof(*e));
	e->kind = kind;
	e->off = off;
	e->len = prev_end(p) > off ? prev_end(p) - off : 0;
	return e;
}

static py_stmt *new_stmt(struct parser *p, py_stmt_kind kind, uint32_t off)
{
	py_stmt *s = rt_alloc(p->arena, sizeof(*s));
	s->kind = kind;
	s->off = off;
	return s;
}

static void end_stmt(struct parser *p, py_stmt *s)
{
	s->len = prev_end(p) > s->off ? prev_end(p) - s->off : 0;
}

static py_expr *unary_node(struct parser *p, py_expr_kind kind, int op, py_expr *operand,
                           uint32_t off)
{
	py_expr *e = new_expr(p, kind, off);
	e->u.unary.op = op;
	e->u.unary.operand = operand;
	return e;
}

/* Can this token begin an expression? (used after a trailing comma) */
static bool starts_expr(const py_token *t)
{
	switch (t->kind) {
	case PY_TK_NAME: case PY_TK_NUMBER: case PY_TK_STRING:
		return true;
	case PY_TK_KEYWORD:
		return t->sub == PY_KW_NONE || t->sub == PY_KW_TRUE || t->sub == PY_KW_FALSE ||
		       t->sub == PY_KW_NOT || t->sub == PY_KW_LAMBDA || t->sub == PY_KW_AWAIT;
	case PY_TK_OP:
		return t->sub == PY_OP_LPAR || t->sub == PY_OP_LSQB || t->sub == PY_OP_LBRACE ||
		       t->sub == PY_OP_MINUS || t->sub == PY_OP_PLUS || t->sub == PY_OP_TILDE ||
		       t->sub == PY_OP_STAR || t->sub == PY_OP_ELLIPSIS;
	default:
		return false;
	}
}

static bool at_stmt_end(const py_token *t)
{
	return t->kind == PY_TK_NEWLINE || t->kind == PY_TK_EOF || is_op(t, PY_OP_SEMI);
}

/* Where a target stands (check_target). */
enum target_flags {
	TARGET_SINGLE = 0,      /* annotations, augmented assignment: no tuple or list */
	TARGET_SEQ_OK = 1 << 0, /* tuples and lists of targets are allowed */
	TARGET_IN_SEQ = 1 << 1, /* an element of such a tuple or list: may be starred */
};

/* A target of =, for, with ... as, del: names, attributes, subscripts,
 * and tuples/lists of those with at most starred elements. */
static bool check_target(struct parser *p, const py_expr *e, unsigned flags, const char *what)
{
	bool allow_seq = flags & TARGET_SEQ_OK, in_seq = flags & TARGET_IN_SEQ;
	switch (e->kind) {
	case PY_E_NAME: case PY_E_ATTR: case PY_E_SUBSCRIPT:
		return true;
	case PY_E_TUPLE: case PY_E_LIST:
		if (!allow_seq)
			break;
		for (size_t i = 0; i < e->u.seq.elts.n; i++)
			if (!check_target(p, e->u.seq.elts.v[i], TARGET_SEQ_OK | TARGET_IN_SEQ, what))
				return false;
		return true;
	case PY_E_STARRED:
		if (!allow_seq)
			break;
		if (!in_seq) {
			syntax_at(p, RT_ESYNTAX, e->off, e->len,
			          "starred assignment target must be in a list or tuple");
			return false;
		}
		return check_target(p, e->u.unary.operand, TARGET_SEQ_OK, what);
	default:
		break;
	}
	syntax_at(p, RT_ESYNTAX, e->off, e->len, "cannot %s %s", what, py_expr_describe(e));
	return false;
}


/* ---- expressions ---- */

static py_expr *expression(struct parser *p);
static py_expr *named_expression(struct parser *p);
static py_expr *star_expressions(struct parser *p);
static py_expr *star_named_expression(struct parser *p);
static py_expr *bitwise_or(struct parser *p);
static py_expr *disjunction(struct parser *p);
static py_expr *primary(struct parser *p);
static py_expr *strings(struct parser *p);
static py_expr *yield_expr(struct parser *p);
/* What a parameter may carry (param, params). */
enum param_flags {
	PARAM_ANNOTATED = 1 << 0,       /* ':' annotation (def, type parameters; not lambda) */
	PARAM_STAR_ANNOTATION = 1 << 1, /* the annotation may be starred: *args: *Ts */
	PARAM_DEFAULT = 1 << 2,         /* '=' default */
};
static bool params(struct parser *p, py_params *out, py_op close, unsigned annotated);

/* star_target: '*' target_primary | target_primary */
static py_expr *star_target(struct parser *p)
{
	uint32_t off = peek(p)->off;
	if (accept_op(p, PY_OP_STAR)) {
		py_expr *e = primary(p);
		return e ? unary_node(p, PY_E_STARRED, 0, e, off) : NULL;
	}
	return primary(p);
}

static bool starts_target(const py_token *t)
{
	return t->kind == PY_TK_NAME || is_op(t, PY_OP_LPAR) || is_op(t, PY_OP_LSQB) ||
	       is_op(t, PY_OP_STAR);
}

/* star_targets: star_target (',' star_target)* [','] */
static py_expr *star_targets(struct parser *p, const char *what)
{
	uint32_t off = peek(p)->off;
	py_expr *first = star_target(p);
	if (!first)
		return NULL;
	if (!is_op(peek(p), PY_OP_COMMA))
		return check_target(p, first, TARGET_SEQ_OK, what) ? first : NULL;
	py_exprs elts = { 0 };
	VEC_PUSH(p->arena, elts, first);
	while (accept_op(p, PY_OP_COMMA) && starts_target(peek(p))) {
		py_expr *e = star_target(p);
		if (!e)
			return NULL;
		VEC_PUSH(p->arena, elts, e);
	}
	py_expr *t = new_expr(p, PY_E_TUPLE, off);
	t->u.seq.elts = elts;
	return check_target(p, t, TARGET_SEQ_OK, what) ? t : NULL;
}

/* for_if_clauses: (['async'] 'for' star_targets 'in' disjunction ('if' disjunction)*)+ */
static bool for_if_clauses(struct parser *p, py_comps *out)
{
	while (is_kw(peek(p), PY_KW_FOR) ||
	       (is_kw(peek(p), PY_KW_ASYNC) && is_kw(peek_at(p, 1), PY_KW_FOR))) {
		py_comprehension *c = rt_alloc(p->arena, sizeof(*c));
		c->is_async = accept_kw(p, PY_KW_ASYNC);
		next(p);
		c->target = star_targets(p, "assign to");
		if (!c->target)
			return false;
		if (!accept_kw(p, PY_KW_IN))
			return expected(p, "'in'");
		c->iter = disjunction(p);
		if (!c->iter)
			return false;
		while (accept_kw(p, PY_KW_IF)) {
			py_expr *cond = disjunction(p);
			if (!cond)
				return false;
			VEC_PUSH(p->arena, c->ifs, cond);
		}
		VEC_PUSH(p->arena, *out, c);
	}
	return true;
}

static bool at_comp(const struct parser *p)
{
	return is_kw(peek(p), PY_KW_FOR) ||
	       (is_kw(peek(p), PY_KW_ASYNC) && is_kw(peek_at(p, 1), PY_KW_FOR));
}

/* A comprehension whose element (and dict value) is already parsed. */
static py_expr *comprehension(struct parser *p, py_expr_kind kind, py_expr *elt,
                              py_expr *value, uint32_t off)
{
	if (elt->kind == PY_E_STARRED)
		return syntax_at(p, RT_ESYNTAX, elt->off, elt->len,
		                 "iterable unpacking cannot be used in comprehension");
	py_comps gens = { 0 };
	if (!for_if_clauses(p, &gens))
		return NULL;
	py_expr *e = new_expr(p, kind, off);
	e->u.comp.elt = elt;
	e->u.comp.value = value;
	e->u.comp.generators = gens;
	return e;
}

/* Elements after the first of a tuple/list/set display, up to `close`. */
static bool display_rest(struct parser *p, py_exprs *elts, py_op close)
{
	while (accept_op(p, PY_OP_COMMA) && !is_op(peek(p), close)) {
		py_expr *e = star_named_expression(p);
		if (!e)
			return false;
		VEC_PUSH(p->arena, *elts, e);
	}
	return expect_op(p, close);
}

/* group | tuple | genexp:
 *   '(' ')' | '(' yield_expr ')' | '(' named_expression ')'
 *   | '(' star_named_expression ',' [star_named_expressions] ')'
 *   | '(' named_expression for_if_clauses ')' */
static py_expr *paren_atom(struct parser *p)
{
	uint32_t off = next(p)->off;
	if (accept_op(p, PY_OP_RPAR))
		return new_expr(p, PY_E_TUPLE, off);
	if (is_kw(peek(p), PY_KW_YIELD)) {
		py_expr *y = yield_expr(p);
		return y && expect_op(p, PY_OP_RPAR) ? y : NULL;
	}
	py_expr *first = star_named_expression(p);
	if (!first)
		return NULL;
	if (at_comp(p)) {
		py_expr *g = comprehension(p, PY_E_GENEXP, first, NULL, off);
		if (!g || !expect_op(p, PY_OP_RPAR))
			return NULL;
		g->len = prev_end(p) - off;
		return g;
	}
	if (is_op(peek(p), PY_OP_COMMA)) {
		py_exprs elts = { 0 };
		VEC_PUSH(p->arena, elts, first);
		if (!display_rest(p, &elts, PY_OP_RPAR))
			return NULL;
		py_expr *t = new_expr(p, PY_E_TUPLE, off);
		t->u.seq.elts = elts;
		return t;
	}
	if (!expect_op(p, PY_OP_RPAR))
		return NULL;
	if (first->kind == PY_E_STARRED)
		return syntax_at(p, RT_ESYNTAX, first->off, first->len,
		                 "cannot use starred expression here");
	return first;
}

/* list | listcomp: '[' [star_named_expressions] ']' | '[' named_expression for_if_clauses ']' */
static py_expr *list_atom(struct parser *p)
{
	uint32_t off = next(p)->off;
	if (accept_op(p, PY_OP_RSQB))
		return new_expr(p, PY_E_LIST, off);
	py_expr *first = star_named_expression(p);
	if (!first)
		return NULL;
	if (at_comp(p)) {
		py_expr *c = comprehension(p, PY_E_LISTCOMP, first, NULL, off);
		if (!c || !expect_op(p, PY_OP_RSQB))
			return NULL;
		c->len = prev_end(p) - off;
		return c;
	}
	py_exprs elts = { 0 };
	VEC_PUSH(p->arena, elts, first);
	if (!display_rest(p, &elts, PY_OP_RSQB))
		return NULL;
	py_expr *l = new_expr(p, PY_E_LIST, off);
	l->u.seq.elts = elts;
	return l;
}

/* One `key: value` or `**mapping` item of a dict display. */
static bool dict_item(struct parser *p, py_exprs *keys, py_exprs *values)
{
	py_expr *k = NULL, *v;
	if (accept_op(p, PY_OP_DSTAR)) {
		v = bitwise_or(p);
	} else {
		k = expression(p);
		if (!k || !expect_op(p, PY_OP_COLON))
			return false;
		v = expression(p);
	}
	if (!v)
		return false;
	VEC_PUSH(p->arena, *keys, k);
	VEC_PUSH(p->arena, *values, v);
	return true;
}

/* dict | set | dictcomp | setcomp:
 *   '{' [double_starred_kvpairs] '}' | '{' star_named_expressions '}'
 *   | '{' kvpair for_if_clauses '}' | '{' named_expression for_if_clauses '}' */
static py_expr *brace_atom(struct parser *p)
{
	uint32_t off = next(p)->off;
	if (accept_op(p, PY_OP_RBRACE))
		return new_expr(p, PY_E_DICT, off);
	py_exprs keys = { 0 }, values = { 0 };
	if (is_op(peek(p), PY_OP_DSTAR)) {
		if (!dict_item(p, &keys, &values))
			return NULL;
	} else {
		py_expr *first = star_named_expression(p);
		if (!first)
			return NULL;
		if (first->kind != PY_E_STARRED && accept_op(p, PY_OP_COLON)) {
			py_expr *v = expression(p);
			if (!v)
				return NULL;
			if (at_comp(p)) {
				py_expr *c = comprehension(p, PY_E_DICTCOMP, first, v, off);
				if (!c || !expect_op(p, PY_OP_RBRACE))
					return NULL;
				c->len = prev_end(p) - off;
				return c;
			}
			VEC_PUSH(p->arena, keys, first);
			VEC_PUSH(p->arena, values, v);
		} else if (at_comp(p)) {
			py_expr *c = comprehension(p, PY_E_SETCOMP, first, NULL, off);
			if (!c || !expect_op(p, PY_OP_RBRACE))
				return NULL;
			c->len = prev_end(p) - off;
			return c;
		} else {
			py_exprs elts = { 0 };
			VEC_PUSH(p->arena, elts, first);
			if (!display_rest(p, &elts, PY_OP_RBRACE))
				return NULL;
			py_expr *s = new_expr(p, PY_E_SET, off);
			s->u.seq.elts = elts;
			return s;
		}
	}
	while (accept_op(p, PY_OP_COMMA) && !is_op(peek(p), PY_OP_RBRACE))
		if (!dict_item(p, &keys, &values))
			return NULL;
	if (!expect_op(p, PY_OP_RBRACE))
		return NULL;
	py_expr *d = new_expr(p, PY_E_DICT, off);
	d->u.dict.keys = keys;
	d->u.dict.values = values;
	return d;
}

static py_expr *number(struct parser *p)
{
	const py_token *t = next(p);
	py_expr *e = new_expr(p, PY_E_NUM, t->off);
	const char *s = p->src->text + t->off;
	bool hex = t->len > 1 && s[0] == '0' && (s[1] | 0x20) == 'x';
	for (uint32_t i = 0; i < t->len; i++) {
		char c = (char)(s[i] | 0x20);
		if (c == '.' || (c == 'e' && !hex))
			e->u.num.is_float = true;
	}
	e->u.num.is_imaginary = (s[t->len - 1] | 0x20) == 'j';
	return e;
}

/* atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | tuple | group
 *       | genexp | list | listcomp | dict | set | dictcomp | setcomp | '...' */
static py_expr *atom(struct parser *p)
{
	const py_token *t = peek(p);
	switch (t->kind) {
	case PY_TK_NAME: {
		next(p);
		py_expr *e = new_expr(p, PY_E_NAME, t->off);
		e->u.name.id = tok_text(p, t);
		return e;
	}
	case PY_TK_NUMBER:
		return number(p);
	case PY_TK_STRING:
		return strings(p);
	case PY_TK_KEYWORD:
		if (t->sub == PY_KW_NONE || t->sub == PY_KW_TRUE || t->sub == PY_KW_FALSE) {
			next(p);
			py_expr *e = new_expr(p, PY_E_CONST, t->off);
			e->u.constant.value = t->sub == PY_KW_NONE ? PY_CONST_NONE :
			                      t->sub == PY_KW_TRUE ? PY_CONST_TRUE : PY_CONST_FALSE;
			return e;
		}
		break;
	case PY_TK_OP:
		switch (t->sub) {
		case PY_OP_LPAR: return paren_atom(p);
		case PY_OP_LSQB: return list_atom(p);
		case PY_OP_LBRACE: return brace_atom(p);
		case PY_OP_ELLIPSIS: {
			next(p);
			py_expr *e = new_expr(p, PY_E_CONST, t->off);
			e->u.constant.value = PY_CONST_ELLIPSIS;
			return e;
		}
		default:
			break;
		}
		break;
	default:
		break;
	}
	return expected(p, "an expression");
}

/* slice: [expression] ':' [expression] [':' [expression]] | '*' bitwise_or | named_expression */
static py_expr *slice(struct parser *p)
{
	uint32_t off = peek(p)->off;
	py_expr *lower = NULL, *upper = NULL, *step = NULL;
	if (accept_op(p, PY_OP_STAR)) {
		py_expr *e = bitwise_or(p);
		return e ? unary_node(p, PY_E_STARRED, 0, e, off) : NULL;
	}
	if (!is_op(peek(p), PY_OP_COLON)) {
		lower = named_expression(p);
		if (!lower || !is_op(peek(p), PY_OP_COLON))
			return lower;
	}
	next(p);
	const py_token *t = peek(p);
	if (!is_op(t, PY_OP_COLON) && !is_op(t, PY_OP_COMMA) && !is_op(t, PY_OP_RSQB)) {
		if (!(upper = expression(p)))
			return NULL;
	}
	if (accept_op(p, PY_OP_COLON)) {
		t = peek(p);
		if (!is_op(t, PY_OP_COMMA) && !is_op(t, PY_OP_RSQB) && !(step = expression(p)))
			return NULL;
	}
	py_expr *e = new_expr(p, PY_E_SLICE, off);
	e->u.slice.lower = lower;
	e->u.slice.upper = upper;
	e->u.slice.step = step;
	return e;
}

/* slices: slice !',' | ','.slice+ [','] */
static py_expr *slices(struct parser *p)
{
	uint32_t off = peek(p)->off;
	py_expr *first = slice(p);
	if (!first || (!is_op(peek(p), PY_OP_COMMA) && first->kind != PY_E_STARRED))
		return first;
	py_exprs elts = { 0 };
	VEC_PUSH(p->arena, elts, first);
	while (accept_op(p, PY_OP_COMMA) && !is_op(peek(p), PY_OP_RSQB)) {
		py_expr *e = slice(p);
		if (!e)
			return NULL;
		VEC_PUSH(p->arena, elts, e);
	}
	py_expr *t = new_expr(p, PY_E_TUPLE, off);
	t->u.seq.elts = elts;
	return t;
}

/* arguments: ','.('*' expression | '**' expression | NAME '=' expression
 *             | named_expression)+ [','], or a lone generator expression */
static bool arguments(struct parser *p, py_exprs *args, py_keywords *kws, py_op close)
{
	bool seen_kw = false, seen_dstar = false;
	while (!is_op(peek(p), close)) {
		const py_token *t = peek(p);
		if (accept_op(p, PY_OP_STAR)) {
			py_expr *e = expression(p);
			if (!e)
				return false;
			if (seen_dstar)
				return syntax_at(p, RT_ESYNTAX, t->off, prev_end(p) - t->off,
				                 "iterable argument unpacking follows keyword argument "
				                 "unpacking");
			VEC_PUSH(p->arena, *args, unary_node(p, PY_E_STARRED, 0, e, t->off));
		} else if (accept_op(p, PY_OP_DSTAR) ||
		           (t->kind == PY_TK_NAME && is_op(peek_at(p, 1), PY_OP_EQUAL))) {
			py_keyword *k = rt_alloc(p->arena, sizeof(*k));
			if (t->kind == PY_TK_NAME) {
				k->arg = tok_text(p, t);
				next(p);
				next(p);
				seen_kw = true;
			} else {
				seen_dstar = true;
			}
			if (!(k->value = expression(p)))
				return false;
			k->off = t->off;
			k->len = prev_end(p) - t->off;
			VEC_PUSH(p->arena, *kws, k);
		} else {
			py_expr *e = named_expression(p);
			if (!e)
				return false;
			if (at_comp(p)) {
				if (args->n || kws->n)
					return syntax_at(p, RT_ESYNTAX, e->off, e->len,
					                 "generator expression must be parenthesized");
				e = comprehension(p, PY_E_GENEXP, e, NULL, e->off);
				if (!e)
					return false;
				if (!is_op(peek(p), close))
					return syntax_at(p, RT_ESYNTAX, e->off, e->len,
					                 "generator expression must be parenthesized");
			} else if (seen_kw || seen_dstar) {
				return syntax_at(p, RT_ESYNTAX, e->off, e->len, "positional argument follows "
				                 "keyword argument%s", seen_dstar ? " unpacking" : "");
			}
			VEC_PUSH(p->arena, *args, e);
		}
		if (!accept_op(p, PY_OP_COMMA))
			break;
	}
	return expect_op(p, close);
}

/* primary: atom ('.' NAME | '(' [arguments] ')' | '[' slices ']')* */
static py_expr *primary(struct parser *p)
{
	uint32_t off = peek(p)->off;
	py_expr *e = atom(p);
	while (e) {
		if (accept_op(p, PY_OP_DOT)) {
			const py_token *t = peek(p);
			if (t->kind != PY_TK_NAME)
				return expected(p, "an attribute name");
			next(p);
			py_expr *a = new_expr(p, PY_E_ATTR, off);
			a->u.attr.value = e;
			a->u.attr.attr = tok_text(p, t);
			e = a;
		} else if (accept_op(p, PY_OP_LPAR)) {
			py_expr *c = rt_alloc(p->arena, sizeof(*c));
			c->kind = PY_E_CALL;
			c->u.call.func = e;
			if (!arguments(p, &c->u.call.args, &c->u.call.keywords, PY_OP_RPAR))
				return NULL;
			c->off = off;
			c->len = prev_end(p) - off;
			e = c;
		} else if (accept_op(p, PY_OP_LSQB)) {
			py_expr *index = slices(p);
			if (!index || !expect_op(p, PY_OP_RSQB))
				return NULL;
			py_expr *s = new_expr(p, PY_E_SUBSCRIPT, off);
			s->u.subscript.value = e;
			s->u.subscript.index = index;
			e = s;
		} else {
			break;
		}
	}
	return e;
}

/* await_primary: 'await' primary | primary */
static py_expr *await_primary(struct parser *p)
{
	uint32_t off = peek(p)->off;
	if (accept_kw(p, PY_KW_AWAIT)) {
		py_expr *e = primary(p);
		return e ? unary_node(p, PY_E_AWAIT, 0, e, off) : NULL;
	}
	return primary(p);
}

static py_expr *factor(struct parser *p);

/* power: await_primary ['**' factor] */
static py_expr *power(struct parser *p)
{
	uint32_t off = peek(p)->off;
	py_expr *left = await_primary(p);
	if (!left || !accept_op(p, PY_OP_DSTAR))
		return left;
	if (!enter(p))
		return NULL;
	py_expr *right = factor(p);
	leave(p);
	if (!right)
		return NULL;
	py_expr *e = new_expr(p, PY_E_BINARY, off);
	e->u.binary.op = PY_OP_DSTAR;
	e->u.binary.left = left;
	e->u.binary.right = right;
	return e;
}

/* factor: '+' factor | '-' factor | '~' factor | power */
static py_expr *factor(struct parser *p)
{
	const py_token *t = peek(p);
	if (!is_op(t, PY_OP_PLUS) && !is_op(t, PY_OP_MINUS) && !is_op(t, PY_OP_TILDE))
		return power(p);
	if (!enter(p))
		return NULL;
	next(p);
	py_expr *operand = factor(p);
	leave(p);
	return operand ? unary_node(p, PY_E_UNARY, t->sub, operand, t->off) : NULL;
}

/* Binding power of a binary operator token, 0 if it is not one. */
static int binop_prec(const py_token *t)
{
	if (t->kind != PY_TK_OP)
		return 0;
	switch (t->sub) {
	case PY_OP_VBAR: return 1;
	case PY_OP_CARET: return 2;
	case PY_OP_AMP: return 3;
	case PY_OP_LSHIFT: case PY_OP_RSHIFT: return 4;
	case PY_OP_PLUS: case PY_OP_MINUS: return 5;
	case PY_OP_STAR: case PY_OP_SLASH: case PY_OP_DSLASH: case PY_OP_PERCENT: case PY_OP_AT:
		return 6;
	default: return 0;
	}
}

/*
 * bitwise_or: bitwise_or '|' bitwise_xor | bitwise_xor   (and so on down:
 * xor '^', and '&', shift '<<' '>>', sum '+' '-', term '* / // % @', then
 * factor), all left-associative: precedence climbing over binop_prec.
 */
static py_expr *binary(struct parser *p, int min_prec)
{
	uint32_t off = peek(p)->off;
	py_expr *left = factor(p);
	while (left) {
		int prec = binop_prec(peek(p));
		if (prec == 0 || prec < min_prec)
			break;
		int op = next(p)->sub;
		py_expr *right = binary(p, prec + 1);
		if (!right)
			return NULL;
		py_expr *e = new_expr(p, PY_E_BINARY, off);
		e->u.binary.op = op;
		e->u.binary.left = left;
		e->u.binary.right = right;
		left = e;
	}
	return left;
}

static py_expr *bitwise_or(struct parser *p)
{
	return binary(p, 1);
}

/* The comparison operator at the current token (consumed), or -1. */
static int compare_op(struct parser *p)
{
	const py_token *t = peek(p);
	if (t->kind == PY_TK_OP && t->sub >= PY_OP_LT && t->sub <= PY_OP_NE) {
		next(p);
		return t->sub;
	}
	if (accept_kw(p, PY_KW_IN))
		return PY_CMP_IN;
	if (is_kw(t, PY_KW_NOT) && is_kw(peek_at(p, 1), PY_KW_IN)) {
		next(p);
		next(p);
		return PY_CMP_NOT_IN;
	}
	if (accept_kw(p, PY_KW_IS))
		return accept_kw(p, PY_KW_NOT) ? PY_CMP_IS_NOT : PY_CMP_IS;
	return -1;
}

/* comparison: bitwise_or compare_op_bitwise_or_pair* */
static py_expr *comparison(struct parser *p)
{
	uint32_t off = peek(p)->off;
	py_expr *left = bitwise_or(p);
	if (!left)
		return NULL;
	int op = compare_op(p);
	if (op < 0)
		return left;
	py_expr *e = rt_alloc(p->arena, sizeof(*e));
	e->kind = PY_E_COMPARE;
	e->u.compare.left = left;
	size_t cap = 0;
	for (; op >= 0; op = compare_op(p)) {
		py_expr *right = bitwise_or(p);
		if (!right)
			return NULL;
		size_t n = e->u.compare.comparators.n;
		if (n == cap) {
			cap = cap ? cap * 2 : 2;
			e->u.compare.ops = rt_realloc_array(p->arena, e->u.compare.ops, n, cap,
			                                    sizeof(int));
		}
		e->u.compare.ops[n] = op;
		VEC_PUSH(p->arena, e->u.compare.comparators, right);
	}
	e->off = off;
	e->len = prev_end(p) - off;
	return e;
}

/* inversion: 'not' inversion | comparison */
static py_expr *inversion(struct parser *p)
{
	const py_token *t = peek(p);
	if (!is_kw(t, PY_KW_NOT))
		return comparison(p);
	if (!enter(p))
		return NULL;
	next(p);
	py_expr *operand = inversion(p);
	leave(p);
	return operand ? unary_node(p, PY_E_UNARY, PY_UNARY_NOT, operand, t->off) : NULL;
}

/* conjunction: inversion ('and' inversion)+ | inversion
 * disjunction: conjunction ('or' conjunction)+ | conjunction */
static py_expr *boolop(struct parser *p, int op)
{
	uint32_t off = peek(p)->off;
	py_kw kw = op == PY_BOOL_AND ? PY_KW_AND : PY_KW_OR;
	py_expr *first = op == PY_BOOL_AND ? inversion(p) : boolop(p, PY_BOOL_AND);
	if (!first || !is_kw(peek(p), kw))
		return first;
	py_exprs values = { 0 };
	VEC_PUSH(p->arena, values, first);
	while (accept_kw(p, kw)) {
		py_expr *e = op == PY_BOOL_AND ? inversion(p) : boolop(p, PY_BOOL_AND);
		if (!e)
			return NULL;
		VEC_PUSH(p->arena, values, e);
	}
	py_expr *e = new_expr(p, PY_E_BOOL, off);
	e->u.boolop.op = op;
	e->u.boolop.values = values;
	return e;
}

static py_expr *disjunction(struct parser *p)
{
	return boolop(p, PY_BOOL_OR);
}

/* lambdef: 'lambda' [lambda_params] ':' expression */
static py_expr *lambdef(struct parser *p)
{
	uint32_t off = next(p)->off;
	py_expr *e = rt_alloc(p->arena, sizeof(*e));
	e->kind = PY_E_LAMBDA;
	if (!params(p, &e->u.lambda.params, PY_OP_COLON, 0) || !expect_op(p, PY_OP_COLON))
		return NULL;
	if (!(e->u.lambda.body = expression(p)))
		return NULL;
	e->off = off;
	e->len = prev_end(p) - off;
	return e;
}

/*
 * A one-token atom (name, number, string, None/True/False) followed by a
 * token that continues no expression: the whole descent from disjunction
 * to atom would return the atom itself, so expression() takes it directly
 * (most expressions in version files are such arguments and values).
 */
static bool lone_atom(const struct parser *p)
{
	const py_token *t = peek(p);
	if (t->kind == PY_TK_KEYWORD) {
		if (t->sub != PY_KW_NONE && t->sub != PY_KW_TRUE && t->sub != PY_KW_FALSE)
			return false;
	} else if (t->kind != PY_TK_NAME && t->kind != PY_TK_NUMBER && t->kind != PY_TK_STRING) {
		return false;
	}
	const py_token *n = peek_at(p, 1);
	if (n->kind == PY_TK_NEWLINE || n->kind == PY_TK_EOF)
		return true;
	if (n->kind != PY_TK_OP)
		return false;
	switch (n->sub) {
	case PY_OP_COMMA: case PY_OP_RPAR: case PY_OP_RSQB: case PY_OP_RBRACE:
	case PY_OP_EQUAL: case PY_OP_COLON: case PY_OP_SEMI:
		return true;
	default:
		return false;
	}
}

/* expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef */
static py_expr *expression(struct parser *p)
{
	if (!enter(p))
		return NULL;
	uint32_t off = peek(p)->off;
	py_expr *e;
	if (lone_atom(p)) {
		e = atom(p);
	} else if (is_kw(peek(p), PY_KW_LAMBDA)) {
		e = lambdef(p);
	} else {
		e = disjunction(p);
		if (e && accept_kw(p, PY_KW_IF)) {
			py_expr *test = disjunction(p), *orelse = NULL;
			if (test && !accept_kw(p, PY_KW_ELSE))
				expected(p, "'else' after 'if' expression");
			else if (test)
				orelse = expression(p);
			if (orelse) {
				py_expr *c = new_expr(p, PY_E_IFEXP, off);
				c->u.ifexp.test = test;
				c->u.ifexp.body = e;
				c->u.ifexp.orelse = orelse;
				e = c;
			} else {
				e = NULL;
			}
		}
	}
	leave(p);
	return e;
}

/* named_expression: NAME ':=' expression | expression !':=' */
static py_expr *named_expression(struct parser *p)
{
	const py_token *t = peek(p);
	if (t->kind == PY_TK_NAME && is_op(peek_at(p, 1), PY_OP_WALRUS)) {
		py_expr *target = atom(p);
		next(p);
		py_expr *value = expression(p);
		if (!value)
			return NULL;
		py_expr *e = new_expr(p, PY_E_NAMED, t->off);
		e->u.named.target = target;
		e->u.named.value = value;
		return e;
	}
	return expression(p);
}

/* '*' bitwise_or | otherwise: the shape of the two productions below */
static py_expr *starred_or(struct parser *p, py_expr *(*otherwise)(struct parser *))
{
	uint32_t off = peek(p)->off;
	if (accept_op(p, PY_OP_STAR)) {
		py_expr *e = bitwise_or(p);
		return e ? unary_node(p, PY_E_STARRED, 0, e, off) : NULL;
	}
	return otherwise(p);
}

/* star_named_expression: '*' bitwise_or | named_expression */
static py_expr *star_named_expression(struct parser *p)
{
	return starred_or(p, named_expression);
}

/* star_expression: '*' bitwise_or | expression */
static py_expr *star_expression(struct parser *p)
{
	return starred_or(p, expression);
}

/* star_expressions: star_expression (',' star_expression)* [','] */
static py_expr *star_expressions(struct parser *p)
{
	uint32_t off = peek(p)->off;
	py_expr *first = star_expression(p);
	if (!first || !is_op(peek(p), PY_OP_COMMA))
		return first;
	py_exprs elts = { 0 };
	VEC_PUSH(p->arena, elts, first);
	while (accept_op(p, PY_OP_COMMA) && starts_expr(peek(p))) {
		py_expr *e = star_expression(p);
		if (!e)
			return NULL;
		VEC_PUSH(p->arena, elts, e);
	}
	py_expr *t = new_expr(p, PY_E_TUPLE, off);
	t->u.seq.elts = elts;
	return t;
}

/* yield_expr: 'yield' 'from' expression | 'yield' [star_expressions] */
static py_expr *yield_expr(struct parser *p)
{
	uint32_t off = next(p)->off;
	if (accept_kw(p, PY_KW_FROM)) {
		py_expr *e = expression(p);
		return e ? unary_node(p, PY_E_YIELDFROM, 0, e, off) : NULL;
	}
	py_expr *value = NULL;
	if (starts_expr(peek(p)) && !(value = star_expressions(p)))
		return NULL;
	return unary_node(p, PY_E_YIELD, 0, value, off);
}

static py_expr *yield_or_star_expressions(struct parser *p)
{
	return is_kw(peek(p), PY_KW_YIELD) ? yield_expr(p) : star_expressions(p);
}

/* ---- strings ---- */

/* Decodes string tokens [first, first+n) (none of them an f-string) into
 * one PY_E_STR node. */
static py_expr *plain_string(struct parser *p, size_t first, size_t n)
{
	const py_token *t0 = &p->t[first], *tl = &p->t[first + n - 1];
	py_expr *e = rt_alloc(p->arena, sizeof(*e));
	e->kind = PY_E_STR;
	e->off = t0->off;
	e->len = tl->off + tl->len - t0->off;
	py_str *s = &e->u.str;
	s->parts = rt_alloc_array(p->arena, n, sizeof(*s->parts));
	s->nparts = n;
	rt_buf buf = RT_BUF_INIT;
	py_segs segs = { 0 };
	for (size_t i = 0; i < n; i++) {
		const py_token *t = &p->t[first + i];
		py_strtok info;
		py_strtok_info(p->src, t, &info);
		py_strpart *part = &s->parts[i];
		*part = (py_strpart){ .off = t->off, .len = t->len, .body_off = info.body_off,
		                      .body_len = info.body_len, .flags = info.flags,
		                      .value_off = (uint32_t)buf.len };
		if ((info.flags & PY_STR_BYTES) != (s->parts[0].flags & PY_STR_BYTES)) {
			rt_buf_release(&buf);
			return syntax_at(p, RT_ESYNTAX, t->off, t->len,
			                 "cannot mix bytes and nonbytes literals");
		}
		int rc = py_str_decode(p->arena, p->src, info.body_off, info.body_len, info.flags,
		                       false, &buf, &segs, p->err);
		if (rc < 0) {
			rt_buf_release(&buf);
			return lower_failed(p, rc);
		}
	}
	s->is_bytes = s->parts[0].flags & PY_STR_BYTES;
	s->value = rt_strndup(p->arena, rt_buf_cstr(&buf), buf.len);
	s->len = buf.len;
	s->segs = segs.v;
	s->nsegs = segs.n;
	rt_buf_release(&buf);
	return e;
}

/* A literal piece of an f-string, source bytes [off, off+len), as a one-part
 * PY_E_STR node. */
static py_expr *fstring_piece(struct parser *p, uint32_t off, uint32_t len, unsigned flags)
{
	py_expr *e = rt_alloc(p->arena, sizeof(*e));
	e->kind = PY_E_STR;
	e->off = off;
	e->len = len;
	py_str *s = &e->u.str;
	s->parts = rt_alloc(p->arena, sizeof(*s->parts));
	s->nparts = 1;
	s->parts[0] = (py_strpart){ .off = off, .len = len, .body_off = off, .body_len = len,
	                            .flags = flags & ~PY_STR_F };
	rt_buf buf = RT_BUF_INIT;
	py_segs segs = { 0 };
	int rc = py_str_decode(p->arena, p->src, off, len, flags, true, &buf, &segs, p->err);
	if (rc < 0) {
		rt_buf_release(&buf);
		return lower_failed(p, rc);
	}
	s->value = rt_strndup(p->arena, rt_buf_cstr(&buf), buf.len);
	s->len = buf.len;
	s->segs = segs.v;
	s->nsegs = segs.n;
	rt_buf_release(&buf);
	return e;
}

static py_expr *fstring_parts(struct parser *p, const py_fparts *parts, unsigned flags,
                              uint32_t off, uint32_t len);

/* A replacement field: its expression is tokenized and parsed on its own. */
static py_expr *fstring_field(struct parser *p, const py_fpart *part, unsigned flags)
{
	py_tokens toks;
	int rc = py_lex_fragment(&toks, p->arena, p->src, part->off, part->off + part->len, p->err);
	if (rc < 0)
		return lower_failed(p, rc);
	struct parser sub = *p;
	sub.t = toks.v;
	sub.n = toks.n;
	sub.pos = 0;
	py_expr *value = yield_or_star_expressions(&sub);
	if (value && peek(&sub)->kind != PY_TK_EOF)
		expected(&sub, "'}' closing the f-string field");
	p->failed = sub.failed;
	p->code = sub.code;
	if (!value || p->failed)
		return NULL;
	py_expr *e = rt_alloc(p->arena, sizeof(*e));
	e->kind = PY_E_FIELD;
	e->off = part->field_off;
	e->len = part->field_len;
	e->u.field.value = value;
	e->u.field.conversion = part->conversion;
	e->u.field.selfdoc = part->selfdoc;
	if (part->selfdoc && !part->conversion && !part->has_spec)
		e->u.field.conversion = 'r'; /* f"{x=}" shows repr(x), as CPython does */
	if (part->has_spec) {
		uint32_t soff = part->spec.n ? part->spec.v[0]->off : part->off + part->len;
		e->u.field.spec = fstring_parts(p, &part->spec, flags, soff, 0);
		if (!e->u.field.spec)
			return NULL;
	}
	return e;
}

static py_expr *fstring_parts(struct parser *p, const py_fparts *parts, unsigned flags,
                              uint32_t off, uint32_t len)
{
	if (!enter(p))
		return NULL;
	py_expr *e = rt_alloc(p->arena, sizeof(*e));
	e->kind = PY_E_FSTR;
	e->off = off;
	e->len = len;
	for (size_t i = 0; i < parts->n; i++) {
		const py_fpart *part = parts->v[i];
		py_expr *v;
		if (part->is_field && part->selfdoc) {
			/* f"{x = }" shows its own text first, verbatim, as CPython does */
			v = fstring_piece(p, part->off, part->selfdoc_len, PY_STR_RAW);
			if (!v) {
				leave(p);
				return NULL;
			}
			VEC_PUSH(p->arena, e->u.fstr.values, v);
		}
		v = part->is_field ? fstring_field(p, part, flags) :
		                     fstring_piece(p, part->off, part->len, flags);
		if (!v) {
			leave(p);
			return NULL;
		}
		VEC_PUSH(p->arena, e->u.fstr.values, v);
	}
	leave(p);
	return e;
}

/* strings: STRING+ (adjacent literals concatenate; any f-string among them
 * makes the whole a PY_E_FSTR whose plain parts are PY_E_STR values) */
static py_expr *strings(struct parser *p)
{
	size_t first = p->pos, n = 0;
	bool any_f = false;
	while (peek(p)->kind == PY_TK_STRING) {
		any_f |= (peek(p)->sub & PY_STR_F) != 0;
		n++;
		next(p);
	}
	if (!any_f)
		return plain_string(p, first, n);
	const py_token *t0 = &p->t[first];
	py_expr *e = rt_alloc(p->arena, sizeof(*e));
	e->kind = PY_E_FSTR;
	e->off = t0->off;
	e->len = prev_end(p) - t0->off;
	for (size_t i = 0; i < n; i++) {
		const py_token *t = &p->t[first + i];
		if (t->sub & PY_STR_BYTES)
			return syntax_at(p, RT_ESYNTAX, t->off, t->len,
			                 "cannot mix bytes and nonbytes literals");
		if (!(t->sub & PY_STR_F)) {
			py_expr *s = plain_string(p, first + i, 1);
			if (!s)
				return NULL;
			VEC_PUSH(p->arena, e->u.fstr.values, s);
			continue;
		}
		py_fparts parts;
		int rc = py_fstring_split(&parts, p->arena, p->src, t, p->err);
		if (rc < 0)
			return lower_failed(p, rc);
		py_strtok info;
		py_strtok_info(p->src, t, &info);
		py_expr *f = fstring_parts(p, &parts, info.flags, t->off, t->len);
		if (!f)
			return NULL;
		for (size_t k = 0; k < f->u.fstr.values.n; k++)
			VEC_PUSH(p->arena, e->u.fstr.values, f->u.fstr.values.v[k]);
	}
	return e;
}

/* ---- parameters ---- */

/* One NAME [':' annotation] ['=' default] parameter. */
static py_param *param(struct parser *p, py_param_kind kind, unsigned flags)
{
	const py_token *t = peek(p);
	if (t->kind != PY_TK_NAME)
		return expected(p, "a parameter name");
	next(p);
	py_param *a = rt_alloc(p->arena, sizeof(*a));
	a->kind = kind;
	a->name = tok_text(p, t);
	a->off = t->off;
	if ((flags & PARAM_ANNOTATED) && accept_op(p, PY_OP_COLON)) {
		a->annotation = flags & PARAM_STAR_ANNOTATION ? star_expression(p) : expression(p);
		if (!a->annotation)
			return NULL;
	}
	if ((flags & PARAM_DEFAULT) && accept_op(p, PY_OP_EQUAL) && !(a->def = expression(p)))
		return NULL;
	a->len = prev_end(p) - t->off;
	return a;
}

/*
 * parameters (def) / lambda_parameters (lambda, no annotations):
 *   [param_no_default | param_with_default]* ['/' ...] ['*' [NAME] kwonly...] ['**' NAME]
 * Stops before `close` (')' or ':'), which the caller consumes. annotated:
 * PARAM_ANNOTATED or 0.
 */
static bool params(struct parser *p, py_params *out, py_op close, unsigned annotated)
{
	bool seen_slash = false, seen_star = false, seen_default = false, bare_star = false;
	bool seen_kwarg = false;
	while (!is_op(peek(p), close)) {
		const py_token *t = peek(p);
		if (seen_kwarg)
			return syntax_at(p, RT_ESYNTAX, t->off, t->len,
			                 "arguments cannot follow var-keyword argument");
		if (accept_op(p, PY_OP_SLASH)) {
			if (seen_slash || seen_star || out->n == 0)
				return syntax_at(p, RT_ESYNTAX, t->off, 1, "'/' must follow at least one "
				                 "parameter, once, and before '*'");
			for (size_t i = 0; i < out->n; i++)
				out->v[i]->kind = PY_PARAM_POSONLY;
			seen_slash = true;
		} else if (accept_op(p, PY_OP_STAR)) {
			if (seen_star)
				return syntax_at(p, RT_ESYNTAX, t->off, 1, "'*' may appear only once");
			seen_star = true;
			if (is_op(peek(p), PY_OP_COMMA) || is_op(peek(p), close)) {
				bare_star = true;
			} else {
				py_param *a = param(p, PY_PARAM_VARARG, annotated | PARAM_STAR_ANNOTATION);
				if (!a)
					return false;
				VEC_PUSH(p->arena, *out, a);
			}
		} else if (accept_op(p, PY_OP_DSTAR)) {
			py_param *a = param(p, PY_PARAM_KWARG, annotated);
			if (!a)
				return false;
			VEC_PUSH(p->arena, *out, a);
			seen_kwarg = true;
		} else {
			py_param *a = param(p, seen_star ? PY_PARAM_KWONLY : PY_PARAM_NORMAL,
			                    annotated | PARAM_DEFAULT);
			if (!a)
				return false;
			if (!seen_star) {
				if (a->def)
					seen_default = true;
				else if (seen_default)
					return syntax_at(p, RT_ESYNTAX, a->off, a->len, "parameter without a "
					                 "default follows parameter with a default");
			}
			bare_star = false;
			VEC_PUSH(p->arena, *out, a);
		}
		if (!accept_op(p, PY_OP_COMMA))
			break;
	}
	if (bare_star)
		return syntax_at(p, RT_ESYNTAX, peek(p)->off, peek(p)->len,
		                 "named arguments must follow bare *");
	return true;
}

/* type_params: '[' ','.(NAME [':' expression] | '*' NAME | '**' NAME)+ [','] ']' */
static bool type_params(struct parser *p, py_params *out)
{
	if (!accept_op(p, PY_OP_LSQB))
		return true;
	do {
		if (is_op(peek(p), PY_OP_RSQB) && out->n)
			break;
		py_param_kind kind = PY_PARAM_TYPEVAR;
		if (accept_op(p, PY_OP_STAR))
			kind = PY_PARAM_TYPEVARTUPLE;
		else if (accept_op(p, PY_OP_DSTAR))
			kind = PY_PARAM_PARAMSPEC;
		py_param *a = param(p, kind, kind == PY_PARAM_TYPEVAR ? PARAM_ANNOTATED : 0);
		if (!a)
			return false;
		VEC_PUSH(p->arena, *out, a);
	} while (accept_op(p, PY_OP_COMMA));
	return expect_op(p, PY_OP_RSQB);
}

/* ---- statements ---- */

static bool statement(struct parser *p, py_stmts *body);

/* block: NEWLINE INDENT statements DEDENT | simple_stmts */
static bool block(struct parser *p, py_stmts *body, const py_token *owner);
static bool simple_stmts(struct parser *p, py_stmts *body);

static bool block(struct parser *p, py_stmts *body, const py_token *owner)
{
	if (!expect_op(p, PY_OP_COLON))
		return false;
	if (peek(p)->kind != PY_TK_NEWLINE)
		return simple_stmts(p, body);
	next(p);
	if (peek(p)->kind != PY_TK_INDENT) {
		rt_loc o = rt_source_loc(p->src, owner->off, owner->len);
		const py_token *t = peek(p);
		syntax_at(p, RT_ESYNTAX, t->off, t->len, "expected an indented block after '%.*s' "
		          "on line %u", (int)owner->len, p->src->text + owner->off, o.line);
		return false;
	}
	if (!enter(p))
		return false;
	next(p);
	if (peek(p)->kind == PY_TK_BODY) { /* left unread: the block stays empty */
		next(p);
		p->skipped++;
	}
	while (peek(p)->kind != PY_TK_DEDENT && peek(p)->kind != PY_TK_EOF)
		if (!statement(p, body))
			return false;
	next(p);
	leave(p);
	return true;
}

static bool parse_dotted_name(struct parser *p, const char **out)
{
	rt_buf b = RT_BUF_INIT;
	do {
		const py_token *t = peek(p);
		if (t->kind != PY_TK_NAME) {
			rt_buf_release(&b);
			expected(p, "a module name");
			return false;
		}
		next(p);
		if (b.len)
			rt_buf_putc(&b, '.');
		rt_buf_add(&b, p->src->text + t->off, t->len);
	} while (accept_op(p, PY_OP_DOT));
	*out = rt_strndup(p->arena, b.ptr, b.len);
	rt_buf_release(&b);
	return true;
}

typedef enum alias_kind {
	ALIAS_DOTTED, /* import a.b as c */
	ALIAS_NAME,   /* from m import a as c */
} alias_kind;

/* NAME ['as' NAME], or a dotted name for ALIAS_DOTTED */
static py_alias *alias(struct parser *p, alias_kind kind)
{
	const py_token *t = peek(p);
	py_alias *a = rt_alloc(p->arena, sizeof(*a));
	a->off = t->off;
	if (kind == ALIAS_DOTTED) {
		if (!parse_dotted_name(p, &a->name))
			return NULL;
	} else {
		if (t->kind != PY_TK_NAME)
			return expected(p, "a name to import");
		a->name = tok_text(p, next(p));
	}
	if (accept_kw(p, PY_KW_AS)) {
		if (peek(p)->kind != PY_TK_NAME)
			return expected(p, "a name after 'as'");
		a->asname = tok_text(p, next(p));
	}
	a->len = prev_end(p) - t->off;
	return a;
}

/* import_name: 'import' ','.dotted_as_name+
 * import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets
 *            | 'from' ('.' | '...')+ 'import' import_from_targets */
static py_stmt *import_stmt(struct parser *p)
{
	const py_token *t = next(p);
	if (is_kw(t, PY_KW_IMPORT)) {
		py_stmt *s = new_stmt(p, PY_S_IMPORT, t->off);
		do {
			py_alias *a = alias(p, ALIAS_DOTTED);
			if (!a)
				return NULL;
			VEC_PUSH(p->arena, s->u.import_.names, a);
		} while (accept_op(p, PY_OP_COMMA));
		return s;
	}
	py_stmt *s = new_stmt(p, PY_S_IMPORTFROM, t->off);
	for (;;) {
		if (accept_op(p, PY_OP_DOT))
			s->u.import_.level++;
		else if (accept_op(p, PY_OP_ELLIPSIS))
			s->u.import_.level += 3;
		else
			break;
	}
	if (!is_kw(peek(p), PY_KW_IMPORT) || s->u.import_.level == 0)
		if (!parse_dotted_name(p, &s->u.import_.module))
			return NULL;
	if (!accept_kw(p, PY_KW_IMPORT))
		return expected(p, "'import'");
	const py_token *star = peek(p);
	if (accept_op(p, PY_OP_STAR)) {
		py_alias *a = rt_alloc(p->arena, sizeof(*a));
		a->name = "*";
		a->off = star->off;
		a->len = 1;
		VEC_PUSH(p->arena, s->u.import_.names, a);
		return s;
	}
	bool paren = accept_op(p, PY_OP_LPAR);
	do {
		if (paren && is_op(peek(p), PY_OP_RPAR) && s->u.import_.names.n)
			break;
		if (!paren && s->u.import_.names.n && at_stmt_end(peek(p)))
			return syntax_at(p, RT_ESYNTAX, p->t[p->pos - 1].off, 1,
			                 "trailing comma not allowed without surrounding parentheses");
		py_alias *a = alias(p, ALIAS_NAME);
		if (!a)
			return NULL;
		VEC_PUSH(p->arena, s->u.import_.names, a);
	} while (accept_op(p, PY_OP_COMMA));
	if (paren && !expect_op(p, PY_OP_RPAR))
		return NULL;
	return s;
}

/* global_stmt: 'global' ','.NAME+   nonlocal_stmt: 'nonlocal' ','.NAME+ */
static py_stmt *names_stmt(struct parser *p, py_stmt_kind kind)
{
	py_stmt *s = new_stmt(p, kind, next(p)->off);
	do {
		if (peek(p)->kind != PY_TK_NAME)
			return expected(p, "a name");
		VEC_PUSH(p->arena, s->u.names, tok_text(p, next(p)));
	} while (accept_op(p, PY_OP_COMMA));
	return s;
}

/* assignment | star_expressions:
 *   NAME ':' expression ['=' annotated_rhs]
 *   | (star_targets '=')+ (yield_expr | star_expressions)
 *   | single_target augassign (yield_expr | star_expressions)
 *   | star_expressions */
static py_stmt *expr_stmt(struct parser *p)
{
	uint32_t off = peek(p)->off;
	py_expr *e = yield_or_star_expressions(p);
	if (!e)
		return NULL;
	const py_token *t = peek(p);
	if (is_op(t, PY_OP_COLON)) {
		if (e->kind == PY_E_TUPLE)
			return syntax_at(p, RT_ESYNTAX, e->off, e->len,
			                 "only single target (not tuple) can be annotated");
		if (!check_target(p, e, TARGET_SINGLE, "annotate"))
			return NULL;
		next(p);
		py_stmt *s = new_stmt(p, PY_S_ANNASSIGN, off);
		s->u.annassign.target = e;
		if (!(s->u.annassign.annotation = expression(p)))
			return NULL;
		if (accept_op(p, PY_OP_EQUAL) &&
		    !(s->u.annassign.value = yield_or_star_expressions(p)))
			return NULL;
		return s;
	}
	if (t->kind == PY_TK_OP && t->sub >= PY_OP_PLUSEQ && t->sub <= PY_OP_CARETEQ) {
		if (!check_target(p, e, TARGET_SINGLE, "use augmented assignment on"))
			return NULL;
		next(p);
		py_stmt *s = new_stmt(p, PY_S_AUGASSIGN, off);
		s->u.augassign.target = e;
		s->u.augassign.op = t->sub - PY_OP_PLUSEQ + PY_OP_PLUS;
		if (!(s->u.augassign.value = yield_or_star_expressions(p)))
			return NULL;
		return s;
	}
	if (!is_op(t, PY_OP_EQUAL)) {
		py_stmt *s = new_stmt(p, PY_S_EXPR, off);
		s->u.expr.value = e;
		return s;
	}
	py_stmt *s = new_stmt(p, PY_S_ASSIGN, off);
	while (accept_op(p, PY_OP_EQUAL)) {
		if (!check_target(p, e, TARGET_SEQ_OK, "assign to"))
			return NULL;
		VEC_PUSH(p->arena, s->u.assign.targets, e);
		if (!(e = yield_or_star_expressions(p)))
			return NULL;
	}
	s->u.assign.value = e;
	return s;
}

/* simple_stmt: assignment | star_expressions | return_stmt | import_stmt
 *   | raise_stmt | 'pass' | del_stmt | yield_stmt | assert_stmt | 'break'
 *   | 'continue' | global_stmt | nonlocal_stmt | type_alias */
static py_stmt *simple_stmt(struct parser *p)
{
	const py_token *t = peek(p);
	uint32_t off = t->off;
	if (t->kind == PY_TK_NAME && is_name(p, t, "type") && peek_at(p, 1)->kind == PY_TK_NAME &&
	    (is_op(peek_at(p, 2), PY_OP_EQUAL) || is_op(peek_at(p, 2), PY_OP_LSQB))) {
		/* type_alias: "type" NAME [type_params] '=' expression */
		next(p);
		py_stmt *s = new_stmt(p, PY_S_TYPEALIAS, off);
		s->u.typealias.name = atom(p);
		if (!type_params(p, &s->u.typealias.type_params) || !expect_op(p, PY_OP_EQUAL))
			return NULL;
		return (s->u.typealias.value = expression(p)) ? s : NULL;
	}
	if (t->kind != PY_TK_KEYWORD)
		return expr_stmt(p);
	py_stmt *s;
	switch (t->sub) {
	case PY_KW_PASS:
	case PY_KW_BREAK:
	case PY_KW_CONTINUE:
		next(p);
		return new_stmt(p, t->sub == PY_KW_PASS ? PY_S_PASS :
		                t->sub == PY_KW_BREAK ? PY_S_BREAK : PY_S_CONTINUE, off);
	case PY_KW_RETURN:
		/* return_stmt: 'return' [star_expressions] */
		next(p);
		s = new_stmt(p, PY_S_RETURN, off);
		if (!at_stmt_end(peek(p)) && !(s->u.expr.value = star_expressions(p)))
			return NULL;
		return s;
	case PY_KW_RAISE:
		/* raise_stmt: 'raise' expression ['from' expression] | 'raise' */
		next(p);
		s = new_stmt(p, PY_S_RAISE, off);
		if (at_stmt_end(peek(p)))
			return s;
		if (!(s->u.raise.exc = expression(p)))
			return NULL;
		if (accept_kw(p, PY_KW_FROM) && !(s->u.raise.cause = expression(p)))
			return NULL;
		return s;
	case PY_KW_ASSERT:
		/* assert_stmt: 'assert' expression [',' expression] */
		next(p);
		s = new_stmt(p, PY_S_ASSERT, off);
		if (!(s->u.assert_.test = expression(p)))
			return NULL;
		if (accept_op(p, PY_OP_COMMA) && !(s->u.assert_.msg = expression(p)))
			return NULL;
		return s;
	case PY_KW_DEL:
		/* del_stmt: 'del' ','.del_target+ [','] */
		next(p);
		s = new_stmt(p, PY_S_DEL, off);
		do {
			py_expr *e = primary(p);
			if (!e || !check_target(p, e, TARGET_SEQ_OK, "delete"))
				return NULL;
			VEC_PUSH(p->arena, s->u.del.targets, e);
		} while (accept_op(p, PY_OP_COMMA) && starts_target(peek(p)));
		return s;
	case PY_KW_GLOBAL:
		return names_stmt(p, PY_S_GLOBAL);
	case PY_KW_NONLOCAL:
		return names_stmt(p, PY_S_NONLOCAL);
	case PY_KW_IMPORT:
	case PY_KW_FROM:
		return import_stmt(p);
	default:
		return expr_stmt(p);
	}
}

/* simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static bool simple_stmts(struct parser *p, py_stmts *body)
{
	for (;;) {
		py_stmt *s = simple_stmt(p);
		if (!s)
			return false;
		end_stmt(p, s);
		VEC_PUSH(p->arena, *body, s);
		if (!accept_op(p, PY_OP_SEMI) || peek(p)->kind == PY_TK_NEWLINE)
			break;
	}
	if (peek(p)->kind == PY_TK_NEWLINE || peek(p)->kind == PY_TK_EOF) {
		next(p);
		return true;
	}
	expected(p, "end of statement");
	return false;
}

/* if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
 * (an elif chain is built iteratively: each elif is the orelse of the last) */
static py_stmt *if_stmt(struct parser *p)
{
	py_stmt *first = NULL, *cur = NULL;
	do {
		const py_token *t = next(p);
		py_stmt *s = new_stmt(p, PY_S_IF, t->off);
		if (!(s->u.cond.test = named_expression(p)) || !block(p, &s->u.cond.body, t))
			return NULL;
		end_stmt(p, s);
		if (cur)
			VEC_PUSH(p->arena, cur->u.cond.orelse, s);
		else
			first = s;
		cur = s;
	} while (is_kw(peek(p), PY_KW_ELIF));
	const py_token *e = peek(p);
	if (accept_kw(p, PY_KW_ELSE) && !block(p, &cur->u.cond.orelse, e))
		return NULL;
	return first;
}

/* while_stmt: 'while' named_expression ':' block [else_block] */
static py_stmt *while_stmt(struct parser *p)
{
	const py_token *t = next(p);
	py_stmt *s = new_stmt(p, PY_S_WHILE, t->off);
	if (!(s->u.cond.test = named_expression(p)) || !block(p, &s->u.cond.body, t))
		return NULL;
	const py_token *e = peek(p);
	if (accept_kw(p, PY_KW_ELSE) && !block(p, &s->u.cond.orelse, e))
		return NULL;
	return s;
}

/* for_stmt: ['async'] 'for' star_targets 'in' star_expressions ':' block [else_block] */
static py_stmt *for_stmt(struct parser *p, bool is_async, uint32_t off)
{
	const py_token *t = next(p);
	py_stmt *s = new_stmt(p, PY_S_FOR, off);
	s->u.for_.is_async = is_async;
	if (!(s->u.for_.target = star_targets(p, "assign to")))
		return NULL;
	if (!accept_kw(p, PY_KW_IN))
		return expected(p, "'in'");
	if (!(s->u.for_.iter = star_expressions(p)) || !block(p, &s->u.for_.body, t))
		return NULL;
	const py_token *e = peek(p);
	if (accept_kw(p, PY_KW_ELSE) && !block(p, &s->u.for_.orelse, e))
		return NULL;
	return s;
}

/* with_item: expression ['as' star_target] */
static py_withitem *with_item(struct parser *p)
{
	py_withitem *w = rt_alloc(p->arena, sizeof(*w));
	if (!(w->context = expression(p)))
		return NULL;
	if (accept_kw(p, PY_KW_AS)) {
		if (!(w->vars = star_target(p)) || !check_target(p, w->vars, TARGET_SEQ_OK, "assign to"))
			return NULL;
	}
	return w;
}

/* with_stmt: ['async'] 'with' '(' ','.with_item+ [','] ')' ':' block
 *          | ['async'] 'with' ','.with_item+ ':' block */
static py_stmt *with_stmt(struct parser *p, bool is_async, uint32_t off)
{
	const py_token *t = next(p);
	py_stmt *s = new_stmt(p, PY_S_WITH, off);
	s->u.with.is_async = is_async;
	if (is_op(peek(p), PY_OP_LPAR)) {
		/* try the parenthesised item list; fall back to an expression */
		size_t save = p->pos;
		unsigned depth = p->depth;
		next(p);
		py_withitems items = { 0 };
		bool ok = true;
		do {
			if (is_op(peek(p), PY_OP_RPAR) && items.n)
				break;
			py_withitem *w = with_item(p);
			if (!w) {
				ok = false;
				break;
			}
			VEC_PUSH(p->arena, items, w);
		} while (accept_op(p, PY_OP_COMMA));
		if (ok && accept_op(p, PY_OP_RPAR) && is_op(peek(p), PY_OP_COLON)) {
			s->u.with.items = items;
			return block(p, &s->u.with.body, t) ? s : NULL;
		}
		if (p->failed) {
			rt_error_clear(p->err);
			p->failed = false;
			p->code = RT_OK;
		}
		p->pos = save;
		p->depth = depth;
	}
	do {
		py_withitem *w = with_item(p);
		if (!w)
			return NULL;
		VEC_PUSH(p->arena, s->u.with.items, w);
	} while (accept_op(p, PY_OP_COMMA));
	return block(p, &s->u.with.body, t) ? s : NULL;
}

/* try_stmt: 'try' ':' block finally_block
 *   | 'try' ':' block except_block+ [else_block] [finally_block]
 *   | 'try' ':' block except_star_block+ [else_block] [finally_block]
 * except_block: 'except' [expression ['as' NAME]] ':' block
 * except_star_block: 'except' '*' expression ['as' NAME] ':' block */
static py_stmt *try_stmt(struct parser *p)
{
	const py_token *t = next(p);
	py_stmt *s = new_stmt(p, PY_S_TRY, t->off);
	if (!block(p, &s->u.try_.body, t))
		return NULL;
	while (is_kw(peek(p), PY_KW_EXCEPT)) {
		const py_token *et = next(p);
		py_handler *h = rt_alloc(p->arena, sizeof(*h));
		h->off = et->off;
		bool star = accept_op(p, PY_OP_STAR);
		if (s->u.try_.handlers.n && star != s->u.try_.star)
			return syntax_at(p, RT_ESYNTAX, et->off, et->len, "cannot have both 'except' "
			                 "and 'except*' on the same 'try'");
		s->u.try_.star = star;
		if (!is_op(peek(p), PY_OP_COLON)) {
			if (!(h->type = expression(p)))
				return NULL;
			if (is_op(peek(p), PY_OP_COMMA))
				return syntax_at(p, RT_ESYNTAX, h->type->off, h->type->len,
				                 "multiple exception types must be parenthesized");
			if (accept_kw(p, PY_KW_AS)) {
				if (peek(p)->kind != PY_TK_NAME)
					return expected(p, "a name after 'as'");
				h->name = tok_text(p, next(p));
			}
		} else if (star) {
			return expected(p, "one or more exception types");
		}
		if (!block(p, &h->body, et))
			return NULL;
		h->len = prev_end(p) - et->off;
		VEC_PUSH(p->arena, s->u.try_.handlers, h);
	}
	const py_token *e = peek(p);
	if (s->u.try_.handlers.n && accept_kw(p, PY_KW_ELSE) && !block(p, &s->u.try_.orelse, e))
		return NULL;
	const py_token *f = peek(p);
	if (accept_kw(p, PY_KW_FINALLY)) {
		if (!block(p, &s->u.try_.finalbody, f))
			return NULL;
	} else if (!s->u.try_.handlers.n) {
		return expected(p, "'except' or 'finally' block");
	}
	return s;
}

/* function_def: decorators? ['async'] 'def' NAME [type_params] '(' [params] ')'
 *               ['->' expression] ':' block */
static py_stmt *def_stmt(struct parser *p, py_exprs decorators, bool is_async, uint32_t off)
{
	const py_token *t = next(p);
	py_stmt *s = new_stmt(p, PY_S_DEF, off);
	s->u.def.is_async = is_async;
	s->u.def.decorators = decorators;
	const py_token *name = peek(p);
	if (name->kind != PY_TK_NAME)
		return expected(p, "a function name");
	next(p);
	s->u.def.name = tok_text(p, name);
	s->u.def.name_off = name->off;
	if (!type_params(p, &s->u.def.type_params) || !expect_op(p, PY_OP_LPAR) ||
	    !params(p, &s->u.def.params, PY_OP_RPAR, PARAM_ANNOTATED) || !expect_op(p, PY_OP_RPAR))
		return NULL;
	if (accept_op(p, PY_OP_ARROW) && !(s->u.def.returns = expression(p)))
		return NULL;
	return block(p, &s->u.def.body, t) ? s : NULL;
}

/* class_def: decorators? 'class' NAME [type_params] ['(' [arguments] ')'] ':' block */
static py_stmt *class_stmt(struct parser *p, py_exprs decorators, uint32_t off)
{
	const py_token *t = next(p);
	py_stmt *s = new_stmt(p, PY_S_CLASS, off);
	s->u.class_.decorators = decorators;
	const py_token *name = peek(p);
	if (name->kind != PY_TK_NAME)
		return expected(p, "a class name");
	next(p);
	s->u.class_.name = tok_text(p, name);
	s->u.class_.name_off = name->off;
	if (!type_params(p, &s->u.class_.type_params))
		return NULL;
	if (accept_op(p, PY_OP_LPAR) &&
	    !arguments(p, &s->u.class_.bases, &s->u.class_.keywords, PY_OP_RPAR))
		return NULL;
	return block(p, &s->u.class_.body, t) ? s : NULL;
}

/* decorators: ('@' named_expression NEWLINE)+, then a def or class */
static py_stmt *decorated(struct parser *p)
{
	uint32_t off = peek(p)->off;
	py_exprs decorators = { 0 };
	while (accept_op(p, PY_OP_AT)) {
		py_expr *d = named_expression(p);
		if (!d)
			return NULL;
		if (peek(p)->kind != PY_TK_NEWLINE)
			return expected(p, "end of line after the decorator");
		next(p);
		VEC_PUSH(p->arena, decorators, d);
	}
	const py_token *t = peek(p);
	if (is_kw(t, PY_KW_DEF))
		return def_stmt(p, decorators, false, off);
	if (is_kw(t, PY_KW_ASYNC) && is_kw(peek_at(p, 1), PY_KW_DEF)) {
		next(p);
		return def_stmt(p, decorators, true, off);
	}
	if (is_kw(t, PY_KW_CLASS))
		return class_stmt(p, decorators, off);
	return expected(p, "'def' or 'class' after decorators");
}

/* ---- match statement ---- */

static py_expr *pattern(struct parser *p);

/* maybe_star_pattern: '*' NAME | pattern */
static py_expr *star_pattern(struct parser *p)
{
	uint32_t off = peek(p)->off;
	if (!accept_op(p, PY_OP_STAR))
		return pattern(p);
	if (peek(p)->kind != PY_TK_NAME)
		return expected(p, "a name after '*'");
	py_expr *name = atom(p);
	return unary_node(p, PY_E_STARRED, 0, name, off);
}

/* Comma-separated patterns up to `close` (already past the opener). */
static bool pattern_list(struct parser *p, py_exprs *out, py_op close)
{
	while (!is_op(peek(p), close)) {
		py_expr *e = star_pattern(p);
		if (!e)
			return false;
		VEC_PUSH(p->arena, *out, e);
		if (!accept_op(p, PY_OP_COMMA))
			break;
	}
	return expect_op(p, close);
}

/* class_pattern arguments: '(' [positional_patterns] [keyword_patterns] ')' */
static py_expr *class_pattern(struct parser *p, py_expr *cls)
{
	py_expr *c = rt_alloc(p->arena, sizeof(*c));
	c->kind = PY_E_CALL;
	c->off = cls->off;
	c->u.call.func = cls;
	next(p);
	while (!is_op(peek(p), PY_OP_RPAR)) {
		const py_token *t = peek(p);
		if (t->kind == PY_TK_NAME && is_op(peek_at(p, 1), PY_OP_EQUAL)) {
			py_keyword *k = rt_alloc(p->arena, sizeof(*k));
			k->arg = tok_text(p, t);
			k->off = t->off;
			next(p);
			next(p);
			if (!(k->value = pattern(p)))
				return NULL;
			k->len = prev_end(p) - t->off;
			VEC_PUSH(p->arena, c->u.call.keywords, k);
		} else {
			if (c->u.call.keywords.n)
				return syntax_at(p, RT_ESYNTAX, t->off, t->len,
				                 "positional patterns follow keyword patterns");
			py_expr *e = pattern(p);
			if (!e)
				return NULL;
			VEC_PUSH(p->arena, c->u.call.args, e);
		}
		if (!accept_op(p, PY_OP_COMMA))
			break;
	}
	if (!expect_op(p, PY_OP_RPAR))
		return NULL;
	c->len = prev_end(p) - c->off;
	return c;
}

/* signed_number ['+' | '-' NUMBER]: literal numbers and complex literals */
static py_expr *number_pattern(struct parser *p)
{
	uint32_t off = peek(p)->off;
	bool neg = accept_op(p, PY_OP_MINUS);
	if (peek(p)->kind != PY_TK_NUMBER)
		return expected(p, "a number");
	py_expr *e = number(p);
	if (neg)
		e = unary_node(p, PY_E_UNARY, PY_OP_MINUS, e, off);
	const py_token *t = peek(p);
	if ((is_op(t, PY_OP_PLUS) || is_op(t, PY_OP_MINUS)) &&
	    peek_at(p, 1)->kind == PY_TK_NUMBER) {
		next(p);
		py_expr *im = number(p);
		py_expr *b = new_expr(p, PY_E_BINARY, off);
		b->u.binary.op = t->sub;
		b->u.binary.left = e;
		b->u.binary.right = im;
		e = b;
	}
	return e;
}

/* closed_pattern: literal_pattern | capture_pattern | wildcard_pattern
 *   | value_pattern | group_pattern | sequence_pattern | mapping_pattern
 *   | class_pattern */
static py_expr *closed_pattern(struct parser *p)
{
	const py_token *t = peek(p);
	uint32_t off = t->off;
	if (t->kind == PY_TK_NUMBER || is_op(t, PY_OP_MINUS))
		return number_pattern(p);
	if (t->kind == PY_TK_STRING || is_kw(t, PY_KW_NONE) || is_kw(t, PY_KW_TRUE) ||
	    is_kw(t, PY_KW_FALSE))
		return atom(p);
	if (t->kind == PY_TK_NAME) {
		py_expr *e = atom(p);
		while (accept_op(p, PY_OP_DOT)) {
			const py_token *n = peek(p);
			if (n->kind != PY_TK_NAME)
				return expected(p, "an attribute name");
			next(p);
			py_expr *a = new_expr(p, PY_E_ATTR, off);
			a->u.attr.value = e;
			a->u.attr.attr = tok_text(p, n);
			e = a;
		}
		return is_op(peek(p), PY_OP_LPAR) ? class_pattern(p, e) : e;
	}
	if (accept_op(p, PY_OP_LPAR)) {
		if (accept_op(p, PY_OP_RPAR))
			return new_expr(p, PY_E_TUPLE, off);
		py_expr *first = star_pattern(p);
		if (!first)
			return NULL;
		if (accept_op(p, PY_OP_RPAR) && first->kind != PY_E_STARRED)
			return first;
		py_exprs elts = { 0 };
		VEC_PUSH(p->arena, elts, first);
		if (!accept_op(p, PY_OP_COMMA) && !expect_op(p, PY_OP_RPAR))
			return NULL;
		if (!pattern_list(p, &elts, PY_OP_RPAR))
			return NULL;
		py_expr *tup = new_expr(p, PY_E_TUPLE, off);
		tup->u.seq.elts = elts;
		return tup;
	}
	if (accept_op(p, PY_OP_LSQB)) {
		py_exprs elts = { 0 };
		if (!pattern_list(p, &elts, PY_OP_RSQB))
			return NULL;
		py_expr *l = new_expr(p, PY_E_LIST, off);
		l->u.seq.elts = elts;
		return l;
	}
	if (accept_op(p, PY_OP_LBRACE)) {
		/* mapping_pattern: '{' [items] ['**' NAME] '}' */
		py_exprs keys = { 0 }, values = { 0 };
		while (!is_op(peek(p), PY_OP_RBRACE)) {
			py_expr *k = NULL, *v;
			if (accept_op(p, PY_OP_DSTAR)) {
				if (peek(p)->kind != PY_TK_NAME)
					return expected(p, "a name after '**'");
				v = atom(p);
			} else {
				if (!(k = closed_pattern(p)) || !expect_op(p, PY_OP_COLON) ||
				    !(v = pattern(p)))
					return NULL;
			}
			VEC_PUSH(p->arena, keys, k);
			VEC_PUSH(p->arena, values, v);
			if (!accept_op(p, PY_OP_COMMA))
				break;
		}
		if (!expect_op(p, PY_OP_RBRACE))
			return NULL;
		py_expr *d = new_expr(p, PY_E_DICT, off);
		d->u.dict.keys = keys;
		d->u.dict.values = values;
		return d;
	}
	return expected(p, "a pattern");
}

/* pattern: or_pattern ['as' NAME];  or_pattern: '|'.closed_pattern+ */
static py_expr *pattern(struct parser *p)
{
	if (!enter(p))
		return NULL;
	uint32_t off = peek(p)->off;
	py_expr *e = closed_pattern(p);
	if (e && is_op(peek(p), PY_OP_VBAR)) {
		py_exprs alts = { 0 };
		VEC_PUSH(p->arena, alts, e);
		while (e && accept_op(p, PY_OP_VBAR)) {
			if ((e = closed_pattern(p)))
				VEC_PUSH(p->arena, alts, e);
		}
		if (e) {
			e = new_expr(p, PY_P_OR, off);
			e->u.seq.elts = alts;
		}
	}
	if (e && accept_kw(p, PY_KW_AS)) {
		if (peek(p)->kind != PY_TK_NAME)
			e = expected(p, "a name after 'as'");
		else {
			const char *name = tok_text(p, next(p));
			py_expr *as = new_expr(p, PY_P_AS, off);
			as->u.as.pattern = e;
			as->u.as.name = name;
			e = as;
		}
	}
	leave(p);
	return e;
}

/* patterns: open_sequence_pattern | pattern */
static py_expr *patterns(struct parser *p)
{
	uint32_t off = peek(p)->off;
	py_expr *first = star_pattern(p);
	if (!first || !is_op(peek(p), PY_OP_COMMA))
		return first;
	py_exprs elts = { 0 };
	VEC_PUSH(p->arena, elts, first);
	while (accept_op(p, PY_OP_COMMA) && !is_op(peek(p), PY_OP_COLON) &&
	       !is_kw(peek(p), PY_KW_IF)) {
		py_expr *e = star_pattern(p);
		if (!e)
			return NULL;
		VEC_PUSH(p->arena, elts, e);
	}
	py_expr *t = new_expr(p, PY_E_TUPLE, off);
	t->u.seq.elts = elts;
	return t;
}

/*
 * match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT
 * `match` is a soft keyword: the header is parsed tentatively and, when it
 * is not one, the statement is re-read as an expression or assignment.
 * Returns NULL without an error when it is not a match statement.
 */
static py_stmt *match_stmt(struct parser *p, bool *is_match)
{
	size_t save = p->pos;
	unsigned depth = p->depth;
	const py_token *t = next(p);
	py_expr *subject = NULL;
	*is_match = false;
	if (starts_expr(peek(p))) {
		/* subject_expr: star_named_expression ',' star_named_expressions? | named_expression */
		uint32_t off = peek(p)->off;
		subject = star_named_expression(p);
		if (subject && is_op(peek(p), PY_OP_COMMA)) {
			py_exprs elts = { 0 };
			VEC_PUSH(p->arena, elts, subject);
			while (subject && accept_op(p, PY_OP_COMMA) && !is_op(peek(p), PY_OP_COLON)) {
				if ((subject = star_named_expression(p)))
					VEC_PUSH(p->arena, elts, subject);
			}
			if (subject) {
				subject = new_expr(p, PY_E_TUPLE, off);
				subject->u.seq.elts = elts;
			}
		}
	}
	if (!subject || !is_op(peek(p), PY_OP_COLON) || peek_at(p, 1)->kind != PY_TK_NEWLINE ||
	    peek_at(p, 2)->kind != PY_TK_INDENT || !is_name(p, peek_at(p, 3), "case")) {
		if (p->failed) {
			rt_error_clear(p->err);
			p->failed = false;
			p->code = RT_OK;
		}
		p->pos = save;
		p->depth = depth;
		return NULL;
	}
	*is_match = true;
	py_stmt *s = new_stmt(p, PY_S_MATCH, t->off);
	s->u.match.subject = subject;
	next(p);
	next(p);
	if (!enter(p))
		return NULL;
	next(p);
	while (is_name(p, peek(p), "case")) {
		/* case_block: "case" patterns guard? ':' block */
		const py_token *ct = next(p);
		py_case *c = rt_alloc(p->arena, sizeof(*c));
		c->off = ct->off;
		if (!(c->pattern = patterns(p)))
			return NULL;
		if (accept_kw(p, PY_KW_IF) && !(c->guard = named_expression(p)))
			return NULL;
		if (!block(p, &c->body, ct))
			return NULL;
		c->len = prev_end(p) - ct->off;
		VEC_PUSH(p->arena, s->u.match.cases, c);
	}
	if (peek(p)->kind != PY_TK_DEDENT)
		return expected(p, "'case' block");
	next(p);
	leave(p);
	return s;
}

/* statement: compound_stmt | simple_stmts
 * compound_stmt: function_def | if_stmt | class_def | with_stmt | for_stmt
 *              | try_stmt | while_stmt | match_stmt */
static bool statement(struct parser *p, py_stmts *body)
{
	const py_token *t = peek(p);
	py_stmt *s = NULL;
	py_exprs none = { 0 };
	if (t->kind == PY_TK_INDENT) {
		expected(p, "a statement");
		return false;
	}
	if (is_op(t, PY_OP_AT)) {
		s = decorated(p);
	} else if (t->kind == PY_TK_KEYWORD) {
		switch (t->sub) {
		case PY_KW_IF: s = if_stmt(p); break;
		case PY_KW_WHILE: s = while_stmt(p); break;
		case PY_KW_FOR: s = for_stmt(p, false, t->off); break;
		case PY_KW_WITH: s = with_stmt(p, false, t->off); break;
		case PY_KW_TRY: s = try_stmt(p); break;
		case PY_KW_DEF: s = def_stmt(p, none, false, t->off); break;
		case PY_KW_CLASS: s = class_stmt(p, none, t->off); break;
		case PY_KW_ASYNC: {
			const py_token *k = peek_at(p, 1);
			next(p);
			if (is_kw(k, PY_KW_DEF))
				s = def_stmt(p, none, true, t->off);
			else if (is_kw(k, PY_KW_FOR))
				s = for_stmt(p, true, t->off);
			else if (is_kw(k, PY_KW_WITH))
				s = with_stmt(p, true, t->off);
			else
				expected(p, "'def', 'for' or 'with' after 'async'");
			break;
		}
		default:
			return simple_stmts(p, body);
		}
	} else if (is_name(p, t, "match")) {
		bool is_match;
		s = match_stmt(p, &is_match);
		if (!is_match)
			return simple_stmts(p, body);
	} else {
		return simple_stmts(p, body);
	}
	if (!s)
		return false;
	end_stmt(p, s);
	VEC_PUSH(p->arena, *body, s);
	return true;
}

int py_parse_module(struct py_module **out, rt_arena *arena, const rt_source *src,
                    unsigned flags, rt_error *err)
{
	*out = NULL;
	rt_error local = RT_ERROR_INIT, lex_err = RT_ERROR_INIT;
	if (!err)
		err = &local;
	py_tokens toks;
	int lex_rc = py_lex(&toks, arena, src, flags, err);
	if (lex_rc < 0) {
		/* Report errors in source order, as CPython's streaming tokenizer
		 * does: parse what was tokenized before the failure, and keep a
		 * syntax error found earlier than the lexical one. */
		rt_error_move(&lex_err, err);
		py_token eof = { .kind = PY_TK_EOF, .off = lex_err.loc.offset };
		if (toks.n == toks.cap)
			toks.v = rt_realloc_array(arena, toks.v, toks.n, toks.n + 1, sizeof(*toks.v));
		toks.v[toks.n++] = eof;
	}
	struct parser p = { .src = src, .arena = arena, .err = err, .t = toks.v, .n = toks.n };
	py_module *m = rt_alloc(arena, sizeof(*m));
	m->src = src;
	while (!p.failed && peek(&p)->kind != PY_TK_EOF)
		statement(&p, &m->body);
	int rc = RT_OK;
	if (lex_rc < 0 && (!p.failed || err->loc.offset >= lex_err.loc.offset)) {
		rt_error_move(err, &lex_err);
		rc = lex_rc;
	} else if (p.failed) {
		rc = p.code;
	}
	rt_error_clear(&lex_err);
	rt_error_clear(&local);
	if (rc < 0)
		return rc;
	if (m->body.n) {
		const py_stmt *s = m->body.v[0];
		if (s->kind == PY_S_EXPR && s->u.expr.value->kind == PY_E_STR &&
		    !s->u.expr.value->u.str.is_bytes)
			m->docstring = s->u.expr.value;
	}
	m->skipped = p.skipped;
	*out = m;
	return RT_OK;
}
