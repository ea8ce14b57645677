/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agg_failing.c
 *	  A valid UDF library (tests/udf/libagg_failing.so) whose functions
 *	  fail on purpose, for tests/udf/run-udf-agg.sh and run-udf-table.sh:
 *
 *	    sum_nonneg(BIGINT) -> BIGINT   aggregate with retract, fixed state;
 *	                                   reports an error at the input row of
 *	                                   the first negative value
 *	    upto(n BIGINT) -> ROW<i BIGINT> table function: rows 1..n; an error
 *	                                   at the row of a negative n
 *	    backwards(n BIGINT) -> ROW<i BIGINT> table function that emits the
 *	                                   selected rows in descending order
 *	                                   (breaks the emit-order contract)
 *	    crash_once(v BIGINT) -> BIGINT scalar: v, but the first call that
 *	                                   sees v >= $SLUICE_UDF_TEST_CRASH_AT
 *	                                   while the file
 *	                                   $SLUICE_UDF_TEST_CRASH_MARKER does
 *	                                   not exist creates that file and
 *	                                   dereferences NULL (a real SIGSEGV),
 *	                                   for tests/udf/run-udf-crash.sh
 */
#include <sluice/udf.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
sn_init(sluice_udf_ctx *ctx, void *state)
{
	(void)ctx;
	memset(state, 0, sizeof(int64_t));
	return 0;
}

static int
sn_fold(sluice_udf_ctx *ctx, void *const *states, const sluice_udf_vector *args,
        const uint32_t *sel, uint32_t n, int64_t sign)
{
	const int64_t *v = SLUICE_UDF_IN(&args[0], int64_t);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		if (sluice_udf_is_null(&args[0], row))
			continue;
		if (v[row] < 0) {
			sluice_udf_error(ctx, row, "negative value %lld", (long long)v[row]);
			return -1;
		}
		*(int64_t *)states[row] += sign * v[row];
	}
	return 0;
}

static int
sn_acc(sluice_udf_ctx *ctx, void *const *states, const sluice_udf_vector *args, uint32_t nargs,
       const uint32_t *sel, uint32_t n)
{
	(void)nargs;
	return sn_fold(ctx, states, args, sel, n, 1);
}

static int
sn_ret(sluice_udf_ctx *ctx, void *const *states, const sluice_udf_vector *args, uint32_t nargs,
       const uint32_t *sel, uint32_t n)
{
	(void)nargs;
	return sn_fold(ctx, states, args, sel, n, -1);
}

static int
sn_merge(sluice_udf_ctx *ctx, void *dst, const void *src)
{
	(void)ctx;
	*(int64_t *)dst += *(const int64_t *)src;
	return 0;
}

static int
sn_finish(sluice_udf_ctx *ctx, const void *const *states, uint32_t n, sluice_udf_out *out)
{
	(void)ctx;
	for (uint32_t i = 0; i < n; i++)
		SLUICE_UDF_OUT(out, int64_t)[i] = *(const int64_t *)states[i];
	return 0;
}

static const sluice_udf_aggregate sum_nonneg = {
	.state_size = sizeof(int64_t),
	.init = sn_init, .accumulate = sn_acc, .retract = sn_ret, .merge = sn_merge,
	.finish = sn_finish,
};

static int
upto(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs, const uint32_t *sel,
     uint32_t n)
{
	const int64_t *v = SLUICE_UDF_IN(&args[0], int64_t);
	(void)nargs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		if (sluice_udf_is_null(&args[0], row))
			continue;
		if (v[row] < 0) {
			sluice_udf_error(ctx, row, "negative count %lld", (long long)v[row]);
			return -1;
		}
		for (int64_t k = 1; k <= v[row]; k++) {
			const void *cols[1] = {&k};
			if (sluice_udf_emit(ctx, row, cols) != 0)
				return 0;
		}
	}
	return 0;
}

static int
backwards(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
          const uint32_t *sel, uint32_t n)
{
	(void)args, (void)nargs;
	for (uint32_t i = n; i-- > 0;) {
		int64_t k = i;
		const void *cols[1] = {&k};
		if (sluice_udf_emit(ctx, sluice_udf_row(sel, i), cols) != 0)
			return 0;
	}
	return 0;
}

static int
crash_once(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
           const uint32_t *sel, uint32_t n, sluice_udf_out *out)
{
	const int64_t *v = SLUICE_UDF_IN(&args[0], int64_t);
	const char *at = getenv("SLUICE_UDF_TEST_CRASH_AT");
	const char *marker = getenv("SLUICE_UDF_TEST_CRASH_MARKER");
	long long limit = at ? atoll(at) : 0;
	(void)ctx, (void)nargs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		if (sluice_udf_is_null(&args[0], row)) {
			sluice_udf_set_null(out, row);
			continue;
		}
		if (at && marker && v[row] >= limit && access(marker, F_OK) != 0) {
			int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL, 0644);
			if (fd >= 0) {
				close(fd);
				*(volatile int *)(uintptr_t)(v[row] - v[row]) = 1;   /* SIGSEGV */
			}
		}
		SLUICE_UDF_OUT(out, int64_t)[row] = v[row];
	}
	return 0;
}

static const sluice_udf_function functions[] = {
	{.name = "sum_nonneg", .kind = SLUICE_UDF_AGGREGATE, .flags = SLUICE_UDF_DETERMINISTIC,
	 .signature = "BIGINT NOT NULL(BIGINT)", .aggregate = &sum_nonneg},
	{.name = "upto", .kind = SLUICE_UDF_TABLE, .flags = SLUICE_UDF_DETERMINISTIC,
	 .signature = "ROW<i BIGINT>(n BIGINT)", .table = upto},
	{.name = "backwards", .kind = SLUICE_UDF_TABLE, .signature = "ROW<i BIGINT>(n BIGINT)",
	 .table = backwards},
	{.name = "crash_once", .kind = SLUICE_UDF_SCALAR, .signature = "BIGINT(v BIGINT)",
	 .scalar = crash_once},
};

SLUICE_UDF_LIBRARY("agg_failing", "1.0", functions)
