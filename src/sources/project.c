/*
 * The project loader: discovered files become rt_revisions. A .py is read
 * once for its metadata and checksum, parsed in a scratch arena that is
 * reset for the next file (only the metadata is kept), and read again only
 * when a step's body is wanted after loading (opts->loaded sees each body
 * before the reset). Files are judged here; the graph is not.
 */
#include <string.h>

#include "retort/checksum.h"
#include "retort/project.h"
#include "retort/translate.h"

/*
 * Shared by a project's .py revisions: the scratch arena where version
 * files are parsed (at load, one at a time; later, for bodies) and whose
 * full parse it holds now, so a caller asking for both directions of one
 * revision parses the file once.
 */
struct rt_pycache {
	rt_arena *scratch;
	const rt_revision *rev; /* whose parse `rf` is, or NULL */
	const rt_revfile *rf;
};

static void free_scratch(void *scratch)
{
	rt_arena_free(scratch);
}

static void copy_list(rt_arena *arena, rt_strv *dst, const rt_strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		rt_strv_push(arena, dst, src->v[i]);
}

/* A .py version file and its sidecar; NULL *out when its metadata is unusable.
 * The .py text and its syntax tree live in cache->scratch, reset after. */
static int load_py(rt_revision **out, rt_arena *arena, struct rt_pycache *cache,
                   const rt_srcfile *f, rt_diags *diags, rt_error *err)
{
	*out = NULL;
	rt_source *py, *sc = NULL;
	int rc = rt_source_load(&py, cache->scratch, f->path, err);
	if (rc < 0)
		return rc;
	py->path = f->path; /* locations and diagnostics outlive the scratch */
	if (f->sidecar_path && (rc = rt_source_load(&sc, arena, f->sidecar_path, err)) < 0)
		return rc;
	rt_revfile *rf = NULL, *full = NULL;
	if (rt_revfile_read_both(&rf, &full, arena, cache->scratch, py, diags) != RT_OK || !rf ||
	    !rf->revision)
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
	rev->pycache = cache;
	if (sc) {
		rt_sqlfile *sf;
		rev->sidecar_path = sc->path;
		rt_sqlfile_parse(&sf, arena, sc, RT_SQLFILE_SIDECAR, diags);
		rev->sql = sf->sections_ok ? sf : NULL;
	}
	const rt_source *srcs[2] = { py, sc };
	if ((rc = rt_checksum_sources(rev->checksum, srcs, sc ? 2 : 1, err)) < 0)
		return rc;
	/* the parse is rev's until the loader resets the scratch */
	cache->rev = rev;
	cache->rf = full;
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
	struct rt_pycache *cache = rt_alloc(arena, sizeof(*cache));
	cache->scratch = rt_arena_new();
	rt_arena_on_free(arena, free_scratch, cache->scratch);
	for (size_t i = 0; i < d.n; i++) {
		rt_revision *rev;
		rc = d.files[i].standalone ? load_sql(&rev, arena, &d.files[i], diags, err)
		                           : load_py(&rev, arena, cache, &d.files[i], diags, err);
		if (rc == RT_OK && rev) {
			rev->load_order = (unsigned)p->n;
			p->revs[p->n++] = rev;
			if (opts->loaded)
				opts->loaded(opts->loaded_arg, rev);
		}
		cache->rev = NULL;
		cache->rf = NULL;
		rt_arena_reset(cache->scratch);
		if (rc < 0)
			return rc;
	}
	*out = p;
	return RT_OK;
}

/* Parses rev's .py again into the cache's scratch, refusing a file that is
 * not the one loaded (its checksum, with the sidecar's, must not change). */
static int reparse(struct rt_pycache *c, const rt_revision *rev, rt_error *err)
{
	c->rev = NULL;
	c->rf = NULL;
	rt_arena_reset(c->scratch);
	rt_source *py;
	int rc = rt_source_load(&py, c->scratch, rev->path, err);
	if (rc < 0)
		return rc;
	const rt_source *srcs[2] = { py, rev->sql ? rev->sql->src : NULL };
	char sum[RT_CHECKSUM_HEX_LEN + 1];
	if ((rc = rt_checksum_sources(sum, srcs, srcs[1] ? 2 : 1, err)) < 0)
		return rc;
	rt_loc loc = { .path = rev->path };
	if (strcmp(sum, rev->checksum) != 0) {
		rt_error_set(err, RT_EDRIFT, &loc, "'%s' changed while retort was running", rev->path);
		rt_error_hint(err, "run the command again once the file is no longer being edited");
		return RT_EDRIFT;
	}
	rt_diags diags;
	rt_diags_init(&diags, c->scratch);
	rt_revfile *rf;
	if (rt_revfile_read(&rf, c->scratch, py, &diags) != RT_OK || !rf)
		/* the same bytes read the same way: unreachable unless memory is corrupt */
		return rt_error_set(err, RT_ERROR, &loc, "'%s' no longer reads as it did", rev->path);
	c->rev = rev;
	c->rf = rf;
	return RT_OK;
}

/* A copy of stmt in arena, pointing at src. */
static rt_stmt *copy_stmt(rt_arena *arena, const rt_stmt *stmt, const rt_source *src)
{
	rt_stmt *s = rt_alloc(arena, sizeof(*s));
	*s = *stmt;
	s->sql = rt_strndup(arena, stmt->sql, stmt->len);
	s->src = stmt->src ? src : NULL;
	if (stmt->nsegs) {
		s->segs = rt_alloc_raw(arena, stmt->nsegs * sizeof(*s->segs));
		memcpy(s->segs, stmt->segs, stmt->nsegs * sizeof(*s->segs));
	}
	return s;
}

/* A copy of src in arena, named path (its line map copied, not rebuilt). */
static const rt_source *copy_source(rt_arena *arena, const rt_source *src, const char *path)
{
	rt_source *c = rt_alloc(arena, sizeof(*c));
	c->path = rt_strdup(arena, path);
	c->text = rt_strndup(arena, src->text, src->len);
	c->len = src->len;
	c->nlines = src->nlines;
	c->line_starts = rt_alloc_raw(arena, src->nlines * sizeof(*src->line_starts));
	memcpy(c->line_starts, src->line_starts, src->nlines * sizeof(*src->line_starts));
	return c;
}

/*
 * A .py body, translated in the scratch arena; the statements and the
 * source they map back to are copied into arena, and the translation's
 * working memory is dropped (the parse stays for the other direction).
 */
static int py_body(rt_stmtlist *out, rt_arena *arena, const rt_revision *rev,
                   rt_direction dir, rt_translate_ctx *tctx, rt_error *err)
{
	struct rt_pycache *c = rev->pycache;
	if (!c) /* a revision made by hand around a full rt_revfile_read (tests, tools) */
		return rt_translate_body(out, arena, rev->py, dir, tctx, err);
	int rc;
	if (c->rev != rev && (rc = reparse(c, rev, err)) < 0)
		return rc;
	rt_arena_mark mark = rt_arena_mark_get(c->scratch);
	rt_stmtlist tmp = { 0 };
	rc = rt_translate_body(&tmp, c->scratch, c->rf, dir, tctx, err);
	if (tmp.n) {
		const rt_source *src = copy_source(arena, c->rf->src, rev->path);
		for (size_t i = 0; i < tmp.n; i++)
			rt_stmtlist_push(arena, out, copy_stmt(arena, tmp.items[i], src));
	}
	rt_arena_release(c->scratch, mark);
	return rc;
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
	return py_body(out, arena, rev, dir, tctx, err);
}
