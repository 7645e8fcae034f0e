/*
 * New revisions (`revision`, `merge`, and squash's replacement): the parents,
 * the dependencies as Alembic writes them, the version folder, the file name
 * from file_template, and the files written exclusively. The texts come from
 * newrev.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "author_int.h"
#include "retort/checksum.h"

const char *rt_author_ids(rt_arena *arena, const rt_strv *ids, unsigned flags)
{
	rt_buf b = RT_BUF_INIT;
	if (!ids->n)
		rt_buf_puts(&b, "base");
	for (size_t i = 0; i < ids->n; i++)
		rt_buf_printf(&b, (flags & RT_AUTHOR_QUOTED) ? "%s'%s'" : "%s%s", i ? ", " : "",
		              ids->v[i]);
	const char *s = rt_strdup(arena, rt_buf_cstr(&b));
	rt_buf_release(&b);
	return s;
}

int rt_author_add_heads(rt_revlist *parents, rt_arena *arena, const rt_graph *g,
                        const char *symbol, rt_error *err)
{
	rt_revlist found = { 0 };
	int rc = rt_graph_resolve(g, symbol, &found, arena, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < found.n; i++) {
		const rt_revision *r = found.v[i];
		for (size_t j = 0; j < parents->n; j++)
			if (parents->v[j] == r)
				return rt_error_set(err, RT_EUSAGE, NULL,
				                    "revision '%s' is given twice", r->id);
		if (!rt_graph_is_head(g, r)) {
			rt_error_set(err, RT_EUSAGE, NULL, "revision '%s' is not a head revision",
			             r->id);
			rt_error_hint(err, "build on a head (see `retort heads`); retort does not "
			                   "splice new branches off older revisions");
			return RT_EUSAGE;
		}
		rt_revlist_push(arena, parents, r);
	}
	return RT_OK;
}

int rt_author_revision_parents(rt_revlist *parents, rt_arena *arena, const rt_graph *g,
                               const char *head, rt_error *err)
{
	if (head)
		return strcmp(head, "base") == 0 ? RT_OK
		                                 : rt_author_add_heads(parents, arena, g, head, err);
	rt_revlist heads = { 0 };
	rt_graph_heads(g, &heads, arena);
	if (heads.n > 1) {
		rt_strv ids = { 0 };
		for (size_t i = 0; i < heads.n; i++)
			rt_strv_push(arena, &ids, heads.v[i]->id);
		rt_error_set(err, RT_EGRAPH, NULL, "multiple heads are present: %s",
		             rt_author_ids(arena, &ids, RT_AUTHOR_QUOTED));
		rt_error_hint(err, "choose the parent with --head REV (or LABEL@head), or join the "
		                   "heads first with `retort merge -m MSG heads`");
		return RT_EGRAPH;
	}
	if (heads.n == 1)
		rt_revlist_push(arena, parents, heads.v[0]);
	return RT_OK;
}

/* depends_on as Alembic writes it: a branch label stays, a prefix becomes the full id. */
static int resolve_depends(rt_strv *out, rt_arena *arena, const rt_graph *g,
                           const rt_strv *depends_on, rt_error *err)
{
	for (size_t i = 0; depends_on && i < depends_on->n; i++) {
		const char *dep = depends_on->v[i];
		const rt_revision *r;
		int rc = rt_graph_resolve_one(g, dep, &r, err);
		if (rc < 0)
			return rc;
		if (!r)
			return rt_error_set(err, RT_EUSAGE, NULL, "cannot depend on '%s'", dep);
		rt_strv_push(arena, out, rt_strv_index(&r->labels, dep) >= 0 ? dep : r->id);
	}
	return RT_OK;
}

int rt_author_revision(rt_newrev *nr, rt_author_written *out, rt_arena *arena,
                       const rt_config *cfg, const rt_graph *g, const rt_revlist *parents,
                       const rt_author_revision_opts *opts, rt_error *err)
{
	*nr = (rt_newrev){ .message = opts->message, .rev_id = opts->rev_id };
	for (size_t i = 0; i < parents->n; i++)
		rt_strv_push(arena, &nr->down, parents->v[i]->id);
	const char *label = opts->branch_label;
	if (label)
		rt_strv_push(arena, &nr->labels, label);
	int rc = resolve_depends(&nr->depends, arena, g, opts->depends_on, err);
	if (rc < 0)
		return rc;
	if (opts->rev_id && rt_graph_get(g, opts->rev_id))
		return rt_error_set(err, RT_EUSAGE, NULL, "revision '%s' already exists",
		                    opts->rev_id);
	if (label && rt_graph_label_owner(g, label))
		return rt_error_set(err, RT_EUSAGE, NULL, "branch label '%s' is already used by "
		                    "'%s'", label, rt_graph_label_owner(g, label)->id);
	if (!(opts->flags & RT_AUTHOR_SIDECAR))
		return rt_author_write_revision(out, arena, cfg, g, nr, opts->version_path, NULL,
		                                err);
	rt_buf sql = RT_BUF_INIT;
	rt_newrev_render_sql(&sql);
	rc = rt_author_write_revision(out, arena, cfg, g, nr, opts->version_path, &sql, err);
	rt_buf_release(&sql);
	return rc;
}

static bool same_dir(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];
	if (realpath(a, ra) && realpath(b, rb))
		return strcmp(ra, rb) == 0;
	return strcmp(a, b) == 0;
}

/* The folder to write into: version_path (one of the version locations),
 * the only location, else the first parent's folder. */
static int version_dir(const char **out, rt_arena *arena, const rt_config *cfg,
                       const rt_graph *g, const rt_newrev *nr, const char *version_path,
                       rt_error *err)
{
	const rt_strv *locs = &cfg->version_locations;
	if (version_path) {
		for (size_t i = 0; i < locs->n; i++)
			if (same_dir(version_path, locs->v[i])) {
				*out = locs->v[i];
				return RT_OK;
			}
		rt_error_set(err, RT_EUSAGE, NULL, "'%s' is not one of the version locations",
		             version_path);
		rt_error_hint(err, "give a folder listed in 'version_locations'");
		return RT_EUSAGE;
	}
	if (locs->n == 1) {
		*out = locs->v[0];
		return RT_OK;
	}
	const rt_revision *parent = nr->down.n ? rt_graph_get(g, nr->down.v[0]) : NULL;
	if (parent && locs->n > 1) {
		const char *slash = strrchr(parent->path, '/');
		*out = slash ? rt_strndup(arena, parent->path, (size_t)(slash - parent->path)) : ".";
		return RT_OK;
	}
	rt_error_set(err, RT_EUSAGE, NULL, "multiple version locations are present");
	rt_error_hint(err, "choose one with --version-path DIR");
	return RT_EUSAGE;
}

const char *rt_author_sidecar_path(rt_arena *arena, const char *py)
{
	return rt_sprintf(arena, "%.*s.sql", (int)(strlen(py) - 3), py);
}

int rt_author_file_name(const char **out, rt_arena *arena, const rt_config *cfg,
                        const char *dir, const rt_newrev *nr, rt_error *err)
{
	rt_buf path = RT_BUF_INIT;
	rt_buf_printf(&path, "%s/", dir);
	int rc = rt_newrev_filename(&path, cfg->file_template, cfg->truncate_slug_length, nr, err);
	*out = rt_strdup(arena, rt_buf_cstr(&path));
	rt_buf_release(&path);
	return rc;
}

int rt_author_new_id(rt_newrev *nr, rt_arena *arena, rt_error *err)
{
	if (nr->rev_id)
		return rt_newrev_validate(nr, err);
	char *id = rt_alloc(arena, 13);
	int rc = rt_random_rev_id(id, err);
	if (rc < 0)
		return rc;
	nr->rev_id = id;
	return rt_newrev_validate(nr, err);
}

int rt_author_write_revision(rt_author_written *out, rt_arena *arena, const rt_config *cfg,
                             const rt_graph *g, rt_newrev *nr, const char *version_path,
                             const rt_buf *sidecar_sql, rt_error *err)
{
	const char *dir, *py;
	int rc;
	if ((rc = rt_author_new_id(nr, arena, err)) < 0 ||
	    (rc = version_dir(&dir, arena, cfg, g, nr, version_path, err)) < 0 ||
	    (rc = rt_newrev_now(&nr->date, cfg->timezone, err)) < 0 ||
	    (rc = rt_author_file_name(&py, arena, cfg, dir, nr, err)) < 0)
		return rc;
	const char *sql = sidecar_sql ? rt_author_sidecar_path(arena, py) : NULL;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return rt_error_set(err, RT_EOS, NULL, "cannot create '%s': %s", dir, strerror(errno));
	rt_buf text = RT_BUF_INIT;
	if (sql)
		rt_newrev_render_loader(&text, nr);
	else
		rt_newrev_render(&text, nr);
	rc = rt_newrev_write(py, &text, err);
	rt_buf_release(&text);
	if (rc == RT_OK && sql && (rc = rt_newrev_write(sql, sidecar_sql, err)) < 0)
		unlink(py); /* a .py without its sidecar would fail in both tools */
	if (rc < 0)
		return rc;
	*out = (rt_author_written){ .py_path = py, .sql_path = sql };
	return RT_OK;
}
