/*
 * signature.c
 *	  Signature strings of C functions ("BIGINT(s VARCHAR, c VARCHAR)",
 *	  "ROW<word VARCHAR, pos INT>(VARCHAR)") into sl_type descriptors, and
 *	  back into Flink's spelling for messages and DESCRIBE FUNCTION.
 *
 *	  The descriptors are sl_type structs filled in directly in the given
 *	  arena; nothing here calls planner/types.c, so udf/ does not depend on
 *	  it. Grammar (keywords case-insensitive, names may be `quoted`):
 *
 *	    signature := type '(' [ param { ',' param } ] ')'
 *	    param     := [ name ] type
 *	    type      := base [ NOT NULL ]
 *	    base      := BOOLEAN | TINYINT | SMALLINT | INT | INTEGER | BIGINT
 *	               | FLOAT | REAL | DOUBLE [PRECISION]
 *	               | (DECIMAL | DEC | NUMERIC) [ '(' p [ ',' s ] ')' ]
 *	               | CHAR [ '(' n ')' ] | VARCHAR [ '(' n ')' ] | STRING
 *	               | BYTES | (VARBINARY | BINARY) [ '(' n ')' ]
 *	               | DATE | TIME [ '(' p ')' ]
 *	               | TIMESTAMP [ '(' p ')' ] [ WITHOUT TIME ZONE | WITH LOCAL TIME ZONE ]
 *	               | TIMESTAMP_LTZ [ '(' p ')' ]
 *	               | INTERVAL unit [ TO unit ]
 *	               | ROW ( '<' | '(' ) name type { ',' name type } ( '>' | ')' )
 *
 *	  ROW is accepted anywhere by the parser; the loader allows it only as
 *	  a table function's result.
 *
 * INTERFACE ROUTINES
 *	  sl_udf_parse_signature, sl_udf_type_format, sl_udf_abi_type
 *	  sl_udf_sig_parse_, sl_udf_fn_format_, sl_udf_name_ok_ (udf_int.h)
 */
#include "udf/udf_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 64
#define MAX_FIELDS 256

typedef struct parser {
	sl_arena *a;
	const char *text;
	size_t pos;             /* next unread byte */
	char *why;              /* failure reason buffer */
	size_t whylen;
	bool failed;
} parser;

typedef enum tok_kind { T_END, T_WORD, T_QUOTED, T_NUM, T_PUNCT, T_BAD } tok_kind;

typedef struct token {
	tok_kind kind;
	size_t start, len;      /* in text; for T_QUOTED without the backticks */
	char punct;
} token;

static bool
fail(parser *p, size_t at, const char *fmt, ...) SL_PRINTF(3, 4);

static bool
fail(parser *p, size_t at, const char *fmt, ...)
{
	if (p->failed)
		return false;
	p->failed = true;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(p->why, p->whylen, fmt, ap);
	va_end(ap);
	if (k >= 0 && (size_t)k < p->whylen)
		snprintf(p->why + k, p->whylen - (size_t)k, " at offset %zu", at);
	return false;
}

/* The token at p->pos, without consuming it. */
static token
peek_at(const parser *p, size_t pos)
{
	const char *s = p->text;
	while (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r')
		pos++;
	token t = {T_END, pos, 0, 0};
	char c = s[pos];
	if (c == '\0')
		return t;
	if (isalpha((unsigned char)c) || c == '_') {
		size_t e = pos;
		while (isalnum((unsigned char)s[e]) || s[e] == '_')
			e++;
		t.kind = T_WORD;
		t.len = e - pos;
	} else if (isdigit((unsigned char)c)) {
		size_t e = pos;
		while (isdigit((unsigned char)s[e]))
			e++;
		t.kind = T_NUM;
		t.len = e - pos;
	} else if (c == '`') {
		const char *q = strchr(s + pos + 1, '`');
		if (!q || q == s + pos + 1) {
			t.kind = T_BAD;
			return t;
		}
		t.kind = T_QUOTED;
		t.start = pos + 1;
		t.len = (size_t)(q - (s + pos + 1));
	} else if (strchr("(),<>", c)) {
		t.kind = T_PUNCT;
		t.punct = c;
		t.len = 1;
	} else {
		t.kind = T_BAD;
	}
	return t;
}

static token
peek(const parser *p)
{
	return peek_at(p, p->pos);
}

/* Offset just after token t. */
static size_t
tok_end(const token *t)
{
	return t->start + t->len + (t->kind == T_QUOTED ? 1 : 0);
}

static token
next(parser *p)
{
	token t = peek(p);
	p->pos = tok_end(&t);
	return t;
}

static bool
is_word(const parser *p, const token *t, const char *kw)
{
	return t->kind == T_WORD && strlen(kw) == t->len &&
	       strncasecmp(p->text + t->start, kw, t->len) == 0;
}

static bool
accept_word(parser *p, const char *kw)
{
	token t = peek(p);
	if (!is_word(p, &t, kw))
		return false;
	p->pos = tok_end(&t);
	return true;
}

static bool
accept_punct(parser *p, char c)
{
	token t = peek(p);
	if (t.kind != T_PUNCT || t.punct != c)
		return false;
	p->pos = tok_end(&t);
	return true;
}

static bool
expect_punct(parser *p, char c)
{
	if (accept_punct(p, c))
		return true;
	token t = peek(p);
	if (t.kind == T_END)
		return fail(p, t.start, "expected \"%c\" but the signature ended", c);
	return fail(p, t.start, "expected \"%c\"", c);
}

static bool
expect_word(parser *p, const char *kw)
{
	if (accept_word(p, kw))
		return true;
	return fail(p, peek(p).start, "expected %s", kw);
}

static bool
number(parser *p, long min, long max, const char *what, int32_t *out)
{
	token t = next(p);
	if (t.kind != T_NUM)
		return fail(p, t.start, "expected the %s", what);
	char buf[16];
	if (t.len >= sizeof buf)
		return fail(p, t.start, "%s out of range", what);
	memcpy(buf, p->text + t.start, t.len);
	buf[t.len] = '\0';
	long v = strtol(buf, NULL, 10);
	if (v < min || v > max)
		return fail(p, t.start, "%s %ld out of range %ld..%ld", what, v, min, max);
	*out = (int32_t)v;
	return true;
}

/* Is the next token "(" followed by a number? A "(" followed by anything
 * else is the parameter list after a result type ("TIME()", "DECIMAL(INT)"). */
static bool
paren_number_follows(const parser *p)
{
	token t = peek(p);
	if (t.kind != T_PUNCT || t.punct != '(')
		return false;
	return peek_at(p, tok_end(&t)).kind == T_NUM;
}

/* Optional "(n)": sets *out if present. */
static bool
opt_length(parser *p, long min, long max, const char *what, int32_t *out)
{
	if (!paren_number_follows(p) || !accept_punct(p, '('))
		return true;
	return number(p, min, max, what, out) && expect_punct(p, ')');
}

static const char *const type_words[] = {
	"BOOLEAN", "TINYINT", "SMALLINT", "INT", "INTEGER", "BIGINT", "FLOAT",
	"REAL", "DOUBLE", "DECIMAL", "DEC", "NUMERIC", "CHAR", "VARCHAR",
	"STRING", "BYTES", "VARBINARY", "BINARY", "DATE", "TIME", "TIMESTAMP",
	"TIMESTAMP_LTZ", "INTERVAL", "ROW",
};

static bool
is_type_word(const parser *p, const token *t)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(type_words); i++)
		if (is_word(p, t, type_words[i]))
			return true;
	return false;
}

static bool parse_type(parser *p, const sl_type **out);

static char *
tok_str(parser *p, const token *t)
{
	return sl_arena_strndup(p->a, p->text + t->start, t->len);
}

static bool
parse_row(parser *p, sl_type *t)
{
	char close;
	if (accept_punct(p, '<'))
		close = '>';
	else if (accept_punct(p, '('))
		close = ')';
	else
		return fail(p, peek(p).start, "expected \"<\" after ROW");
	sl_type_field fields[MAX_FIELDS];
	int n = 0;
	do {
		token nt = next(p);
		if (nt.kind != T_WORD && nt.kind != T_QUOTED)
			return fail(p, nt.start, "expected a field name");
		if (n == MAX_FIELDS)
			return fail(p, nt.start, "more than %d fields", MAX_FIELDS);
		fields[n].name = tok_str(p, &nt);
		for (int i = 0; i < n; i++)
			if (sl_streq_ci(fields[i].name, fields[n].name))
				return fail(p, nt.start, "field \"%s\" declared twice", fields[n].name);
		if (!parse_type(p, &fields[n].type))
			return false;
		if (fields[n].type->kind == SL_TYPE_ROW)
			return fail(p, nt.start, "nested ROW types are not supported");
		n++;
	} while (accept_punct(p, ','));
	if (!expect_punct(p, close))
		return false;
	sl_type_field *fv = SL_ANEWN(p->a, sl_type_field, n);
	memcpy(fv, fields, sizeof(sl_type_field) * (size_t)n);
	t->nfields = n;
	t->fields = fv;
	return true;
}

static bool
parse_interval(parser *p, sl_type *t)
{
	static const char *const units[] = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"};
	int first = -1, last = -1;
	for (int k = 0; k < 2; k++) {
		token u = next(p);
		int found = -1;
		for (int i = 0; i < (int)SL_ARRAY_LEN(units); i++)
			if (is_word(p, &u, units[i]))
				found = i;
		if (found < 0)
			return fail(p, u.start, "expected an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)");
		if (k == 0)
			first = last = found;
		else
			last = found;
		/* An optional precision after a unit: DAY(2), SECOND(3). */
		int32_t ignored;
		if (!opt_length(p, 0, 9, "interval precision", &ignored))
			return false;
		if (k == 0 && !accept_word(p, "TO"))
			break;
	}
	if (last < first)
		return fail(p, p->pos, "interval units out of order");
	bool ym = first <= 1;
	if (ym && last > 1)
		return fail(p, p->pos, "an interval is either YEAR TO MONTH or DAY TO SECOND");
	t->kind = ym ? SL_TYPE_INTERVAL_YM : SL_TYPE_INTERVAL_DT;
	return true;
}

static bool
parse_type(parser *p, const sl_type **out)
{
	token w = next(p);
	if (w.kind == T_END)
		return fail(p, w.start, "expected a type but the signature ended");
	if (w.kind != T_WORD)
		return fail(p, w.start, "expected a type");
	sl_type *t = SL_ANEW(p->a, sl_type);
	t->nullable = true;
	if (is_word(p, &w, "BOOLEAN"))
		t->kind = SL_TYPE_BOOLEAN;
	else if (is_word(p, &w, "TINYINT"))
		t->kind = SL_TYPE_TINYINT;
	else if (is_word(p, &w, "SMALLINT"))
		t->kind = SL_TYPE_SMALLINT;
	else if (is_word(p, &w, "INT") || is_word(p, &w, "INTEGER"))
		t->kind = SL_TYPE_INT;
	else if (is_word(p, &w, "BIGINT"))
		t->kind = SL_TYPE_BIGINT;
	else if (is_word(p, &w, "FLOAT") || is_word(p, &w, "REAL"))
		t->kind = SL_TYPE_FLOAT;
	else if (is_word(p, &w, "DOUBLE")) {
		t->kind = SL_TYPE_DOUBLE;
		accept_word(p, "PRECISION");
	} else if (is_word(p, &w, "DECIMAL") || is_word(p, &w, "DEC") || is_word(p, &w, "NUMERIC")) {
		t->kind = SL_TYPE_DECIMAL;
		t->precision = 10;
		t->scale = 0;
		if (paren_number_follows(p) && accept_punct(p, '(')) {
			if (!number(p, 1, 38, "decimal precision", &t->precision))
				return false;
			if (accept_punct(p, ',') &&
			    !number(p, 0, t->precision, "decimal scale", &t->scale))
				return false;
			if (!expect_punct(p, ')'))
				return false;
		}
	} else if (is_word(p, &w, "CHAR")) {
		t->kind = SL_TYPE_CHAR;
		t->precision = 1;
		if (!opt_length(p, 1, SL_VARCHAR_MAX, "length", &t->precision))
			return false;
	} else if (is_word(p, &w, "VARCHAR")) {
		t->kind = SL_TYPE_VARCHAR;
		t->precision = SL_VARCHAR_MAX;
		if (!opt_length(p, 1, SL_VARCHAR_MAX, "length", &t->precision))
			return false;
	} else if (is_word(p, &w, "STRING")) {
		t->kind = SL_TYPE_VARCHAR;
		t->precision = SL_VARCHAR_MAX;
	} else if (is_word(p, &w, "BYTES")) {
		t->kind = SL_TYPE_BYTES;
		t->precision = SL_VARCHAR_MAX;
	} else if (is_word(p, &w, "VARBINARY") || is_word(p, &w, "BINARY")) {
		t->kind = SL_TYPE_BYTES;
		t->precision = is_word(p, &w, "BINARY") ? 1 : SL_VARCHAR_MAX;
		if (!opt_length(p, 1, SL_VARCHAR_MAX, "length", &t->precision))
			return false;
	} else if (is_word(p, &w, "DATE")) {
		t->kind = SL_TYPE_DATE;
	} else if (is_word(p, &w, "TIME")) {
		t->kind = SL_TYPE_TIME;
		t->precision = 0;
		if (!opt_length(p, 0, 9, "time precision", &t->precision))
			return false;
	} else if (is_word(p, &w, "TIMESTAMP") || is_word(p, &w, "TIMESTAMP_LTZ")) {
		t->kind = is_word(p, &w, "TIMESTAMP") ? SL_TYPE_TIMESTAMP : SL_TYPE_TIMESTAMP_LTZ;
		t->precision = 6;
		if (!opt_length(p, 0, 9, "timestamp precision", &t->precision))
			return false;
		if (t->kind == SL_TYPE_TIMESTAMP) {
			if (accept_word(p, "WITHOUT")) {
				if (!expect_word(p, "TIME") || !expect_word(p, "ZONE"))
					return false;
			} else if (accept_word(p, "WITH")) {
				if (!expect_word(p, "LOCAL") || !expect_word(p, "TIME") ||
				    !expect_word(p, "ZONE"))
					return false;
				t->kind = SL_TYPE_TIMESTAMP_LTZ;
			}
		}
	} else if (is_word(p, &w, "INTERVAL")) {
		if (!parse_interval(p, t))
			return false;
	} else if (is_word(p, &w, "ROW")) {
		t->kind = SL_TYPE_ROW;
		if (!parse_row(p, t))
			return false;
	} else if (is_word(p, &w, "ARRAY") || is_word(p, &w, "MAP") ||
	           is_word(p, &w, "MULTISET") || is_word(p, &w, "RAW")) {
		return fail(p, w.start, "type %.*s is not supported in C function signatures",
		            (int)w.len, p->text + w.start);
	} else {
		return fail(p, w.start, "unknown type \"%.*s\"", (int)w.len, p->text + w.start);
	}
	if (accept_word(p, "NOT")) {
		if (!expect_word(p, "NULL"))
			return false;
		t->nullable = false;
	} else if (accept_word(p, "NULL")) {
		/* explicit nullable */
	}
	*out = t;
	return true;
}

/* A parameter starts with a name when the first word is not a type, or is
 * one but the next token is a word that begins a type too ("date DATE"). */
static bool
param_has_name(const parser *p)
{
	token t = peek(p);
	if (t.kind == T_QUOTED)
		return true;
	if (t.kind != T_WORD)
		return false;
	token u = peek_at(p, tok_end(&t));
	if (!is_type_word(p, &t))
		return u.kind == T_WORD;    /* else an unknown type, reported as such */
	return u.kind == T_WORD && is_type_word(p, &u);
}

bool
sl_udf_sig_parse_(sl_arena *a, const char *text, sl_udf_sig *sig, char *why,
                  size_t whylen)
{
	parser p = {a, text ? text : "", 0, why, whylen, false};
	memset(sig, 0, sizeof *sig);
	if (!text || !*text)
		return fail(&p, 0, "empty signature");
	if (!parse_type(&p, &sig->result) || !expect_punct(&p, '('))
		return false;
	const sl_type *args[MAX_ARGS];
	const char *names[MAX_ARGS];
	int n = 0;
	if (!accept_punct(&p, ')')) {
		do {
			if (n == MAX_ARGS)
				return fail(&p, peek(&p).start, "more than %d parameters", MAX_ARGS);
			names[n] = NULL;
			if (param_has_name(&p)) {
				token nt = next(&p);
				names[n] = tok_str(&p, &nt);
			}
			if (!parse_type(&p, &args[n]))
				return false;
			if (args[n]->kind == SL_TYPE_ROW)
				return fail(&p, p.pos, "a parameter cannot be a ROW");
			n++;
		} while (accept_punct(&p, ','));
		if (!expect_punct(&p, ')'))
			return false;
	}
	token end = peek(&p);
	if (end.kind != T_END)
		return fail(&p, end.start, "unexpected text after the parameters");
	sig->nargs = n;
	sig->args = SL_ANEWN(a, const sl_type *, n ? n : 1);
	sig->argnames = SL_ANEWN(a, const char *, n ? n : 1);
	memcpy(sig->args, args, sizeof(args[0]) * (size_t)n);
	memcpy(sig->argnames, names, sizeof(names[0]) * (size_t)n);
	return true;
}

bool
sl_udf_parse_signature(sl_arena *a, const char *text, sl_udf_sig *sig, sl_error **errp)
{
	char why[256];
	if (sl_udf_sig_parse_(a, text, sig, why, sizeof why))
		return true;
	return sl_fail(errp, SL_ERR_UDF, SL_SPAN_NONE, "malformed signature \"%s\": %s",
	               text ? text : "", why);
}

void
sl_udf_type_format(const sl_type *t, sl_strbuf *out)
{
	switch (t->kind) {
	case SL_TYPE_NULL: sl_strbuf_append(out, "NULL"); break;
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
		if (t->precision == SL_VARCHAR_MAX || t->precision == 0)
			sl_strbuf_append(out, "STRING");
		else
			sl_strbuf_appendf(out, "VARCHAR(%d)", (int)t->precision);
		break;
	case SL_TYPE_BYTES:
		if (t->precision == SL_VARCHAR_MAX || t->precision == 0)
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
	case SL_TYPE_INTERVAL_DT: sl_strbuf_append(out, "INTERVAL DAY TO SECOND"); break;
	case SL_TYPE_INTERVAL_YM: sl_strbuf_append(out, "INTERVAL YEAR TO MONTH"); break;
	case SL_TYPE_ROW:
		sl_strbuf_append(out, "ROW<");
		for (int i = 0; i < t->nfields; i++) {
			if (i)
				sl_strbuf_append(out, ", ");
			sl_strbuf_appendf(out, "`%s` ", t->fields[i].name);
			sl_udf_type_format(t->fields[i].type, out);
		}
		sl_strbuf_append(out, ">");
		break;
	case SL_TYPE_ARRAY: sl_strbuf_append(out, "ARRAY"); break;
	case SL_TYPE_MAP: sl_strbuf_append(out, "MAP"); break;
	default: sl_strbuf_append(out, "?"); break;
	}
	if (!t->nullable)
		sl_strbuf_append(out, " NOT NULL");
}

sluice_udf_type
sl_udf_abi_type(const sl_type *t)
{
	sluice_udf_type r = {SLUICE_UDF_TYPE_INVALID, 0, 0, 0};
	switch (t->kind) {
	case SL_TYPE_BOOLEAN: r.kind = SLUICE_UDF_BOOLEAN; break;
	case SL_TYPE_TINYINT: r.kind = SLUICE_UDF_TINYINT; break;
	case SL_TYPE_SMALLINT: r.kind = SLUICE_UDF_SMALLINT; break;
	case SL_TYPE_INT: r.kind = SLUICE_UDF_INT; break;
	case SL_TYPE_BIGINT: r.kind = SLUICE_UDF_BIGINT; break;
	case SL_TYPE_FLOAT: r.kind = SLUICE_UDF_FLOAT; break;
	case SL_TYPE_DOUBLE: r.kind = SLUICE_UDF_DOUBLE; break;
	case SL_TYPE_DECIMAL: r.kind = SLUICE_UDF_DECIMAL; break;
	case SL_TYPE_CHAR: r.kind = SLUICE_UDF_CHAR; break;
	case SL_TYPE_VARCHAR: r.kind = SLUICE_UDF_VARCHAR; break;
	case SL_TYPE_BYTES: r.kind = SLUICE_UDF_BYTES; break;
	case SL_TYPE_DATE: r.kind = SLUICE_UDF_DATE; break;
	case SL_TYPE_TIME: r.kind = SLUICE_UDF_TIME; break;
	case SL_TYPE_TIMESTAMP: r.kind = SLUICE_UDF_TIMESTAMP; break;
	case SL_TYPE_TIMESTAMP_LTZ: r.kind = SLUICE_UDF_TIMESTAMP_LTZ; break;
	case SL_TYPE_INTERVAL_DT: r.kind = SLUICE_UDF_INTERVAL_DT; break;
	case SL_TYPE_INTERVAL_YM: r.kind = SLUICE_UDF_INTERVAL_YM; break;
	default: return r;
	}
	r.precision = t->precision;
	r.scale = t->scale;
	return r;
}

void
sl_udf_fn_format_(const sl_udf_fn *fn, sl_strbuf *out)
{
	sl_strbuf_appendf(out, "%s(", fn->name);
	for (int i = 0; i < fn->sig.nargs; i++) {
		if (i)
			sl_strbuf_append(out, ", ");
		if (fn->sig.argnames[i])
			sl_strbuf_appendf(out, "%s ", fn->sig.argnames[i]);
		sl_udf_type_format(fn->sig.args[i], out);
	}
	sl_strbuf_append(out, ") -> ");
	sl_udf_type_format(fn->sig.result, out);
}

bool
sl_udf_name_ok_(const char *name)
{
	if (!name || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
		return false;
	size_t n = 0;
	for (const char *c = name; *c; c++, n++)
		if (!(isalnum((unsigned char)*c) || *c == '_'))
			return false;
	return n <= 128;
}
