-- tests/ck hop query: bids per auction in HOP(size 1 s, slide 0.2 s) windows
-- of event time: starts s = the row's 0.2 s slide start - 200 j, j = 0..4.
WITH w AS (
    SELECT b.auction, b.price, (b.dateTime_ms / 200) * 200 - 200 * j.j AS ws
    FROM bid b,
         (SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
          UNION ALL SELECT 4) j
)
SELECT auction,
       strftime('%Y-%m-%d %H:%M:%S', ws / 1000, 'unixepoch') || printf('.%03d', ws % 1000),
       strftime('%Y-%m-%d %H:%M:%S', (ws + 1000) / 1000, 'unixepoch') || printf('.%03d', (ws + 1000) % 1000),
       COUNT(*), MAX(price)
FROM w GROUP BY auction, ws;
