-- q18 oracle: final state of "keep the last row" per (bidder, auction).
-- Many bids share a millisecond, so ties on dateTime are broken by
-- arrival (seq): the last arrival wins, as Flink's deduplication does on
-- one subtask. Deterministic at source parallelism 1 only.
SELECT auction, bidder, price, channel, url, dateTime, extra
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction
                                   ORDER BY dateTime_ms DESC, seq DESC) AS rank_number
      FROM bid)
WHERE rank_number <= 1;
