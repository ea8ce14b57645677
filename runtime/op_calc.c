/*
 * op_calc.c
 *	  Calc: filter (rel->cond) then projection (rel->exprs) over each
 *	  chunk, vectorized (runtime/expr.h), as one program
 *	  (sl_rexpr_calc_new), so a subexpression in both the filter and a
 *	  projection is evaluated once. The filter narrows the input's
 *	  selection; the projection writes an output chunk from the
 *	  operator's pool whose rows line up with the input's (same selection
 *	  and kinds). No per-row allocation: strings produced (by the filter
 *	  too) go into the output chunk's heap.
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
	sl_rexpr_prog *prog;        /* this thread's program: filter + projections */
	sl_chunk_pool *pool;
	sl_chunk_pool *copy_pool;   /* for shared inputs (fan-out) */
	const sl_type *const *in_types;
	int in_ncols;
} calc;

static bool
calc_open(sl_op *op, sl_error **errp)
{
	calc *c = op->priv;
	if (!(c->prog = sl_rexpr_calc_new(c->cond, c->exprs, c->nexprs, errp)))
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
	int64_t n;
	(void)port;
	if (c->cond && c->copy_pool)
		in = sl_op_make_writable(in, c->copy_pool); /* the filter narrows in->sel */
	out = sl_chunk_pool_get(c->pool);
	n = sl_rexpr_calc_run(c->prog, in, out, errp);
	sl_chunk_unref(in);
	if (n <= 0) {
		sl_chunk_unref(out);
		return n == 0;
	}
	return sl_op_emit(op, out, errp);
}

static void
calc_close(sl_op *op)
{
	calc *c = op->priv;
	if (c->prog)
		sl_rexpr_prog_free(c->prog);
	c->prog = NULL;
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
