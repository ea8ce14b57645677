SELECT B.auction, B.price, A.id, A.category FROM bid AS B JOIN auction AS A
ON B.auction = A.id AND B.price > 10000000;
