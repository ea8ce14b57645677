/*
 * kv.c
 *	  The write-back cache of a named state and the value, map and list
 *	  state APIs on top of it.
 *
 *	  Each state has an open-addressing hash table (linear probing,
 *	  backward-shift deletion) of entries, an insertion-ordered list swept
 *	  by a CLOCK hand (a hit only sets a bit) and a dirty list.
 *	  A hit costs one hash and a probe; a read-modify-write of a cached
 *	  value allocates nothing. Misses read RocksDB and cache the result,
 *	  including "absent" (negative entries). When the accounted bytes pass
 *	  the budget, a CLOCK hand (second chance) picks cold entries down to
 *	  7/8 of the budget; the dirty ones among them go to RocksDB in one
 *	  sorted batch (the backend's reused batch, WAL off), then all are
 *	  evicted. Hot dirty entries stay in the cache, unwritten.
 *
 *	  @thread task. Cache pointers returned to callers stay valid until the
 *	  next call on the same state (which may evict) or a snapshot.
 *
 * INTERFACE ROUTINES
 *	  sl_state_value_{get,get_for_update,put,delete}
 *	  sl_state_map_{get,get_for_update,put,remove,clear,iter_*}
 *	  sl_state_list_{append,get,put,clear,next}
 *	  sl_state_scan   every entry of a state (watermark sweeps)
 *	  sl_kv_*   cache primitives used by timers.c and snapshot.c
 */
#include "state/state_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline size_t
round8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* Bytes of an entry block: header and key, padded so that the inline value
 * is 8-byte aligned (callers may cast it to int64_t *), then the value. */
#define ENTRY_HEAD(cklen) round8(offsetof(centry, ck) + (cklen))
#define ENTRY_OVERHEAD(cklen, icap) (ENTRY_HEAD(cklen) + (icap))

/* ---------------------------------------------------------------------
 * Absent-key filter (see state_int.h, struct kv_bloom): a scalable
 * blocked Bloom filter over the cache hash h of a key. Each key sets 4
 * bits (from h's bits 16..39) in one 64-bit word (chosen by h's bits
 * 40..63), so a test touches one cache line per level; h's low 16 bits
 * choose the key group (state_int.h, KV_HASH_SHIFT). A level holds cap
 * keys at 16 bits each (~0.5 % false positives); when it is full a level
 * twice as large is added, so nothing is ever rebuilt.
 * ------------------------------------------------------------------- */
#define BF_MIN_KEYS 65536

static inline uint64_t
bf_bits(uint64_t h)
{
	uint64_t b = h >> KV_HASH_SHIFT;
	return (UINT64_C(1) << (b & 63)) | (UINT64_C(1) << ((b >> 6) & 63)) |
	       (UINT64_C(1) << ((b >> 12) & 63)) | (UINT64_C(1) << ((b >> 18) & 63));
}

static inline size_t
bf_word(uint64_t h, size_t mask)
{
	return (size_t)((h >> 40) * UINT64_C(0x9E3779B97F4A7C15) >> 20) & mask;
}

static void
bf_add_level(sl_state_kv *kv)
{
	size_t cap = kv->bf_n ? kv->bf[kv->bf_n - 1].cap * 2 : BF_MIN_KEYS;
	size_t words = cap * 16 / 64;
	if (kv->bf_n == (int)(sizeof kv->bf / sizeof kv->bf[0]))
		sl_fatal("state \"%s\": absent-key filter out of levels", kv->name);
	kv->bf[kv->bf_n].w = sl_xcalloc(words, sizeof(uint64_t));
	kv->bf[kv->bf_n].mask = words - 1;
	kv->bf[kv->bf_n].keys = 0;
	kv->bf[kv->bf_n].cap = cap;
	kv->bf_n++;
}

/* Record that RocksDB may now hold the key of hash h (newkey: count it
 * against the level's capacity). */
static inline void
bf_add(sl_state_kv *kv, uint64_t h, bool newkey)
{
	struct kv_bloom *b;
	if (!kv->bf_valid)
		return;
	b = &kv->bf[kv->bf_n - 1];
	if (newkey && b->keys >= b->cap) {
		bf_add_level(kv);
		b = &kv->bf[kv->bf_n - 1];
	}
	b->w[bf_word(h, b->mask)] |= bf_bits(h);
	b->keys += newkey;
}

/* false: RocksDB certainly does not hold a key of hash h. */
static inline bool
bf_maybe(const sl_state_kv *kv, uint64_t h)
{
	uint64_t bits = bf_bits(h);
	if (!kv->bf_valid)
		return true;
	for (int i = kv->bf_n - 1; i >= 0; i--)
		if ((kv->bf[i].w[bf_word(h, kv->bf[i].mask)] & bits) == bits)
			return true;
	return false;
}

/* Whether a key not in the cache may be in RocksDB. Timers: never (their
 * cache holds every timer). */
static inline bool
kv_may_hold(const sl_state_kv *kv, uint64_t h)
{
	return kv->kind != KV_TIMERS && bf_maybe(kv, h);
}

/* Build the filter from the keys in the column family (one scan when the
 * state is opened: empty for a fresh backend, the restored keys after a
 * restore). */
static bool
bf_build(sl_state_kv *kv, sl_error **errp)
{
	sl_state *st = kv->st;
	rocksdb_iterator_t *it = rocksdb_create_iterator_cf(st->db, st->ro, kv->cf);
	char *rerr = NULL;
	kv->bf_valid = true;
	bf_add_level(kv);
	for (rocksdb_iter_seek_to_first(it); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
		size_t kl;
		const char *k = rocksdb_iter_key(it, &kl);
		uint64_t h;
		if (kl < 2)
			continue;
		if (kv->kind == KV_MAP) {
			size_t klen = kl >= 4 ? ((size_t)(uint8_t)k[2] << 8 | (uint8_t)k[3]) : 0;
			if (kl < 4 || 4 + klen > kl)
				continue;
			h = sl_hash_combine(sl_hash64(k + 4, klen, 0), sl_hash64(k + 4 + klen, kl - 4 - klen, 0));
		} else {
			h = sl_hash64(k + 2, kl - 2, 0);
		}
		bf_add(kv, h, true);
	}
	rocksdb_iter_get_error(it, &rerr);
	rocksdb_iter_destroy(it);
	if (rerr) {
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "state \"%s\": scan failed: %s", kv->name, rerr);
		free(rerr);
		return false;
	}
	return true;
}

sl_state_kv *
sl_kv_new(sl_state *st, int kind, const char *name, const sl_state_desc *desc, sl_error **errp)
{
	for (size_t i = 0; name[i]; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-')) {
			sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "invalid state name \"%s\"", name);
			return NULL;
		}
	}
	if (!name[0]) {
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "empty state name");
		return NULL;
	}
	for (size_t i = 0; i < st->kvs.n; i++)
		if (strcmp(st->kvs.v[i]->name, name) == 0) {
			sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "state \"%s\" is already open", name);
			return NULL;
		}
	static const char *prefix[] = {"v.", "m.", "l.", "t."};
	char cfname[300];
	snprintf(cfname, sizeof cfname, "%s%s", prefix[kind], name);
	rocksdb_column_family_handle_t *cf = sl_state_cf(st, cfname, errp);
	if (!cf)
		return NULL;
	sl_state_kv *kv = sl_xcalloc(1, sizeof *kv);
	kv->st = st;
	kv->kind = kind;
	kv->name = sl_xstrdup(name);
	kv->cf = cf;
	kv->ttl_ms = desc ? desc->ttl_ms : 0;
	kv->budget = kind == KV_TIMERS ? SIZE_MAX
	             : (desc && desc->cache_bytes) ? desc->cache_bytes : st->cache_bytes;
	kv->tabcap = 64;
	kv->tab = sl_xcalloc(kv->tabcap, sizeof(kv_slot));
	kv->used = kv->tabcap * sizeof(kv_slot);
	kv->lru.lru_next = kv->lru.lru_prev = &kv->lru;
	if (kind != KV_TIMERS && !bf_build(kv, errp)) {
		sl_kv_free(kv);
		return NULL;
	}
	sl_vec_push(&st->kvs, kv);
	return kv;
}

static void
entry_free(centry *e)
{
	if (e->flags & CE_HEAPVAL)
		free(e->val);
	free(e);
}

void
sl_kv_free(sl_state_kv *kv)
{
	for (size_t i = 0; i < kv->tabcap; i++)
		if (kv->tab[i])
			entry_free(kv_slot_entry(kv->tab[i]));
	for (int i = 0; i < kv->bf_n; i++)
		free(kv->bf[i].w);
	free(kv->tab);
	free(kv->order);
	free(kv->name);
	sl_strbuf_free(&kv->kbuf);
	sl_strbuf_free(&kv->vbuf);
	free(kv);
}

static inline size_t
entry_bytes(const centry *e)
{
	return ENTRY_OVERHEAD(e->cklen, e->icap) + ((e->flags & CE_HEAPVAL) ? e->vcap : 0);
}

static inline void
lru_unlink(centry *e)
{
	e->lru_prev->lru_next = e->lru_next;
	e->lru_next->lru_prev = e->lru_prev;
}

static inline void
lru_push_front(sl_state_kv *kv, centry *e)
{
	e->lru_next = kv->lru.lru_next;
	e->lru_prev = &kv->lru;
	kv->lru.lru_next->lru_prev = e;
	kv->lru.lru_next = e;
}

static inline centry *
tab_find(sl_state_kv *kv, uint64_t h, const void *ck, size_t cklen, size_t *slot)
{
	size_t mask = kv->tabcap - 1;
	size_t i = kv_home(h, mask);
	for (;;) {
		kv_slot s = kv->tab[i];
		if (!s) {
			*slot = i;
			return NULL;
		}
		if (kv_slot_tag_eq(s, h)) {
			centry *e = kv_slot_entry(s);
			if (e->hash == h && e->cklen == cklen && memcmp(e->ck, ck, cklen) == 0) {
				*slot = i;
				return e;
			}
		}
		i = (i + 1) & mask;
	}
}

/* Rebuild the table with ncap slots (a power of two above count). */
static void
tab_resize(sl_state_kv *kv, size_t ncap)
{
	kv_slot *nt = sl_xcalloc(ncap, sizeof(kv_slot));
	for (size_t i = 0; i < kv->tabcap; i++) {
		if (!kv->tab[i])
			continue;
		size_t j = kv_home(kv_slot_entry(kv->tab[i])->hash, ncap - 1);
		while (nt[j])
			j = (j + 1) & (ncap - 1);
		nt[j] = kv->tab[i];
	}
	free(kv->tab);
	kv->used = kv->used - kv->tabcap * sizeof(kv_slot) + ncap * sizeof(kv_slot);
	kv->tab = nt;
	kv->tabcap = ncap;
}

double
sl_kv_probe_mean(const sl_state_kv *kv)
{
	size_t mask = kv->tabcap - 1, sum = 0;
	for (size_t i = 0; i < kv->tabcap; i++)
		if (kv->tab[i])
			sum += (i - kv_home(kv_slot_entry(kv->tab[i])->hash, mask)) & mask;
	return kv->count ? (double)sum / (double)kv->count : 0.0;
}

/* Remove e from the table and LRU and free it. e must not be dirty. */
void
sl_kv_remove(sl_state_kv *kv, centry *e)
{
	size_t mask = kv->tabcap - 1;
	size_t i = kv_home(e->hash, mask);
	while (kv_slot_entry(kv->tab[i]) != e)
		i = (i + 1) & mask;
	/* backward-shift deletion */
	size_t j = i;
	for (;;) {
		j = (j + 1) & mask;
		if (!kv->tab[j])
			break;
		size_t home = kv_home(kv_slot_entry(kv->tab[j])->hash, mask);
		/* the slot at j may move to i if home is not in (i, j] cyclically */
		bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!between) {
			kv->tab[i] = kv->tab[j];
			i = j;
		}
	}
	kv->tab[i] = 0;
	kv->count--;
	if (kv->last == e)
		kv->last = NULL;
	lru_unlink(e);
	kv->used -= entry_bytes(e);
	entry_free(e);
}

/* Build the RocksDB key kg(2 BE) + composite key into kv->kbuf. */
void
sl_kv_rkey(sl_state_kv *kv, int kg, const void *ck, size_t cklen)
{
	sl_strbuf_reset(&kv->kbuf);
	sl_strbuf_reserve(&kv->kbuf, cklen + 2);
	put_be16(kv->kbuf.data, (unsigned)kg);
	memcpy(kv->kbuf.data + 2, ck, cklen);
	kv->kbuf.len = cklen + 2;
}

centry *
sl_kv_insert(sl_state_kv *kv, uint64_t h, int kg, const void *ck, size_t cklen, size_t vcap)
{
	if ((kv->count + 1) * 4 > kv->tabcap * 3) /* load at most 3/4 */
		tab_resize(kv, kv->tabcap * 2);
	size_t slot;
	centry *e = tab_find(kv, h, ck, cklen, &slot);
	SL_ASSERT(e == NULL);
	size_t icap = round8(vcap);
	e = sl_xmalloc(ENTRY_OVERHEAD(cklen, icap));
	SL_ASSERT(((uintptr_t)e & ~KV_SLOT_PTR_MASK) == 0); /* fits a kv_slot */
	e->hash = h;
	e->dirty_next = NULL;
	e->val = (char *)e + ENTRY_HEAD(cklen);
	e->vlen = 0;
	e->vcap = (uint32_t)icap;
	e->icap = (uint32_t)icap;
	e->expire_at = INT64_MAX;
	e->cklen = (uint16_t)cklen;
	e->kg = (uint16_t)kg;
	e->flags = CE_ABSENT | (kv_may_hold(kv, h) ? CE_INDB : 0);
	memcpy(e->ck, ck, cklen);
	kv->tab[slot] = kv_slot_make(e, h);
	kv->count++;
	kv->used += ENTRY_OVERHEAD(cklen, icap);
	lru_push_front(kv, e);
	return e;
}

static inline void
mark_dirty(sl_state_kv *kv, centry *e)
{
	if (!(e->flags & CE_DIRTY)) {
		e->flags |= CE_DIRTY;
		e->dirty_next = kv->dirty;
		e->dirty_prev = NULL;
		if (kv->dirty)
			kv->dirty->dirty_prev = e;
		kv->dirty = e;
		kv->ndirty++;
	}
}

/* Take e off the dirty list (if it is on it) and mark it clean. */
static inline void
dirty_unlink(sl_state_kv *kv, centry *e)
{
	if (!(e->flags & CE_DIRTY))
		return;
	if (e->dirty_prev)
		e->dirty_prev->dirty_next = e->dirty_next;
	else
		kv->dirty = e->dirty_next;
	if (e->dirty_next)
		e->dirty_next->dirty_prev = e->dirty_prev;
	e->dirty_next = e->dirty_prev = NULL;
	kv->ndirty--;
	e->flags &= ~CE_DIRTY;
}

/* Forget e entirely (dirty or not): for a removed key RocksDB does not
 * hold (no CE_INDB), so no tombstone has to be written. */
void
sl_kv_drop(sl_state_kv *kv, centry *e)
{
	dirty_unlink(kv, e);
	sl_kv_remove(kv, e);
}

/* Ensure e->val holds vlen bytes (content of the first min(old,new) kept). */
void
sl_kv_resize(sl_state_kv *kv, centry *e, size_t vlen)
{
	if (vlen > UINT32_MAX)
		sl_fatal("state value of %zu bytes is too large", vlen);
	if (vlen > e->vcap) {
		size_t ncap = round8(SL_MAX(vlen, (size_t)e->vcap * 2));
		if (e->flags & CE_HEAPVAL) {
			kv->used -= e->vcap;
			e->val = sl_xrealloc(e->val, ncap);
		} else {
			/* the inline area stays allocated (and accounted, icap) */
			char *nv = sl_xmalloc(ncap);
			memcpy(nv, e->val, e->vlen);
			e->val = nv;
			e->flags |= CE_HEAPVAL;
		}
		e->vcap = (uint32_t)ncap;
		kv->used += ncap;
	}
	e->vlen = (uint32_t)vlen;
}

void
sl_kv_touch_write(sl_state_kv *kv, centry *e)
{
	e->flags &= ~CE_ABSENT;
	if (kv->ttl_ms)
		e->expire_at = sl_state_now(kv->st) + kv->ttl_ms;
	mark_dirty(kv, e);
}

void
sl_kv_set(sl_state_kv *kv, centry *e, const void *val, size_t vlen)
{
	sl_kv_resize(kv, e, vlen);
	if (vlen)
		memcpy(e->val, val, vlen);
	sl_kv_touch_write(kv, e);
}

void
sl_kv_mark_absent(sl_state_kv *kv, centry *e)
{
	e->flags |= CE_ABSENT;
	e->vlen = 0;
	mark_dirty(kv, e);
}

/*
 * Find the entry of a composite key. mode SL_KV_LOAD: a miss reads RocksDB
 * and caches the result (an absent entry if not found); SL_KV_READ: the
 * same, except that a key the absent-key filter rules out is reported
 * absent (NULL, *err false) without caching anything; SL_KV_PROBE: the
 * cache only. Expired entries are turned into dirty tombstones (lazy
 * reclaim). Returns NULL on a miss without load, or on error (*err = true,
 * *errp set).
 */
centry *
sl_kv_lookup(sl_state_kv *kv, uint64_t h, int kg, const void *ck, size_t cklen, int mode,
             sl_error **errp, bool *err)
{
	sl_state *st = kv->st;
	size_t slot;
	*err = false;
	if (SL_UNLIKELY(kg < st->kg_first || kg > st->kg_last)) {
		*err = true;
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE,
		        "key group %d is outside this task's range [%d, %d]", kg, st->kg_first,
		        st->kg_last);
		return NULL;
	}
	if (SL_UNLIKELY(cklen > 65535)) {
		*err = true;
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "state key of %zu bytes is too long", cklen);
		return NULL;
	}
	centry *e = tab_find(kv, h, ck, cklen, &slot);
	if (e) {
		kv->hits++;
		e->flags |= CE_REF; /* CLOCK: no list move on a hit (no extra cache misses) */
		if (kv->ttl_ms && !(e->flags & CE_ABSENT) && e->expire_at <= sl_state_now(st))
			sl_kv_mark_absent(kv, e);
		return e;
	}
	if (mode == SL_KV_PROBE)
		return NULL;
	kv->misses++;
	if (!kv_may_hold(kv, h)) {
		/* never written to RocksDB: absent, without a read */
		kv->bf_skips++;
		return mode == SL_KV_READ ? NULL : sl_kv_insert(kv, h, kg, ck, cklen, 0);
	}
	sl_kv_rkey(kv, kg, ck, cklen);
	char *rerr = NULL;
	rocksdb_pinnableslice_t *ps =
	    rocksdb_get_pinned_cf(st->db, st->ro, kv->cf, kv->kbuf.data, kv->kbuf.len, &rerr);
	if (rerr) {
		*err = true;
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "state \"%s\": read failed: %s", kv->name, rerr);
		free(rerr);
		return NULL;
	}
	size_t rlen = 0;
	const char *rv = ps ? rocksdb_pinnableslice_value(ps, &rlen) : NULL;
	const char *v = NULL;
	size_t vlen = 0;
	int64_t expire = INT64_MAX;
	bool found = false, expired = false;
	if (rv && rlen >= 1) {
		if (rv[0] == VH_TTL && rlen >= 9) {
			expire = (int64_t)get_be64(rv + 1);
			v = rv + 9;
			vlen = rlen - 9;
		} else {
			v = rv + 1;
			vlen = rlen - 1;
		}
		found = true;
		if (expire != INT64_MAX && expire <= sl_state_now(st)) {
			found = false;
			expired = true;
		}
	}
	e = sl_kv_insert(kv, h, kg, ck, cklen, found ? vlen : 0);
	if (found) {
		e->flags = CE_INDB;
		memcpy(e->val, v, vlen);
		e->vlen = (uint32_t)vlen;
		e->expire_at = expire;
	} else if (expired) {
		e->flags = CE_ABSENT | CE_INDB;
		sl_kv_mark_absent(kv, e); /* delete it from RocksDB at the next flush */
	} else {
		e->flags = CE_ABSENT;     /* RocksDB said so (a filter false positive) */
	}
	if (ps)
		rocksdb_pinnableslice_destroy(ps);
	return e;
}

bool
sl_state_write_batch(sl_state *st, rocksdb_writebatch_t *wb, sl_error **errp)
{
	char *rerr = NULL;
	rocksdb_write(st->db, st->wo, wb, &rerr);
	if (rerr) {
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "state write failed: %s", rerr);
		free(rerr);
		return false;
	}
	return true;
}

/* RocksDB key order of two entries: key group, then composite key. */
static int
rkey_cmp(const void *pa, const void *pb)
{
	const centry *a = *(const centry *const *)pa, *b = *(const centry *const *)pb;
	int c;
	if (a->kg != b->kg)
		return a->kg < b->kg ? -1 : 1;
	c = memcmp(a->ck, b->ck, SL_MIN(a->cklen, b->cklen));
	if (c)
		return c;
	return a->cklen < b->cklen ? -1 : a->cklen > b->cklen;
}

/* Write st->wb to RocksDB (if it holds anything) and clear it; clearing
 * keeps the batch's buffer for the next flush. */
bool
sl_state_batch_write(sl_state *st, sl_error **errp)
{
	bool ok = true;
	if (rocksdb_writebatch_count(st->wb) == 0)
		return true;
	ok = sl_state_write_batch(st, st->wb, errp);
	st->batch_writes++;
	rocksdb_writebatch_clear(st->wb);
	return ok;
}

/* Make room in kv->order for n entries (keeping those it holds). */
static void
order_reserve(sl_state_kv *kv, size_t n)
{
	if (n > kv->order_cap) {
		kv->order_cap = SL_MAX(n, kv->order_cap * 2);
		kv->order = sl_xrealloc(kv->order, kv->order_cap * sizeof *kv->order);
	}
}

/* Append the n dirty entries v[] to the backend's batch st->wb (writing it
 * out whenever it reaches SL_STATE_BATCH_BYTES), take them off the dirty
 * list and mark them clean. Absent entries that were dirty (tombstones)
 * stay as clean negative entries. The caller writes what is left in st->wb
 * (sl_state_batch_write). The entries go in key order (v is sorted):
 * RocksDB's memtable (a skip list) then inserts each next to the previous
 * one (its cached splice), which costs far less than inserting the same
 * keys in random order. Keys and values go into the batch as slice parts
 * (key group + composite key, header + value): no per-entry copy into a
 * scratch buffer. */
static bool
write_entries(sl_state_kv *kv, centry **v, size_t n, sl_error **errp)
{
	sl_state *st = kv->st;
	rocksdb_writebatch_t *wb = st->wb;
	bool ok = true;
	qsort(v, n, sizeof *v, rkey_cmp);
	for (size_t i = 0; i < n; i++) {
		centry *e = v[i];
		char kg[2], hdr[9];
		const char *kp[2] = {kg, e->ck}, *vp[2] = {hdr, e->val};
		size_t ks[2] = {2, e->cklen}, vs[2] = {1, e->vlen};
		put_be16(kg, e->kg);
		if (e->flags & CE_ABSENT) {
			/* a tombstone only for a key RocksDB may hold */
			if (e->flags & CE_INDB) {
				sl_kv_rkey(kv, e->kg, e->ck, e->cklen);
				rocksdb_writebatch_delete_cf(wb, kv->cf, kv->kbuf.data, kv->kbuf.len);
				e->flags &= ~CE_INDB;
				kv->written++;
			}
		} else {
			bf_add(kv, e->hash, !(e->flags & CE_INDB));
			e->flags |= CE_INDB;
			if (e->expire_at != INT64_MAX) {
				hdr[0] = VH_TTL;
				put_be64(hdr + 1, (uint64_t)e->expire_at);
				vs[0] = 9;
			} else {
				hdr[0] = VH_PLAIN;
			}
			rocksdb_writebatch_putv_cf(wb, kv->cf, 2, kp, ks, 2, vp, vs);
			kv->written++;
			kv->written_bytes += e->vlen;
		}
		dirty_unlink(kv, e);
		if (ok && (i & 63) == 63) {
			size_t bytes;
			(void)rocksdb_writebatch_data(wb, &bytes);
			if (bytes >= SL_STATE_BATCH_BYTES)
				ok = sl_state_batch_write(st, errp);
		}
	}
	if (!ok)
		rocksdb_writebatch_clear(wb); /* the failed write's leftovers */
	return ok;
}

/* Append every dirty entry to st->wb (write_entries). */
bool
sl_kv_flush_into(sl_state_kv *kv, sl_error **errp)
{
	size_t n = 0;
	order_reserve(kv, kv->ndirty);
	for (centry *e = kv->dirty; e; e = e->dirty_next)
		kv->order[n++] = e;
	return write_entries(kv, kv->order, n, errp);
}

bool
sl_kv_flush(sl_state_kv *kv, sl_error **errp)
{
	if (!kv->ndirty)
		return true;
	return sl_kv_flush_into(kv, errp) && sl_state_batch_write(kv->st, errp);
}

/* After a write that may have grown the cache: if over budget, evict down
 * to 7/8 of it (never keep). Victims are chosen by CLOCK (second chance)
 * over the insertion-ordered list: a referenced entry loses its bit and
 * moves to the head; an unreferenced one is a victim. Only the dirty
 * victims are written (one sorted batch); hot dirty entries stay dirty in
 * the cache until they go cold or a snapshot flushes them, so a key
 * updated all the time is not rewritten at every eviction round. */
bool
sl_kv_after_write(sl_state_kv *kv, centry *keep, sl_error **errp)
{
	if (SL_LIKELY(kv->used <= kv->budget))
		return true;
	size_t low = kv->budget - kv->budget / 8;
	size_t projected = kv->used, nv = 0, nd = 0;
	centry *e = kv->lru.lru_prev;
	/* two passes at most reach every entry unreferenced */
	size_t budget_steps = 2 * kv->count + 2;
	while (projected > low && e != &kv->lru && budget_steps-- > 0) {
		centry *prev = e->lru_prev;
		if (e == keep) {
			/* skip */
		} else if (e->flags & CE_REF) {
			e->flags &= ~CE_REF;
			lru_unlink(e);
			lru_push_front(kv, e);
		} else {
			order_reserve(kv, nv + 1);
			kv->order[nv++] = e;
			projected -= entry_bytes(e);
		}
		e = prev;
	}
	/* dirty victims to the front of order[], written in key order */
	for (size_t i = 0; i < nv; i++) {
		if (kv->order[i]->flags & CE_DIRTY) {
			centry *t = kv->order[nd];
			kv->order[nd++] = kv->order[i];
			kv->order[i] = t;
		}
	}
	if (nd) {
		kv->evict_flushes++;
		if (!write_entries(kv, kv->order, nd, errp) || !sl_state_batch_write(kv->st, errp))
			return false;
	}
	for (size_t i = 0; i < nv; i++) {
		sl_kv_remove(kv, kv->order[i]);
		kv->evictions++;
	}
	/* The table never shrinks; if the table alone nearly fills the budget
	 * (very many tiny entries) rebuild it smaller. */
	if (kv->count * 8 < kv->tabcap && kv->tabcap > 64) {
		size_t ncap = kv->tabcap;
		while (ncap > 64 && kv->count * 8 < ncap)
			ncap /= 2;
		tab_resize(kv, ncap);
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Value state
 * ------------------------------------------------------------------- */

static inline uint64_t
key_hash(sl_state *st, const void *key, size_t klen, int *kg)
{
	uint64_t h = sl_hash64(key, klen, 0);
	*kg = (int)(h % (uint64_t)st->maxp);
	return h;
}

int
sl_state_value_get(sl_state_value *vs, const void *key, size_t klen, const void **val,
                   size_t *vlen, sl_error **errp)
{
	int kg;
	bool err;
	uint64_t h = key_hash(vs->st, key, klen, &kg);
	centry *e = sl_kv_lookup(vs, h, kg, key, klen, SL_KV_READ, errp, &err);
	if (!e)
		return err ? -1 : 0;
	if (!sl_kv_after_write(vs, e, errp))
		return -1;
	if (e->flags & CE_ABSENT)
		return 0;
	*val = e->val;
	*vlen = e->vlen;
	return 1;
}

void *
sl_state_value_get_for_update(sl_state_value *vs, const void *key, size_t klen,
                              size_t vlen_if_new, size_t *vlen, bool *created, sl_error **errp)
{
	int kg;
	bool err;
	uint64_t h = key_hash(vs->st, key, klen, &kg);
	centry *e = sl_kv_lookup(vs, h, kg, key, klen, SL_KV_LOAD, errp, &err);
	if (!e)
		return NULL;
	*created = false;
	if (e->flags & CE_ABSENT) {
		sl_kv_resize(vs, e, vlen_if_new);
		memset(e->val, 0, vlen_if_new);
		*created = true;
	}
	/* evict first, then mark dirty: the caller writes after we return, so
	 * the entry must not be flushed (and later evicted as clean) before */
	if (!sl_kv_after_write(vs, e, errp))
		return NULL;
	sl_kv_touch_write(vs, e);
	*vlen = e->vlen;
	return e->val;
}

bool
sl_state_value_put(sl_state_value *vs, const void *key, size_t klen, const void *val,
                   size_t vlen, sl_error **errp)
{
	int kg;
	bool err;
	uint64_t h = key_hash(vs->st, key, klen, &kg);
	size_t slot;
	centry *e = tab_find(vs, h, key, klen, &slot);
	if (e) {
		e->flags |= CE_REF;
	} else {
		/* blind write: no need to read RocksDB */
		if (kg < vs->st->kg_first || kg > vs->st->kg_last || klen > 65535) {
			sl_kv_lookup(vs, h, kg, key, klen, SL_KV_PROBE, errp, &err); /* reports the error */
			return false;
		}
		e = sl_kv_insert(vs, h, kg, key, klen, vlen);
	}
	sl_kv_set(vs, e, val, vlen);
	return sl_kv_after_write(vs, e, errp);
}

bool
sl_state_value_delete(sl_state_value *vs, const void *key, size_t klen, sl_error **errp)
{
	int kg;
	bool err;
	uint64_t h = key_hash(vs->st, key, klen, &kg);
	centry *e = sl_kv_lookup(vs, h, kg, key, klen, SL_KV_PROBE, errp, &err);
	if (err)
		return false;
	if (!e) {
		if (!kv_may_hold(vs, h))
			return true;        /* neither cached nor in RocksDB */
		e = sl_kv_insert(vs, h, kg, key, klen, 0);
	}
	if (!(e->flags & CE_INDB)) {
		sl_kv_drop(vs, e);      /* never reached RocksDB: no tombstone */
		return true;
	}
	sl_kv_mark_absent(vs, e);
	return sl_kv_after_write(vs, e, errp);
}

/* ---------------------------------------------------------------------
 * Map state: composite key = 2-byte BE key length, key, user key.
 * ------------------------------------------------------------------- */

static const char *
map_ck(sl_state_kv *ms, const void *key, size_t klen, const void *ukey, size_t uklen,
       size_t *cklen, sl_strbuf *buf)
{
	(void)ms;
	sl_strbuf_reset(buf);
	sl_strbuf_reserve(buf, 2 + klen + uklen);
	put_be16(buf->data, (unsigned)klen);
	memcpy(buf->data + 2, key, klen);
	memcpy(buf->data + 2 + klen, ukey, uklen);
	buf->len = 2 + klen + uklen;
	*cklen = buf->len;
	return buf->data;
}

static int entry_append(sl_state_kv *kv, centry *e, const void *elem, size_t elen, size_t max_len,
                        sl_error **errp);

/* The entry of (key, user key): mode as sl_kv_lookup, except that
 * SL_KV_PROBE inserts an absent entry on a miss (for put and remove);
 * SL_KV_CACHED looks in the cache only and inserts nothing. */
static centry *
map_lookup(sl_state_map *ms, const void *key, size_t klen, const void *ukey, size_t uklen,
           int mode, sl_error **errp, bool *err, uint64_t *hout, int *kgout)
{
	int kg;
	if (klen > 65535) {
		*err = true;
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "state key of %zu bytes is too long", klen);
		return NULL;
	}
	size_t cklen;
	const char *ck = map_ck(ms, key, klen, ukey, uklen, &cklen, &ms->vbuf);
	centry *e = ms->last;
	/* the key of the last lookup again (a get, then a resize or remove of
	 * what it found): no hash, no probe. Not for TTL states, whose
	 * lookups check the deadline. */
	if (e && !ms->ttl_ms && e->cklen == cklen && memcmp(e->ck, ck, cklen) == 0) {
		*err = false;
		ms->hits++;
		e->flags |= CE_REF;
		*hout = e->hash;
		*kgout = e->kg;
		return e;
	}
	uint64_t h = sl_hash_combine(key_hash(ms->st, key, klen, &kg), sl_hash64(ukey, uklen, 0));
	*hout = h;
	*kgout = kg;
	e = sl_kv_lookup(ms, h, kg, ck, cklen, mode == SL_KV_CACHED ? SL_KV_PROBE : mode, errp, err);
	if (!e && !*err && mode == SL_KV_PROBE)
		e = sl_kv_insert(ms, h, kg, ck, cklen, 0);
	ms->last = e;
	return e;
}

int
sl_state_map_get(sl_state_map *ms, const void *key, size_t klen, const void *ukey, size_t uklen,
                 const void **val, size_t *vlen, sl_error **errp)
{
	bool err;
	uint64_t h;
	int kg;
	centry *e = map_lookup(ms, key, klen, ukey, uklen, SL_KV_READ, errp, &err, &h, &kg);
	if (!e)
		return err ? -1 : 0;
	if (!sl_kv_after_write(ms, e, errp))
		return -1;
	if (e->flags & CE_ABSENT)
		return 0;
	*val = e->val;
	*vlen = e->vlen;
	return 1;
}

void *
sl_state_map_get_for_update(sl_state_map *ms, const void *key, size_t klen, const void *ukey,
                            size_t uklen, size_t vlen_if_new, size_t *vlen, bool *created,
                            sl_error **errp)
{
	bool err;
	uint64_t h;
	int kg;
	centry *e = map_lookup(ms, key, klen, ukey, uklen, SL_KV_LOAD, errp, &err, &h, &kg);
	if (!e)
		return NULL;
	*created = false;
	if (e->flags & CE_ABSENT) {
		sl_kv_resize(ms, e, vlen_if_new);
		memset(e->val, 0, vlen_if_new);
		*created = true;
	}
	/* evict first, then mark dirty: the caller writes after we return, so
	 * the entry must not be flushed (and later evicted as clean) before */
	if (!sl_kv_after_write(ms, e, errp))
		return NULL;
	sl_kv_touch_write(ms, e);
	*vlen = e->vlen;
	return e->val;
}

void *
sl_state_map_resize_for_update(sl_state_map *ms, const void *key, size_t klen, const void *ukey,
                               size_t uklen, size_t vlen, size_t *oldlen, sl_error **errp)
{
	bool err;
	uint64_t h;
	int kg;
	centry *e = map_lookup(ms, key, klen, ukey, uklen, SL_KV_LOAD, errp, &err, &h, &kg);
	if (!e)
		return NULL;
	size_t old = (e->flags & CE_ABSENT) ? 0 : e->vlen;
	sl_kv_resize(ms, e, vlen);
	if (vlen > old)
		memset(e->val + old, 0, vlen - old);
	/* evict first, then mark dirty (as get_for_update) */
	if (!sl_kv_after_write(ms, e, errp))
		return NULL;
	sl_kv_touch_write(ms, e);
	*oldlen = old;
	return e->val;
}

bool
sl_state_map_put(sl_state_map *ms, const void *key, size_t klen, const void *ukey, size_t uklen,
                 const void *val, size_t vlen, sl_error **errp)
{
	bool err;
	uint64_t h;
	int kg;
	centry *e = map_lookup(ms, key, klen, ukey, uklen, SL_KV_PROBE, errp, &err, &h, &kg);
	if (!e)
		return false;
	sl_kv_set(ms, e, val, vlen);
	return sl_kv_after_write(ms, e, errp);
}

/* Append elem to the list held in (key, user key): the entry found with
 * mode; one not found is created when create, else counts as full (0). */
static int
map_append(sl_state_map *ms, const void *key, size_t klen, const void *ukey, size_t uklen,
           const void *elem, size_t elen, size_t max_len, int mode, bool create, sl_error **errp)
{
	bool err;
	uint64_t h;
	int kg;
	centry *e = map_lookup(ms, key, klen, ukey, uklen, mode, errp, &err, &h, &kg);
	if (!e) {
		if (err)
			return -1;
		if (!create)
			return 0;
		/* map_lookup left the composite key in ms->vbuf */
		e = sl_kv_insert(ms, h, kg, ms->vbuf.data, ms->vbuf.len, 4 + elen);
	}
	return entry_append(ms, e, elem, elen, max_len, errp);
}

int
sl_state_map_append_capped(sl_state_map *ms, const void *key, size_t klen, const void *ukey,
                           size_t uklen, const void *elem, size_t elen, size_t max_len,
                           sl_error **errp)
{
	return map_append(ms, key, klen, ukey, uklen, elem, elen, max_len, SL_KV_READ, true, errp);
}

int
sl_state_map_append_cached(sl_state_map *ms, const void *key, size_t klen, const void *ukey,
                           size_t uklen, const void *elem, size_t elen, size_t max_len, bool fresh,
                           sl_error **errp)
{
	return map_append(ms, key, klen, ukey, uklen, elem, elen, max_len, SL_KV_CACHED, fresh, errp);
}

bool
sl_state_map_remove(sl_state_map *ms, const void *key, size_t klen, const void *ukey,
                    size_t uklen, sl_error **errp)
{
	bool err;
	uint64_t h;
	int kg;
	centry *e = map_lookup(ms, key, klen, ukey, uklen, SL_KV_PROBE, errp, &err, &h, &kg);
	if (!e)
		return false;
	if (!(e->flags & CE_INDB)) {
		sl_kv_drop(ms, e);      /* never reached RocksDB: no tombstone */
		return true;
	}
	sl_kv_mark_absent(ms, e);
	return sl_kv_after_write(ms, e, errp);
}

struct sl_state_map_iter {
	sl_state_map *ms;
	rocksdb_iterator_t *it;
	rocksdb_readoptions_t *ro;
	char *lo, *hi;       /* bounds (malloc) */
	size_t lolen, hilen;
	size_t prefix;       /* bytes before the user key */
	bool started;
};

sl_state_map_iter *
sl_state_map_iter_new(sl_state_map *ms, const void *key, size_t klen, sl_error **errp)
{
	sl_state *st = ms->st;
	int kg;
	(void)key_hash(st, key, klen, &kg);
	if (kg < st->kg_first || kg > st->kg_last || klen > 65535) {
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "map key outside this task's key groups");
		return NULL;
	}
	if (!sl_kv_flush(ms, errp))
		return NULL;
	sl_state_map_iter *it = sl_xcalloc(1, sizeof *it);
	it->ms = ms;
	it->prefix = 4 + klen;
	it->lo = sl_xmalloc(it->prefix);
	put_be16(it->lo, (unsigned)kg);
	put_be16(it->lo + 2, (unsigned)klen);
	memcpy(it->lo + 4, key, klen);
	it->lolen = it->prefix;
	/* upper bound: the prefix's successor */
	it->hi = sl_xmalloc(it->prefix);
	memcpy(it->hi, it->lo, it->prefix);
	it->hilen = it->prefix;
	while (it->hilen > 0 && (uint8_t)it->hi[it->hilen - 1] == 0xff)
		it->hilen--;
	SL_ASSERT(it->hilen > 0); /* first byte is a key group < 0x80 */
	it->hi[it->hilen - 1]++;
	it->ro = rocksdb_readoptions_create();
	rocksdb_readoptions_set_iterate_upper_bound(it->ro, it->hi, it->hilen);
	it->it = rocksdb_create_iterator_cf(st->db, it->ro, ms->cf);
	rocksdb_iter_seek(it->it, it->lo, it->lolen);
	return it;
}

int
sl_state_map_iter_next(sl_state_map_iter *it, const void **ukey, size_t *uklen,
                       const void **val, size_t *vlen, sl_error **errp)
{
	int64_t now = it->ms->ttl_ms ? sl_state_now(it->ms->st) : 0;
	for (;;) {
		if (it->started)
			rocksdb_iter_next(it->it);
		it->started = true;
		if (!rocksdb_iter_valid(it->it)) {
			char *rerr = NULL;
			rocksdb_iter_get_error(it->it, &rerr);
			if (rerr) {
				sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "map iteration failed: %s", rerr);
				free(rerr);
				return -1;
			}
			return 0;
		}
		size_t kl, vl;
		const char *k = rocksdb_iter_key(it->it, &kl);
		const char *v = rocksdb_iter_value(it->it, &vl);
		if (vl < 1)
			continue;
		if (v[0] == VH_TTL) {
			if (vl < 9)
				continue;
			if ((int64_t)get_be64(v + 1) <= now)
				continue; /* expired: never returned */
			v += 9;
			vl -= 9;
		} else {
			v += 1;
			vl -= 1;
		}
		*ukey = k + it->prefix;
		*uklen = kl - it->prefix;
		*val = v;
		*vlen = vl;
		return 1;
	}
}

void
sl_state_map_iter_free(sl_state_map_iter *it)
{
	if (!it)
		return;
	rocksdb_iter_destroy(it->it);
	rocksdb_readoptions_destroy(it->ro);
	free(it->lo);
	free(it->hi);
	free(it);
}

void
sl_state_stats(const sl_state_kv *kv, uint64_t *hits, uint64_t *misses)
{
	*hits = kv->hits;
	*misses = kv->misses;
}

/* Every live entry of the state in this task's key groups, in RocksDB key
 * order: the dirty cache entries are flushed first (as map iteration
 * does), then one RocksDB iterator over [kg_first, kg_last + 1) sees the
 * state as of its creation; fn may change the state meanwhile. */
bool
sl_state_scan(sl_state_kv *kv, sl_state_scan_fn fn, void *ctx, sl_error **errp)
{
	sl_state *st = kv->st;
	char lo[2], hi[2];
	int64_t now = kv->ttl_ms ? sl_state_now(st) : 0;
	rocksdb_readoptions_t *ro;
	rocksdb_iterator_t *it;
	char *rerr = NULL;
	bool ok = true;
	if (kv->kind == KV_TIMERS) {
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "state \"%s\" is a timer service: no scan", kv->name);
		return false;
	}
	if (!sl_kv_flush(kv, errp))
		return false;
	put_be16(lo, (unsigned)st->kg_first);
	put_be16(hi, (unsigned)st->kg_last + 1);
	ro = rocksdb_readoptions_create();
	rocksdb_readoptions_set_iterate_upper_bound(ro, hi, 2);
	/* a one-off pass over everything: do not churn the block cache */
	rocksdb_readoptions_set_fill_cache(ro, 0);
	it = rocksdb_create_iterator_cf(st->db, ro, kv->cf);
	for (rocksdb_iter_seek(it, lo, 2); ok && rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
		size_t kl, vl, klen, uklen = 0;
		const char *k = rocksdb_iter_key(it, &kl);
		const char *v = rocksdb_iter_value(it, &vl);
		const char *key, *ukey = NULL;
		if (kl < 2 || vl < 1)
			continue;
		if (v[0] == VH_TTL) {
			if (vl < 9 || (int64_t)get_be64(v + 1) <= now)
				continue;       /* expired: never returned */
			v += 9;
			vl -= 9;
		} else {
			v++;
			vl--;
		}
		if (kv->kind == KV_MAP) {
			if (kl < 4)
				continue;
			klen = (size_t)(uint8_t)k[2] << 8 | (uint8_t)k[3];
			if (4 + klen > kl)
				continue;
			key = k + 4;
			ukey = k + 4 + klen;
			uklen = kl - 4 - klen;
		} else {
			key = k + 2;
			klen = kl - 2;
		}
		ok = fn(ctx, key, klen, ukey, uklen, v, vl, errp);
	}
	if (ok) {
		rocksdb_iter_get_error(it, &rerr);
		if (rerr) {
			sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "scan of state \"%s\" failed: %s", kv->name, rerr);
			free(rerr);
			ok = false;
		}
	}
	rocksdb_iter_destroy(it);
	rocksdb_readoptions_destroy(ro);
	return ok;
}

bool
sl_state_map_clear(sl_state_map *ms, const void *key, size_t klen, sl_error **errp)
{
	sl_state_map_iter *it = sl_state_map_iter_new(ms, key, klen, errp);
	if (!it)
		return false;
	SL_VEC(char *) ukeys = {0};
	SL_VEC(size_t) lens = {0};
	const void *uk, *v;
	size_t ukl, vl;
	int r;
	while ((r = sl_state_map_iter_next(it, &uk, &ukl, &v, &vl, errp)) == 1) {
		sl_vec_push(&ukeys, sl_xstrndup(uk, ukl));
		sl_vec_push(&lens, ukl);
	}
	sl_state_map_iter_free(it);
	bool ok = r == 0;
	for (size_t i = 0; i < ukeys.n; i++) {
		if (ok)
			ok = sl_state_map_remove(ms, key, klen, ukeys.v[i], lens.v[i], errp);
		free(ukeys.v[i]);
	}
	sl_vec_free(&ukeys);
	sl_vec_free(&lens);
	return ok;
}

/* ---------------------------------------------------------------------
 * List state: one encoded buffer per key.
 * ------------------------------------------------------------------- */

/* Append one element to the encoded list in entry e (absent: an empty
 * list) unless the list already holds max_len bytes or more: 1 appended,
 * 0 full, -1 error. Growth goes through sl_kv_resize, which doubles a
 * heap buffer, so n appends cost O(log n) reallocations. */
static int
entry_append(sl_state_kv *kv, centry *e, const void *elem, size_t elen, size_t max_len,
             sl_error **errp)
{
	size_t old = (e->flags & CE_ABSENT) ? 0 : e->vlen;
	if (old >= max_len)
		return sl_kv_after_write(kv, e, errp) ? 0 : -1;
	sl_kv_resize(kv, e, old + 4 + elen);
	uint32_t l = (uint32_t)elen;
	char *p = e->val + old;
	p[0] = (char)l;
	p[1] = (char)(l >> 8);
	p[2] = (char)(l >> 16);
	p[3] = (char)(l >> 24);
	memcpy(p + 4, elem, elen);
	sl_kv_touch_write(kv, e);
	return sl_kv_after_write(kv, e, errp) ? 1 : -1;
}

/* Append one element to key's list unless the list already holds
 * max_len bytes or more (entry_append). A key new to the state (the
 * filter rules it out of RocksDB) gets an entry whose inline value is
 * exactly the element: one malloc, no RocksDB read. */
static int
list_append(sl_state_list *ls, const void *key, size_t klen, const void *elem, size_t elen,
            size_t max_len, sl_error **errp)
{
	int kg;
	bool err;
	uint64_t h = key_hash(ls->st, key, klen, &kg);
	centry *e = sl_kv_lookup(ls, h, kg, key, klen, SL_KV_READ, errp, &err);
	if (!e) {
		if (err)
			return -1;
		e = sl_kv_insert(ls, h, kg, key, klen, 4 + elen);
	}
	return entry_append(ls, e, elem, elen, max_len, errp);
}

bool
sl_state_list_append(sl_state_list *ls, const void *key, size_t klen, const void *elem,
                     size_t elen, sl_error **errp)
{
	return list_append(ls, key, klen, elem, elen, SIZE_MAX, errp) > 0;
}

int
sl_state_list_append_capped(sl_state_list *ls, const void *key, size_t klen, const void *elem,
                            size_t elen, size_t max_len, sl_error **errp)
{
	return list_append(ls, key, klen, elem, elen, max_len, errp);
}

int
sl_state_list_get(sl_state_list *ls, const void *key, size_t klen, const void **buf,
                  size_t *len, sl_error **errp)
{
	return sl_state_value_get(ls, key, klen, buf, len, errp);
}

bool
sl_state_list_put(sl_state_list *ls, const void *key, size_t klen, const void *buf, size_t len,
                  sl_error **errp)
{
	return sl_state_value_put(ls, key, klen, buf, len, errp);
}

bool
sl_state_list_clear(sl_state_list *ls, const void *key, size_t klen, sl_error **errp)
{
	return sl_state_value_delete(ls, key, klen, errp);
}

bool
sl_state_list_next(const void *buf, size_t len, size_t *pos, const void **elem, size_t *elen)
{
	const uint8_t *b = buf;
	if (*pos + 4 > len)
		return false;
	uint32_t l = (uint32_t)b[*pos] | (uint32_t)b[*pos + 1] << 8 | (uint32_t)b[*pos + 2] << 16 |
	             (uint32_t)b[*pos + 3] << 24;
	if (*pos + 4 + l > len)
		return false;
	*elem = b + *pos + 4;
	*elen = l;
	*pos += 4 + l;
	return true;
}
