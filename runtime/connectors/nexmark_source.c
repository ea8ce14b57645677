/*
 * nexmark_source.c
 *	  The 'nexmark' connector: chunks of events from the deterministic
 *	  generator (runtime/nexmark_gen.h), with only the columns the plan
 *	  reads (rel->scan_cols / scan_paths: a top-level column such as
 *	  event_type, a whole ROW column person/auction/bid, or one field of
 *	  it such as bid.price). A field of a ROW the event does not carry is
 *	  NULL, as in Flink's nexmark table.
 *
 *	  Options: every WITH key goes through sl_nexmark_config_set (the same
 *	  function `sluice gen nexmark --option` uses, so the same options give
 *	  the same events); 'events.num' may be overridden for the whole job
 *	  (`sluice run --events N`). 'generators.num' is the source
 *	  parallelism: subtask i of P produces eids i, i+P, ... (its slice of
 *	  the one global stream). With 'rate.limited' = 'true' the source
 *	  emits at most 'first-event.rate' events per wall-clock second (all
 *	  subtasks together; each takes its splits' share) and polls idle in
 *	  between; otherwise it runs as fast as the job consumes. With
 *	  'scan.watermark.idle-timeout' set, a rate-limited subtask that has
 *	  had no events due for that long sends SL_WM_IDLE (runtime/op.h), so
 *	  it stops holding back the watermark until its next events.
 *
 *	  Checkpoints: the stream is split into G residue classes of the event
 *	  id (G = the parallelism of the first run); subtask i of P runs the
 *	  splits s with s % P == i, one generator each. Its snapshot stores,
 *	  per split, the blob "nx.split.<s>" = {G, s, position} (int64 each);
 *	  on restore each split resumes at its position, also at another
 *	  parallelism (the state layer hands every new subtask every old
 *	  subtask's blobs as "NAME@OLD"; those copies are then overwritten
 *	  with empty blobs so that only the owner's current position survives
 *	  the next snapshot). Several splits are merged in event-id order, so
 *	  event time stays as ordered as in the uninterrupted run.
 *
 *	  Strings: the generator's per-seed tables (names, channels, URLs,
 *	  extra letters) are referenced in place (the generator lives until the
 *	  job is freed, after every thread stopped); per-event strings (email,
 *	  card, item names, descriptions) are generated straight into the
 *	  chunk's string heap. Nothing is allocated per row.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_nexmark_source
 */
#include "runtime/op.h"
#include "planner/options.h"
#include "runtime/nexmark_gen.h"
#include "runtime/dict.h"
#include "runtime/expr.h"
#include "state/state.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { K_TOP = -1 };
/* field ids */
enum {
	F_EVENT_TYPE, F_DATETIME_ANY,
	F_P_ID, F_P_NAME, F_P_EMAIL, F_P_CARD, F_P_CITY, F_P_STATE, F_P_DATETIME, F_P_EXTRA,
	F_A_ID, F_A_ITEM, F_A_DESC, F_A_INITIAL, F_A_RESERVE, F_A_DATETIME, F_A_EXPIRES,
	F_A_SELLER, F_A_CATEGORY, F_A_EXTRA,
	F_B_AUCTION, F_B_BIDDER, F_B_PRICE, F_B_CHANNEL, F_B_URL, F_B_DATETIME, F_B_EXTRA,
	F_ROW_PERSON, F_ROW_AUCTION, F_ROW_BID
};

static const struct { int kind; const char *name; int id; } fieldmap[] = {
	{0, "id", F_P_ID}, {0, "name", F_P_NAME}, {0, "emailAddress", F_P_EMAIL},
	{0, "creditCard", F_P_CARD}, {0, "city", F_P_CITY}, {0, "state", F_P_STATE},
	{0, "dateTime", F_P_DATETIME}, {0, "extra", F_P_EXTRA},
	{1, "id", F_A_ID}, {1, "itemName", F_A_ITEM}, {1, "description", F_A_DESC},
	{1, "initialBid", F_A_INITIAL}, {1, "reserve", F_A_RESERVE}, {1, "dateTime", F_A_DATETIME},
	{1, "expires", F_A_EXPIRES}, {1, "seller", F_A_SELLER}, {1, "category", F_A_CATEGORY},
	{1, "extra", F_A_EXTRA},
	{2, "auction", F_B_AUCTION}, {2, "bidder", F_B_BIDDER}, {2, "price", F_B_PRICE},
	{2, "channel", F_B_CHANNEL}, {2, "url", F_B_URL}, {2, "dateTime", F_B_DATETIME},
	{2, "extra", F_B_EXTRA},
};

typedef struct nxcol {
	int id;                     /* F_* */
	int nchild;                 /* whole ROW column: its fields' ids */
	int *child;
} nxcol;

typedef struct nxsrc {
	sl_nexmark_config cfg;
	int ncols;
	nxcol *cols;
	const sl_type *const *types;
	sl_nexmark_gen *gen;        /* gens[0] */
	int G;                      /* splits of the stream (generators) */
	int nsplits;                /* splits this subtask runs */
	sl_nexmark_gen **gens;      /* [nsplits] */
	int *split;                 /* [nsplits] split index */
	sl_chunk_pool *pool;
	sl_nexmark_event *ev;
	bool ended;
	bool rate_limited;          /* 'rate.limited' = 'true' */
	double rate_per_us;         /* this subtask's events per wall-clock us */
	int64_t t0_us;              /* monotonic time of the first poll (0: not yet) */
	int64_t emitted;            /* events emitted since t0_us */
	int64_t idle_timeout_us;    /* 'scan.watermark.idle-timeout'; 0 = never idle */
	int64_t last_rows_us;       /* monotonic time rows were last emitted */
	bool idle;                  /* SL_WM_IDLE sent, no rows since */
	sl_dict *dict;              /* the channel table: columns channel, url
	                             * (NULL when the plan reads neither) */
} nxsrc;

static int64_t
mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
field_id(int kind, const char *name)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(fieldmap); i++)
		if (fieldmap[i].kind == kind && sl_streq_ci(fieldmap[i].name, name))
			return fieldmap[i].id;
	return -1;
}

static int
field_kind(int id)
{
	if (id >= F_P_ID && id <= F_P_EXTRA)
		return SL_NEXMARK_PERSON;
	if (id >= F_A_ID && id <= F_A_EXTRA)
		return SL_NEXMARK_AUCTION;
	if (id >= F_B_AUCTION && id <= F_B_EXTRA)
		return SL_NEXMARK_BID;
	return -1;
}

static bool
is_str_id(int id)
{
	switch (id) {
	case F_P_NAME: case F_P_EMAIL: case F_P_CARD: case F_P_CITY: case F_P_STATE: case F_P_EXTRA:
	case F_A_ITEM: case F_A_DESC: case F_A_EXTRA:
	case F_B_CHANNEL: case F_B_URL: case F_B_EXTRA:
		return true;
	default:
		return false;
	}
}

static bool
check_type(int id, const sl_type *t)
{
	if (id == F_EVENT_TYPE)
		return t->kind == SL_TYPE_INT;
	if (is_str_id(id))
		return sl_type_is_string(t);
	if (id == F_DATETIME_ANY || id == F_P_DATETIME || id == F_A_DATETIME || id == F_A_EXPIRES ||
	    id == F_B_DATETIME)
		return t->kind == SL_TYPE_TIMESTAMP || t->kind == SL_TYPE_TIMESTAMP_LTZ;
	return t->kind == SL_TYPE_BIGINT;
}

/* Fill vector v (type checked) for rows [0, n) from events ev; bid
 * channel and url columns are annotated with dict (entry = bid.ch).
 * One loop per field, storing unconditionally (a row whose event does
 * not carry the field gets whatever its union holds, and is NULL), then
 * the validity bitmap a word at a time. */
#define FILL_LOOP(T, EXPR)                                                     \
	for (uint32_t r = 0; r < n; r++) {                                         \
		const sl_nexmark_event *e = &ev[r];                                    \
		SL_VEC_DATA(v, T)[r] = (EXPR);                                         \
	}                                                                          \
	break
#define FILL_STR(F) FILL_LOOP(sl_str, ((sl_str){e->u.F.len, e->u.F.ptr}))
#define FILL_I64(EXPR) FILL_LOOP(int64_t, (EXPR))

static void
fill(sl_vector *v, int id, const sl_nexmark_event *ev, uint32_t n, const sl_dict *dict)
{
	int want = field_kind(id);
	switch (id) {
	case F_EVENT_TYPE: FILL_LOOP(int32_t, (int32_t)e->kind);
	case F_DATETIME_ANY: case F_P_DATETIME: case F_A_DATETIME: case F_B_DATETIME:
		FILL_I64(e->date_time_us);
	case F_P_ID: FILL_I64(e->u.person.id);
	case F_P_NAME: FILL_STR(person.name);
	case F_P_EMAIL: FILL_STR(person.email);
	case F_P_CARD: FILL_STR(person.credit_card);
	case F_P_CITY: FILL_STR(person.city);
	case F_P_STATE: FILL_STR(person.state);
	case F_P_EXTRA: FILL_STR(person.extra);
	case F_A_ID: FILL_I64(e->u.auction.id);
	case F_A_ITEM: FILL_STR(auction.item_name);
	case F_A_DESC: FILL_STR(auction.description);
	case F_A_INITIAL: FILL_I64(e->u.auction.initial_bid);
	case F_A_RESERVE: FILL_I64(e->u.auction.reserve);
	case F_A_EXPIRES: FILL_I64(e->u.auction.expires_us);
	case F_A_SELLER: FILL_I64(e->u.auction.seller);
	case F_A_CATEGORY: FILL_I64(e->u.auction.category);
	case F_A_EXTRA: FILL_STR(auction.extra);
	case F_B_AUCTION: FILL_I64(e->u.bid.auction);
	case F_B_BIDDER: FILL_I64(e->u.bid.bidder);
	case F_B_PRICE: FILL_I64(e->u.bid.price);
	case F_B_CHANNEL: FILL_STR(bid.channel);
	case F_B_URL: FILL_STR(bid.url);
	case F_B_EXTRA: FILL_STR(bid.extra);
	default: SL_ASSERT(!"nexmark field without a fill loop"); break;
	}
	if (want >= 0) {
		uint64_t all = ~(uint64_t)0;
		for (uint32_t w = 0; w < (n + 63) / 64; w++) {
			uint64_t bits = 0;
			uint32_t end = SL_MIN(n, (w + 1) * 64);
			for (uint32_t r = w * 64; r < end; r++)
				bits |= (uint64_t)((int)ev[r].kind == want) << (r & 63);
			v->vbuf[w] = bits;
			all &= end - w * 64 == 64 ? bits : bits | ~(((uint64_t)1 << (end & 63)) - 1);
		}
		v->validity = all == ~(uint64_t)0 ? NULL : v->vbuf;
	}
	if (dict && (id == F_B_CHANNEL || id == F_B_URL)) {
		uint32_t *codes = sl_vec_set_dict(v, dict, id == F_B_CHANNEL ? 0 : 1);
		for (uint32_t r = 0; r < n; r++)
			codes[r] = ev[r].kind == SL_NEXMARK_BID ? ev[r].u.bid.ch : dict->n;
	}
}

/* Does the plan read bid.channel or bid.url? */
static bool
reads_channel_table(const nxsrc *s)
{
	for (int i = 0; i < s->ncols; i++) {
		const nxcol *c = &s->cols[i];
		if (c->id == F_B_CHANNEL || c->id == F_B_URL)
			return true;
		for (int f = 0; f < c->nchild; f++)
			if (c->child[f] == F_B_CHANNEL || c->child[f] == F_B_URL)
				return true;
	}
	return false;
}

/* The channel table as a dictionary (dict.h): expressions over channel
 * and url (q21's LOWER(channel) and REGEXP_EXTRACT(url, ...), q22's
 * SPLIT_INDEX(url, ...)) are computed once per channel, not per bid. Its
 * strings are the generator's (same lifetime: both go at nx_close). */
static sl_dict *
channel_dict(const sl_nexmark_gen *gen)
{
	const sl_type *t[2] = {sl_rt_type(SL_TYPE_VARCHAR), sl_rt_type(SL_TYPE_VARCHAR)};
	const sl_nexmark_str *ch, *url;
	uint32_t n = sl_nexmark_gen_channels(gen, &ch, &url);
	sl_dict *d = sl_dict_new(t, 2, n);
	for (uint32_t i = 0; i < n; i++) {
		SL_VEC_DATA(d->cols[0], sl_str)[i] = (sl_str){ch[i].len, ch[i].ptr};
		SL_VEC_DATA(d->cols[1], sl_str)[i] = (sl_str){url[i].len, url[i].ptr};
		sl_vec_set_valid(d->cols[0], i);
		sl_vec_set_valid(d->cols[1], i);
	}
	return d;
}

#define NX_BLOB "nx.split."

/* The splits to run and where they resume: fresh (split = subtask of G =
 * P, from 0) or from the restored blobs. */
static bool
nx_restore_splits(sl_op *op, nxsrc *s, int64_t **pos, sl_error **errp)
{
	sl_state *st;
	size_t nb;
	int G = 0;
	*pos = NULL;
	s->nsplits = 0;
	if (op->restored_id) {
		if (!(st = sl_op_state(op, errp)))
			return false;
		nb = sl_state_op_count(st);
		for (size_t i = 0; i < nb; i++) {
			const char *name = sl_state_op_name(st, i);
			size_t len;
			const int64_t *v;
			if (strncmp(name, NX_BLOB, strlen(NX_BLOB)) != 0)
				continue;
			v = sl_state_op_get(st, name, &len);
			if (len != 3 * sizeof(int64_t))
				continue;           /* emptied copy */
			G = (int)v[0];
		}
		if (G > 0) {
			s->split = calloc((size_t)G + 1, sizeof *s->split);
			*pos = calloc((size_t)G + 1, sizeof **pos);
			if (!s->split || !*pos)
				abort();
			for (size_t i = 0; i < nb; i++) {
				const char *name = sl_state_op_name(st, i);
				size_t len;
				int64_t v[3];
				const void *p;
				if (strncmp(name, NX_BLOB, strlen(NX_BLOB)) != 0)
					continue;
				p = sl_state_op_get(st, name, &len);
				if (len != sizeof v)
					continue;
				memcpy(v, p, sizeof v);
				if (v[0] != G || v[1] < 0 || v[1] >= G) {
					*errp = sl_error_new(SL_ERR_CHECKPOINT, op->rel->span,
					                     "nexmark source: inconsistent split positions in the checkpoint");
					return false;
				}
				if (v[1] % op->parallelism == op->subtask) {
					s->split[s->nsplits] = (int)v[1];
					(*pos)[s->nsplits++] = v[2];
				}
			}
			/* drop the rescaled copies "NAME@OLD" from later snapshots */
			for (size_t i = 0; i < sl_state_op_count(st); i++)
				if (strchr(sl_state_op_name(st, i), '@'))
					sl_state_op_put(st, sl_state_op_name(st, i), "", 0);
		}
	}
	if (G == 0) {
		G = op->parallelism;
		s->split = calloc(2, sizeof *s->split);
		*pos = calloc(2, sizeof **pos);
		if (!s->split || !*pos)
			abort();
		s->split[0] = op->subtask;
		s->nsplits = 1;
	}
	s->G = G;
	return true;
}

static bool
nx_open(sl_op *op, sl_error **errp)
{
	nxsrc *s = op->priv;
	int64_t *pos = NULL;
	if (!nx_restore_splits(op, s, &pos, errp))
		return false;
	s->cfg.generators = s->G;
	s->gens = calloc((size_t)s->nsplits + 1, sizeof *s->gens);
	if (!s->gens)
		abort();
	for (int i = 0; i < s->nsplits; i++) {
		s->gens[i] = sl_nexmark_gen_new(&s->cfg, s->split[i]);
		if (pos[i])
			sl_nexmark_gen_seek(s->gens[i], pos[i]);
	}
	free(pos);
	s->gen = s->gens[0];
	if (reads_channel_table(s))
		s->dict = channel_dict(s->gen);
	/* rate limit: this subtask's splits' share of the event rate */
	s->rate_per_us = (double)s->cfg.event_rate * s->nsplits / s->G / 1e6;
	s->pool = sl_chunk_pool_new(s->types, s->ncols, 0);
	s->ev = malloc(sizeof *s->ev * SL_CHUNK_CAPACITY);
	return s->pool && s->ev;
}

/* Checkpoint: each split's position. */
static bool
nx_snapshot(sl_op *op, uint64_t id, sl_error **errp)
{
	nxsrc *s = op->priv;
	sl_state *st = sl_op_state(op, errp);
	(void)id;
	if (!st)
		return false;
	for (int i = 0; i < s->nsplits; i++) {
		char name[64];
		int64_t v[3] = {s->G, s->split[i], s->gens ? sl_nexmark_gen_position(s->gens[i]) : 0};
		snprintf(name, sizeof name, NX_BLOB "%d", s->split[i]);
		sl_state_op_put(st, name, v, sizeof v);
	}
	return true;
}

/* The split whose next event id is the smallest (that id in *eid), or
 * -1 (*eid INT64_MAX) when every split is done. */
static int
nx_next_split(const nxsrc *s, int64_t *eid)
{
	int best = -1;
	*eid = INT64_MAX;
	for (int i = 0; s->gens && i < s->nsplits; i++) {
		int64_t e;
		if (sl_nexmark_gen_remaining(s->gens[i]) == 0)
			continue;
		e = s->split[i] + sl_nexmark_gen_position(s->gens[i]) * (int64_t)s->G;
		if (e < *eid) {
			*eid = e;
			best = i;
		}
	}
	return best;
}

/* Up to n events in event-id order over this subtask's splits (one
 * split: the generator's own batch). 0 at the end or without scratch. */
static size_t
nx_next_batch(nxsrc *s, sl_nexmark_event *ev, size_t n, sl_nexmark_buf *buf)
{
	size_t got = 0;
	if (s->nsplits == 1)
		return sl_nexmark_gen_next_batch(s->gen, ev, n, buf);
	while (got < n) {
		int64_t eid;
		int best = nx_next_split(s, &eid);
		if (best < 0 || sl_nexmark_gen_next_batch(s->gens[best], ev + got, 1, buf) == 0)
			break;
		got++;
	}
	return got;
}

static int64_t
nx_remaining(const nxsrc *s)
{
	int64_t r = 0;
	for (int i = 0; i < s->nsplits; i++) {
		int64_t x = sl_nexmark_gen_remaining(s->gens[i]);
		if (x == INT64_MAX)
			return INT64_MAX;
		r += x;
	}
	return r;
}

static sl_poll_status
nx_poll(sl_op *op, sl_error **errp)
{
	nxsrc *s = op->priv;
	sl_chunk *c;
	uint32_t n = 0, limit = SL_CHUNK_CAPACITY;
	if (s->ended)
		return SL_POLL_END;
	if (s->rate_limited && nx_remaining(s) > 0) {
		/* the events due by now (the first one at once) */
		int64_t now = mono_us(), due;
		if (!s->t0_us)
			s->t0_us = s->last_rows_us = now;
		due = 1 + (int64_t)((double)(now - s->t0_us) * s->rate_per_us) - s->emitted;
		if (due <= 0) {
			/* no records for the idle timeout: stop holding back time */
			if (s->idle_timeout_us > 0 && !s->idle && now - s->last_rows_us >= s->idle_timeout_us) {
				s->idle = true;
				if (!sl_op_emit_watermark(op, SL_WM_IDLE, errp))
					return SL_POLL_ERROR;
			}
			return SL_POLL_IDLE;
		}
		if (due < (int64_t)limit)
			limit = (uint32_t)due;
	}
	c = sl_chunk_pool_get(s->pool);
	if (limit > c->capacity)
		limit = c->capacity;
	while (n < limit) {
		sl_nexmark_buf buf;
		size_t got;
		buf.cap = 16384;
		buf.data = sl_strheap_alloc(&c->heap, buf.cap);
		buf.used = 0;
		got = nx_next_batch(s, s->ev + n, limit - n, &buf);
		sl_strheap_trim(&c->heap, buf.data, buf.cap, buf.used);
		if (got == 0)
			break;
		n += (uint32_t)got;
	}
	if (n) {
		for (uint32_t r = 0; r < n; r++)
			c->kinds[r] = SL_ROW_INSERT;
		c->count = n;
		for (int i = 0; i < s->ncols; i++) {
			nxcol *col = &s->cols[i];
			if (col->nchild) {
				int want = col->id == F_ROW_PERSON ? 0 : col->id == F_ROW_AUCTION ? 1 : 2;
				for (int f = 0; f < col->nchild; f++)
					fill(c->cols[i]->children[f], col->child[f], s->ev, n, s->dict);
				for (uint32_t r = 0; r < n; r++)
					if ((int)s->ev[r].kind != want)
						sl_vec_set_null(c->cols[i], r);
			} else {
				fill(c->cols[i], col->id, s->ev, n, s->dict);
			}
		}
		sl_task_count_source_rows(op->task, n);
		s->emitted += n;
		s->idle = false;
		if (s->rate_limited)
			s->last_rows_us = mono_us();
		if (!sl_op_emit(op, c, errp))
			return SL_POLL_ERROR;
		if (n == limit)
			return SL_POLL_MORE;
	} else {
		sl_chunk_unref(c);
	}
	if (nx_remaining(s) > 0)
		return SL_POLL_MORE;
	s->ended = true;
	if (!sl_op_emit_watermark(op, INT64_MAX, errp) || !sl_op_emit_end(op, errp))
		return SL_POLL_ERROR;
	return SL_POLL_END;
}

static void
nx_close(sl_op *op)
{
	nxsrc *s = op->priv;
	if (s->pool)
		sl_chunk_pool_free(s->pool);
	for (int i = 0; s->gens && i < s->nsplits; i++)
		sl_nexmark_gen_free(s->gens[i]);
	free(s->gens);
	free(s->split);
	free(s->ev);
	sl_dict_free(s->dict);
	s->dict = NULL;
	s->pool = NULL;
	s->gen = NULL;
	s->gens = NULL;
	s->split = NULL;
	s->ev = NULL;
}

/* Source alignment (op.h align_pos): the next event id over this
 * subtask's splits; INT64_MAX once they are all done. */
static int64_t
nx_align_pos(sl_op *op)
{
	int64_t eid;
	(void)nx_next_split(op->priv, &eid);
	return eid;
}

static const sl_op_ops nx_ops = {
	.name = "NexmarkSource", .open = nx_open, .poll = nx_poll, .align_pos = nx_align_pos,
	.close = nx_close, .snapshot = nx_snapshot,
};

static bool
bad_column(const sl_rel *r, const char *what, sl_error **errp)
{
	*errp = sl_error_new(SL_ERR_CONNECTOR, r->span,
	                     "nexmark table \"%s\": column \"%s\" is not a nexmark field of a matching type",
	                     r->table->name, what);
	return false;
}

bool
sl_op_init_nexmark_source(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	const sl_table *t = r->table;
	nxsrc *s = SL_ANEW(a, nxsrc);
	const char *msg;

	sl_nexmark_config_init(&s->cfg);
	/* 'table.exec.source.idle-timeout' unless the table sets its own */
	s->idle_timeout_us = sl_job_source_idle_timeout_ms(op->job) * 1000;
	for (int i = 0; i < t->noptions; i++) {
		const sl_option_kv *kv = &t->options[i];
		if (sl_streq_ci(kv->key, "connector"))
			continue;
		if (sl_streq_ci(kv->key, "rate.limited"))
			s->rate_limited = sl_streq_ci(kv->value, "true");
		if (sl_streq_ci(kv->key, "scan.watermark.idle-timeout")) {
			int64_t ms;
			if (!sl_parse_duration_ms(kv->value, &ms)) {
				*errp = sl_error_new(SL_ERR_INVALID_OPTION, kv->value_span,
				                     "invalid duration for \"scan.watermark.idle-timeout\"");
				return false;
			}
			s->idle_timeout_us = ms * 1000;
			continue;
		}
		msg = sl_nexmark_config_set(&s->cfg, kv->key, kv->value);
		if (msg && strstr(msg, "unknown") == NULL) {
			*errp = sl_error_new(SL_ERR_INVALID_OPTION, kv->value_span, "%s", msg);
			return false;
		}
	}
	if (sl_job_nexmark_events_override(op->job) > 0)
		s->cfg.max_events = sl_job_nexmark_events_override(op->job);
	s->cfg.generators = op->parallelism;
	if ((msg = sl_nexmark_config_check(&s->cfg))) {
		*errp = sl_error_new(SL_ERR_INVALID_OPTION, r->span, "nexmark source: %s", msg);
		return false;
	}
	s->ncols = r->nfields;
	s->cols = SL_ANEWN(a, nxcol, r->nfields + 1);
	s->types = sl_op_field_types(a, r);
	for (int i = 0; i < r->nfields; i++) {
		const sl_column *col = &t->cols[r->scan_cols[i]];
		int path = r->scan_paths ? r->scan_paths[i] : -1;
		int kind = sl_streq_ci(col->name, "person") ? 0 : sl_streq_ci(col->name, "auction") ? 1 :
		           sl_streq_ci(col->name, "bid") ? 2 : -1;
		nxcol *c = &s->cols[i];
		if (kind < 0) {
			if (sl_streq_ci(col->name, "event_type"))
				c->id = F_EVENT_TYPE;
			else if (sl_streq_ci(col->name, "dateTime") && col->kind == SL_TCOL_PHYSICAL)
				c->id = F_DATETIME_ANY;
			else
				return bad_column(r, col->name, errp);
			if (!check_type(c->id, r->fields[i].type))
				return bad_column(r, col->name, errp);
		} else if (path >= 0) {
			const sl_type *rt = col->type;
			if (rt->kind != SL_TYPE_ROW || path >= rt->nfields ||
			    (c->id = field_id(kind, rt->fields[path].name)) < 0 ||
			    !check_type(c->id, r->fields[i].type))
				return bad_column(r, col->name, errp);
		} else {
			const sl_type *rt = col->type;
			if (rt->kind != SL_TYPE_ROW)
				return bad_column(r, col->name, errp);
			c->id = F_ROW_PERSON + kind;
			c->nchild = rt->nfields;
			c->child = SL_ANEWN(a, int, rt->nfields + 1);
			for (int f = 0; f < rt->nfields; f++)
				if ((c->child[f] = field_id(kind, rt->fields[f].name)) < 0 ||
				    !check_type(c->child[f], rt->fields[f].type))
					return bad_column(r, rt->fields[f].name, errp);
		}
	}
	op->ops = &nx_ops;
	op->priv = s;
	return true;
}
