SELECT year(ts), hour(ts), minute(ts), second(ts), month(ts) FROM t
