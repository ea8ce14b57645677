-- Nexmark q19 (Top-10 bids per auction by price) projected to (auction, price): which of equal prices gets which rank follows arrival order, but the prices in each auction's top 10 do not, so parallel runs match exactly
CREATE TABLE out (auction BIGINT, price BIGINT) WITH ('connector' = 'print');
INSERT INTO out
SELECT auction, price FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number
    FROM bid)
WHERE rank_number <= 10;
