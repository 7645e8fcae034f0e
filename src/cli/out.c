/*
 * Human and JSON rendering of errors and diagnostics. Text goes to stderr
 * in the compiler shape (path:line:col: error: message, the source line,
 * a caret, then hint); JSON is one object per line on stdout.
 */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "retort/source.h"

#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define CYAN "\033[1;36m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

static const char *severity_name(rt_severity s)
{
	switch (s) {
	case RT_SEV_ERROR: return "error";
	case RT_SEV_WARNING: return "warning";
	case RT_SEV_NOTE: return "note";
	}
	return "error";
}

static const char *severity_color(rt_severity s)
{
	return s == RT_SEV_ERROR ? RED : s == RT_SEV_WARNING ? YELLOW : CYAN;
}

/* The offending source line and a caret under the span, when the file can
 * still be read (errors are rare, so reading it again is cheap enough). */
static void append_excerpt(struct cli_ctx *ctx, rt_buf *b, const rt_loc *loc)
{
	if (!loc->path || !loc->line)
		return;
	rt_arena *scratch = rt_arena_new();
	rt_source *src;
	rt_error ignored = RT_ERROR_INIT;
	if (rt_source_load(&src, scratch, loc->path, &ignored) == RT_OK) {
		size_t n;
		const char *line = rt_source_line(src, loc->line, &n);
		if (n > 0 && n < 400) {
			rt_buf_printf(b, "%5u | %.*s\n      | ", loc->line, (int)n, line);
			for (uint32_t c = 1; c < loc->col; c++)
				rt_buf_putc(b, ' ');
			size_t width = 1;
			if (loc->len > 1) {
				/* underline the span, but not past the end of the line */
				size_t start = loc->offset, line_start = (size_t)(line - src->text);
				size_t end = start + loc->len, line_end = line_start + n;
				width = (end > line_end ? line_end : end) - start;
				if (width == 0 || start < line_start || start > line_end)
					width = 1;
			}
			if (ctx->color)
				rt_buf_puts(b, severity_color(RT_SEV_ERROR));
			rt_buf_putc(b, '^');
			for (size_t i = 1; i < width; i++)
				rt_buf_putc(b, '~');
			if (ctx->color)
				rt_buf_puts(b, RESET);
			rt_buf_putc(b, '\n');
		}
	}
	rt_error_clear(&ignored);
	rt_arena_free(scratch);
}

void cli_json_strv(rt_buf *f, const char *key, const rt_strv *sv)
{
	rt_buf_printf(f, "\"%s\":[", key);
	for (size_t i = 0; i < sv->n; i++) {
		if (i)
			rt_buf_putc(f, ',');
		rt_buf_json_str(f, sv->v[i]);
	}
	rt_buf_putc(f, ']');
}

void cli_write(FILE *f, const rt_buf *b)
{
	if (b->len)
		fwrite(b->ptr, 1, b->len, f);
}

const char *cli_relpath(const char *path)
{
	static char cwd[4096];
	static size_t cwd_len;
	if (!cwd_len && getcwd(cwd, sizeof(cwd) - 1))
		cwd_len = strlen(cwd);
	if (!path || !cwd_len || strncmp(path, cwd, cwd_len) != 0)
		return path;
	if (path[cwd_len] == '/' && path[cwd_len + 1])
		return path + cwd_len + 1;
	return path[cwd_len] ? path : ".";
}

static rt_loc display_loc(const rt_loc *loc)
{
	rt_loc shown = *loc;
	shown.path = cli_relpath(loc->path);
	return shown;
}

static void append_text(struct cli_ctx *ctx, rt_buf *b, rt_severity sev, const rt_loc *loc,
                        const char *message, const char *detail, const char *hint,
                        bool excerpt)
{
	if (ctx->color)
		rt_buf_puts(b, BOLD);
	rt_loc shown = display_loc(loc);
	rt_loc_format(b, &shown);
	if (ctx->color)
		rt_buf_printf(b, "%s%s:" RESET " ", severity_color(sev), severity_name(sev));
	else
		rt_buf_printf(b, "%s: ", severity_name(sev));
	rt_buf_printf(b, "%s\n", message);
	if (excerpt)
		append_excerpt(ctx, b, loc);
	if (detail)
		rt_buf_printf(b, "  detail: %s\n", detail);
	if (hint)
		rt_buf_printf(b, "  hint: %s\n", hint);
}

static void append_json_loc(rt_buf *f, const rt_loc *loc)
{
	if (!loc->path)
		return;
	rt_buf_puts(f, ",\"file\":");
	rt_buf_json_str(f, display_loc(loc).path);
	if (loc->line)
		rt_buf_printf(f, ",\"line\":%u", loc->line);
	if (loc->col)
		rt_buf_printf(f, ",\"col\":%u", loc->col);
}

void cli_json_event(struct cli_ctx *ctx, const char *name, const rt_buf *fields)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, "{\"event\":");
	rt_buf_json_str(&b, name);
	if (fields && fields->len) {
		rt_buf_putc(&b, ',');
		rt_buf_add(&b, fields->ptr, fields->len);
	}
	rt_buf_puts(&b, "}\n");
	cli_write(ctx->out, &b);
	rt_buf_release(&b);
}

void cli_print_error(struct cli_ctx *ctx, const rt_error *err)
{
	const char *message = err->message ? err->message : "unknown error";
	if (ctx->format == RT_FORMAT_JSON) {
		rt_buf f = RT_BUF_INIT;
		rt_buf_puts(&f, "\"message\":");
		rt_buf_json_str(&f, message);
		rt_buf_printf(&f, ",\"exit_code\":%d", cli_exit_code(err->code));
		append_json_loc(&f, &err->loc);
		if (err->sqlstate[0]) {
			rt_buf_puts(&f, ",\"sqlstate\":");
			rt_buf_json_str(&f, err->sqlstate);
		}
		if (err->object) {
			rt_buf_puts(&f, ",\"object\":");
			rt_buf_json_str(&f, err->object);
		}
		if (err->detail) {
			rt_buf_puts(&f, ",\"detail\":");
			rt_buf_json_str(&f, err->detail);
		}
		if (err->hint) {
			rt_buf_puts(&f, ",\"hint\":");
			rt_buf_json_str(&f, err->hint);
		}
		cli_json_event(ctx, "error", &f);
		rt_buf_release(&f);
		return;
	}
	rt_buf b = RT_BUF_INIT;
	if (!err->loc.path)
		rt_buf_puts(&b, "retort: ");
	append_text(ctx, &b, RT_SEV_ERROR, &err->loc, message, err->detail, err->hint, true);
	cli_write(ctx->err, &b);
	rt_buf_release(&b);
}

void cli_print_diags(struct cli_ctx *ctx, rt_diags *diags)
{
	rt_diags_sort(diags);
	/* errors first: they are what breaks a deploy; then warnings and notes */
	for (size_t k = 0; k < 3 * diags->n; k++) {
		const rt_diag *d = diags->items[k % diags->n];
		if ((size_t)d->severity != k / diags->n)
			continue;
		if (ctx->verbosity < 0 && d->severity != RT_SEV_ERROR)
			continue;
		if (ctx->format == RT_FORMAT_JSON) {
			rt_buf f = RT_BUF_INIT;
			rt_buf_puts(&f, "\"severity\":");
			rt_buf_json_str(&f, severity_name(d->severity));
			rt_buf_puts(&f, ",\"kind\":");
			rt_buf_json_str(&f, d->kind);
			append_json_loc(&f, &d->loc);
			if (d->revision) {
				rt_buf_puts(&f, ",\"revision\":");
				rt_buf_json_str(&f, d->revision);
			}
			rt_buf_puts(&f, ",\"message\":");
			rt_buf_json_str(&f, d->message);
			if (d->hint) {
				rt_buf_puts(&f, ",\"hint\":");
				rt_buf_json_str(&f, d->hint);
			}
			cli_json_event(ctx, "diagnostic", &f);
			rt_buf_release(&f);
			continue;
		}
		rt_buf b = RT_BUF_INIT;
		append_text(ctx, &b, d->severity, &d->loc, d->message, NULL, d->hint,
		            d->severity == RT_SEV_ERROR);
		cli_write(ctx->err, &b);
		rt_buf_release(&b);
	}
}

int cli_expect_args(struct cli_ctx *ctx, const rt_strv *args, size_t min, size_t max,
                    rt_error *err)
{
	if (args->n < min)
		return rt_error_set(err, RT_EUSAGE, NULL, "'%s' needs %s argument%s", ctx->cmd_name,
		                    min == max ? "exactly one" : "more", min == 1 ? "" : "s");
	if (args->n > max) {
		if (max == 0)
			return rt_error_set(err, RT_EUSAGE, NULL, "'%s' takes no arguments (got '%s')",
			                    ctx->cmd_name, args->v[0]);
		return rt_error_set(err, RT_EUSAGE, NULL, "too many arguments for '%s' (unexpected '%s')",
		                    ctx->cmd_name, args->v[max]);
	}
	return RT_OK;
}
