-- join keys of different types (BIGINT = INT): the pair stays a residual
-- condition (a key pair must encode alike), and still matches
SELECT B.auction, B.price, A.iid, A.category
FROM bid AS B JOIN (SELECT CAST(id AS INT) AS iid, category FROM auction) AS A
ON B.auction = A.iid AND B.price > 10000000;
