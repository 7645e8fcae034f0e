/* Option parsing from tables; see opt.h. */
#include <ctype.h>
#include <string.h>

#include "opt.h"

static bool looks_numeric(const char *arg)
{
	/* "-1", "+2", "-1:current": relative revisions, not options */
	return (arg[0] == '-' || arg[0] == '+') && isdigit((unsigned char)arg[1]);
}

/* An option found in one of the tables, with the struct its value goes to. */
struct found {
	const struct cli_opt *o;
	void *base;
};

static const struct cli_opt *find_long(const struct cli_opt *t, const char *name, size_t n)
{
	for (; t && t->long_name; t++)
		if (strlen(t->long_name) == n && strncmp(t->long_name, name, n) == 0)
			return t;
	return NULL;
}

const struct cli_opt *cli_opt_find(const struct cli_opt *opts, const char *name)
{
	return find_long(opts, name, strlen(name));
}

static const struct cli_opt *find_short(const struct cli_opt *t, char c)
{
	for (; t && t->long_name; t++)
		if (t->short_name == c)
			return t;
	return NULL;
}

/* The long option name (n bytes), or the short one c when name is NULL: in
 * a first, then in b. */
static struct found find_in(const struct cli_optset *a, const struct cli_optset *b,
                            const char *name, size_t n, char c)
{
	const struct cli_optset *sets[] = { a, b };
	for (size_t i = 0; i < 2; i++) {
		if (!sets[i])
			continue;
		const struct cli_opt *o = name ? find_long(sets[i]->opts, name, n)
		                               : find_short(sets[i]->opts, c);
		if (o)
			return (struct found){ o, sets[i]->base };
	}
	return (struct found){ NULL, NULL };
}

static void apply(struct found f, const char *value, rt_arena *arena)
{
	void *dest = (char *)f.base + f.o->offset;
	switch (f.o->kind) {
	case CLI_OPT_FLAG: *(bool *)dest = true; break;
	case CLI_OPT_COUNT: (*(int *)dest)++; break;
	case CLI_OPT_STRING: *(const char **)dest = value; break;
	case CLI_OPT_LIST: rt_strv_push(arena, (rt_strv *)dest, value); break;
	}
}

static bool takes_value(const struct cli_opt *o)
{
	return o->kind == CLI_OPT_STRING || o->kind == CLI_OPT_LIST;
}

int cli_opt_parse(int argc, char **argv, const struct cli_optset *a, const struct cli_optset *b,
                  rt_arena *arena, rt_strv *positional, rt_error *err)
{
	bool only_positional = false;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		if (only_positional || arg[0] != '-' || arg[1] == '\0' || looks_numeric(arg)) {
			rt_strv_push(arena, positional, arg);
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_positional = true;
			continue;
		}
		if (arg[1] == '-') {
			const char *name = arg + 2, *eq = strchr(name, '=');
			size_t n = eq ? (size_t)(eq - name) : strlen(name);
			struct found f = find_in(a, b, name, n, 0);
			const struct cli_opt *o = f.o;
			if (!o)
				return rt_error_set(err, RT_EUSAGE, NULL, "unknown option '--%.*s'",
				                    (int)n, name);
			if (!takes_value(o)) {
				if (eq)
					return rt_error_set(err, RT_EUSAGE, NULL,
					                    "option '--%s' takes no value", o->long_name);
				apply(f, NULL, arena);
			} else if (eq) {
				apply(f, eq + 1, arena);
			} else if (i + 1 < argc) {
				apply(f, argv[++i], arena);
			} else {
				return rt_error_set(err, RT_EUSAGE, NULL, "option '--%s' needs a value (%s)",
				                    o->long_name, o->value_name ? o->value_name : "VALUE");
			}
			continue;
		}
		/* a cluster of short options: -qv, -dURL, -d URL */
		for (const char *p = arg + 1; *p; p++) {
			struct found f = find_in(a, b, NULL, 0, *p);
			if (!f.o)
				return rt_error_set(err, RT_EUSAGE, NULL, "unknown option '-%c'", *p);
			if (!takes_value(f.o)) {
				apply(f, NULL, arena);
				continue;
			}
			if (p[1]) {
				apply(f, p + 1, arena);
			} else if (i + 1 < argc) {
				apply(f, argv[++i], arena);
			} else {
				return rt_error_set(err, RT_EUSAGE, NULL, "option '-%c' needs a value (%s)",
				                    *p, f.o->value_name ? f.o->value_name : "VALUE");
			}
			break;
		}
	}
	return RT_OK;
}

void cli_opt_usage(rt_buf *b, const struct cli_opt *opts)
{
	for (const struct cli_opt *o = opts; o && o->long_name; o++) {
		size_t start = b->len;
		if (o->short_name)
			rt_buf_printf(b, "  -%c, --%s", o->short_name, o->long_name);
		else
			rt_buf_printf(b, "      --%s", o->long_name);
		if (takes_value(o))
			rt_buf_printf(b, " %s", o->value_name ? o->value_name : "VALUE");
		size_t width = b->len - start;
		if (width + 2 > 32) { /* too long for the column: help on its own line */
			rt_buf_putc(b, '\n');
			width = 0;
		}
		do
			rt_buf_putc(b, ' ');
		while (++width < 32);
		rt_buf_printf(b, "%s\n", o->help);
	}
}
