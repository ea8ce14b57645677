SELECT person.id, a.b.c, t.`weird name`.x, arr[1], m['k'], arr[1].f, f(x).y, (r).z, m['a']['b'] FROM t
