/*
 * retort.yaml through libyaml's document API: one mapping of known keys,
 * ${VAR} expansion in every scalar value, and errors that point at the file,
 * line and column of the offending key or value. Keys of `types:`,
 * `assume:` and `naming_convention:` are taken literally; nothing else nests.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "config_int.h"

struct yaml_cfg {
	rt_arena *arena;
	const rt_source *src;
	yaml_document_t doc;
	bool have_doc;
	yaml_node_t *value[K_COUNT]; /* NULL: key absent */
	enum cfg_key order[K_COUNT]; /* keys in file order, so errors come top down */
	size_t norder;
};

/* Other tools' names for our keys: a hint beyond edit distance. */
static const struct {
	const char *alias;
	const char *hint;
} aliases[] = {
	{ "url", "the database URL is 'database'" },
	{ "database_url", "the database URL is 'database'" },
	{ "sqlalchemy.url", "the database URL is 'database'" },
	{ "dsn", "the database URL is 'database'" },
	{ "scripts", "the folder holding versions/ is 'script_location'" },
	{ "transaction_per_migration", "write 'transaction: per-migration'" },
	{ "version_path_separator", "'version_locations' takes a YAML list" },
	{ "path_separator", "'version_locations' takes a YAML list" },
};

static void free_doc(void *p)
{
	yaml_cfg *y = p;
	if (y->have_doc)
		yaml_document_delete(&y->doc);
}

/* libyaml marks count lines from 0 and columns in characters from 0. */
static rt_loc mark_loc(const rt_source *src, yaml_mark_t m, size_t len)
{
	if (m.line >= src->nlines)
		return rt_source_loc(src, src->len, 0);
	size_t off = src->line_starts[m.line];
	for (size_t col = 0; col < m.column && off < src->len && src->text[off] != '\n'; col++) {
		off++;
		while (off < src->len && ((unsigned char)src->text[off] & 0xC0) == 0x80)
			off++;
	}
	return rt_source_loc(src, off, len);
}

static rt_loc node_loc(const yaml_cfg *y, const yaml_node_t *n)
{
	size_t len = 0;
	if (n->start_mark.line == n->end_mark.line && n->end_mark.column > n->start_mark.column)
		len = n->end_mark.column - n->start_mark.column;
	return mark_loc(y->src, n->start_mark, len);
}

static const char *scalar_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static int syntax_error(const rt_source *src, yaml_parser_t *p, rt_error *err)
{
	rt_loc loc;
	if (p->error == YAML_READER_ERROR)
		loc = rt_source_loc(src, p->problem_offset < src->len ? p->problem_offset : src->len,
		                    0);
	else
		loc = mark_loc(src, p->problem_mark, 0);
	int rc;
	if (p->error == YAML_MEMORY_ERROR)
		rt_oom();
	rc = rt_error_set(err, RT_ESYNTAX, &loc, "invalid YAML: %s",
	                  p->problem ? p->problem : "unknown error");
	if (p->context)
		rt_error_detail(err, "%s at line %zu", p->context, p->context_mark.line + 1);
	return rc;
}

static long key_index(const char *name)
{
	for (size_t i = 0; i < K_COUNT; i++)
		if (strcmp(cfg_key_names[i], name) == 0)
			return (long)i;
	return -1;
}

static int unknown_key(const yaml_cfg *y, const yaml_node_t *key, rt_error *err)
{
	const char *name = scalar_text(key);
	rt_loc loc = node_loc(y, key);
	int rc = rt_error_set(err, RT_ECONFIG, &loc, "unknown key '%s'", name);
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(aliases[i].alias, name) == 0) {
			rt_error_hint(err, "%s", aliases[i].hint);
			return rc;
		}
	const char *near = cfg_suggest(name, cfg_key_names, K_COUNT);
	if (near)
		rt_error_hint(err, "did you mean '%s'?", near);
	else
		rt_error_hint(err, "docs/configuration.md lists the keys");
	return rc;
}

int cfg_yaml_parse(rt_arena *arena, const rt_source *src, yaml_cfg **out, rt_error *err)
{
	yaml_cfg *y = rt_alloc(arena, sizeof(*y));
	y->arena = arena;
	y->src = src;
	rt_arena_on_free(arena, free_doc, y);
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		rt_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
	int rc = RT_OK;
	if (!yaml_parser_load(&parser, &y->doc)) {
		rc = syntax_error(src, &parser, err);
		goto done;
	}
	y->have_doc = true;
	yaml_document_t extra;
	if (!yaml_parser_load(&parser, &extra)) {
		rc = syntax_error(src, &parser, err);
		goto done;
	}
	bool more = yaml_document_get_root_node(&extra) != NULL;
	yaml_mark_t extra_mark = extra.start_mark;
	yaml_document_delete(&extra);
	if (more) {
		rt_loc loc = mark_loc(src, extra_mark, 0);
		rc = rt_error_set(err, RT_ESYNTAX, &loc, "'%s' holds more than one YAML document",
		                  src->path);
		rt_error_hint(err, "remove the '---' line and merge the settings into one mapping");
		goto done;
	}
	yaml_node_t *root = yaml_document_get_root_node(&y->doc);
	if (!root)
		goto done; /* an empty file: no settings */
	if (root->type != YAML_MAPPING_NODE) {
		rt_loc loc = node_loc(y, root);
		rc = rt_error_set(err, RT_ECONFIG, &loc, "'%s' must be a mapping of settings",
		                  src->path);
		rt_error_hint(err, "write one 'key: value' per line, e.g. 'script_location: "
		              "migrations'");
		goto done;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&y->doc, p->value);
		if (k->type != YAML_SCALAR_NODE) {
			rt_loc loc = node_loc(y, k);
			rc = rt_error_set(err, RT_ECONFIG, &loc, "a key in '%s' is not a plain name",
			                  src->path);
			goto done;
		}
		long i = key_index(scalar_text(k));
		if (i < 0) {
			rc = unknown_key(y, k, err);
			goto done;
		}
		if (y->value[i]) {
			rt_loc loc = node_loc(y, k);
			rc = rt_error_set(err, RT_ECONFIG, &loc, "key '%s' is set twice",
			                  cfg_key_names[i]);
			rt_error_detail(err, "first set at line %zu", y->value[i]->start_mark.line + 1);
			goto done;
		}
		y->value[i] = v;
		y->order[y->norder++] = (enum cfg_key)i;
	}
done:
	yaml_parser_delete(&parser);
	if (rc == RT_OK)
		*out = y;
	return rc;
}

static bool is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(scalar_text(n), nulls[i]) == 0)
			return true;
	return false;
}

/* Position of byte offset `at` of a scalar's value, when the value is the
 * source text itself (one line, no escapes); else the scalar's start. */
static rt_loc scalar_loc_at(const yaml_cfg *y, const yaml_node_t *n, size_t at)
{
	rt_loc loc = node_loc(y, n);
	bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	bool quoted = n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	              n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	size_t skip = quoted ? 1 : 0;
	if (!(plain || quoted) || loc.offset + skip + n->data.scalar.length > y->src->len ||
	    memcmp(y->src->text + loc.offset + skip, n->data.scalar.value,
	           n->data.scalar.length) != 0)
		return loc;
	return rt_source_loc(y->src, loc.offset + skip + at, 2);
}

/*
 * The scalar value of node n (for key `key`), ${VAR}-expanded. *text is NULL
 * when the value is null or expands to nothing: the key then counts as not
 * set here.
 */
static int scalar(yaml_cfg *y, const yaml_node_t *n, const char *key,
                  const struct cfg_env *env, const char **text, rt_loc *loc, rt_error *err)
{
	*loc = node_loc(y, n);
	*text = NULL;
	if (n->type != YAML_SCALAR_NODE) {
		int rc = rt_error_set(err, RT_ECONFIG, loc, "'%s' must be a single value, not a %s",
		                      key, n->type == YAML_MAPPING_NODE ? "mapping" : "list");
		return rc;
	}
	if (strlen(scalar_text(n)) != n->data.scalar.length)
		return rt_error_set(err, RT_ECONFIG, loc, "the value of '%s' contains a NUL byte",
		                    key);
	if (is_null(n))
		return RT_OK;
	struct cfg_expand_fail fail;
	char *v = cfg_expand(y->arena, scalar_text(n), env, &fail);
	if (!v) {
		rt_loc at = scalar_loc_at(y, n, fail.offset);
		int rc;
		if (fail.var) {
			rc = rt_error_set(err, RT_ECONFIG, &at,
			                  "'%s' uses environment variable '%s', which is not set", key,
			                  fail.var);
			rt_error_hint(err, "set %s, or give a default: ${%s:-value}", fail.var,
			              fail.var);
		} else {
			rc = rt_error_set(err, RT_ECONFIG, &at, "invalid '${' in '%s': %s", key,
			                  fail.what);
			rt_error_hint(err, "write ${NAME} or ${NAME:-default}; '$${' is a literal '${'");
		}
		return rc;
	}
	*text = *v ? v : NULL;
	return RT_OK;
}

static int bad_value(rt_error *err, const rt_loc *loc, const char *key, const char *text,
                     const char *accepted)
{
	int rc = rt_error_set(err, RT_ECONFIG, loc, "invalid value '%s' for '%s'", text, key);
	rt_error_hint(err, "accepted values: %s", accepted);
	return rc;
}

static int parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on" }, *const no[] = { "false", "no",
		                                                                    "off" };
	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = true;
			return RT_OK;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = false;
			return RT_OK;
		}
	}
	return RT_ECONFIG;
}

static int parse_verbosity(const char *text, int *out)
{
	static const char *const names[] = { "quiet", "normal", "verbose" };
	for (int i = 0; i < 3; i++)
		if (strcmp(text, names[i]) == 0) {
			*out = i - 1;
			return RT_OK;
		}
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || *end || end == text || v < -1 || v > 9)
		return RT_ECONFIG;
	*out = (int)v;
	return RT_OK;
}

static bool dotted_name(const char *s)
{
	bool start = true;
	for (; *s; s++) {
		bool alpha = (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_';
		bool digit = *s >= '0' && *s <= '9';
		if (*s == '.' && !start)
			start = true;
		else if (alpha || (digit && !start))
			start = false;
		else
			return false;
	}
	return !start;
}

/* The entries of a mapping keyed by dotted Python names (types:, assume:):
 * *count of them (a null value is no mapping, and none); what/example make
 * the error for a node that is neither. */
static int dotted_map(yaml_cfg *y, const yaml_node_t *n, const char *key, const char *what,
                      const char *example, size_t *count, rt_error *err)
{
	*count = 0;
	if (n->type != YAML_MAPPING_NODE) {
		if (is_null(n))
			return RT_OK;
		rt_loc loc = node_loc(y, n);
		int rc = rt_error_set(err, RT_ECONFIG, &loc, "'%s' must be a mapping of Python names "
		                      "to %s", key, what);
		rt_error_hint(err, "e.g. '%s' indented under '%s:'", example, key);
		return rc;
	}
	*count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	return RT_OK;
}

/* One key of such a mapping, checked: its text, at *kloc. */
static int dotted_key(yaml_cfg *y, const yaml_node_t *k, const char *key, const char *example,
                      const char **name, rt_loc *kloc, rt_error *err)
{
	*kloc = node_loc(y, k);
	*name = k->type == YAML_SCALAR_NODE ? scalar_text(k) : "?";
	if (k->type == YAML_SCALAR_NODE && dotted_name(*name))
		return RT_OK;
	int rc = rt_error_set(err, RT_ECONFIG, kloc, "'%s' key '%s' is not a dotted Python name",
	                      key, *name);
	rt_error_hint(err, "write the name as the version files import it, e.g. '%s'", example);
	return rc;
}

static int apply_types(yaml_cfg *y, rt_config *cfg, const yaml_node_t *n,
                       const struct cfg_env *env, rt_error *err)
{
	size_t count;
	int rc = dotted_map(y, n, "types", "SQL types", "sqlalchemy_utils.UUIDType: UUID", &count,
	                    err);
	if (rc < 0 || n->type != YAML_MAPPING_NODE) /* null: nothing given */
		return rc;
	cfg->types = rt_alloc_array(y->arena, count ? count : 1, sizeof(*cfg->types));
	cfg->ntypes = 0;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *v = yaml_document_get_node(&y->doc, p->value);
		const char *name;
		rt_loc kloc;
		if ((rc = dotted_key(y, yaml_document_get_node(&y->doc, p->key), "types",
		                     "sqlalchemy_utils.UUIDType", &name, &kloc, err)) < 0)
			return rc;
		if (rt_config_find_type(cfg, name))
			return rt_error_set(err, RT_ECONFIG, &kloc, "'types' maps '%s' twice", name);
		const char *sql;
		rt_loc vloc;
		if ((rc = scalar(y, v, name, env, &sql, &vloc, err)) < 0)
			return rc;
		if (!sql) {
			rc = rt_error_set(err, RT_ECONFIG, &vloc, "'types' gives no SQL type for '%s'",
			                  name);
			rt_error_hint(err, "e.g. '%s: UUID'", name);
			return rc;
		}
		rt_type_map_entry *t = &cfg->types[cfg->ntypes++];
		t->python_name = rt_strdup(y->arena, name);
		t->sql = sql;
		t->loc = kloc;
	}
	return RT_OK;
}

/* An `assume:` value: null, a boolean, a decimal integer or a string, as
 * YAML's core schema reads a plain scalar; quoted scalars are strings. */
static int assume_value(yaml_cfg *y, const yaml_node_t *v, const char *name,
                        const struct cfg_env *env, rt_assume_entry *out, rt_error *err)
{
	rt_loc vloc;
	const char *text;
	if (v->type == YAML_SCALAR_NODE && is_null(v)) {
		out->kind = RT_ASSUME_NONE;
		return RT_OK;
	}
	int rc = scalar(y, v, name, env, &text, &vloc, err);
	if (rc < 0) {
		if (v->type != YAML_SCALAR_NODE)
			rt_error_hint(err, "an assumed value is null, true/false, an integer or a string");
		return rc;
	}
	out->kind = RT_ASSUME_STR;
	out->str = text ? text : "";
	if (!text || v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return RT_OK;
	bool b;
	if (parse_bool(text, &b) == RT_OK) {
		out->kind = RT_ASSUME_BOOL;
		out->i = b;
		return RT_OK;
	}
	const char *digits = text + (text[0] == '-' || text[0] == '+');
	if (*digits >= '0' && *digits <= '9' && strspn(digits, "0123456789") == strlen(digits)) {
		char *end;
		errno = 0;
		long long i = strtoll(text, &end, 10);
		if (errno)
			return rt_error_set(err, RT_ECONFIG, &vloc, "'assume' value '%s' for '%s' is "
			                    "outside 64 bits", text, name);
		out->kind = RT_ASSUME_INT;
		out->i = i;
	}
	return RT_OK;
}

static int apply_assume(yaml_cfg *y, rt_config *cfg, const yaml_node_t *n,
                        const struct cfg_env *env, rt_error *err)
{
	size_t count;
	int rc = dotted_map(y, n, "assume", "values", "app.config.settings.pg_uri: null", &count,
	                    err);
	if (rc < 0 || n->type != YAML_MAPPING_NODE) /* null: nothing given */
		return rc;
	cfg->assumes = rt_alloc_array(y->arena, count ? count : 1, sizeof(*cfg->assumes));
	cfg->nassumes = 0;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *v = yaml_document_get_node(&y->doc, p->value);
		const char *name;
		rt_loc kloc;
		if ((rc = dotted_key(y, yaml_document_get_node(&y->doc, p->key), "assume",
		                     "app.config.settings.pg_uri", &name, &kloc, err)) < 0)
			return rc;
		if (rt_config_find_assume(cfg, name))
			return rt_error_set(err, RT_ECONFIG, &kloc, "'assume' gives '%s' twice", name);
		rt_assume_entry *e = &cfg->assumes[cfg->nassumes];
		e->python_name = rt_strdup(y->arena, name);
		e->loc = kloc;
		if ((rc = assume_value(y, v, e->python_name, env, e, err)) < 0)
			return rc;
		cfg->nassumes++;
	}
	return RT_OK;
}

/* naming_convention: SQLAlchemy MetaData's dictionary, keyed by the
 * constraint kinds a YAML file can name. */
static int apply_naming(yaml_cfg *y, rt_config *cfg, const yaml_node_t *n,
                        const struct cfg_env *env, rt_error *err)
{
	static const char *const kinds[] = { "ix", "uq", "ck", "fk", "pk" };
	rt_loc loc = node_loc(y, n);
	if (n->type != YAML_MAPPING_NODE) {
		if (is_null(n))
			return RT_OK;
		int rc = rt_error_set(err, RT_ECONFIG, &loc, "'naming_convention' must be a mapping "
		                      "of ix, uq, ck, fk, pk to name templates");
		rt_error_hint(err, "e.g. 'uq: \"uq_%%(table_name)s_%%(column_0_name)s\"' indented "
		              "under 'naming_convention:'");
		return rc;
	}
	size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	cfg->naming_convention = rt_alloc_array(y->arena, count ? count : 1,
	                                        sizeof(*cfg->naming_convention));
	cfg->nnaming = 0;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&y->doc, p->value);
		rt_loc kloc = node_loc(y, k);
		const char *key = k->type == YAML_SCALAR_NODE ? scalar_text(k) : "?";
		size_t kind = 0;
		while (kind < 5 && strcmp(key, kinds[kind]) != 0)
			kind++;
		if (kind == 5) {
			int rc = rt_error_set(err, RT_ECONFIG, &kloc, "'naming_convention' key '%s' is "
			                      "not one of ix, uq, ck, fk, pk", key);
			rt_error_hint(err, "SQLAlchemy's keys: ix (indexes), uq (unique), ck (check), "
			              "fk (foreign key), pk (primary key)");
			return rc;
		}
		for (size_t i = 0; i < cfg->nnaming; i++)
			if (strcmp(cfg->naming_convention[i].key, key) == 0)
				return rt_error_set(err, RT_ECONFIG, &kloc, "'naming_convention' gives "
				                    "'%s' twice", key);
		const char *tmpl;
		rt_loc vloc;
		int rc = scalar(y, v, key, env, &tmpl, &vloc, err);
		if (rc < 0)
			return rc;
		if (!tmpl)
			return rt_error_set(err, RT_ECONFIG, &vloc, "'naming_convention' gives no "
			                    "template for '%s'", key);
		rt_naming_entry *e = &cfg->naming_convention[cfg->nnaming++];
		e->key = kinds[kind];
		e->tmpl = tmpl;
		e->loc = kloc;
	}
	return RT_OK;
}

/* One list entry: a path (joined to base when given), or a fleet target URL
 * (checked, +driver dropped). */
static int push_entry(yaml_cfg *y, enum cfg_key k, const char *text, const rt_loc *loc,
                      const char *base, rt_strv *out, rt_error *err)
{
	if (k != K_TARGETS) {
		rt_strv_push(y->arena, out, base ? cfg_path_join(y->arena, base, text) : text);
		return RT_OK;
	}
	int rc = cfg_check_target(y->arena, text, loc, "this target", err);
	if (rc == RT_OK)
		rt_strv_push(y->arena, out, rt_url_drop_driver(y->arena, text));
	return rc;
}

/* A list of strings, or one string, for key k ("what" names an entry in
 * messages); paths (base not NULL) are joined to base. */
static int apply_list(yaml_cfg *y, const yaml_node_t *n, enum cfg_key k, const char *what,
                      const struct cfg_env *env, const char *base, rt_strv *out, rt_error *err)
{
	const char *key = cfg_key_names[k];
	rt_loc loc;
	const char *text;
	if (n->type == YAML_SCALAR_NODE) {
		int rc = scalar(y, n, key, env, &text, &loc, err);
		if (rc == RT_OK && text)
			rc = push_entry(y, k, text, &loc, base, out, err);
		return rc;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		loc = node_loc(y, n);
		return rt_error_set(err, RT_ECONFIG, &loc, "'%s' must be a list of %ss or one %s", key,
		                    what, what);
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = yaml_document_get_node(&y->doc, *it);
		int rc = scalar(y, item, key, env, &text, &loc, err);
		if (rc < 0)
			return rc;
		if (!text)
			return rt_error_set(err, RT_ECONFIG, &loc, "empty entry in '%s'", key);
		if ((rc = push_entry(y, k, text, &loc, base, out, err)) < 0)
			return rc;
	}
	return RT_OK;
}

int cfg_yaml_alembic_ini(yaml_cfg *y, const struct cfg_env *env, const char **path,
                         bool *given, rt_error *err)
{
	*path = NULL;
	*given = y->value[K_ALEMBIC_INI] != NULL;
	if (!*given)
		return RT_OK;
	rt_loc loc;
	return scalar(y, y->value[K_ALEMBIC_INI], cfg_key_names[K_ALEMBIC_INI], env, path, &loc,
	              err);
}

static int apply_key(yaml_cfg *y, rt_config *cfg, enum cfg_key k, const yaml_node_t *n,
                     const struct cfg_env *env, const char *base, rt_error *err)
{
	rt_arena *a = y->arena;
	const char *key = cfg_key_names[k];
	const char *text;
	rt_loc loc = node_loc(y, n);
	int rc;
	if (k == K_TYPES) {
		if ((rc = apply_types(y, cfg, n, env, err)) == RT_OK)
			cfg_set_origin(a, cfg, k, &loc, NULL);
		return rc;
	}
	if (k == K_NAMING_CONVENTION) {
		if ((rc = apply_naming(y, cfg, n, env, err)) == RT_OK)
			cfg_set_origin(a, cfg, k, &loc, NULL);
		return rc;
	}
	if (k == K_ASSUME) {
		if ((rc = apply_assume(y, cfg, n, env, err)) == RT_OK)
			cfg_set_origin(a, cfg, k, &loc, NULL);
		return rc;
	}
	if (k == K_VERSION_LOCATIONS || k == K_SCRATCH_DATABASES || k == K_TRUST ||
	    k == K_TARGETS) {
		bool paths = k != K_SCRATCH_DATABASES && k != K_TARGETS;
		const char *what = k == K_TRUST ? "key file" : k == K_TARGETS ? "database URL"
		                 : paths          ? "folder"
		                                  : "database name";
		rt_strv list = { 0 };
		if ((rc = apply_list(y, n, k, what, env, paths ? base : NULL, &list, err)) < 0 ||
		    !list.n)
			return rc;
		*(k == K_TRUST     ? &cfg->trust
		  : k == K_TARGETS ? &cfg->targets
		  : paths          ? &cfg->version_locations
		                   : &cfg->scratch_databases) = list;
		cfg_set_origin(a, cfg, k, &loc, NULL);
		return RT_OK;
	}
	if (k == K_SCHEMAS && n->type == YAML_SEQUENCE_NODE) {
		rt_strv names = { 0 };
		if ((rc = apply_list(y, n, k, "schema name", env, NULL, &names, err)) < 0)
			return rc;
		rt_buf b = RT_BUF_INIT;
		for (size_t i = 0; i < names.n; i++) {
			if (strchr(names.v[i], ',')) {
				loc = node_loc(y, n);
				rt_buf_release(&b);
				rc = rt_error_set(err, RT_ECONFIG, &loc, "'schemas' entry '%s' holds a comma, "
				                  "which separates schema names", names.v[i]);
				rt_error_hint(err, "give such schemas by a query instead, e.g. 'schemas: "
				              "SELECT nspname FROM pg_namespace WHERE ...'");
				return rc;
			}
			rt_buf_printf(&b, "%s%s", i ? "," : "", names.v[i]);
		}
		cfg->schemas = names.n ? rt_strdup(a, rt_buf_cstr(&b)) : NULL;
		rt_buf_release(&b);
		cfg_set_origin(a, cfg, k, &loc, NULL);
		return RT_OK;
	}
	if ((rc = scalar(y, n, key, env, &text, &loc, err)) < 0 || !text)
		return rc;
	switch (k) {
	case K_DATABASE:
		return cfg_set_database(a, cfg, text, "'database'", &loc, NULL, RT_ECONFIG, err);
	case K_SCRIPT_LOCATION:
		cfg->script_location = cfg_path_join(a, base, text);
		break;
	case K_BUNDLE:
		cfg->bundle = cfg_path_join(a, base, text);
		break;
	case K_SCHEMAS:
		cfg->schemas = rt_strdup(a, text);
		break;
	case K_RECURSIVE_VERSION_LOCATIONS:
	case K_SOURCELESS:
	case K_VERSION_TABLE_PK:
	case K_ALLOW_MULTIPLE_HEADS: {
		bool v;
		if (parse_bool(text, &v) < 0)
			return bad_value(err, &loc, key, text, "true, false");
		if (k == K_RECURSIVE_VERSION_LOCATIONS)
			cfg->recursive_version_locations = v;
		else if (k == K_SOURCELESS)
			cfg->sourceless = v;
		else if (k == K_VERSION_TABLE_PK)
			cfg->version_table_pk = v;
		else
			cfg->allow_multiple_heads = v;
		break;
	}
	case K_VERSION_TABLE:
	case K_VERSION_TABLE_SCHEMA:
	case K_HISTORY_TABLE:
		if (!rt_config_valid_identifier(text)) {
			rc = rt_error_set(err, RT_ECONFIG, &loc,
			                  "'%s' is not a valid PostgreSQL name for '%s'", text, key);
			rt_error_hint(err, "names are 1 to 63 bytes long");
			return rc;
		}
		if (k == K_VERSION_TABLE)
			cfg->version_table = text;
		else if (k == K_VERSION_TABLE_SCHEMA)
			cfg->version_table_schema = text;
		else
			cfg->history_table = text;
		break;
	case K_TRANSACTION:
		if (!cfg_parse_transaction(text, &cfg->transaction))
			return bad_value(err, &loc, key, text, "'per-migration', 'single'");
		break;
	case K_FORMAT:
		if (!cfg_parse_format(text, &cfg->format))
			return bad_value(err, &loc, key, text, "'text', 'json'");
		break;
	case K_VERBOSITY:
		if (parse_verbosity(text, &cfg->verbosity) < 0)
			return bad_value(err, &loc, key, text,
			                 "'quiet', 'normal', 'verbose', or a number from -1 to 9");
		break;
	case K_LOCK_TIMEOUT:
	case K_WAIT:
	case K_STATEMENT_LOCK_TIMEOUT: {
		double secs;
		if (!rt_config_parse_duration(text, &secs))
			return bad_value(err, &loc, key, text,
			                 "a number of seconds, or a duration such as 500ms, 5s, 2m, 1h");
		if (k == K_LOCK_TIMEOUT)
			cfg->lock_timeout = secs;
		else if (k == K_WAIT)
			cfg->wait = secs;
		else
			cfg->statement_lock_timeout = secs;
		break;
	}
	case K_TRUNCATE_SLUG_LENGTH: {
		char *end;
		errno = 0;
		long v = strtol(text, &end, 10);
		if (errno || *end || v < 1 || v > 1000 || !(text[0] >= '0' && text[0] <= '9'))
			return bad_value(err, &loc, key, text, "a whole number from 1 to 1000");
		cfg->truncate_slug_length = (int)v;
		break;
	}
	case K_FILE_TEMPLATE:
		cfg->file_template = text;
		break;
	case K_TIMEZONE:
		cfg->timezone = text;
		break;
	default: /* K_ALEMBIC_INI was applied first; K_TYPES etc. above */
		return RT_OK;
	}
	cfg_set_origin(a, cfg, k, &loc, NULL);
	return RT_OK;
}

int cfg_yaml_apply(yaml_cfg *y, rt_config *cfg, const struct cfg_env *env,
                   const char *base_dir, bool skip_database, rt_error *err)
{
	for (size_t i = 0; i < y->norder; i++) {
		enum cfg_key k = y->order[i];
		if (k == K_DATABASE && skip_database)
			continue;
		int rc = apply_key(y, cfg, k, y->value[k], env, base_dir, err);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}
