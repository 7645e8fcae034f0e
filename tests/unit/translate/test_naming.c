/*
 * Unit tests for SQLAlchemy's naming conventions and name truncation
 * (src/translate/naming.c). Expected names come from SQLAlchemy 1.4.46
 * itself: `template % ConventionDict(constraint, table, {})` over
 *   orders = Table('orders', md, Column('id'), Column('customer_id', key='cust'),
 *                  Column('region'), schema=SCHEMA)
 * with UniqueConstraint(cust, region, name='uq_explicit') and
 * ForeignKeyConstraint([cust, region], ['shop.customers.id', 'shop.customers.region']),
 * and `name[0:55] + '_' + util.md5_hex(name)[-4:]` for truncation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "translate/naming.h"

static const char *const cols[] = { "customer_id", "region" };
static const char *const keys[] = { "cust", "region" };
static const char *const referred[] = { "id", "region" };

static tr_name_facts unique_facts(const char *schema)
{
	tr_name_facts f = { .table = "orders", .schema = schema, .cols = cols, .keys = keys,
		                .ncols = 2, .name = "uq_explicit" };
	return f;
}

static const char *apply(rt_arena *a, const char *tmpl, const tr_name_facts *f)
{
	const char *out = NULL, *why = NULL;
	int rc = tr_convention_apply(a, tmpl, f, &out, &why);
	if (rc != RT_OK)
		fail_msg("%s: %s", tmpl, why);
	return out;
}

static void expect_refused(rt_arena *a, const char *tmpl, const tr_name_facts *f,
                           const char *reason)
{
	const char *out = NULL, *why = NULL;
	assert_int_equal(tr_convention_apply(a, tmpl, f, &out, &why), RT_ERROR);
	assert_null(out);
	assert_non_null(strstr(why, reason));
}

static void test_naming__default_convention(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	const char *ix = tr_convention_for(&tr_default_conventions, "ix");
	assert_string_equal(ix, "ix_%(column_0_label)s");
	assert_null(tr_convention_for(&tr_default_conventions, "uq"));
	assert_null(tr_convention_for(&tr_default_conventions, "fk"));
	tr_name_facts f = unique_facts(NULL);
	assert_string_equal(apply(a, ix, &f), "ix_orders_customer_id");
	/* the schema is part of the label, its dots as '_' */
	f = unique_facts("shop");
	assert_string_equal(apply(a, ix, &f), "ix_shop_orders_customer_id");
	f = unique_facts("shop.eu");
	assert_string_equal(apply(a, ix, &f), "ix_shop_eu_orders_customer_id");
	/* no column at all (an index over text() only): the token is empty */
	f.ncols = 0;
	assert_string_equal(apply(a, ix, &f), "ix_");
	rt_arena_free(a);
}

static void test_naming__column_tokens(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	tr_name_facts f = unique_facts("shop");
	assert_string_equal(apply(a, "%(table_name)s_%(column_0N_name)s", &f),
	                    "orders_customer_idregion");
	assert_string_equal(apply(a, "%(table_name)s_%(column_0_N_name)s_key", &f),
	                    "orders_customer_id_region_key");
	assert_string_equal(apply(a, "%(column_0_N_label)s", &f),
	                    "shop_orders_customer_id_shop_orders_region");
	assert_string_equal(apply(a, "%(column_0N_key)s", &f), "custregion");
	assert_string_equal(apply(a, "%(column_0_N_key)s", &f), "cust_region");
	/* past the last column: empty, as SQLAlchemy's IndexError is caught */
	assert_string_equal(apply(a, "%(column_1_name)s|%(column_5_name)s|", &f), "region||");
	assert_string_equal(apply(a, "uq_%(constraint_name)s", &f), "uq_uq_explicit");
	assert_string_equal(apply(a, "100%%_%(column_0_key)s", &f), "100%_cust");
	/* without key=, the key is the name */
	f.keys = NULL;
	assert_string_equal(apply(a, "%(column_0_key)s", &f), "customer_id");
	rt_arena_free(a);
}

static void test_naming__foreign_key_tokens(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	tr_name_facts f = unique_facts("shop");
	f.name = NULL;
	f.foreign_key = true;
	f.referred_table = "customers";
	f.referred_cols = referred;
	assert_string_equal(apply(a, "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
	                          &f),
	                    "fk_orders_customer_id_customers");
	assert_string_equal(apply(a, "%(referred_column_0N_name)s", &f), "idregion");
	assert_string_equal(apply(a, "%(referred_column_0_N_name)s", &f), "id_region");
	assert_string_equal(apply(a, "%(referred_column_1_name)s", &f), "region");
	/* SQLAlchemy: IndexError */
	expect_refused(a, "%(referred_column_2_name)s", &f, "does not have");
	/* SQLAlchemy: InvalidRequestError */
	expect_refused(a, "x_%(constraint_name)s", &f, "explicitly named");
	rt_arena_free(a);
}

static void test_naming__unknown_tokens_refused(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	tr_name_facts f = unique_facts(NULL);
	/* SQLAlchemy: AttributeError (a unique constraint has no elements) */
	expect_refused(a, "%(referred_table_name)s", &f, "foreign keys only");
	expect_refused(a, "%(referred_column_0_name)s", &f, "foreign keys only");
	/* SQLAlchemy: KeyError */
	expect_refused(a, "%(bogus)s", &f, "not a token");
	expect_refused(a, "%(column_1N_name)s", &f, "not a token");
	expect_refused(a, "%(column_0_labels)s", &f, "not a token");
	expect_refused(a, "%(referred_column_0_label)s", &f, "not a token");
	expect_refused(a, "ix_%(table_name)d", &f, "format other than");
	expect_refused(a, "ix_%s", &f, "format other than");
	rt_arena_free(a);
}

static void test_naming__truncation(void **state)
{
	(void)state;
	rt_arena *a = rt_arena_new();
	/* 63 characters: kept */
	const char *n63 = "ix_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	assert_int_equal(strlen(n63), 63);
	assert_ptr_equal(tr_truncate_name(a, n63), n63);
	/* 64: the first 55, '_', the last 4 hex digits of the md5 */
	const char *n64 = "ix_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	assert_string_equal(tr_truncate_name(a, n64),
	                    "ix_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_c94c");
	assert_string_equal(tr_truncate_name(a, "ix_fn_a_table_whose_name_is_long_enough_to_push_"
	                                        "index_indexed_column"),
	                    "ix_fn_a_table_whose_name_is_long_enough_to_push_index_i_da4d");
	/* characters, not bytes: 70 times U+00E9 (140 bytes) keeps 55 of them */
	char e70[141] = { 0 }, e55[111] = { 0 };
	for (int i = 0; i < 70; i++)
		memcpy(e70 + 2 * i, "\xc3\xa9", 2);
	memcpy(e55, e70, 110);
	assert_int_equal(tr_name_chars(e70), 70);
	assert_string_equal(tr_truncate_name(a, e70), rt_sprintf(a, "%s_0b13", e55));
	/* 40 of them (80 bytes) are within the limit */
	e70[80] = '\0';
	assert_ptr_equal(tr_truncate_name(a, e70), e70);
	rt_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_naming__default_convention),
		cmocka_unit_test(test_naming__column_tokens),
		cmocka_unit_test(test_naming__foreign_key_tokens),
		cmocka_unit_test(test_naming__unknown_tokens_refused),
		cmocka_unit_test(test_naming__truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
