/*
 * json.c
 *	  The json format (Flink's 'json'): one record = one JSON object whose
 *	  members are the record columns by name (case-sensitive).
 *
 *	  Reading (a hand-written single-pass parser over the record bytes, no
 *	  tree): members not in the schema are skipped, missing ones are NULL
 *	  ('json.fail-on-missing-field' = 'true': an error), JSON null is NULL.
 *	  Coercions as Flink's JsonToRowDataConverters: numbers and strings
 *	  holding numbers both read into numeric columns (a fraction into an
 *	  integer column truncates toward zero, as Jackson's asInt/asLong), a
 *	  STRING column takes a string's text, a number's or a boolean's text, or
 *	  the JSON text of an object/array; BOOLEAN takes true/false or the
 *	  strings "true"/"false"; timestamps "yyyy-MM-dd HH:mm:ss[.f]" or with
 *	  'T' (TIMESTAMP_LTZ may end in 'Z'); DATE "yyyy-MM-dd"; BYTES base64;
 *	  ROW from an object, ARRAY from an array, MAP from an object. Nesting
 *	  deeper than 64 levels is refused. With 'json.ignore-parse-errors' a
 *	  value that does not convert becomes NULL (malformed JSON still fails).
 *
 *	  Writing: {"col":value,...} in record-schema order; NULL as null;
 *	  timestamps as strings in 'json.timestamp-format.standard' (SQL:
 *	  "2026-11-22 10:05:00.123", ISO-8601: 'T'), DECIMAL as a plain number,
 *	  BYTES base64, MAP as an object (NULL keys per 'json.map-null-key.mode').
 *
 * INTERFACE ROUTINES (through format.h)
 *	  sl_json_decoder_init, sl_json_decode, sl_json_decode_row_at,
 *	  sl_json_encoder_init, sl_json_encode, sl_json_encode_object, sl_json_quote
 */
#include "runtime/format/format_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define JSON_MAX_DEPTH 64
#define JSON_MAX_FIELDS 512

typedef struct jcur {
	sl_decoder *d;
	const char *b;
	size_t n, p;
	sl_chunk *out;
	int depth;
} jcur;

enum { J_ERR = -1, J_NULL, J_TRUE, J_FALSE, J_NUM, J_STR, J_OBJ, J_ARR };

static inline void
ws(jcur *c)
{
	while (c->p < c->n && (c->b[c->p] == ' ' || c->b[c->p] == '\t' || c->b[c->p] == '\n' ||
	                       c->b[c->p] == '\r'))
		c->p++;
}

static int
fail(jcur *c, const char *what)
{
	if (c->p >= c->n)
		return sl_fmt_fail(c->d, c->p, "%s, found the end of the record", what);
	if ((unsigned char)c->b[c->p] >= 0x20 && (unsigned char)c->b[c->p] < 0x7f)
		return sl_fmt_fail(c->d, c->p, "%s, found '%c'", what, c->b[c->p]);
	return sl_fmt_fail(c->d, c->p, "%s, found byte 0x%02x", what, (unsigned char)c->b[c->p]);
}

/* The kind of the value at c->p (after whitespace), without consuming. */
static int
peek(jcur *c)
{
	ws(c);
	if (c->p >= c->n)
		return J_ERR;
	switch (c->b[c->p]) {
	case 'n': return J_NULL;
	case 't': return J_TRUE;
	case 'f': return J_FALSE;
	case '"': return J_STR;
	case '{': return J_OBJ;
	case '[': return J_ARR;
	default:
		if (c->b[c->p] == '-' || (c->b[c->p] >= '0' && c->b[c->p] <= '9'))
			return J_NUM;
		return J_ERR;
	}
}

static int
literal(jcur *c, const char *lit)
{
	size_t l = strlen(lit);
	if (c->n - c->p < l || memcmp(c->b + c->p, lit, l) != 0)
		return fail(c, "expected a JSON value");
	c->p += l;
	return 0;
}

/* A number token; *s, *len its text; *integral without fraction/exponent. */
static int
number(jcur *c, const char **s, size_t *len, bool *integral)
{
	size_t p = c->p, st = p;
	*integral = true;
	if (p < c->n && c->b[p] == '-')
		p++;
	if (p >= c->n || c->b[p] < '0' || c->b[p] > '9') {
		c->p = p;
		return fail(c, "expected a digit");
	}
	while (p < c->n && c->b[p] >= '0' && c->b[p] <= '9')
		p++;
	if (p < c->n && c->b[p] == '.') {
		*integral = false;
		p++;
		if (p >= c->n || c->b[p] < '0' || c->b[p] > '9') {
			c->p = p;
			return fail(c, "expected a digit after '.'");
		}
		while (p < c->n && c->b[p] >= '0' && c->b[p] <= '9')
			p++;
	}
	if (p < c->n && (c->b[p] == 'e' || c->b[p] == 'E')) {
		*integral = false;
		p++;
		if (p < c->n && (c->b[p] == '+' || c->b[p] == '-'))
			p++;
		if (p >= c->n || c->b[p] < '0' || c->b[p] > '9') {
			c->p = p;
			return fail(c, "expected a digit in the exponent");
		}
		while (p < c->n && c->b[p] >= '0' && c->b[p] <= '9')
			p++;
	}
	*s = c->b + st;
	*len = p - st;
	c->p = p;
	return 0;
}

/* A string token: raw bytes between the quotes in [*s, *s + *len);
 * *esc when it holds escapes. */
static int
string_tok(jcur *c, const char **s, size_t *len, bool *esc)
{
	size_t p = ++c->p;
	const char *b = c->b;
	*esc = false;
	for (;;) {
		unsigned char ch;
		if (p >= c->n) {
			c->p = p;
			return fail(c, "unterminated string");
		}
		ch = (unsigned char)b[p];
		if (ch == '"')
			break;
		if (ch == '\\') {
			*esc = true;
			p += 2;
			continue;
		}
		if (ch < 0x20) {
			c->p = p;
			return fail(c, "control character in a string");
		}
		p++;
	}
	*s = b + c->p;
	*len = p - c->p;
	c->p = p + 1;
	return 0;
}

static int
hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char ch = s[i];
		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			v |= (unsigned)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			v |= (unsigned)(ch - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Unescape raw string bytes s[0..n) (positioned at record offset pos) into
 * dst, which has room for n bytes; returns the length or -1. */
static long
unescape(jcur *c, const char *s, size_t n, char *dst, size_t pos)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned u, lo;
		if (s[i] != '\\') {
			dst[k++] = s[i];
			continue;
		}
		i++;
		switch (s[i]) {
		case '"': dst[k++] = '"'; break;
		case '\\': dst[k++] = '\\'; break;
		case '/': dst[k++] = '/'; break;
		case 'b': dst[k++] = '\b'; break;
		case 'f': dst[k++] = '\f'; break;
		case 'n': dst[k++] = '\n'; break;
		case 'r': dst[k++] = '\r'; break;
		case 't': dst[k++] = '\t'; break;
		case 'u':
			if (i + 4 >= n || hex4(s + i + 1, &u) < 0)
				return sl_fmt_fail(c->d, pos + i, "bad \\u escape");
			i += 4;
			if (u >= 0xd800 && u < 0xdc00) {
				if (i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u' && hex4(s + i + 3, &lo) == 0 &&
				    lo >= 0xdc00 && lo < 0xe000) {
					u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
					i += 6;
				} else {
					return sl_fmt_fail(c->d, pos + i, "unpaired surrogate in a \\u escape");
				}
			} else if (u >= 0xdc00 && u < 0xe000) {
				return sl_fmt_fail(c->d, pos + i, "unpaired surrogate in a \\u escape");
			}
			if (u < 0x80) {
				dst[k++] = (char)u;
			} else if (u < 0x800) {
				dst[k++] = (char)(0xc0 | (u >> 6));
				dst[k++] = (char)(0x80 | (u & 63));
			} else if (u < 0x10000) {
				dst[k++] = (char)(0xe0 | (u >> 12));
				dst[k++] = (char)(0x80 | ((u >> 6) & 63));
				dst[k++] = (char)(0x80 | (u & 63));
			} else {
				dst[k++] = (char)(0xf0 | (u >> 18));
				dst[k++] = (char)(0x80 | ((u >> 12) & 63));
				dst[k++] = (char)(0x80 | ((u >> 6) & 63));
				dst[k++] = (char)(0x80 | (u & 63));
			}
			break;
		default:
			return sl_fmt_fail(c->d, pos + i, "bad escape '\\%c' in a string",
			                   (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f ? s[i] : '?');
		}
	}
	return (long)k;
}

static int
skip_value(jcur *c)
{
	const char *s;
	size_t len;
	bool b;
	switch (peek(c)) {
	case J_NULL: return literal(c, "null");
	case J_TRUE: return literal(c, "true");
	case J_FALSE: return literal(c, "false");
	case J_NUM: return number(c, &s, &len, &b);
	case J_STR: return string_tok(c, &s, &len, &b);
	case J_OBJ:
	case J_ARR: {
		bool obj = c->b[c->p] == '{';
		char close = obj ? '}' : ']';
		if (++c->depth > JSON_MAX_DEPTH)
			return fail(c, "nesting deeper than 64 levels");
		c->p++;
		ws(c);
		if (c->p < c->n && c->b[c->p] == close) {
			c->p++;
			c->depth--;
			return 0;
		}
		for (;;) {
			if (obj) {
				ws(c);
				if (c->p >= c->n || c->b[c->p] != '"')
					return fail(c, "expected a member name");
				if (string_tok(c, &s, &len, &b) < 0)
					return -1;
				ws(c);
				if (c->p >= c->n || c->b[c->p] != ':')
					return fail(c, "expected ':'");
				c->p++;
			}
			if (skip_value(c) < 0)
				return -1;
			ws(c);
			if (c->p < c->n && c->b[c->p] == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->n && c->b[c->p] == close) {
				c->p++;
				c->depth--;
				return 0;
			}
			return fail(c, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		}
	}
	default:
		return fail(c, "expected a JSON value");
	}
}

static int decode_value(jcur *c, const sl_type *t, sl_vector *v, uint32_t row, const char *name);

static int
bad_value(jcur *c, size_t pos, const char *name, const sl_type *t, const char *s, size_t n,
          sl_vector *v, uint32_t row, const char *why)
{
	char tb[96];
	if (c->d->ignore_parse_errors) {
		sl_vec_set_null(v, row);
		return 0;
	}
	return sl_fmt_fail(c->d, pos, "field \"%s\": cannot read %.*s as %s%s%s", name, (int)(n > 64 ? 64 : n), s,
	                   sl_fmt_type_name(t, tb, sizeof tb), why ? ": " : "", why ? why : "");
}

/* Member name at c->p into (*k, *kl), unescaped into scratch when needed. */
static int
member_name(jcur *c, const char **k, size_t *kl)
{
	bool esc;
	size_t pos;
	ws(c);
	if (c->p >= c->n || c->b[c->p] != '"')
		return fail(c, "expected a member name");
	pos = c->p + 1;
	if (string_tok(c, k, kl, &esc) < 0)
		return -1;
	if (esc) {
		long m;
		sl_strbuf_reset(&c->d->scratch);
		sl_strbuf_reserve(&c->d->scratch, *kl + 1);
		m = unescape(c, *k, *kl, c->d->scratch.data, pos);
		if (m < 0)
			return -1;
		*k = c->d->scratch.data;
		*kl = (size_t)m;
	}
	ws(c);
	if (c->p >= c->n || c->b[c->p] != ':')
		return fail(c, "expected ':'");
	c->p++;
	return 0;
}

static int
field_index(const sl_type *t, const char *k, size_t kl, int hint)
{
	if (hint >= 0 && hint < t->nfields && strlen(t->fields[hint].name) == kl &&
	    memcmp(t->fields[hint].name, k, kl) == 0)
		return hint;
	for (int f = 0; f < t->nfields; f++)
		if (strlen(t->fields[f].name) == kl && memcmp(t->fields[f].name, k, kl) == 0)
			return f;
	return -1;
}

/* An object into ROW vector v[row]: fields by name, missing ones NULL. */
static int
decode_row(jcur *c, const sl_type *t, sl_vector *v, uint32_t row)
{
	uint64_t seen[JSON_MAX_FIELDS / 64] = {0};
	int hint = 0;
	if (++c->depth > JSON_MAX_DEPTH)
		return fail(c, "nesting deeper than 64 levels");
	c->p++; /* '{' */
	ws(c);
	if (c->p < c->n && c->b[c->p] == '}') {
		c->p++;
	} else {
		for (;;) {
			const char *k;
			size_t kl;
			int f;
			if (member_name(c, &k, &kl) < 0)
				return -1;
			f = field_index(t, k, kl, hint);
			if (f < 0) {
				if (skip_value(c) < 0)
					return -1;
			} else {
				if (decode_value(c, t->fields[f].type, v->children[f], row, t->fields[f].name) < 0)
					return -1;
				seen[f >> 6] |= 1ULL << (f & 63);
				hint = f + 1;
			}
			ws(c);
			if (c->p < c->n && c->b[c->p] == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->n && c->b[c->p] == '}') {
				c->p++;
				break;
			}
			return fail(c, "expected ',' or '}'");
		}
	}
	for (int f = 0; f < t->nfields; f++)
		if (!(seen[f >> 6] >> (f & 63) & 1)) {
			if (c->d->fail_on_missing)
				return sl_fmt_fail(c->d, c->p, "missing field \"%s\"", t->fields[f].name);
			sl_vec_set_null(v->children[f], row);
		}
	c->depth--;
	sl_vec_set_valid(v, row);
	return 0;
}

static int
decode_array(jcur *c, const sl_type *t, sl_vector *v, uint32_t row, const char *name)
{
	bool map = t->kind == SL_TYPE_MAP;
	char close = map ? '}' : ']';
	uint32_t at = v->child_used;
	if (++c->depth > JSON_MAX_DEPTH)
		return fail(c, "nesting deeper than 64 levels");
	sl_fmt_undo_push(c->d, v);
	v->offsets[row] = at;
	c->p++;
	ws(c);
	if (c->p < c->n && c->b[c->p] == close) {
		c->p++;
	} else {
		for (;;) {
			sl_vector_reserve_children(v, at + 1);
			v->child_used = at + 1; /* nested arrays append after this element */
			if (map) {
				const char *k;
				size_t kl;
				const char *why;
				size_t kpos = c->p;
				if (member_name(c, &k, &kl) < 0)
					return -1;
				if (!sl_fmt_scalar_from_text(t->key, k, kl, v->children[0], at, &c->out->heap, &why)) {
					if (bad_value(c, kpos, name, t->key, k, kl, v->children[0], at, why) < 0)
						return -1;
				}
				if (decode_value(c, t->elem, v->children[1], at, name) < 0)
					return -1;
			} else if (decode_value(c, t->elem, v->children[0], at, name) < 0) {
				return -1;
			}
			at++;
			ws(c);
			if (c->p < c->n && c->b[c->p] == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->n && c->b[c->p] == close) {
				c->p++;
				break;
			}
			return fail(c, map ? "expected ',' or '}'" : "expected ',' or ']'");
		}
	}
	v->child_used = at;
	v->offsets[row + 1] = at;
	c->depth--;
	sl_vec_set_valid(v, row);
	return 0;
}

static int
decode_value(jcur *c, const sl_type *t, sl_vector *v, uint32_t row, const char *name)
{
	int k = peek(c);
	size_t pos = c->p;
	const char *s, *why;
	size_t len;
	bool flag;
	switch (k) {
	case J_NULL:
		if (literal(c, "null") < 0)
			return -1;
		sl_vec_set_null(v, row);
		return 0;
	case J_TRUE:
	case J_FALSE:
		if (literal(c, k == J_TRUE ? "true" : "false") < 0)
			return -1;
		if (t->kind == SL_TYPE_BOOLEAN) {
			SL_VEC_DATA(v, uint8_t)[row] = k == J_TRUE;
			sl_vec_set_valid(v, row);
			return 0;
		}
		s = k == J_TRUE ? "true" : "false";
		len = strlen(s);
		if (sl_type_is_string(t) && t->kind != SL_TYPE_BYTES) {
			SL_VEC_DATA(v, sl_str)[row] = (sl_str){(uint32_t)len, s};
			sl_vec_set_valid(v, row);
			return 0;
		}
		return bad_value(c, pos, name, t, s, len, v, row, NULL);
	case J_NUM:
		if (number(c, &s, &len, &flag) < 0)
			return -1;
		if (!flag && sl_type_is_exact_integer(t)) {
			/* Jackson's asInt/asLong: truncate toward zero */
			double dv;
			if (sl_parse_double(s, len, &dv) && dv > -9.2e18 && dv < 9.2e18) {
				char buf[32];
				int m = snprintf(buf, sizeof buf, "%lld", (long long)dv);
				if (sl_fmt_scalar_from_text(t, buf, (size_t)m, v, row, &c->out->heap, &why))
					return 0;
			}
			return bad_value(c, pos, name, t, s, len, v, row, "out of range");
		}
		if (!sl_fmt_is_scalar(t) || t->kind == SL_TYPE_BOOLEAN || t->kind == SL_TYPE_BYTES)
			return bad_value(c, pos, name, t, s, len, v, row, NULL);
		if (!sl_fmt_scalar_from_text(t, s, len, v, row, &c->out->heap, &why))
			return bad_value(c, pos, name, t, s, len, v, row, why);
		return 0;
	case J_STR: {
		if (string_tok(c, &s, &len, &flag) < 0)
			return -1;
		if (!sl_fmt_is_scalar(t))
			return bad_value(c, pos, name, t, s - 1, len + 2, v, row, NULL);
		if (flag) {
			/* unescape into the chunk heap (strings) or scratch (others) */
			char *dst;
			long m;
			if (sl_type_is_string(t) && t->kind != SL_TYPE_BYTES) {
				dst = sl_strheap_alloc(&c->out->heap, len);
				if ((m = unescape(c, s, len, dst, pos + 1)) < 0)
					return -1;
				sl_strheap_trim(&c->out->heap, dst, len, (size_t)m);
				SL_VEC_DATA(v, sl_str)[row] = (sl_str){(uint32_t)m, dst};
				sl_vec_set_valid(v, row);
				return 0;
			}
			sl_strbuf_reset(&c->d->scratch);
			sl_strbuf_reserve(&c->d->scratch, len + 1);
			if ((m = unescape(c, s, len, c->d->scratch.data, pos + 1)) < 0)
				return -1;
			s = c->d->scratch.data;
			len = (size_t)m;
		}
		if (!sl_fmt_scalar_from_text(t, s, len, v, row, &c->out->heap, &why))
			return bad_value(c, pos, name, t, flag ? s : c->b + pos, flag ? len : c->p - pos, v, row, why);
		return 0;
	}
	case J_OBJ:
	case J_ARR:
		if (k == J_OBJ && t->kind == SL_TYPE_ROW)
			return decode_row(c, t, v, row);
		if ((k == J_OBJ && t->kind == SL_TYPE_MAP) || (k == J_ARR && t->kind == SL_TYPE_ARRAY))
			return decode_array(c, t, v, row, name);
		if (skip_value(c) < 0)
			return -1;
		if (sl_type_is_string(t) && t->kind != SL_TYPE_BYTES) {
			/* Flink: a STRING column takes the JSON text of a container */
			SL_VEC_DATA(v, sl_str)[row] = sl_strheap_copy(&c->out->heap, c->b + pos, c->p - pos);
			sl_vec_set_valid(v, row);
			return 0;
		}
		return bad_value(c, pos, name, t, k == J_OBJ ? "an object" : "an array",
		                 k == J_OBJ ? 9 : 8, v, row, NULL);
	default:
		return fail(c, "expected a JSON value");
	}
}

/* Field `sub` targets of record column col: an object (or null). */
static int
decode_subs(jcur *c, int col, uint32_t row)
{
	sl_decoder *d = c->d;
	const sl_type *t = d->spec.cols[col].type;
	uint64_t seen[JSON_MAX_FIELDS / 64] = {0};
	int k = peek(c), hint = 0;
	if (k == J_NULL) {
		if (literal(c, "null") < 0)
			return -1;
		for (int i = d->first[col]; i < d->first[col + 1]; i++)
			if (d->tgt[i].sub >= 0)
				sl_vec_set_null(c->out->cols[d->tgt[i].out], row);
		return 0;
	}
	if (k != J_OBJ) {
		char tb[96];
		if (skip_value(c) < 0)
			return -1;
		return sl_fmt_fail(d, c->p, "field \"%s\": expected an object for %s", d->spec.cols[col].name,
		                   sl_fmt_type_name(t, tb, sizeof tb));
	}
	if (++c->depth > JSON_MAX_DEPTH)
		return fail(c, "nesting deeper than 64 levels");
	c->p++;
	ws(c);
	if (c->p < c->n && c->b[c->p] == '}') {
		c->p++;
	} else {
		for (;;) {
			const char *kn;
			size_t kl;
			int f, done = 0;
			if (member_name(c, &kn, &kl) < 0)
				return -1;
			f = field_index(t, kn, kl, hint);
			if (f >= 0) {
				size_t save = c->p;
				for (int i = d->first[col]; i < d->first[col + 1]; i++) {
					if (d->tgt[i].sub != f)
						continue;
					c->p = save;
					if (decode_value(c, t->fields[f].type, c->out->cols[d->tgt[i].out], row,
					                 t->fields[f].name) < 0)
						return -1;
					done = 1;
				}
				seen[f >> 6] |= 1ULL << (f & 63);
				hint = f + 1;
			}
			if (!done && skip_value(c) < 0)
				return -1;
			ws(c);
			if (c->p < c->n && c->b[c->p] == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->n && c->b[c->p] == '}') {
				c->p++;
				break;
			}
			return fail(c, "expected ',' or '}'");
		}
	}
	c->depth--;
	for (int i = d->first[col]; i < d->first[col + 1]; i++) {
		int f = d->tgt[i].sub;
		if (f >= 0 && !(seen[f >> 6] >> (f & 63) & 1)) {
			if (d->fail_on_missing)
				return sl_fmt_fail(d, c->p, "missing field \"%s.%s\"", d->spec.cols[col].name,
				                   t->fields[f].name);
			sl_vec_set_null(c->out->cols[d->tgt[i].out], row);
		}
	}
	return 0;
}

/* The record column named k (members usually come in schema order: try
 * the one after the previous member first). */
static int
find_col(const sl_decoder *d, const char *k, size_t kl, int hint)
{
	const sl_format_spec *sp = &d->spec;
	if (hint >= 0 && hint < sp->ncols && d->namelen[hint] == kl && memcmp(sp->cols[hint].name, k, kl) == 0)
		return hint;
	for (int i = 0; i < sp->ncols; i++)
		if (d->namelen[i] == kl && memcmp(sp->cols[i].name, k, kl) == 0)
			return i;
	return -1;
}

/* The record object at c->p into row r of c->out. */
static int
decode_object(jcur *c, uint32_t r)
{
	sl_decoder *d = c->d;
	const sl_format_spec *sp = &d->spec;
	int hint = 0;
	if (peek(c) != J_OBJ)
		return fail(c, "expected a JSON object");
	memset(d->seen, 0, (size_t)sp->ncols);
	c->p++;
	ws(c);
	if (c->p < c->n && c->b[c->p] == '}') {
		c->p++;
	} else {
		for (;;) {
			const char *k;
			size_t kl;
			int col;
			if (member_name(c, &k, &kl) < 0)
				return -1;
			col = find_col(d, k, kl, hint);
			if (col < 0 || d->first[col] == d->first[col + 1]) {
				if (skip_value(c) < 0)
					return -1;
			} else {
				size_t save = c->p, end = 0;
				int whole = -1;
				bool subs = false;
				hint = col + 1;
				d->seen[col] = true;
				for (int i = d->first[col]; i < d->first[col + 1]; i++) {
					const sl_format_target *tg = &d->tgt[i];
					if (tg->sub >= 0) {
						subs = true;
						continue;
					}
					if (whole < 0) {
						if (decode_value(c, sp->cols[col].type, c->out->cols[tg->out], r, sp->cols[col].name) < 0)
							return -1;
						whole = tg->out;
						end = c->p;
					} else {
						sl_vector_copy_row(c->out->cols[tg->out], r, c->out->cols[whole], r, NULL);
					}
				}
				if (subs) {
					c->p = save;
					if (decode_subs(c, col, r) < 0)
						return -1;
				} else {
					c->p = end;
				}
			}
			ws(c);
			if (c->p < c->n && c->b[c->p] == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->n && c->b[c->p] == '}') {
				c->p++;
				break;
			}
			return fail(c, "expected ',' or '}'");
		}
	}
	for (int col = 0; col < sp->ncols; col++) {
		if (d->seen[col] || d->first[col] == d->first[col + 1])
			continue;
		if (d->fail_on_missing)
			return sl_fmt_fail(d, c->p, "missing field \"%s\"", sp->cols[col].name);
		for (int i = d->first[col]; i < d->first[col + 1]; i++)
			sl_vec_set_null(c->out->cols[d->tgt[i].out], r);
	}
	return 0;
}

static bool
check_fields(const sl_type *t, sl_error **errp)
{
	if (t->kind == SL_TYPE_ROW) {
		if (t->nfields > JSON_MAX_FIELDS) {
			*errp = sl_error_new(SL_ERR_LIMIT, SL_SPAN_NONE, "format 'json' reads rows of at most %d fields",
			                     JSON_MAX_FIELDS);
			return false;
		}
		for (int f = 0; f < t->nfields; f++)
			if (!check_fields(t->fields[f].type, errp))
				return false;
	} else if (t->kind == SL_TYPE_ARRAY || t->kind == SL_TYPE_MAP) {
		if (t->kind == SL_TYPE_MAP && !sl_fmt_is_scalar(t->key)) {
			*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, SL_SPAN_NONE,
			                     "format 'json' reads MAP keys of scalar types only");
			return false;
		}
		return check_fields(t->elem, errp);
	}
	return true;
}

bool
sl_json_decoder_init(sl_decoder *d, sl_error **errp)
{
	const sl_format_spec *sp = &d->spec;
	const char *fmt = sp->kind == SL_FORMAT_DEBEZIUM_JSON ? "debezium-json" : "json";
	char key[64];
	for (int c = 0; c < sp->ncols; c++)
		if (!check_fields(sp->cols[c].type, errp))
			return false;
	snprintf(key, sizeof key, "%s.ignore-parse-errors", fmt);
	d->ignore_parse_errors = sl_fmt_option_bool(sp, key, false);
	d->fail_on_missing = sl_fmt_option_bool(sp, "json.fail-on-missing-field", false) &&
	                     sp->kind == SL_FORMAT_JSON;
	return true;
}

int
sl_json_decode_row_at(sl_decoder *d, const char *b, size_t n, size_t *pos, sl_chunk *out,
                      size_t base)
{
	jcur c = {d, b, n, *pos, out, 0};
	uint32_t r = sl_chunk_append_row(out);
	(void)base;
	if (decode_object(&c, r) < 0)
		return -1;
	*pos = c.p;
	return 1;
}

int
sl_json_decode(sl_decoder *d, const char *b, size_t n, sl_chunk *out)
{
	uint32_t r0 = out->count;
	jcur c = {d, b, n, 0, out, 0};
	uint32_t r = sl_chunk_append_row(out);
	if (decode_object(&c, r) < 0)
		return sl_fmt_rollback(d, out, r0);
	ws(&c);
	if (c.p != n) {
		fail(&c, "expected the end of the record after the JSON object");
		return sl_fmt_rollback(d, out, r0);
	}
	return 1;
}

/* ---- writing ----------------------------------------------------------- */
bool
sl_json_encoder_init(sl_encoder *e, sl_error **errp)
{
	const sl_format_spec *sp = &e->spec;
	const char *fmt = sp->kind == SL_FORMAT_DEBEZIUM_JSON ? "debezium-json" : "json";
	char key[96];
	const char *v;
	(void)errp;
	snprintf(key, sizeof key, "%s.timestamp-format.standard", fmt);
	e->ts_iso = (v = sl_fmt_option(sp, key)) && sl_streq_ci(v, "ISO-8601");
	snprintf(key, sizeof key, "%s.map-null-key.mode", fmt);
	v = sl_fmt_option(sp, key);
	e->map_null_mode = !v || sl_streq_ci(v, "FAIL") ? 0 : sl_streq_ci(v, "DROP") ? 1 : 2;
	snprintf(key, sizeof key, "%s.map-null-key.literal", fmt);
	e->map_null_literal = (v = sl_fmt_option(sp, key)) ? v : "null";
	return true;
}

void
sl_json_quote(const char *s, size_t n, sl_strbuf *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;
	sl_strbuf_reserve(out, n + 2);
	sl_strbuf_appendc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		sl_strbuf_appendn(out, s + run, i - run);
		run = i + 1;
		switch (ch) {
		case '"': sl_strbuf_append(out, "\\\""); break;
		case '\\': sl_strbuf_append(out, "\\\\"); break;
		case '\n': sl_strbuf_append(out, "\\n"); break;
		case '\r': sl_strbuf_append(out, "\\r"); break;
		case '\t': sl_strbuf_append(out, "\\t"); break;
		case '\b': sl_strbuf_append(out, "\\b"); break;
		case '\f': sl_strbuf_append(out, "\\f"); break;
		default: {
			char u[7] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15], 0};
			sl_strbuf_append(out, u);
		}
		}
	}
	sl_strbuf_appendn(out, s + run, n - run);
	sl_strbuf_appendc(out, '"');
}

static bool encode_value(sl_encoder *e, const sl_vector *v, uint32_t row, sl_strbuf *out,
                         sl_error **errp);

static void
quoted_text(sl_encoder *e, const sl_vector *v, uint32_t row, sl_strbuf *out)
{
	size_t at = out->len;
	sl_fmt_scalar_to_text(v, row, e->ts_iso, true, out);
	/* the text of dates, times, bytes (base64) needs no escaping */
	sl_strbuf_reserve(out, 2);
	memmove(out->data + at + 1, out->data + at, out->len - at);
	out->data[at] = '"';
	out->len++;
	sl_strbuf_appendc(out, '"');
}

static bool
encode_value(sl_encoder *e, const sl_vector *v, uint32_t row, sl_strbuf *out, sl_error **errp)
{
	const sl_type *t = v->type;
	if (!sl_vec_valid(v, row)) {
		sl_strbuf_append(out, "null");
		return true;
	}
	switch (t->kind) {
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR: {
		sl_str s = SL_VEC_DATA(v, sl_str)[row];
		sl_json_quote(s.ptr, s.len, out);
		return true;
	}
	case SL_TYPE_FLOAT:
	case SL_TYPE_DOUBLE: {
		double d = t->kind == SL_TYPE_FLOAT ? SL_VEC_DATA(v, float)[row] : SL_VEC_DATA(v, double)[row];
		if (isnan(d) || isinf(d))
			quoted_text(e, v, row, out); /* "NaN", "Infinity": not JSON numbers */
		else
			sl_fmt_scalar_to_text(v, row, false, true, out);
		return true;
	}
	case SL_TYPE_DATE:
	case SL_TYPE_TIME:
	case SL_TYPE_TIMESTAMP:
	case SL_TYPE_TIMESTAMP_LTZ:
	case SL_TYPE_BYTES:
		quoted_text(e, v, row, out);
		return true;
	case SL_TYPE_ROW:
		sl_strbuf_appendc(out, '{');
		for (int f = 0; f < t->nfields; f++) {
			if (f)
				sl_strbuf_appendc(out, ',');
			sl_json_quote(t->fields[f].name, strlen(t->fields[f].name), out);
			sl_strbuf_appendc(out, ':');
			if (!encode_value(e, v->children[f], row, out, errp))
				return false;
		}
		sl_strbuf_appendc(out, '}');
		return true;
	case SL_TYPE_ARRAY:
		sl_strbuf_appendc(out, '[');
		for (uint32_t j = v->offsets[row]; j < v->offsets[row + 1]; j++) {
			if (j > v->offsets[row])
				sl_strbuf_appendc(out, ',');
			if (!encode_value(e, v->children[0], j, out, errp))
				return false;
		}
		sl_strbuf_appendc(out, ']');
		return true;
	case SL_TYPE_MAP: {
		bool first = true;
		sl_strbuf_appendc(out, '{');
		for (uint32_t j = v->offsets[row]; j < v->offsets[row + 1]; j++) {
			const sl_vector *kv = v->children[0];
			if (!sl_vec_valid(kv, j)) {
				if (e->map_null_mode == 0) {
					*errp = sl_error_new(SL_ERR_BAD_RECORD, SL_SPAN_NONE,
					                     "a MAP with a NULL key cannot be written as JSON "
					                     "('json.map-null-key.mode' = 'FAIL')");
					return false;
				}
				if (e->map_null_mode == 1)
					continue;
			}
			if (!first)
				sl_strbuf_appendc(out, ',');
			first = false;
			if (!sl_vec_valid(kv, j)) {
				sl_json_quote(e->map_null_literal, strlen(e->map_null_literal), out);
			} else if (kv->type->kind == SL_TYPE_VARCHAR || kv->type->kind == SL_TYPE_CHAR) {
				sl_str s = SL_VEC_DATA(kv, sl_str)[j];
				sl_json_quote(s.ptr, s.len, out);
			} else {
				quoted_text(e, kv, j, out);
			}
			sl_strbuf_appendc(out, ':');
			if (!encode_value(e, v->children[1], j, out, errp))
				return false;
		}
		sl_strbuf_appendc(out, '}');
		return true;
	}
	default:
		sl_fmt_scalar_to_text(v, row, e->ts_iso, true, out);
		return true;
	}
}

bool
sl_json_encode_object(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out,
                      sl_error **errp)
{
	const sl_format_spec *sp = &e->spec;
	sl_strbuf_appendc(out, '{');
	for (int k = 0; k < sp->ncols; k++) {
		if (k)
			sl_strbuf_appendc(out, ',');
		sl_json_quote(sp->cols[k].name, strlen(sp->cols[k].name), out);
		sl_strbuf_appendc(out, ':');
		if (!encode_value(e, c->cols[e->src[k]], row, out, errp))
			return false;
	}
	sl_strbuf_appendc(out, '}');
	return true;
}

bool
sl_json_encode(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out, sl_error **errp)
{
	return sl_json_encode_object(e, c, row, out, errp);
}
