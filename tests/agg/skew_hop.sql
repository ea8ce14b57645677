-- description: HOP(8 s, slide 2 s) windows over a skewed key with COUNT, SUM, MIN, MAX, AVG and FILTER: TWO_PHASE keeps one accumulator per 2 s slice and key, a window merging 4 of them (tests/agg/run-two-phase.sh; oracle skew_hop.oracle.sql).
CREATE VIEW sbid AS
SELECT CASE WHEN MOD(bidder, 10) < 8 THEN 0 ELSE MOD(bidder, 100) END AS k, price, dateTime
FROM bid;

CREATE TABLE print_sink (
    k BIGINT,
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    n BIGINT,
    total BIGINT,
    min_p BIGINT,
    max_p BIGINT,
    avg_p BIGINT,
    n_cheap BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
SELECT k, window_start, window_end, COUNT(*), SUM(price), MIN(price), MAX(price), AVG(price),
       COUNT(*) FILTER (WHERE price < 10000)
FROM TABLE(HOP(TABLE sbid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '8' SECOND))
GROUP BY k, window_start, window_end;
