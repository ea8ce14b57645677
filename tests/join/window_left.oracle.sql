WITH A AS (SELECT seller, COUNT(*) AS n, (dateTime_ms / 10000) * 10000 AS ws FROM auction
           GROUP BY seller, (dateTime_ms / 10000) * 10000),
     P AS (SELECT DISTINCT id, name, (dateTime_ms / 10000) * 10000 AS ws FROM person)
SELECT A.seller, A.n, strftime('%Y-%m-%d %H:%M:%S', A.ws / 1000, 'unixepoch') || '.000', P.name
FROM A LEFT JOIN P ON A.seller = P.id AND A.ws = P.ws;
