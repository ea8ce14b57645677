CREATE TABLE k (id BIGINT PRIMARY KEY NOT ENFORCED COMMENT 'the key', v STRING COMMENT 'x''y') COMMENT 'table comment' WITH ('connector' = 'upsert-kafka', 'topic' = 'k')
