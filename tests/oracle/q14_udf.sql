-- q14 with its C UDF column: count_char(extra, 'c') counts the bytes 'c'
-- of extra (ASCII in Nexmark), which is length(extra) minus the length of
-- extra without them. Otherwise as q14.sql (see there for the price and
-- HOUR(dateTime) translations).
SELECT auction, bidder, printf('%d.%03d', price * 908 / 1000, price * 908 % 1000),
       CASE
           WHEN h >= 8 AND h <= 18 THEN 'dayTime'
           WHEN h <= 6 OR h >= 20 THEN 'nightTime'
           ELSE 'otherTime'
       END,
       dateTime, extra,
       length(extra) - length(replace(extra, 'c', ''))
FROM (SELECT *, CAST(substr(dateTime, 12, 2) AS INTEGER) AS h FROM bid)
WHERE price * 908 > 1000000000 AND price * 908 < 50000000000;
