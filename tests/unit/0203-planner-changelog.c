/*
 * 0203-planner-changelog.c
 *	  Changelog-mode inference per operator and sink acceptance.
 */
#include "tests/unit/0200-planner-test.h"

/* The changelog kinds of the first operator named op in the plan of the
 * last statement, -1 if none. */
static int
kinds_of(const char *sql, int tag)
{
	pt_run r;
	int k = -1;
	pt_exec(&r, sql, true, 2);
	if (r.last.plan)
		for (int i = 0; i < r.last.plan->nops; i++)
			if (r.last.plan->ops[i]->tag == tag) {
				k = r.last.plan->ops[i]->changelog.kinds;
				break;
			}
	pt_free(&r);
	return k;
}

static const char *cdc =
	"CREATE TABLE orders (id BIGINT, cust BIGINT, amount DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED)"
	" WITH ('connector' = 'kafka', 'topic' = 'o', 'properties.bootstrap.servers' = 'x:1', 'format' = 'debezium-json');"
	"CREATE TABLE up (id BIGINT, n BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka',"
	" 'topic' = 'u', 'properties.bootstrap.servers' = 'x:1', 'key.format' = 'json', 'value.format' = 'json');"
	"CREATE TABLE fs (id BIGINT, n BIGINT) WITH ('connector' = 'filesystem', 'path' = '/tmp/x', 'format' = 'csv');";

static void
test_append_only(void)
{
	SL_CHECK_INT(kinds_of("SELECT auction FROM bid;", T_PCalc), SL_CL_I);
	SL_CHECK_INT(kinds_of("SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' SECOND))"
	                      " GROUP BY window_start, window_end;", T_PGlobalWindowAggregate), SL_CL_I);
	/* two-phase (AUTO for windows): the Local emits partials as inserts */
	SL_CHECK_INT(kinds_of("SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' SECOND))"
	                      " GROUP BY window_start, window_end;", T_PLocalWindowAggregate), SL_CL_I);
}

static void
test_group_aggregate(void)
{
	SL_CHECK_INT(kinds_of("SELECT auction, COUNT(*) FROM bid GROUP BY auction;", T_PGroupAggregate),
	             SL_CL_I | SL_CL_UB | SL_CL_UA);
	/* an aggregate over an updating input also deletes */
	SL_CHECK_INT(kinds_of("SELECT c, COUNT(*) FROM (SELECT auction, COUNT(*) AS c FROM bid GROUP BY auction) GROUP BY c;",
	                      T_PGroupAggregate), SL_CL_I | SL_CL_UB | SL_CL_UA);
}

static void
test_rank_and_dedup(void)
{
	SL_CHECK_INT(kinds_of("SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn"
	                      " FROM bid) WHERE rn <= 3;", T_PRank), SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D);
	SL_CHECK_INT(kinds_of("SELECT auction FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY dateTime DESC)"
	                      " AS rn FROM bid) WHERE rn = 1;", T_PDeduplicate), SL_CL_I | SL_CL_UB | SL_CL_UA);
	/* keep-first on event time updates too (a late row with an earlier
	 * rowtime replaces the kept one), as in Flink */
	SL_CHECK_INT(kinds_of("SELECT auction FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY dateTime ASC)"
	                      " AS rn FROM bid) WHERE rn = 1;", T_PDeduplicate), SL_CL_I | SL_CL_UB | SL_CL_UA);
	/* only keep-first on processing time is insert-only */
	SL_CHECK_INT(kinds_of("SELECT auction FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY pt ASC)"
	                      " AS rn FROM (SELECT *, PROCTIME() AS pt FROM bid)) WHERE rn = 1;", T_PDeduplicate), SL_CL_I);
}

/* An append-only sink refuses rowtime keep-first deduplication (updating)
 * and takes proctime keep-first; Deduplicate refuses an updating input. */
static void
test_dedup_sinks(void)
{
	static const char *fs =
		"CREATE TABLE fs (auction BIGINT, price BIGINT) WITH ('connector' = 'filesystem', 'path' = '/tmp/x', 'format' = 'csv');";
	pt_run r;
	char sql[4096];
	snprintf(sql, sizeof sql, "%sINSERT INTO fs SELECT auction, price FROM (SELECT *, ROW_NUMBER() OVER "
	         "(PARTITION BY auction ORDER BY dateTime) AS rn FROM bid) WHERE rn = 1;", fs);
	pt_exec(&r, sql, true, 1);
	SL_CHECK_INT(r.last.kind, SL_RESULT_ERROR);
	SL_CHECK(strstr(pt_error(&r), "table sink \"fs\" doesn't support consuming update changes which is "
	                              "produced by node Deduplicate(") != NULL);
	pt_free(&r);
	snprintf(sql, sizeof sql, "%sINSERT INTO fs SELECT auction, price FROM (SELECT *, ROW_NUMBER() OVER "
	         "(PARTITION BY auction ORDER BY pt) AS rn FROM (SELECT *, PROCTIME() AS pt FROM bid)) WHERE rn = 1;", fs);
	pt_exec(&r, sql, true, 1);
	SL_CHECK_INT(r.last.kind, SL_RESULT_PLAN);
	pt_free(&r);
	pt_exec(&r, "CREATE TABLE o (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'kafka',"
	            " 'topic' = 'o', 'properties.bootstrap.servers' = 'x:1', 'format' = 'debezium-json');"
	            "SELECT id FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) AS rn FROM o) WHERE rn = 1;",
	        true, 1);
	SL_CHECK_INT(r.last.kind, SL_RESULT_ERROR);
	SL_CHECK(strstr(pt_error(&r), "Deduplicate doesn't support consuming update and delete changes") != NULL);
	pt_free(&r);
}

static void
test_joins(void)
{
	SL_CHECK_INT(kinds_of("SELECT * FROM bid B JOIN auction A ON B.auction = A.id;", T_PJoin), SL_CL_I);
	SL_CHECK_INT(kinds_of("SELECT * FROM bid B LEFT JOIN auction A ON B.auction = A.id;", T_PJoin),
	             SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D);
}

static void
test_cdc_and_sinks(void)
{
	pt_run r;
	char sql[4096];
	snprintf(sql, sizeof sql, "%sSELECT id, amount FROM orders;", cdc);
	SL_CHECK_INT(kinds_of(sql, T_PTableSourceScan), SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D);
	snprintf(sql, sizeof sql, "%sSELECT id, n FROM up;", cdc);
	SL_CHECK_INT(kinds_of(sql, T_PChangelogNormalize), SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D);
	/* updating input into an append-only sink: rejected */
	snprintf(sql, sizeof sql, "%sINSERT INTO fs SELECT cust, COUNT(*) FROM orders GROUP BY cust;", cdc);
	pt_exec(&r, sql, true, 1);
	SL_CHECK_INT(r.last.kind, SL_RESULT_ERROR);
	SL_CHECK(strstr(pt_error(&r), "table sink \"fs\" doesn't support consuming update changes") != NULL);
	pt_free(&r);
	/* into an upsert sink: accepted, upsert on the key */
	snprintf(sql, sizeof sql, "%sINSERT INTO up SELECT cust, COUNT(*) FROM orders GROUP BY cust;", cdc);
	pt_exec(&r, sql, true, 1);
	SL_CHECK_INT(r.last.kind, SL_RESULT_PLAN);
	if (r.last.plan) {
		SL_CHECK_INT(r.last.plan->roots[0]->changelog.kinds, SL_CL_I | SL_CL_UA | SL_CL_D);
		SL_CHECK_INT(r.last.plan->roots[0]->changelog.nkey, 1);
	}
	pt_free(&r);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_append_only);
	SL_RUN(test_group_aggregate);
	SL_RUN(test_rank_and_dedup);
	SL_RUN(test_dedup_sinks);
	SL_RUN(test_joins);
	SL_RUN(test_cdc_and_sinks);
	return SL_TEST_MAIN_END();
}
