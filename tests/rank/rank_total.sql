-- Top-5 bids per auction with the rank number, ordered totally (price DESC, dateTime, bidder, url), so parallel runs match exactly
CREATE TABLE out (auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), url VARCHAR,
    rn BIGINT) WITH ('connector' = 'print');
INSERT INTO out
SELECT auction, bidder, price, dateTime, url, rn FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY auction
                                 ORDER BY price DESC, dateTime ASC, bidder DESC, url) AS rn
    FROM bid)
WHERE rn <= 5;
