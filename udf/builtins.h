/*
 * builtins.h
 *	  The built-in scalar functions (udf/builtins.def): one registry that
 *	  the binder types calls with, the runtime picks kernels with, and
 *	  SHOW FUNCTIONS lists. Pure data and pure functions; thread-safe.
 *
 * INTERFACE ROUTINES (udf/builtins.c)
 *	  sl_udf_builtin_info      the table entry of an id
 *	  sl_udf_builtin_exists    is name a built-in (any arity)
 *	  sl_udf_builtin_names     every distinct built-in name (not operators)
 *	  sl_udf_builtin_resolve   overload, argument casts and result type
 */
#ifndef SL_UDF_BUILTINS_H
#define SL_UDF_BUILTINS_H

#include "common/common.h"
#include "planner/types.h"

/* Built-in function ids, one per entry of udf/builtins.def. */
typedef enum sl_func_id {
#define SL_FN(id, name, minargs, maxargs, argspec, result, nulls) SL_FN_##id,
#include "udf/builtins.def"
#undef SL_FN
	SL_FN__COUNT
} sl_func_id;

typedef enum sl_null_mode {
	SL_NULLS_STRICT,   /* NULL if any argument is NULL (most functions) */
	SL_NULLS_CUSTOM,   /* the kernel decides (CONCAT_WS, NULLIF, ...) */
	SL_NULLS_NODE      /* no kernel: a dedicated runtime node (COALESCE, IF) */
} sl_null_mode;

/* One overload, from builtins.def. */
typedef struct sl_func_info {
	sl_func_id id;
	const char *name;      /* SQL name, upper case; operators as "+", "=" */
	int minargs, maxargs;  /* maxargs -1: variadic */
	const char *argspec;   /* argument classes, see builtins.def */
	int result_rule;       /* see builtins.def */
	sl_null_mode nulls;
} sl_func_info;

/* What the caller knows of an argument besides its type: a constant
 * integer (ROUND's digits decide its DECIMAL result type). */
typedef struct sl_func_const {
	bool known;            /* the argument is a non-NULL integer constant */
	int64_t i;
} sl_func_const;

const sl_func_info *sl_udf_builtin_info(sl_func_id id);
/* Is there a built-in of this name (any arity)? ASCII case-insensitive. */
bool sl_udf_builtin_exists(const char *name);
/* Every distinct function name (operators left out), in table order;
 * static storage. */
const char *const *sl_udf_builtin_names(size_t *n);

/*
 * Resolve name(argtypes[0..n)) to an overload: *id, the type each argument
 * must be cast to (cast_to[i], NULL = keep its type; room for n entries)
 * and the result type (allocated in a). consts (n entries, or NULL) tells
 * which arguments are integer constants. Overloads are tried in table
 * order; the first that accepts the argument classes wins.
 * On failure returns false with *errp (may be NULL) set:
 *   SL_ERR_UNDEFINED_FUNCTION  no function named "x"
 *   SL_ERR_DATATYPE_MISMATCH   function "F" takes 1 argument but 2 were given
 *                              argument 1 of function "F" must be a string value, not INT
 *                              no overload of function "F" takes arguments (BOOLEAN)
 *                              ROUND's digits must be a constant
 */
bool sl_udf_builtin_resolve(sl_arena *a, const char *name, const sl_type *const *argtypes,
                            int n, const sl_func_const *consts, sl_func_id *id,
                            const sl_type **cast_to, const sl_type **result, sl_error **errp);

#endif /* SL_UDF_BUILTINS_H */
