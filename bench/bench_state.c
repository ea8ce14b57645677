/*
 * bench_state.c
 *	  State layer benchmark: get, put and read-modify-write ops/s through
 *	  the write-back cache for a working set that fits the cache budget and
 *	  one 10x larger, next to raw RocksDB (same options, WAL off) in the
 *	  same run; then checkpoint cost for a large state after a 1 % change:
 *	  the synchronous part (processing blocked) and the bytes copied.
 *
 *	  usage: bench/bench_state [--state-mb N] [--skip-ck] [--skip-ops] [--ops N]
 *	                           [--big KEYS] [--write-buffer-mb N] [--rounds N]
 *	                           [--dir DIR]
 *	  Defaults: 1024 MB of state and a 64 MB memtable for the checkpoint
 *	  part, 300K / 4.5M keys and 2M ops for the ops part, /tmp.
 *	  Results are printed as a Markdown table (docs/benchmarks.md).
 */
#include "state/state_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KEYLEN 16
#define VALLEN 32
#define BUDGET ((size_t)64 << 20)

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* 16-byte key: "keyprefx" then i big-endian (cheap to make, so the timing
 * is of the store, not of the key formatting) */
static inline void
mkkey(char *k, uint64_t i)
{
	memcpy(k, "keyprefx", 8);
	put_be64(k + 8, i);
}

static void
fail(const char *what, sl_error *e)
{
	fprintf(stderr, "bench_state: %s: %s\n", what, e ? e->message : "?");
	exit(1);
}

typedef struct result {
	double get, put, rmw;
} result;

/* Through the cache: keys 0..nkeys-1, preloaded; nops random ops each. */
static result
bench_cache(const char *dir, uint64_t nkeys, uint64_t nops, size_t *max_used)
{
	sl_error *e = NULL;
	sl_state_options o = {.local_dir = dir, .kg_first = 0, .kg_last = 127,
	                      .cache_bytes = BUDGET};
	sl_state *st = sl_state_open(&o, &e);
	if (!st)
		fail("open", e);
	sl_state_value *vs = sl_state_value_open(st, "v", NULL, &e);
	char k[KEYLEN + 1], v[VALLEN];
	memset(v, 'v', VALLEN);
	for (uint64_t i = 0; i < nkeys; i++) {
		mkkey(k, i);
		if (!sl_state_value_put(vs, k, KEYLEN, v, VALLEN, &e))
			fail("put", e);
	}
	result r;
	uint64_t s = 88172645463325252ULL;
	/* warm: touch the working set once */
	for (uint64_t i = 0; i < nops / 4; i++) {
		const void *pv;
		size_t vl;
		mkkey(k, rnd(&s) % nkeys);
		sl_state_value_get(vs, k, KEYLEN, &pv, &vl, &e);
	}
	double t = now_s();
	uint64_t found = 0;
	for (uint64_t i = 0; i < nops; i++) {
		const void *pv;
		size_t vl;
		mkkey(k, rnd(&s) % nkeys);
		found += sl_state_value_get(vs, k, KEYLEN, &pv, &vl, &e) == 1;
	}
	r.get = (double)nops / (now_s() - t);
	if (found != nops)
		fail("get: missing keys", NULL);
	t = now_s();
	for (uint64_t i = 0; i < nops; i++) {
		mkkey(k, rnd(&s) % nkeys);
		v[0] = (char)i;
		if (!sl_state_value_put(vs, k, KEYLEN, v, VALLEN, &e))
			fail("put", e);
	}
	r.put = (double)nops / (now_s() - t);
	t = now_s();
	for (uint64_t i = 0; i < nops; i++) {
		mkkey(k, rnd(&s) % nkeys);
		bool created;
		size_t vl;
		uint64_t *c = sl_state_value_get_for_update(vs, k, KEYLEN, VALLEN, &vl, &created, &e);
		if (!c)
			fail("rmw", e);
		(*c)++;
	}
	r.rmw = (double)nops / (now_s() - t);
	*max_used = vs->used;
	sl_state_close(st);
	return r;
}

/* Raw RocksDB with the backend's options: get, put, get+put. */
static result
bench_raw(const char *dir, uint64_t nkeys, uint64_t nops)
{
	sl_rm_rf(dir);
	rocksdb_options_t *opts = rocksdb_options_create();
	rocksdb_options_set_create_if_missing(opts, 1);
	rocksdb_options_set_write_buffer_size(opts, 16 << 20);
	rocksdb_options_set_max_write_buffer_number(opts, 2);
	rocksdb_options_set_compression(opts, rocksdb_no_compression);
	rocksdb_cache_t *cache = rocksdb_cache_create_lru(8 << 20);
	rocksdb_block_based_table_options_t *bbto = rocksdb_block_based_options_create();
	rocksdb_block_based_options_set_block_cache(bbto, cache);
	rocksdb_options_set_block_based_table_factory(opts, bbto);
	char *err = NULL;
	rocksdb_t *db = rocksdb_open(opts, dir, &err);
	if (err)
		fail(err, NULL);
	rocksdb_writeoptions_t *wo = rocksdb_writeoptions_create();
	rocksdb_writeoptions_disable_WAL(wo, 1);
	rocksdb_readoptions_t *ro = rocksdb_readoptions_create();
	char k[KEYLEN + 1], v[VALLEN];
	memset(v, 'v', VALLEN);
	for (uint64_t i = 0; i < nkeys; i++) {
		mkkey(k, i);
		rocksdb_put(db, wo, k, KEYLEN, v, VALLEN, &err);
	}
	result r;
	uint64_t s = 88172645463325252ULL;
	double t = now_s();
	for (uint64_t i = 0; i < nops; i++) {
		size_t vl;
		mkkey(k, rnd(&s) % nkeys);
		char *pv = rocksdb_get(db, ro, k, KEYLEN, &vl, &err);
		free(pv);
	}
	r.get = (double)nops / (now_s() - t);
	t = now_s();
	for (uint64_t i = 0; i < nops; i++) {
		mkkey(k, rnd(&s) % nkeys);
		rocksdb_put(db, wo, k, KEYLEN, v, VALLEN, &err);
	}
	r.put = (double)nops / (now_s() - t);
	t = now_s();
	for (uint64_t i = 0; i < nops; i++) {
		size_t vl;
		mkkey(k, rnd(&s) % nkeys);
		char *pv = rocksdb_get(db, ro, k, KEYLEN, &vl, &err);
		uint64_t c = 0;
		if (pv)
			memcpy(&c, pv, 8);
		c++;
		char nv[VALLEN];
		memcpy(nv, pv ? pv : v, VALLEN);
		memcpy(nv, &c, 8);
		rocksdb_put(db, wo, k, KEYLEN, nv, VALLEN, &err);
		free(pv);
	}
	r.rmw = (double)nops / (now_s() - t);
	rocksdb_close(db);
	rocksdb_writeoptions_destroy(wo);
	rocksdb_readoptions_destroy(ro);
	rocksdb_options_destroy(opts);
	rocksdb_block_based_options_destroy(bbto);
	rocksdb_cache_destroy(cache);
	sl_rm_rf(dir);
	return r;
}

static size_t write_buffer_mb = 64;
static int rounds = 0; /* further checkpoints, each after another 1 % change */

static void
bench_checkpoint(const char *base, size_t state_mb)
{
	enum { VL = 1000 };
	uint64_t nkeys = (uint64_t)state_mb * (1 << 20) / (VL + KEYLEN);
	char local[600];
	snprintf(local, sizeof local, "%s/local", base);
	sl_error *e = NULL;
	sl_state_options o = {.local_dir = local, .kg_first = 0, .kg_last = 127,
	                      .cache_bytes = BUDGET,
	                      .write_buffer_bytes = write_buffer_mb << 20};
	sl_state *st = sl_state_open(&o, &e);
	if (!st)
		fail("open", e);
	sl_ck_storage *ck = sl_ck_storage_open(base, "job", &e);
	sl_state_value *vs = sl_state_value_open(st, "v", NULL, &e);
	char k[KEYLEN + 1], v[VL];
	uint64_t s = 1;
	for (size_t i = 0; i < VL; i += 8) {
		uint64_t x = rnd(&s);
		memcpy(v + i, &x, SL_MIN((size_t)8, VL - i));
	}
	double t = now_s();
	for (uint64_t i = 0; i < nkeys; i++) {
		mkkey(k, i);
		memcpy(v, &i, 8);
		if (!sl_state_value_put(vs, k, KEYLEN, v, VL, &e))
			fail("load", e);
	}
	double load = now_s() - t;
	/* settle the LSM tree as a long-running job's state would be */
	t = now_s();
	if (!sl_kv_flush(vs, &e))
		fail("flush", e);
	rocksdb_compact_range_cf(st->db, vs->cf, NULL, 0, NULL, 0);
	double compact = now_s() - t;
	sl_ck_task_info i1, i2;
	t = now_s();
	sl_state_snapshot *snap = sl_state_snapshot_take(st, 1, &e);
	if (!snap)
		fail("snapshot 1", e);
	double sync1 = now_s() - t;
	t = now_s();
	if (!sl_state_snapshot_upload(snap, ck, 0, false, &i1, &e))
		fail("upload 1", e);
	double up1 = now_s() - t;
	sl_state_snapshot_free(snap);
	sl_ck_storage_commit(ck, 1, false, 128, &i1, 1, &e);
	/* change 1 % of the keys (random ones) */
	uint64_t nchange = nkeys / 100;
	t = now_s();
	for (uint64_t i = 0; i < nchange; i++) {
		uint64_t key = rnd(&s) % nkeys;
		mkkey(k, key);
		bool created;
		size_t vl;
		uint64_t *c = sl_state_value_get_for_update(vs, k, KEYLEN, VL, &vl, &created, &e);
		if (!c)
			fail("change", e);
		c[1]++;
	}
	double change = now_s() - t;
	size_t dirty = vs->ndirty;
	t = now_s();
	snap = sl_state_snapshot_take(st, 2, &e);
	if (!snap)
		fail("snapshot 2", e);
	double sync2 = now_s() - t, batch2, ckpt2;
	sl_state_snapshot_times(snap, &batch2, &ckpt2);
	t = now_s();
	if (!sl_state_snapshot_upload(snap, ck, 0, false, &i2, &e))
		fail("upload 2", e);
	double up2 = now_s() - t;
	sl_state_snapshot_free(snap);
	sl_ck_storage_commit(ck, 2, false, 128, &i2, 1, &e);
	printf("\n### Checkpoint of %zu MB of state (%" PRIu64 " keys x %d B values, "
	       "%zu MB memtable)\n\n",
	       state_mb, nkeys, VL, write_buffer_mb);
	printf("| step | time | bytes |\n|---|---:|---:|\n");
	printf("| load through the cache | %.1f s | |\n", load);
	printf("| flush + full compaction (settle) | %.1f s | |\n", compact);
	printf("| checkpoint 1: sync part (blocked) | %.1f ms | |\n", sync1 * 1e3);
	printf("| checkpoint 1: upload (async) | %.1f s | %.1f MB copied of %.1f MB |\n", up1,
	       (double)i1.bytes_copied / 1e6, (double)i1.bytes_total / 1e6);
	printf("| change 1 %% of keys (%" PRIu64 " RMW; %zu still dirty in cache) | %.1f ms | |\n",
	       nchange, dirty, change * 1e3);
	printf("| **checkpoint 2: sync part (blocked)** | **%.1f ms** (batch %.1f + RocksDB checkpoint "
	       "%.1f) | |\n",
	       sync2 * 1e3, batch2, ckpt2);
	printf("| checkpoint 2: upload (async) | %.2f s | **%.1f MB copied of %.1f MB (%.2f %%)** |\n",
	       up2, (double)i2.bytes_copied / 1e6, (double)i2.bytes_total / 1e6,
	       100.0 * (double)i2.bytes_copied / (double)i2.bytes_total);
	/* steady state: more rounds of (1 % change, checkpoint, upload, retain 3);
	 * compactions rewrite SSTs, and their output must be uploaded too */
	if (rounds > 0) {
		printf("\n| round | sync part | bytes copied | %% of state |\n|---:|---:|---:|---:|\n");
		uint64_t sum_copied = 0, sum_total = 0;
		double max_sync = 0, sum_sync = 0;
		for (int r = 0; r < rounds; r++) {
			for (uint64_t i = 0; i < nchange; i++) {
				mkkey(k, rnd(&s) % nkeys);
				bool created;
				size_t vl;
				uint64_t *c = sl_state_value_get_for_update(vs, k, KEYLEN, VL, &vl, &created, &e);
				if (!c)
					fail("change", e);
				c[1]++;
			}
			uint64_t id = 3 + (uint64_t)r;
			t = now_s();
			snap = sl_state_snapshot_take(st, id, &e);
			if (!snap)
				fail("snapshot", e);
			double sy = now_s() - t;
			sl_ck_task_info ir;
			if (!sl_state_snapshot_upload(snap, ck, 0, false, &ir, &e))
				fail("upload", e);
			sl_state_snapshot_free(snap);
			sl_ck_storage_commit(ck, id, false, 128, &ir, 1, &e);
			sl_ck_storage_retain(ck, 3, &e);
			printf("| %d | %.1f ms | %.1f MB | %.2f %% |\n", r + 3, sy * 1e3,
			       (double)ir.bytes_copied / 1e6,
			       100.0 * (double)ir.bytes_copied / (double)ir.bytes_total);
			fflush(stdout);
			sum_copied += ir.bytes_copied;
			sum_total += ir.bytes_total;
			sum_sync += sy;
			max_sync = SL_MAX(max_sync, sy);
		}
		printf("| mean of %d | %.1f ms (max %.1f) | %.1f MB | %.2f %% |\n", rounds,
		       sum_sync * 1e3 / rounds, max_sync * 1e3, (double)sum_copied / 1e6 / rounds,
		       100.0 * (double)sum_copied / (double)sum_total);
	}
	sl_state_close(st);
	sl_ck_storage_free(ck);
}

int
main(int argc, char **argv)
{
	size_t state_mb = 1024;
	bool skip_ck = false, skip_ops = false;
	/* entry ~ 150 B accounted: 300K keys fit in 64 MB; 10x larger: 4.5M keys */
	uint64_t fit = 300000, big = 4500000, nops = 2000000;
	const char *tmp = "/tmp";
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--state-mb") == 0 && i + 1 < argc)
			state_mb = (size_t)atol(argv[++i]);
		else if (strcmp(argv[i], "--skip-ck") == 0)
			skip_ck = true;
		else if (strcmp(argv[i], "--skip-ops") == 0)
			skip_ops = true;
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--write-buffer-mb") == 0 && i + 1 < argc)
			write_buffer_mb = (size_t)atol(argv[++i]);
		else if (strcmp(argv[i], "--ops") == 0 && i + 1 < argc)
			nops = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--big") == 0 && i + 1 < argc)
			big = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			tmp = argv[++i];
		else {
			fprintf(stderr, "usage: bench_state [--state-mb N] [--skip-ck] [--skip-ops] "
			                "[--ops N] [--big KEYS] [--write-buffer-mb N] [--rounds N] [--dir DIR]\n");
			return 2;
		}
	}
	char base[512];
	snprintf(base, sizeof base, "%s/sluice-bench-state-XXXXXX", tmp);
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	char d1[600], d2[600];
	snprintf(d1, sizeof d1, "%s/cache", base);
	snprintf(d2, sizeof d2, "%s/raw", base);
	if (skip_ops)
		goto ck;
	size_t used_fit, used_big;
	result cf = bench_cache(d1, fit, nops, &used_fit);
	result rf = bench_raw(d2, fit, nops);
	result cb = bench_cache(d1, big, nops, &used_big);
	result rb = bench_raw(d2, big, nops);
	printf("### Ops/s, one thread, %d B keys, %d B values, cache budget %zu MB\n\n", KEYLEN,
	       VALLEN, BUDGET >> 20);
	printf("| working set | op | cache (ops/s) | raw RocksDB (ops/s) | ratio |\n");
	printf("|---|---|---:|---:|---:|\n");
	char ws0[64], ws1[64];
	snprintf(ws0, sizeof ws0, "fits (%" PRIu64 "K keys)", fit / 1000);
	snprintf(ws1, sizeof ws1, "larger than budget (%" PRIu64 "K keys)", big / 1000);
	const char *ws[2] = {ws0, ws1};
	result *c[2] = {&cf, &cb}, *r[2] = {&rf, &rb};
	for (int i = 0; i < 2; i++) {
		printf("| %s | get | %.0f | %.0f | %.1fx |\n", ws[i], c[i]->get, r[i]->get,
		       c[i]->get / r[i]->get);
		printf("| %s | put | %.0f | %.0f | %.1fx |\n", ws[i], c[i]->put, r[i]->put,
		       c[i]->put / r[i]->put);
		printf("| %s | read-modify-write (raw: get+put) | %.0f | %.0f | **%.1fx** |\n", ws[i],
		       c[i]->rmw, r[i]->rmw, c[i]->rmw / r[i]->rmw);
	}
	printf("\nCache accounted bytes at the end: %zu (fits), %zu (10x) of %zu budget.\n", used_fit,
	       used_big, BUDGET);
	fflush(stdout);
ck:
	if (!skip_ck)
		bench_checkpoint(base, state_mb);
	sl_rm_rf(base);
	return 0;
}
