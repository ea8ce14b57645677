-- description: C UDF libraries refused before any of their code runs: ABI version, symbols, path, signature
-- udf-path: tests/udf
CREATE FUNCTION f AS 'f' LANGUAGE C USING LIBRARY 'libno_abi.so';
CREATE FUNCTION f AS 'f' LANGUAGE C USING LIBRARY 'libbad_abi.so';
CREATE FUNCTION f AS 'f' LANGUAGE C USING LIBRARY 'libbad_minor.so';
CREATE FUNCTION f AS 'f' LANGUAGE C USING LIBRARY 'libno_register.so';
CREATE FUNCTION f AS 'f' LANGUAGE C USING LIBRARY 'libbad_signature.so';
CREATE FUNCTION f AS 'f' LANGUAGE C USING LIBRARY 'libundefined.so';
CREATE FUNCTION f AS 'f' LANGUAGE C USING LIBRARY '../../udf/examples/libnexmark_udf.so';
CREATE FUNCTION f AS 'f' LANGUAGE C USING LIBRARY '/etc/passwd';
CREATE FUNCTION f AS 'no_such' LANGUAGE C USING LIBRARY 'libfailing.so';
CREATE FUNCTION ovr AS 'over' LANGUAGE C USING LIBRARY 'libfailing.so';
CREATE TABLE t (i INT, d DOUBLE, s VARCHAR, b BOOLEAN) WITH ('connector' = 'datagen');
SELECT ovr(i), ovr(d), ovr(s) FROM t;
SELECT ovr(b) FROM t;
SELECT ovr(i, i) FROM t;
SELECT ovr() FROM t;
CREATE FUNCTION sum_once AS 'sum_once' LANGUAGE C USING LIBRARY 'libfailing.so';
SELECT sum_once(s) FROM t;
SELECT sum_once(i) OVER (ORDER BY i) FROM t;
SELECT sum_once(*) FROM t;
SELECT sum_once(DISTINCT i) FROM t;
SHOW USER FUNCTIONS;
