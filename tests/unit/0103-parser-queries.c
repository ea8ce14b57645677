/*
 * 0103-parser-queries.c
 *	  Every .sql file under $SRCDIR/queries (found at run time, so new
 *	  files are covered as they are added) parses, prints, re-parses to an
 *	  equal tree, and prints the same text again; plus Flink's own spelling
 *	  of several Nexmark queries inline.
 */
#include "parser/parser.h"
#include "tests/unit/test.h"

#include <dirent.h>
#include <sys/stat.h>

static int nfiles;

static bool
roundtrip_text(const char *name, const char *src, size_t len)
{
	sl_arena *a = sl_arena_new(NULL, name);
	sl_ast_script *s1, *s2;
	sl_error *e = NULL;
	sl_strbuf t1 = SL_STRBUF_INIT, t2 = SL_STRBUF_INIT, r = SL_STRBUF_INIT;
	bool ok = false;

	if (!sl_parse(src, len, a, &s1, &e)) {
		sl_error_render(e, name, src, len, &r);
		printf("#   %s does not parse:\n%s", name, sl_strbuf_str(&r));
		goto out;
	}
	sl_ast_print(s1, &t1);
	if (!sl_parse(t1.data, t1.len, a, &s2, &e)) {
		sl_error_render(e, "printed", t1.data, t1.len, &r);
		printf("#   %s: printed text does not parse:\n%s", name, sl_strbuf_str(&r));
		goto out;
	}
	if (!sl_ast_equal(s1, s2)) {
		printf("#   %s: tree changed by print + parse\n", name);
		goto out;
	}
	sl_ast_print(s2, &t2);
	if (strcmp(sl_strbuf_str(&t1), sl_strbuf_str(&t2)) != 0) {
		printf("#   %s: printing is not stable\n", name);
		goto out;
	}
	if (s1->stmts.n == 0) {
		printf("#   %s: no statements\n", name);
		goto out;
	}
	ok = true;
out:
	if (e)
		sl_error_free(e);
	sl_strbuf_free(&t1);
	sl_strbuf_free(&t2);
	sl_strbuf_free(&r);
	sl_arena_free(a);
	return ok;
}

static void
check_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	sl_strbuf sb = SL_STRBUF_INIT;
	char buf[65536];
	size_t n;

	SL_CHECK(f != NULL);
	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sl_strbuf_appendn(&sb, buf, n);
	fclose(f);
	nfiles++;
	SL_CHECK(roundtrip_text(path, sb.data ? sb.data : "", sb.len));
	sl_strbuf_free(&sb);
}

static void
walk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[4096 + 512];
		struct stat st;
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(path);
		else if (len > 4 && strcmp(de->d_name + len - 4, ".sql") == 0)
			check_file(path);
	}
	closedir(d);
}

static void
test_queries_dir(void)
{
	const char *srcdir = getenv("SRCDIR");
	char dir[4096];

	SL_CHECK(srcdir != NULL);
	if (!srcdir)
		return;
	snprintf(dir, sizeof dir, "%s/queries", srcdir);
	nfiles = 0;
	walk(dir);
	printf("# %d .sql files under %s\n", nfiles, dir);
	SL_CHECK(nfiles > 0);
}

/* inputs the fuzzer found (tests/fuzz/regress): they either fail with an
 * error that renders, or round-trip */
static void
test_fuzz_regress_dir(void)
{
	const char *srcdir = getenv("SRCDIR");
	char dir[4096];
	DIR *d;
	struct dirent *de;
	int n = 0;

	SL_CHECK(srcdir != NULL);
	if (!srcdir)
		return;
	snprintf(dir, sizeof dir, "%s/tests/fuzz/regress", srcdir);
	d = opendir(dir);
	SL_CHECK(d != NULL);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[4096 + 512];
		FILE *f;
		sl_strbuf sb = SL_STRBUF_INIT;
		char buf[65536];
		size_t k;
		sl_arena *a;
		sl_ast_script *s;
		sl_error *e = NULL;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		while ((k = fread(buf, 1, sizeof buf, f)) > 0)
			sl_strbuf_appendn(&sb, buf, k);
		fclose(f);
		n++;
		a = sl_arena_new(NULL, "regress");
		if (sl_parse(sb.data ? sb.data : "", sb.len, a, &s, &e)) {
			SL_CHECK(roundtrip_text(path, sb.data, sb.len));
		} else {
			sl_strbuf r = SL_STRBUF_INIT;
			sl_error_render(e, path, sb.data, sb.len, &r);
			SL_CHECK(strstr(sl_strbuf_str(&r), "error: ") != NULL);
			sl_strbuf_free(&r);
			sl_error_free(e);
		}
		sl_arena_free(a);
		sl_strbuf_free(&sb);
	}
	closedir(d);
	printf("# %d fuzz regression inputs\n", n);
	SL_CHECK(n > 0);
}

/* Nexmark as the Flink nexmark repository writes it */
static const char *const nexmark[] = {
	/* q5: hot items, HOP window TVF and a window join */
	"SELECT AuctionBids.auction, AuctionBids.num FROM ("
	"  SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime"
	"  FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))"
	"  GROUP BY auction, window_start, window_end) AS AuctionBids "
	"JOIN (SELECT max(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime FROM ("
	"  SELECT count(*) AS num, window_start AS starttime, window_end AS endtime"
	"  FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))"
	"  GROUP BY auction, window_start, window_end) AS CountBids "
	"  GROUP BY CountBids.starttime, CountBids.endtime) AS MaxBids "
	"ON AuctionBids.starttime = MaxBids.starttime AND AuctionBids.endtime = MaxBids.endtime "
	"AND AuctionBids.num >= MaxBids.maxn;",
	/* q7: highest bid, window join with a subquery in the ON clause */
	"INSERT INTO discard_sink SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra "
	"FROM bid B JOIN (SELECT MAX(price) AS maxprice, window_end as dateTime "
	"FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) "
	"GROUP BY window_start, window_end) B1 ON B.price = B1.maxprice "
	"WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '10' SECOND AND B1.dateTime;",
	/* q9: winning bids, ROW_NUMBER Top-1 */
	"SELECT id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra, "
	"auction, bidder, price, bid_dateTime, bid_extra FROM ("
	"SELECT A.*, B.auction, B.bidder, B.price, B.dateTime AS bid_dateTime, B.extra AS bid_extra, "
	"ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.dateTime ASC) AS rownum "
	"FROM auction A, bid B WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires) "
	"WHERE rownum <= 1;",
	/* q13: bounded side input join, FOR SYSTEM_TIME AS OF */
	"CREATE TABLE side_input (key BIGINT, `value` VARCHAR) WITH ('connector.type' = 'filesystem', "
	"'connector.path' = 'file://${FLINK_HOME}/data/side_input.txt', 'format.type' = 'csv');"
	"INSERT INTO discard_sink SELECT B.auction, B.bidder, B.price, B.dateTime, S.`value` "
	"FROM (SELECT *, PROCTIME() as p_time FROM bid) B JOIN side_input FOR SYSTEM_TIME AS OF B.p_time AS S "
	"ON mod(B.auction, 10000) = S.key;",
	/* q12: processing-time tumbling window, legacy group window */
	"SELECT B.bidder, count(*) as bid_count, TUMBLE_START(B.p_time, INTERVAL '10' SECOND) as starttime, "
	"TUMBLE_END(B.p_time, INTERVAL '10' SECOND) as endtime FROM (SELECT *, PROCTIME() as p_time FROM bid) B "
	"GROUP BY B.bidder, TUMBLE(B.p_time, INTERVAL '10' SECOND);",
	/* q14: a C scalar UDF and CASE */
	"CREATE FUNCTION count_char AS 'count_char' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';"
	"SELECT auction, bidder, 0.908 * price as price, CASE WHEN HOUR(dateTime) >= 8 AND HOUR(dateTime) <= 18 "
	"THEN 'dayTime' WHEN HOUR(dateTime) <= 6 OR HOUR(dateTime) >= 20 THEN 'nightTime' ELSE 'otherTime' "
	"END AS bidTimeType, dateTime, extra, count_char(extra, 'c') AS c_counts FROM bid "
	"WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000;",
	/* q15: DISTINCT and FILTER aggregates */
	"SELECT DATE_FORMAT(dateTime, 'yyyy-MM-dd') as `day`, count(*) AS total_bids, "
	"count(*) filter (where price < 10000) AS rank1_bids, "
	"count(distinct bidder) filter (where price >= 10000 and price < 1000000) AS rank2_bidders, "
	"count(distinct auction) AS total_auctions FROM bid GROUP BY DATE_FORMAT(dateTime, 'yyyy-MM-dd');",
	/* q19: Top-N per auction */
	"SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number "
	"FROM bid) WHERE rank_number <= 10;",
	/* q21: REGEXP_EXTRACT and CASE on channel */
	"SELECT auction, bidder, price, channel, CASE WHEN lower(channel) = 'apple' THEN '0' "
	"WHEN lower(channel) = 'google' THEN '1' WHEN lower(channel) = 'facebook' THEN '2' "
	"WHEN lower(channel) = 'baidu' THEN '3' ELSE REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) "
	"END AS channel_id FROM bid where REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) is not null or "
	"lower(channel) in ('apple', 'google', 'facebook', 'baidu');",
	/* q22: SPLIT_INDEX */
	"SELECT auction, bidder, price, channel, SPLIT_INDEX(url, '/', 3) as dir1, "
	"SPLIT_INDEX(url, '/', 4) as dir2, SPLIT_INDEX(url, '/', 5) as dir3 FROM bid;",
};

static void
test_nexmark_inline(void)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(nexmark); i++) {
		char name[32];
		snprintf(name, sizeof name, "nexmark[%zu]", i);
		SL_CHECK(roundtrip_text(name, nexmark[i], strlen(nexmark[i])));
	}
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_queries_dir);
	SL_RUN(test_nexmark_inline);
	SL_RUN(test_fuzz_regress_dir);
	return SL_TEST_MAIN_END();
}
