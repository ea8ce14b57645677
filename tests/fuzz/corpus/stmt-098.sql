SELECT * FROM orders o LEFT JOIN dim FOR SYSTEM_TIME AS OF o.rowtime ON o.k = dim.k
