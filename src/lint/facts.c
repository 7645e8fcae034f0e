/*
 * Statement facts and the rules that need only one statement, from
 * libpg_query's JSON parse tree.
 *
 * Lock levels follow PostgreSQL 15: the "Table-Level Locks" section of the
 * manual for each command, and AlterTableGetLockLevel (tablecmds.c) for each
 * ALTER TABLE subcommand, whose strongest lock is the statement's.
 */
#include <string.h>

#include "lint_int.h"

#define STREQ(a, b) (strcmp((a), (b)) == 0)

struct actx {
	rt_arena *arena;
	rt_lint_facts *f;
	lint_hits *hits;
	int pg;          /* server major version */
	size_t base;     /* offset of the raw statement in stmt->sql */
};

static size_t at(const struct actx *a, const rt_jnode *n)
{
	long loc = rt_json_int(n, "location", -1);
	return loc >= 0 ? (size_t)loc : a->base;
}

static void hit(struct actx *a, const char *rule, const rt_jnode *where, const char *fmt, ...)
	RT_PRINTF(4, 5);
static void hit(struct actx *a, const char *rule, const rt_jnode *where, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = rt_vsprintf(a->arena, fmt, ap);
	va_end(ap);
	lint_hit_add(a->arena, a->hits, rule, at(a, where), msg);
}

static const char *rangevar_name(rt_arena *arena, const rt_jnode *rv)
{
	const char *schema = rt_json_str(rv, "schemaname");
	const char *rel = rt_json_str(rv, "relname");
	if (!rel)
		return "?";
	return schema ? rt_concat(arena, schema, ".", rel, NULL) : rel;
}

/* A name list [{"String":{"sval":"a"}}, ...] joined with dots. */
static const char *names_joined(rt_arena *arena, const rt_jnode *list)
{
	const char *out = NULL;
	for (size_t i = 0; i < rt_json_len(list); i++) {
		const char *s = rt_json_str(rt_json_node_as(list->items[i], "String"), "sval");
		if (s)
			out = out ? rt_concat(arena, out, ".", s, NULL) : s;
	}
	return out ? out : "?";
}

static void lock(struct actx *a, const char *rel, rt_lockmode mode)
{
	rt_lint_facts *f = a->f;
	for (size_t i = 0; i < f->nlocks; i++) {
		if (STREQ(f->locks[i].relation, rel)) {
			if (mode > f->locks[i].mode)
				f->locks[i].mode = mode;
			return;
		}
	}
	if (f->nlocks < RT_LINT_MAX_LOCKS)
		f->locks[f->nlocks++] = (rt_lint_lock){ .relation = rel, .mode = mode };
}

static const char *main_rel(const struct actx *a)
{
	return a->f->nlocks ? a->f->locks[0].relation : "?";
}

/* --- expressions: is a column default volatile? -------------------------- */

/* Functions PostgreSQL marks volatile that migrations use as defaults. Any
 * other call is taken as stable or immutable, as most defaults (now(),
 * casts, constructors) are: the server evaluates those once. */
static bool volatile_function(const char *name)
{
	static const char *const names[] = {
		"random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",
		"uuid_generate_v4", "nextval", "clock_timestamp", "timeofday", "txid_current",
		"random_normal", "setseed",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (STREQ(name, names[i]))
			return true;
	return false;
}

static bool expr_volatile(const rt_jnode *n, int depth)
{
	if (!n || depth > 64)
		return false;
	if (n->kind == RT_J_ARR || n->kind == RT_J_OBJ) {
		if (n->kind == RT_J_OBJ) {
			const rt_jnode *fc = rt_json_node_as(n, "FuncCall");
			if (fc) {
				const rt_jnode *fn = rt_json_get(fc, "funcname");
				size_t k = rt_json_len(fn);
				const char *last = k ? rt_json_str(rt_json_node_as(fn->items[k - 1], "String"), "sval")
				                     : NULL;
				if (last && volatile_function(last))
					return true;
			}
		}
		for (size_t i = 0; i < n->n; i++)
			if (expr_volatile(n->items[i], depth + 1))
				return true;
	}
	return false;
}

/* --- ALTER TABLE --------------------------------------------------------- */

/* AlterTableGetLockLevel's answer for the reloptions of SET/RESET (...):
 * the options that change what queries see take ACCESS EXCLUSIVE. */
static rt_lockmode reloptions_lock(const rt_jnode *defs)
{
	static const char *const strong[] = {
		"user_catalog_table", "security_barrier", "security_invoker", "check_option", "buffering",
	};
	rt_lockmode mode = RT_LOCK_SHARE_UPDATE_EXCLUSIVE;
	for (size_t i = 0; i < rt_json_len(defs); i++) {
		const char *name = rt_json_str(rt_json_node_as(defs->items[i], "DefElem"), "defname");
		for (size_t k = 0; name && k < sizeof strong / sizeof strong[0]; k++)
			if (STREQ(name, strong[k]))
				mode = RT_LOCK_ACCESS_EXCLUSIVE;
	}
	return mode;
}

static rt_lockmode subcmd_lock(const char *sub, const rt_jnode *cmd, int pg)
{
	static const char *const share_update_exclusive[] = {
		"AT_SetStatistics", "AT_ClusterOn", "AT_DropCluster", "AT_SetOptions", "AT_ResetOptions",
		"AT_ValidateConstraint", "AT_DetachPartitionFinalize", "AT_ReAddStatistics",
	};
	for (size_t i = 0; i < sizeof share_update_exclusive / sizeof share_update_exclusive[0]; i++)
		if (STREQ(sub, share_update_exclusive[i]))
			return RT_LOCK_SHARE_UPDATE_EXCLUSIVE;
	if (strncmp(sub, "AT_EnableTrig", 13) == 0 || strncmp(sub, "AT_DisableTrig", 14) == 0 ||
	    STREQ(sub, "AT_EnableAlwaysTrig") || STREQ(sub, "AT_EnableReplicaTrig"))
		return RT_LOCK_SHARE_ROW_EXCLUSIVE;
	if (STREQ(sub, "AT_SetRelOptions") || STREQ(sub, "AT_ResetRelOptions"))
		return reloptions_lock(rt_json_get(cmd, "def"));
	if (STREQ(sub, "AT_AttachPartition"))
		return pg >= 12 ? RT_LOCK_SHARE_UPDATE_EXCLUSIVE : RT_LOCK_ACCESS_EXCLUSIVE;
	if (STREQ(sub, "AT_DetachPartition"))
		return rt_json_bool(rt_json_node_as(rt_json_get(cmd, "def"), "PartitionCmd"), "concurrent")
		           ? RT_LOCK_SHARE_UPDATE_EXCLUSIVE
		           : RT_LOCK_ACCESS_EXCLUSIVE;
	if (STREQ(sub, "AT_AddConstraint")) {
		const char *ct = rt_json_str(rt_json_node_as(rt_json_get(cmd, "def"), "Constraint"), "contype");
		return ct && STREQ(ct, "CONSTR_FOREIGN") ? RT_LOCK_SHARE_ROW_EXCLUSIVE
		                                         : RT_LOCK_ACCESS_EXCLUSIVE;
	}
	/* every other subcommand: ACCESS EXCLUSIVE (rewrites, visible to SELECT, or
	 * "theoretically could be SHARE ROW EXCLUSIVE" in tablecmds.c's words) */
	return RT_LOCK_ACCESS_EXCLUSIVE;
}

static bool is_serial(const rt_jnode *coldef)
{
	const rt_jnode *names = rt_json_get(rt_json_get(coldef, "typeName"), "names");
	size_t k = rt_json_len(names);
	const char *t = k ? rt_json_str(rt_json_node_as(names->items[k - 1], "String"), "sval") : NULL;
	return t && (STREQ(t, "serial") || STREQ(t, "bigserial") || STREQ(t, "smallserial") ||
	             STREQ(t, "serial4") || STREQ(t, "serial8") || STREQ(t, "serial2"));
}

/* A FOREIGN KEY: SHARE ROW EXCLUSIVE on the referenced table too. */
static void foreign_key(struct actx *a, const rt_jnode *con, bool existing_table)
{
	lock(a, rangevar_name(a->arena, rt_json_get(con, "pktable")), RT_LOCK_SHARE_ROW_EXCLUSIVE);
	if (!existing_table || rt_json_bool(con, "skip_validation"))
		return;
	a->f->effects |= RT_LINT_SCAN;
	hit(a, "adding-foreign-key-constraint", con,
	    "FOREIGN KEY on '%s' validates every row while holding SHARE ROW EXCLUSIVE on '%s' and "
	    "'%s', blocking their writes", main_rel(a), main_rel(a),
	    rangevar_name(a->arena, rt_json_get(con, "pktable")));
}

static void add_column(struct actx *a, const rt_jnode *cmd)
{
	const rt_jnode *col = rt_json_node_as(rt_json_get(cmd, "def"), "ColumnDef");
	const char *name = rt_json_str(col, "colname");
	const rt_jnode *cons = rt_json_get(col, "constraints");
	bool not_null = false, has_default = false, rewrite = is_serial(col);
	const char *why = rewrite ? "a serial column's default, nextval(), is volatile" : NULL;
	for (size_t i = 0; i < rt_json_len(cons); i++) {
		const rt_jnode *con = rt_json_node_as(cons->items[i], "Constraint");
		const char *ct = rt_json_str(con, "contype");
		if (!ct)
			continue;
		if (STREQ(ct, "CONSTR_NOTNULL") || STREQ(ct, "CONSTR_PRIMARY"))
			not_null = true;
		if (STREQ(ct, "CONSTR_DEFAULT")) {
			has_default = true;
			const rt_jnode *expr = rt_json_get(con, "raw_expr");
			bool null_const = rt_json_bool(rt_json_node_as(expr, "A_Const"), "isnull");
			if (expr_volatile(expr, 0)) {
				rewrite = true;
				why = "its DEFAULT is volatile, so every row gets its own value";
			} else if (a->pg < 11 && !null_const) {
				rewrite = true;
				why = "before PostgreSQL 11 any DEFAULT is written into every row";
			}
		} else if (STREQ(ct, "CONSTR_GENERATED") || STREQ(ct, "CONSTR_IDENTITY")) {
			has_default = true;
			rewrite = true;
			why = STREQ(ct, "CONSTR_IDENTITY") ? "an identity column is filled for every row"
			                                   : "a stored generated column is computed for every row";
		} else if (STREQ(ct, "CONSTR_PRIMARY") || STREQ(ct, "CONSTR_UNIQUE")) {
			a->f->effects |= RT_LINT_SCAN;
			hit(a, STREQ(ct, "CONSTR_PRIMARY") ? "adding-serial-primary-key-field"
			                                    : "disallowed-unique-constraint",
			    con, "%s on new column '%s' builds its index under ACCESS EXCLUSIVE on '%s'",
			    STREQ(ct, "CONSTR_PRIMARY") ? "PRIMARY KEY" : "UNIQUE", name, main_rel(a));
		} else if (STREQ(ct, "CONSTR_FOREIGN")) {
			foreign_key(a, con, true);
		} else if (STREQ(ct, "CONSTR_CHECK")) {
			a->f->effects |= RT_LINT_SCAN;
		}
	}
	if (is_serial(col))
		has_default = true;
	if (rewrite) {
		a->f->effects |= RT_LINT_REWRITE;
		hit(a, "adding-field-with-default", col,
		    "adding column '%s' rewrites '%s' under ACCESS EXCLUSIVE: %s", name, main_rel(a), why);
	}
	if (not_null && !has_default)
		hit(a, "adding-required-field", col,
		    "column '%s' is NOT NULL without a DEFAULT: this fails on a table that has rows, "
		    "and breaks inserts that do not set it", name);
	if (!rt_json_bool(cmd, "missing_ok"))
		a->f->idempotent = false;
}

static void add_constraint(struct actx *a, const rt_jnode *cmd)
{
	const rt_jnode *con = rt_json_node_as(rt_json_get(cmd, "def"), "Constraint");
	const char *ct = rt_json_str(con, "contype");
	const char *cname = rt_json_str(con, "conname");
	a->f->idempotent = false;
	if (!ct)
		return;
	bool valid = !rt_json_bool(con, "skip_validation");
	if (STREQ(ct, "CONSTR_FOREIGN")) {
		foreign_key(a, con, true);
		if (valid)
			hit(a, "constraint-missing-not-valid", con,
			    "add FOREIGN KEY %s as NOT VALID, then VALIDATE CONSTRAINT in a later step",
			    cname ? cname : "");
	} else if (STREQ(ct, "CONSTR_CHECK") && valid) {
		a->f->effects |= RT_LINT_SCAN;
		hit(a, "constraint-missing-not-valid", con,
		    "CHECK %s scans all of '%s' under ACCESS EXCLUSIVE; add it NOT VALID, then VALIDATE",
		    cname ? cname : "", main_rel(a));
	} else if (STREQ(ct, "CONSTR_EXCLUSION")) {
		/* unlike UNIQUE: no USING INDEX form, no NOT VALID, no CONCURRENTLY */
		a->f->effects |= RT_LINT_SCAN;
		hit(a, "adding-exclusion-constraint", con,
		    "EXCLUDE %s builds its index and checks every row of '%s' under ACCESS EXCLUSIVE, "
		    "blocking reads and writes, and has no NOT VALID or USING INDEX form; add it "
		    "while the table is new or empty", cname ? cname : "", main_rel(a));
	} else if ((STREQ(ct, "CONSTR_UNIQUE") || STREQ(ct, "CONSTR_PRIMARY")) &&
	           !rt_json_str(con, "indexname")) {
		a->f->effects |= RT_LINT_SCAN;
		bool pk = STREQ(ct, "CONSTR_PRIMARY");
		hit(a, pk ? "adding-serial-primary-key-field" : "disallowed-unique-constraint", con,
		    "%s builds its index under ACCESS EXCLUSIVE on '%s', blocking reads and writes; "
		    "build a unique index CONCURRENTLY, then add the constraint USING INDEX",
		    pk ? "PRIMARY KEY" : "UNIQUE", main_rel(a));
	}
}

static void table_rewrite(struct actx *a, const rt_jnode *where, const char *what)
{
	a->f->effects |= RT_LINT_REWRITE;
	hit(a, "table-rewrite", where, "%s rewrites '%s' under ACCESS EXCLUSIVE, blocking reads and writes",
	    what, main_rel(a));
}

static void alter_subcmd(struct actx *a, const rt_jnode *cmd, const char *sub)
{
	const char *col = rt_json_str(cmd, "name");
	if (STREQ(sub, "AT_AddColumn")) {
		add_column(a, cmd);
	} else if (STREQ(sub, "AT_AddConstraint")) {
		add_constraint(a, cmd);
	} else if (STREQ(sub, "AT_AlterColumnType")) {
		a->f->effects |= RT_LINT_REWRITE;
		hit(a, "changing-column-type", cmd,
		    "changing the type of '%s' rewrites '%s' and its indexes under ACCESS EXCLUSIVE "
		    "(unless the types are binary-compatible), and breaks clients reading it",
		    col ? col : "?", main_rel(a));
	} else if (STREQ(sub, "AT_SetNotNull")) {
		a->f->effects |= RT_LINT_SCAN;
		hit(a, "adding-not-nullable-field", cmd,
		    "SET NOT NULL on '%s' scans all of '%s' under ACCESS EXCLUSIVE, blocking reads and "
		    "writes", col ? col : "?", main_rel(a));
	} else if (STREQ(sub, "AT_DropNotNull")) {
		hit(a, "ban-drop-not-null", cmd,
		    "dropping NOT NULL on '%s' lets NULLs reach clients that do not expect them",
		    col ? col : "?");
	} else if (STREQ(sub, "AT_DropColumn")) {
		if (!rt_json_bool(cmd, "missing_ok"))
			a->f->idempotent = false;
		hit(a, "ban-drop-column", cmd,
		    "dropping column '%s' breaks running code that still reads or writes it",
		    col ? col : "?");
	} else if (STREQ(sub, "AT_DropConstraint")) {
		if (!rt_json_bool(cmd, "missing_ok"))
			a->f->idempotent = false;
	} else if (STREQ(sub, "AT_ValidateConstraint")) {
		a->f->effects |= RT_LINT_SCAN;
	} else if (STREQ(sub, "AT_AttachPartition")) {
		/* the table attached is scanned for its bound under ACCESS EXCLUSIVE */
		a->f->effects |= RT_LINT_SCAN;
		lock(a, rangevar_name(a->arena, rt_json_get(rt_json_node_as(rt_json_get(cmd, "def"),
		                                                            "PartitionCmd"), "name")),
		     RT_LOCK_ACCESS_EXCLUSIVE);
	} else if (STREQ(sub, "AT_AddInherit") || STREQ(sub, "AT_DropInherit")) {
		/* the parent: SHARE UPDATE EXCLUSIVE to add, ACCESS SHARE to drop (seen by --trace) */
		lock(a, rangevar_name(a->arena, rt_json_node_as(rt_json_get(cmd, "def"), "RangeVar")),
		     STREQ(sub, "AT_AddInherit") ? RT_LOCK_SHARE_UPDATE_EXCLUSIVE : RT_LOCK_ACCESS_SHARE);
	} else if (STREQ(sub, "AT_SetTableSpace")) {
		table_rewrite(a, cmd, "SET TABLESPACE");
	} else if (STREQ(sub, "AT_SetLogged") || STREQ(sub, "AT_SetUnLogged")) {
		table_rewrite(a, cmd, STREQ(sub, "AT_SetLogged") ? "SET LOGGED" : "SET UNLOGGED");
	} else if (STREQ(sub, "AT_SetAccessMethod")) {
		table_rewrite(a, cmd, "SET ACCESS METHOD");
	} else if (STREQ(sub, "AT_DetachPartition")) {
		const rt_jnode *pc = rt_json_node_as(rt_json_get(cmd, "def"), "PartitionCmd");
		bool conc = rt_json_bool(pc, "concurrent");
		if (conc)
			a->f->effects |= RT_LINT_NO_TX;
		/* the partition, as strongly as the parent */
		lock(a, rangevar_name(a->arena, rt_json_get(pc, "name")),
		     conc ? RT_LOCK_SHARE_UPDATE_EXCLUSIVE : RT_LOCK_ACCESS_EXCLUSIVE);
	}
}

static void alter_table(struct actx *a, const rt_jnode *s)
{
	static const struct { const char *objtype, *kind; } kinds[] = {
		{ "OBJECT_INDEX", "ALTER INDEX" }, { "OBJECT_VIEW", "ALTER VIEW" },
		{ "OBJECT_MATVIEW", "ALTER MATERIALIZED VIEW" }, { "OBJECT_SEQUENCE", "ALTER SEQUENCE" },
		{ "OBJECT_FOREIGN_TABLE", "ALTER FOREIGN TABLE" }, { "OBJECT_TYPE", "ALTER TYPE" },
	};
	const char *objtype = rt_json_str(s, "objtype");
	a->f->kind = "ALTER TABLE";
	for (size_t i = 0; objtype && i < sizeof kinds / sizeof kinds[0]; i++)
		if (STREQ(objtype, kinds[i].objtype))
			a->f->kind = kinds[i].kind;
	const char *rel = rangevar_name(a->arena, rt_json_get(s, "relation"));
	const rt_jnode *cmds = rt_json_get(s, "cmds");
	rt_lockmode mode = RT_LOCK_SHARE_UPDATE_EXCLUSIVE;
	for (size_t i = 0; i < rt_json_len(cmds); i++) {
		const rt_jnode *cmd = rt_json_node_as(cmds->items[i], "AlterTableCmd");
		const char *sub = rt_json_str(cmd, "subtype");
		if (sub) {
			rt_lockmode m = subcmd_lock(sub, cmd, a->pg);
			if (m > mode)
				mode = m;
		}
	}
	lock(a, rel, mode);
	for (size_t i = 0; i < rt_json_len(cmds); i++) {
		const rt_jnode *cmd = rt_json_node_as(cmds->items[i], "AlterTableCmd");
		const char *sub = rt_json_str(cmd, "subtype");
		if (sub)
			alter_subcmd(a, cmd, sub);
	}
}

/* --- other commands ------------------------------------------------------- */

static bool has_option(const rt_jnode *defs, const char *name)
{
	for (size_t i = 0; i < rt_json_len(defs); i++) {
		const rt_jnode *d = rt_json_node_as(defs->items[i], "DefElem");
		const char *n = rt_json_str(d, "defname");
		if (n && STREQ(n, name)) {
			/* FULL false / CONCURRENTLY false are written as an argument */
			const rt_jnode *arg = rt_json_get(d, "arg");
			const char *sval = rt_json_str(rt_json_node_as(arg, "String"), "sval");
			return !(sval && (STREQ(sval, "false") || STREQ(sval, "off")));
		}
	}
	return false;
}

static void index_stmt(struct actx *a, const rt_jnode *s)
{
	bool concurrent = rt_json_bool(s, "concurrent");
	const char *rel = rangevar_name(a->arena, rt_json_get(s, "relation"));
	a->f->kind = "CREATE INDEX";
	lock(a, rel, concurrent ? RT_LOCK_SHARE_UPDATE_EXCLUSIVE : RT_LOCK_SHARE);
	a->f->effects |= RT_LINT_SCAN | (concurrent ? RT_LINT_NO_TX : 0);
	a->f->idempotent = rt_json_bool(s, "if_not_exists");
	const char *idx = rt_json_str(s, "idxname");
	if (idx)
		a->f->created = idx;
	if (!concurrent)
		hit(a, "require-concurrent-index-creation", rt_json_get(s, "relation"),
		    "CREATE INDEX holds SHARE on '%s' while it builds, blocking writes; use CONCURRENTLY",
		    rel);
}

static void drop_stmt(struct actx *a, const rt_jnode *s)
{
	const char *type = rt_json_str(s, "removeType");
	const rt_jnode *objs = rt_json_get(s, "objects");
	bool concurrent = rt_json_bool(s, "concurrent");
	bool relation = false;
	static const struct { const char *type, *kind; } kinds[] = {
		{ "OBJECT_TABLE", "DROP TABLE" }, { "OBJECT_INDEX", "DROP INDEX" },
		{ "OBJECT_VIEW", "DROP VIEW" }, { "OBJECT_MATVIEW", "DROP MATERIALIZED VIEW" },
		{ "OBJECT_SEQUENCE", "DROP SEQUENCE" }, { "OBJECT_FOREIGN_TABLE", "DROP FOREIGN TABLE" },
	};
	a->f->kind = "DROP";
	for (size_t i = 0; type && i < sizeof kinds / sizeof kinds[0]; i++) {
		if (STREQ(type, kinds[i].type)) {
			a->f->kind = kinds[i].kind;
			relation = true;
		}
	}
	a->f->idempotent = rt_json_bool(s, "missing_ok");
	for (size_t i = 0; relation && i < rt_json_len(objs); i++)
		lock(a, names_joined(a->arena, rt_json_get(rt_json_node_as(objs->items[i], "List"), "items")),
		     concurrent ? RT_LOCK_SHARE_UPDATE_EXCLUSIVE : RT_LOCK_ACCESS_EXCLUSIVE);
	if (!type)
		return;
	if (STREQ(type, "OBJECT_TABLE"))
		hit(a, "ban-drop-table", s, "dropping table '%s' breaks running code that still uses it",
		    main_rel(a));
	if (STREQ(type, "OBJECT_INDEX")) {
		if (concurrent)
			a->f->effects |= RT_LINT_NO_TX;
		else
			hit(a, "require-concurrent-index-deletion", s,
			    "DROP INDEX takes ACCESS EXCLUSIVE on '%s' and its table, blocking reads and "
			    "writes; use DROP INDEX CONCURRENTLY", main_rel(a));
	}
}

static void rename_stmt(struct actx *a, const rt_jnode *s)
{
	const char *type = rt_json_str(s, "renameType");
	const rt_jnode *rv = rt_json_get(s, "relation");
	a->f->kind = "RENAME";
	a->f->idempotent = false;
	if (!rv || !type)
		return;
	const char *rel = rangevar_name(a->arena, rv);
	bool index = STREQ(type, "OBJECT_INDEX");
	lock(a, rel, index && a->pg >= 12 ? RT_LOCK_SHARE_UPDATE_EXCLUSIVE : RT_LOCK_ACCESS_EXCLUSIVE);
	if (STREQ(type, "OBJECT_TABLE"))
		hit(a, "renaming-table", s, "renaming table '%s' to '%s' breaks running code that uses the "
		    "old name", rel, rt_json_str(s, "newname"));
	else if (STREQ(type, "OBJECT_COLUMN"))
		hit(a, "renaming-column", s, "renaming column '%s' of '%s' to '%s' breaks running code "
		    "that uses the old name", rt_json_str(s, "subname"), rel, rt_json_str(s, "newname"));
}

static void relations(struct actx *a, const rt_jnode *list, const char *wrapper, rt_lockmode mode)
{
	for (size_t i = 0; i < rt_json_len(list); i++) {
		const rt_jnode *n = rt_json_node_as(list->items[i], wrapper);
		if (wrapper[0] == 'V') /* VacuumRelation wraps its RangeVar */
			n = rt_json_get(n, "relation");
		if (n)
			lock(a, rangevar_name(a->arena, n), mode);
	}
}

static void vacuum_stmt(struct actx *a, const rt_jnode *s)
{
	bool vacuum = rt_json_bool(s, "is_vacuumcmd");
	bool full = vacuum && has_option(rt_json_get(s, "options"), "full");
	a->f->kind = vacuum ? (full ? "VACUUM FULL" : "VACUUM") : "ANALYZE";
	relations(a, rt_json_get(s, "rels"), "VacuumRelation",
	          full ? RT_LOCK_ACCESS_EXCLUSIVE : RT_LOCK_SHARE_UPDATE_EXCLUSIVE);
	a->f->effects |= RT_LINT_SCAN | (vacuum ? RT_LINT_NO_TX : 0);
	if (full)
		table_rewrite(a, s, "VACUUM FULL");
}

static void create_stmt(struct actx *a, const rt_jnode *s)
{
	a->f->kind = "CREATE TABLE";
	a->f->created = rangevar_name(a->arena, rt_json_get(s, "relation"));
	a->f->idempotent = rt_json_bool(s, "if_not_exists");
	lock(a, a->f->created, RT_LOCK_ACCESS_EXCLUSIVE);
	const rt_jnode *elts = rt_json_get(s, "tableElts");
	for (size_t i = 0; i < rt_json_len(elts); i++) {
		const char *t;
		const rt_jnode *e = rt_json_node(elts->items[i], &t);
		if (STREQ(t, "Constraint") && STREQ(rt_json_str(e, "contype") ? rt_json_str(e, "contype") : "",
		                                    "CONSTR_FOREIGN"))
			foreign_key(a, e, false);
		const rt_jnode *cons = STREQ(t, "ColumnDef") ? rt_json_get(e, "constraints") : NULL;
		for (size_t k = 0; k < rt_json_len(cons); k++) {
			const rt_jnode *c = rt_json_node_as(cons->items[k], "Constraint");
			const char *ct = rt_json_str(c, "contype");
			if (ct && STREQ(ct, "CONSTR_FOREIGN"))
				foreign_key(a, c, false);
		}
	}
}

static void dml_stmt(struct actx *a, const rt_jnode *s, const char *kind)
{
	a->f->kind = kind;
	const char *rel = rangevar_name(a->arena, rt_json_get(s, "relation"));
	lock(a, rel, RT_LOCK_ROW_EXCLUSIVE);
	if (kind[0] != 'I' && !rt_json_get(s, "whereClause")) {
		a->f->effects |= RT_LINT_SCAN;
		hit(a, "unbatched-backfill", s,
		    "%s of every row of '%s' in one statement locks all its rows until the step "
		    "commits, and bloats it; backfill in batches outside the migration", kind, rel);
	}
}

static void domain_stmt(struct actx *a, const rt_jnode *s, bool create)
{
	a->f->kind = create ? "CREATE DOMAIN" : "ALTER DOMAIN";
	if (create) {
		a->f->idempotent = false;
		const rt_jnode *cons = rt_json_get(s, "constraints");
		for (size_t i = 0; i < rt_json_len(cons); i++) {
			const rt_jnode *c = rt_json_node_as(cons->items[i], "Constraint");
			const char *ct = rt_json_str(c, "contype");
			if (ct && STREQ(ct, "CONSTR_CHECK"))
				hit(a, "ban-create-domain-with-constraint", c,
				    "a domain CHECK cannot be changed later without checking every column "
				    "of the domain under lock; put the CHECK on the table");
		}
	} else {
		const char *sub = rt_json_str(s, "subtype");
		if (sub && STREQ(sub, "C"))
			hit(a, "ban-alter-domain-with-add-constraint", s,
			    "ADD CONSTRAINT on a domain checks every column that uses it, locking each "
			    "table; put the CHECK on the tables");
	}
}

/* Commands whose facts are only their name and, perhaps, NO_TX. */
static bool simple_stmt(struct actx *a, const char *type, const rt_jnode *s)
{
	static const struct { const char *type, *kind; unsigned effects; bool idempotent; } simple[] = {
		{ "CreatedbStmt", "CREATE DATABASE", RT_LINT_NO_TX, false },
		{ "AlterSystemStmt", "ALTER SYSTEM", RT_LINT_NO_TX, true },
		{ "CreateTableSpaceStmt", "CREATE TABLESPACE", RT_LINT_NO_TX, false },
		{ "DropTableSpaceStmt", "DROP TABLESPACE", RT_LINT_NO_TX, false },
		{ "VariableSetStmt", "SET", 0, true },
		{ "DoStmt", "DO", 0, true },
		{ "SelectStmt", "SELECT", 0, true },
		{ "GrantStmt", "GRANT", 0, true },
	};
	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
		if (STREQ(type, simple[i].type)) {
			a->f->kind = simple[i].kind;
			a->f->effects |= simple[i].effects;
			a->f->idempotent = simple[i].idempotent;
			return true;
		}
	}
	/* CREATE ... IF NOT EXISTS / OR REPLACE forms */
	static const struct { const char *type, *kind, *flag; } creates[] = {
		{ "CreateSeqStmt", "CREATE SEQUENCE", "if_not_exists" },
		{ "CreateSchemaStmt", "CREATE SCHEMA", "if_not_exists" },
		{ "CreateExtensionStmt", "CREATE EXTENSION", "if_not_exists" },
		{ "CreateFunctionStmt", "CREATE FUNCTION", "replace" },
		{ "ViewStmt", "CREATE VIEW", "replace" },
		{ "CreateEnumStmt", "CREATE TYPE", "" },
		{ "CompositeTypeStmt", "CREATE TYPE", "" },
	};
	for (size_t i = 0; i < sizeof creates / sizeof creates[0]; i++) {
		if (STREQ(type, creates[i].type)) {
			a->f->kind = creates[i].kind;
			a->f->idempotent = creates[i].flag[0] && rt_json_bool(s, creates[i].flag);
			return true;
		}
	}
	return false;
}

/* COMMENT ON TABLE/COLUMN/...: SHARE UPDATE EXCLUSIVE on the relation
 * (CommentObject's get_object_address; seen by `lint --trace`). */
static void comment_stmt(struct actx *a, const rt_jnode *s)
{
	static const char *const on_relation[] = {
		"OBJECT_TABLE", "OBJECT_INDEX", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_SEQUENCE",
		"OBJECT_FOREIGN_TABLE",
	};
	const char *objtype = rt_json_str(s, "objtype");
	a->f->kind = "COMMENT";
	if (!objtype)
		return;
	const rt_jnode *names = rt_json_get(rt_json_node_as(rt_json_get(s, "object"), "List"), "items");
	rt_jnode rel = names ? *names : (rt_jnode){ 0 };
	bool column = STREQ(objtype, "OBJECT_COLUMN"), on_rel = column;
	if (column && rel.n) /* table.column: the table */
		rel.n--;
	for (size_t i = 0; i < sizeof on_relation / sizeof on_relation[0] && !on_rel; i++)
		on_rel = STREQ(objtype, on_relation[i]);
	if (on_rel && rel.n)
		lock(a, names_joined(a->arena, &rel), RT_LOCK_SHARE_UPDATE_EXCLUSIVE);
}

static void misc_stmt(struct actx *a, const char *type, const rt_jnode *s)
{
	if (STREQ(type, "CommentStmt")) {
		comment_stmt(a, s);
	} else if (STREQ(type, "AlterObjectSchemaStmt")) {
		a->f->kind = "SET SCHEMA";
		a->f->idempotent = false;
		if (rt_json_get(s, "relation")) /* a table, view, sequence...: AlterTableNamespace */
			lock(a, rangevar_name(a->arena, rt_json_get(s, "relation")),
			     RT_LOCK_ACCESS_EXCLUSIVE);
	} else if (STREQ(type, "DropdbStmt")) {
		a->f->kind = "DROP DATABASE";
		a->f->effects |= RT_LINT_NO_TX;
		a->f->idempotent = rt_json_bool(s, "missing_ok");
		hit(a, "ban-drop-database", s, "dropping database '%s' destroys it for every client",
		    rt_json_str(s, "dbname"));
	} else if (STREQ(type, "TruncateStmt")) {
		a->f->kind = "TRUNCATE";
		relations(a, rt_json_get(s, "relations"), "RangeVar", RT_LOCK_ACCESS_EXCLUSIVE);
		const char *behavior = rt_json_str(s, "behavior");
		if (behavior && STREQ(behavior, "DROP_CASCADE"))
			hit(a, "ban-truncate-cascade", s,
			    "TRUNCATE ... CASCADE also empties every table with a foreign key to '%s', "
			    "and the tables referencing those, whatever their names", main_rel(a));
	} else if (STREQ(type, "ClusterStmt")) {
		a->f->kind = "CLUSTER";
		if (!rt_json_get(s, "relation")) {
			a->f->effects |= RT_LINT_NO_TX;
			return;
		}
		lock(a, rangevar_name(a->arena, rt_json_get(s, "relation")), RT_LOCK_ACCESS_EXCLUSIVE);
		table_rewrite(a, s, "CLUSTER");
	} else if (STREQ(type, "ReindexStmt")) {
		bool conc = has_option(rt_json_get(s, "params"), "concurrently");
		a->f->kind = "REINDEX";
		if (rt_json_get(s, "relation"))
			lock(a, rangevar_name(a->arena, rt_json_get(s, "relation")),
			     conc ? RT_LOCK_SHARE_UPDATE_EXCLUSIVE : RT_LOCK_SHARE);
		a->f->effects |= RT_LINT_SCAN | (conc ? RT_LINT_NO_TX : 0);
	} else if (STREQ(type, "RefreshMatViewStmt")) {
		bool conc = rt_json_bool(s, "concurrent");
		a->f->kind = "REFRESH MATERIALIZED VIEW";
		lock(a, rangevar_name(a->arena, rt_json_get(s, "relation")),
		     conc ? RT_LOCK_EXCLUSIVE : RT_LOCK_ACCESS_EXCLUSIVE);
		a->f->effects |= RT_LINT_SCAN;
		if (!conc && !rt_json_bool(s, "skipData")) /* WITH NO DATA is instant */
			hit(a, "require-concurrent-refresh", s,
			    "REFRESH MATERIALIZED VIEW holds ACCESS EXCLUSIVE on '%s' while its query "
			    "runs, blocking every read of it; use CONCURRENTLY (it needs a unique index "
			    "on the view)", main_rel(a));
	} else if (STREQ(type, "CreateTrigStmt")) {
		a->f->kind = "CREATE TRIGGER";
		a->f->idempotent = rt_json_bool(s, "replace");
		lock(a, rangevar_name(a->arena, rt_json_get(s, "relation")), RT_LOCK_SHARE_ROW_EXCLUSIVE);
	} else if (STREQ(type, "LockStmt")) {
		a->f->kind = "LOCK";
		long mode = rt_json_int(s, "mode", RT_LOCK_ACCESS_EXCLUSIVE);
		relations(a, rt_json_get(s, "relations"), "RangeVar",
		          mode >= RT_LOCK_ACCESS_SHARE && mode <= RT_LOCK_ACCESS_EXCLUSIVE
		              ? (rt_lockmode)mode : RT_LOCK_ACCESS_EXCLUSIVE);
	} else if (STREQ(type, "CreateStatsStmt")) {
		a->f->kind = "CREATE STATISTICS";
		relations(a, rt_json_get(s, "relations"), "RangeVar", RT_LOCK_SHARE_UPDATE_EXCLUSIVE);
	} else if (STREQ(type, "AlterEnumStmt")) {
		a->f->kind = "ALTER TYPE";
		a->f->idempotent = !rt_json_str(s, "newVal") || rt_json_bool(s, "skipIfNewValExists");
		if (rt_json_str(s, "newVal") && !rt_json_str(s, "oldVal") && a->pg < 12)
			a->f->effects |= RT_LINT_NO_TX;
	} else if (STREQ(type, "TransactionStmt")) {
		const char *k = rt_json_str(s, "kind");
		a->f->kind = "TRANSACTION";
		a->f->effects |= RT_LINT_TX_CONTROL;
		if (k && (STREQ(k, "TRANS_STMT_BEGIN") || STREQ(k, "TRANS_STMT_START")))
			a->f->tx_control = 1;
		else if (k && (STREQ(k, "TRANS_STMT_COMMIT") || STREQ(k, "TRANS_STMT_ROLLBACK") ||
		               STREQ(k, "TRANS_STMT_PREPARE")))
			a->f->tx_control = -1;
	} else if (!simple_stmt(a, type, s)) {
		a->f->kind = type;
	}
}

void lint_analyze(rt_lint_facts *facts, lint_hits *hits, rt_arena *arena, const char *sql,
                  const rt_jnode *raw, const rt_lint_opts *opts)
{
	size_t start = (size_t)rt_json_int(raw, "stmt_location", 0);
	struct actx a = {
		.arena = arena, .f = facts, .hits = hits,
		.pg = opts && opts->pg_version ? opts->pg_version : 15,
		.base = start + lint_skip_comments(sql + start, strlen(sql + start)),
	};
	const char *type;
	const rt_jnode *s = rt_json_node(rt_json_get(raw, "stmt"), &type);
	facts->idempotent = true;
	if (!s)
		return;
	if (STREQ(type, "AlterTableStmt"))
		alter_table(&a, s);
	else if (STREQ(type, "IndexStmt"))
		index_stmt(&a, s);
	else if (STREQ(type, "DropStmt"))
		drop_stmt(&a, s);
	else if (STREQ(type, "RenameStmt"))
		rename_stmt(&a, s);
	else if (STREQ(type, "CreateStmt"))
		create_stmt(&a, s);
	else if (STREQ(type, "VacuumStmt"))
		vacuum_stmt(&a, s);
	else if (STREQ(type, "InsertStmt"))
		dml_stmt(&a, s, "INSERT");
	else if (STREQ(type, "UpdateStmt"))
		dml_stmt(&a, s, "UPDATE");
	else if (STREQ(type, "DeleteStmt"))
		dml_stmt(&a, s, "DELETE");
	else if (STREQ(type, "CreateDomainStmt") || STREQ(type, "AlterDomainStmt"))
		domain_stmt(&a, s, STREQ(type, "CreateDomainStmt"));
	else
		misc_stmt(&a, type, s);
}
