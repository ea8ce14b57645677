SELECT auction, bidder, c, rk FROM (
    SELECT *, DENSE_RANK() OVER (PARTITION BY auction ORDER BY c DESC) AS rk
    FROM (SELECT auction, bidder, COUNT(*) AS c FROM bid GROUP BY auction, bidder))
WHERE rk <= 2;
