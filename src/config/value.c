/*
 * Small value helpers shared by the config readers: durations, identifiers,
 * "did you mean" suggestions, lexical paths, the injected environment and
 * ${VAR} expansion.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_int.h"
#include "retort/editdist.h"

bool rt_config_parse_duration(const char *text, double *seconds)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = { { "ms", 0.001 }, { "s", 1 }, { "m", 60 }, { "h", 3600 } };
	const char *p = text;
	double total = 0;
	bool any_unit = false, bare = false;
	if (!p || !*p)
		return false;
	while (*p) {
		/* digits [. digits]: written out, so strtod's inf/nan/hex never pass */
		const char *start = p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '.') {
			p++;
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (p == start || (p == start + 1 && *start == '.'))
			return false;
		char num[64];
		if ((size_t)(p - start) >= sizeof(num))
			return false;
		memcpy(num, start, (size_t)(p - start));
		num[p - start] = '\0';
		double v = strtod(num, NULL);
		if (!*p) {
			/* a trailing bare number is seconds only when it stands alone */
			if (any_unit)
				return false;
			bare = true;
			total += v;
			break;
		}
		size_t i;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t n = strlen(units[i].unit);
			if (strncmp(p, units[i].unit, n) == 0 && !(p[n] >= 'a' && p[n] <= 'z'))
				break;
		}
		if (i == sizeof(units) / sizeof(units[0]))
			return false;
		total += v * units[i].scale;
		p += strlen(units[i].unit);
		any_unit = true;
	}
	if (!(any_unit || bare) || !isfinite(total) || total > 1e9)
		return false;
	*seconds = total;
	return true;
}

bool rt_config_valid_identifier(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n >= 1 && n <= 63;
}

/* One accepted word of an enumerated setting. */
struct word {
	const char *text;
	int value;
};

static bool parse_word(const char *text, const struct word *words, size_t n, int *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(text, words[i].text) == 0) {
			*out = words[i].value;
			return true;
		}
	}
	return false;
}

bool cfg_parse_transaction(const char *text, rt_tx_mode *out)
{
	static const struct word words[] = { { "per-migration", RT_TX_PER_MIGRATION },
		                             { "single", RT_TX_SINGLE } };
	int v;
	if (!parse_word(text, words, sizeof(words) / sizeof(words[0]), &v))
		return false;
	*out = (rt_tx_mode)v;
	return true;
}

bool cfg_parse_format(const char *text, rt_format *out)
{
	static const struct word words[] = { { "text", RT_FORMAT_TEXT }, { "json", RT_FORMAT_JSON } };
	int v;
	if (!parse_word(text, words, sizeof(words) / sizeof(words[0]), &v))
		return false;
	*out = (rt_format)v;
	return true;
}

const char *cfg_suggest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		size_t d = rt_edit_distance(word, names[i]);
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	/* a third of the word, at least 2 edits: catches typos, not guesses */
	size_t limit = strlen(word) / 3;
	if (limit < 2)
		limit = 2;
	return best_d <= limit ? best : NULL;
}

char *cfg_path_norm(rt_arena *arena, const char *path)
{
	bool abs = path[0] == '/';
	size_t len = strlen(path);
	/* components as (start, len) pairs on a stack */
	size_t *st = rt_alloc_array(arena, len / 2 + 2, sizeof(size_t) * 2);
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		while (i < len && path[i] == '/')
			i++;
		size_t s = i;
		while (i < len && path[i] != '/')
			i++;
		size_t cl = i - s;
		if (cl == 0 || (cl == 1 && path[s] == '.'))
			continue;
		bool dotdot = cl == 2 && path[s] == '.' && path[s + 1] == '.';
		if (dotdot) {
			size_t *top = n ? &st[2 * (n - 1)] : NULL;
			bool top_dotdot = top && top[1] == 2 && path[top[0]] == '.' &&
			                  path[top[0] + 1] == '.';
			if (top && !top_dotdot) {
				n--;
				continue;
			}
			if (abs) /* "/.." is "/" */
				continue;
		}
		st[2 * n] = s;
		st[2 * n + 1] = cl;
		n++;
	}
	rt_buf b = RT_BUF_INIT;
	if (abs)
		rt_buf_putc(&b, '/');
	for (size_t i = 0; i < n; i++) {
		if (i)
			rt_buf_putc(&b, '/');
		rt_buf_add(&b, path + st[2 * i], st[2 * i + 1]);
	}
	if (b.len == 0)
		rt_buf_putc(&b, '.');
	char *out = rt_strdup(arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return out;
}

char *cfg_path_join(rt_arena *arena, const char *base, const char *rel)
{
	if (rel[0] == '/' || !base || strcmp(base, ".") == 0)
		return cfg_path_norm(arena, rel);
	return cfg_path_norm(arena, rt_sprintf(arena, "%s/%s", base, rel));
}

char *cfg_path_dir(rt_arena *arena, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return rt_strdup(arena, ".");
	if (slash == path)
		return rt_strdup(arena, "/");
	return cfg_path_norm(arena, rt_strndup(arena, path, (size_t)(slash - path)));
}

int cfg_path_abs(rt_arena *arena, const char *base, const char *path, char **out,
                 rt_error *err)
{
	char *p = cfg_path_join(arena, base, path);
	if (p[0] != '/') {
		char buf[4096];
		if (!getcwd(buf, sizeof(buf)))
			return rt_error_set(err, RT_EOS, NULL,
			                    "cannot read the current directory: %s", strerror(errno));
		p = cfg_path_join(arena, buf, p);
	}
	*out = p;
	return RT_OK;
}

const char *cfg_getenv(const struct cfg_env *env, const char *name)
{
	return env->fn ? env->fn(name, env->ctx) : getenv(name);
}

static bool name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

/* Offset of the '}' closing a ${ whose body starts at s[i], or 0. */
static size_t closing_brace(const char *s, size_t i)
{
	size_t depth = 1;
	for (; s[i]; i++) {
		if (s[i] == '$' && s[i + 1] == '{') {
			depth++;
			i++;
		} else if (s[i] == '}' && --depth == 0) {
			return i;
		}
	}
	return 0;
}

static bool expand_into(rt_arena *arena, rt_buf *b, const char *s, size_t base,
                        const struct cfg_env *env, struct cfg_expand_fail *fail)
{
	for (size_t i = 0; s[i];) {
		if (s[i] == '$' && s[i + 1] == '$' && s[i + 2] == '{') {
			rt_buf_puts(b, "${");
			i += 3;
			continue;
		}
		if (s[i] != '$' || s[i + 1] != '{') {
			rt_buf_putc(b, s[i++]);
			continue;
		}
		size_t at = i, n = i + 2;
		if (!name_start(s[n])) {
			*fail = (struct cfg_expand_fail){ base + at, NULL,
			                                  "'${' must be followed by a variable name" };
			return false;
		}
		while (name_char(s[n]))
			n++;
		const char *name = rt_strndup(arena, s + i + 2, n - (i + 2));
		size_t close = closing_brace(s, n);
		if (!close) {
			*fail = (struct cfg_expand_fail){ base + at, NULL, "unterminated '${'" };
			return false;
		}
		const char *val = cfg_getenv(env, name);
		if (s[n] == '}') {
			if (!val) {
				*fail = (struct cfg_expand_fail){ base + at, name, NULL };
				return false;
			}
			rt_buf_puts(b, val);
		} else {
			bool colon = s[n] == ':' && s[n + 1] == '-';
			if (!colon && s[n] != '-') {
				*fail = (struct cfg_expand_fail){
					base + at, NULL, "expected '}', ':-' or '-' after the variable name"
				};
				return false;
			}
			size_t d = n + (colon ? 2 : 1);
			bool use_default = !val || (colon && !*val);
			if (use_default) {
				const char *def = rt_strndup(arena, s + d, close - d);
				if (!expand_into(arena, b, def, base + d, env, fail))
					return false;
			} else {
				rt_buf_puts(b, val);
			}
		}
		i = close + 1;
	}
	return true;
}

char *cfg_expand(rt_arena *arena, const char *s, const struct cfg_env *env,
                 struct cfg_expand_fail *fail)
{
	rt_buf b = RT_BUF_INIT;
	char *out = NULL;
	if (expand_into(arena, &b, s, 0, env, fail))
		out = rt_strdup(arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return out;
}
