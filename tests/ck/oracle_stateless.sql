-- tests/ck stateless query: q1 without extra (0.908 * price exactly, as in q1.sql).
SELECT auction, bidder, printf('%d.%03d', price * 908 / 1000, price * 908 % 1000), dateTime
FROM bid;
