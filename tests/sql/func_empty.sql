-- description: empty inputs: a filter that keeps nothing, and a global and a grouped aggregate over it print no rows (sluice run; func_empty.rows is empty)
SELECT x, UPPER(s) FROM (VALUES (1, 'a'), (2, 'b')) AS t(x, s) WHERE x > 5;
SELECT COUNT(*), SUM(x), MIN(x) FROM (VALUES (1), (2)) AS t(x) WHERE x > 5;
SELECT x, COUNT(*) FROM (VALUES (1), (2)) AS t(x) WHERE x < 0 GROUP BY x;
