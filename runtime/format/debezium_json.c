/*
 * debezium_json.c
 *	  The debezium-json format (Flink's 'debezium-json'): a change event
 *	    {"before": {...} | null, "after": {...} | null, "op": "c|r|u|d", ...}
 *	  optionally wrapped as {"schema": {...}, "payload": {<event>}} when
 *	  'debezium-json.schema-include' = 'true'. The before/after objects are
 *	  rows of the record schema, decoded with the json rules (json.c).
 *
 *	  op "c" (create) and "r" (snapshot read): after -> +I
 *	  op "u": before -> -U, then after -> +U (a null before is an error, as
 *	          in Flink: the source table needs REPLICA IDENTITY FULL)
 *	  op "d": before -> -D
 *	  An empty record or the literal null (Kafka tombstone) yields no row.
 *	  Other members (source, ts_ms, transaction) are skipped.
 *
 *	  Writing: +I/+U -> {"before":null,"after":{...},"op":"c"},
 *	  -U/-D -> {"before":{...},"after":null,"op":"d"} (Flink's serializer).
 *
 * INTERFACE ROUTINES (through format.h)
 *	  sl_debezium_decoder_init, sl_debezium_decode, sl_debezium_encode
 */
#include "runtime/format/format_int.h"

#include <string.h>

bool
sl_debezium_decoder_init(sl_decoder *d, sl_error **errp)
{
	d->schema_include = sl_fmt_option_bool(&d->spec, "debezium-json.schema-include", false);
	return sl_json_decoder_init(d, errp);
}

/* A minimal scanner of the envelope: the offsets of the values of the
 * members we need. The before/after rows are then decoded by json.c, which
 * checks them fully; members we do not use are only delimited here. */
typedef struct env {
	long before, after;      /* value offsets, -1 absent */
	bool before_null, after_null;
	const char *op;
	size_t oplen;
	long payload;            /* schema-include: offset of payload's value */
} env;

static size_t
skip_ws(const char *b, size_t n, size_t p)
{
	while (p < n && (b[p] == ' ' || b[p] == '\t' || b[p] == '\n' || b[p] == '\r'))
		p++;
	return p;
}

/* Skip one JSON value at b[p] (strings, numbers, literals, nested
 * containers); returns the offset after it or (size_t)-1 when malformed. */
static size_t
skip_value(const char *b, size_t n, size_t p, int depth)
{
	p = skip_ws(b, n, p);
	if (p >= n || depth > 64)
		return (size_t)-1;
	if (b[p] == '"') {
		for (p++; p < n; p++) {
			if (b[p] == '\\')
				p++;
			else if (b[p] == '"')
				return p + 1;
			else if ((unsigned char)b[p] < 0x20)
				return (size_t)-1;
		}
		return (size_t)-1;
	}
	if (b[p] == '{' || b[p] == '[') {
		char close = b[p] == '{' ? '}' : ']';
		bool obj = close == '}';
		p = skip_ws(b, n, p + 1);
		if (p < n && b[p] == close)
			return p + 1;
		for (;;) {
			if (obj) {
				p = skip_ws(b, n, p);
				if (p >= n || b[p] != '"')
					return (size_t)-1;
				p = skip_value(b, n, p, depth + 1);
				if (p == (size_t)-1)
					return p;
				p = skip_ws(b, n, p);
				if (p >= n || b[p] != ':')
					return (size_t)-1;
				p++;
			}
			p = skip_value(b, n, p, depth + 1);
			if (p == (size_t)-1)
				return p;
			p = skip_ws(b, n, p);
			if (p < n && b[p] == ',') {
				p++;
				continue;
			}
			if (p < n && b[p] == close)
				return p + 1;
			return (size_t)-1;
		}
	}
	{
		size_t st = p;
		while (p < n && b[p] != ',' && b[p] != '}' && b[p] != ']' && b[p] != ' ' && b[p] != '\t' &&
		       b[p] != '\n' && b[p] != '\r')
			p++;
		if (p == st)
			return (size_t)-1;
		/* literals and numbers: checked for real when decoded; here only
		 * their extent matters */
		return p;
	}
}

static bool
is_null_at(const char *b, size_t n, size_t p)
{
	p = skip_ws(b, n, p);
	return n - p >= 4 && memcmp(b + p, "null", 4) == 0;
}

/* Scan the object at b[p] for the envelope members: true with *bad = the
 * offset after the object, false when malformed at *bad. */
static bool
scan(const char *b, size_t n, size_t p, env *e, size_t *bad)
{
	p = skip_ws(b, n, p);
	if (p >= n || b[p] != '{') {
		*bad = p;
		return false;
	}
	p = skip_ws(b, n, p + 1);
	if (p < n && b[p] == '}')
		return true;
	for (;;) {
		size_t ks, ke, vs;
		p = skip_ws(b, n, p);
		if (p >= n || b[p] != '"') {
			*bad = p;
			return false;
		}
		ks = p + 1;
		ke = skip_value(b, n, p, 0);
		if (ke == (size_t)-1) {
			*bad = p;
			return false;
		}
		p = skip_ws(b, n, ke);
		if (p >= n || b[p] != ':') {
			*bad = p;
			return false;
		}
		vs = p + 1;
		p = skip_value(b, n, vs, 0);
		if (p == (size_t)-1) {
			*bad = skip_ws(b, n, vs);
			return false;
		}
		ke--; /* closing quote */
#define KEY(s) (ke - ks == sizeof(s) - 1 && memcmp(b + ks, s, sizeof(s) - 1) == 0)
		if (KEY("before")) {
			e->before = (long)vs;
			e->before_null = is_null_at(b, n, vs);
		} else if (KEY("after")) {
			e->after = (long)vs;
			e->after_null = is_null_at(b, n, vs);
		} else if (KEY("op")) {
			size_t q = skip_ws(b, n, vs);
			if (q < n && b[q] == '"' && p >= q + 2) {
				e->op = b + q + 1;
				e->oplen = p - q - 2;
			}
		} else if (KEY("payload")) {
			e->payload = (long)vs;
		}
#undef KEY
		p = skip_ws(b, n, p);
		if (p < n && b[p] == ',') {
			p++;
			continue;
		}
		if (p < n && b[p] == '}') {
			*bad = p + 1; /* the end of the object */
			return true;
		}
		*bad = p;
		return false;
	}
}

static int
row_at(sl_decoder *d, const char *b, size_t n, long at, sl_chunk *out, sl_row_kind kind)
{
	size_t p = (size_t)at;
	uint32_t r = out->count;
	if (sl_json_decode_row_at(d, b, n, &p, out, 0) < 0)
		return -1;
	out->kinds[r] = (uint8_t)kind;
	return 0;
}

int
sl_debezium_decode(sl_decoder *d, const char *b, size_t n, sl_chunk *out)
{
	uint32_t r0 = out->count;
	env e = {-1, -1, false, false, NULL, 0, -1};
	size_t p = skip_ws(b, n, 0), bad = 0;
	if (p == n || (n - p >= 4 && memcmp(b + p, "null", 4) == 0 && skip_ws(b, n, p + 4) == n))
		return 0; /* tombstone */
	if (!scan(b, n, p, &e, &bad))
		return sl_fmt_fail(d, bad, "malformed Debezium JSON");
	if (skip_ws(b, n, bad) != n)
		return sl_fmt_fail(d, skip_ws(b, n, bad), "expected the end of the record after the JSON object");
	if (d->schema_include) {
		long pl = e.payload;
		if (pl < 0)
			return sl_fmt_fail(d, p, "no \"payload\" member ('debezium-json.schema-include' is 'true')");
		if (is_null_at(b, n, (size_t)pl))
			return 0;
		e = (env){-1, -1, false, false, NULL, 0, -1};
		if (!scan(b, n, (size_t)pl, &e, &bad))
			return sl_fmt_fail(d, bad, "malformed Debezium JSON payload");
	}
	if (!e.op) {
		if (e.payload >= 0 && !d->schema_include)
			return sl_fmt_fail(d, p, "no \"op\" member; the message has a \"payload\": set "
			                         "'debezium-json.schema-include' = 'true'");
		return sl_fmt_fail(d, p, "no \"op\" member in the Debezium change event");
	}
	if (e.oplen == 1 && (e.op[0] == 'c' || e.op[0] == 'r')) {
		if (e.after < 0 || e.after_null)
			return sl_fmt_fail(d, (size_t)(e.op - b), "op \"%c\" without an \"after\" row", e.op[0]);
		if (row_at(d, b, n, e.after, out, SL_ROW_INSERT) < 0)
			return sl_fmt_rollback(d, out, r0);
		return 1;
	}
	if (e.oplen == 1 && e.op[0] == 'u') {
		if (e.before < 0 || e.before_null)
			return sl_fmt_fail(d, (size_t)(e.op - b),
			                   "the \"before\" row of an update is null; with Debezium's Postgres connector "
			                   "set REPLICA IDENTITY FULL on the table");
		if (e.after < 0 || e.after_null)
			return sl_fmt_fail(d, (size_t)(e.op - b), "op \"u\" without an \"after\" row");
		if (row_at(d, b, n, e.before, out, SL_ROW_UPDATE_BEFORE) < 0 ||
		    row_at(d, b, n, e.after, out, SL_ROW_UPDATE_AFTER) < 0)
			return sl_fmt_rollback(d, out, r0);
		return 2;
	}
	if (e.oplen == 1 && e.op[0] == 'd') {
		if (e.before < 0 || e.before_null)
			return sl_fmt_fail(d, (size_t)(e.op - b),
			                   "the \"before\" row of a delete is null; with Debezium's Postgres connector "
			                   "set REPLICA IDENTITY FULL on the table");
		if (row_at(d, b, n, e.before, out, SL_ROW_DELETE) < 0)
			return sl_fmt_rollback(d, out, r0);
		return 1;
	}
	return sl_fmt_fail(d, (size_t)(e.op - b), "unknown Debezium op \"%.*s\"", (int)(e.oplen > 16 ? 16 : e.oplen),
	                   e.op);
}

bool
sl_debezium_encode(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out, sl_error **errp)
{
	sl_row_kind k = (sl_row_kind)c->kinds[row];
	bool add = k == SL_ROW_INSERT || k == SL_ROW_UPDATE_AFTER;
	if (add) {
		sl_strbuf_append(out, "{\"before\":null,\"after\":");
		if (!sl_json_encode_object(e, c, row, out, errp))
			return false;
		sl_strbuf_append(out, ",\"op\":\"c\"}");
	} else {
		sl_strbuf_append(out, "{\"before\":");
		if (!sl_json_encode_object(e, c, row, out, errp))
			return false;
		sl_strbuf_append(out, ",\"after\":null,\"op\":\"d\"}");
	}
	return true;
}
