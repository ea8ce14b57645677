/*
 * op_join.c
 *	  Join: the regular (unbounded) streaming join — INNER, LEFT, RIGHT,
 *	  FULL OUTER on equi-keys with an optional residual condition, over
 *	  append-only or updating inputs, as Flink's StreamingJoinOperator.
 *	  Port 0 is the left input, port 1 the right; both arrive hash-
 *	  partitioned by the join key, whose runtime/key.h encoding keys the
 *	  state (a NULL in a key column never matches: such rows are not
 *	  stored, and on an outer side they are emitted padded at once).
 *
 *	  State per side (sl_op_state(op), TTL = table.exec.state.ttl):
 *	    LIST  "l0"/"l1"  join key -> list of stored rows; used when the
 *	                     side is append-only and not outer (q3, q20: no
 *	                     counts needed, appends are in place). A key's
 *	                     list stops growing at SPILL_BYTES (a list is one
 *	                     value, rewritten whole when the cache flushes:
 *	                     a hot key would cost O(n) per flush); later rows
 *	                     of that key go to
 *	          "s0"/"s1"  (join key, 'c' + 8-byte chunk number) -> rows
 *	                     in list encoding, up to SPILL_CHUNK_BYTES per
 *	                     chunk (a hot key's rows reach RocksDB 16 KB per
 *	                     put, not one put per row); read only when the
 *	                     list is full, by point reads of chunks 0 .. the
 *	                     open one (no iteration, so no flush of the map).
 *	          "c0"/"c1"  join key -> the number of its open chunk (int64);
 *	                     a full chunk is never appended to again.
 *	                     Blind appends (below) add one-row chunks under
 *	                     (join key, 'b' + 8-byte sequence number) from a
 *	                     counter in operator state ("join.seq", the
 *	                     maximum over the restored tasks' counters after a
 *	                     rescale). With a state TTL lists do not spill: a
 *	                     full list is no longer written, so it would
 *	                     expire (and hide its spilled rows) before they do.
 *	    MAP   "m0"/"m1"  (join key, stored row) -> {int64 count, int64
 *	                     matches}; used when the side's input is updating
 *	                     (rows are retracted by value) or the side is
 *	                     outer (matches = rows of the other side joined
 *	                     with it, so a padded row is retracted when the
 *	                     first match arrives and re-emitted when the last
 *	                     one leaves).
 *	  A stored row is the key encoding of all the side's columns
 *	  (join_common.h), so equal rows share one entry.
 *
 *	  Per input row r of side s, with O = the other side's rows under the
 *	  same key that satisfy the residual condition (counted with
 *	  multiplicity):
 *	    accumulate (+I/+U):
 *	      s outer and O empty    -> +I (r, nulls)
 *	      per o in O: other side outer and o.matches == 0 -> -D (nulls, o);
 *	                  o.matches += 1
 *	      +I (r, o) for each o in O; store r with matches = |O|
 *	    retract (-U/-D):
 *	      remove r from s's state
 *	      O empty: s outer -> -D (r, nulls)
 *	      else -D (r, o) for each o in O; other side outer and
 *	           o.matches == 1 -> +I (nulls, o); o.matches -= 1
 *	  SEMI (IN / EXISTS) and ANTI (NOT EXISTS, and NOT IN as the planner
 *	  gives it: a NULL left key counts as unmatched) joins output the
 *	  left columns only; the left side keeps match counts (MAP): a left row
 *	  is emitted (SEMI) or retracted (ANTI) when its count goes 0 -> 1, and
 *	  the reverse when it goes 1 -> 0 (Flink's semi/anti join operator).
 *	  Blind appends: a LIST side that is stored far more than it is
 *	  probed (q7's bids, probed only by a window's maximum; q20's bids,
 *	  probed by category-10 auctions) pays for its lists, not its probes:
 *	  each append to a key that left the cache reads its list back from
 *	  RocksDB, and each eviction rewrites the whole list. Once a side has
 *	  stored BLIND_MIN_APPENDS rows while being probed less than once per
 *	  BLIND_RATIO of them, and more of its appends missed the cache than
 *	  hit it (sl_state_stats: keys new or gone cold, as q7's prices; q20's
 *	  hot auctions hit it and stay in lists and chunks), every new row of
 *	  it is a blind put into its spill map (key, seq) -> a one-row chunk
 *	  (no read, nothing rewritten), and every
 *	  probe of it iterates the spill map besides reading the list. The
 *	  switch is one way and checkpointed ("join.blind", OR-ed over the
 *	  restored tasks), so rows spilled under a key whose list is not full
 *	  are always found. Not with a state TTL (lists do not spill there).
 *	  Bucket appends: a blind side probed less than once per
 *	  BUCKET_RATIO rows (q7's bids: one probe per 10 s window, by its
 *	  maximum) still pays a RocksDB put per row, most of q7's CPU (memtable
 *	  inserts and compactions of ~110-byte entries). After BUCKET_MIN_APPENDS
 *	  blind rows it appends every new row, with its key, to its key group's
 *	  bucket instead: chunks of bucket_chunk bytes (16 KB at 128 key groups,
 *	  all open chunks a quarter of the spill cache) under a bucket key
 *	  (BKEY_PREFIX + a counter whose key group is the bucket's, so a bucket
 *	  moves with its key group on a rescale) and user key 'k' + number, one
 *	  put per chunk. A probe iterates its key's bucket and keeps the rows of
 *	  its key: ~1/128 of the side's bucket rows. When probes have decoded
 *	  BUCKET_SLACK more bucket rows than the side appended since open, the
 *	  side leaves buckets for good (bucket_leave: each bucket row becomes a
 *	  blind row under its own key, once). Checkpointed as "join.bucket"
 *	  (OR-ed over the restored tasks: a probe then reads the buckets). The
 *	  watermark sweep reads bucket rows past their key.
 *	  Watermark sweep (rel->retain, planner/physical.c "Watermark-derived
 *	  join state retention"): for an inner join whose residual bounds a
 *	  time column of side s from below by a window property of the other
 *	  side o, a row of s with time <= bound(s) = (newest watermark seen on
 *	  port o) + rel->retain_off_us[s] can never match a future row of o.
 *	  Such a row is probed as usual but not stored; and each time bound(s)
 *	  has moved by sweep_step[s] since the last sweep (and on the first
 *	  watermark, which also cleans restored state) the watermark hook
 *	  scans s's states (sl_state_scan) and drops its dead rows: spilled
 *	  rows are removed, lists rewritten with their live rows or cleared.
 *	  A full list (len >= SPILL_BYTES) whose key still has live spilled
 *	  rows is left as it is, so "the list is full" keeps meaning "look in
 *	  the spill map too" (its dead rows match nothing). The hot path pays
 *	  one comparison per stored row; a sweep is O(state of s), amortized
 *	  over sweep_step of event time. Exact: only rows no future row can
 *	  match are dropped (the residual is re-checked on every probe
 *	  anyway); the bound starts at -inf after a restore (watermarks are
 *	  not restored), which only keeps more.
 *	  Inner joins skip the bookkeeping: candidate rows go straight into
 *	  the output chunk and the residual condition filters the chunk before
 *	  it is sent. Outer joins build the candidates of one input row in a
 *	  scratch chunk, filter it, and then emit.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_join
 */
#include "runtime/join_common.h"
#include "state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct jstore {
	bool map;                   /* MAP (counts) or LIST (appends) */
	bool outer;                 /* padded while unmatched */
	sl_state_map *ms;
	sl_state_list *ls;
	sl_state_map *spill;        /* LIST: rows of keys whose list is full, in
	                             * chunks: (key, tag + number) -> encoded list */
	sl_state_value *cur;        /* LIST: key -> its open chunk number (int64) */
	bool blind;                 /* LIST: every new row goes to the spill map
	                             * (probes always read it); see "Blind appends" */
	uint64_t appends;           /* rows stored since open */
	uint64_t probes;            /* rows of the other side that probed this one */
	/* Key-group buckets (see "Bucket appends"): bucket is on while new rows
	 * go to buckets; bucket_rows while buckets may hold rows (probes read
	 * them), also after a restore of a task that had them */
	bool bucket, bucket_rows, bucket_done;
	uint64_t blind_appends;     /* rows appended blind (or to buckets) */
	uint64_t blind_probes;      /* probes of this side since it went blind */
	uint64_t bucket_appends;    /* rows appended to buckets since open */
	uint64_t bucket_read;       /* bucket rows decoded by probes since open */
} jstore;

/* A LIST key's list takes rows until it holds this many bytes. */
#define SPILL_BYTES 4096
/* Blind appends: after this many rows stored, a LIST side probed less
 * than once per BLIND_RATIO rows stored writes every new row blind. */
#define BLIND_MIN_APPENDS 4096
#define BLIND_RATIO 8
/* Cache budget of a spill map, and of its open-chunk ids. */
#define SPILL_CACHE_BYTES ((size_t)8 << 20)
#define CUR_CACHE_BYTES ((size_t)1 << 20)
/* A spill chunk takes rows until it holds this many bytes: a hot key's
 * rows reach RocksDB a chunk (one put) at a time, not a row at a time. */
#define SPILL_CHUNK_BYTES 16384
/* Spill map user keys: a chunk, tag + its number under the key (0, 1,
 * ...: the open one in "c0"/"c1"); a blind row, tag + a sequence number;
 * a key-group bucket's chunk, tag + its number under the bucket key. */
#define SPILL_CHUNK_TAG 'c'
#define SPILL_BLIND_TAG 'b'
#define SPILL_BUCKET_TAG 'k'
/* Bucket appends: a blind side probed less than once per BUCKET_RATIO
 * rows appended (after BUCKET_MIN_APPENDS of them) appends to buckets;
 * it leaves them (moving their rows to blind rows under their own keys)
 * once probes decoded BUCKET_SLACK more bucket rows than were appended. */
#define BUCKET_MIN_APPENDS 65536
#define BUCKET_RATIO 65536
#define BUCKET_SLACK ((uint64_t)1 << 20)
/* A bucket key: this prefix + a 4-byte counter chosen so that the key
 * falls in the bucket's key group. */
#define BKEY_PREFIX "\xffSLKG"
#define BKEY_LEN 9

/* One stored row of the other side, collected for an outer-join probe. */
typedef struct jrec {
	size_t off;                 /* into rj->recbuf */
	size_t len;
	int64_t count, matches;
	bool matched;
} jrec;

typedef struct rjoin {
	int n[2];                   /* columns of each side */
	const int *keys[2];
	int nkeys;
	int *allcols;               /* 0..nl+nr-1 */
	jstore side[2];
	bool inner;
	bool semi, anti;            /* output = left columns only */
	int64_t ttl_ms[2];          /* per input: STATE_TTL hint or table.exec.state.ttl */
	sl_rexpr *cond;             /* residual condition over (left, right) */
	const sl_type *const *types;  /* output */
	const sl_type **ctypes;     /* left ++ right: residual candidates */
	/* per thread */
	sl_jout jo;
	sl_rexpr_prog *cprog;       /* outer joins: filters the candidates */
	sl_chunk_pool *cpool;
	sl_strbuf key, row, recbuf;
	sl_strbuf one;              /* a blind row as a one-element list, or a
	                             * bucket element */
	sl_strbuf mig;              /* bucket_leave: the chunk being moved */
	jrec *recs;
	size_t nrecs, caprecs;
	sl_state *st;
	uint64_t seq;               /* next spill sequence number */
	int maxp, kg_first, nkg;    /* the task's key groups */
	unsigned char (*bkeys)[BKEY_LEN]; /* per owned key group: its bucket key */
	size_t bucket_chunk;        /* bytes per bucket chunk (nkg open at once) */
	SL_VEC(uint64_t) bchunks;   /* migration: a bucket's chunk numbers */
	size_t spill_bytes;         /* SPILL_BYTES, or SIZE_MAX with a TTL */
	/* watermark-derived retention (rel->retain; see the header) */
	bool retain[2];
	int retain_col[2];          /* side s's time column */
	int64_t retain_off[2];      /* bound(s) = port_wm_seen[1 - s] + retain_off[s] */
	int64_t sweep_step[2];      /* sweep when bound(s) moved this far */
	int64_t swept[2];           /* bound(s) at the last sweep; INT64_MIN: none yet */
	const sl_type **stypes[2];  /* side s's column types (decoding stored rows) */
	sl_chunk_pool *dpool[2];    /* per thread: scratch rows for stored_time */
	sl_chunk *dchunk;           /* the scratch chunk being filled */
	int dside;                  /* its side */
	int64_t sweep_bound;        /* the bound of the running sweep */
	int sweep_side;
	SL_VEC(uint64_t) livespill; /* sweep: hashes of keys with live spilled rows */
	uint64_t skipped[2];        /* rows not stored (dead on arrival) */
	uint64_t dropped[2];        /* rows dropped by sweeps */
	uint64_t sweeps[2];
} rjoin;

/* Sweep when the bound moved by this much at least (or |offset| / 2). */
#define MIN_SWEEP_STEP_US ((int64_t)1000000)

/* The bucket key of every key group this task owns: BKEY_PREFIX and the
 * first big-endian counter whose key falls in that group -- the same
 * bytes in every task and after a rescale, so a bucket's rows move with
 * its key group. */
static void
bucket_keys(rjoin *j)
{
	int last, left;
	bool *have;
	sl_state_key_groups(j->st, &j->maxp, &j->kg_first, &last);
	j->nkg = left = last - j->kg_first + 1;
	j->bkeys = sl_xcalloc((size_t)j->nkg, BKEY_LEN);
	have = sl_xcalloc((size_t)j->nkg, 1);
	for (uint32_t c = 0; left > 0; c++) {
		unsigned char k[BKEY_LEN];
		int g;
		memcpy(k, BKEY_PREFIX, BKEY_LEN - 4);
		k[5] = (unsigned char)(c >> 24), k[6] = (unsigned char)(c >> 16);
		k[7] = (unsigned char)(c >> 8), k[8] = (unsigned char)c;
		g = sl_state_key_group(k, BKEY_LEN, j->maxp) - j->kg_first;
		if (g < 0 || g >= j->nkg || have[g])
			continue;
		memcpy(j->bkeys[g], k, BKEY_LEN);
		have[g] = true;
		left--;
	}
	free(have);
	/* every bucket has an open chunk: together a quarter of the cache */
	j->bucket_chunk = SL_MIN((size_t)SPILL_CHUNK_BYTES, SL_MAX((size_t)1024, SPILL_CACHE_BYTES / 4 / (size_t)j->nkg));
}

/* The bucket key of j->key's key group. */
static const unsigned char *
bucket_key(rjoin *j, sl_error **errp)
{
	int g = sl_state_key_group(j->key.data, j->key.len, j->maxp) - j->kg_first;
	if (g >= 0 && g < j->nkg)
		return j->bkeys[g];
	*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "Join: a key outside the task's key groups");
	return NULL;
}

static bool
rj_open(sl_op *op, sl_error **errp)
{
	rjoin *j = op->priv;
	sl_state *st = sl_op_state(op, errp);
	sl_rexpr_prog *inner_cond = NULL;
	if (!st)
		return false;
	j->st = st;
	for (int s = 0; s < 2; s++) {
		char name[8] = {j->side[s].map ? 'm' : 'l', (char)('0' + s), 0};
		char sname[8] = {'s', (char)('0' + s), 0};
		char cname[8] = {'c', (char)('0' + s), 0};
		sl_state_desc d = {.ttl_ms = j->ttl_ms[s]};
		/* spill maps are written blind and read only when a row of the other
		 * side probes a full key: a small cache is enough */
		sl_state_desc ds = {.ttl_ms = j->ttl_ms[s], .cache_bytes = SPILL_CACHE_BYTES};
		sl_state_desc dc = {.ttl_ms = j->ttl_ms[s], .cache_bytes = CUR_CACHE_BYTES};
		if (j->side[s].map ? !(j->side[s].ms = sl_state_map_open(st, name, &d, errp))
		                   : !(j->side[s].ls = sl_state_list_open(st, name, &d, errp)) ||
		                         !(j->side[s].spill = sl_state_map_open(st, sname, &ds, errp)) ||
		                         !(j->side[s].cur = sl_state_value_open(st, cname, &dc, errp)))
			return false;
	}
	/* spill sequence: past every restored task's counter; blind appends:
	 * on if any restored task had them on (its spilled rows may sit under
	 * keys whose list is not full) */
	for (size_t i = 0; i < sl_state_op_count(st); i++) {
		const char *nm = sl_state_op_name(st, i);
		size_t n;
		const unsigned char *b;
		uint64_t v;
		if (strncmp(nm, "join.blind", 10) == 0 && (b = sl_state_op_get(st, nm, &n)) && n == 2) {
			j->side[0].blind |= b[0] != 0;
			j->side[1].blind |= b[1] != 0;
			continue;
		}
		if (strncmp(nm, "join.bucket", 11) == 0 && (b = sl_state_op_get(st, nm, &n)) && n == 2) {
			j->side[0].bucket_rows |= b[0] != 0;
			j->side[1].bucket_rows |= b[1] != 0;
			continue;
		}
		if (strncmp(nm, "join.seq", 8) != 0 || !(b = sl_state_op_get(st, nm, &n)) || n != 8)
			continue;
		memcpy(&v, b, 8);
		j->seq = SL_MAX(j->seq, v);
	}
	bucket_keys(j);
	for (int s = 0; s < 2; s++) {
		j->swept[s] = INT64_MIN;
		if (j->retain[s])
			j->dpool[s] = sl_chunk_pool_new(j->stypes[s], j->n[s], 0);
	}
	if (j->cond && !(j->cprog = sl_rexpr_prog_new(j->cond, errp)))
		return false;
	if (j->inner)
		inner_cond = j->cprog;
	else
		j->cpool = sl_chunk_pool_new(j->ctypes, j->n[0] + j->n[1], 0);
	sl_jout_init(&j->jo, op, j->types, j->n[0], j->semi || j->anti ? 0 : j->n[1], j->allcols,
	             inner_cond);
	return true;
}

/* Output (this side row, other side) in left/right order. */
static inline bool
emit_pair(rjoin *j, int s, sl_row_kind k, sl_jside_src self, sl_jside_src other, sl_error **errp)
{
	return s == 0 ? sl_jout_row(&j->jo, k, self, other, errp)
	              : sl_jout_row(&j->jo, k, other, self, errp);
}

/* A stored row of the spill map found for j->key (spill_each). */
typedef bool (*spill_fn)(rjoin *j, const void *row, size_t len, void *arg, sl_error **errp);

static bool
each_row(rjoin *j, const void *list, size_t len, spill_fn fn, void *arg, sl_error **errp)
{
	const void *e;
	size_t pos = 0, elen;
	while (sl_state_list_next(list, len, &pos, &e, &elen))
		if (!fn(j, e, elen, arg, errp))
			return false;
	return true;
}

/* Append elem to the open chunk (tag + number) under key (a new chunk when
 * it holds cap bytes or the key has none). */
static bool
chunk_add(rjoin *j, jstore *me, const void *key, size_t klen, unsigned char tag, const void *elem,
          size_t elen, size_t cap, sl_error **errp)
{
	unsigned char ck[9];
	size_t vlen;
	bool created;
	int64_t *cur = sl_state_value_get_for_update(me->cur, key, klen, 8, &vlen, &created, errp);
	int f;
	bool fresh;
	(void)j;
	if (!cur)
		return false;
	/* created: chunk 0 (the value is zeroed), which does not exist yet */
	fresh = created;
	for (int tries = 0; tries < 2; tries++) {
		ck[0] = tag;
		sl_join_be64(ck + 1, *cur);
		/* an open chunk evicted from the cache counts as full: a new
		 * chunk costs a put, reading it back a RocksDB read and a rewrite */
		f = sl_state_map_append_cached(me->spill, key, klen, ck, 9, elem, elen, cap, fresh, errp);
		if (f != 0)
			return f > 0;
		/* full: the next chunk, never written before (cur is still
		 * valid: no call on me->cur since) */
		(*cur)++;
		fresh = true;
	}
	*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "Join: a new spill chunk is full");
	return false;
}

/* Append row j->row to the open spill chunk of j->key. */
static bool
spill_add(rjoin *j, jstore *me, sl_error **errp)
{
	return chunk_add(j, me, j->key.data, j->key.len, SPILL_CHUNK_TAG, j->row.data, j->row.len,
	                 SPILL_CHUNK_BYTES, errp);
}

/* Row (row, rlen) of key (key, klen) as a one-row chunk of its own: a
 * blind put (no read). */
static bool
blind_put(rjoin *j, jstore *me, const void *key, size_t klen, const void *row, size_t rlen,
          sl_error **errp)
{
	unsigned char sq[9] = {SPILL_BLIND_TAG};
	uint32_t l = (uint32_t)rlen;
	unsigned char h[4] = {(unsigned char)l, (unsigned char)(l >> 8), (unsigned char)(l >> 16),
	                      (unsigned char)(l >> 24)};
	sl_strbuf_reset(&j->one);
	sl_strbuf_appendn(&j->one, (const char *)h, 4);
	sl_strbuf_appendn(&j->one, row, rlen);
	sl_join_be64(sq + 1, (int64_t)j->seq++);
	return sl_state_map_put(me->spill, key, klen, sq, 9, j->one.data, j->one.len, errp);
}

/* Append row j->row of j->key to its key group's bucket: an element
 * [u32 LE key length][key][row] of the bucket's open chunk. */
static bool
bucket_add(rjoin *j, jstore *me, sl_error **errp)
{
	const unsigned char *bk = bucket_key(j, errp);
	uint32_t l = (uint32_t)j->key.len;
	unsigned char h[4] = {(unsigned char)l, (unsigned char)(l >> 8), (unsigned char)(l >> 16),
	                      (unsigned char)(l >> 24)};
	if (!bk)
		return false;
	sl_strbuf_reset(&j->one);
	sl_strbuf_appendn(&j->one, (const char *)h, 4);
	sl_strbuf_appendn(&j->one, j->key.data, j->key.len);
	sl_strbuf_appendn(&j->one, j->row.data, j->row.len);
	me->bucket_appends++;
	return chunk_add(j, me, bk, BKEY_LEN, SPILL_BUCKET_TAG, j->one.data, j->one.len, j->bucket_chunk,
	                 errp);
}

/* Split a bucket element into its key and row; false if it does not
 * decode. */
static bool
bucket_elem(const void *e, size_t elen, const void **key, size_t *klen, const void **row, size_t *rlen)
{
	const unsigned char *b = e;
	uint32_t kl;
	if (elen < 4)
		return false;
	kl = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	if (kl > elen - 4)
		return false;
	*key = b + 4;
	*klen = kl;
	*row = b + 4 + kl;
	*rlen = elen - 4 - kl;
	return true;
}

static bool
corrupt(sl_error **errp)
{
	*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "Join: a stored row does not decode");
	return false;
}

/* Leave bucket appends on side o: every bucket row becomes a blind row
 * under its own key (probes of it got dearer than its appends saved),
 * and the buckets are removed. O(bucket rows), once. */
static bool
bucket_leave(rjoin *j, jstore *o, sl_error **errp)
{
	for (int g = 0; g < j->nkg; g++) {
		const unsigned char *bk = j->bkeys[g];
		sl_state_map_iter *it = sl_state_map_iter_new(o->spill, bk, BKEY_LEN, errp);
		const void *uk, *v;
		size_t uklen, vlen;
		int f;
		if (!it)
			return false;
		j->bchunks.n = 0;
		while ((f = sl_state_map_iter_next(it, &uk, &uklen, &v, &vlen, errp)) == 1)
			if (uklen == 9 && ((const unsigned char *)uk)[0] == SPILL_BUCKET_TAG)
				sl_vec_push(&j->bchunks, (uint64_t)sl_join_from_be64((const unsigned char *)uk + 1));
		sl_state_map_iter_free(it);
		if (f < 0)
			return false;
		for (size_t i = 0; i < j->bchunks.n; i++) {
			unsigned char ck[9] = {SPILL_BUCKET_TAG};
			const void *e, *key, *row;
			size_t pos = 0, elen, klen, rlen;
			sl_join_be64(ck + 1, (int64_t)j->bchunks.v[i]);
			if ((f = sl_state_map_get(o->spill, bk, BKEY_LEN, ck, 9, &v, &vlen, errp)) < 0)
				return false;
			if (f == 0)
				continue;
			/* the puts below may move the cached chunk */
			sl_strbuf_reset(&j->mig);
			sl_strbuf_appendn(&j->mig, v, vlen);
			while (sl_state_list_next(j->mig.data, j->mig.len, &pos, &e, &elen)) {
				if (!bucket_elem(e, elen, &key, &klen, &row, &rlen))
					return corrupt(errp);
				if (!blind_put(j, o, key, klen, row, rlen, errp))
					return false;
			}
			if (!sl_state_map_remove(o->spill, bk, BKEY_LEN, ck, 9, errp))
				return false;
		}
		if (!sl_state_value_delete(o->cur, bk, BKEY_LEN, errp))
			return false;
	}
	o->bucket = o->bucket_rows = false;
	o->bucket_done = true;
	return true;
}

/* The rows of j->key in its key group's bucket on side o. */
static bool
bucket_each(rjoin *j, jstore *o, spill_fn fn, void *arg, sl_error **errp)
{
	const unsigned char *bk = bucket_key(j, errp);
	sl_state_map_iter *it;
	const void *uk, *v;
	size_t uklen, vlen;
	int f;
	if (!bk || !(it = sl_state_map_iter_new(o->spill, bk, BKEY_LEN, errp)))
		return false;
	while ((f = sl_state_map_iter_next(it, &uk, &uklen, &v, &vlen, errp)) == 1) {
		const void *e, *key, *row;
		size_t pos = 0, elen, klen, rlen;
		if (uklen != 9 || ((const unsigned char *)uk)[0] != SPILL_BUCKET_TAG)
			continue;
		while (sl_state_list_next(v, vlen, &pos, &e, &elen)) {
			o->bucket_read++;
			if (!bucket_elem(e, elen, &key, &klen, &row, &rlen)) {
				sl_state_map_iter_free(it);
				return corrupt(errp);
			}
			if (klen == j->key.len && memcmp(key, j->key.data, klen) == 0 &&
			    !fn(j, row, rlen, arg, errp)) {
				sl_state_map_iter_free(it);
				return false;
			}
		}
	}
	sl_state_map_iter_free(it);
	return f == 0;
}

/* Every row LIST side o spilled under j->key. Chunks are numbered per key
 * (0 .. the open one, in o->cur): point reads, cache hits for a hot key,
 * and no flush of the spill map. A blind side also has one-row chunks
 * under sequence numbers: then the key's entries are iterated (a map
 * iteration flushes the spill map first; blind sides are rarely probed).
 * Rows in key-group buckets are found by iterating the bucket. */
static bool
spill_each(rjoin *j, jstore *o, spill_fn fn, void *arg, sl_error **errp)
{
	const void *v;
	size_t vlen;
	int64_t n;
	int f;
	if (o->bucket_rows && o->bucket_read > o->bucket_appends + BUCKET_SLACK && !bucket_leave(j, o, errp))
		return false;
	if (o->blind) {
		sl_state_map_iter *it = sl_state_map_iter_new(o->spill, j->key.data, j->key.len, errp);
		const void *uk;
		size_t uklen;
		if (!it)
			return false;
		while ((f = sl_state_map_iter_next(it, &uk, &uklen, &v, &vlen, errp)) == 1) {
			/* a key equal to a bucket key: its bucket's chunks are not its rows */
			if (uklen == 9 && ((const unsigned char *)uk)[0] == SPILL_BUCKET_TAG)
				continue;
			if (!each_row(j, v, vlen, fn, arg, errp)) {
				sl_state_map_iter_free(it);
				return false;
			}
		}
		sl_state_map_iter_free(it);
		if (f < 0)
			return false;
		return !o->bucket_rows || bucket_each(j, o, fn, arg, errp);
	}
	if ((f = sl_state_value_get(o->cur, j->key.data, j->key.len, &v, &vlen, errp)) <= 0)
		return f == 0;
	memcpy(&n, v, 8);
	for (int64_t i = 0; i <= n; i++) {
		unsigned char ck[9] = {SPILL_CHUNK_TAG};
		sl_join_be64(ck + 1, i);
		if ((f = sl_state_map_get(o->spill, j->key.data, j->key.len, ck, 9, &v, &vlen, errp)) < 0)
			return false;
		if (f == 1 && !each_row(j, v, vlen, fn, arg, errp))
			return false;
	}
	return true;
}

typedef struct probe_arg {
	int s;
	sl_row_kind k;
	sl_jside_src self;
} probe_arg;

static bool
probe_row(rjoin *j, const void *row, size_t len, void *arg, sl_error **errp)
{
	probe_arg *p = arg;
	return emit_pair(j, p->s, p->k, p->self, SL_JSRC_BYTES(row, len), errp);
}

/* Rows of the other side's spill map under j->key. */
static bool
probe_spill(rjoin *j, int s, sl_row_kind k, sl_jside_src self, sl_error **errp)
{
	probe_arg p = {s, k, self};
	return spill_each(j, &j->side[1 - s], probe_row, &p, errp);
}

/* Append row j->row under j->key to LIST side me: to its list, or when
 * the list is full to its spill chunks; with blind appends, as a chunk of
 * its own (a blind put: no read), or with bucket appends to its key
 * group's bucket. */
static bool
list_add(rjoin *j, jstore *me, sl_error **errp)
{
	int f;
	if (!me->blind && ++me->appends >= BLIND_MIN_APPENDS && j->spill_bytes != SIZE_MAX &&
	    me->probes * BLIND_RATIO < me->appends) {
		/* rarely probed: blind if most appends miss the cache (keys
		 * that are new or left it: each costs a read, and its list a
		 * rewrite, that a blind put does not) */
		uint64_t hits, misses;
		sl_state_stats(me->ls, &hits, &misses);
		if (misses > hits)
			me->blind = true;   /* from now on (never back: see "Blind appends") */
		else
			me->appends = 0;    /* look again later */
	}
	if (!me->blind) {
		f = sl_state_list_append_capped(me->ls, j->key.data, j->key.len, j->row.data, j->row.len,
		                                j->spill_bytes, errp);
		return f != 0 ? f > 0 : spill_add(j, me, errp);
	}
	if (!me->bucket && !me->bucket_done && ++me->blind_appends >= BUCKET_MIN_APPENDS &&
	    me->blind_probes * BUCKET_RATIO < me->blind_appends)
		me->bucket = me->bucket_rows = true;   /* see "Bucket appends" */
	if (me->bucket)
		return bucket_add(j, me, errp);
	return blind_put(j, me, j->key.data, j->key.len, j->row.data, j->row.len, errp);
}
/* Inner join: every stored row of the other side under key is a candidate;
 * the residual condition is applied to the output chunk. */
static bool
probe_inner(rjoin *j, int s, const sl_chunk *in, uint32_t r, sl_row_kind k, sl_error **errp)
{
	jstore *o = &j->side[1 - s];
	sl_jside_src self = SL_JSRC_CHUNK(in, r);
	if (!o->map) {
		const void *buf, *e;
		size_t len, pos = 0, elen;
		int f = sl_state_list_get(o->ls, j->key.data, j->key.len, &buf, &len, errp);
		if (f < 0)
			return false;
		while (f == 1 && sl_state_list_next(buf, len, &pos, &e, &elen))
			if (!emit_pair(j, s, k, self, SL_JSRC_BYTES(e, elen), errp))
				return false;
		if (!o->blind && (f == 0 || len < j->spill_bytes))
			return true;
		return probe_spill(j, s, k, self, errp);
	}
	sl_state_map_iter *it = sl_state_map_iter_new(o->ms, j->key.data, j->key.len, errp);
	const void *uk, *v;
	size_t uklen, vlen;
	int f;
	if (!it)
		return false;
	while ((f = sl_state_map_iter_next(it, &uk, &uklen, &v, &vlen, errp)) == 1) {
		int64_t cnt;
		memcpy(&cnt, v, 8);
		for (int64_t c = 0; c < cnt; c++)
			if (!emit_pair(j, s, k, self, SL_JSRC_BYTES(uk, uklen), errp)) {
				sl_state_map_iter_free(it);
				return false;
			}
	}
	sl_state_map_iter_free(it);
	return f == 0;
}

static void
push_rec(rjoin *j, const void *bytes, size_t len, int64_t count, int64_t matches)
{
	if (j->nrecs == j->caprecs) {
		size_t nc = j->caprecs ? j->caprecs * 2 : 64;
		jrec *nr = sl_xrealloc(j->recs, nc * sizeof *nr);
		j->recs = nr;
		j->caprecs = nc;
	}
	j->recs[j->nrecs++] = (jrec){j->recbuf.len, len, count, matches, true};
	sl_strbuf_appendn(&j->recbuf, bytes, len);
}

static bool
collect_row(rjoin *j, const void *row, size_t len, void *arg, sl_error **errp)
{
	(void)arg, (void)errp;
	push_rec(j, row, len, 1, 0);
	return true;
}

/* Collect the other side's rows under the key into j->recs, with the
 * residual condition evaluated per (row r, stored row). */
static bool
collect(rjoin *j, int s, const sl_chunk *in, uint32_t r, sl_error **errp)
{
	jstore *o = &j->side[1 - s];
	j->nrecs = 0;
	sl_strbuf_reset(&j->recbuf);
	if (o->map) {
		sl_state_map_iter *it = sl_state_map_iter_new(o->ms, j->key.data, j->key.len, errp);
		const void *uk, *v;
		size_t uklen, vlen;
		int f;
		if (!it)
			return false;
		while ((f = sl_state_map_iter_next(it, &uk, &uklen, &v, &vlen, errp)) == 1) {
			int64_t cv[2];
			memcpy(cv, v, 16);
			push_rec(j, uk, uklen, cv[0], cv[1]);
		}
		sl_state_map_iter_free(it);
		if (f < 0)
			return false;
	} else {
		const void *buf, *e;
		size_t len, pos = 0, elen;
		int f = sl_state_list_get(o->ls, j->key.data, j->key.len, &buf, &len, errp);
		if (f < 0)
			return false;
		while (f == 1 && sl_state_list_next(buf, len, &pos, &e, &elen))
			push_rec(j, e, elen, 1, 0);
		if ((o->blind || (f == 1 && len >= j->spill_bytes)) && !spill_each(j, o, collect_row, NULL, errp))
			return false;
	}
	if (!j->cprog || j->nrecs == 0)
		return true;
	/* residual condition over candidate rows, up to a chunk at a time */
	for (size_t b = 0; b < j->nrecs; b += SL_CHUNK_CAPACITY) {
		size_t e = SL_MIN(j->nrecs, b + SL_CHUNK_CAPACITY);
		sl_chunk *c = sl_chunk_pool_get(j->cpool);
		int64_t n;
		for (size_t i = b; i < e; i++) {
			uint32_t row = sl_chunk_append_row(c);
			sl_jside_src self = SL_JSRC_CHUNK(in, r);
			sl_jside_src other = SL_JSRC_BYTES(j->recbuf.data + j->recs[i].off, j->recs[i].len);
			bool ok = s == 0 ? sl_join_fill(c, row, 0, j->n[0], j->allcols, self) &&
			                       sl_join_fill(c, row, j->n[0], j->n[1], j->allcols + j->n[0], other)
			                 : sl_join_fill(c, row, 0, j->n[0], j->allcols, other) &&
			                       sl_join_fill(c, row, j->n[0], j->n[1], j->allcols + j->n[0], self);
			if (!ok) {
				sl_chunk_unref(c);
				*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "Join: a stored row does not decode");
				return false;
			}
			j->recs[i].matched = false;
		}
		n = sl_rexpr_filter(j->cprog, c, errp);
		if (n < 0) {
			sl_chunk_unref(c);
			return false;
		}
		for (int64_t i = 0; i < n; i++)
			j->recs[b + (c->sel ? c->sel[i] : (uint32_t)i)].matched = true;
		sl_chunk_unref(c);
	}
	return true;
}

/* Change the match count of the other side's stored row rec by d. */
static bool
bump_matches(rjoin *j, int os, const jrec *rec, int64_t d, sl_error **errp)
{
	size_t vlen;
	bool created;
	int64_t *v = sl_state_map_get_for_update(j->side[os].ms, j->key.data, j->key.len,
	                                         j->recbuf.data + rec->off, rec->len, 16, &vlen,
	                                         &created, errp);
	if (!v)
		return false;
	if (created)    /* expired meanwhile (TTL): nothing to keep */
		return sl_state_map_remove(j->side[os].ms, j->key.data, j->key.len,
		                           j->recbuf.data + rec->off, rec->len, errp);
	v[1] += d;
	return true;
}

/* Outer join (or any join with an outer side): Flink's algorithm above. */
static bool
probe_outer(rjoin *j, int s, const sl_chunk *in, uint32_t r, bool acc, bool keynull,
            sl_error **errp)
{
	jstore *me = &j->side[s], *o = &j->side[1 - s];
	sl_jside_src self = SL_JSRC_CHUNK(in, r);
	int64_t nm = 0;
	j->nrecs = 0;
	if (!keynull && !collect(j, s, in, r, errp))
		return false;
	for (size_t i = 0; i < j->nrecs; i++)
		if (j->recs[i].matched)
			nm += j->recs[i].count;
	if (acc) {
		if (me->outer && nm == 0 && !emit_pair(j, s, SL_ROW_INSERT, self, SL_JSRC_NULL, errp))
			return false;
		for (size_t i = 0; i < j->nrecs; i++) {
			jrec *rc = &j->recs[i];
			sl_jside_src other = SL_JSRC_BYTES(j->recbuf.data + rc->off, rc->len);
			if (!rc->matched)
				continue;
			if (o->outer) {
				if (rc->matches == 0)
					for (int64_t c = 0; c < rc->count; c++)
						if (!emit_pair(j, s, SL_ROW_DELETE, SL_JSRC_NULL, other, errp))
							return false;
				if (!bump_matches(j, 1 - s, rc, 1, errp))
					return false;
			}
			for (int64_t c = 0; c < rc->count; c++)
				if (!emit_pair(j, s, SL_ROW_INSERT, self, other, errp))
					return false;
		}
		if (keynull)
			return true;
		if (me->map) {
			size_t vlen;
			bool created;
			int64_t *v = sl_state_map_get_for_update(me->ms, j->key.data, j->key.len, j->row.data,
			                                         j->row.len, 16, &vlen, &created, errp);
			if (!v)
				return false;
			v[0] = created ? 1 : v[0] + 1;
			v[1] = nm;
			return true;
		}
		return list_add(j, me, errp);
	}
	/* retract */
	if (!keynull && me->map) {
		size_t vlen;
		bool created;
		int64_t *v = sl_state_map_get_for_update(me->ms, j->key.data, j->key.len, j->row.data,
		                                         j->row.len, 16, &vlen, &created, errp);
		if (!v)
			return false;
		if (created || v[0] <= 1) {
			if (!sl_state_map_remove(me->ms, j->key.data, j->key.len, j->row.data, j->row.len, errp))
				return false;
		} else {
			v[0]--;
		}
	}
	if (nm == 0)
		return !me->outer || emit_pair(j, s, SL_ROW_DELETE, self, SL_JSRC_NULL, errp);
	for (size_t i = 0; i < j->nrecs; i++) {
		jrec *rc = &j->recs[i];
		sl_jside_src other = SL_JSRC_BYTES(j->recbuf.data + rc->off, rc->len);
		if (!rc->matched)
			continue;
		for (int64_t c = 0; c < rc->count; c++)
			if (!emit_pair(j, s, SL_ROW_DELETE, self, other, errp))
				return false;
		if (o->outer) {
			if (rc->matches == 1)
				for (int64_t c = 0; c < rc->count; c++)
					if (!emit_pair(j, s, SL_ROW_INSERT, SL_JSRC_NULL, other, errp))
						return false;
			if (!bump_matches(j, 1 - s, rc, -1, errp))
				return false;
		}
	}
	return true;
}

/* SEMI/ANTI: emit left row `l` (kind k) count times. */
static bool
emit_left(rjoin *j, sl_row_kind k, sl_jside_src l, int64_t count, sl_error **errp)
{
	for (int64_t c = 0; c < count; c++)
		if (!sl_jout_row(&j->jo, k, l, SL_JSRC_NULL, errp))
			return false;
	return true;
}

static bool
probe_semi(rjoin *j, int s, const sl_chunk *in, uint32_t r, bool acc, bool keynull,
           sl_error **errp)
{
	jstore *me = &j->side[s];
	int64_t nm = 0;
	j->nrecs = 0;
	if (!keynull && !collect(j, s, in, r, errp))
		return false;
	for (size_t i = 0; i < j->nrecs; i++)
		if (j->recs[i].matched)
			nm += j->recs[i].count;
	if (s == 0) {
		/* a left row: in the output iff (matched) for SEMI, (unmatched) for ANTI */
		if ((j->semi ? nm > 0 : nm == 0) &&
		    !emit_left(j, acc ? SL_ROW_INSERT : SL_ROW_DELETE, SL_JSRC_CHUNK(in, r), 1, errp))
			return false;
		if (keynull)
			return true;
	} else {
		/* a right row changes the match counts of the left rows it matches */
		for (size_t i = 0; i < j->nrecs; i++) {
			jrec *rc = &j->recs[i];
			sl_jside_src l = SL_JSRC_BYTES(j->recbuf.data + rc->off, rc->len);
			if (!rc->matched)
				continue;
			if (acc && rc->matches == 0 &&
			    !emit_left(j, j->semi ? SL_ROW_INSERT : SL_ROW_DELETE, l, rc->count, errp))
				return false;
			if (!acc && rc->matches == 1 &&
			    !emit_left(j, j->semi ? SL_ROW_DELETE : SL_ROW_INSERT, l, rc->count, errp))
				return false;
			if (!bump_matches(j, 0, rc, acc ? 1 : -1, errp))
				return false;
		}
		if (keynull)
			return true;
		if (!me->map)
			return list_add(j, me, errp);
	}
	/* store / retract the row itself (MAP) */
	size_t vlen;
	bool created;
	int64_t *v = sl_state_map_get_for_update(me->ms, j->key.data, j->key.len, j->row.data, j->row.len,
	                                         16, &vlen, &created, errp);
	if (!v)
		return false;
	if (acc) {
		v[0] = created ? 1 : v[0] + 1;
		v[1] = nm;
		return true;
	}
	if (created || v[0] <= 1)
		return sl_state_map_remove(me->ms, j->key.data, j->key.len, j->row.data, j->row.len, errp);
	v[0]--;
	return true;
}

/* ---- watermark-derived retention ---------------------------------- */

/* Rows of side s with time <= this are dead (INT64_MIN: none known). */
static inline int64_t
retain_bound(const rjoin *j, const sl_op *op, int s)
{
	int64_t w = op->port_wm_seen[1 - s], off = j->retain_off[s];
	if (w == INT64_MIN)
		return INT64_MIN;
	if (off > 0 && w > INT64_MAX - off)
		return INT64_MAX;
	if (off < 0 && w < INT64_MIN - off)
		return INT64_MIN;
	return w + off;
}

/* Is input row r of side s dead on arrival (time NULL or <= bound)? */
static inline bool
dead_row(const rjoin *j, const sl_chunk *in, uint32_t r, int s, int64_t bound)
{
	int c = j->retain_col[s];
	return !sl_vec_valid(in->cols[c], r) || sl_join_time(in, r, c) <= bound;
}

/* Is stored row (bytes, len) of side s dead? Decodes its columns up to
 * the time column into a scratch row. -1 if the bytes do not decode. */
static int
stored_dead(rjoin *j, int s, const void *bytes, size_t len, int64_t bound)
{
	uint32_t row;
	int tc = j->retain_col[s];
	if (j->dchunk && (j->dside != s || sl_chunk_full(j->dchunk))) {
		sl_chunk_unref(j->dchunk);
		j->dchunk = NULL;
	}
	if (!j->dchunk) {
		j->dchunk = sl_chunk_pool_get(j->dpool[s]);
		j->dside = s;
	}
	row = sl_chunk_append_row(j->dchunk);
	if (sl_key_decode(bytes, len, j->dchunk, row, j->allcols, tc + 1) == 0)
		return -1;
	return dead_row(j, j->dchunk, row, s, bound) ? 1 : 0;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}


/* Keep the live rows of the encoded list (val, vlen) in j->recbuf;
 * *ndead, *nlive count them. false if a row does not decode. */
static bool
live_rows(rjoin *j, int s, const void *val, size_t vlen, bool keyed, size_t *ndead, size_t *nlive)
{
	const void *e;
	size_t pos = 0, elen;
	*ndead = *nlive = 0;
	sl_strbuf_reset(&j->recbuf);
	while (sl_state_list_next(val, vlen, &pos, &e, &elen)) {
		const void *row = e, *key;
		size_t rlen = elen, klen;
		int d;
		if (keyed && !bucket_elem(e, elen, &key, &klen, &row, &rlen))
			return false;
		d = stored_dead(j, s, row, rlen, j->sweep_bound);
		if (d < 0)
			return false;
		if (d) {
			(*ndead)++;
			continue;
		}
		(*nlive)++;
		sl_strbuf_appendn(&j->recbuf, (const char *)val + pos - elen - 4, elen + 4);
	}
	return true;
}

/* sweep of a spill map (user key = tag + number, value = rows as a list) */
static bool
sweep_spill_fn(void *ctx, const void *key, size_t klen, const void *ukey, size_t uklen,
               const void *val, size_t vlen, sl_error **errp)
{
	rjoin *j = ctx;
	int s = j->sweep_side;
	size_t ndead, nlive;
	bool keyed = uklen == 9 && ((const unsigned char *)ukey)[0] == SPILL_BUCKET_TAG;
	if (!live_rows(j, s, val, vlen, keyed, &ndead, &nlive))
		return corrupt(errp);
	if (nlive)
		sl_vec_push(&j->livespill, sl_hash64(key, klen, 0));
	if (ndead == 0)
		return true;
	j->dropped[s] += ndead;
	if (nlive == 0)
		return sl_state_map_remove(j->side[s].spill, key, klen, ukey, uklen, errp);
	/* an open chunk takes appends again up to SPILL_CHUNK_BYTES */
	return sl_state_map_put(j->side[s].spill, key, klen, ukey, uklen, j->recbuf.data, j->recbuf.len,
	                        errp);
}

/* sweep of a MAP side (user key = row, value = counts) */
static bool
sweep_map_fn(void *ctx, const void *key, size_t klen, const void *ukey, size_t uklen,
             const void *val, size_t vlen, sl_error **errp)
{
	rjoin *j = ctx;
	int s = j->sweep_side, d = stored_dead(j, s, ukey, uklen, j->sweep_bound);
	(void)val, (void)vlen;
	if (d < 0)
		return corrupt(errp);
	if (d == 0)
		return true;
	j->dropped[s]++;
	return sl_state_map_remove(j->side[s].ms, key, klen, ukey, uklen, errp);
}

/* sweep of a LIST side: keep the live rows of each list */
static bool
sweep_list_fn(void *ctx, const void *key, size_t klen, const void *ukey, size_t uklen,
              const void *val, size_t vlen, sl_error **errp)
{
	rjoin *j = ctx;
	int s = j->sweep_side;
	size_t ndead, nlive;
	(void)ukey, (void)uklen;
	if (!live_rows(j, s, val, vlen, false, &ndead, &nlive))
		return corrupt(errp);
	if (ndead == 0)
		return true;
	if (vlen >= j->spill_bytes && j->livespill.n) {
		/* full, with live spilled rows: stays full (see the header) */
		uint64_t h = sl_hash64(key, klen, 0);
		if (bsearch(&h, j->livespill.v, j->livespill.n, sizeof h, u64_cmp))
			return true;
	}
	/* no live spilled rows under the key: its chunks are gone, so its
	 * numbering restarts at chunk 0 (a probe point-reads 0 .. the open
	 * one, so a number left behind would cost a miss per swept chunk) */
	if (vlen >= j->spill_bytes && !j->side[s].blind && !sl_state_value_delete(j->side[s].cur, key, klen, errp))
		return false;
	j->dropped[s] += ndead;
	if (nlive == 0)
		return sl_state_list_clear(j->side[s].ls, key, klen, errp);
	return sl_state_list_put(j->side[s].ls, key, klen, j->recbuf.data, j->recbuf.len, errp);
}

/* Drop side s's rows with time <= bound. */
static bool
sweep(rjoin *j, int s, int64_t bound, sl_error **errp)
{
	jstore *me = &j->side[s];
	bool ok;
	j->sweep_side = s;
	j->sweep_bound = bound;
	j->livespill.n = 0;
	j->sweeps[s]++;
	if (me->map) {
		ok = sl_state_scan(me->ms, sweep_map_fn, j, errp);
	} else {
		ok = (j->spill_bytes == SIZE_MAX || sl_state_scan(me->spill, sweep_spill_fn, j, errp));
		if (ok && j->livespill.n)
			qsort(j->livespill.v, j->livespill.n, sizeof(uint64_t), u64_cmp);
		ok = ok && sl_state_scan(me->ls, sweep_list_fn, j, errp);
	}
	if (j->dchunk) {
		sl_chunk_unref(j->dchunk);
		j->dchunk = NULL;
	}
	return ok;
}

/* The minimum watermark over the ports advanced: sweep the retained
 * sides whose bound moved far enough, then forward it. */
static bool
rj_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	rjoin *j = op->priv;
	for (int s = 0; s < 2; s++) {
		int64_t b;
		if (!j->retain[s])
			continue;
		b = retain_bound(j, op, s);
		/* +inf: the other input ended, nothing will be probed again */
		if (b == INT64_MIN || b >= INT64_MAX / 2)
			continue;
		if (j->swept[s] != INT64_MIN && b - j->swept[s] < j->sweep_step[s])
			continue;
		j->swept[s] = b;
		if (!sweep(j, s, b, errp))
			return false;
	}
	return sl_op_emit_watermark(op, wm, errp);
}

static bool
rj_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	rjoin *j = op->priv;
	int s = port;
	jstore *me = &j->side[s];
	uint32_t live = sl_chunk_live(in);
	const int *keys = j->keys[s];
	bool retain = j->retain[s];
	int64_t bound = retain ? retain_bound(j, op, s) : INT64_MIN;
	for (uint32_t ii = 0; ii < live; ii++) {
		uint32_t r = in->sel ? in->sel[ii] : ii;
		sl_row_kind kind = (sl_row_kind)in->kinds[r];
		bool acc = kind == SL_ROW_INSERT || kind == SL_ROW_UPDATE_AFTER;
		bool keynull = sl_join_key_has_null(in, r, keys, j->nkeys);
		if (!keynull) {
			sl_join_key(in, r, keys, j->nkeys, &j->key);
			j->side[1 - s].probes++;
			j->side[1 - s].blind_probes += j->side[1 - s].blind;
		}
		if (j->inner) {
			if (keynull)
				continue;
			if (!probe_inner(j, s, in, r, acc ? SL_ROW_INSERT : SL_ROW_DELETE, errp))
				goto fail;
			if (retain && dead_row(j, in, r, s, bound)) {
				/* no future row of the other side can match it; a
				 * retraction of it only probes (the other side's rows
				 * it matched are still stored) */
				j->skipped[s]++;
				continue;
			}
			if (!me->map) {
				sl_join_encode_row(in, r, j->allcols, j->n[s], &j->row);
				if (!list_add(j, me, errp))
					goto fail;
				continue;
			}
			sl_join_encode_row(in, r, j->allcols, j->n[s], &j->row);
			size_t vlen;
			bool created;
			int64_t *v = sl_state_map_get_for_update(me->ms, j->key.data, j->key.len, j->row.data,
			                                         j->row.len, 16, &vlen, &created, errp);
			if (!v)
				goto fail;
			if (acc) {
				v[0] = created ? 1 : v[0] + 1;
				v[1] = 0;
			} else if (created || v[0] <= 1) {
				if (!sl_state_map_remove(me->ms, j->key.data, j->key.len, j->row.data, j->row.len,
				                         errp))
					goto fail;
			} else {
				v[0]--;
			}
			continue;
		}
		if (!keynull)
			sl_join_encode_row(in, r, j->allcols, j->n[s], &j->row);
		if (j->semi || j->anti ? !probe_semi(j, s, in, r, acc, keynull, errp)
		                       : !probe_outer(j, s, in, r, acc, keynull, errp))
			goto fail;
	}
	sl_chunk_unref(in);
	return sl_jout_flush(&j->jo, errp);
fail:
	sl_chunk_unref(in);
	return false;
}

static bool
rj_snapshot(sl_op *op, uint64_t id, sl_error **errp)
{
	rjoin *j = op->priv;
	(void)id;
	(void)errp;
	unsigned char blind[2] = {j->side[0].blind, j->side[1].blind};
	unsigned char bucket[2] = {j->side[0].bucket_rows, j->side[1].bucket_rows};
	sl_state_op_put(j->st, "join.seq", &j->seq, 8);
	sl_state_op_put(j->st, "join.blind", blind, 2);
	sl_state_op_put(j->st, "join.bucket", bucket, 2);
	return true;
}

static void
rj_close(sl_op *op)
{
	rjoin *j = op->priv;
	sl_jout_free(&j->jo);
	if (j->cprog)
		sl_rexpr_prog_free(j->cprog);
	j->cprog = NULL;
	if (j->cpool)
		sl_chunk_pool_free(j->cpool);
	j->cpool = NULL;
	sl_strbuf_free(&j->key);
	sl_strbuf_free(&j->row);
	sl_strbuf_free(&j->recbuf);
	sl_strbuf_free(&j->one);
	sl_strbuf_free(&j->mig);
	sl_vec_free(&j->bchunks);
	free(j->bkeys);
	j->bkeys = NULL;
	free(j->recs);
	j->recs = NULL;
	if (j->dchunk)
		sl_chunk_unref(j->dchunk);
	j->dchunk = NULL;
	for (int s = 0; s < 2; s++) {
		if (j->dpool[s])
			sl_chunk_pool_free(j->dpool[s]);
		j->dpool[s] = NULL;
		if (!j->side[s].map && getenv("SLUICE_STATE_STATS"))
			fprintf(stderr,
			        "sluice: Join (subtask %d) %s input: %s appends, %llu to buckets, %llu bucket rows "
			        "read%s\n",
			        op->subtask + 1, s ? "right" : "left", j->side[s].blind ? "blind" : "list",
			        (unsigned long long)j->side[s].bucket_appends,
			        (unsigned long long)j->side[s].bucket_read,
			        j->side[s].bucket_done ? ", buckets left" : "");
		if (j->retain[s] && getenv("SLUICE_STATE_STATS"))
			fprintf(stderr,
			        "sluice: Join (subtask %d) %s input: watermark retention skipped %llu rows, "
			        "%llu sweeps dropped %llu\n",
			        op->subtask + 1, s ? "right" : "left", (unsigned long long)j->skipped[s],
			        (unsigned long long)j->sweeps[s], (unsigned long long)j->dropped[s]);
	}
	sl_vec_free(&j->livespill);
}

static const sl_op_ops rj_ops = {
	.name = "Join", .open = rj_open, .push = rj_push, .watermark = rj_watermark,
	.snapshot = rj_snapshot, .close = rj_close,
};

bool
sl_op_init_join(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	rjoin *j = SL_ANEW(a, rjoin);
	j->n[0] = r->inputs[0]->nfields;
	j->n[1] = r->inputs[1]->nfields;
	j->keys[0] = r->keys;
	j->keys[1] = r->rkeys;
	j->nkeys = r->nkeys;
	j->allcols = sl_join_cols(a, 0, j->n[0] + j->n[1]);
	j->inner = r->join_type == SL_JT_INNER;
	j->semi = r->join_type == SL_JT_SEMI;
	j->anti = r->join_type == SL_JT_ANTI;
	/* SEMI/ANTI track the left rows' match counts like an outer side */
	j->side[0].outer = r->join_type == SL_JT_LEFT || r->join_type == SL_JT_FULL || j->semi || j->anti;
	j->side[1].outer = r->join_type == SL_JT_RIGHT || r->join_type == SL_JT_FULL;
	for (int s = 0; s < 2; s++) {
		bool upd = (r->inputs[s]->changelog.kinds & (SL_CL_UB | SL_CL_UA | SL_CL_D)) != 0;
		j->side[s].map = upd || j->side[s].outer;
	}
	for (int s = 0; s < 2; s++)
		j->ttl_ms[s] = r->hint_ttl_ms[s] > 0 ? r->hint_ttl_ms[s] : r->state_ttl_ms;
	j->spill_bytes = j->ttl_ms[0] > 0 || j->ttl_ms[1] > 0 ? SIZE_MAX : SPILL_BYTES;
	if (r->cond && !(j->cond = sl_lower_expr(a, r->cond, errp)))
		return false;
	for (int s = 0; s < 2; s++) {
		if (!r->retain[s] || !j->inner)
			continue;
		j->retain[s] = true;
		j->retain_col[s] = r->retain_col[s];
		j->retain_off[s] = r->retain_off_us[s];
		j->sweep_step[s] = SL_MAX(MIN_SWEEP_STEP_US, (r->retain_off_us[s] < 0 ? -r->retain_off_us[s]
		                                                                      : r->retain_off_us[s]) / 2);
		j->stypes[s] = SL_ANEWN(a, const sl_type *, j->n[s] + 1);
		for (int i = 0; i < j->n[s]; i++)
			j->stypes[s][i] = r->inputs[s]->fields[i].type;
	}
	j->types = sl_op_field_types(a, r);
	j->ctypes = SL_ANEWN(a, const sl_type *, j->n[0] + j->n[1] + 1);
	for (int i = 0; i < j->n[0]; i++)
		j->ctypes[i] = r->inputs[0]->fields[i].type;
	for (int i = 0; i < j->n[1]; i++)
		j->ctypes[j->n[0] + i] = r->inputs[1]->fields[i].type;
	op->ops = &rj_ops;
	op->priv = j;
	return true;
}
