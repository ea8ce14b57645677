-- q8's window part (the auction side): the oracle of
--   SELECT seller, window_start, window_end, count(*) AS num
--   FROM TABLE(TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
--   GROUP BY seller, window_start, window_end;
SELECT seller, (strftime('%Y-%m-%d %H:%M:%S', ws / 1000, 'unixepoch') || printf('.%03d', ws % 1000)), (strftime('%Y-%m-%d %H:%M:%S', (ws + 10000) / 1000, 'unixepoch') || printf('.%03d', (ws + 10000) % 1000)), num
FROM (SELECT seller, dateTime_ms / 10000 * 10000 AS ws, COUNT(*) AS num
      FROM auction GROUP BY seller, dateTime_ms / 10000);
