/*
 * udf.h
 *	  The registry of functions implemented in C (built-in or loaded from
 *	  user libraries through <sluice/udf.h>), the loader, and the call
 *	  helpers the runtime uses. See udf/README.md.
 *
 *	  A registry is owned by one session (or the process); it is changed
 *	  only by DDL on that session's thread and read by the planner. Entries
 *	  and loaded libraries are never freed before the registry, so a plan
 *	  may keep sl_udf_fn pointers for its whole life (and libraries stay
 *	  mapped until sl_udf_registry_free).
 *
 * INTERFACE ROUTINES
 *	  sl_udf_registry_new / _free     a registry and everything it loaded
 *	  sl_udf_load                     check, map and validate a library
 *	  sl_udf_create / sl_udf_drop     bind / unbind a SQL name (CREATE/DROP FUNCTION)
 *	  sl_udf_add_builtin              register a statically linked function
 *	  sl_udf_lookup / sl_udf_count / sl_udf_at   by name, or all (SHOW FUNCTIONS)
 *	  sl_udf_resolve                  the overload that accepts argument types
 *	  sl_udf_parse_signature          "BIGINT(VARCHAR, VARCHAR)" -> types
 *	  sl_udf_describe                 a function's overloads as text
 *	  sl_udf_call_init / _done / _set_alloc   the engine side of sluice_udf_ctx
 *	  sl_udf_call_scalar / _table     call, turning ctx->error into sl_error
 *	  sl_udf_agg_*                    aggregate entry points, same error rule
 */
#ifndef SL_UDF_H
#define SL_UDF_H

#include "common/common.h"
#include "planner/types.h"
#include "sluice/udf.h"

typedef struct sl_udf_registry sl_udf_registry;
typedef struct sl_udf_library sl_udf_library;

/* A parsed signature. Types are sl_type structs built directly in the
 * registry's arena (they do not come from planner/types.c constructors). */
typedef struct sl_udf_sig {
	const sl_type *result;  /* ROW for table functions */
	int nargs;
	const sl_type **args;   /* nargs entries */
	const char **argnames;  /* nargs entries, NULL where unnamed */
} sl_udf_sig;

/* One overload of a function. Immutable once registered. */
typedef struct sl_udf_fn {
	const char *name;       /* SQL name, as created (case preserved) */
	const char *symbol;     /* its name in the library descriptor */
	sluice_udf_kind kind;
	bool deterministic;
	const char *signature;  /* as declared by the library */
	sl_udf_sig sig;
	sluice_udf_function desc; /* the descriptor, zero-extended to this ABI */
	sl_udf_library *lib;    /* NULL for built-ins */
} sl_udf_fn;

/* All overloads of one SQL name. */
typedef struct sl_udf_entry {
	const char *name;       /* as created */
	bool builtin;
	int nfns;
	sl_udf_fn **fns;        /* registry-arena array */
} sl_udf_entry;

sl_udf_registry *sl_udf_registry_new(void);
void sl_udf_registry_free(sl_udf_registry *reg);

/*
 * Load a library. library_path is as written in USING LIBRARY: relative
 * paths are looked up in udf_path (the configured UDF directory, or several
 * separated by ':', from --udf-path or SET 'udf.path'), in order; absolute
 * paths must lie inside one of them. Refuses, with an
 * SL_ERR_UDF error and before any of the library's code runs: no UDF path;
 * a path outside it (lexically or through symlinks, checked with realpath);
 * a missing file; not a regular file; not an ELF shared library for this
 * machine; a missing sluice_udf_abi_version or sluice_udf_register symbol;
 * an ABI major other than ours or a newer minor. Then maps the library and
 * calls sluice_udf_register (its only code that runs here) and refuses a
 * NULL or malformed descriptor: a version differing from the symbol, a
 * function without a name or with a bad one, a name+signature declared
 * twice, a malformed signature, a kind without its entry points.
 * Loading the same file again returns the same library.
 * Returns the library (owned by reg) or NULL with *errp set.
 */
sl_udf_library *sl_udf_load(sl_udf_registry *reg, const char *library_path,
                             const char *udf_path, sl_error **errp);
const char *sl_udf_library_path(const sl_udf_library *lib);   /* resolved */
const sluice_udf_library *sl_udf_library_desc(const sl_udf_library *lib);

/* CREATE FUNCTION name AS 'symbol' LANGUAGE C USING LIBRARY ...: bind every
 * overload the library declares under symbol (NULL: under name) to the SQL
 * name. Fails if the name exists (unless if_not_exists: then a no-op) or
 * the library has no such function (hint: what it has). */
bool sl_udf_create(sl_udf_registry *reg, const char *name, sl_udf_library *lib,
                   const char *symbol, bool if_not_exists, sl_error **errp);
/* DROP FUNCTION: fails on built-ins and on unknown names unless if_exists. */
bool sl_udf_drop(sl_udf_registry *reg, const char *name, bool if_exists,
                 sl_error **errp);
/* A function compiled into sluice, described like a library function;
 * desc must stay valid for the registry's life. */
bool sl_udf_add_builtin(sl_udf_registry *reg, const sluice_udf_function *desc,
                        sl_error **errp);

/* By name (ASCII case-insensitive), or NULL. */
const sl_udf_entry *sl_udf_lookup(const sl_udf_registry *reg, const char *name);
size_t sl_udf_count(const sl_udf_registry *reg);
const sl_udf_entry *sl_udf_at(const sl_udf_registry *reg, size_t i); /* creation order */

/*
 * The overload of name that accepts the argument types: an exact match of
 * the type kinds first, else the one needing the fewest implicit widenings
 * (TINYINT < SMALLINT < INT < BIGINT < DECIMAL < FLOAT < DOUBLE, CHAR <
 * VARCHAR, NULL to anything); the caller casts arguments whose type differs
 * from sig.args. Fails with SL_ERR_UNDEFINED_FUNCTION for an unknown name
 * and SL_ERR_DATATYPE_MISMATCH ("function "f" does not accept (BIGINT)",
 * hint listing the signatures) when nothing matches or two overloads tie.
 */
const sl_udf_fn *sl_udf_resolve(const sl_udf_registry *reg, const char *name,
                                const sl_type *const *argtypes, int nargs,
                                sl_error **errp);

/* Parse a signature into sig (types allocated in a). On failure sets
 * *errp to "malformed signature ...: <what> at offset N". */
bool sl_udf_parse_signature(sl_arena *a, const char *text, sl_udf_sig *sig,
                            sl_error **errp);
/* Flink's spelling of a type as used in signatures ("DECIMAL(10, 2)"). */
void sl_udf_type_format(const sl_type *t, sl_strbuf *out);
/* The run-time ABI type of a planner type (kind INVALID for ROW etc.). */
sluice_udf_type sl_udf_abi_type(const sl_type *t);
/* "count_char(VARCHAR, VARCHAR) -> BIGINT", one overload per line. */
void sl_udf_describe(const sl_udf_entry *e, sl_strbuf *out);

/* ---------------------------------------------------------------------
 * Calls. sl_udf_call is the engine's side of one sluice_udf_ctx: one per
 * operator instance and thread (@thread worker), reused across calls.
 * ------------------------------------------------------------------- */
typedef int (*sl_udf_emit_fn)(void *arg, uint32_t row, const void *const *cols);

typedef struct sl_udf_call {
	sluice_udf_ctx ctx;     /* handed to the library; must stay first */
	const sl_udf_fn *fn;
	sl_arena *scratch;      /* ctx->alloc memory; the caller resets it */
	bool failed;            /* ctx->error was called */
	uint32_t err_row;       /* its row, or SLUICE_UDF_NO_ROW */
	sl_strbuf err_msg;      /* its message */
	sl_udf_emit_fn emit;    /* table functions: where rows go */
	void *emit_arg;
	void *(*alloc_fn)(void *arg, size_t n); /* NULL: allocate from scratch */
	void *alloc_arg;
} sl_udf_call;

/* Prepare call for fn; scratch is borrowed (chunk or operator arena). */
void sl_udf_call_init(sl_udf_call *call, const sl_udf_fn *fn, sl_arena *scratch);
void sl_udf_call_done(sl_udf_call *call);   /* frees the error buffer */
/* Serve ctx->alloc from fn(arg, n) instead of the scratch arena, e.g. from
 * the output chunk's string heap so that string results need no copy. fn
 * must return 16-byte aligned memory that lives as long as the output and
 * never NULL. */
void sl_udf_call_set_alloc(sl_udf_call *call, void *(*fn)(void *arg, size_t n), void *arg);

/*
 * Call a scalar function over n selected rows. On failure (the function
 * returned non-zero or called ctx->error) returns false with *errp set to
 * SL_ERR_UDF: function "f" failed at input row 3: <message>.
 */
bool sl_udf_call_scalar(const sl_udf_fn *fn, sl_udf_call *call,
                        const sluice_udf_vector *inputs, const uint32_t *sel,
                        uint32_t n, sluice_udf_out *out, sl_error **errp);
/* Call a table function; emitted rows go to emit(arg, row, cols). */
bool sl_udf_call_table(const sl_udf_fn *fn, sl_udf_call *call,
                       const sluice_udf_vector *inputs, const uint32_t *sel,
                       uint32_t n, sl_udf_emit_fn emit, void *arg,
                       sl_error **errp);

/* Aggregate entry points; the state blocks are desc.aggregate->state_size
 * bytes, 16-byte aligned, owned by the caller. */
bool sl_udf_agg_init(const sl_udf_fn *fn, sl_udf_call *call, void *state, sl_error **errp);
bool sl_udf_agg_accumulate(const sl_udf_fn *fn, sl_udf_call *call, void *const *states,
                           const sluice_udf_vector *inputs, const uint32_t *sel,
                           uint32_t n, sl_error **errp);
bool sl_udf_agg_retract(const sl_udf_fn *fn, sl_udf_call *call, void *const *states,
                        const sluice_udf_vector *inputs, const uint32_t *sel,
                        uint32_t n, sl_error **errp);
bool sl_udf_agg_merge(const sl_udf_fn *fn, sl_udf_call *call, void *dst,
                      const void *src, sl_error **errp);
bool sl_udf_agg_finish(const sl_udf_fn *fn, sl_udf_call *call, const void *const *states,
                       uint32_t n, sluice_udf_out *out, sl_error **errp);
/* The state as bytes for the state layer: the block itself for fixed
 * state, else the library's serialization (bytes in call->scratch). */
bool sl_udf_agg_serialize(const sl_udf_fn *fn, sl_udf_call *call, const void *state,
                          const void **bytes, size_t *len, sl_error **errp);
/* Fill a fresh state block (never initialized, or destroyed) from bytes
 * written by sl_udf_agg_serialize. */
bool sl_udf_agg_deserialize(const sl_udf_fn *fn, sl_udf_call *call, const void *bytes,
                            size_t len, void *state, sl_error **errp);
/* Release library memory of a state (no-op for fixed state). */
void sl_udf_agg_destroy(const sl_udf_fn *fn, sl_udf_call *call, void *state);

#endif /* SL_UDF_H */
