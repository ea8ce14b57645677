SELECT a LIKE 'x%', a NOT LIKE '%y' ESCAPE '!', a SIMILAR TO 'a|b', a NOT SIMILAR TO 'c' FROM t
