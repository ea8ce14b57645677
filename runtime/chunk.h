/*
 * chunk.h
 *	  Chunks: columnar batches of up to SL_CHUNK_CAPACITY rows that flow
 *	  between operators.
 *
 *	  A chunk has one sl_vector per column, a changelog-kind byte per row
 *	  (kinds[i] is SL_ROW_INSERT (+I), SL_ROW_UPDATE_BEFORE (-U),
 *	  SL_ROW_UPDATE_AFTER (+U) or SL_ROW_DELETE (-D)), an optional selection
 *	  vector (sel == NULL: rows 0..count-1 are live; else the live rows are
 *	  sel[0..nsel), strictly ascending) and a string heap that holds the
 *	  bytes of every string the chunk's vectors point at, unless the string
 *	  is a constant or lives in a chunk this one keeps alive (sl_chunk_keep).
 *
 *	  Ownership: chunks are reference-counted (atomic, so a chunk may be
 *	  released on another thread than the one that filled it). The holder
 *	  of a reference may read the chunk; only the sole holder (refcount 1)
 *	  may modify it. When the count drops to zero the chunk goes back to the
 *	  pool it came from: a pool belongs to one thread (the producer), keeps
 *	  a free list, and takes chunks released by other threads back through
 *	  a lock-free return stack, so a steady-state pipeline allocates nothing.
 *
 * INTERFACE ROUTINES
 *	  sl_chunk_pool_new / _free / _adopt   per-thread pools of chunks of one schema
 *	  sl_chunk_pool_get                    a fresh, empty chunk (refcount 1)
 *	  sl_chunk_new                         a chunk outside any pool
 *	  sl_chunk_ref / sl_chunk_unref        share / release
 *	  sl_chunk_reset                       empty a chunk for reuse
 *	  sl_chunk_keep                        keep another chunk alive with this one
 *	  sl_chunk_append_row, sl_chunk_set_*  fill rows (sources)
 *	  sl_chunk_copy_rows                   gather rows of one chunk into another
 *	  sl_chunk_compact                     apply the selection in place
 *	  sl_chunk_format_row, sl_value_format Flink's print format
 *	  sl_strheap_alloc / sl_strheap_copy   string bytes in a chunk's heap
 *	  sl_chunk_stats_get                   allocation counters (tests, metrics)
 */
#ifndef SL_RUNTIME_CHUNK_H
#define SL_RUNTIME_CHUNK_H

#include "runtime/vector.h"

#include <stdatomic.h>

/* Changelog kinds, as Flink's RowKind. */
typedef enum sl_row_kind {
	SL_ROW_INSERT = 0,        /* +I */
	SL_ROW_UPDATE_BEFORE = 1, /* -U */
	SL_ROW_UPDATE_AFTER = 2,  /* +U */
	SL_ROW_DELETE = 3         /* -D */
} sl_row_kind;

const char *sl_row_kind_str(sl_row_kind k); /* "+I", "-U", "+U", "-D" */

typedef struct sl_strheap_block sl_strheap_block;
/* Bump storage for string bytes. reset() rewinds without freeing, so a
 * reused chunk does not allocate once its heap has grown to its working size. */
struct sl_strheap {
	sl_strheap_block *head;   /* blocks in allocation order */
	sl_strheap_block *cur;    /* block being filled */
	size_t used;              /* bytes handed out since the last reset */
};

void sl_strheap_init(sl_strheap *h);
void sl_strheap_reset(sl_strheap *h);
void sl_strheap_destroy(sl_strheap *h);
/* n bytes (unaligned), valid until the heap is reset. Never NULL. */
char *sl_strheap_alloc(sl_strheap *h, size_t n);
/* Return unused tail bytes of the latest allocation (shrink it to keep). */
void sl_strheap_trim(sl_strheap *h, char *p, size_t alloc, size_t keep);
/* A copy of s in the heap. */
sl_str sl_strheap_copy(sl_strheap *h, const char *s, size_t n);

#define SL_CHUNK_MAX_KEEP 4

typedef struct sl_chunk_pool sl_chunk_pool;
typedef struct sl_chunk sl_chunk;

struct sl_chunk {
	int ncols;                  /* columns */
	uint32_t capacity;          /* rows each vector can hold */
	uint32_t count;             /* rows filled, 0..capacity */
	sl_vector **cols;           /* ncols vectors, owned */
	uint8_t *kinds;             /* capacity changelog kinds (sl_row_kind), owned */
	uint16_t *sel;              /* NULL: all rows live; else nsel ascending rows */
	uint32_t nsel;              /* live rows when sel != NULL */
	uint16_t *sel_buf;          /* owned storage for sel, capacity entries */
	sl_strheap heap;            /* string bytes of this chunk */
	atomic_int refcount;        /* holders; 0 = back in the pool */
	sl_chunk_pool *pool;        /* home pool, or NULL */
	sl_chunk *next;             /* pool free-list link */
	int nkeep;                  /* chunks kept alive with this one */
	sl_chunk *keep[SL_CHUNK_MAX_KEEP];
	const sl_type *const *types;/* ncols column types (borrowed) */
};

/* Live rows of a chunk. */
static inline uint32_t
sl_chunk_live(const sl_chunk *c)
{
	return c->sel ? c->nsel : c->count;
}

/* Allocation counters, process-wide (atomic). A steady-state pipeline
 * keeps them constant. */
typedef struct sl_chunk_stats {
	uint64_t chunks_allocated;   /* chunks created (malloc) */
	uint64_t chunks_freed;
	uint64_t heap_blocks;        /* string-heap blocks malloc'ed */
	uint64_t pool_gets;          /* sl_chunk_pool_get calls */
} sl_chunk_stats;
void sl_chunk_stats_get(sl_chunk_stats *out);

/* A pool of chunks with the given column types (borrowed: they must
 * outlive the pool) and capacity (0 = SL_CHUNK_CAPACITY). The calling
 * thread becomes the owner. @thread owner for get; any thread for unref. */
sl_chunk_pool *sl_chunk_pool_new(const sl_type *const *types, int ncols, uint32_t capacity);
/* Make the calling thread the owner (after handing the pool to a worker). */
void sl_chunk_pool_adopt(sl_chunk_pool *pool);
/* Release the pool. Chunks still referenced elsewhere stay valid and are
 * freed when released; the pool's memory goes with the last of them. */
void sl_chunk_pool_free(sl_chunk_pool *pool);
/* An empty chunk (count 0, sel NULL, all +I, refcount 1). @thread owner */
sl_chunk *sl_chunk_pool_get(sl_chunk_pool *pool);
/* Chunks the pool holds right now and chunks it ever created. */
void sl_chunk_pool_counts(sl_chunk_pool *pool, uint64_t *idle, uint64_t *created);

/* A chunk outside any pool (freed when its refcount drops to zero). */
sl_chunk *sl_chunk_new(const sl_type *const *types, int ncols, uint32_t capacity);

static inline sl_chunk *
sl_chunk_ref(sl_chunk *c)
{
	atomic_fetch_add_explicit(&c->refcount, 1, memory_order_relaxed);
	return c;
}
/* Drop a reference; at zero the chunk is reset and returned to its pool
 * (or freed). @thread any */
void sl_chunk_unref(sl_chunk *c);

/* Empty the chunk: count 0, no selection, no kept chunks, heap rewound. */
void sl_chunk_reset(sl_chunk *c);
/* Keep src alive as long as c (c's vectors point at src's strings).
 * Takes a new reference on src; at most SL_CHUNK_MAX_KEEP distinct chunks. */
void sl_chunk_keep(sl_chunk *c, sl_chunk *src);

/* Append an empty row with kind +I and all columns valid; returns its index.
 * The caller checks count < capacity first. */
static inline uint32_t
sl_chunk_append_row(sl_chunk *c)
{
	uint32_t r = c->count++;
	SL_ASSERT(r < c->capacity);
	c->kinds[r] = SL_ROW_INSERT;
	for (int i = 0; i < c->ncols; i++)
		if (c->cols[i]->validity)
			sl_vec_set_valid(c->cols[i], r);
	return r;
}

static inline bool sl_chunk_full(const sl_chunk *c) { return c->count >= c->capacity; }

static inline void
sl_chunk_set_null(sl_chunk *c, int col, uint32_t row)
{
	sl_vec_set_null(c->cols[col], row);
}
static inline void
sl_chunk_set_bool(sl_chunk *c, int col, uint32_t row, bool v)
{
	SL_VEC_DATA(c->cols[col], uint8_t)[row] = v ? 1 : 0;
}
static inline void
sl_chunk_set_i32(sl_chunk *c, int col, uint32_t row, int32_t v)
{
	SL_VEC_DATA(c->cols[col], int32_t)[row] = v;
}
static inline void
sl_chunk_set_i64(sl_chunk *c, int col, uint32_t row, int64_t v)
{
	SL_VEC_DATA(c->cols[col], int64_t)[row] = v;
}
static inline void
sl_chunk_set_f64(sl_chunk *c, int col, uint32_t row, double v)
{
	SL_VEC_DATA(c->cols[col], double)[row] = v;
}
/* Copies the bytes into the chunk's heap. */
static inline void
sl_chunk_set_str(sl_chunk *c, int col, uint32_t row, const char *s, size_t n)
{
	SL_VEC_DATA(c->cols[col], sl_str)[row] = sl_strheap_copy(&c->heap, s, n);
}
/* Points at bytes that outlive the chunk (constants). */
static inline void
sl_chunk_set_str_static(sl_chunk *c, int col, uint32_t row, sl_str s)
{
	SL_VEC_DATA(c->cols[col], sl_str)[row] = s;
}

/* Append rows rows[0..n) of src (rows = NULL: src's live rows, n ignored)
 * to dst, with their kinds; string bytes are copied into dst's heap so dst
 * does not depend on src. Column types must match physically. Returns the
 * number of rows appended (stops when dst is full). */
uint32_t sl_chunk_copy_rows(sl_chunk *dst, const sl_chunk *src, const uint16_t *rows, uint32_t n);
/* Move the selected rows to the front (order kept) and drop the selection. */
void sl_chunk_compact(sl_chunk *c);

/* Flink's print format of one row, e.g. "+I[1, abc, 2026-01-01T00:00]"
 * (the external Java objects' toString: LocalDateTime, BigDecimal, Double,
 * nested rows as +I[...], arrays [a, b], maps {k=v}); NULL as "null". */
void sl_chunk_format_row(const sl_chunk *c, uint32_t row, sl_strbuf *out);
/* One value in the same format. */
void sl_value_format(const sl_vector *v, uint32_t row, sl_strbuf *out);

#endif /* SL_RUNTIME_CHUNK_H */
