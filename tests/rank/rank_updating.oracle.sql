SELECT auction, bidder, c, mp, rn FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY c DESC, mp DESC, bidder) AS rn
    FROM (SELECT auction, bidder, COUNT(*) AS c, MAX(price) AS mp FROM bid GROUP BY auction, bidder))
WHERE rn <= 3;
