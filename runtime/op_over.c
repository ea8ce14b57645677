/*
 * op_over.c
 *	  OverAggregate: agg(x) OVER (PARTITION BY k ORDER BY t
 *	  {ROWS n | RANGE INTERVAL .. | UNBOUNDED} PRECEDING AND CURRENT ROW).
 *	  Every input row comes out once, followed by its aggregates (COUNT,
 *	  SUM, SUM0, AVG, MIN, MAX; the sl_agg_* accumulators of op.h).
 *
 *	  Two modes, chosen from the plan:
 *
 *	  Rowtime (append-only input ordered by its rowtime attribute), as
 *	  Flink's RowTime{Rows,Range}{Bounded,Unbounded}PrecedingFunction:
 *	  a row is buffered in keyed value state "pending" (sorted by time,
 *	  arrival order among equal times) with an event-time timer at its
 *	  time; a row at or behind the watermark is late (counted, dropped,
 *	  reported at end). When the watermark advances to W, the key's first
 *	  due timer emits all its pending rows up to W (+I, in time order),
 *	  each with the aggregate of its frame; its later timers find nothing. Value state "frame" keeps what later frames
 *	  need: for ROWS n the last n rows, for RANGE P the rows with time
 *	  >= T - P, for UNBOUNDED only the accumulators (rows = 0). RANGE
 *	  frames include the current row's peers (equal time), as SQL says.
 *
 *	  Proctime (append-only input ordered by a PROCTIME() attribute), as
 *	  Flink's ProcTime{Rows,Range}{Bounded,Unbounded}PrecedingFunction:
 *	  the rowtime machinery on the instance's processing time. Each row's
 *	  order column is overwritten with the time it reaches the operator
 *	  (sl_op_proctime, once per chunk), it waits in "pending" with a
 *	  processing-time timer at that time, and once processing time has
 *	  moved past that millisecond (every peer has arrived) the worker loop
 *	  fires it (proc_timer hook) exactly as a watermark would; end of input
 *	  fires the rest. Never late; watermarks only pass through.
 *
 *	  Changelog (any other input, in particular an updating one, where
 *	  Flink refuses: Nexmark q6). Semantics: the output is, at every
 *	  moment, the OVER query evaluated on the input's current content. The
 *	  partition's live rows are kept sorted by (ORDER BY value, the whole
 *	  row's key encoding: a deterministic order for ties) in value state
 *	  "rows". An insert (+I/+U) emits +I for the new row with its
 *	  aggregate; a retraction (-U/-D) emits -D for the row's last output;
 *	  every other row whose frame contains the changed position emits -U
 *	  old / +U new when its aggregate changed. The final state after the
 *	  changelog thus equals a batch evaluation with the same tie order
 *	  (tests/oracle/q6.sql). Cost per change: O(n) for ROWS n, O(partition)
 *	  for RANGE and UNBOUNDED.
 *
 *	  Aggregates over a frame are computed on a scratch chunk holding the
 *	  decoded frame rows: a sliding add/retract window for COUNT/SUM/AVG,
 *	  recomputation over the frame when MIN/MAX are present (no value
 *	  multiset). Rows in state are runtime/key.h encodings of every input
 *	  column (state/ sees bytes only, checkpoints snapshot them).
 *
 *	  @thread every callback runs on the subtask's worker thread. No
 *	  allocation per row once the scratch buffers have grown.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_over_agg     build the operator from a POverAggregate node
 */
#include "runtime/op.h"
#include "runtime/key.h"
#include "state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct over {
	sl_op *op;
	int nkeys;
	const int *keys;
	int ocol;                   /* ORDER BY column (int64 time or integer) */
	bool rows_frame;            /* ROWS (else RANGE) */
	int64_t prec;               /* rows or microseconds; -1 UNBOUNDED */
	bool changelog;             /* changelog mode (see the header) */
	int ncols;                  /* input columns */
	int *allcols;
	int naggs;
	sl_aggspec *aggs;
	bool recompute;             /* MIN/MAX present: no sliding retraction */
	size_t alen;                /* sl_agg_acc_bytes(aggs, naggs) */
	uint64_t late;
	int64_t upto;               /* the watermark being advanced to (rt_fire) */
	bool proc;                  /* proctime mode: rowtime mode on processing time */
	sl_chunk_pool *inpool;      /* proctime: input chunks made writable */
	const sl_type *const *types;     /* output */
	const sl_type *const *intypes;   /* input */
	sl_chunk_pool *pool;
	sl_chunk *out;
	sl_chunk *sc;               /* scratch: decoded rows, capacity sccap */
	uint32_t sccap;
	int64_t *ord;               /* order value of each scratch row */
	unsigned char *accs;        /* per scratch row: its frame's accumulators */
	unsigned char *oaccs;       /* changelog mode: the old aggregates */
	unsigned char *win;         /* sliding accumulators */
	sl_state *st;
	sl_state_value *pending, *frame, *rowsv;
	sl_state_timers *tm;
	sl_strbuf key, row, cur, nb, cur2;
	uint32_t *off, offcap;
} over;

#define HDR 4u
#define EHDR 8u

/* Entry lists (value state "pending", "frame" rows, "rows"):
 *   u32 n; n x { u32 klen; u32 rlen; sort key; row }
 * index_entries fills k->off with the entries' offsets. */
static uint32_t
index_entries(over *k, const char *b, size_t len, size_t start)
{
	uint32_t n = len >= start + HDR ? sl_rd32(b + start) : 0, pos = (uint32_t)start + HDR;
	if (n > k->offcap) {
		k->offcap = n * 2 + 16;
		k->off = sl_xrealloc(k->off, sizeof *k->off * k->offcap);
	}
	for (uint32_t i = 0; i < n; i++) {
		k->off[i] = pos;
		pos += EHDR + sl_rd32(b + pos) + sl_rd32(b + pos + 4);
	}
	return n;
}

static inline uint32_t
ent_len(const char *b, uint32_t off)
{
	return EHDR + sl_rd32(b + off) + sl_rd32(b + off + 4);
}

static inline const char *
ent_key(const char *b, uint32_t off, uint32_t *klen)
{
	*klen = sl_rd32(b + off);
	return b + off + EHDR;
}

static inline const char *
ent_row(const char *b, uint32_t off, uint32_t *rlen)
{
	*rlen = sl_rd32(b + off + 4);
	return b + off + EHDR + sl_rd32(b + off);
}

static void
put_entry(sl_strbuf *nb, const char *key, uint32_t kl, const char *row, uint32_t rl)
{
	sl_strbuf_put32(nb, kl);
	sl_strbuf_put32(nb, rl);
	sl_strbuf_appendn(nb, key, kl);
	sl_strbuf_appendn(nb, row, rl);
}

/* Room for m rows in the scratch chunk and arrays (keeps contents only
 * when they fit). */
static void
scratch_reserve(over *k, uint32_t m)
{
	if (m <= k->sccap)
		return;
	uint32_t cap = k->sccap ? k->sccap : 64;
	while (cap < m)
		cap *= 2;
	if (cap > 65535 && m <= 65535)
		cap = 65535;
	if (k->sc)
		sl_chunk_unref(k->sc);
	k->sc = sl_chunk_new(k->intypes, k->ncols, cap);
	k->sccap = cap;
	k->ord = sl_xrealloc(k->ord, sizeof *k->ord * cap);
	k->accs = sl_xrealloc(k->accs, k->alen * cap);
	k->oaccs = sl_xrealloc(k->oaccs, k->alen * cap);
}

/* Append a row (key encoding) to the scratch chunk; its order value too. */
static bool
scratch_add(over *k, const char *row, uint32_t rl, sl_error **errp)
{
	uint32_t r = sl_chunk_append_row(k->sc);
	const sl_vector *v;
	if (!sl_key_decode(row, rl, k->sc, r, k->allcols, k->ncols)) {
		*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "buffered row does not decode");
		return false;
	}
	v = k->sc->cols[k->ocol];
	k->ord[r] = sl_vec_valid(v, r) ? SL_VEC_DATA(v, int64_t)[r] : INT64_MIN;
	return true;
}

/* Frame of scratch row i among rows [0, m): [*lo, *hi). */
static void
frame_of(const over *k, uint32_t i, uint32_t m, uint32_t *lo, uint32_t *hi)
{
	if (k->rows_frame) {
		*hi = i + 1;
		*lo = (k->prec < 0 || (int64_t)i < k->prec) ? 0 : i - (uint32_t)k->prec;
		return;
	}
	uint32_t h = i + 1, l = i;
	while (h < m && k->ord[h] == k->ord[i])
		h++;
	if (k->prec < 0) {
		l = 0;
	} else {
		int64_t from = k->ord[i] == INT64_MIN ? INT64_MIN : k->ord[i] - k->prec;
		while (l > 0 && k->ord[l - 1] >= from)
			l--;
	}
	*lo = l;
	*hi = h;
}

/* k->accs for scratch rows [a, b) of [0, m), starting from base (the
 * accumulators of rows before the scratch, UNBOUNDED rowtime mode) or
 * zero. Frames must lie within the scratch. */
static bool
compute(over *k, uint32_t a, uint32_t b, uint32_t m, const unsigned char *base, sl_error **errp)
{
	uint32_t wlo = 0, whi = 0;
	if (base)
		memcpy(k->win, base, k->alen);
	else
		memset(k->win, 0, k->alen);
	for (uint32_t i = a; i < b; i++) {
		uint32_t lo, hi;
		unsigned char *dst = k->accs + k->alen * i;
		frame_of(k, i, m, &lo, &hi);
		if (k->recompute && !base) {
			memset(dst, 0, k->alen);
			for (uint32_t j = lo; j < hi; j++)
				if (!sl_agg_accumulate(k->aggs, k->naggs, dst, k->sc, j, false, errp))
					return false;
			continue;
		}
		if (i == a && !base) {
			wlo = whi = lo;
		}
		if (base)
			wlo = lo; /* unbounded: nothing ever leaves */
		while (whi < hi)
			if (!sl_agg_accumulate(k->aggs, k->naggs, k->win, k->sc, whi++, false, errp))
				return false;
		while (wlo < lo)
			if (!sl_agg_accumulate(k->aggs, k->naggs, k->win, k->sc, wlo++, true, errp))
				return false;
		memcpy(dst, k->win, k->alen);
	}
	return true;
}

static bool
flush_out(sl_op *op, sl_error **errp)
{
	over *k = op->priv;
	if (k->out && k->out->count) {
		sl_chunk *c = k->out;
		k->out = NULL;
		return sl_op_emit(op, c, errp);
	}
	return true;
}

/* Emit scratch row i with accumulators acc and kind. */
static bool
put_out(sl_op *op, uint32_t i, const unsigned char *acc, sl_row_kind kind, sl_error **errp)
{
	over *k = op->priv;
	uint32_t r;
	if (k->out && sl_chunk_full(k->out) && !flush_out(op, errp))
		return false;
	if (!k->out)
		k->out = sl_chunk_pool_get(k->pool);
	r = sl_chunk_append_row(k->out);
	k->out->kinds[r] = (uint8_t)kind;
	for (int c = 0; c < k->ncols; c++)
		sl_vector_copy_row(k->out->cols[c], r, k->sc->cols[c], i, &k->out->heap);
	sl_agg_write(k->aggs, k->naggs, acc, k->out, r, k->ncols);
	return true;
}

static bool
ov_open(sl_op *op, sl_error **errp)
{
	over *k = op->priv;
	k->op = op;
	if (!(k->st = sl_op_state(op, errp)))
		return false;
	if (k->changelog) {
		if (!(k->rowsv = sl_state_value_open(k->st, "rows", &(sl_state_desc){0}, errp)))
			return false;
	} else if (!(k->pending = sl_state_value_open(k->st, "pending", &(sl_state_desc){0}, errp)) ||
	           !(k->frame = sl_state_value_open(k->st, "frame", &(sl_state_desc){0}, errp)) ||
	           !(k->tm = sl_state_timers_open(k->st, "rowtime", errp))) {
		return false;
	}
	k->pool = sl_chunk_pool_new(k->types, op->rel->nfields, 0);
	if (k->proc) {
		int64_t t = sl_state_timers_next(k->tm, SL_TIMER_PROC);  /* restored */
		k->inpool = sl_chunk_pool_new(k->intypes, k->ncols, 0);
		op->proc_next = t == INT64_MAX ? t : t + 1;
	}
	k->win = sl_xmalloc(k->alen);
	scratch_reserve(k, 64);
	return true;
}

static void
encode_key(over *k, const sl_chunk *in, uint32_t r)
{
	sl_strbuf_reset(&k->key);
	sl_key_encode(in, r, k->keys, k->nkeys, &k->key);
	if (k->key.len == 0)
		sl_strbuf_appendc(&k->key, '\0');
}

/* ---- rowtime mode --------------------------------------------------- */

/* Buffer row r (time t) in the key's pending list, after its peers. */
static bool
rt_row(sl_op *op, const sl_chunk *in, uint32_t r, sl_error **errp)
{
	over *k = op->priv;
	const sl_vector *tv = in->cols[k->ocol];
	const void *v;
	size_t vlen;
	uint32_t n = 0, p;
	int64_t t;
	char tk[8];
	int found;
	if (!sl_vec_valid(tv, r) || ((t = SL_VEC_DATA(tv, int64_t)[r]) <= op->wm && !k->proc)) {
		k->late++;
		return true;
	}
	encode_key(k, in, r);
	for (int i = 0; i < 8; i++) /* big-endian, sign flipped: memcmp order */
		tk[i] = (char)((uint64_t)(t ^ INT64_MIN) >> (56 - 8 * i));
	sl_strbuf_reset(&k->row);
	sl_key_encode(in, r, k->allcols, k->ncols, &k->row);
	found = sl_state_value_get(k->pending, k->key.data, k->key.len, &v, &vlen, errp);
	if (found < 0)
		return false;
	sl_strbuf_reset(&k->nb);
	if (!found) {
		sl_strbuf_put32(&k->nb, 1);
		put_entry(&k->nb, tk, 8, k->row.data, (uint32_t)k->row.len);
	} else {
		const char *b = v;
		n = index_entries(k, b, vlen, 0);
		/* usually appended at the end: scan from the back */
		for (p = n; p > 0; p--) {
			uint32_t kl;
			const char *ek = ent_key(b, k->off[p - 1], &kl);
			if (sl_bytes_cmp(ek, kl, tk, 8) <= 0)
				break;
		}
		sl_strbuf_put32(&k->nb, n + 1);
		sl_strbuf_appendn(&k->nb, b + HDR, (p < n ? k->off[p] : vlen) - HDR);
		put_entry(&k->nb, tk, 8, k->row.data, (uint32_t)k->row.len);
		if (p < n)
			sl_strbuf_appendn(&k->nb, b + k->off[p], vlen - k->off[p]);
	}
	if (!sl_state_value_put(k->pending, k->key.data, k->key.len, k->nb.data, k->nb.len, errp))
		return false;
	if (k->proc) {
		/* due once processing time is past t's millisecond (peers in) */
		if (t + 1 < op->proc_next)
			op->proc_next = t + 1;
		return sl_state_timer_register(k->tm, SL_TIMER_PROC, t, k->key.data, k->key.len, errp);
	}
	return sl_state_timer_register(k->tm, SL_TIMER_EVENT, t, k->key.data, k->key.len, errp);
}

/* A timer of a key fired: emit its pending rows up to the watermark
 * being advanced to (all of them at once: the key's later timers up to
 * that watermark then find nothing and return). */
static bool
rt_fire(void *ctx, sl_timer_domain dom, int64_t time, const void *key, size_t klen,
        sl_error **errp)
{
	sl_op *op = ctx;
	over *k = op->priv;
	const void *v;
	size_t vlen;
	uint32_t np, nf = 0, due = 0, m, keep_from;
	const char *pb, *fb = NULL;
	int found;
	bool unbounded = k->prec < 0;
	int64_t T = k->upto > time ? k->upto : time;
	(void)dom;
	found = sl_state_value_get(k->pending, key, klen, &v, &vlen, errp);
	if (found <= 0)
		return found == 0;
	sl_strbuf_reset(&k->cur);
	sl_strbuf_appendn(&k->cur, v, vlen);
	pb = k->cur.data;
	np = index_entries(k, pb, vlen, 0);
	/* due: pending rows with time <= T (a prefix) */
	while (due < np) {
		const char *ek = pb + k->off[due] + EHDR;
		int64_t t;
		uint64_t u = 0;
		for (int i = 0; i < 8; i++)
			u = (u << 8) | (unsigned char)ek[i];
		t = (int64_t)(u ^ (uint64_t)INT64_MIN);
		if (t > T)
			break;
		due++;
	}
	if (due == 0)
		return true;
	/* frame state: accumulators (unbounded) or the retained rows */
	found = sl_state_value_get(k->frame, key, klen, &v, &vlen, errp);
	if (found < 0)
		return false;
	sl_strbuf_reset(&k->cur2);
	if (found)
		sl_strbuf_appendn(&k->cur2, v, vlen);
	fb = k->cur2.data;
	if (found && !unbounded)
		nf = sl_rd32(fb);
	scratch_reserve(k, nf + due);
	sl_chunk_reset(k->sc);
	if (nf) {
		uint32_t pos = HDR;
		for (uint32_t i = 0; i < nf; i++) {
			uint32_t rl;
			const char *row = ent_row(fb, pos, &rl);
			if (!scratch_add(k, row, rl, errp))
				return false;
			pos += ent_len(fb, pos);
		}
	}
	for (uint32_t i = 0; i < due; i++) {
		uint32_t rl;
		const char *row = ent_row(pb, k->off[i], &rl);
		if (!scratch_add(k, row, rl, errp))
			return false;
	}
	m = nf + due;
	/* UNBOUNDED: start from the stored accumulators (none: zero) */
	if (!compute(k, nf, m, m, unbounded && found ? (const unsigned char *)fb : NULL, errp))
		return false;
	for (uint32_t i = nf; i < m; i++)
		if (!put_out(op, i, k->accs + k->alen * i, SL_ROW_INSERT, errp))
			return false;
	/* new frame state: the accumulators, or the rows later frames need */
	sl_strbuf_reset(&k->nb);
	if (unbounded) {
		sl_strbuf_appendn(&k->nb, (const char *)k->accs + k->alen * (m - 1), k->alen);
	} else {
		if (k->rows_frame)
			keep_from = (int64_t)m > k->prec ? m - (uint32_t)k->prec : 0;
		else {
			keep_from = 0;
			while (keep_from < m && k->ord[keep_from] < T - k->prec)
				keep_from++;
		}
		sl_strbuf_put32(&k->nb, m - keep_from);
		for (uint32_t i = keep_from; i < m; i++) {
			sl_strbuf_reset(&k->row);
			sl_key_encode(k->sc, i, k->allcols, k->ncols, &k->row);
			put_entry(&k->nb, "", 0, k->row.data, (uint32_t)k->row.len);
		}
	}
	if (!sl_state_value_put(k->frame, key, klen, k->nb.data, k->nb.len, errp))
		return false;
	/* the rest of pending */
	if (due == np)
		return sl_state_value_delete(k->pending, key, klen, errp);
	sl_strbuf_reset(&k->nb);
	sl_strbuf_put32(&k->nb, np - due);
	sl_strbuf_appendn(&k->nb, pb + k->off[due], k->cur.len - k->off[due]);
	return sl_state_value_put(k->pending, key, klen, k->nb.data, k->nb.len, errp);
}

static bool
ov_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	over *k = op->priv;
	if (!k->proc)
		k->upto = wm;
	if (!k->changelog && !k->proc &&
	    sl_state_timers_advance(k->tm, SL_TIMER_EVENT, wm, rt_fire, op, errp) < 0)
		return false;
	if (!flush_out(op, errp))
		return false;
	return sl_op_emit_watermark(op, wm, errp);
}

/* ---- changelog mode ------------------------------------------------- */

/* Scratch rows [lo, hi) of the list in b (entries indexed in k->off),
 * with entry `skip` left out (UINT32_MAX: none) and, at position ins
 * (UINT32_MAX: none), the current k->row inserted. */
static bool
load_range(over *k, const char *b, uint32_t lo, uint32_t hi, uint32_t skip, uint32_t ins,
           sl_error **errp)
{
	scratch_reserve(k, hi - lo + 1);
	sl_chunk_reset(k->sc);
	for (uint32_t i = lo; i < hi; i++) {
		uint32_t rl;
		const char *row;
		if (i == ins) {
			if (!scratch_add(k, k->row.data, (uint32_t)k->row.len, errp))
				return false;
			continue;
		}
		{
			uint32_t src = i;
			if (ins != UINT32_MAX && i > ins)
				src = i - 1;
			if (skip != UINT32_MAX && src >= skip)
				src++;
			row = ent_row(b, k->off[src], &rl);
		}
		if (!scratch_add(k, row, rl, errp))
			return false;
	}
	return true;
}

static bool
cl_row(sl_op *op, const sl_chunk *in, uint32_t r, sl_error **errp)
{
	over *k = op->priv;
	bool retract = in->kinds[r] == SL_ROW_UPDATE_BEFORE || in->kinds[r] == SL_ROW_DELETE;
	const void *v;
	size_t vlen;
	const char *b = NULL;
	uint32_t n = 0, nn, p, lo, hi, olo, ohi, a1, b1, st0;
	int found;
	encode_key(k, in, r);
	sl_strbuf_reset(&k->row);
	sl_key_encode(in, r, k->allcols, k->ncols, &k->row);
	found = sl_state_value_get(k->rowsv, k->key.data, k->key.len, &v, &vlen, errp);
	if (found < 0)
		return false;
	if (found) {
		sl_strbuf_reset(&k->cur);
		sl_strbuf_appendn(&k->cur, v, vlen);
		b = k->cur.data;
		n = index_entries(k, b, vlen, 0);
	}
	/* the sort key: ORDER BY value then the whole row (k->nb as scratch) */
	sl_strbuf_reset(&k->cur2);
	sl_key_encode(in, r, &k->ocol, 1, &k->cur2);
	sl_strbuf_appendn(&k->cur2, k->row.data, k->row.len);
	{
		uint32_t l = 0, h = n;
		while (l < h) {
			uint32_t mid = (l + h) / 2, kl;
			const char *mk = ent_key(b, k->off[mid], &kl);
			if (sl_bytes_cmp(mk, kl, k->cur2.data, k->cur2.len) < 0)
				l = mid + 1;
			else
				h = mid;
		}
		p = l;
	}
	if (retract) {
		uint32_t kl = 0;
		const char *mk = p < n ? ent_key(b, k->off[p], &kl) : NULL;
		if (!mk || sl_bytes_cmp(mk, kl, k->cur2.data, k->cur2.len) != 0)
			return true; /* not there: ignored, as a Top-N does */
		nn = n - 1;
	} else {
		nn = n + 1;
	}
	/* Affected: rows whose frame contains position p. ROWS n: positions
	 * p .. p+n (of the list holding the row); RANGE/UNBOUNDED: the whole
	 * partition (computed over all of it). */
	if (k->rows_frame && k->prec >= 0) {
		uint32_t with = retract ? n : nn; /* length of the list holding the row */
		lo = p > (uint32_t)k->prec ? p - (uint32_t)k->prec : 0;
		hi = p + (uint32_t)k->prec + 1;
		if (hi > with)
			hi = with;
	} else {
		lo = 0;
		hi = retract ? n : nn;
	}
	/* first row to (re)compute: ROWS n / ROWS UNBOUNDED: the changed
	 * position; RANGE: 0, since peers before it include it */
	st0 = (k->rows_frame ? p : lo) - lo;
	/* old outputs: the list without the inserted row / with the retracted one */
	olo = lo;
	ohi = retract ? hi : hi - 1;
	if (ohi > olo || retract) {
		if (!load_range(k, b, olo, ohi, UINT32_MAX, UINT32_MAX, errp))
			return false;
		a1 = p - olo;
		if (!compute(k, st0, ohi - olo, ohi - olo, NULL, errp))
			return false;
		memcpy(k->oaccs, k->accs, k->alen * (ohi - olo));
		if (retract && !put_out(op, a1, k->oaccs + k->alen * a1, SL_ROW_DELETE, errp))
			return false;
	}
	/* new outputs; compare position by position, skipping the changed row */
	{
		uint32_t nlo = lo, nhi = retract ? hi - 1 : hi;
		if (!load_range(k, b, nlo, nhi, retract ? p : UINT32_MAX, retract ? UINT32_MAX : p,
		                errp))
			return false;
		b1 = p - nlo;
		if (!compute(k, st0, nhi - nlo, nhi - nlo, NULL, errp))
			return false;
		for (uint32_t i = st0; i < nhi - nlo; i++) {
			uint32_t oi; /* the same row's index in the old scratch */
			const unsigned char *na = k->accs + k->alen * i;
			if (!retract && i == b1) {
				if (!put_out(op, i, na, SL_ROW_INSERT, errp))
					return false;
				continue;
			}
			oi = i < b1 ? i : retract ? i + 1 : i - 1;
			if (oi >= ohi - olo)
				continue;
			if (memcmp(k->oaccs + k->alen * oi, na, k->alen) == 0)
				continue;
			if (!put_out(op, i, k->oaccs + k->alen * oi, SL_ROW_UPDATE_BEFORE, errp) ||
			    !put_out(op, i, na, SL_ROW_UPDATE_AFTER, errp))
				return false;
		}
	}
	/* new list */
	sl_strbuf_reset(&k->nb);
	sl_strbuf_put32(&k->nb, nn);
	for (uint32_t i = 0; i < n; i++) {
		if (!retract && i == p)
			put_entry(&k->nb, k->cur2.data, (uint32_t)k->cur2.len, k->row.data,
			          (uint32_t)k->row.len);
		if (retract && i == p)
			continue;
		sl_strbuf_appendn(&k->nb, b + k->off[i], ent_len(b, k->off[i]));
	}
	if (!retract && p == n)
		put_entry(&k->nb, k->cur2.data, (uint32_t)k->cur2.len, k->row.data, (uint32_t)k->row.len);
	if (nn == 0)
		return sl_state_value_delete(k->rowsv, k->key.data, k->key.len, errp);
	return sl_state_value_put(k->rowsv, k->key.data, k->key.len, k->nb.data, k->nb.len, errp);
}

static bool
ov_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	over *k = op->priv;
	uint32_t live = sl_chunk_live(in);
	(void)port;
	if (k->proc) {
		/* the order column becomes the processing time of arrival */
		int64_t now = sl_op_proctime(op);
		in = sl_op_make_writable(in, k->inpool);
		live = sl_chunk_live(in);
		for (uint32_t i = 0; i < live; i++)
			sl_chunk_set_i64(in, k->ocol, in->sel ? in->sel[i] : i, now);
	}
	for (uint32_t i = 0; i < live; i++) {
		uint32_t r = in->sel ? in->sel[i] : i;
		if (!(k->changelog ? cl_row(op, in, r, errp) : rt_row(op, in, r, errp))) {
			sl_chunk_unref(in);
			return false;
		}
	}
	sl_chunk_unref(in);
	return flush_out(op, errp);
}

static bool
ov_end(sl_op *op, sl_error **errp)
{
	over *k = op->priv;
	if (k->late)
		fprintf(stderr, "sluice: note: %s (subtask %d) dropped %llu late row%s\n",
		        sl_rel_name(op->rel->tag), op->subtask + 1, (unsigned long long)k->late,
		        k->late == 1 ? "" : "s");
	if (k->proc) {                      /* end of input: every pending row */
		k->upto = INT64_MAX;
		if (sl_state_timers_advance(k->tm, SL_TIMER_PROC, INT64_MAX, rt_fire, op, errp) < 0)
			return false;
		op->proc_next = INT64_MAX;
	}
	return flush_out(op, errp) && sl_op_emit_end(op, errp);
}

/* proc_timer hook: fire the rows of every millisecond before now. */
static bool
ov_proc_timer(sl_op *op, int64_t now, sl_error **errp)
{
	over *k = op->priv;
	int64_t t;
	if (!k->proc) {
		op->proc_next = INT64_MAX;
		return true;
	}
	k->upto = now - 1;
	if (sl_state_timers_advance(k->tm, SL_TIMER_PROC, now - 1, rt_fire, op, errp) < 0)
		return false;
	t = sl_state_timers_next(k->tm, SL_TIMER_PROC);
	op->proc_next = t == INT64_MAX ? t : t + 1;
	return flush_out(op, errp);
}

static void
ov_close(sl_op *op)
{
	over *k = op->priv;
	if (k->out)
		sl_chunk_unref(k->out);
	k->out = NULL;
	if (k->sc)
		sl_chunk_unref(k->sc);
	k->sc = NULL;
	k->sccap = 0;
	if (k->pool)
		sl_chunk_pool_free(k->pool);
	if (k->inpool)
		sl_chunk_pool_free(k->inpool);
	k->inpool = NULL;
	k->pool = NULL;
	k->st = NULL; /* the job closes op->state */
	sl_strbuf_free(&k->key);
	sl_strbuf_free(&k->row);
	sl_strbuf_free(&k->cur);
	sl_strbuf_free(&k->cur2);
	sl_strbuf_free(&k->nb);
	free(k->off);
	free(k->ord);
	free(k->accs);
	free(k->oaccs);
	free(k->win);
	k->off = NULL;
	k->ord = NULL;
	k->accs = k->oaccs = k->win = NULL;
	k->offcap = 0;
}

static const sl_op_ops ov_ops = {
	.name = "OverAggregate", .open = ov_open, .push = ov_push, .watermark = ov_watermark,
	.end = ov_end, .close = ov_close, .proc_timer = ov_proc_timer,
};

static bool
refuse(const sl_rel *r, const char *what, sl_error **errp)
{
	*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span, "sluice run: OVER %s is not supported yet",
	                     what);
	return false;
}

bool
sl_op_init_over_agg(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel, *in = r->inputs[0];
	over *k = SL_ANEW(a, over);
	const sl_type *ot;
	if (r->norder != 1)
		return refuse(r, "with an ORDER BY other than one column", errp);
	if (r->nfields != in->nfields + r->naggs)
		return refuse(r, "with this output shape", errp);
	k->ocol = r->order_cols[0];
	ot = in->fields[k->ocol].type;
	if (r->order_desc[0] || !(sl_type_is_temporal(ot) || ot->kind == SL_TYPE_BIGINT))
		return refuse(r, "ordered DESC or by a column that is not a timestamp or BIGINT", errp);
	k->proc = ot->time_attr == SL_TIME_ATTR_PROCTIME;
	if (k->proc && (in->changelog.kinds & (SL_CL_UB | SL_CL_UA | SL_CL_D)))
		return refuse(r, "ordered by a processing-time attribute over an updating input", errp);
	if (!sl_agg_specs_init(r, in, a, &k->aggs, errp))
		return false;
	for (int i = 0; i < r->naggs; i++) {
		sl_agg_kind ak = k->aggs[i].kind;
		if (k->aggs[i].is_str || k->aggs[i].distinct ||
		    !(ak == SL_AGG_COUNT_STAR || ak == SL_AGG_COUNT || ak == SL_AGG_SUM ||
		      ak == SL_AGG_SUM0 || ak == SL_AGG_AVG || ak == SL_AGG_MIN || ak == SL_AGG_MAX))
			return refuse(r, "with DISTINCT, string MIN/MAX or aggregates other than COUNT, SUM, AVG, MIN, MAX", errp);
		if (k->aggs[i].kind == SL_AGG_MIN || k->aggs[i].kind == SL_AGG_MAX)
			k->recompute = true;
	}
	k->naggs = r->naggs;
	k->alen = sl_agg_acc_bytes(k->aggs, r->naggs);
	k->nkeys = r->nkeys;
	k->keys = r->keys;
	k->rows_frame = r->over_rows;
	k->prec = r->over_preceding;
	k->ncols = in->nfields;
	k->allcols = SL_ANEWN(a, int, k->ncols + 1);
	for (int i = 0; i < k->ncols; i++)
		k->allcols[i] = i;
	k->changelog = (in->changelog.kinds & (SL_CL_UB | SL_CL_UA | SL_CL_D)) != 0 ||
	               (in->rowtime_col != k->ocol && !k->proc);
	k->types = sl_op_field_types(a, r);
	k->intypes = sl_op_field_types(a, in);
	op->priv = k;
	op->ops = &ov_ops;
	return true;
}
