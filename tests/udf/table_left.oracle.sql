-- oracle of table_left.sql
WITH RECURSIVE src(id, s) AS (
    SELECT id, CASE WHEN id % 3 = 0 THEN '' ELSE emailAddress END FROM person
),
sp(id, rest, word, pos) AS (
    SELECT id, CASE WHEN ltrim(s) = '' THEN '' ELSE ltrim(s) || ' ' END, NULL, 0 FROM src
    UNION ALL
    SELECT id, ltrim(substr(rest, instr(rest, ' ') + 1)), substr(rest, 1, instr(rest, ' ') - 1), pos + 1
    FROM sp WHERE rest <> ''
)
SELECT src.id, w.word, w.pos
FROM src LEFT JOIN (SELECT * FROM sp WHERE pos > 0) AS w ON w.id = src.id;
