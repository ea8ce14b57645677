-- q13 oracle: bids joined with the static side table on auction % 10000
-- (the lookup join FOR SYSTEM_TIME AS OF PROCTIME() sees the whole file,
-- which never changes). side_input is loaded by load.sh.
SELECT B.auction, B.bidder, B.price, B.dateTime, S.value
FROM bid B JOIN side_input S ON B.auction % 10000 = S.key;
