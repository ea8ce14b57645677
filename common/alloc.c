/*
 * alloc.c
 *	  Fatal errors and checked allocation. Allocation failure ends the
 *	  process with a message naming the size; callers never see NULL.
 *
 * INTERFACE ROUTINES
 *	  sl_fatal        print "sluice: fatal: ..." and abort
 *	  sl_xmalloc etc. malloc family that never returns NULL
 */
#include "common/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sl_fatal(const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fprintf(stderr, "sluice: fatal: %s\n", buf);
	fflush(stderr);
	abort();
}

static void
oom(size_t n)
{
	sl_fatal("out of memory allocating %zu bytes", n);
}

void *
sl_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) oom(n);
	return p;
}

void *
sl_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p) oom(n * size);
	return p;
}

void *
sl_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) oom(n);
	return q;
}

char *
sl_xstrdup(const char *s)
{
	return sl_xstrndup(s, strlen(s));
}

char *
sl_xstrndup(const char *s, size_t n)
{
	char *p = sl_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
sl_vec_grow_(void **v, size_t *cap, size_t need, size_t elsize)
{
	size_t ncap;

	if (need <= *cap)
		return;
	ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	*v = sl_xrealloc(*v, ncap * elsize);
	*cap = ncap;
}

void *
sl_cast_check_(const void *p, int tag, const char *name, const char *file, int line)
{
	if (p != NULL && ((const sl_node *)p)->tag != tag)
		sl_fatal("internal error: node of tag %d is not a %s (%s:%d)",
		         ((const sl_node *)p)->tag, name, file, line);
	return (void *)p;
}
