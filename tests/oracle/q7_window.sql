-- q7's window part: the oracle of
--   SELECT window_start, window_end, MAX(price) AS maxprice
--   FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
--   GROUP BY window_start, window_end;
SELECT (strftime('%Y-%m-%d %H:%M:%S', ws / 1000, 'unixepoch') || printf('.%03d', ws % 1000)), (strftime('%Y-%m-%d %H:%M:%S', (ws + 10000) / 1000, 'unixepoch') || printf('.%03d', (ws + 10000) % 1000)), maxprice
FROM (SELECT dateTime_ms / 10000 * 10000 AS ws, MAX(price) AS maxprice
      FROM bid GROUP BY dateTime_ms / 10000);
