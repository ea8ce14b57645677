-- RIGHT JOIN with a residual condition across both sides: a person is
-- matched only by auctions opened at least 1 s after they registered
SELECT A.id, A.seller, P.id AS pid, P.name
FROM auction AS A RIGHT JOIN person AS P
ON A.seller = P.id AND A.dateTime > P.dateTime + INTERVAL '1' SECOND;
