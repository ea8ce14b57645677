-- Top-3 bidders per auction by their bid count over an updating input (a GROUP BY): retractions move rows in and out of the top
CREATE TABLE out (auction BIGINT, bidder BIGINT, c BIGINT, mp BIGINT, rn BIGINT)
    WITH ('connector' = 'print');
INSERT INTO out
SELECT auction, bidder, c, mp, rn FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY c DESC, mp DESC, bidder) AS rn
    FROM (SELECT auction, bidder, COUNT(*) AS c, MAX(price) AS mp FROM bid GROUP BY auction, bidder))
WHERE rn <= 3;
