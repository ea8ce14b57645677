SELECT B.auction, B.price, B.dateTime, A.dateTime FROM bid AS B JOIN auction AS A
ON B.auction = A.id AND B.dateTime_ms BETWEEN A.dateTime_ms AND A.dateTime_ms + 2000;
