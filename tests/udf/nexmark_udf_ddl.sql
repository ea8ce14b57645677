-- The Nexmark source and its bid view, plus the example library's
-- functions, for the tests in tests/udf/ (run-udf-agg.sh and friends
-- append one query). @RATE@ is replaced by the test with the
-- events per event-time second; the library must sit in 'udf.path'.
CREATE TABLE nexmark (
    event_type INT,
    person ROW<id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR,
               city VARCHAR, state VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR>,
    auction ROW<id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT,
                reserve BIGINT, dateTime TIMESTAMP(3), expires TIMESTAMP(3),
                seller BIGINT, category BIGINT, extra VARCHAR>,
    bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
            dateTime TIMESTAMP(3), extra VARCHAR>,
    dateTime AS
        CASE
            WHEN event_type = 0 THEN person.dateTime
            WHEN event_type = 1 THEN auction.dateTime
            ELSE bid.dateTime
        END,
    WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
) WITH (
    'connector' = 'nexmark',
    'first-event.rate' = '@RATE@',
    'next-event.rate' = '@RATE@',
    'events.num' = '100000000',
    'person.proportion' = '1',
    'auction.proportion' = '3',
    'bid.proportion' = '46'
);

CREATE VIEW bid AS
SELECT bid.auction, bid.bidder, bid.price, bid.channel, bid.url, dateTime, bid.extra
FROM nexmark WHERE event_type = 2;

CREATE FUNCTION weighted_avg AS 'weighted_avg' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
CREATE FUNCTION distinct_count AS 'distinct_count' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
CREATE FUNCTION split_words AS 'split_words' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
