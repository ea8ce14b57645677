-- Nexmark q11 written with the SESSION window TVF (Flink 1.19's
-- SESSION(TABLE t PARTITION BY k, DESCRIPTOR(time), gap)) instead of GROUP
-- BY SESSION(...): the same sessions, so tests/oracle/q11.sql checks it.
-- run-nexmark.sh puts the nexmark table and the bid view of
-- queries/nexmark/q11.sql first.

CREATE TABLE print_sink (
    bidder  BIGINT,
    bid_count  BIGINT,
    starttime  TIMESTAMP(3),
    endtime  TIMESTAMP(3)
) WITH (
    'connector' = 'print'
);

INSERT INTO print_sink
SELECT
    B.bidder,
    count(*) AS bid_count,
    window_start AS starttime,
    window_end AS endtime
FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) B
GROUP BY B.bidder, window_start, window_end;
