/*
 * expr.h
 *	  Executable scalar expressions, evaluated a vector at a time.
 *
 *	  Two layers, as PostgreSQL's plan tree / state tree:
 *	    sl_rexpr       the expression tree: immutable once built, allocated
 *	                   in a query arena, shared by every thread. The planner
 *	                   lowers its bound expressions into it with the
 *	                   constructors below.
 *	    sl_rexpr_prog  one thread's executable form of a tree: a scratch
 *	                   vector per node, compiled constants (LIKE matchers,
 *	                   PCRE2 patterns, IN hash sets, date formats),
 *	                   constant vectors. @thread one worker at a time.
 *
 *	  Evaluation runs over the live rows of a chunk (its selection) and
 *	  writes results at the same row positions, so a projection's output
 *	  vectors line up with the input's rows and selection. Conditional
 *	  forms (CASE, IF, COALESCE, AND, OR) evaluate each branch only on the
 *	  rows that reach it, so `CASE WHEN b <> 0 THEN a / b END` never
 *	  divides by zero. A filter narrows the chunk's selection vector.
 *
 *	  Strings that functions produce go into the string heap of the output
 *	  chunk (sl_rexpr_eval_into) or the program's own heap (filters): no
 *	  allocation per row.
 *
 *	  Dictionaries: a pure subexpression over input columns that carry a
 *	  dictionary (runtime/dict.h: nexmark's channel and url) is computed
 *	  once per dictionary entry and gathered by the rows' codes (expr.c,
 *	  "Dictionaries"); a column projected as it is keeps its dictionary.
 *
 *	  Errors at run time (division by zero, invalid cast, overflow) fail
 *	  the evaluation with SL_ERR_DIVISION_BY_ZERO / SL_ERR_INVALID_CAST /
 *	  SL_ERR_NUMERIC_OVERFLOW; the message names the function and the
 *	  detail shows the offending input row in print format.
 *
 * INTERFACE ROUTINES
 *	  sl_rexpr_col, _field, _const_*, _cast, _call, _call_named, _case,
 *	  _if, _coalesce, _nullif, _and, _or, _not, _in, _between, _like, _is,
 *	  _udf
 *	                         build a tree (in an arena)
 *	  sl_rexpr_prog_new / _free
 *	  sl_rexpr_eval          evaluate into a borrowed result vector
 *	  sl_rexpr_eval_into     evaluate into a column of an output chunk
 *	  sl_rexpr_project       evaluate a projection list into an output chunk
 *	  sl_rexpr_filter        narrow a chunk's selection to rows where TRUE
 *	  sl_rexpr_calc_new / _run  filter + projections as one program (shared
 *	                         subexpressions span them)
 *	  sl_rexpr_format        the tree as text (EXPLAIN, tests)
 *	  sl_rexpr_prog_dict_rows  row values taken from dictionaries (dict.h)
 */
#ifndef SL_RUNTIME_EXPR_H
#define SL_RUNTIME_EXPR_H

#include "runtime/chunk.h"
#include "udf/builtins.h"

/* Built-in function ids (sl_func_id) and the registry: udf/builtins.h. */


/* Expression node kinds (runtime node tags, from 600). */
typedef enum sl_rexpr_kind {
	SL_REXPR_COL = 600, /* input column col */
	SL_REXPR_FIELD,     /* field `field` of ROW-typed args[0] */
	SL_REXPR_CONST,     /* value */
	SL_REXPR_CAST,      /* CAST / TRY_CAST(args[0] AS type) */
	SL_REXPR_CALL,      /* built-in fn(args) */
	SL_REXPR_CASE,      /* args: when0, then0, when1, then1, ..., [else] */
	SL_REXPR_COALESCE,  /* first non-NULL of args */
	SL_REXPR_AND,       /* n-ary, three-valued */
	SL_REXPR_OR,        /* n-ary, three-valued */
	SL_REXPR_NOT,
	SL_REXPR_IN,        /* args[0] [NOT] IN (args[1..]) */
	SL_REXPR_BETWEEN,   /* args[0] [NOT] BETWEEN [SYMMETRIC] args[1] AND args[2] */
	SL_REXPR_LIKE,      /* args[0] [NOT] LIKE args[1] [ESCAPE args[2]] */
	SL_REXPR_IS,        /* args[0] IS [NOT] NULL/TRUE/FALSE */
	SL_REXPR_UDF        /* scalar C UDF udf(args), args of its parameter types */
} sl_rexpr_kind;

typedef enum sl_is_test {
	SL_IS_NULL, SL_IS_NOT_NULL, SL_IS_TRUE, SL_IS_NOT_TRUE, SL_IS_FALSE, SL_IS_NOT_FALSE
} sl_is_test;

/* A constant value; which member is used follows the node's type. */
typedef struct sl_datum {
	bool is_null;
	union {
		bool b;
		int64_t i;     /* TINYINT..BIGINT, DATE, TIME, TIMESTAMP*, INTERVAL* */
		double f;      /* FLOAT, DOUBLE */
		__int128 dec;  /* DECIMAL unscaled */
		sl_str s;      /* CHAR, VARCHAR, BYTES (bytes in the tree's arena) */
	} v;
} sl_datum;

typedef struct sl_rexpr sl_rexpr;
struct sl_rexpr {
	sl_rexpr_kind kind;   /* node tag */
	const sl_type *type;  /* result type (nullable unless proven otherwise) */
	int nargs;            /* operands */
	sl_rexpr **args;      /* operands, in the arena */
	int col;              /* COL: input column; FIELD: field index */
	sl_datum value;       /* CONST */
	sl_func_id fn;        /* CALL */
	bool try_cast;        /* CAST: TRY_CAST (NULL instead of an error) */
	bool negated;         /* IN, BETWEEN, LIKE: NOT form */
	bool symmetric;       /* BETWEEN SYMMETRIC */
	bool has_else;        /* CASE: last arg is the ELSE branch */
	sl_is_test test;      /* IS */
	int id;               /* position in a program (set by sl_rexpr_prog_new) */
	const struct sl_udf_fn *udf; /* UDF: the resolved overload (udf/udf.h) */
};

/* ---- construction (all nodes and copies live in arena a) ---------- */
sl_rexpr *sl_rexpr_col(sl_arena *a, int col, const sl_type *type);
/* Field index of a ROW-typed expression; type is the field's type made
 * nullable if the row is. */
sl_rexpr *sl_rexpr_field(sl_arena *a, sl_rexpr *row, int field);
/* A column followed by a path of ROW field indexes. */
sl_rexpr *sl_rexpr_col_path(sl_arena *a, int col, const sl_type *coltype,
                            const int *path, int npath);
sl_rexpr *sl_rexpr_const(sl_arena *a, const sl_type *type, const sl_datum *value);
sl_rexpr *sl_rexpr_const_null(sl_arena *a, const sl_type *type);
sl_rexpr *sl_rexpr_const_bool(sl_arena *a, bool v);
sl_rexpr *sl_rexpr_const_int(sl_arena *a, int32_t v);
sl_rexpr *sl_rexpr_const_bigint(sl_arena *a, int64_t v);
sl_rexpr *sl_rexpr_const_double(sl_arena *a, double v);
/* DECIMAL(precision, scale) with the given unscaled value. */
sl_rexpr *sl_rexpr_const_decimal(sl_arena *a, __int128 unscaled, int precision, int scale);
/* Parses a literal like "0.908" as DECIMAL(3, 3) (as Flink types it). */
sl_rexpr *sl_rexpr_const_decimal_str(sl_arena *a, const char *text);
sl_rexpr *sl_rexpr_const_str(sl_arena *a, const char *s, size_t n); /* STRING, copied */
sl_rexpr *sl_rexpr_const_date(sl_arena *a, int32_t days);
sl_rexpr *sl_rexpr_const_timestamp(sl_arena *a, int64_t us, int precision);
sl_rexpr *sl_rexpr_const_interval_dt(sl_arena *a, int64_t us);
sl_rexpr *sl_rexpr_const_interval_ym(sl_arena *a, int32_t months);

sl_rexpr *sl_rexpr_cast(sl_arena *a, sl_rexpr *arg, const sl_type *to, bool try_cast);
/* A call with the argument types the function expects (no casts added). */
sl_rexpr *sl_rexpr_call(sl_arena *a, sl_func_id fn, sl_rexpr **args, int nargs,
                        const sl_type *result);
/* Resolve name over the arguments' types, add the implicit casts the
 * chosen overload needs and compute the result type. NULL with *errp set
 * (SL_ERR_UNDEFINED_FUNCTION / SL_ERR_DATATYPE_MISMATCH) if none fits. */
sl_rexpr *sl_rexpr_call_named(sl_arena *a, const char *name, sl_rexpr **args, int nargs,
                              sl_error **errp);
/* CASE WHEN whens[i] THEN thens[i] ... [ELSE els] END; els may be NULL.
 * Branch results must already have type `type` (see sl_rexpr_cast). */
sl_rexpr *sl_rexpr_case(sl_arena *a, sl_rexpr **whens, sl_rexpr **thens, int n,
                        sl_rexpr *els, const sl_type *type);
sl_rexpr *sl_rexpr_if(sl_arena *a, sl_rexpr *cond, sl_rexpr *then, sl_rexpr *els,
                      const sl_type *type);
sl_rexpr *sl_rexpr_coalesce(sl_arena *a, sl_rexpr **args, int n, const sl_type *type);
sl_rexpr *sl_rexpr_and(sl_arena *a, sl_rexpr **args, int n);
sl_rexpr *sl_rexpr_or(sl_arena *a, sl_rexpr **args, int n);
sl_rexpr *sl_rexpr_not(sl_arena *a, sl_rexpr *arg);
/* arg [NOT] IN (list): list items of arg's type; constant items go into a
 * hash set when the program is built. */
sl_rexpr *sl_rexpr_in(sl_arena *a, sl_rexpr *arg, sl_rexpr **list, int n, bool negated);
sl_rexpr *sl_rexpr_between(sl_arena *a, sl_rexpr *arg, sl_rexpr *lo, sl_rexpr *hi,
                           bool negated, bool symmetric);
/* escape may be NULL; a constant pattern is compiled once. */
sl_rexpr *sl_rexpr_like(sl_arena *a, sl_rexpr *arg, sl_rexpr *pattern, sl_rexpr *escape,
                        bool negated);
sl_rexpr *sl_rexpr_is(sl_arena *a, sl_rexpr *arg, sl_is_test test);
/* A scalar C UDF call (udf/udf.h): args already of fn's parameter types,
 * result of type result. Evaluated a vector at a time through
 * sl_udf_call_scalar; a UDF error fails the evaluation (SL_ERR_UDF) with
 * the function, its message and the input row. */
sl_rexpr *sl_rexpr_udf(sl_arena *a, const struct sl_udf_fn *fn, sl_rexpr **args, int nargs,
                       const sl_type *result);

/* The tree as text, e.g. "MOD($0, 123) = 0". */
void sl_rexpr_format(const sl_rexpr *e, sl_strbuf *out);

/* Static descriptors for common types (nullable). */
const sl_type *sl_rt_type(sl_type_kind kind);   /* STRING for VARCHAR, TIMESTAMP(3) */
const sl_type *sl_rt_decimal(sl_arena *a, int precision, int scale);
const sl_type *sl_rt_not_null(sl_arena *a, const sl_type *t);

/* ---- programs ------------------------------------------------------- */
typedef struct sl_rexpr_prog sl_rexpr_prog;

/* Compile a tree for one thread. Fails (NULL, *errp) on a bad constant
 * pattern (regex, date format) or an unsupported construct. */
sl_rexpr_prog *sl_rexpr_prog_new(const sl_rexpr *root, sl_error **errp);
void sl_rexpr_prog_free(sl_rexpr_prog *prog);

/* Evaluate over in's live rows. The result (borrowed, valid until the next
 * call on prog or until in is released) has valid values at exactly those
 * row positions. Strings produced go into heap (NULL: the program's own
 * heap, rewound at each call). NULL on error. */
const sl_vector *sl_rexpr_eval(sl_rexpr_prog *prog, const sl_chunk *in, sl_strheap *heap,
                               sl_error **errp);
/* Evaluate into out->cols[col] at in's live row positions (out has at
 * least in->count capacity); strings into out's heap; out keeps in alive
 * if the result may point into in. */
bool sl_rexpr_eval_into(sl_rexpr_prog *prog, sl_chunk *in, sl_chunk *out, int col,
                        sl_error **errp);
/* out = the projection of in: out->cols[i] = progs[i] over in, with in's
 * count, kinds and selection. out must be empty. */
bool sl_rexpr_project(sl_rexpr_prog *const *progs, int n, sl_chunk *in, sl_chunk *out,
                      sl_error **errp);
/* Keep only rows where the BOOLEAN predicate is TRUE: sets in's selection.
 * Returns the live rows left, or -1 on error. */
int64_t sl_rexpr_filter(sl_rexpr_prog *prog, sl_chunk *in, sl_error **errp);

/* Calc as one program: the filter cond (or NULL) and the projections
 * exprs[0..n) compiled together, so a subexpression equal in several of
 * them (q21's REGEXP_EXTRACT in the WHERE and the CASE) is evaluated once
 * per chunk for the rows that need it. */
sl_rexpr_prog *sl_rexpr_calc_new(const sl_rexpr *cond, sl_rexpr *const *exprs, int n,
                                 sl_error **errp);
/* Narrow in's selection by the filter (NULL/FALSE drop), then evaluate the
 * projections into out (empty, n columns; rows line up with in's, as
 * sl_rexpr_project). Strings made by either go into out's heap. Returns
 * the rows kept (0: out untouched), or -1 with *errp. */
int64_t sl_rexpr_calc_run(sl_rexpr_prog *prog, sl_chunk *in, sl_chunk *out, sl_error **errp);

/* Bytes of memory the program allocated (stable after the first chunks). */
size_t sl_rexpr_prog_memory(const sl_rexpr_prog *prog);
/* Row values the program took from a dictionary (runtime/dict.h; one per
 * row and node that did) instead of computing them, over its life. */
uint64_t sl_rexpr_prog_dict_rows(const sl_rexpr_prog *prog);

#endif /* SL_RUNTIME_EXPR_H */
