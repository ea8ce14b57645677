/*
 * chunk.c
 *	  Vectors, chunks, string heaps and per-thread chunk pools.
 *
 *	  A pool's free list is touched only by its owner thread. Chunks
 *	  released on other threads are pushed onto the pool's return stack
 *	  (a lock-free Treiber stack that is only ever pushed by many and
 *	  drained whole by the owner with one exchange, so there is no ABA).
 *	  The pool's memory is reference-counted by the pool handle plus every
 *	  chunk that is out of the pool, so sl_chunk_pool_free may run while
 *	  chunks still sit in queues.
 *
 * INTERFACE ROUTINES
 *	  see chunk.h and vector.h
 */
#include "runtime/runtime_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Statistics
 * ------------------------------------------------------------------- */
static atomic_uint_fast64_t stat_chunks_allocated;
static atomic_uint_fast64_t stat_chunks_freed;
static atomic_uint_fast64_t stat_heap_blocks;
static atomic_uint_fast64_t stat_pool_gets;

void
sl_chunk_stats_get(sl_chunk_stats *out)
{
	out->chunks_allocated = atomic_load(&stat_chunks_allocated);
	out->chunks_freed = atomic_load(&stat_chunks_freed);
	out->heap_blocks = atomic_load(&stat_heap_blocks);
	out->pool_gets = atomic_load(&stat_pool_gets);
}

const char *
sl_row_kind_str(sl_row_kind k)
{
	static const char *const names[] = {"+I", "-U", "+U", "-D"};
	return (unsigned)k < 4 ? names[k] : "?";
}

/* ---------------------------------------------------------------------
 * Vectors
 * ------------------------------------------------------------------- */
uint32_t
sl_vector_width(const sl_type *t)
{
	switch (t->kind) {
	case SL_TYPE_NULL:
	case SL_TYPE_BOOLEAN:
	case SL_TYPE_TINYINT:
		return 1;
	case SL_TYPE_SMALLINT:
		return 2;
	case SL_TYPE_INT:
	case SL_TYPE_FLOAT:
	case SL_TYPE_DATE:
	case SL_TYPE_INTERVAL_YM:
		return 4;
	case SL_TYPE_BIGINT:
	case SL_TYPE_DOUBLE:
	case SL_TYPE_TIME:
	case SL_TYPE_TIMESTAMP:
	case SL_TYPE_TIMESTAMP_LTZ:
	case SL_TYPE_INTERVAL_DT:
		return 8;
	case SL_TYPE_DECIMAL:
		return t->precision <= 18 ? 8 : 16;
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR:
	case SL_TYPE_BYTES:
		return sizeof(sl_str);
	case SL_TYPE_ARRAY:
	case SL_TYPE_MAP:
		return 0; /* offsets only */
	case SL_TYPE_ROW:
		return 0;
	case SL_TYPE__COUNT:
		break;
	}
	sl_fatal("internal error: vector of unknown type kind %d", (int)t->kind);
}

static void
vector_alloc_values(sl_vector *v, uint32_t capacity)
{
	size_t w = v->width ? v->width : 1;
	v->capacity = capacity;
	v->values = sl_xcalloc((size_t)capacity + 1, w);
	v->vbuf = sl_xcalloc((capacity + 63) / 64 + 1, sizeof(uint64_t));
}

sl_vector *
sl_vector_new(const sl_type *t, uint32_t capacity)
{
	sl_vector *v = sl_xcalloc(1, sizeof *v);

	v->type = t;
	v->width = sl_vector_width(t);
	vector_alloc_values(v, capacity);
	switch (t->kind) {
	case SL_TYPE_ROW:
		v->nchildren = t->nfields;
		v->children = sl_xcalloc((size_t)t->nfields + 1, sizeof(sl_vector *));
		for (int i = 0; i < t->nfields; i++)
			v->children[i] = sl_vector_new(t->fields[i].type, capacity);
		break;
	case SL_TYPE_ARRAY:
	case SL_TYPE_MAP:
		v->nchildren = t->kind == SL_TYPE_ARRAY ? 1 : 2;
		v->children = sl_xcalloc(2, sizeof(sl_vector *));
		v->offsets = sl_xcalloc((size_t)capacity + 1, sizeof(uint32_t));
		if (t->kind == SL_TYPE_ARRAY) {
			v->children[0] = sl_vector_new(t->elem, capacity * 4);
		} else {
			v->children[0] = sl_vector_new(t->key, capacity * 4);
			v->children[1] = sl_vector_new(t->elem, capacity * 4);
		}
		break;
	default:
		break;
	}
	return v;
}

void
sl_vector_free(sl_vector *v)
{
	if (!v)
		return;
	for (int i = 0; i < v->nchildren; i++)
		sl_vector_free(v->children[i]);
	free(v->children);
	free(v->offsets);
	free(v->values);
	free(v->vbuf);
	free(v->codes);
	free(v);
}

void
sl_vector_reset(sl_vector *v)
{
	v->validity = NULL;
	v->dict = NULL;
	v->child_used = 0;
	for (int i = 0; i < v->nchildren; i++)
		sl_vector_reset(v->children[i]);
}

/* Grow a vector's arrays to newcap rows, keeping contents. */
static void
vector_grow(sl_vector *v, uint32_t newcap)
{
	size_t w = v->width ? v->width : 1;
	uint64_t *nb;

	if (newcap <= v->capacity)
		return;
	v->values = sl_xrealloc(v->values, ((size_t)newcap + 1) * w);
	nb = sl_xcalloc((newcap + 63) / 64 + 1, sizeof(uint64_t));
	memcpy(nb, v->vbuf, ((v->capacity + 63) / 64) * 8);
	if (v->validity == v->vbuf) {
		memset((char *)nb + ((v->capacity + 63) / 64) * 8, 0xff,
		       ((newcap + 63) / 64 - (v->capacity + 63) / 64) * 8);
		v->validity = nb;
	}
	free(v->vbuf);
	v->vbuf = nb;
	if (v->offsets)
		v->offsets = sl_xrealloc(v->offsets, ((size_t)newcap + 1) * sizeof(uint32_t));
	if (v->codes)
		v->codes = sl_xrealloc(v->codes, (size_t)newcap * sizeof(uint32_t));
	for (int i = 0; i < v->nchildren && v->type->kind == SL_TYPE_ROW; i++)
		vector_grow(v->children[i], newcap);
	v->capacity = newcap;
}

void
sl_vector_reserve_children(sl_vector *v, uint32_t need)
{
	for (int i = 0; i < v->nchildren; i++) {
		sl_vector *c = v->children[i];
		if (need > c->capacity) {
			uint32_t cap = c->capacity * 2;
			if (cap < need)
				cap = need;
			vector_grow(c, cap);
		}
	}
}

void
sl_vector_copy_row(sl_vector *dst, uint32_t drow, const sl_vector *src, uint32_t srow,
                   sl_strheap *heap)
{
	if (!sl_vec_valid(src, srow)) {
		sl_vec_set_null(dst, drow);
		return;
	}
	sl_vec_set_valid(dst, drow);
	switch (src->type->kind) {
	case SL_TYPE_ROW:
		for (int i = 0; i < src->nchildren; i++)
			sl_vector_copy_row(dst->children[i], drow, src->children[i], srow, heap);
		return;
	case SL_TYPE_ARRAY:
	case SL_TYPE_MAP: {
		uint32_t b = src->offsets[srow], e = src->offsets[srow + 1];
		uint32_t at = dst->child_used;
		sl_vector_reserve_children(dst, at + (e - b));
		for (int c = 0; c < src->nchildren; c++)
			for (uint32_t k = b; k < e; k++)
				sl_vector_copy_row(dst->children[c], at + (k - b), src->children[c], k, heap);
		dst->offsets[drow] = at;
		dst->offsets[drow + 1] = at + (e - b);
		dst->child_used = at + (e - b);
		return;
	}
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR:
	case SL_TYPE_BYTES: {
		sl_str s = SL_VEC_DATA(src, sl_str)[srow];
		SL_VEC_DATA(dst, sl_str)[drow] = heap ? sl_strheap_copy(heap, s.ptr, s.len) : s;
		return;
	}
	default:
		memcpy((char *)dst->values + (size_t)drow * dst->width,
		       (const char *)src->values + (size_t)srow * src->width, src->width);
		return;
	}
}

/* ---------------------------------------------------------------------
 * String heaps
 * ------------------------------------------------------------------- */
#define STRHEAP_BLOCK 16384

struct sl_strheap_block {
	sl_strheap_block *next;
	size_t size;
	size_t used;
	char data[];
};

void
sl_strheap_init(sl_strheap *h)
{
	h->head = h->cur = NULL;
	h->used = 0;
}

void
sl_strheap_reset(sl_strheap *h)
{
	for (sl_strheap_block *b = h->head; b; b = b->next)
		b->used = 0;
	h->cur = h->head;
	h->used = 0;
}

void
sl_strheap_destroy(sl_strheap *h)
{
	sl_strheap_block *b = h->head;
	while (b) {
		sl_strheap_block *n = b->next;
		free(b);
		b = n;
	}
	h->head = h->cur = NULL;
}

char *
sl_strheap_alloc(sl_strheap *h, size_t n)
{
	sl_strheap_block *b = h->cur;
	char *p;

	while (b && b->size - b->used < n) {
		/* try the next (already allocated) block, else allocate */
		if (b->next) {
			b = b->next;
			b->used = 0;
			h->cur = b;
			continue;
		}
		b = NULL;
	}
	if (!b) {
		size_t size = n > STRHEAP_BLOCK ? n : STRHEAP_BLOCK;
		sl_strheap_block *nb = sl_xmalloc(sizeof *nb + size);
		nb->next = NULL;
		nb->size = size;
		nb->used = 0;
		atomic_fetch_add_explicit(&stat_heap_blocks, 1, memory_order_relaxed);
		if (!h->head) {
			h->head = nb;
		} else {
			sl_strheap_block *last = h->cur ? h->cur : h->head;
			while (last->next)
				last = last->next;
			last->next = nb;
		}
		h->cur = b = nb;
	}
	p = b->data + b->used;
	b->used += n;
	h->used += n;
	return p;
}

void
sl_strheap_trim(sl_strheap *h, char *p, size_t alloc, size_t keep)
{
	sl_strheap_block *b = h->cur;
	if (b && p + alloc == b->data + b->used && keep <= alloc) {
		b->used -= alloc - keep;
		h->used -= alloc - keep;
	}
}

sl_str
sl_strheap_copy(sl_strheap *h, const char *s, size_t n)
{
	char *p;
	if (n == 0)
		return (sl_str){0, ""};
	p = sl_strheap_alloc(h, n);
	memcpy(p, s, n);
	return (sl_str){(uint32_t)n, p};
}

/* ---------------------------------------------------------------------
 * Chunks and pools
 * ------------------------------------------------------------------- */
struct sl_chunk_pool {
	const sl_type *const *types;   /* ncols column types (borrowed) */
	int ncols;
	uint32_t capacity;
	const void *owner;             /* owner thread token */
	sl_chunk *free_list;           /* @thread owner */
	uint64_t nidle;                /* chunks on free_list, @thread owner */
	_Atomic(sl_chunk *) returned;  /* pushed by any thread */
	atomic_uint_fast64_t nreturned;/* chunks on returned */
	atomic_uint_fast64_t created;
	atomic_int refs;               /* 1 (handle) + chunks out of the pool */
	atomic_bool dead;              /* sl_chunk_pool_free was called */
};

static _Thread_local char thread_token;

static sl_chunk *
chunk_alloc(const sl_type *const *types, int ncols, uint32_t capacity)
{
	sl_chunk *c = sl_xcalloc(1, sizeof *c);

	if (capacity == 0)
		capacity = SL_CHUNK_CAPACITY;
	SL_ASSERT(capacity <= 65536);
	c->ncols = ncols;
	c->capacity = capacity;
	c->types = types;
	c->cols = sl_xcalloc((size_t)ncols + 1, sizeof(sl_vector *));
	for (int i = 0; i < ncols; i++)
		c->cols[i] = sl_vector_new(types[i], capacity);
	c->kinds = sl_xcalloc(capacity, 1);
	c->sel_buf = sl_xcalloc(capacity, sizeof(uint16_t));
	sl_strheap_init(&c->heap);
	atomic_init(&c->refcount, 1);
	atomic_fetch_add_explicit(&stat_chunks_allocated, 1, memory_order_relaxed);
	return c;
}

static void
chunk_destroy(sl_chunk *c)
{
	for (int i = 0; i < c->nkeep; i++)
		sl_chunk_unref(c->keep[i]);
	for (int i = 0; i < c->ncols; i++)
		sl_vector_free(c->cols[i]);
	free(c->cols);
	free(c->kinds);
	free(c->sel_buf);
	sl_strheap_destroy(&c->heap);
	free(c);
	atomic_fetch_add_explicit(&stat_chunks_freed, 1, memory_order_relaxed);
}

sl_chunk *
sl_chunk_new(const sl_type *const *types, int ncols, uint32_t capacity)
{
	return chunk_alloc(types, ncols, capacity);
}

void
sl_chunk_reset(sl_chunk *c)
{
	for (int i = 0; i < c->nkeep; i++)
		sl_chunk_unref(c->keep[i]);
	c->nkeep = 0;
	memset(c->kinds, 0, c->count);
	c->count = 0;
	c->sel = NULL;
	c->nsel = 0;
	for (int i = 0; i < c->ncols; i++)
		sl_vector_reset(c->cols[i]);
	sl_strheap_reset(&c->heap);
}

void
sl_chunk_keep(sl_chunk *c, sl_chunk *src)
{
	for (int i = 0; i < c->nkeep; i++)
		if (c->keep[i] == src)
			return;
	SL_ASSERT(c->nkeep < SL_CHUNK_MAX_KEEP);
	c->keep[c->nkeep++] = sl_chunk_ref(src);
}

sl_chunk_pool *
sl_chunk_pool_new(const sl_type *const *types, int ncols, uint32_t capacity)
{
	sl_chunk_pool *p = sl_xcalloc(1, sizeof *p);
	p->types = types;
	p->ncols = ncols;
	p->capacity = capacity ? capacity : SL_CHUNK_CAPACITY;
	p->owner = &thread_token;
	atomic_init(&p->returned, NULL);
	atomic_init(&p->refs, 1);
	atomic_init(&p->dead, false);
	return p;
}

void
sl_chunk_pool_adopt(sl_chunk_pool *pool)
{
	pool->owner = &thread_token;
}

static void
free_list(sl_chunk *c)
{
	while (c) {
		sl_chunk *n = c->next;
		chunk_destroy(c);
		c = n;
	}
}

/* Drop one reference on the pool's memory; the last frees it. */
static void
pool_release(sl_chunk_pool *pool)
{
	if (atomic_fetch_sub_explicit(&pool->refs, 1, memory_order_acq_rel) == 1) {
		free_list(atomic_exchange(&pool->returned, NULL));
		free_list(pool->free_list);
		free(pool);
	}
}

void
sl_chunk_pool_free(sl_chunk_pool *pool)
{
	if (!pool)
		return;
	atomic_store(&pool->dead, true);
	free_list(pool->free_list);
	pool->free_list = NULL;
	pool->nidle = 0;
	free_list(atomic_exchange(&pool->returned, NULL));
	pool_release(pool);
}

sl_chunk *
sl_chunk_pool_get(sl_chunk_pool *pool)
{
	sl_chunk *c;

	atomic_fetch_add_explicit(&stat_pool_gets, 1, memory_order_relaxed);
	if (!pool->free_list) {
		sl_chunk *r = atomic_exchange_explicit(&pool->returned, NULL, memory_order_acquire);
		uint64_t n = 0;
		for (sl_chunk *x = r; x; x = x->next)
			n++;
		atomic_fetch_sub_explicit(&pool->nreturned, n, memory_order_relaxed);
		pool->free_list = r;
		pool->nidle += n;
	}
	if (pool->free_list) {
		c = pool->free_list;
		pool->free_list = c->next;
		pool->nidle--;
		c->next = NULL;
		atomic_store_explicit(&c->refcount, 1, memory_order_relaxed);
	} else {
		c = chunk_alloc(pool->types, pool->ncols, pool->capacity);
		c->pool = pool;
		atomic_fetch_add_explicit(&pool->created, 1, memory_order_relaxed);
	}
	atomic_fetch_add_explicit(&pool->refs, 1, memory_order_relaxed);
	return c;
}

void
sl_chunk_pool_counts(sl_chunk_pool *pool, uint64_t *idle, uint64_t *created)
{
	if (idle)
		*idle = pool->nidle + atomic_load(&pool->nreturned);
	if (created)
		*created = atomic_load(&pool->created);
}

void
sl_chunk_unref(sl_chunk *c)
{
	sl_chunk_pool *pool;

	if (!c)
		return;
	if (atomic_fetch_sub_explicit(&c->refcount, 1, memory_order_acq_rel) != 1)
		return;
	pool = c->pool;
	if (!pool) {
		chunk_destroy(c);
		return;
	}
	sl_chunk_reset(c);
	if (atomic_load_explicit(&pool->dead, memory_order_acquire)) {
		chunk_destroy(c);
	} else if (pool->owner == &thread_token) {
		c->next = pool->free_list;
		pool->free_list = c;
		pool->nidle++;
	} else {
		sl_chunk *head = atomic_load_explicit(&pool->returned, memory_order_relaxed);
		do {
			c->next = head;
		} while (!atomic_compare_exchange_weak_explicit(&pool->returned, &head, c,
		                                                memory_order_release,
		                                                memory_order_relaxed));
		atomic_fetch_add_explicit(&pool->nreturned, 1, memory_order_relaxed);
	}
	pool_release(pool);
}

/* ---------------------------------------------------------------------
 * Copy and compact
 * ------------------------------------------------------------------- */
uint32_t
sl_chunk_copy_rows(sl_chunk *dst, const sl_chunk *src, const uint16_t *rows, uint32_t n)
{
	uint32_t k;

	SL_ASSERT(dst->ncols == src->ncols);
	if (!rows) {
		rows = src->sel;
		n = sl_chunk_live(src);
	}
	if (n > dst->capacity - dst->count)
		n = dst->capacity - dst->count;
	for (int c = 0; c < src->ncols; c++) {
		const sl_vector *sv = src->cols[c];
		sl_vector *dv = dst->cols[c];
		uint32_t base = dst->count;
		bool is_str = sv->type->kind == SL_TYPE_CHAR || sv->type->kind == SL_TYPE_VARCHAR ||
		              sv->type->kind == SL_TYPE_BYTES;
		bool nested = sv->type->kind == SL_TYPE_ROW || sv->type->kind == SL_TYPE_ARRAY ||
		              sv->type->kind == SL_TYPE_MAP;
		if (nested) {
			for (k = 0; k < n; k++)
				sl_vector_copy_row(dv, base + k, sv, rows ? rows[k] : k, &dst->heap);
			continue;
		}
		/* values a column at a time (a NULL row's value is copied too:
		 * garbage, never read; a NULL string is not touched) ... */
		if (is_str) {
			const sl_str *s = sv->values;
			sl_str *d = (sl_str *)dv->values + base;
			for (k = 0; k < n; k++) {
				uint32_t r = rows ? rows[k] : k;
				if (sl_vec_valid(sv, r))
					d[k] = sl_strheap_copy(&dst->heap, s[r].ptr, s[r].len);
			}
		} else {
			uint32_t w = sv->width;
			char *d = (char *)dv->values + (size_t)base * w;
			const char *s = sv->values;
			if (w == 8) {
				for (k = 0; k < n; k++)
					((int64_t *)d)[k] = ((const int64_t *)s)[rows ? rows[k] : k];
			} else if (w == 4) {
				for (k = 0; k < n; k++)
					((int32_t *)d)[k] = ((const int32_t *)s)[rows ? rows[k] : k];
			} else if (w == 1) {
				for (k = 0; k < n; k++)
					((uint8_t *)d)[k] = ((const uint8_t *)s)[rows ? rows[k] : k];
			} else {
				for (k = 0; k < n; k++)
					memcpy(d + (size_t)k * w, s + (size_t)(rows ? rows[k] : k) * w, w);
			}
		}
		/* ... then validity: the source's bits, or all valid */
		if (sv->validity) {
			sl_vec_own_validity(dv);
			for (k = 0; k < n; k++) {
				uint32_t r = rows ? rows[k] : k, dr = base + k;
				uint64_t bit = 1ULL << (dr & 63);
				if ((sv->validity[r >> 6] >> (r & 63)) & 1)
					dv->validity[dr >> 6] |= bit;
				else
					dv->validity[dr >> 6] &= ~bit;
			}
		} else if (dv->validity) {
			for (k = 0; k < n; k++)
				dv->validity[(base + k) >> 6] |= 1ULL << ((base + k) & 63);
		}
	}
	for (k = 0; k < n; k++)
		dst->kinds[dst->count + k] = src->kinds[rows ? rows[k] : k];
	dst->count += n;
	return n;
}

/* Move child rows [s, e) of every child of an ARRAY/MAP vector down to
 * position at (at <= s, so copying forward is safe). */
static void
move_children(sl_vector *v, uint32_t s, uint32_t e, uint32_t at)
{
	if (at == s)
		return;
	for (int ci = 0; ci < v->nchildren; ci++)
		for (uint32_t x = s; x < e; x++)
			sl_vector_copy_row(v->children[ci], at + (x - s), v->children[ci], x, NULL);
}

void
sl_chunk_compact(sl_chunk *c)
{
	uint32_t n;

	if (!c->sel)
		return;
	n = c->nsel;
	for (int col = 0; col < c->ncols; col++) {
		sl_vector *v = c->cols[col];
		if (v->type->kind == SL_TYPE_ARRAY || v->type->kind == SL_TYPE_MAP) {
			uint32_t at = 0;
			for (uint32_t k = 0; k < n; k++) {
				uint32_t r = c->sel[k];
				uint32_t s = v->offsets[r], e = v->offsets[r + 1];
				bool valid = sl_vec_valid(v, r);
				move_children(v, s, e, at);
				sl_vec_set_validity(v, k, valid);
				v->offsets[k] = at; /* later rows read only offsets[> k] */
				at += e - s;
			}
			v->offsets[n] = at;
			v->child_used = at;
			continue;
		}
		for (uint32_t k = 0; k < n; k++) {
			uint32_t r = c->sel[k];
			if (r != k) {
				sl_vector_copy_row(v, k, v, r, NULL);
				if (v->dict)
					v->codes[k] = v->codes[r];  /* the row's entry moves too */
			}
		}
	}
	for (uint32_t k = 0; k < n; k++)
		c->kinds[k] = c->kinds[c->sel[k]];
	c->count = n;
	c->sel = NULL;
	c->nsel = 0;
}

/* ---------------------------------------------------------------------
 * Flink's print format
 * ------------------------------------------------------------------- */
void
sl_value_format(const sl_vector *v, uint32_t row, sl_strbuf *out)
{
	char buf[96];
	const sl_type *t = v->type;

	if (!sl_vec_valid(v, row)) {
		sl_strbuf_append(out, "null");
		return;
	}
	switch (t->kind) {
	case SL_TYPE_NULL:
		sl_strbuf_append(out, "null");
		return;
	case SL_TYPE_BOOLEAN:
		sl_strbuf_append(out, SL_VEC_DATA(v, uint8_t)[row] ? "true" : "false");
		return;
	case SL_TYPE_TINYINT:
		sl_strbuf_appendf(out, "%d", SL_VEC_DATA(v, int8_t)[row]);
		return;
	case SL_TYPE_SMALLINT:
		sl_strbuf_appendf(out, "%d", SL_VEC_DATA(v, int16_t)[row]);
		return;
	case SL_TYPE_INT:
		sl_strbuf_appendf(out, "%d", SL_VEC_DATA(v, int32_t)[row]);
		return;
	case SL_TYPE_BIGINT:
		sl_strbuf_appendf(out, "%lld", (long long)SL_VEC_DATA(v, int64_t)[row]);
		return;
	case SL_TYPE_INTERVAL_DT: /* java.time.Duration would be PT..; show as Flink's SQL client */
		sl_strbuf_appendf(out, "%lld", (long long)SL_VEC_DATA(v, int64_t)[row] / 1000);
		return;
	case SL_TYPE_INTERVAL_YM:
		sl_strbuf_appendf(out, "%d", SL_VEC_DATA(v, int32_t)[row]);
		return;
	case SL_TYPE_FLOAT:
		sl_fmt_float_java(SL_VEC_DATA(v, float)[row], buf);
		sl_strbuf_append(out, buf);
		return;
	case SL_TYPE_DOUBLE:
		sl_fmt_double_java(SL_VEC_DATA(v, double)[row], buf);
		sl_strbuf_append(out, buf);
		return;
	case SL_TYPE_DECIMAL:
		sl_fmt_decimal(sl_dec_get(v, row), t->scale, buf);
		sl_strbuf_append(out, buf);
		return;
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR: {
		sl_str s = SL_VEC_DATA(v, sl_str)[row];
		sl_strbuf_appendn(out, s.ptr, s.len);
		return;
	}
	case SL_TYPE_BYTES: { /* Java byte[] in Row.toString: [1, 2, 3] */
		sl_str s = SL_VEC_DATA(v, sl_str)[row];
		sl_strbuf_appendc(out, '[');
		for (uint32_t i = 0; i < s.len; i++)
			sl_strbuf_appendf(out, i ? ", %d" : "%d", (int)(int8_t)s.ptr[i]);
		sl_strbuf_appendc(out, ']');
		return;
	}
	case SL_TYPE_DATE:
		sl_fmt_date(SL_VEC_DATA(v, int32_t)[row], buf);
		sl_strbuf_append(out, buf);
		return;
	case SL_TYPE_TIME:
		sl_fmt_time_java(SL_VEC_DATA(v, int64_t)[row], buf);
		sl_strbuf_append(out, buf);
		return;
	case SL_TYPE_TIMESTAMP: /* LocalDateTime.toString */
		sl_fmt_timestamp_java(SL_VEC_DATA(v, int64_t)[row], buf);
		sl_strbuf_append(out, buf);
		return;
	case SL_TYPE_TIMESTAMP_LTZ: { /* Instant.toString: seconds always, then Z */
		int64_t us = SL_VEC_DATA(v, int64_t)[row];
		int micro = (int)sl_floormod(us, SL_US_PER_SEC);
		int n = sl_fmt_timestamp_sql(us - micro, 0, buf);
		buf[10] = 'T';
		if (micro % 1000 == 0 && micro)
			n += sprintf(buf + n, ".%03d", micro / 1000);
		else if (micro)
			n += sprintf(buf + n, ".%06d", micro);
		sl_strbuf_appendn(out, buf, (size_t)n);
		sl_strbuf_appendc(out, 'Z');
		return;
	}
	case SL_TYPE_ROW:
		sl_strbuf_append(out, "+I[");
		for (int i = 0; i < v->nchildren; i++) {
			if (i)
				sl_strbuf_append(out, ", ");
			sl_value_format(v->children[i], row, out);
		}
		sl_strbuf_appendc(out, ']');
		return;
	case SL_TYPE_ARRAY:
		sl_strbuf_appendc(out, '[');
		for (uint32_t k = v->offsets[row]; k < v->offsets[row + 1]; k++) {
			if (k > v->offsets[row])
				sl_strbuf_append(out, ", ");
			sl_value_format(v->children[0], k, out);
		}
		sl_strbuf_appendc(out, ']');
		return;
	case SL_TYPE_MAP:
		sl_strbuf_appendc(out, '{');
		for (uint32_t k = v->offsets[row]; k < v->offsets[row + 1]; k++) {
			if (k > v->offsets[row])
				sl_strbuf_append(out, ", ");
			sl_value_format(v->children[0], k, out);
			sl_strbuf_appendc(out, '=');
			sl_value_format(v->children[1], k, out);
		}
		sl_strbuf_appendc(out, '}');
		return;
	case SL_TYPE__COUNT:
		break;
	}
	sl_strbuf_append(out, "?");
}

void
sl_chunk_format_row(const sl_chunk *c, uint32_t row, sl_strbuf *out)
{
	sl_strbuf_append(out, sl_row_kind_str((sl_row_kind)c->kinds[row]));
	sl_strbuf_appendc(out, '[');
	for (int i = 0; i < c->ncols; i++) {
		if (i)
			sl_strbuf_append(out, ", ");
		sl_value_format(c->cols[i], row, out);
	}
	sl_strbuf_appendc(out, ']');
}
