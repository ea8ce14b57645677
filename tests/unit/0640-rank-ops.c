/*
 * 0640-rank-ops.c
 *	  Rank, Deduplicate and OverAggregate driven directly (no job): rows
 *	  pushed on the one input port, watermarks through the framework
 *	  (sl_op_input_*), the output collected by a downstream operator and
 *	  printed in Flink's format. Covers what SQL through today's planner
 *	  cannot reach: Top-N without the rank number (the planner keeps it
 *	  whenever the filter's Calc projects it) and with a rank range not
 *	  starting at 1, over append-only and retracting input; keep-first
 *	  deduplication of an out-of-order earlier row; an OVER row that arrives behind the watermark.
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

static const sl_type *T_BIGINT, *T_TS;


/* ---- one operator over one input of (BIGINT k, BIGINT v, TIMESTAMP t) */
typedef struct harness {
	sl_arena *a;
	sl_rel in, rel;
	sl_op op, sink;
	sl_op_edge edge;
	collector col;
	int64_t pwm[1], swm[1];
	int64_t pwm_seen[1], swm_seen[1]; /* newest real watermark per port */
	bool pend[1], send[1];
	sl_chunk_pool *pool;
	const sl_type *types[3];
} harness;

static int index_counter = 9640;

/* tag: T_PRank / T_PDeduplicate / T_POverAggregate; extra: output
 * columns after the input's (rank number or aggregates). Partition key:
 * column 0; order: column `ocol`. */
static void
h_init(harness *h, int tag, int extra, int ocol, bool desc)
{
	memset(h, 0, sizeof *h);
	h->a = sl_arena_new(NULL, "test");
	h->types[0] = h->types[1] = T_BIGINT;
	h->types[2] = T_TS;
	h->in.nfields = 3;
	h->in.fields = SL_ANEWN(h->a, sl_field, 3);
	for (int i = 0; i < 3; i++) {
		h->in.fields[i].name = sl_arena_printf(h->a, "c%d", i);
		h->in.fields[i].type = h->types[i];
	}
	h->in.rowtime_col = 2;
	h->in.proctime_col = -1;
	h->in.changelog.kinds = SL_CL_I;
	h->pool = sl_chunk_pool_new(h->types, 3, 0);
	h->rel.tag = tag;
	h->rel.ninputs = 1;
	h->rel.inputs = SL_ANEWN(h->a, sl_rel *, 1);
	h->rel.inputs[0] = &h->in;
	h->rel.nfields = 3 + extra;
	h->rel.fields = SL_ANEWN(h->a, sl_field, 3 + extra);
	for (int i = 0; i < 3; i++)
		h->rel.fields[i] = h->in.fields[i];
	for (int i = 3; i < 3 + extra; i++) {
		h->rel.fields[i].name = sl_arena_printf(h->a, "x%d", i);
		h->rel.fields[i].type = T_BIGINT;
	}
	h->rel.rowtime_col = 2;
	h->rel.proctime_col = -1;
	h->rel.win_start_col = h->rel.win_end_col = -1;
	h->rel.nkeys = 1;
	h->rel.keys = SL_ANEWN(h->a, int, 1);
	h->rel.norder = 1;
	{
		int *oc = SL_ANEWN(h->a, int, 1);
		bool *od = SL_ANEWN(h->a, bool, 1);
		oc[0] = ocol;
		od[0] = desc;
		h->rel.order_cols = oc;
		h->rel.order_desc = od;
	}
	h->rel.rank_func = SL_AGG_ROW_NUMBER;
	h->rel.rank_start = 1;
	h->rel.rank_end = 1;
	h->rel.output_rank = tag == T_PRank && extra == 1;
	h->rel.parallelism = 1;
}

static bool
h_open(harness *h, sl_error **errp)
{
	bool (*init)(sl_op *, sl_arena *, sl_error **) =
	    h->rel.tag == T_PRank ? sl_op_init_rank
	    : h->rel.tag == T_PDeduplicate ? sl_op_init_dedup
	                                   : sl_op_init_over_agg;
	h->op.rel = &h->rel;
	h->op.parallelism = 1;
	h->op.index = index_counter++;
	COL_WIRE(h, 1);
	{
		/* the job normally opens the instance's backend (sl_op_state) */
		sl_state_options so;
		char dir[256];
		memset(&so, 0, sizeof so);
		snprintf(dir, sizeof dir, "%s/sluice-0640-%ld-%d",
		         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid(), h->op.index);
		so.local_dir = dir;
		so.maxp = 128;
		so.kg_last = 127;
		if (!(h->op.state = sl_state_open(&so, errp)))
			return false;
	}
	if (!init(&h->op, h->a, errp))
		return false;
	return h->op.ops->open(&h->op, errp);
}

static void
h_free(harness *h)
{
	if (h->op.ops && h->op.ops->close)
		h->op.ops->close(&h->op);
	if (h->op.state)
		sl_state_close(h->op.state);
	sl_chunk_pool_free(h->pool);
	sl_strbuf_free(&h->col.text);
	sl_arena_free(h->a);
}

#define BASE 1767225600000000LL /* 2026-01-01 in microseconds */

/* Push one row (k, v, t seconds) of kind kind. */
static bool
h_row(harness *h, sl_row_kind kind, int64_t k, int64_t v, int t, sl_error **errp)
{
	sl_chunk *c = sl_chunk_pool_get(h->pool);
	uint32_t r = sl_chunk_append_row(c);
	c->kinds[r] = (uint8_t)kind;
	sl_chunk_set_i64(c, 0, r, k);
	sl_chunk_set_i64(c, 1, r, v);
	sl_chunk_set_i64(c, 2, r, BASE + (int64_t)t * 1000000);
	return sl_op_input_chunk(&h->op, 0, c, errp);
}

#define ROW(h, kind, k, v, t) SL_CHECK(h_row((h), (kind), (k), (v), (t), &e))
#define WM(h, secs) SL_CHECK(sl_op_input_watermark(&(h)->op, 0, BASE + (int64_t)(secs) * 1000000, &e))

static const char *
out(harness *h)
{
	return h->col.text.data ? h->col.text.data : "";
}

static void
clear(harness *h)
{
	sl_strbuf_reset(&h->col.text);
}

/* ---- tests ---------------------------------------------------------- */

/* Top-2 by v DESC without the rank number, append-only: a row entering
 * the top pushes the last one out (-D) before it comes in (+I). */
static void
test_topn_no_rank_number(void)
{
	harness h;
	sl_error *e = NULL;
	h_init(&h, T_PRank, 0, 1, true);
	h.rel.rank_end = 2;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, SL_ROW_INSERT, 1, 10, 1);
	ROW(&h, SL_ROW_INSERT, 1, 20, 2);
	SL_CHECK_STR(out(&h), "+I[1, 10, 2026-01-01T00:00:01]\n+I[1, 20, 2026-01-01T00:00:02]\n");
	clear(&h);
	ROW(&h, SL_ROW_INSERT, 1, 5, 3);    /* not in the top 2: nothing */
	ROW(&h, SL_ROW_INSERT, 1, 15, 4);   /* rank 2: 10 leaves */
	SL_CHECK_STR(out(&h), "-D[1, 10, 2026-01-01T00:00:01]\n+I[1, 15, 2026-01-01T00:00:04]\n");
	clear(&h);
	ROW(&h, SL_ROW_INSERT, 1, 15, 5);   /* a tie with rank 2: after it, out */
	SL_CHECK_STR(out(&h), "");
	ROW(&h, SL_ROW_INSERT, 2, 1, 6);    /* another partition */
	SL_CHECK_STR(out(&h), "+I[2, 1, 2026-01-01T00:00:06]\n");
	if (e)
		sl_error_free(e);
	h_free(&h);
}

/* Ranks 2..3 by v ASC over a retracting input, without the rank number:
 * an insert above the range shifts rank 1's row in and rank 3's out; a
 * retraction above it pulls rank 4 in and pushes rank 2 up out. */
static void
test_topn_range_retract(void)
{
	harness h;
	sl_error *e = NULL;
	h_init(&h, T_PRank, 0, 1, false);
	h.in.changelog.kinds = SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D;
	h.rel.rank_start = 2;
	h.rel.rank_end = 3;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, SL_ROW_INSERT, 1, 10, 1);   /* [10] */
	SL_CHECK_STR(out(&h), "");
	ROW(&h, SL_ROW_INSERT, 1, 20, 2);   /* [10 20]: 20 at rank 2 */
	ROW(&h, SL_ROW_INSERT, 1, 30, 3);   /* [10 20 30]: 30 at rank 3 */
	SL_CHECK_STR(out(&h), "+I[1, 20, 2026-01-01T00:00:02]\n+I[1, 30, 2026-01-01T00:00:03]\n");
	clear(&h);
	ROW(&h, SL_ROW_INSERT, 1, 5, 4);    /* [5 10 20 30]: 30 out, 10 in */
	SL_CHECK_STR(out(&h), "-D[1, 30, 2026-01-01T00:00:03]\n+I[1, 10, 2026-01-01T00:00:01]\n");
	clear(&h);
	ROW(&h, SL_ROW_DELETE, 1, 5, 4);    /* [10 20 30]: 10 out, 30 back */
	SL_CHECK_STR(out(&h), "-D[1, 10, 2026-01-01T00:00:01]\n+I[1, 30, 2026-01-01T00:00:03]\n");
	clear(&h);
	ROW(&h, SL_ROW_DELETE, 1, 99, 9);   /* never there: ignored */
	ROW(&h, SL_ROW_UPDATE_BEFORE, 1, 20, 2); /* [10 30] */
	SL_CHECK_STR(out(&h), "-D[1, 20, 2026-01-01T00:00:02]\n");
	clear(&h);
	ROW(&h, SL_ROW_UPDATE_AFTER, 1, 25, 2);  /* [10 25 30] */
	SL_CHECK_STR(out(&h), "+I[1, 25, 2026-01-01T00:00:02]\n");
	if (e)
		sl_error_free(e);
	h_free(&h);
}

/* Keep-first on rowtime: a later (or equally timed) row is dropped; an
 * earlier out-of-order row replaces the kept one (-U/+U), as Flink's
 * RowTimeDeduplicateFunction does. */
static void
test_dedup_keep_first_out_of_order(void)
{
	harness h;
	sl_error *e = NULL;
	h_init(&h, T_PDeduplicate, 0, 2, false);
	h.rel.rank_kind = SL_RANK_DEDUP_FIRST;
	h.rel.changelog.kinds = SL_CL_I | SL_CL_UB | SL_CL_UA;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, SL_ROW_INSERT, 1, 10, 5);
	ROW(&h, SL_ROW_INSERT, 1, 20, 7);   /* later: dropped */
	ROW(&h, SL_ROW_INSERT, 1, 21, 5);   /* same time: dropped */
	SL_CHECK_STR(out(&h), "+I[1, 10, 2026-01-01T00:00:05]\n");
	clear(&h);
	ROW(&h, SL_ROW_INSERT, 1, 30, 3);   /* earlier */
	ROW(&h, SL_ROW_INSERT, 2, 40, 9);   /* another key */
	ROW(&h, SL_ROW_INSERT, 1, 31, 4);   /* between: dropped */
	SL_CHECK_STR(out(&h), "-U[1, 10, 2026-01-01T00:00:05]\n+U[1, 30, 2026-01-01T00:00:03]\n"
	                      "+I[2, 40, 2026-01-01T00:00:09]\n");
	if (e)
		sl_error_free(e);
	h_free(&h);
}

/* Keep-last on rowtime: a row at least as late replaces (-U/+U), an
 * older one is dropped. */
static void
test_dedup_keep_last(void)
{
	harness h;
	sl_error *e = NULL;
	h_init(&h, T_PDeduplicate, 0, 2, true);
	h.rel.rank_kind = SL_RANK_DEDUP_LAST;
	h.rel.changelog.kinds = SL_CL_I | SL_CL_UB | SL_CL_UA;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, SL_ROW_INSERT, 1, 10, 5);
	ROW(&h, SL_ROW_INSERT, 1, 20, 5);   /* same time: replaces */
	ROW(&h, SL_ROW_INSERT, 1, 30, 4);   /* older: dropped */
	SL_CHECK_STR(out(&h), "+I[1, 10, 2026-01-01T00:00:05]\n-U[1, 10, 2026-01-01T00:00:05]\n"
	                      "+U[1, 20, 2026-01-01T00:00:05]\n");
	if (e)
		sl_error_free(e);
	h_free(&h);
}

/* Rowtime OVER (ROWS 1 PRECEDING, SUM(v)): rows wait for the watermark,
 * come out in time order whatever their arrival order; a row at or behind
 * the watermark is late and dropped. */
static void
test_over_rowtime_late(void)
{
	harness h;
	sl_error *e = NULL;
	h_init(&h, T_POverAggregate, 1, 2, false);
	h.rel.over_rows = true;
	h.rel.over_preceding = 1;
	h.rel.naggs = 1;
	h.rel.aggs = SL_ANEWN(h.a, sl_aggcall, 1);
	h.rel.aggs[0].kind = SL_AGG_SUM;
	h.rel.aggs[0].name = "SUM";
	h.rel.aggs[0].nargs = 1;
	{
		int *args = SL_ANEWN(h.a, int, 1);
		args[0] = 1;
		h.rel.aggs[0].args = args;
	}
	h.rel.aggs[0].filter_col = -1;
	h.rel.aggs[0].type = T_BIGINT;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, SL_ROW_INSERT, 1, 10, 2);
	ROW(&h, SL_ROW_INSERT, 1, 20, 1);   /* out of order, not late */
	SL_CHECK_STR(out(&h), "");
	WM(&h, 2);
	SL_CHECK_STR(out(&h), "+I[1, 20, 2026-01-01T00:00:01, 20]\n+I[1, 10, 2026-01-01T00:00:02, 30]\n");
	clear(&h);
	ROW(&h, SL_ROW_INSERT, 1, 99, 2);   /* at the watermark: late */
	ROW(&h, SL_ROW_INSERT, 1, 5, 3);
	WM(&h, 10);
	SL_CHECK_STR(out(&h), "+I[1, 5, 2026-01-01T00:00:03, 15]\n");
	if (e)
		sl_error_free(e);
	h_free(&h);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	T_BIGINT = sl_rt_type(SL_TYPE_BIGINT);
	T_TS = sl_rt_type(SL_TYPE_TIMESTAMP);
	SL_RUN(test_topn_no_rank_number);
	SL_RUN(test_topn_range_retract);
	SL_RUN(test_dedup_keep_first_out_of_order);
	SL_RUN(test_dedup_keep_last);
	SL_RUN(test_over_rowtime_late);
	return SL_TEST_MAIN_END();
}
