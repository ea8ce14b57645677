/*
 * 0601-job.c
 *	  The job framework (runtime/job.c) through planned SQL: the same
 *	  bounded queries give the same rows at parallelism 1, 2 and 3 (hash
 *	  exchanges, min-over-inputs watermarks, end-of-input); an unbounded
 *	  source stops on sl_job_cancel; plans the runtime cannot run are
 *	  rejected at build time with SL_ERR_FEATURE_NOT_SUPPORTED; chunk
 *	  allocation stays flat over a long stateless run (pools reused).
 */
#include "tests/unit/test.h"
#include "planner/planner.h"
#include "runtime/job.h"
#include "runtime/chunk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DDL \
	"CREATE TABLE nexmark (event_type INT," \
	" person ROW<id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR," \
	"  state VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR>," \
	" auction ROW<id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT," \
	"  dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra VARCHAR>," \
	" bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR," \
	"  dateTime TIMESTAMP(3), extra VARCHAR>," \
	" dateTime AS CASE WHEN event_type = 0 THEN person.dateTime WHEN event_type = 1 THEN auction.dateTime" \
	"  ELSE bid.dateTime END," \
	" WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND" \
	") WITH ('connector' = 'nexmark', 'first-event.rate' = '1000', 'events.num' = '%s');\n"

static int
cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Plan script (ddl with events.num = events, then body) at parallelism
 * p: its last query's plan (in arena; *st to free), or NULL with the
 * error in *errp. */
static sl_plan *
plan_script(const char *events, const char *body, int p, sl_catalog *cat, sl_arena *arena,
            sl_stmt_text **st, sl_error **errp)
{
	char script[8192];
	size_t n, len;
	sl_plan_options po = {.parallelism = p};
	sl_plan *plan = NULL;

	snprintf(script, sizeof script, DDL, events);
	strncat(script, body, sizeof script - strlen(script) - 1);
	len = strlen(script);
	n = sl_plan_split_script(script, len, st);
	for (size_t i = 0; i < n; i++) {
		sl_stmt_result res;
		sl_plan_statement(cat, script, len, (*st)[i], &po, arena, &res);
		if (res.kind == SL_RESULT_ERROR) {
			*errp = res.error;
			return NULL;
		}
		if (res.kind == SL_RESULT_PLAN)
			plan = res.plan;
	}
	return plan;
}

/* Plan script (plan_script) and run its last query at parallelism p;
 * returns the sorted output lines joined, or NULL (error in *errp). */
static char *
run_sql(const char *events, const char *body, int p, sl_error **errp)
{
	sl_stmt_text *st = NULL;
	sl_catalog *cat = sl_catalog_new();
	sl_arena *arena = sl_arena_new(NULL, "test");
	sl_plan *plan;
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	sl_job_options jo = {.out = f};
	bool ok;

	plan = plan_script(events, body, p, cat, arena, &st, errp);
	if (!plan)
		goto fail;
	ok = sl_job_run(plan, &jo, errp);
	fclose(f);
	free(st);
	sl_arena_free(arena);
	sl_catalog_free(cat);
	if (!ok) {
		free(buf);
		return NULL;
	}
	{
		/* sort lines (strip "N> " prefixes) */
		size_t nl = 0, cap = 1024;
		char **lines = malloc(cap * sizeof *lines), *save = NULL, *out;
		sl_strbuf sb = SL_STRBUF_INIT;
		for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char *gt = strstr(l, "> ");
			if (gt && gt - l < 4)
				l = gt + 2;
			if (nl == cap)
				lines = realloc(lines, (cap *= 2) * sizeof *lines);
			lines[nl++] = l;
		}
		qsort(lines, nl, sizeof *lines, cmp_line);
		for (size_t i = 0; i < nl; i++) {
			sl_strbuf_append(&sb, lines[i]);
			sl_strbuf_appendc(&sb, '\n');
		}
		out = sl_strbuf_take(&sb);
		free(lines);
		free(buf);
		return out;
	}
fail:
	fclose(f);
	free(buf);
	free(st);
	sl_arena_free(arena);
	sl_catalog_free(cat);
	return NULL;
}

static void
same_at_all_parallelisms(const char *body, size_t min_len)
{
	sl_error *e = NULL;
	char *r1 = run_sql("20000", body, 1, &e);
	SL_CHECK(r1 != NULL);
	if (!r1) {
		fprintf(stderr, "# %s\n", e ? e->message : "?");
		return;
	}
	SL_CHECK(strlen(r1) >= min_len);
	for (int p = 2; p <= 3; p++) {
		char *rp = run_sql("20000", body, p, &e);
		SL_CHECK(rp != NULL);
		if (rp)
			SL_CHECK(strcmp(r1, rp) == 0);
		free(rp);
	}
	free(r1);
}

static void
test_stateless(void)
{
	same_at_all_parallelisms(
		"CREATE TABLE s (a BIGINT, p BIGINT, c VARCHAR) WITH ('connector' = 'print');\n"
		"INSERT INTO s SELECT bid.auction, bid.price, LOWER(bid.channel) FROM nexmark"
		" WHERE event_type = 2 AND MOD(bid.auction, 7) = 0;\n", 1000);
}

static void
test_tumble_window(void)
{
	same_at_all_parallelisms(
		"CREATE VIEW bids AS SELECT bid.bidder AS bidder, bid.price AS price, dateTime"
		" FROM nexmark WHERE event_type = 2;\n"
		"CREATE TABLE s (b BIGINT, ws TIMESTAMP(3), we TIMESTAMP(3), n BIGINT, mx BIGINT, av BIGINT)"
		" WITH ('connector' = 'print');\n"
		"INSERT INTO s SELECT bidder, window_start, window_end, COUNT(*), MAX(price), AVG(price)"
		" FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(dateTime), INTERVAL '5' SECOND))"
		" GROUP BY bidder, window_start, window_end;\n", 1000);
}

static void
test_group_agg_final_counts(void)
{
	/* the changelog differs between parallelisms, the number of +I rows
	 * (one per group) does not */
	sl_error *e = NULL;
	const char *body =
		"CREATE TABLE s (c BIGINT, n BIGINT, t BIGINT) WITH ('connector' = 'print');\n"
		"INSERT INTO s SELECT bid.auction, COUNT(*), SUM(bid.price) FROM nexmark"
		" WHERE event_type = 2 GROUP BY bid.auction;\n";
	char *r1 = run_sql("5000", body, 1, &e), *r3 = run_sql("5000", body, 3, &e);
	int i1 = 0, i3 = 0;
	SL_CHECK(r1 && r3);
	for (char *p = r1; p && (p = strstr(p, "+I[")); p++)
		i1++;
	for (char *p = r3; p && (p = strstr(p, "+I[")); p++)
		i3++;
	SL_CHECK(i1 > 10);
	SL_CHECK_INT(i1, i3);
	free(r1);
	free(r3);
}

static void
test_unsupported_rejected(void)
{
	sl_error *e = NULL;
	char *r = run_sql("100",
	                  "CREATE TABLE s (a BIGINT PRIMARY KEY NOT ENFORCED) WITH ('connector' = 'postgres',"
	                  " 'url' = 'postgresql://127.0.0.1:1/x', 'table-name' = 's');\n"
	                  "INSERT INTO s SELECT bid.auction FROM nexmark WHERE event_type = 2;\n", 1, &e);
	SL_CHECK(r == NULL);
	SL_CHECK(e != NULL);
	if (e) {
		SL_CHECK_INT(e->code, SL_ERR_FEATURE_NOT_SUPPORTED);
		sl_error_free(e);
	}
}

static void
test_cancel_unbounded(void)
{
	/* events.num = 0: unbounded; the job must stop on cancel */
	const char *body = "CREATE TABLE s (a BIGINT) WITH ('connector' = 'blackhole');\n"
	                   "INSERT INTO s SELECT bid.auction FROM nexmark WHERE event_type = 2;\n";
	sl_stmt_text *st = NULL;
	sl_catalog *cat = sl_catalog_new();
	sl_arena *arena = sl_arena_new(NULL, "test");
	sl_error *e = NULL;
	sl_job *job;
	sl_job_stats stats;
	sl_plan *plan = plan_script("0", body, 2, cat, arena, &st, &e);

	SL_CHECK(plan != NULL);
	if (plan) {
		job = sl_job_new(plan, NULL, &e);
		SL_CHECK(job && sl_job_start(job, &e));
		SL_CHECK(!sl_job_wait(job, 100000));   /* still running */
		sl_job_stats_get(job, &stats);
		sl_job_cancel(job);
		SL_CHECK(sl_job_wait(job, 5000000));
		SL_CHECK(sl_job_finish(job, &e));
		sl_job_stats_get(job, &stats);
		SL_CHECK(stats.source_rows > 0);
		SL_CHECK(stats.finished);
		sl_job_free(job);
	}
	free(st);
	sl_arena_free(arena);
	sl_catalog_free(cat);
}

static void
test_no_chunk_growth(void)
{
	/* a stateless run of 200k events reuses pooled chunks: the number of
	 * chunks ever allocated does not grow with the number of events */
	sl_chunk_stats a, b, c;
	sl_error *e = NULL;
	const char *body = "CREATE TABLE s (a BIGINT) WITH ('connector' = 'blackhole');\n"
	                   "INSERT INTO s SELECT bid.auction FROM nexmark WHERE event_type = 2;\n";
	char *r;
	sl_chunk_stats_get(&a);
	r = run_sql("20000", body, 2, &e);
	free(r);
	sl_chunk_stats_get(&b);
	r = run_sql("400000", body, 2, &e);
	free(r);
	sl_chunk_stats_get(&c);
	SL_CHECK(c.chunks_allocated - b.chunks_allocated <= (b.chunks_allocated - a.chunks_allocated) + 8);
}

/* Source alignment (job.c): every aggregated row goes to subtask 0 (one
 * key), so thread 0 spends its steps on thread 1's rows and polls its own
 * source rarely. Without alignment thread 1's source ran ahead by most of
 * its stream (source_lead 1.57-1.68M event ids of 2M here); with it the
 * lead stays within SL_JOB_ALIGN_LEAD (2^18) plus one chunk per subtask,
 * and every row still arrives. */
static void
test_source_alignment(void)
{
	const char *body = "CREATE TABLE s (k BIGINT, n BIGINT) WITH ('connector' = 'blackhole');\n"
	                   "INSERT INTO s SELECT MOD(bid.auction, 1), COUNT(*)"
	                   " FROM nexmark WHERE event_type = 2 GROUP BY MOD(bid.auction, 1);\n";
	sl_stmt_text *st = NULL;
	sl_catalog *cat = sl_catalog_new();
	sl_arena *arena = sl_arena_new(NULL, "test");
	sl_error *e = NULL;
	sl_job_stats stats = {0};
	sl_plan *plan = plan_script("2000000", body, 2, cat, arena, &st, &e);
	sl_job *job = plan ? sl_job_new(plan, NULL, &e) : NULL;

	SL_CHECK(job && sl_job_start(job, &e));
	if (job) {
		SL_CHECK(sl_job_wait(job, -1));
		SL_CHECK(sl_job_finish(job, &e));
		sl_job_stats_get(job, &stats);
		sl_job_free(job);
	}
	printf("# source_lead %lld event ids\n", (long long)stats.source_lead);
	SL_CHECK(stats.source_lead > 0);
	SL_CHECK(stats.source_lead <= (INT64_C(1) << 18) + 2 * 1024 * 2);
	/* 2M events, 46 of every 50 bids: one +I, then a -U/+U pair per bid */
	SL_CHECK_INT(stats.sink_rows, 1 + 2 * (1840000 - 1));
	free(st);
	sl_arena_free(arena);
	sl_catalog_free(cat);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_stateless);
	SL_RUN(test_tumble_window);
	SL_RUN(test_group_agg_final_counts);
	SL_RUN(test_unsupported_rejected);
	SL_RUN(test_cancel_unbounded);
	SL_RUN(test_no_chunk_growth);
	SL_RUN(test_source_alignment);
	return SL_TEST_MAIN_END();
}
