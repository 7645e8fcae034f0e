/*
 * SELECT queries built with SQLAlchemy's expression language, only for what a
 * data loop iterates (rt_translate_ctx_allow_guards): `table.select()`,
 * `sa.select(table or columns)` (1.4 style, or one list as 1.3), then
 * `.where()/.filter()/.distinct()/.limit()/.offset()/.order_by()/.options()`. The text
 * only has to find the same rows (the guard counts them), so ORDER BY is left
 * out; it is never printed offline. A query is a V_OBJ named "sa.select"
 * (its columns as arguments) or "select.<method>" over its `self`.
 */
#include <string.h>

#include "retort/ident.h"
#include "translate/tr.h"

bool tr_is_query(const tr_val *v)
{
	return v && v->kind == V_OBJ &&
	       (strcmp(v->name, "sa.select") == 0 || strncmp(v->name, "select.", 7) == 0);
}

int tr_query_method(tr_run *r, tr_val *self, const char *name, tr_args *a, uint32_t off,
                    uint32_t len, tr_val **out)
{
	static const char *const methods[] = { "where", "filter", "distinct", "limit", "offset",
		                                   "order_by", "options", NULL };
	bool known = false;
	for (size_t i = 0; methods[i]; i++)
		known = known || strcmp(name, methods[i]) == 0;
	if (!known)
		return tr_refuse(r, off, len, "'%s()' of a select(): only where, filter, distinct, "
		                 "limit, offset, order_by and options are rendered", name);
	for (size_t i = 0; strcmp(name, "options") == 0 && i < a->npos; i++)
		if (!tr_orm_loader_option(a->pos[i]))
			return tr_refuse(r, a->pos[i]->off, a->pos[i]->len, "an option of a select() "
			                 "other than an ORM loader option (load_only, joinedload, ...)");
	tr_val *v = tr_new(r, V_OBJ, off, len);
	v->name = rt_concat(r->arena, "select.", name, NULL);
	v->written = "sqlalchemy.select";
	v->self = self;
	v->args = *a;
	*out = v;
	return RT_OK;
}

/* A table of the FROM list, once. */
static void add_from(tr_run *r, rt_ptrvec *from, tr_table *t)
{
	for (size_t i = 0; i < from->n; i++)
		if (from->items[i] == t)
			return;
	rt_ptrvec_push(r->arena, from, t);
}

static void table_columns(rt_buf *b, const tr_table *t, bool *first)
{
	for (size_t i = 0; i < t->ncols; i++) {
		if (!*first)
			rt_buf_puts(b, ", ");
		*first = false;
		tr_qualified(b, t->schema, t->name);
		rt_buf_putc(b, '.');
		rt_ident_append(b, t->cols[i]->name);
	}
}

static int columns(tr_run *r, rt_buf *b, rt_ptrvec *from, tr_val **items, size_t n,
                   bool *first)
{
	for (size_t i = 0; i < n; i++) {
		tr_val *c = items[i];
		if (c->kind == V_LIST && n == 1) { /* select([a, b]) */
			int rc = columns(r, b, from, c->items, c->n, first);
			if (rc < 0)
				return rc;
			continue;
		}
		if (c->kind == V_TABLE) {
			if (!c->table->ncols)
				return tr_refuse(r, c->off, c->len, "a select() of a table without columns");
			table_columns(b, c->table, first);
			add_from(r, from, c->table);
			continue;
		}
		if (c->kind == V_REF) /* an application's model, or its table */
			return tr_refuse(r, c->off, c->len, "a query of '%s': retort knows only the "
			                 "tables and model classes the version file defines", c->written);
		if (!*first)
			rt_buf_puts(b, ", ");
		*first = false;
		int rc = tr_render_sql(r, b, c, "a selected column");
		if (rc < 0)
			return rc;
		if (c->table)
			add_from(r, from, c->table);
	}
	return RT_OK;
}

/* A where() condition: sa.and_/or_/not_ over comparisons, each operand in
 * parentheses (the guard needs the meaning, not SQLAlchemy's spelling). */
static int condition(tr_run *r, rt_buf *b, tr_val *c)
{
	bool and_ = tr_is(c, "sa.and_"), or_ = tr_is(c, "sa.or_");
	if ((and_ || or_) && c->args.npos && !c->args.nkw) {
		for (size_t i = 0; i < c->args.npos; i++) {
			rt_buf_puts(b, i ? (and_ ? " AND (" : " OR (") : "(");
			int rc = condition(r, b, c->args.pos[i]);
			if (rc < 0)
				return rc;
			rt_buf_putc(b, ')');
		}
		return RT_OK;
	}
	if (tr_is(c, "sa.not_") && c->args.npos == 1 && !c->args.nkw) {
		rt_buf_puts(b, "NOT (");
		int rc = condition(r, b, c->args.pos[0]);
		rt_buf_putc(b, ')');
		return rc;
	}
	return tr_render_sql(r, b, c, "a where() condition");
}

int tr_render_query(tr_run *r, rt_buf *b, tr_val *q)
{
	/* the chain from the base select() outwards */
	rt_ptrvec chain = { 0 };
	for (tr_val *v = q; v && strncmp(v->name, "select.", 7) == 0; v = v->self)
		rt_ptrvec_push(r->arena, &chain, v);
	tr_val *base = chain.n ? ((tr_val *)chain.items[chain.n - 1])->self : q;
	if (!tr_is_query(base) || base->args.nkw)
		return tr_refuse(r, q->off, q->len, "a select() retort cannot render");
	bool distinct = false, first = true;
	rt_buf cols = RT_BUF_INIT, where = RT_BUF_INIT, tail = RT_BUF_INIT;
	rt_ptrvec from = { 0 };
	int rc = columns(r, &cols, &from, base->args.pos, base->args.npos, &first);
	for (size_t i = chain.n; rc == RT_OK && i-- > 0;) {
		tr_val *m = chain.items[i];
		const char *name = m->name + 7;
		tr_args *a = &m->args;
		if (a->nkw) {
			rc = tr_refuse(r, m->off, m->len, "keyword arguments to '%s()'", name);
		} else if (strcmp(name, "where") == 0 || strcmp(name, "filter") == 0) {
			for (size_t k = 0; k < a->npos && rc == RT_OK; k++) {
				rt_buf_puts(&where, where.len ? " AND (" : " WHERE (");
				rc = condition(r, &where, a->pos[k]);
				rt_buf_putc(&where, ')');
			}
		} else if (strcmp(name, "distinct") == 0) {
			distinct = true;
			if (a->npos)
				rc = tr_refuse(r, m->off, m->len, "'distinct()' on columns (DISTINCT ON)");
		} else if (strcmp(name, "limit") == 0 || strcmp(name, "offset") == 0) {
			if (a->npos != 1 || a->pos[0]->kind != V_INT)
				rc = tr_refuse(r, m->off, m->len, "'%s()' takes one integer", name);
			else
				rt_buf_printf(&tail, " %s %lld", name[0] == 'l' ? "LIMIT" : "OFFSET",
				              (long long)a->pos[0]->i);
		} /* order_by, and options (what is loaded of each row): the same rows */
	}
	if (rc == RT_OK) {
		rt_buf_printf(b, "SELECT %s%s", distinct ? "DISTINCT " : "", rt_buf_cstr(&cols));
		for (size_t i = 0; i < from.n; i++) {
			const tr_table *t = from.items[i];
			rt_buf_puts(b, i ? ", " : " FROM ");
			tr_qualified(b, t->schema, t->name);
		}
		rt_buf_add(b, where.ptr, where.len);
		rt_buf_add(b, tail.ptr, tail.len);
	}
	rt_buf_release(&cols);
	rt_buf_release(&where);
	rt_buf_release(&tail);
	return rc;
}
