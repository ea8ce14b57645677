/*
 * op_dedup.c
 *	  Deduplicate (ROW_NUMBER() OVER (PARTITION BY k ORDER BY t ASC|DESC)
 *	  filtered by rn = 1, t a time attribute): keeps, per key, the first
 *	  row (ASC) or the last one (DESC) in keyed value state (state/state.h,
 *	  key = runtime/key.h's encoding of the partition key, the bytes the
 *	  hash exchange routed by) as {int64 time, the row in key encoding}.
 *
 *	  Keep-first emits +I for a key's first row and drops the rest;
 *	  keep-last emits +I for the first row and then -U old / +U new for
 *	  every row whose time is >= the kept one's (Flink's
 *	  RowTimeDeduplicateFunction). An append-only input is required (a
 *	  retraction fails the job).
 *
 *	  @thread every callback runs on the subtask's worker thread.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_dedup     build the operator from a PDeduplicate node
 */
#include "runtime/op.h"
#include "runtime/key.h"
#include "state/state.h"

#include <string.h>

/* ---------------------------------------------------------------------
 * Deduplicate (ROW_NUMBER() ... = 1 over a time attribute): keeps, per
 * key, the first row (ORDER BY time ASC) or the last one (DESC) in keyed
 * value state as {int64 time, the row in runtime/key.h's encoding}.
 * Keep-first emits +I for a key's first row and drops the rest; keep-last
 * emits +I for the first row and then -U old / +U new for every row whose
 * time is >= the kept one's (Flink's RowTimeDeduplicateFunction). An
 * append-only input is required (a retraction fails the job).
 * ------------------------------------------------------------------- */
typedef struct dedup {
	int nkeys;
	const int *keys;
	int ncols;
	int *allcols;
	int time_col;
	int rank_col;               /* output_rank: the row number (always 1), or -1 */
	bool keep_last;
	const sl_type *const *types;
	sl_chunk_pool *pool;
	sl_chunk *out;
	sl_state *st;
	sl_state_value *vs;
	sl_strbuf key, row, old;
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

static bool
dd_put(sl_op *op, const char *bytes, size_t len, sl_row_kind k, sl_error **errp)
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
	if (!sl_key_decode(bytes, len, d->out, r, d->allcols, d->ncols)) {
		*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "kept row does not decode");
		return false;
	}
	if (d->rank_col >= 0) {
		sl_vector *v = d->out->cols[d->rank_col];
		if (v->width == 4)
			SL_VEC_DATA(v, int32_t)[r] = 1;
		else
			SL_VEC_DATA(v, int64_t)[r] = 1;
	}
	return true;
}

static bool
dd_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	dedup *d = op->priv;
	uint32_t live = sl_chunk_live(in);
	(void)port;
	for (uint32_t i = 0; i < live; i++) {
		uint32_t r = in->sel ? in->sel[i] : i;
		const sl_vector *tv = in->cols[d->time_col];
		const void *v;
		size_t vlen;
		int64_t t, ot;
		int found;
		if (in->kinds[r] == SL_ROW_UPDATE_BEFORE || in->kinds[r] == SL_ROW_DELETE) {
			*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, op->rel->span,
			                     "Deduplicate over an updating input is not supported yet");
			goto fail;
		}
		t = sl_vec_valid(tv, r) ? SL_VEC_DATA(tv, int64_t)[r] : INT64_MIN;
		sl_strbuf_reset(&d->key);
		sl_key_encode(in, r, d->keys, d->nkeys, &d->key);
		if (d->key.len == 0)
			sl_strbuf_appendc(&d->key, '\0');
		found = sl_state_value_get(d->vs, d->key.data, d->key.len, &v, &vlen, errp);
		if (found < 0)
			goto fail;
		if (found) {
			memcpy(&ot, v, 8);
			if (!d->keep_last || t < ot)
				continue;
			sl_strbuf_reset(&d->old);
			sl_strbuf_appendn(&d->old, (const char *)v + 8, vlen - 8);
		}
		sl_strbuf_reset(&d->row);
		sl_strbuf_appendn(&d->row, (const char *)&t, 8);
		sl_key_encode(in, r, d->allcols, d->ncols, &d->row);
		if (!sl_state_value_put(d->vs, d->key.data, d->key.len, d->row.data, d->row.len, errp))
			goto fail;
		if (found) {
			if (!dd_put(op, d->old.data, d->old.len, SL_ROW_UPDATE_BEFORE, errp) ||
			    !dd_put(op, d->row.data + 8, d->row.len - 8, SL_ROW_UPDATE_AFTER, errp))
				goto fail;
		} else if (!dd_put(op, d->row.data + 8, d->row.len - 8, SL_ROW_INSERT, errp)) {
			goto fail;
		}
	}
	sl_chunk_unref(in);
	if (d->out && d->out->count) {
		sl_chunk *c = d->out;
		d->out = NULL;
		return sl_op_emit(op, c, errp);
	}
	return true;
fail:
	sl_chunk_unref(in);
	return false;
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
	sl_strbuf_free(&d->old);
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
	d->types = sl_op_field_types(a, r);
	op->ops = &dd_ops;
	op->priv = d;
	return true;
}
