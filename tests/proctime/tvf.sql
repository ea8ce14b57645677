-- Window TVFs over the table's computed column p AS PROCTIME() (appended
-- to the nexmark table by run-proctime.sh); the first column tags the
-- query. Checked by sums against bid_count.sql, not by window contents.
CREATE VIEW bidp AS
SELECT bid.bidder AS bidder, bid.price AS price, p FROM nexmark WHERE event_type = 2;

CREATE TABLE win_sink (
    tag STRING, bidder BIGINT, bid_count BIGINT, wstart TIMESTAMP(3), wend TIMESTAMP(3)
) WITH ('connector' = 'print');

INSERT INTO win_sink
SELECT 'T', bidder, COUNT(*), window_start, window_end
FROM TABLE(TUMBLE(TABLE bidp, DESCRIPTOR(p), INTERVAL '2' SECOND))
GROUP BY bidder, window_start, window_end;

INSERT INTO win_sink
SELECT 'H', bidder, COUNT(*), window_start, window_end
FROM TABLE(HOP(TABLE bidp, DESCRIPTOR(p), INTERVAL '1' SECOND, INTERVAL '2' SECOND))
GROUP BY bidder, window_start, window_end;

INSERT INTO win_sink
SELECT 'C', bidder, COUNT(*), window_start, window_end
FROM TABLE(CUMULATE(TABLE bidp, DESCRIPTOR(p), INTERVAL '1' SECOND, INTERVAL '4' SECOND))
GROUP BY bidder, window_start, window_end;
