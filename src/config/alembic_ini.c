/*
 * The keys retort takes from alembic.ini's [alembic] section, read the way
 * Alembic reads them (alembic/config.py, alembic/script/base.py): separator
 * rules for version_locations, "true" booleans, paths relative to the
 * working directory unless %(here)s is used. Unknown keys are Alembic's or
 * env.py's business and are ignored.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

#define SECTION "alembic"

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Alembic resolves "package:path" (relative, with a colon) as a package
 * resource, which needs Python; retort refuses it with a way out. */
static int check_not_resource(const char *key, const char *value, const rt_loc *loc,
                              rt_error *err)
{
	if (value[0] == '/' || !strchr(value, ':'))
		return RT_OK;
	int rc = rt_error_set(err, RT_ECONFIG, loc,
	                      "'%s' names the package resource '%s', which retort cannot resolve",
	                      key, value);
	rt_error_hint(err, "give the folder as a path (e.g. %%(here)s/migrations), or pass "
	              "--scripts DIR");
	return rc;
}

static void add_location(rt_arena *arena, rt_strv *out, const char *s, size_t n)
{
	while (n && is_ws(*s)) {
		s++;
		n--;
	}
	while (n && is_ws(s[n - 1]))
		n--;
	/* an empty entry is the working directory to Alembic; never meant */
	if (n)
		rt_strv_push(arena, out, rt_strndup(arena, s, n));
}

int cfg_split_locations(rt_arena *arena, const char *value, const char *sep_key,
                        const char *sep_value, const rt_loc *loc, rt_strv *out, rt_error *err)
{
	char sep = 0;
	if (sep_key) {
		static const struct {
			const char *name;
			char c;
		} seps[] = { { "space", ' ' }, { "newline", '\n' }, { "os", ':' }, { ":", ':' },
			     { ";", ';' } };
		for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
			if (strcmp(sep_value, seps[i].name) == 0)
				sep = seps[i].c;
		if (!sep) {
			/* Alembic's own words; 1.8.1 had no 'newline' and names the old key */
			bool old = strcmp(sep_key, "version_path_separator") == 0;
			int rc = rt_error_set(err, RT_ECONFIG, loc,
			                      "'%s' is not a valid value for %s; expected %s",
			                      sep_value, sep_key,
			                      old ? "'space', 'os', ':', ';'"
			                          : "'space', 'newline', 'os', ':', ';'");
			if (strchr(sep_value, '#') || strchr(sep_value, ';'))
				rt_error_hint(err, "alembic.ini keeps everything after '=' (ConfigParser "
				              "has no inline comments): move the comment to a line of "
				              "its own");
			return rc;
		}
	}
	rt_strv locs = { 0 };
	const char *start = value;
	for (const char *p = value;; p++) {
		/* legacy (no separator key): re.split(r", *|(?: +)") minus empty pieces */
		bool cut = sep ? *p == sep : (*p == ',' || *p == ' ');
		if (*p && !cut)
			continue;
		add_location(arena, &locs, start, (size_t)(p - start));
		if (!*p)
			break;
		start = p + 1;
	}
	for (size_t i = 0; i < locs.n; i++)
		if (strchr(locs.v[i], '\n')) {
			int rc = rt_error_set(err, RT_ECONFIG, loc,
			                      "'version_locations' entry '%s' spans several lines",
			                      locs.v[i]);
			rt_error_hint(err, "one folder per line needs 'path_separator = newline'");
			return rc;
		}
	*out = locs;
	return RT_OK;
}

/* value of key, or NULL when absent or empty; negative on a bad %(...)s. */
static int get(const ini_file *ini, const char *key, const char **value, rt_loc *loc,
               rt_error *err)
{
	*value = NULL;
	int rc = cfg_ini_get(ini, SECTION, key, value, loc, err);
	if (rc == RT_ENOTFOUND) {
		*value = NULL;
		return RT_OK;
	}
	if (rc == RT_OK && !**value)
		*value = NULL;
	return rc;
}

static int apply_locations(rt_arena *arena, rt_config *cfg, const ini_file *ini,
                           const char *cwd, rt_error *err)
{
	const char *v, *sep = NULL, *sep_key = NULL;
	rt_loc loc, sep_loc = { 0 };
	int rc = get(ini, "version_locations", &v, &loc, err);
	if (rc < 0 || !v)
		return rc;
	/* path_separator (Alembic 1.16+) wins over the deprecated key */
	static const char *const sep_keys[] = { "path_separator", "version_path_separator" };
	for (size_t i = 0; i < 2 && !sep_key; i++) {
		rc = cfg_ini_get(ini, SECTION, sep_keys[i], &sep, &sep_loc, err);
		if (rc == RT_OK)
			sep_key = sep_keys[i];
		else if (rc != RT_ENOTFOUND)
			return rc;
	}
	rt_strv locs;
	rc = cfg_split_locations(arena, v, sep_key, sep, sep_key ? &sep_loc : &loc, &locs, err);
	if (rc < 0)
		return rc;
	cfg->version_locations = (rt_strv){ 0 };
	for (size_t i = 0; i < locs.n; i++) {
		if ((rc = check_not_resource("version_locations", locs.v[i], &loc, err)) < 0)
			return rc;
		rt_strv_push(arena, &cfg->version_locations, cfg_path_join(arena, cwd, locs.v[i]));
	}
	cfg_set_origin(arena, cfg, K_VERSION_LOCATIONS, &loc, NULL);
	return RT_OK;
}

int cfg_apply_ini(rt_arena *arena, rt_config *cfg, const ini_file *ini, const char *cwd,
                  bool skip_url, rt_error *err)
{
	if (!cfg_ini_has_section(ini, SECTION)) {
		rt_loc loc = { .path = cfg->ini_path };
		int rc = rt_error_set(err, RT_ECONFIG, &loc, "'%s' has no '[alembic]' section",
		                      cfg->ini_path);
		rt_error_hint(err, "Alembic reads its settings from [alembic]; fix the file, or "
		              "name another with -c");
		return rc;
	}
	const char *v;
	rt_loc loc;
	int rc = get(ini, "script_location", &v, &loc, err);
	if (rc < 0)
		return rc;
	if (v) {
		if ((rc = check_not_resource("script_location", v, &loc, err)) < 0)
			return rc;
		cfg->script_location = cfg_path_join(arena, cwd, v);
		cfg_set_origin(arena, cfg, K_SCRIPT_LOCATION, &loc, NULL);
	}
	if ((rc = apply_locations(arena, cfg, ini, cwd, err)) < 0)
		return rc;

	v = NULL;
	if (!skip_url && (rc = get(ini, "sqlalchemy.url", &v, &loc, err)) < 0)
		return rc;
	if (v && cfg_url_is_postgres(v)) {
		rc = cfg_set_database(arena, cfg, v, "'sqlalchemy.url'", &loc, NULL, RT_ECONFIG, err);
		if (rc < 0)
			return rc;
	} else if (v) {
		/* often the template's placeholder "driver://user:pass@localhost/dbname",
		 * with the real URL set in env.py */
		rt_diags_add(&cfg->warnings, RT_SEV_WARNING, "config-ignored-url", &loc,
		             "set the database with --database, RETORT_DATABASE_URL or 'database' "
		             "in retort.yaml",
		             "ignoring 'sqlalchemy.url' '%s': not a PostgreSQL URL",
		             rt_url_mask(arena, v));
	}

	static const struct {
		const char *key;
		enum cfg_key k;
	} strings[] = { { "file_template", K_FILE_TEMPLATE }, { "timezone", K_TIMEZONE } };
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		if ((rc = get(ini, strings[i].key, &v, &loc, err)) < 0)
			return rc;
		if (!v)
			continue;
		if (strings[i].k == K_FILE_TEMPLATE)
			cfg->file_template = v;
		else
			cfg->timezone = v;
		cfg_set_origin(arena, cfg, strings[i].k, &loc, NULL);
	}

	/* Alembic: get_main_option(...) == "true"; anything else is false */
	static const struct {
		const char *key;
		enum cfg_key k;
	} bools[] = { { "sourceless", K_SOURCELESS },
		      { "recursive_version_locations", K_RECURSIVE_VERSION_LOCATIONS } };
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		if ((rc = cfg_ini_get(ini, SECTION, bools[i].key, &v, &loc, err)) == RT_ENOTFOUND)
			continue;
		if (rc < 0)
			return rc;
		bool on = strcmp(v, "true") == 0;
		if (bools[i].k == K_SOURCELESS)
			cfg->sourceless = on;
		else
			cfg->recursive_version_locations = on;
		cfg_set_origin(arena, cfg, bools[i].k, &loc, NULL);
	}

	if ((rc = get(ini, "truncate_slug_length", &v, &loc, err)) < 0)
		return rc;
	if (v) {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno || *end || n < 1 || n > 1000 || !(v[0] >= '0' && v[0] <= '9')) {
			rc = rt_error_set(err, RT_ECONFIG, &loc,
			                  "invalid value '%s' for 'truncate_slug_length'", v);
			rt_error_hint(err, "a whole number of characters, e.g. 40");
			return rc;
		}
		cfg->truncate_slug_length = (int)n;
		cfg_set_origin(arena, cfg, K_TRUNCATE_SLUG_LENGTH, &loc, NULL);
	}
	return RT_OK;
}
