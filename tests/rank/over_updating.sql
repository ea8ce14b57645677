-- OVER over an updating input (as Nexmark q6; Flink refuses it): per auction, bidders' best bids ordered by price, the sum of each and the 2 below it; the final state is the batch answer (ties ordered by the whole row)
CREATE TABLE out (auction BIGINT, bidder BIGINT, mp BIGINT, s BIGINT, c BIGINT, mi BIGINT)
    WITH ('connector' = 'print');
INSERT INTO out
SELECT auction, bidder, mp,
       SUM(mp) OVER (PARTITION BY auction ORDER BY mp ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),
       COUNT(*) OVER (PARTITION BY auction ORDER BY mp ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),
       MIN(mp) OVER (PARTITION BY auction ORDER BY mp ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
FROM (SELECT auction, bidder, MAX(price) AS mp FROM bid GROUP BY auction, bidder);
