CREATE TABLE fs (dt STRING, v INT) PARTITIONED BY (dt) WITH ('connector' = 'filesystem', 'path' = '/tmp/x')
