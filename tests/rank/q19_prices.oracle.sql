SELECT auction, price FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, seq) AS rank_number
    FROM bid)
WHERE rank_number <= 10;
