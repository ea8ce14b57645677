/*
 * 0550-format.c
 *	  Record formats (runtime/format/): csv, json, raw and debezium-json
 *	  decoders and encoders on good records, NULLs, missing fields, nested
 *	  rows/arrays/maps, coercions, and bad records with their exact error
 *	  text; a failed decode leaves the chunk unchanged.
 */
#include "runtime/format/format.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

static sl_arena *A;
static const sl_type *T_INT, *T_BIGINT, *T_STR, *T_DBL, *T_BOOL, *T_TS, *T_DEC, *T_DATE, *T_BYTES;

static void
init_types(void)
{
	A = sl_arena_new(NULL, "0550");
	T_INT = sl_type_simple(SL_TYPE_INT);
	T_BIGINT = sl_type_simple(SL_TYPE_BIGINT);
	T_STR = sl_type_new_varchar(A, SL_VARCHAR_MAX);
	T_DBL = sl_type_simple(SL_TYPE_DOUBLE);
	T_BOOL = sl_type_simple(SL_TYPE_BOOLEAN);
	T_TS = sl_type_new_timestamp(A, SL_TYPE_TIMESTAMP, 3);
	T_DEC = sl_type_new_decimal(A, 10, 2);
	T_DATE = sl_type_simple(SL_TYPE_DATE);
	T_BYTES = sl_type_new_bytes(A, SL_VARCHAR_MAX);
}

/* Decode each line of `records` (separated by '\n') with the format and
 * return the rows printed ("+I[...]" per row, ';'-separated) or
 * "ERR <reason>" for the first bad record (the chunk is checked to be
 * unchanged by the failed decode). */
static const char *
decode(sl_format_kind kind, const sl_format_column *cols, int ncols, const sl_format_target *tg,
       int ntg, const sl_option_kv *opts, int nopts, const char *records)
{
	static char res[4096];
	sl_format_spec spec = {kind, ncols, cols, ntg, tg, nopts, opts, NULL};
	const sl_type *otypes[16];
	sl_error *err = NULL;
	sl_decoder *d;
	sl_chunk *c;
	sl_strbuf sb = SL_STRBUF_INIT;
	const char *bad = NULL;
	int nout = tg ? ntg : ncols;
	for (int i = 0; i < nout; i++) {
		const sl_format_target *t = tg ? &tg[i] : NULL;
		const sl_type *ty = cols[t ? t->col : i].type;
		if (t && t->sub >= 0)
			ty = ty->fields[t->sub].type;
		otypes[t ? t->out : i] = ty;
	}
	d = sl_decoder_new(&spec, &err);
	if (!d) {
		snprintf(res, sizeof res, "NEW %s", err->message);
		sl_error_free(err);
		return res;
	}
	c = sl_chunk_new(otypes, nout, 8);
	for (const char *p = records; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		uint32_t before = c->count;
		int k = sl_decoder_decode(d, p, n, c);
		if (k < 0) {
			SL_CHECK_INT(c->count, before);
			bad = sl_decoder_error(d);
			break;
		}
		SL_CHECK_INT(c->count, before + (uint32_t)k);
		p += n + (e ? 1 : 0);
	}
	for (uint32_t r = 0; r < c->count; r++) {
		if (r)
			sl_strbuf_appendc(&sb, ';');
		sl_chunk_format_row(c, r, &sb);
	}
	if (bad)
		sl_strbuf_appendf(&sb, "%sERR %s", c->count ? ";" : "", bad);
	snprintf(res, sizeof res, "%s", sl_strbuf_str(&sb));
	sl_strbuf_free(&sb);
	sl_chunk_unref(c);
	sl_decoder_free(d);
	return res;
}

/* Encode every row decoded from `records` back with the same format. */
static const char *
roundtrip(sl_format_kind kind, const sl_format_column *cols, int ncols, const sl_option_kv *opts,
          int nopts, const char *records)
{
	static char res[4096];
	sl_format_spec spec = {kind, ncols, cols, 0, NULL, nopts, opts, NULL};
	const sl_type *otypes[16];
	sl_error *err = NULL;
	sl_decoder *d;
	sl_encoder *en;
	sl_chunk *c;
	sl_strbuf sb = SL_STRBUF_INIT;
	for (int i = 0; i < ncols; i++)
		otypes[i] = cols[i].type;
	d = sl_decoder_new(&spec, &err);
	en = sl_encoder_new(&spec, &err);
	SL_CHECK(d && en);
	if (!d || !en)
		return "";
	c = sl_chunk_new(otypes, ncols, 8);
	for (const char *p = records; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		SL_CHECK(sl_decoder_decode(d, p, n, c) >= 0);
		p += n + (e ? 1 : 0);
	}
	for (uint32_t r = 0; r < c->count; r++) {
		if (r)
			sl_strbuf_appendc(&sb, '\n');
		SL_CHECK(sl_encoder_encode(en, c, r, &sb, &err));
	}
	snprintf(res, sizeof res, "%s", sl_strbuf_str(&sb));
	sl_strbuf_free(&sb);
	sl_chunk_unref(c);
	sl_decoder_free(d);
	sl_encoder_free(en);
	return res;
}

static void
test_csv(void)
{
	sl_format_column cols[] = {{"id", T_BIGINT}, {"name", T_STR}, {"price", T_DEC}, {"ts", T_TS}, {"ok", T_BOOL}};
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0,
	                    "1,abc,12.5,2026-11-22 10:05:00.123,true\n"
	                    "2,\"a,\"\"b\"\"\",,2026-11-22T10:05,FALSE\n"
	                    ",\"\",0.01,,"),
	             "+I[1, abc, 12.50, 2026-11-22T10:05:00.123, true];"
	             "+I[2, a,\"b\", null, 2026-11-22T10:05, false];"
	             "+I[null, , 0.01, null, null]");
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0, "1,abc,12x,2026-11-22 10:05:00,true"),
	             "ERR column \"price\": cannot read \"12x\" as DECIMAL(10, 2) (at byte 6)");
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0, "1,abc"),
	             "ERR expected 5 fields, found 2 (at byte 5)");
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0, "1,a,1,,,6"),
	             "ERR expected 5 fields, found 6 (at byte 0)");
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0, "1,\"abc,1,,"),
	             "ERR unterminated quoted field (at byte 2)");
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0, "1,\"ab\"c,1,,"),
	             "ERR unexpected character 'c' after a closing quote (at byte 6)");
	/* fuzzer findings: 5-digit years (written back as "+20201-..."), and
	 * decimals far beyond 38 digits */
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0, "1,a,1,20201-06-02 00:00:00,"),
	             "ERR column \"ts\": cannot read \"20201-06-02 00:00:00\" as TIMESTAMP(3): out of range "
	             "(0000-01-01 to 9999-12-31) (at byte 6)");
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0, "1,a,1,352026-11-22 10:2,"),
	             "ERR column \"ts\": cannot read \"352026-11-22 10:2\" as TIMESTAMP(3): out of range "
	             "(0000-01-01 to 9999-12-31) (at byte 6)");
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0, "1,a,1,-2022026-11-2,"),
	             "ERR column \"ts\": cannot read \"-2022026-11-2\" as TIMESTAMP(3): out of range "
	             "(0000-01-01 to 9999-12-31) (at byte 6)");
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0, "1,a,0.000e40,,"),
	             "ERR column \"price\": cannot read \"0.000e40\" as DECIMAL(10, 2): out of range (at byte 4)");
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0,
	                    "1,a,66666666666666666666666666666666666666666666666666,,"),
	             "ERR column \"price\": cannot read \"66666666666666666666666666666666666666666666666666\" as "
	             "DECIMAL(10, 2): out of range (at byte 4)");
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0, "1,a,12345678.994,,"),
	             "+I[1, a, 12345678.99, null, null]");
	SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, NULL, 0, "99999999999999999999,a,1,,"),
	             "ERR column \"id\": cannot read \"99999999999999999999\" as BIGINT (at byte 0)");
	{
		sl_option_kv o[] = {{"csv.field-delimiter", "|", SL_SPAN_NONE, SL_SPAN_NONE},
		                    {"csv.null-literal", "N", SL_SPAN_NONE, SL_SPAN_NONE},
		                    {"csv.ignore-parse-errors", "true", SL_SPAN_NONE, SL_SPAN_NONE},
		                    {"csv.allow-comments", "true", SL_SPAN_NONE, SL_SPAN_NONE}};
		SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, NULL, 0, o, 4, "# comment\n7|N||bad|x"),
		             "+I[7, null, null, null, null]");
	}
	/* projection: only name and id, in another order */
	{
		sl_format_target tg[] = {{1, -1, 0}, {0, -1, 1}};
		SL_CHECK_STR(decode(SL_FORMAT_CSV, cols, 5, tg, 2, NULL, 0, "5,x,notparsed,,"), "+I[x, 5]");
	}
	/* arrays */
	{
		sl_format_column ac[] = {{"a", sl_type_new_array(A, T_INT)}, {"b", T_STR}};
		SL_CHECK_STR(decode(SL_FORMAT_CSV, ac, 2, NULL, 0, NULL, 0, "1;2;;3,x\n,y\n4,z"),
		             "+I[[1, 2, null, 3], x];+I[null, y];+I[[4], z]");
		SL_CHECK_STR(decode(SL_FORMAT_CSV, ac, 2, NULL, 0, NULL, 0, "1;2,x\n5;q,y"),
		             "+I[[1, 2], x];ERR column \"a\": cannot read array element \"q\" as INT (at byte 0)");
		SL_CHECK_STR(roundtrip(SL_FORMAT_CSV, ac, 2, NULL, 0, "1;2;;3,x\n,\"\""), "1;2;;3,x\n,\"\"");
	}
	SL_CHECK_STR(roundtrip(SL_FORMAT_CSV, cols, 5, NULL, 0,
	                       "1,\"a,\"\"b\"\"\",12.5,2026-11-22 10:05:00.1,true\n,,,,"),
	             "1,\"a,\"\"b\"\"\",12.50,2026-11-22 10:05:00.100,true\n,,,,");
	{
		sl_format_column rc[] = {{"r", sl_type_new_row(A, 1, (sl_type_field[]){{"x", T_INT}})}};
		SL_CHECK_STR(decode(SL_FORMAT_CSV, rc, 1, NULL, 0, NULL, 0, "1"),
		             "NEW format 'csv' cannot hold column \"r\" of type ROW<`x` INT>");
	}
}

static void
test_json(void)
{
	sl_format_column cols[] = {{"id", T_BIGINT}, {"name", T_STR}, {"price", T_DBL}, {"ts", T_TS},
	                           {"ok", T_BOOL}, {"d", T_DATE}, {"b", T_BYTES}};
	SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 7, NULL, 0, NULL, 0,
	                    "{\"id\": 1, \"name\": \"a\\\"b\\u00e9\\n\", \"price\": 1.5e2, \"ts\": \"2026-11-22 10:05:00.5\","
	                    " \"ok\": true, \"d\": \"2026-01-02\", \"b\": \"aGk=\", \"extra\": [1, {\"x\": null}]}\n"
	                    "{\"ok\": \"false\", \"id\": \"42\", \"price\": \"3\", \"name\": 17}\n"
	                    "{\"id\": null, \"name\": {\"k\": [1,2]}, \"price\": 7, \"id\": 9.7}"),
	             "+I[1, a\"b\xc3\xa9\n, 150.0, 2026-11-22T10:05:00.500, true, 2026-01-02, [104, 105]];"
	             "+I[42, 17, 3.0, null, false, null, null];"
	             "+I[9, {\"k\": [1,2]}, 7.0, null, null, null, null]");
	SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 7, NULL, 0, NULL, 0, "{\"id\": \"x1\"}"),
	             "ERR field \"id\": cannot read \"x1\" as BIGINT (at byte 7)");
	SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 7, NULL, 0, NULL, 0, "{\"id\": 1,}"),
	             "ERR expected a member name, found '}' (at byte 9)");
	SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 7, NULL, 0, NULL, 0, "{\"id\": 1"),
	             "ERR expected ',' or '}', found the end of the record (at byte 8)");
	SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 7, NULL, 0, NULL, 0, "[1]"),
	             "ERR expected a JSON object, found '[' (at byte 0)");
	SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 7, NULL, 0, NULL, 0, "{\"name\": \"a\\x\"}"),
	             "ERR bad escape '\\x' in a string (at byte 12)");
	SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 7, NULL, 0, NULL, 0, "{} x"),
	             "ERR expected the end of the record after the JSON object, found 'x' (at byte 3)");
	SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 7, NULL, 0, NULL, 0, "{\"ok\": 1}"),
	             "ERR field \"ok\": cannot read 1 as BOOLEAN (at byte 7)");
	{
		sl_option_kv o[] = {{"json.fail-on-missing-field", "true", SL_SPAN_NONE, SL_SPAN_NONE}};
		SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 2, NULL, 0, o, 1, "{\"id\": 1}"),
		             "ERR missing field \"name\" (at byte 9)");
	}
	{
		sl_option_kv o[] = {{"json.ignore-parse-errors", "true", SL_SPAN_NONE, SL_SPAN_NONE}};
		SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 3, NULL, 0, o, 1, "{\"id\": \"x\", \"price\": true}"),
		             "+I[null, null, null]");
	}
}

static void
test_json_nested(void)
{
	sl_type_field bf[] = {{"auction", T_BIGINT}, {"price", T_BIGINT}, {"tags", NULL}};
	const sl_type *arr = sl_type_new_array(A, T_STR);
	const sl_type *bid, *m;
	bf[2].type = arr;
	bid = sl_type_new_row(A, 3, bf);
	m = sl_type_new_map(A, T_STR, T_INT);
	{
		sl_format_column cols[] = {{"t", T_INT}, {"bid", bid}, {"m", m}, {"aa", sl_type_new_array(A, arr)}};
		SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 4, NULL, 0, NULL, 0,
		                    "{\"t\": 2, \"bid\": {\"price\": 5, \"auction\": 7, \"tags\": [\"x\", null]}, "
		                    "\"m\": {\"a\": 1, \"b\": null}, \"aa\": [[\"p\"], [], null]}\n"
		                    "{\"t\": 0, \"bid\": null, \"m\": {}, \"aa\": []}\n"
		                    "{\"t\": 1, \"bid\": {\"tags\": [\"y\"]}, \"aa\": [[\"q\", \"r\"]]}\n"
		                    "{\"t\": 9, \"bid\": {\"tags\": [\"z\", 1]}, \"aa\": [[\"s\"], [\"t\"], {}]}"),
		             "+I[2, +I[7, 5, [x, null]], {a=1, b=null}, [[p], [], null]];"
		             "+I[0, null, {}, []];"
		             "+I[1, +I[null, null, [y]], null, [[q, r]]];"
		             /* the last record fails on {} inside aa; its arrays are rolled back */
		             "ERR field \"aa\": cannot read an object as ARRAY<STRING> (at byte 57)");
		SL_CHECK_STR(roundtrip(SL_FORMAT_JSON, cols, 4, NULL, 0,
		                       "{\"t\": 2, \"bid\": {\"price\": 5, \"auction\": 7, \"tags\": [\"x\", null]}, "
		                       "\"m\": {\"a\": 1}, \"aa\": [[\"p\"], []]}"),
		             "{\"t\":2,\"bid\":{\"auction\":7,\"price\":5,\"tags\":[\"x\",null]},\"m\":{\"a\":1},"
		             "\"aa\":[[\"p\"],[]]}");
		/* projection of nested fields: bid.price and bid.auction, and t */
		{
			sl_format_target tg[] = {{1, 1, 0}, {1, 0, 1}, {0, -1, 2}};
			SL_CHECK_STR(decode(SL_FORMAT_JSON, cols, 4, tg, 3, NULL, 0,
			                    "{\"bid\": {\"price\": 5, \"auction\": 7, \"tags\": [\"x\"]}, \"t\": 2}\n"
			                    "{\"bid\": null, \"t\": 0}\n{\"t\": 1, \"bid\": {}}"),
			             "+I[5, 7, 2];+I[null, null, 0];+I[null, null, 1]");
		}
	}
}

static void
test_json_encode(void)
{
	sl_format_column cols[] = {{"s", T_STR}, {"x", T_DBL}, {"ts", T_TS}, {"n", T_INT}};
	SL_CHECK_STR(roundtrip(SL_FORMAT_JSON, cols, 4, NULL, 0,
	                       "{\"s\": \"q\\\"\\\\\\u0001\", \"x\": 0.1, \"ts\": \"2026-01-01 00:00:00\"}"),
	             "{\"s\":\"q\\\"\\\\\\u0001\",\"x\":0.1,\"ts\":\"2026-01-01 00:00:00.000\",\"n\":null}");
	{
		sl_option_kv o[] = {{"json.timestamp-format.standard", "ISO-8601", SL_SPAN_NONE, SL_SPAN_NONE}};
		SL_CHECK_STR(roundtrip(SL_FORMAT_JSON, cols, 4, o, 1, "{\"ts\": \"2026-01-01 00:00:00\"}"),
		             "{\"s\":null,\"x\":null,\"ts\":\"2026-01-01T00:00:00.000\",\"n\":null}");
	}
}

static void
test_raw(void)
{
	sl_format_column cols[] = {{"line", T_STR}};
	sl_format_column two[] = {{"a", T_STR}, {"b", T_STR}};
	sl_format_column num[] = {{"a", T_INT}};
	SL_CHECK_STR(decode(SL_FORMAT_RAW, cols, 1, NULL, 0, NULL, 0, "a, b \"c\"\n\nz"), "+I[a, b \"c\"];+I[];+I[z]");
	SL_CHECK_STR(roundtrip(SL_FORMAT_RAW, cols, 1, NULL, 0, "x,y"), "x,y");
	{
		sl_option_kv o[] = {{"raw.charset", "ISO-8859-1", SL_SPAN_NONE, SL_SPAN_NONE}};
		SL_CHECK_STR(decode(SL_FORMAT_RAW, cols, 1, NULL, 0, o, 1, "x"),
		             "NEW format 'raw': 'raw.charset' = 'ISO-8859-1' is not supported; sluice reads and writes UTF-8");
	}
	SL_CHECK_STR(decode(SL_FORMAT_RAW, two, 2, NULL, 0, NULL, 0, "x"),
	             "NEW format 'raw' needs exactly one physical column, the table has 2");
	SL_CHECK_STR(decode(SL_FORMAT_RAW, num, 1, NULL, 0, NULL, 0, "x"),
	             "NEW format 'raw': column \"a\" is INT; sluice reads raw records into STRING or BYTES");
}

static void
test_debezium(void)
{
	sl_format_column cols[] = {{"id", T_INT}, {"name", T_STR}};
	const char *ev = "{\"before\": null, \"after\": {\"id\": 1, \"name\": \"a\"}, \"source\": {\"x\": [1]}, \"op\": \"c\", \"ts_ms\": 5}\n"
	                 "{\"before\": {\"id\": 1, \"name\": \"a\"}, \"after\": {\"id\": 1, \"name\": \"b\"}, \"op\": \"u\"}\n"
	                 "\n"
	                 "null\n"
	                 "{\"op\": \"r\", \"after\": {\"id\": 2}}\n"
	                 "{\"before\": {\"id\": 1, \"name\": \"b\"}, \"after\": null, \"op\": \"d\"}";
	SL_CHECK_STR(decode(SL_FORMAT_DEBEZIUM_JSON, cols, 2, NULL, 0, NULL, 0, ev),
	             "+I[1, a];-U[1, a];+U[1, b];+I[2, null];-D[1, b]");
	SL_CHECK_STR(decode(SL_FORMAT_DEBEZIUM_JSON, cols, 2, NULL, 0, NULL, 0,
	                    "{\"before\": null, \"after\": {\"id\": 1}, \"op\": \"u\"}"),
	             "ERR the \"before\" row of an update is null; with Debezium's Postgres connector set REPLICA "
	             "IDENTITY FULL on the table (at byte 44)");
	SL_CHECK_STR(decode(SL_FORMAT_DEBEZIUM_JSON, cols, 2, NULL, 0, NULL, 0,
	                    "{\"before\": {\"id\": 1}, \"after\": {\"id\": \"z\"}, \"op\": \"u\"}"),
	             "ERR field \"id\": cannot read \"z\" as INT (at byte 38)");
	SL_CHECK_STR(decode(SL_FORMAT_DEBEZIUM_JSON, cols, 2, NULL, 0, NULL, 0, "{\"op\": \"x\", \"after\": {}}"),
	             "ERR unknown Debezium op \"x\" (at byte 8)");
	SL_CHECK_STR(decode(SL_FORMAT_DEBEZIUM_JSON, cols, 2, NULL, 0, NULL, 0, "{\"op\": \"c\", \"after\": {}"),
	             "ERR malformed Debezium JSON (at byte 23)");
	SL_CHECK_STR(decode(SL_FORMAT_DEBEZIUM_JSON, cols, 2, NULL, 0, NULL, 0,
	                    "{\"schema\": {}, \"payload\": {\"op\": \"c\", \"after\": {\"id\": 3}}}"),
	             "ERR no \"op\" member; the message has a \"payload\": set 'debezium-json.schema-include' = "
	             "'true' (at byte 0)");
	{
		sl_option_kv o[] = {{"debezium-json.schema-include", "true", SL_SPAN_NONE, SL_SPAN_NONE}};
		SL_CHECK_STR(decode(SL_FORMAT_DEBEZIUM_JSON, cols, 2, NULL, 0, o, 1,
		                    "{\"schema\": {\"type\": \"struct\"}, \"payload\": {\"op\": \"c\", \"after\": {\"id\": 3}}}\n"
		                    "{\"schema\": null, \"payload\": null}"),
		             "+I[3, null]");
	}
	SL_CHECK_STR(roundtrip(SL_FORMAT_DEBEZIUM_JSON, cols, 2, NULL, 0, ev),
	             "{\"before\":null,\"after\":{\"id\":1,\"name\":\"a\"},\"op\":\"c\"}\n"
	             "{\"before\":{\"id\":1,\"name\":\"a\"},\"after\":null,\"op\":\"d\"}\n"
	             "{\"before\":null,\"after\":{\"id\":1,\"name\":\"b\"},\"op\":\"c\"}\n"
	             "{\"before\":null,\"after\":{\"id\":2,\"name\":null},\"op\":\"c\"}\n"
	             "{\"before\":{\"id\":1,\"name\":\"b\"},\"after\":null,\"op\":\"d\"}");
}

/* Steady state: decoding into a reused chunk allocates no heap blocks. */
static void
test_no_alloc(void)
{
	sl_format_column cols[] = {{"id", T_BIGINT}, {"name", T_STR}};
	sl_format_spec spec = {SL_FORMAT_JSON, 2, cols, 0, NULL, 0, NULL, NULL};
	const sl_type *ty[] = {T_BIGINT, T_STR};
	sl_error *err = NULL;
	sl_decoder *d = sl_decoder_new(&spec, &err);
	sl_chunk *c = sl_chunk_new(ty, 2, 1024);
	sl_chunk_stats s0, s1;
	const char *rec = "{\"id\": 1, \"name\": \"abcdefghij\\tklmnop\"}";
	for (int round = 0; round < 3; round++) {
		if (round == 1)
			sl_chunk_stats_get(&s0);
		sl_chunk_reset(c);
		while (c->count + SL_DECODE_MAX_ROWS <= c->capacity)
			SL_CHECK_INT(sl_decoder_decode(d, rec, strlen(rec), c), 1);
	}
	sl_chunk_stats_get(&s1);
	SL_CHECK_INT(s1.heap_blocks, s0.heap_blocks);
	sl_chunk_unref(c);
	sl_decoder_free(d);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	init_types();
	SL_RUN(test_csv);
	SL_RUN(test_json);
	SL_RUN(test_json_nested);
	SL_RUN(test_json_encode);
	SL_RUN(test_raw);
	SL_RUN(test_debezium);
	SL_RUN(test_no_alloc);
	sl_arena_free(A);
	return SL_TEST_MAIN_END();
}
