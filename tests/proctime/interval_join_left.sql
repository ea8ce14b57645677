-- Oracle: the LEFT join of auctions with their bids, what a processing-time
-- LEFT interval join with an interval longer than the run emits
-- (interval_join.sql; unmatched auctions padded at end of input).
SELECT a.id, a.seller, b.bidder, b.price FROM auction a LEFT JOIN bid b ON a.id = b.auction;
