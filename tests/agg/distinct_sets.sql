-- description: COUNT(DISTINCT) of integer arguments over an append-only input, kept in value-set containers (runtime/op_group_agg.c, dset_update): views of several FILTERed aggregates (bidder), one FILTERed aggregate (auction), a dense one whose hot-channel containers turn into bitmaps (MOD(price, 4096), 2048+ values in one view of one aggregate), a sparse one spread over many containers (bidder * 100000 + auction), and one with NULLs and negative values (tests/agg/run-distinct.sh, tests/ck distinct; oracle distinct_sets.oracle.sql).
CREATE TABLE print_sink (
    channel VARCHAR,
    `day` VARCHAR,
    n BIGINT,
    bidders BIGINT,
    cheap_bidders BIGINT,
    mid_bidders BIGINT,
    dear_auctions BIGINT,
    price_buckets BIGINT,
    pairs BIGINT,
    neg_auctions BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
SELECT channel,
       DATE_FORMAT(dateTime, 'yyyy-MM-dd') AS `day`,
       COUNT(*),
       COUNT(DISTINCT bidder),
       COUNT(DISTINCT bidder) FILTER (WHERE price < 10000),
       COUNT(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000),
       COUNT(DISTINCT auction) FILTER (WHERE price >= 1000000),
       COUNT(DISTINCT MOD(price, 4096)),
       COUNT(DISTINCT bidder * 100000 + auction),
       COUNT(DISTINCT CASE WHEN MOD(auction, 3) = 0 THEN NULL ELSE -auction END)
           FILTER (WHERE price < 1000000)
FROM bid
GROUP BY channel, DATE_FORMAT(dateTime, 'yyyy-MM-dd');
