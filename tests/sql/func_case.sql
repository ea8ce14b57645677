-- description: LOWER and UPPER (and short string IN lists, compared without hashing) on ASCII strings around 8-byte word boundaries (sluice scans whole words for letters to change), the characters next to A-Z and a-z (@ [ ` {), multi-byte letters after an ASCII word, NULL and empty (rows in func_case.rows)
SELECT s, LOWER(s), UPPER(s), LOWER(s) = s, UPPER(s) = s,
       LOWER(s) IN ('abcdefgh', '', 'channel-1234'), s NOT IN ('12345678', CAST(NULL AS STRING))
FROM (VALUES ('abcdefg'), ('abcdefgh'), ('abcdefghI'), ('Abcdefgh'), ('abcdefgHijklmnop'),
             ('abcdefghijklmnoPq'), ('@[`{@[`{@[`{'), ('channel-1234'), ('Channel-1234'),
             ('abcdefghÄÖü'), ('ABCDEFGHäöÜ'), ('12345678'), ('ΑΒΓ δεζ'), (''),
             (CAST(NULL AS STRING))) AS t(s);
