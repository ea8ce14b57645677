/*
 * 0300-state-util.h
 *	  Helpers shared by the state tests (03xx): temporary directories under
 *	  /tmp, a settable clock, RSS, and raw access to a state's column family.
 */
#ifndef SL_TEST_STATE_UTIL_H
#define SL_TEST_STATE_UTIL_H

#include "state/state_int.h"
#include "tests/unit/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int64_t test_now = 1000000;
static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return __atomic_load_n(&test_now, __ATOMIC_RELAXED);
}

/* A fresh directory under /tmp (malloc'ed); remove with sl_rm_rf. */
static char *
test_tmpdir(const char *tag)
{
	char tmpl[256];
	snprintf(tmpl, sizeof tmpl, "/tmp/sluice-%s-XXXXXX", tag);
	if (!mkdtemp(tmpl))
		sl_fatal("mkdtemp failed");
	return sl_xstrdup(tmpl);
}

static sl_state *
test_open(const char *dir, int maxp, int first, int last, const char *restore, size_t cache)
{
	sl_state_options o = {0};
	o.local_dir = dir;
	o.maxp = maxp;
	o.kg_first = first;
	o.kg_last = last;
	o.restore_dir = restore;
	o.cache_bytes = cache;
	o.write_buffer_bytes = 4 << 20;
	o.block_cache_bytes = 4 << 20;
	o.clock = test_clock;
	sl_error *e = NULL;
	sl_state *st = sl_state_open(&o, &e);
	if (!st) {
		printf("#   open failed: %s\n", e ? e->message : "?");
		sl_error_free(e);
	}
	return st;
}

static inline long
test_rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Number of RocksDB keys in a state's column family (flushes its cache first). */
static inline long
test_raw_count(sl_state_kv *kv)
{
	sl_kv_flush(kv, NULL);
	rocksdb_readoptions_t *ro = rocksdb_readoptions_create();
	rocksdb_iterator_t *it = rocksdb_create_iterator_cf(kv->st->db, ro, kv->cf);
	long n = 0;
	for (rocksdb_iter_seek_to_first(it); rocksdb_iter_valid(it); rocksdb_iter_next(it))
		n++;
	rocksdb_iter_destroy(it);
	rocksdb_readoptions_destroy(ro);
	return n;
}

#define CHECK_OK(call)                                                         \
	do {                                                                       \
		sl_error *e_ = NULL;                                                   \
		sl_error **errp = &e_;                                                 \
		bool ok_ = (call);                                                     \
		(void)errp;                                                            \
		if (!ok_) {                                                            \
			sl_test_failed_checks++;                                           \
			printf("#   failed: %s: %s (%s:%d)\n", #call, e_ ? e_->message : "?", \
			       __FILE__, __LINE__);                                        \
		}                                                                      \
		sl_error_free(e_);                                                     \
	} while (0)

#endif
