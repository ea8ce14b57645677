-- Deduplication ordered by the table's p AS PROCTIME(): keep-first (ASC,
-- insert-only) and keep-last (DESC, updates), tagged by the first column.
CREATE VIEW bidp AS
SELECT bid.bidder AS bidder, bid.auction AS auction, bid.price AS price, p
FROM nexmark WHERE event_type = 2;

CREATE TABLE dedup_sink (tag STRING, bidder BIGINT, auction BIGINT, price BIGINT)
WITH ('connector' = 'print');

INSERT INTO dedup_sink
SELECT 'first', bidder, auction, price
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY p ASC) AS rn FROM bidp)
WHERE rn = 1;

INSERT INTO dedup_sink
SELECT 'last', bidder, auction, price
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY p DESC) AS rn FROM bidp)
WHERE rn = 1;
