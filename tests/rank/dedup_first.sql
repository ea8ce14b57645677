-- keep-first deduplication on rowtime: each bidder's first bid (100 events/s: distinct times). Parallelism 1 only: the planner marks rowtime keep-first insert-only, so a row that arrives after a later-timed one of its key (two source subtasks) is kept out, where Flink would emit -U/+U
CREATE TABLE out (auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3))
    WITH ('connector' = 'print');
INSERT INTO out SELECT auction, bidder, price, dateTime FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY dateTime ASC) AS rn FROM bid)
WHERE rn = 1;
