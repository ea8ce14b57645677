SELECT B.auction, B.price, A.seller, P.name
FROM auction AS A LEFT JOIN person AS P ON A.seller = P.id
JOIN bid AS B ON B.auction = A.id
WHERE A.category = 10;
