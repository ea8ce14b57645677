/*
 * datagen_source.c
 *	  The 'datagen' connector (placeholder: not implemented yet).
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_datagen_source
 */
#include "runtime/op.h"

bool
sl_op_init_datagen_source(sl_op *op, sl_arena *a, sl_error **errp)
{
	(void)a;
	*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, op->rel->span,
	                     "sluice run cannot read connector \"datagen\" yet");
	return false;
}
