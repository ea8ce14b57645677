-- description: a GROUP BY without keys (every row on one key; the Global runs at parallelism 1 behind a single exchange) with COUNT, SUM, MIN, MAX and FILTER (tests/agg/run-two-phase.sh; oracle skew_global.oracle.sql).
CREATE TABLE print_sink (
    n BIGINT,
    total BIGINT,
    min_p BIGINT,
    max_p BIGINT,
    n_dear BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
SELECT COUNT(*), SUM(price), MIN(price), MAX(price), COUNT(*) FILTER (WHERE price >= 1000000)
FROM bid;
