/*
 * dict.h
 *	  Dictionaries: a fixed table of values that a source's column takes
 *	  its values from, so that an expression over such columns can be
 *	  computed once per table entry instead of once per row (the
 *	  expression evaluator's "dictionary evaluation", runtime/expr.c).
 *
 *	  A dictionary has ncols columns of n entries each, plus entry n,
 *	  which is NULL in every column (the code of a NULL row). Entry i of
 *	  all columns belongs together: a source that fills several columns
 *	  from one table row (nexmark's channel and its URL) gives them the
 *	  same code, and an expression over both is computed per entry.
 *	  A vector annotated with a dictionary (sl_vector.dict, .codes,
 *	  .dict_col) holds, at each live row r, the value of entry codes[r].
 *
 *	  Lifetime: the creator owns a dictionary and frees it only after
 *	  every chunk that may reference it is gone (a source: at job end,
 *	  with the tables its strings point into). Its id is unique in the
 *	  process, so caches key on the id, never on the address.
 */
#ifndef SL_RUNTIME_DICT_H
#define SL_RUNTIME_DICT_H

#include "runtime/vector.h"

typedef struct sl_dict {
	uint64_t id;                /* unique in the process (never 0) */
	uint32_t n;                 /* entries; entry n is all NULL */
	int ncols;
	sl_vector **cols;           /* ncols vectors of n + 1 rows, owned */
} sl_dict;

/* A dictionary of n entries over columns of the given types, every value
 * NULL; the caller fills entries 0..n-1 (SL_VEC_DATA, sl_vec_set_valid)
 * with values it keeps alive as long as the dictionary (strings are not
 * copied). */
sl_dict *sl_dict_new(const sl_type *const *types, int ncols, uint32_t n);
void sl_dict_free(sl_dict *d);

/* Annotate v (column col of d): its codes are set by the caller
 * (sl_vec_dict_codes), one per live row. */
static inline uint32_t *
sl_vec_set_dict(sl_vector *v, const sl_dict *d, int col)
{
	if (!v->codes)
		v->codes = sl_xmalloc((size_t)v->capacity * sizeof(uint32_t));
	v->dict = d;
	v->dict_col = col;
	return v->codes;
}

#endif /* SL_RUNTIME_DICT_H */
