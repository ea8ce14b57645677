SELECT a AS date, b AS time, c AS select FROM t
