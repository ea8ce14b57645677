/*
 * 0600-collector.h
 *	  For unit tests that drive one operator directly (0610, 0640, 0820):
 *	  a downstream operator that prints every row it receives in Flink's
 *	  format, one per line, into text, and keeps the last watermark.
 *	  Wire it as sink.ops = &col_ops, sink.priv = &a_collector.
 */
#ifndef SL_TEST_COLLECTOR_H
#define SL_TEST_COLLECTOR_H

#include "runtime/op.h"

typedef struct collector {
	sl_strbuf text;             /* one printed row per line */
	int64_t wm;                 /* last watermark received */
} collector;

static bool
col_push(sl_op *op, int port, sl_chunk *c, sl_error **errp)
{
	collector *k = op->priv;
	uint32_t live = sl_chunk_live(c);
	(void)port;
	(void)errp;
	for (uint32_t i = 0; i < live; i++) {
		sl_chunk_format_row(c, c->sel ? c->sel[i] : i, &k->text);
		sl_strbuf_appendc(&k->text, '\n');
	}
	sl_chunk_unref(c);
	return true;
}

static bool
col_wm(sl_op *op, int64_t wm, sl_error **errp)
{
	(void)errp;
	((collector *)op->priv)->wm = wm;
	return true;
}

static bool
col_end(sl_op *op, sl_error **errp)
{
	(void)op;
	(void)errp;
	return true;
}

static const sl_op_ops col_ops = {.name = "Collect", .push = col_push, .watermark = col_wm,
                                  .end = col_end};

#endif /* SL_TEST_COLLECTOR_H */
