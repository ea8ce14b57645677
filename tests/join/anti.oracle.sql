SELECT A.id, A.seller FROM auction AS A
WHERE NOT EXISTS (SELECT * FROM person AS P
                  WHERE P.id = A.seller AND P.state = 'OR' AND P.dateTime_ms < A.dateTime_ms);
