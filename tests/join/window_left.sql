-- LEFT window join (TUMBLE 10 s): sellers' auction counts per window with
-- the person's registration in the same window, padded otherwise
SELECT A.seller, A.n, A.ws, P.name
FROM (SELECT seller, COUNT(*) AS n, window_start AS ws, window_end AS we
      FROM TABLE(TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
      GROUP BY seller, window_start, window_end) AS A
LEFT JOIN
     (SELECT id, name, window_start AS ws, window_end AS we
      FROM TABLE(TUMBLE(TABLE person, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
      GROUP BY id, name, window_start, window_end) AS P
ON A.seller = P.id AND A.ws = P.ws AND A.we = P.we;
