-- SEMI join (IN subquery): bids of category-10 auctions, the auction
-- arriving before or after its bids
SELECT auction, price FROM bid WHERE auction IN (SELECT id FROM auction WHERE category = 10);
