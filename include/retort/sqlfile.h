/*
 * Sidecar and standalone .sql files (docs/file-formats.md).
 *
 * A file is divided into sections by marker lines `-- retort:upgrade` and
 * `-- retort:downgrade`, each optionally followed by `no-transaction`.
 * A standalone file (no X.py beside X.sql) starts with `-- key: value`
 * header lines that give its metadata. Parsing finds sections and header
 * fields only; statements are split when a body is needed.
 */
#ifndef RETORT_SQLFILE_H
#define RETORT_SQLFILE_H

#include "arena.h"
#include "error.h"
#include "revfile.h" /* rt_direction */
#include "source.h"
#include "stmt.h"

typedef enum rt_sqlfile_kind {
	RT_SQLFILE_SIDECAR = 0,    /* X.sql beside X.py: sections only */
	RT_SQLFILE_STANDALONE = 1, /* header, then sections */
} rt_sqlfile_kind;

typedef struct rt_sqlsection {
	rt_direction dir;
	bool no_transaction;
	rt_loc loc;           /* the marker line */
	size_t offset, len;   /* the body: from after the marker line to the next marker */
} rt_sqlsection;

typedef struct rt_sqlfile {
	const rt_source *src;
	rt_sqlfile_kind kind;

	/* Standalone header; ids as written, lists normalised (None -> empty). */
	const char *revision;  /* NULL when missing or invalid */
	rt_loc revision_loc;
	bool has_down_revision;
	rt_strv down;
	rt_loc down_loc;
	rt_strv labels;
	rt_loc labels_loc;
	rt_strv depends;
	rt_loc depends_loc;
	const char *message;   /* NULL when absent or empty */

	rt_sqlsection *sections; /* in file order; several per direction allowed */
	size_t nsections;

	bool header_ok;   /* metadata usable (always true for a sidecar) */
	bool sections_ok; /* every marker valid, nothing before the first one */
} rt_sqlfile;

/*
 * Parses src as a file of the given kind. Every problem is added to diags
 * (kind "sql-syntax", file:line:col, a hint, a suggestion for a misspelt
 * marker, option or header field). Always sets *out (arena-owned). Returns
 * RT_OK, or RT_ESYNTAX when any error was added (see header_ok and
 * sections_ok for what is still usable).
 */
int rt_sqlfile_parse(rt_sqlfile **out, rt_arena *arena, const rt_source *src,
                     rt_sqlfile_kind kind, rt_diags *diags);

/* Whether the file has at least one section for dir. */
bool rt_sqlfile_has(const rt_sqlfile *sf, rt_direction dir);

/*
 * Appends the statements of every section for dir, in file order, split
 * with rt_sql_split (statements of a no-transaction section are flagged
 * no_transaction). RT_ENOTFOUND (nothing appended) when the file has no
 * section for dir; RT_ESYNTAX from splitting.
 */
int rt_sqlfile_body(rt_stmtlist *out, rt_arena *arena, const rt_sqlfile *sf,
                    rt_direction dir, rt_error *err);

#endif
