/*
 * Reading an Alembic version file without running Python.
 *
 * The file is tokenized and parsed as a whole Python module (src/py/), or
 * for the header alone without the def/class blocks; the module-level
 * assignments to revision, down_revision, branch_labels and
 * depends_on are evaluated as literals, the docstring gives the message, and
 * the upgrade()/downgrade() function bodies are kept as syntax trees for the
 * translator. Nothing is executed.
 */
#ifndef RETORT_REVFILE_H
#define RETORT_REVFILE_H

#include "arena.h"
#include "error.h"
#include "source.h"
#include "stmt.h"

struct py_module; /* src/py/pyast.h */
struct py_stmt;

typedef struct rt_revfile {
	const rt_source *src;            /* NULL from rt_revfile_read_header */
	const struct py_module *module;  /* the whole syntax tree (NULL: header only) */

	const char *revision;    /* NULL when absent or not a literal */
	rt_loc revision_loc;
	bool has_down_revision;  /* Alembic requires the name to exist */
	rt_strv down;            /* normalised: None, '', (), [] -> empty */
	rt_loc down_loc;
	uint32_t down_off;       /* byte span of down_revision's literal value in src */
	uint32_t down_len;       /* (0 when it is not a literal): what rebase rewrites */
	rt_strv labels;
	rt_loc labels_loc;
	rt_strv depends;
	rt_loc depends_loc;
	const char *message;     /* Alembic's Script.doc: the docstring stripped, cut at the
	                          * first "\n\n"; NULL when there is no docstring */
	const char *doc;         /* the whole docstring, stripped (history --verbose), or NULL */

	const struct py_stmt *upgrade;   /* the `def upgrade():` statement, or NULL */
	const struct py_stmt *downgrade; /* (both NULL from rt_revfile_read_header) */
} rt_revfile;

/*
 * Parses src and reads its metadata. Every problem is added to diags with
 * file:line:col and a hint (a syntax error, a name whose value is not a
 * literal, a revision that is not a string, a missing down_revision...);
 * each diagnostic's `revision` is the file's id when known. Diagnostic
 * kinds: syntax-error, limit, non-literal-value, empty-revision,
 * missing-revision, missing-down-revision.
 * Returns RT_OK when no error was found, else RT_ESYNTAX. *out is set
 * whenever the file parsed (NULL only on a syntax error), so a caller can
 * still use rf->revision (non-NULL when known) for a file with other errors.
 * Values come from the last module-level assignment (plain, annotated,
 * chained, `;`-separated or tuple-unpacked); docs/pysubset.md lists the
 * accepted forms.
 *
 * Legacy rule (Alembic): with no `revision` name, a file named
 * `[a-f0-9]+.py` takes its stem as the id.
 */
int rt_revfile_read(rt_revfile **out, rt_arena *arena, const rt_source *src, rt_diags *diags);

/*
 * The metadata of rt_revfile_read without the syntax tree: src is parsed
 * in scratch as rt_revfile_read does but without reading the blocks of
 * def and class statements (PY_LEX_SKIP_BODIES in src/py/pylex.h: their
 * ends are found by a byte scan), then the metadata (ids, lists,
 * locations, spans, message, doc) is copied into arena, and src, module,
 * upgrade and downgrade are NULL. The metadata, diagnostics and return
 * value (*out NULL only on a syntax error) are rt_revfile_read's, except
 * that a syntax error inside such a block is not reported (Alembic would
 * fail to import the file; `check` and running the body report it).
 * Nothing in *out or in diags points into scratch or into src, except the
 * locations' path, which is src->path: it must outlive arena. The caller
 * may release scratch (and src, if it lives there) as soon as this
 * returns; loading a project does so for each file, so memory does not
 * grow with the syntax trees.
 */
int rt_revfile_read_header(rt_revfile **out, rt_arena *arena, rt_arena *scratch,
                           const rt_source *src, rt_diags *diags);

/*
 * rt_revfile_read_header that also hands back the whole parse: when full
 * is not NULL, every block is read (diagnostics are rt_revfile_read's)
 * and *full is what rt_revfile_read gave in scratch, NULL on a syntax
 * error, valid until scratch is released. Lets a loader translate a file's
 * bodies while it still holds the parse instead of reading it again. With
 * full NULL this is rt_revfile_read_header.
 */
int rt_revfile_read_both(rt_revfile **out, rt_revfile **full, rt_arena *arena,
                         rt_arena *scratch, const rt_source *src, rt_diags *diags);

#endif
