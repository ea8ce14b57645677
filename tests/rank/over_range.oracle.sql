SELECT bidder, price, dateTime, COUNT(*) OVER w, SUM(price) OVER w,
       SUM(price) OVER w / COUNT(price) OVER w, MAX(price) OVER w
FROM bid
WINDOW w AS (PARTITION BY bidder ORDER BY dateTime_ms RANGE BETWEEN 2000 PRECEDING AND CURRENT ROW);
