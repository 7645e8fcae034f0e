/* Durable writes inside src/author (files.c). */
#ifndef RETORT_AUTHOR_FILES_H
#define RETORT_AUTHOR_FILES_H

#include <sys/types.h>

#include "retort/buf.h"
#include "retort/error.h"

/* fsync of a folder, so a new or renamed entry in it is on disk. RT_OK or RT_EOS. */
int rt_author_sync_dir(const char *dir, rt_error *err);

/* path's folder appended to dir ("." when none, "/" for the root); *base its last part. */
void rt_author_split_path(rt_buf *dir, const char **base, const char *path);

/* Writes text to a new temporary file dir/.BASE.XXXXXX (its name in tmp) with mode,
 * fsynced and closed. NULL on success; else the name of the call that failed
 * ("create", "write", "fchmod", "fsync", "close") with *err_no set and the
 * temporary file removed. */
const char *rt_author_temp_write(rt_buf *tmp, const char *dir, const char *base,
                                 const rt_buf *text, mode_t mode, int *err_no);

#endif
