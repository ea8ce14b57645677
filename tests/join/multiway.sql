-- a chain of joins: auction LEFT JOIN person (an updating result: padded
-- rows retracted when the seller registers) feeding an inner join with
-- bid, so the second join retracts what the first one retracted
-- expect: retractions
SELECT B.auction, B.price, A.seller, P.name
FROM auction AS A LEFT JOIN person AS P ON A.seller = P.id
JOIN bid AS B ON B.auction = A.id
WHERE A.category = 10;
