/*
 * 0820-proctime-window.c
 *	  Processing-time windows (runtime/op_window_agg.c) driven directly,
 *	  with a hand-moved processing-time clock (op->proc_manual and
 *	  sl_op_proctime_advance, what the worker loop calls): rows are
 *	  assigned by the clock when they arrive, not by their time column; a
 *	  window fires once processing time reaches its end, never through a
 *	  watermark; end of input fires the open ones; a clock step back does
 *	  not reopen a fired window; HOP and SESSION assign by the clock too;
 *	  the timers survive a checkpoint and fire after restore when their
 *	  time passed meanwhile. OVER ordered by a proctime attribute: rows
 *	  of one millisecond come out together once processing time has left
 *	  it, ordered by arrival time (the p column is overwritten).
 */
#include "test.h"
#include "tests/unit/0600-collector.h"

#include "runtime/op.h"
#include "runtime/expr.h"
#include "state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BASE 1767225600000000LL /* 2026-01-01T00:00 in microseconds */
#define SEC 1000000LL

static const sl_type *T_BIGINT, *T_TS, *T_LTZ;


/* ---- COUNT(*) per k over (k BIGINT, p TIMESTAMP_LTZ(3) *PROCTIME*) --
 * output (k, cnt, window_start, window_end) */
typedef struct harness {
	sl_arena *a;
	sl_rel in, rel;
	sl_op op, sink;
	sl_op_edge edge;
	collector col;
	int64_t pwm[1], swm[1], pwm_seen[1], swm_seen[1];
	bool pend[1], send[1];
	sl_chunk_pool *pool;
	const sl_type *types[2];
	char dir[256];
} harness;

static int index_counter = 9820;

static void
h_init(harness *h, sl_window_kind kind, int64_t size, int64_t slide)
{
	static const sl_window_prop wp[2] = {SL_WPROP_START, SL_WPROP_END};
	memset(h, 0, sizeof *h);
	h->a = sl_arena_new(NULL, "test");
	h->types[0] = T_BIGINT;
	h->types[1] = T_LTZ;
	h->in.nfields = 2;
	h->in.fields = SL_ANEWN(h->a, sl_field, 2);
	h->in.fields[0].name = "k";
	h->in.fields[0].type = T_BIGINT;
	h->in.fields[1].name = "p";
	h->in.fields[1].type = sl_type_with_time_attr(h->a, T_LTZ, SL_TIME_ATTR_PROCTIME);
	h->in.rowtime_col = -1;
	h->in.proctime_col = 1;
	h->in.changelog.kinds = SL_CL_I;
	h->pool = sl_chunk_pool_new(h->types, 2, 0);

	h->rel.tag = kind == SL_WIN_SESSION ? T_PGroupWindowAggregate : T_PWindowAggregate;
	h->rel.legacy_window = kind == SL_WIN_SESSION;
	h->rel.ninputs = 1;
	h->rel.inputs = SL_ANEWN(h->a, sl_rel *, 1);
	h->rel.inputs[0] = &h->in;
	h->rel.nfields = 4;
	h->rel.fields = SL_ANEWN(h->a, sl_field, 4);
	h->rel.fields[0] = h->in.fields[0];
	h->rel.fields[1].name = "cnt";
	h->rel.fields[1].type = T_BIGINT;
	h->rel.fields[2].name = "ws";
	h->rel.fields[2].type = T_TS;
	h->rel.fields[3].name = "we";
	h->rel.fields[3].type = T_TS;
	h->rel.rowtime_col = h->rel.proctime_col = -1;
	h->rel.win_start_col = h->rel.win_end_col = -1;
	h->rel.nkeys = 1;
	h->rel.keys = SL_ANEWN(h->a, int, 1);
	h->rel.naggs = 1;
	h->rel.aggs = SL_ANEWN(h->a, sl_aggcall, 1);
	h->rel.aggs[0].kind = SL_AGG_COUNT_STAR;
	h->rel.aggs[0].name = "COUNT";
	h->rel.aggs[0].filter_col = -1;
	h->rel.aggs[0].type = T_BIGINT;
	h->rel.nwprops = 2;
	h->rel.wprops = wp;
	h->rel.window.kind = kind;
	h->rel.window.time_col = 1;
	h->rel.window.time_kind = SL_TIME_ATTR_PROCTIME;
	if (kind == SL_WIN_SESSION)
		h->rel.window.gap_us = size;
	else
		h->rel.window.size_us = size;
	h->rel.window.slide_us = slide;
	h->rel.parallelism = 1;
	h->op.index = index_counter++;
	snprintf(h->dir, sizeof h->dir, "%s/sluice-0820-%ld-%d",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid(), h->op.index);
}

/* Build and open the operator; restore_dir: a committed checkpoint. */
static bool
h_open(harness *h, const char *restore_dir, sl_error **errp)
{
	sl_state_options so;
	h->op.rel = &h->rel;
	h->op.parallelism = 1;
	h->op.proc_manual = true;
	COL_WIRE(h, 1);
	memset(&so, 0, sizeof so);
	so.local_dir = h->dir;
	so.maxp = 128;
	so.kg_last = 127;
	so.restore_dir = restore_dir;
	if (!(h->op.state = sl_state_open(&so, errp)))
		return false;
	if (!(h->rel.tag == T_PGroupWindowAggregate ? sl_op_init_group_window_agg(&h->op, h->a, errp)
	      : h->rel.tag == T_POverAggregate      ? sl_op_init_over_agg(&h->op, h->a, errp)
	                                           : sl_op_init_window_agg(&h->op, h->a, errp)))
		return false;
	return h->op.ops->open(&h->op, errp);
}

static void
h_close(harness *h)
{
	if (h->op.ops && h->op.ops->close)
		h->op.ops->close(&h->op);
	if (h->op.state)
		sl_state_close(h->op.state);
	h->op.state = NULL;
	h->op.ops = NULL;
}

static void
h_free(harness *h)
{
	h_close(h);
	sl_chunk_pool_free(h->pool);
	sl_strbuf_free(&h->col.text);
	sl_arena_free(h->a);
}

/* Push one row of key k whose p column says `p_ms` (ignored: proctime
 * windows use the operator's clock). */
static bool
h_row(harness *h, int64_t k, int64_t p_ms, sl_error **errp)
{
	sl_chunk *c = sl_chunk_pool_get(h->pool);
	uint32_t r = sl_chunk_append_row(c);
	c->kinds[r] = SL_ROW_INSERT;
	sl_chunk_set_i64(c, 0, r, k);
	sl_chunk_set_i64(c, 1, r, BASE + p_ms * 1000);
	return sl_op_input_chunk(&h->op, 0, c, errp);
}

/* processing time to BASE + ms */
#define AT(h, ms) SL_CHECK(sl_op_proctime_advance(&(h)->op, BASE + (int64_t)(ms) * 1000, &e))
#define ROW(h, k) SL_CHECK(h_row((h), (k), 999999, &e))

static const char *
out(harness *h)
{
	return h->col.text.data ? h->col.text.data : "";
}

/* OverAggregate COUNT(*) OVER (PARTITION BY k ORDER BY p RANGE|ROWS
 * ... preceding) over the same input: output (k, p, cnt). */
static void
h_init_over(harness *h, bool rows, int64_t preceding)
{
	h_init(h, SL_WIN_TUMBLE, 10 * SEC, 0);
	h->rel.tag = T_POverAggregate;
	memset(&h->rel.window, 0, sizeof h->rel.window);
	h->rel.nwprops = 0;
	h->rel.nfields = 3;
	h->rel.fields[1] = h->in.fields[1];
	h->rel.fields[2].name = "cnt";
	h->rel.fields[2].type = T_BIGINT;
	h->rel.norder = 1;
	{
		int *oc = SL_ANEWN(h->a, int, 1);
		bool *od = SL_ANEWN(h->a, bool, 1);
		oc[0] = 1;
		h->rel.order_cols = oc;
		h->rel.order_desc = od;
	}
	h->rel.over_rows = rows;
	h->rel.over_preceding = preceding;
}

/* ---- tests ---------------------------------------------------------- */

/* TUMBLE 10 s: rows at 3 s go to [0, 10) whatever their p column says;
 * the window fires when processing time reaches 10 s (its timer at
 * 9.999999 s), not before, and not through a watermark; rows at 10 s
 * start the next window, which end of input fires. */
static void
test_tumble_fires_by_clock(void)
{
	harness h;
	sl_error *e = NULL;
	h_init(&h, SL_WIN_TUMBLE, 10 * SEC, 0);
	SL_CHECK(h_open(&h, NULL, &e));
	SL_CHECK(h.op.proc_next == INT64_MAX);
	AT(&h, 3000);
	ROW(&h, 1);
	ROW(&h, 2);
	ROW(&h, 1);
	SL_CHECK_INT(h.op.proc_next, BASE + 10 * SEC - 1);
	AT(&h, 9999);
	SL_CHECK(sl_op_input_watermark(&h.op, 0, BASE + 100 * SEC, &e));
	SL_CHECK_STR(out(&h), "");
	AT(&h, 10000);
	SL_CHECK_STR(out(&h), "+I[1, 2, 2026-01-01T00:00, 2026-01-01T00:00:10]\n"
	                      "+I[2, 1, 2026-01-01T00:00, 2026-01-01T00:00:10]\n");
	SL_CHECK(h.op.proc_next == INT64_MAX);
	sl_strbuf_reset(&h.col.text);
	ROW(&h, 1);                       /* at 10 s: the next window */
	AT(&h, 15000);
	AT(&h, 2000);                     /* the clock going back changes nothing */
	ROW(&h, 3);                       /* still at 15 s */
	SL_CHECK_STR(out(&h), "");
	SL_CHECK(sl_op_input_end(&h.op, 0, &e));
	SL_CHECK_STR(out(&h), "+I[1, 1, 2026-01-01T00:00:10, 2026-01-01T00:00:20]\n"
	                      "+I[3, 1, 2026-01-01T00:00:10, 2026-01-01T00:00:20]\n");
	if (e) {
		printf("#   %s\n", e->message);
		sl_error_free(e);
	}
	h_free(&h);
}

/* HOP 10 s sliding 5 s: a row at 3 s is in [-5, 5) and [0, 10); they fire
 * at 5 s and 10 s. */
static void
test_hop(void)
{
	harness h;
	sl_error *e = NULL;
	h_init(&h, SL_WIN_HOP, 10 * SEC, 5 * SEC);
	SL_CHECK(h_open(&h, NULL, &e));
	AT(&h, 3000);
	ROW(&h, 7);
	AT(&h, 6000);
	ROW(&h, 7);                       /* [0, 10) and [5, 15) */
	SL_CHECK_STR(out(&h), "+I[7, 1, 2025-12-31T23:59:55, 2026-01-01T00:00:05]\n");
	sl_strbuf_reset(&h.col.text);
	AT(&h, 10000);
	SL_CHECK_STR(out(&h), "+I[7, 2, 2026-01-01T00:00, 2026-01-01T00:00:10]\n");
	sl_strbuf_reset(&h.col.text);
	SL_CHECK(sl_op_input_end(&h.op, 0, &e));
	SL_CHECK_STR(out(&h), "+I[7, 1, 2026-01-01T00:00:05, 2026-01-01T00:00:15]\n");
	if (e) {
		printf("#   %s\n", e->message);
		sl_error_free(e);
	}
	h_free(&h);
}

/* SESSION gap 2 s by processing time: rows at 1 s and 2.5 s make one
 * session [1, 4.5) that fires at 4.5 s; a row at 7 s opens another. */
static void
test_session(void)
{
	harness h;
	sl_error *e = NULL;
	h_init(&h, SL_WIN_SESSION, 2 * SEC, 0);
	SL_CHECK(h_open(&h, NULL, &e));
	AT(&h, 1000);
	ROW(&h, 4);
	AT(&h, 2500);
	ROW(&h, 4);
	AT(&h, 4499);
	SL_CHECK_STR(out(&h), "");
	AT(&h, 4500);
	SL_CHECK_STR(out(&h), "+I[4, 2, 2026-01-01T00:00:01, 2026-01-01T00:00:04.500]\n");
	sl_strbuf_reset(&h.col.text);
	AT(&h, 7000);
	ROW(&h, 4);
	SL_CHECK(sl_op_input_end(&h.op, 0, &e));
	SL_CHECK_STR(out(&h), "+I[4, 1, 2026-01-01T00:00:07, 2026-01-01T00:00:09]\n");
	if (e) {
		printf("#   %s\n", e->message);
		sl_error_free(e);
	}
	h_free(&h);
}

/* Checkpoint with an open window at 3 s, restore into a new instance:
 * its timer is back (proc_next), and since processing time passed the
 * window's end meanwhile it fires at the first step, with the count
 * from before the checkpoint. */
static void
test_checkpoint_restore(void)
{
	harness h;
	sl_error *e = NULL;
	char base[256], *ckdir = NULL;
	sl_ck_storage *ck;
	sl_ck_task_info info;
	sl_state_snapshot *snap;
	snprintf(base, sizeof base, "%s/sluice-0820-ck-%ld", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
	         (long)getpid());
	ck = sl_ck_storage_open(base, "job", &e);
	SL_CHECK(ck != NULL);
	h_init(&h, SL_WIN_TUMBLE, 10 * SEC, 0);
	SL_CHECK(h_open(&h, NULL, &e));
	AT(&h, 3000);
	ROW(&h, 1);
	ROW(&h, 1);
	ROW(&h, 5);
	snap = sl_state_snapshot_take(h.op.state, 1, &e);
	SL_CHECK(snap != NULL);
	SL_CHECK(snap && sl_state_snapshot_upload(snap, ck, 0, false, &info, &e));
	if (snap)
		sl_state_snapshot_free(snap);
	SL_CHECK(sl_ck_storage_commit(ck, 1, false, 128, &info, 1, &e));
	AT(&h, 4000);
	ROW(&h, 1);                       /* after the checkpoint: lost with the instance */
	h_close(&h);
	SL_CHECK_STR(out(&h), "");

	ckdir = sl_ck_storage_dir(ck, 1, false);
	h.op.proc_now = 0;
	h.op.proc_next = 0;
	SL_CHECK(h_open(&h, ckdir, &e));
	SL_CHECK_INT(h.op.proc_next, BASE + 10 * SEC - 1);
	AT(&h, 30000);
	SL_CHECK_STR(out(&h), "+I[1, 2, 2026-01-01T00:00, 2026-01-01T00:00:10]\n"
	                      "+I[5, 1, 2026-01-01T00:00, 2026-01-01T00:00:10]\n");
	if (e) {
		printf("#   %s\n", e->message);
		sl_error_free(e);
	}
	free(ckdir);
	h_free(&h);
	sl_ck_storage_free(ck);
	{
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
		if (system(cmd) != 0)
			printf("#   could not remove %s\n", base);
	}
}

/* RANGE UNBOUNDED over proctime: the two rows of 3.000 s are peers and
 * come out together (count 2, p = their arrival time, not the column's
 * value) once processing time reaches 3.001 s; a row at 5 s comes out at
 * end of input with count 3. ROWS 1 PRECEDING counts in arrival order. */
static void
test_over(void)
{
	harness h;
	sl_error *e = NULL;
	h_init_over(&h, false, -1);
	SL_CHECK(h_open(&h, NULL, &e));
	AT(&h, 3000);
	ROW(&h, 1);
	ROW(&h, 1);
	SL_CHECK_INT(h.op.proc_next, BASE + 3 * SEC + 1);
	AT(&h, 3000);
	SL_CHECK(sl_op_input_watermark(&h.op, 0, BASE + 100 * SEC, &e));
	SL_CHECK_STR(out(&h), "");
	AT(&h, 3001);
	SL_CHECK_STR(out(&h), "+I[1, 2026-01-01T00:00:03Z, 2]\n+I[1, 2026-01-01T00:00:03Z, 2]\n");
	sl_strbuf_reset(&h.col.text);
	AT(&h, 5000);
	ROW(&h, 1);
	SL_CHECK(sl_op_input_end(&h.op, 0, &e));
	SL_CHECK_STR(out(&h), "+I[1, 2026-01-01T00:00:05Z, 3]\n");
	if (e) {
		printf("#   %s\n", e->message);
		sl_error_free(e);
		e = NULL;
	}
	h_free(&h);

	h_init_over(&h, true, 1);
	SL_CHECK(h_open(&h, NULL, &e));
	AT(&h, 1000);
	ROW(&h, 2);
	ROW(&h, 2);
	ROW(&h, 2);
	AT(&h, 1001);
	SL_CHECK_STR(out(&h), "+I[2, 2026-01-01T00:00:01Z, 1]\n+I[2, 2026-01-01T00:00:01Z, 2]\n"
	                      "+I[2, 2026-01-01T00:00:01Z, 2]\n");
	if (e) {
		printf("#   %s\n", e->message);
		sl_error_free(e);
	}
	h_free(&h);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	T_BIGINT = sl_rt_type(SL_TYPE_BIGINT);
	T_TS = sl_rt_type(SL_TYPE_TIMESTAMP);
	T_LTZ = sl_rt_type(SL_TYPE_TIMESTAMP_LTZ);
	SL_RUN(test_tumble_fires_by_clock);
	SL_RUN(test_hop);
	SL_RUN(test_session);
	SL_RUN(test_checkpoint_restore);
	SL_RUN(test_over);
	return SL_TEST_MAIN_END();
}
