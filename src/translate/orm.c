/*
 * Data migrations written with SQLAlchemy 1.4's ORM inside a version file.
 *
 * A Session bound to the migration's connection, `Session(bind=op.get_bind())`,
 * alone or as `with Session(...) as session:`, runs everything on that
 * connection. Alembic's connection is already in a transaction there, so
 * SessionTransaction._connection_for_bind takes that transaction with
 * should_commit False: session.commit() only flushes and never commits,
 * close() (the end of the `with`) ends nothing, and the statements stay in
 * the migration's transaction. So session.connection() is op.get_bind(),
 * session.execute(x) is conn.execute(x), and commit/flush/close with no
 * model instance pending (retort never makes one) do nothing. rollback()
 * would roll back Alembic's own transaction and is refused, as is a Session
 * inside autocommit_block(), whose connection is not in a transaction.
 *
 * Declarative model classes of the file, `class X(Base): __tablename__ =
 * "x"; id = sa.Column(...)` over `Base = declarative_base()`, are tables
 * known by name and columns (V_TABLE, mapped): `session.query(X)`,
 * `session.query(X.id).filter(...).all()` and `session.execute(sa.select(X))`
 * are select() queries (query.c) whose rows are read as a fresh database
 * gives them, guarded (tr_query_rows). Column types are not evaluated: only
 * the names reach the query, and the database checks them when it runs.
 */
#include <string.h>

#include "translate/tr.h"

/* ---- model classes ---- */

static bool is_declarative_base(const tr_val *v)
{
	static const char *const names[] = {
		"sa.orm.declarative_base", "sa.ext.declarative.declarative_base",
		"sa.orm.decl_api.declarative_base", "sa.ext.declarative.api.declarative_base", NULL,
	};
	for (size_t i = 0; names[i]; i++)
		if (tr_is(v, names[i]))
			return true;
	return false;
}

/* The callee of `name = sa.Column(...)`: a column of the model. */
static int column_call(tr_run *r, tr_scope *sc, const py_expr *e, bool *out)
{
	*out = false;
	if (e->kind != PY_E_CALL)
		return RT_OK;
	tr_val *fn;
	int rc = tr_eval(r, sc, e->u.call.func, &fn);
	if (rc == RT_OK)
		*out = tr_is(fn, "sa.Column") || tr_is(fn, "sa.orm.mapped_column");
	return rc;
}

/* A column's name: the first positional argument when it is a string, else
 * the attribute's name (SQLAlchemy names the column after its key). */
static int column_name(tr_run *r, tr_scope *sc, const py_expr *call, const char *key,
                       const char **out)
{
	*out = key;
	if (!call->u.call.args.n)
		return RT_OK;
	const py_expr *first = call->u.call.args.v[0];
	if (first->kind == PY_E_CALL)
		return RT_OK; /* a type: not evaluated, only names matter to a query */
	tr_val *v;
	int rc = tr_eval(r, sc, first, &v);
	if (rc == RT_OK && v->kind == V_STR)
		*out = v->s;
	return rc;
}

static void add_column(tr_run *r, rt_ptrvec *cols, const char *key, const char *name,
                       const py_stmt *st)
{
	tr_col *c = rt_alloc(r->arena, sizeof(*c));
	c->key = key;
	c->name = name;
	c->off = st->off;
	c->len = st->len;
	rt_ptrvec_push(r->arena, cols, c);
}

/* `name: Mapped[str]` alone is a column in SQLAlchemy 2.0's declarative. */
static int mapped_annotation(tr_run *r, tr_scope *sc, const py_stmt *st, bool *out)
{
	const py_expr *ann = st->u.annassign.annotation;
	*out = false;
	if (ann->kind != PY_E_SUBSCRIPT)
		return RT_OK;
	tr_val *v;
	int rc = tr_eval(r, sc, ann->u.subscript.value, &v);
	*out = rc == RT_OK && tr_is(v, "sa.orm.Mapped");
	return rc;
}

/* __table_args__ = {...} or (constraint, ..., {...}): only schema= matters. */
static int table_schema(tr_run *r, tr_scope *sc, const py_expr *e, const char **schema)
{
	if (e->kind == PY_E_TUPLE && e->u.seq.elts.n)
		e = e->u.seq.elts.v[e->u.seq.elts.n - 1];
	if (e->kind != PY_E_DICT)
		return RT_OK;
	tr_val *d;
	int rc = tr_eval(r, sc, e, &d);
	for (size_t i = 0; rc == RT_OK && i < d->n; i++)
		if (d->items[2 * i]->kind == V_STR && strcmp(d->items[2 * i]->s, "schema") == 0)
			rc = tr_get_opt_str(r, d->items[2 * i + 1], "schema", schema);
	return rc;
}

/* `class Base(DeclarativeBase): pass` (the 2.0 spelling): a declarative base
 * like declarative_base() gives, when its body declares nothing. */
static int base_class(tr_run *r, tr_val *cls)
{
	const py_stmt *s = cls->def;
	for (size_t i = 0; i < s->u.class_.body.n; i++) {
		const py_stmt *st = s->u.class_.body.v[i];
		if (st->kind != PY_S_PASS &&
		    !(st->kind == PY_S_EXPR && st->u.expr.value->kind == PY_E_STR))
			return tr_refuse(r, st->off, st->len, "a declarative base class '%s' that "
			                 "declares something (only 'pass' or a docstring)",
			                 s->u.class_.name);
	}
	cls->kind = V_OBJ; /* every name bound to the class sees the base */
	cls->name = "sa.orm.declarative_base";
	cls->written = s->u.class_.name;
	return RT_OK;
}

int tr_orm_class(tr_run *r, tr_val *cls, uint32_t off, uint32_t len)
{
	const py_stmt *s = cls->def;
	tr_scope *sc = cls->closure;
	const char *name = s->u.class_.name;
	if (s->u.class_.bases.n != 1)
		return TR_NOT_HANDLED;
	tr_val *base;
	const py_expr *be = s->u.class_.bases.v[0];
	if (be->kind != PY_E_NAME && be->kind != PY_E_ATTR)
		return TR_NOT_HANDLED;
	int rc = tr_eval(r, sc, be, &base);
	if (rc < 0)
		return rc;
	if (base->kind == V_TABLE && base->table->mapped)
		return tr_refuse(r, off, len, "model class '%s' inherits model '%s' (mapper "
		                 "inheritance)", name, base->table->model);
	if (tr_is(base, "sa.orm.DeclarativeBase") || tr_is(base, "sa.orm.DeclarativeBaseNoMeta"))
		return base_class(r, cls);
	if (!is_declarative_base(base))
		return TR_NOT_HANDLED;
	if (s->u.class_.keywords.n || s->u.class_.decorators.n)
		return tr_refuse(r, s->off, s->len, "model class '%s' with keywords or decorators",
		                 name);
	tr_table *t = rt_alloc(r->arena, sizeof(*t));
	t->mapped = true;
	t->model = name;
	rt_ptrvec cols = { 0 };
	for (size_t i = 0; rc == RT_OK && i < s->u.class_.body.n; i++) {
		const py_stmt *st = s->u.class_.body.v[i];
		const py_expr *target = NULL, *value = NULL;
		if (st->kind == PY_S_ASSIGN && st->u.assign.targets.n == 1) {
			target = st->u.assign.targets.v[0];
			value = st->u.assign.value;
		} else if (st->kind == PY_S_ANNASSIGN) {
			target = st->u.annassign.target;
			value = st->u.annassign.value;
		} else {
			continue; /* methods, properties, docstrings: not columns */
		}
		if (target->kind != PY_E_NAME)
			continue;
		const char *key = target->u.name.id;
		bool column;
		if (!value) {
			if ((rc = mapped_annotation(r, sc, st, &column)) == RT_OK && column)
				add_column(r, &cols, key, key, st);
		} else if (strcmp(key, "__tablename__") == 0) {
			tr_val *v;
			rc = tr_eval(r, sc, value, &v);
			if (rc == RT_OK)
				rc = tr_get_str(r, v, "__tablename__", &t->name);
		} else if (strcmp(key, "__table_args__") == 0) {
			rc = table_schema(r, sc, value, &t->schema);
		} else if (strcmp(key, "__abstract__") == 0 || strcmp(key, "__table__") == 0) {
			rc = tr_refuse(r, st->off, st->len, "'%s' of model class '%s'", key, name);
		} else if ((rc = column_call(r, sc, value, &column)) == RT_OK && column) {
			const char *colname;
			if ((rc = column_name(r, sc, value, key, &colname)) == RT_OK)
				add_column(r, &cols, key, colname, st);
		} /* relationship(), column_property() and the like select nothing */
	}
	if (rc < 0)
		return rc;
	if (!t->name)
		return tr_refuse(r, s->off, s->len, "model class '%s' without '__tablename__'", name);
	if (!cols.n)
		return tr_refuse(r, s->off, s->len, "model class '%s' without columns", name);
	t->cols = (tr_col **)cols.items;
	t->ncols = cols.n;
	cls->kind = V_TABLE; /* every name bound to the class sees the model */
	cls->table = t;
	return RT_OK;
}

int tr_orm_attr(tr_run *r, const tr_val *model, const char *attr, uint32_t off,
                uint32_t len, tr_val **out)
{
	const tr_table *t = model->table;
	if (strcmp(attr, "__tablename__") == 0) {
		*out = tr_str(r, t->name, strlen(t->name), off, len);
		return RT_OK;
	}
	if (strcmp(attr, "__table__") == 0) { /* the Table: t.c.x, t.update(), ... */
		tr_table *table = rt_alloc(r->arena, sizeof(*table));
		*table = *t;
		table->mapped = false;
		*out = tr_new(r, V_TABLE, off, len);
		(*out)->table = table;
		return RT_OK;
	}
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i]->key, attr) == 0) {
			tr_val tc = { .kind = V_TABLE_C, .table = model->table };
			return tr_table_column(r, &tc, t->cols[i]->name, off, len, out);
		}
	return tr_refuse(r, off, len, "'%s.%s': not a column of the model class", t->model, attr);
}

/* ---- Session ---- */

bool tr_is_session(const tr_val *v)
{
	return tr_is(v, "sa.orm.Session") || tr_is(v, "sa.orm.session.Session");
}

int tr_orm_session_check(tr_run *r, tr_val *session, uint32_t off, uint32_t len)
{
	tr_args *a = &session->args;
	const tr_val *bind = tr_arg(a, 0, "bind");
	if (!bind || bind->kind != V_BIND)
		return tr_refuse(r, off, len, "a Session bound to something other than "
		                 "op.get_bind()");
	if (r->autocommit)
		return tr_refuse(r, off, len, "a Session inside autocommit_block(): it would begin "
		                 "and commit a transaction of its own");
	const tr_val *ac = tr_arg(a, SIZE_MAX, "autocommit");
	bool autocommit = false;
	int rc = tr_get_bool(r, ac, "autocommit", &autocommit);
	if (rc == RT_OK && autocommit)
		rc = tr_refuse(r, ac->off, ac->len, "a Session with autocommit=True");
	/* these change nothing while no model instance is loaded or pending */
	static const char *const ignore[] = { "autoflush", "expire_on_commit", "future", NULL };
	tr_args_ignore(a, ignore);
	if (rc == RT_OK)
		rc = tr_args_check(r, a, 1, session->written, off, len);
	return rc;
}

/* Keyword `name` of a set to v, replacing an earlier value (room allocated). */
static void set_kw(tr_args *a, const char *name, tr_val *v)
{
	size_t i = 0;
	while (i < a->nkw && strcmp(a->kwn[i], name) != 0)
		i++;
	a->kwn[i] = name;
	a->kwv[i] = v;
	a->nkw += i == a->nkw;
}

int tr_orm_call(tr_run *r, tr_val *fn, tr_args *a, uint32_t off, uint32_t len, tr_val **out)
{
	if (!tr_is(fn, "sa.orm.sessionmaker") && !tr_is(fn, "sa.orm.session.sessionmaker"))
		return TR_NOT_HANDLED;
	/* sessionmaker(bind=..., **kw)(bind=..., **kw): a Session with both, the call's last */
	tr_args *made[2] = { &fn->args, a };
	tr_val *s = tr_new(r, V_OBJ, off, len);
	s->name = "sa.orm.Session";
	s->written = "sqlalchemy.orm.Session";
	size_t cap = fn->args.nkw + a->nkw + 2;
	s->args.kwn = rt_alloc_array(r->arena, cap, sizeof *s->args.kwn);
	s->args.kwv = rt_alloc_array(r->arena, cap, sizeof *s->args.kwv);
	s->args.used = rt_alloc_array(r->arena, cap, sizeof *s->args.used);
	for (size_t k = 0; k < 2; k++) {
		if (made[k]->npos > 1)
			return tr_refuse(r, off, len, "positional arguments to a sessionmaker");
		if (made[k]->npos)
			set_kw(&s->args, "bind", made[k]->pos[0]);
		for (size_t i = 0; i < made[k]->nkw; i++) {
			if (strcmp(made[k]->kwn[i], "class_") == 0)
				return tr_refuse(r, off, len, "a sessionmaker of another Session class");
			set_kw(&s->args, made[k]->kwn[i], made[k]->kwv[i]);
		}
	}
	*out = s;
	return RT_OK;
}

/* A method of the migration's connection, called with a's arguments. */
static int on_bind(tr_run *r, tr_val *self, const char *name, tr_args *a,
                   const py_expr *call, tr_val **out)
{
	tr_val *m = tr_new(r, V_BOUND, call->off, call->len);
	m->self = self;
	m->name = name;
	return tr_call_value(r, NULL, m, a, call, out); /* a method: no scope */
}

static bool no_args(const tr_args *a)
{
	return !a->npos && !a->nkw;
}

/* session.query(...): a select() of its entities (models, their columns). */
static int session_query(tr_run *r, tr_args *a, uint32_t off, uint32_t len, tr_val **out)
{
	if (!r->ctx->guards)
		return tr_refuse(r, off, len, "'session.query()' reads the database's rows, which an "
		                 "offline rendering has not got");
	if (!a->npos || a->nkw)
		return tr_refuse(r, off, len, "'session.query()' without entities, or with keywords");
	tr_val *q = tr_new(r, V_OBJ, off, len);
	q->name = "sa.select";
	q->written = "sqlalchemy.orm.Query";
	q->args = *a;
	*out = q;
	return RT_OK;
}

static int session_method(tr_run *r, tr_val *self, const char *name,
                          tr_args *a, const py_expr *call, tr_val **out)
{
	uint32_t off = call->off, len = call->len;
	int rc = tr_orm_session_check(r, self, self->off, self->len);
	if (rc < 0)
		return rc;
	tr_val *bind = tr_arg(&self->args, 0, "bind");
	bool scalar = strcmp(name, "scalar") == 0, scalars = strcmp(name, "scalars") == 0;
	if (strcmp(name, "execute") == 0 || scalar || scalars) {
		for (size_t i = 0; i < a->nkw; i++)
			if (strcmp(a->kwn[i], "params") == 0)
				a->kwn[i] = "parameters"; /* Connection.execute's name for them */
		if (a->npos && a->pos[0]->kind == V_STR) {
			/* the Session coerces a string to text(), :name parameters and all, where
			 * Connection.execute(str) sends it as it is */
			tr_val *text = tr_new(r, V_OBJ, a->pos[0]->off, a->pos[0]->len);
			text->name = "sa.text";
			text->written = "sqlalchemy.text";
			text->args.pos = rt_alloc(r->arena, sizeof *text->args.pos);
			text->args.pos[0] = a->pos[0];
			text->args.npos = 1;
			a->pos[0] = text;
		}
		rc = on_bind(r, bind, "execute", a, call, out);
		if (rc == RT_OK && (scalar || scalars)) { /* session.scalar(x): execute(x).scalar() */
			tr_args none = { 0 };
			rc = on_bind(r, *out, name, &none, call, out);
		}
		return rc;
	}
	if (strcmp(name, "connection") == 0 && no_args(a)) {
		*out = bind;
		return RT_OK;
	}
	if (strcmp(name, "query") == 0)
		return session_query(r, a, off, len, out);
	if ((strcmp(name, "commit") == 0 || strcmp(name, "flush") == 0 ||
	     strcmp(name, "close") == 0 || strcmp(name, "expunge_all") == 0 ||
	     strcmp(name, "expire_all") == 0) && no_args(a)) {
		*out = tr_new(r, V_NONE, off, len);
		return RT_OK;
	}
	if (strcmp(name, "rollback") == 0)
		return tr_refuse(r, off, len, "'session.rollback()' rolls back the migration's own "
		                 "transaction");
	return tr_refuse(r, off, len, "'session.%s()' (model instances are not translated; "
	                 "only execute, scalar, scalars, query, connection, commit, flush and close)",
	                 name);
}

/* ---- Query ---- */

bool tr_orm_loader_option(const tr_val *v)
{
	static const char *const names[] = {
		"load_only", "defer", "undefer", "undefer_group", "joinedload", "selectinload",
		"subqueryload", "lazyload", "noload", "raiseload", "immediateload", "defaultload", NULL,
	};
	if (!v || v->kind != V_OBJ || strncmp(v->name, "sa.orm.", 7) != 0)
		return false;
	const char *n = strrchr(v->name, '.') + 1;
	for (size_t i = 0; names[i]; i++)
		if (strcmp(n, names[i]) == 0)
			return true;
	return false;
}

bool tr_is_orm_query(const tr_val *v)
{
	return tr_is_query(v) && v->written && strcmp(v->written, "sqlalchemy.orm.Query") == 0;
}

/* The query's statement (count: `SELECT count(*) FROM (query)`, as Query.count()
 * wraps it), emitted, and the result it gives. */
static int run_query(tr_run *r, tr_val *q, bool count, uint32_t off, uint32_t len,
                     tr_val **result)
{
	rt_buf b = RT_BUF_INIT;
	if (count)
		rt_buf_puts(&b, "SELECT count(*) AS count_1 FROM (");
	int rc = tr_render_query(r, &b, q);
	if (count)
		rt_buf_puts(&b, ") AS anon_1");
	if (rc == RT_OK) {
		tr_emit(r, &b, q->off);
		*result = tr_new(r, V_RESULT, off, len);
		(*result)->query = r->out->items[r->out->n - 1];
	}
	rt_buf_release(&b);
	return rc;
}

int tr_orm_run(tr_run *r, tr_val *q, uint32_t off, uint32_t len, tr_val **result)
{
	return run_query(r, q, false, off, len, result);
}

/* query.filter_by(k=v): X.k == v of the query's first entity, as a filter(). */
static int filter_by(tr_run *r, tr_val *q, tr_args *a, uint32_t off, uint32_t len,
                     tr_val **out)
{
	const tr_val *base = q;
	while (strncmp(base->name, "select.", 7) == 0)
		base = base->self;
	/* the first entity's model, or the model of its first column (SQLAlchemy's
	 * _filter_by_zero() without joins) */
	const tr_val *first = base->args.pos[0];
	tr_val ent = { .kind = V_TABLE, .table = first->table };
	if ((first->kind != V_TABLE && first->kind != V_SQL) || !first->table ||
	    !first->table->mapped || a->npos)
		return tr_refuse(r, off, len, "'filter_by()' of a query whose first entity is not a "
		                 "model class or its column");
	tr_args conds = { 0 };
	conds.pos = rt_alloc_array(r->arena, a->nkw + 1, sizeof *conds.pos);
	for (size_t i = 0; i < a->nkw; i++) {
		tr_val *col;
		int rc = tr_orm_attr(r, &ent, a->kwn[i], off, len, &col);
		if (rc == RT_OK)
			rc = tr_sql_compare(r, col, PY_OP_EQ, a->kwv[i], off, len, &conds.pos[i]);
		if (rc < 0)
			return rc;
	}
	conds.npos = a->nkw;
	return tr_query_method(r, q, "filter", &conds, off, len, out);
}

static int query_method(tr_run *r, tr_val *q, const char *name, tr_args *a,
                        const py_expr *call, tr_val **out)
{
	static const char *const reads[] = { "all", "first", "one", "one_or_none", "scalar", NULL };
	uint32_t off = call->off, len = call->len;
	bool count = strcmp(name, "count") == 0, read = count;
	for (size_t i = 0; reads[i] && !read; i++)
		read = strcmp(name, reads[i]) == 0;
	if (read) { /* query.count() is the scalar of its count(*) */
		tr_val *res = NULL;
		int rc = no_args(a) ? run_query(r, q, count, off, len, &res)
		                    : tr_refuse(r, off, len, "'%s()' of a query with arguments", name);
		return rc < 0 ? rc : on_bind(r, res, count ? "scalar" : name, a, call, out);
	}
	int rc = strcmp(name, "filter_by") == 0 ? filter_by(r, q, a, off, len, out)
	                                        : tr_query_method(r, q, name, a, off, len, out);
	if (rc == RT_OK)
		(*out)->written = q->written; /* still a Query: its reads run it */
	return rc;
}

int tr_orm_method(tr_run *r, tr_val *self, const char *name, tr_args *a,
                  const py_expr *call, tr_val **out)
{
	if (tr_is_session(self))
		return session_method(r, self, name, a, call, out);
	if (tr_is_orm_query(self))
		return query_method(r, self, name, a, call, out);
	return TR_NOT_HANDLED;
}
