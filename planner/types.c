/*
 * types.c
 *	  SQL type descriptors: construction, Flink's spelling, equality, and
 *	  Flink's rules for implicit casts, common supertypes and DECIMAL
 *	  arithmetic result types.
 *
 *	  Simple kinds have one static, nullable descriptor each; everything
 *	  else is allocated in the caller's arena and never modified after
 *	  construction, so descriptors are shared freely across threads once
 *	  the plan is built. The rules follow Flink's LogicalTypeCasts and
 *	  LogicalTypeMerging as documented; where Flink is silent we follow
 *	  Calcite. Nullability never blocks an implicit cast here: NOT NULL
 *	  enforcement at sinks is the planner's business.
 *
 * INTERFACE ROUTINES
 *	  sl_type_simple                 static descriptor of a simple kind
 *	  sl_type_new_*                  parameterized descriptors in an arena
 *	  sl_type_with_nullable/_time_attr  modified copies
 *	  sl_type_to_string              Flink's summary spelling
 *	  sl_type_equal                  structural equality (ignores time_attr)
 *	  sl_type_can_implicit_cast      Flink's implicit conversions
 *	  sl_type_common_super           least restrictive common type
 *	  sl_type_decimal_*_result       DECIMAL + - * / %, ROUND, FLOOR/CEIL result types
 *	  sl_type_kind_name              a kind's name ("BIGINT", "INTERVAL DAY TO SECOND")
 *	  sl_type_read, sl_type_reader_* type names as text ("DECIMAL(10, 2) NOT NULL"):
 *	                                 the grammar of C function signatures
 *	  sl_type_numeric_rank           TINYINT < ... < DOUBLE widening order
 *	  sl_type_sum_result, sl_type_avg_result  aggregate result types
 */
#include "planner/types.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SL_DECIMAL_MAX_PRECISION 38
#define SL_DECIMAL_MIN_ADJUSTED_SCALE 6

/* One static, nullable descriptor per simple kind; parameterized kinds get
 * Flink's defaults (DECIMAL(10, 0), CHAR(1), TIME(0), TIMESTAMP(3)). */
#define SIMPLE(k, p, s) {.kind = (k), .nullable = true, .precision = (p), .scale = (s)}
static const sl_type simple_types[SL_TYPE__COUNT] = {
	[SL_TYPE_NULL] = SIMPLE(SL_TYPE_NULL, 0, 0),
	[SL_TYPE_BOOLEAN] = SIMPLE(SL_TYPE_BOOLEAN, 0, 0),
	[SL_TYPE_TINYINT] = SIMPLE(SL_TYPE_TINYINT, 0, 0),
	[SL_TYPE_SMALLINT] = SIMPLE(SL_TYPE_SMALLINT, 0, 0),
	[SL_TYPE_INT] = SIMPLE(SL_TYPE_INT, 0, 0),
	[SL_TYPE_BIGINT] = SIMPLE(SL_TYPE_BIGINT, 0, 0),
	[SL_TYPE_FLOAT] = SIMPLE(SL_TYPE_FLOAT, 0, 0),
	[SL_TYPE_DOUBLE] = SIMPLE(SL_TYPE_DOUBLE, 0, 0),
	[SL_TYPE_DECIMAL] = SIMPLE(SL_TYPE_DECIMAL, 10, 0),
	[SL_TYPE_CHAR] = SIMPLE(SL_TYPE_CHAR, 1, 0),
	[SL_TYPE_VARCHAR] = SIMPLE(SL_TYPE_VARCHAR, SL_VARCHAR_MAX, 0),
	[SL_TYPE_BYTES] = SIMPLE(SL_TYPE_BYTES, SL_VARCHAR_MAX, 0),
	[SL_TYPE_DATE] = SIMPLE(SL_TYPE_DATE, 0, 0),
	[SL_TYPE_TIME] = SIMPLE(SL_TYPE_TIME, 0, 0),
	[SL_TYPE_TIMESTAMP] = SIMPLE(SL_TYPE_TIMESTAMP, 3, 0),
	[SL_TYPE_TIMESTAMP_LTZ] = SIMPLE(SL_TYPE_TIMESTAMP_LTZ, 3, 0),
	[SL_TYPE_INTERVAL_DT] = SIMPLE(SL_TYPE_INTERVAL_DT, 3, 0),
	[SL_TYPE_INTERVAL_YM] = SIMPLE(SL_TYPE_INTERVAL_YM, 0, 0),
};
#undef SIMPLE

const sl_type *
sl_type_simple(sl_type_kind kind)
{
	if (kind == SL_TYPE_ROW || kind == SL_TYPE_ARRAY || kind == SL_TYPE_MAP ||
	    (int)kind < 0 || kind >= SL_TYPE__COUNT)
		return NULL;
	return &simple_types[kind];
}

static sl_type *
type_alloc(sl_arena *a, sl_type_kind kind, int precision, int scale)
{
	sl_type *t = SL_ANEW(a, sl_type);
	t->kind = kind;
	t->nullable = true;
	t->precision = precision;
	t->scale = scale;
	return t;
}

const sl_type *
sl_type_new_decimal(sl_arena *a, int precision, int scale)
{
	SL_ASSERT(precision >= 1 && precision <= SL_DECIMAL_MAX_PRECISION);
	SL_ASSERT(scale >= 0 && scale <= precision);
	return type_alloc(a, SL_TYPE_DECIMAL, precision, scale);
}

const sl_type *
sl_type_new_varchar(sl_arena *a, int length)
{
	SL_ASSERT(length >= 1);
	if (length == SL_VARCHAR_MAX)
		return &simple_types[SL_TYPE_VARCHAR];
	return type_alloc(a, SL_TYPE_VARCHAR, length, 0);
}

const sl_type *
sl_type_new_char(sl_arena *a, int length)
{
	SL_ASSERT(length >= 1);
	return type_alloc(a, SL_TYPE_CHAR, length, 0);
}

const sl_type *
sl_type_new_bytes(sl_arena *a, int length)
{
	SL_ASSERT(length >= 1);
	if (length == SL_VARCHAR_MAX)
		return &simple_types[SL_TYPE_BYTES];
	return type_alloc(a, SL_TYPE_BYTES, length, 0);
}

const sl_type *
sl_type_new_time(sl_arena *a, int precision)
{
	SL_ASSERT(precision >= 0 && precision <= 9);
	return type_alloc(a, SL_TYPE_TIME, precision, 0);
}

const sl_type *
sl_type_new_timestamp(sl_arena *a, sl_type_kind kind, int precision)
{
	SL_ASSERT(kind == SL_TYPE_TIMESTAMP || kind == SL_TYPE_TIMESTAMP_LTZ);
	SL_ASSERT(precision >= 0 && precision <= 9);
	if (precision == 3)
		return &simple_types[kind];
	return type_alloc(a, kind, precision, 0);
}

const sl_type *
sl_type_new_row(sl_arena *a, int nfields, const sl_type_field *fields)
{
	sl_type *t = type_alloc(a, SL_TYPE_ROW, 0, 0);
	sl_type_field *f = SL_ANEWN(a, sl_type_field, nfields > 0 ? nfields : 1);
	for (int i = 0; i < nfields; i++) {
		f[i].name = sl_arena_strdup(a, fields[i].name);
		f[i].type = fields[i].type;
	}
	t->nfields = nfields;
	t->fields = f;
	return t;
}

const sl_type *
sl_type_new_array(sl_arena *a, const sl_type *elem)
{
	sl_type *t = type_alloc(a, SL_TYPE_ARRAY, 0, 0);
	t->elem = elem;
	return t;
}

const sl_type *
sl_type_new_map(sl_arena *a, const sl_type *key, const sl_type *value)
{
	sl_type *t = type_alloc(a, SL_TYPE_MAP, 0, 0);
	t->key = key;
	t->elem = value;
	return t;
}

const sl_type *
sl_type_with_nullable(sl_arena *a, const sl_type *t, bool nullable)
{
	if (t->nullable == nullable)
		return t;
	if (nullable && t->time_attr == SL_TIME_ATTR_NONE) {
		/* Prefer the shared static descriptor when one matches. */
		const sl_type *s = sl_type_simple(t->kind);
		if (s && s->precision == t->precision && s->scale == t->scale)
			return s;
	}
	sl_type *c = SL_ANEW(a, sl_type);
	*c = *t;
	c->nullable = nullable;
	return c;
}

const sl_type *
sl_type_with_time_attr(sl_arena *a, const sl_type *t, sl_time_attr attr)
{
	SL_ASSERT(attr == SL_TIME_ATTR_NONE || t->kind == SL_TYPE_TIMESTAMP ||
	          t->kind == SL_TYPE_TIMESTAMP_LTZ);
	if (t->time_attr == attr)
		return t;
	sl_type *c = SL_ANEW(a, sl_type);
	*c = *t;
	c->time_attr = attr;
	return c;
}

/* ---------------------------------------------------------------------
 * Spelling
 * ------------------------------------------------------------------- */

static void
append_ident(sl_strbuf *out, const char *name)
{
	sl_strbuf_appendc(out, '`');
	for (const char *p = name; *p; p++) {
		if (*p == '`')
			sl_strbuf_appendc(out, '`'); /* doubled, as Flink quotes */
		sl_strbuf_appendc(out, *p);
	}
	sl_strbuf_appendc(out, '`');
}

const char *
sl_type_kind_name(sl_type_kind kind)
{
	static const char *const names[SL_TYPE__COUNT] = {
		[SL_TYPE_NULL] = "NULL", [SL_TYPE_BOOLEAN] = "BOOLEAN", [SL_TYPE_TINYINT] = "TINYINT",
		[SL_TYPE_SMALLINT] = "SMALLINT", [SL_TYPE_INT] = "INT", [SL_TYPE_BIGINT] = "BIGINT",
		[SL_TYPE_FLOAT] = "FLOAT", [SL_TYPE_DOUBLE] = "DOUBLE", [SL_TYPE_DECIMAL] = "DECIMAL",
		[SL_TYPE_CHAR] = "CHAR", [SL_TYPE_VARCHAR] = "VARCHAR", [SL_TYPE_BYTES] = "BYTES",
		[SL_TYPE_DATE] = "DATE", [SL_TYPE_TIME] = "TIME", [SL_TYPE_TIMESTAMP] = "TIMESTAMP",
		[SL_TYPE_TIMESTAMP_LTZ] = "TIMESTAMP_LTZ",
		[SL_TYPE_INTERVAL_DT] = "INTERVAL DAY TO SECOND",
		[SL_TYPE_INTERVAL_YM] = "INTERVAL YEAR TO MONTH",
		[SL_TYPE_ROW] = "ROW", [SL_TYPE_ARRAY] = "ARRAY", [SL_TYPE_MAP] = "MAP",
	};
	return (unsigned)kind < SL_TYPE__COUNT ? names[kind] : "?";
}

void
sl_type_to_string(const sl_type *t, sl_strbuf *out)
{
	switch (t->kind) {
	case SL_TYPE_NULL: sl_strbuf_append(out, "NULL"); return; /* always nullable */
	case SL_TYPE_BOOLEAN: sl_strbuf_append(out, "BOOLEAN"); break;
	case SL_TYPE_TINYINT: sl_strbuf_append(out, "TINYINT"); break;
	case SL_TYPE_SMALLINT: sl_strbuf_append(out, "SMALLINT"); break;
	case SL_TYPE_INT: sl_strbuf_append(out, "INT"); break;
	case SL_TYPE_BIGINT: sl_strbuf_append(out, "BIGINT"); break;
	case SL_TYPE_FLOAT: sl_strbuf_append(out, "FLOAT"); break;
	case SL_TYPE_DOUBLE: sl_strbuf_append(out, "DOUBLE"); break;
	case SL_TYPE_DECIMAL:
		sl_strbuf_appendf(out, "DECIMAL(%d, %d)", (int)t->precision, (int)t->scale);
		break;
	case SL_TYPE_CHAR: sl_strbuf_appendf(out, "CHAR(%d)", (int)t->precision); break;
	case SL_TYPE_VARCHAR:
		if (t->precision == SL_VARCHAR_MAX)
			sl_strbuf_append(out, "STRING");
		else
			sl_strbuf_appendf(out, "VARCHAR(%d)", (int)t->precision);
		break;
	case SL_TYPE_BYTES:
		if (t->precision == SL_VARCHAR_MAX)
			sl_strbuf_append(out, "BYTES");
		else
			sl_strbuf_appendf(out, "VARBINARY(%d)", (int)t->precision);
		break;
	case SL_TYPE_DATE: sl_strbuf_append(out, "DATE"); break;
	case SL_TYPE_TIME: sl_strbuf_appendf(out, "TIME(%d)", (int)t->precision); break;
	case SL_TYPE_TIMESTAMP: sl_strbuf_appendf(out, "TIMESTAMP(%d)", (int)t->precision); break;
	case SL_TYPE_TIMESTAMP_LTZ:
		sl_strbuf_appendf(out, "TIMESTAMP_LTZ(%d)", (int)t->precision);
		break;
	case SL_TYPE_INTERVAL_DT:
		sl_strbuf_appendf(out, "INTERVAL SECOND(%d)", (int)t->precision);
		break;
	case SL_TYPE_INTERVAL_YM: sl_strbuf_append(out, "INTERVAL MONTH"); break;
	case SL_TYPE_ROW:
		sl_strbuf_append(out, "ROW<");
		for (int i = 0; i < t->nfields; i++) {
			if (i)
				sl_strbuf_append(out, ", ");
			append_ident(out, t->fields[i].name);
			sl_strbuf_appendc(out, ' ');
			sl_type_to_string(t->fields[i].type, out);
		}
		sl_strbuf_appendc(out, '>');
		break;
	case SL_TYPE_ARRAY:
		sl_strbuf_append(out, "ARRAY<");
		sl_type_to_string(t->elem, out);
		sl_strbuf_appendc(out, '>');
		break;
	case SL_TYPE_MAP:
		sl_strbuf_append(out, "MAP<");
		sl_type_to_string(t->key, out);
		sl_strbuf_append(out, ", ");
		sl_type_to_string(t->elem, out);
		sl_strbuf_appendc(out, '>');
		break;
	case SL_TYPE__COUNT: SL_ASSERT(!"bad type kind");
	}
	if (!t->nullable)
		sl_strbuf_append(out, " NOT NULL");
	if (t->time_attr == SL_TIME_ATTR_ROWTIME)
		sl_strbuf_append(out, " *ROWTIME*");
	else if (t->time_attr == SL_TIME_ATTR_PROCTIME)
		sl_strbuf_append(out, " *PROCTIME*");
}

/* ---------------------------------------------------------------------
 * Predicates
 * ------------------------------------------------------------------- */

bool
sl_type_equal(const sl_type *a, const sl_type *b)
{
	if (a == b)
		return true;
	if (!a || !b || a->kind != b->kind || a->nullable != b->nullable ||
	    a->precision != b->precision || a->scale != b->scale)
		return false;
	switch (a->kind) {
	case SL_TYPE_ROW:
		if (a->nfields != b->nfields)
			return false;
		for (int i = 0; i < a->nfields; i++)
			if (strcmp(a->fields[i].name, b->fields[i].name) != 0 ||
			    !sl_type_equal(a->fields[i].type, b->fields[i].type))
				return false;
		return true;
	case SL_TYPE_ARRAY: return sl_type_equal(a->elem, b->elem);
	case SL_TYPE_MAP: return sl_type_equal(a->key, b->key) && sl_type_equal(a->elem, b->elem);
	default: return true;
	}
}

static bool
is_exact_integer(sl_type_kind k)
{
	return k == SL_TYPE_TINYINT || k == SL_TYPE_SMALLINT || k == SL_TYPE_INT ||
	       k == SL_TYPE_BIGINT;
}

static bool
is_numeric_kind(sl_type_kind k)
{
	return is_exact_integer(k) || k == SL_TYPE_DECIMAL || k == SL_TYPE_FLOAT ||
	       k == SL_TYPE_DOUBLE;
}

static bool
is_string_kind(sl_type_kind k)
{
	return k == SL_TYPE_CHAR || k == SL_TYPE_VARCHAR;
}

static bool
is_timestamp_kind(sl_type_kind k)
{
	return k == SL_TYPE_TIMESTAMP || k == SL_TYPE_TIMESTAMP_LTZ;
}

bool sl_type_is_numeric(const sl_type *t) { return is_numeric_kind(t->kind); }
bool sl_type_is_string(const sl_type *t) { return is_string_kind(t->kind); }
bool sl_type_is_exact_integer(const sl_type *t) { return is_exact_integer(t->kind); }

bool
sl_type_is_temporal(const sl_type *t)
{
	return t->kind == SL_TYPE_DATE || t->kind == SL_TYPE_TIME || is_timestamp_kind(t->kind);
}

int
sl_type_numeric_rank(sl_type_kind k)
{
	switch (k) {
	case SL_TYPE_TINYINT: return 1;
	case SL_TYPE_SMALLINT: return 2;
	case SL_TYPE_INT: return 3;
	case SL_TYPE_BIGINT: return 4;
	case SL_TYPE_DECIMAL: return 5;
	case SL_TYPE_FLOAT: return 6;
	case SL_TYPE_DOUBLE: return 7;
	default: return 0;
	}
}

bool
sl_type_can_implicit_cast(const sl_type *from, const sl_type *to)
{
	sl_type_kind f = from->kind, t = to->kind;

	if (f == SL_TYPE_NULL)
		return true;
	if (is_numeric_kind(f) && is_numeric_kind(t))
		return sl_type_numeric_rank(f) <= sl_type_numeric_rank(t);
	if (is_string_kind(f) && is_string_kind(t))
		return true;
	if (f == SL_TYPE_DATE && is_timestamp_kind(t))
		return true;
	if (is_timestamp_kind(f) && is_timestamp_kind(t))
		return true;
	if (f != t)
		return false;
	switch (f) {
	case SL_TYPE_ROW:
		if (from->nfields != to->nfields)
			return false;
		for (int i = 0; i < from->nfields; i++)
			if (!sl_type_can_implicit_cast(from->fields[i].type, to->fields[i].type))
				return false;
		return true;
	case SL_TYPE_ARRAY: return sl_type_can_implicit_cast(from->elem, to->elem);
	case SL_TYPE_MAP:
		return sl_type_can_implicit_cast(from->key, to->key) &&
		       sl_type_can_implicit_cast(from->elem, to->elem);
	default: return true; /* same kind: BOOLEAN, BYTES, DATE, TIME, INTERVAL */
	}
}

/* ---------------------------------------------------------------------
 * DECIMAL rules
 * ------------------------------------------------------------------- */

int
sl_type_integer_decimal_precision(sl_type_kind kind)
{
	switch (kind) {
	case SL_TYPE_TINYINT: return 3;
	case SL_TYPE_SMALLINT: return 5;
	case SL_TYPE_INT: return 10;
	case SL_TYPE_BIGINT: return 19;
	default: return 0;
	}
}

/* Precision and scale of an exact numeric operand viewed as a DECIMAL. */
static void
as_decimal(const sl_type *t, int *p, int *s)
{
	if (t->kind == SL_TYPE_DECIMAL) {
		*p = t->precision;
		*s = t->scale;
	} else {
		SL_ASSERT(is_exact_integer(t->kind));
		*p = sl_type_integer_decimal_precision(t->kind);
		*s = 0;
	}
}

/* SQL Server's rule as Flink applies it: beyond 38 digits, keep the
 * integral digits and give up scale, but never below min(scale, 6). */
static const sl_type *
decimal_adjusted(sl_arena *a, int precision, int scale, bool nullable)
{
	if (precision > SL_DECIMAL_MAX_PRECISION) {
		int digits = precision - scale;
		int min_scale = SL_MIN(scale, SL_DECIMAL_MIN_ADJUSTED_SCALE);
		scale = SL_MAX(SL_DECIMAL_MAX_PRECISION - digits, min_scale);
		precision = SL_DECIMAL_MAX_PRECISION;
	}
	if (scale > precision)
		scale = precision;
	const sl_type *r = sl_type_new_decimal(a, precision, scale);
	return nullable ? r : sl_type_with_nullable(a, r, false);
}

const sl_type *
sl_type_decimal_add_result(sl_arena *a, const sl_type *x, const sl_type *y)
{
	int p1, s1, p2, s2;
	as_decimal(x, &p1, &s1);
	as_decimal(y, &p2, &s2);
	int scale = SL_MAX(s1, s2);
	int precision = SL_MAX(p1 - s1, p2 - s2) + scale + 1;
	return decimal_adjusted(a, precision, scale, x->nullable || y->nullable);
}

const sl_type *
sl_type_decimal_mul_result(sl_arena *a, const sl_type *x, const sl_type *y)
{
	int p1, s1, p2, s2;
	as_decimal(x, &p1, &s1);
	as_decimal(y, &p2, &s2);
	return decimal_adjusted(a, p1 + p2 + 1, s1 + s2, x->nullable || y->nullable);
}

const sl_type *
sl_type_decimal_div_result(sl_arena *a, const sl_type *x, const sl_type *y)
{
	int p1, s1, p2, s2;
	as_decimal(x, &p1, &s1);
	as_decimal(y, &p2, &s2);
	int scale = SL_MAX(SL_DECIMAL_MIN_ADJUSTED_SCALE, s1 + p2 + 1);
	int precision = p1 - s1 + s2 + scale;
	return decimal_adjusted(a, precision, scale, x->nullable || y->nullable);
}

const sl_type *
sl_type_decimal_mod_result(sl_arena *a, const sl_type *x, const sl_type *y)
{
	int p1, s1, p2, s2;
	as_decimal(x, &p1, &s1);
	as_decimal(y, &p2, &s2);
	int scale = SL_MAX(s1, s2);
	int precision = SL_MIN(p1 - s1, p2 - s2) + scale;
	if (precision < 1)
		precision = 1;
	return decimal_adjusted(a, precision, scale, x->nullable || y->nullable);
}

const sl_type *
sl_type_decimal_round_result(sl_arena *a, const sl_type *x, int64_t digits)
{
	int p = x->precision, s = x->scale;
	const sl_type *r;
	SL_ASSERT(x->kind == SL_TYPE_DECIMAL);
	if (digits >= s)
		return x;
	if (digits < 0)
		r = sl_type_new_decimal(a, SL_MIN(SL_DECIMAL_MAX_PRECISION, 1 + p - s), 0);
	else /* rounding may carry into one more integral digit */
		r = sl_type_new_decimal(a, SL_MIN(SL_DECIMAL_MAX_PRECISION, 1 + p - s + (int)digits),
		                        (int)digits);
	return sl_type_with_nullable(a, r, x->nullable);
}

const sl_type *
sl_type_decimal_floor_result(sl_arena *a, const sl_type *x)
{
	SL_ASSERT(x->kind == SL_TYPE_DECIMAL);
	if (x->scale == 0)
		return x;
	return sl_type_with_nullable(a, sl_type_new_decimal(a,
	           SL_MIN(SL_DECIMAL_MAX_PRECISION, x->precision - x->scale + 1), 0), x->nullable);
}

const sl_type *
sl_type_sum_result(sl_arena *a, const sl_type *arg)
{
	if (arg->kind == SL_TYPE_DECIMAL)
		return sl_type_new_decimal(a, SL_DECIMAL_MAX_PRECISION, arg->scale);
	if (!is_numeric_kind(arg->kind))
		return NULL;
	return sl_type_with_nullable(a, sl_type_simple(arg->kind), true);
}

const sl_type *
sl_type_avg_result(sl_arena *a, const sl_type *arg)
{
	if (arg->kind == SL_TYPE_DECIMAL) {
		/* Flink divides the DECIMAL(38, s) sum by the BIGINT count seen as
		 * DECIMAL(20, 0): DECIMAL(38, max(6, s)). */
		sl_type sum = {.kind = SL_TYPE_DECIMAL, .nullable = true,
		               .precision = SL_DECIMAL_MAX_PRECISION, .scale = arg->scale};
		sl_type cnt = {.kind = SL_TYPE_DECIMAL, .nullable = true,
		               .precision = 20, .scale = 0};
		return sl_type_decimal_div_result(a, &sum, &cnt);
	}
	if (!is_numeric_kind(arg->kind))
		return NULL;
	return sl_type_with_nullable(a, sl_type_simple(arg->kind), true);
}

/* ---------------------------------------------------------------------
 * Reading types from text
 * ------------------------------------------------------------------- */

bool
sl_type_reader_fail(sl_type_reader *r, size_t at, const char *fmt, ...)
{
	if (r->failed)
		return false;
	r->failed = true;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(r->why, r->whylen, fmt, ap);
	va_end(ap);
	if (k >= 0 && (size_t)k < r->whylen)
		snprintf(r->why + k, r->whylen - (size_t)k, " at offset %zu", at);
	return false;
}

sl_type_tok
sl_type_reader_peek_at(const sl_type_reader *r, size_t pos)
{
	const char *s = r->text;
	while (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r')
		pos++;
	sl_type_tok t = {SL_TTOK_END, pos, 0, 0};
	char c = s[pos];
	if (c == '\0')
		return t;
	if (isalpha((unsigned char)c) || c == '_') {
		size_t e = pos;
		while (isalnum((unsigned char)s[e]) || s[e] == '_')
			e++;
		t.kind = SL_TTOK_WORD;
		t.len = e - pos;
	} else if (isdigit((unsigned char)c)) {
		size_t e = pos;
		while (isdigit((unsigned char)s[e]))
			e++;
		t.kind = SL_TTOK_NUM;
		t.len = e - pos;
	} else if (c == '`') {
		const char *q = strchr(s + pos + 1, '`');
		if (!q || q == s + pos + 1) {
			t.kind = SL_TTOK_BAD;
			return t;
		}
		t.kind = SL_TTOK_QUOTED;
		t.start = pos + 1;
		t.len = (size_t)(q - (s + pos + 1));
	} else if (strchr("(),<>", c)) {
		t.kind = SL_TTOK_PUNCT;
		t.punct = c;
		t.len = 1;
	} else {
		t.kind = SL_TTOK_BAD;
	}
	return t;
}

sl_type_tok
sl_type_reader_peek(const sl_type_reader *r)
{
	return sl_type_reader_peek_at(r, r->pos);
}

size_t
sl_type_tok_end(const sl_type_tok *t)
{
	return t->start + t->len + (t->kind == SL_TTOK_QUOTED ? 1 : 0);
}

sl_type_tok
sl_type_reader_next(sl_type_reader *r)
{
	sl_type_tok t = sl_type_reader_peek(r);
	r->pos = sl_type_tok_end(&t);
	return t;
}

bool
sl_type_tok_is(const sl_type_reader *r, const sl_type_tok *t, const char *kw)
{
	return t->kind == SL_TTOK_WORD && strlen(kw) == t->len &&
	       strncasecmp(r->text + t->start, kw, t->len) == 0;
}

static bool
accept_word(sl_type_reader *r, const char *kw)
{
	sl_type_tok t = sl_type_reader_peek(r);
	if (!sl_type_tok_is(r, &t, kw))
		return false;
	r->pos = sl_type_tok_end(&t);
	return true;
}

bool
sl_type_reader_accept(sl_type_reader *r, char c)
{
	sl_type_tok t = sl_type_reader_peek(r);
	if (t.kind != SL_TTOK_PUNCT || t.punct != c)
		return false;
	r->pos = sl_type_tok_end(&t);
	return true;
}

bool
sl_type_reader_expect(sl_type_reader *r, char c)
{
	if (sl_type_reader_accept(r, c))
		return true;
	sl_type_tok t = sl_type_reader_peek(r);
	if (t.kind == SL_TTOK_END)
		return sl_type_reader_fail(r, t.start, "expected \"%c\" but the signature ended", c);
	return sl_type_reader_fail(r, t.start, "expected \"%c\"", c);
}

static bool
expect_word(sl_type_reader *r, const char *kw)
{
	if (accept_word(r, kw))
		return true;
	return sl_type_reader_fail(r, sl_type_reader_peek(r).start, "expected %s", kw);
}

static bool
number(sl_type_reader *r, long min, long max, const char *what, int32_t *out)
{
	sl_type_tok t = sl_type_reader_next(r);
	if (t.kind != SL_TTOK_NUM)
		return sl_type_reader_fail(r, t.start, "expected the %s", what);
	char buf[16];
	if (t.len >= sizeof buf)
		return sl_type_reader_fail(r, t.start, "%s out of range", what);
	memcpy(buf, r->text + t.start, t.len);
	buf[t.len] = '\0';
	long v = strtol(buf, NULL, 10);
	if (v < min || v > max)
		return sl_type_reader_fail(r, t.start, "%s %ld out of range %ld..%ld", what, v, min, max);
	*out = (int32_t)v;
	return true;
}

/* Is the next token "(" followed by a number? A "(" followed by anything
 * else is what comes after the type ("TIME()", "DECIMAL(INT)" in a
 * signature: the parameter list). */
static bool
paren_number_follows(const sl_type_reader *r)
{
	sl_type_tok t = sl_type_reader_peek(r);
	if (t.kind != SL_TTOK_PUNCT || t.punct != '(')
		return false;
	return sl_type_reader_peek_at(r, sl_type_tok_end(&t)).kind == SL_TTOK_NUM;
}

/* Optional "(n)" into *out, left unchanged when absent. */
static bool
opt_length(sl_type_reader *r, long min, long max, const char *what, int32_t *out)
{
	if (!paren_number_follows(r) || !sl_type_reader_accept(r, '('))
		return true;
	return number(r, min, max, what, out) && sl_type_reader_expect(r, ')');
}

static const char *const type_words[] = {
	"BOOLEAN", "TINYINT", "SMALLINT", "INT", "INTEGER", "BIGINT", "FLOAT",
	"REAL", "DOUBLE", "DECIMAL", "DEC", "NUMERIC", "CHAR", "VARCHAR",
	"STRING", "BYTES", "VARBINARY", "BINARY", "DATE", "TIME", "TIMESTAMP",
	"TIMESTAMP_LTZ", "INTERVAL", "ROW",
};

bool
sl_type_tok_starts_type(const sl_type_reader *r, const sl_type_tok *t)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(type_words); i++)
		if (sl_type_tok_is(r, t, type_words[i]))
			return true;
	return false;
}

#define SL_TYPE_READ_MAX_FIELDS 256

static const sl_type *
read_row(sl_type_reader *r)
{
	char close;
	if (sl_type_reader_accept(r, '<'))
		close = '>';
	else if (sl_type_reader_accept(r, '('))
		close = ')';
	else
		return sl_type_reader_fail(r, sl_type_reader_peek(r).start, "expected \"<\" after ROW"), NULL;
	sl_type_field fields[SL_TYPE_READ_MAX_FIELDS];
	int n = 0;
	do {
		sl_type_tok nt = sl_type_reader_next(r);
		if (nt.kind != SL_TTOK_WORD && nt.kind != SL_TTOK_QUOTED)
			return sl_type_reader_fail(r, nt.start, "expected a field name"), NULL;
		if (n == SL_TYPE_READ_MAX_FIELDS)
			return sl_type_reader_fail(r, nt.start, "more than %d fields", SL_TYPE_READ_MAX_FIELDS), NULL;
		fields[n].name = sl_arena_strndup(r->a, r->text + nt.start, nt.len);
		for (int i = 0; i < n; i++)
			if (sl_streq_ci(fields[i].name, fields[n].name))
				return sl_type_reader_fail(r, nt.start, "field \"%s\" declared twice", fields[n].name), NULL;
		if (!sl_type_read(r, &fields[n].type))
			return NULL;
		if (fields[n].type->kind == SL_TYPE_ROW)
			return sl_type_reader_fail(r, nt.start, "nested ROW types are not supported"), NULL;
		n++;
	} while (sl_type_reader_accept(r, ','));
	if (!sl_type_reader_expect(r, close))
		return NULL;
	return sl_type_new_row(r->a, n, fields);
}

static const sl_type *
read_interval(sl_type_reader *r)
{
	static const char *const units[] = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"};
	int first = -1, last = -1;
	for (int k = 0; k < 2; k++) {
		sl_type_tok u = sl_type_reader_next(r);
		int found = -1;
		for (int i = 0; i < (int)SL_ARRAY_LEN(units); i++)
			if (sl_type_tok_is(r, &u, units[i]))
				found = i;
		if (found < 0)
			return sl_type_reader_fail(r, u.start, "expected an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)"), NULL;
		if (k == 0)
			first = last = found;
		else
			last = found;
		/* An optional precision after a unit: DAY(2), SECOND(3). */
		int32_t ignored;
		if (!opt_length(r, 0, 9, "interval precision", &ignored))
			return NULL;
		if (k == 0 && !accept_word(r, "TO"))
			break;
	}
	if (last < first)
		return sl_type_reader_fail(r, r->pos, "interval units out of order"), NULL;
	bool ym = first <= 1;
	if (ym && last > 1)
		return sl_type_reader_fail(r, r->pos, "an interval is either YEAR TO MONTH or DAY TO SECOND"), NULL;
	return sl_type_simple(ym ? SL_TYPE_INTERVAL_YM : SL_TYPE_INTERVAL_DT);
}

bool
sl_type_read(sl_type_reader *r, const sl_type **out)
{
	sl_type_tok w = sl_type_reader_next(r);
	const sl_type *t = NULL;
	int32_t p = 0, sc = 0;
	if (w.kind == SL_TTOK_END)
		return sl_type_reader_fail(r, w.start, "expected a type but the signature ended");
	if (w.kind != SL_TTOK_WORD)
		return sl_type_reader_fail(r, w.start, "expected a type");
#define IS(kw) sl_type_tok_is(r, &w, kw)
	if (IS("BOOLEAN"))
		t = sl_type_simple(SL_TYPE_BOOLEAN);
	else if (IS("TINYINT"))
		t = sl_type_simple(SL_TYPE_TINYINT);
	else if (IS("SMALLINT"))
		t = sl_type_simple(SL_TYPE_SMALLINT);
	else if (IS("INT") || IS("INTEGER"))
		t = sl_type_simple(SL_TYPE_INT);
	else if (IS("BIGINT"))
		t = sl_type_simple(SL_TYPE_BIGINT);
	else if (IS("FLOAT") || IS("REAL"))
		t = sl_type_simple(SL_TYPE_FLOAT);
	else if (IS("DOUBLE")) {
		t = sl_type_simple(SL_TYPE_DOUBLE);
		accept_word(r, "PRECISION");
	} else if (IS("DECIMAL") || IS("DEC") || IS("NUMERIC")) {
		p = 10;
		if (paren_number_follows(r) && sl_type_reader_accept(r, '(')) {
			if (!number(r, 1, SL_DECIMAL_MAX_PRECISION, "decimal precision", &p))
				return false;
			if (sl_type_reader_accept(r, ',') && !number(r, 0, p, "decimal scale", &sc))
				return false;
			if (!sl_type_reader_expect(r, ')'))
				return false;
		}
		t = sl_type_new_decimal(r->a, p, sc);
	} else if (IS("CHAR") || IS("VARCHAR") || IS("BINARY") || IS("VARBINARY")) {
		/* fixed: length 1 by default; variable: the maximum */
		bool var = IS("VARCHAR") || IS("VARBINARY"), bin = IS("BINARY") || IS("VARBINARY");
		p = var ? SL_VARCHAR_MAX : 1;
		if (!opt_length(r, 1, SL_VARCHAR_MAX, "length", &p))
			return false;
		t = bin ? sl_type_new_bytes(r->a, p) : var ? sl_type_new_varchar(r->a, p)
		                                           : sl_type_new_char(r->a, p);
	} else if (IS("STRING")) {
		t = sl_type_simple(SL_TYPE_VARCHAR);
	} else if (IS("BYTES")) {
		t = sl_type_simple(SL_TYPE_BYTES);
	} else if (IS("DATE")) {
		t = sl_type_simple(SL_TYPE_DATE);
	} else if (IS("TIME")) {
		if (!opt_length(r, 0, 9, "time precision", &p))
			return false;
		t = sl_type_new_time(r->a, p);
	} else if (IS("TIMESTAMP") || IS("TIMESTAMP_LTZ")) {
		sl_type_kind k = IS("TIMESTAMP") ? SL_TYPE_TIMESTAMP : SL_TYPE_TIMESTAMP_LTZ;
		p = 6;
		if (!opt_length(r, 0, 9, "timestamp precision", &p))
			return false;
		if (k == SL_TYPE_TIMESTAMP) {
			if (accept_word(r, "WITHOUT")) {
				if (!expect_word(r, "TIME") || !expect_word(r, "ZONE"))
					return false;
			} else if (accept_word(r, "WITH")) {
				if (!expect_word(r, "LOCAL") || !expect_word(r, "TIME") || !expect_word(r, "ZONE"))
					return false;
				k = SL_TYPE_TIMESTAMP_LTZ;
			}
		}
		t = sl_type_new_timestamp(r->a, k, p);
	} else if (IS("INTERVAL")) {
		if (!(t = read_interval(r)))
			return false;
	} else if (IS("ROW")) {
		if (!(t = read_row(r)))
			return false;
	} else if (IS("ARRAY") || IS("MAP") || IS("MULTISET") || IS("RAW")) {
		return sl_type_reader_fail(r, w.start, "type %.*s is not supported in C function signatures",
		                           (int)w.len, r->text + w.start);
	} else {
		return sl_type_reader_fail(r, w.start, "unknown type \"%.*s\"", (int)w.len, r->text + w.start);
	}
#undef IS
	if (accept_word(r, "NOT")) {
		if (!expect_word(r, "NULL"))
			return false;
		t = sl_type_with_nullable(r->a, t, false);
	} else {
		accept_word(r, "NULL"); /* explicit nullable */
	}
	*out = t;
	return true;
}

/* ---------------------------------------------------------------------
 * Common supertype
 * ------------------------------------------------------------------- */

static const sl_type *
common_numeric(sl_arena *a, const sl_type *x, const sl_type *y)
{
	sl_type_kind kx = x->kind, ky = y->kind;

	if (kx == SL_TYPE_DOUBLE || ky == SL_TYPE_DOUBLE)
		return sl_type_simple(SL_TYPE_DOUBLE);
	if (kx == SL_TYPE_FLOAT || ky == SL_TYPE_FLOAT) {
		/* FLOAT with DECIMAL widens to DOUBLE; with an integer it stays FLOAT. */
		if (kx == SL_TYPE_DECIMAL || ky == SL_TYPE_DECIMAL)
			return sl_type_simple(SL_TYPE_DOUBLE);
		return sl_type_simple(SL_TYPE_FLOAT);
	}
	if (kx == SL_TYPE_DECIMAL || ky == SL_TYPE_DECIMAL) {
		int p1, s1, p2, s2;
		as_decimal(x, &p1, &s1);
		as_decimal(y, &p2, &s2);
		int scale = SL_MAX(s1, s2);
		int digits = SL_MAX(p1 - s1, p2 - s2);
		int precision = SL_MIN(digits + scale, SL_DECIMAL_MAX_PRECISION);
		if (scale > precision)
			scale = precision;
		return sl_type_new_decimal(a, precision, scale);
	}
	return sl_type_simple(sl_type_numeric_rank(kx) >= sl_type_numeric_rank(ky) ? kx : ky);
}

static const sl_type *
common_super(sl_arena *a, const sl_type *x, const sl_type *y)
{
	sl_type_kind kx = x->kind, ky = y->kind;

	if (kx == SL_TYPE_NULL)
		return y;
	if (ky == SL_TYPE_NULL)
		return x;
	if (is_numeric_kind(kx) && is_numeric_kind(ky))
		return common_numeric(a, x, y);
	if (is_string_kind(kx) && is_string_kind(ky)) {
		int len = SL_MAX(x->precision, y->precision);
		if (x->precision < 1 || y->precision < 1)
			len = SL_VARCHAR_MAX; /* a length the runtime did not set: unknown */
		else if (kx == SL_TYPE_CHAR && ky == SL_TYPE_CHAR && x->precision == y->precision)
			return sl_type_new_char(a, len);
		return sl_type_new_varchar(a, len);
	}
	if ((is_timestamp_kind(kx) || kx == SL_TYPE_DATE) &&
	    (is_timestamp_kind(ky) || ky == SL_TYPE_DATE)) {
		if (kx == SL_TYPE_DATE && ky == SL_TYPE_DATE)
			return sl_type_simple(SL_TYPE_DATE);
		sl_type_kind k = (kx == SL_TYPE_TIMESTAMP_LTZ || ky == SL_TYPE_TIMESTAMP_LTZ)
		                     ? SL_TYPE_TIMESTAMP_LTZ : SL_TYPE_TIMESTAMP;
		int px = kx == SL_TYPE_DATE ? 0 : x->precision;
		int py = ky == SL_TYPE_DATE ? 0 : y->precision;
		return sl_type_new_timestamp(a, k, SL_MAX(px, py));
	}
	if (kx != ky)
		return NULL;
	switch (kx) {
	case SL_TYPE_BOOLEAN:
	case SL_TYPE_DATE:
	case SL_TYPE_INTERVAL_YM:
		return sl_type_simple(kx);
	case SL_TYPE_BYTES:
		return sl_type_new_bytes(a, SL_MAX(x->precision, y->precision));
	case SL_TYPE_TIME:
		return sl_type_new_time(a, SL_MAX(x->precision, y->precision));
	case SL_TYPE_INTERVAL_DT: {
		sl_type *t = type_alloc(a, SL_TYPE_INTERVAL_DT, SL_MAX(x->precision, y->precision), 0);
		return t;
	}
	case SL_TYPE_ROW: {
		if (x->nfields != y->nfields)
			return NULL;
		sl_type_field *f = SL_ANEWN(a, sl_type_field, x->nfields > 0 ? x->nfields : 1);
		for (int i = 0; i < x->nfields; i++) {
			f[i].name = x->fields[i].name;
			f[i].type = sl_type_common_super(a, x->fields[i].type, y->fields[i].type);
			if (!f[i].type)
				return NULL;
		}
		return sl_type_new_row(a, x->nfields, f);
	}
	case SL_TYPE_ARRAY: {
		const sl_type *e = sl_type_common_super(a, x->elem, y->elem);
		return e ? sl_type_new_array(a, e) : NULL;
	}
	case SL_TYPE_MAP: {
		const sl_type *k = sl_type_common_super(a, x->key, y->key);
		const sl_type *v = sl_type_common_super(a, x->elem, y->elem);
		return k && v ? sl_type_new_map(a, k, v) : NULL;
	}
	default:
		return NULL;
	}
}

const sl_type *
sl_type_common_super(sl_arena *a, const sl_type *x, const sl_type *y)
{
	const sl_type *r = common_super(a, x, y);
	if (!r)
		return NULL;
	/* A NULL literal makes the result nullable; time attributes never
	 * survive a merge (CASE or UNION output is a plain timestamp). */
	bool nullable = x->nullable || y->nullable;
	if (r->time_attr != SL_TIME_ATTR_NONE)
		r = sl_type_with_time_attr(a, r, SL_TIME_ATTR_NONE);
	return sl_type_with_nullable(a, r, nullable);
}
