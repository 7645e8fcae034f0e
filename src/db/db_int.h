/*
 * Private to src/db: the session object and helpers shared by conn.c,
 * lock.c, vtable.c and history.c. Only this module includes libpq.
 */
#ifndef RETORT_DB_INT_H
#define RETORT_DB_INT_H

#include <libpq-fe.h>

#include "retort/db.h"

struct rt_db {
	PGconn *conn;
	PGcancel *cancel;    /* made at connect time so signal handlers can use it */
	const char *target;  /* masked, for messages */
	int pid;
	bool lost;
	bool locked;
	int64_t lock_key;
	rt_db_notice_fn notice;
	void *notice_ctx;
};

/*
 * Internal queries with parameters (extended protocol; NULL params are SQL
 * NULL). Results and errors as rt_db_exec. Statements users can see in
 * Alembic's output (version rows) go through rt_db_exec instead.
 */
int db_query(rt_db *db, rt_arena *arena, const char *sql, int nparams,
             const char *const *params, rt_db_result *res, rt_error *err);

/* Alembic's has_table (see rt_vtable_exists). */
int db_table_exists(rt_db *db, const char *schema, const char *name, bool *exists,
                    rt_error *err);

/* Seconds on the monotonic clock. */
double db_now(void);
/* Sleeps up to `seconds`, in short slices; false when *interrupted was set. */
bool db_sleep(double seconds, const volatile sig_atomic_t *interrupted);

/* msg with each of secrets replaced by "***". */
const char *db_scrub(rt_arena *arena, const char *msg, const rt_strv *secrets);
/* msg with every "double-quoted" span replaced by "***": for libpq's parse
 * errors, which quote the offending part of a URL holding a password. */
const char *db_scrub_quoted(rt_arena *arena, const char *msg);

#endif
