-- description: math functions and arithmetic over NULL, zero, negative and boundary values (sluice run; rows in func_math.rows)
SELECT i, d, ABS(i), MOD(i, 7), i + 1, i - 1, ABS(d), ROUND(d, 1), FLOOR(d), CEIL(d), POWER(d, 2),
       SQRT(ABS(d)), CAST(d AS BIGINT), c * 2, c + 0.005
FROM (VALUES (0, 0.0E0, CAST(0.00 AS DECIMAL(10, 2))),
             (-7, -2.5E0, CAST(-2.55 AS DECIMAL(10, 2))),
             (2147483646, 1.0E15, CAST(12345678.94 AS DECIMAL(10, 2))),
             (CAST(NULL AS INT), CAST(NULL AS DOUBLE), CAST(NULL AS DECIMAL(10, 2))),
             (-2147483647, 2.5E0, CAST(0.05 AS DECIMAL(10, 2)))) AS t(i, d, c);
