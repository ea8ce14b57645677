/*
 * agg_udf.c
 *	  C aggregate functions in the aggregate operators' accumulators. The
 *	  layout and the contracts are in agg_udf.h.
 *
 * INTERFACE ROUTINES
 *	  sl_agg_udf_spec_init, sl_agg_udf_state_bytes, sl_agg_udf_accumulate,
 *	  sl_agg_udf_write, sl_agg_udf_merge
 */
#include "runtime/agg_udf.h"
#include "state/state.h"
#include "udf/udf.h"

#include <string.h>

/* One C aggregate of one operator instance: the engine side of its
 * context and the aligned buffers its entry points work on. */
struct sl_agg_udf {
	const sl_udf_fn *fn;
	sl_udf_call call;           /* error buffer freed after each failure */
	sl_arena *scratch;          /* ctx->alloc memory (child of the op arena) */
	sl_arena *mem;              /* states arrays (child of the op arena) */
	uint32_t state_size;        /* the library's */
	uint32_t block;             /* bytes inline in the accumulators: state_size
	                             * rounded up to 16; 0 for library state */
	bool lib;                   /* library-serialized state (serialize != NULL):
	                             * kept in the map state ms, not inline */
	sl_state_map *ms;           /* "udfstate": (group key, ns + agg#) -> bytes */
	int idx;                    /* this aggregate's number */
	const void *key;            /* the current group (sl_agg_udf_set_key) */
	size_t klen;
	unsigned char ukey[18];     /* ns (<= 16 bytes) + 2 bytes idx */
	size_t uklen;
	uint32_t width;             /* bytes of one result value (<= 16) */
	unsigned char *state;       /* block bytes, 16-byte aligned */
	unsigned char *src;         /* merge source, block bytes, aligned */
	int nargs;
	sluice_udf_vector *in;      /* nargs ABI vectors, rebuilt per row */
	void **states;              /* indexed by row position: all -> state */
	uint32_t nstates;
	sluice_udf_type rtype;
	_Alignas(16) unsigned char result[16];   /* finish output, row 0 (aligned: the library
	                            * writes it as int64_t, double, __int128) */
	uint64_t rvalid;
};

/* Slot of aggregate i as the header describes it. */
typedef struct udf_slot {
	int64_t notnull;
	int64_t inited;
	unsigned char v[16];
} udf_slot;
_Static_assert(sizeof(udf_slot) <= sizeof(sl_agg_acc), "a C aggregate's slot is a whole sl_agg_acc");

/* Refuse fn for sluice run: "... \"f\" yet: <why>". */
static bool
refuse(const sl_rel *r, sl_error **errp, const char *name, const char *why)
{
	*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
	                     "sluice run cannot execute C aggregate function \"%s\" yet: %s", name, why);
	return false;
}

bool
sl_agg_udf_spec_init(sl_aggspec *specs, int idx, const sl_aggcall *c, const sl_rel *r,
                     const sl_rel *in, sl_arena *a, sl_error **errp)
{
	sl_aggspec *s = &specs[idx];
	const sl_udf_fn *fn = c->udf;
	const sluice_udf_aggregate *ag;
	struct sl_agg_udf *u;
	size_t off = 0;             /* among the C aggregate blocks; sl_agg_specs_init
	                             * adds the slots' bytes once they are laid out */
	if (!fn || fn->kind != SLUICE_UDF_AGGREGATE || !(ag = fn->desc.aggregate)) {
		*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "aggregate \"%s\" has no C function",
		                     c->name ? c->name : "?");
		return false;
	}
	if (sl_type_is_string(fn->sig.result) || sl_vector_width(fn->sig.result) > 16 ||
	    sl_vector_width(fn->sig.result) == 0)
		return refuse(r, errp, fn->name,
		              "only fixed-width results (numbers, dates, times) are supported");
	if (!ag->retract && (in->changelog.kinds & (SL_CL_UB | SL_CL_D))) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "C aggregate function \"%s\" cannot take back rows, but its input "
		                     "has updates", fn->name);
		sl_error_set_hint(*errp, "the library must provide retract to aggregate an updating input");
		return false;
	}
	if (c->nargs != fn->sig.nargs) {
		*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "C aggregate \"%s\" called with %d arguments, declared %d",
		                     fn->name, c->nargs, fn->sig.nargs);
		return false;
	}
	for (int k = 0; k < idx; k++)
		if (specs[k].udf)
			off += specs[k].udf->block;
	u = SL_ANEW(a, struct sl_agg_udf);
	u->fn = fn;
	u->scratch = sl_arena_new(a, "agg_udf");
	u->mem = sl_arena_new(a, "agg_udf_states");
	sl_udf_call_init(&u->call, fn, u->scratch);
	u->state_size = ag->state_size;
	u->lib = ag->serialize != NULL;
	u->idx = idx;
	u->block = u->lib ? 0 : (ag->state_size + 15u) & ~15u;
	u->width = sl_vector_width(fn->sig.result);
	u->state = sl_arena_alloc(a, (ag->state_size + 15u) & ~15u);
	u->src = sl_arena_alloc(a, (ag->state_size + 15u) & ~15u);
	u->nargs = c->nargs;
	u->in = SL_ANEWN(a, sluice_udf_vector, c->nargs + 1);
	u->rtype = sl_udf_abi_type(fn->sig.result);
	s->udf = u;
	s->udf_off = off;
	s->args = c->args;
	s->argtype = c->nargs > 0 ? in->fields[c->args[0]].type : NULL;
	return true;
}

size_t
sl_agg_udf_state_bytes(const sl_aggspec *specs, int naggs)
{
	size_t n = 0;
	for (int i = 0; i < naggs; i++)
		if (specs[i].udf)
			n += specs[i].udf->block;
	return n;
}

/* An error from the library: the message names the function and the row
 * position; the detail shows the row itself when there is one. */
static bool
fail(struct sl_agg_udf *u, sl_error *err, const sl_chunk *in, uint32_t r, sl_error **errp)
{
	if (!err)
		err = sl_error_new(SL_ERR_UDF, SL_SPAN_NONE, "function \"%s\" failed", u->fn->name);
	if (in && err->message && strstr(err->message, " at input row ")) {
		sl_strbuf sb = SL_STRBUF_INIT, row = SL_STRBUF_INIT;
		sl_chunk_format_row(in, r, &row);
		if (err->detail)
			sl_strbuf_appendf(&sb, "%s ", err->detail);
		sl_strbuf_appendf(&sb, "The failing input row is %s.", sl_strbuf_str(&row));
		sl_error_set_detail(err, "%s", sl_strbuf_str(&sb));
		sl_strbuf_free(&sb);
		sl_strbuf_free(&row);
	}
	sl_udf_call_done(&u->call);     /* the message buffer; the call stays usable */
	sl_arena_reset(u->scratch);
	*errp = err;
	return false;
}

/* Refresh the cached result of u->state into slot. */
static bool
refresh(struct sl_agg_udf *u, udf_slot *slot, sl_error **errp)
{
	const void *st = u->state;
	sluice_udf_out out = {u->rtype, u->result, &u->rvalid, 1, 0};
	sl_error *err = NULL;
	memset(u->result, 0, sizeof u->result);
	u->rvalid = 1;
	if (!sl_udf_agg_finish(u->fn, &u->call, &st, 1, &out, &err))
		return fail(u, err, NULL, 0, errp);
	slot->notnull = (int64_t)(u->rvalid & 1);
	memset(slot->v, 0, sizeof slot->v);
	if (slot->notnull)
		memcpy(slot->v, u->result, u->width);
	return true;
}

/* Load aggregate i's state from accs (or, for library state, from the
 * map state under the current key) into u->state, initializing it the
 * first time; slot gets the slot. */
static bool
load(struct sl_agg_udf *u, const sl_aggspec *s, int i, const unsigned char *accs, udf_slot *slot,
     sl_error **errp)
{
	sl_error *err = NULL;
	memcpy(slot, accs + s->off, sizeof *slot);
	if (u->lib && !u->key) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, SL_SPAN_NONE,
		                     "C aggregate function \"%s\" keeps library-serialized state, "
		                     "which this operator (SESSION windows) cannot store yet", u->fn->name);
		return false;
	}
	if (slot->inited && !u->lib) {
		memcpy(u->state, accs + s->udf_off, u->block);
		return true;
	}
	if (slot->inited) {
		const void *v;
		size_t vlen;
		int found = sl_state_map_get(u->ms, u->key, u->klen, u->ukey, u->uklen, &v, &vlen, errp);
		if (found < 0)
			return false;
		if (found == 0) {
			*errp = sl_error_new(SL_ERR_CORRUPT, SL_SPAN_NONE,
			                     "the stored state of function \"%s\" is missing", u->fn->name);
			return false;
		}
		if (!sl_udf_agg_deserialize(u->fn, &u->call, v, vlen, u->state, &err))
			return fail(u, err, NULL, 0, errp);
		return true;
	}
	memset(u->state, 0, u->state_size);
	if (!sl_udf_agg_init(u->fn, &u->call, u->state, &err))
		return fail(u, err, NULL, 0, errp);
	slot->inited = 1;
	return true;
}

/* Write u->state and slot back: inline, or serialized into the map state
 * (then the in-memory state is destroyed). */
static bool
store(struct sl_agg_udf *u, const sl_aggspec *s, int i, unsigned char *accs, const udf_slot *slot,
      sl_error **errp)
{
	memcpy(accs + s->off, slot, sizeof *slot);
	if (!u->lib) {
		memcpy(accs + s->udf_off, u->state, u->block);
		return true;
	}
	{
		const void *bytes;
		size_t len;
		sl_error *err = NULL;
		bool ok = sl_udf_agg_serialize(u->fn, &u->call, u->state, &bytes, &len, &err) &&
		          sl_state_map_put(u->ms, u->key, u->klen, u->ukey, u->uklen, bytes, len, &err);
		sl_udf_agg_destroy(u->fn, &u->call, u->state);
		sl_arena_reset(u->scratch);
		if (!ok)
			return fail(u, err, NULL, 0, errp);
	}
	return true;
}

/* After a failure between load and store: release library memory. */
static void
drop(struct sl_agg_udf *u)
{
	if (u->lib)
		sl_udf_agg_destroy(u->fn, &u->call, u->state);
}

/* u->states with at least n entries, every one pointing at u->state (a
 * call passes states indexed by row position; only states[r] is read). */
static void
states_for(struct sl_agg_udf *u, uint32_t n)
{
	if (u->nstates >= n)
		return;
	uint32_t cap = n > 2 * u->nstates ? n : 2 * u->nstates;
	u->states = SL_ANEWN(u->mem, void *, cap);
	for (uint32_t k = 0; k < cap; k++)
		u->states[k] = u->state;
	u->nstates = cap;
}

bool
sl_agg_udf_accumulate(const sl_aggspec *s, int i, unsigned char *accs, const sl_chunk *in,
                      uint32_t r, bool retract, sl_error **errp)
{
	struct sl_agg_udf *u = s->udf;
	const sl_udf_fn *fn = u->fn;
	sl_error *err = NULL;
	udf_slot slot;
	bool ok;
	if (!load(u, s, i, accs, &slot, errp))
		return false;
	states_for(u, in->count);
	for (int k = 0; k < u->nargs; k++) {
		const sl_vector *v = in->cols[s->args[k]];
		u->in[k] = (sluice_udf_vector){sl_udf_abi_type(fn->sig.args[k]), v->values, v->validity,
		                               in->count, 0};
	}
	if (retract)
		ok = sl_udf_agg_retract(fn, &u->call, u->states, u->in, &r, 1, &err);
	else
		ok = sl_udf_agg_accumulate(fn, &u->call, u->states, u->in, &r, 1, &err);
	if (!ok) {
		drop(u);
		return fail(u, err, in, r, errp);
	}
	if (!refresh(u, &slot, errp)) {
		drop(u);
		return false;
	}
	sl_arena_reset(u->scratch);
	return store(u, s, i, accs, &slot, errp);
}

void
sl_agg_udf_write(const sl_aggspec *s, int i, const unsigned char *accs, sl_vector *v, uint32_t row)
{
	udf_slot slot;
	memcpy(&slot, accs + s->off, sizeof slot);
	if (!slot.notnull) {
		sl_vec_set_null(v, row);
		return;
	}
	memcpy((unsigned char *)v->values + (size_t)row * s->udf->width, slot.v, s->udf->width);
}

bool
sl_agg_udf_merge(const sl_aggspec *specs, int naggs, unsigned char *dst, const unsigned char *src,
                 sl_error **errp)
{
	for (int i = 0; i < naggs; i++) {
		const sl_aggspec *s = &specs[i];
		struct sl_agg_udf *u = s->udf;
		udf_slot ds, ss;
		sl_error *err = NULL;
		if (!u)
			continue;
		memcpy(&ss, src + s->off, sizeof ss);
		if (u->lib) {
			*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, SL_SPAN_NONE,
			                     "C aggregate function \"%s\" keeps library-serialized state, "
			                     "which SESSION windows cannot merge yet", u->fn->name);
			return false;
		}
		if (!load(u, s, i, dst, &ds, errp))
			return false;
		if (ss.inited) {
			memcpy(u->src, src + s->udf_off, u->block);
			if (!sl_udf_agg_merge(u->fn, &u->call, u->state, u->src, &err))
				return fail(u, err, NULL, 0, errp);
		}
		if (!refresh(u, &ds, errp))
			return false;
		sl_arena_reset(u->scratch);
		if (!store(u, s, i, dst, &ds, errp))
			return false;
	}
	return true;
}

bool
sl_agg_udf_open(const sl_aggspec *specs, int naggs, struct sl_state *st, sl_error **errp)
{
	sl_state_map *ms = NULL;
	for (int i = 0; i < naggs; i++) {
		struct sl_agg_udf *u = specs[i].udf;
		if (!u || !u->lib)
			continue;
		if (!ms && !(ms = sl_state_map_open(st, "udfstate", &(sl_state_desc){0}, errp)))
			return false;
		u->ms = ms;
	}
	return true;
}

void
sl_agg_udf_set_key(const sl_aggspec *specs, int naggs, const void *key, size_t klen,
                   const void *ns, size_t nslen)
{
	for (int i = 0; i < naggs; i++) {
		struct sl_agg_udf *u = specs[i].udf;
		if (!u || !u->lib)
			continue;
		SL_ASSERT(nslen <= 16);
		u->key = key;
		u->klen = klen;
		if (nslen)
			memcpy(u->ukey, ns, nslen);
		u->ukey[nslen] = (unsigned char)(u->idx >> 8);
		u->ukey[nslen + 1] = (unsigned char)(u->idx & 0xff);
		u->uklen = nslen + 2;
	}
}

bool
sl_agg_udf_clear(const sl_aggspec *specs, int naggs, sl_error **errp)
{
	for (int i = 0; i < naggs; i++) {
		struct sl_agg_udf *u = specs[i].udf;
		if (!u || !u->lib || !u->key)
			continue;
		if (!sl_state_map_remove(u->ms, u->key, u->klen, u->ukey, u->uklen, errp))
			return false;
	}
	return true;
}
