-- description: string functions over NULL, empty, padded, multi-byte and delimited values (sluice run; rows in func_string.rows)
SELECT s, UPPER(s), LOWER(s), CHAR_LENGTH(s), TRIM(s), SUBSTRING(s, 2, 3), CONCAT(s, '!'),
       CONCAT_WS('-', s, 'x'), REPLACE(s, 'a', 'A'), POSITION('b' IN s), s LIKE '%b%',
       REGEXP_EXTRACT(s, '([a-z]+)', 1), REGEXP_REPLACE(s, '[aeiou]', '_'), SPLIT_INDEX(s, ',', 1)
FROM (VALUES ('abc'), (''), (CAST(NULL AS STRING)), ('  pad  '), ('a,b,c'), ('ÄÖü')) AS t(s);
