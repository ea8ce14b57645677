SELECT FLOOR(ts TO HOUR), CEIL(ts TO DAY), FLOOR(x), CEIL(y), CEILING(z), floor(ts to week) FROM t
