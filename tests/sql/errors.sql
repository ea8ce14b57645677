-- description: wrong statements and their exact rendered errors (syntax, names, types, aggregates, windows, changelog modes, options)
CREATE TABLE bids (
    auction  BIGINT,
    bidder   BIGINT,
    price    BIGINT,
    channel  VARCHAR,
    url      VARCHAR,
    dateTime TIMESTAMP(3),
    extra    VARCHAR,
    info     ROW<city VARCHAR, zip INT>,
    flag     BOOLEAN,
    WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
) WITH ('connector' = 'datagen');

CREATE TABLE people (
    id       BIGINT,
    name     VARCHAR,
    city     VARCHAR,
    ts       TIMESTAMP(3),
    PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'datagen');

CREATE TABLE out_append (
    auction BIGINT,
    num     BIGINT
) WITH ('connector' = 'filesystem', 'path' = '/tmp/out', 'format' = 'csv');

CREATE TABLE out_wide (
    auction BIGINT,
    bidder  BIGINT,
    price   BIGINT
) WITH ('connector' = 'blackhole');

-- syntax errors
SELEC auction FROM bids;

SELECT auction, FROM bids;

SELECT auction FROM bids WHERE;

CREATE TABLE broken (a INT WITH ('connector' = 'datagen');

-- unknown names
SELECT auction FROM bid;

SELECT auctoin FROM bids;

SELECT datetime FROM bids;

SELECT b.price FROM bids AS a;

SELECT info.cty FROM bids;

SELECT info.city.x FROM bids;

SELECT COUNTT(*) FROM bids;

SELECT lower(channel, 1) FROM bids;

SELECT no_such_function(price) FROM bids;

INSERT INTO out_wid SELECT auction, bidder, price FROM bids;

-- type errors
SELECT 'abc' + 1 FROM bids;

SELECT auction FROM bids WHERE flag = dateTime;

SELECT SUM(channel) FROM bids;

SELECT auction FROM bids WHERE price;

SELECT CAST(flag AS TIMESTAMP(3)) FROM bids;

SELECT auction FROM bids WHERE channel LIKE 5;

SELECT CASE WHEN price > 1 THEN 'x' ELSE dateTime END FROM bids;

SELECT MOD(channel, 2) FROM bids;

-- aggregate misuse
SELECT auction, bidder, COUNT(*) FROM bids GROUP BY auction;

SELECT auction FROM bids WHERE COUNT(*) > 1;

SELECT MAX(COUNT(*)) FROM bids;

SELECT auction FROM bids GROUP BY auction, COUNT(*);

SELECT ROW_NUMBER() FROM bids;

-- windows and time attributes
SELECT window_start, COUNT(*)
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(price), INTERVAL '10' SECOND))
GROUP BY window_start, window_end;

SELECT auction, COUNT(*)
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
GROUP BY auction, window_end;

SELECT COUNT(*) FROM TABLE(TUMBEL(TABLE bids, DESCRIPTOR(dateTime), INTERVAL '10' SECOND));

SELECT COUNT(*) FROM TABLE(HOP(TABLE bids, DESCRIPTOR(dateTime), INTERVAL '3' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end;

SELECT bidder, COUNT(*) FROM bids GROUP BY bidder, TUMBLE(ts, INTERVAL '1' MINUTE);

SELECT name, COUNT(*) FROM people GROUP BY name, TUMBLE(ts, INTERVAL '1' MINUTE);

SELECT TUMBLE_START(dateTime, INTERVAL '1' MINUTE) FROM bids;

SELECT auction, price FROM bids ORDER BY price DESC LIMIT 3;

-- changelog modes
INSERT INTO out_append SELECT auction, COUNT(*) FROM bids GROUP BY auction;

CREATE VIEW latest AS SELECT auction, MAX(dateTime) AS t FROM bids GROUP BY auction;

SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE latest, DESCRIPTOR(t), INTERVAL '1' SECOND)) GROUP BY window_start, window_end;

CREATE TABLE orders_cdc (
    id BIGINT,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts
) WITH ('connector' = 'kafka', 'topic' = 'orders', 'properties.bootstrap.servers' = 'localhost:9092', 'format' = 'debezium-json');

SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE orders_cdc, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;

-- INSERT shape
INSERT INTO out_wide SELECT auction, bidder FROM bids;

INSERT INTO out_wide SELECT auction, bidder, channel FROM bids;

INSERT INTO out_wide (auction, bidder, prise) SELECT auction, bidder, price FROM bids;

-- joins
SELECT auction FROM bids AS a JOIN bids AS b ON a.auction = b.auction;

SELECT id, name FROM people p JOIN people q ON p.id = q.id;

-- DDL and options
CREATE TABLE bids (a INT) WITH ('connector' = 'datagen');

DROP TABLE no_such_table;

DROP VIEW bids_view;

CREATE TABLE t1 (a INT) WITH ('connector' = 'kafak');

CREATE TABLE t2 (a INT) WITH ('connector' = 'kafka', 'topik' = 'x', 'format' = 'json', 'properties.bootstrap.servers' = 'localhost:9092');

CREATE TABLE t3 (a INT) WITH ('connector' = 'kafka', 'format' = 'json', 'properties.bootstrap.servers' = 'localhost:9092');

CREATE TABLE t4 (a INT) WITH ('connector' = 'kafka', 'topic' = 'x', 'format' = 'json', 'properties.bootstrap.servers' = 'localhost:9092', 'scan.startup.mode' = 'sometimes');

CREATE TABLE t5 (a INT);

CREATE TABLE t6 (a INT, a BIGINT) WITH ('connector' = 'datagen');

CREATE TABLE t7 (a INT, ts BIGINT, WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');

CREATE TABLE t8 (a INT, WATERMARK FOR tss AS tss) WITH ('connector' = 'datagen');

CREATE TABLE t9 (a INT, PRIMARY KEY (b) NOT ENFORCED) WITH ('connector' = 'datagen');

SET 'paralelism.default' = '4';

SET 'parallelism.default' = 'many';

CREATE FUNCTION f AS 'f' LANGUAGE JAVA;

CREATE VIEW v AS SELECT nothing FROM bids;

SELECT auction FROM bids WHERE price > (SELECT MAX(price), 1 FROM bids);

SELECT auction FROM bids b WHERE price > (SELECT MAX(id) FROM people p WHERE p.id = b.bidder);

SELECT b.auction, p.name FROM bids b JOIN people FOR SYSTEM_TIME AS OF b.dateTime AS p ON b.bidder = p.id;

SELECT a.auction FROM
  (SELECT auction, window_start, window_end FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end) a
JOIN
  (SELECT auction, window_start, window_end FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(dateTime), INTERVAL '20' SECOND)) GROUP BY auction, window_start, window_end) b
ON a.auction = b.auction AND a.window_start = b.window_start AND a.window_end = b.window_end;

SELECT auction, COUNT(*) OVER wn FROM bids WINDOW w AS (PARTITION BY auction ORDER BY dateTime);

SELECT auction, COUNT(*) OVER (w PARTITION BY bidder) FROM bids WINDOW w AS (ORDER BY dateTime);

SELECT auction, COUNT(*) OVER (w ORDER BY price) FROM bids WINDOW w AS (PARTITION BY auction ORDER BY dateTime);

SELECT auction, COUNT(*) OVER (w ROWS 2 PRECEDING) FROM bids WINDOW w AS (PARTITION BY auction ORDER BY dateTime ROWS 1 PRECEDING);

SELECT auction, COUNT(*) OVER a FROM bids WINDOW a AS (b), b AS (a);

SELECT /*+ STATE_TTL('b' = '1d', 'pp' = '12h') */ b.auction, p.name FROM bids AS b JOIN people AS p ON b.bidder = p.id;

SELECT /*+ STATE_TTL('b' = 'a while') */ b.auction, p.name FROM bids AS b JOIN people AS p ON b.bidder = p.id;
-- TO_TIMESTAMP_LTZ takes epoch seconds (0) or milliseconds (3) only
SELECT TO_TIMESTAMP_LTZ(1, 2);
-- a random function's seed names one sequence: it must be a constant
SELECT RAND(CAST('1' AS INT) + 1);
-- STATE_TTL on a GROUP BY names its input
SELECT /*+ STATE_TTL('bid' = '1d') */ auction, COUNT(*) FROM bids GROUP BY auction;
-- functions of other dialects that Flink SQL does not have: what to use instead
SELECT LENGTH('abc');
SELECT hash_code('abc');
