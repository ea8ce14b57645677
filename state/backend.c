/*
 * backend.c
 *	  The backend of one task: opening RocksDB (fresh or restored), column
 *	  families, the TTL clock and compaction filter, timers, operator state.
 *
 *	  Timers: each timer service is a state whose cache is pinned (never
 *	  evicted) and authoritative, plus one binary min-heap per domain
 *	  ordered by (time, key). RocksDB key: key group, domain byte, time
 *	  (8 bytes big-endian, sign bit flipped), key. At open every timer of the
 *	  task's key groups is loaded back; registering and firing only touch
 *	  memory, and the changes reach RocksDB with the next snapshot's batch.
 *
 *	  @thread task, except ttl_filter (RocksDB compaction threads; reads
 *	  only the clock).
 *
 * INTERFACE ROUTINES
 *	  sl_state_open / sl_state_close, sl_state_key_group, sl_state_task_range
 *	  sl_state_{value,map,list}_open, sl_state_ttl_sweep
 *	  sl_state_timers_*, sl_state_timer_*
 *	  sl_state_op_put / _get / _count / _name
 */
#include "state/state_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
sl_state_key_group(const void *key, size_t len, int maxp)
{
	return (int)(sl_hash64(key, len, 0) % (uint64_t)maxp);
}

void
sl_state_key_groups(const sl_state *st, int *maxp, int *kg_first, int *kg_last)
{
	*maxp = st->maxp;
	*kg_first = st->kg_first;
	*kg_last = st->kg_last;
}

void
sl_state_task_range(int maxp, int p, int i, int *kg_first, int *kg_last)
{
	/* Flink's KeyGroupRangeAssignment: start = ceil(i * maxp / p) */
	*kg_first = (int)(((int64_t)i * maxp + p - 1) / p);
	*kg_last = (int)(((int64_t)(i + 1) * maxp + p - 1) / p) - 1;
}

static int64_t
default_clock(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
sl_state_now(sl_state *st)
{
	return st->clock(st->clock_ctx);
}

/* Compaction filter of every column family: drops values whose TTL header
 * says they expired. Runs on RocksDB's threads. */
static unsigned char
ttl_filter(void *state, int level, const char *key, size_t klen, const char *val, size_t vlen,
           char **nv, size_t *nvlen, unsigned char *changed)
{
	(void)level, (void)key, (void)klen, (void)nv, (void)nvlen, (void)changed;
	sl_state *st = state;
	if (vlen >= 9 && val[0] == VH_TTL)
		return (int64_t)get_be64(val + 1) <= st->clock(st->clock_ctx);
	return 0;
}
static const char *
ttl_filter_name(void *state)
{
	(void)state;
	return "sluice.ttl";
}
static void
ttl_filter_destroy(void *state)
{
	(void)state;
}

static void
make_uuid(char out[17])
{
	uint64_t r = 0;
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0 || read(fd, &r, sizeof r) != (ssize_t)sizeof r)
		r = sl_hash_u64((uint64_t)time(NULL) ^ (uint64_t)getpid() << 32);
	if (fd >= 0)
		close(fd);
	snprintf(out, 17, "%016llx", (unsigned long long)r);
}

/* Open (or create) the RocksDB at st->dbdir with all its column families. */
bool
sl_state_open_db(sl_state *st, bool create, sl_error **errp)
{
	char *rerr = NULL;
	size_t ncf = 0;
	char **names = NULL;
	if (!create) {
		names = rocksdb_list_column_families(st->opts, st->dbdir, &ncf, &rerr);
		if (rerr) {
			sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "cannot list column families of \"%s\": %s",
			        st->dbdir, rerr);
			free(rerr);
			return false;
		}
	}
	if (ncf == 0) {
		sl_vec_push(&st->cfnames, sl_xstrdup("default"));
	} else {
		for (size_t i = 0; i < ncf; i++)
			sl_vec_push(&st->cfnames, sl_xstrdup(names[i]));
		rocksdb_list_column_families_destroy(names, ncf);
	}
	const rocksdb_options_t **cfo = sl_xcalloc(st->cfnames.n, sizeof *cfo);
	for (size_t i = 0; i < st->cfnames.n; i++)
		cfo[i] = st->opts;
	sl_vec_reserve(&st->cfs, st->cfnames.n);
	st->db = rocksdb_open_column_families(st->opts, st->dbdir, (int)st->cfnames.n,
	                                      (const char *const *)st->cfnames.v, cfo, st->cfs.v,
	                                      &rerr);
	free(cfo);
	if (rerr) {
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "cannot open state store \"%s\": %s", st->dbdir,
		        rerr);
		free(rerr);
		st->db = NULL;
		return false;
	}
	st->cfs.n = st->cfnames.n;
	return true;
}

rocksdb_column_family_handle_t *
sl_state_cf(sl_state *st, const char *cfname, sl_error **errp)
{
	for (size_t i = 0; i < st->cfnames.n; i++)
		if (strcmp(st->cfnames.v[i], cfname) == 0)
			return st->cfs.v[i];
	char *rerr = NULL;
	rocksdb_column_family_handle_t *cf = rocksdb_create_column_family(st->db, st->opts, cfname, &rerr);
	if (rerr) {
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "cannot create column family \"%s\": %s", cfname,
		        rerr);
		free(rerr);
		return NULL;
	}
	sl_vec_push(&st->cfnames, sl_xstrdup(cfname));
	sl_vec_push(&st->cfs, cf);
	return cf;
}

sl_state *
sl_state_open(const sl_state_options *o, sl_error **errp)
{
	int maxp = o->maxp ? o->maxp : SL_STATE_DEFAULT_MAXP;
	if (maxp < 1 || maxp > 32768 || o->kg_first < 0 || o->kg_last >= maxp ||
	    o->kg_first > o->kg_last) {
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "invalid key-group range [%d, %d] of %d",
		        o->kg_first, o->kg_last, maxp);
		return NULL;
	}
	if (!o->local_dir) {
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "no local state directory");
		return NULL;
	}
	sl_state *st = sl_xcalloc(1, sizeof *st);
	st->dir = sl_xstrdup(o->local_dir);
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_strbuf_appendf(&sb, "%s/db", st->dir);
	st->dbdir = sl_strbuf_take(&sb);
	st->maxp = maxp;
	st->kg_first = o->kg_first;
	st->kg_last = o->kg_last;
	st->cache_bytes = o->cache_bytes ? o->cache_bytes : (size_t)32 << 20;
	st->clock = o->clock ? o->clock : default_clock;
	st->clock_ctx = o->clock_ctx;
	make_uuid(st->uuid);

	sl_rm_rf(st->dir);
	if (!sl_mkdir_p(st->dir, errp)) {
		free(st->dir);
		free(st->dbdir);
		free(st);
		return NULL;
	}
	st->opts = rocksdb_options_create();
	rocksdb_options_set_create_if_missing(st->opts, 1);
	rocksdb_options_set_create_missing_column_families(st->opts, 1);
	rocksdb_options_set_write_buffer_size(st->opts,
	                                      o->write_buffer_bytes ? o->write_buffer_bytes : 16 << 20);
	rocksdb_options_set_max_write_buffer_number(st->opts, 2);
	/* all column families together: without it every state's memtables
	 * (up to 2 x write_buffer_bytes each) add to the caches' budget, and
	 * RSS grows with the number of states rather than staying near it */
	rocksdb_options_set_db_write_buffer_size(st->opts,
	                                         o->write_buffer_bytes ? o->write_buffer_bytes : 16 << 20);
	rocksdb_options_set_compression(st->opts, rocksdb_no_compression);
	/* Compact L0 only once 64 files (of <= write_buffer_bytes each) are
	 * there, not 4: state spilled beyond the cache is mostly written once
	 * and read rarely (a join's stored rows), so L0 -> L1 rewrites are
	 * most of RocksDB's CPU. Point reads stay cheap (each L0 file has a
	 * Bloom filter, below, and the caches' own filters keep most reads
	 * away). 4 -> 32: q20 3M events 4.0 -> 2.9 CPU-s, q9 6.7 -> 5.1, q18
	 * 4.0 -> 3.2. 32 -> 64: q20 10M events 13.8-15.6 -> 11.8-12.2 CPU-s,
	 * q9 10M 21.0 -> 20.0, 3M-event runs of q4/q7/q9/q18 unchanged. Writes
	 * slow down at 96 files and stop at 128. */
	rocksdb_options_set_level0_file_num_compaction_trigger(st->opts, 64);
	rocksdb_options_set_level0_slowdown_writes_trigger(st->opts, 96);
	rocksdb_options_set_level0_stop_writes_trigger(st->opts, 128);
	rocksdb_options_set_max_background_jobs(st->opts, 2);
	rocksdb_options_set_max_open_files(st->opts, 256);
	st->bcache = rocksdb_cache_create_lru(o->block_cache_bytes ? o->block_cache_bytes : 8 << 20);
	st->bbto = rocksdb_block_based_options_create();
	rocksdb_block_based_options_set_block_cache(st->bbto, st->bcache);
	/* a Bloom filter per SST (10 bits per key): a point read of a key that
	 * the cache's own filter cannot rule out (it is, or was, in RocksDB)
	 * skips the L0 files that do not hold it instead of reading a data
	 * block of each — every L0 file spans all key groups */
	st->bloom = rocksdb_filterpolicy_create_bloom_full(10);
	rocksdb_block_based_options_set_filter_policy(st->bbto, st->bloom);
	rocksdb_options_set_block_based_table_factory(st->opts, st->bbto);
	st->filter = rocksdb_compactionfilter_create(st, ttl_filter_destroy, ttl_filter, ttl_filter_name);
	rocksdb_options_set_compaction_filter(st->opts, st->filter);
	st->wo = rocksdb_writeoptions_create();
	rocksdb_writeoptions_disable_WAL(st->wo, 1);
	st->wb = rocksdb_writebatch_create();
	st->ro = rocksdb_readoptions_create();

	bool ok = o->restore_dir ? sl_state_restore(st, o->restore_dir, errp)
	                         : sl_state_open_db(st, true, errp);
	if (!ok) {
		sl_state_close(st);
		return NULL;
	}
	return st;
}

void
sl_state_close(sl_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->timers.n; i++)
		sl_timers_free(st->timers.v[i]);
	sl_vec_free(&st->timers);
	if (getenv("SLUICE_STATE_STATS"))
		for (size_t i = 0; i < st->kvs.n; i++) {
			sl_state_kv *kv = st->kvs.v[i];
			fprintf(stderr, "sluice: state %s \"%s\": %zu cached (%zu of %zu bytes, probe %.2f), %llu hits, "
			        "%llu misses (%llu by the filter), %llu evictions, %llu flushes, %llu written (%llu value bytes)\n",
			        st->dir, kv->name, kv->count, kv->used, kv->budget, sl_kv_probe_mean(kv),
			        (unsigned long long)kv->hits, (unsigned long long)kv->misses,
			        (unsigned long long)kv->bf_skips, (unsigned long long)kv->evictions,
			        (unsigned long long)kv->evict_flushes, (unsigned long long)kv->written,
			        (unsigned long long)kv->written_bytes);
		}
	for (size_t i = 0; i < st->kvs.n; i++)
		sl_kv_free(st->kvs.v[i]);
	sl_vec_free(&st->kvs);
	for (size_t i = 0; i < st->cfs.n; i++)
		rocksdb_column_family_handle_destroy(st->cfs.v[i]);
	if (st->db)
		rocksdb_close(st->db);
	for (size_t i = 0; i < st->cfnames.n; i++)
		free(st->cfnames.v[i]);
	sl_vec_free(&st->cfnames);
	sl_vec_free(&st->cfs);
	rocksdb_options_destroy(st->opts);
	rocksdb_block_based_options_destroy(st->bbto);
	rocksdb_cache_destroy(st->bcache);
	rocksdb_compactionfilter_destroy(st->filter);
	rocksdb_writeoptions_destroy(st->wo);
	if (st->wb)
		rocksdb_writebatch_destroy(st->wb);
	rocksdb_readoptions_destroy(st->ro);
	for (size_t i = 0; i < st->ops.n; i++) {
		free(st->ops.v[i].name);
		free(st->ops.v[i].bytes);
	}
	sl_vec_free(&st->ops);
	for (size_t i = 0; i < st->shared.n; i++) {
		free(st->shared.v[i].local);
		free(st->shared.v[i].shared);
	}
	sl_vec_free(&st->shared);
	sl_rm_rf(st->dir);
	free(st->dir);
	free(st->dbdir);
	free(st);
}

sl_state_value *
sl_state_value_open(sl_state *st, const char *name, const sl_state_desc *desc, sl_error **errp)
{
	return sl_kv_new(st, KV_VALUE, name, desc, errp);
}
sl_state_map *
sl_state_map_open(sl_state *st, const char *name, const sl_state_desc *desc, sl_error **errp)
{
	return sl_kv_new(st, KV_MAP, name, desc, errp);
}
sl_state_list *
sl_state_list_open(sl_state *st, const char *name, const sl_state_desc *desc, sl_error **errp)
{
	return sl_kv_new(st, KV_LIST, name, desc, errp);
}

bool
sl_state_ttl_sweep(sl_state *st, sl_error **errp)
{
	int64_t now = sl_state_now(st);
	for (size_t i = 0; i < st->kvs.n; i++) {
		sl_state_kv *kv = st->kvs.v[i];
		if (!kv->ttl_ms)
			continue;
		/* expired cached entries become tombstones, then go to RocksDB */
		for (size_t j = 0; j < kv->tabcap; j++) {
			centry *e = kv_slot_entry(kv->tab[j]);
			if (e && !(e->flags & CE_ABSENT) && e->expire_at <= now)
				sl_kv_mark_absent(kv, e);
		}
		if (!sl_kv_flush(kv, errp))
			return false;
		rocksdb_compact_range_cf(st->db, kv->cf, NULL, 0, NULL, 0);
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Timers
 * ------------------------------------------------------------------- */

typedef struct tnode {
	int64_t time;
	uint64_t h;        /* cache hash of the composite key */
	int kg;
	uint16_t cklen;    /* composite: domain, time, key */
	char ck[];
} tnode;

/* A heap element: the node's time and the first 8 bytes of its key
 * (big-endian, zero-padded) beside the pointer, so that comparisons
 * rarely dereference nodes (a window operator's timers mostly share a
 * time and differ in the key). Order: time, then key bytes, then length. */
typedef struct theap_el {
	int64_t time;
	uint64_t prefix;
	tnode *n;
} theap_el;

struct sl_state_timers {
	sl_state_kv *kv;               /* pinned cache: the authoritative set */
	SL_VEC(theap_el) heap[2];      /* per domain */
};

static int
tnode_cmp(const tnode *a, const tnode *b)
{
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	size_t n = SL_MIN(a->cklen, b->cklen);
	int c = memcmp(a->ck + 9, b->ck + 9, n - 9);
	if (c)
		return c;
	return a->cklen < b->cklen ? -1 : a->cklen > b->cklen;
}

/* tnode_cmp's order: when the prefixes differ they decide it as memcmp
 * with the shorter key first would (zero padding sorts before any byte
 * of a longer key that differs there); else the nodes decide. */
static inline int
theap_cmp(const theap_el *a, const theap_el *b)
{
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	if (a->prefix != b->prefix)
		return a->prefix < b->prefix ? -1 : 1;
	return tnode_cmp(a->n, b->n);
}

static void
heap_push(sl_state_timers *tm, int dom, tnode *n)
{
	theap_el x = {.time = n->time, .n = n};
	unsigned char pre[8] = {0};
	memcpy(pre, n->ck + 9, SL_MIN((size_t)8, (size_t)n->cklen - 9));
	x.prefix = get_be64((const char *)pre);
	sl_vec_push(&tm->heap[dom], x);
	theap_el *h = tm->heap[dom].v;
	size_t i = tm->heap[dom].n - 1;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (theap_cmp(&h[p], &x) <= 0)
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = x;
}

static tnode *
heap_pop(sl_state_timers *tm, int dom)
{
	size_t n = tm->heap[dom].n;
	theap_el *h = tm->heap[dom].v;
	tnode *top = h[0].n;
	theap_el x = h[n - 1];
	tm->heap[dom].n = --n;
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m;
		if (l >= n)
			break;
		m = (r < n && theap_cmp(&h[r], &h[l]) < 0) ? r : l;
		if (theap_cmp(&x, &h[m]) <= 0)
			break;
		h[i] = h[m];
		i = m;
	}
	if (n)
		h[i] = x;
	return top;
}

static tnode *
tnode_make(sl_state *st, int dom, int64_t time, const void *key, size_t klen)
{
	tnode *n = sl_xmalloc(sizeof(tnode) + 9 + klen);
	n->time = time;
	n->cklen = (uint16_t)(9 + klen);
	n->ck[0] = (char)dom;
	put_be64(n->ck + 1, (uint64_t)time ^ (UINT64_C(1) << 63));
	memcpy(n->ck + 9, key, klen);
	n->kg = sl_state_key_group(key, klen, st->maxp);
	n->h = sl_hash64(n->ck, n->cklen, 0);
	return n;
}

sl_state_timers *
sl_state_timers_open(sl_state *st, const char *name, sl_error **errp)
{
	sl_state_kv *kv = sl_kv_new(st, KV_TIMERS, name, NULL, errp);
	if (!kv)
		return NULL;
	sl_state_timers *tm = sl_xcalloc(1, sizeof *tm);
	tm->kv = kv;
	sl_vec_push(&st->timers, tm);
	/* load every timer of our key groups */
	char lo[2], hi[2];
	put_be16(lo, (unsigned)st->kg_first);
	put_be16(hi, (unsigned)st->kg_last + 1);
	rocksdb_readoptions_t *ro = rocksdb_readoptions_create();
	rocksdb_readoptions_set_iterate_upper_bound(ro, hi, 2);
	rocksdb_iterator_t *it = rocksdb_create_iterator_cf(st->db, ro, kv->cf);
	for (rocksdb_iter_seek(it, lo, 2); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
		size_t kl;
		const char *k = rocksdb_iter_key(it, &kl);
		if (kl < 11)
			continue;
		int dom = k[2] & 1;
		int64_t time = (int64_t)(get_be64(k + 3) ^ (UINT64_C(1) << 63));
		tnode *n = tnode_make(st, dom, time, k + 11, kl - 11);
		size_t slot;
		(void)slot;
		bool err;
		if (!sl_kv_lookup(kv, n->h, n->kg, n->ck, n->cklen, SL_KV_PROBE, NULL, &err)) {
			centry *e = sl_kv_insert(kv, n->h, n->kg, n->ck, n->cklen, 0);
			e->flags = CE_INDB; /* live, clean, in RocksDB */
		}
		heap_push(tm, dom, n);
	}
	rocksdb_iter_destroy(it);
	rocksdb_readoptions_destroy(ro);
	return tm;
}

void
sl_timers_free(sl_state_timers *tm)
{
	for (int d = 0; d < 2; d++) {
		for (size_t i = 0; i < tm->heap[d].n; i++)
			free(tm->heap[d].v[i].n);
		sl_vec_free(&tm->heap[d]);
	}
	free(tm); /* tm->kv is freed with the backend's kvs */
}

/* After a snapshot flush: drop the (now clean) tombstones of fired timers. */
void
sl_timers_after_flush(sl_state_timers *tm)
{
	sl_state_kv *kv = tm->kv;
	for (centry *e = kv->lru.lru_next, *next; e != &kv->lru; e = next) {
		next = e->lru_next;
		if ((e->flags & (CE_ABSENT | CE_DIRTY)) == CE_ABSENT)
			sl_kv_remove(kv, e);
	}
}

bool
sl_state_timer_register(sl_state_timers *tm, sl_timer_domain dom, int64_t time, const void *key,
                        size_t klen, sl_error **errp)
{
	sl_state_kv *kv = tm->kv;
	if (klen > 65000)
		return sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "timer key too long");
	tnode *n = tnode_make(kv->st, dom & 1, time, key, klen);
	bool err;
	centry *e = sl_kv_lookup(kv, n->h, n->kg, n->ck, n->cklen, SL_KV_PROBE, errp, &err);
	if (err) {
		free(n);
		return false;
	}
	if (e && !(e->flags & CE_ABSENT)) {
		free(n);
		return true;
	}
	if (!e)
		e = sl_kv_insert(kv, n->h, n->kg, n->ck, n->cklen, 0);
	sl_kv_set(kv, e, NULL, 0);
	heap_push(tm, dom & 1, n);
	return true;
}

bool
sl_state_timer_delete(sl_state_timers *tm, sl_timer_domain dom, int64_t time, const void *key,
                      size_t klen, sl_error **errp)
{
	sl_state_kv *kv = tm->kv;
	tnode *n = tnode_make(kv->st, dom & 1, time, key, klen);
	bool err;
	centry *e = sl_kv_lookup(kv, n->h, n->kg, n->ck, n->cklen, SL_KV_PROBE, errp, &err);
	free(n);
	if (err)
		return false;
	if (e && !(e->flags & CE_ABSENT)) {
		/* its heap node is skipped when popped; a timer never written to
		 * RocksDB is simply forgotten, else a tombstone goes there */
		if (e->flags & CE_INDB)
			sl_kv_mark_absent(kv, e);
		else
			sl_kv_drop(kv, e);
	}
	return true;
}

int64_t
sl_state_timers_advance(sl_state_timers *tm, sl_timer_domain dom, int64_t upto,
                        sl_timer_fire_fn fn, void *ctx, sl_error **errp)
{
	int d = dom & 1;
	int64_t fired = 0;
	while (tm->heap[d].n && tm->heap[d].v[0].time <= upto) {
		tnode *n = heap_pop(tm, d);
		bool err;
		centry *e = sl_kv_lookup(tm->kv, n->h, n->kg, n->ck, n->cklen, SL_KV_PROBE, errp, &err);
		if (e && !(e->flags & CE_ABSENT)) {
			/* fired: forgotten, or a tombstone if RocksDB holds it (a
			 * snapshot wrote it), so the cache does not grow with every
			 * timer ever fired between snapshots */
			if (e->flags & CE_INDB)
				sl_kv_mark_absent(tm->kv, e);
			else
				sl_kv_drop(tm->kv, e);
			fired++;
			if (!fn(ctx, (sl_timer_domain)d, n->time, n->ck + 9, n->cklen - 9u, errp)) {
				free(n);
				return -1;
			}
		}
		free(n);
	}
	return fired;
}

int64_t
sl_state_timers_next(sl_state_timers *tm, sl_timer_domain dom)
{
	int d = dom & 1;
	while (tm->heap[d].n) {
		tnode *n = tm->heap[d].v[0].n;
		bool err;
		centry *e = sl_kv_lookup(tm->kv, n->h, n->kg, n->ck, n->cklen, SL_KV_PROBE, NULL, &err);
		if (e && !(e->flags & CE_ABSENT))
			return n->time;
		free(heap_pop(tm, d)); /* deleted timer */
	}
	return INT64_MAX;
}

/* ---------------------------------------------------------------------
 * Operator state
 * ------------------------------------------------------------------- */

void
sl_state_op_put(sl_state *st, const char *name, const void *bytes, size_t len)
{
	opblob *b = NULL;
	for (size_t i = 0; i < st->ops.n; i++)
		if (strcmp(st->ops.v[i].name, name) == 0)
			b = &st->ops.v[i];
	if (!b) {
		sl_vec_push(&st->ops, ((opblob){sl_xstrdup(name), NULL, 0}));
		b = &st->ops.v[st->ops.n - 1];
	}
	free(b->bytes);
	b->bytes = sl_xmalloc(len ? len : 1);
	memcpy(b->bytes, bytes, len);
	b->len = len;
}

const void *
sl_state_op_get(sl_state *st, const char *name, size_t *len)
{
	for (size_t i = 0; i < st->ops.n; i++)
		if (strcmp(st->ops.v[i].name, name) == 0) {
			*len = st->ops.v[i].len;
			return st->ops.v[i].bytes;
		}
	return NULL;
}

size_t
sl_state_op_count(const sl_state *st)
{
	return st->ops.n;
}

const char *
sl_state_op_name(const sl_state *st, size_t i)
{
	return i < st->ops.n ? st->ops.v[i].name : NULL;
}
