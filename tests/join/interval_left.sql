-- LEFT interval join: an auction without a bid in its first 500 ms comes
-- out padded when the watermark passes the range; a residual condition too
SELECT A.id, A.dateTime, B.price, B.bidder
FROM auction AS A LEFT JOIN bid AS B
ON A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.dateTime + INTERVAL '0.5' SECOND
   AND B.price > A.initialBid;
