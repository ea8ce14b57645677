SELECT t.*, s.* FROM t, s
