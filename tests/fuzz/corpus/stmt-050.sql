INSERT INTO s (a, b) SELECT x, y FROM t
