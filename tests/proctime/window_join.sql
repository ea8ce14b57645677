-- A window join of two processing-time windows: refused at planning, as
-- Flink refuses it (window operators close on the watermark).
CREATE VIEW bidp AS SELECT bid.bidder AS bidder, bid.price AS price, p FROM nexmark WHERE event_type = 2;
CREATE TABLE wj_sink (bidder BIGINT, c BIGINT, m BIGINT) WITH ('connector' = 'print');
INSERT INTO wj_sink
SELECT a.bidder, a.c, b.m
FROM (SELECT bidder, COUNT(*) AS c, window_start, window_end
      FROM TABLE(TUMBLE(TABLE bidp, DESCRIPTOR(p), INTERVAL '2' SECOND))
      GROUP BY bidder, window_start, window_end) a
JOIN (SELECT bidder, MAX(price) AS m, window_start, window_end
      FROM TABLE(TUMBLE(TABLE bidp, DESCRIPTOR(p), INTERVAL '2' SECOND))
      GROUP BY bidder, window_start, window_end) b
ON a.bidder = b.bidder AND a.window_start = b.window_start AND a.window_end = b.window_end;
