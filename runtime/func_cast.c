/*
 * func_cast.c
 *	  CAST and TRY_CAST between scalar types, with Flink's text formats:
 *	  numbers as Java prints them, DECIMAL in plain notation at its scale,
 *	  BOOLEAN as TRUE/FALSE, DATE yyyy-MM-dd, TIMESTAMP(p) as
 *	  "yyyy-MM-dd HH:mm:ss" plus p fraction digits. Narrowing numeric casts
 *	  check the range (SL_ERR_NUMERIC_OVERFLOW); text that does not parse
 *	  is SL_ERR_INVALID_CAST; TRY_CAST turns both into NULL.
 *
 * INTERFACE ROUTINES
 *	  sl_cast_vector, sl_cast_datum
 */
#include "runtime/expr_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *
kind_name(const sl_type *t)
{
	static const char *const names[] = {"NULL", "BOOLEAN", "TINYINT", "SMALLINT", "INT",
		"BIGINT", "FLOAT", "DOUBLE", "DECIMAL", "CHAR", "VARCHAR", "BYTES", "DATE", "TIME",
		"TIMESTAMP", "TIMESTAMP_LTZ", "INTERVAL DAY TO SECOND", "INTERVAL YEAR TO MONTH",
		"ROW", "ARRAY", "MAP"};
	return names[t->kind];
}

/* Result of casting one value. */
typedef enum { CAST_OK, CAST_NULL, CAST_BAD, CAST_OVERFLOW, CAST_UNSUPPORTED } cast_rc;

static bool
int_fits(int64_t v, const sl_type *t)
{
	switch (t->kind) {
	case SL_TYPE_TINYINT: return v >= INT8_MIN && v <= INT8_MAX;
	case SL_TYPE_SMALLINT: return v >= INT16_MIN && v <= INT16_MAX;
	case SL_TYPE_INT: return v >= INT32_MIN && v <= INT32_MAX;
	default: return true;
	}
}

static void
put_int(sl_vector *out, uint32_t r, int64_t v)
{
	switch (out->width) {
	case 1: SL_VEC_DATA(out, int8_t)[r] = (int8_t)v; break;
	case 2: SL_VEC_DATA(out, int16_t)[r] = (int16_t)v; break;
	case 4: SL_VEC_DATA(out, int32_t)[r] = (int32_t)v; break;
	default: SL_VEC_DATA(out, int64_t)[r] = v; break;
	}
}

/* Text of src row r into buf (>= 96 bytes); length or -1 if unsupported. */
static int
to_text(const sl_vector *src, uint32_t r, char *buf)
{
	const sl_type *t = src->type;
	switch (t->kind) {
	case SL_TYPE_BOOLEAN:
		return sprintf(buf, "%s", SL_VEC_DATA(src, uint8_t)[r] ? "TRUE" : "FALSE");
	case SL_TYPE_TINYINT:
	case SL_TYPE_SMALLINT:
	case SL_TYPE_INT:
	case SL_TYPE_BIGINT:
		return sprintf(buf, "%lld", (long long)sl_int_get(src, r));
	case SL_TYPE_FLOAT:
		return sl_fmt_float_java(SL_VEC_DATA(src, float)[r], buf);
	case SL_TYPE_DOUBLE:
		return sl_fmt_double_java(SL_VEC_DATA(src, double)[r], buf);
	case SL_TYPE_DECIMAL:
		return sl_fmt_decimal(sl_dec_get(src, r), t->scale, buf);
	case SL_TYPE_DATE:
		return sl_fmt_date(SL_VEC_DATA(src, int32_t)[r], buf);
	case SL_TYPE_TIME:
		return sl_fmt_time_sql(SL_VEC_DATA(src, int64_t)[r], t->precision, buf);
	case SL_TYPE_TIMESTAMP:
	case SL_TYPE_TIMESTAMP_LTZ:
		return sl_fmt_timestamp_sql(SL_VEC_DATA(src, int64_t)[r], t->precision, buf);
	case SL_TYPE_INTERVAL_DT:
	case SL_TYPE_INTERVAL_YM:
		return sprintf(buf, "%lld", (long long)sl_int_get(src, r));
	default:
		return -1;
	}
}

static int64_t
ts_truncate(int64_t us, int precision)
{
	int64_t m = 1;
	for (int i = precision; i < 6; i++)
		m *= 10;
	return precision >= 6 ? us : sl_floordiv(us, m) * m;
}

static cast_rc
cast_one(sl_kctx *k, const sl_vector *src, uint32_t r, sl_vector *out)
{
	const sl_type *from = src->type, *to = out->type;
	sl_type_kind fk = from->kind, tk = to->kind;

	/* from text */
	if (sl_type_is_str(from) && !sl_type_is_str(to)) {
		sl_str s = SL_VEC_DATA(src, sl_str)[r];
		switch (tk) {
		case SL_TYPE_BOOLEAN: {
			bool b;
			if (!sl_rt_parse_bool(s.ptr, s.len, &b))
				return CAST_BAD;
			SL_VEC_DATA(out, uint8_t)[r] = b;
			return CAST_OK;
		}
		case SL_TYPE_TINYINT:
		case SL_TYPE_SMALLINT:
		case SL_TYPE_INT:
		case SL_TYPE_BIGINT: {
			int64_t v;
			if (!sl_parse_i64(s.ptr, s.len, &v))
				return CAST_BAD;
			if (!int_fits(v, to))
				return CAST_BAD; /* Flink: NumberFormatException */
			put_int(out, r, v);
			return CAST_OK;
		}
		case SL_TYPE_FLOAT:
		case SL_TYPE_DOUBLE: {
			double d;
			if (!sl_parse_double(s.ptr, s.len, &d))
				return CAST_BAD;
			if (tk == SL_TYPE_FLOAT)
				SL_VEC_DATA(out, float)[r] = (float)d;
			else
				SL_VEC_DATA(out, double)[r] = d;
			return CAST_OK;
		}
		case SL_TYPE_DECIMAL: {
			sl_i128 v;
			double d;
			if (!sl_parse_decimal(s.ptr, s.len, to->precision, to->scale, &v))
				return sl_parse_double(s.ptr, s.len, &d) ? CAST_OVERFLOW : CAST_BAD;
			sl_dec_put(out, r, v);
			return CAST_OK;
		}
		case SL_TYPE_DATE: {
			int32_t d;
			int64_t us;
			if (sl_parse_date(s.ptr, s.len, &d)) {
				SL_VEC_DATA(out, int32_t)[r] = d;
				return CAST_OK;
			}
			if (!sl_parse_timestamp(s.ptr, s.len, &us))
				return CAST_BAD;
			SL_VEC_DATA(out, int32_t)[r] = (int32_t)sl_floordiv(us, SL_US_PER_DAY);
			return CAST_OK;
		}
		case SL_TYPE_TIME: {
			int64_t us;
			if (!sl_parse_time(s.ptr, s.len, &us))
				return CAST_BAD;
			SL_VEC_DATA(out, int64_t)[r] = ts_truncate(us, to->precision);
			return CAST_OK;
		}
		case SL_TYPE_TIMESTAMP:
		case SL_TYPE_TIMESTAMP_LTZ: {
			int64_t us;
			if (!sl_parse_timestamp(s.ptr, s.len, &us))
				return CAST_BAD;
			SL_VEC_DATA(out, int64_t)[r] = ts_truncate(us, to->precision);
			return CAST_OK;
		}
		case SL_TYPE_BYTES:
			SL_VEC_DATA(out, sl_str)[r] = s;
			return CAST_OK;
		default:
			return CAST_UNSUPPORTED;
		}
	}
	/* to text */
	if (sl_type_is_str(to) || tk == SL_TYPE_BYTES) {
		char buf[128];
		int len;
		if (sl_type_is_str(from) || fk == SL_TYPE_BYTES) {
			SL_VEC_DATA(out, sl_str)[r] = SL_VEC_DATA(src, sl_str)[r];
			return CAST_OK;
		}
		len = to_text(src, r, buf);
		if (len < 0)
			return CAST_UNSUPPORTED;
		SL_VEC_DATA(out, sl_str)[r] = sl_strheap_copy(k->heap, buf, (size_t)len);
		return CAST_OK;
	}
	switch (tk) {
	case SL_TYPE_BOOLEAN:
		if (fk == SL_TYPE_BOOLEAN)
			SL_VEC_DATA(out, uint8_t)[r] = SL_VEC_DATA(src, uint8_t)[r];
		else if (sl_type_is_int(from))
			SL_VEC_DATA(out, uint8_t)[r] = sl_int_get(src, r) != 0;
		else if (fk == SL_TYPE_DECIMAL)
			SL_VEC_DATA(out, uint8_t)[r] = sl_dec_get(src, r) != 0;
		else if (fk == SL_TYPE_DOUBLE || fk == SL_TYPE_FLOAT)
			SL_VEC_DATA(out, uint8_t)[r] = sl_num_get_double(src, r) != 0;
		else
			return CAST_UNSUPPORTED;
		return CAST_OK;
	case SL_TYPE_TINYINT:
	case SL_TYPE_SMALLINT:
	case SL_TYPE_INT:
	case SL_TYPE_BIGINT: {
		int64_t v;
		if (sl_type_is_int(from)) {
			v = sl_int_get(src, r);
		} else if (fk == SL_TYPE_BOOLEAN) {
			v = SL_VEC_DATA(src, uint8_t)[r];
		} else if (fk == SL_TYPE_DECIMAL) {
			sl_i128 x = sl_dec_get(src, r) / sl_pow10_i128(from->scale); /* truncate */
			if (x > INT64_MAX || x < INT64_MIN)
				return CAST_OVERFLOW;
			v = (int64_t)x;
		} else if (fk == SL_TYPE_DOUBLE || fk == SL_TYPE_FLOAT) {
			double d = sl_num_get_double(src, r);
			if (isnan(d))
				v = 0;
			else if (d >= 9223372036854775808.0 || d < -9223372036854775808.0)
				return CAST_OVERFLOW;
			else
				v = (int64_t)d;
		} else if (fk == SL_TYPE_INTERVAL_DT || fk == SL_TYPE_INTERVAL_YM) {
			v = sl_int_get(src, r);
		} else if (fk == SL_TYPE_TIMESTAMP || fk == SL_TYPE_TIMESTAMP_LTZ) {
			v = sl_floordiv(SL_VEC_DATA(src, int64_t)[r], SL_US_PER_SEC);
		} else {
			return CAST_UNSUPPORTED;
		}
		if (!int_fits(v, to))
			return CAST_OVERFLOW;
		put_int(out, r, v);
		return CAST_OK;
	}
	case SL_TYPE_FLOAT:
	case SL_TYPE_DOUBLE: {
		double d;
		if (sl_type_is_num(from))
			d = sl_num_get_double(src, r);
		else if (fk == SL_TYPE_BOOLEAN)
			d = SL_VEC_DATA(src, uint8_t)[r];
		else
			return CAST_UNSUPPORTED;
		if (tk == SL_TYPE_FLOAT)
			SL_VEC_DATA(out, float)[r] = (float)d;
		else
			SL_VEC_DATA(out, double)[r] = d;
		return CAST_OK;
	}
	case SL_TYPE_DECIMAL: {
		sl_i128 v;
		if (sl_type_is_int(from) || fk == SL_TYPE_BOOLEAN) {
			int64_t x = fk == SL_TYPE_BOOLEAN ? SL_VEC_DATA(src, uint8_t)[r] : sl_int_get(src, r);
			if (!sl_dec_rescale(x, 0, to->scale, &v))
				return CAST_OVERFLOW;
		} else if (fk == SL_TYPE_DECIMAL) {
			if (!sl_dec_rescale(sl_dec_get(src, r), from->scale, to->scale, &v))
				return CAST_OVERFLOW;
		} else if (fk == SL_TYPE_DOUBLE || fk == SL_TYPE_FLOAT) {
			char buf[64];
			double d = sl_num_get_double(src, r);
			if (!isfinite(d))
				return CAST_OVERFLOW;
			sl_fmt_double_java(d, buf); /* BigDecimal.valueOf(double) semantics */
			if (!sl_parse_decimal(buf, strlen(buf), to->precision, to->scale, &v))
				return CAST_OVERFLOW;
		} else {
			return CAST_UNSUPPORTED;
		}
		if (!sl_dec_fits(v, to->precision))
			return CAST_OVERFLOW;
		sl_dec_put(out, r, v);
		return CAST_OK;
	}
	case SL_TYPE_DATE:
		if (fk == SL_TYPE_DATE)
			SL_VEC_DATA(out, int32_t)[r] = SL_VEC_DATA(src, int32_t)[r];
		else if (sl_type_is_ts(from))
			SL_VEC_DATA(out, int32_t)[r] =
			    (int32_t)sl_floordiv(SL_VEC_DATA(src, int64_t)[r], SL_US_PER_DAY);
		else
			return CAST_UNSUPPORTED;
		return CAST_OK;
	case SL_TYPE_TIME:
		if (sl_type_is_ts(from))
			SL_VEC_DATA(out, int64_t)[r] =
			    ts_truncate(sl_floormod(SL_VEC_DATA(src, int64_t)[r], SL_US_PER_DAY), to->precision);
		else if (fk == SL_TYPE_TIME)
			SL_VEC_DATA(out, int64_t)[r] = ts_truncate(SL_VEC_DATA(src, int64_t)[r], to->precision);
		else
			return CAST_UNSUPPORTED;
		return CAST_OK;
	case SL_TYPE_TIMESTAMP:
	case SL_TYPE_TIMESTAMP_LTZ:
		if (fk == SL_TYPE_DATE)
			SL_VEC_DATA(out, int64_t)[r] = (int64_t)SL_VEC_DATA(src, int32_t)[r] * SL_US_PER_DAY;
		else if (sl_type_is_ts(from))
			SL_VEC_DATA(out, int64_t)[r] = ts_truncate(SL_VEC_DATA(src, int64_t)[r], to->precision);
		else if (sl_type_is_int(from) && tk == SL_TYPE_TIMESTAMP_LTZ) {
			int64_t s = sl_int_get(src, r), us;
			if (__builtin_mul_overflow(s, SL_US_PER_SEC, &us))
				return CAST_OVERFLOW;
			SL_VEC_DATA(out, int64_t)[r] = us;
		} else
			return CAST_UNSUPPORTED;
		return CAST_OK;
	case SL_TYPE_INTERVAL_DT:
	case SL_TYPE_INTERVAL_YM:
		if (fk == tk || sl_type_is_int(from)) {
			put_int(out, r, sl_int_get(src, r));
			return CAST_OK;
		}
		return CAST_UNSUPPORTED;
	case SL_TYPE_ROW:
	case SL_TYPE_ARRAY:
	case SL_TYPE_MAP:
		if (fk == tk) {
			sl_vector_copy_row(out, r, src, r, NULL);
			return CAST_OK;
		}
		return CAST_UNSUPPORTED;
	default:
		return CAST_UNSUPPORTED;
	}
}

bool
sl_cast_vector(sl_kctx *k, const sl_vector *src, const uint16_t *sel, uint32_t n,
               sl_vector *out, bool try_cast)
{
	const sl_type *from = src->type, *to = out->type;

	out->validity = NULL;
	if (src->validity) {
		sl_vec_own_validity(out);
		for (uint32_t i = 0; i < n; i++)
			sl_vec_set_validity(out, sel[i], sl_vec_valid(src, sel[i]));
	}
	if (from->kind == SL_TYPE_NULL) {
		for (uint32_t i = 0; i < n; i++)
			sl_vec_set_null(out, sel[i]);
		return true;
	}
	/* fast paths: integer widening, BIGINT -> DECIMAL(p >= 19, 0) (q1) */
	if (sl_type_is_int(from) && to->kind == SL_TYPE_BIGINT) {
		int64_t *o = SL_VEC_DATA(out, int64_t);
		for (uint32_t i = 0; i < n; i++)
			o[sel[i]] = sl_int_get(src, sel[i]);
		return true;
	}
	if (from->kind == SL_TYPE_BIGINT && to->kind == SL_TYPE_DECIMAL && to->scale == 0 &&
	    to->precision >= 19) {
		sl_i128 *o = SL_VEC_DATA(out, sl_i128);
		const int64_t *x = SL_VEC_DATA(src, int64_t);
		for (uint32_t i = 0; i < n; i++)
			o[sel[i]] = x[sel[i]];
		return true;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = sel[i];
		cast_rc rc;
		if (!sl_vec_valid(out, r))
			continue;
		rc = cast_one(k, src, r, out);
		if (rc == CAST_OK)
			continue;
		if (try_cast && rc != CAST_UNSUPPORTED) {
			sl_vec_set_null(out, r);
			continue;
		}
		if (rc == CAST_UNSUPPORTED)
			return sl_kernel_error(k, SL_ERR_INVALID_CAST, r, "cannot cast %s to %s",
			                       kind_name(from), kind_name(to));
		if (rc == CAST_OVERFLOW) {
			char buf[128];
			int len = to_text(src, r, buf);
			return sl_kernel_error(k, SL_ERR_NUMERIC_OVERFLOW, r,
			                       "value %s is out of range for %s",
			                       len > 0 ? buf : "?", kind_name(to));
		}
		{
			sl_str s = sl_type_is_str(from) ? SL_VEC_DATA(src, sl_str)[r] : (sl_str){1, "?"};
			return sl_kernel_error(k, SL_ERR_INVALID_CAST, r, "cannot cast \"%.*s\" to %s",
			                       (int)SL_MIN(s.len, 200), s.ptr, kind_name(to));
		}
	}
	return true;
}

bool
sl_cast_datum(sl_arena *a, const sl_type *from, const sl_datum *in, const sl_type *to,
              sl_datum *out)
{
	sl_vector *src, *dst;
	sl_strheap heap;
	sl_kctx k = {0};
	uint16_t sel0 = 0;
	bool ok;

	if (in->is_null) {
		out->is_null = true;
		return true;
	}
	src = sl_vector_new(from, 1);
	dst = sl_vector_new(to, 1);
	sl_strheap_init(&heap);
	k.heap = &heap;
	switch (from->kind) {
	case SL_TYPE_BOOLEAN: SL_VEC_DATA(src, uint8_t)[0] = in->v.b; break;
	case SL_TYPE_FLOAT: SL_VEC_DATA(src, float)[0] = (float)in->v.f; break;
	case SL_TYPE_DOUBLE: SL_VEC_DATA(src, double)[0] = in->v.f; break;
	case SL_TYPE_DECIMAL: sl_dec_put(src, 0, in->v.dec); break;
	case SL_TYPE_CHAR: case SL_TYPE_VARCHAR: case SL_TYPE_BYTES:
		SL_VEC_DATA(src, sl_str)[0] = in->v.s; break;
	default:
		if (src->width == 4)
			SL_VEC_DATA(src, int32_t)[0] = (int32_t)in->v.i;
		else if (src->width == 8)
			SL_VEC_DATA(src, int64_t)[0] = in->v.i;
		else if (src->width == 2)
			SL_VEC_DATA(src, int16_t)[0] = (int16_t)in->v.i;
		else
			SL_VEC_DATA(src, int8_t)[0] = (int8_t)in->v.i;
		break;
	}
	ok = sl_cast_vector(&k, src, &sel0, 1, dst, true) && sl_vec_valid(dst, 0);
	if (ok) {
		out->is_null = false;
		switch (to->kind) {
		case SL_TYPE_BOOLEAN: out->v.b = SL_VEC_DATA(dst, uint8_t)[0]; break;
		case SL_TYPE_FLOAT: out->v.f = SL_VEC_DATA(dst, float)[0]; break;
		case SL_TYPE_DOUBLE: out->v.f = SL_VEC_DATA(dst, double)[0]; break;
		case SL_TYPE_DECIMAL: out->v.dec = sl_dec_get(dst, 0); break;
		case SL_TYPE_CHAR: case SL_TYPE_VARCHAR: case SL_TYPE_BYTES: {
			sl_str s = SL_VEC_DATA(dst, sl_str)[0];
			out->v.s = (sl_str){s.len, sl_arena_strndup(a, s.ptr, s.len)};
			break;
		}
		default: out->v.i = sl_int_get(dst, 0); break;
		}
	}
	sl_strheap_destroy(&heap);
	sl_vector_free(src);
	sl_vector_free(dst);
	return ok;
}
