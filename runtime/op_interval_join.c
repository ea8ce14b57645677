/*
 * op_interval_join.c
 *	  IntervalJoin: equi-keys plus a time range on two rowtime attributes,
 *	  r.t - l.t in [lower, upper] (planner: l.t BETWEEN r.t - upper AND
 *	  r.t - lower), with an optional residual condition; INNER, LEFT,
 *	  RIGHT, FULL over append-only inputs, as Flink's TimeIntervalJoin.
 *
 *	  State (sl_op_state(op)): per side a map "i0"/"i1": (join key,
 *	  [t: 8 B big-endian, sign flipped][stored row]) -> {int64 count,
 *	  int64 matched}, ordered by time within a key; one event-time timer
 *	  service "ijexp" with timers (expiry time, join key).
 *
 *	  A left row at time tl can match right rows with tr in [tl + lower,
 *	  tl + upper]; a right row at tr left rows with tl in [tr - upper,
 *	  tr - lower]. Per input row: join it with the other side's cached
 *	  rows in range (marking them matched), then cache it if rows of the
 *	  other side that could match may still come (its range end is after
 *	  the watermark), with a timer at that range end. Otherwise it is late:
 *	  counted (reported at end-of-input) and not kept — on an outer side
 *	  an unmatched late row is emitted padded at once. When a timer fires
 *	  the key's rows whose range ended are removed; unmatched rows of an
 *	  outer side are emitted padded with NULLs then.
 *
 *	  Output rows may be older than the input watermark (a right row joins
 *	  a left row up to `upper` older), so the output watermark is held
 *	  back by max(upper, -lower, 0), as Flink does; the output's rowtime
 *	  columns stay valid time attributes.
 *
 *	  Processing time (both time attributes are PROCTIME(), Flink's
 *	  ProcTimeIntervalJoin): a row's time is the instance's processing
 *	  time when it reaches the operator (sl_op_proctime, read once per
 *	  chunk; the column's value is not used), and that clock takes the
 *	  watermark's place: a row is cached while rows of the other side that
 *	  arrive later can still match it (its range end is after now), with a
 *	  processing-time timer 1 µs after its range end (the clock moves in
 *	  whole ms, so a row arriving in the range end's own millisecond still
 *	  matches), fired by the worker loop through the proc_timer hook;
 *	  unmatched rows of an outer side are padded then. Nothing is late; watermarks pass through unchanged (the
 *	  planner made the inputs' rowtimes plain values). At end of input
 *	  every timer fires, as for processing-time windows, so a bounded run
 *	  pads every unmatched outer row. The timers are checkpointed with the
 *	  state; after a restore, due ones fire at the first step.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_interval_join
 */
#include "runtime/join_common.h"
#include "state/state.h"

#include <stdlib.h>
#include <string.h>

typedef struct irec {
	size_t off, len;            /* ukey ([t][row]) in ij->buf */
	int64_t count, matched;
} irec;

typedef struct ijoin {
	sl_join_base b;             /* sides, keys, outer, cond, output */
	int tcol[2];                /* rowtime column of each side */
	int64_t lower, upper;       /* r.t - l.t in [lower, upper] */
	int64_t delay;              /* watermark hold-back */
	bool proc;                  /* processing-time join: SL_TIMER_PROC timers */
	/* per thread */
	sl_state_map *ms[2];
	sl_state_timers *tm;
	sl_strbuf key, ukey, buf;
	irec *recs;
	size_t nrecs, cap;
	int64_t wm;
	uint64_t late;
} ijoin;

static bool
ij_open(sl_op *op, sl_error **errp)
{
	ijoin *j = op->priv;
	sl_state *st = sl_op_state(op, errp);
	if (!st || !(j->ms[0] = sl_state_map_open(st, "i0", &(sl_state_desc){0}, errp)) ||
	    !(j->ms[1] = sl_state_map_open(st, "i1", &(sl_state_desc){0}, errp)) ||
	    !(j->tm = sl_state_timers_open(st, "ijexp", errp)))
		return false;
	if (!sl_join_base_open(&j->b, op, false, errp))
		return false;
	j->wm = INT64_MIN;
	/* restored processing-time timers: due ones fire at the first step */
	op->proc_next = j->proc ? sl_state_timers_next(j->tm, SL_TIMER_PROC) : INT64_MAX;
	return true;
}

static bool
add_rec(ijoin *j, const void *uk, size_t uklen, const void *v, sl_error **errp)
{
	int64_t cv[2];
	if (j->nrecs == j->cap) {
		size_t nc = j->cap ? j->cap * 2 : 64;
		irec *nr = sl_xrealloc(j->recs, nc * sizeof *nr);
		j->recs = nr;
		j->cap = nc;
	}
	memcpy(cv, v, 16);
	j->recs[j->nrecs++] = (irec){j->buf.len, uklen, cv[0], cv[1]};
	sl_strbuf_appendn(&j->buf, uk, uklen);
	return true;
}

/* Collect side os's cached rows under j->key with time in [lo, hi]. */
static bool
collect_range(ijoin *j, int os, int64_t lo, int64_t hi, sl_error **errp)
{
	const void *uk, *v;
	size_t uklen, vlen;
	int f;
	sl_state_map_iter *it = sl_state_map_iter_new(j->ms[os], j->key.data, j->key.len, errp);
	j->nrecs = 0;
	sl_strbuf_reset(&j->buf);
	if (!it)
		return false;
	while ((f = sl_state_map_iter_next(it, &uk, &uklen, &v, &vlen, errp)) == 1) {
		int64_t t;
		if (uklen < 8)
			continue;
		t = sl_join_from_be64(uk);
		if (t < lo)
			continue;
		if (t > hi)
			break;
		if (!add_rec(j, uk, uklen, v, errp)) {
			sl_state_map_iter_free(it);
			return false;
		}
	}
	sl_state_map_iter_free(it);
	return f >= 0;
}

static inline sl_jside_src
rsrc(const ijoin *j, size_t i)
{
	return SL_JSRC_BYTES(j->buf.data + j->recs[i].off + 8, j->recs[i].len - 8);
}

static inline bool
emit_pair(ijoin *j, int s, sl_jside_src self, sl_jside_src other, sl_error **errp)
{
	return s == 0 ? sl_jout_row(&j->b.jo, SL_ROW_INSERT, self, other, errp)
	              : sl_jout_row(&j->b.jo, SL_ROW_INSERT, other, self, errp);
}

/* Join input row r of side s with the collected rows; *nm = matches. */
static bool
join_row(ijoin *j, int s, const sl_chunk *in, uint32_t r, int64_t *nm, sl_error **errp)
{
	sl_jside_src self = SL_JSRC_CHUNK(in, r);
	*nm = 0;
	for (size_t b0 = 0; b0 < j->nrecs; b0 += SL_CHUNK_CAPACITY) {
		size_t e = SL_MIN(j->nrecs, b0 + SL_CHUNK_CAPACITY);
		sl_chunk *c = NULL;
		int64_t n = (int64_t)(e - b0);
		if (j->b.cprog) {
			c = sl_chunk_pool_get(j->b.cpool);
			for (size_t b = b0; b < e; b++) {
				uint32_t row = sl_chunk_append_row(c);
				sl_jside_src o = rsrc(j, b);
				bool ok = s == 0 ? sl_join_fill(c, row, 0, j->b.n[0], j->b.allcols, self) &&
				                       sl_join_fill(c, row, j->b.n[0], j->b.n[1], j->b.allcols + j->b.n[0], o)
				                 : sl_join_fill(c, row, 0, j->b.n[0], j->b.allcols, o) &&
				                       sl_join_fill(c, row, j->b.n[0], j->b.n[1], j->b.allcols + j->b.n[0], self);
				if (!ok) {
					sl_chunk_unref(c);
					*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE,
					                     "IntervalJoin: a stored row does not decode");
					return false;
				}
			}
			if ((n = sl_rexpr_filter(j->b.cprog, c, errp)) < 0) {
				sl_chunk_unref(c);
				return false;
			}
		}
		for (int64_t i = 0; i < n; i++) {
			size_t b = b0 + (c && c->sel ? c->sel[i] : (size_t)i);
			irec *rc = &j->recs[b];
			for (int64_t k = 0; k < rc->count; k++)
				if (!emit_pair(j, s, self, rsrc(j, b), errp)) {
					if (c)
						sl_chunk_unref(c);
					return false;
				}
			*nm += rc->count;
			if (j->b.outer[1 - s] && !rc->matched) {
				size_t vlen;
				bool created;
				int64_t *v = sl_state_map_get_for_update(j->ms[1 - s], j->key.data, j->key.len,
				                                         j->buf.data + rc->off, rc->len, 16, &vlen,
				                                         &created, errp);
				if (!v) {
					if (c)
						sl_chunk_unref(c);
					return false;
				}
				if (created)
					v[0] = 0;
				v[1] = 1;
				rc->matched = 1;
			}
		}
		if (c)
			sl_chunk_unref(c);
	}
	return true;
}

/* A timer for the rows under j->key whose range ends at `expiry`: event
 * time at expiry (the watermark passing it makes later rows of the other
 * side late), processing time at expiry + 1 µs (rows arriving in expiry's
 * millisecond still match; the clock moves in whole ms). */
static bool
register_expiry(sl_op *op, ijoin *j, int64_t expiry, sl_error **errp)
{
	if (!j->proc)
		return sl_state_timer_register(j->tm, SL_TIMER_EVENT, expiry, j->key.data, j->key.len, errp);
	if (!sl_state_timer_register(j->tm, SL_TIMER_PROC, expiry + 1, j->key.data, j->key.len, errp))
		return false;
	if (expiry + 1 < op->proc_next)
		op->proc_next = expiry + 1;
	return true;
}

static bool
ij_push(sl_op *op, int s, sl_chunk *in, sl_error **errp)
{
	ijoin *j = op->priv;
	uint32_t live = sl_chunk_live(in);
	/* the clock rows are cached against: the watermark, or processing
	 * time (the time of every row of this chunk) */
	int64_t now = j->proc ? sl_op_proctime(op) : j->wm;
	for (uint32_t ii = 0; ii < live; ii++) {
		uint32_t r = in->sel ? in->sel[ii] : ii;
		int64_t t, lo, hi, expiry, nm = 0;
		bool keep;
		if (j->proc) {
			t = now;
		} else if (!sl_vec_valid(in->cols[j->tcol[s]], r)) {
			j->late++;
			continue;
		} else {
			t = sl_join_time(in, r, j->tcol[s]);
		}
		/* range of the other side's times this row matches */
		if (s == 0) {
			lo = t + j->lower;
			hi = t + j->upper;
		} else {
			lo = t - j->upper;
			hi = t - j->lower;
		}
		expiry = hi;
		keep = expiry > now;
		if (!sl_join_key_has_null(in, r, j->b.keys[s], j->b.nkeys)) {
			sl_join_key(in, r, j->b.keys[s], j->b.nkeys, &j->key);
			if (!collect_range(j, 1 - s, lo, hi, errp) || !join_row(j, s, in, r, &nm, errp))
				goto fail;
		} else {
			keep = false;
		}
		if (keep) {
			unsigned char be[8];
			size_t vlen;
			bool created;
			int64_t *v;
			sl_join_be64(be, t);
			sl_strbuf_reset(&j->ukey);
			sl_strbuf_appendn(&j->ukey, (const char *)be, 8);
			sl_key_encode(in, r, j->b.allcols, j->b.n[s], &j->ukey);
			v = sl_state_map_get_for_update(j->ms[s], j->key.data, j->key.len, j->ukey.data,
			                                j->ukey.len, 16, &vlen, &created, errp);
			if (!v)
				goto fail;
			v[0] = created ? 1 : v[0] + 1;
			v[1] = created ? nm > 0 : (v[1] || nm > 0);
			if (!register_expiry(op, j, expiry, errp))
				goto fail;
			continue;
		}
		if (!j->proc && expiry <= j->wm)
			j->late++;
		if (j->b.outer[s] && nm == 0 && !emit_pair(j, s, SL_JSRC_CHUNK(in, r), SL_JSRC_NULL, errp))
			goto fail;
	}
	sl_chunk_unref(in);
	return sl_jout_flush(&j->b.jo, errp);
fail:
	sl_chunk_unref(in);
	return false;
}

/* Remove side s's rows under key whose range ended at or before `upto`. */
static bool
expire_side(ijoin *j, int s, const void *key, size_t klen, int64_t upto, sl_error **errp)
{
	const void *uk, *v;
	size_t uklen, vlen;
	int f;
	/* side 0 rows end at tl + upper, side 1 rows at tr - lower */
	int64_t tmax = s == 0 ? upto - j->upper : upto + j->lower;
	sl_state_map_iter *it = sl_state_map_iter_new(j->ms[s], key, klen, errp);
	j->nrecs = 0;
	sl_strbuf_reset(&j->buf);
	if (!it)
		return false;
	while ((f = sl_state_map_iter_next(it, &uk, &uklen, &v, &vlen, errp)) == 1) {
		if (uklen < 8)
			continue;
		if (sl_join_from_be64(uk) > tmax)
			break;
		if (!add_rec(j, uk, uklen, v, errp)) {
			sl_state_map_iter_free(it);
			return false;
		}
	}
	sl_state_map_iter_free(it);
	if (f < 0)
		return false;
	for (size_t i = 0; i < j->nrecs; i++) {
		irec *rc = &j->recs[i];
		if (j->b.outer[s] && !rc->matched)
			for (int64_t k = 0; k < rc->count; k++)
				if (!(s == 0 ? sl_jout_row(&j->b.jo, SL_ROW_INSERT, rsrc(j, i), SL_JSRC_NULL, errp)
				             : sl_jout_row(&j->b.jo, SL_ROW_INSERT, SL_JSRC_NULL, rsrc(j, i), errp)))
					return false;
		if (!sl_state_map_remove(j->ms[s], key, klen, j->buf.data + rc->off, rc->len, errp))
			return false;
	}
	return true;
}

static bool
ij_fire(void *ctx, sl_timer_domain dom, int64_t time, const void *key, size_t klen, sl_error **errp)
{
	ijoin *j = ctx;
	int64_t upto = dom == SL_TIMER_PROC ? time - 1 : time;   /* see register_expiry */
	return expire_side(j, 0, key, klen, upto, errp) && expire_side(j, 1, key, klen, upto, errp);
}

static bool
ij_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	ijoin *j = op->priv;
	j->wm = wm;
	if (sl_state_timers_advance(j->tm, SL_TIMER_EVENT, wm, ij_fire, j, errp) < 0)
		return false;
	if (!sl_jout_flush(&j->b.jo, errp))
		return false;
	return sl_op_emit_watermark(op, wm == INT64_MAX || wm == INT64_MIN ? wm : wm - j->delay, errp);
}

/* Fire the processing-time timers <= upto (expiring rows, padding the
 * unmatched ones of an outer side). */
static bool
proc_fire(sl_op *op, int64_t upto, sl_error **errp)
{
	ijoin *j = op->priv;
	if (sl_state_timers_advance(j->tm, SL_TIMER_PROC, upto, ij_fire, j, errp) < 0)
		return false;
	op->proc_next = sl_state_timers_next(j->tm, SL_TIMER_PROC);
	return sl_jout_flush(&j->b.jo, errp);
}

/* proc_timer hook: the rows whose range ended before now. */
static bool
ij_proc_timer(sl_op *op, int64_t now, sl_error **errp)
{
	return proc_fire(op, now, errp);
}

static bool
ij_end(sl_op *op, sl_error **errp)
{
	ijoin *j = op->priv;
	sl_join_report_late(op, j->late);
	if (j->proc && !proc_fire(op, INT64_MAX, errp))   /* end of input: every cached row */
		return false;
	return sl_jout_flush(&j->b.jo, errp) && sl_op_emit_end(op, errp);
}

static void
ij_close(sl_op *op)
{
	ijoin *j = op->priv;
	sl_join_base_close(&j->b);
	sl_strbuf_free(&j->key);
	sl_strbuf_free(&j->ukey);
	sl_strbuf_free(&j->buf);
	free(j->recs);
	j->recs = NULL;
}

static const sl_op_ops ij_ops = {
	.name = "IntervalJoin", .open = ij_open, .push = ij_push, .watermark = ij_watermark,
	.end = ij_end, .close = ij_close, .proc_timer = ij_proc_timer,
};

bool
sl_op_init_interval_join(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	ijoin *j = SL_ANEW(a, ijoin);
	if (r->join_type == SL_JT_SEMI || r->join_type == SL_JT_ANTI) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "sluice run cannot execute a semi/anti interval join yet");
		return false;
	}
	if (!sl_join_base_init(&j->b, r, a, errp))
		return false;
	j->tcol[0] = r->left_time_col;
	j->tcol[1] = r->right_time_col;
	j->lower = r->lower_us;
	j->upper = r->upper_us;
	j->proc = r->inputs[0]->fields[j->tcol[0]].type->time_attr == SL_TIME_ATTR_PROCTIME;
	/* output rows older than the watermark: only event time */
	j->delay = j->proc ? 0 : SL_MAX(0, SL_MAX(j->upper, -j->lower));
	op->ops = &ij_ops;
	op->priv = j;
	return true;
}
