/*
 * format.h
 *	  Record formats: bytes of one record <-> one row of a chunk. Shared by
 *	  every connector that reads or writes records (filesystem lines, Kafka
 *	  message keys and values). See runtime/format/README.md.
 *
 *	  Formats: csv, json, raw, debezium-json (Flink's names and options).
 *
 *	  Record schema: the columns a record holds, in order (for csv the field
 *	  order; for json the member names). A connector builds it from the
 *	  table's physical columns (minus partition columns for the filesystem,
 *	  minus key columns for a Kafka value, ...).
 *
 *	  Decoding appends rows to a caller's chunk: each target says which
 *	  output chunk column receives which record column (or, with sub >= 0,
 *	  only field `sub` of a ROW record column: projection of nested fields).
 *	  Record columns no target names are parsed over and dropped. String
 *	  bytes are copied into the output chunk's heap (no malloc per row once
 *	  the heap has grown); nested ROW, ARRAY and MAP values go into the
 *	  vector's children (runtime/vector.h).
 *
 *	  Errors: decode returns -1 and leaves the chunk as it was (the
 *	  half-written row is rolled back, array children included); the reason,
 *	  with the byte position in the record, is in a buffer the decoder owns
 *	  (sl_decoder_error). The caller decides what a bad record means
 *	  ('format.on-error' = fail | skip | dlq, see the connectors).
 *
 *	  Ownership: decoders and encoders are malloc'ed by _new and released
 *	  by _free; they borrow the spec's arrays, types and option strings,
 *	  which must outlive them (plan arena). One thread at a time.
 *
 * INTERFACE ROUTINES
 *	  sl_format_kind_parse          "json" -> SL_FORMAT_JSON
 *	  sl_decoder_new / _free        a decoder for a record schema
 *	  sl_decoder_decode             one record -> 0, 1 or 2 rows
 *	  sl_decoder_error, _error_pos  why the last record was rejected
 *	  sl_encoder_new / _free        an encoder for a record schema
 *	  sl_encoder_encode             one chunk row -> one record's bytes
 *	  sl_format_value_from_text/_to_text, sl_format_json_quote  helpers
 */
#ifndef SL_RUNTIME_FORMAT_H
#define SL_RUNTIME_FORMAT_H

#include "runtime/chunk.h"
#include "planner/options.h"

typedef enum sl_format_kind {
	SL_FORMAT_CSV,
	SL_FORMAT_JSON,
	SL_FORMAT_RAW,
	SL_FORMAT_DEBEZIUM_JSON
} sl_format_kind;

/* Case-insensitive "csv" | "json" | "raw" | "debezium-json". */
bool sl_format_kind_parse(const char *name, sl_format_kind *out);
const char *sl_format_kind_name(sl_format_kind k);

/* One column of the record schema. */
typedef struct sl_format_column {
	const char *name;           /* json member name (as declared, case kept) */
	const sl_type *type;
} sl_format_column;

/* Decoder: record column `col` (field `sub` of it when sub >= 0, col being
 * a ROW) goes to output chunk column `out`, whose type must be the
 * column's (field's) type physically.
 * Encoder: record column `col` is read from chunk column `out` (sub
 * must be -1). */
typedef struct sl_format_target {
	int col;
	int sub;
	int out;
} sl_format_target;

typedef struct sl_format_spec {
	sl_format_kind kind;
	int ncols;
	const sl_format_column *cols;    /* the record schema, in order */
	int ntargets;
	const sl_format_target *targets; /* decoder: where values go; encoder:
	                                  * where they come from. NULL: record
	                                  * column i <-> chunk column i */
	/* Format options, read from the table's WITH clause: key
	 * `<prefix><format>.<option>` (prefix "" for 'format', "value." /
	 * "key." for Kafka's value.format / key.format), e.g.
	 * 'csv.field-delimiter', 'json.fail-on-missing-field',
	 * 'debezium-json.schema-include'. Unknown keys are the planner's
	 * business (options.def); values were validated there. */
	int noptions;
	const sl_option_kv *options;
	const char *prefix;              /* NULL = "" */
} sl_format_spec;

/* ---- decoding --------------------------------------------------------- */
typedef struct sl_decoder sl_decoder;

/* A decoder for spec (borrowed). NULL with *errp for a type the format
 * cannot hold (e.g. a ROW in csv) or a bad option value. */
sl_decoder *sl_decoder_new(const sl_format_spec *spec, sl_error **errp);
void sl_decoder_free(sl_decoder *d);

/* Leave room for this many rows in `out` before each decode (debezium-json
 * appends -U and +U for one update). */
#define SL_DECODE_MAX_ROWS 2

/* Decode the record bytes[0..len) (not NUL-terminated; a trailing "\r" or
 * "\n" is not part of it) and append its rows to out, which must have room
 * for SL_DECODE_MAX_ROWS rows. Returns the rows appended:
 *   1     csv, json, raw; debezium-json create/read (+I) and delete (-D)
 *   2     debezium-json update: -U (before) then +U (after)
 *   0     nothing to emit: a debezium tombstone (empty or `null` record)
 *  -1     malformed; out unchanged; sl_decoder_error() says why.
 * Row kinds: +I except for debezium-json. Missing json members are NULL
 * ('json.fail-on-missing-field' = 'true': an error); with
 * '<fmt>.ignore-parse-errors' = 'true' a value that does not convert to its
 * column's type becomes NULL instead of failing the record (a record that
 * is not well-formed still fails). No allocation per record except string
 * bytes in out's heap and array children growing to their working size. */
int sl_decoder_decode(sl_decoder *d, const char *bytes, size_t len, sl_chunk *out);

/* The reason the last decode returned -1, e.g.
 * `column "price": cannot read "12x" as BIGINT (at byte 17)`. Valid until
 * the next decode; owned by d. */
const char *sl_decoder_error(const sl_decoder *d);
/* Byte offset in the record where the error was found. */
size_t sl_decoder_error_pos(const sl_decoder *d);

/* ---- encoding --------------------------------------------------------- */
typedef struct sl_encoder sl_encoder;

/* An encoder for spec (borrowed). json, csv, raw and debezium-json. */
sl_encoder *sl_encoder_new(const sl_format_spec *spec, sl_error **errp);
void sl_encoder_free(sl_encoder *e);

/* Append row `row` of c as one record to out (no record terminator:
 * the filesystem sink adds "\n"). The row's kind matters only to
 * debezium-json (+I/+U: op "c" with after; -D/-U: op "d" with before);
 * csv/json/raw write the values of every kind. Returns false with *errp
 * for a value the format cannot write (a raw NULL is written as an
 * empty record, as Flink writes a null value). No allocation besides out
 * growing. */
bool sl_encoder_encode(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out,
                       sl_error **errp);

/* ---- helpers for connectors ---------------------------------------- */
/* Text -> value of scalar type t into v[row] (validity set; strings
 * copied into heap), with the formats' rules (numbers, "true"/"false",
 * SQL/ISO timestamps, base64 BYTES). False with a short reason (or NULL)
 * in *why. The filesystem connector reads partition values with it. */
bool sl_format_value_from_text(const sl_type *t, const char *s, size_t n, sl_vector *v,
                               uint32_t row, sl_strheap *heap, const char **why);
/* The text of a non-NULL scalar v[row] as csv writes it (timestamps
 * "yyyy-MM-dd HH:mm:ss.SSS"). Appends to out. */
void sl_format_value_to_text(const sl_vector *v, uint32_t row, sl_strbuf *out);
/* A JSON string literal (quotes included) of s[0..n). */
void sl_format_json_quote(const char *s, size_t n, sl_strbuf *out);

#endif /* SL_RUNTIME_FORMAT_H */
