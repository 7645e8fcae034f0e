/*
 * libFuzzer target: the bundle reader on arbitrary bytes. The first byte
 * chooses the mode: odd, the input is a whole file; even, it is the contents
 * only, wrapped in a valid header and hash first, so the fuzzer reaches the
 * field parser behind the hash check. Every body of an accepted bundle is
 * decoded too. Nothing may crash, leak or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "retort/bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void wrap(rt_buf *b, const uint8_t *payload, size_t len)
{
	rt_buf_add(b, RT_BUNDLE_MAGIC, 8);
	uint8_t head[16] = { RT_BUNDLE_FORMAT_VERSION };
	for (int i = 0; i < 8; i++)
		head[8 + i] = (uint8_t)((uint64_t)len >> (8 * i));
	rt_buf_add(b, head, sizeof(head));
	rt_buf_add(b, payload, len);
	unsigned char hash[32];
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)b->ptr, b->len, NULL, 0);
	rt_buf_add(b, hash, sizeof(hash));
	rt_buf_putc(b, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 256 * 1024 || sodium_init() < 0)
		return 0;
	rt_buf bytes = RT_BUF_INIT;
	if (data[0] & 1)
		rt_buf_add(&bytes, data + 1, size - 1);
	else
		wrap(&bytes, data + 1, size - 1);
	rt_arena *arena = rt_arena_new();
	rt_error err = RT_ERROR_INIT;
	rt_bundle *b;
	if (rt_bundle_parse(&b, arena, "fuzz.rtb", bytes.ptr, bytes.len, &err) == RT_OK) {
		rt_project *p = rt_bundle_project(b);
		rt_bundle_source bs;
		rt_bundle_source_init(&bs, arena, b);
		rt_config cfg = { 0 };
		rt_bundle_settings(b, &cfg);
		(void)rt_bundle_trust(b, NULL, 0, &err);
		bs.source.rewind(bs.source.ctx);
		for (size_t i = 0; i < p->n; i++) {
			for (int dir = RT_UPGRADE; dir <= RT_DOWNGRADE; dir++) {
				rt_stmtlist out = { 0 };
				rt_step step = { .kind = dir ? RT_STEP_DOWNGRADE : RT_STEP_UPGRADE,
				                 .rev = p->revs[i] };
				(void)bs.source.body(bs.source.ctx, &step, (rt_direction)dir, arena, &out, &err);
				rt_error_clear(&err);
			}
		}
	}
	rt_error_clear(&err);
	rt_arena_free(arena);
	rt_buf_release(&bytes);
	return 0;
}
