/*
 * common.h
 *	  The one header other modules include from common/: memory contexts,
 *	  errors and their rendering, strings, growable arrays, hashing, logging,
 *	  node tags and name suggestions.
 *
 *	  common/ depends on libc (and libxxhash) only.
 */
#ifndef SL_COMMON_H
#define SL_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SL_NORETURN __attribute__((noreturn))
#define SL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define SL_LIKELY(x) __builtin_expect(!!(x), 1)
#define SL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SL_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SL_MAX(a, b) ((a) > (b) ? (a) : (b))

/* ---------------------------------------------------------------------
 * Fatal errors and checked allocation (common/alloc.c).
 * Out of memory is fatal with a clear message: these never return NULL.
 * ------------------------------------------------------------------- */
SL_NORETURN void sl_fatal(const char *fmt, ...) SL_PRINTF(1, 2);
void *sl_xmalloc(size_t n);
void *sl_xcalloc(size_t n, size_t size);
void *sl_xrealloc(void *p, size_t n);
char *sl_xstrdup(const char *s);
char *sl_xstrndup(const char *s, size_t n);

/* Internal invariant: always checked, even in release builds. */
#define SL_ASSERT(cond)                                                        \
	do {                                                                       \
		if (SL_UNLIKELY(!(cond)))                                              \
			sl_fatal("internal error: assertion \"%s\" failed at %s:%d",      \
			         #cond, __FILE__, __LINE__);                               \
	} while (0)

/* ---------------------------------------------------------------------
 * Memory contexts (common/arena.c).
 *
 * An arena is a bump allocator in a tree: process -> query -> operator ->
 * chunk. Freeing an arena frees its children. Allocation never fails
 * (fatal on OOM); memory is 16-byte aligned. Not thread-safe: an arena
 * belongs to one thread at a time.
 * ------------------------------------------------------------------- */
typedef struct sl_arena sl_arena;

sl_arena *sl_arena_new(sl_arena *parent, const char *name);
void sl_arena_free(sl_arena *a);            /* frees a and all its children */
void sl_arena_reset(sl_arena *a);           /* keeps the first block, drops the rest */
void *sl_arena_alloc(sl_arena *a, size_t n);
void *sl_arena_zalloc(sl_arena *a, size_t n);
void *sl_arena_realloc(sl_arena *a, void *old, size_t oldn, size_t newn);
char *sl_arena_strdup(sl_arena *a, const char *s);
char *sl_arena_strndup(sl_arena *a, const char *s, size_t n);
char *sl_arena_printf(sl_arena *a, const char *fmt, ...) SL_PRINTF(2, 3);
size_t sl_arena_used(const sl_arena *a);    /* bytes handed out, children included */
const char *sl_arena_name(const sl_arena *a);

#define SL_ANEW(a, T) ((T *)sl_arena_zalloc((a), sizeof(T)))
#define SL_ANEWN(a, T, n) ((T *)sl_arena_zalloc((a), sizeof(T) * (size_t)(n)))

/* ---------------------------------------------------------------------
 * Growable string buffer (common/strbuf.c). Always NUL-terminated.
 * ------------------------------------------------------------------- */
typedef struct sl_strbuf {
	char *data;  /* malloc'ed, NUL-terminated; NULL until first append */
	size_t len;  /* bytes used, excluding the NUL */
	size_t cap;  /* bytes allocated */
} sl_strbuf;

#define SL_STRBUF_INIT {NULL, 0, 0}
void sl_strbuf_append(sl_strbuf *sb, const char *s);
void sl_strbuf_appendn(sl_strbuf *sb, const char *s, size_t n);
void sl_strbuf_appendc(sl_strbuf *sb, char c);
void sl_strbuf_appendf(sl_strbuf *sb, const char *fmt, ...) SL_PRINTF(2, 3);
void sl_strbuf_vappendf(sl_strbuf *sb, const char *fmt, va_list ap);
void sl_strbuf_reserve(sl_strbuf *sb, size_t extra);

/* Byte-string helpers for state encodings (host byte order: these bytes
 * never leave the process's own state files). */
static inline uint32_t
sl_rd32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline void
sl_strbuf_put32(sl_strbuf *b, uint32_t v)
{
	sl_strbuf_appendn(b, (const char *)&v, 4);
}

/* memcmp order of two byte strings, a shorter prefix first. */
static inline int
sl_bytes_cmp(const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);
	if (c)
		return c;
	return la < lb ? -1 : la > lb;
}
void sl_strbuf_reset(sl_strbuf *sb);        /* len = 0, keeps memory */
void sl_strbuf_free(sl_strbuf *sb);
char *sl_strbuf_take(sl_strbuf *sb);        /* caller owns (free()); sb is reset */
const char *sl_strbuf_str(const sl_strbuf *sb); /* "" when empty */

/* ---------------------------------------------------------------------
 * Growable arrays: SL_VEC(T) is a struct { T *v; size_t n, cap; }.
 * Memory is malloc'ed; sl_vec_free releases it.
 * ------------------------------------------------------------------- */
#define SL_VEC(T) struct { T *v; size_t n; size_t cap; }
void sl_vec_grow_(void **v, size_t *cap, size_t need, size_t elsize);
#define sl_vec_reserve(vec, need)                                              \
	sl_vec_grow_((void **)&(vec)->v, &(vec)->cap, (need), sizeof(*(vec)->v))
#define sl_vec_push(vec, x)                                                    \
	do {                                                                       \
		sl_vec_reserve((vec), (vec)->n + 1);                                   \
		(vec)->v[(vec)->n++] = (x);                                            \
	} while (0)
#define sl_vec_free(vec)                                                       \
	do {                                                                       \
		free((vec)->v);                                                        \
		(vec)->v = NULL;                                                       \
		(vec)->n = (vec)->cap = 0;                                             \
	} while (0)

/* ---------------------------------------------------------------------
 * Hashing (common/hash.c): XXH3 from Debian's libxxhash.
 * ------------------------------------------------------------------- */
uint64_t sl_hash64(const void *data, size_t len, uint64_t seed);
uint64_t sl_hash_u64(uint64_t x);           /* strong mix of one integer */
static inline uint64_t
sl_hash_combine(uint64_t h, uint64_t x)
{
	return (h ^ x) * 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
}

/* ---------------------------------------------------------------------
 * Source spans and errors (common/error.c).
 *
 * A user error carries a stable code, a one-line message (lower case, no
 * final period, names in double quotes), an optional detail and hint (full
 * sentences) and a byte span in the source text. Internal errors use
 * SL_ERR_INTERNAL and usually no span. Errors travel through sl_error **errp
 * out-parameters: a function that fails sets *errp (if errp is not NULL)
 * and returns false/NULL/-1 as its contract says.
 * ------------------------------------------------------------------- */
typedef struct sl_span {
	uint32_t start; /* byte offset of the first byte */
	uint32_t end;   /* byte offset one past the last byte; end == start: a point */
} sl_span;

#define SL_SPAN_NONE ((sl_span){UINT32_MAX, UINT32_MAX})
static inline bool sl_span_valid(sl_span s) { return s.start != UINT32_MAX; }
static inline sl_span
sl_span_join(sl_span a, sl_span b)
{
	if (!sl_span_valid(a)) return b;
	if (!sl_span_valid(b)) return a;
	return (sl_span){SL_MIN(a.start, b.start), SL_MAX(a.end, b.end)};
}

/* Stable error codes; names in common/errcodes.def. */
typedef enum sl_errcode {
#define SL_ERRCODE(sym, name) sym,
#include "common/errcodes.def"
#undef SL_ERRCODE
	SL_ERR__COUNT
} sl_errcode;

typedef struct sl_error {
	sl_errcode code;
	char *message;   /* one line, lower case, no final period */
	char *detail;    /* optional full sentence(s) */
	char *hint;      /* optional full sentence(s) */
	sl_span span;    /* where in the source; SL_SPAN_NONE if nowhere */
	char *file;      /* optional file name the span refers to */
	struct sl_error *next; /* further errors of the same statement, or NULL */
} sl_error;

sl_error *sl_error_new(sl_errcode code, sl_span span, const char *fmt, ...) SL_PRINTF(3, 4);
sl_error *sl_error_newv(sl_errcode code, sl_span span, const char *fmt, va_list ap);
void sl_error_set_detail(sl_error *e, const char *fmt, ...) SL_PRINTF(2, 3);
void sl_error_set_hint(sl_error *e, const char *fmt, ...) SL_PRINTF(2, 3);
void sl_error_set_file(sl_error *e, const char *file);
void sl_error_free(sl_error *e);            /* frees the whole ->next chain */
const char *sl_errcode_name(sl_errcode code);

/* Set *errp (if errp) to a new error and return false. Convenience for
 * "return sl_fail(errp, ...)" in bool-returning functions. */
bool sl_fail(sl_error **errp, sl_errcode code, sl_span span, const char *fmt, ...) SL_PRINTF(4, 5);

/*
 * Render an error the way a user sees it:
 *
 *   queries/clicks.sql:3:8: error: column "user_idd" does not exist
 *       SELECT user_idd, count(*) FROM clicks GROUP BY 1
 *              ^^^^^^^^
 *   hint: a column named "user_id" exists in table "clicks"
 *
 * file may be NULL (then e->file, then "<input>"). src/srclen is the text the
 * span refers to (may be NULL: then no source line is shown). Line and
 * column are 1-based; columns count UTF-8 characters, tabs expand to the
 * next multiple of 8 in the caret line. Invalid UTF-8 is shown as '?'.
 */
void sl_error_render(const sl_error *e, const char *file, const char *src,
                     size_t srclen, sl_strbuf *out);

/* 1-based line and column (in characters) of byte offset off in src. */
void sl_source_position(const char *src, size_t srclen, uint32_t off,
                        uint32_t *line, uint32_t *col);

/* ---------------------------------------------------------------------
 * Suggestions (common/suggest.c): "did you mean".
 * ------------------------------------------------------------------- */
/* Case-insensitive Damerau-Levenshtein distance (optimal string alignment). */
size_t sl_edit_distance(const char *a, const char *b);
/* The candidate closest to name, or NULL when none is close enough
 * (distance <= max(1, strlen(name)/3), or a case-insensitive match). */
const char *sl_suggest(const char *name, const char *const *cands, size_t ncands);

/* ---------------------------------------------------------------------
 * Logging (common/log.c). Level from SLUICE_LOG (error|warn|info|debug),
 * default warn. Thread-safe; writes whole lines to stderr.
 * ------------------------------------------------------------------- */
typedef enum sl_log_level { SL_LOG_ERROR, SL_LOG_WARN, SL_LOG_INFO, SL_LOG_DEBUG } sl_log_level;
void sl_log(sl_log_level level, const char *fmt, ...) SL_PRINTF(2, 3);
bool sl_log_enabled(sl_log_level level);
void sl_log_set_level(sl_log_level level);

/* ---------------------------------------------------------------------
 * Nodes. Every AST, plan and operator node starts with its tag. Each module
 * lists its nodes once in its own .def file and takes tags from its own
 * range (parser 100-, planner 300-, runtime 600-); SL_IS_A / SL_CAST check
 * the tag (SL_CAST asserts it).
 * ------------------------------------------------------------------- */
typedef struct sl_node {
	int tag;
} sl_node;

#define SL_TAG(p) (((const sl_node *)(p))->tag)
#define SL_IS_A(p, T) ((p) != NULL && SL_TAG(p) == T_##T)
#define SL_CAST(T, p) ((T *)sl_cast_check_((p), T_##T, #T, __FILE__, __LINE__))
void *sl_cast_check_(const void *p, int tag, const char *name, const char *file, int line);

/* ---------------------------------------------------------------------
 * Small string helpers.
 * ------------------------------------------------------------------- */
bool sl_streq_ci(const char *a, const char *b);           /* ASCII case-insensitive */
bool sl_utf8_valid(const char *s, size_t n);

#endif /* SL_COMMON_H */
