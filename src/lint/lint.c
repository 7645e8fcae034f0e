/*
 * The rule table, the parse of each statement, and the rules that look at a
 * whole step body: which statements share a transaction, which relations
 * the body creates, and the lint-ignore comments at each statement's source.
 * The only file of src/lint that includes <pg_query.h>.
 */
#include <pg_query.h>
#include <string.h>

#include "lint_int.h"
#include "retort/sqlsplit.h"

#define STREQ(a, b) (strcmp((a), (b)) == 0)

static const rt_lint_rule rules[] = {
	{ "adding-exclusion-constraint", RT_LINT_ERROR,
	  "EXCLUDE built and checked under ACCESS EXCLUSIVE, with no safe form" },
	{ "adding-field-with-default", RT_LINT_ERROR, "ADD COLUMN that rewrites the table" },
	{ "adding-foreign-key-constraint", RT_LINT_ERROR,
	  "FOREIGN KEY validated while both tables are locked against writes" },
	{ "adding-not-nullable-field", RT_LINT_ERROR, "SET NOT NULL scans the table under ACCESS EXCLUSIVE" },
	{ "adding-required-field", RT_LINT_ERROR, "NOT NULL column without a DEFAULT" },
	{ "adding-serial-primary-key-field", RT_LINT_ERROR,
	  "PRIMARY KEY whose index is built under ACCESS EXCLUSIVE" },
	{ "ban-alter-domain-with-add-constraint", RT_LINT_WARNING, "ADD CONSTRAINT on a domain" },
	{ "ban-concurrent-index-creation-in-transaction", RT_LINT_ERROR,
	  "CONCURRENTLY inside a transaction block fails" },
	{ "ban-create-domain-with-constraint", RT_LINT_WARNING, "domain with a CHECK constraint" },
	{ "ban-drop-column", RT_LINT_WARNING, "DROP COLUMN breaks running code" },
	{ "ban-drop-database", RT_LINT_ERROR, "DROP DATABASE in a migration" },
	{ "ban-drop-not-null", RT_LINT_WARNING, "DROP NOT NULL breaks readers" },
	{ "ban-drop-table", RT_LINT_WARNING, "DROP TABLE breaks running code" },
	{ "ban-truncate-cascade", RT_LINT_ERROR, "TRUNCATE CASCADE empties tables it does not name" },
	{ "changing-column-type", RT_LINT_ERROR, "ALTER COLUMN TYPE rewrites the table" },
	{ "constraint-missing-not-valid", RT_LINT_ERROR, "CHECK or FOREIGN KEY without NOT VALID" },
	{ "disallowed-unique-constraint", RT_LINT_ERROR, "UNIQUE built under ACCESS EXCLUSIVE" },
	{ "prefer-robust-stmts", RT_LINT_WARNING,
	  "statement outside a transaction that cannot be re-run" },
	{ "renaming-column", RT_LINT_WARNING, "RENAME COLUMN breaks running code" },
	{ "renaming-table", RT_LINT_WARNING, "RENAME TABLE breaks running code" },
	{ "require-concurrent-index-creation", RT_LINT_ERROR, "CREATE INDEX without CONCURRENTLY" },
	{ "require-concurrent-index-deletion", RT_LINT_ERROR, "DROP INDEX without CONCURRENTLY" },
	{ "require-concurrent-refresh", RT_LINT_ERROR,
	  "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view" },
	{ "transaction-nesting", RT_LINT_ERROR, "BEGIN/COMMIT inside a step" },
	{ "lock-held-across-statements", RT_LINT_ERROR,
	  "a lock taken early in a step is held while a later slow statement runs" },
	{ "requires-no-transaction", RT_LINT_ERROR,
	  "a statement that cannot run in a transaction block, inside one" },
	{ "table-rewrite", RT_LINT_ERROR, "a command that rewrites the whole table" },
	{ "unbatched-backfill", RT_LINT_WARNING, "UPDATE or DELETE of every row in one statement" },
};

const rt_lint_rule *rt_lint_rules(size_t *n)
{
	*n = sizeof rules / sizeof rules[0];
	return rules;
}

const rt_lint_rule *rt_lint_rule_find(const char *id)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (STREQ(rules[i].id, id))
			return &rules[i];
	return NULL;
}

static const char *const lock_names[] = {
	"", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE",
	"SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE",
};

const char *rt_lockmode_name(rt_lockmode mode)
{
	return mode <= RT_LOCK_ACCESS_EXCLUSIVE ? lock_names[mode] : "";
}

bool rt_lockmode_blocks_reads(rt_lockmode mode)
{
	return mode == RT_LOCK_ACCESS_EXCLUSIVE;
}

bool rt_lockmode_blocks_writes(rt_lockmode mode)
{
	return mode >= RT_LOCK_SHARE;
}

void lint_hit_add(rt_arena *arena, lint_hits *hits, const char *rule, size_t offset,
                  const char *message)
{
	if (hits->n == hits->cap) {
		size_t ncap = hits->cap ? hits->cap * 2 : 8;
		hits->v = rt_realloc_array(arena, hits->v, hits->cap, ncap, sizeof *hits->v);
		hits->cap = ncap;
	}
	hits->v[hits->n++] = (lint_hit){ .rule = rule, .message = message, .offset = offset };
}

/* --- one statement -------------------------------------------------------- */

/* Merges the facts of a later raw statement of the same text into f. */
static void merge_facts(rt_lint_facts *f, const rt_lint_facts *g)
{
	if (!f->kind)
		f->kind = g->kind;
	for (size_t i = 0; i < g->nlocks && f->nlocks < RT_LINT_MAX_LOCKS; i++)
		f->locks[f->nlocks++] = g->locks[i];
	f->effects |= g->effects;
	if (!f->created)
		f->created = g->created;
	f->tx_control += g->tx_control;
	f->idempotent = f->idempotent && g->idempotent;
}

int rt_lint_facts_of_hits(rt_lint_facts *out, lint_hits *hits, rt_arena *arena,
                          const rt_stmt *stmt, const rt_lint_opts *opts, rt_error *err)
{
	memset(out, 0, sizeof *out);
	out->idempotent = true;
	rt_sql_note_use();
	PgQueryParseResult r = pg_query_parse(stmt->sql);
	if (r.error) {
		rt_loc loc = rt_stmt_loc(stmt, r.error->cursorpos > 0 ? (size_t)r.error->cursorpos - 1 : 0);
		rt_error_set(err, RT_ESYNTAX, loc.path ? &loc : NULL, "%s", r.error->message);
		pg_query_free_parse_result(r);
		return RT_ESYNTAX;
	}
	rt_jnode *tree = rt_json_parse(arena, r.parse_tree, strlen(r.parse_tree));
	pg_query_free_parse_result(r);
	if (!tree) {
		rt_loc loc = rt_stmt_loc(stmt, 0);
		return rt_error_set(err, RT_ERROR, loc.path ? &loc : NULL,
		                    "cannot read libpg_query's parse tree of this statement");
	}
	const rt_jnode *stmts = rt_json_get(tree, "stmts");
	for (size_t i = 0; i < rt_json_len(stmts); i++) {
		rt_lint_facts g = { 0 };
		lint_analyze(&g, hits, arena, stmt->sql, stmts->items[i], opts);
		if (i == 0)
			*out = g;
		else
			merge_facts(out, &g);
	}
	if (!out->kind)
		out->kind = "EMPTY";
	return RT_OK;
}

int rt_lint_facts_of(rt_lint_facts *out, rt_arena *arena, const rt_stmt *stmt,
                     const rt_lint_opts *opts, rt_error *err)
{
	lint_hits hits = { 0 };
	return rt_lint_facts_of_hits(out, &hits, arena, stmt, opts, err);
}

size_t lint_skip_comments(const char *sql, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r' || sql[i] == '\f') {
			i++;
		} else if (sql[i] == '-' && i + 1 < len && sql[i + 1] == '-') {
			while (i < len && sql[i] != '\n' && sql[i] != '\r')
				i++;
		} else if (sql[i] == '/' && i + 1 < len && sql[i + 1] == '*') {
			int depth = 0; /* PostgreSQL's block comments nest */
			do {
				if (sql[i] == '/' && i + 1 < len && sql[i + 1] == '*') {
					depth++;
					i += 2;
				} else if (sql[i] == '*' && i + 1 < len && sql[i + 1] == '/') {
					depth--;
					i += 2;
				} else {
					i++;
				}
			} while (depth > 0 && i < len);
		} else {
			break;
		}
	}
	return i < len ? i : 0;
}
