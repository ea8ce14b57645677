-- oracle of tests/agg/skew_legacy.sql
SELECT CASE WHEN bidder % 10 < 8 THEN 0 ELSE bidder % 100 END AS k,
       (strftime('%Y-%m-%d %H:%M:%S', (dateTime_ms / 2000 * 2000) / 1000, 'unixepoch') || '.000'),
       count(*), sum(price), max(price)
FROM bid GROUP BY 1, dateTime_ms / 2000;
