-- sellers RIGHT JOIN their auctions (the mirror of left_outer): an auction
-- whose seller's person row has not reached the join is padded on the left
-- and retracted (-D) when it does. Whether that happens depends on the
-- threads' timing (persons are on port 0, drained first), so only the
-- final state is checked here; golden_right.sql pins the late-match
-- sequence itself.
SELECT P.id AS pid, P.name, A.id, A.seller
FROM person AS P RIGHT JOIN auction AS A ON A.seller = P.id;
