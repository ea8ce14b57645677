/*
 * rewrite.c
 *	  Logical rewrites, applied bottom-up then top-down:
 *
 *	  1. Calc merge: a Calc over a Calc becomes one Calc (substitution);
 *	     this inlines views and subqueries and pushes predicates down to
 *	     the lowest Calc they can reach.
 *	  2. Constant folding of every Calc expression and condition.
 *	  3. Top-N / deduplication: a Calc filtering ROW_NUMBER() <= N over an
 *	     OverAggregate with that single ranking function becomes a Rank.
 *	  4. Projection pruning down to nested fields: each node is asked for
 *	     the (column, ROW field) pairs its parent uses; Calcs drop unused
 *	     expressions and split a ROW column into the fields used, so the
 *	     scan reads only e.g. bid.auction, bid.price. Join predicate
 *	     pushdown and key extraction happen in the binder (make_join).
 *
 *	  Rewrites never modify a node in place: they build copies, so the
 *	  binder's tree can be shared.
 */
#include "planner/planner_int.h"

#include <string.h>

/* ---------------------------------------------------------------------
 * 1-3: bottom-up
 * ------------------------------------------------------------------- */
static bool
is_identity_calc(const sl_rel *r)
{
	const sl_rel *in = r->inputs[0];
	if (r->cond || r->nexprs != in->nfields)
		return false;
	for (int i = 0; i < r->nexprs; i++)
		if (r->exprs[i]->kind != SL_EX_COL || r->exprs[i]->col != i ||
		    strcmp(r->fields[i].name, in->fields[i].name) != 0)
			return false;
	return true;
}


static int
count_refs(const sl_expr *e, int col)
{
	int n = e->kind == SL_EX_COL && e->col == col;
	for (int i = 0; i < e->nargs; i++)
		n += count_refs(e->args[i], col);
	return n;
}

static sl_rel *
merge_calc(sl_arena *a, sl_rel *outer)
{
	sl_rel *inner = outer->inputs[0];
	sl_rel *m;
	sl_expr **sub = inner->exprs;
	{
		/* a non-deterministic (or UDF) expression may be inlined only
		 * where it is used once: it must not be evaluated twice */
		int *uses = SL_ANEWN(a, int, inner->nexprs + 1);
		bool *u = SL_ANEWN(a, bool, inner->nexprs + 1);
		for (int i = 0; i < outer->nexprs; i++) {
			memset(u, 0, sizeof(bool) * (size_t)inner->nexprs);
			sl_expr_cols(outer->exprs[i], u);
			for (int k = 0; k < inner->nexprs; k++)
				uses[k] += u[k] ? (count_refs(outer->exprs[i], k)) : 0;
		}
		if (outer->cond)
			for (int k = 0; k < inner->nexprs; k++)
				uses[k] += count_refs(outer->cond, k);
		for (int i = 0; i < inner->nexprs; i++)
			if (sl_expr_has_nondeterministic(inner->exprs[i]) && uses[i] > 1)
				return outer;
	}
	m = sl_rel_copy(a, outer);
	m->inputs[0] = inner->inputs[0];
	m->exprs = SL_ANEWN(a, sl_expr *, outer->nexprs + 1);
	for (int i = 0; i < outer->nexprs; i++) {
		m->exprs[i] = sl_expr_subst(a, outer->exprs[i], sub);
		m->exprs[i]->type = outer->exprs[i]->type;
		if (outer->exprs[i]->kind == SL_EX_COL)
			m->exprs[i]->type = outer->fields[i].type;
	}
	if (outer->cond && inner->cond) {
		sl_expr *v[2] = {inner->cond, sl_expr_subst(a, outer->cond, sub)};
		m->cond = sl_expr_and(a, v, 2);
	} else if (outer->cond) {
		m->cond = sl_expr_subst(a, outer->cond, sub);
	} else {
		m->cond = inner->cond;
	}
	return m;
}

static sl_rel *
fold_calc(sl_arena *a, sl_rel *r)
{
	sl_rel *c = sl_rel_copy(a, r);
	c->exprs = SL_ANEWN(a, sl_expr *, r->nexprs + 1);
	for (int i = 0; i < r->nexprs; i++)
		c->exprs[i] = sl_expr_fold(a, r->exprs[i]);
	if (r->cond) {
		sl_expr_vec v = {0};
		c->cond = sl_expr_fold(a, r->cond);
		sl_expr_conjuncts(c->cond, &v);
		c->cond = v.n ? sl_expr_and(a, v.v, v.n) : NULL;
		if (v.n > 1) {
			sl_expr **copy = SL_ANEWN(a, sl_expr *, v.n);
			memcpy(copy, v.v, sizeof *copy * v.n);
			c->cond = sl_expr_and(a, copy, v.n);
		}
		sl_vec_free(&v);
	}
	return c;
}

/* rn <= N, rn < N, rn = N (N literal), or N >= rn ...: the bound, else -1 */
static int64_t
rank_bound(const sl_expr *c, int rn_col)
{
	const sl_expr *x, *y;
	const char *op;
	if (c->kind != SL_EX_CALL || c->nargs != 2)
		return -1;
	x = c->args[0];
	y = c->args[1];
	op = c->name;
	if (y->kind == SL_EX_COL && x->kind == SL_EX_LIT) {
		const sl_expr *t = x;
		x = y;
		y = t;
		op = strcmp(op, ">=") == 0 ? "<=" : strcmp(op, ">") == 0 ? "<" : strcmp(op, "=") == 0 ? "=" : "?";
	}
	if (x->kind != SL_EX_COL || x->col != rn_col || y->kind != SL_EX_LIT || y->lit.is_null)
		return -1;
	if (strcmp(op, "<=") == 0 || strcmp(op, "=") == 0)
		return y->lit.i >= 1 && (strcmp(op, "<=") == 0 || y->lit.i == 1) ? y->lit.i : -1;
	if (strcmp(op, "<") == 0)
		return y->lit.i > 1 ? y->lit.i - 1 : -1;
	return -1;
}

static sl_rel *
try_rank(sl_arena *a, sl_rel *calc)
{
	sl_rel *ov = calc->inputs[0], *in, *rk, *c;
	sl_expr_vec conj = {0}, rest = {0};
	int nin, rn;
	int64_t n = -1;
	bool used[4096] = {0};
	bool output_rank;

	if (!SL_IS_A(ov, LOverAggregate) || ov->naggs != 1 || !calc->cond)
		return calc;
	if (ov->aggs[0].kind != SL_AGG_ROW_NUMBER && ov->aggs[0].kind != SL_AGG_RANK &&
	    ov->aggs[0].kind != SL_AGG_DENSE_RANK)
		return calc;
	in = ov->inputs[0];
	nin = in->nfields;
	if (nin >= 4095)
		return calc;
	rn = nin;
	sl_expr_conjuncts(calc->cond, &conj);
	for (size_t i = 0; i < conj.n; i++) {
		int64_t b = n < 0 ? rank_bound(conj.v[i], rn) : -1;
		if (b > 0)
			n = b;
		else
			sl_vec_push(&rest, conj.v[i]);
	}
	sl_vec_free(&conj);
	if (n < 0) {
		sl_vec_free(&rest);
		return calc;
	}
	for (int i = 0; i < calc->nexprs; i++)
		sl_expr_cols(calc->exprs[i], used);
	for (size_t i = 0; i < rest.n; i++)
		sl_expr_cols(rest.v[i], used);
	output_rank = used[rn];

	rk = sl_rel_new(a, T_LRank, 1);
	rk->inputs[0] = in;
	rk->nfields = nin + (output_rank ? 1 : 0);
	rk->fields = SL_ANEWN(a, sl_field, rk->nfields + 1);
	memcpy(rk->fields, in->fields, sizeof(sl_field) * (size_t)nin);
	if (output_rank)
		rk->fields[nin] = ov->fields[nin];
	rk->nkeys = ov->nkeys;
	rk->keys = ov->keys;
	rk->norder = ov->norder;
	rk->order_cols = ov->order_cols;
	rk->order_desc = ov->order_desc;
	rk->rank_func = ov->aggs[0].kind;
	rk->rank_start = 1;
	rk->rank_end = n;
	rk->output_rank = output_rank;
	rk->rowtime_col = in->rowtime_col;
	rk->proctime_col = in->proctime_col;
	rk->impl = T_PRank;
	rk->rank_kind = SL_RANK_TOPN;
	/* deduplication: ROW_NUMBER = 1 ordered by a time attribute */
	if (n == 1 && rk->rank_func == SL_AGG_ROW_NUMBER && rk->norder == 1 &&
	    in->fields[rk->order_cols[0]].type->time_attr != SL_TIME_ATTR_NONE) {
		rk->impl = T_PDeduplicate;
		rk->rank_kind = rk->order_desc[0] ? SL_RANK_DEDUP_LAST : SL_RANK_DEDUP_FIRST;
	}
	/* window Top-N: partitioned by window_start and window_end */
	{
		int ws = -1, we = -1;
		for (int i = 0; i < rk->nkeys; i++) {
			const sl_field *f = &in->fields[rk->keys[i]];
			if (f->wprop == 1 + SL_WPROP_START)
				ws = rk->keys[i];
			if (f->wprop == 1 + SL_WPROP_END)
				we = rk->keys[i];
		}
		if (ws >= 0 && we >= 0 && in->fields[ws].window) {
			rk->impl = T_PWindowRank;
			rk->window = *in->fields[ws].window;
			rk->window.time_col = -1;
			rk->win_start_col = ws;
			rk->win_end_col = we;
		}
	}
	c = sl_rel_copy(a, calc);
	c->inputs[0] = rk;
	c->cond = rest.n ? sl_expr_and(a, rest.v, rest.n) : NULL;
	if (rest.n > 1) {
		sl_expr **v = SL_ANEWN(a, sl_expr *, rest.n);
		memcpy(v, rest.v, sizeof *v * rest.n);
		c->cond = sl_expr_and(a, v, rest.n);
	}
	sl_vec_free(&rest);
	return c;
}


/* Position of expression e in v (appended when absent). */
static int
find_or_add(sl_arena *a, sl_expr ***v, int *n, sl_expr *e)
{
	sl_expr **nv;
	for (int i = 0; i < *n; i++)
		if (sl_expr_equal((*v)[i], e))
			return i;
	nv = SL_ANEWN(a, sl_expr *, *n + 2);
	memcpy(nv, *v, sizeof *nv * (size_t)*n);
	nv[(*n)++] = e;
	*v = nv;
	return *n - 1;
}

static bool
refs_window_cols(const sl_expr *e, int nin)
{
	if (e->kind == SL_EX_COL)
		return e->col >= nin;
	for (int i = 0; i < e->nargs; i++)
		if (refs_window_cols(e->args[i], nin))
			return true;
	return false;
}

/*
 * WindowAggregate over Calc over WindowTableFunction: the window is
 * assigned by the aggregate itself (as Flink plans it, and as SESSION
 * windows require): the TVF disappears, the Calc reads the TVF's input
 * and passes the time attribute, the aggregate's window spec names it.
 */
static sl_rel *
fuse_window_tvf(sl_arena *a, sl_rel *agg)
{
	sl_rel *calc = agg->inputs[0], *tvf, *nc, *na;
	int nin, ws = agg->win_start_col, we = agg->win_end_col, n = 0;
	int *map;
	sl_expr **ex;
	const char **names;
	int *keys, *part;
	sl_aggcall *aggs;
	if (agg->legacy_window || ws < 0 || !SL_IS_A(calc, LCalc) || !SL_IS_A(calc->inputs[0], LWindowTableFunction))
		return agg;
	tvf = calc->inputs[0];
	nin = tvf->inputs[0]->nfields;
	if (calc->cond && refs_window_cols(calc->cond, nin))
		return agg;
	for (int i = 0; i < calc->nexprs; i++) {
		if (i == ws || i == we) {
			if (calc->exprs[i]->kind != SL_EX_COL || calc->exprs[i]->col != nin + (i == ws ? 0 : 1))
				return agg;
			continue;
		}
		if (refs_window_cols(calc->exprs[i], nin))
			return agg;
	}
	map = SL_ANEWN(a, int, calc->nexprs + 1);
	ex = SL_ANEWN(a, sl_expr *, calc->nexprs + 1);
	for (int i = 0; i < calc->nexprs; i++) {
		map[i] = -1;
		if (i == ws || i == we)
			continue;
		map[i] = n;
		ex[n++] = calc->exprs[i];
	}
	na = sl_rel_copy(a, agg);
	na->window = tvf->window;
	na->window.time_col = find_or_add(a, &ex, &n, sl_expr_col(a, tvf->window.time_col,
	                                   tvf->inputs[0]->fields[tvf->window.time_col].type));
	part = SL_ANEWN(a, int, tvf->window.npart + 1);
	for (int i = 0; i < tvf->window.npart; i++)
		part[i] = find_or_add(a, &ex, &n, sl_expr_col(a, tvf->window.part[i],
		                      tvf->inputs[0]->fields[tvf->window.part[i]].type));
	na->window.part = part;
	names = SL_ANEWN(a, const char *, n + 1);
	for (int i = 0; i < calc->nexprs; i++)
		if (map[i] >= 0)
			names[map[i]] = calc->fields[i].name;
	for (int i = 0; i < n; i++)
		if (!names[i])
			names[i] = tvf->inputs[0]->fields[ex[i]->col].name;
	nc = sl_rel_calc(a, tvf->inputs[0], n, ex, names, calc->cond);
	if (SL_IS_A(nc->inputs[0], LCalc))
		nc = merge_calc(a, nc);
	keys = SL_ANEWN(a, int, agg->nkeys + 1);
	for (int i = 0; i < agg->nkeys; i++)
		keys[i] = map[agg->keys[i]];
	aggs = SL_ANEWN(a, sl_aggcall, agg->naggs + 1);
	for (int i = 0; i < agg->naggs; i++) {
		int *args = SL_ANEWN(a, int, agg->aggs[i].nargs + 1);
		aggs[i] = agg->aggs[i];
		for (int k = 0; k < agg->aggs[i].nargs; k++)
			args[k] = map[agg->aggs[i].args[k]];
		aggs[i].args = args;
		if (agg->aggs[i].filter_col >= 0)
			aggs[i].filter_col = map[agg->aggs[i].filter_col];
	}
	na->inputs[0] = nc;
	na->keys = keys;
	na->aggs = aggs;
	na->win_start_col = na->win_end_col = -1;
	/* the output's window properties now point at this node's spec */
	for (int i = 0; i < na->nfields; i++)
		if (na->fields[i].wprop)
			na->fields[i].window = &na->window;
	return na;
}

static sl_rel *
bottom_up(sl_arena *a, sl_rel *r, int depth)
{
	sl_rel *c = r;
	bool changed = false;
	sl_rel **ins = SL_ANEWN(a, sl_rel *, r->ninputs + 1);
	if (depth > 10000)
		return r;
	for (int i = 0; i < r->ninputs; i++) {
		ins[i] = bottom_up(a, r->inputs[i], depth + 1);
		changed |= ins[i] != r->inputs[i];
	}
	if (changed) {
		c = sl_rel_copy(a, r);
		memcpy(c->inputs, ins, sizeof *ins * (size_t)r->ninputs);
	}
	if (SL_IS_A(c, LWindowAggregate))
		return fuse_window_tvf(a, c);
	if (SL_IS_A(c, LCalc)) {
		if (SL_IS_A(c->inputs[0], LCalc))
			c = merge_calc(a, c);
		c = fold_calc(a, c);
		c = try_rank(a, c);
		if (SL_IS_A(c, LCalc) && is_identity_calc(c) && !SL_IS_A(c->inputs[0], LScan))
			return c->inputs[0];
	}
	return c;
}

/* ---------------------------------------------------------------------
 * 4: projection pruning to nested fields
 * ------------------------------------------------------------------- */
typedef struct usage {
	bool whole;
	uint64_t fields;        /* ROW fields used (first 64) */
} usage;

typedef struct colmap {
	int whole;              /* new column of the whole old column, or -1 */
	int *field;             /* per ROW field: new column, or -1 (NULL: none) */
} colmap;

static void
collect(const sl_expr *e, usage *u)
{
	if (e->kind == SL_EX_FIELD && e->args[0]->kind == SL_EX_COL && e->field < 64) {
		u[e->args[0]->col].fields |= 1ULL << e->field;
		return;
	}
	if (e->kind == SL_EX_COL) {
		u[e->col].whole = true;
		return;
	}
	for (int i = 0; i < e->nargs; i++)
		collect(e->args[i], u);
}

static sl_expr *
remap2(sl_arena *a, const sl_expr *e, const colmap *m)
{
	sl_expr *c;
	if (e->kind == SL_EX_FIELD && e->args[0]->kind == SL_EX_COL) {
		const colmap *cm = &m[e->args[0]->col];
		if (cm->field && e->field < 64 && cm->field[e->field] >= 0) {
			c = sl_expr_col(a, cm->field[e->field], e->type);
			c->span = e->span;
			return c;
		}
	}
	c = SL_ANEW(a, sl_expr);
	*c = *e;
	if (e->kind == SL_EX_COL) {
		SL_ASSERT(m[e->col].whole >= 0);
		c->col = m[e->col].whole;
		return c;
	}
	if (e->nargs) {
		c->args = SL_ANEWN(a, sl_expr *, e->nargs);
		for (int i = 0; i < e->nargs; i++)
			c->args[i] = remap2(a, e->args[i], m);
	}
	return c;
}

static sl_rel *prune(sl_arena *a, sl_rel *r, const usage *need, colmap **mapp);

static colmap *
identity_map(sl_arena *a, int n)
{
	colmap *m = SL_ANEWN(a, colmap, n + 1);
	for (int i = 0; i < n; i++)
		m[i].whole = i;
	return m;
}

static sl_rel *
prune_children(sl_arena *a, sl_rel *r)
{
	sl_rel *c = NULL;
	for (int i = 0; i < r->ninputs; i++) {
		colmap *m;
		sl_rel *in = prune(a, r->inputs[i], NULL, &m);
		if (in != r->inputs[i]) {
			if (!c)
				c = sl_rel_copy(a, r);
			c->inputs[i] = in;
		}
	}
	return c ? c : r;
}

static const sl_type *
field_type(sl_arena *a, const sl_type *row, int f)
{
	const sl_type *t = row->fields[f].type;
	if (row->nullable && !t->nullable)
		t = sl_type_with_nullable(a, t, true);
	return t;
}

static int
remap_col(const colmap *m, int c)
{
	SL_ASSERT(m[c].whole >= 0);
	return m[c].whole;
}

/* A join: each side is asked for what the parent, the keys, the
 * condition and the time/window columns use. */
static sl_rel *
prune_join(sl_arena *a, sl_rel *r, const usage *need, colmap **mapp)
{
	int nl = r->inputs[0]->nfields, nr = r->inputs[1]->nfields, n = nl + nr;
	int nout = r->nfields;      /* nl for semi/anti joins */
	usage *u = SL_ANEWN(a, usage, n + 1);
	colmap *lm, *rm, *m = SL_ANEWN(a, colmap, n + 1);
	sl_rel *l, *rr, *c;
	int nl2;
	int *keys, *rkeys;
	for (int i = 0; i < n; i++)
		u[i] = !need ? (usage){true, 0} : i < nout ? need[i] : (usage){false, 0};
	for (int i = 0; i < r->nkeys; i++) {
		u[r->keys[i]].whole = true;
		u[nl + r->rkeys[i]].whole = true;
	}
	if (r->cond)
		collect(r->cond, u);
	if (r->left_time_col >= 0)
		u[r->left_time_col].whole = true;
	if (r->right_time_col >= 0)
		u[nl + r->right_time_col].whole = true;
	if (r->win_start_col >= 0) {
		u[r->win_start_col].whole = u[r->win_end_col].whole = true;
		u[nl + r->rwin_start_col].whole = u[nl + r->rwin_end_col].whole = true;
	}
	l = prune(a, r->inputs[0], u, &lm);
	rr = prune(a, r->inputs[1], u + nl, &rm);
	nl2 = l->nfields;
	for (int i = 0; i < n; i++) {
		const colmap *src = i < nl ? &lm[i] : &rm[i - nl];
		int off = i < nl ? 0 : nl2;
		m[i].whole = src->whole >= 0 ? src->whole + off : -1;
		if (src->field) {
			m[i].field = SL_ANEWN(a, int, 64);
			for (int f = 0; f < 64; f++)
				m[i].field[f] = src->field[f] >= 0 ? src->field[f] + off : -1;
		}
	}
	c = sl_rel_copy(a, r);
	c->inputs[0] = l;
	c->inputs[1] = rr;
	c->nfields = l->nfields + rr->nfields;
	c->fields = SL_ANEWN(a, sl_field, c->nfields + 1);
	memcpy(c->fields, l->fields, sizeof(sl_field) * (size_t)l->nfields);
	memcpy(c->fields + nl2, rr->fields, sizeof(sl_field) * (size_t)rr->nfields);
	if (nout < n)
		c->nfields = nl2;
	for (int i = 0; i < nout; i++)
		if (m[i].whole >= 0) {
			c->fields[m[i].whole].name = r->fields[i].name;
			c->fields[m[i].whole].type = r->fields[i].type;
		}
	keys = SL_ANEWN(a, int, r->nkeys + 1);
	rkeys = SL_ANEWN(a, int, r->nkeys + 1);
	for (int i = 0; i < r->nkeys; i++) {
		keys[i] = remap_col(lm, r->keys[i]);
		rkeys[i] = remap_col(rm, r->rkeys[i]);
	}
	c->keys = keys;
	c->rkeys = rkeys;
	c->cond = r->cond ? remap2(a, r->cond, m) : NULL;
	if (r->left_time_col >= 0)
		c->left_time_col = remap_col(lm, r->left_time_col);
	if (r->right_time_col >= 0)
		c->right_time_col = remap_col(rm, r->right_time_col);
	if (r->win_start_col >= 0) {
		c->win_start_col = remap_col(lm, r->win_start_col);
		c->win_end_col = remap_col(lm, r->win_end_col);
		c->rwin_start_col = remap_col(rm, r->rwin_start_col);
		c->rwin_end_col = remap_col(rm, r->rwin_end_col);
	}
	c->rowtime_col = c->proctime_col = -1;
	for (int i = 0; i < c->nfields; i++) {
		if (c->fields[i].type->time_attr == SL_TIME_ATTR_ROWTIME && c->rowtime_col < 0)
			c->rowtime_col = i;
		if (c->fields[i].type->time_attr == SL_TIME_ATTR_PROCTIME && c->proctime_col < 0)
			c->proctime_col = i;
	}
	*mapp = m;
	return c;
}

/* Rank and OverAggregate: the input's columns pass through, followed by
 * the rank number / the aggregates. The input is asked for what the
 * parent uses plus the partition, order and argument columns. */
static sl_rel *
prune_passthrough(sl_arena *a, sl_rel *r, const usage *need, colmap **mapp)
{
	int nin = r->inputs[0]->nfields, n = r->nfields, nin2;
	usage *u = SL_ANEWN(a, usage, nin + 1);
	colmap *cm, *m = SL_ANEWN(a, colmap, n + 1);
	sl_rel *in, *c;
	int *keys, *ord;
	sl_aggcall *aggs;
	for (int i = 0; i < nin; i++)
		u[i] = need ? need[i] : (usage){true, 0};
	for (int i = 0; i < r->nkeys; i++)
		u[r->keys[i]].whole = true;
	for (int i = 0; i < r->norder; i++)
		u[r->order_cols[i]].whole = true;
	for (int i = 0; i < r->naggs; i++) {
		for (int k = 0; k < r->aggs[i].nargs; k++)
			u[r->aggs[i].args[k]].whole = true;
		if (r->aggs[i].filter_col >= 0)
			u[r->aggs[i].filter_col].whole = true;
	}
	if (r->win_start_col >= 0)
		u[r->win_start_col].whole = u[r->win_end_col].whole = true;
	in = prune(a, r->inputs[0], u, &cm);
	nin2 = in->nfields;
	c = sl_rel_copy(a, r);
	c->inputs[0] = in;
	c->nfields = nin2 + (n - nin);
	c->fields = SL_ANEWN(a, sl_field, c->nfields + 1);
	memcpy(c->fields, in->fields, sizeof(sl_field) * (size_t)nin2);
	for (int i = 0; i < nin; i++) {
		m[i] = cm[i];
		if (cm[i].whole >= 0)
			c->fields[cm[i].whole] = r->fields[i];
	}
	for (int i = nin; i < n; i++) {
		c->fields[nin2 + i - nin] = r->fields[i];
		m[i].whole = nin2 + i - nin;
	}
	keys = SL_ANEWN(a, int, r->nkeys + 1);
	for (int i = 0; i < r->nkeys; i++)
		keys[i] = remap_col(cm, r->keys[i]);
	c->keys = keys;
	ord = SL_ANEWN(a, int, r->norder + 1);
	for (int i = 0; i < r->norder; i++)
		ord[i] = remap_col(cm, r->order_cols[i]);
	c->order_cols = ord;
	aggs = SL_ANEWN(a, sl_aggcall, r->naggs + 1);
	for (int i = 0; i < r->naggs; i++) {
		int *args = SL_ANEWN(a, int, r->aggs[i].nargs + 1);
		aggs[i] = r->aggs[i];
		for (int k = 0; k < r->aggs[i].nargs; k++)
			args[k] = remap_col(cm, r->aggs[i].args[k]);
		aggs[i].args = args;
		if (r->aggs[i].filter_col >= 0)
			aggs[i].filter_col = remap_col(cm, r->aggs[i].filter_col);
	}
	c->aggs = aggs;
	if (r->win_start_col >= 0) {
		c->win_start_col = remap_col(cm, r->win_start_col);
		c->win_end_col = remap_col(cm, r->win_end_col);
	}
	c->rowtime_col = c->proctime_col = -1;
	for (int i = 0; i < c->nfields; i++) {
		if (c->fields[i].type->time_attr == SL_TIME_ATTR_ROWTIME && c->rowtime_col < 0)
			c->rowtime_col = i;
		if (c->fields[i].type->time_attr == SL_TIME_ATTR_PROCTIME && c->proctime_col < 0)
			c->proctime_col = i;
	}
	*mapp = m;
	return c;
}

/* Scan column i stays even when nothing above reads it: the primary key of
 * an upsert-kafka table, which the ChangelogNormalize after the scan keys
 * its state by (SELECT COUNT(*) FROM t reads no column at all). */
static bool
scan_keeps(const sl_rel *scan, int i)
{
	const sl_table *t = scan->table;
	if (!t || !t->connector || strcmp(t->connector, "upsert-kafka") != 0 || scan->scan_paths[i] >= 0)
		return false;
	for (int k = 0; k < t->npk; k++)
		if (t->pk[k] == scan->scan_cols[i])
			return true;
	return false;
}

static sl_rel *
prune(sl_arena *a, sl_rel *r, const usage *need, colmap **mapp)
{
	int n = r->nfields;
	if (SL_IS_A(r, LCalc)) {
		sl_rel *in = r->inputs[0], *c;
		usage *cu = SL_ANEWN(a, usage, in->nfields + 1);
		colmap *m = SL_ANEWN(a, colmap, n + 1), *cm;
		SL_VEC(sl_expr *) ex = {0};
		SL_VEC(sl_field) fl = {0};
		for (int i = 0; i < n; i++) {
			m[i].whole = -1;
			if (!need || need[i].whole) {
				sl_field f = r->fields[i];
				m[i].whole = (int)ex.n;
				sl_vec_push(&ex, r->exprs[i]);
				sl_vec_push(&fl, f);
			} else if (need[i].fields && r->fields[i].type->kind == SL_TYPE_ROW) {
				const sl_type *rt = r->fields[i].type;
				m[i].field = SL_ANEWN(a, int, 64);
				for (int f = 0; f < 64; f++)
					m[i].field[f] = -1;
				for (int f = 0; f < rt->nfields && f < 64; f++) {
					sl_expr *fe;
					sl_field nf = {0};
					if (!(need[i].fields & (1ULL << f)))
						continue;
					fe = SL_ANEW(a, sl_expr);
					fe->kind = SL_EX_FIELD;
					fe->field = f;
					fe->name = rt->fields[f].name;
					fe->nargs = 1;
					fe->args = SL_ANEWN(a, sl_expr *, 1);
					fe->args[0] = r->exprs[i];
					fe->type = field_type(a, rt, f);
					fe->span = SL_SPAN_NONE;
					nf.name = sl_arena_printf(a, "%s.%s", r->fields[i].name, rt->fields[f].name);
					nf.type = fe->type;
					m[i].field[f] = (int)ex.n;
					sl_vec_push(&ex, fe);
					sl_vec_push(&fl, nf);
				}
			}
		}
		for (size_t i = 0; i < ex.n; i++)
			collect(ex.v[i], cu);
		if (r->cond)
			collect(r->cond, cu);
		in = prune(a, in, cu, &cm);
		c = sl_rel_copy(a, r);
		c->inputs[0] = in;
		c->nfields = c->nexprs = (int)ex.n;
		c->fields = SL_ANEWN(a, sl_field, ex.n + 1);
		c->exprs = SL_ANEWN(a, sl_expr *, ex.n + 1);
		for (size_t i = 0; i < ex.n; i++) {
			c->fields[i] = fl.v[i];
			c->exprs[i] = remap2(a, ex.v[i], cm);
		}
		c->cond = r->cond ? remap2(a, r->cond, cm) : NULL;
		c->rowtime_col = c->proctime_col = -1;
		for (int i = 0; i < c->nfields; i++) {
			if (c->fields[i].type->time_attr == SL_TIME_ATTR_ROWTIME && c->rowtime_col < 0)
				c->rowtime_col = i;
			if (c->fields[i].type->time_attr == SL_TIME_ATTR_PROCTIME && c->proctime_col < 0)
				c->proctime_col = i;
		}
		sl_vec_free(&ex);
		sl_vec_free(&fl);
		*mapp = m;
		return c;
	}
	if (SL_IS_A(r, LWatermarkAssigner)) {
		usage *cu = SL_ANEWN(a, usage, n + 1);
		colmap *cm;
		sl_rel *in, *c;
		for (int i = 0; i < n; i++)
			cu[i] = need ? need[i] : (usage){true, 0};
		cu[r->rowtime_col].whole = true;
		collect(r->cond, cu);
		in = prune(a, r->inputs[0], cu, &cm);
		c = sl_rel_copy(a, r);
		c->inputs[0] = in;
		c->nfields = in->nfields;
		c->fields = SL_ANEWN(a, sl_field, in->nfields + 1);
		memcpy(c->fields, in->fields, sizeof(sl_field) * (size_t)in->nfields);
		c->cond = remap2(a, r->cond, cm);
		c->rowtime_col = cm[r->rowtime_col].whole;
		c->fields[c->rowtime_col].type = r->fields[r->rowtime_col].type;
		c->proctime_col = -1;
		for (int i = 0; i < c->nfields; i++)
			if (c->fields[i].type->time_attr == SL_TIME_ATTR_PROCTIME)
				c->proctime_col = i;
		*mapp = cm;
		return c;
	}
	if (SL_IS_A(r, LScan)) {
		colmap *m = SL_ANEWN(a, colmap, n + 1);
		SL_VEC(int) cols = {0};
		SL_VEC(int) paths = {0};
		SL_VEC(sl_field) fl = {0};
		sl_rel *c;
		for (int i = 0; i < n; i++) {
			m[i].whole = -1;
			if (!need || need[i].whole || scan_keeps(r, i)) {
				m[i].whole = (int)fl.n;
				sl_vec_push(&cols, r->scan_cols[i]);
				sl_vec_push(&paths, r->scan_paths[i]);
				sl_vec_push(&fl, r->fields[i]);
			} else if (need[i].fields && r->fields[i].type->kind == SL_TYPE_ROW) {
				const sl_type *rt = r->fields[i].type;
				m[i].field = SL_ANEWN(a, int, 64);
				for (int f = 0; f < 64; f++)
					m[i].field[f] = -1;
				for (int f = 0; f < rt->nfields && f < 64; f++) {
					sl_field nf = {0};
					if (!(need[i].fields & (1ULL << f)))
						continue;
					nf.name = sl_arena_printf(a, "%s.%s", r->fields[i].name, rt->fields[f].name);
					nf.type = field_type(a, rt, f);
					m[i].field[f] = (int)fl.n;
					sl_vec_push(&cols, r->scan_cols[i]);
					sl_vec_push(&paths, f);
					sl_vec_push(&fl, nf);
				}
			}
		}
		c = sl_rel_copy(a, r);
		c->nfields = (int)fl.n;
		c->fields = SL_ANEWN(a, sl_field, fl.n + 1);
		if (fl.n)
			memcpy(c->fields, fl.v, sizeof(sl_field) * fl.n);
		{
			int *cv = SL_ANEWN(a, int, cols.n + 1), *pv = SL_ANEWN(a, int, cols.n + 1);
			if (cols.n) {
				memcpy(cv, cols.v, sizeof(int) * cols.n);
				memcpy(pv, paths.v, sizeof(int) * cols.n);
			}
			c->scan_cols = cv;
			c->scan_paths = pv;
		}
		c->rowtime_col = c->proctime_col = -1;
		sl_vec_free(&cols);
		sl_vec_free(&paths);
		sl_vec_free(&fl);
		*mapp = m;
		return c;
	}
	if (SL_IS_A(r, LJoin))
		return prune_join(a, r, need, mapp);
	if (SL_IS_A(r, LRank) || SL_IS_A(r, LOverAggregate))
		return prune_passthrough(a, r, need, mapp);
	if (SL_IS_A(r, LWindowTableFunction)) {
		int nin = r->inputs[0]->nfields;
		usage *cu = SL_ANEWN(a, usage, nin + 1);
		colmap *cm, *m = SL_ANEWN(a, colmap, n + 1);
		sl_rel *in, *c;
		int *part;
		for (int i = 0; i < nin; i++)
			cu[i] = need ? need[i] : (usage){true, 0};
		cu[r->window.time_col].whole = true;
		for (int i = 0; i < r->window.npart; i++)
			cu[r->window.part[i]].whole = true;
		in = prune(a, r->inputs[0], cu, &cm);
		c = sl_rel_copy(a, r);
		c->inputs[0] = in;
		c->nfields = in->nfields + 3;
		c->fields = SL_ANEWN(a, sl_field, c->nfields + 1);
		memcpy(c->fields, in->fields, sizeof(sl_field) * (size_t)in->nfields);
		for (int i = 0; i < nin; i++) {
			m[i] = cm[i];
			if (cm[i].whole >= 0)
				c->fields[cm[i].whole] = r->fields[i];
		}
		for (int k = 0; k < 3; k++) {
			c->fields[in->nfields + k] = r->fields[nin + k];
			c->fields[in->nfields + k].window = &c->window;
			m[nin + k].whole = in->nfields + k;
		}
		c->window.time_col = cm[r->window.time_col].whole;
		part = SL_ANEWN(a, int, r->window.npart + 1);
		for (int i = 0; i < r->window.npart; i++)
			part[i] = cm[r->window.part[i]].whole;
		c->window.part = part;
		c->rowtime_col = c->proctime_col = -1;
		for (int i = 0; i < c->nfields; i++) {
			if (c->fields[i].type->time_attr == SL_TIME_ATTR_ROWTIME && c->rowtime_col < 0)
				c->rowtime_col = i;
			if (c->fields[i].type->time_attr == SL_TIME_ATTR_PROCTIME && c->proctime_col < 0)
				c->proctime_col = i;
		}
		*mapp = m;
		return c;
	}
	*mapp = identity_map(a, n);
	return prune_children(a, r);
}

sl_rel *
sl_rewrite(sl_arena *a, sl_rel *root)
{
	colmap *m;
	sl_rel *r = bottom_up(a, root, 0);
	return prune(a, r, NULL, &m);
}
