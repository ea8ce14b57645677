SELECT 1 + 2 * 3 - 4 / 5 % 6, 'a' || 'b', -a, +a, - -a FROM t
