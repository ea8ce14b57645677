-- oracle of table_update.sql
SELECT channel, CAST(COUNT(*) AS TEXT), 1 FROM bid GROUP BY channel
UNION ALL
SELECT channel, CAST(MAX(price) AS TEXT), 2 FROM bid GROUP BY channel;
