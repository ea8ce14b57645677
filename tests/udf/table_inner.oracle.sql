-- oracle of table_inner.sql: words split at runs of blanks (Nexmark
-- strings have spaces only), by a recursive CTE
WITH RECURSIVE sp(id, rest, word, pos) AS (
    SELECT id, CASE WHEN ltrim(emailAddress) = '' THEN '' ELSE ltrim(emailAddress) || ' ' END, NULL, 0
    FROM person
    UNION ALL
    SELECT id, ltrim(substr(rest, instr(rest, ' ') + 1)), substr(rest, 1, instr(rest, ' ') - 1), pos + 1
    FROM sp WHERE rest <> ''
)
SELECT id, word, pos FROM sp WHERE pos > 0;
