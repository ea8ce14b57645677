/*
 * raw.c
 *	  The raw format (Flink's 'raw'): the record's bytes are the value of
 *	  the single column (STRING/VARCHAR/CHAR or BYTES). Reading never
 *	  fails; writing a NULL writes an empty record. Numeric raw columns
 *	  ('raw.endianness') and a 'raw.charset' other than UTF-8 are not
 *	  implemented and refused at construction.
 *
 * INTERFACE ROUTINES (through format.h)
 *	  sl_raw_decoder_init, sl_raw_decode, sl_raw_encoder_init, sl_raw_encode
 */
#include "runtime/format/format_int.h"

static bool
check(const sl_format_spec *sp, sl_error **errp)
{
	char tb[96];
	if (sp->ncols != 1) {
		*errp = sl_error_new(SL_ERR_INVALID_OPTION, SL_SPAN_NONE,
		                     "format 'raw' needs exactly one physical column, the table has %d", sp->ncols);
		return false;
	}
	{
		const char *cs = sl_fmt_option(sp, "raw.charset");
		if (cs && !sl_streq_ci(cs, "UTF-8") && !sl_streq_ci(cs, "UTF8")) {
			*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, SL_SPAN_NONE,
			                     "format 'raw': 'raw.charset' = '%s' is not supported; sluice reads and writes "
			                     "UTF-8", cs);
			return false;
		}
	}
	if (!sl_type_is_string(sp->cols[0].type)) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, SL_SPAN_NONE,
		                     "format 'raw': column \"%s\" is %s; sluice reads raw records into STRING or BYTES",
		                     sp->cols[0].name, sl_fmt_type_name(sp->cols[0].type, tb, sizeof tb));
		return false;
	}
	return true;
}

bool
sl_raw_decoder_init(sl_decoder *d, sl_error **errp)
{
	return check(&d->spec, errp);
}

int
sl_raw_decode(sl_decoder *d, const char *b, size_t n, sl_chunk *out)
{
	uint32_t r = sl_chunk_append_row(out);
	sl_str s = sl_strheap_copy(&out->heap, b, n);
	for (int k = d->first[0]; k < d->first[1]; k++) {
		sl_vector *v = out->cols[d->tgt[k].out];
		SL_VEC_DATA(v, sl_str)[r] = s;
		sl_vec_set_valid(v, r);
	}
	return 1;
}

bool
sl_raw_encoder_init(sl_encoder *e, sl_error **errp)
{
	return check(&e->spec, errp);
}

bool
sl_raw_encode(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out, sl_error **errp)
{
	const sl_vector *v = c->cols[e->src[0]];
	(void)errp;
	if (sl_vec_valid(v, row)) {
		sl_str s = SL_VEC_DATA(v, sl_str)[row];
		sl_strbuf_appendn(out, s.ptr, s.len);
	}
	return true;
}
