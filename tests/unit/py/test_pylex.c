/*
 * Unit tests for the tokenizer (src/py/pylex.c): every lexical feature of
 * Python 3.12 that version files may use, and located errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "py/pylex.h"

/*
 * Tokens as a compact string: NAME and KEYWORD and NUMBER as their text,
 * strings as S<text>, operators as their spelling, and layout tokens as
 * NL, IN, DE, EOF; separated by spaces.
 */
static const char *toks_flags(rt_arena *a, const char *text, size_t len, unsigned flags)
{
	rt_source *src = rt_source_from_mem(a, "t.py", text, len);
	py_tokens t;
	rt_error err = RT_ERROR_INIT;
	rt_buf b = RT_BUF_INIT;
	if (py_lex(&t, a, src, flags, &err) < 0) {
		rt_buf_printf(&b, "ERR %u:%u: %s", err.loc.line, err.loc.col, err.message);
	} else {
		for (size_t i = 0; i < t.n; i++) {
			const py_token *k = &t.v[i];
			if (i)
				rt_buf_putc(&b, ' ');
			switch (k->kind) {
			case PY_TK_EOF: rt_buf_puts(&b, "EOF"); break;
			case PY_TK_NEWLINE: rt_buf_puts(&b, "NL"); break;
			case PY_TK_INDENT: rt_buf_puts(&b, "IN"); break;
			case PY_TK_DEDENT: rt_buf_puts(&b, "DE"); break;
			case PY_TK_STRING:
				rt_buf_putc(&b, 'S');
				rt_buf_add(&b, src->text + k->off, k->len);
				break;
			case PY_TK_BODY:
				rt_buf_puts(&b, "BODY<");
				rt_buf_add(&b, src->text + k->off, k->len);
				rt_buf_putc(&b, '>');
				break;
			default: rt_buf_add(&b, src->text + k->off, k->len); break;
			}
		}
	}
	rt_error_clear(&err);
	char *s = rt_strdup(a, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

static const char *toks(rt_arena *a, const char *text, size_t len)
{
	return toks_flags(a, text, len, 0);
}

#define TOKS(a, text) toks((a), (text), sizeof(text) - 1)
#define SKIP(a, text) toks_flags((a), (text), sizeof(text) - 1, PY_LEX_SKIP_BODIES)

static void test_py_lex__names_keywords_and_soft_keywords(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *text = "match case type _ async await None x1\n";
	rt_source *src = rt_source_from_mem(a, "t.py", text, strlen(text));
	py_tokens t;
	assert_int_equal(py_lex(&t, a, src, 0, NULL), RT_OK);
	assert_int_equal(t.n, 10);
	for (int i = 0; i < 4; i++)
		assert_int_equal(t.v[i].kind, PY_TK_NAME);
	assert_int_equal(t.v[4].kind, PY_TK_KEYWORD);
	assert_int_equal(t.v[4].sub, PY_KW_ASYNC);
	assert_int_equal(t.v[6].sub, PY_KW_NONE);
	assert_int_equal(t.v[7].kind, PY_TK_NAME);
	assert_int_equal(t.v[7].off, 35);
	assert_int_equal(t.v[7].len, 2);
	assert_int_equal(t.v[8].kind, PY_TK_NEWLINE);
	/* any non-ASCII code point is an identifier character */
	assert_string_equal(TOKS(a, "été = 1\n"), "été = 1 NL EOF");
	assert_string_equal(TOKS(a, "x€y\n"), "x€y NL EOF");
	rt_arena_free(a);
}

static void test_py_lex__every_operator(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *ops = ":= -> **= //= >>= <<= @= ... != <= >= == << >> %= &= |= ^= += -= *= /= "
	                  "** // @ ~ ^ | & % / * - + < > = . , ; :";
	rt_source *src = rt_source_from_mem(a, "t.py", ops, strlen(ops));
	py_tokens t;
	assert_int_equal(py_lex(&t, a, src, 0, NULL), RT_OK);
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < t.n && t.v[i].kind == PY_TK_OP; i++) {
		if (i)
			rt_buf_putc(&b, ' ');
		rt_buf_puts(&b, py_op_text((py_op)t.v[i].sub));
	}
	assert_string_equal(rt_buf_cstr(&b), ops);
	rt_buf_release(&b);
	assert_string_equal(TOKS(a, "f(a)[b]{c}\n"), "f ( a ) [ b ] { c } NL EOF");
	rt_arena_free(a);
}

static void test_py_lex__numbers(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_string_equal(TOKS(a, "0 00 0_0 1_000 0x_1F 0O17 0b1_0 1. .5 1e10 1_0.0_1e+1_0 3j 1.5J"
	                            " 012.5 1E-3\n"),
	                    "0 00 0_0 1_000 0x_1F 0O17 0b1_0 1. .5 1e10 1_0.0_1e+1_0 3j 1.5J 012.5 "
	                    "1E-3 NL EOF");
	/* a keyword may follow a number directly, as CPython still allows */
	assert_string_equal(TOKS(a, "1if x else 2\n"), "1 if x else 2 NL EOF");
	assert_string_equal(TOKS(a, "1.real\n"), "ERR 1:1: invalid decimal literal");
	assert_string_equal(TOKS(a, "x = 1__0\n"), "ERR 1:6: invalid decimal literal");
	assert_string_equal(TOKS(a, "x = 1_\n"), "ERR 1:6: invalid decimal literal");
	assert_string_equal(TOKS(a, "x = 0x\n"), "ERR 1:5: invalid hexadecimal literal");
	assert_string_equal(TOKS(a, "x = 0b102\n"), "ERR 1:9: invalid digit '2' in binary literal");
	assert_string_equal(TOKS(a, "x = 012\n"), "ERR 1:5: leading zeros in decimal integer "
	                    "literals are not permitted; use an 0o prefix for octal integers");
	assert_string_equal(TOKS(a, "x = 1e+\n"), "ERR 1:5: invalid decimal literal");
	assert_string_equal(TOKS(a, "x = 5abc\n"), "ERR 1:5: invalid decimal literal");
	rt_arena_free(a);
}

static void test_py_lex__string_prefixes_and_quotes(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *text = "r'a' u'b' R\"c\" U'd' b'e' B'f' br'g' rB'h' Rb'i' f'j' F'k' fr'l' "
	                   "Rf'm' fR'n' '''o'\"''' \"\"\"p\n\"\"\" 'q\\'' \"r\\\"\"\n";
	rt_source *src = rt_source_from_mem(a, "t.py", text, strlen(text));
	py_tokens t;
	assert_int_equal(py_lex(&t, a, src, 0, NULL), RT_OK);
	static const unsigned want[] = {
		PY_STR_RAW, PY_STR_U, PY_STR_RAW, PY_STR_U, PY_STR_BYTES, PY_STR_BYTES,
		PY_STR_BYTES | PY_STR_RAW, PY_STR_BYTES | PY_STR_RAW, PY_STR_BYTES | PY_STR_RAW,
		PY_STR_F, PY_STR_F, PY_STR_F | PY_STR_RAW, PY_STR_F | PY_STR_RAW,
		PY_STR_F | PY_STR_RAW, PY_STR_TRIPLE, PY_STR_TRIPLE, 0, 0,
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(t.v[i].kind, PY_TK_STRING);
		assert_int_equal(t.v[i].sub, want[i]);
		py_strtok info;
		py_strtok_info(src, &t.v[i], &info);
		assert_int_equal(info.flags, want[i]);
	}
	py_strtok info;
	py_strtok_info(src, &t.v[14], &info);
	assert_int_equal(info.body_len, 3); /* o'" */
	assert_memory_equal(text + info.body_off, "o'\"", 3);
	assert_int_equal(t.v[18].kind, PY_TK_NEWLINE);
	/* invalid prefixes are names followed by a string */
	assert_string_equal(TOKS(a, "ur'x' bf'y' rr'z'\n"), "ur S'x' bf S'y' rr S'z' NL EOF");
	rt_arena_free(a);
}

static void decodes(rt_arena *a, const char *lit, const char *want, size_t want_len)
{
	rt_source *src = rt_source_from_mem(a, "t.py", lit, strlen(lit));
	py_tokens t;
	assert_int_equal(py_lex(&t, a, src, 0, NULL), RT_OK);
	py_strtok info;
	py_strtok_info(src, &t.v[0], &info);
	rt_buf out = RT_BUF_INIT;
	py_segs segs = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(py_str_decode(a, src, info.body_off, info.body_len, info.flags, false, &out,
	                               &segs, &err), RT_OK);
	assert_int_equal(out.len, want_len);
	assert_memory_equal(out.ptr, want, want_len);
	rt_buf_release(&out);
}

static void decode_fails(rt_arena *a, const char *lit, const char *want)
{
	rt_source *src = rt_source_from_mem(a, "t.py", lit, strlen(lit));
	py_tokens t;
	assert_int_equal(py_lex(&t, a, src, 0, NULL), RT_OK);
	py_strtok info;
	py_strtok_info(src, &t.v[0], &info);
	rt_buf out = RT_BUF_INIT;
	py_segs segs = { 0 };
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(py_str_decode(a, src, info.body_off, info.body_len, info.flags, false, &out,
	                               &segs, &err), RT_ESYNTAX);
	const char *got = rt_sprintf(a, "%u:%u: %s", err.loc.line, err.loc.col, err.message);
	assert_string_equal(got, want);
	rt_error_clear(&err);
	rt_buf_release(&out);
}

static void test_py_lex__escape_sequences(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	decodes(a, "'\\n\\t\\\\\\'\\\"\\a\\b\\f\\r\\v'", "\n\t\\'\"\a\b\f\r\v", 10);
	decodes(a, "'\\x41\\101\\0\\7'", "AA\0\7", 4);
	decodes(a, "'\\u00e9\\U0001F600\\xe9'", "\xc3\xa9\xf0\x9f\x98\x80\xc3\xa9", 8);
	decodes(a, "'\\N{EM DASH}!'", "\\N{EM DASH}!", 12);
	decodes(a, "'\\d\\%'", "\\d\\%", 4); /* unknown escapes keep the backslash */
	decodes(a, "'a\\\nb'", "ab", 2);      /* backslash-newline continues the literal */
	decodes(a, "b'\\xff\\u00e9'", "\xff\\u00e9", 7);
	decodes(a, "r'\\n\\''", "\\n\\'", 4);
	decodes(a, "'''a\r\nb\rc'''", "a\nb\nc", 5);
	decode_fails(a, "'ab\\x4'", "1:4: truncated \\xXX escape");
	decode_fails(a, "'\\u12'", "1:2: truncated \\uXXXX escape");
	decode_fails(a, "'\\U00110000'", "1:2: illegal Unicode character in \\U escape");
	decode_fails(a, "'\\N{}'", "1:2: malformed \\N character escape");
	decode_fails(a, "b'caf\xc3\xa9'", "1:6: bytes can only contain ASCII literal characters");
	rt_arena_free(a);
}

static void test_py_lex__line_joining(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_string_equal(TOKS(a, "x = 1 + \\\n    2\ny\n"), "x = 1 + 2 NL y NL EOF");
	assert_string_equal(TOKS(a, "f(1,  # one\n\n  2)\ny\n"), "f ( 1 , 2 ) NL y NL EOF");
	assert_string_equal(TOKS(a, "x = [\r\n 1]\r\n"), "x = [ 1 ] NL EOF");
	assert_string_equal(TOKS(a, "x = 1 \\ 2\n"),
	                    "ERR 1:7: unexpected character after line continuation character");
	assert_string_equal(TOKS(a, "x = 1 + \\"), "ERR 1:9: unexpected character after line "
	                    "continuation character");
	assert_string_equal(TOKS(a, "x = 1 + \\\n"),
	                    "ERR 1:10: unexpected end of file after line continuation character");
	rt_arena_free(a);
}

static void test_py_lex__indentation(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_string_equal(TOKS(a, "if x:\n    a\n\n    # c\n        # d\n    b\nc\n"),
	                    "if x : NL IN a NL b NL DE c NL EOF");
	assert_string_equal(TOKS(a, "if x:\n  if y:\n    a\nb"),
	                    "if x : NL IN if y : NL IN a NL DE DE b NL EOF");
	/* tabs count to multiples of 8, and must be used consistently */
	assert_string_equal(TOKS(a, "if x:\n\tif y:\n\t\ta\n\tb\n"),
	                    "if x : NL IN if y : NL IN a NL DE b NL DE EOF");
	assert_string_equal(TOKS(a, "if x:\n\ta\n        b\n"),
	                    "ERR 3:9: inconsistent use of tabs and spaces in indentation");
	assert_string_equal(TOKS(a, "if x:\n    a\n  b\n"),
	                    "ERR 3:3: unindent does not match any outer indentation level");
	/* form feed resets the column (CPython then sees x's indent as equal) */
	assert_string_equal(TOKS(a, "if 1:\n  x\n\f  y\n"), "if 1 : NL IN x NL y NL DE EOF");
	assert_string_equal(TOKS(a, "x\n\f y\n"), "x NL IN y NL DE EOF");
	rt_arena_free(a);
}

static void test_py_lex__bom_crlf_and_encoding(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *text = "\xEF\xBB\xBFx = 1\r\nif x:\r\n    y\r\n";
	rt_source *src = rt_source_from_mem(a, "t.py", text, strlen(text));
	py_tokens t;
	assert_int_equal(py_lex(&t, a, src, 0, NULL), RT_OK);
	assert_int_equal(t.v[0].off, 3);
	assert_string_equal(TOKS(a, "\xEF\xBB\xBFx = 1\r\nif x:\r\n    y\r\n"),
	                    "x = 1 NL if x : NL IN y NL DE EOF");
	assert_string_equal(toks(a, "x = 1\n\0\n", 8), "ERR 2:1: source code cannot contain "
	                    "null bytes");
	assert_string_equal(TOKS(a, "x = '\xff'\n"), "ERR 1:6: invalid UTF-8 byte 0xff");
	assert_string_equal(TOKS(a, "x = '\xc3('\n"),
	                    "ERR 1:6: invalid UTF-8 sequence starting with 0xc3");
	assert_string_equal(TOKS(a, "x = '\xed\xa0\x80'\n"),
	                    "ERR 1:6: invalid UTF-8 sequence starting with 0xed");
	rt_arena_free(a);
}

static void test_py_lex__errors_say_what_was_opened_where(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_string_equal(TOKS(a, "x = 1\ny = 'abc\n"),
	                    "ERR 2:5: unterminated string starting at 2:5");
	assert_string_equal(TOKS(a, "x = 1\ny = \"\"\"abc\n\nz\n"),
	                    "ERR 2:5: unterminated triple-quoted string starting at 2:5");
	assert_string_equal(TOKS(a, "x = rb'abc"), "ERR 1:5: unterminated string starting at 1:5");
	assert_string_equal(TOKS(a, "x = f'{a}\n"), "ERR 1:5: unterminated f-string starting at 1:5");
	assert_string_equal(TOKS(a, "foo(1,\n  [2,\n"),
	                    "ERR 2:3: '[' opened at 2:3 was never closed");
	assert_string_equal(TOKS(a, "x = (1,\n 2]\n"),
	                    "ERR 2:3: closing ']' does not match opening '(' at 1:5");
	assert_string_equal(TOKS(a, "x = 1)\n"), "ERR 1:6: unmatched ')'");
	assert_string_equal(TOKS(a, "a ? b\n"), "ERR 1:3: invalid character '?' (U+003F)");
	assert_string_equal(TOKS(a, "a ! b\n"),
	                    "ERR 1:3: invalid syntax: '!' (did you mean '!=' or 'not'?)");
	assert_string_equal(TOKS(a, "a\x01\n"), "ERR 1:2: invalid non-printable character U+0001");
	rt_arena_free(a);
}

static void test_py_lex__fstrings(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	/* PEP 701: same quotes, nested f-strings, '}' inside nested strings */
	assert_string_equal(TOKS(a, "f\"{x[\"}\"]}\" f'{f\"{1}\"}'\n"),
	                    "Sf\"{x[\"}\"]}\" Sf'{f\"{1}\"}' NL EOF");
	assert_string_equal(TOKS(a, "f'{\n1}'\n"), "Sf'{\n1}' NL EOF");
	assert_string_equal(TOKS(a, "f'\\N{DASH} {x}'\n"), "Sf'\\N{DASH} {x}' NL EOF");

	const char *text = "f'a{b!r:>{w}}c{{d}}{e=}'\n";
	rt_source *src = rt_source_from_mem(a, "t.py", text, strlen(text));
	py_tokens t;
	assert_int_equal(py_lex(&t, a, src, 0, NULL), RT_OK);
	py_fparts parts;
	assert_int_equal(py_fstring_split(&parts, a, src, &t.v[0], NULL), RT_OK);
	assert_int_equal(parts.n, 4);
	assert_false(parts.v[0]->is_field);
	assert_memory_equal(text + parts.v[0]->off, "a", parts.v[0]->len);
	assert_true(parts.v[1]->is_field);
	assert_memory_equal(text + parts.v[1]->off, "b", parts.v[1]->len);
	assert_int_equal(parts.v[1]->conversion, 'r');
	assert_true(parts.v[1]->has_spec);
	assert_int_equal(parts.v[1]->spec.n, 2);
	assert_true(parts.v[1]->spec.v[1]->is_field);
	assert_int_equal(parts.v[1]->field_off, 3);
	assert_int_equal(parts.v[1]->field_len, 10);
	assert_memory_equal(text + parts.v[2]->off, "c{{d}}", parts.v[2]->len);
	assert_true(parts.v[3]->selfdoc);

	assert_string_equal(TOKS(a, "f'{}'\n"),
	                    "ERR 1:3: f-string: valid expression required before '}'");
	assert_string_equal(TOKS(a, "f'a}'\n"), "ERR 1:4: f-string: single '}' is not allowed");
	assert_string_equal(TOKS(a, "f'{x!z}'\n"),
	                    "ERR 1:5: f-string: invalid conversion character (expected 's', 'r' or "
	                    "'a')");
	assert_string_equal(TOKS(a, "f'{x!r x}'\n"), "ERR 1:8: f-string: expecting '}'");
	assert_string_equal(TOKS(a, "f'{x)}'\n"), "ERR 1:5: f-string: unmatched ')'");
	/* 3.12: a quote inside a field opens a nested string */
	assert_string_equal(TOKS(a, "f'{x:{y'\n"), "ERR 1:8: unterminated string starting at 1:8");
	rt_arena_free(a);
}

static void test_py_lex__fragment_and_nesting_cap(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *text = "f'{a +\n  b}'";
	rt_source *src = rt_source_from_mem(a, "t.py", text, strlen(text));
	py_tokens t;
	assert_int_equal(py_lex_fragment(&t, a, src, 3, 10, NULL), RT_OK);
	assert_int_equal(t.n, 4); /* a + b EOF: no NEWLINE inside a field */
	assert_int_equal(t.v[2].off, 9);

	rt_buf b = RT_BUF_INIT;
	for (int i = 0; i < 201; i++)
		rt_buf_putc(&b, '(');
	const char *deep = rt_strdup(a, b.ptr);
	rt_buf_release(&b);
	src = rt_source_from_mem(a, "t.py", deep, strlen(deep));
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(py_lex(&t, a, src, 0, &err), RT_ELIMIT);
	assert_int_equal(err.loc.col, 201);
	assert_string_equal(err.message, "too many nested brackets (more than 200)");
	rt_error_clear(&err);
	rt_arena_free(a);
}

/*
 * PY_LEX_SKIP_BODIES: a def/class block becomes IN BODY DE, the body's span
 * ending at its last token (comments, blank lines and the continuation
 * backslash excluded), and everything around it is tokenized as usual.
 */
static void test_py_lex__skip_bodies(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	/* brackets and strings may cross column 0; comments at column 0 do not end it */
	assert_string_equal(SKIP(a, "def f():\n    a = (1,\n2)  # c\n\n# col0\n    b = '''\nx\n'''"
	                            " \\\n  + 1 # t\n\nx = 1\n"),
	                    "def f ( ) : NL IN BODY<a = (1,\n2)  # c\n\n# col0\n    b = '''\nx\n'''"
	                    " \\\n  + 1> DE x = 1 NL EOF");
	/* nested blocks, a class, async def, decorators, CRLF, the end of the text */
	assert_string_equal(SKIP(a, "@d(\n1)\nclass C(B):\r\n    def g(self):\r\n        pass\r\n"
	                            "async def h() -> 'x':\n  return f\"{x[\"k\"]}\"\n"
	                            "if x:\n    def i(): pass\n    def j():\n        y\nz"),
	                    "@ d ( 1 ) NL class C ( B ) : NL IN BODY<def g(self):\r\n        pass> "
	                    "DE async def h ( ) -> S'x' : NL IN BODY<return f\"{x[\"k\"]}\"> DE "
	                    "if x : NL IN def i ( ) : pass NL def j ( ) : NL IN BODY<y> DE DE "
	                    "z NL EOF");
	/* a header with its body on the line, or a block not indented: nothing skipped */
	assert_string_equal(SKIP(a, "def f(): return 1\nclass A: pass\n"),
	                    TOKS(a, "def f(): return 1\nclass A: pass\n"));
	assert_string_equal(SKIP(a, "def f():\nx\n"), TOKS(a, "def f():\nx\n"));
	/* unsure: tabs or a form feed in the indentation, an unterminated string or
	 * bracket, a stray backslash, a number run into a quote: tokenized as usual */
	static const char *const unsure[] = {
		"def f():\n\tx\n", "def f():\n    x\n \ty\n", "def f():\n    x\n\f    y\n",
		"def f():\n    x = 'a\n", "def f():\n    x = (1,\n", "def f():\n    x = 1 \\ y\n",
		"def f():\n    x = 0x1f'a'\n", "def f():\n    x)\n", "def f():\n    x\n    \\\n    y\n",
		"def f():\n    x = f'{'\n",
	};
	for (size_t i = 0; i < sizeof(unsure) / sizeof(unsure[0]); i++) {
		const char *t = unsure[i];
		size_t n = strlen(t);
		assert_string_equal(toks_flags(a, t, n, PY_LEX_SKIP_BODIES), toks(a, t, n));
		assert_null(strstr(toks_flags(a, t, n, PY_LEX_SKIP_BODIES), "BODY"));
	}
	/* after the block, indentation is checked as after a tokenized one */
	assert_string_equal(SKIP(a, "if x:\n    def f():\n        y\n  z\n"),
	                    "ERR 4:3: unindent does not match any outer indentation level");
	rt_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_py_lex__names_keywords_and_soft_keywords),
		cmocka_unit_test(test_py_lex__every_operator),
		cmocka_unit_test(test_py_lex__numbers),
		cmocka_unit_test(test_py_lex__string_prefixes_and_quotes),
		cmocka_unit_test(test_py_lex__escape_sequences),
		cmocka_unit_test(test_py_lex__line_joining),
		cmocka_unit_test(test_py_lex__indentation),
		cmocka_unit_test(test_py_lex__bom_crlf_and_encoding),
		cmocka_unit_test(test_py_lex__errors_say_what_was_opened_where),
		cmocka_unit_test(test_py_lex__fstrings),
		cmocka_unit_test(test_py_lex__fragment_and_nesting_cap),
		cmocka_unit_test(test_py_lex__skip_bodies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
