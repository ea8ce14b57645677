-- q5's window part: bids per auction per HOP(10 s, 2 s) window (tests/run/run-nexmark.sh; oracle tests/oracle/q5_window.sql).
-- Its source is tests/run/nexmark_1000.sql, which run-nexmark.sh and bench_nexmark.sh put first.

CREATE TABLE print_sink (
    auction BIGINT,
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    num BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
SELECT auction, window_start, window_end, count(*) AS num
FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
GROUP BY auction, window_start, window_end;
