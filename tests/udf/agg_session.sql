-- weighted_avg in SESSION windows (10 s gap) per bidder: sessions that a
-- bid joins are merged with the library's merge. Oracle:
-- agg_session.oracle.sql (as tests/oracle/q11.sql).
SELECT bidder, COUNT(*) AS bids,
       CAST(weighted_avg(CAST(price AS DOUBLE), auction % 10 + 1) * 1000 AS BIGINT) AS wavg,
       SESSION_START(dateTime, INTERVAL '10' SECOND) AS starttime,
       SESSION_END(dateTime, INTERVAL '10' SECOND) AS endtime
FROM bid
GROUP BY bidder, SESSION(dateTime, INTERVAL '10' SECOND);
