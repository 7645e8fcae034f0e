/*
 * Lock and safety analysis of migration statements (`retort lint`).
 *
 * Each statement is parsed with PostgreSQL's own parser (libpg_query) and
 * described by facts: the table lock it takes and on which relation
 * (PostgreSQL's documented lock table, subcommand by subcommand for ALTER
 * TABLE as AlterTableGetLockLevel decides it), whether it rewrites or scans
 * the table, and whether it can run inside a transaction block. Rules then
 * turn facts into findings, per statement and across the statements of a
 * step (which ones share a transaction). docs/lint.md describes each rule.
 *
 * Pure: no I/O; sources are only read through the statements' rt_source.
 * libpg_query's memory is freed by rt_sql_shutdown (sqlsplit.h).
 */
#ifndef RETORT_LINT_H
#define RETORT_LINT_H

#include "arena.h"
#include "db.h"
#include "error.h"
#include "stmt.h"

/* Table lock modes in PostgreSQL's order of strength (RT_LOCK_NONE: takes none). */
typedef enum rt_lockmode {
	RT_LOCK_NONE = 0,
	RT_LOCK_ACCESS_SHARE,
	RT_LOCK_ROW_SHARE,
	RT_LOCK_ROW_EXCLUSIVE,
	RT_LOCK_SHARE_UPDATE_EXCLUSIVE,
	RT_LOCK_SHARE,
	RT_LOCK_SHARE_ROW_EXCLUSIVE,
	RT_LOCK_EXCLUSIVE,
	RT_LOCK_ACCESS_EXCLUSIVE,
} rt_lockmode;

/* "ACCESS EXCLUSIVE", ... ("" for RT_LOCK_NONE). */
const char *rt_lockmode_name(rt_lockmode mode);
/* Whether `mode` blocks plain SELECTs / INSERT-UPDATE-DELETE from other sessions. */
bool rt_lockmode_blocks_reads(rt_lockmode mode);
bool rt_lockmode_blocks_writes(rt_lockmode mode);

#define RT_LINT_MAX_LOCKS 4

typedef struct rt_lint_lock {
	const char *relation; /* "schema.name" as written, or "name" */
	rt_lockmode mode;
} rt_lint_lock;

/* What a statement does to the tables it touches. */
#define RT_LINT_REWRITE (1u << 0) /* rewrites the whole table (and its indexes) */
#define RT_LINT_SCAN (1u << 1)    /* reads the whole table (validation, index build, backfill) */
#define RT_LINT_NO_TX (1u << 2)   /* cannot run inside a transaction block */
#define RT_LINT_TX_CONTROL (1u << 3) /* BEGIN, COMMIT, SAVEPOINT...: acts on the transaction */

typedef struct rt_lint_facts {
	const char *kind;     /* the command, e.g. "ALTER TABLE", "CREATE INDEX" */
	rt_lint_lock locks[RT_LINT_MAX_LOCKS]; /* the main relation first */
	size_t nlocks;
	unsigned effects;     /* RT_LINT_REWRITE | RT_LINT_SCAN | RT_LINT_NO_TX */
	const char *created;  /* the relation this statement creates, else NULL */
	int tx_control;       /* +1 BEGIN/START, -1 COMMIT/ROLLBACK/END, 0 other */
	bool idempotent;      /* safe to run twice (IF [NOT] EXISTS, CREATE OR REPLACE...) */
} rt_lint_facts;

typedef enum rt_lint_severity {
	RT_LINT_WARNING = 1,
	RT_LINT_ERROR = 2,
} rt_lint_severity;

typedef struct rt_lint_rule {
	const char *id;       /* stable id; also the docs/lint.md section anchor */
	rt_lint_severity severity;
	const char *summary;  /* one line: the hazard */
} rt_lint_rule;

/* Every rule, in docs/lint.md's order. */
const rt_lint_rule *rt_lint_rules(size_t *n);
/* The rule named id, or NULL. */
const rt_lint_rule *rt_lint_rule_find(const char *id);

typedef struct rt_lint_finding {
	const rt_lint_rule *rule;
	const char *message;     /* what this statement does, in one line */
	size_t stmt_index;       /* in the list given to rt_lint_body */
	rt_loc loc;              /* where: the op.* call, or the SQL text */
	rt_lockmode lock;        /* the statement's strongest lock, and on what */
	const char *relation;
	unsigned effects;        /* the statement's RT_LINT_* facts */
	/* lock-held-across-statements: the earlier statement whose lock is held */
	bool has_holder;
	size_t holder_index;
	rt_loc holder_loc;
	rt_lockmode holder_lock; /* the lock held, and on what */
	const char *holder_relation;
} rt_lint_finding;

typedef struct rt_lint_findings {
	rt_lint_finding *v;
	size_t n, cap;
} rt_lint_findings;

typedef struct rt_lint_opts {
	int pg_version;          /* server major version the findings assume; 0 = 15 */
} rt_lint_opts;

/*
 * Facts of one statement (stmt->sql). RT_OK, or RT_ESYNTAX (err->loc at
 * the statement) when PostgreSQL's parser rejects it.
 */
int rt_lint_facts_of(rt_lint_facts *out, rt_arena *arena, const rt_stmt *stmt,
                     const rt_lint_opts *opts, rt_error *err);

/*
 * Appends the findings of a step body to out: the statements in order, as
 * the executor runs them (statements without no_transaction share the
 * step's transaction; no_transaction ones run alone). Findings whose source
 * line carries `-- retort:lint-ignore RULE` (SQL) or `# retort:
 * lint-ignore RULE` (the op.* call's line) are left out. facts (may be
 * NULL) receives one rt_lint_facts per statement (arena). RT_OK or
 * RT_ESYNTAX.
 */
int rt_lint_body(rt_lint_findings *out, rt_lint_facts **facts, rt_arena *arena,
                 const rt_stmtlist *stmts, const rt_lint_opts *opts, rt_error *err);

/* ---- beside the server (retort lint --trace) ---- */

/* The rt_lockmode of a pg_locks.mode ("AccessExclusiveLock"); NONE if unknown. */
rt_lockmode rt_lockmode_from_pg(const char *mode);

/* The relations whose oids a trace needs for f: its locks' relations in
 * order, then the one it creates. names has room for RT_LINT_MAX_LOCKS + 1. */
size_t rt_lint_trace_names(const rt_lint_facts *f, const char **names);

typedef struct rt_lint_traced {
	const char *relation;  /* as the statement names it, or as regclass prints it */
	rt_lockmode expected;  /* the static analysis' (NONE: it names no lock there) */
	rt_lockmode observed;  /* the strongest mode the statement newly took (NONE: none) */
	bool differs;
} rt_lint_traced;

typedef struct rt_lint_trace {
	rt_lint_traced *v;
	size_t n, cap;
	size_t differences;
} rt_lint_trace;

/*
 * Sets f's locks beside what the session held before and after the
 * statement (rt_db_held_locks with rt_lint_trace_names' names). A static
 * lock agrees when the statement newly took exactly that mode, or took
 * nothing new because the transaction held it already; it differs when the
 * server took a stronger or weaker one. A table, view or materialized view
 * the statement locked that the analysis does not name differs too
 * (indexes, sequences and TOAST tables locked along with a table do not
 * count). Static relations that exist neither before nor after are left out.
 */
void rt_lint_trace_compare(rt_lint_trace *out, rt_arena *arena, const rt_lint_facts *f,
                           const rt_db_held *before, const rt_db_held *after);

#endif
