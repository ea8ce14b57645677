-- description: C UDFs: CREATE FUNCTION loads from the UDF path, refusals, resolution
-- udf-path: udf/examples
CREATE TABLE bids (auction BIGINT, price BIGINT, extra VARCHAR) WITH ('connector' = 'datagen');
CREATE FUNCTION cc AS 'count_char' LANGUAGE C USING LIBRARY '../libnexmark_udf.so';
CREATE FUNCTION cc AS 'count_char' LANGUAGE C USING LIBRARY '/etc/passwd';
CREATE FUNCTION cc AS 'count_char' LANGUAGE C USING LIBRARY 'libnope.so';
CREATE FUNCTION cc AS 'no_such_symbol' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
CREATE FUNCTION upper AS 'count_char' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
CREATE FUNCTION count_char AS 'count_char' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
CREATE FUNCTION count_char AS 'count_char' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
CREATE FUNCTION IF NOT EXISTS count_char AS 'count_char' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
SHOW FUNCTIONS;
DESCRIBE FUNCTION count_char;
SELECT count_char(price) FROM bids;
SELECT count_char(extra, price) FROM bids;
EXPLAIN SELECT auction, count_char(extra, 'c') AS c FROM bids WHERE count_char(extra, 'a') > 2;
CREATE TABLE out_t (auction BIGINT, c BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO out_t SELECT auction, count_char(extra, 'c') FROM bids;
CREATE FUNCTION weighted_avg AS 'weighted_avg' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
SELECT auction, weighted_avg(CAST(price AS DOUBLE), 1) FROM bids GROUP BY auction;
DROP FUNCTION count_char;
SELECT count_char(extra, 'c') FROM bids;
