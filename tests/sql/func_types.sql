-- description: result types of built-in functions as the binder types them (DESCRIBE of a view), and their values at run time (rows in func_types.rows)
CREATE VIEW t AS SELECT * FROM (VALUES
    (CAST(7 AS BIGINT), 3, CAST(-12.55 AS DECIMAL(10, 2)), CAST(5.1234 AS DECIMAL(5, 4)), 'abc'),
    (CAST(-7 AS BIGINT), -3, CAST(0.05 AS DECIMAL(10, 2)), CAST(-0.0001 AS DECIMAL(5, 4)), CAST(NULL AS STRING)),
    (CAST(NULL AS BIGINT), CAST(NULL AS INT), CAST(NULL AS DECIMAL(10, 2)), CAST(NULL AS DECIMAL(5, 4)), ''))
    AS v(b, i, d, e, s);
CREATE VIEW types AS SELECT
    MOD(b, i) AS mod_bigint_int, MOD(i, b) AS mod_int_bigint, b % i AS pct_bigint_int,
    MOD(e, CAST(1.25 AS DECIMAL(3, 2))) AS mod_dec, MOD(d, 3) AS mod_dec_int,
    ROUND(d, 1) AS round_1, ROUND(d, 0) AS round_0, ROUND(d) AS round_none,
    ROUND(d, -1) AS round_neg, ROUND(d, 3) AS round_3, TRUNCATE(e, 2) AS trunc_2,
    FLOOR(d) AS floor_d, CEIL(e) AS ceil_e, ABS(d) AS abs_d,
    d * 2 AS mul, d + 0.005 AS add_, d / 3 AS div_,
    COALESCE(s, 'x') AS coalesce_s, IFNULL(i, 0) AS ifnull_i, NULLIF(i, 3) AS nullif_i,
    IF(i > 0, b, i) AS if_bi, CHAR_LENGTH(s) AS len, POWER(i, 2) AS pow,
    CAST(i AS TINYINT) + CAST(1 AS TINYINT) AS tiny_add, CAST(i AS FLOAT) * 2 AS float_mul,
    d + 1.5E0 AS dec_double, b / i AS int_div, REGEXP_EXTRACT(s, 'b(.)', 1) AS rx,
    d + NULL AS dec_null
FROM t;
DESCRIBE types;
SELECT * FROM types;
