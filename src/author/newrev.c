/*
 * New version files: Alembic 1.8.1's stock script.py.mako output for an
 * empty revision (or one whose bodies run a sidecar .sql), its file naming
 * (_rev_path: slug and file_template) and create date
 * (_generate_create_date), and an exclusive write.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "retort/newrev.h"

/* ---- create date ---- */

static bool zone_file_exists(const char *name)
{
	if (!*name || name[0] == '/' || strstr(name, ".."))
		return false;
	const char *dir = getenv("TZDIR");
	rt_buf path = RT_BUF_INIT;
	rt_buf_printf(&path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	struct stat st;
	bool ok = stat(rt_buf_cstr(&path), &st) == 0 && S_ISREG(st.st_mode);
	rt_buf_release(&path);
	return ok;
}

/* localtime_r in zone name, restoring TZ afterwards. */
static void localtime_in(const char *name, time_t t, struct tm *tm)
{
	const char *old = getenv("TZ");
	char *saved = old ? rt_xstrdup(old) : NULL;
	setenv("TZ", name, 1);
	tzset();
	localtime_r(&t, tm);
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

int rt_newrev_now(rt_newrev_time *out, const char *tz, rt_error *err)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	memset(out, 0, sizeof(*out));
	if (!tz) {
		localtime_r(&tv.tv_sec, &tm);
	} else if (strcasecmp(tz, "UTC") == 0 || strcasecmp(tz, "GMT") == 0) {
		gmtime_r(&tv.tv_sec, &tm);
		out->aware = true;
	} else {
		char upper[128];
		size_t n = strlen(tz);
		if (n >= sizeof(upper))
			n = sizeof(upper) - 1;
		for (size_t i = 0; i < n; i++)
			upper[i] = (char)toupper((unsigned char)tz[i]);
		upper[n] = '\0';
		const char *zone = zone_file_exists(tz) ? tz
		                   : zone_file_exists(upper) ? upper : NULL;
		if (!zone) {
			rt_error_set(err, RT_ECONFIG, NULL, "cannot locate timezone '%s'", tz);
			rt_error_hint(err, "set 'timezone' in alembic.ini to UTC or an IANA zone name "
			                   "such as Europe/Paris");
			return RT_ECONFIG;
		}
		localtime_in(zone, tv.tv_sec, &tm);
		out->aware = true;
		out->utc_offset = tm.tm_gmtoff;
	}
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->minute = tm.tm_min;
	out->second = tm.tm_sec;
	out->usec = (int)tv.tv_usec;
	out->epoch = (long long)tv.tv_sec;
	return RT_OK;
}

/* Python's str(datetime): "YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM[:SS]]". */
static void put_date(rt_buf *b, const rt_newrev_time *t)
{
	rt_buf_printf(b, "%04d-%02d-%02d %02d:%02d:%02d", t->year, t->month, t->day, t->hour,
	              t->minute, t->second);
	if (t->usec)
		rt_buf_printf(b, ".%06d", t->usec);
	if (t->aware) {
		long off = t->utc_offset < 0 ? -t->utc_offset : t->utc_offset;
		rt_buf_printf(b, "%c%02ld:%02ld", t->utc_offset < 0 ? '-' : '+', off / 3600,
		              off / 60 % 60);
		if (off % 60)
			rt_buf_printf(b, ":%02ld", off % 60);
	}
}

/* ---- validation ---- */

/* The first escape in s that makes a Python str literal a syntax error (\x, \u
 * or \U without their hex digits, or past U+10FFFF; any \N, as a character
 * name cannot be checked here): its offset, and its length in *len. -1: none. */
static long bad_escape(const char *s, int *len)
{
	for (const char *p = s; *p; p++) {
		if (*p != '\\' || !p[1])
			continue;
		int want = p[1] == 'x' ? 2 : p[1] == 'u' ? 4 : p[1] == 'U' ? 8 : 0, got = 0;
		unsigned long cp = 0;
		while (got < want && isxdigit((unsigned char)p[2 + got])) {
			char c = p[2 + got++];
			cp = cp * 16 + (unsigned long)(isdigit((unsigned char)c) ? c - '0'
			                                                        : (c | 0x20) - 'a' + 10);
		}
		if (p[1] == 'N' || got < want || cp > 0x10FFFF) {
			*len = 2 + got;
			return p - s;
		}
		p++; /* skip the escaped character: \\x is an escaped backslash, then x */
	}
	return -1;
}

int rt_newrev_validate(const rt_newrev *nr, rt_error *err)
{
	const char *id = nr->rev_id;
	if (!*id || strpbrk(id, "@-+'\"\\ \t\r\n,")) {
		rt_error_set(err, RT_EUSAGE, NULL, "invalid revision id '%s'", id);
		rt_error_hint(err, "use letters, digits and '_' only (Alembic forbids '@', '-', "
		                   "'+'), or leave out --rev-id for a random one");
		return RT_EUSAGE;
	}
	const char *m = nr->message;
	size_t n = m ? strlen(m) : 0;
	if (m && (strstr(m, "\"\"\"") || (n && (m[n - 1] == '"' || m[n - 1] == '\\')))) {
		rt_error_set(err, RT_EUSAGE, NULL, "message '%s' cannot stand in a docstring", m);
		rt_error_hint(err, "leave out '\"\"\"' and a final '\"' or '\\'");
		return RT_EUSAGE;
	}
	int elen;
	long at = m ? bad_escape(m, &elen) : -1;
	if (at >= 0) {
		rt_error_set(err, RT_EUSAGE, NULL, "message '%s' holds the escape '%.*s', which "
		             "Python rejects in a docstring", m, elen, m + at);
		rt_error_hint(err, "write the backslash twice ('\\\\'), or leave it out");
		return RT_EUSAGE;
	}
	return RT_OK;
}

/* ---- text ---- */

/* Python's repr() of a str: single quotes unless it holds ' and no ". */
static void put_repr(rt_buf *b, const char *s)
{
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
	rt_buf_putc(b, q);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\' || *p == (unsigned char)q) {
			rt_buf_putc(b, '\\');
			rt_buf_putc(b, (char)*p);
		} else if (*p == '\n') {
			rt_buf_puts(b, "\\n");
		} else if (*p == '\r') {
			rt_buf_puts(b, "\\r");
		} else if (*p == '\t') {
			rt_buf_puts(b, "\\t");
		} else if (*p < 0x20 || *p == 0x7f) {
			rt_buf_printf(b, "\\x%02x", *p);
		} else {
			rt_buf_putc(b, (char)*p);
		}
	}
	rt_buf_putc(b, q);
}

/* repr() of a tuple of strings: ('a',) or ('a', 'b'). */
static void put_tuple(rt_buf *b, const rt_strv *v)
{
	rt_buf_putc(b, '(');
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			rt_buf_puts(b, ", ");
		put_repr(b, v->v[i]);
	}
	rt_buf_puts(b, v->n == 1 ? ",)" : ")");
}

/* repr() after Alembic's tuple_rev_as_scalar: None, 'a' or ('a', 'b'). */
static void put_scalar_or_tuple(rt_buf *b, const rt_strv *v)
{
	if (v->n == 0)
		rt_buf_puts(b, "None");
	else if (v->n == 1)
		put_repr(b, v->v[0]);
	else
		put_tuple(b, v);
}

/* The stock text up to depends_on; imports go where the template's ${imports} does. */
static void render_head(rt_buf *b, const rt_newrev *nr, const char *imports)
{
	rt_buf_printf(b, "\"\"\"%s\n\nRevision ID: %s\nRevises: ",
	              nr->message ? nr->message : "empty message", nr->rev_id);
	for (size_t i = 0; i < nr->down.n; i++)
		rt_buf_printf(b, "%s%s", i ? ", " : "", nr->down.v[i]);
	rt_buf_puts(b, "\nCreate Date: ");
	put_date(b, &nr->date);
	rt_buf_puts(b, "\n\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n");
	rt_buf_puts(b, imports);
	rt_buf_puts(b, "\n\n# revision identifiers, used by Alembic.\nrevision = ");
	put_repr(b, nr->rev_id);
	rt_buf_puts(b, "\ndown_revision = ");
	put_scalar_or_tuple(b, &nr->down);
	rt_buf_puts(b, "\nbranch_labels = ");
	if (nr->labels.n)
		put_tuple(b, &nr->labels);
	else
		rt_buf_puts(b, "None");
	rt_buf_puts(b, "\ndepends_on = ");
	put_scalar_or_tuple(b, &nr->depends);
	rt_buf_puts(b, "\n");
}

void rt_newrev_render(rt_buf *b, const rt_newrev *nr)
{
	render_head(b, nr, "");
	rt_buf_puts(b, "\n\ndef upgrade() -> None:\n    pass\n\n\n"
	               "def downgrade() -> None:\n    pass\n");
}

/*
 * The bodies of a version file with a sidecar: Python that reads the
 * sidecar's sections as sqlfile.c does and splits them with psql's rules as
 * sqlsplit.c does when the parser is not used (for SQL the parser accepts,
 * its boundaries too, unless a routine is named begin), so that Alembic
 * sends the statements retort sends.
 * Online each goes through exec_driver_sql with no parameters (psycopg2 then
 * leaves '%' alone, and SQLAlchemy never sees ':name'); offline it is
 * written as is, because op.execute() would double '%' and expand tabs.
 */
static const char loader_imports[] =
	"import contextlib\nimport itertools\nimport os\nimport re";
/* One string per line: C17 compilers need not take a literal this long. */
static const char *const loader_body[] = {
	"",
	"",
	"def upgrade() -> None:",
	"    _run_sidecar('upgrade')",
	"",
	"",
	"def downgrade() -> None:",
	"    _run_sidecar('downgrade')",
	"",
	"",
	"# Written by `retort revision --sql`: the SQL lives in the .sql file beside",
	"# this one, which retort runs directly; the code below makes Alembic run the",
	"# same statements. It reads the '-- retort:' sections and splits them as",
	"# retort does (psql's rules), then sends each statement unchanged (no bind",
	"# parameters, so ':name' and '%' stay as written).",
	"_BLANK = r'[ \\t\\f\\v]'",
	"_MARKER = re.compile(rf'{_BLANK}*--{_BLANK}*(retort){_BLANK}*:(.*)', re.I | re.S)",
	"_SECTION = re.compile(",
	"    rf'{_BLANK}*(upgrade|downgrade)({_BLANK}+no-transaction)?{_BLANK}*')",
	"# As PostgreSQL 15's lexer (the one retort links): a vertical tab is not white",
	"# space; identifiers and dollar-quote tags are ASCII letters, digits, '_' and",
	"# every non-ASCII character (\\w differs on both sides).",
	"_START = r'[A-Za-z_\\x80-\\U0010ffff]'",
	"_CONT = r'[A-Za-z0-9_\\x80-\\U0010ffff]'",
	"_TOKEN = re.compile(rf\"\"\"",
	"    (?P<space> [ \\t\\n\\r\\f]+ )",
	"  | (?P<comment> --[^\\n\\r]* | /\\* )",
	"  | (?P<string> [eE]'[^'\\\\]*(?:(?:\\\\.|'')[^'\\\\]*)*'?   # E'..': backslash escapes",
	"              | '[^']*(?:''[^']*)*'? | \"[^\"]*(?:\"\"[^\"]*)*\"? )",
	"  | (?P<dollar> \\$(?:{_START}{_CONT}*)?\\$ )",
	"  | (?P<word> {_START}(?:{_CONT}|\\$)* )",
	"  | (?P<other> . )\"\"\", re.S | re.X)",
	"_ROUTINE = re.compile(r'create (or replace )?(function|procedure)(?: |$)')",
	"",
	"",
	"def _sections(direction):",
	"    \"\"\"(no_transaction, text) of each section for direction, in file order.\"\"\"",
	"    path = os.path.splitext(__file__)[0] + '.sql'",
	"    with open(path, encoding='utf-8-sig', newline='') as f:",
	"        lines = f.read().split('\\n')",
	"    found, current = [], None",
	"    for number, line in enumerate(lines, 1):",
	"        marker = _MARKER.fullmatch(line[:-1] if line.endswith('\\r') else line)",
	"        section = marker and _SECTION.fullmatch(marker.group(2))",
	"        if marker and (marker.group(1) != 'retort' or not section):",
	"            raise ValueError(f\"{path}:{number}: invalid marker; run `retort check`\")",
	"        if section:",
	"            current = [] if section.group(1) == direction else None",
	"            if current is not None:",
	"                found.append((bool(section.group(2)), current))",
	"        elif current is not None:",
	"            current.append(line)",
	"    if not found:",
	"        raise ValueError(f\"{path} has no '-- retort:{direction}' section\")",
	"    return [(no_transaction, '\\n'.join(text)) for no_transaction, text in found]",
	"",
	"",
	"def _split(sql):",
	"    \"\"\"Statements from their first token (a comment above is kept) to their",
	"    last token that is not a comment, without the ';'. A ';' ends one outside",
	"    parentheses and outside the BEGIN ... END of CREATE FUNCTION|PROCEDURE.\"\"\"",
	"    statements, start, end, pos = [], None, None, 0",
	"    depth = nested = 0",
	"    words = []",
	"    while pos < len(sql):",
	"        token = _TOKEN.match(sql, pos)",
	"        kind, text, after = token.lastgroup, token.group(), token.end()",
	"        if text == '/*':  # comments nest",
	"            level = 1",
	"            while level and after < len(sql):",
	"                step = sql[after:after + 2]",
	"                level += {'/*': 1, '*/': -1}.get(step, 0)",
	"                after += 2 if step in ('/*', '*/') else 1",
	"        elif kind == 'dollar':",
	"            close = sql.find(text, after)",
	"            after = len(sql) if close < 0 else close + len(text)",
	"        if text == ';' and depth == 0 and nested == 0:",
	"            if end is not None:",
	"                statements.append(sql[start:end])",
	"            start = end = None",
	"            words = []",
	"        elif kind != 'space':",
	"            start = pos if start is None else start",
	"            if kind != 'comment':",
	"                end = after",
	"            if text == '(':",
	"                depth += 1",
	"            elif text == ')':",
	"                depth = max(depth - 1, 0)",
	"            elif kind == 'word':",
	"                word = text.lower()",
	"                if len(words) < 4:",
	"                    words.append(word)",
	"                if depth == 0 and _ROUTINE.match(' '.join(words)):",
	"                    if word == 'begin' or (word == 'case' and nested):",
	"                        nested += 1",
	"                    elif word == 'end' and nested:",
	"                        nested -= 1",
	"        pos = after",
	"    if end is not None:",
	"        statements.append(sql[start:end])",
	"    return statements",
	"",
	"",
	"def _run_sidecar(direction):",
	"    \"\"\"Runs the sidecar's statements for direction; a no-transaction run of them",
	"    goes in an autocommit block (offline: between COMMIT and BEGIN).\"\"\"",
	"    context = op.get_context()",
	"    statements = [(no_transaction, statement)",
	"                  for no_transaction, text in _sections(direction)",
	"                  for statement in _split(text)]",
	"    impl = context.impl",
	"    for no_transaction, run in itertools.groupby(statements, lambda s: s[0]):",
	"        with (context.autocommit_block() if no_transaction",
	"              else contextlib.nullcontext()):",
	"            for _, statement in run:",
	"                if context.as_sql:",
	"                    impl.static_output(statement + impl.command_terminator)",
	"                else:",
	"                    op.get_bind().exec_driver_sql(",
	"                        statement, execution_options={'no_parameters': True})",
};

void rt_newrev_render_loader(rt_buf *b, const rt_newrev *nr)
{
	render_head(b, nr, loader_imports);
	for (size_t i = 0; i < sizeof(loader_body) / sizeof(loader_body[0]); i++) {
		rt_buf_puts(b, loader_body[i]);
		rt_buf_putc(b, '\n');
	}
}

void rt_newrev_render_sql(rt_buf *b)
{
	rt_buf_puts(b, "-- Sections of SQL run by retort, and by Alembic through the .py "
	               "beside this file.\n-- A section marked '-- retort:upgrade "
	               "no-transaction' runs outside a transaction.\n"
	               "\n-- retort:upgrade\n\n\n-- retort:downgrade\n\n");
}

/* ---- file name ---- */

/* Python's \w on bytes of UTF-8 text: ASCII word characters, and every
 * non-ASCII byte (most non-ASCII characters in messages are letters). */
static bool is_word(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

void rt_newrev_slug(rt_buf *b, const char *message, int truncate_len)
{
	size_t start = b->len;
	const unsigned char *p = (const unsigned char *)(message ? message : "");
	while (*p) {
		if (!is_word(*p)) {
			p++;
			continue;
		}
		if (b->len > start)
			rt_buf_putc(b, '_');
		for (; *p && is_word(*p); p++)
			rt_buf_putc(b, (char)tolower(*p));
	}
	size_t len = b->len - start;
	if (truncate_len >= 0 && len > (size_t)truncate_len) {
		/* slug[:n].rsplit("_", 1)[0] + "_" */
		size_t cut = (size_t)truncate_len;
		const char *s = rt_buf_cstr(b) + start;
		size_t keep = cut;
		while (keep > 0 && s[keep - 1] != '_')
			keep--;
		keep = keep > 0 ? keep - 1 : cut;
		rt_buf_truncate(b, start + keep);
		rt_buf_putc(b, '_');
	}
}

struct conv {
	bool left, zero, plus, space;
	long width, prec; /* -1: not given */
	char type;
};

static void pad(rt_buf *b, size_t len, const struct conv *c, char fill)
{
	for (long i = (long)len; i < c->width; i++)
		rt_buf_putc(b, fill);
}

static void put_str(rt_buf *b, const char *s, const struct conv *c)
{
	size_t n = strlen(s);
	if (c->prec >= 0 && (size_t)c->prec < n)
		n = (size_t)c->prec;
	if (!c->left)
		pad(b, n, c, ' ');
	rt_buf_add(b, s, n);
	if (c->left)
		pad(b, n, c, ' ');
}

static void put_int(rt_buf *b, long long v, const struct conv *c)
{
	char digits[32], sign[2] = { 0 };
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	int nd = snprintf(digits, sizeof(digits), "%llu", u);
	sign[0] = v < 0 ? '-' : c->plus ? '+' : c->space ? ' ' : '\0';
	long zeros = c->prec > nd ? c->prec - nd : 0;
	size_t len = strlen(sign) + (size_t)zeros + (size_t)nd;
	if (!c->left && !(c->zero && c->prec < 0))
		pad(b, len, c, ' ');
	rt_buf_puts(b, sign);
	if (!c->left && c->zero && c->prec < 0)
		pad(b, len, c, '0');
	for (long i = 0; i < zeros; i++)
		rt_buf_putc(b, '0');
	rt_buf_puts(b, digits);
	if (c->left)
		pad(b, len, c, ' ');
}

static long parse_num(const char **p)
{
	long v = 0;
	while (isdigit((unsigned char)**p) && v < 1000)
		v = v * 10 + (*(*p)++ - '0');
	return v;
}

/* Parses "(key)flags width .prec type" after a '%'; false when malformed. */
static bool parse_conv(const char **pp, const char **key, size_t *keylen, struct conv *c)
{
	const char *p = *pp;
	if (*p != '(')
		return false;
	const char *close = strchr(p, ')');
	if (!close)
		return false;
	*key = p + 1;
	*keylen = (size_t)(close - p - 1);
	p = close + 1;
	memset(c, 0, sizeof(*c));
	c->width = c->prec = -1;
	for (;; p++) {
		if (*p == '-')
			c->left = true;
		else if (*p == '0')
			c->zero = true;
		else if (*p == '+')
			c->plus = true;
		else if (*p == ' ')
			c->space = true;
		else if (*p != '#')
			break;
	}
	if (isdigit((unsigned char)*p))
		c->width = parse_num(&p);
	if (*p == '.') {
		p++;
		c->prec = parse_num(&p);
	}
	if (*p == 'h' || *p == 'l' || *p == 'L') /* Python accepts and ignores these */
		p++;
	c->type = *p;
	if (c->type != 's' && c->type != 'd' && c->type != 'i')
		return false;
	*pp = p + 1;
	return true;
}

static bool key_is(const char *key, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(key, name, n) == 0;
}

int rt_newrev_filename(rt_buf *b, const char *file_template, int truncate_slug_length,
                       const rt_newrev *nr, rt_error *err)
{
	rt_buf slug = RT_BUF_INIT;
	rt_newrev_slug(&slug, nr->message, truncate_slug_length);
	const rt_newrev_time *t = &nr->date;
	const struct {
		const char *name;
		long long v;
	} ints[] = {
		{ "year", t->year }, { "month", t->month }, { "day", t->day },
		{ "hour", t->hour }, { "minute", t->minute }, { "second", t->second },
		{ "epoch", t->epoch },
	};
	size_t start = b->len;
	int rc = RT_OK;
	for (const char *p = file_template; *p && rc == RT_OK;) {
		if (*p != '%') {
			rt_buf_putc(b, *p++);
			continue;
		}
		if (p[1] == '%') {
			rt_buf_putc(b, '%');
			p += 2;
			continue;
		}
		const char *at = p++, *key;
		size_t keylen;
		struct conv c;
		if (!parse_conv(&p, &key, &keylen, &c)) {
			rc = rt_error_set(err, RT_ECONFIG, NULL,
			                  "unsupported conversion at '%s' in 'file_template'", at);
			break;
		}
		const char *sval = key_is(key, keylen, "rev") ? nr->rev_id
		                   : key_is(key, keylen, "slug") ? rt_buf_cstr(&slug) : NULL;
		size_t i = 0;
		while (i < sizeof(ints) / sizeof(ints[0]) && !key_is(key, keylen, ints[i].name))
			i++;
		if (!sval && i == sizeof(ints) / sizeof(ints[0])) {
			rc = rt_error_set(err, RT_ECONFIG, NULL, "unknown key '%.*s' in 'file_template'",
			                  (int)keylen, key);
		} else if (sval && c.type != 's') {
			rc = rt_error_set(err, RT_ECONFIG, NULL,
			                  "'%.*s' is a string in 'file_template': use %%(%.*s)s",
			                  (int)keylen, key, (int)keylen, key);
		} else if (sval) {
			put_str(b, sval, &c);
		} else if (c.type == 's') {
			char num[32];
			snprintf(num, sizeof(num), "%lld", ints[i].v);
			put_str(b, num, &c);
		} else {
			put_int(b, ints[i].v, &c);
		}
	}
	rt_buf_release(&slug);
	if (rc == RT_OK && memchr(rt_buf_cstr(b) + start, '/', b->len - start))
		rc = rt_error_set(err, RT_ECONFIG, NULL, "file name '%s' from 'file_template' holds "
		                  "a '/'", rt_buf_cstr(b) + start);
	if (rc < 0) {
		rt_error_hint(err, "keys: rev, slug, year, month, day, hour, minute, second, epoch "
		                   "(e.g. %%(year)d_%%(month).2d_%%(rev)s_%%(slug)s)");
		return rc;
	}
	rt_buf_puts(b, ".py");
	return RT_OK;
}

/* ---- writing ---- */

static int exists_error(const char *path, rt_error *err)
{
	rt_error_set(err, RT_EUSAGE, NULL, "'%s' already exists", path);
	rt_error_hint(err, "retort never overwrites a version file; choose another "
	                   "--rev-id or message");
	return RT_EUSAGE;
}

/* The permission bits open(path, O_CREAT, 0666) would give. */
static mode_t creation_mode(void)
{
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

/* Puts the written temporary file tmp in place as path, never over an existing
 * file. Without hard links (some network and FAT file systems), the name is
 * reserved with O_EXCL and the temporary file renamed over that empty file. */
static int place_new(const char *tmp, const char *path, rt_error *err)
{
	if (link(tmp, path) == 0)
		return RT_OK;
	int e = errno;
	if (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == ENOSYS) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		e = errno;
		if (fd >= 0) {
			close(fd);
			if (rename(tmp, path) == 0)
				return RT_OK;
			e = errno;
			unlink(path);
		}
	}
	return e == EEXIST ? exists_error(path, err)
	                   : rt_error_set(err, RT_EOS, NULL, "cannot create '%s': %s", path,
	                                  strerror(e));
}

/* Complete and on disk, or absent: written beside path under a temporary name,
 * then linked in, which fails if path exists (never overwritten). */
int rt_newrev_write(const char *path, const rt_buf *text, rt_error *err)
{
	rt_buf dir = RT_BUF_INIT, tmp = RT_BUF_INIT;
	const char *base;
	rt_author_split_path(&dir, &base, path);
	int e, rc = RT_OK;
	const char *step = rt_author_temp_write(&tmp, rt_buf_cstr(&dir), base, text,
	                                        creation_mode(), &e);
	if (step && strcmp(step, "create") == 0) {
		rc = access(path, F_OK) == 0
		     ? exists_error(path, err)
		     : rt_error_set(err, RT_EOS, NULL, "cannot create '%s': %s", path, strerror(e));
	} else if (step) {
		rc = rt_error_set(err, RT_EOS, NULL, "cannot write '%s': %s", path, strerror(e));
	} else {
		rc = place_new(tmp.ptr, path, err);
		unlink(tmp.ptr); /* the link's other name, or what a failed rename left */
		if (rc == RT_OK)
			rc = rt_author_sync_dir(rt_buf_cstr(&dir), err);
	}
	rt_buf_release(&dir);
	rt_buf_release(&tmp);
	return rc;
}
