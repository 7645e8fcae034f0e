/* Revision listings shared by heads, branches, history and show. */
#include "cli.h"
#include "retort/revfile.h"

void cli_emit_revisions(struct cli_ctx *ctx, const rt_revlist *revs, const char *text)
{
	const rt_graph *g = ctx->graph;
	for (size_t i = 0; i < revs->n; i++) {
		const rt_revision *r = revs->v[i];
		cli_emit(ctx, &(struct cli_event){
			.name = "revision",
			.fields = CLI_FIELDS(
				CLI_STR("revision", r->id), CLI_STRV("down_revisions", &r->down),
				CLI_STRV("branch_labels", rt_graph_labels(g, r)),
				CLI_STRV("depends_on", &r->depends), CLI_STR("message", r->message),
				CLI_STR("path", r->path), CLI_STR_OPT("sidecar", r->sidecar_path),
				CLI_BOOL("head", rt_graph_is_real_head(g, r)),
				CLI_BOOL("effective_head", rt_graph_is_head(g, r) && !rt_graph_is_real_head(g, r)),
				CLI_BOOL("branchpoint", rt_graph_is_branch_point(g, r)),
				CLI_BOOL("mergepoint", rt_graph_is_merge_point(g, r)),
				CLI_STR("checksum", r->checksum)),
		});
	}
	cli_emit(ctx, &(struct cli_event){ .text = text, .text_flags = CLI_TEXT_ALWAYS });
}

static const char *version_file_doc(const rt_revision *r, void *unused)
{
	(void)unused;
	return r->py ? r->py->doc : NULL;
}

void cli_longdoc(rt_graph_fmt *fmt)
{
	fmt->longdoc = version_file_doc;
	fmt->longdoc_ctx = NULL;
}
