-- MIN/MAX over an updating input (tests/run/minmax_retract.sql): the final
-- state of the outer GROUP BY over the inner one.
SELECT auction, min(c), max(c), min(mp), max(mp), min(channel), max(channel),
       max(mp) FILTER (WHERE channel <> 'Google'),
       min(CASE WHEN c > 1 THEN c END),
       max(CASE WHEN c > 1 THEN channel END),
       count(DISTINCT c),
       count(DISTINCT c) FILTER (WHERE channel <> 'Google'),
       count(*)
FROM (
    SELECT auction, channel, count(*) AS c, max(price) AS mp
    FROM bid
    GROUP BY auction, channel
) GROUP BY auction;
