/*
 * channel.h
 *	  Channels: the ordered stream of messages from one producing subtask
 *	  to one consuming subtask.
 *
 *	  A message is DATA (a chunk), WATERMARK (event time in microseconds),
 *	  BARRIER (checkpoint id) or END_OF_INPUT; a channel delivers them in
 *	  the order sent. Sending DATA passes the sender's chunk reference to
 *	  the receiver (the sender must not touch the chunk afterwards; to keep
 *	  using it, sl_chunk_ref it first). A full channel is backpressure:
 *	  send blocks until the receiver makes room; nothing is buffered
 *	  without bound.
 *
 *	  The interface is a table of operations so that operators never know
 *	  which implementation they hold: in-process (a bounded SPSC ring,
 *	  here) or TCP between worker processes (later, credit-based).
 *
 *	  @thread one sender thread and one receiver thread per channel.
 *
 * INTERFACE ROUTINES
 *	  sl_channel_inproc_new   an in-process channel of a given capacity
 *	  sl_channel_send         blocking, in order
 *	  sl_channel_try_send     non-blocking (false when full)
 *	  sl_channel_recv         blocking with optional timeout
 *	  sl_channel_close        sender: no more messages (receiver sees EOF)
 *	  sl_channel_free         after both sides are done
 */
#ifndef SL_RUNTIME_CHANNEL_H
#define SL_RUNTIME_CHANNEL_H

#include "runtime/chunk.h"

typedef enum sl_msg_kind {
	SL_MSG_DATA = 1,        /* chunk */
	SL_MSG_WATERMARK,       /* watermark: event time (us); INT64_MAX = end of time */
	SL_MSG_BARRIER,         /* checkpoint_id */
	SL_MSG_END_OF_INPUT     /* the sender will send nothing more */
} sl_msg_kind;

typedef struct sl_msg {
	sl_msg_kind kind;
	union {
		sl_chunk *chunk;        /* DATA: one reference, owned by the holder */
		int64_t watermark;      /* WATERMARK */
		int64_t checkpoint_id;  /* BARRIER */
	} u;
} sl_msg;

/* What recv reports. */
typedef enum sl_recv_status {
	SL_RECV_OK = 0,         /* *msg filled */
	SL_RECV_TIMEOUT,        /* nothing within the timeout */
	SL_RECV_CLOSED,         /* the sender closed the channel and all was read */
	SL_RECV_ERROR           /* transport failure (*errp set) */
} sl_recv_status;

typedef struct sl_channel sl_channel;

typedef struct sl_channel_ops {
	const char *name;
	bool (*send)(sl_channel *ch, const sl_msg *msg, sl_error **errp);
	bool (*try_send)(sl_channel *ch, const sl_msg *msg);
	sl_recv_status (*recv)(sl_channel *ch, sl_msg *msg, int64_t timeout_us, sl_error **errp);
	void (*close)(sl_channel *ch);
	void (*free)(sl_channel *ch);
	size_t (*pending)(sl_channel *ch);       /* messages waiting (approximate) */
	uint64_t (*full_waits)(sl_channel *ch);  /* times send had to wait */
} sl_channel_ops;

struct sl_channel {
	const sl_channel_ops *ops; /* implementation */
};

/* A channel over a bounded SPSC ring of capacity messages. */
sl_channel *sl_channel_inproc_new(size_t capacity);

static inline bool
sl_channel_send(sl_channel *ch, const sl_msg *msg, sl_error **errp)
{
	return ch->ops->send(ch, msg, errp);
}
static inline bool
sl_channel_try_send(sl_channel *ch, const sl_msg *msg)
{
	return ch->ops->try_send(ch, msg);
}
/* timeout_us < 0: wait forever; 0: poll. */
static inline sl_recv_status
sl_channel_recv(sl_channel *ch, sl_msg *msg, int64_t timeout_us, sl_error **errp)
{
	return ch->ops->recv(ch, msg, timeout_us, errp);
}
static inline void sl_channel_close(sl_channel *ch) { ch->ops->close(ch); }
/* Frees the channel and releases chunks still queued in it. */
static inline void sl_channel_free(sl_channel *ch) { if (ch) ch->ops->free(ch); }
static inline size_t sl_channel_pending(sl_channel *ch) { return ch->ops->pending(ch); }

/* Convenience senders. */
static inline bool
sl_channel_send_chunk(sl_channel *ch, sl_chunk *chunk, sl_error **errp)
{
	sl_msg m = {.kind = SL_MSG_DATA, .u.chunk = chunk};
	return sl_channel_send(ch, &m, errp);
}
static inline bool
sl_channel_send_watermark(sl_channel *ch, int64_t wm, sl_error **errp)
{
	sl_msg m = {.kind = SL_MSG_WATERMARK, .u.watermark = wm};
	return sl_channel_send(ch, &m, errp);
}
static inline bool
sl_channel_send_barrier(sl_channel *ch, int64_t ckid, sl_error **errp)
{
	sl_msg m = {.kind = SL_MSG_BARRIER, .u.checkpoint_id = ckid};
	return sl_channel_send(ch, &m, errp);
}
static inline bool
sl_channel_send_eoi(sl_channel *ch, sl_error **errp)
{
	sl_msg m = {.kind = SL_MSG_END_OF_INPUT};
	return sl_channel_send(ch, &m, errp);
}

#endif /* SL_RUNTIME_CHANNEL_H */
