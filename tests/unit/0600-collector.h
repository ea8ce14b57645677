/*
 * 0600-collector.h
 *	  For unit tests that drive one operator directly (0610, 0640, 0820):
 *	  a downstream operator that prints every row it receives in Flink's
 *	  format, one per line, into text, and keeps the last watermark.
 *	  Wire it as sink.ops = &col_ops, sink.priv = &a_collector, or with
 *	  COL_WIRE(h, nports) for a harness h with the fields op, sink, edge,
 *	  col, pwm/pwm_seen/pend (nports each) and swm/swm_seen/send (1 each).
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

/* Wire op (nports inputs, their watermark state in pwm, pwm_seen, pend)
 * to sink, a collector into col (its one port's state in swm, swm_seen,
 * send), over edge; every watermark starts at INT64_MIN. */
static void
col_wire(sl_op *op, int nports, int64_t *pwm, int64_t *pwm_seen, bool *pend, sl_op *sink,
         collector *col, int64_t *swm, int64_t *swm_seen, bool *send, sl_op_edge *edge)
{
	op->nports = nports;
	op->port_wm = pwm;
	op->port_wm_seen = pwm_seen;
	op->port_ended = pend;
	for (int i = 0; i < nports; i++)
		pwm[i] = pwm_seen[i] = INT64_MIN;
	op->wm = INT64_MIN;
	sink->ops = &col_ops;
	sink->priv = col;
	sink->nports = 1;
	sink->port_wm = swm;
	sink->port_wm_seen = swm_seen;
	sink->port_ended = send;
	swm[0] = swm_seen[0] = INT64_MIN;
	sink->wm = INT64_MIN;
	edge->op = sink;
	edge->port = 0;
	op->nout = 1;
	op->out = edge;
}

#define COL_WIRE(h, nports)                                                    \
	col_wire(&(h)->op, (nports), (h)->pwm, (h)->pwm_seen, (h)->pend, &(h)->sink, &(h)->col, \
	         (h)->swm, (h)->swm_seen, (h)->send, &(h)->edge)

#endif /* SL_TEST_COLLECTOR_H */
