/*
 * A query's result on a fresh database (include/retort/sqlfresh.h), read
 * from PostgreSQL's own parse tree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "retort/buf.h"
#include "retort/ident.h"
#include "retort/pgjson.h"
#include "retort/sqlfresh.h"
#include "retort/sqlsplit.h"

enum shape { NO_ROWS, ONE_ROW, UNKNOWN };

struct reader {
	rt_arena *arena;
	const char *why; /* set with the first UNKNOWN */
	int depth;
	rt_ptrvec cte_names, cte_shapes; /* the WITH queries in scope, innermost last */
};

static enum shape unknown(struct reader *rd, const char *why)
{
	if (!rd->why)
		rd->why = why;
	return UNKNOWN;
}

/* The last name of a qualified name list: [{"String": {"sval": ...}}, ...]. */
static const char *last_name(const rt_jnode *names)
{
	size_t n = rt_json_len(names);
	if (!n)
		return NULL;
	const rt_jnode *s = rt_json_node_as(names->items[n - 1], "String");
	return s ? rt_json_str(s, "sval") : NULL;
}

static bool name_in(const char *name, const char *const *names)
{
	for (size_t i = 0; name && names[i]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* A call of one of PostgreSQL's aggregates (not a window function). */
static bool is_aggregate(const rt_jnode *call)
{
	static const char *const aggs[] = {
		"count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every", "array_agg",
		"string_agg", "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg",
		"bit_and", "bit_or", "bit_xor", "stddev", "stddev_pop", "stddev_samp", "variance",
		"var_pop", "var_samp", "xmlagg", "percentile_cont", "percentile_disc", "mode", NULL
	};
	return !rt_json_get(call, "over") && name_in(last_name(rt_json_get(call, "funcname")), aggs);
}

/* Whether an expression holds an aggregate call outside any subquery. */
static bool has_aggregate(const rt_jnode *n, int depth)
{
	if (!n || depth > 200)
		return false;
	if (n->kind == RT_J_ARR) {
		for (size_t i = 0; i < n->n; i++)
			if (has_aggregate(n->items[i], depth + 1))
				return true;
		return false;
	}
	if (n->kind != RT_J_OBJ)
		return false;
	for (size_t i = 0; i < n->n; i++) {
		const char *key = n->keys[i];
		if (strcmp(key, "SubLink") == 0 || strcmp(key, "SelectStmt") == 0)
			continue;
		if (strcmp(key, "FuncCall") == 0 && is_aggregate(n->items[i]))
			return true;
		if (has_aggregate(n->items[i], depth + 1))
			return true;
	}
	return false;
}

static bool is_catalog(const rt_jnode *rangevar)
{
	const char *schema = rt_json_str(rangevar, "schemaname");
	const char *rel = rt_json_str(rangevar, "relname");
	if (schema)
		return strcmp(schema, "pg_catalog") == 0 || strcmp(schema, "information_schema") == 0;
	return rel && strncmp(rel, "pg_", 3) == 0;
}

static enum shape select_shape(struct reader *rd, const rt_jnode *sel, rt_fresh_result *out);

/* NO_ROWS when a FROM item finds no rows on a fresh database. */
static enum shape from_shape(struct reader *rd, const rt_jnode *item)
{
	const char *type;
	const rt_jnode *n = rt_json_node(item, &type);
	if (!n)
		return unknown(rd, "a FROM item retort cannot read");
	if (strcmp(type, "RangeVar") == 0) {
		const char *rel = rt_json_str(n, "relname");
		for (size_t i = rd->cte_names.n; rel && !rt_json_get(n, "schemaname") && i-- > 0;)
			if (strcmp(rd->cte_names.items[i], rel) == 0)
				return rd->cte_shapes.items[i] == (void *)(intptr_t)NO_ROWS
				               ? NO_ROWS
				               : unknown(rd, "a FROM item over a WITH query that finds rows");
		return is_catalog(n) ? unknown(rd, "a query of the system catalogs, whose rows are "
		                               "the schema, not data")
		                     : NO_ROWS;
	}
	if (strcmp(type, "RangeSubselect") == 0) {
		const rt_jnode *sub = rt_json_node_as(rt_json_get(n, "subquery"), "SelectStmt");
		rt_fresh_result ignored;
		return sub ? select_shape(rd, sub, &ignored) == NO_ROWS ? NO_ROWS : UNKNOWN
		           : unknown(rd, "a subquery retort cannot read");
	}
	if (strcmp(type, "JoinExpr") == 0) {
		const char *jt = rt_json_str(n, "jointype");
		bool l = from_shape(rd, rt_json_get(n, "larg")) == NO_ROWS;
		bool r = from_shape(rd, rt_json_get(n, "rarg")) == NO_ROWS;
		bool empty = !jt || strcmp(jt, "JOIN_INNER") == 0 ? l || r
		           : strcmp(jt, "JOIN_LEFT") == 0          ? l
		           : strcmp(jt, "JOIN_RIGHT") == 0         ? r
		                                                   : l && r;
		return empty ? NO_ROWS : UNKNOWN;
	}
	return unknown(rd, "a FROM item that is not a table (a function or VALUES)");
}

static bool value_of(struct reader *rd, const rt_jnode *expr, rt_fresh_value *v);

static bool const_value(struct reader *rd, const rt_jnode *c, rt_fresh_value *v)
{
	const rt_jnode *x;
	/* libpg_query leaves a field out when it holds its zero value */
	if (rt_json_bool(c, "isnull")) {
		v->kind = RT_FRESH_NULL;
	} else if ((x = rt_json_get(c, "ival"))) {
		v->kind = RT_FRESH_INT;
		v->text = rt_sprintf(rd->arena, "%ld", rt_json_int(x, "ival", 0));
	} else if ((x = rt_json_get(c, "fval"))) {
		v->kind = RT_FRESH_FLOAT;
		v->text = rt_json_str(x, "fval");
	} else if ((x = rt_json_get(c, "sval"))) {
		v->kind = RT_FRESH_STR;
		v->text = rt_json_str(x, "sval");
		if (!v->text)
			v->text = "";
	} else if ((x = rt_json_get(c, "boolval"))) {
		v->kind = RT_FRESH_BOOL;
		v->text = rt_json_bool(x, "boolval") ? "t" : "f";
	} else {
		return false;
	}
	return v->text || v->kind == RT_FRESH_NULL;
}

/* A cast changes what the driver hands Python: text casts give a str. */
static bool cast_value(struct reader *rd, const rt_jnode *cast, rt_fresh_value *v)
{
	static const char *const text_types[] = { "text", "varchar", "bpchar", "char", NULL };
	static const char *const int_types[] = { "int2", "int4", "int8", "integer", "bigint",
		                                     "smallint", NULL };
	if (!value_of(rd, rt_json_get(cast, "arg"), v))
		return false;
	const rt_jnode *tn = rt_json_get(cast, "typeName");
	const char *type = last_name(rt_json_get(tn, "names"));
	if (v->kind == RT_FRESH_NULL)
		return true;
	if (name_in(type, text_types)) {
		if (v->kind == RT_FRESH_BOOL)
			v->text = v->text[0] == 't' ? "true" : "false";
		v->kind = RT_FRESH_STR;
		return true;
	}
	if (name_in(type, int_types) && v->kind == RT_FRESH_INT)
		return true;
	unknown(rd, "a cast whose value retort does not follow");
	return false;
}

/* An operator over two integers (or NULL): comparisons give a boolean,
 * + - * an integer, as PostgreSQL computes them. */
static bool operator_value(struct reader *rd, const rt_jnode *e, rt_fresh_value *v)
{
	static const char *const ops[] = { "=", "<>", "!=", "<", ">", "<=", ">=", "+", "-", "*",
		                               NULL };
	const char *kind = rt_json_str(e, "kind"), *op = last_name(rt_json_get(e, "name"));
	rt_fresh_value l, r;
	if (!kind || strcmp(kind, "AEXPR_OP") != 0 || !name_in(op, ops) ||
	    !rt_json_get(e, "lexpr") || !value_of(rd, rt_json_get(e, "lexpr"), &l) ||
	    !value_of(rd, rt_json_get(e, "rexpr"), &r)) {
		unknown(rd, "an operator whose value over no rows retort does not work out");
		return false;
	}
	v->text = NULL;
	v->kind = RT_FRESH_NULL; /* NULL in, NULL out */
	if (l.kind == RT_FRESH_NULL || r.kind == RT_FRESH_NULL)
		return true;
	if (l.kind != RT_FRESH_INT || r.kind != RT_FRESH_INT) {
		unknown(rd, "an operator over values other than integers");
		return false;
	}
	long long x = strtoll(l.text, NULL, 10), y = strtoll(r.text, NULL, 10), z = 0;
	bool b = false, arith = op[0] == '+' || op[0] == '-' || op[0] == '*';
	switch (op[0]) {
	case '=': b = x == y; break;
	case '<': b = op[1] == '>' ? x != y : op[1] == '=' ? x <= y : x < y; break;
	case '>': b = op[1] == '=' ? x >= y : x > y; break;
	case '!': b = x != y; break;
	case '+': z = x + y; break; /* counts over no rows: 0, no overflow */
	case '-': z = x - y; break;
	default: z = x * y; break;
	}
	v->kind = arith ? RT_FRESH_INT : RT_FRESH_BOOL;
	v->text = arith ? rt_sprintf(rd->arena, "%lld", z) : b ? "t" : "f";
	return true;
}

/* The value of a selected expression over no rows. */
static bool value_of(struct reader *rd, const rt_jnode *expr, rt_fresh_value *v)
{
	const char *type;
	const rt_jnode *n = rt_json_node(expr, &type);
	if (!n || ++rd->depth > 100) {
		unknown(rd, "an expression retort cannot read");
		return false;
	}
	bool ok;
	if (strcmp(type, "A_Const") == 0) {
		ok = const_value(rd, n, v) || (unknown(rd, "a constant retort cannot read"), false);
	} else if (strcmp(type, "FuncCall") == 0 && is_aggregate(n)) {
		/* over no rows count() is 0, every other aggregate NULL */
		bool count = strcmp(last_name(rt_json_get(n, "funcname")), "count") == 0;
		v->kind = count ? RT_FRESH_INT : RT_FRESH_NULL;
		v->text = count ? "0" : NULL;
		ok = true;
	} else if (strcmp(type, "TypeCast") == 0) {
		ok = cast_value(rd, n, v);
	} else if (strcmp(type, "A_Expr") == 0) {
		ok = operator_value(rd, n, v);
	} else if (strcmp(type, "CoalesceExpr") == 0) {
		const rt_jnode *args = rt_json_get(n, "args");
		v->kind = RT_FRESH_NULL;
		ok = true;
		for (size_t i = 0; ok && i < rt_json_len(args) && v->kind == RT_FRESH_NULL; i++)
			ok = value_of(rd, args->items[i], v);
	} else {
		unknown(rd, rt_sprintf(rd->arena, "a selected %s, whose value over no rows retort "
		                       "does not work out", type));
		ok = false;
	}
	rd->depth--;
	return ok;
}

/* NO_ROWS when the FROM list finds no rows: one of its items finds none. */
static enum shape from_empty(struct reader *rd, const rt_jnode *sel)
{
	const rt_jnode *from = rt_json_get(sel, "fromClause");
	if (!rt_json_len(from))
		return unknown(rd, "a SELECT without FROM");
	enum shape shape = UNKNOWN;
	for (size_t i = 0; i < rt_json_len(from) && shape != NO_ROWS; i++)
		shape = from_shape(rd, from->items[i]);
	return shape;
}

/* Puts the WITH queries of a SELECT in scope, each with its shape: false
 * (with the reason) for a recursive or data-changing one. */
static bool with_scope(struct reader *rd, const rt_jnode *with)
{
	if (rt_json_bool(with, "recursive")) {
		unknown(rd, "a WITH RECURSIVE query");
		return false;
	}
	const rt_jnode *ctes = rt_json_get(with, "ctes");
	for (size_t i = 0; i < rt_json_len(ctes); i++) {
		const rt_jnode *cte = rt_json_node_as(ctes->items[i], "CommonTableExpr");
		const rt_jnode *q = cte ? rt_json_node_as(rt_json_get(cte, "ctequery"), "SelectStmt")
		                        : NULL;
		const char *name = cte ? rt_json_str(cte, "ctename") : NULL;
		if (!q || !name) {
			unknown(rd, "a WITH query that changes rows");
			return false;
		}
		rt_fresh_result ignored;
		enum shape shape = select_shape(rd, q, &ignored);
		rt_ptrvec_push(rd->arena, &rd->cte_names, rt_strdup(rd->arena, name));
		rt_ptrvec_push(rd->arena, &rd->cte_shapes, (void *)(intptr_t)shape);
	}
	return true;
}

static enum shape select_shape(struct reader *rd, const rt_jnode *sel, rt_fresh_result *out)
{
	if (++rd->depth > 100)
		return unknown(rd, "a query nested too deeply");
	size_t ctes_before = rd->cte_names.n;
	enum shape shape = UNKNOWN;
	const char *op = rt_json_str(sel, "op");
	const rt_jnode *targets = rt_json_get(sel, "targetList");
	if (op && strcmp(op, "SETOP_NONE") != 0) {
		rt_fresh_result ignored;
		bool l = select_shape(rd, rt_json_get(sel, "larg"), &ignored) == NO_ROWS;
		bool r = select_shape(rd, rt_json_get(sel, "rarg"), &ignored) == NO_ROWS;
		bool empty = strcmp(op, "SETOP_UNION") == 0       ? l && r
		           : strcmp(op, "SETOP_INTERSECT") == 0   ? l || r
		                                                  : l;
		shape = empty ? NO_ROWS : unknown(rd, "a set operation that finds rows");
	} else if (rt_json_get(sel, "withClause") && !with_scope(rd, rt_json_get(sel, "withClause"))) {
		shape = UNKNOWN;
	} else if (rt_json_get(sel, "valuesLists")) {
		shape = unknown(rd, "VALUES");
	} else if (has_aggregate(targets, 0) && !rt_json_get(sel, "groupClause")) {
		if (from_empty(rd, sel) != NO_ROWS) {
			shape = UNKNOWN; /* aggregates over rows that are there */
		} else if (rt_json_get(sel, "havingClause") || rt_json_get(sel, "limitCount") ||
		    rt_json_get(sel, "limitOffset")) {
			shape = unknown(rd, "HAVING, LIMIT or OFFSET on an aggregate");
		} else {
			/* aggregates without GROUP BY: one row, even over no rows */
			out->ncols = rt_json_len(targets);
			out->cols = rt_alloc_array(rd->arena, out->ncols ? out->ncols : 1,
			                           sizeof *out->cols);
			shape = ONE_ROW;
			for (size_t i = 0; i < out->ncols && shape == ONE_ROW; i++) {
				const rt_jnode *t = rt_json_node_as(targets->items[i], "ResTarget");
				if (!t || !value_of(rd, rt_json_get(t, "val"), &out->cols[i]))
					shape = unknown(rd, "a selected value retort cannot read");
			}
		}
	} else {
		shape = from_empty(rd, sel);
	}
	rd->cte_names.n = ctes_before; /* its WITH queries go out of scope */
	rd->cte_shapes.n = ctes_before;
	rd->depth--;
	return shape;
}

/* Whether a WITH clause only reads: a data-modifying CTE changes rows of
 * its own. */
static bool with_reads_only(const rt_jnode *with)
{
	const rt_jnode *ctes = rt_json_get(with, "ctes");
	for (size_t i = 0; i < rt_json_len(ctes); i++) {
		const rt_jnode *cte = rt_json_node_as(ctes->items[i], "CommonTableExpr");
		if (!cte || !rt_json_node_as(rt_json_get(cte, "ctequery"), "SelectStmt"))
			return false;
	}
	return true;
}

/* NO_ROWS when an UPDATE, DELETE or INSERT ... SELECT changes no rows on a
 * fresh database: the rows it would change (and return) are in empty tables. */
static enum shape change_shape(struct reader *rd, const char *type, const rt_jnode *stmt)
{
	if (is_catalog(rt_json_get(stmt, "relation")))
		return unknown(rd, "a change to the system catalogs");
	if (!with_reads_only(rt_json_get(stmt, "withClause")))
		return unknown(rd, "a WITH clause that changes rows");
	if (strcmp(type, "InsertStmt") != 0)
		return NO_ROWS;
	const rt_jnode *sel = rt_json_node_as(rt_json_get(stmt, "selectStmt"), "SelectStmt");
	if (!sel || rt_json_get(sel, "valuesLists"))
		return unknown(rd, "an INSERT of VALUES, which changes rows on any database");
	rt_fresh_result ignored;
	return select_shape(rd, sel, &ignored) == NO_ROWS
	               ? NO_ROWS
	               : unknown(rd, "an INSERT of a SELECT that finds rows on a fresh database");
}

bool rt_sql_fresh_result(rt_arena *arena, const char *sql, rt_fresh_result *out,
                         const char **why)
{
	struct reader rd = { .arena = arena };
	memset(out, 0, sizeof *out);
	rt_sql_note_use();
	PgQueryParseResult r = pg_query_parse(sql);
	rt_jnode *tree = r.error ? NULL : rt_json_parse(arena, r.parse_tree, strlen(r.parse_tree));
	pg_query_free_parse_result(r);
	const rt_jnode *stmts = rt_json_get(tree, "stmts");
	enum shape shape = UNKNOWN;
	if (!tree) {
		unknown(&rd, "SQL that PostgreSQL's parser rejects");
	} else if (rt_json_len(stmts) != 1) {
		unknown(&rd, "more than one statement");
	} else {
		const char *type;
		const rt_jnode *raw = stmts->items[0];
		const rt_jnode *stmt = rt_json_node(rt_json_get(raw, "stmt"), &type);
		long end = rt_json_int(raw, "stmt_location", 0) + rt_json_int(raw, "stmt_len", 0);
		out->len = rt_json_get(raw, "stmt_len") ? (size_t)end : strlen(sql);
		if (!stmt) {
			unknown(&rd, "a statement retort cannot read");
		} else if (strcmp(type, "SelectStmt") == 0) {
			if (rt_json_get(stmt, "intoClause"))
				unknown(&rd, "SELECT INTO");
			else
				shape = select_shape(&rd, stmt, out);
		} else if (strcmp(type, "UpdateStmt") == 0 || strcmp(type, "DeleteStmt") == 0 ||
		           strcmp(type, "InsertStmt") == 0) {
			shape = change_shape(&rd, type, stmt);
			out->changes = true;
			out->returns = rt_json_get(stmt, "returningList") != NULL;
		} else {
			unknown(&rd, rt_sprintf(arena, "a %s", type));
		}
	}
	if (shape == UNKNOWN) {
		*why = rd.why;
		return false;
	}
	out->one_row = shape == ONE_ROW;
	return true;
}

void rt_sql_fresh_guard(rt_arena *arena, const rt_fresh_result *res, const char **head,
                        const char **tail)
{
	if (!res->one_row) {
		/* a change counts the rows it changes through RETURNING */
		*head = "WITH retort_rows AS (\n";
		*tail = rt_concat(arena, res->changes && !res->returns ? "\nRETURNING 1" : "",
		                  "\n) SELECT count(*) = 0, count(*) || CASE count(*) WHEN 1 THEN "
		                  "' row' ELSE ' rows' END FROM retort_rows", NULL);
		return;
	}
	rt_buf h = RT_BUF_INIT, t = RT_BUF_INIT, found = RT_BUF_INIT;
	rt_buf_puts(&h, "WITH retort_rows(");
	rt_buf_puts(&t, "\n) SELECT ");
	for (size_t i = 0; i < res->ncols; i++) {
		const rt_fresh_value *v = &res->cols[i];
		rt_buf_printf(&h, "%sc%zu", i ? ", " : "", i + 1);
		rt_buf_printf(&t, "%sc%zu", i ? " AND " : "", i + 1);
		switch (v->kind) {
		case RT_FRESH_NULL: rt_buf_puts(&t, " IS NULL"); break;
		case RT_FRESH_INT:
		case RT_FRESH_FLOAT: rt_buf_printf(&t, " IS NOT DISTINCT FROM %s", v->text); break;
		case RT_FRESH_BOOL:
			rt_buf_printf(&t, " IS NOT DISTINCT FROM %s", v->text[0] == 't' ? "true" : "false");
			break;
		case RT_FRESH_STR:
			rt_buf_puts(&t, "::text IS NOT DISTINCT FROM ");
			rt_ident_append_literal(&t, v->text);
			break;
		}
		rt_buf_printf(&found, "%scoalesce(c%zu::text, 'NULL')", i ? ", " : "", i + 1);
	}
	rt_buf_puts(&h, ") AS (\n");
	if (res->ncols == 1)
		rt_buf_printf(&t, ", %s FROM retort_rows", rt_buf_cstr(&found));
	else
		rt_buf_printf(&t, ", '(' || concat_ws(', ', %s) || ')' FROM retort_rows",
		              rt_buf_cstr(&found));
	*head = rt_strdup(arena, rt_buf_cstr(&h));
	*tail = rt_strdup(arena, rt_buf_cstr(&t));
	rt_buf_release(&h);
	rt_buf_release(&t);
	rt_buf_release(&found);
}
