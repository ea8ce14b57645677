SELECT ws, we, auction, cnt, rk FROM (
    SELECT *, DENSE_RANK() OVER (PARTITION BY w ORDER BY cnt DESC) AS rk
    FROM (SELECT auction, dateTime_ms / 2000 AS w,
                 strftime('%Y-%m-%d %H:%M:%S', (dateTime_ms / 2000) * 2, 'unixepoch') || '.000' AS ws,
                 strftime('%Y-%m-%d %H:%M:%S', (dateTime_ms / 2000) * 2 + 2, 'unixepoch') || '.000' AS we,
                 COUNT(*) AS cnt
          FROM bid GROUP BY auction, dateTime_ms / 2000))
WHERE rk <= 2;
