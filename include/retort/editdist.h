/*
 * Levenshtein distance, for "did you mean ...?" hints (unknown config keys,
 * dangling revision names, mistyped commands). Each caller keeps its own
 * idea of "close enough".
 */
#ifndef RETORT_EDITDIST_H
#define RETORT_EDITDIST_H

#include <stddef.h>

/* Longest string rt_edit_distance measures; longer ones are never close. */
#define RT_EDIT_DISTANCE_MAX 128

/* Insertions, deletions and substitutions (bytes) that turn a into b;
 * SIZE_MAX when either is longer than RT_EDIT_DISTANCE_MAX. */
size_t rt_edit_distance(const char *a, const char *b);

#endif
