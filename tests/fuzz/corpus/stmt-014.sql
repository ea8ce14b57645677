CREATE TABLE t3 (a INT) WITH ('connector' = 'print') AS SELECT 1
