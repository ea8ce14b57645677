/*
 * op_values.c
 *	  Values: a bounded source of constant rows (`VALUES (...), (...)` and
 *	  a SELECT without FROM). Each row's expressions are lowered
 *	  (runtime/expr.h) and evaluated once, at open, over a one-row chunk
 *	  with no columns; the results fill chunks of up to SL_CHUNK_CAPACITY
 *	  rows whose string heap owns the strings. The first poll emits them
 *	  as +I rows, then the end watermark and end-of-input. The planner
 *	  runs Values at parallelism 1; any other subtask only ends.
 *
 *	  An evaluation error (a division by zero in a literal row) fails the
 *	  job at open with the expression's message.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_values
 */
#include "runtime/op.h"
#include "runtime/expr.h"

#include <stdlib.h>

typedef struct values {
	int nrows, ncols;
	sl_rexpr ***rows;           /* [nrows][ncols] lowered expressions */
	const sl_type *const *types;
	SL_VEC(sl_chunk *) chunks;  /* built at open, emitted by the first poll */
	bool done;
} values;

static bool
values_open(sl_op *op, sl_error **errp)
{
	values *v = op->priv;
	sl_chunk *one, *out = NULL;
	if (op->subtask != 0)
		return true;
	one = sl_chunk_new(NULL, 0, 1);
	sl_chunk_append_row(one);
	one->kinds[0] = SL_ROW_INSERT;
	for (int r = 0; r < v->nrows; r++) {
		uint32_t o;
		if (!out || sl_chunk_full(out)) {
			out = sl_chunk_new(v->types, v->ncols, 0);
			sl_vec_push(&v->chunks, out);
		}
		o = sl_chunk_append_row(out);
		out->kinds[o] = SL_ROW_INSERT;
		for (int c = 0; c < v->ncols; c++) {
			sl_rexpr_prog *prog = sl_rexpr_prog_new(v->rows[r][c], errp);
			const sl_vector *res;
			if (!prog) {
				sl_chunk_unref(one);
				return false;
			}
			res = sl_rexpr_eval(prog, one, &out->heap, errp);
			if (res)
				sl_vector_copy_row(out->cols[c], o, res, 0, &out->heap);
			sl_rexpr_prog_free(prog);
			if (!res) {
				sl_chunk_unref(one);
				return false;
			}
		}
	}
	sl_chunk_unref(one);
	return true;
}

static sl_poll_status
values_poll(sl_op *op, sl_error **errp)
{
	values *v = op->priv;
	if (v->done)
		return SL_POLL_END;
	v->done = true;
	for (size_t i = 0; i < v->chunks.n; i++) {
		sl_chunk *c = v->chunks.v[i];
		v->chunks.v[i] = NULL;
		sl_task_count_source_rows(op->task, c->count);
		if (!sl_op_emit(op, c, errp))
			return SL_POLL_ERROR;
	}
	if (!sl_op_emit_watermark(op, INT64_MAX, errp) || !sl_op_emit_end(op, errp))
		return SL_POLL_ERROR;
	return SL_POLL_END;
}

static void
values_close(sl_op *op)
{
	values *v = op->priv;
	for (size_t i = 0; i < v->chunks.n; i++)
		if (v->chunks.v[i])
			sl_chunk_unref(v->chunks.v[i]);
	sl_vec_free(&v->chunks);
}

static const sl_op_ops values_ops = {
	.name = "Values", .open = values_open, .poll = values_poll, .close = values_close,
};

bool
sl_op_init_values(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	values *v = SL_ANEW(a, values);
	v->nrows = r->nrows;
	v->ncols = r->nfields;
	v->rows = SL_ANEWN(a, sl_rexpr **, r->nrows + 1);
	for (int i = 0; i < r->nrows; i++) {
		v->rows[i] = SL_ANEWN(a, sl_rexpr *, r->nfields + 1);
		for (int c = 0; c < r->nfields; c++)
			if (!(v->rows[i][c] = sl_lower_expr(a, r->rows[i][c], errp)))
				return false;
	}
	v->types = sl_op_field_types(a, r);
	op->ops = &values_ops;
	op->priv = v;
	return true;
}
