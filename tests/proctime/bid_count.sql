-- Oracle: bids per bidder. Every processing-time TUMBLE window assignment
-- of the same bids must sum to this per bidder (run-proctime.sh).
SELECT bidder, COUNT(*) FROM bid GROUP BY bidder;
