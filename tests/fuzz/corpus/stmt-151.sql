SELECT f(a => 1, b => 'x') FROM t
