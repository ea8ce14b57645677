/*
 * bench_gen.c
 *	  Throughput of the Nexmark generator alone: the ceiling for every
 *	  Nexmark benchmark (the stateless queries aim at >= 70 % of it).
 *
 *	  usage: bench/bench_gen [--events N] [--rate R] [--batch B] [--columns]
 *
 *	  Generates N events (default 50M) on one thread in batches of B
 *	  (default 1024) and prints events/s and events per CPU-second. With
 *	  --columns each batch is also scattered into bid columns (int64
 *	  auction, bidder, price, dateTime; {len, ptr} channel, url, extra),
 *	  which is what the nexmark source does to fill a chunk.
 *
 * INTERFACE ROUTINES
 *	  main
 */
#include "common/common.h"
#include "runtime/nexmark_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double
cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

int
main(int argc, char **argv)
{
	sl_nexmark_config cfg;
	sl_nexmark_gen *gen;
	int64_t events = 50000000;
	size_t batch = 1024, n;
	bool columns = false;
	sl_nexmark_event *ev;
	sl_nexmark_buf buf;
	int64_t *c_auction, *c_bidder, *c_price, *c_time, total = 0, bids = 0;
	sl_nexmark_str *c_channel, *c_url, *c_extra;
	uint64_t check = 0;
	double t0, c0, t1, c1;

	sl_nexmark_config_init(&cfg);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
			events = atoll(argv[++i]);
		else if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc)
			cfg.event_rate = atoll(argv[++i]);
		else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
			batch = (size_t)atoll(argv[++i]);
		else if (strcmp(argv[i], "--columns") == 0)
			columns = true;
		else {
			fprintf(stderr, "usage: %s [--events N] [--rate R] [--batch B] [--columns]\n",
			        argv[0]);
			return 2;
		}
	}
	if (batch == 0 || events <= 0) {
		fprintf(stderr, "bench_gen: --events and --batch must be positive\n");
		return 2;
	}
	cfg.max_events = events;
	gen = sl_nexmark_gen_new(&cfg, 0);
	ev = sl_xmalloc(batch * sizeof *ev);
	buf.cap = batch * SL_NEXMARK_EVENT_SCRATCH_MAX;
	buf.data = sl_xmalloc(buf.cap);
	c_auction = sl_xmalloc(batch * sizeof(int64_t));
	c_bidder = sl_xmalloc(batch * sizeof(int64_t));
	c_price = sl_xmalloc(batch * sizeof(int64_t));
	c_time = sl_xmalloc(batch * sizeof(int64_t));
	c_channel = sl_xmalloc(batch * sizeof(sl_nexmark_str));
	c_url = sl_xmalloc(batch * sizeof(sl_nexmark_str));
	c_extra = sl_xmalloc(batch * sizeof(sl_nexmark_str));

	t0 = now_s();
	c0 = cpu_s();
	for (;;) {
		buf.used = 0;
		n = sl_nexmark_gen_next_batch(gen, ev, batch, &buf);
		if (n == 0)
			break;
		total += (int64_t)n;
		if (columns) {
			size_t k = 0;
			for (size_t i = 0; i < n; i++) {
				const sl_nexmark_bid *b = &ev[i].u.bid;
				if (ev[i].kind != SL_NEXMARK_BID)
					continue;
				c_auction[k] = b->auction;
				c_bidder[k] = b->bidder;
				c_price[k] = b->price;
				c_time[k] = ev[i].date_time_us;
				c_channel[k] = b->channel;
				c_url[k] = b->url;
				c_extra[k] = b->extra;
				k++;
			}
			bids += (int64_t)k;
			if (k)
				check += (uint64_t)c_price[k - 1] + c_extra[k - 1].len + (uint64_t)c_auction[0] +
				         (uint64_t)c_bidder[0] + (uint64_t)c_time[0] + c_channel[0].len +
				         c_url[0].len;
		} else {
			for (size_t i = 0; i < n; i++)
				bids += ev[i].kind == SL_NEXMARK_BID;
			check += (uint64_t)ev[n - 1].date_time_us + ev[n - 1].u.bid.extra.len;
		}
	}
	t1 = now_s();
	c1 = cpu_s();
	printf("nexmark generator: %lld events (%lld bids), rate %lld events/s event time, "
	       "parallelism 1, batch %zu%s\n",
	       (long long)total, (long long)bids, (long long)cfg.event_rate, batch,
	       columns ? ", scattered into bid columns" : "");
	printf("  %.3f s wall, %.3f s cpu: %.2fM events/s, %.2fM events per cpu-second, "
	       "%.2fM bids/s (check %llu)\n",
	       t1 - t0, c1 - c0, (double)total / (t1 - t0) / 1e6, (double)total / (c1 - c0) / 1e6,
	       (double)bids / (t1 - t0) / 1e6, (unsigned long long)(check & 0xff));
	sl_nexmark_gen_free(gen);
	free(ev);
	free(buf.data);
	free(c_auction);
	free(c_bidder);
	free(c_price);
	free(c_time);
	free(c_channel);
	free(c_url);
	free(c_extra);
	return 0;
}
