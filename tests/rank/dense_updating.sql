-- DENSE_RANK() over an updating input (bid counts per (auction, bidder), many ties): retractions move rows in and out of the first two ranks and change rank numbers (-U/+U)
CREATE TABLE out (auction BIGINT, bidder BIGINT, c BIGINT, rk BIGINT)
    WITH ('connector' = 'print');
INSERT INTO out
SELECT auction, bidder, c, rk FROM (
    SELECT *, DENSE_RANK() OVER (PARTITION BY auction ORDER BY c DESC) AS rk
    FROM (SELECT auction, bidder, COUNT(*) AS c FROM bid GROUP BY auction, bidder))
WHERE rk <= 2;
