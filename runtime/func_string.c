/*
 * func_string.c
 *	  Kernels for string functions, LIKE matching and regular expressions
 *	  (PCRE2, JIT-compiled when available; Java's syntax for the patterns
 *	  Flink users write).
 *
 *	  Lengths and positions count characters (UTF-8 code points) as Flink
 *	  does. Results that are a piece of an argument (SUBSTRING, TRIM,
 *	  SPLIT_INDEX, REGEXP_EXTRACT) point into the argument's bytes; new
 *	  strings are written into the evaluation's string heap. A constant
 *	  pattern is compiled once per program; a varying one is recompiled
 *	  only when it changes from one row to the next.
 *
 * INTERFACE ROUTINES
 *	  sl_register_string_kernels
 *	  sl_like_compile, sl_like_match, sl_like_match_raw (used by expr.c)
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "runtime/expr_int.h"

#include <ctype.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * UTF-8 helpers
 * ------------------------------------------------------------------- */
static inline uint32_t
u8len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static uint32_t
nchars(const char *s, uint32_t n)
{
	uint32_t c = 0;
	for (uint32_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Byte offset of character index ci (clamped to n). */
static uint32_t
char_off(const char *s, uint32_t n, uint32_t ci)
{
	uint32_t i = 0;
	while (ci > 0 && i < n) {
		i += u8len((unsigned char)s[i]);
		ci--;
	}
	return i > n ? n : i;
}

static inline sl_str
str_at(const sl_vector *v, uint32_t r)
{
	return SL_VEC_DATA(v, sl_str)[r];
}

static inline void
put_str(sl_vector *out, uint32_t r, const char *p, uint32_t n)
{
	SL_VEC_DATA(out, sl_str)[r] = (sl_str){n, n ? p : ""};
}

/* ---------------------------------------------------------------------
 * LIKE
 * ------------------------------------------------------------------- */
typedef enum { LIKE_EXACT, LIKE_PREFIX, LIKE_SUFFIX, LIKE_CONTAINS, LIKE_GENERIC } like_kind;

typedef struct like_pat {
	like_kind kind;
	const char *lit;  /* unescaped literal for the simple kinds */
	uint32_t litlen;
	const char *pat;  /* raw pattern (generic) */
	uint32_t patlen;
	int escape;       /* -1 none */
} like_pat;

/* Match s against a LIKE pattern: % any run, _ one character, escape
 * char makes the next %, _ or escape literal. *ok = false on a bad escape. */
bool sl_like_match_raw(const char *s, size_t n, const char *pat, size_t pn, int escape,
                       bool *ok);
bool
sl_like_match_raw(const char *s, size_t n, const char *pat, size_t pn, int escape, bool *ok)
{
	size_t si = 0, pi = 0, star_p = SIZE_MAX, star_s = 0;
	*ok = true;
	while (si < n) {
		if (pi < pn) {
			unsigned char pc = (unsigned char)pat[pi];
			if (escape >= 0 && pc == (unsigned)escape) {
				unsigned char nc;
				if (pi + 1 >= pn) {
					*ok = false;
					return false;
				}
				nc = (unsigned char)pat[pi + 1];
				if (nc != '%' && nc != '_' && nc != (unsigned)escape) {
					*ok = false;
					return false;
				}
				if ((unsigned char)s[si] == nc) {
					si++;
					pi += 2;
					continue;
				}
			} else if (pc == '%') {
				star_p = ++pi;
				star_s = si;
				continue;
			} else if (pc == '_') {
				si += u8len((unsigned char)s[si]);
				pi++;
				continue;
			} else if ((unsigned char)s[si] == pc) {
				si++;
				pi++;
				continue;
			}
		}
		if (star_p != SIZE_MAX) {
			star_s += u8len((unsigned char)s[star_s]);
			si = star_s;
			pi = star_p;
			continue;
		}
		return false;
	}
	while (pi < pn && pat[pi] == '%')
		pi++;
	if (pi < pn && escape >= 0 && (unsigned char)pat[pi] == (unsigned)escape) {
		/* validate the rest for bad escapes */
		if (pi + 1 >= pn)
			*ok = false;
	}
	return pi == pn;
}

bool sl_like_compile(sl_arena *a, const char *pat, size_t n, int escape, void **out,
                     sl_error **errp);
bool
sl_like_compile(sl_arena *a, const char *pat, size_t n, int escape, void **out, sl_error **errp)
{
	like_pat *lp = SL_ANEW(a, like_pat);
	char *lit = sl_arena_alloc(a, n + 1);
	uint32_t litlen = 0, npct = 0;
	bool lead = false, trail = false, inner_wild = false;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)pat[i];
		if (escape >= 0 && c == (unsigned)escape) {
			if (i + 1 >= n || (pat[i + 1] != '%' && pat[i + 1] != '_' &&
			                   (unsigned char)pat[i + 1] != (unsigned)escape))
				return sl_fail(errp, SL_ERR_INVALID_PARAMETER, SL_SPAN_NONE,
				               "invalid escape sequence in LIKE pattern \"%.*s\"", (int)n, pat);
			lit[litlen++] = pat[++i];
			continue;
		}
		if (c == '_') {
			inner_wild = true;
		} else if (c == '%') {
			npct++;
			if (i == 0)
				lead = true;
			else if (i == n - 1)
				trail = true;
			else
				inner_wild = true;
		} else {
			lit[litlen++] = (char)c;
		}
	}
	lp->lit = lit;
	lp->litlen = litlen;
	lp->pat = pat;
	lp->patlen = (uint32_t)n;
	lp->escape = escape;
	if (inner_wild || npct > 2 || (n == 1 && npct == 1))
		lp->kind = (n == 1 && npct == 1) ? LIKE_PREFIX : LIKE_GENERIC; /* '%' alone: prefix "" */
	else if (lead && trail)
		lp->kind = LIKE_CONTAINS;
	else if (lead)
		lp->kind = LIKE_SUFFIX;
	else if (trail)
		lp->kind = LIKE_PREFIX;
	else
		lp->kind = LIKE_EXACT;
	if (npct == 2 && !(lead && trail))
		lp->kind = LIKE_GENERIC;
	*out = lp;
	return true;
}

bool sl_like_match(const void *compiled, const char *s, size_t n);
bool
sl_like_match(const void *compiled, const char *s, size_t n)
{
	const like_pat *lp = compiled;
	bool ok;
	switch (lp->kind) {
	case LIKE_EXACT:
		return n == lp->litlen && memcmp(s, lp->lit, n) == 0;
	case LIKE_PREFIX:
		return n >= lp->litlen && memcmp(s, lp->lit, lp->litlen) == 0;
	case LIKE_SUFFIX:
		return n >= lp->litlen && memcmp(s + n - lp->litlen, lp->lit, lp->litlen) == 0;
	case LIKE_CONTAINS:
		return lp->litlen == 0 || (n >= lp->litlen && memmem(s, n, lp->lit, lp->litlen) != NULL);
	default:
		return sl_like_match_raw(s, n, lp->pat, lp->patlen, lp->escape, &ok);
	}
}

/* ---------------------------------------------------------------------
 * Case, length, substrings
 * ------------------------------------------------------------------- */
/* Case mapping of a code point whose UTF-8 form is 2 bytes (U+0080..U+07FF)
 * to one of the same length, as Java's toUpperCase/toLowerCase (Flink's
 * UPPER/LOWER) map them: Latin-1, Latin Extended-A, Greek and Cyrillic.
 * Mappings that change the length (dotted/dotless i, sharp s) are left
 * alone. */
static uint32_t
case2(uint32_t c, bool upper)
{
	if (upper) {
		if ((c >= 0xE0 && c <= 0xFE && c != 0xF7))
			return c - 0x20;
		if (c == 0xFF)
			return 0x178;
		if (((c >= 0x101 && c <= 0x137 && c != 0x131) || (c >= 0x14B && c <= 0x177)) && (c & 1))
			return c - 1;
		if (((c >= 0x13A && c <= 0x148) || (c >= 0x17A && c <= 0x17E)) && !(c & 1))
			return c - 1;
		if (c == 0x3C2)
			return 0x3A3;
		if (c == 0x3AC)
			return 0x386;           /* Greek with tonos */
		if (c >= 0x3AD && c <= 0x3AF)
			return c - 0x25;
		if (c == 0x3CC)
			return 0x38C;
		if (c == 0x3CD || c == 0x3CE)
			return c - 0x3F;
		if ((c >= 0x3B1 && c <= 0x3C9) || (c >= 0x430 && c <= 0x44F))
			return c - 0x20;
		if (c >= 0x450 && c <= 0x45F)
			return c - 0x50;
		return c;
	}
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 0x20;
	if (c == 0x178)
		return 0xFF;
	if (((c >= 0x100 && c <= 0x136 && c != 0x130) || (c >= 0x14A && c <= 0x176)) && !(c & 1))
		return c + 1;
	if (((c >= 0x139 && c <= 0x147) || (c >= 0x179 && c <= 0x17D)) && (c & 1))
		return c + 1;
	if ((c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 0x25;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 0x3F;
	return c;
}

/* The mapped character at s[i] into p[i..] (same length); returns its
 * length in bytes (1 or 2; other sequences are copied byte by byte). */
static inline uint32_t
case_at(const char *s, uint32_t len, uint32_t i, char *p, bool upper, bool *changed)
{
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80) {
		unsigned char m = upper ? (c >= 'a' && c <= 'z' ? c - 32 : c)
		                        : (c >= 'A' && c <= 'Z' ? c + 32 : c);
		*changed |= m != c;
		if (p)
			p[i] = (char)m;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF && i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
		uint32_t cp = ((uint32_t)(c & 0x1F) << 6) | ((unsigned char)s[i + 1] & 0x3F);
		uint32_t m = case2(cp, upper);
		*changed |= m != cp;
		if (p) {
			p[i] = (char)(0xC0 | (m >> 6));
			p[i + 1] = (char)(0x80 | (m & 0x3F));
		}
		return 2;
	}
	if (p)
		p[i] = (char)c;
	return 1;
}

/* The length of the prefix of s (whole 8-byte words) that is ASCII and
 * has no letter that LOWER (upper false) or UPPER would change. Per word:
 * a byte b < 0x80 is in [lo, hi] iff b + (0x80 - lo) has its top bit set
 * and b + (0x7F - hi) has not (no carry crosses bytes below 0x80). */
static inline uint32_t
case_clean_prefix(const char *s, uint32_t len, bool upper)
{
	const uint64_t ones = 0x0101010101010101ULL, top = 0x8080808080808080ULL;
	const uint64_t add_lo = ones * (uint64_t)(0x80 - (upper ? 'a' : 'A'));
	const uint64_t add_hi = ones * (uint64_t)(0x7F - (upper ? 'z' : 'Z'));
	uint32_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if ((w & top) || (((w + add_lo) & ~(w + add_hi)) & top))
			break;
	}
	return i;
}

static bool
k_lower_upper(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
              sl_vector *out, bool upper)
{
	const unsigned char lo = upper ? 'a' : 'A';
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		char *p;
		uint32_t i = case_clean_prefix(s.ptr, s.len, upper);
		bool changed = false;
		/* ASCII tail: plain byte arithmetic */
		uint32_t j = i;
		while (j < s.len && (unsigned char)s.ptr[j] < 0x80 &&
		       (unsigned char)((unsigned char)s.ptr[j] - lo) >= 26)
			j++;
		if (j == s.len) {
			SL_VEC_DATA(out, sl_str)[r] = s;   /* unchanged: share the bytes */
			continue;
		}
		if ((unsigned char)s.ptr[j] < 0x80) {
			bool ascii = true;
			for (uint32_t t = j; t < s.len && ascii; t++)
				ascii = (unsigned char)s.ptr[t] < 0x80;
			if (ascii) {
				p = sl_strheap_alloc(k->heap, s.len);
				memcpy(p, s.ptr, j);
				for (; j < s.len; j++) {
					unsigned char c = (unsigned char)s.ptr[j];
					p[j] = (char)((unsigned char)(c - lo) < 26 ? c ^ 0x20 : c);
				}
				put_str(out, r, p, s.len);
				continue;
			}
		}
		i = j;
		/* no change: share the argument's bytes */
		while (i < s.len && !changed) {
			uint32_t at = i;
			i += case_at(s.ptr, s.len, i, NULL, upper, &changed);
			if (changed)
				i = at;
		}
		if (!changed) {
			SL_VEC_DATA(out, sl_str)[r] = s;
			continue;
		}
		p = sl_strheap_alloc(k->heap, s.len);
		memcpy(p, s.ptr, i);
		while (i < s.len)
			i += case_at(s.ptr, s.len, i, p, upper, &changed);
		put_str(out, r, p, s.len);
	}
	return true;
}

static bool
k_lower(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	return k_lower_upper(k, args, sel, n, out, false);
}

static bool
k_upper(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	return k_lower_upper(k, args, sel, n, out, true);
}

static bool
k_initcap(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
          sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		char *p = sl_strheap_alloc(k->heap, s.len);
		bool start = true;
		for (uint32_t i = 0; i < s.len; i++) {
			unsigned char c = (unsigned char)s.ptr[i];
			if (isalnum(c)) {
				p[i] = (char)(start ? toupper(c) : tolower(c));
				start = false;
			} else {
				p[i] = (char)c;
				start = c < 0x80;
			}
		}
		put_str(out, r, p, s.len);
	}
	return true;
}

static bool
k_char_length(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
              sl_vector *out)
{
	(void)k;
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		SL_VEC_DATA(out, int32_t)[r] = (int32_t)nchars(s.ptr, s.len);
	}
	return true;
}

static bool
k_substring(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
            sl_vector *out)
{
	bool has_len = k->e->nargs > 2;
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		int64_t pos = sl_int_get(args[1], r);
		int64_t len = (int64_t)nchars(s.ptr, s.len);
		int64_t start = pos > 0 ? pos - 1 : pos < 0 ? len + pos : 0;
		int64_t end = has_len ? start + sl_int_get(args[2], r) : len;
		uint32_t b, e;
		if (end > len)
			end = len;
		if (start < 0)
			start = 0;
		if (start >= end) {
			put_str(out, r, "", 0);
			continue;
		}
		b = char_off(s.ptr, s.len, (uint32_t)start);
		e = b + char_off(s.ptr + b, s.len - b, (uint32_t)(end - start));
		put_str(out, r, s.ptr + b, e - b);
	}
	return true;
}

static bool
k_concat(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
         sl_vector *out)
{
	int na = k->e->nargs;
	SL_FOR_VALID(out, sel, n, r) {
		uint32_t total = 0;
		char *p;
		for (int a = 0; a < na; a++)
			total += str_at(args[a], r).len;
		p = sl_strheap_alloc(k->heap, total);
		total = 0;
		for (int a = 0; a < na; a++) {
			sl_str s = str_at(args[a], r);
			if (s.len)
				memcpy(p + total, s.ptr, s.len);
			total += s.len;
		}
		put_str(out, r, p, total);
	}
	return true;
}

/* CONCAT_WS(sep, s...): NULL if sep is NULL; NULL arguments are skipped. */
static bool
k_concat_ws(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
            sl_vector *out)
{
	int na = k->e->nargs;
	SL_FOR_SEL(sel, n, r) {
		sl_str sep;
		uint32_t total = 0, cnt = 0;
		char *p;
		if (!sl_vec_valid(args[0], r)) {
			sl_vec_set_null(out, r);
			continue;
		}
		sep = str_at(args[0], r);
		for (int a = 1; a < na; a++)
			if (sl_vec_valid(args[a], r))
				total += str_at(args[a], r).len + sep.len;
		p = sl_strheap_alloc(k->heap, total);
		total = 0;
		for (int a = 1; a < na; a++) {
			sl_str s;
			if (!sl_vec_valid(args[a], r))
				continue;
			s = str_at(args[a], r);
			if (cnt++ && sep.len) {
				memcpy(p + total, sep.ptr, sep.len);
				total += sep.len;
			}
			if (s.len)
				memcpy(p + total, s.ptr, s.len);
			total += s.len;
		}
		put_str(out, r, p, total);
	}
	return true;
}

static bool
in_set(const sl_str *chars, unsigned char c)
{
	if (!chars)
		return c == ' ';
	return memchr(chars->ptr, c, chars->len) != NULL;
}

static bool
trim_impl(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
          sl_vector *out, bool left, bool right)
{
	bool has_chars = k->e->nargs > 1;
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		sl_str cs = has_chars ? str_at(args[1], r) : (sl_str){0, NULL};
		uint32_t b = 0, e = s.len;
		if (left)
			while (b < e && in_set(has_chars ? &cs : NULL, (unsigned char)s.ptr[b]))
				b++;
		if (right)
			while (e > b && in_set(has_chars ? &cs : NULL, (unsigned char)s.ptr[e - 1]))
				e--;
		put_str(out, r, s.ptr + b, e - b);
	}
	return true;
}

static bool
k_trim(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	return trim_impl(k, args, sel, n, out, true, true);
}

static bool
k_ltrim(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	return trim_impl(k, args, sel, n, out, true, false);
}

static bool
k_rtrim(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	return trim_impl(k, args, sel, n, out, false, true);
}

static bool
k_replace(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
          sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r), f = str_at(args[1], r), t = str_at(args[2], r);
		uint32_t cnt = 0, len = 0;
		const char *p, *q;
		char *o;
		if (f.len == 0 || s.len < f.len) {
			SL_VEC_DATA(out, sl_str)[r] = s;
			continue;
		}
		for (p = s.ptr; (q = memmem(p, s.len - (uint32_t)(p - s.ptr), f.ptr, f.len)); p = q + f.len)
			cnt++;
		if (!cnt) {
			SL_VEC_DATA(out, sl_str)[r] = s;
			continue;
		}
		o = sl_strheap_alloc(k->heap, s.len - cnt * f.len + cnt * t.len);
		for (p = s.ptr; (q = memmem(p, s.len - (uint32_t)(p - s.ptr), f.ptr, f.len)); p = q + f.len) {
			memcpy(o + len, p, (size_t)(q - p));
			len += (uint32_t)(q - p);
			if (t.len)
				memcpy(o + len, t.ptr, t.len);
			len += t.len;
		}
		memcpy(o + len, p, s.len - (size_t)(p - s.ptr));
		len += s.len - (uint32_t)(p - s.ptr);
		put_str(out, r, o, len);
	}
	return true;
}

/* 1-based character position of needle in hay at or after char from, or 0. */
static int32_t
locate(sl_str needle, sl_str hay, int64_t from)
{
	uint32_t b;
	const char *q;
	if (from < 1)
		return 0;
	b = char_off(hay.ptr, hay.len, (uint32_t)(from - 1));
	if (needle.len == 0)
		return (int32_t)from;
	q = memmem(hay.ptr + b, hay.len - b, needle.ptr, needle.len);
	return q ? (int32_t)nchars(hay.ptr, (uint32_t)(q - hay.ptr)) + 1 : 0;
}

/* POSITION(needle IN hay): args (needle, hay). */
static bool
k_position(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
           sl_vector *out)
{
	(void)k;
	SL_FOR_VALID(out, sel, n, r)
		SL_VEC_DATA(out, int32_t)[r] = locate(str_at(args[0], r), str_at(args[1], r), 1);
	return true;
}

static bool
k_locate(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
         sl_vector *out)
{
	bool has_from = k->e->nargs > 2;
	SL_FOR_VALID(out, sel, n, r)
		SL_VEC_DATA(out, int32_t)[r] = locate(str_at(args[0], r), str_at(args[1], r),
		                                      has_from ? sl_int_get(args[2], r) : 1);
	return true;
}

static bool
pad_impl(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
         sl_vector *out, bool left)
{
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r), pad = str_at(args[2], r);
		int64_t len = sl_int_get(args[1], r);
		uint32_t sc = nchars(s.ptr, s.len), pc, need, pb = 0, ci = 0;
		char *o;
		uint32_t olen = 0;
		if (len < 0 || (pad.len == 0 && len > sc)) {
			sl_vec_set_null(out, r);
			continue;
		}
		if (len <= sc) {
			put_str(out, r, s.ptr, char_off(s.ptr, s.len, (uint32_t)len));
			continue;
		}
		pc = nchars(pad.ptr, pad.len);
		need = (uint32_t)len - sc;
		/* bytes: need chars of pad, cycling */
		o = sl_strheap_alloc(k->heap, s.len + (size_t)(need / pc + 1) * pad.len);
		if (!left) {
			memcpy(o, s.ptr, s.len);
			olen = s.len;
		}
		while (ci < need) {
			uint32_t cl = u8len((unsigned char)pad.ptr[pb]);
			memcpy(o + olen, pad.ptr + pb, cl);
			olen += cl;
			pb += cl;
			if (pb >= pad.len)
				pb = 0;
			ci++;
		}
		if (left) {
			memcpy(o + olen, s.ptr, s.len);
			olen += s.len;
		}
		put_str(out, r, o, olen);
	}
	return true;
}

static bool
k_lpad(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	return pad_impl(k, args, sel, n, out, true);
}

static bool
k_rpad(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	return pad_impl(k, args, sel, n, out, false);
}

static bool
k_repeat(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
         sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		int64_t times = sl_int_get(args[1], r);
		char *o;
		if (times <= 0 || s.len == 0) {
			put_str(out, r, "", 0);
			continue;
		}
		if ((uint64_t)times * s.len > (uint64_t)1 << 30)
			return sl_kernel_error(k, SL_ERR_NUMERIC_OVERFLOW, r, "result of \"REPEAT\" is too long");
		o = sl_strheap_alloc(k->heap, (size_t)times * s.len);
		for (int64_t i = 0; i < times; i++)
			memcpy(o + i * s.len, s.ptr, s.len);
		put_str(out, r, o, (uint32_t)(times * s.len));
	}
	return true;
}

static bool
k_reverse(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
          sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		char *o = sl_strheap_alloc(k->heap, s.len);
		uint32_t i = 0;
		while (i < s.len) {
			uint32_t cl = u8len((unsigned char)s.ptr[i]);
			if (i + cl > s.len)
				cl = s.len - i;
			memcpy(o + s.len - i - cl, s.ptr + i, cl);
			i += cl;
		}
		put_str(out, r, o, s.len);
	}
	return true;
}

static bool
left_right(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
           sl_vector *out, bool left)
{
	(void)k;
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		int64_t cnt = sl_int_get(args[1], r);
		uint32_t total, off;
		if (cnt <= 0) {
			put_str(out, r, "", 0);
			continue;
		}
		total = nchars(s.ptr, s.len);
		if ((uint64_t)cnt >= total) {
			SL_VEC_DATA(out, sl_str)[r] = s;
			continue;
		}
		if (left) {
			put_str(out, r, s.ptr, char_off(s.ptr, s.len, (uint32_t)cnt));
		} else {
			off = char_off(s.ptr, s.len, total - (uint32_t)cnt);
			put_str(out, r, s.ptr + off, s.len - off);
		}
	}
	return true;
}

static bool
k_left(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	return left_right(k, args, sel, n, out, true);
}

static bool
k_right(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	return left_right(k, args, sel, n, out, false);
}

static bool
k_ascii(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	(void)k;
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		SL_VEC_DATA(out, int32_t)[r] = s.len ? (unsigned char)s.ptr[0] : 0;
	}
	return true;
}

/* CHR(n): the character with code n (n > 255: n % 255, as Flink documents). */
static bool
k_chr(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		int64_t c = sl_int_get(args[0], r);
		char *p;
		if (c < 0) {
			sl_vec_set_null(out, r);
			continue;
		}
		if (c > 255)
			c %= 255;
		p = sl_strheap_alloc(k->heap, 2);
		if (c < 0x80) {
			p[0] = (char)c;
			put_str(out, r, p, 1);
		} else {
			p[0] = (char)(0xC0 | (c >> 6));
			p[1] = (char)(0x80 | (c & 0x3F));
			put_str(out, r, p, 2);
		}
	}
	return true;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static bool
k_to_base64(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
            sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		uint32_t olen = (s.len + 2) / 3 * 4, o = 0;
		char *p = sl_strheap_alloc(k->heap, olen);
		const unsigned char *u = (const unsigned char *)s.ptr;
		for (uint32_t i = 0; i < s.len; i += 3) {
			uint32_t v = (uint32_t)u[i] << 16;
			if (i + 1 < s.len)
				v |= (uint32_t)u[i + 1] << 8;
			if (i + 2 < s.len)
				v |= u[i + 2];
			p[o++] = b64[(v >> 18) & 63];
			p[o++] = b64[(v >> 12) & 63];
			p[o++] = i + 1 < s.len ? b64[(v >> 6) & 63] : '=';
			p[o++] = i + 2 < s.len ? b64[v & 63] : '=';
		}
		put_str(out, r, p, olen);
	}
	return true;
}

static int
b64_val(unsigned char c)
{
	const char *q = c ? strchr(b64, c) : NULL;
	return q ? (int)(q - b64) : -1;
}

static bool
k_from_base64(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
              sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		char *p;
		uint32_t o = 0;
		bool bad = s.len % 4 != 0;
		p = sl_strheap_alloc(k->heap, s.len / 4 * 3 + 3);
		for (uint32_t i = 0; i + 4 <= s.len && !bad; i += 4) {
			int v[4];
			for (int j = 0; j < 4; j++) {
				unsigned char c = (unsigned char)s.ptr[i + j];
				v[j] = c == '=' && i + 4 == s.len && j >= 2 ? 0 : b64_val(c);
				if (v[j] < 0)
					bad = true;
			}
			if (bad)
				break;
			p[o++] = (char)((v[0] << 2) | (v[1] >> 4));
			if (s.ptr[i + 2] != '=')
				p[o++] = (char)(((v[1] & 15) << 4) | (v[2] >> 2));
			if (s.ptr[i + 3] != '=')
				p[o++] = (char)(((v[2] & 3) << 6) | v[3]);
		}
		if (bad)
			sl_vec_set_null(out, r);
		else
			put_str(out, r, p, o);
	}
	return true;
}

/* The bytes of a Java whitespace character (Character.isWhitespace) at
 * s[i], or 0: ASCII \t \n \v \f \r, U+001C..U+001F and space, and the
 * Unicode space, line and paragraph separators except the no-break ones
 * (U+00A0, U+2007, U+202F). */
static uint32_t
java_space_at(const char *s, uint32_t n, uint32_t i)
{
	const unsigned char *u = (const unsigned char *)s + i;
	uint32_t left = n - i;
	if ((u[0] >= 0x09 && u[0] <= 0x0D) || (u[0] >= 0x1C && u[0] <= 0x20))
		return 1;
	if (left < 3 || u[0] < 0xE1 || u[0] > 0xE3)
		return 0;
	if (u[0] == 0xE1)
		return u[1] == 0x9A && u[2] == 0x80 ? 3 : 0;         /* U+1680 */
	if (u[0] == 0xE3)
		return u[1] == 0x80 && u[2] == 0x80 ? 3 : 0;         /* U+3000 */
	if (u[1] == 0x80)                                        /* U+2000..U+202F */
		return ((u[2] >= 0x80 && u[2] <= 0x8A && u[2] != 0x87) || u[2] == 0xA8 ||
		        u[2] == 0xA9) ? 3 : 0;
	return u[1] == 0x81 && u[2] == 0x9F ? 3 : 0;             /* U+205F */
}

/* SPLIT_INDEX(str, sep, idx): the idx-th (0-based) piece of str split by
 * the separator string (adjacent separators give empty pieces); NULL when
 * idx is out of range. As Flink (commons-lang's
 * splitByWholeSeparatorPreserveAllTokens): an empty str has no pieces at
 * all, and an empty separator splits at every whitespace character. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SL_SWAR_LE 1
/* The top bit of each byte of the 8 at p that equals c, exactly (bytes
 * masked to 7 bits before the add, so no carry crosses a byte). */
static inline uint64_t
byte_eq_mask(const char *p, uint64_t pat)
{
	const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
	uint64_t x;
	memcpy(&x, p, 8);
	x ^= pat;
	return ~(((x & low7) + low7) | x | low7);
}
#endif

/* Skip *idx bytes c in [p, end): the position after the *idx-th one
 * (*idx becomes 0), or end with *idx the number still missing. Eight
 * bytes at a time, walking the match bits (no popcount: not in the
 * x86-64 baseline), so the short pieces of a URL cost no library call
 * each (q22's SPLIT_INDEX(url, '/', 5)). */
static inline const char *
skip_bytes(const char *p, const char *end, unsigned char c, int64_t *idx)
{
	int64_t want = *idx;
#ifdef SL_SWAR_LE
	const uint64_t pat = 0x0101010101010101ULL * c;
	for (; want > 0 && end - p >= 8; p += 8) {
		for (uint64_t m = byte_eq_mask(p, pat); m; m &= m - 1) {
			if (--want == 0) {
				*idx = 0;
				return p + (__builtin_ctzll(m) >> 3) + 1;
			}
		}
	}
#endif
	for (; want > 0 && p < end; p++)
		want -= (unsigned char)*p == c;
	*idx = want;
	return p;
}

/* The first byte c in [p, end), or end. */
static inline const char *
find_byte(const char *p, const char *end, unsigned char c)
{
#ifdef SL_SWAR_LE
	const uint64_t pat = 0x0101010101010101ULL * c;
	for (; end - p >= 8; p += 8) {
		uint64_t m = byte_eq_mask(p, pat);
		if (m)
			return p + (__builtin_ctzll(m) >> 3);
	}
#endif
	while (p < end && (unsigned char)*p != c)
		p++;
	return p;
}

/* SPLIT_INDEX with a constant one-byte separator and a constant index
 * (Nexmark q22's SPLIT_INDEX(url, '/', 3)). */
static void
split_index_byte(const sl_vector *sv, unsigned char c, int64_t idx, const uint16_t *sel,
                 uint32_t n, sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(sv, r);
		const char *p, *end = s.ptr + s.len;
		int64_t i = idx;
		if (s.len == 0) {
			sl_vec_set_null(out, r);
			continue;
		}
		p = skip_bytes(s.ptr, end, c, &i);
		if (i > 0) {
			sl_vec_set_null(out, r);
			continue;
		}
		put_str(out, r, p, (uint32_t)(find_byte(p, end, c) - p));
	}
}

static bool
k_split_index(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
              sl_vector *out)
{
	const sl_datum *csep = sl_const_arg(k->e, 1), *cidx = sl_const_arg(k->e, 2);
	if (csep && cidx && csep->v.s.len == 1 && cidx->v.i >= 0) {
		split_index_byte(args[0], (unsigned char)csep->v.s.ptr[0], cidx->v.i, sel, n, out);
		return true;
	}
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r), sep = str_at(args[1], r);
		int64_t idx = sl_int_get(args[2], r);
		const char *p = s.ptr, *end = s.ptr + s.len;
		if (idx < 0 || s.len == 0) {
			sl_vec_set_null(out, r);
			continue;
		}
		if (sep.len == 0) {   /* pieces between whitespace characters */
			uint32_t i = 0, start = 0, w = 0;
			for (; i < s.len; i += w ? w : 1) {
				if (!(w = java_space_at(s.ptr, s.len, i)))
					continue;
				if (idx == 0)
					break;
				idx--;
				start = i + w;
			}
			if (idx == 0)
				put_str(out, r, s.ptr + start, (i < s.len ? i : s.len) - start);
			else
				sl_vec_set_null(out, r);
			continue;
		}
		for (;;) {
			const char *q = sep.len == 1 ? memchr(p, sep.ptr[0], (size_t)(end - p))
			                             : memmem(p, (size_t)(end - p), sep.ptr, sep.len);
			if (idx == 0) {
				put_str(out, r, p, (uint32_t)((q ? q : end) - p));
				break;
			}
			if (!q) {
				sl_vec_set_null(out, r);
				break;
			}
			p = q + sep.len;
			idx--;
		}
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Regular expressions
 * ------------------------------------------------------------------- */

/* Options for matching s: PCRE2's own UTF-8 check costs more than the
 * match itself on short strings, so skip it for pure ASCII (always valid). */
static uint32_t
match_opts(const char *s, uint32_t n)
{
	uint64_t acc = 0, w;
	uint32_t i = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= (unsigned char)s[i];
	return (acc & 0x8080808080808080ULL) ? 0 : PCRE2_NO_UTF_CHECK;
}

/* A string every match of pat must contain (PCRE2 syntax, compiled with
 * PCRE2_UTF and no other option), written to lit (at most cap bytes;
 * a prefix of a required string is required too); returns its length,
 * 0 when none is found. The longest run of plain ASCII characters that
 * follow one another at the top level of a pattern without top-level
 * alternation is required: q21's '(&|^)channel_id=([^&]*)' needs
 * "channel_id=". Conservative: anything that could change how the text
 * reads — inline options or verbs ("(?", "(*"), \Q quoting, POSIX classes,
 * escapes other than an escaped punctuation character or \d \D \w \W
 * \s \S \b \B, a '{' that does not open a counted quantifier — gives 0.
 * A quantifier takes the character before it out of the run ('+' keeps
 * it but ends the run). */
static uint32_t
required_literal(const char *pat, uint32_t len, char *lit, uint32_t cap)
{
	uint32_t best = 0, run = 0, depth = 0;
	char cur[64];
	for (uint32_t i = 0; i + 1 < len; i++)
		if ((pat[i] == '(' && (pat[i + 1] == '?' || pat[i + 1] == '*')) ||
		    (pat[i] == '\\' && pat[i + 1] == 'Q') || (pat[i] == '[' && pat[i + 1] == ':'))
			return 0;
#define END_RUN()                                                              \
	do {                                                                       \
		if (run > best) {                                                      \
			best = SL_MIN(run, cap);                                           \
			memcpy(lit, cur, best);                                            \
		}                                                                      \
		run = 0;                                                               \
	} while (0)
	for (uint32_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pat[i];
		int lc = -1;  /* a literal character at this position */
		switch (c) {
		case '(': END_RUN(); depth++; continue;
		case ')': END_RUN(); if (depth) depth--; continue;
		case '|':
			if (depth == 0)
				return 0;
			continue;
		case '[':  /* a class: skip to its closing bracket */
			END_RUN();
			i++;
			if (i < len && pat[i] == '^')
				i++;
			if (i < len && pat[i] == ']')
				i++;
			while (i < len && pat[i] != ']')
				i += pat[i] == '\\' ? 2 : 1;
			continue;
		case '?': case '*':
			if (run)
				run--;
			END_RUN();
			continue;
		case '+':
			END_RUN();
			continue;
		case '{': {
			uint32_t j = i + 1;
			while (j < len && ((pat[j] >= '0' && pat[j] <= '9') || pat[j] == ','))
				j++;
			if (j == i + 1 || j >= len || pat[j] != '}')
				return 0;
			if (run)
				run--;
			END_RUN();
			i = j;
			continue;
		}
		case '\\':
			if (i + 1 >= len)
				return 0;
			c = (unsigned char)pat[++i];
			if (c < 0x80 && !isalnum(c))
				lc = c;          /* an escaped punctuation character */
			else if (!strchr("dDwWsSbB", c))
				return 0;
			break;
		case '^': case '$': case '.':
			break;
		default:
			if (c < 0x80)
				lc = c;
			break;
		}
		if (lc < 0 || depth) {
			END_RUN();
			continue;
		}
		if (run < sizeof cur)
			cur[run++] = (char)lc;
	}
	END_RUN();
#undef END_RUN
	return best;
}

typedef struct regex_state {
	pcre2_code *code;          /* current pattern, or NULL */
	pcre2_match_data *md;      /* match data for code */
	char *pat;                 /* malloc'ed text of the current pattern */
	uint32_t patlen;
	uint32_t ngroups;          /* capture groups of code */
	char lit[32];              /* required_literal of the pattern */
	uint32_t litlen;           /* 0: none known */
	uint32_t litkey;           /* position in lit of the byte memchr looks for */
	bool bad;                  /* current pattern does not compile */
	bool constant;             /* pattern fixed at build time */
	bool jit;                  /* code is JIT-compiled (pcre2_jit_match usable) */
} regex_state;

/* Can s match rs's pattern at all? A subject without the pattern's
 * required literal cannot: no call into PCRE2 (most of q21's URLs). */
static inline bool
may_match(const regex_state *rs, sl_str s)
{
	const char *p, *end;
	uint32_t k = rs->litkey;
	if (rs->litlen == 0)
		return true;
	if (s.len < rs->litlen)
		return false;
	/* the literal's rarest-looking byte 8 bytes at a time (find_byte;
	 * memmem and short memchr calls cost more on URLs), then its first
	 * and last bytes, then the rest */
	p = s.ptr + k;
	end = s.ptr + s.len - (rs->litlen - 1 - k);
	while ((p = find_byte(p, end, (unsigned char)rs->lit[k])) < end) {
		const char *b = p - k;
		if (b[0] == rs->lit[0] && b[rs->litlen - 1] == rs->lit[rs->litlen - 1] &&
		    memcmp(b, rs->lit, rs->litlen) == 0)
			return true;
		p++;
	}
	return false;
}

/* Match s against rs's pattern into rs->md (pcre2_match's return code).
 * A subject without the required literal is no match at once; an ASCII
 * subject (valid UTF-8) takes pcre2_jit_match, the JIT fast path that
 * skips pcre2_match's checks (it must only see valid UTF-8). */
static int
regex_match(const regex_state *rs, sl_str s)
{
	uint32_t opts;
	if (!may_match(rs, s))
		return PCRE2_ERROR_NOMATCH;
	opts = match_opts(s.ptr, s.len);
	if (rs->jit && opts == PCRE2_NO_UTF_CHECK)
		return pcre2_jit_match(rs->code, (PCRE2_SPTR)(s.len ? s.ptr : ""), s.len, 0, 0, rs->md,
		                       NULL);
	return pcre2_match(rs->code, (PCRE2_SPTR)(s.len ? s.ptr : ""), s.len, 0, opts, rs->md, NULL);
}

/* The position in lit of the byte least likely to occur in text:
 * punctuation before digits and capitals before lower-case letters. */
static uint32_t
rare_key(const char *lit, uint32_t len)
{
	uint32_t best = 0;
	int best_rank = 4;
	for (uint32_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)lit[i];
		int rank = c == ' ' ? 3 : islower(c) ? 2 : (isdigit(c) || isupper(c)) ? 1 : 0;
		if (rank < best_rank) {
			best_rank = rank;
			best = i;
		}
	}
	return best;
}

static void
regex_clear(regex_state *rs)
{
	if (rs->md)
		pcre2_match_data_free(rs->md);
	if (rs->code)
		pcre2_code_free(rs->code);
	free(rs->pat);
	rs->md = NULL;
	rs->code = NULL;
	rs->pat = NULL;
}

static void
regex_release(void *aux)
{
	regex_state *rs = aux;
	regex_clear(rs);
}

/* Compile pat into rs unless it is already the current one. */
static bool
regex_set(regex_state *rs, const char *pat, uint32_t len, char *errbuf, size_t errlen)
{
	int err;
	PCRE2_SIZE off;
	if (rs->pat && rs->patlen == len && memcmp(rs->pat, pat, len) == 0)
		return !rs->bad;
	regex_clear(rs);
	rs->pat = sl_xmalloc(len + 1);
	memcpy(rs->pat, pat, len);
	rs->pat[len] = '\0';
	rs->patlen = len;
	rs->code = pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_UTF, &err, &off, NULL);
	rs->bad = rs->code == NULL;
	if (rs->bad) {
		if (errbuf) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(err, msg, sizeof msg);
			snprintf(errbuf, errlen, "%s at offset %zu", (char *)msg, (size_t)off);
		}
		return false;
	}
	rs->jit = pcre2_jit_compile(rs->code, PCRE2_JIT_COMPLETE) == 0;
	rs->md = pcre2_match_data_create_from_pattern(rs->code, NULL);
	pcre2_pattern_info(rs->code, PCRE2_INFO_CAPTURECOUNT, &rs->ngroups);
	rs->litlen = required_literal(pat, len, rs->lit, sizeof rs->lit);
	rs->litkey = rare_key(rs->lit, rs->litlen);
	return true;
}

static bool
regex_compile(sl_arena *a, const sl_rexpr *e, void **aux, sl_error **errp)
{
	regex_state *rs = SL_ANEW(a, regex_state);
	const sl_datum *pat = sl_const_arg(e, 1);
	*aux = rs;
	if (pat) {
		char msg[300];
		rs->constant = true;
		if (!regex_set(rs, pat->v.s.ptr, pat->v.s.len, msg, sizeof msg)) {
			/* Flink returns NULL for an invalid pattern at run time; a
			 * constant one is reported when the program is built */
			sl_error *err = sl_error_new(SL_ERR_INVALID_PARAMETER, SL_SPAN_NONE,
			                             "invalid regular expression \"%.*s\"",
			                             (int)pat->v.s.len, pat->v.s.ptr);
			sl_error_set_detail(err, "%s.", msg);
			if (errp)
				*errp = err;
			else
				sl_error_free(err);
			regex_clear(rs);
			return false;
		}
	}
	return true;
}

/* The pattern for row r (NULL: invalid -> the result is NULL). */
static regex_state *
regex_for_row(sl_kctx *k, const sl_vector *patv, uint32_t r)
{
	regex_state *rs = k->aux;
	sl_str p;
	if (rs->constant)
		return rs;
	p = str_at(patv, r);
	return regex_set(rs, p.ptr, p.len, NULL, 0) ? rs : NULL;
}

static bool
k_regexp_extract(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
                 sl_vector *out)
{
	bool has_idx = k->e->nargs > 2;
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		regex_state *rs = regex_for_row(k, args[1], r);
		int64_t idx = has_idx ? sl_int_get(args[2], r) : 1;
		int rc;
		PCRE2_SIZE *ov;
		if (!rs || idx < 0 || (uint64_t)idx > rs->ngroups) {
			sl_vec_set_null(out, r);
			continue;
		}
		rc = regex_match(rs, s);
		if (rc <= 0 || (int64_t)rc <= idx) {
			sl_vec_set_null(out, r);
			continue;
		}
		ov = pcre2_get_ovector_pointer(rs->md);
		if (ov[2 * idx] == PCRE2_UNSET) {
			sl_vec_set_null(out, r);
			continue;
		}
		put_str(out, r, s.ptr + ov[2 * idx], (uint32_t)(ov[2 * idx + 1] - ov[2 * idx]));
	}
	return true;
}

static bool
k_regexp(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
         sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r);
		regex_state *rs = regex_for_row(k, args[1], r);
		int rc;
		if (!rs) {
			sl_vec_set_null(out, r);
			continue;
		}
		rc = regex_match(rs, s);
		SL_VEC_DATA(out, uint8_t)[r] = rc > 0;
	}
	return true;
}

/* REGEXP_REPLACE(str, regex, replacement): every match replaced; $n in the
 * replacement refers to group n (Java's replaceAll). */
static bool
k_regexp_replace(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
                 sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = str_at(args[0], r), rep = str_at(args[2], r);
		regex_state *rs = regex_for_row(k, args[1], r);
		PCRE2_SIZE cap = (PCRE2_SIZE)s.len * 2 + rep.len + 64, olen;
		char *o;
		int rc;
		if (!rs) {
			sl_vec_set_null(out, r);
			continue;
		}
		for (;;) {
			o = sl_strheap_alloc(k->heap, cap);
			olen = cap;
			rc = pcre2_substitute(rs->code, (PCRE2_SPTR)(s.len ? s.ptr : ""), s.len, 0,
			                      PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
			                          match_opts(s.ptr, s.len),
			                      rs->md, NULL, (PCRE2_SPTR)(rep.len ? rep.ptr : ""), rep.len,
			                      (PCRE2_UCHAR *)o, &olen);
			if (rc == PCRE2_ERROR_NOMEMORY) {
				sl_strheap_trim(k->heap, o, cap, 0);
				cap = olen + 1;
				continue;
			}
			break;
		}
		if (rc < 0) {
			sl_strheap_trim(k->heap, o, cap, 0);
			sl_vec_set_null(out, r);
			continue;
		}
		sl_strheap_trim(k->heap, o, cap, olen);
		put_str(out, r, o, (uint32_t)olen);
	}
	return true;
}

/* INSTR(str, substr): 1-based character position of the first substr in
 * str, 0 if none (LOCATE with the arguments the other way round). */
static bool
k_instr(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	(void)k;
	SL_FOR_VALID(out, sel, n, r)
		SL_VEC_DATA(out, int32_t)[r] = locate(str_at(args[1], r), str_at(args[0], r), 1);
	return true;
}

/* ---------------------------------------------------------------------
 * MD5, SHA1, SHA224, SHA256, SHA384, SHA512, SHA2(s, bits): the digest of
 * the string's bytes as lower-case hex, as Flink.
 * ------------------------------------------------------------------- */
static void
hash_hex(sl_kctx *k, sl_vector *out, uint32_t r, sl_str s, int bits)
{
	union {
		struct md5_ctx md5;
		struct sha1_ctx sha1;
		struct sha256_ctx sha256;   /* also SHA-224 */
		struct sha512_ctx sha512;   /* also SHA-384 */
	} c;
	uint8_t d[SHA512_DIGEST_SIZE];
	size_t dn;
	const uint8_t *p = (const uint8_t *)s.ptr;
	switch (bits) {
	case 128: md5_init(&c.md5); md5_update(&c.md5, s.len, p); md5_digest(&c.md5, dn = MD5_DIGEST_SIZE, d); break;
	case 160: sha1_init(&c.sha1); sha1_update(&c.sha1, s.len, p); sha1_digest(&c.sha1, dn = SHA1_DIGEST_SIZE, d); break;
	case 224: sha224_init(&c.sha256); sha224_update(&c.sha256, s.len, p); sha224_digest(&c.sha256, dn = SHA224_DIGEST_SIZE, d); break;
	case 256: sha256_init(&c.sha256); sha256_update(&c.sha256, s.len, p); sha256_digest(&c.sha256, dn = SHA256_DIGEST_SIZE, d); break;
	case 384: sha384_init(&c.sha512); sha384_update(&c.sha512, s.len, p); sha384_digest(&c.sha512, dn = SHA384_DIGEST_SIZE, d); break;
	case 512: sha512_init(&c.sha512); sha512_update(&c.sha512, s.len, p); sha512_digest(&c.sha512, dn = SHA512_DIGEST_SIZE, d); break;
	default: sl_vec_set_null(out, r); return;   /* SHA2 with another length */
	}
	char *o = sl_strheap_alloc(k->heap, 2 * dn);
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < dn; i++) {
		o[2 * i] = hex[d[i] >> 4];
		o[2 * i + 1] = hex[d[i] & 15];
	}
	put_str(out, r, o, (uint32_t)(2 * dn));
}

static bool
k_hash(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	int bits;
	switch (k->e->fn) {
	case SL_FN_MD5: bits = 128; break;
	case SL_FN_SHA1: bits = 160; break;
	case SL_FN_SHA224: bits = 224; break;
	case SL_FN_SHA256: bits = 256; break;
	case SL_FN_SHA384: bits = 384; break;
	default: bits = 512; break;
	}
	SL_FOR_VALID(out, sel, n, r)
		hash_hex(k, out, r, str_at(args[0], r), bits);
	return true;
}

static bool
k_sha2(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		int64_t bits = sl_int_get(args[1], r);
		hash_hex(k, out, r, str_at(args[0], r), bits == 128 || bits == 160 ? 0 : (int)bits);
	}
	return true;
}

/* UUID(): a random (version 4, RFC 4122) UUID string per row. */
static bool
k_uuid(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	sl_rng *g = k->aux;
	static const char hex[] = "0123456789abcdef";
	(void)args;
	SL_FOR_VALID(out, sel, n, r) {
		uint64_t hi = sl_rng_next(g), lo = sl_rng_next(g);
		uint8_t b[16];
		char *o = sl_strheap_alloc(k->heap, 36), *p = o;
		hi = (hi & ~UINT64_C(0xF000)) | UINT64_C(0x4000);                  /* version 4 */
		lo = (lo & ~(UINT64_C(3) << 62)) | (UINT64_C(2) << 62);            /* variant 10 */
		for (int i = 0; i < 8; i++) {
			b[i] = (uint8_t)(hi >> (56 - 8 * i));
			b[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
		}
		for (int i = 0; i < 16; i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10)
				*p++ = '-';
			*p++ = hex[b[i] >> 4];
			*p++ = hex[b[i] & 15];
		}
		put_str(out, r, o, 36);
	}
	return true;
}

void
sl_register_string_kernels(sl_kernel_entry *t)
{
	t[SL_FN_INSTR].fn = k_instr;
	t[SL_FN_MD5].fn = k_hash;
	t[SL_FN_SHA1].fn = k_hash;
	t[SL_FN_SHA224].fn = k_hash;
	t[SL_FN_SHA256].fn = k_hash;
	t[SL_FN_SHA384].fn = k_hash;
	t[SL_FN_SHA512].fn = k_hash;
	t[SL_FN_SHA2].fn = k_sha2;
	t[SL_FN_UUID].fn = k_uuid;
	t[SL_FN_UUID].compile = sl_rng_compile;
	t[SL_FN_LOWER].fn = k_lower;
	t[SL_FN_UPPER].fn = k_upper;
	t[SL_FN_INITCAP].fn = k_initcap;
	t[SL_FN_CHAR_LENGTH].fn = k_char_length;
	t[SL_FN_CHARACTER_LENGTH].fn = k_char_length;
	t[SL_FN_SUBSTRING].fn = k_substring;
	t[SL_FN_SUBSTR].fn = k_substring;
	t[SL_FN_CONCAT].fn = k_concat;
	t[SL_FN_CONCAT_OP].fn = k_concat;
	t[SL_FN_CONCAT_WS].fn = k_concat_ws;
	t[SL_FN_TRIM].fn = k_trim;
	t[SL_FN_LTRIM].fn = k_ltrim;
	t[SL_FN_RTRIM].fn = k_rtrim;
	t[SL_FN_REPLACE].fn = k_replace;
	t[SL_FN_POSITION].fn = k_position;
	t[SL_FN_LOCATE].fn = k_locate;
	t[SL_FN_LPAD].fn = k_lpad;
	t[SL_FN_RPAD].fn = k_rpad;
	t[SL_FN_REPEAT].fn = k_repeat;
	t[SL_FN_REVERSE].fn = k_reverse;
	t[SL_FN_SPLIT_INDEX].fn = k_split_index;
	t[SL_FN_LEFT].fn = k_left;
	t[SL_FN_RIGHT].fn = k_right;
	t[SL_FN_ASCII].fn = k_ascii;
	t[SL_FN_CHR].fn = k_chr;
	t[SL_FN_TO_BASE64].fn = k_to_base64;
	t[SL_FN_FROM_BASE64].fn = k_from_base64;
	t[SL_FN_REGEXP_EXTRACT] = (sl_kernel_entry){k_regexp_extract, regex_compile, regex_release};
	t[SL_FN_REGEXP_REPLACE] = (sl_kernel_entry){k_regexp_replace, regex_compile, regex_release};
	t[SL_FN_REGEXP] = (sl_kernel_entry){k_regexp, regex_compile, regex_release};
}
