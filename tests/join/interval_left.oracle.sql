SELECT A.id, A.dateTime, B.price, B.bidder FROM auction AS A LEFT JOIN bid AS B
ON A.id = B.auction AND B.dateTime_ms BETWEEN A.dateTime_ms AND A.dateTime_ms + 500
   AND B.price > A.initialBid;
