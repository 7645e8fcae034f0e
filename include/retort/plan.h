/*
 * Plans: the ordered steps of an upgrade, downgrade or stamp, with the
 * version-table row statements of each step, computed as Alembic 1.8.1
 * computes them (docs/graph.md). Pure: the caller supplies the rows.
 */
#ifndef RETORT_PLAN_H
#define RETORT_PLAN_H

#include "graph.h"

typedef enum rt_step_kind {
	RT_STEP_UPGRADE = 0,
	RT_STEP_DOWNGRADE = 1,
	RT_STEP_STAMP = 2,
} rt_step_kind;

typedef enum rt_rowop_kind {
	RT_ROW_INSERT = 0, /* INSERT to */
	RT_ROW_UPDATE = 1, /* UPDATE from -> to */
	RT_ROW_DELETE = 2, /* DELETE from */
} rt_rowop_kind;

typedef struct rt_rowop {
	rt_rowop_kind kind;
	const char *from; /* NULL for INSERT */
	const char *to;   /* NULL for DELETE */
} rt_rowop;

typedef struct rt_step {
	rt_step_kind kind;
	const rt_revision *rev; /* the migration; NULL for a stamp */
	/* The two sides of Alembic's "Running upgrade a, b -> c" text
	 * (down_revision only, no dependencies; empty = base). */
	rt_strv from, to;
	rt_rowop *ops;
	size_t nops;
	rt_strv rows_before, rows_after; /* version rows around this step */
} rt_step;

typedef struct rt_plan {
	rt_step **steps;
	size_t n;
	bool purge;          /* stamp --purge: DELETE FROM <table> first */
	rt_strv rows_before; /* after the purge, if any */
	rt_strv rows_after;
	/* `downgrade -1` with several rows: Alembic's warning text, else NULL. */
	const char *warning;
} rt_plan;

/*
 * `upgrade TARGET` from `rows` (the version table, in its row order; empty
 * = base). Runs (TARGET + ancestors) minus (rows + ancestors), in Alembic's
 * order. Refusals keep Alembic's CLI text (message) and reason (detail):
 * several heads for `head`, overlapping rows, unknown rows, relative walks.
 */
int rt_plan_upgrade(rt_plan **out, rt_arena *arena, const rt_graph *g, const rt_strv *rows,
                    const char *target, rt_error *err);
/* `downgrade TARGET` from `rows`; "Destination X is not a valid downgrade
 * target from current head(s)" when nothing applied lies above X. */
int rt_plan_downgrade(rt_plan **out, rt_arena *arena, const rt_graph *g, const rt_strv *rows,
                      const char *target, rt_error *err);
/* `stamp T1 [T2...] [--purge]`: row changes only, Alembic's StampStep rules
 * (rows are filtered to the targets' lineage; the last row in table order
 * is the one UPDATEd). */
int rt_plan_stamp(rt_plan **out, rt_arena *arena, const rt_graph *g, const rt_strv *rows,
                  const char *const *targets, size_t ntargets, bool purge, rt_error *err);

/* "upgrade a, b -> c" (Alembic's short_log, used for `-- Running ...`). */
void rt_step_format_short(rt_buf *b, const rt_step *step);
/* "upgrade a -> b, message" (the log line after "Running "). */
void rt_step_format_log(rt_buf *b, const rt_step *step);

#endif
