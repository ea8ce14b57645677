-- q12's shape over 1 s processing-time windows into the exactly-once
-- filesystem sink (path substituted by run-proctime.sh), for the restart
-- test: the nexmark table (with p AS PROCTIME()) is prepended.
CREATE TABLE win_files (bidder BIGINT, bid_count BIGINT, wstart TIMESTAMP(3), wend TIMESTAMP(3))
WITH ('connector' = 'filesystem', 'path' = '@OUT@', 'format' = 'csv');
INSERT INTO win_files
SELECT bid.bidder, COUNT(*), TUMBLE_START(p, INTERVAL '1' SECOND), TUMBLE_END(p, INTERVAL '1' SECOND)
FROM nexmark WHERE event_type = 2
GROUP BY bid.bidder, TUMBLE(p, INTERVAL '1' SECOND);
