-- oracle of tests/agg/skew_strminmax.sql
SELECT auction % 7,
       max(url),
       min(channel),
       max(CASE WHEN bidder % 3 = 0 THEN url ELSE channel END),
       min(CASE WHEN bidder % 3 = 0 THEN url ELSE channel END) FILTER (WHERE price > 1000),
       count(*)
FROM bid
GROUP BY auction % 7;
