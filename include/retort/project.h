/*
 * The project loader: finds version files and SQL files with Alembic's
 * discovery rules, reads each once, and turns them into rt_revisions in
 * load order. It judges files, never the graph (duplicate ids, dangling
 * parents and cycles are the graph module's business).
 */
#ifndef RETORT_PROJECT_H
#define RETORT_PROJECT_H

#include "arena.h"
#include "error.h"
#include "revfile.h"
#include "revision.h"
#include "sqlfile.h"
#include "stmt.h"

struct rt_translate_ctx;

typedef struct rt_project_opts {
	const rt_strv *version_locations; /* directories, in configured order */
	bool recursive;                   /* recursive_version_locations */
	/* Optional: called by rt_project_load for each revision it keeps, in load
	 * order, while the loader still holds that file's whole parse, so
	 * rt_revision_body on rev translates without reading the file again
	 * (check visits every body this way). rev is complete and arena-owned;
	 * the callback must not keep pointers into the statements it asks for
	 * beyond the arena it passes. */
	void (*loaded)(void *arg, const rt_revision *rev);
	void *loaded_arg;
} rt_project_opts;

/* One discovered file, in load order. */
typedef struct rt_srcfile {
	const char *path;         /* <location>/<subdirs>/<name> as joined, not resolved */
	const char *sidecar_path; /* for a .py: X.sql beside it, else NULL */
	bool standalone;          /* a .sql with no .py of the same stem beside it */
} rt_srcfile;

typedef struct rt_discovery {
	rt_srcfile *files;
	size_t n;
} rt_discovery;

/*
 * Lists the project's files in load order without reading them. For each
 * location in order: regular files named *.py, except names starting with
 * `__init__` or `.#`, sorted bytewise; X.sql beside a kept X.py is its
 * sidecar, any other *.sql (same name rules) a standalone revision, placed
 * in the same sorted sequence. With opts->recursive, subdirectories follow
 * in sorted order (not `__pycache__`, not symlinked directories).
 *
 * Warnings in diags: a file whose real path was already listed ("loaded
 * twice", skipped), a *.py or *.sql entry that is not a regular file
 * (skipped). Errors: RT_ENOTFOUND for a location that does not exist or is
 * not a directory, RT_EOS for an unreadable directory.
 */
int rt_project_discover(rt_discovery *out, rt_arena *arena, const rt_project_opts *opts,
                        rt_diags *diags, rt_error *err);

typedef struct rt_project {
	rt_revision **revs; /* in load order; revs[i]->load_order == i */
	size_t n;
} rt_project;

/*
 * Discovers and reads every file: each .py with rt_revfile_read_header
 * (rt_revfile_read_both, blocks included, when opts->loaded is set), its
 * sidecar and each standalone file with rt_sqlfile_parse, and fills every
 * rt_revision field including the checksum. Problems in a file go to
 * diags (without opts->loaded, not those inside def/class blocks:
 * rt_revision_body reports them); a file whose metadata is unusable is reported and left out. A
 * sidecar that does not parse leaves rev->sql NULL (rt_revision_body then
 * refuses that revision). Each standalone file gets a warning that Alembic
 * cannot see it.
 *
 * With many .py files and two CPUs, and no opts->loaded, they are read on
 * the calling thread and one more, joined before this returns; the result
 * and the order of diags are those of a one-thread load.
 *
 * Returns RT_OK with *out set (arena-owned) unless loading is impossible:
 * a missing location (RT_ENOTFOUND), an unreadable file (RT_EOS), a file
 * over RT_MAX_SOURCE_FILE (RT_ELIMIT).
 */
int rt_project_load(rt_project **out, rt_arena *arena, const rt_project_opts *opts,
                    rt_diags *diags, rt_error *err);

/*
 * Appends the statements of one direction of rev to out. Per direction: a
 * section for dir in the sidecar or standalone file is used when present;
 * otherwise a .py revision's body is translated (rt_translate_body, with
 * tctx carrying the per-run enum memo; NULL for a fresh one), and a
 * standalone revision has no body (RT_ENOTFOUND). A revision whose sidecar
 * or standalone file has section errors gives RT_ESYNTAX, as does a .py
 * whose syntax error the load did not see (inside a def/class block). Other codes come
 * from the producers (RT_EUNSUPPORTED, RT_ENOTFOUND for a missing
 * upgrade()/downgrade(), RT_EIRREVERSIBLE for a downgrade() that only
 * raises: its message then starts "downgrade of '<id>' is irreversible").
 */
int rt_revision_body(rt_stmtlist *out, rt_arena *arena, const rt_revision *rev,
                     rt_direction dir, struct rt_translate_ctx *tctx, rt_error *err);

#endif
