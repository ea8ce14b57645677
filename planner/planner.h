/*
 * planner.h
 *	  The planner's public interface: catalog, statement processing, the
 *	  bound expression tree, the logical plan and the physical operator DAG
 *	  the runtime consumes, and EXPLAIN.
 *
 *	  Memory: everything a plan points to lives in the arena passed to
 *	  sl_plan_script (the query arena) or in the catalog's arena; a plan is
 *	  read-only once built and may be shared by all threads.
 *
 * INTERFACE ROUTINES
 *	  sl_catalog_new / _free   the session's tables, views, functions, SET keys
 *	  sl_plan_script           process every statement of a script in order
 *	  sl_plan_statement        process one parsed statement
 *	  sl_plan_explain          print a physical plan (text or JSON)
 *	  sl_plan_split_script     split script text into statements
 */
#ifndef SL_PLANNER_H
#define SL_PLANNER_H

#include "common/common.h"
#include "planner/types.h"
#include "planner/options.h"

/* Node tags: planner range is 300-. */
typedef enum sl_planner_tag {
	T_SlPlannerFirst = 300,
#define SL_LNODE(tag, name) T_##tag,
#define SL_PNODE(tag, name) T_##tag,
#include "planner/nodes.def"
	T_SlPlannerLast
} sl_planner_tag;

const char *sl_rel_name(int tag);              /* EXPLAIN name of a node tag */
static inline bool sl_rel_is_physical(int tag) { return tag >= T_PTableSourceScan && tag < T_SlPlannerLast; }

/* ---------------------------------------------------------------------
 * Literal values (as the runtime stores them, see types.h).
 * ------------------------------------------------------------------- */
typedef struct sl_value {
	bool is_null;
	int64_t i;          /* integers, BOOLEAN (0/1), DECIMAL unscaled (p <= 18),
	                     * DATE days, TIMESTAMP us, INTERVAL DAY us, INTERVAL YEAR months */
	double d;           /* FLOAT, DOUBLE */
	const char *s;      /* CHAR/VARCHAR/BYTES bytes (arena), not NUL-terminated */
	uint32_t slen;      /* length of s */
} sl_value;

/* ---------------------------------------------------------------------
 * Bound expressions: a typed tree over the columns of ONE input row
 * (for joins: left columns followed by right columns).
 * ------------------------------------------------------------------- */
typedef enum sl_expr_kind {
	SL_EX_COL,      /* input column number col */
	SL_EX_LIT,      /* literal value lit of type type */
	SL_EX_FIELD,    /* field number field of ROW args[0] (name in name) */
	SL_EX_CALL,     /* scalar function or operator name(args) */
	SL_EX_CAST,     /* CAST(args[0] AS type); try_cast for TRY_CAST */
	SL_EX_CASE      /* CASE WHEN args[0] THEN args[1] ... [ELSE args[n-1]] */
} sl_expr_kind;

typedef struct sl_expr {
	sl_expr_kind kind;
	const sl_type *type;    /* result type (nullable as inferred) */
	sl_span span;           /* where in the statement (SL_SPAN_NONE if synthetic) */
	int col;                /* SL_EX_COL */
	int field;              /* SL_EX_FIELD */
	const char *name;       /* SL_EX_CALL: canonical upper-case name ("=", "+",
	                         * "AND", "IS NULL", "MOD", "DATE_FORMAT", a UDF name);
	                         * SL_EX_FIELD: field name */
	bool is_udf;            /* SL_EX_CALL: a catalog (CREATE FUNCTION) function */
	const struct sl_udf_fn *udf; /* is_udf: the overload resolved (udf/udf.h);
	                         * arguments are already cast to its parameter types */
	bool try_cast;          /* SL_EX_CAST */
	bool has_else;          /* SL_EX_CASE */
	int nargs;
	struct sl_expr **args;
	sl_value lit;           /* SL_EX_LIT */
} sl_expr;

/* ---------------------------------------------------------------------
 * Catalog.
 * ------------------------------------------------------------------- */

typedef enum sl_column_kind {
	SL_TCOL_PHYSICAL,
	SL_TCOL_COMPUTED,        /* c AS expr (expr bound over the physical columns) */
	SL_TCOL_METADATA         /* c TYPE METADATA [FROM 'key'] [VIRTUAL] */
} sl_column_kind;

typedef struct sl_column {
	const char *name;       /* as declared */
	const sl_type *type;
	sl_column_kind kind;
	sl_expr *expr;          /* SL_TCOL_COMPUTED: over the table's columns */
	const char *meta_key;   /* SL_TCOL_METADATA */
	bool is_virtual;
} sl_column;

typedef struct sl_table {
	const char *name;
	int ncols;
	sl_column *cols;
	int rowtime_col;        /* column with WATERMARK FOR, or -1 */
	sl_expr *watermark;     /* the watermark expression, or NULL */
	int proctime_col;       /* column AS PROCTIME(), or -1 */
	int npk;
	int *pk;                /* PRIMARY KEY column numbers */
	int npartition;
	int *partition_cols;    /* PARTITIONED BY column numbers, in order */
	int noptions;
	sl_option_kv *options;  /* WITH (...) in declaration order */
	const char *connector;  /* options' 'connector' */
	const char *format;     /* options' 'format' / 'value.format', or NULL */
	sl_span span;
} sl_table;

typedef struct sl_view {
	const char *name;
	const char *text;       /* the SELECT text as written */
	const void *query;      /* the parsed query (parser AST, catalog arena) */
	const char *src;        /* source text the query's spans refer to */
	size_t srclen;
} sl_view;

typedef struct sl_function {
	const char *name;
	const char *symbol;     /* AS 'symbol' */
	const char *library;    /* USING LIBRARY 'path' */
	const char *language;   /* "C" */
	const char *libpath;    /* the library as loaded (resolved path) */
} sl_function;

typedef struct sl_catalog sl_catalog;

sl_catalog *sl_catalog_new(void);
void sl_catalog_free(sl_catalog *cat);
const sl_table *sl_catalog_table(const sl_catalog *cat, const char *name);
const sl_view *sl_catalog_view(const sl_catalog *cat, const char *name);
const sl_function *sl_catalog_function(const sl_catalog *cat, const char *name);
/* SET 'key' = 'value' as stored (NULL when unset). */
const char *sl_catalog_config(const sl_catalog *cat, const char *key);
int sl_catalog_parallelism(const sl_catalog *cat);  /* parallelism.default or 1 */

/* ---------------------------------------------------------------------
 * Plans.
 * ------------------------------------------------------------------- */
typedef struct sl_field {
	const char *name;
	const sl_type *type;    /* time attributes have type->time_attr set */
	int wprop;              /* 0, or 1 + sl_window_prop: a window_start/_end/_time column */
	const struct sl_window *window; /* with wprop: the window it belongs to */
} sl_field;

/* Changelog mode of an edge: which row kinds flow. */
enum {
	SL_CL_I = 1,            /* +I insert */
	SL_CL_UB = 2,           /* -U update before */
	SL_CL_UA = 4,           /* +U update after */
	SL_CL_D = 8             /* -D delete */
};
typedef struct sl_changelog {
	uint8_t kinds;          /* SL_CL_* bits */
	int nkey;               /* upsert mode (UA/D without UB): the key columns */
	const int *key;
} sl_changelog;

typedef enum sl_window_kind {
	SL_WIN_NONE, SL_WIN_TUMBLE, SL_WIN_HOP, SL_WIN_CUMULATE, SL_WIN_SESSION
} sl_window_kind;

typedef struct sl_window {  /* window spec */
	sl_window_kind kind;
	int time_col;           /* input column of the time attribute */
	sl_time_attr time_kind; /* rowtime or proctime */
	int64_t size_us;        /* TUMBLE/HOP/CUMULATE size (CUMULATE: max size) */
	int64_t slide_us;       /* HOP slide; CUMULATE step */
	int64_t gap_us;         /* SESSION gap */
	int64_t offset_us;      /* optional offset */
	int npart;              /* SESSION TVF: PARTITION BY columns */
	const int *part;
} sl_window;

typedef enum sl_agg_kind {
	SL_AGG_COUNT_STAR, SL_AGG_COUNT, SL_AGG_SUM, SL_AGG_SUM0, SL_AGG_AVG,
	SL_AGG_MIN, SL_AGG_MAX, SL_AGG_FIRST_VALUE, SL_AGG_LAST_VALUE, SL_AGG_LISTAGG,
	SL_AGG_ROW_NUMBER, SL_AGG_RANK, SL_AGG_DENSE_RANK,
	SL_AGG_UDF              /* a C aggregate function (sl_aggcall.udf) */
} sl_agg_kind;

typedef struct sl_aggcall {
	sl_agg_kind kind;
	const char *name;       /* "COUNT", "SUM", ... */
	int nargs;
	const int *args;        /* input column numbers */
	bool distinct;
	int filter_col;         /* BOOLEAN input column of FILTER (WHERE ...), or -1 */
	const sl_type *type;    /* result type */
	const char *out_name;
	const struct sl_udf_fn *udf; /* SL_AGG_UDF: the overload resolved (udf/udf.h);
	                         * args are already of its parameter types */
} sl_aggcall;

typedef enum sl_join_type {
	SL_JT_INNER, SL_JT_LEFT, SL_JT_RIGHT, SL_JT_FULL, SL_JT_SEMI, SL_JT_ANTI
} sl_join_type;

typedef enum sl_window_prop {
	SL_WPROP_START, SL_WPROP_END, SL_WPROP_TIME   /* window_start/_end/_time */
} sl_window_prop;

typedef enum sl_rank_kind {
	SL_RANK_TOPN,           /* Top-N (rank_end > 1 or not ordered by time) */
	SL_RANK_DEDUP_FIRST,    /* ROW_NUMBER = 1 ordered by time ASC */
	SL_RANK_DEDUP_LAST      /* ROW_NUMBER = 1 ordered by time DESC */
} sl_rank_kind;

typedef enum sl_dist_kind {
	SL_DIST_FORWARD, SL_DIST_HASH, SL_DIST_BROADCAST, SL_DIST_SINGLE, SL_DIST_REBALANCE
} sl_dist_kind;

/*
 * One node of a logical plan or of the physical DAG. Fields are used as
 * the comments say; the rest are zero / NULL / -1. Column numbers always
 * refer to the node's input row (for joins: left columns then right).
 */
typedef struct sl_rel {
	int tag;                        /* T_L... or T_P... (nodes.def) */
	int impl;                       /* logical Join/Rank/WindowAggregate: the
	                                 * physical tag it becomes (T_PIntervalJoin...) */
	int id;                         /* physical: 1.. in sources-first order */
	int ninputs;
	struct sl_rel **inputs;
	int nfields;                    /* output row */
	sl_field *fields;

	/* Scan: the table and the columns/nested fields read (projection
	 * pruning): for output field i, table column scan_cols[i] and, when
	 * scan_paths[i] >= 0, only that field of the ROW column. */
	const sl_table *table;
	const int *scan_cols;
	const int *scan_paths;

	/* Calc: projections over the input (nexprs == nfields), optional filter */
	int nexprs;
	sl_expr **exprs;
	sl_expr *cond;                  /* Calc filter, Join non-equi condition */

	/* WatermarkAssigner: rowtime column and watermark expression (in
	 * cond) ; also every node with a time attribute records it here */
	int rowtime_col;                /* output column that is rowtime, or -1 */
	int proctime_col;               /* output column that is proctime, or -1 */

	/* Aggregate / WindowAggregate / Rank / OverAggregate / Join */
	int nkeys;                      /* group keys, partition keys, left join keys */
	const int *keys;
	int nrkeys;                     /* Join: right join keys (right-relative) */
	const int *rkeys;
	int naggs;
	sl_aggcall *aggs;

	/* Windows */
	sl_window window;               /* WindowTableFunction/WindowAggregate/WindowJoin/WindowRank */
	bool legacy_window;             /* GROUP BY TUMBLE(...) (GroupWindowAggregate) */
	int nwprops;                    /* window properties appended after aggs */
	const sl_window_prop *wprops;
	int win_start_col, win_end_col; /* WindowAggregate over a TVF, WindowJoin (left),
	                                 * WindowRank: input window_start/_end columns */
	int rwin_start_col, rwin_end_col; /* WindowJoin right input (right-relative) */
	int64_t slice_us;               /* Local/GlobalWindowAggregate of HOP/CUMULATE windows
	                                 * assigned from the time column: partials and state
	                                 * are per slice of this length (gcd(size, slide)),
	                                 * merged when a window fires; 0 = per window */

	/* Join */
	sl_join_type join_type;
	int left_time_col, right_time_col; /* IntervalJoin (right-relative) / TemporalJoin */
	int64_t lower_us, upper_us;     /* IntervalJoin: right.t - left.t in [lower, upper]
	                                 * i.e. left.t BETWEEN right.t - upper AND right.t - lower */

	/* Join (regular, INNER): state retention derived from watermarks
	 * (physical.c, "Watermark-derived join state retention"). With
	 * retain[s], a stored row of input s whose column retain_col[s] is
	 * <= (the newest watermark of the other input) + retain_off_us[s],
	 * or NULL, can never match a future row of the other input: it is
	 * not stored, and the join's sweep drops it. The residual condition
	 * bounds the column from below by the other input's column
	 * retain_ocol[s] (both side-relative), a window property that its
	 * window aggregate emits only above the watermark it forwards. */
	bool retain[2];
	int retain_col[2];
	int retain_ocol[2];
	int64_t retain_off_us[2];

	/* Rank */
	sl_rank_kind rank_kind;
	sl_agg_kind rank_func;          /* ROW_NUMBER / RANK / DENSE_RANK */
	int norder;
	const int *order_cols;
	const bool *order_desc;
	int64_t rank_start, rank_end;   /* 1-based, inclusive */
	bool output_rank;               /* rank number appended as last field */

	/* OverAggregate: frame over order_cols[0]; preceding in rows or us */
	bool over_rows;                 /* ROWS (true) or RANGE (false) */
	int64_t over_preceding;         /* -1: UNBOUNDED PRECEDING */

	/* Correlate (a C table function per input row: LATERAL TABLE): the
	 * function; its argument columns in keys/nkeys; join_type INNER or
	 * LEFT; output = the input row, then the function's ROW fields */
	const struct sl_udf_fn *udf;

	/* Values */
	int nrows;
	sl_expr ***rows;                /* nrows x nfields */

	/* Sink: target table and, for each sink column, the input column */
	const sl_table *sink;
	const char *sink_name;

	/* Physical only */
	int parallelism;
	sl_changelog changelog;         /* output edge's mode */
	sl_dist_kind dist;              /* Exchange: distribution */
	bool chain;                     /* chained to its (single, forward) input */
	int64_t state_ttl_ms;           /* table.exec.state.ttl, 0 = forever */
	int64_t hint_ttl_ms[2];         /* Join: STATE_TTL hint per input (bind.c),
	                                 * 0 = none: state_ttl_ms applies */
	sl_span span;                   /* statement span it came from */

	/* Two-phase aggregation (physical.c, "Two-phase aggregation" in
	 * planner/README.md). Global*Aggregate: the row type its aggregates'
	 * argument and FILTER columns refer to (the Local's input); its own
	 * input is keys, [$slice_end], $acc. Local*Aggregate: when to flush
	 * its partial accumulators besides watermarks, barriers and end of
	 * input ('table.exec.mini-batch.*'; off: after every chunk). */
	const struct sl_rel *agg_input;
	bool minibatch;
	int64_t minibatch_latency_ms;   /* 0: no time bound */
	int64_t minibatch_size;         /* rows; <= 0: no row bound */
} sl_rel;

/* A planned query: one or more sink roots (several for STATEMENT SET; a
 * bare SELECT gets a "collect" Sink). */
typedef struct sl_plan {
	int nroots;
	sl_rel **roots;                 /* physical Sink nodes */
	int nlogical;
	sl_rel **logical;               /* logical roots (after rewrites) */
	int nops;                       /* every physical node, by id - 1 */
	sl_rel **ops;
	int default_parallelism;
} sl_plan;

/* ---------------------------------------------------------------------
 * Statement processing.
 * ------------------------------------------------------------------- */
typedef enum sl_stmt_result_kind {
	SL_RESULT_OK,           /* DDL/SET: message is "CREATE TABLE" etc. */
	SL_RESULT_TEXT,         /* SHOW/DESCRIBE: text */
	SL_RESULT_PLAN,         /* INSERT/SELECT/STATEMENT SET: plan */
	SL_RESULT_EXPLAIN,      /* EXPLAIN: plan + text */
	SL_RESULT_ERROR
} sl_stmt_result_kind;

typedef struct sl_stmt_result {
	sl_stmt_result_kind kind;
	const char *message;    /* SL_RESULT_OK: "CREATE TABLE"; TEXT/EXPLAIN: output */
	sl_plan *plan;          /* PLAN, EXPLAIN */
	bool explain_json;      /* EXPLAIN JSON */
	sl_error *error;        /* SL_RESULT_ERROR (owned by the result; spans are
	                         * absolute offsets in the script) */
	sl_span span;           /* the statement in the script */
} sl_stmt_result;

typedef struct sl_plan_options {
	int parallelism;        /* 0: from 'parallelism.default' (default 1) */
	const char *udf_path;   /* --udf-path: where CREATE FUNCTION ... LANGUAGE C
	                         * loads libraries from ('udf.path' overrides); NULL:
	                         * none, no library loads */
} sl_plan_options;

/* A statement's position in a script as split by sl_plan_split_script. */
typedef struct sl_stmt_text {
	uint32_t start, end;    /* bytes [start, end) including the final ';' if any */
} sl_stmt_text;

/* Split script text at top-level semicolons (strings, quoted identifiers,
 * comments and STATEMENT SET BEGIN ... END blocks respected). Empty
 * statements (only blanks/comments) are skipped. Returns the count;
 * *out is malloc'ed. */
size_t sl_plan_split_script(const char *src, size_t len, sl_stmt_text **out);

/*
 * Parse and process one statement src[start, end) of the script src with
 * catalog cat: DDL updates cat, queries are planned into arena. Never
 * aborts on user input: errors come back in res->error with absolute spans.
 */
void sl_plan_statement(sl_catalog *cat, const char *src, size_t srclen,
                       sl_stmt_text st, const sl_plan_options *opts,
                       sl_arena *arena, sl_stmt_result *res);

/* Print a physical plan: one operator per line, sinks first, children
 * indented below their parent ("+- " for the last input, ":- " for
 * others), exchanges as their own lines. */
void sl_plan_explain(const sl_plan *plan, sl_strbuf *out);
void sl_plan_explain_json(const sl_plan *plan, sl_strbuf *out);
/* The logical plan, same layout. */
void sl_plan_explain_logical(const sl_plan *plan, sl_strbuf *out);
/* An expression as EXPLAIN prints it, with the input's field names. */
void sl_expr_print(const sl_expr *e, const sl_field *in, int nin, sl_strbuf *out);

#endif /* SL_PLANNER_H */
