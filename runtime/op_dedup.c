/*
 * op_dedup.c
 *	  Deduplicate (ROW_NUMBER() OVER (PARTITION BY k ORDER BY t ASC|DESC)
 *	  filtered by rn = 1, t a time attribute): keeps, per key, the first
 *	  row (ASC) or the last one (DESC) in keyed value state (state/state.h,
 *	  key = runtime/key.h's encoding of the partition key, the bytes the
 *	  hash exchange routed by) as
 *
 *	    int64 time; u32 row length; u32 0; the row in key encoding; slack
 *
 *	  A value rewritten once gets slack (a quarter of the row), so most
 *	  later replacements are written in place
 *	  (sl_state_value_get_for_update) instead of reallocating the cached
 *	  value for every row.
 *
 *	  Rowtime, as Flink's RowTimeDeduplicateFunction: keep-last replaces
 *	  the kept row by every row whose time is >= the kept one's and emits
 *	  -U old / +U new (+I for a key's first row); an older row is dropped.
 *	  Keep-first keeps the row with the earliest time: a later (or equal)
 *	  row is dropped; an out-of-order row with an earlier time replaces the
 *	  kept one (-U/+U), so the planner marks rowtime keep-first as updating
 *	  as Flink does (planner/physical.c).
 *	  Proctime, as ProcTimeDeduplicateKeep{First,Last}RowFunction: times are
 *	  not compared; keep-first keeps the first arrival, keep-last replaces
 *	  on every row.
 *
 *	  An append-only input is required (a retraction fails the job).
 *	  The new row is emitted straight from the input chunk; only the
 *	  retracted old row is decoded from state.
 *
 *	  @thread every callback runs on the subtask's worker thread. No
 *	  allocation per row once buffers and cached values have grown.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_dedup     build the operator from a PDeduplicate node
 */
#include "runtime/op.h"
#include "runtime/key.h"
#include "state/state.h"

#include <stdio.h>
#include <string.h>

#define VHDR 16u                /* int64 time, u32 row length, u32 0 */

typedef struct dedup {
	int nkeys;
	const int *keys;
	int ncols;
	int *allcols;
	int time_col;
	int rank_col;               /* output_rank: the row number (always 1), or -1 */
	bool keep_last;
	bool proctime;              /* ordered by a proctime attribute */
	const sl_type *const *types;
	sl_chunk_pool *pool;
	sl_chunk *out;
	sl_state *st;
	sl_state_value *vs;
	sl_strbuf key, row;
} dedup;

static bool
dd_open(sl_op *op, sl_error **errp)
{
	dedup *d = op->priv;
	if (!(d->st = sl_op_state(op, errp)) ||
	    !(d->vs = sl_state_value_open(d->st, "row", &(sl_state_desc){0}, errp)))
		return false;
	d->pool = sl_chunk_pool_new(d->types, op->rel->nfields, 0);
	return true;
}

/* A new output row of kind k (room made; the rank column set). */
static bool
out_row(sl_op *op, sl_row_kind k, uint32_t *row, sl_error **errp)
{
	dedup *d = op->priv;
	uint32_t r;
	if (d->out && sl_chunk_full(d->out)) {
		sl_chunk *c = d->out;
		d->out = NULL;
		if (!sl_op_emit(op, c, errp))
			return false;
	}
	if (!d->out)
		d->out = sl_chunk_pool_get(d->pool);
	r = sl_chunk_append_row(d->out);
	d->out->kinds[r] = (uint8_t)k;
	if (d->rank_col >= 0) {
		sl_vector *v = d->out->cols[d->rank_col];
		if (v->width == 4)
			SL_VEC_DATA(v, int32_t)[r] = 1;
		else
			SL_VEC_DATA(v, int64_t)[r] = 1;
	}
	*row = r;
	return true;
}

/* Emit a kept row (key encoding). */
static bool
put_encoded(sl_op *op, const char *bytes, size_t len, sl_row_kind k, sl_error **errp)
{
	dedup *d = op->priv;
	uint32_t r;
	if (!out_row(op, k, &r, errp))
		return false;
	if (!sl_key_decode(bytes, len, d->out, r, d->allcols, d->ncols)) {
		*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "kept row does not decode");
		return false;
	}
	return true;
}

/* Emit input row ir of in. */
static bool
put_input(sl_op *op, const sl_chunk *in, uint32_t ir, sl_row_kind k, sl_error **errp)
{
	dedup *d = op->priv;
	uint32_t r;
	if (!out_row(op, k, &r, errp))
		return false;
	for (int c = 0; c < d->ncols; c++)
		sl_vector_copy_row(d->out->cols[c], r, in->cols[c], ir, &d->out->heap);
	return true;
}

static bool
dd_row(sl_op *op, const sl_chunk *in, uint32_t r, sl_error **errp)
{
	dedup *d = op->priv;
	const sl_vector *tv = in->cols[d->time_col];
	const void *v;
	size_t vlen, cap;
	int64_t t, ot;
	uint32_t rl, orl;
	int found;
	bool created;
	void *dst = NULL;
	if (in->kinds[r] == SL_ROW_UPDATE_BEFORE || in->kinds[r] == SL_ROW_DELETE) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, op->rel->span,
		                     "Deduplicate over an updating input is not supported yet");
		return false;
	}
	t = sl_vec_valid(tv, r) ? SL_VEC_DATA(tv, int64_t)[r] : INT64_MIN;
	sl_strbuf_reset(&d->key);
	sl_key_encode(in, r, d->keys, d->nkeys, &d->key);
	if (d->key.len == 0)
		sl_strbuf_appendc(&d->key, '\0');
	sl_strbuf_reset(&d->row);
	sl_strbuf_appendn(&d->row, (const char *)&t, 8);
	sl_strbuf_appendn(&d->row, "\0\0\0\0\0\0\0\0", 8);
	sl_key_encode(in, r, d->allcols, d->ncols, &d->row);
	rl = (uint32_t)(d->row.len - VHDR);
	memcpy(d->row.data + 8, &rl, 4);
	if (d->keep_last) {
		/* keep-last writes on almost every row: one lookup that creates the
		 * value when the key is new */
		dst = sl_state_value_get_for_update(d->vs, d->key.data, d->key.len, d->row.len, &vlen,
		                                    &created, errp);
		if (!dst)
			return false;
		if (created) {
			memcpy(dst, d->row.data, d->row.len);
			return put_input(op, in, r, SL_ROW_INSERT, errp);
		}
		v = dst;
		found = 1;
	} else {
		found = sl_state_value_get(d->vs, d->key.data, d->key.len, &v, &vlen, errp);
		if (found < 0)
			return false;
	}
	if (found) {
		memcpy(&ot, v, 8);
		if (d->proctime) {
			if (!d->keep_last)
				return true;
		} else if (d->keep_last ? t < ot : t >= ot) {
			return true; /* (keep-last: the value was marked dirty unchanged) */
		}
		/* retract the kept row before its bytes are overwritten */
		memcpy(&orl, (const char *)v + 8, 4);
		if (!put_encoded(op, (const char *)v + VHDR, orl, SL_ROW_UPDATE_BEFORE, errp) ||
		    !put_input(op, in, r, SL_ROW_UPDATE_AFTER, errp))
			return false;
		if (d->keep_last && d->row.len <= vlen) {
			memcpy(dst, d->row.data, d->row.len);
			return true;
		}
		if (!d->keep_last) {
			dst = sl_state_value_get_for_update(d->vs, d->key.data, d->key.len, 0, &vlen,
			                                    &created, errp);
			if (!dst)
				return false;
			if (!created && d->row.len <= vlen) {
				memcpy(dst, d->row.data, d->row.len);
				return true;
			}
		}
	} else if (!put_input(op, in, r, SL_ROW_INSERT, errp)) {
		return false;
	}
	/* a key's first row: exact size (most keys of q18 never see a
	 * second); a replacement that did not fit: a quarter more */
	cap = found ? d->row.len + rl / 4 : d->row.len;
	cap = (cap + 7) & ~(size_t)7;
	sl_strbuf_reserve(&d->row, cap - d->row.len);
	memset(d->row.data + d->row.len, 0, cap - d->row.len);
	return sl_state_value_put(d->vs, d->key.data, d->key.len, d->row.data, cap, errp);
}

static bool
dd_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	dedup *d = op->priv;
	uint32_t live = sl_chunk_live(in);
	(void)port;
	for (uint32_t i = 0; i < live; i++)
		if (!dd_row(op, in, in->sel ? in->sel[i] : i, errp)) {
			sl_chunk_unref(in);
			return false;
		}
	sl_chunk_unref(in);
	if (d->out && d->out->count) {
		sl_chunk *c = d->out;
		d->out = NULL;
		return sl_op_emit(op, c, errp);
	}
	return true;
}

static void
dd_close(sl_op *op)
{
	dedup *d = op->priv;
	if (d->out)
		sl_chunk_unref(d->out);
	d->out = NULL;
	if (d->pool)
		sl_chunk_pool_free(d->pool);
	d->pool = NULL;
	d->st = NULL; /* the job closes op->state */
	sl_strbuf_free(&d->key);
	sl_strbuf_free(&d->row);
}

static const sl_op_ops dd_ops = {
	.name = "Deduplicate", .open = dd_open, .push = dd_push, .close = dd_close,
};

bool
sl_op_init_dedup(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	dedup *d = SL_ANEW(a, dedup);
	if ((r->rank_kind != SL_RANK_DEDUP_FIRST && r->rank_kind != SL_RANK_DEDUP_LAST) ||
	    r->norder != 1 || r->nfields != r->inputs[0]->nfields + (r->output_rank ? 1 : 0)) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "sluice run supports Deduplicate on one time column only (so far)");
		return false;
	}
	d->nkeys = r->nkeys;
	d->keys = r->keys;
	d->ncols = r->inputs[0]->nfields;
	d->rank_col = r->output_rank ? d->ncols : -1;
	d->allcols = SL_ANEWN(a, int, r->nfields + 1);
	for (int i = 0; i < d->ncols; i++)
		d->allcols[i] = i;
	d->time_col = r->order_cols[0];
	d->keep_last = r->rank_kind == SL_RANK_DEDUP_LAST;
	d->proctime = r->proctime_col == d->time_col || r->inputs[0]->proctime_col == d->time_col;
	d->types = sl_op_field_types(a, r);
	op->ops = &dd_ops;
	op->priv = d;
	return true;
}
