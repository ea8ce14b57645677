/*
 * bind_int.h
 *	  The binder's context, shared by bind.c (queries and expressions) and
 *	  catalog.c (DDL, statement dispatch).
 */
#ifndef SL_PLANNER_BIND_INT_H
#define SL_PLANNER_BIND_INT_H

#include "planner/planner_int.h"
#include "parser/parser.h"

/* One column visible in a scope. */
typedef struct scope_col {
	const char *qual;       /* table alias / name, or NULL */
	const char *name;
	const sl_type *type;
	int col;                /* column number in the scope's relation */
} scope_col;

typedef struct scope {
	int n;
	scope_col *cols;
} scope;

typedef struct cte_def {
	const char *name;
	const sl_ast_cte *cte;
} cte_def;

struct sl_bind_ctx {
	sl_arena *a;            /* query arena: plans and expressions */
	sl_catalog *cat;
	sl_error *err;          /* first error; binding stops */
	int depth;              /* view / subquery nesting (bounded) */
	SL_VEC(cte_def) ctes;
	struct agg_ctx *agg;    /* non-NULL while binding an aggregate query's targets */
	struct over_ctx *over;  /* non-NULL while binding a SELECT list with OVER */
	int nscalar;            /* scalar subqueries joined in as columns: */
	const void **scalar_node; /*   the Subquery AST node */
	int *scalar_col;        /*   and the column holding its value */
	const sl_type **scalar_type;
	const char *clause;     /* "WHERE", "GROUP BY", ... for error messages */
	struct ttl_hint *ttl_hint; /* STATE_TTL hint of the SELECT being bound, or NULL */
};

bool sl_bind_error(sl_bind_ctx *cx, sl_errcode code, sl_span span, const char *fmt, ...) SL_PRINTF(4, 5);
sl_expr *sl_bind_expr(sl_bind_ctx *cx, const scope *sc, const sl_ast_expr *node);
const sl_type *sl_bind_type(sl_bind_ctx *cx, const sl_ast_type *t);
sl_rel *sl_bind_query(sl_bind_ctx *cx, const sl_ast_query_expr *q);
sl_rel *sl_bind_insert(sl_bind_ctx *cx, const sl_ast_insert *ins);
sl_rel *sl_bind_select_sink(sl_bind_ctx *cx, sl_rel *q, sl_span span);
char *sl_ident_str(sl_arena *a, const sl_ast_ident_list *l);

#endif
