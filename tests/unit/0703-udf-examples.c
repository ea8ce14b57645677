/*
 * 0703-udf-examples.c
 *	  The example library udf/examples/libnexmark_udf.so loaded through the
 *	  loader and called through the ABI as the runtime will call it: a
 *	  scalar over a vector with NULLs and a selection, aggregates through
 *	  accumulate / retract / merge / finish and a state round trip, a table
 *	  function's emitted rows; and errors reported by functions turned into
 *	  sl_error text with the function's name and the input row.
 *
 *	  Runs in the build directory; the UDF path is udf/examples (and
 *	  tests/udf for the library of failing functions).
 */
#include "udf/udf.h"

#include "tests/unit/test.h"

#include <unistd.h>

static sl_udf_registry *reg;
static sl_arena *scratch;

static const sl_type T_BIGINT = {.kind = SL_TYPE_BIGINT, .nullable = true};
static const sl_type T_DOUBLE = {.kind = SL_TYPE_DOUBLE, .nullable = true};
static const sl_type T_STRING = {.kind = SL_TYPE_VARCHAR, .nullable = true, .precision = SL_VARCHAR_MAX};
static const sl_type T_CHAR1 = {.kind = SL_TYPE_CHAR, .nullable = false, .precision = 1};

static sluice_str
S(const char *s)
{
	return (sluice_str){(uint32_t)strlen(s), s};
}

static void
clear_bit(uint64_t *bits, uint32_t row)
{
	bits[row >> 6] &= ~(1ULL << (row & 63));
}

static bool
bit(const uint64_t *bits, uint32_t row)
{
	return (bits[row >> 6] >> (row & 63)) & 1;
}

static sluice_udf_vector
vec(const sl_udf_fn *fn, int arg, const void *values, const uint64_t *validity, uint32_t len)
{
	return (sluice_udf_vector){sl_udf_abi_type(fn->sig.args[arg]), values, validity, len, 0};
}

static const sl_udf_fn *
resolve(const char *name, const sl_type *const *types, int n)
{
	sl_error *err = NULL;
	const sl_udf_fn *fn = sl_udf_resolve(reg, name, types, n, &err);
	if (!fn) {
		printf("# resolve %s: %s\n", name, err ? err->message : "?");
		sl_error_free(err);
	}
	SL_CHECK(fn != NULL);
	return fn;
}

/* Idempotent (CREATE ... IF NOT EXISTS), so main can run it before the
 * other tests even when only one of them is selected. */
static void
test_load_example(void)
{
	sl_error *err = NULL;
	sl_udf_library *lib = sl_udf_load(reg, "libnexmark_udf.so", "udf/examples", &err);
	SL_CHECK(lib != NULL);
	if (!lib) {
		printf("# %s\n", err ? err->message : "?");
		sl_error_free(err);
		return;
	}
	SL_CHECK_STR(sl_udf_library_desc(lib)->name, "nexmark");
	SL_CHECK(sl_udf_create(reg, "count_char", lib, "count_char", true, NULL));
	SL_CHECK(sl_udf_create(reg, "weighted_avg", lib, NULL, true, NULL));
	SL_CHECK(sl_udf_create(reg, "distinct_count", lib, NULL, true, NULL));
	SL_CHECK(sl_udf_create(reg, "split_words", lib, NULL, true, NULL));
	const sl_udf_entry *e = sl_udf_lookup(reg, "split_words");
	SL_CHECK(e && e->nfns == 1 && e->fns[0]->kind == SLUICE_UDF_TABLE);
	SL_CHECK(e && e->fns[0]->sig.result->nfields == 2);
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_udf_describe(sl_udf_lookup(reg, "count_char"), &sb);
	SL_CHECK(strncmp(sl_strbuf_str(&sb),
	                 "count_char(s STRING, c STRING) -> BIGINT  [scalar, ", 51) == 0);
	sl_strbuf_free(&sb);

	/* Loading the failing-functions library for the error tests. */
	lib = sl_udf_load(reg, "libfailing.so", "tests/udf", NULL);
	SL_CHECK(lib != NULL);
	if (lib) {
		SL_CHECK(sl_udf_create(reg, "fail_at", lib, NULL, true, NULL));
		SL_CHECK(sl_udf_create(reg, "fail_silently", lib, NULL, true, NULL));
		SL_CHECK(sl_udf_create(reg, "sum_once", lib, NULL, true, NULL));
		SL_CHECK(sl_udf_create(reg, "over", lib, NULL, true, NULL));
	}
}

static void
test_count_char(void)
{
	const sl_type *types[] = {&T_STRING, &T_CHAR1};   /* count_char(extra, 'c') */
	const sl_udf_fn *fn = resolve("count_char", types, 2);
	if (!fn)
		return;
	SL_CHECK(fn->deterministic);
	sluice_str s[6] = {S("abcabc"), S("ignored"), S("cccc"), S("cc"), S("xyz"), S("c c")};
	sluice_str c[6] = {S("c"), S("c"), S("c"), S("c"), S("ignored"), S("cx")};
	uint64_t s_valid = ~0ULL, c_valid = ~0ULL, out_valid = ~0ULL;
	clear_bit(&s_valid, 1);     /* count_char(NULL, 'c') = 0 */
	clear_bit(&c_valid, 4);     /* count_char(s, NULL) = NULL */
	sluice_udf_vector in[2] = {vec(fn, 0, s, &s_valid, 6), vec(fn, 1, c, &c_valid, 6)};
	int64_t res[6] = {-1, -1, -1, -1, -1, -1};
	sluice_udf_out out = {sl_udf_abi_type(fn->sig.result), res, &out_valid, 6, 0};
	uint32_t sel[5] = {0, 1, 2, 4, 5};  /* row 3 is filtered out */
	sl_udf_call call;
	sl_udf_call_init(&call, fn, scratch);
	sl_error *err = NULL;
	SL_CHECK(sl_udf_call_scalar(fn, &call, in, sel, 5, &out, &err));
	SL_CHECK_INT(res[0], 2);
	SL_CHECK_INT(res[1], 0);
	SL_CHECK(bit(&out_valid, 1));
	SL_CHECK_INT(res[2], 4);
	SL_CHECK_INT(res[3], -1);   /* not selected: untouched */
	SL_CHECK(bit(&out_valid, 3));
	SL_CHECK(!bit(&out_valid, 4));
	SL_CHECK_INT(res[5], 2);    /* only the first byte of c counts */

	/* No selection: every row, no NULLs. */
	out_valid = ~0ULL;
	in[0].validity = NULL;
	in[1].validity = NULL;
	SL_CHECK(sl_udf_call_scalar(fn, &call, in, NULL, 4, &out, NULL));
	SL_CHECK_INT(res[1], 0);
	SL_CHECK_INT(res[3], 2);

	/* An empty character: the function reports an error at its row. */
	c[2] = S("");
	SL_CHECK(!sl_udf_call_scalar(fn, &call, in, sel, 5, &out, &err));
	SL_CHECK(err && err->code == SL_ERR_UDF);
	SL_CHECK_STR(err ? err->message : NULL,
	             "function \"count_char\" failed at input row 2: the character to count is an "
	             "empty string");
	SL_CHECK(err && err->detail && strstr(err->detail, "udf/examples/libnexmark_udf.so"));
	sl_error_free(err);
	err = NULL;
	/* The call is reusable after an error. */
	c[2] = S("c");
	SL_CHECK(sl_udf_call_scalar(fn, &call, in, sel, 5, &out, NULL));
	sl_udf_call_done(&call);

	/* The wrong argument types. */
	const sl_type *bad[] = {&T_BIGINT};
	SL_CHECK(!sl_udf_resolve(reg, "count_char", bad, 1, &err));
	SL_CHECK_STR(err ? err->message : NULL, "function \"count_char\" does not accept (BIGINT)");
	SL_CHECK_STR(err ? err->hint : NULL,
	             "Its signature is: count_char(s STRING, c STRING) -> BIGINT.");
	sl_error_free(err);
}

static void
test_weighted_avg(void)
{
	const sl_type *types[] = {&T_DOUBLE, &T_BIGINT};
	const sl_udf_fn *fn = resolve("weighted_avg", types, 2);
	if (!fn)
		return;
	const sluice_udf_aggregate *ag = fn->desc.aggregate;
	SL_CHECK(ag && ag->state_size == 16 && ag->retract && !ag->serialize);
	sl_udf_call call;
	sl_udf_call_init(&call, fn, scratch);
	_Alignas(16) unsigned char g0[16], g1[16], g2[16];
	SL_CHECK(sl_udf_agg_init(fn, &call, g0, NULL));
	SL_CHECK(sl_udf_agg_init(fn, &call, g1, NULL));

	double v[5] = {1.0, 3.0, 99.0, 10.0, 2.0};
	int64_t w[5] = {1, 3, 5, 2, 0};
	uint64_t v_valid = ~0ULL, w_valid = ~0ULL;
	clear_bit(&v_valid, 2);     /* ignored rows */
	clear_bit(&w_valid, 4);
	sluice_udf_vector in[2] = {vec(fn, 0, v, &v_valid, 5), vec(fn, 1, w, &w_valid, 5)};
	void *states[5] = {g0, g0, g0, g1, g1};
	SL_CHECK(sl_udf_agg_accumulate(fn, &call, states, in, NULL, 5, NULL));

	const void *fin[3] = {g0, g1, NULL};
	double res[3];
	uint64_t valid = ~0ULL;
	sluice_udf_out out = {sl_udf_abi_type(fn->sig.result), res, &valid, 3, 0};
	SL_CHECK(sl_udf_agg_finish(fn, &call, fin, 2, &out, NULL));
	SL_CHECK(res[0] == 2.5);    /* (1*1 + 3*3) / 4 */
	SL_CHECK(res[1] == 10.0);

	/* Retract (3.0, 3) from g0. */
	uint32_t sel[1] = {1};
	SL_CHECK(sl_udf_agg_retract(fn, &call, states, in, sel, 1, NULL));
	SL_CHECK(sl_udf_agg_finish(fn, &call, fin, 2, &out, NULL));
	SL_CHECK(res[0] == 1.0);

	/* Merge g1 into g0: (1 + 20) / 3. */
	SL_CHECK(sl_udf_agg_merge(fn, &call, g0, g1, NULL));
	SL_CHECK(sl_udf_agg_finish(fn, &call, fin, 1, &out, NULL));
	SL_CHECK(res[0] == 7.0);

	/* Fixed state: the block is the stored form. */
	const void *bytes;
	size_t len;
	SL_CHECK(sl_udf_agg_serialize(fn, &call, g0, &bytes, &len, NULL));
	SL_CHECK(bytes == g0 && len == 16);
	SL_CHECK(sl_udf_agg_deserialize(fn, &call, bytes, len, g2, NULL));
	fin[2] = g2;
	valid = ~0ULL;
	SL_CHECK(sl_udf_agg_finish(fn, &call, fin, 3, &out, NULL));
	SL_CHECK(res[2] == 7.0);
	sl_error *err = NULL;
	SL_CHECK(!sl_udf_agg_deserialize(fn, &call, bytes, 8, g2, &err));
	SL_CHECK(err && err->code == SL_ERR_CORRUPT);
	SL_CHECK_STR(err ? err->message : NULL,
	             "stored state of function \"weighted_avg\" has 8 bytes, expected 16");
	sl_error_free(err);

	/* No weight at all: NULL. Retracting everything: NULL again. */
	SL_CHECK(sl_udf_agg_init(fn, &call, g2, NULL));
	valid = ~0ULL;
	SL_CHECK(sl_udf_agg_finish(fn, &call, fin, 3, &out, NULL));
	SL_CHECK(!bit(&valid, 2) && bit(&valid, 0));
	void *only_g1[5] = {g1, g1, g1, g1, g1};
	uint32_t sel_g1[1] = {3};
	SL_CHECK(sl_udf_agg_retract(fn, &call, only_g1, in, sel_g1, 1, NULL));
	valid = ~0ULL;
	SL_CHECK(sl_udf_agg_finish(fn, &call, fin, 2, &out, NULL));
	SL_CHECK(!bit(&valid, 1));
	sl_udf_agg_destroy(fn, &call, g0);   /* a no-op for fixed state */
	sl_udf_call_done(&call);
}

static void
test_distinct_count(void)
{
	const sl_type *types[] = {&T_BIGINT};
	const sl_udf_fn *fn = resolve("distinct_count", types, 1);
	if (!fn)
		return;
	SL_CHECK(fn->sig.result->nullable == false);
	sl_udf_call call;
	sl_udf_call_init(&call, fn, scratch);
	size_t sz = fn->desc.aggregate->state_size;
	void *g0 = sl_arena_zalloc(scratch, sz), *g1 = sl_arena_zalloc(scratch, sz);
	void *g2 = sl_arena_zalloc(scratch, sz);
	SL_CHECK(sl_udf_agg_init(fn, &call, g0, NULL));
	SL_CHECK(sl_udf_agg_init(fn, &call, g1, NULL));

	int64_t v[6] = {1, 2, 2, 3, 77, 5};
	uint64_t valid_in = ~0ULL;
	clear_bit(&valid_in, 4);
	sluice_udf_vector in = vec(fn, 0, v, &valid_in, 6);
	void *states[6] = {g0, g0, g0, g0, g0, g1};
	SL_CHECK(sl_udf_agg_accumulate(fn, &call, states, &in, NULL, 6, NULL));
	int64_t res[3];
	uint64_t valid = ~0ULL;
	sluice_udf_out out = {sl_udf_abi_type(fn->sig.result), res, &valid, 3, 0};
	const void *fin[3] = {g0, g1, g2};
	SL_CHECK(sl_udf_agg_finish(fn, &call, fin, 2, &out, NULL));
	SL_CHECK_INT(res[0], 3);
	SL_CHECK_INT(res[1], 1);

	/* Retract one 2: still three distinct; the second 2: two. */
	uint32_t sel[1] = {1};
	SL_CHECK(sl_udf_agg_retract(fn, &call, states, &in, sel, 1, NULL));
	SL_CHECK(sl_udf_agg_finish(fn, &call, fin, 1, &out, NULL));
	SL_CHECK_INT(res[0], 3);
	SL_CHECK(sl_udf_agg_retract(fn, &call, states, &in, sel, 1, NULL));
	SL_CHECK(sl_udf_agg_finish(fn, &call, fin, 1, &out, NULL));
	SL_CHECK_INT(res[0], 2);

	/* Round trip through the library's serialization. */
	const void *bytes = NULL;
	size_t len = 0;
	SL_CHECK(sl_udf_agg_serialize(fn, &call, g0, &bytes, &len, NULL));
	SL_CHECK(bytes != NULL && bytes != g0);
	SL_CHECK_INT(len, 4 + 2 * 16);
	SL_CHECK(sl_udf_agg_deserialize(fn, &call, bytes, len, g2, NULL));
	SL_CHECK(sl_udf_agg_finish(fn, &call, fin, 3, &out, NULL));
	SL_CHECK_INT(res[2], 2);
	/* The restored state behaves like the original: merge g1 {5} in. */
	SL_CHECK(sl_udf_agg_merge(fn, &call, g2, g1, NULL));
	SL_CHECK(sl_udf_agg_finish(fn, &call, fin, 3, &out, NULL));
	SL_CHECK_INT(res[2], 3);
	SL_CHECK_INT(res[0], 2);    /* the original is independent */

	sl_error *err = NULL;
	void *g3 = sl_arena_zalloc(scratch, sz);    /* deserialize fills a fresh block */
	SL_CHECK(!sl_udf_agg_deserialize(fn, &call, bytes, len - 1, g3, &err));
	SL_CHECK_STR(err ? err->message : NULL,
	             "function \"distinct_count\" failed in deserialize: stored state has 35 bytes, "
	             "expected 36 for 2 values");
	sl_error_free(err);
	err = NULL;

	/* Retracting a value never added is an error at its row. */
	int64_t never[2] = {0, 42};
	sluice_udf_vector in2 = vec(fn, 0, never, NULL, 2);
	uint32_t sel2[1] = {1};
	SL_CHECK(!sl_udf_agg_retract(fn, &call, states, &in2, sel2, 1, &err));
	SL_CHECK_STR(err ? err->message : NULL,
	             "function \"distinct_count\" failed at input row 1: retracted value 42 that was "
	             "never added");
	sl_error_free(err);

	sl_udf_agg_destroy(fn, &call, g0);
	sl_udf_agg_destroy(fn, &call, g1);
	sl_udf_agg_destroy(fn, &call, g2);
	sl_udf_call_done(&call);
}

/* count_char over real Nexmark bids (from `sluice gen nexmark`) against the
 * oracle's SQL formula for the q14 column, computed by SQLite:
 * length(extra) - length(replace(extra, 'c', '')). */
static void
test_count_char_matches_oracle(void)
{
	const sl_type *types[] = {&T_STRING, &T_CHAR1};
	const sl_udf_fn *fn = resolve("count_char", types, 2);
	if (!fn)
		return;
	const char *dir = "tests/udf/q14-events";
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
	         "./sluice gen nexmark --events 20000 --seed 14 --out %s --table bid >/dev/null && "
	         "sqlite3 -batch :memory: "
	         "'CREATE TABLE bid (auction, bidder, price, channel, url, dateTime, extra)' "
	         "'.import --csv %s/bid.csv bid' "
	         "\"SELECT extra, length(extra) - length(replace(extra, 'c', '')) FROM bid\"",
	         dir, dir);
	FILE *p = popen(cmd, "r");
	SL_CHECK(p != NULL);
	if (!p)
		return;
	enum { N = 1024 };
	static char lines[N][512];
	static sluice_str s[N], c[N];
	static int64_t expect[N], res[N];
	uint64_t valid[N / 64];
	sl_udf_call call;
	sl_udf_call_init(&call, fn, scratch);
	long total = 0, mismatches = 0, nonzero = 0;
	bool eof = false;
	while (!eof) {
		uint32_t n = 0;
		while (n < N) {
			if (!fgets(lines[n], sizeof lines[n], p)) {
				eof = true;
				break;
			}
			char *bar = strrchr(lines[n], '|');
			if (!bar)
				continue;
			*bar = '\0';
			expect[n] = strtoll(bar + 1, NULL, 10);
			s[n] = S(lines[n]);
			c[n] = S("c");
			n++;
		}
		if (n == 0)
			break;
		memset(valid, 0xff, sizeof valid);
		sluice_udf_vector in[2] = {vec(fn, 0, s, NULL, n), vec(fn, 1, c, NULL, n)};
		sluice_udf_out out = {sl_udf_abi_type(fn->sig.result), res, valid, n, 0};
		SL_CHECK(sl_udf_call_scalar(fn, &call, in, NULL, n, &out, NULL));
		for (uint32_t i = 0; i < n; i++) {
			mismatches += res[i] != expect[i];
			nonzero += res[i] != 0;
		}
		total += n;
	}
	SL_CHECK_INT(pclose(p), 0);
	SL_CHECK(total > 15000);        /* 46 of every 50 events are bids */
	SL_CHECK(nonzero > total / 2);
	SL_CHECK_INT(mismatches, 0);
	printf("# count_char matched the oracle on %ld bids\n", total);
	sl_udf_call_done(&call);
	unlink("tests/udf/q14-events/bid.csv");
	rmdir(dir);
}

typedef struct emitted {
	int n;
	int stop_after;         /* 0: never */
	uint32_t rows[16];
	char words[16][16];
	int32_t pos[16];
} emitted;

static int
collect(void *arg, uint32_t row, const void *const *cols)
{
	emitted *em = arg;
	if (em->n < 16) {
		const sluice_str *w = cols[0];
		em->rows[em->n] = row;
		snprintf(em->words[em->n], sizeof em->words[0], "%.*s", (int)w->len, w->ptr);
		em->pos[em->n] = *(const int32_t *)cols[1];
		em->n++;
	}
	return em->stop_after && em->n >= em->stop_after;
}

static void
test_split_words(void)
{
	const sl_type *types[] = {&T_STRING};
	const sl_udf_fn *fn = resolve("split_words", types, 1);
	if (!fn)
		return;
	SL_CHECK(fn->sig.result->kind == SL_TYPE_ROW);
	SL_CHECK_STR(fn->sig.result->fields[0].name, "word");
	SL_CHECK(fn->sig.result->fields[1].type->kind == SL_TYPE_INT);
	sluice_str s[5] = {S("hello  big\tworld"), S("x"), S(""), S(" one "), S("skipped")};
	uint64_t valid = ~0ULL;
	clear_bit(&valid, 1);
	sluice_udf_vector in = vec(fn, 0, s, &valid, 5);
	uint32_t sel[4] = {0, 1, 2, 3};
	sl_udf_call call;
	sl_udf_call_init(&call, fn, scratch);
	emitted em = {0};
	SL_CHECK(sl_udf_call_table(fn, &call, &in, sel, 4, collect, &em, NULL));
	SL_CHECK_INT(em.n, 4);
	SL_CHECK(em.rows[0] == 0 && strcmp(em.words[0], "hello") == 0 && em.pos[0] == 1);
	SL_CHECK(em.rows[1] == 0 && strcmp(em.words[1], "big") == 0 && em.pos[1] == 2);
	SL_CHECK(em.rows[2] == 0 && strcmp(em.words[2], "world") == 0 && em.pos[2] == 3);
	SL_CHECK(em.rows[3] == 3 && strcmp(em.words[3], "one") == 0 && em.pos[3] == 1);

	/* The engine can stop a call early. */
	emitted em2 = {0};
	em2.stop_after = 2;
	SL_CHECK(sl_udf_call_table(fn, &call, &in, NULL, 5, collect, &em2, NULL));
	SL_CHECK_INT(em2.n, 2);
	sl_udf_call_done(&call);
}

typedef struct counting_alloc {
	int calls;
	size_t bytes;
	_Alignas(16) char buf[64];
} counting_alloc;

static void *
count_alloc(void *arg, size_t n)
{
	counting_alloc *ca = arg;
	ca->calls++;
	ca->bytes += n;
	SL_ASSERT(n <= sizeof ca->buf);
	return ca->buf;
}

static void
test_failing_functions(void)
{
	const sl_type *types[] = {&T_BIGINT};
	const sl_udf_fn *fn = resolve("fail_at", types, 1);
	if (!fn)
		return;
	sl_udf_call call;
	sl_udf_call_init(&call, fn, scratch);
	int64_t v[3] = {5, -3, -7}, res[3];
	uint64_t valid = ~0ULL;
	sluice_udf_vector in = vec(fn, 0, v, NULL, 3);
	sluice_udf_out out = {sl_udf_abi_type(fn->sig.result), res, &valid, 3, 0};
	uint32_t sel[2] = {0, 2};
	sl_error *err = NULL;
	SL_CHECK(!sl_udf_call_scalar(fn, &call, &in, sel, 2, &out, &err));
	SL_CHECK_STR(err ? err->message : NULL,
	             "function \"fail_at\" failed at input row 2: negative value -7");
	sl_error_free(err);
	err = NULL;
	SL_CHECK(sl_udf_call_scalar(fn, &call, &in, sel, 1, &out, NULL));
	SL_CHECK_INT(res[0], 5);
	sl_udf_call_done(&call);

	fn = resolve("fail_silently", types, 1);
	if (fn) {
		sl_udf_call_init(&call, fn, scratch);
		SL_CHECK(!sl_udf_call_scalar(fn, &call, &in, NULL, 3, &out, &err));
		SL_CHECK_STR(err ? err->message : NULL,
		             "function \"fail_silently\" failed without reporting an error (status 7)");
		sl_error_free(err);
		err = NULL;
		sl_udf_call_done(&call);
	}

	fn = resolve("sum_once", types, 1);
	if (fn) {
		sl_udf_call_init(&call, fn, scratch);
		int64_t a = 0, b = 0;
		void *states[3] = {&a, &a, &b};
		SL_CHECK(sl_udf_agg_init(fn, &call, &a, NULL) && sl_udf_agg_init(fn, &call, &b, NULL));
		SL_CHECK(sl_udf_agg_accumulate(fn, &call, states, &in, NULL, 3, NULL));
		SL_CHECK_INT(a, 2);
		SL_CHECK(!sl_udf_agg_merge(fn, &call, &a, &b, &err));
		SL_CHECK_STR(err ? err->message : NULL,
		             "function \"sum_once\" failed in merge: merging is not supported");
		sl_error_free(err);
		err = NULL;
		SL_CHECK(!sl_udf_agg_retract(fn, &call, states, &in, NULL, 3, &err));
		SL_CHECK_STR(err ? err->message : NULL,
		             "aggregate function \"sum_once\" cannot retract rows");
		sl_error_free(err);
		err = NULL;
		sl_udf_call_done(&call);
	}

	/* A string result in scratch memory from ctx->alloc. */
	const sl_type *stypes[] = {&T_STRING};
	fn = resolve("over", stypes, 1);
	if (fn) {
		SL_CHECK(fn->sig.result->kind == SL_TYPE_VARCHAR);
		sl_udf_call_init(&call, fn, scratch);
		sluice_str s[2] = {S("ab"), S("?")}, r[2];
		uint64_t in_valid = ~0ULL, out_valid = ~0ULL;
		clear_bit(&in_valid, 1);
		sluice_udf_vector sin = vec(fn, 0, s, &in_valid, 2);
		sluice_udf_out sout = {sl_udf_abi_type(fn->sig.result), r, &out_valid, 2, 0};
		size_t before = sl_arena_used(scratch);
		SL_CHECK(sl_udf_call_scalar(fn, &call, &sin, NULL, 2, &sout, NULL));
		SL_CHECK(r[0].len == 4 && memcmp(r[0].ptr, "<ab>", 4) == 0);
		SL_CHECK(!bit(&out_valid, 1));
		SL_CHECK(sl_arena_used(scratch) > before);

		/* The runtime may serve ctx->alloc itself. */
		counting_alloc ca = {0};
		sl_udf_call_set_alloc(&call, count_alloc, &ca);
		out_valid = ~0ULL;
		SL_CHECK(sl_udf_call_scalar(fn, &call, &sin, NULL, 2, &sout, NULL));
		SL_CHECK_INT(ca.calls, 1);
		SL_CHECK_INT(ca.bytes, 4);
		SL_CHECK(r[0].ptr == ca.buf && memcmp(r[0].ptr, "<ab>", 4) == 0);
		sl_udf_call_done(&call);
	}
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	reg = sl_udf_registry_new();
	scratch = sl_arena_new(NULL, "udf scratch");
	test_load_example();    /* always: the others need its functions */
	SL_RUN(test_load_example);
	SL_RUN(test_count_char);
	SL_RUN(test_count_char_matches_oracle);
	SL_RUN(test_weighted_avg);
	SL_RUN(test_distinct_count);
	SL_RUN(test_split_words);
	SL_RUN(test_failing_functions);
	sl_arena_free(scratch);
	sl_udf_registry_free(reg);
	return SL_TEST_MAIN_END();
}
