-- NULL join keys never match: every third auction has a NULL seller key and
-- stays padded; the inner part still joins
SELECT A.id, A.s, P.id AS pid, P.city
FROM (SELECT id, CASE WHEN MOD(id, 3) = 0 THEN CAST(NULL AS BIGINT) ELSE seller END AS s
      FROM auction) AS A
LEFT JOIN person AS P ON A.s = P.id;
