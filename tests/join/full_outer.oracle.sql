SELECT P.id, P.name, A.id, A.seller FROM person AS P LEFT JOIN auction AS A ON A.seller = P.id
UNION ALL
SELECT NULL, NULL, A.id, A.seller FROM auction AS A WHERE NOT EXISTS (SELECT 1 FROM person AS P WHERE P.id = A.seller);
