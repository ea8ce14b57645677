-- pinned changelog of a RIGHT join's late matches (parallelism 1, one
-- 2048-row datagen source, so the order is fixed): the right side is the
-- whole first 1024-row chunk (key = id), sent at once as a full chunk and
-- padded on the left; the left rows come in the second chunk: keys 1, 2, 3
-- each retract their padded row (-D) before the joined row (+I), a second
-- left row of key 1 (id 1028) only adds its joined row, and left key 5000
-- matches no right row (a RIGHT join drops it). The filter above the join
-- reads both sides (not pushed down) and keeps keys 1-3.
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen',
    'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '2048');
CREATE VIEW r AS SELECT id AS k, id * 10 AS rv FROM src WHERE id <= 1024;
CREATE VIEW l AS
SELECT CASE id - 1024 WHEN 4 THEN 1 WHEN 9 THEN 5000 ELSE id - 1024 END AS k, id AS lv
FROM src WHERE id - 1024 IN (1, 2, 3, 4, 9);
CREATE TABLE out (lk BIGINT, lv BIGINT, rk BIGINT, rv BIGINT) WITH ('connector' = 'print');
INSERT INTO out SELECT l.k, l.lv, r.k, r.rv FROM l RIGHT JOIN r ON l.k = r.k
WHERE COALESCE(l.k, r.k) <= 3 OR COALESCE(l.k, r.k) = 5000;
