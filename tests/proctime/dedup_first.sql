-- Oracle: the first bid of each bidder in arrival (generation) order, what
-- proctime keep-first deduplication keeps at parallelism 1.
SELECT bidder, auction, price
FROM (SELECT bidder, auction, price,
             ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY seq) AS rn
      FROM bid)
WHERE rn = 1;
