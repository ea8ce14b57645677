/*
 * types.h
 *	  SQL data types as the planner and the runtime see them.
 *
 *	  A type is an immutable descriptor allocated in the query arena (or
 *	  static for the simple kinds), shared freely. NOT NULL is a property of
 *	  the type (nullable = false) as in Flink; a time attribute (rowtime or
 *	  proctime) is a TIMESTAMP/TIMESTAMP_LTZ whose time_attr is set.
 *
 *	  Physical representation of one value in a runtime vector (the
 *	  contract between planner/ and runtime/; state/ sees only bytes):
 *
 *	    BOOLEAN            uint8_t (0/1)
 *	    TINYINT..BIGINT    int8_t, int16_t, int32_t, int64_t
 *	    FLOAT, DOUBLE      float, double
 *	    DECIMAL(p,s)       int64_t unscaled value when p <= 18, else __int128
 *	    CHAR, VARCHAR,     sl_str: { uint32_t len; const char *ptr } (UTF-8,
 *	    STRING, BYTES        ptr into the chunk's arena or a constant)
 *	    DATE               int32_t days since 1970-01-01
 *	    TIME(p)            int64_t microseconds since midnight
 *	    TIMESTAMP(p),      int64_t microseconds since 1970-01-01T00:00:00
 *	    TIMESTAMP_LTZ(p)     (TIMESTAMP is zone-less and read as UTC;
 *	                         precision 0..6 is kept, 7..9 is truncated to us)
 *	    INTERVAL DAY..     int64_t microseconds
 *	    INTERVAL YEAR..    int32_t months
 *	    ROW, ARRAY, MAP    child vectors (see runtime/vector.h)
 *
 * INTERFACE ROUTINES (planner/types.c)
 *	  sl_type_simple       the static descriptor of a parameterless kind
 *	  sl_type_new_*        parameterized descriptors in an arena
 *	  sl_type_to_string    Flink's spelling: "DECIMAL(10, 2) NOT NULL"
 *	  sl_type_equal, sl_type_common_super, sl_type_can_implicit_cast
 */
#ifndef SL_PLANNER_TYPES_H
#define SL_PLANNER_TYPES_H

#include "common/common.h"

typedef enum sl_type_kind {
	SL_TYPE_NULL,        /* the type of a bare NULL literal */
	SL_TYPE_BOOLEAN,
	SL_TYPE_TINYINT,
	SL_TYPE_SMALLINT,
	SL_TYPE_INT,
	SL_TYPE_BIGINT,
	SL_TYPE_FLOAT,
	SL_TYPE_DOUBLE,
	SL_TYPE_DECIMAL,     /* precision 1..38, scale 0..precision */
	SL_TYPE_CHAR,        /* length */
	SL_TYPE_VARCHAR,     /* length; STRING is VARCHAR(2147483647) */
	SL_TYPE_BYTES,       /* VARBINARY / BYTES */
	SL_TYPE_DATE,
	SL_TYPE_TIME,        /* precision */
	SL_TYPE_TIMESTAMP,   /* precision; time_attr may be set */
	SL_TYPE_TIMESTAMP_LTZ,
	SL_TYPE_INTERVAL_DT, /* INTERVAL DAY TO SECOND and its sub-ranges */
	SL_TYPE_INTERVAL_YM, /* INTERVAL YEAR TO MONTH and its sub-ranges */
	SL_TYPE_ROW,         /* fields */
	SL_TYPE_ARRAY,       /* elem */
	SL_TYPE_MAP,         /* key, elem */
	SL_TYPE__COUNT
} sl_type_kind;

typedef enum sl_time_attr {
	SL_TIME_ATTR_NONE = 0,
	SL_TIME_ATTR_ROWTIME,  /* declared by WATERMARK FOR, event time */
	SL_TIME_ATTR_PROCTIME  /* PROCTIME() */
} sl_time_attr;

#define SL_VARCHAR_MAX 2147483647

typedef struct sl_type sl_type;

typedef struct sl_type_field {
	const char *name;      /* as declared (case preserved) */
	const sl_type *type;
} sl_type_field;

struct sl_type {
	sl_type_kind kind;
	bool nullable;         /* false for NOT NULL */
	sl_time_attr time_attr;/* TIMESTAMP / TIMESTAMP_LTZ only */
	int32_t precision;     /* DECIMAL, TIME, TIMESTAMP*: precision; CHAR/VARCHAR/BYTES: length */
	int32_t scale;         /* DECIMAL only */
	int32_t nfields;       /* ROW */
	const sl_type_field *fields; /* ROW: nfields entries */
	const sl_type *elem;   /* ARRAY element, MAP value */
	const sl_type *key;    /* MAP key */
};

/* The nullable descriptor of a kind without parameters (BOOLEAN, INT,
 * BIGINT, DOUBLE, DATE, STRING as VARCHAR(max), TIMESTAMP(3), ...). */
const sl_type *sl_type_simple(sl_type_kind kind);
const sl_type *sl_type_new_decimal(sl_arena *a, int precision, int scale);
const sl_type *sl_type_new_varchar(sl_arena *a, int length);
const sl_type *sl_type_new_timestamp(sl_arena *a, sl_type_kind kind, int precision);
const sl_type *sl_type_new_row(sl_arena *a, int nfields, const sl_type_field *fields);
const sl_type *sl_type_new_array(sl_arena *a, const sl_type *elem);
const sl_type *sl_type_new_map(sl_arena *a, const sl_type *key, const sl_type *value);
/* A copy of t with nullable / time attribute changed. */
const sl_type *sl_type_with_nullable(sl_arena *a, const sl_type *t, bool nullable);
const sl_type *sl_type_with_time_attr(sl_arena *a, const sl_type *t, sl_time_attr attr);

/* Flink's spelling, e.g. "TIMESTAMP(3) *ROWTIME*", "ROW<`id` BIGINT, ...>". */
void sl_type_to_string(const sl_type *t, sl_strbuf *out);
bool sl_type_equal(const sl_type *a, const sl_type *b); /* ignores time_attr */
bool sl_type_is_numeric(const sl_type *t);
bool sl_type_is_string(const sl_type *t);
bool sl_type_is_temporal(const sl_type *t);
/* Flink's implicit widening (INT -> BIGINT -> DECIMAL -> DOUBLE, ...). */
bool sl_type_can_implicit_cast(const sl_type *from, const sl_type *to);
/* The least common supertype (for CASE, UNION, comparisons), or NULL. */
const sl_type *sl_type_common_super(sl_arena *a, const sl_type *x, const sl_type *y);

/* ---------------------------------------------------------------------
 * Additions (planner/types.c).
 * ------------------------------------------------------------------- */
/* More parameterized descriptors: CHAR(n), VARBINARY(n) (BYTES when n is
 * SL_VARCHAR_MAX), TIME(p). Nullable; in arena a. */
const sl_type *sl_type_new_char(sl_arena *a, int length);
const sl_type *sl_type_new_bytes(sl_arena *a, int length);
const sl_type *sl_type_new_time(sl_arena *a, int precision);
bool sl_type_is_exact_integer(const sl_type *t);  /* TINYINT..BIGINT */
/* Decimal digits of an integer kind seen as DECIMAL(p, 0): TINYINT 3,
 * SMALLINT 5, INT 10, BIGINT 19; 0 for any other kind. */
int sl_type_integer_decimal_precision(sl_type_kind kind);

/*
 * DECIMAL arithmetic result types, as Flink computes them. Operands are
 * exact numerics: DECIMAL(p, s), or an integer kind seen as DECIMAL(p, 0)
 * (see above). The result is nullable if either operand is. A precision
 * beyond 38 is cut to 38 keeping the integral digits and at least
 * min(scale, 6) fraction digits (Flink's adjustPrecisionScale).
 *
 *   + -  scale = max(s1, s2), precision = max(p1-s1, p2-s2) + scale + 1
 *   *    scale = s1 + s2,     precision = p1 + p2 + 1
 *   /    scale = max(6, s1 + p2 + 1), precision = p1 - s1 + s2 + scale
 *   %    scale = max(s1, s2), precision = min(p1-s1, p2-s2) + scale
 *
 * e.g. BIGINT * 0.908 (DECIMAL(3, 3)) is DECIMAL(23, 3), as Nexmark q1 declares.
 */
const sl_type *sl_type_decimal_add_result(sl_arena *a, const sl_type *x, const sl_type *y);
const sl_type *sl_type_decimal_mul_result(sl_arena *a, const sl_type *x, const sl_type *y);
const sl_type *sl_type_decimal_div_result(sl_arena *a, const sl_type *x, const sl_type *y);
const sl_type *sl_type_decimal_mod_result(sl_arena *a, const sl_type *x, const sl_type *y);
/* ROUND(x, d) / TRUNCATE(x, d) of x DECIMAL(p, s), d a constant (Flink's
 * findRoundDecimalType): x's type when d >= s; DECIMAL(min(38, 1 + p - s), 0)
 * when d < 0; else DECIMAL(1 + p - s + d, d) (rounding may carry into one
 * more integral digit). FLOOR/CEIL of DECIMAL(p, s): DECIMAL(p - s + 1, 0)
 * (x's type when s = 0). Nullable as x. */
const sl_type *sl_type_decimal_round_result(sl_arena *a, const sl_type *x, int64_t digits);
const sl_type *sl_type_decimal_floor_result(sl_arena *a, const sl_type *x);
/* The kind alone, upper case: "BIGINT", "DECIMAL", "INTERVAL DAY TO SECOND". */
const char *sl_type_kind_name(sl_type_kind kind);
/* SUM: DECIMAL(p, s) -> DECIMAL(38, s); other numerics keep their type.
 * AVG: DECIMAL(p, s) -> DECIMAL(38, max(6, s)); other numerics keep their
 * type (AVG of BIGINT is BIGINT, as in Flink). Both nullable; NULL for a
 * non-numeric argument. */
const sl_type *sl_type_sum_result(sl_arena *a, const sl_type *arg);
const sl_type *sl_type_avg_result(sl_arena *a, const sl_type *arg);

/* Rank in Flink's numeric widening order: TINYINT 1, SMALLINT 2, INT 3,
 * BIGINT 4, DECIMAL 5, FLOAT 6, DOUBLE 7; 0 for other kinds. */
int sl_type_numeric_rank(sl_type_kind kind);

/* ---------------------------------------------------------------------
 * Reading types from text (planner/types.c): the one grammar of type
 * names outside SQL statements (C function signatures, udf/signature.c).
 * Keywords are case-insensitive; names may be `quoted`.
 *
 *   type := base [ NOT NULL | NULL ]
 *   base := BOOLEAN | TINYINT | SMALLINT | INT | INTEGER | BIGINT
 *         | FLOAT | REAL | DOUBLE [PRECISION]
 *         | (DECIMAL | DEC | NUMERIC) [ '(' p [ ',' s ] ')' ]
 *         | CHAR [ '(' n ')' ] | VARCHAR [ '(' n ')' ] | STRING
 *         | BYTES | (VARBINARY | BINARY) [ '(' n ')' ]
 *         | DATE | TIME [ '(' p ')' ]
 *         | TIMESTAMP [ '(' p ')' ] [ WITHOUT TIME ZONE | WITH LOCAL TIME ZONE ]
 *         | TIMESTAMP_LTZ [ '(' p ')' ]
 *         | INTERVAL unit [ TO unit ]
 *         | ROW ( '<' | '(' ) name type { ',' name type } ( '>' | ')' )
 *
 * Defaults are Flink's (DECIMAL(10, 0), CHAR(1), TIME(0), TIMESTAMP(6)).
 * The first failure records "reason at offset N" in why; after it every
 * call fails. Types are built with the constructors above, in a.
 * ------------------------------------------------------------------- */
typedef struct sl_type_reader {
	sl_arena *a;            /* where types and names are allocated */
	const char *text;       /* NUL-terminated */
	size_t pos;             /* next unread byte */
	char *why;              /* failure reason buffer (caller's) */
	size_t whylen;
	bool failed;
} sl_type_reader;

typedef enum sl_type_tok_kind {
	SL_TTOK_END, SL_TTOK_WORD, SL_TTOK_QUOTED, SL_TTOK_NUM, SL_TTOK_PUNCT, SL_TTOK_BAD
} sl_type_tok_kind;

typedef struct sl_type_tok {
	sl_type_tok_kind kind;
	size_t start, len;      /* in text; QUOTED without the backticks */
	char punct;             /* one of ( ) , < > */
} sl_type_tok;

/* One type at r->pos; advances past it. */
bool sl_type_read(sl_type_reader *r, const sl_type **out);
/* The token at r->pos / at pos (not consumed), consumed, where it ends. */
sl_type_tok sl_type_reader_peek(const sl_type_reader *r);
sl_type_tok sl_type_reader_peek_at(const sl_type_reader *r, size_t pos);
sl_type_tok sl_type_reader_next(sl_type_reader *r);
size_t sl_type_tok_end(const sl_type_tok *t);
/* Is t the keyword kw / a word that begins a type? */
bool sl_type_tok_is(const sl_type_reader *r, const sl_type_tok *t, const char *kw);
bool sl_type_tok_starts_type(const sl_type_reader *r, const sl_type_tok *t);
/* Consume punctuation c if next / or fail with "expected "c"". */
bool sl_type_reader_accept(sl_type_reader *r, char c);
bool sl_type_reader_expect(sl_type_reader *r, char c);
/* Record the failure (the first one wins) with " at offset <at>"; false. */
bool sl_type_reader_fail(sl_type_reader *r, size_t at, const char *fmt, ...) SL_PRINTF(3, 4);

#endif /* SL_PLANNER_TYPES_H */
