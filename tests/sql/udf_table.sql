-- description: C table functions: LATERAL TABLE, CROSS/LEFT JOIN LATERAL TABLE ... ON TRUE (Correlate), refusals
-- udf-path: udf/examples
CREATE TABLE t (id INT, s VARCHAR, n BIGINT) WITH ('connector' = 'datagen');
CREATE FUNCTION split_words AS 'split_words' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
EXPLAIN SELECT id, word, pos FROM t, LATERAL TABLE(split_words(s));
EXPLAIN SELECT t.id, T.w, T.p FROM t CROSS JOIN LATERAL TABLE(split_words(s)) AS T(w, p) WHERE T.p > 1;
EXPLAIN SELECT id, w FROM t LEFT JOIN LATERAL TABLE(split_words(CONCAT(s, ' ', s))) AS T(w, p) ON TRUE;
EXPLAIN SELECT id, word FROM t JOIN LATERAL TABLE(split_words(s)) ON TRUE;
EXPLAIN SELECT word, COUNT(*) AS c FROM t, LATERAL TABLE(split_words(s)) GROUP BY word;
SELECT id, word FROM t, LATERAL TABLE(split_words(n));
SELECT id, word FROM t, LATERAL TABLE(split_words(s, s));
SELECT id, w FROM t, LATERAL TABLE(split_words(s)) AS T(w);
SELECT id, word FROM t LEFT JOIN LATERAL TABLE(split_words(s)) ON id > 1;
SELECT id, word FROM t RIGHT JOIN LATERAL TABLE(split_words(s)) ON TRUE;
SELECT id, word FROM t LEFT JOIN LATERAL TABLE(split_words(s));
SELECT word FROM LATERAL TABLE(split_words('a b'));
SELECT split_words(s) FROM t;
SELECT id, word FROM t, LATERAL TABLE(split_words(word));
SHOW USER FUNCTIONS;
SHOW FUNCTIONS;
