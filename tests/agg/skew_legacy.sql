-- description: legacy GROUP BY TUMBLE(dateTime, INTERVAL '2' SECOND) over a skewed key with SUM and MAX (GroupWindowAggregate; TWO_PHASE gives Local/GlobalWindowAggregate) (tests/agg/run-two-phase.sh; oracle skew_legacy.oracle.sql).
CREATE TABLE print_sink (
    k BIGINT,
    wstart TIMESTAMP(3),
    n BIGINT,
    total BIGINT,
    max_p BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
SELECT CASE WHEN MOD(bidder, 10) < 8 THEN 0 ELSE MOD(bidder, 100) END AS k,
       TUMBLE_START(dateTime, INTERVAL '2' SECOND), COUNT(*), SUM(price), MAX(price)
FROM bid
GROUP BY CASE WHEN MOD(bidder, 10) < 8 THEN 0 ELSE MOD(bidder, 100) END,
         TUMBLE(dateTime, INTERVAL '2' SECOND);
