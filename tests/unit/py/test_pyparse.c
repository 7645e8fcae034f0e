/*
 * Unit tests for the parser (src/py/pyparse.c, pyast.c). Whole-tree checks
 * compare with CPython 3.12: the fixtures' .ast files were printed by
 * pydump.py from CPython's own `ast`, and pydump.c prints ours the same way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "py/pyparse.h"
#include "pydump.h"

static const char *fixtures = "tests/fixtures/py";

static rt_source *mem(rt_arena *a, const char *text)
{
	return rt_source_from_mem(a, "t.py", text, strlen(text));
}

/* The dump of a module, or "ERR line:col: message". */
static const char *dump(rt_arena *a, const char *text)
{
	rt_error err = RT_ERROR_INIT;
	py_module *m;
	rt_buf b = RT_BUF_INIT;
	if (py_parse_module(&m, a, mem(a, text), 0, &err) < 0)
		rt_buf_printf(&b, "ERR %u:%u: %s", err.loc.line, err.loc.col, err.message);
	else
		py_dump_module(&b, m);
	rt_error_clear(&err);
	char *s = rt_strdup(a, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

static py_module *parse_ok(rt_arena *a, const char *text)
{
	rt_error err = RT_ERROR_INIT;
	py_module *m = NULL;
	int rc = py_parse_module(&m, a, mem(a, text), 0, &err);
	if (rc != RT_OK)
		fail_msg("parse failed: %u:%u: %s", err.loc.line, err.loc.col, err.message);
	rt_error_clear(&err);
	return m;
}

static const char *fixture_text(rt_arena *a, const char *name, rt_source **srcp)
{
	rt_error err = RT_ERROR_INIT;
	rt_source *src;
	const char *path = rt_sprintf(a, "%s/%s", fixtures, name);
	if (rt_source_load(&src, a, path, &err) < 0)
		fail_msg("cannot load %s: %s", path, err.message);
	if (srcp)
		*srcp = src;
	return src->text;
}

/* Parses fixture `py` and compares its dump with the text `expected`,
 * reporting the first differing statement line. */
static void assert_matches_cpython(rt_arena *a, const char *py, const char *expected)
{
	rt_source *src;
	fixture_text(a, py, &src);
	rt_error err = RT_ERROR_INIT;
	py_module *m;
	if (py_parse_module(&m, a, src, 0, &err) < 0)
		fail_msg("%s:%u:%u: %s", py, err.loc.line, err.loc.col, err.message);
	rt_buf b = RT_BUF_INIT;
	py_dump_module(&b, m);
	const char *got = rt_buf_cstr(&b);
	size_t line = 1;
	for (size_t i = 0; got[i] || expected[i]; i++) {
		if (got[i] != expected[i]) {
			const char *g = got + i, *e = expected + i;
			while (g > got && g[-1] != '\n')
				g--;
			while (e > expected && e[-1] != '\n')
				e--;
			fail_msg("%s: statement line %zu differs from CPython\n ours: %.300s\n"
			         "cpython: %.300s", py, line, g, e);
		}
		if (got[i] == '\n')
			line++;
	}
	rt_buf_release(&b);
}

static void test_py_parse__grammar_matches_cpython(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_matches_cpython(a, "grammar.py", fixture_text(a, "grammar.ast", NULL));
	rt_arena_free(a);
}

static void test_py_parse__realistic_module_matches_cpython(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_matches_cpython(a, "realistic_module.py",
	                       fixture_text(a, "realistic_module.ast", NULL));
	rt_arena_free(a);
}

/* lab.ast holds "== project/versions/file.py" headers (files of tests/fixtures/lab),
 * each followed by that file's dump. */
static void test_py_parse__lab_version_files_match_cpython(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *all = fixture_text(a, "lab.ast", NULL);
	size_t files = 0;
	for (const char *h = strstr(all, "== "); h; files++) {
		const char *name_end = strchr(h, '\n');
		const char *body = name_end + 1;
		const char *next = strncmp(body, "== ", 3) == 0 ? body - 1 : strstr(body, "\n== ");
		const char *end = next ? next + 1 : body + strlen(body);
		const char *name = rt_strndup(a, h + 3, (size_t)(name_end - h - 3));
		assert_matches_cpython(a, rt_sprintf(a, "../lab/%s", name),
		                       rt_strndup(a, body, (size_t)(end - body)));
		h = next ? next + 1 : NULL;
	}
	assert_int_equal(files, 64);
	rt_arena_free(a);
}

static void test_py_parse__precedence_and_associativity(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_string_equal(dump(a, "a + b * c ** -d ** e\n"), "(+ a (* b (** c (u- (** d e)))))\n");
	assert_string_equal(dump(a, "a - b - c\n"), "(- (- a b) c)\n");
	assert_string_equal(dump(a, "not a == b or c and d\n"),
	                    "(or [(unot (cmp a == b)) (and [c d])])\n");
	assert_string_equal(dump(a, "a if b else c if d else e\n"),
	                    "(ifexp b a (ifexp d c e))\n");
	assert_string_equal(dump(a, "lambda x: x | y & z ^ w\n"),
	                    "(lambda [(arg x _ _)] (| x (^ (& y z) w)))\n");
	assert_string_equal(dump(a, "a not in b is not c\n"), "(cmp a notin b isnot c)\n");
	assert_string_equal(dump(a, "x = y = *a, b\n"), "(= [x y] (tuple [(* a) b]))\n");
	rt_arena_free(a);
}

static void test_py_parse__soft_keywords_stay_names(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_string_equal(dump(a, "match = case = type = _ = 1\n"), "(= [match case type _] N)\n");
	assert_string_equal(dump(a, "match(x)\n"), "(call match [x] [])\n");
	assert_string_equal(dump(a, "match[x]: int = 1\n"), "(ann (sub match x) int N)\n");
	assert_string_equal(dump(a, "match x:\n    case 1: pass\n"),
	                    "(match x (case (value N) _ [pass]))\n");
	assert_string_equal(dump(a, "type(x)\ntype X = int\n"),
	                    "(call type [x] [])\n(type X [] int)\n");
	rt_arena_free(a);
}

static void test_py_parse__string_value_and_offset_map(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	/*                        0123456 789012345678 9012 */
	const char *text = "x = 'a\\x41' r\"\\d\" '''\r\nz'''\n";
	py_module *m = parse_ok(a, text);
	const py_expr *e = m->body.v[0]->u.assign.value;
	assert_int_equal(e->kind, PY_E_STR);
	const py_str *s = &e->u.str;
	assert_int_equal(s->len, 6);
	assert_memory_equal(s->value, "aA\\d\nz", 6);
	assert_false(s->is_bytes);
	assert_int_equal(s->nparts, 3);
	assert_int_equal(s->parts[1].flags & PY_STR_RAW, PY_STR_RAW);
	assert_int_equal(s->parts[2].flags & PY_STR_TRIPLE, PY_STR_TRIPLE);
	assert_int_equal(s->parts[1].value_off, 2);
	/* each decoded byte back to its source byte */
	assert_int_equal(py_str_src_offset(s, 0), 5);   /* a */
	assert_int_equal(py_str_src_offset(s, 1), 6);   /* \x41 -> its backslash */
	assert_int_equal(py_str_src_offset(s, 2), 14);  /* raw \ */
	assert_int_equal(py_str_src_offset(s, 3), 15);  /* d */
	assert_int_equal(py_str_src_offset(s, 4), 22);  /* CRLF -> the LF */
	assert_int_equal(py_str_src_offset(s, 5), 23);  /* z */
	assert_int_equal(e->off, 4);
	assert_int_equal(e->len, strlen(text) - 1 - 4);

	/* a statement made of value bytes [2, 6) maps through the same segments */
	rt_stmt st = { .sql = "\\d\nz", .len = 4, .src = m->src };
	py_str_add_segs(a, &st, s, 2, 4, 0);
	size_t pos;
	assert_true(rt_stmt_src_offset(&st, 0, &pos));
	assert_int_equal(pos, 14);
	assert_true(rt_stmt_src_offset(&st, 3, &pos));
	assert_int_equal(pos, 23);
	rt_loc loc = rt_stmt_loc(&st, 3);
	assert_int_equal(loc.line, 2);
	assert_int_equal(loc.col, 1);

	e = parse_ok(a, "b'\\xff\\x00' B'!'\n")->body.v[0]->u.expr.value;
	assert_true(e->u.str.is_bytes);
	assert_int_equal(e->u.str.len, 3);
	assert_memory_equal(e->u.str.value, "\xff\0!", 3);

	e = parse_ok(a, "'\\N{EM DASH}\\u00e9\\101\\q'\n")->body.v[0]->u.expr.value;
	assert_string_equal(e->u.str.value, "\\N{EM DASH}\xc3\xa9" "A\\q");
	rt_arena_free(a);
}

static void test_py_parse__fstring_pieces_and_fields(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	py_module *m = parse_ok(a, "f'a{b!r:>{w}}c{{d}}' 'e'\n");
	const py_expr *f = m->body.v[0]->u.expr.value;
	assert_int_equal(f->kind, PY_E_FSTR);
	assert_int_equal(f->u.fstr.values.n, 4);
	const py_expr *const *v = (const py_expr *const *)f->u.fstr.values.v;
	assert_int_equal(v[0]->kind, PY_E_STR);
	assert_string_equal(v[0]->u.str.value, "a");
	assert_int_equal(v[1]->kind, PY_E_FIELD);
	assert_string_equal(v[1]->u.field.value->u.name.id, "b");
	assert_int_equal(v[1]->u.field.conversion, 'r');
	const py_expr *spec = v[1]->u.field.spec;
	assert_non_null(spec);
	assert_int_equal(spec->u.fstr.values.n, 2);
	assert_string_equal(spec->u.fstr.values.v[0]->u.str.value, ">");
	assert_string_equal(spec->u.fstr.values.v[1]->u.field.value->u.name.id, "w");
	assert_string_equal(v[2]->u.str.value, "c{d}");
	assert_int_equal(py_str_src_offset(&v[2]->u.str, 1), 14); /* first brace of "{{" */
	assert_string_equal(v[3]->u.str.value, "e");
	/* the field expression keeps its position in the file */
	assert_int_equal(v[1]->u.field.value->off, 4);
	assert_int_equal(v[1]->off, 3);

	/* PEP 701: same quotes and nesting inside fields; comments in fields */
	assert_string_equal(dump(a, "f\"{x[\"k\"]!s}\" f'{f\"{1}\"}'\n"),
	                    "(F (V (sub x '6b') s _) (V (F (V N _ _)) _ _))\n");
	assert_string_equal(dump(a, "f'''{x # c\n}'''\n"), "(F (V x _ _))\n");
	assert_string_equal(dump(a, "f'{x=}' f'{x=:>3}'\n"), "(F (V x r _) (V x _ (F)))\n");
	f = parse_ok(a, "f'{a + 1 = }'\n")->body.v[0]->u.expr.value;
	assert_int_equal(f->u.fstr.values.n, 2);
	assert_string_equal(f->u.fstr.values.v[0]->u.str.value, "a + 1 = ");
	rt_arena_free(a);
}

static void test_py_parse__spans_and_docstring(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *text = "'''doc'''\n\ndef f():\n\tx = \"é\" + g(1,\n\t\t2)\n";
	py_module *m = parse_ok(a, text);
	assert_non_null(m->docstring);
	assert_string_equal(m->docstring->u.str.value, "doc");
	const py_stmt *def = m->body.v[1];
	assert_int_equal(def->kind, PY_S_DEF);
	rt_loc loc = py_loc(m->src, def->off, def->len);
	assert_int_equal(loc.line, 3);
	assert_int_equal(def->off + def->len, strlen(text) - 1);
	const py_expr *call = def->u.def.body.v[0]->u.assign.value->u.binary.right;
	assert_int_equal(call->kind, PY_E_CALL);
	loc = py_loc(m->src, call->off, call->len);
	assert_int_equal(loc.line, 4);
	assert_int_equal(loc.col, 12); /* code points: tab, x, ' ', =, ' ', "é", ... */
	assert_int_equal(call->len, strlen("g(1,\n\t\t2)"));
	assert_string_equal(py_dotted_name(a, parse_ok(a, "a.b.c\n")->body.v[0]->u.expr.value),
	                    "a.b.c");

	assert_null(parse_ok(a, "b'bytes'\n")->docstring);
	assert_null(parse_ok(a, "f'{x}'\n")->docstring);
	assert_null(parse_ok(a, "x = 1\n'late'\n")->docstring);
	assert_non_null(parse_ok(a, "('paren' 'cat')\n")->docstring);
	rt_arena_free(a);
}

static const struct {
	const char *src;
	const char *want; /* "line:col: message" */
} bad[] = {
	{ "x = (1,\n", "1:5: '(' opened at 1:5 was never closed" },
	{ "if x\n    pass\n", "1:5: expected ':' but found end of line" },
	{ "if x:\npass\n", "2:1: expected an indented block after 'if' on line 1" },
	{ "x = 1\n  y = 2\n", "2:3: unexpected indent" },
	{ "f() = 1\n", "1:1: cannot assign to a function call" },
	{ "a + 1 += 2\n", "1:1: cannot use augmented assignment on an expression" },
	{ "x, y: int\n", "1:1: only single target (not tuple) can be annotated" },
	{ "f(a=1, b)\n", "1:8: positional argument follows keyword argument" },
	{ "f(x for x in y, 1)\n", "1:3: generator expression must be parenthesized" },
	{ "def f(a=1, b): pass\n", "1:12: parameter without a default follows parameter with "
	                           "a default" },
	{ "def f(*): pass\n", "1:8: named arguments must follow bare *" },
	{ "lambda: (yield)\nx = 1 if 2\n", "2:11: expected 'else' after 'if' expression but "
	                                    "found end of line" },
	{ "try:\n    pass\nx = 1\n", "3:1: expected 'except' or 'finally' block but found 'x'" },
	{ "try:\n    pass\nexcept A:\n    pass\nexcept* B:\n    pass\n",
	  "5:1: cannot have both 'except' and 'except*' on the same 'try'" },
	{ "except A, B:\n", "1:1: expected an expression but found 'except'" },
	{ "from a import b,\n", "1:16: trailing comma not allowed without surrounding "
	                        "parentheses" },
	{ "x = 1 2\n", "1:7: expected end of statement but found '2'" },
	{ "print 'hello'\n", "1:7: expected end of statement but found ''hello''" },
	{ "x = 'a' b'b'\n", "1:9: cannot mix bytes and nonbytes literals" },
	{ "x = f'{}'\n", "1:7: f-string: valid expression required before '}'" },
	{ "x = f'{a b}'\n", "1:10: expected '}' closing the f-string field but found 'b'" },
	{ "x = '\\x4'\n", "1:6: truncated \\xXX escape" },
	{ "@dec\nx = 1\n", "2:1: expected 'def' or 'class' after decorators but found 'x'" },
	{ "match x:\n    case 1 as 2: pass\n", "2:15: expected a name after 'as' but found '2'" },
	{ "async x = 1\n", "1:7: expected 'def', 'for' or 'with' after 'async' but found 'x'" },
	{ "[x for x in y\n", "1:1: '[' opened at 1:1 was never closed" },
	{ "x = 1 $ 2\n", "1:7: invalid character '$' (U+0024)" },
	{ "if 1:\n  a\n b\n", "3:2: unindent does not match any outer indentation level" },
	{ "x = (a for *b in c)\n", "1:12: starred assignment target must be in a list or tuple" },
};

static void test_py_parse__syntax_errors_are_located(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *got = dump(a, bad[i].src);
		const char *want = rt_sprintf(a, "ERR %s", bad[i].want);
		if (strcmp(got, want) != 0)
			fail_msg("case %zu: %s\n  got:  %s\n  want: %s", i, bad[i].src, got, want);
	}
	rt_arena_free(a);
}

/* Source made of `prefix` n times, then `mid`, then `suffix` n times. */
static const char *repeat(rt_arena *a, const char *prefix, size_t n, const char *mid,
                          const char *suffix)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		rt_buf_puts(&b, prefix);
	rt_buf_puts(&b, mid);
	for (size_t i = 0; i < n; i++)
		rt_buf_puts(&b, suffix);
	rt_buf_putc(&b, '\n');
	char *s = rt_strdup(a, b.ptr);
	rt_buf_release(&b);
	return s;
}

static void assert_limit(rt_arena *a, const char *text)
{
	rt_error err = RT_ERROR_INIT;
	py_module *m;
	assert_int_equal(py_parse_module(&m, a, mem(a, text), 0, &err), RT_ELIMIT);
	assert_null(m);
	assert_non_null(strstr(err.message, "200"));
	rt_error_clear(&err);
}

static void test_py_parse__nesting_is_capped(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_limit(a, repeat(a, "(", 5000, "x", ")"));
	assert_limit(a, repeat(a, "-", 100000, "x", ""));
	assert_limit(a, repeat(a, "not ", 5000, "x", ""));
	assert_limit(a, repeat(a, "x**", 5000, "x", ""));
	assert_limit(a, repeat(a, "lambda: ", 5000, "x", ""));
	assert_limit(a, repeat(a, "x if y else ", 5000, "x", ""));
	assert_limit(a, repeat(a, "f'{", 300, "x", "}'"));
	/* indentation: 250 nested ifs */
	rt_buf b = RT_BUF_INIT;
	for (int i = 0; i < 250; i++) {
		for (int k = 0; k < i; k++)
			rt_buf_putc(&b, ' ');
		rt_buf_puts(&b, "if x:\n");
	}
	rt_buf_puts(&b, "  pass\n");
	assert_limit(a, rt_strdup(a, b.ptr));
	rt_buf_release(&b);
	/* within the cap, and long flat constructs, are fine */
	parse_ok(a, repeat(a, "(", 60, "x", ")"));
	parse_ok(a, repeat(a, "a.b", 20000, "", ""));
	parse_ok(a, repeat(a, "x + ", 20000, "x", ""));
	parse_ok(a, repeat(a, "if x: pass\nelif y: pass\n", 1, "", ""));
	rt_buf_puts(&b, "if x: pass\n");
	for (int i = 0; i < 5000; i++)
		rt_buf_puts(&b, "elif x: pass\n");
	parse_ok(a, rt_strdup(a, b.ptr));
	rt_buf_release(&b);
	rt_arena_free(a);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		fixtures = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_py_parse__grammar_matches_cpython),
		cmocka_unit_test(test_py_parse__realistic_module_matches_cpython),
		cmocka_unit_test(test_py_parse__lab_version_files_match_cpython),
		cmocka_unit_test(test_py_parse__precedence_and_associativity),
		cmocka_unit_test(test_py_parse__soft_keywords_stay_names),
		cmocka_unit_test(test_py_parse__string_value_and_offset_map),
		cmocka_unit_test(test_py_parse__fstring_pieces_and_fields),
		cmocka_unit_test(test_py_parse__spans_and_docstring),
		cmocka_unit_test(test_py_parse__syntax_errors_are_located),
		cmocka_unit_test(test_py_parse__nesting_is_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
