/*
 * Table-driven option parsing for the CLI. Each command declares its
 * options as a table; parsing, usage and --help all come from it, so they
 * cannot drift apart. Global options are accepted before or after the
 * command name.
 */
#ifndef RETORT_CLI_OPT_H
#define RETORT_CLI_OPT_H

#include <stdbool.h>
#include <stddef.h>

#include "retort/arena.h"
#include "retort/error.h"

enum cli_opt_kind {
	CLI_OPT_FLAG,   /* --x: sets *(bool *)dest */
	CLI_OPT_STRING, /* --x VALUE: sets *(const char **)dest */
	CLI_OPT_LIST,   /* --x VALUE, repeatable: appends to *(rt_strv *)dest */
	CLI_OPT_COUNT,  /* -v -v: increments *(int *)dest */
};

struct cli_opt {
	char short_name;       /* 0 when none */
	const char *long_name; /* without the leading dashes; NULL ends a table */
	enum cli_opt_kind kind;
	void *dest;
	const char *value_name; /* e.g. "URL", for usage */
	const char *help;
};

/*
 * Parses argv against up to two tables (the command's and the global one).
 * Non-option words are collected into *positional. Words that look like
 * negative or relative numbers ("-1", "+2", "-1:current") are positional,
 * not options, so `downgrade -1` works as in Alembic. "--" ends options.
 * Returns RT_OK or RT_EUSAGE with a message in err.
 */
int cli_opt_parse(int argc, char **argv, const struct cli_opt *a, const struct cli_opt *b,
                  rt_arena *arena, rt_strv *positional, rt_error *err);

/* Appends an aligned option list ("  -d, --database URL   help") to b. */
void cli_opt_usage(rt_buf *b, const struct cli_opt *opts);

#endif
