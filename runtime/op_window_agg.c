/*
 * op_window_agg.c
 *	  Window table functions and window aggregation (TUMBLE, HOP, CUMULATE,
 *	  SESSION; event time or processing time).
 *
 *	  WindowTableFunction appends window_start, window_end, window_time
 *	  (= window_end - 1 ms, as Flink) to each row, one output row per window
 *	  the row belongs to (HOP: size/slide of them). Rows with a NULL time
 *	  are dropped.
 *
 *	  WindowAggregate groups by (keys, window): for each row it takes the
 *	  window from the input's window_start/window_end columns (over a TVF)
 *	  or assigns it from the time column (rel->window). Accumulators live in
 *	  keyed map state (state/state.h): key = the group key's runtime/key.h
 *	  encoding (the bytes the hash exchange routed by), user key = the
 *	  window end, big-endian with the sign bit flipped (so a window's start
 *	  follows from its end for every supported kind). A new window registers
 *	  an event-time timer at window_end - 1 for the key; when the watermark
 *	  passes it, the timer emits the row (keys, aggregates, window
 *	  properties) and clears the window. A row whose window already fired
 *	  (window_end - 1 <= watermark) is late: counted, dropped, and reported
 *	  on stderr when the job ends.
 *
 *	  Processing time (the window's time attribute is a PROCTIME(), Flink's
 *	  ProcessingTime window assigners): a row is assigned by the instance's
 *	  processing time when it reaches the operator (sl_op_proctime, read
 *	  once per chunk; the column's value is not used), windows aligned to
 *	  the epoch as for event time; the window's timer is a processing-time
 *	  timer at window_end - 1 in the same timer service (so it is
 *	  checkpointed and, after a restore, fires at once if its time passed),
 *	  fired by the worker loop through the proc_timer hook. A processing-
 *	  time window is never late; watermarks only pass through. At end of
 *	  input every open window fires. See the section "Processing time".
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_window_tvf, sl_op_init_window_agg
 */
#include "runtime/op.h"
#include "runtime/agg_udf.h"
#include "runtime/key.h"
#include "state/state.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MS 1000

/* floor(a / b) for b > 0 */
static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Windows of time t: up to cap (start, end) pairs; returns the count. */
static int
assign(const sl_window *w, int64_t t, int64_t *starts, int64_t *ends, int cap)
{
	int n = 0;
	switch (w->kind) {
	case SL_WIN_TUMBLE: {
		int64_t s = floordiv(t - w->offset_us, w->size_us) * w->size_us + w->offset_us;
		starts[0] = s;
		ends[0] = s + w->size_us;
		return 1;
	}
	case SL_WIN_HOP: {
		int64_t last = floordiv(t - w->offset_us, w->slide_us) * w->slide_us + w->offset_us;
		for (int64_t s = last; s > t - w->size_us && n < cap; s -= w->slide_us) {
			starts[n] = s;
			ends[n++] = s + w->size_us;
		}
		return n;
	}
	case SL_WIN_CUMULATE: {
		int64_t s = floordiv(t - w->offset_us, w->size_us) * w->size_us + w->offset_us;
		for (int64_t e = s + w->slide_us; e <= s + w->size_us && n < cap; e += w->slide_us)
			if (e > t) {
				starts[n] = s;
				ends[n++] = e;
			}
		return n;
	}
	default:
		return 0;
	}
}

int
sl_window_assign(const sl_window *w, int64_t t, int64_t *starts, int64_t *ends, int cap)
{
	return assign(w, t, starts, ends, cap);
}

int64_t
sl_window_slice_end(const sl_window *w, int64_t slice, int64_t t)
{
	return floordiv(t - w->offset_us, slice) * slice + w->offset_us + slice;
}

/* ceil(a / b) for b > 0 */
static int64_t
ceildiv(int64_t a, int64_t b)
{
	return -floordiv(-a, b);
}

/* Slice-shared windows: the ends of the first and the last window that
 * contain the slice (e - slice, e]. HOP windows [s, s + size) start at
 * offset + k * slide; CUMULATE windows [p, p + k * step) of the period
 * p = offset + k * size end at every slice end of the period. */
static int64_t
slice_first_window(const sl_window *w, int64_t e)
{
	if (w->kind == SL_WIN_CUMULATE)
		return e;
	return ceildiv(e - w->size_us - w->offset_us, w->slide_us) * w->slide_us + w->offset_us + w->size_us;
}

static int64_t
slice_last_window(const sl_window *w, int64_t slice, int64_t e)
{
	if (w->kind == SL_WIN_CUMULATE)
		return floordiv(e - slice - w->offset_us, w->size_us) * w->size_us + w->offset_us + w->size_us;
	return floordiv(e - slice - w->offset_us, w->slide_us) * w->slide_us + w->offset_us + w->size_us;
}

static int64_t
start_of(const sl_window *w, int64_t end)
{
	if (w->kind == SL_WIN_CUMULATE)
		return floordiv(end - 1 - w->offset_us, w->size_us) * w->size_us + w->offset_us;
	return end - w->size_us;
}

static bool
check_window(const sl_rel *r, const sl_window *w, sl_error **errp)
{
	if ((w->kind == SL_WIN_TUMBLE || w->kind == SL_WIN_HOP || w->kind == SL_WIN_CUMULATE) &&
	    w->size_us > 0 && (w->kind == SL_WIN_TUMBLE || w->slide_us > 0))
		return true;
	*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
	                     "sluice run supports TUMBLE, HOP and CUMULATE windows only (so far)");
	return false;
}

/* ---------------------------------------------------------------------
 * WindowTableFunction
 * ------------------------------------------------------------------- */
typedef struct wtvf {
	const sl_window *w;
	int ncols_in;
	const sl_type *const *types;
	int ncols;
	sl_chunk_pool *pool;
} wtvf;

static bool
tvf_open(sl_op *op, sl_error **errp)
{
	wtvf *t = op->priv;
	(void)errp;
	t->pool = sl_chunk_pool_new(t->types, t->ncols, 0);
	return true;
}

static bool
tvf_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	wtvf *t = op->priv;
	const sl_vector *tv = in->cols[t->w->time_col];
	uint32_t live = sl_chunk_live(in);
	sl_chunk *out = NULL;
	bool proc = t->w->time_kind == SL_TIME_ATTR_PROCTIME;
	int64_t now = proc ? sl_op_proctime(op) : 0;   /* processing time: the operator's clock */
	(void)port;
	for (uint32_t i = 0; i < live; i++) {
		uint32_t r = in->sel ? in->sel[i] : i;
		int64_t st[64], en[64];
		int n;
		if (!proc && !sl_vec_valid(tv, r))
			continue;
		n = assign(t->w, proc ? now : SL_VEC_DATA(tv, int64_t)[r], st, en, 64);
		for (int k = 0; k < n; k++) {
			uint32_t o;
			if (out && sl_chunk_full(out)) {
				if (!sl_op_emit(op, out, errp)) {
					sl_chunk_unref(in);
					return false;
				}
				out = NULL;
			}
			if (!out) {
				out = sl_chunk_pool_get(t->pool);
				sl_chunk_keep(out, in);   /* strings by pointer into in */
			}
			o = sl_chunk_append_row(out);
			out->kinds[o] = in->kinds[r];
			for (int c = 0; c < t->ncols_in; c++)
				sl_vector_copy_row(out->cols[c], o, in->cols[c], r, NULL);
			SL_VEC_DATA(out->cols[t->ncols_in], int64_t)[o] = st[k];
			SL_VEC_DATA(out->cols[t->ncols_in + 1], int64_t)[o] = en[k];
			SL_VEC_DATA(out->cols[t->ncols_in + 2], int64_t)[o] = en[k] - MS;
		}
	}
	sl_chunk_unref(in);
	return out ? sl_op_emit(op, out, errp) : true;
}

static void
tvf_close(sl_op *op)
{
	wtvf *t = op->priv;
	if (t->pool)
		sl_chunk_pool_free(t->pool);
	t->pool = NULL;
}

static const sl_op_ops tvf_ops = {
	.name = "WindowTableFunction", .open = tvf_open, .push = tvf_push, .close = tvf_close,
};

bool
sl_op_init_window_tvf(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	wtvf *t = SL_ANEW(a, wtvf);
	if (!check_window(r, &r->window, errp))
		return false;
	t->w = &r->window;
	t->ncols_in = r->inputs[0]->nfields;
	t->ncols = r->nfields;
	if (t->ncols != t->ncols_in + 3) {
		*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "window TVF with %d columns over %d",
		                     t->ncols, t->ncols_in);
		return false;
	}
	t->types = sl_op_field_types(a, r);
	op->ops = &tvf_ops;
	op->priv = t;
	return true;
}

/* ---------------------------------------------------------------------
 * WindowAggregate
 * ------------------------------------------------------------------- */
typedef struct wagg {
	const sl_window *w;
	int nkeys;
	const int *keys;
	int naggs;
	sl_aggspec *aggs;
	size_t vlen;
	int start_col, end_col;     /* input window columns, or -1: assign */
	int nwprops;
	const sl_window_prop *wprops;
	const sl_type *const *types;
	int *outkeycols;
	sl_chunk_pool *pool;
	sl_chunk *out;
	sl_state *st;
	sl_state_map *ms;
	sl_state_timers *tm;
	sl_strbuf key;
	uint64_t late;
	sl_op *op;
	bool proc;                  /* processing-time windows (SL_TIMER_PROC timers) */
	sl_timer_fire_fn fire;      /* fires one window timer; ctx = op->priv */
	bool merge;                 /* GlobalWindowAggregate: rows are (keys, $slice_end, $acc) */
	int acc_col;                /* merge: the partial accumulator column */
	int64_t slice;              /* > 0: slice-shared (rel->slice_us): map state holds
	                             * (key, slice end) -> accumulators, see fire_sliced */
	unsigned char *tmp;         /* slice-shared: a window's merged accumulators (vlen) */
} wagg;

static bool flush_out(sl_op *op, sl_error **errp);
static bool register_timer(sl_op *op, wagg *g, int64_t time, sl_error **errp);
static bool proc_fire(sl_op *op, int64_t upto, sl_error **errp);
static bool wa_proc_timer(sl_op *op, int64_t now, sl_error **errp);

static void
end_ukey(int64_t end, unsigned char u[8])
{
	uint64_t x = (uint64_t)end ^ (UINT64_C(1) << 63);
	for (int i = 0; i < 8; i++)
		u[i] = (unsigned char)(x >> (56 - 8 * i));
}

static bool
wa_open(sl_op *op, sl_error **errp)
{
	wagg *g = op->priv;
	if (!(g->st = sl_op_state(op, errp)) ||
	    !(g->ms = sl_state_map_open(g->st, "wacc", &(sl_state_desc){0}, errp)) ||
	    !(g->tm = sl_state_timers_open(g->st, "wend", errp)) ||
	    !sl_agg_udf_open(g->aggs, g->naggs, g->st, errp))   /* C aggregates' library state */
		return false;
	g->pool = sl_chunk_pool_new(g->types, op->rel->nfields, 0);
	g->op = op;
	/* restored processing-time timers: due ones fire at the first step */
	op->proc_next = g->proc ? sl_state_timers_next(g->tm, SL_TIMER_PROC) : INT64_MAX;
	return true;
}

static bool
flush_out(sl_op *op, sl_error **errp)
{
	wagg *g = op->priv;
	if (g->out && g->out->count) {
		sl_chunk *c = g->out;
		g->out = NULL;
		return sl_op_emit(op, c, errp);
	}
	return true;
}

/* A partial that came too late: its rows are counted and dropped. */
static void
count_late(wagg *g, sl_str acc)
{
	int64_t rows;
	memcpy(&rows, acc.ptr, 8);
	g->late += (uint64_t)(rows > 0 ? rows : 0);
}

/* The accumulators of row r's key (encoded into g->key) for the window or
 * slice ending at end, created zeroed if new (*created). */
static unsigned char *
acc_for_update(wagg *g, const sl_chunk *in, uint32_t r, int64_t end, bool *created,
               sl_error **errp)
{
	unsigned char u[8];
	size_t vlen;
	sl_strbuf_reset(&g->key);
	sl_key_encode(in, r, g->keys, g->nkeys, &g->key);
	if (g->key.len == 0)
		sl_strbuf_appendc(&g->key, '\0');
	end_ukey(end, u);
	return sl_state_map_get_for_update(g->ms, g->key.data, g->key.len, u, 8, g->vlen, &vlen,
	                                   created, errp);
}

/* Slice-shared GlobalWindowAggregate: merge the partial of row r for the
 * slice ending at e. Every window of the slice fired: late, its rows are
 * counted and dropped. Some fired (a late partial that later windows
 * still take, as Flink's slice assigners): a HOP slice is kept for the
 * windows to come, a CUMULATE partial goes into the period's first slice
 * (the period's running accumulators, see fire_sliced); the timer is the
 * first window not fired yet. Otherwise the slice's first window's timer
 * (registering an existing timer is a no-op). */
static bool
merge_slice(sl_op *op, wagg *g, const sl_chunk *in, uint32_t r, int64_t e, sl_str acc,
            sl_error **errp)
{
	const sl_window *w = g->w;
	int64_t target = e, first = slice_first_window(w, e), step;
	unsigned char *val;
	bool created;
	if (slice_last_window(w, g->slice, e) - 1 <= op->wm) {
		count_late(g, acc);
		return true;
	}
	step = w->kind == SL_WIN_CUMULATE ? g->slice : w->slide_us;
	if (first - 1 <= op->wm) {
		if (w->kind == SL_WIN_CUMULATE)
			target = slice_last_window(w, g->slice, e) - w->size_us + g->slice;
		while (first - 1 <= op->wm)
			first += step;
	}
	if (!(val = acc_for_update(g, in, r, target, &created, errp)))
		return false;
	sl_agg_merge(g->aggs, g->naggs, val, (const unsigned char *)acc.ptr);
	if ((created || target != e) &&
	    !sl_state_timer_register(g->tm, SL_TIMER_EVENT, first - 1, g->key.data, g->key.len, errp))
		return false;
	return true;
}

/* GlobalWindowAggregate (two-phase, planner/physical.c): each row is a
 * LocalWindowAggregate partial for (key, window end); merged into the
 * window's accumulators. A partial for a window that already fired is
 * late: its rows are counted and dropped, as one phase would. */
static bool
wa_merge_push(sl_op *op, sl_chunk *in, sl_error **errp)
{
	wagg *g = op->priv;
	uint32_t live = sl_chunk_live(in);
	const sl_vector *ev = in->cols[g->end_col], *av = in->cols[g->acc_col];
	for (uint32_t i = 0; i < live; i++) {
		uint32_t r = in->sel ? in->sel[i] : i;
		sl_str acc = SL_VEC_DATA(av, sl_str)[r];
		unsigned char *val;
		bool created;
		int64_t end;
		if (!sl_vec_valid(ev, r) || !sl_vec_valid(av, r) || acc.len != g->vlen) {
			*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "malformed window partial accumulators");
			goto fail;
		}
		end = SL_VEC_DATA(ev, int64_t)[r];
		if (g->slice > 0) {
			if (!merge_slice(op, g, in, r, end, acc, errp))
				goto fail;
			continue;
		}
		if (end - 1 <= op->wm) {
			count_late(g, acc);
			continue;
		}
		if (!(val = acc_for_update(g, in, r, end, &created, errp)))
			goto fail;
		if (created &&
		    !sl_state_timer_register(g->tm, SL_TIMER_EVENT, end - 1, g->key.data, g->key.len, errp))
			goto fail;
		sl_agg_merge(g->aggs, g->naggs, val, (const unsigned char *)acc.ptr);
	}
	sl_chunk_unref(in);
	return true;
fail:
	sl_chunk_unref(in);
	return false;
}

static bool
wa_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	wagg *g = op->priv;
	uint32_t live = sl_chunk_live(in);
	int64_t now = g->proc ? sl_op_proctime(op) : 0;  /* processing time of this chunk */
	(void)port;
	if (g->merge)
		return wa_merge_push(op, in, errp);
	for (uint32_t i = 0; i < live; i++) {
		uint32_t r = in->sel ? in->sel[i] : i;
		bool retract = in->kinds[r] == SL_ROW_UPDATE_BEFORE || in->kinds[r] == SL_ROW_DELETE;
		int64_t st[64], en[64];
		int n;
		if (g->proc && g->start_col < 0) {
			n = assign(g->w, now, st, en, 64);
		} else if (g->start_col >= 0) {
			const sl_vector *ev = in->cols[g->end_col];
			if (!sl_vec_valid(ev, r))
				continue;
			en[0] = SL_VEC_DATA(ev, int64_t)[r];
			n = 1;
		} else {
			const sl_vector *tv = in->cols[g->w->time_col];
			if (!sl_vec_valid(tv, r))
				continue;
			n = assign(g->w, SL_VEC_DATA(tv, int64_t)[r], st, en, 64);
		}
		sl_strbuf_reset(&g->key);
		sl_key_encode(in, r, g->keys, g->nkeys, &g->key);
		if (g->key.len == 0)
			sl_strbuf_appendc(&g->key, '\0');
		for (int k = 0; k < n; k++) {
			unsigned char u[8], *val;
			size_t vlen;
			bool created;
			if (!g->proc && en[k] - 1 <= op->wm) {
				g->late++;
				continue;
			}
			end_ukey(en[k], u);
			sl_agg_udf_set_key(g->aggs, g->naggs, g->key.data, g->key.len, u, 8);
			val = sl_state_map_get_for_update(g->ms, g->key.data, g->key.len, u, 8, g->vlen,
			                                  &vlen, &created, errp);
			if (!val)
				goto fail;
			if (created &&
			    !register_timer(op, g, en[k] - 1, errp))
				goto fail;
			{
				int64_t rows;
				memcpy(&rows, val, 8);
				rows += retract ? -1 : 1;
				memcpy(val, &rows, 8);
			}
			if (!sl_agg_accumulate(g->aggs, g->naggs, val, in, r, retract, errp))
				goto fail;
		}
	}
	sl_chunk_unref(in);
	return true;
fail:
	sl_chunk_unref(in);
	return false;
}

/* Append the row (key, aggregates of val, window properties) to g->out. */
static bool
emit_window(sl_op *op, wagg *g, const void *key, size_t klen, const void *val, int64_t start,
            int64_t end, sl_error **errp)
{
	uint32_t r;
	if (g->out && sl_chunk_full(g->out) && !flush_out(op, errp))
		return false;
	if (!g->out)
		g->out = sl_chunk_pool_get(g->pool);
	r = sl_chunk_append_row(g->out);
	if (g->nkeys && !sl_key_decode(key, klen, g->out, r, g->outkeycols, g->nkeys)) {
		*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "window key does not decode");
		return false;
	}
	sl_agg_write(g->aggs, g->naggs, val, g->out, r, g->nkeys);
	for (int p = 0; p < g->nwprops; p++) {
		int64_t v = g->wprops[p] == SL_WPROP_START ? start :
		            g->wprops[p] == SL_WPROP_END ? end : end - MS;
		SL_VEC_DATA(g->out->cols[g->nkeys + g->naggs + p], int64_t)[r] = v;
	}
	return true;
}

/* Slice-shared windows: the key's window ending at end fires.
 *   HOP: merge the slices (end - size, end] into g->tmp and emit it;
 *     remove the slices no later window takes (end <= end + slide - size);
 *     if a slice the next window takes remains, its timer (slices after
 *     end registered their own first window's timer when created).
 *   CUMULATE: the period's first slice f holds the running accumulators:
 *     the slice ending at end (if not f) is merged into f and removed;
 *     f is emitted; at the period's end f goes, else the next window's
 *     timer. One merge per window. */
static bool
fire_sliced(wagg *g, int64_t end, const void *key, size_t klen, sl_error **errp)
{
	const sl_window *w = g->w;
	sl_op *op = g->op;
	unsigned char u[8];
	const void *val;
	size_t vlen;
	int64_t rows;
	int found;
	if (w->kind == SL_WIN_HOP) {
		bool next = false;
		memset(g->tmp, 0, g->vlen);
		for (int64_t e = end - w->size_us + g->slice; e <= end; e += g->slice) {
			end_ukey(e, u);
			found = sl_state_map_get(g->ms, key, klen, u, 8, &val, &vlen, errp);
			if (found < 0)
				return false;
			if (found == 0)
				continue;
			sl_agg_merge(g->aggs, g->naggs, g->tmp, val);
			if (e > end + w->slide_us - w->size_us)
				next = true;
			else if (!sl_state_map_remove(g->ms, key, klen, u, 8, errp))
				return false;
		}
		memcpy(&rows, g->tmp, 8);
		if (rows > 0 && !emit_window(op, g, key, klen, g->tmp, end - w->size_us, end, errp))
			return false;
		return !next ||
		       sl_state_timer_register(g->tm, SL_TIMER_EVENT, end + w->slide_us - 1, key, klen, errp);
	} else {
		int64_t pstart = start_of(w, end), f = pstart + g->slice;
		unsigned char fu[8], *fv;
		bool created;
		end_ukey(f, fu);
		if (end != f) {
			end_ukey(end, u);
			found = sl_state_map_get(g->ms, key, klen, u, 8, &val, &vlen, errp);
			if (found < 0)
				return false;
			if (found) {
				memcpy(g->tmp, val, g->vlen);
				fv = sl_state_map_get_for_update(g->ms, key, klen, fu, 8, g->vlen, &vlen, &created,
				                                 errp);
				if (!fv)
					return false;
				sl_agg_merge(g->aggs, g->naggs, fv, g->tmp);
				if (!sl_state_map_remove(g->ms, key, klen, u, 8, errp))
					return false;
			}
		}
		found = sl_state_map_get(g->ms, key, klen, fu, 8, &val, &vlen, errp);
		if (found < 0)
			return false;
		if (found == 0)
			return true;
		memcpy(&rows, val, 8);
		if (rows > 0 && !emit_window(op, g, key, klen, val, pstart, end, errp))
			return false;
		if (end >= pstart + w->size_us)
			return sl_state_map_remove(g->ms, key, klen, fu, 8, errp);
		return sl_state_timer_register(g->tm, SL_TIMER_EVENT, end + g->slice - 1, key, klen, errp);
	}
}

static bool
fire(void *ctx, sl_timer_domain dom, int64_t time, const void *key, size_t klen, sl_error **errp)
{
	wagg *g = ctx;
	sl_op *op = g->op;
	unsigned char u[8];
	const void *val;
	size_t vlen;
	int64_t end = time + 1, start = start_of(g->w, end), rows;
	int found;
	(void)dom;
	if (g->slice > 0)
		return fire_sliced(g, end, key, klen, errp);
	end_ukey(end, u);
	found = sl_state_map_get(g->ms, key, klen, u, 8, &val, &vlen, errp);
	if (found < 0)
		return false;
	if (found == 0)
		return true;
	memcpy(&rows, val, 8);
	if (rows > 0 && !emit_window(op, g, key, klen, val, start, end, errp))
		return false;
	sl_agg_udf_set_key(g->aggs, g->naggs, key, klen, u, 8);
	if (!sl_agg_udf_clear(g->aggs, g->naggs, errp))
		return false;
	return sl_state_map_remove(g->ms, key, klen, u, 8, errp);
}

static bool
wa_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	wagg *g = op->priv;
	if (!g->proc && sl_state_timers_advance(g->tm, SL_TIMER_EVENT, wm, fire, g, errp) < 0)
		return false;
	if (!flush_out(op, errp))
		return false;
	return sl_op_emit_watermark(op, wm, errp);
}

static bool
wa_end(sl_op *op, sl_error **errp)
{
	wagg *g = op->priv;
	if (g->late)
		fprintf(stderr, "sluice: note: %s (subtask %d) dropped %llu late row%s\n",
		        sl_rel_name(op->rel->tag), op->subtask + 1, (unsigned long long)g->late,
		        g->late == 1 ? "" : "s");
	if (g->proc && !proc_fire(op, INT64_MAX, errp))   /* end of input: every open window */
		return false;
	return flush_out(op, errp) && sl_op_emit_end(op, errp);
}

static void
wa_close(sl_op *op)
{
	wagg *g = op->priv;
	if (g->out)
		sl_chunk_unref(g->out);
	g->out = NULL;
	if (g->pool)
		sl_chunk_pool_free(g->pool);
	g->pool = NULL;
	g->st = NULL; /* the job closes op->state */
	sl_strbuf_free(&g->key);
}

static const sl_op_ops wa_ops = {
	.name = "WindowAggregate", .open = wa_open, .push = wa_push, .watermark = wa_watermark,
	.end = wa_end, .close = wa_close, .proc_timer = wa_proc_timer,
};

static const sl_op_ops gwa_ops = {
	.name = "GlobalWindowAggregate", .open = wa_open, .push = wa_push, .watermark = wa_watermark,
	.end = wa_end, .close = wa_close,
};

bool
sl_op_init_window_agg(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	wagg *g;
	/* a SESSION window TVF's aggregate (fused with its TVF by the
	 * rewrite): the session operator, as for GROUP BY SESSION(...) */
	if (r->window.kind == SL_WIN_SESSION && !r->agg_input)
		return sl_op_init_group_window_agg(op, a, errp);
	g = SL_ANEW(a, wagg);
	if (!check_window(r, &r->window, errp))
		return false;
	g->w = &r->window;
	g->nkeys = r->nkeys;
	g->keys = r->keys;
	g->naggs = r->naggs;
	/* GlobalWindowAggregate: the aggregates refer to the Local's input */
	if (!sl_agg_specs_init(r, r->agg_input ? r->agg_input : r->inputs[0], a, &g->aggs, errp))
		return false;
	for (int i = 0; i < r->naggs; i++)
		if (g->aggs[i].distinct || g->aggs[i].is_str) {
			*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
			                     "sluice run cannot execute DISTINCT or string MIN/MAX aggregates in a WindowAggregate yet");
			return false;
		}
	g->vlen = sl_agg_acc_bytes(g->aggs, r->naggs) + sl_agg_udf_state_bytes(g->aggs, r->naggs);
	g->start_col = r->win_start_col;
	g->end_col = r->win_end_col;
	if (!r->agg_input && (g->start_col >= 0) != (g->end_col >= 0)) {
		*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "window aggregate with only one window column");
		return false;
	}
	g->nwprops = r->nwprops;
	g->wprops = r->wprops;
	if (r->nfields != g->nkeys + g->naggs + g->nwprops) {
		*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "window aggregate output has %d fields, expected %d",
		                     r->nfields, g->nkeys + g->naggs + g->nwprops);
		return false;
	}
	g->outkeycols = SL_ANEWN(a, int, g->nkeys + 1);
	for (int i = 0; i < g->nkeys; i++)
		g->outkeycols[i] = i;
	g->types = sl_op_field_types(a, r);
	g->proc = r->window.time_kind == SL_TIME_ATTR_PROCTIME;
	g->fire = fire;
	if (r->agg_input) {
		for (int i = 0; i < r->naggs; i++)
			if (g->aggs[i].udf) {
				*errp = sl_error_new(SL_ERR_INTERNAL, r->span,
				                     "a C aggregate cannot run in a GlobalWindowAggregate");
				return false;
			}
		if (g->end_col < 0) {
			*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "global window aggregate without $slice_end");
			return false;
		}
		g->merge = true;
		g->acc_col = r->inputs[0]->nfields - 1;
		g->start_col = -1;
		g->slice = r->slice_us;
		if (g->slice > 0 && !(g->w->kind == SL_WIN_HOP || g->w->kind == SL_WIN_CUMULATE)) {
			*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "slice-shared window that is not HOP or CUMULATE");
			return false;
		}
		if (g->slice > 0)
			g->tmp = SL_ANEWN(a, unsigned char, g->vlen);
	}
	op->ops = r->agg_input ? &gwa_ops : &wa_ops;
	op->priv = g;
	return true;
}

/* ---------------------------------------------------------------------
 * Processing time (WindowAggregate and SESSION alike)
 *
 * Timers live in the same timer service as event-time ones, domain
 * SL_TIMER_PROC, so snapshots and restores keep them; op->proc_next
 * mirrors the earliest one for the worker loop (sl_op_proctime_advance).
 * ------------------------------------------------------------------- */
static bool
register_timer(sl_op *op, wagg *g, int64_t time, sl_error **errp)
{
	if (!g->proc)
		return sl_state_timer_register(g->tm, SL_TIMER_EVENT, time, g->key.data, g->key.len, errp);
	if (!sl_state_timer_register(g->tm, SL_TIMER_PROC, time, g->key.data, g->key.len, errp))
		return false;
	if (time < op->proc_next)
		op->proc_next = time;
	return true;
}

/* Fire every processing-time window timer <= upto and emit the rows. */
static bool
proc_fire(sl_op *op, int64_t upto, sl_error **errp)
{
	wagg *g = op->priv;
	if (sl_state_timers_advance(g->tm, SL_TIMER_PROC, upto, g->fire, op->priv, errp) < 0)
		return false;
	op->proc_next = sl_state_timers_next(g->tm, SL_TIMER_PROC);
	return true;
}

/* proc_timer hook: the windows whose end processing time reached. */
static bool
wa_proc_timer(sl_op *op, int64_t now, sl_error **errp)
{
	return proc_fire(op, now, errp) && flush_out(op, errp);
}

/* ---------------------------------------------------------------------
 * SESSION windows (GroupWindowAggregate with SESSION(time, gap), and the
 * WindowAggregate of a SESSION window TVF, which the rewrite fuses with
 * its TVF into the same shape; its PARTITION BY columns must be its group
 * keys, since sessions are merged per group)
 *
 * Per key, the open sessions live in one value-state entry: an array of
 * {int64 start, int64 end, accumulators}. A row at t opens [t, t + gap)
 * and merges every session it overlaps (strictly: start < other end and
 * other start < end, so two rows exactly `gap` apart are two sessions,
 * as the oracle defines them). Each session's end has a timer at end - 1;
 * a timer that finds no session ending there (merged away) is ignored.
 * ------------------------------------------------------------------- */
typedef struct sess {
	wagg w;                     /* shared fields (keys, aggs, state, out) */
	int64_t gap;
	sl_state_value *vs;
	sl_strbuf buf;              /* the key's sessions, copied out of state */
} sess;

static bool
se_open(sl_op *op, sl_error **errp)
{
	sess *s = op->priv;
	if (!wa_open(op, errp))
		return false;
	return (s->vs = sl_state_value_open(s->w.st, "sessions", &(sl_state_desc){0}, errp)) != NULL;
}

static bool
load_sessions(sess *s, sl_error **errp)
{
	const void *v;
	size_t vlen;
	int found = sl_state_value_get(s->vs, s->w.key.data, s->w.key.len, &v, &vlen, errp);
	sl_strbuf_reset(&s->buf);
	if (found < 0)
		return false;
	if (found)
		sl_strbuf_appendn(&s->buf, v, vlen);
	return true;
}

static bool
store_sessions(sess *s, sl_error **errp)
{
	if (s->buf.len == 0)
		return sl_state_value_delete(s->vs, s->w.key.data, s->w.key.len, errp);
	return sl_state_value_put(s->vs, s->w.key.data, s->w.key.len, s->buf.data, s->buf.len, errp);
}

static bool
se_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	sess *s = op->priv;
	wagg *g = &s->w;
	uint32_t live = sl_chunk_live(in);
	size_t esz = 16 + g->vlen;
	unsigned char *ns = malloc(esz);
	int64_t now = g->proc ? sl_op_proctime(op) : 0;  /* processing time of this chunk */
	(void)port;
	if (!ns)
		abort();
	for (uint32_t i = 0; i < live; i++) {
		uint32_t r = in->sel ? in->sel[i] : i;
		const sl_vector *tv = in->cols[g->w->time_col];
		bool retract = in->kinds[r] == SL_ROW_UPDATE_BEFORE || in->kinds[r] == SL_ROW_DELETE;
		int64_t t, st, en, rows = 1;
		size_t n, k;
		if (!g->proc && !sl_vec_valid(tv, r))
			continue;
		t = g->proc ? now : SL_VEC_DATA(tv, int64_t)[r];
		if (retract) {
			*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, op->rel->span,
			                     "session windows over an updating input are not supported yet");
			goto fail;
		}
		if (!g->proc && t + s->gap - 1 <= op->wm) {
			g->late++;
			continue;
		}
		sl_strbuf_reset(&g->key);
		sl_key_encode(in, r, g->keys, g->nkeys, &g->key);
		if (g->key.len == 0)
			sl_strbuf_appendc(&g->key, '\0');
		if (!load_sessions(s, errp))
			goto fail;
		/* the new session */
		memset(ns, 0, esz);
		st = t;
		en = t + s->gap;
		memcpy(ns + 16, &rows, 8);
		if (!sl_agg_accumulate(g->aggs, g->naggs, ns + 16, in, r, false, errp))
			goto fail;
		/* merge the overlapping ones into it, compacting the rest */
		n = s->buf.len / esz;
		for (k = 0; k < n;) {
			unsigned char *e = (unsigned char *)s->buf.data + k * esz;
			int64_t es, ee;
			memcpy(&es, e, 8);
			memcpy(&ee, e + 8, 8);
			if (es < en && st < ee) {
				if (es < st)
					st = es;
				if (ee > en)
					en = ee;
				sl_agg_merge(g->aggs, g->naggs, ns + 16, e + 16);
				if (!sl_agg_udf_merge(g->aggs, g->naggs, ns + 16, e + 16, errp))
					goto fail;
				memmove(e, e + esz, (n - k - 1) * esz);
				n--;
				continue;
			}
			k++;
		}
		s->buf.len = n * esz;
		memcpy(ns, &st, 8);
		memcpy(ns + 8, &en, 8);
		sl_strbuf_appendn(&s->buf, (const char *)ns, esz);
		if (!store_sessions(s, errp) || !register_timer(op, g, en - 1, errp))
			goto fail;
	}
	free(ns);
	sl_chunk_unref(in);
	return true;
fail:
	free(ns);
	sl_chunk_unref(in);
	return false;
}

static bool
se_fire(void *ctx, sl_timer_domain dom, int64_t time, const void *key, size_t klen, sl_error **errp)
{
	sess *s = ctx;
	wagg *g = &s->w;
	sl_op *op = g->op;
	size_t esz = 16 + g->vlen, n;
	(void)dom;
	sl_strbuf_reset(&g->key);
	sl_strbuf_appendn(&g->key, key, klen);
	if (!load_sessions(s, errp))
		return false;
	n = s->buf.len / esz;
	for (size_t k = 0; k < n; k++) {
		unsigned char *e = (unsigned char *)s->buf.data + k * esz;
		int64_t es, ee;
		memcpy(&es, e, 8);
		memcpy(&ee, e + 8, 8);
		if (ee - 1 != time)
			continue;
		if (!emit_window(op, g, key, klen, e + 16, es, ee, errp))
			return false;
		memmove(e, e + esz, (n - k - 1) * esz);
		s->buf.len -= esz;
		return store_sessions(s, errp);
	}
	return true;    /* merged away */
}

static bool
se_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	sess *s = op->priv;
	if (!s->w.proc && sl_state_timers_advance(s->w.tm, SL_TIMER_EVENT, wm, se_fire, s, errp) < 0)
		return false;
	if (!flush_out(op, errp))
		return false;
	return sl_op_emit_watermark(op, wm, errp);
}

static void
se_close(sl_op *op)
{
	sess *s = op->priv;
	wa_close(op);
	sl_strbuf_free(&s->buf);
}

static const sl_op_ops se_ops = {
	.name = "SessionWindowAggregate", .open = se_open, .push = se_push,
	.watermark = se_watermark, .end = wa_end, .close = se_close, .proc_timer = wa_proc_timer,
};

/* Sessions are merged per group key. A SESSION TVF's sessions are per
 * PARTITION BY key: the same when the two sets of columns are equal
 * (GROUP BY SESSION(...) has no PARTITION BY). */
static bool
session_keys_ok(const sl_rel *r)
{
	if (r->window.npart == 0)
		return true;
	if (r->window.npart != r->nkeys)
		return false;
	for (int i = 0; i < r->window.npart; i++) {
		bool found = false;
		for (int k = 0; k < r->nkeys; k++)
			found |= r->keys[k] == r->window.part[i];
		if (!found)
			return false;
	}
	return true;
}

bool
sl_op_init_group_window_agg(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	sess *s;
	if (r->window.kind != SL_WIN_SESSION) {
		/* legacy GROUP BY TUMBLE/HOP(...): windows assigned from the time column */
		sl_rel *copy = SL_ANEW(a, sl_rel);
		bool ok;
		*copy = *r;
		copy->win_start_col = copy->win_end_col = -1;
		op->rel = copy;
		ok = sl_op_init_window_agg(op, a, errp);
		op->rel = r;
		return ok;
	}
	if (r->window.gap_us <= 0) {
		*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "a SESSION window without a gap");
		return false;
	}
	if (!session_keys_ok(r)) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "sluice runs a SESSION window TVF's aggregate only when it groups by "
		                     "exactly the window's PARTITION BY columns (sessions are kept per group)");
		return false;
	}
	s = SL_ANEW(a, sess);
	/* reuse the window aggregate's setup with a stand-in TUMBLE spec */
	{
		sl_rel tmp = *r;
		sl_window *w = SL_ANEW(a, sl_window);
		*w = r->window;
		w->kind = SL_WIN_TUMBLE;
		w->size_us = r->window.gap_us;
		tmp.window = *w;
		tmp.win_start_col = tmp.win_end_col = -1;
		op->rel = &tmp;
		if (!sl_op_init_window_agg(op, a, errp)) {
			op->rel = r;
			return false;
		}
		op->rel = r;
		s->w = *(wagg *)op->priv;
		s->w.w = &r->window;
		s->w.fire = se_fire;
	}
	s->gap = r->window.gap_us;
	op->ops = &se_ops;
	op->priv = s;
	return true;
}
