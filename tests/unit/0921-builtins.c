/*
 * 0921-builtins.c
 *	  udf/builtins.c, the one registry of built-in scalar functions:
 *	  Flink's result types (MOD takes the divisor's type, ROUND/TRUNCATE
 *	  of a DECIMAL by constant digits, FLOOR/CEIL, COALESCE/IF
 *	  nullability), the implicit casts it asks for, and its messages for
 *	  a wrong arity, a wrong argument class and a non-constant digit count.
 *	  Also planner/types.c's type reader on its own (the grammar C function
 *	  signatures use).
 */
#include "udf/builtins.h"
#include "tests/unit/test.h"

static sl_arena *A;

static const sl_type *
nn(const sl_type *t)
{
	return sl_type_with_nullable(A, t, false);
}

/* The result type of name(types) as text, or the error message. */
static const char *
res(const char *name, int n, const sl_type *const *at, const sl_func_const *k)
{
	static char buf[256];
	const sl_type *cast_to[8], *r;
	sl_func_id id;
	sl_error *err = NULL;
	sl_strbuf sb = SL_STRBUF_INIT;
	if (!sl_udf_builtin_resolve(A, name, at, n, k, &id, cast_to, &r, &err)) {
		snprintf(buf, sizeof buf, "ERROR %s", err->message);
		sl_error_free(err);
		return buf;
	}
	sl_type_to_string(r, &sb);
	snprintf(buf, sizeof buf, "%s", sl_strbuf_str(&sb));
	sl_strbuf_free(&sb);
	return buf;
}

#define T(k) sl_type_simple(SL_TYPE_##k)
#define DEC(p, s) sl_type_new_decimal(A, p, s)

static void
test_mod(void)
{
	SL_CHECK_STR(res("MOD", 2, (const sl_type *[]){T(BIGINT), T(INT)}, NULL), "INT");
	SL_CHECK_STR(res("mod", 2, (const sl_type *[]){T(INT), T(BIGINT)}, NULL), "BIGINT");
	SL_CHECK_STR(res("%", 2, (const sl_type *[]){nn(T(BIGINT)), nn(T(SMALLINT))}, NULL),
	             "SMALLINT NOT NULL");
	SL_CHECK_STR(res("MOD", 2, (const sl_type *[]){DEC(5, 4), DEC(3, 2)}, NULL), "DECIMAL(5, 4)");
	SL_CHECK_STR(res("MOD", 2, (const sl_type *[]){DEC(10, 2), T(INT)}, NULL), "DECIMAL(10, 2)");
	SL_CHECK_STR(res("MOD", 2, (const sl_type *[]){T(VARCHAR), T(INT)}, NULL),
	             "ERROR argument 1 of function \"MOD\" must be a numeric value, not STRING");
}

static void
test_round(void)
{
	const sl_type *d = DEC(10, 2);
	sl_func_const k1[2] = {{false, 0}, {true, 1}}, k0[2] = {{false, 0}, {true, 0}};
	sl_func_const kneg[2] = {{false, 0}, {true, -1}}, k5[2] = {{false, 0}, {true, 5}};
	SL_CHECK_STR(res("ROUND", 2, (const sl_type *[]){d, T(INT)}, k1), "DECIMAL(10, 1)");
	SL_CHECK_STR(res("ROUND", 2, (const sl_type *[]){d, T(INT)}, k0), "DECIMAL(9, 0)");
	SL_CHECK_STR(res("ROUND", 2, (const sl_type *[]){d, T(INT)}, kneg), "DECIMAL(9, 0)");
	SL_CHECK_STR(res("ROUND", 2, (const sl_type *[]){d, T(INT)}, k5), "DECIMAL(10, 2)");
	SL_CHECK_STR(res("ROUND", 1, (const sl_type *[]){d}, NULL), "DECIMAL(9, 0)");
	SL_CHECK_STR(res("TRUNCATE", 2, (const sl_type *[]){DEC(38, 10), T(INT)}, k1),
	             "DECIMAL(30, 1)");
	SL_CHECK_STR(res("ROUND", 2, (const sl_type *[]){DEC(38, 2), T(INT)}, k1), "DECIMAL(38, 1)");
	SL_CHECK_STR(res("ROUND", 2, (const sl_type *[]){T(DOUBLE), T(INT)}, NULL), "DOUBLE");
	SL_CHECK_STR(res("ROUND", 2, (const sl_type *[]){d, T(INT)}, NULL),
	             "ERROR argument 2 of function \"ROUND\" must be a constant");
	SL_CHECK_STR(res("FLOOR", 1, (const sl_type *[]){d}, NULL), "DECIMAL(9, 0)");
	SL_CHECK_STR(res("CEIL", 1, (const sl_type *[]){DEC(5, 0)}, NULL), "DECIMAL(5, 0)");
}

static void
test_conditional(void)
{
	SL_CHECK_STR(res("COALESCE", 2, (const sl_type *[]){T(INT), nn(T(BIGINT))}, NULL),
	             "BIGINT NOT NULL");
	SL_CHECK_STR(res("COALESCE", 2, (const sl_type *[]){T(INT), T(BIGINT)}, NULL), "BIGINT");
	SL_CHECK_STR(res("IFNULL", 2, (const sl_type *[]){T(INT), nn(T(INT))}, NULL), "INT NOT NULL");
	SL_CHECK_STR(res("IF", 3, (const sl_type *[]){T(BOOLEAN), nn(T(INT)), nn(DEC(5, 2))}, NULL),
	             "DECIMAL(12, 2) NOT NULL");
	SL_CHECK_STR(res("NULLIF", 2, (const sl_type *[]){nn(T(INT)), nn(T(INT))}, NULL), "INT");
	/* may be NULL for non-NULL input: nullable whatever the arguments */
	SL_CHECK_STR(res("REGEXP_EXTRACT", 2, (const sl_type *[]){nn(T(VARCHAR)), nn(T(VARCHAR))}, NULL),
	             "STRING");
	SL_CHECK_STR(res("TO_TIMESTAMP", 1, (const sl_type *[]){nn(T(VARCHAR))}, NULL), "TIMESTAMP(3)");
	SL_CHECK_STR(res("CHAR_LENGTH", 1, (const sl_type *[]){nn(T(VARCHAR))}, NULL), "INT NOT NULL");
	SL_CHECK_STR(res("IF", 3, (const sl_type *[]){T(BOOLEAN), T(INT), T(DATE)}, NULL),
	             "ERROR arguments of function \"IF\" have no common type");
}

static void
test_messages_and_names(void)
{
	size_t n;
	const char *const *names = sl_udf_builtin_names(&n);
	bool lower = false, plus = false;
	SL_CHECK_STR(res("LOWER", 2, (const sl_type *[]){T(VARCHAR), T(VARCHAR)}, NULL),
	             "ERROR function \"LOWER\" takes 1 argument but 2 were given");
	SL_CHECK_STR(res("SUBSTRING", 1, (const sl_type *[]){T(VARCHAR)}, NULL),
	             "ERROR function \"SUBSTRING\" takes 2 to 3 arguments but 1 was given");
	SL_CHECK_STR(res("CONCAT", 0, NULL, NULL),
	             "ERROR function \"CONCAT\" takes at least 1 argument but 0 were given");
	SL_CHECK_STR(res("DATE_FORMAT", 2, (const sl_type *[]){T(INT), T(VARCHAR)}, NULL),
	             "ERROR no overload of function \"DATE_FORMAT\" takes arguments (INT, VARCHAR)");
	SL_CHECK_STR(res("NO_SUCH", 0, NULL, NULL), "ERROR no function named \"NO_SUCH\"");
	for (size_t i = 0; i < n; i++) {
		lower |= strcmp(names[i], "LOWER") == 0;
		plus |= strcmp(names[i], "+") == 0;
	}
	SL_CHECK(lower && !plus);
	SL_CHECK(sl_udf_builtin_exists("regexp_extract") && sl_udf_builtin_exists("proctime"));
	SL_CHECK(sl_udf_builtin_exists("md5") && sl_udf_builtin_exists("to_timestamp_ltz"));
	SL_CHECK(!sl_udf_builtin_exists("hash_code") && !sl_udf_builtin_exists("length"));
}

/* planner/types.c's reader alone: one type, defaults, NOT NULL, errors. */
static const char *
read_type(const char *text)
{
	static char buf[256];
	char why[128];
	sl_type_reader r = {A, text, 0, why, sizeof why, false};
	const sl_type *t;
	sl_strbuf sb = SL_STRBUF_INIT;
	if (!sl_type_read(&r, &t)) {
		snprintf(buf, sizeof buf, "ERROR %s", why);
		return buf;
	}
	sl_type_to_string(t, &sb);
	snprintf(buf, sizeof buf, "%s|%zu", sl_strbuf_str(&sb), r.pos);
	sl_strbuf_free(&sb);
	return buf;
}

static void
test_type_reader(void)
{
	SL_CHECK_STR(read_type("decimal(10,2) not null"), "DECIMAL(10, 2) NOT NULL|22");
	SL_CHECK_STR(read_type("DECIMAL"), "DECIMAL(10, 0)|7");
	SL_CHECK_STR(read_type("TIMESTAMP(3) WITH LOCAL TIME ZONE"), "TIMESTAMP_LTZ(3)|33");
	SL_CHECK_STR(read_type("TIMESTAMP"), "TIMESTAMP(6)|9");
	SL_CHECK_STR(read_type("VARCHAR(5)(x)"), "VARCHAR(5)|10");
	SL_CHECK_STR(read_type("ROW<a INT, `b c` STRING>"), "ROW<`a` INT, `b c` STRING>|24");
	SL_CHECK_STR(read_type("CHAR"), "CHAR(1)|4");
	SL_CHECK_STR(read_type("VARCHR"), "ERROR unknown type \"VARCHR\" at offset 0");
	SL_CHECK_STR(read_type("DECIMAL(39)"), "ERROR decimal precision 39 out of range 1..38 at offset 8");
	SL_CHECK_STR(read_type("DECIMAL(5, 6)"), "ERROR decimal scale 6 out of range 0..5 at offset 11");
	SL_CHECK_STR(read_type("ARRAY<INT>"),
	             "ERROR type ARRAY is not supported in C function signatures at offset 0");
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	A = sl_arena_new(NULL, "0921");
	SL_RUN(test_mod);
	SL_RUN(test_round);
	SL_RUN(test_conditional);
	SL_RUN(test_messages_and_names);
	SL_RUN(test_type_reader);
	sl_arena_free(A);
	return SL_TEST_MAIN_END();
}
