-- description: SPLIT_INDEX as Flink (commons-lang splitByWholeSeparatorPreserveAllTokens): a constant one-byte separator and index (scanned 8 bytes at a time) against the general form; pieces at and across 8-byte boundaries, adjacent and leading/trailing separators, index 0 and out of range, multi-byte separators, a column index, an empty string (no pieces), an empty separator (splits at whitespace), NULLs (rows in func_split.rows)
SELECT s, SPLIT_INDEX(s, '/', 0), SPLIT_INDEX(s, '/', 1), SPLIT_INDEX(s, '/', 3),
       SPLIT_INDEX(s, '/', 7), SPLIT_INDEX(s, '/', 8), SPLIT_INDEX(s, '/', -1),
       SPLIT_INDEX(s, '/', i), SPLIT_INDEX(s, '//', 1), SPLIT_INDEX(s, 'é', 1)
FROM (VALUES ('https://www.nexmark.com/htw/mxkr/fnb/item.htm?query=1', 3),
             ('1234567/9abcdefg/ijklmnop/', 2), ('////////', 8), ('/', 1), ('', 0),
             ('abcdefghijklmnopqrstuvwxyz', 0), ('aé/bé/c', 2), ('a//b', 1),
             (CAST(NULL AS STRING), 1), ('x/y', CAST(NULL AS INT))) AS t(s, i);
-- an empty separator: every whitespace character separates (tab, ideographic space U+3000; not the no-break space U+00A0)
SELECT s, SPLIT_INDEX(s, '', 0), SPLIT_INDEX(s, '', 1), SPLIT_INDEX(s, '', 2)
FROM (VALUES ('a b'), ('a  b'), (' a'), ('a '), ('ab'), (''), (CONCAT('a', CHR(9), 'b c')),
             ('x　y'), (CONCAT('x', CHR(160), 'y'))) AS t(s);
