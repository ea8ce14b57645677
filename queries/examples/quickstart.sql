-- quickstart: bids per 10-second window of event time on the built-in
-- Nexmark generator: how many bids there were and the highest price. Bounded (1M events), printed to stdout, so it
-- runs anywhere with no servers: `sluice run queries/examples/quickstart.sql`.

CREATE TABLE bids (
    event_type INT,
    bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,
            url VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR>,
    dateTime AS bid.dateTime,
    WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
) WITH (
    'connector' = 'nexmark',
    'events.num' = '1000000',
    'first-event.rate' = '10000'
);

CREATE TABLE per_window (
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    bids BIGINT,
    top_price BIGINT
) WITH (
    'connector' = 'print'
);

INSERT INTO per_window
SELECT window_start, window_end, COUNT(*) AS bids, MAX(bid.price) AS top_price
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
WHERE event_type = 2
GROUP BY window_start, window_end;
