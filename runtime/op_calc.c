/*
 * op_calc.c
 *	  Calc: filter (rel->cond) then projection (rel->exprs) over each
 *	  chunk, vectorized (runtime/expr.h). The filter narrows the input's
 *	  selection; the projection writes an output chunk from the
 *	  operator's pool whose rows line up with the input's (same selection
 *	  and kinds). No per-row allocation: strings produced go into the
 *	  output chunk's heap.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_calc
 */
#include "runtime/op.h"
#include "runtime/expr.h"

#include <stdlib.h>

typedef struct calc {
	int nexprs;
	sl_rexpr **exprs;           /* lowered projections (shared tree) */
	sl_rexpr *cond;             /* lowered filter or NULL */
	const sl_type *const *types;
	sl_rexpr_prog **progs;      /* this thread's programs */
	sl_rexpr_prog *cprog;
	sl_chunk_pool *pool;
	sl_chunk_pool *copy_pool;   /* for shared inputs (fan-out) */
	const sl_type *const *in_types;
	int in_ncols;
} calc;

static bool
calc_open(sl_op *op, sl_error **errp)
{
	calc *c = op->priv;
	c->progs = calloc((size_t)c->nexprs + 1, sizeof *c->progs);
	for (int i = 0; i < c->nexprs; i++)
		if (!(c->progs[i] = sl_rexpr_prog_new(c->exprs[i], errp)))
			return false;
	if (c->cond && !(c->cprog = sl_rexpr_prog_new(c->cond, errp)))
		return false;
	c->pool = sl_chunk_pool_new(c->types, c->nexprs, 0);
	if (op->rel->ninputs == 1 && c->in_ncols > 0)
		c->copy_pool = sl_chunk_pool_new(c->in_types, c->in_ncols, 0);
	return true;
}

static bool
calc_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	calc *c = op->priv;
	sl_chunk *out;
	(void)port;
	if (c->cprog) {
		int64_t n;
		if (c->copy_pool)
			in = sl_op_make_writable(in, c->copy_pool);
		n = sl_rexpr_filter(c->cprog, in, errp);
		if (n <= 0) {
			sl_chunk_unref(in);
			return n == 0;
		}
	}
	out = sl_chunk_pool_get(c->pool);
	if (!sl_rexpr_project(c->progs, c->nexprs, in, out, errp)) {
		sl_chunk_unref(out);
		sl_chunk_unref(in);
		return false;
	}
	sl_chunk_unref(in);
	return sl_op_emit(op, out, errp);
}

static void
calc_close(sl_op *op)
{
	calc *c = op->priv;
	if (c->progs)
		for (int i = 0; i < c->nexprs; i++)
			if (c->progs[i])
				sl_rexpr_prog_free(c->progs[i]);
	free(c->progs);
	c->progs = NULL;
	if (c->cprog)
		sl_rexpr_prog_free(c->cprog);
	if (c->pool)
		sl_chunk_pool_free(c->pool);
	if (c->copy_pool)
		sl_chunk_pool_free(c->copy_pool);
}

static const sl_op_ops calc_ops = {
	.name = "Calc", .open = calc_open, .push = calc_push, .close = calc_close,
};

bool
sl_op_init_calc(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	calc *c = SL_ANEW(a, calc);
	c->nexprs = r->nexprs;
	c->exprs = SL_ANEWN(a, sl_rexpr *, r->nexprs + 1);
	for (int i = 0; i < r->nexprs; i++)
		if (!(c->exprs[i] = sl_lower_expr(a, r->exprs[i], errp)))
			return false;
	if (r->cond && !(c->cond = sl_lower_expr(a, r->cond, errp)))
		return false;
	c->types = sl_op_field_types(a, r);
	if (r->ninputs == 1) {
		c->in_types = sl_op_field_types(a, r->inputs[0]);
		c->in_ncols = r->inputs[0]->nfields;
	}
	op->ops = &calc_ops;
	op->priv = c;
	return true;
}
