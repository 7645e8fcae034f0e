/*
 * Database URLs: password masking for every message that shows one, and the
 * SQLAlchemy "+driver" scheme suffix that libpq does not understand. Masking
 * errs on the side of hiding too much: a URL or connection string it cannot
 * parse, but which mentions a password, is hidden whole.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "config_int.h"

#define MASK "***"

size_t cfg_url_scheme_len(const char *s)
{
	if (!s || !isalpha((unsigned char)s[0]))
		return 0;
	size_t i = 1;
	while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return strncmp(s + i, "://", 3) == 0 ? i : 0;
}

bool cfg_url_is_postgres(const char *s)
{
	size_t n = cfg_url_scheme_len(s);
	const char *plus = n ? memchr(s, '+', n) : NULL;
	size_t base = plus ? (size_t)(plus - s) : n;
	return (base == 10 && strncmp(s, "postgresql", 10) == 0) ||
	       (base == 8 && strncmp(s, "postgres", 8) == 0);
}

char *rt_url_drop_driver(rt_arena *arena, const char *url)
{
	if (!url)
		return NULL;
	size_t n = cfg_url_scheme_len(url);
	const char *plus = n ? memchr(url, '+', n) : NULL;
	if (!plus)
		return rt_strdup(arena, url);
	return rt_sprintf(arena, "%.*s%s", (int)(plus - url), url, url + n);
}

static bool is_password_key(const char *k, size_t n)
{
	return (n == 8 && strncasecmp(k, "password", 8) == 0) ||
	       (n == 11 && strncasecmp(k, "sslpassword", 11) == 0);
}

/* Byte ranges [start, end) to replace by MASK, in increasing order. */
struct spans {
	size_t start[64], end[64];
	size_t n;
	bool overflow;
};

static void add_span(struct spans *sp, size_t start, size_t end)
{
	if (sp->n == 64) {
		sp->overflow = true;
		return;
	}
	sp->start[sp->n] = start;
	sp->end[sp->n] = end;
	sp->n++;
}

static char *apply_spans(rt_arena *arena, const char *s, struct spans *sp)
{
	if (sp->overflow)
		return rt_strdup(arena, MASK);
	/* sort by start (few spans), then emit, merging overlaps */
	for (size_t i = 1; i < sp->n; i++)
		for (size_t j = i; j > 0 && sp->start[j - 1] > sp->start[j]; j--) {
			size_t t = sp->start[j];
			sp->start[j] = sp->start[j - 1];
			sp->start[j - 1] = t;
			t = sp->end[j];
			sp->end[j] = sp->end[j - 1];
			sp->end[j - 1] = t;
		}
	rt_buf b = RT_BUF_INIT;
	size_t pos = 0;
	for (size_t i = 0; i < sp->n; i++) {
		if (sp->end[i] <= pos)
			continue;
		if (sp->start[i] >= pos) {
			rt_buf_add(&b, s + pos, sp->start[i] - pos);
			rt_buf_puts(&b, MASK);
		}
		pos = sp->end[i];
	}
	rt_buf_puts(&b, s + pos);
	char *out = rt_strdup(arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return out;
}

/*
 * scheme://[user[:password]@]host[:port][/db][?k=v&...]. The userinfo ends
 * at the last '@' of the string: libpq stops at the first, but a password
 * with a stray '@' or '?' must not show either way.
 */
static char *mask_uri(rt_arena *arena, const char *s, size_t scheme_len)
{
	struct spans sp = { .n = 0 };
	size_t rest = scheme_len + 3;
	const char *at = strrchr(s + rest, '@');
	if (at) {
		const char *colon = memchr(s + rest, ':', (size_t)(at - (s + rest)));
		if (colon)
			add_span(&sp, (size_t)(colon + 1 - s), (size_t)(at - s));
	}
	for (size_t i = rest; s[i]; i++) {
		if (s[i] != '?' && s[i] != '&')
			continue;
		size_t k = i + 1, e = k;
		while (s[e] && s[e] != '=' && s[e] != '&' && s[e] != '#')
			e++;
		if (s[e] != '=' || !is_password_key(s + k, e - k))
			continue;
		size_t v = e + 1, ve = v;
		while (s[ve] && s[ve] != '&' && s[ve] != '#')
			ve++;
		add_span(&sp, v, ve);
	}
	return apply_spans(arena, s, &sp);
}

/* keyword = value pairs, libpq's rules: values bare (backslash escapes the
 * next byte) or in single quotes (backslash escapes too). */
static char *mask_conninfo(rt_arena *arena, const char *s)
{
	struct spans sp = { .n = 0 };
	size_t i = 0;
	for (;;) {
		while (isspace((unsigned char)s[i]))
			i++;
		if (!s[i])
			break;
		size_t k = i;
		while (s[i] && s[i] != '=' && !isspace((unsigned char)s[i]))
			i++;
		size_t klen = i - k;
		while (isspace((unsigned char)s[i]))
			i++;
		if (s[i] != '=' || klen == 0)
			goto malformed;
		i++;
		while (isspace((unsigned char)s[i]))
			i++;
		size_t v = i;
		if (s[i] == '\'') {
			i++;
			while (s[i] && s[i] != '\'') {
				if (s[i] == '\\' && s[i + 1])
					i++;
				i++;
			}
			if (s[i] != '\'')
				goto malformed;
			i++;
		} else {
			while (s[i] && !isspace((unsigned char)s[i])) {
				if (s[i] == '\\' && s[i + 1])
					i++;
				i++;
			}
		}
		if (is_password_key(s + k, klen))
			add_span(&sp, v, i);
	}
	return apply_spans(arena, s, &sp);
malformed:
	for (const char *p = s; *p; p++)
		if (strncasecmp(p, "password", 8) == 0)
			return rt_strdup(arena, MASK);
	return rt_strdup(arena, s);
}

char *rt_url_mask(rt_arena *arena, const char *url)
{
	if (!url)
		return NULL;
	size_t n = cfg_url_scheme_len(url);
	return n ? mask_uri(arena, url, n) : mask_conninfo(arena, url);
}
