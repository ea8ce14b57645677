-- FULL OUTER over an updating input (a GROUP BY: -U/+U) on both sides'
-- outer paths: counts per seller vs people from OR
-- expect: retractions
SELECT S.seller, S.n, P.id, P.name
FROM (SELECT seller, COUNT(*) AS n FROM auction GROUP BY seller) AS S
FULL OUTER JOIN (SELECT id, name FROM person WHERE state = 'OR') AS P
ON S.seller = P.id;
