/*
 * The rules that look at a whole step body, and lint-ignore comments.
 *
 * A body runs as the executor runs it: statements without no_transaction
 * share the step's transaction, so a lock one of them takes is held until
 * the step commits; a no_transaction statement runs alone, after a commit.
 */
#include <string.h>

#include "lint_int.h"

#define STREQ(a, b) (strcmp((a), (b)) == 0)

typedef struct held_lock {
	const char *relation;
	rt_lockmode mode;
	size_t index;  /* the statement that took it */
	bool reported; /* named by a finding already: one per lock is enough */
} held_lock;

struct body {
	rt_arena *arena;
	const rt_stmtlist *stmts;
	rt_lint_facts *facts;
	rt_lint_findings *out;
	rt_strv created;  /* relations created by earlier statements of the body */
	held_lock *held;  /* locks of the open transaction */
	size_t nheld, capheld;
};

/* --- lint-ignore comments -------------------------------------------------- */

static bool is_rule_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Whether a line says "retort:lint-ignore" or "retort: lint-ignore" followed
 * by rule ids (separated by blanks or commas) that include `rule` or "all". */
static bool line_ignores(const char *line, size_t len, const char *rule)
{
	static const char marker[] = "lint-ignore";
	const size_t mlen = sizeof marker - 1;
	for (size_t i = 0; i + mlen <= len; i++) {
		if (memcmp(line + i, marker, mlen) != 0)
			continue;
		size_t k = i;
		while (k > 0 && line[k - 1] == ' ')
			k--;
		if (k < 7 || memcmp(line + k - 7, "retort:", 7) != 0)
			continue;
		size_t p = i + mlen;
		while (p < len) {
			while (p < len && (line[p] == ' ' || line[p] == ',' || line[p] == '\t'))
				p++;
			size_t start = p;
			while (p < len && is_rule_char(line[p]))
				p++;
			if (p == start)
				break;
			size_t n = p - start;
			if ((n == strlen(rule) && memcmp(line + start, rule, n) == 0) ||
			    (n == 3 && memcmp(line + start, "all", 3) == 0))
				return true;
		}
	}
	return false;
}

static bool is_comment_line(const char *line, size_t len)
{
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return (i < len && line[i] == '#') || (i + 1 < len && line[i] == '-' && line[i + 1] == '-');
}

/* The statement's lines (the op.* call's line for a translated one), and a
 * comment line just above them. */
static bool suppressed(const rt_stmt *s, const char *rule)
{
	if (!s->src)
		return false;
	rt_loc first = rt_stmt_loc(s, lint_skip_comments(s->sql, s->len));
	rt_loc last = rt_stmt_loc(s, s->len ? s->len - 1 : 0);
	if (!first.path || first.line == 0)
		return false;
	uint32_t from = first.line, to = last.line > from ? last.line : from;
	size_t len;
	const char *line;
	if (from > 1 && (line = rt_source_line(s->src, from - 1, &len)) && is_comment_line(line, len))
		from--;
	for (uint32_t l = from; l <= to; l++) {
		line = rt_source_line(s->src, l, &len);
		if (line && line_ignores(line, len, rule))
			return true;
	}
	return false;
}

/* --- findings --------------------------------------------------------------- */

static rt_lint_finding *add(struct body *b, size_t i, const char *rule_id, size_t offset,
                            const char *message)
{
	const rt_stmt *s = b->stmts->items[i];
	const rt_lint_rule *rule = rt_lint_rule_find(rule_id);
	if (!rule || suppressed(s, rule_id))
		return NULL;
	rt_lint_findings *out = b->out;
	if (out->n == out->cap) {
		size_t ncap = out->cap ? out->cap * 2 : 16;
		out->v = rt_realloc_array(b->arena, out->v, out->cap, ncap, sizeof *out->v);
		out->cap = ncap;
	}
	const rt_lint_facts *f = &b->facts[i];
	size_t first = lint_skip_comments(s->sql, s->len);
	if (offset < first || offset >= s->len)
		offset = first; /* not at a comment above the statement */
	rt_lint_finding *fd = &out->v[out->n++];
	*fd = (rt_lint_finding){
		.rule = rule, .message = message, .stmt_index = i,
		.loc = rt_stmt_loc(s, offset),
		.effects = f->effects,
	};
	for (size_t k = 0; k < f->nlocks; k++) {
		if (!fd->relation || f->locks[k].mode > fd->lock) {
			fd->relation = f->locks[k].relation;
			fd->lock = f->locks[k].mode;
		}
	}
	return fd;
}

static bool created_earlier(const struct body *b, const char *rel)
{
	return rel && rt_strv_index(&b->created, rel) >= 0;
}

/* A lock on a relation already held only counts when it is stronger. */
static void hold(struct body *b, const rt_lint_lock *lk, size_t index)
{
	for (size_t k = 0; k < b->nheld; k++) {
		if (STREQ(b->held[k].relation, lk->relation)) {
			if (lk->mode > b->held[k].mode)
				b->held[k] = (held_lock){ .relation = lk->relation, .mode = lk->mode,
				                          .index = index };
			return;
		}
	}
	if (b->nheld == b->capheld) {
		size_t ncap = b->capheld ? b->capheld * 2 : 8;
		b->held = rt_realloc_array(b->arena, b->held, b->capheld, ncap, sizeof *b->held);
		b->capheld = ncap;
	}
	b->held[b->nheld++] = (held_lock){ .relation = lk->relation, .mode = lk->mode, .index = index };
}

static const char *effect_verb(unsigned effects)
{
	return effects & RT_LINT_REWRITE ? "rewrites" : "scans";
}

/* The mode statement f takes on rel itself (RT_LOCK_NONE: none). */
static rt_lockmode own_mode(const rt_lint_facts *f, const char *rel)
{
	for (size_t k = 0; k < f->nlocks; k++)
		if (STREQ(f->locks[k].relation, rel))
			return f->locks[k].mode;
	return RT_LOCK_NONE;
}

/* A slow statement after a lock that blocks others, in the same transaction.
 * Scanning a table the body created is not slow (it is empty), and a lock
 * the slow statement takes itself anyway is its own rule's business. */
static void check_held(struct body *b, size_t i)
{
	const rt_lint_facts *f = &b->facts[i];
	if (!(f->effects & (RT_LINT_REWRITE | RT_LINT_SCAN)) || f->nlocks == 0 ||
	    created_earlier(b, f->locks[0].relation))
		return;
	held_lock *worst = NULL;
	for (size_t k = 0; k < b->nheld; k++)
		if (!b->held[k].reported && rt_lockmode_blocks_writes(b->held[k].mode) &&
		    b->held[k].mode > own_mode(f, b->held[k].relation) &&
		    (!worst || b->held[k].mode > worst->mode))
			worst = &b->held[k];
	if (!worst)
		return;
	const rt_stmt *hs = b->stmts->items[worst->index];
	rt_loc hloc = rt_stmt_loc(hs, lint_skip_comments(hs->sql, hs->len));
	char *msg = rt_sprintf(b->arena,
	                       "%s on '%s', taken by the %s at line %u, is held while this %s %s '%s', "
	                       "until the step commits: other sessions wait on '%s' all that time",
	                       rt_lockmode_name(worst->mode), worst->relation,
	                       b->facts[worst->index].kind, hloc.line, f->kind, effect_verb(f->effects),
	                       f->locks[0].relation, worst->relation);
	rt_lint_finding *fd = add(b, i, "lock-held-across-statements", 0, msg);
	worst->reported = true;
	if (fd) {
		fd->has_holder = true;
		fd->holder_index = worst->index;
		fd->holder_loc = hloc;
		fd->holder_lock = worst->mode;
		fd->holder_relation = worst->relation;
	}
}

static bool concurrently_kind(const char *kind)
{
	return STREQ(kind, "CREATE INDEX") || STREQ(kind, "DROP INDEX") || STREQ(kind, "REINDEX");
}

static void transaction_rules(struct body *b, size_t i)
{
	const rt_stmt *s = b->stmts->items[i];
	const rt_lint_facts *f = &b->facts[i];
	if (f->tx_control)
		add(b, i, "transaction-nesting", 0,
		    "retort runs each step in its own transaction: this ends or nests it, so a failure "
		    "can leave the step half applied");
	if ((f->effects & RT_LINT_NO_TX) && !s->no_transaction)
		add(b, i, concurrently_kind(f->kind) ? "ban-concurrent-index-creation-in-transaction"
		                                     : "requires-no-transaction", 0,
		    rt_sprintf(b->arena, "%s cannot run inside a transaction block: put it in a "
		               "no-transaction section (autocommit_block() in a .py)", f->kind));
	if (s->no_transaction && !f->idempotent)
		add(b, i, "prefer-robust-stmts", 0,
		    rt_sprintf(b->arena, "this %s runs outside a transaction and cannot be re-run after "
		               "a failure: use IF [NOT] EXISTS", f->kind));
}

int rt_lint_body(rt_lint_findings *out, rt_lint_facts **facts, rt_arena *arena,
                 const rt_stmtlist *stmts, const rt_lint_opts *opts, rt_error *err)
{
	struct body b = { .arena = arena, .stmts = stmts, .out = out };
	b.facts = rt_alloc_array(arena, stmts->n ? stmts->n : 1, sizeof *b.facts);
	if (facts)
		*facts = b.facts;
	for (size_t i = 0; i < stmts->n; i++) {
		const rt_stmt *s = stmts->items[i];
		lint_hits hits = { 0 };
		int rc = rt_lint_facts_of_hits(&b.facts[i], &hits, arena, s, opts, err);
		if (rc < 0)
			return rc;
		const rt_lint_facts *f = &b.facts[i];
		/* a table this body created is empty and unseen: its hazards are moot */
		if (!created_earlier(&b, f->nlocks ? f->locks[0].relation : NULL))
			for (size_t k = 0; k < hits.n; k++)
				add(&b, i, hits.v[k].rule, hits.v[k].offset, hits.v[k].message);
		transaction_rules(&b, i);
		if (s->no_transaction || f->tx_control) {
			b.nheld = 0;
		} else {
			check_held(&b, i);
			for (size_t k = 0; k < f->nlocks; k++)
				if (!created_earlier(&b, f->locks[k].relation) &&
				    (!f->created || !STREQ(f->created, f->locks[k].relation)))
					hold(&b, &f->locks[k], i);
		}
		if (f->created)
			rt_strv_push(arena, &b.created, f->created);
	}
	return RT_OK;
}
