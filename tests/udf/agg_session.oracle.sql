-- oracle of agg_session.sql: sessions as in tests/oracle/q11.sql
WITH s AS (
    SELECT bidder, dateTime_ms AS t, seq, price, auction,
           CASE WHEN dateTime_ms - LAG(dateTime_ms) OVER (PARTITION BY bidder
                                                          ORDER BY dateTime_ms, seq) < 10000
                THEN 0 ELSE 1 END AS new_session
    FROM bid
),
g AS (
    SELECT bidder, t, price, auction,
           SUM(new_session) OVER (PARTITION BY bidder ORDER BY t, seq
                                  ROWS UNBOUNDED PRECEDING) AS sid
    FROM s
)
SELECT bidder, COUNT(*),
       CAST(SUM(price * 1.0 * (auction % 10 + 1)) / SUM(auction % 10 + 1) * 1000 AS INTEGER),
       (strftime('%Y-%m-%d %H:%M:%S', MIN(t) / 1000, 'unixepoch') || printf('.%03d', MIN(t) % 1000)),
       (strftime('%Y-%m-%d %H:%M:%S', (MAX(t) + 10000) / 1000, 'unixepoch') || printf('.%03d', (MAX(t) + 10000) % 1000))
FROM g GROUP BY bidder, sid;
