/*
 * 0800-split-wm.c
 *	  Per-split watermarks (runtime/watermark.h, sl_split_wm_*), as the
 *	  Kafka source uses them for its partitions: the minimum over the
 *	  splits that are neither idle nor finished, a split without rows
 *	  holding the others back, idle splits left out, the combined value
 *	  never going back, every split idle -> first the newest value any
 *	  split reached, then SL_WM_IDLE, and the re-send when a split is
 *	  active again. The watermarks go to a one-port probe instance through
 *	  the framework (sl_op_emit_watermark -> sl_op_input_watermark).
 */
#include "runtime/watermark.h"
#include "tests/unit/test.h"

static int64_t seen[32];
static int nseen;

static bool
record_wm(sl_op *op, int64_t wm, sl_error **errp)
{
	(void)op;
	(void)errp;
	if (nseen < 32)
		seen[nseen++] = wm;
	return true;
}

static const sl_op_ops probe_ops = {.name = "probe", .watermark = record_wm};

typedef struct rig {
	sl_op src, probe;
	sl_op_edge edge;
	int64_t wm[2], ws[2];
	bool ended[2];
	sl_split_wm w;
} rig;

/* src -> probe; n splits, idle timeout 1000 us, clock at 0 */
static void
rig_init(rig *g, int n)
{
	memset(g, 0, sizeof *g);
	g->probe.ops = &probe_ops;
	g->probe.nports = 1;
	g->probe.port_wm = g->wm;
	g->probe.port_wm_seen = g->ws;
	g->probe.port_ended = g->ended;
	g->wm[0] = g->ws[0] = INT64_MIN;
	g->probe.wm = g->probe.wm_sent = INT64_MIN;
	g->edge.op = &g->probe;
	g->src.nout = 1;
	g->src.out = &g->edge;
	g->src.wm = g->src.wm_sent = INT64_MIN;
	sl_split_wm_init(&g->w, n, 1000, 0);
	nseen = 0;
}

static bool
emit(rig *g, int64_t now)
{
	sl_error *e = NULL;
	bool ok = sl_split_wm_emit(&g->w, &g->src, now, &e);
	if (e)
		sl_error_free(e);
	return ok;
}

static void
test_minimum_over_splits(void)
{
	rig g;
	rig_init(&g, 2);
	/* split 1 has no rows yet: it holds split 0 back */
	sl_split_wm_observe(&g.w, 0, 100, 10);
	SL_CHECK(emit(&g, 10));
	SL_CHECK_INT(nseen, 0);
	sl_split_wm_observe(&g.w, 1, 50, 20);
	SL_CHECK(emit(&g, 20));
	SL_CHECK_INT(nseen, 1);
	SL_CHECK_INT(seen[0], 50);
	sl_split_wm_observe(&g.w, 0, 120, 30);
	sl_split_wm_observe(&g.w, 1, 60, 30);
	SL_CHECK(emit(&g, 30));
	SL_CHECK_INT(nseen, 2);
	SL_CHECK_INT(seen[1], 60);
	/* a lower value in a split does not lower the split */
	sl_split_wm_observe(&g.w, 1, 10, 40);
	SL_CHECK(emit(&g, 40));
	SL_CHECK_INT(nseen, 2);
	sl_split_wm_free(&g.w);
}

static void
test_idle_split_left_out(void)
{
	rig g;
	rig_init(&g, 2);
	sl_split_wm_observe(&g.w, 0, 100, 10);
	sl_split_wm_observe(&g.w, 1, 40, 10);
	SL_CHECK(emit(&g, 10));
	SL_CHECK_INT(seen[nseen - 1], 40);
	/* split 1 silent for the timeout, split 0 not: split 0's value */
	sl_split_wm_observe(&g.w, 0, 200, 900);
	SL_CHECK(emit(&g, 1010));
	SL_CHECK_INT(nseen, 2);
	SL_CHECK_INT(seen[1], 200);
	SL_CHECK_INT(g.wm[0], 200);
	/* split 1 back with older rows: time does not go back */
	sl_split_wm_observe(&g.w, 1, 50, 1100);
	SL_CHECK(emit(&g, 1100));
	SL_CHECK_INT(nseen, 2);
	/* and moves on with the minimum once both passed 200 */
	sl_split_wm_observe(&g.w, 1, 260, 1200);
	sl_split_wm_observe(&g.w, 0, 300, 1200);
	SL_CHECK(emit(&g, 1200));
	SL_CHECK_INT(nseen, 3);
	SL_CHECK_INT(seen[2], 260);
	sl_split_wm_free(&g.w);
}

static void
test_all_idle_takes_the_newest(void)
{
	rig g;
	rig_init(&g, 2);
	sl_split_wm_observe(&g.w, 0, 300, 10);
	sl_split_wm_observe(&g.w, 1, 100, 10);
	SL_CHECK(emit(&g, 10));
	SL_CHECK_INT(seen[nseen - 1], 100);
	/* both go idle in the same poll: first 300, then the idle mark */
	SL_CHECK(emit(&g, 5000));
	SL_CHECK_INT(nseen, 2);
	SL_CHECK_INT(seen[1], 300);
	SL_CHECK(g.wm[0] == SL_WM_IDLE);
	SL_CHECK(g.w.idle);
	/* still idle: nothing more */
	SL_CHECK(emit(&g, 6000));
	SL_CHECK(g.wm[0] == SL_WM_IDLE);
	/* rows below 300 again: the port counts again at 300 (re-sent) */
	sl_split_wm_observe(&g.w, 1, 150, 7000);
	SL_CHECK(emit(&g, 7000));
	SL_CHECK(!g.w.idle);
	SL_CHECK_INT(g.wm[0], 300);
	sl_split_wm_free(&g.w);
}

static void
test_finished_and_none(void)
{
	rig g;
	rig_init(&g, 2);
	sl_split_wm_observe(&g.w, 0, 500, 10);
	/* split 1 finished without rows: it no longer holds split 0 back */
	sl_split_wm_done(&g.w, 1);
	SL_CHECK(emit(&g, 10));
	SL_CHECK_INT(nseen, 1);
	SL_CHECK_INT(seen[0], 500);
	/* every split finished: nothing (the source ends with +inf) */
	sl_split_wm_done(&g.w, 0);
	SL_CHECK(emit(&g, 5000));
	SL_CHECK_INT(nseen, 1);
	SL_CHECK_INT(g.wm[0], 500);
	sl_split_wm_free(&g.w);
	/* no split at all: idle at once */
	rig_init(&g, 0);
	SL_CHECK(emit(&g, 0));
	SL_CHECK(g.wm[0] == SL_WM_IDLE);
	sl_split_wm_free(&g.w);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_minimum_over_splits);
	SL_RUN(test_idle_split_left_out);
	SL_RUN(test_all_idle_takes_the_newest);
	SL_RUN(test_finished_and_none);
	return SL_TEST_MAIN_END();
}
