/*
 * SQL statement splitting with libpg_query: PostgreSQL's lexer finds every
 * token (and every lexical error, located where it starts), its parser
 * finds statement boundaries, and psql's rules take over when the parser
 * rejects the text. The only file that includes <pg_query.h>.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pg_query.h>

#include "retort/buf.h"
#include "retort/sqlsplit.h"

/*
 * Token numbers that are stable across PostgreSQL versions: one-character
 * tokens are their own ASCII code and IDENT is the grammar's first token.
 * Keywords are recognised by their text, comments by their first bytes.
 */
enum { TOK_LPAREN = '(', TOK_RPAREN = ')', TOK_SEMI = ';', TOK_IDENT = 258 };

typedef struct token {
	uint32_t start, end;
	uint32_t kind;
	bool keyword;
} token;

typedef struct tokens {
	token *v;
	size_t n, cap;
} tokens;

/* A statement as a token range [first, last). */
typedef struct span {
	size_t first, last;
} span;

typedef struct spans {
	span *v;
	size_t n, cap;
} spans;

/* The first problem found, as a byte span of the analysed text. */
typedef struct problem {
	size_t offset, len;
	char *message; /* malloc'd */
	const char *hint;
} problem;

static void tokens_push(tokens *t, token tok)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = rt_xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	t->v[t->n++] = tok;
}

static void spans_push(spans *s, size_t first, size_t last)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->v = rt_xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = (span){ first, last };
}

static void set_problem(problem *pb, size_t offset, size_t len, const char *hint,
                        const char *fmt, ...) RT_PRINTF(5, 6);
static void set_problem(problem *pb, size_t offset, size_t len, const char *hint,
                        const char *fmt, ...)
{
	rt_buf b = RT_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	rt_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	pb->offset = offset;
	pb->len = len;
	pb->message = rt_buf_detach(&b);
	pb->hint = hint;
}

/* --- libpg_query's scan result: a protobuf ScanResult, decoded by hand
 * because Debian ships no protobuf-c headers. Only varints and skipping. */

static bool pb_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*p >= end)
			return false;
		uint8_t byte = *(*p)++;
		v |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false;
}

static bool pb_skip(const uint8_t **p, const uint8_t *end, unsigned wire)
{
	uint64_t n;
	switch (wire) {
	case 0:
		return pb_varint(p, end, &n);
	case 1:
		n = 8;
		break;
	case 2:
		if (!pb_varint(p, end, &n))
			return false;
		break;
	case 5:
		n = 4;
		break;
	default:
		return false;
	}
	if (n > (uint64_t)(end - *p))
		return false;
	*p += n;
	return true;
}

/* message ScanToken { int32 start = 1; int32 end = 2; Token token = 4;
 *                     KeywordKind keyword_kind = 5; } */
static bool decode_token(const uint8_t *p, const uint8_t *end, token *t)
{
	memset(t, 0, sizeof(*t));
	while (p < end) {
		uint64_t key, v;
		if (!pb_varint(&p, end, &key))
			return false;
		if ((key & 7) != 0) {
			if (!pb_skip(&p, end, (unsigned)(key & 7)))
				return false;
			continue;
		}
		if (!pb_varint(&p, end, &v))
			return false;
		switch (key >> 3) {
		case 1: t->start = (uint32_t)v; break;
		case 2: t->end = (uint32_t)v; break;
		case 4: t->kind = (uint32_t)v; break;
		case 5: t->keyword = v != 0; break;
		default: break;
		}
	}
	return true;
}

/*
 * libpg_query reports the end of a U&'...' string or U&"..." identifier
 * short (only its first bytes), which would cut a statement ending in one.
 * Such a token runs to its closing quote; a doubled quote stays inside.
 */
static void unicode_quote_end(const char *text, size_t textlen, token *t)
{
	size_t i = t->start;
	if (i + 2 >= textlen || (text[i] != 'U' && text[i] != 'u') || text[i + 1] != '&' ||
	    (text[i + 2] != '\'' && text[i + 2] != '"'))
		return;
	char q = text[i + 2];
	for (i += 3; i < textlen; i++)
		if (text[i] == q) {
			if (i + 1 < textlen && text[i + 1] == q)
				i++;
			else
				break;
		}
	if (i < textlen && i + 1 > t->end)
		t->end = (uint32_t)(i + 1);
}

/* message ScanResult { int32 version = 1; repeated ScanToken tokens = 2; } */
static bool decode_scan(const uint8_t *p, size_t n, const char *text, size_t textlen,
                        tokens *out)
{
	const uint8_t *end = p + n;
	while (p < end) {
		uint64_t key, len;
		if (!pb_varint(&p, end, &key))
			return false;
		if (key != ((2u << 3) | 2u)) {
			if (!pb_skip(&p, end, (unsigned)(key & 7)))
				return false;
			continue;
		}
		if (!pb_varint(&p, end, &len) || len > (uint64_t)(end - p))
			return false;
		token t;
		if (!decode_token(p, p + len, &t) || t.start > t.end || t.end > textlen)
			return false;
		unicode_quote_end(text, textlen, &t);
		tokens_push(out, t);
		p += len;
	}
	return true;
}

static const struct {
	const char *prefix, *hint;
} lex_hints[] = {
	{ "unterminated quoted string", "close the string with ' (write '' for a quote inside it)" },
	{ "unterminated quoted identifier",
	  "close the identifier with \" (write \"\" for a quote inside it)" },
	{ "unterminated dollar-quoted string",
	  "close it with the tag it was opened with, e.g. $$ or $body$" },
	{ "unterminated /* comment", "close it with */ (comments nest: each /* needs its own */)" },
	{ "unterminated bit string literal", "close the literal with '" },
	{ "unterminated hexadecimal string literal", "close the literal with '" },
};

/* PostgreSQL's lexer error, without its " at or near ..." tail. */
static void lex_problem(problem *pb, const PgQueryError *e, const char *text, size_t textlen)
{
	const char *msg = e->message ? e->message : "lexical error";
	const char *cut = strstr(msg, " at or near ");
	if (!cut)
		cut = strstr(msg, " at end of input");
	size_t n = cut ? (size_t)(cut - msg) : strlen(msg);
	const char *hint = NULL;
	for (size_t i = 0; i < sizeof(lex_hints) / sizeof(lex_hints[0]); i++)
		if (strncmp(msg, lex_hints[i].prefix, strlen(lex_hints[i].prefix)) == 0)
			hint = lex_hints[i].hint;
	/* cursorpos counts characters (UTF-8 code points) from 1; 0 means unknown */
	size_t off = 0;
	for (int chars = e->cursorpos - 1; chars > 0 && off < textlen; chars--)
		while (++off < textlen && ((unsigned char)text[off] & 0xC0) == 0x80)
			;
	set_problem(pb, off, 0, hint, "%.*s", (int)n, msg);
}

/* libpg_query creates its memory context on first use; pg_query_exit()
 * crashes in a thread that never used it */
static _Thread_local bool pg_query_used;

static bool lex(tokens *out, const char *text, size_t len, problem *pb)
{
	pg_query_used = true;
	PgQueryScanResult r = pg_query_scan(text);
	bool ok = true;
	if (r.error) {
		lex_problem(pb, r.error, text, len);
		ok = false;
	} else if (!decode_scan((const uint8_t *)r.pbuf.data, r.pbuf.len, text, len, out)) {
		set_problem(pb, 0, 0, NULL, "cannot decode the tokens from libpg_query");
		ok = false;
	}
	pg_query_free_scan_result(r);
	return ok;
}

static bool is_comment(const char *text, const token *t)
{
	return t->end - t->start >= 2 && (memcmp(text + t->start, "--", 2) == 0 ||
	                                  memcmp(text + t->start, "/*", 2) == 0);
}

static bool is_word(const char *text, const token *t)
{
	return t->keyword || (t->kind == TOK_IDENT && text[t->start] != '"');
}

static bool word_is(const char *text, const token *t, const char *w)
{
	size_t n = strlen(w);
	return is_word(text, t) && t->end - t->start == n && strncasecmp(text + t->start, w, n) == 0;
}

/* Statement boundaries from PostgreSQL's parser; false when it rejects the text. */
static bool parser_spans(const char *text, const tokens *t, spans *out)
{
	PgQuerySplitResult r = pg_query_split_with_parser(text);
	if (r.error) {
		pg_query_free_split_result(r);
		return false;
	}
	size_t i = 0;
	for (int k = 0; k < r.n_stmts; k++) {
		size_t a = (size_t)r.stmts[k]->stmt_location;
		size_t b = a + (size_t)r.stmts[k]->stmt_len;
		while (i < t->n && t->v[i].start < a)
			i++;
		size_t first = i;
		while (i < t->n && t->v[i].start < b)
			i++;
		spans_push(out, first, i);
	}
	pg_query_free_split_result(r);
	return true;
}

/*
 * psql's rules (psqlscan.l): ';' ends a statement outside parentheses and
 * outside a BEGIN ... END body of a statement that starts CREATE [OR
 * REPLACE] FUNCTION|PROCEDURE; inside such a body CASE ... END nests too.
 * Not pg_query_split_with_scanner: it drops statements whose first token
 * is not a keyword (a misspelt `SELEC 1` would vanish) and splits inside
 * BEGIN ATOMIC bodies.
 */
static void psql_spans(const char *text, const tokens *t, spans *out)
{
	size_t first = 0, nwords = 0;
	unsigned paren = 0, begin = 0;
	char words[4] = { 0 };
	for (size_t i = 0; i < t->n; i++) {
		const token *k = &t->v[i];
		if (is_comment(text, k))
			continue;
		if (k->kind == TOK_LPAREN) {
			paren++;
		} else if (k->kind == TOK_RPAREN) {
			if (paren)
				paren--;
		} else if (k->kind == TOK_SEMI && paren == 0 && begin == 0) {
			spans_push(out, first, i);
			first = i + 1;
			nwords = 0;
			memset(words, 0, sizeof(words));
		} else if (is_word(text, k)) {
			static const char *const tracked[] = { "create", "function", "procedure", "or",
			                                       "replace" };
			for (size_t w = 0; w < 5 && nwords < 4; w++)
				if (word_is(text, k, tracked[w]))
					words[nwords] = tracked[w][0];
			nwords++;
			bool routine = words[0] == 'c' &&
			               (words[1] == 'f' || words[1] == 'p' ||
			                (words[1] == 'o' && words[2] == 'r' &&
			                 (words[3] == 'f' || words[3] == 'p')));
			if (routine && paren == 0) {
				if (word_is(text, k, "begin"))
					begin++;
				else if (word_is(text, k, "case") && begin >= 1)
					begin++;
				else if (word_is(text, k, "end") && begin > 0)
					begin--;
			}
		}
	}
	spans_push(out, first, t->n);
}

/* Index of the next token after i that is not a comment, or t->n. */
static size_t next_code(const char *text, const tokens *t, size_t i, size_t last)
{
	while (i < last && is_comment(text, &t->v[i]))
		i++;
	return i;
}

/* COPY ... FROM STDIN / TO STDOUT: psql scripts carry the data inline. */
static bool check_copy(const char *text, const tokens *t, const span *s, problem *pb)
{
	size_t i = next_code(text, t, s->first, s->last);
	if (i == s->last || !word_is(text, &t->v[i], "copy"))
		return true;
	const token *copy = &t->v[i];
	size_t prev = s->last;
	for (i++; i < s->last; i++) {
		if (is_comment(text, &t->v[i]))
			continue;
		if (prev != s->last) {
			bool in = word_is(text, &t->v[prev], "from") && word_is(text, &t->v[i], "stdin");
			bool out = word_is(text, &t->v[prev], "to") && word_is(text, &t->v[i], "stdout");
			if (in || out) {
				set_problem(pb, copy->start, copy->end - copy->start,
				            in ? "load rows with INSERT statements, or COPY from a file "
				                 "on the database server"
				               : "write the query as a SELECT, or COPY to a file on the "
				                 "database server",
				            "'COPY ... %s' is not supported", in ? "FROM STDIN" : "TO STDOUT");
				return false;
			}
		}
		prev = i;
	}
	return true;
}

/* A backslash token first on its line is a psql meta-command (\i, \c, \set). */
static bool check_meta(const char *text, const tokens *t, const span *s, problem *pb)
{
	for (size_t i = s->first; i < s->last; i++) {
		const token *k = &t->v[i];
		if (text[k->start] != '\\')
			continue;
		size_t p = k->start;
		while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == '\t'))
			p--;
		if (p > 0 && text[p - 1] != '\n')
			continue;
		size_t e = k->start + 1;
		while (text[e] && text[e] != ' ' && text[e] != '\t' && text[e] != '\n' &&
		       text[e] != '\r')
			e++;
		set_problem(pb, k->start, e - k->start,
		            "retort sends plain SQL to the server: inline included files and "
		            "replace psql variables with literal values",
		            "psql meta-command '%.*s' is not supported", (int)(e - k->start),
		            text + k->start);
		return false;
	}
	return true;
}

typedef enum analysis {
	ANALYSE_SPLIT, /* statements as PostgreSQL's parser splits them */
	ANALYSE_CHECK, /* the whole text is one candidate for psql's rules only */
} analysis;

/*
 * Lexes and splits text (NUL-terminated, len bytes) into token spans and
 * runs the refusal checks.
 */
static bool analyse(const char *text, size_t len, analysis how, tokens *t, spans *s,
                    problem *pb)
{
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		set_problem(pb, (size_t)(nul - text), 1, "remove it: SQL text cannot contain NUL",
		            "NUL byte in SQL text");
		return false;
	}
	if (!lex(t, text, len, pb))
		return false;
	if (how == ANALYSE_CHECK || !parser_spans(text, t, s))
		psql_spans(text, t, s);
	for (size_t i = 0; i < s->n; i++)
		if (!check_copy(text, t, &s->v[i], pb) || !check_meta(text, t, &s->v[i], pb))
			return false;
	return true;
}

int rt_sql_split(rt_stmtlist *out, rt_arena *arena, const rt_source *src, size_t offset,
                 size_t len, bool no_transaction, rt_error *err)
{
	if (offset > src->len || len > src->len - offset)
		return rt_error_set(err, RT_ERROR, NULL, "SQL range outside '%s'", src->path);
	/* libpg_query takes a C string: copy the range out */
	char *text = rt_xmalloc(len + 1);
	memcpy(text, src->text + offset, len);
	text[len] = '\0';
	tokens t = { 0 };
	spans s = { 0 };
	problem pb = { 0 };
	int rc = RT_OK;
	if (!analyse(text, len, ANALYSE_SPLIT, &t, &s, &pb)) {
		rt_loc loc = rt_source_loc(src, offset + pb.offset, pb.len);
		rc = rt_error_set(err, RT_ESYNTAX, &loc, "%s", pb.message);
		if (pb.hint)
			rt_error_hint(err, "%s", pb.hint);
	} else {
		for (size_t i = 0; i < s.n; i++) {
			size_t last = s.v[i].last;
			while (last > s.v[i].first && is_comment(text, &t.v[last - 1]))
				last--;
			if (last == s.v[i].first)
				continue; /* comments only */
			size_t a = t.v[s.v[i].first].start, b = t.v[last - 1].end;
			rt_stmt *st = rt_stmt_verbatim(arena, src, offset + a, b - a);
			st->no_transaction = no_transaction;
			rt_stmtlist_push(arena, out, st);
		}
	}
	free(pb.message);
	free(t.v);
	free(s.v);
	free(text);
	return rc;
}

int rt_sql_check(const rt_stmt *stmt, rt_error *err)
{
	tokens t = { 0 };
	spans s = { 0 };
	problem pb = { 0 };
	int rc = RT_OK;
	if (!analyse(stmt->sql, stmt->len, ANALYSE_CHECK, &t, &s, &pb)) {
		rt_loc loc = rt_stmt_loc(stmt, pb.offset);
		loc.len = (uint32_t)pb.len;
		rc = rt_error_set(err, RT_ESYNTAX, &loc, "%s", pb.message);
		if (pb.hint)
			rt_error_hint(err, "%s", pb.hint);
	}
	free(pb.message);
	free(t.v);
	free(s.v);
	return rc;
}

void rt_sql_note_use(void)
{
	pg_query_used = true;
}

void rt_sql_shutdown(void)
{
	if (pg_query_used)
		pg_query_exit();
	pg_query_used = false;
}
