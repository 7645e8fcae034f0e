/*
 * Renders a plan as an offline SQL script in Alembic's shape (reference
 * alembic.md §1.5, §4.2, §4.3): BEGIN/COMMIT, the version table's DDL when
 * starting from nothing, "-- Running ..." comments, body statements, and the
 * version-row statements of each step. Unlike Alembic 1.8.1, a downgrade to
 * base does not end with DROP TABLE alembic_version (Alembic 1.19 dropped
 * that too; online Alembic never drops it).
 */
#include "retort/offline.h"

static void put_stmt(rt_buf *out, const char *sql, size_t len)
{
	rt_buf_add(out, sql, len);
	rt_buf_puts(out, ";\n\n");
}

static void put_rowops(rt_buf *out, const rt_step *step, const rt_vtable *vt)
{
	for (size_t i = 0; i < step->nops; i++) {
		const rt_rowop *op = &step->ops[i];
		switch (op->kind) {
		case RT_ROW_INSERT: rt_vtable_render_insert(out, vt, op->to); break;
		case RT_ROW_UPDATE: rt_vtable_render_update(out, vt, op->from, op->to); break;
		case RT_ROW_DELETE: rt_vtable_render_delete(out, vt, op->from); break;
		}
		rt_buf_puts(out, ";\n\n");
	}
}

static int put_body(rt_buf *out, rt_arena *arena, const rt_step *step,
                    const rt_step_source *src, rt_error *err)
{
	rt_stmtlist stmts;
	int rc = rt_step_source_body(src, step, arena, &stmts, err);
	if (rc < 0)
		return rc;
	bool outside = false;
	for (size_t i = 0; i < stmts.n; i++) {
		const rt_stmt *s = stmts.items[i];
		if (s->echo) {
			rt_stmt_echo_comment(out, s);
			continue;
		}
		if (s->no_transaction != outside) {
			rt_buf_puts(out, s->no_transaction ? "COMMIT;\n\n" : "BEGIN;\n\n");
			outside = s->no_transaction;
		}
		put_stmt(out, s->sql, s->len);
	}
	if (outside)
		rt_buf_puts(out, "BEGIN;\n\n");
	return RT_OK;
}

int rt_offline_render(rt_buf *out, rt_arena *arena, const rt_plan *plan,
                      const rt_offline_opts *opts, rt_error *err)
{
	bool per_step = opts->transaction == RT_TX_PER_MIGRATION;
	opts->source->rewind(opts->source->ctx);
	rt_buf_puts(out, "BEGIN;\n\n");
	/* nothing to run: nothing to create either (as Alembic's `upgrade base --sql`) */
	if (opts->create_version_table && (plan->n || plan->purge)) {
		rt_vtable_render_create(out, opts->vtable);
		rt_buf_puts(out, ";\n\n");
	}
	if (plan->purge) {
		rt_vtable_render_delete_all(out, opts->vtable);
		rt_buf_puts(out, ";\n\n");
	}
	for (size_t i = 0; i < plan->n; i++) {
		const rt_step *step = plan->steps[i];
		if (per_step && i > 0)
			rt_buf_puts(out, "BEGIN;\n\n");
		rt_buf_puts(out, "-- Running ");
		rt_step_format_short(out, step);
		rt_buf_puts(out, "\n\n");
		int rc = put_body(out, arena, step, opts->source, err);
		if (rc < 0)
			return rc;
		put_rowops(out, step, opts->vtable);
		if (per_step && i + 1 < plan->n)
			rt_buf_puts(out, "COMMIT;\n\n");
	}
	rt_buf_puts(out, "COMMIT;\n\n");
	return RT_OK;
}
