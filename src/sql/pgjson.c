/*
 * A small JSON reader for libpg_query's parse trees (pg_query_parse). The
 * input is machine-written and well-formed, so this accepts exactly JSON and
 * keeps only what retort needs: objects, arrays, strings (escapes decoded),
 * integers and booleans. Everything lives in the caller's arena.
 */
#include <stdlib.h>
#include <string.h>

#include "retort/pgjson.h"
#include "retort/buf.h"

struct jparser {
	rt_arena *arena;
	const char *p, *end;
	bool failed;
};

static void skip_ws(struct jparser *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\n' || *jp->p == '\t' || *jp->p == '\r'))
		jp->p++;
}

static bool take(struct jparser *jp, char c)
{
	skip_ws(jp);
	if (jp->p < jp->end && *jp->p == c) {
		jp->p++;
		return true;
	}
	return false;
}

static unsigned hex4(const char *s)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v = v * 16 + (unsigned)(c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
	}
	return v;
}

static void put_utf8(rt_buf *b, unsigned cp)
{
	if (cp < 0x80) {
		rt_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		rt_buf_putc(b, (char)(0xC0 | (cp >> 6)));
		rt_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		rt_buf_putc(b, (char)(0xE0 | (cp >> 12)));
		rt_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		rt_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		rt_buf_putc(b, (char)(0xF0 | (cp >> 18)));
		rt_buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		rt_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		rt_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	}
}

static const char *parse_string(struct jparser *jp)
{
	/* called with jp->p just past the opening quote */
	const char *start = jp->p;
	while (jp->p < jp->end && *jp->p != '"' && *jp->p != '\\')
		jp->p++;
	if (jp->p < jp->end && *jp->p == '"') { /* the common case: no escapes */
		const char *s = rt_strndup(jp->arena, start, (size_t)(jp->p - start));
		jp->p++;
		return s;
	}
	rt_buf b = RT_BUF_INIT;
	rt_buf_add(&b, start, (size_t)(jp->p - start));
	while (jp->p < jp->end && *jp->p != '"') {
		char c = *jp->p++;
		if (c != '\\') {
			rt_buf_putc(&b, c);
			continue;
		}
		if (jp->p >= jp->end)
			break;
		c = *jp->p++;
		switch (c) {
		case 'n': rt_buf_putc(&b, '\n'); break;
		case 't': rt_buf_putc(&b, '\t'); break;
		case 'r': rt_buf_putc(&b, '\r'); break;
		case 'b': rt_buf_putc(&b, '\b'); break;
		case 'f': rt_buf_putc(&b, '\f'); break;
		case 'u': {
			if (jp->end - jp->p < 4) {
				jp->failed = true;
				break;
			}
			unsigned cp = hex4(jp->p);
			jp->p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && jp->end - jp->p >= 6 && jp->p[0] == '\\' &&
			    jp->p[1] == 'u') {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(jp->p + 2) - 0xDC00);
				jp->p += 6;
			}
			put_utf8(&b, cp);
			break;
		}
		default: rt_buf_putc(&b, c); break; /* \" \\ \/ */
		}
	}
	if (jp->p >= jp->end)
		jp->failed = true;
	else
		jp->p++;
	const char *s = rt_strndup(jp->arena, rt_buf_cstr(&b), b.len);
	rt_buf_release(&b);
	return s;
}

static rt_jnode *parse_value(struct jparser *jp, int depth);

static void push(rt_arena *arena, rt_jnode *n, const char *key, rt_jnode *item, size_t *cap)
{
	if (n->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		n->items = rt_realloc_array(arena, n->items, *cap, ncap, sizeof *n->items);
		if (n->kind == RT_J_OBJ)
			n->keys = rt_realloc_array(arena, n->keys, *cap, ncap, sizeof *n->keys);
		*cap = ncap;
	}
	if (key)
		n->keys[n->n] = key;
	n->items[n->n++] = item;
}

static rt_jnode *parse_container(struct jparser *jp, rt_jnode *n, char close, int depth)
{
	size_t cap = 0;
	if (take(jp, close))
		return n;
	do {
		const char *key = NULL;
		if (n->kind == RT_J_OBJ) {
			if (!take(jp, '"')) {
				jp->failed = true;
				return n;
			}
			key = parse_string(jp);
			if (!take(jp, ':')) {
				jp->failed = true;
				return n;
			}
		}
		rt_jnode *item = parse_value(jp, depth + 1);
		if (jp->failed)
			return n;
		push(jp->arena, n, key, item, &cap);
	} while (take(jp, ','));
	if (!take(jp, close))
		jp->failed = true;
	return n;
}

static rt_jnode *parse_value(struct jparser *jp, int depth)
{
	rt_jnode *n = rt_alloc(jp->arena, sizeof *n);
	skip_ws(jp);
	if (jp->p >= jp->end || depth > 1000) { /* the parser's own nesting limit is lower */
		jp->failed = true;
		return n;
	}
	char c = *jp->p++;
	if (c == '{') {
		n->kind = RT_J_OBJ;
		return parse_container(jp, n, '}', depth);
	}
	if (c == '[') {
		n->kind = RT_J_ARR;
		return parse_container(jp, n, ']', depth);
	}
	if (c == '"') {
		n->kind = RT_J_STR;
		n->str = parse_string(jp);
		return n;
	}
	jp->p--;
	static const struct { const char *word; rt_jkind kind; bool b; } words[] = {
		{ "true", RT_J_BOOL, true }, { "false", RT_J_BOOL, false }, { "null", RT_J_NULL, false },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t len = strlen(words[i].word);
		if ((size_t)(jp->end - jp->p) >= len && memcmp(jp->p, words[i].word, len) == 0) {
			jp->p += len;
			n->kind = words[i].kind;
			n->b = words[i].b;
			return n;
		}
	}
	char *numend;
	n->kind = RT_J_NUM;
	n->num = strtod(jp->p, &numend);
	if (numend == jp->p || numend > jp->end)
		jp->failed = true;
	jp->p = numend;
	return n;
}

rt_jnode *rt_json_parse(rt_arena *arena, const char *text, size_t len)
{
	struct jparser jp = { .arena = arena, .p = text, .end = text + len };
	rt_jnode *root = parse_value(&jp, 0);
	skip_ws(&jp);
	return jp.failed || jp.p != jp.end ? NULL : root;
}

const rt_jnode *rt_json_get(const rt_jnode *obj, const char *key)
{
	if (!obj || obj->kind != RT_J_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

const char *rt_json_str(const rt_jnode *obj, const char *key)
{
	const rt_jnode *v = rt_json_get(obj, key);
	return v && v->kind == RT_J_STR ? v->str : NULL;
}

bool rt_json_bool(const rt_jnode *obj, const char *key)
{
	const rt_jnode *v = rt_json_get(obj, key);
	return v && v->kind == RT_J_BOOL && v->b;
}

long rt_json_int(const rt_jnode *obj, const char *key, long dflt)
{
	const rt_jnode *v = rt_json_get(obj, key);
	return v && v->kind == RT_J_NUM ? (long)v->num : dflt;
}

const rt_jnode *rt_json_node(const rt_jnode *wrapper, const char **type)
{
	/* libpg_query wraps every Node as {"TypeName": {...}} */
	if (!wrapper || wrapper->kind != RT_J_OBJ || wrapper->n != 1) {
		*type = "";
		return NULL;
	}
	*type = wrapper->keys[0];
	return wrapper->items[0];
}

const rt_jnode *rt_json_node_as(const rt_jnode *wrapper, const char *type)
{
	const char *t;
	const rt_jnode *n = rt_json_node(wrapper, &t);
	return n && strcmp(t, type) == 0 ? n : NULL;
}

size_t rt_json_len(const rt_jnode *arr)
{
	return arr && arr->kind == RT_J_ARR ? arr->n : 0;
}
