-- oracle of agg_dcwindow.sql
SELECT (strftime('%Y-%m-%d %H:%M:%S', ws / 1000, 'unixepoch') || printf('.%03d', ws % 1000)),
       (strftime('%Y-%m-%d %H:%M:%S', (ws + 10000) / 1000, 'unixepoch') || printf('.%03d', (ws + 10000) % 1000)),
       channel, COUNT(DISTINCT bidder), COUNT(*)
FROM (SELECT dateTime_ms / 10000 * 10000 AS ws, * FROM bid)
GROUP BY ws, channel;
