/*
 * func_registry.c
 *	  The built-in function registry (functions.def) and overload
 *	  resolution: which overload fits the argument types, the implicit
 *	  casts it needs, and the result type, following Flink's rules
 *	  (numeric promotion, DECIMAL precision/scale derivation).
 *
 *	  Also the type and value helpers the kernels share: classification,
 *	  common types, comparison and hashing of vector values.
 *
 *	  Pure functions after sl_kernels_init (run once under pthread_once).
 *
 * INTERFACE ROUTINES
 *	  sl_func_info_get, sl_func_exists, sl_func_lookup, sl_rexpr_call_named
 *	  sl_rt_common_type, sl_rt_can_cast, sl_value_cmp, sl_value_hash
 */
#include "runtime/expr_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define STRICT SL_NULLS_STRICT
#define CUSTOM SL_NULLS_CUSTOM
static const sl_func_info func_table[SL_FN__COUNT] = {
#define SL_FN(id, name, minargs, maxargs, argspec, result, nulls)                \
	[SL_FN_##id] = {SL_FN_##id, name, minargs, maxargs, argspec, result, nulls},
#include "runtime/functions.def"
#undef SL_FN
};
#undef STRICT
#undef CUSTOM

sl_kernel_entry sl_kernels[SL_FN__COUNT];

void
sl_kernels_init(void)
{
	sl_register_arith_kernels(sl_kernels);
	sl_register_string_kernels(sl_kernels);
	sl_register_time_kernels(sl_kernels);
}

const sl_func_info *
sl_func_info_get(sl_func_id id)
{
	SL_ASSERT((unsigned)id < SL_FN__COUNT);
	return &func_table[id];
}

bool
sl_func_exists(const char *name)
{
	for (int i = 0; i < SL_FN__COUNT; i++)
		if (sl_streq_ci(func_table[i].name, name))
			return true;
	return sl_streq_ci(name, "IF") || sl_streq_ci(name, "COALESCE") ||
	       sl_streq_ci(name, "IFNULL");
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

static int
int_digits(sl_type_kind k)
{
	switch (k) {
	case SL_TYPE_TINYINT: return 3;
	case SL_TYPE_SMALLINT: return 5;
	case SL_TYPE_INT: return 10;
	case SL_TYPE_BIGINT: return 19;
	default: return 0;
	}
}

static const sl_type *
with_nullable(sl_arena *a, const sl_type *t, bool nullable)
{
	sl_type *c;
	if (t->nullable == nullable)
		return t;
	c = SL_ANEW(a, sl_type);
	*c = *t;
	c->nullable = nullable;
	return c;
}

/* DECIMAL view of an exact numeric type. */
static void
dec_ps(const sl_type *t, int *p, int *s)
{
	if (t->kind == SL_TYPE_DECIMAL) {
		*p = t->precision;
		*s = t->scale;
	} else {
		*p = int_digits(t->kind);
		*s = 0;
	}
}

static const sl_type *
dec_adjust(sl_arena *a, int p, int s)
{
	if (p > 38) {
		int intd = p - s;
		int mins = SL_MIN(s, 6);
		s = SL_MAX(38 - intd, mins);
		p = 38;
	}
	return sl_rt_decimal(a, p, s);
}

const sl_type *
sl_rt_common_type(sl_arena *a, const sl_type *x, const sl_type *y)
{
	bool nb = x->nullable || y->nullable;
	const sl_type *r = NULL;

	if (x->kind == SL_TYPE_NULL)
		return with_nullable(a, y, true);
	if (y->kind == SL_TYPE_NULL)
		return with_nullable(a, x, true);
	if (sl_type_is_num(x) && sl_type_is_num(y)) {
		if (x->kind == SL_TYPE_DOUBLE || y->kind == SL_TYPE_DOUBLE ||
		    x->kind == SL_TYPE_FLOAT || y->kind == SL_TYPE_FLOAT) {
			r = (x->kind == SL_TYPE_FLOAT && y->kind == SL_TYPE_FLOAT)
			        ? sl_rt_type(SL_TYPE_FLOAT) : sl_rt_type(SL_TYPE_DOUBLE);
		} else if (x->kind == SL_TYPE_DECIMAL || y->kind == SL_TYPE_DECIMAL) {
			int p1, s1, p2, s2, s, d;
			dec_ps(x, &p1, &s1);
			dec_ps(y, &p2, &s2);
			s = SL_MAX(s1, s2);
			d = SL_MAX(p1 - s1, p2 - s2);
			r = sl_rt_decimal(a, SL_MIN(38, d + s), s);
		} else {
			r = x->kind >= y->kind ? x : y;
		}
	} else if (sl_type_is_str(x) && sl_type_is_str(y)) {
		if (x->kind == SL_TYPE_CHAR && y->kind == SL_TYPE_CHAR && x->precision == y->precision)
			r = x;
		else
			r = sl_rt_type(SL_TYPE_VARCHAR);
	} else if (x->kind == y->kind) {
		if (sl_type_is_ts(x) && y->precision > x->precision)
			r = y;
		else
			r = x;
	} else if ((x->kind == SL_TYPE_DATE && sl_type_is_ts(y)) ||
	           (sl_type_is_ts(x) && y->kind == SL_TYPE_DATE)) {
		r = sl_type_is_ts(x) ? x : y;
	} else if (sl_type_is_ts(x) && sl_type_is_ts(y)) {
		r = sl_rt_type(SL_TYPE_TIMESTAMP_LTZ);
	}
	return r ? with_nullable(a, r, nb) : NULL;
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

/* ---------------------------------------------------------------------
 * Overload resolution
 * ------------------------------------------------------------------- */
static bool
class_ok(char cls, const sl_type *t)
{
	if (t->kind == SL_TYPE_NULL)
		return true;
	switch (cls) {
	case 'n': return sl_type_is_num(t);
	case 'i': return sl_type_is_int(t);
	case 's': return sl_type_is_str(t);
	case 'u': return sl_type_is_str(t);
	case 'b': return t->kind == SL_TYPE_BOOLEAN;
	case 't': return sl_type_is_ts(t);
	case 'd': return t->kind == SL_TYPE_DATE;
	case 'T': return sl_type_is_ts(t) || t->kind == SL_TYPE_DATE;
	case 'v': return t->kind == SL_TYPE_INTERVAL_DT || t->kind == SL_TYPE_INTERVAL_YM;
	case 'A': return t->kind == SL_TYPE_ARRAY;
	case 'M': return t->kind == SL_TYPE_MAP;
	case 'c': case 'a': return true;
	default: return false;
	}
}

/* A concrete type for a NULL literal in a class. */
static const sl_type *
null_default(char cls)
{
	switch (cls) {
	case 'n': case 'i': return sl_rt_type(SL_TYPE_INT);
	case 's': case 'u': return sl_rt_type(SL_TYPE_VARCHAR);
	case 'b': return sl_rt_type(SL_TYPE_BOOLEAN);
	case 't': case 'T': return sl_rt_type(SL_TYPE_TIMESTAMP);
	case 'd': return sl_rt_type(SL_TYPE_DATE);
	case 'v': return sl_rt_type(SL_TYPE_INTERVAL_DT);
	default: return sl_rt_type(SL_TYPE_VARCHAR);
	}
}

static char
spec_at(const sl_func_info *fi, int i)
{
	size_t len = strlen(fi->argspec);
	if (len == 0)
		return 'a';
	return fi->argspec[(size_t)i < len ? (size_t)i : len - 1];
}

/* The operand type both sides of arithmetic are cast to; for DECIMAL the
 * operands keep their own precision/scale (decimal view of integers). */
static const sl_type *
arith_operand(sl_arena *a, const sl_type *x, const sl_type *y, const sl_type *self)
{
	bool fp = x->kind == SL_TYPE_DOUBLE || y->kind == SL_TYPE_DOUBLE ||
	          x->kind == SL_TYPE_FLOAT || y->kind == SL_TYPE_FLOAT;
	if (fp)
		return sl_rt_type(SL_TYPE_DOUBLE);
	if (x->kind == SL_TYPE_DECIMAL || y->kind == SL_TYPE_DECIMAL) {
		int p, s;
		dec_ps(self, &p, &s);
		return self->kind == SL_TYPE_DECIMAL ? NULL : sl_rt_decimal(a, p, s);
	}
	{
		sl_type_kind k = SL_MAX(x->kind, y->kind);
		if (k < SL_TYPE_INT)
			k = SL_TYPE_INT; /* arithmetic on TINYINT/SMALLINT runs on INT */
		return self->kind == k ? NULL : sl_rt_type(k);
	}
}

static const sl_type *
arith_result(sl_arena *a, int rule, const sl_type *x, const sl_type *y)
{
	int p1, s1, p2, s2;
	if (x->kind == SL_TYPE_DOUBLE || x->kind == SL_TYPE_FLOAT || y->kind == SL_TYPE_DOUBLE ||
	    y->kind == SL_TYPE_FLOAT)
		return sl_rt_type(SL_TYPE_DOUBLE);
	if (x->kind != SL_TYPE_DECIMAL && y->kind != SL_TYPE_DECIMAL) {
		sl_type_kind k = SL_MAX(x->kind, y->kind);
		if (rule == R_MOD)
			k = y->kind; /* Calcite: MOD has the type of its second argument */
		return sl_rt_type(k < SL_TYPE_INT ? SL_TYPE_INT : k);
	}
	dec_ps(x, &p1, &s1);
	dec_ps(y, &p2, &s2);
	switch (rule) {
	case R_MUL:
		return dec_adjust(a, p1 + p2 + 1, s1 + s2);
	case R_DIV: {
		int s = SL_MAX(6, s1 + p2 + 1);
		return dec_adjust(a, p1 - s1 + s2 + s, s);
	}
	case R_MOD: {
		int s = SL_MAX(s1, s2);
		return dec_adjust(a, SL_MIN(p1 - s1, p2 - s2) + s, s);
	}
	default: {
		int s = SL_MAX(s1, s2);
		return dec_adjust(a, SL_MAX(p1 - s1, p2 - s2) + s + 1, s);
	}
	}
}

static bool
try_overload(sl_arena *a, const sl_func_info *fi, const sl_type *const *at, int n,
             const sl_rexpr *const *args, const sl_type **cast_to, const sl_type **result)
{
	const sl_type *common = NULL;
	bool anynull = false;

	if (n < fi->minargs || (fi->maxargs >= 0 && n > fi->maxargs))
		return false;
	for (int i = 0; i < n; i++) {
		char cls = spec_at(fi, i);
		cast_to[i] = NULL;
		if (!class_ok(cls, at[i]))
			return false;
		if (at[i]->nullable)
			anynull = true;
		if (cls == 'c') {
			common = common ? sl_rt_common_type(a, common, at[i]) : at[i];
			if (!common)
				return false;
		} else if (at[i]->kind == SL_TYPE_NULL) {
			cast_to[i] = null_default(cls);
		}
	}
	if (common) {
		if (common->kind == SL_TYPE_NULL)
			common = sl_rt_type(SL_TYPE_VARCHAR);
		for (int i = 0; i < n; i++)
			if (spec_at(fi, i) == 'c') {
				bool same = at[i]->kind == common->kind &&
				            (common->kind != SL_TYPE_DECIMAL ||
				             (at[i]->precision == common->precision &&
				              at[i]->scale == common->scale)) &&
				            (!sl_type_is_ts(common) || at[i]->precision == common->precision);
				if (sl_type_is_str(common) && sl_type_is_str(at[i]))
					same = true;
				if (!same)
					cast_to[i] = common;
			}
	}
	/* arithmetic operands */
	if ((fi->result_rule == R_ARITH || fi->result_rule == R_MUL || fi->result_rule == R_DIV ||
	     fi->result_rule == R_MOD) && n == 2) {
		const sl_type *x = cast_to[0] ? cast_to[0] : at[0];
		const sl_type *y = cast_to[1] ? cast_to[1] : at[1];
		const sl_type *cx = arith_operand(a, x, y, x);
		const sl_type *cy = arith_operand(a, x, y, y);
		if (cx)
			cast_to[0] = cx;
		if (cy)
			cast_to[1] = cy;
		*result = arith_result(a, fi->result_rule, x, y);
	} else {
		const sl_type *a0 = n > 0 ? (cast_to[0] ? cast_to[0] : at[0]) : NULL;
		switch (fi->result_rule) {
		case R_ARG0: *result = a0; break;
		case R_ARG1: *result = cast_to[1] ? cast_to[1] : at[1]; break;
		case R_ARG2: *result = cast_to[2] ? cast_to[2] : at[2]; break;
		case R_COMMON: *result = common ? common : a0; break;
		case R_BOOL: *result = sl_rt_type(SL_TYPE_BOOLEAN); break;
		case R_BOOL_NN: *result = sl_rt_not_null(a, sl_rt_type(SL_TYPE_BOOLEAN)); break;
		case R_INT: *result = sl_rt_type(SL_TYPE_INT); break;
		case R_BIGINT: *result = sl_rt_type(SL_TYPE_BIGINT); break;
		case R_DOUBLE:
			*result = sl_rt_type(SL_TYPE_DOUBLE);
			for (int i = 0; i < n; i++)
				if (at[i]->kind != SL_TYPE_DOUBLE)
					cast_to[i] = sl_rt_type(SL_TYPE_DOUBLE);
			break;
		case R_STRING: *result = sl_rt_type(SL_TYPE_VARCHAR); break;
		case R_DATE: *result = sl_rt_type(SL_TYPE_DATE); break;
		case R_DATE_NN: *result = sl_rt_not_null(a, sl_rt_type(SL_TYPE_DATE)); break;
		case R_TS3: *result = sl_rt_type(SL_TYPE_TIMESTAMP); break;
		case R_TS3_NN: *result = sl_rt_not_null(a, sl_rt_type(SL_TYPE_TIMESTAMP)); break;
		case R_TSLTZ3_NN:
			*result = sl_rt_not_null(a, sl_rt_type(SL_TYPE_TIMESTAMP_LTZ));
			break;
		case R_ROUND:
			*result = a0;
			if (a0->kind == SL_TYPE_DECIMAL) {
				int d = 0, p = a0->precision, s = a0->scale;
				if (n > 1) {
					if (!args || args[1]->kind != SL_REXPR_CONST || args[1]->value.is_null)
						return false; /* the digits must be a constant */
					d = (int)args[1]->value.v.i;
				}
				if (d >= s)
					*result = a0;
				else if (d < 0)
					*result = sl_rt_decimal(a, SL_MIN(38, 1 + p - s), 0);
				else
					*result = sl_rt_decimal(a, SL_MIN(38, 1 + p - s + d), d);
			}
			break;
		case R_ELEM:
			*result = with_nullable(a, a0->elem, true);
			if (a0->kind == SL_TYPE_MAP && at[1]->kind != a0->key->kind &&
			    !(sl_type_is_str(at[1]) && sl_type_is_str(a0->key)))
				cast_to[1] = a0->key;
			break;
		case R_FLOORCEIL:
			*result = a0;
			if (a0->kind == SL_TYPE_DECIMAL && a0->scale > 0)
				*result = sl_rt_decimal(a, SL_MIN(38, a0->precision - a0->scale + 1), 0);
			break;
		default:
			*result = sl_rt_type(SL_TYPE_VARCHAR);
			break;
		}
	}
	if (fi->nulls == SL_NULLS_STRICT && fi->result_rule != R_TSLTZ3_NN &&
	    fi->result_rule != R_TS3_NN && fi->result_rule != R_DATE_NN)
		*result = with_nullable(a, *result, anynull);
	if (fi->id == SL_FN_NULLIF)
		*result = with_nullable(a, *result, true);
	return true;
}

static bool
lookup(sl_arena *a, const char *name, const sl_type *const *argtypes, int n,
       const sl_rexpr *const *args, sl_func_id *id, const sl_type **cast_to,
       const sl_type **result, sl_error **errp)
{
	bool named = false;
	for (int i = 0; i < SL_FN__COUNT; i++) {
		const sl_func_info *fi = &func_table[i];
		if (!sl_streq_ci(fi->name, name))
			continue;
		named = true;
		if (try_overload(a, fi, argtypes, n, args, cast_to, result)) {
			*id = fi->id;
			return true;
		}
	}
	if (!named)
		return sl_fail(errp, SL_ERR_UNDEFINED_FUNCTION, SL_SPAN_NONE,
		               "no function named \"%s\"", name);
	{
		sl_strbuf sb = SL_STRBUF_INIT;
		sl_error *e;
		for (int i = 0; i < n; i++) {
			static const char *const kn[] = {"NULL", "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL", "CHAR", "VARCHAR", "BYTES", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ", "INTERVAL DAY TO SECOND", "INTERVAL YEAR TO MONTH", "ROW", "ARRAY", "MAP"};
			sl_strbuf_appendf(&sb, "%s%s", i ? ", " : "", kn[argtypes[i]->kind]);
		}
		e = sl_error_new(SL_ERR_DATATYPE_MISMATCH, SL_SPAN_NONE,
		                 "no overload of function \"%s\" takes arguments (%s)", name,
		                 sl_strbuf_str(&sb));
		sl_strbuf_free(&sb);
		if (errp)
			*errp = e;
		else
			sl_error_free(e);
		return false;
	}
}

bool
sl_func_lookup(sl_arena *a, const char *name, const sl_type *const *argtypes, int n,
               sl_func_id *id, const sl_type **cast_to, const sl_type **result,
               sl_error **errp)
{
	sl_rt_type(SL_TYPE_NULL); /* init */
	return lookup(a, name, argtypes, n, NULL, id, cast_to, result, errp);
}

sl_rexpr *
sl_rexpr_call_named(sl_arena *a, const char *name, sl_rexpr **args, int nargs, sl_error **errp)
{
	const sl_type **types, **cast_to, *result;
	sl_func_id id;
	sl_rexpr **cargs;

	sl_rt_type(SL_TYPE_NULL);
	types = SL_ANEWN(a, const sl_type *, nargs + 1);
	cast_to = SL_ANEWN(a, const sl_type *, nargs + 1);
	for (int i = 0; i < nargs; i++)
		types[i] = args[i]->type;
	if (sl_streq_ci(name, "COALESCE") || sl_streq_ci(name, "IFNULL") || sl_streq_ci(name, "IF")) {
		int first = sl_streq_ci(name, "IF") ? 1 : 0;
		const sl_type *common = NULL;
		bool all_nullable = true;
		if ((first && nargs != 3) || (!first && nargs < 1) ||
		    (sl_streq_ci(name, "IFNULL") && nargs != 2))
			return sl_fail(errp, SL_ERR_DATATYPE_MISMATCH, SL_SPAN_NONE,
			               "wrong number of arguments to function \"%s\"", name), NULL;
		for (int i = first; i < nargs; i++) {
			common = common ? sl_rt_common_type(a, common, types[i]) : types[i];
			if (!common)
				return sl_fail(errp, SL_ERR_DATATYPE_MISMATCH, SL_SPAN_NONE,
				               "arguments of \"%s\" have no common type", name), NULL;
			if (!types[i]->nullable)
				all_nullable = false;
		}
		cargs = SL_ANEWN(a, sl_rexpr *, nargs);
		for (int i = 0; i < nargs; i++) {
			cargs[i] = args[i];
			if (i >= first && (types[i]->kind != common->kind ||
			                   (common->kind == SL_TYPE_DECIMAL &&
			                    (types[i]->precision != common->precision ||
			                     types[i]->scale != common->scale))))
				cargs[i] = sl_rexpr_cast(a, args[i], common, false);
		}
		if (first) {
			common = with_nullable(a, common, types[1]->nullable || types[2]->nullable);
			return sl_rexpr_if(a, cargs[0], cargs[1], cargs[2], common);
		}
		return sl_rexpr_coalesce(a, cargs, nargs, with_nullable(a, common, all_nullable));
	}
	if (!lookup(a, name, types, nargs, (const sl_rexpr *const *)args, &id, cast_to, &result,
	            errp))
		return NULL;
	cargs = SL_ANEWN(a, sl_rexpr *, nargs + 1);
	for (int i = 0; i < nargs; i++) {
		cargs[i] = args[i];
		if (cast_to[i]) {
			const sl_type *t = with_nullable(a, cast_to[i], types[i]->nullable);
			if (args[i]->kind == SL_REXPR_CONST) {
				sl_datum d;
				if (sl_cast_datum(a, types[i], &args[i]->value, t, &d)) {
					cargs[i] = sl_rexpr_const(a, t, &d);
					continue;
				}
			}
			cargs[i] = sl_rexpr_cast(a, args[i], t, false);
		}
	}
	return sl_rexpr_call(a, id, cargs, nargs, result);
}
