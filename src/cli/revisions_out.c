/* Revision listings shared by heads, branches, history and show. */
#include "cli.h"
#include "retort/revfile.h"

void cli_json_revisions(struct cli_ctx *ctx, const rt_revlist *revs)
{
	for (size_t i = 0; i < revs->n; i++) {
		const rt_revision *r = revs->v[i];
		rt_buf f = RT_BUF_INIT;
		rt_buf_puts(&f, "\"revision\":");
		rt_buf_json_str(&f, r->id);
		rt_buf_putc(&f, ',');
		cli_json_strv(&f, "down_revisions", &r->down);
		rt_buf_putc(&f, ',');
		cli_json_strv(&f, "branch_labels", rt_graph_labels(ctx->graph, r));
		rt_buf_putc(&f, ',');
		cli_json_strv(&f, "depends_on", &r->depends);
		rt_buf_puts(&f, ",\"message\":");
		rt_buf_json_str(&f, r->message);
		rt_buf_puts(&f, ",\"path\":");
		rt_buf_json_str(&f, r->path);
		if (r->sidecar_path) {
			rt_buf_puts(&f, ",\"sidecar\":");
			rt_buf_json_str(&f, r->sidecar_path);
		}
		rt_buf_printf(&f, ",\"head\":%s,\"effective_head\":%s,\"branchpoint\":%s,"
		              "\"mergepoint\":%s,\"checksum\":\"%s\"",
		              rt_graph_is_real_head(ctx->graph, r) ? "true" : "false",
		              rt_graph_is_head(ctx->graph, r) && !rt_graph_is_real_head(ctx->graph, r)
		                  ? "true" : "false",
		              rt_graph_is_branch_point(ctx->graph, r) ? "true" : "false",
		              rt_graph_is_merge_point(ctx->graph, r) ? "true" : "false", r->checksum);
		cli_json_event(ctx, "revision", &f);
		rt_buf_release(&f);
	}
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
