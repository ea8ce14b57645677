SELECT * FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.proctime AS r ON o.cur = r.cur
