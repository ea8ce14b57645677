/*
 * func_registry.c
 *	  The runtime side of the built-in function registry: the kernel of
 *	  every id of udf/builtins.def (sl_kernels, filled by the func_*.c
 *	  files), and sl_rexpr_call_named, which resolves a call with
 *	  sl_udf_builtin_resolve (the same resolution the binder types calls
 *	  with) and builds the node with the casts it asks for.
 *
 *	  Also the type and value helpers the kernels share: classification,
 *	  comparison and hashing of vector values.
 *
 *	  Pure functions after sl_kernels_init (run once under pthread_once).
 *
 * INTERFACE ROUTINES
 *	  sl_rexpr_call_named, sl_kernels_init
 *	  sl_rt_can_cast, sl_value_cmp, sl_value_hash
 */
#include "runtime/expr_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

sl_kernel_entry sl_kernels[SL_FN__COUNT];

void
sl_kernels_init(void)
{
	sl_register_arith_kernels(sl_kernels);
	sl_register_string_kernels(sl_kernels);
	sl_register_time_kernels(sl_kernels);
}

/* ---------------------------------------------------------------------
 * Type classes
 * ------------------------------------------------------------------- */
bool
sl_type_is_str(const sl_type *t)
{
	return t->kind == SL_TYPE_CHAR || t->kind == SL_TYPE_VARCHAR;
}

bool
sl_type_is_int(const sl_type *t)
{
	return t->kind >= SL_TYPE_TINYINT && t->kind <= SL_TYPE_BIGINT;
}

bool
sl_type_is_num(const sl_type *t)
{
	return t->kind >= SL_TYPE_TINYINT && t->kind <= SL_TYPE_DECIMAL;
}

bool
sl_type_is_ts(const sl_type *t)
{
	return t->kind == SL_TYPE_TIMESTAMP || t->kind == SL_TYPE_TIMESTAMP_LTZ;
}

int64_t
sl_int_get(const sl_vector *v, uint32_t r)
{
	switch (v->width) {
	case 1: return SL_VEC_DATA(v, int8_t)[r];
	case 2: return SL_VEC_DATA(v, int16_t)[r];
	case 4: return SL_VEC_DATA(v, int32_t)[r];
	default: return SL_VEC_DATA(v, int64_t)[r];
	}
}

double
sl_num_get_double(const sl_vector *v, uint32_t r)
{
	switch (v->type->kind) {
	case SL_TYPE_FLOAT: return SL_VEC_DATA(v, float)[r];
	case SL_TYPE_DOUBLE: return SL_VEC_DATA(v, double)[r];
	case SL_TYPE_DECIMAL:
		return (double)sl_dec_get(v, r) / (double)sl_pow10_i128(v->type->scale);
	default: return (double)sl_int_get(v, r);
	}
}

bool
sl_rt_can_cast(const sl_type *from, const sl_type *to)
{
	bool fscalar = from->kind != SL_TYPE_ROW && from->kind != SL_TYPE_ARRAY &&
	               from->kind != SL_TYPE_MAP;
	bool tscalar = to->kind != SL_TYPE_ROW && to->kind != SL_TYPE_ARRAY && to->kind != SL_TYPE_MAP;
	if (from->kind == SL_TYPE_NULL)
		return true;
	if (fscalar && tscalar)
		return true;
	if (sl_type_is_str(to))
		return true;
	return from->kind == to->kind;
}

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------- */
#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

int
sl_value_cmp(const sl_vector *a, uint32_t ra, const sl_vector *b, uint32_t rb)
{
	switch (a->type->kind) {
	case SL_TYPE_BOOLEAN:
		return CMP(SL_VEC_DATA(a, uint8_t)[ra], SL_VEC_DATA(b, uint8_t)[rb]);
	case SL_TYPE_FLOAT:
		return CMP(SL_VEC_DATA(a, float)[ra], SL_VEC_DATA(b, float)[rb]);
	case SL_TYPE_DOUBLE:
		return CMP(SL_VEC_DATA(a, double)[ra], SL_VEC_DATA(b, double)[rb]);
	case SL_TYPE_DECIMAL: {
		sl_i128 x = sl_dec_get(a, ra), y = sl_dec_get(b, rb);
		int sa = a->type->scale, sb = b->type->scale;
		if (sa != sb) { /* compare at the larger scale */
			sl_i128 t;
			if (sa < sb && sl_dec_rescale(x, sa, sb, &t))
				x = t;
			else if (sb < sa && sl_dec_rescale(y, sb, sa, &t))
				y = t;
		}
		return CMP(x, y);
	}
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR:
	case SL_TYPE_BYTES: {
		sl_str x = SL_VEC_DATA(a, sl_str)[ra], y = SL_VEC_DATA(b, sl_str)[rb];
		uint32_t m = x.len < y.len ? x.len : y.len;
		int c = m ? memcmp(x.ptr, y.ptr, m) : 0;
		return c ? (c < 0 ? -1 : 1) : CMP(x.len, y.len);
	}
	case SL_TYPE_DATE:
		if (b->type->kind != SL_TYPE_DATE)
			return CMP(sl_temporal_us(a, ra), sl_temporal_us(b, rb));
		return CMP(SL_VEC_DATA(a, int32_t)[ra], SL_VEC_DATA(b, int32_t)[rb]);
	case SL_TYPE_INTERVAL_YM:
		return CMP(SL_VEC_DATA(a, int32_t)[ra], SL_VEC_DATA(b, int32_t)[rb]);
	case SL_TYPE_TIMESTAMP:
	case SL_TYPE_TIMESTAMP_LTZ:
	case SL_TYPE_TIME:
	case SL_TYPE_INTERVAL_DT:
		if (b->type->kind == SL_TYPE_DATE)
			return CMP(sl_temporal_us(a, ra), sl_temporal_us(b, rb));
		return CMP(SL_VEC_DATA(a, int64_t)[ra], SL_VEC_DATA(b, int64_t)[rb]);
	case SL_TYPE_TINYINT:
	case SL_TYPE_SMALLINT:
	case SL_TYPE_INT:
	case SL_TYPE_BIGINT:
		return CMP(sl_int_get(a, ra), sl_int_get(b, rb));
	case SL_TYPE_ROW:
		for (int i = 0; i < a->nchildren; i++) {
			bool va = sl_vec_valid(a->children[i], ra), vb = sl_vec_valid(b->children[i], rb);
			int c;
			if (!va || !vb) {
				if (va != vb)
					return va ? 1 : -1;
				continue;
			}
			c = sl_value_cmp(a->children[i], ra, b->children[i], rb);
			if (c)
				return c;
		}
		return 0;
	case SL_TYPE_ARRAY: {
		uint32_t la = a->offsets[ra + 1] - a->offsets[ra], lb = b->offsets[rb + 1] - b->offsets[rb];
		for (uint32_t i = 0; i < la && i < lb; i++) {
			int c = sl_value_cmp(a->children[0], a->offsets[ra] + i, b->children[0],
			                     b->offsets[rb] + i);
			if (c)
				return c;
		}
		return CMP(la, lb);
	}
	default:
		return 0;
	}
}

uint64_t
sl_value_hash(const sl_vector *v, uint32_t r)
{
	switch (v->type->kind) {
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR:
	case SL_TYPE_BYTES: {
		sl_str s = SL_VEC_DATA(v, sl_str)[r];
		return sl_hash64(s.ptr, s.len, 0);
	}
	case SL_TYPE_TINYINT:
	case SL_TYPE_SMALLINT:
	case SL_TYPE_INT:
	case SL_TYPE_BIGINT:
		return sl_hash_u64((uint64_t)sl_int_get(v, r));
	case SL_TYPE_DECIMAL: {
		sl_i128 x = sl_dec_get(v, r);
		return sl_hash_u64((uint64_t)x ^ (uint64_t)(x >> 64));
	}
	case SL_TYPE_DOUBLE: {
		double d = SL_VEC_DATA(v, double)[r];
		uint64_t u;
		if (d == 0)
			d = 0; /* -0.0 == 0.0 */
		memcpy(&u, &d, 8);
		return sl_hash_u64(u);
	}
	case SL_TYPE_DATE:
	case SL_TYPE_INTERVAL_YM:
	case SL_TYPE_FLOAT:
		return sl_hash_u64(SL_VEC_DATA(v, uint32_t)[r]);
	case SL_TYPE_BOOLEAN:
		return SL_VEC_DATA(v, uint8_t)[r];
	default:
		if (v->width == 8)
			return sl_hash_u64(SL_VEC_DATA(v, uint64_t)[r]);
		return 0;
	}
}

/* arg cast to t (nullability kept); constants are folded. */
static sl_rexpr *
cast_arg(sl_arena *a, sl_rexpr *arg, const sl_type *t)
{
	t = sl_type_with_nullable(a, t, arg->type->nullable);
	if (arg->kind == SL_REXPR_CONST) {
		sl_datum d;
		if (sl_cast_datum(a, arg->type, &arg->value, t, &d))
			return sl_rexpr_const(a, t, &d);
	}
	return sl_rexpr_cast(a, arg, t, false);
}

sl_rexpr *
sl_rexpr_call_named(sl_arena *a, const char *name, sl_rexpr **args, int nargs, sl_error **errp)
{
	const sl_type **types, **cast_to, *result;
	sl_func_const *consts;
	sl_func_id id;
	sl_rexpr **cargs;

	sl_rt_type(SL_TYPE_NULL); /* kernels registered */
	types = SL_ANEWN(a, const sl_type *, nargs + 1);
	cast_to = SL_ANEWN(a, const sl_type *, nargs + 1);
	consts = SL_ANEWN(a, sl_func_const, nargs + 1);
	for (int i = 0; i < nargs; i++) {
		types[i] = args[i]->type;
		if (args[i]->kind == SL_REXPR_CONST && !args[i]->value.is_null &&
		    sl_type_is_int(args[i]->type)) {
			consts[i].known = true;
			consts[i].i = args[i]->value.v.i;
		}
	}
	if (!sl_udf_builtin_resolve(a, name, types, nargs, consts, &id, cast_to, &result, errp))
		return NULL;
	cargs = SL_ANEWN(a, sl_rexpr *, nargs + 1);
	for (int i = 0; i < nargs; i++)
		cargs[i] = cast_to[i] ? cast_arg(a, args[i], cast_to[i]) : args[i];
	switch (id) {
	case SL_FN_COALESCE:
	case SL_FN_IFNULL:
		return sl_rexpr_coalesce(a, cargs, nargs, result);
	case SL_FN_IF:
		return sl_rexpr_if(a, cargs[0], cargs[1], cargs[2], result);
	case SL_FN_PLUS:
	case SL_FN_MINUS:
	case SL_FN_MUL:
	case SL_FN_DIV:
	case SL_FN_MOD:
	case SL_FN_MOD_OP:
		/* the kernels compute approximate numerics in DOUBLE */
		if (result->kind == SL_TYPE_FLOAT)
			return sl_rexpr_cast(a, sl_rexpr_call(a, id, cargs, nargs,
			                         sl_type_with_nullable(a, sl_rt_type(SL_TYPE_DOUBLE),
			                                               result->nullable)),
			                     result, false);
		return sl_rexpr_call(a, id, cargs, nargs, result);
	default:
		return sl_rexpr_call(a, id, cargs, nargs, result);
	}
}
