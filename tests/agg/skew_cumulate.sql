-- description: CUMULATE(10 s, step 2 s) windows over a skewed key with COUNT, SUM, MIN, MAX, AVG and FILTER: LocalWindowAggregate + GlobalWindowAggregate under TWO_PHASE (tests/agg/run-two-phase.sh; oracle skew_cumulate.oracle.sql).
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
FROM TABLE(CUMULATE(TABLE sbid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
GROUP BY k, window_start, window_end;
