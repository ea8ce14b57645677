/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sluice/udf.h
 *	  The C user-defined function ABI of sluice: scalar, aggregate and table
 *	  functions in a shared library, called a vector at a time.
 *
 *	  A library includes this header (and nothing else of sluice), defines
 *	  its functions and exports two symbols, most easily with the one macro
 *	  SLUICE_UDF_LIBRARY(functions):
 *
 *	    sluice_udf_abi_version  const uint32_t, SLUICE_UDF_ABI_VERSION; read
 *	                            from the file before the library is loaded
 *	    sluice_udf_register     returns the library descriptor (static data)
 *
 *	  The engine checks the path, the ELF file, both symbols and the ABI
 *	  version before it maps the library, calls sluice_udf_register once,
 *	  validates the descriptor (names, signatures, entry points) and only
 *	  then ever calls a function. See docs/udf.md.
 *
 *	  Values use the engine's own physical representation, so calls need no
 *	  conversion:
 *
 *	    BOOLEAN               uint8_t (0/1)
 *	    TINYINT..BIGINT       int8_t, int16_t, int32_t, int64_t
 *	    FLOAT, DOUBLE         float, double
 *	    DECIMAL(p,s)          int64_t unscaled value when p <= 18, else
 *	                          sluice_int128; p and s are in the vector's type
 *	    CHAR, VARCHAR, STRING,
 *	    BYTES                 sluice_str (UTF-8 for the character types, not
 *	                          NUL-terminated)
 *	    DATE                  int32_t days since 1970-01-01
 *	    TIME                  int64_t microseconds since midnight
 *	    TIMESTAMP,            int64_t microseconds since 1970-01-01T00:00:00
 *	    TIMESTAMP_LTZ           (TIMESTAMP is zone-less, read as UTC)
 *	    INTERVAL DAY..SECOND  int64_t microseconds
 *	    INTERVAL YEAR..MONTH  int32_t months
 *
 *	  NULLs: a validity bitmap of 64-bit words, bit (row & 63) of word
 *	  (row >> 6) set = row is not NULL; a NULL bitmap pointer means no row is
 *	  NULL. The value slot of a NULL row is unspecified.
 *
 *	  Rows: every vector in one call has the same row positions 0..length-1.
 *	  sel lists the positions to process (strictly ascending); sel == NULL
 *	  means positions 0..n-1. Results are written at the same positions.
 *
 * Versioning: SLUICE_UDF_ABI_MAJOR changes when anything in this header
 * changes incompatibly; a library built for another major is refused.
 * SLUICE_UDF_ABI_MINOR grows when fields are appended to the end of a
 * struct or new optional callbacks are added; a library built for an older
 * minor is accepted (missing fields read as zero), one built for a newer
 * minor than the engine knows is refused.
 */
#ifndef SLUICE_UDF_H
#define SLUICE_UDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * Version and exported symbols.
 * ------------------------------------------------------------------- */
#define SLUICE_UDF_ABI_MAJOR 1
#define SLUICE_UDF_ABI_MINOR 0
#define SLUICE_UDF_ABI_MAKE(major, minor) (((uint32_t)(major) << 16) | (uint32_t)(minor))
#define SLUICE_UDF_ABI_VERSION SLUICE_UDF_ABI_MAKE(SLUICE_UDF_ABI_MAJOR, SLUICE_UDF_ABI_MINOR)
#define SLUICE_UDF_ABI_MAJOR_OF(v) ((uint32_t)(v) >> 16)
#define SLUICE_UDF_ABI_MINOR_OF(v) ((uint32_t)(v) & 0xffffu)

/* The names of the two symbols a library exports. */
#define SLUICE_UDF_VERSION_SYMBOL "sluice_udf_abi_version"
#define SLUICE_UDF_REGISTER_SYMBOL "sluice_udf_register"

#if defined(__GNUC__) || defined(__clang__)
#define SLUICE_UDF_EXPORT __attribute__((visibility("default")))
#define SLUICE_UDF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SLUICE_UDF_EXPORT
#define SLUICE_UDF_PRINTF(f, a)
#endif

/* A row position that names no input row (errors in merge or finish). */
#define SLUICE_UDF_NO_ROW UINT32_MAX

/* ---------------------------------------------------------------------
 * Values.
 * ------------------------------------------------------------------- */

/* A string or BYTES value: len bytes at ptr, not NUL-terminated. */
typedef struct sluice_str {
	uint32_t len;           /* bytes */
	const char *ptr;        /* borrowed; see the lifetime notes of each call */
} sluice_str;

#ifdef __SIZEOF_INT128__
__extension__ typedef __int128 sluice_int128;  /* DECIMAL(p, s) with p > 18, unscaled */
#else
typedef struct sluice_int128 { uint64_t lo; int64_t hi; } sluice_int128;
#endif

/* The kind of a SQL type, as passed at run time. Stable numbers. */
typedef enum sluice_udf_type_kind {
	SLUICE_UDF_TYPE_INVALID = 0,
	SLUICE_UDF_BOOLEAN = 1,
	SLUICE_UDF_TINYINT = 2,
	SLUICE_UDF_SMALLINT = 3,
	SLUICE_UDF_INT = 4,
	SLUICE_UDF_BIGINT = 5,
	SLUICE_UDF_FLOAT = 6,
	SLUICE_UDF_DOUBLE = 7,
	SLUICE_UDF_DECIMAL = 8,
	SLUICE_UDF_CHAR = 9,
	SLUICE_UDF_VARCHAR = 10,
	SLUICE_UDF_BYTES = 11,
	SLUICE_UDF_DATE = 12,
	SLUICE_UDF_TIME = 13,
	SLUICE_UDF_TIMESTAMP = 14,
	SLUICE_UDF_TIMESTAMP_LTZ = 15,
	SLUICE_UDF_INTERVAL_DT = 16,
	SLUICE_UDF_INTERVAL_YM = 17
} sluice_udf_type_kind;

/* A value's type at run time. */
typedef struct sluice_udf_type {
	int32_t kind;           /* sluice_udf_type_kind */
	int32_t precision;      /* DECIMAL, TIME, TIMESTAMP*: precision; CHAR/VARCHAR/BYTES: length */
	int32_t scale;          /* DECIMAL: digits after the point */
	int32_t reserved_;      /* 0 */
} sluice_udf_type;

/* One input column of a call: read only. */
typedef struct sluice_udf_vector {
	sluice_udf_type type;   /* the declared parameter type */
	const void *values;     /* length values of the physical type above */
	const uint64_t *validity; /* NULL: no NULLs; else bit set = not NULL */
	uint32_t length;        /* row positions 0..length-1 */
	uint32_t reserved_;     /* 0 */
} sluice_udf_vector;

/* The output column of a scalar call, or of an aggregate's finish. */
typedef struct sluice_udf_out {
	sluice_udf_type type;   /* the declared result type */
	void *values;           /* length slots, engine-owned */
	uint64_t *validity;     /* engine-owned, all bits set on entry: clear a
	                         * bit (sluice_udf_set_null) for a NULL result */
	uint32_t length;        /* row positions 0..length-1 */
	uint32_t reserved_;     /* 0 */
} sluice_udf_out;

static inline bool
sluice_udf_is_null(const sluice_udf_vector *v, uint32_t row)
{
	return v->validity && !((v->validity[row >> 6] >> (row & 63)) & 1);
}

static inline void
sluice_udf_set_null(sluice_udf_out *out, uint32_t row)
{
	out->validity[row >> 6] &= ~((uint64_t)1 << (row & 63));
}

/* Typed access: SLUICE_UDF_IN(v, sluice_str)[row], SLUICE_UDF_OUT(out, int64_t)[row]. */
#define SLUICE_UDF_IN(v, T) ((const T *)(v)->values)
#define SLUICE_UDF_OUT(o, T) ((T *)(o)->values)

/* The i-th row position of a call: sel[i], or i when there is no selection. */
static inline uint32_t
sluice_udf_row(const uint32_t *sel, uint32_t i)
{
	return sel ? sel[i] : i;
}

/* ---------------------------------------------------------------------
 * The per-call context, filled by the engine. A function reaches the
 * engine only through these callbacks, so a library links against nothing
 * of sluice. A context is used by one thread at a time (@thread worker);
 * the same function may run on several threads with different contexts.
 * ------------------------------------------------------------------- */
typedef struct sluice_udf_ctx sluice_udf_ctx;
struct sluice_udf_ctx {
	uint32_t abi_version;   /* the engine's SLUICE_UDF_ABI_VERSION */
	uint32_t size;          /* sizeof(sluice_udf_ctx) as the engine knows it */
	const char *function_name; /* the SQL name the function was called by */
	void *user_data;        /* the function descriptor's user_data */

	/* Report an error at input row position row (SLUICE_UDF_NO_ROW if none)
	 * and make the call fail: the engine fails the job with the function's
	 * name, this message and the row. Only the first error of a call is
	 * kept. The function should return a non-zero status right after. */
	void (*error)(sluice_udf_ctx *ctx, uint32_t row, const char *fmt, ...) SLUICE_UDF_PRINTF(3, 4);

	/* n bytes of scratch memory, 16-byte aligned, engine-owned: it lives at
	 * least as long as the output of the call (strings returned from a
	 * scalar call, serialized state) and is never freed by the library.
	 * Never returns NULL (the engine stops on out of memory). */
	void *(*alloc)(sluice_udf_ctx *ctx, size_t n);

	/* Table functions only (NULL otherwise): emit one output row for input
	 * row position row. cols[i] points at column i's value in the physical
	 * representation of the declared ROW field type, or is NULL for a SQL
	 * NULL. The engine copies the values before emit returns; string bytes
	 * must stay valid until the call returns (point into the input or into
	 * ctx->alloc memory). Returns 0 to go on, non-zero when the engine wants
	 * no more rows from this call (the function should return 0 promptly). */
	int (*emit)(sluice_udf_ctx *ctx, uint32_t row, const void *const *cols);

	void *engine_;          /* opaque to the library */
};

/* Convenience spellings of the callbacks. */
#define sluice_udf_error(ctx, row, ...) ((ctx)->error((ctx), (row), __VA_ARGS__))
#define sluice_udf_alloc(ctx, n) ((ctx)->alloc((ctx), (n)))
#define sluice_udf_emit(ctx, row, cols) ((ctx)->emit((ctx), (row), (cols)))

/* ---------------------------------------------------------------------
 * Entry points. All return 0 on success and non-zero on failure (after
 * ctx->error; a failure without a message is reported as such). Inputs
 * are borrowed for the duration of the call.
 * ------------------------------------------------------------------- */

/* Scalar: for each i < n, row = sluice_udf_row(sel, i): read args[k] at
 * row, write out at row (or clear its validity bit). Rows not selected
 * must not be written. nargs is the number of declared parameters. */
typedef int (*sluice_udf_scalar_fn)(sluice_udf_ctx *ctx, const sluice_udf_vector *args,
                                    uint32_t nargs, const uint32_t *sel, uint32_t n,
                                    sluice_udf_out *out);

/* Table: for each selected input row, call ctx->emit zero or more times
 * with that row position. */
typedef int (*sluice_udf_table_fn)(sluice_udf_ctx *ctx, const sluice_udf_vector *args,
                                   uint32_t nargs, const uint32_t *sel, uint32_t n);

/*
 * Aggregate. The engine owns one state block of state_size bytes (16-byte
 * aligned) per group and passes pointers to it.
 *
 *   fixed state   (serialize == NULL): the block is the state; it is stored
 *                 and checkpointed byte for byte, so it must hold no
 *                 pointers and be the same on every machine that restores it.
 *   library state (serialize != NULL): the block is in-memory state that
 *                 may point at library memory; serialize turns it into
 *                 bytes for the state layer and checkpoints, deserialize
 *                 fills a fresh block from such bytes, destroy releases
 *                 library memory (required in this mode).
 *
 * accumulate/retract: for each i < n, row = sluice_udf_row(sel, i): fold
 * the arguments at row into states[row] (states is indexed by row position
 * like the arguments; several rows may share one state). retract is NULL
 * for a function that cannot take back rows (the planner then refuses it
 * on an updating input). merge folds src into dst (session windows, two
 * phase aggregation). finish writes the result of states[i] at out row i
 * for i < n.
 */
typedef struct sluice_udf_aggregate {
	uint32_t state_size;    /* bytes of the per-group block, > 0 */
	uint32_t reserved_;     /* 0 */
	int (*init)(sluice_udf_ctx *ctx, void *state);
	int (*accumulate)(sluice_udf_ctx *ctx, void *const *states,
	                  const sluice_udf_vector *args, uint32_t nargs,
	                  const uint32_t *sel, uint32_t n);
	int (*retract)(sluice_udf_ctx *ctx, void *const *states,
	               const sluice_udf_vector *args, uint32_t nargs,
	               const uint32_t *sel, uint32_t n);   /* optional */
	int (*merge)(sluice_udf_ctx *ctx, void *dst, const void *src);
	int (*finish)(sluice_udf_ctx *ctx, const void *const *states, uint32_t n,
	              sluice_udf_out *out);
	/* Library state mode only (all three, or none): */
	int (*serialize)(sluice_udf_ctx *ctx, const void *state,
	                 const void **bytes, size_t *len); /* bytes from ctx->alloc */
	int (*deserialize)(sluice_udf_ctx *ctx, const void *bytes, size_t len,
	                   void *state);
	void (*destroy)(sluice_udf_ctx *ctx, void *state);
} sluice_udf_aggregate;

/* ---------------------------------------------------------------------
 * Descriptors.
 * ------------------------------------------------------------------- */
typedef enum sluice_udf_kind {
	SLUICE_UDF_SCALAR = 1,
	SLUICE_UDF_AGGREGATE = 2,
	SLUICE_UDF_TABLE = 3
} sluice_udf_kind;

/* Flags of a function. NULL arguments are always passed to the function
 * (as in Flink): it decides what a NULL input gives. */
#define SLUICE_UDF_DETERMINISTIC 0x1u  /* same arguments -> same result */

/*
 * One function, or one overload of it: several entries may share a name
 * with different parameter types.
 *
 * signature: "RESULT(PARAM, ...)" in Flink SQL type syntax; parameters
 * may be named: "BIGINT(s VARCHAR, c VARCHAR)", "DOUBLE(DOUBLE, BIGINT)".
 * A table function's result is a ROW of its output columns:
 * "ROW<word VARCHAR, pos INT>(VARCHAR)". Types: BOOLEAN, TINYINT,
 * SMALLINT, INT/INTEGER, BIGINT, FLOAT/REAL, DOUBLE, DECIMAL(p, s),
 * CHAR(n), VARCHAR(n), VARCHAR/STRING, BYTES/VARBINARY, DATE, TIME(p),
 * TIMESTAMP(p), TIMESTAMP_LTZ(p), INTERVAL DAY TO SECOND, INTERVAL YEAR
 * TO MONTH; any of them may be followed by NOT NULL.
 */
typedef struct sluice_udf_function {
	const char *name;       /* SQL-visible name: [A-Za-z_][A-Za-z0-9_]* */
	int32_t kind;           /* sluice_udf_kind */
	uint32_t flags;         /* SLUICE_UDF_DETERMINISTIC, ... */
	const char *signature;  /* see above */
	const char *description;/* optional, one sentence for DESCRIBE FUNCTION */
	void *user_data;        /* handed to every call as ctx->user_data */
	sluice_udf_scalar_fn scalar;           /* kind SCALAR */
	const sluice_udf_aggregate *aggregate; /* kind AGGREGATE */
	sluice_udf_table_fn table;             /* kind TABLE */
} sluice_udf_function;

/* What sluice_udf_register returns: static data, valid while loaded. */
typedef struct sluice_udf_library {
	uint32_t abi_version;   /* SLUICE_UDF_ABI_VERSION the library was built with */
	uint32_t function_size; /* sizeof(sluice_udf_function) the library was built with */
	const char *name;       /* optional, e.g. "nexmark" */
	const char *version;    /* optional, the library's own version */
	uint32_t nfunctions;    /* entries in functions */
	uint32_t reserved_;     /* 0 */
	const sluice_udf_function *functions;
} sluice_udf_library;

/* The registration call: engine_abi is the engine's SLUICE_UDF_ABI_VERSION.
 * It must not call back into the engine and should do nothing but return
 * its static descriptor (or NULL to refuse to load). */
typedef const sluice_udf_library *(*sluice_udf_register_fn)(uint32_t engine_abi);

extern const uint32_t sluice_udf_abi_version;
const sluice_udf_library *sluice_udf_register(uint32_t engine_abi);

#ifdef __cplusplus
#define SLUICE_UDF_LINKAGE_ extern "C"
#else
#define SLUICE_UDF_LINKAGE_
#endif

/* Define both exported symbols for a static array of functions. */
#define SLUICE_UDF_LIBRARY(lib_name, lib_version, functions_array)               \
	SLUICE_UDF_LINKAGE_ SLUICE_UDF_EXPORT const uint32_t sluice_udf_abi_version = \
		SLUICE_UDF_ABI_VERSION;                                               \
	SLUICE_UDF_LINKAGE_ SLUICE_UDF_EXPORT const sluice_udf_library *          \
	sluice_udf_register(uint32_t engine_abi)                                   \
	{                                                                         \
		static const sluice_udf_library lib_ = {                              \
			SLUICE_UDF_ABI_VERSION, (uint32_t)sizeof(sluice_udf_function),    \
			(lib_name), (lib_version),                                        \
			(uint32_t)(sizeof(functions_array) / sizeof((functions_array)[0])), \
			0, (functions_array)};                                            \
		(void)engine_abi;                                                     \
		return &lib_;                                                         \
	}

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_UDF_H */
