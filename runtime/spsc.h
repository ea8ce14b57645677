/*
 * spsc.h
 *	  Bounded lock-free single-producer single-consumer ring.
 *
 *	  Elements are fixed-size (elem_size bytes, a multiple of 8; 8 for a
 *	  ring of pointers) and copied in and out. The producer owns tail and
 *	  the consumer owns head, each on its own cache line, each side
 *	  caching the other's index so that the fast path touches the shared
 *	  line only when the ring looks full (producer) or empty (consumer).
 *
 *	  Blocking: sl_spsc_push / sl_spsc_pop spin briefly, then sleep on a
 *	  futex. A side that sleeps first announces it in a flag; the other
 *	  side, after publishing its index, issues a fence and wakes the
 *	  sleeper only if the flag is set, so the fast path takes no lock and
 *	  makes no system call.
 *
 *	  @thread exactly one producer thread and one consumer thread.
 *
 * INTERFACE ROUTINES
 *	  sl_spsc_new / sl_spsc_free
 *	  sl_spsc_try_push / sl_spsc_push          producer
 *	  sl_spsc_try_pop / sl_spsc_pop / sl_spsc_pop_timed   consumer
 *	  sl_spsc_peek / sl_spsc_consume           consumer, two-step pop
 *	  sl_spsc_close                            producer: no more items
 *	  sl_spsc_size                             approximate fill
 *	  sl_spsc_push_ptr / sl_spsc_pop_ptr       rings of pointers
 */
#ifndef SL_RUNTIME_SPSC_H
#define SL_RUNTIME_SPSC_H

#include "common/common.h"

#include <stdatomic.h>

#define SL_CACHE_LINE 64

typedef struct sl_spsc {
	/* consumer side */
	_Alignas(SL_CACHE_LINE) atomic_size_t head; /* next slot to read */
	size_t cached_tail;                         /* consumer's view of tail */
	/* producer side */
	_Alignas(SL_CACHE_LINE) atomic_size_t tail; /* next slot to write */
	size_t cached_head;                         /* producer's view of head */
	/* sleeping */
	_Alignas(SL_CACHE_LINE) atomic_uint not_empty; /* futex word, bumped on push when awaited */
	atomic_uint not_full;                       /* futex word, bumped on pop when awaited */
	atomic_int consumer_sleeping;
	atomic_int producer_sleeping;
	atomic_bool closed;
	/* read-only after creation */
	_Alignas(SL_CACHE_LINE) size_t mask;        /* capacity - 1 */
	size_t elem_size;                           /* bytes per element */
	char *slots;                                /* capacity * elem_size */
	/* statistics (approximate) */
	atomic_uint_fast64_t full_waits;            /* producer had to sleep: backpressure */
} sl_spsc;

/* capacity is rounded up to a power of two (>= 2). */
sl_spsc *sl_spsc_new(size_t capacity, size_t elem_size);
void sl_spsc_free(sl_spsc *q);

/* Producer. try_push: false if full. push: blocks while full; false only
 * if the ring was closed. */
bool sl_spsc_try_push(sl_spsc *q, const void *elem);
bool sl_spsc_push(sl_spsc *q, const void *elem);
/* No more pushes; a consumer blocked in pop wakes up and drains. */
void sl_spsc_close(sl_spsc *q);

/* Consumer. try_pop: false if empty. pop: blocks until an element arrives
 * (true) or the ring is closed and drained (false). pop_timed: as pop,
 * giving up after timeout_us (false, *timed_out = true). */
bool sl_spsc_try_pop(sl_spsc *q, void *elem);
bool sl_spsc_pop(sl_spsc *q, void *elem);
bool sl_spsc_pop_timed(sl_spsc *q, void *elem, int64_t timeout_us, bool *timed_out);
/* Two-step pop: peek returns the front slot (NULL if empty); the slot
 * stays owned by the consumer until sl_spsc_consume. */
void *sl_spsc_peek(sl_spsc *q);
void sl_spsc_consume(sl_spsc *q);

size_t sl_spsc_size(sl_spsc *q);
static inline size_t sl_spsc_capacity(const sl_spsc *q) { return q->mask + 1; }

static inline bool sl_spsc_push_ptr(sl_spsc *q, void *p) { return sl_spsc_push(q, &p); }
static inline void *
sl_spsc_pop_ptr(sl_spsc *q)
{
	void *p = NULL;
	return sl_spsc_pop(q, &p) ? p : NULL;
}

#endif /* SL_RUNTIME_SPSC_H */
