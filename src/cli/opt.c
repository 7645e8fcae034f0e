/* Option parsing from tables; see opt.h. */
#include <ctype.h>
#include <string.h>

#include "opt.h"

static bool looks_numeric(const char *arg)
{
	/* "-1", "+2", "-1:current": relative revisions, not options */
	return (arg[0] == '-' || arg[0] == '+') && isdigit((unsigned char)arg[1]);
}

static const struct cli_opt *find_long(const struct cli_opt *t, const char *name, size_t n)
{
	for (; t && t->long_name; t++)
		if (strlen(t->long_name) == n && strncmp(t->long_name, name, n) == 0)
			return t;
	return NULL;
}

static const struct cli_opt *find_short(const struct cli_opt *t, char c)
{
	for (; t && t->long_name; t++)
		if (t->short_name == c)
			return t;
	return NULL;
}

static int apply(const struct cli_opt *o, const char *value, rt_arena *arena)
{
	switch (o->kind) {
	case CLI_OPT_FLAG: *(bool *)o->dest = true; break;
	case CLI_OPT_COUNT: (*(int *)o->dest)++; break;
	case CLI_OPT_STRING: *(const char **)o->dest = value; break;
	case CLI_OPT_LIST: rt_strv_push(arena, (rt_strv *)o->dest, value); break;
	}
	return RT_OK;
}

static bool takes_value(const struct cli_opt *o)
{
	return o->kind == CLI_OPT_STRING || o->kind == CLI_OPT_LIST;
}

int cli_opt_parse(int argc, char **argv, const struct cli_opt *a, const struct cli_opt *b,
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
			const struct cli_opt *o = find_long(a, name, n);
			if (!o)
				o = find_long(b, name, n);
			if (!o)
				return rt_error_set(err, RT_EUSAGE, NULL, "unknown option '--%.*s'",
				                    (int)n, name);
			if (!takes_value(o)) {
				if (eq)
					return rt_error_set(err, RT_EUSAGE, NULL,
					                    "option '--%s' takes no value", o->long_name);
				apply(o, NULL, arena);
			} else if (eq) {
				apply(o, eq + 1, arena);
			} else if (i + 1 < argc) {
				apply(o, argv[++i], arena);
			} else {
				return rt_error_set(err, RT_EUSAGE, NULL, "option '--%s' needs a value (%s)",
				                    o->long_name, o->value_name ? o->value_name : "VALUE");
			}
			continue;
		}
		/* a cluster of short options: -qv, -dURL, -d URL */
		for (const char *p = arg + 1; *p; p++) {
			const struct cli_opt *o = find_short(a, *p);
			if (!o)
				o = find_short(b, *p);
			if (!o)
				return rt_error_set(err, RT_EUSAGE, NULL, "unknown option '-%c'", *p);
			if (!takes_value(o)) {
				apply(o, NULL, arena);
				continue;
			}
			if (p[1]) {
				apply(o, p + 1, arena);
			} else if (i + 1 < argc) {
				apply(o, argv[++i], arena);
			} else {
				return rt_error_set(err, RT_EUSAGE, NULL, "option '-%c' needs a value (%s)",
				                    *p, o->value_name ? o->value_name : "VALUE");
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
