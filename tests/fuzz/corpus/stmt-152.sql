SELECT a[1 + 1], (a + b)[1], ARRAY[1][1] FROM t
