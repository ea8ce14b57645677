-- ANTI join over an updating right input (a filtered GROUP BY: its -U/+U
-- move match counts 1 -> 0 -> 1): category-10 auctions whose seller has
-- fewer than 2 auctions
-- expect: retractions
SELECT A.id, A.seller FROM auction AS A
WHERE A.category = 10 AND NOT EXISTS (SELECT * FROM (SELECT seller, COUNT(*) AS n FROM auction GROUP BY seller) AS S
                  WHERE S.seller = A.seller AND S.n >= 2);
