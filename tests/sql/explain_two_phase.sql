-- description: EXPLAIN of two-phase aggregation: LocalGroupAggregate/GlobalGroupAggregate and LocalWindowAggregate/GlobalWindowAggregate per 'table.optimizer.agg-phase-strategy' and mini-batch, and the aggregates that keep one phase
SET 'parallelism.default' = '2';

CREATE TABLE clicks (
    user_id  BIGINT,
    url      VARCHAR,
    price    BIGINT,
    ts       TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen');

SET 'table.optimizer.agg-phase-strategy' = 'TWO_PHASE';

EXPLAIN SELECT user_id, COUNT(*), SUM(price) FILTER (WHERE price > 10), MIN(price), AVG(price)
FROM clicks GROUP BY user_id;

EXPLAIN SELECT COUNT(*), MAX(price) FROM clicks;

EXPLAIN SELECT user_id, COUNT(DISTINCT url), MAX(url) FROM clicks GROUP BY user_id;

EXPLAIN SELECT user_id, window_start, window_end, COUNT(*), MAX(price)
FROM TABLE(CUMULATE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND, INTERVAL '1' MINUTE))
GROUP BY user_id, window_start, window_end;

EXPLAIN SELECT user_id, SESSION_START(ts, INTERVAL '10' SECOND), COUNT(*)
FROM clicks GROUP BY user_id, SESSION(ts, INTERVAL '10' SECOND);

SET 'table.optimizer.agg-phase-strategy' = 'AUTO';

EXPLAIN SELECT user_id, COUNT(*) FROM clicks GROUP BY user_id;

SET 'table.exec.mini-batch.enabled' = 'true';

EXPLAIN SELECT user_id, COUNT(*) FROM clicks GROUP BY user_id;

SET 'table.optimizer.agg-phase-strategy' = 'ONE_PHASE';

EXPLAIN SELECT user_id, window_start, COUNT(*)
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY user_id, window_start, window_end;
