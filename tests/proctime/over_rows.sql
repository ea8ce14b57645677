-- Oracle: per bid, the count and sum of price over the bidder's last three
-- bids in arrival (generation) order: OVER ordered by a proctime attribute
-- with ROWS BETWEEN 2 PRECEDING AND CURRENT ROW at parallelism 1.
SELECT bidder, price,
       COUNT(*) OVER w, SUM(price) OVER w
FROM bid
WINDOW w AS (PARTITION BY bidder ORDER BY seq ROWS BETWEEN 2 PRECEDING AND CURRENT ROW);
