SELECT ws, we, auction, cnt, rn FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY w ORDER BY cnt DESC, auction) AS rn
    FROM (SELECT auction, dateTime_ms / 2000 AS w,
                 strftime('%Y-%m-%d %H:%M:%S', (dateTime_ms / 2000) * 2, 'unixepoch') || '.000' AS ws,
                 strftime('%Y-%m-%d %H:%M:%S', (dateTime_ms / 2000) * 2 + 2, 'unixepoch') || '.000' AS we,
                 COUNT(*) AS cnt
          FROM bid GROUP BY auction, dateTime_ms / 2000))
WHERE rn <= 3;
