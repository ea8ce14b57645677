-- weighted_avg in a TUMBLE window aggregate (oracle: agg_window.oracle.sql)
SELECT window_start, window_end, channel,
       CAST(weighted_avg(CAST(price AS DOUBLE), bidder % 100 + 1) * 1000 AS BIGINT) AS wavg,
       COUNT(*) AS bids
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, channel;
