/*
 * vector.h
 *	  One column of a chunk: a typed values array, a validity bitmap and,
 *	  for ROW/ARRAY/MAP, child vectors.
 *
 *	  Layout (the physical value representation is fixed in planner/types.h):
 *	    values[i]     row i's value, sizeof = sl_vector_width(type)
 *	    validity      bit i set = row i is not NULL; validity == NULL means
 *	                  every row is valid (the common case costs nothing).
 *	                  vbuf is the vector's own bitmap storage; validity
 *	                  points at vbuf (or at another vector's bitmap, read
 *	                  only) once some row is NULL.
 *	    ROW           children[0..nchildren) are the fields, row-aligned
 *	                  with the parent (child row i belongs to parent row i)
 *	    ARRAY         children[0] holds the elements; offsets[i]..offsets[i+1]
 *	                  are row i's elements (offsets has capacity+1 entries)
 *	    MAP           children[0] keys, children[1] values, offsets as ARRAY
 *
 *	  Values of rows that are NULL are unspecified (never read for results).
 *	  Strings (sl_str) point into a chunk's string heap or at constants; the
 *	  vector never owns string bytes.
 *
 *	  A vector is used by one thread at a time. Its memory is malloc'ed
 *	  once when the vector is created (normally with its chunk, from a
 *	  chunk pool) and reused for the life of the chunk.
 *
 * INTERFACE ROUTINES
 *	  sl_vector_new / sl_vector_free   allocate for a type and capacity
 *	  sl_vector_width                  bytes of one value of a type
 *	  sl_vec_valid / sl_vec_set_null / sl_vec_set_valid   bitmap access
 *	  sl_vector_copy_row               copy one row (with children)
 */
#ifndef SL_RUNTIME_VECTOR_H
#define SL_RUNTIME_VECTOR_H

#include "common/common.h"
#include "planner/types.h"

#include <string.h>

#ifndef SL_STR_DEFINED
#define SL_STR_DEFINED
/* A string value: UTF-8 bytes, not NUL-terminated. */
typedef struct sl_str {
	uint32_t len;     /* bytes */
	const char *ptr;  /* into a chunk's string heap or a constant */
} sl_str;
#endif

#define SL_STR_LIT(s) ((sl_str){(uint32_t)(sizeof(s) - 1), (s)})

/* Bump storage for string bytes, owned by a chunk (see chunk.h). */
typedef struct sl_strheap sl_strheap;

/* The default and maximum number of rows of a chunk. */
#define SL_CHUNK_CAPACITY 1024

typedef struct sl_vector sl_vector;
struct sl_vector {
	const sl_type *type;    /* borrowed; lives in the plan/query arena or is static */
	uint32_t capacity;      /* rows values[] can hold */
	uint32_t width;         /* bytes per value (0 for ROW) */
	uint64_t *validity;     /* NULL: all valid; else bit i = row i not NULL */
	uint64_t *vbuf;         /* owned bitmap storage, capacity bits */
	void *values;           /* owned typed array, capacity * width bytes */
	int nchildren;          /* ROW: fields; ARRAY: 1; MAP: 2 */
	sl_vector **children;   /* owned */
	uint32_t *offsets;      /* ARRAY/MAP: capacity + 1 entries, owned */
	uint32_t child_used;    /* ARRAY/MAP: child rows in use (appending) */
	/* Dictionary annotation (runtime/dict.h), optional. With dict set,
	 * each live row r holds the value of entry codes[r] of column
	 * dict_col of dict, NULL rows included (their code is dict->n, the
	 * entry that is NULL in every column). Set by a source whose values
	 * come from a fixed table (nexmark's channels and URLs), kept by the
	 * evaluator's column-to-column copies, cleared by sl_vector_reset; a
	 * writer that changes the values of an annotated vector must clear it
	 * (sl_vec_clear_dict). */
	const struct sl_dict *dict;
	int dict_col;
	uint32_t *codes;        /* owned, capacity entries; allocated on first use */
};

/* Typed access to the values array. */
#define SL_VEC_DATA(v, T) ((T *)(v)->values)

/* Bytes of one value of type t in a vector (0 for ROW). */
uint32_t sl_vector_width(const sl_type *t);

/* A vector for type t with room for capacity rows (children for ROW get
 * the same capacity; ARRAY/MAP children start at 4*capacity and grow).
 * All rows valid. Never returns NULL. */
sl_vector *sl_vector_new(const sl_type *t, uint32_t capacity);
void sl_vector_free(sl_vector *v);
/* Forget NULLs and array elements: validity = NULL, child_used = 0. */
void sl_vector_reset(sl_vector *v);
/* Make sure an ARRAY/MAP child can take need rows (reallocates). */
void sl_vector_reserve_children(sl_vector *v, uint32_t need);

static inline bool
sl_vec_valid(const sl_vector *v, uint32_t row)
{
	return !v->validity || ((v->validity[row >> 6] >> (row & 63)) & 1);
}

/* Materialize the bitmap as all-valid so that bits can be cleared. */
static inline void
sl_vec_own_validity(sl_vector *v)
{
	if (v->validity != v->vbuf) {
		if (v->validity)
			memcpy(v->vbuf, v->validity, ((v->capacity + 63) / 64) * 8);
		else
			memset(v->vbuf, 0xff, ((v->capacity + 63) / 64) * 8);
		v->validity = v->vbuf;
	}
}

static inline void
sl_vec_set_null(sl_vector *v, uint32_t row)
{
	sl_vec_own_validity(v);
	v->validity[row >> 6] &= ~(1ULL << (row & 63));
}

static inline void
sl_vec_set_valid(sl_vector *v, uint32_t row)
{
	if (v->validity) {
		sl_vec_own_validity(v);
		v->validity[row >> 6] |= 1ULL << (row & 63);
	}
}

static inline void
sl_vec_set_validity(sl_vector *v, uint32_t row, bool valid)
{
	if (valid)
		sl_vec_set_valid(v, row);
	else
		sl_vec_set_null(v, row);
}

/* Forget v's dictionary annotation (its values are about to change). */
static inline void
sl_vec_clear_dict(sl_vector *v)
{
	v->dict = NULL;
}

/* Copy row srow of src into row drow of dst (same physical type), children
 * included. With heap != NULL string bytes are copied into it, otherwise
 * strings are copied by pointer (the caller keeps the source alive). */
void sl_vector_copy_row(sl_vector *dst, uint32_t drow, const sl_vector *src,
                        uint32_t srow, sl_strheap *heap);

#endif /* SL_RUNTIME_VECTOR_H */
