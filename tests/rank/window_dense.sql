-- window Top-N with DENSE_RANK(): per 2 s tumbling window, the auctions with the two highest bid counts, ties all in (1000 events/s)
CREATE TABLE out (window_start TIMESTAMP(3), window_end TIMESTAMP(3), auction BIGINT, cnt BIGINT,
    rk BIGINT) WITH ('connector' = 'print');
INSERT INTO out
SELECT window_start, window_end, auction, cnt, rk FROM (
    SELECT *, DENSE_RANK() OVER (PARTITION BY window_start, window_end ORDER BY cnt DESC) AS rk
    FROM (SELECT auction, window_start, window_end, COUNT(*) AS cnt
          FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND))
          GROUP BY auction, window_start, window_end))
WHERE rk <= 2;
