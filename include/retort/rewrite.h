/*
 * Rewriting a revision's parents in place (rebase, squash): the value of
 * `down_revision` (and the docstring's "Revises:" line) is replaced and every
 * other byte of the file is kept; the result replaces the file atomically.
 */
#ifndef RETORT_REWRITE_H
#define RETORT_REWRITE_H

#include "arena.h"
#include "buf.h"
#include "error.h"

struct rt_revfile;
struct rt_sqlfile;

/* One replaced span: old[off, off+len) became new[new_off, new_off+new_len),
 * where new offsets count from the first byte the call appended to out. */
typedef struct rt_rewrite_span {
	size_t off, len;
	size_t new_off, new_len;
} rt_rewrite_span;

/* The spans one rewrite replaced, in file order. */
typedef struct rt_rewrite_spans {
	rt_rewrite_span v[2];
	size_t n;
} rt_rewrite_spans;

/*
 * Appends to out the text of version file rf (rf->src holds its bytes) with the
 * value of `down_revision` replaced by `parents` (0 -> None, 1 -> 'id', several -> a
 * tuple ('a', 'b')), written in the quote character the old value used (default ').
 * Every other byte is kept: annotations (`down_revision: Union[str, None] = ...`),
 * comments, the rest of the file. The docstring's "Revises: ..." line (Alembic's
 * template: "Revises: a, b" or "Revises: " for none; the line right after
 * "Revision ID:", else the first one) is updated when present, and
 * only that line. RT_OK, or RT_EUSAGE when down_revision is not a literal that can be
 * rewritten (rf->down_len == 0), naming file:line:col. rf must come from
 * rt_revfile_read (a header-only revfile, without src, gives RT_ERROR).
 */
int rt_rewrite_down_revision(rt_buf *out, const struct rt_revfile *rf,
                             const rt_strv *parents, rt_error *err);

/* rt_rewrite_down_revision that also reports the replaced spans (for a
 * preview with rt_rewrite_diff); spans may be NULL. */
int rt_rewrite_down_revision_spans(rt_buf *out, rt_rewrite_spans *spans,
                                   const struct rt_revfile *rf, const rt_strv *parents,
                                   rt_error *err);

/*
 * The same for a standalone .sql revision: the value of its
 * `-- down_revision: ...` header line becomes "None" or "a, b"; every other
 * byte is kept. spans may be NULL. RT_OK, or RT_EUSAGE when sf has no usable
 * down_revision header line.
 */
int rt_rewrite_sql_down_revision(rt_buf *out, rt_rewrite_spans *spans,
                                 const struct rt_sqlfile *sf, const rt_strv *parents,
                                 rt_error *err);

/*
 * Appends a unified diff with no context lines ("--- path", "+++ path",
 * "@@ -L[,N] +L[,N] @@", "-old line", "+new line") of the whole lines the
 * spans touch, old text old[0, old_len) against new text new_text[0, new_len)
 * (the bytes the rewrite appended). Spans on the same or adjacent lines share
 * one hunk. Lines keep their bytes (a CR stays).
 */
void rt_rewrite_diff(rt_buf *out, const char *path, const char *old, size_t old_len,
                     const char *new_text, size_t new_len, const rt_rewrite_spans *spans);

/* Replaces path's content atomically: a temporary file in the same folder, fsync,
 * rename over path, keeping path's permission bits. A symbolic link is
 * followed: its target is replaced and the link kept. A path that does not
 * exist yet is created with mode 0644. RT_OK or RT_EOS. */
int rt_rewrite_file(const char *path, const rt_buf *text, rt_error *err);

#endif
