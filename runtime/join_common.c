/*
 * join_common.c
 *	  Output rows of the join operators from two sides (see join_common.h).
 *
 * INTERFACE ROUTINES
 *	  sl_jout_init, sl_jout_row, sl_jout_flush, sl_jout_free, sl_join_fill,
 *	  sl_join_key, sl_join_key_has_null, sl_join_encode_row, sl_join_cols,
 *	  sl_join_time, sl_join_be64, sl_join_from_be64, sl_join_report_late,
 *	  sl_join_base_init, sl_join_base_open, sl_join_base_close
 */
#include "runtime/join_common.h"

#include <stdio.h>
#include <string.h>

void
sl_jout_init(sl_jout *jo, sl_op *op, const sl_type *const *types, int nl, int nr,
             const int *allcols, sl_rexpr_prog *cond)
{
	memset(jo, 0, sizeof *jo);
	jo->op = op;
	jo->nl = nl;
	jo->nr = nr;
	jo->lcols = allcols;
	jo->rcols = allcols + nl;
	jo->pool = sl_chunk_pool_new(types, nl + nr, 0);
	jo->cond = cond;
}

bool
sl_join_base_init(sl_join_base *b, const sl_rel *r, sl_arena *a, sl_error **errp)
{
	b->n[0] = r->inputs[0]->nfields;
	b->n[1] = r->inputs[1]->nfields;
	b->keys[0] = r->keys;
	b->keys[1] = r->rkeys;
	b->nkeys = r->nkeys;
	b->allcols = sl_join_cols(a, 0, b->n[0] + b->n[1]);
	b->outer[0] = r->join_type == SL_JT_LEFT || r->join_type == SL_JT_FULL;
	b->outer[1] = r->join_type == SL_JT_RIGHT || r->join_type == SL_JT_FULL;
	if (r->cond && !(b->cond = sl_lower_expr(a, r->cond, errp)))
		return false;
	b->types = sl_op_field_types(a, r);
	return true;
}

bool
sl_join_base_open(sl_join_base *b, sl_op *op, bool filter_output, sl_error **errp)
{
	if (b->cond && !(b->cprog = sl_rexpr_prog_new(b->cond, errp)))
		return false;
	if (!filter_output)
		b->cpool = sl_chunk_pool_new(b->types, b->n[0] + b->n[1], 0);
	sl_jout_init(&b->jo, op, b->types, b->n[0], b->n[1], b->allcols, filter_output ? b->cprog : NULL);
	return true;
}

void
sl_join_base_close(sl_join_base *b)
{
	sl_jout_free(&b->jo);
	if (b->cprog)
		sl_rexpr_prog_free(b->cprog);
	b->cprog = NULL;
	if (b->cpool)
		sl_chunk_pool_free(b->cpool);
	b->cpool = NULL;
}

bool
sl_join_fill(sl_chunk *dst, uint32_t row, int first, int n, const int *dcols, sl_jside_src s)
{
	if (s.c) {
		for (int i = 0; i < n; i++)
			sl_vector_copy_row(dst->cols[first + i], row, s.c->cols[i], s.row, &dst->heap);
		return true;
	}
	if (s.bytes)
		return n == 0 || sl_key_decode(s.bytes, s.len, dst, row, dcols, n) != 0;
	for (int i = 0; i < n; i++)
		sl_vec_set_null(dst->cols[first + i], row);
	return true;
}

bool
sl_jout_flush(sl_jout *jo, sl_error **errp)
{
	sl_chunk *c = jo->out;
	if (!c)
		return true;
	jo->out = NULL;
	if (c->count == 0) {
		sl_chunk_unref(c);
		return true;
	}
	if (jo->cond) {
		int64_t n = sl_rexpr_filter(jo->cond, c, errp);
		if (n <= 0) {
			sl_chunk_unref(c);
			return n == 0;
		}
	}
	return sl_op_emit(jo->op, c, errp);
}

bool
sl_jout_row(sl_jout *jo, sl_row_kind k, sl_jside_src l, sl_jside_src r, sl_error **errp)
{
	uint32_t row;
	if (jo->out && sl_chunk_full(jo->out) && !sl_jout_flush(jo, errp))
		return false;
	if (!jo->out)
		jo->out = sl_chunk_pool_get(jo->pool);
	row = sl_chunk_append_row(jo->out);
	jo->out->kinds[row] = (uint8_t)k;
	if (!sl_join_fill(jo->out, row, 0, jo->nl, jo->lcols, l) ||
	    !sl_join_fill(jo->out, row, jo->nl, jo->nr, jo->rcols, r)) {
		*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "%s: a stored row does not decode",
		                     jo->op->ops->name);
		return false;
	}
	return true;
}

void
sl_jout_free(sl_jout *jo)
{
	if (jo->out)
		sl_chunk_unref(jo->out);
	jo->out = NULL;
	if (jo->pool)
		sl_chunk_pool_free(jo->pool);
	jo->pool = NULL;
}

void
sl_join_key(const sl_chunk *c, uint32_t r, const int *cols, int ncols, sl_strbuf *out)
{
	sl_strbuf_reset(out);
	if (ncols == 0) {
		sl_strbuf_appendc(out, '\0');
		return;
	}
	sl_key_encode(c, r, cols, ncols, out);
}

bool
sl_join_key_has_null(const sl_chunk *c, uint32_t r, const int *cols, int ncols)
{
	for (int i = 0; i < ncols; i++)
		if (!sl_vec_valid(c->cols[cols[i]], r))
			return true;
	return false;
}

void
sl_join_encode_row(const sl_chunk *c, uint32_t r, const int *allcols, int ncols, sl_strbuf *out)
{
	sl_strbuf_reset(out);
	sl_key_encode(c, r, allcols, ncols, out);
}

int *
sl_join_cols(sl_arena *a, int first, int n)
{
	int *v = SL_ANEWN(a, int, n + 1);
	for (int i = 0; i < n; i++)
		v[i] = first + i;
	return v;
}

int64_t
sl_join_time(const sl_chunk *c, uint32_t r, int col)
{
	const sl_vector *v = c->cols[col];
	if (v->width == 4)
		return SL_VEC_DATA(v, int32_t)[r];
	return SL_VEC_DATA(v, int64_t)[r];
}

void
sl_join_be64(unsigned char *p, int64_t t)
{
	uint64_t u = (uint64_t)t ^ (1ULL << 63);
	for (int i = 7; i >= 0; i--) {
		p[i] = (unsigned char)u;
		u >>= 8;
	}
}

int64_t
sl_join_from_be64(const unsigned char *p)
{
	uint64_t u = 0;
	for (int i = 0; i < 8; i++)
		u = u << 8 | p[i];
	return (int64_t)(u ^ (1ULL << 63));
}

void
sl_join_report_late(const sl_op *op, uint64_t n)
{
	if (n)
		fprintf(stderr, "sluice: note: %s (subtask %d) dropped %llu late row%s\n",
		        sl_rel_name(op->rel->tag), op->subtask + 1, (unsigned long long)n,
		        n == 1 ? "" : "s");
}
