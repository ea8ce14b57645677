/*
 * op_local_agg.c
 *	  LocalGroupAggregate and LocalWindowAggregate: the first phase of
 *	  two-phase aggregation (planner/physical.c, "Two-phase aggregation").
 *
 *	  Chained to its input, before the hash exchange. Rows are folded into
 *	  an in-memory table of partial accumulators, one per group key (and,
 *	  for windows, per window end; for slice-shared HOP/CUMULATE windows,
 *	  rel->slice_us > 0, per slice end: one entry per row instead of one
 *	  per window the row falls in), with the aggregate code of the one-phase
 *	  operators (sl_agg_accumulate; -U/-D subtract). A flush emits one +I
 *	  row per entry: (key columns..., [$slice_end BIGINT,] $acc BYTES),
 *	  where $acc is the accumulator byte string (runtime/op.h) that the
 *	  Global operator merges into its keyed state (sl_agg_merge). The table
 *	  is empty after a flush: the operator holds no keyed state, so nothing
 *	  of it is checkpointed.
 *
 *	  When it flushes:
 *	  - GROUP BY without mini-batch: at the end of every chunk;
 *	  - GROUP BY with 'table.exec.mini-batch.enabled': when the batch
 *	    reached 'table.exec.mini-batch.size' rows or is older than
 *	    'allow-latency' (checked when a chunk arrives, and by a
 *	    processing-time timer at the bound, so a stalled input does not
 *	    hold the batch; with neither set, every chunk), or the table
 *	    holds LOCAL_MAX_ENTRIES entries;
 *	  - windows: when the watermark reaches the end - 1 of a buffered
 *	    window (before the watermark is forwarded, so the Global never sees
 *	    a partial behind its watermark that one phase would have taken), or
 *	    after a chunk that put rows into an already closed window (the
 *	    Global counts them late, as one phase does), or at
 *	    LOCAL_MAX_ENTRIES entries;
 *	  - always before a checkpoint barrier is forwarded (snapshot hook,
 *	    snapshot_flush_only), before an idle input status (SL_WM_IDLE) is
 *	    forwarded (idle hook) and before end-of-input. So every partial
 *	    reaches the Global ahead of the barrier it follows: checkpoints
 *	    stay exact. A GROUP BY mini-batch is not cut by watermarks (see
 *	    la_watermark) unless its latency bound has passed.
 *
 *	  @thread every callback runs on the subtask's worker thread. Memory:
 *	  the table (slots, entries, values, key bytes) is malloc'ed per
 *	  instance and reused across flushes; output chunks come from the
 *	  instance's pool; no allocation per row in steady state.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_local_agg   both Local operators (plan tag decides)
 */
#include "runtime/op.h"
#include "runtime/key.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOCAL_MAX_ENTRIES 65536     /* flush when the table holds this many */

typedef struct lentry {
	uint64_t hash;
	uint32_t koff, klen;        /* key bytes in kbuf */
	int64_t end;                /* window end (us); 0 for GROUP BY */
} lentry;

typedef struct localagg {
	bool window;
	const sl_window *w;
	int start_col, end_col;     /* input window_start/_end, or -1: assign from w->time_col */
	int64_t slice;              /* > 0: fold each row into its slice (rel->slice_us) */
	int nkeys;
	const int *keys;            /* input key columns */
	int naggs;
	sl_aggspec *aggs;
	size_t vlen;                /* accumulator bytes per entry */
	int slice_col, acc_col;     /* output columns */
	int *outkeycols;            /* 0..nkeys-1 */
	const sl_type *const *types;
	int ncols;
	sl_chunk_pool *pool;
	/* the table: open addressing over entry numbers (+1; 0 = empty) */
	uint32_t *slots;
	uint32_t cap;               /* power of two, >= 2 * n */
	lentry *ents;
	unsigned char *vals;        /* entry i's accumulators at i * vlen */
	uint32_t n, ecap;
	sl_strbuf kbuf;             /* key bytes of every entry */
	sl_strbuf key;              /* scratch: the current row's key */
	int64_t min_end;            /* windows: smallest buffered end (INT64_MAX: none) */
	/* mini-batch (GROUP BY) */
	bool minibatch;
	int64_t mb_size;            /* rows; <= 0: none */
	int64_t mb_latency_ns;      /* 0: none */
	int64_t mb_rows;            /* rows folded since the last flush */
	int64_t mb_first_ns;        /* when the batch's first row came */
} localagg;

static int64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
table_grow(localagg *g)
{
	uint32_t ncap = g->cap * 2;
	uint32_t *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		abort();
	for (uint32_t e = 0; e < g->n; e++) {
		uint32_t i = (uint32_t)g->ents[e].hash & (ncap - 1);
		while (ns[i])
			i = (i + 1) & (ncap - 1);
		ns[i] = e + 1;
	}
	free(g->slots);
	g->slots = ns;
	g->cap = ncap;
}

/* The accumulators of (key, end), created zeroed if new. The pointer is
 * valid until the next lookup. */
static unsigned char *
lookup(localagg *g, const char *k, size_t klen, int64_t end)
{
	uint64_t h = sl_hash64(k, klen, (uint64_t)end);
	uint32_t i = (uint32_t)h & (g->cap - 1);
	lentry *x;
	for (uint32_t e; (e = g->slots[i]) != 0; i = (i + 1) & (g->cap - 1)) {
		x = &g->ents[e - 1];
		if (x->hash == h && x->end == end && x->klen == klen &&
		    memcmp(g->kbuf.data + x->koff, k, klen) == 0)
			return g->vals + (size_t)(e - 1) * g->vlen;
	}
	if (g->n == g->ecap) {
		g->ecap = g->ecap ? g->ecap * 2 : 256;
		g->ents = realloc(g->ents, sizeof *g->ents * g->ecap);
		g->vals = realloc(g->vals, g->vlen * g->ecap);
		if (!g->ents || !g->vals)
			abort();
	}
	if ((g->n + 1) * 2 > g->cap) {
		table_grow(g);
		for (i = (uint32_t)h & (g->cap - 1); g->slots[i]; i = (i + 1) & (g->cap - 1))
			;
	}
	x = &g->ents[g->n];
	x->hash = h;
	x->koff = (uint32_t)g->kbuf.len;
	x->klen = (uint32_t)klen;
	x->end = end;
	sl_strbuf_appendn(&g->kbuf, k, klen);
	g->slots[i] = ++g->n;
	if (end < g->min_end)
		g->min_end = end;
	memset(g->vals + (size_t)(g->n - 1) * g->vlen, 0, g->vlen);
	return g->vals + (size_t)(g->n - 1) * g->vlen;
}

/* Emit every buffered partial as one +I row and empty the table. */
static bool
flush(sl_op *op, sl_error **errp)
{
	localagg *g = op->priv;
	sl_chunk *out = NULL;
	for (uint32_t e = 0; e < g->n; e++) {
		const lentry *x = &g->ents[e];
		uint32_t r;
		if (!out)
			out = sl_chunk_pool_get(g->pool);
		r = sl_chunk_append_row(out);
		if (g->nkeys &&
		    !sl_key_decode(g->kbuf.data + x->koff, x->klen, out, r, g->outkeycols, g->nkeys)) {
			sl_chunk_unref(out);
			*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "local aggregate key does not decode");
			return false;
		}
		if (g->window)
			SL_VEC_DATA(out->cols[g->slice_col], int64_t)[r] = x->end;
		sl_chunk_set_str(out, g->acc_col, r, (const char *)g->vals + (size_t)e * g->vlen, g->vlen);
		if (sl_chunk_full(out)) {
			sl_chunk *c = out;
			out = NULL;
			if (!sl_op_emit(op, c, errp))
				return false;
		}
	}
	if (g->n)
		memset(g->slots, 0, sizeof *g->slots * g->cap);
	g->n = 0;
	sl_strbuf_reset(&g->kbuf);
	g->min_end = INT64_MAX;
	g->mb_rows = 0;
	op->proc_next = INT64_MAX;      /* no batch waiting */
	return out ? sl_op_emit(op, out, errp) : true;
}

static bool
la_open(sl_op *op, sl_error **errp)
{
	localagg *g = op->priv;
	(void)errp;
	g->pool = sl_chunk_pool_new(g->types, g->ncols, 0);
	g->cap = 1024;
	g->slots = calloc(g->cap, sizeof *g->slots);
	if (!g->slots)
		abort();
	g->min_end = INT64_MAX;
	return true;
}

static bool
la_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	localagg *g = op->priv;
	uint32_t live = sl_chunk_live(in);
	bool late = false;
	(void)port;
	if (g->minibatch && g->n == 0 && g->mb_latency_ns > 0) {
		g->mb_first_ns = now_ns();
		/* the batch goes out once its latency bound passes, even if no
		 * further row comes to check it (la_proc_timer) */
		op->proc_next = sl_op_proctime(op) + g->mb_latency_ns / 1000;
	}
	for (uint32_t ii = 0; ii < live; ii++) {
		uint32_t r = in->sel ? in->sel[ii] : ii;
		bool retract = in->kinds[r] == SL_ROW_UPDATE_BEFORE || in->kinds[r] == SL_ROW_DELETE;
		int64_t st[64], en[64];
		int n = 1;
		en[0] = 0;
		if (g->window) {
			if (g->start_col >= 0) {
				const sl_vector *ev = in->cols[g->end_col];
				if (!sl_vec_valid(ev, r))
					continue;
				en[0] = SL_VEC_DATA(ev, int64_t)[r];
			} else {
				const sl_vector *tv = in->cols[g->w->time_col];
				if (!sl_vec_valid(tv, r))
					continue;
				if (g->slice > 0)
					en[0] = sl_window_slice_end(g->w, g->slice, SL_VEC_DATA(tv, int64_t)[r]);
				else
					n = sl_window_assign(g->w, SL_VEC_DATA(tv, int64_t)[r], st, en, 64);
			}
		}
		sl_strbuf_reset(&g->key);
		sl_key_encode(in, r, g->keys, g->nkeys, &g->key);
		for (int k = 0; k < n; k++) {
			unsigned char *val = lookup(g, g->key.data ? g->key.data : "", g->key.len, en[k]);
			int64_t rows;
			memcpy(&rows, val, 8);
			rows += retract ? -1 : 1;
			memcpy(val, &rows, 8);
			if (!sl_agg_accumulate(g->aggs, g->naggs, val, in, r, retract, errp)) {
				sl_chunk_unref(in);
				return false;
			}
			late |= g->window && en[k] - 1 <= op->wm;
		}
	}
	sl_chunk_unref(in);
	if (g->n >= LOCAL_MAX_ENTRIES || late)
		return flush(op, errp);
	if (g->window)
		return true;
	if (!g->minibatch)
		return flush(op, errp);
	g->mb_rows += live;
	if ((g->mb_size > 0 && g->mb_rows >= g->mb_size) ||
	    (g->mb_latency_ns > 0 && now_ns() - g->mb_first_ns >= g->mb_latency_ns) ||
	    (g->mb_size <= 0 && g->mb_latency_ns <= 0))
		return flush(op, errp);
	return true;
}

static bool
la_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	localagg *g = op->priv;
	/* windows: only a closing window forces the partials out (they all go:
	 * the table is not ordered by end). GROUP BY: without mini-batch the
	 * table is already empty (flushed per chunk); with it, the batch goes
	 * on across watermarks until its size or latency bound (the result of
	 * a GROUP BY carries no time attribute, so no operator downstream can
	 * tell; Flink's mini-batch assigner likewise holds watermarks back to
	 * batch boundaries). */
	bool due = g->window ? g->min_end - 1 <= wm
	                     : g->mb_latency_ns > 0 && now_ns() - g->mb_first_ns >= g->mb_latency_ns;
	if (g->n && due && !flush(op, errp))
		return false;
	return sl_op_emit_watermark(op, wm, errp);
}

static bool
la_snapshot(sl_op *op, uint64_t id, sl_error **errp)
{
	(void)id;
	return flush(op, errp);
}

/* Every input went idle: the partials go out now, or the Global (whose
 * watermark no longer waits for this subtask) could fire a window
 * without them. */
static bool
la_idle(sl_op *op, sl_error **errp)
{
	return flush(op, errp);
}

static bool
la_end(sl_op *op, sl_error **errp)
{
	return flush(op, errp) && sl_op_emit_end(op, errp);
}

static void
la_close(sl_op *op)
{
	localagg *g = op->priv;
	if (g->pool)
		sl_chunk_pool_free(g->pool);
	g->pool = NULL;
	free(g->slots);
	free(g->ents);
	free(g->vals);
	g->slots = NULL;
	g->ents = NULL;
	g->vals = NULL;
	sl_strbuf_free(&g->kbuf);
	sl_strbuf_free(&g->key);
}

/* Mini-batch: processing time passed the open batch's latency bound
 * ('table.exec.mini-batch.allow-latency'): its partials go out. */
static bool
la_proc_timer(sl_op *op, int64_t now, sl_error **errp)
{
	localagg *g = op->priv;
	(void)now;
	op->proc_next = INT64_MAX;
	return g->n ? flush(op, errp) : true;
}

static const sl_op_ops la_group_ops = {
	.name = "LocalGroupAggregate", .open = la_open, .push = la_push, .watermark = la_watermark,
	.end = la_end, .close = la_close, .snapshot = la_snapshot, .snapshot_flush_only = true,
	.idle = la_idle, .proc_timer = la_proc_timer,
};

static const sl_op_ops la_window_ops = {
	.name = "LocalWindowAggregate", .open = la_open, .push = la_push, .watermark = la_watermark,
	.end = la_end, .close = la_close, .snapshot = la_snapshot, .snapshot_flush_only = true,
	.idle = la_idle,
};

bool
sl_op_init_local_agg(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	localagg *g = SL_ANEW(a, localagg);
	g->window = r->tag == T_PLocalWindowAggregate;
	g->nkeys = r->nkeys;
	g->keys = r->keys;
	g->naggs = r->naggs;
	if (!sl_agg_specs_init(r, r->inputs[0], a, &g->aggs, errp))
		return false;
	for (int i = 0; i < r->naggs; i++) {
		const sl_aggspec *s = &g->aggs[i];
		if (s->distinct || s->is_str || s->udf) {
			*errp = sl_error_new(SL_ERR_INTERNAL, r->span,
			                     "aggregate %d of a local aggregate cannot merge partial accumulators", i);
			return false;
		}
	}
	g->vlen = sl_agg_acc_bytes(g->aggs, r->naggs);
	if (g->window) {
		g->w = &r->window;
		if (g->w->kind != SL_WIN_TUMBLE && g->w->kind != SL_WIN_HOP && g->w->kind != SL_WIN_CUMULATE) {
			*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "local window aggregate of a %s window",
			                     g->w->kind == SL_WIN_SESSION ? "SESSION" : "non-window");
			return false;
		}
		g->start_col = r->legacy_window ? -1 : r->win_start_col;
		g->end_col = r->legacy_window ? -1 : r->win_end_col;
		if ((g->start_col >= 0) != (g->end_col >= 0))
			g->start_col = g->end_col = -1;
		g->slice_col = g->nkeys;
		g->slice = g->start_col < 0 ? r->slice_us : 0;
	} else {
		g->start_col = g->end_col = g->slice_col = -1;
	}
	g->acc_col = r->nfields - 1;
	if (g->acc_col != g->nkeys + (g->window ? 1 : 0)) {
		*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "local aggregate with %d fields for %d keys",
		                     r->nfields, g->nkeys);
		return false;
	}
	g->minibatch = r->minibatch;
	g->mb_size = r->minibatch_size;
	g->mb_latency_ns = r->minibatch_latency_ms * 1000000;
	g->outkeycols = SL_ANEWN(a, int, g->nkeys + 1);
	for (int i = 0; i < g->nkeys; i++)
		g->outkeycols[i] = i;
	g->types = sl_op_field_types(a, r);
	g->ncols = r->nfields;
	op->ops = g->window ? &la_window_ops : &la_group_ops;
	op->priv = g;
	return true;
}
