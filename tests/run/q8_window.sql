-- q8's window part: auctions per seller per TUMBLE(10 s) window (tests/run/run-nexmark.sh; oracle tests/oracle/q8_window.sql).
-- Its source is tests/run/nexmark_1000.sql, which run-nexmark.sh and bench_nexmark.sh put first.

CREATE TABLE print_sink (
    seller BIGINT,
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    num BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
SELECT seller, window_start, window_end, count(*) AS num
FROM TABLE(TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
GROUP BY seller, window_start, window_end;
