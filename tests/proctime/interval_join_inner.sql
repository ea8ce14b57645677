-- Oracle: every (auction, bid) pair with the same id, what a processing-time
-- interval join with an interval longer than the run emits (interval_join.sql).
SELECT a.id, a.seller, b.bidder, b.price FROM auction a JOIN bid b ON a.id = b.auction;
