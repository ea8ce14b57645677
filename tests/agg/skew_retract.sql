-- description: a skewed GROUP BY over an updating GROUP BY: the Local folds -U/+U rows into partials whose counts and sums may be negative, the Global applies them (tests/agg/run-two-phase.sh; oracle skew_retract.oracle.sql).
CREATE TABLE print_sink (
    b BIGINT,
    n BIGINT,
    bids BIGINT,
    total BIGINT,
    avg_total BIGINT
) WITH ('connector' = 'print');

INSERT INTO print_sink
SELECT MOD(c, 4) AS b, COUNT(*), SUM(c), SUM(total), AVG(total)
FROM (
    SELECT auction, COUNT(*) AS c, SUM(price) AS total
    FROM bid
    GROUP BY auction
) GROUP BY MOD(c, 4);
