/*
 * state_int.h
 *	  Internals shared by the files of state/: the backend, the write-back
 *	  cache of a named state, file helpers. See state/README.md.
 *
 *	  @thread task for everything here except the fields marked "upload"
 *	  (touched only by sl_state_snapshot_upload, one upload at a time).
 */
#ifndef SL_STATE_INT_H
#define SL_STATE_INT_H

#include "state/state.h"

#include <rocksdb/c.h>

/* Stored value header byte (first byte of every RocksDB value). */
#define VH_PLAIN 0   /* value bytes follow */
#define VH_TTL 1     /* 8-byte big-endian expire-at (ms) then value bytes */

enum kv_kind { KV_VALUE, KV_MAP, KV_LIST, KV_TIMERS };

/* Cache entry flags */
#define CE_DIRTY 0x01   /* differs from RocksDB; on the state's dirty list */
#define CE_ABSENT 0x02  /* key known absent (negative entry / tombstone when dirty) */
#define CE_HEAPVAL 0x04 /* val is a separate malloc, not inline */
#define CE_REF 0x08     /* used since the eviction hand last passed (CLOCK) */
#define CE_INDB 0x10    /* RocksDB may hold this key (found there, flushed as a
                         * put, or not known otherwise); when clear, RocksDB
                         * certainly does not, so removing the key needs no
                         * tombstone and the entry can simply be dropped */

/* One cached key of one state. Allocated as one block: header, composite
 * key (ck, cklen bytes), then the inline value area (icap bytes). */
typedef struct centry {
	uint64_t hash;               /* cache hash of the composite key */
	struct centry *lru_prev;     /* toward newer (insertion order; CLOCK) */
	struct centry *lru_next;     /* toward older: eviction starts at the tail */
	struct centry *dirty_next;   /* next on the state's dirty list */
	struct centry *dirty_prev;   /* previous on it (NULL at the head) */
	char *val;                   /* value bytes: inline area or heap buffer */
	uint32_t vlen;               /* value length */
	uint32_t vcap;               /* capacity of val */
	uint32_t icap;               /* size of the inline value area */
	int64_t expire_at;           /* TTL deadline (ms), INT64_MAX if none */
	uint16_t cklen;              /* composite key length */
	uint16_t kg;                 /* key group */
	uint8_t flags;               /* CE_* */
	char ck[];                   /* composite key, then inline value */
} centry;

/* One slot of a state's hash table: the entry pointer in the low 48 bits
 * (user-space addresses on x86-64 and arm64 fit) and the top 16 bits of
 * the entry's cache hash above them, so a probe rejects almost every
 * other key without touching its entry (each entry dereference is a
 * likely cache miss). 0: empty. */
typedef uint64_t kv_slot;

/* A key's cache hash is also its key group's: kg = h % maxp (kv.c
 * key_hash, maxp <= 2^16). A subtask owns a range of key groups, so at
 * parallelism 2 every key it sees has the same bit 6 (maxp 128), at 4 the
 * same bits 5 and 6, ...: a home slot or filter bit taken from h's low
 * bits would use a fraction of the table (at p=2 half of it, and linear
 * probing then runs twice as long). Both use h >> KV_HASH_SHIFT. The
 * table holds at most 2^32 slots, below the tag's 16 bits. */
#define KV_HASH_SHIFT 16
#define kv_home(h, mask) ((size_t)((h) >> KV_HASH_SHIFT) & (mask))
#define KV_SLOT_PTR_MASK ((UINT64_C(1) << 48) - 1)
#define kv_slot_make(e, h) ((uint64_t)(uintptr_t)(e) | ((h) & ~KV_SLOT_PTR_MASK))
#define kv_slot_entry(s) ((struct centry *)(uintptr_t)((s) & KV_SLOT_PTR_MASK))
#define kv_slot_tag_eq(s, h) ((((s) ^ (h)) & ~KV_SLOT_PTR_MASK) == 0)

/* A named state: column family + write-back cache. */
struct sl_state_kv {
	sl_state *st;                /* owning backend */
	int kind;                    /* kv_kind */
	char *name;                  /* state name (malloc) */
	rocksdb_column_family_handle_t *cf; /* owned by st->cfs */
	int64_t ttl_ms;              /* 0 = no TTL */
	size_t budget;               /* cache byte budget; SIZE_MAX for timers */
	size_t used;                 /* accounted cache bytes: entries + table */
	kv_slot *tab;                /* open addressing, linear probing */
	size_t tabcap;               /* power of two */
	size_t count;                /* entries in tab */
	centry lru;                  /* sentinel: lru.lru_next = newest, lru_prev = oldest */
	centry *dirty;               /* dirty list head */
	size_t ndirty;               /* entries on the dirty list */
	/* Absent-key filter: a scalable Bloom filter of the cache hashes of
	 * every key that may be in this state's column family (built by one
	 * scan of the column family when the state is opened, then every put
	 * flushed to RocksDB is added). A miss the filter rules out costs no
	 * RocksDB read. Levels double in size; a key is tested against all.
	 * Not counted in `used` (2 bytes per key written to RocksDB). Timers
	 * need none: their cache holds every timer (nothing is evicted). */
	struct kv_bloom {
		uint64_t *w;             /* words; each key sets 4 bits of one word */
		size_t mask;             /* words - 1 (a power of two minus one) */
		size_t keys, cap;        /* keys added; capacity at 16 bits per key */
	} bf[48];
	int bf_n;                    /* levels in use */
	bool bf_valid;               /* built (timers: never; every miss would read RocksDB) */
	centry **order;              /* scratch of sl_kv_flush_into: dirty entries in
	                              * key order (reused; grows to the largest flush) */
	size_t order_cap;            /* capacity of order */
	sl_strbuf kbuf;              /* scratch: RocksDB key */
	sl_strbuf vbuf;              /* scratch: composite map key */
	struct centry *last;         /* map state: the entry the last lookup found
	                              * (a read-modify-write of the same key skips
	                              * the hash and probe); NULL once removed */
	uint64_t hits, misses, evictions, evict_flushes; /* statistics */
	uint64_t bf_skips;           /* misses answered by the filter (no RocksDB read) */
	uint64_t written;            /* puts and deletes flushed to RocksDB */
	uint64_t written_bytes;      /* value bytes of those puts */
};

typedef struct opblob {
	char *name;                  /* malloc */
	void *bytes;                 /* malloc */
	size_t len;
} opblob;

typedef struct shared_ref {
	char *local;                 /* local SST name, e.g. 000012.sst */
	char *shared;                /* name in <job>/shared/ */
	uint64_t size, hash;
} shared_ref;

struct sl_state {
	char *dir;                   /* local_dir */
	char *dbdir;                 /* dir/db */
	int maxp, kg_first, kg_last;
	size_t cache_bytes;          /* default budget per state */
	sl_state_clock_fn clock;
	void *clock_ctx;
	rocksdb_t *db;
	rocksdb_options_t *opts;
	rocksdb_block_based_table_options_t *bbto;
	rocksdb_cache_t *bcache;
	rocksdb_filterpolicy_t *bloom; /* SST Bloom filters; owned by bbto once set */
	rocksdb_compactionfilter_t *filter;
	rocksdb_writeoptions_t *wo;  /* WAL off */
	rocksdb_writebatch_t *wb;    /* the one write batch of every cache flush and
	                              * snapshot: written to RocksDB when it reaches
	                              * SL_STATE_BATCH_BYTES and at the end of a flush,
	                              * then cleared, which keeps its buffer (no
	                              * regrowth, no fresh pages per flush) */
	uint64_t batch_writes;       /* rocksdb_write calls of wb (statistics, tests) */
	rocksdb_readoptions_t *ro;
	SL_VEC(char *) cfnames;      /* column family names, [0] = "default" */
	SL_VEC(rocksdb_column_family_handle_t *) cfs;
	SL_VEC(sl_state_kv *) kvs;   /* named states */
	SL_VEC(sl_state_timers *) timers;
	SL_VEC(opblob) ops;
	char uuid[17];               /* names this backend's files in shared/ */
	SL_VEC(shared_ref) shared;   /* upload: SSTs already in storage */
};

/* kv.c */
sl_state_kv *sl_kv_new(sl_state *st, int kind, const char *name, const sl_state_desc *desc,
                       sl_error **errp);
void sl_kv_free(sl_state_kv *kv);
/* Lookup modes of sl_kv_lookup */
#define SL_KV_PROBE 0 /* the cache only: NULL on a miss */
#define SL_KV_CACHED 3 /* map_lookup: the cache only, nothing inserted on a miss */
#define SL_KV_LOAD 1  /* a miss reads RocksDB (unless the absent-key filter rules
                       * the key out) and caches the result, absent included */
#define SL_KV_READ 2  /* as LOAD, but a miss the filter rules out returns NULL
                       * and caches nothing: for reads that will not write the
                       * key (a negative entry would cost memory and an
                       * eviction, and save nothing the filter does not) */
centry *sl_kv_lookup(sl_state_kv *kv, uint64_t h, int kg, const void *ck, size_t cklen,
                     int mode, sl_error **errp, bool *err);
centry *sl_kv_insert(sl_state_kv *kv, uint64_t h, int kg, const void *ck, size_t cklen,
                     size_t vcap);
void sl_kv_set(sl_state_kv *kv, centry *e, const void *val, size_t vlen);
void sl_kv_resize(sl_state_kv *kv, centry *e, size_t vlen);
void sl_kv_touch_write(sl_state_kv *kv, centry *e);
void sl_kv_mark_absent(sl_state_kv *kv, centry *e);
bool sl_kv_after_write(sl_state_kv *kv, centry *keep, sl_error **errp);
/* A flush writes st->wb whenever it holds this many bytes: the batch's
 * buffer (reused across flushes) stays this small and cache-warm, however
 * much is dirty. Atomicity across the pieces is not needed: the working
 * RocksDB is never recovered from (restore reads a snapshot, taken after
 * the whole flush). */
#define SL_STATE_BATCH_BYTES ((size_t)1 << 20)
bool sl_kv_flush_into(sl_state_kv *kv, sl_error **errp);
bool sl_state_batch_write(sl_state *st, sl_error **errp);
bool sl_kv_flush(sl_state_kv *kv, sl_error **errp);
void sl_kv_remove(sl_state_kv *kv, centry *e);
/* Mean distance of the cached entries from their home slots (linear
 * probing: the extra slots a hit reads). Tests and SLUICE_STATE_STATS. */
double sl_kv_probe_mean(const sl_state_kv *kv);
void sl_kv_drop(sl_state_kv *kv, centry *e);
void sl_kv_rkey(sl_state_kv *kv, int kg, const void *ck, size_t cklen);
bool sl_state_write_batch(sl_state *st, rocksdb_writebatch_t *wb, sl_error **errp);
int64_t sl_state_now(sl_state *st);
rocksdb_column_family_handle_t *sl_state_cf(sl_state *st, const char *cfname, sl_error **errp);
void sl_timers_free(sl_state_timers *tm);
void sl_timers_after_flush(sl_state_timers *tm);

static inline void
put_be16(char *p, unsigned v)
{
	p[0] = (char)(v >> 8);
	p[1] = (char)v;
}
static inline void
put_be64(char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (char)(v & 0xff);
}
static inline uint64_t
get_be64(const char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | (uint8_t)p[i];
	return v;
}

/* files.c */
bool sl_file_copy_hash(const char *src, const char *dst, uint64_t *size, uint64_t *hash,
                       bool do_fsync, sl_error **errp);
bool sl_file_hash(const char *path, uint64_t *size, uint64_t *hash, sl_error **errp);
bool sl_file_write_atomic(const char *path, const void *data, size_t len, sl_error **errp);
bool sl_mkdir_p(const char *path, sl_error **errp);
void sl_rm_rf(const char *path);
void sl_fsync_dir(const char *dir);
bool sl_file_read_all(const char *path, sl_strbuf *out, sl_error **errp);

/* snapshot.c */
bool sl_state_restore(sl_state *st, const char *restore_dir, sl_error **errp);
bool sl_state_open_db(sl_state *st, bool create, sl_error **errp);

#endif /* SL_STATE_INT_H */
