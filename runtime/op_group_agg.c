/*
 * op_group_agg.c
 *	  GroupAggregate: unbounded GROUP BY with an updating result. For each
 *	  input row (in order) the group's accumulators are updated in keyed
 *	  value state (state/state.h, key = runtime/key.h's encoding of the
 *	  group key, the same bytes the hash exchange routed by) and the
 *	  change is emitted as Flink's GroupAggFunction does without
 *	  mini-batch: +I for a new group, -U old / +U new when the result
 *	  changed (nothing when it did not), -D when the group's last row was
 *	  retracted.
 *
 *	  Aggregates: COUNT(*), COUNT(x), SUM, SUM0, AVG over integer, DOUBLE
 *	  and DECIMAL(p <= 18) arguments, MIN/MAX over fixed-width types, each
 *	  with an optional FILTER column, MIN/MAX over strings, COUNT(DISTINCT).
 *	  Input rows -U/-D retract: COUNT, SUM, AVG exactly; MIN/MAX over an
 *	  updating input (the input edge's changelog has -U or -D) keep the
 *	  multiset of their values in map state (see minmax_multiset), over an
 *	  append-only input only the current extreme. Other DISTINCT aggregates
 *	  are rejected at job build time. COUNT(DISTINCT) keeps its values per
 *	  view (the distinct aggregates of one argument): row counts per value
 *	  over an updating input, value-set containers for integers over an
 *	  append-only one (dset_update), seen bits per value otherwise.
 *
 *	  State value layout: int64 rows (rows accumulated, retractions
 *	  subtracted), then per aggregate a slot holding the int64 count of
 *	  non-NULL inputs and only as much of the value (int64, double or
 *	  int128 sum/min/max) as the aggregate needs (runtime/op.h; laid out
 *	  by sl_agg_specs_init; q17's eight aggregates take 120 bytes, not
 *	  264). Code works on an unpacked sl_agg_acc (sl_agg_acc_load/store).
 *
 *	  GlobalGroupAggregate (two-phase aggregation, planner/physical.c) is
 *	  the same operator over LocalGroupAggregate partials (op_local_agg.c):
 *	  each input row (keys, $acc) is merged with sl_agg_merge instead of
 *	  accumulated; the emitted changes follow the same rules.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_group_agg    GroupAggregate and GlobalGroupAggregate
 *	  sl_agg_specs_init, sl_agg_accumulate, sl_agg_merge, sl_agg_write
 *	                          (shared with windows and the Local operators)
 */
#include "runtime/op.h"
#include "runtime/agg_udf.h"
#include "runtime/key.h"
#include "state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct groupagg {
	int nkeys;
	const int *keys;
	int naggs;
	sl_aggspec *aggs;
	size_t vlen;
	const sl_type *const *types;
	sl_chunk_pool *pool;
	sl_chunk *out;
	sl_state *st;
	sl_state_value *vs;
	sl_state_map *dms;          /* COUNT(DISTINCT): (key, view#, value) -> rows per agg */
	sl_state_map *dss;          /* COUNT(DISTINCT) value sets: (key, view#, high bits)
	                             * -> container (see dset_update) */
	bool has_distinct;
	int nviews;                 /* distinct views: one per distinct argument column */
	int *view_arg;              /* per view: the argument column */
	bool *view_set;             /* per view: kept as value-set containers in dss */
	sl_strbuf dsbuf;            /* scratch: a container's array while it becomes bitmaps */
	int *view_naggs;            /* per view: aggregates sharing it */
	int *dview, *dslot;         /* per aggregate: its view and slot in it, or -1 */
	bool append_only;           /* input has no -U/-D: views are sets (seen bits) */
	int64_t *ddelta;            /* per aggregate: change of its distinct count */
	sl_strbuf key, ukey;
	sl_state_map *sms;          /* string MIN/MAX: (key, agg#) -> bytes (longer
	                             * than STR_INLINE, or over an updating input) */
	bool has_str;
	bool has_str_inline;        /* string MIN/MAX over an append-only input */
	bool has_str_multiset;      /* string MIN/MAX over an updating input */
	bool has_udf;               /* a C aggregate among the aggregates */
	int **view_aggs;            /* per view: its aggregates' numbers (view_naggs) */
	sl_strbuf *olds, *news;     /* per aggregate: value before / after the row */
	bool *olds_set, *news_set;
	sl_state_map **mms;         /* per aggregate: MIN/MAX value multiset, or NULL */
	bool has_multiset;
	sl_strbuf mkey;             /* scratch: a multiset user key */
	bool merge;                 /* GlobalGroupAggregate: rows are (keys, $acc) partials */
	int acc_col;                /* merge: the partial accumulator column */
	int64_t ttl_ms;             /* state TTL (hint, else table.exec.state.ttl); 0: none */
	unsigned char old[4096];
} groupagg;

static int64_t
read_int(const sl_vector *v, uint32_t r)
{
	switch (v->width) {
	case 1: return SL_VEC_DATA(v, int8_t)[r];
	case 2: return SL_VEC_DATA(v, int16_t)[r];
	case 4: return SL_VEC_DATA(v, int32_t)[r];
	default: return SL_VEC_DATA(v, int64_t)[r];
	}
}

static void
write_int(sl_vector *v, uint32_t r, int64_t x)
{
	switch (v->width) {
	case 1: SL_VEC_DATA(v, int8_t)[r] = (int8_t)x; break;
	case 2: SL_VEC_DATA(v, int16_t)[r] = (int16_t)x; break;
	case 4: SL_VEC_DATA(v, int32_t)[r] = (int32_t)x; break;
	default: SL_VEC_DATA(v, int64_t)[r] = x; break;
	}
}

void
sl_agg_write(const sl_aggspec *specs, int naggs, const unsigned char *accs, sl_chunk *out,
             uint32_t r, int first)
{
	for (int i = 0; i < naggs; i++) {
		const sl_aggspec *s = &specs[i];
		sl_agg_acc a;
		sl_vector *v = out->cols[first + i];
		if (s->is_str)
			continue;
		if (s->udf) {
			sl_agg_udf_write(s, i, accs, v, r);
			continue;
		}
		if (s->kind == SL_AGG_COUNT_STAR || s->kind == SL_AGG_COUNT) {
			/* the count alone (most aggregates of q15/q16: no unpacking) */
			int64_t cnt;
			memcpy(&cnt, accs + s->off, 8);
			write_int(v, r, cnt);
			continue;
		}
		sl_agg_acc_load(&specs[i], accs, &a);
		if (a.cnt == 0 && s->kind != SL_AGG_SUM0) {
			sl_vec_set_null(v, r);
			continue;
		}
		if (s->kind == SL_AGG_AVG) {
			if (s->vk == VK_DOUBLE)
				SL_VEC_DATA(v, double)[r] = a.v.d / (double)a.cnt;
			else if (s->vk == VK_INT && s->rtype->kind != SL_TYPE_DECIMAL &&
			         s->rtype->kind != SL_TYPE_DOUBLE)
				write_int(v, r, (int64_t)(a.v.dec / a.cnt));
			else if (s->rtype->kind == SL_TYPE_DOUBLE)
				SL_VEC_DATA(v, double)[r] = (double)a.v.dec / (double)a.cnt;
			else {
				/* DECIMAL: scale up to the result scale, divide HALF_UP */
				int up = s->rtype->scale - (s->vk == VK_DEC ? s->argtype->scale : 0);
				__int128 n = a.v.dec, q, rem;
				for (int k2 = 0; k2 < up; k2++)
					n *= 10;
				q = n / a.cnt;
				rem = n % a.cnt;
				if ((rem < 0 ? -rem : rem) * 2 >= a.cnt)
					q += n < 0 ? -1 : 1;
				if (s->rtype->precision <= 18)
					SL_VEC_DATA(v, int64_t)[r] = (int64_t)q;
				else
					SL_VEC_DATA(v, __int128)[r] = q;
			}
			continue;
		}
		/* SUM, SUM0, MIN, MAX: the value in the result representation */
		if (s->rtype->kind == SL_TYPE_DOUBLE || s->rtype->kind == SL_TYPE_FLOAT) {
			double d = s->vk == VK_DOUBLE ? a.v.d : (double)a.v.dec;
			if (s->rtype->kind == SL_TYPE_FLOAT)
				SL_VEC_DATA(v, float)[r] = (float)d;
			else
				SL_VEC_DATA(v, double)[r] = d;
		} else if (s->rtype->kind == SL_TYPE_DECIMAL && s->rtype->precision > 18) {
			SL_VEC_DATA(v, __int128)[r] = a.v.dec;
		} else if (s->vk == VK_DEC || s->kind == SL_AGG_SUM || s->kind == SL_AGG_SUM0) {
			write_int(v, r, (int64_t)a.v.dec);
		} else {
			write_int(v, r, a.v.i);
		}
	}
}

void
sl_agg_merge(const sl_aggspec *specs, int naggs, unsigned char *a, const unsigned char *b)
{
	int64_t ra, rb;
	memcpy(&ra, a, 8);
	memcpy(&rb, b, 8);
	ra += rb;
	memcpy(a, &ra, 8);
	for (int i = 0; i < naggs; i++) {
		const sl_aggspec *s = &specs[i];
		sl_agg_acc x, y;
		if (s->udf || s->distinct || s->is_str)
			continue;           /* kept by their owners (agg_udf.c, the operator) */
		sl_agg_acc_load(&specs[i], a, &x);
		sl_agg_acc_load(&specs[i], b, &y);
		if (s->kind == SL_AGG_MIN || s->kind == SL_AGG_MAX) {
			if (y.cnt > 0) {
				bool take = x.cnt <= 0;
				if (!take && s->vk == VK_DOUBLE)
					take = s->kind == SL_AGG_MIN ? y.v.d < x.v.d : y.v.d > x.v.d;
				else if (!take)
					take = s->kind == SL_AGG_MIN ? y.v.i < x.v.i : y.v.i > x.v.i;
				if (take)
					x.v = y.v;
			}
		} else if (s->kind != SL_AGG_COUNT && s->kind != SL_AGG_COUNT_STAR && s->arg >= 0) {
			if (s->vk == VK_DOUBLE)
				x.v.d += y.v.d;
			else
				x.v.dec += y.v.dec;
		}
		x.cnt += y.cnt;
		sl_agg_acc_store(&specs[i], a, &x);
	}
}

bool
sl_agg_accumulate(const sl_aggspec *specs, int naggs, unsigned char *accs, const sl_chunk *in,
                  uint32_t r, bool retract, sl_error **errp)
{
	int64_t sign = retract ? -1 : 1;
	for (int i = 0; i < naggs; i++) {
		const sl_aggspec *s = &specs[i];
		sl_agg_acc a;
		const sl_vector *v;
		if (s->distinct || s->is_str)
			continue;
		if (s->filter >= 0) {
			const sl_vector *f = in->cols[s->filter];
			if (!sl_vec_valid(f, r) || !SL_VEC_DATA(f, uint8_t)[r])
				continue;
		}
		if (s->udf) {
			if (!sl_agg_udf_accumulate(s, i, accs, in, r, retract, errp))
				return false;
			continue;
		}
		sl_agg_acc_load(&specs[i], accs, &a);
		if (s->kind == SL_AGG_COUNT_STAR || s->arg < 0) {
			a.cnt += sign;
			sl_agg_acc_store(&specs[i], accs, &a);
			continue;
		}
		v = in->cols[s->arg];
		if (!sl_vec_valid(v, r))
			continue;
		a.cnt += sign;
		if (s->kind == SL_AGG_MIN || s->kind == SL_AGG_MAX) {
			if (retract) {
				if (s->multiset) {
					/* the caller's value multiset fixes v (minmax_multiset) */
					sl_agg_acc_store(&specs[i], accs, &a);
					continue;
				}
				*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, SL_SPAN_NONE,
				                     "MIN/MAX over an updating input is not supported in this operator");
				return false;
			}
			if (s->vk == VK_DOUBLE) {
				double d = SL_VEC_DATA(v, double)[r];
				if (a.cnt == 1 || (s->kind == SL_AGG_MIN ? d < a.v.d : d > a.v.d))
					a.v.d = d;
			} else {
				int64_t x = read_int(v, r);
				if (a.cnt == 1 || (s->kind == SL_AGG_MIN ? x < a.v.i : x > a.v.i))
					a.v.i = x;
			}
		} else if (s->kind != SL_AGG_COUNT) {
			if (s->vk == VK_DOUBLE)
				a.v.d += sign * SL_VEC_DATA(v, double)[r];
			else
				a.v.dec += (__int128)sign * read_int(v, r);
		}
		sl_agg_acc_store(&specs[i], accs, &a);
	}
	return true;
}

static bool
ga_open(sl_op *op, sl_error **errp)
{
	groupagg *g = op->priv;
	if (!(g->st = sl_op_state(op, errp)))
		return false;
	/* table.exec.state.ttl or the STATE_TTL hint: a group idle that long
	 * is forgotten, as in Flink (its next row starts it anew with +I) */
	const sl_state_desc desc = {.ttl_ms = g->ttl_ms};
	if (!(g->vs = sl_state_value_open(g->st, "acc", &desc, errp)))
		return false;
	if (g->has_str && !(g->sms = sl_state_map_open(g->st, "strminmax", &desc, errp)))
		return false;
	for (int vw = 0; vw < g->nviews; vw++) {
		if (g->view_set[vw] && !g->dss &&
		    !(g->dss = sl_state_map_open(g->st, "distinctset", &desc, errp)))
			return false;
		if (!g->view_set[vw] && !g->dms &&
		    !(g->dms = sl_state_map_open(g->st, "distinct", &desc, errp)))
			return false;
	}
	for (int i = 0; i < g->naggs && g->has_multiset; i++) {
		char name[32];
		if (!g->aggs[i].multiset)
			continue;
		snprintf(name, sizeof name, "minmax.%d", i);
		if (!(g->mms[i] = sl_state_map_open(g->st, name, &desc, errp)))
			return false;
	}
	if (!sl_agg_udf_open(g->aggs, g->naggs, g->st, errp))   /* C aggregates' library state */
		return false;
	g->pool = sl_chunk_pool_new(g->types, op->rel->nfields, 0);
	return true;
}

/* ---------------------------------------------------------------------
 * MIN/MAX over an updating input keep, per group and aggregate, the
 * multiset of the values accumulated and not retracted: map state
 * "minmax.<agg#>", key = the group key, user key = the value in
 * runtime/key.h's memcomparable encoding (every byte complemented for MAX,
 * so for both the first entry in byte order is the extreme), value =
 * {int64 rows with this value; payload: the value as 8 bytes (int64 or
 * double, as the accumulator holds it) or the string's bytes}.
 * The accumulator (or, for strings, "strminmax") still holds the current
 * extreme, so an insert or a retraction of a non-extreme value costs one
 * map update; only retracting the last copy of the extreme reads the
 * multiset (one prefix iteration, which flushes that map's dirty entries).
 * ------------------------------------------------------------------- */

/* The multiset user key of row r's argument of aggregate i into g->mkey. */
static void
mm_ukey(groupagg *g, const sl_aggspec *s, const sl_chunk *in, uint32_t r)
{
	sl_strbuf_reset(&g->mkey);
	sl_key_encode(in, r, &s->arg, 1, &g->mkey);
	if (s->kind == SL_AGG_MAX)
		for (size_t k = 0; k < g->mkey.len; k++)
			g->mkey.data[k] = (char)~(unsigned char)g->mkey.data[k];
}

/* Add sign (+1/-1) copies of the value (payload plen bytes) under g->mkey
 * to aggregate i's multiset. *gone: the value's last copy was retracted. */
static bool
mm_update(groupagg *g, int i, int64_t sign, const void *payload, size_t plen, bool *gone,
          sl_error **errp)
{
	int64_t cnt;
	size_t vlen;
	bool created;
	unsigned char *p = sl_state_map_get_for_update(g->mms[i], g->key.data, g->key.len,
	                                               g->mkey.data, g->mkey.len, 8 + plen, &vlen,
	                                               &created, errp);
	if (!p)
		return false;
	memcpy(&cnt, p, 8);
	cnt += sign;
	if (created && plen)
		memcpy(p + 8, payload, plen);
	*gone = cnt <= 0;
	if (cnt <= 0)
		return sl_state_map_remove(g->mms[i], g->key.data, g->key.len, g->mkey.data,
		                           g->mkey.len, errp);
	memcpy(p, &cnt, 8);
	return true;
}

/* The extreme left in aggregate i's multiset: its payload appended to out.
 * Returns 1 found, 0 empty, -1 error. */
static int
mm_first(groupagg *g, int i, sl_strbuf *out, sl_error **errp)
{
	const void *uk, *v;
	size_t uklen, vlen;
	int rc;
	sl_state_map_iter *it = sl_state_map_iter_new(g->mms[i], g->key.data, g->key.len, errp);
	if (!it)
		return -1;
	rc = sl_state_map_iter_next(it, &uk, &uklen, &v, &vlen, errp);
	if (rc == 1 && vlen >= 8)
		sl_strbuf_appendn(out, (const char *)v + 8, vlen - 8);
	else if (rc == 1)
		rc = 0;
	sl_state_map_iter_free(it);
	return rc;
}

/* Numeric MIN/MAX multisets for row r, after sl_agg_accumulate updated the
 * count (and, for an insert, the extreme) in val. */
static bool
minmax_multiset(groupagg *g, const sl_chunk *in, uint32_t r, bool retract, unsigned char *val,
                sl_error **errp)
{
	for (int i = 0; i < g->naggs; i++) {
		const sl_aggspec *s = &g->aggs[i];
		const sl_vector *v;
		unsigned char payload[8];
		int64_t x = 0;
		double d = 0;
		bool gone;
		sl_agg_acc a;
		if (!s->multiset || s->is_str)
			continue;
		v = in->cols[s->arg];
		if (!sl_vec_valid(v, r))
			continue;
		if (s->filter >= 0) {
			const sl_vector *f = in->cols[s->filter];
			if (!sl_vec_valid(f, r) || !SL_VEC_DATA(f, uint8_t)[r])
				continue;
		}
		if (s->vk == VK_DOUBLE) {
			d = SL_VEC_DATA(v, double)[r];
			memcpy(payload, &d, 8);
		} else {
			x = read_int(v, r);
			memcpy(payload, &x, 8);
		}
		mm_ukey(g, s, in, r);
		if (!mm_update(g, i, retract ? -1 : 1, payload, 8, &gone, errp))
			return false;
		if (!retract || !gone)
			continue;
		sl_agg_acc_load(&g->aggs[i], val, &a);
		if (a.cnt <= 0)
			continue;           /* no value left: the result is NULL */
		/* the extreme changes only if the value gone was it (or better) */
		if (s->vk == VK_DOUBLE ? (s->kind == SL_AGG_MIN ? d > a.v.d : d < a.v.d)
		                       : (s->kind == SL_AGG_MIN ? x > a.v.i : x < a.v.i))
			continue;
		sl_strbuf_reset(&g->ukey);
		switch (mm_first(g, i, &g->ukey, errp)) {
		case -1:
			return false;
		case 1:
			if (g->ukey.len == 8) {
				if (s->vk == VK_DOUBLE)
					memcpy(&a.v.d, g->ukey.data, 8);
				else
					memcpy(&a.v.i, g->ukey.data, 8);
				sl_agg_acc_store(&g->aggs[i], val, &a);
			}
			break;
		default:
			break;
		}
	}
	return true;
}

/* ---------------------------------------------------------------------
 * String MIN/MAX over an append-only input: the current extreme lives in
 * the aggregate's own whole-sl_agg_acc slot when it is at most STR_INLINE bytes
 * (q16's MAX(minute) is 5): pad = length + 1, v = the bytes. A longer one
 * is kept in "strminmax" (key, agg#) with pad = 0, as before this layout
 * (so older checkpoints read back unchanged). This saves a map lookup per
 * row for short strings. Runs after the group's value was fetched; g->old
 * holds the value before the row.
 * ------------------------------------------------------------------- */
#define STR_INLINE 16

/* The extreme held by aggregate i's slot a into sb: 1 found, 0 none, -1 error. */
static int
str_slot_get(groupagg *g, int i, const sl_agg_acc *a, sl_strbuf *sb, sl_error **errp)
{
	unsigned char uk[2] = {(unsigned char)(i >> 8), (unsigned char)(i & 0xff)};
	const void *v;
	size_t vlen;
	int found;
	sl_strbuf_reset(sb);
	if (a->cnt <= 0)
		return 0;
	if (a->pad > 0) {
		sl_strbuf_appendn(sb, (const char *)&a->v, (size_t)(a->pad - 1));
		return 1;
	}
	found = sl_state_map_get(g->sms, g->key.data, g->key.len, uk, 2, &v, &vlen, errp);
	if (found == 1)
		sl_strbuf_appendn(sb, v, vlen);
	return found;
}

static bool
string_minmax_inline(groupagg *g, const sl_chunk *in, uint32_t r, unsigned char *val,
                     sl_error **errp)
{
	for (int i = 0; i < g->naggs; i++) {
		const sl_aggspec *s = &g->aggs[i];
		unsigned char uk[2] = {(unsigned char)(i >> 8), (unsigned char)(i & 0xff)};
		sl_agg_acc a;
		sl_str x;
		int found, c;
		size_t ol, m;
		if (!s->is_str || s->multiset)
			continue;
		g->ddelta[i] = 0;
		sl_agg_acc_load(&g->aggs[i], g->old, &a);
		if ((found = str_slot_get(g, i, &a, &g->olds[i], errp)) < 0)
			return false;
		g->olds_set[i] = g->news_set[i] = found == 1;
		sl_strbuf_reset(&g->news[i]);
		sl_strbuf_appendn(&g->news[i], g->olds[i].data ? g->olds[i].data : "", g->olds[i].len);
		if (!sl_vec_valid(in->cols[s->arg], r))
			continue;
		if (s->filter >= 0) {
			const sl_vector *f = in->cols[s->filter];
			if (!sl_vec_valid(f, r) || !SL_VEC_DATA(f, uint8_t)[r])
				continue;
		}
		x = SL_VEC_DATA(in->cols[s->arg], sl_str)[r];
		a.cnt++;
		if (g->olds_set[i]) {
			ol = g->olds[i].len;
			m = x.len < ol ? x.len : ol;
			c = memcmp(x.ptr, g->olds[i].data ? g->olds[i].data : "", m);
			if (c == 0)
				c = x.len < ol ? -1 : x.len > ol ? 1 : 0;
			if (s->kind == SL_AGG_MIN ? c >= 0 : c <= 0) {
				sl_agg_acc_store(&g->aggs[i], val, &a);
				continue;
			}
		}
		sl_strbuf_reset(&g->news[i]);
		sl_strbuf_appendn(&g->news[i], x.ptr, x.len);
		g->news_set[i] = true;
		if (x.len <= STR_INLINE) {
			if (g->olds_set[i] && a.pad == 0 &&
			    !sl_state_map_remove(g->sms, g->key.data, g->key.len, uk, 2, errp))
				return false;
			a.pad = (int64_t)x.len + 1;
			memset(&a.v, 0, sizeof a.v);
			memcpy(&a.v, x.ptr, x.len);
		} else {
			a.pad = 0;
			if (!sl_state_map_put(g->sms, g->key.data, g->key.len, uk, 2, x.ptr, x.len, errp))
				return false;
		}
		sl_agg_acc_store(&g->aggs[i], val, &a);
	}
	return true;
}

/* String MIN/MAX over an updating input (the multiset ones; see
 * string_minmax_inline for the others) for row r: olds/news get the value
 * before and after, ddelta the change of the non-NULL count. The current
 * value is kept in "strminmax" (key, agg#), the multiset in "minmax.<i>". */
static bool
string_minmax(groupagg *g, const sl_chunk *in, uint32_t r, bool retract, sl_error **errp)
{
	for (int i = 0; i < g->naggs; i++) {
		const sl_aggspec *s = &g->aggs[i];
		unsigned char uk[2] = {(unsigned char)(i >> 8), (unsigned char)(i & 0xff)};
		const void *v;
		size_t vlen;
		int found;
		sl_str x;
		if (!s->is_str || !s->multiset)
			continue;
		g->ddelta[i] = 0;
		found = sl_state_map_get(g->sms, g->key.data, g->key.len, uk, 2, &v, &vlen, errp);
		if (found < 0)
			return false;
		sl_strbuf_reset(&g->olds[i]);
		g->olds_set[i] = found == 1;
		if (found == 1)
			sl_strbuf_appendn(&g->olds[i], v, vlen);
		sl_strbuf_reset(&g->news[i]);
		g->news_set[i] = g->olds_set[i];
		sl_strbuf_appendn(&g->news[i], g->olds[i].data ? g->olds[i].data : "", g->olds[i].len);
		if (!sl_vec_valid(in->cols[s->arg], r))
			continue;
		if (s->filter >= 0) {
			const sl_vector *f = in->cols[s->filter];
			if (!sl_vec_valid(f, r) || !SL_VEC_DATA(f, uint8_t)[r])
				continue;
		}
		if (retract && !s->multiset) {
			*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, SL_SPAN_NONE,
			                     "MIN/MAX over an updating input is not supported in this operator");
			return false;
		}
		x = SL_VEC_DATA(in->cols[s->arg], sl_str)[r];
		if (s->multiset) {
			bool gone;
			mm_ukey(g, s, in, r);
			if (!mm_update(g, i, retract ? -1 : 1, x.ptr, x.len, &gone, errp))
				return false;
			if (retract) {
				g->ddelta[i] = -1;
				/* the current value changes only when its last copy went */
				if (!gone || !g->olds_set[i] || g->olds[i].len != x.len ||
				    memcmp(g->olds[i].data ? g->olds[i].data : "", x.ptr, x.len) != 0)
					continue;
				sl_strbuf_reset(&g->news[i]);
				switch (mm_first(g, i, &g->news[i], errp)) {
				case -1:
					return false;
				case 1:
					g->news_set[i] = true;
					if (!sl_state_map_put(g->sms, g->key.data, g->key.len, uk, 2,
					                      g->news[i].data ? g->news[i].data : "",
					                      g->news[i].len, errp))
						return false;
					break;
				default:
					g->news_set[i] = false;
					if (!sl_state_map_remove(g->sms, g->key.data, g->key.len, uk, 2, errp))
						return false;
					break;
				}
				continue;
			}
		}
		g->ddelta[i] = 1;
		if (g->olds_set[i]) {
			size_t ol = g->olds[i].len;
			size_t m = x.len < ol ? x.len : ol;
			int c = memcmp(x.ptr, g->olds[i].data ? g->olds[i].data : "", m);
			if (c == 0)
				c = x.len < ol ? -1 : x.len > ol ? 1 : 0;
			if (s->kind == SL_AGG_MIN ? c >= 0 : c <= 0)
				continue;
		}
		sl_strbuf_reset(&g->news[i]);
		sl_strbuf_appendn(&g->news[i], x.ptr, x.len);
		g->news_set[i] = true;
		if (!sl_state_map_put(g->sms, g->key.data, g->key.len, uk, 2, x.ptr, x.len, errp))
			return false;
	}
	return true;
}

/* COUNT(DISTINCT) bookkeeping for row r: g->ddelta[i] = +1 when the value
 * is new to the group, -1 when its last row was retracted, else 0.
 * The distinct aggregates over one argument column share a view (as
 * Flink's distinct views): one map entry per (group, view, value) holding
 * an int64 row count per aggregate of the view (each counts only the rows
 * its FILTER lets through), so q15/q16's eight COUNT(DISTINCT)s over two
 * columns cost two state lookups per row, not eight. Over an append-only
 * input the counts are not needed: see distinct_seen, and dset_update for
 * integer arguments. */
/* Append-only input: view vw's entry (user key in g->ukey) is one byte per
 * aggregate, 1 once the aggregate has counted the value. A value already
 * seen by every aggregate whose FILTER passes is a read-only cache hit
 * (nothing dirtied, nothing written back). */
static bool
distinct_seen(groupagg *g, const sl_chunk *in, uint32_t r, int vw, sl_error **errp)
{
	unsigned char seen[256];
	const void *v;
	size_t vlen;
	int nslots = g->view_naggs[vw];
	bool change = false;
	int found = sl_state_map_get(g->dms, g->key.data, g->key.len, g->ukey.data, g->ukey.len, &v,
	                             &vlen, errp);
	if (found < 0)
		return false;
	memset(seen, 0, (size_t)nslots);
	if (found == 1)
		memcpy(seen, v, vlen < (size_t)nslots ? vlen : (size_t)nslots);
	for (int k = 0; k < nslots; k++) {
		int i = g->view_aggs[vw][k];
		const sl_aggspec *s = &g->aggs[i];
		if (seen[g->dslot[i]])
			continue;
		if (s->filter >= 0 && !(sl_vec_valid(in->cols[s->filter], r) &&
		                        SL_VEC_DATA(in->cols[s->filter], uint8_t)[r]))
			continue;
		seen[g->dslot[i]] = 1;
		g->ddelta[i] = 1;
		change = true;
	}
	return !change || sl_state_map_put(g->dms, g->key.data, g->key.len, g->ukey.data,
	                                   g->ukey.len, seen, (size_t)nslots, errp);
}

/* ---------------------------------------------------------------------
 * COUNT(DISTINCT) of an integer argument over an append-only input
 * without state TTL (a view of at most 16 aggregates) keeps its values
 * in value-set containers, as Roaring bitmaps do: the values are split by
 * their high 48 bits, and one map entry of "distinctset" per (group,
 * view, high bits) holds every value of that range the group has seen.
 * A value costs 4 bytes (an array element) or less (bitmap bits) instead
 * of an entry of its own (~150 bytes: header, composite key, value,
 * malloc, table slot), so q16's 3.3M (group, value) pairs take ~15 MB,
 * not ~480 MB, and fit the default cache; an ordered id range (bidders,
 * auctions) gives few, dense containers. State TTL keeps one entry per
 * value (distinct_seen): Flink expires each distinct value on its own.
 *
 *   user key  [view: 2 B big-endian][x ^ sign bit, bits 63..16: 6 B BE]
 *   value     [u32 n: values held][u32 form], then
 *     form 0 (array):  n u32 elements in ascending order, each
 *                      (low 16 bits of x) << 16 | seen mask (bit k: the
 *                      view's aggregate k has counted the value);
 *     form 1 (bitmap): per aggregate of the view a bitmap of 65536 bits
 *                      (8 KB), bit = the low 16 bits.
 *   (host byte order: little-endian on every platform sluice builds for)
 * An array becomes bitmaps when it would be as large (2048 values per
 * aggregate of the view), or at 4096 values (16 KB), so that an insert
 * into the sorted array never moves more than 16 KB (values in random
 * order move half the array each). A value already counted by every
 * aggregate whose FILTER passes is a read-only cache hit; a new one grows
 * the entry in place (sl_state_map_resize_for_update).
 * ------------------------------------------------------------------- */
#define DSET_HDR 8
#define DSET_MAP_BYTES 8192     /* one aggregate's bitmap: 65536 bits */
#define DSET_ARRAY_MAX 4096     /* most array elements: an insert moves <= 16 KB */

/* Row r's value (non-NULL) in view vw, counted by the view's aggregates
 * in want (bit k: aggregate view_aggs[vw][k], whose FILTER passes):
 * ddelta = 1 for those that had not counted it. */
static bool
dset_update(groupagg *g, const sl_chunk *in, uint32_t r, int vw, uint32_t want, sl_error **errp)
{
	int nslots = g->view_naggs[vw];
	uint64_t x = (uint64_t)read_int(in->cols[g->view_arg[vw]], r) ^ (UINT64_C(1) << 63);
	uint32_t low = (uint32_t)(x & 0xffff), have = 0, add, n = 0, form = 0, *h, *el;
	unsigned char uk[8], *bm;
	size_t pos = 0, vlen = 0, oldlen, maps = (size_t)nslots * DSET_MAP_BYTES;
	const void *v;
	int found;

	uk[0] = (unsigned char)(vw >> 8);
	uk[1] = (unsigned char)vw;
	for (int b = 0; b < 6; b++)
		uk[2 + b] = (unsigned char)(x >> (56 - 8 * b));
	found = sl_state_map_get(g->dss, g->key.data, g->key.len, uk, sizeof uk, &v, &vlen, errp);
	if (found < 0)
		return false;
	if (found) {
		const uint32_t *ch = v;
		if (vlen >= DSET_HDR) {
			n = ch[0];
			form = ch[1];
		}
		if (vlen < DSET_HDR || (form == 1 ? vlen != DSET_HDR + maps
		                                   : form != 0 || vlen != DSET_HDR + 4 * (size_t)n)) {
			*errp = sl_error_new(SL_ERR_CORRUPT, SL_SPAN_NONE,
			                     "COUNT(DISTINCT) value set of %zu bytes does not decode", vlen);
			return false;
		}
		if (form == 1) {
			const unsigned char *m = (const unsigned char *)v + DSET_HDR;
			for (int k = 0; k < nslots; k++)
				have |= (uint32_t)((m[(size_t)k * DSET_MAP_BYTES + low / 8] >> (low % 8)) & 1) << k;
		} else {
			const uint32_t *e = ch + 2;
			size_t lo = 0, hi = n;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if ((e[mid] >> 16) < low)
					lo = mid + 1;
				else
					hi = mid;
			}
			pos = lo;
			if (pos < n && (e[pos] >> 16) == low)
				have = e[pos] & 0xffff;
		}
	}
	if (!(add = want & ~have))
		return true;
	for (int k = 0; k < nslots; k++)
		if (add & (1u << k))
			g->ddelta[g->view_aggs[vw][k]] = 1;
	if (form == 1 || (have == 0 && n + 1 >= SL_MIN(maps / 4, (size_t)DSET_ARRAY_MAX))) {
		if (form == 0) {
			/* the array becomes bitmaps: keep its elements aside */
			sl_strbuf_reset(&g->dsbuf);
			if (n)
				sl_strbuf_appendn(&g->dsbuf, (const char *)v + DSET_HDR, 4 * (size_t)n);
		}
		if (!(h = sl_state_map_resize_for_update(g->dss, g->key.data, g->key.len, uk, sizeof uk,
		                                         DSET_HDR + maps, &oldlen, errp)))
			return false;
		bm = (unsigned char *)(h + 2);
		if (form == 0) {
			memset(bm, 0, maps);
			for (uint32_t j = 0; j < n; j++) {
				uint32_t e, el_low;
				memcpy(&e, g->dsbuf.data + 4 * (size_t)j, 4);
				el_low = e >> 16;
				for (int k = 0; k < nslots; k++)
					if (e & (1u << k))
						bm[(size_t)k * DSET_MAP_BYTES + el_low / 8] |= (unsigned char)(1u << (el_low % 8));
			}
		}
		for (int k = 0; k < nslots; k++)
			if (add & (1u << k))
				bm[(size_t)k * DSET_MAP_BYTES + low / 8] |= (unsigned char)(1u << (low % 8));
		h[0] = n + (have == 0);
		h[1] = 1;
		return true;
	}
	if (!(h = sl_state_map_resize_for_update(g->dss, g->key.data, g->key.len, uk, sizeof uk,
	                                         DSET_HDR + 4 * ((size_t)n + (have == 0)), &oldlen,
	                                         errp)))
		return false;
	el = h + 2;
	if (have) {
		el[pos] |= add;
		return true;
	}
	memmove(el + pos + 1, el + pos, 4 * ((size_t)n - pos));
	el[pos] = low << 16 | add;
	h[0] = n + 1;
	h[1] = 0;
	return true;
}

static bool
distinct_deltas(groupagg *g, const sl_chunk *in, uint32_t r, int64_t sign, sl_error **errp)
{
	memset(g->ddelta, 0, sizeof *g->ddelta * (size_t)g->naggs);
	for (int vw = 0; vw < g->nviews; vw++) {
		int arg = g->view_arg[vw], nslots = g->view_naggs[vw];
		bool live = false;
		uint32_t want = 0;      /* the view's aggregates whose FILTER passes */
		int64_t *cnts;
		size_t vlen;
		bool created;
		if (!sl_vec_valid(in->cols[arg], r))
			continue;
		for (int k = 0; k < nslots && (g->view_set[vw] || !want); k++) {
			const sl_aggspec *s = &g->aggs[g->view_aggs[vw][k]];
			if (s->filter >= 0) {
				const sl_vector *f = in->cols[s->filter];
				if (!sl_vec_valid(f, r) || !SL_VEC_DATA(f, uint8_t)[r])
					continue;
			}
			want |= 1u << (k & 31);
		}
		if (!want)
			continue;
		if (g->view_set[vw]) {
			if (!dset_update(g, in, r, vw, want, errp))
				return false;
			continue;
		}
		sl_strbuf_reset(&g->ukey);
		sl_strbuf_appendc(&g->ukey, (char)(vw >> 8));
		sl_strbuf_appendc(&g->ukey, (char)(vw & 0xff));
		sl_key_encode(in, r, &arg, 1, &g->ukey);
		if (g->append_only) {
			if (!distinct_seen(g, in, r, vw, errp))
				return false;
			continue;
		}
		cnts = sl_state_map_get_for_update(g->dms, g->key.data, g->key.len, g->ukey.data,
		                                   g->ukey.len, 8 * (size_t)nslots, &vlen, &created, errp);
		if (!cnts)
			return false;
		(void)created;
		for (int k = 0; k < nslots; k++) {
			int i = g->view_aggs[vw][k];
			const sl_aggspec *s = &g->aggs[i];
			int64_t c;
			memcpy(&c, &cnts[g->dslot[i]], 8);
			if (s->filter < 0 || (sl_vec_valid(in->cols[s->filter], r) &&
			                      SL_VEC_DATA(in->cols[s->filter], uint8_t)[r])) {
				if (c <= 0 && c + sign > 0)
					g->ddelta[i] = 1;
				else if (c > 0 && c + sign <= 0)
					g->ddelta[i] = -1;
				c += sign;
				memcpy(&cnts[g->dslot[i]], &c, 8);
			}
			live |= c > 0;
		}
		if (!live &&
		    !sl_state_map_remove(g->dms, g->key.data, g->key.len, g->ukey.data, g->ukey.len, errp))
			return false;
	}
	return true;
}

/* Write the result row of accumulators val with kind k. Its key columns
 * are the group-key columns of row kr of kin, the row (or partial) being
 * applied, whose key g->key encodes: copied, strings into the output
 * chunk's heap (cheaper than decoding g->key). same_key: the row written
 * just before had this key (the -U of a +U): its key columns are copied
 * from there (strings by pointer) when it is in the same output chunk. */
static bool
put_row(sl_op *op, const unsigned char *val, sl_row_kind k, const sl_chunk *kin, uint32_t kr,
        bool same_key, sl_error **errp)
{
	groupagg *g = op->priv;
	uint32_t r;
	if (g->out && sl_chunk_full(g->out)) {
		sl_chunk *c = g->out;
		g->out = NULL;
		if (!sl_op_emit(op, c, errp))
			return false;
	}
	if (!g->out) {
		g->out = sl_chunk_pool_get(g->pool);
		same_key = false;
	}
	r = sl_chunk_append_row(g->out);
	g->out->kinds[r] = (uint8_t)k;
	if (same_key && r > 0) {
		for (int c = 0; c < g->nkeys; c++)
			sl_vector_copy_row(g->out->cols[c], r, g->out->cols[c], r - 1, NULL);
	} else {
		for (int c = 0; c < g->nkeys; c++)
			sl_vector_copy_row(g->out->cols[c], r, kin->cols[g->keys[c]], kr, &g->out->heap);
	}
	sl_agg_write(g->aggs, g->naggs, val, g->out, r, g->nkeys);
	if (g->has_str)
		for (int i = 0; i < g->naggs; i++) {
			bool old = val == g->old;
			sl_strbuf *sb = old ? &g->olds[i] : &g->news[i];
			if (!g->aggs[i].is_str)
				continue;
			if (!(old ? g->olds_set[i] : g->news_set[i]))
				sl_chunk_set_null(g->out, g->nkeys + i, r);
			else
				sl_chunk_set_str(g->out, g->nkeys + i, r, sb->data ? sb->data : "", sb->len);
		}
	return true;
}

/* GlobalGroupAggregate (two-phase, physical.c): each input row is one
 * LocalGroupAggregate partial (keys, $acc); merged into the group's
 * accumulators, then the change is emitted as for a row. */
/* Row r's group key into g->key (a global aggregate's one key: "\0"). */
static void
group_key(groupagg *g, const sl_chunk *in, uint32_t r)
{
	sl_strbuf_reset(&g->key);
	sl_key_encode(in, r, g->keys, g->nkeys, &g->key);
	if (g->key.len == 0)
		sl_strbuf_appendc(&g->key, '\0');
}

/* The change of g->key's group after row (or partial) r of in, as Flink's
 * GroupAggFunction emits it: +I for a new group (created), -D and the
 * state dropped when no row is left (rows <= 0), -U old / +U new when the
 * result changed (g->old holds the value before, val after). */
static bool
emit_change(sl_op *op, groupagg *g, const sl_chunk *in, uint32_t r, unsigned char *val,
            bool created, int64_t rows, sl_error **errp)
{
	if (created)
		return put_row(op, val, SL_ROW_INSERT, in, r, false, errp);
	if (rows <= 0)
		return put_row(op, g->old, SL_ROW_DELETE, in, r, false, errp) &&
		       sl_state_value_delete(g->vs, g->key.data, g->key.len, errp) &&
		       sl_agg_udf_clear(g->aggs, g->naggs, errp);
	if (memcmp(g->old + 8, val + 8, sl_agg_acc_bytes(g->aggs, g->naggs) - 8) != 0)
		return put_row(op, g->old, SL_ROW_UPDATE_BEFORE, in, r, false, errp) &&
		       put_row(op, val, SL_ROW_UPDATE_AFTER, in, r, true, errp);
	return true;
}

/* Emit the output chunk being filled, if any. */
static bool
emit_pending(sl_op *op, groupagg *g, sl_error **errp)
{
	if (g->out && g->out->count) {
		sl_chunk *c = g->out;
		g->out = NULL;
		return sl_op_emit(op, c, errp);
	}
	return true;
}

static bool
ga_merge_push(sl_op *op, sl_chunk *in, sl_error **errp)
{
	groupagg *g = op->priv;
	uint32_t live = sl_chunk_live(in);
	const sl_vector *av = in->cols[g->acc_col];
	for (uint32_t ii = 0; ii < live; ii++) {
		uint32_t r = in->sel ? in->sel[ii] : ii;
		sl_str acc = SL_VEC_DATA(av, sl_str)[r];
		size_t vlen;
		bool created;
		unsigned char *val;
		int64_t rows;
		if (!sl_vec_valid(av, r) || acc.len != g->vlen) {
			*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE,
			                     "partial accumulators of %u bytes, expected %zu",
			                     sl_vec_valid(av, r) ? (unsigned)acc.len : 0u, g->vlen);
			goto fail;
		}
		group_key(g, in, r);
		val = sl_state_value_get_for_update(g->vs, g->key.data, g->key.len, g->vlen, &vlen,
		                                    &created, errp);
		if (!val)
			goto fail;
		memcpy(g->old, val, g->vlen);
		sl_agg_merge(g->aggs, g->naggs, val, (const unsigned char *)acc.ptr);
		memcpy(&rows, val, 8);
		if (created && rows <= 0) {
			/* only retractions of a group never seen: nothing to do */
			if (!sl_state_value_delete(g->vs, g->key.data, g->key.len, errp))
				goto fail;
			continue;
		}
		if (!emit_change(op, g, in, r, val, created, rows, errp))
			goto fail;
	}
	sl_chunk_unref(in);
	return emit_pending(op, g, errp);
fail:
	sl_chunk_unref(in);
	return false;
}

static bool
ga_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	groupagg *g = op->priv;
	uint32_t live = sl_chunk_live(in);
	(void)port;
	if (g->merge)
		return ga_merge_push(op, in, errp);
	for (uint32_t ii = 0; ii < live; ii++) {
		uint32_t r = in->sel ? in->sel[ii] : ii;
		bool retract = in->kinds[r] == SL_ROW_UPDATE_BEFORE || in->kinds[r] == SL_ROW_DELETE;
		int64_t sign = retract ? -1 : 1;
		size_t vlen;
		bool created;
		unsigned char *val;
		int64_t rows;

		group_key(g, in, r);
		if (g->has_udf)
			sl_agg_udf_set_key(g->aggs, g->naggs, g->key.data, g->key.len, NULL, 0);
		if (g->has_distinct && !distinct_deltas(g, in, r, sign, errp))
			goto fail;
		if (g->has_str_multiset && !string_minmax(g, in, r, retract, errp))
			goto fail;
		val = sl_state_value_get_for_update(g->vs, g->key.data, g->key.len, g->vlen, &vlen,
		                                    &created, errp);
		if (!val)
			goto fail;
		if (created && retract) {
			/* retraction of a group never seen: nothing to do */
			sl_state_value_delete(g->vs, g->key.data, g->key.len, NULL);
			continue;
		}
		memcpy(g->old, val, g->vlen);
		memcpy(&rows, val, 8);
		rows += sign;
		memcpy(val, &rows, 8);
		if (g->has_str_inline) {
			if (retract) {
				*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, SL_SPAN_NONE,
				                     "MIN/MAX over an updating input is not supported in this operator");
				goto fail;
			}
			if (!string_minmax_inline(g, in, r, val, errp))
				goto fail;
		}
		if (!sl_agg_accumulate(g->aggs, g->naggs, val, in, r, retract, errp))
			goto fail;
		if (g->has_multiset && !minmax_multiset(g, in, r, retract, val, errp))
			goto fail;
		if (g->has_distinct || g->has_str)
			for (int i = 0; i < g->naggs; i++)
				if (g->ddelta[i]) {
					sl_agg_acc a;
					sl_agg_acc_load(&g->aggs[i], val, &a);
					a.cnt += g->ddelta[i];
					sl_agg_acc_store(&g->aggs[i], val, &a);
				}
		if (!emit_change(op, g, in, r, val, created, rows, errp))
			goto fail;
	}
	sl_chunk_unref(in);
	return emit_pending(op, g, errp);
fail:
	sl_chunk_unref(in);
	return false;
}

static void
ga_close(sl_op *op)
{
	groupagg *g = op->priv;
	if (g->out)
		sl_chunk_unref(g->out);
	g->out = NULL;
	if (g->pool)
		sl_chunk_pool_free(g->pool);
	g->pool = NULL;
	g->st = NULL; /* the job closes op->state */
	sl_strbuf_free(&g->key);
	sl_strbuf_free(&g->ukey);
	sl_strbuf_free(&g->mkey);
	sl_strbuf_free(&g->dsbuf);
	for (int i = 0; i < g->naggs && g->olds; i++) {
		sl_strbuf_free(&g->olds[i]);
		sl_strbuf_free(&g->news[i]);
	}
}

static const sl_op_ops ga_ops = {
	.name = "GroupAggregate", .open = ga_open, .push = ga_push, .close = ga_close,
};

static const sl_op_ops gga_ops = {
	.name = "GlobalGroupAggregate", .open = ga_open, .push = ga_push, .close = ga_close,
};

static sl_agg_valkind
vk_of(const sl_type *t)
{
	if (t->kind == SL_TYPE_DOUBLE || t->kind == SL_TYPE_FLOAT)
		return VK_DOUBLE;
	if (t->kind == SL_TYPE_DECIMAL)
		return VK_DEC;
	return VK_INT;
}

static bool
unsupported(const sl_rel *r, const char *what, sl_error **errp)
{
	*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
	                     "sluice run cannot execute %s in a GroupAggregate yet", what);
	return false;
}

bool
sl_agg_specs_init(const sl_rel *r, const sl_rel *in, sl_arena *a, sl_aggspec **out,
                  sl_error **errp)
{
	sl_aggspec *specs = SL_ANEWN(a, sl_aggspec, r->naggs + 1);
	for (int i = 0; i < r->naggs; i++) {
		const sl_aggcall *c = &r->aggs[i];
		sl_aggspec *s = &specs[i];
		s->kind = c->kind;
		s->arg = c->nargs > 0 ? c->args[0] : -1;
		s->filter = c->filter_col;
		s->rtype = c->type;
		s->distinct = c->distinct;
		if (c->distinct && (c->kind != SL_AGG_COUNT || s->arg < 0))
			return unsupported(r, "DISTINCT aggregates other than COUNT(DISTINCT x)", errp);
		switch (c->kind) {
		case SL_AGG_COUNT_STAR:
		case SL_AGG_COUNT:
			break;
		case SL_AGG_SUM:
		case SL_AGG_SUM0:
		case SL_AGG_AVG:
		case SL_AGG_MIN:
		case SL_AGG_MAX:
			if (s->arg < 0)
				return unsupported(r, c->name, errp);
			s->argtype = in->fields[s->arg].type;
			if ((c->kind == SL_AGG_MIN || c->kind == SL_AGG_MAX) && sl_type_is_string(s->argtype)) {
				s->is_str = true;
				break;
			}
			if (!sl_type_is_numeric(s->argtype) && !sl_type_is_temporal(s->argtype))
				return unsupported(r, "SUM/AVG of a non-numeric argument", errp);
			if (s->argtype->kind == SL_TYPE_DECIMAL && s->argtype->precision > 18)
				return unsupported(r, "aggregates of DECIMAL with precision above 18", errp);
			s->vk = vk_of(s->argtype);
			break;
		case SL_AGG_UDF:
			if (!sl_agg_udf_spec_init(specs, i, c, r, in, a, errp))
				return false;
			break;
		default:
			return unsupported(r, c->name, errp);
		}
	}
	/* lay out the slots (op.h), then the C aggregates' blocks after them */
	uint32_t off = 8;
	for (int i = 0; i < r->naggs; i++) {
		sl_aggspec *s = &specs[i];
		if (s->udf || s->is_str)
			s->size = sizeof(sl_agg_acc);
		else if (s->kind == SL_AGG_COUNT_STAR || s->kind == SL_AGG_COUNT)
			s->size = 8;
		else if ((s->kind == SL_AGG_MIN || s->kind == SL_AGG_MAX) || s->vk == VK_DOUBLE)
			s->size = 16;
		else
			s->size = 24;
		s->off = off;
		off += s->size;
	}
	for (int i = 0; i < r->naggs; i++)
		if (specs[i].udf)
			specs[i].udf_off += off;
	*out = specs;
	return true;
}


bool
sl_op_init_group_agg(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	/* GlobalGroupAggregate: the aggregates refer to the Local's input */
	const sl_rel *in = r->agg_input ? r->agg_input : r->inputs[0];
	groupagg *g = SL_ANEW(a, groupagg);
	g->nkeys = r->nkeys;
	g->keys = r->keys;
	g->naggs = r->naggs;
	g->ttl_ms = r->hint_ttl_ms[0] > 0 ? r->hint_ttl_ms[0] : r->state_ttl_ms;
	if (!sl_agg_specs_init(r, in, a, &g->aggs, errp))
		return false;
	/* over an updating input (-U/-D rows reach us) MIN/MAX keep a multiset */
	bool updating = (in->changelog.kinds & (SL_CL_UB | SL_CL_D)) != 0;
	g->append_only = !updating;
	g->mms = SL_ANEWN(a, sl_state_map *, r->naggs + 1);
	for (int i = 0; i < r->naggs; i++) {
		sl_aggspec *s = &g->aggs[i];
		if (updating && (s->kind == SL_AGG_MIN || s->kind == SL_AGG_MAX))
			s->multiset = g->has_multiset = true;
		g->has_distinct |= s->distinct;
		g->has_str |= s->is_str;
		g->has_str_inline |= s->is_str && !s->multiset;
		g->has_udf |= s->udf != NULL;
		g->has_str_multiset |= s->is_str && s->multiset;
	}
	g->olds = SL_ANEWN(a, sl_strbuf, r->naggs + 1);
	g->news = SL_ANEWN(a, sl_strbuf, r->naggs + 1);
	g->olds_set = SL_ANEWN(a, bool, r->naggs + 1);
	g->news_set = SL_ANEWN(a, bool, r->naggs + 1);
	g->ddelta = SL_ANEWN(a, int64_t, r->naggs + 1);
	g->dview = SL_ANEWN(a, int, r->naggs + 1);
	g->dslot = SL_ANEWN(a, int, r->naggs + 1);
	g->view_arg = SL_ANEWN(a, int, r->naggs + 1);
	g->view_naggs = SL_ANEWN(a, int, r->naggs + 1);
	g->view_set = SL_ANEWN(a, bool, r->naggs + 1);
	for (int i = 0; i < r->naggs; i++) {
		int vw;
		g->dview[i] = g->dslot[i] = -1;
		if (!g->aggs[i].distinct)
			continue;
		for (vw = 0; vw < g->nviews && g->view_arg[vw] != g->aggs[i].arg; vw++)
			;
		if (vw == g->nviews) {
			g->view_arg[vw] = g->aggs[i].arg;
			g->view_naggs[vw] = 0;
			g->nviews++;
		}
		g->dview[i] = vw;
		g->dslot[i] = g->view_naggs[vw]++;
	}
	g->view_aggs = SL_ANEWN(a, int *, g->nviews + 1);
	for (int vw = 0; vw < g->nviews; vw++) {
		int k = 0;
		sl_type_kind kind = in->fields[g->view_arg[vw]].type->kind;
		/* value-set containers (dset_update): append-only integer views */
		g->view_set[vw] = g->append_only && g->ttl_ms == 0 && g->view_naggs[vw] <= 16 &&
		                  (kind == SL_TYPE_TINYINT || kind == SL_TYPE_SMALLINT ||
		                   kind == SL_TYPE_INT || kind == SL_TYPE_BIGINT);
		g->view_aggs[vw] = SL_ANEWN(a, int, g->view_naggs[vw] + 1);
		for (int i = 0; i < r->naggs; i++)
			if (g->dview[i] == vw)
				g->view_aggs[vw][k++] = i;
	}
	/* (a view's seen bytes live in a 256-byte buffer) */
	if (r->naggs > 256)
		return unsupported(r, "more than 256 aggregates", errp);
	g->vlen = sl_agg_acc_bytes(g->aggs, r->naggs) + sl_agg_udf_state_bytes(g->aggs, r->naggs);
	if (g->vlen > sizeof g->old)
		return unsupported(r, "more than 127 aggregates", errp);
	g->types = sl_op_field_types(a, r);
	if (r->agg_input) {
		g->merge = true;
		g->acc_col = r->inputs[0]->nfields - 1;
		for (int i = 0; i < r->naggs; i++)
			if (g->aggs[i].distinct || g->aggs[i].is_str || g->aggs[i].multiset || g->aggs[i].udf)
				return unsupported(r, "this aggregate in a GlobalGroupAggregate (two-phase)", errp);
	}
	op->ops = r->agg_input ? &gga_ops : &ga_ops;
	op->priv = g;
	return true;
}
