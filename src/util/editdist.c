/*
 * One row of the Wagner-Fischer table on the stack: the names compared are
 * short, so a bound keeps it allocation-free.
 */
#include <stdint.h>
#include <string.h>

#include "retort/editdist.h"

size_t rt_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[RT_EDIT_DISTANCE_MAX + 1];
	if (la > RT_EDIT_DISTANCE_MAX || lb > RT_EDIT_DISTANCE_MAX)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}
