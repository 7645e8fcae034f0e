/*
 * Where a plan's steps get their statements. The executor and the offline
 * renderer ask a step source for each step's body and never read version
 * files or translate themselves: today's source reads the project's files
 * (rt_files_source); a bundle file can be another.
 */
#ifndef RETORT_STEP_SOURCE_H
#define RETORT_STEP_SOURCE_H

#include "config.h"
#include "plan.h"
#include "stmt.h"

typedef struct rt_step_source {
	/* Appends the statements of step's revision in dir to out (in arena).
	 * Called for steps with a revision only, in plan order. Errors name the
	 * construct that failed; the caller says which step needed it. */
	int (*body)(void *ctx, const rt_step *step, rt_direction dir, rt_arena *arena,
	            rt_stmtlist *out, rt_error *err);
	/* Starts a new pass over a plan: what the previous pass remembered (the
	 * enum types a run has created) is forgotten, so a pass that only
	 * checks and the run after it produce the same statements. */
	void (*rewind)(void *ctx);
	void *ctx;
} rt_step_source;

/* The statements of step (none for a stamp, which runs no migration code),
 * the direction taken from its kind. Errors as src->body. */
int rt_step_source_body(const rt_step_source *src, const rt_step *step, rt_arena *arena,
                        rt_stmtlist *out, rt_error *err);

/* Bodies from the project's files (rt_revision_body), translated with one
 * translation context per pass (cfg gives the `types:` map; may be NULL). */
typedef struct rt_files_source {
	rt_step_source source;
	const rt_config *cfg;
	rt_arena *pass;              /* the translation context's, reset by rewind */
	struct rt_translate_ctx *tctx;
	bool guards;                 /* rt_files_source_allow_guards */
} rt_files_source;

/* Sets fs up (fs->source points at fs: keep it where it is); what it
 * allocates is released with arena. */
void rt_files_source_init(rt_files_source *fs, rt_arena *arena, const rt_config *cfg);
/* Bodies may hold guards (rt_translate_ctx_allow_guards): for a source whose
 * statements run against a database, never for one rendered offline. */
void rt_files_source_allow_guards(rt_files_source *fs);

#endif
