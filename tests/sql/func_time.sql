-- description: time functions at the epoch, just before it, a leap day, the last millisecond of a day and NULL (sluice run; rows in func_time.rows)
SELECT t, EXTRACT(YEAR FROM t), EXTRACT(MONTH FROM t), EXTRACT(DAY FROM t), HOUR(t),
       DATE_FORMAT(t, 'yyyy-MM-dd HH:mm:ss.SSS'), DATE_FORMAT(t, 'HH:mm'), FLOOR(t TO HOUR), CEIL(t TO DAY),
       TIMESTAMPADD(DAY, 1, t), TIMESTAMPDIFF(SECOND, t, TIMESTAMP '1970-01-01 00:00:00'),
       CAST(t AS DATE), CAST(t AS STRING)
FROM (VALUES (TIMESTAMP '1970-01-01 00:00:00'),
             (TIMESTAMP '1969-12-31 23:59:59.999'),
             (TIMESTAMP '2024-02-29 23:59:59.999'),
             (TIMESTAMP '2026-11-22 12:30:00.5'),
             (CAST(NULL AS TIMESTAMP(3)))) AS v(t);
