/*
 * blackhole_sink.c
 *	  The 'blackhole' connector: counts the rows and releases the chunks
 *	  (benchmarks measure everything before the sink).
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_blackhole_sink
 */
#include "runtime/op.h"

void sl_task_note_watermark(sl_task *task, int64_t wm);

static bool
sink_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	(void)errp;
	sl_task_note_watermark(op->task, wm);
	return true;
}

static bool
blackhole_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	(void)port;
	(void)errp;
	sl_task_count_sink_rows(op->task, sl_chunk_live(in));
	sl_chunk_unref(in);
	return true;
}

static bool
blackhole_end(sl_op *op, sl_error **errp)
{
	(void)op;
	(void)errp;
	return true;
}

static const sl_op_ops blackhole_ops = {
	.name = "BlackholeSink", .push = blackhole_push, .watermark = sink_watermark,
	.end = blackhole_end,
};

bool
sl_op_init_blackhole_sink(sl_op *op, sl_arena *a, sl_error **errp)
{
	(void)a;
	(void)errp;
	op->ops = &blackhole_ops;
	return true;
}
