/*
 * The output layer: every event a command emits has a JSON form (a name and
 * typed fields) and a text form (a string and where it goes). One renderer,
 * chosen once from --format, prints the form it knows; the commands never
 * ask which one it is.
 */
#include "cli.h"

static void json_ids(rt_buf *b, const rt_revlist *revs)
{
	rt_buf_putc(b, '[');
	for (size_t i = 0; i < revs->n; i++) {
		if (i)
			rt_buf_putc(b, ',');
		rt_buf_json_str(b, revs->v[i]->id);
	}
	rt_buf_putc(b, ']');
}

static void json_strv(rt_buf *b, const rt_strv *sv)
{
	rt_buf_putc(b, '[');
	for (size_t i = 0; i < sv->n; i++) {
		if (i)
			rt_buf_putc(b, ',');
		rt_buf_json_str(b, sv->v[i]);
	}
	rt_buf_putc(b, ']');
}

static void json_loc(rt_buf *b, const rt_loc *loc, bool *first)
{
	if (!loc->path)
		return;
	rt_buf_puts(b, *first ? "\"file\":" : ",\"file\":");
	*first = false;
	rt_buf_json_str(b, loc->path);
	if (loc->line)
		rt_buf_printf(b, ",\"line\":%u", loc->line);
	if (loc->col)
		rt_buf_printf(b, ",\"col\":%u", loc->col);
}

static void json_value(rt_buf *b, const struct cli_field *f)
{
	switch (f->type) {
	case CLI_FIELD_STR: rt_buf_json_str(b, f->v.s); break;
	case CLI_FIELD_STRN: rt_buf_json_strn(b, f->v.s, f->n); break;
	case CLI_FIELD_BOOL: rt_buf_puts(b, f->v.b ? "true" : "false"); break;
	case CLI_FIELD_SIZE: rt_buf_printf(b, "%zu", f->v.z); break;
	case CLI_FIELD_INT: rt_buf_printf(b, "%lld", f->v.i); break;
	case CLI_FIELD_FIXED: rt_buf_printf(b, "%.*f", (int)f->n, f->v.d); break;
	case CLI_FIELD_STRV: json_strv(b, f->v.strv); break;
	case CLI_FIELD_REVIDS: json_ids(b, f->v.revs); break;
	case CLI_FIELD_JSON: rt_buf_puts(b, f->v.s); break;
	case CLI_FIELD_LOC:
	case CLI_FIELD_END: break;
	}
}

/* Appends the members of fields, each after a comma unless *first. */
static void json_members(rt_buf *b, const struct cli_field *fields, bool *first)
{
	for (const struct cli_field *f = fields; f && f->type != CLI_FIELD_END; f++) {
		if (f->type == CLI_FIELD_LOC) {
			json_loc(b, f->v.loc, first);
			continue;
		}
		if (f->omit_null && !f->v.s)
			continue;
		if (!*first)
			rt_buf_putc(b, ',');
		*first = false;
		rt_buf_json_str(b, f->key);
		rt_buf_putc(b, ':');
		json_value(b, f);
	}
}

void cli_json_object(rt_buf *b, const struct cli_field *fields)
{
	bool first = true;
	rt_buf_putc(b, '{');
	json_members(b, fields, &first);
	rt_buf_putc(b, '}');
}

/* {"event":NAME, <fields>} where fields is a fragment of encoded members. */
static void json_line(struct cli_ctx *ctx, const char *name, const rt_buf *fields)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, "{\"event\":");
	rt_buf_json_str(&b, name);
	if (ctx->target) {
		rt_buf_puts(&b, ",\"target\":");
		rt_buf_json_str(&b, ctx->target);
	}
	if (fields && fields->len) {
		rt_buf_putc(&b, ',');
		rt_buf_add(&b, fields->ptr, fields->len);
	}
	rt_buf_puts(&b, "}\n");
	cli_write(ctx->out, &b);
	rt_buf_release(&b);
}

/* One object per line on stdout. */
static void render_json(struct cli_ctx *ctx, const struct cli_event *ev)
{
	if (!ev->name)
		return;
	rt_buf f = RT_BUF_INIT;
	bool first = true;
	json_members(&f, ev->fields, &first);
	json_line(ctx, ev->name, &f);
	rt_buf_release(&f);
}

static void render_text(struct cli_ctx *ctx, const struct cli_event *ev)
{
	unsigned fl = ev->text_flags;
	if (!ev->text || (ctx->verbosity < 0 && !(fl & CLI_TEXT_ALWAYS)) ||
	    (ctx->verbosity <= 0 && (fl & CLI_TEXT_VERBOSE)))
		return;
	FILE *f = fl & CLI_TEXT_STDERR ? ctx->err : ctx->out;
	fputs(ev->text, f);
	if (fl & CLI_TEXT_FLUSH)
		fflush(f);
}

void cli_set_format(struct cli_ctx *ctx, rt_format format)
{
	ctx->format = format;
	ctx->render = format == RT_FORMAT_JSON ? render_json : render_text;
}

void cli_emit(struct cli_ctx *ctx, const struct cli_event *ev)
{
	(ctx->render ? ctx->render : render_text)(ctx, ev);
}
