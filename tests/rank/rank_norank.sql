-- the 3 lowest bids per (bidder, k), the rank number not selected by the outer query; a nullable partition key (k is NULL for the non-hot channels)
CREATE TABLE out (bidder BIGINT, k VARCHAR, price BIGINT, dateTime TIMESTAMP(3), url VARCHAR)
    WITH ('connector' = 'print');
INSERT INTO out
SELECT bidder, k, price, dateTime, url FROM (
    SELECT bidder, k, price, dateTime, url,
           ROW_NUMBER() OVER (PARTITION BY bidder, k ORDER BY price ASC, dateTime DESC, url) AS rn
    FROM (SELECT bidder, CASE WHEN channel LIKE 'channel-%' THEN NULL ELSE channel END AS k,
                 price, dateTime, url FROM bid))
WHERE rn <= 3;
