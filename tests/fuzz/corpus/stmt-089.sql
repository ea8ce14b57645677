SELECT * FROM t, LATERAL TABLE(split(t.s)) AS x(word, len)
