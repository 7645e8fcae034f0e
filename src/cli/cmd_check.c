/*
 * retort check: load every file, verify the graph and every body a plan
 * could need, and print every problem at once. Exit 3 when anything is
 * wrong; untranslatable bodies are warnings (they block only the plans
 * that include them).
 */
#include <string.h>

#include "cli.h"
#include "retort/bundle.h"
#include "retort/translate.h"

struct check_opts {
	bool allow_multiple_heads;
	/* What check learns while the project loads: each revision's bodies are
	 * tried as soon as it is read, while the loader still holds its parse. */
	rt_translate_ctx *tctx;
	const rt_bundle *bundle; /* bodies come from it when set, else from the files */
	rt_arena *tmp;   /* the statements of one revision, reset after it */
	rt_diags found;  /* one warning per revision retort cannot run */
	rt_diags irreversible; /* one note per downgrade() that only raises (-v) */
	rt_diags loops;  /* one note per data loop run as a guard (-v) */
	size_t refused;  /* revisions with a warning: a sidecar would run them */
	size_t unrunnable[2]; /* per direction, irreversible downgrades included */
};

static const struct cli_opt opts[] = {
	{ 0, "allow-multiple-heads", CLI_OPT_FLAG,
	  CLI_OPT_AT(struct check_opts, allow_multiple_heads), NULL,
	  "several heads are a warning, not an error" },
	{ 0 },
};

static void free_tmp(void *tmp)
{
	rt_arena_free(tmp);
}

/* Tries both bodies of rev; a revision retort cannot run gets one warning
 * naming what stops each direction. An irreversible downgrade is no such
 * warning (no sidecar is missing): it is counted and noted. */
static void check_bodies(void *arg, const rt_revision *rev)
{
	struct check_opts *bodies = arg;
	static const char *const names[] = { "upgrade", "downgrade" };
	rt_error errs[2] = { RT_ERROR_INIT, RT_ERROR_INIT };
	int first = -1;
	for (int dir = RT_UPGRADE; dir <= RT_DOWNGRADE; dir++) {
		rt_stmtlist stmts = { 0 };
		int rc = bodies->bundle
		         ? rt_bundle_body(bodies->bundle, rev, (rt_direction)dir, bodies->tmp, &stmts,
		                          &errs[dir])
		         : rt_revision_body(&stmts, bodies->tmp, rev, (rt_direction)dir, bodies->tctx,
		                            &errs[dir]);
		if (rc < 0)
			bodies->unrunnable[dir]++;
		/* runnable, on a database where its data loops find no rows */
		for (size_t i = 0; rc == RT_OK && i < stmts.n; i++)
			if (stmts.items[i]->guard) {
				rt_loc loc = rt_stmt_loc(stmts.items[i], 0);
				rt_diags_add(&bodies->loops, RT_SEV_NOTE, "data-loop", &loc,
				             stmts.items[i]->guard_hint, "%s", stmts.items[i]->guard)
					->revision = rev->id;
			}
		if (rc == RT_EIRREVERSIBLE) {
			const rt_error *e = &errs[dir];
			rt_diags_add(&bodies->irreversible, RT_SEV_NOTE, "irreversible-downgrade",
			             &e->loc, e->hint, "%s", e->message)->revision = rev->id;
			rt_error_clear(&errs[dir]);
		} else if (rc < 0 && first < 0) {
			first = dir;
		}
	}
	rt_arena_reset(bodies->tmp);
	if (first >= 0) {
		bodies->refused++;
		rt_buf why = RT_BUF_INIT;
		for (int dir = RT_UPGRADE; dir <= RT_DOWNGRADE; dir++)
			if (errs[dir].message)
				rt_buf_printf(&why, "%s%s(): %s", why.len ? "; " : "", names[dir],
				              errs[dir].message);
		const rt_error *e = &errs[first];
		rt_diag *d = rt_diags_add(&bodies->found, RT_SEV_WARNING,
		                          e->code == RT_EUNSUPPORTED ? "untranslatable-body"
		                                                     : "missing-body",
		                          e->loc.path ? &e->loc : &rev->loc, e->hint,
		                          "'%s' cannot be run by retort: %s", rev->id,
		                          rt_buf_cstr(&why));
		d->revision = rev->id;
		rt_buf_release(&why);
	}
	rt_error_clear(&errs[0]);
	rt_error_clear(&errs[1]);
}

static void prepare_load(struct cli_ctx *ctx, rt_project_opts *popts)
{
	struct check_opts *bodies = ctx->opts;
	bodies->tctx = rt_translate_ctx_new(ctx->arena, ctx->cfg);
	rt_translate_ctx_allow_guards(bodies->tctx); /* as the online run translates */
	bodies->tmp = rt_arena_new();
	rt_arena_on_free(ctx->arena, free_tmp, bodies->tmp);
	rt_diags_init(&bodies->found, ctx->arena);
	rt_diags_init(&bodies->irreversible, ctx->arena);
	rt_diags_init(&bodies->loops, ctx->arena);
	popts->loaded = check_bodies;
	popts->loaded_arg = bodies;
}

/* "ok: 3 revisions, 1 head (abc); 0 errors, 0 warnings; 3 of 3 upgrades
 * runnable; 2 of 3 downgrades runnable, 1 irreversible" */
static const char *summary_text(struct cli_ctx *ctx, const rt_revlist *heads,
                                const struct check_opts *o)
{
	size_t nrev = ctx->project->n, errors = ctx->diags.errors, warnings = ctx->diags.warnings;
	rt_buf b = RT_BUF_INIT;
	rt_buf_printf(&b, "%s: %zu revision%s, %zu head%s", errors ? "failed" : "ok", nrev,
	              nrev == 1 ? "" : "s", heads->n, heads->n == 1 ? "" : "s");
	if (heads->n == 1)
		rt_buf_printf(&b, " (%s)", heads->v[0]->id);
	rt_buf_printf(&b, "; %zu error%s, %zu warning%s; %zu of %zu upgrades runnable; %zu of %zu "
	              "downgrades runnable, %zu irreversible", errors, errors == 1 ? "" : "s",
	              warnings, warnings == 1 ? "" : "s", nrev - o->unrunnable[RT_UPGRADE], nrev,
	              nrev - o->unrunnable[RT_DOWNGRADE], nrev, o->irreversible.n);
	if (o->refused)
		rt_buf_printf(&b, "; %zu need%s a sidecar .sql", o->refused,
		              o->refused == 1 ? "s" : "");
	rt_buf_putc(&b, '\n');
	const char *text = rt_strdup(ctx->arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return text;
}

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	(void)args, (void)err;
	struct check_opts *o = ctx->opts;
	rt_graph_check_opts gopts = {
		.allow_multiple_heads = o->allow_multiple_heads || ctx->cfg->allow_multiple_heads,
	};
	rt_graph_check(ctx->graph, &gopts, &ctx->diags);
	if (ctx->bundle) { /* no files were read: the bodies are the bundle's */
		o->bundle = ctx->bundle;
		for (size_t i = 0; i < ctx->project->n; i++)
			check_bodies(o, ctx->project->revs[i]);
	}
	/* after the graph's findings, as when bodies were tried after loading */
	for (size_t i = 0; i < o->found.n; i++) {
		const rt_diag *f = o->found.items[i];
		rt_diags_add(&ctx->diags, f->severity, f->kind, &f->loc, f->hint, "%s", f->message)
			->revision = f->revision;
	}
	cli_print_diags(ctx, &ctx->diags);
	if (ctx->verbosity > 0) { /* what was ignored as Alembic ignores it; no way back */
		cli_print_diags(ctx, rt_translate_ctx_warnings(o->tctx));
		cli_print_diags(ctx, &o->irreversible);
		cli_print_diags(ctx, &o->loops);
	}

	rt_revlist heads = { 0 };
	rt_graph_heads(ctx->graph, &heads, ctx->arena);
	size_t nrev = ctx->project->n, errors = ctx->diags.errors;
	cli_emit(ctx, &(struct cli_event){
		.name = "summary",
		.fields = CLI_FIELDS(CLI_BOOL("ok", !errors), CLI_SIZE("revisions", nrev),
		                     CLI_REVIDS("heads", &heads), CLI_SIZE("errors", errors),
		                     CLI_SIZE("warnings", ctx->diags.warnings),
		                     CLI_SIZE("upgrades_runnable", nrev - o->unrunnable[RT_UPGRADE]),
		                     CLI_SIZE("downgrades_runnable",
		                              nrev - o->unrunnable[RT_DOWNGRADE]),
		                     CLI_SIZE("irreversible", o->irreversible.n),
		                     CLI_SIZE("refused", o->refused)),
		.text = summary_text(ctx, &heads, o),
		.text_flags = errors ? CLI_TEXT_ALWAYS : 0,
	});
	return errors ? RT_EGRAPH : RT_OK;
}

const struct cli_cmd cli_cmd_check = {
	.name = "check",
	.args = "[--allow-multiple-heads]",
	.summary = "verify every version file, the graph and every body; list every problem",
	.opts = opts,
	.opts_size = sizeof(struct check_opts),
	.flags = CLI_NEED_GRAPH | CLI_TOLERATE_BROKEN | CLI_FROM_BUNDLE,
	.prepare_load = prepare_load,
	.run = run,
};
