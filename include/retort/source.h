/*
 * A loaded source file and its line map. Positions inside the library are
 * byte offsets; line and column are computed once, when an error is made.
 */
#ifndef RETORT_SOURCE_H
#define RETORT_SOURCE_H

#include "arena.h"
#include "error.h"

typedef struct rt_source {
	const char *path;  /* as given (relative paths stay relative) */
	const char *text;  /* NUL-terminated; may contain NUL bytes before len */
	size_t len;
	uint32_t *line_starts; /* byte offset of each line start */
	size_t nlines;
} rt_source;

/* Reads a whole file into the arena. Files over RT_MAX_SOURCE_FILE give
 * RT_ELIMIT; I/O errors RT_EOS with the path. */
int rt_source_load(rt_source **out, rt_arena *arena, const char *path, rt_error *err);
/* Wraps bytes already in memory (copied into the arena). */
rt_source *rt_source_from_mem(rt_arena *arena, const char *path, const char *text, size_t len);
/* Location of the byte span [offset, offset+len). Offsets past the end are
 * clamped. Columns count UTF-8 code points from 1. */
rt_loc rt_source_loc(const rt_source *src, size_t offset, size_t len);
/* The text of 1-based line `line` without its newline, as (ptr,len). */
const char *rt_source_line(const rt_source *src, uint32_t line, size_t *len);

#endif
