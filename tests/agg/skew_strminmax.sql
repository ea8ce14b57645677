-- description: string MIN/MAX over an append-only input (kept in the accumulator slot when at most 16 bytes, in map state when longer; both strategies run it in one phase) mixing short and long values per group (tests/agg/run-two-phase.sh; oracle skew_strminmax.oracle.sql).
CREATE TABLE print_sink (
    k BIGINT,
    max_url VARCHAR,
    min_channel VARCHAR,
    max_mixed VARCHAR,
    min_mixed VARCHAR,
    n BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
SELECT MOD(auction, 7) AS k,
       MAX(url),
       MIN(channel),
       MAX(CASE WHEN MOD(bidder, 3) = 0 THEN url ELSE channel END),
       MIN(CASE WHEN MOD(bidder, 3) = 0 THEN url ELSE channel END) FILTER (WHERE price > 1000),
       COUNT(*)
FROM bid
GROUP BY MOD(auction, 7);
