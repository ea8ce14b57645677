-- q11 oracle: SESSION(10 s) per bidder. Sorted by time, a bid opens a new
-- session when it is 10 s or more after the previous one; SESSION_START is
-- the first bid's time, SESSION_END the last bid's time + 10 s (Flink merges
-- the windows [t, t + 10 s)). Ties are ordered by seq in both window
-- functions so that the running sum is consistent.
WITH s AS (
    SELECT bidder, dateTime_ms AS t, seq,
           CASE WHEN dateTime_ms - LAG(dateTime_ms) OVER (PARTITION BY bidder
                                                          ORDER BY dateTime_ms, seq) < 10000
                THEN 0 ELSE 1 END AS new_session
    FROM bid
),
g AS (
    SELECT bidder, t,
           SUM(new_session) OVER (PARTITION BY bidder ORDER BY t, seq
                                  ROWS UNBOUNDED PRECEDING) AS sid
    FROM s
)
SELECT bidder, COUNT(*), (strftime('%Y-%m-%d %H:%M:%S', MIN(t) / 1000, 'unixepoch') || printf('.%03d', MIN(t) % 1000)), (strftime('%Y-%m-%d %H:%M:%S', (MAX(t) + 10000) / 1000, 'unixepoch') || printf('.%03d', (MAX(t) + 10000) % 1000))
FROM g GROUP BY bidder, sid;
