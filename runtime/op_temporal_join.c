/*
 * op_temporal_join.c
 *	  Two joins against a table that changes over time.
 *
 *	  TemporalJoin — `JOIN v FOR SYSTEM_TIME AS OF l.rowtime ON l.k = v.pk`
 *	  on event time (INNER or LEFT), as Flink's TemporalRowTimeJoinOperator:
 *	  port 0 the probe rows, port 1 the versioned table's changelog (a
 *	  table with a primary key and a rowtime), both hash-partitioned by the
 *	  key. State (sl_op_state(op)):
 *	    "tp"  map (key, [t: 8 B BE][stored probe row]) -> int64 count
 *	    "tv"  map (key, [t: 8 B BE]) -> [1 byte: 1 row, 0 deleted][stored row]
 *	          (the version valid from t on; a later change at the same t
 *	          replaces it)
 *	    "tjt" event-time timers (t, key) for probe rows and versions.
 *	  A probe row waits until the watermark (minimum of both inputs)
 *	  reaches its time t; then it joins the version with the largest
 *	  time <= t (+I joined; no version, a deleted one, or a false residual
 *	  condition: nothing, or +I padded for LEFT). The timer also drops
 *	  every version older than the newest one at or before the watermark
 *	  (that one too when it is a delete), so the state holds one version
 *	  per key plus the ones still ahead of the watermark. -U rows of the
 *	  versioned side are ignored (the +U that follows replaces the version),
 *	  -D writes a deleted version. Probe rows must be append-only.
 *
 *	  LookupJoin — `FOR SYSTEM_TIME AS OF l.proctime` (Nexmark q13): port 0
 *	  the probe rows (chained, not exchanged), port 1 a bounded table,
 *	  broadcast to every subtask. The table is loaded completely into an
 *	  in-memory hash table (key bytes -> stored rows) before any probe row
 *	  is joined: probe chunks that arrive earlier are held (references,
 *	  in order) and joined once port 1 has ended, before any later chunk,
 *	  watermark or end-of-input is passed on. The table is a cache of an
 *	  external bounded source, not keyed state (every subtask holds all of
 *	  it, outside its key-group range): a restore reads it again. A
 *	  checkpoint that reaches the operator while probe rows are held fails
 *	  (they are in no state and the source position is already past them).
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_temporal_join, sl_op_init_lookup_join
 */
#include "runtime/join_common.h"
#include "state/state.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * TemporalJoin (event time)
 * ------------------------------------------------------------------- */
typedef struct tprobe {
	size_t off, len;            /* ukey [t][row] in tj->pbuf */
	int64_t count;
} tprobe;

typedef struct tversion {
	size_t off, len;            /* ukey [t] + value [flag][row] in tj->vbuf */
	size_t voff, vlen;
	int64_t t;
} tversion;

typedef struct tjoin {
	sl_join_base b;             /* sides, keys, LEFT (outer[0]), cond, output */
	int tcol[2];                /* probe time column, version rowtime column */
	/* per thread */
	sl_state_map *pm, *vm;
	sl_state_timers *tm;
	sl_strbuf key, ukey, val, pbuf, vbuf;
	tprobe *probes;
	size_t np, capp;
	tversion *vers;
	size_t nv, capv;
} tjoin;

static bool
tj_open(sl_op *op, sl_error **errp)
{
	tjoin *j = op->priv;
	sl_state *st = sl_op_state(op, errp);
	if (!st || !(j->pm = sl_state_map_open(st, "tp", &(sl_state_desc){0}, errp)) ||
	    !(j->vm = sl_state_map_open(st, "tv", &(sl_state_desc){0}, errp)) ||
	    !(j->tm = sl_state_timers_open(st, "tjt", errp)))
		return false;
	if (!sl_join_base_open(&j->b, op, false, errp))
		return false;
	return true;
}

static bool
tj_push(sl_op *op, int s, sl_chunk *in, sl_error **errp)
{
	tjoin *j = op->priv;
	uint32_t live = sl_chunk_live(in);
	for (uint32_t ii = 0; ii < live; ii++) {
		uint32_t r = in->sel ? in->sel[ii] : ii;
		sl_row_kind k = (sl_row_kind)in->kinds[r];
		unsigned char be[8];
		int64_t t;
		if (!sl_vec_valid(in->cols[j->tcol[s]], r))
			continue;
		t = sl_join_time(in, r, j->tcol[s]);
		if (sl_join_key_has_null(in, r, j->b.keys[s], j->b.nkeys)) {
			if (s == 0 && j->b.outer[0] &&
			    !sl_jout_row(&j->b.jo, SL_ROW_INSERT, SL_JSRC_CHUNK(in, r), SL_JSRC_NULL, errp))
				goto fail;
			continue;
		}
		sl_join_key(in, r, j->b.keys[s], j->b.nkeys, &j->key);
		sl_join_be64(be, t);
		sl_strbuf_reset(&j->ukey);
		sl_strbuf_appendn(&j->ukey, (const char *)be, 8);
		if (s == 0) {
			size_t vlen;
			bool created;
			int64_t *cnt;
			if (k != SL_ROW_INSERT && k != SL_ROW_UPDATE_AFTER)
				continue;   /* append-only probe side */
			sl_key_encode(in, r, j->b.allcols, j->b.n[0], &j->ukey);
			cnt = sl_state_map_get_for_update(j->pm, j->key.data, j->key.len, j->ukey.data,
			                                  j->ukey.len, 8, &vlen, &created, errp);
			if (!cnt)
				goto fail;
			*cnt = created ? 1 : *cnt + 1;
		} else {
			if (k == SL_ROW_UPDATE_BEFORE)
				continue;
			sl_strbuf_reset(&j->val);
			sl_strbuf_appendc(&j->val, k == SL_ROW_DELETE ? 0 : 1);
			if (k != SL_ROW_DELETE)
				sl_key_encode(in, r, j->b.allcols, j->b.n[1], &j->val);
			if (!sl_state_map_put(j->vm, j->key.data, j->key.len, j->ukey.data, 8, j->val.data,
			                      j->val.len, errp))
				goto fail;
		}
		if (!sl_state_timer_register(j->tm, SL_TIMER_EVENT, t, j->key.data, j->key.len, errp))
			goto fail;
	}
	sl_chunk_unref(in);
	return sl_jout_flush(&j->b.jo, errp);
fail:
	sl_chunk_unref(in);
	return false;
}

/* Does (probe row, version row) satisfy the residual condition? */
static int
tj_cond(tjoin *j, sl_jside_src l, sl_jside_src r, sl_error **errp)
{
	sl_chunk *c;
	uint32_t row;
	int64_t n;
	if (!j->b.cprog)
		return 1;
	c = sl_chunk_pool_get(j->b.cpool);
	row = sl_chunk_append_row(c);
	if (!sl_join_fill(c, row, 0, j->b.n[0], j->b.allcols, l) ||
	    !sl_join_fill(c, row, j->b.n[0], j->b.n[1], j->b.allcols + j->b.n[0], r)) {
		sl_chunk_unref(c);
		*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "TemporalJoin: a stored row does not decode");
		return -1;
	}
	n = sl_rexpr_filter(j->b.cprog, c, errp);
	sl_chunk_unref(c);
	return n < 0 ? -1 : n > 0;
}

static bool
tj_fire(void *ctx, sl_timer_domain dom, int64_t time, const void *key, size_t klen, sl_error **errp)
{
	tjoin *j = ctx;
	const void *uk, *v;
	size_t uklen, vlen;
	int f;
	size_t vi = 0, keep_from = 0;
	sl_state_map_iter *it;
	(void)dom;
	/* probe rows due */
	j->np = 0;
	sl_strbuf_reset(&j->pbuf);
	if (!(it = sl_state_map_iter_new(j->pm, key, klen, errp)))
		return false;
	while ((f = sl_state_map_iter_next(it, &uk, &uklen, &v, &vlen, errp)) == 1) {
		if (uklen < 8 || sl_join_from_be64(uk) > time)
			break;
		if (j->np == j->capp) {
			size_t nc = j->capp ? j->capp * 2 : 64;
			tprobe *np = sl_xrealloc(j->probes, nc * sizeof *np);
			j->probes = np;
			j->capp = nc;
		}
		j->probes[j->np] = (tprobe){j->pbuf.len, uklen, 0};
		memcpy(&j->probes[j->np].count, v, 8);
		j->np++;
		sl_strbuf_appendn(&j->pbuf, uk, uklen);
	}
	sl_state_map_iter_free(it);
	if (f < 0)
		return false;
	/* versions up to the timer's time */
	j->nv = 0;
	sl_strbuf_reset(&j->vbuf);
	if (!(it = sl_state_map_iter_new(j->vm, key, klen, errp)))
		return false;
	while ((f = sl_state_map_iter_next(it, &uk, &uklen, &v, &vlen, errp)) == 1) {
		if (uklen < 8 || sl_join_from_be64(uk) > time)
			break;
		if (j->nv == j->capv) {
			size_t nc = j->capv ? j->capv * 2 : 64;
			tversion *nv = sl_xrealloc(j->vers, nc * sizeof *nv);
			j->vers = nv;
			j->capv = nc;
		}
		j->vers[j->nv] = (tversion){j->vbuf.len, uklen, j->vbuf.len + uklen, vlen, sl_join_from_be64(uk)};
		j->nv++;
		sl_strbuf_appendn(&j->vbuf, uk, uklen);
		sl_strbuf_appendn(&j->vbuf, v, vlen);
	}
	sl_state_map_iter_free(it);
	if (f < 0)
		return false;
	/* probes and versions are both in time order: merge */
	for (size_t p = 0; p < j->np; p++) {
		tprobe *pr = &j->probes[p];
		int64_t t = sl_join_from_be64((const unsigned char *)j->pbuf.data + pr->off);
		sl_jside_src l = SL_JSRC_BYTES(j->pbuf.data + pr->off + 8, pr->len - 8);
		sl_jside_src rv = SL_JSRC_NULL;
		int ok = 0;
		while (vi < j->nv && j->vers[vi].t <= t)
			vi++;
		if (vi > 0) {
			tversion *ver = &j->vers[vi - 1];
			const char *vb = j->vbuf.data + ver->voff;
			if (ver->vlen >= 1 && vb[0] == 1) {
				rv = SL_JSRC_BYTES(vb + 1, ver->vlen - 1);
				if ((ok = tj_cond(j, l, rv, errp)) < 0)
					return false;
			}
		}
		for (int64_t c = 0; c < pr->count; c++)
			if ((ok || j->b.outer[0]) &&
			    !sl_jout_row(&j->b.jo, SL_ROW_INSERT, l, ok ? rv : SL_JSRC_NULL, errp))
				return false;
		if (!sl_state_map_remove(j->pm, key, klen, j->pbuf.data + pr->off, pr->len, errp))
			return false;
	}
	/* keep the newest version at or before `time` (unless deleted) */
	if (j->nv > 0) {
		tversion *last = &j->vers[j->nv - 1];
		keep_from = j->nv - 1;
		if (last->vlen < 1 || j->vbuf.data[last->voff] == 0)
			keep_from = j->nv;
	}
	for (size_t i = 0; i < keep_from; i++)
		if (!sl_state_map_remove(j->vm, key, klen, j->vbuf.data + j->vers[i].off, j->vers[i].len, errp))
			return false;
	return true;
}

static bool
tj_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	tjoin *j = op->priv;
	if (sl_state_timers_advance(j->tm, SL_TIMER_EVENT, wm, tj_fire, j, errp) < 0)
		return false;
	if (!sl_jout_flush(&j->b.jo, errp))
		return false;
	return sl_op_emit_watermark(op, wm, errp);
}

static void
tj_close(sl_op *op)
{
	tjoin *j = op->priv;
	sl_join_base_close(&j->b);
	sl_strbuf_free(&j->key);
	sl_strbuf_free(&j->ukey);
	sl_strbuf_free(&j->val);
	sl_strbuf_free(&j->pbuf);
	sl_strbuf_free(&j->vbuf);
	free(j->probes);
	free(j->vers);
	j->probes = NULL;
	j->vers = NULL;
}

static const sl_op_ops tj_ops = {
	.name = "TemporalJoin", .open = tj_open, .push = tj_push, .watermark = tj_watermark,
	.close = tj_close,
};

static int
version_time_col(const sl_rel *in)
{
	if (in->rowtime_col >= 0)
		return in->rowtime_col;
	for (int i = 0; i < in->nfields; i++)
		if (in->fields[i].type->time_attr == SL_TIME_ATTR_ROWTIME)
			return i;
	return -1;
}

static bool
check_type(const sl_rel *r, sl_error **errp)
{
	if (r->join_type != SL_JT_INNER && r->join_type != SL_JT_LEFT) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "a temporal or lookup join is INNER or LEFT");
		return false;
	}
	return true;
}

bool
sl_op_init_temporal_join(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	tjoin *j = SL_ANEW(a, tjoin);
	if (!check_type(r, errp))
		return false;
	j->tcol[0] = r->left_time_col;
	j->tcol[1] = version_time_col(r->inputs[1]);
	if (j->tcol[0] < 0 || j->tcol[1] < 0) {
		*errp = sl_error_new(SL_ERR_TIME_ATTRIBUTE, r->span,
		                     "an event-time temporal join needs a rowtime on both inputs");
		return false;
	}
	if (!sl_join_base_init(&j->b, r, a, errp))
		return false;
	op->ops = &tj_ops;
	op->priv = j;
	return true;
}

/* ---------------------------------------------------------------------
 * LookupJoin (processing time, bounded table in memory)
 * ------------------------------------------------------------------- */
typedef struct lentry {
	uint64_t hash;
	uint32_t next;              /* chain; UINT32_MAX ends */
	uint32_t klen, rlen;
	size_t koff, roff;          /* into lj->bytes */
} lentry;

typedef struct ljoin {
	sl_join_base b;             /* sides, keys, LEFT (outer[0]), cond, output */
	/* per thread */
	sl_strbuf bytes, key, row;
	lentry *ents;
	uint32_t nents, capents;
	uint32_t *buckets;
	uint32_t nbuckets;          /* power of two */
	sl_chunk **held;            /* probe chunks waiting for the table */
	size_t nheld, capheld;
	bool loaded;
	int64_t held_wm;            /* watermark held back while loading */
} ljoin;

static bool
lj_open(sl_op *op, sl_error **errp)
{
	ljoin *j = op->priv;
	if (!sl_join_base_open(&j->b, op, true, errp))
		return false;
	j->held_wm = INT64_MIN;
	return true;
}

static void
lj_rehash(ljoin *j)
{
	uint32_t nb = j->nbuckets ? j->nbuckets * 2 : 1024;
	uint32_t *b = sl_xmalloc((size_t)nb * sizeof *b);
	memset(b, 0xff, (size_t)nb * sizeof *b);
	for (uint32_t i = 0; i < j->nents; i++) {
		uint32_t h = (uint32_t)(j->ents[i].hash & (nb - 1));
		j->ents[i].next = b[h];
		b[h] = i;
	}
	free(j->buckets);
	j->buckets = b;
	j->nbuckets = nb;
}

static bool
lj_load(ljoin *j, const sl_chunk *in, sl_error **errp)
{
	uint32_t live = sl_chunk_live(in);
	for (uint32_t ii = 0; ii < live; ii++) {
		uint32_t r = in->sel ? in->sel[ii] : ii;
		lentry *e;
		if (in->kinds[r] != SL_ROW_INSERT && in->kinds[r] != SL_ROW_UPDATE_AFTER)
			continue;   /* a bounded table is read once: inserts only */
		if (sl_join_key_has_null(in, r, j->b.keys[1], j->b.nkeys))
			continue;
		if (j->nents == j->capents) {
			uint32_t nc = j->capents ? j->capents * 2 : 1024;
			lentry *ne = sl_xrealloc(j->ents, (size_t)nc * sizeof *ne);
			j->ents = ne;
			j->capents = nc;
		}
		sl_join_key(in, r, j->b.keys[1], j->b.nkeys, &j->key);
		sl_join_encode_row(in, r, j->b.allcols, j->b.n[1], &j->row);
		e = &j->ents[j->nents];
		e->hash = sl_hash64(j->key.data, j->key.len, 0);
		e->koff = j->bytes.len;
		e->klen = (uint32_t)j->key.len;
		sl_strbuf_appendn(&j->bytes, j->key.data, j->key.len);
		e->roff = j->bytes.len;
		e->rlen = (uint32_t)j->row.len;
		sl_strbuf_appendn(&j->bytes, j->row.data, j->row.len);
		j->nents++;
		if (j->nents > j->nbuckets / 2) {
			lj_rehash(j);
		} else {
			uint32_t h = (uint32_t)(e->hash & (j->nbuckets - 1));
			e->next = j->buckets[h];
			j->buckets[h] = j->nents - 1;
		}
	}
	return true;
}

/* Join a probe chunk against the loaded table. */
static bool
lj_probe(ljoin *j, sl_chunk *in, sl_error **errp)
{
	uint32_t live = sl_chunk_live(in);
	for (uint32_t ii = 0; ii < live; ii++) {
		uint32_t r = in->sel ? in->sel[ii] : ii;
		sl_jside_src self = SL_JSRC_CHUNK(in, r);
		sl_row_kind k = in->kinds[r] == SL_ROW_INSERT || in->kinds[r] == SL_ROW_UPDATE_AFTER
		                    ? SL_ROW_INSERT : SL_ROW_DELETE;
		bool found = false;
		if (j->nbuckets && !sl_join_key_has_null(in, r, j->b.keys[0], j->b.nkeys)) {
			uint64_t h;
			sl_join_key(in, r, j->b.keys[0], j->b.nkeys, &j->key);
			h = sl_hash64(j->key.data, j->key.len, 0);
			for (uint32_t i = j->buckets[h & (j->nbuckets - 1)]; i != UINT32_MAX; i = j->ents[i].next) {
				const lentry *e = &j->ents[i];
				if (e->hash != h || e->klen != j->key.len ||
				    memcmp(j->bytes.data + e->koff, j->key.data, e->klen) != 0)
					continue;
				found = true;
				if (!sl_jout_row(&j->b.jo, k, self, SL_JSRC_BYTES(j->bytes.data + e->roff, e->rlen), errp))
					return false;
			}
		}
		/* LEFT with a residual condition: padded rows are only right when
		 * no table row matched at all; with a condition, rejected
		 * candidates are not re-padded (documented limit). */
		if (!found && j->b.outer[0] && !sl_jout_row(&j->b.jo, k, self, SL_JSRC_NULL, errp))
			return false;
	}
	return true;
}

static bool
lj_drain(sl_op *op, sl_error **errp)
{
	ljoin *j = op->priv;
	if (j->loaded)
		return true;
	j->loaded = true;
	for (size_t i = 0; i < j->nheld; i++) {
		sl_chunk *c = j->held[i];
		j->held[i] = NULL;
		bool ok = lj_probe(j, c, errp);
		sl_chunk_unref(c);
		if (!ok || !sl_jout_flush(&j->b.jo, errp))
			return false;
	}
	j->nheld = 0;
	if (j->held_wm != INT64_MIN) {
		int64_t wm = j->held_wm;
		j->held_wm = INT64_MIN;
		return sl_op_emit_watermark(op, wm, errp);
	}
	return true;
}

static bool
lj_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	ljoin *j = op->priv;
	bool ok;
	if (port == 1) {
		ok = lj_load(j, in, errp);
		sl_chunk_unref(in);
		return ok;
	}
	if (!j->loaded && op->port_ended[1] && !lj_drain(op, errp)) {
		sl_chunk_unref(in);
		return false;
	}
	if (!j->loaded) {
		if (j->nheld == j->capheld) {
			size_t nc = j->capheld ? j->capheld * 2 : 64;
			sl_chunk **nh = sl_xrealloc(j->held, nc * sizeof *nh);
			j->held = nh;
			j->capheld = nc;
		}
		j->held[j->nheld++] = in;
		return true;
	}
	ok = lj_probe(j, in, errp);
	sl_chunk_unref(in);
	return ok && sl_jout_flush(&j->b.jo, errp);
}

static bool
lj_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	ljoin *j = op->priv;
	/* a bounded table's last act before ending is its +inf watermark:
	 * then it is complete; until then the watermark waits behind the
	 * held probe rows (they are older) */
	if (!j->loaded && !op->port_ended[1] && op->port_wm[1] != INT64_MAX) {
		j->held_wm = wm;
		return true;
	}
	if (!lj_drain(op, errp))
		return false;
	return sl_op_emit_watermark(op, wm, errp);
}

static bool
lj_end(sl_op *op, sl_error **errp)
{
	return lj_drain(op, errp) && sl_op_emit_end(op, errp);
}

/* Held probe rows are not state: a checkpoint taken while the table is
 * still loading would lose them on restore (the source position is past
 * them), so it fails instead. Loading takes milliseconds. */
static bool
lj_snapshot(sl_op *op, uint64_t id, sl_error **errp)
{
	ljoin *j = op->priv;
	if (j->loaded || j->nheld == 0)
		return true;
	*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, op->rel->span,
	                     "checkpoint %llu reached a lookup join while its table was still loading",
	                     (unsigned long long)id);
	sl_error_set_hint(*errp, "start checkpoints later than the bounded table takes to load");
	return false;
}

static void
lj_close(sl_op *op)
{
	ljoin *j = op->priv;
	for (size_t i = 0; i < j->nheld; i++)
		if (j->held[i])
			sl_chunk_unref(j->held[i]);
	free(j->held);
	j->held = NULL;
	j->nheld = 0;
	sl_join_base_close(&j->b);
	sl_strbuf_free(&j->bytes);
	sl_strbuf_free(&j->key);
	sl_strbuf_free(&j->row);
	free(j->ents);
	free(j->buckets);
	j->ents = NULL;
	j->buckets = NULL;
}

static const sl_op_ops lj_ops = {
	.name = "LookupJoin", .open = lj_open, .push = lj_push, .watermark = lj_watermark,
	.end = lj_end, .snapshot = lj_snapshot, .close = lj_close,
};

bool
sl_op_init_lookup_join(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	ljoin *j = SL_ANEW(a, ljoin);
	if (!check_type(r, errp))
		return false;
	if (r->join_type == SL_JT_LEFT && r->cond) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "sluice run cannot execute a LEFT lookup join with a non-equi condition yet");
		return false;
	}
	if (!sl_join_base_init(&j->b, r, a, errp))
		return false;
	op->ops = &lj_ops;
	op->priv = j;
	return true;
}
