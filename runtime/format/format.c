/*
 * format.c
 *	  The format layer's common part: kind names, decoder/encoder
 *	  construction and dispatch, options, errors and undo, and the scalar
 *	  text conversions csv, json and raw share. See README.md.
 *
 * INTERFACE ROUTINES
 *	  sl_format_kind_parse, sl_decoder_new/_free/_decode/_error,
 *	  sl_encoder_new/_free/_encode
 */
#include "runtime/format/format_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[] = {"csv", "json", "raw", "debezium-json"};

bool
sl_format_kind_parse(const char *name, sl_format_kind *out)
{
	for (int i = 0; i < 4; i++)
		if (name && sl_streq_ci(name, kind_names[i])) {
			*out = (sl_format_kind)i;
			return true;
		}
	return false;
}

const char *
sl_format_kind_name(sl_format_kind k)
{
	return (unsigned)k < 4 ? kind_names[k] : "?";
}

const char *
sl_fmt_option(const sl_format_spec *spec, const char *name)
{
	const char *pre = spec->prefix ? spec->prefix : "";
	size_t pl = strlen(pre);
	for (int i = 0; i < spec->noptions; i++) {
		const char *k = spec->options[i].key;
		if (strncmp(k, pre, pl) == 0 && sl_streq_ci(k + pl, name))
			return spec->options[i].value;
	}
	return NULL;
}

bool
sl_fmt_option_bool(const sl_format_spec *spec, const char *name, bool dflt)
{
	const char *v = sl_fmt_option(spec, name);
	return v ? sl_streq_ci(v, "true") : dflt;
}

int
sl_fmt_fail(sl_decoder *d, size_t pos, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(d->err, sizeof d->err, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof d->err)
		snprintf(d->err + n, sizeof d->err - (size_t)n, " (at byte %zu)", pos);
	d->errpos = pos;
	return -1;
}

void
sl_fmt_undo_push(sl_decoder *d, sl_vector *v)
{
	if (d->nundo == d->undocap) {
		d->undocap = d->undocap ? d->undocap * 2 : 16;
		d->undo = sl_xrealloc(d->undo, d->undocap * sizeof *d->undo);
	}
	d->undo[d->nundo].v = v;
	d->undo[d->nundo].child_used = v->child_used;
	d->nundo++;
}

int
sl_fmt_rollback(sl_decoder *d, sl_chunk *out, uint32_t count)
{
	while (d->nundo > 0) {
		d->nundo--;
		d->undo[d->nundo].v->child_used = d->undo[d->nundo].child_used;
	}
	out->count = count;
	return -1;
}

const char *
sl_fmt_type_name(const sl_type *t, char *buf, size_t cap)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_type_to_string(t, &sb);
	snprintf(buf, cap, "%s", sl_strbuf_str(&sb));
	sl_strbuf_free(&sb);
	/* drop " NOT NULL" and time attribute markers: messages name the kind */
	char *p = strstr(buf, " NOT NULL");
	if (p)
		*p = '\0';
	if ((p = strstr(buf, " *")))
		*p = '\0';
	return buf;
}

bool
sl_fmt_is_scalar(const sl_type *t)
{
	return t->kind != SL_TYPE_ROW && t->kind != SL_TYPE_ARRAY && t->kind != SL_TYPE_MAP;
}

/* ---- base64 (Flink writes BYTES as base64 in csv and json) ---------- */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static bool
b64_decode(const char *s, size_t n, sl_strheap *heap, sl_str *out)
{
	char *p;
	size_t k = 0;
	uint32_t acc = 0;
	int bits = 0;
	while (n > 0 && s[n - 1] == '=')
		n--;
	p = sl_strheap_alloc(heap, n * 3 / 4 + 1);
	for (size_t i = 0; i < n; i++) {
		int v = b64val((unsigned char)s[i]);
		if (v < 0)
			return false;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			p[k++] = (char)((acc >> bits) & 0xff);
		}
	}
	out->ptr = p;
	out->len = (uint32_t)k;
	return true;
}

static void
b64_encode(const unsigned char *s, size_t n, sl_strbuf *out)
{
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		sl_strbuf_appendc(out, b64[v >> 18]);
		sl_strbuf_appendc(out, b64[(v >> 12) & 63]);
		sl_strbuf_appendc(out, b64[(v >> 6) & 63]);
		sl_strbuf_appendc(out, b64[v & 63]);
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)s[i] << 16;
		sl_strbuf_appendc(out, b64[v >> 18]);
		sl_strbuf_appendc(out, b64[(v >> 12) & 63]);
		sl_strbuf_append(out, "==");
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;
		sl_strbuf_appendc(out, b64[v >> 18]);
		sl_strbuf_appendc(out, b64[(v >> 12) & 63]);
		sl_strbuf_appendc(out, b64[(v >> 6) & 63]);
		sl_strbuf_appendc(out, '=');
	}
}

/* ---- scalar conversions ------------------------------------------------ */
/* SQL's DATE range, as days since 1970-01-01: 0000-01-01 .. 9999-12-31.
 * Wider years would print as "+20201-06-02", which no reader accepts
 * (fuzzer finding, tests/fuzz/regress/format-*-5-digit-year). */
#define SL_FMT_MIN_DAY (-719528)
#define SL_FMT_MAX_DAY 2932896
/* Can the decimal text fit 38 digits at this scale at all? Integer digits
 * (leading zeros aside) plus the exponent must stay within 38 - scale.
 * Checked before sl_parse_decimal, which asserts on rescales beyond 10^38
 * for such texts (fuzzer finding, tests/fuzz/regress/format-json-long-
 * decimal; the assertion is runtime/values.c's, reported to its owner). */
static bool
dec_magnitude_ok(const char *s, size_t n, int scale)
{
	size_t i = 0;
	long digits = 0, e = 0;
	bool lead = true;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (lead && s[i] == '0')
			continue;
		lead = false;
		digits++;
	}
	while (i < n && s[i] != 'e' && s[i] != 'E')
		i++;
	if (i < n) {
		bool neg = false;
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			neg = s[i++] == '-';
		for (; i < n && s[i] >= '0' && s[i] <= '9' && e < 100000; i++)
			e = e * 10 + (s[i] - '0');
		if (neg)
			e = -e;
	}
	return digits + e <= 38 - scale;
}

/* At most four year digits: sl_parse_date/_timestamp overflow int64 on
 * far years (fuzzer finding, tests/fuzz/regress/format-csv-huge-year;
 * runtime/values.c's, reported to its owner). */
static bool
year_ok(const char *s, size_t n)
{
	size_t i = 0, d = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		return false; /* signed years are outside 0000..9999 too */
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		i++;
		d++;
	}
	return d <= 4;
}

bool
sl_fmt_scalar_from_text(const sl_type *t, const char *s, size_t n, sl_vector *v, uint32_t row,
                        sl_strheap *heap, const char **why)
{
	int64_t i64;
	double d;
	*why = NULL;
	switch (t->kind) {
	case SL_TYPE_BOOLEAN: {
		/* Flink's json/csv read "true"/"false" (any case) only */
		while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
		if (n == 4 && strncasecmp(s, "true", 4) == 0)
			SL_VEC_DATA(v, uint8_t)[row] = 1;
		else if (n == 5 && strncasecmp(s, "false", 5) == 0)
			SL_VEC_DATA(v, uint8_t)[row] = 0;
		else
			return false;
		break;
	}
	case SL_TYPE_TINYINT:
		if (!sl_parse_i64(s, n, &i64))
			return false;
		if (i64 < INT8_MIN || i64 > INT8_MAX)
			return *why = "out of range", false;
		SL_VEC_DATA(v, int8_t)[row] = (int8_t)i64;
		break;
	case SL_TYPE_SMALLINT:
		if (!sl_parse_i64(s, n, &i64))
			return false;
		if (i64 < INT16_MIN || i64 > INT16_MAX)
			return *why = "out of range", false;
		SL_VEC_DATA(v, int16_t)[row] = (int16_t)i64;
		break;
	case SL_TYPE_INT:
		if (!sl_parse_i64(s, n, &i64))
			return false;
		if (i64 < INT32_MIN || i64 > INT32_MAX)
			return *why = "out of range", false;
		SL_VEC_DATA(v, int32_t)[row] = (int32_t)i64;
		break;
	case SL_TYPE_BIGINT:
		if (!sl_parse_i64(s, n, &i64))
			return false;
		SL_VEC_DATA(v, int64_t)[row] = i64;
		break;
	case SL_TYPE_FLOAT:
		if (!sl_parse_double(s, n, &d))
			return false;
		SL_VEC_DATA(v, float)[row] = (float)d;
		break;
	case SL_TYPE_DOUBLE:
		if (!sl_parse_double(s, n, &d))
			return false;
		SL_VEC_DATA(v, double)[row] = d;
		break;
	case SL_TYPE_DECIMAL: {
		sl_i128 x;
		if (!dec_magnitude_ok(s, n, t->scale))
			return *why = "out of range", false;
		if (!sl_parse_decimal(s, n, t->precision, t->scale, &x))
			return false;
		sl_dec_put(v, row, x);
		break;
	}
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR:
		SL_VEC_DATA(v, sl_str)[row] = sl_strheap_copy(heap, s, n);
		break;
	case SL_TYPE_BYTES:
		if (!b64_decode(s, n, heap, &SL_VEC_DATA(v, sl_str)[row]))
			return *why = "not base64", false;
		break;
	case SL_TYPE_DATE: {
		int32_t days;
		if (!year_ok(s, n))
			return *why = "out of range (0000-01-01 to 9999-12-31)", false;
		if (!sl_parse_date(s, n, &days))
			return false;
		if (days < SL_FMT_MIN_DAY || days > SL_FMT_MAX_DAY)
			return *why = "out of range (0000-01-01 to 9999-12-31)", false;
		SL_VEC_DATA(v, int32_t)[row] = days;
		break;
	}
	case SL_TYPE_TIME:
		if (!sl_parse_time(s, n, &i64))
			return false;
		SL_VEC_DATA(v, int64_t)[row] = i64;
		break;
	case SL_TYPE_TIMESTAMP:
	case SL_TYPE_TIMESTAMP_LTZ:
		/* SQL "yyyy-MM-dd HH:mm:ss[.f]" or ISO-8601 with 'T'; an LTZ value
		 * may end in 'Z' (UTC) */
		if (t->kind == SL_TYPE_TIMESTAMP_LTZ && n && (s[n - 1] == 'Z' || s[n - 1] == 'z'))
			n--;
		if (!year_ok(s, n))
			return *why = "out of range (0000-01-01 to 9999-12-31)", false;
		if (!sl_parse_timestamp(s, n, &i64))
			return false;
		if (i64 < (int64_t)SL_FMT_MIN_DAY * 86400000000LL || i64 >= ((int64_t)SL_FMT_MAX_DAY + 1) * 86400000000LL)
			return *why = "out of range (0000-01-01 to 9999-12-31)", false;
		SL_VEC_DATA(v, int64_t)[row] = i64;
		break;
	default:
		return *why = "type not readable from text", false;
	}
	sl_vec_set_valid(v, row);
	return true;
}

void
sl_fmt_scalar_to_text(const sl_vector *v, uint32_t row, bool iso, bool decimal_plain,
                      sl_strbuf *out)
{
	char buf[128];
	int n = 0;
	const sl_type *t = v->type;
	(void)decimal_plain; /* sluice never writes DECIMAL in scientific notation */
	switch (t->kind) {
	case SL_TYPE_BOOLEAN:
		sl_strbuf_append(out, SL_VEC_DATA(v, uint8_t)[row] ? "true" : "false");
		return;
	case SL_TYPE_TINYINT: n = snprintf(buf, sizeof buf, "%d", SL_VEC_DATA(v, int8_t)[row]); break;
	case SL_TYPE_SMALLINT: n = snprintf(buf, sizeof buf, "%d", SL_VEC_DATA(v, int16_t)[row]); break;
	case SL_TYPE_INT: n = snprintf(buf, sizeof buf, "%d", SL_VEC_DATA(v, int32_t)[row]); break;
	case SL_TYPE_BIGINT:
		n = snprintf(buf, sizeof buf, "%lld", (long long)SL_VEC_DATA(v, int64_t)[row]);
		break;
	case SL_TYPE_FLOAT: n = sl_fmt_float_java(SL_VEC_DATA(v, float)[row], buf); break;
	case SL_TYPE_DOUBLE: n = sl_fmt_double_java(SL_VEC_DATA(v, double)[row], buf); break;
	case SL_TYPE_DECIMAL: n = sl_fmt_decimal(sl_dec_get(v, row), t->scale, buf); break;
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR: {
		sl_str s = SL_VEC_DATA(v, sl_str)[row];
		sl_strbuf_appendn(out, s.ptr, s.len);
		return;
	}
	case SL_TYPE_BYTES: {
		sl_str s = SL_VEC_DATA(v, sl_str)[row];
		b64_encode((const unsigned char *)s.ptr, s.len, out);
		return;
	}
	case SL_TYPE_DATE: n = sl_fmt_date(SL_VEC_DATA(v, int32_t)[row], buf); break;
	case SL_TYPE_TIME: n = sl_fmt_time_sql(SL_VEC_DATA(v, int64_t)[row], t->precision, buf); break;
	case SL_TYPE_TIMESTAMP:
	case SL_TYPE_TIMESTAMP_LTZ:
		n = sl_fmt_timestamp_sql(SL_VEC_DATA(v, int64_t)[row], t->precision, buf);
		if (iso && n > 10)
			buf[10] = 'T';
		if (t->kind == SL_TYPE_TIMESTAMP_LTZ && n < (int)sizeof buf - 1)
			buf[n++] = 'Z';
		break;
	case SL_TYPE_INTERVAL_DT:
		n = snprintf(buf, sizeof buf, "%lld", (long long)SL_VEC_DATA(v, int64_t)[row]);
		break;
	case SL_TYPE_INTERVAL_YM: n = snprintf(buf, sizeof buf, "%d", SL_VEC_DATA(v, int32_t)[row]); break;
	default:
		return;
	}
	sl_strbuf_appendn(out, buf, (size_t)n);
}

/* ---- decoders ---------------------------------------------------------- */
static bool
build_targets(sl_decoder *d, sl_error **errp)
{
	const sl_format_spec *sp = &d->spec;
	int nt = sp->targets ? sp->ntargets : sp->ncols, k = 0;
	d->first = sl_xcalloc((size_t)sp->ncols + 1, sizeof(int));
	d->tgt = sl_xcalloc((size_t)nt + 1, sizeof *d->tgt);
	d->seen = sl_xcalloc((size_t)sp->ncols + 1, sizeof(bool));
	d->namelen = sl_xcalloc((size_t)sp->ncols + 1, sizeof(size_t));
	for (int c = 0; c < sp->ncols; c++)
		d->namelen[c] = strlen(sp->cols[c].name);
	for (int c = 0; c < sp->ncols; c++) {
		d->first[c] = k;
		for (int i = 0; i < nt; i++) {
			sl_format_target t = sp->targets ? sp->targets[i] : (sl_format_target){i, -1, i};
			if (t.col != c)
				continue;
			if (t.sub >= 0 && (sp->cols[c].type->kind != SL_TYPE_ROW || t.sub >= sp->cols[c].type->nfields)) {
				*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE,
				                     "format target: column \"%s\" has no field %d", sp->cols[c].name, t.sub);
				return false;
			}
			d->tgt[k++] = t;
		}
	}
	d->first[sp->ncols] = k;
	for (int c = 0; c < sp->ncols; c++) {
		const sl_type *t = sp->cols[c].type;
		if (t->kind == SL_TYPE_ROW && t->nfields > d->maxfields)
			d->maxfields = t->nfields;
	}
	return true;
}

sl_decoder *
sl_decoder_new(const sl_format_spec *spec, sl_error **errp)
{
	sl_decoder *d = sl_xcalloc(1, sizeof *d);
	bool ok;
	d->spec = *spec;
	if (!build_targets(d, errp)) {
		sl_decoder_free(d);
		return NULL;
	}
	switch (spec->kind) {
	case SL_FORMAT_CSV: ok = sl_csv_decoder_init(d, errp); break;
	case SL_FORMAT_JSON: ok = sl_json_decoder_init(d, errp); break;
	case SL_FORMAT_RAW: ok = sl_raw_decoder_init(d, errp); break;
	case SL_FORMAT_DEBEZIUM_JSON: ok = sl_debezium_decoder_init(d, errp); break;
	default:
		*errp = sl_error_new(SL_ERR_INVALID_OPTION, SL_SPAN_NONE, "unknown format");
		ok = false;
	}
	if (!ok) {
		sl_decoder_free(d);
		return NULL;
	}
	return d;
}

void
sl_decoder_free(sl_decoder *d)
{
	if (!d)
		return;
	sl_decoder_free(d->inner);
	free(d->first);
	free(d->tgt);
	free(d->seen);
	free(d->namelen);
	free(d->fseen);
	free(d->undo);
	sl_strbuf_free(&d->scratch);
	free(d);
}

int
sl_decoder_decode(sl_decoder *d, const char *bytes, size_t len, sl_chunk *out)
{
	SL_ASSERT(out->count + SL_DECODE_MAX_ROWS <= out->capacity);
	d->nundo = 0;
	switch (d->spec.kind) {
	case SL_FORMAT_CSV: return sl_csv_decode(d, bytes, len, out);
	case SL_FORMAT_JSON: return sl_json_decode(d, bytes, len, out);
	case SL_FORMAT_RAW: return sl_raw_decode(d, bytes, len, out);
	case SL_FORMAT_DEBEZIUM_JSON: return sl_debezium_decode(d, bytes, len, out);
	}
	return sl_fmt_fail(d, 0, "unknown format");
}

const char *
sl_decoder_error(const sl_decoder *d)
{
	return d->err;
}

size_t
sl_decoder_error_pos(const sl_decoder *d)
{
	return d->errpos;
}

/* ---- encoders ---------------------------------------------------------- */
sl_encoder *
sl_encoder_new(const sl_format_spec *spec, sl_error **errp)
{
	sl_encoder *e = sl_xcalloc(1, sizeof *e);
	bool ok;
	e->spec = *spec;
	e->src = sl_xcalloc((size_t)spec->ncols + 1, sizeof(int));
	for (int c = 0; c < spec->ncols; c++)
		e->src[c] = c;
	if (spec->targets)
		for (int i = 0; i < spec->ntargets; i++)
			if (spec->targets[i].col >= 0 && spec->targets[i].col < spec->ncols)
				e->src[spec->targets[i].col] = spec->targets[i].out;
	switch (spec->kind) {
	case SL_FORMAT_CSV: ok = sl_csv_encoder_init(e, errp); break;
	case SL_FORMAT_JSON:
	case SL_FORMAT_DEBEZIUM_JSON: ok = sl_json_encoder_init(e, errp); break;
	case SL_FORMAT_RAW: ok = sl_raw_encoder_init(e, errp); break;
	default:
		*errp = sl_error_new(SL_ERR_INVALID_OPTION, SL_SPAN_NONE, "unknown format");
		ok = false;
	}
	if (!ok) {
		sl_encoder_free(e);
		return NULL;
	}
	return e;
}

void
sl_encoder_free(sl_encoder *e)
{
	if (!e)
		return;
	free(e->src);
	free(e);
}

bool
sl_encoder_encode(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out, sl_error **errp)
{
	switch (e->spec.kind) {
	case SL_FORMAT_CSV: return sl_csv_encode(e, c, row, out, errp);
	case SL_FORMAT_JSON: return sl_json_encode(e, c, row, out, errp);
	case SL_FORMAT_RAW: return sl_raw_encode(e, c, row, out, errp);
	case SL_FORMAT_DEBEZIUM_JSON: return sl_debezium_encode(e, c, row, out, errp);
	}
	return false;
}

/* ---- public helpers ---------------------------------------------------- */
bool
sl_format_value_from_text(const sl_type *t, const char *s, size_t n, sl_vector *v, uint32_t row,
                          sl_strheap *heap, const char **why)
{
	return sl_fmt_scalar_from_text(t, s, n, v, row, heap, why);
}

void
sl_format_value_to_text(const sl_vector *v, uint32_t row, sl_strbuf *out)
{
	sl_fmt_scalar_to_text(v, row, false, true, out);
}

void
sl_format_json_quote(const char *s, size_t n, sl_strbuf *out)
{
	sl_json_quote(s, n, out);
}
