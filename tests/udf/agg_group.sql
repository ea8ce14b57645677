-- weighted_avg over an updating input: the inner GROUP BY sends -U/+U
-- for every bid, so the outer aggregate accumulates and retracts. Values
-- and weights are integers, so every partial sum is exact and the
-- result equals the oracle's bit for bit (agg_group.oracle.sql).
SELECT auction % 7 AS b,
       CAST(weighted_avg(CAST(n AS DOUBLE), total) * 1000 AS BIGINT) AS wavg,
       COUNT(*) AS auctions
FROM (SELECT auction, COUNT(*) AS n, SUM(price) AS total FROM bid GROUP BY auction)
GROUP BY auction % 7;
