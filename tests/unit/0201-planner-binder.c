/*
 * 0201-planner-binder.c
 *	  Binder: name resolution with scopes (aliases, subqueries, CTEs,
 *	  views), nested fields, case-sensitive identifiers with case-aware
 *	  suggestions, star expansion, aggregate and window validation.
 */
#include "tests/unit/0200-planner-test.h"

static void
expect_error(const char *sql, const char *msg, const char *hint)
{
	pt_run r;
	pt_exec(&r, sql, true, 1);
	SL_CHECK_INT(r.last.kind, SL_RESULT_ERROR);
	SL_CHECK_STR(pt_error(&r), msg);
	if (hint && r.last.kind == SL_RESULT_ERROR)
		SL_CHECK_STR(r.last.error->hint, hint);
	pt_free(&r);
}

static void
expect_ok(const char *sql)
{
	pt_run r;
	pt_exec(&r, sql, true, 1);
	SL_CHECK_STR(pt_error(&r), "");
	SL_CHECK_INT(r.nerrors, 0);
	pt_free(&r);
}

static void
test_views_and_nested_fields(void)
{
	expect_ok("SELECT auction, price FROM bid;");
	expect_ok("SELECT bid.price, n.bid.auction, n.bid.url FROM nexmark n;");
	expect_error("SELECT bid.price FROM nexmark n, nexmark;", "column reference \"bid\" is ambiguous", NULL);
	expect_error("SELECT bid.pricee FROM nexmark;", "field \"pricee\" does not exist in \"bid\"",
	             "did you mean \"price\"?");
}

static void
test_case_sensitive_identifiers(void)
{
	expect_error("SELECT datetime FROM bid;", "column \"datetime\" does not exist",
	             "did you mean \"dateTime\"?");
	expect_error("SELECT price FROM Bid;", "table or view \"Bid\" does not exist", "did you mean \"bid\"?");
	/* function names are case-insensitive */
	expect_ok("SELECT LoWeR(channel), mod(auction, 2) FROM bid;");
}

static void
test_scopes(void)
{
	expect_ok("SELECT B.p FROM (SELECT price AS p FROM bid) AS B;");
	expect_ok("WITH hot AS (SELECT auction, price FROM bid WHERE price > 100) SELECT h.auction FROM hot h;");
	expect_error("SELECT price FROM (SELECT auction FROM bid) t;", "column \"price\" does not exist", NULL);
	expect_error("SELECT id FROM auction a JOIN person p ON a.seller = p.id;",
	             "column reference \"id\" is ambiguous", "qualify it: \"a.id\" or \"p.id\"");
	expect_ok("SELECT a.* , p.name FROM auction a JOIN person p ON a.seller = p.id;");
}

static void
test_star_expansion(void)
{
	pt_run r;
	pt_exec(&r, "EXPLAIN SELECT * FROM bid;", true, 1);
	SL_CHECK_INT(r.last.kind, SL_RESULT_EXPLAIN);
	if (r.last.plan)
		SL_CHECK_INT(r.last.plan->roots[0]->nfields, 7);
	pt_free(&r);
}

static void
test_aggregate_validation(void)
{
	expect_error("SELECT auction, bidder, COUNT(*) FROM bid GROUP BY auction;",
	             "column \"bidder\" must appear in the GROUP BY clause or be used in an aggregate function", NULL);
	expect_error("SELECT auction FROM bid WHERE SUM(price) > 1;",
	             "aggregate function \"SUM\" is not allowed in WHERE", "use HAVING to filter on an aggregate");
	expect_error("SELECT MAX(COUNT(*)) FROM bid;", "aggregate function calls cannot be nested", NULL);
	expect_ok("SELECT auction, COUNT(*) FROM bid GROUP BY auction HAVING COUNT(*) > 2;");
	expect_ok("SELECT MOD(auction, 10), COUNT(*) FROM bid GROUP BY MOD(auction, 10);");
}

static void
test_window_validation(void)
{
	expect_error("SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(price), INTERVAL '1' SECOND))"
	             " GROUP BY window_start, window_end;",
	             "windowing on a non-time attribute: column \"price\" is not a time attribute", NULL);
	expect_error("SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' SECOND))"
	             " GROUP BY window_end;",
	             "a window aggregation over a window table function must GROUP BY both window_start and window_end",
	             "add window_start to the GROUP BY clause");
	/* a time attribute does not survive a group aggregate */
	expect_error("CREATE VIEW m AS SELECT auction, MAX(dateTime) AS t FROM bid GROUP BY auction;"
	             "SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE m, DESCRIPTOR(t), INTERVAL '1' SECOND))"
	             " GROUP BY window_start, window_end;",
	             "windowing on a non-time attribute: column \"t\" is not a time attribute", NULL);
	expect_ok("SELECT bidder, TUMBLE_START(dateTime, INTERVAL '10' SECOND), COUNT(*) FROM bid"
	          " GROUP BY bidder, TUMBLE(dateTime, INTERVAL '10' SECOND);");
}

static void
test_catalog(void)
{
	expect_error("CREATE TABLE bid2 (a INT) WITH ('connector' = 'datagen'); CREATE TABLE bid2 (b INT) WITH ('connector' = 'datagen');",
	             "table \"bid2\" already exists", NULL);
	expect_error("DROP TABLE nope;", "table \"nope\" does not exist", NULL);
	expect_ok("DROP TABLE IF EXISTS nope;");
	expect_error("CREATE TABLE k (a INT) WITH ('connector' = 'kafka', 'topik' = 'x');",
	             "unknown option \"topik\" for connector \"kafka\"", "did you mean \"topic\"?");
	/* no UDF path configured: no library loads (tests/sql/udf.sql loads one) */
	expect_error("CREATE FUNCTION count_char AS 'count_char' LANGUAGE C USING LIBRARY 'libx.so';",
	             "cannot load library \"libx.so\": no UDF path is configured",
	             "start sluice with --udf-path DIR, or SET 'udf.path' = 'DIR' before CREATE FUNCTION");
}

static void
test_split_script(void)
{
	const char *src = "-- c; one\nSELECT ';' FROM t; /* ; */ SET 'a' = 'b';\n"
	                  "EXECUTE STATEMENT SET BEGIN INSERT INTO x SELECT 1; INSERT INTO y SELECT 2; END;\n"
	                  "SELECT `a;b` FROM t\n";
	sl_stmt_text *st = NULL;
	size_t n = sl_plan_split_script(src, strlen(src), &st);
	SL_CHECK_INT(n, 4);
	if (n == 4) {
		SL_CHECK(strncmp(src + st[0].start, "SELECT ';' FROM t;", st[0].end - st[0].start) == 0);
		SL_CHECK(strncmp(src + st[1].start, "SET", 3) == 0);
		SL_CHECK(strncmp(src + st[2].start, "EXECUTE", 7) == 0);
		SL_CHECK(src[st[2].end - 1] == ';' && src[st[2].end - 2] == 'D');
		SL_CHECK_INT(st[3].end, strlen(src));
	}
	free(st);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_views_and_nested_fields);
	SL_RUN(test_case_sensitive_identifiers);
	SL_RUN(test_scopes);
	SL_RUN(test_star_expansion);
	SL_RUN(test_aggregate_validation);
	SL_RUN(test_window_validation);
	SL_RUN(test_catalog);
	SL_RUN(test_split_script);
	return SL_TEST_MAIN_END();
}
