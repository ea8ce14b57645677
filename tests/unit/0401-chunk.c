/*
 * 0401-chunk.c
 *	  runtime/: vectors and chunks — nulls, selection, copy/gather,
 *	  compaction, Flink's print format, pools (reuse, cross-thread
 *	  release, no allocation in steady state), keep-alive references.
 */
#include "runtime/chunk.h"
#include "runtime/expr.h"
#include "runtime/runtime_int.h"
#include "tests/unit/test.h"

#include <pthread.h>

static const char *
row_str(const sl_chunk *c, uint32_t row)
{
	static char buf[1024];
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_chunk_format_row(c, row, &sb);
	snprintf(buf, sizeof buf, "%s", sl_strbuf_str(&sb));
	sl_strbuf_free(&sb);
	return buf;
}

static const sl_type *types3[3];

static void
init_types(void)
{
	types3[0] = sl_rt_type(SL_TYPE_BIGINT);
	types3[1] = sl_rt_type(SL_TYPE_VARCHAR);
	types3[2] = sl_rt_type(SL_TYPE_TIMESTAMP);
}

static sl_chunk *
make_chunk(sl_chunk_pool *pool, int rows)
{
	sl_chunk *c = sl_chunk_pool_get(pool);
	char name[32];
	for (int i = 0; i < rows; i++) {
		uint32_t r = sl_chunk_append_row(c);
		sl_chunk_set_i64(c, 0, r, i);
		snprintf(name, sizeof name, "name-%d", i);
		sl_chunk_set_str(c, 1, r, name, strlen(name));
		sl_chunk_set_i64(c, 2, r, (int64_t)i * SL_US_PER_SEC);
		if (i % 3 == 2)
			sl_chunk_set_null(c, 1, r);
	}
	return c;
}

static void
test_append_and_print(void)
{
	sl_chunk_pool *pool = sl_chunk_pool_new(types3, 3, 0);
	sl_chunk *c = make_chunk(pool, 5);
	SL_CHECK_INT(c->count, 5);
	SL_CHECK_INT(c->capacity, SL_CHUNK_CAPACITY);
	SL_CHECK_INT(sl_chunk_live(c), 5);
	SL_CHECK_STR(row_str(c, 0), "+I[0, name-0, 1970-01-01T00:00]");
	SL_CHECK_STR(row_str(c, 1), "+I[1, name-1, 1970-01-01T00:00:01]");
	SL_CHECK_STR(row_str(c, 2), "+I[2, null, 1970-01-01T00:00:02]");
	c->kinds[3] = SL_ROW_UPDATE_BEFORE;
	c->kinds[4] = SL_ROW_DELETE;
	SL_CHECK_STR(row_str(c, 3), "-U[3, name-3, 1970-01-01T00:00:03]");
	SL_CHECK_STR(row_str(c, 4), "-D[4, name-4, 1970-01-01T00:00:04]");
	c->kinds[4] = SL_ROW_UPDATE_AFTER;
	SL_CHECK_STR(row_str(c, 4), "+U[4, name-4, 1970-01-01T00:00:04]");
	SL_CHECK(sl_vec_valid(c->cols[1], 1));
	SL_CHECK(!sl_vec_valid(c->cols[1], 2));
	SL_CHECK(c->cols[0]->validity == NULL); /* no NULL: no bitmap */
	sl_chunk_unref(c);
	sl_chunk_pool_free(pool);
}

static void
test_value_formats(void)
{
	sl_arena *a = sl_arena_new(NULL, "t");
	const sl_type *dec = sl_rt_decimal(a, 10, 3);
	const sl_type *dec38 = sl_rt_decimal(a, 38, 2);
	const sl_type *ts = sl_rt_type(SL_TYPE_TIMESTAMP);
	const sl_type *ty[] = {sl_rt_type(SL_TYPE_DOUBLE), dec, dec38, sl_rt_type(SL_TYPE_BOOLEAN),
	                       sl_rt_type(SL_TYPE_DATE), ts, sl_rt_type(SL_TYPE_INT)};
	sl_chunk *c = sl_chunk_new(ty, 7, 4);
	uint32_t r = sl_chunk_append_row(c);
	sl_chunk_set_f64(c, 0, r, 0.1);
	sl_dec_put(c->cols[1], r, -12340);
	sl_dec_put(c->cols[2], r, (sl_i128)INT64_MAX * 100 + 5);
	sl_chunk_set_bool(c, 3, r, true);
	sl_chunk_set_i32(c, 4, r, sl_civil_to_days(2024, 2, 29));
	sl_chunk_set_i64(c, 5, r, sl_civil_to_days(2026, 1, 1) * SL_US_PER_DAY + 123000);
	sl_chunk_set_i32(c, 6, r, INT32_MIN);
	SL_CHECK_STR(row_str(c, r),
	             "+I[0.1, -12.340, 9223372036854775807.05, true, 2024-02-29, 2026-01-01T00:00:00.123, -2147483648]");
	r = sl_chunk_append_row(c);
	sl_chunk_set_f64(c, 0, r, 1e10);
	sl_dec_put(c->cols[1], r, 5);
	sl_dec_put(c->cols[2], r, 0);
	sl_chunk_set_bool(c, 3, r, false);
	sl_chunk_set_i32(c, 4, r, -1);
	sl_chunk_set_i64(c, 5, r, -1); /* one microsecond before the epoch */
	sl_chunk_set_null(c, 6, r);
	SL_CHECK_STR(row_str(c, r),
	             "+I[1.0E10, 0.005, 0.00, false, 1969-12-31, 1969-12-31T23:59:59.999999, null]");
	r = sl_chunk_append_row(c);
	sl_chunk_set_f64(c, 0, r, 123456.789);
	sl_chunk_set_null(c, 1, r);
	sl_chunk_set_null(c, 2, r);
	sl_chunk_set_null(c, 3, r);
	sl_chunk_set_null(c, 4, r);
	sl_chunk_set_null(c, 5, r);
	sl_chunk_set_i32(c, 6, r, 7); /* NULLs reset by append_row */
	SL_CHECK_STR(row_str(c, r), "+I[123456.789, null, null, null, null, null, 7]");
	r = sl_chunk_append_row(c);
	sl_chunk_set_f64(c, 0, r, 0.001);
	sl_chunk_set_i32(c, 6, r, 1);
	sl_dec_put(c->cols[1], r, 0);
	sl_dec_put(c->cols[2], r, 0);
	sl_chunk_set_i32(c, 4, r, 0);
	sl_chunk_set_i64(c, 5, r, 0);
	SL_CHECK_STR(row_str(c, r), "+I[0.001, 0.000, 0.00, false, 1970-01-01, 1970-01-01T00:00, 1]");
	SL_CHECK(sl_chunk_full(c));
	{
		char buf[64];
		sl_fmt_double_java(1e-4, buf);
		SL_CHECK_STR(buf, "1.0E-4");
		sl_fmt_double_java(-2.5e7, buf);
		SL_CHECK_STR(buf, "-2.5E7");
		sl_fmt_double_java(9999999.0, buf);
		SL_CHECK_STR(buf, "9999999.0");
		sl_fmt_double_java(1.0 / 3, buf);
		SL_CHECK_STR(buf, "0.3333333333333333");
		sl_fmt_timestamp_sql(-SL_US_PER_DAY * 365 + 1500, 3, buf);
		SL_CHECK_STR(buf, "1969-01-01 00:00:00.001");
	}
	{
		const sl_type *lt[1] = {sl_rt_type(SL_TYPE_TIMESTAMP_LTZ)};
		sl_chunk *l = sl_chunk_new(lt, 1, 4);
		sl_chunk_set_i64(l, 0, sl_chunk_append_row(l), 0);
		sl_chunk_set_i64(l, 0, sl_chunk_append_row(l), -1000);
		SL_CHECK_STR(row_str(l, 0), "+I[1970-01-01T00:00:00Z]");
		SL_CHECK_STR(row_str(l, 1), "+I[1969-12-31T23:59:59.999Z]");
		sl_chunk_unref(l);
	}
	sl_chunk_unref(c);
	sl_arena_free(a);
}

static void
test_nested_format(void)
{
	sl_arena *a = sl_arena_new(NULL, "t");
	sl_type_field f[2] = {{"a", sl_rt_type(SL_TYPE_INT)}, {"b", sl_rt_type(SL_TYPE_VARCHAR)}};
	sl_type *row = SL_ANEW(a, sl_type), *arr = SL_ANEW(a, sl_type), *map = SL_ANEW(a, sl_type);
	const sl_type *ty[3];
	sl_chunk *c, *d;
	uint32_t r;
	row->kind = SL_TYPE_ROW;
	row->nullable = true;
	row->nfields = 2;
	row->fields = f;
	arr->kind = SL_TYPE_ARRAY;
	arr->nullable = true;
	arr->elem = sl_rt_type(SL_TYPE_BIGINT);
	map->kind = SL_TYPE_MAP;
	map->nullable = true;
	map->key = sl_rt_type(SL_TYPE_VARCHAR);
	map->elem = sl_rt_type(SL_TYPE_INT);
	ty[0] = row;
	ty[1] = arr;
	ty[2] = map;
	c = sl_chunk_new(ty, 3, 8);
	for (int i = 0; i < 3; i++) {
		sl_vector *av = c->cols[1], *mv = c->cols[2];
		r = sl_chunk_append_row(c);
		SL_VEC_DATA(c->cols[0]->children[0], int32_t)[r] = i;
		SL_VEC_DATA(c->cols[0]->children[1], sl_str)[r] = sl_strheap_copy(&c->heap, "xy", 2);
		av->offsets[r] = av->child_used;
		for (int k = 0; k < i; k++)
			SL_VEC_DATA(av->children[0], int64_t)[av->child_used++] = 10 * i + k;
		av->offsets[r + 1] = av->child_used;
		mv->offsets[r] = mv->child_used;
		SL_VEC_DATA(mv->children[0], sl_str)[mv->child_used] = SL_STR_LIT("k");
		SL_VEC_DATA(mv->children[1], int32_t)[mv->child_used++] = i;
		mv->offsets[r + 1] = mv->child_used;
	}
	sl_vec_set_null(c->cols[0]->children[1], 1);
	SL_CHECK_STR(row_str(c, 0), "+I[+I[0, xy], [], {k=0}]");
	SL_CHECK_STR(row_str(c, 1), "+I[+I[1, null], [10], {k=1}]");
	SL_CHECK_STR(row_str(c, 2), "+I[+I[2, xy], [20, 21], {k=2}]");
	/* copy nested rows deep into another chunk, then compact */
	d = sl_chunk_new(ty, 3, 8);
	{
		uint16_t rows[2] = {2, 1};
		SL_CHECK_INT(sl_chunk_copy_rows(d, c, rows, 2), 2);
	}
	SL_CHECK_STR(row_str(d, 0), "+I[+I[2, xy], [20, 21], {k=2}]");
	SL_CHECK_STR(row_str(d, 1), "+I[+I[1, null], [10], {k=1}]");
	c->sel = c->sel_buf;
	c->sel[0] = 2;
	c->nsel = 1;
	sl_chunk_compact(c);
	SL_CHECK_INT(c->count, 1);
	SL_CHECK_STR(row_str(c, 0), "+I[+I[2, xy], [20, 21], {k=2}]");
	sl_chunk_unref(c);
	sl_chunk_unref(d);
	sl_arena_free(a);
}

static void
test_selection_copy_compact(void)
{
	sl_chunk_pool *pool = sl_chunk_pool_new(types3, 3, 0);
	sl_chunk *c = make_chunk(pool, 10), *d;
	/* select odd rows */
	c->sel = c->sel_buf;
	c->nsel = 0;
	for (uint16_t i = 1; i < 10; i += 2)
		c->sel[c->nsel++] = i;
	SL_CHECK_INT(sl_chunk_live(c), 5);
	d = sl_chunk_pool_get(pool);
	SL_CHECK_INT(sl_chunk_copy_rows(d, c, NULL, 0), 5); /* gather the selection */
	SL_CHECK_INT(d->count, 5);
	SL_CHECK(d->sel == NULL);
	SL_CHECK_STR(row_str(d, 0), "+I[1, name-1, 1970-01-01T00:00:01]");
	SL_CHECK_STR(row_str(d, 2), "+I[5, null, 1970-01-01T00:00:05]");
	SL_CHECK_STR(row_str(d, 4), "+I[9, name-9, 1970-01-01T00:00:09]");
	/* d's strings are its own: releasing c does not affect them */
	SL_CHECK(SL_VEC_DATA(d->cols[1], sl_str)[0].ptr != SL_VEC_DATA(c->cols[1], sl_str)[1].ptr);
	c->kinds[5] = SL_ROW_DELETE;
	sl_chunk_compact(c);
	SL_CHECK_INT(c->count, 5);
	SL_CHECK(c->sel == NULL);
	SL_CHECK_STR(row_str(c, 0), "+I[1, name-1, 1970-01-01T00:00:01]");
	SL_CHECK_STR(row_str(c, 1), "+I[3, name-3, 1970-01-01T00:00:03]");
	SL_CHECK_STR(row_str(c, 2), "-D[5, null, 1970-01-01T00:00:05]");
	SL_CHECK_STR(row_str(c, 3), "+I[7, name-7, 1970-01-01T00:00:07]");
	/* empty selection */
	c->sel = c->sel_buf;
	c->nsel = 0;
	SL_CHECK_INT(sl_chunk_copy_rows(d, c, NULL, 0), 0);
	sl_chunk_compact(c);
	SL_CHECK_INT(c->count, 0);
	/* copying into a nearly full chunk stops at capacity */
	sl_chunk_unref(c);
	c = make_chunk(pool, 10);
	d->count = SL_CHUNK_CAPACITY - 3;
	SL_CHECK_INT(sl_chunk_copy_rows(d, c, NULL, 0), 3);
	SL_CHECK_INT(d->count, SL_CHUNK_CAPACITY);
	sl_chunk_unref(c);
	sl_chunk_unref(d);
	sl_chunk_pool_free(pool);
}

/* Rows appended to a chunk in several copies keep their own NULLs: a copy
 * without NULLs after one with them, and the other way round, across
 * 64-row bitmap words; strings are copied into the destination's heap. */
static void
test_copy_rows_validity(void)
{
	sl_chunk_pool *pool = sl_chunk_pool_new(types3, 3, 0);
	sl_chunk *nulls = make_chunk(pool, 70), *full = make_chunk(pool, 70), *d;
	char want[32];
	/* full: no NULL strings (and no bitmap) */
	for (uint32_t r = 0; r < 70; r++)
		SL_VEC_DATA(full->cols[1], sl_str)[r] = sl_strheap_copy(&full->heap, "v", 1);
	full->cols[1]->validity = NULL;
	for (int order = 0; order < 2; order++) {
		sl_chunk *first = order ? nulls : full, *second = order ? full : nulls;
		d = sl_chunk_pool_get(pool);
		SL_CHECK_INT(sl_chunk_copy_rows(d, first, NULL, 0), 70);
		SL_CHECK_INT(sl_chunk_copy_rows(d, second, NULL, 0), 70);
		SL_CHECK_INT(d->count, 140);
		for (uint32_t r = 0; r < 140; r++) {
			const sl_chunk *from = r < 70 ? first : second;
			uint32_t i = r % 70;
			if (from == full)
				snprintf(want, sizeof want, "+I[%u, v, ", i);
			else if (i % 3 == 2)
				snprintf(want, sizeof want, "+I[%u, null, ", i);
			else
				snprintf(want, sizeof want, "+I[%u, name-%u, ", i, i);
			if (strncmp(row_str(d, r), want, strlen(want)) != 0) {
				SL_CHECK_STR(row_str(d, r), want);
				break;
			}
		}
		SL_CHECK(SL_VEC_DATA(d->cols[1], sl_str)[0].ptr != SL_VEC_DATA(first->cols[1], sl_str)[0].ptr);
		sl_chunk_unref(d);
	}
	sl_chunk_unref(nulls);
	sl_chunk_unref(full);
	sl_chunk_pool_free(pool);
}

static void
test_pool_reuse(void)
{
	sl_chunk_pool *pool = sl_chunk_pool_new(types3, 3, 0);
	sl_chunk_stats before, after;
	uint64_t created, idle;
	sl_chunk *c = make_chunk(pool, 100), *keep;
	sl_chunk_unref(c);
	sl_chunk_stats_get(&before);
	for (int i = 0; i < 1000; i++) {
		c = make_chunk(pool, 1000);
		keep = sl_chunk_ref(c); /* fan-out: two holders */
		sl_chunk_unref(c);
		SL_CHECK_INT(atomic_load(&keep->refcount), 1);
		sl_chunk_unref(keep);
	}
	sl_chunk_stats_get(&after);
	SL_CHECK_INT(after.chunks_allocated - before.chunks_allocated, 0);
	SL_CHECK_INT(after.heap_blocks - before.heap_blocks, 0);
	SL_CHECK_INT(after.pool_gets - before.pool_gets, 1000);
	sl_chunk_pool_counts(pool, &idle, &created);
	SL_CHECK_INT(created, 1);
	SL_CHECK_INT(idle, 1);
	/* a reused chunk comes back empty, all valid, all +I */
	c = sl_chunk_pool_get(pool);
	SL_CHECK_INT(c->count, 0);
	SL_CHECK(c->sel == NULL);
	SL_CHECK(c->cols[1]->validity == NULL);
	SL_CHECK_INT(c->kinds[0], SL_ROW_INSERT);
	sl_chunk_unref(c);
	sl_chunk_pool_free(pool);
}

static void
test_keep_alive(void)
{
	sl_chunk_pool *pool = sl_chunk_pool_new(types3, 3, 0);
	sl_chunk *in = make_chunk(pool, 3), *out = sl_chunk_pool_get(pool);
	sl_chunk_keep(out, in);
	sl_chunk_keep(out, in); /* idempotent */
	SL_CHECK_INT(out->nkeep, 1);
	SL_CHECK_INT(atomic_load(&in->refcount), 2);
	sl_chunk_unref(in);
	SL_CHECK_INT(atomic_load(&in->refcount), 1);
	sl_chunk_unref(out); /* releases in too */
	{
		uint64_t idle;
		sl_chunk_pool_counts(pool, &idle, NULL);
		SL_CHECK_INT(idle, 2);
	}
	sl_chunk_pool_free(pool);
}

typedef struct xthread {
	sl_chunk *chunks[64];
	int n;
} xthread;

static void *
release_all(void *arg)
{
	xthread *x = arg;
	for (int i = 0; i < x->n; i++)
		sl_chunk_unref(x->chunks[i]);
	return NULL;
}

static void
test_cross_thread_release(void)
{
	sl_chunk_pool *pool = sl_chunk_pool_new(types3, 3, 0);
	xthread x = {.n = 64};
	pthread_t th;
	uint64_t idle, created;
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 64; i++)
			x.chunks[i] = make_chunk(pool, 10);
		pthread_create(&th, NULL, release_all, &x);
		pthread_join(th, NULL);
	}
	sl_chunk_pool_counts(pool, &idle, &created);
	SL_CHECK_INT(created, 64);
	SL_CHECK_INT(idle, 64);
	/* the pool may be freed while a chunk is still out */
	x.chunks[0] = make_chunk(pool, 1);
	sl_chunk_pool_free(pool);
	SL_CHECK_STR(row_str(x.chunks[0], 0), "+I[0, name-0, 1970-01-01T00:00]");
	sl_chunk_unref(x.chunks[0]);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	init_types();
	SL_RUN(test_append_and_print);
	SL_RUN(test_value_formats);
	SL_RUN(test_nested_format);
	SL_RUN(test_selection_copy_compact);
	SL_RUN(test_copy_rows_validity);
	SL_RUN(test_pool_reuse);
	SL_RUN(test_keep_alive);
	SL_RUN(test_cross_thread_release);
	return SL_TEST_MAIN_END();
}
