/*
 * arena.c
 *	  Memory contexts: bump allocators arranged in a tree.
 *
 *	  An arena owns a list of blocks; allocation bumps a pointer in the
 *	  current block and starts a new block (doubling, up to 1 MiB, or the
 *	  request's size if larger) when it is full. Freeing an arena frees its
 *	  blocks and, first, every child arena. Individual allocations are never
 *	  freed. An arena is used by one thread at a time (no locking).
 *
 * INTERFACE ROUTINES
 *	  sl_arena_new / sl_arena_free / sl_arena_reset
 *	  sl_arena_alloc, sl_arena_zalloc, sl_arena_realloc, sl_arena_strdup, ...
 */
#include "common/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_FIRST_BLOCK 1024
#define ARENA_MAX_BLOCK (1024 * 1024)

typedef struct arena_block {
	struct arena_block *next; /* older block, or NULL */
	size_t size;              /* usable bytes in data[] */
	size_t used;              /* bytes handed out from data[] */
	_Alignas(ARENA_ALIGN) char data[];
} arena_block;

struct sl_arena {
	const char *name;          /* static string, for diagnostics */
	sl_arena *parent;          /* NULL for a root */
	sl_arena *first_child;     /* children, newest first */
	sl_arena *next_sibling;    /* next child of parent */
	arena_block *blocks;       /* current block first */
	size_t next_block_size;    /* size of the next block to allocate */
	size_t total_used;         /* bytes handed out (this arena only) */
};

static arena_block *
block_new(size_t size)
{
	arena_block *b = sl_xmalloc(sizeof(arena_block) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

sl_arena *
sl_arena_new(sl_arena *parent, const char *name)
{
	sl_arena *a = sl_xcalloc(1, sizeof *a);
	a->name = name ? name : "arena";
	a->parent = parent;
	a->next_block_size = ARENA_FIRST_BLOCK;
	if (parent) {
		a->next_sibling = parent->first_child;
		parent->first_child = a;
	}
	return a;
}

static void
free_blocks(arena_block *b)
{
	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
}

static void
free_children(sl_arena *a)
{
	sl_arena *c = a->first_child;
	while (c) {
		sl_arena *next = c->next_sibling;
		c->parent = NULL; /* no need to unlink from us */
		sl_arena_free(c);
		c = next;
	}
	a->first_child = NULL;
}

void
sl_arena_free(sl_arena *a)
{
	if (!a)
		return;
	free_children(a);
	if (a->parent) {
		sl_arena **pp = &a->parent->first_child;
		while (*pp && *pp != a)
			pp = &(*pp)->next_sibling;
		if (*pp)
			*pp = a->next_sibling;
	}
	free_blocks(a->blocks);
	free(a);
}

void
sl_arena_reset(sl_arena *a)
{
	arena_block *last;

	free_children(a);
	if (!a->blocks)
		return;
	/* keep the oldest block (the last in the list): it is the smallest */
	last = a->blocks;
	while (last->next) {
		arena_block *b = last;
		last = last->next;
		free(b);
	}
	last->used = 0;
	a->blocks = last;
	a->total_used = 0;
}

void *
sl_arena_alloc(sl_arena *a, size_t n)
{
	arena_block *b = a->blocks;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (need == 0)
		need = ARENA_ALIGN;
	if (!b || b->size - b->used < need) {
		size_t size = a->next_block_size;
		if (size < need)
			size = need;
		b = block_new(size);
		b->next = a->blocks;
		a->blocks = b;
		if (a->next_block_size < ARENA_MAX_BLOCK)
			a->next_block_size *= 2;
	}
	p = b->data + b->used;
	b->used += need;
	a->total_used += need;
	return p;
}

void *
sl_arena_zalloc(sl_arena *a, size_t n)
{
	void *p = sl_arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

void *
sl_arena_realloc(sl_arena *a, void *old, size_t oldn, size_t newn)
{
	void *p;

	if (newn <= oldn)
		return old;
	p = sl_arena_alloc(a, newn);
	if (old && oldn)
		memcpy(p, old, oldn);
	return p;
}

char *
sl_arena_strndup(sl_arena *a, const char *s, size_t n)
{
	char *p = sl_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
sl_arena_strdup(sl_arena *a, const char *s)
{
	return sl_arena_strndup(a, s, strlen(s));
}

char *
sl_arena_printf(sl_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p = sl_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

size_t
sl_arena_used(const sl_arena *a)
{
	size_t n = a->total_used;
	for (const sl_arena *c = a->first_child; c; c = c->next_sibling)
		n += sl_arena_used(c);
	return n;
}

const char *
sl_arena_name(const sl_arena *a)
{
	return a->name;
}
