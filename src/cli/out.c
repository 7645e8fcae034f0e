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

void cli_print_error(struct cli_ctx *ctx, const rt_error *err)
{
	const char *message = err->message ? err->message : "unknown error";
	rt_loc shown = display_loc(&err->loc);
	rt_buf b = RT_BUF_INIT;
	if (!err->loc.path)
		rt_buf_puts(&b, "retort: ");
	append_text(ctx, &b, RT_SEV_ERROR, &err->loc, message, err->detail, err->hint, true);
	cli_emit(ctx, &(struct cli_event){
		.name = "error",
		.fields = CLI_FIELDS(CLI_STR("message", message),
		                     CLI_INT("exit_code", cli_exit_code(err->code)), CLI_LOC(&shown),
		                     CLI_STR_OPT("sqlstate", err->sqlstate[0] ? err->sqlstate : NULL),
		                     CLI_STR_OPT("object", err->object),
		                     CLI_STR_OPT("detail", err->detail), CLI_STR_OPT("hint", err->hint)),
		.text = rt_buf_cstr(&b),
		.text_flags = CLI_TEXT_STDERR | CLI_TEXT_ALWAYS,
	});
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
		rt_loc shown = display_loc(&d->loc);
		rt_buf b = RT_BUF_INIT;
		append_text(ctx, &b, d->severity, &d->loc, d->message, NULL, d->hint,
		            d->severity == RT_SEV_ERROR);
		cli_emit(ctx, &(struct cli_event){
			.name = "diagnostic",
			.fields = CLI_FIELDS(CLI_STR("severity", severity_name(d->severity)),
			                     CLI_STR("kind", d->kind), CLI_LOC(&shown),
			                     CLI_STR_OPT("revision", d->revision),
			                     CLI_STR("message", d->message), CLI_STR_OPT("hint", d->hint)),
			.text = rt_buf_cstr(&b),
			.text_flags = CLI_TEXT_STDERR | CLI_TEXT_ALWAYS,
		});
		rt_buf_release(&b);
	}
}
