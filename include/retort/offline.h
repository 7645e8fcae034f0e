/*
 * Offline scripts (`upgrade --sql`, `downgrade --sql`, `stamp --sql`): a
 * plan rendered as the SQL text Alembic's offline mode prints, so a DBA can
 * review or run it by hand. Statements end with ";" and a blank line.
 */
#ifndef RETORT_OFFLINE_H
#define RETORT_OFFLINE_H

#include "buf.h"
#include "db.h"
#include "plan.h"
#include "step_source.h"

typedef struct rt_offline_opts {
	const rt_vtable *vtable;
	const rt_step_source *source; /* the steps' bodies (a pass of its own) */
	rt_tx_mode transaction;   /* per-migration: BEGIN/COMMIT around each step */
	bool create_version_table; /* the script starts from an empty database */
} rt_offline_opts;

/*
 * Appends the whole script for plan to out. Bodies come from
 * opts->source; the first step whose body cannot be produced stops the
 * rendering with that error (nothing partial is worth printing). Statements
 * flagged no_transaction are wrapped in COMMIT; ... BEGIN; as Alembic's
 * autocommit_block() prints them.
 */
int rt_offline_render(rt_buf *out, rt_arena *arena, const rt_plan *plan,
                      const rt_offline_opts *opts, rt_error *err);

#endif
