SELECT auction, price, dateTime, COUNT(*) OVER w, SUM(price) OVER w, MIN(price) OVER w, MAX(price) OVER w
FROM bid
WINDOW w AS (PARTITION BY auction ORDER BY dateTime_ms ROWS BETWEEN 2 PRECEDING AND CURRENT ROW);
