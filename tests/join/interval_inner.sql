-- interval join on two rowtimes: bids within 2 s after their auction opened
SELECT B.auction, B.price, B.dateTime, A.dateTime AS adt
FROM bid AS B JOIN auction AS A
ON B.auction = A.id AND B.dateTime BETWEEN A.dateTime AND A.dateTime + INTERVAL '2' SECOND;
