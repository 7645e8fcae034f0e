/*
 * The text of Alembic's listings (Script._head_only, Script.log_entry and
 * the heads/branches/history/show/current commands), byte for byte, plus
 * the "Running upgrade a -> b" texts of plan steps.
 */
#include <string.h>

#include "graph_int.h"

enum {
	F_BRANCHES = 1, /* (labels) */
	F_DOC = 2,      /* , message */
	F_PARENTS = 4,  /* parents -> */
	F_TREE = 8,     /* (branchpoint) (mergepoint) */
	F_HEADS = 16,   /* (head) (effective head) (current) */
	F_CURRENT = 32, /* the revision is in the version table */
};

static void join_strv(rt_buf *b, const rt_strv *v)
{
	for (size_t k = 0; k < v->n; k++)
		rt_buf_printf(b, "%s%s", k ? ", " : "", v->v[k]);
}

static void down_text(rt_buf *b, const rt_revision *r)
{
	if (!r->down.n)
		rt_buf_puts(b, "<base>");
	else
		join_strv(b, &r->down);
}

static bool is_current(const rt_graph_fmt *fmt, const rt_revision *r)
{
	return fmt && fmt->current && rt_strv_index(fmt->current, r->id) >= 0;
}

static void head_only(rt_buf *b, const rt_graph *g, uint32_t i, unsigned flags)
{
	const gnode *nd = &g->nodes[i];
	const rt_revision *r = nd->rev;
	if (flags & F_PARENTS) {
		down_text(b, r);
		if (r->depends.n) {
			rt_buf_puts(b, " (");
			join_strv(b, &r->depends);
			rt_buf_putc(b, ')');
		}
		rt_buf_puts(b, " -> ");
	}
	rt_buf_puts(b, r->id);
	if ((flags & F_BRANCHES) && nd->labels.n) {
		rt_buf_puts(b, " (");
		join_strv(b, &nd->labels);
		rt_buf_putc(b, ')');
	}
	if (flags & (F_HEADS | F_TREE)) {
		if (!nd->allkids.n)
			rt_buf_puts(b, " (head)");
		else if (!nd->kids.n)
			rt_buf_puts(b, " (effective head)");
		if (flags & F_CURRENT)
			rt_buf_puts(b, " (current)");
	}
	if (flags & F_TREE) {
		if (nd->kids.n > 1)
			rt_buf_puts(b, " (branchpoint)");
		if (nd->merge)
			rt_buf_puts(b, " (mergepoint)");
	}
	if (flags & F_DOC)
		rt_buf_printf(b, ", %s", r->message ? r->message : "");
}

/* Script.log_entry, without the newline print() adds; of flags only
 * F_CURRENT counts. */
static void log_entry(rt_buf *b, const rt_graph *g, uint32_t i, const rt_graph_fmt *fmt,
                      unsigned flags)
{
	const gnode *nd = &g->nodes[i];
	const rt_revision *r = nd->rev;
	rt_buf_printf(b, "Rev: %s%s%s%s%s\n", r->id, nd->kids.n ? "" : " (head)",
	              nd->kids.n > 1 ? " (branchpoint)" : "", nd->merge ? " (mergepoint)" : "",
	              flags & F_CURRENT ? " (current)" : "");
	rt_buf_puts(b, nd->merge ? "Merges: " : "Parent: ");
	down_text(b, r);
	rt_buf_putc(b, '\n');
	if (r->depends.n) {
		rt_buf_puts(b, "Also depends on: ");
		join_strv(b, &r->depends);
		rt_buf_putc(b, '\n');
	}
	if (nd->kids.n > 1) {
		rt_buf_puts(b, "Branches into: ");
		gr_join_ids(b, g, &nd->kids);
		rt_buf_putc(b, '\n');
	}
	if (nd->labels.n) {
		rt_buf_puts(b, "Branch names: ");
		join_strv(b, &nd->labels);
		rt_buf_putc(b, '\n');
	}
	rt_buf_printf(b, "Path: %s\n\n", r->path ? r->path : "");
	const char *doc = fmt && fmt->longdoc ? fmt->longdoc(r, fmt->longdoc_ctx) : NULL;
	if (!doc)
		doc = r->message ? r->message : "";
	/* "\n".join("    " + line for line in doc.splitlines()) */
	for (const char *p = doc; *p;) {
		size_t len = strcspn(p, "\r\n");
		if (p != doc)
			rt_buf_putc(b, '\n');
		rt_buf_puts(b, "    ");
		rt_buf_add(b, p, len);
		p += len;
		if (*p == '\r' && p[1] == '\n')
			p++;
		if (*p)
			p++;
	}
	rt_buf_putc(b, '\n');
}

static void print_rev(rt_buf *b, const rt_graph *g, uint32_t i, const rt_graph_fmt *fmt,
                      unsigned flags)
{
	if (fmt && fmt->verbose)
		log_entry(b, g, i, fmt, flags);
	else
		head_only(b, g, i, flags);
	rt_buf_putc(b, '\n');
}

void rt_graph_format_history(rt_buf *b, const rt_graph *g, const rt_revlist *revs,
                             const rt_graph_fmt *fmt)
{
	const unsigned flags = F_BRANCHES | F_DOC | F_PARENTS | F_TREE | F_HEADS;
	for (size_t k = 0; k < revs->n; k++) {
		uint32_t i = gr_node_of(g, revs->v[k]);
		if (i != NODE_NONE)
			print_rev(b, g, i, fmt, flags | (is_current(fmt, revs->v[k]) ? F_CURRENT : 0));
	}
}

void rt_graph_format_heads(rt_buf *b, const rt_graph *g, bool resolve_dependencies,
                           const rt_graph_fmt *fmt)
{
	const idxv *heads = resolve_dependencies ? &g->real_heads : &g->heads;
	for (uint32_t k = 0; k < heads->n; k++)
		print_rev(b, g, heads->v[k], fmt, F_BRANCHES | F_HEADS);
}

void rt_graph_format_branches(rt_buf *b, const rt_graph *g, const rt_graph_fmt *fmt)
{
	rt_revlist all = { 0 };
	rt_error err = RT_ERROR_INIT;
	if (rt_graph_history(g, NULL, NULL, &all, g->arena, &err) < 0) {
		rt_error_clear(&err);
		return;
	}
	bool verbose = fmt && fmt->verbose;
	for (size_t k = 0; k < all.n; k++) {
		uint32_t i = gr_node_of(g, all.v[k]);
		const gnode *nd = &g->nodes[i];
		if (nd->kids.n < 2)
			continue;
		if (verbose)
			log_entry(b, g, i, fmt, 0);
		else
			head_only(b, g, i, F_BRANCHES | F_TREE);
		rt_buf_putc(b, '\n');
		size_t pad = strlen(nd->rev->id);
		for (uint32_t c = 0; c < nd->kids.n; c++) {
			if (c)
				rt_buf_putc(b, '\n');
			for (size_t s = 0; s < pad; s++)
				rt_buf_putc(b, ' ');
			rt_buf_puts(b, " -> ");
			head_only(b, g, nd->kids.v[c], F_BRANCHES | F_TREE | (verbose ? F_DOC : 0));
		}
		rt_buf_puts(b, "\n\n");
	}
}

void rt_graph_format_show(rt_buf *b, const rt_graph *g, const rt_revlist *revs,
                          const rt_graph_fmt *fmt)
{
	for (size_t k = 0; k < revs->n; k++) {
		uint32_t i = gr_node_of(g, revs->v[k]);
		if (i != NODE_NONE) {
			log_entry(b, g, i, fmt, 0);
			rt_buf_putc(b, '\n');
		}
	}
}

int rt_graph_format_current(rt_buf *b, const rt_graph *g, const rt_strv *rows,
                            const rt_graph_fmt *fmt, rt_error *err)
{
	rctx c = { .g = g, .arena = g->arena };
	idxv top = { 0 };
	if (rows && gr_resolve_revision_list(&c, rows, &top) < 0)
		return gr_set_cli_error(&c, err, NULL, NULL, NULL);
	uint64_t *applied = gr_bits_new(g);
	for (uint32_t k = 0; k < top.n; k++)
		if (top.v[k] < g->n) {
			const uint64_t *a = anc_of(g, top.v[k], GR_VIA_DEPS);
			for (size_t w = 0; w < g->words; w++)
				applied[w] |= a[w];
		}
	/* Alembic's _filter_into_branch_heads: no child by down_revision applied.
	 * Rows first (table order), then the tips only dependencies reach. */
	idxv tips = { 0 };
	for (uint32_t pass = 0; pass < 2; pass++) {
		for (uint32_t k = 0; k < (pass ? g->n : top.n); k++) {
			uint32_t i = pass ? k : top.v[k];
			if (i >= g->n || !bit_get(applied, i) || gr_idxv_has(&tips, i))
				continue;
			bool covered = false;
			for (uint32_t j = 0; j < g->nodes[i].kids.n && !covered; j++)
				covered = bit_get(applied, g->nodes[i].kids.v[j]);
			if (!covered)
				gr_idxv_push(g->arena, &tips, i);
		}
	}
	for (uint32_t k = 0; k < tips.n; k++)
		print_rev(b, g, tips.v[k], fmt, F_TREE | F_HEADS);
	return RT_OK;
}

void rt_step_format_short(rt_buf *b, const rt_step *step)
{
	rt_buf_puts(b, step->kind == RT_STEP_UPGRADE     ? "upgrade "
	               : step->kind == RT_STEP_DOWNGRADE ? "downgrade "
	                                                 : "stamp_revision ");
	join_strv(b, &step->from);
	rt_buf_puts(b, " -> ");
	join_strv(b, &step->to);
}

void rt_step_format_log(rt_buf *b, const rt_step *step)
{
	rt_step_format_short(b, step);
	if (step->rev && step->rev->message && *step->rev->message)
		rt_buf_printf(b, ", %s", step->rev->message);
}
