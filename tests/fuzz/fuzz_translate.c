/*
 * libFuzzer target: arbitrary bytes as an Alembic version file, both bodies
 * translated by the op.* translator with one run context (so the enum memo
 * is exercised across bodies), with guards (data loops, values read from
 * queries) allowed for inputs of odd length. Every failure must carry a message and a
 * known code; every statement byte must map back inside the source; every
 * warning has a kind, a message and a line.
 * Crashes, hangs (the evaluator is bounded), leaks and sanitizer reports are
 * the findings.
 */
#include <stdint.h>
#include <stdlib.h>

#include "retort/translate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > RT_MAX_SOURCE_FILE)
		return 0;
	rt_arena *arena = rt_arena_new();
	rt_source *src = rt_source_from_mem(arena, "versions/abc123.py", (const char *)data, size);
	rt_diags diags;
	rt_diags_init(&diags, arena);
	rt_revfile *rf = NULL;
	(void)rt_revfile_read(&rf, arena, src, &diags);
	rt_translate_ctx *ctx = rt_translate_ctx_new(arena, NULL);
	if (size & 1)
		rt_translate_ctx_allow_guards(ctx);
	for (int dir = RT_UPGRADE; rf && dir <= RT_DOWNGRADE; dir++) {
		rt_stmtlist list = { 0 };
		rt_error err = RT_ERROR_INIT;
		int rc = rt_translate_body(&list, arena, rf, (rt_direction)dir, ctx, &err);
		if (rc < 0 && (!err.message || (rc != RT_EUNSUPPORTED && rc != RT_ENOTFOUND &&
		                                rc != RT_ELIMIT && rc != RT_EIRREVERSIBLE)))
			abort();
		for (size_t i = 0; i < list.n; i++) {
			const rt_stmt *st = list.items[i];
			for (size_t k = 0; k < st->len; k++) {
				size_t pos;
				if (!rt_stmt_src_offset(st, k, &pos) || pos >= src->len)
					abort();
			}
		}
		rt_error_clear(&err);
	}
	/* every warning names its place in the file and what was ignored */
	const rt_diags *w = rt_translate_ctx_warnings(ctx);
	for (size_t i = 0; i < w->n; i++)
		if (!w->items[i]->message || !w->items[i]->loc.line || !w->items[i]->kind)
			abort();
	rt_arena_free(arena);
	return 0;
}
