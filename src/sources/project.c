/*
 * The project loader: discovered files become rt_revisions, each file read
 * once (metadata, sidecar sections, checksum from the same bytes), and the
 * body of one step is chosen per direction. Files are judged here; the
 * graph (duplicates, parents, cycles) is not.
 */
#include <string.h>

#include "retort/checksum.h"
#include "retort/project.h"
#include "retort/translate.h"

static void copy_list(rt_arena *arena, rt_strv *dst, const rt_strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		rt_strv_push(arena, dst, src->v[i]);
}

/* A .py version file and its sidecar; NULL *out when its metadata is unusable. */
static int load_py(rt_revision **out, rt_arena *arena, const rt_srcfile *f, rt_diags *diags,
                   rt_error *err)
{
	*out = NULL;
	rt_source *py, *sc = NULL;
	int rc = rt_source_load(&py, arena, f->path, err);
	if (rc < 0)
		return rc;
	if (f->sidecar_path && (rc = rt_source_load(&sc, arena, f->sidecar_path, err)) < 0)
		return rc;
	rt_revfile *rf = NULL;
	if (rt_revfile_read(&rf, arena, py, diags) != RT_OK || !rf || !rf->revision)
		return RT_OK; /* the reader reported why */

	rt_revision *rev = rt_alloc(arena, sizeof(*rev));
	rev->id = rf->revision;
	copy_list(arena, &rev->down, &rf->down);
	copy_list(arena, &rev->labels, &rf->labels);
	copy_list(arena, &rev->depends, &rf->depends);
	rev->message = rf->message;
	rev->origin = RT_REV_PY;
	rev->path = py->path;
	rev->loc = rf->revision_loc;
	rev->down_loc = rf->down_loc;
	rev->labels_loc = rf->labels_loc;
	rev->depends_loc = rf->depends_loc;
	rev->py = rf;
	if (sc) {
		rt_sqlfile *sf;
		rev->sidecar_path = sc->path;
		rt_sqlfile_parse(&sf, arena, sc, RT_SQLFILE_SIDECAR, diags);
		rev->sql = sf->sections_ok ? sf : NULL;
	}
	const rt_source *srcs[2] = { py, sc };
	if ((rc = rt_checksum_sources(rev->checksum, srcs, sc ? 2 : 1, err)) < 0)
		return rc;
	*out = rev;
	return RT_OK;
}

/* A standalone .sql revision; NULL *out when its header is unusable. */
static int load_sql(rt_revision **out, rt_arena *arena, const rt_srcfile *f, rt_diags *diags,
                    rt_error *err)
{
	*out = NULL;
	rt_source *src;
	int rc = rt_source_load(&src, arena, f->path, err);
	if (rc < 0)
		return rc;
	rt_sqlfile *sf;
	rt_sqlfile_parse(&sf, arena, src, RT_SQLFILE_STANDALONE, diags);
	if (!sf->header_ok)
		return RT_OK;

	rt_revision *rev = rt_alloc(arena, sizeof(*rev));
	rev->id = sf->revision;
	copy_list(arena, &rev->down, &sf->down);
	copy_list(arena, &rev->labels, &sf->labels);
	copy_list(arena, &rev->depends, &sf->depends);
	rev->message = sf->message;
	rev->origin = RT_REV_SQL;
	rev->path = src->path;
	rev->loc = sf->revision_loc;
	rev->down_loc = sf->down_loc;
	rev->labels_loc = sf->labels_loc;
	rev->depends_loc = sf->depends_loc;
	rev->sql = sf->sections_ok ? sf : NULL;
	const rt_source *srcs[1] = { src };
	if ((rc = rt_checksum_sources(rev->checksum, srcs, 1, err)) < 0)
		return rc;
	rt_diag *g = rt_diags_add(diags, RT_SEV_WARNING, "standalone-sql", &rev->loc,
	                          "Alembic runs only .py version files; give it a .py with this "
	                          "file as its sidecar if Alembic must run it",
	                          "standalone SQL revision '%s' is invisible to Alembic", src->path);
	g->revision = rev->id;
	*out = rev;
	return RT_OK;
}

int rt_project_load(rt_project **out, rt_arena *arena, const rt_project_opts *opts,
                    rt_diags *diags, rt_error *err)
{
	*out = NULL;
	rt_discovery d;
	int rc = rt_project_discover(&d, arena, opts, diags, err);
	if (rc < 0)
		return rc;
	rt_project *p = rt_alloc(arena, sizeof(*p));
	p->revs = rt_alloc_array(arena, d.n ? d.n : 1, sizeof(*p->revs));
	for (size_t i = 0; i < d.n; i++) {
		rt_revision *rev;
		rc = d.files[i].standalone ? load_sql(&rev, arena, &d.files[i], diags, err)
		                           : load_py(&rev, arena, &d.files[i], diags, err);
		if (rc < 0)
			return rc;
		if (!rev)
			continue;
		rev->load_order = (unsigned)p->n;
		p->revs[p->n++] = rev;
	}
	*out = p;
	return RT_OK;
}

int rt_revision_body(rt_stmtlist *out, rt_arena *arena, const rt_revision *rev,
                     rt_direction dir, rt_translate_ctx *tctx, rt_error *err)
{
	const char *sqlpath = rev->origin == RT_REV_SQL ? rev->path : rev->sidecar_path;
	if (sqlpath && !rev->sql) {
		rt_loc loc = { .path = sqlpath };
		rt_error_set(err, RT_ESYNTAX, &loc, "'%s' has errors in its sections", sqlpath);
		rt_error_hint(err, "run 'retort check' to see them");
		return RT_ESYNTAX;
	}
	/* a section for this direction replaces the .py body; otherwise fall back */
	if (rev->sql && (rev->origin == RT_REV_SQL || rt_sqlfile_has(rev->sql, dir)))
		return rt_sqlfile_body(out, arena, rev->sql, dir, err);
	return rt_translate_body(out, arena, rev->py, dir, tctx, err);
}
