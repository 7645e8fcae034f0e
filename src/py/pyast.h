/*
 * Syntax tree of a Python 3.12 module, as built by py_parse_module. The shape
 * follows CPython's `ast` module (same node names where possible) so the
 * op.* translator can be written against well-known semantics.
 *
 * Conventions:
 *  - every node has `off`/`len`: its byte span in the source; use py_loc()
 *    for file:line:col;
 *  - children are arrays { v, n, cap } (n elements in v[0..n-1]);
 *  - names (identifiers, attribute names, import paths) are NUL-terminated
 *    arena strings; optional children are NULL when absent;
 *  - everything lives in the arena passed to the parser.
 */
#ifndef RETORT_PY_PYAST_H
#define RETORT_PY_PYAST_H

#include "retort/arena.h"
#include "retort/error.h"
#include "retort/source.h"
#include "retort/stmt.h"
#include "pylex.h"

typedef struct py_expr py_expr;
typedef struct py_stmt py_stmt;

typedef struct py_exprs { py_expr **v; size_t n, cap; } py_exprs;
typedef struct py_stmts { py_stmt **v; size_t n, cap; } py_stmts;

/* ---- expressions ---- */

typedef enum py_expr_kind {
	PY_E_NAME,       /* name.id */
	PY_E_CONST,      /* constant.value: None, True, False, ... */
	PY_E_NUM,        /* num: the literal's text is the node's span */
	PY_E_STR,        /* str: one or more adjacent str/bytes literals, decoded */
	PY_E_FSTR,       /* fstr.values: PY_E_STR pieces and PY_E_FIELD fields */
	PY_E_FIELD,      /* field: {value!conversion:spec} inside an f-string */
	PY_E_ATTR,       /* attr: value.attr */
	PY_E_CALL,       /* call: func(args..., keywords...) */
	PY_E_SUBSCRIPT,  /* subscript: value[index] (index may be a PY_E_TUPLE / PY_E_SLICE) */
	PY_E_SLICE,      /* slice: lower:upper:step, each may be NULL */
	PY_E_TUPLE,      /* seq.elts */
	PY_E_LIST,       /* seq.elts */
	PY_E_SET,        /* seq.elts */
	PY_E_DICT,       /* dict: keys[i] NULL means `**values[i]` */
	PY_E_LISTCOMP,   /* comp: [elt for ...] */
	PY_E_SETCOMP,    /* comp: {elt for ...} */
	PY_E_DICTCOMP,   /* comp: {elt: value for ...} */
	PY_E_GENEXP,     /* comp: (elt for ...) */
	PY_E_UNARY,      /* unary: op is PY_OP_PLUS/MINUS/TILDE, or PY_UNARY_NOT */
	PY_E_BINARY,     /* binary: left op right, op is a py_op (PY_OP_PLUS...) */
	PY_E_BOOL,       /* boolop: values joined by `and` (op PY_BOOL_AND) or `or` */
	PY_E_COMPARE,    /* compare: left ops[0] comparators[0] ops[1] ... */
	PY_E_LAMBDA,     /* lambda: params, body */
	PY_E_IFEXP,      /* ifexp: body if test else orelse */
	PY_E_STARRED,    /* unary.operand after `*` (calls, displays, targets) */
	PY_E_NAMED,      /* named: target := value */
	PY_E_AWAIT,      /* unary.operand */
	PY_E_YIELD,      /* unary.operand, may be NULL */
	PY_E_YIELDFROM,  /* unary.operand */
	/* match-statement patterns; other patterns reuse expression kinds:
	 * literals (NUM, STR, CONST, UNARY minus, BINARY +/- for complex),
	 * captures and `_` (NAME), values (ATTR), sequences (TUPLE/LIST with
	 * STARRED), mappings (DICT, `**rest` as a NULL key), classes (CALL). */
	PY_P_AS,         /* as: pattern as name (pattern NULL for a bare capture) */
	PY_P_OR,         /* seq.elts: alternatives */
} py_expr_kind;

enum { PY_CONST_NONE, PY_CONST_TRUE, PY_CONST_FALSE, PY_CONST_ELLIPSIS };
enum { PY_UNARY_NOT = PY_OP_COUNT };
enum { PY_BOOL_AND, PY_BOOL_OR };
/* Comparison operators beyond py_op's LT..NE. */
enum { PY_CMP_IN = PY_OP_COUNT + 1, PY_CMP_NOT_IN, PY_CMP_IS, PY_CMP_IS_NOT };

/* One literal token of a (possibly concatenated) string. */
typedef struct py_strpart {
	uint32_t off, len;           /* the whole token, prefix and quotes included */
	uint32_t body_off, body_len; /* between the quotes */
	unsigned flags;              /* PY_STR_RAW, _BYTES, _U, _TRIPLE (pylex.h) */
	uint32_t value_off;          /* where its decoded bytes start in the value */
} py_strpart;

typedef struct py_str {
	const char *value;   /* decoded bytes, NUL-terminated, may contain NUL */
	size_t len;
	bool is_bytes;
	py_strpart *parts;   /* one per adjacent literal, in order */
	size_t nparts;
	/* value byte -> source byte map, same semantics as rt_stmt's segments:
	 * segment i covers value bytes [segs[i].out, segs[i+1].out) */
	rt_offseg *segs;
	size_t nsegs;
} py_str;

typedef struct py_keyword {
	const char *arg;     /* NULL for `**value` */
	py_expr *value;
	uint32_t off, len;
} py_keyword;
typedef struct py_keywords { py_keyword **v; size_t n, cap; } py_keywords;

typedef struct py_comprehension {
	py_expr *target, *iter;
	py_exprs ifs;
	bool is_async;
} py_comprehension;
typedef struct py_comps { py_comprehension **v; size_t n, cap; } py_comps;

typedef enum py_param_kind {
	PY_PARAM_POSONLY,   /* before `/` */
	PY_PARAM_NORMAL,
	PY_PARAM_VARARG,    /* *args */
	PY_PARAM_KWONLY,    /* after `*` or `*args` */
	PY_PARAM_KWARG,     /* **kwargs */
	/* PEP 695 type parameters (def f[T], class C[T], type X[T] = ...) */
	PY_PARAM_TYPEVAR, PY_PARAM_TYPEVARTUPLE, PY_PARAM_PARAMSPEC,
} py_param_kind;

typedef struct py_param {
	py_param_kind kind;
	const char *name;
	py_expr *annotation;  /* or a TypeVar's bound; NULL if none */
	py_expr *def;         /* default value; NULL if none */
	uint32_t off, len;
} py_param;
typedef struct py_params { py_param **v; size_t n, cap; } py_params;

struct py_expr {
	py_expr_kind kind;
	uint32_t off, len;
	union {
		struct { const char *id; } name;
		struct { int value; } constant;
		struct { bool is_float, is_imaginary; } num;
		py_str str;
		struct { py_exprs values; } fstr;
		struct {
			py_expr *value;
			char conversion;   /* 's', 'r', 'a' or 0 */
			py_expr *spec;     /* PY_E_FSTR, or NULL */
			bool selfdoc;      /* f"{x=}" */
		} field;
		struct { py_expr *value; const char *attr; } attr;
		struct { py_expr *func; py_exprs args; py_keywords keywords; } call;
		struct { py_expr *value, *index; } subscript;
		struct { py_expr *lower, *upper, *step; } slice;
		struct { py_exprs elts; } seq;
		struct { py_exprs keys, values; } dict;
		struct { py_expr *elt, *value; py_comps generators; } comp;
		struct { int op; py_expr *operand; } unary;
		struct { int op; py_expr *left, *right; } binary;
		struct { int op; py_exprs values; } boolop;
		struct { py_expr *left; int *ops; py_exprs comparators; } compare;
		struct { py_params params; py_expr *body; } lambda;
		struct { py_expr *test, *body, *orelse; } ifexp;
		struct { py_expr *target, *value; } named;
		struct { py_expr *pattern; const char *name; } as;
	} u;
};

/* ---- statements ---- */

typedef enum py_stmt_kind {
	PY_S_EXPR,        /* expr.value */
	PY_S_ASSIGN,      /* assign: targets[0] = targets[1] = ... = value */
	PY_S_AUGASSIGN,   /* augassign: target op= value (op is the binary py_op) */
	PY_S_ANNASSIGN,   /* annassign: target: annotation [= value] */
	PY_S_PASS, PY_S_BREAK, PY_S_CONTINUE,
	PY_S_RETURN,      /* expr.value, may be NULL */
	PY_S_RAISE,       /* raise: exc, cause (both may be NULL) */
	PY_S_ASSERT,      /* assert_: test, msg */
	PY_S_DEL,         /* targets.targets */
	PY_S_GLOBAL,      /* names */
	PY_S_NONLOCAL,    /* names */
	PY_S_IMPORT,      /* import_: names */
	PY_S_IMPORTFROM,  /* import_: module (NULL for `from . import`), level, names */
	PY_S_IF,          /* cond: test, body, orelse (an elif is a nested PY_S_IF) */
	PY_S_WHILE,       /* cond */
	PY_S_FOR,         /* for_: target, iter, body, orelse, is_async */
	PY_S_WITH,        /* with: items, body, is_async */
	PY_S_TRY,         /* try_: body, handlers, orelse, finalbody, star */
	PY_S_DEF,         /* def: see below */
	PY_S_CLASS,       /* class_ */
	PY_S_MATCH,       /* match: subject, cases */
	PY_S_TYPEALIAS,   /* typealias: name, type_params, value */
} py_stmt_kind;

typedef struct py_alias {
	const char *name;    /* dotted: "a.b.c", or "*" */
	const char *asname;  /* NULL if none */
	uint32_t off, len;
} py_alias;
typedef struct py_aliases { py_alias **v; size_t n, cap; } py_aliases;

typedef struct py_withitem { py_expr *context, *vars; } py_withitem;
typedef struct py_withitems { py_withitem **v; size_t n, cap; } py_withitems;

typedef struct py_handler {
	py_expr *type;        /* NULL for a bare `except:` */
	const char *name;     /* `as name`, or NULL */
	py_stmts body;
	uint32_t off, len;
} py_handler;
typedef struct py_handlers { py_handler **v; size_t n, cap; } py_handlers;

typedef struct py_case {
	py_expr *pattern, *guard;
	py_stmts body;
	uint32_t off, len;
} py_case;
typedef struct py_cases { py_case **v; size_t n, cap; } py_cases;

typedef struct py_names { const char **v; size_t n, cap; } py_names;

struct py_stmt {
	py_stmt_kind kind;
	uint32_t off, len;
	union {
		struct { py_expr *value; } expr;
		struct { py_exprs targets; py_expr *value; } assign;
		struct { py_expr *target; int op; py_expr *value; } augassign;
		struct { py_expr *target, *annotation, *value; } annassign;
		struct { py_expr *exc, *cause; } raise;
		struct { py_expr *test, *msg; } assert_;
		struct { py_exprs targets; } del;
		py_names names;
		struct { const char *module; unsigned level; py_aliases names; } import_;
		struct { py_expr *test; py_stmts body, orelse; } cond;
		struct { py_expr *target, *iter; py_stmts body, orelse; bool is_async; } for_;
		struct { py_withitems items; py_stmts body; bool is_async; } with;
		struct {
			py_stmts body;
			py_handlers handlers;
			py_stmts orelse, finalbody;
			bool star;   /* except* */
		} try_;
		struct {
			const char *name;
			uint32_t name_off;
			py_params type_params;
			py_params params;
			py_expr *returns;
			py_exprs decorators;
			py_stmts body;
			bool is_async;
		} def;
		struct {
			const char *name;
			uint32_t name_off;
			py_params type_params;
			py_exprs bases;
			py_keywords keywords;
			py_exprs decorators;
			py_stmts body;
		} class_;
		struct { py_expr *subject; py_cases cases; } match;
		struct { py_expr *name; py_params type_params; py_expr *value; } typealias;
	} u;
};

typedef struct py_module {
	const rt_source *src;
	py_stmts body;
	const py_expr *docstring;  /* PY_E_STR (not bytes) when the first statement is one */
	size_t skipped;            /* def/class bodies left unread (PY_LEX_SKIP_BODIES) */
} py_module;

/* Location of a node's span, for diagnostics. */
rt_loc py_loc(const rt_source *src, uint32_t off, uint32_t len);

/*
 * Source offset of byte `value_off` of a decoded string (an offset equal to
 * the length maps just after the last part's body). Always succeeds for a
 * string built by the parser.
 */
size_t py_str_src_offset(const py_str *s, size_t value_off);

/*
 * Appends to stmt the segments mapping statement bytes [0, len) to the
 * source, where statement byte k is byte `from + k` of the string's value
 * (stmt->sql is typically a trimmed copy of the value). Existing segments of
 * stmt must end before `out_base`: statement byte k is recorded at
 * `out_base + k`.
 */
void py_str_add_segs(rt_arena *arena, rt_stmt *stmt, const py_str *s, size_t from, size_t len,
                     uint32_t out_base);

/*
 * "op.execute", "sa.Column": the dotted name of a NAME/ATTR chain, or NULL
 * when the expression is something else.
 */
const char *py_dotted_name(rt_arena *arena, const py_expr *e);

/* A short description of an expression kind for messages ("a call"). */
const char *py_expr_describe(const py_expr *e);
/* The keyword or construct a statement starts with ("for", "assignment"). */
const char *py_stmt_describe(const py_stmt *s);

#endif
