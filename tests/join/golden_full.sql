-- pinned changelog of a FULL OUTER join's late matches in both directions
-- (parallelism 1, one 2048-row datagen source, so the order is fixed). The
-- first 1024-row chunk goes whole to both sides (left key id + 10000,
-- right key id), each side sent at once as a full chunk: every row is
-- padded (left side drained first). The second chunk brings left keys 1,
-- 2 (late matches of right rows: -D[null, null, k, ..] then the joined
-- row) and right keys 10001, 10002 (late matches of left rows: -D[k, ..,
-- null, null] then the joined row); keys 3 and 10003 stay padded; right
-- key 20000 matches nothing and stays padded. The filter reads both sides
-- (not pushed down).
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen',
    'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '2048');
CREATE VIEW l AS
SELECT CASE WHEN id <= 1024 THEN id + 10000 ELSE id - 1024 END AS k, id AS lv
FROM src WHERE id <= 1024 OR id - 1024 IN (1, 2);
CREATE VIEW r AS
SELECT CASE WHEN id <= 1024 THEN id WHEN id = 1031 THEN 20000 ELSE id - 1024 + 10000 END AS k, id * 10 AS rv
FROM src WHERE id <= 1024 OR id - 1024 IN (5, 1, 2, 7);
CREATE TABLE out (lk BIGINT, lv BIGINT, rk BIGINT, rv BIGINT) WITH ('connector' = 'print');
INSERT INTO out SELECT l.k, l.lv, r.k, r.rv FROM l FULL OUTER JOIN r ON l.k = r.k
WHERE MOD(COALESCE(l.k, r.k), 10000) BETWEEN 1 AND 3 OR COALESCE(l.k, r.k) = 20000;
