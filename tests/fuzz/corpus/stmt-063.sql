SELECT a AS x, b y, c AS `from`, d AS value, e AS `timestamp` FROM t
