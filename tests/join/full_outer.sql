-- people FULL OUTER JOIN auctions on the seller, append-only inputs: a
-- person padded on the right is retracted when their first auction comes
-- (certain: most auctions come long after their seller registered), an
-- auction padded on the left when its seller's row reaches the join (if
-- timing makes it early); golden_full.sql pins both directions exactly.
-- expect: retractions
SELECT P.id AS pid, P.name, A.id, A.seller
FROM person AS P FULL OUTER JOIN auction AS A ON A.seller = P.id;
