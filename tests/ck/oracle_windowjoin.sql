-- tests/ck windowjoin query: q8 in 1 s tumbling windows of event time
-- (people, and sellers of auctions, in the same window).
WITH P AS (
    SELECT id, name, dateTime_ms / 1000 AS w FROM person GROUP BY id, name, dateTime_ms / 1000
),
A AS (
    SELECT seller, dateTime_ms / 1000 AS w FROM auction GROUP BY seller, dateTime_ms / 1000
)
SELECT P.id, P.name, strftime('%Y-%m-%d %H:%M:%S', P.w, 'unixepoch') || '.000'
FROM P JOIN A ON P.id = A.seller AND P.w = A.w;
