/*
 * alembic.ini as Python's ConfigParser reads it (strict mode, '=' and ':'
 * delimiters, '#'/';' full-line comments only, indented continuation lines,
 * [DEFAULT], lower-cased keys) and BasicInterpolation (%(name)s, %%), done
 * lazily per value read. Only what Alembic's defaults use; no other dialects.
 */
#include <string.h>

#include "config_int.h"

#define MAX_INTERPOLATION_DEPTH 10 /* ConfigParser's constant */

struct ini_entry {
	const char *section;
	const char *key;
	rt_buf value;       /* lines joined by '\n' while parsing */
	const char *joined; /* final raw value */
	rt_loc loc;         /* the value's start (the key's line for empty values) */
};

struct ini_file {
	rt_arena *arena;
	const rt_source *src;
	rt_ptrvec entries; /* struct ini_entry *, file order; [DEFAULT] "here" first */
	rt_strv sections;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && is_space(**s))
		(*s)++;
	while (*e > *s && is_space((*e)[-1]))
		(*e)--;
}

static struct ini_entry *find(const ini_file *ini, const char *section, const char *key)
{
	for (size_t i = 0; i < ini->entries.n; i++) {
		struct ini_entry *e = ini->entries.items[i];
		if (strcmp(e->section, section) == 0 && strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

static void finish_entry(rt_arena *arena, struct ini_entry *e)
{
	if (!e || e->joined)
		return;
	/* ConfigParser joins with '\n' and strips trailing whitespace (blank lines) */
	size_t n = e->value.len;
	while (n > 0 && (is_space(e->value.ptr[n - 1]) || e->value.ptr[n - 1] == '\n'))
		n--;
	e->joined = rt_strndup(arena, rt_buf_cstr(&e->value), n);
	rt_buf_release(&e->value);
}

static char *lower(rt_arena *arena, const char *s, size_t n)
{
	char *out = rt_strndup(arena, s, n);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

static void release_all(ini_file *ini)
{
	for (size_t i = 0; i < ini->entries.n; i++) {
		struct ini_entry *e = ini->entries.items[i];
		if (!e->joined)
			rt_buf_release(&e->value);
	}
}

int cfg_ini_parse(rt_arena *arena, const rt_source *src, const char *here, ini_file **out,
                  rt_error *err)
{
	ini_file *ini = rt_alloc(arena, sizeof(*ini));
	ini->arena = arena;
	ini->src = src;
	struct ini_entry *h = rt_alloc(arena, sizeof(*h));
	h->section = "DEFAULT";
	h->key = "here";
	h->joined = here ? here : "";
	rt_ptrvec_push(arena, &ini->entries, h);

	const char *section = NULL;  /* NULL: before the first header */
	struct ini_entry *cur = NULL; /* the option continuation lines extend */
	size_t indent_level = 0;
	int rc = RT_OK;
	size_t start = 0;
	if (src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0)
		start = 3; /* a UTF-8 BOM, as written by some editors */
	for (size_t ls = start; ls < src->len;) {
		const char *line = src->text + ls;
		const char *nl = memchr(line, '\n', src->len - ls);
		size_t ll = nl ? (size_t)(nl - line) : src->len - ls;
		size_t next = ls + ll + 1;
		const char *s = line, *e = line + ll;
		trim(&s, &e);
		if (s == e) {
			/* blank line: part of a multi-line value (kept, trimmed at the end) */
			if (cur)
				rt_buf_putc(&cur->value, '\n');
			ls = next;
			continue;
		}
		if (*s == '#' || *s == ';') {
			ls = next;
			continue;
		}
		size_t indent = (size_t)(s - line);
		rt_loc loc = rt_source_loc(src, (size_t)(s - src->text), (size_t)(e - s));
		if (section && cur && indent > indent_level) {
			rt_buf_putc(&cur->value, '\n');
			rt_buf_add(&cur->value, s, (size_t)(e - s));
			ls = next;
			continue;
		}
		indent_level = indent;
		finish_entry(arena, cur);
		cur = NULL;
		const char *close = NULL;
		if (*s == '[')
			for (const char *p = e - 1; p > s; p--)
				if (*p == ']') {
					close = p;
					break;
				}
		if (close && close > s + 1) {
			char *name = rt_strndup(arena, s + 1, (size_t)(close - s - 1));
			if (strcmp(name, "DEFAULT") != 0) {
				if (rt_strv_index(&ini->sections, name) >= 0) {
					rc = rt_error_set(err, RT_ESYNTAX, &loc,
					                  "section '%s' already exists", name);
					goto done;
				}
				rt_strv_push(arena, &ini->sections, name);
			}
			section = name;
			ls = next;
			continue;
		}
		if (!section) {
			rc = rt_error_set(err, RT_ESYNTAX, &loc,
			                  "'%s' has no section header before this line", src->path);
			rt_error_hint(err, "an alembic.ini starts with '[alembic]'");
			goto done;
		}
		const char *delim = s;
		while (delim < e && *delim != '=' && *delim != ':')
			delim++;
		const char *ks = s, *ke = delim;
		trim(&ks, &ke);
		if (delim == e || ks == ke) {
			rc = rt_error_set(err, RT_ESYNTAX, &loc,
			                  "expected 'key = value' or '[section]', found '%.*s'",
			                  (int)(e - s), s);
			goto done;
		}
		const char *key = lower(arena, ks, (size_t)(ke - ks));
		if (find(ini, section, key) && !(strcmp(section, "DEFAULT") == 0 &&
		                                 strcmp(key, "here") == 0)) {
			rc = rt_error_set(err, RT_ESYNTAX, &loc,
			                  "option '%s' in section '%s' already exists", key, section);
			goto done;
		}
		const char *vs = delim + 1, *ve = e;
		trim(&vs, &ve);
		struct ini_entry *ent = find(ini, section, key);
		if (!ent) {
			ent = rt_alloc(arena, sizeof(*ent));
			rt_ptrvec_push(arena, &ini->entries, ent);
		}
		ent->section = section;
		ent->key = key;
		ent->joined = NULL;
		ent->value = (rt_buf)RT_BUF_INIT;
		rt_buf_add(&ent->value, vs, (size_t)(ve - vs));
		ent->loc = vs < ve ? rt_source_loc(src, (size_t)(vs - src->text), (size_t)(ve - vs))
		                   : loc;
		cur = ent;
		ls = next;
	}
	finish_entry(arena, cur);
done:
	if (rc < 0) {
		release_all(ini);
		return rc;
	}
	*out = ini;
	return RT_OK;
}

bool cfg_ini_has_section(const ini_file *ini, const char *section)
{
	return rt_strv_index(&ini->sections, section) >= 0;
}

static struct ini_entry *lookup(const ini_file *ini, const char *section, const char *key)
{
	struct ini_entry *e = find(ini, section, key);
	return e ? e : find(ini, "DEFAULT", key);
}

static int interpolate(const ini_file *ini, const char *section, const struct ini_entry *opt,
                       const char *rest, int depth, rt_buf *b, rt_error *err)
{
	if (depth > MAX_INTERPOLATION_DEPTH)
		return rt_error_set(err, RT_ECONFIG, &opt->loc,
		                    "value of '%s' in section '%s' refers to itself, or nests "
		                    "%%(...)s more than %d deep", opt->key, section,
		                    MAX_INTERPOLATION_DEPTH);
	while (*rest) {
		const char *pct = strchr(rest, '%');
		if (!pct) {
			rt_buf_puts(b, rest);
			break;
		}
		rt_buf_add(b, rest, (size_t)(pct - rest));
		if (pct[1] == '%') {
			rt_buf_putc(b, '%');
			rest = pct + 2;
			continue;
		}
		const char *close = pct[1] == '(' ? strchr(pct + 2, ')') : NULL;
		if (!close || close == pct + 2 || close[1] != 's') {
			int rc = rt_error_set(err, RT_ECONFIG, &opt->loc,
			                      "bad interpolation in the value of '%s' in section '%s'",
			                      opt->key, section);
			rt_error_hint(err, "'%%' must be followed by '%%' or '(name)s'; write '%%%%' "
			              "for a literal '%%'");
			return rc;
		}
		char name[256];
		size_t nl = (size_t)(close - pct - 2);
		if (nl >= sizeof(name))
			nl = sizeof(name) - 1;
		for (size_t i = 0; i < nl; i++) {
			char c = pct[2 + i];
			name[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		name[nl] = '\0';
		const struct ini_entry *ref = lookup(ini, section, name);
		if (!ref) {
			int rc = rt_error_set(err, RT_ECONFIG, &opt->loc,
			                      "the value of '%s' in section '%s' refers to '%%(%s)s', "
			                      "which is not set", opt->key, section, name);
			rt_error_hint(err, "define '%s' in [%s] or [DEFAULT], or write '%%%%' for a "
			              "literal '%%'", name, section);
			return rc;
		}
		if (strchr(ref->joined, '%')) {
			int rc = interpolate(ini, section, opt, ref->joined, depth + 1, b, err);
			if (rc < 0)
				return rc;
		} else {
			rt_buf_puts(b, ref->joined);
		}
		rest = close + 2;
	}
	return RT_OK;
}

int cfg_ini_get(const ini_file *ini, const char *section, const char *key, const char **value,
                rt_loc *loc, rt_error *err)
{
	const struct ini_entry *e = lookup(ini, section, key);
	if (!e)
		return RT_ENOTFOUND;
	rt_buf b = RT_BUF_INIT;
	int rc = interpolate(ini, section, e, e->joined, 1, &b, err);
	if (rc == RT_OK) {
		*value = rt_strndup(ini->arena, rt_buf_cstr(&b), b.len);
		if (loc)
			*loc = e->loc;
	}
	rt_buf_release(&b);
	return rc;
}
