/*
 * Unit tests for src/crypto/sign.c: key file formats round trip, damaged and
 * mixed-up key lines refused at path:line:col, detached signatures, and the
 * fingerprint against `base64 -d | b2sum -l 256`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "retort/sign.h"

/* a pair written by `retort keygen k` */
#define SECRET_LINE "retort-ed25519-secret TeqpDhQdlMqfhc4c0q0Z97VYLPWb1QoUnfHq0e5emL39771O0z9wz7/etX5/rukeP7Q4mBRg5ZDd4VTNLQInCw==\n"
#define PUBLIC_LINE "retort-ed25519-public /e+9TtM/cM+/3rV+f67pHj+0OJgUYOWQ3eFUzS0CJws=\n"

static void test_sign__formats_round_trip(void **state)
{
	(void)state;
	rt_sign_secret sk, sk2;
	rt_sign_public pk, pk2;
	char line[RT_SIGN_LINE_MAX];
	assert_int_equal(rt_sign_keypair(&sk, &pk, NULL), RT_OK);
	rt_sign_format_secret(line, &sk);
	assert_int_equal(strlen(line), 22 + 88 + 1);
	assert_memory_equal(line, "retort-ed25519-secret ", 22);
	assert_int_equal(line[strlen(line) - 1], '\n');
	assert_int_equal(rt_sign_parse_secret(&sk2, line, strlen(line), "k", NULL), RT_OK);
	assert_memory_equal(sk.bytes, sk2.bytes, RT_SIGN_SECRET_BYTES);
	rt_sign_line_wipe(line);
	assert_int_equal(line[0], '\0');
	rt_sign_format_public(line, &pk);
	assert_int_equal(strlen(line), 22 + 44 + 1);
	assert_int_equal(rt_sign_parse_public(&pk2, line, strlen(line), "k.pub", NULL), RT_OK);
	assert_memory_equal(pk.bytes, pk2.bytes, RT_SIGN_PUBLIC_BYTES);
	/* no newline, or CRLF, is accepted too */
	assert_int_equal(rt_sign_parse_public(&pk2, line, strlen(line) - 1, "k.pub", NULL), RT_OK);
	rt_sign_secret_wipe(&sk);
	rt_sign_secret_wipe(&sk2);
	static const unsigned char zero[RT_SIGN_SECRET_BYTES];
	assert_memory_equal(sk.bytes, zero, sizeof(zero));
}

static void test_sign__fixed_lines_parse(void **state)
{
	(void)state;
	rt_sign_secret sk;
	rt_sign_public pk;
	const char *crlf = "retort-ed25519-public /e+9TtM/cM+/3rV+f67pHj+0OJgUYOWQ3eFUzS0CJws=\r\n";
	assert_int_equal(rt_sign_parse_secret(&sk, SECRET_LINE, strlen(SECRET_LINE), "k", NULL),
	                 RT_OK);
	assert_int_equal(rt_sign_parse_public(&pk, crlf, strlen(crlf), "k.pub", NULL), RT_OK);
	/* libsodium's secret key ends with its public key */
	assert_memory_equal(sk.bytes + 32, pk.bytes, 32);
	rt_sign_secret_wipe(&sk);
}

/* Parses text as kind ('s' or 'p') and expects RT_ESYNTAX at line:col, the
 * message containing want. */
static void refused(char kind, const char *text, uint32_t line, uint32_t col, const char *want)
{
	rt_error err = RT_ERROR_INIT;
	rt_sign_secret sk;
	rt_sign_public pk;
	int rc = kind == 's' ? rt_sign_parse_secret(&sk, text, strlen(text), "k", &err)
	                     : rt_sign_parse_public(&pk, text, strlen(text), "k.pub", &err);
	assert_int_equal(rc, RT_ESYNTAX);
	assert_string_equal(err.loc.path, kind == 's' ? "k" : "k.pub");
	assert_int_equal(err.loc.line, line);
	assert_int_equal(err.loc.col, col);
	if (!strstr(err.message, want))
		fail_msg("message '%s' lacks '%s'", err.message, want);
	assert_non_null(err.hint);
	rt_error_clear(&err);
}

static void test_sign__damaged_lines_refused(void **state)
{
	(void)state;
	char line[256];
	/* one base64 character changed in the seed: the halves no longer match */
	strcpy(line, SECRET_LINE);
	line[30] = line[30] == 'A' ? 'B' : 'A';
	refused('s', line, 1, 23, "damaged");
	/* cut short */
	strcpy(line, PUBLIC_LINE);
	strcpy(line + 40, "\n");
	refused('p', line, 1, 23, "not 32 bytes");
	/* padding gone */
	strcpy(line, PUBLIC_LINE);
	strcpy(strchr(line, '='), "\n");
	refused('p', line, 1, 23, "not 32 bytes");
	/* a character outside base64 */
	strcpy(line, PUBLIC_LINE);
	line[25] = '*';
	refused('p', line, 1, 23, "not 32 bytes");
	/* trailing text on the line, and a second line */
	refused('p', "retort-ed25519-public /e+9TtM/cM+/3rV+f67pHj+0OJgUYOWQ3eFUzS0CJws= x\n", 1, 23,
	        "not 32 bytes");
	refused('p', PUBLIC_LINE "again\n", 2, 1, "after the public key line");
	/* the wrong kind, and no key at all */
	refused('s', PUBLIC_LINE, 1, 1, "this is a public key, not a secret key");
	refused('p', SECRET_LINE, 1, 1, "this is a secret key, not a public key");
	refused('p', "ssh-ed25519 AAAA\n", 1, 1, "must start with 'retort-ed25519-public '");
	refused('p', "", 1, 1, "must start with");
}

static void test_sign__sign_and_verify(void **state)
{
	(void)state;
	rt_sign_secret sk;
	rt_sign_public pk, other_pk;
	rt_sign_secret other_sk;
	unsigned char sig[RT_SIGN_BYTES];
	char data[] = "the bundle's bytes";
	size_t len = sizeof(data) - 1;
	assert_int_equal(rt_sign_keypair(&sk, &pk, NULL), RT_OK);
	assert_int_equal(rt_sign_keypair(&other_sk, &other_pk, NULL), RT_OK);
	assert_int_equal(rt_sign_detached(sig, data, len, &sk, NULL), RT_OK);
	assert_true(rt_sign_verify(sig, data, len, &pk));
	assert_false(rt_sign_verify(sig, data, len, &other_pk));
	/* one flipped bit in the data, then in the signature */
	data[3] ^= 1;
	assert_false(rt_sign_verify(sig, data, len, &pk));
	data[3] ^= 1;
	sig[10] ^= 0x80;
	assert_false(rt_sign_verify(sig, data, len, &pk));
	sig[10] ^= 0x80;
	assert_true(rt_sign_verify(sig, data, len, &pk));
	/* an empty buffer signs too */
	assert_int_equal(rt_sign_detached(sig, "", 0, &sk, NULL), RT_OK);
	assert_true(rt_sign_verify(sig, "", 0, &pk));
	rt_sign_secret_wipe(&sk);
	rt_sign_secret_wipe(&other_sk);
}

static void test_sign__fingerprint_stable(void **state)
{
	(void)state;
	rt_sign_public pk;
	char fpr[RT_SIGN_FINGERPRINT_LEN + 1], again[RT_SIGN_FINGERPRINT_LEN + 1];
	assert_int_equal(rt_sign_parse_public(&pk, PUBLIC_LINE, strlen(PUBLIC_LINE), "k.pub", NULL),
	                 RT_OK);
	/* cut -d' ' -f2 k.pub | base64 -d | b2sum -l 256 | cut -c1-16 */
	rt_sign_fingerprint(fpr, &pk);
	assert_string_equal(fpr, "e6fd 674b 3a44 055d");
	rt_sign_fingerprint(again, &pk);
	assert_string_equal(again, fpr);
	pk.bytes[0] ^= 1;
	rt_sign_fingerprint(again, &pk);
	assert_string_not_equal(again, fpr);
}

/* The files rt_sign_keygen_files writes read back into the same pair, which
 * signs and verifies; refusals name the file. */
static void test_sign__keygen_files_read_back(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_sign.XXXXXX", sec[64], pub[64], big[64];
	assert_non_null(mkdtemp(dir));
	snprintf(sec, sizeof(sec), "%s/k", dir);
	snprintf(pub, sizeof(pub), "%s/k.pub", dir);
	snprintf(big, sizeof(big), "%s/big", dir);
	rt_sign_public pk, pk_read;
	rt_sign_secret sk;
	rt_error err = RT_ERROR_INIT;
	assert_int_equal(rt_sign_keygen_files(sec, pub, &pk, NULL), RT_OK);
	struct stat st;
	assert_int_equal(stat(sec, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(rt_sign_read_secret(&sk, sec, NULL), RT_OK);
	assert_int_equal(rt_sign_read_public(&pk_read, pub, NULL), RT_OK);
	assert_memory_equal(pk.bytes, pk_read.bytes, RT_SIGN_PUBLIC_BYTES);
	unsigned char sig[RT_SIGN_BYTES];
	assert_int_equal(rt_sign_detached(sig, "x", 1, &sk, NULL), RT_OK);
	assert_true(rt_sign_verify(sig, "x", 1, &pk_read));
	rt_sign_secret_wipe(&sk);
	/* never over an existing file, either one */
	assert_int_equal(rt_sign_keygen_files(sec, big, &pk, &err), RT_EUSAGE);
	assert_non_null(strstr(err.message, "already exists"));
	assert_int_equal(access(big, F_OK), -1);
	rt_error_clear(&err);
	/* the wrong kind of file, a missing one, an oversized one */
	assert_int_equal(rt_sign_read_secret(&sk, pub, &err), RT_ESYNTAX);
	assert_string_equal(err.loc.path, pub);
	rt_error_clear(&err);
	assert_int_equal(rt_sign_read_public(&pk, big, &err), RT_EOS);
	assert_non_null(strstr(err.message, big));
	rt_error_clear(&err);
	FILE *f = fopen(big, "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputc('A', f);
	fclose(f);
	assert_int_equal(rt_sign_read_public(&pk, big, &err), RT_ESYNTAX);
	assert_non_null(strstr(err.message, "too long"));
	rt_error_clear(&err);
	unlink(sec);
	unlink(pub);
	unlink(big);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign__formats_round_trip),
		cmocka_unit_test(test_sign__fixed_lines_parse),
		cmocka_unit_test(test_sign__damaged_lines_refused),
		cmocka_unit_test(test_sign__sign_and_verify),
		cmocka_unit_test(test_sign__fingerprint_stable),
		cmocka_unit_test(test_sign__keygen_files_read_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
