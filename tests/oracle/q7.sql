-- q7 oracle: per TUMBLE(10 s) the max price; bids with that price whose
-- time is BETWEEN window_end - 10 s AND window_end (inclusive, as Flink's
-- BETWEEN: a bid exactly at window_end can match).
WITH w AS (
    SELECT dateTime_ms / 10000 * 10000 + 10000 AS we, MAX(price) AS maxprice
    FROM bid GROUP BY dateTime_ms / 10000
)
SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra
FROM bid B JOIN w ON B.price = w.maxprice
WHERE B.dateTime_ms BETWEEN w.we - 10000 AND w.we;
