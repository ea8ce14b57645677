/*
 * 0301-state-kinds.c
 *	  Each state kind through the cache and RocksDB: value, map (ordered
 *	  iteration), list, timers (order, dedup, delete), TTL (never returned,
 *	  reclaimed), key groups, and cache eviction under a byte budget with
 *	  state 10x the budget (accounted bytes and RSS).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "tests/unit/0300-state-util.h"

static void
test_key_group(void)
{
	const char *k = "user-42";
	SL_CHECK_INT(sl_state_key_group(k, strlen(k), 128), sl_hash64(k, strlen(k), 0) % 128);
	int f, l, prev = -1;
	for (int i = 0; i < 3; i++) {
		sl_state_task_range(128, 3, i, &f, &l);
		SL_CHECK_INT(f, prev + 1);
		prev = l;
	}
	SL_CHECK_INT(prev, 127);
	/* a key outside the task's range is refused */
	char *dir = test_tmpdir("kg");
	sl_state *st = test_open(dir, 128, 0, 63, NULL, 0);
	sl_state_value *vs = sl_state_value_open(st, "v", NULL, NULL);
	int bad = -1;
	char key[16];
	for (int i = 0; bad < 0; i++) {
		snprintf(key, sizeof key, "k%d", i);
		if (sl_state_key_group(key, strlen(key), 128) > 63)
			bad = i;
	}
	sl_error *e = NULL;
	SL_CHECK(!sl_state_value_put(vs, key, strlen(key), "x", 1, &e));
	SL_CHECK(e && e->code == SL_ERR_STATE && strstr(e->message, "key group"));
	sl_error_free(e);
	sl_state_close(st);
	sl_rm_rf(dir);
	free(dir);
}

/* keys of task [0, 127]: all */
static void
test_value(void)
{
	char *dir = test_tmpdir("value");
	sl_state *st = test_open(dir, 128, 0, 127, NULL, 0);
	sl_state_value *vs = sl_state_value_open(st, "counts", NULL, NULL);
	SL_CHECK(vs != NULL);
	const void *v;
	size_t vl;
	SL_CHECK_INT(sl_state_value_get(vs, "a", 1, &v, &vl, NULL), 0);
	CHECK_OK(sl_state_value_put(vs, "a", 1, "hello", 5, errp));
	SL_CHECK_INT(sl_state_value_get(vs, "a", 1, &v, &vl, NULL), 1);
	SL_CHECK(vl == 5 && memcmp(v, "hello", 5) == 0);
	/* read-modify-write in place */
	for (int i = 0; i < 100; i++) {
		bool created;
		size_t n;
		int64_t *c = sl_state_value_get_for_update(vs, "c", 1, 8, &n, &created, NULL);
		SL_CHECK(c && n == 8 && created == (i == 0));
		(*c)++;
	}
	SL_CHECK_INT(sl_state_value_get(vs, "c", 1, &v, &vl, NULL), 1);
	SL_CHECK_INT(*(const int64_t *)v, 100);
	/* grow a value beyond its inline area, delete */
	char big[1000];
	memset(big, 'x', sizeof big);
	CHECK_OK(sl_state_value_put(vs, "a", 1, big, sizeof big, errp));
	SL_CHECK_INT(sl_state_value_get(vs, "a", 1, &v, &vl, NULL), 1);
	SL_CHECK_INT(vl, 1000);
	CHECK_OK(sl_state_value_delete(vs, "c", 1, errp));
	SL_CHECK_INT(sl_state_value_get(vs, "c", 1, &v, &vl, NULL), 0);
	/* through RocksDB: flush, drop the cache, read back */
	CHECK_OK(sl_kv_flush(vs, errp));
	while (vs->lru.lru_next != &vs->lru)
		sl_kv_remove(vs, vs->lru.lru_next);
	SL_CHECK_INT(sl_state_value_get(vs, "a", 1, &v, &vl, NULL), 1);
	SL_CHECK(vl == 1000 && memcmp(v, big, 1000) == 0);
	SL_CHECK_INT(sl_state_value_get(vs, "c", 1, &v, &vl, NULL), 0);
	SL_CHECK_INT(test_raw_count(vs), 1);
	/* names are unique per backend */
	SL_CHECK(sl_state_map_open(st, "counts", NULL, NULL) == NULL);
	sl_state_close(st);
	sl_rm_rf(dir);
	free(dir);
}

static void
test_map(void)
{
	char *dir = test_tmpdir("map");
	sl_state *st = test_open(dir, 128, 0, 127, NULL, 0);
	sl_state_map *ms = sl_state_map_open(st, "m", NULL, NULL);
	const char *uk[] = {"pear", "apple", "zoo", "banana", "apple2"};
	for (int i = 0; i < 5; i++)
		CHECK_OK(sl_state_map_put(ms, "k1", 2, uk[i], strlen(uk[i]), &i, sizeof i, errp));
	CHECK_OK(sl_state_map_put(ms, "k2", 2, "other", 5, "x", 1, errp));
	CHECK_OK(sl_state_map_put(ms, "k", 1, "1other", 6, "x", 1, errp)); /* prefix of "k1" */
	CHECK_OK(sl_state_map_remove(ms, "k1", 2, "zoo", 3, errp));
	bool created;
	size_t n;
	int *pv = sl_state_map_get_for_update(ms, "k1", 2, "pear", 4, 4, &n, &created, NULL);
	SL_CHECK(pv && !created && *pv == 0);
	*pv = 77;
	const void *v;
	size_t vl;
	SL_CHECK_INT(sl_state_map_get(ms, "k1", 2, "pear", 4, &v, &vl, NULL), 1);
	SL_CHECK_INT(*(const int *)v, 77);
	SL_CHECK_INT(sl_state_map_get(ms, "k1", 2, "zoo", 3, &v, &vl, NULL), 0);
	sl_state_map_iter *it = sl_state_map_iter_new(ms, "k1", 2, NULL);
	const char *want[] = {"apple", "apple2", "banana", "pear"};
	int got = 0;
	const void *ukey;
	size_t ukl;
	while (sl_state_map_iter_next(it, &ukey, &ukl, &v, &vl, NULL) == 1) {
		if (got < 4)
			SL_CHECK(ukl == strlen(want[got]) && memcmp(ukey, want[got], ukl) == 0);
		got++;
	}
	sl_state_map_iter_free(it);
	SL_CHECK_INT(got, 4);
	CHECK_OK(sl_state_map_clear(ms, "k1", 2, errp));
	it = sl_state_map_iter_new(ms, "k1", 2, NULL);
	SL_CHECK_INT(sl_state_map_iter_next(it, &ukey, &ukl, &v, &vl, NULL), 0);
	sl_state_map_iter_free(it);
	SL_CHECK_INT(sl_state_map_get(ms, "k2", 2, "other", 5, &v, &vl, NULL), 1);
	sl_state_close(st);
	sl_rm_rf(dir);
	free(dir);
}

static void
test_list(void)
{
	char *dir = test_tmpdir("list");
	sl_state *st = test_open(dir, 128, 0, 127, NULL, 0);
	sl_state_list *ls = sl_state_list_open(st, "l", NULL, NULL);
	char e[64];
	for (int i = 0; i < 50; i++) {
		snprintf(e, sizeof e, "element-%d", i);
		CHECK_OK(sl_state_list_append(ls, "key", 3, e, strlen(e), errp));
		if (i == 20) { /* half of it through RocksDB */
			CHECK_OK(sl_kv_flush(ls, errp));
			while (ls->lru.lru_next != &ls->lru)
				sl_kv_remove(ls, ls->lru.lru_next);
		}
	}
	const void *buf;
	size_t len, pos = 0;
	SL_CHECK_INT(sl_state_list_get(ls, "key", 3, &buf, &len, NULL), 1);
	const void *el;
	size_t ell;
	int i = 0;
	while (sl_state_list_next(buf, len, &pos, &el, &ell)) {
		snprintf(e, sizeof e, "element-%d", i);
		SL_CHECK(ell == strlen(e) && memcmp(el, e, ell) == 0);
		i++;
	}
	SL_CHECK_INT(i, 50);
	CHECK_OK(sl_state_list_clear(ls, "key", 3, errp));
	SL_CHECK_INT(sl_state_list_get(ls, "key", 3, &buf, &len, NULL), 0);
	sl_state_close(st);
	sl_rm_rf(dir);
	free(dir);
}

typedef struct fired {
	int64_t times[64];
	char keys[64][16];
	int n;
	sl_state_timers *tm;
} fired;

static bool
on_fire(void *ctx, sl_timer_domain dom, int64_t time, const void *key, size_t klen, sl_error **errp)
{
	fired *f = ctx;
	if (f->n < 64) {
		f->times[f->n] = time;
		snprintf(f->keys[f->n], 16, "%.*s", (int)klen, (const char *)key);
	}
	f->n++;
	/* a timer registered while firing, due within the same advance */
	if (time == 30 && dom == SL_TIMER_EVENT)
		return sl_state_timer_register(f->tm, SL_TIMER_EVENT, 35, "new", 3, errp);
	return true;
}

static void
test_timers(void)
{
	char *dir = test_tmpdir("timers");
	sl_state *st = test_open(dir, 128, 0, 127, NULL, 0);
	sl_state_timers *tm = sl_state_timers_open(st, "t", NULL);
	int64_t ts[] = {50, 10, 30, 20, 40, 10, -5};
	const char *ks[] = {"a", "b", "c", "d", "e", "a", "neg"};
	for (int i = 0; i < 7; i++)
		CHECK_OK(sl_state_timer_register(tm, SL_TIMER_EVENT, ts[i], ks[i], strlen(ks[i]), errp));
	CHECK_OK(sl_state_timer_register(tm, SL_TIMER_EVENT, 20, "d", 1, errp)); /* duplicate */
	CHECK_OK(sl_state_timer_register(tm, SL_TIMER_PROC, 15, "p", 1, errp));
	CHECK_OK(sl_state_timer_delete(tm, SL_TIMER_EVENT, 40, "e", 1, errp));
	SL_CHECK_INT(sl_state_timers_next(tm, SL_TIMER_EVENT), -5);
	fired f = {.tm = tm};
	SL_CHECK_INT(sl_state_timers_advance(tm, SL_TIMER_EVENT, 45, on_fire, &f, NULL), 6);
	int64_t want[] = {-5, 10, 10, 20, 30, 35};
	const char *wk[] = {"neg", "a", "b", "d", "c", "new"};
	for (int i = 0; i < 6 && i < f.n; i++) {
		SL_CHECK_INT(f.times[i], want[i]);
		SL_CHECK_STR(f.keys[i], wk[i]);
	}
	SL_CHECK_INT(sl_state_timers_next(tm, SL_TIMER_EVENT), 50);
	SL_CHECK_INT(sl_state_timers_next(tm, SL_TIMER_PROC), 15);
	f.n = 0;
	SL_CHECK_INT(sl_state_timers_advance(tm, SL_TIMER_PROC, 100, on_fire, &f, NULL), 1);
	SL_CHECK_INT(sl_state_timers_advance(tm, SL_TIMER_EVENT, 100, on_fire, &f, NULL), 1);
	SL_CHECK_INT(sl_state_timers_next(tm, SL_TIMER_EVENT), INT64_MAX);
	sl_state_close(st);
	sl_rm_rf(dir);
	free(dir);
}

static void
test_ttl(void)
{
	char *dir = test_tmpdir("ttl");
	sl_state *st = test_open(dir, 128, 0, 127, NULL, 0);
	sl_state_desc d = {.ttl_ms = 1000};
	sl_state_value *vs = sl_state_value_open(st, "v", &d, NULL);
	sl_state_map *ms = sl_state_map_open(st, "m", &d, NULL);
	sl_state_value *keep = sl_state_value_open(st, "keep", NULL, NULL);
	char k[16];
	for (int i = 0; i < 100; i++) {
		snprintf(k, sizeof k, "k%d", i);
		CHECK_OK(sl_state_value_put(vs, k, strlen(k), "v", 1, errp));
		CHECK_OK(sl_state_map_put(ms, "mk", 2, k, strlen(k), "v", 1, errp));
		CHECK_OK(sl_state_value_put(keep, k, strlen(k), "v", 1, errp));
	}
	test_now += 500;
	/* refresh k0 .. k9 (TTL counts from the last write) */
	for (int i = 0; i < 10; i++) {
		snprintf(k, sizeof k, "k%d", i);
		CHECK_OK(sl_state_value_put(vs, k, strlen(k), "w", 1, errp));
	}
	/* half of the entries through RocksDB */
	CHECK_OK(sl_kv_flush(vs, errp));
	for (int i = 0; i < 50; i++) {
		snprintf(k, sizeof k, "k%d", i);
		size_t slot;
		(void)slot;
		uint64_t h = sl_hash64(k, strlen(k), 0);
		bool err;
		centry *e = sl_kv_lookup(vs, h, (int)(h % 128), k, strlen(k), false, NULL, &err);
		if (e)
			sl_kv_remove(vs, e);
	}
	test_now += 600; /* k10..k99 and the map expired; k0..k9 alive */
	const void *v;
	size_t vl;
	int alive = 0;
	for (int i = 0; i < 100; i++) {
		snprintf(k, sizeof k, "k%d", i);
		int r = sl_state_value_get(vs, k, strlen(k), &v, &vl, NULL);
		alive += r == 1;
		SL_CHECK_INT(r, i < 10 ? 1 : 0);
	}
	SL_CHECK_INT(alive, 10);
	sl_state_map_iter *it = sl_state_map_iter_new(ms, "mk", 2, NULL);
	const void *uk;
	size_t ukl;
	SL_CHECK_INT(sl_state_map_iter_next(it, &uk, &ukl, &v, &vl, NULL), 0);
	sl_state_map_iter_free(it);
	/* reclaimed: nothing expired is left in RocksDB after a sweep */
	test_now += 2000;
	CHECK_OK(sl_state_ttl_sweep(st, errp));
	SL_CHECK_INT(test_raw_count(vs), 0);
	SL_CHECK_INT(test_raw_count(ms), 0);
	SL_CHECK_INT(test_raw_count(keep), 100); /* no TTL: untouched */
	sl_state_close(st);
	sl_rm_rf(dir);
	free(dir);
}

/* State 10x the cache budget: the accounted bytes never pass the budget,
 * every value reads back, RSS grows far less than the state. */
static void
test_eviction(void)
{
	char *dir = test_tmpdir("evict");
	size_t budget = 4 << 20;
	sl_state *st = test_open(dir, 128, 0, 127, NULL, budget);
	sl_state_value *vs = sl_state_value_open(st, "big", NULL, NULL);
	long rss0 = test_rss_kb();
	enum { N = 400000, VL = 200 }; /* ~84 MB of keys and values: 20x the budget */
	char k[16], val[VL];
	size_t max_used = 0;
	for (int i = 0; i < N; i++) {
		snprintf(k, sizeof k, "key%d", i);
		memset(val, 'a' + i % 26, VL);
		memcpy(val, &i, sizeof i);
		CHECK_OK(sl_state_value_put(vs, k, strlen(k), val, VL, errp));
		max_used = SL_MAX(max_used, vs->used);
	}
	/* read-modify-write every key, then read every key */
	for (int i = 0; i < N; i++) {
		snprintf(k, sizeof k, "key%d", i);
		bool created;
		size_t n;
		char *p = sl_state_value_get_for_update(vs, k, strlen(k), VL, &n, &created, NULL);
		SL_CHECK(p && !created && n == VL);
		if (p)
			p[VL - 1] = 'Z';
		max_used = SL_MAX(max_used, vs->used);
	}
	int bad = 0;
	for (int i = 0; i < N; i++) {
		snprintf(k, sizeof k, "key%d", i);
		const void *v;
		size_t vl;
		int r = sl_state_value_get(vs, k, strlen(k), &v, &vl, NULL);
		int x = -1;
		if (r == 1)
			memcpy(&x, v, sizeof x);
		if (r != 1 || vl != VL || x != i || ((const char *)v)[VL - 1] != 'Z') {
			if (bad < 3)
				printf("# bad key %d: r=%d vl=%zu x=%d last=%c\n", i, r, vl, x,
				       r == 1 ? ((const char *)v)[VL - 1] : '?');
			bad++;
		}
		max_used = SL_MAX(max_used, vs->used);
	}
	SL_CHECK_INT(bad, 0);
	long rss1 = test_rss_kb();
	printf("# budget %zu B, state %d B, max accounted %zu B, evictions %" PRIu64
	       ", RSS growth %ld KB\n",
	       budget, N * (VL + 10), max_used, vs->evictions, rss1 - rss0);
	SL_CHECK(max_used <= budget);
	SL_CHECK(vs->evictions > 0);
	/* RSS: cache budget (4 MB) + RocksDB memtables (2 x 4 MB) + block cache
	 * (4 MB) + allocator and RocksDB overhead, which does not grow with the
	 * state; measured 28-31 MB with 42 MB of state (a 30 MB bound failed
	 * now and then under load), so the state is 84 MB and the bound 40 MB:
	 * a cache that kept everything would pass 84 MB */
#ifndef SL_SANITIZERS /* ASan's quarantine keeps freed memory resident */
	SL_CHECK(rss1 - rss0 < 40 * 1024);
#endif
	sl_state_close(st);
	sl_rm_rf(dir);
	free(dir);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_key_group);
	SL_RUN(test_value);
	SL_RUN(test_map);
	SL_RUN(test_list);
	SL_RUN(test_timers);
	SL_RUN(test_ttl);
	SL_RUN(test_eviction);
	return SL_TEST_MAIN_END();
}
