/*
 * libFuzzer target: arbitrary bytes as an Alembic version file, parsed and
 * read for its metadata (fuzz_translate.c goes on to the bodies). Crashes,
 * hangs, leaks and sanitizer reports are the findings.
 */
#include <stdint.h>
#include <stdlib.h>

#include "retort/revfile.h"
#include "py/pyparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > RT_MAX_SOURCE_FILE)
		return 0;
	rt_arena *arena = rt_arena_new();
	rt_source *src = rt_source_from_mem(arena, "versions/abc123.py", (const char *)data, size);
	rt_diags diags;
	rt_diags_init(&diags, arena);
	rt_revfile *rf;
	int rc = rt_revfile_read(&rf, arena, src, &diags);
	if ((rc < 0) != (diags.errors > 0))
		abort(); /* the return code must agree with the diagnostics */
	rt_arena_free(arena);
	return 0;
}
