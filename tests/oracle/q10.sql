-- q10 oracle: DATE_FORMAT(dateTime, 'yyyy-MM-dd') and 'HH:mm' are the
-- substrings of the 'yyyy-MM-dd HH:mm:ss.SSS' text. Rows as the sink's
-- columns (auction, bidder, price, dateTime, extra, dt, hm).
SELECT auction, bidder, price, dateTime, extra, substr(dateTime, 1, 10), substr(dateTime, 12, 5)
FROM bid;
