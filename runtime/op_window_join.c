/*
 * op_window_join.c
 *	  WindowJoin: two window-TVF (or windowed aggregate) inputs joined on
 *	  window_start = window_start AND window_end = window_end AND the
 *	  equi-keys, with an optional residual condition; INNER, LEFT, RIGHT,
 *	  FULL (Nexmark q5, q8). Both inputs are append-only; the output is
 *	  append-only too: a window's rows are joined once, when the watermark
 *	  passes the window's end, as Flink's WindowJoinOperator.
 *
 *	  State (sl_op_state(op)): per side a map "w0"/"w1": (join key,
 *	  [window_end: 8 B big-endian, sign flipped][stored row]) -> int64
 *	  count, so a key's rows are ordered by window; an event-time timer
 *	  "wjend" at window_end - 1 per (join key, window). When it fires the
 *	  window's rows of both sides are read (the iteration stops at the
 *	  first later window), joined, emitted (+I; outer sides: unmatched rows
 *	  padded with NULLs) and removed. A row whose window already fired
 *	  (window_end - 1 <= watermark) is late: counted, dropped, reported on
 *	  stderr at end-of-input.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_window_join
 */
#include "runtime/join_common.h"
#include "state/state.h"

#include <stdlib.h>
#include <string.h>

typedef struct wrow {
	size_t off, len;            /* stored row in the side's buffer */
	int64_t count;
	bool matched;
} wrow;

typedef struct wside {
	sl_strbuf buf;              /* ukeys ([we][row]) of the window's rows */
	wrow *rows;
	size_t n, cap;
} wside;

typedef struct wjoin {
	int n[2];
	const int *keys[2];
	int nkeys;
	int wend[2];                /* window_end column of each side */
	int *allcols;
	bool outer[2];
	sl_rexpr *cond;
	const sl_type *const *types;
	/* per thread */
	sl_jout jo;
	sl_rexpr_prog *cprog;
	sl_chunk_pool *cpool;
	sl_state_map *ms[2];
	sl_state_timers *tm;
	sl_strbuf key, ukey;
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
	if (!st || !(j->ms[0] = sl_state_map_open(st, "w0", &(sl_state_desc){0}, errp)) ||
	    !(j->ms[1] = sl_state_map_open(st, "w1", &(sl_state_desc){0}, errp)) ||
	    !(j->tm = sl_state_timers_open(st, "wjend", errp)))
		return false;
	if (j->cond && !(j->cprog = sl_rexpr_prog_new(j->cond, errp)))
		return false;
	j->cpool = sl_chunk_pool_new(j->types, j->n[0] + j->n[1], 0);
	sl_jout_init(&j->jo, op, j->types, j->n[0], j->n[1], j->allcols, NULL);
	j->wm = INT64_MIN;
	return true;
}

static bool
wj_push(sl_op *op, int s, sl_chunk *in, sl_error **errp)
{
	wjoin *j = op->priv;
	uint32_t live = sl_chunk_live(in);
	for (uint32_t ii = 0; ii < live; ii++) {
		uint32_t r = in->sel ? in->sel[ii] : ii;
		int64_t we;
		size_t vlen;
		bool created;
		int64_t *cnt;
		unsigned char be[8];
		if (!sl_vec_valid(in->cols[j->wend[s]], r))
			continue;
		we = sl_join_time(in, r, j->wend[s]);
		if (we - 1 <= j->wm) {
			j->late++;
			continue;
		}
		if (sl_join_key_has_null(in, r, j->keys[s], j->nkeys)) {
			/* never matches: padded at once on an outer side */
			if (j->outer[s] &&
			    !(s == 0 ? sl_jout_row(&j->jo, SL_ROW_INSERT, SL_JSRC_CHUNK(in, r), SL_JSRC_NULL, errp)
			             : sl_jout_row(&j->jo, SL_ROW_INSERT, SL_JSRC_NULL, SL_JSRC_CHUNK(in, r), errp)))
				goto fail;
			continue;
		}
		sl_join_key(in, r, j->keys[s], j->nkeys, &j->key);
		sl_join_be64(be, we);
		sl_strbuf_reset(&j->ukey);
		sl_strbuf_appendn(&j->ukey, (const char *)be, 8);
		sl_key_encode(in, r, j->allcols, j->n[s], &j->ukey);
		cnt = sl_state_map_get_for_update(j->ms[s], j->key.data, j->key.len, j->ukey.data,
		                                  j->ukey.len, 8, &vlen, &created, errp);
		if (!cnt)
			goto fail;
		*cnt = created ? 1 : *cnt + 1;
		if (!sl_state_timer_register(j->tm, SL_TIMER_EVENT, we - 1, j->key.data, j->key.len, errp))
			goto fail;
	}
	sl_chunk_unref(in);
	return sl_jout_flush(&j->jo, errp);
fail:
	sl_chunk_unref(in);
	return false;
}

/* Read (and remove) the rows of window `we` under key from side s. */
static bool
take_window(wjoin *j, int s, const void *key, size_t klen, int64_t we, sl_error **errp)
{
	wside *w = &j->ws[s];
	unsigned char be[8];
	const void *uk, *v;
	size_t uklen, vlen;
	int f;
	sl_state_map_iter *it = sl_state_map_iter_new(j->ms[s], key, klen, errp);
	w->n = 0;
	sl_strbuf_reset(&w->buf);
	if (!it)
		return false;
	sl_join_be64(be, we);
	while ((f = sl_state_map_iter_next(it, &uk, &uklen, &v, &vlen, errp)) == 1) {
		int c;
		int64_t cnt;
		if (uklen < 8)
			continue;
		c = memcmp(uk, be, 8);
		if (c < 0)
			continue;       /* an earlier window: cannot happen once fired */
		if (c > 0)
			break;
		if (w->n == w->cap) {
			size_t nc = w->cap ? w->cap * 2 : 64;
			wrow *nr = sl_xrealloc(w->rows, nc * sizeof *nr);
			w->rows = nr;
			w->cap = nc;
		}
		memcpy(&cnt, v, 8);
		w->rows[w->n++] = (wrow){w->buf.len, uklen, cnt, false};
		sl_strbuf_appendn(&w->buf, uk, uklen);
	}
	sl_state_map_iter_free(it);
	if (f < 0)
		return false;
	for (size_t i = 0; i < w->n; i++)
		if (!sl_state_map_remove(j->ms[s], key, klen, w->buf.data + w->rows[i].off, w->rows[i].len,
		                         errp))
			return false;
	return true;
}

static inline sl_jside_src
wsrc(const wside *w, size_t i)
{
	return SL_JSRC_BYTES(w->buf.data + w->rows[i].off + 8, w->rows[i].len - 8);
}

static bool
emit_times(wjoin *j, int64_t n, sl_jside_src l, sl_jside_src r, sl_error **errp)
{
	for (int64_t c = 0; c < n; c++)
		if (!sl_jout_row(&j->jo, SL_ROW_INSERT, l, r, errp))
			return false;
	return true;
}

/* Filter the candidate pairs in c (pairs pa/pb) and emit the matches. */
static bool
flush_pairs(wjoin *j, sl_chunk *c, const uint32_t *pa, const uint32_t *pb, sl_error **errp)
{
	wside *L = &j->ws[0], *R = &j->ws[1];
	int64_t n = sl_rexpr_filter(j->cprog, c, errp);
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
	(void)dom;
	if (!take_window(j, 0, key, klen, time + 1, errp) || !take_window(j, 1, key, klen, time + 1, errp))
		return false;
	/* every (left, right) pair of the window; with a residual condition
	 * the pairs are evaluated a chunk at a time */
	for (size_t a = 0; a < L->n; a++)
		for (size_t b = 0; b < R->n; b++) {
			uint32_t row;
			if (!j->cprog) {
				R->rows[b].matched = L->rows[a].matched = true;
				if (!emit_times(j, L->rows[a].count * R->rows[b].count, wsrc(L, a), wsrc(R, b), errp))
					return false;
				continue;
			}
			if (!c)
				c = sl_chunk_pool_get(j->cpool);
			row = sl_chunk_append_row(c);
			j->pa[row] = (uint32_t)a;
			j->pb[row] = (uint32_t)b;
			if (!sl_join_fill(c, row, 0, j->n[0], j->allcols, wsrc(L, a)) ||
			    !sl_join_fill(c, row, j->n[0], j->n[1], j->allcols + j->n[0], wsrc(R, b))) {
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
	if (j->outer[0])
		for (size_t a = 0; a < L->n; a++)
			if (!L->rows[a].matched && !emit_times(j, L->rows[a].count, wsrc(L, a), SL_JSRC_NULL, errp))
				return false;
	if (j->outer[1])
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
	if (!sl_jout_flush(&j->jo, errp))
		return false;
	return sl_op_emit_watermark(op, wm, errp);
}

static bool
wj_end(sl_op *op, sl_error **errp)
{
	wjoin *j = op->priv;
	sl_join_report_late(op, j->late);
	return sl_jout_flush(&j->jo, errp) && sl_op_emit_end(op, errp);
}

static void
wj_close(sl_op *op)
{
	wjoin *j = op->priv;
	sl_jout_free(&j->jo);
	if (j->cprog)
		sl_rexpr_prog_free(j->cprog);
	j->cprog = NULL;
	if (j->cpool)
		sl_chunk_pool_free(j->cpool);
	j->cpool = NULL;
	sl_strbuf_free(&j->key);
	sl_strbuf_free(&j->ukey);
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
	j->n[0] = r->inputs[0]->nfields;
	j->n[1] = r->inputs[1]->nfields;
	j->keys[0] = r->keys;
	j->keys[1] = r->rkeys;
	j->nkeys = r->nkeys;
	j->wend[0] = r->win_end_col;
	j->wend[1] = r->rwin_end_col;
	j->allcols = sl_join_cols(a, 0, j->n[0] + j->n[1]);
	j->outer[0] = r->join_type == SL_JT_LEFT || r->join_type == SL_JT_FULL;
	j->outer[1] = r->join_type == SL_JT_RIGHT || r->join_type == SL_JT_FULL;
	if (r->cond && !(j->cond = sl_lower_expr(a, r->cond, errp)))
		return false;
	j->types = sl_op_field_types(a, r);
	op->ops = &wj_ops;
	op->priv = j;
	return true;
}
