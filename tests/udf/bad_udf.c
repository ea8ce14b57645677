/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bad_udf.c
 *	  Libraries the loader tests load: compiled once per -DLIB_<NAME>
 *	  (see udf/Makefile.inc) into tests/udf/lib<name>.so.
 *
 *	    LIB_BAD_ABI        ABI 99.0
 *	    LIB_BAD_MINOR      ABI 1.999 (a newer minor than the engine's)
 *	    LIB_NO_ABI         no sluice_udf_abi_version symbol
 *	    LIB_NO_REGISTER    no sluice_udf_register symbol
 *	    LIB_BAD_SIGNATURE  a signature with an unknown type
 *	    LIB_NO_ENTRY       a scalar function without its entry point
 *	    LIB_NO_NAME        a function without a name
 *	    LIB_DUP_NAME       the same name and parameter types twice
 *	    LIB_DUP_KIND       one name as a scalar and as an aggregate
 *	    LIB_BAD_KIND       a kind that does not exist
 *	    LIB_AGG_NO_MERGE   an aggregate without merge
 *	    LIB_AGG_HALF_SER   an aggregate with serialize but no deserialize
 *	    LIB_TABLE_NO_ENTRY a table function without its entry point
 *	    LIB_TABLE_NOT_ROW  a table function whose result is not a ROW
 *	    LIB_SCALAR_ROW     a scalar function returning a ROW
 *	    LIB_NO_FUNCTIONS   a descriptor with no functions
 *	    LIB_UNDEFINED      needs a symbol nothing defines (dlopen fails)
 *	    LIB_FAILING        valid: functions that fail, overloads, strings
 *
 *	  Every variant has a constructor that sets SLUICE_UDF_TEST_CTOR and a
 *	  registration call that sets SLUICE_UDF_TEST_REGISTER, so the tests
 *	  can tell which of the library's code ran before a refusal.
 */
#include <sluice/udf.h>

#include <stdlib.h>
#include <string.h>

__attribute__((constructor)) static void
mark_loaded(void)
{
	setenv("SLUICE_UDF_TEST_CTOR", "ran", 1);
}

#if defined(LIB_UNDEFINED)
extern int64_t sluice_udf_test_missing(int64_t);
#define IDENT(x) sluice_udf_test_missing(x)
#else
#define IDENT(x) (x)
#endif

__attribute__((unused)) static int
ident(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
      const uint32_t *sel, uint32_t n, sluice_udf_out *out)
{
	(void)ctx;
	(void)nargs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		SLUICE_UDF_OUT(out, int64_t)[row] = IDENT(SLUICE_UDF_IN(&args[0], int64_t)[row]);
	}
	return 0;
}

#if defined(LIB_FAILING)
/* fail_at(BIGINT): errors at the first negative value. */
static int
fail_at(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
        const uint32_t *sel, uint32_t n, sluice_udf_out *out)
{
	(void)nargs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		int64_t v = SLUICE_UDF_IN(&args[0], int64_t)[row];
		if (v < 0) {
			sluice_udf_error(ctx, row, "negative value %lld\n", (long long)v);
			return 1;
		}
		SLUICE_UDF_OUT(out, int64_t)[row] = v;
	}
	return 0;
}

/* fail_silently(BIGINT): returns 7 without reporting anything. */
static int
fail_silently(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
              const uint32_t *sel, uint32_t n, sluice_udf_out *out)
{
	(void)ctx, (void)args, (void)nargs, (void)sel, (void)n, (void)out;
	return 7;
}

/* over(INT) -> INT: v + 1; over(DOUBLE) -> DOUBLE: v * 2;
 * over(VARCHAR) -> VARCHAR: "<" v ">" in scratch memory. */
static int
over_int(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
         const uint32_t *sel, uint32_t n, sluice_udf_out *out)
{
	(void)ctx, (void)nargs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		SLUICE_UDF_OUT(out, int32_t)[row] = SLUICE_UDF_IN(&args[0], int32_t)[row] + 1;
	}
	return 0;
}

static int
over_double(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
            const uint32_t *sel, uint32_t n, sluice_udf_out *out)
{
	(void)ctx, (void)nargs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		SLUICE_UDF_OUT(out, double)[row] = SLUICE_UDF_IN(&args[0], double)[row] * 2;
	}
	return 0;
}

static int
over_str(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
         const uint32_t *sel, uint32_t n, sluice_udf_out *out)
{
	(void)nargs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		if (sluice_udf_is_null(&args[0], row)) {
			sluice_udf_set_null(out, row);
			continue;
		}
		sluice_str s = SLUICE_UDF_IN(&args[0], sluice_str)[row];
		char *b = sluice_udf_alloc(ctx, s.len + 2);
		b[0] = '<';
		memcpy(b + 1, s.ptr, s.len);
		b[s.len + 1] = '>';
		SLUICE_UDF_OUT(out, sluice_str)[row] = (sluice_str){s.len + 2, b};
	}
	return 0;
}

/* sum_once(BIGINT): an aggregate without retraction whose merge fails. */
static int
so_init(sluice_udf_ctx *ctx, void *state)
{
	(void)ctx;
	*(int64_t *)state = 0;
	return 0;
}

static int
so_acc(sluice_udf_ctx *ctx, void *const *states, const sluice_udf_vector *args,
       uint32_t nargs, const uint32_t *sel, uint32_t n)
{
	(void)ctx, (void)nargs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		*(int64_t *)states[row] += SLUICE_UDF_IN(&args[0], int64_t)[row];
	}
	return 0;
}

static int
so_merge(sluice_udf_ctx *ctx, void *dst, const void *src)
{
	(void)dst, (void)src;
	sluice_udf_error(ctx, SLUICE_UDF_NO_ROW, "merging is not supported");
	return -1;
}

static int
so_finish(sluice_udf_ctx *ctx, const void *const *states, uint32_t n, sluice_udf_out *out)
{
	(void)ctx;
	for (uint32_t i = 0; i < n; i++)
		SLUICE_UDF_OUT(out, int64_t)[i] = *(const int64_t *)states[i];
	return 0;
}

static const sluice_udf_aggregate sum_once = {
	.state_size = sizeof(int64_t),
	.init = so_init, .accumulate = so_acc, .merge = so_merge, .finish = so_finish,
};

static const sluice_udf_function functions[] = {
	{.name = "ident", .kind = SLUICE_UDF_SCALAR, .signature = "BIGINT(BIGINT)", .scalar = ident},
	{.name = "fail_at", .kind = SLUICE_UDF_SCALAR, .signature = "BIGINT(BIGINT)", .scalar = fail_at},
	{.name = "fail_silently", .kind = SLUICE_UDF_SCALAR, .signature = "BIGINT(BIGINT)",
	 .scalar = fail_silently},
	{.name = "over", .kind = SLUICE_UDF_SCALAR, .flags = SLUICE_UDF_DETERMINISTIC,
	 .signature = "INT(INT)", .scalar = over_int},
	{.name = "over", .kind = SLUICE_UDF_SCALAR, .flags = SLUICE_UDF_DETERMINISTIC,
	 .signature = "DOUBLE(DOUBLE)", .scalar = over_double},
	{.name = "over", .kind = SLUICE_UDF_SCALAR, .flags = SLUICE_UDF_DETERMINISTIC,
	 .signature = "VARCHAR(VARCHAR)", .scalar = over_str},
	{.name = "sum_once", .kind = SLUICE_UDF_AGGREGATE, .signature = "BIGINT(BIGINT)",
	 .aggregate = &sum_once},
};

#else /* the broken variants */

__attribute__((unused)) static int
agg_init(sluice_udf_ctx *ctx, void *state)
{
	(void)ctx, (void)state;
	return 0;
}

__attribute__((unused)) static int
agg_fold(sluice_udf_ctx *ctx, void *const *states, const sluice_udf_vector *args,
         uint32_t nargs, const uint32_t *sel, uint32_t n)
{
	(void)ctx, (void)states, (void)args, (void)nargs, (void)sel, (void)n;
	return 0;
}

__attribute__((unused)) static int
agg_merge(sluice_udf_ctx *ctx, void *dst, const void *src)
{
	(void)ctx, (void)dst, (void)src;
	return 0;
}

__attribute__((unused)) static int
agg_finish(sluice_udf_ctx *ctx, const void *const *states, uint32_t n, sluice_udf_out *out)
{
	(void)ctx, (void)states, (void)n, (void)out;
	return 0;
}

__attribute__((unused)) static int
agg_serialize(sluice_udf_ctx *ctx, const void *state, const void **bytes, size_t *len)
{
	(void)ctx, (void)state, (void)bytes, (void)len;
	return 0;
}

__attribute__((unused)) static int
tbl(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
    const uint32_t *sel, uint32_t n)
{
	(void)ctx, (void)args, (void)nargs, (void)sel, (void)n;
	return 0;
}

__attribute__((unused)) static const sluice_udf_aggregate agg_no_merge = {
	.state_size = 8, .init = agg_init, .accumulate = agg_fold, .finish = agg_finish,
};
__attribute__((unused)) static const sluice_udf_aggregate agg_half_ser = {
	.state_size = 8, .init = agg_init, .accumulate = agg_fold, .merge = agg_merge,
	.finish = agg_finish, .serialize = agg_serialize,
};
__attribute__((unused)) static const sluice_udf_aggregate agg_ok = {
	.state_size = 8, .init = agg_init, .accumulate = agg_fold, .merge = agg_merge,
	.finish = agg_finish,
};

#if defined(LIB_BAD_SIGNATURE)
#define SIG "BIGINT(VARCHR)"
#else
#define SIG "BIGINT(BIGINT)"
#endif

static const sluice_udf_function functions[] = {
#if defined(LIB_NO_NAME)
	{.name = NULL, .kind = SLUICE_UDF_SCALAR, .signature = SIG, .scalar = ident},
#elif defined(LIB_NO_ENTRY)
	{.name = "no_entry", .kind = SLUICE_UDF_SCALAR, .signature = SIG, .scalar = NULL},
#elif defined(LIB_DUP_NAME)
	{.name = "twice", .kind = SLUICE_UDF_SCALAR, .signature = "BIGINT(BIGINT)", .scalar = ident},
	{.name = "TWICE", .kind = SLUICE_UDF_SCALAR, .signature = "BIGINT(x BIGINT NOT NULL)",
	 .scalar = ident},
#elif defined(LIB_DUP_KIND)
	{.name = "both", .kind = SLUICE_UDF_SCALAR, .signature = "BIGINT(BIGINT)", .scalar = ident},
	{.name = "both", .kind = SLUICE_UDF_AGGREGATE, .signature = "BIGINT(INT)", .aggregate = &agg_ok},
#elif defined(LIB_BAD_KIND)
	{.name = "odd", .kind = 42, .signature = SIG, .scalar = ident},
#elif defined(LIB_AGG_NO_MERGE)
	{.name = "agg", .kind = SLUICE_UDF_AGGREGATE, .signature = SIG, .aggregate = &agg_no_merge},
#elif defined(LIB_AGG_HALF_SER)
	{.name = "agg", .kind = SLUICE_UDF_AGGREGATE, .signature = SIG, .aggregate = &agg_half_ser},
#elif defined(LIB_TABLE_NO_ENTRY)
	{.name = "tbl", .kind = SLUICE_UDF_TABLE, .signature = "ROW<x INT>(INT)", .table = NULL},
#elif defined(LIB_TABLE_NOT_ROW)
	{.name = "tbl", .kind = SLUICE_UDF_TABLE, .signature = "INT(INT)", .table = tbl},
#elif defined(LIB_SCALAR_ROW)
	{.name = "sr", .kind = SLUICE_UDF_SCALAR, .signature = "ROW<x INT>(INT)", .scalar = ident},
#else
	{.name = "ident", .kind = SLUICE_UDF_SCALAR, .signature = SIG, .scalar = ident},
#endif
};
#endif

#if defined(LIB_NO_FUNCTIONS)
#define NFUNCTIONS 0
#else
#define NFUNCTIONS (sizeof functions / sizeof functions[0])
#endif

#if defined(LIB_BAD_ABI)
#define VERSION SLUICE_UDF_ABI_MAKE(99, 0)
#elif defined(LIB_BAD_MINOR)
#define VERSION SLUICE_UDF_ABI_MAKE(SLUICE_UDF_ABI_MAJOR, 999)
#else
#define VERSION SLUICE_UDF_ABI_VERSION
#endif

#if !defined(LIB_NO_ABI)
SLUICE_UDF_EXPORT const uint32_t sluice_udf_abi_version = VERSION;
#endif

#if !defined(LIB_NO_REGISTER)
SLUICE_UDF_EXPORT const sluice_udf_library *
sluice_udf_register(uint32_t engine_abi)
{
	static const sluice_udf_library lib = {
		VERSION, sizeof(sluice_udf_function), "bad", "0",
		NFUNCTIONS, 0, functions,
	};
	(void)engine_abi;
	setenv("SLUICE_UDF_TEST_REGISTER", "ran", 1);
	return &lib;
}
#else
/* Keep the functions referenced so the compiler does not warn. */
SLUICE_UDF_EXPORT const void *bad_udf_functions = functions;
#endif
