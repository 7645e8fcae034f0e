/*
 * Deploy bundles: one file holding everything a run needs (the graph, both
 * bodies of every revision as statements, the checksums the history table
 * records, the migration settings), with a whole-file hash and an optional
 * Ed25519 signature. docs/file-formats.md §6 is the byte layout.
 *
 * The writer turns a loaded project into bytes (deterministic: the same
 * project gives the same bytes); the reader takes them back with one file
 * read, checks the hash and signature, and serves the revisions (as the
 * project's) and their bodies (as an rt_step_source) without touching any
 * other file.
 */
#ifndef RETORT_BUNDLE_H
#define RETORT_BUNDLE_H

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "error.h"
#include "project.h"
#include "sign.h"
#include "step_source.h"
#include "stmt.h"

#define RT_BUNDLE_MAGIC "\x89RTB\r\n\x1a\n" /* 8 bytes */
#define RT_BUNDLE_FORMAT_VERSION 1u
#define RT_MAX_BUNDLE_FILE (512u * 1024u * 1024u)

/* Where one direction of one revision came from. */
typedef enum rt_bundle_origin {
	RT_BUNDLE_TRANSLATED = 0, /* the .py body, translated by retort */
	RT_BUNDLE_SIDECAR = 1,    /* a sidecar or standalone .sql section */
	RT_BUNDLE_ALEMBIC = 2,    /* rendered by Alembic's offline mode at bundle time */
	RT_BUNDLE_REFUSED = 3,    /* no body: untranslatable, irreversible or missing */
} rt_bundle_origin;

/* "translated", "sidecar", "alembic", "refused" */
const char *rt_bundle_origin_name(rt_bundle_origin origin);

/*
 * Supplies a body retort cannot produce itself (--with-alembic). Called by
 * rt_bundle_build for each revision and direction whose rt_revision_body
 * refused to translate it (RT_EUNSUPPORTED, RT_ELIMIT; not an irreversible
 * downgrade or a missing function), with that failure in why. Either appends the statements (in arena,
 * each with no_transaction as it must run) to out and returns RT_OK: the
 * direction is recorded as RT_BUNDLE_ALEMBIC; or returns RT_ENOTFOUND with
 * err untouched: the direction is recorded as refused, with why; or fails
 * with err set (any other code): the build stops with that error.
 */
typedef int (*rt_bundle_render_fn)(void *ctx, const rt_revision *rev, rt_direction dir,
                                   const rt_error *why, rt_arena *arena, rt_stmtlist *out,
                                   rt_error *err);

typedef struct rt_bundle_write_opts {
	const rt_config *cfg;        /* settings recorded; its `types:` map translates */
	const rt_sign_secret *sign;  /* NULL: unsigned */
	rt_bundle_render_fn render;  /* NULL: refused directions stay refused */
	void *render_ctx;
} rt_bundle_write_opts;

/*
 * The bundle of project (revisions in load order, as rt_project_load made
 * them) appended to out: every body produced with rt_revision_body, each
 * revision with a fresh translation context. Errors: RT_ESYNTAX for a
 * sidecar that does not parse, the render callback's, RT_ERROR when
 * libsodium fails.
 */
int rt_bundle_build(rt_buf *out, const rt_project *project, const rt_bundle_write_opts *opts,
                    rt_error *err);

/* bytes written to path atomically (a temporary file beside it, fsynced,
 * renamed over it, the folder synced); mode 0644. RT_EOS on failure. */
int rt_bundle_write_file(const char *path, const rt_buf *bytes, rt_error *err);

typedef struct rt_bundle rt_bundle;

/*
 * Parses a bundle held in data[0..len) (copied into arena); path names it in
 * messages. Checks, in this order: the magic and format version, the layout
 * of the header and trailer (RT_ESYNTAX: malformed, exit 3), the whole-file
 * hash and, when signed, the signature against the key it names
 * (RT_ESIGNATURE, exit 9), then every field of the contents (RT_ESYNTAX).
 * Trust is not judged here: see rt_bundle_trust.
 */
int rt_bundle_parse(rt_bundle **out, rt_arena *arena, const char *path, const void *data,
                    size_t len, rt_error *err);

/* rt_bundle_parse on the file at path, read with one read (RT_EOS when it
 * cannot be read, RT_ELIMIT over RT_MAX_BUNDLE_FILE). */
int rt_bundle_load(rt_bundle **out, rt_arena *arena, const char *path, rt_error *err);

/*
 * With keys[0..n), n > 0: RT_OK when the bundle is signed by one of them,
 * else RT_ESIGNATURE naming the signer's fingerprint (or that it is
 * unsigned) with a hint. With n == 0: RT_OK.
 */
int rt_bundle_trust(const rt_bundle *b, const rt_sign_public *keys, size_t n, rt_error *err);

/* The signer's public key, or NULL for an unsigned bundle. */
const rt_sign_public *rt_bundle_signer(const rt_bundle *b);
uint32_t rt_bundle_format_version(const rt_bundle *b);

/* The revisions, in the writer's load order, as a project: every field the
 * graph, listings and history rows read (py carries the docstrings only;
 * sql is NULL). Owned by the bundle's arena. */
rt_project *rt_bundle_project(const rt_bundle *b);

/* The recorded migration settings copied into cfg (version table and
 * schema, its primary key, history table, transaction mode). */
void rt_bundle_settings(const rt_bundle *b, rt_config *cfg);

/* Where rev's body in dir came from; rev must be one of rt_bundle_project's. */
rt_bundle_origin rt_bundle_body_origin(const rt_bundle *b, const rt_revision *rev,
                                       rt_direction dir);

/*
 * rev's statements in dir from the bundle (pointing into its bytes, no
 * source positions), or, for a refused direction, the recorded error (its
 * code, message, hint and location, as rt_revision_body gave them).
 */
int rt_bundle_body(const rt_bundle *b, const rt_revision *rev, rt_direction dir,
                   rt_arena *arena, rt_stmtlist *out, rt_error *err);

/* A step source over the bundle's bodies. Over one pass (between rewinds) a
 * statement with a once_key is sent for the first body holding it only, as
 * the files source's translation context does (Alembic's enum memo). */
typedef struct rt_bundle_source {
	rt_step_source source;
	const rt_bundle *bundle;
	rt_arena *pass;  /* the keys sent this pass, reset by rewind */
	rt_strv sent;
} rt_bundle_source;

/* Sets bs up (bs->source points at bs: keep it where it is); what it
 * allocates is released with arena. */
void rt_bundle_source_init(rt_bundle_source *bs, rt_arena *arena, const rt_bundle *b);

#endif
