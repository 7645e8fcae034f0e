/*
 * The revision graph: built from rt_revision nodes, verified, queried, and
 * resolved exactly as Alembic's RevisionMap does (docs/graph.md). Pure: no
 * files, no database. Plans (upgrade, downgrade, stamp) are in plan.h.
 */
#ifndef RETORT_GRAPH_H
#define RETORT_GRAPH_H

#include "arena.h"
#include "buf.h"
#include "error.h"
#include "revision.h"

typedef struct rt_graph rt_graph;

/* A list of revisions in an arena; `v` is NULL while empty. */
typedef struct rt_revlist {
	const rt_revision **v;
	size_t n, cap;
} rt_revlist;

void rt_revlist_push(rt_arena *arena, rt_revlist *list, const rt_revision *rev);

/*
 * Builds the graph of revs[0..n) (any order; load_order decides ties, as
 * Alembic's file load order does). Every problem becomes a diagnostic with
 * the location of the offending assignment, a message and a hint; the graph
 * is still built from the valid part (dangling and cycle-forming edges are
 * left out), so heads/history keep working on a broken project.
 * Kinds: "empty-revision-id", "illegal-revision-id", "revision-id-too-long",
 * "duplicate-revision", "missing-down-revision", "down-revision-not-an-id",
 * "missing-dependency", "self-loop", "dependency-self-loop", "cycle",
 * "dependency-cycle", "duplicate-branch-label".
 * *out is always set. Returns RT_OK, or RT_EGRAPH when errors were added.
 * Everything lives in `arena`; the revisions must outlive the graph.
 */
int rt_graph_build(rt_graph **out, rt_arena *arena, rt_revision **revs, size_t n,
                   rt_diags *diags);

/* Number of errors rt_graph_build recorded (0 = the graph is sound). */
size_t rt_graph_error_count(const rt_graph *g);

typedef struct rt_graph_check_opts {
	bool allow_multiple_heads; /* deploys use `heads` or label@head targets */
	bool allow_multiple_bases; /* deliberate independent roots */
} rt_graph_check_opts;

/*
 * What makes a deploy of the default target `head` fail, beyond build
 * errors: several heads ("multiple-heads", naming the fork point and both
 * chains) and several bases ("multiple-bases"). Each is an error unless the
 * matching option allows it (then nothing / a warning). opts may be NULL.
 */
void rt_graph_check(const rt_graph *g, const rt_graph_check_opts *opts, rt_diags *diags);

/* ---- structure (Alembic's RevisionMap attributes) ---- */

/* The revisions in load order; a duplicated id appears once (the winner). */
size_t rt_graph_size(const rt_graph *g);
const rt_revision *rt_graph_at(const rt_graph *g, size_t i);
/* Exact id lookup (the file loaded last wins for duplicates), or NULL. */
const rt_revision *rt_graph_get(const rt_graph *g, const char *id);
/* The revision declaring `label`, or NULL. */
const rt_revision *rt_graph_label_owner(const rt_graph *g, const char *label);

/* Alembic's `heads` (no down_revision child), in its order; a duplicated id
 * is listed once per file, as Alembic does. */
void rt_graph_heads(const rt_graph *g, rt_revlist *out, rt_arena *arena);
/* Real heads: no child by down_revision nor depends_on (target `heads`). */
void rt_graph_real_heads(const rt_graph *g, rt_revlist *out, rt_arena *arena);
/* Bases: empty down_revision. */
void rt_graph_bases(const rt_graph *g, rt_revlist *out, rt_arena *arena);

/* The per-revision predicates take a revision of this graph. */
bool rt_graph_is_head(const rt_graph *g, const rt_revision *r);        /* plain */
bool rt_graph_is_real_head(const rt_graph *g, const rt_revision *r);
bool rt_graph_is_branch_point(const rt_graph *g, const rt_revision *r); /* >1 child */
bool rt_graph_is_merge_point(const rt_graph *g, const rt_revision *r);  /* >1 parent */
/* Children through down_revision (Alembic's nextrev), load order. */
void rt_graph_children(const rt_graph *g, const rt_revision *r, rt_revlist *out,
                       rt_arena *arena);
/* Revisions naming r in depends_on (directly), load order. */
void rt_graph_dependents(const rt_graph *g, const rt_revision *r, rt_revlist *out,
                         rt_arena *arena);
/* Branch labels after Alembic's propagation (own, descendants', and up a
 * straight line), ordered by declaring revision then declared position. */
const rt_strv *rt_graph_labels(const rt_graph *g, const rt_revision *r);
/* Normalised depends_on: resolved ids minus those declared by a
 * down_revision ancestor. */
void rt_graph_depends(const rt_graph *g, const rt_revision *r, rt_revlist *out,
                      rt_arena *arena);
/* down(R) = down_revision + normalised depends_on, written order, no dups. */
void rt_graph_down(const rt_graph *g, const rt_revision *r, rt_revlist *out,
                   rt_arena *arena);
/* Which edges an ancestry walk follows. */
typedef enum rt_graph_edges {
	RT_EDGES_DOWN,      /* down_revision only */
	RT_EDGES_WITH_DEPS, /* down_revision and depends_on */
} rt_graph_edges;
/* True when `anc` is `r` or one of its ancestors along `edges`. */
bool rt_graph_is_ancestor(const rt_graph *g, const rt_revision *anc, const rt_revision *r,
                          rt_graph_edges edges);

/* ---- resolution (Alembic's get_revisions / get_revision) ---- */

/*
 * Resolves a symbol to revisions: `head`, `heads`, `base` (empty list),
 * full id, branch label (the declaring revision), prefix of an id or label
 * longer than 3 characters, `label@head`, `label@heads`, `label@rev`,
 * `label@base`, and `-N`/`label@-N` (walk down from the heads). Errors,
 * with Alembic's CLI text in message and its underlying reason in detail:
 * RT_ENOTFOUND "Can't locate revision identified by 'x'", RT_EAMBIGUOUS for
 * an ambiguous prefix or "Multiple head revisions are present ...".
 */
int rt_graph_resolve(const rt_graph *g, const char *symbol, rt_revlist *out, rt_arena *arena,
                     rt_error *err);
/* Like rt_graph_resolve but for exactly one revision (Alembic's
 * get_revision): *out is NULL for `base`. Used for offline FROM:TO starts. */
int rt_graph_resolve_one(const rt_graph *g, const char *symbol, const rt_revision **out,
                         rt_error *err);

/* ---- listings (Alembic's history, heads, branches, show, current) ---- */

/*
 * Revisions `history -r RANGE` prints, in its order (newest first).
 * range NULL = everything; else "A:B", "A:", ":B"; A or B may be `current`
 * (then `rows`, the version table's rows, is used), relative forms, labels.
 * Errors as Alembic: "History range requires [start]:[end], [start]:, or
 * :[end]", "Requested range A:B does not refer to ancestor/descendant
 * revisions along the same branch", resolution errors.
 */
int rt_graph_history(const rt_graph *g, const char *range, const rt_strv *rows,
                     rt_revlist *out, rt_arena *arena, rt_error *err);

/* Supplies a revision's whole docstring (stripped) for verbose listings;
 * NULL or a NULL return falls back to rt_revision.message. */
typedef const char *(*rt_longdoc_fn)(const rt_revision *r, void *ctx);

typedef struct rt_graph_fmt {
	bool verbose;
	rt_longdoc_fn longdoc;
	void *longdoc_ctx;
	const rt_strv *current; /* rows for "(current)" markers, or NULL */
} rt_graph_fmt;

/* `history`: one line per revision of `revs` (from rt_graph_history):
 * `<parents|<base>> [(deps)] -> rev [(labels)] [(head)] [(effective head)]
 * [(current)] [(branchpoint)] [(mergepoint)], message`, or log entries. */
void rt_graph_format_history(rt_buf *b, const rt_graph *g, const rt_revlist *revs,
                             const rt_graph_fmt *fmt);
/* `heads [--resolve-dependencies]`. */
void rt_graph_format_heads(rt_buf *b, const rt_graph *g, bool resolve_dependencies,
                           const rt_graph_fmt *fmt);
/* `branches`. */
void rt_graph_format_branches(rt_buf *b, const rt_graph *g, const rt_graph_fmt *fmt);
/* `show`: the verbose entry of each revision in revs. */
void rt_graph_format_show(rt_buf *b, const rt_graph *g, const rt_revlist *revs,
                          const rt_graph_fmt *fmt);
/* `current`: the applied tips for `rows` (rows first, then revisions that
 * are tips through dependencies, e.g. `(effective head)`). Unknown rows give
 * RT_ENOTFOUND "Can't locate revision identified by 'x'". */
int rt_graph_format_current(rt_buf *b, const rt_graph *g, const rt_strv *rows,
                            const rt_graph_fmt *fmt, rt_error *err);

#endif
