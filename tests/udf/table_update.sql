-- split_words over an updating input: every change of a channel's
-- "count maxprice" string retracts its old words (-U) and adds the new
-- ones (+U) (oracle: table_update.oracle.sql)
SELECT channel, word, pos
FROM (SELECT channel, CONCAT(CAST(COUNT(*) AS VARCHAR), ' ', CAST(MAX(price) AS VARCHAR)) AS s
      FROM bid GROUP BY channel) AS c
CROSS JOIN LATERAL TABLE(split_words(s));
