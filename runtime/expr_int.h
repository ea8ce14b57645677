/*
 * expr_int.h
 *	  What the expression evaluator (expr.c) and the function kernels
 *	  (func_*.c) share: the kernel calling convention, result-type rules,
 *	  value comparison and hashing, casts.
 *
 *	  A kernel computes one function over the rows sel[0..n) of its
 *	  argument vectors into out at the same row positions. For STRICT
 *	  functions the evaluator has already set out's validity to the AND of
 *	  the arguments' validity; the kernel skips invalid rows (their values
 *	  are garbage: never read a NULL string's pointer) and may set more
 *	  rows NULL. A kernel allocates nothing per row: strings go into
 *	  k->heap. On a run-time error it returns sl_kernel_error(...).
 */
#ifndef SL_RUNTIME_EXPR_INT_H
#define SL_RUNTIME_EXPR_INT_H

#include "runtime/expr.h"
#include "runtime/runtime_int.h"

typedef struct sl_kctx {
	const sl_rexpr *e;     /* the CALL (or CAST) node */
	void *aux;             /* compiled per-node state from the compile hook */
	sl_strheap *heap;      /* produced strings go here */
	const sl_chunk *in;    /* the input chunk (for error messages) */
	int64_t now_us;        /* CURRENT_TIMESTAMP of this evaluation */
	sl_error **errp;       /* where a run-time error goes */
} sl_kctx;

typedef bool (*sl_kernel_fn)(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel,
                             uint32_t n, sl_vector *out);
/* Compile constant arguments once per program (regex, formats); may set
 * *aux (allocated in a). false with *errp on a bad constant. */
typedef bool (*sl_kernel_compile_fn)(sl_arena *a, const sl_rexpr *e, void **aux,
                                     sl_error **errp);

typedef struct sl_kernel_entry {
	sl_kernel_fn fn;
	sl_kernel_compile_fn compile;  /* optional */
	void (*release)(void *aux);    /* optional: free what compile made */
} sl_kernel_entry;

/* Filled once by sl_kernels_init(): func_arith.c, func_string.c, func_time.c. */
extern sl_kernel_entry sl_kernels[SL_FN__COUNT];
void sl_kernels_init(void);
void sl_register_arith_kernels(sl_kernel_entry *tab);
void sl_register_string_kernels(sl_kernel_entry *tab);
void sl_register_time_kernels(sl_kernel_entry *tab);

/* Fail the evaluation: message from fmt, detail "row: +I[...]" (the input
 * row), code as given. Always returns false. */
bool sl_kernel_error(sl_kctx *k, sl_errcode code, uint32_t row, const char *fmt, ...)
	SL_PRINTF(4, 5);

/* The rows of the selection whose out value is valid. */
#define SL_FOR_SEL(sel, n, r) for (uint32_t i_ = 0, r; i_ < (n) && ((r = (sel)[i_]), 1); i_++)
#define SL_FOR_VALID(out, sel, n, r)                                           \
	SL_FOR_SEL(sel, n, r) if (sl_vec_valid((out), r))

/* A random stream per program and call node (RAND, RAND_INTEGER, UUID):
 * SplitMix64. sl_rng_compile is their compile hook: the stream starts at
 * the call's constant seed (RAND(seed), RAND_INTEGER(seed, bound): the
 * same seed gives the same sequence, as in Flink) or at random bytes
 * from the kernel; a seed that is not a constant is an error. */
typedef struct sl_rng {
	uint64_t s;
} sl_rng;

static inline uint64_t
sl_rng_next(sl_rng *g)
{
	uint64_t z = (g->s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

bool sl_rng_compile(sl_arena *a, const sl_rexpr *e, void **aux, sl_error **errp);

/* Constant argument i of a call (NULL if not a non-NULL constant). */
static inline const sl_datum *
sl_const_arg(const sl_rexpr *e, int i)
{
	if (i < e->nargs && e->args[i]->kind == SL_REXPR_CONST && !e->args[i]->value.is_null)
		return &e->args[i]->value;
	return NULL;
}

/* Compare two values of the same physical type (strings: bytes; NULLs
 * not allowed). <0, 0, >0. */
int sl_value_cmp(const sl_vector *a, uint32_t ra, const sl_vector *b, uint32_t rb);
uint64_t sl_value_hash(const sl_vector *v, uint32_t r);
bool sl_type_is_str(const sl_type *t);
bool sl_type_is_int(const sl_type *t);     /* TINYINT..BIGINT */
bool sl_type_is_num(const sl_type *t);     /* numeric incl. DECIMAL, FLOAT, DOUBLE */
bool sl_type_is_ts(const sl_type *t);      /* TIMESTAMP or TIMESTAMP_LTZ */
/* Integer value of row r of an exact-integer vector. */
int64_t sl_int_get(const sl_vector *v, uint32_t r);
/* A numeric row as double. */
double sl_num_get_double(const sl_vector *v, uint32_t r);

/* Can CAST(from AS to) run at all? */
bool sl_rt_can_cast(const sl_type *from, const sl_type *to);
/* Cast src at sel rows into out (out->type is the target). try: NULL on
 * failure instead of an error. Strings produced go into k->heap. */
bool sl_cast_vector(sl_kctx *k, const sl_vector *src, const uint16_t *sel, uint32_t n,
                    sl_vector *out, bool try_cast);
/* Cast one datum (constants, at build time). */
bool sl_cast_datum(sl_arena *a, const sl_type *from, const sl_datum *in, const sl_type *to,
                   sl_datum *out);

/* Time units for EXTRACT / FLOOR / TIMESTAMPADD / TIMESTAMPDIFF. */
typedef enum sl_time_unit {
	SL_UNIT_NONE, SL_UNIT_MILLENNIUM, SL_UNIT_CENTURY, SL_UNIT_DECADE, SL_UNIT_YEAR,
	SL_UNIT_QUARTER, SL_UNIT_MONTH, SL_UNIT_WEEK, SL_UNIT_DAY, SL_UNIT_HOUR,
	SL_UNIT_MINUTE, SL_UNIT_SECOND, SL_UNIT_MILLISECOND, SL_UNIT_MICROSECOND,
	SL_UNIT_DOW, SL_UNIT_DOY, SL_UNIT_EPOCH
} sl_time_unit;
sl_time_unit sl_time_unit_parse(const char *s, size_t n);

/* A DATE or TIMESTAMP row as microseconds. */
static inline int64_t
sl_temporal_us(const sl_vector *v, uint32_t r)
{
	if (v->type->kind == SL_TYPE_DATE)
		return (int64_t)SL_VEC_DATA(v, int32_t)[r] * SL_US_PER_DAY;
	return SL_VEC_DATA(v, int64_t)[r];
}

#endif /* SL_RUNTIME_EXPR_INT_H */
