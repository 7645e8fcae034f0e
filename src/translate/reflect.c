/*
 * Tables reflected from the live database, for the queries of data loops
 * (rt_translate_ctx_allow_guards): `meta = sa.MetaData(); meta.reflect(bind)`
 * then `meta.tables["t"]`, or `sa.Table("t", meta, autoload_with=bind)`.
 * A reflected table is known by its name only; its columns are whatever the
 * body names (`t.c.id`), and the database checks them when the query runs.
 * Offline there is no database to reflect, and such a body is refused.
 */
#include <string.h>

#include "translate/tr.h"

static int need_database(tr_run *r, uint32_t off, uint32_t len, const char *what)
{
	if (r->ctx->guards)
		return RT_OK;
	return tr_refuse(r, off, len, "%s reads the live database's schema (reflection), which "
	                 "an offline rendering has not got", what);
}

int tr_reflect_method(tr_run *r, tr_val *self, const char *name, tr_args *a, uint32_t off,
                      uint32_t len, tr_val **out)
{
	if (tr_is(self, "sa.MetaData") && strcmp(name, "reflect") == 0) {
		int rc = need_database(r, off, len, "'MetaData.reflect()'");
		const tr_val *bind = tr_arg(a, 0, "bind"), *only = tr_arg(a, SIZE_MAX, "only");
		if (rc == RT_OK && (!bind || bind->kind != V_BIND))
			rc = tr_refuse(r, off, len, "'MetaData.reflect()' of something other than "
			               "op.get_bind()");
		if (rc == RT_OK && only && only->kind != V_LIST && only->kind != V_TUPLE)
			rc = tr_refuse(r, only->off, only->len, "'only=' that is not a literal list");
		for (size_t i = 0; rc == RT_OK && only && i < only->n; i++)
			if (only->items[i]->kind != V_STR)
				rc = tr_refuse(r, only->off, only->len, "'only=' of names that are not strings");
		static const char *const ignore[] = { "views", "extend_existing", "autoload_replace",
			                                  "resolve_fks", NULL };
		tr_args_ignore(a, ignore);
		if (rc == RT_OK)
			rc = tr_args_check(r, a, 1, "MetaData.reflect", off, len);
		if (rc < 0)
			return rc;
		self->reflected = only ? only : tr_new(r, V_NONE, off, len);
		*out = tr_new(r, V_NONE, off, len);
		return RT_OK;
	}
	if (tr_is(self, "sa.MetaData.tables") && strcmp(name, "get") == 0 && a->npos == 1 &&
	    !a->nkw)
		return tr_reflected_table(r, self, a->pos[0], off, len, out);
	return TR_NOT_HANDLED;
}

int tr_reflect_attr(tr_run *r, tr_val *meta, const char *attr, uint32_t off, uint32_t len,
                    tr_val **out)
{
	if (!tr_is(meta, "sa.MetaData") || strcmp(attr, "tables") != 0)
		return TR_NOT_HANDLED;
	if (!meta->reflected)
		return tr_refuse(r, off, len, "'MetaData.tables' of a MetaData that was not "
		                 "reflected");
	tr_val *v = tr_new(r, V_OBJ, off, len);
	v->name = "sa.MetaData.tables";
	v->written = "MetaData.tables";
	v->self = meta;
	*out = v;
	return RT_OK;
}

int tr_reflected_table(tr_run *r, const tr_val *tables, const tr_val *key, uint32_t off,
                       uint32_t len, tr_val **out)
{
	tr_val *meta = tables->self;
	const tr_val *only = meta->reflected;
	if (key->kind != V_STR)
		return tr_refuse(r, off, len, "a reflected table named by a value not known "
		                 "statically");
	bool listed = only->kind == V_NONE;
	for (size_t i = 0; !listed && i < only->n; i++)
		listed = strcmp(only->items[i]->s, key->s) == 0;
	if (!listed) /* Python raises KeyError */
		return tr_refuse(r, off, len, "table '%s' is not among the reflected ones ('only=')",
		                 key->s);
	const char *schema = NULL;
	int rc = tr_get_opt_str(r, tr_arg(&meta->args, SIZE_MAX, "schema"), "schema",
	                        &schema);
	if (rc < 0)
		return rc;
	tr_table *t = rt_alloc(r->arena, sizeof(*t));
	const char *dot = strchr(key->s, '.'); /* keys are "schema.name" in a schema */
	t->schema = dot ? rt_strndup(r->arena, key->s, (size_t)(dot - key->s)) : schema;
	t->name = dot ? dot + 1 : key->s;
	if (!dot && schema)
		return tr_refuse(r, off, len, "a table of a MetaData with schema= is keyed "
		                 "'%s.%s'; Python raises KeyError", schema, key->s);
	tr_val *v = tr_new(r, V_TABLE, off, len);
	v->table = t;
	*out = v;
	return RT_OK;
}

int tr_autoload_args(tr_run *r, tr_args *a, uint32_t off, uint32_t len)
{
	const tr_val *with = tr_arg(a, SIZE_MAX, "autoload_with");
	const tr_val *autoload = tr_arg(a, SIZE_MAX, "autoload");
	if (!with && !autoload)
		return RT_OK;
	int rc = need_database(r, off, len, "'sa.Table(..., autoload_with=)'");
	if (rc == RT_OK && with && with->kind != V_BIND)
		rc = tr_refuse(r, with->off, with->len, "'autoload_with=' of something other than "
		               "op.get_bind()");
	static const char *const used[] = { "autoload_with", "autoload", NULL };
	tr_args_ignore(a, used);
	return rc;
}
