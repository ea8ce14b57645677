-- q7's window part: the highest bid per TUMBLE(10 s) window (tests/run/run-nexmark.sh; oracle tests/oracle/q7_window.sql).
-- Its source is tests/run/nexmark_1000.sql, which run-nexmark.sh and bench_nexmark.sh put first.

CREATE TABLE print_sink (
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    maxprice BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
SELECT window_start, window_end, MAX(price) AS maxprice
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
