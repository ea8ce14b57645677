/*
 * planner_int.h
 *	  Declarations shared by the planner's own files (not for other modules).
 */
#ifndef SL_PLANNER_INT_H
#define SL_PLANNER_INT_H

#include "planner/planner.h"

#include <stdlib.h>

struct sl_catalog {
	sl_arena *arena;            /* everything the catalog holds */
	SL_VEC(sl_table *) tables;
	SL_VEC(sl_view *) views;
	SL_VEC(sl_function *) funcs;
	sl_config *config;          /* SET keys (planner/options.c) */
	struct sl_udf_registry *udfs; /* C UDFs loaded by CREATE FUNCTION (udf/udf.h) */
};

/* expr.c: constructors (arena) and helpers */
sl_expr *sl_expr_col(sl_arena *a, int col, const sl_type *t);
sl_expr *sl_expr_lit(sl_arena *a, const sl_type *t, sl_value v);
sl_expr *sl_expr_int(sl_arena *a, int64_t v);
sl_expr *sl_expr_bool(sl_arena *a, bool v);
sl_expr *sl_expr_call(sl_arena *a, const char *name, const sl_type *t, int nargs, sl_expr **args);
sl_expr *sl_expr_call2(sl_arena *a, const char *name, const sl_type *t, sl_expr *x, sl_expr *y);
sl_expr *sl_expr_cast(sl_arena *a, sl_expr *x, const sl_type *t);
sl_expr *sl_expr_copy(sl_arena *a, const sl_expr *e);
bool sl_expr_equal(const sl_expr *x, const sl_expr *y);
/* Replace every column reference c by map[c] (a copy). */
sl_expr *sl_expr_remap(sl_arena *a, const sl_expr *e, const int *map);
/* Replace every column reference c by a copy of subst[c]. */
sl_expr *sl_expr_subst(sl_arena *a, const sl_expr *e, sl_expr *const *subst);
/* Mark used[c] = true for every column c referenced. */
void sl_expr_cols(const sl_expr *e, bool *used);
bool sl_expr_is_true(const sl_expr *e);
/* Split an AND tree into conjuncts (appends to *v). */
typedef SL_VEC(sl_expr *) sl_expr_vec;
void sl_expr_conjuncts(sl_expr *e, sl_expr_vec *v);
sl_expr *sl_expr_and(sl_arena *a, sl_expr **v, size_t n);
sl_expr *sl_expr_fold(sl_arena *a, sl_expr *e);
/* e calls something whose value is not a function of its arguments
 * (PROCTIME, RAND, RAND_INTEGER, UUID, or any C UDF, conservatively): it
 * must not be duplicated, merged or reused. */
bool sl_expr_has_nondeterministic(const sl_expr *e);
void sl_format_duration(int64_t us, sl_strbuf *out);

/* rel.c */
sl_rel *sl_rel_new(sl_arena *a, int tag, int ninputs);
sl_rel *sl_rel_copy(sl_arena *a, const sl_rel *r);
/* A Calc over in with exprs (nexprs, names) and optional cond. */
sl_rel *sl_rel_calc(sl_arena *a, sl_rel *in, int n, sl_expr **exprs, const char **names, sl_expr *cond);
/* Field fields[i] of r as a column expression. */
sl_expr *sl_rel_colref(sl_arena *a, const sl_rel *r, int i);

/* rewrite.c: the logical rewrites, in order */
sl_rel *sl_rewrite(sl_arena *a, sl_rel *root);

/* physical.c */
/* cfg (may be NULL: defaults) gives the aggregation options:
 * table.optimizer.agg-phase-strategy and table.exec.mini-batch.*. */
bool sl_physical_build(sl_arena *a, sl_rel **logical, int nroots, int parallelism,
                       int64_t ttl_ms, const sl_config *cfg, sl_plan *plan, sl_error **errp);

/* bind.c */
typedef struct sl_bind_ctx sl_bind_ctx;

/* Functions known to the planner (planner/functions.c). */
typedef struct sl_func_sig sl_func_sig;
bool sl_planner_func_type(sl_arena *a, const char *name, sl_expr **args, int nargs,
                          const sl_type **out, bool *known);
bool sl_planner_is_agg(const char *name);
bool sl_planner_func_exists(const char *name);
const char *const *sl_planner_func_names(size_t *n);
/* name is a function of other SQL dialects, not of Flink SQL: *detail
 * says so, *hint names the Flink function to use (static strings). */
bool sl_planner_func_not_flink(const char *name, const char **detail, const char **hint);

#endif /* SL_PLANNER_INT_H */
