-- description: hash, INSTR, TO_TIMESTAMP_LTZ and random functions over NULL, empty and multi-byte values (sluice run; rows in func_hash.rows; digests are the published test vectors for 'abc' and '')
SELECT s, MD5(s), SHA1(s), SHA256(s), SHA2(s, 224), SHA2(s, 100), INSTR(s, 'b'), INSTR(s, '')
FROM (VALUES ('abc'), (''), (CAST(NULL AS STRING)), ('ÄbÖb')) AS t(s);
SELECT SHA384('abc'), SHA512('abc'), SHA224('abc');
SELECT ms, TO_TIMESTAMP_LTZ(ms), TO_TIMESTAMP_LTZ(ms, 3), TO_TIMESTAMP_LTZ(ms / 1000, 0),
       TO_TIMESTAMP_LTZ(CAST(ms AS DOUBLE) / 1000, 0)
FROM (VALUES (CAST(1700000000123 AS BIGINT)), (CAST(0 AS BIGINT)), (CAST(-1500 AS BIGINT)),
             (CAST(NULL AS BIGINT))) AS t(ms);
-- seeded: the same sequence on every run (two calls with one seed agree)
SELECT i, RAND(7), RAND_INTEGER(7, 1000), RAND(7) = RAND(7)
FROM (VALUES (1), (2), (3)) AS t(i);
-- unseeded: in range, and two calls are two values
SELECT i, RAND() >= 0 AND RAND() < 1, RAND_INTEGER(10) BETWEEN 0 AND 9, CHAR_LENGTH(UUID()),
       SUBSTRING(UUID(), 15, 1), SUBSTRING(UUID(), 9, 1), UUID() <> UUID()
FROM (VALUES (1), (2)) AS t(i);
