-- q19 oracle: final state of the Top-10 per auction by price. Equal prices
-- are ranked by arrival (seq, first arrival first), as Flink's rank keeps
-- insertion order; the rank numbers of tied rows and which tied rows make
-- the top 10 are deterministic at source parallelism 1 only.
SELECT auction, bidder, price, channel, url, dateTime, extra, rank_number
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, seq ASC)
                AS rank_number
      FROM bid)
WHERE rank_number <= 10;
