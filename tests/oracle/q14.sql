-- q14 oracle without the UDF column c_counts (count_char(extra, 'c') would
-- be length(extra) - length(replace(extra, 'c', ''))). HOUR(dateTime) is
-- the 'HH' of the text; 0.908 * price is exact in thousandths, so the
-- filter 1e6 < 0.908 * price < 5e7 is 1e9 < price * 908 < 5e10.
SELECT auction, bidder, printf('%d.%03d', price * 908 / 1000, price * 908 % 1000),
       CASE
           WHEN h >= 8 AND h <= 18 THEN 'dayTime'
           WHEN h <= 6 OR h >= 20 THEN 'nightTime'
           ELSE 'otherTime'
       END,
       dateTime, extra
FROM (SELECT *, CAST(substr(dateTime, 12, 2) AS INTEGER) AS h FROM bid)
WHERE price * 908 > 1000000000 AND price * 908 < 50000000000;
