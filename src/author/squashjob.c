/*
 * `squash`, planned then applied: the replacement revision (id, file names,
 * sidecar SQL), each child's re-pointed text, each member's place in the
 * archive, and the graph afterwards are all computed and checked before the
 * first write; then the writes in order, each recorded as done, so a failure
 * midway can say what is on disk and what is not.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "author_int.h"

/* The version location holding path (the new files go beside REV). */
static const char *location_of(const rt_config *cfg, const char *path)
{
	for (size_t i = 0; i < cfg->version_locations.n; i++) {
		const char *l = cfg->version_locations.v[i];
		size_t n = strlen(l);
		if (strncmp(path, l, n) == 0 && path[n] == '/')
			return l;
	}
	return NULL;
}

/* path with its links and dots resolved, also when its tail does not exist yet. */
static const char *resolved(rt_arena *arena, const char *path)
{
	char buf[PATH_MAX];
	if (realpath(path, buf))
		return rt_strdup(arena, buf);
	const char *slash = strrchr(path, '/');
	if (!slash)
		return realpath(".", buf) ? rt_sprintf(arena, "%s/%s", buf, path) : path;
	if (slash == path)
		return path;
	const char *dir = resolved(arena, rt_strndup(arena, path, (size_t)(slash - path)));
	return rt_sprintf(arena, "%s%s", dir, slash);
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 || errno != ENOENT;
}

/* The new revision's id, file names and metadata. */
static int plan_revision(rt_squash_job *j, rt_arena *arena, const rt_config *cfg,
                         const rt_graph *g, const rt_squash_opts *opts, rt_error *err)
{
	rt_newrev *nr = &j->nr;
	nr->message = opts->message;
	nr->rev_id = opts->rev_id;
	if (j->sq.from)
		rt_strv_push(arena, &nr->down, j->sq.from->id);
	nr->labels = j->sq.labels;
	int rc = rt_author_new_id(nr, arena, err);
	if (rc < 0)
		return rc;
	if (rt_graph_get(g, nr->rev_id))
		return rt_error_set(err, RT_EUSAGE, NULL, "revision '%s' already exists", nr->rev_id);
	j->location = location_of(cfg, j->sq.to->path);
	const char *py;
	if ((rc = rt_newrev_now(&nr->date, cfg->timezone, err)) < 0 ||
	    (rc = rt_author_file_name(&py, arena, cfg, j->location ? j->location : ".", nr,
	                              err)) < 0)
		return rc;
	j->files.py_path = py;
	j->files.sql_path = rt_author_sidecar_path(arena, py);
	if (exists(j->files.py_path) || exists(j->files.sql_path))
		return rt_error_set(err, RT_EUSAGE, NULL, "'%s' exists already",
		                    exists(j->files.py_path) ? j->files.py_path : j->files.sql_path);
	return RT_OK;
}

/* The new text of each child, with REV replaced by the new id. */
static int plan_rewrites(rt_squash_job *j, rt_arena *arena, rt_error *err)
{
	j->nrewrites = j->sq.children.n;
	j->rewrites = rt_alloc_array(arena, j->nrewrites ? j->nrewrites : 1, sizeof(*j->rewrites));
	for (size_t i = 0; i < j->nrewrites; i++) {
		const rt_revision *c = j->sq.children.v[i];
		rt_author_action *a = &j->rewrites[i];
		*a = (rt_author_action){ .path = c->path, .text = RT_BUF_INIT };
		rt_strv parents = { 0 };
		for (size_t k = 0; k < c->down.n; k++)
			rt_strv_push(arena, &parents, strcmp(c->down.v[k], j->sq.to->id) == 0
			                                  ? j->nr.rev_id : c->down.v[k]);
		const rt_source *src;
		rt_diags found;
		int rc = rt_author_repoint(&a->text, NULL, &src, arena, c, &parents, &found, err);
		if (rc == RT_EOS || rc == RT_ELIMIT)
			return rc; /* unreadable: the advice below would not help */
		if (rc < 0) {
			rt_error_hint(err, "'%s' revises '%s' and must be re-pointed; edit its "
			                   "down_revision into a plain literal, or squash up to another "
			                   "revision", c->id, j->sq.to->id);
			return rc;
		}
	}
	return RT_OK;
}

/* The archive folder: --archive, else squashed/<id> in the script location. */
static const char *archive_dir(rt_arena *arena, const rt_squash_opts *opts, const char *id)
{
	const char *root = opts->archive_root;
	if (opts->archive)
		return opts->archive;
	if (!root || strcmp(root, ".") == 0)
		return rt_sprintf(arena, "squashed/%s", id);
	return rt_sprintf(arena, "%s/squashed/%s", root, id);
}

/* Every file of every member goes to the archive, under its own name. */
static int plan_moves(rt_squash_job *j, rt_arena *arena, const rt_config *cfg,
                      const rt_squash_opts *opts, rt_error *err)
{
	j->archive = archive_dir(arena, opts, j->nr.rev_id);
	const char *real = resolved(arena, j->archive);
	for (size_t i = 0; i < cfg->version_locations.n; i++) {
		const char *l = resolved(arena, cfg->version_locations.v[i]);
		size_t n = strlen(l);
		if (strncmp(real, l, n) == 0 && (real[n] == '/' || real[n] == '\0')) {
			rt_error_set(err, RT_EUSAGE, NULL, "the archive folder '%s' is inside the version "
			             "location '%s', where the squashed files would still be loaded",
			             j->archive, cfg->version_locations.v[i]);
			rt_error_hint(err, "choose a folder outside every version location with "
			                   "--archive DIR");
			return RT_EUSAGE;
		}
	}
	j->moves = rt_alloc_array(arena, 2 * j->sq.members.n, sizeof(*j->moves));
	for (size_t i = 0; i < j->sq.members.n; i++) {
		const rt_revision *m = j->sq.members.v[i];
		const char *files[] = { m->path, m->sidecar_path };
		for (size_t k = 0; k < 2 && files[k]; k++) {
			const char *slash = strrchr(files[k], '/');
			const char *dest = rt_sprintf(arena, "%s/%s", j->archive,
			                              slash ? slash + 1 : files[k]);
			for (size_t x = 0; x < j->nmoves; x++)
				if (strcmp(j->moves[x].dest, dest) == 0)
					return rt_error_set(err, RT_EUSAGE, NULL, "'%s' and '%s' would both be "
					                    "archived as '%s'", j->moves[x].path, files[k], dest);
			if (exists(dest)) {
				rt_error_set(err, RT_EUSAGE, NULL, "'%s' exists already", dest);
				rt_error_hint(err, "choose another folder with --archive DIR");
				return RT_EUSAGE;
			}
			j->moves[j->nmoves++] = (rt_author_action){ .path = files[k], .dest = dest };
		}
	}
	return RT_OK;
}

/* The graph afterwards must pass what `retort check` checks. */
static int check_after(rt_squash_job *j, rt_arena *arena, const rt_graph *g, rt_error *err)
{
	rt_revision *n = rt_alloc(arena, sizeof(*n));
	n->id = j->nr.rev_id;
	n->down = j->nr.down;
	n->labels = j->nr.labels;
	n->message = j->nr.message;
	n->path = j->files.py_path;
	n->sidecar_path = j->files.sql_path;
	n->loc = (rt_loc){ .path = j->files.py_path };
	n->load_order = j->sq.to->load_order;
	rt_graph *after;
	if (rt_squash_graph(&after, arena, g, &j->sq, n, &j->problems) == RT_OK)
		return RT_OK;
	return rt_error_set(err, RT_EGRAPH, NULL, "cannot squash: the revision graph afterwards "
	                    "would have %zu error%s (listed above)", j->problems.errors,
	                    j->problems.errors == 1 ? "" : "s");
}

int rt_squash_plan(rt_squash_job *j, rt_arena *arena, const rt_config *cfg,
                   const rt_graph *g, const rt_squash_opts *opts, rt_error *err)
{
	*j = (rt_squash_job){ .sql = RT_BUF_INIT };
	rt_diags_init(&j->problems, arena);
	int rc = rt_squash_range(&j->sq, arena, g, opts->to, opts->from, err);
	if (rc == RT_OK)
		rc = plan_revision(j, arena, cfg, g, opts, err);
	if (rc == RT_OK)
		rc = rt_squash_sql(&j->sql, arena, g, &j->sq, cfg, j->files.sql_path, err);
	if (rc == RT_OK)
		rc = plan_rewrites(j, arena, err);
	if (rc == RT_OK && !(opts->flags & RT_SQUASH_KEEP))
		rc = plan_moves(j, arena, cfg, opts, err);
	if (rc == RT_OK)
		rc = check_after(j, arena, g, err);
	return rc;
}

static int mkdirs(rt_arena *arena, const char *path, rt_error *err)
{
	const char *slash = strrchr(path, '/');
	if (slash && slash != path) {
		int rc = mkdirs(arena, rt_strndup(arena, path, (size_t)(slash - path)), err);
		if (rc < 0)
			return rc;
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		return rt_error_set(err, RT_EOS, NULL, "cannot create '%s': %s", path, strerror(errno));
	return RT_OK;
}

static int move_file(rt_arena *arena, const rt_author_action *a, rt_error *err)
{
	if (rename(a->path, a->dest) == 0)
		return RT_OK;
	if (errno != EXDEV)
		return rt_error_set(err, RT_EOS, NULL, "cannot move '%s' to '%s': %s", a->path, a->dest,
		                    strerror(errno));
	/* another file system: copy (never over an existing file), then remove */
	rt_source *src;
	int rc = rt_source_load(&src, arena, a->path, err);
	if (rc < 0)
		return rc;
	rt_buf text = RT_BUF_INIT;
	rt_buf_add(&text, src->text, src->len);
	rc = rt_newrev_write(a->dest, &text, err);
	rt_buf_release(&text);
	if (rc == RT_OK && unlink(a->path) != 0)
		rc = rt_error_set(err, RT_EOS, NULL, "copied '%s' to '%s' but cannot remove it: %s",
		                  a->path, a->dest, strerror(errno));
	return rc;
}

/* After a failure midway: what is on disk now, and what is not. */
static void report_partial(const rt_squash_job *j, rt_error *err)
{
	rt_buf b = RT_BUF_INIT;
	rt_buf_puts(&b, "done:");
	size_t done = 0, left = 0;
	if (j->written) {
		rt_buf_printf(&b, " wrote '%s' and '%s';", j->files.py_path, j->files.sql_path);
		done++;
	}
	for (size_t i = 0; i < j->nrewrites; i++)
		if (j->rewrites[i].done && ++done)
			rt_buf_printf(&b, " re-pointed '%s';", j->rewrites[i].path);
	for (size_t i = 0; i < j->nmoves; i++)
		if (j->moves[i].done && ++done)
			rt_buf_printf(&b, " moved '%s';", j->moves[i].path);
	if (!done)
		rt_buf_puts(&b, " nothing;");
	rt_buf_puts(&b, " not done:");
	for (size_t i = 0; i < j->nrewrites; i++)
		if (!j->rewrites[i].done && ++left)
			rt_buf_printf(&b, " re-point '%s';", j->rewrites[i].path);
	size_t moves = 0;
	for (size_t i = 0; i < j->nmoves; i++)
		moves += !j->moves[i].done;
	if (moves && ++left)
		rt_buf_printf(&b, " archive %zu file%s of the range to '%s/';", moves,
		              moves == 1 ? "" : "s", j->archive);
	rt_buf_truncate(&b, b.len - 1);
	rt_error_detail(err, "%s", rt_buf_cstr(&b));
	rt_error_hint(err, "fix the cause and finish the steps not done by hand, or undo the ones "
	                   "done (e.g. with git)");
	rt_buf_release(&b);
}

int rt_squash_apply(rt_squash_job *j, rt_arena *arena, const rt_config *cfg,
                    const rt_graph *g, rt_error *err)
{
	/* the archive folder first: a failure there leaves the project untouched */
	int rc;
	if (j->nmoves && (rc = mkdirs(arena, j->archive, err)) < 0)
		return rc;
	if ((rc = rt_author_write_revision(&j->files, arena, cfg, g, &j->nr, j->location, &j->sql,
	                                   err)) < 0)
		return rc; /* nothing written */
	j->written = true;
	for (size_t i = 0; i < j->nrewrites; i++) {
		rt_author_action *a = &j->rewrites[i];
		if ((rc = rt_rewrite_file(a->path, &a->text, err)) < 0)
			goto partial;
		a->done = true;
	}
	for (size_t i = 0; i < j->nmoves; i++) {
		rt_author_action *a = &j->moves[i];
		if ((rc = move_file(arena, a, err)) < 0)
			goto partial;
		a->done = true;
	}
	return RT_OK;
partial:
	report_partial(j, err);
	return rc;
}

rt_squash_advice rt_squash_advise(const rt_squash_job *j, const rt_graph *g, rt_arena *arena)
{
	rt_revlist heads = { 0 };
	rt_graph_heads(g, &heads, arena);
	return (rt_squash_advice){
		.stamp = j->nr.rev_id,
		.at = j->sq.to->id,
		.repair = &j->sq.children,
		.other_heads = heads.n > 1,
	};
}

void rt_squash_release(rt_squash_job *j)
{
	for (size_t i = 0; i < j->nrewrites; i++)
		rt_buf_release(&j->rewrites[i].text);
	rt_buf_release(&j->sql);
}
