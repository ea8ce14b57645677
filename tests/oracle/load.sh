#!/bin/sh
# load.sh EVENTS_DIR DB -- load person.csv, auction.csv and bid.csv (from
# `sluice gen nexmark --format csv --out EVENTS_DIR`) into a new SQLite
# database DB with tests/oracle/schema.sql, plus q13's side table from
# queries/nexmark/data/side_input.csv. Uses only Debian's sqlite3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
db=$2
for t in person auction bid; do
	[ -f "$dir/$t.csv" ] || { echo "load.sh: $dir/$t.csv is missing" >&2; exit 1; }
done
side=$here/../../queries/nexmark/data/side_input.csv   # q13's side table
rm -f "$db"
# ms(x): 'yyyy-MM-dd HH:mm:ss.SSS' -> integer milliseconds since the epoch
ms() { echo "(CAST(strftime('%s', substr($1, 1, 19)) AS INTEGER) * 1000 + CAST(substr($1, 21, 3) AS INTEGER))"; }
sqlite3 -batch "$db" <<SQL
.bail on
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
.read $here/schema.sql
.import --csv $dir/person.csv person_csv
.import --csv $dir/auction.csv auction_csv
.import --csv $dir/bid.csv bid_csv
INSERT INTO person SELECT id, name, emailAddress, creditCard, city, state, dateTime, extra,
    $(ms dateTime), rowid FROM person_csv ORDER BY rowid;
INSERT INTO auction SELECT id, itemName, description, initialBid, reserve, dateTime, expires,
    seller, category, extra, $(ms dateTime), $(ms expires), rowid FROM auction_csv ORDER BY rowid;
INSERT INTO bid SELECT auction, bidder, price, channel, url, dateTime, extra,
    $(ms dateTime), rowid FROM bid_csv ORDER BY rowid;
CREATE TABLE side_input (key INTEGER, value TEXT);
.import --csv $side side_input
DROP TABLE person_csv;
DROP TABLE auction_csv;
DROP TABLE bid_csv;
CREATE INDEX person_id ON person (id);
CREATE INDEX auction_id ON auction (id);
CREATE INDEX bid_auction ON bid (auction);
ANALYZE;
SQL
