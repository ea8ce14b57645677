/*
 * bind.c
 *	  The binder: resolves names against scopes (tables, views, CTEs,
 *	  subqueries, aliases, nested ROW fields), types expressions with
 *	  Flink's rules, validates aggregates and windows, and builds the
 *	  logical plan (sl_rel trees with T_L* tags).
 *
 *	  Identifiers are case-sensitive, as in Flink; function names and
 *	  keywords are not. Every "does not exist" error offers the closest
 *	  name (sl_suggest matches case mistakes first).
 *
 *	  The first error stops binding: it is stored in cx->err and every
 *	  function returns NULL up the stack.
 *
 * INTERFACE ROUTINES
 *	  sl_bind_query   a query expression -> logical plan
 *	  sl_bind_insert  INSERT INTO t query -> LSink over the plan
 *	  sl_bind_expr    an expression over a scope
 *	  sl_bind_type    an AST type -> sl_type
 */
#include "planner/bind_int.h"
#include "planner/options.h"
#include "udf/udf.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 200

const char *sl_planner_func_error(void);

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------- */
bool
sl_bind_error(sl_bind_ctx *cx, sl_errcode code, sl_span span, const char *fmt, ...)
{
	va_list ap;
	if (cx->err)
		return false;
	va_start(ap, fmt);
	cx->err = sl_error_newv(code, span, fmt, ap);
	va_end(ap);
	return false;
}

static void hint(sl_bind_ctx *cx, const char *fmt, ...) SL_PRINTF(2, 3);
static void
hint(sl_bind_ctx *cx, const char *fmt, ...)
{
	va_list ap;
	sl_strbuf sb = SL_STRBUF_INIT;
	if (!cx->err || cx->err->hint)
		return;
	va_start(ap, fmt);
	sl_strbuf_vappendf(&sb, fmt, ap);
	va_end(ap);
	sl_error_set_hint(cx->err, "%s", sl_strbuf_str(&sb));
	sl_strbuf_free(&sb);
}

/* The span of any AST node (every node starts with tag and span). */
static inline sl_span
aspan(const void *n)
{
	return ((const sl_ast_column_ref *)n)->span;
}

char *
sl_ident_str(sl_arena *a, const sl_ast_ident_list *l)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	char *r;
	for (int i = 0; i < l->n; i++) {
		if (i)
			sl_strbuf_appendc(&sb, '.');
		sl_strbuf_append(&sb, l->items[i].name);
	}
	r = sl_arena_strdup(a, sl_strbuf_str(&sb));
	sl_strbuf_free(&sb);
	return r;
}

static char *
type_str(sl_arena *a, const sl_type *t)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	char *r;
	sl_type_to_string(t, &sb);
	r = sl_arena_strdup(a, sl_strbuf_str(&sb));
	sl_strbuf_free(&sb);
	return r;
}

static const sl_type *
notnull(sl_bind_ctx *cx, const sl_type *t)
{
	return sl_type_with_nullable(cx->a, t, false);
}

static const sl_type *
no_time_attr(sl_bind_ctx *cx, const sl_type *t)
{
	if (t->time_attr == SL_TIME_ATTR_NONE)
		return t;
	return sl_type_with_time_attr(cx->a, t, SL_TIME_ATTR_NONE);
}

static const sl_type *
bool_type(sl_bind_ctx *cx, bool nullable)
{
	return sl_type_with_nullable(cx->a, sl_type_simple(SL_TYPE_BOOLEAN), nullable);
}

static sl_expr *
call(sl_bind_ctx *cx, const char *name, const sl_type *t, sl_span span, int n, sl_expr **args)
{
	sl_expr *e = sl_expr_call(cx->a, name, t, n, args);
	e->span = span;
	return e;
}

static sl_expr *
str_lit(sl_bind_ctx *cx, const char *s)
{
	sl_value v = {0};
	v.s = s;
	v.slen = (uint32_t)strlen(s);
	return sl_expr_lit(cx->a, notnull(cx, sl_type_new_char(cx->a, v.slen ? (int)v.slen : 1)), v);
}

/* ---------------------------------------------------------------------
 * Types
 * ------------------------------------------------------------------- */
const sl_type *
sl_bind_type(sl_bind_ctx *cx, const sl_ast_type *t)
{
	const sl_type *r = NULL;
	sl_arena *a = cx->a;
	switch (t->kind) {
	case SL_ASTTYPE_BOOLEAN: r = sl_type_simple(SL_TYPE_BOOLEAN); break;
	case SL_ASTTYPE_TINYINT: r = sl_type_simple(SL_TYPE_TINYINT); break;
	case SL_ASTTYPE_SMALLINT: r = sl_type_simple(SL_TYPE_SMALLINT); break;
	case SL_ASTTYPE_INT: r = sl_type_simple(SL_TYPE_INT); break;
	case SL_ASTTYPE_BIGINT: r = sl_type_simple(SL_TYPE_BIGINT); break;
	case SL_ASTTYPE_FLOAT: r = sl_type_simple(SL_TYPE_FLOAT); break;
	case SL_ASTTYPE_DOUBLE: r = sl_type_simple(SL_TYPE_DOUBLE); break;
	case SL_ASTTYPE_DECIMAL: {
		int p = t->precision < 0 ? 10 : t->precision, s = t->scale < 0 ? 0 : t->scale;
		if (p < 1 || p > 38 || s > p) {
			sl_bind_error(cx, SL_ERR_INVALID_PARAMETER, t->span,
			              "DECIMAL precision must be between 1 and 38 and scale between 0 and the precision");
			return NULL;
		}
		r = sl_type_new_decimal(a, p, s);
		break;
	}
	case SL_ASTTYPE_CHAR: r = sl_type_new_char(a, t->precision < 0 ? 1 : t->precision); break;
	case SL_ASTTYPE_VARCHAR:
		r = sl_type_new_varchar(a, t->precision < 0 ? SL_VARCHAR_MAX : t->precision);
		break;
	case SL_ASTTYPE_STRING: r = sl_type_simple(SL_TYPE_VARCHAR); break;
	case SL_ASTTYPE_BINARY:
	case SL_ASTTYPE_VARBINARY:
		r = sl_type_new_bytes(a, t->precision < 0 ? SL_VARCHAR_MAX : t->precision);
		break;
	case SL_ASTTYPE_BYTES: r = sl_type_simple(SL_TYPE_BYTES); break;
	case SL_ASTTYPE_DATE: r = sl_type_simple(SL_TYPE_DATE); break;
	case SL_ASTTYPE_TIME: r = sl_type_new_time(a, t->precision < 0 ? 0 : t->precision); break;
	case SL_ASTTYPE_TIMESTAMP:
		r = sl_type_new_timestamp(a, SL_TYPE_TIMESTAMP, t->precision < 0 ? 6 : t->precision);
		break;
	case SL_ASTTYPE_TIMESTAMP_LTZ:
		r = sl_type_new_timestamp(a, SL_TYPE_TIMESTAMP_LTZ, t->precision < 0 ? 6 : t->precision);
		break;
	case SL_ASTTYPE_INTERVAL:
		r = sl_type_simple(SL_TYPE_INTERVAL_DT);
		break;
	case SL_ASTTYPE_ROW: {
		sl_type_field *f = SL_ANEWN(a, sl_type_field, t->fields.n + 1);
		for (int i = 0; i < t->fields.n; i++) {
			f[i].name = t->fields.items[i]->name.name;
			f[i].type = sl_bind_type(cx, t->fields.items[i]->type);
			if (!f[i].type)
				return NULL;
			for (int j = 0; j < i; j++)
				if (strcmp(f[j].name, f[i].name) == 0) {
					sl_bind_error(cx, SL_ERR_DUPLICATE_OBJECT, t->fields.items[i]->name.span,
					              "field \"%s\" is declared twice", f[i].name);
					return NULL;
				}
		}
		r = sl_type_new_row(a, t->fields.n, f);
		break;
	}
	case SL_ASTTYPE_ARRAY:
	case SL_ASTTYPE_MULTISET: {
		const sl_type *e = sl_bind_type(cx, t->elem);
		if (!e)
			return NULL;
		r = sl_type_new_array(a, e);
		break;
	}
	case SL_ASTTYPE_MAP: {
		const sl_type *k = sl_bind_type(cx, t->key), *v = k ? sl_bind_type(cx, t->elem) : NULL;
		if (!v)
			return NULL;
		r = sl_type_new_map(a, k, v);
		break;
	}
	case SL_ASTTYPE_NULL: r = sl_type_simple(SL_TYPE_NULL); break;
	}
	if (r && t->not_null)
		r = sl_type_with_nullable(a, r, false);
	return r;
}

/* ---------------------------------------------------------------------
 * Literals
 * ------------------------------------------------------------------- */
static int64_t
unit_us(sl_ast_time_unit u)
{
	switch (u) {
	case SL_UNIT_WEEK: return 7LL * 86400000000LL;
	case SL_UNIT_DAY: return 86400000000LL;
	case SL_UNIT_HOUR: return 3600000000LL;
	case SL_UNIT_MINUTE: return 60000000LL;
	case SL_UNIT_SECOND: return 1000000LL;
	case SL_UNIT_MILLISECOND: return 1000LL;
	case SL_UNIT_MICROSECOND: return 1LL;
	default: return 0;
	}
}

/* "2024-01-02 03:04:05.678" -> microseconds since the epoch (UTC). */
static bool
parse_timestamp(const char *s, bool date_only, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, n = 0;
	double sec = 0;
	int64_t days;
	if (sscanf(s, "%d-%d-%d%n", &y, &mo, &d, &n) != 3)
		return false;
	if (!date_only && s[n]) {
		if (sscanf(s + n, " %d:%d:%lf", &h, &mi, &sec) < 2)
			return false;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec >= 61)
		return false;
	/* days from civil (Howard Hinnant's algorithm) */
	y -= mo <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	days = era * 146097 + doe - 719468;
	if (date_only) {
		*out = days;
		return true;
	}
	*out = days * 86400000000LL + (int64_t)h * 3600000000LL + (int64_t)mi * 60000000LL +
	       (int64_t)(sec * 1e6 + 0.5);
	return true;
}

static const char *
unquote(sl_bind_ctx *cx, const char *text, uint32_t len)
{
	if (len >= 2 && text[0] == '\'' && text[len - 1] == '\'')
		return sl_arena_strndup(cx->a, text + 1, len - 2);
	return sl_arena_strndup(cx->a, text, len);
}

static sl_expr *
bind_literal(sl_bind_ctx *cx, const sl_ast_literal *l)
{
	sl_value v = {0};
	const sl_type *t = NULL;
	sl_expr *e;
	switch (l->kind) {
	case SL_LIT_NULL:
		v.is_null = true;
		t = sl_type_simple(SL_TYPE_NULL);
		break;
	case SL_LIT_BOOLEAN:
		v.i = l->bval;
		t = notnull(cx, sl_type_simple(SL_TYPE_BOOLEAN));
		break;
	case SL_LIT_INTEGER:
		v.i = l->ival;
		t = notnull(cx, sl_type_simple(l->ival > INT32_MAX || l->ival < INT32_MIN ? SL_TYPE_BIGINT
		                                                                           : SL_TYPE_INT));
		break;
	case SL_LIT_DECIMAL: {
		int digits = 0, scale = 0;
		bool frac = false;
		int64_t u = 0;
		for (uint32_t i = 0; i < l->len; i++) {
			char c = l->text[i];
			if (c == '.') {
				frac = true;
				continue;
			}
			if (!isdigit((unsigned char)c))
				continue;
			if (digits >= 18) {
				/* beyond what an int64 holds: keep it as DOUBLE */
				v.d = strtod(sl_arena_strndup(cx->a, l->text, l->len), NULL);
				v.i = 0;
				t = notnull(cx, sl_type_simple(SL_TYPE_DOUBLE));
				goto done;
			}
			u = u * 10 + (c - '0');
			if (u || frac)
				digits++;
			if (frac)
				scale++;
		}
		if (digits < scale)
			digits = scale;
		if (digits == 0)
			digits = 1;
		v.i = u;
		t = notnull(cx, sl_type_new_decimal(cx->a, digits, scale));
		break;
	}
	case SL_LIT_DOUBLE:
		v.d = strtod(sl_arena_strndup(cx->a, l->text, l->len), NULL);
		t = notnull(cx, sl_type_simple(SL_TYPE_DOUBLE));
		break;
	case SL_LIT_STRING:
		v.s = l->text;
		v.slen = l->len;
		t = notnull(cx, sl_type_new_char(cx->a, l->len ? (int)SL_MIN(l->len, (uint32_t)INT32_MAX) : 1));
		break;
	case SL_LIT_BINARY:
		v.s = l->text;
		v.slen = l->len;
		t = notnull(cx, sl_type_simple(SL_TYPE_BYTES));
		break;
	case SL_LIT_DATE:
	case SL_LIT_TIMESTAMP:
	case SL_LIT_TIMESTAMP_LTZ: {
		const char *s = unquote(cx, l->text, l->len);
		bool date = l->kind == SL_LIT_DATE;
		if (!parse_timestamp(s, date, &v.i)) {
			sl_bind_error(cx, SL_ERR_INVALID_PARAMETER, l->span, "invalid %s literal '%s'",
			              date ? "DATE" : "TIMESTAMP", s);
			return NULL;
		}
		t = notnull(cx, date ? sl_type_simple(SL_TYPE_DATE)
		                     : sl_type_new_timestamp(cx->a, l->kind == SL_LIT_DATE ? SL_TYPE_TIMESTAMP
		                                                : l->kind == SL_LIT_TIMESTAMP ? SL_TYPE_TIMESTAMP
		                                                : SL_TYPE_TIMESTAMP_LTZ, 3));
		break;
	}
	case SL_LIT_TIME: {
		const char *s = unquote(cx, l->text, l->len);
		int h, m;
		double sec = 0;
		if (sscanf(s, "%d:%d:%lf", &h, &m, &sec) < 2) {
			sl_bind_error(cx, SL_ERR_INVALID_PARAMETER, l->span, "invalid TIME literal '%s'", s);
			return NULL;
		}
		v.i = (int64_t)h * 3600000000LL + (int64_t)m * 60000000LL + (int64_t)(sec * 1e6);
		t = notnull(cx, sl_type_new_time(cx->a, 0));
		break;
	}
	case SL_LIT_INTERVAL: {
		const char *s = unquote(cx, l->text, l->len);
		char *end;
		double num;
		errno = 0;
		num = strtod(s, &end);
		if (l->iv_start == SL_UNIT_YEAR || l->iv_start == SL_UNIT_MONTH ||
		    l->iv_start == SL_UNIT_QUARTER) {
			int y = 0, m = 0;
			if (l->iv_end == SL_UNIT_MONTH && sscanf(s, "%d-%d", &y, &m) == 2)
				v.i = y * 12 + m;
			else
				v.i = (int64_t)num * (l->iv_start == SL_UNIT_YEAR ? 12 : l->iv_start == SL_UNIT_QUARTER ? 3 : 1);
			t = notnull(cx, sl_type_simple(SL_TYPE_INTERVAL_YM));
		} else {
			int64_t us = unit_us(l->iv_start);
			if (l->iv_end != SL_UNIT_NONE) {
				/* 'D HH:MM:SS' style: parse the parts */
				int dd = 0, hh = 0, mm = 0;
				double ss = 0;
				if (l->iv_start == SL_UNIT_DAY && sscanf(s, "%d %d:%d:%lf", &dd, &hh, &mm, &ss) >= 2)
					v.i = dd * 86400000000LL + hh * 3600000000LL + mm * 60000000LL + (int64_t)(ss * 1e6);
				else if (l->iv_start == SL_UNIT_HOUR && sscanf(s, "%d:%d:%lf", &hh, &mm, &ss) >= 2)
					v.i = hh * 3600000000LL + mm * 60000000LL + (int64_t)(ss * 1e6);
				else if (l->iv_start == SL_UNIT_MINUTE && sscanf(s, "%d:%lf", &mm, &ss) >= 1)
					v.i = mm * 60000000LL + (int64_t)(ss * 1e6);
				else
					v.i = (int64_t)(num * (double)us);
			} else {
				if (end == s || *end || errno || us == 0) {
					sl_bind_error(cx, SL_ERR_INVALID_PARAMETER, l->span, "invalid INTERVAL literal '%s'", s);
					return NULL;
				}
				v.i = (int64_t)(num * (double)us + (num < 0 ? -0.5 : 0.5));
			}
			t = notnull(cx, sl_type_simple(SL_TYPE_INTERVAL_DT));
		}
		if (l->negative)
			v.i = -v.i;
		break;
	}
	}
done:
	e = sl_expr_lit(cx->a, t, v);
	e->span = l->span;
	return e;
}

/* ---------------------------------------------------------------------
 * Column resolution
 * ------------------------------------------------------------------- */
static const char **
scope_names(sl_bind_ctx *cx, const scope *sc, const char *qual, size_t *n)
{
	const char **v = SL_ANEWN(cx->a, const char *, sc->n + 1);
	*n = 0;
	for (int i = 0; i < sc->n; i++)
		if (!qual || (sc->cols[i].qual && strcmp(sc->cols[i].qual, qual) == 0))
			v[(*n)++] = sc->cols[i].name;
	return v;
}

static bool
scope_has_qual(const scope *sc, const char *q)
{
	for (int i = 0; i < sc->n; i++)
		if (sc->cols[i].qual && strcmp(sc->cols[i].qual, q) == 0)
			return true;
	return false;
}

/* Nested field access: e.names[from..] */
static sl_expr *
bind_fields(sl_bind_ctx *cx, sl_expr *e, const sl_ast_ident_list *names, int from,
            const char *what)
{
	for (int i = from; i < names->n; i++) {
		const sl_ast_ident *id = &names->items[i];
		const sl_type *t = e->type;
		int k = -1;
		sl_expr *f;
		if (t->kind != SL_TYPE_ROW) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, id->span,
			              "cannot access field \"%s\" of \"%s\": it is of type %s, not a ROW", id->name,
			              what, type_str(cx->a, t));
			return NULL;
		}
		for (int j = 0; j < t->nfields; j++)
			if (strcmp(t->fields[j].name, id->name) == 0)
				k = j;
		if (k < 0) {
			const char **cands = SL_ANEWN(cx->a, const char *, t->nfields + 1);
			const char *near;
			for (int j = 0; j < t->nfields; j++)
				cands[j] = t->fields[j].name;
			sl_bind_error(cx, SL_ERR_UNDEFINED_COLUMN, id->span, "field \"%s\" does not exist in \"%s\"",
			              id->name, what);
			near = sl_suggest(id->name, cands, (size_t)t->nfields);
			if (near)
				hint(cx, "did you mean \"%s\"?", near);
			return NULL;
		}
		f = SL_ANEW(cx->a, sl_expr);
		f->kind = SL_EX_FIELD;
		f->field = k;
		f->name = t->fields[k].name;
		f->nargs = 1;
		f->args = SL_ANEWN(cx->a, sl_expr *, 1);
		f->args[0] = e;
		f->type = t->fields[k].type;
		if (t->nullable && !f->type->nullable)
			f->type = sl_type_with_nullable(cx->a, f->type, true);
		f->span = sl_span_join(e->span, id->span);
		e = f;
		what = sl_arena_printf(cx->a, "%s.%s", what, id->name);
	}
	return e;
}

static sl_expr *
col_expr(sl_bind_ctx *cx, const scope_col *c, sl_span span)
{
	sl_expr *e = sl_expr_col(cx->a, c->col, c->type);
	e->span = span;
	return e;
}

static sl_expr *
bind_column_ref(sl_bind_ctx *cx, const scope *sc, const sl_ast_column_ref *ref)
{
	const sl_ast_ident_list *names = &ref->names;
	const sl_ast_ident *first = &names->items[0];
	int found = -1, nfound = 0;

	/* qualified: t.c[.f...] when t is a visible qualifier */
	if (names->n >= 2 && scope_has_qual(sc, first->name)) {
		const char *cname = names->items[1].name;
		for (int i = 0; i < sc->n; i++)
			if (sc->cols[i].qual && strcmp(sc->cols[i].qual, first->name) == 0 &&
			    strcmp(sc->cols[i].name, cname) == 0) {
				found = i;
				nfound++;
			}
		if (found < 0) {
			size_t n;
			const char **cands = scope_names(cx, sc, first->name, &n);
			const char *near = sl_suggest(cname, cands, n);
			/* t.c where c is not a column of t but a field of a column named t? */
			sl_bind_error(cx, SL_ERR_UNDEFINED_COLUMN, sl_span_join(first->span, names->items[1].span),
			              "column \"%s.%s\" does not exist", first->name, cname);
			if (near)
				hint(cx, "did you mean \"%s\"?", near);
			return NULL;
		}
		if (nfound > 1) {
			sl_bind_error(cx, SL_ERR_AMBIGUOUS_COLUMN, ref->span, "column reference \"%s.%s\" is ambiguous",
			              first->name, cname);
			return NULL;
		}
		return bind_fields(cx, col_expr(cx, &sc->cols[found], sl_span_join(first->span, names->items[1].span)),
		                   names, 2, sl_arena_printf(cx->a, "%s.%s", first->name, cname));
	}
	for (int i = 0; i < sc->n; i++)
		if (strcmp(sc->cols[i].name, first->name) == 0) {
			if (found >= 0 && sc->cols[found].col == sc->cols[i].col)
				continue;
			if (found < 0)
				found = i;
			nfound++;
		}
	if (nfound > 1) {
		sl_strbuf sb = SL_STRBUF_INIT;
		int k = 0;
		for (int i = 0; i < sc->n; i++)
			if (strcmp(sc->cols[i].name, first->name) == 0 && sc->cols[i].qual)
				sl_strbuf_appendf(&sb, "%s\"%s.%s\"", k++ ? " or " : "", sc->cols[i].qual, first->name);
		sl_bind_error(cx, SL_ERR_AMBIGUOUS_COLUMN, first->span, "column reference \"%s\" is ambiguous",
		              first->name);
		if (sb.len)
			sl_error_set_hint(cx->err, "qualify it: %s", sl_strbuf_str(&sb));
		sl_strbuf_free(&sb);
		return NULL;
	}
	if (found < 0) {
		size_t n;
		const char **cands = scope_names(cx, sc, NULL, &n);
		const char *near = sl_suggest(first->name, cands, n);
		if (names->n >= 2) {
			sl_bind_error(cx, SL_ERR_UNDEFINED_COLUMN, first->span,
			              "column or table \"%s\" does not exist", first->name);
		} else {
			sl_bind_error(cx, SL_ERR_UNDEFINED_COLUMN, first->span, "column \"%s\" does not exist",
			              first->name);
		}
		if (near)
			hint(cx, "did you mean \"%s\"?", near);
		return NULL;
	}
	return bind_fields(cx, col_expr(cx, &sc->cols[found], first->span), names, 1, first->name);
}

/* ---------------------------------------------------------------------
 * Aggregates, window properties and OVER: collected while binding
 * ------------------------------------------------------------------- */
typedef struct agg_item {
	sl_agg_kind kind;
	const char *name;
	sl_expr *arg;           /* NULL for COUNT(*) */
	sl_expr *arg2;          /* LISTAGG separator */
	int nuargs;             /* SL_AGG_UDF: arguments, cast to its parameters */
	sl_expr **uargs;
	const sl_udf_fn *udf;   /* SL_AGG_UDF: the overload */
	bool distinct;
	sl_expr *filter;
	const sl_type *type;
	sl_span span;
} agg_item;

typedef struct agg_ctx {
	SL_VEC(agg_item) items;
	bool in_agg;            /* binding an aggregate's argument */
	bool allowed;           /* aggregates allowed here */
	bool legacy;            /* GROUP BY has TUMBLE/HOP/SESSION(...) */
	sl_window_kind legacy_kind;
} agg_ctx;

typedef struct over_item {
	sl_agg_kind kind;
	const char *name;
	sl_expr *arg;
	const sl_type *type;
} over_item;

typedef struct over_ctx {
	const sl_ast_window_spec *spec;  /* the first spec, resolved (all must be equal) */
	const scope *sc;
	const sl_ast_select *sel;        /* its WINDOW w AS (...) clause names windows */
	SL_VEC(over_item) items;
} over_ctx;

/*
 * resolve_window -- the window an OVER clause means, with named windows
 * (SELECT ... OVER w ... WINDOW w AS (...), or OVER (w ORDER BY ...))
 * replaced by their definition, as Flink (Calcite) and the SQL standard do:
 * a reference may add an ORDER BY and a frame to a window that has none,
 * never a PARTITION BY. Returns an arena copy without name or ref (so two
 * spellings of one window compare equal), or NULL after an error.
 */
static const sl_ast_window_spec *
resolve_window(sl_bind_ctx *cx, const over_ctx *ov, const sl_ast_window_spec *w, int depth)
{
	const sl_ast_window_spec *base = NULL;
	sl_ast_window_spec *r = SL_ANEW(cx->a, sl_ast_window_spec);

	*r = *w;
	r->name.name = NULL;
	r->ref.name = NULL;
	if (!w->ref.name)
		return r;
	if (depth > 16) {
		sl_bind_error(cx, SL_ERR_WINDOWING, w->ref.span, "window \"%s\" is defined in terms of itself", w->ref.name);
		return NULL;
	}
	for (int i = 0; ov->sel && i < ov->sel->windows.n; i++)
		if (strcmp(ov->sel->windows.items[i]->name.name, w->ref.name) == 0) {
			if (base) {
				sl_bind_error(cx, SL_ERR_WINDOWING, ov->sel->windows.items[i]->name.span,
				              "window \"%s\" is defined twice", w->ref.name);
				return NULL;
			}
			base = ov->sel->windows.items[i];
		}
	if (!base) {
		int n = ov->sel ? ov->sel->windows.n : 0;
		const char **cands = SL_ANEWN(cx->a, const char *, n + 1);
		const char *near;
		for (int i = 0; i < n; i++)
			cands[i] = ov->sel->windows.items[i]->name.name;
		near = sl_suggest(w->ref.name, cands, (size_t)n);
		if (near)
			sl_bind_error(cx, SL_ERR_WINDOWING, w->ref.span,
			              "window \"%s\" is not defined; did you mean \"%s\"?", w->ref.name, near);
		else
			sl_bind_error(cx, SL_ERR_WINDOWING, w->ref.span,
			              "window \"%s\" is not defined (name it in a WINDOW clause: WINDOW %s AS (...))",
			              w->ref.name, w->ref.name);
		return NULL;
	}
	base = resolve_window(cx, ov, base, depth + 1);
	if (!base)
		return NULL;
	if (w->partition_by.n > 0) {
		sl_bind_error(cx, SL_ERR_WINDOWING, w->span,
		              "cannot override the PARTITION BY of window \"%s\"", w->ref.name);
		return NULL;
	}
	if (w->order_by.n > 0 && base->order_by.n > 0) {
		sl_bind_error(cx, SL_ERR_WINDOWING, w->order_by.items[0]->span,
		              "cannot override the ORDER BY of window \"%s\"", w->ref.name);
		return NULL;
	}
	if (w->frame != SL_FRAME_NONE && base->frame != SL_FRAME_NONE) {
		sl_bind_error(cx, SL_ERR_WINDOWING, w->span,
		              "cannot copy window \"%s\" because it has a frame clause", w->ref.name);
		return NULL;
	}
	*r = *base;
	r->span = w->span;
	if (w->order_by.n > 0)
		r->order_by = w->order_by;
	if (w->frame != SL_FRAME_NONE) {
		r->frame = w->frame;
		r->frame_start = w->frame_start;
		r->frame_end = w->frame_end;
	}
	return r;
}

static bool
agg_kind_of(const char *name, sl_agg_kind *k)
{
	static const struct { const char *n; sl_agg_kind k; } m[] = {
		{"COUNT", SL_AGG_COUNT}, {"SUM", SL_AGG_SUM}, {"SUM0", SL_AGG_SUM0}, {"AVG", SL_AGG_AVG},
		{"MIN", SL_AGG_MIN}, {"MAX", SL_AGG_MAX}, {"FIRST_VALUE", SL_AGG_FIRST_VALUE},
		{"LAST_VALUE", SL_AGG_LAST_VALUE}, {"LISTAGG", SL_AGG_LISTAGG},
		{"ROW_NUMBER", SL_AGG_ROW_NUMBER}, {"RANK", SL_AGG_RANK}, {"DENSE_RANK", SL_AGG_DENSE_RANK}};
	for (size_t i = 0; i < SL_ARRAY_LEN(m); i++)
		if (sl_streq_ci(name, m[i].n)) {
			*k = m[i].k;
			return true;
		}
	return false;
}

static const char *
upper(sl_bind_ctx *cx, const char *s)
{
	char *u = sl_arena_strdup(cx->a, s);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

/* Result type of an aggregate over arg (NULL for COUNT(*)). */
static const sl_type *
agg_type(sl_bind_ctx *cx, sl_agg_kind k, const char *name, sl_expr *arg, sl_span span)
{
	switch (k) {
	case SL_AGG_COUNT_STAR:
	case SL_AGG_COUNT:
	case SL_AGG_ROW_NUMBER:
	case SL_AGG_RANK:
	case SL_AGG_DENSE_RANK:
		return notnull(cx, sl_type_simple(SL_TYPE_BIGINT));
	case SL_AGG_SUM:
	case SL_AGG_SUM0:
	case SL_AGG_AVG:
		if (!sl_type_is_numeric(arg->type) && arg->type->kind != SL_TYPE_NULL) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, span,
			              "function \"%s\" requires a numeric argument, not %s", name,
			              type_str(cx->a, arg->type));
			return NULL;
		}
		return k == SL_AGG_AVG ? sl_type_avg_result(cx->a, arg->type) : sl_type_sum_result(cx->a, arg->type);
	case SL_AGG_LISTAGG:
		return sl_type_simple(SL_TYPE_VARCHAR);
	default:
		return sl_type_with_nullable(cx->a, no_time_attr(cx, arg->type), true);
	}
}

static sl_expr *
bind_agg_call(sl_bind_ctx *cx, const scope *sc, const sl_ast_func_call *fc, sl_agg_kind kind,
              const char *uname)
{
	agg_ctx *ag = cx->agg;
	agg_item it = {0};
	sl_expr *ph;
	if (!ag || !ag->allowed) {
		sl_bind_error(cx, SL_ERR_GROUPING, fc->span, "aggregate function \"%s\" is not allowed in %s",
		              uname, cx->clause ? cx->clause : "this context");
		return NULL;
	}
	if (ag->in_agg) {
		sl_bind_error(cx, SL_ERR_GROUPING, fc->span, "aggregate function calls cannot be nested");
		hint(cx, "%s", "compute the inner aggregate in a subquery");
		return NULL;
	}
	it.kind = kind;
	it.name = uname;
	it.span = fc->span;
	it.distinct = fc->distinct;
	ag->in_agg = true;
	if (fc->star) {
		if (kind != SL_AGG_COUNT) {
			sl_bind_error(cx, SL_ERR_SYNTAX, fc->span, "only COUNT accepts *");
			return NULL;
		}
		it.kind = SL_AGG_COUNT_STAR;
	} else {
		int want = kind == SL_AGG_LISTAGG ? 2 : 1;
		if (fc->args.n < 1 || fc->args.n > want) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, fc->span,
			              "function \"%s\" takes %s argument%s but %d %s given", uname,
			              want == 1 ? "one" : "one or two", want == 1 ? "" : "s", fc->args.n,
			              fc->args.n == 1 ? "was" : "were");
			return NULL;
		}
		it.arg = sl_bind_expr(cx, sc, fc->args.items[0]);
		if (!it.arg)
			return NULL;
		if (fc->args.n > 1 && !(it.arg2 = sl_bind_expr(cx, sc, fc->args.items[1])))
			return NULL;
	}
	if (fc->filter) {
		it.filter = sl_bind_expr(cx, sc, fc->filter);
		if (!it.filter)
			return NULL;
		if (it.filter->type->kind != SL_TYPE_BOOLEAN) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, aspan(fc->filter),
			              "FILTER condition must be BOOLEAN, not %s", type_str(cx->a, it.filter->type));
			return NULL;
		}
	}
	ag->in_agg = false;
	it.type = agg_type(cx, it.kind, uname, it.arg, fc->span);
	if (!it.type)
		return NULL;
	/* reuse an identical aggregate */
	for (size_t i = 0; i < ag->items.n; i++) {
		agg_item *o = &ag->items.v[i];
		if (o->kind == it.kind && o->distinct == it.distinct &&
		    ((!o->arg && !it.arg) || (o->arg && it.arg && sl_expr_equal(o->arg, it.arg))) &&
		    ((!o->filter && !it.filter) || (o->filter && it.filter && sl_expr_equal(o->filter, it.filter)))) {
			ph = call(cx, "$AGG", o->type, fc->span, 0, NULL);
			ph->col = (int)i;
			return ph;
		}
	}
	sl_vec_push(&ag->items, it);
	ph = call(cx, "$AGG", it.type, fc->span, 0, NULL);
	ph->col = (int)ag->items.n - 1;
	return ph;
}

static sl_expr *retype_lit(sl_bind_ctx *cx, sl_expr *lit, const sl_type *t);
static bool is_udf_agg(sl_bind_ctx *cx, const char *name);

/* A call of a C aggregate function (CREATE FUNCTION ... LANGUAGE C whose
 * library declares it SLUICE_UDF_AGGREGATE): bound like a built-in
 * aggregate, the overload resolved from the argument types and the
 * arguments cast to its parameters. Whether it can take back rows
 * (retract) is checked where the input's changelog is known (runtime). */
static sl_expr *
bind_udf_agg_call(sl_bind_ctx *cx, const scope *sc, const sl_ast_func_call *fc, const char *name)
{
	agg_ctx *ag = cx->agg;
	agg_item it = {0};
	const sl_type **at;
	sl_error *ue = NULL;
	sl_expr *ph;
	if (!ag || !ag->allowed) {
		sl_bind_error(cx, SL_ERR_GROUPING, fc->span, "aggregate function \"%s\" is not allowed in %s",
		              name, cx->clause ? cx->clause : "this context");
		return NULL;
	}
	if (ag->in_agg) {
		sl_bind_error(cx, SL_ERR_GROUPING, fc->span, "aggregate function calls cannot be nested");
		hint(cx, "%s", "compute the inner aggregate in a subquery");
		return NULL;
	}
	if (fc->star || fc->distinct) {
		sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, fc->span,
		              "C aggregate function \"%s\" takes neither * nor DISTINCT", name);
		return NULL;
	}
	it.kind = SL_AGG_UDF;
	it.name = name;
	it.span = fc->span;
	it.nuargs = fc->args.n;
	it.uargs = SL_ANEWN(cx->a, sl_expr *, fc->args.n + 1);
	at = SL_ANEWN(cx->a, const sl_type *, fc->args.n + 1);
	ag->in_agg = true;
	for (int i = 0; i < fc->args.n; i++) {
		if (!(it.uargs[i] = sl_bind_expr(cx, sc, fc->args.items[i])))
			return NULL;
		at[i] = it.uargs[i]->type;
	}
	if (fc->filter) {
		it.filter = sl_bind_expr(cx, sc, fc->filter);
		if (!it.filter)
			return NULL;
		if (it.filter->type->kind != SL_TYPE_BOOLEAN) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, aspan(fc->filter),
			              "FILTER condition must be BOOLEAN, not %s", type_str(cx->a, it.filter->type));
			return NULL;
		}
	}
	ag->in_agg = false;
	if (!(it.udf = sl_udf_resolve(cx->cat->udfs, name, at, fc->args.n, &ue))) {
		ue->span = fc->span;
		sl_error_free(ue->next);
		ue->next = NULL;
		if (!cx->err)
			cx->err = ue;
		else
			sl_error_free(ue);
		return NULL;
	}
	for (int i = 0; i < fc->args.n; i++)
		if (!sl_type_equal(it.uargs[i]->type, it.udf->sig.args[i]) ||
		    it.uargs[i]->type->nullable != it.udf->sig.args[i]->nullable)
			it.uargs[i] = it.uargs[i]->kind == SL_EX_LIT && it.uargs[i]->type->kind == SL_TYPE_CHAR &&
			                      sl_type_is_string(it.udf->sig.args[i])
			                  ? retype_lit(cx, it.uargs[i], it.udf->sig.args[i])
			                  : sl_expr_cast(cx->a, it.uargs[i], it.udf->sig.args[i]);
	it.type = it.udf->sig.result;
	/* reuse an identical call */
	for (size_t i = 0; i < ag->items.n; i++) {
		agg_item *o = &ag->items.v[i];
		bool same = o->kind == SL_AGG_UDF && o->udf == it.udf && o->nuargs == it.nuargs &&
		            ((!o->filter && !it.filter) || (o->filter && it.filter && sl_expr_equal(o->filter, it.filter)));
		for (int k = 0; same && k < it.nuargs; k++)
			same = sl_expr_equal(o->uargs[k], it.uargs[k]);
		if (same && it.udf->deterministic) {
			ph = call(cx, "$AGG", o->type, fc->span, 0, NULL);
			ph->col = (int)i;
			return ph;
		}
	}
	sl_vec_push(&ag->items, it);
	ph = call(cx, "$AGG", it.type, fc->span, 0, NULL);
	ph->col = (int)ag->items.n - 1;
	return ph;
}

static sl_expr *
bind_over_call(sl_bind_ctx *cx, const scope *sc, const sl_ast_func_call *fc, const char *uname)
{
	over_ctx *ov = cx->over;
	over_item it = {0};
	const sl_ast_window_spec *spec;
	sl_expr *ph;
	if (!ov) {
		sl_bind_error(cx, SL_ERR_WINDOWING, fc->span, "OVER is not allowed in %s",
		              cx->clause ? cx->clause : "this context");
		return NULL;
	}
	if (!agg_kind_of(uname, &it.kind)) {
		sl_bind_error(cx, SL_ERR_UNDEFINED_FUNCTION, fc->span, "function \"%s\" cannot be used with OVER",
		              uname);
		return NULL;
	}
	spec = resolve_window(cx, ov, fc->over, 0);
	if (!spec)
		return NULL;
	if (ov->spec && !sl_ast_equal(ov->spec, spec)) {
		sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, fc->over->span,
		              "all OVER windows of one SELECT must have the same PARTITION BY, ORDER BY and frame");
		return NULL;
	}
	ov->spec = spec;
	it.name = uname;
	if (fc->star)
		it.kind = SL_AGG_COUNT_STAR;
	else if (it.kind != SL_AGG_ROW_NUMBER && it.kind != SL_AGG_RANK && it.kind != SL_AGG_DENSE_RANK) {
		if (fc->args.n != 1) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, fc->span, "function \"%s\" takes one argument",
			              uname);
			return NULL;
		}
		if (!(it.arg = sl_bind_expr(cx, sc, fc->args.items[0])))
			return NULL;
	} else if (fc->args.n != 0) {
		sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, fc->span, "function \"%s\" takes no arguments", uname);
		return NULL;
	}
	it.type = agg_type(cx, it.kind, uname, it.arg, fc->span);
	if (!it.type)
		return NULL;
	sl_vec_push(&ov->items, it);
	ph = call(cx, "$OVER", it.type, fc->span, 0, NULL);
	ph->col = (int)ov->items.n - 1;
	return ph;
}

/* ---------------------------------------------------------------------
 * Operators
 * ------------------------------------------------------------------- */
static bool
is_numeric_or_null(const sl_type *t)
{
	return sl_type_is_numeric(t) || t->kind == SL_TYPE_NULL;
}

static sl_expr *
arith(sl_bind_ctx *cx, const char *op, sl_expr *x, sl_expr *y, sl_span span)
{
	const sl_type *tx = x->type, *ty = y->type, *r = NULL;
	bool nullable = tx->nullable || ty->nullable;
	if (is_numeric_or_null(tx) && is_numeric_or_null(ty)) {
		/* the built-in registry's rule (udf/builtins.c): Flink's numeric
		 * promotion, DECIMAL precision/scale, MOD's divisor type */
		bool known;
		if (!sl_planner_func_type(cx->a, op, (sl_expr *[]){x, y}, 2, &r, &known)) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, span, "%s", sl_planner_func_error());
			return NULL;
		}
	} else if (sl_type_is_temporal(tx) && (ty->kind == SL_TYPE_INTERVAL_DT || ty->kind == SL_TYPE_INTERVAL_YM) &&
	           (op[0] == '+' || op[0] == '-')) {
		r = no_time_attr(cx, tx);
	} else if (sl_type_is_temporal(ty) && (tx->kind == SL_TYPE_INTERVAL_DT || tx->kind == SL_TYPE_INTERVAL_YM) &&
	           op[0] == '+') {
		r = no_time_attr(cx, ty);
	} else if (tx->kind == ty->kind && (tx->kind == SL_TYPE_INTERVAL_DT || tx->kind == SL_TYPE_INTERVAL_YM) &&
	           (op[0] == '+' || op[0] == '-')) {
		r = tx;
	} else if ((tx->kind == SL_TYPE_INTERVAL_DT && sl_type_is_numeric(ty) && (op[0] == '*' || op[0] == '/')) ||
	           (ty->kind == SL_TYPE_INTERVAL_DT && sl_type_is_numeric(tx) && op[0] == '*')) {
		r = sl_type_simple(SL_TYPE_INTERVAL_DT);
	}
	if (!r) {
		sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, span, "operator \"%s\" cannot be applied to %s and %s",
		              op, type_str(cx->a, tx), type_str(cx->a, ty));
		if (sl_type_is_string(tx) || sl_type_is_string(ty))
			hint(cx, "%s", "convert the string with CAST(... AS <numeric type>) first");
		return NULL;
	}
	r = sl_type_with_nullable(cx->a, no_time_attr(cx, r), nullable);
	return call(cx, op, r, span, 2, (sl_expr *[]){x, y});
}

/* The type of the binary operator op over x and y as the built-in
 * registry (udf/builtins.def) gives it — the type its kernel computes —
 * or NULL when the operands do not fit (the caller says why). */
static const sl_type *
op_type(sl_bind_ctx *cx, const char *op, sl_expr *x, sl_expr *y)
{
	const sl_type *r = NULL;
	bool known;
	if (!sl_planner_func_type(cx->a, op, (sl_expr *[]){x, y}, 2, &r, &known))
		return NULL;
	return r;
}

/* Comparisons and IS [NOT] DISTINCT FROM: operands with a common type
 * (builtins.def's "cc"); BOOLEAN, nullable as the operands (NOT NULL for
 * DISTINCT). */
static sl_expr *
compare(sl_bind_ctx *cx, const char *op, sl_expr *x, sl_expr *y, sl_span span)
{
	const sl_type *r = op_type(cx, op, x, y);
	if (!r) {
		sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, span, "cannot compare %s with %s",
		              type_str(cx->a, x->type), type_str(cx->a, y->type));
		hint(cx, "%s", "use CAST to convert one side to the other's type");
		return NULL;
	}
	return call(cx, op, r, span, 2, (sl_expr *[]){x, y});
}

static sl_expr *
need_bool(sl_bind_ctx *cx, sl_expr *e, const char *what)
{
	if (e && e->type->kind != SL_TYPE_BOOLEAN && e->type->kind != SL_TYPE_NULL) {
		sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, e->span, "%s must be of type BOOLEAN, not %s", what,
		              type_str(cx->a, e->type));
		return NULL;
	}
	return e;
}

static sl_expr *
bind_binary(sl_bind_ctx *cx, const scope *sc, const sl_ast_binary *b)
{
	sl_expr *x = sl_bind_expr(cx, sc, b->left), *y;
	if (!x)
		return NULL;
	y = sl_bind_expr(cx, sc, b->right);
	if (!y)
		return NULL;
	switch (b->op) {
	case SL_BINOP_ADD: return arith(cx, "+", x, y, b->span);
	case SL_BINOP_SUB: return arith(cx, "-", x, y, b->span);
	case SL_BINOP_MUL: return arith(cx, "*", x, y, b->span);
	case SL_BINOP_DIV: return arith(cx, "/", x, y, b->span);
	case SL_BINOP_MOD: {
		sl_expr *e = arith(cx, "MOD", x, y, b->span);
		return e;
	}
	case SL_BINOP_CONCAT: {
		const sl_type *r = op_type(cx, "||", x, y);
		if (!r) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, b->span,
			              "operator \"||\" cannot be applied to %s and %s",
			              type_str(cx->a, x->type), type_str(cx->a, y->type));
			return NULL;
		}
		return call(cx, "||", r, b->span, 2, (sl_expr *[]){x, y});
	}
	case SL_BINOP_EQ: return compare(cx, "=", x, y, b->span);
	case SL_BINOP_NE: return compare(cx, "<>", x, y, b->span);
	case SL_BINOP_LT: return compare(cx, "<", x, y, b->span);
	case SL_BINOP_LE: return compare(cx, "<=", x, y, b->span);
	case SL_BINOP_GT: return compare(cx, ">", x, y, b->span);
	case SL_BINOP_GE: return compare(cx, ">=", x, y, b->span);
	case SL_BINOP_IS_DISTINCT_FROM:
		return compare(cx, "IS DISTINCT FROM", x, y, b->span);
	case SL_BINOP_IS_NOT_DISTINCT_FROM:
		return compare(cx, "IS NOT DISTINCT FROM", x, y, b->span);
	case SL_BINOP_AND:
	case SL_BINOP_OR: {
		const char *op = b->op == SL_BINOP_AND ? "AND" : "OR";
		if (!need_bool(cx, x, sl_arena_printf(cx->a, "the left operand of %s", op)) ||
		    !need_bool(cx, y, sl_arena_printf(cx->a, "the right operand of %s", op)))
			return NULL;
		return call(cx, op, bool_type(cx, x->type->nullable || y->type->nullable), b->span, 2,
		            (sl_expr *[]){x, y});
	}
	}
	return NULL;
}

static const sl_type *
common_of(sl_bind_ctx *cx, sl_expr **v, int n, sl_span span, const char *what)
{
	const sl_type *t = NULL;
	for (int i = 0; i < n; i++) {
		const sl_type *u;
		if (!v[i])
			continue;
		if (!t) {
			t = v[i]->type;
			continue;
		}
		u = sl_type_common_super(cx->a, t, v[i]->type);
		if (!u) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, v[i]->span.start == UINT32_MAX ? span : v[i]->span,
			              "%s have incompatible types %s and %s", what, type_str(cx->a, t),
			              type_str(cx->a, v[i]->type));
			return NULL;
		}
		t = u;
	}
	return t ? no_time_attr(cx, t) : sl_type_simple(SL_TYPE_NULL);
}

static sl_expr *
bind_case(sl_bind_ctx *cx, const scope *sc, const sl_ast_case *c)
{
	int n = c->whens.n * 2 + (c->else_expr ? 1 : 0);
	sl_expr **args = SL_ANEWN(cx->a, sl_expr *, n + 1);
	sl_expr **results = SL_ANEWN(cx->a, sl_expr *, c->whens.n + 1);
	sl_expr *operand = NULL, *e;
	const sl_type *t;
	bool nullable = !c->else_expr;
	if (c->operand && !(operand = sl_bind_expr(cx, sc, c->operand)))
		return NULL;
	for (int i = 0; i < c->whens.n; i++) {
		sl_expr *cond = sl_bind_expr(cx, sc, c->whens.items[i]->cond);
		if (!cond)
			return NULL;
		if (operand)
			cond = compare(cx, "=", operand, cond, aspan(c->whens.items[i]->cond));
		else
			cond = need_bool(cx, cond, "a WHEN condition");
		if (!cond)
			return NULL;
		args[2 * i] = cond;
		if (!(args[2 * i + 1] = sl_bind_expr(cx, sc, c->whens.items[i]->result)))
			return NULL;
		results[i] = args[2 * i + 1];
		nullable |= results[i]->type->nullable;
	}
	if (c->else_expr) {
		if (!(args[n - 1] = sl_bind_expr(cx, sc, c->else_expr)))
			return NULL;
		nullable |= args[n - 1]->type->nullable;
	}
	{
		sl_expr **all = SL_ANEWN(cx->a, sl_expr *, c->whens.n + 2);
		memcpy(all, results, sizeof *all * (size_t)c->whens.n);
		all[c->whens.n] = c->else_expr ? args[n - 1] : NULL;
		t = common_of(cx, all, c->whens.n + 1, c->span, "CASE results");
		if (!t)
			return NULL;
	}
	e = SL_ANEW(cx->a, sl_expr);
	e->kind = SL_EX_CASE;
	e->nargs = n;
	e->args = args;
	e->has_else = c->else_expr != NULL;
	e->type = sl_type_with_nullable(cx->a, t, nullable);
	e->span = c->span;
	return e;
}

static bool
castable(const sl_type *from, const sl_type *to)
{
	sl_type_kind f = from->kind, t = to->kind;
	if (f == SL_TYPE_NULL || f == t)
		return true;
	if (sl_type_is_string(from) || sl_type_is_string(to))
		return f != SL_TYPE_ROW && t != SL_TYPE_ROW && f != SL_TYPE_ARRAY && t != SL_TYPE_ARRAY &&
		       f != SL_TYPE_MAP && t != SL_TYPE_MAP;
	if (sl_type_is_numeric(from) && (sl_type_is_numeric(to) || t == SL_TYPE_BOOLEAN))
		return true;
	if (f == SL_TYPE_BOOLEAN && sl_type_is_numeric(to))
		return true;
	if (sl_type_is_temporal(from) && sl_type_is_temporal(to))
		return true;
	if (sl_type_is_exact_integer(from) && (t == SL_TYPE_TIMESTAMP || t == SL_TYPE_TIMESTAMP_LTZ))
		return true;
	if ((f == SL_TYPE_TIMESTAMP || f == SL_TYPE_TIMESTAMP_LTZ) && sl_type_is_exact_integer(to))
		return true;
	return sl_type_can_implicit_cast(from, to);
}

/* A CHAR literal given to a string parameter: the same literal, typed as
 * the parameter (no CAST node: EXPLAIN shows f(x, 'c')). */
static sl_expr *
retype_lit(sl_bind_ctx *cx, sl_expr *lit, const sl_type *t)
{
	sl_expr *c = sl_expr_copy(cx->a, lit);
	c->type = t;
	return c;
}

static sl_expr *
bind_func(sl_bind_ctx *cx, const scope *sc, const sl_ast_func_call *fc)
{
	const char *name = fc->name.items[fc->name.n - 1].name;
	const char *uname = upper(cx, name);
	sl_agg_kind ak;
	sl_expr **args;
	const sl_type *rt = NULL;
	bool known = false;
	const sl_function *udf;

	if (fc->over)
		return bind_over_call(cx, sc, fc, uname);
	if (agg_kind_of(uname, &ak) && ak != SL_AGG_ROW_NUMBER && ak != SL_AGG_RANK && ak != SL_AGG_DENSE_RANK)
		return bind_agg_call(cx, sc, fc, ak, uname);
	if (agg_kind_of(uname, &ak)) {
		sl_bind_error(cx, SL_ERR_WINDOWING, fc->span, "function \"%s\" requires an OVER clause", uname);
		return NULL;
	}
	if (!fc->over && is_udf_agg(cx, name))
		return bind_udf_agg_call(cx, sc, fc, sl_catalog_function(cx->cat, name)->name);
	if ((fc->distinct || fc->filter || fc->star) && (sl_planner_func_exists(uname) || sl_catalog_function(cx->cat, name))) {
		sl_bind_error(cx, SL_ERR_SYNTAX, fc->span, "DISTINCT, FILTER and * are only allowed in aggregate calls");
		return NULL;
	}
	/* legacy group window properties */
	{
		static const char *suffix[] = {"_START", "_END", "_ROWTIME", "_PROCTIME"};
		static const char *prefix[] = {"TUMBLE", "HOP", "SESSION", "CUMULATE"};
		for (size_t p = 0; p < SL_ARRAY_LEN(prefix); p++) {
			size_t pl = strlen(prefix[p]);
			if (strncmp(uname, prefix[p], pl) != 0)
				continue;
			if (uname[pl] == '\0') {
				sl_bind_error(cx, SL_ERR_WINDOWING, fc->span,
				              "group window function \"%s\" is only allowed in GROUP BY", uname);
				hint(cx, "%s", "use GROUP BY TUMBLE(...) or the window table function FROM TABLE(TUMBLE(TABLE t, ...))");
				return NULL;
			}
			for (size_t s = 0; s < SL_ARRAY_LEN(suffix); s++) {
				if (strcmp(uname + pl, suffix[s]) != 0)
					continue;
				if (!cx->agg || !cx->agg->legacy) {
					sl_bind_error(cx, SL_ERR_WINDOWING, fc->span,
					              "\"%s\" requires GROUP BY %s(...) in the same query", uname, prefix[p]);
					return NULL;
				}
				{
					sl_expr *ph = call(cx, "$WPROP", notnull(cx, sl_type_new_timestamp(cx->a, SL_TYPE_TIMESTAMP, 3)),
					                   fc->span, 0, NULL);
					ph->col = s >= 2 ? 2 : (int)s;
					if (s == 2)
						ph->type = sl_type_with_time_attr(cx->a, ph->type, SL_TIME_ATTR_ROWTIME);
					if (s == 3)
						ph->type = sl_type_with_time_attr(cx->a, ph->type, SL_TIME_ATTR_PROCTIME);
					return ph;
				}
			}
		}
	}
	args = SL_ANEWN(cx->a, sl_expr *, fc->args.n + 1);
	if (sl_planner_func_exists(uname) || sl_catalog_function(cx->cat, name))
		for (int i = 0; i < fc->args.n; i++)
			if (!(args[i] = sl_bind_expr(cx, sc, fc->args.items[i])))
				return NULL;
	if (sl_planner_func_type(cx->a, uname, args, fc->args.n, &rt, &known)) {
		sl_expr *e = call(cx, uname, rt, fc->span, fc->args.n, args);
		if (strcmp(uname, "SUBSTR") == 0)
			e->name = "SUBSTRING";
		else if (strcmp(uname, "CEILING") == 0)
			e->name = "CEIL";
		else if (strcmp(uname, "CHARACTER_LENGTH") == 0)
			e->name = "CHAR_LENGTH";
		return e;
	}
	if (known) {
		sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, fc->span, "%s", sl_planner_func_error());
		return NULL;
	}
	udf = sl_catalog_function(cx->cat, name);
	if (udf) {
		/* The library was loaded at CREATE FUNCTION: resolve the overload
		 * from the argument types, cast arguments to its parameters. */
		const sl_type **at = SL_ANEWN(cx->a, const sl_type *, fc->args.n + 1);
		const sl_udf_fn *fn;
		sl_error *ue = NULL;
		sl_expr *e;
		for (int i = 0; i < fc->args.n; i++)
			at[i] = args[i]->type;
		if (!(fn = sl_udf_resolve(cx->cat->udfs, name, at, fc->args.n, &ue))) {
			ue->span = fc->span;
			sl_error_free(ue->next);
			ue->next = NULL;
			if (!cx->err)
				cx->err = ue;
			else
				sl_error_free(ue);
			return NULL;
		}
		if (fn->kind == SLUICE_UDF_TABLE) {
			sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, fc->span,
			              "table function \"%s\" can only be called in FROM", udf->name);
			hint(cx, "%s", "write FROM t, LATERAL TABLE(f(t.x)) [AS T(a, b)]");
			return NULL;
		}
		if (fn->kind != SLUICE_UDF_SCALAR) {
			sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, fc->span,
			              "aggregate function \"%s\" cannot be used here", udf->name);
			return NULL;
		}
		for (int i = 0; i < fc->args.n; i++)
			if (!sl_type_equal(args[i]->type, fn->sig.args[i]) ||
			    args[i]->type->nullable != fn->sig.args[i]->nullable)
				args[i] = args[i]->kind == SL_EX_LIT && args[i]->type->kind == SL_TYPE_CHAR &&
				                  sl_type_is_string(fn->sig.args[i])
				              ? retype_lit(cx, args[i], fn->sig.args[i])
				              : sl_expr_cast(cx->a, args[i], fn->sig.args[i]);
		e = call(cx, udf->name, fn->sig.result, fc->span, fc->args.n, args);
		e->is_udf = true;
		e->udf = fn;
		return e;
	}
	{
		size_t n;
		const char *const *bi = sl_planner_func_names(&n);
		const char **cands = SL_ANEWN(cx->a, const char *, n + cx->cat->funcs.n + 1);
		const char *near, *why, *instead;
		memcpy(cands, bi, sizeof *cands * n);
		for (size_t i = 0; i < cx->cat->funcs.n; i++)
			cands[n + i] = cx->cat->funcs.v[i]->name;
		sl_bind_error(cx, SL_ERR_UNDEFINED_FUNCTION, fc->name.items[0].span.start != UINT32_MAX
		                                                 ? sl_span_join(fc->name.items[0].span, fc->name.items[fc->name.n - 1].span)
		                                                 : fc->span,
		              "function \"%s\" does not exist", name);
		near = sl_suggest(name, cands, n + cx->cat->funcs.n);
		if (sl_planner_func_not_flink(name, &why, &instead)) {
			if (cx->err && !cx->err->detail)
				sl_error_set_detail(cx->err, "%s", why);
			hint(cx, "%s", instead);
		} else if (near)
			hint(cx, "did you mean \"%s\"?", near);
		else
			hint(cx, "%s", "declare it with CREATE FUNCTION name AS 'symbol' LANGUAGE C USING LIBRARY 'lib.so'");
		return NULL;
	}
}

static const char *
unit_str(sl_ast_time_unit u)
{
	return sl_ast_time_unit_name(u);
}

sl_expr *
sl_bind_expr(sl_bind_ctx *cx, const scope *sc, const sl_ast_expr *node)
{
	sl_arena *a = cx->a;
	sl_expr *x, *y, *e;
	if (cx->err)
		return NULL;
	if (++cx->depth > MAX_DEPTH) {
		sl_bind_error(cx, SL_ERR_LIMIT, ((const sl_ast_column_ref *)node)->span,
		              "expression is nested too deeply (more than %d levels)", MAX_DEPTH);
		cx->depth--;
		return NULL;
	}
	e = NULL;
	switch (SL_TAG(node)) {
	case T_sl_ast_column_ref:
		e = bind_column_ref(cx, sc, (const sl_ast_column_ref *)node);
		break;
	case T_sl_ast_literal:
		e = bind_literal(cx, (const sl_ast_literal *)node);
		break;
	case T_sl_ast_unary: {
		const sl_ast_unary *u = (const sl_ast_unary *)node;
		if (!(x = sl_bind_expr(cx, sc, u->arg)))
			break;
		if (u->op == SL_UNOP_NOT) {
			if (need_bool(cx, x, "the operand of NOT"))
				e = call(cx, "NOT", x->type, u->span, 1, &x);
		} else if (u->op == SL_UNOP_PLUS) {
			e = x;
		} else if (!is_numeric_or_null(x->type) && x->type->kind != SL_TYPE_INTERVAL_DT &&
		           x->type->kind != SL_TYPE_INTERVAL_YM) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, u->span, "operator \"-\" cannot be applied to %s",
			              type_str(a, x->type));
		} else if (x->kind == SL_EX_LIT && !x->lit.is_null) {
			e = sl_expr_copy(a, x);
			e->lit.i = -e->lit.i;
			e->lit.d = -e->lit.d;
			e->span = u->span;
		} else {
			e = call(cx, "-", x->type, u->span, 1, &x);
		}
		break;
	}
	case T_sl_ast_binary:
		e = bind_binary(cx, sc, (const sl_ast_binary *)node);
		break;
	case T_sl_ast_is: {
		const sl_ast_is *is = (const sl_ast_is *)node;
		static const char *names[2][4] = {{"IS NULL", "IS TRUE", "IS FALSE", "IS UNKNOWN"},
		                                  {"IS NOT NULL", "IS NOT TRUE", "IS NOT FALSE", "IS NOT UNKNOWN"}};
		if (!(x = sl_bind_expr(cx, sc, is->arg)))
			break;
		if (is->test != SL_IS_NULL && !need_bool(cx, x, "the operand of IS TRUE/FALSE/UNKNOWN"))
			break;
		e = call(cx, names[is->negated][is->test], bool_type(cx, false), is->span, 1, &x);
		break;
	}
	case T_sl_ast_between: {
		const sl_ast_between *b = (const sl_ast_between *)node;
		sl_expr *lo, *hi, *c1, *c2;
		if (!(x = sl_bind_expr(cx, sc, b->arg)) || !(lo = sl_bind_expr(cx, sc, b->low)) ||
		    !(hi = sl_bind_expr(cx, sc, b->high)))
			break;
		if (b->negated) {
			c1 = compare(cx, "<", x, lo, b->span);
			c2 = c1 ? compare(cx, ">", x, hi, b->span) : NULL;
		} else {
			c1 = compare(cx, ">=", x, lo, b->span);
			c2 = c1 ? compare(cx, "<=", x, hi, b->span) : NULL;
		}
		if (!c2)
			break;
		e = call(cx, b->negated ? "OR" : "AND", bool_type(cx, c1->type->nullable || c2->type->nullable),
		         b->span, 2, (sl_expr *[]){c1, c2});
		break;
	}
	case T_sl_ast_in_list: {
		const sl_ast_in_list *in = (const sl_ast_in_list *)node;
		sl_expr **args = SL_ANEWN(a, sl_expr *, in->list.n + 2);
		bool nullable;
		if (!(args[0] = sl_bind_expr(cx, sc, in->arg)))
			break;
		nullable = args[0]->type->nullable;
		for (int i = 0; i < in->list.n; i++) {
			if (!(args[i + 1] = sl_bind_expr(cx, sc, in->list.items[i])))
				goto out;
			if (!op_type(cx, "=", args[0], args[i + 1])) {   /* as x = item */
				sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, args[i + 1]->span,
				              "IN list value of type %s cannot be compared with %s",
				              type_str(a, args[i + 1]->type), type_str(a, args[0]->type));
				goto out;
			}
			nullable |= args[i + 1]->type->nullable;
		}
		e = call(cx, "IN", bool_type(cx, nullable), in->span, in->list.n + 1, args);
		if (in->negated)
			e = call(cx, "NOT", e->type, in->span, 1, &e);
		break;
	}
	case T_sl_ast_like: {
		const sl_ast_like *l = (const sl_ast_like *)node;
		sl_expr *args[3];
		int n = 2;
		if (!(args[0] = sl_bind_expr(cx, sc, l->arg)) || !(args[1] = sl_bind_expr(cx, sc, l->pattern)))
			break;
		if (l->escape) {
			if (!(args[2] = sl_bind_expr(cx, sc, l->escape)))
				break;
			n = 3;
		}
		for (int i = 0; i < n; i++)
			if (!sl_type_is_string(args[i]->type) && args[i]->type->kind != SL_TYPE_NULL) {
				sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, args[i]->span,
				              "LIKE operands must be strings, not %s", type_str(a, args[i]->type));
				goto out;
			}
		e = call(cx, l->similar ? "SIMILAR TO" : "LIKE",
		         bool_type(cx, args[0]->type->nullable || args[1]->type->nullable), l->span, n, args);
		if (l->negated)
			e = call(cx, "NOT", e->type, l->span, 1, &e);
		break;
	}
	case T_sl_ast_case:
		e = bind_case(cx, sc, (const sl_ast_case *)node);
		break;
	case T_sl_ast_cast: {
		const sl_ast_cast *c = (const sl_ast_cast *)node;
		const sl_type *t;
		if (!(x = sl_bind_expr(cx, sc, c->arg)) || !(t = sl_bind_type(cx, c->type)))
			break;
		if (!castable(x->type, t)) {
			sl_bind_error(cx, SL_ERR_INVALID_CAST, c->span, "cannot cast %s to %s", type_str(a, x->type),
			              type_str(a, t));
			break;
		}
		e = sl_expr_cast(a, x, sl_type_with_nullable(a, t, x->type->nullable || c->try_cast));
		e->try_cast = c->try_cast;
		e->span = c->span;
		break;
	}
	case T_sl_ast_extract: {
		const sl_ast_extract *ex = (const sl_ast_extract *)node;
		if (!(x = sl_bind_expr(cx, sc, ex->arg)))
			break;
		if (!sl_type_is_temporal(x->type) && x->type->kind != SL_TYPE_INTERVAL_DT &&
		    x->type->kind != SL_TYPE_INTERVAL_YM) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, ex->span, "cannot EXTRACT from %s",
			              type_str(a, x->type));
			break;
		}
		y = str_lit(cx, unit_str(ex->unit));
		e = call(cx, "EXTRACT", sl_type_with_nullable(a, sl_type_simple(SL_TYPE_BIGINT), x->type->nullable),
		         ex->span, 2, (sl_expr *[]){y, x});
		break;
	}
	case T_sl_ast_trim: {
		const sl_ast_trim *t = (const sl_ast_trim *)node;
		sl_expr *args[2];
		int n = 1;
		if (!(args[0] = sl_bind_expr(cx, sc, t->arg)))
			break;
		if (t->chars) {
			if (!(args[1] = sl_bind_expr(cx, sc, t->chars)))
				break;
			n = 2;
		}
		e = call(cx, t->where == SL_TRIM_LEADING ? "LTRIM" : t->where == SL_TRIM_TRAILING ? "RTRIM" : "TRIM",
		         sl_type_with_nullable(a, sl_type_simple(SL_TYPE_VARCHAR), args[0]->type->nullable),
		         t->span, n, args);
		break;
	}
	case T_sl_ast_floor_ceil: {
		const sl_ast_floor_ceil *f = (const sl_ast_floor_ceil *)node;
		if (!(x = sl_bind_expr(cx, sc, f->arg)))
			break;
		y = str_lit(cx, unit_str(f->unit));
		e = call(cx, f->ceil ? "CEIL" : "FLOOR", no_time_attr(cx, x->type), f->span, 2, (sl_expr *[]){x, y});
		break;
	}
	case T_sl_ast_timestamp_func: {
		const sl_ast_timestamp_func *f = (const sl_ast_timestamp_func *)node;
		if (!(x = sl_bind_expr(cx, sc, f->arg1)) || !(y = sl_bind_expr(cx, sc, f->arg2)))
			break;
		e = call(cx, f->diff ? "TIMESTAMPDIFF" : "TIMESTAMPADD",
		         f->diff ? sl_type_simple(SL_TYPE_INT) : no_time_attr(cx, y->type), f->span, 3,
		         (sl_expr *[]){str_lit(cx, unit_str(f->unit)), x, y});
		break;
	}
	case T_sl_ast_func_call:
		e = bind_func(cx, sc, (const sl_ast_func_call *)node);
		break;
	case T_sl_ast_field_access: {
		const sl_ast_field_access *fa = (const sl_ast_field_access *)node;
		sl_ast_ident_list l = {(sl_ast_ident *)&fa->field, 1, 1};
		if (!(x = sl_bind_expr(cx, sc, fa->arg)))
			break;
		l.items = SL_ANEWN(a, sl_ast_ident, 2);
		l.items[1] = fa->field;
		l.n = 2;
		e = bind_fields(cx, x, &l, 1, "expression");
		break;
	}
	case T_sl_ast_star:
		sl_bind_error(cx, SL_ERR_SYNTAX, ((const sl_ast_star *)node)->span,
		              "\"*\" is only allowed in a SELECT list or COUNT(*)");
		break;
	case T_sl_ast_subquery:
		for (int i = 0; i < cx->nscalar; i++)
			if (cx->scalar_node[i] == (const void *)node) {
				e = sl_expr_col(cx->a, cx->scalar_col[i], cx->scalar_type[i]);
				e->span = aspan(node);
				goto out;
			}
		/* fall through */
	case T_sl_ast_exists:
	case T_sl_ast_in_subquery:
		sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, ((const sl_ast_subquery *)node)->span,
		              "subqueries in expressions are not supported here");
		hint(cx, "%s", "rewrite the subquery as a JOIN in the FROM clause");
		break;
	default:
		sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, ((const sl_ast_subquery *)node)->span,
		              "%s expressions are not supported", sl_ast_node_name(SL_TAG(node)));
		break;
	}
out:
	cx->depth--;
	return cx->err ? NULL : e;
}

/* ---------------------------------------------------------------------
 * Relations
 * ------------------------------------------------------------------- */
static void
set_time_cols(sl_rel *r)
{
	r->rowtime_col = r->proctime_col = -1;
	for (int i = 0; i < r->nfields; i++) {
		if (r->fields[i].type->time_attr == SL_TIME_ATTR_ROWTIME && r->rowtime_col < 0)
			r->rowtime_col = i;
		if (r->fields[i].type->time_attr == SL_TIME_ATTR_PROCTIME && r->proctime_col < 0)
			r->proctime_col = i;
	}
}

static sl_rel *
new_rel(sl_bind_ctx *cx, int tag, int ninputs, int nfields)
{
	sl_rel *r = sl_rel_new(cx->a, tag, ninputs);
	r->nfields = nfields;
	r->fields = SL_ANEWN(cx->a, sl_field, nfields + 1);
	return r;
}

/* A Calc projecting exprs (names) over in, with optional cond. */
static sl_rel *
make_calc(sl_bind_ctx *cx, sl_rel *in, int n, sl_expr **exprs, const char **names, sl_expr *cond)
{
	sl_rel *r = new_rel(cx, T_LCalc, 1, n);
	r->inputs[0] = in;
	r->nexprs = n;
	r->exprs = SL_ANEWN(cx->a, sl_expr *, n + 1);
	for (int i = 0; i < n; i++) {
		r->exprs[i] = exprs[i];
		r->fields[i].name = names[i];
		r->fields[i].type = exprs[i]->type;
		if (exprs[i]->kind == SL_EX_COL) {
			r->fields[i].wprop = in->fields[exprs[i]->col].wprop;
			r->fields[i].window = in->fields[exprs[i]->col].window;
		}
	}
	r->cond = cond;
	set_time_cols(r);
	return r;
}

static sl_rel *
filter(sl_bind_ctx *cx, sl_rel *in, sl_expr *cond)
{
	sl_expr **ex = SL_ANEWN(cx->a, sl_expr *, in->nfields + 1);
	const char **names = SL_ANEWN(cx->a, const char *, in->nfields + 1);
	for (int i = 0; i < in->nfields; i++) {
		ex[i] = sl_expr_col(cx->a, i, in->fields[i].type);
		names[i] = in->fields[i].name;
	}
	return make_calc(cx, in, in->nfields, ex, names, cond);
}

static void
scope_from_rel(sl_bind_ctx *cx, scope *sc, const sl_rel *r, const char *qual)
{
	sc->n = r->nfields;
	sc->cols = SL_ANEWN(cx->a, scope_col, r->nfields + 1);
	for (int i = 0; i < r->nfields; i++) {
		sc->cols[i].qual = qual;
		sc->cols[i].name = r->fields[i].name;
		sc->cols[i].type = r->fields[i].type;
		sc->cols[i].col = i;
	}
}

/* The scan of table t: TableSourceScan -> Calc (computed columns) ->
 * WatermarkAssigner, with the table's columns in declaration order. */
static sl_rel *
bind_table_scan(sl_bind_ctx *cx, const sl_table *t, sl_span span)
{
	int nphys = 0, *map = SL_ANEWN(cx->a, int, t->ncols + 1);
	bool computed = false;
	sl_rel *scan, *r;
	int *cols, *paths;
	for (int i = 0; i < t->ncols; i++) {
		if (t->cols[i].kind == SL_TCOL_COMPUTED) {
			computed = true;
			map[i] = -1;
		} else {
			map[i] = nphys++;
		}
	}
	scan = new_rel(cx, T_LScan, 0, nphys);
	cols = SL_ANEWN(cx->a, int, nphys + 1);
	paths = SL_ANEWN(cx->a, int, nphys + 1);
	for (int i = 0, k = 0; i < t->ncols; i++) {
		if (map[i] < 0)
			continue;
		scan->fields[k].name = t->cols[i].name;
		scan->fields[k].type = i == t->rowtime_col ? no_time_attr(cx, t->cols[i].type) : t->cols[i].type;
		cols[k] = i;
		paths[k] = -1;
		k++;
	}
	scan->table = t;
	scan->scan_cols = cols;
	scan->scan_paths = paths;
	scan->span = span;
	set_time_cols(scan);
	r = scan;
	if (computed) {
		sl_expr **ex = SL_ANEWN(cx->a, sl_expr *, t->ncols + 1);
		const char **names = SL_ANEWN(cx->a, const char *, t->ncols + 1);
		for (int i = 0; i < t->ncols; i++) {
			names[i] = t->cols[i].name;
			if (map[i] >= 0)
				ex[i] = sl_expr_col(cx->a, map[i], i == t->rowtime_col ? no_time_attr(cx, t->cols[i].type)
				                                                       : t->cols[i].type);
			else {
				ex[i] = sl_expr_remap(cx->a, t->cols[i].expr, map);
				ex[i]->type = t->cols[i].type;
				if (i == t->rowtime_col) /* WatermarkAssigner makes it a rowtime */
					ex[i]->type = no_time_attr(cx, ex[i]->type);
			}
		}
		r = make_calc(cx, scan, t->ncols, ex, names, NULL);
	}
	if (t->watermark) {
		sl_rel *w = new_rel(cx, T_LWatermarkAssigner, 1, r->nfields);
		w->inputs[0] = r;
		for (int i = 0; i < r->nfields; i++)
			w->fields[i] = r->fields[i];
		w->fields[t->rowtime_col].type = t->cols[t->rowtime_col].type;
		w->cond = t->watermark;
		set_time_cols(w);
		w->rowtime_col = t->rowtime_col;
		r = w;
	}
	return r;
}

typedef struct from_result {
	sl_rel *rel;
	scope sc;
	bool is_tvf;              /* a window TVF directly */
	const sl_ast_expr *system_time; /* TableRef FOR SYSTEM_TIME AS OF */
} from_result;

static bool bind_from_item(sl_bind_ctx *cx, const sl_ast_from_item *f, from_result *out);

static const char *
alias_name(const sl_ast_alias *al, const char *dflt)
{
	return al && al->name.name ? al->name.name : dflt;
}

static bool
apply_alias_columns(sl_bind_ctx *cx, from_result *out, const sl_ast_alias *al)
{
	if (!al || al->columns.n == 0)
		return true;
	if (al->columns.n != out->rel->nfields) {
		sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, al->span,
		              "alias \"%s\" lists %d column names but the relation has %d columns", al->name.name,
		              al->columns.n, out->rel->nfields);
		return false;
	}
	{
		const char **names = SL_ANEWN(cx->a, const char *, al->columns.n + 1);
		sl_expr **ex = SL_ANEWN(cx->a, sl_expr *, al->columns.n + 1);
		for (int i = 0; i < al->columns.n; i++) {
			names[i] = al->columns.items[i].name;
			ex[i] = sl_expr_col(cx->a, i, out->rel->fields[i].type);
		}
		out->rel = make_calc(cx, out->rel, al->columns.n, ex, names, NULL);
	}
	return true;
}

/* A named relation: CTE, view or table. */
static bool
bind_named(sl_bind_ctx *cx, const sl_ast_ident_list *name, sl_span span, const sl_ast_alias *al,
           from_result *out)
{
	const char *n = name->items[name->n - 1].name;
	const sl_table *t;
	const sl_view *v;
	for (size_t i = cx->ctes.n; i-- > 0;)
		if (strcmp(cx->ctes.v[i].name, n) == 0) {
			const sl_ast_cte *cte = cx->ctes.v[i].cte;
			size_t saved = cx->ctes.n;
			cx->ctes.n = i; /* a CTE sees only the ones before it */
			out->rel = sl_bind_query(cx, cte->query);
			cx->ctes.n = saved;
			if (!out->rel)
				return false;
			if (cte->columns.n) {
				sl_ast_alias tmp = {0};
				tmp.columns = cte->columns;
				tmp.name = cte->name;
				tmp.span = cte->span;
				if (!apply_alias_columns(cx, out, &tmp))
					return false;
			}
			goto done;
		}
	if ((v = sl_catalog_view(cx->cat, n))) {
		if (++cx->depth > 64) {
			sl_bind_error(cx, SL_ERR_LIMIT, span, "views nest too deeply (is view \"%s\" recursive?)", n);
			return false;
		}
		out->rel = sl_bind_query(cx, v->query);
		cx->depth--;
		if (!out->rel)
			return false;
		goto done;
	}
	if ((t = sl_catalog_table(cx->cat, n))) {
		out->rel = bind_table_scan(cx, t, span);
		goto done;
	}
	{
		const char **cands = SL_ANEWN(cx->a, const char *, cx->cat->tables.n + cx->cat->views.n + cx->ctes.n + 1);
		size_t k = 0;
		const char *near;
		for (size_t i = 0; i < cx->cat->tables.n; i++)
			cands[k++] = cx->cat->tables.v[i]->name;
		for (size_t i = 0; i < cx->cat->views.n; i++)
			cands[k++] = cx->cat->views.v[i]->name;
		for (size_t i = 0; i < cx->ctes.n; i++)
			cands[k++] = cx->ctes.v[i].name;
		sl_bind_error(cx, SL_ERR_UNDEFINED_TABLE, span, "table or view \"%s\" does not exist", n);
		near = sl_suggest(n, cands, k);
		if (near)
			hint(cx, "did you mean \"%s\"?", near);
		return false;
	}
done:
	if (!apply_alias_columns(cx, out, al))
		return false;
	scope_from_rel(cx, &out->sc, out->rel, alias_name(al, n));
	return true;
}

static int64_t
interval_arg(sl_bind_ctx *cx, const sl_ast_expr *e, const char *what, const scope *sc)
{
	sl_expr *x = sl_bind_expr(cx, sc, e);
	if (!x)
		return -1;
	if (x->kind != SL_EX_LIT || x->type->kind != SL_TYPE_INTERVAL_DT || x->lit.i <= 0) {
		sl_bind_error(cx, SL_ERR_WINDOWING, x->span, "the %s of a window must be a positive INTERVAL literal",
		              what);
		hint(cx, "%s", "for example INTERVAL '10' SECOND");
		return -1;
	}
	return x->lit.i;
}

/* Check that c (a column of sc) is a time attribute; error otherwise. */
static bool
need_time_attr(sl_bind_ctx *cx, const sl_type *t, const char *name, sl_span span)
{
	if (t->time_attr != SL_TIME_ATTR_NONE)
		return true;
	sl_bind_error(cx, SL_ERR_TIME_ATTRIBUTE, span,
	              "windowing on a non-time attribute: column \"%s\" is not a time attribute", name);
	hint(cx, "%s", "declare a rowtime with WATERMARK FOR col AS ..., or a proctime with col AS PROCTIME(); "
	               "a time attribute does not survive a regular join or GROUP BY");
	return false;
}

static const sl_type *
window_time_type(sl_bind_ctx *cx, const sl_type *tt)
{
	const sl_type *t = notnull(cx, sl_type_new_timestamp(cx->a, tt->kind, 3));
	return sl_type_with_time_attr(cx->a, t, tt->time_attr);
}

/* FROM TABLE(TUMBLE|HOP|CUMULATE|SESSION(TABLE t, DESCRIPTOR(c), ...)) */
static bool
bind_tvf(sl_bind_ctx *cx, const sl_ast_table_func_ref *tf, from_result *out)
{
	const sl_ast_func_call *fc = tf->call;
	const char *fname = upper(cx, fc->name.items[fc->name.n - 1].name);
	sl_window *w = SL_ANEW(cx->a, sl_window);
	const sl_ast_expr *targ = NULL, *desc = NULL, *iv[3] = {0};
	int niv = 0;
	from_result in = {0};
	sl_rel *r;
	int n;

	if (strcmp(fname, "TUMBLE") == 0) w->kind = SL_WIN_TUMBLE;
	else if (strcmp(fname, "HOP") == 0) w->kind = SL_WIN_HOP;
	else if (strcmp(fname, "CUMULATE") == 0) w->kind = SL_WIN_CUMULATE;
	else if (strcmp(fname, "SESSION") == 0) w->kind = SL_WIN_SESSION;
	else {
		static const char *tvfs[] = {"TUMBLE", "HOP", "CUMULATE", "SESSION"};
		const char *near = sl_suggest(fname, tvfs, 4);
		sl_bind_error(cx, SL_ERR_UNDEFINED_FUNCTION, fc->span, "table function \"%s\" does not exist",
		              fc->name.items[fc->name.n - 1].name);
		if (near)
			hint(cx, "did you mean \"%s\"?", near);
		return false;
	}
	for (int i = 0; i < fc->args.n; i++) {
		const sl_ast_expr *arg = fc->args.items[i];
		if (SL_IS_A(arg, sl_ast_named_arg))
			arg = ((const sl_ast_named_arg *)arg)->value;
		if (SL_IS_A(arg, sl_ast_table_arg))
			targ = arg;
		else if (SL_IS_A(arg, sl_ast_descriptor))
			desc = arg;
		else if (niv < 3)
			iv[niv++] = arg;
	}
	if (!targ || !desc) {
		sl_bind_error(cx, SL_ERR_WINDOWING, fc->span,
		              "window function %s needs TABLE t and DESCRIPTOR(time_col) arguments", fname);
		return false;
	}
	{
		const sl_ast_table_arg *ta = (const sl_ast_table_arg *)targ;
		if (!bind_named(cx, &ta->name, ta->span, NULL, &in))
			return false;
		if (ta->partition_by.n > 0) {
			int *part = SL_ANEWN(cx->a, int, ta->partition_by.n);
			for (int i = 0; i < ta->partition_by.n; i++) {
				sl_expr *pe = sl_bind_expr(cx, &in.sc, ta->partition_by.items[i]);
				if (!pe)
					return false;
				if (pe->kind != SL_EX_COL) {
					sl_bind_error(cx, SL_ERR_WINDOWING, pe->span, "PARTITION BY of a window must name columns");
					return false;
				}
				part[i] = pe->col;
			}
			w->npart = ta->partition_by.n;
			w->part = part;
		}
	}
	{
		const sl_ast_descriptor *d = (const sl_ast_descriptor *)desc;
		sl_ast_column_ref ref = {0};
		sl_expr *tc;
		if (d->columns.n != 1) {
			sl_bind_error(cx, SL_ERR_WINDOWING, d->span, "DESCRIPTOR must name exactly one time attribute column");
			return false;
		}
		ref.tag = T_sl_ast_column_ref;
		ref.span = d->columns.items[0].span;
		ref.names = d->columns;
		if (!(tc = bind_column_ref(cx, &in.sc, &ref)))
			return false;
		if (!need_time_attr(cx, tc->type, d->columns.items[0].name, d->columns.items[0].span))
			return false;
		w->time_col = tc->col;
		w->time_kind = tc->type->time_attr;
	}
	switch (w->kind) {
	case SL_WIN_TUMBLE:
		if (niv < 1) goto nargs;
		if ((w->size_us = interval_arg(cx, iv[0], "size", &in.sc)) < 0) return false;
		if (niv > 1 && (w->offset_us = interval_arg(cx, iv[1], "offset", &in.sc)) < 0) return false;
		break;
	case SL_WIN_HOP:
	case SL_WIN_CUMULATE:
		if (niv < 2) goto nargs;
		if ((w->slide_us = interval_arg(cx, iv[0], w->kind == SL_WIN_HOP ? "slide" : "step", &in.sc)) < 0)
			return false;
		if ((w->size_us = interval_arg(cx, iv[1], "size", &in.sc)) < 0) return false;
		if (w->size_us % w->slide_us != 0) {
			sl_bind_error(cx, SL_ERR_WINDOWING, fc->span,
			              "the size of a %s window must be a multiple of its %s", fname,
			              w->kind == SL_WIN_HOP ? "slide" : "step");
			return false;
		}
		break;
	case SL_WIN_SESSION:
		if (niv < 1) goto nargs;
		if ((w->gap_us = interval_arg(cx, iv[0], "gap", &in.sc)) < 0) return false;
		break;
	default:
		break;
	}
	n = in.rel->nfields;
	r = new_rel(cx, T_LWindowTableFunction, 1, n + 3);
	r->inputs[0] = in.rel;
	r->window = *w;
	for (int i = 0; i < n; i++) {
		r->fields[i] = in.rel->fields[i];
		if (i == w->time_col) /* the descriptor column loses its time attribute */
			r->fields[i].type = no_time_attr(cx, r->fields[i].type);
	}
	r->fields[n].name = "window_start";
	r->fields[n].type = notnull(cx, sl_type_new_timestamp(cx->a, SL_TYPE_TIMESTAMP, 3));
	r->fields[n + 1].name = "window_end";
	r->fields[n + 1].type = r->fields[n].type;
	r->fields[n + 2].name = "window_time";
	r->fields[n + 2].type = window_time_type(cx, in.rel->fields[w->time_col].type);
	for (int i = 0; i < 3; i++) {
		r->fields[n + i].wprop = 1 + i;
		r->fields[n + i].window = &r->window;
	}
	set_time_cols(r);
	out->rel = r;
	out->is_tvf = true;
	if (!apply_alias_columns(cx, out, tf->alias))
		return false;
	scope_from_rel(cx, &out->sc, out->rel, alias_name(tf->alias, NULL));
	return true;
nargs:
	sl_bind_error(cx, SL_ERR_WINDOWING, fc->span, "window function %s is missing its interval argument(s)",
	              fname);
	return false;
}

/* ---------------------------------------------------------------------
 * Joins
 * ------------------------------------------------------------------- */
static bool
side_of(const sl_expr *e, int nl, int *side)
{
	/* side: 0 none, 1 left only, 2 right only, 3 both */
	if (e->kind == SL_EX_COL) {
		*side |= e->col < nl ? 1 : 2;
		return true;
	}
	for (int i = 0; i < e->nargs; i++)
		side_of(e->args[i], nl, side);
	return true;
}

/* col [+/- interval literal] -> (col, offset); false otherwise */
static bool
time_term(const sl_expr *e, int *col, int64_t *off)
{
	if (e->kind == SL_EX_COL) {
		*col = e->col;
		*off = 0;
		return true;
	}
	if (e->kind == SL_EX_CALL && e->nargs == 2 && (strcmp(e->name, "+") == 0 || strcmp(e->name, "-") == 0) &&
	    e->args[0]->kind == SL_EX_COL && e->args[1]->kind == SL_EX_LIT &&
	    e->args[1]->type->kind == SL_TYPE_INTERVAL_DT) {
		*col = e->args[0]->col;
		*off = e->name[0] == '+' ? e->args[1]->lit.i : -e->args[1]->lit.i;
		return true;
	}
	return false;
}

/*
 * The interval of an interval join: the conjuncts conds[0..n) of the form
 * l.t [+ d] OP r.t [+ d] (OP one of < <= > >=) on left column lc and right
 * column rc (right-relative; nl left columns) bound l.t - r.t to
 * [*lo, *hi]. used[i] marks the conjuncts consumed (only the first 64 are
 * looked at). false when no finite, non-empty interval results.
 */
static bool
interval_bounds(sl_expr *const *conds, size_t n, int nl, int lc, int rc, int64_t *lo, int64_t *hi,
                bool used[64])
{
	*lo = INT64_MIN;
	*hi = INT64_MAX;
	memset(used, 0, 64 * sizeof *used);
	for (size_t i = 0; i < n && i < 64; i++) {
		sl_expr *c = conds[i];
		int ca, cb;
		int64_t oa, ob;
		const char *op;
		if (c->kind != SL_EX_CALL || c->nargs != 2)
			continue;
		op = c->name;
		if (strcmp(op, "<") && strcmp(op, "<=") && strcmp(op, ">") && strcmp(op, ">="))
			continue;
		if (!time_term(c->args[0], &ca, &oa) || !time_term(c->args[1], &cb, &ob))
			continue;
		/* normalise to l.t OP r.t + d */
		if (ca >= nl && cb < nl) {
			int t = ca;
			int64_t to = oa;
			ca = cb; cb = t; oa = ob; ob = to;
			op = op[0] == '<' ? (op[1] ? ">=" : ">") : (op[1] ? "<=" : "<");
		}
		if (!(ca < nl && cb >= nl))
			continue;
		if (ca != lc || cb - nl != rc)
			continue;
		/* l.t + oa OP r.t + ob  ->  l.t - r.t OP ob - oa */
		if (op[0] == '>')
			*lo = SL_MAX(*lo, ob - oa + (op[1] ? 0 : 1));
		else
			*hi = SL_MIN(*hi, ob - oa - (op[1] ? 0 : 1));
		used[i] = true;
	}
	return *lo != INT64_MIN && *hi != INT64_MAX && *lo <= *hi;
}

/* Does r read (through Calcs and a watermark) a table with a primary key? */
static bool
has_pk_scan(const sl_rel *r)
{
	while (r && r->ninputs == 1 && (SL_IS_A(r, LCalc) || SL_IS_A(r, LWatermarkAssigner)))
		r = r->inputs[0];
	return r && SL_IS_A(r, LScan) && r->table->npk > 0;
}

static int
shift_map_id(int c)
{
	return c;
}

/*
 * Build a join of left and right with the conjuncts conds (over left ++
 * right): equi-conjuncts become keys, single-side conjuncts of an inner
 * join are pushed into the inputs, and the kind is recognised: interval
 * join (bounds on both rowtimes), window join (equal window_start and
 * window_end), temporal/lookup join (FOR SYSTEM_TIME AS OF), else regular.
 */
static sl_rel *make_join_cols(sl_bind_ctx *cx, sl_rel *left, sl_rel *right, sl_join_type jt,
                              sl_expr **conds, size_t nconds, int temporal_col, sl_span span);
static bool join_key_types_match(const sl_type *a, const sl_type *b);

/* Append exprs to r as computed columns (an identity Calc plus extras). */
static sl_rel *
append_cols(sl_bind_ctx *cx, sl_rel *r, sl_expr_vec *extra)
{
	int n = r->nfields + (int)extra->n;
	sl_expr **ex = SL_ANEWN(cx->a, sl_expr *, n + 1);
	const char **names = SL_ANEWN(cx->a, const char *, n + 1);
	for (int i = 0; i < r->nfields; i++) {
		ex[i] = sl_expr_col(cx->a, i, r->fields[i].type);
		names[i] = r->fields[i].name;
	}
	for (size_t i = 0; i < extra->n; i++) {
		ex[r->nfields + i] = extra->v[i];
		names[r->nfields + i] = sl_arena_printf(cx->a, "$f%d", r->nfields + (int)i);
	}
	return make_calc(cx, r, n, ex, names, NULL);
}

/*
 * Equalities between an expression of the left and one of the right
 * (mod(B.auction, 10000) = S.key) become key columns: the expressions are
 * computed by a Calc below the join and projected away above it.
 */
static sl_rel *
make_join(sl_bind_ctx *cx, sl_rel *left, sl_rel *right, sl_join_type jt, sl_expr **conds, size_t nconds,
          int temporal_col, sl_span span)
{
	int nl = left->nfields, nr = right->nfields;
	sl_expr_vec le = {0}, re = {0};
	sl_expr **nc;
	int *map, nl2, nr2;
	sl_rel *j, *l2 = left, *r2 = right;
	int *lpos = SL_ANEWN(cx->a, int, nconds + 1), *rpos = SL_ANEWN(cx->a, int, nconds + 1);
	for (size_t i = 0; i < nconds; i++) {
		sl_expr *c = conds[i];
		int sa = 0, sb = 0;
		lpos[i] = rpos[i] = -1;
		if (c->kind != SL_EX_CALL || strcmp(c->name, "=") != 0 || c->nargs != 2)
			continue;
		if (c->args[0]->kind == SL_EX_COL && c->args[1]->kind == SL_EX_COL &&
		    join_key_types_match(c->args[0]->type, c->args[1]->type))
			continue;
		side_of(c->args[0], nl, &sa);
		side_of(c->args[1], nl, &sb);
		if (sa == 1 && sb == 2) {
			lpos[i] = (int)le.n; sl_vec_push(&le, c->args[0]);
			rpos[i] = (int)re.n; sl_vec_push(&re, c->args[1]);
		} else if (sa == 2 && sb == 1) {
			lpos[i] = (int)le.n; sl_vec_push(&le, c->args[1]);
			rpos[i] = (int)re.n; sl_vec_push(&re, c->args[0]);
		}
	}
	/* Both keys of a pair must encode alike (runtime/key.h): as Flink
	 * does, cast them to their common type (INT = BIGINT joins on BIGINT),
	 * computed below the join like expression keys. */
	for (size_t i = 0; i < le.n; i++) {
		const sl_type *lt = le.v[i]->type, *rt = re.v[i]->type, *ct;
		if (join_key_types_match(lt, rt) || !(ct = sl_type_common_super(cx->a, lt, rt)))
			continue;
		ct = no_time_attr(cx, ct);
		if (!join_key_types_match(lt, ct))
			le.v[i] = sl_expr_cast(cx->a, le.v[i], sl_type_with_nullable(cx->a, ct, lt->nullable));
		if (!join_key_types_match(rt, ct))
			re.v[i] = sl_expr_cast(cx->a, re.v[i], sl_type_with_nullable(cx->a, ct, rt->nullable));
	}
	if (le.n == 0)
		return make_join_cols(cx, left, right, jt, conds, nconds, temporal_col, span);
	/* right-side expressions are over right columns only */
	map = SL_ANEWN(cx->a, int, nl + nr + 1);
	for (int i = 0; i < nl + nr; i++)
		map[i] = i < nl ? -1 : i - nl;
	for (size_t i = 0; i < re.n; i++)
		re.v[i] = re.v[i]->kind == SL_EX_COL ? re.v[i] : sl_expr_remap(cx->a, re.v[i], map);
	{
		/* keep plain columns as they are */
		sl_expr_vec le2 = {0}, re2 = {0};
		int *lcol = SL_ANEWN(cx->a, int, le.n + 1), *rcol = SL_ANEWN(cx->a, int, re.n + 1);
		for (size_t i = 0; i < le.n; i++) {
			if (le.v[i]->kind == SL_EX_COL)
				lcol[i] = le.v[i]->col;
			else {
				lcol[i] = nl + (int)le2.n;
				sl_vec_push(&le2, le.v[i]);
			}
			if (re.v[i]->kind == SL_EX_COL)
				rcol[i] = re.v[i]->col - nl;
			else {
				rcol[i] = nr + (int)re2.n;
				sl_vec_push(&re2, re.v[i]);
			}
		}
		if (le2.n)
			l2 = append_cols(cx, left, &le2);
		if (re2.n)
			r2 = append_cols(cx, right, &re2);
		nl2 = l2->nfields;
		nr2 = r2->nfields;
		map = SL_ANEWN(cx->a, int, nl + nr + 1);
		for (int i = 0; i < nl + nr; i++)
			map[i] = i < nl ? i : i - nl + nl2;
		nc = SL_ANEWN(cx->a, sl_expr *, nconds + 1);
		for (size_t i = 0; i < nconds; i++) {
			if (lpos[i] >= 0) {
				int lc = lcol[lpos[i]], rc = nl2 + rcol[rpos[i]];
				nc[i] = sl_expr_call2(cx->a, "=", conds[i]->type, sl_expr_col(cx->a, lc, l2->fields[lc].type),
				                      sl_expr_col(cx->a, rc, r2->fields[rc - nl2].type));
			} else {
				nc[i] = sl_expr_remap(cx->a, conds[i], map);
			}
		}
		sl_vec_free(&le2);
		sl_vec_free(&re2);
	}
	sl_vec_free(&le);
	sl_vec_free(&re);
	j = make_join_cols(cx, l2, r2, jt, nc, nconds, temporal_col, span);
	if (!j || (nl2 == nl && nr2 == nr))
		return j;
	if (jt == SL_JT_SEMI || jt == SL_JT_ANTI)
		nr = 0;
	{
		sl_expr **ex = SL_ANEWN(cx->a, sl_expr *, nl + nr + 1);
		const char **names = SL_ANEWN(cx->a, const char *, nl + nr + 1);
		for (int i = 0; i < nl + nr; i++) {
			int c = i < nl ? i : i - nl + nl2;
			ex[i] = sl_expr_col(cx->a, c, j->fields[c].type);
			names[i] = j->fields[c].name;
		}
		return make_calc(cx, j, nl + nr, ex, names, NULL);
	}
}

/* Do values of types a and b have the same runtime/key.h encoding? */
static bool
join_key_types_match(const sl_type *a, const sl_type *b)
{
	if (sl_type_is_string(a) && sl_type_is_string(b))
		return true;
	if (a->kind != b->kind)
		return false;
	if (a->kind == SL_TYPE_DECIMAL)
		return a->scale == b->scale;
	if (a->kind == SL_TYPE_ROW || a->kind == SL_TYPE_ARRAY || a->kind == SL_TYPE_MAP)
		return sl_type_equal(a, b);
	return true;
}

static sl_rel *
make_join_cols(sl_bind_ctx *cx, sl_rel *left, sl_rel *right, sl_join_type jt, sl_expr **conds, size_t nconds,
               int temporal_col, sl_span span)
{
	int nl = left->nfields, nr = right->nfields;
	sl_expr_vec lf = {0}, rf = {0}, rest = {0};
	SL_VEC(int) lk = {0};
	SL_VEC(int) rk = {0};
	sl_rel *j;
	int *rmap = SL_ANEWN(cx->a, int, nl + nr + 1);
	(void)shift_map_id;

	for (int i = 0; i < nl + nr; i++)
		rmap[i] = i >= nl ? i - nl : -1;
	for (size_t i = 0; i < nconds; i++) {
		sl_expr *c = conds[i];
		int side = 0;
		side_of(c, nl, &side);
		if (c->kind == SL_EX_CALL && strcmp(c->name, "=") == 0 && c->args[0]->kind == SL_EX_COL &&
		    c->args[1]->kind == SL_EX_COL) {
			int a = c->args[0]->col, b = c->args[1]->col;
			if (a >= nl && b < nl) {
				int t = a;
				a = b;
				b = t;
			}
			/* a join key pair must encode alike (runtime/key.h: the
			 * exchange routes and the state is keyed by the bytes);
			 * INT = BIGINT stays a residual condition */
			if (a < nl && b >= nl && join_key_types_match(left->fields[a].type, right->fields[b - nl].type)) {
				sl_vec_push(&lk, a);
				sl_vec_push(&rk, b - nl);
				continue;
			}
		}
		/* single-side conjuncts go below the join where that keeps the
		 * semantics: the left side of inner/semi joins, the right side
		 * of inner, semi, anti and left outer joins (ON conditions) */
		if ((jt == SL_JT_INNER || jt == SL_JT_SEMI) && side == 1) {
			sl_vec_push(&lf, c);
			continue;
		}
		if ((jt == SL_JT_INNER || jt == SL_JT_SEMI || jt == SL_JT_ANTI || jt == SL_JT_LEFT) && side == 2) {
			sl_vec_push(&rf, sl_expr_remap(cx->a, c, rmap));
			continue;
		}
		sl_vec_push(&rest, c);
	}
	if (lf.n)
		left = filter(cx, left, sl_expr_and(cx->a, lf.v, lf.n));
	if (rf.n)
		right = filter(cx, right, sl_expr_and(cx->a, rf.v, rf.n));
	j = new_rel(cx, T_LJoin, 2, nl + nr);
	/* fields holds both sides while the join is built; a semi/anti join
	 * outputs the left columns only (nfields is cut below) */
	j->inputs[0] = left;
	j->inputs[1] = right;
	j->join_type = jt;
	j->span = span;
	j->impl = T_PJoin;
	j->left_time_col = j->right_time_col = -1;
	j->win_start_col = j->win_end_col = j->rwin_start_col = j->rwin_end_col = -1;
	for (int i = 0; i < nl; i++)
		j->fields[i] = left->fields[i];
	for (int i = 0; i < nr; i++) {
		/* unique output names, as Flink prints them (dateTime, dateTime0) */
		const char *nm = right->fields[i].name;
		j->fields[nl + i] = right->fields[i];
		for (int k = 0;; k++) {
			bool clash = false;
			for (int m = 0; m < nl + i && !clash; m++)
				clash = strcmp(j->fields[m].name, nm) == 0;
			if (!clash)
				break;
			nm = sl_arena_printf(cx->a, "%s%d", right->fields[i].name, k);
		}
		j->fields[nl + i].name = nm;
	}

	/* window join: window_start = window_start and window_end = window_end */
	{
		int ws = -1, we = -1;
		for (size_t i = 0; i < lk.n; i++) {
			const sl_field *a = &left->fields[lk.v[i]], *b = &right->fields[rk.v[i]];
			if (a->wprop == 1 + SL_WPROP_START && b->wprop == 1 + SL_WPROP_START)
				ws = (int)i;
			if (a->wprop == 1 + SL_WPROP_END && b->wprop == 1 + SL_WPROP_END)
				we = (int)i;
		}
		if (ws >= 0 && we >= 0 && jt != SL_JT_SEMI && jt != SL_JT_ANTI && temporal_col < 0) {
			const sl_window *lw = left->fields[lk.v[ws]].window, *rw = right->fields[rk.v[ws]].window;
			size_t k = 0;
			if (lw && rw && (lw->kind != rw->kind || lw->size_us != rw->size_us || lw->slide_us != rw->slide_us ||
			                 lw->gap_us != rw->gap_us || lw->offset_us != rw->offset_us)) {
				sl_bind_error(cx, SL_ERR_WINDOWING, span,
				              "a window join needs the same window on both sides");
				hint(cx, "%s", "use the same window function and intervals for both inputs");
				goto fail;
			}
			j->impl = T_PWindowJoin;
			j->window = *left->fields[lk.v[ws]].window;
			j->window.time_col = -1;
			j->win_start_col = lk.v[ws];
			j->win_end_col = lk.v[we];
			j->rwin_start_col = rk.v[ws];
			j->rwin_end_col = rk.v[we];
			for (size_t i = 0; i < lk.n; i++)
				if ((int)i != ws && (int)i != we) {
					lk.v[k] = lk.v[i];
					rk.v[k] = rk.v[i];
					k++;
				}
			lk.n = rk.n = k;
		}
	}
	/* interval join: l.t >= r.t + a AND l.t <= r.t + b on two rowtimes or,
	 * failing that, on two proctimes (Flink: both time attributes of one
	 * kind; a mix stays a regular join) */
	if (j->impl == T_PJoin && temporal_col < 0) {
		for (int kind = 0; kind < 2 && j->impl == T_PJoin; kind++) {
			int lc = kind == 0 ? left->rowtime_col : left->proctime_col;
			int rc = kind == 0 ? right->rowtime_col : right->proctime_col;
			int64_t lo, hi;
			bool used[64];
			size_t k = 0;
			if (lc < 0 || rc < 0 || !interval_bounds(rest.v, rest.n, nl, lc, rc, &lo, &hi, used))
				continue;
			j->impl = T_PIntervalJoin;
			j->left_time_col = lc;
			j->right_time_col = rc;
			/* l.t BETWEEN r.t + lo AND r.t + hi: stored as r.t - l.t in [-hi, -lo] */
			j->lower_us = -hi;
			j->upper_us = -lo;
			for (size_t i = 0; i < rest.n; i++)
				if (i >= 64 || !used[i])
					rest.v[k++] = rest.v[i];
			rest.n = k;
			/* a processing-time interval join emits rows whenever they
			 * meet, unrelated to any watermark: rowtimes are plain values */
			if (kind == 1)
				for (int i = 0; i < nl + nr; i++)
					if (j->fields[i].type->time_attr == SL_TIME_ATTR_ROWTIME)
						j->fields[i].type = no_time_attr(cx, j->fields[i].type);
		}
	}
	if (temporal_col >= 0) {
		const sl_type *tt = left->fields[temporal_col].type;
		j->impl = tt->time_attr == SL_TIME_ATTR_PROCTIME ? T_PLookupJoin : T_PTemporalJoin;
		j->left_time_col = temporal_col;
		if (lk.n == 0) {
			sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, span,
			              "a temporal join needs an equality condition on the versioned table's key");
			goto fail;
		}
		if (j->impl == T_PTemporalJoin && !has_pk_scan(right)) {
			sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, span,
			              "an event-time temporal join needs a versioned table: a table with a PRIMARY KEY");
			hint(cx, "%s", "declare PRIMARY KEY (...) NOT ENFORCED on the table after FOR SYSTEM_TIME AS OF");
			goto fail;
		}
		if (j->impl == T_PTemporalJoin && right->rowtime_col < 0) {
			sl_bind_error(cx, SL_ERR_TIME_ATTRIBUTE, span,
			              "an event-time temporal join needs a versioned table with a rowtime attribute");
			goto fail;
		}
	}
	/* a regular join materializes time attributes */
	if (j->impl == T_PJoin) {
		for (int i = 0; i < nl + nr; i++)
			j->fields[i].type = no_time_attr(cx, j->fields[i].type);
	}
	if (j->impl == T_PLookupJoin || j->impl == T_PTemporalJoin)
		for (int i = nl; i < nl + nr; i++)
			j->fields[i].type = no_time_attr(cx, j->fields[i].type);
	if (j->impl != T_PWindowJoin)
		for (int i = 0; i < nl + nr; i++) {
			if (j->impl == T_PJoin) {
				j->fields[i].wprop = 0;
				j->fields[i].window = NULL;
			}
		}
	j->nkeys = j->nrkeys = (int)lk.n;
	j->keys = SL_ANEWN(cx->a, int, lk.n + 1);
	j->rkeys = SL_ANEWN(cx->a, int, lk.n + 1);
	if (lk.n) {
		memcpy((int *)j->keys, lk.v, sizeof(int) * lk.n);
		memcpy((int *)j->rkeys, rk.v, sizeof(int) * lk.n);
	}
	j->cond = sl_expr_and(cx->a, rest.v, rest.n);
	if (j->cond && rest.n > 1) {
		sl_expr **v = SL_ANEWN(cx->a, sl_expr *, rest.n);
		memcpy(v, rest.v, sizeof *v * rest.n);
		j->cond = sl_expr_and(cx->a, v, rest.n);
	}
	if (jt == SL_JT_SEMI || jt == SL_JT_ANTI)
		j->nfields = nl;
	set_time_cols(j);
	sl_vec_free(&lf);
	sl_vec_free(&rf);
	sl_vec_free(&rest);
	sl_vec_free(&lk);
	sl_vec_free(&rk);
	return j;
fail:
	sl_vec_free(&lf);
	sl_vec_free(&rf);
	sl_vec_free(&rest);
	sl_vec_free(&lk);
	sl_vec_free(&rk);
	return NULL;
}

static void
scope_concat(sl_bind_ctx *cx, scope *out, const scope *l, const scope *r, int nl)
{
	out->n = l->n + r->n;
	out->cols = SL_ANEWN(cx->a, scope_col, out->n + 1);
	memcpy(out->cols, l->cols, sizeof *out->cols * (size_t)l->n);
	for (int i = 0; i < r->n; i++) {
		out->cols[l->n + i] = r->cols[i];
		out->cols[l->n + i].col += nl;
	}
}

static void
scope_refresh(scope *sc, const sl_rel *r)
{
	for (int i = 0; i < sc->n; i++)
		if (sc->cols[i].col < r->nfields)
			sc->cols[i].type = r->fields[sc->cols[i].col].type;
}

/* Is tf a call of a C table function (not a window TVF)? */
static bool
is_udf_table_call(sl_bind_ctx *cx, const sl_ast_from_item *f)
{
	const sl_ast_func_call *fc;
	const sl_udf_entry *ue;
	const char *name;
	if (!SL_IS_A(f, sl_ast_table_func_ref))
		return false;
	fc = ((const sl_ast_table_func_ref *)f)->call;
	name = fc->name.items[fc->name.n - 1].name;
	if (!sl_catalog_function(cx->cat, name))
		return false;
	ue = sl_udf_lookup(cx->cat->udfs, name);
	return ue && ue->nfns > 0 && ue->fns[0]->kind == SLUICE_UDF_TABLE;
}

/*
 * left, LATERAL TABLE(f(args)) [AS] alias(cols): a Correlate over left.
 * The arguments are bound in left's scope (they may reference its
 * columns) and cast to the resolved overload's parameters; arguments that
 * are not plain columns are computed by a Calc appended below, whose
 * extra columns stay in the row but not in the scope. jt is INNER (comma,
 * CROSS JOIN, JOIN ... ON TRUE) or LEFT (LEFT JOIN ... ON TRUE: an input
 * row the function gives no rows for is kept with NULLs).
 */
static bool
bind_correlate(sl_bind_ctx *cx, from_result *left, const sl_ast_table_func_ref *tf,
               sl_join_type jt, from_result *out)
{
	const sl_ast_func_call *fc = tf->call;
	const char *name = fc->name.items[fc->name.n - 1].name;
	const sl_function *cf = sl_catalog_function(cx->cat, name);
	int nargs = fc->args.n, nin, nf;
	sl_expr **args = SL_ANEWN(cx->a, sl_expr *, nargs + 1);
	const sl_type **at = SL_ANEWN(cx->a, const sl_type *, nargs + 1);
	int *acols = SL_ANEWN(cx->a, int, nargs + 1);
	const char *saved = cx->clause;
	const char *qual;
	const sl_udf_fn *fn;
	const sl_type *row;
	sl_error *ue = NULL;
	sl_rel *in = left->rel, *r;
	bool calc = false;
	if (fc->distinct || fc->filter || fc->star || fc->over) {
		sl_bind_error(cx, SL_ERR_SYNTAX, fc->span,
		              "DISTINCT, FILTER, * and OVER are not allowed in a table function call");
		return false;
	}
	cx->clause = "LATERAL TABLE";
	for (int i = 0; i < nargs; i++) {
		if (!(args[i] = sl_bind_expr(cx, &left->sc, fc->args.items[i]))) {
			cx->clause = saved;
			return false;
		}
		at[i] = args[i]->type;
	}
	cx->clause = saved;
	if (!(fn = sl_udf_resolve(cx->cat->udfs, name, at, nargs, &ue))) {
		ue->span = fc->span;
		sl_error_free(ue->next);
		ue->next = NULL;
		if (!cx->err)
			cx->err = ue;
		else
			sl_error_free(ue);
		return false;
	}
	for (int i = 0; i < nargs; i++) {
		if (!sl_type_equal(args[i]->type, fn->sig.args[i]) ||
		    args[i]->type->nullable != fn->sig.args[i]->nullable)
			args[i] = args[i]->kind == SL_EX_LIT && args[i]->type->kind == SL_TYPE_CHAR &&
			                  sl_type_is_string(fn->sig.args[i])
			              ? retype_lit(cx, args[i], fn->sig.args[i])
			              : sl_expr_cast(cx->a, args[i], fn->sig.args[i]);
		calc |= args[i]->kind != SL_EX_COL;
	}
	if (calc) {
		int n = in->nfields + nargs;
		sl_expr **ex = SL_ANEWN(cx->a, sl_expr *, n + 1);
		const char **names = SL_ANEWN(cx->a, const char *, n + 1);
		for (int i = 0; i < in->nfields; i++) {
			ex[i] = sl_expr_col(cx->a, i, in->fields[i].type);
			names[i] = in->fields[i].name;
		}
		for (int i = 0; i < nargs; i++) {
			ex[in->nfields + i] = args[i];
			names[in->nfields + i] = sl_arena_printf(cx->a, "$t%d", i);
			acols[i] = in->nfields + i;
		}
		in = make_calc(cx, in, n, ex, names, NULL);
	} else {
		for (int i = 0; i < nargs; i++)
			acols[i] = args[i]->col;
	}
	row = fn->sig.result;
	nin = in->nfields;
	nf = row->nfields;
	if (tf->alias && tf->alias->columns.n && tf->alias->columns.n != nf) {
		sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, tf->alias->span,
		              "alias \"%s\" lists %d column names but table function \"%s\" returns %d columns",
		              tf->alias->name.name, tf->alias->columns.n, cf->name, nf);
		return false;
	}
	r = new_rel(cx, T_LCorrelate, 1, nin + nf);
	r->inputs[0] = in;
	r->udf = fn;
	r->join_type = jt;
	r->nkeys = nargs;
	r->keys = acols;
	r->span = tf->span;
	memcpy(r->fields, in->fields, sizeof(sl_field) * (size_t)nin);
	for (int i = 0; i < nf; i++) {
		const sl_type *t = row->fields[i].type;
		r->fields[nin + i].name = tf->alias && tf->alias->columns.n ? tf->alias->columns.items[i].name
		                                                             : row->fields[i].name;
		r->fields[nin + i].type = jt == SL_JT_LEFT ? sl_type_with_nullable(cx->a, t, true) : t;
	}
	set_time_cols(r);
	/* the scope: left's columns, then the function's under the alias */
	qual = alias_name(tf->alias, cf->name);
	out->rel = r;
	out->sc.n = left->sc.n + nf;
	out->sc.cols = SL_ANEWN(cx->a, scope_col, out->sc.n + 1);
	memcpy(out->sc.cols, left->sc.cols, sizeof(scope_col) * (size_t)left->sc.n);
	for (int i = 0; i < nf; i++) {
		scope_col *c = &out->sc.cols[left->sc.n + i];
		c->qual = qual;
		c->name = r->fields[nin + i].name;
		c->type = r->fields[nin + i].type;
		c->col = nin + i;
	}
	return true;
}

/*
 * The STATE_TTL hint (Flink 1.18): SELECT with the hint comment
 * +STATE_TTL('o' = '1d', 'c' = '12h') sets the state TTL of the regular joins of that
 * query block per input, overriding table.exec.state.ttl: a key is the
 * name or alias of a join's direct input (a table, view or aliased
 * subquery), or of a GROUP BY's input (its state: accumulators, distinct
 * values, MIN/MAX multisets). Every key must name one, as Flink requires.
 */
typedef struct ttl_hint {
	int n;
	const sl_ast_option **opts;
	int64_t *ms;
	bool *used;
	SL_VEC(const char *) seen;  /* names of join inputs met (did-you-mean) */
} ttl_hint;

/* The name a join input answers to: the one qualifier all its columns
 * share, or NULL (a join of several tables has none). */
static const char *
input_name(const scope *sc)
{
	const char *q = sc->n > 0 ? sc->cols[0].qual : NULL;
	for (int i = 1; q && i < sc->n; i++)
		if (!sc->cols[i].qual || strcmp(sc->cols[i].qual, q) != 0)
			return NULL;
	return q;
}

/* Put the hinted TTLs on join j (make_join's result: the Join, perhaps
 * under Calcs) whose inputs have scopes l and r. */
static void
apply_ttl_hint(sl_bind_ctx *cx, sl_rel *j, const scope *l, const scope *r)
{
	ttl_hint *h = cx->ttl_hint;
	const char *nm[2] = {input_name(l), input_name(r)};
	if (!h)
		return;
	while (j && j->tag != T_LJoin && j->ninputs == 1)
		j = j->inputs[0];
	if (!j || j->tag != T_LJoin)
		return;
	for (int s = 0; s < 2; s++) {
		if (!nm[s])
			continue;
		sl_vec_push(&h->seen, nm[s]);
		for (int i = 0; i < h->n; i++)
			if (strcmp(h->opts[i]->key, nm[s]) == 0) {
				j->hint_ttl_ms[s] = h->ms[i];
				h->used[i] = true;
			}
	}
}

/* Put the hinted TTL on GROUP BY aggregate agg over the FROM scope sc
 * (Flink 1.18: the key names the aggregate's input table or alias). */
static void
apply_agg_ttl_hint(sl_bind_ctx *cx, sl_rel *agg, const scope *sc)
{
	ttl_hint *h = cx->ttl_hint;
	const char *nm = input_name(sc);
	if (!h || !nm)
		return;
	sl_vec_push(&h->seen, nm);
	for (int i = 0; i < h->n; i++)
		if (strcmp(h->opts[i]->key, nm) == 0) {
			agg->hint_ttl_ms[0] = h->ms[i];
			h->used[i] = true;
		}
}

/* make_join rebuilt join `from` (WHERE conjuncts absorbed) as `to`: keep
 * the hinted TTLs. */
static void
keep_ttl_hint(sl_rel *to, const sl_rel *from)
{
	while (to && to->tag != T_LJoin && to->ninputs == 1)
		to = to->inputs[0];
	if (to && to->tag == T_LJoin && from->tag == T_LJoin)
		memcpy(to->hint_ttl_ms, from->hint_ttl_ms, sizeof to->hint_ttl_ms);
}

/* Parse s's STATE_TTL hint into h (h->n = 0 without one). */
static bool
ttl_hint_parse(sl_bind_ctx *cx, const sl_ast_select *s, ttl_hint *h)
{
	memset(h, 0, sizeof *h);
	for (int k = 0; k < s->hints.n; k++) {
		const sl_ast_hint *hi = s->hints.items[k];
		if (!hi->name.name || strcasecmp(hi->name.name, "STATE_TTL") != 0)
			continue;
		if (h->n > 0) {
			sl_bind_error(cx, SL_ERR_SYNTAX, hi->name.span, "STATE_TTL is given twice in one SELECT");
			return false;
		}
		if (hi->options.n == 0) {
			sl_bind_error(cx, SL_ERR_SYNTAX, hi->name.span,
			              "STATE_TTL needs 'input' = 'duration' pairs, e.g. STATE_TTL('o' = '1d')");
			return false;
		}
		h->n = hi->options.n;
		h->opts = SL_ANEWN(cx->a, const sl_ast_option *, h->n);
		h->ms = SL_ANEWN(cx->a, int64_t, h->n);
		h->used = SL_ANEWN(cx->a, bool, h->n);
		for (int i = 0; i < h->n; i++) {
			const sl_ast_option *o = hi->options.items[i];
			h->opts[i] = o;
			if (!o->value || !sl_parse_duration_ms(o->value, &h->ms[i]) || h->ms[i] <= 0) {
				sl_bind_error(cx, SL_ERR_INVALID_PARAMETER, o->value ? o->value_span : o->key_span,
				              "STATE_TTL of \"%s\" must be a positive duration such as '12h' or '1d'",
				              o->key);
				return false;
			}
		}
	}
	return true;
}

/* After the SELECT: every key must have named a join input. */
static bool
ttl_hint_check(sl_bind_ctx *cx, ttl_hint *h)
{
	for (int i = 0; i < h->n; i++) {
		const char *near;
		if (h->used[i])
			continue;
		near = sl_suggest(h->opts[i]->key, h->seen.v, h->seen.n);
		sl_bind_error(cx, SL_ERR_UNDEFINED_TABLE, h->opts[i]->key_span,
		              "STATE_TTL names \"%s\", which is not an input of a join or GROUP BY in this SELECT",
		              h->opts[i]->key);
		if (near)
			hint(cx, "did you mean \"%s\"?", near);
		return false;
	}
	return true;
}

static bool
bind_join(sl_bind_ctx *cx, const sl_ast_join *jn, from_result *out)
{
	from_result l = {0}, r = {0};
	scope sc;
	sl_expr_vec conds = {0};
	sl_join_type jt;
	int temporal_col = -1;
	sl_rel *j;

	if (is_udf_table_call(cx, jn->right)) {
		/* [CROSS] JOIN / LEFT JOIN LATERAL TABLE(f(...)) [ON TRUE] */
		sl_expr *on = NULL;
		if ((jn->kind != SL_JOIN_INNER && jn->kind != SL_JOIN_CROSS && jn->kind != SL_JOIN_LEFT) ||
		    jn->natural || jn->using_cols.n > 0)
			goto bad_lateral;
		if (jn->kind == SL_JOIN_LEFT && !jn->on) {
			sl_bind_error(cx, SL_ERR_SYNTAX, jn->span, "LEFT JOIN LATERAL TABLE(...) needs ON TRUE");
			return false;
		}
		if (!bind_from_item(cx, jn->left, &l) ||
		    !bind_correlate(cx, &l, (const sl_ast_table_func_ref *)jn->right,
		                    jn->kind == SL_JOIN_LEFT ? SL_JT_LEFT : SL_JT_INNER, out))
			return false;
		if (jn->on && !(on = sl_bind_expr(cx, &out->sc, jn->on)))
			return false;
		if (on && !(on->kind == SL_EX_LIT && on->type->kind == SL_TYPE_BOOLEAN && !on->lit.is_null &&
		            on->lit.i == 1))
			goto bad_lateral;
		return true;
	bad_lateral:
		sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, jn->span,
		              "a table function joins only as CROSS JOIN LATERAL TABLE(...), "
		              "[INNER] JOIN LATERAL TABLE(...) ON TRUE or LEFT JOIN LATERAL TABLE(...) ON TRUE");
		hint(cx, "%s", "filter the function's rows in WHERE instead");
		return false;
	}
	if (!bind_from_item(cx, jn->left, &l) || !bind_from_item(cx, jn->right, &r))
		return false;
	switch (jn->kind) {
	case SL_JOIN_LEFT: jt = SL_JT_LEFT; break;
	case SL_JOIN_RIGHT: jt = SL_JT_RIGHT; break;
	case SL_JOIN_FULL: jt = SL_JT_FULL; break;
	default: jt = SL_JT_INNER; break;
	}
	scope_concat(cx, &sc, &l.sc, &r.sc, l.rel->nfields);
	if (r.system_time) {
		sl_expr *t = sl_bind_expr(cx, &l.sc, r.system_time);
		if (!t)
			return false;
		if (t->kind != SL_EX_COL || t->type->time_attr == SL_TIME_ATTR_NONE) {
			sl_bind_error(cx, SL_ERR_TIME_ATTRIBUTE, t->span,
			              "FOR SYSTEM_TIME AS OF must reference a time attribute of the left table");
			return false;
		}
		temporal_col = t->col;
	}
	if (jn->natural || jn->using_cols.n > 0) {
		for (int i = 0; i < jn->using_cols.n; i++) {
			sl_ast_column_ref ref = {0};
			sl_expr *a, *b;
			ref.tag = T_sl_ast_column_ref;
			ref.span = jn->using_cols.items[i].span;
			ref.names.items = &jn->using_cols.items[i];
			ref.names.n = 1;
			if (!(a = bind_column_ref(cx, &l.sc, &ref)) || !(b = bind_column_ref(cx, &r.sc, &ref)))
				return false;
			b->col += l.rel->nfields;
			if (!(a = compare(cx, "=", a, b, ref.span)))
				return false;
			sl_vec_push(&conds, a);
		}
	}
	if (jn->on) {
		const char *saved = cx->clause;
		sl_expr *on;
		cx->clause = "ON";
		on = need_bool(cx, sl_bind_expr(cx, &sc, jn->on), "a join condition");
		cx->clause = saved;
		if (!on)
			return false;
		sl_expr_conjuncts(on, &conds);
	}
	j = make_join(cx, l.rel, r.rel, jt, conds.v, conds.n, temporal_col, jn->span);
	sl_vec_free(&conds);
	if (!j)
		return false;
	apply_ttl_hint(cx, j, &l.sc, &r.sc);
	out->rel = j;
	out->sc = sc;
	scope_refresh(&out->sc, j);
	return true;
}

static bool
bind_from_item(sl_bind_ctx *cx, const sl_ast_from_item *f, from_result *out)
{
	memset(out, 0, sizeof *out);
	switch (SL_TAG(f)) {
	case T_sl_ast_table_ref: {
		const sl_ast_table_ref *t = (const sl_ast_table_ref *)f;
		out->system_time = t->system_time;
		return bind_named(cx, &t->name, t->name.items[0].span.start != UINT32_MAX
		                                    ? sl_span_join(t->name.items[0].span, t->name.items[t->name.n - 1].span)
		                                    : t->span,
		                  t->alias, out);
	}
	case T_sl_ast_subquery_ref: {
		const sl_ast_subquery_ref *s = (const sl_ast_subquery_ref *)f;
		out->rel = sl_bind_query(cx, s->query);
		if (!out->rel || !apply_alias_columns(cx, out, s->alias))
			return false;
		scope_from_rel(cx, &out->sc, out->rel, alias_name(s->alias, NULL));
		return true;
	}
	case T_sl_ast_join:
		return bind_join(cx, (const sl_ast_join *)f, out);
	case T_sl_ast_table_func_ref:
		if (is_udf_table_call(cx, f)) {
			const sl_ast_table_func_ref *tf = (const sl_ast_table_func_ref *)f;
			sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, tf->span,
			              "table function \"%s\" needs a table on its left to take its arguments from",
			              tf->call->name.items[tf->call->name.n - 1].name);
			hint(cx, "%s", "write FROM t, LATERAL TABLE(f(t.x)) or FROM t CROSS JOIN LATERAL TABLE(f(t.x))");
			return false;
		}
		return bind_tvf(cx, (const sl_ast_table_func_ref *)f, out);
	default:
		return sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, ((const sl_ast_join *)f)->span,
		                     "%s in FROM is not supported", sl_ast_node_name(SL_TAG(f)));
	}
}

/* ---------------------------------------------------------------------
 * SELECT
 * ------------------------------------------------------------------- */
static bool
contains_agg(sl_bind_ctx *cx, const sl_node *n);

static bool
agg_visit(sl_node *child, void *ctx)
{
	return !contains_agg(ctx, child);
}

/* Is name a C aggregate function (CREATE FUNCTION ... LANGUAGE C)? */
static bool
is_udf_agg(sl_bind_ctx *cx, const char *name)
{
	const sl_udf_entry *ue;
	if (!sl_catalog_function(cx->cat, name))
		return false;
	ue = sl_udf_lookup(cx->cat->udfs, name);
	return ue && ue->nfns > 0 && ue->fns[0]->kind == SLUICE_UDF_AGGREGATE;
}

/* Does the expression contain an aggregate call (not inside a subquery,
 * not an OVER call)? */
static bool
contains_agg(sl_bind_ctx *cx, const sl_node *n)
{
	sl_agg_kind k;
	if (!n)
		return false;
	switch (SL_TAG(n)) {
	case T_sl_ast_subquery:
	case T_sl_ast_exists:
	case T_sl_ast_in_subquery:
	case T_sl_ast_window_spec:
		return false;
	case T_sl_ast_func_call: {
		const sl_ast_func_call *fc = (const sl_ast_func_call *)n;
		const char *nm = fc->name.items[fc->name.n - 1].name;
		if (!fc->over && agg_kind_of(nm, &k) && k != SL_AGG_ROW_NUMBER && k != SL_AGG_RANK &&
		    k != SL_AGG_DENSE_RANK)
			return true;
		if (!fc->over && is_udf_agg(cx, nm))
			return true;
		break;
	}
	default:
		break;
	}
	return !sl_ast_foreach_child(n, agg_visit, cx);
}

static const char *
target_name(sl_bind_ctx *cx, const sl_ast_target *t, int i)
{
	if (t->alias.name)
		return t->alias.name;
	if (SL_IS_A(t->expr, sl_ast_column_ref)) {
		const sl_ast_column_ref *c = (const sl_ast_column_ref *)t->expr;
		return c->names.items[c->names.n - 1].name;
	}
	if (SL_IS_A(t->expr, sl_ast_field_access))
		return ((const sl_ast_field_access *)t->expr)->field.name;
	return sl_arena_printf(cx->a, "EXPR$%d", i);
}

typedef struct target_list {
	SL_VEC(sl_expr *) exprs;
	SL_VEC(const char *) names;
} target_list;

static bool
bind_targets(sl_bind_ctx *cx, const sl_ast_select *s, const scope *sc, target_list *tl)
{
	for (int i = 0; i < s->targets.n; i++) {
		const sl_ast_target *t = s->targets.items[i];
		if (SL_IS_A(t->expr, sl_ast_star)) {
			const sl_ast_star *st = (const sl_ast_star *)t->expr;
			const char *q = st->qualifier.n ? st->qualifier.items[st->qualifier.n - 1].name : NULL;
			int k = 0;
			if (cx->agg) {
				sl_bind_error(cx, SL_ERR_GROUPING, st->span, "\"*\" is not allowed in an aggregate query");
				return false;
			}
			for (int c = 0; c < sc->n; c++) {
				if (q && (!sc->cols[c].qual || strcmp(sc->cols[c].qual, q) != 0))
					continue;
				sl_expr *e = sl_expr_col(cx->a, sc->cols[c].col, sc->cols[c].type);
				e->span = st->span;
				sl_vec_push(&tl->exprs, e);
				sl_vec_push(&tl->names, sc->cols[c].name);
				k++;
			}
			if (q && k == 0) {
				sl_bind_error(cx, SL_ERR_UNDEFINED_TABLE, st->span, "table \"%s\" does not exist in FROM", q);
				return false;
			}
			continue;
		}
		sl_expr *e = sl_bind_expr(cx, sc, t->expr);
		if (!e)
			return false;
		sl_vec_push(&tl->exprs, e);
		sl_vec_push(&tl->names, target_name(cx, t, i));
	}
	/* make the output names unique, as Flink does (name0, name1, ...) */
	for (size_t i = 0; i < tl->names.n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(tl->names.v[i], tl->names.v[j]) == 0) {
				int k = 0;
				const char *cand;
				bool clash;
				do {
					cand = sl_arena_printf(cx->a, "%s%d", tl->names.v[i], k++);
					clash = false;
					for (size_t m = 0; m < tl->names.n; m++)
						if (strcmp(tl->names.v[m], cand) == 0)
							clash = true;
				} while (clash);
				tl->names.v[i] = cand;
				break;
			}
	return true;
}

/* Lift an expression bound over the aggregate's input into one over its
 * output: group expressions become key columns, $AGG placeholders agg
 * columns, $WPROP window properties. A leftover column is a grouping error. */
typedef struct lift_ctx {
	sl_expr **keys;
	int nkeys;
	const int *key_out;     /* output column of each key */
	int agg_base;           /* output column of the first aggregate */
	int wprop_base;         /* output column of window_start (legacy) */
	const sl_rel *out;
	const scope *in;
} lift_ctx;

static sl_expr *
lift(sl_bind_ctx *cx, lift_ctx *lc, const sl_expr *e)
{
	sl_expr *c;
	for (int k = 0; k < lc->nkeys; k++)
		if (sl_expr_equal(e, lc->keys[k])) {
			c = sl_expr_col(cx->a, lc->key_out[k], lc->out->fields[lc->key_out[k]].type);
			c->span = e->span;
			return c;
		}
	if (e->kind == SL_EX_CALL && strcmp(e->name, "$AGG") == 0) {
		int col = lc->agg_base + e->col;
		return sl_expr_col(cx->a, col, lc->out->fields[col].type);
	}
	if (e->kind == SL_EX_CALL && strcmp(e->name, "$WPROP") == 0) {
		int col = lc->wprop_base + e->col;
		return sl_expr_col(cx->a, col, lc->out->fields[col].type);
	}
	if (e->kind == SL_EX_COL) {
		const char *name = NULL;
		for (int i = 0; i < lc->in->n; i++)
			if (lc->in->cols[i].col == e->col)
				name = lc->in->cols[i].name;
		sl_bind_error(cx, SL_ERR_GROUPING, e->span,
		              "column \"%s\" must appear in the GROUP BY clause or be used in an aggregate function",
		              name ? name : "?");
		return NULL;
	}
	c = SL_ANEW(cx->a, sl_expr);
	*c = *e;
	if (e->nargs) {
		c->args = SL_ANEWN(cx->a, sl_expr *, e->nargs);
		for (int i = 0; i < e->nargs; i++)
			if (!(c->args[i] = lift(cx, lc, e->args[i])))
				return NULL;
	}
	return c;
}

/* Index of e in v (appending it when absent). */
static int
pre_col(sl_expr_vec *v, sl_expr *e)
{
	for (size_t i = 0; i < v->n; i++)
		if (sl_expr_equal(v->v[i], e))
			return (int)i;
	sl_vec_push(v, e);
	return (int)v->n - 1;
}

static sl_rel *
bind_aggregate(sl_bind_ctx *cx, const sl_ast_select *s, sl_rel *in, const scope *sc, bool from_tvf)
{
	agg_ctx ag = {0};
	sl_expr_vec keys = {0};
	SL_VEC(sl_span) key_spans = {0};
	sl_window lw = {0};
	int legacy_time = -1;
	target_list tl = {0};
	sl_expr *having = NULL;
	sl_rel *r = NULL;
	bool ok = false;

	cx->clause = "GROUP BY";
	for (int i = 0; i < s->group_by.n; i++) {
		const sl_ast_expr *g = s->group_by.items[i];
		if (SL_IS_A(g, sl_ast_func_call)) {
			const sl_ast_func_call *fc = (const sl_ast_func_call *)g;
			const char *u = upper(cx, fc->name.items[fc->name.n - 1].name);
			sl_window_kind wk = strcmp(u, "TUMBLE") == 0 ? SL_WIN_TUMBLE : strcmp(u, "HOP") == 0 ? SL_WIN_HOP
			                  : strcmp(u, "SESSION") == 0 ? SL_WIN_SESSION : SL_WIN_NONE;
			if (wk != SL_WIN_NONE) {
				sl_expr *tc;
				int want = wk == SL_WIN_HOP ? 3 : 2;
				if (ag.legacy) {
					sl_bind_error(cx, SL_ERR_WINDOWING, fc->span, "GROUP BY may contain only one group window");
					goto out;
				}
				if (fc->args.n != want) {
					sl_bind_error(cx, SL_ERR_WINDOWING, fc->span, "group window %s takes %d arguments", u, want);
					goto out;
				}
				if (!(tc = sl_bind_expr(cx, sc, fc->args.items[0])))
					goto out;
				if (tc->kind != SL_EX_COL || !need_time_attr(cx, tc->type, sc->n ? sc->cols[0].name : "?", tc->span)) {
					if (!cx->err) {
						const char *nm = "expression";
						for (int c = 0; c < sc->n; c++)
							if (tc->kind == SL_EX_COL && sc->cols[c].col == tc->col)
								nm = sc->cols[c].name;
						need_time_attr(cx, tc->type, nm, tc->span);
					}
					if (cx->err && tc->kind == SL_EX_COL) {
						const char *nm = "?";
						for (int c = 0; c < sc->n; c++)
							if (sc->cols[c].col == tc->col)
								nm = sc->cols[c].name;
						sl_error_free(cx->err);
						cx->err = NULL;
						need_time_attr(cx, tc->type, nm, tc->span);
					}
					goto out;
				}
				ag.legacy = true;
				ag.legacy_kind = wk;
				lw.kind = wk;
				lw.time_kind = tc->type->time_attr;
				legacy_time = tc->col;
				if (wk == SL_WIN_HOP) {
					if ((lw.slide_us = interval_arg(cx, fc->args.items[1], "slide", sc)) < 0 ||
					    (lw.size_us = interval_arg(cx, fc->args.items[2], "size", sc)) < 0)
						goto out;
				} else if (wk == SL_WIN_SESSION) {
					if ((lw.gap_us = interval_arg(cx, fc->args.items[1], "gap", sc)) < 0)
						goto out;
				} else if ((lw.size_us = interval_arg(cx, fc->args.items[1], "size", sc)) < 0) {
					goto out;
				}
				continue;
			}
		}
		if (SL_IS_A(g, sl_ast_grouping)) {
			sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, ((const sl_ast_grouping *)g)->span,
			              "GROUPING SETS, ROLLUP and CUBE are not supported");
			goto out;
		}
		if (contains_agg(cx, g)) {
			sl_bind_error(cx, SL_ERR_GROUPING, ((const sl_ast_binary *)g)->span,
			              "aggregate functions are not allowed in GROUP BY");
			goto out;
		}
		{
			sl_expr *k;
			if (SL_IS_A(g, sl_ast_literal) && ((const sl_ast_literal *)g)->kind == SL_LIT_INTEGER) {
				int64_t ord = ((const sl_ast_literal *)g)->ival;
				if (ord < 1 || ord > s->targets.n) {
					sl_bind_error(cx, SL_ERR_GROUPING, ((const sl_ast_literal *)g)->span,
					              "GROUP BY position %" PRId64 " is not in the select list", ord);
					goto out;
				}
				k = sl_bind_expr(cx, sc, s->targets.items[ord - 1]->expr);
			} else {
				k = sl_bind_expr(cx, sc, g);
			}
			if (!k)
				goto out;
			sl_vec_push(&keys, k);
			sl_vec_push(&key_spans, ((const sl_ast_binary *)g)->span);
		}
	}

	/* targets and HAVING with aggregates allowed */
	cx->agg = &ag;
	ag.allowed = true;
	cx->clause = "SELECT";
	if (!bind_targets(cx, s, sc, &tl))
		goto out;
	if (s->having) {
		cx->clause = "HAVING";
		having = need_bool(cx, sl_bind_expr(cx, sc, s->having), "HAVING");
		if (!having)
			goto out;
	}
	cx->agg = NULL;

	{
		/* window TVF keys: window_start / window_end of one window */
		int ws = -1, we = -1;
		const sl_window *tw = NULL;
		for (size_t i = 0; i < keys.n; i++) {
			sl_expr *k = keys.v[i];
			if (k->kind != SL_EX_COL)
				continue;
			if (in->fields[k->col].wprop == 1 + SL_WPROP_START) {
				ws = (int)i;
				tw = in->fields[k->col].window;
			}
			if (in->fields[k->col].wprop == 1 + SL_WPROP_END) {
				we = (int)i;
				tw = in->fields[k->col].window;
			}
		}
		if (from_tvf && (ws < 0 || we < 0)) {
			sl_bind_error(cx, SL_ERR_WINDOWING, s->group_by.n ? key_spans.n ? key_spans.v[0] : s->span : s->span,
			              "a window aggregation over a window table function must GROUP BY both window_start and window_end");
			hint(cx, "add %s to the GROUP BY clause", ws < 0 && we < 0 ? "window_start, window_end"
			                                          : ws < 0 ? "window_start" : "window_end");
			goto out;
		}
		if (ws >= 0 && we >= 0 && ag.legacy) {
			sl_bind_error(cx, SL_ERR_WINDOWING, s->span,
			              "a query cannot group by both a group window and window_start/window_end");
			goto out;
		}

		/* pre-projection: keys, aggregate arguments and filters, window columns */
		sl_expr_vec pre = {0};
		int nk = 0;
		int *key_pre = SL_ANEWN(cx->a, int, keys.n + 1);
		int *key_out = SL_ANEWN(cx->a, int, keys.n + 1);
		bool window = (ws >= 0 && we >= 0) || ag.legacy;
		int nwp = window ? 3 : 0;
		int nout;
		int ws_pre = -1, we_pre = -1, time_pre = -1;
		for (size_t i = 0; i < keys.n; i++) {
			if ((int)i == ws || (int)i == we)
				continue;
			key_pre[nk++] = pre_col(&pre, keys.v[i]);
		}
		/* keys must be distinct columns of the pre-projection */
		if (ws >= 0 && we >= 0) {
			ws_pre = pre_col(&pre, keys.v[ws]);
			we_pre = pre_col(&pre, keys.v[we]);
		}
		if (ag.legacy)
			time_pre = pre_col(&pre, sl_expr_col(cx->a, legacy_time, in->fields[legacy_time].type));
		sl_aggcall *calls = SL_ANEWN(cx->a, sl_aggcall, ag.items.n + 1);
		for (size_t i = 0; i < ag.items.n; i++) {
			agg_item *it = &ag.items.v[i];
			int *args = SL_ANEWN(cx->a, int, 2);
			calls[i].kind = it->kind;
			calls[i].name = it->kind == SL_AGG_COUNT_STAR ? "COUNT" : it->name;
			calls[i].distinct = it->distinct;
			calls[i].type = it->type;
			calls[i].filter_col = -1;
			calls[i].args = args;
			if (it->arg)
				args[calls[i].nargs++] = pre_col(&pre, it->arg);
			if (it->arg2)
				args[calls[i].nargs++] = pre_col(&pre, it->arg2);
			if (it->kind == SL_AGG_UDF) {
				args = SL_ANEWN(cx->a, int, it->nuargs + 1);
				calls[i].args = args;
				calls[i].udf = it->udf;
				for (int k = 0; k < it->nuargs; k++)
					args[calls[i].nargs++] = pre_col(&pre, it->uargs[k]);
			}
			if (it->filter)
				calls[i].filter_col = pre_col(&pre, it->filter);
		}
		const char **pnames = SL_ANEWN(cx->a, const char *, pre.n + 1);
		for (size_t i = 0; i < pre.n; i++) {
			pnames[i] = pre.v[i]->kind == SL_EX_COL ? in->fields[pre.v[i]->col].name
			                                        : sl_arena_printf(cx->a, "$f%zu", i);
			/* a grouping expression takes the name the SELECT list gives it */
			for (size_t t = 0; t < tl.exprs.n && pre.v[i]->kind != SL_EX_COL; t++)
				if (sl_expr_equal(tl.exprs.v[t], pre.v[i]) && strncmp(tl.names.v[t], "EXPR$", 5) != 0) {
					pnames[i] = tl.names.v[t];
					break;
				}
		}
		/* unique names */
		for (size_t i = 0; i < pre.n; i++)
			for (size_t j = 0; j < i; j++)
				if (strcmp(pnames[i], pnames[j]) == 0)
					pnames[i] = sl_arena_printf(cx->a, "$f%zu", i);
		sl_rel *p = make_calc(cx, in, (int)pre.n, pre.v, pnames, NULL);
		for (size_t i = 0; i < ag.items.n; i++) {
			calls[i].out_name = sl_arena_printf(cx->a, "$a%zu", i);
			/* an aggregate selected as such takes its alias */
			for (size_t t = 0; t < tl.exprs.n; t++) {
				const sl_expr *te = tl.exprs.v[t];
				bool taken = false;
				if (te->kind != SL_EX_CALL || strcmp(te->name, "$AGG") != 0 || te->col != (int)i ||
				    strncmp(tl.names.v[t], "EXPR$", 5) == 0)
					continue;
				for (size_t k = 0; k < pre.n; k++)
					taken |= strcmp(pnames[k], tl.names.v[t]) == 0;
				for (size_t k = 0; k < i; k++)
					taken |= strcmp(calls[k].out_name, tl.names.v[t]) == 0;
				if (!taken) {
					calls[i].out_name = tl.names.v[t];
					break;
				}
			}
		}

		nout = nk + (int)ag.items.n + nwp;
		r = new_rel(cx, window ? T_LWindowAggregate : T_LAggregate, 1, nout);
		r->inputs[0] = p;
		/* where run-time errors of the aggregate point: its GROUP BY keys */
		r->span = key_spans.n ? sl_span_join(key_spans.v[0], key_spans.v[key_spans.n - 1]) : s->span;
		if (!window)
			apply_agg_ttl_hint(cx, r, sc);
		r->nkeys = nk;
		r->keys = key_pre;
		r->naggs = (int)ag.items.n;
		r->aggs = calls;
		r->win_start_col = ws_pre;
		r->win_end_col = we_pre;
		for (int i = 0; i < nk; i++) {
			r->fields[i].name = p->fields[key_pre[i]].name;
			r->fields[i].type = no_time_attr(cx, p->fields[key_pre[i]].type);
			if (window) {
				r->fields[i].wprop = p->fields[key_pre[i]].wprop;
				r->fields[i].window = p->fields[key_pre[i]].window;
			}
		}
		for (size_t i = 0; i < ag.items.n; i++) {
			r->fields[nk + i].name = calls[i].out_name;
			r->fields[nk + i].type = calls[i].type;
		}
		if (window) {
			sl_window_prop *wp = SL_ANEWN(cx->a, sl_window_prop, 3);
			const sl_type *ts = notnull(cx, sl_type_new_timestamp(cx->a, SL_TYPE_TIMESTAMP, 3));
			int b = nk + (int)ag.items.n;
			if (ag.legacy) {
				lw.time_col = time_pre;
				r->window = lw;
				r->legacy_window = true;
			} else {
				r->window = *tw;
				r->window.time_col = -1;
				r->window.npart = 0;
			}
			wp[0] = SL_WPROP_START;
			wp[1] = SL_WPROP_END;
			wp[2] = SL_WPROP_TIME;
			r->nwprops = 3;
			r->wprops = wp;
			r->fields[b].name = "window_start";
			r->fields[b].type = ts;
			r->fields[b + 1].name = "window_end";
			r->fields[b + 1].type = ts;
			r->fields[b + 2].name = "window_time";
			r->fields[b + 2].type = sl_type_with_time_attr(cx->a, ts,
			                          ag.legacy ? lw.time_kind : tw->time_kind);
			for (int i = 0; i < 3; i++) {
				r->fields[b + i].wprop = 1 + i;
				r->fields[b + i].window = &r->window;
			}
		}
		set_time_cols(r);
		/* key k -> output column */
		for (size_t i = 0, m = 0; i < keys.n; i++) {
			if ((int)i == ws)
				key_out[i] = nk + (int)ag.items.n;
			else if ((int)i == we)
				key_out[i] = nk + (int)ag.items.n + 1;
			else
				key_out[i] = (int)m++;
		}
		sl_vec_free(&pre);

		/* post-projection */
		lift_ctx lc = {keys.v, (int)keys.n, key_out, nk, nk + (int)ag.items.n, r, sc};
		sl_expr **post = SL_ANEWN(cx->a, sl_expr *, tl.exprs.n + 1);
		sl_expr *hav = NULL;
		for (size_t i = 0; i < tl.exprs.n; i++)
			if (!(post[i] = lift(cx, &lc, tl.exprs.v[i])))
				goto out;
		if (having && !(hav = lift(cx, &lc, having)))
			goto out;
		r = make_calc(cx, r, (int)tl.exprs.n, post, tl.names.v, hav);
		ok = true;
	}
out:
	cx->agg = NULL;
	sl_vec_free(&ag.items);
	sl_vec_free(&keys);
	sl_vec_free(&key_spans);
	sl_vec_free(&tl.exprs);
	sl_vec_free(&tl.names);
	return ok ? r : NULL;
}

/* OVER: pre-projection appends partition/order/argument expressions to
 * the input columns, OverAggregate appends the aggregates, then the
 * targets are remapped. */
static sl_rel *
bind_over(sl_bind_ctx *cx, sl_rel *in, over_ctx *ov, target_list *tl)
{
	const sl_ast_window_spec *ws = ov->spec;
	sl_expr_vec pre = {0};
	int nin = in->nfields;
	int *part = SL_ANEWN(cx->a, int, ws->partition_by.n + 1);
	int *ord = SL_ANEWN(cx->a, int, ws->order_by.n + 1);
	bool *desc = SL_ANEWN(cx->a, bool, ws->order_by.n + 1);
	sl_aggcall *calls = SL_ANEWN(cx->a, sl_aggcall, ov->items.n + 1);
	sl_rel *p, *r;
	const char **names;
	sl_expr **post;

	for (int i = 0; i < nin; i++)
		sl_vec_push(&pre, sl_expr_col(cx->a, i, in->fields[i].type));
	for (int i = 0; i < ws->partition_by.n; i++) {
		sl_expr *e = sl_bind_expr(cx, ov->sc, ws->partition_by.items[i]);
		if (!e)
			goto fail;
		part[i] = pre_col(&pre, e);
	}
	if (ws->order_by.n == 0) {
		sl_bind_error(cx, SL_ERR_WINDOWING, ws->span, "an OVER window must have an ORDER BY");
		goto fail;
	}
	for (int i = 0; i < ws->order_by.n; i++) {
		sl_expr *e = sl_bind_expr(cx, ov->sc, ws->order_by.items[i]->expr);
		if (!e)
			goto fail;
		ord[i] = pre_col(&pre, e);
		desc[i] = ws->order_by.items[i]->dir == SL_SORT_DESC;
	}
	for (size_t i = 0; i < ov->items.n; i++) {
		int *args = SL_ANEWN(cx->a, int, 1);
		calls[i].kind = ov->items.v[i].kind;
		calls[i].name = ov->items.v[i].kind == SL_AGG_COUNT_STAR ? "COUNT" : ov->items.v[i].name;
		calls[i].type = ov->items.v[i].type;
		calls[i].filter_col = -1;
		calls[i].args = args;
		calls[i].out_name = sl_arena_printf(cx->a, "w0$o%zu", i);
		if (ov->items.v[i].arg) {
			args[0] = pre_col(&pre, ov->items.v[i].arg);
			calls[i].nargs = 1;
		}
	}
	names = SL_ANEWN(cx->a, const char *, pre.n + 1);
	for (size_t i = 0; i < pre.n; i++)
		names[i] = (int)i < nin ? in->fields[i].name : sl_arena_printf(cx->a, "$f%zu", i);
	p = (int)pre.n == nin ? in : make_calc(cx, in, (int)pre.n, pre.v, names, NULL);
	r = new_rel(cx, T_LOverAggregate, 1, (int)pre.n + (int)ov->items.n);
	r->inputs[0] = p;
	for (size_t i = 0; i < pre.n; i++)
		r->fields[i] = p->fields[i];
	for (size_t i = 0; i < ov->items.n; i++) {
		r->fields[pre.n + i].name = calls[i].out_name;
		r->fields[pre.n + i].type = calls[i].type;
	}
	r->nkeys = ws->partition_by.n;
	r->keys = part;
	r->norder = ws->order_by.n;
	r->order_cols = ord;
	r->order_desc = desc;
	r->naggs = (int)ov->items.n;
	r->aggs = calls;
	r->over_rows = ws->frame != SL_FRAME_RANGE;
	r->over_preceding = -1;
	if (ws->frame_start && ws->frame_start->kind == SL_BOUND_PRECEDING && ws->frame_start->offset) {
		sl_expr *off = sl_bind_expr(cx, ov->sc, ws->frame_start->offset);
		if (!off)
			goto fail;
		if (off->kind != SL_EX_LIT) {
			sl_bind_error(cx, SL_ERR_WINDOWING, off->span, "the frame offset must be a literal");
			goto fail;
		}
		r->over_preceding = off->lit.i;
	}
	set_time_cols(r);
	/* remap the targets: $OVER k -> column pre.n + k */
	post = SL_ANEWN(cx->a, sl_expr *, tl->exprs.n + 1);
	for (size_t i = 0; i < tl->exprs.n; i++) {
		sl_expr *e = tl->exprs.v[i];
		/* substitute placeholders */
		sl_expr **stack = SL_ANEWN(cx->a, sl_expr *, 1);
		(void)stack;
		if (e->kind == SL_EX_CALL && strcmp(e->name, "$OVER") == 0) {
			post[i] = sl_expr_col(cx->a, (int)pre.n + e->col, e->type);
		} else {
			/* a placeholder nested in an expression */
			sl_expr *c = sl_expr_copy(cx->a, e);
			sl_expr *todo[256];
			int nt = 0;
			todo[nt++] = c;
			while (nt > 0) {
				sl_expr *x = todo[--nt];
				for (int k = 0; k < x->nargs; k++) {
					sl_expr *y = x->args[k];
					if (y->kind == SL_EX_CALL && strcmp(y->name, "$OVER") == 0)
						x->args[k] = sl_expr_col(cx->a, (int)pre.n + y->col, y->type);
					else if (nt < 256)
						todo[nt++] = y;
				}
			}
			post[i] = c;
		}
	}
	sl_vec_free(&pre);
	return make_calc(cx, r, (int)tl->exprs.n, post, tl->names.v, NULL);
fail:
	sl_vec_free(&pre);
	return NULL;
}


/*
 * [NOT] EXISTS (SELECT ... FROM f WHERE p): a semi (anti) join of the
 * outer relation with f on p, where p may reference the outer columns
 * (correlation): p is bound over the outer scope followed by f's.
 */
static sl_rel *
bind_exists(sl_bind_ctx *cx, sl_rel *outer, const scope *osc, const sl_ast_exists *ex, bool negated)
{
	const sl_ast_query_expr *q = ex->query;
	const sl_ast_select *s;
	from_result fr = {0};
	sl_rel *in;
	scope isc, both;
	sl_expr_vec conj = {0};
	sl_rel *j;
	if (SL_IS_A(q, sl_ast_query) && ((const sl_ast_query *)q)->ctes.n == 0 &&
	    ((const sl_ast_query *)q)->order_by.n == 0 && !((const sl_ast_query *)q)->limit)
		q = ((const sl_ast_query *)q)->body;
	if (!SL_IS_A(q, sl_ast_select) || ((const sl_ast_select *)q)->group_by.n ||
	    ((const sl_ast_select *)q)->having || ((const sl_ast_select *)q)->from.n == 0) {
		sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, ex->span,
		              "EXISTS is supported over a SELECT ... FROM ... [WHERE ...] without GROUP BY");
		hint(cx, "%s", "rewrite the subquery as a JOIN in the FROM clause");
		return NULL;
	}
	s = (const sl_ast_select *)q;
	if (!bind_from_item(cx, s->from.items[0], &fr))
		return NULL;
	in = fr.rel;
	isc = fr.sc;
	for (int i = 1; i < s->from.n; i++) {
		from_result next = {0};
		scope b2;
		if (!bind_from_item(cx, s->from.items[i], &next))
			return NULL;
		scope_concat(cx, &b2, &isc, &next.sc, in->nfields);
		if (!(in = make_join(cx, in, next.rel, SL_JT_INNER, NULL, 0, -1, s->span)))
			return NULL;
		isc = b2;
	}
	scope_concat(cx, &both, osc, &isc, outer->nfields);
	if (s->where) {
		const char *saved = cx->clause;
		sl_expr *w;
		cx->clause = "WHERE";
		w = need_bool(cx, sl_bind_expr(cx, &both, s->where), "the WHERE condition");
		cx->clause = saved;
		if (!w)
			return NULL;
		sl_expr_conjuncts(w, &conj);
	}
	j = make_join(cx, outer, in, negated ? SL_JT_ANTI : SL_JT_SEMI, conj.v, conj.n, -1, ex->span);
	sl_vec_free(&conj);
	return j;
}


typedef struct scalar_walk {
	SL_VEC(const sl_ast_subquery *) found;
} scalar_walk;

static bool
find_scalar(sl_node *n, void *ctx)
{
	scalar_walk *w = ctx;
	if (SL_IS_A(n, sl_ast_subquery)) {
		sl_vec_push(&w->found, (const sl_ast_subquery *)n);
		return true;
	}
	if (SL_IS_A(n, sl_ast_exists) || SL_IS_A(n, sl_ast_in_subquery))
		return true;
	sl_ast_foreach_child(n, find_scalar, ctx);
	return true;
}

/*
 * Uncorrelated scalar subqueries of a WHERE conjunct: each is planned on
 * its own, must produce one column, and is joined to the outer relation
 * (a keyless join, so a single task); the conjunct then reads its value
 * as a column. A correlated subquery fails to bind (unknown column).
 */
static sl_rel *
join_scalar_subqueries(sl_bind_ctx *cx, sl_rel *r, const sl_ast_expr *conj)
{
	scalar_walk w = {{0}};
	find_scalar((sl_node *)conj, &w);
	for (size_t i = 0; i < w.found.n; i++) {
		const sl_ast_subquery *sq = w.found.v[i];
		sl_rel *sub = sl_bind_query(cx, sq->query);
		int col = r->nfields;
		if (!sub) {
			if (cx->err && (cx->err->code == SL_ERR_UNDEFINED_COLUMN || cx->err->code == SL_ERR_UNDEFINED_TABLE)) {
				free(cx->err->hint);
				cx->err->hint = NULL;
				sl_error_set_hint(cx->err, "%s", "a scalar subquery cannot reference the outer query "
				                  "(correlation); join the outer table with a GROUP BY of the subquery instead");
			}
			sl_vec_free(&w.found);
			return NULL;
		}
		if (sub->nfields != 1) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, sq->span,
			              "a scalar subquery must return one column, not %d", sub->nfields);
			sl_vec_free(&w.found);
			return NULL;
		}
		r = make_join(cx, r, sub, SL_JT_INNER, NULL, 0, -1, sq->span);
		if (!r) {
			sl_vec_free(&w.found);
			return NULL;
		}
		{
			int n = cx->nscalar + 1;
			const void **nodes = SL_ANEWN(cx->a, const void *, n);
			int *cols = SL_ANEWN(cx->a, int, n);
			const sl_type **types = SL_ANEWN(cx->a, const sl_type *, n);
			for (int k = 0; k < cx->nscalar; k++) {
				nodes[k] = cx->scalar_node[k];
				cols[k] = cx->scalar_col[k];
				types[k] = cx->scalar_type[k];
			}
			nodes[n - 1] = sq;
			cols[n - 1] = col;
			types[n - 1] = sl_type_with_nullable(cx->a, r->fields[col].type, true);
			cx->scalar_node = nodes;
			cx->scalar_col = cols;
			cx->scalar_type = types;
			cx->nscalar = n;
		}
	}
	sl_vec_free(&w.found);
	return r;
}

typedef SL_VEC(const sl_ast_expr *) ast_vec;

/* Split an AND tree of the AST into its conjuncts. */
static void
ast_conjuncts(const sl_ast_expr *e, void *out)
{
	ast_vec *v = out;
	if (SL_IS_A(e, sl_ast_binary) && ((const sl_ast_binary *)e)->op == SL_BINOP_AND) {
		ast_conjuncts(((const sl_ast_binary *)e)->left, out);
		ast_conjuncts(((const sl_ast_binary *)e)->right, out);
		return;
	}
	sl_vec_push(v, e);
}

static sl_rel *bind_select_block(sl_bind_ctx *cx, const sl_ast_select *s);

/* A SELECT with its hints: the STATE_TTL hint applies to the joins bound
 * inside this query block only (a subquery has its own). */
static sl_rel *
bind_select(sl_bind_ctx *cx, const sl_ast_select *s)
{
	ttl_hint th, *saved = cx->ttl_hint;
	sl_rel *r;
	if (!ttl_hint_parse(cx, s, &th))
		return NULL;
	cx->ttl_hint = th.n > 0 ? &th : NULL;
	r = bind_select_block(cx, s);
	cx->ttl_hint = saved;
	if (r && th.n > 0 && !ttl_hint_check(cx, &th))
		r = NULL;
	sl_vec_free(&th.seen);
	return r;
}

static sl_rel *
bind_select_block(sl_bind_ctx *cx, const sl_ast_select *s)
{
	from_result fr = {0};
	sl_rel *r;
	scope sc;
	bool is_agg = s->group_by.n > 0 || (s->having != NULL);
	const char *saved_clause = cx->clause;
	agg_ctx *saved_agg = cx->agg;
	over_ctx *saved_over = cx->over;

	cx->agg = NULL;
	cx->over = NULL;
	if (s->from.n == 0) {
		/* SELECT without FROM: one row */
		r = new_rel(cx, T_LValues, 0, 0);
		r->nrows = 1;
		r->rows = SL_ANEWN(cx->a, sl_expr **, 1);
		r->rows[0] = SL_ANEWN(cx->a, sl_expr *, 1);
		sc.n = 0;
		sc.cols = NULL;
	} else {
		if (!bind_from_item(cx, s->from.items[0], &fr))
			return NULL;
		r = fr.rel;
		sc = fr.sc;
		for (int i = 1; i < s->from.n; i++) {
			from_result next = {0};
			scope both;
			if (is_udf_table_call(cx, s->from.items[i])) {
				/* FROM t, LATERAL TABLE(f(...)) */
				if (!bind_correlate(cx, &fr, (const sl_ast_table_func_ref *)s->from.items[i],
				                    SL_JT_INNER, &next))
					return NULL;
				r = next.rel;
				sc = next.sc;
				fr.rel = r;
				fr.sc = sc;
				fr.is_tvf = false;
				continue;
			}
			if (!bind_from_item(cx, s->from.items[i], &next))
				return NULL;
			scope_concat(cx, &both, &sc, &next.sc, r->nfields);
			r = make_join(cx, r, next.rel, SL_JT_INNER, NULL, 0, -1, s->span);
			if (!r)
				return NULL;
			apply_ttl_hint(cx, r, &sc, &next.sc);
			sc = both;
			fr.is_tvf = false;
		}
	}
	if (s->where) {
		sl_expr *w;
		sl_expr_vec conj = {0};
		SL_VEC(const sl_ast_in_subquery *) subq = {0};
		SL_VEC(const sl_ast_expr *) exists = {0};  /* EXISTS or NOT EXISTS nodes */
		cx->clause = "WHERE";
		if (contains_agg(cx, s->where)) {
			/* find the aggregate to point at it */
			agg_ctx none = {0};
			cx->agg = &none;
			none.allowed = false;
			sl_bind_expr(cx, &sc, s->where);
			cx->agg = NULL;
			if (!cx->err)
				sl_bind_error(cx, SL_ERR_GROUPING, s->span, "aggregate functions are not allowed in WHERE");
			hint(cx, "%s", "use HAVING to filter on an aggregate");
			goto where_fail;
		}
		{
			/* conjuncts "x [NOT] IN (subquery)" become semi / anti joins */
			SL_VEC(const sl_ast_expr *) ac = {0};
			sl_expr_vec bound = {0};
			ast_conjuncts(s->where, (void *)&ac);
			for (size_t i = 0; i < ac.n; i++) {
				sl_expr *e;
				if (SL_IS_A(ac.v[i], sl_ast_exists) ||
				    (SL_IS_A(ac.v[i], sl_ast_unary) && ((const sl_ast_unary *)ac.v[i])->op == SL_UNOP_NOT &&
				     SL_IS_A(((const sl_ast_unary *)ac.v[i])->arg, sl_ast_exists))) {
					sl_vec_push(&exists, ac.v[i]);
					continue;
				}
				if (SL_IS_A(ac.v[i], sl_ast_in_subquery)) {
					sl_vec_push(&subq, (const sl_ast_in_subquery *)ac.v[i]);
					continue;
				}
				if (!(r = join_scalar_subqueries(cx, r, ac.v[i]))) {
					sl_vec_free(&ac);
					sl_vec_free(&bound);
					goto where_fail;
				}
				e = need_bool(cx, sl_bind_expr(cx, &sc, ac.v[i]), "the WHERE condition");
				if (!e) {
					sl_vec_free(&ac);
					sl_vec_free(&bound);
					goto where_fail;
				}
				sl_vec_push(&bound, e);
			}
			sl_vec_free(&ac);
			w = bound.n ? sl_expr_and(cx->a, bound.v, bound.n) : sl_expr_bool(cx->a, true);
			if (bound.n > 1) {
				sl_expr **v = SL_ANEWN(cx->a, sl_expr *, bound.n);
				memcpy(v, bound.v, sizeof *v * bound.n);
				w = sl_expr_and(cx->a, v, bound.n);
			}
			sl_vec_free(&bound);
		}
		sl_expr_conjuncts(w, &conj);
		/* an inner join below absorbs the conjuncts (keys, pushdown, kind) */
		if (SL_IS_A(r, LJoin) && r->join_type == SL_JT_INNER && r->impl == T_PJoin && r->nkeys == 0 &&
		    r->cond == NULL && s->from.n > 1) {
			sl_rel *j = make_join(cx, r->inputs[0], r->inputs[1], SL_JT_INNER, conj.v, conj.n, -1, r->span);
			if (!j)
				goto where_fail;
			keep_ttl_hint(j, r);
			r = j;
			scope_refresh(&sc, r);
		} else if (SL_IS_A(r, LJoin) && r->join_type == SL_JT_INNER && r->impl == T_PJoin) {
			/* push into the join's inputs / condition */
			sl_expr_vec all = {0};
			sl_expr *jc = NULL;
			for (int i = 0; i < r->nkeys; i++) {
				int lc = r->keys[i], rc = r->inputs[0]->nfields + r->rkeys[i];
				sl_vec_push(&all, call(cx, "=", bool_type(cx, true), SL_SPAN_NONE, 2,
				                       (sl_expr *[]){sl_expr_col(cx->a, lc, r->fields[lc].type),
				                                     sl_expr_col(cx->a, rc, r->fields[rc].type)}));
			}
			jc = r->cond;
			sl_expr_conjuncts(jc, &all);
			for (size_t i = 0; i < conj.n; i++)
				sl_vec_push(&all, conj.v[i]);
			sl_rel *j = make_join(cx, r->inputs[0], r->inputs[1], SL_JT_INNER, all.v, all.n, -1, r->span);
			sl_vec_free(&all);
			if (!j)
				goto where_fail;
			keep_ttl_hint(j, r);
			r = j;
			scope_refresh(&sc, r);
		} else if (conj.n > 0) {
			r = filter(cx, r, w);
		}
		sl_vec_free(&conj);
		for (size_t i = 0; i < subq.n; i++) {
			const sl_ast_in_subquery *iq = subq.v[i];
			sl_expr *x = sl_bind_expr(cx, &sc, iq->arg), *c;
			sl_rel *sub;
			if (!x)
				goto where_fail;
			if (!(sub = sl_bind_query(cx, iq->query)))
				goto where_fail;
			if (sub->nfields != 1) {
				sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, aspan(iq->query),
				              "the subquery of IN must return one column, not %d", sub->nfields);
				goto where_fail;
			}
			c = compare(cx, "=", x, sl_expr_col(cx->a, r->nfields, sub->fields[0].type), iq->span);
			if (!c)
				goto where_fail;
			r = make_join(cx, r, sub, iq->negated ? SL_JT_ANTI : SL_JT_SEMI, &c, 1, -1, iq->span);
			if (!r)
				goto where_fail;
		}
		sl_vec_free(&subq);
		for (size_t i = 0; i < exists.n; i++) {
			bool neg = SL_IS_A(exists.v[i], sl_ast_unary);
			const sl_ast_exists *ex = (const sl_ast_exists *)(neg ? ((const sl_ast_unary *)exists.v[i])->arg
			                                                      : exists.v[i]);
			sl_rel *j = bind_exists(cx, r, &sc, ex, neg);
			if (!j)
				goto where_fail;
			r = j;
		}
		sl_vec_free(&exists);
		if (0) {
	where_fail:
			sl_vec_free(&conj);
			sl_vec_free(&subq);
			sl_vec_free(&exists);
			return NULL;
		}
	}
	if (!is_agg)
		for (int i = 0; i < s->targets.n && !is_agg; i++)
			is_agg = contains_agg(cx, s->targets.items[i]->expr);
	if (is_agg) {
		r = bind_aggregate(cx, s, r, &sc, fr.is_tvf);
		if (!r)
			return NULL;
	} else {
		target_list tl = {0};
		over_ctx ov = {0};
		ov.sc = &sc;
		ov.sel = s;
		cx->over = &ov;
		cx->clause = "SELECT";
		if (!bind_targets(cx, s, &sc, &tl)) {
			cx->over = NULL;
			sl_vec_free(&tl.exprs);
			sl_vec_free(&tl.names);
			sl_vec_free(&ov.items);
			return NULL;
		}
		cx->over = NULL;
		if (ov.items.n > 0)
			r = bind_over(cx, r, &ov, &tl);
		else
			r = make_calc(cx, r, (int)tl.exprs.n, tl.exprs.v, tl.names.v, NULL);
		sl_vec_free(&tl.exprs);
		sl_vec_free(&tl.names);
		sl_vec_free(&ov.items);
		if (!r)
			return NULL;
	}
	if (s->quantifier == SL_QUANT_DISTINCT) {
		sl_rel *d = new_rel(cx, T_LAggregate, 1, r->nfields);
		int *keys = SL_ANEWN(cx->a, int, r->nfields + 1);
		d->inputs[0] = r;
		for (int i = 0; i < r->nfields; i++) {
			keys[i] = i;
			d->fields[i].name = r->fields[i].name;
			d->fields[i].type = no_time_attr(cx, r->fields[i].type);
		}
		d->nkeys = r->nfields;
		d->keys = keys;
		d->win_start_col = d->win_end_col = -1;
		set_time_cols(d);
		r = d;
	}
	cx->clause = saved_clause;
	cx->agg = saved_agg;
	cx->over = saved_over;
	return r;
}

static sl_rel *
bind_values(sl_bind_ctx *cx, const sl_ast_values *v)
{
	int n = v->rows.items[0]->items.n;
	sl_rel *r = new_rel(cx, T_LValues, 0, n);
	scope empty = {0, NULL};
	r->nrows = v->rows.n;
	r->rows = SL_ANEWN(cx->a, sl_expr **, v->rows.n);
	for (int i = 0; i < v->rows.n; i++) {
		const sl_ast_row_ctor *row = v->rows.items[i];
		if (row->items.n != n) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, row->span,
			              "VALUES rows must all have %d values; this one has %d", n, row->items.n);
			return NULL;
		}
		r->rows[i] = SL_ANEWN(cx->a, sl_expr *, n + 1);
		for (int j = 0; j < n; j++) {
			sl_expr *e = sl_bind_expr(cx, &empty, row->items.items[j]);
			if (!e)
				return NULL;
			r->rows[i][j] = e;
			if (i == 0) {
				r->fields[j].name = sl_arena_printf(cx->a, "EXPR$%d", j);
				r->fields[j].type = e->type;
			} else {
				const sl_type *t = sl_type_common_super(cx->a, r->fields[j].type, e->type);
				if (!t) {
					sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, e->span,
					              "VALUES column %d has incompatible types %s and %s", j + 1,
					              type_str(cx->a, r->fields[j].type), type_str(cx->a, e->type));
					return NULL;
				}
				r->fields[j].type = t;
			}
		}
	}
	set_time_cols(r);
	return r;
}

/* Cast the columns of r to types (a Calc) when they differ. */
static sl_rel *
cast_to(sl_bind_ctx *cx, sl_rel *r, const sl_field *want, int n)
{
	bool need = false;
	sl_expr **ex = SL_ANEWN(cx->a, sl_expr *, n + 1);
	const char **names = SL_ANEWN(cx->a, const char *, n + 1);
	for (int i = 0; i < n; i++) {
		ex[i] = sl_expr_col(cx->a, i, r->fields[i].type);
		names[i] = want[i].name;
		if (!sl_type_equal(r->fields[i].type, want[i].type) &&
		    !(sl_type_is_string(r->fields[i].type) && sl_type_is_string(want[i].type)) &&
		    !(r->fields[i].type->kind == want[i].type->kind &&
		      r->fields[i].type->precision == want[i].type->precision &&
		      r->fields[i].type->scale == want[i].type->scale && r->fields[i].type->kind != SL_TYPE_ROW)) {
			ex[i] = sl_expr_cast(cx->a, ex[i], want[i].type);
			need = true;
		}
		if (strcmp(names[i], r->fields[i].name) != 0)
			need = true;
	}
	return need ? make_calc(cx, r, n, ex, names, NULL) : r;
}

sl_rel *
sl_bind_query(sl_bind_ctx *cx, const sl_ast_query_expr *q)
{
	sl_rel *r = NULL;
	if (cx->err)
		return NULL;
	if (++cx->depth > MAX_DEPTH) {
		sl_bind_error(cx, SL_ERR_LIMIT, ((const sl_ast_select *)q)->span, "queries nest too deeply");
		cx->depth--;
		return NULL;
	}
	switch (SL_TAG(q)) {
	case T_sl_ast_select:
		r = bind_select(cx, (const sl_ast_select *)q);
		break;
	case T_sl_ast_values:
		r = bind_values(cx, (const sl_ast_values *)q);
		break;
	case T_sl_ast_query: {
		const sl_ast_query *qq = (const sl_ast_query *)q;
		size_t saved = cx->ctes.n;
		for (int i = 0; i < qq->ctes.n; i++) {
			cte_def d = {qq->ctes.items[i]->name.name, qq->ctes.items[i]};
			sl_vec_push(&cx->ctes, d);
		}
		if (qq->order_by.n > 0 || qq->limit || qq->offset) {
			sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED,
			              qq->order_by.n ? qq->order_by.items[0]->span
			                             : ((const sl_ast_literal *)(qq->limit ? qq->limit : qq->offset))->span,
			              "ORDER BY and LIMIT are not supported on an unbounded stream");
			hint(cx, "%s", "for the top rows per group use ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) and filter on it");
		} else {
			r = sl_bind_query(cx, qq->body);
		}
		cx->ctes.n = saved;
		break;
	}
	case T_sl_ast_set_op: {
		const sl_ast_set_op *so = (const sl_ast_set_op *)q;
		sl_rel *l = sl_bind_query(cx, so->left), *rr;
		if (!l)
			break;
		if (!(rr = sl_bind_query(cx, so->right)))
			break;
		if (so->op != SL_SETOP_UNION || !so->all) {
			sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, so->span,
			              "only UNION ALL is supported between queries");
			break;
		}
		if (l->nfields != rr->nfields) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, so->span,
			              "UNION ALL inputs have %d and %d columns", l->nfields, rr->nfields);
			break;
		}
		r = new_rel(cx, T_LUnion, 2, l->nfields);
		for (int i = 0; i < l->nfields; i++) {
			const sl_type *t = sl_type_common_super(cx->a, l->fields[i].type, rr->fields[i].type);
			if (!t) {
				sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, so->span,
				              "UNION ALL column %d has incompatible types %s and %s", i + 1,
				              type_str(cx->a, l->fields[i].type), type_str(cx->a, rr->fields[i].type));
				r = NULL;
				goto out;
			}
			r->fields[i].name = l->fields[i].name;
			r->fields[i].type = t;
			if (l->fields[i].type->time_attr != rr->fields[i].type->time_attr)
				r->fields[i].type = no_time_attr(cx, t);
		}
		r->inputs[0] = cast_to(cx, l, r->fields, r->nfields);
		r->inputs[1] = cast_to(cx, rr, r->fields, r->nfields);
		set_time_cols(r);
		break;
	}
	default:
		sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, ((const sl_ast_select *)q)->span,
		              "%s is not a query", sl_ast_node_name(SL_TAG(q)));
		break;
	}
out:
	cx->depth--;
	return cx->err ? NULL : r;
}

/* ---------------------------------------------------------------------
 * Sinks
 * ------------------------------------------------------------------- */
static sl_rel *
make_sink(sl_bind_ctx *cx, sl_rel *q, const sl_table *t, const char *name, sl_span span)
{
	sl_rel *s = new_rel(cx, T_LSink, 1, q->nfields);
	s->inputs[0] = q;
	s->sink = t;
	s->sink_name = name;
	s->span = span;
	for (int i = 0; i < q->nfields; i++) {
		s->fields[i] = q->fields[i];
		/* a proctime reaches a sink as a plain value (Flink's
		 * PROCTIME_MATERIALIZE: the Calc computing it read the clock) */
		if (s->fields[i].type->time_attr == SL_TIME_ATTR_PROCTIME)
			s->fields[i].type = no_time_attr(cx, s->fields[i].type);
	}
	set_time_cols(s);
	return s;
}

sl_rel *
sl_bind_select_sink(sl_bind_ctx *cx, sl_rel *q, sl_span span)
{
	return make_sink(cx, q, NULL, "collect", span);
}

sl_rel *
sl_bind_insert(sl_bind_ctx *cx, const sl_ast_insert *ins)
{
	const char *name = ins->table.items[ins->table.n - 1].name;
	sl_span tspan = sl_span_join(ins->table.items[0].span, ins->table.items[ins->table.n - 1].span);
	const sl_table *t = sl_catalog_table(cx->cat, name);
	sl_rel *q;
	int ntarget = 0;
	int *target_cols;
	sl_field *want;

	if (!t) {
		const char **cands = SL_ANEWN(cx->a, const char *, cx->cat->tables.n + 1);
		const char *near;
		for (size_t i = 0; i < cx->cat->tables.n; i++)
			cands[i] = cx->cat->tables.v[i]->name;
		if (sl_catalog_view(cx->cat, name))
			sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, tspan, "cannot INSERT INTO view \"%s\"", name);
		else
			sl_bind_error(cx, SL_ERR_UNDEFINED_TABLE, tspan, "table \"%s\" does not exist", name);
		near = sl_suggest(name, cands, cx->cat->tables.n);
		if (near)
			hint(cx, "did you mean \"%s\"?", near);
		return NULL;
	}
	q = sl_bind_query(cx, ins->query);
	if (!q)
		return NULL;
	/* the writable columns: physical (and non-virtual metadata) */
	target_cols = SL_ANEWN(cx->a, int, t->ncols + 1);
	if (ins->columns.n > 0) {
		for (int i = 0; i < ins->columns.n; i++) {
			int c = -1;
			for (int j = 0; j < t->ncols; j++)
				if (strcmp(t->cols[j].name, ins->columns.items[i].name) == 0)
					c = j;
			if (c < 0) {
				const char **cands = SL_ANEWN(cx->a, const char *, t->ncols + 1);
				const char *near;
				for (int j = 0; j < t->ncols; j++)
					cands[j] = t->cols[j].name;
				sl_bind_error(cx, SL_ERR_UNDEFINED_COLUMN, ins->columns.items[i].span,
				              "column \"%s\" of table \"%s\" does not exist", ins->columns.items[i].name, name);
				near = sl_suggest(ins->columns.items[i].name, cands, (size_t)t->ncols);
				if (near)
					hint(cx, "did you mean \"%s\"?", near);
				return NULL;
			}
			target_cols[ntarget++] = c;
		}
	} else {
		for (int j = 0; j < t->ncols; j++)
			if (t->cols[j].kind == SL_TCOL_PHYSICAL ||
			    (t->cols[j].kind == SL_TCOL_METADATA && !t->cols[j].is_virtual))
				target_cols[ntarget++] = j;
	}
	if (q->nfields != ntarget) {
		sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, tspan,
		              "INSERT INTO \"%s\" has %d target column%s but the query produces %d", name, ntarget,
		              ntarget == 1 ? "" : "s", q->nfields);
		return NULL;
	}
	want = SL_ANEWN(cx->a, sl_field, ntarget + 1);
	for (int i = 0; i < ntarget; i++) {
		const sl_column *c = &t->cols[target_cols[i]];
		const sl_type *from = q->fields[i].type;
		want[i].name = c->name;
		want[i].type = c->type;
		if (!sl_type_can_implicit_cast(from, c->type) && !sl_type_equal(from, c->type) &&
		    from->kind != SL_TYPE_NULL &&
		    !(sl_type_is_string(from) && sl_type_is_string(c->type)) &&
		    !(sl_type_is_numeric(from) && sl_type_is_numeric(c->type)) &&
		    !(sl_type_is_temporal(from) && sl_type_is_temporal(c->type) && from->kind == c->type->kind)) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, tspan,
			              "column %d of the query is %s, which cannot be inserted into column \"%s\" of type %s",
			              i + 1, type_str(cx->a, from), c->name, type_str(cx->a, c->type));
			hint(cx, "%s", "use CAST in the SELECT list");
			return NULL;
		}
	}
	q = cast_to(cx, q, want, ntarget);
	return make_sink(cx, q, t, name, tspan);
}
