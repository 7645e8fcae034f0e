/*
 * Helpers for the tests against a real PostgreSQL (suite 'pg'): the server
 * comes from RETORT_TEST_URL (or PGHOST/PGPORT), set by run-pg-tests.sh, and
 * every test case gets its own fresh database.
 */
#ifndef RETORT_PGTEST_H
#define RETORT_PGTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "retort/db.h"

typedef struct pgt {
	rt_arena *arena;
	char dbname[64];
	const char *url;  /* postgresql://postgres@127.0.0.1:PORT/<dbname> or conninfo */
	rt_db *db;        /* connected to dbname */
} pgt;

/* cmocka group setup/teardown: a database per case, dropped afterwards. */
int pgt_setup(void **state);
int pgt_teardown(void **state);

/* The URL of another database on the test server. */
const char *pgt_url_for(rt_arena *arena, const char *dbname);
/* Connects with the defaults (asserts success). */
rt_db *pgt_connect(pgt *t, const char *url);
/* Runs sql, asserting success; returns the first cell of the result or NULL. */
const char *pgt_sql(pgt *t, rt_db *db, const char *sql);
/* A TCP port on 127.0.0.1 nobody listens on (just released by the kernel). */
int pgt_free_port(void);
/* Runs argv (PATH search), stdout+stderr into out (may be NULL); exit status. */
int pgt_run(const char *const argv[], rt_buf *out);
/* Checks the environment: 0 to run the tests, 77 (skip) or 1 (CI=true) otherwise. */
int pgt_check_env(void);
/* Skips the current case, or fails it when CI=true (nothing may skip there). */
void pgt_skip_or_fail(const char *why);

#endif
