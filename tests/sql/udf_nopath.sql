-- description: C UDFs without a UDF path: no library loads (safe by default)
CREATE FUNCTION count_char AS 'count_char' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
SET 'udf.path' = '';
CREATE FUNCTION count_char AS 'count_char' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
SHOW FUNCTIONS;
