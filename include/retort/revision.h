/*
 * A revision: one node of the migration graph, whatever file it came from.
 * The sources module fills these; the graph module reads only these fields
 * and never touches files.
 */
#ifndef RETORT_REVISION_H
#define RETORT_REVISION_H

#include "arena.h"
#include "error.h"

struct rt_revfile;
struct rt_sqlfile;
struct rt_pycache;

typedef enum rt_rev_origin {
	RT_REV_PY = 0,   /* an Alembic .py version file (maybe with a sidecar .sql) */
	RT_REV_SQL = 1,  /* a standalone .sql revision, invisible to Alembic */
} rt_rev_origin;

typedef struct rt_revision {
	const char *id;
	rt_strv down;     /* down_revision entries, in written order; empty = base */
	rt_strv labels;   /* branch_labels as declared */
	rt_strv depends;  /* depends_on entries as written (ids or branch labels) */
	const char *message; /* docstring's first paragraph, or NULL */

	rt_rev_origin origin;
	const char *path;         /* the .py file, or the standalone .sql */
	const char *sidecar_path; /* X.sql beside X.py, or NULL */
	rt_loc loc;               /* the `revision = ...` assignment or header line */
	rt_loc down_loc, labels_loc, depends_loc; /* line 0 when not written */
	unsigned load_order;      /* position in discovery order (Alembic's tie-break) */

	char checksum[65];        /* BLAKE2b-256 hex of the sources, CRLF folded */

	/* the version file's metadata, NULL for RT_REV_SQL; header only (no src,
	 * no syntax tree): rt_revision_body re-reads the file when a step runs */
	const struct rt_revfile *py;
	const struct rt_sqlfile *sql;  /* sidecar or standalone sections, or NULL */
	struct rt_pycache *pycache;    /* private to src/sources/project.c */
} rt_revision;

#endif
