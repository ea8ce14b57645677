-- q0 oracle: every bid, unchanged.
SELECT auction, bidder, price, dateTime, extra FROM bid;
