/*
 * The op.* translator: the upgrade()/downgrade() body of an Alembic version
 * file turned statically into the PostgreSQL statements Alembic 1.8+ with
 * SQLAlchemy 1.4 would send, through a small constant-folding evaluator
 * (locals bound to literals, unrolled loops over literal lists, f-strings,
 * decidable conditions, helper functions of the same file). No Python runs.
 * docs/translation.md lists every construct, rule, refusal and difference.
 */
#ifndef RETORT_TRANSLATE_H
#define RETORT_TRANSLATE_H

#include "arena.h"
#include "config.h"
#include "error.h"
#include "revfile.h"
#include "stmt.h"

/*
 * Per-run state shared by every body translated in one run: the `types:`
 * map and the enum memo (Alembic's op.create_table emits CREATE TYPE for a
 * given (schema, name) at most once per run, alembic.md §5.4). Use one
 * context per plan, in step order.
 */
typedef struct rt_translate_ctx rt_translate_ctx;

/* A context in arena. cfg may be NULL (no `types:` map); it must outlive
 * the context. Never fails. */
rt_translate_ctx *rt_translate_ctx_new(rt_arena *arena, const rt_config *cfg);

/*
 * Lets bodies translated with ctx hold guards (rt_stmt.guard): a loop over
 * the rows of a query the translator can render, whose body it does not
 * translate, becomes that query counted, which must find no rows when the
 * step runs (on a fresh database it finds none). Only for callers that run
 * the statements against a database (and check, which counts such bodies
 * runnable); without it such a loop is refused as data access.
 */
void rt_translate_ctx_allow_guards(rt_translate_ctx *ctx);

/*
 * What the bodies translated with ctx did that Alembic does silently or with
 * a Python warning, as RT_SEV_WARNING diagnostics in the order found (each
 * with file:line:col and the revision): an argument Alembic accepts and
 * ignores (kind "ignored-argument"), a column that replaces an earlier one
 * of the same name in one create_table ("replaced-column"). The statements
 * are the same with or without them; the CLI shows them at -v.
 */
rt_diags *rt_translate_ctx_warnings(rt_translate_ctx *ctx);

/* The first value the bodies translated with ctx took from the clock or the
 * random source (datetime.now(), uuid.uuid4(), ...): its dotted name, with
 * where it is in *loc; NULL when none. Such a body differs each time it is
 * translated, which only a run may do (a bundle would freeze the value). */
const char *rt_translate_ctx_run_time_value(const rt_translate_ctx *ctx, rt_loc *loc);

/*
 * Appends to out the statements of rf's upgrade() (dir RT_UPGRADE) or
 * downgrade(), in execution order, each without a trailing ';', with an
 * offset map into the .py: into the string for op.execute text, else to the
 * call that produced the statement. Statements inside
 * `with op.get_context().autocommit_block():` have no_transaction set.
 * ctx may be NULL: a fresh context without a types map (the enum memo then
 * covers this body only).
 *
 * Returns RT_OK, or fills err (location of the exact construct, what it is,
 * and a hint with the remedy) and returns:
 *   RT_ENOTFOUND     the function is not defined
 *   RT_EUNSUPPORTED  a construct retort cannot translate, or one Alembic
 *                    itself would fail on (e.g. an unnamed DROP CONSTRAINT)
 *   RT_ELIMIT        evaluation exceeded its step or recursion budget
 *   RT_EIRREVERSIBLE downgrade() reaches a `raise` before any statement:
 *                    Alembic always fails there, so there is no way back;
 *                    located at the raise, the message is what Python would
 *                    print ("RuntimeError: why"), the hint says what to do
 * On error, out may hold the statements translated before the failure.
 * Everything allocated lives in arena.
 */
int rt_translate_body(rt_stmtlist *out, rt_arena *arena, const rt_revfile *rf,
                      rt_direction dir, rt_translate_ctx *ctx, rt_error *err);

#endif
