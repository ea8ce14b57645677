SELECT auction, bidder, price, dateTime FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY dateTime_ms ASC, seq) AS rn FROM bid)
WHERE rn = 1;
