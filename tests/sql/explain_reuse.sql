-- description: EXPLAIN of sub-plan reuse ('table.optimizer.reuse-sub-plan-enabled', 'table.optimizer.reuse-source-enabled'): identical subtrees planned once, shown as [#n] and Reused(reference_id=[n]); sinks never merged; each option's 'false'
CREATE TABLE clicks (
    user_id  BIGINT,
    url      VARCHAR,
    price    BIGINT,
    ts       TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen');

CREATE TABLE out_a (user_id BIGINT, n BIGINT) WITH ('connector' = 'blackhole');

CREATE VIEW hop_counts AS
SELECT user_id, COUNT(*) AS n, window_start, window_end
FROM TABLE(HOP(TABLE clicks, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
GROUP BY user_id, window_start, window_end;

-- q5's shape: the HOP aggregate is computed once and feeds both join inputs
EXPLAIN SELECT a.user_id, a.n FROM hop_counts a
JOIN (SELECT MAX(n) AS m, window_start, window_end FROM hop_counts GROUP BY window_start, window_end) b
ON a.window_start = b.window_start AND a.window_end = b.window_end AND a.n >= b.m;

-- a self-join reads its table once
EXPLAIN SELECT a.url, b.url FROM clicks a JOIN clicks b ON a.user_id = b.user_id;

-- RAND() twice is two values: the scan is shared, the two Calcs are not
EXPLAIN SELECT user_id, RAND() AS r FROM clicks
UNION ALL SELECT user_id, RAND() AS r FROM clicks;

-- two INSERTs of one query: the query is shared, each sink stays
EXPLAIN EXECUTE STATEMENT SET BEGIN
INSERT INTO out_a SELECT user_id, price FROM clicks WHERE price > 10;
INSERT INTO out_a SELECT user_id, price FROM clicks WHERE price > 10;
END;

SET 'table.optimizer.reuse-source-enabled' = 'false';

EXPLAIN SELECT a.url, b.url FROM clicks a JOIN clicks b ON a.user_id = b.user_id;

SET 'table.optimizer.reuse-source-enabled' = 'true';
SET 'table.optimizer.reuse-sub-plan-enabled' = 'false';

EXPLAIN SELECT a.user_id, a.n FROM hop_counts a
JOIN (SELECT MAX(n) AS m, window_start, window_end FROM hop_counts GROUP BY window_start, window_end) b
ON a.window_start = b.window_start AND a.window_end = b.window_end AND a.n >= b.m;

SET 'table.optimizer.reuse-sub-plan-enable' = 'false';
