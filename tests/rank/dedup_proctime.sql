-- keep-last deduplication on proctime: each bidder's last arrival (times not compared; at parallelism 1 arrival order is event order)
CREATE TABLE out (auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3))
    WITH ('connector' = 'print');
INSERT INTO out SELECT auction, bidder, price, dateTime FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY pt DESC) AS rn
    FROM (SELECT *, PROCTIME() AS pt FROM bid))
WHERE rn = 1;
