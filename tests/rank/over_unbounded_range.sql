-- OVER RANGE BETWEEN UNBOUNDED PRECEDING per bidder at 10M events/s: many rows share a millisecond (peers share the aggregate)
CREATE TABLE out (bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), c BIGINT, ma BIGINT)
    WITH ('connector' = 'print');
INSERT INTO out
SELECT bidder, price, dateTime,
       COUNT(*) OVER (PARTITION BY bidder ORDER BY dateTime RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       MAX(price) OVER (PARTITION BY bidder ORDER BY dateTime RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
FROM bid;
