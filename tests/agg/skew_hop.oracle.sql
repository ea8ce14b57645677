-- oracle of tests/agg/skew_hop.sql: windows [s, s + 8000) for
-- s = the row's 2 s slide start minus 2000 j, j = 0..3
WITH w AS (
    SELECT CASE WHEN b.bidder % 10 < 8 THEN 0 ELSE b.bidder % 100 END AS k, b.price,
           (b.dateTime_ms / 2000) * 2000 - 2000 * j.j AS ws
    FROM bid b,
         (SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) j
)
SELECT k, (strftime('%Y-%m-%d %H:%M:%S', ws / 1000, 'unixepoch') || printf('.%03d', ws % 1000)),
       (strftime('%Y-%m-%d %H:%M:%S', (ws + 8000) / 1000, 'unixepoch') || printf('.%03d', (ws + 8000) % 1000)),
       count(*), sum(price), min(price), max(price), sum(price) / count(*),
       count(*) FILTER (WHERE price < 10000)
FROM w GROUP BY k, ws;
