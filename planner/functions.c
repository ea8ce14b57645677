/*
 * functions.c
 *	  The planner's table of built-in scalar function signatures: enough to
 *	  type every function Nexmark and the examples use (and the common
 *	  string, math and time functions). The runtime's registry
 *	  (runtime/functions.def) is the one that evaluates them; the lead will
 *	  unify the two tables in udf/. Aggregate and window functions are
 *	  typed in bind.c.
 *
 * INTERFACE ROUTINES
 *	  sl_planner_func_type   result type of name(args), or a type error
 *	  sl_planner_is_agg      is name an aggregate function
 *	  sl_planner_func_names  every known name (for did-you-mean)
 */
#include "planner/planner_int.h"

#include <stdio.h>
#include <string.h>

typedef enum ret_rule {
	R_STRING,      /* STRING */
	R_BIGINT,
	R_INT,
	R_DOUBLE,
	R_BOOLEAN,
	R_TIMESTAMP3,
	R_TIMESTAMP_LTZ3,
	R_DATE,
	R_ARG0,        /* the first argument's type */
	R_COMMON,      /* common supertype of all arguments */
	R_PROCTIME     /* TIMESTAMP_LTZ(3) *PROCTIME* */
} ret_rule;

typedef enum arg_class {
	A_ANY, A_STRING, A_NUMERIC, A_INTEGER, A_TEMPORAL, A_BOOLEAN
} arg_class;

typedef struct func_def {
	const char *name;
	int min_args, max_args;
	ret_rule ret;
	arg_class args[4];        /* class of argument i (the last repeats) */
} func_def;

static const func_def funcs[] = {
	{"MOD", 2, 2, R_ARG0, {A_INTEGER, A_INTEGER}},
	{"ABS", 1, 1, R_ARG0, {A_NUMERIC}},
	{"FLOOR", 1, 1, R_ARG0, {A_NUMERIC}},
	{"CEIL", 1, 1, R_ARG0, {A_NUMERIC}},
	{"CEILING", 1, 1, R_ARG0, {A_NUMERIC}},
	{"ROUND", 1, 2, R_ARG0, {A_NUMERIC, A_INTEGER}},
	{"TRUNCATE", 1, 2, R_ARG0, {A_NUMERIC, A_INTEGER}},
	{"POWER", 2, 2, R_DOUBLE, {A_NUMERIC, A_NUMERIC}},
	{"SQRT", 1, 1, R_DOUBLE, {A_NUMERIC}},
	{"LN", 1, 1, R_DOUBLE, {A_NUMERIC}},
	{"LOG10", 1, 1, R_DOUBLE, {A_NUMERIC}},
	{"EXP", 1, 1, R_DOUBLE, {A_NUMERIC}},
	{"RAND", 0, 1, R_DOUBLE, {A_INTEGER}},
	{"LOWER", 1, 1, R_STRING, {A_STRING}},
	{"UPPER", 1, 1, R_STRING, {A_STRING}},
	{"TRIM", 1, 1, R_STRING, {A_STRING}},
	{"LTRIM", 1, 1, R_STRING, {A_STRING}},
	{"RTRIM", 1, 1, R_STRING, {A_STRING}},
	{"CHAR_LENGTH", 1, 1, R_INT, {A_STRING}},
	{"CHARACTER_LENGTH", 1, 1, R_INT, {A_STRING}},
	{"LENGTH", 1, 1, R_INT, {A_STRING}},
	{"CONCAT", 1, 255, R_STRING, {A_ANY}},
	{"CONCAT_WS", 2, 255, R_STRING, {A_STRING, A_ANY}},
	{"SUBSTRING", 2, 3, R_STRING, {A_STRING, A_INTEGER, A_INTEGER}},
	{"SUBSTR", 2, 3, R_STRING, {A_STRING, A_INTEGER, A_INTEGER}},
	{"REPLACE", 3, 3, R_STRING, {A_STRING, A_STRING, A_STRING}},
	{"POSITION", 2, 2, R_INT, {A_STRING, A_STRING}},
	{"LOCATE", 2, 3, R_INT, {A_STRING, A_STRING, A_INTEGER}},
	{"INSTR", 2, 2, R_INT, {A_STRING, A_STRING}},
	{"LPAD", 3, 3, R_STRING, {A_STRING, A_INTEGER, A_STRING}},
	{"RPAD", 3, 3, R_STRING, {A_STRING, A_INTEGER, A_STRING}},
	{"REGEXP_EXTRACT", 2, 3, R_STRING, {A_STRING, A_STRING, A_INTEGER}},
	{"REGEXP_REPLACE", 3, 3, R_STRING, {A_STRING, A_STRING, A_STRING}},
	{"REGEXP", 2, 2, R_BOOLEAN, {A_STRING, A_STRING}},
	{"SPLIT_INDEX", 3, 3, R_STRING, {A_STRING, A_STRING, A_INTEGER}},
	{"MD5", 1, 1, R_STRING, {A_STRING}},
	{"INITCAP", 1, 1, R_STRING, {A_STRING}},
	{"REVERSE", 1, 1, R_STRING, {A_STRING}},
	{"DATE_FORMAT", 2, 2, R_STRING, {A_TEMPORAL, A_STRING}},
	{"HOUR", 1, 1, R_BIGINT, {A_TEMPORAL}},
	{"MINUTE", 1, 1, R_BIGINT, {A_TEMPORAL}},
	{"SECOND", 1, 1, R_BIGINT, {A_TEMPORAL}},
	{"YEAR", 1, 1, R_BIGINT, {A_TEMPORAL}},
	{"MONTH", 1, 1, R_BIGINT, {A_TEMPORAL}},
	{"DAYOFMONTH", 1, 1, R_BIGINT, {A_TEMPORAL}},
	{"DAYOFWEEK", 1, 1, R_BIGINT, {A_TEMPORAL}},
	{"DAYOFYEAR", 1, 1, R_BIGINT, {A_TEMPORAL}},
	{"TO_TIMESTAMP", 1, 2, R_TIMESTAMP3, {A_STRING, A_STRING}},
	{"TO_TIMESTAMP_LTZ", 2, 2, R_TIMESTAMP_LTZ3, {A_NUMERIC, A_INTEGER}},
	{"TO_DATE", 1, 2, R_DATE, {A_STRING, A_STRING}},
	{"UNIX_TIMESTAMP", 0, 2, R_BIGINT, {A_STRING, A_STRING}},
	{"FROM_UNIXTIME", 1, 2, R_STRING, {A_NUMERIC, A_STRING}},
	{"CURRENT_TIMESTAMP", 0, 0, R_TIMESTAMP_LTZ3, {A_ANY}},
	{"LOCALTIMESTAMP", 0, 0, R_TIMESTAMP3, {A_ANY}},
	{"NOW", 0, 0, R_TIMESTAMP_LTZ3, {A_ANY}},
	{"CURRENT_DATE", 0, 0, R_DATE, {A_ANY}},
	{"PROCTIME", 0, 0, R_PROCTIME, {A_ANY}},
	{"COALESCE", 1, 255, R_COMMON, {A_ANY}},
	{"IFNULL", 2, 2, R_COMMON, {A_ANY, A_ANY}},
	{"NULLIF", 2, 2, R_ARG0, {A_ANY, A_ANY}},
	{"GREATEST", 1, 255, R_COMMON, {A_ANY}},
	{"LEAST", 1, 255, R_COMMON, {A_ANY}},
	{"IF", 3, 3, R_COMMON, {A_BOOLEAN, A_ANY, A_ANY}},
	{"HASH_CODE", 1, 1, R_INT, {A_ANY}},
};

static const char *agg_names[] = {
	"COUNT", "SUM", "SUM0", "AVG", "MIN", "MAX", "FIRST_VALUE", "LAST_VALUE", "LISTAGG",
};

bool
sl_planner_func_exists(const char *name)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(funcs); i++)
		if (sl_streq_ci(name, funcs[i].name))
			return true;
	return false;
}

bool
sl_planner_is_agg(const char *name)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(agg_names); i++)
		if (sl_streq_ci(name, agg_names[i]))
			return true;
	return false;
}

const char *const *
sl_planner_func_names(size_t *n)
{
	static const char *names[SL_ARRAY_LEN(funcs) + SL_ARRAY_LEN(agg_names) + 16];
	static size_t count;
	if (!count) {
		for (size_t i = 0; i < SL_ARRAY_LEN(funcs); i++)
			names[count++] = funcs[i].name;
		for (size_t i = 0; i < SL_ARRAY_LEN(agg_names); i++)
			names[count++] = agg_names[i];
		names[count++] = "ROW_NUMBER";
		names[count++] = "RANK";
		names[count++] = "DENSE_RANK";
		names[count++] = "TUMBLE_START";
		names[count++] = "TUMBLE_END";
		names[count++] = "HOP_START";
		names[count++] = "HOP_END";
		names[count++] = "SESSION_START";
		names[count++] = "SESSION_END";
	}
	*n = count;
	return names;
}

static bool
arg_ok(arg_class c, const sl_type *t)
{
	if (t->kind == SL_TYPE_NULL)
		return true;
	switch (c) {
	case A_ANY: return true;
	case A_STRING: return sl_type_is_string(t);
	case A_NUMERIC: return sl_type_is_numeric(t);
	case A_INTEGER: return sl_type_is_exact_integer(t);
	case A_TEMPORAL: return sl_type_is_temporal(t) || sl_type_is_string(t);
	case A_BOOLEAN: return t->kind == SL_TYPE_BOOLEAN;
	}
	return false;
}

static const char *
class_name(arg_class c)
{
	switch (c) {
	case A_STRING: return "a string";
	case A_NUMERIC: return "a numeric";
	case A_INTEGER: return "an integer";
	case A_TEMPORAL: return "a date, time or timestamp";
	case A_BOOLEAN: return "a boolean";
	default: return "any";
	}
}

/*
 * Result type of a built-in scalar function called with args. *known is
 * false when name is not a built-in (the caller then looks up UDFs). On a
 * type error returns false with the message in the thread's last error
 * (see sl_planner_func_error).
 */
static char func_error[256];

const char *sl_planner_func_error(void);
const char *
sl_planner_func_error(void)
{
	return func_error;
}

bool
sl_planner_func_type(sl_arena *a, const char *name, sl_expr **args, int nargs,
                     const sl_type **out, bool *known)
{
	const func_def *f = NULL;
	bool nullable = false;
	for (size_t i = 0; i < SL_ARRAY_LEN(funcs); i++)
		if (sl_streq_ci(name, funcs[i].name)) {
			f = &funcs[i];
			break;
		}
	*known = f != NULL;
	if (!f)
		return false;
	if (nargs < f->min_args || nargs > f->max_args) {
		if (f->min_args == f->max_args)
			snprintf(func_error, sizeof func_error,
			         "function \"%s\" takes %d argument%s but %d %s given", f->name,
			         f->min_args, f->min_args == 1 ? "" : "s", nargs, nargs == 1 ? "was" : "were");
		else
			snprintf(func_error, sizeof func_error,
			         "function \"%s\" takes %d to %d arguments but %d %s given", f->name,
			         f->min_args, f->max_args, nargs, nargs == 1 ? "was" : "were");
		return false;
	}
	for (int i = 0; i < nargs; i++) {
		arg_class c = f->args[i < 4 ? i : 3];
		if (i >= 4 || (i > 0 && f->args[i] == A_ANY && f->args[i - 1] != A_ANY && i >= f->max_args))
			c = A_ANY;
		if (!arg_ok(c, args[i]->type)) {
			sl_strbuf tb = SL_STRBUF_INIT;
			sl_type_to_string(args[i]->type, &tb);
			snprintf(func_error, sizeof func_error,
			         "argument %d of function \"%s\" must be %s value, not %s", i + 1, f->name,
			         class_name(c), sl_strbuf_str(&tb));
			sl_strbuf_free(&tb);
			return false;
		}
		nullable |= args[i]->type->nullable;
	}
	switch (f->ret) {
	case R_STRING: *out = sl_type_simple(SL_TYPE_VARCHAR); break;
	case R_BIGINT: *out = sl_type_simple(SL_TYPE_BIGINT); break;
	case R_INT: *out = sl_type_simple(SL_TYPE_INT); break;
	case R_DOUBLE: *out = sl_type_simple(SL_TYPE_DOUBLE); break;
	case R_BOOLEAN: *out = sl_type_simple(SL_TYPE_BOOLEAN); break;
	case R_TIMESTAMP3: *out = sl_type_new_timestamp(a, SL_TYPE_TIMESTAMP, 3); break;
	case R_TIMESTAMP_LTZ3: *out = sl_type_new_timestamp(a, SL_TYPE_TIMESTAMP_LTZ, 3); break;
	case R_DATE: *out = sl_type_simple(SL_TYPE_DATE); break;
	case R_ARG0: *out = sl_type_with_time_attr(a, args[0]->type, SL_TIME_ATTR_NONE); break;
	case R_PROCTIME:
		*out = sl_type_with_time_attr(a, sl_type_with_nullable(a,
		           sl_type_new_timestamp(a, SL_TYPE_TIMESTAMP_LTZ, 3), false), SL_TIME_ATTR_PROCTIME);
		return true;
	case R_COMMON: {
		const sl_type *t = NULL;
		for (int i = (strcmp(f->name, "IF") == 0 ? 1 : 0); i < nargs; i++) {
			t = t ? sl_type_common_super(a, t, args[i]->type) : args[i]->type;
			if (!t) {
				snprintf(func_error, sizeof func_error,
				         "arguments of function \"%s\" have no common type", f->name);
				return false;
			}
		}
		*out = sl_type_with_time_attr(a, t, SL_TIME_ATTR_NONE);
		return true;
	}
	}
	*out = sl_type_with_nullable(a, *out, nullable || f->ret == R_STRING);
	return true;
}
