/*
 * retort revision / retort merge: write a new, empty version file as
 * Alembic 1.8.1's `revision` and `merge` do (stock template, file_template
 * naming, "Generating PATH ...  done"); `revision --sql` adds a sidecar
 * that the .py runs under Alembic. The texts come from newrev.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "retort/checksum.h"
#include "retort/newrev.h"

struct revision_opts {
	const char *message, *head, *branch_label, *rev_id, *version_path;
	rt_strv depends_on;
	bool sql;
};
/* Copied from ctx->opts when the command runs (until this file moves to src/author). */
static struct revision_opts o;
#define AT(member) CLI_OPT_AT(struct revision_opts, member)

static const struct cli_opt revision_opts[] = {
	{ 'm', "message", CLI_OPT_STRING, AT(message), "MSG", "the revision's message" },
	{ 0, "head", CLI_OPT_STRING, AT(head), "REV",
	  "the head to build on (default: the single head; `base` starts a new base)" },
	{ 0, "branch-label", CLI_OPT_STRING, AT(branch_label), "LABEL",
	  "a branch label for the new revision" },
	{ 0, "depends-on", CLI_OPT_LIST, AT(depends_on), "REV", "a dependency (repeatable)" },
	{ 0, "rev-id", CLI_OPT_STRING, AT(rev_id), "ID", "this id instead of a random one" },
	{ 0, "version-path", CLI_OPT_STRING, AT(version_path), "DIR",
	  "the version location to write into (needed when there are several)" },
	{ 0, "sql", CLI_OPT_FLAG, AT(sql), NULL,
	  "also write X.sql beside X.py; X.py runs its sections under Alembic" },
	{ 0 },
};

static const struct cli_opt merge_opts[] = {
	{ 'm', "message", CLI_OPT_STRING, AT(message), "MSG", "the revision's message" },
	{ 0, "branch-label", CLI_OPT_STRING, AT(branch_label), "LABEL",
	  "a branch label for the new revision" },
	{ 0, "rev-id", CLI_OPT_STRING, AT(rev_id), "ID", "this id instead of a random one" },
	{ 0 },
};

static void list_ids(rt_buf *b, const rt_revlist *revs)
{
	for (size_t i = 0; i < revs->n; i++)
		rt_buf_printf(b, "%s'%s'", i ? ", " : "", revs->v[i]->id);
}

/* Adds every revision `symbol` names to parents; each must be a head. */
static int add_parents(struct cli_ctx *ctx, const char *symbol, rt_revlist *parents,
                       rt_error *err)
{
	rt_revlist found = { 0 };
	int rc = rt_graph_resolve(ctx->graph, symbol, &found, ctx->arena, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < found.n; i++) {
		const rt_revision *r = found.v[i];
		for (size_t j = 0; j < parents->n; j++)
			if (parents->v[j] == r)
				return rt_error_set(err, RT_EUSAGE, NULL,
				                    "revision '%s' is given twice", r->id);
		if (!rt_graph_is_head(ctx->graph, r)) {
			rt_error_set(err, RT_EUSAGE, NULL, "revision '%s' is not a head revision",
			             r->id);
			rt_error_hint(err, "build on a head (see `retort heads`); retort does not "
			                   "splice new branches off older revisions");
			return RT_EUSAGE;
		}
		rt_revlist_push(ctx->arena, parents, r);
	}
	return RT_OK;
}

/* The parents of `revision`: --head, else the single head (none: a base). */
static int revision_parents(struct cli_ctx *ctx, rt_revlist *parents, rt_error *err)
{
	if (o.head)
		return strcmp(o.head, "base") == 0 ? RT_OK : add_parents(ctx, o.head, parents, err);
	rt_revlist heads = { 0 };
	rt_graph_heads(ctx->graph, &heads, ctx->arena);
	if (heads.n > 1) {
		rt_buf b = RT_BUF_INIT;
		list_ids(&b, &heads);
		rt_error_set(err, RT_EGRAPH, NULL, "multiple heads are present: %s", rt_buf_cstr(&b));
		rt_buf_release(&b);
		rt_error_hint(err, "choose the parent with --head REV (or LABEL@head), or join the "
		                   "heads first with `retort merge -m MSG heads`");
		return RT_EGRAPH;
	}
	if (heads.n == 1)
		rt_revlist_push(ctx->arena, parents, heads.v[0]);
	return RT_OK;
}

/* depends_on as Alembic writes it: a branch label stays, a prefix becomes the full id. */
static int resolve_depends(struct cli_ctx *ctx, rt_strv *out, rt_error *err)
{
	for (size_t i = 0; i < o.depends_on.n; i++) {
		const char *dep = o.depends_on.v[i];
		const rt_revision *r;
		int rc = rt_graph_resolve_one(ctx->graph, dep, &r, err);
		if (rc < 0)
			return rc;
		if (!r)
			return rt_error_set(err, RT_EUSAGE, NULL, "cannot depend on '%s'", dep);
		rt_strv_push(ctx->arena, out, rt_strv_index(&r->labels, dep) >= 0 ? dep : r->id);
	}
	return RT_OK;
}

static bool same_dir(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];
	if (realpath(a, ra) && realpath(b, rb))
		return strcmp(ra, rb) == 0;
	return strcmp(a, b) == 0;
}

/* The folder to write into: version_path (one of the version locations),
 * the first parent's folder when there are several locations, else the one. */
static int version_dir(struct cli_ctx *ctx, const rt_newrev *nr, const char *version_path,
                       const char **out, rt_error *err)
{
	const rt_strv *locs = &ctx->cfg->version_locations;
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
	const rt_revision *parent = nr->down.n ? rt_graph_get(ctx->graph, nr->down.v[0]) : NULL;
	if (parent && locs->n > 1) {
		const char *slash = strrchr(parent->path, '/');
		*out = slash ? rt_strndup(ctx->arena, parent->path, (size_t)(slash - parent->path))
		             : ".";
		return RT_OK;
	}
	rt_error_set(err, RT_EUSAGE, NULL, "multiple version locations are present");
	rt_error_hint(err, "choose one with --version-path DIR");
	return RT_EUSAGE;
}

/* path with its ".py" replaced by ".sql", in the arena. */
static const char *sidecar_path(rt_arena *arena, const char *py)
{
	size_t n = strlen(py);
	return rt_sprintf(arena, "%.*s.sql", (int)(n - 3), py);
}

static void report(struct cli_ctx *ctx, const rt_newrev *nr, const char *py, const char *sql)
{
	if (ctx->format == RT_FORMAT_JSON) {
		rt_buf f = RT_BUF_INIT;
		rt_buf_puts(&f, "\"id\":");
		rt_buf_json_str(&f, nr->rev_id);
		rt_buf_puts(&f, ",\"parents\":[");
		for (size_t i = 0; i < nr->down.n; i++) {
			if (i)
				rt_buf_putc(&f, ',');
			rt_buf_json_str(&f, nr->down.v[i]);
		}
		rt_buf_puts(&f, "],\"path\":");
		rt_buf_json_str(&f, py);
		if (sql) {
			rt_buf_puts(&f, ",\"sql_path\":");
			rt_buf_json_str(&f, sql);
		}
		cli_json_event(ctx, "revision_created", &f);
		rt_buf_release(&f);
	} else if (ctx->verbosity >= 0) {
		fprintf(ctx->out, "Generating %s ...  done\n", py);
		if (sql)
			fprintf(ctx->out, "Generating %s ...  done\n", sql);
	}
}

int cli_write_revision(struct cli_ctx *ctx, rt_newrev *nr, const char *version_path,
                       const rt_buf *sidecar_sql, const char **py_path, rt_error *err)
{
	int rc;
	if (!nr->rev_id) {
		char *id = rt_alloc(ctx->arena, 13);
		if ((rc = rt_random_rev_id(id, err)) < 0)
			return rc;
		nr->rev_id = id;
	}
	if ((rc = rt_newrev_validate(nr, err)) < 0)
		return rc;
	const char *dir;
	if ((rc = version_dir(ctx, nr, version_path, &dir, err)) < 0)
		return rc;
	if ((rc = rt_newrev_now(&nr->date, ctx->cfg->timezone, err)) < 0)
		return rc;
	rt_buf path = RT_BUF_INIT, text = RT_BUF_INIT;
	rt_buf_printf(&path, "%s/", dir);
	rc = rt_newrev_filename(&path, ctx->cfg->file_template, ctx->cfg->truncate_slug_length,
	                        nr, err);
	const char *py = rt_strdup(ctx->arena, rt_buf_cstr(&path));
	const char *sql = rc == RT_OK && sidecar_sql ? sidecar_path(ctx->arena, py) : NULL;
	rt_buf_release(&path);
	if (rc == RT_OK && mkdir(dir, 0777) != 0 && errno != EEXIST)
		rc = rt_error_set(err, RT_EOS, NULL, "cannot create '%s': %s", dir, strerror(errno));
	if (rc == RT_OK) {
		if (sql)
			rt_newrev_render_loader(&text, nr);
		else
			rt_newrev_render(&text, nr);
		rc = rt_newrev_write(py, &text, err);
	}
	if (rc == RT_OK && sql && (rc = rt_newrev_write(sql, sidecar_sql, err)) < 0)
		unlink(py); /* a .py without its sidecar would fail in both tools */
	rt_buf_release(&text);
	if (rc < 0)
		return rc;
	report(ctx, nr, py, sql);
	if (py_path)
		*py_path = py;
	return RT_OK;
}

static int create(struct cli_ctx *ctx, const rt_revlist *parents, rt_error *err)
{
	rt_newrev nr = { .message = o.message, .rev_id = o.rev_id };
	for (size_t i = 0; i < parents->n; i++)
		rt_strv_push(ctx->arena, &nr.down, parents->v[i]->id);
	if (o.branch_label)
		rt_strv_push(ctx->arena, &nr.labels, o.branch_label);
	int rc = resolve_depends(ctx, &nr.depends, err);
	if (rc < 0)
		return rc;
	if (o.rev_id && rt_graph_get(ctx->graph, o.rev_id))
		return rt_error_set(err, RT_EUSAGE, NULL, "revision '%s' already exists", o.rev_id);
	if (o.branch_label && rt_graph_label_owner(ctx->graph, o.branch_label))
		return rt_error_set(err, RT_EUSAGE, NULL, "branch label '%s' is already used by "
		                    "'%s'", o.branch_label,
		                    rt_graph_label_owner(ctx->graph, o.branch_label)->id);
	if (!o.sql)
		return cli_write_revision(ctx, &nr, o.version_path, NULL, NULL, err);
	rt_buf sql = RT_BUF_INIT;
	rt_newrev_render_sql(&sql);
	rc = cli_write_revision(ctx, &nr, o.version_path, &sql, NULL, err);
	rt_buf_release(&sql);
	return rc;
}

static int run_revision(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	o = *(const struct revision_opts *)ctx->opts;
	if (cli_expect_args(ctx, args, 0, 0, err) < 0)
		return err->code;
	rt_revlist parents = { 0 };
	int rc = revision_parents(ctx, &parents, err);
	return rc < 0 ? rc : create(ctx, &parents, err);
}

static int run_merge(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	o = *(const struct revision_opts *)ctx->opts;
	if (cli_expect_args(ctx, args, 1, (size_t)-1, err) < 0)
		return err->code;
	rt_revlist parents = { 0 };
	for (size_t i = 0; i < args->n; i++) {
		int rc = add_parents(ctx, args->v[i], &parents, err);
		if (rc < 0)
			return rc;
	}
	return create(ctx, &parents, err);
}

const struct cli_cmd cli_cmd_revision = {
	.name = "revision",
	.args = "[-m MSG] [--head REV] [--branch-label L] [--depends-on REV] [--rev-id ID] "
	        "[--version-path DIR] [--sql]",
	.summary = "write a new, empty version file on the head",
	.opts = revision_opts,
	.flags = CLI_NEED_GRAPH,
	.opts_size = sizeof(struct revision_opts),
	.run = run_revision,
};

const struct cli_cmd cli_cmd_merge = {
	.name = "merge",
	.args = "[-m MSG] [--branch-label L] [--rev-id ID] REV... | heads",
	.summary = "write a merge revision joining the given heads",
	.opts = merge_opts,
	.flags = CLI_NEED_GRAPH,
	.opts_size = sizeof(struct revision_opts),
	.min_args = 1,
	.max_args = CLI_ARGS_MANY,
	.run = run_merge,
};
