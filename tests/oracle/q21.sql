-- q21 oracle. REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) is written
-- with instr/substr: the text after the first "&channel_id=" up to the next
-- '&' (or the end), NULL when absent. The '^channel_id=' alternative (a URL
-- starting with it) never occurs in generated URLs and is not handled.
SELECT auction, bidder, price, channel,
       CASE
           WHEN lower(channel) = 'apple' THEN '0'
           WHEN lower(channel) = 'google' THEN '1'
           WHEN lower(channel) = 'facebook' THEN '2'
           WHEN lower(channel) = 'baidu' THEN '3'
           ELSE cid
       END
FROM (
    SELECT *,
           CASE WHEN rest IS NULL THEN NULL
                WHEN instr(rest, '&') > 0 THEN substr(rest, 1, instr(rest, '&') - 1)
                ELSE rest END AS cid
    FROM (SELECT *,
                 CASE WHEN instr(url, '&channel_id=') > 0
                      THEN substr(url, instr(url, '&channel_id=') + 12) END AS rest
          FROM bid)
)
WHERE cid IS NOT NULL OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu');
