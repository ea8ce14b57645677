# lib.sh -- shared by the tests/ck scripts (sourced; POSIX sh).
#
# Queries (nexmark source, bounded by EVENTS at RATE events per event-time
# second, seed 0, paced at RATE events per wall-clock second when
# CK_RATE_LIMITED=true; `sluice gen nexmark` writes the same events for
# the oracle):
#   stateless  q1 without its string column, into the exactly-once
#              filesystem sink (csv)
#   window     bids per auction in 2 s TUMBLE windows (count, max price),
#              into the filesystem sink (csv)
#   hop        the same in HOP(1 s, slide 0.2 s) windows: slice-shared in
#              two phases (0.2 s slices, a window of 5, restored mid-window)
#   cumulate   the same in CUMULATE(1 s, step 0.2 s) windows
#   q5         Nexmark q5 (HOP counts joined with their per-window
#              maximum): its HOP aggregate is one node feeding both join
#              inputs (sub-plan reuse), so barriers align across a fan-out
#   windowjoin q8 in 1 s TUMBLE windows: people and the sellers of
#              auctions in the same window (window aggregates into a
#              WindowJoin, whose buffered window rows a restore must bring
#              back), into the filesystem sink (csv)
#   q7         Nexmark q7 in 1 s TUMBLE windows: every bid joined with
#              its window's maximum price when within the window's second
#              before window_end; the regular join keeps bids only while
#              a window could still match them (watermark retention), so a
#              restore brings back swept state, into the filesystem sink
#              (csv)
#   groupby    q17 (unbounded GROUP BY auction, day) into the print sink:
#              updating output, checked by the last row printed per key
#              (the final state) -- a double-counted or lost row in the
#              restored keyed state changes it
#   distinct   tests/agg/distinct_sets.sql (COUNT(DISTINCT) per channel and
#              day, value-set containers: arrays, bitmaps, NULLs, FILTERs)
#              into the print sink, checked as groupby
# ck_sql NAME EVENTS RATE OUTDIR  writes the job's SQL to stdout (after
#                                 $CK_SET, e.g. a SET statement, if given).
# ck_committed NAME OUTDIR        the committed rows, oracle format.
# ck_final_state FILE...          groupby, distinct: last row per key of the
#                                 concatenated print output, as +I rows.
# ck_multiset_diff ORACLE ROWS    "rows=N lost=L duplicated=D" (exit 1 if
#                                 L or D is non-zero).

ck_sql() {
	ck_n=$1 ck_ev=$2 ck_rate=$3 ck_out=$4
	[ -n "${CK_SET:-}" ] && printf '%s\n' "$CK_SET"
	cat <<SQL
CREATE TABLE nexmark (
    event_type INT,
    bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
            dateTime TIMESTAMP(3), extra VARCHAR>,
    person ROW<id BIGINT, name VARCHAR, dateTime TIMESTAMP(3)>,
    auction ROW<id BIGINT, dateTime TIMESTAMP(3), seller BIGINT>,
    dateTime AS
        CASE
            WHEN event_type = 0 THEN person.dateTime
            WHEN event_type = 1 THEN auction.dateTime
            ELSE bid.dateTime
        END,
    WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
) WITH (
    'connector' = 'nexmark',
    'first-event.rate' = '$ck_rate',
    'next-event.rate' = '$ck_rate',
    'events.num' = '$ck_ev',
    'rate.limited' = '${CK_RATE_LIMITED:-false}',
    'person.proportion' = '1',
    'auction.proportion' = '3',
    'bid.proportion' = '46'
);
CREATE VIEW bid AS
SELECT bid.auction, bid.bidder, bid.price, bid.channel, bid.url, dateTime, bid.extra
FROM nexmark WHERE event_type = 2;
SQL
	case $ck_n in
	stateless) cat <<SQL
CREATE TABLE out_t (auction BIGINT, bidder BIGINT, price DECIMAL(23, 3), dateTime TIMESTAMP(3))
WITH ('connector' = 'filesystem', 'path' = '$ck_out', 'format' = 'csv');
INSERT INTO out_t SELECT auction, bidder, 0.908 * price AS price, dateTime FROM bid;
SQL
	;;
	window) cat <<SQL
CREATE TABLE out_t (auction BIGINT, window_start TIMESTAMP(3), bids BIGINT, max_price BIGINT)
WITH ('connector' = 'filesystem', 'path' = '$ck_out', 'format' = 'csv');
INSERT INTO out_t
SELECT auction, window_start, COUNT(*) AS bids, MAX(price) AS max_price
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND))
GROUP BY auction, window_start, window_end;
SQL
	;;
	hop | cumulate)
		if [ "$ck_n" = hop ]; then
			ck_w="HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '0.2' SECOND, INTERVAL '1' SECOND)"
		else
			ck_w="CUMULATE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '0.2' SECOND, INTERVAL '1' SECOND)"
		fi
		cat <<SQL
CREATE TABLE out_t (auction BIGINT, window_start TIMESTAMP(3), window_end TIMESTAMP(3),
    bids BIGINT, max_price BIGINT)
WITH ('connector' = 'filesystem', 'path' = '$ck_out', 'format' = 'csv');
INSERT INTO out_t
SELECT auction, window_start, window_end, COUNT(*) AS bids, MAX(price) AS max_price
FROM TABLE($ck_w)
GROUP BY auction, window_start, window_end;
SQL
	;;
	q5) cat <<SQL
CREATE TABLE out_t (auction BIGINT, num BIGINT)
WITH ('connector' = 'filesystem', 'path' = '$ck_out', 'format' = 'csv');
CREATE VIEW hop_counts AS
SELECT auction, COUNT(*) AS num, window_start AS starttime, window_end AS endtime
FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
GROUP BY auction, window_start, window_end;
INSERT INTO out_t
SELECT a.auction, a.num
FROM hop_counts a
JOIN (SELECT MAX(num) AS maxn, starttime, endtime FROM hop_counts GROUP BY starttime, endtime) m
ON a.starttime = m.starttime AND a.endtime = m.endtime AND a.num >= m.maxn;
SQL
	;;
	windowjoin) cat <<SQL
CREATE TABLE out_t (id BIGINT, name VARCHAR, starttime TIMESTAMP(3))
WITH ('connector' = 'filesystem', 'path' = '$ck_out', 'format' = 'csv');
CREATE VIEW person AS
SELECT person.id, person.name, dateTime FROM nexmark WHERE event_type = 0;
CREATE VIEW auction AS
SELECT auction.id, auction.seller, dateTime FROM nexmark WHERE event_type = 1;
INSERT INTO out_t
SELECT P.id, P.name, P.starttime
FROM (SELECT id, name, window_start AS starttime, window_end AS endtime
      FROM TABLE(TUMBLE(TABLE person, DESCRIPTOR(dateTime), INTERVAL '1' SECOND))
      GROUP BY id, name, window_start, window_end) P
JOIN (SELECT seller, window_start AS starttime, window_end AS endtime
      FROM TABLE(TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '1' SECOND))
      GROUP BY seller, window_start, window_end) A
ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime;
SQL
	;;
	distinct) sed -n '/^CREATE TABLE print_sink/,$p' "$SRCDIR/tests/agg/distinct_sets.sql" ;;
	q7) cat <<SQL
CREATE TABLE out_t (auction BIGINT, price BIGINT, bidder BIGINT, dateTime TIMESTAMP(3), extra VARCHAR)
WITH ('connector' = 'filesystem', 'path' = '$ck_out', 'format' = 'csv');
INSERT INTO out_t
SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra
FROM bid B
JOIN (SELECT MAX(price) AS maxprice, window_end AS dateTime
      FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' SECOND))
      GROUP BY window_start, window_end) B1
ON B.price = B1.maxprice
WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '1' SECOND AND B1.dateTime;
SQL
	;;
	groupby) cat <<SQL
CREATE TABLE out_t (auction BIGINT, day VARCHAR, total_bids BIGINT, rank1_bids BIGINT,
    rank2_bids BIGINT, rank3_bids BIGINT, min_price BIGINT, max_price BIGINT,
    avg_price BIGINT, sum_price BIGINT)
WITH ('connector' = 'print');
INSERT INTO out_t
SELECT
    auction,
    DATE_FORMAT(dateTime, 'yyyy-MM-dd') AS day,
    count(*) AS total_bids,
    count(*) FILTER (WHERE price < 10000) AS rank1_bids,
    count(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
    count(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
    min(price) AS min_price,
    max(price) AS max_price,
    avg(price) AS avg_price,
    sum(price) AS sum_price
FROM bid
GROUP BY auction, DATE_FORMAT(dateTime, 'yyyy-MM-dd');
SQL
	;;
	esac
}

# the oracle query of each test query (tests/oracle/run-oracle.sh takes a path)
ck_oracle_sql() {
	case $1 in
	stateless) echo "$CK_DIR/oracle_stateless.sql" ;;
	window) echo "$CK_DIR/oracle_window.sql" ;;
	hop) echo "$CK_DIR/oracle_hop.sql" ;;
	cumulate) echo "$CK_DIR/oracle_cumulate.sql" ;;
	q5) echo "$SRCDIR/tests/oracle/q5.sql" ;;
	windowjoin) echo "$CK_DIR/oracle_windowjoin.sql" ;;
	q7) echo "$CK_DIR/oracle_q7.sql" ;;
	groupby) echo "$SRCDIR/tests/oracle/q17.sql" ;;
	distinct) echo "$SRCDIR/tests/agg/distinct_sets.oracle.sql" ;;
	esac
}

# committed rows: visible part files only (in-progress files are hidden
# dot files); csv -> the oracle's '|' separated text
ck_committed() {
	find "$2" -type f -name 'part-*' -exec cat {} + 2>/dev/null | tr ',' '|'
}

ck_final_state() {
	# a killed run's file may end in a torn line: dropped
	for ck_f in "$@"; do awk '{ print }' "$ck_f" | sed '$ { /\]$/!d; }'; done | awk '
	{
		line = $0
		sub(/^[0-9]+> /, "", line)
		kind = substr(line, 1, 2)
		body = substr(line, 4, length(line) - 4)
		n = split(body, f, /, /)
		key = f[1] SUBSEP f[2]
		if (kind == "+I" || kind == "+U") last[key] = body
		else if (kind == "-D") delete last[key]
	}
	END { for (k in last) print "+I[" last[k] "]" }'
}

ck_multiset_diff() {
	awk -v F="$1" '
	BEGIN { while ((getline l < F) > 0) { want[l]++; n++ } }
	{ got[$0]++ }
	END {
		lost = 0; dup = 0
		for (l in want) { d = want[l] - got[l]; if (d > 0) lost += d; else dup -= d }
		for (l in got) if (!(l in want)) dup += got[l]
		printf "rows=%d lost=%d duplicated=%d\n", n, lost, dup
		exit (lost || dup) ? 1 : 0
	}' "$2"
}
