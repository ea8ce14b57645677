-- Oracle: the last bid of each bidder in arrival (generation) order, the
-- final state of proctime keep-last deduplication at parallelism 1.
SELECT bidder, auction, price
FROM (SELECT bidder, auction, price,
             ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY seq DESC) AS rn
      FROM bid)
WHERE rn = 1;
