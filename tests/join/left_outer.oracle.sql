SELECT A.id, A.seller, P.id, P.name FROM auction AS A LEFT JOIN person AS P ON A.seller = P.id;
