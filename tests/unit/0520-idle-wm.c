/*
 * 0520-idle-wm.c
 *	  The framework's watermark valve (runtime/job.c, sl_op_input_watermark)
 *	  with idle inputs: idle ports do not hold time back, and when every
 *	  port is idle the operator advances to the newest watermark any port
 *	  reached before it forwards idleness. Without the second rule, the
 *	  port that goes idle last (here one still at event time 0) would keep
 *	  windows the other port already closed from ever firing.
 */
#include "runtime/op.h"
#include "tests/unit/test.h"

static int64_t seen[16];
static int nseen;

static bool
record_wm(sl_op *op, int64_t wm, sl_error **errp)
{
	(void)op;
	(void)errp;
	if (nseen < 16)
		seen[nseen++] = wm;
	return true;
}

static const sl_op_ops probe_ops = {.name = "probe", .watermark = record_wm};

/* A two-port operator instance with no downstream edges. */
static void
make_op(sl_op *op, int64_t *wm, int64_t *wm_seen, bool *ended)
{
	memset(op, 0, sizeof *op);
	op->ops = &probe_ops;
	op->nports = 2;
	op->port_wm = wm;
	op->port_wm_seen = wm_seen;
	op->port_ended = ended;
	for (int i = 0; i < 2; i++)
		wm[i] = wm_seen[i] = INT64_MIN;
	op->wm = op->wm_sent = INT64_MIN;
	nseen = 0;
}

static void
test_idle_port_does_not_hold_back(void)
{
	sl_op op;
	int64_t wm[3], ws[3];
	bool ended[3] = {0};
	sl_error *e = NULL;
	make_op(&op, wm, ws, ended);
	SL_CHECK(sl_op_input_watermark(&op, 0, 28000, &e));
	SL_CHECK(sl_op_input_watermark(&op, 1, 0, &e));
	SL_CHECK_INT(nseen, 1);
	SL_CHECK_INT(seen[0], 0);
	SL_CHECK(sl_op_input_watermark(&op, 1, SL_WM_IDLE, &e));
	SL_CHECK_INT(nseen, 2);
	SL_CHECK_INT(seen[1], 28000);
	SL_CHECK(!op.wm_idle_out);
}

static void
test_all_idle_takes_the_newest(void)
{
	sl_op op;
	int64_t wm[3], ws[3];
	bool ended[3] = {0};
	sl_error *e = NULL;
	make_op(&op, wm, ws, ended);
	SL_CHECK(sl_op_input_watermark(&op, 0, 28000, &e));
	SL_CHECK(sl_op_input_watermark(&op, 1, 0, &e));
	/* the advanced port goes idle first: time stays at the other's 0 */
	SL_CHECK(sl_op_input_watermark(&op, 0, SL_WM_IDLE, &e));
	SL_CHECK_INT(nseen, 1);
	SL_CHECK_INT(op.wm, 0);
	/* then the other: every port idle, time moves to 28000 */
	SL_CHECK(sl_op_input_watermark(&op, 1, SL_WM_IDLE, &e));
	SL_CHECK_INT(nseen, 2);
	SL_CHECK_INT(seen[1], 28000);
	SL_CHECK(op.wm_idle_out);
	/* active again below that: no regression, no new hook call */
	SL_CHECK(sl_op_input_watermark(&op, 1, 5000, &e));
	SL_CHECK_INT(op.wm, 28000);
	SL_CHECK_INT(nseen, 2);
	SL_CHECK(!op.wm_idle_out);
	/* and onward once it passes */
	SL_CHECK(sl_op_input_watermark(&op, 1, 30000, &e));
	SL_CHECK_INT(nseen, 3);
	SL_CHECK_INT(seen[2], 30000);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_idle_port_does_not_hold_back);
	SL_RUN(test_all_idle_takes_the_newest);
	return SL_TEST_MAIN_END();
}
