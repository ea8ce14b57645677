-- q4 oracle: final state after the changelog. Flink's AVG over BIGINT is a
-- BIGINT (the sum divided by the count, truncated): SUM / COUNT in integers.
-- BETWEEN is inclusive on both ends, on millisecond timestamps.
SELECT category, SUM(final) / COUNT(*)
FROM (
    SELECT MAX(B.price) AS final, A.category
    FROM auction A JOIN bid B ON A.id = B.auction
    WHERE B.dateTime_ms BETWEEN A.dateTime_ms AND A.expires_ms
    GROUP BY A.id, A.category
)
GROUP BY category;
