SELECT a, b FROM t GROUP BY CUBE (a, (a, b)), ()
