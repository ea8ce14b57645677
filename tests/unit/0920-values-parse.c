/*
 * 0920-values-parse.c
 *	  runtime/values.c text parsers at their edges: sl_parse_decimal with
 *	  exponents and digit counts that cannot fit the target scale, and
 *	  out-of-range precision/scale arguments (it used to assert inside
 *	  sl_pow10_i128); sl_parse_date / sl_parse_timestamp with years whose
 *	  day count or microsecond count does not fit (it used to overflow).
 *	  Every case must return false, never crash or wrap around.
 */
#include "runtime/runtime_int.h"
#include "tests/unit/test.h"

static bool
dec(const char *s, int p, int sc, sl_i128 *out)
{
	return sl_parse_decimal(s, strlen(s), p, sc, out);
}

static void
test_decimal_ok(void)
{
	sl_i128 v = 0;
	SL_CHECK(dec("12.345", 10, 2, &v));
	SL_CHECK_INT((long long)v, 1235);
	SL_CHECK(dec("-1.5e2", 10, 0, &v));
	SL_CHECK_INT((long long)v, -150);
	SL_CHECK(dec("1e-50", 38, 10, &v)); /* far below the scale: 0 */
	SL_CHECK_INT((long long)v, 0);
	SL_CHECK(dec("99999999999999999999999999999999999999", 38, 0, &v));
	SL_CHECK(v == sl_pow10_i128(38) - 1);
	SL_CHECK(dec("0.000000000000000000000000000000000000000000001", 10, 2, &v));
	SL_CHECK_INT((long long)v, 0);
}

/* A shift of the mantissa by more than 38 digits to reach the scale. */
static void
test_decimal_shift_beyond_38(void)
{
	sl_i128 v = 0;
	SL_CHECK(!dec("1e30", 38, 10, &v));
	SL_CHECK(!dec("1e38", 38, 1, &v));
	SL_CHECK(!dec("5e37", 38, 37, &v));
	SL_CHECK(!dec("1e1000", 38, 0, &v));
	SL_CHECK(!dec("123456789012345678901234567890123456789012345", 38, 5, &v));
	SL_CHECK(!dec("1.5e30", 38, 9, &v));
}

static void
test_decimal_bad_type(void)
{
	sl_i128 v = 0;
	SL_CHECK(!dec("1", 0, 0, &v));
	SL_CHECK(!dec("1", 39, 0, &v));
	SL_CHECK(!dec("1", 10, 11, &v));
	SL_CHECK(!dec("1", 10, -1, &v));
	SL_CHECK(!dec("1", -5, 0, &v));
}

static void
test_timestamp_ok(void)
{
	int64_t us = 0;
	int32_t d = 0;
	const char *s = "1970-01-02 00:00:01.5";
	SL_CHECK(sl_parse_timestamp(s, strlen(s), &us));
	SL_CHECK_INT(us, 86401500000LL);
	s = "9999-12-31 23:59:59.999999";
	SL_CHECK(sl_parse_timestamp(s, strlen(s), &us));
	s = "-0001-01-01";
	SL_CHECK(sl_parse_date(s, strlen(s), &d));
	SL_CHECK(d < 0);
	s = "200000-01-01 00:00:00";  /* inside int64 microseconds */
	SL_CHECK(sl_parse_timestamp(s, strlen(s), &us));
	SL_CHECK(us > 0);
}

static void
test_timestamp_huge_years(void)
{
	int64_t us = 0;
	int32_t d = 0;
	static const char *const ts[] = {
		"999999999-12-31 23:59:59",   /* days do not fit int32 */
		"-999999999-01-01 00:00:00",
		"300000-01-01 00:00:00",      /* days fit, microseconds do not */
		"-300000-01-01",
		"5000000-01-01",
	};
	for (size_t i = 0; i < SL_ARRAY_LEN(ts); i++) {
		us = 0;
		SL_CHECK(!sl_parse_timestamp(ts[i], strlen(ts[i]), &us));
	}
	{
		const char *s = "999999999-12-31";
		SL_CHECK(!sl_parse_date(s, strlen(s), &d));
		s = "-6000000-01-01";
		SL_CHECK(!sl_parse_date(s, strlen(s), &d));
	}
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_decimal_ok);
	SL_RUN(test_decimal_shift_beyond_38);
	SL_RUN(test_decimal_bad_type);
	SL_RUN(test_timestamp_ok);
	SL_RUN(test_timestamp_huge_years);
	return SL_TEST_MAIN_END();
}
