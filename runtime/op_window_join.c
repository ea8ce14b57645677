/*
 * op_window_join.c
 *	  WindowJoin: two window-TVF (or windowed aggregate) inputs joined on
 *	  window_start = window_start AND window_end = window_end AND the
 *	  equi-keys, with an optional residual condition; INNER, LEFT, RIGHT,
 *	  FULL (Nexmark q5, q8). Both inputs are append-only; the output is
 *	  append-only too: a window's rows are joined once, when the watermark
 *	  passes the window's end, as Flink's WindowJoinOperator.
 *
 *	  State (sl_op_state(op)), all cache-local while the window is open
 *	  (maps, so that the key group is the join key's):
 *	    MAP "wl0"/"wl1"  (join key, [window_end: 8 B BE, sign flipped]
 *	                     [chunk: 4 B BE]) -> stored rows of that side in
 *	                     list encoding (sl_state_map_append_capped; one
 *	                     element per row, duplicates repeated), a chunk
 *	                     holding up to CHUNK_BYTES;
 *	    MAP "wn"         (join key, [window_end]) -> int64[2], the number
 *	                     of chunks of each side (the last one is being
 *	                     filled);
 *	  and an event-time timer "wjend" at window_end - 1 per (join key,
 *	  window). A row is one capped list append (no read: a new window's
 *	  keys are ruled out by the absent-key filter). When the timer fires
 *	  the window's chunks of both sides are read, joined, emitted (+I;
 *	  outer sides: unmatched rows padded with NULLs) and cleared — a
 *	  window that opened and closed between cache flushes never reaches
 *	  RocksDB (no iteration, hence no flush-before-iterate, and no
 *	  tombstones). Chunks bound what a flush rewrites: a full chunk is
 *	  written once and can be evicted, where one list per window (q5: up
 *	  to ~180k rows) would be rewritten whole at every flush. A row whose
 *	  window already fired (window_end - 1 <= watermark) is late: counted,
 *	  dropped, reported on stderr at end-of-input.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_window_join
 */
#include "runtime/join_common.h"
#include "state/state.h"

#include <stdlib.h>
#include <string.h>

/* A window's list chunk takes rows until it holds this many bytes. */
#define CHUNK_BYTES 16384

typedef struct wrow {
	size_t off, len;            /* stored row in the side's buffer */
	int64_t count;
	bool matched;
} wrow;

typedef struct wside {
	sl_strbuf buf;              /* stored rows of the window */
	wrow *rows;
	size_t n, cap;
} wside;

typedef struct wjoin {
	sl_join_base b;             /* sides, keys, outer, cond, output */
	int wend[2];                /* window_end column of each side */
	/* per thread */
	sl_state_map *ls[2];        /* "wl0"/"wl1" */
	sl_state_map *nchunks;      /* "wn" */
	sl_state_timers *tm;
	sl_strbuf key, wkey, row;   /* join key; user key [we] (+ chunk); stored row */
	wside ws[2];
	uint32_t pa[SL_CHUNK_CAPACITY], pb[SL_CHUNK_CAPACITY]; /* candidate pairs */
	int64_t wm;
	uint64_t late;
} wjoin;

static bool
wj_open(sl_op *op, sl_error **errp)
{
	wjoin *j = op->priv;
	sl_state *st = sl_op_state(op, errp);
	if (!st || !(j->ls[0] = sl_state_map_open(st, "wl0", &(sl_state_desc){0}, errp)) ||
	    !(j->ls[1] = sl_state_map_open(st, "wl1", &(sl_state_desc){0}, errp)) ||
	    !(j->nchunks = sl_state_map_open(st, "wn", &(sl_state_desc){0}, errp)) ||
	    !(j->tm = sl_state_timers_open(st, "wjend", errp)))
		return false;
	if (!sl_join_base_open(&j->b, op, false, errp))
		return false;
	j->wm = INT64_MIN;
	return true;
}

/* j->wkey = [we][chunk] (chunk < 0: without the chunk number). */
static void
window_key(wjoin *j, int64_t we, int64_t chunk)
{
	unsigned char be[8];
	sl_join_be64(be, we);
	sl_strbuf_reset(&j->wkey);
	sl_strbuf_appendn(&j->wkey, (const char *)be, 8);
	if (chunk >= 0) {
		char c[4] = {(char)(chunk >> 24), (char)(chunk >> 16), (char)(chunk >> 8), (char)chunk};
		sl_strbuf_appendn(&j->wkey, c, 4);
	}
}

/* Store row j->row of side s in window we under j->key. */
static bool
store_row(wjoin *j, int s, int64_t we, sl_error **errp)
{
	size_t vlen;
	bool created;
	int64_t *n, chunk;
	int f;
	window_key(j, we, -1);
	n = sl_state_map_get_for_update(j->nchunks, j->key.data, j->key.len, j->wkey.data, j->wkey.len,
	                                16, &vlen, &created, errp);
	if (!n)
		return false;
	if (n[s] == 0)
		n[s] = 1;
	chunk = n[s] - 1;
	window_key(j, we, chunk);
	f = sl_state_map_append_capped(j->ls[s], j->key.data, j->key.len, j->wkey.data, j->wkey.len,
	                               j->row.data, j->row.len, CHUNK_BYTES, errp);
	if (f != 0)
		return f > 0;
	/* the chunk is full: start the next one (n is still valid: it points
	 * into "wn"'s cache, and only "wl<s>" was called since) */
	n[s]++;
	window_key(j, we, chunk + 1);
	return sl_state_map_append_capped(j->ls[s], j->key.data, j->key.len, j->wkey.data, j->wkey.len,
	                                  j->row.data, j->row.len, SIZE_MAX, errp) >= 0;
}

static bool
wj_push(sl_op *op, int s, sl_chunk *in, sl_error **errp)
{
	wjoin *j = op->priv;
	uint32_t live = sl_chunk_live(in);
	for (uint32_t ii = 0; ii < live; ii++) {
		uint32_t r = in->sel ? in->sel[ii] : ii;
		int64_t we;
		if (!sl_vec_valid(in->cols[j->wend[s]], r))
			continue;
		we = sl_join_time(in, r, j->wend[s]);
		if (we - 1 <= j->wm) {
			j->late++;
			continue;
		}
		if (sl_join_key_has_null(in, r, j->b.keys[s], j->b.nkeys)) {
			/* never matches: padded at once on an outer side */
			if (j->b.outer[s] &&
			    !(s == 0 ? sl_jout_row(&j->b.jo, SL_ROW_INSERT, SL_JSRC_CHUNK(in, r), SL_JSRC_NULL, errp)
			             : sl_jout_row(&j->b.jo, SL_ROW_INSERT, SL_JSRC_NULL, SL_JSRC_CHUNK(in, r), errp)))
				goto fail;
			continue;
		}
		sl_join_key(in, r, j->b.keys[s], j->b.nkeys, &j->key);
		sl_join_encode_row(in, r, j->b.allcols, j->b.n[s], &j->row);
		if (!store_row(j, s, we, errp))
			goto fail;
		if (!sl_state_timer_register(j->tm, SL_TIMER_EVENT, we - 1, j->key.data, j->key.len, errp))
			goto fail;
	}
	sl_chunk_unref(in);
	return sl_jout_flush(&j->b.jo, errp);
fail:
	sl_chunk_unref(in);
	return false;
}

/* Read (and remove) the rows of window `we` under key from side s, whose
 * list has nchunks chunks. */
static bool
take_window(wjoin *j, int s, const void *key, size_t klen, int64_t we, int64_t nchunks,
            sl_error **errp)
{
	wside *w = &j->ws[s];
	w->n = 0;
	sl_strbuf_reset(&w->buf);
	for (int64_t c = 0; c < nchunks; c++) {
		const void *buf, *e;
		size_t len, pos = 0, elen;
		int f;
		window_key(j, we, c);
		f = sl_state_map_get(j->ls[s], key, klen, j->wkey.data, j->wkey.len, &buf, &len, errp);
		if (f < 0)
			return false;
		while (f == 1 && sl_state_list_next(buf, len, &pos, &e, &elen)) {
			if (w->n == w->cap) {
				size_t nc = w->cap ? w->cap * 2 : 64;
				wrow *nr = sl_xrealloc(w->rows, nc * sizeof *nr);
				w->rows = nr;
				w->cap = nc;
			}
			w->rows[w->n++] = (wrow){w->buf.len, elen, 1, false};
			sl_strbuf_appendn(&w->buf, e, elen);
		}
		if (f == 1 && !sl_state_map_remove(j->ls[s], key, klen, j->wkey.data, j->wkey.len, errp))
			return false;
	}
	return true;
}

static inline sl_jside_src
wsrc(const wside *w, size_t i)
{
	return SL_JSRC_BYTES(w->buf.data + w->rows[i].off, w->rows[i].len);
}

static bool
emit_times(wjoin *j, int64_t n, sl_jside_src l, sl_jside_src r, sl_error **errp)
{
	for (int64_t c = 0; c < n; c++)
		if (!sl_jout_row(&j->b.jo, SL_ROW_INSERT, l, r, errp))
			return false;
	return true;
}

/* Filter the candidate pairs in c (pairs pa/pb) and emit the matches. */
static bool
flush_pairs(wjoin *j, sl_chunk *c, const uint32_t *pa, const uint32_t *pb, sl_error **errp)
{
	wside *L = &j->ws[0], *R = &j->ws[1];
	int64_t n = sl_rexpr_filter(j->b.cprog, c, errp);
	if (n < 0)
		return false;
	for (int64_t i = 0; i < n; i++) {
		uint32_t k = c->sel ? c->sel[i] : (uint32_t)i;
		size_t a = pa[k], b = pb[k];
		R->rows[b].matched = L->rows[a].matched = true;
		if (!emit_times(j, L->rows[a].count * R->rows[b].count, wsrc(L, a), wsrc(R, b), errp))
			return false;
	}
	return true;
}

static bool
wj_fire(void *ctx, sl_timer_domain dom, int64_t time, const void *key, size_t klen, sl_error **errp)
{
	wjoin *j = ctx;
	wside *L = &j->ws[0], *R = &j->ws[1];
	sl_chunk *c = NULL;
	const void *v;
	size_t vlen;
	int64_t n[2] = {0, 0};
	int f;
	(void)dom;
	window_key(j, time + 1, -1);
	f = sl_state_map_get(j->nchunks, key, klen, j->wkey.data, j->wkey.len, &v, &vlen, errp);
	if (f < 0)
		return false;
	if (f == 1 && vlen == sizeof n)
		memcpy(n, v, sizeof n);
	if (f == 1 && !sl_state_map_remove(j->nchunks, key, klen, j->wkey.data, j->wkey.len, errp))
		return false;
	if (!take_window(j, 0, key, klen, time + 1, n[0], errp) ||
	    !take_window(j, 1, key, klen, time + 1, n[1], errp))
		return false;
	/* every (left, right) pair of the window; with a residual condition
	 * the pairs are evaluated a chunk at a time */
	for (size_t a = 0; a < L->n; a++)
		for (size_t b = 0; b < R->n; b++) {
			uint32_t row;
			if (!j->b.cprog) {
				R->rows[b].matched = L->rows[a].matched = true;
				if (!emit_times(j, L->rows[a].count * R->rows[b].count, wsrc(L, a), wsrc(R, b), errp))
					return false;
				continue;
			}
			if (!c)
				c = sl_chunk_pool_get(j->b.cpool);
			row = sl_chunk_append_row(c);
			j->pa[row] = (uint32_t)a;
			j->pb[row] = (uint32_t)b;
			if (!sl_join_fill(c, row, 0, j->b.n[0], j->b.allcols, wsrc(L, a)) ||
			    !sl_join_fill(c, row, j->b.n[0], j->b.n[1], j->b.allcols + j->b.n[0], wsrc(R, b))) {
				sl_chunk_unref(c);
				*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "WindowJoin: a stored row does not decode");
				return false;
			}
			if (sl_chunk_full(c)) {
				bool ok = flush_pairs(j, c, j->pa, j->pb, errp);
				sl_chunk_unref(c);
				c = NULL;
				if (!ok)
					return false;
			}
		}
	if (c) {
		bool ok = flush_pairs(j, c, j->pa, j->pb, errp);
		sl_chunk_unref(c);
		if (!ok)
			return false;
	}
	if (j->b.outer[0])
		for (size_t a = 0; a < L->n; a++)
			if (!L->rows[a].matched && !emit_times(j, L->rows[a].count, wsrc(L, a), SL_JSRC_NULL, errp))
				return false;
	if (j->b.outer[1])
		for (size_t b = 0; b < R->n; b++)
			if (!R->rows[b].matched && !emit_times(j, R->rows[b].count, SL_JSRC_NULL, wsrc(R, b), errp))
				return false;
	return true;
}

static bool
wj_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	wjoin *j = op->priv;
	j->wm = wm;
	if (sl_state_timers_advance(j->tm, SL_TIMER_EVENT, wm, wj_fire, j, errp) < 0)
		return false;
	if (!sl_jout_flush(&j->b.jo, errp))
		return false;
	return sl_op_emit_watermark(op, wm, errp);
}

static bool
wj_end(sl_op *op, sl_error **errp)
{
	wjoin *j = op->priv;
	sl_join_report_late(op, j->late);
	return sl_jout_flush(&j->b.jo, errp) && sl_op_emit_end(op, errp);
}

static void
wj_close(sl_op *op)
{
	wjoin *j = op->priv;
	sl_join_base_close(&j->b);
	sl_strbuf_free(&j->key);
	sl_strbuf_free(&j->wkey);
	sl_strbuf_free(&j->row);
	for (int s = 0; s < 2; s++) {
		sl_strbuf_free(&j->ws[s].buf);
		free(j->ws[s].rows);
		j->ws[s].rows = NULL;
	}
}

static const sl_op_ops wj_ops = {
	.name = "WindowJoin", .open = wj_open, .push = wj_push, .watermark = wj_watermark,
	.end = wj_end, .close = wj_close,
};

bool
sl_op_init_window_join(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	wjoin *j = SL_ANEW(a, wjoin);
	if (r->join_type == SL_JT_SEMI || r->join_type == SL_JT_ANTI || r->win_end_col < 0 ||
	    r->rwin_end_col < 0) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "sluice run cannot execute this window join (semi/anti) yet");
		return false;
	}
	if (!sl_join_base_init(&j->b, r, a, errp))
		return false;
	j->wend[0] = r->win_end_col;
	j->wend[1] = r->rwin_end_col;
	op->ops = &wj_ops;
	op->priv = j;
	return true;
}
