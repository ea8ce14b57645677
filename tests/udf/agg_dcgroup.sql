-- distinct_count (state serialized by the library, kept in map state)
-- over an updating input: the number of distinct per-auction bid counts
-- per bucket; every bid retracts the auction's old count and adds the new
-- one (oracle: agg_dcgroup.oracle.sql)
SELECT auction % 7 AS b, distinct_count(n) AS counts, COUNT(*) AS auctions
FROM (SELECT auction, COUNT(*) AS n FROM bid GROUP BY auction)
GROUP BY auction % 7;
