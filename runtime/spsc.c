/*
 * spsc.c
 *	  Bounded SPSC ring with futex sleeping (see spsc.h for the model).
 *
 *	  Memory ordering: the producer writes the slot, then publishes tail
 *	  with release; the consumer reads tail with acquire, reads the slot,
 *	  then publishes head with release, which the producer reads with
 *	  acquire before reusing the slot. Sleep/wake is Dekker-style: the
 *	  sleeper stores its flag, fences (seq_cst), re-checks the ring, then
 *	  waits on the futex word it read before the re-check; the waker
 *	  publishes its index, fences, and reads the flag.
 *
 * INTERFACE ROUTINES
 *	  see spsc.h
 */
#include "runtime/spsc.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SPIN_ROUNDS 128  /* pause-spins before yielding */
#define YIELD_ROUNDS 32  /* sched_yield rounds before sleeping */

static void
futex_wait(atomic_uint *word, unsigned expected, const struct timespec *timeout)
{
	syscall(SYS_futex, (unsigned *)word, FUTEX_WAIT_PRIVATE, expected, timeout, NULL, 0);
}

static void
futex_wake(atomic_uint *word)
{
	syscall(SYS_futex, (unsigned *)word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

sl_spsc *
sl_spsc_new(size_t capacity, size_t elem_size)
{
	sl_spsc *q;
	size_t cap = 2;
	SL_ASSERT(elem_size > 0 && elem_size % 8 == 0);
	while (cap < capacity)
		cap <<= 1;
	if (posix_memalign((void **)&q, SL_CACHE_LINE, sizeof *q) != 0)
		sl_fatal("out of memory");
	memset(q, 0, sizeof *q);
	atomic_init(&q->head, 0);
	atomic_init(&q->tail, 0);
	atomic_init(&q->not_empty, 0);
	atomic_init(&q->not_full, 0);
	atomic_init(&q->consumer_sleeping, 0);
	atomic_init(&q->producer_sleeping, 0);
	atomic_init(&q->closed, false);
	atomic_init(&q->full_waits, 0);
	q->mask = cap - 1;
	q->elem_size = elem_size;
	q->slots = sl_xcalloc(cap, elem_size);
	return q;
}

void
sl_spsc_free(sl_spsc *q)
{
	if (!q)
		return;
	free(q->slots);
	free(q);
}

static inline void
copy_elem(void *dst, const void *src, size_t n)
{
	if (n == 8)
		memcpy(dst, src, 8);
	else
		memcpy(dst, src, n);
}

/* After publishing an index: wake the other side if it sleeps. */
static inline void
wake_if_sleeping(atomic_int *flag, atomic_uint *word)
{
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(flag, memory_order_relaxed)) {
		atomic_fetch_add_explicit(word, 1, memory_order_release);
		futex_wake(word);
	}
}

bool
sl_spsc_try_push(sl_spsc *q, const void *elem)
{
	size_t t = atomic_load_explicit(&q->tail, memory_order_relaxed);
	if (t - q->cached_head > q->mask) {
		q->cached_head = atomic_load_explicit(&q->head, memory_order_acquire);
		if (t - q->cached_head > q->mask)
			return false;
	}
	copy_elem(q->slots + (t & q->mask) * q->elem_size, elem, q->elem_size);
	atomic_store_explicit(&q->tail, t + 1, memory_order_release);
	wake_if_sleeping(&q->consumer_sleeping, &q->not_empty);
	return true;
}

bool
sl_spsc_push(sl_spsc *q, const void *elem)
{
	for (;;) {
		if (atomic_load_explicit(&q->closed, memory_order_relaxed))
			return false;
		for (int i = 0; i < SPIN_ROUNDS + YIELD_ROUNDS; i++) {
			if (sl_spsc_try_push(q, elem))
				return true;
			if (i < SPIN_ROUNDS)
				cpu_relax();
			else
				sched_yield();
		}
		/* sleep until the consumer frees a slot */
		{
			unsigned seq = atomic_load_explicit(&q->not_full, memory_order_acquire);
			atomic_store_explicit(&q->producer_sleeping, 1, memory_order_relaxed);
			atomic_thread_fence(memory_order_seq_cst);
			if (sl_spsc_try_push(q, elem)) {
				atomic_store_explicit(&q->producer_sleeping, 0, memory_order_relaxed);
				return true;
			}
			atomic_fetch_add_explicit(&q->full_waits, 1, memory_order_relaxed);
			futex_wait(&q->not_full, seq, NULL);
			atomic_store_explicit(&q->producer_sleeping, 0, memory_order_relaxed);
		}
	}
}

void
sl_spsc_close(sl_spsc *q)
{
	atomic_store_explicit(&q->closed, true, memory_order_release);
	atomic_fetch_add_explicit(&q->not_empty, 1, memory_order_release);
	futex_wake(&q->not_empty);
	atomic_fetch_add_explicit(&q->not_full, 1, memory_order_release);
	futex_wake(&q->not_full);
}

void *
sl_spsc_peek(sl_spsc *q)
{
	size_t h = atomic_load_explicit(&q->head, memory_order_relaxed);
	if (h == q->cached_tail) {
		q->cached_tail = atomic_load_explicit(&q->tail, memory_order_acquire);
		if (h == q->cached_tail)
			return NULL;
	}
	return q->slots + (h & q->mask) * q->elem_size;
}

void
sl_spsc_consume(sl_spsc *q)
{
	size_t h = atomic_load_explicit(&q->head, memory_order_relaxed);
	atomic_store_explicit(&q->head, h + 1, memory_order_release);
	wake_if_sleeping(&q->producer_sleeping, &q->not_full);
}

bool
sl_spsc_try_pop(sl_spsc *q, void *elem)
{
	void *slot = sl_spsc_peek(q);
	if (!slot)
		return false;
	copy_elem(elem, slot, q->elem_size);
	sl_spsc_consume(q);
	return true;
}

bool
sl_spsc_pop_timed(sl_spsc *q, void *elem, int64_t timeout_us, bool *timed_out)
{
	struct timespec deadline = {0, 0};
	if (timed_out)
		*timed_out = false;
	if (timeout_us >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += timeout_us / 1000000;
		deadline.tv_nsec += (timeout_us % 1000000) * 1000;
		if (deadline.tv_nsec >= 1000000000) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000;
		}
	}
	for (;;) {
		for (int i = 0; i < SPIN_ROUNDS + YIELD_ROUNDS; i++) {
			if (sl_spsc_try_pop(q, elem))
				return true;
			if (i < SPIN_ROUNDS)
				cpu_relax();
			else
				sched_yield();
		}
		{
			unsigned seq = atomic_load_explicit(&q->not_empty, memory_order_acquire);
			struct timespec rel, *relp = NULL;
			atomic_store_explicit(&q->consumer_sleeping, 1, memory_order_relaxed);
			atomic_thread_fence(memory_order_seq_cst);
			if (sl_spsc_try_pop(q, elem)) {
				atomic_store_explicit(&q->consumer_sleeping, 0, memory_order_relaxed);
				return true;
			}
			if (atomic_load_explicit(&q->closed, memory_order_acquire)) {
				atomic_store_explicit(&q->consumer_sleeping, 0, memory_order_relaxed);
				/* closed: drain what is left, then report the end */
				return sl_spsc_try_pop(q, elem);
			}
			if (timeout_us >= 0) {
				struct timespec now;
				int64_t left;
				clock_gettime(CLOCK_MONOTONIC, &now);
				left = (int64_t)(deadline.tv_sec - now.tv_sec) * 1000000000 +
				       (deadline.tv_nsec - now.tv_nsec);
				if (left <= 0) {
					atomic_store_explicit(&q->consumer_sleeping, 0, memory_order_relaxed);
					if (timed_out)
						*timed_out = true;
					return false;
				}
				rel.tv_sec = left / 1000000000;
				rel.tv_nsec = left % 1000000000;
				relp = &rel;
			}
			futex_wait(&q->not_empty, seq, relp);
			atomic_store_explicit(&q->consumer_sleeping, 0, memory_order_relaxed);
		}
	}
}

bool
sl_spsc_pop(sl_spsc *q, void *elem)
{
	return sl_spsc_pop_timed(q, elem, -1, NULL);
}

size_t
sl_spsc_size(sl_spsc *q)
{
	size_t t = atomic_load_explicit(&q->tail, memory_order_acquire);
	size_t h = atomic_load_explicit(&q->head, memory_order_acquire);
	return t - h;
}
