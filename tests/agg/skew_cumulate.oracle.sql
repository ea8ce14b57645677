-- oracle of tests/agg/skew_cumulate.sql: window [s, s + 2000 j) for
-- j = 1..5, s = the 10 s window start, every end after the row's time
WITH w AS (
    SELECT CASE WHEN b.bidder % 10 < 8 THEN 0 ELSE b.bidder % 100 END AS k, b.price,
           (b.dateTime_ms / 10000) * 10000 AS ws,
           (b.dateTime_ms / 10000) * 10000 + 2000 * j.j AS we
    FROM bid b,
         (SELECT 1 AS j UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
          UNION ALL SELECT 5) j
    WHERE (b.dateTime_ms / 10000) * 10000 + 2000 * j.j > b.dateTime_ms
)
SELECT k, (strftime('%Y-%m-%d %H:%M:%S', ws / 1000, 'unixepoch') || printf('.%03d', ws % 1000)),
       (strftime('%Y-%m-%d %H:%M:%S', we / 1000, 'unixepoch') || printf('.%03d', we % 1000)),
       count(*), sum(price), min(price), max(price), sum(price) / count(*),
       count(*) FILTER (WHERE price < 10000)
FROM w GROUP BY k, ws, we;
