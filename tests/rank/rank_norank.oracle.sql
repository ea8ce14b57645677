SELECT bidder, k, price, dateTime, url FROM (
    SELECT bidder, k, price, dateTime, url,
           ROW_NUMBER() OVER (PARTITION BY bidder, k ORDER BY price ASC, dateTime_ms DESC, url) AS rn
    FROM (SELECT bidder, CASE WHEN channel LIKE 'channel-%' THEN NULL ELSE channel END AS k,
                 price, dateTime, dateTime_ms, url FROM bid))
WHERE rn <= 3;
