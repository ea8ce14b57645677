-- pinned changelog of RANK() <= 3 with the rank number (checked by hand): peers share a rank (ids 1 and 11, x = 2, both rank 3), an insert above shifts ranks (-U/+U) and pushes the rows ranked past 3 out (-D); NULL is a partition key like any other
CREATE TABLE src (id BIGINT, ts AS TIMESTAMPADD(SECOND, CAST(id AS INT), TIMESTAMP '2026-01-01 00:00:00'),
    WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen',
    'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '12');
-- id:  1  2  3  4  5  6  7  8  9 10 11 12
-- k:   1  0  1  N  1  0  1  N  1  0  1  N   (N: NULL, every 4th id)
-- x:   2  4  1  3  0  2  4  1  3  0  2  4   ((id * 7) % 5: ties)
-- k = 1 after each row, (id:x rank): 1:2 1 | +3:1 2 | +5:0 3 | 7:4 1, 1 2, 3 3 (5 out)
--   | 7 1, 9:3 2, 1 3 (3 out) | 7 1, 9 2, 1 3, 11:2 3
CREATE VIEW v AS SELECT id, CASE WHEN id % 4 = 0 THEN CAST(NULL AS BIGINT) ELSE id % 2 END AS k,
    (id * 7) % 5 AS x, ts FROM src;
CREATE TABLE out (k BIGINT, id BIGINT, x BIGINT, rk BIGINT) WITH ('connector' = 'print');
INSERT INTO out SELECT k, id, x, rk FROM (
    SELECT *, RANK() OVER (PARTITION BY k ORDER BY x DESC) AS rk FROM v)
WHERE rk <= 3;
