/*
 * Python 3.12 tokenizer (private to src/py). Turns a source, or a byte range
 * of it (an f-string replacement field), into an array of tokens that are
 * byte spans into the source. String literals are only delimited here; their
 * values are decoded by py_str_decode when the parser builds the AST.
 */
#ifndef RETORT_PY_PYLEX_H
#define RETORT_PY_PYLEX_H

#include "retort/arena.h"
#include "retort/buf.h"
#include "retort/error.h"
#include "retort/source.h"
#include "retort/stmt.h"

typedef enum py_tok_kind {
	PY_TK_EOF = 0,
	PY_TK_NEWLINE,
	PY_TK_INDENT,
	PY_TK_DEDENT,
	PY_TK_NAME,    /* identifiers, soft keywords (match, case, type, _) included */
	PY_TK_KEYWORD, /* sub = py_kw */
	PY_TK_NUMBER,
	PY_TK_STRING,  /* sub = PY_STR_* flags */
	PY_TK_OP,      /* sub = py_op */
	PY_TK_BODY,    /* a def/class block left unread (PY_LEX_SKIP_BODIES): its span runs
	                * from the block's first token to the end of its last one */
} py_tok_kind;

/* Hard keywords, in CPython's keyword.kwlist order. */
typedef enum py_kw {
	PY_KW_FALSE, PY_KW_NONE, PY_KW_TRUE, PY_KW_AND, PY_KW_AS, PY_KW_ASSERT, PY_KW_ASYNC,
	PY_KW_AWAIT, PY_KW_BREAK, PY_KW_CLASS, PY_KW_CONTINUE, PY_KW_DEF, PY_KW_DEL,
	PY_KW_ELIF, PY_KW_ELSE, PY_KW_EXCEPT, PY_KW_FINALLY, PY_KW_FOR, PY_KW_FROM,
	PY_KW_GLOBAL, PY_KW_IF, PY_KW_IMPORT, PY_KW_IN, PY_KW_IS, PY_KW_LAMBDA,
	PY_KW_NONLOCAL, PY_KW_NOT, PY_KW_OR, PY_KW_PASS, PY_KW_RAISE, PY_KW_RETURN,
	PY_KW_TRY, PY_KW_WHILE, PY_KW_WITH, PY_KW_YIELD,
	PY_KW_COUNT
} py_kw;

typedef enum py_op {
	PY_OP_LPAR, PY_OP_RPAR, PY_OP_LSQB, PY_OP_RSQB, PY_OP_LBRACE, PY_OP_RBRACE,
	PY_OP_COLON, PY_OP_COMMA, PY_OP_SEMI, PY_OP_DOT, PY_OP_ELLIPSIS, PY_OP_ARROW,
	PY_OP_EQUAL, PY_OP_WALRUS,
	/* binary and unary operators */
	PY_OP_PLUS, PY_OP_MINUS, PY_OP_STAR, PY_OP_SLASH, PY_OP_DSLASH, PY_OP_PERCENT,
	PY_OP_AT, PY_OP_DSTAR, PY_OP_LSHIFT, PY_OP_RSHIFT, PY_OP_AMP, PY_OP_VBAR,
	PY_OP_CARET, PY_OP_TILDE,
	/* comparisons */
	PY_OP_LT, PY_OP_GT, PY_OP_LE, PY_OP_GE, PY_OP_EQ, PY_OP_NE,
	/* augmented assignments, in the same order as the binary operators */
	PY_OP_PLUSEQ, PY_OP_MINUSEQ, PY_OP_STAREQ, PY_OP_SLASHEQ, PY_OP_DSLASHEQ,
	PY_OP_PERCENTEQ, PY_OP_ATEQ, PY_OP_DSTAREQ, PY_OP_LSHIFTEQ, PY_OP_RSHIFTEQ,
	PY_OP_AMPEQ, PY_OP_VBAREQ, PY_OP_CARETEQ,
	PY_OP_COUNT
} py_op;

/* String token flags (py_token.sub for PY_TK_STRING). */
enum {
	PY_STR_RAW = 1u << 0,
	PY_STR_BYTES = 1u << 1,
	PY_STR_F = 1u << 2,
	PY_STR_U = 1u << 3,
	PY_STR_TRIPLE = 1u << 4,
};

typedef struct py_token {
	uint8_t kind;  /* py_tok_kind */
	uint8_t sub;   /* py_kw, py_op or PY_STR_* flags */
	uint32_t off;  /* byte span in the source */
	uint32_t len;
} py_token;

typedef struct py_tokens {
	py_token *v;
	size_t n, cap;
} py_tokens;

/* Spelling of an operator, for messages ("**="). */
const char *py_op_text(py_op op);

/* py_lex flags. */
enum {
	/*
	 * The indented block of a `def` or `class` whose header ends its line
	 * becomes INDENT, one PY_TK_BODY token, DEDENT: the block is scanned
	 * at byte level (strings with every prefix and PEP 701 f-strings,
	 * comments, brackets, continuations) only to find where it ends, so
	 * errors inside it are not reported. A block the scanner is unsure of
	 * (tabs or form feeds in its indentation, an unterminated string or
	 * bracket, a stray backslash, a number run into a quote) is tokenized
	 * as usual. Tokens outside blocks, with their offsets, are unchanged.
	 */
	PY_LEX_SKIP_BODIES = 1u << 0,
};

/*
 * Tokenizes the whole of src: NEWLINE/INDENT/DEDENT as CPython emits them,
 * a final EOF token. Tokens are allocated in arena. Errors (bad character,
 * unterminated string or bracket, inconsistent indentation, invalid UTF-8,
 * NUL byte, nesting over RT_MAX_NESTING) set err with the location and return
 * RT_ESYNTAX (RT_ELIMIT for the nesting cap). flags: PY_LEX_* (0: all).
 */
int py_lex(py_tokens *out, rt_arena *arena, const rt_source *src, unsigned flags,
           rt_error *err);

/*
 * Tokenizes src->text[start, end) as the inside of brackets: newlines are
 * whitespace and no NEWLINE/INDENT/DEDENT is produced (f-string fields).
 * The source is assumed already checked by py_lex.
 */
int py_lex_fragment(py_tokens *out, rt_arena *arena, const rt_source *src, size_t start,
                    size_t end, rt_error *err);

/* Where a string token's parts are: prefix, quotes, body. */
typedef struct py_strtok {
	unsigned flags;     /* PY_STR_* */
	uint32_t body_off;  /* first byte after the opening quote(s) */
	uint32_t body_len;  /* bytes before the closing quote(s) */
	char quote;
} py_strtok;

void py_strtok_info(const rt_source *src, const py_token *tok, py_strtok *info);

/*
 * Decodes the body src->text[off, off+len) of a (non-f) string literal, or
 * one literal piece of an f-string (fpiece: `{{`/`}}` are single braces),
 * appending the value to out. The mapping from value bytes back to source
 * bytes is appended to segs as rt_offseg entries (out offsets relative to
 * the start of out): runs of plain text are linear, each escape maps to its
 * backslash, CRLF folds to LF as Python reads source. str values are UTF-8
 * (lone surrogates from \uD800 are encoded as three bytes, as WTF-8 does);
 * \N{...} is kept undecoded. Errors: truncated or out-of-range escapes,
 * non-ASCII bytes in a bytes literal (RT_ESYNTAX, located).
 */
typedef struct py_segs {
	rt_offseg *v;
	size_t n, cap;
} py_segs;

int py_str_decode(rt_arena *arena, const rt_source *src, size_t off, size_t len, unsigned flags,
                  bool fpiece, rt_buf *out, py_segs *segs, rt_error *err);

/*
 * The structure of an f-string body: literal pieces and replacement fields.
 * Built by py_fstring_split for the parser; the tokenizer runs the same
 * scanner without output to find where an f-string ends (PEP 701 rules:
 * fields may hold strings with the same quote, nested f-strings, brackets).
 */
typedef struct py_fpart py_fpart;
typedef struct py_fparts {
	py_fpart **v;
	size_t n, cap;
} py_fparts;

struct py_fpart {
	bool is_field;
	uint32_t off, len;     /* literal: raw source text; field: the expression text */
	uint32_t field_off;    /* field: the '{' */
	uint32_t field_len;    /* field: through the '}' */
	bool selfdoc;          /* f"{x=}" */
	uint32_t selfdoc_len;  /* bytes of "x=" text (with its spaces) shown verbatim */
	char conversion;       /* 's', 'r', 'a' or 0 */
	bool has_spec;
	py_fparts spec;        /* format spec pieces (literal and nested fields) */
};

int py_fstring_split(py_fparts *out, rt_arena *arena, const rt_source *src,
                     const py_token *tok, rt_error *err);

#endif
