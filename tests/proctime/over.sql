-- OVER ordered by a proctime attribute: not supported yet, refused by name.
CREATE TABLE over_sink (bidder BIGINT, price BIGINT, c BIGINT) WITH ('connector' = 'print');
INSERT INTO over_sink
SELECT bid.bidder, bid.price,
       COUNT(*) OVER (PARTITION BY bid.bidder ORDER BY p ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
FROM nexmark WHERE event_type = 2;
