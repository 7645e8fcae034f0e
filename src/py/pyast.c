/*
 * Helpers over the syntax tree: locations, the decoded-string offset map,
 * dotted names and short descriptions of nodes for messages.
 */
#include <string.h>

#include "pyast.h"

rt_loc py_loc(const rt_source *src, uint32_t off, uint32_t len)
{
	return rt_source_loc(src, off, len);
}

/* Index of the segment holding value byte `off` (segs[0].out is 0). */
static size_t seg_index(const py_str *s, size_t off)
{
	size_t lo = 0, hi = s->nsegs;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->segs[mid].out <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

size_t py_str_src_offset(const py_str *s, size_t value_off)
{
	if (s->nsegs == 0)
		return s->nparts ? s->parts[0].body_off : 0;
	const rt_offseg *seg = &s->segs[seg_index(s, value_off)];
	return seg->linear ? seg->src + (value_off - seg->out) : seg->src;
}

void py_str_add_segs(rt_arena *arena, rt_stmt *stmt, const py_str *s, size_t from, size_t len,
                     uint32_t out_base)
{
	if (s->nsegs == 0) {
		rt_stmt_add_seg(arena, stmt, out_base, (uint32_t)py_str_src_offset(s, from), false);
		return;
	}
	size_t i = seg_index(s, from);
	rt_stmt_add_seg(arena, stmt, out_base, (uint32_t)py_str_src_offset(s, from),
	                s->segs[i].linear);
	for (i++; i < s->nsegs && s->segs[i].out < from + len; i++)
		rt_stmt_add_seg(arena, stmt, out_base + (uint32_t)(s->segs[i].out - from),
		                s->segs[i].src, s->segs[i].linear);
}

const char *py_dotted_name(rt_arena *arena, const py_expr *e)
{
	if (e->kind == PY_E_NAME)
		return e->u.name.id;
	if (e->kind != PY_E_ATTR)
		return NULL;
	const char *base = py_dotted_name(arena, e->u.attr.value);
	return base ? rt_sprintf(arena, "%s.%s", base, e->u.attr.attr) : NULL;
}

const char *py_expr_describe(const py_expr *e)
{
	switch (e->kind) {
	case PY_E_NAME: return "a name";
	case PY_E_CONST:
		switch (e->u.constant.value) {
		case PY_CONST_NONE: return "None";
		case PY_CONST_TRUE: return "True";
		case PY_CONST_FALSE: return "False";
		default: return "Ellipsis";
		}
	case PY_E_NUM: return "a number";
	case PY_E_STR: return e->u.str.is_bytes ? "a bytes literal" : "a string literal";
	case PY_E_FSTR: return "an f-string";
	case PY_E_FIELD: return "an f-string field";
	case PY_E_ATTR: return "an attribute";
	case PY_E_CALL: return "a function call";
	case PY_E_SUBSCRIPT: return "a subscript";
	case PY_E_SLICE: return "a slice";
	case PY_E_TUPLE: return "a tuple";
	case PY_E_LIST: return "a list";
	case PY_E_SET: return "a set display";
	case PY_E_DICT: return "a dict literal";
	case PY_E_LISTCOMP: return "a list comprehension";
	case PY_E_SETCOMP: return "a set comprehension";
	case PY_E_DICTCOMP: return "a dict comprehension";
	case PY_E_GENEXP: return "a generator expression";
	case PY_E_UNARY: return "an expression";
	case PY_E_BINARY: return "an expression";
	case PY_E_BOOL: return "an expression";
	case PY_E_COMPARE: return "a comparison";
	case PY_E_LAMBDA: return "a lambda";
	case PY_E_IFEXP: return "a conditional expression";
	case PY_E_STARRED: return "a starred expression";
	case PY_E_NAMED: return "a named expression";
	case PY_E_AWAIT: return "an await expression";
	case PY_E_YIELD: case PY_E_YIELDFROM: return "a yield expression";
	case PY_P_AS: case PY_P_OR: return "a pattern";
	}
	return "an expression";
}

const char *py_stmt_describe(const py_stmt *s)
{
	switch (s->kind) {
	case PY_S_EXPR: return "expression statement";
	case PY_S_ASSIGN: return "assignment";
	case PY_S_AUGASSIGN: return "augmented assignment";
	case PY_S_ANNASSIGN: return "annotated assignment";
	case PY_S_PASS: return "pass";
	case PY_S_BREAK: return "break";
	case PY_S_CONTINUE: return "continue";
	case PY_S_RETURN: return "return";
	case PY_S_RAISE: return "raise";
	case PY_S_ASSERT: return "assert";
	case PY_S_DEL: return "del";
	case PY_S_GLOBAL: return "global";
	case PY_S_NONLOCAL: return "nonlocal";
	case PY_S_IMPORT: return "import";
	case PY_S_IMPORTFROM: return "from-import";
	case PY_S_IF: return "if";
	case PY_S_WHILE: return "while";
	case PY_S_FOR: return s->u.for_.is_async ? "async for" : "for";
	case PY_S_WITH: return s->u.with.is_async ? "async with" : "with";
	case PY_S_TRY: return "try";
	case PY_S_DEF: return s->u.def.is_async ? "async def" : "def";
	case PY_S_CLASS: return "class";
	case PY_S_MATCH: return "match";
	case PY_S_TYPEALIAS: return "type";
	}
	return "statement";
}
