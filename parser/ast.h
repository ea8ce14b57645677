/*
 * ast.h
 *	  The abstract syntax tree produced by the parser: node structs, tags
 *	  and the enums their fields use.
 *
 *	  The node list with every field lives in parser/nodes.def; this header
 *	  expands it into `enum sl_ast_tag` (T_sl_ast_select, ... from 100 up)
 *	  and `struct sl_ast_select { int tag; sl_span span; ...fields }`.
 *	  Read nodes.def for the fields of a node.
 *
 *	  Model:
 *	  - Every node starts with `int tag` (so it is an sl_node: SL_IS_A,
 *	    SL_CAST work) and `sl_span span`, the byte range of its source text.
 *	  - All nodes, lists and strings live in the parse arena given to
 *	    sl_parse; nothing is freed separately. The tree is read-only after
 *	    parsing (the binder builds its own structures).
 *	  - Identifiers keep their spelling as written and whether they were
 *	    backquoted (`a``b` is stored as a`b, quoted). Flink identifiers are
 *	    case-sensitive; keywords are case-insensitive.
 *	  - Lists are arrays: { T **items; int n; int cap; } (cap is internal).
 *	  - Optional children are NULL; optional identifiers have name == NULL;
 *	    optional integers use -1.
 *	  - sl_ast_expr, sl_ast_stmt, sl_ast_query_expr, sl_ast_from_item stand
 *	    for "any node of that category"; dispatch on SL_TAG().
 *
 * INTERFACE ROUTINES (parser/node.c)
 *	  sl_ast_node_name    display name of a tag ("Select")
 *	  sl_ast_alloc_       zeroed node with tag and span (use SL_AST_NEW)
 *	  sl_ast_list_push_   append to a node list (use SL_AST_PUSH)
 *	  sl_ast_idents_push  append to an identifier list
 */
#ifndef SL_PARSER_AST_H
#define SL_PARSER_AST_H

#include "common/common.h"

/* ---------------------------------------------------------------------
 * Identifiers
 * ------------------------------------------------------------------- */
typedef struct sl_ast_ident {
	const char *name;  /* spelling as written, escapes resolved; NULL: absent */
	bool quoted;       /* written in backquotes */
	sl_span span;      /* source text, backquotes included */
} sl_ast_ident;

/* A qualified name (cat.db.t) or a list of column names. */
typedef struct sl_ast_ident_list {
	sl_ast_ident *items;
	int n;
	int cap;           /* internal */
} sl_ast_ident_list;

/* Categories: any node of that kind (check the tag). */
typedef sl_node sl_ast_expr;
typedef sl_node sl_ast_stmt;
typedef sl_node sl_ast_query_expr;
typedef sl_node sl_ast_from_item;

/* ---------------------------------------------------------------------
 * Enums used by node fields
 * ------------------------------------------------------------------- */
typedef enum sl_ast_column_kind {
	SL_COL_PHYSICAL,      /* name TYPE */
	SL_COL_COMPUTED,      /* name AS expr */
	SL_COL_METADATA       /* name TYPE METADATA [FROM 'key'] [VIRTUAL] */
} sl_ast_column_kind;

typedef enum sl_ast_type_kind {
	SL_ASTTYPE_BOOLEAN,
	SL_ASTTYPE_TINYINT,
	SL_ASTTYPE_SMALLINT,
	SL_ASTTYPE_INT,       /* INT, INTEGER */
	SL_ASTTYPE_BIGINT,
	SL_ASTTYPE_FLOAT,     /* FLOAT, REAL */
	SL_ASTTYPE_DOUBLE,    /* DOUBLE [PRECISION] */
	SL_ASTTYPE_DECIMAL,   /* DECIMAL, DEC, NUMERIC [(p[, s])] */
	SL_ASTTYPE_CHAR,      /* CHAR[(n)] */
	SL_ASTTYPE_VARCHAR,   /* VARCHAR[(n)] */
	SL_ASTTYPE_STRING,    /* STRING */
	SL_ASTTYPE_BINARY,    /* BINARY[(n)] */
	SL_ASTTYPE_VARBINARY, /* VARBINARY[(n)] */
	SL_ASTTYPE_BYTES,     /* BYTES */
	SL_ASTTYPE_DATE,
	SL_ASTTYPE_TIME,      /* TIME[(p)] */
	SL_ASTTYPE_TIMESTAMP, /* TIMESTAMP[(p)] [WITHOUT TIME ZONE] */
	SL_ASTTYPE_TIMESTAMP_LTZ, /* TIMESTAMP_LTZ[(p)], TIMESTAMP[(p)] WITH LOCAL TIME ZONE */
	SL_ASTTYPE_INTERVAL,  /* INTERVAL qualifier (iv_* fields) */
	SL_ASTTYPE_ROW,       /* ROW<a T, ...> / ROW(a T, ...) */
	SL_ASTTYPE_ARRAY,     /* ARRAY<T> */
	SL_ASTTYPE_MAP,       /* MAP<K, V> */
	SL_ASTTYPE_MULTISET,  /* MULTISET<T> */
	SL_ASTTYPE_NULL       /* NULL (the type) */
} sl_ast_type_kind;

/* Units of INTERVAL qualifiers, EXTRACT, FLOOR/CEIL TO, TIMESTAMPADD/DIFF. */
typedef enum sl_ast_time_unit {
	SL_UNIT_NONE,
	SL_UNIT_YEAR,
	SL_UNIT_QUARTER,
	SL_UNIT_MONTH,
	SL_UNIT_WEEK,
	SL_UNIT_DAY,
	SL_UNIT_HOUR,
	SL_UNIT_MINUTE,
	SL_UNIT_SECOND,
	SL_UNIT_MILLISECOND,
	SL_UNIT_MICROSECOND,
	SL_UNIT_NANOSECOND,
	SL_UNIT_DOW,
	SL_UNIT_DOY,
	SL_UNIT_ISODOW,
	SL_UNIT_ISOYEAR,
	SL_UNIT_EPOCH,
	SL_UNIT_DECADE,
	SL_UNIT_CENTURY,
	SL_UNIT_MILLENNIUM
} sl_ast_time_unit;

typedef enum sl_ast_using_kind {
	SL_USING_NONE,
	SL_USING_LIBRARY,     /* USING LIBRARY 'path.so' (sluice's C UDFs) */
	SL_USING_JAR          /* USING JAR 'x.jar' (Flink; parsed, not loadable) */
} sl_ast_using_kind;

typedef enum sl_ast_object_kind {
	SL_OBJ_TABLE,
	SL_OBJ_VIEW,
	SL_OBJ_FUNCTION,
	SL_OBJ_JOB,
	SL_OBJ_CATALOG,
	SL_OBJ_DATABASE
} sl_ast_object_kind;

typedef enum sl_ast_quantifier {
	SL_QUANT_NONE,        /* neither written */
	SL_QUANT_ALL,
	SL_QUANT_DISTINCT
} sl_ast_quantifier;

typedef enum sl_ast_setop_kind {
	SL_SETOP_UNION,
	SL_SETOP_INTERSECT,
	SL_SETOP_EXCEPT       /* EXCEPT, MINUS */
} sl_ast_setop_kind;

typedef enum sl_ast_join_kind {
	SL_JOIN_INNER,        /* [INNER] JOIN */
	SL_JOIN_LEFT,         /* LEFT [OUTER] JOIN */
	SL_JOIN_RIGHT,
	SL_JOIN_FULL,
	SL_JOIN_CROSS         /* CROSS JOIN (also CROSS JOIN UNNEST / LATERAL TABLE) */
} sl_ast_join_kind;

typedef enum sl_ast_literal_kind {
	SL_LIT_NULL,
	SL_LIT_BOOLEAN,       /* bval */
	SL_LIT_INTEGER,       /* digits only, fits int64: ival (text as written) */
	SL_LIT_DECIMAL,       /* 1.5, .5, or an integer beyond int64 (<= 38 digits) */
	SL_LIT_DOUBLE,        /* with an exponent: 1e3, 1.5E-2 */
	SL_LIT_STRING,        /* text decoded */
	SL_LIT_BINARY,        /* X'0AFF': text holds the hex digits */
	SL_LIT_DATE,          /* DATE '2024-01-01' */
	SL_LIT_TIME,          /* TIME '10:00:00' */
	SL_LIT_TIMESTAMP,     /* TIMESTAMP '2024-01-01 10:00:00' */
	SL_LIT_TIMESTAMP_LTZ, /* TIMESTAMP_LTZ '...' (reserved) */
	SL_LIT_INTERVAL       /* INTERVAL '5' SECOND: text + iv_* qualifier */
} sl_ast_literal_kind;

typedef enum sl_ast_unop {
	SL_UNOP_NEG,          /* -x */
	SL_UNOP_PLUS,         /* +x */
	SL_UNOP_NOT           /* NOT x */
} sl_ast_unop;

typedef enum sl_ast_binop {
	SL_BINOP_ADD,
	SL_BINOP_SUB,
	SL_BINOP_MUL,
	SL_BINOP_DIV,
	SL_BINOP_MOD,         /* % */
	SL_BINOP_CONCAT,      /* || */
	SL_BINOP_EQ,
	SL_BINOP_NE,          /* <> and != */
	SL_BINOP_LT,
	SL_BINOP_LE,
	SL_BINOP_GT,
	SL_BINOP_GE,
	SL_BINOP_AND,
	SL_BINOP_OR,
	SL_BINOP_IS_DISTINCT_FROM,
	SL_BINOP_IS_NOT_DISTINCT_FROM
} sl_ast_binop;

typedef enum sl_ast_is_kind {
	SL_IS_NULL,
	SL_IS_TRUE,
	SL_IS_FALSE,
	SL_IS_UNKNOWN
} sl_ast_is_kind;

typedef enum sl_ast_trim_where {
	SL_TRIM_DEFAULT,      /* not written (BOTH) */
	SL_TRIM_BOTH,
	SL_TRIM_LEADING,
	SL_TRIM_TRAILING
} sl_ast_trim_where;

typedef enum sl_ast_call_syntax {
	SL_CALL_NORMAL,
	SL_CALL_NILADIC,      /* CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIMESTAMP, ... */
	SL_CALL_POSITION,
	SL_CALL_SUBSTRING,
	SL_CALL_OVERLAY
} sl_ast_call_syntax;

typedef enum sl_ast_frame_units {
	SL_FRAME_NONE,
	SL_FRAME_ROWS,
	SL_FRAME_RANGE
} sl_ast_frame_units;

typedef enum sl_ast_bound_kind {
	SL_BOUND_UNBOUNDED_PRECEDING,
	SL_BOUND_PRECEDING,
	SL_BOUND_CURRENT_ROW,
	SL_BOUND_FOLLOWING,
	SL_BOUND_UNBOUNDED_FOLLOWING
} sl_ast_bound_kind;

typedef enum sl_ast_sort_dir {
	SL_SORT_DEFAULT,      /* not written (ASC) */
	SL_SORT_ASC,
	SL_SORT_DESC
} sl_ast_sort_dir;

typedef enum sl_ast_nulls_order {
	SL_NULLS_DEFAULT,
	SL_NULLS_FIRST,
	SL_NULLS_LAST
} sl_ast_nulls_order;

typedef enum sl_ast_grouping_kind {
	SL_GROUPING_SETS,     /* GROUPING SETS (...) */
	SL_GROUPING_ROLLUP,   /* ROLLUP (...) */
	SL_GROUPING_CUBE,     /* CUBE (...) */
	SL_GROUPING_LIST      /* (a, b) or () inside one of the above */
} sl_ast_grouping_kind;

/* ---------------------------------------------------------------------
 * Tags and structs, expanded from nodes.def
 * ------------------------------------------------------------------- */
#define SL_AST_FIRST_TAG 100

typedef enum sl_ast_tag {
	SL_AST_TAG_BEFORE_ = SL_AST_FIRST_TAG - 1,
#define SL_NODE(T, label, fields) T_##T,
#include "parser/nodes.def"
#undef SL_NODE
	SL_AST_TAG_END_       /* one past the last tag */
} sl_ast_tag;

#define SL_NODE(T, label, fields) typedef struct T T;
#include "parser/nodes.def"
#undef SL_NODE

#define SL_F_NODE(T, f) T *f;
#define SL_F_LIST(T, f) struct { T **items; int n; int cap; } f;
#define SL_F_IDENT(f) sl_ast_ident f;
#define SL_F_IDENTS(f) sl_ast_ident_list f;
#define SL_F_STR(f) const char *f;
#define SL_F_BYTES(f, l) const char *f; uint32_t l;
#define SL_F_BOOL(f) bool f;
#define SL_F_INT(T, f) T f;
#define SL_F_I64(f) int64_t f;
#define SL_F_SPAN(f) sl_span f;
#define SL_NODE(T, label, fields) struct T { int tag; sl_span span; fields };
#include "parser/nodes.def"
#undef SL_NODE
#undef SL_F_NODE
#undef SL_F_LIST
#undef SL_F_IDENT
#undef SL_F_IDENTS
#undef SL_F_STR
#undef SL_F_BYTES
#undef SL_F_BOOL
#undef SL_F_INT
#undef SL_F_I64
#undef SL_F_SPAN

/* ---------------------------------------------------------------------
 * Node helpers (parser/node.c)
 * ------------------------------------------------------------------- */

/* "Select" for T_sl_ast_select; "?" for a tag that is not an AST node. */
const char *sl_ast_node_name(int tag);
static inline bool sl_ast_is_node(const void *p)
{
	return p && SL_TAG(p) >= SL_AST_FIRST_TAG && SL_TAG(p) < SL_AST_TAG_END_;
}

/* A zeroed node of type T with its tag and span, in arena a. */
void *sl_ast_alloc_(sl_arena *a, size_t size, int tag, sl_span span);
#define SL_AST_NEW(a, T, sp) ((T *)sl_ast_alloc_((a), sizeof(T), T_##T, (sp)))

/* Append node x to list field L (e.g. &sel->targets) in arena a. */
void sl_ast_list_push_(sl_arena *a, void ***items, int *n, int *cap, void *x);
#define SL_AST_PUSH(a, L, x)                                                   \
	sl_ast_list_push_((a), (void ***)&(L)->items, &(L)->n, &(L)->cap, (void *)(x))

/* Append identifier id to list l in arena a. */
void sl_ast_idents_push(sl_arena *a, sl_ast_ident_list *l, sl_ast_ident id);

/* Names of enum values as written in SQL ("SECOND", "VARCHAR", "LEFT"). */
const char *sl_ast_time_unit_name(sl_ast_time_unit u);
const char *sl_ast_binop_name(sl_ast_binop op);    /* "+", "AND", "IS DISTINCT FROM" */

#endif /* SL_PARSER_AST_H */
