SELECT P.id, P.name, A.id, A.seller FROM auction AS A LEFT JOIN person AS P ON A.seller = P.id;
