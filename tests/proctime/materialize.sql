-- PROCTIME() outside a time-attribute context: the computed column p
-- (appended to the nexmark table by run-proctime.sh) selected into sink
-- columns is a plain timestamp of when the row was processed.
CREATE TABLE ts_sink (bidder BIGINT, p TIMESTAMP(3), pl TIMESTAMP_LTZ(3))
WITH ('connector' = 'print');
INSERT INTO ts_sink
SELECT bid.bidder, p, p FROM nexmark WHERE event_type = 2 AND bid.bidder < 1010;
