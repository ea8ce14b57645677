SELECT auction, bidder, price, m, rk FROM (
    SELECT *, RANK() OVER (PARTITION BY auction ORDER BY m DESC) AS rk
    FROM (SELECT auction, bidder, price, price % 7 AS m FROM bid))
WHERE rk <= 3;
