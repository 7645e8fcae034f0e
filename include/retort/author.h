/*
 * Authoring: what `revision`, `merge`, `rebase` and `squash` do to a project's
 * files. Each is planned first (every check made, every new text produced),
 * then applied; nothing here prints. The results (paths written, files
 * re-pointed or archived and which of them were, the advice for existing
 * databases) are data for the caller to report. No database is asked: a
 * check against one comes in as a callback.
 *
 * The texts come from newrev.h (new version files), rewrite.h (down_revision
 * rewritten in place) and squash.h (the range and its replacement SQL).
 */
#ifndef RETORT_AUTHOR_H
#define RETORT_AUTHOR_H

#include "config.h"
#include "graph.h"
#include "newrev.h"
#include "project.h"
#include "rewrite.h"
#include "source.h"
#include "squash.h"

/* ---- ids ---- */

#define RT_AUTHOR_QUOTED (1u << 0) /* 'a', 'b' instead of a, b */

/* "a, b" (or "'a', 'b'" with RT_AUTHOR_QUOTED) of ids, "base" for none, in arena. */
const char *rt_author_ids(rt_arena *arena, const rt_strv *ids, unsigned flags);

/* ---- new revisions (revision, merge) ---- */

/* What a write put on disk: arena paths, as joined from the version folder. */
typedef struct rt_author_written {
	const char *py_path;
	const char *sql_path; /* the sidecar, NULL when none */
} rt_author_written;

/*
 * Appends to parents every revision `symbol` names (a merge's arguments).
 * RT_EUSAGE when one is not a head ("not a head revision", with a hint) or
 * is in parents already; resolution errors as rt_graph_resolve.
 */
int rt_author_add_heads(rt_revlist *parents, rt_arena *arena, const rt_graph *g,
                        const char *symbol, rt_error *err);

/*
 * The parents of `revision --head HEAD`: HEAD NULL is the single head (none:
 * a new base; several: RT_EGRAPH "multiple heads are present: 'a', 'b'"),
 * "base" is none, anything else as rt_author_add_heads.
 */
int rt_author_revision_parents(rt_revlist *parents, rt_arena *arena, const rt_graph *g,
                               const char *head, rt_error *err);

#define RT_AUTHOR_SIDECAR (1u << 0) /* also write X.sql, which X.py runs under Alembic */

typedef struct rt_author_revision_opts {
	const char *message;       /* NULL: Alembic's "empty message" */
	const char *rev_id;        /* NULL: a random id */
	const char *branch_label;  /* NULL: none */
	const rt_strv *depends_on; /* revisions or labels as given; may be NULL */
	const char *version_path;  /* NULL: see rt_author_write_revision */
	unsigned flags;            /* RT_AUTHOR_SIDECAR */
} rt_author_revision_opts;

/*
 * `revision` / `merge`: a new, empty revision on parents. Resolves depends_on
 * as Alembic writes it (a branch label stays, a prefix becomes the full id),
 * refuses an id or branch label g has already (RT_EUSAGE), then writes it
 * with rt_author_write_revision (with an empty sidecar for RT_AUTHOR_SIDECAR).
 * *nr receives the revision as written; *out the paths.
 */
int rt_author_revision(rt_newrev *nr, rt_author_written *out, rt_arena *arena,
                       const rt_config *cfg, const rt_graph *g, const rt_revlist *parents,
                       const rt_author_revision_opts *opts, rt_error *err);

/*
 * Writes a new revision: nr->rev_id NULL gets a random id; checks it with
 * rt_newrev_validate; sets nr->date to now (cfg->timezone); picks the version
 * folder (version_path, which must be one of cfg's version locations, else
 * the only location, else the first parent's folder); names the file from
 * cfg->file_template; renders the .py (the variant that runs its sidecar
 * under Alembic when sidecar_sql != NULL, whose text then goes to X.sql beside
 * X.py); creates each file exclusively and atomically with rt_newrev_write
 * (the .py is removed if the .sql fails). Does not look for the id or labels
 * in g: the caller does. RT_OK, or RT_EUSAGE / RT_ECONFIG / RT_EOS with err
 * set and nothing written.
 */
int rt_author_write_revision(rt_author_written *out, rt_arena *arena, const rt_config *cfg,
                             const rt_graph *g, rt_newrev *nr, const char *version_path,
                             const rt_buf *sidecar_sql, rt_error *err);

/* ---- rebase ---- */

/* A check the caller makes on the revision to change, once the plan is known
 * to be sound and before its file is read (the CLI's: is REV applied to the
 * configured database). RT_OK to go on, else an error code with err set. */
typedef int (*rt_author_check_fn)(void *arg, const rt_revision *rev, rt_error *err);

typedef struct rt_rebase_opts {
	const char *rev;          /* REV as given */
	const rt_strv *onto;      /* the new parents as given; "base" alone for none */
	rt_author_check_fn check; /* may be NULL */
	void *check_arg;
} rt_rebase_opts;

typedef struct rt_rebase {
	const rt_revision *rev;
	rt_strv parents;          /* the new down_revision, ids in --onto order */
	bool unchanged;           /* REV is on those parents already: nothing planned */
	rt_graph *graph;          /* the graph afterwards */
	const rt_source *src;     /* REV's file as read for the rewrite */
	rt_buf text;              /* REV's file afterwards */
	rt_rewrite_spans spans;
	rt_diags problems;        /* on failure, the findings behind it (print before err) */
	rt_diags warnings;        /* several heads or bases afterwards */
} rt_rebase;

/*
 * Plans `rebase REV --onto P...`: resolves REV and the parents (RT_EUSAGE for
 * base, "base" with others, a parent given twice); refuses a parent that is
 * REV or descends from it (a cycle) and one that is an ancestor of another
 * (RT_EGRAPH at REV's down_revision); builds the graph with REV's parents
 * replaced, which must gain no error the project did not have already
 * (RT_EGRAPH, the new errors in out->problems); calls opts->check; reads REV's
 * file again and rewrites its down_revision (RT_ESYNTAX when it no longer
 * reads as REV, its findings in out->problems). When REV is on those parents
 * already, sets out->unchanged and stops there. Release with rt_rebase_release.
 */
int rt_rebase_plan(rt_rebase *out, rt_arena *arena, const rt_project *project,
                   const rt_graph *g, const rt_rebase_opts *opts, rt_error *err);

/* Writes the planned text over REV's file atomically (rt_rewrite_file). */
int rt_rebase_apply(const rt_rebase *rb, rt_error *err);

/* Appends the planned change as a unified diff of the changed lines. */
void rt_rebase_diff(rt_buf *out, const rt_rebase *rb);

void rt_rebase_release(rt_rebase *rb);

/* ---- squash ---- */

#define RT_SQUASH_KEEP (1u << 0) /* leave the squashed files where they are */

typedef struct rt_squash_opts {
	const char *to, *from;    /* --to REV, --from FROM (NULL: base) */
	const char *message;
	const char *rev_id;       /* NULL: a random id */
	const char *archive;      /* NULL: <archive_root>/squashed/<new id> */
	const char *archive_root; /* the script location as it is shown; NULL or ".": none */
	unsigned flags;           /* RT_SQUASH_KEEP */
} rt_squash_opts;

/* One file to change: re-pointed (text: its new content) or archived (dest). */
typedef struct rt_author_action {
	const char *path;
	const char *dest;
	rt_buf text;
	bool done;                /* applied */
} rt_author_action;

typedef struct rt_squash_job {
	rt_squash sq;
	rt_newrev nr;             /* the replacement */
	const char *location;     /* the version location it goes into (REV's) */
	rt_author_written files;  /* predicted by the plan, as written after apply */
	bool written;             /* files exist */
	rt_buf sql;               /* the replacement's sidecar text */
	rt_author_action *rewrites, *moves;
	size_t nrewrites, nmoves; /* nmoves 0 with RT_SQUASH_KEEP */
	const char *archive;      /* the folder the moves go to */
	rt_diags problems;        /* on RT_EGRAPH, the graph afterwards' errors */
} rt_squash_job;

/*
 * Plans `squash`: the range (rt_squash_range), the replacement's id (refused
 * when g has it), date and file names (refused when they exist), its SQL
 * (rt_squash_sql), each child's re-pointed text, each member's file and
 * sidecar with its place in the archive (refused inside a version location,
 * twice, or existing), and the graph afterwards (RT_EGRAPH, errors in
 * out->problems). Nothing is written. Release with rt_squash_release.
 */
int rt_squash_plan(rt_squash_job *out, rt_arena *arena, const rt_config *cfg,
                   const rt_graph *g, const rt_squash_opts *opts, rt_error *err);

/*
 * Applies a plan in order: the archive folder (a failure there changes
 * nothing), the replacement's files (rt_author_write_revision), each child
 * re-pointed, each member's file moved (copied then removed across file
 * systems). Each step done sets its `done` (and job->written); after a
 * failure midway, err's detail lists what was done and what was not, and
 * its hint how to finish.
 */
int rt_squash_apply(rt_squash_job *job, rt_arena *arena, const rt_config *cfg,
                    const rt_graph *g, rt_error *err);

/* What existing databases need after a squash (the caller words the commands). */
typedef struct rt_squash_advice {
	const char *stamp;        /* databases at `at` run `stamp --purge <stamp>` */
	const char *at;           /* REV: what their version table holds */
	const rt_revlist *repair; /* databases past REV record these (`repair C...`); may be empty */
	bool other_heads;         /* other heads exist: a stamp --purge must name them too */
} rt_squash_advice;

rt_squash_advice rt_squash_advise(const rt_squash_job *job, const rt_graph *g,
                                  rt_arena *arena);

void rt_squash_release(rt_squash_job *job);

#endif
