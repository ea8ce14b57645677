/*
 * expr.c
 *	  Bound expressions: constructors, structural equality, column
 *	  remapping and substitution, conjunct splitting, constant folding and
 *	  printing (EXPLAIN's spelling, Flink-like: "=(MOD(auction, 123), 0)").
 *
 *	  Expressions live in the query arena and are never mutated once they
 *	  are part of a plan: every transformation returns a copy.
 */
#include "planner/planner_int.h"

#include <inttypes.h>
#include <string.h>

sl_expr *
sl_expr_col(sl_arena *a, int col, const sl_type *t)
{
	sl_expr *e = SL_ANEW(a, sl_expr);
	e->kind = SL_EX_COL;
	e->col = col;
	e->type = t;
	e->span = SL_SPAN_NONE;
	return e;
}

sl_expr *
sl_expr_lit(sl_arena *a, const sl_type *t, sl_value v)
{
	sl_expr *e = SL_ANEW(a, sl_expr);
	e->kind = SL_EX_LIT;
	e->type = t;
	e->lit = v;
	e->span = SL_SPAN_NONE;
	return e;
}

sl_expr *
sl_expr_int(sl_arena *a, int64_t v)
{
	sl_value val = {0};
	val.i = v;
	return sl_expr_lit(a, sl_type_with_nullable(a, sl_type_simple(SL_TYPE_INT), false), val);
}

sl_expr *
sl_expr_bool(sl_arena *a, bool v)
{
	sl_value val = {0};
	val.i = v;
	return sl_expr_lit(a, sl_type_with_nullable(a, sl_type_simple(SL_TYPE_BOOLEAN), false), val);
}

sl_expr *
sl_expr_call(sl_arena *a, const char *name, const sl_type *t, int nargs, sl_expr **args)
{
	sl_expr *e = SL_ANEW(a, sl_expr);
	e->kind = SL_EX_CALL;
	e->name = name;
	e->type = t;
	e->nargs = nargs;
	e->args = SL_ANEWN(a, sl_expr *, nargs > 0 ? nargs : 1);
	for (int i = 0; i < nargs; i++)
		e->args[i] = args[i];
	e->span = SL_SPAN_NONE;
	return e;
}

sl_expr *
sl_expr_call2(sl_arena *a, const char *name, const sl_type *t, sl_expr *x, sl_expr *y)
{
	sl_expr *args[2] = {x, y};
	return sl_expr_call(a, name, t, 2, args);
}

sl_expr *
sl_expr_cast(sl_arena *a, sl_expr *x, const sl_type *t)
{
	sl_expr *e = SL_ANEW(a, sl_expr);
	e->kind = SL_EX_CAST;
	e->type = t;
	e->nargs = 1;
	e->args = SL_ANEWN(a, sl_expr *, 1);
	e->args[0] = x;
	e->span = x->span;
	return e;
}

sl_expr *
sl_expr_copy(sl_arena *a, const sl_expr *e)
{
	sl_expr *c = SL_ANEW(a, sl_expr);
	*c = *e;
	if (e->nargs > 0) {
		c->args = SL_ANEWN(a, sl_expr *, e->nargs);
		for (int i = 0; i < e->nargs; i++)
			c->args[i] = sl_expr_copy(a, e->args[i]);
	}
	return c;
}

static bool
value_equal(const sl_value *x, const sl_value *y)
{
	if (x->is_null || y->is_null)
		return x->is_null == y->is_null;
	return x->i == y->i && x->d == y->d && x->slen == y->slen &&
	       (x->slen == 0 || memcmp(x->s, y->s, x->slen) == 0);
}

bool
sl_expr_equal(const sl_expr *x, const sl_expr *y)
{
	if (x->kind != y->kind || x->nargs != y->nargs)
		return false;
	switch (x->kind) {
	case SL_EX_COL:
		return x->col == y->col;
	case SL_EX_LIT:
		return sl_type_equal(x->type, y->type) && value_equal(&x->lit, &y->lit);
	case SL_EX_FIELD:
		if (x->field != y->field)
			return false;
		break;
	case SL_EX_CALL:
		if (strcmp(x->name, y->name) != 0)
			return false;
		break;
	case SL_EX_CAST:
		if (!sl_type_equal(x->type, y->type) || x->try_cast != y->try_cast)
			return false;
		break;
	case SL_EX_CASE:
		if (x->has_else != y->has_else)
			return false;
		break;
	}
	for (int i = 0; i < x->nargs; i++)
		if (!sl_expr_equal(x->args[i], y->args[i]))
			return false;
	return true;
}

sl_expr *
sl_expr_remap(sl_arena *a, const sl_expr *e, const int *map)
{
	sl_expr *c = SL_ANEW(a, sl_expr);
	*c = *e;
	if (e->kind == SL_EX_COL) {
		c->col = map[e->col];
		SL_ASSERT(c->col >= 0);
		return c;
	}
	if (e->nargs > 0) {
		c->args = SL_ANEWN(a, sl_expr *, e->nargs);
		for (int i = 0; i < e->nargs; i++)
			c->args[i] = sl_expr_remap(a, e->args[i], map);
	}
	return c;
}

sl_expr *
sl_expr_subst(sl_arena *a, const sl_expr *e, sl_expr *const *subst)
{
	sl_expr *c;
	if (e->kind == SL_EX_COL)
		return sl_expr_copy(a, subst[e->col]);
	c = SL_ANEW(a, sl_expr);
	*c = *e;
	if (e->nargs > 0) {
		c->args = SL_ANEWN(a, sl_expr *, e->nargs);
		for (int i = 0; i < e->nargs; i++)
			c->args[i] = sl_expr_subst(a, e->args[i], subst);
	}
	return c;
}

void
sl_expr_cols(const sl_expr *e, bool *used)
{
	if (!e)
		return;
	if (e->kind == SL_EX_COL)
		used[e->col] = true;
	for (int i = 0; i < e->nargs; i++)
		sl_expr_cols(e->args[i], used);
}

bool
sl_expr_is_true(const sl_expr *e)
{
	return e && e->kind == SL_EX_LIT && e->type->kind == SL_TYPE_BOOLEAN &&
	       !e->lit.is_null && e->lit.i == 1;
}

void
sl_expr_conjuncts(sl_expr *e, sl_expr_vec *v)
{
	if (!e)
		return;
	if (e->kind == SL_EX_CALL && strcmp(e->name, "AND") == 0) {
		for (int i = 0; i < e->nargs; i++)
			sl_expr_conjuncts(e->args[i], v);
		return;
	}
	if (sl_expr_is_true(e))
		return;
	sl_vec_push(v, e);
}

sl_expr *
sl_expr_and(sl_arena *a, sl_expr **v, size_t n)
{
	const sl_type *bt;
	bool nullable = false;
	if (n == 0)
		return NULL;
	if (n == 1)
		return v[0];
	for (size_t i = 0; i < n; i++)
		nullable |= v[i]->type->nullable;
	bt = sl_type_with_nullable(a, sl_type_simple(SL_TYPE_BOOLEAN), nullable);
	return sl_expr_call(a, "AND", bt, (int)n, v);
}

/* ---------------------------------------------------------------------
 * Constant folding: integer arithmetic and comparisons over literals,
 * boolean AND/OR/NOT with literal operands.
 * ------------------------------------------------------------------- */
static bool
is_int_lit(const sl_expr *e)
{
	return e->kind == SL_EX_LIT && !e->lit.is_null &&
	       (e->type->kind == SL_TYPE_INT || e->type->kind == SL_TYPE_BIGINT ||
	        e->type->kind == SL_TYPE_SMALLINT || e->type->kind == SL_TYPE_TINYINT);
}

static bool
is_bool_lit(const sl_expr *e, int v)
{
	return e->kind == SL_EX_LIT && e->type->kind == SL_TYPE_BOOLEAN && !e->lit.is_null &&
	       e->lit.i == v;
}

bool
sl_expr_has_nondeterministic(const sl_expr *e)
{
	if (e->kind == SL_EX_CALL &&
	    (strcmp(e->name, "PROCTIME") == 0 || strcmp(e->name, "RAND") == 0 ||
	     strcmp(e->name, "RAND_INTEGER") == 0 || strcmp(e->name, "UUID") == 0 || e->is_udf))
		return true;
	for (int i = 0; i < e->nargs; i++)
		if (sl_expr_has_nondeterministic(e->args[i]))
			return true;
	return false;
}

sl_expr *
sl_expr_fold(sl_arena *a, sl_expr *e)
{
	sl_expr *c;
	if (e->nargs == 0)
		return e;
	c = SL_ANEW(a, sl_expr);
	*c = *e;
	c->args = SL_ANEWN(a, sl_expr *, e->nargs);
	for (int i = 0; i < e->nargs; i++)
		c->args[i] = sl_expr_fold(a, e->args[i]);
	if (c->kind != SL_EX_CALL)
		return c;
	if (c->nargs == 2 && is_int_lit(c->args[0]) && is_int_lit(c->args[1]) &&
	    (c->type->kind == SL_TYPE_INT || c->type->kind == SL_TYPE_BIGINT ||
	     c->type->kind == SL_TYPE_BOOLEAN)) {
		int64_t x = c->args[0]->lit.i, y = c->args[1]->lit.i, r;
		const char *n = c->name;
		bool ok = true;
		if (strcmp(n, "+") == 0) ok = !__builtin_add_overflow(x, y, &r);
		else if (strcmp(n, "-") == 0) ok = !__builtin_sub_overflow(x, y, &r);
		else if (strcmp(n, "*") == 0) ok = !__builtin_mul_overflow(x, y, &r);
		else if (strcmp(n, "=") == 0) r = x == y;
		else if (strcmp(n, "<>") == 0) r = x != y;
		else if (strcmp(n, "<") == 0) r = x < y;
		else if (strcmp(n, "<=") == 0) r = x <= y;
		else if (strcmp(n, ">") == 0) r = x > y;
		else if (strcmp(n, ">=") == 0) r = x >= y;
		else ok = false;
		if (ok) {
			if (c->type->kind == SL_TYPE_INT && (r > INT32_MAX || r < INT32_MIN))
				return c; /* leave the overflow to run time, as Flink does */
			sl_value v = {0};
			v.i = r;
			return sl_expr_lit(a, sl_type_with_nullable(a, c->type, false), v);
		}
	}
	if (strcmp(c->name, "AND") == 0 || strcmp(c->name, "OR") == 0) {
		bool is_and = c->name[0] == 'A';
		sl_expr_vec keep = {0};
		sl_expr *r;
		for (int i = 0; i < c->nargs; i++) {
			if (is_bool_lit(c->args[i], is_and ? 0 : 1)) {
				sl_vec_free(&keep);
				return sl_expr_bool(a, !is_and);
			}
			if (!is_bool_lit(c->args[i], is_and ? 1 : 0))
				sl_vec_push(&keep, c->args[i]);
		}
		if (keep.n == 0)
			r = sl_expr_bool(a, is_and);
		else if (keep.n == 1)
			r = keep.v[0];
		else if ((int)keep.n == c->nargs)
			r = c;
		else
			r = sl_expr_call(a, c->name, c->type, (int)keep.n, keep.v);
		sl_vec_free(&keep);
		return r;
	}
	if (strcmp(c->name, "NOT") == 0 && c->args[0]->kind == SL_EX_LIT &&
	    c->args[0]->type->kind == SL_TYPE_BOOLEAN && !c->args[0]->lit.is_null)
		return sl_expr_bool(a, !c->args[0]->lit.i);
	return c;
}

/* ---------------------------------------------------------------------
 * Printing.
 * ------------------------------------------------------------------- */
void
sl_format_duration(int64_t us, sl_strbuf *out)
{
	if (us % 3600000000LL == 0 && us != 0)
		sl_strbuf_appendf(out, "%" PRId64 " h", (int64_t)(us / 3600000000LL));
	else if (us % 60000000LL == 0 && us != 0)
		sl_strbuf_appendf(out, "%" PRId64 " min", (int64_t)(us / 60000000LL));
	else if (us % 1000000LL == 0)
		sl_strbuf_appendf(out, "%" PRId64 " s", (int64_t)(us / 1000000LL));
	else if (us % 1000LL == 0)
		sl_strbuf_appendf(out, "%" PRId64 " ms", (int64_t)(us / 1000LL));
	else
		sl_strbuf_appendf(out, "%" PRId64 " us", us);
}

static void
print_lit(const sl_expr *e, sl_strbuf *out)
{
	const sl_type *t = e->type;
	if (e->lit.is_null) {
		sl_strbuf_append(out, "null:");
		sl_type_to_string(t, out);
		return;
	}
	switch (t->kind) {
	case SL_TYPE_BOOLEAN:
		sl_strbuf_append(out, e->lit.i ? "true" : "false");
		break;
	case SL_TYPE_TINYINT: case SL_TYPE_SMALLINT: case SL_TYPE_INT:
		sl_strbuf_appendf(out, "%" PRId64, e->lit.i);
		break;
	case SL_TYPE_BIGINT:
		sl_strbuf_appendf(out, "%" PRId64 ":BIGINT", e->lit.i);
		break;
	case SL_TYPE_FLOAT: case SL_TYPE_DOUBLE:
		sl_strbuf_appendf(out, "%.17g", e->lit.d);
		break;
	case SL_TYPE_DECIMAL: {
		int64_t v = e->lit.i, p = 1;
		for (int i = 0; i < t->scale; i++)
			p *= 10;
		if (v < 0) {
			sl_strbuf_appendc(out, '-');
			v = -v;
		}
		if (t->scale > 0)
			sl_strbuf_appendf(out, "%" PRId64 ".%0*" PRId64, v / p, t->scale, v % p);
		else
			sl_strbuf_appendf(out, "%" PRId64, v);
		break;
	}
	case SL_TYPE_CHAR: case SL_TYPE_VARCHAR: case SL_TYPE_BYTES:
		sl_strbuf_appendc(out, '\'');
		for (uint32_t i = 0; i < e->lit.slen; i++) {
			if (e->lit.s[i] == '\'')
				sl_strbuf_appendc(out, '\'');
			sl_strbuf_appendc(out, e->lit.s[i]);
		}
		sl_strbuf_appendc(out, '\'');
		break;
	case SL_TYPE_INTERVAL_DT:
		sl_format_duration(e->lit.i, out);
		break;
	case SL_TYPE_INTERVAL_YM:
		sl_strbuf_appendf(out, "%" PRId64 " month", e->lit.i);
		break;
	default:
		sl_strbuf_appendf(out, "%" PRId64 ":", e->lit.i);
		sl_type_to_string(t, out);
		break;
	}
}

void
sl_expr_print(const sl_expr *e, const sl_field *in, int nin, sl_strbuf *out)
{
	switch (e->kind) {
	case SL_EX_COL:
		if (in && e->col >= 0 && e->col < nin)
			sl_strbuf_append(out, in[e->col].name);
		else
			sl_strbuf_appendf(out, "$%d", e->col);
		return;
	case SL_EX_LIT:
		print_lit(e, out);
		return;
	case SL_EX_FIELD:
		sl_expr_print(e->args[0], in, nin, out);
		sl_strbuf_appendf(out, ".%s", e->name);
		return;
	case SL_EX_CAST:
		sl_strbuf_append(out, e->try_cast ? "TRY_CAST(" : "CAST(");
		sl_expr_print(e->args[0], in, nin, out);
		sl_strbuf_append(out, " AS ");
		sl_type_to_string(e->type, out);
		sl_strbuf_appendc(out, ')');
		return;
	case SL_EX_CASE:
		sl_strbuf_append(out, "CASE(");
		break;
	case SL_EX_CALL:
		sl_strbuf_append(out, e->name);
		sl_strbuf_appendc(out, '(');
		break;
	}
	for (int i = 0; i < e->nargs; i++) {
		if (i)
			sl_strbuf_append(out, ", ");
		sl_expr_print(e->args[i], in, nin, out);
	}
	sl_strbuf_appendc(out, ')');
}
