/* Step sources (include/retort/step_source.h): the files one. */
#include "retort/project.h"
#include "retort/step_source.h"
#include "retort/translate.h"

int rt_step_source_body(const rt_step_source *src, const rt_step *step, rt_arena *arena,
                        rt_stmtlist *out, rt_error *err)
{
	*out = (rt_stmtlist){ 0 };
	if (!step->rev)
		return RT_OK;
	rt_direction dir = step->kind == RT_STEP_DOWNGRADE ? RT_DOWNGRADE : RT_UPGRADE;
	return src->body(src->ctx, step, dir, arena, out, err);
}

static int files_body(void *ctx, const rt_step *step, rt_direction dir, rt_arena *arena,
                      rt_stmtlist *out, rt_error *err)
{
	rt_files_source *fs = ctx;
	return rt_revision_body(out, arena, step->rev, dir, fs->tctx, err);
}

static void files_rewind(void *ctx)
{
	rt_files_source *fs = ctx;
	rt_arena_reset(fs->pass);
	fs->tctx = rt_translate_ctx_new(fs->pass, fs->cfg);
	if (fs->guards)
		rt_translate_ctx_allow_guards(fs->tctx);
}

static void free_pass(void *pass)
{
	rt_arena_free(pass);
}

void rt_files_source_init(rt_files_source *fs, rt_arena *arena, const rt_config *cfg)
{
	*fs = (rt_files_source){
		.source = { .body = files_body, .rewind = files_rewind, .ctx = fs },
		.cfg = cfg,
		.pass = rt_arena_new(),
	};
	rt_arena_on_free(arena, free_pass, fs->pass);
	fs->tctx = rt_translate_ctx_new(fs->pass, cfg);
}

void rt_files_source_allow_guards(rt_files_source *fs)
{
	fs->guards = true;
	rt_translate_ctx_allow_guards(fs->tctx);
}
