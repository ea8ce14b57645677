-- oracle of agg_group.sql: weighted_avg(v, w) = SUM(v * w) / SUM(w)
SELECT b, CAST(SUM(n * 1.0 * total) / SUM(total) * 1000 AS INTEGER), COUNT(*)
FROM (SELECT auction % 7 AS b, COUNT(*) AS n, SUM(price) AS total FROM bid GROUP BY auction)
GROUP BY b;
