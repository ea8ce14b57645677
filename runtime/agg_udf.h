/*
 * agg_udf.h
 *	  C aggregate functions (udf/udf.h, SL_AGG_UDF) inside the accumulator
 *	  byte strings of GroupAggregate, WindowAggregate and session windows
 *	  (runtime/op.h: sl_agg_specs_init / sl_agg_accumulate / sl_agg_write).
 *
 *	  Layout of a group's accumulators with C aggregates:
 *
 *	    int64 rows | 32-byte slot per aggregate | state block per C aggregate
 *
 *	  A C aggregate's slot caches its current result, so the operators'
 *	  "did the result change" comparison of the slots and sl_agg_write work
 *	  as for built-ins: {int64 1 = result not NULL / 0 = NULL; int64 1 =
 *	  state initialized; 16 bytes: the result value, zero-padded}. Its
 *	  state block (the library's fixed-size state, state_size bytes rounded
 *	  up to 16) follows the slots, at sl_aggspec.udf_off. Because the whole
 *	  byte string is the operator's keyed state, the UDF state is stored,
 *	  spilled, checkpointed and restored with it, byte for byte.
 *
 *	  Every fold (accumulate or retract of one row) copies the block into a
 *	  16-byte aligned buffer, calls the library, calls finish to refresh
 *	  the cached result and copies both back.
 *
 *	  Library-serialized state (serialize != NULL) has no inline block: it
 *	  lives in the operator's map state "udfstate" under (group key, ns +
 *	  2-byte aggregate number), ns being what the operator adds to tell a
 *	  group's windows apart (WindowAggregate: the window end). Each fold
 *	  deserializes, folds, serializes, puts and destroys. The operator
 *	  opens the map (sl_agg_udf_open), names the group before folding
 *	  (sl_agg_udf_set_key) and drops the entries with the group
 *	  (sl_agg_udf_clear). SESSION windows do neither: library state fails
 *	  there with a clear error. Results that are not fixed-width (strings)
 *	  are refused at job build time.
 *
 *	  @thread the operator instance's worker; one sl_agg_udf per instance.
 *
 * INTERFACE ROUTINES
 *	  sl_agg_udf_spec_init      check and prepare one SL_AGG_UDF spec
 *	  sl_agg_udf_state_bytes    bytes the state blocks add to the accumulators
 *	  sl_agg_udf_accumulate     fold input row r into accs
 *	  sl_agg_udf_write          write the cached result
 *	  sl_agg_udf_merge          merge src's C aggregate states into dst's
 *	  sl_agg_udf_open / _set_key / _clear   library-serialized state's map
 */
#ifndef SL_RUNTIME_AGG_UDF_H
#define SL_RUNTIME_AGG_UDF_H

#include "runtime/op.h"

/* Fill s (already holding kind, arg, filter, rtype) for aggregate call c
 * of rel r (input in); specs[0..idx-1] are complete (their state offsets
 * place this one's). Refuses, with SL_ERR_FEATURE_NOT_SUPPORTED, what the
 * operators cannot run, and a function without retract over an input
 * that has updates. Per-instance memory comes from a. */
bool sl_agg_udf_spec_init(sl_aggspec *specs, int idx, const sl_aggcall *c, const sl_rel *r,
                          const sl_rel *in, sl_arena *a, sl_error **errp);
/* Bytes after sl_agg_acc_bytes(specs, naggs) taken by C aggregate states. */
size_t sl_agg_udf_state_bytes(const sl_aggspec *specs, int naggs);
/* Fold row r of in (retract: take it back) into aggregate i of accs. */
bool sl_agg_udf_accumulate(const sl_aggspec *s, int i, unsigned char *accs, const sl_chunk *in,
                           uint32_t r, bool retract, sl_error **errp);
/* Write aggregate i's cached result from accs into v at row. */
void sl_agg_udf_write(const sl_aggspec *s, int i, const unsigned char *accs, sl_vector *v,
                      uint32_t row);
/* Merge every C aggregate state of src into dst (same specs) and refresh
 * dst's cached results; the built-in slots are not touched. */
bool sl_agg_udf_merge(const sl_aggspec *specs, int naggs, unsigned char *dst,
                      const unsigned char *src, sl_error **errp);

/* Open the map state of library-serialized aggregates (if any) in st;
 * at the operator's open. */
bool sl_agg_udf_open(const sl_aggspec *specs, int naggs, struct sl_state *st, sl_error **errp);
/* The group the next folds and sl_agg_udf_clear are for: key (borrowed,
 * valid until then) and ns (<= 16 bytes, copied; NULL/0 for none). */
void sl_agg_udf_set_key(const sl_aggspec *specs, int naggs, const void *key, size_t klen,
                        const void *ns, size_t nslen);
/* Remove the current group's library-serialized states. */
bool sl_agg_udf_clear(const sl_aggspec *specs, int naggs, sl_error **errp);

#endif /* SL_RUNTIME_AGG_UDF_H */
