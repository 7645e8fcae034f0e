/*
 * libFuzzer target: .sql file parsing (sidecar or standalone, chosen by the
 * first byte) and statement splitting of every section and of the whole
 * input, and the fresh-database reading (sqlfresh.h) of its first statement,
 * on arbitrary bytes. Nothing may crash, leak or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>

#include <stdlib.h>
#include <string.h>

#include "retort/sqlfile.h"
#include "retort/sqlfresh.h"
#include "retort/sqlsplit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 64 * 1024)
		return 0;
	rt_sqlfile_kind kind = data[0] & 1 ? RT_SQLFILE_STANDALONE : RT_SQLFILE_SIDECAR;
	rt_arena *arena = rt_arena_new();
	rt_diags diags;
	rt_diags_init(&diags, arena);
	const rt_source *src = rt_source_from_mem(arena, "fuzz.sql", (const char *)data + 1, size - 1);
	rt_sqlfile *sf;
	rt_sqlfile_parse(&sf, arena, src, kind, &diags);
	for (int dir = RT_UPGRADE; dir <= RT_DOWNGRADE; dir++) {
		rt_stmtlist list = { 0 };
		rt_error err = RT_ERROR_INIT;
		if (sf->sections_ok && rt_sqlfile_body(&list, arena, sf, (rt_direction)dir, &err) == RT_OK) {
			for (size_t i = 0; i < list.n; i++)
				(void)rt_stmt_loc(list.items[i], list.items[i]->len);
		}
		rt_error_clear(&err);
	}
	rt_stmtlist whole = { 0 };
	rt_error err = RT_ERROR_INIT;
	if (rt_sql_split(&whole, arena, src, 0, src->len, false, &err) == RT_OK && whole.n) {
		(void)rt_sql_check(whole.items[0], &err);
		rt_fresh_result res;
		const char *why = NULL, *head, *tail;
		if (rt_sql_fresh_result(arena, whole.items[0]->sql, &res, &why)) {
			if (res.len > whole.items[0]->len || (res.one_row && !res.ncols))
				abort();
			rt_sql_fresh_guard(arena, &res, &head, &tail);
		} else if (!why || !*why) {
			abort(); /* a refusal always says why */
		}
	}
	rt_error_clear(&err);
	rt_arena_free(arena);
	return 0;
}
