SELECT * FROM t /*+ OPTIONS('scan.startup.mode' = 'earliest-offset', 'x' = 'y') */ AS t1
