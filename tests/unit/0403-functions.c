/*
 * 0403-functions.c
 *	  runtime/: every built-in function with normal values, NULLs, empty
 *	  strings and boundaries: integer overflow, division by zero, DECIMAL
 *	  scale and HALF_UP rounding, leap years and day boundaries, negative
 *	  timestamps, the Nexmark URL patterns (REGEXP_EXTRACT, SPLIT_INDEX),
 *	  CAST / TRY_CAST between scalar types.
 */
#include "runtime/expr.h"
#include "runtime/runtime_int.h"
#include "tests/unit/0400-expr-util.h"
#include "tests/unit/test.h"

static sl_chunk *ONE;   /* no columns, one row */
static sl_chunk *STRS;  /* one STRING column: 'AbC', NULL, '' */

static const char *
eval_in(const sl_rexpr *e, sl_chunk *c)
{
	static char buf[2048];
	sl_error *err = NULL;
	sl_rexpr_prog *prog = sl_rexpr_prog_new(e, &err);
	if (!prog) {
		snprintf(buf, sizeof buf, "COMPILE %s: %s", sl_errcode_name(err->code), err->message);
		sl_error_free(err);
		return buf;
	}
	eval_text(prog, c, 1, false, buf, sizeof buf);
	sl_rexpr_prog_free(prog);
	return buf;
}

#define V(e) eval_in((e), ONE)
#define CHECK_V(e, want) SL_CHECK_STR(V(e), want)


static sl_rexpr *I(int32_t v) { return sl_rexpr_const_int(A, v); }
static sl_rexpr *L(int64_t v) { return sl_rexpr_const_bigint(A, v); }
static sl_rexpr *D(double v) { return sl_rexpr_const_double(A, v); }
static sl_rexpr *N(const char *lit) { return sl_rexpr_const_decimal_str(A, lit); }
static sl_rexpr *S(const char *s) { return sl_rexpr_const_str(A, s, strlen(s)); }
static sl_rexpr *NUL(sl_type_kind k) { return sl_rexpr_const_null(A, sl_rt_type(k)); }
static sl_rexpr *
TS(int y, int mo, int d, int h, int mi, int s, int ms)
{
	return sl_rexpr_const_timestamp(A, (int64_t)sl_civil_to_days(y, mo, d) * SL_US_PER_DAY +
	                                    h * SL_US_PER_HOUR + mi * SL_US_PER_MIN +
	                                    s * SL_US_PER_SEC + ms * 1000, 3);
}
static sl_rexpr *
CAST(sl_rexpr *e, const sl_type *t)
{
	return sl_rexpr_cast(A, e, t, false);
}
static sl_rexpr *
TRY(sl_rexpr *e, const sl_type *t)
{
	return sl_rexpr_cast(A, e, t, true);
}
static const sl_type *T(sl_type_kind k) { return sl_rt_type(k); }
static const sl_type *DEC(int p, int s) { return sl_rt_decimal(A, p, s); }

static void
test_integer_arithmetic(void)
{
	CHECK_V(call("+", 2, I(7), I(3)), "10");
	CHECK_V(call("-", 2, I(7), I(10)), "-3");
	CHECK_V(call("*", 2, I(-7), I(3)), "-21");
	CHECK_V(call("/", 2, I(7), I(2)), "3");
	CHECK_V(call("/", 2, I(-7), I(2)), "-3");
	CHECK_V(call("MOD", 2, I(7), I(3)), "1");
	CHECK_V(call("MOD", 2, I(-7), I(3)), "-1");
	CHECK_V(call("MOD", 2, I(7), I(-3)), "1");
	CHECK_V(call("%", 2, L(1000000007), I(123)), "44");
	CHECK_V(call("MOD", 2, L(INT64_MIN), I(-1)), "0");
	CHECK_V(call("+", 2, I(INT32_MAX), I(1)),
	        "ERROR numeric_value_out_of_range: numeric overflow in \"+\"");
	CHECK_V(call("-", 2, I(INT32_MIN), I(1)),
	        "ERROR numeric_value_out_of_range: numeric overflow in \"-\"");
	CHECK_V(call("*", 2, I(65536), I(65536)),
	        "ERROR numeric_value_out_of_range: numeric overflow in \"*\"");
	CHECK_V(call("/", 2, I(INT32_MIN), I(-1)),
	        "ERROR numeric_value_out_of_range: numeric overflow in \"/\"");
	CHECK_V(call("+", 2, L(INT64_MAX), I(1)),
	        "ERROR numeric_value_out_of_range: numeric overflow in \"+\"");
	CHECK_V(call("-", 2, L(INT64_MIN), L(1)),
	        "ERROR numeric_value_out_of_range: numeric overflow in \"-\"");
	CHECK_V(call("+", 2, I(INT32_MAX), L(1)), "2147483648"); /* widened to BIGINT */
	CHECK_V(call("+", 2, L(INT64_MAX - 1), I(1)), "9223372036854775807");
	CHECK_V(call("/", 2, I(7), I(0)), "ERROR division_by_zero: division by zero");
	CHECK_V(call("MOD", 2, L(5), L(0)), "ERROR division_by_zero: division by zero");
	CHECK_V(call("-", 1, I(5)), "-5");
	CHECK_V(call("-", 1, I(INT32_MIN)), "ERROR numeric_value_out_of_range: numeric overflow in \"-\"");
	CHECK_V(call("+", 2, I(1), NUL(SL_TYPE_INT)), "null");
	CHECK_V(call("/", 2, NUL(SL_TYPE_INT), I(0)), "null"); /* NULL, not an error */
}

static void
test_double_arithmetic(void)
{
	CHECK_V(call("+", 2, D(0.1), D(0.2)), "0.30000000000000004");
	CHECK_V(call("*", 2, D(1.5), I(2)), "3.0");
	CHECK_V(call("/", 2, D(1), D(0)), "Infinity");
	CHECK_V(call("/", 2, D(-1), D(0)), "-Infinity");
	CHECK_V(call("/", 2, I(1), D(4)), "0.25");
	CHECK_V(call("MOD", 2, D(7.5), D(2)), "1.5");
	CHECK_V(call("+", 2, D(1), N("0.5")), "1.5"); /* DECIMAL + DOUBLE is DOUBLE */
}

static void
test_decimal_arithmetic(void)
{
	sl_rexpr *e = call("*", 2, L(1000), N("0.908"));
	CHECK_V(e, "908.000");
	SL_CHECK_INT(e->type->precision, 23);
	SL_CHECK_INT(e->type->scale, 3);
	CHECK_V(call("*", 2, L(123456789), N("0.908")), "112098764.412");
	CHECK_V(call("*", 2, L(INT64_MAX), N("0.908")), "8374821809464136432.756");
	CHECK_V(call("+", 2, N("1.10"), N("2.205")), "3.305");
	CHECK_V(call("-", 2, N("1.5"), N("2.25")), "-0.75");
	CHECK_V(call("+", 2, N("0.5"), I(1)), "1.5");
	CHECK_V(call("/", 2, N("1.00"), I(3)), "0.3333333333333");
	CHECK_V(call("/", 2, N("2.00"), I(3)), "0.6666666666667"); /* HALF_UP */
	CHECK_V(call("/", 2, N("-2.00"), I(3)), "-0.6666666666667");
	CHECK_V(call("/", 2, N("1"), N("8")), "0.125000");
	CHECK_V(call("/", 2, N("1.0"), N("0.0")), "ERROR division_by_zero: division by zero");
	CHECK_V(call("MOD", 2, N("7.5"), N("2")), "1.5");
	CHECK_V(call("MOD", 2, N("-7.5"), N("2")), "-1.5");
	CHECK_V(call("*", 2, N("99999999999999999999.99999999999999999"), N("99999999999999999999")),
	        "ERROR numeric_value_out_of_range: numeric overflow in \"*\"");
	CHECK_V(call("<", 2, N("1.10"), N("1.1")), "false");
	CHECK_V(call("=", 2, N("1.10"), N("1.1")), "true");
	CHECK_V(call("=", 2, I(1), N("1.0")), "true");
	CHECK_V(call(">", 2, N("-0.01"), I(0)), "false");
}

static void
test_math(void)
{
	CHECK_V(call("ABS", 1, I(-5)), "5");
	CHECK_V(call("ABS", 1, I(INT32_MIN)), "ERROR numeric_value_out_of_range: numeric overflow in \"ABS\"");
	CHECK_V(call("ABS", 1, N("-1.50")), "1.50");
	CHECK_V(call("ABS", 1, D(-2.5)), "2.5");
	CHECK_V(call("ROUND", 2, N("2.345"), I(2)), "2.35");
	CHECK_V(call("ROUND", 2, N("-2.345"), I(2)), "-2.35");
	CHECK_V(call("ROUND", 1, N("-2.5")), "-3");
	CHECK_V(call("ROUND", 1, N("2.4")), "2");
	CHECK_V(call("ROUND", 2, N("1234.5"), I(-2)), "1200");
	CHECK_V(call("ROUND", 2, D(2.675), I(2)), "2.68");
	CHECK_V(call("ROUND", 2, D(-0.5), I(0)), "-1.0");
	CHECK_V(call("ROUND", 2, I(1250), I(-2)), "1300");
	CHECK_V(call("ROUND", 2, I(1249), I(-2)), "1200");
	CHECK_V(call("TRUNCATE", 2, N("2.349"), I(2)), "2.34");
	CHECK_V(call("FLOOR", 1, N("-2.5")), "-3");
	CHECK_V(call("CEIL", 1, N("2.1")), "3");
	CHECK_V(call("CEILING", 1, N("-2.1")), "-2");
	CHECK_V(call("FLOOR", 1, D(-2.5)), "-3.0");
	CHECK_V(call("CEIL", 1, D(2.1)), "3.0");
	CHECK_V(call("FLOOR", 1, I(7)), "7");
	CHECK_V(call("POWER", 2, I(2), I(10)), "1024.0");
	CHECK_V(call("SQRT", 1, I(16)), "4.0");
	CHECK_V(call("SQRT", 1, D(-1)), "NaN");
	CHECK_V(call("LN", 1, I(1)), "0.0");
	CHECK_V(call("LOG10", 1, I(1000)), "3.0");
	CHECK_V(call("LOG2", 1, I(8)), "3.0");
	CHECK_V(call("EXP", 1, I(0)), "1.0");
	CHECK_V(call("SIGN", 1, I(-3)), "-1");
	CHECK_V(call("SIGN", 1, D(2.5)), "1.0");
	CHECK_V(call("SIGN", 1, N("-0.50")), "-1.00");
	CHECK_V(call("GREATEST", 3, I(1), I(5), I(3)), "5");
	CHECK_V(call("LEAST", 3, S("b"), S("a"), S("c")), "a");
	CHECK_V(call("GREATEST", 2, I(1), NUL(SL_TYPE_INT)), "null");
	CHECK_V(call("GREATEST", 2, I(1), N("1.5")), "1.5");
}

static void
test_comparison(void)
{
	CHECK_V(call("<", 2, S("abc"), S("abd")), "true");
	CHECK_V(call("<", 2, S("a"), S("B")), "false"); /* byte order */
	CHECK_V(call("<", 2, S(""), S("a")), "true");
	CHECK_V(call("=", 2, S(""), S("")), "true");
	CHECK_V(call("<>", 2, S("ab"), S("abc")), "true");
	CHECK_V(call("<=", 2, S("abc"), S("ab")), "false");
	CHECK_V(call(">=", 2, L(INT64_MIN), L(INT64_MIN)), "true");
	CHECK_V(call("<", 2, I(INT32_MAX), L((int64_t)INT32_MAX + 1)), "true");
	CHECK_V(call(">", 2, TS(2024, 1, 1, 0, 0, 0, 1), TS(2024, 1, 1, 0, 0, 0, 0)), "true");
	CHECK_V(call("<", 2, TS(1969, 12, 31, 23, 59, 59, 999), TS(1970, 1, 1, 0, 0, 0, 0)), "true");
	CHECK_V(call("=", 2, sl_rexpr_const_date(A, 0), TS(1970, 1, 1, 0, 0, 0, 0)), "true");
	CHECK_V(call("!=", 2, D(0.0), D(-0.0)), "false");
	CHECK_V(call("=", 2, I(1), NUL(SL_TYPE_INT)), "null");
	CHECK_V(call("IS DISTINCT FROM", 2, I(1), NUL(SL_TYPE_INT)), "true");
	CHECK_V(call("IS DISTINCT FROM", 2, NUL(SL_TYPE_INT), NUL(SL_TYPE_INT)), "false");
	CHECK_V(call("IS NOT DISTINCT FROM", 2, I(2), I(2)), "true");
	CHECK_V(call("=", 2, sl_rexpr_const_bool(A, true), sl_rexpr_const_bool(A, true)), "true");
}

static void
test_strings(void)
{
	CHECK_V(call("LOWER", 1, S("AbC")), "abc");
	CHECK_V(call("UPPER", 1, S("abc")), "ABC");
	CHECK_V(call("UPPER", 1, S("")), "");
	CHECK_V(call("INITCAP", 1, S("hello wORLD-x")), "Hello World-X");
	CHECK_V(call("CHAR_LENGTH", 1, S("日本語")), "3");
	CHECK_V(call("CHARACTER_LENGTH", 1, S("")), "0");
	CHECK_V(call("SUBSTRING", 3, S("hello"), I(2), I(3)), "ell");
	CHECK_V(call("SUBSTRING", 2, S("hello"), I(0)), "hello");
	CHECK_V(call("SUBSTRING", 2, S("hello"), I(-3)), "llo");
	CHECK_V(call("SUBSTRING", 2, S("hello"), I(10)), "");
	CHECK_V(call("SUBSTRING", 3, S("hello"), I(2), I(-1)), "");
	CHECK_V(call("SUBSTRING", 3, S("hello"), I(4), I(100)), "lo");
	CHECK_V(call("SUBSTRING", 3, S("日本語"), I(2), I(1)), "本");
	CHECK_V(call("SUBSTR", 2, S("hello"), I(2)), "ello");
	CHECK_V(call("CONCAT", 3, S("a"), S(""), S("c")), "ac");
	CHECK_V(call("CONCAT", 2, S("a"), NUL(SL_TYPE_VARCHAR)), "null");
	CHECK_V(call("||", 2, S("a"), S("b")), "ab");
	CHECK_V(call("CONCAT_WS", 4, S("-"), S("a"), NUL(SL_TYPE_VARCHAR), S("b")), "a-b");
	CHECK_V(call("CONCAT_WS", 3, NUL(SL_TYPE_VARCHAR), S("a"), S("b")), "null");
	CHECK_V(call("CONCAT_WS", 3, S(""), S("a"), S("b")), "ab");
	CHECK_V(call("TRIM", 1, S("  ab  ")), "ab");
	CHECK_V(call("LTRIM", 1, S("  ab  ")), "ab  ");
	CHECK_V(call("RTRIM", 1, S("  ab  ")), "  ab");
	CHECK_V(call("TRIM", 2, S("xxabxx"), S("x")), "ab");
	CHECK_V(call("TRIM", 1, S("   ")), "");
	CHECK_V(call("REPLACE", 3, S("aXbXc"), S("X"), S("--")), "a--b--c");
	CHECK_V(call("REPLACE", 3, S("abc"), S(""), S("x")), "abc");
	CHECK_V(call("REPLACE", 3, S("aaa"), S("aa"), S("b")), "ba");
	CHECK_V(call("POSITION", 2, S("b"), S("abc")), "2");
	CHECK_V(call("POSITION", 2, S("z"), S("abc")), "0");
	CHECK_V(call("POSITION", 2, S(""), S("abc")), "1");
	CHECK_V(call("POSITION", 2, S("語"), S("日本語")), "3");
	CHECK_V(call("LOCATE", 3, S("b"), S("abcb"), I(3)), "4");
	CHECK_V(call("LPAD", 3, S("hi"), I(5), S("xy")), "xyxhi");
	CHECK_V(call("RPAD", 3, S("hi"), I(5), S("xy")), "hixyx");
	CHECK_V(call("LPAD", 3, S("hello"), I(2), S("x")), "he");
	CHECK_V(call("LPAD", 3, S("hi"), I(-1), S("x")), "null");
	CHECK_V(call("LPAD", 3, S("hi"), I(5), S("")), "null");
	CHECK_V(call("REPEAT", 2, S("ab"), I(3)), "ababab");
	CHECK_V(call("REPEAT", 2, S("ab"), I(0)), "");
	CHECK_V(call("REVERSE", 1, S("ab日")), "日ba");
	/* NULLs and empty strings from a column */
	SL_CHECK_STR(eval_in(call("LOWER", 1, sl_rexpr_col(A, 0, T(SL_TYPE_VARCHAR))), STRS),
	             "abc, null, ");
	SL_CHECK_STR(eval_in(call("CHAR_LENGTH", 1, sl_rexpr_col(A, 0, T(SL_TYPE_VARCHAR))), STRS),
	             "3, null, 0");
	SL_CHECK_STR(eval_in(call("SUBSTRING", 2, sl_rexpr_col(A, 0, T(SL_TYPE_VARCHAR)), I(2)), STRS),
	             "bC, null, ");
	SL_CHECK_STR(eval_in(call("CONCAT_WS", 3, S("-"), sl_rexpr_col(A, 0, T(SL_TYPE_VARCHAR)), S("x")),
	                     STRS), "AbC-x, x, -x");
	SL_CHECK_STR(eval_in(call("=", 2, sl_rexpr_col(A, 0, T(SL_TYPE_VARCHAR)), S("")), STRS),
	             "false, null, true");
}

static void
test_more_functions(void)
{
	CHECK_V(call("LEFT", 2, S("hello"), I(2)), "he");
	CHECK_V(call("LEFT", 2, S("hello"), I(-1)), "");
	CHECK_V(call("RIGHT", 2, S("hello"), I(3)), "llo");
	CHECK_V(call("RIGHT", 2, S("日本語"), I(10)), "日本語");
	CHECK_V(call("ASCII", 1, S("abc")), "97");
	CHECK_V(call("ASCII", 1, S("")), "0");
	CHECK_V(call("CHR", 1, I(97)), "a");
	CHECK_V(call("CHR", 1, I(97 + 255)), "a");
	CHECK_V(call("TO_BASE64", 1, S("hello")), "aGVsbG8=");
	CHECK_V(call("TO_BASE64", 1, S("")), "");
	CHECK_V(call("FROM_BASE64", 1, S("aGVsbG8=")), "hello");
	CHECK_V(call("FROM_BASE64", 1, S("aGk=")), "hi");
	CHECK_V(call("FROM_BASE64", 1, S("a!==")), "null");
	CHECK_V(call("LOG", 2, I(2), I(8)), "3.0");
	CHECK_V(call("LOG", 1, D(1)), "0.0");
	CHECK_V(call("PI", 0), "3.141592653589793");
	CHECK_V(call("SIN", 1, I(0)), "0.0");
	CHECK_V(call("COS", 1, I(0)), "1.0");
	CHECK_V(call("TAN", 1, I(0)), "0.0");
	CHECK_V(call("COT", 1, D(1)), "0.6420926159343306");
	CHECK_V(call("ASIN", 1, I(1)), "1.5707963267948966");
	CHECK_V(call("ACOS", 1, I(1)), "0.0");
	CHECK_V(call("ATAN", 1, I(1)), "0.7853981633974483");
	CHECK_V(call("ATAN2", 2, I(1), I(1)), "0.7853981633974483");
	CHECK_V(call("DEGREES", 1, call("PI", 0)), "180.0");
	CHECK_V(call("RADIANS", 1, I(180)), "3.141592653589793");
	{
		/* ITEM / CARDINALITY over ARRAY<BIGINT> and MAP<STRING, INT> columns */
		sl_type arr = {.kind = SL_TYPE_ARRAY, .nullable = true, .elem = T(SL_TYPE_BIGINT)};
		sl_type map = {.kind = SL_TYPE_MAP, .nullable = true, .key = T(SL_TYPE_VARCHAR),
		               .elem = T(SL_TYPE_INT)};
		const sl_type *ty[2] = {&arr, &map};
		sl_chunk *c = sl_chunk_new(ty, 2, 0);
		for (int i = 0; i < 3; i++) {
			uint32_t r = sl_chunk_append_row(c);
			sl_vector *av = c->cols[0], *mv = c->cols[1];
			av->offsets[r] = av->child_used;
			for (int k = 0; k < i; k++)
				SL_VEC_DATA(av->children[0], int64_t)[av->child_used++] = 10 * i + k;
			av->offsets[r + 1] = av->child_used;
			mv->offsets[r] = mv->child_used;
			for (int k = 0; k < i; k++) {
				SL_VEC_DATA(mv->children[0], sl_str)[mv->child_used] = k ? SL_STR_LIT("b") : SL_STR_LIT("a");
				SL_VEC_DATA(mv->children[1], int32_t)[mv->child_used++] = 100 * i + k;
			}
			mv->offsets[r + 1] = mv->child_used;
		}
		SL_CHECK_STR(eval_in(call("ITEM", 2, sl_rexpr_col(A, 0, &arr), I(2)), c), "null, null, 21");
		SL_CHECK_STR(eval_in(call("ITEM", 2, sl_rexpr_col(A, 0, &arr), I(1)), c), "null, 10, 20");
		SL_CHECK_STR(eval_in(call("ITEM", 2, sl_rexpr_col(A, 1, &map), S("b")), c), "null, null, 201");
		SL_CHECK_STR(eval_in(call("CARDINALITY", 1, sl_rexpr_col(A, 0, &arr)), c), "0, 1, 2");
		SL_CHECK_STR(eval_in(call("CARDINALITY", 1, sl_rexpr_col(A, 1, &map)), c), "0, 1, 2");
		SL_CHECK_STR(eval_in(call("COALESCE", 2, sl_rexpr_col(A, 0, &arr), sl_rexpr_col(A, 0, &arr)), c),
		             "[], [10], [20, 21]");
		sl_chunk_unref(c);
	}
}

static const char *URL = "https://www.nexmark.com/mgmt/item.htm?query=1&channel_id=1450921984";

static void
test_regex_split(void)
{
	const char *pat = "(&|^)channel_id=([^&]*)";
	CHECK_V(call("REGEXP_EXTRACT", 3, S(URL), S(pat), I(2)), "1450921984");
	CHECK_V(call("REGEXP_EXTRACT", 3, S("channel_id=abc&x=1"), S(pat), I(2)), "abc");
	CHECK_V(call("REGEXP_EXTRACT", 3, S(URL), S(pat), I(0)), "&channel_id=1450921984");
	CHECK_V(call("REGEXP_EXTRACT", 3, S(URL), S(pat), I(3)), "null");
	CHECK_V(call("REGEXP_EXTRACT", 3, S("https://www.nexmark.com/a/b/item.htm?query=1"), S(pat), I(2)),
	        "null");
	CHECK_V(call("REGEXP_EXTRACT", 2, S("foo123bar"), S("([0-9]+)")), "123");
	CHECK_V(call("REGEXP_EXTRACT", 3, S(""), S("(a*)"), I(1)), "");
	CHECK_V(call("REGEXP_EXTRACT", 2, S("abc"), S("(")),
	        "COMPILE invalid_parameter: invalid regular expression \"(\"");
	CHECK_V(call("REGEXP_REPLACE", 3, S("a1b22c"), S("[0-9]+"), S("#")), "a#b#c");
	CHECK_V(call("REGEXP_REPLACE", 3, S("john smith"), S("(\\w+) (\\w+)"), S("$2 $1")), "smith john");
	CHECK_V(call("REGEXP_REPLACE", 3, S(""), S("x"), S("y")), "");
	CHECK_V(call("REGEXP", 2, S("abc"), S("^a")), "true");
	CHECK_V(call("REGEXP", 2, S("abc"), S("^b")), "false");
	CHECK_V(call("SPLIT_INDEX", 3, S(URL), S("/"), I(3)), "mgmt");
	CHECK_V(call("SPLIT_INDEX", 3, S(URL), S("/"), I(4)), "item.htm?query=1&channel_id=1450921984");
	CHECK_V(call("SPLIT_INDEX", 3, S(URL), S("/"), I(5)), "null");
	CHECK_V(call("SPLIT_INDEX", 3, S(URL), S("/"), I(0)), "https:");
	CHECK_V(call("SPLIT_INDEX", 3, S(URL), S("/"), I(1)), "");
	CHECK_V(call("SPLIT_INDEX", 3, S(URL), S("/"), I(-1)), "null");
	CHECK_V(call("SPLIT_INDEX", 3, S("a::b::c"), S("::"), I(2)), "c");
	/* Flink splits with commons-lang's splitByWholeSeparatorPreserveAllTokens:
	 * an empty string has no pieces, so every index is NULL */
	CHECK_V(call("SPLIT_INDEX", 3, S(""), S(","), I(0)), "null");
	CHECK_V(call("SPLIT_INDEX", 3, S(",x"), S(","), I(0)), "");
	/* the q21 shape: CASE on LOWER of the extracted channel */
	{
		sl_rexpr *ch = call("LOWER", 1, call("REGEXP_EXTRACT", 3, S("a=1&channel_id=Apple"), S(pat), I(2)));
		sl_rexpr *w[2] = {call("=", 2, ch, S("apple")), call("=", 2, ch, S("google"))};
		sl_rexpr *t[2] = {S("0"), S("1")};
		CHECK_V(sl_rexpr_case(A, w, t, 2, S("9"), T(SL_TYPE_VARCHAR)), "0");
	}
}

static void
test_date_format_and_fields(void)
{
	sl_rexpr *ts = TS(2024, 2, 29, 13, 5, 9, 123);
	CHECK_V(call("DATE_FORMAT", 2, ts, S("yyyy-MM-dd HH:mm:ss")), "2024-02-29 13:05:09");
	CHECK_V(call("DATE_FORMAT", 2, ts, S("HH:mm")), "13:05");
	CHECK_V(call("DATE_FORMAT", 2, ts, S("yyyy-MM-dd HH:mm:ss.SSS")), "2024-02-29 13:05:09.123");
	CHECK_V(call("DATE_FORMAT", 2, ts, S("EEE, d MMM yyyy h:mm a")), "Thu, 29 Feb 2024 1:05 PM");
	CHECK_V(call("DATE_FORMAT", 2, ts, S("EEEE MMMM yy D")), "Thursday February 24 60");
	CHECK_V(call("DATE_FORMAT", 2, ts, S("yyyy'T'HH''")), "2024T13'");
	CHECK_V(call("DATE_FORMAT", 2, TS(2024, 12, 31, 23, 59, 59, 999), S("yyyy-MM-dd")), "2024-12-31");
	CHECK_V(call("DATE_FORMAT", 2, call("+", 2, TS(2024, 12, 31, 23, 59, 59, 999),
	                                 sl_rexpr_const_interval_dt(A, 1000)), S("yyyy-MM-dd HH:mm")),
	        "2025-01-01 00:00");
	CHECK_V(call("DATE_FORMAT", 2, sl_rexpr_const_timestamp(A, -1, 6), S("yyyy-MM-dd HH:mm:ss")),
	        "1969-12-31 23:59:59");
	CHECK_V(call("DATE_FORMAT", 2, TS(1900, 3, 1, 0, 0, 0, 0), S("yyyy-MM-dd E")), "1900-03-01 Thu");
	CHECK_V(call("DATE_FORMAT", 2, S("2024-02-29 13:05:09"), S("HH:mm")), "13:05");
	CHECK_V(call("DATE_FORMAT", 2, S("not a time"), S("HH:mm")), "null");
	CHECK_V(call("DATE_FORMAT", 2, ts, S("yyyy-QQ")),
	        "COMPILE invalid_parameter: invalid date format \"yyyy-QQ\": unsupported pattern letter 'Q'");
	{
		/* rows across minute/day boundaries (formatting reuses a bucket's text) */
		const sl_type *tt[1] = {T(SL_TYPE_TIMESTAMP)};
		sl_chunk *c = sl_chunk_new(tt, 1, 0);
		int64_t base = (int64_t)sl_civil_to_days(2024, 2, 28) * SL_US_PER_DAY + 23 * SL_US_PER_HOUR;
		int64_t v[] = {base + 59 * SL_US_PER_MIN + 59999999, base + SL_US_PER_HOUR,
		               base + SL_US_PER_HOUR + 1000, -SL_US_PER_MIN - 1, -SL_US_PER_MIN, 0};
		for (int i = 0; i < 6; i++)
			sl_chunk_set_i64(c, 0, sl_chunk_append_row(c), v[i]);
		SL_CHECK_STR(eval_in(call("DATE_FORMAT", 2, sl_rexpr_col(A, 0, tt[0]), S("MM-dd HH:mm")), c),
		             "02-28 23:59, 02-29 00:00, 02-29 00:00, 12-31 23:58, 12-31 23:59, 01-01 00:00");
		SL_CHECK_STR(eval_in(call("DATE_FORMAT", 2, sl_rexpr_col(A, 0, tt[0]), S("ss.SSS")), c),
		             "59.999, 00.000, 00.001, 59.999, 00.000, 00.000");
		sl_chunk_unref(c);
	}
	CHECK_V(call("HOUR", 1, ts), "13");
	CHECK_V(call("MINUTE", 1, ts), "5");
	CHECK_V(call("SECOND", 1, ts), "9");
	CHECK_V(call("HOUR", 1, sl_rexpr_const_timestamp(A, -1, 6)), "23");
	CHECK_V(call("MINUTE", 1, sl_rexpr_const_timestamp(A, -1, 6)), "59");
	CHECK_V(call("YEAR", 1, ts), "2024");
	CHECK_V(call("MONTH", 1, ts), "2");
	CHECK_V(call("DAYOFMONTH", 1, ts), "29");
	CHECK_V(call("DAYOFYEAR", 1, ts), "60");
	CHECK_V(call("DAYOFYEAR", 1, TS(2023, 12, 31, 0, 0, 0, 0)), "365");
	CHECK_V(call("QUARTER", 1, ts), "1");
	CHECK_V(call("DAYOFWEEK", 1, ts), "5");  /* Thursday; Sunday = 1 */
	CHECK_V(call("WEEK", 1, ts), "9");
	CHECK_V(call("WEEK", 1, TS(2021, 1, 3, 0, 0, 0, 0)), "53"); /* ISO: belongs to 2020 */
	CHECK_V(call("YEAR", 1, sl_rexpr_const_date(A, sl_civil_to_days(-44, 3, 15))), "-44");
	CHECK_V(call("EXTRACT", 2, S("YEAR"), ts), "2024");
	CHECK_V(call("EXTRACT", 2, S("MILLISECOND"), ts), "9123");
	CHECK_V(call("EXTRACT", 2, S("DOW"), ts), "5");
	CHECK_V(call("EXTRACT", 2, S("EPOCH"), TS(1970, 1, 2, 0, 0, 0, 0)), "86400");
	CHECK_V(call("EXTRACT", 2, S("FORTNIGHT"), ts), "COMPILE invalid_parameter: unknown time unit \"FORTNIGHT\"");
}

static void
test_time_arith(void)
{
	sl_rexpr *ts = TS(2024, 2, 29, 13, 5, 9, 123);
	sl_rexpr *neg = sl_rexpr_const_timestamp(A, -1, 3);
	CHECK_V(call("FLOOR", 2, ts, S("DAY")), "2024-02-29T00:00");
	CHECK_V(call("FLOOR", 2, neg, S("DAY")), "1969-12-31T00:00");
	CHECK_V(call("FLOOR", 2, neg, S("SECOND")), "1969-12-31T23:59:59");
	CHECK_V(call("CEIL", 2, ts, S("HOUR")), "2024-02-29T14:00");
	CHECK_V(call("CEIL", 2, TS(2024, 2, 29, 13, 0, 0, 0), S("HOUR")), "2024-02-29T13:00");
	CHECK_V(call("FLOOR", 2, ts, S("MONTH")), "2024-02-01T00:00");
	CHECK_V(call("CEIL", 2, ts, S("MONTH")), "2024-03-01T00:00");
	CHECK_V(call("FLOOR", 2, ts, S("YEAR")), "2024-01-01T00:00");
	CHECK_V(call("FLOOR", 2, ts, S("QUARTER")), "2024-01-01T00:00");
	CHECK_V(call("FLOOR", 2, ts, S("WEEK")), "2024-02-25T00:00");
	CHECK_V(call("FLOOR", 2, ts, S("MINUTE")), "2024-02-29T13:05");
	CHECK_V(call("+", 2, ts, sl_rexpr_const_interval_dt(A, SL_US_PER_DAY)), "2024-03-01T13:05:09.123");
	CHECK_V(call("-", 2, ts, sl_rexpr_const_interval_dt(A, 14 * SL_US_PER_HOUR)),
	        "2024-02-28T23:05:09.123");
	CHECK_V(call("+", 2, ts, sl_rexpr_const_interval_ym(A, 12)), "2025-02-28T13:05:09.123");
	CHECK_V(call("+", 2, sl_rexpr_const_interval_ym(A, 1), TS(2024, 1, 31, 0, 0, 0, 0)), "2024-02-29T00:00");
	CHECK_V(call("TIMESTAMPADD", 3, S("MONTH"), I(1), TS(2024, 1, 31, 10, 0, 0, 0)), "2024-02-29T10:00");
	CHECK_V(call("TIMESTAMPADD", 3, S("YEAR"), I(1), ts), "2025-02-28T13:05:09.123");
	CHECK_V(call("TIMESTAMPADD", 3, S("DAY"), I(-1), TS(1970, 1, 1, 0, 0, 0, 0)), "1969-12-31T00:00");
	CHECK_V(call("TIMESTAMPADD", 3, S("HOUR"), I(25), ts), "2024-03-01T14:05:09.123");
	CHECK_V(call("TIMESTAMPDIFF", 3, S("DAY"), TS(2024, 2, 28, 12, 0, 0, 0), TS(2024, 3, 1, 11, 0, 0, 0)), "1");
	CHECK_V(call("TIMESTAMPDIFF", 3, S("MONTH"), TS(2024, 1, 31, 0, 0, 0, 0), TS(2024, 2, 29, 0, 0, 0, 0)), "0");
	CHECK_V(call("TIMESTAMPDIFF", 3, S("MONTH"), TS(2024, 1, 15, 0, 0, 0, 0), TS(2024, 3, 15, 0, 0, 0, 0)), "2");
	CHECK_V(call("TIMESTAMPDIFF", 3, S("YEAR"), TS(2020, 2, 29, 0, 0, 0, 0), TS(2024, 2, 28, 0, 0, 0, 0)), "3");
	CHECK_V(call("TIMESTAMPDIFF", 3, S("HOUR"), TS(2024, 1, 1, 10, 0, 0, 0), TS(2024, 1, 1, 7, 30, 0, 0)), "-2");
	CHECK_V(call("TIMESTAMPDIFF", 3, S("SECOND"), neg, TS(1970, 1, 1, 0, 0, 1, 0)), "1");
	CHECK_V(call("TO_TIMESTAMP", 1, S("2024-02-29 13:05:09")), "2024-02-29T13:05:09");
	CHECK_V(call("TO_TIMESTAMP", 1, S("2024-02-29 13:05:09.5")), "2024-02-29T13:05:09.500");
	CHECK_V(call("TO_TIMESTAMP", 2, S("29/02/2024 13:05"), S("dd/MM/yyyy HH:mm")), "2024-02-29T13:05");
	CHECK_V(call("TO_TIMESTAMP", 2, S("20240229130509"), S("yyyyMMddHHmmss")), "2024-02-29T13:05:09");
	CHECK_V(call("TO_TIMESTAMP", 1, S("2023-02-29 00:00:00")), "null");
	CHECK_V(call("TO_TIMESTAMP", 1, S("garbage")), "null");
	CHECK_V(call("TO_DATE", 1, S("2024-02-29")), "2024-02-29");
	CHECK_V(call("TO_DATE", 1, S("2023-02-29")), "null");
	CHECK_V(call("TO_DATE", 2, S("20240229"), S("yyyyMMdd")), "2024-02-29");
	CHECK_V(call("UNIX_TIMESTAMP", 1, S("1970-01-01 00:00:10")), "10");
	CHECK_V(call("UNIX_TIMESTAMP", 1, S("1969-12-31 23:59:59")), "-1");
	CHECK_V(call("UNIX_TIMESTAMP", 2, S("2024-01-01"), S("yyyy-MM-dd")), "1704067200");
	CHECK_V(call("FROM_UNIXTIME", 1, L(0)), "1970-01-01 00:00:00");
	CHECK_V(call("FROM_UNIXTIME", 2, L(86400 * 59), S("yyyy-MM-dd")), "1970-03-01");
	CHECK_V(call("FROM_UNIXTIME", 1, L(-1)), "1969-12-31 23:59:59");
	/* CURRENT_TIMESTAMP: one value per evaluation, not NULL */
	CHECK_V(call("=", 2, call("CURRENT_TIMESTAMP", 0), call("NOW", 0)), "true");
	CHECK_V(call(">", 2, call("CURRENT_TIMESTAMP", 0), TS(2020, 1, 1, 0, 0, 0, 0)), "true");
	CHECK_V(call(">", 2, call("UNIX_TIMESTAMP", 0), L(1577836800)), "true");
	SL_CHECK(!call("CURRENT_TIMESTAMP", 0)->type->nullable);
}

static void
test_casts(void)
{
	CHECK_V(CAST(S("123"), T(SL_TYPE_INT)), "123");
	CHECK_V(CAST(S(" 42 "), T(SL_TYPE_BIGINT)), "42");
	CHECK_V(CAST(S("-9223372036854775808"), T(SL_TYPE_BIGINT)), "-9223372036854775808");
	CHECK_V(CAST(S("abc"), T(SL_TYPE_INT)), "ERROR invalid_cast: cannot cast \"abc\" to INT");
	CHECK_V(TRY(S("abc"), T(SL_TYPE_INT)), "null");
	CHECK_V(CAST(S(""), T(SL_TYPE_INT)), "ERROR invalid_cast: cannot cast \"\" to INT");
	CHECK_V(CAST(S("2147483648"), T(SL_TYPE_INT)), "ERROR invalid_cast: cannot cast \"2147483648\" to INT");
	CHECK_V(CAST(L(2147483648LL), T(SL_TYPE_INT)),
	        "ERROR numeric_value_out_of_range: value 2147483648 is out of range for INT");
	CHECK_V(TRY(L(2147483648LL), T(SL_TYPE_INT)), "null");
	CHECK_V(CAST(L(-5), T(SL_TYPE_TINYINT)), "-5");
	CHECK_V(CAST(D(1.9), T(SL_TYPE_INT)), "1");
	CHECK_V(CAST(D(-1.9), T(SL_TYPE_INT)), "-1");
	CHECK_V(CAST(N("-7.99"), T(SL_TYPE_BIGINT)), "-7");
	CHECK_V(CAST(N("12.345"), DEC(4, 2)), "12.35");
	CHECK_V(CAST(N("-12.345"), DEC(4, 2)), "-12.35");
	CHECK_V(CAST(S("2.5"), DEC(2, 0)), "3");
	CHECK_V(CAST(S("-2.5"), DEC(2, 0)), "-3");
	CHECK_V(CAST(S("1e3"), DEC(10, 2)), "1000.00");
	CHECK_V(CAST(N("999.5"), DEC(3, 0)),
	        "ERROR numeric_value_out_of_range: value 999.5 is out of range for DECIMAL");
	CHECK_V(CAST(I(123), DEC(5, 2)), "123.00");
	CHECK_V(CAST(I(1234), DEC(5, 2)),
	        "ERROR numeric_value_out_of_range: value 1234 is out of range for DECIMAL");
	CHECK_V(CAST(D(0.1), DEC(10, 3)), "0.100");
	CHECK_V(CAST(N("0.125"), T(SL_TYPE_DOUBLE)), "0.125");
	CHECK_V(CAST(sl_rexpr_const_bool(A, true), T(SL_TYPE_VARCHAR)), "TRUE");
	CHECK_V(CAST(D(1.5), T(SL_TYPE_VARCHAR)), "1.5");
	CHECK_V(CAST(D(1e20), T(SL_TYPE_VARCHAR)), "1.0E20");
	CHECK_V(CAST(N("12.30"), T(SL_TYPE_VARCHAR)), "12.30");
	CHECK_V(CAST(I(-17), T(SL_TYPE_VARCHAR)), "-17");
	CHECK_V(CAST(TS(2024, 2, 29, 13, 5, 9, 123), T(SL_TYPE_VARCHAR)), "2024-02-29 13:05:09.123");
	CHECK_V(CAST(sl_rexpr_const_date(A, sl_civil_to_days(2024, 2, 29)), T(SL_TYPE_VARCHAR)), "2024-02-29");
	CHECK_V(CAST(S("2024-02-29 13:05:09.5"), T(SL_TYPE_TIMESTAMP)), "2024-02-29T13:05:09.500");
	CHECK_V(CAST(S("2024-02-29T13:05"), T(SL_TYPE_TIMESTAMP)), "2024-02-29T13:05");
	CHECK_V(CAST(S("2024-02-29"), T(SL_TYPE_DATE)), "2024-02-29");
	CHECK_V(CAST(S("2024-02-30"), T(SL_TYPE_DATE)), "ERROR invalid_cast: cannot cast \"2024-02-30\" to DATE");
	CHECK_V(CAST(S("true"), T(SL_TYPE_BOOLEAN)), "true");
	CHECK_V(CAST(S("FALSE"), T(SL_TYPE_BOOLEAN)), "false");
	CHECK_V(TRY(S("maybe"), T(SL_TYPE_BOOLEAN)), "null");
	CHECK_V(CAST(S("1.5"), T(SL_TYPE_DOUBLE)), "1.5");
	CHECK_V(CAST(S("-Infinity"), T(SL_TYPE_DOUBLE)), "-Infinity");
	CHECK_V(CAST(TS(2024, 2, 29, 13, 5, 9, 123), T(SL_TYPE_DATE)), "2024-02-29");
	CHECK_V(CAST(sl_rexpr_const_timestamp(A, -1, 6), T(SL_TYPE_DATE)), "1969-12-31");
	CHECK_V(CAST(sl_rexpr_const_date(A, sl_civil_to_days(2024, 2, 29)), T(SL_TYPE_TIMESTAMP)),
	        "2024-02-29T00:00");
	CHECK_V(CAST(sl_rexpr_const_timestamp(A, 1999, 6), T(SL_TYPE_TIMESTAMP)), "1970-01-01T00:00:00.001");
	CHECK_V(CAST(NUL(SL_TYPE_VARCHAR), T(SL_TYPE_INT)), "null");
	CHECK_V(CAST(I(0), T(SL_TYPE_BOOLEAN)), "false");
}

int
main(int argc, char **argv)
{
	const sl_type *st[1];
	SL_TEST_MAIN_BEGIN(argc, argv);
	A = sl_arena_new(NULL, "test");
	ONE = sl_chunk_new(NULL, 0, 0);
	sl_chunk_append_row(ONE);
	st[0] = sl_rt_type(SL_TYPE_VARCHAR);
	STRS = sl_chunk_new(st, 1, 0);
	sl_chunk_append_row(STRS);
	sl_chunk_set_str(STRS, 0, 0, "AbC", 3);
	sl_chunk_append_row(STRS);
	sl_chunk_set_null(STRS, 0, 1);
	sl_chunk_append_row(STRS);
	sl_chunk_set_str(STRS, 0, 2, "", 0);
	SL_RUN(test_integer_arithmetic);
	SL_RUN(test_double_arithmetic);
	SL_RUN(test_decimal_arithmetic);
	SL_RUN(test_math);
	SL_RUN(test_comparison);
	SL_RUN(test_strings);
	SL_RUN(test_regex_split);
	SL_RUN(test_date_format_and_fields);
	SL_RUN(test_time_arith);
	SL_RUN(test_casts);
	SL_RUN(test_more_functions);
	sl_chunk_unref(ONE);
	sl_chunk_unref(STRS);
	sl_arena_free(A);
	return SL_TEST_MAIN_END();
}
