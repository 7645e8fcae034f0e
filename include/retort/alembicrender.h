/*
 * One step's SQL rendered by real Alembic's offline mode, for the steps
 * retort cannot translate (`retort bundle --with-alembic`).
 *
 * Alembic runs as a child process, `PYTHON -B -m alembic -c INI upgrade
 * PARENT:REV --sql` (or `downgrade REV:PARENT --sql`), with the project's own
 * alembic.ini and env.py and the application importable, as a developer
 * would run it. From its output retort keeps the statements of that one
 * step: those after the step's `-- Running upgrade PARENTS -> REV` line, up
 * to the next step's line. Alembic's version-table statements (the
 * UPDATE/INSERT/DELETE of the step's rows, the offline-only DROP TABLE after
 * a downgrade to base) and its BEGIN/COMMIT lines are dropped: retort writes
 * its own. What Alembic puts inside an autocommit_block comes out with
 * no_transaction set: offline Alembic marks such a block with `COMMIT;`
 * before it and `BEGIN;` after it (with transactional DDL, PostgreSQL's
 * default), and that is how it is recognised, so a body that sends its own
 * COMMIT is read the same way.
 */
#ifndef RETORT_ALEMBICRENDER_H
#define RETORT_ALEMBICRENDER_H

#include <signal.h>

#include "arena.h"
#include "error.h"
#include "revision.h"
#include "stmt.h"

typedef struct rt_alembic_render_opts {
	/* The interpreter that has Alembic and the application: an absolute
	 * path, or a name looked up on PATH. NULL: "python3" on PATH. */
	const char *python;
	/* Alembic's working directory (prepend_sys_path and a relative
	 * script_location start there); NULL: the current directory. */
	const char *project_dir;
	/* The alembic.ini (Alembic's -c), absolute or relative to project_dir:
	 * rt_config.ini_path. Required. */
	const char *ini_path;
	/* The version table as env.py configures it: rt_config.version_table
	 * and .version_table_schema (NULL: none). Its statements are what is
	 * dropped, and a step's output must hold at least one, which catches a
	 * retort configuration that disagrees with env.py. */
	const char *version_table;
	const char *version_table_schema;
	/* Seconds one Alembic run may take before it is killed; <= 0: 120. */
	double timeout;
	/* A signal handler's flag (may be NULL): when set, Alembic is killed
	 * and the call returns RT_EINTR. */
	const volatile sig_atomic_t *interrupted;
} rt_alembic_render_opts;

/*
 * Appends to out the statements of one step of rev in direction dir, as
 * Alembic renders them offline: split with rt_sql_split, each a verbatim
 * slice of Alembic's output (an rt_source in arena named after the command,
 * e.g. "alembic upgrade a1:b2 --sql"), no_transaction set inside an
 * autocommit block. The step's start and end come from rev->id and
 * rev->down (its down_revision, in written order: Alembic's step line
 * names them so); depends_on is not needed. A base revision is rendered
 * from/to "base". Nothing is appended on failure.
 *
 * refusal is why retort could not translate the step (the rt_error that
 * rt_revision_body gave, RT_EUNSUPPORTED); when Alembic cannot render it
 * either, the error carries both reasons. May be NULL.
 *
 * How a caller (the bundle writer) uses it, per revision and per direction:
 *   1. produce the body with rt_revision_body (or its step source) as usual;
 *   2. when that fails with RT_EUNSUPPORTED or RT_ELIMIT (retort refuses the
 *      body, or its evaluator gives up on it) and --with-alembic was given,
 *      call this with that failure as `refusal`, rev the revision, opts
 *      filled once per run: ini_path = rt_config.ini_path (no alembic.ini:
 *      --with-alembic cannot work, say so), version_table and
 *      version_table_schema from rt_config, project_dir NULL (Alembic runs
 *      where retort was started, as `alembic -c INI` would), python NULL,
 *      interrupted the CLI's signal flag;
 *   3. on RT_OK store `out` as that direction's statements (a sidecar
 *      section still wins: rt_revision_body never refuses a direction that
 *      has one) and mark the step "rendered by Alembic"; clear `refusal`;
 *   4. on an error stop the bundle with it: RT_EUNSUPPORTED (exit 3) when
 *      Alembic failed too, its message holding both reasons;
 *   5. any other failure of rt_revision_body (RT_ESYNTAX, RT_ENOTFOUND for
 *      a missing upgrade(), RT_EIRREVERSIBLE, ...) stays what it is: Alembic
 *      is not asked, as it would fail the same way or, for an irreversible
 *      downgrade, the bundle records that there is no way back.
 * A step whose body retort translates is never rendered by Alembic.
 *
 * Errors:
 *   RT_EUNSUPPORTED  Alembic failed (it queries the database, or any other
 *                    error): "<upgrade|downgrade> of 'REV' cannot be
 *                    bundled: retort cannot translate it (REFUSAL) and
 *                    Alembic cannot render it offline (LAST LINE OF ITS
 *                    STDERR)", located at the refusal; the detail has the
 *                    command and where in the traceback it failed
 *   RT_ECONFIG       its output has no line for the step, or the step has
 *                    no statement on the configured version table
 *   RT_ESYNTAX       the rendered text does not split (rt_sql_split)
 *   RT_ELIMIT        Alembic ran past the timeout or printed more than
 *                    RT_MAX_SOURCE_FILE bytes
 *   RT_EOS           the interpreter cannot be started (not found, ...)
 *   RT_EINTR         *opts->interrupted was set
 *   RT_EUSAGE        ini_path or version_table missing
 */
int rt_alembic_render_step(const rt_alembic_render_opts *opts, const rt_revision *rev,
                           rt_direction dir, const rt_error *refusal, rt_arena *arena,
                           rt_stmtlist *out, rt_error *err);

#endif
