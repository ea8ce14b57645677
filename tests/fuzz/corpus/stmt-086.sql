SELECT ROW(1, 'a'), ARRAY[1, 2, 3], ARRAY[], MAP['a', 1, 'b', 2] FROM t
