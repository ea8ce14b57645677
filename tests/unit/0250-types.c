/*
 * 0250-types.c
 *	  planner/types.c: Flink's spelling, equality, implicit casts, common
 *	  supertypes and the DECIMAL result-type rules.
 */
#include "planner/types.h"
#include "tests/unit/test.h"

static sl_arena *A;

/* The spelling of t, in a static buffer good until the next call. */
static const char *
str(const sl_type *t)
{
	static sl_strbuf sb;
	sl_strbuf_reset(&sb);
	if (!t)
		return "(null)";
	sl_type_to_string(t, &sb);
	return sl_strbuf_str(&sb);
}

#define S(k) sl_type_simple(SL_TYPE_##k)
#define NN(t) sl_type_with_nullable(A, (t), false)
#define DEC(p, s) sl_type_new_decimal(A, (p), (s))

static void
test_spelling_simple(void)
{
	SL_CHECK_STR(str(S(BOOLEAN)), "BOOLEAN");
	SL_CHECK_STR(str(S(TINYINT)), "TINYINT");
	SL_CHECK_STR(str(S(SMALLINT)), "SMALLINT");
	SL_CHECK_STR(str(S(INT)), "INT");
	SL_CHECK_STR(str(S(BIGINT)), "BIGINT");
	SL_CHECK_STR(str(S(FLOAT)), "FLOAT");
	SL_CHECK_STR(str(S(DOUBLE)), "DOUBLE");
	SL_CHECK_STR(str(S(DECIMAL)), "DECIMAL(10, 0)");
	SL_CHECK_STR(str(S(CHAR)), "CHAR(1)");
	SL_CHECK_STR(str(S(VARCHAR)), "STRING");
	SL_CHECK_STR(str(S(BYTES)), "BYTES");
	SL_CHECK_STR(str(S(DATE)), "DATE");
	SL_CHECK_STR(str(S(TIME)), "TIME(0)");
	SL_CHECK_STR(str(S(TIMESTAMP)), "TIMESTAMP(3)");
	SL_CHECK_STR(str(S(TIMESTAMP_LTZ)), "TIMESTAMP_LTZ(3)");
	SL_CHECK_STR(str(S(INTERVAL_DT)), "INTERVAL SECOND(3)");
	SL_CHECK_STR(str(S(INTERVAL_YM)), "INTERVAL MONTH");
	SL_CHECK_STR(str(S(NULL)), "NULL");
	SL_CHECK(sl_type_simple(SL_TYPE_ROW) == NULL);
	SL_CHECK(sl_type_simple(SL_TYPE_ARRAY) == NULL);
	SL_CHECK(sl_type_simple(SL_TYPE_MAP) == NULL);
	/* Simple descriptors are shared and nullable. */
	SL_CHECK(S(INT) == S(INT));
	SL_CHECK(S(INT)->nullable);
}

static void
test_spelling_parameterized(void)
{
	SL_CHECK_STR(str(DEC(23, 3)), "DECIMAL(23, 3)");
	SL_CHECK_STR(str(NN(DEC(10, 2))), "DECIMAL(10, 2) NOT NULL");
	SL_CHECK_STR(str(sl_type_new_varchar(A, 20)), "VARCHAR(20)");
	SL_CHECK(sl_type_new_varchar(A, SL_VARCHAR_MAX) == S(VARCHAR));
	SL_CHECK_STR(str(sl_type_new_char(A, 3)), "CHAR(3)");
	SL_CHECK_STR(str(sl_type_new_bytes(A, 16)), "VARBINARY(16)");
	SL_CHECK_STR(str(sl_type_new_time(A, 3)), "TIME(3)");
	SL_CHECK_STR(str(sl_type_new_timestamp(A, SL_TYPE_TIMESTAMP, 6)), "TIMESTAMP(6)");
	SL_CHECK_STR(str(sl_type_new_timestamp(A, SL_TYPE_TIMESTAMP_LTZ, 9)), "TIMESTAMP_LTZ(9)");
	SL_CHECK_STR(str(NN(S(BIGINT))), "BIGINT NOT NULL");
	SL_CHECK_STR(str(NN(S(VARCHAR))), "STRING NOT NULL");
}

static void
test_spelling_time_attributes(void)
{
	const sl_type *rt = sl_type_with_time_attr(A, S(TIMESTAMP), SL_TIME_ATTR_ROWTIME);
	SL_CHECK_STR(str(rt), "TIMESTAMP(3) *ROWTIME*");
	SL_CHECK_STR(str(NN(rt)), "TIMESTAMP(3) NOT NULL *ROWTIME*");
	const sl_type *pt = NN(sl_type_with_time_attr(A, S(TIMESTAMP_LTZ), SL_TIME_ATTR_PROCTIME));
	SL_CHECK_STR(str(pt), "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*");
	/* Equality ignores the time attribute; the static descriptor is untouched. */
	SL_CHECK(sl_type_equal(rt, S(TIMESTAMP)));
	SL_CHECK_INT(S(TIMESTAMP)->time_attr, SL_TIME_ATTR_NONE);
	SL_CHECK(sl_type_with_time_attr(A, rt, SL_TIME_ATTR_ROWTIME) == rt);
}

static const sl_type *
bid_row(void)
{
	sl_type_field f[] = {
	    {"auction", S(BIGINT)},
	    {"channel", S(VARCHAR)},
	    {"dateTime", S(TIMESTAMP)},
	};
	return sl_type_new_row(A, 3, f);
}

static void
test_spelling_structured(void)
{
	SL_CHECK_STR(str(bid_row()), "ROW<`auction` BIGINT, `channel` STRING, `dateTime` TIMESTAMP(3)>");
	SL_CHECK_STR(str(NN(bid_row())),
	             "ROW<`auction` BIGINT, `channel` STRING, `dateTime` TIMESTAMP(3)> NOT NULL");
	sl_type_field q[] = {{"we`ird", NN(S(INT))}};
	SL_CHECK_STR(str(sl_type_new_row(A, 1, q)), "ROW<`we``ird` INT NOT NULL>");
	SL_CHECK_STR(str(sl_type_new_array(A, S(INT))), "ARRAY<INT>");
	SL_CHECK_STR(str(sl_type_new_map(A, S(VARCHAR), NN(S(BIGINT)))), "MAP<STRING, BIGINT NOT NULL>");
	SL_CHECK_STR(str(sl_type_new_array(A, bid_row())),
	             "ARRAY<ROW<`auction` BIGINT, `channel` STRING, `dateTime` TIMESTAMP(3)>>");
}

static void
test_equal(void)
{
	SL_CHECK(sl_type_equal(DEC(10, 2), DEC(10, 2)));
	SL_CHECK(!sl_type_equal(DEC(10, 2), DEC(10, 3)));
	SL_CHECK(!sl_type_equal(DEC(10, 2), NN(DEC(10, 2))));
	SL_CHECK(!sl_type_equal(S(INT), S(BIGINT)));
	SL_CHECK(sl_type_equal(bid_row(), bid_row()));
	sl_type_field f[] = {{"Auction", S(BIGINT)}, {"channel", S(VARCHAR)}, {"dateTime", S(TIMESTAMP)}};
	SL_CHECK(!sl_type_equal(bid_row(), sl_type_new_row(A, 3, f)));
	SL_CHECK(sl_type_equal(sl_type_new_array(A, S(INT)), sl_type_new_array(A, S(INT))));
	SL_CHECK(!sl_type_equal(sl_type_new_array(A, S(INT)), sl_type_new_array(A, S(BIGINT))));
	SL_CHECK(sl_type_with_nullable(A, NN(S(INT)), true) == S(INT));
}

static void
test_predicates(void)
{
	SL_CHECK(sl_type_is_numeric(S(TINYINT)) && sl_type_is_numeric(DEC(5, 2)) && sl_type_is_numeric(S(DOUBLE)));
	SL_CHECK(!sl_type_is_numeric(S(VARCHAR)) && !sl_type_is_numeric(S(BOOLEAN)));
	SL_CHECK(sl_type_is_string(S(CHAR)) && sl_type_is_string(S(VARCHAR)) && !sl_type_is_string(S(BYTES)));
	SL_CHECK(sl_type_is_temporal(S(DATE)) && sl_type_is_temporal(S(TIME)) &&
	         sl_type_is_temporal(S(TIMESTAMP)) && sl_type_is_temporal(S(TIMESTAMP_LTZ)));
	SL_CHECK(!sl_type_is_temporal(S(INTERVAL_DT)));
	SL_CHECK(sl_type_is_exact_integer(S(BIGINT)) && !sl_type_is_exact_integer(DEC(5, 0)));
	SL_CHECK_INT(sl_type_integer_decimal_precision(SL_TYPE_TINYINT), 3);
	SL_CHECK_INT(sl_type_integer_decimal_precision(SL_TYPE_SMALLINT), 5);
	SL_CHECK_INT(sl_type_integer_decimal_precision(SL_TYPE_INT), 10);
	SL_CHECK_INT(sl_type_integer_decimal_precision(SL_TYPE_BIGINT), 19);
	SL_CHECK_INT(sl_type_integer_decimal_precision(SL_TYPE_DOUBLE), 0);
}

static void
test_implicit_cast(void)
{
	static const sl_type_kind order[] = {SL_TYPE_TINYINT, SL_TYPE_SMALLINT, SL_TYPE_INT,
	                                     SL_TYPE_BIGINT, SL_TYPE_DECIMAL, SL_TYPE_FLOAT,
	                                     SL_TYPE_DOUBLE};
	for (size_t i = 0; i < SL_ARRAY_LEN(order); i++)
		for (size_t j = 0; j < SL_ARRAY_LEN(order); j++)
			SL_CHECK_INT(sl_type_can_implicit_cast(sl_type_simple(order[i]), sl_type_simple(order[j])),
			             i <= j);
	/* NULL to anything. */
	SL_CHECK(sl_type_can_implicit_cast(S(NULL), S(VARCHAR)));
	SL_CHECK(sl_type_can_implicit_cast(S(NULL), bid_row()));
	/* Strings among themselves, never to or from numbers. */
	SL_CHECK(sl_type_can_implicit_cast(sl_type_new_char(A, 3), S(VARCHAR)));
	SL_CHECK(sl_type_can_implicit_cast(S(VARCHAR), sl_type_new_varchar(A, 5)));
	SL_CHECK(!sl_type_can_implicit_cast(S(VARCHAR), S(INT)));
	SL_CHECK(!sl_type_can_implicit_cast(S(INT), S(VARCHAR)));
	SL_CHECK(!sl_type_can_implicit_cast(S(BOOLEAN), S(INT)));
	/* Temporal. */
	SL_CHECK(sl_type_can_implicit_cast(S(DATE), S(TIMESTAMP)));
	SL_CHECK(sl_type_can_implicit_cast(S(TIMESTAMP), sl_type_new_timestamp(A, SL_TYPE_TIMESTAMP, 6)));
	SL_CHECK(sl_type_can_implicit_cast(S(TIMESTAMP), S(TIMESTAMP_LTZ)));
	SL_CHECK(!sl_type_can_implicit_cast(S(TIMESTAMP), S(DATE)));
	SL_CHECK(!sl_type_can_implicit_cast(S(TIME), S(TIMESTAMP)));
	/* Nullability never blocks. */
	SL_CHECK(sl_type_can_implicit_cast(S(INT), NN(S(BIGINT))));
	/* Structured: element-wise. */
	SL_CHECK(sl_type_can_implicit_cast(sl_type_new_array(A, S(INT)), sl_type_new_array(A, S(BIGINT))));
	SL_CHECK(!sl_type_can_implicit_cast(sl_type_new_array(A, S(BIGINT)), sl_type_new_array(A, S(INT))));
	SL_CHECK(sl_type_can_implicit_cast(sl_type_new_map(A, S(VARCHAR), S(INT)),
	                                   sl_type_new_map(A, S(VARCHAR), S(DOUBLE))));
	sl_type_field f[] = {{"a", S(INT)}, {"b", S(VARCHAR)}, {"c", S(TIMESTAMP)}};
	SL_CHECK(!sl_type_can_implicit_cast(bid_row(), sl_type_new_row(A, 3, f)));
	SL_CHECK(sl_type_can_implicit_cast(sl_type_new_row(A, 3, f), bid_row()));
	SL_CHECK(!sl_type_can_implicit_cast(sl_type_new_row(A, 2, f), bid_row()));
}

static void
test_common_super(void)
{
#define SUP(x, y) str(sl_type_common_super(A, (x), (y)))
	SL_CHECK_STR(SUP(S(INT), S(BIGINT)), "BIGINT");
	SL_CHECK_STR(SUP(S(TINYINT), S(SMALLINT)), "SMALLINT");
	SL_CHECK_STR(SUP(NN(S(INT)), NN(S(INT))), "INT NOT NULL");
	SL_CHECK_STR(SUP(NN(S(INT)), S(INT)), "INT");
	SL_CHECK_STR(SUP(S(INT), S(DOUBLE)), "DOUBLE");
	SL_CHECK_STR(SUP(S(BIGINT), S(FLOAT)), "FLOAT");
	SL_CHECK_STR(SUP(DEC(10, 2), S(FLOAT)), "DOUBLE");
	SL_CHECK_STR(SUP(DEC(10, 2), S(DOUBLE)), "DOUBLE");
	/* Integers become DECIMAL(3|5|10|19, 0) next to a DECIMAL. */
	SL_CHECK_STR(SUP(S(BIGINT), DEC(4, 3)), "DECIMAL(22, 3)");
	SL_CHECK_STR(SUP(S(INT), DEC(5, 2)), "DECIMAL(12, 2)");
	SL_CHECK_STR(SUP(S(TINYINT), DEC(2, 1)), "DECIMAL(4, 1)");
	SL_CHECK_STR(SUP(DEC(10, 2), DEC(5, 4)), "DECIMAL(12, 4)");
	SL_CHECK_STR(SUP(DEC(38, 0), DEC(38, 10)), "DECIMAL(38, 10)");
	/* NULL. */
	SL_CHECK_STR(SUP(S(NULL), NN(S(INT))), "INT");
	SL_CHECK_STR(SUP(NN(DEC(5, 2)), S(NULL)), "DECIMAL(5, 2)");
	SL_CHECK_STR(SUP(S(NULL), S(NULL)), "NULL");
	/* Strings. */
	SL_CHECK_STR(SUP(NN(sl_type_new_char(A, 7)), NN(sl_type_new_char(A, 9))), "VARCHAR(9) NOT NULL");
	SL_CHECK_STR(SUP(sl_type_new_char(A, 3), sl_type_new_char(A, 3)), "CHAR(3)");
	SL_CHECK_STR(SUP(sl_type_new_char(A, 3), sl_type_new_varchar(A, 2)), "VARCHAR(3)");
	SL_CHECK_STR(SUP(sl_type_new_varchar(A, 3), S(VARCHAR)), "STRING");
	SL_CHECK(sl_type_common_super(A, S(VARCHAR), S(INT)) == NULL);
	SL_CHECK(sl_type_common_super(A, S(BOOLEAN), S(INT)) == NULL);
	/* Temporal: max precision, time attributes dropped. */
	const sl_type *rt = sl_type_with_time_attr(A, NN(S(TIMESTAMP)), SL_TIME_ATTR_ROWTIME);
	SL_CHECK_STR(SUP(rt, rt), "TIMESTAMP(3) NOT NULL");
	SL_CHECK_STR(SUP(rt, sl_type_new_timestamp(A, SL_TYPE_TIMESTAMP, 6)), "TIMESTAMP(6)");
	SL_CHECK_STR(SUP(S(DATE), S(TIMESTAMP)), "TIMESTAMP(3)");
	SL_CHECK_STR(SUP(S(TIMESTAMP), S(TIMESTAMP_LTZ)), "TIMESTAMP_LTZ(3)");
	SL_CHECK_STR(SUP(S(DATE), S(DATE)), "DATE");
	SL_CHECK(sl_type_common_super(A, S(TIME), S(DATE)) == NULL);
	/* Structured. */
	SL_CHECK_STR(SUP(sl_type_new_array(A, S(INT)), sl_type_new_array(A, S(BIGINT))), "ARRAY<BIGINT>");
	SL_CHECK_STR(SUP(sl_type_new_map(A, S(VARCHAR), S(INT)), sl_type_new_map(A, S(VARCHAR), DEC(5, 2))),
	             "MAP<STRING, DECIMAL(12, 2)>");
	sl_type_field f[] = {{"auction", S(INT)}, {"channel", sl_type_new_varchar(A, 3)}, {"dateTime", S(NULL)}};
	SL_CHECK_STR(SUP(bid_row(), sl_type_new_row(A, 3, f)),
	             "ROW<`auction` BIGINT, `channel` STRING, `dateTime` TIMESTAMP(3)>");
	SL_CHECK(sl_type_common_super(A, bid_row(), sl_type_new_row(A, 2, f)) == NULL);
	SL_CHECK(sl_type_common_super(A, sl_type_new_array(A, S(INT)), sl_type_new_array(A, S(VARCHAR))) == NULL);
#undef SUP
}

static void
test_decimal_arithmetic(void)
{
	/* Nexmark q1: BIGINT * 0.908 is DECIMAL(23, 3). */
	SL_CHECK_STR(str(sl_type_decimal_mul_result(A, DEC(3, 3), S(BIGINT))), "DECIMAL(23, 3)");
	SL_CHECK_STR(str(sl_type_decimal_mul_result(A, NN(DEC(3, 3)), NN(S(BIGINT)))), "DECIMAL(23, 3) NOT NULL");
	SL_CHECK_STR(str(sl_type_decimal_mul_result(A, DEC(10, 2), DEC(10, 2))), "DECIMAL(21, 4)");
	SL_CHECK_STR(str(sl_type_decimal_mul_result(A, DEC(38, 10), DEC(38, 10))), "DECIMAL(38, 6)");
	SL_CHECK_STR(str(sl_type_decimal_add_result(A, DEC(10, 2), DEC(5, 4))), "DECIMAL(13, 4)");
	SL_CHECK_STR(str(sl_type_decimal_add_result(A, S(INT), DEC(5, 2))), "DECIMAL(13, 2)");
	SL_CHECK_STR(str(sl_type_decimal_add_result(A, DEC(38, 2), DEC(38, 2))), "DECIMAL(38, 2)");
	SL_CHECK_STR(str(sl_type_decimal_add_result(A, DEC(38, 20), DEC(38, 0))), "DECIMAL(38, 6)");
	SL_CHECK_STR(str(sl_type_decimal_div_result(A, DEC(10, 2), DEC(5, 0))), "DECIMAL(16, 8)");
	SL_CHECK_STR(str(sl_type_decimal_div_result(A, DEC(5, 2), DEC(3, 1))), "DECIMAL(10, 6)");
	SL_CHECK_STR(str(sl_type_decimal_div_result(A, DEC(38, 2), S(BIGINT))), "DECIMAL(38, 6)");
	SL_CHECK_STR(str(sl_type_decimal_mod_result(A, DEC(10, 2), DEC(5, 0))), "DECIMAL(7, 2)");
	SL_CHECK_STR(str(sl_type_decimal_mod_result(A, S(BIGINT), DEC(4, 2))), "DECIMAL(4, 2)");
}

static void
test_aggregate_results(void)
{
	SL_CHECK_STR(str(sl_type_sum_result(A, NN(DEC(10, 2)))), "DECIMAL(38, 2)");
	SL_CHECK_STR(str(sl_type_sum_result(A, NN(S(BIGINT)))), "BIGINT");
	SL_CHECK_STR(str(sl_type_sum_result(A, S(INT))), "INT");
	SL_CHECK_STR(str(sl_type_sum_result(A, S(DOUBLE))), "DOUBLE");
	SL_CHECK(sl_type_sum_result(A, S(VARCHAR)) == NULL);
	SL_CHECK_STR(str(sl_type_avg_result(A, DEC(10, 2))), "DECIMAL(38, 6)");
	SL_CHECK_STR(str(sl_type_avg_result(A, DEC(20, 8))), "DECIMAL(38, 8)");
	SL_CHECK_STR(str(sl_type_avg_result(A, NN(S(BIGINT)))), "BIGINT");
	SL_CHECK_STR(str(sl_type_avg_result(A, S(DOUBLE))), "DOUBLE");
	SL_CHECK(sl_type_avg_result(A, S(BOOLEAN)) == NULL);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	A = sl_arena_new(NULL, "test");
	SL_RUN(test_spelling_simple);
	SL_RUN(test_spelling_parameterized);
	SL_RUN(test_spelling_time_attributes);
	SL_RUN(test_spelling_structured);
	SL_RUN(test_equal);
	SL_RUN(test_predicates);
	SL_RUN(test_implicit_cast);
	SL_RUN(test_common_super);
	SL_RUN(test_decimal_arithmetic);
	SL_RUN(test_aggregate_results);
	sl_arena_free(A);
	return SL_TEST_MAIN_END();
}
