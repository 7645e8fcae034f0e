/*
 * Statements of a body run by the constant folder: assignments, unrolled
 * for loops, statically decided ifs and returns, `with` blocks for
 * batch_alter_table, autocommit_block and ORM Sessions (orm.c), imports, and helper functions of
 * the same file inlined at their calls. Also the public entry points and
 * the refusal messages every part of the translator uses.
 */
#include <stdlib.h>
#include <string.h>

#include "retort/ident.h"
#include "retort/sqlfresh.h"
#include "tr.h"

/* "versions/abc.py" -> "versions/abc.sql" for the remedy. */
const char *tr_sidecar(tr_run *r)
{
	const char *path = r->src->path ? r->src->path : "X.py";
	size_t n = strlen(path);
	if (n > 3 && strcmp(path + n - 3, ".py") == 0)
		n -= 3;
	return rt_sprintf(r->arena, "%.*s.sql", (int)n, path);
}

int tr_refuse(tr_run *r, uint32_t off, uint32_t len, const char *fmt, ...)
{
	rt_loc loc = py_loc(r->src, off, len);
	va_list ap;
	va_start(ap, fmt);
	rt_error_vset(r->err, RT_EUNSUPPORTED, &loc, fmt, ap);
	va_end(ap);
	rt_error_hint(r->err, "write this body as SQL in %s (-- retort:%s section)",
	              tr_sidecar(r), r->fname);
	return RT_EUNSUPPORTED;
}

int tr_refuse_type(tr_run *r, const tr_val *t)
{
	const char *name = t->written ? t->written : "?";
	tr_refuse(r, t->off, t->len, "custom column type '%s'", name);
	rt_error_hint(r->err, "map it in retort.yaml: types: {%s: <SQL type>}, or write this "
	              "body as SQL in %s (-- retort:%s section)", name, tr_sidecar(r), r->fname);
	return RT_EUNSUPPORTED;
}

int tr_limit(tr_run *r, uint32_t off, uint32_t len, const char *what)
{
	rt_loc loc = py_loc(r->src, off, len);
	rt_error_set(r->err, RT_ELIMIT, &loc, "%s (more than %u steps or %u nested calls)", what,
	             TR_MAX_STEPS, TR_MAX_CALL_DEPTH);
	rt_error_hint(r->err, "write this body as SQL in %s (-- retort:%s section)",
	              tr_sidecar(r), r->fname);
	return RT_ELIMIT;
}

static void add_diag(tr_run *r, rt_severity sev, uint32_t off, uint32_t len, const char *kind,
                     const char *fmt, va_list ap)
{
	rt_loc loc = py_loc(r->src, off, len);
	const char *msg = rt_vsprintf(r->arena, fmt, ap);
	rt_diag *d = rt_diags_add(&r->ctx->warnings, sev, kind, &loc, NULL, "%s", msg);
	if (r->rf->revision)
		d->revision = rt_strdup(r->ctx->arena, r->rf->revision);
}

void tr_warn(tr_run *r, uint32_t off, uint32_t len, const char *kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_diag(r, RT_SEV_WARNING, off, len, kind, fmt, ap);
	va_end(ap);
}

void tr_note(tr_run *r, uint32_t off, uint32_t len, const char *kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_diag(r, RT_SEV_NOTE, off, len, kind, fmt, ap);
	va_end(ap);
}

void tr_emit_stmt(tr_run *r, rt_stmt *st)
{
	st->no_transaction = r->autocommit;
	rt_stmtlist_push(r->arena, r->queueing && r->queue ? r->queue : r->out, st);
}

void tr_emit(tr_run *r, rt_buf *sql, uint32_t off)
{
	tr_emit_stmt(r, rt_stmt_generated(r->arena, rt_buf_cstr(sql), r->src, off));
	rt_buf_truncate(sql, 0);
}

/* ---- imports ---- */

static int exec_import(tr_run *r, tr_scope *sc, const py_stmt *s)
{
	const py_aliases *names = &s->u.import_.names;
	for (size_t i = 0; i < names->n; i++) {
		const py_alias *al = names->v[i];
		const char *full, *bind;
		if (s->kind == PY_S_IMPORT) {
			full = al->name;
			bind = al->asname;
			if (!bind) {
				/* `import a.b` binds `a` */
				const char *dot = strchr(al->name, '.');
				bind = dot ? rt_strndup(r->arena, al->name, (size_t)(dot - al->name)) : al->name;
				full = bind;
			}
		} else {
			if (strcmp(al->name, "*") == 0)
				return tr_refuse(r, al->off, al->len, "'from ... import *'");
			const char *mod = s->u.import_.module ? s->u.import_.module : "";
			/* the level's dots (at most ten, as "%.*s" of ten dots gave) */
			static const char dots[] = "..........";
			size_t level = s->u.import_.level < 10 ? s->u.import_.level : 10;
			full = rt_concat(r->arena, dots + 10 - level, mod, *mod ? "." : "", al->name, NULL);
			bind = al->asname ? al->asname : al->name;
		}
		tr_scope_set(r, sc, bind, tr_ref(r, full, al->off, al->len));
	}
	return RT_OK;
}

/* Every name the import brings in is declared in retort.yaml (assume:,
 * types:), so nothing of the application needs to run. */
static bool declared_import(tr_run *r, const py_stmt *s, const char *mod)
{
	if (s->kind == PY_S_IMPORT)
		return tr_declared(r, mod);
	const py_aliases *names = &s->u.import_.names;
	for (size_t i = 0; i < names->n; i++)
		if (!tr_declared(r, rt_concat(r->arena, mod, ".", names->v[i]->name, NULL)))
			return false;
	return true;
}

/* Inside a body only the libraries a migration is written with, and a few
 * side-effect-free standard modules, may be imported: anything else is the
 * application's code. What a body then does with them is judged where used. */
static bool body_import_allowed(tr_run *r, const py_stmt *s)
{
	static const char *const roots[] = {
		"sqlalchemy", "alembic", "typing", "__future__",
		"datetime", "decimal", "enum", "json", "logging", "re", "textwrap", "uuid",
		"loguru", "structlog", "os", "time", "collections",
	};
	const py_aliases *names = &s->u.import_.names;
	for (size_t i = 0; i < (s->kind == PY_S_IMPORT ? names->n : 1); i++) {
		const char *mod = s->kind == PY_S_IMPORT ? names->v[i]->name : s->u.import_.module;
		if (!mod || s->u.import_.level)
			return false; /* relative imports reach into the application */
		if (declared_import(r, s, mod))
			continue;
		bool ok = false;
		for (size_t k = 0; k < sizeof(roots) / sizeof(roots[0]) && !ok; k++) {
			size_t n = strlen(roots[k]);
			ok = strncmp(mod, roots[k], n) == 0 && (mod[n] == '\0' || mod[n] == '.');
		}
		if (!ok)
			return false;
	}
	return true;
}

/* ---- with blocks ---- */

static int exec_with(tr_run *r, tr_scope *sc, const py_stmt *s, int *flow)
{
	bool saved_auto = r->autocommit;
	rt_stmtlist *saved_queue = r->queue;
	rt_stmtlist *queue = NULL;
	int rc = RT_OK;
	if (s->u.with.is_async)
		return tr_refuse(r, s->off, s->len, "'async with'");
	for (size_t i = 0; i < s->u.with.items.n && rc == RT_OK; i++) {
		const py_withitem *it = s->u.with.items.v[i];
		tr_val *cm;
		rc = tr_eval(r, sc, it->context, &cm);
		if (rc < 0)
			break;
		if (tr_is(cm, "autocommit_block")) {
			r->autocommit = true;
			if (it->vars)
				rc = tr_refuse(r, it->vars->off, it->vars->len, "'as' target of "
				               "autocommit_block()");
			continue;
		}
		if (tr_is_session(cm)) { /* Session.__enter__ gives itself; close() ends nothing */
			rc = tr_orm_session_check(r, cm, it->context->off, it->context->len);
			if (rc == RT_OK && it->vars)
				rc = tr_bind_target(r, sc, it->vars, cm);
			continue;
		}
		if (!tr_is(cm, "op.batch_alter_table")) {
			rc = tr_refuse(r, it->context->off, it->context->len, "'with' over %s",
			               cm->kind == V_OBJ ? cm->written : py_expr_describe(it->context));
			break;
		}
		tr_args *a = &cm->args;
		const char *table, *schema = NULL, *recreate = "auto";
		const tr_val *rv = tr_arg(a, 2, "recreate");
		rc = tr_get_str(r, tr_arg(a, 0, "table_name"), "the table name", &table);
		if (rc == RT_OK)
			rc = tr_get_opt_str(r, tr_arg(a, 1, "schema"), "schema", &schema);
		if (rc == RT_OK && rv)
			rc = tr_get_str(r, rv, "recreate", &recreate);
		if (rc == RT_OK && strcmp(recreate, "always") == 0)
			rc = tr_refuse(r, rv->off, rv->len, "'batch_alter_table(recreate=\"always\")' "
			               "copies the table");
		static const char *const ignore[] = { "partial_reordering", "copy_from", "table_args",
			                                  "table_kwargs", "reflect_args", "reflect_kwargs",
			                                  "naming_convention", NULL };
		tr_args_ignore(a, ignore);
		if (rc == RT_OK)
			rc = tr_args_check(r, a, 3, "op.batch_alter_table", cm->off, cm->len);
		if (rc < 0)
			break;
		tr_val *b = tr_new(r, V_BATCH, cm->off, cm->len);
		b->table = rt_alloc(r->arena, sizeof(*b->table));
		b->table->name = table;
		b->table->schema = schema;
		if (it->vars)
			rc = tr_bind_target(r, sc, it->vars, b);
		if (!queue)
			queue = rt_alloc(r->arena, sizeof(*queue));
	}
	if (rc == RT_OK) {
		/* batch_op operations are queued and run when the block ends, as
		 * Alembic's BatchOperationsImpl.flush() does; other ops run at once */
		if (queue)
			r->queue = queue;
		rc = tr_exec_block(r, sc, &s->u.with.body, flow);
	}
	for (size_t i = 0; rc == RT_OK && queue && i < queue->n; i++)
		rt_stmtlist_push(r->arena, r->out, queue->items[i]);
	r->autocommit = saved_auto;
	r->queue = saved_queue;
	return rc;
}

/* ---- statements ---- */

/* x op= y evaluated as x = x op y */
static int exec_augassign(tr_run *r, tr_scope *sc, const py_stmt *s)
{
	const py_expr *t = s->u.augassign.target;
	if (t->kind != PY_E_NAME && (t->kind != PY_E_SUBSCRIPT ||
	                             t->u.subscript.index->kind == PY_E_SLICE))
		return tr_refuse(r, t->off, t->len, "augmented assignment to %s", py_expr_describe(t));
	tr_val *cur, *rhs, *v;
	int rc = tr_eval(r, sc, t, &cur);
	if (rc == RT_OK)
		rc = tr_eval(r, sc, s->u.augassign.value, &rhs);
	if (rc == RT_OK)
		rc = tr_binary(r, s->u.augassign.op, cur, rhs, s->off, s->len, &v);
	if (rc == RT_OK)
		rc = tr_bind_target(r, sc, t, v); /* a name, or d[k] / l[i] */
	return rc;
}

/* The fresh-database result of a query statement, read once: the statement
 * becomes its guard, so later reads of the same rows find it here. */
static bool fresh_result(tr_run *r, rt_stmt *q, const rt_fresh_result **out, const char **why)
{
	for (size_t i = 0; i < r->fresh_stmts.n; i++)
		if (r->fresh_stmts.items[i] == q) {
			*out = r->fresh_results.items[i];
			return true;
		}
	rt_fresh_result *res = rt_alloc(r->arena, sizeof *res);
	if (!rt_sql_fresh_result(r->arena, q->sql, res, why))
		return false;
	rt_ptrvec_push(r->arena, &r->fresh_stmts, q);
	rt_ptrvec_push(r->arena, &r->fresh_results, res);
	*out = res;
	return true;
}

/* A value of the query's row as the driver hands it to Python. */
static tr_val *fresh_value(tr_run *r, const rt_fresh_value *fv, uint32_t off, uint32_t len)
{
	tr_val *v;
	switch (fv->kind) {
	case RT_FRESH_INT:
		v = tr_int(r, strtoll(fv->text, NULL, 10), off, len);
		break;
	case RT_FRESH_FLOAT:
		v = tr_new(r, V_FLOAT, off, len);
		v->s = fv->text;
		v->slen = strlen(fv->text);
		break;
	case RT_FRESH_STR:
		v = tr_str(r, fv->text, strlen(fv->text), off, len);
		break;
	case RT_FRESH_BOOL:
		v = tr_int(r, fv->text[0] == 't', off, len);
		v->kind = V_BOOL;
		break;
	default:
		v = tr_new(r, V_NONE, off, len);
		break;
	}
	return v;
}

/* The fresh values as SQL shows them: "0", "(0, NULL)". */
static const char *fresh_text(tr_run *r, const rt_fresh_result *res)
{
	rt_buf b = RT_BUF_INIT;
	for (size_t i = 0; i < res->ncols; i++) {
		const rt_fresh_value *fv = &res->cols[i];
		rt_buf_puts(&b, i ? ", " : res->ncols > 1 ? "(" : "");
		if (fv->kind == RT_FRESH_STR)
			rt_ident_append_literal(&b, fv->text);
		else if (fv->kind == RT_FRESH_BOOL)
			rt_buf_puts(&b, fv->text[0] == 't' ? "true" : "false");
		else
			rt_buf_puts(&b, fv->kind == RT_FRESH_NULL ? "NULL" : fv->text);
	}
	if (res->ncols > 1)
		rt_buf_putc(&b, ')');
	const char *s = rt_strdup(r->arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

/*
 * The rows a query finds on a fresh database (rt_translate_ctx_allow_guards),
 * for what the body does with them (`what`: "loops over the rows of a
 * query"): none when they come from tables, one row of aggregates (count()
 * 0). The query becomes a guard that the executor runs in the step's
 * transaction where the query ran, asserting that result; elsewhere the
 * step stops with nothing of it committed. Each row is a tuple, or its
 * first value for a result of .scalars(). Refused when the result cannot be
 * told, offline, or when the result is not one query's.
 */
static int query_rows(tr_run *r, tr_val *result, uint32_t at, uint32_t len, const char *what,
                      bool rowcount, tr_val ***rows, size_t *n)
{
	rt_stmt *q = result->query;
	if (!r->ctx->guards || !q)
		return tr_refuse(r, at, len, "'op.get_bind()' used for data access (a query result)");
	const rt_fresh_result *res;
	const char *why = NULL;
	if (!fresh_result(r, q, &res, &why))
		return tr_refuse(r, at, len, "%s() %s, and retort cannot tell what it finds on a "
		                 "fresh database: %s", r->fname, what, why ? why : "?");
	if (res->changes && !res->returns && !rowcount)
		return tr_refuse(r, at, len, "%s() %s of a statement without RETURNING, which has "
		                 "none (SQLAlchemy raises)", r->fname, what);
	*n = res->one_row;
	*rows = rt_alloc_array(r->arena, 1, sizeof **rows);
	if (res->one_row) {
		tr_val *row = tr_new(r, V_TUPLE, at, len);
		row->items = rt_alloc_array(r->arena, res->ncols, sizeof *row->items);
		for (size_t i = 0; i < res->ncols; i++)
			row->items[row->n++] = fresh_value(r, &res->cols[i], at, len);
		(*rows)[0] = result->scalars ? row->items[0] : row;
	}
	if (q->guard)
		return RT_OK; /* the same rows read again */
	const char *head, *tail;
	rt_sql_fresh_guard(r->arena, res, &head, &tail);
	size_t hlen = strlen(head), tlen = strlen(tail);
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, head);
	size_t kept = res->len < q->len ? res->len : q->len; /* no final ';' */
	rt_buf_add(&b, q->sql, kept);
	rt_buf_puts(&b, tail);
	rt_offseg *segs = q->segs;
	size_t nsegs = q->nsegs;
	q->len = b.len;
	q->sql = rt_strndup(r->arena, b.ptr, b.len);
	rt_buf_release(&b);
	/* the added text maps to the read, the query's text where it did */
	q->segs = NULL;
	q->nsegs = 0;
	rt_stmt_add_seg(r->arena, q, 0, at, false);
	for (size_t i = 0; i < nsegs && segs[i].out < kept; i++)
		rt_stmt_add_seg(r->arena, q, segs[i].out + (uint32_t)hlen, segs[i].src, segs[i].linear);
	rt_stmt_add_seg(r->arena, q, (uint32_t)(q->len - tlen), at, false);
	q->guard = rowcount
	                   ? rt_sprintf(r->arena, "%s() %s, 0 on a fresh database: it runs only where "
	                                "the statement changes no rows", r->fname, what)
	           : res->one_row
	                   ? rt_sprintf(r->arena, "%s() %s and follows the value it has on a "
	                                "fresh database: it runs only where the query finds %s",
	                                r->fname, what, fresh_text(r, res))
	                   : rt_sprintf(r->arena, "%s() %s: it runs only on a database where the "
	                                "query finds no rows", r->fname, what);
	q->guard_hint = rt_sprintf(r->arena, "write this body as SQL in %s (-- retort:%s "
	                           "section)", tr_sidecar(r), r->fname);
	return RT_OK;
}

int tr_query_rows(tr_run *r, tr_val *result, uint32_t at, uint32_t len, const char *what,
                  tr_val ***rows, size_t *n)
{
	return query_rows(r, result, at, len, what, false, rows, n);
}

/* result.rowcount of an UPDATE, DELETE or INSERT ... SELECT: the rows it
 * changes, none on a fresh database, guarded like the rows of a query (its
 * guard runs the statement with RETURNING and counts). A batched backfill
 * `while True: ... if result.rowcount < batch: break` ends at its first turn. */
int tr_query_rowcount(tr_run *r, tr_val *result, uint32_t at, uint32_t len, tr_val **out)
{
	tr_val **rows;
	size_t n;
	int rc = query_rows(r, result, at, len, "reads the count of rows a statement changes "
	                    "(rowcount)", true, &rows, &n);
	if (rc == RT_OK && n)
		return tr_refuse(r, at, len, "'rowcount' of a query, not of a change");
	if (rc == RT_OK)
		*out = tr_int(r, 0, at, len);
	return rc;
}

/* One turn of a loop's body; *done when a break (which also skips the loop's
 * else block) or a return ends the loop. */
static int loop_turn(tr_run *r, tr_scope *sc, const py_stmts *body, int *flow, bool *done)
{
	*done = false;
	int rc = tr_exec_block(r, sc, body, flow);
	if (rc < 0)
		return rc;
	if (*flow == TR_CONTINUE)
		*flow = TR_NEXT;
	*done = *flow == TR_BREAK || *flow == TR_RETURN;
	if (*flow == TR_BREAK)
		*flow = TR_NEXT;
	return RT_OK;
}

/* A for loop over a literal list, tuple or dict, unrolled; or over the rows
 * of a query on a fresh database (tr_query_rows). */
static int exec_for(tr_run *r, tr_scope *sc, const py_stmt *s, int *flow)
{
	if (s->u.for_.is_async)
		return tr_refuse(r, s->off, s->len, "'async for'");
	tr_val *v;
	int rc = tr_eval(r, sc, s->u.for_.iter, &v);
	if (rc < 0)
		return rc;
	tr_val **items;
	size_t n;
	if (tr_is_orm_query(v)) /* for x in session.query(X): the query runs */
		rc = tr_orm_run(r, v, s->u.for_.iter->off, s->u.for_.iter->len, &v);
	if (rc < 0)
		return rc;
	if (v->kind == V_RESULT && r->ctx->guards) {
		rc = tr_query_rows(r, v, s->off, s->len, "loops over the rows of a query", &items, &n);
		if (rc < 0)
			return rc;
		v->i += (int64_t)n; /* the loop reads them all */
	} else if (v->kind == V_LIST || v->kind == V_TUPLE) {
		items = v->items;
		n = v->n;
	} else if (v->kind == V_DICT) {
		n = v->n;
		items = rt_alloc_array(r->arena, n ? n : 1, sizeof(*items));
		for (size_t i = 0; i < n; i++)
			items[i] = v->items[2 * i];
	} else if (v->kind == V_ENUMCLS) {
		tr_enumcls_members(r, v, s->u.for_.iter->off, s->u.for_.iter->len, &items, &n);
	} else {
		return tr_refuse(r, s->u.for_.iter->off, s->u.for_.iter->len,
		                 "a loop over %s, not a literal list", py_expr_describe(s->u.for_.iter));
	}
	for (size_t i = 0; i < n; i++) {
		bool done;
		if ((rc = tr_bind_target(r, sc, s->u.for_.target, items[i])) < 0 ||
		    (rc = loop_turn(r, sc, &s->u.for_.body, flow, &done)) < 0 || done)
			return rc;
	}
	return tr_exec_block(r, sc, &s->u.for_.orelse, flow);
}

/*
 * try: its body, then its else and finally blocks, as Python runs them when
 * the body raises nothing. Statically it raises nothing (a refusal is not a
 * Python exception: it stops the translation); what it could raise is a
 * database error when the step runs, which stops the step there, where
 * Alembic would run the except clause. On PostgreSQL that clause cannot go
 * on in the aborted transaction anyway, so the step fails either way; the
 * note at -v says so.
 */
static int exec_try(tr_run *r, tr_scope *sc, const py_stmt *s, int *flow)
{
	if (s->u.try_.star)
		return tr_refuse(r, s->off, 3, "'try' with 'except*'");
	if (s->u.try_.handlers.n)
		tr_note(r, s->off, 3, "try-except", "%s() runs this 'try' body as written: a database "
		        "error in it stops the step, where Alembic would run the 'except' clause in an "
		        "aborted transaction", r->fname);
	r->in_try++;
	int rc = tr_exec_block(r, sc, &s->u.try_.body, flow);
	r->in_try--;
	if (rc == RT_OK && *flow == TR_NEXT)
		rc = tr_exec_block(r, sc, &s->u.try_.orelse, flow);
	if (rc < 0 || !s->u.try_.finalbody.n)
		return rc;
	int final_flow = TR_NEXT;
	tr_val *retval = r->retval;
	if ((rc = tr_exec_block(r, sc, &s->u.try_.finalbody, &final_flow)) < 0)
		return rc;
	if (final_flow != TR_NEXT)
		*flow = final_flow; /* a return or break in finally wins */
	else
		r->retval = retval;
	return RT_OK;
}

/* A while loop whose condition is known at every turn: a batched data
 * migration whose count is 0 on a fresh database ends at once; one that
 * does not end soon is not a loop retort should unroll. */
static int exec_while(tr_run *r, tr_scope *sc, const py_stmt *s, int *flow)
{
	enum { MAX_TURNS = 10000 };
	for (unsigned turn = 0;; turn++) {
		if (turn == MAX_TURNS)
			return tr_refuse(r, s->off, 5, "a 'while' loop still running after %d turns",
			                 MAX_TURNS);
		tr_val *v;
		bool go;
		int rc = tr_eval(r, sc, s->u.cond.test, &v);
		if (rc == RT_OK)
			rc = tr_truth(r, v, &go);
		if (rc < 0)
			return rc;
		if (!go)
			return tr_exec_block(r, sc, &s->u.cond.orelse, flow);
		bool done;
		if ((rc = loop_turn(r, sc, &s->u.cond.body, flow, &done)) < 0 || done)
			return rc;
	}
}

/*
 * `raise X` / `raise X("why")` reached in downgrade() before any statement:
 * Alembic would fail there every time, so the step has no way back. That is
 * RT_EIRREVERSIBLE (callers tell it apart from a refusal: no sidecar is
 * missing), located at the raise and quoting its message as Python's
 * traceback would ("RuntimeError: why"). Anything else is refused.
 */
static int exec_raise(tr_run *r, tr_scope *sc, const py_stmt *s)
{
	const py_expr *exc = s->u.raise.exc;
	bool emitted = r->out->n || (r->queue && r->queue->n);
	const py_expr *cls = exc && exc->kind == PY_E_CALL ? exc->u.call.func : exc;
	const char *name = cls ? py_dotted_name(r->arena, cls) : NULL;
	if (r->in_try)
		return tr_refuse(r, s->off, s->len, "'raise' inside a 'try' statement");
	if (strcmp(r->fname, "downgrade") != 0 || emitted || !name)
		return tr_refuse(r, s->off, s->len, "'raise' statement in %s()", r->fname);
	rt_buf why = RT_BUF_INIT;
	rt_buf_puts(&why, name);
	if (exc->kind == PY_E_CALL && exc->u.call.args.n) {
		const py_expr *arg = exc->u.call.args.v[0];
		tr_val *v;
		rt_buf_puts(&why, ": ");
		if (tr_eval(r, sc, arg, &v) == RT_OK && v->kind == V_STR)
			rt_buf_add(&why, v->s, v->slen);
		else /* a message retort cannot fold is quoted as written */
			rt_buf_add(&why, r->src->text + arg->off, arg->len);
	}
	for (size_t i = 0; i < why.len; i++) /* the message is one line */
		if ((unsigned char)why.ptr[i] < 0x20)
			why.ptr[i] = ' ';
	rt_loc loc = py_loc(r->src, s->off, s->len);
	rt_error_set(r->err, RT_EIRREVERSIBLE, &loc, "%s", rt_buf_cstr(&why));
	rt_error_hint(r->err, "stamp past it ('retort stamp') to leave its changes in place, or "
	              "restore from a backup; if it can be reversed after all, write the "
	              "downgrade as SQL in %s (-- retort:downgrade section)", tr_sidecar(r));
	rt_buf_release(&why);
	return RT_EIRREVERSIBLE;
}

/* A class statement, evaluated where first used (tr_class_eval). */
static tr_val *class_val(tr_run *r, tr_scope *sc, const py_stmt *s)
{
	tr_val *v = tr_new(r, V_CLASS, s->off, s->len);
	v->def = s;
	v->closure = sc;
	return v;
}

static int exec_stmt(tr_run *r, tr_scope *sc, const py_stmt *s, int *flow)
{
	int rc;
	tr_val *v;
	switch (s->kind) {
	case PY_S_PASS:
		return RT_OK;
	case PY_S_EXPR: {
		const py_expr *e = s->u.expr.value;
		if ((e->kind == PY_E_STR && !e->u.str.is_bytes) ||
		    (e->kind == PY_E_CONST && e->u.constant.value == PY_CONST_ELLIPSIS))
			return RT_OK; /* a docstring or a no-op */
		return tr_eval(r, sc, e, &v);
	}
	case PY_S_ASSIGN:
		rc = tr_eval(r, sc, s->u.assign.value, &v);
		for (size_t i = 0; rc == RT_OK && i < s->u.assign.targets.n; i++)
			rc = tr_bind_target(r, sc, s->u.assign.targets.v[i], v);
		return rc;
	case PY_S_ANNASSIGN:
		if (!s->u.annassign.value)
			return RT_OK;
		rc = tr_eval(r, sc, s->u.annassign.value, &v);
		return rc < 0 ? rc : tr_bind_target(r, sc, s->u.annassign.target, v);
	case PY_S_AUGASSIGN:
		return exec_augassign(r, sc, s);
	case PY_S_IF: {
		bool b;
		rc = tr_eval(r, sc, s->u.cond.test, &v);
		if (rc == RT_OK)
			rc = tr_truth(r, v, &b);
		if (rc < 0)
			return rc;
		return tr_exec_block(r, sc, b ? &s->u.cond.body : &s->u.cond.orelse, flow);
	}
	case PY_S_FOR:
		return exec_for(r, sc, s, flow);
	case PY_S_WHILE:
		return exec_while(r, sc, s, flow);
	case PY_S_WITH:
		return exec_with(r, sc, s, flow);
	case PY_S_RETURN:
		r->retval = NULL;
		if (s->u.expr.value) {
			rc = tr_eval(r, sc, s->u.expr.value, &v);
			if (rc < 0)
				return rc;
			r->retval = v;
		}
		*flow = TR_RETURN;
		return RT_OK;
	case PY_S_BREAK:
		*flow = TR_BREAK;
		return RT_OK;
	case PY_S_CONTINUE:
		*flow = TR_CONTINUE;
		return RT_OK;
	case PY_S_DEF:
		if (s->u.def.decorators.n || s->u.def.is_async)
			return tr_refuse(r, s->off, s->len, "a decorated or async function");
		v = tr_new(r, V_FUNC, s->off, s->len);
		v->def = s;
		v->closure = sc;
		tr_scope_set(r, sc, s->u.def.name, v);
		return RT_OK;
	case PY_S_GLOBAL:
		/* assignments to these names in this function are the module's */
		for (size_t i = 0; i < s->u.names.n; i++) {
			py_names *g = &sc->globals;
			if (g->n == g->cap) {
				size_t cap = g->cap ? 2 * g->cap : 4;
				g->v = rt_realloc_array(r->arena, g->v, g->cap, cap, sizeof(*g->v));
				g->cap = cap;
			}
			g->v[g->n++] = s->u.names.v[i];
		}
		return RT_OK;
	case PY_S_RAISE:
		return exec_raise(r, sc, s);
	case PY_S_TRY:
		return exec_try(r, sc, s, flow);
	case PY_S_CLASS:
		tr_scope_set(r, sc, s->u.class_.name, class_val(r, sc, s));
		return RT_OK;
	case PY_S_IMPORT:
	case PY_S_IMPORTFROM:
		if (!body_import_allowed(r, s)) {
			tr_refuse(r, s->off, s->len, "an application import inside %s() (under Alembic "
			          "it runs the application's code)", r->fname);
			rt_error_hint(r->err, "write this body as SQL in %s (-- retort:%s section); an "
			              "import of names retort.yaml gives (assume:, types:) is allowed",
			              tr_sidecar(r), r->fname);
			return RT_EUNSUPPORTED;
		}
		return exec_import(r, sc, s);
	default:
		return tr_refuse(r, s->off, s->len, "'%s' statement in %s()", py_stmt_describe(s),
		                 r->fname);
	}
}

int tr_exec_block(tr_run *r, tr_scope *sc, const py_stmts *body, int *flow)
{
	for (size_t i = 0; i < body->n; i++) {
		const py_stmt *s = body->v[i];
		if (++r->steps > TR_MAX_STEPS)
			return tr_limit(r, s->off, s->len, "evaluation runs too long");
		int rc = exec_stmt(r, sc, s, flow);
		if (rc < 0)
			return rc;
		if (*flow != TR_NEXT)
			return RT_OK;
	}
	return RT_OK;
}

/* Module level: imports, literal assignments (evaluated on first use), defs and
 * classes. */
static void module_scope(tr_run *r, tr_scope *sc, const py_module *m)
{
	for (size_t i = 0; i < m->body.n; i++) {
		const py_stmt *s = m->body.v[i];
		switch (s->kind) {
		case PY_S_IMPORT:
		case PY_S_IMPORTFROM:
			(void)exec_import(r, sc, s);
			break;
		case PY_S_ASSIGN:
			for (size_t k = 0; k < s->u.assign.targets.n; k++) {
				const py_expr *t = s->u.assign.targets.v[k];
				if (t->kind == PY_E_NAME)
					tr_scope_lazy(r, sc, t->u.name.id, s->u.assign.value);
			}
			break;
		case PY_S_ANNASSIGN:
			if (s->u.annassign.value && s->u.annassign.target->kind == PY_E_NAME)
				tr_scope_lazy(r, sc, s->u.annassign.target->u.name.id, s->u.annassign.value);
			break;
		case PY_S_DEF: {
			tr_val *v = tr_new(r, V_FUNC, s->off, s->len);
			v->def = s;
			v->closure = sc;
			tr_scope_set(r, sc, s->u.def.name, v);
			break;
		}
		case PY_S_CLASS:
			tr_scope_set(r, sc, s->u.class_.name, class_val(r, sc, s));
			break;
		default:
			break;
		}
	}
}

rt_translate_ctx *rt_translate_ctx_new(rt_arena *arena, const rt_config *cfg)
{
	rt_translate_ctx *ctx = rt_alloc(arena, sizeof(*ctx));
	ctx->arena = arena;
	rt_diags_init(&ctx->warnings, arena);
	ctx->cfg = cfg;
	tr_ctx_conventions(ctx);
	return ctx;
}

void rt_translate_ctx_allow_guards(rt_translate_ctx *ctx)
{
	ctx->guards = true;
}

rt_diags *rt_translate_ctx_warnings(rt_translate_ctx *ctx)
{
	return &ctx->warnings;
}

const char *rt_translate_ctx_run_time_value(const rt_translate_ctx *ctx, rt_loc *loc)
{
	*loc = ctx->run_time_value;
	return ctx->run_time_name;
}

int rt_translate_body(rt_stmtlist *out, rt_arena *arena, const rt_revfile *rf,
                      rt_direction dir, rt_translate_ctx *ctx, rt_error *err)
{
	const py_stmt *fn = dir == RT_UPGRADE ? rf->upgrade : rf->downgrade;
	const char *fname = dir == RT_UPGRADE ? "upgrade" : "downgrade";
	if (!fn) {
		rt_loc loc = { .path = rf->src->path };
		rt_error_set(err, RT_ENOTFOUND, &loc, "'%s()' is not defined", fname);
		rt_error_hint(err, "define %s() at module level, or a sidecar .sql with a "
		              "-- retort:%s section", fname, fname);
		return RT_ENOTFOUND;
	}
	tr_run r = {
		.arena = arena, .rf = rf, .src = rf->src,
		.ctx = ctx ? ctx : rt_translate_ctx_new(arena, NULL),
		.err = err, .fname = fname, .out = out,
	};
	r.module = rt_alloc(arena, sizeof(*r.module));
	module_scope(&r, r.module, rf->module);
	for (size_t i = 0; i < fn->u.def.params.n; i++) {
		const py_param *p = fn->u.def.params.v[i];
		if (!p->def && p->kind != PY_PARAM_VARARG && p->kind != PY_PARAM_KWARG)
			return tr_refuse(&r, p->off, p->len, "parameter '%s' of %s() (a multi-database "
			                 "template)", p->name, fname);
	}
	tr_val fval = { .kind = V_FUNC, .off = fn->off, .len = fn->len, .def = fn,
		            .closure = r.module };
	tr_args none = { 0 };
	py_expr call = { .kind = PY_E_CALL, .off = fn->u.def.name_off,
		             .len = (uint32_t)strlen(fn->u.def.name) };
	tr_val *ret;
	return tr_call_value(&r, r.module, &fval, &none, &call, &ret);
}
