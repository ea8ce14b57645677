-- Processing-time interval joins (both time attributes are the table's
-- p AS PROCTIME(); Flink's ProcTimeIntervalJoin), tagged by the first
-- column. The interval (an hour either way) is longer than any run, so no
-- row expires before end of input and every (auction, bid) pair meets
-- whichever side arrives first: INNER = the oracle's regular join, LEFT =
-- its LEFT join, the unmatched auctions padded when end of input fires
-- their timers (interval_join_inner.sql, interval_join_left.sql).
CREATE VIEW ap AS
SELECT auction.id AS id, auction.seller AS seller, p FROM nexmark WHERE event_type = 1;
CREATE VIEW bp AS
SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price, p FROM nexmark WHERE event_type = 2;

CREATE TABLE ij_sink (tag STRING, id BIGINT, seller BIGINT, bidder BIGINT, price BIGINT)
WITH ('connector' = 'print');

INSERT INTO ij_sink
SELECT 'inner', a.id, a.seller, b.bidder, b.price
FROM ap a JOIN bp b
ON a.id = b.auction AND b.p BETWEEN a.p - INTERVAL '1' HOUR AND a.p + INTERVAL '1' HOUR;

INSERT INTO ij_sink
SELECT 'left', a.id, a.seller, b.bidder, b.price
FROM ap a LEFT JOIN bp b
ON a.id = b.auction AND a.p BETWEEN b.p - INTERVAL '1' HOUR AND b.p + INTERVAL '1' HOUR;
