-- pinned window Top-2 over TUMBLE(3 s): ts = id seconds, so ids 3, 6, 9 and 12 fall exactly on a window start and belong to that window, not the one before; each window fires once, when the watermark (= ts) passes its end (the last at end of input)
CREATE TABLE src (id BIGINT, ts AS TIMESTAMPADD(SECOND, CAST(id AS INT), TIMESTAMP '2026-01-01 00:00:00'),
    WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen',
    'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '12');
-- id:  1  2  3  4  5  6  7  8  9 10 11 12
-- k:   1  0  1  N  1  0  1  N  1  0  1  N   (N: NULL, every 4th id)
-- x:   2  4  1  3  0  2  4  1  3  0  2  4   ((id * 7) % 5: ties)
CREATE VIEW v AS SELECT id, CASE WHEN id % 4 = 0 THEN CAST(NULL AS BIGINT) ELSE id % 2 END AS k,
    (id * 7) % 5 AS x, ts FROM src;
CREATE TABLE out (window_start TIMESTAMP(3), window_end TIMESTAMP(3), id BIGINT, x BIGINT, rn BIGINT)
    WITH ('connector' = 'print');
INSERT INTO out SELECT window_start, window_end, id, x, rn FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY x DESC, id) AS rn
    FROM TABLE(TUMBLE(TABLE v, DESCRIPTOR(ts), INTERVAL '3' SECOND)))
WHERE rn <= 2;
