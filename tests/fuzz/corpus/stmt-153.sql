SELECT COALESCE(a, b), NULLIF(a, b), CHAR_LENGTH(s), UPPER(s), REGEXP_EXTRACT(s, '(\d+)', 1), DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm'), TO_TIMESTAMP(s), CONCAT_WS(',', a, b) FROM t
