/*
 * 0101-parser-roundtrip.c
 *	  Every construct of the dialect parses, prints as canonical SQL and
 *	  re-parses to an equal tree; selected trees are checked field by field
 *	  (precedence, identifiers, spans, normalizations).
 */
#include "parser/parser_int.h" /* keyword table */
#include "tests/unit/test.h"

static sl_ast_script *
parse_ok(sl_arena *a, const char *sql)
{
	sl_ast_script *s = NULL;
	sl_error *e = NULL;

	if (!sl_parse(sql, strlen(sql), a, &s, &e)) {
		sl_strbuf r = SL_STRBUF_INIT;
		sl_error_render(e, NULL, sql, strlen(sql), &r);
		printf("#   parse failed:\n%s", sl_strbuf_str(&r));
		sl_strbuf_free(&r);
		sl_error_free(e);
		return NULL;
	}
	return s;
}

/* parse, print, re-parse, compare; returns false (and says why) on failure */
static bool
roundtrip(const char *sql)
{
	sl_arena *a = sl_arena_new(NULL, "rt");
	sl_ast_script *s1, *s2;
	sl_strbuf t1 = SL_STRBUF_INIT, t2 = SL_STRBUF_INIT;
	bool ok = false;

	s1 = parse_ok(a, sql);
	if (!s1) {
		printf("#   in: %s\n", sql);
		goto out;
	}
	sl_ast_print(s1, &t1);
	s2 = parse_ok(a, sl_strbuf_str(&t1));
	if (!s2) {
		printf("#   printed: %s\n", sl_strbuf_str(&t1));
		goto out;
	}
	if (!sl_ast_equal(s1, s2)) {
		printf("#   not equal after round trip: %s\n#   printed: %s\n", sql, sl_strbuf_str(&t1));
		goto out;
	}
	/* printing is a fixed point */
	sl_ast_print(s2, &t2);
	if (strcmp(sl_strbuf_str(&t1), sl_strbuf_str(&t2)) != 0) {
		printf("#   printing is not stable: %s\n", sql);
		goto out;
	}
	ok = true;
out:
	sl_strbuf_free(&t1);
	sl_strbuf_free(&t2);
	sl_arena_free(a);
	return ok;
}

static const char *const statements[] = {
	/* DDL */
	"CREATE TABLE t (a INT, b STRING)",
	"CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.t (a INTEGER NOT NULL, b VARCHAR(10), c CHAR(3)) WITH ('connector' = 'print')",
	"create table T (`select` int, `a``b` string, name STRING, state STRING, city STRING, extra STRING, "
	"channel STRING, url STRING, reserve BIGINT, category BIGINT, value DOUBLE, `timestamp` TIMESTAMP(3), "
	"date DATE, time TIME, language STRING, `function` STRING, position INT, key STRING, comment STRING) "
	"with ('connector' = 'datagen')",
	"CREATE TABLE t (d DECIMAL(10, 2), d2 DECIMAL(5), d3 DECIMAL, n NUMERIC(3,1), f FLOAT, r REAL, "
	"x DOUBLE, y DOUBLE PRECISION, ti TINYINT, si SMALLINT, bi BIGINT, bo BOOLEAN, by1 BYTES, "
	"bn BINARY(4), vb VARBINARY(8), vc CHARACTER VARYING(5))",
	"CREATE TABLE t (ts TIMESTAMP(3), ltz TIMESTAMP_LTZ(3), ltz2 TIMESTAMP(3) WITH LOCAL TIME ZONE, "
	"ts0 TIMESTAMP, ts1 TIMESTAMP(6) WITHOUT TIME ZONE, tm TIME(0), dt DATE)",
	"CREATE TABLE t (i1 INTERVAL DAY, i2 INTERVAL DAY TO SECOND(3), i3 INTERVAL YEAR TO MONTH, "
	"i4 INTERVAL SECOND(3), i5 INTERVAL DAY(2) TO HOUR)",
	"CREATE TABLE t (r ROW<a INT, b STRING>, r2 ROW(a INT, b ROW<c BIGINT NOT NULL 'a comment'>), "
	"arr ARRAY<INT>, m MAP<STRING, ARRAY<ROW<x INT>>>, ms MULTISET<STRING>, e ROW<>)",
	"CREATE TABLE bid (auction BIGINT, price BIGINT, dateTime TIMESTAMP(3), "
	"proc AS PROCTIME(), price_eur AS price * 0.9, "
	"WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND) WITH ('connector' = 'nexmark')",
	"CREATE TABLE k (id BIGINT PRIMARY KEY NOT ENFORCED COMMENT 'the key', v STRING COMMENT 'x''y') "
	"COMMENT 'table comment' WITH ('connector' = 'upsert-kafka', 'topic' = 'k')",
	"CREATE TABLE k (a INT, b INT, PRIMARY KEY (a, b) NOT ENFORCED) WITH ('connector' = 'print')",
	"CREATE TABLE k (a INT, b INT, CONSTRAINT pk PRIMARY KEY (a) NOT ENFORCED)",
	"CREATE TABLE m (id BIGINT, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL, "
	"part INT METADATA VIRTUAL, off BIGINT METADATA FROM 'offset', headers MAP<STRING, BYTES> METADATA)",
	"CREATE TABLE fs (dt STRING, v INT) PARTITIONED BY (dt) WITH ('connector' = 'filesystem', 'path' = '/tmp/x')",
	"CREATE TABLE t2 WITH ('connector' = 'print') AS SELECT * FROM t",
	"CREATE TABLE t3 (a INT) WITH ('connector' = 'print') AS SELECT 1",
	"CREATE VIEW v AS SELECT a FROM t",
	"CREATE TEMPORARY VIEW IF NOT EXISTS v (x, y) COMMENT 'c' AS SELECT a, b FROM t",
	"CREATE FUNCTION f AS 'my_symbol' LANGUAGE C USING LIBRARY 'libudf.so'",
	"CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS db.f AS 'com.example.F' LANGUAGE JAVA USING JAR '/x.jar'",
	"CREATE TEMPORARY FUNCTION f AS 'F'",
	"DROP TABLE t", "DROP TABLE IF EXISTS c.d.t", "DROP TEMPORARY VIEW IF EXISTS v",
	"DROP FUNCTION f", "DROP TEMPORARY SYSTEM FUNCTION IF EXISTS f",
	"SET 'parallelism.default' = '4'", "SET", "RESET", "RESET 'table.exec.state.ttl'",
	"SHOW TABLES", "SHOW VIEWS", "SHOW FUNCTIONS", "SHOW JOBS", "SHOW CATALOGS", "SHOW DATABASES",
	"SHOW CREATE TABLE t", "SHOW CREATE VIEW v",
	"DESCRIBE t", "DESC t", "DESCRIBE EXTENDED db.t", "DESCRIBE FUNCTION f", "DESCRIBE FUNCTION EXTENDED f",
	"DESCRIBE function", "DESC extended",
	"EXPLAIN SELECT 1", "EXPLAIN JSON SELECT 1", "EXPLAIN PLAN FOR SELECT * FROM t",
	"EXPLAIN CHANGELOG_MODE, ESTIMATED_COST, JSON_EXECUTION_PLAN INSERT INTO s SELECT * FROM t",
	"EXPLAIN STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END",
	"INSERT INTO s SELECT * FROM t", "INSERT INTO s (a, b) SELECT x, y FROM t",
	"INSERT OVERWRITE s SELECT * FROM t", "INSERT INTO s VALUES (1, 'a'), (2, 'b')",
	"INSERT INTO s (SELECT 1)", "INSERT INTO s /*+ OPTIONS('sink.parallelism' = '2') */ SELECT 1",
	"EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT * FROM t; INSERT INTO b SELECT * FROM t; END",
	"EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT * FROM t END",
	"BEGIN STATEMENT SET; INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END",
	"INSERT INTO fs PARTITION (dt = '2024-01-01', `hour` = '10') SELECT a FROM t",
	"INSERT OVERWRITE fs /*+ OPTIONS('a' = 'b') */ PARTITION (dt = 'x') (a, b) SELECT 1, 2",
	"USE db1", "USE cat.db", "USE CATALOG my_cat", "SELECT catalog, `use` FROM t",
	/* queries */
	"SELECT 1", "SELECT * FROM t", "SELECT DISTINCT a FROM t", "SELECT ALL a FROM t",
	"SELECT t.*, s.* FROM t, s", "SELECT a AS x, b y, c AS `from`, d AS value, e AS `timestamp` FROM t",
	"SELECT a AS date, b AS time, c AS select FROM t",
	"SELECT 1 + 2 * 3 - 4 / 5 % 6, 'a' || 'b', -a, +a, - -a FROM t",
	"SELECT a = b, a <> b, a != b, a < b, a <= b, a > b, a >= b FROM t",
	"SELECT a AND b OR NOT c, NOT (a OR b) AND c FROM t",
	"SELECT a IS NULL, a IS NOT NULL, a IS TRUE, a IS NOT TRUE, a IS FALSE, a IS NOT FALSE, "
	"a IS UNKNOWN, a IS NOT UNKNOWN, a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b FROM t",
	"SELECT a BETWEEN 1 AND 2, a NOT BETWEEN 1 AND 2 + 3, a BETWEEN SYMMETRIC 5 AND 1, "
	"a BETWEEN ASYMMETRIC 1 AND 5 FROM t",
	"SELECT a IN (1, 2, 3), a NOT IN ('x'), a IN (SELECT b FROM s), a NOT IN (SELECT b FROM s) FROM t",
	"SELECT a LIKE 'x%', a NOT LIKE '%y' ESCAPE '!', a SIMILAR TO 'a|b', a NOT SIMILAR TO 'c' FROM t",
	"SELECT CASE WHEN a = 1 THEN 'one' WHEN a = 2 THEN 'two' ELSE 'many' END, "
	"CASE a WHEN 1 THEN 'x' END FROM t",
	"SELECT CAST(a AS BIGINT), TRY_CAST(b AS DECIMAL(10, 2)), CAST(c AS TIMESTAMP(3)), "
	"CAST(d AS ROW<x INT>), CAST(e AS VARCHAR NOT NULL) FROM t",
	"SELECT EXTRACT(YEAR FROM ts), EXTRACT(DOW FROM ts), EXTRACT(MILLISECOND FROM ts), "
	"EXTRACT(epoch FROM ts) FROM t",
	"SELECT POSITION('a' IN s), POSITION(x || 'b' IN y) FROM t",
	"SELECT TRIM(s), TRIM(BOTH FROM s), TRIM(LEADING 'x' FROM s), TRIM(TRAILING FROM s), TRIM('y' FROM s) FROM t",
	"SELECT SUBSTRING(s FROM 2), SUBSTRING(s FROM 2 FOR 3), SUBSTRING(s, 1, 2), "
	"OVERLAY(s PLACING 'x' FROM 2), OVERLAY(s PLACING 'x' FROM 2 FOR 1) FROM t",
	"SELECT FLOOR(ts TO HOUR), CEIL(ts TO DAY), FLOOR(x), CEIL(y), CEILING(z), floor(ts to week) FROM t",
	"SELECT TIMESTAMPADD(HOUR, 2, ts), TIMESTAMPDIFF(SECOND, a, b), TIMESTAMPADD(QUARTER, 1, d) FROM t",
	"SELECT CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME, LOCALTIMESTAMP, LOCALTIME, NOW(), PROCTIME()",
	"SELECT COUNT(*), count(DISTINCT a), SUM(b) FILTER (WHERE c > 0), COUNT(DISTINCT a, b) "
	"FILTER (WHERE d IS NOT NULL), IF(a > 1, 'x', 'y'), my.udf(1), cat.db.f(DISTINCT x) FROM t",
	"SELECT person.id, a.b.c, t.`weird name`.x, arr[1], m['k'], arr[1].f, f(x).y, (r).z, "
	"m['a']['b'] FROM t",
	"SELECT 1, -2, 3.5, .5, 1., 1e3, 1.5E-3, 'it''s', '', X'0aFF', TRUE, FALSE, NULL, "
	"DATE '2024-01-01', TIME '10:00:00', TIMESTAMP '2024-01-01 10:00:00.123', 9223372036854775808",
	"SELECT INTERVAL '5' SECOND, INTERVAL '1 10:00' DAY TO MINUTE, INTERVAL '10' SECOND(3), "
	"INTERVAL '2' MINUTES, INTERVAL '1-2' YEAR TO MONTH, INTERVAL -'3' DAY, INTERVAL '7' DAY(3), "
	"INTERVAL '1' HOURS, INTERVAL '2' DAYS",
	"SELECT (SELECT MAX(x) FROM s), EXISTS (SELECT 1 FROM s WHERE s.a = t.a) FROM t",
	"SELECT ROW(1, 'a'), ARRAY[1, 2, 3], ARRAY[], MAP['a', 1, 'b', 2] FROM t",
	"SELECT * FROM t AS x, s y, u AS z(a, b), db.v",
	"SELECT * FROM (SELECT a FROM t) AS sub, (SELECT 1) s2(x)",
	"SELECT * FROM t, LATERAL TABLE(split(t.s)) AS x(word, len)",
	"SELECT * FROM t CROSS JOIN LATERAL TABLE(split(t.s)) AS x(w)",
	"SELECT * FROM t LEFT JOIN LATERAL TABLE(f(a)) AS x(w) ON TRUE",
	"SELECT * FROM t CROSS JOIN UNNEST(t.arr) AS u(x)",
	"SELECT * FROM t CROSS JOIN UNNEST(t.arr, t.arr2) WITH ORDINALITY AS u(x, y, n)",
	"SELECT * FROM a JOIN b ON a.x = b.x INNER JOIN c ON b.y = c.y LEFT JOIN d ON TRUE "
	"LEFT OUTER JOIN e ON TRUE RIGHT JOIN f ON TRUE RIGHT OUTER JOIN g ON TRUE FULL JOIN h ON TRUE "
	"FULL OUTER JOIN i ON TRUE CROSS JOIN j",
	"SELECT * FROM a JOIN b USING (x, y) NATURAL JOIN c NATURAL LEFT JOIN d",
	"SELECT * FROM a JOIN b JOIN c ON b.x = c.x ON a.y = b.y",
	"SELECT * FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.proctime AS r ON o.cur = r.cur",
	"SELECT * FROM orders o LEFT JOIN dim FOR SYSTEM_TIME AS OF o.rowtime ON o.k = dim.k",
	"SELECT * FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))",
	"SELECT * FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))",
	"SELECT * FROM TABLE(CUMULATE(TABLE bid, DESCRIPTOR(ts), INTERVAL '2' MINUTES, INTERVAL '10' MINUTES))",
	"SELECT * FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(ts), INTERVAL '5' MINUTES))",
	"SELECT * FROM TABLE(SESSION(TABLE bid PARTITION BY (bidder, auction), DESCRIPTOR(ts), INTERVAL '5' MINUTE))",
	"SELECT * FROM TABLE(TUMBLE(DATA => TABLE bid, TIMECOL => DESCRIPTOR(dateTime), "
	"SIZE => INTERVAL '10' SECOND, OFFSET => INTERVAL '1' SECOND))",
	"SELECT * FROM t /*+ OPTIONS('scan.startup.mode' = 'earliest-offset', 'x' = 'y') */ AS t1",
	"SELECT /*+ STATE_TTL('o' = '1d', 'p' = '12h') */ * FROM o JOIN p ON o.id = p.id",
	"SELECT /*+ BROADCAST(dim), MY_HINT, LOOKUP('table' = 'dim', 'retry-predicate' = 'lookup_miss') */ 1",
	"SELECT /*+ NEW_HINT(a, b) OTHER() */ 1",
	"SELECT a, COUNT(*) FROM t WHERE b > 0 GROUP BY a HAVING COUNT(*) > 1",
	"SELECT a FROM t GROUP BY 1, a + 1",
	"SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE), COUNT(*) FROM t GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE)",
	"SELECT HOP_END(ts, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE) FROM t "
	"GROUP BY HOP(ts, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE), SESSION(ts, INTERVAL '3' HOUR)",
	"SELECT a, b, SUM(c) FROM t GROUP BY GROUPING SETS ((a, b), a, ())",
	"SELECT a, b FROM t GROUP BY ROLLUP (a, b)",
	"SELECT a, b FROM t GROUP BY CUBE (a, (a, b)), ()",
	"SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b DESC) AS rn FROM t",
	"SELECT SUM(x) OVER (ORDER BY ts ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) FROM t",
	"SELECT SUM(x) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) FROM t",
	"SELECT SUM(x) OVER (ORDER BY ts ROWS UNBOUNDED PRECEDING), MAX(x) OVER (ORDER BY ts ROWS 3 PRECEDING) FROM t",
	"SELECT SUM(x) OVER (ORDER BY ts RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t",
	"SELECT SUM(x) OVER w, AVG(x) OVER (w ORDER BY y) FROM t WINDOW w AS (PARTITION BY k ORDER BY ts)",
	"SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts ASC NULLS LAST) AS rn FROM t) WHERE rn = 1",
	"SELECT a FROM t UNION ALL SELECT a FROM s",
	"SELECT a FROM t UNION SELECT a FROM s UNION DISTINCT SELECT a FROM u",
	"SELECT a FROM t INTERSECT SELECT a FROM s EXCEPT SELECT a FROM u",
	"SELECT a FROM t INTERSECT ALL SELECT a FROM s EXCEPT ALL SELECT a FROM u MINUS SELECT 1",
	"(SELECT a FROM t UNION SELECT b FROM s) INTERSECT SELECT c FROM u",
	"SELECT a FROM t UNION ALL (SELECT a FROM s UNION ALL SELECT a FROM u)",
	"SELECT a FROM t ORDER BY a DESC, b ASC NULLS FIRST LIMIT 10",
	"SELECT a FROM t ORDER BY a FETCH FIRST 5 ROWS ONLY",
	"SELECT a FROM t FETCH NEXT ROW ONLY",
	"SELECT a FROM t LIMIT 10 OFFSET 5", "SELECT a FROM t OFFSET 5 ROWS", "SELECT a FROM t OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY",
	"SELECT a FROM t UNION ALL SELECT b FROM s ORDER BY 1 LIMIT 3",
	"(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM s LIMIT 2)",
	"WITH x AS (SELECT 1 AS a), y (b) AS (SELECT a FROM x) SELECT * FROM y",
	"WITH x AS (SELECT 1) SELECT * FROM x UNION ALL SELECT 2 ORDER BY 1 LIMIT 1",
	"WITH x AS (SELECT 1) (SELECT * FROM x ORDER BY 1 LIMIT 1)",
	"VALUES (1, 'a'), (2, 'b')", "VALUES ROW(1)", "SELECT * FROM (VALUES (1), (2)) AS v(x)",
	"SELECT ((SELECT 1)), (((a))) FROM t",
	"SELECT 1; SELECT 2;; ; SELECT 3",
	"-- a comment\nSELECT /* inline */ a -- trailing\nFROM t /* multi\nline */",
	"SELECT `a`, `A`, `a b`, `a``b`, `Ünïcödé` FROM `my table`",
	"SeLeCt A fRoM T wHeRe A iS nOt NuLl",
	"SELECT a FROM t WHERE NOT a NOT LIKE 'x' AND b NOT IN (1) OR c NOT BETWEEN 1 AND 2",
	"SELECT name, state, city, extra, channel, url, reserve, category, value, date, time, `timestamp`, "
	"language, `function`, position, year, month, day, hour, minute, second, comment, key, first, last, "
	"`rows`, `range`, data, size, metadata, watermark, plan, jobs, tables FROM t",
	"SELECT year(ts), hour(ts), minute(ts), second(ts), month(ts) FROM t",
	"SELECT f(a => 1, b => 'x') FROM t",
	"SELECT LEFT(s, 3), right(s, 2) FROM t LEFT JOIN u ON TRUE",
	"SELECT a[1 + 1], (a + b)[1], ARRAY[1][1] FROM t",
	"SELECT COALESCE(a, b), NULLIF(a, b), CHAR_LENGTH(s), UPPER(s), REGEXP_EXTRACT(s, '(\\d+)', 1), "
	"DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm'), TO_TIMESTAMP(s), CONCAT_WS(',', a, b) FROM t",
	"SELECT a FROM t WHERE a IN ((SELECT 1)) AND b = ((SELECT 2))",
	"SELECT * FROM t WHERE ROW(a, b) IS NOT NULL",
	"SELECT CAST(x AS INTERVAL DAY TO SECOND(3)), CAST(y AS ARRAY<STRING NOT NULL> NOT NULL) FROM t",
};

static void
test_roundtrip_statements(void)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(statements); i++)
		SL_CHECK(roundtrip(statements[i]));
}

/* the first statement of sql, printed */
static char *
printed(const char *sql)
{
	sl_arena *a = sl_arena_new(NULL, "p");
	sl_ast_script *s = parse_ok(a, sql);
	sl_strbuf out = SL_STRBUF_INIT;
	char *r;

	if (s && s->stmts.n)
		sl_ast_print(s->stmts.items[0], &out);
	else
		sl_strbuf_append(&out, "<parse failed>");
	r = sl_strbuf_take(&out);
	sl_arena_free(a);
	return r;
}

#define CHECK_PRINT(sql, expect)                                               \
	do {                                                                       \
		char *p_ = printed(sql);                                               \
		SL_CHECK_STR(p_, expect);                                              \
		free(p_);                                                              \
	} while (0)

static void
test_canonical_text(void)
{
	CHECK_PRINT("select a+b*c from t", "SELECT a + (b * c) FROM t");
	CHECK_PRINT("select (a+b)*c from t", "SELECT (a + b) * c FROM t");
	CHECK_PRINT("select a or b and not c", "SELECT a OR (b AND (NOT c))");
	CHECK_PRINT("select not a = b", "SELECT NOT (a = b)");
	CHECK_PRINT("select a = b not like c", "SELECT a = (b NOT LIKE c)");
	CHECK_PRINT("select - - 1", "SELECT -(-1)");
	CHECK_PRINT("select a - b - c, a - (b - c), a * b / c % d || e, a or b or c and d and e",
	            "SELECT a - b - c, a - (b - c), a * b / c % d || e, a OR b OR (c AND d AND e)");
	CHECK_PRINT("select a = b = c", "<parse failed>");
	CHECK_PRINT("select a b from t x", "SELECT a AS b FROM t AS x");
	CHECK_PRINT("select * from a left outer join b on true fetch first 3 rows only",
	            "SELECT * FROM a LEFT JOIN b ON TRUE LIMIT 3");
	CHECK_PRINT("select cast(x as integer), cast(y as dec(5,2)), cast(z as timestamp(3) with local time zone)",
	            "SELECT CAST(x AS INT), CAST(y AS DECIMAL(5, 2)), CAST(z AS TIMESTAMP_LTZ(3))");
	CHECK_PRINT("create table t (r row(a int))", "CREATE TABLE t (\n  r ROW<a INT>\n)");
	CHECK_PRINT("select 'it''s'", "SELECT 'it''s'");
	CHECK_PRINT("select `a``b`", "SELECT `a``b`");
	CHECK_PRINT("select sum(x) over (order by t rows 2 preceding)",
	            "SELECT sum(x) OVER (ORDER BY t ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)");
	CHECK_PRINT("explain plan for select 1", "EXPLAIN SELECT 1");
	CHECK_PRINT("select interval '5' seconds", "SELECT INTERVAL '5' SECOND");
	CHECK_PRINT("desc t", "DESCRIBE t");
}

static void
test_tree_shapes(void)
{
	sl_arena *a = sl_arena_new(NULL, "shape");
	const char *sql = "SELECT `Person`.id AS `select`, Name FROM db.Bid b WHERE price > 10";
	sl_ast_script *s = parse_ok(a, sql);
	sl_ast_select *sel;
	sl_ast_column_ref *c;
	sl_ast_table_ref *t;
	sl_ast_binary *w;

	SL_CHECK(s != NULL);
	if (!s)
		goto out;
	SL_CHECK_INT(s->stmts.n, 1);
	sel = SL_CAST(sl_ast_select, s->stmts.items[0]);
	SL_CHECK_INT(sel->span.start, 0);
	SL_CHECK_INT(sel->span.end, strlen(sql));
	SL_CHECK_INT(sel->targets.n, 2);
	c = SL_CAST(sl_ast_column_ref, sel->targets.items[0]->expr);
	SL_CHECK_INT(c->names.n, 2);
	SL_CHECK_STR(c->names.items[0].name, "Person");
	SL_CHECK(c->names.items[0].quoted);
	SL_CHECK_INT(c->names.items[0].span.start, 7);
	SL_CHECK_INT(c->names.items[0].span.end, 15);
	SL_CHECK_STR(c->names.items[1].name, "id");
	SL_CHECK(!c->names.items[1].quoted);
	SL_CHECK_STR(sel->targets.items[0]->alias.name, "select");
	SL_CHECK_STR(SL_CAST(sl_ast_column_ref, sel->targets.items[1]->expr)->names.items[0].name, "Name");
	SL_CHECK(sel->targets.items[1]->alias.name == NULL);
	t = SL_CAST(sl_ast_table_ref, sel->from.items[0]);
	SL_CHECK_INT(t->name.n, 2);
	SL_CHECK_STR(t->name.items[1].name, "Bid");
	SL_CHECK_STR(t->alias->name.name, "b");
	w = SL_CAST(sl_ast_binary, sel->where);
	SL_CHECK_INT(w->op, SL_BINOP_GT);
	SL_CHECK_INT(SL_CAST(sl_ast_literal, w->right)->ival, 10);
	SL_CHECK_INT(w->span.start, (int)(strstr(sql, "price") - sql));

	/* statements keep their own spans */
	s = parse_ok(a, "SELECT 1;\n  SHOW TABLES ;");
	SL_CHECK(s && s->stmts.n == 2);
	if (s && s->stmts.n == 2) {
		sl_ast_show *sh = SL_CAST(sl_ast_show, s->stmts.items[1]);
		SL_CHECK_INT(sh->span.start, 12);
		SL_CHECK_INT(sh->span.end, 23);
		SL_CHECK_INT(sh->object, SL_OBJ_TABLE);
	}

	/* window TVF arguments */
	s = parse_ok(a, "SELECT * FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(ts), GAP => INTERVAL '5' MINUTE))");
	SL_CHECK(s != NULL);
	if (s) {
		sl_ast_select *q = SL_CAST(sl_ast_select, s->stmts.items[0]);
		sl_ast_table_func_ref *tf = SL_CAST(sl_ast_table_func_ref, q->from.items[0]);
		sl_ast_table_arg *ta = SL_CAST(sl_ast_table_arg, tf->call->args.items[0]);
		sl_ast_named_arg *na = SL_CAST(sl_ast_named_arg, tf->call->args.items[2]);
		SL_CHECK_STR(tf->call->name.items[0].name, "SESSION");
		SL_CHECK_STR(ta->name.items[0].name, "bid");
		SL_CHECK_INT(ta->partition_by.n, 1);
		SL_CHECK(SL_IS_A(tf->call->args.items[1], sl_ast_descriptor));
		SL_CHECK_STR(na->name.name, "GAP");
		SL_CHECK_INT(SL_CAST(sl_ast_literal, na->value)->iv_start, SL_UNIT_MINUTE);
	}

	/* CREATE TABLE parts land in their fields */
	s = parse_ok(a, "CREATE TABLE t (a INT, ts TIMESTAMP(3), pt AS PROCTIME(), "
	                "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND, PRIMARY KEY (a) NOT ENFORCED) "
	                "WITH ('connector' = 'x')");
	SL_CHECK(s != NULL);
	if (s) {
		sl_ast_create_table *ct = SL_CAST(sl_ast_create_table, s->stmts.items[0]);
		SL_CHECK_INT(ct->columns.n, 3);
		SL_CHECK_INT(ct->columns.items[1]->type->kind, SL_ASTTYPE_TIMESTAMP);
		SL_CHECK_INT(ct->columns.items[1]->type->precision, 3);
		SL_CHECK_INT(ct->columns.items[2]->kind, SL_COL_COMPUTED);
		SL_CHECK(ct->watermark != NULL);
		SL_CHECK_STR(ct->watermark->column.items[0].name, "ts");
		SL_CHECK(ct->primary_key && ct->primary_key->not_enforced);
		SL_CHECK_INT(ct->options.n, 1);
		SL_CHECK_STR(ct->options.items[0]->key, "connector");
		SL_CHECK_STR(ct->options.items[0]->value, "x");
	}

	/* integers beyond int64 become DECIMAL literals */
	s = parse_ok(a, "SELECT 9223372036854775807, 9223372036854775808");
	if (s) {
		sl_ast_select *q = SL_CAST(sl_ast_select, s->stmts.items[0]);
		SL_CHECK_INT(SL_CAST(sl_ast_literal, q->targets.items[0]->expr)->kind, SL_LIT_INTEGER);
		SL_CHECK(SL_CAST(sl_ast_literal, q->targets.items[0]->expr)->ival == INT64_MAX);
		SL_CHECK_INT(SL_CAST(sl_ast_literal, q->targets.items[1]->expr)->kind, SL_LIT_DECIMAL);
	}
out:
	sl_arena_free(a);
}

static bool
count_child(sl_node *child, void *ctx)
{
	(void)child;
	(*(int *)ctx)++;
	return true;
}

/* a long generated chain prints flat and round-trips */
static void
test_long_chains(void)
{
	sl_strbuf sb = SL_STRBUF_INIT;

	sl_strbuf_append(&sb, "SELECT * FROM t WHERE a = 0");
	for (int i = 1; i < 5000; i++)
		sl_strbuf_appendf(&sb, " OR a = %d", i);
	sl_strbuf_append(&sb, "; SELECT 0");
	for (int i = 1; i < 5000; i++)
		sl_strbuf_append(&sb, i % 2 ? " + x" : " - y");
	SL_CHECK(roundtrip(sl_strbuf_str(&sb)));
	sl_strbuf_free(&sb);
}

static void
test_equal_dump_walk(void)
{
	sl_arena *a = sl_arena_new(NULL, "eq");
	sl_ast_script *x = parse_ok(a, "SELECT a + 1 FROM t");
	sl_ast_script *y = parse_ok(a, "select   A + 1   from t");
	sl_ast_script *z = parse_ok(a, "SELECT a + 1 FROM   t");
	sl_strbuf d = SL_STRBUF_INIT;
	int n = 0;

	SL_CHECK(x && y && z);
	if (!x || !y || !z)
		goto out;
	SL_CHECK(!sl_ast_equal(x, y));          /* identifiers are case-sensitive */
	SL_CHECK(sl_ast_equal(x, z));           /* spans are ignored */
	SL_CHECK(sl_ast_equal(NULL, NULL));
	SL_CHECK(!sl_ast_equal(x, NULL));
	sl_ast_dump(x, &d);
	SL_CHECK(strstr(sl_strbuf_str(&d), "Select") != NULL);
	SL_CHECK(strstr(sl_strbuf_str(&d), "Binary") != NULL);
	sl_ast_foreach_child(x->stmts.items[0], count_child, &n);
	SL_CHECK_INT(n, 2);                     /* one target, one FROM item */
	SL_CHECK_STR(sl_ast_node_name(T_sl_ast_select), "Select");
	SL_CHECK_STR(sl_ast_node_name(T_sl_ast_script), "Script");
	SL_CHECK_INT(T_sl_ast_script, 100);
out:
	sl_strbuf_free(&d);
	sl_arena_free(a);
}

static void
test_keyword_table(void)
{
	for (size_t i = 0; i < sl_parser_nkeywords; i++) {
		const char *k = sl_parser_keywords[i];
		char lower[64];
		size_t n = strlen(k);
		SL_CHECK(sl_parser_keyword_lookup(k, n) >= 0);
		for (size_t j = 0; j <= n; j++)
			lower[j] = (char)((k[j] >= 'A' && k[j] <= 'Z') ? k[j] + 32 : k[j]);
		SL_CHECK(sl_parser_keyword_lookup(lower, n) == sl_parser_keyword_lookup(k, n));
		if (i > 0)
			SL_CHECK(strcmp(sl_parser_keywords[i - 1], k) < 0);
	}
	SL_CHECK(sl_parser_keyword_lookup("dateTime", 8) < 0);
	SL_CHECK(sl_parser_keyword_lookup("SELECTX", 7) < 0);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_roundtrip_statements);
	SL_RUN(test_canonical_text);
	SL_RUN(test_tree_shapes);
	SL_RUN(test_long_chains);
	SL_RUN(test_equal_dump_walk);
	SL_RUN(test_keyword_table);
	return SL_TEST_MAIN_END();
}
