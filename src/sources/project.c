/*
 * The project loader: discovered files become rt_revisions. A .py is read
 * once for its metadata and checksum, parsed without its def/class blocks
 * in a scratch arena that is reset for the next file (only the metadata is
 * kept), and read whole when a step's body is wanted (opts->loaded has
 * every file read whole and sees each body before the reset). Many files
 * are read on two threads, made revisions in load order. Files are judged
 * here; the graph is not.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
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

/* A .py version file read, before it becomes a revision. */
struct pyread {
	rt_revfile *rf;         /* header (in `keep`), NULL when unusable: the reader said why */
	rt_revfile *full;       /* the whole parse (in scratch), when asked for */
	rt_source *sc;          /* the sidecar's text (in `keep`), or NULL */
	char checksum[RT_CHECKSUM_HEX_LEN + 1];
};

/* How much of a .py read_py parses. */
typedef enum py_extent {
	READ_HEADER, /* the module-level names only */
	READ_WHOLE,  /* the def/class blocks too, for a caller that visits the bodies now */
} py_extent;

/*
 * Reads f's .py (text and parse in scratch) and its sidecar's text: the
 * header into keep, its problems to diags, and the checksum of both. With
 * READ_WHOLE, r->full is the whole parse. Returns RT_OK, or the loading error.
 */
static int read_py(struct pyread *r, rt_arena *keep, rt_arena *scratch, const rt_srcfile *f,
                   py_extent extent, rt_diags *diags, rt_error *err)
{
	*r = (struct pyread){ 0 };
	rt_source *py;
	int rc = rt_source_load(&py, scratch, f->path, err);
	if (rc < 0)
		return rc;
	py->path = f->path; /* locations and diagnostics outlive the scratch */
	if (f->sidecar_path && (rc = rt_source_load(&r->sc, keep, f->sidecar_path, err)) < 0)
		return rc;
	rt_revfile **full = extent == READ_WHOLE ? &r->full : NULL;
	if (rt_revfile_read_both(&r->rf, full, keep, scratch, py, diags) != RT_OK || !r->rf ||
	    !r->rf->revision) {
		r->rf = NULL;
		return RT_OK;
	}
	const rt_source *srcs[2] = { py, r->sc };
	rc = rt_checksum_sources(r->checksum, srcs, r->sc ? 2 : 1, err);
	return rc < 0 ? rc : RT_OK;
}

/* The revision of a usable .py read; its sidecar's sections are parsed here. */
static rt_revision *py_revision(rt_arena *arena, struct rt_pycache *cache,
                                const struct pyread *r, const char *path, rt_diags *diags)
{
	const rt_revfile *rf = r->rf;
	rt_revision *rev = rt_alloc(arena, sizeof(*rev));
	rev->id = rf->revision;
	copy_list(arena, &rev->down, &rf->down);
	copy_list(arena, &rev->labels, &rf->labels);
	copy_list(arena, &rev->depends, &rf->depends);
	rev->message = rf->message;
	rev->origin = RT_REV_PY;
	rev->path = path;
	rev->loc = rf->revision_loc;
	rev->down_loc = rf->down_loc;
	rev->labels_loc = rf->labels_loc;
	rev->depends_loc = rf->depends_loc;
	rev->py = rf;
	rev->pycache = cache;
	memcpy(rev->checksum, r->checksum, sizeof(rev->checksum));
	if (r->sc) {
		rt_sqlfile *sf;
		rev->sidecar_path = r->sc->path;
		rt_sqlfile_parse(&sf, arena, r->sc, RT_SQLFILE_SIDECAR, diags);
		rev->sql = sf->sections_ok ? sf : NULL;
	}
	return rev;
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

/*
 * Reading .py files on two threads. Each .py is read (its text and its
 * sidecar's, header, checksum) by whichever thread takes its index next;
 * the results are then made revisions on the calling thread in load order
 * (sidecar sections and standalone .sql files are parsed there), so output
 * and diagnostics do not depend on which thread read what. Each thread has
 * its own arenas (the caller's thread uses the run's arena and the cache's
 * scratch; the helper's `keep` arena is freed with the run's).
 */
enum { PARALLEL_MIN_FILES = 32 };

/* One .py read ahead of the load-order pass. */
struct slot {
	int rc;
	rt_error err;
	rt_diags diags;    /* the file's findings, in the reading thread's arena */
	struct pyread r;
};

struct pool {
	const rt_discovery *d;
	struct slot *slots;
	atomic_size_t next;
};

struct reader {
	struct pool *pool;
	rt_arena *keep, *scratch;
};

static void *read_slots(void *arg)
{
	const struct reader *t = arg;
	struct pool *pool = t->pool;
	for (size_t i; (i = atomic_fetch_add(&pool->next, 1)) < pool->d->n;) {
		const rt_srcfile *f = &pool->d->files[i];
		if (f->standalone)
			continue;
		struct slot *sl = &pool->slots[i];
		rt_diags_init(&sl->diags, t->keep);
		sl->rc = read_py(&sl->r, t->keep, t->scratch, f, READ_HEADER, &sl->diags, &sl->err);
		rt_arena_reset(t->scratch);
	}
	return NULL;
}

static bool two_cpus(void)
{
	cpu_set_t set;
	return sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) >= 2;
}

/*
 * Reads the .py files of d on this thread and one more, into slots
 * (NULL when not worth it: few files, one CPU, or no thread to be had).
 */
static struct slot *read_parallel(rt_arena *arena, struct rt_pycache *cache,
                                  const rt_discovery *d)
{
	size_t eligible = 0;
	for (size_t i = 0; i < d->n; i++)
		eligible += !d->files[i].standalone;
	if (eligible < PARALLEL_MIN_FILES || !two_cpus())
		return NULL;
	struct pool *pool = rt_alloc(arena, sizeof(*pool));
	pool->d = d;
	pool->slots = rt_alloc_array(arena, d->n, sizeof(*pool->slots));
	atomic_init(&pool->next, 0);
	struct reader helper = { pool, rt_arena_new(), rt_arena_new() };
	rt_arena_on_free(arena, free_scratch, helper.keep);
	pthread_t thread;
	bool started = pthread_create(&thread, NULL, read_slots, &helper) == 0;
	struct reader self = { pool, arena, cache->scratch };
	read_slots(&self);
	if (started)
		pthread_join(thread, NULL);
	rt_arena_free(helper.scratch);
	return pool->slots;
}

/* Adds a file's findings, read on another thread, to the run's. */
static void add_diags(rt_diags *diags, const rt_diags *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const rt_diag *g = from->items[i];
		rt_diag *copy = rt_diags_add(diags, g->severity, g->kind, &g->loc, g->hint, "%s",
		                             g->message);
		copy->revision = g->revision;
	}
}

/* One file in load order: its revision (NULL when unusable) or a loading error. */
static int load_file(rt_revision **out, rt_arena *arena, struct rt_pycache *cache,
                     const rt_srcfile *f, struct slot *sl, py_extent extent, rt_diags *diags,
                     rt_error *err)
{
	*out = NULL;
	if (f->standalone)
		return load_sql(out, arena, f, diags, err);
	struct pyread local, *r = &local;
	int rc;
	if (sl) { /* read ahead */
		add_diags(diags, &sl->diags);
		if ((rc = sl->rc) < 0)
			rt_error_move(err, &sl->err);
		r = &sl->r;
	} else {
		rc = read_py(r, arena, cache->scratch, f, extent, diags, err);
	}
	if (rc < 0 || !r->rf)
		return rc;
	*out = py_revision(arena, cache, r, f->path, diags);
	/* the parse is the revision's until the loader resets the scratch */
	cache->rev = *out;
	cache->rf = r->full;
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
	/* `loaded` needs each file's whole parse while it runs: one file at a time */
	struct slot *slots = opts->loaded ? NULL : read_parallel(arena, cache, &d);
	size_t i = 0;
	for (; i < d.n && rc >= 0; i++) {
		rt_revision *rev;
		rc = load_file(&rev, arena, cache, &d.files[i], slots ? &slots[i] : NULL,
		               opts->loaded ? READ_WHOLE : READ_HEADER, diags, err);
		if (rc == RT_OK && rev) {
			rev->load_order = (unsigned)p->n;
			p->revs[p->n++] = rev;
			if (opts->loaded)
				opts->loaded(opts->loaded_arg, rev);
		}
		cache->rev = NULL;
		cache->rf = NULL;
		rt_arena_reset(cache->scratch);
	}
	for (; slots && i < d.n; i++)
		rt_error_clear(&slots[i].err); /* read ahead of a loading error */
	if (rc < 0)
		return rc;
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
	if (rt_revfile_read(&rf, c->scratch, py, &diags) != RT_OK || !rf) {
		/* the load skipped the blocks: an error inside one shows now */
		for (size_t i = 0; i < diags.n; i++) {
			const rt_diag *g = diags.items[i];
			if (g->severity != RT_SEV_ERROR)
				continue;
			rt_error_set(err, RT_ESYNTAX, &g->loc, "%s", g->message);
			if (g->hint)
				rt_error_hint(err, "%s", g->hint);
			return RT_ESYNTAX;
		}
		/* the same bytes read the same way: unreachable unless memory is corrupt */
		return rt_error_set(err, RT_ERROR, &loc, "'%s' no longer reads as it did", rev->path);
	}
	c->rev = rev;
	c->rf = rf;
	return RT_OK;
}

/* A copy of stmt in arena, pointing at src. */
static rt_stmt *copy_stmt(rt_arena *arena, const rt_stmt *stmt, const rt_source *src)
{
	rt_stmt *s = rt_alloc(arena, sizeof(*s));
	*s = *stmt;
	s->echo = stmt->echo ? rt_strdup(arena, stmt->echo) : NULL; /* levels are static */
	s->sql = rt_strndup(arena, stmt->sql, stmt->len);
	s->once_key = stmt->once_key ? rt_strdup(arena, stmt->once_key) : NULL;
	s->src = stmt->src ? src : NULL;
	s->guard = stmt->guard ? rt_strdup(arena, stmt->guard) : NULL;
	s->guard_hint = stmt->guard_hint ? rt_strdup(arena, stmt->guard_hint) : NULL;
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
	int rc = py_body(out, arena, rev, dir, tctx, err);
	if (rc == RT_EIRREVERSIBLE) /* every caller says the same of it */
		rt_error_prefix(err, "downgrade of '%s' is irreversible", rev->id);
	return rc;
}
