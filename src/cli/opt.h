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
	CLI_OPT_FLAG,   /* --x: sets a bool */
	CLI_OPT_STRING, /* --x VALUE: sets a const char * */
	CLI_OPT_LIST,   /* --x VALUE, repeatable: appends to an rt_strv */
	CLI_OPT_COUNT,  /* -v -v: increments an int */
};

/* Where an option's value goes: a member of the options struct the table
 * describes, e.g. CLI_OPT_AT(struct heads_opts, resolve_dependencies). */
#define CLI_OPT_AT(type, member) offsetof(type, member)

struct cli_opt {
	char short_name;       /* 0 when none */
	const char *long_name; /* without the leading dashes; NULL ends a table */
	enum cli_opt_kind kind;
	size_t offset;         /* CLI_OPT_AT(...) into the options struct */
	const char *value_name; /* e.g. "URL", for usage */
	const char *help;
};

/* A table and the options struct its offsets point into. */
struct cli_optset {
	const struct cli_opt *opts;
	void *base;
};

/* The long option named name in opts, or NULL. */
const struct cli_opt *cli_opt_find(const struct cli_opt *opts, const char *name);

/*
 * Parses argv against up to two tables (the command's and the global one).
 * Non-option words are collected into *positional. Words that look like
 * negative or relative numbers ("-1", "+2", "-1:current") are positional,
 * not options, so `downgrade -1` works as in Alembic. "--" ends options.
 * Returns RT_OK or RT_EUSAGE with a message in err.
 */
int cli_opt_parse(int argc, char **argv, const struct cli_optset *a, const struct cli_optset *b,
                  rt_arena *arena, rt_strv *positional, rt_error *err);

/* Appends an aligned option list ("  -d, --database URL   help") to b. */
void cli_opt_usage(rt_buf *b, const struct cli_opt *opts);

#endif
