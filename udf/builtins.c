/*
 * builtins.c
 *	  The built-in scalar function registry (builtins.def) and overload
 *	  resolution: which overload fits the argument types, the implicit
 *	  casts it needs and the result type, following Flink's rules. The
 *	  type rules themselves (common supertype, DECIMAL precision/scale) are
 *	  planner/types.c's, so the binder and the runtime cannot disagree.
 *
 *	  Pure functions over a constant table; thread-safe. Types are
 *	  allocated in the caller's arena.
 *
 * INTERFACE ROUTINES
 *	  sl_udf_builtin_info, sl_udf_builtin_exists, sl_udf_builtin_names
 *	  sl_udf_builtin_resolve
 */
#include "udf/builtins.h"

#include <stdio.h>
#include <string.h>

enum result_rule {
	R_ARITH, R_MUL, R_DIV, R_MOD, R_ARG0, R_ARG1, R_ARG2, R_COMMON, R_COALESCE,
	R_BOOL, R_BOOL_NN, R_INT, R_BIGINT, R_DOUBLE, R_STRING, R_STRING_STRICT, R_DATE, R_DATE_NN,
	R_TS3, R_TS3_NN, R_TSLTZ3, R_TSLTZ3_NN, R_ROUND, R_FLOORCEIL, R_ELEM, R_PROCTIME
};

#define STRICT SL_NULLS_STRICT
#define CUSTOM SL_NULLS_CUSTOM
#define NODE SL_NULLS_NODE
static const sl_func_info func_table[SL_FN__COUNT] = {
#define SL_FN(id, name, minargs, maxargs, argspec, result, nulls)                \
	[SL_FN_##id] = {SL_FN_##id, name, minargs, maxargs, argspec, result, nulls},
#include "udf/builtins.def"
#undef SL_FN
};
#undef STRICT
#undef CUSTOM
#undef NODE

const sl_func_info *
sl_udf_builtin_info(sl_func_id id)
{
	SL_ASSERT((unsigned)id < SL_FN__COUNT);
	return &func_table[id];
}

bool
sl_udf_builtin_exists(const char *name)
{
	for (int i = 0; i < SL_FN__COUNT; i++)
		if (sl_streq_ci(func_table[i].name, name))
			return true;
	return false;
}

static bool
is_operator(const char *name)
{
	return !(name[0] >= 'A' && name[0] <= 'Z') || strchr(name, ' ') != NULL ||
	       strcmp(name, "ITEM") == 0;
}

const char *const *
sl_udf_builtin_names(size_t *n)
{
	static const char *names[SL_FN__COUNT];
	static size_t count;
	static bool done;
	/* The table is constant, so concurrent first calls write the same
	 * values; count is published last. */
	if (!done) {
		size_t k = 0;
		for (int i = 0; i < SL_FN__COUNT; i++) {
			bool seen = false;
			if (is_operator(func_table[i].name))
				continue;
			for (size_t j = 0; j < k && !seen; j++)
				seen = strcmp(names[j], func_table[i].name) == 0;
			if (!seen)
				names[k++] = func_table[i].name;
		}
		count = k;
		done = true;
	}
	*n = count;
	return names;
}

/* ---------------------------------------------------------------------
 * Argument classes
 * ------------------------------------------------------------------- */
static bool
is_ts(const sl_type *t)
{
	return t->kind == SL_TYPE_TIMESTAMP || t->kind == SL_TYPE_TIMESTAMP_LTZ;
}

static bool
is_approx(const sl_type *t)
{
	return t->kind == SL_TYPE_FLOAT || t->kind == SL_TYPE_DOUBLE;
}

static bool
class_ok(char cls, const sl_type *t)
{
	if (t->kind == SL_TYPE_NULL)
		return true;
	switch (cls) {
	case 'n': return sl_type_is_numeric(t);
	case 'i': return sl_type_is_exact_integer(t);
	case 'e': return sl_type_is_exact_integer(t) || t->kind == SL_TYPE_DECIMAL;
	case 's': case 'u': return sl_type_is_string(t);
	case 'b': return t->kind == SL_TYPE_BOOLEAN;
	case 't': return is_ts(t);
	case 'd': return t->kind == SL_TYPE_DATE;
	case 'T': return is_ts(t) || t->kind == SL_TYPE_DATE;
	case 'v': return t->kind == SL_TYPE_INTERVAL_DT || t->kind == SL_TYPE_INTERVAL_YM;
	case 'A': return t->kind == SL_TYPE_ARRAY;
	case 'M': return t->kind == SL_TYPE_MAP;
	case 'c': case 'a': return true;
	default: return false;
	}
}

static const char *
class_name(char cls)
{
	switch (cls) {
	case 'n': return "a numeric";
	case 'i': return "an integer";
	case 'e': return "an exact numeric";
	case 's': return "a string";
	case 'u': return "a time unit";
	case 'b': return "a boolean";
	case 't': return "a timestamp";
	case 'd': return "a date";
	case 'T': return "a date or timestamp";
	case 'v': return "an interval";
	case 'A': return "an array";
	case 'M': return "a map";
	default: return "any";
	}
}

/* A concrete type for a NULL literal in a class. */
static const sl_type *
null_default(char cls)
{
	switch (cls) {
	case 'n': case 'i': case 'e': return sl_type_simple(SL_TYPE_INT);
	case 'b': return sl_type_simple(SL_TYPE_BOOLEAN);
	case 't': case 'T': return sl_type_simple(SL_TYPE_TIMESTAMP);
	case 'd': return sl_type_simple(SL_TYPE_DATE);
	case 'v': return sl_type_simple(SL_TYPE_INTERVAL_DT);
	default: return sl_type_simple(SL_TYPE_VARCHAR);
	}
}

static char
spec_at(const sl_func_info *fi, int i)
{
	size_t len = strlen(fi->argspec);
	if (len == 0)
		return 'a';
	return fi->argspec[(size_t)i < len ? (size_t)i : len - 1];
}

/* ---------------------------------------------------------------------
 * Arithmetic
 * ------------------------------------------------------------------- */
/* t as an exact numeric DECIMAL (integers as DECIMAL(digits, 0)). */
static const sl_type *
as_decimal(sl_arena *a, const sl_type *t)
{
	if (t->kind == SL_TYPE_DECIMAL)
		return t;
	return sl_type_new_decimal(a, sl_type_integer_decimal_precision(t->kind), 0);
}

/* The type operand self is cast to before the kernel runs, or NULL to
 * keep it: DOUBLE when either side is approximate; the DECIMAL view of an
 * integer next to a DECIMAL (operands keep their own precision/scale);
 * else both integers at the wider kind, at least INT. */
static const sl_type *
arith_operand(sl_arena *a, const sl_type *x, const sl_type *y, const sl_type *self)
{
	if (is_approx(x) || is_approx(y))
		return self->kind == SL_TYPE_DOUBLE ? NULL : sl_type_simple(SL_TYPE_DOUBLE);
	if (x->kind == SL_TYPE_DECIMAL || y->kind == SL_TYPE_DECIMAL)
		return self->kind == SL_TYPE_DECIMAL ? NULL : as_decimal(a, self);
	sl_type_kind k = SL_MAX(x->kind, y->kind);
	if (k < SL_TYPE_INT)
		k = SL_TYPE_INT; /* arithmetic on TINYINT/SMALLINT runs on INT */
	return self->kind == k ? NULL : sl_type_simple(k);
}

/* Flink's result type: approximate numerics and integers take the common
 * type (FLOAT op INT is FLOAT, TINYINT op TINYINT is TINYINT: the kernels
 * compute in DOUBLE / 64 bits and check that the result fits), MOD the
 * divisor's type, DECIMALs planner/types.c's rules. */
static const sl_type *
arith_result(sl_arena *a, int rule, const sl_type *x, const sl_type *y)
{
	if (is_approx(x) || is_approx(y))
		return sl_type_common_super(a, sl_type_simple(x->kind), sl_type_simple(y->kind));
	if (x->kind != SL_TYPE_DECIMAL && y->kind != SL_TYPE_DECIMAL) {
		if (rule == R_MOD) /* Flink (Calcite's ARG1): the divisor's type */
			return sl_type_simple(y->kind);
		return sl_type_simple(SL_MAX(x->kind, y->kind));
	}
	switch (rule) {
	case R_MUL: return sl_type_decimal_mul_result(a, x, y);
	case R_DIV: return sl_type_decimal_div_result(a, x, y);
	case R_MOD: return sl_type_decimal_mod_result(a, x, y);
	default: return sl_type_decimal_add_result(a, x, y);
	}
}

/* ---------------------------------------------------------------------
 * Overloads
 * ------------------------------------------------------------------- */
/* Does the argument need a cast to reach common? Strings never do (CHAR
 * and VARCHAR share one representation). */
static bool
differs(const sl_type *t, const sl_type *common)
{
	if (sl_type_is_string(common) && sl_type_is_string(t))
		return false;
	if (t->kind != common->kind)
		return true;
	if (common->kind == SL_TYPE_DECIMAL)
		return t->precision != common->precision || t->scale != common->scale;
	return is_ts(common) && t->precision != common->precision;
}

typedef enum fit { FIT_OK, FIT_ARITY, FIT_CLASS, FIT_NO_COMMON, FIT_NOT_CONST, FIT_BAD_PRECISION } fit;

static fit
try_overload(sl_arena *a, const sl_func_info *fi, const sl_type *const *at, int n,
             const sl_func_const *consts, const sl_type **cast_to, const sl_type **result,
             int *bad_arg)
{
	const sl_type *common = NULL;
	bool anynull = false, allnull = true;

	if (n < fi->minargs || (fi->maxargs >= 0 && n > fi->maxargs))
		return FIT_ARITY;
	for (int i = 0; i < n; i++) {
		char cls = spec_at(fi, i);
		cast_to[i] = NULL;
		if (!class_ok(cls, at[i])) {
			*bad_arg = i;
			return FIT_CLASS;
		}
		anynull |= at[i]->nullable;
		if (cls == 'c') {
			allnull &= at[i]->nullable;
			common = common ? sl_type_common_super(a, common, at[i]) : at[i];
			if (!common)
				return FIT_NO_COMMON;
		} else if (at[i]->kind == SL_TYPE_NULL) {
			cast_to[i] = null_default(cls);
		}
	}
	/* arguments that must be constants: the random functions' seed (so
	 * that a seed names one sequence) and TO_TIMESTAMP_LTZ's precision */
	if (((fi->id == SL_FN_RAND && n == 1) || (fi->id == SL_FN_RAND_INTEGER && n == 2)) &&
	    (!consts || !consts[0].known) && at[0]->kind != SL_TYPE_NULL) {
		*bad_arg = 0;
		return FIT_NOT_CONST;
	}
	if (fi->id == SL_FN_TO_TIMESTAMP_LTZ && n == 2) {
		*bad_arg = 1;
		if (!consts || !consts[1].known)
			return FIT_NOT_CONST;
		if (consts[1].i != 0 && consts[1].i != 3)
			return FIT_BAD_PRECISION;
	}
	if (common) {
		if (common->kind == SL_TYPE_NULL)
			common = sl_type_simple(SL_TYPE_VARCHAR);
		common = sl_type_with_time_attr(a, common, SL_TIME_ATTR_NONE);
		for (int i = 0; i < n; i++)
			if (spec_at(fi, i) == 'c' && differs(at[i], common))
				cast_to[i] = common;
	}
	const sl_type *a0 = n > 0 ? (cast_to[0] ? cast_to[0] : at[0]) : NULL;
	switch (fi->result_rule) {
	case R_ARITH:
	case R_MUL:
	case R_DIV:
	case R_MOD: {
		const sl_type *x = a0, *y = cast_to[1] ? cast_to[1] : at[1];
		const sl_type *cx = arith_operand(a, x, y, x), *cy = arith_operand(a, x, y, y);
		if (cx)
			cast_to[0] = cx;
		if (cy)
			cast_to[1] = cy;
		*result = arith_result(a, fi->result_rule, x, y);
		break;
	}
	case R_ARG0: *result = a0; break;
	case R_ARG1: *result = cast_to[1] ? cast_to[1] : at[1]; break;
	case R_ARG2: *result = cast_to[2] ? cast_to[2] : at[2]; break;
	case R_COMMON: *result = common ? common : a0; break;
	case R_COALESCE:
		*result = sl_type_with_nullable(a, common, allnull);
		return FIT_OK;
	case R_BOOL: *result = sl_type_simple(SL_TYPE_BOOLEAN); break;
	case R_BOOL_NN: *result = sl_type_with_nullable(a, sl_type_simple(SL_TYPE_BOOLEAN), false); break;
	case R_INT: *result = sl_type_simple(SL_TYPE_INT); break;
	case R_BIGINT: *result = sl_type_simple(SL_TYPE_BIGINT); break;
	case R_DOUBLE:
		*result = sl_type_simple(SL_TYPE_DOUBLE);
		for (int i = 0; i < n; i++)
			if (at[i]->kind != SL_TYPE_DOUBLE)
				cast_to[i] = sl_type_simple(SL_TYPE_DOUBLE);
		break;
	case R_STRING: case R_STRING_STRICT: *result = sl_type_simple(SL_TYPE_VARCHAR); break;
	case R_DATE: *result = sl_type_simple(SL_TYPE_DATE); break;
	case R_DATE_NN: *result = sl_type_with_nullable(a, sl_type_simple(SL_TYPE_DATE), false); return FIT_OK;
	case R_TS3: *result = sl_type_simple(SL_TYPE_TIMESTAMP); break;
	case R_TS3_NN: *result = sl_type_with_nullable(a, sl_type_simple(SL_TYPE_TIMESTAMP), false); return FIT_OK;
	case R_TSLTZ3: *result = sl_type_simple(SL_TYPE_TIMESTAMP_LTZ); break;
	case R_TSLTZ3_NN:
		*result = sl_type_with_nullable(a, sl_type_simple(SL_TYPE_TIMESTAMP_LTZ), false);
		return FIT_OK;
	case R_PROCTIME:
		*result = sl_type_with_time_attr(a, sl_type_with_nullable(a,
		              sl_type_simple(SL_TYPE_TIMESTAMP_LTZ), false), SL_TIME_ATTR_PROCTIME);
		return FIT_OK;
	case R_ROUND:
		*result = a0;
		if (a0->kind == SL_TYPE_DECIMAL) {
			int64_t d = 0;
			if (n > 1) {
				if (!consts || !consts[1].known) {
					*bad_arg = 1;
					return FIT_NOT_CONST;
				}
				d = consts[1].i;
			}
			*result = sl_type_decimal_round_result(a, a0, d);
		}
		break;
	case R_FLOORCEIL:
		*result = a0->kind == SL_TYPE_DECIMAL ? sl_type_decimal_floor_result(a, a0) : a0;
		break;
	case R_ELEM:
		*result = sl_type_with_nullable(a, a0->elem, true);
		if (a0->kind == SL_TYPE_MAP && at[1]->kind != a0->key->kind &&
		    !(sl_type_is_string(at[1]) && sl_type_is_string(a0->key)))
			cast_to[1] = a0->key;
		return FIT_OK;
	default:
		*result = sl_type_simple(SL_TYPE_VARCHAR);
		break;
	}
	*result = sl_type_with_time_attr(a, *result, SL_TIME_ATTR_NONE);
	/* String and parsing functions may yield NULL from non-NULL input (no
	 * match, an index out of range, text that does not parse): typed
	 * nullable, as Flink types REGEXP_EXTRACT, SPLIT_INDEX, TO_TIMESTAMP */
	if (fi->result_rule == R_STRING || fi->result_rule == R_TS3 || fi->result_rule == R_DATE)
		anynull = true;
	if (fi->nulls == SL_NULLS_STRICT)
		*result = sl_type_with_nullable(a, *result, anynull);
	else if (fi->id == SL_FN_NULLIF)
		*result = sl_type_with_nullable(a, *result, true);
	else if (fi->nulls == SL_NULLS_NODE) /* IF: nullable if either branch is */
		*result = sl_type_with_nullable(a, *result, common ? common->nullable : anynull);
	return FIT_OK;
}


/* The failure of the only overload that has the right arity, or of the
 * name as a whole, as one message. */
static bool
fail_resolve(const sl_func_info *first, int narity, const sl_func_info *only,
             fit why, int bad, const sl_type *const *at, int n, const char *name,
             sl_error **errp)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_error *e;
	if (narity == 0) {
		int lo = INT32_MAX, hi = 0;
		bool variadic = false;
		for (int i = 0; i < SL_FN__COUNT; i++)
			if (sl_streq_ci(func_table[i].name, name)) {
				lo = SL_MIN(lo, func_table[i].minargs);
				hi = SL_MAX(hi, func_table[i].maxargs);
				variadic |= func_table[i].maxargs < 0;
			}
		if (variadic)
			sl_strbuf_appendf(&sb, "function \"%s\" takes at least %d argument%s", first->name,
			                  lo, lo == 1 ? "" : "s");
		else if (lo == hi)
			sl_strbuf_appendf(&sb, "function \"%s\" takes %d argument%s", first->name, lo,
			                  lo == 1 ? "" : "s");
		else
			sl_strbuf_appendf(&sb, "function \"%s\" takes %d to %d arguments", first->name, lo, hi);
		sl_strbuf_appendf(&sb, " but %d %s given", n, n == 1 ? "was" : "were");
	} else if (narity == 1 && why == FIT_CLASS) {
		sl_strbuf_appendf(&sb, "argument %d of function \"%s\" must be %s value, not ", bad + 1,
		                  only->name, class_name(spec_at(only, bad)));
		sl_type_to_string(at[bad], &sb);
	} else if (narity == 1 && why == FIT_NOT_CONST) {
		sl_strbuf_appendf(&sb, "argument %d of function \"%s\" must be a constant", bad + 1,
		                  only->name);
	} else if (narity == 1 && why == FIT_BAD_PRECISION) {
		sl_strbuf_appendf(&sb, "argument %d of function \"%s\" must be 0 (epoch seconds) or 3 "
		                  "(epoch milliseconds)", bad + 1, only->name);
	} else if (narity == 1 && why == FIT_NO_COMMON) {
		sl_strbuf_appendf(&sb, "arguments of function \"%s\" have no common type", only->name);
	} else {
		sl_strbuf_appendf(&sb, "no overload of function \"%s\" takes arguments (", first->name);
		for (int i = 0; i < n; i++) {
			sl_strbuf_appendf(&sb, "%s%s", i ? ", " : "", sl_type_kind_name(at[i]->kind));
		}
		sl_strbuf_appendc(&sb, ')');
	}
	e = sl_error_new(SL_ERR_DATATYPE_MISMATCH, SL_SPAN_NONE, "%s", sl_strbuf_str(&sb));
	sl_strbuf_free(&sb);
	if (errp)
		*errp = e;
	else
		sl_error_free(e);
	return false;
}

bool
sl_udf_builtin_resolve(sl_arena *a, const char *name, const sl_type *const *argtypes, int n,
                       const sl_func_const *consts, sl_func_id *id, const sl_type **cast_to,
                       const sl_type **result, sl_error **errp)
{
	const sl_func_info *first = NULL, *only = NULL;
	int narity = 0, bad = 0;
	fit why = FIT_ARITY;
	for (int i = 0; i < SL_FN__COUNT; i++) {
		const sl_func_info *fi = &func_table[i];
		int b = 0;
		fit f;
		if (!sl_streq_ci(fi->name, name))
			continue;
		if (!first)
			first = fi;
		f = try_overload(a, fi, argtypes, n, consts, cast_to, result, &b);
		if (f == FIT_OK) {
			*id = fi->id;
			return true;
		}
		if (f != FIT_ARITY) {
			narity++;
			only = fi;
			why = f;
			bad = b;
		}
	}
	if (!first)
		return sl_fail(errp, SL_ERR_UNDEFINED_FUNCTION, SL_SPAN_NONE,
		               "no function named \"%s\"", name);
	return fail_resolve(first, narity, only, why, bad, argtypes, n, name, errp);
}
