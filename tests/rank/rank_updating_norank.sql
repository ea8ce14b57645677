-- RANK() over an updating input without the rank number: the (auction, bidder) pairs with the most bids, ties all in, a rank gap after them
CREATE TABLE out (auction BIGINT, bidder BIGINT, c BIGINT)
    WITH ('connector' = 'print');
INSERT INTO out
SELECT auction, bidder, c FROM (
    SELECT *, RANK() OVER (PARTITION BY auction ORDER BY c DESC) AS rk
    FROM (SELECT auction, bidder, COUNT(*) AS c FROM bid GROUP BY auction, bidder))
WHERE rk <= 2;
