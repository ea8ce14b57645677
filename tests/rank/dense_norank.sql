-- DENSE_RANK() with ties, the rank number not selected: the bids of each auction whose m = MOD(price, 7) is among the two highest values seen; a third value pushes the lowest group out (-D), append-only input
CREATE TABLE out (auction BIGINT, bidder BIGINT, price BIGINT, m BIGINT)
    WITH ('connector' = 'print');
INSERT INTO out
SELECT auction, bidder, price, m FROM (
    SELECT *, DENSE_RANK() OVER (PARTITION BY auction ORDER BY m DESC) AS rk
    FROM (SELECT auction, bidder, price, MOD(price, 7) AS m FROM bid))
WHERE rk <= 2;
