/*
 * What the database holds compared with the scripts: unknown version rows,
 * the applied set, and applied revisions whose files changed since.
 */
#include "retort/checksum.h"
#include "retort/exec.h"

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
	for (size_t i = 0; i < rt_graph_size(g); i++) {
		const rt_revision *r = rt_graph_at(g, i);
		bool applied = false;
		for (size_t k = 0; k < known.n && !applied; k++)
			applied = rt_graph_is_ancestor(g, r, known.v[k], true);
		if (!applied)
			continue;
		rt_revlist_push(arena, &out->applied, r);
		const char *recorded = NULL;
		if (!sums || !rt_history_checksum_of(sums, r->id, &recorded) || !recorded) {
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
