-- q1 oracle: 0.908 * price as DECIMAL(23, 3), computed exactly in integers
-- (price * 908 thousandths) and printed with three decimals.
SELECT auction, bidder, printf('%d.%03d', price * 908 / 1000, price * 908 % 1000),
       dateTime, extra
FROM bid;
