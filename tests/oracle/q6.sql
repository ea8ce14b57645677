-- q6: per seller, the average winning price of the auction and the 10 before
-- it (ordered by the auction's last bid time). The input of the OVER is an
-- updating GROUP BY, which Flink refuses; sluice evaluates the OVER on the
-- input's current content (runtime/op_over.c, changelog mode), so the final
-- state after its changelog is this batch answer. Ties in dateTime are
-- ordered by the whole row (final, seller, dateTime), as sluice orders them.
-- Flink's AVG over BIGINT is BIGINT: SUM / COUNT in integers.
SELECT seller, SUM(final) OVER w / COUNT(final) OVER w
FROM (
    SELECT MAX(B.price) AS final, A.seller, MAX(B.dateTime_ms) AS dt
    FROM auction A JOIN bid B ON A.id = B.auction
    WHERE B.dateTime_ms BETWEEN A.dateTime_ms AND A.expires_ms
    GROUP BY A.id, A.seller
)
WINDOW w AS (PARTITION BY seller ORDER BY dt, final ROWS BETWEEN 10 PRECEDING AND CURRENT ROW);
