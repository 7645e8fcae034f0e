/* Shared inside src/author: the steps of writing a new revision that squash
 * plans ahead of writing it. */
#ifndef RETORT_AUTHOR_INT_H
#define RETORT_AUTHOR_INT_H

#include "retort/author.h"

/* nr->rev_id, a random one when NULL, checked with rt_newrev_validate. */
int rt_author_new_id(rt_newrev *nr, rt_arena *arena, rt_error *err);
/* "<dir>/<name from cfg->file_template>" for nr (its date set), in arena. */
int rt_author_file_name(const char **out, rt_arena *arena, const rt_config *cfg,
                        const char *dir, const rt_newrev *nr, rt_error *err);
/* X.py's sidecar X.sql, in arena. */
const char *rt_author_sidecar_path(rt_arena *arena, const char *py);
/* Reads rev's file again and rewrites its down_revision to parents (a .py or a
 * standalone .sql, as rev->origin says); *src receives the file as read. RT_ESYNTAX
 * when the file no longer reads as rev: *found (replaced) then holds what the read
 * found. Errors of the rewrite itself as rt_rewrite_down_revision. */
int rt_author_repoint(rt_buf *out, rt_rewrite_spans *spans, const rt_source **src,
                      rt_arena *arena, const rt_revision *rev, const rt_strv *parents,
                      rt_diags *found, rt_error *err);

#endif
