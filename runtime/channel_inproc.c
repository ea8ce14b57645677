/*
 * channel_inproc.c
 *	  The in-process channel: an sl_spsc ring of sl_msg (16 bytes each).
 *	  Blocking and backpressure come from the ring; order is the ring's.
 *
 * INTERFACE ROUTINES
 *	  sl_channel_inproc_new
 */
#include "runtime/channel.h"
#include "runtime/spsc.h"

#include <stdlib.h>

typedef struct inproc {
	sl_channel base;   /* must be first */
	sl_spsc *ring;     /* of sl_msg */
} inproc;

_Static_assert(sizeof(sl_msg) == 16, "sl_msg is two words");

static bool
ip_send(sl_channel *ch, const sl_msg *msg, sl_error **errp)
{
	inproc *ip = (inproc *)ch;
	if (!sl_spsc_push(ip->ring, msg))
		return sl_fail(errp, SL_ERR_INTERNAL, SL_SPAN_NONE, "send on a closed channel");
	return true;
}

static bool
ip_try_send(sl_channel *ch, const sl_msg *msg)
{
	return sl_spsc_try_push(((inproc *)ch)->ring, msg);
}

static sl_recv_status
ip_recv(sl_channel *ch, sl_msg *msg, int64_t timeout_us, sl_error **errp)
{
	inproc *ip = (inproc *)ch;
	bool timed_out = false;
	(void)errp;
	if (timeout_us == 0) {
		if (sl_spsc_try_pop(ip->ring, msg))
			return SL_RECV_OK;
		if (!atomic_load(&ip->ring->closed))
			return SL_RECV_TIMEOUT;
		return sl_spsc_try_pop(ip->ring, msg) ? SL_RECV_OK : SL_RECV_CLOSED;
	}
	if (sl_spsc_pop_timed(ip->ring, msg, timeout_us, &timed_out))
		return SL_RECV_OK;
	return timed_out ? SL_RECV_TIMEOUT : SL_RECV_CLOSED;
}

static void
ip_close(sl_channel *ch)
{
	sl_spsc_close(((inproc *)ch)->ring);
}

static void
ip_free(sl_channel *ch)
{
	inproc *ip = (inproc *)ch;
	sl_msg m;
	while (sl_spsc_try_pop(ip->ring, &m))
		if (m.kind == SL_MSG_DATA)
			sl_chunk_unref(m.u.chunk);
	sl_spsc_free(ip->ring);
	free(ip);
}

static size_t
ip_pending(sl_channel *ch)
{
	return sl_spsc_size(((inproc *)ch)->ring);
}

static uint64_t
ip_full_waits(sl_channel *ch)
{
	return atomic_load(&((inproc *)ch)->ring->full_waits);
}

static const sl_channel_ops inproc_ops = {
	"inproc", ip_send, ip_try_send, ip_recv, ip_close, ip_free, ip_pending, ip_full_waits,
};

sl_channel *
sl_channel_inproc_new(size_t capacity)
{
	inproc *ip = sl_xcalloc(1, sizeof *ip);
	ip->base.ops = &inproc_ops;
	ip->ring = sl_spsc_new(capacity, sizeof(sl_msg));
	return &ip->base;
}
