-- q5's window part: the oracle of
--   SELECT auction, window_start, window_end, count(*) AS num
--   FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
--   GROUP BY auction, window_start, window_end;
WITH hop AS (
    SELECT b.auction, (b.dateTime_ms / 2000 - k.k) * 2000 AS ws
    FROM bid b,
         (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
          UNION ALL SELECT 4) k
)
SELECT auction, (strftime('%Y-%m-%d %H:%M:%S', ws / 1000, 'unixepoch') || printf('.%03d', ws % 1000)), (strftime('%Y-%m-%d %H:%M:%S', (ws + 10000) / 1000, 'unixepoch') || printf('.%03d', (ws + 10000) % 1000)), COUNT(*)
FROM hop GROUP BY auction, ws;
