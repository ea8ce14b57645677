/*
 * print_sink.c
 *	  The 'print' connector (and the result of a bare SELECT): every row
 *	  in Flink's print format, "+I[1, abc, 2026-01-01T00:00]", one per
 *	  line. With sink parallelism > 1 each line starts with "N> " (the
 *	  subtask number from 1), as Flink's PrintSinkFunction writes it.
 *	  The lines of one pushed chunk are formatted into a per-subtask
 *	  buffer and written with one fwrite before push returns, so subtasks
 *	  never interleave inside a line and, as with Flink's print sink, a row
 *	  is on the output as soon as it reaches the sink (an unbounded query
 *	  on a terminal shows its rows as they come, not at checkpoints).
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_print_sink
 */
#include "runtime/op.h"

#include <stdlib.h>

void sl_task_note_watermark(sl_task *task, int64_t wm);

typedef struct printsink {
	sl_strbuf buf;
	bool prefix;
} printsink;

static void
print_flush(sl_op *op)
{
	printsink *p = op->priv;
	FILE *f = sl_job_output(op->job);
	if (p->buf.len) {
		fwrite(p->buf.data, 1, p->buf.len, f);
		fflush(f);
		sl_strbuf_reset(&p->buf);
	}
}

static bool
print_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	printsink *p = op->priv;
	uint32_t live = sl_chunk_live(in);
	(void)port;
	(void)errp;
	for (uint32_t i = 0; i < live; i++) {
		uint32_t r = in->sel ? in->sel[i] : i;
		if (p->prefix)
			sl_strbuf_appendf(&p->buf, "%d> ", op->subtask + 1);
		sl_chunk_format_row(in, r, &p->buf);
		sl_strbuf_appendc(&p->buf, '\n');
	}
	sl_task_count_sink_rows(op->task, live);
	sl_chunk_unref(in);
	print_flush(op);
	return true;
}

static bool
sink_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	(void)errp;
	sl_task_note_watermark(op->task, wm);
	return true;
}

static bool
print_end(sl_op *op, sl_error **errp)
{
	(void)errp;
	print_flush(op);
	return true;
}

/* Checkpoint barrier: what the checkpoint covers is on the output. */
static bool
print_snapshot(sl_op *op, uint64_t id, sl_error **errp)
{
	(void)id;
	(void)errp;
	print_flush(op);
	return true;
}

static void
print_close(sl_op *op)
{
	printsink *p = op->priv;
	print_flush(op);      /* a cancelled job still writes what it has */
	sl_strbuf_free(&p->buf);
}

static const sl_op_ops print_ops = {
	.name = "PrintSink", .push = print_push, .watermark = sink_watermark,
	.end = print_end, .close = print_close, .snapshot = print_snapshot,
};

bool
sl_op_init_print_sink(sl_op *op, sl_arena *a, sl_error **errp)
{
	printsink *p = SL_ANEW(a, printsink);
	(void)errp;
	p->prefix = op->parallelism > 1 && op->rel->sink != NULL;
	op->ops = &print_ops;
	op->priv = p;
	return true;
}
