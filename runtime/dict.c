/*
 * dict.c
 *	  Dictionaries (see dict.h).
 *
 * INTERFACE ROUTINES
 *	  sl_dict_new, sl_dict_free
 */
#include "runtime/dict.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_uint_fast64_t next_id = 1;

sl_dict *
sl_dict_new(const sl_type *const *types, int ncols, uint32_t n)
{
	sl_dict *d = sl_xcalloc(1, sizeof *d);
	d->id = atomic_fetch_add_explicit(&next_id, 1, memory_order_relaxed);
	d->n = n;
	d->ncols = ncols;
	d->cols = sl_xcalloc((size_t)ncols, sizeof *d->cols);
	for (int c = 0; c < ncols; c++) {
		sl_vector *v = sl_vector_new(types[c], n + 1);
		/* every entry NULL until the creator fills it */
		sl_vec_own_validity(v);
		memset(v->validity, 0, ((size_t)(n + 1) + 63) / 64 * 8);
		memset(v->values, 0, (size_t)(n + 1) * v->width);
		d->cols[c] = v;
	}
	return d;
}

void
sl_dict_free(sl_dict *d)
{
	if (!d)
		return;
	for (int c = 0; c < d->ncols; c++)
		sl_vector_free(d->cols[c]);
	free(d->cols);
	free(d);
}
