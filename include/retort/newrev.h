/*
 * New version files (`retort revision [--sql]` / `retort merge`): the text
 * Alembic 1.8.1's stock script.py.mako renders with no autogenerate content
 * (or with bodies that run a sidecar .sql), the file name from alembic.ini's
 * file_template, and a write that never overwrites. No Mako runs: the
 * template's output is reproduced exactly.
 */
#ifndef RETORT_NEWREV_H
#define RETORT_NEWREV_H

#include "arena.h"
#include "buf.h"
#include "common.h"
#include "error.h"

/* The create date, as Python's datetime holds it. */
typedef struct rt_newrev_time {
	int year, month, day, hour, minute, second, usec;
	long long epoch;  /* seconds since 1970 (int(create_date.timestamp())) */
	bool aware;       /* a timezone was configured: str() adds "+HH:MM" */
	long utc_offset;  /* seconds east of UTC, when aware */
} rt_newrev_time;

typedef struct rt_newrev {
	const char *rev_id;
	const char *message; /* NULL: Alembic's "empty message" (and an empty slug) */
	rt_strv down;        /* parents in order; empty = a new base */
	rt_strv labels;      /* branch_labels; empty = None */
	rt_strv depends;     /* depends_on (resolved ids or labels); empty = None */
	rt_newrev_time date;
} rt_newrev;

/*
 * The current time as Alembic's _generate_create_date makes it: local and
 * naive when tz is NULL, else aware in zone tz ("UTC"/"GMT" in any
 * case, or an IANA name found under $TZDIR or /usr/share/zoneinfo, tried as
 * given then upper-cased). Briefly sets TZ while converting (not thread
 * safe). RT_OK, or RT_ECONFIG "cannot locate timezone 'X'".
 */
int rt_newrev_now(rt_newrev_time *out, const char *tz, rt_error *err);

/*
 * Refuses what Alembic or retort could not read back: a revision id that is
 * empty or holds '@', '-', '+', a quote, a backslash or white space, and a
 * message holding '"""' or ending in '"' or '\\'. RT_OK or RT_EUSAGE.
 */
int rt_newrev_validate(const rt_newrev *nr, rt_error *err);

/* Appends the whole file text (stock 1.8.1 template, empty upgrade/downgrade). */
void rt_newrev_render(rt_buf *b, const rt_newrev *nr);

/*
 * Appends the text of a version file whose SQL lives in a sidecar X.sql
 * beside it: the stock header, docstring and identifiers (with the imports
 * contextlib, itertools, os and re where autogenerate puts its imports),
 * then upgrade()/downgrade() that run the sidecar's sections for their
 * direction under Alembic: the markers read as retort reads them, sections
 * split into the statements retort sends, each sent unchanged (no bind
 * parameters); no-transaction runs in an autocommit block; offline, the
 * statements are written as they are. A direction without a section raises.
 */
void rt_newrev_render_loader(rt_buf *b, const rt_newrev *nr);

/* Appends a new sidecar's text: a two-line comment, then empty
 * '-- retort:upgrade' and '-- retort:downgrade' sections. */
void rt_newrev_render_sql(rt_buf *b);

/* Alembic's slug: the message's \w+ runs joined by '_', lower-cased, cut at
 * a '_' (keeping it) when longer than truncate_len. Appended to b. */
void rt_newrev_slug(rt_buf *b, const char *message, int truncate_len);

/*
 * Appends the file name (with ".py") made from a Python %-template with the
 * keys rev, slug (strings) and year, month, day, hour, minute, second,
 * epoch (integers); conversions s and d with flags, width and precision,
 * and "%%". RT_OK, or RT_ECONFIG for an unknown key, a bad conversion or a
 * name holding '/'.
 */
int rt_newrev_filename(rt_buf *b, const char *file_template, int truncate_slug_length,
                       const rt_newrev *nr, rt_error *err);

/*
 * Creates path with text, exclusively and atomically: the text is written
 * and fsynced under a temporary name beside path, then linked in as path
 * (which fails if path exists) and the folder synced, so path is either
 * absent or complete. RT_OK, RT_EUSAGE when the file already exists (never
 * overwritten), or RT_EOS when it cannot be created or written.
 */
int rt_newrev_write(const char *path, const rt_buf *text, rt_error *err);

#endif
