/*
 * Sidecar and standalone .sql files: header fields and section markers,
 * read line by line (a marker is recognised on any line, even one inside a
 * string literal). Strict: every misspelling is an error with a
 * suggestion, because a silently ignored marker or header changes what runs.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "retort/sqlfile.h"
#include "retort/sqlsplit.h"

static const char *const header_keys[] = { "revision", "down_revision", "message",
                                           "branch_labels", "depends_on" };
enum { KEY_REVISION, KEY_DOWN, KEY_MESSAGE, KEY_LABELS, KEY_DEPENDS, NKEYS };

static const char *const directions[] = { "upgrade", "downgrade" };

typedef struct parser {
	rt_arena *arena;
	rt_diags *diags;
	const rt_source *src;
	const char *text;
	rt_sqlfile *sf;
	uint32_t key_line[NKEYS]; /* line of the first occurrence, 0 = not seen */
	size_t errors;
} parser;

static void error_at(parser *ps, size_t off, size_t len, const char *hint, const char *fmt,
                     ...) RT_PRINTF(5, 6);
static void error_at(parser *ps, size_t off, size_t len, const char *hint, const char *fmt, ...)
{
	rt_loc loc = rt_source_loc(ps->src, off, len);
	va_list ap;
	va_start(ap, fmt);
	char *msg = rt_vsprintf(ps->arena, fmt, ap);
	va_end(ap);
	rt_diags_add(ps->diags, RT_SEV_ERROR, "sql-syntax", &loc, hint, "%s", msg);
	ps->errors++;
}

/* Optimal string alignment distance, case-insensitive; large for long words. */
static unsigned distance(const char *a, size_t na, const char *b)
{
	enum { MAXW = 32 };
	size_t nb = strlen(b);
	if (na > MAXW || nb > MAXW)
		return 100;
	unsigned d[MAXW + 1][MAXW + 1];
	for (size_t i = 0; i <= na; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= na; i++) {
		for (size_t j = 1; j <= nb; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			unsigned best = d[i - 1][j - 1] + (ca != cb);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[na][nb];
}

/* The candidate closest to word within maxd edits, or NULL. */
static const char *suggest(const char *word, size_t n, const char *const *cands, size_t ncands,
                           unsigned maxd)
{
	const char *best = NULL;
	unsigned bestd = maxd + 1;
	for (size_t i = 0; i < ncands; i++) {
		unsigned d = distance(word, n, cands[i]);
		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	return best;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static size_t skip_blanks(const char *t, size_t p, size_t e)
{
	while (p < e && is_blank(t[p]))
		p++;
	return p;
}

static size_t trim_end(const char *t, size_t p, size_t e)
{
	while (e > p && is_blank(t[e - 1]))
		e--;
	return e;
}

/* [A-Za-z0-9_-]* from p */
static size_t scan_word(const char *t, size_t p, size_t e)
{
	while (p < e && (isalnum((unsigned char)t[p]) || t[p] == '_' || t[p] == '-'))
		p++;
	return p;
}

/*
 * A line of the form `-- <word> :` (blanks optional): sets the word's span
 * and the offset after the colon. Header fields and markers both look so.
 */
static bool comment_key(const char *t, size_t p, size_t e, size_t *ks, size_t *ke, size_t *after)
{
	p = skip_blanks(t, p, e);
	if (e - p < 2 || t[p] != '-' || t[p + 1] != '-')
		return false;
	p = skip_blanks(t, p + 2, e);
	if (p == e || !(isalpha((unsigned char)t[p]) || t[p] == '_'))
		return false;
	*ks = p;
	*ke = scan_word(t, p, e);
	size_t c = skip_blanks(t, *ke, e);
	if (c == e || t[c] != ':')
		return false;
	*after = c + 1;
	return true;
}

static void add_section(parser *ps, rt_direction dir, bool notx, size_t line_off, size_t body)
{
	rt_sqlfile *sf = ps->sf;
	sf->sections = rt_realloc_array(ps->arena, sf->sections, sf->nsections, sf->nsections + 1,
	                                sizeof(*sf->sections));
	rt_sqlsection *s = &sf->sections[sf->nsections++];
	s->dir = dir;
	s->no_transaction = notx;
	s->loc = rt_source_loc(ps->src, line_off, 0);
	s->offset = body;
}

/*
 * marker  := '--' blanks 'retort' blanks ':' blanks direction { blanks option }
 * direction := 'upgrade' | 'downgrade'      option := 'no-transaction'
 * Returns false when the line is not a marker at all. An invalid marker
 * still ends the previous section (and opens none).
 */
static bool parse_marker(parser *ps, size_t ls, size_t le, size_t body)
{
	const char *t = ps->text;
	size_t ks, ke, p;
	if (!comment_key(t, ls, le, &ks, &ke, &p))
		return false;
	size_t ds = skip_blanks(t, p, le), de = scan_word(t, ds, le);
	bool exact = ke - ks == 6 && strncasecmp(t + ks, "retort", 6) == 0;
	if (!exact) {
		/* `-- retrot:upgrade`: a misspelt prefix before a direction */
		if (ke - ks < 4 || distance(t + ks, ke - ks, "retort") > 2 ||
		    !suggest(t + ds, de - ds, directions, 2, 2))
			return false;
		error_at(ps, ks, ke - ks, "write markers as '-- retort:upgrade' or '-- retort:downgrade'",
		         "unknown marker prefix '%.*s:'", (int)(ke - ks), t + ks);
		return true;
	}
	if (strncmp(t + ks, "retort", 6) != 0) {
		error_at(ps, ks, 6, "write 'retort' in lower case", "marker prefix '%.*s:' is not lower case",
		         6, t + ks);
		return true;
	}
	rt_direction dir;
	if (de - ds == 7 && strncmp(t + ds, "upgrade", 7) == 0) {
		dir = RT_UPGRADE;
	} else if (de - ds == 9 && strncmp(t + ds, "downgrade", 9) == 0) {
		dir = RT_DOWNGRADE;
	} else if (de == ds) {
		error_at(ps, ds, 0, "write '-- retort:upgrade' or '-- retort:downgrade'",
		         "marker '-- retort:' names no section");
		return true;
	} else {
		const char *s = suggest(t + ds, de - ds, directions, 2, 3);
		error_at(ps, ds, de - ds,
		         s ? rt_sprintf(ps->arena, "did you mean '-- retort:%s'?", s)
		           : "markers are '-- retort:upgrade' and '-- retort:downgrade'",
		         "unknown marker 'retort:%.*s'", (int)(de - ds), t + ds);
		return true;
	}
	bool notx = false, ok = true;
	for (size_t os = skip_blanks(t, de, le); os < le; os = skip_blanks(t, os, le)) {
		size_t oe = os;
		while (oe < le && !is_blank(t[oe]))
			oe++;
		if (oe - os == 14 && strncmp(t + os, "no-transaction", 14) == 0) {
			if (notx) {
				error_at(ps, os, oe - os, "write it once", "option 'no-transaction' repeated");
				ok = false;
			}
			notx = true;
		} else {
			static const char *const opts[] = { "no-transaction" };
			const char *s = suggest(t + os, oe - os, opts, 1, 3);
			error_at(ps, os, oe - os,
			         s ? "did you mean 'no-transaction'?"
			           : "the only marker option is 'no-transaction'",
			         "unknown marker option '%.*s'", (int)(oe - os), t + os);
			return true; /* one error per marker line */
		}
		os = oe;
	}
	if (ok)
		add_section(ps, dir, notx, ls, body);
	return true;
}

static bool bad_id_char(char c)
{
	return is_blank(c) || strchr("'\"()[],", c) != NULL;
}

/* One id of a header value: no blanks, quotes, brackets or commas. */
static bool check_id(parser *ps, const char *key, size_t s, size_t e)
{
	for (size_t i = s; i < e; i++) {
		if (bad_id_char(ps->text[i])) {
			error_at(ps, s, e - s, "write ids bare, separated by commas: '-- down_revision: a1, b2'",
			         "invalid id '%.*s' in '%s'", (int)(e - s), ps->text + s, key);
			return false;
		}
	}
	return true;
}

/* value := 'None' | id { ',' id }  (None and the empty list both mean none) */
static void parse_list(parser *ps, const char *key, size_t vs, size_t ve, rt_strv *out,
                       bool *ok)
{
	const char *t = ps->text;
	if (ve == vs) {
		error_at(ps, vs, 0, "write None for none, or leave the line out", "'%s' has no value",
		         key);
		*ok = false;
		return;
	}
	if (ve - vs == 4 && strncmp(t + vs, "None", 4) == 0)
		return;
	for (size_t p = vs; p <= ve;) {
		size_t c = p;
		while (c < ve && t[c] != ',')
			c++;
		size_t s = skip_blanks(t, p, c), e = trim_end(t, s, c);
		if (s == e) {
			error_at(ps, s, 0, "remove the extra comma", "empty entry in '%s'", key);
			*ok = false;
		} else if (!check_id(ps, key, s, e)) {
			*ok = false;
		} else {
			rt_strv_push(ps->arena, out, rt_strndup(ps->arena, t + s, e - s));
		}
		p = c + 1;
	}
}

/* A `-- key: value` line before the first marker of a standalone file. */
static void header_field(parser *ps, size_t ls, size_t ks, size_t ke, size_t vs, size_t ve,
                         bool *ok)
{
	const char *t = ps->text;
	rt_sqlfile *sf = ps->sf;
	int key = -1;
	for (int i = 0; i < NKEYS; i++)
		if (strlen(header_keys[i]) == ke - ks && strncmp(t + ks, header_keys[i], ke - ks) == 0)
			key = i;
	if (key < 0) {
		const char *s = suggest(t + ks, ke - ks, header_keys, NKEYS, 3);
		error_at(ps, ks, ke - ks,
		         s ? rt_sprintf(ps->arena, "did you mean '%s'?", s)
		           : "header fields are revision, down_revision, message, branch_labels and "
		             "depends_on; put other comments after the first marker or drop the ':'",
		         "unknown header field '%.*s'", (int)(ke - ks), t + ks);
		*ok = false;
		return;
	}
	rt_loc loc = rt_source_loc(ps->src, ls, 0);
	if (ps->key_line[key]) {
		error_at(ps, ks, ke - ks,
		         rt_sprintf(ps->arena, "it is first set on line %u; keep one", ps->key_line[key]),
		         "duplicate header field '%s'", header_keys[key]);
		*ok = false;
		return;
	}
	ps->key_line[key] = loc.line;
	vs = skip_blanks(t, vs, ve);
	ve = trim_end(t, vs, ve);
	switch (key) {
	case KEY_REVISION:
		sf->revision_loc = loc;
		if (ve == vs || (ve - vs == 4 && strncmp(t + vs, "None", 4) == 0)) {
			error_at(ps, vs, ve - vs, "write the revision id, e.g. '-- revision: 3f2a1b9c0d4e'",
			         "'revision' needs an id");
			*ok = false;
		} else if (memchr(t + vs, ',', ve - vs)) {
			error_at(ps, vs, ve - vs, "a revision has one id; parents go in 'down_revision'",
			         "'revision' must be a single id");
			*ok = false;
		} else if (check_id(ps, "revision", vs, ve)) {
			sf->revision = rt_strndup(ps->arena, t + vs, ve - vs);
		} else {
			*ok = false;
		}
		break;
	case KEY_DOWN:
		sf->down_loc = loc;
		sf->has_down_revision = true;
		parse_list(ps, "down_revision", vs, ve, &sf->down, ok);
		break;
	case KEY_LABELS:
		sf->labels_loc = loc;
		parse_list(ps, "branch_labels", vs, ve, &sf->labels, ok);
		break;
	case KEY_DEPENDS:
		sf->depends_loc = loc;
		parse_list(ps, "depends_on", vs, ve, &sf->depends, ok);
		break;
	default:
		if (ve > vs)
			sf->message = rt_strndup(ps->arena, t + vs, ve - vs);
		break;
	}
}

/* Text before the first marker: blank lines, `--` comments, header fields. */
static void preamble_line(parser *ps, size_t ls, size_t le, bool *reported, bool *header_ok)
{
	const char *t = ps->text;
	size_t p = skip_blanks(t, ls, le);
	if (p == le)
		return;
	size_t ks, ke, after;
	if (comment_key(t, ls, le, &ks, &ke, &after)) {
		if (ps->sf->kind == RT_SQLFILE_STANDALONE) {
			header_field(ps, ls, ks, ke, after, le, header_ok);
			return;
		}
		for (int i = 0; i < NKEYS; i++) {
			if (strlen(header_keys[i]) == ke - ks &&
			    strncmp(t + ks, header_keys[i], ke - ks) == 0) {
				error_at(ps, ks, ke - ks,
				         "a sidecar's metadata comes from its version file; remove this line",
				         "sidecar '%s' cannot set '%s'", ps->src->path, header_keys[i]);
				return;
			}
		}
		return;
	}
	if (le - p >= 2 && t[p] == '-' && t[p + 1] == '-')
		return;
	if (!*reported) {
		error_at(ps, p, le - p,
		         "start a section above it with '-- retort:upgrade' or '-- retort:downgrade'; "
		         "only '--' comments may come before the first marker",
		         "text before the first '-- retort:' marker");
		*reported = true;
	}
}

int rt_sqlfile_parse(rt_sqlfile **out, rt_arena *arena, const rt_source *src,
                     rt_sqlfile_kind kind, rt_diags *diags)
{
	rt_sqlfile *sf = rt_alloc(arena, sizeof(*sf));
	sf->src = src;
	sf->kind = kind;
	*out = sf;
	parser ps = { .arena = arena, .diags = diags, .src = src, .text = src->text, .sf = sf };
	const char *t = src->text;
	size_t len = src->len;

	size_t marker_errors = 0;
	const char *nul = memchr(t, '\0', len);
	if (nul)
		error_at(&ps, (size_t)(nul - t), 1, "remove it: SQL files are text",
		         "NUL byte in '%s'", src->path);

	bool header_ok = true, reported = false, seen_marker = false;
	size_t open = (size_t)-1; /* index of the section whose body runs on */
	size_t pos = len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (pos < len) {
		const char *nl = memchr(t + pos, '\n', len - pos);
		size_t le = nl ? (size_t)(nl - t) : len;
		size_t next = nl ? le + 1 : len;
		size_t ce = le > pos && t[le - 1] == '\r' ? le - 1 : le;
		size_t nsec = sf->nsections;
		size_t errs = ps.errors;
		if (parse_marker(&ps, pos, ce, next)) {
			if (open != (size_t)-1)
				sf->sections[open].len = pos - sf->sections[open].offset;
			open = sf->nsections > nsec ? nsec : (size_t)-1;
			marker_errors += ps.errors - errs;
			seen_marker = true;
		} else if (!seen_marker) {
			preamble_line(&ps, pos, ce, &reported, &header_ok);
		}
		pos = next;
	}
	if (open != (size_t)-1)
		sf->sections[open].len = len - sf->sections[open].offset;

	if (kind == RT_SQLFILE_STANDALONE) {
		const char *hint = "start the file with '-- revision: <id>' and "
		                   "'-- down_revision: <parent id, or None>'";
		if (!ps.key_line[KEY_REVISION]) {
			error_at(&ps, 0, 0, hint, "missing header field 'revision' in '%s'", src->path);
			header_ok = false;
		}
		if (!ps.key_line[KEY_DOWN]) {
			error_at(&ps, 0, 0, hint, "missing header field 'down_revision' in '%s'",
			         src->path);
			header_ok = false;
		}
		if (!sf->revision)
			header_ok = false;
	}
	sf->header_ok = header_ok;
	sf->sections_ok = marker_errors == 0 && !reported && !nul;
	if (kind == RT_SQLFILE_SIDECAR && seen_marker == false && ps.errors == 0) {
		rt_loc loc = rt_source_loc(src, 0, 0);
		rt_diags_add(diags, RT_SEV_WARNING, "sidecar-empty", &loc,
		             "add '-- retort:upgrade' and '-- retort:downgrade' sections, or delete it",
		             "sidecar '%s' has no section and changes nothing", src->path);
	}
	return ps.errors ? RT_ESYNTAX : RT_OK;
}

bool rt_sqlfile_has(const rt_sqlfile *sf, rt_direction dir)
{
	for (size_t i = 0; i < sf->nsections; i++)
		if (sf->sections[i].dir == dir)
			return true;
	return false;
}

int rt_sqlfile_body(rt_stmtlist *out, rt_arena *arena, const rt_sqlfile *sf,
                    rt_direction dir, rt_error *err)
{
	if (!rt_sqlfile_has(sf, dir)) {
		rt_loc loc = { .path = sf->src->path };
		rt_error_set(err, RT_ENOTFOUND, &loc, "'%s' has no '-- retort:%s' section",
		             sf->src->path, directions[dir]);
		rt_error_hint(err, "add the section (it may be empty)");
		return RT_ENOTFOUND;
	}
	/* split into a scratch list so that nothing is appended on error */
	rt_stmtlist tmp = { 0 };
	for (size_t i = 0; i < sf->nsections; i++) {
		const rt_sqlsection *s = &sf->sections[i];
		if (s->dir != dir)
			continue;
		int rc = rt_sql_split(&tmp, arena, sf->src, s->offset, s->len, s->no_transaction, err);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < tmp.n; i++)
		rt_stmtlist_push(arena, out, tmp.items[i]);
	return RT_OK;
}
