SELECT auction, bidder, price, m FROM (
    SELECT *, DENSE_RANK() OVER (PARTITION BY auction ORDER BY m DESC) AS rk
    FROM (SELECT auction, bidder, price, price % 7 AS m FROM bid))
WHERE rk <= 2;
