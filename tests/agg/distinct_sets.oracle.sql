-- oracle of tests/agg/distinct_sets.sql
SELECT channel,
       substr(dateTime, 1, 10),
       count(*),
       count(DISTINCT bidder),
       count(DISTINCT bidder) FILTER (WHERE price < 10000),
       count(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000),
       count(DISTINCT auction) FILTER (WHERE price >= 1000000),
       count(DISTINCT price % 4096),
       count(DISTINCT bidder * 100000 + auction),
       count(DISTINCT CASE WHEN auction % 3 = 0 THEN NULL ELSE -auction END)
           FILTER (WHERE price < 1000000)
FROM bid
GROUP BY 1, 2;
