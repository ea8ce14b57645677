-- description: EXPLAIN of each operator kind: scan, calc, watermark, group/window aggregates, every join kind, rank, dedup, window Top-N, OVER, union, values, CDC sources and upsert sinks
SET 'parallelism.default' = '2';

CREATE TABLE clicks (
    user_id  BIGINT,
    url      VARCHAR,
    ts       TIMESTAMP(3),
    pt AS PROCTIME(),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen');

CREATE TABLE views (
    user_id  BIGINT,
    page     VARCHAR,
    vts      TIMESTAMP(3),
    WATERMARK FOR vts AS vts
) WITH ('connector' = 'datagen');

CREATE TABLE users (
    id       BIGINT,
    name     VARCHAR,
    uts      TIMESTAMP(3),
    PRIMARY KEY (id) NOT ENFORCED,
    WATERMARK FOR uts AS uts
) WITH ('connector' = 'upsert-kafka', 'topic' = 'users', 'properties.bootstrap.servers' = 'localhost:9092', 'key.format' = 'json', 'value.format' = 'json');

CREATE TABLE orders_cdc (
    order_id BIGINT,
    amount   DECIMAL(10, 2),
    PRIMARY KEY (order_id) NOT ENFORCED
) WITH ('connector' = 'kafka', 'topic' = 'orders', 'properties.bootstrap.servers' = 'localhost:9092', 'format' = 'debezium-json');

CREATE TABLE dim (
    k  BIGINT,
    v  VARCHAR
) WITH ('connector' = 'filesystem', 'path' = '/tmp/dim.csv', 'format' = 'csv');

CREATE TABLE user_counts (
    user_id BIGINT,
    cnt     BIGINT,
    PRIMARY KEY (user_id) NOT ENFORCED
) WITH ('connector' = 'upsert-kafka', 'topic' = 'counts', 'properties.bootstrap.servers' = 'localhost:9092', 'key.format' = 'json', 'value.format' = 'json');

CREATE VIEW recent AS SELECT user_id, url FROM clicks WHERE url LIKE 'https://%';

DESCRIBE clicks;

SHOW TABLES;

-- scan + calc + watermark, constant folding (1 + 1 becomes 2)
EXPLAIN SELECT user_id, url FROM clicks WHERE user_id > 1 + 1;

-- view inlining
EXPLAIN SELECT * FROM recent;

-- group aggregate with no keys: parallelism 1
EXPLAIN SELECT COUNT(*) FROM clicks;

-- group aggregate into an upsert sink
EXPLAIN INSERT INTO user_counts SELECT user_id, COUNT(*) FROM clicks GROUP BY user_id;

-- TUMBLE, CUMULATE and SESSION window TVFs
EXPLAIN SELECT user_id, window_start, window_end, COUNT(*)
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY user_id, window_start, window_end;

EXPLAIN SELECT window_start, window_end, COUNT(DISTINCT user_id)
FROM TABLE(CUMULATE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND, INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;

EXPLAIN SELECT user_id, window_start, window_end, COUNT(*)
FROM TABLE(SESSION(TABLE clicks PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '30' SECOND))
GROUP BY user_id, window_start, window_end;

-- window TVF without aggregation
EXPLAIN SELECT user_id, window_start FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(pt), INTERVAL '10' SECOND));

-- legacy HOP group window
EXPLAIN SELECT user_id, HOP_END(ts, INTERVAL '5' SECOND, INTERVAL '1' MINUTE), COUNT(*)
FROM clicks GROUP BY user_id, HOP(ts, INTERVAL '5' SECOND, INTERVAL '1' MINUTE);

-- interval join
EXPLAIN SELECT c.user_id, c.url, v.page
FROM clicks c JOIN views v ON c.user_id = v.user_id
AND c.ts BETWEEN v.vts - INTERVAL '1' MINUTE AND v.vts + INTERVAL '10' SECOND;

-- interval join on two proctimes (state expires by processing time; the
-- rowtimes ts become plain values); a rowtime against a proctime stays a
-- regular join
EXPLAIN SELECT c.user_id, c.url, c2.url AS url2, c.ts
FROM clicks c JOIN clicks c2 ON c.user_id = c2.user_id
AND c2.pt BETWEEN c.pt AND c.pt + INTERVAL '30' SECOND;
EXPLAIN SELECT c.user_id, v.page
FROM clicks c JOIN views v ON c.user_id = v.user_id
AND c.pt BETWEEN v.vts AND v.vts + INTERVAL '30' SECOND;

-- regular left outer join
EXPLAIN SELECT c.user_id, v.page FROM clicks c LEFT JOIN views v ON c.user_id = v.user_id;

-- STATE_TTL hint: the left input's rows expire after a day, the right's after 12 hours
EXPLAIN SELECT /*+ STATE_TTL('c' = '1d', 'v' = '12h') */ c.user_id, v.page FROM clicks c LEFT JOIN views v ON c.user_id = v.user_id;

-- STATE_TTL on a GROUP BY (Flink 1.18): the key names the aggregate's input
EXPLAIN SELECT /*+ STATE_TTL('c' = '2h') */ c.user_id, COUNT(*) FROM clicks c GROUP BY c.user_id;

-- STATE_TTL on a comma join: the hint stays on the join that absorbs the WHERE keys
EXPLAIN SELECT /*+ STATE_TTL('v' = '2h') */ c.user_id, v.page FROM clicks c, views v WHERE c.user_id = v.user_id;

-- event-time temporal join on an upsert-kafka versioned table
EXPLAIN SELECT c.url, u.name FROM clicks c JOIN users FOR SYSTEM_TIME AS OF c.ts AS u ON c.user_id = u.id;

-- processing-time lookup join
EXPLAIN SELECT c.url, d.v FROM clicks c JOIN dim FOR SYSTEM_TIME AS OF c.pt AS d ON c.user_id = d.k;

-- window join
EXPLAIN SELECT a.user_id, a.cnt, b.cnt
FROM (SELECT user_id, window_start, window_end, COUNT(*) AS cnt
      FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
      GROUP BY user_id, window_start, window_end) a
JOIN (SELECT user_id, window_start, window_end, COUNT(*) AS cnt
      FROM TABLE(TUMBLE(TABLE views, DESCRIPTOR(vts), INTERVAL '1' MINUTE))
      GROUP BY user_id, window_start, window_end) b
ON a.user_id = b.user_id AND a.window_start = b.window_start AND a.window_end = b.window_end;

-- global Top-N: parallelism 1
EXPLAIN SELECT * FROM (SELECT user_id, url, ROW_NUMBER() OVER (ORDER BY user_id DESC) AS rn FROM clicks) WHERE rn <= 3;

-- deduplication keeping the first row by processing time
EXPLAIN SELECT user_id, url FROM (SELECT user_id, url, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY pt) AS rn FROM clicks) WHERE rn = 1;

-- window Top-N
EXPLAIN SELECT * FROM (
  SELECT user_id, window_start, window_end, cnt,
         ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY cnt DESC) AS rn
  FROM (SELECT user_id, window_start, window_end, COUNT(*) AS cnt
        FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
        GROUP BY user_id, window_start, window_end))
WHERE rn <= 5;

-- OVER aggregation
EXPLAIN SELECT user_id, COUNT(*) OVER (PARTITION BY user_id ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) FROM clicks;

-- UNION ALL and VALUES
EXPLAIN SELECT user_id, url FROM clicks UNION ALL SELECT user_id, page FROM views;

EXPLAIN VALUES (1, 'a'), (2, 'b');

-- CDC sources
EXPLAIN SELECT order_id, amount FROM orders_cdc WHERE amount > 10;

EXPLAIN SELECT id, name FROM users;

-- DISTINCT
EXPLAIN SELECT DISTINCT url FROM clicks;

-- STATEMENT SET with two sinks
EXPLAIN EXECUTE STATEMENT SET BEGIN
INSERT INTO user_counts SELECT user_id, COUNT(*) FROM clicks GROUP BY user_id;
INSERT INTO user_counts SELECT user_id, COUNT(*) FROM views GROUP BY user_id;
END;

-- IN (subquery) becomes a semi join, NOT IN an anti join
EXPLAIN SELECT url FROM clicks WHERE user_id IN (SELECT id FROM users WHERE name LIKE 'a%');

EXPLAIN SELECT url FROM clicks WHERE user_id NOT IN (SELECT user_id FROM views);

-- correlated EXISTS / NOT EXISTS become semi / anti joins; the subquery's own filter is pushed down
EXPLAIN SELECT url FROM clicks c WHERE EXISTS (SELECT 1 FROM views v WHERE v.user_id = c.user_id AND v.page LIKE '%cart%');

EXPLAIN SELECT url FROM clicks c WHERE NOT EXISTS (SELECT * FROM users u WHERE u.id = c.user_id);

-- an uncorrelated scalar subquery is joined in as a column
EXPLAIN SELECT url FROM clicks WHERE user_id > (SELECT MAX(id) FROM users);
