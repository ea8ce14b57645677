-- q5 oracle: HOP(10 s, slide 2 s). A bid at t belongs to the five windows
-- starting at floor(t / 2 s) * 2 s - k * 2 s, k = 0..4. Output: auction, num.
WITH hop AS (
    SELECT b.auction, (b.dateTime_ms / 2000 - k.k) * 2000 AS ws
    FROM bid b,
         (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
          UNION ALL SELECT 4) k
),
counts AS (SELECT auction, ws, COUNT(*) AS num FROM hop GROUP BY auction, ws),
maxes AS (SELECT ws, MAX(num) AS maxn FROM counts GROUP BY ws)
SELECT c.auction, c.num FROM counts c JOIN maxes m ON c.ws = m.ws AND c.num >= m.maxn;
