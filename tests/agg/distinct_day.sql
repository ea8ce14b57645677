-- description: COUNT(DISTINCT) per day (one group): MOD(price, 65536) under four FILTERs shares one view, whose container turns into bitmaps at its 4096th value (~4500 bids) and then takes ~23000 more rows, most of them values already seen; MOD(price, 2100), a view of one aggregate, becomes bitmaps at its 2048th value and then sees every value again and again (tests/agg/run-distinct.sh; oracle distinct_day.oracle.sql).
CREATE TABLE print_sink (
    `day` VARCHAR,
    n BIGINT,
    buckets BIGINT,
    cheap_buckets BIGINT,
    mid_buckets BIGINT,
    dear_buckets BIGINT,
    bidders BIGINT,
    auctions BIGINT,
    small_buckets BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
SELECT DATE_FORMAT(dateTime, 'yyyy-MM-dd') AS `day`,
       COUNT(*),
       COUNT(DISTINCT MOD(price, 65536)),
       COUNT(DISTINCT MOD(price, 65536)) FILTER (WHERE price < 10000),
       COUNT(DISTINCT MOD(price, 65536)) FILTER (WHERE price >= 10000 AND price < 1000000),
       COUNT(DISTINCT MOD(price, 65536)) FILTER (WHERE price >= 1000000),
       COUNT(DISTINCT bidder),
       COUNT(DISTINCT auction),
       COUNT(DISTINCT MOD(price, 2100))
FROM bid
GROUP BY DATE_FORMAT(dateTime, 'yyyy-MM-dd');
