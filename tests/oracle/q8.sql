-- q8 oracle: people and sellers in the same TUMBLE(10 s) window.
-- Output: id, name, starttime.
WITH P AS (
    SELECT id, name, dateTime_ms / 10000 * 10000 AS ws
    FROM person GROUP BY id, name, dateTime_ms / 10000
),
A AS (
    SELECT seller, dateTime_ms / 10000 * 10000 AS ws
    FROM auction GROUP BY seller, dateTime_ms / 10000
)
SELECT P.id, P.name, (strftime('%Y-%m-%d %H:%M:%S', P.ws / 1000, 'unixepoch') || printf('.%03d', P.ws % 1000))
FROM P JOIN A ON P.id = A.seller AND P.ws = A.ws;
