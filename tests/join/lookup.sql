-- lookup join (processing time) against a bounded datagen table that is
-- loaded completely before any bid is probed
CREATE TABLE side (k BIGINT, v BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '500',
  'fields.k.kind' = 'sequence', 'fields.k.start' = '0', 'fields.k.end' = '499',
  'fields.v.kind' = 'sequence', 'fields.v.start' = '1000', 'fields.v.end' = '1499');
SELECT B.auction, B.price, S.k, S.v
FROM (SELECT *, PROCTIME() AS pt FROM bid) AS B
JOIN side FOR SYSTEM_TIME AS OF B.pt AS S ON MOD(B.auction, 1000) = S.k;
