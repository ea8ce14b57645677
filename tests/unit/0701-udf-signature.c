/*
 * 0701-udf-signature.c
 *	  Signature strings of C functions, the built-in registry and overload
 *	  resolution (no shared library involved).
 */
#include "udf/udf.h"

#include "tests/unit/test.h"

static const sl_type T_INT = {.kind = SL_TYPE_INT, .nullable = true};
static const sl_type T_BIGINT = {.kind = SL_TYPE_BIGINT, .nullable = true};
static const sl_type T_BIGINT_NN = {.kind = SL_TYPE_BIGINT, .nullable = false};
static const sl_type T_DOUBLE = {.kind = SL_TYPE_DOUBLE, .nullable = true};
static const sl_type T_STRING = {.kind = SL_TYPE_VARCHAR, .nullable = true, .precision = SL_VARCHAR_MAX};
static const sl_type T_CHAR1 = {.kind = SL_TYPE_CHAR, .nullable = false, .precision = 1};
static const sl_type T_DATE = {.kind = SL_TYPE_DATE, .nullable = true};
static const sl_type T_NULL = {.kind = SL_TYPE_NULL, .nullable = true};

/* Parse text and format it back as "RESULT(ARG, ...)". */
static const char *
roundtrip(sl_arena *a, const char *text)
{
	sl_udf_sig sig;
	sl_error *err = NULL;
	if (!sl_udf_parse_signature(a, text, &sig, &err)) {
		const char *m = sl_arena_strdup(a, err->message);
		sl_error_free(err);
		return m;
	}
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_udf_type_format(sig.result, &sb);
	sl_strbuf_append(&sb, "(");
	for (int i = 0; i < sig.nargs; i++) {
		if (i)
			sl_strbuf_append(&sb, ", ");
		if (sig.argnames[i])
			sl_strbuf_appendf(&sb, "%s ", sig.argnames[i]);
		sl_udf_type_format(sig.args[i], &sb);
	}
	sl_strbuf_append(&sb, ")");
	const char *r = sl_arena_strdup(a, sl_strbuf_str(&sb));
	sl_strbuf_free(&sb);
	return r;
}

static void
test_parse_ok(void)
{
	sl_arena *a = sl_arena_new(NULL, "test");
	SL_CHECK_STR(roundtrip(a, "BIGINT(VARCHAR, VARCHAR)"), "BIGINT(STRING, STRING)");
	SL_CHECK_STR(roundtrip(a, "bigint ( s varchar , c string )"), "BIGINT(s STRING, c STRING)");
	SL_CHECK_STR(roundtrip(a, "DOUBLE(value DOUBLE, weight BIGINT)"),
	             "DOUBLE(value DOUBLE, weight BIGINT)");
	SL_CHECK_STR(roundtrip(a, "ROW<word VARCHAR, pos INT>(VARCHAR)"),
	             "ROW<`word` STRING, `pos` INT>(STRING)");
	SL_CHECK_STR(roundtrip(a, "ROW(`my word` VARCHAR(10) NOT NULL)()"),
	             "ROW<`my word` VARCHAR(10) NOT NULL>()");
	SL_CHECK_STR(roundtrip(a, "DECIMAL(38, 10)(DECIMAL, NUMERIC(5), DEC(4,4))"),
	             "DECIMAL(38, 10)(DECIMAL(10, 0), DECIMAL(5, 0), DECIMAL(4, 4))");
	SL_CHECK_STR(roundtrip(a, "TIMESTAMP(3)(TIMESTAMP, TIMESTAMP(3) WITH LOCAL TIME ZONE, "
	                          "TIMESTAMP_LTZ(6), TIMESTAMP WITHOUT TIME ZONE)"),
	             "TIMESTAMP(3)(TIMESTAMP(6), TIMESTAMP_LTZ(3), TIMESTAMP_LTZ(6), TIMESTAMP(6))");
	SL_CHECK_STR(roundtrip(a, "BOOLEAN(TINYINT, SMALLINT, INTEGER, FLOAT, REAL, DOUBLE PRECISION)"),
	             "BOOLEAN(TINYINT, SMALLINT, INT, FLOAT, FLOAT, DOUBLE)");
	SL_CHECK_STR(roundtrip(a, "BYTES(VARBINARY(8), BINARY, CHAR, CHAR(3), DATE, TIME(3))"),
	             "BYTES(VARBINARY(8), VARBINARY(1), CHAR(1), CHAR(3), DATE, TIME(3))");
	SL_CHECK_STR(roundtrip(a, "INTERVAL DAY TO SECOND(INTERVAL YEAR TO MONTH, INTERVAL DAY(2), "
	                          "INTERVAL MONTH)"),
	             "INTERVAL DAY TO SECOND(INTERVAL YEAR TO MONTH, INTERVAL DAY TO SECOND, "
	             "INTERVAL YEAR TO MONTH)");
	/* A parameter named like a type. */
	SL_CHECK_STR(roundtrip(a, "INT(date DATE, `int` INT)"), "INT(date DATE, int INT)");
	SL_CHECK_STR(roundtrip(a, "BIGINT NOT NULL()"), "BIGINT NOT NULL()");
	sl_arena_free(a);
}

static void
test_parse_errors(void)
{
	sl_arena *a = sl_arena_new(NULL, "test");
	SL_CHECK_STR(roundtrip(a, "BIGINT(VARCHR)"),
	             "malformed signature \"BIGINT(VARCHR)\": unknown type \"VARCHR\" at offset 7");
	SL_CHECK_STR(roundtrip(a, ""), "malformed signature \"\": empty signature at offset 0");
	SL_CHECK_STR(roundtrip(a, "BIGINT"),
	             "malformed signature \"BIGINT\": expected \"(\" but the signature ended at offset 6");
	SL_CHECK_STR(roundtrip(a, "BIGINT(INT"),
	             "malformed signature \"BIGINT(INT\": expected \")\" but the signature ended at offset 10");
	SL_CHECK_STR(roundtrip(a, "BIGINT(INT) x"),
	             "malformed signature \"BIGINT(INT) x\": unexpected text after the parameters at offset 12");
	SL_CHECK_STR(roundtrip(a, "BIGINT(ARRAY<INT>)"),
	             "malformed signature \"BIGINT(ARRAY<INT>)\": type ARRAY is not supported in C "
	             "function signatures at offset 7");
	SL_CHECK_STR(roundtrip(a, "DECIMAL(40)()"),
	             "malformed signature \"DECIMAL(40)()\": decimal precision 40 out of range 1..38 at offset 8");
	SL_CHECK_STR(roundtrip(a, "DECIMAL(4, 5)()"),
	             "malformed signature \"DECIMAL(4, 5)()\": decimal scale 5 out of range 0..4 at offset 11");
	SL_CHECK_STR(roundtrip(a, "INT(ROW<a INT>)"),
	             "malformed signature \"INT(ROW<a INT>)\": a parameter cannot be a ROW at offset 14");
	SL_CHECK_STR(roundtrip(a, "ROW<a INT, A INT>()"),
	             "malformed signature \"ROW<a INT, A INT>()\": field \"A\" declared twice at offset 11");
	SL_CHECK_STR(roundtrip(a, "INT(INT NOT)"),
	             "malformed signature \"INT(INT NOT)\": expected NULL at offset 11");
	SL_CHECK_STR(roundtrip(a, "INT(INTERVAL YEAR TO SECOND)"),
	             "malformed signature \"INT(INTERVAL YEAR TO SECOND)\": an interval is either "
	             "YEAR TO MONTH or DAY TO SECOND at offset 27");
	SL_CHECK_STR(roundtrip(a, "INT(INT;)"),
	             "malformed signature \"INT(INT;)\": expected \")\" at offset 7");
	sl_arena_free(a);
}

static void
test_abi_type(void)
{
	sl_type dec = {.kind = SL_TYPE_DECIMAL, .nullable = true, .precision = 23, .scale = 3};
	sluice_udf_type t = sl_udf_abi_type(&dec);
	SL_CHECK_INT(t.kind, SLUICE_UDF_DECIMAL);
	SL_CHECK_INT(t.precision, 23);
	SL_CHECK_INT(t.scale, 3);
	SL_CHECK_INT(sl_udf_abi_type(&T_STRING).kind, SLUICE_UDF_VARCHAR);
	SL_CHECK_INT(sl_udf_abi_type(&T_BIGINT).kind, SLUICE_UDF_BIGINT);
	sl_type row = {.kind = SL_TYPE_ROW};
	SL_CHECK_INT(sl_udf_abi_type(&row).kind, SLUICE_UDF_TYPE_INVALID);
	/* The public header's string matches the engine's layout. */
	SL_CHECK_INT(sizeof(sluice_str), 16);
	SL_CHECK_INT(SLUICE_UDF_ABI_MAJOR_OF(SLUICE_UDF_ABI_VERSION), SLUICE_UDF_ABI_MAJOR);
	SL_CHECK_INT(SLUICE_UDF_ABI_MINOR_OF(SLUICE_UDF_ABI_VERSION), SLUICE_UDF_ABI_MINOR);
}

static int
plus_one(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
         const uint32_t *sel, uint32_t n, sluice_udf_out *out)
{
	(void)ctx, (void)nargs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		SLUICE_UDF_OUT(out, int64_t)[row] = SLUICE_UDF_IN(&args[0], int64_t)[row] + 1;
	}
	return 0;
}

static const sluice_udf_function b_bigint = {
	.name = "plus_one", .kind = SLUICE_UDF_SCALAR, .flags = SLUICE_UDF_DETERMINISTIC,
	.signature = "BIGINT(BIGINT)", .scalar = plus_one};
static const sluice_udf_function b_double = {
	.name = "plus_one", .kind = SLUICE_UDF_SCALAR, .signature = "DOUBLE(x DOUBLE)",
	.scalar = plus_one};
static const sluice_udf_function b_two = {
	.name = "two", .kind = SLUICE_UDF_SCALAR, .signature = "INT(BIGINT, DOUBLE)",
	.scalar = plus_one};
static const sluice_udf_function b_two2 = {
	.name = "two", .kind = SLUICE_UDF_SCALAR, .signature = "INT(DOUBLE, BIGINT)",
	.scalar = plus_one};
static const sluice_udf_function b_str = {
	.name = "strfn", .kind = SLUICE_UDF_SCALAR, .signature = "INT(VARCHAR)",
	.scalar = plus_one};

static void
test_builtins_and_resolve(void)
{
	sl_udf_registry *reg = sl_udf_registry_new();
	sl_error *err = NULL;
	SL_CHECK(sl_udf_add_builtin(reg, &b_bigint, NULL));
	SL_CHECK(sl_udf_add_builtin(reg, &b_double, NULL));
	SL_CHECK(sl_udf_add_builtin(reg, &b_two, NULL));
	SL_CHECK(sl_udf_add_builtin(reg, &b_two2, NULL));
	SL_CHECK(sl_udf_add_builtin(reg, &b_str, NULL));
	SL_CHECK(!sl_udf_add_builtin(reg, &b_bigint, &err));
	SL_CHECK_STR(err ? err->message : NULL,
	             "built-in function \"plus_one\" is declared twice with the signature \"BIGINT(BIGINT)\"");
	sl_error_free(err);
	err = NULL;
	SL_CHECK_INT(sl_udf_count(reg), 3);
	const sl_udf_entry *e = sl_udf_lookup(reg, "PLUS_ONE");
	SL_CHECK(e && e->builtin && e->nfns == 2);

	/* Exact match, then widening. */
	const sl_type *a1[] = {&T_BIGINT};
	const sl_udf_fn *fn = sl_udf_resolve(reg, "plus_one", a1, 1, NULL);
	SL_CHECK(fn && fn->sig.result->kind == SL_TYPE_BIGINT);
	const sl_type *a2[] = {&T_INT};
	fn = sl_udf_resolve(reg, "plus_one", a2, 1, NULL);
	SL_CHECK(fn && fn->sig.result->kind == SL_TYPE_BIGINT);   /* INT->BIGINT is cheaper */
	const sl_type *a3[] = {&T_DOUBLE};
	fn = sl_udf_resolve(reg, "plus_one", a3, 1, NULL);
	SL_CHECK(fn && fn->sig.result->kind == SL_TYPE_DOUBLE);
	const sl_type *a4[] = {&T_NULL};
	fn = sl_udf_resolve(reg, "strfn", a4, 1, NULL);
	SL_CHECK(fn != NULL);
	const sl_type *a5[] = {&T_CHAR1};
	fn = sl_udf_resolve(reg, "strfn", a5, 1, NULL);
	SL_CHECK(fn != NULL);

	/* No match. */
	const sl_type *bad[] = {&T_STRING};
	SL_CHECK(!sl_udf_resolve(reg, "plus_one", bad, 1, &err));
	SL_CHECK(err && err->code == SL_ERR_DATATYPE_MISMATCH);
	SL_CHECK_STR(err ? err->message : NULL, "function \"plus_one\" does not accept (STRING)");
	SL_CHECK_STR(err ? err->hint : NULL,
	             "Its signatures are: plus_one(BIGINT) -> BIGINT; plus_one(x DOUBLE) -> DOUBLE.");
	sl_error_free(err);
	err = NULL;
	const sl_type *nn[] = {&T_BIGINT_NN, &T_DATE};
	SL_CHECK(!sl_udf_resolve(reg, "strfn", nn, 2, &err));
	SL_CHECK_STR(err ? err->message : NULL, "function \"strfn\" does not accept (BIGINT, DATE)");
	SL_CHECK_STR(err ? err->hint : NULL, "Its signature is: strfn(STRING) -> INT.");
	sl_error_free(err);
	err = NULL;

	/* Ambiguous: (INT, INT) widens equally to both. */
	const sl_type *amb[] = {&T_BIGINT, &T_BIGINT};
	SL_CHECK(!sl_udf_resolve(reg, "two", amb, 2, &err));
	SL_CHECK_STR(err ? err->message : NULL,
	             "call of function \"two\" is ambiguous for (BIGINT, BIGINT)");
	sl_error_free(err);
	err = NULL;

	/* Unknown name, with a suggestion. */
	SL_CHECK(!sl_udf_resolve(reg, "plus_on", a1, 1, &err));
	SL_CHECK(err && err->code == SL_ERR_UNDEFINED_FUNCTION);
	SL_CHECK_STR(err ? err->message : NULL, "function \"plus_on\" does not exist");
	SL_CHECK_STR(err ? err->hint : NULL, "A function named \"plus_one\" exists.");
	sl_error_free(err);
	err = NULL;

	/* Built-ins cannot be dropped. */
	SL_CHECK(!sl_udf_drop(reg, "plus_one", false, &err));
	SL_CHECK_STR(err ? err->message : NULL, "cannot drop built-in function \"plus_one\"");
	sl_error_free(err);
	err = NULL;
	SL_CHECK(sl_udf_drop(reg, "nope", true, NULL));
	SL_CHECK(!sl_udf_drop(reg, "nope", false, &err));
	SL_CHECK_STR(err ? err->message : NULL, "function \"nope\" does not exist");
	sl_error_free(err);

	sl_strbuf sb = SL_STRBUF_INIT;
	sl_udf_describe(sl_udf_lookup(reg, "plus_one"), &sb);
	SL_CHECK_STR(sl_strbuf_str(&sb),
	             "plus_one(BIGINT) -> BIGINT  [scalar, built-in]\n"
	             "plus_one(x DOUBLE) -> DOUBLE  [scalar, not deterministic, built-in]\n");
	sl_strbuf_free(&sb);
	sl_udf_registry_free(reg);
}

static void
test_builtin_call(void)
{
	sl_udf_registry *reg = sl_udf_registry_new();
	SL_CHECK(sl_udf_add_builtin(reg, &b_bigint, NULL));
	const sl_type *a1[] = {&T_BIGINT};
	const sl_udf_fn *fn = sl_udf_resolve(reg, "plus_one", a1, 1, NULL);
	SL_CHECK(fn != NULL);
	if (!fn) {
		sl_udf_registry_free(reg);
		return;
	}
	sl_arena *scratch = sl_arena_new(NULL, "scratch");
	sl_udf_call call;
	sl_udf_call_init(&call, fn, scratch);
	int64_t in[4] = {1, 2, 3, 4}, out[4] = {0, 0, 0, 0};
	uint64_t valid = ~0ULL;
	sluice_udf_vector v = {sl_udf_abi_type(fn->sig.args[0]), in, NULL, 4, 0};
	sluice_udf_out o = {sl_udf_abi_type(fn->sig.result), out, &valid, 4, 0};
	uint32_t sel[2] = {1, 3};
	SL_CHECK(sl_udf_call_scalar(fn, &call, &v, sel, 2, &o, NULL));
	SL_CHECK_INT(out[0], 0);
	SL_CHECK_INT(out[1], 3);
	SL_CHECK_INT(out[2], 0);
	SL_CHECK_INT(out[3], 5);
	sl_udf_call_done(&call);
	sl_arena_free(scratch);
	sl_udf_registry_free(reg);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_parse_ok);
	SL_RUN(test_parse_errors);
	SL_RUN(test_abi_type);
	SL_RUN(test_builtins_and_resolve);
	SL_RUN(test_builtin_call);
	return SL_TEST_MAIN_END();
}
