/*
 * op_correlate.c
 *	  Correlate: a C table function (udf/udf.h, SLUICE_UDF_TABLE) applied
 *	  to every input row, as Flink's LATERAL TABLE(f(...)). Output row =
 *	  the input row's columns, then the function's ROW fields; each output
 *	  row carries its input row's kind (+I/-U/+U/-D), so an updating input
 *	  stays correct. INNER drops input rows the function gives no rows for;
 *	  LEFT keeps them once with NULL function columns.
 *
 *	  Vectorized: one sl_udf_call_table per input chunk, over the live rows
 *	  (the chunk's selection as the ABI's sel); the library calls emit with
 *	  the input row position. Emitted rows must come in ascending input row
 *	  order (every row's outputs together), which keeps the output in input
 *	  order; a library breaking that fails the job. Function values are
 *	  copied at emit (strings into the output chunk's heap, since they may
 *	  point at the call's scratch memory); input columns are copied by
 *	  value, strings by pointer with the input chunk kept alive.
 *
 *	  Stateless: nothing to checkpoint.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_correlate
 */
#include "runtime/op.h"
#include "udf/udf.h"

#include <stdlib.h>
#include <string.h>

typedef struct correlate {
	const sl_udf_fn *fn;
	bool left;                  /* LEFT: keep rows without output */
	int nin;                    /* input columns (copied first) */
	int nf;                     /* function columns */
	int nargs;
	const int *argcols;
	uint32_t *widths;           /* per function column: value bytes */
	bool *is_str;
	const sl_type *const *types;
	sl_chunk_pool *pool;
	sl_udf_call call;
	sl_arena *scratch;          /* ctx->alloc memory, reset per chunk */
	sluice_udf_vector *in;      /* nargs ABI vectors */
	uint32_t *sel;              /* the chunk's live rows as uint32 */
	uint32_t selcap;
	/* during one call */
	sl_op *op;
	sl_chunk *src, *out;
	uint32_t next;              /* index in sel of the first row not yet finished */
	uint32_t nsel;
	bool emitted;               /* the row at sel[next] produced a row */
	sl_error *err;              /* failure inside emit */
} correlate;

/* Output row o of c->out copies input row r (kind and columns). */
static bool
start_row(correlate *c, uint32_t r, uint32_t *o)
{
	if (c->out && sl_chunk_full(c->out)) {
		sl_chunk *full = c->out;
		c->out = NULL;
		if (!sl_op_emit(c->op, full, &c->err))
			return false;
	}
	if (!c->out) {
		c->out = sl_chunk_pool_get(c->pool);
		sl_chunk_keep(c->out, c->src);  /* input strings by pointer */
	}
	*o = sl_chunk_append_row(c->out);
	c->out->kinds[*o] = c->src->kinds[r];
	for (int k = 0; k < c->nin; k++)
		sl_vector_copy_row(c->out->cols[k], *o, c->src->cols[k], r, NULL);
	return true;
}

/* LEFT: the NULL-padded row for input row r. */
static bool
null_row(correlate *c, uint32_t r)
{
	uint32_t o;
	if (!start_row(c, r, &o))
		return false;
	for (int k = 0; k < c->nf; k++)
		sl_chunk_set_null(c->out, c->nin + k, o);
	return true;
}

/* Finish sel[c->next] and move on (LEFT pads a row that gave nothing). */
static bool
finish_row(correlate *c)
{
	if (c->left && !c->emitted && !null_row(c, c->sel[c->next]))
		return false;
	c->next++;
	c->emitted = false;
	return true;
}

static int
on_emit(void *arg, uint32_t row, const void *const *cols)
{
	correlate *c = arg;
	uint32_t o;
	if (c->err)
		return 1;
	while (c->next < c->nsel && c->sel[c->next] < row)
		if (!finish_row(c))
			return 1;
	if (c->next >= c->nsel || c->sel[c->next] != row) {
		c->err = sl_error_new(SL_ERR_UDF, SL_SPAN_NONE,
		                      "function \"%s\" emitted a row for input row %u out of order "
		                      "(rows must be emitted in ascending input row order)",
		                      c->fn->name, row);
		return 1;
	}
	if (!start_row(c, row, &o))
		return 1;
	c->emitted = true;
	for (int k = 0; k < c->nf; k++) {
		sl_vector *v = c->out->cols[c->nin + k];
		if (!cols[k]) {
			sl_vec_set_null(v, o);
			continue;
		}
		if (c->is_str[k]) {
			sluice_str s;
			memcpy(&s, cols[k], sizeof s);
			sl_chunk_set_str(c->out, c->nin + k, o, s.ptr ? s.ptr : "", s.len);
		} else {
			memcpy((unsigned char *)v->values + (size_t)o * c->widths[k], cols[k], c->widths[k]);
		}
	}
	return 0;
}

static bool
co_open(sl_op *op, sl_error **errp)
{
	correlate *c = op->priv;
	(void)errp;
	c->pool = sl_chunk_pool_new(c->types, op->rel->nfields, 0);
	c->scratch = sl_arena_new(NULL, "correlate");
	sl_udf_call_init(&c->call, c->fn, c->scratch);
	c->op = op;
	return true;
}

static bool
co_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	correlate *c = op->priv;
	uint32_t live = sl_chunk_live(in);
	sl_error *err = NULL;
	bool ok;
	(void)port;
	if (live == 0) {
		sl_chunk_unref(in);
		return true;
	}
	if (c->selcap < live) {
		uint32_t *s = realloc(c->sel, sizeof *s * in->capacity);
		if (!s)
			abort();
		c->sel = s;
		c->selcap = in->capacity;
	}
	for (uint32_t i = 0; i < live; i++)
		c->sel[i] = in->sel ? in->sel[i] : i;
	for (int k = 0; k < c->nargs; k++) {
		const sl_vector *v = in->cols[c->argcols[k]];
		c->in[k] = (sluice_udf_vector){sl_udf_abi_type(c->fn->sig.args[k]), v->values,
		                               v->validity, in->count, 0};
	}
	c->src = in;
	c->next = 0;
	c->nsel = live;
	c->emitted = false;
	c->err = NULL;
	ok = sl_udf_call_table(c->fn, &c->call, c->in, c->sel, live, on_emit, c, &err);
	while (ok && !c->err && c->next < c->nsel)
		if (!finish_row(c))
			break;
	sl_arena_reset(c->scratch);
	if (c->err) {
		sl_error_free(err);
		err = c->err;
		c->err = NULL;
		ok = false;
	} else if (!ok && err && err->message && strstr(err->message, " at input row ")) {
		unsigned pos = 0;
		const char *at = strstr(err->message, " at input row ");
		if (sscanf(at, " at input row %u", &pos) == 1 && pos < in->count) {
			sl_strbuf sb = SL_STRBUF_INIT, row = SL_STRBUF_INIT;
			sl_chunk_format_row(in, pos, &row);
			if (err->detail)
				sl_strbuf_appendf(&sb, "%s ", err->detail);
			sl_strbuf_appendf(&sb, "The failing input row is %s.", sl_strbuf_str(&row));
			sl_error_set_detail(err, "%s", sl_strbuf_str(&sb));
			sl_strbuf_free(&sb);
			sl_strbuf_free(&row);
		}
	}
	c->src = NULL;
	sl_chunk_unref(in);
	if (!ok) {
		sl_udf_call_done(&c->call);     /* its message buffer; the call stays usable */
		*errp = err ? err : sl_error_new(SL_ERR_UDF, SL_SPAN_NONE, "function \"%s\" failed", c->fn->name);
		return false;
	}
	if (c->out && c->out->count) {
		sl_chunk *o = c->out;
		c->out = NULL;
		return sl_op_emit(op, o, errp);
	}
	return true;
}

static void
co_close(sl_op *op)
{
	correlate *c = op->priv;
	if (c->out)
		sl_chunk_unref(c->out);
	c->out = NULL;
	if (c->pool)
		sl_chunk_pool_free(c->pool);
	c->pool = NULL;
	if (c->scratch) {
		sl_udf_call_done(&c->call);
		sl_arena_free(c->scratch);
	}
	c->scratch = NULL;
	free(c->sel);
	c->sel = NULL;
	c->selcap = 0;
}

static const sl_op_ops co_ops = {
	.name = "Correlate", .open = co_open, .push = co_push, .close = co_close,
};

bool
sl_op_init_correlate(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	correlate *c = SL_ANEW(a, correlate);
	const sl_type *row;
	if (!r->udf || r->udf->kind != SLUICE_UDF_TABLE || !r->udf->desc.table ||
	    (row = r->udf->sig.result)->kind != SL_TYPE_ROW ||
	    r->nfields != r->inputs[0]->nfields + row->nfields || r->nkeys != r->udf->sig.nargs ||
	    (r->join_type != SL_JT_INNER && r->join_type != SL_JT_LEFT)) {
		*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "malformed Correlate node");
		return false;
	}
	c->fn = r->udf;
	c->left = r->join_type == SL_JT_LEFT;
	c->nin = r->inputs[0]->nfields;
	c->nf = row->nfields;
	c->nargs = r->nkeys;
	c->argcols = r->keys;
	c->widths = SL_ANEWN(a, uint32_t, c->nf + 1);
	c->is_str = SL_ANEWN(a, bool, c->nf + 1);
	for (int k = 0; k < c->nf; k++) {
		const sl_type *t = row->fields[k].type;
		if (sl_udf_abi_type(t).kind == SLUICE_UDF_TYPE_INVALID) {
			*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
			                     "table function \"%s\": column %d has a type C functions cannot return",
			                     c->fn->name, k + 1);
			return false;
		}
		c->widths[k] = sl_vector_width(t);
		c->is_str[k] = sl_type_is_string(t) || t->kind == SL_TYPE_BYTES;
	}
	c->in = SL_ANEWN(a, sluice_udf_vector, c->nargs + 1);
	c->types = sl_op_field_types(a, r);
	op->ops = &co_ops;
	op->priv = c;
	return true;
}
