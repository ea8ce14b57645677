/*
 * lower.c
 *	  Planner expressions (sl_expr, bound and typed) to runtime expression
 *	  trees (sl_rexpr).
 *
 *	  The planner's CALL names are the canonical operator/function names
 *	  ("=", "AND", "IS NULL", "IN", "LIKE", "MOD", ...). The logical forms
 *	  (AND/OR/NOT/IS/IN/LIKE/CASE/COALESCE) get their dedicated runtime
 *	  nodes; everything else resolves through sl_rexpr_call_named, which
 *	  picks the overload and adds implicit casts. When the runtime's result
 *	  type differs from the planner's (e.g. a narrower DECIMAL) a CAST to
 *	  the planner's type is added, so output vectors have exactly the
 *	  types the plan promises.
 *
 * INTERFACE ROUTINES
 *	  sl_lower_expr
 */
#include "runtime/op.h"
#include "runtime/expr.h"

#include <string.h>

static sl_rexpr *lower(sl_arena *a, const sl_expr *e, sl_error **errp);

static bool
same_physical(const sl_type *x, const sl_type *y)
{
	if (x->kind != y->kind)
		return x->kind == SL_TYPE_NULL || y->kind == SL_TYPE_NULL ? false :
		       (sl_type_is_string(x) && sl_type_is_string(y));
	if (x->kind == SL_TYPE_DECIMAL)
		return x->precision == y->precision && x->scale == y->scale;
	if (x->kind == SL_TYPE_ROW || x->kind == SL_TYPE_ARRAY || x->kind == SL_TYPE_MAP)
		return true;
	return true;
}

/* r converted to type t when its physical form differs. */
static sl_rexpr *
coerce(sl_arena *a, sl_rexpr *r, const sl_type *t)
{
	if (!r || same_physical(r->type, t))
		return r;
	return sl_rexpr_cast(a, r, t, false);
}

static sl_rexpr *
lower_lit(sl_arena *a, const sl_expr *e)
{
	const sl_type *t = e->type;
	sl_datum d;
	memset(&d, 0, sizeof d);
	if (e->lit.is_null || t->kind == SL_TYPE_NULL)
		return sl_rexpr_const_null(a, t); /* an untyped NULL stays NULL: calls cast it */
	switch (t->kind) {
	case SL_TYPE_BOOLEAN:
		d.v.b = e->lit.i != 0;
		break;
	case SL_TYPE_FLOAT:
	case SL_TYPE_DOUBLE:
		d.v.f = e->lit.d;
		break;
	case SL_TYPE_DECIMAL:
		d.v.dec = e->lit.i;
		break;
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR:
	case SL_TYPE_BYTES:
		d.v.s.len = e->lit.slen;
		d.v.s.ptr = sl_arena_strndup(a, e->lit.s ? e->lit.s : "", e->lit.slen);
		break;
	default:
		d.v.i = e->lit.i;
		break;
	}
	return sl_rexpr_const(a, t, &d);
}

static sl_rexpr **
lower_args(sl_arena *a, const sl_expr *e, int from, sl_error **errp)
{
	sl_rexpr **args = SL_ANEWN(a, sl_rexpr *, e->nargs > 0 ? e->nargs : 1);
	for (int i = from; i < e->nargs; i++)
		if (!(args[i] = lower(a, e->args[i], errp)))
			return NULL;
	return args;
}

static sl_rexpr *
lower_call(sl_arena *a, const sl_expr *e, sl_error **errp)
{
	const char *n = e->name;
	sl_rexpr **args;

	if (e->is_udf && e->udf) {
		/* arguments were cast to the parameter types by the binder */
		if (!(args = lower_args(a, e, 0, errp)))
			return NULL;
		return sl_rexpr_udf(a, e->udf, args, e->nargs, e->type);
	}
	if (e->is_udf || n[0] == '$') {
		if (errp)
			*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, e->span,
			                     "sluice run cannot execute %s yet", n);
		return NULL;
	}
	if (!(args = lower_args(a, e, 0, errp)))
		return NULL;
	if (strcmp(n, "AND") == 0)
		return sl_rexpr_and(a, args, e->nargs);
	if (strcmp(n, "OR") == 0)
		return sl_rexpr_or(a, args, e->nargs);
	if (strcmp(n, "NOT") == 0 && e->nargs == 1) {
		sl_rexpr *x = args[0];
		/* NOT IN / NOT LIKE: the negated node forms */
		if (x->kind == SL_REXPR_IN || x->kind == SL_REXPR_LIKE) {
			sl_rexpr *c = SL_ANEW(a, sl_rexpr);
			*c = *x;
			c->negated = !x->negated;
			return c;
		}
		return sl_rexpr_not(a, x);
	}
	if (strncmp(n, "IS ", 3) == 0 && e->nargs == 1) {
		static const struct { const char *name; sl_is_test t; } is[] = {
			{"IS NULL", SL_IS_NULL}, {"IS NOT NULL", SL_IS_NOT_NULL},
			{"IS TRUE", SL_IS_TRUE}, {"IS NOT TRUE", SL_IS_NOT_TRUE},
			{"IS FALSE", SL_IS_FALSE}, {"IS NOT FALSE", SL_IS_NOT_FALSE},
			{"IS UNKNOWN", SL_IS_NULL}, {"IS NOT UNKNOWN", SL_IS_NOT_NULL},
		};
		for (size_t i = 0; i < SL_ARRAY_LEN(is); i++)
			if (strcmp(n, is[i].name) == 0)
				return sl_rexpr_is(a, args[0], is[i].t);
	}
	if (strcmp(n, "IN") == 0 && e->nargs >= 2) {
		const sl_type *t = args[0]->type;
		for (int i = 1; i < e->nargs; i++) {
			const sl_type *s = sl_type_common_super(a, t, args[i]->type);
			if (s)
				t = s;
		}
		for (int i = 0; i < e->nargs; i++)
			args[i] = coerce(a, args[i], t);
		return sl_rexpr_in(a, args[0], args + 1, e->nargs - 1, false);
	}
	if (strcmp(n, "LIKE") == 0 && e->nargs >= 2)
		return sl_rexpr_like(a, args[0], args[1], e->nargs > 2 ? args[2] : NULL, false);
	if (strcmp(n, "COALESCE") == 0 || strcmp(n, "IFNULL") == 0) {
		for (int i = 0; i < e->nargs; i++)
			args[i] = coerce(a, args[i], e->type);
		return sl_rexpr_coalesce(a, args, e->nargs, e->type);
	}
	if (strcmp(n, "IF") == 0 && e->nargs == 3)
		return sl_rexpr_if(a, args[0], coerce(a, args[1], e->type), coerce(a, args[2], e->type),
		                   e->type);
	/* PROCTIME() (a lookup join's time attribute) reads the wall clock */
	if (strcmp(n, "PROCTIME") == 0 && e->nargs == 0)
		n = "CURRENT_TIMESTAMP";
	{
		sl_rexpr *r = sl_rexpr_call_named(a, n, args, e->nargs, errp);
		if (!r) {
			if (errp && *errp && !sl_span_valid((*errp)->span))
				(*errp)->span = e->span;
			return NULL;
		}
		return coerce(a, r, e->type);
	}
}

static sl_rexpr *
lower(sl_arena *a, const sl_expr *e, sl_error **errp)
{
	switch (e->kind) {
	case SL_EX_COL:
		return sl_rexpr_col(a, e->col, e->type);
	case SL_EX_LIT:
		return lower_lit(a, e);
	case SL_EX_FIELD: {
		sl_rexpr *row = lower(a, e->args[0], errp);
		return row ? sl_rexpr_field(a, row, e->field) : NULL;
	}
	case SL_EX_CAST: {
		sl_rexpr *x = lower(a, e->args[0], errp);
		return x ? sl_rexpr_cast(a, x, e->type, e->try_cast) : NULL;
	}
	case SL_EX_CASE: {
		int n = e->nargs / 2;
		sl_rexpr **w = SL_ANEWN(a, sl_rexpr *, n + 1), **t = SL_ANEWN(a, sl_rexpr *, n + 1);
		sl_rexpr *els = NULL;
		for (int i = 0; i < n; i++) {
			if (!(w[i] = lower(a, e->args[2 * i], errp)) || !(t[i] = lower(a, e->args[2 * i + 1], errp)))
				return NULL;
			t[i] = coerce(a, t[i], e->type);
		}
		if (e->has_else || (e->nargs & 1)) {
			if (!(els = lower(a, e->args[e->nargs - 1], errp)))
				return NULL;
			els = coerce(a, els, e->type);
		}
		return sl_rexpr_case(a, w, t, n, els, e->type);
	}
	case SL_EX_CALL:
		return lower_call(a, e, errp);
	}
	if (errp)
		*errp = sl_error_new(SL_ERR_INTERNAL, e->span, "unknown expression kind %d", (int)e->kind);
	return NULL;
}

sl_rexpr *
sl_lower_expr(sl_arena *a, const sl_expr *e, sl_error **errp)
{
	return lower(a, e, errp);
}
