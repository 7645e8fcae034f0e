/*
 * Target resolution, a faithful port of Alembic 1.8.1's RevisionMap
 * (_resolve_revision_number, _revision_for_ident, filter_for_lineage,
 * _walk, _parse_upgrade_target, _parse_downgrade_target) and of the error
 * texts ScriptDirectory._catch_revision_errors turns them into.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

int gr_fail(rctx *c, rev_err_kind kind, rt_code code, const char *argument, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	c->msg = rt_vsprintf(c->arena, fmt, ap);
	va_end(ap);
	c->kind = kind;
	c->code = code;
	c->argument = argument ? rt_strdup(c->arena, argument) : NULL;
	c->hint = NULL;
	return -1;
}

int gr_set_cli_error(rctx *c, rt_error *err, const char *direction, const char *start,
                     const char *end)
{
	switch (c->kind) {
	case RE_RESOLUTION:
		rt_error_set(err, strncmp(c->msg, "Multiple revisions", 18) ? RT_ENOTFOUND
		                                                                : RT_EAMBIGUOUS,
		             NULL, "Can't locate revision identified by '%s'", c->argument);
		rt_error_detail(err, "%s", c->msg);
		rt_error_hint(err, "%s", c->hint ? c->hint
		                                 : "use a full revision id, a unique prefix of 4 or "
		                                   "more characters, or a branch label "
		                                   "(retort history lists them)");
		return err ? err->code : RT_ENOTFOUND;
	case RE_MULTIPLE_HEADS: {
		const char *arg = end ? end : c->argument;
		rt_error_set(err, RT_EAMBIGUOUS, NULL,
		             "Multiple head revisions are present for given argument '%s'; please "
		             "specify a specific target revision, '<branchname>@%s' to narrow to a "
		             "specific head, or 'heads' for all heads", arg, arg);
		rt_error_detail(err, "%s", c->msg);
		rt_error_hint(err, "join the heads with a merge revision (retort merge heads), "
		                   "target one branch with 'label@head', or use 'heads'");
		return RT_EAMBIGUOUS;
	}
	case RE_RANGE:
		if (direction)
			rt_error_set(err, RT_EGRAPH, NULL, "Destination %s is not a valid %s target "
			             "from current head(s)", end, direction);
		else
			rt_error_set(err, RT_EGRAPH, NULL,
			             "Requested range %s:%s does not refer to ancestor/descendant "
			             "revisions along the same branch", start, end);
		if (c->hint)
			rt_error_hint(err, "%s", c->hint);
		return RT_EGRAPH;
	case RE_REVISION:
	default:
		rt_error_set(err, c->code ? c->code : RT_EGRAPH, NULL, "%s", c->msg);
		if (c->hint)
			rt_error_hint(err, "%s", c->hint);
		return c->code ? c->code : RT_EGRAPH;
	}
}

static const char *label_at(rctx *c, const char *label, const char *sym)
{
	return label ? rt_sprintf(c->arena, "%s@%s", label, sym) : sym;
}

/* ---- symbols ---- */

static int shares_lineage(rctx *c, uint32_t target, const rt_strv *against, gr_via via,
                          bool *yes);
static int revision_for_ident(rctx *c, const char *rid, const char *branch, uint32_t *out);

/*
 * _resolve_revision_number: the ids a symbol stands for (strings, still to
 * be looked up: a prefix stays a prefix) and its branch label.
 */
static int resolve_number(rctx *c, const char *id, rt_strv *ids, const char **label);

int gr_filter_for_lineage(rctx *c, const idxv *targets, const char *check_against, gr_via via,
                          idxv *out)
{
	rt_strv ids = { 0 };
	const char *label = NULL;
	if (check_against && resolve_number(c, check_against, &ids, &label) < 0)
		return -1;
	rt_strv shares = { 0 };
	if (label)
		rt_strv_push(c->arena, &shares, label);
	for (size_t k = 0; k < ids.n; k++)
		rt_strv_push(c->arena, &shares, ids.v[k]);
	for (uint32_t k = 0; k < targets->n; k++) {
		bool yes;
		if (shares_lineage(c, targets->v[k], &shares, via, &yes) < 0)
			return -1;
		if (yes)
			gr_idxv_push(c->arena, out, targets->v[k]);
	}
	return 0;
}

static int current_head(rctx *c, const char *label, rt_strv *ids)
{
	const rt_graph *g = c->g;
	idxv heads = { 0 };
	if (label) {
		if (gr_filter_for_lineage(c, &g->heads, label, GR_VIA_DOWN, &heads) < 0)
			return -1;
	} else {
		heads = g->heads;
	}
	if (heads.n > 1) {
		rt_buf b = RT_BUF_INIT;
		gr_join_ids(&b, g, &heads);
		const char *arg = label_at(c, label, "head");
		gr_fail(c, RE_MULTIPLE_HEADS, RT_EAMBIGUOUS, arg,
		        "Multiple heads are present for given argument '%s'; %s", arg, rt_buf_cstr(&b));
		rt_buf_release(&b);
		return -1;
	}
	if (heads.n)
		rt_strv_push(c->arena, ids, gr_node_id(g, heads.v[0]));
	return 0;
}

static int resolve_number(rctx *c, const char *id, rt_strv *ids, const char **label)
{
	const rt_graph *g = c->g;
	*label = NULL;
	if (!id)
		return 0;
	const char *at = strchr(id, '@');
	if (at) {
		*label = rt_strndup(c->arena, id, (size_t)(at - id));
		id = at + 1;
	}
	if (strcmp(id, "heads") == 0) {
		idxv heads = { 0 };
		if (*label) {
			if (gr_filter_for_lineage(c, &g->heads, *label, GR_VIA_DOWN, &heads) < 0)
				return -1;
		} else {
			heads = g->real_heads;
		}
		for (uint32_t k = 0; k < heads.n; k++)
			rt_strv_push(c->arena, ids, gr_node_id(g, heads.v[k]));
		return 0;
	}
	if (strcmp(id, "head") == 0)
		return current_head(c, *label, ids);
	if (strcmp(id, "base") == 0)
		return 0;
	rt_strv_push(c->arena, ids, id);
	return 0;
}

static int shares_lineage(rctx *c, uint32_t target, const rt_strv *against, gr_via via,
                          bool *yes)
{
	*yes = !against->n;
	for (size_t k = 0; k < against->n; k++) {
		uint32_t t;
		if (revision_for_ident(c, against->v[k], NULL, &t) < 0)
			return -1;
		if (t != NODE_NONE && (is_anc(c->g, t, target, via) || is_anc(c->g, target, t, via)))
			*yes = true;
	}
	return 0;
}

int gr_resolve_branch(rctx *c, const char *label, uint32_t *out)
{
	const rt_graph *g = c->g;
	*out = gr_strmap_get(&g->ids, label);
	if (*out == NODE_NONE)
		*out = gr_strmap_get(&g->labels, label);
	if (*out != NODE_NONE)
		return 0;
	if (revision_for_ident(c, label, NULL, out) < 0) {
		if (c->kind == RE_RESOLUTION)
			gr_fail(c, RE_RESOLUTION, RT_ENOTFOUND, label, "No such branch: '%s'", label);
		return -1;
	}
	return 0;
}

/* _revision_for_ident: exact id or label, else a unique prefix among the
 * map's keys longer than 3 characters; NULL rid is "base" (NODE_NONE). */
static int revision_for_ident(rctx *c, const char *rid, const char *branch, uint32_t *out)
{
	const rt_graph *g = c->g;
	uint32_t branch_rev = NODE_NONE;
	if (branch && gr_resolve_branch(c, branch, &branch_rev) < 0)
		return -1;
	*out = NODE_NONE;
	if (!rid)
		return 0;
	uint32_t r = gr_strmap_get(&g->ids, rid);
	if (r == NODE_NONE)
		r = gr_strmap_get(&g->labels, rid);
	if (r == NODE_NONE) {
		size_t len = strlen(rid);
		idxv cand = { 0 }, keys = { 0 };
		for (uint32_t k = 0; k < g->nkeys; k++) {
			if (strlen(g->keys[k]) > 3 && strncmp(g->keys[k], rid, len) == 0) {
				gr_idxv_push(c->arena, &cand, g->key_node[k]);
				gr_idxv_push(c->arena, &keys, k);
			}
		}
		if (branch_rev != NODE_NONE) {
			idxv kept = { 0 }, kept_keys = { 0 };
			for (uint32_t k = 0; k < cand.n; k++) {
				idxv one = { .v = &cand.v[k], .n = 1 }, res = { 0 };
				if (gr_filter_for_lineage(c, &one, branch, GR_VIA_DOWN, &res) < 0)
					return -1;
				if (res.n) {
					gr_idxv_push(c->arena, &kept, cand.v[k]);
					gr_idxv_push(c->arena, &kept_keys, keys.v[k]);
				}
			}
			cand = kept;
			keys = kept_keys;
		}
		if (!cand.n)
			return gr_fail(c, RE_RESOLUTION, RT_ENOTFOUND, rid, "No such revision or branch '%s'%s",
			               rid, len < 4 ? "; please ensure at least four characters are present "
			                           "for partial revision identifier matches" : "");
		if (cand.n > 1) {
			rt_buf b = RT_BUF_INIT;
			for (uint32_t k = 0; k < cand.n && k < 3; k++)
				rt_buf_printf(&b, "%s'%s'", k ? ", " : "", g->keys[keys.v[k]]);
			gr_fail(c, RE_RESOLUTION, RT_EAMBIGUOUS, rid,
			        "Multiple revisions start with '%s': %s...", rid, rt_buf_cstr(&b));
			c->hint = "give more characters of the revision id";
			rt_buf_release(&b);
			return -1;
		}
		r = cand.v[0];
	}
	if (branch && !(is_anc(g, branch_rev, r, GR_VIA_DOWN) || is_anc(g, r, branch_rev, GR_VIA_DOWN)))
		return gr_fail(c, RE_RESOLUTION, RT_ENOTFOUND, rid,
		               "Revision %s is not a member of branch '%s'", gr_node_id(g, r), branch);
	*out = r;
	return 0;
}

/* ---- walks ---- */

/* Python's int() on the symbol, for the `-N` form of get_revisions. */
static bool parse_int(const char *s, long *v)
{
	while (isspace((unsigned char)*s))
		s++;
	char *end;
	if (!*s || !(isdigit((unsigned char)*s) || ((*s == '-' || *s == '+') &&
	                                           isdigit((unsigned char)s[1]))))
		return false;
	long x = strtol(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return false;
	*v = x;
	return true;
}

static int walk(rctx *c, uint32_t start, long steps, const char *label, gr_overwalk overwalk,
                uint32_t *out);

int gr_resolve_revisions(rctx *c, const char *id, idxv *out)
{
	rt_strv ids = { 0 };
	const char *label;
	if (resolve_number(c, id, &ids, &label) < 0)
		return -1;
	long n;
	if (ids.n == 1 && parse_int(ids.v[0], &n) && n < 0) {
		const rt_graph *g = c->g;
		for (uint32_t k = 0; k < g->real_heads.n; k++) {
			uint32_t h = g->real_heads.v[k];
			if (label && rt_strv_index(&g->nodes[h].labels, label) < 0)
				continue;
			uint32_t r;
			if (walk(c, h, n, NULL, GR_OVERWALK_FAILS, &r) < 0)
				return -1;
			gr_idxv_push(c->arena, out, r);
		}
		return 0;
	}
	for (size_t k = 0; k < ids.n; k++) {
		uint32_t r;
		if (revision_for_ident(c, ids.v[k], label, &r) < 0)
			return -1;
		gr_idxv_push(c->arena, out, r);
	}
	return 0;
}

int gr_resolve_revision_list(rctx *c, const rt_strv *ids, idxv *out)
{
	for (size_t k = 0; ids && k < ids->n; k++)
		if (gr_resolve_revisions(c, ids->v[k], out) < 0)
			return -1;
	return 0;
}

int gr_resolve_one(rctx *c, const char *id, uint32_t *out)
{
	rt_strv ids = { 0 };
	const char *label;
	if (resolve_number(c, id, &ids, &label) < 0)
		return -1;
	if (ids.n > 1) {
		rt_buf b = RT_BUF_INIT;
		for (size_t k = 0; k < ids.n; k++)
			rt_buf_printf(&b, "%s%s", k ? ", " : "", ids.v[k]);
		gr_fail(c, RE_MULTIPLE_HEADS, RT_EAMBIGUOUS, id,
		        "Multiple heads are present for given argument '%s'; %s", id, rt_buf_cstr(&b));
		rt_buf_release(&b);
		return -1;
	}
	return revision_for_ident(c, ids.n ? ids.v[0] : NULL, label, out);
}

/* _walk: steps > 0 up the children, < 0 down the parents; NODE_NONE as a
 * start is "before the bases"; NODE_BASE is Alembic's "base" marker. */
static int walk(rctx *c, uint32_t start, long steps, const char *label, gr_overwalk overwalk,
                uint32_t *out)
{
	const rt_graph *g = c->g;
	uint32_t cur = start;
	long n = steps < 0 ? -steps : steps;
	for (long s = 0; s < n; s++) {
		idxv children = { 0 };
		uint32_t base_marker = NODE_BASE;
		if (steps > 0) {
			const idxv *up = cur == NODE_NONE || cur == NODE_BASE ? &g->bases
			                                                       : &g->nodes[cur].kids;
			if (label) {
				if (gr_filter_for_lineage(c, up, label, GR_VIA_DOWN, &children) < 0)
					return -1;
			} else {
				children = *up;
			}
		} else if (cur != NODE_BASE) {
			children = cur == NODE_NONE ? g->heads : g->nodes[cur].down;
			if (!children.n)
				children = (idxv){ .v = &base_marker, .n = 1 };
		}
		if (!children.n) {
			*out = overwalk == GR_OVERWALK_FAILS ? NODE_NONE : cur;
			return 0;
		}
		if (children.n > 1) {
			gr_fail(c, RE_REVISION, RT_EAMBIGUOUS, NULL, "Ambiguous walk");
			c->hint = "the walk reaches a branch point or merge point; name the target "
			          "revision instead";
			return -1;
		}
		cur = children.v[0];
	}
	*out = cur;
	return 0;
}

/* Alembic's _relative_destination, `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)`,
 * matched at the start only. */
typedef struct relmatch {
	const char *label, *symbol, *rel;
	long value;
} relmatch;

static bool is_word(unsigned char ch)
{
	return isalnum(ch) || ch == '_' || ch >= 0x80;
}

static bool match_rest(rctx *c, const char *s, relmatch *m)
{
	size_t n = 0;
	while (is_word((unsigned char)s[n]))
		n++;
	if ((s[n] != '+' && s[n] != '-') || !isdigit((unsigned char)s[n + 1]))
		return false;
	size_t d = n + 1;
	while (isdigit((unsigned char)s[d]))
		d++;
	m->symbol = n ? rt_strndup(c->arena, s, n) : NULL;
	m->rel = rt_strndup(c->arena, s + n, d - n);
	m->value = strtol(m->rel, NULL, 10); /* saturates; a walk that long fails anyway */
	return true;
}

static bool match_relative(rctx *c, const char *s, relmatch *m)
{
	memset(m, 0, sizeof(*m));
	if (!s)
		return false;
	for (const char *at = strchr(s + (*s ? 1 : 0), '@'); at; at = strchr(at + 1, '@')) {
		if (match_rest(c, at + 1, m)) {
			m->label = rt_strndup(c->arena, s, (size_t)(at - s));
			return true;
		}
	}
	return match_rest(c, s, m);
}

static int relative_error(rctx *c, const char *rel, long value)
{
	gr_fail(c, RE_REVISION, RT_ENOTFOUND, NULL,
	        "Relative revision %s didn't produce %ld migrations", rel, value < 0 ? -value : value);
	c->hint = "the walk leaves the revision graph; use a smaller step or name the target";
	return -1;
}

int gr_parse_upgrade_target(rctx *c, const rt_strv *current, const char *target,
                            gr_overwalk overwalk, idxv *out)
{
	relmatch m;
	if (!match_relative(c, target, &m))
		return gr_resolve_revisions(c, target, out);
	const rt_graph *g = c->g;
	uint32_t rev;
	if (m.value > 0 && !m.symbol) {
		idxv start = { 0 };
		bool from_rows = true;
		if (m.label) {
			idxv revs = { 0 };
			if (gr_resolve_revision_list(c, current, &revs) < 0 ||
			    gr_filter_for_lineage(c, &revs, m.label, GR_VIA_DOWN, &start) < 0)
				return -1;
			from_rows = false;
			if (!start.n) {
				/* not on the branch yet: start from its latest applied ancestor */
				uint64_t *applied = gr_bits_new(g);
				if (gr_ancestors_of(c, &revs, GR_OVERLAP_ALLOWED, applied) < 0)
					return -1;
				idxv act = { 0 }, onb = { 0 };
				for (uint32_t i = 0; i < g->n; i++)
					if (bit_get(applied, i))
						gr_idxv_push(c->arena, &act, i);
				if (gr_filter_for_lineage(c, &act, m.label, GR_VIA_DOWN, &onb) < 0)
					return -1;
				for (uint32_t k = 0; k < onb.n; k++) {
					bool below = false;
					for (uint32_t j = 0; j < onb.n && !below; j++)
						below = gr_idxv_has(&g->nodes[onb.v[j]].nd, onb.v[k]);
					if (!below)
						gr_idxv_push(c->arena, &start, onb.v[k]);
				}
			}
		}
		size_t nstart = from_rows ? (current && current->n ? current->n : 1) : start.n;
		if (nstart > 1) {
			gr_fail(c, RE_REVISION, RT_EAMBIGUOUS, NULL,
			        "Ambiguous upgrade from multiple current revisions");
			c->hint = "name the branch to move: 'label@+N'";
			return -1;
		}
		uint32_t s0 = NODE_NONE;
		if (from_rows && current && current->n) {
			if (gr_resolve_one(c, current->v[0], &s0) < 0)
				return -1;
		} else if (!from_rows && start.n) {
			s0 = start.v[0];
		}
		if (walk(c, s0, m.value, m.label, overwalk, &rev) < 0)
			return -1;
		if (rev == NODE_NONE)
			return relative_error(c, m.rel, m.value);
		gr_idxv_push(c->arena, out, rev);
		return 0;
	}
	if (!m.symbol) {
		gr_fail(c, RE_REVISION, RT_ENOTFOUND, NULL,
		        "Relative revision %ld didn't produce %ld migrations", m.value,
		        m.value < 0 ? -m.value : m.value);
		c->hint = "upgrade walks up: use +N";
		return -1;
	}
	uint32_t s0;
	if (gr_resolve_one(c, m.value > 0 ? m.symbol : label_at(c, m.label, m.symbol), &s0) < 0)
		return -1;
	if (walk(c, s0, m.value, m.value > 0 ? m.label : NULL, overwalk, &rev) < 0)
		return -1;
	if (rev == NODE_NONE) {
		/* Alembic 1.8.1 fails here with a bare AssertionError */
		gr_fail(c, RE_REVISION, RT_ENOTFOUND, NULL, "Walked too far");
		return -1;
	}
	if (rev != NODE_BASE)
		gr_idxv_push(c->arena, out, rev);
	return 0;
}

int gr_parse_downgrade_target(rctx *c, const rt_strv *current, const char *target,
                              gr_overwalk overwalk, const char **label, uint32_t *out)
{
	const rt_graph *g = c->g;
	*label = NULL;
	*out = NODE_NONE;
	if (!target)
		return 0;
	relmatch m;
	if (match_relative(c, target, &m)) {
		uint32_t rev;
		if (m.value >= 0) {
			if (!m.symbol)
				return relative_error(c, m.rel, m.value);
			uint32_t s0;
			if (gr_resolve_one(c, m.symbol, &s0) < 0 ||
			    walk(c, s0, m.value, m.label, overwalk, &rev) < 0)
				return -1;
			if (rev == NODE_NONE)
				return gr_fail(c, RE_REVISION, RT_ENOTFOUND, NULL, "Walked too far");
			*label = m.label;
			*out = rev;
			return 0;
		}
		const char *symbol = m.symbol, *blabel = m.label;
		if (!symbol) {
			if (blabel) {
				idxv rows = { 0 }, on = { 0 };
				if (gr_resolve_revision_list(c, current, &rows) < 0 ||
				    gr_filter_for_lineage(c, &rows, blabel, GR_VIA_DOWN, &on) < 0)
					return -1;
				if (!on.n) {
					/* _get_all_current: the applied tips, dependencies included */
					uint64_t *all = gr_bits_new(g);
					if (gr_ancestors_of(c, &rows, GR_OVERLAP_ALLOWED, all) < 0)
						return -1;
					idxv tips = { 0 };
					for (uint32_t i = 0; i < g->n; i++) {
						if (!bit_get(all, i))
							continue;
						bool covered = false;
						for (uint32_t j = 0; j < g->n && !covered; j++)
							covered = j != i && bit_get(all, j) && is_anc(g, i, j, GR_VIA_DOWN);
						if (!covered)
							gr_idxv_push(c->arena, &tips, i);
					}
					if (gr_filter_for_lineage(c, &tips, blabel, GR_VIA_DOWN, &on) < 0)
						return -1;
				}
				if (on.n != 1) {
					/* Alembic 1.8.1 stops on an assertion here */
					if (!on.n)
						return relative_error(c, m.rel, m.value);
					return gr_fail(c, RE_REVISION, RT_EAMBIGUOUS, NULL, "Ambiguous walk");
				}
				symbol = gr_node_id(g, on.v[0]);
			} else {
				if (!current || !current->n)
					return relative_error(c, m.rel, m.value);
				for (size_t k = 1; k < current->n; k++)
					if (strcmp(current->v[k], current->v[0]) != 0)
						c->warning = "downgrade -1 from multiple heads is ambiguous; this "
						             "usage will be disallowed in a future release.";
				symbol = current->v[0];
				blabel = symbol;
			}
		}
		uint32_t s0;
		if (gr_resolve_one(c, label_at(c, blabel, symbol), &s0) < 0 ||
		    walk(c, s0, m.value, NULL, overwalk, &rev) < 0)
			return -1;
		if (rev == NODE_NONE) {
			if (!m.symbol)
				return relative_error(c, m.rel, m.value);
			return gr_fail(c, RE_REVISION, RT_ENOTFOUND, NULL, "Walked too far");
		}
		*label = blabel;
		*out = rev;
		return 0;
	}
	const char *at = strrchr(target, '@');
	if (at && at != target)
		*label = rt_strndup(c->arena, target, (size_t)(at - target));
	return gr_resolve_one(c, at ? at + 1 : target, out);
}

/* ---- public ---- */

int rt_graph_resolve(const rt_graph *g, const char *symbol, rt_revlist *out, rt_arena *arena,
                     rt_error *err)
{
	rctx c = { .g = g, .arena = arena };
	idxv v = { 0 };
	if (gr_resolve_revisions(&c, symbol, &v) < 0)
		return gr_set_cli_error(&c, err, NULL, NULL, NULL);
	for (uint32_t k = 0; k < v.n; k++)
		if (v.v[k] < g->n)
			rt_revlist_push(arena, out, g->nodes[v.v[k]].rev);
	return RT_OK;
}

int rt_graph_resolve_one(const rt_graph *g, const char *symbol, const rt_revision **out,
                         rt_error *err)
{
	rctx c = { .g = g, .arena = g->arena };
	uint32_t r;
	*out = NULL;
	if (gr_resolve_one(&c, symbol, &r) < 0)
		return gr_set_cli_error(&c, err, NULL, NULL, NULL);
	*out = r < g->n ? g->nodes[r].rev : NULL;
	return RT_OK;
}
