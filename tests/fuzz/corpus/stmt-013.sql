CREATE TABLE t2 WITH ('connector' = 'print') AS SELECT * FROM t
