-- window Top-3: the auctions with the most bids per 2 s tumbling window (1000 events/s: many windows; rows at window_end - 1 ms and at window_end)
CREATE TABLE out (window_start TIMESTAMP(3), window_end TIMESTAMP(3), auction BIGINT, cnt BIGINT,
    rn BIGINT) WITH ('connector' = 'print');
INSERT INTO out
SELECT window_start, window_end, auction, cnt, rn FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end
                                 ORDER BY cnt DESC, auction) AS rn
    FROM (SELECT auction, window_start, window_end, COUNT(*) AS cnt
          FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND))
          GROUP BY auction, window_start, window_end))
WHERE rn <= 3;
