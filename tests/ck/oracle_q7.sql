-- tests/ck q7 query: Nexmark q7 in 1 s TUMBLE windows (tests/oracle/q7.sql
-- with 1 s instead of 10 s): per window the max price; the bids with that
-- price whose time is BETWEEN window_end - 1 s AND window_end (inclusive).
WITH w AS (
    SELECT dateTime_ms / 1000 * 1000 + 1000 AS we, MAX(price) AS maxprice
    FROM bid GROUP BY dateTime_ms / 1000
)
SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra
FROM bid B JOIN w ON B.price = w.maxprice
WHERE B.dateTime_ms BETWEEN w.we - 1000 AND w.we;
