SELECT A.id, A.seller FROM auction AS A
WHERE A.category = 10 AND NOT EXISTS (SELECT * FROM (SELECT seller, COUNT(*) AS n FROM auction GROUP BY seller) AS S
                  WHERE S.seller = A.seller AND S.n >= 2);
