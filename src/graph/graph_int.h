/*
 * Private representation of the revision graph, shared by the files of
 * src/graph. Nodes are indexed in Alembic's map order (first load position
 * of each id); edges are index arrays; ancestry is a precomputed bitset per
 * node so every "is X an ancestor of Y" is O(1).
 */
#ifndef RETORT_GRAPH_INT_H
#define RETORT_GRAPH_INT_H

#include "retort/graph.h"
#include "retort/plan.h"

/* Special results of a walk (Alembic's None and "base"). */
#define NODE_NONE UINT32_MAX
#define NODE_BASE (UINT32_MAX - 1)

typedef struct idxv {
	uint32_t *v;
	uint32_t n, cap;
} idxv;

typedef struct gnode {
	const rt_revision *rev;
	idxv down;     /* valid down_revision parents, written order */
	idxv deps;     /* resolved depends_on, written order, no dups */
	idxv ndeps;    /* normalised depends_on */
	idxv nd;       /* down + ndeps: Alembic's _normalized_down_revisions */
	idxv kids;     /* nextrev: children by down_revision */
	idxv allkids;  /* _all_nextrev: children by down_revision or depends_on */
	rt_strv labels; /* propagated */
	bool merge;    /* more than one down_revision written */
	bool broken;   /* a written down_revision could not be linked */
} gnode;

/* Open-addressing string -> index table. */
typedef struct strmap {
	const char **keys;
	uint32_t *vals;
	size_t cap, n;
} strmap;

struct rt_graph {
	rt_arena *arena;
	gnode *nodes;
	uint32_t n;
	strmap ids;     /* id -> node */
	strmap labels;  /* label -> declaring node */
	/* Alembic's map key order (ids, then labels) for prefix matching. */
	const char **keys;
	uint32_t *key_node;
	uint32_t nkeys;
	idxv heads, real_heads, bases; /* Alembic order; may repeat an id */
	size_t words;   /* bitset words per node */
	uint64_t *anc;  /* ancestors-or-self through down + depends_on */
	uint64_t *vanc; /* ancestors-or-self through down_revision only */
	size_t nerrors;
};

void gr_idxv_push(rt_arena *a, idxv *v, uint32_t x);
bool gr_idxv_has(const idxv *v, uint32_t x);

void gr_strmap_init(rt_arena *a, strmap *m, size_t expected);
/* Inserts or replaces. */
void gr_strmap_put(rt_arena *a, strmap *m, const char *key, uint32_t val);
/* NODE_NONE when absent. */
uint32_t gr_strmap_get(const strmap *m, const char *key);

static inline bool bit_get(const uint64_t *set, uint32_t i)
{
	return (set[i >> 6] >> (i & 63)) & 1u;
}

static inline void bit_set(uint64_t *set, uint32_t i)
{
	set[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* Which edges an ancestry question follows. */
typedef enum gr_via {
	GR_VIA_DOWN, /* down_revision only */
	GR_VIA_DEPS, /* down_revision and depends_on (Alembic's include_dependencies) */
} gr_via;

/* Which way a walk goes. */
typedef enum gr_way {
	GR_DOWNWARD, /* to the parents, toward the bases */
	GR_UPWARD,   /* to the children, toward the heads */
} gr_way;

static inline const uint64_t *anc_of(const rt_graph *g, uint32_t i, gr_via via)
{
	return (via == GR_VIA_DEPS ? g->anc : g->vanc) + (size_t)i * g->words;
}

/* a is ancestor-or-self of b. */
static inline bool is_anc(const rt_graph *g, uint32_t a, uint32_t b, gr_via via)
{
	return bit_get(anc_of(g, b, via), a);
}

uint32_t gr_node_of(const rt_graph *g, const rt_revision *r);
const char *gr_node_id(const rt_graph *g, uint32_t i);

/*
 * The Alembic error being carried up to the command boundary, where
 * gr_set_cli_error() turns it into the text Alembic's CLI prints.
 */
typedef enum rev_err_kind {
	RE_NONE = 0,
	RE_RESOLUTION,     /* ResolutionError: CLI says "Can't locate ..." */
	RE_MULTIPLE_HEADS, /* MultipleHeads */
	RE_RANGE,          /* RangeNotAncestorError */
	RE_REVISION,       /* plain RevisionError: message shown as is */
} rev_err_kind;

typedef struct rctx {
	const rt_graph *g;
	rt_arena *arena;
	rev_err_kind kind;
	rt_code code;
	const char *msg;
	const char *argument; /* ResolutionError / MultipleHeads argument */
	const char *hint;
	const char *warning;  /* "downgrade -1 from multiple heads ..." */
} rctx;

/* Records an error in ctx; returns -1 so callers can `return gr_fail(...)`. */
int gr_fail(rctx *c, rev_err_kind kind, rt_code code, const char *argument, const char *fmt, ...)
	RT_PRINTF(5, 6);

/*
 * Converts ctx's error to err the way Alembic's _catch_revision_errors does.
 * A range error reads "Destination END is not a valid DIRECTION target from
 * current head(s)", or with direction NULL "Requested range START:END ...".
 */
int gr_set_cli_error(rctx *c, rt_error *err, const char *direction, const char *start,
                     const char *end);

/* A relative target (+N, -N) whose walk runs off the graph: Alembic's
 * assert_relative_length (no_overwalk). */
typedef enum gr_overwalk {
	GR_OVERWALK_STOPS, /* the walk ends at the last revision it reached */
	GR_OVERWALK_FAILS, /* "Relative revision ... didn't produce N migrations" */
} gr_overwalk;

/* Alembic's revision-map primitives on node indices (resolve.c). */
int gr_resolve_revisions(rctx *c, const char *id, idxv *out);           /* get_revisions */
int gr_resolve_revision_list(rctx *c, const rt_strv *ids, idxv *out);   /* tuple form */
int gr_resolve_one(rctx *c, const char *id, uint32_t *out);             /* get_revision */
int gr_parse_upgrade_target(rctx *c, const rt_strv *current, const char *target,
                            gr_overwalk overwalk, idxv *out);
int gr_parse_downgrade_target(rctx *c, const rt_strv *current, const char *target,
                              gr_overwalk overwalk, const char **label, uint32_t *out);
int gr_resolve_branch(rctx *c, const char *label, uint32_t *out);
/* The targets sharing lineage with check_against (a symbol, label@...). */
int gr_filter_for_lineage(rctx *c, const idxv *targets, const char *check_against, gr_via via,
                          idxv *out);

/* Alembic's check argument of _iterate_related_revisions. */
typedef enum gr_overlap {
	GR_OVERLAP_ALLOWED,
	GR_OVERLAP_FAILS, /* a target reached from another target is an error */
} gr_overlap;

/* Ancestors-or-self of targets through down_revision and depends_on, as a
 * bitset of g->words words. */
int gr_ancestors_of(rctx *c, const idxv *targets, gr_overlap overlap, uint64_t *set);
/* Descendants-or-self of targets. */
int gr_descendants_of(rctx *c, const idxv *targets, gr_via via, gr_overlap overlap,
                      uint64_t *set);
uint64_t *gr_bits_new(const rt_graph *g);

/* Alembic's _topological_sort of the members of `todo` (consumed),
 * walking down from `heads`. */
void gr_topo_sort(const rt_graph *g, uint64_t *todo, const idxv *heads, idxv *out);

/* Python's ", ".join. */
void gr_join_ids(rt_buf *b, const rt_graph *g, const idxv *v);

#endif
