/*
 * key.c
 *	  Memcomparable key encoding of rows (see key.h for the format) and key
 *	  groups for hash exchanges.
 *
 *	  Pure functions over a chunk; @thread any (the chunk is read-only).
 *
 * INTERFACE ROUTINES
 *	  sl_key_encode, sl_key_decode, sl_chunk_key_groups
 */
#include "runtime/key.h"
#include "runtime/runtime_int.h"

#include <string.h>

/* Append n bytes to out, returning where they go: every encoder reserves
 * its worst case once and stores directly (no call per byte group). */
static inline unsigned char *
kput(sl_strbuf *out, size_t n)
{
	sl_strbuf_reserve(out, n);
	unsigned char *p = (unsigned char *)out->data + out->len;
	out->len += n;
	return p;
}

/* The low w bytes of v, most significant first (w = 1, 2, 4 or 8). */
static inline void
store_be(unsigned char *p, uint64_t v, int w)
{
	switch (w) {
	case 8: {
		uint64_t b = __builtin_bswap64(v);
		memcpy(p, &b, 8);
		return;
	}
	case 4: {
		uint32_t b = __builtin_bswap32((uint32_t)v);
		memcpy(p, &b, 4);
		return;
	}
	case 2: {
		uint16_t b = __builtin_bswap16((uint16_t)v);
		memcpy(p, &b, 2);
		return;
	}
	default:
		for (int i = 0; i < w; i++)
			p[i] = (unsigned char)(v >> (8 * (w - 1 - i)));
	}
}

static uint64_t
get_be(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t
double_bits(double d)
{
	uint64_t u;
	if (d == 0)
		d = 0; /* -0.0 -> 0.0 */
	if (d != d)
		d = __builtin_nan("");
	memcpy(&u, &d, 8);
	return (u >> 63) ? ~u : u | (1ULL << 63);
}

static double
bits_double(uint64_t u)
{
	double d;
	u = (u >> 63) ? u & ~(1ULL << 63) : ~u;
	memcpy(&d, &u, 8);
	return d;
}

static void
encode_value(const sl_vector *v, uint32_t r, sl_strbuf *out)
{
	const sl_type *t = v->type;
	unsigned char *p;
	if (!sl_vec_valid(v, r)) {
		*kput(out, 1) = 0;
		return;
	}
	switch (t->kind) {
	case SL_TYPE_BOOLEAN:
		p = kput(out, 2);
		p[0] = 1;
		p[1] = SL_VEC_DATA(v, uint8_t)[r];
		return;
	case SL_TYPE_FLOAT:
		p = kput(out, 9);
		p[0] = 1;
		store_be(p + 1, double_bits(SL_VEC_DATA(v, float)[r]), 8);
		return;
	case SL_TYPE_DOUBLE:
		p = kput(out, 9);
		p[0] = 1;
		store_be(p + 1, double_bits(SL_VEC_DATA(v, double)[r]), 8);
		return;
	case SL_TYPE_DECIMAL: {
		unsigned __int128 u = (unsigned __int128)sl_dec_get(v, r) ^ ((unsigned __int128)1 << 127);
		p = kput(out, 17);
		p[0] = 1;
		store_be(p + 1, (uint64_t)(u >> 64), 8);
		store_be(p + 9, (uint64_t)u, 8);
		return;
	}
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR:
	case SL_TYPE_BYTES: {
		/* 1, the bytes with each 0 as 0 0xff, then 0 0: worst case
		 * reserved, the unused tail given back */
		sl_str s = SL_VEC_DATA(v, sl_str)[r];
		size_t start = out->len;
		const char *q = s.ptr, *end = s.ptr + s.len;
		p = kput(out, 3 + 2 * (size_t)s.len);
		*p++ = 1;
		while (q < end) {
			const char *z = memchr(q, 0, (size_t)(end - q));
			size_t n = (size_t)((z ? z : end) - q);
			memcpy(p, q, n);
			p += n;
			if (!z)
				break;
			*p++ = 0;
			*p++ = 0xff;
			q = z + 1;
		}
		*p++ = 0;
		*p++ = 0;
		out->len = start + (size_t)(p - ((unsigned char *)out->data + start));
		return;
	}
	case SL_TYPE_ROW:
		*kput(out, 1) = 1;
		for (int i = 0; i < v->nchildren; i++)
			encode_value(v->children[i], r, out);
		return;
	case SL_TYPE_ARRAY:
	case SL_TYPE_MAP:
		*kput(out, 1) = 1;
		for (uint32_t k = v->offsets[r]; k < v->offsets[r + 1]; k++) {
			*kput(out, 1) = 1;
			for (int i = 0; i < v->nchildren; i++)
				encode_value(v->children[i], k, out);
		}
		*kput(out, 1) = 0;
		return;
	default: {
		/* integers and integer-represented temporal types */
		int w = (int)v->width;
		int64_t sx = w == 8 ? SL_VEC_DATA(v, int64_t)[r] : w == 4 ? SL_VEC_DATA(v, int32_t)[r]
		             : w == 2 ? SL_VEC_DATA(v, int16_t)[r] : SL_VEC_DATA(v, int8_t)[r];
		uint64_t x = (uint64_t)sx;
		if (w < 8)
			x &= (1ULL << (8 * w)) - 1;
		x ^= 1ULL << (8 * w - 1);
		p = kput(out, 1 + (size_t)w);
		p[0] = 1;
		store_be(p + 1, x, w);
		return;
	}
	}
}

void
sl_key_encode(const sl_chunk *c, uint32_t row, const int *cols, int ncols, sl_strbuf *out)
{
	for (int i = 0; i < ncols; i++)
		encode_value(c->cols[cols[i]], row, out);
	if (out->data)
		out->data[out->len] = 0; /* kput reserved it (strbuf: NUL-terminated) */
}

/* Decode one value into v row r; returns bytes used or 0. */
static size_t
decode_value(const unsigned char *p, size_t n, sl_vector *v, uint32_t r, sl_strheap *heap)
{
	const sl_type *t = v->type;
	size_t used = 1;
	if (n < 1)
		return 0;
	if (p[0] == 0) {
		sl_vec_set_null(v, r);
		return 1;
	}
	sl_vec_set_valid(v, r);
	p++;
	n--;
	switch (t->kind) {
	case SL_TYPE_BOOLEAN:
		if (n < 1)
			return 0;
		SL_VEC_DATA(v, uint8_t)[r] = p[0];
		return used + 1;
	case SL_TYPE_FLOAT:
	case SL_TYPE_DOUBLE:
		if (n < 8)
			return 0;
		if (t->kind == SL_TYPE_FLOAT)
			SL_VEC_DATA(v, float)[r] = (float)bits_double(get_be(p, 8));
		else
			SL_VEC_DATA(v, double)[r] = bits_double(get_be(p, 8));
		return used + 8;
	case SL_TYPE_DECIMAL: {
		unsigned __int128 u;
		if (n < 16)
			return 0;
		u = ((unsigned __int128)get_be(p, 8) << 64) | get_be(p + 8, 8);
		u ^= (unsigned __int128)1 << 127;
		sl_dec_put(v, r, (sl_i128)u);
		return used + 16;
	}
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR:
	case SL_TYPE_BYTES: {
		/* unescape into the heap: the decoded string is at most n bytes */
		char *o = sl_strheap_alloc(heap, n ? n : 1);
		size_t i = 0, len = 0;
		for (;;) {
			if (i + 1 >= n) /* every step needs two bytes or ends malformed */
				return 0;
			if (p[i] == 0) {
				if (p[i + 1] == 0) {
					i += 2;
					break;
				}
				if (p[i + 1] != 0xff)
					return 0;
				o[len++] = 0;
				i += 2;
			} else {
				o[len++] = (char)p[i++];
			}
		}
		sl_strheap_trim(heap, o, n ? n : 1, len);
		SL_VEC_DATA(v, sl_str)[r] = (sl_str){(uint32_t)len, len ? o : ""};
		return used + i;
	}
	case SL_TYPE_ROW:
		for (int k = 0; k < v->nchildren; k++) {
			size_t u = decode_value(p, n, v->children[k], r, heap);
			if (!u)
				return 0;
			p += u;
			n -= u;
			used += u;
		}
		return used;
	case SL_TYPE_ARRAY:
	case SL_TYPE_MAP: {
		uint32_t at = v->child_used;
		v->offsets[r] = at;
		for (;;) {
			if (n < 1)
				return 0;
			if (p[0] == 0) {
				used++;
				break;
			}
			p++;
			n--;
			used++;
			sl_vector_reserve_children(v, at + 1);
			for (int k = 0; k < v->nchildren; k++) {
				size_t u = decode_value(p, n, v->children[k], at, heap);
				if (!u)
					return 0;
				p += u;
				n -= u;
				used += u;
			}
			at++;
		}
		v->offsets[r + 1] = at;
		v->child_used = at;
		return used;
	}
	default: {
		int w = (int)v->width;
		uint64_t x;
		if (n < (size_t)w)
			return 0;
		x = get_be(p, w) ^ (1ULL << (8 * w - 1));
		switch (w) {
		case 1: SL_VEC_DATA(v, int8_t)[r] = (int8_t)x; break;
		case 2: SL_VEC_DATA(v, int16_t)[r] = (int16_t)x; break;
		case 4: SL_VEC_DATA(v, int32_t)[r] = (int32_t)x; break;
		default: SL_VEC_DATA(v, int64_t)[r] = (int64_t)x; break;
		}
		return used + (size_t)w;
	}
	}
}

size_t
sl_key_decode(const char *p, size_t n, sl_chunk *dst, uint32_t row, const int *cols, int ncols)
{
	size_t used = 0;
	for (int i = 0; i < ncols; i++) {
		size_t u = decode_value((const unsigned char *)p + used, n - used, dst->cols[cols[i]], row,
		                        &dst->heap);
		if (!u)
			return 0;
		used += u;
	}
	return used;
}

void
sl_chunk_key_groups(const sl_chunk *c, const int *cols, int ncols, int maxp, uint16_t *kg,
                    sl_strbuf *scratch)
{
	uint32_t n = sl_chunk_live(c);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = c->sel ? c->sel[i] : i;
		sl_strbuf_reset(scratch);
		sl_key_encode(c, r, cols, ncols, scratch);
		kg[r] = (uint16_t)(sl_hash64(scratch->data ? scratch->data : "", scratch->len, 0) %
		                   (uint64_t)maxp);
	}
}
