/*
 * Static lock facts beside the locks the server held (retort lint --trace):
 * what a statement took is what pg_locks shows after it and did not show
 * before it, per relation and mode.
 */
#include <string.h>

#include "lint_int.h"

/* pg_locks.mode of each rt_lockmode */
static const char *const pg_modes[] = {
	"", "AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
	"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
};

rt_lockmode rt_lockmode_from_pg(const char *mode)
{
	for (size_t i = 1; mode && i < sizeof pg_modes / sizeof pg_modes[0]; i++)
		if (strcmp(mode, pg_modes[i]) == 0)
			return (rt_lockmode)i;
	return RT_LOCK_NONE;
}

size_t rt_lint_trace_names(const rt_lint_facts *f, const char **names)
{
	size_t n = 0;
	for (size_t i = 0; i < f->nlocks; i++)
		names[n++] = f->locks[i].relation;
	if (f->created)
		names[n++] = f->created;
	return n;
}

static bool held(const rt_db_held *h, unsigned oid, const char *mode)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].oid == oid && strcmp(h->v[i].mode, mode) == 0)
			return true;
	return false;
}

/* The strongest mode on oid that after holds and before did not. */
static rt_lockmode strongest(const rt_db_held *before, const rt_db_held *after, unsigned oid)
{
	rt_lockmode m = RT_LOCK_NONE;
	for (size_t i = 0; i < after->n; i++) {
		const rt_db_held_lock *l = &after->v[i];
		rt_lockmode lm = rt_lockmode_from_pg(l->mode);
		if (l->oid == oid && lm > m && !held(before, oid, l->mode))
			m = lm;
	}
	return m;
}

static void push(rt_arena *arena, rt_lint_trace *t, const char *rel, rt_lockmode expected,
                 rt_lockmode observed, bool differs)
{
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 8;
		t->v = rt_realloc_array(arena, t->v, t->cap, ncap, sizeof *t->v);
		t->cap = ncap;
	}
	t->v[t->n++] = (rt_lint_traced){ rel, expected, observed, differs };
	if (differs)
		t->differences++;
}

/* Relations the static analysis names by the statement's own text: tables,
 * views and their kin. Indexes, sequences and TOAST tables a statement
 * locks along with its table are left out. */
static bool table_like(char relkind)
{
	return relkind && strchr("rpmfv", relkind);
}

void rt_lint_trace_compare(rt_lint_trace *out, rt_arena *arena, const rt_lint_facts *f,
                           const rt_db_held *before, const rt_db_held *after)
{
	memset(out, 0, sizeof *out);

	unsigned mine[RT_LINT_MAX_LOCKS + 1];
	size_t nmine = 0;
	for (size_t i = 0; i < f->nlocks; i++) {
		unsigned oid = before->oids[i] ? before->oids[i] : after->oids[i];
		rt_lockmode want = f->locks[i].mode;
		mine[nmine++] = oid;
		if (!oid)
			continue; /* no such relation, before or after: nothing to lock (IF EXISTS) */
		rt_lockmode took = strongest(before, after, oid);
		/* a mode an earlier statement took already shows nothing new */
		bool agrees = took == want || (took < want && held(before, oid, pg_modes[want]));
		push(arena, out, f->locks[i].relation, want, took, !agrees);
	}
	if (f->created)
		mine[nmine++] = after->oids[f->nlocks];
	for (size_t i = 0; i < after->n; i++) {
		const rt_db_held_lock *l = &after->v[i];
		bool known = false;
		for (size_t k = 0; k < nmine; k++)
			known = known || mine[k] == l->oid;
		for (size_t k = 0; k < i && !known; k++) /* once per relation */
			known = after->v[k].oid == l->oid;
		if (known || !table_like(l->relkind))
			continue;
		rt_lockmode took = strongest(before, after, l->oid);
		if (took)
			push(arena, out, l->relation, RT_LOCK_NONE, took, true);
	}
}
