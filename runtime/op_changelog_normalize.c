/*
 * op_changelog_normalize.c
 *	  ChangelogNormalize: turns an upsert stream (+U as "this is the row of
 *	  its key now", -D as "the key is gone", e.g. upsert-kafka records and
 *	  tombstones) into a proper changelog, as Flink's ChangelogNormalize
 *	  (ProcTimeDeduplicateKeepLastRowFunction on a changelog input):
 *
 *	    +I/+U, key unknown     emit +I new, keep new
 *	    +I/+U, key known       emit -U old, +U new, keep new
 *	    -D,    key known       emit -D old (the kept row: an upsert delete
 *	                           carries only the key), forget the key
 *	    -D,    key unknown     dropped
 *	    -U                     dropped (upsert streams do not carry them)
 *
 *	  The last row per key lives in keyed value state (state/state.h; key =
 *	  runtime/key.h's encoding of the primary key columns, the bytes the
 *	  hash exchange before this operator routed by; value = the row in key
 *	  encoding), so it is checkpointed with the operator.
 *
 *	  @thread every callback runs on the subtask's worker thread.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_changelog_normalize
 */
#include "runtime/op.h"
#include "runtime/key.h"
#include "state/state.h"

typedef struct cnorm {
	int nkeys;
	const int *keys;
	int ncols;
	int *allcols;
	const sl_type *const *types;
	sl_chunk_pool *pool;
	sl_chunk *out;
	sl_state_value *vs;
	sl_strbuf key, row;
} cnorm;

static bool
cn_open(sl_op *op, sl_error **errp)
{
	cnorm *n = op->priv;
	sl_state *st = sl_op_state(op, errp);
	if (!st || !(n->vs = sl_state_value_open(st, "row", &(sl_state_desc){0}, errp)))
		return false;
	n->pool = sl_chunk_pool_new(n->types, n->ncols, 0);
	return true;
}

/* Room for one more output row; the new row's index. */
static bool
out_row(sl_op *op, sl_row_kind k, uint32_t *row, sl_error **errp)
{
	cnorm *n = op->priv;
	if (n->out && sl_chunk_full(n->out)) {
		sl_chunk *c = n->out;
		n->out = NULL;
		if (!sl_op_emit(op, c, errp))
			return false;
	}
	if (!n->out)
		n->out = sl_chunk_pool_get(n->pool);
	*row = sl_chunk_append_row(n->out);
	n->out->kinds[*row] = (uint8_t)k;
	return true;
}

static bool
emit_kept(sl_op *op, const void *bytes, size_t len, sl_row_kind k, sl_error **errp)
{
	cnorm *n = op->priv;
	uint32_t r;
	if (!out_row(op, k, &r, errp))
		return false;
	if (!sl_key_decode(bytes, len, n->out, r, n->allcols, n->ncols))
		return sl_fail(errp, SL_ERR_INTERNAL, SL_SPAN_NONE, "ChangelogNormalize: kept row does not decode");
	return true;
}

static bool
emit_input(sl_op *op, const sl_chunk *in, uint32_t ir, sl_row_kind k, sl_error **errp)
{
	cnorm *n = op->priv;
	uint32_t r;
	if (!out_row(op, k, &r, errp))
		return false;
	for (int c = 0; c < n->ncols; c++)
		sl_vector_copy_row(n->out->cols[c], r, in->cols[c], ir, &n->out->heap);
	return true;
}

static bool
cn_row(sl_op *op, const sl_chunk *in, uint32_t r, sl_error **errp)
{
	cnorm *n = op->priv;
	sl_row_kind kind = (sl_row_kind)in->kinds[r];
	const void *v;
	size_t vlen;
	int found;
	if (kind == SL_ROW_UPDATE_BEFORE)
		return true;
	sl_strbuf_reset(&n->key);
	sl_key_encode(in, r, n->keys, n->nkeys, &n->key);
	if (n->key.len == 0)
		sl_strbuf_appendc(&n->key, '\0');
	if ((found = sl_state_value_get(n->vs, n->key.data, n->key.len, &v, &vlen, errp)) < 0)
		return false;
	if (kind == SL_ROW_DELETE) {
		if (!found)
			return true;
		return emit_kept(op, v, vlen, SL_ROW_DELETE, errp) &&
		       sl_state_value_delete(n->vs, n->key.data, n->key.len, errp);
	}
	if (found && !emit_kept(op, v, vlen, SL_ROW_UPDATE_BEFORE, errp))
		return false;
	if (!emit_input(op, in, r, found ? SL_ROW_UPDATE_AFTER : SL_ROW_INSERT, errp))
		return false;
	sl_strbuf_reset(&n->row);
	sl_key_encode(in, r, n->allcols, n->ncols, &n->row);
	return sl_state_value_put(n->vs, n->key.data, n->key.len, n->row.data, n->row.len, errp);
}

static bool
cn_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	cnorm *n = op->priv;
	uint32_t live = sl_chunk_live(in);
	(void)port;
	for (uint32_t i = 0; i < live; i++)
		if (!cn_row(op, in, in->sel ? in->sel[i] : i, errp)) {
			sl_chunk_unref(in);
			return false;
		}
	sl_chunk_unref(in);
	if (n->out && n->out->count) {
		sl_chunk *c = n->out;
		n->out = NULL;
		return sl_op_emit(op, c, errp);
	}
	return true;
}

static void
cn_close(sl_op *op)
{
	cnorm *n = op->priv;
	if (n->out)
		sl_chunk_unref(n->out);
	n->out = NULL;
	if (n->pool)
		sl_chunk_pool_free(n->pool);
	n->pool = NULL;
	sl_strbuf_free(&n->key);
	sl_strbuf_free(&n->row);
}

static const sl_op_ops cn_ops = {
	.name = "ChangelogNormalize", .open = cn_open, .push = cn_push, .close = cn_close,
};

bool
sl_op_init_changelog_normalize(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	cnorm *n = SL_ANEW(a, cnorm);
	if (r->nkeys == 0 || r->nfields != r->inputs[0]->nfields)
		return sl_fail(errp, SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		               "sluice run supports ChangelogNormalize on a primary key only");
	n->nkeys = r->nkeys;
	n->keys = r->keys;
	n->ncols = r->nfields;
	n->allcols = SL_ANEWN(a, int, r->nfields + 1);
	for (int i = 0; i < n->ncols; i++)
		n->allcols[i] = i;
	n->types = sl_op_field_types(a, r);
	op->ops = &cn_ops;
	op->priv = n;
	return true;
}
