-- auctions LEFT JOIN their seller: a padded row is retracted (-D) when the
-- seller registers after the auction, so the changelog must hold -D rows
-- expect: retractions
SELECT A.id, A.seller, P.id AS pid, P.name
FROM auction AS A LEFT JOIN person AS P ON A.seller = P.id;
