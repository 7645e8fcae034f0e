/*
 * Fleet target lists: a targets file (one URL per line, `#` comments,
 * ${VAR} expanded like retort.yaml) and the checks every target URL gets.
 */
#include <ctype.h>
#include <string.h>

#include "config_int.h"
#include "retort/source.h"

int cfg_check_target(rt_arena *arena, const char *url, const rt_loc *loc, const char *what,
                     rt_error *err)
{
	if (!cfg_url_scheme_len(url) || cfg_url_is_postgres(url))
		return RT_OK;
	int rc = rt_error_set(err, RT_ECONFIG, loc, "%s is not a PostgreSQL URL: '%s'", what,
	                      rt_url_mask(arena, url));
	rt_error_hint(err, "use postgresql://USER@HOST/DB (a SQLAlchemy +driver is fine) or a "
	              "libpq 'host=... dbname=...' string");
	return rc;
}

/* The line's text without surrounding blanks and without a comment (a '#'
 * at its start or after a blank). */
static const char *line_text(rt_arena *arena, const char *p, size_t len, size_t *lead)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)p[i]))
		i++;
	*lead = i;
	size_t end = i;
	for (size_t j = i; j < len; j++) {
		if (p[j] == '#' && (j == i || isspace((unsigned char)p[j - 1])))
			break;
		end = j + 1;
	}
	while (end > i && isspace((unsigned char)p[end - 1]))
		end--;
	return rt_strndup(arena, p + i, end - i);
}

int rt_config_read_targets(rt_arena *arena, const char *path, rt_getenv_fn getenv_fn,
                           void *env_ctx, rt_strv *urls, rt_strv *lines, rt_error *err)
{
	rt_source *src;
	int rc = rt_source_load(&src, arena, path, err);
	if (rc < 0)
		return rc;
	struct cfg_env env = { getenv_fn, env_ctx };
	for (uint32_t ln = 1; ln <= src->nlines; ln++) {
		size_t len, lead;
		const char *p = rt_source_line(src, ln, &len);
		const char *text = line_text(arena, p, len, &lead);
		if (!*text)
			continue;
		rt_loc loc = rt_source_loc(src, (size_t)(p - src->text) + lead, strlen(text));
		struct cfg_expand_fail fail;
		char *url = cfg_expand(arena, text, &env, &fail);
		if (!url) {
			loc = rt_source_loc(src, (size_t)(p - src->text) + lead + fail.offset, 1);
			if (fail.var) {
				rc = rt_error_set(err, RT_ECONFIG, &loc, "this target uses environment "
				                  "variable '%s', which is not set", fail.var);
				rt_error_hint(err, "set %s, or give a default: ${%s:-value}", fail.var,
				              fail.var);
			} else {
				rc = rt_error_set(err, RT_ECONFIG, &loc, "invalid '${' in a target: %s",
				                  fail.what);
				rt_error_hint(err, "write ${NAME} or ${NAME:-default}; '$${' is a literal '${'");
			}
			return rc;
		}
		if ((rc = cfg_check_target(arena, url, &loc, "this target", err)) < 0)
			return rc;
		rt_strv_push(arena, urls, rt_url_drop_driver(arena, url));
		rt_strv_push(arena, lines, rt_url_mask(arena, text));
	}
	return RT_OK;
}
