#!/bin/sh
# run-oracle.sh QUERY EVENTS_DIR -- print the oracle result of a Nexmark
# query over the events in EVENTS_DIR (CSV files from `sluice gen nexmark
# --format csv --out EVENTS_DIR`).
#
# QUERY is q0, q5, q5_window, ... (tests/oracle/QUERY.sql) or a path to a
# .sql file. Output: one row per line, fields separated by '|' (sqlite3
# list mode, NULL as empty), timestamps 'yyyy-MM-dd HH:mm:ss.SSS', sorted
# with LC_ALL=C sort. The SQLite database is built once per EVENTS_DIR
# (EVENTS_DIR/oracle.sqlite) and rebuilt when a CSV file is newer.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 2 ]; then
	echo "usage: run-oracle.sh QUERY EVENTS_DIR" >&2
	exit 2
fi
q=$1
dir=$2
case "$q" in
	*.sql) sql=$q ;;
	*) sql=$here/$q.sql ;;
esac
[ -f "$sql" ] || { echo "run-oracle.sh: no oracle query \"$q\" ($sql)" >&2; exit 2; }
db=$dir/oracle.sqlite
if [ ! -f "$db" ] || [ "$dir/person.csv" -nt "$db" ] || [ "$dir/auction.csv" -nt "$db" ] ||
	[ "$dir/bid.csv" -nt "$db" ]; then
	sh "$here/load.sh" "$dir" "$db.tmp" >/dev/null
	mv "$db.tmp" "$db"
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
sqlite3 -batch -bail -list -separator '|' -nullvalue '' "$db" <"$sql" >"$out"
LC_ALL=C sort "$out"
