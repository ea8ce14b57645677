/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nexmark_udf.c
 *	  Example C functions for sluice, built into libnexmark_udf.so:
 *
 *	    count_char(s VARCHAR, c VARCHAR) -> BIGINT          scalar (Nexmark q14)
 *	    weighted_avg(value DOUBLE, weight BIGINT) -> DOUBLE aggregate, fixed
 *	                                                        state, retraction
 *	    distinct_count(v BIGINT) -> BIGINT                  aggregate, library
 *	                                                        state, serialized
 *	    split_words(s VARCHAR) -> ROW<word VARCHAR, pos INT> table function
 *
 *	  Build:  cc -shared -fPIC -I<prefix>/include -o libnexmark_udf.so nexmark_udf.c
 *	  Use:    CREATE FUNCTION count_char AS 'count_char' LANGUAGE C
 *	              USING LIBRARY 'libnexmark_udf.so';
 *
 *	  Depends only on <sluice/udf.h> and libc.
 */
#include <sluice/udf.h>

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * count_char: how many bytes of s equal the first byte of c. As in the
 * Nexmark benchmark's CountChar: a NULL s counts 0. A NULL c gives NULL;
 * an empty c is an error (the Java original fails on it too).
 * ------------------------------------------------------------------- */
static int
count_char(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
           const uint32_t *sel, uint32_t n, sluice_udf_out *out)
{
	const sluice_str *s = SLUICE_UDF_IN(&args[0], sluice_str);
	const sluice_str *c = SLUICE_UDF_IN(&args[1], sluice_str);
	int64_t *res = SLUICE_UDF_OUT(out, int64_t);
	(void)nargs;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		if (sluice_udf_is_null(&args[1], row)) {
			sluice_udf_set_null(out, row);
			continue;
		}
		if (c[row].len == 0) {
			sluice_udf_error(ctx, row, "the character to count is an empty string");
			return -1;
		}
		uint32_t count = 0;     /* a string has < 2^32 bytes */
		if (!sluice_udf_is_null(&args[0], row)) {
			const unsigned char *p = (const unsigned char *)s[row].ptr;
			unsigned char ch = (unsigned char)c[row].ptr[0];
			for (uint32_t k = 0; k < s[row].len; k++)
				count += p[k] == ch;    /* vectorizes with a 32-bit counter */
		}
		res[row] = count;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * weighted_avg: sum(value * weight) / sum(weight), rows with a NULL
 * argument ignored, NULL while the weights sum to 0. The state is a fixed
 * block of plain numbers, so the engine stores and checkpoints it as is.
 * ------------------------------------------------------------------- */
typedef struct wavg_state {
	double sum;             /* sum of value * weight */
	int64_t weight;         /* sum of weight */
} wavg_state;

static int
wavg_init(sluice_udf_ctx *ctx, void *state)
{
	(void)ctx;
	memset(state, 0, sizeof(wavg_state));
	return 0;
}

static int
wavg_fold(const sluice_udf_vector *args, void *const *states, const uint32_t *sel,
          uint32_t n, int sign)
{
	const double *v = SLUICE_UDF_IN(&args[0], double);
	const int64_t *w = SLUICE_UDF_IN(&args[1], int64_t);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		if (sluice_udf_is_null(&args[0], row) || sluice_udf_is_null(&args[1], row))
			continue;
		wavg_state *st = states[row];
		st->sum += sign * v[row] * (double)w[row];
		st->weight += sign * w[row];
	}
	return 0;
}

static int
wavg_accumulate(sluice_udf_ctx *ctx, void *const *states, const sluice_udf_vector *args,
                uint32_t nargs, const uint32_t *sel, uint32_t n)
{
	(void)ctx;
	(void)nargs;
	return wavg_fold(args, states, sel, n, 1);
}

static int
wavg_retract(sluice_udf_ctx *ctx, void *const *states, const sluice_udf_vector *args,
             uint32_t nargs, const uint32_t *sel, uint32_t n)
{
	(void)ctx;
	(void)nargs;
	return wavg_fold(args, states, sel, n, -1);
}

static int
wavg_merge(sluice_udf_ctx *ctx, void *dst, const void *src)
{
	wavg_state *d = dst;
	const wavg_state *s = src;
	(void)ctx;
	d->sum += s->sum;
	d->weight += s->weight;
	return 0;
}

static int
wavg_finish(sluice_udf_ctx *ctx, const void *const *states, uint32_t n, sluice_udf_out *out)
{
	double *res = SLUICE_UDF_OUT(out, double);
	(void)ctx;
	for (uint32_t i = 0; i < n; i++) {
		const wavg_state *st = states[i];
		if (st->weight == 0)
			sluice_udf_set_null(out, i);
		else
			res[i] = st->sum / (double)st->weight;
	}
	return 0;
}

static const sluice_udf_aggregate weighted_avg = {
	.state_size = sizeof(wavg_state),
	.init = wavg_init,
	.accumulate = wavg_accumulate,
	.retract = wavg_retract,
	.merge = wavg_merge,
	.finish = wavg_finish,
};

/* ---------------------------------------------------------------------
 * distinct_count: the number of distinct non-NULL values, with
 * retraction. The state block holds a pointer to a sorted array of
 * (value, multiplicity) pairs on the heap, so the library serializes it:
 * a uint32 count and then the pairs, in the machine's byte order (a
 * checkpoint is restored on the same kind of machine).
 * ------------------------------------------------------------------- */
typedef struct dc_pair {
	int64_t value;
	int64_t count;          /* multiplicity, > 0 */
} dc_pair;

typedef struct dc_state {
	dc_pair *pairs;         /* malloc'ed, sorted by value */
	uint32_t n, cap;
} dc_state;

static int
dc_init(sluice_udf_ctx *ctx, void *state)
{
	(void)ctx;
	memset(state, 0, sizeof(dc_state));
	return 0;
}

/* Index of value in st, or where it would go (*found says which). */
static uint32_t
dc_find(const dc_state *st, int64_t value, int *found)
{
	uint32_t lo = 0, hi = st->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (st->pairs[mid].value < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < st->n && st->pairs[lo].value == value;
	return lo;
}

static int
dc_add(sluice_udf_ctx *ctx, dc_state *st, int64_t value, int64_t delta, uint32_t row)
{
	int found;
	uint32_t at = dc_find(st, value, &found);
	if (found) {
		st->pairs[at].count += delta;
		if (st->pairs[at].count < 0) {
			sluice_udf_error(ctx, row, "retracted value %lld more often than it was added",
			                 (long long)value);
			return -1;
		}
		if (st->pairs[at].count == 0) {
			memmove(&st->pairs[at], &st->pairs[at + 1], (st->n - at - 1) * sizeof(dc_pair));
			st->n--;
		}
		return 0;
	}
	if (delta < 0) {
		sluice_udf_error(ctx, row, "retracted value %lld that was never added", (long long)value);
		return -1;
	}
	if (st->n == st->cap) {
		uint32_t cap = st->cap ? st->cap * 2 : 8;
		dc_pair *p = realloc(st->pairs, cap * sizeof(dc_pair));
		if (!p) {
			sluice_udf_error(ctx, row, "out of memory");
			return -1;
		}
		st->pairs = p;
		st->cap = cap;
	}
	memmove(&st->pairs[at + 1], &st->pairs[at], (st->n - at) * sizeof(dc_pair));
	st->pairs[at].value = value;
	st->pairs[at].count = delta;
	st->n++;
	return 0;
}

static int
dc_fold(sluice_udf_ctx *ctx, void *const *states, const sluice_udf_vector *args,
        const uint32_t *sel, uint32_t n, int64_t delta)
{
	const int64_t *v = SLUICE_UDF_IN(&args[0], int64_t);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		if (sluice_udf_is_null(&args[0], row))
			continue;
		if (dc_add(ctx, states[row], v[row], delta, row) != 0)
			return -1;
	}
	return 0;
}

static int
dc_accumulate(sluice_udf_ctx *ctx, void *const *states, const sluice_udf_vector *args,
              uint32_t nargs, const uint32_t *sel, uint32_t n)
{
	(void)nargs;
	return dc_fold(ctx, states, args, sel, n, 1);
}

static int
dc_retract(sluice_udf_ctx *ctx, void *const *states, const sluice_udf_vector *args,
           uint32_t nargs, const uint32_t *sel, uint32_t n)
{
	(void)nargs;
	return dc_fold(ctx, states, args, sel, n, -1);
}

static int
dc_merge(sluice_udf_ctx *ctx, void *dst, const void *src)
{
	const dc_state *s = src;
	for (uint32_t i = 0; i < s->n; i++)
		if (dc_add(ctx, dst, s->pairs[i].value, s->pairs[i].count, SLUICE_UDF_NO_ROW) != 0)
			return -1;
	return 0;
}

static int
dc_finish(sluice_udf_ctx *ctx, const void *const *states, uint32_t n, sluice_udf_out *out)
{
	int64_t *res = SLUICE_UDF_OUT(out, int64_t);
	(void)ctx;
	for (uint32_t i = 0; i < n; i++)
		res[i] = ((const dc_state *)states[i])->n;
	return 0;
}

static int
dc_serialize(sluice_udf_ctx *ctx, const void *state, const void **bytes, size_t *len)
{
	const dc_state *st = state;
	size_t n = sizeof(uint32_t) + (size_t)st->n * sizeof(dc_pair);
	unsigned char *b = sluice_udf_alloc(ctx, n);
	memcpy(b, &st->n, sizeof(uint32_t));
	if (st->n)
		memcpy(b + sizeof(uint32_t), st->pairs, (size_t)st->n * sizeof(dc_pair));
	*bytes = b;
	*len = n;
	return 0;
}

static int
dc_deserialize(sluice_udf_ctx *ctx, const void *bytes, size_t len, void *state)
{
	dc_state *st = state;
	uint32_t n;
	if (len < sizeof n) {
		sluice_udf_error(ctx, SLUICE_UDF_NO_ROW, "stored state is truncated (%zu bytes)", len);
		return -1;
	}
	memcpy(&n, bytes, sizeof n);
	if (len != sizeof n + (size_t)n * sizeof(dc_pair)) {
		sluice_udf_error(ctx, SLUICE_UDF_NO_ROW,
		                 "stored state has %zu bytes, expected %zu for %u values", len,
		                 sizeof n + (size_t)n * sizeof(dc_pair), n);
		return -1;
	}
	st->n = st->cap = n;
	st->pairs = NULL;
	if (n) {
		st->pairs = malloc((size_t)n * sizeof(dc_pair));
		if (!st->pairs) {
			sluice_udf_error(ctx, SLUICE_UDF_NO_ROW, "out of memory");
			return -1;
		}
		memcpy(st->pairs, (const unsigned char *)bytes + sizeof n, (size_t)n * sizeof(dc_pair));
	}
	return 0;
}

static void
dc_destroy(sluice_udf_ctx *ctx, void *state)
{
	dc_state *st = state;
	(void)ctx;
	free(st->pairs);
	memset(st, 0, sizeof *st);
}

static const sluice_udf_aggregate distinct_count = {
	.state_size = sizeof(dc_state),
	.init = dc_init,
	.accumulate = dc_accumulate,
	.retract = dc_retract,
	.merge = dc_merge,
	.finish = dc_finish,
	.serialize = dc_serialize,
	.deserialize = dc_deserialize,
	.destroy = dc_destroy,
};

/* ---------------------------------------------------------------------
 * split_words: one row per run of non-blank bytes (blank: space, tab,
 * CR, LF), with its 1-based position. A NULL string gives no rows. The
 * words point into the input, which stays valid for the whole call.
 * ------------------------------------------------------------------- */
static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
split_words(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
            const uint32_t *sel, uint32_t n)
{
	const sluice_str *s = SLUICE_UDF_IN(&args[0], sluice_str);
	(void)nargs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		if (sluice_udf_is_null(&args[0], row))
			continue;
		const char *p = s[row].ptr, *end = p + s[row].len;
		int32_t pos = 0;
		while (p < end) {
			while (p < end && is_blank(*p))
				p++;
			if (p == end)
				break;
			const char *w = p;
			while (p < end && !is_blank(*p))
				p++;
			sluice_str word = {(uint32_t)(p - w), w};
			pos++;
			const void *cols[2] = {&word, &pos};
			if (sluice_udf_emit(ctx, row, cols) != 0)
				return 0;   /* the engine wants no more rows */
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * The library's descriptor.
 * ------------------------------------------------------------------- */
static const sluice_udf_function functions[] = {
	{
		.name = "count_char",
		.kind = SLUICE_UDF_SCALAR,
		.flags = SLUICE_UDF_DETERMINISTIC,
		.signature = "BIGINT(s VARCHAR, c VARCHAR)",
		.description = "Number of bytes of s equal to the first byte of c (Nexmark q14).",
		.scalar = count_char,
	},
	{
		.name = "weighted_avg",
		.kind = SLUICE_UDF_AGGREGATE,
		.flags = SLUICE_UDF_DETERMINISTIC,
		.signature = "DOUBLE(value DOUBLE, weight BIGINT)",
		.description = "Average of value weighted by weight; NULL while the weights sum to 0.",
		.aggregate = &weighted_avg,
	},
	{
		.name = "distinct_count",
		.kind = SLUICE_UDF_AGGREGATE,
		.flags = SLUICE_UDF_DETERMINISTIC,
		.signature = "BIGINT NOT NULL(v BIGINT)",
		.description = "Number of distinct non-NULL values, with retraction.",
		.aggregate = &distinct_count,
	},
	{
		.name = "split_words",
		.kind = SLUICE_UDF_TABLE,
		.flags = SLUICE_UDF_DETERMINISTIC,
		.signature = "ROW<word VARCHAR, pos INT>(s VARCHAR)",
		.description = "One row per blank-separated word of s, with its 1-based position.",
		.table = split_words,
	},
};

SLUICE_UDF_LIBRARY("nexmark", "1.0", functions)
