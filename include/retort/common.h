/*
 * Shared definitions for the retort library: version, status codes and
 * compiler attributes. Every public header includes this one.
 */
#ifndef RETORT_COMMON_H
#define RETORT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT_VERSION "0.1.0"

/*
 * Status codes returned by library functions. Zero is success; every error
 * is negative so callers can write `if (rt_x(...) < 0)`. The CLI maps each
 * code to an exit status (SPEC §2) in one place, src/cli/exitcode.c.
 */
typedef enum rt_code {
	RT_OK = 0,
	RT_ERROR = -1,       /* internal error; message says what */
	RT_ENOTFOUND = -2,   /* file, revision, config key */
	RT_EAMBIGUOUS = -3,  /* a prefix or symbol matches several revisions */
	RT_ESYNTAX = -4,     /* version file, SQL file, config syntax */
	RT_EGRAPH = -5,      /* cycle, dangling reference, multiple heads */
	RT_EUNSUPPORTED = -6, /* a body construct retort cannot translate */
	RT_ECONFIG = -7,     /* bad configuration value */
	RT_EUSAGE = -8,      /* bad command line */
	RT_EDRIFT = -9,      /* applied checksum changed, unknown revision in db */
	RT_ELOCKED = -10,    /* migration lock not acquired in time */
	RT_ECONNECT = -11,   /* database unreachable or authentication failed */
	RT_EDB = -12,        /* a statement failed on the server */
	RT_EOS = -13,        /* a system call failed */
	RT_ELIMIT = -14,     /* input exceeds a named size cap */
	RT_EINTR = -15,      /* interrupted by a signal */
	RT_EFINDINGS = -16,  /* lint findings at or above --fail-on */
	RT_EIRREVERSIBLE = -17, /* a downgrade() that only raises: no way back */
	RT_ESIGNATURE = -18, /* a bundle's hash or signature is wrong, or its signer untrusted */
} rt_code;

/* Named input caps: a larger input is refused with RT_ELIMIT, never OOM. */
#define RT_MAX_SOURCE_FILE (16u * 1024u * 1024u) /* one version or SQL file */
#define RT_MAX_REVISION_ID 32u  /* alembic_version.version_num is VARCHAR(32) */
#define RT_MAX_NESTING 200u     /* brackets / expression / block depth */

#if defined(__GNUC__) || defined(__clang__)
#define RT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args), nonnull(fmt)))
#define RT_NORETURN __attribute__((noreturn))
#define RT_UNUSED __attribute__((unused))
#else
#define RT_PRINTF(fmt, args)
#define RT_NORETURN
#define RT_UNUSED
#endif

#endif
