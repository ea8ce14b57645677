-- ANTI join (NOT EXISTS) with a residual condition: auctions whose seller
-- is not (yet) a person from OR registered before the auction; a row is
-- emitted while unmatched and retracted when its match arrives
-- expect: retractions
SELECT A.id, A.seller FROM auction AS A
WHERE NOT EXISTS (SELECT * FROM person AS P
                  WHERE P.id = A.seller AND P.state = 'OR' AND P.dateTime < A.dateTime);
