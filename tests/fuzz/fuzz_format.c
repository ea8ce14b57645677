/*
 * fuzz_format.c
 *	  libFuzzer targets for the record decoders (runtime/format/), one
 *	  binary per format: built with -DFUZZ_FORMAT=SL_FORMAT_CSV (fuzz_csv),
 *	  _JSON (fuzz_json), _RAW (fuzz_raw), _DEBEZIUM_JSON (fuzz_debezium).
 *
 *	  The first input byte picks option variants (ignore-parse-errors, a
 *	  null literal, another delimiter, fail-on-missing-field,
 *	  schema-include); the rest is one record, decoded into a chunk of a
 *	  schema with every scalar kind, arrays, a map and a nested row, with
 *	  whole-column and nested-field targets. Checked besides ASan/UBSan:
 *	    - decode returns -1 (chunk unchanged: row count and array children)
 *	      or the number of rows it appended (0..2);
 *	    - every decoded row encodes, and the encoding is a fixpoint:
 *	      encode(decode(encode(row))) == encode(row), i.e. what sluice
 *	      writes it reads back to the same values.
 *
 *	  Build and run (from the build directory):
 *	    make fuzz-format
 *	    tests/fuzz/fuzz_json -dict=$SRC/tests/fuzz/json.dict -max_total_time=300 CORPUS $SRC/tests/fuzz/format-corpus/json
 *	  Regression inputs: tests/fuzz/regress/format-*.
 */
#include "runtime/format/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT SL_FORMAT_JSON
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sl_arena *A;
static sl_format_column cols[16];
static int ncols;
static sl_format_target tg[24];
static int ntg;
static const sl_type *otypes[24];

static void
init(void)
{
	const sl_type *vs = sl_type_new_varchar(A = sl_arena_new(NULL, "fuzz"), SL_VARCHAR_MAX);
	sl_type_field rf[3];
	const sl_type *row;
	int k = 0;
	if (FUZZ_FORMAT == SL_FORMAT_RAW) {
		cols[k++] = (sl_format_column){"v", vs};
	} else {
		cols[k++] = (sl_format_column){"id", sl_type_simple(SL_TYPE_BIGINT)};
		cols[k++] = (sl_format_column){"name", vs};
		cols[k++] = (sl_format_column){"d", sl_type_simple(SL_TYPE_DOUBLE)};
		cols[k++] = (sl_format_column){"n", sl_type_simple(SL_TYPE_INT)};
		cols[k++] = (sl_format_column){"s", sl_type_simple(SL_TYPE_SMALLINT)};
		cols[k++] = (sl_format_column){"dec", sl_type_new_decimal(A, 12, 3)};
		cols[k++] = (sl_format_column){"ts", sl_type_new_timestamp(A, SL_TYPE_TIMESTAMP, 3)};
		cols[k++] = (sl_format_column){"ok", sl_type_simple(SL_TYPE_BOOLEAN)};
		cols[k++] = (sl_format_column){"day", sl_type_simple(SL_TYPE_DATE)};
		cols[k++] = (sl_format_column){"b", sl_type_new_bytes(A, SL_VARCHAR_MAX)};
		cols[k++] = (sl_format_column){"arr", sl_type_new_array(A, sl_type_simple(SL_TYPE_INT))};
		if (FUZZ_FORMAT != SL_FORMAT_CSV) {
			rf[0] = (sl_type_field){"x", sl_type_simple(SL_TYPE_INT)};
			rf[1] = (sl_type_field){"tags", sl_type_new_array(A, vs)};
			rf[2] = (sl_type_field){"m", sl_type_new_map(A, vs, sl_type_simple(SL_TYPE_BIGINT))};
			row = sl_type_new_row(A, 3, rf);
			cols[k++] = (sl_format_column){"r", row};
			cols[k++] = (sl_format_column){"aa", sl_type_new_array(A, sl_type_new_array(A, vs))};
		}
	}
	ncols = k;
	for (int i = 0; i < ncols; i++) {
		tg[ntg] = (sl_format_target){i, -1, ntg};
		otypes[ntg++] = cols[i].type;
	}
	if (FUZZ_FORMAT != SL_FORMAT_CSV && FUZZ_FORMAT != SL_FORMAT_RAW) {
		/* nested-field projection of r.x and r.tags, and name twice */
		int r = ncols - 2;
		tg[ntg] = (sl_format_target){r, 0, ntg};
		otypes[ntg++] = cols[r].type->fields[0].type;
		tg[ntg] = (sl_format_target){r, 1, ntg};
		otypes[ntg++] = cols[r].type->fields[1].type;
		tg[ntg] = (sl_format_target){1, -1, ntg};
		otypes[ntg++] = cols[1].type;
	}
}

static uint32_t
child_used_sum(const sl_vector *v)
{
	uint32_t s = v->child_used;
	for (int i = 0; i < v->nchildren; i++)
		s += child_used_sum(v->children[i]);
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sl_option_kv opts[8];
	int nopts = 0;
	uint8_t sel;
	sl_format_spec spec, espec;
	sl_error *err = NULL;
	sl_decoder *d, *d2;
	sl_encoder *e;
	sl_chunk *c, *c2;
	uint32_t before_children = 0;
	int k;
	if (!A)
		init();
	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
#define OPT(key, val) (opts[nopts++] = (sl_option_kv){key, val, SL_SPAN_NONE, SL_SPAN_NONE})
	if (sel & 1)
		OPT(FUZZ_FORMAT == SL_FORMAT_CSV ? "csv.ignore-parse-errors"
		    : FUZZ_FORMAT == SL_FORMAT_DEBEZIUM_JSON ? "debezium-json.ignore-parse-errors"
		                                             : "json.ignore-parse-errors", "true");
	if (sel & 2)
		OPT(FUZZ_FORMAT == SL_FORMAT_CSV ? "csv.null-literal" : "json.fail-on-missing-field",
		    FUZZ_FORMAT == SL_FORMAT_CSV ? "N" : "true");
	if (sel & 4)
		OPT(FUZZ_FORMAT == SL_FORMAT_CSV ? "csv.field-delimiter" : "debezium-json.schema-include",
		    FUZZ_FORMAT == SL_FORMAT_CSV ? "|" : "true");
	if ((sel & 8) && FUZZ_FORMAT == SL_FORMAT_CSV)
		OPT("csv.escape-character", "\\");
	if ((sel & 16) && FUZZ_FORMAT == SL_FORMAT_CSV)
		OPT("csv.allow-comments", "true");
	spec = (sl_format_spec){FUZZ_FORMAT, ncols, cols, ntg, tg, nopts, opts, NULL};
	d = sl_decoder_new(&spec, &err);
	if (!d)
		abort();
	c = sl_chunk_new(otypes, ntg, 4);
	/* one good-or-bad record first, so rollback is checked on a non-empty chunk */
	k = sl_decoder_decode(d, (const char *)data, size, c);
	for (int i = 0; i < c->ncols; i++)
		before_children += child_used_sum(c->cols[i]);
	{
		uint32_t before = c->count;
		int k2 = sl_decoder_decode(d, (const char *)data, size, c);
		uint32_t after_children = 0;
		for (int i = 0; i < c->ncols; i++)
			after_children += child_used_sum(c->cols[i]);
		if (k2 != k)
			abort(); /* deterministic */
		if (k2 < 0 && (c->count != before || after_children != before_children))
			abort(); /* rollback */
		if (k2 >= 0 && c->count != before + (uint32_t)k2)
			abort();
		if (k2 < -1 || k2 > SL_DECODE_MAX_ROWS)
			abort();
		if (k2 < 0 && !*sl_decoder_error(d))
			abort(); /* a reason is always given */
	}
	/* encode -> decode -> encode is a fixpoint, over the record columns
	 * (the encoder writes no schema envelope, as Flink's: re-read without
	 * 'debezium-json.schema-include') */
	if (FUZZ_FORMAT == SL_FORMAT_DEBEZIUM_JSON)
		for (int i = 0; i < nopts; i++)
			if (strcmp(opts[i].key, "debezium-json.schema-include") == 0)
				opts[i].value = "false";
	espec = (sl_format_spec){FUZZ_FORMAT, ncols, cols, 0, NULL, nopts, opts, NULL};
	e = sl_encoder_new(&espec, &err);
	d2 = sl_decoder_new(&espec, &err);
	c2 = sl_chunk_new(otypes, ncols, 4);
	if (!e || !d2)
		abort();
	for (uint32_t r = 0; r < c->count; r++) {
		sl_strbuf e1 = SL_STRBUF_INIT, e2 = SL_STRBUF_INIT;
		int k3;
		if (!sl_encoder_encode(e, c, r, &e1, &err)) {
			/* only a MAP with a NULL key may refuse (json.map-null-key.mode FAIL) */
			if (!strstr(err->message, "NULL key"))
				abort();
			sl_error_free(err);
			err = NULL;
			sl_strbuf_free(&e1);
			continue;
		}
		sl_chunk_reset(c2);
		k3 = sl_decoder_decode(d2, e1.data ? e1.data : "", e1.len, c2);
		if (FUZZ_FORMAT == SL_FORMAT_DEBEZIUM_JSON ? k3 != 1 : k3 != 1) {
			fprintf(stderr, "re-decode of [%.*s] gave %d: %s\n", (int)e1.len, e1.data, k3,
			        sl_decoder_error(d2));
			abort();
		}
		if (!sl_encoder_encode(e, c2, 0, &e2, &err))
			abort();
		if (e1.len != e2.len || memcmp(e1.data, e2.data, e1.len) != 0) {
			fprintf(stderr, "not a fixpoint:\n  [%.*s]\n  [%.*s]\n", (int)e1.len, e1.data, (int)e2.len,
			        e2.data);
			abort();
		}
		sl_strbuf_free(&e1);
		sl_strbuf_free(&e2);
	}
	sl_chunk_unref(c);
	sl_chunk_unref(c2);
	sl_decoder_free(d);
	sl_decoder_free(d2);
	sl_encoder_free(e);
	return 0;
}
