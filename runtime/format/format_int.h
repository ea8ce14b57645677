/*
 * format_int.h
 *	  Internals shared by the format files (runtime/format/): the decoder
 *	  and encoder structs, per-format entry points, and the scalar text
 *	  conversions csv, json and raw share. Not for connectors: they use
 *	  format.h.
 */
#ifndef SL_RUNTIME_FORMAT_INT_H
#define SL_RUNTIME_FORMAT_INT_H

#include "runtime/format/format.h"
#include "runtime/runtime_int.h"

#include <stdarg.h>

/* Undo entry: an ARRAY/MAP vector's child_used before a record touched it. */
typedef struct sl_fmt_undo {
	sl_vector *v;
	uint32_t child_used;
} sl_fmt_undo;

struct sl_decoder {
	sl_format_spec spec;        /* copy; arrays borrowed */
	char err[320];              /* last error text */
	size_t errpos;
	bool ignore_parse_errors;   /* '<fmt>.ignore-parse-errors' */
	bool fail_on_missing;       /* json.fail-on-missing-field */
	/* per record column: its targets are tgt[first[c] .. first[c+1]) */
	int *first;
	sl_format_target *tgt;      /* sorted by column */
	bool *seen;                 /* per record column, reset per record (json) */
	size_t *namelen;            /* per record column: strlen(name) */
	bool *fseen;                /* scratch for nested field presence */
	int maxfields;
	/* undo log of the current record */
	sl_fmt_undo *undo;
	size_t nundo, undocap;
	/* csv */
	char delim, quote, escape;  /* escape 0 = none, quote 0 = disabled */
	bool allow_comments;
	const char *null_literal;   /* NULL: an empty unquoted field is NULL */
	const char *arr_delim;
	size_t arr_delim_len;
	sl_strbuf scratch;          /* unquoted csv field / unescaped json string */
	/* debezium-json */
	bool schema_include;
	sl_decoder *inner;          /* json decoder of the before/after rows */
};

struct sl_encoder {
	sl_format_spec spec;
	int *src;                   /* per record column: chunk column */
	char delim, quote, escape;
	const char *null_literal;
	const char *arr_delim;
	bool decimal_plain;
	bool ts_iso;                /* timestamp-format.standard = ISO-8601 */
	int map_null_mode;          /* 0 FAIL, 1 DROP, 2 LITERAL */
	const char *map_null_literal;
};

/* Option `<prefix><name>` of the spec (name like "csv.field-delimiter"),
 * NULL when unset. */
const char *sl_fmt_option(const sl_format_spec *spec, const char *name);
bool sl_fmt_option_bool(const sl_format_spec *spec, const char *name, bool dflt);

/* Record an error (printf-style reason) at byte pos; returns -1. */
int sl_fmt_fail(sl_decoder *d, size_t pos, const char *fmt, ...) SL_PRINTF(3, 4);

/* Remember v's child_used before it is appended to (undo on error). */
void sl_fmt_undo_push(sl_decoder *d, sl_vector *v);
/* Roll out back to `count` rows and undo array appends; returns -1. */
int sl_fmt_rollback(sl_decoder *d, sl_chunk *out, uint32_t count);

/* Convert text s[0..n) to a value of scalar type t into v[row] (validity
 * set). Strings are copied into heap. Returns false with a short reason in
 * *why when the text is not a t. base64: BYTES text is base64 (json, csv). */
bool sl_fmt_scalar_from_text(const sl_type *t, const char *s, size_t n, sl_vector *v,
                             uint32_t row, sl_strheap *heap, const char **why);
/* Mark v[row] valid / NULL. */
static inline void
sl_fmt_set_valid(sl_vector *v, uint32_t row)
{
	sl_vec_set_valid(v, row);
}
/* Text of a scalar value v[row] (not NULL), as Flink's csv/json writers
 * print it: numbers, "2026-11-22 10:05:00.123" timestamps (iso: 'T'),
 * base64 bytes. Appends to out. */
void sl_fmt_scalar_to_text(const sl_vector *v, uint32_t row, bool iso, bool decimal_plain,
                           sl_strbuf *out);
/* Type name for messages ("BIGINT", "ROW<...>"), into a static-size buf. */
const char *sl_fmt_type_name(const sl_type *t, char *buf, size_t cap);
bool sl_fmt_is_scalar(const sl_type *t);

/* Per-format entry points (one file each). */
bool sl_csv_decoder_init(sl_decoder *d, sl_error **errp);
int sl_csv_decode(sl_decoder *d, const char *b, size_t n, sl_chunk *out);
bool sl_json_decoder_init(sl_decoder *d, sl_error **errp);
int sl_json_decode(sl_decoder *d, const char *b, size_t n, sl_chunk *out);
/* Decode a JSON object starting at b[*pos] into a new row of out with
 * d's targets (the debezium envelope's before/after). Records errors at
 * base + offset. Returns 1 or -1. */
int sl_json_decode_row_at(sl_decoder *d, const char *b, size_t n, size_t *pos, sl_chunk *out,
                          size_t base);
bool sl_raw_decoder_init(sl_decoder *d, sl_error **errp);
int sl_raw_decode(sl_decoder *d, const char *b, size_t n, sl_chunk *out);
bool sl_debezium_decoder_init(sl_decoder *d, sl_error **errp);
int sl_debezium_decode(sl_decoder *d, const char *b, size_t n, sl_chunk *out);

bool sl_csv_encoder_init(sl_encoder *e, sl_error **errp);
bool sl_csv_encode(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out, sl_error **errp);
bool sl_json_encoder_init(sl_encoder *e, sl_error **errp);
bool sl_json_encode(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out, sl_error **errp);
/* One JSON object of the row's record columns. */
bool sl_json_encode_object(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out,
                           sl_error **errp);
bool sl_raw_encoder_init(sl_encoder *e, sl_error **errp);
bool sl_raw_encode(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out, sl_error **errp);
bool sl_debezium_encode(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out,
                        sl_error **errp);
/* JSON string literal of s[0..n) (quotes included). */
void sl_json_quote(const char *s, size_t n, sl_strbuf *out);

#endif /* SL_RUNTIME_FORMAT_INT_H */
