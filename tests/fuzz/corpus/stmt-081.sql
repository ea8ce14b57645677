SELECT COUNT(*), count(DISTINCT a), SUM(b) FILTER (WHERE c > 0), COUNT(DISTINCT a, b) FILTER (WHERE d IS NOT NULL), IF(a > 1, 'x', 'y'), my.udf(1), cat.db.f(DISTINCT x) FROM t
