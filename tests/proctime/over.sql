-- OVER ordered by the table's p AS PROCTIME() (arrival order), tagged by
-- the first column: ROWS 2 PRECEDING (COUNT, SUM of the last three bids
-- of the bidder as they arrived) and RANGE UNBOUNDED PRECEDING (COUNT of
-- the bidder's bids up to this one's millisecond).
CREATE VIEW bidp AS
SELECT bid.bidder AS bidder, bid.price AS price, p FROM nexmark WHERE event_type = 2;

CREATE TABLE over_sink (tag STRING, bidder BIGINT, price BIGINT, c BIGINT, s BIGINT)
WITH ('connector' = 'print');

INSERT INTO over_sink
SELECT 'rows', bidder, price,
       COUNT(*) OVER (PARTITION BY bidder ORDER BY p ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),
       SUM(price) OVER (PARTITION BY bidder ORDER BY p ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
FROM bidp;

INSERT INTO over_sink
SELECT 'range', bidder, price,
       COUNT(*) OVER (PARTITION BY bidder ORDER BY p RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       CAST(0 AS BIGINT)
FROM bidp;
