/*
 * Unit tests for the version-file reader (src/revfile/revfile.c): every
 * value form of reference/alembic.md §2.3 on the lab's real files and on
 * inline variants, the message rule, body SQL with its offset map, and the
 * header read (def/class blocks skipped) against the full read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "retort/revfile.h"
#include "py/pyparse.h"

static const char *fixtures = "tests/fixtures/py";

struct read {
	rt_revfile *rf;
	int rc;
	rt_diags diags;
};

static struct read *read_mem(rt_arena *a, const char *path, const char *text)
{
	struct read *r = rt_alloc(a, sizeof(*r));
	rt_diags_init(&r->diags, a);
	rt_source *src = rt_source_from_mem(a, path, text, strlen(text));
	r->rc = rt_revfile_read(&r->rf, a, src, &r->diags);
	return r;
}

static struct read *read_fixture(rt_arena *a, const char *name)
{
	struct read *r = rt_alloc(a, sizeof(*r));
	rt_diags_init(&r->diags, a);
	rt_error err = RT_ERROR_INIT;
	rt_source *src;
	if (rt_source_load(&src, a, rt_sprintf(a, "%s/../lab/%s", fixtures, name), &err) < 0)
		fail_msg("%s", err.message);
	r->rc = rt_revfile_read(&r->rf, a, src, &r->diags);
	return r;
}

static const char *join(rt_arena *a, const rt_strv *sv)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < sv->n; i++)
		rt_buf_printf(&b, "%s%s", i ? "," : "", sv->v[i]);
	char *s = rt_strdup(a, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

/* "line:col kind: message (hint)" for each diagnostic, one per line. */
static const char *diags(rt_arena *a, const rt_diags *d)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		const rt_diag *g = d->items[i];
		rt_buf_printf(&b, "%u:%u %s: %s (%s)\n", g->loc.line, g->loc.col, g->kind, g->message,
		              g->hint ? g->hint : "-");
	}
	char *s = rt_strdup(a, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

static void assert_meta(rt_arena *a, const struct read *r, const char *rev, const char *down,
                        const char *labels, const char *depends)
{
	if (r->rc != RT_OK)
		fail_msg("unexpected diagnostics:\n%s", diags(a, &r->diags));
	assert_string_equal(r->rf->revision, rev);
	assert_true(r->rf->has_down_revision);
	assert_string_equal(join(a, &r->rf->down), down);
	assert_string_equal(join(a, &r->rf->labels), labels);
	assert_string_equal(join(a, &r->rf->depends), depends);
}

/* The lab's `forms` project, exactly as Alembic 1.8.1 read it
 * (outputs/06_multibase_forms.txt). */
static void test_revfile__lab_forms(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	struct read *r = read_fixture(a, "forms/versions/f1.py"); /* annotated, bare-string label */
	assert_meta(a, r, "f1000000", "", "forms", "");
	assert_int_equal(r->rf->revision_loc.line, 14);
	assert_int_equal(r->rf->revision_loc.col, 17);
	assert_int_equal(r->rf->labels_loc.line, 16);
	assert_string_equal(r->rf->message, "annotated assignments (Alembic >= 1.11 template style)");
	assert_non_null(r->rf->upgrade);
	assert_non_null(r->rf->downgrade);

	r = read_fixture(a, "forms/versions/f2.py"); /* lists, raw + implicit concatenation */
	assert_meta(a, r, "f2000000", "f1000000", "lab_a,lab_b", "");
	r = read_fixture(a, "forms/versions/f3.py"); /* '' base, parenthesised, () and 1-tuple */
	assert_meta(a, r, "f3000000", "", "", "f2000000");
	assert_int_equal(r->rf->revision_loc.line, 7);
	r = read_fixture(a, "forms/versions/f4.py"); /* ';', header lies, label in depends_on */
	assert_meta(a, r, "f4000000", "f3000000,f2000000", "", "lab_a");
	assert_string_equal(r->rf->message, "docstring header deliberately wrong: Alembic ignores it");
	rt_arena_free(a);
}

/* Every .py of the lab reads cleanly, except the package marker. */
static void test_revfile__all_lab_files(void **state)
{
	(void)state;
	static const char *const files[] = {
		"ambig/versions/r1.py", "ambig/versions/r2.py", "ambig/versions/r3.py", "badforms/versions/b1.py",
		"branches/versions/a0000001_base.py", "branches/versions/b1000001_b1.py", "branches/versions/b2000002_b2.py",
		"branches/versions/c1000001_c1.py", "branches/versions/m0000001_merge.py", "cycle2/versions/r0.py", "cycle2/versions/r1.py",
		"cycle2/versions/r2.py", "cycle2/versions/r3.py", "cycle/versions/r1.py", "cycle/versions/r2.py", "ddl/versions/d01_types.py",
		"ddl/versions/d02_keys.py", "ddl/versions/d03_enums.py", "ddl/versions/d04_columns.py", "ddl/versions/d05_indexes.py",
		"ddl/versions/d06_constraints.py", "ddl/versions/d07_misc.py", "ddl/versions/d08_batch.py", "depcycle/versions/r0.py",
		"depcycle/versions/r1.py", "depcycle/versions/r2.py", "deploop/versions/r0.py", "deploop/versions/r1.py",
		"discovery/versions/r1_base.py", "discovery/versions/sub/r3_sub.py", "dup/versions/r1_base.py", "dup/versions/r2_a.py",
		"dup/versions/r2_b.py", "enumdrop/versions/e1.py", "execq/versions/q1.py", "execq/versions/q2.py", "execq/versions/q3.py",
		"execq/versions/q4.py", "labelup/versions/l1.py", "labelup/versions/l2.py", "labelup/versions/l3.py",
		"linear/versions/aaaa1111_first.py", "linear/versions/bbbb2222_second.py", "linear/versions/cccc3333_third.py",
		"missing/versions/r1_base.py", "missing/versions/r2.py", "multibase/versions/a1.py", "multibase/versions/a2.py",
		"multibase/versions/x1.py", "multibase/versions/x2.py", "multiloc/versions/r1_base.py", "rowcount/versions/w1.py",
		"rowcount/versions/w2.py", "selfloop/versions/r1.py", "sharedenum/versions/s1.py", "sharedenum/versions/s2.py",
		"tx/versions/t1_create.py", "tx/versions/t2_concurrent.py", "tx/versions/t3_maybe_fail.py",
	};
	rt_arena *a = rt_arena_new();
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct read *r = read_fixture(a, files[i]);
		if (r->rc != RT_OK || !r->rf->revision || !r->rf->upgrade || !r->rf->downgrade)
			fail_msg("%s:\n%s", files[i], diags(a, &r->diags));
	}
	struct read *r = read_fixture(a, "multibase/versions/x2.py");
	assert_meta(a, r, "x2000000", "x1000000", "", "a2000000");
	r = read_fixture(a, "branches/versions/m0000001_merge.py");
	assert_meta(a, r, "m0000001", "b2000002,c1000001", "", "");
	/* the package marker has no names: Alembic would fail on it too */
	r = read_fixture(a, "discovery/versions/__init__.py");
	assert_int_equal(r->rc, RT_ESYNTAX);
	assert_string_equal(diags(a, &r->diags),
	    "0:0 missing-revision: could not determine revision id from filename "
	    "'__init__.py' (declare revision = '<id>' at module level)\n"
	    "0:0 missing-down-revision: 'down_revision' is not defined (Alembic requires it: add "
	    "down_revision = None for a base revision, or the parent revision's id)\n");
	rt_arena_free(a);
}

static void test_revfile__value_forms(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_meta(a, read_mem(a, "v.py", "revision = 'a1'\ndown_revision = None\n"),
	            "a1", "", "", "");
	assert_meta(a, read_mem(a, "v.py",
	            "revision: str = \"a\" 'b' r'c'  # comment\ndown_revision: Union[str, None] = "
	            "('p1',)\nbranch_labels: Sequence[str] = ['x']\ndepends_on = ()\n"),
	            "abc", "p1", "x", "");
	assert_meta(a, read_mem(a, "v.py", "revision = u'a'; down_revision = ['p', 'q'];"
	            " branch_labels = ('l1', 'l2',)\ndepends_on = []\n"),
	            "a", "p,q", "l1,l2", "");
	/* chained, tuple unpacking, last assignment wins */
	assert_meta(a, read_mem(a, "v.py", "revision = 'old'\ndown_revision = depends_on = 'p'\n"
	            "revision, branch_labels = 'new', ''\n"),
	            "new", "p", "", "p");
	/* '' (and None, (), []) mean none; parenthesised and multi-line tuples */
	assert_meta(a, read_mem(a, "v.py", "revision = (\n    'r'\n)\ndown_revision = ''\n"
	            "depends_on = (\n 'd1',\n 'd2'\n)\n"),
	            "r", "", "", "d1,d2");
	/* names nested in def and class bodies are not module names */
	assert_meta(a, read_mem(a, "v.py", "revision = 'r'\ndown_revision = None\n"
	            "def f():\n    revision = g()\nclass C:\n    down_revision = 1\n"),
	            "r", "", "", "");
	rt_arena_free(a);
}

struct bad_case {
	const char *src;
	const char *want;
};

static void test_revfile__values_that_are_not_literals(void **state)
{
	(void)state;
	static const struct bad_case cases[] = {
		{ "revision = REV\ndown_revision = None\n",
		  "1:12 non-literal-value: 'revision' must be a string, not a name (version files are "
		  "read statically; write the value as a literal)\n" },
		{ "revision = 1234\ndown_revision = None\n",
		  "1:12 non-literal-value: 'revision' must be a string, not a number (version files "
		  "are read statically; write the value as a literal)\n" },
		{ "revision = f'{x}'\ndown_revision = None\n",
		  "1:12 non-literal-value: 'revision' must be a string, not an f-string (version "
		  "files are read statically; write the value as a literal)\n" },
		{ "revision = b'ab'\ndown_revision = None\n",
		  "1:12 non-literal-value: 'revision' must be a string, not a bytes literal (version "
		  "files are read statically; write the value as a literal)\n" },
		{ "revision = ''\ndown_revision = None\n",
		  "1:12 empty-revision: 'revision' is an empty string (set it to the id stored in "
		  "alembic_version, e.g. revision = 'ae1027a6acf')\n" },
		{ "revision = 'r'\ndown_revision = get_parent()\n",
		  "2:17 non-literal-value: 'down_revision' must be a string, a tuple or list of "
		  "strings, or None (version files are read statically; write the value as a "
		  "literal)\n" },
		{ "revision = 'r'\ndown_revision = None\ndepends_on = ('a', 42)\n",
		  "3:20 non-literal-value: 'depends_on' must be a string, a tuple or list of strings, "
		  "or None (version files are read statically; write the value as a literal)\n" },
		{ "revision = 'r'\ndown_revision = ('a', '')\n",
		  "2:23 empty-revision: 'down_revision' contains an empty string (use None, or an "
		  "empty tuple, for no value)\n" },
		{ "revision = 'r'\ndown_revision = None\nrevision += 'x'\n",
		  "3:1 non-literal-value: 'revision' is bound by an augmented assignment, which "
		  "retort cannot evaluate (version files are read statically; write the value as a "
		  "literal)\n" },
		{ "revision = 'r'\nif X:\n    down_revision = 'a'\nelse:\n    down_revision = None\n",
		  "3:5 non-literal-value: 'down_revision' is bound by an assignment inside a 'if' "
		  "block, which retort cannot evaluate (version files are read statically; write "
		  "the value as a literal)\n" },
		{ "from x import revision\ndown_revision = None\n",
		  "1:15 non-literal-value: 'revision' is bound by an import, which retort cannot "
		  "evaluate (version files are read statically; write the value as a literal)\n" },
		{ "revision = 'r'\n",
		  "0:0 missing-down-revision: 'down_revision' is not defined (Alembic requires it: "
		  "add down_revision = None for a base revision, or the parent revision's id)\n" },
		{ "down_revision = None\n",
		  "0:0 missing-revision: could not determine revision id from filename '_helper.py' "
		  "(declare revision = '<id>' at module level)\n" },
		{ "revision = 'r'\ndown_revision = (None\n",
		  "2:17 syntax-error: '(' opened at 2:17 was never closed (retort reads version files "
		  "as Python 3.12 source without running them; fix the syntax (python3 -m "
		  "py_compile shows it too))\n" },
	};
	rt_arena *a = rt_arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct read *r = read_mem(a, "versions/_helper.py", cases[i].src);
		assert_int_equal(r->rc, RT_ESYNTAX);
		const char *got = diags(a, &r->diags);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu:\n got:  %s want: %s", i, got, cases[i].want);
		if (r->diags.items[0]->loc.line)
			assert_string_equal(r->diags.items[0]->loc.path, "versions/_helper.py");
	}
	/* diagnostics name the revision when it is known */
	struct read *r = read_mem(a, "v.py", "revision = 'r9'\n");
	assert_string_equal(r->diags.items[0]->revision, "r9");
	rt_arena_free(a);
}

/* rebase rewrites down_revision's span: only a literal has one */
static void test_revfile__down_revision_span(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	struct read *r = read_mem(a, "v/x.py", "revision = 'b'\ndown_revision: str = 'a'  # p\n");
	assert_int_equal(r->rc, RT_OK);
	assert_int_equal(r->rf->down_len, 3);
	assert_memory_equal(r->rf->src->text + r->rf->down_off, "'a'", 3);
	r = read_mem(a, "v/x.py", "revision = 'b'\ndown_revision = ('a', PARENT)\n");
	assert_int_equal(r->rc, RT_ESYNTAX);
	assert_int_equal(r->rf->down_len, 0);
	r = read_mem(a, "v/x.py", "revision = 'b'\ndown_revision = PARENT\n");
	assert_int_equal(r->rf->down_len, 0);
	rt_arena_free(a);
}

static void test_revfile__legacy_filename_id(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	struct read *r = read_mem(a, "proj/versions/abcdef12.py", "down_revision = None\n");
	assert_int_equal(r->rc, RT_OK);
	assert_string_equal(r->rf->revision, "abcdef12");
	assert_int_equal(r->rf->revision_loc.line, 0);
	r = read_mem(a, "proj/versions/abcdef12_x.py", "down_revision = None\n");
	assert_int_equal(r->rc, RT_ESYNTAX);
	assert_null(r->rf->revision);
	r = read_mem(a, "ABCDEF12.py", "down_revision = None\n"); /* the rule is lower case */
	assert_int_equal(r->rc, RT_ESYNTAX);
	rt_arena_free(a);
}

static const char *message(rt_arena *a, const char *text)
{
	struct read *r = read_mem(a, "m.py", rt_sprintf(a, "%srevision = 'r'\ndown_revision = "
	                                              "None\n", text));
	assert_int_equal(r->rc, RT_OK);
	return r->rf->message;
}

/* Alembic's Script.doc: re.split("\n\n", __doc__.strip())[0] */
static void test_revfile__message_rule(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	assert_string_equal(message(a, "\"\"\"add users\n\nRevision ID: r\n\"\"\"\n"), "add users");
	assert_string_equal(message(a, "'''\n  two line\n  message\n\nbody'''\n"),
	                    "two line\n  message");
	assert_string_equal(message(a, "\"\"\"a\n   \nb\"\"\"\n"), "a\n   \nb");
	assert_string_equal(message(a, "'''\xc2\xa0 nbsp \xe3\x80\x80'''\n"), "nbsp");
	assert_string_equal(message(a, "\"\"\"crlf\r\n\r\nRevision ID: r\r\n\"\"\"\r\n"), "crlf");
	assert_string_equal(message(a, "'tab\\tescape' \" and more\"\n"), "tab\tescape and more");
	assert_string_equal(message(a, "'''   '''\n"), "");
	assert_null(message(a, ""));
	assert_null(message(a, "import x\n'''not first'''\n"));
	assert_null(message(a, "b'''bytes'''\n"));
	rt_arena_free(a);
}

/* Every field of the metadata, for comparing two reads of one file. */
static const char *meta_text(rt_arena *a, const rt_revfile *rf)
{
	if (!rf)
		return "(no file)";
	const rt_loc *locs[] = { &rf->revision_loc, &rf->down_loc, &rf->labels_loc,
	                         &rf->depends_loc };
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "rev=%s has_down=%d down=%s labels=%s depends=%s span=%u+%u\n",
	              rf->revision ? rf->revision : "-", rf->has_down_revision,
	              join(a, &rf->down), join(a, &rf->labels), join(a, &rf->depends),
	              rf->down_off, rf->down_len);
	for (size_t i = 0; i < 4; i++)
		rt_buf_printf(&b, "%s:%u:%u:%u+%u\n", locs[i]->path ? locs[i]->path : "-",
		              locs[i]->line, locs[i]->col, locs[i]->offset, locs[i]->len);
	rt_buf_printf(&b, "message=%s\ndoc=%s\n", rf->message ? rf->message : "-",
	              rf->doc ? rf->doc : "-");
	char *s = rt_strdup(a, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

/*
 * The header read gives what the full read gives (metadata, diagnostics,
 * return value) with no syntax tree, and nothing of it lives in the scratch
 * arena or the source: both are gone before it is compared (under ASan with
 * -Ddebug_arena=true a stale pointer is a use-after-free).
 */
static void test_revfile__header_read_matches_full_read(void **state)
{
	(void)state;
	static const char *const texts[] = {
		("\"\"\"msg line\n\nmore\"\"\"\nrevision = 'a1'\ndown_revision = ('p', 'q')\n"
		 "branch_labels = 'x'\ndepends_on = ['d']\ndef upgrade():\n    pass\n"),
		"revision = x\ndown_revision = f'{y}'\nbranch_labels = ('', )\n",
		"import revision\nif x:\n    down_revision = None\n",
		"down_revision = None\n",
		"revision = 'a'\ndown_revision = None\ndef upgrade(:\n    pass\n",
		"revision = 'a'\ndown_revision = None\ndef upgrade():\n    op.execute('x' 'y'\n",
		"revision = 'a'\ndown_revision = None\nbranch_labels = (1, 'b')\n",
	};
	static const char *const paths[] = { "v/a.py", "v/b.py", "v/c.py", "v/abc123.py",
	                                      "v/e.py", "v/f.py", "v/g.py" };
	rt_arena *a = rt_arena_new();
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct read *full = read_mem(a, paths[i], texts[i]);
		const char *want = meta_text(a, full->rf), *want_diags = diags(a, &full->diags);
		/* all but the first and the legacy-named file have problems */
		assert_true((full->diags.n > 0) == (i != 0 && i != 3));

		rt_arena *keep = rt_arena_new(), *scratch = rt_arena_new();
		rt_diags d;
		rt_diags_init(&d, keep);
		rt_source *src = rt_source_from_mem(scratch, paths[i], texts[i], strlen(texts[i]));
		src->path = paths[i];
		rt_revfile *rf;
		int rc = rt_revfile_read_header(&rf, keep, scratch, src, &d);
		rt_arena_free(scratch);
		assert_int_equal(rc, full->rc);
		assert_string_equal(meta_text(a, rf), want);
		assert_string_equal(diags(a, &d), want_diags);
		for (size_t k = 0; k < d.n; k++) {
			assert_string_equal(d.items[k]->loc.path, paths[i]);
			if (full->diags.items[k]->revision)
				assert_string_equal(d.items[k]->revision, full->diags.items[k]->revision);
			else
				assert_null(d.items[k]->revision);
		}
		if (rf) {
			assert_null(rf->src);
			assert_null(rf->module);
			assert_null(rf->upgrade);
			assert_null(rf->downgrade);
		}
		rt_arena_free(keep);

		/* read_both: the same header, and the whole parse while scratch lives */
		keep = rt_arena_new();
		scratch = rt_arena_new();
		rt_diags_init(&d, keep);
		src = rt_source_from_mem(scratch, paths[i], texts[i], strlen(texts[i]));
		rt_revfile *whole;
		assert_int_equal(rt_revfile_read_both(&rf, &whole, keep, scratch, src, &d), full->rc);
		assert_string_equal(diags(a, &d), want_diags);
		assert_true((whole == NULL) == (full->rf == NULL));
		assert_true((rf == NULL) == (full->rf == NULL));
		if (whole) {
			assert_ptr_equal(whole->src, src);
			assert_non_null(whole->module);
			assert_true((whole->upgrade == NULL) == (full->rf->upgrade == NULL));
			assert_string_equal(meta_text(a, whole), want);
			assert_string_equal(meta_text(a, rf), want);
		}
		rt_arena_free(scratch);
		rt_arena_free(keep);
	}
	rt_arena_free(a);
}

/* ---- the header read (blocks skipped) against the full read ---- */

/* "line:col+offset+len kind: message (hint)" for each diagnostic. */
static const char *diags_exact(rt_arena *a, const rt_diags *d)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		const rt_diag *g = d->items[i];
		rt_buf_printf(&b, "%u:%u+%u+%u %s: %s (%s) [%s]\n", g->loc.line, g->loc.col,
		              g->loc.offset, g->loc.len, g->kind, g->message, g->hint ? g->hint : "-",
		              g->revision ? g->revision : "-");
	}
	char *s = rt_strdup(a, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

/* Statement kinds and spans outside the skipped blocks must be the same;
 * a block that is empty in `fast` but not in `full` was skipped. */
static void same_stmts(const py_stmts *full, const py_stmts *fast, const char *path);

static void same_stmt(const py_stmt *f, const py_stmt *s, const char *path)
{
	if (f->kind != s->kind || f->off != s->off || f->len != s->len)
		fail_msg("%s: statement at %u+%u (kind %d) is %u+%u (kind %d) in the header read",
		         path, f->off, f->len, (int)f->kind, s->off, s->len, (int)s->kind);
	switch (f->kind) {
	case PY_S_IF:
	case PY_S_WHILE:
		same_stmts(&f->u.cond.body, &s->u.cond.body, path);
		same_stmts(&f->u.cond.orelse, &s->u.cond.orelse, path);
		break;
	case PY_S_FOR:
		same_stmts(&f->u.for_.body, &s->u.for_.body, path);
		same_stmts(&f->u.for_.orelse, &s->u.for_.orelse, path);
		break;
	case PY_S_WITH:
		same_stmts(&f->u.with.body, &s->u.with.body, path);
		break;
	case PY_S_TRY:
		same_stmts(&f->u.try_.body, &s->u.try_.body, path);
		for (size_t i = 0; i < f->u.try_.handlers.n; i++)
			same_stmts(&f->u.try_.handlers.v[i]->body, &s->u.try_.handlers.v[i]->body, path);
		same_stmts(&f->u.try_.orelse, &s->u.try_.orelse, path);
		same_stmts(&f->u.try_.finalbody, &s->u.try_.finalbody, path);
		break;
	case PY_S_MATCH:
		for (size_t i = 0; i < f->u.match.cases.n; i++)
			same_stmts(&f->u.match.cases.v[i]->body, &s->u.match.cases.v[i]->body, path);
		break;
	case PY_S_DEF:
		if (s->u.def.body.n)
			same_stmts(&f->u.def.body, &s->u.def.body, path);
		break;
	case PY_S_CLASS:
		if (s->u.class_.body.n)
			same_stmts(&f->u.class_.body, &s->u.class_.body, path);
		break;
	default:
		break;
	}
}

static void same_stmts(const py_stmts *full, const py_stmts *fast, const char *path)
{
	if (full->n != fast->n)
		fail_msg("%s: %zu statements in a block, %zu in the header read", path, full->n,
		         fast->n);
	for (size_t i = 0; i < full->n; i++)
		same_stmt(full->v[i], fast->v[i], path);
}

/* How many blocks the skipping tokenizer leaves unread in src (as far as
 * it gets), and whether offset `off` is inside one of them or at the token
 * after it (where "expected an indented block" after a block's last line
 * is reported). */
static int skipped_blocks(rt_arena *a, const rt_source *src, uint32_t off, bool *inside)
{
	py_tokens t;
	rt_error err = RT_ERROR_INIT;
	py_lex(&t, a, src, PY_LEX_SKIP_BODIES, &err); /* tokens up to an error are kept */
	rt_error_clear(&err);
	int n = 0;
	*inside = false;
	for (size_t i = 0; i < t.n; i++) {
		if (t.v[i].kind != PY_TK_BODY)
			continue;
		n++;
		uint32_t end = i + 1 < t.n ? t.v[i + 1].off : (uint32_t)src->len;
		if (off >= t.v[i].off && off <= end)
			*inside = true;
	}
	return n;
}

/*
 * Reads text both ways and requires the same metadata, locations,
 * diagnostics and return value, unless the full read's syntax error lies
 * inside a skipped block (returns -1: the one difference the header read
 * allows). Otherwise returns how many blocks the header read skipped.
 */
static int compare_reads(rt_arena *a, const char *path, const char *text, size_t len)
{
	rt_source *src = rt_source_from_mem(a, path, text, len);
	rt_diags full_d;
	rt_diags_init(&full_d, a);
	rt_revfile *full;
	int full_rc = rt_revfile_read(&full, a, src, &full_d);
	bool inside = false;
	int skipped = skipped_blocks(a, src, UINT32_MAX, &inside);
	for (size_t i = 0; i < full_d.n; i++) {
		const rt_diag *g = full_d.items[i];
		if (strcmp(g->kind, "syntax-error") == 0 || strcmp(g->kind, "limit") == 0) {
			skipped_blocks(a, src, g->loc.offset, &inside);
			if (inside)
				return -1;
		}
	}
	rt_arena *keep = rt_arena_new(), *scratch = rt_arena_new();
	rt_diags d;
	rt_diags_init(&d, keep);
	rt_source *copy = rt_source_from_mem(scratch, path, text, len);
	copy->path = path;
	rt_revfile *rf;
	int rc = rt_revfile_read_header(&rf, keep, scratch, copy, &d);
	rt_arena_free(scratch);
	if (rc != full_rc)
		fail_msg("%s: header read gives %d, full read %d:\n%s", path, rc, full_rc,
		         diags_exact(a, &full_d));
	const char *want = meta_text(a, full), *got = meta_text(a, rf);
	if (strcmp(want, got) != 0)
		fail_msg("%s: metadata differ:\n%s---\n%s", path, want, got);
	want = diags_exact(a, &full_d);
	got = diags_exact(a, &d);
	if (strcmp(want, got) != 0)
		fail_msg("%s: diagnostics differ:\n%s---\n%s", path, want, got);
	rt_arena_free(keep);

	/* and the module-level tree around the blocks */
	rt_error err = RT_ERROR_INIT;
	py_module *m_full, *m_fast;
	int r1 = py_parse_module(&m_full, a, src, 0, &err);
	rt_error_clear(&err);
	int r2 = py_parse_module(&m_fast, a, src, PY_LEX_SKIP_BODIES, &err);
	rt_error_clear(&err);
	assert_int_equal(r1, r2);
	if (r1 == RT_OK) {
		same_stmts(&m_full->body, &m_fast->body, path);
		assert_int_equal(m_full->skipped, 0);
		assert_int_equal(m_fast->skipped, skipped);
	}
	return skipped;
}

struct walk_counts {
	size_t files, skipped, excused;
};

static void compare_tree(rt_arena *a, const char *dir, struct walk_counts *c)
{
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s", dir);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		const char *path = rt_sprintf(a, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			compare_tree(a, path, c);
			continue;
		}
		size_t n = strlen(e->d_name);
		if (n < 3 || strcmp(e->d_name + n - 3, ".py") != 0)
			continue;
		rt_source *src;
		rt_error err = RT_ERROR_INIT;
		if (rt_source_load(&src, a, path, &err) < 0)
			fail_msg("%s", err.message);
		int k = compare_reads(a, path, src->text, src->len);
		c->files++;
		if (k < 0)
			c->excused++;
		else
			c->skipped += (size_t)k;
	}
	closedir(d);
}

/*
 * Every .py under tests/fixtures (lab, seeds, py corpus, translate
 * fixtures) and migrations-example reads the same with blocks skipped as
 * read whole, but for a syntax error inside a block.
 */
static void test_revfile__header_read_differential(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	struct walk_counts c = { 0 };
	compare_tree(a, rt_sprintf(a, "%s/..", fixtures), &c);
	compare_tree(a, rt_sprintf(a, "%s/../../../migrations-example", fixtures), &c);
	print_message("%zu files, %zu blocks skipped, %zu with a syntax error in a block\n",
	              c.files, c.skipped, c.excused);
	assert_true(c.files >= 300);
	assert_true(c.skipped >= c.files); /* upgrade() and downgrade() in most */
	rt_arena_free(a);
}

/* Hand-written cases: the header read equals the full read, and skips
 * (or, when unsure, does not skip) the expected number of blocks. */
static void test_revfile__header_read_tricky(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int skipped;
	} cases[] = {
		/* strings holding `def`, dedents and the names; all prefixes */
		{ "\"\"\"m\"\"\"\ndef upgrade():\n    op.execute('''\nrevision = 'x'\ndef f():\n''')\n"
		  "    x = rb'\\'' + Rb\"\"\"\n\"\"\" + u'' + br\"\\\\\" + F'''{x!r:>{w}}\n'''\n"
		  "revision = 'a'\ndown_revision = None\n", 1 },
		/* a dedent inside brackets, continuations, comments at column 0 */
		{ "def upgrade():\n    op.execute(\n'x'\n)\n# revision = 'no'\n    y = 1 + \\\n2\n"
		  "\n\n# c\nrevision = 'a'  # r\ndown_revision = 'b'\n", 1 },
		/* decorators, nested defs, class bodies, async def */
		{ "@dec(\n    1)\ndef upgrade():\n    def inner():\n        return 1\n    inner()\n"
		  "class A(B, metaclass=M):\n    revision = 'no'\n    def m(self):\n        pass\n"
		  "async def downgrade():\n    await x\nrevision = 'a'\ndown_revision = None\n", 3 },
		/* module-level code after the defs, if blocks binding the names */
		{ "def upgrade():\n    pass\nif x:\n    revision = 'a'\n    def f():\n        pass\n"
		  "else:\n    down_revision = None\ntry:\n    import y\nexcept E:\n    def g():\n"
		  "        h()\nbranch_labels = ('l',)\n", 3 },
		/* CRLF, no final newline */
		{ "revision = 'a'\r\ndown_revision = None\r\ndef upgrade():\r\n    op.f(1)\r\n\r\n"
		  "def downgrade():\r\n    pass", 2 },
		/* f-strings with nested quotes of the same kind (3.12) */
		{ "def upgrade():\n    op.execute(f\"{x[\"a\"]} {f'{y}'}\")\nrevision = 'a'\n"
		  "down_revision = None\n", 1 },
		/* names bound by def/class at module level, and by global in a body */
		{ "def revision():\n    global down_revision\n    down_revision = 'x'\n"
		  "class depends_on:\n    pass\ndown_revision = None\n", 2 },
		/* unsure: tabs, a form feed; one line; not indented */
		{ "revision = 'a'\ndown_revision = None\ndef upgrade():\n\tpass\n", 0 },
		{ "revision = 'a'\ndown_revision = None\ndef upgrade():\n    x\n\f    pass\n", 0 },
		{ "revision = 'a'\ndown_revision = None\ndef upgrade(): pass\n", 0 },
		{ "revision = 'a'\ndown_revision = None\ndef upgrade():\npass\n", 0 },
		/* errors outside the blocks are the same, with their places */
		{ "revision = 'a'\ndef upgrade():\n    x\ndown_revision = (\n", 1 },
		{ "revision = 'a'\ndown_revision = None\ndef upgrade():\n    x = 'unterminated\n", 0 },
		{ "revision = 1\ndef upgrade():\n    x\nbranch_labels = f()\n", 1 },
	};
	rt_arena *a = rt_arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = rt_sprintf(a, "v/case%zu.py", i);
		int k = compare_reads(a, path, cases[i].text, strlen(cases[i].text));
		if (k != cases[i].skipped)
			fail_msg("%s: %d blocks skipped, want %d", path, k, cases[i].skipped);
	}
	/* the allowed difference: a syntax error inside a block is not seen */
	const char *bad = "revision = 'a'\ndown_revision = None\ndef upgrade():\n    x = = 1\n";
	assert_int_equal(compare_reads(a, "v/bad.py", bad, strlen(bad)), -1);
	/* found by fuzz_pyparse: the full read's error is at the line after the block */
	const char *bad2 = "class T:\n    def f(self):\nx = 'a\n";
	assert_int_equal(compare_reads(a, "v/bad2.py", bad2, strlen(bad2)), -1);
	rt_arena *keep = rt_arena_new(), *scratch = rt_arena_new();
	rt_diags d;
	rt_diags_init(&d, keep);
	rt_revfile *rf;
	assert_int_equal(rt_revfile_read_header(&rf, keep, scratch,
	                                        rt_source_from_mem(scratch, "v/bad.py", bad,
	                                                           strlen(bad)), &d), RT_OK);
	assert_string_equal(rf->revision, "a");
	assert_int_equal(d.n, 0);
	rt_arena_free(scratch);
	rt_arena_free(keep);
	rt_arena_free(a);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		fixtures = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revfile__lab_forms),
		cmocka_unit_test(test_revfile__all_lab_files),
		cmocka_unit_test(test_revfile__value_forms),
		cmocka_unit_test(test_revfile__values_that_are_not_literals),
		cmocka_unit_test(test_revfile__down_revision_span),
		cmocka_unit_test(test_revfile__legacy_filename_id),
		cmocka_unit_test(test_revfile__message_rule),
		cmocka_unit_test(test_revfile__header_read_matches_full_read),
		cmocka_unit_test(test_revfile__header_read_differential),
		cmocka_unit_test(test_revfile__header_read_tricky),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
