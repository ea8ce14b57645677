/*
 * 0405-key.c
 *	  runtime/: memcomparable row keys — round trip through decode, byte
 *	  order equals SQL order (NULLs first, negative numbers, -0.0, strings
 *	  with NUL bytes and prefixes), key groups of live rows.
 */
#include "runtime/expr.h"
#include "runtime/key.h"
#include "runtime/runtime_int.h"
#include "tests/unit/test.h"

static sl_arena *A;

static int
cmp_keys(const sl_chunk *c, uint32_t r1, uint32_t r2, int col)
{
	sl_strbuf a = SL_STRBUF_INIT, b = SL_STRBUF_INIT;
	int res;
	size_t m;
	sl_key_encode(c, r1, &col, 1, &a);
	sl_key_encode(c, r2, &col, 1, &b);
	m = SL_MIN(a.len, b.len);
	res = memcmp(a.data, b.data, m);
	if (res == 0)
		res = a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
	sl_strbuf_free(&a);
	sl_strbuf_free(&b);
	return res < 0 ? -1 : res > 0;
}

static void
test_roundtrip(void)
{
	const sl_type *ty[8] = {sl_rt_type(SL_TYPE_INT), sl_rt_type(SL_TYPE_BIGINT),
	                        sl_rt_type(SL_TYPE_VARCHAR), sl_rt_type(SL_TYPE_DOUBLE),
	                        sl_rt_decimal(A, 20, 2), sl_rt_type(SL_TYPE_BOOLEAN),
	                        sl_rt_type(SL_TYPE_TIMESTAMP), sl_rt_type(SL_TYPE_DATE)};
	int cols[8] = {0, 1, 2, 3, 4, 5, 6, 7};
	sl_chunk *c = sl_chunk_new(ty, 8, 0), *d = sl_chunk_new(ty, 8, 0);
	sl_strbuf key = SL_STRBUF_INIT, a = SL_STRBUF_INIT, b = SL_STRBUF_INIT;
	uint32_t r = sl_chunk_append_row(c);
	sl_chunk_set_i32(c, 0, r, -5);
	sl_chunk_set_i64(c, 1, r, INT64_MIN);
	sl_chunk_set_str(c, 2, r, "a\0b", 3);
	sl_chunk_set_f64(c, 3, r, -1.5);
	sl_dec_put(c->cols[4], r, -(sl_i128)123456789012345678LL * 100);
	sl_chunk_set_bool(c, 5, r, true);
	sl_chunk_set_i64(c, 6, r, -1);
	sl_chunk_set_i32(c, 7, r, -719162);
	r = sl_chunk_append_row(c);
	for (int i = 0; i < 8; i++)
		sl_chunk_set_null(c, i, r);
	for (uint32_t k = 0; k < 2; k++) {
		uint32_t dr = sl_chunk_append_row(d);
		sl_strbuf_reset(&key);
		sl_key_encode(c, k, cols, 8, &key);
		SL_CHECK_INT(sl_key_decode(key.data, key.len, d, dr, cols, 8), key.len);
		sl_strbuf_reset(&a);
		sl_strbuf_reset(&b);
		sl_chunk_format_row(c, k, &a);
		sl_chunk_format_row(d, dr, &b);
		SL_CHECK_STR(sl_strbuf_str(&b), sl_strbuf_str(&a));
	}
	SL_CHECK_INT(SL_VEC_DATA(d->cols[2], sl_str)[0].len, 3);
	SL_CHECK(memcmp(SL_VEC_DATA(d->cols[2], sl_str)[0].ptr, "a\0b", 3) == 0);
	/* truncated input is malformed */
	sl_strbuf_reset(&key);
	sl_key_encode(c, 0, cols, 8, &key);
	SL_CHECK_INT(sl_key_decode(key.data, key.len - 1, d, 0, cols, 8), 0);
	sl_strbuf_free(&key);
	sl_strbuf_free(&a);
	sl_strbuf_free(&b);
	sl_chunk_unref(c);
	sl_chunk_unref(d);
}

static void
test_order(void)
{
	const sl_type *ty[4] = {sl_rt_type(SL_TYPE_BIGINT), sl_rt_type(SL_TYPE_VARCHAR),
	                        sl_rt_type(SL_TYPE_DOUBLE), sl_rt_decimal(A, 10, 2)};
	static const int64_t ints[] = {0, INT64_MIN, -5, 0, 7, INT64_MAX};
	static const char *const strs[] = {NULL, "", "a", "a\0", "ab", "b"};
	static const size_t slen[] = {0, 0, 1, 2, 2, 1};
	static const double dbls[] = {0, -1.0 / 0.0, -1.5, -0.0, 2, 1.0 / 0.0};
	static const int64_t decs[] = {0, -100000, -1, 0, 1, 99999999};
	sl_chunk *c = sl_chunk_new(ty, 4, 0);
	for (int i = 0; i < 6; i++) {
		uint32_t r = sl_chunk_append_row(c);
		sl_chunk_set_i64(c, 0, r, ints[i]);
		if (strs[i])
			sl_chunk_set_str(c, 1, r, strs[i], slen[i]);
		else
			sl_chunk_set_null(c, 1, r);
		sl_chunk_set_f64(c, 2, r, dbls[i]);
		SL_VEC_DATA(c->cols[3], int64_t)[r] = decs[i];
		if (i == 0) {
			sl_chunk_set_null(c, 0, r);
			sl_chunk_set_null(c, 2, r);
			sl_chunk_set_null(c, 3, r);
		}
	}
	/* every column is strictly increasing down the rows (NULL first) */
	for (int col = 0; col < 4; col++)
		for (uint32_t i = 0; i + 1 < 6; i++)
			SL_CHECK_INT(cmp_keys(c, i, i + 1, col), -1);
	/* equal values encode equally: -0.0 and 0.0 */
	sl_chunk_set_f64(c, 2, 1, 0.0);
	SL_CHECK_INT(cmp_keys(c, 1, 3, 2), 0);
	sl_chunk_unref(c);
}

static void
test_key_groups(void)
{
	const sl_type *ty[2] = {sl_rt_type(SL_TYPE_BIGINT), sl_rt_type(SL_TYPE_VARCHAR)};
	int cols[2] = {0, 1};
	sl_chunk *c = sl_chunk_new(ty, 2, 0);
	uint16_t kg[SL_CHUNK_CAPACITY];
	sl_strbuf scratch = SL_STRBUF_INIT, k = SL_STRBUF_INIT;
	int counts[128] = {0}, used = 0;
	for (int i = 0; i < 1000; i++) {
		uint32_t r = sl_chunk_append_row(c);
		sl_chunk_set_i64(c, 0, r, i % 500);
		sl_chunk_set_str(c, 1, r, "k", 1);
	}
	memset(kg, 0xff, sizeof kg);
	c->sel = c->sel_buf;
	c->nsel = 0;
	for (uint16_t i = 0; i < 1000; i += 2)
		c->sel[c->nsel++] = i;
	c->sel[c->nsel++] = 999;
	sl_chunk_key_groups(c, cols, 2, 128, kg, &scratch);
	SL_CHECK_INT(kg[1], 0xffff); /* not live: untouched */
	SL_CHECK_INT(kg[0], kg[500]); /* equal keys, equal groups */
	sl_key_encode(c, 998, cols, 2, &k);
	SL_CHECK_INT(kg[998], sl_hash64(k.data, k.len, 0) % 128);
	for (uint32_t i = 0; i < c->nsel; i++) {
		SL_CHECK(kg[c->sel[i]] < 128);
		if (!counts[kg[c->sel[i]]]++)
			used++;
	}
	SL_CHECK(used > 100); /* 251 distinct keys spread over most groups */
	sl_strbuf_free(&scratch);
	sl_strbuf_free(&k);
	sl_chunk_unref(c);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	A = sl_arena_new(NULL, "test");
	SL_RUN(test_roundtrip);
	SL_RUN(test_order);
	SL_RUN(test_key_groups);
	sl_arena_free(A);
	return SL_TEST_MAIN_END();
}
