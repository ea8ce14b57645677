-- q17 oracle: final state. avg(price) over BIGINT is a BIGINT in Flink
-- (sum / count truncated): SUM / COUNT in integers.
SELECT
    auction,
    substr(dateTime, 1, 10) AS day,
    count(*) AS total_bids,
    count(*) FILTER (WHERE price < 10000) AS rank1_bids,
    count(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
    count(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
    min(price) AS min_price,
    max(price) AS max_price,
    sum(price) / count(*) AS avg_price,
    sum(price) AS sum_price
FROM bid
GROUP BY auction, substr(dateTime, 1, 10);
