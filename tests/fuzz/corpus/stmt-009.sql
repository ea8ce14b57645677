CREATE TABLE k (a INT, b INT, PRIMARY KEY (a, b) NOT ENFORCED) WITH ('connector' = 'print')
