-- distinct_count in a TUMBLE window aggregate (library state per window,
-- dropped when the window fires; oracle: agg_dcwindow.oracle.sql)
SELECT window_start, window_end, channel, distinct_count(bidder) AS bidders, COUNT(*) AS bids
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, channel;
