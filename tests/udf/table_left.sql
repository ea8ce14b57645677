-- LEFT JOIN LATERAL TABLE ... ON TRUE: every third person passes an empty
-- string, which gives no words, so the person is kept once with NULLs;
-- the argument is an expression (computed by a Calc below the Correlate)
-- (oracle: table_left.oracle.sql)
CREATE VIEW person AS SELECT person.id, person.emailAddress, dateTime FROM nexmark WHERE event_type = 0;
SELECT id, w, p
FROM person LEFT JOIN LATERAL TABLE(split_words(CASE WHEN id % 3 = 0 THEN '' ELSE emailAddress END)) AS T(w, p) ON TRUE;
