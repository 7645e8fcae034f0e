/*
 * Python 3.12 tokenizer: CPython's tokenizer rules (indentation stack with
 * tab stops of 8 and the tab/space consistency check, implicit line joining,
 * PEP 701 f-strings, number syntax), producing byte-span tokens. It checks
 * lexical validity only; string values are decoded later (py_str_decode).
 * For header reads it can pass over def/class blocks (PY_LEX_SKIP_BODIES).
 */
#include <string.h>

#include "pylex.h"

static const char *const kw_text[PY_KW_COUNT] = {
	"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
	"continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
	"if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
	"return", "try", "while", "with", "yield",
};

/* Longest spellings first, so a greedy scan of this table is correct. */
static const struct {
	const char *text;
	py_op op;
} op_table[] = {
	{ "**=", PY_OP_DSTAREQ }, { "//=", PY_OP_DSLASHEQ }, { ">>=", PY_OP_RSHIFTEQ },
	{ "<<=", PY_OP_LSHIFTEQ }, { "...", PY_OP_ELLIPSIS }, { "!=", PY_OP_NE },
	{ "%=", PY_OP_PERCENTEQ }, { "&=", PY_OP_AMPEQ }, { "**", PY_OP_DSTAR },
	{ "*=", PY_OP_STAREQ }, { "+=", PY_OP_PLUSEQ }, { "-=", PY_OP_MINUSEQ },
	{ "->", PY_OP_ARROW }, { "//", PY_OP_DSLASH }, { "/=", PY_OP_SLASHEQ },
	{ ":=", PY_OP_WALRUS }, { "<<", PY_OP_LSHIFT }, { "<=", PY_OP_LE }, { "==", PY_OP_EQ },
	{ ">=", PY_OP_GE }, { ">>", PY_OP_RSHIFT }, { "@=", PY_OP_ATEQ }, { "^=", PY_OP_CARETEQ },
	{ "|=", PY_OP_VBAREQ }, { "(", PY_OP_LPAR }, { ")", PY_OP_RPAR }, { "[", PY_OP_LSQB },
	{ "]", PY_OP_RSQB }, { "{", PY_OP_LBRACE }, { "}", PY_OP_RBRACE }, { ":", PY_OP_COLON },
	{ ",", PY_OP_COMMA }, { ";", PY_OP_SEMI }, { ".", PY_OP_DOT },
	{ "=", PY_OP_EQUAL }, { "+", PY_OP_PLUS }, { "-", PY_OP_MINUS }, { "*", PY_OP_STAR },
	{ "/", PY_OP_SLASH }, { "%", PY_OP_PERCENT }, { "@", PY_OP_AT }, { "<", PY_OP_LT },
	{ ">", PY_OP_GT }, { "&", PY_OP_AMP }, { "|", PY_OP_VBAR }, { "^", PY_OP_CARET },
	{ "~", PY_OP_TILDE },
};

const char *py_op_text(py_op op)
{
	for (size_t i = 0; i < sizeof(op_table) / sizeof(op_table[0]); i++)
		if (op_table[i].op == op)
			return op_table[i].text;
	return "?";
}

/* Scanning state shared by the tokenizer and the f-string splitter. */
struct scan {
	const rt_source *src;
	const char *s;
	size_t end;       /* scanning limit (source end, or fragment end) */
	rt_arena *arena;
	rt_error *err;
	unsigned depth;   /* f-string field nesting */
};

static bool is_ident_start(unsigned char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26u || c == '_' || c >= 0x80;
}

static bool is_ident_char(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_val(char c)
{
	if (is_digit(c))
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

static char at(const struct scan *sc, size_t pos)
{
	return pos < sc->end ? sc->s[pos] : '\0';
}

static int fail(struct scan *sc, rt_code code, size_t off, size_t len, const char *fmt, ...)
	RT_PRINTF(5, 6);

static int fail(struct scan *sc, rt_code code, size_t off, size_t len, const char *fmt, ...)
{
	rt_loc loc = rt_source_loc(sc->src, off, len);
	va_list ap;
	va_start(ap, fmt);
	rt_error_vset(sc->err, code, &loc, fmt, ap);
	va_end(ap);
	return code;
}

/* "unterminated string starting at 12:5", located at the opening quote. */
static int unterminated(struct scan *sc, size_t open_off, unsigned flags)
{
	rt_loc start = rt_source_loc(sc->src, open_off, 1);
	const char *what = (flags & PY_STR_F) ? "f-string" : "string";
	return fail(sc, RT_ESYNTAX, open_off, 1, "unterminated %s%s starting at %u:%u",
	            (flags & PY_STR_TRIPLE) ? "triple-quoted " : "", what, start.line, start.col);
}

/* Flags of a string prefix (letters before a quote), or -1 when the letters
 * are not a valid prefix (then they are an identifier). */
static int prefix_flags(const char *p, size_t n)
{
	if (n > 2)
		return -1;
	unsigned flags = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned f;
		switch (p[i] | 0x20) {
		case 'r': f = PY_STR_RAW; break;
		case 'b': f = PY_STR_BYTES; break;
		case 'f': f = PY_STR_F; break;
		case 'u': f = PY_STR_U; break;
		default: return -1;
		}
		if (flags & f)
			return -1;
		flags |= f;
	}
	/* u combines with nothing; b and f exclude each other */
	if ((flags & PY_STR_U) && n > 1)
		return -1;
	if ((flags & PY_STR_BYTES) && (flags & PY_STR_F))
		return -1;
	return (int)flags;
}

struct fctx {
	size_t open_off;
	char quote;
	unsigned flags;
};

static int scan_string(struct scan *sc, size_t open_off, size_t quote_pos, unsigned flags,
                       size_t *endp);
/* What scan_fbody scans: an f-string's body, or a field's format spec. */
typedef enum fbody { FBODY_STRING, FBODY_SPEC } fbody;
static int scan_fbody(struct scan *sc, const struct fctx *f, size_t pos, fbody what,
                      py_fparts *out, size_t *endp);

static bool at_close(const struct scan *sc, const struct fctx *f, size_t pos)
{
	if (at(sc, pos) != f->quote)
		return false;
	return !(f->flags & PY_STR_TRIPLE) || (at(sc, pos + 1) == f->quote &&
	                                        at(sc, pos + 2) == f->quote);
}

typedef enum fpart_kind { FPART_LITERAL, FPART_FIELD } fpart_kind;

static py_fpart *new_part(struct scan *sc, py_fparts *out, fpart_kind kind, size_t off,
                          size_t len)
{
	if (!out)
		return NULL;
	py_fpart *part = rt_alloc(sc->arena, sizeof(*part));
	part->is_field = kind == FPART_FIELD;
	part->off = (uint32_t)off;
	part->len = (uint32_t)len;
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 4;
		out->v = rt_realloc_array(sc->arena, out->v, out->n, cap, sizeof(*out->v));
		out->cap = cap;
	}
	out->v[out->n++] = part;
	return part;
}

/* After a field's expression: [=] [!conv] [:spec] '}'. pos is at the first
 * byte after the expression; returns the position after the '}'. */
static int scan_field_tail(struct scan *sc, const struct fctx *f, py_fpart *part, size_t pos,
                           size_t *endp)
{
	if (at(sc, pos) == '=') {
		pos++;
		for (char c = at(sc, pos); strchr(" \t\n\r\f#", c) && c; c = at(sc, ++pos))
			if (c == '#') /* a comment may follow the '=' too */
				while (pos + 1 < sc->end && sc->s[pos + 1] != '\n' && sc->s[pos + 1] != '\r')
					pos++;
		if (part) {
			part->selfdoc = true;
			part->selfdoc_len = (uint32_t)(pos - part->off);
		}
	}
	if (at(sc, pos) == '!') {
		char c = at(sc, pos + 1);
		if (c != 's' && c != 'r' && c != 'a')
			return fail(sc, RT_ESYNTAX, pos, 1,
			            "f-string: invalid conversion character (expected 's', 'r' or 'a')");
		if (part)
			part->conversion = c;
		pos += 2;
		while (at(sc, pos) == ' ' || at(sc, pos) == '\t')
			pos++; /* 3.12 allows blanks after a conversion */
	}
	if (at(sc, pos) == ':') {
		py_fparts *spec = part ? &part->spec : NULL;
		if (part)
			part->has_spec = true;
		int rc = scan_fbody(sc, f, pos + 1, FBODY_SPEC, spec, &pos);
		if (rc < 0)
			return rc;
	}
	if (at(sc, pos) != '}') {
		if (pos >= sc->end || at_close(sc, f, pos))
			return unterminated(sc, f->open_off, f->flags);
		return fail(sc, RT_ESYNTAX, pos, 1, "f-string: expecting '}'");
	}
	*endp = pos + 1;
	return RT_OK;
}

/* A replacement field starting at the '{' at brace. */
static int scan_field(struct scan *sc, const struct fctx *f, size_t brace, py_fparts *out,
                      size_t *endp)
{
	if (++sc->depth > RT_MAX_NESTING)
		return fail(sc, RT_ELIMIT, brace, 1, "f-string nesting is deeper than %u levels",
		            RT_MAX_NESTING);
	size_t pos = brace + 1, expr_end = 0;
	int nest = 0;
	bool blank = true;
	while (!expr_end) {
		if (pos >= sc->end)
			return unterminated(sc, f->open_off, f->flags);
		unsigned char c = (unsigned char)sc->s[pos];
		if (c == '\'' || c == '"') {
			size_t end = 0;
			int rc = scan_string(sc, pos, pos, 0, &end);
			if (rc < 0)
				return rc;
			pos = end;
			blank = false;
			continue;
		}
		if (is_ident_start(c)) {
			size_t start = pos;
			while (pos < sc->end && is_ident_char((unsigned char)sc->s[pos]))
				pos++;
			int pf = prefix_flags(sc->s + start, pos - start);
			if (pf >= 0 && (at(sc, pos) == '\'' || at(sc, pos) == '"')) {
				size_t end = 0;
				int rc = scan_string(sc, start, pos, (unsigned)pf, &end);
				if (rc < 0)
					return rc;
				pos = end;
			}
			blank = false;
			continue;
		}
		char next = at(sc, pos + 1);
		switch (c) {
		case '#':
			/* PEP 701: a comment runs to the end of the line, even in a
			 * single-quoted f-string (the field then spans lines) */
			while (pos + 1 < sc->end && sc->s[pos + 1] != '\n' && sc->s[pos + 1] != '\r')
				pos++;
			break;
		case '(': case '[': case '{':
			nest++;
			break;
		case ')': case ']':
			if (--nest < 0)
				return fail(sc, RT_ESYNTAX, pos, 1, "f-string: unmatched '%c'", c);
			break;
		case '}':
			if (nest == 0)
				expr_end = pos;
			else
				nest--;
			break;
		case '!':
			if (nest == 0 && next != '=')
				expr_end = pos;
			break;
		case ':':
			if (nest == 0)
				expr_end = pos;
			break;
		case '=':
			if (nest == 0 && next != '=' && pos > brace + 1 &&
			    !strchr("=!<>", sc->s[pos - 1]))
				expr_end = pos;
			break;
		default:
			break;
		}
		if (expr_end)
			break;
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f')
			blank = false;
		pos++;
	}
	if (blank)
		return fail(sc, RT_ESYNTAX, brace, expr_end - brace + 1,
		            "f-string: valid expression required before '%c'", sc->s[expr_end]);
	py_fpart *part = new_part(sc, out, FPART_FIELD, brace + 1, expr_end - brace - 1);
	if (part)
		part->field_off = (uint32_t)brace;
	int rc = scan_field_tail(sc, f, part, expr_end, endp);
	if (rc == RT_OK && part)
		part->field_len = (uint32_t)(*endp - brace);
	sc->depth--;
	return rc;
}

static void flush_literal(struct scan *sc, py_fparts *out, size_t start, size_t pos)
{
	if (pos > start)
		new_part(sc, out, FPART_LITERAL, start, pos - start);
}

/*
 * The literal text of an f-string (or of a format spec, FBODY_SPEC) from pos:
 * stops after the closing quote(s), or in a spec at the '}' that ends the
 * field (*endp is then that '}').
 */
static int scan_fbody(struct scan *sc, const struct fctx *f, size_t pos, fbody what,
                      py_fparts *out, size_t *endp)
{
	bool in_spec = what == FBODY_SPEC;
	bool raw = f->flags & PY_STR_RAW, triple = f->flags & PY_STR_TRIPLE;
	size_t lit = pos;
	for (;;) {
		if (pos >= sc->end)
			return unterminated(sc, f->open_off, f->flags);
		char c = sc->s[pos], next = at(sc, pos + 1);
		if (c == '\\') {
			if (!raw && next == 'N' && at(sc, pos + 2) == '{') {
				/* \N{NAME}: its braces are not a field */
				size_t q = pos + 3;
				while (q < sc->end && sc->s[q] != '}' && sc->s[q] != f->quote &&
				       sc->s[q] != '\n')
					q++;
				if (at(sc, q) != '}')
					return fail(sc, RT_ESYNTAX, pos, 2, "malformed \\N character escape");
				pos = q + 1;
			} else if (next == '{' || next == '}') {
				pos++;
			} else if (next == '\r' && at(sc, pos + 2) == '\n') {
				pos += 3;
			} else {
				pos += (pos + 1 < sc->end) ? 2 : 1;
			}
			continue;
		}
		if (at_close(sc, f, pos)) {
			if (in_spec)
				return fail(sc, RT_ESYNTAX, pos, 1, "f-string: expecting '}'");
			flush_literal(sc, out, lit, pos);
			*endp = pos + (triple ? 3 : 1);
			return RT_OK;
		}
		if ((c == '\n' || c == '\r') && !triple)
			return unterminated(sc, f->open_off, f->flags);
		if (c == '{') {
			if (next == '{' && !in_spec) {
				pos += 2;
				continue;
			}
			flush_literal(sc, out, lit, pos);
			int rc = scan_field(sc, f, pos, out, &pos);
			if (rc < 0)
				return rc;
			lit = pos;
			continue;
		}
		if (c == '}') {
			if (in_spec) {
				flush_literal(sc, out, lit, pos);
				*endp = pos;
				return RT_OK;
			}
			if (next != '}')
				return fail(sc, RT_ESYNTAX, pos, 1, "f-string: single '}' is not allowed");
			pos += 2;
			continue;
		}
		pos++;
	}
}

/* A string literal whose prefix starts at open_off and quote is at
 * quote_pos; *endp is set after the closing quote(s). */
static int scan_string(struct scan *sc, size_t open_off, size_t quote_pos, unsigned flags,
                       size_t *endp)
{
	char q = sc->s[quote_pos];
	size_t pos = quote_pos + 1;
	if (at(sc, pos) == q && at(sc, pos + 1) == q) {
		flags |= PY_STR_TRIPLE;
		pos += 2;
	}
	if (flags & PY_STR_F) {
		struct fctx f = { .open_off = open_off, .quote = q, .flags = flags };
		return scan_fbody(sc, &f, pos, FBODY_STRING, NULL, endp);
	}
	bool triple = flags & PY_STR_TRIPLE;
	const char *s = sc->s;
	for (;;) {
		/* run over the bytes that cannot end or escape anything (most of a
		 * docstring or an SQL string) */
		if (triple)
			while (pos < sc->end && s[pos] != q && s[pos] != '\\')
				pos++;
		else
			while (pos < sc->end && s[pos] != q && s[pos] != '\\' && s[pos] != '\n' &&
			       s[pos] != '\r')
				pos++;
		if (pos >= sc->end)
			return unterminated(sc, open_off, flags);
		char c = s[pos];
		if (c == '\\') {
			/* even in raw strings a backslash keeps the next quote in */
			pos += (at(sc, pos + 1) == '\r' && at(sc, pos + 2) == '\n') ? 3 : 2;
			continue;
		}
		if (c == q) {
			if (!triple) {
				*endp = pos + 1;
				return RT_OK;
			}
			if (at(sc, pos + 1) == q && at(sc, pos + 2) == q) {
				*endp = pos + 3;
				return RT_OK;
			}
		} else if ((c == '\n' || c == '\r') && !triple) {
			return unterminated(sc, open_off, flags);
		}
		pos++;
	}
}

void py_strtok_info(const rt_source *src, const py_token *tok, py_strtok *info)
{
	const char *s = src->text + tok->off;
	size_t p = 0;
	while (s[p] != '\'' && s[p] != '"')
		p++;
	info->flags = (unsigned)prefix_flags(s, p);
	info->quote = s[p];
	size_t qlen = 1;
	if (tok->len >= p + 6 && s[p + 1] == s[p] && s[p + 2] == s[p]) {
		qlen = 3;
		info->flags |= PY_STR_TRIPLE;
	}
	info->body_off = (uint32_t)(tok->off + p + qlen);
	info->body_len = (uint32_t)(tok->len - p - 2 * qlen);
}

int py_fstring_split(py_fparts *out, rt_arena *arena, const rt_source *src,
                     const py_token *tok, rt_error *err)
{
	py_strtok info;
	py_strtok_info(src, tok, &info);
	struct scan sc = { .src = src, .s = src->text, .end = tok->off + tok->len,
	                   .arena = arena, .err = err };
	struct fctx f = { .open_off = tok->off, .quote = info.quote, .flags = info.flags };
	memset(out, 0, sizeof(*out));
	size_t end = 0;
	return scan_fbody(&sc, &f, info.body_off, FBODY_STRING, out, &end);
}

/* ---- string decoding ---- */

/* How value bytes map back to the source from a mark on (rt_offseg.linear). */
typedef enum seg_kind {
	SEG_POINT,  /* every byte up to the next mark maps to srcpos (an escape) */
	SEG_LINEAR, /* byte for byte (plain text) */
} seg_kind;

/* Records that value byte `outpos` comes from source byte `srcpos`,
 * extending the current linear segment when the two stay in step. */
static void mark(rt_arena *arena, py_segs *segs, size_t outpos, size_t srcpos, seg_kind kind)
{
	bool linear = kind == SEG_LINEAR;
	if (segs->n) {
		rt_offseg *last = &segs->v[segs->n - 1];
		if (last->linear && linear && last->src + (outpos - last->out) == srcpos)
			return;
		if (last->out == outpos) {
			last->src = (uint32_t)srcpos;
			last->linear = linear;
			return;
		}
	}
	if (segs->n == segs->cap) {
		size_t cap = segs->cap ? segs->cap * 2 : 4;
		segs->v = rt_realloc_array(arena, segs->v, segs->n, cap, sizeof(*segs->v));
		segs->cap = cap;
	}
	segs->v[segs->n++] = (rt_offseg){ .out = (uint32_t)outpos, .src = (uint32_t)srcpos,
	                                  .linear = linear };
}

static void put_utf8(rt_buf *out, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	rt_buf_add(out, b, n);
}

/* Reads exactly n hex digits at s[pos]; false when fewer are there. */
static bool read_hex(const char *s, size_t pos, size_t end, size_t n, uint32_t *val)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (pos + i >= end || !is_hex(s[pos + i]))
			return false;
		v = v * 16 + (uint32_t)hex_val(s[pos + i]);
	}
	*val = v;
	return true;
}

/* One escape sequence at s[pos] == '\\' in a non-raw literal; *pos advances. */
static int decode_escape(struct scan *sc, size_t *posp, size_t end, unsigned flags,
                         rt_buf *out, py_segs *segs)
{
	const char *s = sc->s;
	size_t pos = *posp, outpos = out->len;
	bool bytes = flags & PY_STR_BYTES;
	char c = pos + 1 < end ? s[pos + 1] : '\0';
	uint32_t v;
	static const char simple_in[] = "\\'\"abfnrtv";
	static const char simple_out[] = "\\'\"\a\b\f\n\r\t\v";
	const char *hit = c ? strchr(simple_in, c) : NULL;
	if (hit) {
		rt_buf_putc(out, simple_out[hit - simple_in]);
		*posp = pos + 2;
	} else if (c == '\n') {
		*posp = pos + 2; /* line continuation inside the literal */
		return RT_OK;
	} else if (c == '\r') {
		*posp = pos + ((pos + 2 < end && s[pos + 2] == '\n') ? 3 : 2);
		return RT_OK;
	} else if (c >= '0' && c <= '7') {
		size_t q = pos + 1;
		v = 0;
		while (q < end && q < pos + 4 && s[q] >= '0' && s[q] <= '7')
			v = v * 8 + (uint32_t)(s[q++] - '0');
		if (bytes)
			rt_buf_putc(out, (char)(v & 0xFF));
		else
			put_utf8(out, v);
		*posp = q;
	} else if (c == 'x') {
		if (!read_hex(s, pos + 2, end, 2, &v))
			return fail(sc, RT_ESYNTAX, pos, 2, "truncated \\xXX escape");
		if (bytes)
			rt_buf_putc(out, (char)v);
		else
			put_utf8(out, v);
		*posp = pos + 4;
	} else if ((c == 'u' || c == 'U') && !bytes) {
		size_t n = c == 'u' ? 4 : 8;
		if (!read_hex(s, pos + 2, end, n, &v))
			return fail(sc, RT_ESYNTAX, pos, 2, "truncated \\%cXXXX%s escape", c,
			            n == 8 ? "XXXX" : "");
		if (v > 0x10FFFF)
			return fail(sc, RT_ESYNTAX, pos, n + 2, "illegal Unicode character in \\U escape");
		put_utf8(out, v);
		*posp = pos + 2 + n;
	} else if (c == 'N' && !bytes) {
		/* kept undecoded: the Unicode name table is not worth carrying */
		size_t q = pos + 2;
		if (q >= end || s[q] != '{')
			return fail(sc, RT_ESYNTAX, pos, 2, "malformed \\N character escape");
		while (q < end && s[q] != '}')
			q++;
		if (q >= end || q == pos + 3)
			return fail(sc, RT_ESYNTAX, pos, 2, "malformed \\N character escape");
		for (size_t i = pos; i <= q; i++) {
			mark(sc->arena, segs, out->len, i, SEG_LINEAR);
			rt_buf_putc(out, s[i]);
		}
		*posp = q + 1;
		return RT_OK;
	} else {
		/* not an escape: the backslash stays (Python warns, keeps it) */
		mark(sc->arena, segs, outpos, pos, SEG_LINEAR);
		rt_buf_putc(out, '\\');
		*posp = pos + 1;
		return RT_OK;
	}
	mark(sc->arena, segs, outpos, pos, SEG_POINT);
	return RT_OK;
}

/* A byte py_str_decode copies as it is (the cases of its last branch). */
static bool plain_byte(char c, bool raw, bool bytes, bool fpiece)
{
	return c != '\r' && !(c == '\\' && !raw) && !(fpiece && (c == '{' || c == '}')) &&
	       !(bytes && (unsigned char)c >= 0x80);
}

int py_str_decode(rt_arena *arena, const rt_source *src, size_t off, size_t len, unsigned flags,
                  bool fpiece, rt_buf *out, py_segs *segs, rt_error *err)
{
	struct scan sc = { .src = src, .s = src->text, .end = off + len, .arena = arena,
	                   .err = err };
	const char *s = src->text;
	size_t pos = off, end = off + len;
	bool raw = flags & PY_STR_RAW, bytes = flags & PY_STR_BYTES;
	while (pos < end) {
		char c = s[pos];
		if (c == '\r') {
			/* source newlines read as '\n' whatever the file uses */
			bool crlf = pos + 1 < end && s[pos + 1] == '\n';
			mark(arena, segs, out->len, pos + crlf, crlf ? SEG_POINT : SEG_LINEAR);
			rt_buf_putc(out, '\n');
			pos += 1 + crlf;
		} else if (fpiece && (c == '{' || c == '}') && pos + 1 < end && s[pos + 1] == c) {
			mark(arena, segs, out->len, pos, SEG_LINEAR);
			rt_buf_putc(out, c);
			pos += 2;
		} else if (c == '\\' && !raw && pos + 1 < end) {
			int rc = decode_escape(&sc, &pos, end, flags, out, segs);
			if (rc < 0)
				return rc;
		} else if (bytes && (unsigned char)c >= 0x80) {
			return fail(&sc, RT_ESYNTAX, pos, 1,
			            "bytes can only contain ASCII literal characters");
		} else {
			/* a run of plain bytes is one linear segment, copied at once */
			size_t run = pos + 1;
			while (run < end && plain_byte(s[run], raw, bytes, fpiece))
				run++;
			mark(arena, segs, out->len, pos, SEG_LINEAR);
			rt_buf_add(out, s + pos, run - pos);
			pos = run;
		}
	}
	return RT_OK;
}

/* ---- the tokenizer ---- */

struct lexer {
	struct scan sc;
	py_tokens *toks;
	bool fragment;
	bool line_has_tokens;
	/* indentation stack: columns with tab stops of 8, and of 1 (CPython's
	 * "altcol"), to detect inconsistent use of tabs and spaces */
	unsigned indent[RT_MAX_NESTING + 1], altindent[RT_MAX_NESTING + 1];
	unsigned nindent;
	struct {
		char ch;
		size_t off;
	} br[RT_MAX_NESTING];
	unsigned nbr;
	bool skip_bodies;  /* PY_LEX_SKIP_BODIES */
	bool body_next;    /* the logical line just ended was a def/class header */
	size_t line_first; /* index of the current logical line's first token */
};

static void emit(struct lexer *lx, py_tok_kind kind, unsigned sub, size_t off, size_t len)
{
	py_tokens *t = lx->toks;
	if (t->n == t->cap) {
		/* rare: the first array is sized from the text (lexer_init) */
		size_t cap = t->cap ? t->cap * 2 : 64;
		t->v = rt_realloc_array(lx->sc.arena, t->v, t->n, cap, sizeof(*t->v));
		t->cap = cap;
	}
	t->v[t->n++] = (py_token){ .kind = (uint8_t)kind, .sub = (uint8_t)sub,
	                           .off = (uint32_t)off, .len = (uint32_t)len };
	if (kind != PY_TK_NEWLINE)
		lx->line_has_tokens = true;
}

/* Eight bytes, none of them NUL or above 0x7f (the common case, checked a
 * word at a time). */
static bool plain_ascii8(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	const uint64_t high = 0x8080808080808080u, ones = 0x0101010101010101u;
	return !(w & high) && !((w - ones) & ~w & high);
}

/* Source must be UTF-8 (PEP 3120) without NUL bytes, as CPython requires. */
static int check_encoding(struct scan *sc)
{
	const unsigned char *s = (const unsigned char *)sc->s;
	size_t n = sc->end;
	for (size_t i = 0; i < n;) {
		if (i + 8 <= n && plain_ascii8(s + i)) {
			i += 8;
			continue;
		}
		unsigned char c = s[i];
		if (c == 0)
			return fail(sc, RT_ESYNTAX, i, 1, "source code cannot contain null bytes");
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		uint32_t min;
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			min = 0x10000;
		} else {
			return fail(sc, RT_ESYNTAX, i, 1, "invalid UTF-8 byte 0x%02x", c);
		}
		uint32_t cp = c & (0x7F >> len);
		for (size_t k = 1; k < len; k++) {
			if (i + k >= n || (s[i + k] & 0xC0) != 0x80)
				return fail(sc, RT_ESYNTAX, i, 1, "invalid UTF-8 sequence starting with 0x%02x",
				            c);
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return fail(sc, RT_ESYNTAX, i, len, "invalid UTF-8 sequence starting with 0x%02x", c);
		i += len;
	}
	return RT_OK;
}

/* Digits of one base with single underscores between them. Returns the end,
 * or 0 after setting an error. */
static size_t scan_digits(struct lexer *lx, size_t pos, bool (*ok)(char), const char *what)
{
	struct scan *sc = &lx->sc;
	for (;;) {
		while (ok(at(sc, pos)))
			pos++;
		if (at(sc, pos) != '_')
			return pos;
		if (!ok(at(sc, pos + 1))) {
			fail(sc, RT_ESYNTAX, pos, 1, "invalid %s literal", what);
			return 0;
		}
		pos++;
	}
}

static bool dec_ok(char c) { return is_digit(c); }
static bool hex_ok(char c) { return is_hex(c); }
static bool oct_ok(char c) { return c >= '0' && c <= '7'; }
static bool bin_ok(char c) { return c == '0' || c == '1'; }

/* A number may be followed directly by some keywords (`1if x else 2`, as
 * CPython still accepts), not by other identifier characters. */
static int number_end(struct lexer *lx, size_t start, size_t pos, const char *what)
{
	struct scan *sc = &lx->sc;
	if (!is_ident_start((unsigned char)at(sc, pos)))
		return RT_OK;
	static const char *const after[] = { "and", "else", "for", "if", "in", "is", "not", "or" };
	for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
		size_t n = strlen(after[i]);
		if (pos + n <= sc->end && memcmp(sc->s + pos, after[i], n) == 0)
			return RT_OK;
	}
	return fail(sc, RT_ESYNTAX, start, pos - start + 1, "invalid %s literal", what);
}

static int scan_number(struct lexer *lx, size_t start, size_t *endp)
{
	struct scan *sc = &lx->sc;
	size_t pos = start;
	char c = at(sc, pos), x = (char)(at(sc, pos + 1) | 0x20);
	if (c == '0' && (x == 'x' || x == 'o' || x == 'b')) {
		bool (*ok)(char) = x == 'x' ? hex_ok : x == 'o' ? oct_ok : bin_ok;
		const char *what = x == 'x' ? "hexadecimal" : x == 'o' ? "octal" : "binary";
		pos += 2;
		if (at(sc, pos) == '_')
			pos++;
		if (!ok(at(sc, pos)))
			return fail(sc, RT_ESYNTAX, start, pos - start + 1, "invalid %s literal", what);
		pos = scan_digits(lx, pos, ok, what);
		if (!pos)
			return RT_ESYNTAX;
		if (is_digit(at(sc, pos)))
			return fail(sc, RT_ESYNTAX, pos, 1, "invalid digit '%c' in %s literal",
			            at(sc, pos), what);
		*endp = pos;
		return number_end(lx, start, pos, what);
	}
	bool is_float = false, leading_zero = false, nonzero = false;
	if (c != '.') {
		leading_zero = c == '0';
		size_t digits = pos;
		pos = scan_digits(lx, pos, dec_ok, "decimal");
		if (!pos)
			return RT_ESYNTAX;
		for (size_t i = digits; i < pos; i++)
			if (sc->s[i] != '0' && sc->s[i] != '_')
				nonzero = true;
	}
	if (at(sc, pos) == '.') {
		is_float = true;
		pos++;
		if (is_digit(at(sc, pos))) {
			pos = scan_digits(lx, pos, dec_ok, "decimal");
			if (!pos)
				return RT_ESYNTAX;
		}
	}
	if ((at(sc, pos) | 0x20) == 'e') {
		size_t e = pos + 1;
		if (at(sc, e) == '+' || at(sc, e) == '-')
			e++;
		if (is_digit(at(sc, e))) {
			pos = scan_digits(lx, e, dec_ok, "decimal");
			if (!pos)
				return RT_ESYNTAX;
			is_float = true;
		} else if (e > pos + 1) {
			return fail(sc, RT_ESYNTAX, start, e - start, "invalid decimal literal");
		}
	}
	if ((at(sc, pos) | 0x20) == 'j') {
		pos++;
		*endp = pos;
		return number_end(lx, start, pos, "imaginary");
	}
	if (!is_float && leading_zero && nonzero)
		return fail(sc, RT_ESYNTAX, start, pos - start,
		            "leading zeros in decimal integer literals are not permitted; "
		            "use an 0o prefix for octal integers");
	*endp = pos;
	return number_end(lx, start, pos, "decimal");
}

static int open_bracket(struct lexer *lx, char ch, size_t off)
{
	if (lx->nbr >= RT_MAX_NESTING)
		return fail(&lx->sc, RT_ELIMIT, off, 1, "too many nested brackets (more than %u)",
		            RT_MAX_NESTING);
	lx->br[lx->nbr].ch = ch;
	lx->br[lx->nbr].off = off;
	lx->nbr++;
	return RT_OK;
}

static int close_bracket(struct lexer *lx, char ch, size_t off)
{
	struct scan *sc = &lx->sc;
	if (lx->nbr == 0)
		return fail(sc, RT_ESYNTAX, off, 1, "unmatched '%c'", ch);
	char open = lx->br[lx->nbr - 1].ch;
	char want = open == '(' ? ')' : open == '[' ? ']' : '}';
	if (ch != want) {
		rt_loc o = rt_source_loc(sc->src, lx->br[lx->nbr - 1].off, 1);
		return fail(sc, RT_ESYNTAX, off, 1,
		            "closing '%c' does not match opening '%c' at %u:%u", ch, open, o.line,
		            o.col);
	}
	lx->nbr--;
	return RT_OK;
}

/* Start of a logical line: measure the indentation, emit INDENT/DEDENT.
 * Returns 1 when the line is blank (or only a comment) and was skipped. */
static int indentation(struct lexer *lx, size_t *posp)
{
	struct scan *sc = &lx->sc;
	size_t pos = *posp;
	unsigned col = 0, alt = 0;
	for (;; pos++) {
		char c = at(sc, pos);
		if (c == ' ') {
			col++;
			alt++;
		} else if (c == '\t') {
			col = (col / 8 + 1) * 8;
			alt++;
		} else if (c == '\f') {
			col = alt = 0;
		} else {
			break;
		}
		if (col > 100000)
			col = alt = 100000; /* keep arithmetic bounded on absurd lines */
	}
	*posp = pos;
	char c = at(sc, pos);
	if (c == '#' || c == '\n' || c == '\r' || pos >= sc->end)
		return 1;
	if (c == '\\' && (at(sc, pos + 1) == '\n' || at(sc, pos + 1) == '\r'))
		return 1; /* CPython treats a lone continuation line as blank */
	unsigned top = lx->indent[lx->nindent], alttop = lx->altindent[lx->nindent];
	if (col == top) {
		if (alt != alttop)
			goto tab_error;
	} else if (col > top) {
		if (lx->nindent >= RT_MAX_NESTING)
			return fail(sc, RT_ELIMIT, pos, 1, "too many levels of indentation (more than %u)",
			            RT_MAX_NESTING);
		if (alt <= alttop)
			goto tab_error;
		lx->nindent++;
		lx->indent[lx->nindent] = col;
		lx->altindent[lx->nindent] = alt;
		emit(lx, PY_TK_INDENT, 0, pos, 0);
	} else {
		while (lx->nindent > 0 && col < lx->indent[lx->nindent]) {
			lx->nindent--;
			emit(lx, PY_TK_DEDENT, 0, pos, 0);
		}
		if (col != lx->indent[lx->nindent])
			return fail(sc, RT_ESYNTAX, pos, 1,
			            "unindent does not match any outer indentation level");
		if (alt != lx->altindent[lx->nindent])
			goto tab_error;
	}
	return 0;
tab_error:
	return fail(sc, RT_ESYNTAX, pos, 1, "inconsistent use of tabs and spaces in indentation");
}

/* The hard keyword spelled s[0, n), or -1. kw_text is sorted, so the
 * keywords sharing a first letter are one run of it. */
static int keyword(const char *s, size_t n)
{
	if (n < 2 || n > 8)
		return -1;
	unsigned lo, hi;
	switch (s[0]) {
	case 'F': lo = PY_KW_FALSE; hi = PY_KW_NONE; break;
	case 'N': lo = PY_KW_NONE; hi = PY_KW_TRUE; break;
	case 'T': lo = PY_KW_TRUE; hi = PY_KW_AND; break;
	case 'a': lo = PY_KW_AND; hi = PY_KW_BREAK; break;
	case 'b': lo = PY_KW_BREAK; hi = PY_KW_CLASS; break;
	case 'c': lo = PY_KW_CLASS; hi = PY_KW_DEF; break;
	case 'd': lo = PY_KW_DEF; hi = PY_KW_ELIF; break;
	case 'e': lo = PY_KW_ELIF; hi = PY_KW_FINALLY; break;
	case 'f': lo = PY_KW_FINALLY; hi = PY_KW_GLOBAL; break;
	case 'g': lo = PY_KW_GLOBAL; hi = PY_KW_IF; break;
	case 'i': lo = PY_KW_IF; hi = PY_KW_LAMBDA; break;
	case 'l': lo = PY_KW_LAMBDA; hi = PY_KW_NONLOCAL; break;
	case 'n': lo = PY_KW_NONLOCAL; hi = PY_KW_OR; break;
	case 'o': lo = PY_KW_OR; hi = PY_KW_PASS; break;
	case 'p': lo = PY_KW_PASS; hi = PY_KW_RAISE; break;
	case 'r': lo = PY_KW_RAISE; hi = PY_KW_TRY; break;
	case 't': lo = PY_KW_TRY; hi = PY_KW_WHILE; break;
	case 'w': lo = PY_KW_WHILE; hi = PY_KW_YIELD; break;
	case 'y': lo = PY_KW_YIELD; hi = PY_KW_COUNT; break;
	default: return -1;
	}
	for (unsigned k = lo; k < hi; k++) {
		const char *w = kw_text[k];
		size_t i = 0;
		while (i < n && w[i] == s[i]) /* stops at w's NUL: s holds no NUL */
			i++;
		if (i == n && w[n] == '\0')
			return (int)k;
	}
	return -1;
}

static int lex_ident_or_string(struct lexer *lx, size_t *posp)
{
	struct scan *sc = &lx->sc;
	size_t start = *posp, pos = start;
	while (pos < sc->end && is_ident_char((unsigned char)sc->s[pos]))
		pos++;
	int pf = prefix_flags(sc->s + start, pos - start);
	if (pf >= 0 && (at(sc, pos) == '\'' || at(sc, pos) == '"')) {
		size_t end = 0;
		int rc = scan_string(sc, start, pos, (unsigned)pf, &end);
		if (rc < 0)
			return rc;
		unsigned flags = (unsigned)pf;
		if (end - pos >= 6 && sc->s[pos + 1] == sc->s[pos] && sc->s[pos + 2] == sc->s[pos])
			flags |= PY_STR_TRIPLE;
		emit(lx, PY_TK_STRING, flags, start, end - start);
		*posp = end;
		return RT_OK;
	}
	size_t n = pos - start;
	int kw = keyword(sc->s + start, n);
	if (kw >= 0)
		emit(lx, PY_TK_KEYWORD, (unsigned)kw, start, n);
	else
		emit(lx, PY_TK_NAME, 0, start, n);
	*posp = pos;
	return RT_OK;
}

/*
 * The longest operator at pos (greedy, as CPython's tokenizer): its py_op
 * and length in *n, or -1. One switch on the first byte instead of a table
 * scan: every operator token of every file comes through here.
 */
static int operator_at(const struct scan *sc, size_t pos, size_t *n)
{
	char c = sc->s[pos], c1 = at(sc, pos + 1), c2 = at(sc, pos + 2);
	/* X, X= and, for doubling operators, XX and XX= */
	py_op one, eq = PY_OP_COUNT, two = PY_OP_COUNT, twoeq = PY_OP_COUNT;
	*n = 1;
	switch (c) {
	case '(': return PY_OP_LPAR;
	case ')': return PY_OP_RPAR;
	case '[': return PY_OP_LSQB;
	case ']': return PY_OP_RSQB;
	case '{': return PY_OP_LBRACE;
	case '}': return PY_OP_RBRACE;
	case ',': return PY_OP_COMMA;
	case ';': return PY_OP_SEMI;
	case '~': return PY_OP_TILDE;
	case '.':
		if (c1 == '.' && c2 == '.') {
			*n = 3;
			return PY_OP_ELLIPSIS;
		}
		return PY_OP_DOT;
	case '-':
		if (c1 == '>') {
			*n = 2;
			return PY_OP_ARROW;
		}
		one = PY_OP_MINUS, eq = PY_OP_MINUSEQ;
		break;
	case '!':
		if (c1 != '=')
			return -1;
		*n = 2;
		return PY_OP_NE;
	case ':': one = PY_OP_COLON, eq = PY_OP_WALRUS; break;
	case '=': one = PY_OP_EQUAL, eq = PY_OP_EQ; break;
	case '+': one = PY_OP_PLUS, eq = PY_OP_PLUSEQ; break;
	case '%': one = PY_OP_PERCENT, eq = PY_OP_PERCENTEQ; break;
	case '@': one = PY_OP_AT, eq = PY_OP_ATEQ; break;
	case '&': one = PY_OP_AMP, eq = PY_OP_AMPEQ; break;
	case '|': one = PY_OP_VBAR, eq = PY_OP_VBAREQ; break;
	case '^': one = PY_OP_CARET, eq = PY_OP_CARETEQ; break;
	case '*': one = PY_OP_STAR, eq = PY_OP_STAREQ, two = PY_OP_DSTAR, twoeq = PY_OP_DSTAREQ; break;
	case '/':
		one = PY_OP_SLASH, eq = PY_OP_SLASHEQ, two = PY_OP_DSLASH, twoeq = PY_OP_DSLASHEQ;
		break;
	case '<': one = PY_OP_LT, eq = PY_OP_LE, two = PY_OP_LSHIFT, twoeq = PY_OP_LSHIFTEQ; break;
	case '>': one = PY_OP_GT, eq = PY_OP_GE, two = PY_OP_RSHIFT, twoeq = PY_OP_RSHIFTEQ; break;
	default: return -1;
	}
	if (two != PY_OP_COUNT && c1 == c) {
		*n = c2 == '=' ? 3 : 2;
		return c2 == '=' ? (int)twoeq : (int)two;
	}
	if (c1 == '=') {
		*n = 2;
		return (int)eq;
	}
	return (int)one;
}

static int lex_operator(struct lexer *lx, size_t *posp)
{
	struct scan *sc = &lx->sc;
	size_t pos = *posp, n = 0;
	int op = operator_at(sc, pos, &n);
	if (op >= 0) {
		int rc = RT_OK;
		char c = sc->s[pos];
		if (c == '(' || c == '[' || c == '{')
			rc = open_bracket(lx, c, pos);
		else if (c == ')' || c == ']' || c == '}')
			rc = close_bracket(lx, c, pos);
		if (rc < 0)
			return rc;
		emit(lx, PY_TK_OP, (unsigned)op, pos, n);
		*posp = pos + n;
		return RT_OK;
	}
	unsigned char c = (unsigned char)sc->s[pos];
	if (c == '!')
		return fail(sc, RT_ESYNTAX, pos, 1, "invalid syntax: '!' (did you mean '!=' or 'not'?)");
	if (c < 0x20 || c == 0x7f)
		return fail(sc, RT_ESYNTAX, pos, 1, "invalid non-printable character U+%04X", c);
	return fail(sc, RT_ESYNTAX, pos, 1, "invalid character '%c' (U+%04X)", c, c);
}

/* ---- skipping def/class blocks (PY_LEX_SKIP_BODIES) ---- */

/* Does the logical line being ended (tokens from line_first) open a
 * def/class block on the next line: `[async] def|class ... :`? */
static bool opens_body(const struct lexer *lx)
{
	const py_token *t = lx->toks->v + lx->line_first;
	size_t n = lx->toks->n - lx->line_first;
	if (n < 3 || t[n - 1].kind != PY_TK_OP || t[n - 1].sub != PY_OP_COLON ||
	    t[0].kind != PY_TK_KEYWORD)
		return false;
	if (t[0].sub == PY_KW_ASYNC)
		t++;
	return t[0].kind == PY_TK_KEYWORD && (t[0].sub == PY_KW_DEF || t[0].sub == PY_KW_CLASS);
}

/*
 * From a line start, past blank and comment-only lines (as indentation()
 * skips them) to the next line with content: *linep is its start, *posp its
 * first non-blank byte, *colp its column. Returns 1, 0 at the end of the
 * text, or -1 when indentation() would have to judge the line (a tab or
 * form feed in its indentation, a line starting with a backslash, an
 * absurd indentation).
 */
static int content_line(const struct scan *sc, size_t *linep, size_t *posp, unsigned *colp)
{
	const char *s = sc->s;
	size_t pos = *posp;
	for (;;) {
		size_t start = pos;
		bool plain = true;
		while (pos < sc->end && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\f'))
			plain &= s[pos++] == ' ';
		if (pos < sc->end && s[pos] == '#')
			while (pos < sc->end && s[pos] != '\n' && s[pos] != '\r')
				pos++;
		if (pos >= sc->end)
			return 0;
		if (s[pos] == '\n' || s[pos] == '\r') {
			pos += (s[pos] == '\r' && at(sc, pos + 1) == '\n') ? 2 : 1;
			continue;
		}
		if (!plain || s[pos] == '\\' || pos - start > 100000)
			return -1;
		*linep = start;
		*posp = pos;
		*colp = (unsigned)(pos - start);
		return 1;
	}
}

/*
 * The block of a def/class header starts at the line start *posp: finds
 * where it ends without tokenizing it. On success emits INDENT and a
 * PY_TK_BODY token, pushes the block's indentation (so indentation() emits
 * the DEDENT and checks the next line exactly as after a tokenized block),
 * and moves *posp to the start of the first line after the block. Returns
 * false, having changed nothing, when the block must be tokenized instead
 * (see content_line, and any string, bracket or continuation the scan
 * cannot close).
 */
static bool skip_body(struct lexer *lx, size_t *posp)
{
	const struct scan *sc = &lx->sc;
	const char *s = sc->s;
	size_t end = sc->end, line = 0, pos = *posp;
	unsigned top = lx->indent[lx->nindent], col;
	if (lx->nindent >= RT_MAX_NESTING || content_line(sc, &line, &pos, &col) != 1 ||
	    col <= top)
		return false; /* tokenized: an error, or a deep block, indentation() reports */
	unsigned body_col = col;
	size_t first = pos, last = pos, after = end;
	unsigned depth = 0;
	rt_error err = RT_ERROR_INIT;
	struct scan str = *sc; /* strings are scanned by the tokenizer's own rules */
	str.err = &err;
	str.depth = 0;
	bool ok = true;
	while (ok) {
		if (pos >= end) {
			ok = depth == 0;
			break;
		}
		unsigned char c = (unsigned char)s[pos];
		size_t start = pos;
		if (c == '\n' || c == '\r') {
			pos += (c == '\r' && at(sc, pos + 1) == '\n') ? 2 : 1;
			if (depth > 0)
				continue;
			int k = content_line(sc, &line, &pos, &col);
			if (k == 0)
				break;
			if (k < 0) {
				ok = false;
			} else if (col <= top) {
				after = line;
				break;
			}
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\f') {
			pos++;
			continue;
		}
		if (c == '#') {
			while (pos < end && s[pos] != '\n' && s[pos] != '\r')
				pos++;
			continue;
		}
		if (c == '\\') {
			char n = at(sc, pos + 1);
			pos += (n == '\r' && at(sc, pos + 2) == '\n') ? 3 : 2;
			ok = (n == '\n' || n == '\r') && pos < end;
			continue;
		}
		if (c == '\'' || c == '"' || is_ident_start(c)) {
			while (pos < end && is_ident_char((unsigned char)s[pos]))
				pos++;
			int pf = prefix_flags(s + start, pos - start);
			if (pf >= 0 && (at(sc, pos) == '\'' || at(sc, pos) == '"'))
				ok = scan_string(&str, start, pos, (unsigned)pf, &pos) == RT_OK;
		} else if (is_digit((char)c)) {
			/* a number (letters, digits, dots): one run into a quote is
			 * left to the tokenizer, which knows where the number ends */
			while (pos < end && (is_ident_char((unsigned char)s[pos]) || s[pos] == '.'))
				pos++;
			ok = at(sc, pos) != '\'' && at(sc, pos) != '"';
		} else {
			if (c == '(' || c == '[' || c == '{')
				ok = ++depth <= RT_MAX_NESTING;
			else if (c == ')' || c == ']' || c == '}')
				ok = depth-- > 0;
			pos++;
		}
		last = pos;
	}
	rt_error_clear(&err);
	if (!ok)
		return false;
	lx->nindent++;
	lx->indent[lx->nindent] = lx->altindent[lx->nindent] = body_col; /* spaces only */
	emit(lx, PY_TK_INDENT, 0, first, 0);
	emit(lx, PY_TK_BODY, 0, first, last - first);
	lx->line_has_tokens = false;
	*posp = after;
	return true;
}

static int lex_run(struct lexer *lx, size_t pos)
{
	struct scan *sc = &lx->sc;
	bool line_start = !lx->fragment;
	for (;;) {
		if (line_start && lx->nbr == 0) {
			if (lx->body_next) {
				lx->body_next = false;
				skip_body(lx, &pos);
			}
			int blank = indentation(lx, &pos);
			if (blank < 0)
				return blank;
			line_start = false;
			lx->line_first = lx->toks->n;
		}
		while (at(sc, pos) == ' ' || at(sc, pos) == '\t' || at(sc, pos) == '\f')
			pos++;
		if (pos >= sc->end)
			break;
		unsigned char c = (unsigned char)sc->s[pos];
		int rc = RT_OK;
		if (c == '#') {
			while (pos < sc->end && sc->s[pos] != '\n' && sc->s[pos] != '\r')
				pos++;
		} else if (c == '\n' || c == '\r') {
			size_t nl = pos;
			pos += (c == '\r' && at(sc, pos + 1) == '\n') ? 2 : 1;
			if (lx->fragment || lx->nbr > 0)
				continue;
			if (lx->line_has_tokens) {
				lx->body_next = lx->skip_bodies && opens_body(lx);
				emit(lx, PY_TK_NEWLINE, 0, nl, pos - nl);
			}
			lx->line_has_tokens = false;
			line_start = true;
		} else if (c == '\\') {
			char n = at(sc, pos + 1);
			if (n == '\n' || n == '\r') {
				pos += (n == '\r' && at(sc, pos + 2) == '\n') ? 3 : 2;
				if (pos >= sc->end)
					return fail(sc, RT_ESYNTAX, pos - 1, 1,
					            "unexpected end of file after line continuation character");
			} else {
				return fail(sc, RT_ESYNTAX, pos, 1,
				            "unexpected character after line continuation character");
			}
		} else if (is_ident_start(c)) {
			rc = lex_ident_or_string(lx, &pos);
		} else if (is_digit((char)c) || (c == '.' && is_digit(at(sc, pos + 1)))) {
			size_t end = 0;
			rc = scan_number(lx, pos, &end);
			if (rc == RT_OK) {
				emit(lx, PY_TK_NUMBER, 0, pos, end - pos);
				pos = end;
			}
		} else if (c == '\'' || c == '"') {
			size_t end = 0;
			rc = scan_string(sc, pos, pos, 0, &end);
			if (rc == RT_OK) {
				unsigned flags = (end - pos >= 6 && sc->s[pos + 1] == (char)c &&
				                  sc->s[pos + 2] == (char)c) ? PY_STR_TRIPLE : 0;
				emit(lx, PY_TK_STRING, flags, pos, end - pos);
				pos = end;
			}
		} else {
			rc = lex_operator(lx, &pos);
		}
		if (rc < 0)
			return rc;
	}
	if (lx->nbr > 0) {
		size_t off = lx->br[lx->nbr - 1].off;
		rt_loc o = rt_source_loc(sc->src, off, 1);
		return fail(sc, RT_ESYNTAX, off, 1, "'%c' opened at %u:%u was never closed",
		            lx->br[lx->nbr - 1].ch, o.line, o.col);
	}
	if (!lx->fragment) {
		if (lx->line_has_tokens)
			emit(lx, PY_TK_NEWLINE, 0, sc->end, 0);
		while (lx->nindent > 0) {
			lx->nindent--;
			emit(lx, PY_TK_DEDENT, 0, sc->end, 0);
		}
	}
	emit(lx, PY_TK_EOF, 0, sc->end, 0);
	return RT_OK;
}

/*
 * A lexer over src->text[start, end). The token array is sized from the
 * text up front (version files average 5-6 bytes a token; a third of the
 * byte count covers every file we have seen), so it rarely grows and,
 * when it does, grows in place at the top of the arena. The indentation
 * and bracket stacks are not cleared: only entries below the tops are read.
 */
static void lexer_init(struct lexer *lx, py_tokens *out, rt_arena *arena,
                       const rt_source *src, size_t start, size_t end, rt_error *err)
{
	lx->sc = (struct scan){ .src = src, .s = src->text, .end = end, .arena = arena,
	                        .err = err };
	lx->toks = out;
	lx->fragment = false;
	lx->line_has_tokens = false;
	lx->skip_bodies = lx->body_next = false;
	lx->line_first = 0;
	lx->indent[0] = lx->altindent[0] = 0;
	lx->nindent = lx->nbr = 0;
	out->cap = (end - start) / 3 + 16;
	out->v = rt_alloc_raw(arena, out->cap * sizeof(*out->v));
	out->n = 0;
}

int py_lex(py_tokens *out, rt_arena *arena, const rt_source *src, unsigned flags,
           rt_error *err)
{
	struct lexer lx;
	lexer_init(&lx, out, arena, src, 0, src->len, err);
	lx.skip_bodies = flags & PY_LEX_SKIP_BODIES;
	int rc = check_encoding(&lx.sc);
	if (rc < 0)
		return rc;
	size_t pos = 0;
	if (src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	return lex_run(&lx, pos);
}

int py_lex_fragment(py_tokens *out, rt_arena *arena, const rt_source *src, size_t start,
                    size_t end, rt_error *err)
{
	struct lexer lx;
	lexer_init(&lx, out, arena, src, start, end, err);
	lx.fragment = true;
	return lex_run(&lx, start);
}
