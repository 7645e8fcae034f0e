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
	/* What the connection's first round trip learnt about the tables given
	 * in rt_db_opts (fresh until the first rt_db_read_state uses it), and the
	 * lock key of that version table. */
	bool probed, probe_fresh;
	bool vt_exists, hist_exists;
	const char *probe_schema, *probe_table; /* the version table's, as configured */
	int64_t probe_key;
	rt_db_notice_fn notice;
	void *notice_ctx;
	/* rt_db_on_wait: called every wait_ms while a statement's answer is awaited */
	rt_db_wait_fn on_wait;
	void *wait_ctx;
	int wait_ms;
};

/*
 * Internal queries with parameters (extended protocol; NULL params are SQL
 * NULL). Results and errors as rt_db_exec. Statements users can see in
 * Alembic's output (version rows) go through rt_db_exec instead.
 */
int db_query(rt_db *db, rt_arena *arena, const char *sql, int nparams,
             const char *const *params, rt_db_result *res, rt_error *err);

/* Configured names with their defaults ("alembic_version", "retort_history"). */
const char *db_vtable_name(const struct rt_vtable *vt);
const char *db_history_name(const struct rt_history *h);

/* The columns the connection's first query adds when it was given the
 * tables (rt_db_opts): ", <vt exists>, <history exists>, <lock key>". */
void db_render_probe(rt_buf *b, const struct rt_vtable *vt, const struct rt_history *h);

/* The statements rt_db_read_state sends: SELECT of the version rows, and
 * of each revision's latest checksum (see rt_history_checksums). */
void db_render_vtable_select(rt_buf *b, const struct rt_vtable *vt);
void db_render_history_select(rt_buf *b, const struct rt_history *h);
/* An expression that is true when the table exists by Alembic's has_table
 * rules (schema NULL: visible through search_path), names as literals. */
void db_render_exists(rt_buf *b, const char *schema, const char *name);
/* The lock key expression (docs/database.md) for literal schema and table. */
void db_render_lock_key(rt_buf *b, const char *schema, const char *table);

/* The lock key for (schema, table): the probe's when it was for them, else
 * computed by the server (one round trip). */
int db_lock_key(rt_db *db, const char *schema, const char *table, int64_t *key,
                rt_error *err);

/*
 * Sends sql, several statements, as one simple-query message and keeps each
 * statement's result in res[0..n) (rows in arena). The server stops at the
 * first error: its code as rt_db_exec; *done counts the results before it.
 */
int db_exec_multi(rt_db *db, rt_arena *arena, const char *sql, rt_db_result *res, size_t n,
                  size_t *done, rt_error *err);

/* Alembic's has_table (see rt_vtable_exists). */
int db_table_exists(rt_db *db, const char *schema, const char *name, bool *exists,
                    rt_error *err);

/* msg with each of secrets replaced by "***". */
const char *db_scrub(rt_arena *arena, const char *msg, const rt_strv *secrets);
/* msg with every "double-quoted" span replaced by "***": for libpq's parse
 * errors, which quote the offending part of a URL holding a password. */
const char *db_scrub_quoted(rt_arena *arena, const char *msg);

#endif
