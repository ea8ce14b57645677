-- description: CASE, COALESCE, NULLIF, IF, IN, BETWEEN and CAST with NULLs (sluice run; rows in func_cond.rows)
SELECT a, b, CASE WHEN a > 1 THEN 'big' WHEN a IS NULL THEN 'none' ELSE 'small' END,
       COALESCE(a, b, -1), NULLIF(a, 2), IF(a = b, 'eq', 'ne'), a IN (1, 2), a IN (1, CAST(NULL AS INT)),
       a BETWEEN 1 AND 2, a NOT BETWEEN b AND 3, CAST(a AS STRING), CAST(CAST(a AS STRING) AS BIGINT),
       CAST(b AS BOOLEAN), a IS DISTINCT FROM b
FROM (VALUES (1, 1), (2, CAST(NULL AS INT)), (CAST(NULL AS INT), 0), (CAST(NULL AS INT), CAST(NULL AS INT)),
             (3, 2)) AS t(a, b);
