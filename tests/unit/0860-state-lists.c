/*
 * 0860-state-lists.c
 *	  List appends, reads that cache nothing, and the reused write batch
 *	  (state/kv.c):
 *	  - a random mix of list appends, capped appends (list state and
 *	    list-encoded map entries, sl_state_map_append_capped), reads and
 *	    clears under a 64 KB budget (entries are flushed, evicted and
 *	    reloaded) always agrees with an in-memory model, the accounted
 *	    bytes never pass the budget, and the model survives a snapshot and
 *	    restore;
 *	  - a key's first element is stored inline in its entry, and n appends
 *	    to one key move its buffer O(log n) times (amortized growth);
 *	  - reads of keys the absent-key filter rules out insert no cache
 *	    entry, while a key that is in RocksDB is still found;
 *	  - sl_state_map_append_cached appends to a cached entry up to its
 *	    cap, creates one only when fresh, and counts an evicted one as
 *	    full without a RocksDB read;
 *	  - every flush and snapshot goes through the backend's one write
 *	    batch, written in pieces of SL_STATE_BATCH_BYTES and left empty,
 *	    and what it wrote reads back after a restore.
 */
#include "tests/unit/0300-state-util.h"

#define MAXP 128
#define NKEYS 300
#define MAXELEMS 64

/* xorshift64* */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/* base/name, malloc'ed */
static char *
xprintf_test(const char *base, const char *name)
{
	size_t n = strlen(base) + strlen(name) + 2;
	char *p = sl_xmalloc(n);
	snprintf(p, n, "%s/%s", base, name);
	return p;
}

/* model: per key and kind (0 list state, 1 map entry), the elements */
typedef struct mlist {
	int n;
	size_t bytes;                 /* encoded length: 4 + len per element */
	uint16_t len[MAXELEMS];
	uint32_t seed[MAXELEMS];      /* element i = bytes derived from seed */
} mlist;
static mlist model[2][NKEYS];

static void
elem_bytes(uint32_t seed, uint16_t len, char *out)
{
	for (uint16_t i = 0; i < len; i++)
		out[i] = (char)('a' + (seed + i * 7u) % 26);
}

static int
check_key(sl_state_list *ls, sl_state_map *ms, int kind, int i)
{
	char k[32], e[512];
	const void *buf, *el;
	size_t len, pos = 0, elen;
	int n = snprintf(k, sizeof k, "key%d", i), f, got = 0;
	mlist *m = &model[kind][i];
	f = kind == 0 ? sl_state_list_get(ls, k, (size_t)n, &buf, &len, NULL)
	              : sl_state_map_get(ms, "g", 1, k, (size_t)n, &buf, &len, NULL);
	if (f < 0)
		return 1;
	if (f == 0)
		return m->n != 0;
	if (len != m->bytes)
		return 1;
	while (sl_state_list_next(buf, len, &pos, &el, &elen)) {
		if (got >= m->n || elen != m->len[got])
			return 1;
		elem_bytes(m->seed[got], m->len[got], e);
		if (memcmp(el, e, elen) != 0)
			return 1;
		got++;
	}
	return got != m->n;
}

static int
check_all(sl_state_list *ls, sl_state_map *ms)
{
	int bad = 0;
	for (int kind = 0; kind < 2; kind++)
		for (int i = 0; i < NKEYS; i++)
			bad += check_key(ls, ms, kind, i);
	return bad;
}

static void
random_ops(sl_state_list *ls, sl_state_map *ms, int nops)
{
	char k[32], e[512];
	for (int op = 0; op < nops; op++) {
		int kind = (int)(rnd() % 2), i = (int)(rnd() % NKEYS);
		int n = snprintf(k, sizeof k, "key%d", i);
		mlist *m = &model[kind][i];
		uint32_t seed = (uint32_t)rnd();
		uint16_t len = (uint16_t)(rnd() % 300);
		size_t cap = (rnd() % 3 == 0) ? (size_t)(rnd() % 4000) : SIZE_MAX;
		int r = (int)(rnd() % 10);
		elem_bytes(seed, len, e);
		if (r == 0) {
			/* clear */
			if (kind == 0)
				CHECK_OK(sl_state_list_clear(ls, k, (size_t)n, errp));
			else
				CHECK_OK(sl_state_map_remove(ms, "g", 1, k, (size_t)n, errp));
			m->n = 0;
			m->bytes = 0;
		} else if (r == 1) {
			SL_CHECK_INT(check_key(ls, ms, kind, i), 0);
		} else {
			bool full = m->bytes >= cap || m->n == MAXELEMS;
			int f;
			if (m->n == MAXELEMS)
				cap = 0; /* the model is full: the append must be refused */
			if (kind == 0)
				f = cap == SIZE_MAX ? (sl_state_list_append(ls, k, (size_t)n, e, len, NULL) ? 1 : -1)
				                    : sl_state_list_append_capped(ls, k, (size_t)n, e, len, cap, NULL);
			else
				f = sl_state_map_append_capped(ms, "g", 1, k, (size_t)n, e, len, cap, NULL);
			SL_CHECK_INT(f, full ? 0 : 1);
			if (f == 1) {
				m->len[m->n] = len;
				m->seed[m->n] = seed;
				m->n++;
				m->bytes += 4 + len;
			}
		}
		SL_CHECK(ls->used <= ls->budget);
		SL_CHECK(ms->used <= ms->budget);
	}
}

static void
test_lists_model_and_restore(void)
{
	char *base = test_tmpdir("lists");
	char *d1 = xprintf_test(base, "a");
	sl_state *st = test_open(d1, MAXP, 0, MAXP - 1, NULL, 64 << 10);
	sl_state_list *ls = sl_state_list_open(st, "l", NULL, NULL);
	sl_state_map *ms = sl_state_map_open(st, "m", NULL, NULL);
	random_ops(ls, ms, 60000);
	SL_CHECK_INT(check_all(ls, ms), 0);
	/* the budget really was exceeded: entries were evicted and reloaded */
	SL_CHECK(ls->evictions > 0 && ms->evictions > 0);
	SL_CHECK(ls->misses > ls->bf_skips);

	char *ckroot = xprintf_test(base, "ck");
	sl_ck_storage *ck = sl_ck_storage_open(ckroot, "job", NULL);
	sl_ck_task_info info;
	sl_state_snapshot *snap = NULL;
	CHECK_OK((snap = sl_state_snapshot_take(st, 1, errp)) != NULL);
	if (snap) {
		CHECK_OK(sl_state_snapshot_upload(snap, ck, 0, false, &info, errp));
		sl_state_snapshot_free(snap);
		CHECK_OK(sl_ck_storage_commit(ck, 1, false, MAXP, &info, 1, errp));
	}
	sl_state_close(st);
	char *dir = sl_ck_storage_dir(ck, 1, false);
	st = test_open(d1, MAXP, 0, MAXP - 1, dir, 64 << 10);
	SL_CHECK(st != NULL);
	if (st) {
		ls = sl_state_list_open(st, "l", NULL, NULL);
		ms = sl_state_map_open(st, "m", NULL, NULL);
		SL_CHECK_INT(check_all(ls, ms), 0);
		random_ops(ls, ms, 20000);
		SL_CHECK_INT(check_all(ls, ms), 0);
		sl_state_close(st);
	}
	free(dir);
	sl_ck_storage_free(ck);
	free(ckroot);
	free(d1);
	sl_rm_rf(base);
	free(base);
}

static void
test_append_growth(void)
{
	char *base = test_tmpdir("listgrow");
	sl_state *st = test_open(base, MAXP, 0, MAXP - 1, NULL, 0);
	sl_state_list *ls = sl_state_list_open(st, "l", NULL, NULL);
	sl_state_map *ms = sl_state_map_open(st, "m", NULL, NULL);
	const void *buf, *prev = NULL;
	size_t len;
	int moves = 0;
	centry *e;
	/* a new key's first element is inline: one block, value exactly 4 + 16 */
	CHECK_OK(sl_state_list_append(ls, "k", 1, "0123456789abcdef", 16, errp));
	SL_CHECK_INT(ls->count, 1);
	e = ls->lru.lru_next;
	SL_CHECK(!(e->flags & CE_HEAPVAL));
	SL_CHECK_INT(e->vlen, 20);
	SL_CHECK_INT(sl_state_map_append_capped(ms, "k", 1, "u", 1, "xy", 2, SIZE_MAX, NULL), 1);
	e = ms->lru.lru_next;
	SL_CHECK(!(e->flags & CE_HEAPVAL));
	SL_CHECK_INT(e->vlen, 6);
	/* 100000 appends: the buffer moves O(log n) times */
	for (int i = 1; i < 100000; i++) {
		CHECK_OK(sl_state_list_append(ls, "k", 1, "0123456789abcdef", 16, errp));
		if (sl_state_list_get(ls, "k", 1, &buf, &len, NULL) != 1 || len != (size_t)(i + 1) * 20) {
			SL_CHECK(!"list length");
			break;
		}
		if (buf != prev)
			moves++;
		prev = buf;
	}
	printf("# 100000 appends moved the list %d times\n", moves);
	SL_CHECK(moves <= 24);
	/* a capped append to a full list writes nothing */
	SL_CHECK_INT(sl_state_list_append_capped(ls, "k", 1, "z", 1, 20, NULL), 0);
	SL_CHECK(sl_state_list_get(ls, "k", 1, &buf, &len, NULL) == 1 && len == 2000000);
	sl_state_close(st);
	sl_rm_rf(base);
	free(base);
}

/* sl_state_map_append_cached: appends to a cached entry (up to its cap),
 * counts an entry that is not cached as full without reading RocksDB,
 * and creates a fresh one only when told it does not exist. */
static void
test_append_cached(void)
{
	char *base = test_tmpdir("listcached");
	sl_state *st = test_open(base, MAXP, 0, MAXP - 1, NULL, 0);
	sl_state_map *ms = sl_state_map_open(st, "m", NULL, NULL);
	const void *v;
	size_t vl, pos = 0, el;
	const void *e;
	uint64_t misses;
	/* absent and not fresh: full, nothing created */
	SL_CHECK_INT(sl_state_map_append_cached(ms, "k", 1, "c0", 2, "ab", 2, 64, false, NULL), 0);
	SL_CHECK_INT(ms->count, 0);
	/* fresh: created with the element, then appended to while cached */
	SL_CHECK_INT(sl_state_map_append_cached(ms, "k", 1, "c0", 2, "ab", 2, 64, true, NULL), 1);
	SL_CHECK_INT(sl_state_map_append_cached(ms, "k", 1, "c0", 2, "cde", 3, 64, false, NULL), 1);
	SL_CHECK(sl_state_map_get(ms, "k", 1, "c0", 2, &v, &vl, NULL) == 1 && vl == 13);
	SL_CHECK(sl_state_list_next(v, vl, &pos, &e, &el) && el == 2 && memcmp(e, "ab", 2) == 0);
	SL_CHECK(sl_state_list_next(v, vl, &pos, &e, &el) && el == 3 && memcmp(e, "cde", 3) == 0);
	/* the cap: 13 bytes >= 13 is full */
	SL_CHECK_INT(sl_state_map_append_cached(ms, "k", 1, "c0", 2, "f", 1, 13, false, NULL), 0);
	/* written and evicted: full, and RocksDB was not read (no miss) */
	CHECK_OK(sl_kv_flush(ms, errp));
	sl_kv_remove(ms, ms->lru.lru_next);
	SL_CHECK_INT(ms->count, 0);
	misses = ms->misses;
	SL_CHECK_INT(sl_state_map_append_cached(ms, "k", 1, "c0", 2, "gh", 2, 64, false, NULL), 0);
	SL_CHECK(ms->misses == misses && ms->count == 0);
	/* the stored chunk is intact */
	SL_CHECK(sl_state_map_get(ms, "k", 1, "c0", 2, &v, &vl, NULL) == 1 && vl == 13);
	sl_state_close(st);
	sl_rm_rf(base);
	free(base);
}

static void
test_reads_cache_nothing(void)
{
	char *base = test_tmpdir("listread");
	char *d1 = xprintf_test(base, "a"), *d2 = xprintf_test(base, "b");
	sl_state *st = test_open(d1, MAXP, 0, MAXP - 1, NULL, 0);
	sl_state_list *ls = sl_state_list_open(st, "l", NULL, NULL);
	sl_state_value *vs = sl_state_value_open(st, "v", NULL, NULL);
	sl_state_map *ms = sl_state_map_open(st, "m", NULL, NULL);
	char k[32];
	const void *v;
	size_t vl;
	for (int i = 0; i < 10000; i++) {
		int n = snprintf(k, sizeof k, "absent%d", i);
		SL_CHECK_INT(sl_state_list_get(ls, k, (size_t)n, &v, &vl, NULL), 0);
		SL_CHECK_INT(sl_state_value_get(vs, k, (size_t)n, &v, &vl, NULL), 0);
		SL_CHECK_INT(sl_state_map_get(ms, k, (size_t)n, "u", 1, &v, &vl, NULL), 0);
	}
	SL_CHECK_INT(ls->count + vs->count + ms->count, 0);
	SL_CHECK_INT(ls->bf_skips + vs->bf_skips + ms->bf_skips, 30000);
	/* a key in RocksDB (flushed, then evicted by a tiny budget) is found */
	CHECK_OK(sl_state_value_put(vs, "here", 4, "abc", 3, errp));
	CHECK_OK(sl_kv_flush(vs, errp));
	sl_kv_remove(vs, vs->lru.lru_next);
	SL_CHECK_INT(vs->count, 0);
	SL_CHECK(sl_state_value_get(vs, "here", 4, &v, &vl, NULL) == 1 && vl == 3 &&
	         memcmp(v, "abc", 3) == 0);
	/* out of range is still an error, not "absent" */
	{
		sl_state *st2 = test_open(d2, MAXP, 0, 0, NULL, 0);
		sl_state_value *v2 = sl_state_value_open(st2, "v", NULL, NULL);
		int bad = 0;
		for (int i = 0; i < 50 && !bad; i++) {
			int n = snprintf(k, sizeof k, "x%d", i);
			if (sl_state_key_group(k, (size_t)n, MAXP) != 0) {
				sl_error *e = NULL;
				SL_CHECK_INT(sl_state_value_get(v2, k, (size_t)n, &v, &vl, &e), -1);
				SL_CHECK(e != NULL);
				sl_error_free(e);
				bad = 1;
			}
		}
		SL_CHECK(bad);
		sl_state_close(st2);
	}
	sl_state_close(st);
	free(d1);
	free(d2);
	sl_rm_rf(base);
	free(base);
}

static void
test_batch_reuse(void)
{
	char *base = test_tmpdir("batch");
	char *d1 = xprintf_test(base, "a");
	sl_state *st = test_open(d1, MAXP, 0, MAXP - 1, NULL, 64 << 20);
	sl_state_value *vs = sl_state_value_open(st, "v", NULL, NULL);
	rocksdb_writebatch_t *wb = st->wb;
	char k[32], val[1000];
	uint64_t writes;
	memset(val, 'v', sizeof val);
	/* 4000 values of 1000 bytes: one flush, written in 1 MB pieces */
	for (int i = 0; i < 4000; i++) {
		int n = snprintf(k, sizeof k, "k%d", i);
		CHECK_OK(sl_state_value_put(vs, k, (size_t)n, val, sizeof val, errp));
	}
	writes = st->batch_writes;
	CHECK_OK(sl_kv_flush(vs, errp));
	printf("# a 4 MB flush took %llu batch writes\n", (unsigned long long)(st->batch_writes - writes));
	SL_CHECK(st->batch_writes - writes >= 3 && st->batch_writes - writes <= 5);
	SL_CHECK(st->wb == wb);
	SL_CHECK_INT(rocksdb_writebatch_count(st->wb), 0);
	SL_CHECK_INT(test_raw_count(vs), 4000);
	/* change every other key and take two snapshots: the same batch, empty after each */
	char *ckroot = xprintf_test(base, "ck");
	sl_ck_storage *ck = sl_ck_storage_open(ckroot, "job", NULL);
	for (uint64_t id = 1; id <= 2; id++) {
		sl_ck_task_info info;
		sl_state_snapshot *snap = NULL;
		for (int i = 0; i < 4000; i += 2) {
			int n = snprintf(k, sizeof k, "k%d", i);
			val[0] = (char)('0' + id);
			CHECK_OK(sl_state_value_put(vs, k, (size_t)n, val, sizeof val, errp));
		}
		CHECK_OK(sl_state_value_delete(vs, "k1", 2, errp));
		CHECK_OK((snap = sl_state_snapshot_take(st, id, errp)) != NULL);
		SL_CHECK(st->wb == wb);
		SL_CHECK_INT(rocksdb_writebatch_count(st->wb), 0);
		if (snap) {
			CHECK_OK(sl_state_snapshot_upload(snap, ck, 0, false, &info, errp));
			sl_state_snapshot_free(snap);
			CHECK_OK(sl_ck_storage_commit(ck, id, false, MAXP, &info, 1, errp));
		}
	}
	sl_state_close(st);
	char *dir = sl_ck_storage_dir(ck, 2, false);
	st = test_open(d1, MAXP, 0, MAXP - 1, dir, 64 << 20);
	SL_CHECK(st != NULL);
	if (st) {
		int bad = 0;
		vs = sl_state_value_open(st, "v", NULL, NULL);
		for (int i = 0; i < 4000; i++) {
			int n = snprintf(k, sizeof k, "k%d", i);
			const void *v;
			size_t vl;
			int f = sl_state_value_get(vs, k, (size_t)n, &v, &vl, NULL);
			if (i == 1)
				bad += f != 0;
			else
				bad += f != 1 || vl != sizeof val || ((const char *)v)[0] != (i % 2 ? 'v' : '2');
		}
		SL_CHECK_INT(bad, 0);
		sl_state_close(st);
	}
	free(dir);
	sl_ck_storage_free(ck);
	free(ckroot);
	free(d1);
	sl_rm_rf(base);
	free(base);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_append_growth);
	SL_RUN(test_reads_cache_nothing);
	SL_RUN(test_append_cached);
	SL_RUN(test_batch_reuse);
	SL_RUN(test_lists_model_and_restore);
	return SL_TEST_MAIN_END();
}
