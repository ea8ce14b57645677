SELECT auction, bidder, price, dateTime, COUNT(*) OVER w, SUM(price) OVER w, MIN(price) OVER w
FROM bid
WINDOW w AS (PARTITION BY auction ORDER BY dateTime_ms ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);
