/*
 * strbuf.c
 *	  Growable, always NUL-terminated string buffer on malloc.
 *
 * INTERFACE ROUTINES
 *	  sl_strbuf_append, _appendn, _appendc, _appendf, _reset, _free, _take
 */
#include "common/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sl_strbuf_reserve(sl_strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	size_t ncap;

	if (need <= sb->cap)
		return;
	ncap = sb->cap ? sb->cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	sb->data = sl_xrealloc(sb->data, ncap);
	sb->cap = ncap;
}

void
sl_strbuf_appendn(sl_strbuf *sb, const char *s, size_t n)
{
	sl_strbuf_reserve(sb, n);
	memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void
sl_strbuf_append(sl_strbuf *sb, const char *s)
{
	sl_strbuf_appendn(sb, s, strlen(s));
}

void
sl_strbuf_appendc(sl_strbuf *sb, char c)
{
	sl_strbuf_reserve(sb, 1);
	sb->data[sb->len++] = c;
	sb->data[sb->len] = '\0';
}

void
sl_strbuf_vappendf(sl_strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		sl_fatal("internal error: bad format \"%s\"", fmt);
	sl_strbuf_reserve(sb, (size_t)n);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void
sl_strbuf_appendf(sl_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sl_strbuf_vappendf(sb, fmt, ap);
	va_end(ap);
}

void
sl_strbuf_reset(sl_strbuf *sb)
{
	sb->len = 0;
	if (sb->data)
		sb->data[0] = '\0';
}

void
sl_strbuf_free(sl_strbuf *sb)
{
	free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
}

char *
sl_strbuf_take(sl_strbuf *sb)
{
	char *s = sb->data ? sb->data : sl_xstrdup("");
	sb->data = NULL;
	sb->len = sb->cap = 0;
	return s;
}

const char *
sl_strbuf_str(const sl_strbuf *sb)
{
	return sb->data ? sb->data : "";
}
