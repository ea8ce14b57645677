/*
 * call.c
 *	  The engine side of a call into a C function: the sluice_udf_ctx
 *	  callbacks (error, alloc, emit) and wrappers that invoke an entry
 *	  point and turn an error the function reported into an sl_error that
 *	  names the function, the message and the input row position.
 *
 *	  One sl_udf_call per operator instance and worker thread, reused for
 *	  every chunk (@thread worker). ctx->alloc memory comes from the
 *	  scratch arena the caller passed; the caller resets it when the
 *	  output it backs is no longer needed (normally with the chunk).
 *
 *	  The wrappers are thin on purpose: one indirect call per vector, so a
 *	  UDF costs what its body costs.
 *
 * INTERFACE ROUTINES
 *	  sl_udf_call_init / _done / _set_alloc, sl_udf_call_scalar, sl_udf_call_table,
 *	  sl_udf_agg_init / _accumulate / _retract / _merge / _finish /
 *	  _serialize / _deserialize / _destroy
 */
#include "udf/udf_int.h"

#include <string.h>

#define MAX_MESSAGE 1000

static void ctx_error(sluice_udf_ctx *ctx, uint32_t row, const char *fmt, ...) SL_PRINTF(3, 4);

static void
ctx_error(sluice_udf_ctx *ctx, uint32_t row, const char *fmt, ...)
{
	sl_udf_call *call = ctx->engine_;
	if (call->failed)
		return;     /* the first error of a call wins */
	call->failed = true;
	call->err_row = row;
	sl_strbuf_reset(&call->err_msg);
	if (!fmt) {
		sl_strbuf_append(&call->err_msg, "(no message)");
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	sl_strbuf_vappendf(&call->err_msg, fmt, ap);
	va_end(ap);
	/* One line, bounded. */
	sl_strbuf *m = &call->err_msg;
	for (size_t i = 0; i < m->len; i++)
		if (m->data[i] == '\n' || m->data[i] == '\r')
			m->data[i] = ' ';
	while (m->len && m->data[m->len - 1] == ' ')
		m->data[--m->len] = '\0';
	if (m->len > MAX_MESSAGE) {
		m->len = MAX_MESSAGE;
		m->data[m->len] = '\0';
		sl_strbuf_append(m, "...");
	}
}

static void *
ctx_alloc(sluice_udf_ctx *ctx, size_t n)
{
	sl_udf_call *call = ctx->engine_;
	if (call->alloc_fn)
		return call->alloc_fn(call->alloc_arg, n ? n : 1);
	return sl_arena_alloc(call->scratch, n ? n : 1);
}

static int
ctx_emit(sluice_udf_ctx *ctx, uint32_t row, const void *const *cols)
{
	sl_udf_call *call = ctx->engine_;
	return call->emit ? call->emit(call->emit_arg, row, cols) : 1;
}

void
sl_udf_call_init(sl_udf_call *call, const sl_udf_fn *fn, sl_arena *scratch)
{
	memset(call, 0, sizeof *call);
	call->ctx.abi_version = SLUICE_UDF_ABI_VERSION;
	call->ctx.size = (uint32_t)sizeof(sluice_udf_ctx);
	call->ctx.function_name = fn->name;
	call->ctx.user_data = fn->desc.user_data;
	call->ctx.error = ctx_error;
	call->ctx.alloc = ctx_alloc;
	call->ctx.emit = NULL;
	call->ctx.engine_ = call;
	call->fn = fn;
	call->scratch = scratch;
	call->err_row = SLUICE_UDF_NO_ROW;
}

void
sl_udf_call_set_alloc(sl_udf_call *call, void *(*fn)(void *arg, size_t n), void *arg)
{
	call->alloc_fn = fn;
	call->alloc_arg = arg;
}

void
sl_udf_call_done(sl_udf_call *call)
{
	sl_strbuf_free(&call->err_msg);
}

/* After an entry point returned rc: true if it succeeded, else *errp. The
 * call is ready for reuse either way. phase names the aggregate callback
 * (NULL for scalar and table calls). */
static bool
conclude(const sl_udf_fn *fn, sl_udf_call *call, int rc, const char *phase, sl_error **errp)
{
	if (SL_LIKELY(rc == 0 && !call->failed))
		return true;
	sl_strbuf where = SL_STRBUF_INIT;
	if (phase)
		sl_strbuf_appendf(&where, " in %s", phase);
	if (call->failed && call->err_row != SLUICE_UDF_NO_ROW)
		sl_strbuf_appendf(&where, " at input row %u", call->err_row);
	sl_error *e;
	if (call->failed)
		e = sl_error_new(SL_ERR_UDF, SL_SPAN_NONE, "function \"%s\" failed%s: %s", fn->name,
		                 sl_strbuf_str(&where), sl_strbuf_str(&call->err_msg));
	else
		e = sl_error_new(SL_ERR_UDF, SL_SPAN_NONE,
		                 "function \"%s\" failed%s without reporting an error (status %d)",
		                 fn->name, sl_strbuf_str(&where), rc);
	if (fn->lib)
		sl_error_set_detail(e, "The function comes from the library \"%s\".", fn->lib->path);
	sl_strbuf_free(&where);
	call->failed = false;
	call->err_row = SLUICE_UDF_NO_ROW;
	sl_strbuf_reset(&call->err_msg);
	if (errp)
		*errp = e;
	else
		sl_error_free(e);
	return false;
}

bool
sl_udf_call_scalar(const sl_udf_fn *fn, sl_udf_call *call, const sluice_udf_vector *inputs,
                   const uint32_t *sel, uint32_t n, sluice_udf_out *out, sl_error **errp)
{
	SL_ASSERT(fn->kind == SLUICE_UDF_SCALAR && call->fn == fn);
	call->ctx.emit = NULL;
	int rc = fn->desc.scalar(&call->ctx, inputs, (uint32_t)fn->sig.nargs, sel, n, out);
	return conclude(fn, call, rc, NULL, errp);
}

bool
sl_udf_call_table(const sl_udf_fn *fn, sl_udf_call *call, const sluice_udf_vector *inputs,
                  const uint32_t *sel, uint32_t n, sl_udf_emit_fn emit, void *arg,
                  sl_error **errp)
{
	SL_ASSERT(fn->kind == SLUICE_UDF_TABLE && call->fn == fn);
	call->emit = emit;
	call->emit_arg = arg;
	call->ctx.emit = ctx_emit;
	int rc = fn->desc.table(&call->ctx, inputs, (uint32_t)fn->sig.nargs, sel, n);
	call->ctx.emit = NULL;
	call->emit = NULL;
	call->emit_arg = NULL;
	return conclude(fn, call, rc, NULL, errp);
}

static const sluice_udf_aggregate *
agg_of(const sl_udf_fn *fn, const sl_udf_call *call)
{
	SL_ASSERT(fn->kind == SLUICE_UDF_AGGREGATE && call->fn == fn && fn->desc.aggregate);
	return fn->desc.aggregate;
}

bool
sl_udf_agg_init(const sl_udf_fn *fn, sl_udf_call *call, void *state, sl_error **errp)
{
	const sluice_udf_aggregate *ag = agg_of(fn, call);
	memset(state, 0, ag->state_size);
	return conclude(fn, call, ag->init(&call->ctx, state), "init", errp);
}

bool
sl_udf_agg_accumulate(const sl_udf_fn *fn, sl_udf_call *call, void *const *states,
                      const sluice_udf_vector *inputs, const uint32_t *sel, uint32_t n,
                      sl_error **errp)
{
	const sluice_udf_aggregate *ag = agg_of(fn, call);
	int rc = ag->accumulate(&call->ctx, states, inputs, (uint32_t)fn->sig.nargs, sel, n);
	return conclude(fn, call, rc, NULL, errp);
}

bool
sl_udf_agg_retract(const sl_udf_fn *fn, sl_udf_call *call, void *const *states,
                   const sluice_udf_vector *inputs, const uint32_t *sel, uint32_t n,
                   sl_error **errp)
{
	const sluice_udf_aggregate *ag = agg_of(fn, call);
	if (!ag->retract)
		return sl_fail(errp, SL_ERR_UDF, SL_SPAN_NONE,
		               "aggregate function \"%s\" cannot retract rows", fn->name);
	int rc = ag->retract(&call->ctx, states, inputs, (uint32_t)fn->sig.nargs, sel, n);
	return conclude(fn, call, rc, NULL, errp);
}

bool
sl_udf_agg_merge(const sl_udf_fn *fn, sl_udf_call *call, void *dst, const void *src,
                 sl_error **errp)
{
	const sluice_udf_aggregate *ag = agg_of(fn, call);
	return conclude(fn, call, ag->merge(&call->ctx, dst, src), "merge", errp);
}

bool
sl_udf_agg_finish(const sl_udf_fn *fn, sl_udf_call *call, const void *const *states,
                  uint32_t n, sluice_udf_out *out, sl_error **errp)
{
	const sluice_udf_aggregate *ag = agg_of(fn, call);
	return conclude(fn, call, ag->finish(&call->ctx, states, n, out), "finish", errp);
}

bool
sl_udf_agg_serialize(const sl_udf_fn *fn, sl_udf_call *call, const void *state,
                     const void **bytes, size_t *len, sl_error **errp)
{
	const sluice_udf_aggregate *ag = agg_of(fn, call);
	if (!ag->serialize) {
		*bytes = state;
		*len = ag->state_size;
		return true;
	}
	*bytes = NULL;
	*len = 0;
	int rc = ag->serialize(&call->ctx, state, bytes, len);
	if (rc == 0 && !call->failed && !*bytes && *len)
		ctx_error(&call->ctx, SLUICE_UDF_NO_ROW, "serialize returned %zu bytes at NULL", *len);
	return conclude(fn, call, rc, "serialize", errp);
}

bool
sl_udf_agg_deserialize(const sl_udf_fn *fn, sl_udf_call *call, const void *bytes,
                       size_t len, void *state, sl_error **errp)
{
	const sluice_udf_aggregate *ag = agg_of(fn, call);
	if (!ag->deserialize) {
		if (len != ag->state_size)
			return sl_fail(errp, SL_ERR_CORRUPT, SL_SPAN_NONE,
			               "stored state of function \"%s\" has %zu bytes, expected %u",
			               fn->name, len, ag->state_size);
		memcpy(state, bytes, len);
		return true;
	}
	memset(state, 0, ag->state_size);
	return conclude(fn, call, ag->deserialize(&call->ctx, bytes, len, state), "deserialize",
	                errp);
}

void
sl_udf_agg_destroy(const sl_udf_fn *fn, sl_udf_call *call, void *state)
{
	const sluice_udf_aggregate *ag = agg_of(fn, call);
	if (ag->destroy)
		ag->destroy(&call->ctx, state);
}
