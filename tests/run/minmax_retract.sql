-- MIN/MAX (integers, strings, FILTER, NULL arguments) and COUNT(DISTINCT) sharing a value over an updating input: a GROUP BY over a GROUP BY (tests/run/run-agg-retract.sh; oracle tests/oracle/minmax_retract.sql).
CREATE TABLE nexmark (
    event_type INT,
    person ROW<
        id  BIGINT,
        name  VARCHAR,
        emailAddress  VARCHAR,
        creditCard  VARCHAR,
        city  VARCHAR,
        state  VARCHAR,
        dateTime TIMESTAMP(3),
        extra  VARCHAR>,
    auction ROW<
        id  BIGINT,
        itemName  VARCHAR,
        description  VARCHAR,
        initialBid  BIGINT,
        reserve  BIGINT,
        dateTime  TIMESTAMP(3),
        expires  TIMESTAMP(3),
        seller  BIGINT,
        category  BIGINT,
        extra  VARCHAR>,
    bid ROW<
        auction  BIGINT,
        bidder  BIGINT,
        price  BIGINT,
        channel  VARCHAR,
        url  VARCHAR,
        dateTime  TIMESTAMP(3),
        extra  VARCHAR>,
    dateTime AS
        CASE
            WHEN event_type = 0 THEN person.dateTime
            WHEN event_type = 1 THEN auction.dateTime
            ELSE bid.dateTime
        END,
    WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
) WITH (
    'connector' = 'nexmark',
    'first-event.rate' = '10000000',
    'next-event.rate' = '10000000',
    'events.num' = '100000000',
    'person.proportion' = '1',
    'auction.proportion' = '3',
    'bid.proportion' = '46'
);

CREATE VIEW bid AS
SELECT
    bid.auction,
    bid.bidder,
    bid.price,
    bid.channel,
    bid.url,
    dateTime,
    bid.extra
FROM nexmark WHERE event_type = 2;

CREATE TABLE print_sink (
    auction BIGINT,
    min_c BIGINT,
    max_c BIGINT,
    min_p BIGINT,
    max_p BIGINT,
    min_ch VARCHAR,
    max_ch VARCHAR,
    max_p_not_google BIGINT,
    min_c_over1 BIGINT,
    max_ch_over1 VARCHAR,
    dc BIGINT,
    dc_not_google BIGINT,
    n BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
SELECT auction, MIN(c), MAX(c), MIN(mp), MAX(mp), MIN(channel), MAX(channel),
       MAX(mp) FILTER (WHERE channel <> 'Google'),
       MIN(CASE WHEN c > 1 THEN c END),
       MAX(CASE WHEN c > 1 THEN channel END),
       COUNT(DISTINCT c),
       COUNT(DISTINCT c) FILTER (WHERE channel <> 'Google'),
       COUNT(*)
FROM (
    SELECT auction, channel, COUNT(*) AS c, MAX(price) AS mp
    FROM bid
    GROUP BY auction, channel
) GROUP BY auction;
