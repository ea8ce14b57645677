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
 * INTERFACE ROUTINES
 *	  sl_op_init_watermark
 */
#include "runtime/op.h"
#include "runtime/expr.h"

typedef struct wmassign {
	sl_rexpr *expr;
	sl_rexpr_prog *prog;
	int64_t max;                /* largest watermark candidate so far */
} wmassign;

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
	op->ops = &wm_ops;
	op->priv = w;
	return true;
}
