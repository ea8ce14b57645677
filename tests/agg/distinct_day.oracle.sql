-- oracle of tests/agg/distinct_day.sql
SELECT substr(dateTime, 1, 10),
       count(*),
       count(DISTINCT price % 65536),
       count(DISTINCT price % 65536) FILTER (WHERE price < 10000),
       count(DISTINCT price % 65536) FILTER (WHERE price >= 10000 AND price < 1000000),
       count(DISTINCT price % 65536) FILTER (WHERE price >= 1000000),
       count(DISTINCT bidder),
       count(DISTINCT auction),
       count(DISTINCT price % 2100)
FROM bid
GROUP BY 1;
