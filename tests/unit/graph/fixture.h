/*
 * Test helper: loads a graph fixture (tests/fixtures/graph/NAME.txt, format
 * in its README.md) into rt_revision nodes and builds the graph.
 */
#ifndef RETORT_TEST_GRAPH_FIXTURE_H
#define RETORT_TEST_GRAPH_FIXTURE_H

#include "retort/graph.h"
#include "retort/plan.h"

typedef struct fx {
	rt_arena *arena;
	rt_revision **revs;
	size_t n;
	rt_graph *g;
	rt_diags diags;
	int rc; /* rt_graph_build's return */
} fx;

/* Loads and builds; aborts the test on a missing fixture. */
fx *fx_load(const char *name);
/* Builds from fixture text given inline (same format). */
fx *fx_text(const char *text);
void fx_free(fx *f);

/* The n-th diagnostic of `kind` (0-based), or NULL. */
const rt_diag *fx_diag(const rt_diags *d, const char *kind, size_t nth);
size_t fx_count(const rt_diags *d, const char *kind);

/* Rows as an rt_strv from a comma-separated list ("" = none). */
rt_strv fx_rows(fx *f, const char *csv);
/* "a,b,c" of a revision list / a string vector. */
const char *fx_ids(fx *f, const rt_revlist *l);
const char *fx_strv(fx *f, const rt_strv *v);
/* The plan's steps as "u:a0000001 u:c1000001" (u/d/s) and its row
 * statements as "I:x U:x>y D:x", one step per ';'. */
const char *fx_steps(fx *f, const rt_plan *p);
const char *fx_ops(fx *f, const rt_plan *p);

#endif
