/*
 * func_arith.c
 *	  Kernels for arithmetic, comparison and math functions.
 *
 *	  Operands arrive cast to the overload's operand type (sl_udf_builtin_resolve):
 *	  both INT, both BIGINT, both DOUBLE, or DECIMALs with their own
 *	  precision/scale. Integer and DECIMAL arithmetic is checked: overflow
 *	  is SL_ERR_NUMERIC_OVERFLOW, an integer or DECIMAL division by zero is
 *	  SL_ERR_DIVISION_BY_ZERO; DOUBLE follows IEEE (as Java). DECIMAL
 *	  results are exact at the result scale, rounded HALF_UP.
 *
 * INTERFACE ROUTINES
 *	  sl_register_arith_kernels
 */
#include "runtime/expr_int.h"

#include <math.h>
#include <sys/random.h>
#include <time.h>
#include <stdio.h>
#include <string.h>

typedef enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD } arith_op;

static const char *const op_names[] = {"+", "-", "*", "/", "MOD"};

static bool
overflow(sl_kctx *k, uint32_t r, arith_op op)
{
	return sl_kernel_error(k, SL_ERR_NUMERIC_OVERFLOW, r, "numeric overflow in \"%s\"",
	                       op_names[op]);
}

static bool
divzero(sl_kctx *k, uint32_t r)
{
	return sl_kernel_error(k, SL_ERR_DIVISION_BY_ZERO, r, "division by zero");
}

/* Integer arithmetic, computed in 64 bits and stored at out's width. */
static bool
arith_int(sl_kctx *k, arith_op op, const sl_vector *a, const sl_vector *b, const uint16_t *sel,
          uint32_t n, sl_vector *out)
{
	bool i32 = out->width == 4 && a->width == 4 && b->width == 4;
	if (i32) {
		const int32_t *x = SL_VEC_DATA(a, int32_t), *y = SL_VEC_DATA(b, int32_t);
		int32_t *o = SL_VEC_DATA(out, int32_t);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			int32_t res;
			bool ovf = false;
			if (out->validity && !sl_vec_valid(out, r))
				continue;
			switch (op) {
			case OP_ADD: ovf = __builtin_add_overflow(x[r], y[r], &res); break;
			case OP_SUB: ovf = __builtin_sub_overflow(x[r], y[r], &res); break;
			case OP_MUL: ovf = __builtin_mul_overflow(x[r], y[r], &res); break;
			case OP_DIV:
				if (y[r] == 0)
					return divzero(k, r);
				if (x[r] == INT32_MIN && y[r] == -1)
					return overflow(k, r, op);
				res = x[r] / y[r];
				break;
			case OP_MOD:
				if (y[r] == 0)
					return divzero(k, r);
				res = y[r] == -1 ? 0 : x[r] % y[r];
				break;
			}
			if (ovf)
				return overflow(k, r, op);
			o[r] = res;
		}
		return true;
	}
	/* 64-bit (BIGINT operands, or MOD into a narrower result) */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = sel[i];
		int64_t x, y, res = 0;
		bool ovf = false;
		if (out->validity && !sl_vec_valid(out, r))
			continue;
		x = a->width == 8 ? SL_VEC_DATA(a, int64_t)[r] : sl_int_get(a, r);
		y = b->width == 8 ? SL_VEC_DATA(b, int64_t)[r] : sl_int_get(b, r);
		switch (op) {
		case OP_ADD: ovf = __builtin_add_overflow(x, y, &res); break;
		case OP_SUB: ovf = __builtin_sub_overflow(x, y, &res); break;
		case OP_MUL: ovf = __builtin_mul_overflow(x, y, &res); break;
		case OP_DIV:
			if (y == 0)
				return divzero(k, r);
			if (x == INT64_MIN && y == -1)
				return overflow(k, r, op);
			res = x / y;
			break;
		case OP_MOD:
			if (y == 0)
				return divzero(k, r);
			res = y == -1 ? 0 : x % y;
			break;
		}
		if (ovf)
			return overflow(k, r, op);
		switch (out->width) {
		case 8: SL_VEC_DATA(out, int64_t)[r] = res; break;
		case 4:
			if (res < INT32_MIN || res > INT32_MAX)
				return overflow(k, r, op);
			SL_VEC_DATA(out, int32_t)[r] = (int32_t)res;
			break;
		case 2:
			if (res < INT16_MIN || res > INT16_MAX)
				return overflow(k, r, op);
			SL_VEC_DATA(out, int16_t)[r] = (int16_t)res;
			break;
		default:
			if (res < INT8_MIN || res > INT8_MAX)
				return overflow(k, r, op);
			SL_VEC_DATA(out, int8_t)[r] = (int8_t)res;
			break;
		}
	}
	return true;
}

static bool
arith_double(arith_op op, const sl_vector *a, const sl_vector *b, const uint16_t *sel,
             uint32_t n, sl_vector *out)
{
	const double *x = SL_VEC_DATA(a, double), *y = SL_VEC_DATA(b, double);
	double *o = SL_VEC_DATA(out, double);
	switch (op) {
	case OP_ADD: for (uint32_t i = 0; i < n; i++) o[sel[i]] = x[sel[i]] + y[sel[i]]; break;
	case OP_SUB: for (uint32_t i = 0; i < n; i++) o[sel[i]] = x[sel[i]] - y[sel[i]]; break;
	case OP_MUL: for (uint32_t i = 0; i < n; i++) o[sel[i]] = x[sel[i]] * y[sel[i]]; break;
	case OP_DIV: for (uint32_t i = 0; i < n; i++) o[sel[i]] = x[sel[i]] / y[sel[i]]; break;
	case OP_MOD:
		for (uint32_t i = 0; i < n; i++)
			o[sel[i]] = fmod(x[sel[i]], y[sel[i]]);
		break;
	}
	return true;
}

/* DECIMAL a op b at out's precision/scale. */
static bool
arith_decimal(sl_kctx *k, arith_op op, const sl_vector *a, const sl_vector *b,
              const uint16_t *sel, uint32_t n, sl_vector *out)
{
	int s1 = a->type->scale, s2 = b->type->scale;
	int s = out->type->scale, p = out->type->precision;
	sl_i128 lim = sl_pow10_i128(p);

	/* fast path: 64-bit operands, product exact at the result scale (q1) */
	if (op == OP_MUL && a->width == 8 && b->width == 8 && s == s1 + s2) {
		const int64_t *x = SL_VEC_DATA(a, int64_t), *y = SL_VEC_DATA(b, int64_t);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			sl_i128 res;
			if (out->validity && !sl_vec_valid(out, r))
				continue;
			res = (sl_i128)x[r] * y[r];
			if (res >= lim || res <= -lim)
				return overflow(k, r, op);
			sl_dec_put(out, r, res);
		}
		return true;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = sel[i];
		sl_i128 x, y, res = 0;
		if (out->validity && !sl_vec_valid(out, r))
			continue;
		x = sl_dec_get(a, r);
		y = sl_dec_get(b, r);
		switch (op) {
		case OP_ADD:
		case OP_SUB:
		case OP_MOD: {
			int cs = SL_MAX(s1, s2);
			if (!sl_dec_rescale(x, s1, cs, &x) || !sl_dec_rescale(y, s2, cs, &y))
				return overflow(k, r, op);
			if (op == OP_ADD)
				res = x + y;
			else if (op == OP_SUB)
				res = x - y;
			else {
				if (y == 0)
					return divzero(k, r);
				res = x % y;
			}
			if (!sl_dec_rescale(res, cs, s, &res))
				return overflow(k, r, op);
			break;
		}
		case OP_MUL:
			if (__builtin_mul_overflow(x, y, &res))
				return overflow(k, r, op);
			if (!sl_dec_rescale(res, s1 + s2, s, &res))
				return overflow(k, r, op);
			break;
		case OP_DIV: {
			/* x/10^s1 / (y/10^s2) at scale s: x * 10^(s - s1 + s2) / y */
			int e = s - s1 + s2;
			if (y == 0)
				return divzero(k, r);
			if (e >= 0) {
				if (e > 38 || __builtin_mul_overflow(x, sl_pow10_i128(e), &x))
					return overflow(k, r, op);
				res = sl_i128_div_half_up(x, y);
			} else {
				if (-e > 38 || __builtin_mul_overflow(y, sl_pow10_i128(-e), &y))
					return overflow(k, r, op);
				res = sl_i128_div_half_up(x, y);
			}
			break;
		}
		}
		if (res >= lim || res <= -lim)
			return overflow(k, r, op);
		sl_dec_put(out, r, res);
	}
	return true;
}

static bool
arith(sl_kctx *k, arith_op op, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
      sl_vector *out)
{
	switch (out->type->kind) {
	case SL_TYPE_DOUBLE:
	case SL_TYPE_FLOAT:
		return arith_double(op, args[0], args[1], sel, n, out);
	case SL_TYPE_DECIMAL:
		return arith_decimal(k, op, args[0], args[1], sel, n, out);
	default:
		return arith_int(k, op, args[0], args[1], sel, n, out);
	}
}

#define ARITH_KERNEL(fname, op)                                                \
	static bool fname(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, \
	                  uint32_t n, sl_vector *out)                              \
	{                                                                          \
		return arith(k, op, args, sel, n, out);                                \
	}
ARITH_KERNEL(k_plus, OP_ADD)
ARITH_KERNEL(k_minus, OP_SUB)
ARITH_KERNEL(k_mul, OP_MUL)
ARITH_KERNEL(k_div, OP_DIV)
ARITH_KERNEL(k_mod, OP_MOD)

static bool
k_neg(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	const sl_vector *a = args[0];
	SL_FOR_VALID(out, sel, n, r) {
		switch (a->type->kind) {
		case SL_TYPE_DOUBLE: SL_VEC_DATA(out, double)[r] = -SL_VEC_DATA(a, double)[r]; break;
		case SL_TYPE_FLOAT: SL_VEC_DATA(out, float)[r] = -SL_VEC_DATA(a, float)[r]; break;
		case SL_TYPE_DECIMAL: sl_dec_put(out, r, -sl_dec_get(a, r)); break;
		default: {
			int64_t x = sl_int_get(a, r);
			int64_t lo = a->width == 8 ? INT64_MIN : a->width == 4 ? INT32_MIN
			             : a->width == 2 ? INT16_MIN : INT8_MIN;
			if (x == lo)
				return overflow(k, r, OP_SUB);
			switch (a->width) {
			case 8: SL_VEC_DATA(out, int64_t)[r] = -x; break;
			case 4: SL_VEC_DATA(out, int32_t)[r] = (int32_t)-x; break;
			case 2: SL_VEC_DATA(out, int16_t)[r] = (int16_t)-x; break;
			default: SL_VEC_DATA(out, int8_t)[r] = (int8_t)-x; break;
			}
		}
		}
	}
	return true;
}

static bool
k_pos(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	(void)k;
	SL_FOR_VALID(out, sel, n, r)
		sl_vector_copy_row(out, r, args[0], r, NULL);
	return true;
}

/* ---------------------------------------------------------------------
 * Comparison
 * ------------------------------------------------------------------- */
typedef enum { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE } cmp_op;

#define CMP_LOOP(T, OPER)                                                      \
	do {                                                                       \
		const T *x = SL_VEC_DATA(a, T), *y = SL_VEC_DATA(b, T);                \
		for (uint32_t i = 0; i < n; i++) {                                     \
			uint32_t r = sel[i];                                               \
			o[r] = x[r] OPER y[r];                                             \
		}                                                                      \
	} while (0)

#define CMP_ALL(T)                                                             \
	do {                                                                       \
		switch (op) {                                                          \
		case C_EQ: CMP_LOOP(T, ==); break;                                     \
		case C_NE: CMP_LOOP(T, !=); break;                                     \
		case C_LT: CMP_LOOP(T, <); break;                                      \
		case C_LE: CMP_LOOP(T, <=); break;                                     \
		case C_GT: CMP_LOOP(T, >); break;                                      \
		case C_GE: CMP_LOOP(T, >=); break;                                     \
		}                                                                      \
	} while (0)

static bool
compare(cmp_op op, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	const sl_vector *a = args[0], *b = args[1];
	uint8_t *o = SL_VEC_DATA(out, uint8_t);
	bool same_kind = a->type->kind == b->type->kind;
	sl_type_kind kd = a->type->kind;

	if (same_kind && (kd == SL_TYPE_INT || kd == SL_TYPE_DATE || kd == SL_TYPE_INTERVAL_YM)) {
		CMP_ALL(int32_t);
	} else if (same_kind && (kd == SL_TYPE_BIGINT || kd == SL_TYPE_TIMESTAMP ||
	                         kd == SL_TYPE_TIMESTAMP_LTZ || kd == SL_TYPE_TIME ||
	                         kd == SL_TYPE_INTERVAL_DT)) {
		CMP_ALL(int64_t);
	} else if (same_kind && kd == SL_TYPE_DOUBLE) {
		CMP_ALL(double);
	} else if (same_kind && kd == SL_TYPE_DECIMAL && a->type->scale == b->type->scale &&
	           a->width == 8 && b->width == 8) {
		CMP_ALL(int64_t);
	} else if (sl_type_is_str(a->type) && sl_type_is_str(b->type) && op <= C_NE) {
		const sl_str *x = SL_VEC_DATA(a, sl_str), *y = SL_VEC_DATA(b, sl_str);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			if (out->validity && !sl_vec_valid(out, r))
				continue; /* a NULL string's pointer may dangle */
			/* the first bytes before a memcmp call: most unequal strings
			 * of one length differ there */
			bool eq = x[r].len == y[r].len &&
			          (x[r].len == 0 || (x[r].ptr[0] == y[r].ptr[0] &&
			                             memcmp(x[r].ptr, y[r].ptr, x[r].len) == 0));
			o[r] = eq == (op == C_EQ);
		}
	} else {
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			int c;
			if (out->validity && !sl_vec_valid(out, r))
				continue;
			c = sl_value_cmp(a, r, b, r);
			switch (op) {
			case C_EQ: o[r] = c == 0; break;
			case C_NE: o[r] = c != 0; break;
			case C_LT: o[r] = c < 0; break;
			case C_LE: o[r] = c <= 0; break;
			case C_GT: o[r] = c > 0; break;
			case C_GE: o[r] = c >= 0; break;
			}
		}
	}
	return true;
}

#define CMP_KERNEL(fname, op)                                                  \
	static bool fname(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, \
	                  uint32_t n, sl_vector *out)                              \
	{                                                                          \
		(void)k;                                                               \
		return compare(op, args, sel, n, out);                                 \
	}
CMP_KERNEL(k_eq, C_EQ)
CMP_KERNEL(k_ne, C_NE)
CMP_KERNEL(k_lt, C_LT)
CMP_KERNEL(k_le, C_LE)
CMP_KERNEL(k_gt, C_GT)
CMP_KERNEL(k_ge, C_GE)

static bool
distinct(const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out, bool want)
{
	SL_FOR_SEL(sel, n, r) {
		bool va = sl_vec_valid(args[0], r), vb = sl_vec_valid(args[1], r);
		bool d = (va != vb) || (va && sl_value_cmp(args[0], r, args[1], r) != 0);
		SL_VEC_DATA(out, uint8_t)[r] = d == want;
	}
	return true;
}

static bool
k_is_distinct(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
              sl_vector *out)
{
	(void)k;
	return distinct(args, sel, n, out, true);
}

static bool
k_is_not_distinct(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
                  sl_vector *out)
{
	(void)k;
	return distinct(args, sel, n, out, false);
}

static bool
greatest_least(const sl_vector *const *args, int nargs, const uint16_t *sel, uint32_t n,
               sl_vector *out, bool greatest)
{
	SL_FOR_VALID(out, sel, n, r) {
		int best = 0;
		for (int i = 1; i < nargs; i++) {
			int c = sl_value_cmp(args[i], r, args[best], r);
			if (greatest ? c > 0 : c < 0)
				best = i;
		}
		sl_vector_copy_row(out, r, args[best], r, NULL);
	}
	return true;
}

static bool
k_greatest(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
           sl_vector *out)
{
	return greatest_least(args, k->e->nargs, sel, n, out, true);
}

static bool
k_least(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
        sl_vector *out)
{
	return greatest_least(args, k->e->nargs, sel, n, out, false);
}

static bool
k_nullif(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
         sl_vector *out)
{
	(void)k;
	SL_FOR_SEL(sel, n, r) {
		if (!sl_vec_valid(args[0], r) ||
		    (sl_vec_valid(args[1], r) && sl_value_cmp(args[0], r, args[1], r) == 0)) {
			sl_vec_set_null(out, r);
			continue;
		}
		sl_vector_copy_row(out, r, args[0], r, NULL);
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Math
 * ------------------------------------------------------------------- */
static bool
k_abs(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	const sl_vector *a = args[0];
	SL_FOR_VALID(out, sel, n, r) {
		switch (a->type->kind) {
		case SL_TYPE_DOUBLE: SL_VEC_DATA(out, double)[r] = fabs(SL_VEC_DATA(a, double)[r]); break;
		case SL_TYPE_FLOAT: SL_VEC_DATA(out, float)[r] = fabsf(SL_VEC_DATA(a, float)[r]); break;
		case SL_TYPE_DECIMAL: {
			sl_i128 x = sl_dec_get(a, r);
			sl_dec_put(out, r, x < 0 ? -x : x);
			break;
		}
		default: {
			int64_t x = sl_int_get(a, r);
			int64_t lo = a->width == 8 ? INT64_MIN : a->width == 4 ? INT32_MIN
			             : a->width == 2 ? INT16_MIN : INT8_MIN;
			if (x == lo)
				return sl_kernel_error(k, SL_ERR_NUMERIC_OVERFLOW, r, "numeric overflow in \"ABS\"");
			x = x < 0 ? -x : x;
			switch (a->width) {
			case 8: SL_VEC_DATA(out, int64_t)[r] = x; break;
			case 4: SL_VEC_DATA(out, int32_t)[r] = (int32_t)x; break;
			case 2: SL_VEC_DATA(out, int16_t)[r] = (int16_t)x; break;
			default: SL_VEC_DATA(out, int8_t)[r] = (int8_t)x; break;
			}
		}
		}
	}
	return true;
}

/* Java's BigDecimal.valueOf(d).setScale(digits, mode).doubleValue(). */
static double
round_double(double d, int digits, bool truncate)
{
	char buf[64];
	sl_i128 v;
	if (!isfinite(d))
		return d;
	sl_fmt_double_java(d, buf);
	if (truncate) {
		/* round toward zero: parse at a higher scale, then cut */
		if (digits > 30 || digits < -30 || !sl_parse_decimal(buf, strlen(buf), 38, digits + 8, &v))
			return d;
		if (digits + 8 >= 0) {
			v /= sl_pow10_i128(8);
		}
	} else if (digits > 30 || digits < -30 ||
	           !sl_parse_decimal(buf, strlen(buf), 38, digits < 0 ? 0 : digits, &v)) {
		return d;
	}
	if (digits < 0) {
		sl_i128 m = sl_pow10_i128(-digits);
		v = truncate ? v / m : sl_i128_div_half_up(v, m);
		return (double)(v * m);
	}
	return (double)v / (double)sl_pow10_i128(digits);
}

static bool
round_impl(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
           sl_vector *out, bool truncate)
{
	const sl_vector *a = args[0];
	bool has_d = k->e->nargs > 1;
	SL_FOR_VALID(out, sel, n, r) {
		int d = has_d ? (int)sl_int_get(args[1], r) : 0;
		switch (a->type->kind) {
		case SL_TYPE_DOUBLE:
			SL_VEC_DATA(out, double)[r] = round_double(SL_VEC_DATA(a, double)[r], d, truncate);
			break;
		case SL_TYPE_FLOAT:
			SL_VEC_DATA(out, float)[r] = (float)round_double(SL_VEC_DATA(a, float)[r], d, truncate);
			break;
		case SL_TYPE_DECIMAL: {
			sl_i128 x = sl_dec_get(a, r), res;
			int s = a->type->scale, os = out->type->scale;
			if (d >= s) {
				res = x;
			} else {
				sl_i128 m = sl_pow10_i128(SL_MIN(38, s - d));
				res = truncate ? x / m : sl_i128_div_half_up(x, m);
				/* back to the output scale */
				if (d < 0) {
					res *= sl_pow10_i128(-d);
					if (os > 0)
						res *= sl_pow10_i128(os);
				} else if (os > d) {
					res *= sl_pow10_i128(os - d);
				}
			}
			if (!sl_dec_fits(res, out->type->precision))
				return sl_kernel_error(k, SL_ERR_NUMERIC_OVERFLOW, r, "numeric overflow in \"ROUND\"");
			sl_dec_put(out, r, res);
			break;
		}
		default: {
			int64_t x = sl_int_get(a, r), res = x;
			if (d < 0 && d > -19) {
				int64_t m = 1;
				for (int i = 0; i < -d; i++)
					m *= 10;
				res = truncate ? x / m * m : (int64_t)sl_i128_div_half_up(x, m) * m;
			} else if (d <= -19) {
				res = 0;
			}
			switch (out->width) {
			case 8: SL_VEC_DATA(out, int64_t)[r] = res; break;
			case 4: SL_VEC_DATA(out, int32_t)[r] = (int32_t)res; break;
			case 2: SL_VEC_DATA(out, int16_t)[r] = (int16_t)res; break;
			default: SL_VEC_DATA(out, int8_t)[r] = (int8_t)res; break;
			}
		}
		}
	}
	return true;
}

static bool
k_round(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	return round_impl(k, args, sel, n, out, false);
}

static bool
k_truncate(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
           sl_vector *out)
{
	return round_impl(k, args, sel, n, out, true);
}

static bool
floor_ceil(const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out,
           bool ceil_)
{
	const sl_vector *a = args[0];
	SL_FOR_VALID(out, sel, n, r) {
		switch (a->type->kind) {
		case SL_TYPE_DOUBLE:
			SL_VEC_DATA(out, double)[r] = ceil_ ? ceil(SL_VEC_DATA(a, double)[r])
			                                    : floor(SL_VEC_DATA(a, double)[r]);
			break;
		case SL_TYPE_FLOAT:
			SL_VEC_DATA(out, float)[r] = ceil_ ? ceilf(SL_VEC_DATA(a, float)[r])
			                                   : floorf(SL_VEC_DATA(a, float)[r]);
			break;
		case SL_TYPE_DECIMAL: {
			sl_i128 x = sl_dec_get(a, r), m = sl_pow10_i128(a->type->scale);
			sl_i128 q = x / m, rem = x % m;
			if (rem != 0 && (ceil_ ? x > 0 : x < 0))
				q += ceil_ ? 1 : -1;
			sl_dec_put(out, r, q * sl_pow10_i128(out->type->scale));
			break;
		}
		default:
			sl_vector_copy_row(out, r, a, r, NULL);
			break;
		}
	}
	return true;
}

static bool
k_floor(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	(void)k;
	return floor_ceil(args, sel, n, out, false);
}

static bool
k_ceil(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	(void)k;
	return floor_ceil(args, sel, n, out, true);
}

#define MATH1(fname, EXPR)                                                     \
	static bool fname(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, \
	                  uint32_t n, sl_vector *out)                              \
	{                                                                          \
		const double *x = SL_VEC_DATA(args[0], double);                        \
		double *o = SL_VEC_DATA(out, double);                                  \
		(void)k;                                                               \
		for (uint32_t i = 0; i < n; i++) {                                     \
			double v = x[sel[i]];                                              \
			o[sel[i]] = (EXPR);                                                \
		}                                                                      \
		return true;                                                           \
	}
MATH1(k_sqrt, sqrt(v))
MATH1(k_ln, log(v))
MATH1(k_log10, log10(v))
MATH1(k_log2, log2(v))
MATH1(k_exp, exp(v))
MATH1(k_sin, sin(v))
MATH1(k_cos, cos(v))
MATH1(k_tan, tan(v))
MATH1(k_cot, 1.0 / tan(v))
MATH1(k_asin, asin(v))
MATH1(k_acos, acos(v))
MATH1(k_atan, atan(v))
MATH1(k_degrees, v * (180.0 / M_PI))
MATH1(k_radians, v * (M_PI / 180.0))

static bool
k_atan2(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	(void)k;
	SL_FOR_SEL(sel, n, r)
		SL_VEC_DATA(out, double)[r] = atan2(SL_VEC_DATA(args[0], double)[r],
		                                    SL_VEC_DATA(args[1], double)[r]);
	return true;
}

static bool
k_log(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	bool two = k->e->nargs > 1;
	SL_FOR_SEL(sel, n, r) {
		double x = SL_VEC_DATA(args[two ? 1 : 0], double)[r];
		SL_VEC_DATA(out, double)[r] = two ? log(x) / log(SL_VEC_DATA(args[0], double)[r]) : log(x);
	}
	return true;
}

static bool
k_pi(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	(void)k;
	(void)args;
	SL_FOR_SEL(sel, n, r)
		SL_VEC_DATA(out, double)[r] = M_PI;
	return true;
}

/* arr[i] (1-based; NULL when out of range), map[key] (NULL when absent). */
static bool
k_item(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	const sl_vector *c = args[0];
	bool is_map = c->type->kind == SL_TYPE_MAP;
	(void)k;
	SL_FOR_VALID(out, sel, n, r) {
		uint32_t b = c->offsets[r], e = c->offsets[r + 1];
		int64_t at = -1;
		if (!is_map) {
			int64_t i = sl_int_get(args[1], r);
			if (i >= 1 && i <= (int64_t)(e - b))
				at = b + i - 1;
		} else {
			for (uint32_t j = b; j < e && at < 0; j++)
				if (sl_vec_valid(c->children[0], j) &&
				    sl_value_cmp(c->children[0], j, args[1], r) == 0)
					at = j;
		}
		if (at < 0)
			sl_vec_set_null(out, r);
		else
			sl_vector_copy_row(out, r, c->children[is_map ? 1 : 0], (uint32_t)at, NULL);
	}
	return true;
}

static bool
k_cardinality(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
              sl_vector *out)
{
	(void)k;
	SL_FOR_VALID(out, sel, n, r)
		SL_VEC_DATA(out, int32_t)[r] = (int32_t)(args[0]->offsets[r + 1] - args[0]->offsets[r]);
	return true;
}

static bool
k_power(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	(void)k;
	SL_FOR_SEL(sel, n, r)
		SL_VEC_DATA(out, double)[r] = pow(SL_VEC_DATA(args[0], double)[r],
		                                  SL_VEC_DATA(args[1], double)[r]);
	return true;
}

static bool
k_sign(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	const sl_vector *a = args[0];
	(void)k;
	SL_FOR_VALID(out, sel, n, r) {
		switch (a->type->kind) {
		case SL_TYPE_DOUBLE: {
			double x = SL_VEC_DATA(a, double)[r];
			SL_VEC_DATA(out, double)[r] = x > 0 ? 1.0 : x < 0 ? -1.0 : x;
			break;
		}
		case SL_TYPE_FLOAT: {
			float x = SL_VEC_DATA(a, float)[r];
			SL_VEC_DATA(out, float)[r] = x > 0 ? 1.0f : x < 0 ? -1.0f : x;
			break;
		}
		case SL_TYPE_DECIMAL: {
			sl_i128 x = sl_dec_get(a, r);
			sl_dec_put(out, r, (x > 0 ? 1 : x < 0 ? -1 : 0) * sl_pow10_i128(a->type->scale));
			break;
		}
		default: {
			int64_t x = sl_int_get(a, r), s = x > 0 ? 1 : x < 0 ? -1 : 0;
			switch (out->width) {
			case 8: SL_VEC_DATA(out, int64_t)[r] = s; break;
			case 4: SL_VEC_DATA(out, int32_t)[r] = (int32_t)s; break;
			case 2: SL_VEC_DATA(out, int16_t)[r] = (int16_t)s; break;
			default: SL_VEC_DATA(out, int8_t)[r] = (int8_t)s; break;
			}
		}
		}
	}
	return true;
}

/* ---------------------------------------------------------------------
 * RAND, RAND_INTEGER
 * ------------------------------------------------------------------- */
bool
sl_rng_compile(sl_arena *a, const sl_rexpr *e, void **aux, sl_error **errp)
{
	sl_rng *g = sl_arena_alloc(a, sizeof *g);
	bool seeded = (e->fn == SL_FN_RAND && e->nargs == 1) ||
	              (e->fn == SL_FN_RAND_INTEGER && e->nargs == 2);
	if (seeded) {
		const sl_rexpr *s = e->args[0];
		while (s->kind == SL_REXPR_CAST)   /* RAND's seed is typed DOUBLE */
			s = s->args[0];
		if (s->kind != SL_REXPR_CONST) {
			*errp = sl_error_new(SL_ERR_INVALID_PARAMETER, SL_SPAN_NONE,
			                     "the seed of %s must be a constant",
			                     e->fn == SL_FN_RAND ? "RAND" : "RAND_INTEGER");
			return false;
		}
		/* a NULL seed: the kernel yields NULL (STRICT) */
		int64_t seed = s->value.is_null ? 0
		               : sl_type_is_int(s->type) ? s->value.v.i : (int64_t)s->value.v.f;
		g->s = (uint64_t)seed * UINT64_C(0x2545F4914F6CDD1D) ^ UINT64_C(0x5DEECE66D);
	} else if (getrandom(&g->s, sizeof g->s, 0) != (ssize_t)sizeof g->s) {
		g->s = (uint64_t)(uintptr_t)g ^ (uint64_t)time(NULL) * UINT64_C(0x9E3779B97F4A7C15);
	}
	*aux = g;
	return true;
}

/* RAND([seed]): a DOUBLE in [0, 1) (53 random bits). */
static bool
k_rand(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	sl_rng *g = k->aux;
	(void)args;
	SL_FOR_VALID(out, sel, n, r)
		SL_VEC_DATA(out, double)[r] = (double)(sl_rng_next(g) >> 11) * 0x1.0p-53;
	return true;
}

/* RAND_INTEGER([seed,] bound): an INT in [0, bound); bound <= 0 fails. */
static bool
k_rand_integer(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
               sl_vector *out)
{
	sl_rng *g = k->aux;
	const sl_vector *bv = args[k->e->nargs - 1];
	SL_FOR_VALID(out, sel, n, r) {
		int64_t bound = sl_int_get(bv, r);
		if (bound <= 0 || bound > INT32_MAX)
			return sl_kernel_error(k, SL_ERR_INVALID_PARAMETER, r,
			                       "RAND_INTEGER bound %lld is not in [1, %d]",
			                       (long long)bound, INT32_MAX);
		/* multiply-shift: unbiased enough for 31-bit bounds from 64 bits */
		SL_VEC_DATA(out, int32_t)[r] =
		    (int32_t)(((unsigned __int128)sl_rng_next(g) * (uint64_t)bound) >> 64);
	}
	return true;
}

void
sl_register_arith_kernels(sl_kernel_entry *t)
{
	t[SL_FN_RAND].fn = k_rand;
	t[SL_FN_RAND].compile = sl_rng_compile;
	t[SL_FN_RAND_INTEGER].fn = k_rand_integer;
	t[SL_FN_RAND_INTEGER].compile = sl_rng_compile;
	t[SL_FN_PLUS].fn = k_plus;
	t[SL_FN_MINUS].fn = k_minus;
	t[SL_FN_MUL].fn = k_mul;
	t[SL_FN_DIV].fn = k_div;
	t[SL_FN_MOD].fn = k_mod;
	t[SL_FN_MOD_OP].fn = k_mod;
	t[SL_FN_NEG].fn = k_neg;
	t[SL_FN_POS].fn = k_pos;
	t[SL_FN_EQ].fn = k_eq;
	t[SL_FN_NE].fn = k_ne;
	t[SL_FN_NE2].fn = k_ne;
	t[SL_FN_LT].fn = k_lt;
	t[SL_FN_LE].fn = k_le;
	t[SL_FN_GT].fn = k_gt;
	t[SL_FN_GE].fn = k_ge;
	t[SL_FN_IS_DISTINCT].fn = k_is_distinct;
	t[SL_FN_IS_NOT_DISTINCT].fn = k_is_not_distinct;
	t[SL_FN_GREATEST].fn = k_greatest;
	t[SL_FN_LEAST].fn = k_least;
	t[SL_FN_NULLIF].fn = k_nullif;
	t[SL_FN_ABS].fn = k_abs;
	t[SL_FN_ROUND].fn = k_round;
	t[SL_FN_TRUNCATE].fn = k_truncate;
	t[SL_FN_FLOOR].fn = k_floor;
	t[SL_FN_CEIL].fn = k_ceil;
	t[SL_FN_CEILING].fn = k_ceil;
	t[SL_FN_POWER].fn = k_power;
	t[SL_FN_SQRT].fn = k_sqrt;
	t[SL_FN_LN].fn = k_ln;
	t[SL_FN_LOG10].fn = k_log10;
	t[SL_FN_LOG2].fn = k_log2;
	t[SL_FN_EXP].fn = k_exp;
	t[SL_FN_SIGN].fn = k_sign;
	t[SL_FN_LOG].fn = k_log;
	t[SL_FN_PI].fn = k_pi;
	t[SL_FN_SIN].fn = k_sin;
	t[SL_FN_COS].fn = k_cos;
	t[SL_FN_TAN].fn = k_tan;
	t[SL_FN_COT].fn = k_cot;
	t[SL_FN_ASIN].fn = k_asin;
	t[SL_FN_ACOS].fn = k_acos;
	t[SL_FN_ATAN].fn = k_atan;
	t[SL_FN_ATAN2].fn = k_atan2;
	t[SL_FN_DEGREES].fn = k_degrees;
	t[SL_FN_RADIANS].fn = k_radians;
	t[SL_FN_ITEM_ARRAY].fn = k_item;
	t[SL_FN_ITEM_MAP].fn = k_item;
	t[SL_FN_CARDINALITY].fn = k_cardinality;
	t[SL_FN_CARDINALITY_MAP].fn = k_cardinality;
}
