-- A GROUP BY over a skewed key (80 % of the bids on key 0, the rest over
-- 20 keys) into blackhole: the ONE_PHASE vs TWO_PHASE comparison of
-- docs/benchmarks.md (bench_nexmark.sh -q bench/skew_group.sql -S "SET ...").
-- Same query as tests/agg/skew_group.sql (which checks it against the oracle).
CREATE TABLE discard_sink (
    k BIGINT,
    n BIGINT,
    n_cheap BIGINT,
    total BIGINT,
    min_p BIGINT,
    max_p BIGINT,
    avg_p BIGINT,
    total_dear BIGINT
) WITH ('connector' = 'blackhole');

INSERT INTO discard_sink
SELECT CASE WHEN MOD(bidder, 10) < 8 THEN 0 ELSE MOD(bidder, 100) END AS k,
       COUNT(*),
       COUNT(*) FILTER (WHERE price < 10000),
       SUM(price),
       MIN(price),
       MAX(price),
       AVG(price),
       SUM(price) FILTER (WHERE price >= 1000000)
FROM bid
GROUP BY CASE WHEN MOD(bidder, 10) < 8 THEN 0 ELSE MOD(bidder, 100) END;
