-- RANK() with ties (m = MOD(price, 7): seven values) and the rank number: peers share a rank, the next rank skips, and every row ranked <= 3 is in the result (more than three rows with ties); append-only input, so the result does not depend on arrival order
CREATE TABLE out (auction BIGINT, bidder BIGINT, price BIGINT, m BIGINT, rk BIGINT)
    WITH ('connector' = 'print');
INSERT INTO out
SELECT auction, bidder, price, m, rk FROM (
    SELECT *, RANK() OVER (PARTITION BY auction ORDER BY m DESC) AS rk
    FROM (SELECT auction, bidder, price, MOD(price, 7) AS m FROM bid))
WHERE rk <= 3;
