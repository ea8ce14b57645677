-- tests/ck cumulate query: bids per auction in CUMULATE(max 1 s, step 0.2 s)
-- windows of event time: [s, s + 200 j) for j = 1..5, s = the row's 1 s
-- period start, every end after the row's time.
WITH w AS (
    SELECT b.auction, b.price, (b.dateTime_ms / 1000) * 1000 AS ws,
           (b.dateTime_ms / 1000) * 1000 + 200 * j.j AS we
    FROM bid b,
         (SELECT 1 AS j UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
          UNION ALL SELECT 5) j
    WHERE (b.dateTime_ms / 1000) * 1000 + 200 * j.j > b.dateTime_ms
)
SELECT auction,
       strftime('%Y-%m-%d %H:%M:%S', ws / 1000, 'unixepoch') || printf('.%03d', ws % 1000),
       strftime('%Y-%m-%d %H:%M:%S', we / 1000, 'unixepoch') || printf('.%03d', we % 1000),
       COUNT(*), MAX(price)
FROM w GROUP BY auction, ws, we;
