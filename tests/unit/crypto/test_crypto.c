/*
 * Unit tests for src/crypto: checksums against vectors computed with
 * `b2sum -l 256` (coreutils), CRLF folding, file concatenation, comparison.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "retort/checksum.h"
#include "retort/random.h"

/* printf 'revision = "abc"\ndown_revision = None\n' > a.py */
#define PY_TEXT "revision = \"abc\"\ndown_revision = None\n"
/* printf -- '-- retort:upgrade\nSELECT 1;\n' > a.sql */
#define SQL_TEXT "-- retort:upgrade\nSELECT 1;\n"

static void test_crypto__b2sum_vectors(void **state)
{
	(void)state;
	char hex[RT_CHECKSUM_HEX_LEN + 1];
	/* printf '' | b2sum -l 256 */
	assert_int_equal(rt_checksum_mem(hex, "", 0, NULL), RT_OK);
	assert_string_equal(hex, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
	/* printf 'abc' | b2sum -l 256 */
	rt_checksum_mem(hex, "abc", 3, NULL);
	assert_string_equal(hex, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	/* cat a.py | b2sum -l 256 */
	rt_checksum_mem(hex, PY_TEXT, strlen(PY_TEXT), NULL);
	assert_string_equal(hex, "7f8f8da4f439609f8e3c167ad1961455c5dd3c469eb9e4d0f951c1514bb5706b");
}

static void test_crypto__sources_back_to_back(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const rt_source *py = rt_source_from_mem(a, "a.py", PY_TEXT, strlen(PY_TEXT));
	const rt_source *sql = rt_source_from_mem(a, "a.sql", SQL_TEXT, strlen(SQL_TEXT));
	const rt_source *both[2] = { py, sql };
	char alone[RT_CHECKSUM_HEX_LEN + 1], with[RT_CHECKSUM_HEX_LEN + 1];
	assert_int_equal(rt_checksum_sources(alone, both, 1, NULL), RT_OK);
	assert_string_equal(alone, "7f8f8da4f439609f8e3c167ad1961455c5dd3c469eb9e4d0f951c1514bb5706b");
	/* cat a.py a.sql | b2sum -l 256: the sidecar changes the sum */
	assert_int_equal(rt_checksum_sources(with, both, 2, NULL), RT_OK);
	assert_string_equal(with, "34be593b05d255e10510b6c6153b748083a6710a672cc00f7da812d11e23f6cd");
	assert_false(rt_checksum_equal(alone, with));
	rt_arena_free(a);
}

static void test_crypto__crlf_folded_lone_cr_kept(void **state)
{
	(void)state;
	char crlf[RT_CHECKSUM_HEX_LEN + 1], lf[RT_CHECKSUM_HEX_LEN + 1];
	rt_checksum_mem(crlf, "a\r\nb\rc\r", 7, NULL);
	rt_checksum_mem(lf, "a\nb\rc\r", 6, NULL);
	/* printf 'a\nb\rc\r' | b2sum -l 256 */
	assert_string_equal(lf, "d6aa02ee3d2259eb8d11e22f04131ac932e7cabd820848b5d28b51ef82835a30");
	assert_string_equal(crlf, lf);

	rt_arena *a = rt_arena_new();
	const char *win = "revision = \"abc\"\r\ndown_revision = None\r\n";
	const rt_source *s1 = rt_source_from_mem(a, "w.py", win, strlen(win));
	const rt_source *s2 = rt_source_from_mem(a, "w.sql", "-- retort:upgrade\r\nSELECT 1;\r\n",
	                                         strlen("-- retort:upgrade\r\nSELECT 1;\r\n"));
	const rt_source *both[2] = { s1, s2 };
	rt_checksum_sources(crlf, both, 2, NULL);
	assert_string_equal(crlf, "34be593b05d255e10510b6c6153b748083a6710a672cc00f7da812d11e23f6cd");
	/* folding is per file: a '\r' ending one file and a '\n' starting the next stay */
	const rt_source *cr = rt_source_from_mem(a, "x", "a\r", 2);
	const rt_source *nl = rt_source_from_mem(a, "y", "\nb", 2);
	const rt_source *split[2] = { cr, nl };
	rt_checksum_sources(crlf, split, 2, NULL);
	rt_checksum_mem(lf, "a\r\nb", 4, NULL);
	assert_false(rt_checksum_equal(crlf, lf));
	rt_arena_free(a);
}

static void test_crypto__valid_and_equal(void **state)
{
	(void)state;
	const char *h = "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319";
	assert_true(rt_checksum_valid(h));
	assert_true(rt_checksum_equal(h, h));
	assert_false(rt_checksum_valid("BDDD813C634239723171EF3FEE98579B"
	                               "94964E3BB1CB3E427262C8C068D52319"));
	assert_false(rt_checksum_valid("bddd"));
	assert_false(rt_checksum_valid(""));
	char longer[70];
	memcpy(longer, h, 64);
	memcpy(longer + 64, "00", 3);
	assert_false(rt_checksum_valid(longer));
	assert_false(rt_checksum_equal(h, longer));
	char other[65];
	memcpy(other, h, 65);
	other[63] = '0';
	assert_false(rt_checksum_equal(h, other));
}

static void test_crypto__random_unit_spread(void **state)
{
	(void)state;
	double lo = 1.0, hi = 0.0;
	for (int i = 0; i < 1000; i++) {
		double x = rt_random_unit();
		assert_true(x >= 0.0 && x < 1.0);
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
	}
	/* 1000 uniform draws spanning less than half the range: never in practice */
	assert_true(hi - lo > 0.5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crypto__b2sum_vectors),
		cmocka_unit_test(test_crypto__sources_back_to_back),
		cmocka_unit_test(test_crypto__crlf_folded_lone_cr_kept),
		cmocka_unit_test(test_crypto__valid_and_equal),
		cmocka_unit_test(test_crypto__random_unit_spread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
