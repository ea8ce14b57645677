SELECT auction, bidder, price, dateTime, url, rn FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY auction
                                 ORDER BY price DESC, dateTime_ms ASC, bidder DESC, url) AS rn
    FROM bid)
WHERE rn <= 5;
