/*
 * watermark.h
 *	  Per-split watermarks (Flink's per-partition watermarks, the
 *	  WatermarkOutputMultiplexer of a source): a source reading several
 *	  splits (Kafka partitions) in one subtask keeps one watermark per
 *	  split and emits the minimum over the active ones, so a split that
 *	  lags the others by more than the watermark delay does not make its
 *	  rows late.
 *
 *	  Watermark push-down: the planner puts the table's WatermarkAssigner
 *	  right after the scan (op_watermark.c). A source that can track
 *	  splits asks, in its open, to take the assigner's expression over
 *	  (sl_op_watermark_pushdown); the assigner then passes chunks through
 *	  and forwards the source's watermarks. A Calc between the two that
 *	  computes columns (a computed rowtime column; the planner keeps
 *	  filters above the assigner) is inlined into the expression handed
 *	  over, as Flink's push-down does. Sources that do not ask, and scans
 *	  with several consumers, keep the assigner's max over the subtask's
 *	  rows.
 *
 *	  Split rules (sl_split_wm):
 *	    - a split's watermark is the largest expression value of its rows
 *	      (INT64_MIN before its first row: it holds the others back);
 *	    - a split without rows for the idle timeout (> 0) is idle and does
 *	      not count until its next rows; a finished split (bounded end)
 *	      never counts again;
 *	    - the combined watermark is the minimum over the splits that count;
 *	      it never goes back;
 *	    - every split idle (or none at all): the subtask is idle. As the
 *	      framework's valve does for idle ports (runtime/op.h, SL_WM_IDLE,
 *	      unit test 0520), it first advances to the newest watermark any
 *	      split reached, then sends SL_WM_IDLE; its next rows re-send the
 *	      watermark.
 *
 *	  @thread the source's worker (no locking).
 *
 * INTERFACE ROUTINES
 *	  sl_op_watermark_pushdown       take over the assigner after a source
 *	  sl_split_wm_init / _free       per-split state of a subtask
 *	  sl_split_wm_observe            fold rows' watermark values of one split
 *	  sl_split_wm_done               a split reached its end
 *	  sl_split_wm_emit               send what changed downstream
 */
#ifndef SL_RUNTIME_WATERMARK_H
#define SL_RUNTIME_WATERMARK_H

#include "runtime/op.h"
#include "runtime/expr.h"

/* If src's only consumer is the WatermarkAssigner of src's own rows
 * (directly, or through one non-filtering Calc), switch that assigner to
 * pass-through and set *prog to a new program of its watermark
 * expression over src's output chunk (the Calc's projections inlined;
 * the caller frees it with sl_rexpr_prog_free). Else *prog = NULL. false with *errp only when
 * the program cannot be built. Call from the source's open. */
bool sl_op_watermark_pushdown(sl_op *src, sl_rexpr_prog **prog, sl_error **errp);

typedef struct sl_split_wm_split {
	int64_t max;                /* largest watermark value of its rows; INT64_MIN: none yet */
	int64_t last_us;            /* monotonic time of its last rows (or of init) */
	bool done;                  /* finished: never counts again */
} sl_split_wm_split;

typedef struct sl_split_wm {
	int n;
	sl_split_wm_split *s;       /* n splits, owned */
	int64_t idle_us;            /* idle timeout; 0 = never idle */
	int64_t sent;               /* combined watermark last emitted; INT64_MIN: none */
	bool idle;                  /* SL_WM_IDLE sent, no real watermark since */
} sl_split_wm;

/* n splits, none seen yet; now_us = the monotonic clock (idle timers
 * start here). */
void sl_split_wm_init(sl_split_wm *w, int n, int64_t idle_timeout_us, int64_t now_us);
void sl_split_wm_free(sl_split_wm *w);
/* Split k produced rows at now_us whose largest watermark value is max
 * (INT64_MIN when all were NULL: the rows still make the split active). */
static inline void
sl_split_wm_observe(sl_split_wm *w, int k, int64_t max, int64_t now_us)
{
	if (max > w->s[k].max)
		w->s[k].max = max;
	w->s[k].last_us = now_us;
}
static inline void
sl_split_wm_done(sl_split_wm *w, int k)
{
	w->s[k].done = true;
}
/* Send the combined watermark through op if it advanced; go idle or
 * active again as the rules above say. Called after every chunk and when
 * a poll found nothing (idle timers). */
bool sl_split_wm_emit(sl_split_wm *w, sl_op *op, int64_t now_us, sl_error **errp);

#endif /* SL_RUNTIME_WATERMARK_H */
