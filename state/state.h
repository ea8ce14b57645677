/*
 * state.h
 *	  Keyed and operator state of one task, its snapshots, and checkpoint
 *	  storage. The only header of state/ other modules include.
 *
 *	  One backend (sl_state, local name st) per task: a RocksDB instance
 *	  holding the key groups [kg_first, kg_last] of max parallelism maxp.
 *	  Each named state (value, map, list, timers) is one column family with a
 *	  write-back cache in front. No RocksDB type, errptr or malloc'ed RocksDB
 *	  value reaches callers; errors come back through sl_error **errp with
 *	  codes SL_ERR_STATE, SL_ERR_CHECKPOINT, SL_ERR_CORRUPT, SL_ERR_IO.
 *
 *	  @thread task: a backend and every handle from it are used by one
 *	  thread at a time (no locks on the hot path). The exceptions are
 *	  sl_state_snapshot_upload (any thread, concurrently with the task) and
 *	  the sl_ck_storage_* functions (any thread, serialised by the caller).
 *
 *	  Pointers returned into the cache (get, get_for_update) stay valid until
 *	  the next call on the same state handle, or sl_state_snapshot_take, and
 *	  are 8-byte aligned (a value may be used as int64_t/double in place).
 *	  Pointers from a map iterator point into RocksDB and are not aligned.
 *
 * INTERFACE ROUTINES
 *	  sl_state_key_group           key group of key bytes (route rows with it)
 *	  sl_state_open / _close       open a task's backend, fresh or restored
 *	  sl_state_value_*             key -> bytes
 *	  sl_state_map_*               (key, user key) -> bytes, ordered iteration
 *	  sl_state_list_*              key -> list of byte strings (append, capped append)
 *	  sl_state_scan                every entry of one state (sweeps)
 *	  sl_state_timers_*            event/processing-time timers per key
 *	  sl_state_op_put / _get       operator (non-keyed) state blobs
 *	  sl_state_snapshot_take       synchronous part of a snapshot
 *	  sl_state_snapshot_upload     asynchronous part: copy to storage
 *	  sl_ck_storage_*              checkpoint storage: _metadata, latest, retain
 */
#ifndef SL_STATE_H
#define SL_STATE_H

#include "common/common.h"

#define SL_STATE_DEFAULT_MAXP 128
#define SL_STATE_DEFAULT_RETAIN 3

typedef struct sl_state sl_state;               /* backend of one task (st) */
typedef struct sl_state_kv sl_state_kv;         /* one named state (value/map/list) */
typedef struct sl_state_kv sl_state_value;
typedef struct sl_state_kv sl_state_map;
typedef struct sl_state_kv sl_state_list;
typedef struct sl_state_timers sl_state_timers; /* a named timer service */
typedef struct sl_state_map_iter sl_state_map_iter;
typedef struct sl_state_snapshot sl_state_snapshot; /* local snapshot, sync part done */
typedef struct sl_ck_storage sl_ck_storage;     /* <root>/<job>/ (ck) */

/* Milliseconds clock for TTL; must be callable from any thread. */
typedef int64_t (*sl_state_clock_fn)(void *ctx);

typedef struct sl_state_options {
	const char *local_dir;   /* working dir of this task's RocksDB (created; wiped at open) */
	int maxp;                /* max parallelism; 0 = SL_STATE_DEFAULT_MAXP */
	int kg_first, kg_last;   /* key-group range owned, inclusive */
	size_t cache_bytes;      /* default byte budget of each state's cache; 0 = 32 MiB */
	size_t write_buffer_bytes; /* RocksDB memtable size; 0 = 16 MiB */
	size_t block_cache_bytes;  /* RocksDB block cache; 0 = 8 MiB */
	const char *restore_dir; /* checkpoint or savepoint dir with _metadata; NULL = fresh */
	sl_state_clock_fn clock; /* NULL = CLOCK_REALTIME in ms */
	void *clock_ctx;
} sl_state_options;

/* Key group of a key: sl_hash64(key, len, 0) % maxp. The runtime routes
 * rows to tasks with this same function. */
int sl_state_key_group(const void *key, size_t len, int maxp);
/* Key-group range of task i of p for maxp (Flink's contiguous split). */
void sl_state_task_range(int maxp, int p, int i, int *kg_first, int *kg_last);
/* The max parallelism and key-group range an open backend was opened with. */
void sl_state_key_groups(const sl_state *st, int *maxp, int *kg_first, int *kg_last);

/* Open a backend. With restore_dir, loads exactly the key groups in
 * [kg_first, kg_last] from the tasks of that snapshot that hold them
 * (any old parallelism), verifying every file's checksum.
 * Returns NULL and sets *errp on failure. Caller frees with sl_state_close. */
sl_state *sl_state_open(const sl_state_options *opts, sl_error **errp);
void sl_state_close(sl_state *st); /* drops unsaved state; removes local_dir */

/* ---- named states ---------------------------------------------------- */
typedef struct sl_state_desc {
	int64_t ttl_ms;      /* 0 = no TTL; else entries idle (not written) this long expire */
	size_t cache_bytes;  /* 0 = the backend's default */
} sl_state_desc;

/* Register (or re-attach after restore) a named state. name: [A-Za-z0-9_.-]+,
 * unique per backend across kinds. The handle lives until sl_state_close. */
sl_state_value *sl_state_value_open(sl_state *st, const char *name, const sl_state_desc *desc, sl_error **errp);
sl_state_map *sl_state_map_open(sl_state *st, const char *name, const sl_state_desc *desc, sl_error **errp);
sl_state_list *sl_state_list_open(sl_state *st, const char *name, const sl_state_desc *desc, sl_error **errp);

/* Value state. get: 1 found (*val, *vlen set; pointer into the cache), 0
 * absent or expired, -1 error. */
int sl_state_value_get(sl_state_value *vs, const void *key, size_t klen,
                       const void **val, size_t *vlen, sl_error **errp);
/* Read-modify-write without allocation on a cache hit: returns a pointer to
 * the value (writable, *vlen bytes) and marks it dirty. If absent, creates a
 * zeroed value of vlen_if_new bytes and sets *created. NULL on error. */
void *sl_state_value_get_for_update(sl_state_value *vs, const void *key, size_t klen,
                                    size_t vlen_if_new, size_t *vlen, bool *created,
                                    sl_error **errp);
bool sl_state_value_put(sl_state_value *vs, const void *key, size_t klen,
                        const void *val, size_t vlen, sl_error **errp);
bool sl_state_value_delete(sl_state_value *vs, const void *key, size_t klen, sl_error **errp);

/* Map state: as value state, addressed by (key, user key). */
int sl_state_map_get(sl_state_map *ms, const void *key, size_t klen, const void *ukey,
                     size_t uklen, const void **val, size_t *vlen, sl_error **errp);
void *sl_state_map_get_for_update(sl_state_map *ms, const void *key, size_t klen,
                                  const void *ukey, size_t uklen, size_t vlen_if_new,
                                  size_t *vlen, bool *created, sl_error **errp);
bool sl_state_map_put(sl_state_map *ms, const void *key, size_t klen, const void *ukey,
                      size_t uklen, const void *val, size_t vlen, sl_error **errp);
/* Read-modify-write that sets the value's length, for values that grow or
 * shrink in place (a sorted array gaining an element): returns a writable
 * pointer to vlen bytes, marked dirty, whose first min(vlen, *oldlen)
 * bytes are the value before and whose bytes past *oldlen are zero.
 * *oldlen = 0 when the entry was absent (it is created). A grown value
 * moves to a buffer that doubles, so n one-element growths cost
 * O(log n) copies. NULL on error. */
void *sl_state_map_resize_for_update(sl_state_map *ms, const void *key, size_t klen,
                                     const void *ukey, size_t uklen, size_t vlen,
                                     size_t *oldlen, sl_error **errp);
/* Append elem to the list held in the entry (key, user key) — the
 * encoding of list state, read with sl_state_map_get and
 * sl_state_list_next — unless it already holds max_len bytes or more:
 * 1 appended, 0 full (nothing written), -1 error. For lists under keys
 * derived from the routed key (the key group comes from key alone). */
int sl_state_map_append_capped(sl_state_map *ms, const void *key, size_t klen, const void *ukey,
                               size_t uklen, const void *elem, size_t elen, size_t max_len,
                               sl_error **errp);
/* As sl_state_map_append_capped, but never reads RocksDB: an entry that
 * is not in the cache counts as full (0), unless fresh says the caller
 * knows it does not exist (then it is created with elem). For chunked
 * appends that start a new chunk rather than read an evicted one back. */
int sl_state_map_append_cached(sl_state_map *ms, const void *key, size_t klen, const void *ukey,
                               size_t uklen, const void *elem, size_t elen, size_t max_len,
                               bool fresh, sl_error **errp);
bool sl_state_map_remove(sl_state_map *ms, const void *key, size_t klen, const void *ukey,
                         size_t uklen, sl_error **errp);
/* Iterate the entries of one key in user-key byte order. The map's dirty
 * cache entries are flushed first (flush-before-iterate); the iterator sees
 * the state as of its creation. Free it before the next snapshot. */
sl_state_map_iter *sl_state_map_iter_new(sl_state_map *ms, const void *key, size_t klen, sl_error **errp);
/* 1 next entry (pointers valid until the next call), 0 end, -1 error. */
int sl_state_map_iter_next(sl_state_map_iter *it, const void **ukey, size_t *uklen,
                           const void **val, size_t *vlen, sl_error **errp);
void sl_state_map_iter_free(sl_state_map_iter *it);
bool sl_state_map_clear(sl_state_map *ms, const void *key, size_t klen, sl_error **errp);

/* List state: the list of a key is one encoded buffer: per element a 4-byte
 * little-endian length then the bytes. */
bool sl_state_list_append(sl_state_list *ls, const void *key, size_t klen,
                          const void *elem, size_t elen, sl_error **errp);
/* Append elem unless key's list already holds max_len bytes or more (one
 * lookup instead of get + append): 1 appended, 0 full (nothing written),
 * -1 error. */
int sl_state_list_append_capped(sl_state_list *ls, const void *key, size_t klen,
                                const void *elem, size_t elen, size_t max_len,
                                sl_error **errp);
int sl_state_list_get(sl_state_list *ls, const void *key, size_t klen,
                      const void **buf, size_t *len, sl_error **errp);
bool sl_state_list_clear(sl_state_list *ls, const void *key, size_t klen, sl_error **errp);
/* Replace key's list with buf (an encoded list, as sl_state_list_get
 * returns: e.g. the elements a sweep keeps). A blind write. */
bool sl_state_list_put(sl_state_list *ls, const void *key, size_t klen, const void *buf,
                       size_t len, sl_error **errp);
/* Walk an encoded list: *pos starts at 0; true while an element is returned. */
bool sl_state_list_next(const void *buf, size_t len, size_t *pos, const void **elem, size_t *elen);

/* Scan every live entry of a value, list or map state in this task's key
 * groups, in key order (key group, key, user key): fn gets the key, the
 * user key (map state; NULL, 0 otherwise) and the value (list state: the
 * encoded list), all pointing into RocksDB and valid during the call only.
 * The state's dirty cache entries are written to RocksDB first, so the
 * scan sees everything; it sees the state as of its start, and fn may
 * change the state (its changes are not seen). Expired TTL entries are
 * skipped. O(entries): for sweeps that drop what became unreachable (the
 * regular join's watermark-derived retention). fn returns false (with
 * *errp) to stop with an error. */
typedef bool (*sl_state_scan_fn)(void *ctx, const void *key, size_t klen, const void *ukey,
                                 size_t uklen, const void *val, size_t vlen, sl_error **errp);
bool sl_state_scan(sl_state_kv *kv, sl_state_scan_fn fn, void *ctx, sl_error **errp);

/* The state's cache statistics since open: lookups answered by the cache
 * (hits) and not (misses: a RocksDB read, or an absent-key filter answer).
 * For operators that choose a storage layout by how their keys behave. */
void sl_state_stats(const sl_state_kv *kv, uint64_t *hits, uint64_t *misses);

/* Reclaim expired entries of every TTL state now (expired entries are never
 * returned either way; this also runs RocksDB compaction with the TTL filter). */
bool sl_state_ttl_sweep(sl_state *st, sl_error **errp);

/* ---- timers ----------------------------------------------------------- */
typedef enum sl_timer_domain { SL_TIMER_EVENT = 0, SL_TIMER_PROC = 1 } sl_timer_domain;

/* Called for each timer due; may register or delete timers. Return false
 * (with *errp) to stop. */
typedef bool (*sl_timer_fire_fn)(void *ctx, sl_timer_domain dom, int64_t time,
                                 const void *key, size_t klen, sl_error **errp);

sl_state_timers *sl_state_timers_open(sl_state *st, const char *name, sl_error **errp);
/* Registering an existing (domain, time, key) timer is a no-op. */
bool sl_state_timer_register(sl_state_timers *tm, sl_timer_domain dom, int64_t time,
                             const void *key, size_t klen, sl_error **errp);
bool sl_state_timer_delete(sl_state_timers *tm, sl_timer_domain dom, int64_t time,
                           const void *key, size_t klen, sl_error **errp);
/* Fire, in (time, key) order, every timer of dom with time <= upto,
 * including ones registered by the callback. Returns the number fired, or
 * -1 on error. */
int64_t sl_state_timers_advance(sl_state_timers *tm, sl_timer_domain dom, int64_t upto,
                                sl_timer_fire_fn fn, void *ctx, sl_error **errp);
/* Earliest pending time of dom, INT64_MAX if none. */
int64_t sl_state_timers_next(sl_state_timers *tm, sl_timer_domain dom);

/* ---- operator state ------------------------------------------------- */
/* Store a named blob (copied) in the next snapshot. */
void sl_state_op_put(sl_state *st, const char *name, const void *bytes, size_t len);
/* The blob last put or restored, NULL if none. Restoring at the same
 * parallelism gives each task its own blobs; after a rescale each new task
 * sees every old task's blobs, named "NAME@OLDTASK". Pointer valid until the
 * next sl_state_op_put of that name. */
const void *sl_state_op_get(sl_state *st, const char *name, size_t *len);
size_t sl_state_op_count(const sl_state *st);
const char *sl_state_op_name(const sl_state *st, size_t i);

/* ---- snapshots -------------------------------------------------------- */
/* Synchronous part (@thread task, blocks processing): flush every cache in
 * the reused write batch (WAL off), write timers and operator state, and take a
 * RocksDB checkpoint (hard links) into local_dir/snap-<id>. */
sl_state_snapshot *sl_state_snapshot_take(sl_state *st, uint64_t id, sl_error **errp);

/* What a task reports to the coordinator; written into _metadata. */
typedef struct sl_ck_task_info {
	int task;             /* task index */
	int kg_first, kg_last;
	char manifest[64];    /* manifest file name, relative to the checkpoint dir */
	uint64_t manifest_size;
	uint64_t manifest_hash; /* XXH3-64 of the manifest file */
	uint64_t bytes_copied;  /* bytes written to storage by this upload */
	uint64_t bytes_total;   /* bytes of all files of the task's snapshot */
} sl_ck_task_info;

/* Asynchronous part (any thread, concurrently with the task using st):
 * copy the SST files not yet in <job>/shared/ there, the rest into the
 * checkpoint dir, and write the task manifest with checksums. With
 * savepoint, everything goes into <job>/savepoints/sp-<id>/ (no shared
 * files). Fills *info. The snapshot must not be freed concurrently. */
bool sl_state_snapshot_upload(sl_state_snapshot *snap, sl_ck_storage *ck, int task,
                              bool savepoint, sl_ck_task_info *info, sl_error **errp);
/* How long the synchronous part took: the cache batch, and the RocksDB
 * checkpoint (memtable flush, hard links). For metrics. */
void sl_state_snapshot_times(const sl_state_snapshot *snap, double *batch_ms, double *checkpoint_ms);
/* Remove the local snapshot dir and free. @thread task (or after upload). */
void sl_state_snapshot_free(sl_state_snapshot *snap);

/* ---- checkpoint storage (coordinator side) --------------------------- */
/* <root>/<job>/ with shared/, chk-<n>/, savepoints/sp-<n>/. Created. */
sl_ck_storage *sl_ck_storage_open(const char *root, const char *job, sl_error **errp);
void sl_ck_storage_free(sl_ck_storage *ck);
const char *sl_ck_storage_job_dir(const sl_ck_storage *ck);
/* Write <dir>/_metadata (temp, fsync, rename, fsync dir; a failed fsync is
 * fatal) listing ntasks task infos, sorted by task. From then on the
 * checkpoint (or savepoint) exists. */
bool sl_ck_storage_commit(sl_ck_storage *ck, uint64_t id, bool savepoint, int maxp,
                          const sl_ck_task_info *tasks, int ntasks, sl_error **errp);
/* Directory of checkpoint id (malloc'ed; caller frees). */
char *sl_ck_storage_dir(const sl_ck_storage *ck, uint64_t id, bool savepoint);
/* Find a restorable checkpoint: which = "latest" or a decimal id. Verifies
 * the _metadata, manifests and every file's size and checksum. For "latest",
 * a corrupt or incomplete checkpoint is logged (warn) and the previous
 * complete one is tried. *dir is malloc'ed. false if none is restorable. */
bool sl_ck_storage_find(sl_ck_storage *ck, const char *which, uint64_t *id, char **dir,
                        sl_error **errp);
/* Verify one checkpoint/savepoint directory (what find does for each). */
bool sl_ck_verify(const char *dir, sl_error **errp);
/* Keep the newest `keep` complete checkpoints, delete older ones, their
 * incomplete leftovers, and shared files no kept checkpoint references.
 * Call while no upload is running. */
bool sl_ck_storage_retain(sl_ck_storage *ck, int keep, sl_error **errp);

#endif /* SL_STATE_H */
