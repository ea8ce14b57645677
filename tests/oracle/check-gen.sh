#!/bin/sh
# check-gen.sh -- invariants of `sluice gen nexmark`, checked by SQLite and
# the shell independently of our C code (make check: run from the build
# directory with SRCDIR set; ./sluice is the binary).
#
# Generates 100k events (seed 7, 7000 events per event-time second) as CSV
# tables and as the interleaved JSON stream, loads both into sqlite3 and
# prints one TAP line per check. The JSON lines are in eid order, so
# eid = rowid - 1 there.

SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
here=$SRCDIR/tests/oracle
SLUICE=${SLUICE:-./sluice}
N=100000
RATE=7000
BASE_MS=1767225600000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; }
# check NAME SQL: the query must print 0
check() {
	got=$(sqlite3 -batch "$tmp/db" "$2" 2>&1)
	if [ "$got" = "0" ]; then ok "$1"; else notok "$1" "got: $(echo "$got" | head -3)"; fi
}

if ! "$SLUICE" gen nexmark --events $N --seed 7 --rate $RATE --out "$tmp/csv" ||
	! "$SLUICE" gen nexmark --events $N --seed 7 --rate $RATE --format json --out "$tmp/json"; then
	notok "sluice gen runs"
	exit 1
fi
ok "sluice gen runs"

if sh "$here/load.sh" "$tmp/csv" "$tmp/db" >/dev/null 2>"$tmp/load.err" && [ ! -s "$tmp/load.err" ]; then
	ok "csv files load into sqlite3 without warnings"
else
	notok "csv files load into sqlite3 without warnings" "$(head -3 "$tmp/load.err")"
fi

# the JSON stream: ev(line), eid = rowid - 1, fields through json_extract
sqlite3 -batch "$tmp/db" <<SQL
CREATE TABLE ev_raw (line TEXT);
.mode list
.separator "\t" "\n"
.import $tmp/json/events.jsonl ev_raw
CREATE TABLE ev AS SELECT rowid - 1 AS eid,
    json_extract(line, '\$.event_type') AS type,
    json_extract(line, '\$.dateTime') AS dt,
    json_extract(line, '\$.person.id') AS pid,
    json_extract(line, '\$.auction.id') AS aid,
    json_extract(line, '\$.auction.seller') AS seller,
    json_extract(line, '\$.auction.expires') AS expires,
    json_extract(line, '\$.bid.auction') AS auction,
    json_extract(line, '\$.bid.bidder') AS bidder,
    json_extract(line, '\$.bid.price') AS price,
    json_extract(line, '\$.bid.url') AS url,
    json_extract(line, '\$.bid.extra') AS extra,
    (json_extract(line, '\$.person') IS NOT NULL) + (json_extract(line, '\$.auction') IS NOT NULL)
      + (json_extract(line, '\$.bid') IS NOT NULL) AS nrows
  FROM ev_raw ORDER BY rowid;
CREATE INDEX ev_eid ON ev (eid);
SQL
MS="(CAST(strftime('%s', substr(dt, 1, 19)) AS INTEGER) * 1000 + CAST(substr(dt, 21, 3) AS INTEGER))"
MSX="(CAST(strftime('%s', substr(expires, 1, 19)) AS INTEGER) * 1000 + CAST(substr(expires, 21, 3) AS INTEGER))"
# last person and last auction (0-based) as of each eid, per NEXMARK.md
LP="(eid / 50)"
LA="(CASE WHEN eid % 50 = 0 THEN (eid / 50 - 1) * 3 + 2 WHEN eid % 50 <= 3 THEN (eid / 50) * 3 + eid % 50 - 1 ELSE (eid / 50) * 3 + 2 END)"

check "json stream has $N events, exactly one row each" \
	"SELECT (SELECT count(*) FROM ev) - $N + (SELECT count(*) FROM ev WHERE nrows != 1);"
check "event types follow 1:3:46 in every block of 50" \
	"SELECT count(*) FROM ev WHERE type != CASE WHEN eid % 50 = 0 THEN 0 WHEN eid % 50 <= 3 THEN 1 ELSE 2 END;"
check "csv tables hold 2000 persons, 6000 auctions, 92000 bids" \
	"SELECT abs((SELECT count(*) FROM person) - 2000) + abs((SELECT count(*) FROM auction) - 6000) + abs((SELECT count(*) FROM bid) - 92000);"
check "person ids are 1000, 1001, ... in order" \
	"SELECT count(*) FROM person WHERE id != 999 + seq;"
check "auction ids are 1000, 1001, ... in order" \
	"SELECT count(*) FROM auction WHERE id != 999 + seq;"
check "json ids match the block arithmetic" \
	"SELECT count(*) FROM ev WHERE (type = 0 AND pid != 1000 + $LP) OR (type = 1 AND aid != 1000 + $LA);"
check "bids reference the last 100 auctions or up to 10 ahead" \
	"SELECT count(*) FROM ev WHERE type = 2 AND (auction > 1000 + $LA + 10 OR auction < 1000 + max(0, $LA - 100));"
check "bidders and sellers are among the last 1000 people or up to 10 ahead" \
	"SELECT count(*) FROM ev WHERE (type = 2 AND (bidder > 1000 + $LP + 10 OR bidder < 1000 + max(0, $LP - 999)))
	    OR (type = 1 AND (seller > 1000 + $LP + 10 OR seller < 1000 + max(0, $LP - 999)));"
check "every referenced auction and person exists unless it is within the final lead" \
	"SELECT count(*) FROM bid WHERE (auction NOT IN (SELECT id FROM auction) AND auction <= (SELECT max(id) FROM auction))
	    OR (bidder NOT IN (SELECT id FROM person) AND bidder <= (SELECT max(id) FROM person));"
check "prices are in [100, 1e8], reserve above initialBid" \
	"SELECT (SELECT count(*) FROM bid WHERE price < 100 OR price > 100000000 OR typeof(price) != 'integer')
	      + (SELECT count(*) FROM auction WHERE initialBid < 100 OR initialBid > 100000000 OR reserve <= initialBid);"
check "prices are log-uniform: a third below 1e4, a third above 1e6" \
	"SELECT count(*) FROM (SELECT avg(price < 10000) AS lo, avg(price >= 1000000) AS hi FROM bid)
	  WHERE lo NOT BETWEEN 0.31 AND 0.36 OR hi NOT BETWEEN 0.31 AND 0.36;"
check "categories are 10..14, all used" \
	"SELECT (SELECT count(*) FROM auction WHERE category NOT BETWEEN 10 AND 14) + 5 - (SELECT count(DISTINCT category) FROM auction);"
check "timestamps are non-decreasing in eid order" \
	"SELECT count(*) FROM ev a JOIN ev b ON b.eid = a.eid + 1 WHERE (SELECT $MS FROM ev WHERE eid = b.eid) < (SELECT $MS FROM ev WHERE eid = a.eid);"
check "timestamps follow base + floor(eid * 1e6 / R) / 1000 ms" \
	"SELECT count(*) FROM ev WHERE eid IN (0, 1, 6, 7, 49, 50, 12345, 69999, 70000, 99999)
	    AND $MS != $BASE_MS + (eid * 1000000 / $RATE) / 1000;"
check "every timestamp follows the formula" \
	"SELECT count(*) FROM ev WHERE $MS != $BASE_MS + (eid * 1000000 / $RATE) / 1000;"
check "auctions expire 1 ms to 2h+1 ms after they open (h: 1666 events = 238 ms)" \
	"SELECT count(*) FROM ev WHERE type = 1 AND ($MSX - $MS < 1 OR $MSX - $MS > 1 + 2 * 238);"
check "csv timestamps and json timestamps agree" \
	"SELECT count(*) FROM bid b JOIN (SELECT row_number() OVER (ORDER BY eid) AS seq, dt, auction, bidder, price, url, extra FROM ev WHERE type = 2) e
	    ON e.seq = b.seq WHERE e.dt != b.dateTime OR e.auction != b.auction OR e.bidder != b.bidder OR e.price != b.price OR e.url != b.url OR e.extra != b.extra;"
check "hot auction share is about 1/2" \
	"SELECT count(*) FROM (SELECT avg(auction = 1000 + ($LA / 100) * 100) AS s FROM ev WHERE type = 2) WHERE s NOT BETWEEN 0.48 AND 0.55;"
check "hot bidder share is about 3/4, hot seller share about 3/4" \
	"SELECT count(*) FROM (SELECT avg(bidder = 1000 + ($LP / 100) * 100 + 1) AS s FROM ev WHERE type = 2
	    UNION ALL SELECT avg(seller = 1000 + ($LP / 100) * 100) FROM ev WHERE type = 1) WHERE s NOT BETWEEN 0.72 AND 0.78;"
check "hot channels take about 1/2 of the bids" \
	"SELECT count(*) FROM (SELECT avg(channel IN ('Google', 'Facebook', 'Baidu', 'Apple')) AS s FROM bid) WHERE s NOT BETWEEN 0.48 AND 0.52;"
check "each channel has one fixed URL" \
	"SELECT count(*) FROM (SELECT channel FROM bid GROUP BY channel HAVING count(DISTINCT url) > 1);"
check "URLs have the nexmark shape; 9 in 10 plain channels carry a channel_id" \
	"SELECT (SELECT count(*) FROM bid WHERE url NOT GLOB 'https://www.nexmark.com/*/*/*/item.htm?query=1*'
	           OR (channel GLOB 'channel-*') != (url GLOB '*&channel_id=*') AND channel NOT GLOB 'channel-*')
	      + (SELECT count(*) FROM (SELECT avg(url GLOB '*&channel_id=*') AS s FROM
	           (SELECT DISTINCT channel, url FROM bid WHERE channel GLOB 'channel-*')) WHERE s NOT BETWEEN 0.85 AND 0.95);"
# channel_id = Java's Math.abs(Integer.reverse(i)), recomputed in the shell
bad=0
checked=0
for pair in $(sqlite3 -batch "$tmp/db" "SELECT DISTINCT substr(channel, 9) || ':' || substr(url, instr(url, '&channel_id=') + 12)
                                         FROM bid WHERE channel GLOB 'channel-*' AND url GLOB '*&channel_id=*' LIMIT 200;"); do
	i=${pair%%:*}
	id=${pair#*:}
	v=0
	b=0
	while [ $b -lt 32 ]; do
		v=$(( v | (((i >> b) & 1) << (31 - b)) ))
		b=$((b + 1))
	done
	if [ $v -eq 2147483648 ]; then want=-2147483648
	elif [ $v -gt 2147483648 ]; then want=$((4294967296 - v))
	else want=$v; fi
	[ "$id" = "$want" ] || { bad=$((bad + 1)); echo "#   channel-$i: channel_id=$id, want $want"; }
	checked=$((checked + 1))
done
if [ $bad -eq 0 ] && [ $checked -ge 100 ]; then
	ok "channel_id is the bit-reversed channel number ($checked channels)"
else
	notok "channel_id is the bit-reversed channel number ($checked channels, $bad wrong)"
fi
check "emails and credit cards have their shapes" \
	"SELECT count(*) FROM person WHERE emailAddress NOT GLOB '*@*.com' OR emailAddress GLOB '*[^a-z @.]*'
	    OR creditCard NOT GLOB '[0-9][0-9][0-9][0-9] [0-9][0-9][0-9][0-9] [0-9][0-9][0-9][0-9] [0-9][0-9][0-9][0-9]';"
check "states and cities come from the lists" \
	"SELECT count(*) FROM person WHERE state NOT IN ('AZ', 'CA', 'ID', 'OR', 'WA', 'WY')
	    OR city NOT IN ('Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne');"
check "bid extras are 54..81 letters, about 68 on average" \
	"SELECT (SELECT count(*) FROM bid WHERE length(extra) NOT BETWEEN 54 AND 81 OR extra GLOB '*[^a-z]*')
	      + (SELECT count(*) FROM (SELECT avg(length(extra)) AS a FROM bid) WHERE a NOT BETWEEN 67 AND 69);"
check "events average about 200 (person), 500 (auction), 100 (bid) bytes" \
	"SELECT count(*) FROM (
	    SELECT avg(8 + length(name) + length(emailAddress) + length(creditCard) + length(city) + length(state) + length(extra)) AS a, 200 AS t FROM person
	    UNION ALL SELECT avg(48 + length(itemName) + length(description) + length(extra)), 500 FROM auction
	    UNION ALL SELECT avg(32 + length(extra)), 100 FROM bid) WHERE abs(a - t) > t / 50.0;"

# determinism and parallel splits, byte for byte
"$SLUICE" gen nexmark --events $N --seed 7 --rate $RATE --out "$tmp/csv2"
same=yes
for t in person auction bid; do cmp -s "$tmp/csv/$t.csv" "$tmp/csv2/$t.csv" || same=no; done
[ $same = yes ] && ok "two runs write the same bytes" || notok "two runs write the same bytes"

"$SLUICE" gen nexmark --events $N --seed 7 --rate $RATE --generators 3 --out "$tmp/csv3"
same=yes
for t in person auction bid; do cmp -s "$tmp/csv/$t.csv" "$tmp/csv3/$t.csv" || same=no; done
[ $same = yes ] && ok "--generators 3 merges to the same bytes" || notok "--generators 3 merges to the same bytes"

for k in 0 1 2 3; do
	"$SLUICE" gen nexmark --events $N --seed 7 --rate $RATE --generators 4 --subtask $k --format json --out - >"$tmp/part$k"
done
# subtask k holds eids k, k+4, ...: interleaving the four parts line by line
# must give the serial stream; their union (as sets) too
paste -d '\n' "$tmp/part0" "$tmp/part1" "$tmp/part2" "$tmp/part3" >"$tmp/merged"
if cmp -s "$tmp/merged" "$tmp/json/events.jsonl"; then
	ok "the 4 subtask slices interleave into the serial stream"
else
	notok "the 4 subtask slices interleave into the serial stream"
fi
cat "$tmp/part0" "$tmp/part1" "$tmp/part2" "$tmp/part3" | LC_ALL=C sort >"$tmp/u1"
LC_ALL=C sort "$tmp/json/events.jsonl" >"$tmp/u2"
cmp -s "$tmp/u1" "$tmp/u2" && ok "the union of the slices is the serial stream" ||
	notok "the union of the slices is the serial stream"

"$SLUICE" gen nexmark --events 1000 --seed 8 --rate $RATE --table bid --out - >"$tmp/s8full"
head -n 900 "$tmp/s8full" >"$tmp/s8"
head -n 900 "$tmp/csv/bid.csv" >"$tmp/s7"
cmp -s "$tmp/s7" "$tmp/s8" && notok "another seed gives other events" || ok "another seed gives other events"

# every oracle query runs on these events
for sql in "$here"/q*.sql; do
	q=$(basename "$sql" .sql)
	if sh "$here/run-oracle.sh" "$q" "$tmp/csv" >"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/err" ] && [ -s "$tmp/out" ]; then
		ok "oracle $q runs ($(wc -l <"$tmp/out") rows)"
	else
		notok "oracle $q runs" "$(head -3 "$tmp/err")"
	fi
done

# the oracle queries agree with simpler counts over the same tables
oracle_sum() { # QUERY FIELD: sum of a field of the oracle's rows
	sh "$here/run-oracle.sh" "$1" "$tmp/csv" | awk -F'|' -v f="$2" '{ s += $f } END { printf "%d\n", s }'
}
oracle_rows() { sh "$here/run-oracle.sh" "$1" "$tmp/csv" | wc -l | tr -d ' '; }
q() { sqlite3 -batch "$tmp/db" "$1"; }
agree() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "oracle gives $2, expected $3"; fi
}
agree "oracle q5_window puts every bid in 5 windows" "$(oracle_sum q5_window 4)" "$(q 'SELECT 5 * count(*) FROM bid;')"
agree "oracle q11 sessions hold every bid once" "$(oracle_sum q11 2)" "$(q 'SELECT count(*) FROM bid;')"
agree "oracle q15/q16/q17 totals count every bid" "$(oracle_sum q15 2) $(oracle_sum q16 4) $(oracle_sum q17 3)" \
	"$(q 'SELECT count(*) || '"' '"' || count(*) || '"' '"' || count(*) FROM bid;')"
agree "oracle q8_window counts every auction" "$(oracle_sum q8_window 4)" "$(q 'SELECT count(*) FROM auction;')"
agree "oracle q7_window has one row per 10 s of bids" "$(oracle_rows q7_window)" \
	"$(q 'SELECT count(DISTINCT dateTime_ms / 10000) FROM bid;')"
agree "oracle q18 keeps one bid per (bidder, auction)" "$(oracle_rows q18)" \
	"$(q 'SELECT count(*) FROM (SELECT DISTINCT bidder, auction FROM bid);')"
agree "oracle q19 keeps min(10, bids) per auction" "$(oracle_rows q19)" \
	"$(q 'SELECT sum(min(n, 10)) FROM (SELECT count(*) AS n FROM bid GROUP BY auction);')"
agree "oracle q21 keeps hot channels and URLs with a channel_id" "$(oracle_rows q21)" \
	"$(q "SELECT count(*) FROM bid WHERE channel IN ('Google', 'Facebook', 'Baidu', 'Apple') OR url GLOB '*channel_id=*';")"
agree "oracle q22 directories are the three URL path parts" \
	"$(sh "$here/run-oracle.sh" q22 "$tmp/csv" | awk -F'|' '$5 == "" || $6 == "" || $7 == "" || ($5 $6 $7) ~ /[\/?]/' | wc -l | tr -d ' ')" 0
agree "oracle q13 joins every bid with its side row" "$(oracle_rows q13)" "$(q 'SELECT count(*) FROM bid;')"
agree "oracle q20 joins every category-10 bid" "$(oracle_rows q20)" \
	"$(q 'SELECT count(*) FROM bid WHERE auction IN (SELECT id FROM auction WHERE category = 10);')"

# the command line
if "$SLUICE" gen nexmark --evnts 5 2>"$tmp/err" >/dev/null; then
	notok "a mistyped flag is refused with a suggestion"
elif grep -q '^sluice: error: unknown option "--evnts"$' "$tmp/err" &&
	grep -q '^hint: did you mean "--events"?$' "$tmp/err"; then
	ok "a mistyped flag is refused with a suggestion"
else
	notok "a mistyped flag is refused with a suggestion" "$(cat "$tmp/err")"
fi
"$SLUICE" gen --help | grep -q '^usage: sluice gen nexmark' && ok "sluice gen --help" || notok "sluice gen --help"
if "$SLUICE" gen nexmark -o bid.proportoin=3 --events 5 2>"$tmp/err" >/dev/null; then
	notok "a mistyped connector option is refused with a suggestion"
elif grep -q '^hint: did you mean "bid.proportion"?$' "$tmp/err"; then
	ok "a mistyped connector option is refused with a suggestion"
else
	notok "a mistyped connector option is refused with a suggestion" "$(cat "$tmp/err")"
fi
"$SLUICE" gen nexmark -o events.num=1000 -o person.proportion=2 -o auction.proportion=1 \
	--option bid.proportion=7 --option first-event.rate=500 --out "$tmp/opt" 2>"$tmp/err"
got="$(wc -l <"$tmp/opt/person.csv" | tr -d ' ') $(wc -l <"$tmp/opt/auction.csv" | tr -d ' ') $(wc -l <"$tmp/opt/bid.csv" | tr -d ' ') $(tail -n 1 "$tmp/opt/bid.csv" | cut -d, -f6)"
agree "connector options (proportions 2:1:7, rate 500/s) shape the stream" "$got" "200 100 700 2026-01-01 00:00:01.998"
