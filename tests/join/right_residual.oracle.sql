SELECT A.id, A.seller, P.id, P.name
FROM person AS P LEFT JOIN auction AS A
ON A.seller = P.id AND A.dateTime_ms > P.dateTime_ms + 1000;
