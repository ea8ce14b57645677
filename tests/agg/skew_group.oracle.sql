-- oracle of tests/agg/skew_group.sql (AVG of BIGINT is a truncated BIGINT in Flink)
SELECT CASE WHEN bidder % 10 < 8 THEN 0 ELSE bidder % 100 END AS k,
       count(*),
       count(*) FILTER (WHERE price < 10000),
       sum(price),
       min(price),
       max(price),
       sum(price) / count(*),
       sum(price) FILTER (WHERE price >= 1000000)
FROM bid
GROUP BY 1;
