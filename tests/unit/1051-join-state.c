/*
 * 1051-join-state.c
 *	  How the regular join keeps its state (runtime/op_join.c): spill
 *	  chunks and blind appends, and the watermark-derived state retention
 *	  (planner/physical.c "Watermark-derived join state retention",
 *	  runtime/op_join.c "Watermark sweep"):
 *	  - the planner derives it for Nexmark q7 (bids kept while dateTime >
 *	    watermark(max-price side) - 10 s) and for window_start/window_time
 *	    bounds with their margins, and not for LEFT joins, rowtime-only
 *	    bounds (q4/q9: late rows are not dropped there), processing-time
 *	    windows, window TVF columns (not aggregated: nothing is late) or
 *	    with an idle timeout set;
 *	  - q7's planned Join operator, driven directly with chosen watermarks
 *	    per port (the harness below), emits exactly what the unbounded
 *	    join would: out-of-order and late bids that can still match a
 *	    stored window maximum are joined, a bid exactly at window_end - 10 s
 *	    is kept until the window ending 10 s later can no longer come,
 *	    while bids that no future window can match are dropped from the
 *	    state by the sweep (counted in the state itself) or never stored;
 *	  - one hot key's rows past its 4 KB list go to 16 KB spill chunks
 *	    (several, numbered per key), evicted from a tiny cache, and a probe
 *	    reads every one back; a side stored far more than probed, whose
 *	    appends miss the cache, switches to blind one-row chunks, and a
 *	    probe finds its list rows, chunked rows and blind rows; both after
 *	    a snapshot and a restore into a new instance too (the blind switch
 *	    and the chunk numbers are state).
 */
#include "tests/unit/0200-planner-test.h"
#include "tests/unit/0600-collector.h"

#include "runtime/op.h"
#include "state/state_int.h"

#include <stdio.h>
#include <unistd.h>

#define BASE_US 1767225600000000LL /* 2026-01-01T00:00 */

static const char *q7 =
	"CREATE TABLE sink (auction BIGINT, price BIGINT, bidder BIGINT, dateTime TIMESTAMP(3), extra VARCHAR)"
	" WITH ('connector' = 'blackhole');\n"
	"INSERT INTO sink SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra FROM bid B"
	" JOIN (SELECT MAX(price) AS maxprice, window_end AS dateTime FROM TABLE("
	"  TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) GROUP BY window_start, window_end) B1"
	" ON B.price = B1.maxprice"
	" WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '10' SECOND AND B1.dateTime;\n";

static const sl_rel *
find_join(const sl_stmt_result *res)
{
	if (res->kind != SL_RESULT_PLAN && res->kind != SL_RESULT_EXPLAIN)
		return NULL;
	for (int i = 0; i < res->plan->nops; i++)
		if (res->plan->ops[i]->tag == T_PJoin)
			return res->plan->ops[i];
	return NULL;
}

/* ---- planner -------------------------------------------------------- */

/* retain flags and offsets of the join planned from sql ("" if none) */
static const char *
retention_of(const char *sql, char *buf, size_t n)
{
	pt_run r;
	const sl_rel *j;
	pt_exec(&r, sql, true, 1);
	j = find_join(&r.last);
	if (r.nerrors || !j)
		snprintf(buf, n, "error: %s", r.last.kind == SL_RESULT_ERROR ? r.last.error->message : "no join");
	else if (!j->retain[0] && !j->retain[1])
		snprintf(buf, n, "none");
	else {
		size_t k = 0;
		buf[0] = 0;
		for (int s = 0; s < 2; s++)
			if (j->retain[s])
				k += (size_t)snprintf(buf + k, n - k, "%s%c%d%+lld", k ? "/" : "", s ? 'R' : 'L',
				                      j->retain_col[s], (long long)j->retain_off_us[s]);
	}
	pt_free(&r);
	return buf;
}

/* a join of bids with a window aggregate's maximum price per window */
static const char *
winq(char *buf, size_t n, const char *set, const char *jt, const char *win, const char *cond)
{
	snprintf(buf, n,
	         "CREATE TABLE sink (a BIGINT, t TIMESTAMP(3)) WITH ('connector' = 'blackhole');\n"
	         "%s"
	         "INSERT INTO sink SELECT B.auction, B.dateTime FROM bid B %s JOIN (SELECT MAX(price) AS mp,"
	         " window_start AS ws, window_end AS we, window_time AS wt FROM TABLE(%s)"
	         " GROUP BY window_start, window_end, window_time) W ON B.price = W.mp AND %s;\n",
	         set, jt, win, cond);
	return buf;
}

#define TUMBLE10 "TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)"

static void
test_planner(void)
{
	char b[256];
	char sql[2048];
	/* q7: left rows (bids, dateTime = column 3) while dateTime > wm - 10 s */
	SL_CHECK_STR(retention_of(q7, b, sizeof b), "L3-10000000");
	/* the bids of these queries keep auction, price, dateTime: column 2.
	 * window_time = window_end - 1 ms: 1 ms lower */
	SL_CHECK_STR(retention_of(winq(sql, sizeof sql, "", "", TUMBLE10, "B.dateTime >= W.wt - INTERVAL '2' SECOND"),
	                          b, sizeof b),
	             "L2-2001000");
	/* window_start of a HOP (size 10 s): wm - size; strict > counts as >= */
	SL_CHECK_STR(retention_of(winq(sql, sizeof sql, "", "",
	                               "HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '5' SECOND, INTERVAL '10' SECOND)",
	                               "B.dateTime > W.ws"),
	                          b, sizeof b),
	             "L2-10000000");
	/* the bound written the other way round, and two bounds: the higher */
	SL_CHECK_STR(retention_of(winq(sql, sizeof sql, "", "", TUMBLE10,
	                               "W.we - INTERVAL '3' SECOND <= B.dateTime AND B.dateTime >= W.ws"),
	                          b, sizeof b),
	             "L2-3000000");
	/* an upper bound only bounds nothing that is watermarked */
	SL_CHECK_STR(retention_of(winq(sql, sizeof sql, "", "", TUMBLE10, "B.dateTime <= W.we"), b, sizeof b), "none");
	/* LEFT join: padded rows need every row */
	SL_CHECK_STR(retention_of(winq(sql, sizeof sql, "", "LEFT", TUMBLE10, "B.dateTime >= W.we - INTERVAL '10' SECOND"),
	                          b, sizeof b),
	             "none");
	/* an idle timeout: an input may emit windows behind its watermark */
	SL_CHECK_STR(retention_of(winq(sql, sizeof sql, "SET 'table.exec.source.idle-timeout' = '1 s';\n", "",
	                               TUMBLE10, "B.dateTime >= W.we - INTERVAL '10' SECOND"),
	                          b, sizeof b),
	             "none");
	/* q4/q9: bounds on rowtime attributes, whose late rows a regular join
	 * still takes: nothing derived */
	SL_CHECK_STR(retention_of("CREATE TABLE sink (a BIGINT, p BIGINT) WITH ('connector' = 'blackhole');\n"
	                          "INSERT INTO sink SELECT A.id, B.price FROM auction A, bid B WHERE A.id = B.auction"
	                          " AND B.dateTime BETWEEN A.dateTime AND A.expires;\n",
	                          b, sizeof b),
	             "none");
	/* a window TVF's columns (no aggregate drops late rows) */
	SL_CHECK_STR(retention_of("CREATE TABLE sink (a BIGINT, p BIGINT) WITH ('connector' = 'blackhole');\n"
	                          "INSERT INTO sink SELECT B.auction, W.price FROM bid B JOIN (SELECT price, window_end"
	                          " AS we FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))) W"
	                          " ON B.price = W.price WHERE B.dateTime >= W.we - INTERVAL '10' SECOND;\n",
	                          b, sizeof b),
	             "none");
	/* a processing-time window: nothing is late */
	SL_CHECK_STR(retention_of("CREATE TABLE p (price BIGINT, pt AS PROCTIME()) WITH ('connector' = 'datagen');\n"
	                          "CREATE TABLE q (price BIGINT, ts TIMESTAMP_LTZ(3)) WITH ('connector' = 'datagen');\n"
	                          "CREATE TABLE sink (a BIGINT, t TIMESTAMP_LTZ(3)) WITH ('connector' = 'blackhole');\n"
	                          "INSERT INTO sink SELECT Q.price, W.we FROM q Q JOIN (SELECT MAX(price) AS mp,"
	                          " window_end AS we FROM TABLE(TUMBLE(TABLE p, DESCRIPTOR(pt), INTERVAL '10' SECOND))"
	                          " GROUP BY window_start, window_end) W ON Q.price = W.mp"
	                          " WHERE Q.ts >= W.we - INTERVAL '10' SECOND;\n",
	                          b, sizeof b),
	             "none");
	/* EXPLAIN shows it */
	{
		pt_run r;
		pt_exec(&r, "CREATE TABLE sink (auction BIGINT, price BIGINT, bidder BIGINT, dateTime TIMESTAMP(3),"
		            " extra VARCHAR) WITH ('connector' = 'blackhole');\n"
		            "EXPLAIN INSERT INTO sink SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra FROM bid B"
		            " JOIN (SELECT MAX(price) AS maxprice, window_end AS dateTime FROM TABLE("
		            "  TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) GROUP BY window_start,"
		            " window_end) B1 ON B.price = B1.maxprice"
		            " WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '10' SECOND AND B1.dateTime;\n",
		        true, 1);
		SL_CHECK(r.last.kind == SL_RESULT_EXPLAIN && r.last.message &&
		         strstr(r.last.message, "stateRetention=[left: dateTime > watermark(dateTime0) - 10 s]"));
		pt_free(&r);
	}
}

/* ---- the operator --------------------------------------------------- */

typedef struct harness {
	pt_run plan;
	const sl_rel *join;
	sl_arena *a;
	sl_op op, sink;
	sl_op_edge edge;
	collector col;
	int64_t pwm[2], swm[1], pwm_seen[2], swm_seen[1];
	bool pend[2], send[1];
	sl_chunk_pool *pool[2];
	const sl_type **types[2];
	char dir[256];
} harness;

static bool
h_open_sql(harness *h, const char *sql, size_t cache, const char *restore, uint64_t restored_id,
           sl_error **errp)
{
	sl_state_options so;
	memset(h, 0, sizeof *h);
	pt_exec(&h->plan, sql, true, 1);
	if (!(h->join = find_join(&h->plan.last)))
		return false;
	h->a = sl_arena_new(NULL, "test");
	for (int s = 0; s < 2; s++) {
		const sl_rel *in = h->join->inputs[s];
		h->types[s] = SL_ANEWN(h->a, const sl_type *, in->nfields);
		for (int i = 0; i < in->nfields; i++)
			h->types[s][i] = in->fields[i].type;
		h->pool[s] = sl_chunk_pool_new(h->types[s], in->nfields, 0);
	}
	h->op.rel = h->join;
	h->op.parallelism = 1;
	h->op.index = 1051;
	COL_WIRE(h, 2);
	memset(&so, 0, sizeof so);
	snprintf(h->dir, sizeof h->dir, "/tmp/sluice-1051-%ld-%d", (long)getpid(), restore != NULL);
	so.local_dir = h->dir;
	so.maxp = 128;
	so.kg_last = 127;
	so.cache_bytes = cache;
	so.restore_dir = restore;
	h->op.restored_id = restored_id;
	if (!(h->op.state = sl_state_open(&so, errp)))
		return false;
	return sl_op_init_join(&h->op, h->a, errp) && h->op.ops->open(&h->op, errp);
}

static bool
h_open(harness *h, sl_error **errp)
{
	/* a small cache: the rows go to RocksDB and come back */
	return h_open_sql(h, q7, 4096, NULL, 0, errp);
}

static void
h_free(harness *h)
{
	if (!h->a) {
		pt_free(&h->plan);
		return;
	}
	if (h->op.ops && h->op.ops->close)
		h->op.ops->close(&h->op);
	if (h->op.state)
		sl_state_close(h->op.state);
	for (int s = 0; s < 2; s++)
		if (h->pool[s])
			sl_chunk_pool_free(h->pool[s]);
	sl_strbuf_free(&h->col.text);
	if (h->a)
		sl_arena_free(h->a);
	pt_free(&h->plan);
}

/* a bid (auction, bidder, price, dateTime in seconds, extra) on port 0 */
static bool
bid(harness *h, int64_t auction, int64_t price, double secs, sl_error **errp)
{
	sl_chunk *c = sl_chunk_pool_get(h->pool[0]);
	uint32_t r = sl_chunk_append_row(c);
	char extra[32];
	int n = snprintf(extra, sizeof extra, "x%lld", (long long)auction);
	c->kinds[r] = SL_ROW_INSERT;
	sl_chunk_set_i64(c, 0, r, auction);
	sl_chunk_set_i64(c, 1, r, auction * 10);
	sl_chunk_set_i64(c, 2, r, price);
	sl_chunk_set_i64(c, 3, r, BASE_US + (int64_t)(secs * 1e6 + (secs >= 0 ? 0.5 : -0.5)));
	sl_chunk_set_str(c, 4, r, extra, (size_t)n);
	return sl_op_input_chunk(&h->op, 0, c, errp);
}

/* a window maximum (maxprice, window_end in seconds) on port 1 */
static bool
wmax(harness *h, int64_t price, double end, sl_error **errp)
{
	sl_chunk *c = sl_chunk_pool_get(h->pool[1]);
	uint32_t r = sl_chunk_append_row(c);
	c->kinds[r] = SL_ROW_INSERT;
	sl_chunk_set_i64(c, 0, r, price);
	sl_chunk_set_i64(c, 1, r, BASE_US + (int64_t)(end * 1e6 + 0.5));
	return sl_op_input_chunk(&h->op, 1, c, errp);
}

static bool
wm(harness *h, int port, double secs, sl_error **errp)
{
	return sl_op_input_watermark(&h->op, port, BASE_US + (int64_t)(secs * 1e6 + 0.5), errp);
}

static bool
count_elems(void *ctx, const void *key, size_t klen, const void *ukey, size_t uklen, const void *val,
            size_t vlen, sl_error **errp)
{
	const void *e;
	size_t pos = 0, elen;
	(void)key, (void)klen, (void)errp;
	if (ukey || uklen) {   /* a spill map entry: one row */
		(*(int *)ctx)++;
		return true;
	}
	while (sl_state_list_next(val, vlen, &pos, &e, &elen))
		(*(int *)ctx)++;
	return true;
}

/* rows of the bid side in the join's state (its list and spill map) */
static int
stored_bids(harness *h)
{
	int n = 0;
	for (size_t i = 0; i < h->op.state->kvs.n; i++) {
		sl_state_kv *kv = h->op.state->kvs.v[i];
		if ((strcmp(kv->name, "l0") == 0 || strcmp(kv->name, "s0") == 0) &&
		    !sl_state_scan(kv, count_elems, &n, NULL))
			return -1;
	}
	return n;
}

static const char *
out(harness *h)
{
	return h->col.text.data ? h->col.text.data : "";
}

#define OK(x) SL_CHECK(x)

static void
test_operator(void)
{
	harness h;
	sl_error *e = NULL;
	if (!h_open(&h, &e)) {
		SL_CHECK(!"open");
		printf("#   %s\n", e ? e->message : "no join in the plan");
		sl_error_free(e);
		h_free(&h);
		return;
	}
	SL_CHECK(h.join->retain[0] && !h.join->retain[1]);
	/* out of order bids of window [0, 10) and one of [10, 20) */
	OK(bid(&h, 1, 100, 3, &e));
	OK(bid(&h, 2, 50, 5, &e));
	OK(bid(&h, 3, 100, 12, &e));
	OK(bid(&h, 4, 100, 1, &e));      /* out of order */
	OK(wm(&h, 0, 8, &e));
	OK(wm(&h, 1, 5.999, &e));        /* the window side's aggregate: nothing fired yet */
	SL_CHECK_INT(stored_bids(&h), 4);
	/* window [0, 10) fires: its maximum 100 joins the bids at 1, 3 (the
	 * bid at 12 is outside [0, 10]) */
	OK(wmax(&h, 100, 10, &e));
	SL_CHECK_STR(out(&h), "+I[1, 10, 100, 2026-01-01T00:00:03, x1, 100, 2026-01-01T00:00:10]\n"
	                      "+I[4, 40, 100, 2026-01-01T00:00:01, x4, 100, 2026-01-01T00:00:10]\n");
	sl_strbuf_reset(&h.col.text);
	OK(wm(&h, 1, 9.999, &e));        /* forwarded after the window: bound -0.001 s */
	OK(wm(&h, 0, 14, &e));
	/* a late bid (behind both watermarks) that still matches: joined */
	OK(bid(&h, 5, 100, 2, &e));
	SL_CHECK_STR(out(&h), "+I[5, 50, 100, 2026-01-01T00:00:02, x5, 100, 2026-01-01T00:00:10]\n");
	sl_strbuf_reset(&h.col.text);
	/* bids for the windows to come, one exactly at 20 s (= the window
	 * ending at 30 minus 10 s: still matches it), one just before */
	OK(bid(&h, 6, 100, 20, &e));
	OK(bid(&h, 7, 100, 19.999, &e));
	OK(bid(&h, 8, 100, 30, &e));
	OK(bid(&h, 9, 70, 25, &e));
	SL_CHECK_INT(stored_bids(&h), 9);
	/* window [10, 20) fires with maximum 70: no bid of price 70 in
	 * [10, 20]; then the window side's watermark 29.999: bids at or
	 * before 19.999 are dead (no window ending after 29.999 reaches
	 * them), the one at 20 is not */
	OK(wmax(&h, 70, 20, &e));
	SL_CHECK_STR(out(&h), "");
	OK(wm(&h, 1, 19.999, &e));
	OK(wm(&h, 0, 34, &e));
	OK(wm(&h, 1, 29.999, &e));
	/* the sweep ran (first watermark; then the bound moved 10 s): the
	 * bids at 1, 2, 3, 5, 12 and 19.999 are gone; 20, 25, 30 stay */
	SL_CHECK_INT(stored_bids(&h), 3);
	/* a very late bid that still matches the stored window [0, 10):
	 * joined, and not stored */
	OK(bid(&h, 10, 100, 4, &e));
	SL_CHECK_STR(out(&h), "+I[10, 100, 100, 2026-01-01T00:00:04, x10, 100, 2026-01-01T00:00:10]\n");
	sl_strbuf_reset(&h.col.text);
	SL_CHECK_INT(stored_bids(&h), 3);
	/* window [20, 30) with maximum 100: the bids at exactly 20 and 30 */
	OK(wmax(&h, 100, 30, &e));
	SL_CHECK_STR(out(&h), "+I[6, 60, 100, 2026-01-01T00:00:20, x6, 100, 2026-01-01T00:00:30]\n"
	                      "+I[8, 80, 100, 2026-01-01T00:00:30, x8, 100, 2026-01-01T00:00:30]\n");
	sl_strbuf_reset(&h.col.text);
	/* the end: +inf on both ports does not sweep (nothing more comes) */
	OK(wm(&h, 1, 1e9, &e));
	OK(wm(&h, 0, 1e9, &e));
	SL_CHECK_STR(out(&h), "");
	if (e) {
		printf("#   %s\n", e->message);
		sl_error_free(e);
	}
	h_free(&h);
	sl_rm_rf(h.dir);
}

/* ---- spill chunks and blind appends -------------------------------- */

/* l(k, v) JOIN r(k, w) ON k: the join's inputs are (k, v) and (k, w) */
static const char *kv_join =
	"CREATE TABLE l (k BIGINT, v VARCHAR) WITH ('connector' = 'datagen');\n"
	"CREATE TABLE r (k BIGINT, w BIGINT) WITH ('connector' = 'datagen');\n"
	"CREATE TABLE sink (k BIGINT, v VARCHAR, w BIGINT) WITH ('connector' = 'blackhole');\n"
	"INSERT INTO sink SELECT l.k, l.v, r.w FROM l JOIN r ON l.k = r.k;\n";

/* rows (k, "v<i>" padded to 100 bytes) for i in [from, to) on port 0 */
static bool
lrows(harness *h, int64_t k, int from, int to, bool distinct_keys, sl_error **errp)
{
	for (int i = from; i < to;) {
		sl_chunk *c = sl_chunk_pool_get(h->pool[0]);
		for (; i < to && !sl_chunk_full(c); i++) {
			uint32_t r = sl_chunk_append_row(c);
			char v[128];
			int n = snprintf(v, sizeof v, "v%06d-%090d", i, 0);
			c->kinds[r] = SL_ROW_INSERT;
			sl_chunk_set_i64(c, 0, r, distinct_keys ? k + i : k);
			sl_chunk_set_str(c, 1, r, v, (size_t)n);
		}
		if (!sl_op_input_chunk(&h->op, 0, c, errp))
			return false;
	}
	return true;
}

static bool
rrow(harness *h, int64_t k, int64_t w, sl_error **errp)
{
	sl_chunk *c = sl_chunk_pool_get(h->pool[1]);
	uint32_t r = sl_chunk_append_row(c);
	c->kinds[r] = SL_ROW_INSERT;
	sl_chunk_set_i64(c, 0, r, k);
	sl_chunk_set_i64(c, 1, r, w);
	return sl_op_input_chunk(&h->op, 1, c, errp);
}

/* The output rows for key k as "i" numbers, sorted and joined with ','
 * (the v column's number); checks every line is +I and has w. */
static int
out_rows(harness *h, int64_t w, int *got, int max)
{
	const char *p = out(h);
	int n = 0;
	char want[64];
	snprintf(want, sizeof want, ", %lld]", (long long)w);
	while (*p) {
		const char *e = strchr(p, '\n'), *v = strstr(p, ", v");
		if (!e || !v || v > e || strncmp(p, "+I[", 3) != 0 || e - p < (long)strlen(want) ||
		    strncmp(e - strlen(want), want, strlen(want)) != 0 || n >= max) {
			printf("#   unexpected line: %.*s\n", e ? (int)(e - p) : 80, p);
			return -1;
		}
		got[n++] = atoi(v + 3);
		p = e + 1;
	}
	return n;
}

static int
int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* exactly the numbers [from, to) plus [from2, to2), in any order */
static bool
has_exactly(int *got, int n, int from, int to, int from2, int to2)
{
	int k = 0;
	if (n != (to - from) + (to2 - from2)) {
		printf("#   %d rows, expected %d\n", n, (to - from) + (to2 - from2));
		if (n > 0) {
			qsort(got, (size_t)n, sizeof *got, int_cmp);
			for (int i = 1; i < n; i++)
				if (got[i] != got[i - 1] + 1)
					printf("#   gap after %d (next %d)\n", got[i - 1], got[i]);
			printf("#   first %d last %d\n", got[0], got[n - 1]);
		}
		return false;
	}
	qsort(got, (size_t)n, sizeof *got, int_cmp);
	for (int i = from; i < to; i++)
		if (got[k++] != i)
			return false;
	for (int i = from2; i < to2; i++)
		if (got[k++] != i)
			return false;
	return true;
}

static sl_state_kv *
kv_named(harness *h, const char *name)
{
	for (size_t i = 0; i < h->op.state->kvs.n; i++)
		if (strcmp(h->op.state->kvs.v[i]->name, name) == 0)
			return h->op.state->kvs.v[i];
	return NULL;
}

static bool
count_entries(void *ctx, const void *key, size_t klen, const void *ukey, size_t uklen, const void *val,
              size_t vlen, sl_error **errp)
{
	(void)key, (void)klen, (void)ukey, (void)uklen, (void)val, (void)vlen, (void)errp;
	(*(int *)ctx)++;
	return true;
}

/* entries of a spill map whose user key starts with tag: 'c' chunks,
 * 'b' blind rows, 'k' bucket chunks (runtime/op_join.c) */
typedef struct tag_count {
	unsigned char tag;
	int n;
} tag_count;

static bool
count_tag(void *ctx, const void *key, size_t klen, const void *ukey, size_t uklen, const void *val,
          size_t vlen, sl_error **errp)
{
	tag_count *t = ctx;
	(void)key, (void)klen, (void)val, (void)vlen, (void)errp;
	t->n += uklen > 0 && ((const unsigned char *)ukey)[0] == t->tag;
	return true;
}

static int
tagged(harness *h, const char *name, char tag)
{
	tag_count t = {(unsigned char)tag, 0};
	sl_state_kv *kv = kv_named(h, name);
	return kv && sl_state_scan(kv, count_tag, &t, NULL) ? t.n : -1;
}

static int
entries(harness *h, const char *name)
{
	int n = 0;
	sl_state_kv *kv = kv_named(h, name);
	return kv && sl_state_scan(kv, count_entries, &n, NULL) ? n : -1;
}

/* Checkpoint 1 of h's operator and state (the operator's blobs first, as
 * the framework does) into storage under h->dir-ck; *ckdir = its directory
 * (freed by the caller), for h_open_sql. NULL on failure (checked). */
static sl_ck_storage *
h_checkpoint(harness *h, char **ckdir, sl_error **errp)
{
	sl_state_snapshot *snap;
	sl_ck_storage *ck;
	sl_ck_task_info info;
	char base[300];
	snprintf(base, sizeof base, "%s-ck", h->dir);
	sl_rm_rf(base);
	OK(h->op.ops->snapshot(&h->op, 1, errp));
	snap = sl_state_snapshot_take(h->op.state, 1, errp);
	ck = sl_ck_storage_open(base, "job", errp);
	SL_CHECK(snap && ck);
	if (!snap || !ck) {
		if (snap)
			sl_state_snapshot_free(snap);
		if (ck)
			sl_ck_storage_free(ck);
		return NULL;
	}
	OK(sl_state_snapshot_upload(snap, ck, 0, false, &info, errp));
	OK(sl_ck_storage_commit(ck, 1, false, 128, &info, 1, errp));
	sl_state_snapshot_free(snap);
	*ckdir = sl_ck_storage_dir(ck, 1, false);
	return ck;
}

/* End of a test with a restored second instance: report e, free both
 * harnesses, their directories and the checkpoint storage. */
static void
h_cleanup(harness *h, harness *h2, sl_error *e, sl_ck_storage *ck, char *ckdir)
{
	if (e) {
		printf("#   %s\n", e->message);
		sl_error_free(e);
	}
	h_free(h);
	h_free(h2);
	sl_rm_rf(h->dir);
	sl_rm_rf(h2->dir);
	if (ck) {
		char base[300];
		snprintf(base, sizeof base, "%s-ck", h->dir);
		sl_ck_storage_free(ck);
		sl_rm_rf(base);
	}
	free(ckdir);
}

static void
test_spill_and_blind(void)
{
	harness h, h2;
	sl_error *e = NULL;
	int *got = sl_xmalloc(20000 * sizeof(int)), n;
	char *ckdir = NULL;
	sl_ck_storage *ck = NULL;
	memset(&h2, 0, sizeof h2);
	/* 16 KB per state: every chunk is evicted to RocksDB and read back */
	if (!h_open_sql(&h, kv_join, 16 << 10, NULL, 0, &e)) {
		SL_CHECK(!"open");
		printf("#   %s\n", e ? e->message : "no join in the plan");
		goto out;
	}
	/* one hot key: 700 rows of ~110 bytes = a 4 KB list and ~5 chunks */
	OK(lrows(&h, 7, 0, 700, false, &e));
	SL_CHECK(entries(&h, "s0") >= 4);
	OK(rrow(&h, 7, 1, &e));
	n = out_rows(&h, 1, got, 20000);
	SL_CHECK(has_exactly(got, n, 0, 700, 0, 0));
	sl_strbuf_reset(&h.col.text);
	/* 6000 rows of distinct keys, no probes: most appends miss the cache,
	 * the side turns blind; then more rows of key 7 (blind one-row chunks) */
	OK(lrows(&h, 1000000, 0, 6000, true, &e));
	SL_CHECK(h.op.ops->snapshot != NULL);
	OK(lrows(&h, 7, 700, 800, false, &e));
	sl_strbuf_reset(&h.col.text);      /* (they joined the stored (7, 1)) */
	OK(rrow(&h, 7, 2, &e));
	n = out_rows(&h, 2, got, 20000);
	SL_CHECK(has_exactly(got, n, 0, 800, 0, 0));
	sl_strbuf_reset(&h.col.text);
	/* a key of the distinct ones: a list row (before the switch) or a
	 * blind row (after), found either way */
	OK(rrow(&h, 1000000 + 5999, 3, &e));
	OK(rrow(&h, 1000000 + 10, 3, &e));
	n = out_rows(&h, 3, got, 20000);
	SL_CHECK(has_exactly(got, n, 10, 11, 5999, 6000));
	sl_strbuf_reset(&h.col.text);
	/* snapshot, then restore into a new instance: blind, chunk numbers
	 * and rows survive */
	if (!(ck = h_checkpoint(&h, &ckdir, &e)))
		goto out;
	if (!h_open_sql(&h2, kv_join, 16 << 10, ckdir, 1, &e)) {
		SL_CHECK(!"restore");
		printf("#   %s\n", e ? e->message : "?");
		goto out;
	}
	OK(lrows(&h2, 7, 800, 850, false, &e));
	/* they joined the restored (7, 1) and (7, 2): 2 x 50 rows */
	{
		const char *o = out(&h2);
		int n1 = 0, n2 = 0, lines = 0;
		for (const char *q = o; (q = strchr(q, '\n')) != NULL; q++) {
			lines++;
			n1 += q - o >= 4 && strncmp(q - 4, ", 1]", 4) == 0;
			n2 += q - o >= 4 && strncmp(q - 4, ", 2]", 4) == 0;
		}
		SL_CHECK_INT(n1, 50);
		SL_CHECK_INT(n2, 50);
		SL_CHECK_INT(lines, 100);
	}
	sl_strbuf_reset(&h2.col.text);
	OK(rrow(&h2, 7, 4, &e));
	n = out_rows(&h2, 4, got, 20000);
	SL_CHECK(has_exactly(got, n, 0, 850, 0, 0));
out:
	h_cleanup(&h, &h2, e, ck, ckdir);
	free(got);
}

/* Bucket appends (runtime/op_join.c): a blind side not probed goes to
 * key-group buckets after 65536 more rows. A probe finds a key's list,
 * blind and bucket rows, and no other key's; a restore brings the buckets
 * back; once probes have decoded over 2^20 more bucket rows than were
 * appended, the bucket rows move to blind rows under their own keys. */
static void
test_buckets(void)
{
	harness h, h2;
	sl_error *e = NULL;
	int *got = sl_xmalloc(20000 * sizeof(int)), n, kb;
	char *ckdir = NULL;
	sl_ck_storage *ck = NULL;
	memset(&h2, 0, sizeof h2);
	if (!h_open_sql(&h, kv_join, 4 << 20, NULL, 0, &e)) {
		SL_CHECK(!"open");
		printf("#   %s\n", e ? e->message : "no join in the plan");
		goto out;
	}
	OK(lrows(&h, 7, 0, 100, false, &e));                 /* key 7: list rows */
	OK(lrows(&h, 1000000, 0, 6000, true, &e));          /* blind from here */
	OK(lrows(&h, 7, 100, 200, false, &e));               /* key 7: blind rows */
	SL_CHECK_INT(tagged(&h, "s0", 'k'), 0);
	OK(lrows(&h, 2000000, 0, 200000, true, &e));        /* buckets from ~63k */
	OK(lrows(&h, 7, 200, 300, false, &e));               /* key 7: bucket rows */
	kb = tagged(&h, "s0", 'k');
	SL_CHECK(kb >= 128);   /* every key group's bucket, several chunks each */
	SL_CHECK(tagged(&h, "s0", 'b') > 50000);
	OK(rrow(&h, 7, 1, &e));
	n = out_rows(&h, 1, got, 20000);
	SL_CHECK(has_exactly(got, n, 0, 300, 0, 0));
	sl_strbuf_reset(&h.col.text);
	OK(rrow(&h, 2000000 + 199999, 2, &e));               /* a bucket row */
	OK(rrow(&h, 2000000 + 5, 2, &e));                    /* a blind row */
	n = out_rows(&h, 2, got, 20000);
	SL_CHECK(has_exactly(got, n, 5, 6, 199999, 200000));
	sl_strbuf_reset(&h.col.text);
	OK(rrow(&h, 1000000 + 3, 3, &e));                    /* a list row */
	OK(rrow(&h, 3000000, 3, &e));                        /* no row */
	n = out_rows(&h, 3, got, 20000);
	SL_CHECK(has_exactly(got, n, 3, 4, 0, 0));
	sl_strbuf_reset(&h.col.text);
	if (!(ck = h_checkpoint(&h, &ckdir, &e)))
		goto out;
	if (!h_open_sql(&h2, kv_join, 4 << 20, ckdir, 1, &e)) {
		SL_CHECK(!"restore");
		printf("#   %s\n", e ? e->message : "?");
		goto out;
	}
	SL_CHECK_INT(tagged(&h2, "s0", 'k'), kb);
	OK(rrow(&h2, 7, 4, &e));
	OK(rrow(&h2, 2000000 + 150000, 4, &e));
	n = out_rows(&h2, 4, got, 20000);
	SL_CHECK(has_exactly(got, n, 0, 300, 150000, 150001));
	sl_strbuf_reset(&h2.col.text);
	/* probes of absent keys, each decoding ~1000 rows of its bucket, until
	 * the buckets are left (2^20 rows decoded) */
	for (int i = 0; i < 2000 && tagged(&h2, "s0", 'k') > 0; i += 100)
		for (int k = 0; k < 100; k++)
			OK(rrow(&h2, 5000000 + i + k, 5, &e));
	SL_CHECK_INT(tagged(&h2, "s0", 'k'), 0);
	SL_CHECK_INT((int)strlen(out(&h2)), 0);
	OK(rrow(&h2, 7, 6, &e));
	OK(rrow(&h2, 2000000 + 150000, 6, &e));
	OK(rrow(&h2, 2000000 + 199999, 6, &e));
	n = out_rows(&h2, 6, got, 20000);
	SL_CHECK_INT(n, 302);
	if (n == 302) {   /* key 7's 0..299, then the two moved bucket rows */
		qsort(got, (size_t)n, sizeof *got, int_cmp);
		SL_CHECK(has_exactly(got, 300, 0, 300, 0, 0));
		SL_CHECK_INT(got[300], 150000);
		SL_CHECK_INT(got[301], 199999);
	}
out:
	h_cleanup(&h, &h2, e, ck, ckdir);
	free(got);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_planner);
	SL_RUN(test_operator);
	SL_RUN(test_spill_and_blind);
	SL_RUN(test_buckets);
	return SL_TEST_MAIN_END();
}
