-- oracle of tests/agg/skew_global.sql
SELECT count(*), sum(price), min(price), max(price), count(*) FILTER (WHERE price >= 1000000)
FROM bid;
