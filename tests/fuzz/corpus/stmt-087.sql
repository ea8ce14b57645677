SELECT * FROM t AS x, s y, u AS z(a, b), db.v
