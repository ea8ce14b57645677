SELECT auction, bidder, mp, SUM(mp) OVER w, COUNT(*) OVER w, MIN(mp) OVER w
FROM (SELECT auction, bidder, MAX(price) AS mp FROM bid GROUP BY auction, bidder)
WINDOW w AS (PARTITION BY auction ORDER BY mp, bidder ROWS BETWEEN 2 PRECEDING AND CURRENT ROW);
