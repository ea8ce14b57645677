SELECT auction, bidder, price, dateTime FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY seq DESC) AS rn FROM bid)
WHERE rn = 1;
