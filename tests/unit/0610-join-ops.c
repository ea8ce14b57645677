/*
 * 0610-join-ops.c
 *	  The join operators driven directly (no job): rows pushed on ports 0
 *	  and 1, watermarks through the framework (sl_op_input_*), the output
 *	  collected by a downstream operator and printed in Flink's format.
 *	  Covers what end-to-end tests cannot reach deterministically: the
 *	  event-time temporal join (versions, deletes, LEFT padding, NULL keys,
 *	  emission only when the watermark passes), regular-join state TTL
 *	  expiry, the exact retraction sequence of LEFT, RIGHT and FULL joins,
 *	  the interval join's expiry, padding, held-back watermark and late
 *	  rows, the processing-time interval join on a hand-moved clock (and
 *	  through a checkpoint and restore), and (one input, same harness) a GroupAggregate's state TTL
 *	  and a LocalGroupAggregate's mini-batch latency timer.
 */
#include "test.h"
#include "tests/unit/0600-collector.h"

#include "runtime/op.h"
#include "runtime/expr.h"
#include "state/state.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>

static const sl_type *T_BIGINT, *T_TS;

#define BASE_US 1767225600000000LL /* processing time 2026-01-01T00:00 */


/* ---- building a join over two inputs -------------------------------- */
typedef struct harness {
	sl_arena *a;
	sl_rel in[2], join;
	sl_op op, sink;
	sl_op_edge edge;
	collector col;
	int64_t pwm[2], swm[1];
	int64_t pwm_seen[2], swm_seen[1]; /* newest real watermark per port */
	bool pend[2], send[1];
	sl_chunk_pool *pool[2];
	const sl_type **types[2];
	int64_t now_ms;                   /* the state's TTL clock (fake_clock) */
	const char *restore_dir;          /* h_open restores this checkpoint, or NULL */
} harness;

/* TTL time for the harness's state backend: the test moves h->now_ms, so
 * expiry does not depend on how fast a loaded machine runs the test. */
static int64_t
fake_clock(void *ctx)
{
	return ((const harness *)ctx)->now_ms;
}

static int index_counter = 9000;

/* Inputs: left (types lt), right (rt); output = left ++ right; key =
 * column 0 of each side. */
static void
h_init(harness *h, int tag, sl_join_type jt, const sl_type *const *lt, int nl, const sl_type *const *rt,
       int nr)
{
	memset(h, 0, sizeof *h);
	h->a = sl_arena_new(NULL, "test");
	for (int s = 0; s < 2; s++) {
		int n = s ? nr : nl;
		const sl_type *const *t = s ? rt : lt;
		h->in[s].nfields = n;
		h->in[s].fields = SL_ANEWN(h->a, sl_field, n);
		h->types[s] = SL_ANEWN(h->a, const sl_type *, n);
		for (int i = 0; i < n; i++) {
			h->in[s].fields[i].name = sl_arena_printf(h->a, "c%d_%d", s, i);
			h->in[s].fields[i].type = t[i];
			h->types[s][i] = t[i];
		}
		h->in[s].rowtime_col = h->in[s].proctime_col = -1;
		h->pool[s] = sl_chunk_pool_new(h->types[s], n, 0);
	}
	h->join.tag = tag;
	h->join.ninputs = 2;
	h->join.inputs = SL_ANEWN(h->a, sl_rel *, 2);
	h->join.inputs[0] = &h->in[0];
	h->join.inputs[1] = &h->in[1];
	h->join.nfields = nl + nr;
	h->join.fields = SL_ANEWN(h->a, sl_field, nl + nr);
	for (int i = 0; i < nl; i++)
		h->join.fields[i] = h->in[0].fields[i];
	for (int i = 0; i < nr; i++)
		h->join.fields[nl + i] = h->in[1].fields[i];
	h->join.join_type = jt;
	h->join.left_time_col = h->join.right_time_col = -1;
	h->join.win_start_col = h->join.win_end_col = h->join.rwin_start_col = h->join.rwin_end_col = -1;
	h->join.rowtime_col = h->join.proctime_col = -1;
	/* key: column 0 of both sides */
	h->join.nkeys = h->join.nrkeys = 1;
	h->join.keys = SL_ANEWN(h->a, int, 1);
	h->join.rkeys = SL_ANEWN(h->a, int, 1);
	h->join.parallelism = 1;
}

static bool
h_open(harness *h, sl_error **errp)
{
	bool (*init)(sl_op *, sl_arena *, sl_error **) =
	    h->join.tag == T_PGroupAggregate ? sl_op_init_group_agg
	    : h->join.tag == T_PLocalGroupAggregate ? sl_op_init_local_agg
	    : h->join.tag == T_PJoin ? sl_op_init_join
	    : h->join.tag == T_PIntervalJoin ? sl_op_init_interval_join
	    : h->join.tag == T_PWindowJoin ? sl_op_init_window_join
	                                   : sl_op_init_temporal_join;
	h->op.rel = &h->join;
	h->op.subtask = 0;
	h->op.parallelism = 1;
	h->op.index = index_counter++;
	COL_WIRE(h, h->join.ninputs);
	h->col.wm = INT64_MIN;
	{
		/* the job normally opens the instance's backend (sl_op_state) */
		sl_state_options so;
		char dir[256];
		memset(&so, 0, sizeof so);
		snprintf(dir, sizeof dir, "%s/sluice-0610-%ld-%d", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		         (long)getpid(), h->op.index);
		so.local_dir = dir;
		so.maxp = 128;
		so.kg_first = 0;
		so.kg_last = 127;
		so.clock = fake_clock;
		so.clock_ctx = h;
		so.restore_dir = h->restore_dir;
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
	for (int s = 0; s < 2; s++)
		sl_chunk_pool_free(h->pool[s]);
	sl_strbuf_free(&h->col.text);
	sl_arena_free(h->a);
}

/* A value spec: "" = NULL, else an integer (BIGINT) or seconds (TS). */
static void
set_val(sl_chunk *c, int col, uint32_t r, const char *v)
{
	if (!v) {
		sl_chunk_set_null(c, col, r);
		return;
	}
	if (c->cols[col]->type->kind == SL_TYPE_TIMESTAMP)
		sl_chunk_set_i64(c, col, r, 1767225600000000LL + (int64_t)(atof(v) * 1e6)); /* 2026-01-01 */
	else
		sl_chunk_set_i64(c, col, r, atoll(v));
}

/* Push one row of kind k on port s; vals has the side's nfields entries. */
static bool
h_row(harness *h, int s, sl_row_kind k, const char *const *vals, sl_error **errp)
{
	sl_chunk *c = sl_chunk_pool_get(h->pool[s]);
	uint32_t r = sl_chunk_append_row(c);
	c->kinds[r] = (uint8_t)k;
	for (int i = 0; i < h->in[s].nfields; i++)
		set_val(c, i, r, vals[i]);
	return sl_op_input_chunk(&h->op, s, c, errp);
}

#define ROW(h, s, k, ...) SL_CHECK(h_row((h), (s), (k), (const char *const[]){__VA_ARGS__}, &e))
#define WM(h, s, secs) \
	SL_CHECK(sl_op_input_watermark(&(h)->op, (s), 1767225600000000LL + (int64_t)((secs) * 1e6), &e))

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

/* LEFT join: padded row, retracted (-D) by its first match, re-emitted (+I)
 * when the last match is retracted. */
static void
test_left_join_retractions(void)
{
	harness h;
	sl_error *e = NULL;
	const sl_type *lt[2] = {T_BIGINT, T_BIGINT}, *rt[2] = {T_BIGINT, T_BIGINT};
	h_init(&h, T_PJoin, SL_JT_LEFT, lt, 2, rt, 2);
	h.in[1].changelog.kinds = SL_CL_I | SL_CL_D;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, 0, SL_ROW_INSERT, "1", "10");
	SL_CHECK_STR(out(&h), "+I[1, 10, null, null]\n");
	clear(&h);
	ROW(&h, 1, SL_ROW_INSERT, "1", "100");
	SL_CHECK_STR(out(&h), "-D[1, 10, null, null]\n+I[1, 10, 1, 100]\n");
	clear(&h);
	ROW(&h, 1, SL_ROW_INSERT, "1", "200");
	SL_CHECK_STR(out(&h), "+I[1, 10, 1, 200]\n");
	clear(&h);
	ROW(&h, 1, SL_ROW_DELETE, "1", "100");
	SL_CHECK_STR(out(&h), "-D[1, 10, 1, 100]\n");
	clear(&h);
	ROW(&h, 1, SL_ROW_DELETE, "1", "200");
	SL_CHECK_STR(out(&h), "-D[1, 10, 1, 200]\n+I[1, 10, null, null]\n");
	clear(&h);
	/* a NULL key never matches, and is padded at once */
	ROW(&h, 0, SL_ROW_INSERT, NULL, "11");
	ROW(&h, 1, SL_ROW_INSERT, NULL, "300");
	SL_CHECK_STR(out(&h), "+I[null, 11, null, null]\n");
	if (e)
		sl_error_free(e);
	h_free(&h);
}

/* RIGHT join: the mirror of LEFT (a right row padded on the left is
 * retracted by its first left match); FULL pads and retracts both ways. */
static void
test_right_full_join_retractions(void)
{
	for (int full = 0; full < 2; full++) {
		harness h;
		sl_error *e = NULL;
		const sl_type *lt[2] = {T_BIGINT, T_BIGINT}, *rt[2] = {T_BIGINT, T_BIGINT};
		h_init(&h, T_PJoin, full ? SL_JT_FULL : SL_JT_RIGHT, lt, 2, rt, 2);
		h.in[0].changelog.kinds = SL_CL_I | SL_CL_D;
		SL_CHECK(h_open(&h, &e));
		ROW(&h, 1, SL_ROW_INSERT, "1", "100");
		SL_CHECK_STR(out(&h), "+I[null, null, 1, 100]\n");
		clear(&h);
		ROW(&h, 0, SL_ROW_INSERT, "1", "10");      /* the late match */
		SL_CHECK_STR(out(&h), "-D[null, null, 1, 100]\n+I[1, 10, 1, 100]\n");
		clear(&h);
		ROW(&h, 0, SL_ROW_INSERT, "1", "20");
		SL_CHECK_STR(out(&h), "+I[1, 20, 1, 100]\n");
		clear(&h);
		ROW(&h, 0, SL_ROW_DELETE, "1", "10");
		SL_CHECK_STR(out(&h), "-D[1, 10, 1, 100]\n");
		clear(&h);
		ROW(&h, 0, SL_ROW_DELETE, "1", "20");      /* the last match goes: padded again */
		SL_CHECK_STR(out(&h), "-D[1, 20, 1, 100]\n+I[null, null, 1, 100]\n");
		clear(&h);
		/* a left row without a match: dropped by RIGHT, padded by FULL */
		ROW(&h, 0, SL_ROW_INSERT, "2", "30");
		SL_CHECK_STR(out(&h), full ? "+I[2, 30, null, null]\n" : "");
		clear(&h);
		ROW(&h, 1, SL_ROW_INSERT, "2", "200");
		SL_CHECK_STR(out(&h), full ? "-D[2, 30, null, null]\n+I[2, 30, 2, 200]\n"
		                           : "+I[2, 30, 2, 200]\n");
		if (e)
			sl_error_free(e);
		h_free(&h);
	}
}

/* SEMI and ANTI: left columns only; a left row enters (SEMI) or leaves
 * (ANTI) the output when its first match arrives, and the reverse when
 * the last match goes. */
static void
test_semi_anti(void)
{
	for (int anti = 0; anti < 2; anti++) {
		harness h;
		sl_error *e = NULL;
		const sl_type *lt[2] = {T_BIGINT, T_BIGINT}, *rt[2] = {T_BIGINT, T_BIGINT};
		h_init(&h, T_PJoin, anti ? SL_JT_ANTI : SL_JT_SEMI, lt, 2, rt, 2);
		h.join.nfields = 2;         /* the left columns */
		h.in[1].changelog.kinds = SL_CL_I | SL_CL_D;
		SL_CHECK(h_open(&h, &e));
		ROW(&h, 0, SL_ROW_INSERT, "1", "10");
		SL_CHECK_STR(out(&h), anti ? "+I[1, 10]\n" : "");
		clear(&h);
		ROW(&h, 1, SL_ROW_INSERT, "1", "100");
		SL_CHECK_STR(out(&h), anti ? "-D[1, 10]\n" : "+I[1, 10]\n");
		clear(&h);
		ROW(&h, 1, SL_ROW_INSERT, "1", "200");  /* a second match: no change */
		ROW(&h, 1, SL_ROW_DELETE, "1", "100");
		SL_CHECK_STR(out(&h), "");
		ROW(&h, 1, SL_ROW_DELETE, "1", "200");
		SL_CHECK_STR(out(&h), anti ? "+I[1, 10]\n" : "-D[1, 10]\n");
		clear(&h);
		ROW(&h, 0, SL_ROW_INSERT, NULL, "11");  /* a NULL key never matches */
		SL_CHECK_STR(out(&h), anti ? "+I[null, 11]\n" : "");
		if (e)
			sl_error_free(e);
		h_free(&h);
	}
}

/* table.exec.state.ttl: a row idle longer than the TTL is gone. */
static void
test_join_state_ttl(void)
{
	harness h;
	sl_error *e = NULL;
	const sl_type *lt[2] = {T_BIGINT, T_BIGINT}, *rt[2] = {T_BIGINT, T_BIGINT};
	h_init(&h, T_PJoin, SL_JT_INNER, lt, 2, rt, 2);
	h.now_ms = 1000000;
	h.join.state_ttl_ms = 50;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, 1, SL_ROW_INSERT, "1", "100");
	ROW(&h, 0, SL_ROW_INSERT, "1", "10");
	SL_CHECK_STR(out(&h), "+I[1, 10, 1, 100]\n");
	clear(&h);
	h.now_ms += 49;
	ROW(&h, 0, SL_ROW_INSERT, "1", "30");   /* 49 ms later: still there */
	SL_CHECK_STR(out(&h), "+I[1, 30, 1, 100]\n");
	clear(&h);
	h.now_ms += 151;
	ROW(&h, 0, SL_ROW_INSERT, "1", "20");   /* the right row expired */
	SL_CHECK_STR(out(&h), "");
	ROW(&h, 1, SL_ROW_INSERT, "1", "101");  /* the left row "20" is fresh */
	SL_CHECK_STR(out(&h), "+I[1, 20, 1, 101]\n");
	if (e)
		sl_error_free(e);
	h_free(&h);
}

/* The STATE_TTL hint: a TTL on the left input only; the right input's
 * rows stay (table.exec.state.ttl is 0 here). */
static void
test_join_hint_ttl(void)
{
	harness h;
	sl_error *e = NULL;
	const sl_type *lt[2] = {T_BIGINT, T_BIGINT}, *rt[2] = {T_BIGINT, T_BIGINT};
	h_init(&h, T_PJoin, SL_JT_INNER, lt, 2, rt, 2);
	h.now_ms = 1000000;
	h.join.hint_ttl_ms[0] = 50;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, 1, SL_ROW_INSERT, "1", "100");
	ROW(&h, 0, SL_ROW_INSERT, "1", "10");
	SL_CHECK_STR(out(&h), "+I[1, 10, 1, 100]\n");
	clear(&h);
	h.now_ms += 200;
	ROW(&h, 1, SL_ROW_INSERT, "1", "101");  /* the left row "10" expired */
	SL_CHECK_STR(out(&h), "");
	ROW(&h, 0, SL_ROW_INSERT, "1", "20");   /* both right rows are kept */
	SL_CHECK_STR(out(&h), "+I[1, 20, 1, 100]\n+I[1, 20, 1, 101]\n");
	if (e)
		sl_error_free(e);
	h_free(&h);
}

/* One input (BIGINT k, BIGINT v) into a (Local)GroupAggregate of
 * COUNT(*) per k; its second output column is named name, of type t
 * (NULL: the Local's $acc bytes). */
static void
h_init_count(harness *h, int tag, const char *name, const sl_type *t)
{
	const sl_type *lt[2] = {T_BIGINT, T_BIGINT}, *rt[1] = {T_BIGINT};
	static const int keys[1] = {0};
	sl_aggcall *count;
	h_init(h, tag, SL_JT_INNER, lt, 2, rt, 1);
	h->join.ninputs = 1;
	h->join.nkeys = 1;
	h->join.keys = keys;
	count = SL_ANEW(h->a, sl_aggcall);
	count->kind = SL_AGG_COUNT_STAR;
	count->name = "COUNT";
	count->filter_col = -1;
	count->type = T_BIGINT;
	h->join.naggs = 1;
	h->join.aggs = count;
	h->join.nfields = 2;
	h->join.fields[1].name = name;
	h->join.fields[1].type = t ? t : sl_type_new_bytes(h->a, SL_VARCHAR_MAX);
}

/* GroupAggregate (one input, the same harness) with a STATE_TTL hint: a
 * group idle longer than the TTL is forgotten, so its next row starts it
 * anew (+I, count 1), as Flink's state retention does; a group written
 * within the TTL keeps counting (-U/+U). */
static void
test_group_agg_ttl(void)
{
	harness h;
	sl_error *e = NULL;
	h_init_count(&h, T_PGroupAggregate, "c", T_BIGINT);
	h.join.hint_ttl_ms[0] = 50;
	h.now_ms = 1000000;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, 0, SL_ROW_INSERT, "1", "10");
	ROW(&h, 0, SL_ROW_INSERT, "2", "10");
	h.now_ms += 30;
	ROW(&h, 0, SL_ROW_INSERT, "1", "11");   /* within the TTL: counts on */
	SL_CHECK_STR(out(&h), "+I[1, 1]\n+I[2, 1]\n-U[1, 1]\n+U[1, 2]\n");
	clear(&h);
	h.now_ms += 40;                          /* 70 ms after group 2's write, 40 after 1's */
	ROW(&h, 0, SL_ROW_INSERT, "2", "12");   /* group 2 expired: starts anew */
	ROW(&h, 0, SL_ROW_INSERT, "1", "13");
	SL_CHECK_STR(out(&h), "+I[2, 1]\n-U[1, 2]\n+U[1, 3]\n");
	if (e)
		sl_error_free(e);
	h_free(&h);
}

/* LocalGroupAggregate with mini-batch and an allow-latency bound: the
 * batch waits for more rows, and goes out when processing time passes the
 * bound even if no row comes to check it (the worker loop's
 * sl_op_proctime_advance; here a hand-moved clock). */
static void
test_local_agg_latency(void)
{
	harness h;
	sl_error *e = NULL;
	h_init_count(&h, T_PLocalGroupAggregate, "$acc", NULL);
	h.join.minibatch = true;
	h.join.minibatch_size = 1000;
	h.join.minibatch_latency_ms = 200;
	h.op.proc_manual = true;
	h.op.proc_now = BASE_US;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, 0, SL_ROW_INSERT, "1", "10");
	ROW(&h, 0, SL_ROW_INSERT, "1", "11");
	ROW(&h, 0, SL_ROW_INSERT, "2", "12");
	SL_CHECK_STR(out(&h), "");                  /* batched */
	SL_CHECK(sl_op_proctime_advance(&h.op, BASE_US + 199000, &e));
	SL_CHECK_STR(out(&h), "");                  /* bound not reached */
	SL_CHECK(sl_op_proctime_advance(&h.op, BASE_US + 200000, &e));
	{
		/* two partials, keys 1 and 2, whatever their bytes print as */
		const char *o = out(&h);
		int lines = 0;
		for (; *o; o++)
			lines += *o == '\n';
		SL_CHECK_INT(lines, 2);
		SL_CHECK(strncmp(out(&h), "+I[1, ", 6) == 0);
	}
	SL_CHECK(h.op.proc_next == INT64_MAX);      /* nothing waits */
	if (e)
		sl_error_free(e);
	h_free(&h);
}

/* Event-time temporal join: a probe row joins the version valid at its
 * time, once the watermark passes it; deletes end a version. */
static void
test_temporal_join(void)
{
	harness h;
	sl_error *e = NULL;
	const sl_type *lt[3] = {T_BIGINT, T_BIGINT, T_TS}, *rt[3] = {T_BIGINT, T_BIGINT, T_TS};
	h_init(&h, T_PTemporalJoin, SL_JT_LEFT, lt, 3, rt, 3);
	h.join.left_time_col = 2;
	h.in[1].rowtime_col = 2;
	SL_CHECK(h_open(&h, &e));
	/* versions of key 1: 100 from t=0, 110 from t=10, deleted at t=20 */
	ROW(&h, 1, SL_ROW_INSERT, "1", "100", "0");
	ROW(&h, 1, SL_ROW_UPDATE_BEFORE, "1", "100", "10");
	ROW(&h, 1, SL_ROW_UPDATE_AFTER, "1", "110", "10");
	ROW(&h, 1, SL_ROW_DELETE, "1", "110", "20");
	/* probes */
	ROW(&h, 0, SL_ROW_INSERT, "1", "7", "5");
	ROW(&h, 0, SL_ROW_INSERT, "1", "8", "10");
	ROW(&h, 0, SL_ROW_INSERT, "1", "9", "25");
	ROW(&h, 0, SL_ROW_INSERT, "2", "6", "5");
	ROW(&h, 0, SL_ROW_INSERT, NULL, "5", "5");
	SL_CHECK_STR(out(&h), "+I[null, 5, 2026-01-01T00:00:05, null, null, null]\n");
	clear(&h);
	WM(&h, 0, 9);
	SL_CHECK_STR(out(&h), "");             /* the version side holds time back */
	WM(&h, 1, 9);
	SL_CHECK_STR(out(&h), "+I[1, 7, 2026-01-01T00:00:05, 1, 100, 2026-01-01T00:00]\n"
	                      "+I[2, 6, 2026-01-01T00:00:05, null, null, null]\n");
	clear(&h);
	WM(&h, 0, 100);
	WM(&h, 1, 100);
	SL_CHECK_STR(out(&h), "+I[1, 8, 2026-01-01T00:00:10, 1, 110, 2026-01-01T00:00:10]\n"
	                      "+I[1, 9, 2026-01-01T00:00:25, null, null, null]\n");
	SL_CHECK(h.col.wm == 1767225600000000LL + 100000000LL);
	if (e)
		sl_error_free(e);
	h_free(&h);
}

/* Interval join: rows behind the watermark are late (counted, not kept);
 * an unmatched LEFT row is padded when its range ends. */
static void
test_interval_join_expiry(void)
{
	harness h;
	sl_error *e = NULL;
	const sl_type *lt[2] = {T_BIGINT, T_TS}, *rt[2] = {T_BIGINT, T_TS};
	h_init(&h, T_PIntervalJoin, SL_JT_LEFT, lt, 2, rt, 2);
	h.join.left_time_col = 1;
	h.join.right_time_col = 1;
	h.join.lower_us = 0;            /* r.t - l.t in [0, 2 s] */
	h.join.upper_us = 2000000;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, 0, SL_ROW_INSERT, "1", "10");
	ROW(&h, 0, SL_ROW_INSERT, "2", "10");
	ROW(&h, 1, SL_ROW_INSERT, "1", "11");
	SL_CHECK_STR(out(&h), "+I[1, 2026-01-01T00:00:10, 1, 2026-01-01T00:00:11]\n");
	clear(&h);
	WM(&h, 0, 11.5);
	WM(&h, 1, 11.5);
	SL_CHECK_STR(out(&h), "");              /* key 2's range [10, 12] is open */
	WM(&h, 0, 12);
	WM(&h, 1, 12);
	SL_CHECK_STR(out(&h), "+I[2, 2026-01-01T00:00:10, null, null]\n");
	/* output watermark held back by the 2 s interval */
	SL_CHECK(h.col.wm == 1767225600000000LL + 10000000LL);
	clear(&h);
	/* a right row whose whole range is behind the watermark is late */
	ROW(&h, 1, SL_ROW_INSERT, "2", "9");
	SL_CHECK_STR(out(&h), "");
	if (e)
		sl_error_free(e);
	h_free(&h);
}

/* Processing-time interval join (both time attributes PROCTIME()): a
 * row's time is the operator's clock when it arrives (the column's value,
 * NULL here, is not used); a cached row expires, and on an outer side is
 * padded, only when processing time passes its range end; rows arriving
 * in the range end's millisecond still match; end of input pads what is
 * left. FULL join, r.t - l.t in [-1 s, 2 s]. */
static void
test_interval_join_proctime(void)
{
	harness h;
	sl_error *e = NULL;
	sl_arena *ta = sl_arena_new(NULL, "proctime type");
	const sl_type *pt = sl_type_with_time_attr(ta, T_TS, SL_TIME_ATTR_PROCTIME);
	const sl_type *lt[3] = {T_BIGINT, T_BIGINT, pt}, *rt[3] = {T_BIGINT, T_BIGINT, pt};
#define AT_MS(ms) SL_CHECK(sl_op_proctime_advance(&h.op, BASE_US + (int64_t)(ms) * 1000, &e))
	h_init(&h, T_PIntervalJoin, SL_JT_FULL, lt, 3, rt, 3);
	h.join.left_time_col = 2;
	h.join.right_time_col = 2;
	h.join.lower_us = -1000000;
	h.join.upper_us = 2000000;
	h.op.proc_manual = true;
	h.op.proc_now = BASE_US;
	SL_CHECK(h_open(&h, &e));
	SL_CHECK(h.op.proc_next == INT64_MAX);
	ROW(&h, 0, SL_ROW_INSERT, "1", "10", NULL);   /* t 0: matches right t in [-1 s, 2 s] */
	ROW(&h, 1, SL_ROW_INSERT, "2", "20", NULL);   /* t 0: matches left t in [-2 s, 1 s] */
	SL_CHECK_STR(out(&h), "");                    /* outer rows wait for their range end */
	SL_CHECK(h.op.proc_next == BASE_US + 1000000 + 1);
	AT_MS(500);
	ROW(&h, 1, SL_ROW_INSERT, "1", "30", NULL);   /* t 0.5 s */
	SL_CHECK_STR(out(&h), "+I[1, 10, null, 1, 30, null]\n");
	clear(&h);
	AT_MS(1000);
	SL_CHECK_STR(out(&h), "");                    /* right key 2's range ends at 1 s: not yet */
	AT_MS(1001);
	SL_CHECK_STR(out(&h), "+I[null, null, null, 2, 20, null]\n");
	clear(&h);
	SL_CHECK(h.op.proc_next == BASE_US + 1500000 + 1);
	AT_MS(2000);                                  /* right t 0.5 s expires: it matched */
	SL_CHECK_STR(out(&h), "");
	ROW(&h, 1, SL_ROW_INSERT, "1", "40", NULL);   /* t 2 s: the left row's last ms */
	SL_CHECK_STR(out(&h), "+I[1, 10, null, 1, 40, null]\n");
	clear(&h);
	AT_MS(2001);                                  /* the left row expires (matched) */
	ROW(&h, 1, SL_ROW_INSERT, "1", "50", NULL);   /* t 2.001 s: the left row is gone */
	SL_CHECK_STR(out(&h), "");
	AT_MS(2500);
	ROW(&h, 0, SL_ROW_INSERT, "1", "60", NULL);   /* t 2.5 s: right t in [1.5 s, 4.5 s] */
	SL_CHECK_STR(out(&h), "+I[1, 60, null, 1, 40, null]\n+I[1, 60, null, 1, 50, null]\n");
	clear(&h);
	ROW(&h, 0, SL_ROW_INSERT, "3", "70", NULL);   /* never matched */
	AT_MS(4000);
	SL_CHECK_STR(out(&h), "");
	SL_CHECK(sl_op_input_end(&h.op, 0, &e) && sl_op_input_end(&h.op, 1, &e));
	SL_CHECK_STR(out(&h), "+I[3, 70, null, null, null, null]\n");  /* end of input */
	SL_CHECK(h.op.proc_next == INT64_MAX);
#undef AT_MS
	if (e)
		sl_error_free(e);
	h_free(&h);
	sl_arena_free(ta);
}

/* The processing-time interval join through a checkpoint: the cached rows
 * and their processing-time timers come back (proc_next), a restored row
 * still joins, and a restored outer row is padded when its timer fires. */
static void
test_interval_join_proctime_restore(void)
{
	harness h;
	sl_error *e = NULL;
	sl_arena *ta = sl_arena_new(NULL, "proctime type");
	const sl_type *pt = sl_type_with_time_attr(ta, T_TS, SL_TIME_ATTR_PROCTIME);
	const sl_type *lt[3] = {T_BIGINT, T_BIGINT, pt}, *rt[3] = {T_BIGINT, T_BIGINT, pt};
	char base[256], *ckdir = NULL;
	sl_ck_storage *ck;
	sl_ck_task_info info;
	sl_state_snapshot *snap;
	snprintf(base, sizeof base, "%s/sluice-0610-ck-%ld", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
	         (long)getpid());
	ck = sl_ck_storage_open(base, "job", &e);
	SL_CHECK(ck != NULL);
	h_init(&h, T_PIntervalJoin, SL_JT_FULL, lt, 3, rt, 3);
	h.join.left_time_col = 2;
	h.join.right_time_col = 2;
	h.join.lower_us = -1000000;     /* r.t - l.t in [-1 s, 2 s] */
	h.join.upper_us = 2000000;
	h.op.proc_manual = true;
	h.op.proc_now = BASE_US;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, 0, SL_ROW_INSERT, "1", "10", NULL);   /* cached until 2 s */
	ROW(&h, 1, SL_ROW_INSERT, "2", "20", NULL);   /* cached until 1 s */
	snap = sl_state_snapshot_take(h.op.state, 1, &e);
	SL_CHECK(snap && sl_state_snapshot_upload(snap, ck, 0, false, &info, &e));
	if (snap)
		sl_state_snapshot_free(snap);
	SL_CHECK(sl_ck_storage_commit(ck, 1, false, 128, &info, 1, &e));
	SL_CHECK_STR(out(&h), "");
	/* a new instance from checkpoint 1 */
	h.op.ops->close(&h.op);
	sl_state_close(h.op.state);
	h.op.state = NULL;
	ckdir = sl_ck_storage_dir(ck, 1, false);
	h.restore_dir = ckdir;
	h.op.proc_next = 0;
	SL_CHECK(h_open(&h, &e));
	SL_CHECK(h.op.proc_next == BASE_US + 1000000 + 1);   /* right key 2's timer */
	SL_CHECK(sl_op_proctime_advance(&h.op, BASE_US + 500000, &e));
	ROW(&h, 1, SL_ROW_INSERT, "1", "30", NULL);   /* joins the restored left row */
	SL_CHECK_STR(out(&h), "+I[1, 10, null, 1, 30, null]\n");
	clear(&h);
	SL_CHECK(sl_op_proctime_advance(&h.op, BASE_US + 1001000, &e));
	SL_CHECK_STR(out(&h), "+I[null, null, null, 2, 20, null]\n");
	clear(&h);
	SL_CHECK(sl_op_input_end(&h.op, 0, &e) && sl_op_input_end(&h.op, 1, &e));
	SL_CHECK_STR(out(&h), "");                    /* the rest matched */
	if (e) {
		printf("#   %s\n", e->message);
		sl_error_free(e);
	}
	free(ckdir);
	h_free(&h);
	sl_arena_free(ta);
	sl_ck_storage_free(ck);
	{
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
		if (system(cmd) != 0)
			printf("#   could not remove %s\n", base);
	}
}

/* Window join: a window's rows are joined when the watermark passes its
 * end; a row for a window that already fired is late (dropped). */
static void
test_window_join_late(void)
{
	harness h;
	sl_error *e = NULL;
	const sl_type *lt[2] = {T_BIGINT, T_TS}, *rt[2] = {T_BIGINT, T_TS};
	h_init(&h, T_PWindowJoin, SL_JT_LEFT, lt, 2, rt, 2);
	h.join.win_end_col = 1;         /* column 1 of each side is window_end */
	h.join.rwin_end_col = 1;
	SL_CHECK(h_open(&h, &e));
	ROW(&h, 0, SL_ROW_INSERT, "1", "10");
	ROW(&h, 0, SL_ROW_INSERT, "2", "10");
	ROW(&h, 1, SL_ROW_INSERT, "1", "10");
	ROW(&h, 1, SL_ROW_INSERT, "1", "20");
	WM(&h, 0, 9);
	WM(&h, 1, 9);
	SL_CHECK_STR(out(&h), "");
	WM(&h, 0, 10);
	WM(&h, 1, 10);
	SL_CHECK_STR(out(&h), "+I[1, 2026-01-01T00:00:10, 1, 2026-01-01T00:00:10]\n"
	                      "+I[2, 2026-01-01T00:00:10, null, null]\n");
	clear(&h);
	ROW(&h, 0, SL_ROW_INSERT, "1", "10");   /* late: window 10 fired */
	WM(&h, 0, 30);
	WM(&h, 1, 30);
	SL_CHECK_STR(out(&h), "");              /* window 20: no left row */
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
	SL_RUN(test_left_join_retractions);
	SL_RUN(test_semi_anti);
	SL_RUN(test_join_state_ttl);
	SL_RUN(test_join_hint_ttl);
	SL_RUN(test_right_full_join_retractions);
	SL_RUN(test_group_agg_ttl);
	SL_RUN(test_local_agg_latency);
	SL_RUN(test_temporal_join);
	SL_RUN(test_interval_join_expiry);
	SL_RUN(test_interval_join_proctime);
	SL_RUN(test_interval_join_proctime_restore);
	SL_RUN(test_window_join_late);
	return SL_TEST_MAIN_END();
}
