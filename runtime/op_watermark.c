/*
 * op_watermark.c
 *	  WatermarkAssigner: passes chunks through and, after each chunk,
 *	  emits the watermark max(watermark expression over the rows seen so
 *	  far) when it advanced (per-chunk emission; Flink emits every 200 ms
 *	  of wall time, which for a bounded test only changes how often).
 *	  The expression (rel->cond, e.g. `dateTime - INTERVAL '4' SECOND`) is
 *	  evaluated vectorized over the chunk's live rows; NULL results are
 *	  ignored. An idle source (SL_WM_IDLE from upstream, see op.h) makes
 *	  it forward SL_WM_IDLE; its next rows make it re-send its watermark
 *	  even if it did not advance, so downstream counts the split again.
 *
 *	  Push-down (runtime/watermark.h): a source with several splits per
 *	  subtask (Kafka partitions) takes the expression over in its open
 *	  and computes per-split watermarks itself; the assigner then only
 *	  passes chunks through and forwards the source's watermarks. The
 *	  per-split rules (sl_split_wm_*) live here too.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_watermark
 *	  sl_op_watermark_pushdown, sl_split_wm_*   (runtime/watermark.h)
 */
#include "runtime/op.h"
#include "runtime/expr.h"
#include "runtime/watermark.h"

#include <stdlib.h>

typedef struct wmassign {
	sl_rexpr *expr;
	sl_rexpr *expr_scan;        /* input is a Calc (computed columns) over a
	                             * scan: expr with the Calc's projections
	                             * substituted, over the scan's rows; or NULL */
	sl_rexpr_prog *prog;
	int64_t max;                /* largest watermark candidate so far (pushed
	                             * down: the largest forwarded) */
	bool pushed;                /* the source computes the watermarks */
} wmassign;

static const sl_op_ops wm_ops;

static bool
wm_open(sl_op *op, sl_error **errp)
{
	wmassign *w = op->priv;
	w->max = INT64_MIN;
	return (w->prog = sl_rexpr_prog_new(w->expr, errp)) != NULL;
}

static bool
wm_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	wmassign *w = op->priv;
	const sl_vector *v;
	uint32_t live = sl_chunk_live(in);
	int64_t m = w->max;
	(void)port;
	if (w->pushed) {
		/* the source sends its watermark after the chunk (and re-sends
		 * it after idleness, which makes the framework re-send ours) */
		return sl_op_emit(op, in, errp);
	}
	if (!(v = sl_rexpr_eval(w->prog, in, NULL, errp))) {
		sl_chunk_unref(in);
		return false;
	}
	for (uint32_t i = 0; i < live; i++) {
		uint32_t r = in->sel ? in->sel[i] : i;
		if (sl_vec_valid(v, r) && SL_VEC_DATA(v, int64_t)[r] > m)
			m = SL_VEC_DATA(v, int64_t)[r];
	}
	if (!sl_op_emit(op, in, errp))
		return false;
	if (op->wm_idle_out && live > 0) {
		/* records again after idleness */
		op->wm_idle_out = false;
		if (m > w->max)
			w->max = m;
		return w->max == INT64_MIN || sl_op_emit_watermark(op, w->max, errp);
	}
	if (m > w->max) {
		w->max = m;
		return sl_op_emit_watermark(op, m, errp);
	}
	return true;
}

/* Upstream watermarks (the +inf of an exhausted source) pass through. */
static bool
wm_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	wmassign *w = op->priv;
	if (wm > w->max) {
		w->max = wm;
		return sl_op_emit_watermark(op, wm, errp);
	}
	return true;
}

static void
wm_close(sl_op *op)
{
	wmassign *w = op->priv;
	if (w->prog)
		sl_rexpr_prog_free(w->prog);
	w->prog = NULL;
}

static const sl_op_ops wm_ops = {
	.name = "WatermarkAssigner", .open = wm_open, .push = wm_push,
	.watermark = wm_watermark, .close = wm_close,
};

/* A deep copy of e (arena a) with every column reference c replaced by
 * a copy of proj[c] (proj NULL: kept): the expression over the rows the
 * projections read. Copies, not shared subtrees: a program numbers the
 * nodes of its tree (sl_rexpr.id). */
static sl_rexpr *
subst_cols(sl_arena *a, const sl_rexpr *e, sl_rexpr *const *proj, int nproj)
{
	sl_rexpr *n;
	if (e->kind == SL_REXPR_COL && proj)
		return e->col >= 0 && e->col < nproj ? subst_cols(a, proj[e->col], NULL, 0) : NULL;
	n = SL_ANEW(a, sl_rexpr);
	*n = *e;
	if (e->nargs) {
		n->args = SL_ANEWN(a, sl_rexpr *, e->nargs);
		for (int i = 0; i < e->nargs; i++)
			if (!(n->args[i] = subst_cols(a, e->args[i], proj, nproj)))
				return NULL;
	}
	return n;
}

bool
sl_op_init_watermark(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	wmassign *w = SL_ANEW(a, wmassign);
	if (!r->cond) {
		*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "watermark assigner without an expression");
		return false;
	}
	if (!(w->expr = sl_lower_expr(a, r->cond, errp)))
		return false;
	/* The rowtime is a computed column (`ts AS TO_TIMESTAMP_LTZ(ms, 3)`):
	 * the planner computes it in a Calc between the scan and us. For
	 * push-down the source needs the expression over its own rows, so
	 * inline the Calc's projections (as Flink's watermark push-down
	 * does). A Calc that filters is left alone. */
	if (r->ninputs == 1 && r->inputs[0]->tag == T_PCalc && !r->inputs[0]->cond &&
	    r->inputs[0]->ninputs == 1 && r->inputs[0]->inputs[0]->tag == T_PTableSourceScan) {
		const sl_rel *calc = r->inputs[0];
		sl_rexpr **proj = SL_ANEWN(a, sl_rexpr *, calc->nexprs + 1);
		sl_error *e = NULL;
		int i;
		for (i = 0; i < calc->nexprs; i++)
			if (!(proj[i] = sl_lower_expr(a, calc->exprs[i], &e)))
				break;
		if (i == calc->nexprs)
			w->expr_scan = subst_cols(a, w->expr, proj, calc->nexprs);
		if (e)
			sl_error_free(e);   /* not pushed down: the assigner computes it */
	}
	op->ops = &wm_ops;
	op->priv = w;
	return true;
}

/* ------------------------------------------------------------ push-down */

bool
sl_op_watermark_pushdown(sl_op *src, sl_rexpr_prog **prog, sl_error **errp)
{
	sl_op *wa;
	wmassign *w;
	const sl_rexpr *expr;
	*prog = NULL;
	if (src->nout != 1 || !src->rel)
		return true;
	wa = src->out[0].op;
	if (wa->rel && wa->rel->tag == T_PCalc && wa->nout == 1 && wa->rel->ninputs == 1 &&
	    wa->rel->inputs[0] == src->rel) {
		/* scan -> Calc (computed columns) -> assigner */
		const sl_rel *calc = wa->rel;
		wa = wa->out[0].op;
		if (wa->ops != &wm_ops || !wa->rel || wa->rel->ninputs != 1 || wa->rel->inputs[0] != calc)
			return true;
		w = wa->priv;
		expr = w->expr_scan;
	} else {
		if (wa->ops != &wm_ops || !wa->rel || wa->rel->ninputs != 1 || wa->rel->inputs[0] != src->rel)
			return true;
		w = wa->priv;
		expr = w->expr;
	}
	if (!expr)
		return true;
	if (!(*prog = sl_rexpr_prog_new(expr, errp)))
		return false;
	w->pushed = true;
	return true;
}

void
sl_split_wm_init(sl_split_wm *w, int n, int64_t idle_timeout_us, int64_t now_us)
{
	w->n = n;
	w->s = sl_xcalloc((size_t)n + 1, sizeof *w->s);
	for (int k = 0; k < n; k++) {
		w->s[k].max = INT64_MIN;
		w->s[k].last_us = now_us;
	}
	w->idle_us = idle_timeout_us;
	w->sent = INT64_MIN;
	w->idle = false;
}

void
sl_split_wm_free(sl_split_wm *w)
{
	free(w->s);
	w->s = NULL;
	w->n = 0;
}

bool
sl_split_wm_emit(sl_split_wm *w, sl_op *op, int64_t now_us, sl_error **errp)
{
	int64_t m = INT64_MAX, newest = INT64_MIN;
	int nlive = 0, nactive = 0;
	for (int k = 0; k < w->n; k++) {
		const sl_split_wm_split *s = &w->s[k];
		if (s->max > newest)
			newest = s->max;
		if (s->done)
			continue;
		nlive++;
		if (w->idle_us > 0 && now_us - s->last_us >= w->idle_us)
			continue;           /* idle: does not hold time back */
		nactive++;
		if (s->max < m)
			m = s->max;
	}
	if (w->n > 0 && nlive == 0)
		return true;            /* every split finished: the source ends */
	if (nactive == 0) {
		/* the subtask is idle: first the newest event time any split
		 * reached (the valve's rule), then the idle mark */
		if (w->idle)
			return true;
		if (newest > w->sent) {
			w->sent = newest;
			if (!sl_op_emit_watermark(op, newest, errp))
				return false;
		}
		w->idle = true;
		return sl_op_emit_watermark(op, SL_WM_IDLE, errp);
	}
	if (w->idle) {
		/* active again: downstream must count us again */
		w->idle = false;
		if (m <= w->sent && w->sent != INT64_MIN)
			return sl_op_emit_watermark(op, w->sent, errp);
	}
	if (m > w->sent) {
		w->sent = m;
		return sl_op_emit_watermark(op, m, errp);
	}
	return true;
}
