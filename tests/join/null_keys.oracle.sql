SELECT A.id, A.s, P.id, P.city
FROM (SELECT id, CASE WHEN id % 3 = 0 THEN NULL ELSE seller END AS s FROM auction) AS A
LEFT JOIN person AS P ON A.s = P.id;
