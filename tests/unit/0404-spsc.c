/*
 * 0404-spsc.c
 *	  runtime/: the SPSC ring under two threads (10M items, order kept,
 *	  nothing lost), blocking on a full ring (backpressure), close, timed
 *	  pop, and the in-process channel carrying data, watermarks, barriers
 *	  and end-of-input in order.
 */
#include "runtime/channel.h"
#include "runtime/expr.h"
#include "runtime/spsc.h"
#include "tests/unit/test.h"

#include <pthread.h>
#include <unistd.h>

#define NITEMS 10000000UL

static void *
producer(void *arg)
{
	sl_spsc *q = arg;
	for (uintptr_t i = 1; i <= NITEMS; i++)
		sl_spsc_push_ptr(q, (void *)i);
	sl_spsc_close(q);
	return NULL;
}

static void
test_spsc_two_threads(void)
{
	sl_spsc *q = sl_spsc_new(1024, sizeof(void *));
	pthread_t th;
	uintptr_t expect = 1, bad = 0;
	void *p;
	pthread_create(&th, NULL, producer, q);
	while ((p = sl_spsc_pop_ptr(q)) != NULL) {
		if ((uintptr_t)p != expect)
			bad++;
		expect = (uintptr_t)p + 1;
	}
	pthread_join(th, NULL);
	SL_CHECK_INT(bad, 0);
	SL_CHECK_INT(expect - 1, NITEMS);
	SL_CHECK_INT(sl_spsc_size(q), 0);
	sl_spsc_free(q);
}

static void
test_spsc_single_thread(void)
{
	sl_spsc *q = sl_spsc_new(3, 16); /* rounds to 4 */
	uint64_t e[2] = {0, 0}, o[2];
	bool timed_out = false;
	SL_CHECK_INT(sl_spsc_capacity(q), 4);
	for (int i = 0; i < 4; i++) {
		e[0] = (uint64_t)i;
		e[1] = (uint64_t)i * 10;
		SL_CHECK(sl_spsc_try_push(q, e));
	}
	SL_CHECK(!sl_spsc_try_push(q, e)); /* full */
	SL_CHECK_INT(sl_spsc_size(q), 4);
	SL_CHECK(sl_spsc_try_pop(q, o));
	SL_CHECK_INT(o[0], 0);
	SL_CHECK(sl_spsc_peek(q) != NULL);
	SL_CHECK_INT(((uint64_t *)sl_spsc_peek(q))[1], 10);
	sl_spsc_consume(q);
	SL_CHECK(sl_spsc_try_pop(q, o) && o[0] == 2 && o[1] == 20);
	SL_CHECK(sl_spsc_try_pop(q, o) && o[0] == 3);
	SL_CHECK(!sl_spsc_try_pop(q, o));
	SL_CHECK(!sl_spsc_pop_timed(q, o, 1000, &timed_out));
	SL_CHECK(timed_out);
	sl_spsc_close(q);
	SL_CHECK(!sl_spsc_pop(q, o));
	SL_CHECK(!sl_spsc_push(q, e));
	sl_spsc_free(q);
}

typedef struct bp {
	sl_spsc *q;
	atomic_int pushed;
} bp;

static void *
bp_producer(void *arg)
{
	bp *b = arg;
	for (uintptr_t i = 1; i <= 100; i++) {
		sl_spsc_push_ptr(b->q, (void *)i);
		atomic_fetch_add(&b->pushed, 1);
	}
	return NULL;
}

static void
test_spsc_backpressure(void)
{
	bp b = {sl_spsc_new(8, sizeof(void *)), 0};
	pthread_t th;
	uintptr_t expect = 1;
	pthread_create(&th, NULL, bp_producer, &b);
	usleep(50000);
	/* the producer is blocked on the full ring */
	SL_CHECK_INT(atomic_load(&b.pushed), 8);
	SL_CHECK_INT(sl_spsc_size(b.q), 8);
	for (int i = 0; i < 100; i++) {
		void *p = sl_spsc_pop_ptr(b.q);
		SL_CHECK_INT((uintptr_t)p, expect);
		expect++;
	}
	pthread_join(th, NULL);
	SL_CHECK_INT(atomic_load(&b.pushed), 100);
	SL_CHECK(atomic_load(&b.q->full_waits) >= 1);
	sl_spsc_free(b.q);
}

typedef struct chan_arg {
	sl_channel *ch;
	const sl_type *const *types;
} chan_arg;

static void *
chan_sender(void *arg)
{
	chan_arg *ca = arg;
	sl_chunk_pool *pool = sl_chunk_pool_new(ca->types, 1, 16);
	for (int i = 0; i < 1000; i++) {
		sl_chunk *c = sl_chunk_pool_get(pool);
		uint32_t r = sl_chunk_append_row(c);
		sl_chunk_set_i64(c, 0, r, i);
		sl_channel_send_chunk(ca->ch, c, NULL);
		if (i % 100 == 99)
			sl_channel_send_watermark(ca->ch, i, NULL);
		if (i == 499)
			sl_channel_send_barrier(ca->ch, 7, NULL);
	}
	sl_channel_send_eoi(ca->ch, NULL);
	sl_channel_close(ca->ch);
	sl_chunk_pool_free(pool); /* chunks still in flight stay valid */
	return NULL;
}

static void
test_channel_inproc(void)
{
	const sl_type *types[1] = {sl_rt_type(SL_TYPE_BIGINT)};
	chan_arg ca = {sl_channel_inproc_new(4), types};
	pthread_t th;
	sl_msg m;
	int64_t next = 0, wms = 0, last_wm = -1;
	int barriers = 0, eoi = 0, order_bad = 0;
	sl_recv_status st;
	pthread_create(&th, NULL, chan_sender, &ca);
	while ((st = sl_channel_recv(ca.ch, &m, -1, NULL)) == SL_RECV_OK) {
		switch (m.kind) {
		case SL_MSG_DATA:
			if (SL_VEC_DATA(m.u.chunk->cols[0], int64_t)[0] != next)
				order_bad++;
			next++;
			sl_chunk_unref(m.u.chunk);
			break;
		case SL_MSG_WATERMARK:
			if (m.u.watermark != next - 1)
				order_bad++;
			last_wm = m.u.watermark;
			wms++;
			break;
		case SL_MSG_BARRIER:
			if (next != 500 || m.u.checkpoint_id != 7)
				order_bad++;
			barriers++;
			break;
		case SL_MSG_END_OF_INPUT:
			if (next != 1000)
				order_bad++;
			eoi++;
			break;
		}
	}
	pthread_join(th, NULL);
	SL_CHECK_INT(st, SL_RECV_CLOSED);
	SL_CHECK_INT(order_bad, 0);
	SL_CHECK_INT(next, 1000);
	SL_CHECK_INT(wms, 10);
	SL_CHECK_INT(last_wm, 999);
	SL_CHECK_INT(barriers, 1);
	SL_CHECK_INT(eoi, 1);
	SL_CHECK_INT(sl_channel_recv(ca.ch, &m, 0, NULL), SL_RECV_CLOSED);
	sl_channel_free(ca.ch);
	/* poll on an open, empty channel; free with a chunk still queued */
	ca.ch = sl_channel_inproc_new(4);
	SL_CHECK_INT(sl_channel_recv(ca.ch, &m, 0, NULL), SL_RECV_TIMEOUT);
	SL_CHECK_INT(sl_channel_recv(ca.ch, &m, 1000, NULL), SL_RECV_TIMEOUT);
	{
		sl_chunk *c = sl_chunk_new(types, 1, 4);
		SL_CHECK(sl_channel_try_send(ca.ch, &(sl_msg){.kind = SL_MSG_DATA, .u.chunk = c}));
		SL_CHECK_INT(sl_channel_pending(ca.ch), 1);
	}
	sl_channel_free(ca.ch);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_spsc_single_thread);
	SL_RUN(test_spsc_two_threads);
	SL_RUN(test_spsc_backpressure);
	SL_RUN(test_channel_inproc);
	return SL_TEST_MAIN_END();
}
