/*
 * runtime_int.h
 *	  Declarations shared by runtime/ files only: value formatting and
 *	  parsing (values.c), 128-bit decimal helpers, calendar arithmetic.
 */
#ifndef SL_RUNTIME_INT_H
#define SL_RUNTIME_INT_H

#include "runtime/chunk.h"

typedef __int128 sl_i128;

#define SL_US_PER_SEC INT64_C(1000000)
#define SL_US_PER_MIN (INT64_C(60) * SL_US_PER_SEC)
#define SL_US_PER_HOUR (INT64_C(60) * SL_US_PER_MIN)
#define SL_US_PER_DAY (INT64_C(24) * SL_US_PER_HOUR)

/* Floor division and modulo (toward negative infinity). */
static inline int64_t
sl_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}
static inline int64_t
sl_floormod(int64_t a, int64_t b)
{
	return a - sl_floordiv(a, b) * b;
}

/* Proleptic Gregorian calendar (as java.time). */
int32_t sl_civil_to_days(int64_t y, int m, int d);
void sl_days_to_civil(int32_t days, int *y, int *m, int *d);
bool sl_is_leap_year(int64_t y);
int sl_days_in_month(int64_t y, int m);

/* Broken-down timestamp (UTC). */
typedef struct sl_tm {
	int year, month, day;     /* month 1..12, day 1..31 */
	int hour, minute, second; /* 0..23, 0..59, 0..59 */
	int micro;                /* 0..999999 */
	int dow;                  /* ISO day of week: 1 = Monday .. 7 = Sunday */
	int doy;                  /* 1..366 */
} sl_tm;
void sl_ts_to_tm(int64_t us, sl_tm *tm);
int64_t sl_tm_to_ts(const sl_tm *tm); /* ignores dow/doy */

/* Powers of ten as 128-bit integers, 0..38. */
sl_i128 sl_pow10_i128(int n);
/* Decimal value of a vector row as 128 bits (either physical width). */
static inline sl_i128
sl_dec_get(const sl_vector *v, uint32_t row)
{
	return v->width == 16 ? SL_VEC_DATA(v, sl_i128)[row]
	                      : (sl_i128)SL_VEC_DATA(v, int64_t)[row];
}
static inline void
sl_dec_put(sl_vector *v, uint32_t row, sl_i128 x)
{
	if (v->width == 16)
		SL_VEC_DATA(v, sl_i128)[row] = x;
	else
		SL_VEC_DATA(v, int64_t)[row] = (int64_t)x;
}
/* Does |x| have at most precision digits? */
bool sl_dec_fits(sl_i128 x, int precision);
/* Rescale x from scale s1 to s2 with HALF_UP rounding; false on overflow
 * of 128 bits. */
bool sl_dec_rescale(sl_i128 x, int s1, int s2, sl_i128 *out);
/* Divide with HALF_UP rounding (d != 0). */
sl_i128 sl_i128_div_half_up(sl_i128 n, sl_i128 d);

/* Formatting into buf (at least 64 bytes); return the length. */
int sl_fmt_i128(sl_i128 v, char *buf);
int sl_fmt_decimal(sl_i128 unscaled, int scale, char *buf);          /* "-12.340" */
int sl_fmt_double_java(double d, char *buf);                         /* Java Double.toString */
int sl_fmt_float_java(float d, char *buf);                           /* Java Float.toString */
int sl_fmt_date(int32_t days, char *buf);                            /* "2026-01-01" */
int sl_fmt_timestamp_sql(int64_t us, int precision, char *buf);      /* "2026-01-01 00:00:00.000" */
int sl_fmt_timestamp_java(int64_t us, char *buf);                    /* "2026-01-01T00:00" */
int sl_fmt_time_sql(int64_t us, int precision, char *buf);           /* "12:00:00" */
int sl_fmt_time_java(int64_t us, char *buf);                         /* LocalTime.toString */

/* Parsing (leading/trailing whitespace allowed, as Flink's casts). All
 * return false on malformed input or overflow. */
bool sl_parse_i64(const char *s, size_t n, int64_t *out);
bool sl_parse_double(const char *s, size_t n, double *out);
/* Into unscaled at the given scale, HALF_UP; false if not a number or if
 * it needs more than precision digits. */
bool sl_parse_decimal(const char *s, size_t n, int precision, int scale, sl_i128 *out);
bool sl_rt_parse_bool(const char *s, size_t n, bool *out);
bool sl_parse_date(const char *s, size_t n, int32_t *out);           /* yyyy-[m]m-[d]d */
/* "yyyy-MM-dd[ HH:mm[:ss[.fffffffff]]]" (also 'T' as separator). */
bool sl_parse_timestamp(const char *s, size_t n, int64_t *out);
bool sl_parse_time(const char *s, size_t n, int64_t *out);

#endif /* SL_RUNTIME_INT_H */
