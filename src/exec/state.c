/*
 * What the database holds compared with the scripts: unknown version rows,
 * the applied set, and applied revisions whose files changed since.
 */
#include <stdlib.h>
#include <string.h>

#include "retort/checksum.h"
#include "retort/exec.h"

/* The recorded checksums sorted by revision, for lookups in O(log n):
 * a linear search per applied revision would grow with their square. */
typedef struct sum_entry {
	const char *rev, *checksum;
} sum_entry;

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const sum_entry *)a)->rev, ((const sum_entry *)b)->rev);
}

static sum_entry *sorted_sums(rt_arena *arena, const rt_history_sums *sums)
{
	size_t n = sums->revisions.n;
	sum_entry *e = rt_alloc_array(arena, n ? n : 1, sizeof(*e));
	for (size_t i = 0; i < n; i++)
		e[i] = (sum_entry){ sums->revisions.v[i], sums->checksums.v[i] };
	qsort(e, n, sizeof(*e), cmp_entry);
	return e;
}

/* rt_history_checksum_of over the sorted copy. */
static bool recorded_sum(const sum_entry *e, size_t n, const char *rev, const char **checksum)
{
	sum_entry key = { rev, NULL };
	const sum_entry *hit = n ? bsearch(&key, e, n, sizeof(*e), cmp_entry) : NULL;
	if (hit)
		*checksum = hit->checksum;
	return hit != NULL;
}

void rt_applied_state_build(rt_applied_state *out, rt_arena *arena, const rt_graph *g,
                            const rt_strv *rows, const rt_history_sums *sums)
{
	*out = (rt_applied_state){ .history_exists = sums && sums->table_exists };
	rt_revlist known = { 0 };
	for (size_t i = 0; i < rows->n; i++) {
		const rt_revision *r = rt_graph_get(g, rows->v[i]);
		if (r)
			rt_revlist_push(arena, &known, r);
		else
			rt_strv_push(arena, &out->unknown_rows, rows->v[i]);
	}
	size_t nsums = sums ? sums->revisions.n : 0;
	sum_entry *sorted = sums ? sorted_sums(arena, sums) : NULL;
	for (size_t i = 0; i < rt_graph_size(g); i++) {
		const rt_revision *r = rt_graph_at(g, i);
		bool applied = false;
		for (size_t k = 0; k < known.n && !applied; k++)
			applied = rt_graph_is_ancestor(g, r, known.v[k], RT_EDGES_WITH_DEPS);
		if (!applied)
			continue;
		rt_revlist_push(arena, &out->applied, r);
		const char *recorded = NULL;
		if (!recorded_sum(sorted, nsums, r->id, &recorded) || !recorded) {
			rt_revlist_push(arena, &out->unrecorded, r);
		} else if (!rt_checksum_equal(recorded, r->checksum)) {
			rt_revlist_push(arena, &out->drifted, r);
			rt_strv_push(arena, &out->drifted_recorded, recorded);
		}
	}
}

int rt_applied_state_check(const rt_applied_state *st, rt_error *err)
{
	if (st->unknown_rows.n) {
		rt_error_set(err, RT_EDRIFT, NULL,
		             "the version table holds revision '%s', which no version file declares",
		             st->unknown_rows.v[0]);
		if (st->unknown_rows.n > 1)
			rt_error_detail(err, "%zu unknown revisions in all", st->unknown_rows.n);
		rt_error_hint(err, "restore the missing version file, or point retort at the right "
		              "scripts (-s/--version-location); 'retort stamp --purge REV' rewrites "
		              "the table if the database really is at REV");
		return RT_EDRIFT;
	}
	if (st->drifted.n) {
		const rt_revision *r = st->drifted.v[0];
		rt_loc loc = { .path = r->path };
		rt_error_set(err, RT_EDRIFT, &loc,
		             "revision '%s' was applied from different files: its checksum is now "
		             "%.12s..., recorded %.12s...", r->id, r->checksum,
		             st->drifted_recorded.v[0]);
		if (st->drifted.n > 1)
			rt_error_detail(err, "%zu applied revisions changed in all; "
			                "'retort verify' lists them", st->drifted.n);
		rt_error_hint(err, "an applied migration should not change; if the edit is reviewed "
		              "and harmless, record it with 'retort repair %s'", r->id);
		return RT_EDRIFT;
	}
	return RT_OK;
}
