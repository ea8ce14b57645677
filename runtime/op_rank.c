/*
 * op_rank.c
 *	  Top-N: ROW_NUMBER(), RANK() or DENSE_RANK() OVER (PARTITION BY k
 *	  ORDER BY o...) filtered by rank_start <= rn <= rank_end (Rank), and
 *	  the same per window of a window TVF (WindowRank).
 *
 *	  Rank keeps, per partition key, the partition's sorted buffer as ONE
 *	  value in keyed value state (state/state.h; key = runtime/key.h's
 *	  encoding of the partition key, the bytes the hash exchange routed
 *	  by), so a checkpoint snapshots it like any other keyed state:
 *
 *	    u32 n; u32 used (bytes of header and entries); then n entries,
 *	    best first: u32 klen; u32 rlen; sort key (klen bytes); row
 *	    (rlen bytes); then slack up to the value's length
 *
 *	  The slack (a quarter of the used bytes) lets most changes be written
 *	  in place (sl_state_value_get_for_update) instead of reallocating the
 *	  cached value for every row.
 *
 *	  The sort key is the memcomparable encoding of the ORDER BY columns,
 *	  each DESC column's bytes complemented, so memcmp orders entries as
 *	  the ORDER BY does (ASC NULLS FIRST, DESC NULLS LAST, Flink's
 *	  default). The row is every input column in key encoding. Equal sort
 *	  keys keep arrival order: a new row goes after its peers (Flink's
 *	  AppendOnlyTopNFunction), so ROW_NUMBER ties are first come, first
 *	  ranked.
 *
 *	  Append-only input (AppendOnlyTopN): the buffer holds at most rank_end
 *	  rows; a row that does not beat the last of a full buffer is dropped
 *	  without touching state (the common case, no write). Updating input
 *	  (RetractableTopN): the buffer holds every live row of the partition
 *	  (a retraction can pull row rank_end + 1 up), -U/-D remove the entry
 *	  equal to the retracted row (none: ignored, as Flink does with
 *	  expired state). The cost is O(partition size) per row then.
 *
 *	  Changes are emitted as Flink does: with the rank number in the
 *	  output, every rank in [rank_start, rank_end] whose row changed gives
 *	  -U old / +U new (+I when the rank was empty, -D when it empties);
 *	  without it, the row leaving the range gives -D and the row entering
 *	  it +I.
 *
 *	  RANK and DENSE_RANK (which Flink refuses on streams; here with the
 *	  batch meaning, so the result matches SQLite's window functions):
 *	  peers (equal sort keys) share a rank; RANK skips after a tie, DENSE_RANK
 *	  does not, and every row whose rank is in the range is in the result,
 *	  so there may be more than rank_end rows. The append-only buffer keeps
 *	  the entries with rank <= rank_end (ranks only grow there, so an entry
 *	  pushed out never returns); a change is emitted as the difference of
 *	  the ranked range before and after it (emit_tie_changes): a row leaving
 *	  it -D, a row entering +I, a row whose rank number changed -U/+U.
 *
 *	  WindowRank (input: a window TVF's append-only rows, partition key
 *	  includes window_start/window_end) keeps the same bounded buffer per
 *	  (partition, window) and emits nothing until the watermark passes
 *	  window_end - 1: an event-time timer then emits the buffer as +I rows
 *	  with their rank and deletes the state. Rows of a window already
 *	  fired are late: counted, dropped, reported at end of input.
 *
 *	  @thread every callback runs on the subtask's worker thread. No
 *	  allocation per row once the scratch buffers have grown.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_rank          build the operator from a PRank node
 *	  sl_op_init_window_rank   build the operator from a PWindowRank node
 */
#include "runtime/op.h"
#include "runtime/key.h"
#include "state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rank {
	sl_op *op;
	int nkeys;
	const int *keys;            /* partition key columns */
	int norder;
	const int *order_cols;
	const bool *order_desc;
	int ncols;                  /* input columns */
	int *allcols;               /* 0..ncols-1 */
	int rank_col;               /* output_rank: ncols; else -1 */
	int64_t rs, re;             /* rank range, 1-based inclusive */
	bool ties;                  /* RANK or DENSE_RANK: peers share a rank */
	bool dense;                 /* DENSE_RANK: no gaps after ties */
	bool retract;               /* updating input: keep every row */
	bool window;                /* WindowRank */
	int win_end_col;
	uint64_t late, missing;     /* dropped late rows / retractions not found */
	const sl_type *const *types;
	sl_chunk_pool *pool;
	sl_chunk *out;
	sl_state *st;
	sl_state_value *vs;
	sl_state_timers *tm;
	sl_strbuf key, skey, row, cur, nb;
	uint32_t *off;              /* entry offsets of cur, grown as needed */
	uint32_t offcap;
} rank;

#define HDR 8u
#define EHDR 8u

/* Append the sort key of row r of in to out (DESC columns complemented). */
static void
sort_key(const rank *k, const sl_chunk *in, uint32_t r, sl_strbuf *out)
{
	for (int i = 0; i < k->norder; i++) {
		size_t start = out->len;
		sl_key_encode(in, r, &k->order_cols[i], 1, out);
		if (k->order_desc[i])
			for (size_t j = start; j < out->len; j++)
				out->data[j] = (char)~(unsigned char)out->data[j];
	}
}

/* Index the entries of buffer b (len bytes) into k->off; returns n. */
static uint32_t
index_entries(rank *k, const char *b, size_t len)
{
	uint32_t n = len >= HDR ? sl_rd32(b) : 0, pos = HDR;
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

static inline const char *
ent_key(const char *b, uint32_t off, uint32_t *klen)
{
	*klen = sl_rd32(b + off);
	return b + off + EHDR;
}

static inline const char *
ent_row(const char *b, uint32_t off, uint32_t *rlen)
{
	uint32_t kl = sl_rd32(b + off);
	*rlen = sl_rd32(b + off + 4);
	return b + off + EHDR + kl;
}

/* RANK / DENSE_RANK of the entry at position idx (0-based) of a list
 * walked in order, given the previous entry's key (pk, NULL for the first)
 * and rank (prev). */
static inline int64_t
next_rank(const rank *k, const char *key, uint32_t kl, const char *pk, uint32_t pkl, uint32_t idx,
          int64_t prev)
{
	if (pk && sl_bytes_cmp(key, kl, pk, pkl) == 0)
		return prev;
	return k->dense ? prev + 1 : (int64_t)idx + 1;
}

/* First entry of b (n entries, indexed in k->off) whose sort key is >= key. */
static uint32_t
lower_bound(const rank *k, const char *b, uint32_t n, const char *key, size_t klen)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2, kl;
		const char *mk = ent_key(b, k->off[mid], &kl);
		if (sl_bytes_cmp(mk, kl, key, klen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
flush_out(sl_op *op, sl_error **errp)
{
	rank *k = op->priv;
	if (k->out && k->out->count) {
		sl_chunk *c = k->out;
		k->out = NULL;
		return sl_op_emit(op, c, errp);
	}
	return true;
}

/* Emit the row bytes (key encoding of every input column) with kind and,
 * when the output carries it, rank number rn. */
static bool
put_row(sl_op *op, const char *bytes, size_t len, sl_row_kind kind, int64_t rn, sl_error **errp)
{
	rank *k = op->priv;
	uint32_t r;
	if (k->out && sl_chunk_full(k->out) && !flush_out(op, errp))
		return false;
	if (!k->out)
		k->out = sl_chunk_pool_get(k->pool);
	r = sl_chunk_append_row(k->out);
	k->out->kinds[r] = (uint8_t)kind;
	if (!sl_key_decode(bytes, len, k->out, r, k->allcols, k->ncols)) {
		*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "ranked row does not decode");
		return false;
	}
	if (k->rank_col >= 0) {
		sl_vector *v = k->out->cols[k->rank_col];
		if (v->width == 4)
			SL_VEC_DATA(v, int32_t)[r] = (int32_t)rn;
		else
			SL_VEC_DATA(v, int64_t)[r] = rn;
	}
	return true;
}

/* Entry i of the list after inserting (ins) or removing (!ins) at p, given
 * the old list (b, off, n) and the new row (for an insert). */
static const char *
after_row(const rank *k, const char *b, bool ins, uint32_t p, uint32_t i, uint32_t *rlen)
{
	if (ins) {
		if (i == p) {
			*rlen = (uint32_t)k->row.len;
			return k->row.data;
		}
		return i < p ? ent_row(b, k->off[i], rlen) : ent_row(b, k->off[i - 1], rlen);
	}
	return i < p ? ent_row(b, k->off[i], rlen) : ent_row(b, k->off[i + 1], rlen);
}

/* Emit the changes of inserting (ins) or removing (!ins) entry p of the
 * old list (b: n entries, indexed in k->off). */
static bool
emit_changes(sl_op *op, const char *b, uint32_t n, bool ins, uint32_t p, sl_error **errp)
{
	rank *k = op->priv;
	uint32_t nn = ins ? n + 1 : n - 1;        /* entries after */
	uint32_t rs = (uint32_t)(k->rs - 1), re = (uint32_t)(k->re - 1); /* 0-based */
	const char *o, *w;
	uint32_t ol, wl;
	if (p > re)
		return true;
	if (k->rank_col >= 0) {
		for (uint32_t i = p > rs ? p : rs; i <= re; i++) {
			bool hold = i < n, hnew = i < nn;
			if (!hold && !hnew)
				break;
			if (hold && hnew) {
				o = ent_row(b, k->off[i], &ol);
				w = after_row(k, b, ins, p, i, &wl);
				if (!put_row(op, o, ol, SL_ROW_UPDATE_BEFORE, i + 1, errp) ||
				    !put_row(op, w, wl, SL_ROW_UPDATE_AFTER, i + 1, errp))
					return false;
			} else if (hnew) {
				w = after_row(k, b, ins, p, i, &wl);
				if (!put_row(op, w, wl, SL_ROW_INSERT, i + 1, errp))
					return false;
			} else {
				o = ent_row(b, k->off[i], &ol);
				if (!put_row(op, o, ol, SL_ROW_DELETE, i + 1, errp))
					return false;
			}
		}
		return true;
	}
	/* without the rank number: one row leaves the range, one enters it */
	if (ins) {
		if (re < n) {
			o = ent_row(b, k->off[re], &ol);
			if (!put_row(op, o, ol, SL_ROW_DELETE, 0, errp))
				return false;
		}
		if (p >= rs)
			return put_row(op, k->row.data, k->row.len, SL_ROW_INSERT, 0, errp);
		if (rs - 1 < n) {
			o = ent_row(b, k->off[rs - 1], &ol);
			return put_row(op, o, ol, SL_ROW_INSERT, 0, errp);
		}
		return true;
	}
	if (p >= rs) {
		o = ent_row(b, k->off[p], &ol);
		if (!put_row(op, o, ol, SL_ROW_DELETE, 0, errp))
			return false;
	} else if (rs < n) {
		o = ent_row(b, k->off[rs], &ol);
		if (!put_row(op, o, ol, SL_ROW_DELETE, 0, errp))
			return false;
	}
	if (re + 1 < n) {
		o = ent_row(b, k->off[re + 1], &ol);
		return put_row(op, o, ol, SL_ROW_INSERT, 0, errp);
	}
	return true;
}

/* RANK / DENSE_RANK: emit the difference between the ranked range of the
 * old list (b: n entries, indexed in k->off) and of the new one (entry p
 * inserted: k->skey/k->row, or removed). Both lists are walked together;
 * ranks only grow along a list, so the walk stops once both are past
 * rank_end. */
static bool
emit_tie_changes(sl_op *op, const char *b, uint32_t n, bool ins, uint32_t p, sl_error **errp)
{
	rank *k = op->priv;
	uint32_t nn = ins ? n + 1 : n - 1, i = 0, j = 0;
	int64_t ork = 0, nrk = 0;
	const char *opk = NULL, *npk = NULL;
	uint32_t opkl = 0, npkl = 0;
	while ((i < n || j < nn) && (ork <= k->re || nrk <= k->re)) {
		const char *key, *row;
		uint32_t kl, rl;
		bool in_old = true, in_new = true, vo, vn;
		int64_t ro = 0, rn = 0;
		if (ins && j == p) {
			key = k->skey.data;
			kl = (uint32_t)k->skey.len;
			row = k->row.data;
			rl = (uint32_t)k->row.len;
			in_old = false;
		} else {
			key = ent_key(b, k->off[i], &kl);
			row = ent_row(b, k->off[i], &rl);
			in_new = ins || i != p;
		}
		if (in_old) {
			ro = ork = next_rank(k, key, kl, opk, opkl, i++, ork);
			opk = key;
			opkl = kl;
		}
		if (in_new) {
			rn = nrk = next_rank(k, key, kl, npk, npkl, j++, nrk);
			npk = key;
			npkl = kl;
		}
		vo = in_old && ro >= k->rs && ro <= k->re;
		vn = in_new && rn >= k->rs && rn <= k->re;
		if (vo && vn) {
			if (k->rank_col >= 0 && ro != rn &&
			    (!put_row(op, row, rl, SL_ROW_UPDATE_BEFORE, ro, errp) ||
			     !put_row(op, row, rl, SL_ROW_UPDATE_AFTER, rn, errp)))
				return false;
		} else if (vo) {
			if (!put_row(op, row, rl, SL_ROW_DELETE, ro, errp))
				return false;
		} else if (vn) {
			if (!put_row(op, row, rl, SL_ROW_INSERT, rn, errp))
				return false;
		}
	}
	return true;
}

/* RANK / DENSE_RANK over an append-only input: cut k->nb (a built
 * buffer) after the last entry whose rank is <= rank_end. */
static void
truncate_ties(rank *k)
{
	uint32_t n = sl_rd32(k->nb.data), pos = HDR, i, kl, rl;
	int64_t rk = 0;
	const char *pk = NULL;
	uint32_t pkl = 0;
	for (i = 0; i < n; i++) {
		const char *key = k->nb.data + pos + EHDR;
		kl = sl_rd32(k->nb.data + pos);
		rl = sl_rd32(k->nb.data + pos + 4);
		rk = next_rank(k, key, kl, pk, pkl, i, rk);
		if (rk > k->re)
			break;
		pk = key;
		pkl = kl;
		pos += EHDR + kl + rl;
	}
	k->nb.len = pos;
	memcpy(k->nb.data, &i, 4);
}

/* New buffer into k->nb: old entries of b with entry p inserted (the
 * current skey/row) or removed, truncated to cap entries. */
static void
build(rank *k, const char *b, uint32_t n, bool ins, uint32_t p, uint32_t cap)
{
	uint32_t nn = ins ? n + 1 : n - 1, keep = nn < cap ? nn : cap, end;
	sl_strbuf_reset(&k->nb);
	sl_strbuf_put32(&k->nb, keep);
	sl_strbuf_put32(&k->nb, 0); /* used: set by store() */
	/* entries [0, p) unchanged */
	end = p < n ? k->off[p] : (n ? k->off[n - 1] + EHDR + sl_rd32(b + k->off[n - 1]) +
	                                   sl_rd32(b + k->off[n - 1] + 4) : HDR);
	if (p > 0)
		sl_strbuf_appendn(&k->nb, b + HDR, end - HDR);
	if (ins) {
		if (p < keep) {
			sl_strbuf_put32(&k->nb, (uint32_t)k->skey.len);
			sl_strbuf_put32(&k->nb, (uint32_t)k->row.len);
			sl_strbuf_appendn(&k->nb, k->skey.data, k->skey.len);
			sl_strbuf_appendn(&k->nb, k->row.data, k->row.len);
		}
		/* old entries p.. become p+1..; keep while < keep */
		for (uint32_t i = p; i + 1 < keep && i < n; i++) {
			uint32_t o = k->off[i], l = EHDR + sl_rd32(b + o) + sl_rd32(b + o + 4);
			sl_strbuf_appendn(&k->nb, b + o, l);
		}
	} else {
		for (uint32_t i = p + 1; i < n && i - 1 < keep; i++) {
			uint32_t o = k->off[i], l = EHDR + sl_rd32(b + o) + sl_rd32(b + o + 4);
			sl_strbuf_appendn(&k->nb, b + o, l);
		}
	}
}

/* Write k->nb as the key's buffer: in place when it fits the existing
 * value (existed), else as a new value with slack; deleted when empty. */
static bool
store(rank *k, bool existed, sl_error **errp)
{
	uint32_t used = (uint32_t)k->nb.len;
	size_t cap, vlen;
	bool created;
	memcpy(k->nb.data + 4, &used, 4);
	if (sl_rd32(k->nb.data) == 0)
		return sl_state_value_delete(k->vs, k->key.data, k->key.len, errp);
	if (existed) {
		void *dst = sl_state_value_get_for_update(k->vs, k->key.data, k->key.len, 0, &vlen,
		                                          &created, errp);
		if (!dst)
			return false;
		if (!created && used <= vlen) {
			memcpy(dst, k->nb.data, used);
			return true;
		}
	}
	cap = ((size_t)used + used / 4 + 63) & ~(size_t)63;
	sl_strbuf_reserve(&k->nb, cap - used);
	memset(k->nb.data + used, 0, cap - used);
	k->nb.len = cap;
	return sl_state_value_put(k->vs, k->key.data, k->key.len, k->nb.data, cap, errp);
}

static bool
rk_open(sl_op *op, sl_error **errp)
{
	rank *k = op->priv;
	k->op = op;
	if (!(k->st = sl_op_state(op, errp)) ||
	    !(k->vs = sl_state_value_open(k->st, "topn", &(sl_state_desc){0}, errp)))
		return false;
	if (k->window && !(k->tm = sl_state_timers_open(k->st, "wend", errp)))
		return false;
	k->pool = sl_chunk_pool_new(k->types, op->rel->nfields, 0);
	return true;
}

/* Process one input row r of in. */
static bool
rk_row(sl_op *op, const sl_chunk *in, uint32_t r, sl_error **errp)
{
	rank *k = op->priv;
	bool retract = in->kinds[r] == SL_ROW_UPDATE_BEFORE || in->kinds[r] == SL_ROW_DELETE;
	const void *v;
	const char *b;
	size_t vlen;
	uint32_t n, p, cap = k->retract || k->ties ? UINT32_MAX : (uint32_t)k->re;
	int found;

	if (retract && !k->retract) {
		*errp = sl_error_new(SL_ERR_INTERNAL, op->rel->span,
		                     "Rank planned for an append-only input received a retraction");
		return false;
	}
	if (k->window) {
		const sl_vector *ev = in->cols[k->win_end_col];
		int64_t end = SL_VEC_DATA(ev, int64_t)[r];
		if (!sl_vec_valid(ev, r) || end - 1 <= op->wm) {
			k->late++;
			return true;
		}
	}
	sl_strbuf_reset(&k->key);
	sl_key_encode(in, r, k->keys, k->nkeys, &k->key);
	if (k->key.len == 0)
		sl_strbuf_appendc(&k->key, '\0');
	sl_strbuf_reset(&k->skey);
	sort_key(k, in, r, &k->skey);
	found = sl_state_value_get(k->vs, k->key.data, k->key.len, &v, &vlen, errp);
	if (found < 0)
		return false;
	b = v;
	if (!found) {
		if (retract) {
			k->missing++;
			return true;
		}
		n = 0;
	} else {
		n = sl_rd32(b);
		/* fast path: a full bounded buffer whose last row this one does not beat */
		if (!retract && n >= cap && n > 0) {
			uint32_t o = HDR, kl;
			const char *lk;
			/* walk to the last entry */
			for (uint32_t i = 0; i + 1 < n; i++)
				o += EHDR + sl_rd32(b + o) + sl_rd32(b + o + 4);
			lk = ent_key(b, o, &kl);
			if (sl_bytes_cmp(k->skey.data, k->skey.len, lk, kl) >= 0)
				return true;
		}
		/* copy: the state pointer dies at the next put */
		vlen = sl_rd32(b + 4);
		sl_strbuf_reset(&k->cur);
		sl_strbuf_appendn(&k->cur, b, vlen);
		b = k->cur.data;
		n = index_entries(k, b, vlen);
	}
	sl_strbuf_reset(&k->row);
	sl_key_encode(in, r, k->allcols, k->ncols, &k->row);
	if (!retract) {
		/* after every entry with a sort key <= the new one (peers keep arrival order) */
		uint32_t lo = 0, hi = n;
		while (lo < hi) {
			uint32_t mid = (lo + hi) / 2, kl;
			const char *mk = ent_key(b, k->off[mid], &kl);
			if (sl_bytes_cmp(mk, kl, k->skey.data, k->skey.len) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		p = lo;
		if (p >= cap)
			return true;
		if (k->ties && !k->retract) {
			/* the bounded buffer holds ranks <= rank_end only: a row
			 * ranked past it changes nothing and is not kept */
			uint32_t lb = lower_bound(k, b, n, k->skey.data, k->skey.len);
			int64_t nr = lb + 1;
			if (k->dense) {
				nr = 0;
				for (uint32_t i = 0, kl, pkl = 0; i < lb; i++) {
					const char *ek = ent_key(b, k->off[i], &kl), *pk = NULL;
					if (i > 0)
						pk = ent_key(b, k->off[i - 1], &pkl);
					nr = next_rank(k, ek, kl, pk, pkl, i, nr);
				}
				nr++;
			}
			if (nr > k->re)
				return true;
		}
	} else {
		for (p = lower_bound(k, b, n, k->skey.data, k->skey.len); p < n; p++) {
			uint32_t kl, rl;
			const char *mk = ent_key(b, k->off[p], &kl), *mr;
			if (sl_bytes_cmp(mk, kl, k->skey.data, k->skey.len) != 0) {
				p = n;
				break;
			}
			mr = ent_row(b, k->off[p], &rl);
			if (rl == k->row.len && memcmp(mr, k->row.data, rl) == 0)
				break;
		}
		if (p >= n) {
			k->missing++;
			return true;
		}
	}
	if (!k->window && !(k->ties ? emit_tie_changes(op, b, n, !retract, p, errp)
	                            : emit_changes(op, b, n, !retract, p, errp)))
		return false;
	if (k->window && n == 0 &&
	    !sl_state_timer_register(k->tm, SL_TIMER_EVENT,
	                             SL_VEC_DATA(in->cols[k->win_end_col], int64_t)[r] - 1,
	                             k->key.data, k->key.len, errp))
		return false;
	build(k, b, n, !retract, p, cap);
	if (k->ties && !k->retract)
		truncate_ties(k);
	return store(k, found != 0, errp);
}

static bool
rk_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	uint32_t live = sl_chunk_live(in);
	(void)port;
	for (uint32_t i = 0; i < live; i++)
		if (!rk_row(op, in, in->sel ? in->sel[i] : i, errp)) {
			sl_chunk_unref(in);
			return false;
		}
	sl_chunk_unref(in);
	return flush_out(op, errp);
}

/* WindowRank timer: the window of this key closed; emit its ranks, drop it. */
static bool
wr_fire(void *ctx, sl_timer_domain dom, int64_t time, const void *key, size_t klen,
        sl_error **errp)
{
	sl_op *op = ctx;
	rank *k = op->priv;
	const void *v;
	size_t vlen;
	uint32_t n;
	int found;
	(void)dom;
	(void)time;
	found = sl_state_value_get(k->vs, key, klen, &v, &vlen, errp);
	if (found <= 0)
		return found == 0;
	n = index_entries(k, v, vlen);
	{
		int64_t rk = 0;
		const char *pk = NULL;
		uint32_t pkl = 0;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t rl, kl;
			const char *row = ent_row(v, k->off[i], &rl), *ek = ent_key(v, k->off[i], &kl);
			rk = k->ties ? next_rank(k, ek, kl, pk, pkl, i, rk) : (int64_t)i + 1;
			pk = ek;
			pkl = kl;
			if (rk > k->re)
				break;
			if (rk >= k->rs && !put_row(op, row, rl, SL_ROW_INSERT, rk, errp))
				return false;
		}
	}
	return sl_state_value_delete(k->vs, key, klen, errp);
}

static bool
wr_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	rank *k = op->priv;
	if (sl_state_timers_advance(k->tm, SL_TIMER_EVENT, wm, wr_fire, op, errp) < 0)
		return false;
	if (!flush_out(op, errp))
		return false;
	return sl_op_emit_watermark(op, wm, errp);
}

static bool
rk_end(sl_op *op, sl_error **errp)
{
	rank *k = op->priv;
	if (k->late)
		fprintf(stderr, "sluice: note: %s (subtask %d) dropped %llu late row%s\n",
		        sl_rel_name(op->rel->tag), op->subtask + 1, (unsigned long long)k->late,
		        k->late == 1 ? "" : "s");
	return flush_out(op, errp) && sl_op_emit_end(op, errp);
}

static void
rk_close(sl_op *op)
{
	rank *k = op->priv;
	if (k->out)
		sl_chunk_unref(k->out);
	k->out = NULL;
	if (k->pool)
		sl_chunk_pool_free(k->pool);
	k->pool = NULL;
	k->st = NULL; /* the job closes op->state */
	sl_strbuf_free(&k->key);
	sl_strbuf_free(&k->skey);
	sl_strbuf_free(&k->row);
	sl_strbuf_free(&k->cur);
	sl_strbuf_free(&k->nb);
	free(k->off);
	k->off = NULL;
	k->offcap = 0;
}

static const sl_op_ops rk_ops = {
	.name = "Rank", .open = rk_open, .push = rk_push, .end = rk_end, .close = rk_close,
};

static const sl_op_ops wr_ops = {
	.name = "WindowRank", .open = rk_open, .push = rk_push, .watermark = wr_watermark,
	.end = rk_end, .close = rk_close,
};

static bool
init_common(sl_op *op, sl_arena *a, bool window, sl_error **errp)
{
	const sl_rel *r = op->rel, *in = r->inputs[0];
	rank *k = SL_ANEW(a, rank);
	if (r->rank_func != SL_AGG_ROW_NUMBER && r->rank_func != SL_AGG_RANK &&
	    r->rank_func != SL_AGG_DENSE_RANK) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "sluice run supports Top-N with ROW_NUMBER(), RANK() or DENSE_RANK() only");
		return false;
	}
	if (r->nfields != in->nfields + (r->output_rank ? 1 : 0) || r->rank_start < 1 ||
	    r->rank_end < r->rank_start || r->rank_end > 100000 || r->norder < 1) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "sluice run supports Top-N with a rank range within 1..100000 only");
		return false;
	}
	k->nkeys = r->nkeys;
	k->keys = r->keys;
	k->norder = r->norder;
	k->order_cols = r->order_cols;
	k->order_desc = r->order_desc;
	k->ncols = in->nfields;
	k->allcols = SL_ANEWN(a, int, k->ncols + 1);
	for (int i = 0; i < k->ncols; i++)
		k->allcols[i] = i;
	k->rank_col = r->output_rank ? k->ncols : -1;
	k->rs = r->rank_start;
	k->re = r->rank_end;
	k->ties = r->rank_func != SL_AGG_ROW_NUMBER;
	k->dense = r->rank_func == SL_AGG_DENSE_RANK;
	k->retract = (in->changelog.kinds & (SL_CL_UB | SL_CL_D)) != 0;
	k->window = window;
	k->win_end_col = r->win_end_col;
	if (window && (k->retract || k->win_end_col < 0)) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "sluice run supports window Top-N over an append-only window TVF only");
		return false;
	}
	k->types = sl_op_field_types(a, r);
	op->priv = k;
	op->ops = window ? &wr_ops : &rk_ops;
	return true;
}

bool
sl_op_init_rank(sl_op *op, sl_arena *a, sl_error **errp)
{
	return init_common(op, a, false, errp);
}

bool
sl_op_init_window_rank(sl_op *op, sl_arena *a, sl_error **errp)
{
	return init_common(op, a, true, errp);
}
