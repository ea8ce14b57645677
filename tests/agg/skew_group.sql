-- description: a GROUP BY whose key is skewed (80 % of the bids on key 0) with COUNT, FILTER, SUM, MIN, MAX, AVG: mergeable, so TWO_PHASE plans LocalGroupAggregate + GlobalGroupAggregate (tests/agg/run-two-phase.sh; oracle skew_group.oracle.sql).
CREATE TABLE print_sink (
    k BIGINT,
    n BIGINT,
    n_cheap BIGINT,
    total BIGINT,
    min_p BIGINT,
    max_p BIGINT,
    avg_p BIGINT,
    total_dear BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
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
