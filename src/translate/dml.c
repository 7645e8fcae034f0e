/*
 * UPDATE, DELETE and INSERT built with SQLAlchemy's expression language over a
 * table of the body (sa.table(), sa.Table(), a reflected table), for
 * op.execute() and conn.execute(): `t.update().where(t.c.id == 5).values(
 * name='x')`, `sa.update(t)...`, `t.delete().where(...)`, `t.insert().values(
 * ...)`. The text is SQLAlchemy 1.4's with literal values (what Alembic's
 * offline mode prints): `UPDATE t SET name='x' WHERE t.id = 5`. A DML value
 * is a V_OBJ named "sa.update"/"sa.delete"/"sa.insert" (the table its first
 * argument) or "dml.<method>" over its `self`.
 */
#include <string.h>

#include "retort/ident.h"
#include "translate/tr.h"

static const char *const dml_kinds[] = { "sa.update", "sa.delete", "sa.insert", NULL };

bool tr_is_dml(const tr_val *v)
{
	if (!v || v->kind != V_OBJ)
		return false;
	if (strncmp(v->name, "dml.", 4) == 0)
		return true;
	for (size_t i = 0; dml_kinds[i]; i++)
		if (strcmp(v->name, dml_kinds[i]) == 0)
			return true;
	return false;
}

int tr_dml_of_table(tr_run *r, tr_val *table, const char *name, uint32_t off, uint32_t len,
                    tr_val **out)
{
	tr_val *v = tr_new(r, V_OBJ, off, len);
	v->name = rt_concat(r->arena, "sa.", name, NULL);
	v->written = v->name;
	tr_val **pos = rt_alloc(r->arena, sizeof(*pos));
	pos[0] = table;
	v->args.pos = pos;
	v->args.npos = 1;
	*out = v;
	return RT_OK;
}

int tr_dml_method(tr_run *r, tr_val *self, const char *name, tr_args *a, uint32_t off,
                  uint32_t len, tr_val **out)
{
	if (strcmp(name, "where") != 0 && strcmp(name, "values") != 0)
		return tr_refuse(r, off, len, "'%s()' of an update(), delete() or insert(): only "
		                 "where() and values() are rendered", name);
	tr_val *v = tr_new(r, V_OBJ, off, len);
	v->name = rt_concat(r->arena, "dml.", name, NULL);
	v->written = v->name;
	v->self = self;
	v->args = *a;
	*out = v;
	return RT_OK;
}

/* One value as SQLAlchemy renders a literal bind or a SQL expression. */
static int value(tr_run *r, rt_buf *b, tr_val *v)
{
	if (v->kind == V_LIST || v->kind == V_TUPLE || v->kind == V_DICT)
		return tr_refuse(r, v->off, v->len, "a list or dict as a column value (its SQL "
		                 "depends on the column's type)");
	return tr_render_sql(r, b, v, "a column value");
}

/* A where() condition: a comparison, or sa.and_/sa.or_ of them, with
 * SQLAlchemy's parentheses (an OR inside an AND). */
static int condition(tr_run *r, rt_buf *b, tr_val *c, bool in_and)
{
	bool and_ = tr_is(c, "sa.and_"), or_ = tr_is(c, "sa.or_");
	if ((and_ || or_) && c->args.npos && !c->args.nkw) {
		bool paren = or_ && in_and && c->args.npos > 1;
		if (paren)
			rt_buf_putc(b, '(');
		for (size_t i = 0; i < c->args.npos; i++) {
			if (i)
				rt_buf_puts(b, and_ ? " AND " : " OR ");
			int rc = condition(r, b, c->args.pos[i], and_);
			if (rc < 0)
				return rc;
		}
		if (paren)
			rt_buf_putc(b, ')');
		return RT_OK;
	}
	if (c->kind != V_SQL)
		return tr_refuse(r, c->off, c->len, "a where() condition retort cannot render");
	return tr_render_sql(r, b, c, "a where() condition");
}

/* The values of .values(): keywords, or one dict (or a list of dicts, rows of
 * an INSERT). Later calls replace earlier keys. */
struct row {
	const char **keys;
	tr_val **vals;
	size_t n;
};

static void row_set(tr_run *r, struct row *row, const char *key, tr_val *v, size_t cap)
{
	for (size_t i = 0; i < row->n; i++)
		if (strcmp(row->keys[i], key) == 0) {
			row->vals[i] = v;
			return;
		}
	if (row->n < cap) {
		row->keys[row->n] = key;
		row->vals[row->n++] = v;
	}
}

static int dict_row(tr_run *r, const tr_val *d, struct row *row, size_t cap)
{
	for (size_t i = 0; i < d->n; i++) {
		const char *k;
		int rc = tr_get_str(r, d->items[2 * i], "a column name", &k);
		if (rc < 0)
			return rc;
		row_set(r, row, k, d->items[2 * i + 1], cap);
	}
	return RT_OK;
}

/* The SET / column list order: the table's columns when it names them (a
 * value for another column is SQLAlchemy's "Unconsumed column names"),
 * else the order the values were given (a reflected table). */
static int column_order(tr_run *r, const tr_table *t, const struct row *row, uint32_t off,
                        uint32_t len, size_t *order)
{
	if (!t->ncols) {
		for (size_t i = 0; i < row->n; i++)
			order[i] = i;
		return RT_OK;
	}
	size_t n = 0;
	for (size_t c = 0; c < t->ncols; c++)
		for (size_t i = 0; i < row->n; i++)
			if (strcmp(t->cols[c]->name, row->keys[i]) == 0)
				order[n++] = i;
	for (size_t i = 0; i < row->n; i++) {
		bool found = false;
		for (size_t k = 0; k < n; k++)
			found = found || order[k] == i;
		if (!found)
			return tr_refuse(r, off, len, "a value for '%s', which is not a column of table "
			                 "'%s' (SQLAlchemy: Unconsumed column names)", row->keys[i], t->name);
	}
	return RT_OK;
}

int tr_render_dml(tr_run *r, rt_buf *b, tr_val *q)
{
	rt_ptrvec chain = { 0 };
	for (tr_val *v = q; v && strncmp(v->name, "dml.", 4) == 0; v = v->self)
		rt_ptrvec_push(r->arena, &chain, v);
	tr_val *base = chain.n ? ((tr_val *)chain.items[chain.n - 1])->self : q;
	if (!tr_is_dml(base) || base->args.npos != 1 || base->args.nkw ||
	    base->args.pos[0]->kind != V_TABLE)
		return tr_refuse(r, q->off, q->len, "an %s() of something other than a table",
		                 base->name + 3);
	const tr_table *t = base->args.pos[0]->table;
	if (t->mapped) /* ORM-enabled: attribute keys, synchronize_session's evaluation */
		return tr_refuse(r, q->off, q->len, "an %s() of model class '%s' (SQLAlchemy's ORM "
		                 "runs it its own way); an %s() of '%s.__table__' is translated",
		                 base->name + 3, t->model, base->name + 3, t->model);
	char kind = base->name[3]; /* u, d, i */
	size_t cap = 0;
	for (size_t i = 0; i < chain.n; i++) {
		const tr_val *m = chain.items[i];
		cap += m->args.nkw;
		for (size_t k = 0; k < m->args.npos; k++)
			cap += m->args.pos[k]->kind == V_DICT ? m->args.pos[k]->n : 0;
	}
	struct row set = { rt_alloc_array(r->arena, cap + 1, sizeof(char *)),
		               rt_alloc_array(r->arena, cap + 1, sizeof(tr_val *)), 0 };
	const tr_val *rows = NULL; /* insert().values([{...}, ...]) */
	rt_buf where = RT_BUF_INIT;
	int rc = RT_OK;
	for (size_t i = chain.n; rc == RT_OK && i-- > 0;) {
		tr_val *m = chain.items[i];
		tr_args *a = &m->args;
		if (strcmp(m->name, "dml.where") == 0) {
			if (kind == 'i' || a->nkw)
				rc = tr_refuse(r, m->off, m->len, "this where()");
			for (size_t k = 0; rc == RT_OK && k < a->npos; k++) {
				bool many = a->npos > 1 || where.len;
				if (where.len)
					rt_buf_puts(&where, " AND ");
				rc = condition(r, &where, a->pos[k], many);
			}
		} else if (kind == 'd') {
			rc = tr_refuse(r, m->off, m->len, "values() of a delete()");
		} else if (a->npos == 1 && !a->nkw && a->pos[0]->kind == V_DICT) {
			rc = dict_row(r, a->pos[0], &set, cap);
		} else if (a->npos == 1 && !a->nkw && kind == 'i' && a->pos[0]->kind == V_LIST) {
			rows = a->pos[0];
		} else if (a->npos) {
			rc = tr_refuse(r, m->off, m->len, "values() with positional values");
		} else {
			for (size_t k = 0; k < a->nkw; k++)
				row_set(r, &set, a->kwn[k], a->kwv[k], cap);
		}
	}
	size_t *order = rt_alloc_array(r->arena, cap + 1, sizeof(*order));
	if (rc == RT_OK && kind != 'd' && !rows && !set.n)
		rc = tr_refuse(r, q->off, q->len, "an %s() without values()", base->name + 3);
	if (rc == RT_OK && rows && set.n)
		rc = tr_refuse(r, q->off, q->len, "values() given both as rows and as keywords");
	if (rc == RT_OK && rows) { /* the columns of the first row, as SQLAlchemy takes them */
		for (size_t k = 0; rc == RT_OK && k < rows->n; k++)
			if (rows->items[k]->kind != V_DICT)
				rc = tr_refuse(r, rows->items[k]->off, rows->items[k]->len,
				               "an insert() row that is not a dict");
		if (rc == RT_OK && rows->n) {
			set.keys = rt_alloc_array(r->arena, rows->items[0]->n + 1, sizeof(char *));
			set.vals = rt_alloc_array(r->arena, rows->items[0]->n + 1, sizeof(tr_val *));
			rc = dict_row(r, rows->items[0], &set, rows->items[0]->n);
			order = rt_alloc_array(r->arena, set.n + 1, sizeof(*order));
		} else if (rc == RT_OK) {
			rc = tr_refuse(r, rows->off, rows->len, "an insert() of no rows");
		}
	}
	if (rc == RT_OK && kind != 'd')
		rc = column_order(r, t, &set, q->off, q->len, order);
	if (rc == RT_OK) {
		rt_buf_puts(b, kind == 'u' ? "UPDATE " : kind == 'd' ? "DELETE FROM " : "INSERT INTO ");
		tr_qualified(b, t->schema, t->name);
	}
	if (rc == RT_OK && kind == 'u') {
		rt_buf_puts(b, " SET ");
		for (size_t i = 0; rc == RT_OK && i < set.n; i++) {
			if (i)
				rt_buf_puts(b, ", ");
			rt_ident_append(b, set.keys[order[i]]);
			rt_buf_putc(b, '=');
			rc = value(r, b, set.vals[order[i]]);
		}
	}
	if (rc == RT_OK && kind == 'i') {
		rt_buf_puts(b, " (");
		for (size_t i = 0; i < set.n; i++) {
			if (i)
				rt_buf_puts(b, ", ");
			rt_ident_append(b, set.keys[order[i]]);
		}
		rt_buf_puts(b, ") VALUES ");
		size_t nrows = rows ? rows->n : 1;
		for (size_t k = 0; rc == RT_OK && k < nrows; k++) {
			struct row one = set;
			if (rows && k) { /* every row has the first row's keys */
				one.keys = rt_alloc_array(r->arena, set.n + 1, sizeof(char *));
				one.vals = rt_alloc_array(r->arena, set.n + 1, sizeof(tr_val *));
				one.n = 0;
				rc = dict_row(r, rows->items[k], &one, set.n);
				if (rc == RT_OK && (one.n != set.n || rows->items[k]->n != set.n))
					rc = tr_refuse(r, rows->items[k]->off, rows->items[k]->len,
					               "insert() rows with different keys");
				for (size_t i = 0; rc == RT_OK && i < set.n; i++)
					if (strcmp(one.keys[i], set.keys[i]) != 0)
						rc = tr_refuse(r, rows->items[k]->off, rows->items[k]->len,
						               "insert() rows with keys in a different order");
			}
			rt_buf_puts(b, k ? ", (" : "(");
			for (size_t i = 0; rc == RT_OK && i < set.n; i++) {
				if (i)
					rt_buf_puts(b, ", ");
				rc = value(r, b, one.vals[order[i]]);
			}
			rt_buf_putc(b, ')');
		}
	}
	if (rc == RT_OK && where.len) {
		rt_buf_puts(b, " WHERE ");
		rt_buf_add(b, where.ptr, where.len);
	}
	rt_buf_release(&where);
	return rc;
}
