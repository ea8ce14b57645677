-- q22 oracle. SPLIT_INDEX(url, '/', i) is the i-th (0-based) '/'-separated
-- token: r_k below is the text after the k-th '/', and token k is r_k up to
-- the next '/'. Generated URLs always have six '/', so tokens 3..5 exist;
-- a missing token would be NULL in Flink and '' here (not handled).
WITH t1 AS MATERIALIZED (
    SELECT auction, bidder, price, channel, substr(url, instr(url, '/') + 1) AS r FROM bid),
t2 AS MATERIALIZED (
    SELECT auction, bidder, price, channel, substr(r, instr(r, '/') + 1) AS r FROM t1),
t3 AS MATERIALIZED (
    SELECT auction, bidder, price, channel, substr(r, instr(r, '/') + 1) AS r FROM t2),
t4 AS MATERIALIZED (
    SELECT auction, bidder, price, channel, r AS r3, substr(r, instr(r, '/') + 1) AS r FROM t3),
t5 AS MATERIALIZED (
    SELECT auction, bidder, price, channel, r3, r AS r4, substr(r, instr(r, '/') + 1) AS r5
    FROM t4)
SELECT auction, bidder, price, channel,
       CASE WHEN instr(r3, '/') > 0 THEN substr(r3, 1, instr(r3, '/') - 1) ELSE r3 END,
       CASE WHEN instr(r4, '/') > 0 THEN substr(r4, 1, instr(r4, '/') - 1) ELSE r4 END,
       CASE WHEN instr(r5, '/') > 0 THEN substr(r5, 1, instr(r5, '/') - 1) ELSE r5 END
FROM t5;
