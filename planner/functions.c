/*
 * functions.c
 *	  The binder's view of the built-in scalar functions: it types calls
 *	  with udf/builtins.c, the one registry the runtime also evaluates them
 *	  with (so a call's planned type is the type its kernel computes), and
 *	  knows the names of the aggregate and window functions bind.c types.
 *
 * INTERFACE ROUTINES
 *	  sl_planner_func_type   result type of name(args), or a type error
 *	  sl_planner_func_exists is name a built-in scalar function
 *	  sl_planner_is_agg      is name an aggregate function
 *	  sl_planner_func_names  every known name (did-you-mean, SHOW FUNCTIONS)
 *	  sl_planner_func_not_flink  what to use instead of a name other SQL
 *	                         dialects have and Flink SQL does not
 */
#include "planner/planner_int.h"
#include "udf/builtins.h"

#include <stdio.h>
#include <string.h>

static const char *agg_names[] = {
	"COUNT", "SUM", "SUM0", "AVG", "MIN", "MAX", "FIRST_VALUE", "LAST_VALUE", "LISTAGG",
};

bool
sl_planner_func_exists(const char *name)
{
	return sl_udf_builtin_exists(name);
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
	static const char *names[SL_FN__COUNT + SL_ARRAY_LEN(agg_names) + 16];
	static size_t count;
	if (!count) {
		size_t nb;
		const char *const *bi = sl_udf_builtin_names(&nb);
		for (size_t i = 0; i < nb; i++)
			names[count++] = bi[i];
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

/* Names users bring from other SQL dialects that Flink SQL does not have
 * (so neither does sluice): the reason and the Flink function to use. */
static const struct not_flink {
	const char *name;
	const char *detail;
	const char *hint;
} not_flink[] = {
	{"LENGTH", "Flink SQL has no LENGTH function.",
	 "use CHAR_LENGTH(s) (or CHARACTER_LENGTH) for the number of characters"},
	{"LEN", "Flink SQL has no LEN function.",
	 "use CHAR_LENGTH(s) (or CHARACTER_LENGTH) for the number of characters"},
	{"HASH_CODE", "Flink SQL has no HASH_CODE function (Flink's HASHCODE is internal to its "
	              "Table API and cannot be called from SQL).",
	 "use MD5(s), SHA1(s) or SHA256(s) for a stable digest, or a C UDF (CREATE FUNCTION)"},
	{"HASHCODE", "Flink SQL has no HASHCODE function (it is internal to Flink's Table API "
	             "and cannot be called from SQL).",
	 "use MD5(s), SHA1(s) or SHA256(s) for a stable digest, or a C UDF (CREATE FUNCTION)"},
};

bool
sl_planner_func_not_flink(const char *name, const char **detail, const char **hint)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(not_flink); i++)
		if (sl_streq_ci(name, not_flink[i].name)) {
			*detail = not_flink[i].detail;
			*hint = not_flink[i].hint;
			return true;
		}
	return false;
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
	const sl_type **types, **cast_to;
	sl_func_const *consts;
	sl_func_id id;
	sl_error *err = NULL;

	*known = sl_udf_builtin_exists(name);
	if (!*known)
		return false;
	types = SL_ANEWN(a, const sl_type *, nargs + 1);
	cast_to = SL_ANEWN(a, const sl_type *, nargs + 1);
	consts = SL_ANEWN(a, sl_func_const, nargs + 1);
	for (int i = 0; i < nargs; i++) {
		types[i] = args[i]->type;
		if (args[i]->kind == SL_EX_LIT && !args[i]->lit.is_null &&
		    sl_type_is_exact_integer(args[i]->type)) {
			consts[i].known = true;
			consts[i].i = args[i]->lit.i;
		}
	}
	if (!sl_udf_builtin_resolve(a, name, types, nargs, consts, &id, cast_to, out, &err)) {
		snprintf(func_error, sizeof func_error, "%s", err->message);
		sl_error_free(err);
		return false;
	}
	return true;
}
