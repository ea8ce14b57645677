/*
 * bench_expr.c
 *	  Rows per second of the expression engine on Nexmark-like bids in
 *	  chunks of 1024 rows: the expressions of q1 (price * 0.908 DECIMAL),
 *	  q2 (MOD(auction, 123) = 0 as a filter), q21 (CASE over LOWER(channel)
 *	  with REGEXP_EXTRACT of the URL) and q22 (SPLIT_INDEX three times),
 *	  plus DATE_FORMAT and HOUR of the event time.
 *
 *	  Input chunks are generated once (64 distinct chunks, reused) so that
 *	  only evaluation is timed; each case runs single-threaded and reports
 *	  rows/s of wall time and of thread CPU time.
 *
 *	  usage: bench/bench_expr [CHUNKS]    (default 20000 chunks = 20.5M rows)
 */
#include "runtime/channel.h"
#include "runtime/expr.h"
#include "runtime/runtime_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NIN 64

enum { C_AUCTION, C_PRICE, C_CHANNEL, C_URL, C_DATETIME, NCOLS };

static sl_arena *A;
static const sl_type *types[NCOLS];
static sl_chunk *inputs[NIN];

static uint64_t rng = 88172645463325252ULL;
static uint64_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
rand_word(char *out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (char)('a' + next_rand() % 26);
	out[n] = '\0';
}

static void
generate(void)
{
	static const char *const channels[] = {"Google", "Facebook", "Baidu", "Apple"};
	char url[256], w1[8], w2[8], w3[8], ch[32];
	int64_t t = (int64_t)sl_civil_to_days(2026, 1, 1) * SL_US_PER_DAY;
	for (int k = 0; k < NIN; k++) {
		sl_chunk *c = sl_chunk_new(types, NCOLS, 0);
		for (int i = 0; i < SL_CHUNK_CAPACITY; i++) {
			uint32_t r = sl_chunk_append_row(c);
			uint64_t x = next_rand();
			int len;
			sl_chunk_set_i64(c, C_AUCTION, r, 1000 + (int64_t)(x % 100000));
			sl_chunk_set_i64(c, C_PRICE, r, (int64_t)(next_rand() % 10000000));
			if (x % 10 < 4)
				snprintf(ch, sizeof ch, "%s", channels[x % 4]);
			else
				snprintf(ch, sizeof ch, "channel-%d", (int)(x % 10000));
			sl_chunk_set_str(c, C_CHANNEL, r, ch, strlen(ch));
			rand_word(w1, 5);
			rand_word(w2, 5);
			rand_word(w3, 5);
			if (x % 10 < 4)
				len = snprintf(url, sizeof url, "https://www.nexmark.com/%s/%s/%s/item.htm?query=1",
				               w1, w2, w3);
			else
				len = snprintf(url, sizeof url,
				               "https://www.nexmark.com/%s/%s/%s/item.htm?query=1&channel_id=%d",
				               w1, w2, w3, (int)(next_rand() % 1000000000));
			sl_chunk_set_str(c, C_URL, r, url, (size_t)len);
			t += 100; /* 10M events/s of event time */
			sl_chunk_set_i64(c, C_DATETIME, r, t);
		}
		inputs[k] = c;
	}
}

static sl_rexpr *
fn(const char *name, int n, ...)
{
	sl_rexpr *args[8];
	va_list ap;
	sl_error *err = NULL;
	sl_rexpr *e;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		args[i] = va_arg(ap, sl_rexpr *);
	va_end(ap);
	e = sl_rexpr_call_named(A, name, args, n, &err);
	if (!e)
		sl_fatal("%s: %s", name, err->message);
	return e;
}

static sl_rexpr *col(int i) { return sl_rexpr_col(A, i, types[i]); }
static sl_rexpr *str(const char *s) { return sl_rexpr_const_str(A, s, strlen(s)); }

static double
now_s(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run a projection list (or a filter when filter != NULL) over nchunks. */
static void
run(const char *name, sl_rexpr **proj, int nproj, sl_rexpr *filter, long nchunks)
{
	sl_error *err = NULL;
	sl_rexpr_prog *progs[8];
	const sl_type *otypes[8];
	sl_rexpr_prog *fprog = NULL;
	sl_chunk_pool *pool = NULL;
	double w0, c0, w1, c1;
	long kept = 0;

	for (int i = 0; i < nproj; i++) {
		progs[i] = sl_rexpr_prog_new(proj[i], &err);
		otypes[i] = proj[i]->type;
		if (!progs[i])
			sl_fatal("%s: %s", name, err->message);
	}
	if (nproj)
		pool = sl_chunk_pool_new(otypes, nproj, 0);
	if (filter && !(fprog = sl_rexpr_prog_new(filter, &err)))
		sl_fatal("%s: %s", name, err->message);
	w0 = now_s(CLOCK_MONOTONIC);
	c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
	for (long k = 0; k < nchunks; k++) {
		sl_chunk *in = inputs[k % NIN];
		in->sel = NULL;
		if (fprog) {
			int64_t n = sl_rexpr_filter(fprog, in, &err);
			if (n < 0)
				sl_fatal("%s: %s", name, err->message);
			kept += n;
		}
		if (nproj) {
			sl_chunk *out = sl_chunk_pool_get(pool);
			if (!sl_rexpr_project(progs, nproj, in, out, &err))
				sl_fatal("%s: %s", name, err->message);
			sl_chunk_unref(out);
		}
	}
	w1 = now_s(CLOCK_MONOTONIC);
	c1 = now_s(CLOCK_THREAD_CPUTIME_ID);
	{
		double rows = (double)nchunks * SL_CHUNK_CAPACITY;
		printf("%-44s %8.1f M rows/s wall %8.1f M rows/s cpu %6.1f ns/row", name,
		       rows / (w1 - w0) / 1e6, rows / (c1 - c0) / 1e6, (c1 - c0) / rows * 1e9);
		if (fprog)
			printf("  (kept %.2f%%)", 100.0 * (double)kept / rows);
		printf("\n");
	}
	for (int i = 0; i < nproj; i++)
		sl_rexpr_prog_free(progs[i]);
	sl_rexpr_prog_free(fprog);
	sl_chunk_pool_free(pool);
}

/* Channel throughput: one thread sends chunk references, another receives
 * and releases them (the chunk is shared, so this measures the channel). */
typedef struct chan_bench {
	sl_channel *ch;
	long nmsgs;
} chan_bench;

static void *
chan_sender(void *arg)
{
	chan_bench *cb = arg;
	for (long i = 0; i < cb->nmsgs; i++)
		sl_channel_send_chunk(cb->ch, sl_chunk_ref(inputs[i % NIN]), NULL);
	sl_channel_send_eoi(cb->ch, NULL);
	return NULL;
}

static void
run_channel(long nmsgs, size_t capacity)
{
	chan_bench cb = {sl_channel_inproc_new(capacity), nmsgs};
	pthread_t th;
	sl_msg m;
	long got = 0;
	double w0 = now_s(CLOCK_MONOTONIC), w1;
	pthread_create(&th, NULL, chan_sender, &cb);
	while (sl_channel_recv(cb.ch, &m, -1, NULL) == SL_RECV_OK && m.kind == SL_MSG_DATA) {
		sl_chunk_unref(m.u.chunk);
		got++;
	}
	pthread_join(th, NULL);
	w1 = now_s(CLOCK_MONOTONIC);
	printf("channel (inproc, %4zu slots) two threads        %8.1f M msgs/s = %.0f M rows/s in chunks of %d\n",
	       capacity, (double)got / (w1 - w0) / 1e6, (double)got * SL_CHUNK_CAPACITY / (w1 - w0) / 1e6,
	       SL_CHUNK_CAPACITY);
	sl_channel_free(cb.ch);
}

int
main(int argc, char **argv)
{
	long nchunks = argc > 1 ? atol(argv[1]) : 20000;
	const char *pat = "(&|^)channel_id=([^&]*)";

	A = sl_arena_new(NULL, "bench");
	types[C_AUCTION] = sl_rt_type(SL_TYPE_BIGINT);
	types[C_PRICE] = sl_rt_type(SL_TYPE_BIGINT);
	types[C_CHANNEL] = sl_rt_type(SL_TYPE_VARCHAR);
	types[C_URL] = sl_rt_type(SL_TYPE_VARCHAR);
	types[C_DATETIME] = sl_rt_type(SL_TYPE_TIMESTAMP);
	generate();
	printf("bench_expr: %ld chunks of %d rows per case, one thread\n", nchunks, SL_CHUNK_CAPACITY);
	{
		sl_rexpr *p[1] = {fn("*", 2, col(C_PRICE), sl_rexpr_const_decimal_str(A, "0.908"))};
		run("q1  price * 0.908 (DECIMAL(23,3))", p, 1, NULL, nchunks);
	}
	{
		sl_rexpr *f = fn("=", 2, fn("MOD", 2, col(C_AUCTION), sl_rexpr_const_int(A, 123)),
		                 sl_rexpr_const_int(A, 0));
		run("q2  WHERE MOD(auction, 123) = 0", NULL, 0, f, nchunks);
	}
	{
		/* four separate LOWER(channel) trees, as a planner builds them */
		sl_rexpr *w[4] = {fn("=", 2, fn("LOWER", 1, col(C_CHANNEL)), str("apple")),
		                  fn("=", 2, fn("LOWER", 1, col(C_CHANNEL)), str("google")),
		                  fn("=", 2, fn("LOWER", 1, col(C_CHANNEL)), str("facebook")),
		                  fn("=", 2, fn("LOWER", 1, col(C_CHANNEL)), str("baidu"))};
		sl_rexpr *t[4] = {str("0"), str("1"), str("2"), str("3")};
		sl_rexpr *els = fn("REGEXP_EXTRACT", 3, col(C_URL), str(pat), sl_rexpr_const_int(A, 2));
		sl_rexpr *p[1] = {sl_rexpr_case(A, w, t, 4, els, sl_rt_type(SL_TYPE_VARCHAR))};
		run("q21 CASE LOWER(channel) .. REGEXP_EXTRACT", p, 1, NULL, nchunks);
	}
	{
		sl_rexpr *p[1] = {fn("REGEXP_EXTRACT", 3, col(C_URL), str(pat), sl_rexpr_const_int(A, 2))};
		run("    REGEXP_EXTRACT(url, channel_id, 2) alone", p, 1, NULL, nchunks);
	}
	{
		sl_rexpr *p[3] = {fn("SPLIT_INDEX", 3, col(C_URL), str("/"), sl_rexpr_const_int(A, 3)),
		                  fn("SPLIT_INDEX", 3, col(C_URL), str("/"), sl_rexpr_const_int(A, 4)),
		                  fn("SPLIT_INDEX", 3, col(C_URL), str("/"), sl_rexpr_const_int(A, 5))};
		run("q22 SPLIT_INDEX(url, '/', 3|4|5)", p, 3, NULL, nchunks);
	}
	{
		sl_rexpr *p[2] = {fn("DATE_FORMAT", 2, col(C_DATETIME), str("yyyy-MM-dd")),
		                  fn("DATE_FORMAT", 2, col(C_DATETIME), str("HH:mm"))};
		run("    DATE_FORMAT(dateTime, 'yyyy-MM-dd'|'HH:mm')", p, 2, NULL, nchunks);
	}
	{
		sl_rexpr *p[1] = {fn("HOUR", 1, col(C_DATETIME))};
		run("    HOUR(dateTime)", p, 1, NULL, nchunks);
	}
	run_channel(nchunks * 50, 64);
	run_channel(nchunks * 50, 1024);
	for (int k = 0; k < NIN; k++)
		sl_chunk_unref(inputs[k]);
	sl_arena_free(A);
	return 0;
}
