-- oracle of tests/agg/skew_retract.sql: the final state
SELECT c % 4, count(*), sum(c), sum(total), sum(total) / count(*)
FROM (SELECT auction, count(*) AS c, sum(price) AS total FROM bid GROUP BY auction)
GROUP BY c % 4;
