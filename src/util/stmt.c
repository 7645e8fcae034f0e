/* Statements with offset maps back to their source; see include/retort/stmt.h. */
#include <string.h>

#include "retort/stmt.h"

void rt_stmtlist_push(rt_arena *arena, rt_stmtlist *list, rt_stmt *stmt)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		list->items = rt_realloc_array(arena, list->items, list->n, cap, sizeof(*list->items));
		list->cap = cap;
	}
	list->items[list->n++] = stmt;
}

void rt_stmt_add_seg(rt_arena *arena, rt_stmt *stmt, uint32_t out, uint32_t src, bool linear)
{
	stmt->segs = rt_realloc_array(arena, stmt->segs, stmt->nsegs, stmt->nsegs + 1,
	                              sizeof(*stmt->segs));
	stmt->segs[stmt->nsegs++] = (rt_offseg){ .out = out, .src = src, .linear = linear };
}

rt_stmt *rt_stmt_verbatim(rt_arena *arena, const rt_source *src, size_t offset, size_t len)
{
	rt_stmt *s = rt_alloc(arena, sizeof(*s));
	s->sql = rt_strndup(arena, src->text + offset, len);
	s->len = len;
	s->src = src;
	rt_stmt_add_seg(arena, s, 0, (uint32_t)offset, true);
	return s;
}

rt_stmt *rt_stmt_generated(rt_arena *arena, const char *sql, const rt_source *src, size_t offset)
{
	rt_stmt *s = rt_alloc(arena, sizeof(*s));
	s->len = strlen(sql);
	s->sql = rt_strndup(arena, sql, s->len);
	s->src = src;
	if (src)
		rt_stmt_add_seg(arena, s, 0, (uint32_t)offset, false);
	return s;
}

bool rt_stmt_src_offset(const rt_stmt *stmt, size_t offset, size_t *src_offset)
{
	if (!stmt->src || stmt->nsegs == 0)
		return false;
	size_t i = stmt->nsegs;
	while (i > 0 && stmt->segs[i - 1].out > offset)
		i--;
	if (i == 0)
		i = 1;
	const rt_offseg *seg = &stmt->segs[i - 1];
	size_t pos = seg->src;
	if (seg->linear && offset >= seg->out)
		pos += offset - seg->out;
	if (pos > stmt->src->len)
		pos = stmt->src->len;
	*src_offset = pos;
	return true;
}

rt_loc rt_stmt_loc(const rt_stmt *stmt, size_t offset)
{
	size_t pos;
	if (!rt_stmt_src_offset(stmt, offset, &pos)) {
		rt_loc none = { 0 };
		return none;
	}
	return rt_source_loc(stmt->src, pos, 0);
}

size_t rt_sql_leading_blanks(const char *sql, size_t len)
{
	size_t i = 0;
	for (;;) {
		while (i < len && sql[i] && strchr(" \t\r\n\f", sql[i]))
			i++;
		if (i + 1 < len && sql[i] == '-' && sql[i + 1] == '-') {
			while (i < len && sql[i] != '\n')
				i++;
		} else if (i + 1 < len && sql[i] == '/' && sql[i + 1] == '*') {
			unsigned depth = 0;
			do {
				if (i + 1 < len && sql[i] == '/' && sql[i + 1] == '*')
					depth++, i += 2;
				else if (i + 1 < len && sql[i] == '*' && sql[i + 1] == '/')
					depth--, i += 2;
				else
					i++;
			} while (depth > 0 && i < len);
		} else {
			return i;
		}
	}
}

void rt_stmt_echo_comment(rt_buf *b, const rt_stmt *stmt)
{
	if (!stmt->echo || (stmt->echo_level && strcmp(stmt->echo_level, "stderr") != 0))
		return;
	const char *p = stmt->echo;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		rt_buf_printf(b, "-- print: %.*s\n", (int)n, p);
		p += n + (nl != NULL);
	}
	rt_buf_putc(b, '\n');
}
