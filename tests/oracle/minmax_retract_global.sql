-- Global MIN/MAX over an updating input (tests/run/minmax_retract_global.sql).
SELECT min(c), max(c), min(ch), max(ch), count(*)
FROM (
    SELECT bidder, count(*) AS c, max(channel) AS ch
    FROM bid
    GROUP BY bidder
);
