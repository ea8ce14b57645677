-- OVER w over a named window (WINDOW clause), and OVER (w ...) adding the frame to a window that has only PARTITION BY and ORDER BY (100 events/s: no equal times)
CREATE TABLE out (auction BIGINT, price BIGINT, dateTime TIMESTAMP(3), c BIGINT, s BIGINT,
    mi BIGINT, ma BIGINT) WITH ('connector' = 'print');
INSERT INTO out
SELECT auction, price, dateTime,
       COUNT(*) OVER w, SUM(price) OVER (base ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),
       MIN(price) OVER w, MAX(price) OVER w
FROM bid
WINDOW base AS (PARTITION BY auction ORDER BY dateTime),
       w AS (base ROWS BETWEEN 2 PRECEDING AND CURRENT ROW);
