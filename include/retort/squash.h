/*
 * Squashing a range of revisions into one (`retort squash`): which revisions
 * the range holds and whether it can be cut out of the graph cleanly, the
 * sidecar SQL of the replacement (every step's statements in plan order,
 * proven to read back identically), and the graph as it will be afterwards.
 * Pure: no file is read or written here (bodies come from rt_revision_body).
 */
#ifndef RETORT_SQUASH_H
#define RETORT_SQUASH_H

#include "buf.h"
#include "config.h"
#include "graph.h"

typedef struct rt_squash {
	const rt_revision *to;   /* REV: the newest revision squashed */
	const rt_revision *from; /* FROM: kept, the new revision's parent; NULL = base */
	rt_revlist members;      /* the range, in `upgrade FROM:REV` order */
	rt_revlist children;     /* revisions whose down_revision names REV, load order */
	rt_strv labels;          /* branch labels declared by members (they move) */
} rt_squash;

/*
 * Resolves `to` and `from` (NULL or "base": everything up to REV) in g and
 * computes the range: REV and its ancestors (depends_on included, as an
 * upgrade plan does) minus FROM and its ancestors. Refuses, naming the
 * revisions, when the range cannot be replaced by one revision whose only
 * parent is FROM:
 *   RT_EUSAGE  FROM is REV or not an ancestor of REV (empty range)
 *   RT_EGRAPH  a revision outside the range revises a member other than REV
 *              (a branch leaves the range); a member revises a revision
 *              outside the range other than FROM (another way in); a
 *              revision outside depends_on a member by id (a dependency
 *              through a member's branch label is kept: the label moves)
 * Resolution errors as rt_graph_resolve_one. *out is arena-owned.
 */
int rt_squash_range(rt_squash *out, rt_arena *arena, const rt_graph *g, const char *to,
                    const char *from, rt_error *err);

/*
 * Appends the sidecar text of the replacement revision to out: a comment
 * header, then the upgrade statements of every member in plan order and
 * the downgrade statements in `downgrade REV:FROM` order. Consecutive
 * statements share a `-- retort:upgrade` (or `-- retort:downgrade`)
 * section; no_transaction ones go in `... no-transaction` sections; each
 * step starts with a `-- <id>: <message>` comment; each statement ends
 * with ";\n". Multi-statement texts (an op.execute string holding several
 * statements) are written as their statements, split as retort splits SQL.
 * Before returning, the text is parsed back as a sidecar and must give the
 * same statements, flags and order (leading comments aside).
 *
 * cfg gives the translator its `types:` map (may be NULL); path names the
 * sidecar in messages. Errors: the body error of the first member that
 * cannot be produced (RT_EUNSUPPORTED, RT_ESYNTAX, RT_ENOTFOUND...), its
 * message prefixed with "cannot squash 'ID': " and its file:line:col kept;
 * RT_ERROR when the text does not read back (naming the statement). out may
 * then hold a partial text.
 */
int rt_squash_sql(rt_buf *out, rt_arena *arena, const rt_graph *g, const rt_squash *sq,
                  const rt_config *cfg, const char *path, rt_error *err);

/*
 * The revisions as they will be after the squash: every revision of g
 * except the members, `newrev` (whose id, down and labels the caller sets
 * from sq), and a copy of each child with REV replaced by newrev's id in
 * its down_revision. newrev->load_order should be REV's. Builds that graph
 * into *out and runs rt_graph_check with the head/base allowances g itself
 * needs, adding every problem to diags. RT_OK, or RT_EGRAPH when errors
 * were added.
 */
int rt_squash_graph(rt_graph **out, rt_arena *arena, const rt_graph *g, const rt_squash *sq,
                    const rt_revision *newrev, rt_diags *diags);

#endif
