#!/bin/sh
# bench_udf.sh -- the cost of a C scalar UDF call: Nexmark q14 as shipped
# (c_counts = count_char(extra, 'c'), udf/examples/libnexmark_udf.so)
# against q14 with that column computed by built-ins instead:
# CHAR_LENGTH(extra) - CHAR_LENGTH(REPLACE(extra, 'c', '')) (the same
# value: Nexmark's extra is ASCII), and against q14 with the column as
# CHAR_LENGTH(extra) alone (one pass over the string, like count_char,
# but a different value: the cheapest built-in of similar shape). All
# into blackhole, parallelism 1.
#
# usage: sh bench/bench_udf.sh [-n EVENTS] [-r RUNS]
#   run from a build directory (./sluice, udf/examples/libnexmark_udf.so
#   built: make udf/examples/libnexmark_udf.so); SRCDIR if not ../..
#
# Prints, per variant, events per CPU-second (user+sys, GNU time) of each
# run and the median; docs/benchmarks.md has the numbers.
set -eu
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
SLUICE=${SLUICE:-./sluice}
UDFDIR=${UDFDIR:-$(pwd)/udf/examples}
N=10000000
RUNS=3
while getopts n:r: o; do
	case $o in
	n) N=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	*) echo "usage: $0 [-n EVENTS] [-r RUNS]" >&2; exit 2 ;;
	esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$SRCDIR/queries/nexmark/q14.sql" "$tmp/udf.sql"
grep -v '^CREATE FUNCTION count_char' "$SRCDIR/queries/nexmark/q14.sql" |
	sed "s/count_char(extra, 'c')/CHAR_LENGTH(extra) - CHAR_LENGTH(REPLACE(extra, 'c', ''))/" \
		>"$tmp/builtin.sql"
grep -q 'CHAR_LENGTH(REPLACE' "$tmp/builtin.sql" || { echo "bench_udf.sh: q14 has no count_char(extra, 'c')" >&2; exit 1; }
grep -v '^CREATE FUNCTION count_char' "$SRCDIR/queries/nexmark/q14.sql" |
	sed "s/count_char(extra, 'c')/CHAR_LENGTH(extra)/" >"$tmp/length.sql"

echo "q14, $N events, parallelism 1, $RUNS runs each: events per CPU-second"
for v in udf builtin length; do
	list=
	for i in $(seq "$RUNS"); do
		/usr/bin/time -f '%U %S' -o "$tmp/time" "$SLUICE" run --quiet --events "$N" \
			--parallelism 1 --udf-path "$UDFDIR" "$tmp/$v.sql" >/dev/null
		eps=$(awk -v n="$N" '{ printf "%.0f", n / ($1 + $2) }' "$tmp/time")
		list="$list $eps"
	done
	med=$(echo $list | tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	echo "$v:$list  median $med"
done
