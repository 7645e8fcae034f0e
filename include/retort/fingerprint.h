/*
 * Schema fingerprints (retort fingerprint, SPEC section 8): a normalised,
 * sorted, one-line-per-object description of a database's schema and its
 * BLAKE2b-256 hash, to prove two databases (a squash and its history, a live
 * database and a fresh migration) have the same schema.
 */
#ifndef RETORT_FINGERPRINT_H
#define RETORT_FINGERPRINT_H

#include "arena.h"
#include "checksum.h"
#include "common.h"
#include "db.h"
#include "error.h"

/* The tables left out: the version table and retort's history table. */
typedef struct rt_fingerprint_opts {
	const char *schema;        /* their schema; NULL: found through search_path */
	const char *version_table; /* NULL means "alembic_version" */
	const char *history_table; /* NULL means "retort_history" */
} rt_fingerprint_opts;

typedef struct rt_fingerprint {
	/* Sorted by byte (strcmp) order; each line is one object, newlines and
	 * backslashes inside definitions escaped as \n and \\, e.g.
	 *   schema public
	 *   table public.users
	 *   column public.users.email 2 character varying(255) not null
	 *   constraint public.users.users_pkey PRIMARY KEY (id)
	 *   index public.users.ix_users_email CREATE UNIQUE INDEX ix_users_email ON users ...
	 * Names are quoted as quote_ident() quotes them. */
	rt_strv lines;
	/* BLAKE2b-256 of the lines, each followed by '\n' (rt_checksum_mem). */
	char hash[RT_CHECKSUM_HEX_LEN + 1];
} rt_fingerprint;

/*
 * Describes the schema db's session sees: schemas, tables and columns, constraints,
 * indexes, sequences, enum types, views and materialised views, functions and
 * procedures, triggers and extensions; pg_catalog, information_schema, toast and
 * temporary schemas, objects that belong to an extension, and the two tables of
 * opts (with their constraints, indexes, triggers and owned sequences) are left
 * out. Reads only, in one statement (one snapshot). Strings live in arena.
 * RT_OK with *out filled; RT_EDB / RT_ECONNECT from the server; RT_ERROR when
 * libsodium cannot be initialised.
 */
int rt_fingerprint_take(rt_db *db, rt_arena *arena, const rt_fingerprint_opts *opts,
                        rt_fingerprint *out, rt_error *err);

/*
 * The differences between two fingerprints: lines of a missing from b go to
 * only_a, lines of b missing from a to only_b (both in sorted order; a line
 * repeated more often on one side is listed that many extra times). The
 * strings are a's and b's. Returns true when the two are equal.
 */
bool rt_fingerprint_diff(rt_arena *arena, const rt_fingerprint *a, const rt_fingerprint *b,
                         rt_strv *only_a, rt_strv *only_b);

#endif
