/*
 * join_common.h
 *	  What the join operators share (op_join.c, op_interval_join.c,
 *	  op_window_join.c, op_temporal_join.c): building output rows from
 *	  two sides, each side taken from an input chunk row, from a stored
 *	  row (runtime/key.h encoding of every column) or padded with NULLs;
 *	  and an output chunk that is emitted when full and at the end of
 *	  each push.
 *
 *	  Stored rows are the memcomparable encoding of all the side's columns
 *	  (sl_key_encode with cols 0..n-1): equal rows encode equally, so the
 *	  encoding is also the multiset key of a row (map state user key).
 *
 *	  Ownership: a jout owns its pool and its pending output chunk; the
 *	  programs and arrays it points at belong to the operator.
 *	  @thread the operator instance's worker.
 *
 * INTERFACE ROUTINES
 *	  sl_jout_init / _row / _flush / _free    output rows and chunks
 *	  sl_join_key / sl_join_key_has_null      join key bytes of an input row
 *	  sl_join_encode_row                      stored form of an input row
 *	  sl_join_cols                            0..n-1 column index array
 *	  sl_join_base_init / _open / _close      the plan-derived setup of a
 *	                                          two-input join and its per-thread
 *	                                          output builder and residual program
 */
#ifndef SL_RUNTIME_JOIN_COMMON_H
#define SL_RUNTIME_JOIN_COMMON_H

#include "runtime/op.h"
#include "runtime/expr.h"
#include "runtime/key.h"

/* One side of an output row. c != NULL: row `row` of chunk c (the side's
 * input chunk); else bytes != NULL: a stored row encoding; else NULLs. */
typedef struct sl_jside_src {
	const sl_chunk *c;
	uint32_t row;
	const char *bytes;
	size_t len;
} sl_jside_src;

#define SL_JSRC_CHUNK(ch, r) ((sl_jside_src){(ch), (r), NULL, 0})
#define SL_JSRC_BYTES(b, n) ((sl_jside_src){NULL, 0, (const char *)(b), (n)})
#define SL_JSRC_NULL ((sl_jside_src){NULL, 0, NULL, 0})

/* Output builder: rows are left columns 0..nl-1 then right nl..nl+nr-1. */
typedef struct sl_jout {
	sl_op *op;
	int nl, nr;
	const int *lcols;           /* 0..nl-1 */
	const int *rcols;           /* nl..nl+nr-1 */
	sl_chunk_pool *pool;
	sl_chunk *out;
	sl_rexpr_prog *cond;        /* applied to the chunk before it is sent
	                             * (inner joins); NULL: rows are final */
} sl_jout;

/* types: the join's output types (nl + nr columns). */
void sl_jout_init(sl_jout *jo, sl_op *op, const sl_type *const *types, int nl, int nr,
                  const int *allcols, sl_rexpr_prog *cond);
/* Append one row of kind k (a chunk that fills up is sent first). */
bool sl_jout_row(sl_jout *jo, sl_row_kind k, sl_jside_src l, sl_jside_src r, sl_error **errp);
/* Send the pending chunk (after the residual filter, if any). */
bool sl_jout_flush(sl_jout *jo, sl_error **errp);
void sl_jout_free(sl_jout *jo);

/* What a two-input join operator takes from its plan node (INNER, LEFT,
 * RIGHT, FULL; sides 0 = left, 1 = right) and the per-thread pieces every
 * such operator builds from it. Embedded in the operator's priv; the
 * operator adds its own state handles and buffers.
 * Ownership: the plan-derived fields live in the constructor's arena; the
 * per-thread ones are made by _open and released by _close. */
typedef struct sl_join_base {
	int n[2];                   /* columns of each side */
	const int *keys[2];         /* equi-key columns of each side */
	int nkeys;
	int *allcols;               /* 0..n[0]+n[1]-1 */
	bool outer[2];              /* side s's unmatched rows are padded */
	sl_rexpr *cond;             /* residual condition over left ++ right, or NULL */
	const sl_type *const *types; /* output types (left ++ right) */
	/* per thread */
	sl_jout jo;                 /* output rows */
	sl_rexpr_prog *cprog;       /* cond's program (NULL: no cond) */
	sl_chunk_pool *cpool;       /* chunks of candidate pairs for cprog
	                             * (NULL with filter_output) */
} sl_join_base;

/* Fill b's plan-derived fields from join node r (arena a; cond lowered).
 * false with *errp for a condition the runtime cannot evaluate. */
bool sl_join_base_init(sl_join_base *b, const sl_rel *r, sl_arena *a, sl_error **errp);
/* Per-thread setup: cond's program and the output builder of op. With
 * filter_output the builder applies cond to every output chunk (inner
 * rows only: no padding decisions depend on it) and there is no cpool;
 * else output rows are final, the operator filters candidates with cprog
 * in chunks from cpool itself. */
bool sl_join_base_open(sl_join_base *b, sl_op *op, bool filter_output, sl_error **errp);
/* Release what _open made; safe after a failed or absent _open. */
void sl_join_base_close(sl_join_base *b);

/* Write one side into row `row` of chunk dst at columns first..first+n-1.
 * false if a stored row does not decode. */
bool sl_join_fill(sl_chunk *dst, uint32_t row, int first, int n, const int *dcols,
                  sl_jside_src s);

/* Join key of row r: the encoding of cols (one '\0' byte for no keys). */
void sl_join_key(const sl_chunk *c, uint32_t r, const int *cols, int ncols, sl_strbuf *out);
/* true if a key column of row r is NULL (= never matches). */
bool sl_join_key_has_null(const sl_chunk *c, uint32_t r, const int *cols, int ncols);
/* Stored form of row r (all ncols columns). */
void sl_join_encode_row(const sl_chunk *c, uint32_t r, const int *allcols, int ncols,
                        sl_strbuf *out);
/* 0..n-1 in arena a. */
int *sl_join_cols(sl_arena *a, int first, int n);
/* Read an int64 time column value (TIMESTAMP/BIGINT) of row r. */
int64_t sl_join_time(const sl_chunk *c, uint32_t r, int col);

/* Big-endian 8-byte encoding of t with the sign bit flipped (memcmp order
 * = numeric order), for user keys ordered by time. */
void sl_join_be64(unsigned char *p, int64_t t);
int64_t sl_join_from_be64(const unsigned char *p);

/* Report dropped late rows on stderr (nothing when n == 0). */
void sl_join_report_late(const sl_op *op, uint64_t n);

#endif /* SL_RUNTIME_JOIN_COMMON_H */
