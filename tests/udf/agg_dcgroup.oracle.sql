-- oracle of agg_dcgroup.sql
SELECT b, COUNT(DISTINCT n), COUNT(*)
FROM (SELECT auction % 7 AS b, COUNT(*) AS n FROM bid GROUP BY auction)
GROUP BY b;
