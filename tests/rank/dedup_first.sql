-- keep-first deduplication on rowtime: each bidder's first bid (100 events/s: distinct times). At p=2 the two source subtasks deliver out of order: a later-arriving row with an earlier rowtime replaces the kept one (-U/+U), as in Flink, so the final state matches at both parallelisms
CREATE TABLE out (auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3))
    WITH ('connector' = 'print');
INSERT INTO out SELECT auction, bidder, price, dateTime FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY dateTime ASC) AS rn FROM bid)
WHERE rn = 1;
