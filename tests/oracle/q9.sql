-- q9 oracle: final state of the Top-1 per auction. Ties on (price,
-- dateTime) are broken by arrival (seq): Flink keeps the first arrival,
-- which is deterministic only at parallelism 1.
SELECT id, itemName, description, initialBid, reserve, dateTime, expires, seller, category,
       extra, auction, bidder, price, bid_dateTime, bid_extra
FROM (
    SELECT A.id, A.itemName, A.description, A.initialBid, A.reserve, A.dateTime, A.expires,
           A.seller, A.category, A.extra, B.auction, B.bidder, B.price,
           B.dateTime AS bid_dateTime, B.extra AS bid_extra,
           ROW_NUMBER() OVER (PARTITION BY A.id
                              ORDER BY B.price DESC, B.dateTime_ms ASC, B.seq ASC) AS rownum
    FROM auction A JOIN bid B ON A.id = B.auction
    WHERE B.dateTime_ms BETWEEN A.dateTime_ms AND A.expires_ms
)
WHERE rownum <= 1;
